#!/usr/bin/env python3
"""Write the student edition of the course: every notebook without its solutions.

    python scripts/make_student.py [--track full|core] [--lang en|zh] [--out build/student]

Every notebook under ``notebooks/`` and ``casestudies/`` is copied to the same relative path
under the output folder, with

* each cell tagged ``solution`` replaced by a short placeholder: a code solution becomes a code
  cell ``# Your turn: …``; a markdown cell tagged ``solution`` (instructor notes, model answers)
  becomes a markdown cell ``*Instructor notes are in the instructor edition.*``. The placeholder
  keeps the cell's id and its metadata other than the ``solution`` tag;
* all outputs and execution counts stripped;
* the exercises sealed: the line that imports the notebook's exercise set,
  ``from crmlib.exercise_sets import <set> as ex``, becomes ``from exercise_checks import <set>
  as ex``, and ``exercise_checks/<set>.py`` is written next to the notebook (one
  ``exercise_checks`` package per notebook folder). In that copy each exercise is a
  ``crmlib.exercises.SealedExercise``: question, hints, points and (concept checks) choices in
  plain text, with their Chinese (``crmlib/exercise_sets/zh/<set>.yml``) where the set has it,
  the expected answer computed now, at build time, and kept only in sealed form
  (compressed, scrambled, written as consonants; for a concept check its feedback and
  explanation too, in every language, since which choices have feedback would give the answer
  away; the other names of a label an answer may use, too). ``check``
  opens it to compare; nothing else shows it: there is no ``solution()`` and no ``.expected``,
  and ``help()`` and tab completion see only the question. The notebook finds the package
  because a kernel starts in the notebook's folder (JupyterLab opened at the repository root,
  Voila, nbclient, and a JupyterHub that hands out only the student folder); it needs only
  crmlib installed. The instructor's edition (the repository) keeps its solution cells and
  ``crmlib.exercise_sets``;
* everything else unchanged.

``--track core`` (``make student TRACK=core``, written to ``build/student-core`` by default)
builds the core path only: each notebook without its analytics sections, code cells and
exercises included (``scripts/tracks.py`` defines the marks), and each sealed set without the
exercises no kept cell uses. Sections without a mark count as core; the build lists the
notebooks that have such sections, and stops if a notebook's marks are inconsistent.

``--lang zh`` (``make student LANG=zh``, written to ``build/student-zh`` or
``build/student-core-zh``) builds the Chinese student edition by the same steps, from the Chinese
notebooks under ``zh/`` (scripts/editions.py): each notebook is written at its English path,
Chinese where it has a twin in ``zh/`` and English where it is not translated yet (so the edition
is complete), with links that work from there; the placeholders are in Chinese. The Chinese
notebooks keep the English cells' metadata and badges, so the core track is cut by the same
marks, and their first code cell, ``crmlib.set_language("zh")``, makes the sealed checks ask,
hint and answer in Chinese. Other files (a case's README.md) are taken from ``zh/`` too when
a translation is there.

On a JupyterHub for students, install crmlib without ``crmlib/exercise_sets/`` (its answer
functions are readable code): the student edition never imports it.

The other files of those folders (the case README.md files, images, …) are copied as they are.
The output folder is emptied first, and the output is deterministic: the same sources give the
same bytes. Needs nbformat and crmlib (sealing computes every expected answer from the data,
about 20 seconds).
"""

from __future__ import annotations

import argparse
import importlib
import pprint
import re
import shutil
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
import editions  # noqa: E402  (which file stands for an English path in each language)
import tracks  # noqa: E402  (the one reader of the core/analytics marks)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("notebooks", "casestudies")
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".pytest_cache"}
SOLUTION_TAG = "solution"
CODE_PLACEHOLDER = "# Your turn: write your solution above, then run the check cell."
MARKDOWN_PLACEHOLDER = "*Instructor notes are in the instructor edition.*"
# The placeholders of each edition (a solution cell's stand-in, in the notebook's language).
PLACEHOLDERS = {
    "en": {"code": CODE_PLACEHOLDER, "markdown": MARKDOWN_PLACEHOLDER},
    "zh": {
        "code": "# 轮到你了：在上面写出你的解答，然后运行检查单元格。",
        "markdown": "*教师备注在教师版中。*",
    },
}
CHECKS_PACKAGE = "exercise_checks"
EXERCISE_IMPORT = re.compile(r"^from crmlib\.exercise_sets import (\w+) as ex$", re.MULTILINE)
EXERCISE_USE = re.compile(r"\bex\.(\w+)")


def is_solution(cell) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def placeholder(cell, language: str = "en"):
    """The student's stand-in for a solution cell (same id, metadata without the solution tag)."""
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k != "tags"}
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t != SOLUTION_TAG]
    if tags:
        metadata["tags"] = tags
    text = PLACEHOLDERS[language]
    if cell.cell_type == "code":
        new = nbformat.v4.new_code_cell(text["code"], metadata=metadata)
    else:
        new = nbformat.v4.new_markdown_cell(text["markdown"], metadata=metadata)
    if "id" in cell:
        new["id"] = cell["id"]
    else:
        new.pop("id", None)
    return new


def student_notebook(nb, language: str = "en"):
    """The student copy of a notebook node (a new node; ``nb`` is not modified), placeholders in ``language``."""
    nb = nbformat.from_dict(nb)  # a deep copy
    cells = []
    for cell in nb.cells:
        if is_solution(cell):
            cell = placeholder(cell, language)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb


def seal_imports(nb) -> list[str]:
    """Point the notebook's exercise-set import at the sealed copy; return the sets it imports."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        found += EXERCISE_IMPORT.findall(cell.source)
        cell.source = EXERCISE_IMPORT.sub(rf"from {CHECKS_PACKAGE} import \1 as ex", cell.source)
        if "exercise_sets" in cell.source:
            raise SystemExit(
                f"cell {cell.get('id')} uses crmlib.exercise_sets in a way the student edition cannot "
                f"seal; import the set as `from crmlib.exercise_sets import <set> as ex`:\n{cell.source}"
            )
    return found


def used_exercises(nb) -> set[str]:
    """The names the notebook's code cells use as ``ex.<name>``."""
    return {name for cell in nb.cells if cell.cell_type == "code" for name in EXERCISE_USE.findall(cell.source)}


def sealed_set_source(set_name: str, only: set[str] | None = None) -> str:
    """The student copy of ``crmlib.exercise_sets.<set_name>``: every exercise (or those in ``only``) sealed."""
    from crmlib.exercises import Exercise, seal

    module = importlib.import_module(f"crmlib.exercise_sets.{set_name}")
    names = [
        n
        for n in getattr(module, "__all__", [])
        if isinstance(getattr(module, n), Exercise) and (only is None or n in only)
    ]
    lines = [
        '"""The exercises of the notebook that imports this set (student edition, built from',
        f"crmlib.exercise_sets.{set_name} by scripts/make_student.py).",
        "",
        "Each exercise's expected answer was computed when this edition was built and is kept",
        "sealed: check(answer) opens it to compare, and nothing else shows it.",
        '"""',
        "from crmlib.exercises import SealedExercise",
        "",
        f"__all__ = {names!r}",
        "",
    ]
    for name in names:
        kind, public, sealed = seal(getattr(module, name))
        chunks = [sealed[i : i + 80] for i in range(0, len(sealed), 80)] or [""]
        lines += [
            "",
            f"{name} = SealedExercise(",
            f"    {kind!r},",
            "    " + pprint.pformat(public, width=96, sort_dicts=True).replace("\n", "\n    ") + ",",
            "    (",
            *(f"        {c!r}" for c in chunks),
            "    ),",
            ")",
        ]
    return "\n".join(lines) + "\n"


def write_checks(out: Path, placed: dict[Path, set[str]], only: dict[str, set[str]] | None = None) -> int:
    """Write each folder's ``exercise_checks`` package; returns the number of sets written.

    ``only`` maps a set to the exercises to keep (all, if a set is not in it or ``only`` is None).
    """
    sources: dict[str, str] = {}
    for folder, sets in sorted(placed.items()):
        package = out / folder / CHECKS_PACKAGE
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(
            '"""The sealed exercise sets of this folder\'s notebooks."""\n', encoding="utf-8"
        )
        for name in sorted(sets):
            if name not in sources:
                sources[name] = sealed_set_source(name, None if only is None else only.get(name, set()))
            (package / f"{name}.py").write_text(sources[name], encoding="utf-8", newline="\n")
    return len(sources)


def source_files(root: Path = ROOT):
    """Every file under the source folders, as paths relative to ``root``, in a fixed order."""
    files = []
    for folder in SOURCES:
        for path in (root / folder).rglob("*"):
            rel = path.relative_to(root)
            if path.is_file() and not SKIP_PARTS & set(rel.parts):
                files.append(rel)
    return sorted(files, key=lambda p: p.as_posix())


def build(out: Path, root: Path = ROOT, track: str = "full", language: str = "en") -> dict:
    """Write the student edition into ``out`` (``track="core"``: the core path only) in ``language``
    (``"zh"``: the Chinese notebooks where they exist, scripts/editions.py); returns counts."""
    if track not in ("full", "core"):
        raise SystemExit(f"unknown track {track!r}: use full or core")
    editions.check_language(language)
    out = out.resolve()
    if out == root or out in root.parents or any(out == root / s or root / s in out.parents for s in SOURCES):
        raise SystemExit(f"refusing to write the student edition into {out}")
    if out.exists():
        shutil.rmtree(out)
    counts = {"notebooks": 0, "solutions replaced": 0, "other files": 0, "exercise sets sealed": 0}
    if language != "en":
        counts[f"files in {language}"] = 0
    placed: dict[Path, set[str]] = {}
    used: dict[str, set[str]] = {}
    unmarked: list[str] = []
    for rel in source_files(root):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (root / rel).exists():  # removed while we ran (another process's temporary file)
            continue
        source = editions.edition_file(rel, language, root)
        if source != rel:
            counts[f"files in {language}"] += 1
        if rel.suffix == ".ipynb":
            nb = nbformat.read(root / source, as_version=4)
            if source != rel:
                nb = editions.relocated_notebook(nb, rel, language)
            if track == "core":
                problems = tracks.mark_problems(nb)
                if problems:
                    raise SystemExit(f"{rel}: the core/analytics marks are inconsistent:\n  " + "\n  ".join(problems))
                if not tracks.is_marked(nb):
                    unmarked.append(rel.as_posix())
                nb = tracks.core_notebook(nb)
            counts["solutions replaced"] += sum(map(is_solution, nb.cells))
            student = student_notebook(nb, language)
            sets = seal_imports(student)
            for name in sets:
                placed.setdefault(rel.parent, set()).add(name)
                used.setdefault(name, set()).update(used_exercises(student))
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                nbformat.write(student, fh)
            counts["notebooks"] += 1
        elif source != rel and rel.suffix == ".md":
            text = (root / source).read_text(encoding="utf-8")
            target.write_text(editions.relocated_links(text, rel, language), encoding="utf-8", newline="\n")
            counts["other files"] += 1
        else:
            shutil.copyfile(root / source, target)
            counts["other files"] += 1
    counts["exercise sets sealed"] = write_checks(out, placed, used if track == "core" else None)
    if unmarked:
        have = "notebook has" if len(unmarked) == 1 else "notebooks have"
        print(
            f"warning: {len(unmarked)} {have} sections without a core/analytics mark; they count as "
            "core: " + ", ".join(unmarked),
            file=sys.stderr,
        )
        counts["notebooks not marked throughout"] = len(unmarked)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--track",
        choices=("full", "core"),
        default="full",
        help="full: every section (default); core: the core path only",
    )
    parser.add_argument(
        "--lang",
        choices=editions.LANGUAGES,
        default="en",
        help="en: the English edition (default); zh: the Chinese edition, English where not translated yet",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="output folder, emptied first (default build/student, build/student-core for the core track, "
        "with -zh added for --lang zh)",
    )
    args = parser.parse_args(argv)
    name = "student" if args.track == "full" else "student-core"
    args.out = args.out or ROOT / "build" / (name + editions.suffix(args.lang))
    counts = build(args.out, track=args.track, language=args.lang)
    print(f"student edition in {args.out}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

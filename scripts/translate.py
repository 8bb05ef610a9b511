#!/usr/bin/env python3
"""The Chinese edition (中文版) from one source: English notebooks + translation files -> ``zh/``.

    python scripts/translate.py check  [PATH ...]   list missing and stale translations; exit 1 if any
    python scripts/translate.py update [PATH ...]   write the translator's to-do into the translation files
    python scripts/translate.py build  [PATH ...]   (re)build zh/ from the English notebooks and translations

A PATH is an English notebook, a README page (``.md``) or an exercise set
(``crmlib/exercise_sets/<set>.py``).

``make translations`` runs ``check`` for every notebook in scope. Without NOTEBOOK arguments a
command works on the notebooks in scope: the English paths listed in ``translations/zh/scope.txt``
(the one list; add a notebook there when its translation starts).

How an edition is made
----------------------
* **One translation file per notebook**, ``translations/zh/<English path>.yml`` (the ``.ipynb``
  replaced), keyed by cell id. Each entry has ``hash``, the first 12 hex digits of the SHA-256 of
  the exact English source of that cell, and ``zh``, its Chinese text::

      075f9943:
        hash: 4f0c1a9d2e7b
        zh: |-
          ## 怎样使用本课程
          ...

* **Markdown cells are translated; code cells are copied.** The English code cells appear in the
  Chinese notebook unchanged, in the same order, with the same ids, tags and metadata, so they
  cannot drift. Runtime text (check feedback, hints, error messages) comes from crmlib's message
  catalogue instead.
* **The language cell.** A Chinese notebook has one code cell more: just before the first English
  code cell, a cell with id ``zh-language`` runs ``crmlib.set_language("zh")``. So the first code
  cell of every Chinese notebook switches crmlib to Chinese, and every other code cell equals
  its English one byte for byte (a separate cell rather than extra lines in the first English
  cell, so that no English code cell is ever edited).
* **Links** in a translation are written as in the English cell (relative to the English
  notebook). A link to a notebook in scope then opens its Chinese twin (``zh/`` mirrors the
  English paths); a link to anything else is pointed back at the English file, so it works
  before that page is translated (``README.md`` goes to ``README.zh.md``).
* **Stale.** When an English cell changes, its hash no longer matches and ``check`` names the
  notebook and the cell. ``update`` then writes, for every missing or stale cell, an entry with
  the new hash, the old Chinese (if any) and, under ``en``, the new English text. The translator
  edits ``zh``, deletes the ``en`` block (an entry that still has one counts as not done), runs
  ``build`` and commits the translation file and ``zh/`` together; the review is the diff.
* **Structure.** A translated cell keeps the English headings: the same levels, in order, and
  the same track badge (``**[Core]**``, ``**[Analytics]**``) at the end of a heading line. The
  build writes the Chinese badges (``**[核心]**``, ``**[拓展分析]**``) in their place, in every
  markdown cell (:func:`tracks.chinese_badges`), so a translator never types them.
  It keeps the markers of the study time too, ``<!-- time --><!-- /time -->`` (a notebook's own
  time line, e.g. ``**学习时间：**<!-- time --><!-- /time -->。``) and the course map's
  ``<!-- times --><!-- /times -->``: the build writes the Chinese times between them.
* **Printed sentences.** Notebook code prints a sentence with ``say("Orders: {n}", n=...)``
  (``crmlib.say``), never ``print("Orders:", n)``: the code stays the same in both editions and
  ``say`` prints the Chinese from ``crmlib/locale/zh/LC_MESSAGES/notebooks.po``, the catalogue
  crmlib carries (so it works wherever crmlib is installed). ``check`` names the notebook, the
  cell and the sentence of every ``say`` without a Chinese entry (or whose entry drops or adds a
  ``{placeholder}``), and of every ``print`` of English words in a notebook in scope. To fix
  one: add the entry (``msgid`` the English sentence, ``msgstr`` the Chinese, a ``#:`` line
  naming the notebook), or turn the ``print`` into a ``say``.

README pages
------------
A chapter's or a case's ``README.md`` is translated the same way, into ``zh/<English path>``
(``zh/notebooks/01_identification/README.md``), from ``translations/zh/<path>.yml`` (``README.yml``).
The page is cut into sections, each from a heading to the next (:func:`page_sections`); a section
is keyed by its heading (``chapter-1-customer-identification-and-selection``, or ``top`` for text
before the first heading) and stands for a cell: the same ``hash``, ``zh``, ``en``, stale and
structure rules, and ``check`` also names a section whose Chinese drops a number of the English.
A Binder badge is written ``[![Binder](https://mybinder.org/badge_logo.svg)](binder:<notebook>)``
in the English text a translator sees and in the hash, so a new repository URL
(``scripts/launch_links.py set-repo``) does not make every translation stale; the build writes
each badge's full address, opening the notebook's Chinese twin where there is one. The pages in
scope are the ``.md`` lines of ``scope.txt``.

Exercise sets
-------------
The text of each exercise and concept check (question, hints, choices, targets, classes,
feedback, explanation) is translated in one file per exercise set,
``crmlib/exercise_sets/zh/<set>.yml``, shipped with crmlib and read when crmlib speaks Chinese
(``crmlib.exercises.localized``). It is keyed by ``<exercise>.<field>`` (``run_in_order.question``,
``run_in_order.hint.2``, ``run_in_order.choice.B``, ``run_in_order.feedback.A``, ``…explanation``;
the fields are ``crmlib.exercises.english_fields``), each entry with the ``hash`` of the exact
English text and its ``zh``. The sets in scope are the ``crmlib/exercise_sets/<set>.py`` lines of
``scope.txt``; ``check`` names the set, exercise and field of every missing, stale, unfinished or
unused entry, and of a translation that drops a number of the English; ``update`` writes the
to-do as for notebooks. At run time a missing or stale entry shows the English text, never an
old translation. The student edition carries the Chinese in its sealed copies
(``scripts/make_student.py``), so it needs no translation file.

The Chinese notebooks are written with the notebook metadata of their English source (the
kernelspec and language_info that scripts/notebook_metadata.py gives every notebook), without
outputs, exactly as Jupyter writes them. ``zh/`` is never edited by hand: tests/test_translate.py
checks that it equals a fresh build.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import posixpath
import re
import string
import sys
import unicodedata
from pathlib import Path
from typing import NamedTuple

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tracks  # noqa: E402  (the course map's study times are generated, never translated)

LANGUAGE = "zh"
LANGUAGE_CELL_ID = "zh-language"
LANGUAGE_CELL = 'import crmlib\n\ncrmlib.set_language("zh")  # 中文版：crmlib 的反馈、提示和错误信息用中文显示'
# Pages outside the notebooks that have a Chinese counterpart of their own.
COUNTERPARTS = {"README.md": "README.zh.md"}
BADGES = ("**[Core]**", "**[Analytics]**")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_LINK = re.compile(r"(\]\()([^)\s#]+)((?:#[^)\s]*)?(?:\s+\"[^\"]*\")?\))")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class Problem(NamedTuple):
    """One thing a translator must do: ``kind`` is missing, stale, todo, unused, structure, unbuilt,
    sentence (a printed sentence without its Chinese) or print (a print of English words)."""

    notebook: str  # English path, e.g. notebooks/course_map.ipynb (or an exercise set's .py)
    cell: str | None  # cell id (for an exercise set "<exercise>.<field>"), or None for the whole file
    kind: str
    detail: str

    def __str__(self) -> str:
        if self.cell is None:
            where = self.notebook
        elif self.notebook.endswith(".py"):
            exercise, _sep, field = self.cell.partition(".")
            where = f"{self.notebook} exercise {exercise} field {field}"
        else:
            where = f"{self.notebook} cell {self.cell}"
        return f"{where}: {self.kind}: {self.detail}"


# --- paths -------------------------------------------------------------------------------------
def scope_file(root: Path = ROOT) -> Path:
    return root / "translations" / LANGUAGE / "scope.txt"


def _scope_lines(root: Path) -> list[str]:
    lines = scope_file(root).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def in_scope(root: Path = ROOT) -> list[str]:
    """The English notebooks that have (or are due) a Chinese twin, as repository paths."""
    return [line for line in _scope_lines(root) if line.endswith(".ipynb")]


def pages_in_scope(root: Path = ROOT) -> list[str]:
    """The English README pages that have (or are due) a Chinese twin, as repository paths."""
    return [line for line in _scope_lines(root) if is_page(line)]


def is_page(path: str) -> bool:
    """True for a markdown page (a README), translated by sections rather than by cells."""
    return path.endswith(".md")


def sets_in_scope(root: Path = ROOT) -> list[str]:
    """The exercise sets whose texts have (or are due) a translation: ``crmlib/exercise_sets/<set>.py``."""
    return [line for line in _scope_lines(root) if line.endswith(".py")]


def translation_file(notebook: str, root: Path = ROOT) -> Path:
    return root / "translations" / LANGUAGE / Path(notebook).with_suffix(".yml")


def edition_file(notebook: str, root: Path = ROOT) -> Path:
    return root / LANGUAGE / notebook


def source_hash(text: str) -> str:
    """The key of a translation: 12 hex digits of the SHA-256 of the exact English text, less what
    a script writes into it (the course map's study times, :func:`tracks.strip_times`).

    >>> source_hash("## Chapters")
    '828421f5c6b3'
    """
    return hashlib.sha256(tracks.strip_times(text).encode("utf-8")).hexdigest()[:12]


def cell_hash(path: str, text: str) -> str:
    """The hash of a cell of the notebook ``path``, or of a section of the page ``path`` (a page
    has no study times to leave out: its tables of notebooks keep all their columns)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12] if is_page(path) else source_hash(text)


def _english_text(path: str, text: str) -> str:
    """What a translator sees of a cell: its words, without the study times a script writes."""
    return text if is_page(path) else tracks.strip_times(text)


# --- translation files -----------------------------------------------------------------------
def read_translation(path: Path) -> dict[str, dict]:
    """``{cell id: {"hash": ..., "zh": ..., ["en": ...]}}`` from a translation file (empty if none)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: expected cell ids at the top level, got {type(data).__name__}")
    entries = {}
    for cell, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str):
            raise SystemExit(f"{path}: cell {cell}: an entry needs `hash:` (text) and `zh:` (text)")
        zh = entry.get("zh")
        entries[str(cell)] = {**entry, "zh": "" if zh is None else str(zh)}
    return entries


def _block(key: str, text: str) -> str:
    """``key: |-`` with the text indented under it (a YAML literal block), or a quoted string.

    The quoted form (JSON, which YAML reads too) is for texts a literal block cannot hold
    exactly: empty, with a final newline, tabs or spaces at the end of a line.
    """
    lines = text.split("\n")
    if not text.strip() or text.endswith("\n") or "\t" in text or "\r" in text or any(x != x.rstrip() for x in lines):
        return f"  {key}: {json.dumps(text, ensure_ascii=False)}\n"
    indent = "2" if text[0] == " " else ""
    return f"  {key}: |{indent}-\n" + "".join(f"    {x}\n" if x else "\n" for x in lines)


def dump_translation(notebook: str, entries: dict[str, dict]) -> str:
    """The text of a translation file: a header, then one entry per cell in notebook order
    (for an exercise set, one entry per text of each exercise, in the set's order)."""
    what = (
        "one entry per text of each exercise, keyed by <exercise>.<field>"
        if notebook.endswith(".py")
        else "one entry per section (a heading and the text under it), keyed by the heading"
        if is_page(notebook)
        else "one entry per markdown cell, keyed by cell id"
    )
    parts = [
        f"# 中文版 of {notebook}: {what} (scripts/translate.py).\n",
        "# `hash` is the English text this translation was made from; `zh` is the Chinese text.\n",
        "# An entry with `en` is to do: translate `en` into `zh`, then delete the `en` block.\n",
    ]
    for cell, entry in entries.items():
        parts.append(f"\n{json.dumps(cell)}:\n  hash: {json.dumps(entry['hash'])}\n")
        if "en" in entry:
            parts.append(_block("en", entry["en"]))
        parts.append(_block("zh", entry["zh"]))
    text = "".join(parts)
    back = {str(k): {f: str(v) for f, v in e.items()} for k, e in (yaml.safe_load(text) or {}).items()}
    if back != {k: {f: str(v) for f, v in e.items()} for k, e in entries.items()}:  # pragma: no cover
        raise SystemExit(f"{notebook}: the translation file would not read back as written")
    return text


# --- checking ---------------------------------------------------------------------------------
def _punctuation(char: str) -> bool:
    """CommonMark's punctuation: ASCII punctuation and the Unicode P* categories (，。：（） …)."""
    return bool(char) and (char in string.punctuation or unicodedata.category(char).startswith("P"))


def _blank(char: str) -> bool:
    return not char or char.isspace()


def unclosed_bold(text: str) -> list[str]:
    """The ``**bold**`` spans of ``text`` that Markdown (CommonMark, as JupyterLab, GitHub and the
    website read it) leaves as literal asterisks: a closing ``**`` after punctuation must be
    followed by a space or punctuation (``**前置内容。**第`` fails, ``**前置内容**。第`` works), and
    an opening ``**`` before punctuation must follow a space or punctuation.

    >>> unclosed_bold("**前置内容。**第 0 章 · **方便**、**关怀** · 看**（拓展）**吧 · **第 4 步：** 排序")
    ['**前置内容。**', '**（拓展）**']
    """
    found = []
    for line in text.split("\n"):
        plain = re.sub(r"`+[^`]*`+", lambda m: "x" * len(m[0]), line)  # code spans hold no emphasis
        runs = [m.start() for m in re.finditer(r"(?<!\*)\*\*(?!\*)", plain)]
        for start, end in zip(runs[::2], runs[1::2], strict=False):
            before, first = plain[start - 1 : start] if start else "", plain[start + 2 : start + 3]
            last, after = plain[end - 1 : end], plain[end + 2 : end + 3]
            opens = not _blank(first) and (not _punctuation(first) or _blank(before) or _punctuation(before))
            closes = not _blank(last) and (not _punctuation(last) or _blank(after) or _punctuation(after))
            if not (opens and closes):
                found.append(line[start : end + 2])
    return found


def _headings(text: str) -> list[tuple[int, str | None]]:
    """(level, badge) of each heading line, outside fenced code."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            title = match.group(2)
            found.append((len(match.group(1)), next((b for b in BADGES if title.endswith(b)), None)))
    return found


def structure_problem(english: str, chinese: str) -> str | None:
    """Why a translation does not keep the English headings (levels and track badges), or None."""
    want, got = _headings(english), _headings(chinese)
    if [level for level, _ in want] != [level for level, _ in got]:
        shown = lambda hs: " ".join("#" * level for level, _ in hs) or "none"  # noqa: E731
        return f"the English has headings {shown(want)}, the translation {shown(got)}"
    for (level, badge), (_, mine) in zip(want, got, strict=True):
        if badge != mine:
            return f"a level-{level} heading must end with {badge or 'no track badge'}, as in the English"
    for marks in ("<!-- time --><!-- /time -->", "<!-- times --><!-- /times -->"):
        if tracks.strip_times(english).count(marks) != tracks.strip_times(chinese).count(marks):
            return f"keep {marks} where the English has it: the build writes the study time there"
    return None


def _english(root: Path, notebook: str):
    """The English notebook, or a page as a notebook of its sections (None if it is not there)."""
    path = root / notebook
    if not path.exists():
        return None
    if is_page(notebook):
        nb = nbformat.v4.new_notebook()
        for key, text in page_sections(path.read_text(encoding="utf-8")):
            cell = nbformat.v4.new_markdown_cell(text)
            cell.id = key
            nb.cells.append(cell)
        return nb
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


# --- README pages -------------------------------------------------------------------------------
_FENCE = re.compile(r"^\s*(```|~~~)")
_BADGE_LINK = re.compile(
    r"(\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\()"
    r"(?:https://mybinder\.org/v2/gh/[^)\s]*?\?urlpath=lab/tree/|binder:)([^)\s&#]+)(\))"
)


def _slug(title: str) -> str:
    """A section's key from its heading: its English words, lower case, joined by hyphens.

    >>> _slug("Chapter 1 · Customer identification and selection 客户的识别与选择")
    'chapter-1-customer-identification-and-selection'
    >>> _slug("`customers`"), _slug("客户")
    ('customers', 'section')
    """
    for badge in BADGES:
        title = title.replace(badge, "")
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "section"


def page_sections(text: str) -> list[tuple[str, str]]:
    """A markdown page cut into ``(key, text)`` sections, each from a heading (outside fenced code)
    to the next; text before the first heading is the section ``top``. A Binder badge's address
    is written ``binder:<notebook>`` (see "README pages" above); a key that repeats gets ``-2``, ``-3``.

    >>> page_sections("# A page\\n\\nWords.\\n\\n## Data\\n```\\n# not a heading\\n```\\n## Data\\n")
    [('a-page', '# A page\\n\\nWords.'), ('data', '## Data\\n```\\n# not a heading\\n```'), ('data-2', '## Data')]
    """
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in text.split("\n"):
        match = None if fenced else _HEADING.match(line)
        if _FENCE.match(line):
            fenced = not fenced
        if match or not sections:
            sections.append((_slug(match.group(2)) if match else "top", []))
        sections[-1][1].append(line)
    keys: dict[str, int] = {}
    found = []
    for key, lines in sections:
        body = _BADGE_LINK.sub(r"\1binder:\2\3", "\n".join(lines).strip("\n"))
        if not body.strip():
            continue
        keys[key] = keys.get(key, 0) + 1
        found.append((key if keys[key] == 1 else f"{key}-{keys[key]}", body))
    return found


def missing_links(english: str, chinese: str) -> list[str]:
    """The link targets (Binder badges included) of an English section that its translation lacks.

    >>> missing_links("[a](x.ipynb) and [b](y.md)", "[甲](x.ipynb)")
    ['y.md']
    """
    targets = re.compile(r"\]\(([^)\s]+)")
    return [t for t in dict.fromkeys(targets.findall(english)) if t not in targets.findall(chinese)]


def page_badges(text: str, translated: set[str], repo: str) -> str:
    """``text`` with each Binder badge's full address, opening the Chinese twin of a notebook in scope.

    >>> page_badges("[![Binder](https://mybinder.org/badge_logo.svg)](binder:notebooks/a.ipynb)",
    ...             {"notebooks/a.ipynb"}, "o/r")
    '[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/zh/notebooks/a.ipynb)'
    """
    from launch_links import binder_url

    def full(match: re.Match) -> str:
        notebook = match.group(2)
        opened = f"{LANGUAGE}/{notebook}" if notebook in translated else notebook
        return f"{match.group(1)}{binder_url(opened, repo)}{match.group(3)}"

    return _BADGE_LINK.sub(full, text)


def build_page(page: str, root: Path = ROOT) -> str:
    """The Chinese page: each section translated (an untranslated one stays English, as in a
    notebook), links mended from ``zh/``, Chinese track badges, Binder badges opening Chinese twins."""
    from launch_links import repository

    entries = read_translation(translation_file(page, root))
    translated = set(in_scope(root)) | set(pages_in_scope(root))
    repo = repository(root / "pyproject.toml")
    parts = []
    for cell in _english(root, page).cells:
        entry = entries.get(cell.id)
        text = entry["zh"] if entry is not None and entry["zh"].strip() else cell.source
        parts.append(page_badges(tracks.chinese_badges(mend_links(text, page, translated)), translated, repo))
    return "\n\n".join(parts) + "\n"


def _is_course_map(nb) -> bool:
    """True for a course map: its markdown holds the course's total study time, which
    :mod:`tracks` writes from the notebooks it links to."""
    return nb is not None and any("<!-- times -->" in c.source for c in nb.cells if c.cell_type == "markdown")


def translation_problems(notebook: str, root: Path = ROOT) -> list[Problem]:
    """Missing, stale, unfinished and unused translations of one English notebook."""
    nb = _english(root, notebook)
    if nb is None:
        return [
            Problem(
                notebook,
                None,
                "missing",
                f"the English notebook is not there (listed in {_rel(scope_file(root), root)})",
            )
        ]
    path = translation_file(notebook, root)
    entries = read_translation(path)
    if not entries and not path.exists():
        return [
            Problem(
                notebook,
                None,
                "missing",
                f"no translation file {_rel(path, root)} (run: scripts/translate.py update {notebook})",
            )
        ]
    problems, seen = [], set()
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        seen.add(cell.id)
        entry = entries.get(cell.id)
        if entry is None:
            problems.append(Problem(notebook, cell.id, "missing", f"not translated: {_first_line(cell.source)}"))
        elif entry["hash"] != cell_hash(notebook, cell.source):
            problems.append(
                Problem(notebook, cell.id, "stale", f"the English cell changed: {_first_line(cell.source)}")
            )
        elif "en" in entry or not entry["zh"].strip():
            problems.append(Problem(notebook, cell.id, "todo", f"awaiting its translation: {_first_line(cell.source)}"))
        else:
            problem = structure_problem(cell.source, entry["zh"])
            if problem:
                problems.append(Problem(notebook, cell.id, "structure", problem))
            elif unclosed_bold(entry["zh"]):
                shown = ", ".join(unclosed_bold(entry["zh"]))
                problems.append(
                    Problem(notebook, cell.id, "bold", f"shows its asterisks (put punctuation outside **…**): {shown}")
                )
            elif is_page(notebook) and missing_numbers(cell.source, entry["zh"]):
                shown = ", ".join(missing_numbers(cell.source, entry["zh"]))
                problems.append(Problem(notebook, cell.id, "numbers", f"the translation drops {shown} of the English"))
            elif is_page(notebook) and missing_links(cell.source, entry["zh"]):
                shown = ", ".join(missing_links(cell.source, entry["zh"]))
                problems.append(Problem(notebook, cell.id, "links", f"the translation drops the links to {shown}"))
    for cell in entries.keys() - seen:
        problems.append(Problem(notebook, cell, "unused", "no such markdown cell in the English notebook any more"))
    return problems


_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def sentence_catalogue_file(root: Path = ROOT) -> Path:
    return root / "crmlib" / "locale" / LANGUAGE / "LC_MESSAGES" / "notebooks.po"


def _code(source: str):
    """The syntax tree of a code cell, its IPython magics (``%…``, ``!…``) left out; None if it does not parse."""
    kept = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        return ast.parse(kept)
    except SyntaxError:
        return None


def _placeholders(text: str) -> list[str]:
    return sorted({name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name})


def printed_sentences(source: str) -> tuple[list[str], list[str], int]:
    """What a code cell prints: the literal sentences of its ``say(...)`` calls, the English text of
    its ``print(...)`` calls (a literal or f-string with English words), and the number of
    ``say`` calls whose sentence is not a literal text.

    >>> printed_sentences('say("Orders: {n}", n=3)\\nprint("Total:", 5)\\nprint(f"{x}: {y}")')
    (['Orders: {n}'], ['Total:'], 0)
    """
    tree = _code(source)
    said, printed, unreadable = [], [], 0
    for node in ast.walk(tree) if tree is not None else []:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id == "say":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                said.append(first.value)
            else:
                unreadable += 1
        elif node.func.id == "print":
            for arg in node.args:
                parts = arg.values if isinstance(arg, ast.JoinedStr) else [arg]
                words = "".join(p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str))
                if _ENGLISH_WORD.search(words):
                    printed.append(words)
    return said, printed, unreadable


def sentence_problems(notebook: str, root: Path = ROOT) -> list[Problem]:
    """Sentences a notebook prints in English only: ``say`` without a Chinese entry, ``print`` of English."""
    from crmlib.messages import read_catalogue

    nb = _english(root, notebook)
    source = sentence_catalogue_file(root)
    catalogue = read_catalogue(source.read_text(encoding="utf-8")) if source.exists() else {}
    where = _rel(source, root)
    problems = []
    for cell in nb.cells if nb is not None else []:
        if cell.cell_type != "code":
            continue
        said, printed, unreadable = printed_sentences(cell.source)
        for sentence in said:
            if sentence not in catalogue:
                problems.append(Problem(notebook, cell.id, "sentence", f"no Chinese in {where}: {sentence!r}"))
            elif _placeholders(catalogue[sentence]) != _placeholders(sentence):
                problems.append(
                    Problem(notebook, cell.id, "sentence", f"the Chinese has other {{placeholders}}: {sentence!r}")
                )
        for text in printed:
            problems.append(
                Problem(notebook, cell.id, "print", f"prints English, use say(...) so it can be translated: {text!r}")
            )
        if unreadable:
            problems.append(
                Problem(notebook, cell.id, "sentence", "say(...) needs its sentence as a literal text, not a variable")
            )
    return problems


def check(notebooks: list[str], root: Path = ROOT) -> list[Problem]:
    """Every problem of these notebooks, including a Chinese notebook that differs from a fresh build."""
    problems = []
    for notebook in notebooks:
        found = translation_problems(notebook, root) + sentence_problems(notebook, root)
        problems += found
        if _english(root, notebook) is None:
            continue
        built = edition_file(notebook, root)
        if not built.exists() or built.read_text(encoding="utf-8") != built_text(notebook, root):
            problems.append(
                Problem(
                    notebook,
                    None,
                    "unbuilt",
                    f"{_rel(built, root)} is not a fresh build (run: scripts/translate.py build)",
                )
            )
    scoped = {edition_file(n, root) for n in notebooks}
    for pattern, scope in (("*.ipynb", in_scope(root)), ("*.md", pages_in_scope(root))):
        if not set(scope) <= set(notebooks) or not (root / LANGUAGE).exists():
            continue  # a check of some files only: a stray twin is not theirs to name
        for extra in sorted((root / LANGUAGE).rglob(pattern)):
            if extra not in scoped and ".ipynb_checkpoints" not in extra.parts:
                problems.append(
                    Problem(_rel(extra, root), None, "unused", f"not in {_rel(scope_file(root), root)}; delete it")
                )
    return problems


# --- exercise sets -------------------------------------------------------------------------------
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def set_translation_file(exercise_set: str, root: Path = ROOT) -> Path:
    """``crmlib/exercise_sets/start_here.py`` -> ``crmlib/exercise_sets/zh/start_here.yml``."""
    path = Path(exercise_set)
    return root / path.parent / LANGUAGE / f"{path.stem}.yml"


def set_texts(exercise_set: str) -> dict[str, str] | None:
    """``{"<exercise>.<field>": English text}`` of every exercise of a set, in the set's order
    (None if there is no such set). The set is imported from crmlib, as the course runs it."""
    import importlib

    from crmlib.exercises import Exercise, english_fields

    path = Path(exercise_set)
    if path.parent.as_posix() != "crmlib/exercise_sets" or path.suffix != ".py":
        return None
    try:
        module = importlib.import_module(f"crmlib.exercise_sets.{path.stem}")
    except ModuleNotFoundError:
        return None
    texts = {}
    for name in getattr(module, "__all__", []):
        exercise = getattr(module, name, None)
        if isinstance(exercise, Exercise):
            texts.update({f"{name}.{field}": text for field, text in english_fields(exercise).items()})
    return texts


def missing_numbers(english: str, chinese: str) -> list[str]:
    """The numbers of the English text that its translation does not show.

    >>> missing_numbers("at least 500 yuan, 0 decimals", "至少 500 元")
    ['0']
    """
    return [n for n in dict.fromkeys(_NUMBER.findall(english)) if n not in _NUMBER.findall(chinese)]


def set_problems(exercise_set: str, root: Path = ROOT, texts: dict[str, str] | None = None) -> list[Problem]:
    """Missing, stale, unfinished and unused translations of one exercise set, by exercise and field."""
    texts = set_texts(exercise_set) if texts is None else texts
    if texts is None:
        return [
            Problem(exercise_set, None, "missing", f"no such exercise set (listed in {_rel(scope_file(root), root)})")
        ]
    path = set_translation_file(exercise_set, root)
    if not path.exists():
        return [
            Problem(
                exercise_set,
                None,
                "missing",
                f"no translation file {_rel(path, root)} (run: scripts/translate.py update {exercise_set})",
            )
        ]
    entries = read_translation(path)
    problems = []
    for key, english in texts.items():
        entry = entries.get(key)
        if entry is None:
            problems.append(Problem(exercise_set, key, "missing", f"not translated: {_first_line(english)}"))
        elif entry["hash"] != crmlib_exercises().text_hash(english):
            problems.append(Problem(exercise_set, key, "stale", f"the English text changed: {_first_line(english)}"))
        elif "en" in entry or not entry["zh"].strip():
            problems.append(Problem(exercise_set, key, "todo", f"awaiting its translation: {_first_line(english)}"))
        elif missing_numbers(english, entry["zh"]):
            shown = ", ".join(missing_numbers(english, entry["zh"]))
            problems.append(Problem(exercise_set, key, "numbers", f"the translation drops {shown} of the English"))
    for key in sorted(entries.keys() - texts.keys()):
        problems.append(Problem(exercise_set, key, "unused", "no such exercise text in the set any more"))
    return problems


def update_set(exercise_set: str, root: Path = ROOT) -> int:
    """Write an exercise set's to-do into its translation file, as :func:`update` does for a notebook."""
    texts = set_texts(exercise_set)
    if texts is None:
        raise SystemExit(f"{exercise_set}: no such exercise set")
    path = set_translation_file(exercise_set, root)
    old = read_translation(path)
    entries, todo = {}, 0
    for key, english in texts.items():
        entry, digest = old.get(key), crmlib_exercises().text_hash(english)
        if entry is not None and entry["hash"] == digest and "en" not in entry and entry["zh"].strip():
            entries[key] = {"hash": digest, "zh": entry["zh"]}
        else:
            entries[key] = {"hash": digest, "en": english, "zh": entry["zh"] if entry else ""}
            todo += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_translation(exercise_set, entries), encoding="utf-8")
    return todo


def crmlib_exercises():
    """crmlib.exercises (imported when an exercise set is checked; a notebook check needs no crmlib)."""
    from crmlib import exercises

    return exercises


def _first_line(text: str) -> str:
    line = next((x.strip() for x in text.splitlines() if x.strip()), "(empty)")
    return line if len(line) <= 70 else line[:67] + "..."


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


# --- updating (the translator's to-do) --------------------------------------------------------
def update(notebook: str, root: Path = ROOT) -> int:
    """Write the to-do into the translation file: new and changed cells get ``en`` and the new hash.

    A stale entry keeps its old Chinese text, so the translator edits it rather than starting over.
    Entries of cells no longer in the notebook are dropped. Returns the number of cells to do.
    """
    nb = _english(root, notebook)
    if nb is None:
        raise SystemExit(f"{notebook}: no such English notebook")
    path = translation_file(notebook, root)
    old = read_translation(path)
    entries, todo = {}, 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        entry = old.get(cell.id)
        digest = cell_hash(notebook, cell.source)
        if entry is not None and entry["hash"] == digest and "en" not in entry and entry["zh"].strip():
            entries[cell.id] = {"hash": digest, "zh": entry["zh"]}
        else:
            english = _english_text(notebook, cell.source)
            entries[cell.id] = {"hash": digest, "en": english, "zh": entry["zh"] if entry else ""}
            todo += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_translation(notebook, entries), encoding="utf-8")
    return todo


# --- building ---------------------------------------------------------------------------------
def mend_links(text: str, notebook: str, translated: set[str]) -> str:
    """Relative links of a translated cell of ``notebook``, pointed at what exists in the edition.

    A link to a translated notebook stays (zh/ mirrors the paths); any other repository file is
    reached from zh/ by going back to the English one, or to its Chinese counterpart page.

    >>> mend_links("[a](00_overview/x.ipynb) [b](../README.md) [c](https://a.b)", "notebooks/m.ipynb", set())
    '[a](../../notebooks/00_overview/x.ipynb) [b](../../README.zh.md) [c](https://a.b)'
    >>> mend_links("[a](00_overview/x.ipynb#top)", "notebooks/m.ipynb", {"notebooks/00_overview/x.ipynb"})
    '[a](00_overview/x.ipynb#top)'
    """
    here = posixpath.dirname(notebook)

    def mend(match: re.Match) -> str:
        target = match.group(2)
        if _URL.match(target) or target.startswith("/"):
            return match.group(0)
        repo_path = posixpath.normpath(posixpath.join(here, target))
        if repo_path in translated or f"{repo_path}/README.md" in translated:  # a file, or a folder's page
            return match.group(0)
        repo_path = COUNTERPARTS.get(repo_path, repo_path)
        new = posixpath.relpath(repo_path, posixpath.join(LANGUAGE, here))
        return f"{match.group(1)}{new}{match.group(3)}"

    return _LINK.sub(mend, text)


def build_notebook(notebook: str, root: Path = ROOT):
    """The Chinese notebook: English code cells as they are, markdown cells translated.

    A cell without a usable translation (missing, or to do) stays English, a stale one keeps its
    old Chinese; ``check`` reports both, so a build is never mistaken for a finished edition.
    """
    nb = _english(root, notebook)
    entries = read_translation(translation_file(notebook, root))
    translated = set(in_scope(root))
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if cell.cell_type == "code" and not any(c.cell_type == "code" for c in cells):
            language = nbformat.v4.new_code_cell(LANGUAGE_CELL)
            language.id = LANGUAGE_CELL_ID
            language.metadata = {"slideshow": {"slide_type": "skip"}, "tags": ["zh-language"]}
            cells.append(language)
        if cell.cell_type == "markdown":
            entry = entries.get(cell.id)
            if entry is not None and entry["zh"].strip():
                cell.source = entry["zh"]
            cell.source = tracks.chinese_badges(mend_links(tracks.strip_times(cell.source), notebook, translated))
        cells.append(cell)
    out.cells = cells
    # the notebook's own time line, and in a course map the times of the notebooks it links to
    out = tracks.write_times(out, edition_file(notebook, root).parent, LANGUAGE)
    return out


def notebook_text(nb) -> str:
    """The notebook as Jupyter writes it to disk."""
    return nbformat.writes(nb, version=nbformat.NO_CONVERT) + "\n"


def built_text(path: str, root: Path = ROOT) -> str:
    """The text of the Chinese twin of the English notebook or page ``path``, freshly built."""
    return build_page(path, root) if is_page(path) else notebook_text(build_notebook(path, root))


def build(notebook: str, root: Path = ROOT) -> bool:
    """Write zh/<notebook> (a notebook or a page); True if the file changed."""
    path = edition_file(notebook, root)
    text = built_text(notebook, root)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


# --- command line -----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["check", "update", "build"])
    parser.add_argument(
        "notebooks", nargs="*", help="English notebooks, pages and sets (default: those in translations/zh/scope.txt)"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    given = [_normal(n, root) for n in args.notebooks]
    notebooks = [n for n in given if not n.endswith(".py")] if given else in_scope(root) + pages_in_scope(root)
    sets = [n for n in given if n.endswith(".py")] if given else sets_in_scope(root)
    if args.command == "update":
        for notebook in notebooks:
            todo = update(notebook, root)
            print(f"{_rel(translation_file(notebook, root), root)}: {todo} cell(s) to translate")
        for exercise_set in sets:
            todo = update_set(exercise_set, root)
            print(f"{_rel(set_translation_file(exercise_set, root), root)}: {todo} text(s) to translate")
        return 0
    if args.command == "build":
        # A course map takes the times of a translated notebook from its Chinese twin: build it last.
        for notebook in sorted(notebooks, key=lambda n: _is_course_map(_english(root, n))):
            if _english(root, notebook) is not None and build(notebook, root):  # (check names a missing one)
                print(f"wrote {_rel(edition_file(notebook, root), root)}")
    problems = check(notebooks, root) if notebooks or not given else []
    problems += [p for exercise_set in sets for p in set_problems(exercise_set, root)]
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} translation problem(s) in {len({p.notebook for p in problems})} file(s); "
            "see scripts/translate.py for how to fix them"
        )
        return 1
    if args.command == "check":
        pages = sum(map(is_page, notebooks))
        print(
            f"{len(notebooks) - pages} notebook(s), {pages} page(s) and {len(sets)} exercise set(s) in scope: "
            "every translation is there and up to date"
        )
    return 0


def _normal(path: str, root: Path) -> str:
    """A notebook argument as a repository path (accepts a path from the current folder)."""
    full = Path(path).resolve()
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else Path(path).as_posix()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Write the student edition of the course: every notebook without its solutions.

    python scripts/make_student.py [--out build/student]

Every notebook under ``notebooks/`` and ``casestudies/`` is copied to the same relative path
under the output folder, with

* each cell tagged ``solution`` replaced by a short placeholder: a code solution becomes a code
  cell ``# Your turn: …``; a markdown cell tagged ``solution`` (instructor notes, model answers)
  becomes a markdown cell ``*Instructor notes are in the instructor edition.*``. The placeholder
  keeps the cell's id and its metadata other than the ``solution`` tag;
* all outputs and execution counts stripped;
* everything else unchanged.

The other files of those folders (the case README.md files, images, …) are copied as they are.
The output folder is emptied first, and the output is deterministic: the same sources give the
same bytes. Needs only the standard library and nbformat.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("notebooks", "casestudies")
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".pytest_cache"}
SOLUTION_TAG = "solution"
CODE_PLACEHOLDER = "# Your turn: write your solution above, then run the check cell."
MARKDOWN_PLACEHOLDER = "*Instructor notes are in the instructor edition.*"


def is_solution(cell) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def placeholder(cell):
    """The student's stand-in for a solution cell (same id, metadata without the solution tag)."""
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k != "tags"}
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t != SOLUTION_TAG]
    if tags:
        metadata["tags"] = tags
    if cell.cell_type == "code":
        new = nbformat.v4.new_code_cell(CODE_PLACEHOLDER, metadata=metadata)
    else:
        new = nbformat.v4.new_markdown_cell(MARKDOWN_PLACEHOLDER, metadata=metadata)
    if "id" in cell:
        new["id"] = cell["id"]
    else:
        new.pop("id", None)
    return new


def student_notebook(nb):
    """The student copy of a notebook node (a new node; ``nb`` is not modified)."""
    nb = nbformat.from_dict(nb)  # a deep copy
    cells = []
    for cell in nb.cells:
        if is_solution(cell):
            cell = placeholder(cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb


def source_files(root: Path = ROOT):
    """Every file under the source folders, as paths relative to ``root``, in a fixed order."""
    files = []
    for folder in SOURCES:
        for path in (root / folder).rglob("*"):
            rel = path.relative_to(root)
            if path.is_file() and not SKIP_PARTS & set(rel.parts):
                files.append(rel)
    return sorted(files, key=lambda p: p.as_posix())


def build(out: Path, root: Path = ROOT) -> dict:
    """Write the student edition into ``out``; returns counts of what was written."""
    out = out.resolve()
    if out == root or out in root.parents or any(out == root / s or root / s in out.parents for s in SOURCES):
        raise SystemExit(f"refusing to write the student edition into {out}")
    if out.exists():
        shutil.rmtree(out)
    counts = {"notebooks": 0, "solutions replaced": 0, "other files": 0}
    for rel in source_files(root):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (root / rel).exists():  # removed while we ran (another process's temporary file)
            continue
        if rel.suffix == ".ipynb":
            nb = nbformat.read(root / rel, as_version=4)
            counts["solutions replaced"] += sum(map(is_solution, nb.cells))
            student = student_notebook(nb)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                nbformat.write(student, fh)
            counts["notebooks"] += 1
        else:
            shutil.copyfile(root / rel, target)
            counts["other files"] += 1
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student", help="output folder (emptied first)")
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(f"student edition in {args.out}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Give every cell of the chapter notebooks a slide type, for reveal.js decks and RISE.

    python scripts/add_slide_metadata.py [--check] [NOTEBOOK_OR_FOLDER ...]   (default: notebooks/)

(The Chinese notebooks under zh/ carry their English cells' slide types: check them with
``--check zh/notebooks``; never write there, scripts/translate.py builds zh/.)

Sets ``metadata.slideshow.slide_type`` of every cell:

* a cell tagged ``solution`` → ``"skip"`` (solutions are not shown in class), and so is the
  Chinese edition's language cell (tag ``zh-language``, written by scripts/translate.py);
* a markdown cell whose source starts with a ``## `` heading → ``"slide"``;
* a markdown cell whose source starts with a ``### `` heading → ``"subslide"``;
* any other cell → ``"-"`` (continues the current slide).

Only the slide type is touched: sources, outputs, ids and other metadata stay as they are.
Idempotent: a second run changes nothing (a file is rewritten only when a slide type changed).
Prints the notebooks it changed. With ``--check`` it writes nothing, lists the notebooks that
would change and exits with status 1 if there are any (for CI or ``make slides``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


SKIPPED_TAGS = {"solution", "zh-language"}


def slide_type(cell) -> str:
    if SKIPPED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
        return "skip"
    if cell.cell_type == "markdown":
        first = cell.source.lstrip("\n")
        if first.startswith("## "):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def add_slide_metadata(nb) -> bool:
    """Set the slide type of every cell of ``nb`` in place; True if anything changed."""
    changed = False
    for cell in nb.cells:
        wanted = slide_type(cell)
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") != wanted:
            slideshow["slide_type"] = wanted
            changed = True
    return changed


def notebooks(args: list[str]) -> list[Path]:
    paths = [Path(a) for a in args] or [ROOT / "notebooks"]
    found = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
        else:
            found.append(path)
    return sorted(found)


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    stale = []
    for path in notebooks([a for a in args if a != "--check"]):
        nb = nbformat.read(path, as_version=4)
        if add_slide_metadata(nb):
            stale.append(path)
            if check:
                print(f"slide types missing or stale: {path} (run scripts/add_slide_metadata.py)")
            else:
                with open(path, "w", encoding="utf-8", newline="\n") as fh:
                    nbformat.write(nb, fh)
                print(f"slide types set: {path}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The two paths through a notebook: **core** and **analytics** sections.

    python scripts/tracks.py NOTEBOOK...      list each notebook's sections with their track

The convention, machine-readable and visible:

* A section starts at a markdown cell whose first line is a heading (``#`` … ``######``) and
  runs until the next heading of the same or a higher level (as many ``#`` or fewer). A deeper
  heading inside it opens a subsection.
* Its track is in the heading cell's metadata, ``"crm": {"track": "core"}`` or
  ``"crm": {"track": "analytics"}``. An unmarked subsection takes the track of the section it is
  in; a mark on the title (``#``) cell is the default for the whole notebook.
* The heading line shows the same track as a badge at its end: ``**[Core]**`` or
  ``**[Analytics]**``, e.g. ``## 9. Who brings the money in? **[Analytics]**``. A badge without
  the metadata, or the other way round, is a mistake (:func:`mark_problems`).
* Cells before the first heading belong to no section and are always kept; so is the title
  section (a first ``#`` heading), which needs no mark of its own. A core section may
  not sit inside an analytics section (dropping the outer one would cut it off).

A core-only notebook (:func:`core_notebook`) keeps the core sections and drops the analytics
ones with all their cells, code included; so everything a core section needs (imports, loading
the data, the exercise set) must be set up in a core section. Sections without any mark count
as core; :func:`is_marked` tells whether a notebook is marked throughout.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

TRACKS = ("core", "analytics")
BADGES = {"core": "**[Core]**", "analytics": "**[Analytics]**"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


class Section(NamedTuple):
    """One section of a notebook: cells ``start`` to ``stop`` (exclusive), with its heading."""

    start: int
    stop: int
    level: int
    title: str
    track: str | None  # "core", "analytics", or None if neither it nor a section around it is marked
    mark: str | None  # the mark in this heading cell's own metadata


def heading(cell) -> tuple[int, str] | None:
    """``(level, text)`` of a markdown cell that opens with a heading, else None."""
    if cell.cell_type != "markdown":
        return None
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    match = _HEADING.match(first)
    return (len(match.group(1)), match.group(2)) if match else None


def own_mark(cell) -> str | None:
    crm = cell.get("metadata", {}).get("crm", {})
    return crm.get("track") if isinstance(crm, dict) else None


def sections(nb) -> list[Section]:
    """Every section (one per heading cell), in order, with its track."""
    heads = [(i, *h) for i, c in enumerate(nb.cells) if (h := heading(c))]
    found: list[Section] = []
    for k, (i, level, title) in enumerate(heads):
        stop = next((j for j, lv, _ in heads[k + 1 :] if lv <= level), len(nb.cells))
        mark = own_mark(nb.cells[i])
        track = mark
        if track is None:  # inherit from the nearest enclosing section
            enclosing = [s for s in found if s.start < i < s.stop and s.level < level]
            track = enclosing[-1].track if enclosing else None
        found.append(Section(i, stop, level, title, track, mark))
    return found


def cell_tracks(nb) -> list[str | None]:
    """The track of every cell: that of the innermost section holding it ("core" before any heading)."""
    tracks: list[str | None] = ["core"] * len(nb.cells)
    for section in sections(nb):  # outer sections come first, inner ones overwrite
        tracks[section.start : section.stop] = [section.track] * (section.stop - section.start)
    return tracks


def is_marked(nb) -> bool:
    """Whether every section has a track (its own or inherited); the notebook's title section
    (a first heading of level 1) needs none, like the cells before any heading."""
    found = sections(nb)
    if found and found[0].level == 1:
        found = found[1:]
    return all(s.track is not None for s in found)


def mark_problems(nb) -> list[str]:
    """What is wrong with a notebook's marks (empty: nothing)."""
    problems = []
    all_sections = sections(nb)
    for i, cell in enumerate(nb.cells):
        mark = own_mark(cell)
        if mark is not None and heading(cell) is None:
            problems.append(f"cell {i}: a track mark on a cell that does not open with a heading")
    for s in all_sections:
        text = s.title
        shown = [t for t, badge in BADGES.items() if text.endswith(badge)]
        if s.mark is not None and s.mark not in TRACKS:
            problems.append(f"cell {s.start} ({text!r}): unknown track {s.mark!r}; use one of {list(TRACKS)}")
        elif s.mark is not None and shown != [s.mark]:
            problems.append(
                f"cell {s.start} ({text!r}): marked {s.mark!r}, so the heading must end with {BADGES[s.mark]}"
            )
        elif s.mark is None and shown:
            problems.append(
                f"cell {s.start} ({text!r}): the badge {BADGES[shown[0]]} needs the metadata "
                f'"crm": {{"track": "{shown[0]}"}}'
            )
        outer = [o for o in all_sections if o.start < s.start < o.stop and o.level < s.level]
        if s.track == "core" and outer and outer[-1].track == "analytics":
            problems.append(
                f"cell {s.start} ({text!r}): a core section inside the analytics section {outer[-1].title!r}"
            )
    return problems


def core_notebook(nb):
    """The core path of a notebook: a copy without the analytics sections (unmarked ones count as core)."""
    nb = nbformat.from_dict(nb)
    keep = [t != "analytics" for t in cell_tracks(nb)]
    nb.cells = [c for c, k in zip(nb.cells, keep, strict=True) if k]
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failed = False
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        print(path)
        for s in sections(nb):
            print(f"  {'  ' * (s.level - 1)}{s.track or 'unmarked':<9} {s.title}")
        for problem in mark_problems(nb):
            failed = True
            print(f"  problem: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

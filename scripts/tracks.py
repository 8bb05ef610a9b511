#!/usr/bin/env python3
"""The two paths through a notebook: **core** and **analytics** sections.

    python scripts/tracks.py NOTEBOOK...      list each notebook's sections with their track
    python scripts/tracks.py --times NOTEBOOK...      the study time of each path
    python scripts/tracks.py --course-map notebooks/course_map.ipynb
                                              write both paths' times into the course map
    python scripts/tracks.py --write-times    write the times into the course map and into
                                              every notebook's "Time needed" line

The convention, machine-readable and visible:

* A section starts at a markdown cell whose first line is a heading (``#`` … ``######``) and
  runs until the next heading of the same or a higher level (as many ``#`` or fewer). A deeper
  heading inside it opens a subsection.
* Its track is in the heading cell's metadata, ``"crm": {"track": "core"}`` or
  ``"crm": {"track": "analytics"}``. An unmarked subsection takes the track of the section it is
  in; a mark on the title (``#``) cell is the default for the whole notebook.
* The heading line shows the same track as a badge at its end: ``**[Core]**`` or
  ``**[Analytics]**``, e.g. ``## 9. Who brings the money in? **[Analytics]**``. A badge without
  the metadata, or the other way round, is a mistake (:func:`mark_problems`). A notebook of the
  Chinese edition (``zh/``, tagged by its ``zh-language`` cell) shows ``**[核心]**`` and
  ``**[拓展分析]**`` instead (:data:`BADGES_ZH`): its translation keeps the English badge and
  ``scripts/translate.py build`` writes the Chinese one (:func:`chinese_badges`), so a translator
  never types it.
* Cells before the first heading belong to no section and are always kept; so is the title
  section (a first ``#`` heading), which needs no mark of its own. A core section may
  not sit inside an analytics section (dropping the outer one would cut it off).

Study time (:func:`study_minutes`) is an estimate for a reader in her second language: prose at
80 words a minute (a Chinese character counts as half a word), half a minute to run and look at
each code cell, 3 minutes per data exercise and 1.5 minutes per concept check; solution cells are
not counted. The course map shows it for both paths, rounded up to 5 minutes, and so does each
notebook's own "Time needed" line, written between ``<!-- time -->`` and ``<!-- /time -->``
(:func:`write_times`, :func:`update_course_map`; a test keeps both in step, so a notebook never
promises a time the map contradicts).

A core-only notebook (:func:`core_notebook`) keeps the core sections and drops the analytics
ones with all their cells, code included; so everything a core section needs (imports, loading
the data, the exercise set) must be set up in a core section. Sections without any mark count
as core; :func:`is_marked` tells whether a notebook is marked throughout.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import math
import re
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

_ROOT = Path(__file__).resolve().parents[1]
TRACKS = ("core", "analytics")
BADGES = {"core": "**[Core]**", "analytics": "**[Analytics]**"}
#: The badges of the Chinese edition (the course map glosses Analytics as 拓展分析).
BADGES_ZH = {"core": "**[核心]**", "analytics": "**[拓展分析]**"}
LANGUAGE_TAG = "zh-language"  # the tag of the cell that switches a Chinese notebook to Chinese
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")

WORDS_PER_MINUTE = 80
CODE_CELL_MINUTES = 0.5
DATA_EXERCISE_MINUTES = 3.0
CONCEPT_CHECK_MINUTES = 1.5
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.,-][A-Za-z0-9]+)*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CHECK = re.compile(r"^\s*ex\.(\w+)\.check\(", re.MULTILINE)
_EXERCISE_SET = re.compile(r"^from crmlib\.exercise_sets import (\w+) as ex$", re.MULTILINE)


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


def badges(nb) -> dict[str, str]:
    """The badges a notebook's headings carry: :data:`BADGES_ZH` in a notebook of the Chinese
    edition (one of its cells is tagged ``zh-language``), :data:`BADGES` otherwise."""
    chinese = any(LANGUAGE_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    return BADGES_ZH if chinese else BADGES


_ENGLISH_BADGE = re.compile(r"\*\*\[(Core|Analytics)\]\*\*(（(?:核心|拓展分析)）)?")


def chinese_badges(text: str) -> str:
    """``text`` with the Chinese badges in place of the English ones. A gloss right after a badge
    that only repeats its Chinese name is dropped; a space then keeps the bold closing before
    the next character (Markdown does not end ``**`` between a bracket and a letter).

    >>> chinese_badges("## 1. 准备 **[Core]**\n- **[Analytics]**（拓展分析）部分讲得更深")
    '## 1. 准备 **[核心]**\n- **[拓展分析]** 部分讲得更深'
    """

    def swap(match: re.Match) -> str:
        badge = BADGES_ZH[match[1].lower()]
        gloss = match[2]
        if gloss is not None and gloss[1:-1] != badge[3:-3]:
            return badge + gloss
        following = match.string[match.end() : match.end() + 1]
        return badge + " " if gloss is not None and following and not following.isspace() else badge

    return _ENGLISH_BADGE.sub(swap, text)


def mark_problems(nb) -> list[str]:
    """What is wrong with a notebook's marks (empty: nothing); a Chinese notebook needs the
    Chinese badges (:func:`badges`)."""
    shown_badges = badges(nb)
    problems = []
    all_sections = sections(nb)
    for i, cell in enumerate(nb.cells):
        mark = own_mark(cell)
        if mark is not None and heading(cell) is None:
            problems.append(f"cell {i}: a track mark on a cell that does not open with a heading")
    for s in all_sections:
        text = s.title
        shown = [t for t, badge in shown_badges.items() if text.endswith(badge)]
        if s.mark is not None and s.mark not in TRACKS:
            problems.append(f"cell {s.start} ({text!r}): unknown track {s.mark!r}; use one of {list(TRACKS)}")
        elif s.mark is not None and shown != [s.mark]:
            problems.append(
                f"cell {s.start} ({text!r}): marked {s.mark!r}, so the heading must end with {shown_badges[s.mark]}"
            )
        elif s.mark is None and shown:
            problems.append(
                f"cell {s.start} ({text!r}): the badge {shown_badges[shown[0]]} needs the metadata "
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


def prose_words(text: str) -> float:
    """Words in ``text`` for the reading-time rule: Latin words and numbers, plus half a word per
    Chinese character.

    >>> prose_words("The 80/20 rule (二八法则) holds.")
    7.0
    """
    return len(_WORD.findall(text)) + len(_CJK.findall(text)) / 2


class StudyTime(NamedTuple):
    """What a path through a notebook asks of a student, and the minutes it takes."""

    words: float
    code_cells: int
    data_exercises: int
    concept_checks: int

    @property
    def minutes(self) -> float:
        return (
            self.words / WORDS_PER_MINUTE
            + self.code_cells * CODE_CELL_MINUTES
            + self.data_exercises * DATA_EXERCISE_MINUTES
            + self.concept_checks * CONCEPT_CHECK_MINUTES
        )


def study_time(nb, track: str = "core") -> StudyTime:
    """The study time of a notebook's core path (``track="core"``) or of all of it (``"all"``)."""
    if track not in ("core", "all"):
        raise ValueError(f"track must be 'core' or 'all', not {track!r}")
    if track == "core":
        nb = core_notebook(nb)
    cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    found = _EXERCISE_SET.search("\n".join(c.source for c in cells if c.cell_type == "code"))
    exercise_set = importlib.import_module(f"crmlib.exercise_sets.{found[1]}") if found else None
    words, code, data, concept = 0.0, 0, 0, 0
    for cell in cells:
        if cell.cell_type == "markdown":
            words += prose_words(cell.source)
        elif cell.cell_type == "code" and not (checked := _CHECK.findall(cell.source)):
            code += 1
        elif cell.cell_type == "code":
            from crmlib.concepts import ConceptCheck

            kinds = [isinstance(getattr(exercise_set, name), ConceptCheck) for name in checked]
            concept, data = concept + sum(kinds), data + len(kinds) - sum(kinds)
    return StudyTime(words, code, data, concept)


def rounded_minutes(minutes: float) -> int:
    """Minutes rounded up to a multiple of 5 (at least 5).

    >>> rounded_minutes(41.2), rounded_minutes(45), rounded_minutes(0)
    (45, 45, 5)
    """
    return max(5, 5 * math.ceil(minutes / 5 - 1e-9))


_MAP_ROW = re.compile(r"^\|\s*\[[^\]]+\]\(([^)#]+\.ipynb)[^)]*\)\s*\|")
_TIME_CELLS = re.compile(r" [^|]*\| [^|]*\|$")
_TOTALS = re.compile(r"(<!-- times -->).*?(<!-- /times -->)", re.DOTALL)
_OWN_TIME = re.compile(r"(<!-- time -->).*?(<!-- /time -->)", re.DOTALL)
#: A notebook's own time line: (one path only, both paths); the sentence's end stays in the prose.
OWN_TIME_TEXT = {
    "en": ("about {core} minutes", "about {core} minutes on the core path, {all} with the analytics sections"),
    "zh": ("约 {core} 分钟", "核心路径约 {core} 分钟，含拓展分析约 {all} 分钟"),
}
TIME_LABELS = {
    "en": ("core path", "everything", "core path about {core} hours, everything about {all} hours", "{minutes} min"),
    "zh": ("核心路径", "全部内容", "核心路径约 {core} 小时，全部内容约 {all} 小时", "{minutes} 分钟"),
}


def _time_tables(lines: list[str]) -> list[tuple[int, int, list[int]]]:
    """(header, separator, rows) of every table whose rows link to notebooks."""
    tables = []
    for i in range(1, len(lines)):
        if re.match(r"^\|(-+\|)+$", lines[i]) and lines[i - 1].startswith("|"):
            rows = []
            for j in range(i + 1, len(lines)):
                if not lines[j].startswith("|"):
                    break
                rows.append(j)
            if rows and all(_MAP_ROW.match(lines[j]) for j in rows):
                tables.append((i - 1, i, rows))
    return tables


def strip_times(text: str) -> str:
    """A cell without what :func:`write_times` adds (the course map's two time columns and totals,
    a notebook's own time), so that a translation is keyed to the words, not to times that move
    with every edit.

    >>> strip_times("| notebook | core path | everything |\\n|---|---|---|\\n| [a](a.ipynb) | 5 min | 9 min |")
    '| notebook |\\n|---|\\n| [a](a.ipynb) |'
    >>> strip_times("**Time needed:** <!-- time -->about 40 minutes<!-- /time -->.")
    '**Time needed:** <!-- time --><!-- /time -->.'
    """
    lines = text.split("\n")
    for header, separator, rows in _time_tables(lines):
        if lines[header].count("|") < 4:
            continue
        for j in (header, *rows):
            lines[j] = _TIME_CELLS.sub("", lines[j])
        lines[separator] = "|---" * (lines[header].count("|") - 1) + "|"
    return _OWN_TIME.sub(r"\1\2", _TOTALS.sub(r"\1\2", "\n".join(lines)))


def _without_times(nb):
    """``nb`` (changed in place) without the times :func:`write_times` writes, so that they do not
    count as words to read."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = strip_times(cell.source)
    return nb


def path_minutes(nb) -> dict[str, int]:
    """The study time of each path of ``nb`` in minutes, rounded up to 5, as the course shows it
    (the times written into ``nb`` itself are not words to read).

    >>> path_minutes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("word " * 500)]))
    {'core': 10, 'all': 10}
    """
    nb = _without_times(copy.deepcopy(nb))
    return {t: rounded_minutes(study_time(nb, t).minutes) for t in ("core", "all")}


def write_times(nb, base: Path, language: str = "en"):
    """``nb`` with its study times written in: the notebook's own time for both paths between
    ``<!-- time -->`` and ``<!-- /time -->``, and in a course map each linked notebook's time in
    the last two columns of its tables, the totals between ``<!-- times -->`` and
    ``<!-- /times -->``. Links are read relative to ``base``, the notebook's folder."""
    core_label, all_label, totals_text, minutes = TIME_LABELS[language]
    totals = {"core": 0, "all": 0}
    own = path_minutes(nb)
    one, both = OWN_TIME_TEXT[language]
    own_text = (one if own["core"] == own["all"] else both).format(**own)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        cell.source = _OWN_TIME.sub(lambda m: m[1] + own_text + m[2], strip_times(cell.source))
        lines = cell.source.split("\n")
        for header, separator, rows in _time_tables(lines):
            lines[header] += f" {core_label} | {all_label} |"
            lines[separator] += "---|---|"
            for j in rows:
                target = (base / _MAP_ROW.match(lines[j])[1]).resolve()
                if not target.exists():  # a broken link (test_structure names it): no time to show
                    lines[j] += " – | – |"
                    continue
                times = path_minutes(nbformat.read(target, as_version=4))
                totals = {t: totals[t] + times[t] for t in totals}
                lines[j] += f" {minutes.format(minutes=times['core'])} | {minutes.format(minutes=times['all'])} |"
        cell.source = "\n".join(lines)
    hours = {t: f"{totals[t] / 60:.0f}" for t in totals}
    for cell in nb.cells:
        cell.source = _TOTALS.sub(lambda m: m[1] + totals_text.format(**hours) + m[2], cell.source)
    return nb


def update_course_map(course_map: Path, language: str = "en") -> tuple[str, str]:
    """Write the study times into a notebook file, the course map or any notebook with a time
    line (see :func:`write_times`); returns the old and the new text of its cells."""
    nb = nbformat.read(course_map, as_version=4)
    old = "\n".join(c.source for c in nb.cells)
    new = "\n".join(c.source for c in write_times(nb, course_map.parent, language).cells)
    if new != old:
        nbformat.write(nb, course_map)
    return old, new


def timed_notebooks(root: Path = _ROOT) -> list[Path]:
    """The English notebooks whose text holds study times: every one with a time line, and the
    course map."""
    found = [
        path
        for folder in ("notebooks", "casestudies")
        for path in sorted((root / folder).rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in path.parts and "<!-- time" in path.read_text(encoding="utf-8")
    ]
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--times", action="store_true", help="print each path's study time")
    parser.add_argument("--course-map", action="store_true", help="write the times into the course map")
    parser.add_argument(
        "--write-times", action="store_true", help="write the times into the course map and every notebook's time line"
    )
    args = parser.parse_args(argv)
    if args.write_times:
        args.course_map, args.notebooks = True, args.notebooks or timed_notebooks()
    if not args.notebooks:
        parser.error("name at least one notebook")
    if args.course_map:
        for path in args.notebooks:
            old, new = update_course_map(path)
            print(f"{path}: {'updated' if old != new else 'already up to date'}")
        return 0
    if args.times:
        for path in args.notebooks:
            nb = nbformat.read(path, as_version=4)
            core, full = study_time(nb, "core"), study_time(nb, "all")
            print(
                f"{path}: core {rounded_minutes(core.minutes)} min ({core.words:.0f} words, "
                f"{core.code_cells} code cells, {core.concept_checks} concept checks, "
                f"{core.data_exercises} data exercises); everything {rounded_minutes(full.minutes)} min"
            )
        return 0
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

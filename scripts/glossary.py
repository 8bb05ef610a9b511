#!/usr/bin/env python3
"""The course's one glossary (术语表): ``book/glossary.csv`` -> the key-terms tables and the glossary page.

    python scripts/glossary.py           write book/glossary.md (the glossary page of the website)
    python scripts/glossary.py --check   list key-terms rows that disagree with the glossary; exit 1 if any

``book/glossary.csv`` has one row per term: ``english`` (the term as the key-terms tables write
it), ``chinese`` (the standard term of Chinese vocational CRM textbooks, after
``../shared/terms.md``), ``definition`` (a short meaning) and ``chapter`` (``0``-``5`` where the
course first uses it, or ``cases``). Every "Key terms" table of a notebook, English or Chinese
edition (heading "Key terms" or "关键术语"), lists terms from it: the first column must be a
glossary ``english`` and the second its ``chinese``, exactly. The third column, the meaning, may
be put in the notebook's own words ("meaning in this case"). tests/test_glossary.py checks every
notebook and that the page is up to date; to add or change a term, edit the CSV, the table, and
run this script.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.csv"
PAGE = ROOT / "book" / "glossary.md"
FIELDS = ["english", "chinese", "definition", "chapter"]
CHAPTERS = {
    "0": "0 · What CRM is · 客户关系管理概述",
    "1": "1 · Customer identification and selection · 客户的识别与选择",
    "2": "2 · Customer development · 客户开发与客户拜访",
    "3": "3 · Customer communication · 客户的沟通",
    "4": "4 · Customer information management · 客户信息管理",
    "5": "5 · Customer loyalty · 客户忠诚",
    "cases": "Case studies · 案例研究",
}
NOTEBOOK_FOLDERS = ("notebooks", "casestudies", "zh")
_KEY_TERMS = re.compile(r"^#{1,6}\s.*(Key terms|关键术语)", re.MULTILINE)


def read_glossary(path: Path = GLOSSARY) -> list[dict]:
    """The rows of the glossary; a malformed one stops with its line number."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != FIELDS:
            raise SystemExit(f"{path}: the header must be {','.join(FIELDS)}, got {reader.fieldnames}")
        rows, seen = [], set()
        for line, row in enumerate(reader, start=2):
            if any(not (row[k] or "").strip() for k in FIELDS) or row["chapter"] not in CHAPTERS:
                raise SystemExit(f"{path}:{line}: every field is needed and chapter is one of {list(CHAPTERS)}")
            if row["english"] in seen:
                raise SystemExit(f"{path}:{line}: {row['english']!r} is listed twice")
            seen.add(row["english"])
            rows.append(row)
    return rows


def key_term_rows(nb) -> list[tuple[str, str, str]]:
    """``(cell id, English, 中文)`` of every row of the notebook's key-terms tables."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = _KEY_TERMS.search(cell.source)
        if not match:
            continue
        started = False
        for line in cell.source[match.end() :].splitlines():
            if not line.startswith("|"):
                if started:
                    break
                continue
            started = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or cells[0] == "English" or set(cells[0]) <= set("-: "):
                continue
            found.append((cell.id, cells[0], cells[1]))
    return found


def disagreements(notebooks: list[Path], glossary: list[dict], root: Path = ROOT) -> list[str]:
    """Each key-terms row that is not in the glossary or gives another Chinese term."""
    chinese = {row["english"]: row["chinese"] for row in glossary}
    problems = []
    for path in notebooks:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        for cell, english, zh in key_term_rows(nbformat.read(path, as_version=4)):
            if english not in chinese:
                problems.append(f"{name} cell {cell}: {english!r} is not in book/glossary.csv; add it there")
            elif zh != chinese[english]:
                problems.append(
                    f"{name} cell {cell}: {english!r} is {zh!r} here but {chinese[english]!r} in book/glossary.csv"
                )
    return problems


def course_notebooks(root: Path = ROOT) -> list[Path]:
    found = []
    for folder in NOTEBOOK_FOLDERS:
        found += sorted(p for p in (root / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return found


def page(glossary: list[dict]) -> str:
    """The glossary page: the terms by the chapter that introduces them, in alphabetical order."""
    out = io.StringIO()
    out.write(
        "# Glossary · 术语表\n\n"
        "The course's key terms with their standard Chinese names, by the chapter that introduces\n"
        "them. Every notebook's key-terms table takes its terms from this list, which is kept in\n"
        "`book/glossary.csv`; this page is generated from it by `scripts/glossary.py`.\n"
    )
    for chapter, title in CHAPTERS.items():
        rows = sorted((r for r in glossary if r["chapter"] == chapter), key=lambda r: r["english"].casefold())
        if not rows:
            continue
        out.write(f"\n## {title}\n\n| English | 中文 | meaning |\n|---|---|---|\n")
        for row in rows:
            out.write(f"| {row['english']} | {row['chinese']} | {row['definition']} |\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; write nothing")
    args = parser.parse_args(argv)
    glossary = read_glossary()
    problems = disagreements(course_notebooks(), glossary)
    text = page(glossary)
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            problems.append("book/glossary.md is not up to date: run scripts/glossary.py")
    elif not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
        PAGE.write_text(text, encoding="utf-8")
        print(f"wrote {PAGE.relative_to(ROOT)} ({len(glossary)} terms)")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

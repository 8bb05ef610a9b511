"""The one glossary (book/glossary.csv, scripts/glossary.py): every key-terms table of both editions
takes its English and Chinese terms from it, and the glossary page of the website is made from it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_markdown_cell, new_notebook
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
glossary = load_script("glossary")
TERMS = glossary.read_glossary()


def test_the_glossary_holds_the_course_terms_with_chinese_names():
    assert len(TERMS) >= 250
    by_english = {row["english"]: row for row in TERMS}
    assert by_english["customer lifetime value (CLV)"]["chinese"] == "客户终身价值"
    assert by_english["general account"]["chinese"] == "一般客户"  # terms.md, not 普通客户
    assert (
        by_english["data leakage (in modelling)"]["chinese"] == "数据泄漏"
    )  # the modelling sense, not 数据泄露 (a breach)
    assert all(re.search(r"[\u4e00-\u9fff]", row["chinese"]) for row in TERMS if row["english"] != "AUC")


def test_every_key_terms_table_agrees_with_the_glossary():
    notebooks = glossary.course_notebooks()
    assert any(p.is_relative_to(ROOT / "casestudies") for p in notebooks)
    checked = sum(len(glossary.key_term_rows(nbformat.read(p, as_version=4))) for p in notebooks)
    assert checked >= 300
    assert glossary.disagreements(notebooks, TERMS) == []


def test_the_glossary_page_is_made_from_the_glossary_and_is_in_the_book():
    assert (ROOT / "book" / "glossary.md").read_text(encoding="utf-8") == glossary.page(TERMS), (
        "run .venv/bin/python scripts/glossary.py"
    )
    page = glossary.page(TERMS)
    assert "| customer lifetime value (CLV) | 客户终身价值 |" in page and "## 5 · Customer loyalty" in page
    toc = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    assert "book/glossary" in load_script("make_book").toc_entries(toc)
    assert "book/glossary.md" in load_script("make_book").STAGED


def table(heading: str, rows: list[str]):
    body = "\n".join(["| English | 中文 | meaning |", "|---|---|---|", *rows])
    cell = new_markdown_cell(f"{heading}\n\n{body}\n\nAfter the table.\n\n| not | a key | term |")
    cell.id = "terms"
    return new_notebook(cells=[new_markdown_cell("# A notebook"), cell])


def test_a_disagreeing_or_unknown_term_is_named_with_notebook_and_cell(tmp_path):
    path = tmp_path / "nb.ipynb"
    rows = [
        "| general account | 普通客户 | the others |",
        "| customer lifetime value (CLV) | 客户终身价值 | in our words |",
        "| widget | 小部件 | not a course term |",
    ]
    nbformat.write(table("## Key terms **[Core]**", rows), path)
    problems = glossary.disagreements([path], TERMS, tmp_path)
    assert problems == [
        "nb.ipynb cell terms: 'general account' is '普通客户' here but '一般客户' in book/glossary.csv",
        "nb.ipynb cell terms: 'widget' is not in book/glossary.csv; add it there",
    ]


def test_a_chinese_key_terms_table_is_read_too():
    nb = table("## 关键术语 **[Core]**", ["| churn | 客户流失 | 不再购买的客户 |"])
    assert glossary.key_term_rows(nb) == [("terms", "churn", "客户流失")]

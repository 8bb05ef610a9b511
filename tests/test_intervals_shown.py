"""Issue 16, item 5: every chapter notebook shows at least one interval where it decides something,
and says in words what the interval means for that decision.

An interval is shown by a call that returns one: a Wilson interval of a share, a bootstrap
interval of the top customers' share or of the retention offers' net values, the CLV interval, a
fitted model's confidence intervals, the reorder gap's and an A/B test's intervals, a mean ± 1.96
standard errors, any estimate asked for with ``level=`` (NPS, SERVQUAL gaps, the pipeline
forecast), or a table's ``ci_low``/``ci_high`` columns (win rates, funnel shares). The words are
the first markdown cell after it (a chart or a printed comparison may come between).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix()
    for p in ROOT.glob("notebooks/0[0-5]_*/0[1-9]_*.ipynb")  # 00_start_here is the primer: no data decision
)
INTERVAL_CALL = re.compile(
    r"\b(wilson_interval|top_share_interval|clv_interval|confidence_intervals|reorder_gap|ab_test|win_rate_by_touches|retention_campaign_interval)\s*\("
    r"|\blevel\s*=\s*0?\.\d+|\b1\.96\s*\*|\bci_(?:low|high)\b"
)
# what the words say of an interval: where it lies, how wide it is, what it rules out
INTERVAL_WORDS = re.compile(
    r"interval|range|between|low end|high end|could (?:well )?be|overlap|chance|luck", re.IGNORECASE
)


def intervals_with_words(nb) -> list[int]:
    """Indexes of the code cells that compute an interval and whose next markdown cell (within
    four cells) talks about it."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not INTERVAL_CALL.search(cell.source):
            continue
        words = next((c.source for c in nb.cells[i + 1 : i + 5] if c.cell_type == "markdown"), "")
        if INTERVAL_WORDS.search(words):
            found.append(i)
    return found


def test_the_chapter_notebooks_are_found():
    assert len(CHAPTER_NOTEBOOKS) == 22


@pytest.mark.parametrize("notebook", CHAPTER_NOTEBOOKS)
def test_each_chapter_notebook_shows_an_interval_where_it_decides(notebook):
    nb = nbformat.read(ROOT / notebook, as_version=4)
    assert intervals_with_words(nb), (
        f"{notebook}: no analytics cell computes an interval followed by words on what it means"
    )


def test_the_rule_needs_an_interval_and_words_about_it():
    def notebook(code: str, words: str):
        cells = [
            nbformat.v4.new_code_cell(code),
            nbformat.v4.new_code_cell("chart"),
            nbformat.v4.new_markdown_cell(words),
        ]
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## How sure are we?"), *cells])

    assert intervals_with_words(notebook("wilson_interval(8, 20)", "The interval lies above 30 %.")) == [1]
    assert intervals_with_words(notebook("nps(surveys, level=0.95)", "Its interval is wide.")) == [1]
    assert intervals_with_words(notebook("share = 8 / 20", "The interval lies above 30 %.")) == []
    assert intervals_with_words(notebook("wilson_interval(8, 20)", "A share of 40 %.")) == []

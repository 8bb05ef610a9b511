"""The primer, notebooks/00_overview/00_start_here.ipynb, and its exercise set.

The notebook itself runs under nbval (its solution cells assert every check); these tests hold
what a run cannot see: the time it asks of a student, one checked task per step, answers that
turn on the shop's own numbers, and the course map sending beginners to it first.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script

from crmlib.datasets import load_tea
from crmlib.exercise_sets import start_here as ex

ROOT = Path(__file__).resolve().parents[1]
PRIMER = ROOT / "notebooks" / "00_overview" / "00_start_here.ipynb"
CHECK = re.compile(r"^ex\.(\w+)\.check\(answer\)$")
STEPS = [
    "Run a cell",
    "Change a number and run again",
    "Read a table",
    "Filter rows",
    "Group and add up",
    "Draw a chart",
    "Read and fix an error",
]


def _primer():
    return nbformat.read(PRIMER, as_version=4)


def test_the_primer_fits_in_45_minutes_and_says_so():
    minutes = load_script("tracks").study_time(_primer(), "core").minutes
    stated = int(
        re.search(r"\*\*Time needed:\*\* <!-- time -->about (\d+) minutes", _primer().cells[0].source).group(1)
    )
    assert 30 < minutes <= stated <= 45, f"core path {minutes:.1f} min, stated {stated} min"


def test_every_step_is_a_core_section_with_its_own_checked_task():
    tracks = load_script("tracks")
    nb = _primer()
    assert tracks.mark_problems(nb) == [] and tracks.is_marked(nb)
    sections = [s for s in tracks.sections(nb) if s.level == 2]
    assert all(s.track == "core" for s in sections)
    checked_in = {}
    for s in sections:
        checks = [m.group(1) for c in nb.cells[s.start : s.stop] if (m := CHECK.match(c.source.strip()))]
        checked_in[re.sub(r"^\d+\.\s*|\s*\*\*\[Core\]\*\*$", "", s.title)] = checks
    assert [title for title in checked_in if checked_in[title]] == STEPS
    assert all(len(checks) == 1 for title, checks in checked_in.items() if title in STEPS)
    assert sorted(name for checks in checked_in.values() for name in checks) == sorted(ex.__all__)


def test_the_primer_shows_a_wrong_answer_a_hint_and_a_real_error():
    nb = _primer()
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert any(re.search(r'ex\.run_in_order\.check\("[A-D]"\)', s) for s in sources)
    assert any("ex.run_in_order.hint()" in s for s in sources)
    failing = [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]
    assert len(failing) == 1 and '"n_item"' in failing[0].source  # the misspelt column the text explains
    assert "n_item" not in load_tea().orders.columns and "n_items" in load_tea().orders.columns


def test_the_wrong_demo_answer_is_wrong_and_explained(capsys):
    assert not ex.run_in_order.check("A")
    assert "data files are still there" in capsys.readouterr().out


@pytest.mark.parametrize(
    "exercise, right, off_by_one",
    [(ex.cups_for_target, 27, 26), (ex.gift_limit, 37, 36), (ex.free_drinks, 4, 3)],
)
def test_whole_number_answers_are_exact(exercise, right, off_by_one, capsys):
    """27 cups: 19 × 26 = 494 < 500 <= 513 = 19 × 27. 37 yuan: 10 orders of S083 paid 37 or more,
    16 paid 36 or more. 4 drinks: the only members of S083 with 10 or more items have 30 and 11."""
    assert exercise.check(right) and not exercise.check(off_by_one)
    capsys.readouterr()


def test_the_shop_numbers_behind_the_answers(capsys):
    tea = load_tea()
    shop = tea.orders[tea.orders["store_id"] == "S083"]
    price = tea.products.set_index("product_name").loc["Osmanthus Oolong Milk", "price"]
    step_2 = [c.source for c in _primer().cells if c.source.startswith("price = ")]
    assert price == 19 and len(step_2) == 1 and step_2[0].startswith("price = 19  #")
    assert (shop["net_amount"] >= 37).sum() == 10 and (shop["net_amount"] >= 36).sum() == 16
    items = shop.groupby("member_id")["n_items"].sum()
    assert sorted(items[items >= 10]) == [11, 30]
    spend = shop.groupby("member_id")["net_amount"].sum()
    assert (spend.max(), spend.sum()) == (557.0, 2362.0)
    assert ex.best_member_share.check(0.24) and ex.best_member_share.check(557 / 2362)  # 0.2358…
    assert not ex.best_member_share.check(0.23)  # cut off instead of rounded
    capsys.readouterr()


def test_the_course_map_sends_beginners_to_the_primer_first():
    nb = nbformat.read(ROOT / "notebooks" / "course_map.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = re.findall(r"\]\(([^)\s]+\.ipynb)\)", text)
    assert links[0] == "00_overview/00_start_here.ipynb"
    assert "beyond running cells" not in text  # the old promise, which the course did not keep

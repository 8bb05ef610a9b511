"""scripts/tracks.py and `make student TRACK=core`: core and analytics sections, on small notebooks."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
tracks = load_script("tracks")
make_student = load_script("make_student")


def md(text, track=None, **meta):
    cell = new_markdown_cell(text)
    if track:
        cell.metadata["crm"] = {"track": track}
    cell.metadata.update(meta)
    return cell


def marked_notebook():
    """A notebook with core setup, an analytics section (with a subsection and an exercise), core again."""
    return new_notebook(
        cells=[
            md("# Demo\n\nWhat this notebook is about."),  # 0
            md("## 1. Setup **[Core]**", "core"),  # 1
            new_code_cell("from crmlib.exercise_sets import what_is_crm as ex\nx = 2"),  # 2
            md("## 2. Deeper **[Analytics]**\n\nMore maths.", "analytics"),  # 3
            new_code_cell("y = x * 10"),  # 4
            md("### 2.1 A detail"),  # 5
            new_code_cell("print(y)"),  # 6
            new_code_cell("answer = None  # your code here"),  # 7
            new_code_cell("ex.snowy_top10_share.check(answer)"),  # 8
            md("## 3. Back to the core **[Core]**", "core"),  # 9
            new_code_cell("print(x)"),  # 10
            new_code_cell("answer = None  # your code here"),  # 11
            new_code_cell("ex.monthly_value_brand.check(answer)"),  # 12
            new_code_cell(
                "# Solution\nanswer = 'Aurora Leaf'\nassert ex.monthly_value_brand.check(answer)",
                metadata={"tags": ["solution"]},
            ),  # 13
            md("## Summary **[Core]**", "core"),  # 14
        ]
    )


def test_sections_and_their_tracks():
    found = tracks.sections(marked_notebook())
    assert [(s.start, s.stop, s.level, s.track, s.mark) for s in found] == [
        (0, 15, 1, None, None),
        (1, 3, 2, "core", "core"),
        (3, 9, 2, "analytics", "analytics"),
        (5, 9, 3, "analytics", None),
        (9, 14, 2, "core", "core"),
        (14, 15, 2, "core", "core"),
    ]
    assert tracks.cell_tracks(marked_notebook()) == [None, "core", "core", *["analytics"] * 6, *["core"] * 6]
    assert tracks.is_marked(marked_notebook())  # the title section (cell 0) needs no mark
    titled = marked_notebook()
    titled.cells[0].metadata["crm"] = {"track": "core"}
    titled.cells[0].source = "# Demo **[Core]**"
    assert tracks.is_marked(titled) and tracks.mark_problems(titled) == []
    titled.cells[14].metadata.pop("crm")
    titled.cells[14].source = "## Summary"
    assert tracks.sections(titled)[-1].track == "core"  # inherited from the title
    half = marked_notebook()
    half.cells[14].metadata.pop("crm")
    half.cells[14].source = "## Summary"
    assert not tracks.is_marked(half)
    assert tracks.mark_problems(marked_notebook()) == []


def test_core_notebook_drops_analytics_sections_with_their_code():
    core = tracks.core_notebook(marked_notebook())
    assert [c.source.splitlines()[0] for c in core.cells] == [
        "# Demo",
        "## 1. Setup **[Core]**",
        "from crmlib.exercise_sets import what_is_crm as ex",
        "## 3. Back to the core **[Core]**",
        "print(x)",
        "answer = None  # your code here",
        "ex.monthly_value_brand.check(answer)",
        "# Solution",
        "## Summary **[Core]**",
    ]
    assert len(marked_notebook().cells) == 15  # the source is not changed


@pytest.mark.parametrize(
    "change, problem",
    [
        (
            lambda nb: nb.cells[1].metadata.update(crm={"track": "basic"}),
            "cell 1 ('1. Setup **[Core]**'): unknown track 'basic'",
        ),
        (
            lambda nb: setattr(nb.cells[3], "source", "## 2. Deeper"),
            "cell 3 ('2. Deeper'): marked 'analytics', so the heading must end with **[Analytics]**",
        ),
        (
            lambda nb: nb.cells[9].metadata.pop("crm"),
            "cell 9 ('3. Back to the core **[Core]**'): the badge **[Core]** needs the metadata",
        ),
        (
            lambda nb: nb.cells[4].metadata.update(crm={"track": "core"}),
            "cell 4: a track mark on a cell that does not open with a heading",
        ),
        (
            lambda nb: (
                nb.cells[5].metadata.update(crm={"track": "core"}),
                setattr(nb.cells[5], "source", "### 2.1 A detail **[Core]**"),
            ),
            "cell 5 ('2.1 A detail **[Core]**'): a core section inside the analytics section "
            "'2. Deeper **[Analytics]**'",
        ),
    ],
)
def test_inconsistent_marks_are_named(change, problem):
    nb = marked_notebook()
    change(nb)
    assert [p for p in tracks.mark_problems(nb) if p.startswith(problem)], tracks.mark_problems(nb)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A tiny course: the marked notebook and an unmarked one."""
    root = tmp_path_factory.mktemp("course")
    folder = root / "notebooks" / "00_demo"
    folder.mkdir(parents=True)
    (root / "casestudies").mkdir()
    nbformat.write(marked_notebook(), folder / "01_marked.ipynb")
    unmarked = new_notebook(cells=[md("# Plain"), md("## 1. Only section"), new_code_cell("z = 1")])
    nbformat.write(unmarked, folder / "02_unmarked.ipynb")
    return root


def test_core_edition_drops_analytics_and_unused_exercises_and_warns(course, tmp_path, capsys):
    counts = make_student.build(tmp_path / "core", course, track="core")
    warning = capsys.readouterr().err
    assert "warning: 1 notebook has sections without a core/analytics mark" in warning
    assert "notebooks/00_demo/02_unmarked.ipynb" in warning and "01_marked" not in warning
    assert (
        counts["notebooks"] == 2
        and counts["solutions replaced"] == 1
        and counts["notebooks not marked throughout"] == 1
    )
    core = nbformat.read(tmp_path / "core" / "notebooks" / "00_demo" / "01_marked.ipynb", as_version=4)
    text = "\n".join(c.source for c in core.cells)
    assert "y = x * 10" not in text and "snowy_top10_share" not in text and "Deeper" not in text
    assert "from exercise_checks import what_is_crm as ex" in text
    sealed = (tmp_path / "core" / "notebooks" / "00_demo" / "exercise_checks" / "what_is_crm.py").read_text()
    assert "monthly_value_brand = SealedExercise(" in sealed and "snowy_top10_share" not in sealed
    plain = nbformat.read(tmp_path / "core" / "notebooks" / "00_demo" / "02_unmarked.ipynb", as_version=4)
    assert [c.source for c in plain.cells] == ["# Plain", "## 1. Only section", "z = 1"]  # unmarked counts as core

    full = make_student.build(tmp_path / "full", course)
    assert "warning" not in capsys.readouterr().err and full["solutions replaced"] == 1
    every = (tmp_path / "full" / "notebooks" / "00_demo" / "exercise_checks" / "what_is_crm.py").read_text()
    assert "snowy_top10_share = SealedExercise(" in every and "aurora_top_channel = SealedExercise(" in every


def test_core_edition_runs_top_to_bottom(course, tmp_path):
    from nbclient import NotebookClient

    make_student.build(tmp_path / "core", course, track="core")
    path = tmp_path / "core" / "notebooks" / "00_demo" / "01_marked.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert printed.startswith("2\n✗ You answered with None")
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_inconsistent_marks_stop_the_core_build(tmp_path):
    folder = tmp_path / "src" / "notebooks" / "x"
    folder.mkdir(parents=True)
    nb = marked_notebook()
    nb.cells[3].source = "## 2. Deeper"
    nbformat.write(nb, folder / "01_bad.ipynb")
    with pytest.raises(SystemExit, match="01_bad.ipynb: the core/analytics marks are inconsistent"):
        make_student.build(tmp_path / "out", tmp_path / "src", track="core")
    with pytest.raises(SystemExit, match="unknown track"):
        make_student.build(tmp_path / "out", tmp_path / "src", track="basic")


def test_the_listing_script(course, capsys):
    assert tracks.main([str(course / "notebooks" / "00_demo" / "01_marked.ipynb")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  unmarked  Demo",
        "    core      1. Setup **[Core]**",
        "    analytics 2. Deeper **[Analytics]**",
        "      analytics 2.1 A detail",
        "    core      3. Back to the core **[Core]**",
        "    core      Summary **[Core]**",
    ]


def test_study_time_counts_the_path_a_student_takes():
    nb = marked_notebook()
    nb.cells.insert(12, new_code_cell("ex.crm_three_levels.check(answer)"))  # a concept check
    core, everything = tracks.study_time(nb, "core"), tracks.study_time(nb, "all")
    # Core keeps cells 0-2 and 9-14; the solution cell is not counted. Words: "Demo", "What this
    # notebook is about" (6), "1. Setup Core" (3), "3. Back to the core Core" (6), "Summary Core" (2).
    assert core == (17, 3, 1, 1)
    assert core.minutes == pytest.approx(17 / 80 + 3 * 0.5 + 3 + 1.5)
    # Everything adds "2. Deeper Analytics More maths." (5) and "2.1 A detail" (3), 4 code cells,
    # 1 data exercise.
    assert everything == (25, 6, 2, 1)
    assert tracks.rounded_minutes(everything.minutes) == 15
    with pytest.raises(ValueError, match="track must be"):
        tracks.study_time(nb, "analytics")


def test_the_examples_in_tracks_docstrings():
    import doctest

    assert doctest.testmod(tracks).failed == 0


def test_the_course_map_shows_both_paths_with_their_current_times(tmp_path):
    """The times in the course map are those the rule gives today (re-write them with
    `python scripts/tracks.py --write-times`)."""
    course_map = ROOT / "notebooks" / "course_map.ipynb"
    copy = tmp_path / "notebooks" / "course_map.ipynb"
    copy.parent.mkdir()
    copy.write_bytes(course_map.read_bytes())
    for folder in ("notebooks", "casestudies"):  # the map links to notebooks beside it
        for target in (ROOT / folder).rglob("*.ipynb"):
            place = tmp_path / target.relative_to(ROOT)
            if not place.exists():
                place.parent.mkdir(parents=True, exist_ok=True)
                place.symlink_to(target)
    old, new = tracks.update_course_map(copy)
    assert old == new, "the course map's times are out of date: run scripts/tracks.py --write-times"
    assert new.count(" min |") >= 2 * 27 and "core path about" in new


@pytest.mark.parametrize(
    "notebook",
    sorted((ROOT / "notebooks").glob("0*/*.ipynb")) + sorted((ROOT / "casestudies").glob("*/*.ipynb")),
    ids=lambda p: p.stem,
)
def test_no_core_path_runs_over_an_hour(notebook):
    """A notebook whose core path would take a second-language reader over 60 minutes is split."""
    minutes = tracks.study_time(nbformat.read(notebook, as_version=4), "core").minutes
    assert minutes <= 60, f"{notebook.name}: core path {minutes:.0f} min; split it (issue: reading time)"


_CHAPTERS_AND_CASES = sorted((ROOT / "notebooks").glob("0*/*.ipynb")) + sorted((ROOT / "casestudies").glob("*/*.ipynb"))


@pytest.mark.parametrize("notebook", _CHAPTERS_AND_CASES, ids=lambda p: p.stem)
def test_each_notebook_states_the_time_the_course_map_gives(notebook, tmp_path):
    """The 'Time needed' line is written by the same rule as the map (re-write both with
    `python scripts/tracks.py --write-times`), so the two never disagree."""
    nb = nbformat.read(notebook, as_version=4)
    assert "**Time needed:** <!-- time -->" in nb.cells[0].source, "the first cell needs the time line"
    copy = tmp_path / notebook.name
    copy.write_bytes(notebook.read_bytes())
    old, new = tracks.update_course_map(copy)
    assert old == new, f"{notebook.name}: its time line is out of date: run scripts/tracks.py --write-times"
    shown = re.search(r"<!-- time -->about (\d+) minutes(?: on the core path, (\d+))?", new)
    times = tracks.path_minutes(nb)
    assert int(shown[1]) == times["core"] and int(shown[2] or shown[1]) == times["all"]


def test_a_time_line_is_filled_by_the_rule_and_ignored_by_translations():
    cells = [
        nbformat.v4.new_markdown_cell("# T\n\n**Time needed:** <!-- time -->about 5 hours<!-- /time -->."),
        nbformat.v4.new_markdown_cell("## Core **[Core]**\n\n" + "word " * 700),
        nbformat.v4.new_markdown_cell("## More **[Analytics]**\n\n" + "word " * 800),
    ]
    cells[1].metadata["crm"] = {"track": "core"}
    cells[2].metadata["crm"] = {"track": "analytics"}
    nb = nbformat.v4.new_notebook(cells=cells)
    # about 705 words at 80 a minute: 8.8 minutes (10 rounded up); with 800 more, 18.8 (20)
    filled = tracks.write_times(nb, ROOT, "en").cells[0].source
    assert filled.endswith(
        "<!-- time -->about 10 minutes on the core path, 20 with the analytics sections<!-- /time -->."
    )
    assert tracks.strip_times(filled) == "# T\n\n**Time needed:** <!-- time --><!-- /time -->."
    zh = tracks.write_times(nb, ROOT, "zh").cells[0].source
    assert zh.endswith("<!-- time -->核心路径约 10 分钟，含拓展分析约 20 分钟<!-- /time -->.")


def test_a_chinese_notebook_carries_the_chinese_badges():
    nb = marked_notebook()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = tracks.chinese_badges(cell.source)
    assert tracks.mark_problems(nb) != []  # an English notebook needs the English badges
    language = new_code_cell('crmlib.set_language("zh")')
    language.metadata["tags"] = [tracks.LANGUAGE_TAG]
    nb.cells.insert(1, language)
    assert tracks.badges(nb) == tracks.BADGES_ZH and tracks.mark_problems(nb) == []
    nb.cells[2].source = "## 1. 准备 **[Core]**"  # an English badge left in a Chinese notebook
    assert tracks.mark_problems(nb) == [
        "cell 2 ('1. 准备 **[Core]**'): marked 'core', so the heading must end with **[核心]**"
    ]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("## 9. 谁带来了收入？ **[Analytics]**", "## 9. 谁带来了收入？ **[拓展分析]**"),
        ("在标有 **[Core]**（核心）的部分", "在标有 **[核心]** 的部分"),
        ("- **[Core]**（核心）\n", "- **[核心]**\n"),
        ("**[Core]**（必修）部分", "**[核心]**（必修）部分"),  # a gloss that says more stays
        ("no badge [Core]", "no badge [Core]"),
    ],
)
def test_chinese_badges(english, chinese):
    assert tracks.chinese_badges(english) == chinese

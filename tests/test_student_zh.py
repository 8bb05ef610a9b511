"""The Chinese student edition (scripts/make_student.py --lang zh, scripts/editions.py).

Built from a small course folder holding one chapter notebook with its Chinese twin and one
notebook not translated yet, through the same build as `make student LANG=zh`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script, load_sealed

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = Path("notebooks/00_overview/01_what_is_crm.ipynb")
UNTRANSLATED = Path("notebooks/demos/3_1_response_sla.ipynb")
CJK = re.compile(r"[\u4e00-\u9fff]")

make_student = load_script("make_student")
editions = load_script("editions")
tracks = load_script("tracks")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    for rel in (CHAPTER, Path("zh") / CHAPTER, UNTRANSLATED):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, root / rel)
    (root / "casestudies").mkdir()
    (root / "casestudies" / "README.md").write_text("# Cases\n\n[map](../notebooks/x.ipynb)\n", encoding="utf-8")
    (root / "zh" / "casestudies").mkdir(parents=True)
    (root / "zh" / "casestudies" / "README.md").write_text(
        "# 案例\n\n[课程地图](../../notebooks/x.ipynb)\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def editions_built(course, tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("editions")
    built = {}
    for track in ("full", "core"):
        for language in ("en", "zh"):
            built[track, language] = out / f"{track}-{language}"
            make_student.build(built[track, language], course, track=track, language=language)
    return built


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def test_the_chinese_notebook_is_written_at_its_english_path_with_chinese_placeholders(course, editions_built):
    zh_source = _read(course / "zh" / CHAPTER)
    copy = _read(editions_built["full", "zh"] / CHAPTER)
    assert [c.get("id") for c in copy.cells] == [c.get("id") for c in zh_source.cells]
    solutions = [c.get("id") for c in zh_source.cells if make_student.is_solution(c)]
    assert len(solutions) >= 5
    for before, after in zip(zh_source.cells, copy.cells, strict=True):
        if make_student.is_solution(before):
            assert after.source == make_student.PLACEHOLDERS["zh"][before.cell_type]
            assert CJK.search(after.source)
        elif before.cell_type == "markdown":
            assert after.source == before.source  # the Chinese text (its links already work here)
    assert copy.cells[0].source.startswith("#") and CJK.search(copy.cells[0].source)
    [language_cell] = [c for c in copy.cells if c.get("id") == "zh-language"]
    assert 'set_language("zh")' in language_cell.source
    assert any("from exercise_checks import what_is_crm as ex" in c.source for c in copy.cells)


def test_code_is_the_english_editions_code(editions_built):
    english = _read(editions_built["full", "en"] / CHAPTER)
    chinese = _read(editions_built["full", "zh"] / CHAPTER)

    def code(nb, language):
        placeholder = make_student.PLACEHOLDERS[language]["code"]
        return [
            c.source if c.source != placeholder else "placeholder"
            for c in nb.cells
            if c.cell_type == "code" and c.get("id") != "zh-language"
        ]

    assert code(chinese, "zh") == code(english, "en")
    assert code(chinese, "zh").count("placeholder") >= 3


def test_a_notebook_not_yet_translated_is_the_english_one(editions_built):
    assert (editions_built["full", "zh"] / UNTRANSLATED).read_bytes() == (
        editions_built["full", "en"] / UNTRANSLATED
    ).read_bytes()


def test_a_translated_file_is_taken_with_links_that_work_from_the_english_path(editions_built):
    text = (editions_built["full", "zh"] / "casestudies" / "README.md").read_text(encoding="utf-8")
    assert text == "# 案例\n\n[课程地图](../notebooks/x.ipynb)\n"


def test_links_of_a_chinese_page_are_relocated():
    rel = Path("notebooks/course_map.ipynb")
    assert editions.relocated_links("[a](../../casestudies/t/t.ipynb) [b](00_overview/x.ipynb)", rel, "zh") == (
        "[a](../casestudies/t/t.ipynb) [b](00_overview/x.ipynb)"
    )
    assert editions.relocated_links("[r](../../README.zh.md)", rel, "zh") == "[r](../README.zh.md)"
    assert editions.relocated_links("[a](../../x.md)", rel, "en") == "[a](../../x.md)"
    with pytest.raises(SystemExit, match="unknown language"):
        editions.edition_file(rel, "fr")


def test_the_core_track_drops_the_analytics_sections_by_the_same_marks(course, editions_built):
    zh_core = _read(editions_built["core", "zh"] / CHAPTER)
    en_core = _read(editions_built["core", "en"] / CHAPTER)
    full = _read(editions_built["full", "zh"] / CHAPTER)
    text = "\n".join(c.source for c in zh_core.cells)
    assert "## 练习 **[拓展分析]**" in "\n".join(c.source for c in full.cells)  # the Chinese badges
    assert "**[拓展分析]**" not in text and "**[核心]**" in text
    assert len(zh_core.cells) < len(full.cells)
    assert [c.get("id") for c in zh_core.cells if c.get("id") != "zh-language"] == [c.get("id") for c in en_core.cells]


def test_a_sealed_check_asks_in_chinese_after_set_language(editions_built, capsys):
    import crmlib

    module = load_sealed(editions_built["full", "zh"], "what_is_crm")
    exercise = getattr(module, module.__all__[0])
    try:
        crmlib.set_language("zh")
        exercise.show()
        chinese = capsys.readouterr().out
        assert not exercise.check(None)
        chinese_feedback = capsys.readouterr().out
        crmlib.set_language("en")
        exercise.show()
        english = capsys.readouterr().out
    finally:
        crmlib.set_language("en")
    assert CJK.search(chinese) and chinese != english and not CJK.search(english.replace(exercise.question, ""))
    assert "请把 `...` 或 None 换成你的计算" in chinese_feedback


def test_the_chinese_student_notebook_runs_and_answers_in_chinese(editions_built):
    from nbclient import NotebookClient

    path = editions_built["core", "zh"] / CHAPTER
    nb = _read(path)
    nb.cells.insert(0, nbformat.v4.new_code_cell("import sys\nsys.modules['crmlib.exercise_sets'] = None"))
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"
    )
    assert "✗ 你的答案是 None" in printed  # a concept check left unanswered, in Chinese
    assert not [c for c in nb.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]


def test_the_examples_in_editions_docstrings():
    import doctest

    result = doctest.testmod(make_student.editions)
    assert result.attempted >= 5 and result.failed == 0

"""scripts/make_slides.py builds a reveal.js deck that loads reveal.js from disk, not a CDN.

The deck tests need npm and the npm registry (reveal.js is fetched at build time); they are
skipped without npm. Also checks scripts/add_slide_metadata.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_overview" / "01_what_is_crm.ipynb"

needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed to fetch reveal.js")


def test_slide_types_follow_the_headings_and_skip_solutions():
    add = load_script("add_slide_metadata")
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_markdown_cell("## 1. Section\n\ntext"),
            nbformat.v4.new_markdown_cell("### Exercise 1"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("# Solution", metadata={"tags": ["solution"]}),
            nbformat.v4.new_markdown_cell(
                "### Notes", metadata={"tags": ["solution"], "slideshow": {"slide_type": "slide"}}
            ),
            nbformat.v4.new_markdown_cell("text with ## inside"),
        ]
    )
    assert add.add_slide_metadata(nb) is True
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == [
        "-",
        "slide",
        "subslide",
        "-",
        "skip",
        "skip",
        "-",
    ]
    assert nb.cells[4].metadata.tags == ["solution"]
    assert add.add_slide_metadata(nb) is False  # idempotent


def test_the_deck_notebook_has_its_slide_types():
    assert load_script("add_slide_metadata").main(["--check", str(NOTEBOOK)]) == 0


@pytest.fixture(scope="module")
def reveal_prefix(tmp_path_factory) -> Path:
    """One npm prefix for the decks of this module (reveal.js is fetched once)."""
    return tmp_path_factory.mktemp("reveal")


@pytest.fixture(scope="module")
def deck(tmp_path_factory, reveal_prefix) -> Path:
    tmp = tmp_path_factory.mktemp("slides")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_slides.py"),
            "--out",
            str(tmp / "slides"),
            "--js",
            str(reveal_prefix),
            str(NOTEBOOK),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    path = tmp / "slides" / "notebooks" / "00_overview" / "01_what_is_crm.slides.html"
    assert path.is_file()
    return path


def _urls(html: str) -> list[str]:
    """Every script, stylesheet and require()d URL of the page."""
    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html) + re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    required = re.search(r"require\(\s*\{.*?\},\s*\[(.*?)\]", html, re.S)
    return urls + (re.findall(r'"([^"]+)"', required.group(1)) if required else [])


@needs_npm
def test_deck_loads_reveal_js_from_disk(deck):
    html = deck.read_text(encoding="utf-8")
    reveal = [u for u in _urls(html) if "reveal" in u.lower()]
    assert any(u.endswith("/dist/reveal.js") for u in reveal) and any(u.endswith("/dist/reveal.css") for u in reveal)
    for url in reveal:
        assert not re.match(r"(https?:)?//", url) and "cdn" not in url and "unpkg" not in url, url
        assert (deck.parent / url.split("?")[0]).resolve().is_file(), f"{url} is not on disk"
    assert not re.search(r"<script[^>]*src=\"(https?:)?//[^\"]*(reveal|cdn)", html)


@needs_npm
def test_deck_loads_require_js_and_mathjax_from_disk(deck):
    urls = _urls(deck.read_text(encoding="utf-8"))
    for name in ("require.js", "MathJax.js"):
        [url] = [u for u in urls if name in u]
        assert (deck.parent / url.split("?")[0]).resolve().is_file(), url


@needs_npm
def test_deck_has_the_notebook_slides_without_solutions(deck):
    html = deck.read_text(encoding="utf-8")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert "slide" in types and "skip" in types
    assert html.count("<section") >= types.count("slide")
    assert "# Solution" not in html


def test_a_lecture_notebook_keeps_results_and_gives_each_chart_its_slide():
    slides = load_script("make_slides")
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})
    printed = nbformat.v4.new_output("stream", name="stdout", text="42\n")
    long_text = "\n\n".join(f"Paragraph {i}: " + "words " * 30 for i in range(8))
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title\n\nObjectives."),
            nbformat.v4.new_code_cell("import pandas as pd"),  # no output: dropped
            nbformat.v4.new_markdown_cell("## 1. Section", metadata={"slideshow": {"slide_type": "slide"}}),
            nbformat.v4.new_code_cell("print(42)", outputs=[printed]),  # stays on the slide
            nbformat.v4.new_markdown_cell("The chart:"),  # short lead: joins the chart
            nbformat.v4.new_code_cell("plot()", outputs=[png]),
            nbformat.v4.new_markdown_cell(long_text),  # split over several slides
            nbformat.v4.new_markdown_cell("## Exercises", metadata={"slideshow": {"slide_type": "slide"}}),
            nbformat.v4.new_code_cell("ex.check(answer)", outputs=[printed]),  # exercise work: dropped
            nbformat.v4.new_code_cell("answer = 1", metadata={"tags": ["solution"]}, outputs=[printed]),
            nbformat.v4.new_markdown_cell("## Discussion questions", metadata={"slideshow": {"slide_type": "slide"}}),
        ]
    )
    lecture = slides.lecture_notebook(nb)
    kinds = [(c.cell_type, c.metadata["slideshow"]["slide_type"], c.source.splitlines()[0][:12]) for c in lecture.cells]
    assert kinds[:5] == [
        ("markdown", "slide", "# Title"),
        ("markdown", "slide", "## 1. Sectio"),
        ("code", "-", "print(42)"),
        ("markdown", "subslide", "The chart:"),
        ("code", "-", "plot()"),
    ]
    parts = [k for k in kinds if k[2].startswith("Paragraph")]
    assert len(parts) == 2 and parts[0][1] == "subslide" and all(k[1] == "subslide" for k in parts)
    assert kinds[-2:] == [("markdown", "slide", "## Exercises"), ("markdown", "slide", "## Discussio")]
    assert all(slides.text_lines(c.source) <= slides.SLIDE_LINES for c in lecture.cells if c.cell_type == "markdown")
    assert nb.cells[1].source == "import pandas as pd" and len(nb.cells) == 11  # the source is untouched


def test_a_lecture_notebook_leaves_live_widgets_to_the_demos():
    slides = load_script("make_slides")
    view = nbformat.v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "1"}, "text/plain": "VBox()"}
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell("pareto_explorer(orders)", outputs=[view]),
        ]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    lecture = slides.lecture_notebook(nb)
    assert [c.source for c in lecture.cells] == ["# Title"] and "widgets" not in lecture.metadata


# ---------------------------------------------------------------------------------------------
# the Chinese decks (make slides LANG=zh)
# ---------------------------------------------------------------------------------------------
ZH_NOTEBOOK = ROOT / "zh" / NOTEBOOK.relative_to(ROOT)


def test_the_chinese_notebooks_carry_their_slide_types():
    """The zh/ notebooks keep the English cells' slide types; their language cell is skipped."""
    add = load_script("add_slide_metadata")
    assert add.main(["--check", str(ZH_NOTEBOOK)]) == 0
    nb = nbformat.read(ZH_NOTEBOOK, as_version=4)
    [language] = [c for c in nb.cells if "zh-language" in c.metadata.get("tags", [])]
    assert add.slide_type(language) == "skip"


@pytest.fixture(scope="module")
def zh_deck(tmp_path_factory, reveal_prefix) -> tuple[Path, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("slides-zh")
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_slides.py"),
            "--lang",
            "zh",
            "--out",
            str(tmp / "slides-zh"),
            "--js",
            str(reveal_prefix),
            str(NOTEBOOK),  # the English path: the deck is made from its Chinese twin
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return tmp / "slides-zh" / "notebooks" / "00_overview" / "01_what_is_crm.slides.html", run


@needs_npm
def test_a_chinese_deck_has_the_chinese_title_and_text(zh_deck):
    path, run = zh_deck
    html = path.read_text(encoding="utf-8")
    nb = nbformat.read(ZH_NOTEBOOK, as_version=4)
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert re.search("[\u4e00-\u9fff]", title)
    assert f"<title>{title} slides</title>" in html
    assert "练习" in html and "set_language" not in html  # the language cell is skipped, like a solution
    english = nbformat.read(NOTEBOOK, as_version=4).cells[1].source.splitlines()[0]
    assert english not in html  # the English prose is not on the Chinese deck
    for url in [u for u in _urls(html) if "reveal" in u.lower()]:
        assert (path.parent / url.split("?")[0]).resolve().is_file(), url


def test_the_font_note_names_the_fix_only_without_a_cjk_font(monkeypatch):
    import crmlib.plots

    slides = load_script("make_slides")
    assert slides.font_note("en") is None
    monkeypatch.setattr(crmlib.plots, "installed_cjk_fonts", lambda: ["Noto Sans CJK SC"])
    assert slides.font_note("zh") is None
    monkeypatch.setattr(crmlib.plots, "installed_cjk_fonts", lambda: [])
    assert "apt-get install fonts-noto-cjk" in slides.font_note("zh")


def test_a_chinese_lecture_drops_the_exercise_work_too():
    slides = load_script("make_slides")
    printed = nbformat.v4.new_output("stream", name="stdout", text="42\n")
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 标题"),
            nbformat.v4.new_code_cell("print(42)", outputs=[printed]),
            nbformat.v4.new_markdown_cell("## 练习 **[Analytics]**"),
            nbformat.v4.new_code_cell("ex.check(answer)", outputs=[printed]),
        ]
    )
    assert [c.source for c in slides.lecture_notebook(nb).cells] == ["# 标题", "print(42)", "## 练习 **[Analytics]**"]
    assert slides.titled(nb).metadata.title == "标题"

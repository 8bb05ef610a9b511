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
def deck(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("slides")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_slides.py"),
            "--out",
            str(tmp / "slides"),
            "--js",
            str(tmp / "reveal"),
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

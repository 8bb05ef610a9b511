"""The course website (scripts/make_book.py, book/_toc.yml, book/_config.yml).

The table-of-contents checks need only PyYAML. The build checks need the [book] extra
(jupyter-book 1.x) and are skipped without it: they build a one-notebook book through the same
script and configuration as `make book`, in about 15 s each.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
TOC = ROOT / "book" / "_toc.yml"


make_book = load_script("make_book")
needs_jupyter_book = pytest.mark.skipif(
    importlib.util.find_spec("jupyter_book") is None, reason="jupyter-book is the [book] extra"
)


def test_toc_lists_every_course_notebook():
    assert make_book.missing_from_toc(TOC) == [], "add these notebooks to book/_toc.yml"


def test_toc_lists_only_existing_pages_and_no_demos():
    entries = make_book.toc_entries(yaml.safe_load(TOC.read_text(encoding="utf-8")))
    missing = [e for e in entries if not any((ROOT / f"{e}{suffix}").is_file() for suffix in (".md", ".ipynb"))]
    assert missing == []
    assert not [e for e in entries if e.startswith("notebooks/demos/")]
    assert len(entries) == len(set(entries))


def test_the_check_notices_a_forgotten_notebook(tmp_path):
    for name in ("notebooks/a.ipynb", "notebooks/demos/d.ipynb", "casestudies/c/c.ipynb"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), tmp_path / name)
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: README\nchapters:\n  - file: notebooks/a\n", encoding="utf-8")
    assert make_book.missing_from_toc(toc, tmp_path) == ["casestudies/c/c"]


def test_links_are_mended_for_the_site(tmp_path):
    (tmp_path / "notebooks" / "demos").mkdir(parents=True)
    staged = {"README.md", "casestudies/README.md", "notebooks/a.ipynb"}

    def mend(text):
        return make_book.mend_links(text, Path("README.md"), staged, tmp_path, "https://github.com/o/r/{kind}/main")

    assert (
        mend("[c](casestudies/) [a](notebooks/a.ipynb#x) [w](https://x.org/)")
        == "[c](casestudies/README.md) [a](notebooks/a.ipynb#x) [w](https://x.org/)"
    )
    assert mend("[d](notebooks/demos/)") == "[d](https://github.com/o/r/tree/main/notebooks/demos)"
    assert mend("[gone](nowhere.md)") == "[gone](nowhere.md)"  # left for Sphinx to report


def test_solution_cells_are_collapsed_in_the_staged_copy():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("answer = 1", metadata={"tags": ["solution"]}),
            nbformat.v4.new_markdown_cell("## Instructor notes\nGrade it.", metadata={"tags": ["solution"]}),
            nbformat.v4.new_code_cell("x = 1"),
        ]
    )
    staged = make_book.website_notebook(nb, mend=lambda text: text)
    assert staged.cells[0].metadata.tags == ["solution", "hide-cell"]
    assert staged.cells[1].source.startswith("```{dropdown} Instructor notes\n")
    assert "tags" not in staged.cells[2].metadata and nb.cells[0].metadata.tags == ["solution"]


def _tiny_course(folder: Path, cells: list[str]) -> Path:
    """A course folder holding a home page and one notebook; returns its table of contents."""
    (folder / "notebooks").mkdir(parents=True)
    (folder / "README.md").write_text(
        "# Tiny course 小课程\n\nSee [the notebook](notebooks/tiny.ipynb).\n", encoding="utf-8"
    )
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Tiny 小")] + [nbformat.v4.new_code_cell(c) for c in cells]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "notebooks" / "tiny.ipynb")
    toc = folder / "_toc.yml"
    toc.write_text("format: jb-book\nroot: README\nchapters:\n  - file: notebooks/tiny\n", encoding="utf-8")
    return toc


def _make_book(tmp_path: Path, toc: Path) -> subprocess.CompletedProcess:
    """`make book` on the course in tmp_path/course with this table of contents, into tmp_path/book."""
    command = [sys.executable, str(ROOT / "scripts" / "make_book.py"), "--source", str(tmp_path / "course")]
    command += ["--toc", str(toc), "--out", str(tmp_path / "book")]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _build(tmp_path: Path, cells: list[str]) -> subprocess.CompletedProcess:
    return _make_book(tmp_path, _tiny_course(tmp_path / "course", cells))


@needs_jupyter_book
def test_a_cell_error_or_a_printed_warning_fails_the_build(tmp_path):
    result = _build(
        tmp_path, ["import warnings\nwarnings.warn('careful')", "1 / 0  # the broken cell", "print('never')"]
    )
    assert result.returncode != 0, result.stdout[-2000:]
    summary = "notebook failed: notebooks/tiny.ipynb: cell 3 of 4 (`1 / 0  # the broken cell`) raised ZeroDivisionError"
    assert summary in result.stderr, result.stderr[-3000:]
    assert "notebooks/tiny.ipynb:20002: WARNING: stderr was found in the cell outputs of cell 2" in result.stderr


def test_a_log_without_failures_reports_none(tmp_path):
    assert make_book.failed_cells("build succeeded.\n", tmp_path) == []
    assert make_book.other_warnings("build succeeded.\n", tmp_path) == []


def test_the_output_folder_is_never_a_course_folder(tmp_path):
    for folder in (ROOT, ROOT / "notebooks", ROOT / "datasets" / "x", ROOT / "book"):
        with pytest.raises(SystemExit, match="refusing"):
            make_book.prepare_out(folder, ROOT)
    (tmp_path / "keep.txt").write_text("not a book", encoding="utf-8")
    with pytest.raises(SystemExit, match="not empty"):
        make_book.prepare_out(tmp_path, ROOT)
    assert (tmp_path / "keep.txt").exists()


@needs_jupyter_book
def test_a_working_notebook_builds_and_shows_its_output(tmp_path):
    result = _build(tmp_path, ["print(6 * 7, '中文')"])
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "book" / "_build" / "html" / "notebooks" / "tiny.html").read_text(encoding="utf-8")
    assert "42 中文" in page
    assert "slowest notebooks: notebooks/tiny.ipynb" in result.stdout and "index.html" in result.stdout


def test_the_examples_in_make_book_docstrings():
    import doctest

    assert doctest.testmod(make_book).failed == 0


# ---------------------------------------------------------------------------------------------
# one site in both languages: the Chinese pages (zh/, README.zh.md) and a switch on every page
# ---------------------------------------------------------------------------------------------
def _notebook(path: Path, cells: list) -> None:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _bilingual_course(folder: Path) -> Path:
    """A home page and two notebooks, the first with a Chinese twin; returns the TOC."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    (folder / "notebooks").mkdir(parents=True)
    (folder / "README.md").write_text("# Tiny course\n\n[Chinese](README.zh.md)\n", encoding="utf-8")
    (folder / "README.zh.md").write_text(
        "# 小课程\n\n[第一课](zh/notebooks/one.ipynb)，[第二课](notebooks/two.ipynb)\n", encoding="utf-8"
    )
    _notebook(folder / "notebooks" / "one.ipynb", [md("# Lesson one"), code("print(6 * 7, 'apples')")])
    _notebook(folder / "notebooks" / "two.ipynb", [md("# Lesson two"), code("print(2 + 2)")])
    _notebook(
        folder / "zh" / "notebooks" / "one.ipynb",
        [
            md("# 第一课\n\n下一课还没有翻译：[第二课](../../notebooks/two.ipynb)。"),
            code("print(6 * 7, '个苹果')"),
        ],
    )
    toc = folder / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: README\nparts:\n  - caption: Lessons · 课程\n    chapters:\n"
        "      - file: notebooks/one\n      - file: notebooks/two\n",
        encoding="utf-8",
    )
    return toc


def test_the_chinese_half_of_the_toc_follows_the_english_order(tmp_path):
    toc = _bilingual_course(tmp_path)
    both = make_book.bilingual_toc(yaml.safe_load(toc.read_text(encoding="utf-8")), tmp_path)
    assert both["parts"][1] == {
        "caption": "中文版 · 课程",
        "chapters": [{"file": "README.zh"}, {"file": "zh/notebooks/one"}],
    }
    assert both["parts"][0] == yaml.safe_load(toc.read_text(encoding="utf-8"))["parts"][0]
    real = make_book.bilingual_toc(yaml.safe_load(TOC.read_text(encoding="utf-8")), ROOT)
    chinese = [e for e in make_book.toc_entries(real) if e.startswith("zh/")]
    notebooks = [p.relative_to(ROOT).with_suffix("").as_posix() for p in (ROOT / "zh").rglob("*.ipynb")]
    assert sorted(e for e in chinese if (ROOT / f"{e}.ipynb").is_file()) == sorted(
        n for n in notebooks if not n.startswith("zh/notebooks/demos/")
    )  # every Chinese notebook of the site, once
    assert all(any((ROOT / f"{e}{s}").is_file() for s in (".ipynb", ".md")) for e in chinese)
    assert len(chinese) == len(set(chinese)) and "README.zh" in make_book.toc_entries(real)


@needs_jupyter_book
def test_the_site_has_both_languages_and_a_switch_on_every_page(tmp_path):
    result = _make_book(tmp_path, _bilingual_course(tmp_path / "course"))
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "book" / "_build" / "html"

    def page(rel: str) -> str:
        return (site / rel).read_text(encoding="utf-8")

    one, two, zh_one, zh_home = (
        page("notebooks/one.html"),
        page("notebooks/two.html"),
        page("zh/notebooks/one.html"),
        page("README.zh.html"),
    )
    assert "42 apples" in one and "42 个苹果" in zh_one  # both executed

    def switch(html: str) -> str:
        [line] = re.findall(r"<p>🌐(.*?)</p>", html, re.S)
        return line

    assert 'href="../zh/notebooks/one.html"' in switch(one)  # English -> its Chinese twin
    assert 'href="../../notebooks/one.html"' in switch(zh_one)  # Chinese -> its English page
    assert "中文版翻译中" in switch(two) and "href" not in switch(two)  # no twin yet: said so, no link
    assert 'href="README.html"' in switch(zh_home)
    assert 'href="../../notebooks/two.html"' in zh_one  # a Chinese page's link to an untranslated page
    assert 'href="zh/notebooks/one.html"' in zh_home
    assert "中文版 · 课程" in one  # the Chinese half is in the navigation of every page

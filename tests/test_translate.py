"""The Chinese edition from one source (scripts/translate.py): zh/ is a fresh build of the English
notebooks and their translation files, code cells are the English ones, and a changed English cell
is reported stale by notebook and cell. ``make translations`` runs the same check as the first test.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
translate = load_script("translate")
SCOPE = translate.in_scope()
MAP = "notebooks/course_map.ipynb"


def read(path: Path):
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


# --- the repository ----------------------------------------------------------------------------
def test_make_translations_finds_nothing_missing_or_stale():
    """What `make translations` checks: every notebook in scope translated, up to date, built."""
    assert MAP in SCOPE
    problems = translate.check(SCOPE)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("notebook", SCOPE)
def test_the_committed_chinese_notebook_is_a_fresh_build(notebook):
    committed = (ROOT / "zh" / notebook).read_text(encoding="utf-8")
    assert committed == translate.notebook_text(translate.build_notebook(notebook)), (
        f"zh/{notebook} differs from a fresh build: run .venv/bin/python scripts/translate.py build"
    )


@pytest.mark.parametrize("notebook", SCOPE)
def test_code_cells_are_the_english_ones_after_the_language_cell(notebook):
    english, chinese = read(ROOT / notebook), read(ROOT / "zh" / notebook)
    code = [c for c in chinese.cells if c.cell_type == "code"]
    assert code[0].id == "zh-language" and 'crmlib.set_language("zh")' in code[0].source
    assert chinese.cells.index(code[0]) == chinese.cells.index(code[1]) - 1  # just before the first English code cell
    assert code[1:] == [c for c in english.cells if c.cell_type == "code"]  # source, id, metadata, outputs
    assert chinese.metadata == english.metadata
    markdown = [c for c in chinese.cells if c.cell_type == "markdown"]
    assert [c.id for c in markdown] == [c.id for c in english.cells if c.cell_type == "markdown"]
    assert all(re.search(r"[\u4e00-\u9fff]", c.source) for c in markdown)


@pytest.mark.parametrize("notebook", SCOPE)
def test_every_relative_link_of_a_chinese_notebook_opens_a_file(notebook):
    here = posixpath.dirname(f"zh/{notebook}")
    text = "\n".join(c.source for c in read(ROOT / "zh" / notebook).cells if c.cell_type == "markdown")
    targets = [t for t in re.findall(r"\]\(([^)\s#]+)", text) if not re.match(r"^[a-z]+:", t)]
    if notebook == MAP:  # a chapter may have no links (01 has none); the course map links to every chapter
        assert targets, "the course map links to every chapter"
    broken = [t for t in targets if not (ROOT / posixpath.normpath(posixpath.join(here, t))).exists()]
    assert broken == []


def test_the_chinese_course_map_links_to_the_english_chapters_until_they_are_translated():
    text = "\n".join(c.source for c in read(ROOT / "zh" / MAP).cells)
    assert "](01_identification/03_rfm_segmentation.ipynb)" in text  # translated: its Chinese twin
    assert "](../casestudies/mobile_carrier/mobile_carrier.ipynb)" in text  # a translated case
    english = "\n".join(c.source for c in read(ROOT / MAP).cells)
    for target in set(re.findall(r"\]\(([^)\s#]+\.ipynb)\)", english)):  # the rest: English until translated
        path = posixpath.normpath(posixpath.join("notebooks", target))
        twin = posixpath.relpath(path, "notebooks") if path in SCOPE else posixpath.relpath(path, "zh/notebooks")
        assert f"]({twin})" in text, target
    assert translate.mend_links("[x](../README.md)", MAP, set(SCOPE)) == "[x](../../README.zh.md)"


PAGES = translate.pages_in_scope()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_chapter_and_case_readme_is_in_scope():
    readmes = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/*/README.md"))
    readmes += sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("casestudies/**/README.md"))
    assert len(readmes) == 15 and sorted(PAGES) == sorted(readmes)


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_page_is_a_fresh_build_in_chinese_whose_links_and_badges_open(page):
    committed = (ROOT / "zh" / page).read_text(encoding="utf-8")
    assert committed == translate.build_page(page), "run .venv/bin/python scripts/translate.py build"
    assert all(CHINESE.search(text) for _key, text in translate.page_sections(committed))
    here = posixpath.dirname(f"zh/{page}")
    targets = [t for t in re.findall(r"\]\(([^)\s#]+)", committed) if not re.match(r"^[a-z]+:", t)]
    assert [t for t in targets if not (ROOT / posixpath.normpath(posixpath.join(here, t))).exists()] == []
    english_badges = re.findall(r"urlpath=lab/tree/([^)\s&#]+)", (ROOT / page).read_text(encoding="utf-8"))
    badges = re.findall(r"urlpath=lab/tree/([^)\s&#]+)", committed)
    assert badges == [f"zh/{b}" for b in english_badges]  # every notebook has its Chinese twin
    assert all((ROOT / b).is_file() for b in badges)


def test_no_chinese_page_or_notebook_shows_literal_asterisks():
    """Markdown (CommonMark: JupyterLab, GitHub, the website) closes ``**`` after punctuation only
    before a space or more punctuation: ``**第 1 步。**顾客`` stays asterisks, ``**第 1 步**。顾客`` is
    bold. Rendered here by markdown-it, the website's parser; ``check`` names such a span too."""
    markdown_it = pytest.importorskip("markdown_it")
    render = markdown_it.MarkdownIt("commonmark").enable("table").render
    texts = {page: (ROOT / "zh" / page).read_text(encoding="utf-8") for page in PAGES}
    for notebook in SCOPE:
        for cell in read(ROOT / "zh" / notebook).cells:
            if cell.cell_type == "markdown":
                texts[f"{notebook} cell {cell.id}"] = cell.source
    shown = {
        where: text
        for where, text in texts.items()
        if "**" in re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", render(text), flags=re.S)
    }
    assert shown == {}
    assert render("**第 1 步。**顾客") == "<p>**第 1 步。**顾客</p>\n"  # the rule the test guards
    assert translate.unclosed_bold("**第 1 步。**顾客 **第 2 步**。顾客") == ["**第 1 步。**"]


@pytest.fixture
def pages(tmp_path):
    """A course of one README page (chapter 9) and its notebook, both in scope."""
    (tmp_path / "pyproject.toml").write_text('[project.urls]\nRepository = "https://github.com/o/r"\n')
    scope = translate.scope_file(tmp_path)
    scope.parent.mkdir(parents=True)
    scope.write_text("notebooks/ch/a.ipynb\nnotebooks/ch/README.md\n", encoding="utf-8")
    (tmp_path / "notebooks" / "ch").mkdir(parents=True)
    badge = "[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/"
    (tmp_path / PAGE).write_text(
        f"# Chapter 9 · Things 东西\n\n| Notebook | Open |\n|---|---|\n| [A](a.ipynb) | {badge}notebooks/ch/a.ipynb) |"
        "\n\n## Data\n\n```\n# a comment, not a heading\n```\n\n"
        "The table has 120 rows: see [the data](../../data.md).\n",
        encoding="utf-8",
    )
    return tmp_path


PAGE = "notebooks/ch/README.md"


def translate_page(root: Path, chinese: dict[str, str]) -> None:
    path = translate.translation_file(PAGE, root)
    entries = translate.read_translation(path)
    for key, text in chinese.items():
        entries[key] = {"hash": entries[key]["hash"], "zh": text}
    path.write_text(translate.dump_translation(PAGE, entries), encoding="utf-8")


def test_a_page_is_translated_by_sections_and_its_badges_open_the_chinese_twin(pages):
    assert translate.update(PAGE, pages) == 2
    entries = translate.read_translation(translate.translation_file(PAGE, pages))
    assert list(entries) == ["chapter-9-things", "data"]  # keyed by heading; a fenced "# ..." is no heading
    assert "](binder:notebooks/ch/a.ipynb) |" in entries["chapter-9-things"]["en"]  # no repository in the text
    assert [p.kind for p in translate.check([PAGE], pages)] == ["todo", "todo", "unbuilt"]
    translate_page(
        pages,
        {
            "chapter-9-things": "# 第 9 章 · 东西\n\n| 笔记本 | 打开 |\n|---|---|\n"
            "| [甲](a.ipynb) | [![Binder](https://mybinder.org/badge_logo.svg)](binder:notebooks/ch/a.ipynb) |",
            "data": "## 数据\n\n```\n# 注释\n```\n\n这张表有 120 行，见[数据说明](../../data.md)。",
        },
    )
    assert translate.build(PAGE, pages)
    built = (pages / "zh" / PAGE).read_text(encoding="utf-8")
    assert built == (
        "# 第 9 章 · 东西\n\n| 笔记本 | 打开 |\n|---|---|\n| [甲](a.ipynb) | [![Binder](https://mybinder.org/"
        "badge_logo.svg)](https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/zh/notebooks/ch/a.ipynb) |\n\n"
        "## 数据\n\n```\n# 注释\n```\n\n这张表有 120 行，见[数据说明](../../../data.md)。\n"
    )
    assert translate.check([PAGE], pages) == []


def test_a_changed_section_is_stale_a_new_repository_is_not_and_numbers_are_kept(pages):
    translate.update(PAGE, pages)
    title = "# 第 9 章 · 东西\n\n| 笔记本 |\n|---|\n| [甲](a.ipynb) |"
    translate_page(
        pages, {"chapter-9-things": title, "data": "## 数据\n\n这张表有 12 行，见[数据说明](../../data.md)。"}
    )
    translate.build(PAGE, pages)
    problems = translate.check([PAGE], pages)
    assert [(p.cell, p.kind) for p in problems] == [("chapter-9-things", "links"), ("data", "numbers")]
    assert "binder:notebooks/ch/a.ipynb" in problems[0].detail and "drops 120" in problems[1].detail
    badge = "[![Binder](https://mybinder.org/badge_logo.svg)](binder:notebooks/ch/a.ipynb)"
    translate_page(
        pages,
        {
            "chapter-9-things": f"{title[:-1]}| {badge} |",
            "data": "## 数据\n\n这张表有 120 行，见[数据说明](../../data.md)。",
        },
    )
    translate.build(PAGE, pages)
    assert translate.check([PAGE], pages) == []
    # a fork: the repository changes in pyproject.toml and the English badges (launch_links.py set-repo)
    for name in ("pyproject.toml", PAGE):
        path = pages / name
        path.write_text(path.read_text(encoding="utf-8").replace("o/r", "me/crm"), encoding="utf-8")
    assert [p.kind for p in translate.check([PAGE], pages)] == ["unbuilt"]  # nothing to translate again
    translate.build(PAGE, pages)
    assert "/v2/gh/me/crm/HEAD?urlpath=lab/tree/zh/notebooks/ch/a.ipynb" in (pages / "zh" / PAGE).read_text()
    english = pages / PAGE
    english.write_text(english.read_text(encoding="utf-8").replace("120 rows", "121 rows"), encoding="utf-8")
    assert [(p.cell, p.kind) for p in translate.check([PAGE], pages)] == [("data", "stale")]  # zh: old Chinese


# --- a copy of the course to break ---------------------------------------------------------------
@pytest.fixture
def course(tmp_path):
    """A small course: the course map, the translation and Chinese twin of every notebook and page in
    scope (the map's times of a translated notebook come from its twin), the translated exercise
    sets and the catalogue of printed sentences, in a temporary root."""
    editions = [f"zh/{n}" for n in SCOPE] + [translate.translation_file(n).relative_to(ROOT).as_posix() for n in SCOPE]
    sets = [translate.set_translation_file(s, Path()).as_posix() for s in translate.sets_in_scope()]
    sentences = translate.sentence_catalogue_file(Path()).as_posix()  # what the notebooks print, in Chinese
    pages = [
        part for page in PAGES for part in (page, f"zh/{page}", translate.translation_file(page, Path()).as_posix())
    ]
    for part in (MAP, "translations/zh/scope.txt", "pyproject.toml", sentences, *editions, *sets, *pages):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, tmp_path / part)
    for folder in ("notebooks", "casestudies"):  # the notebooks the map links to (for its times)
        for target in (ROOT / folder).rglob("*.ipynb"):
            if not (tmp_path / target.relative_to(ROOT)).exists():
                (tmp_path / target.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / target.relative_to(ROOT)).symlink_to(target)
    assert translate.check([MAP], tmp_path) == []
    return tmp_path


def edit(root: Path, cell_id: str, change) -> None:
    nb = read(root / MAP)
    cell = next(c for c in nb.cells if c.id == cell_id)
    cell.source = change(cell.source)
    nbformat.write(nb, root / MAP)


def kinds(root: Path) -> list[tuple]:
    return [(p.cell, p.kind) for p in translate.check([MAP], root)]


def test_an_edited_english_cell_is_reported_stale_by_notebook_and_cell(course, capsys):
    edit(course, "075f9943", lambda s: s.replace("Shift+Enter", "Shift+Return"))
    assert kinds(course) == [("075f9943", "stale")]
    assert translate.main(["check", "--root", str(course)]) == 1
    out = capsys.readouterr().out
    assert "notebooks/course_map.ipynb cell 075f9943: stale: the English cell changed: ## How to use it" in out


def test_update_keeps_the_old_chinese_and_shows_the_new_english(course):
    edit(course, "075f9943", lambda s: s.replace("Shift+Enter", "Shift+Return"))
    old = translate.read_translation(translate.translation_file(MAP, course))["075f9943"]
    assert translate.update(MAP, course) == 1
    entry = translate.read_translation(translate.translation_file(MAP, course))["075f9943"]
    assert entry["zh"] == old["zh"] and "Shift+Return" in entry["en"] and entry["hash"] != old["hash"]
    assert kinds(course) == [("075f9943", "todo")]  # not done until the translator removes `en`

    # the translator edits the Chinese and deletes the English block; then the build
    path = translate.translation_file(MAP, course)
    entries = translate.read_translation(path)
    entries["075f9943"] = {"hash": entry["hash"], "zh": entry["zh"].replace("Shift+Enter", "Shift+Return")}
    path.write_text(translate.dump_translation(MAP, entries), encoding="utf-8")
    assert kinds(course) == [(None, "unbuilt")]
    assert translate.main(["build", "--root", str(course)]) == 0
    assert kinds(course) == []
    assert "Shift+Return" in (course / "zh" / MAP).read_text(encoding="utf-8")


def test_a_changed_code_cell_reaches_the_chinese_notebook_only_through_the_build(course):
    edit(course, "144e79e0", lambda s: s + "\nprint(2 + 2)")  # (a print of English would need say())
    assert kinds(course) == [(None, "unbuilt")]
    translate.build(MAP, course)
    code = [c.source for c in read(course / "zh" / MAP).cells if c.cell_type == "code"]
    assert code[-1].endswith("print(2 + 2)") and kinds(course) == []


def test_new_removed_and_unfinished_cells(course):
    nb = read(course / MAP)
    added = nbformat.v4.new_markdown_cell("## A new section")
    added.id = "new-cell"
    nb.cells.insert(1, added)
    nb.cells = [c for c in nb.cells if c.id != "503a3f53"]
    nbformat.write(nb, course / MAP)
    assert sorted(kinds(course), key=str) == sorted(
        [("new-cell", "missing"), ("503a3f53", "unused"), (None, "unbuilt")], key=str
    )
    assert translate.update(MAP, course) == 1
    entries = translate.read_translation(translate.translation_file(MAP, course))
    assert "503a3f53" not in entries and entries["new-cell"]["en"] == "## A new section"
    # until translated, a new cell shows its English text in the Chinese notebook
    chinese = {c.id: c.source for c in translate.build_notebook(MAP, course).cells}
    assert chinese["new-cell"] == "## A new section"


def test_a_translation_must_keep_the_headings(course):
    path = translate.translation_file(MAP, course)
    entries = translate.read_translation(path)
    entries["b345ef02"]["zh"] = entries["b345ef02"]["zh"].replace("### 0. ", "0. ")
    path.write_text(translate.dump_translation(MAP, entries), encoding="utf-8")
    (problem,) = [p for p in translate.check([MAP], course) if p.kind == "structure"]
    assert problem.cell == "b345ef02" and "## ###" in problem.detail
    assert translate.structure_problem("## A **[Core]**", "## 甲 **[Core]**") is None
    assert "**[Core]**" in translate.structure_problem("## A **[Core]**", "## 甲")
    line = "**Time needed:** <!-- time -->about 5 minutes<!-- /time -->."
    assert translate.structure_problem(line, "**学习时间：**<!-- time --><!-- /time -->。") is None
    assert "<!-- time -->" in translate.structure_problem(line, "**学习时间：**约 5 分钟。")


def test_one_build_makes_every_chinese_notebook_whatever_the_order_of_the_scope(course):
    """The course map shows a translated notebook's times, read from its Chinese twin: the build
    makes the map last, so a notebook that joins the scope needs no second build."""
    scope = translate.in_scope(course)
    assert scope.index(MAP) < len(scope) - 1  # the map is listed before a notebook it links to
    for notebook in scope:
        (course / "zh" / notebook).unlink()
    assert translate.main(["build", "--root", str(course)]) == 0
    assert translate.check(scope, course) == []
    assert "| – | – |" not in (course / "zh" / MAP).read_text(encoding="utf-8")  # every linked file found


def test_a_notebook_in_scope_without_translation_and_a_stray_chinese_notebook(course):
    (course / "notebooks" / "extra.ipynb").write_text((course / MAP).read_text(encoding="utf-8"), encoding="utf-8")
    with open(course / "translations/zh/scope.txt", "a", encoding="utf-8") as scope:
        scope.write("notebooks/extra.ipynb\n")
    problems = translate.check(translate.in_scope(course), course)
    assert ("notebooks/extra.ipynb", "missing") in [(p.notebook, p.kind) for p in problems]
    (course / "zh" / "notebooks" / "old.ipynb").write_text("{}", encoding="utf-8")
    assert ("zh/notebooks/old.ipynb", "unused") in [
        (p.notebook, p.kind) for p in translate.check(translate.in_scope(course), course)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "  starts with spaces\nthen not",
        "ends with a newline\n",
        "trailing space \nx",
        "key: value # not a comment",
        "\"quoted\" 'both'",
        "一\n\n二",
    ],
)
def test_translation_files_hold_any_cell_text_exactly(text):
    entries = {"a1": {"hash": "0123456789ab", "zh": text}, "123e4": {"hash": "000000000000", "en": text, "zh": ""}}
    dumped = translate.dump_translation(MAP, entries)
    assert translate.yaml.safe_load(dumped) == {"a1": entries["a1"], "123e4": entries["123e4"]}


def test_make_lab_lang_zh_opens_the_chinese_course_map_and_make_translations_checks():
    import subprocess

    def dry_run(*args):
        return subprocess.run(["make", "-n", "-s", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    assert "jupyter lab zh/notebooks/course_map.ipynb" in dry_run("lab", "LANG=zh")
    assert "LANG=C.UTF-8" in dry_run("lab", "LANG=zh")  # the server keeps a real locale
    english = dry_run("lab", "LANG=en_US.UTF-8")
    assert "jupyter lab notebooks/course_map.ipynb" in english and "LANG=C.UTF-8" not in english
    assert "scripts/translate.py check" in dry_run("translations")


def test_the_chinese_front_door_is_linked_first_and_its_links_open():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(README.zh.md)" in readme.split("\n## ")[0]  # at the top, before the first section
    chinese = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)\s#]+)", chinese) if not re.match(r"^[a-z]+:", t)]
    assert "zh/notebooks/course_map.ipynb" in targets
    assert [t for t in targets if not (ROOT / t).exists()] == []
    assert "make lab LANG=zh" in chinese


def test_the_course_maps_times_are_written_not_translated():
    """Times move with every edit of a notebook; the translation is keyed to the words only, and
    the Chinese map gets its own times when it is built."""
    english = "| notebook | what |\n|---|---|\n| [a](a.ipynb) | one |"
    with_times = (
        "| notebook | what | core path | everything |\n|---|---|---|---|\n| [a](a.ipynb) | one | 5 min | 9 min |"
    )
    assert translate.source_hash(with_times) == translate.source_hash(english)
    assert translate.source_hash(with_times.replace("one", "two")) != translate.source_hash(english)
    built = nbformat.read(ROOT / "zh" / "notebooks" / "course_map.ipynb", as_version=4)
    chapters = next(c.source for c in built.cells if c.source.startswith("## 各章内容"))
    assert "| 笔记本 | 你要做什么 | 核心路径 | 全部内容 |" in chapters
    assert re.search(r"\| \d+ 分钟 \| \d+ 分钟 \|$", chapters, re.MULTILINE) and " min |" not in chapters


@pytest.mark.parametrize("notebook", SCOPE)
def test_the_build_writes_the_chinese_track_badges(notebook):
    """The translation keeps the English badge (the structure check compares it); the Chinese
    notebook shows **[核心]** / **[拓展分析]**, and its marks are consistent with them."""
    tracks = load_script("tracks")
    english, chinese = read(ROOT / notebook), read(ROOT / "zh" / notebook)
    text = "\n".join(c.source for c in chinese.cells if c.cell_type == "markdown")
    assert "**[Core]**" not in text and "**[Analytics]**" not in text
    assert tracks.mark_problems(chinese) == []
    assert [s.track for s in tracks.sections(chinese)] == [s.track for s in tracks.sections(english)]
    assert [s.title.endswith(tracks.BADGES_ZH["core"]) for s in tracks.sections(chinese)] == [
        s.title.endswith(tracks.BADGES["core"]) for s in tracks.sections(english)
    ]

"""The class demos in notebooks/demos/: one Voila dashboard per chapter widget, and each renders.

nbval already runs every demo as a notebook (it lies under notebooks/). Here one Voila server
started by ``make demo`` serves the course, every demo page is fetched once (Voila streams the page
while the notebook runs), and the page must hold the widget's view and no error. These tests are
skipped, saying why, where `make` has not set up .venv.
"""

from __future__ import annotations

import html
import json
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script
from servers import free_port, jupyter_env, running

ROOT = Path(__file__).resolve().parents[1]
DEMOS = ROOT / "notebooks" / "demos"
DEMO_FILES = sorted(DEMOS.glob("*.ipynb"))
CHAPTER_FILES = sorted((ROOT / "notebooks").glob("0*_*/*.ipynb"))
CELL_SECONDS = 60  # Voila's limit per cell: a stuck cell shows an error instead of hanging the page
PAGE_SECONDS = 90

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELL_OUTPUT = re.compile(r'<script type="application/vnd\.voila\.cell-output\+json">(.*?)</script>', re.S)
# The page template's own CSS and JavaScript name errors ("/* Error */", makeMermaidError): look past them.
TEMPLATE_CODE = re.compile(r"<style\b.*?</style>|<script\b(?![^>]*vnd\.voila\.cell-output).*?</script>", re.S)
WIDGET_IMPORT = re.compile(r"^from crmlib\.widgets\.(\w+) import \(?([\w, ]+)", re.M)
EXPLORER_CALL = re.compile(r"^(\w+_explorer)\(", re.M)
CHAPTER_LINK = re.compile(r"\]\((\.\./0[^)]+\.ipynb)\)")


def code_of(notebook: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code")


def widgets_built(notebook: Path) -> set[str]:
    """``module.explorer`` of every crmlib explorer the notebook builds (imports it, then calls it)."""
    code = code_of(notebook)
    module_of = {name.strip(): module for module, names in WIDGET_IMPORT.findall(code) for name in names.split(",")}
    return {f"{module_of[name]}.{name}" for name in EXPLORER_CALL.findall(code) if name in module_of}


def rendered(url: str) -> str:
    """The whole page Voila streams for a notebook (it sends heartbeats while a cell runs)."""
    deadline, chunks = time.monotonic() + PAGE_SECONDS, []
    with urllib.request.urlopen(url, timeout=30) as response:
        while chunk := response.read1(1 << 16):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise AssertionError(f"{url}: the page was still streaming after {PAGE_SECONDS} s")
    return b"".join(chunks).decode("utf-8")


def test_every_chapter_widget_has_a_demo():
    in_chapters = set().union(*map(widgets_built, CHAPTER_FILES))
    in_demos = set().union(*map(widgets_built, DEMO_FILES))
    assert len(in_chapters) >= 19
    assert in_chapters - in_demos == set(), "chapter widgets without a demo in notebooks/demos/"


@pytest.mark.parametrize("demo", DEMO_FILES, ids=lambda p: p.stem)
def test_a_demo_builds_one_widget_links_its_chapter_and_is_stored_clean(demo):
    nb = nbformat.read(demo, as_version=4)
    assert len(widgets_built(demo)) == 1
    links = [link for cell in nb.cells if cell.cell_type == "markdown" for link in CHAPTER_LINK.findall(cell.source)]
    assert links and all((DEMOS / link).resolve().is_file() for link in links), links
    assert all(
        not cell.get("outputs") and not cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code"
    )
    assert demo.name in (DEMOS / "README.md").read_text(encoding="utf-8"), "the demos' README lists every demo"


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Base URL of the Voila server `make demo` starts (serving the course, demos in notebooks/demos/)."""
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("needs the environment `make` sets up (.venv, with Voila)")
    tmp = tmp_path_factory.mktemp("voila")
    port = free_port()
    command = ["make", "-s", "demo", f"DEMO_PORT={port}", f"DEMO_ARGS=--VoilaExecutor.timeout={CELL_SECONDS}"]
    with running(command, f"http://127.0.0.1:{port}/", ROOT, tmp / "voila.log", jupyter_env(tmp)):
        yield f"http://127.0.0.1:{port}"


def page_outputs(page: str, name: str) -> list[dict]:
    """The cell outputs of a rendered Voila page, after checking that it shows no error."""
    shown = TEMPLATE_CODE.sub("", page)
    problem = re.search(r"(?i)traceback|error|timed out", shown)
    assert problem is None, f"{name}: the page shows {shown[problem.start() - 100 : problem.end() + 200]!r}"
    outputs = [json.loads(block) for block in CELL_OUTPUT.findall(page)]
    assert [out for out in outputs if out.get("output_type") == "error"] == []
    return outputs


def demo_url(voila: str, demo: Path) -> str:
    return f"{voila}/voila/render/{demo.relative_to(ROOT).as_posix()}"


@pytest.mark.parametrize("demo", DEMO_FILES, ids=lambda p: p.stem)
def test_voila_renders_the_demo(voila, demo):
    outputs = page_outputs(rendered(demo_url(voila, demo)), demo.name)
    assert any(WIDGET_VIEW in out.get("data", {}) for out in outputs), f"{demo.name}: no widget view on the page"


def test_a_demo_page_links_to_its_chapter(voila):
    """The link back to the chapter, followed as a browser would, opens the chapter (run by Voila)."""
    demo = DEMOS / "0_1_pareto.ipynb"
    url = demo_url(voila, demo)
    links = re.findall(r'href="([^"]*\.ipynb)"', rendered(url))
    assert links == ["../00_overview/01_what_is_crm.ipynb"]
    chapter = urllib.parse.urljoin(url, links[0])
    page = rendered(chapter)
    first_cell = nbformat.read(ROOT / "notebooks" / "00_overview" / "01_what_is_crm.ipynb", as_version=4).cells[0]
    assert first_cell.source.splitlines()[0].lstrip("# ") in html.unescape(page)  # "What is CRM? 客户关系管理概述"
    assert page_outputs(page, chapter)


# ---------------------------------------------------------------------------------------------
# the Chinese demos: `make demo LANG=zh` (zh/notebooks/demos/, built by scripts/translate.py)
# ---------------------------------------------------------------------------------------------
ZH_DEMOS = ROOT / "zh" / "notebooks" / "demos"
ZH_DEMO_FILES = sorted(ZH_DEMOS.glob("*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def voila_zh(tmp_path_factory):
    """Base URL of the Voila server `make demo LANG=zh` starts."""
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("needs the environment `make` sets up (.venv, with Voila)")
    tmp = tmp_path_factory.mktemp("voila-zh")
    port = free_port()
    command = [
        "make",
        "-s",
        "demo",
        "LANG=zh",
        f"DEMO_PORT={port}",
        f"DEMO_ARGS=--VoilaExecutor.timeout={CELL_SECONDS}",
    ]
    with running(command, f"http://127.0.0.1:{port}/", ROOT, tmp / "voila.log", jupyter_env(tmp)):
        yield f"http://127.0.0.1:{port}", tmp / "voila.log"


def test_the_chinese_demo_list_names_each_demo_in_its_language():
    editions = load_script("editions")
    lines = editions.demo_links("zh", 8870)
    assert len(lines) == len(DEMO_FILES)
    for demo, line in zip(DEMO_FILES, lines, strict=True):
        twin = ZH_DEMOS / demo.name
        where = "zh/notebooks/demos" if twin.is_file() else "notebooks/demos"
        assert line.split()[1] == f"http://127.0.0.1:8870/voila/render/{where}/{demo.name}", line
        assert ("not translated yet" in line) == (not twin.is_file())


@pytest.mark.parametrize("demo", ZH_DEMO_FILES, ids=lambda p: p.stem)
def test_voila_renders_the_chinese_demo(voila_zh, demo):
    page = rendered(demo_url(voila_zh[0], demo))
    outputs = page_outputs(page, demo.name)
    assert any(WIDGET_VIEW in out.get("data", {}) for out in outputs), f"{demo.name}: no widget view on the page"
    title = nbformat.read(demo, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
    assert CJK.search(title) and title in html.unescape(page)


def test_a_chinese_demo_links_to_its_chinese_chapter(voila_zh):
    base, log = voila_zh
    assert "/voila/tree/zh/notebooks/demos" in log.read_text(encoding="utf-8")  # what `make demo LANG=zh` says
    demo = ZH_DEMOS / "0_1_pareto.ipynb"
    url = demo_url(base, demo)
    links = re.findall(r'href="([^"]*\.ipynb)"', rendered(url))
    assert links == ["../00_overview/01_what_is_crm.ipynb"]
    chapter = urllib.parse.urljoin(url, links[0])
    assert chapter.endswith("/voila/render/zh/notebooks/00_overview/01_what_is_crm.ipynb")
    page = rendered(chapter)
    first_cell = nbformat.read(ROOT / "zh" / "notebooks" / "00_overview" / "01_what_is_crm.ipynb", as_version=4).cells[
        0
    ]
    assert first_cell.source.splitlines()[0].lstrip("# ") in html.unescape(page)
    assert page_outputs(page, chapter)

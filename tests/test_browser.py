"""The course in a real browser: Playwright drives Debian's Chromium (no browser download).

* JupyterLab opens a chapter notebook, runs every cell, and the Pareto slider changes the chart;
* JupyterLab opens and saves a notebook of a git clone, and ``git diff`` stays empty;
* a Voila class demo answers its slider the same way;
* a reveal.js deck from `make slides` opens from disk with every request blocked but file:// ones;
* a page of the course website (`make book`) opened from disk the same way typesets its formulas,
  draws its widget and logs nothing to the console;
* every slide of an executed lecture deck fits 1280x720.

Each test leaves a screenshot in build/browser/ (kept as a CI artefact). The tests need
/usr/bin/chromium (`apt-get install chromium`) and are skipped, saying so, without it. Select or
leave them out with ``-m browser`` / ``-m "not browser"``.
"""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from script_loader import load_script
from servers import free_port, jupyter_env, running

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "browser"
CHAPTER = ROOT / "notebooks" / "00_overview" / "01_what_is_crm.ipynb"  # ends with the Pareto explorer
DEMOS = ROOT / "notebooks" / "demos"
# As root Chromium needs --no-sandbox; the rest stop it calling Google's services on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]
TIMEOUT_MS = 120_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need playwright (pip install -e '.[test]')"
    )
    sync_api.expect.set_options(timeout=TIMEOUT_MS)  # expect() has its own 5 s default; a chapter runs longer
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; its screenshot is saved as build/browser/<test>.png however the test ends."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.errors = errors
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{request.node.name}.png", full_page=False)
    context.close()


def jupyter(app: str) -> list[str]:
    return [sys.executable, "-m", app]


def move_slider_right(page, slider) -> None:
    """Press the right arrow on a widget slider's handle, as a keyboard user would."""
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")


def expect_pareto_slider_redraws(page, scope) -> None:
    """The Pareto explorer starts at top 20 %; one step right shows top 25 % and a new chart."""
    from playwright.sync_api import expect

    slider = scope.locator(".widget-slider").first
    expect(slider).to_be_visible()
    summary = scope.get_by_text(re.compile(r"Share of the value brought by the top \d+%"))
    expect(summary).to_contain_text("top 20%")
    chart = scope.locator(".widget-image").first
    before = chart.get_attribute("src")
    move_slider_right(page, slider)
    expect(summary).to_contain_text("top 25%")
    expect(chart).not_to_have_attribute("src", before or "")
    expect(slider.locator(".widget-readout")).to_have_text("25")


def wait_for_saved_outputs(path: Path, seconds: float = 30):
    """The notebook as JupyterLab saved it, once the save holds outputs."""
    import nbformat

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        nb = nbformat.read(path, as_version=4)
        if any(cell.get("outputs") for cell in nb.cells):
            return nb
        time.sleep(0.3)
    raise AssertionError(f"JupyterLab did not save {path.name} with outputs within {seconds:.0f} s")


def wait_for_idle_kernel(api: str, seconds: float = 120) -> None:
    """Wait until the server reports the notebook's kernel started and idle.

    While a kernel is still starting, jupyter_server may answer the kernel list with a 500 (its
    ``last_activity`` is not set yet: "expected a datetime, not the NoneType None"); that is
    asked again, like a kernel that is not idle yet.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(api, timeout=5) as response:
                if any(k.get("execution_state") == "idle" for k in json.load(response)):
                    return
        except urllib.error.HTTPError as error:
            if error.code != 500:
                raise
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel within {seconds:.0f} s")


def lab_command(port: int, token: str, root: Path, tmp_path: Path) -> list[str]:
    """JupyterLab serving ``root``, its workspaces and user settings kept in ``tmp_path``."""
    return jupyter("jupyterlab") + [
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--allow-root",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]


def test_jupyterlab_runs_a_chapter_and_its_slider_redraws(page, tmp_path):
    from playwright.sync_api import expect

    work = tmp_path / "work"  # a copy: JupyterLab autosaves outputs into the notebook it runs
    work.mkdir()
    shutil.copy(CHAPTER, work / CHAPTER.name)
    port, token = free_port(), "browser-test"
    command = lab_command(port, token, work, tmp_path)
    with running(
        command, f"http://127.0.0.1:{port}/api/status?token={token}", ROOT, tmp_path / "lab.log", jupyter_env(tmp_path)
    ):
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{CHAPTER.name}?token={token}")
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        expect(notebook.locator(".jp-Cell").first).to_be_visible()
        wait_for_idle_kernel(f"http://127.0.0.1:{port}/api/kernels?token={token}")  # Run All before that can be lost

        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        expect_pareto_slider_redraws(page, notebook)

        expect(notebook.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(0)
        notebook.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")  # JupyterLab draws only the cells in view: read the saved file
        saved = wait_for_saved_outputs(work / CHAPTER.name)
    code = [cell for cell in saved.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "a code cell did not run"
    assert [o for cell in code for o in cell.outputs if o.output_type == "error" or o.get("name") == "stderr"] == []
    assert page.errors == []


def git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_opening_and_saving_a_notebook_in_jupyterlab_leaves_git_clean(page, tmp_path):
    """The stored notebook is what JupyterLab writes, once its kernel has told it the language."""
    from playwright.sync_api import expect

    work = tmp_path / "course"  # a git repository holding a copy of the chapter, as a student's clone
    work.mkdir()
    shutil.copy(CHAPTER, work / CHAPTER.name)
    git("init", "-q", cwd=work)
    git("add", CHAPTER.name, cwd=work)
    git("commit", "-q", "-m", "course", cwd=work)
    saved = work / CHAPTER.name
    before = saved.stat().st_mtime_ns
    port, token = free_port(), "browser-test"
    env = dict(jupyter_env(tmp_path), JUPYTER_CONFIG_PATH=str(ROOT / "lab"))  # the settings `make lab` uses
    with running(
        lab_command(port, token, work, tmp_path),
        f"http://127.0.0.1:{port}/api/status?token={token}",
        ROOT,
        tmp_path / "lab.log",
        env,
    ):
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{CHAPTER.name}?token={token}")
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        expect(notebook.locator(".jp-Cell").first).to_be_visible()
        wait_for_idle_kernel(f"http://127.0.0.1:{port}/api/kernels?token={token}")
        # the toolbar names the kernel once it has connected and sent its language_info
        expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName")).to_have_text(
            "Python 3 (ipykernel)"
        )
        notebook.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while saved.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert saved.stat().st_mtime_ns != before, "JupyterLab did not save the notebook"
        # lab/settings/overrides.json: the course's Lab does not ask about "official Jupyter news"
        assert page.get_by_text(re.compile("Jupyter news")).count() == 0
    diff = git("diff", "--unified=0", cwd=work)
    stored = json.loads(CHAPTER.read_text(encoding="utf-8"))["metadata"]["language_info"].get("version")
    if stored == platform.python_version():
        assert diff == ""
    else:  # another Python than the course's: JupyterLab records its version, and nothing else changes
        changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        assert changed == [f'-   "version": "{stored}"', f'+   "version": "{platform.python_version()}"'], diff
    assert page.errors == []


@pytest.fixture(scope="module")
def pareto_demo() -> Path:
    found = sorted(p for p in DEMOS.glob("*.ipynb") if "pareto_explorer" in p.read_text(encoding="utf-8"))
    assert found, f"no Voila demo of the Pareto explorer in {DEMOS}"
    return found[0]


def test_a_voila_demo_answers_its_slider(page, tmp_path, pareto_demo):
    from playwright.sync_api import expect

    port = free_port()
    command = [
        str(Path(sys.executable).with_name("voila")),
        str(ROOT),
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
    ]  # the course root, as `make demo` serves it
    with running(command, f"http://127.0.0.1:{port}/", ROOT, tmp_path / "voila.log", jupyter_env(tmp_path)):
        page.goto(f"http://127.0.0.1:{port}/voila/render/{pareto_demo.relative_to(ROOT).as_posix()}")
        expect(page.locator("body")).not_to_contain_text("Traceback")
        expect_pareto_slider_redraws(page, page.locator("body"))
        assert page.locator("pre", has_text="Error").count() == 0
    assert page.errors == []


def test_a_slide_deck_opens_offline(page, tmp_path):
    """The deck needs nothing but files: every http(s) request is refused, and reveal.js still runs."""
    from playwright.sync_api import expect

    if shutil.which("npm") is None:
        pytest.skip("npm is needed to fetch reveal.js for the deck")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_slides.py"),
            "--out",
            str(tmp_path / "slides"),
            "--js",
            str(ROOT / "build" / "reveal"),
            str(CHAPTER),
        ],
        check=True,
        capture_output=True,
    )
    deck = tmp_path / "slides" / "notebooks" / "00_overview" / "01_what_is_crm.slides.html"
    refused = []
    page.route(re.compile(r"^https?://"), lambda route: (refused.append(route.request.url), route.abort()))
    page.goto(deck.as_uri())
    expect(page.locator(".reveal.ready")).to_be_attached()  # reveal.js marks the deck ready once it runs
    slides = page.locator(".reveal .slides > section")
    assert slides.count() > 10
    expect(slides.nth(0)).to_have_class(re.compile(r"\bpresent\b"))
    page.keyboard.press("ArrowRight")
    expect(slides.nth(1)).to_have_class(re.compile(r"\bpresent\b"))
    page.wait_for_timeout(1000)  # let the slide transition end, for the screenshot
    assert page.errors == []
    assert refused == []


# Every leaf slide's content height, each shown in turn at the deck's size (1280x720).
SLIDE_HEIGHTS = """() => [...document.querySelectorAll('.reveal .slides section')]
    .filter(s => !s.querySelector('section'))
    .map(s => { const shown = s.style.display; s.style.display = 'block'; const h = s.scrollHeight;
                s.style.display = shown; return [h, s.innerText.trim().split('\\n')[0]]; })"""


def test_a_lecture_deck_shows_results_and_every_slide_fits(page, tmp_path):
    """`make slides` decks: executed, code hidden, title and objectives first, questions last, no overflow."""
    from playwright.sync_api import expect

    if shutil.which("npm") is None and not (ROOT / "build" / "reveal" / "node_modules").is_dir():
        pytest.skip("npm is needed to fetch reveal.js for the deck")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_slides.py"),
            "--execute",
            "--out",
            str(tmp_path / "slides"),
            "--js",
            str(ROOT / "build" / "reveal"),
            str(CHAPTER),
        ],
        check=True,
        capture_output=True,
    )
    deck = tmp_path / "slides" / "notebooks" / "00_overview" / "01_what_is_crm.slides.html"
    refused = []
    page.set_viewport_size({"width": 1280, "height": 720})
    page.route(re.compile(r"^https?://"), lambda route: (refused.append(route.request.url), route.abort()))
    page.goto(deck.as_uri())
    expect(page.locator(".reveal.ready")).to_be_attached()
    assert page.locator(".reveal .slides").evaluate("s => [s.style.width, s.style.height]") == ["1280px", "720px"]
    heights = page.evaluate(SLIDE_HEIGHTS)
    assert len(heights) > 20
    assert [(h, first) for h, first in heights if h > 720] == []  # nothing hangs below the slide
    slides = page.locator(".reveal .slides section:not(:has(section))")
    assert "Learning objectives" in slides.first.inner_text()  # the title slide names the objectives
    assert slides.last.inner_text().strip().upper().startswith("DISCUSSION QUESTIONS")
    assert page.locator(".jp-CodeCell").count() > 5  # the results of the chapter's code ...
    assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0  # ... without the code
    assert page.locator(".jp-OutputArea-output img").count() >= 1  # the chapter's chart
    assert page.errors == [] and refused == []


# The widget renderer (@jupyter-widgets/html-manager 1.x) compiles its state schema with ajv in
# strict mode, which logs this warning on every page with a widget; it is the library's, not ours.
AJV_STRICT = re.compile(r"^strict mode: use allowUnionTypes to allow union type keyword at .*\(strictTypes\)$")


def tiny_course(folder: Path) -> Path:
    """A course with a home page (a Binder badge) and a notebook with formulas and a widget; its TOC."""
    import nbformat

    (folder / "notebooks").mkdir(parents=True)
    badge = "[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/x)"
    (folder / "README.md").write_text(
        f"# Tiny course\n\n{badge}\n\nSee [the notebook](notebooks/tiny.ipynb).\n", encoding="utf-8"
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "# Tiny\n\nA customer brings margin $m$ each period.\n\n$$\nCLV = \\frac{m\\,r}{1 + d - r}\n$$\n"
            ),
            nbformat.v4.new_code_cell(
                "import ipywidgets\nipywidgets.VBox([ipywidgets.IntSlider(value=7, description='periods'),"
                " ipywidgets.ToggleButtons(options=['tea', 'retail'])])"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "notebooks" / "tiny.ipynb")
    toc = folder / "_toc.yml"
    toc.write_text("format: jb-book\nroot: README\nchapters:\n  - file: notebooks/tiny\n", encoding="utf-8")
    return toc


def test_the_website_works_offline_from_disk(page, tmp_path):
    """Formulas typeset, the widget is drawn from its saved state, the console stays empty."""
    from playwright.sync_api import expect

    pytest.importorskip("jupyter_book", reason="the website needs the [book] extra (make book installs it)")
    if shutil.which("npm") is None and not (ROOT / "build" / "book-js" / "node_modules").is_dir():
        pytest.skip("npm is needed to fetch the website's JavaScript once")
    toc = tiny_course(tmp_path / "course")
    hub = "https://hub.example.edu"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_book.py"),
            "--source",
            str(tmp_path / "course"),
            "--toc",
            str(toc),
            "--out",
            str(tmp_path / "book"),
            "--hub",
            hub,
        ],
        check=True,
        capture_output=True,
    )
    html = tmp_path / "book" / "_build" / "html"
    refused, console = [], []
    page.route(re.compile(r"^(?!file:)"), lambda route: (refused.append(route.request.url), route.abort()))
    page.on("console", lambda message: console.append((message.type, message.text)))

    page.goto((html / "README.html").as_uri())
    expect(page.get_by_role("link", name="▶ Binder")).to_be_visible()  # a text link: the badge image is online

    page.goto((html / "notebooks" / "tiny.html").as_uri())
    article = page.locator("article")
    expect(article.locator("mjx-container")).to_have_count(2)  # $m$ and the CLV formula, typeset by MathJax
    assert "\\(" not in article.inner_text() and "$$" not in article.inner_text()
    slider = article.locator(".widget-slider")
    expect(slider).to_be_visible()  # drawn by the widget renderer from the state saved at build time
    expect(slider.locator(".widget-readout")).to_have_text("7")
    expect(slider.locator(".widget-label")).to_have_text("periods")
    expect(article.locator(".widget-toggle-button")).to_have_count(2)  # its icon font loads from _static/ too
    page.wait_for_timeout(1000)  # let late requests and messages arrive

    launch = page.locator(f'a[href^="{hub}/hub/user-redirect/git-pull"]')
    assert launch.count() == 1  # the launch menu offers the hub beside Binder
    query = parse_qs(urlsplit(launch.get_attribute("href")).query)
    expected = parse_qs(
        urlsplit(
            load_script("launch_links").nbgitpuller_url(hub, "notebooks/tiny.ipynb", "crm-course/crm-course")
        ).query
    )
    assert query == expected
    assert refused == []
    assert [(kind, text) for kind, text in console if kind in ("error", "warning") and not AJV_STRICT.match(text)] == []
    assert page.errors == []

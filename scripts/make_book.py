#!/usr/bin/env python3
"""Build the course website: a static HTML site of the whole course made with Jupyter Book 1.x.

    python scripts/make_book.py [--out build/book]

``make book`` runs this offline (ci/offline on PYTHONPATH). Steps:

1. Check that ``book/_toc.yml`` lists every notebook under ``notebooks/`` (except ``demos/``)
   and ``casestudies/``; stop with the missing paths otherwise.
2. Stage the course into ``<out>/src``, mirroring the repository: README.md (the home page),
   ``notebooks/`` without ``demos/``, ``casestudies/``, ``datasets/README.md`` and
   ``datasets/samples/`` (``your_own_data.ipynb`` reads a sample from there) and the glossary page
   ``book/glossary.md`` (scripts/glossary.py). In the staged copy
   only, solution cells (tag ``solution``) are collapsed: a code cell gets the ``hide-cell`` tag
   (a "Show the solution" button), a markdown cell becomes a closed dropdown; and relative links
   are mended: a link to a folder points at its README.md, a link to a repository file that is
   not on the site (``notebooks/demos/``, ``crmlib/`` …) points at it on GitHub. The sources
   themselves are never written to.
   The Chinese edition is staged too (``README.zh.md`` and ``zh/`` without ``zh/notebooks/demos/``):
   one site in both languages. Its pages join the table of contents as a second half,
   "中文版", in the English order (:func:`bilingual_toc`): each English page that has a Chinese
   twin (scripts/editions.py) is followed there by the twin; a page not translated yet has no
   Chinese entry, and the Chinese pages' links to it open the English page (scripts/translate.py
   writes them so). Every page gets a language switch under its title (:func:`language_switch`):
   "English · [中文]" linking its counterpart, or "中文版翻译中" where there is none yet. The
   Chinese notebooks are executed like the English ones (their outputs are Chinese once
   ``crmlib.set_language("zh")`` has run), which adds their running time to the build.
3. Build ``<out>/src`` into ``<out>/_build/html`` with Sphinx, warnings as errors: every
   notebook is executed afresh in its own folder (``book/_config.yml``), and a cell error, a
   warning printed by a cell or a broken link fails the build. A failed notebook is named at
   the end with the number and first line of its failing cell.

Notebooks run one at a time: in Sphinx's parallel reading one notebook now and then took two
minutes instead of five seconds, and the extension sphinx_external_toc loads does not declare
itself parallel safe. The repository URL of the site's buttons (GitHub, Binder) is
``[project.urls] Repository`` from pyproject.toml.
``--source`` and ``--toc`` build another folder laid out like this one (tests/test_book.py
builds a one-notebook book that way).

The site works with the network off, also opened from disk: MathJax 3, require.js and the
ipywidgets HTML manager (a widget shows the state it had when the notebook ran, with no kernel
behind it) are fetched from the npm registry once, at build time, into ``build/book-js``
(reused while present), and served from the site's ``_static/``; theme, search, fonts and plots
are local files too. Binder badges become text links (their image lives on mybinder.org), and
the Thebe extension, which the site does not use, is left out (its script declared
``THEBE_JS_URL`` twice on every page). ``--hub URL`` adds a JupyterHub to each page's launch
menu, beside Binder: the link pulls the course into the student's home with nbgitpuller.
"""

from __future__ import annotations

import argparse
import io
import posixpath
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).parent))
import editions  # noqa: E402  (which page translates which)
from launch_links import BADGE, repository  # noqa: E402  (the one reader of the repository's URL)
from make_slides import ensure_js  # noqa: E402  (the one way the scripts fetch JavaScript from npm)

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "book" / "_config.yml"
NOTEBOOK_FOLDERS = ("notebooks", "casestudies")
EXCLUDED = ("notebooks/demos", "zh/notebooks/demos")  # Voila dashboards, served by `make demo`, not on the site
STAGED = (
    "README.md",
    "notebooks",
    "casestudies",
    "datasets/README.md",
    "datasets/samples",
    "book/glossary.md",
    "README.zh.md",
    "zh",
)
LANGUAGE = "zh"  # the site's second language
ZH_PART = "中文版"  # the caption of the Chinese half of the table of contents starts with it
SWITCH = "🌐 {en} · {zh}"  # the language switch under each page's title
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".pytest_cache"}
SOLUTION_TAG = "solution"
SOLUTION_PROMPTS = {
    "code_prompt_show": "Show the solution · 显示参考答案",
    "code_prompt_hide": "Hide the solution · 隐藏参考答案",
}
NOTES_TITLE = "Instructor notes · 教师备注"
# The JavaScript the site serves itself: npm spec -> the file the pages load from the package.
SITE_JS = {
    "mathjax@^3": "es5/tex-mml-chtml.js",
    "requirejs@^2": "require.js",
    "@jupyter-widgets/html-manager@^1": "dist/embed-amd.js",
}
# What of MathJax's es5/ folder the site keeps: the combined TeX component, and what it loads on
# demand (fonts, TeX extensions, the menu and its accessibility tools); not the SVG output.
MATHJAX_PARTS = ("tex-mml-chtml.js", "output/chtml", "input", "ui", "a11y", "sre", "adaptors")
ASSETS = "_offline"  # the staged folder copied into the site's _static/ (not "_static": Jupyter
# Book would then load every .js file in it on every page)
WIDGETS = "@jupyter-widgets/html-manager/dist"  # under _static/: the widget renderer and its icon fonts
# Loaded between require.js and the widget renderer, on pages with widgets. The renderer is an AMD
# module named after its npm path and looks for its icon fonts beside that path, relative to
# require.js's base URL: the base becomes _static/, whatever the page's depth (widgets of
# @jupyter-widgets/controls look one folder up, so the fonts are there too). The renderer
# typesets widget labels with MathJax 2's MathJax.Hub.Queue, which MathJax 3 lacks ("Cannot read
# properties of undefined (reading 'Queue')"): a Hub that asks MathJax 3 to typeset stands in.
WIDGETS_SETUP = """// written by scripts/make_book.py: see WIDGETS_SETUP there
require.config({baseUrl: document.documentElement.dataset.content_root + "_static/"});
document.addEventListener("DOMContentLoaded", () => {
  const mathjax = window.MathJax;
  if (mathjax && !mathjax.Hub) {
    mathjax.Hub = {Queue: (job) => mathjax.startup.promise.then(() => mathjax.typesetPromise([job[2]]))};
  }
});
"""
LINK = re.compile(r"(\]\()([^)\s#]*)(#[^)\s]*)?(\s+\"[^\"]*\")?(\))")
FAILED = re.compile(r"^(?P<path>\S+\.ipynb)(?::\d+)?: WARNING: Executing notebook failed: (?P<error>\w+)", re.M)
ERROR_LINE = re.compile(r"^\w*(?:Error|Exception|Interrupt)\b.*$", re.M)  # the last line of a traceback
FAILED_CELL = re.compile(
    r"(?:executing the following cell|preview of the cell contents):\n-{10,}\n"
    r"(?P<source>.*?)\n-{10,}",
    re.S,
)  # nbclient quotes the failed cell between dashes


def is_excluded(rel: Path) -> bool:
    posix = rel.as_posix()
    return bool(SKIP_PARTS & set(rel.parts)) or any(posix == e or posix.startswith(e + "/") for e in EXCLUDED)


def course_notebooks(source: Path = ROOT) -> list[str]:
    """Every notebook the site must show, as repository paths without the suffix.

    >>> "notebooks/course_map" in course_notebooks()
    True
    """
    found = [p.relative_to(source) for folder in NOTEBOOK_FOLDERS for p in (source / folder).rglob("*.ipynb")]
    return sorted(p.with_suffix("").as_posix() for p in found if not is_excluded(p))


def toc_entries(toc: dict) -> list[str]:
    """The file entries of a Jupyter Book table of contents (a parsed _toc.yml), in reading order.

    >>> toc_entries({"root": "README", "parts": [{"chapters": [{"file": "a", "sections": [{"file": "b"}]}]}]})
    ['README', 'a', 'b']
    """
    entries = [toc["root"]] if "root" in toc else []
    for key in ("parts", "chapters", "sections"):
        for item in toc.get(key, []):
            entries += ([item["file"]] if "file" in item else []) + toc_entries(item)
    return entries


def missing_from_toc(toc_path: Path, source: Path = ROOT) -> list[str]:
    """Notebooks of ``source`` that the table of contents does not list."""
    listed = set(toc_entries(yaml.safe_load(toc_path.read_text(encoding="utf-8"))))
    return [nb for nb in course_notebooks(source) if nb not in listed]


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str | None:
    """The GitHub URL of ``[project.urls] Repository`` in pyproject.toml; None without that file."""
    return f"https://github.com/{repository(pyproject)}" if pyproject.is_file() else None


def files_to_stage(source: Path) -> list[Path]:
    """The files of ``source`` the site is built from, as relative paths in a fixed order."""
    files = []
    for name in STAGED:
        path = source / name
        found = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
        files += [p.relative_to(source) for p in found if not is_excluded(p.relative_to(source))]
    return sorted(files, key=Path.as_posix)


def chinese_title(title: str) -> str:
    """The Chinese half of a bilingual caption or title ("English · 中文"), else the whole.

    >>> chinese_title("0 · What CRM is · 客户关系管理概述"), chinese_title("Glossary")
    ('0 · 客户关系管理概述', 'Glossary')
    """
    parts = title.split(" · ")
    if len(parts) < 2 or not re.search(r"[\u4e00-\u9fff]", parts[-1]):
        return title
    return " · ".join(([parts[0]] if len(parts) > 2 else []) + [parts[-1]])


def chinese_page(entry: str, source: Path) -> str | None:
    """The TOC entry of the Chinese twin of the page ``entry`` (a path without suffix), if any."""
    for suffix in (".ipynb", ".md"):
        twin = editions.twin(Path(entry + suffix), LANGUAGE, source)
        if twin is not None:
            return twin.with_suffix("").as_posix()
    return None


def chinese_entries(items: list[dict], source: Path) -> list[dict]:
    """The Chinese twins of TOC ``items`` (chapters or sections), in order; an item without a twin
    drops out and its translated sections take its place."""
    found = []
    for item in items:
        sections = chinese_entries(item.get("sections", []), source)
        twin = chinese_page(item["file"], source) if "file" in item else None
        if twin is None:
            found += sections
            continue
        entry = {"file": twin}
        if "title" in item:
            entry["title"] = chinese_title(item["title"])
        if sections:
            entry["sections"] = sections
        found.append(entry)
    return found


def bilingual_toc(toc: dict, source: Path) -> dict:
    """``toc`` (a parsed _toc.yml) followed by its Chinese half: the Chinese home page
    (README.zh.md), then the translated pages in the English order, part by part under captions
    "中文版 · …" (a TOC without parts gets them as further chapters). A new dict; without any
    Chinese page, ``toc`` itself.

    >>> bilingual_toc({"root": "README", "parts": [{"caption": "A · 甲", "chapters": [{"file": "x"}]}]},
    ...               Path("/nowhere"))["parts"]
    [{'caption': 'A · 甲', 'chapters': [{'file': 'x'}]}]
    """
    home = chinese_page(toc["root"], source)
    first = [{"file": home}] if home else []
    if "parts" not in toc:
        chapters = first + chinese_entries(toc.get("chapters", []), source)
        return dict(toc, chapters=toc.get("chapters", []) + chapters) if chapters else toc
    parts = []
    for part in toc["parts"]:
        chapters = chinese_entries(part.get("chapters", []), source)
        if chapters:
            parts.append({"caption": f"{ZH_PART} · {chinese_title(part.get('caption', ''))}", "chapters": chapters})
    if first:
        if parts:
            parts[0]["chapters"] = first + parts[0]["chapters"]
        else:
            parts.append({"caption": ZH_PART, "chapters": first})
    return dict(toc, parts=toc["parts"] + parts) if parts else toc


def language_switch(rel: Path, staged: set[str]) -> str:
    """The line under a page's title that links its counterpart in the other language.

    >>> language_switch(Path("notebooks/a.ipynb"), {"notebooks/a.ipynb", "zh/notebooks/a.ipynb"})
    '🌐 English · [中文](../zh/notebooks/a.ipynb)'
    >>> language_switch(Path("zh/notebooks/a.ipynb"), {"notebooks/a.ipynb", "zh/notebooks/a.ipynb"})
    '🌐 [English](../../notebooks/a.ipynb) · 中文'
    >>> language_switch(Path("notebooks/b.ipynb"), {"notebooks/b.ipynb"})
    '🌐 English · 中文版翻译中'
    """
    here = rel.parent.as_posix() or "."
    english = editions.english_file(rel, LANGUAGE)
    if english is not None:
        return SWITCH.format(en=f"[English]({posixpath.relpath(english.as_posix(), here)})", zh="中文")
    chinese = editions.COUNTERPARTS.get(rel.as_posix(), f"{LANGUAGE}/{rel.as_posix()}")
    if chinese in staged:
        return SWITCH.format(en="English", zh=f"[中文]({posixpath.relpath(chinese, here)})")
    return SWITCH.format(en="English", zh="中文版翻译中")


def with_switch(text: str, switch: str) -> str:
    """Markdown ``text`` with ``switch`` as a paragraph after its title line (or first).

    >>> with_switch("# Title\\nText", "S")
    '# Title\\n\\nS\\n\\nText'
    """
    lines = text.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join(lines[:at] + ([""] if at else []) + [switch, ""] + lines[at:]).replace("\n\n\n", "\n\n")


def mended_link(target: str, page: Path, staged: set[str], source: Path, on_github: str) -> str:
    """Where a relative link of the staged ``page`` should point on the site.

    A folder link goes to the folder's README.md when that is staged; a repository file or
    folder that is not on the site goes to GitHub (``on_github``: the repository URL with a
    ``{kind}`` slot for tree/blob and the branch); anything else is left for Sphinx to check.
    """
    if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
        return target  # an anchor in the same page, a URL (http:, mailto:) or an absolute path
    resolved = posixpath.normpath(posixpath.join(page.parent.as_posix(), target))
    if f"{resolved}/README.md" in staged:
        return f"{target.rstrip('/')}/README.md"
    if resolved in staged or resolved.startswith(".."):
        return target
    if (source / resolved).exists():
        kind = "tree" if (source / resolved).is_dir() else "blob"
        return f"{on_github.format(kind=kind)}/{resolved}"
    return target


def mend_links(text: str, page: Path, staged: set[str], source: Path, on_github: str) -> str:
    """``text`` (markdown) with every relative link mended by :func:`mended_link`."""

    def mend(match: re.Match) -> str:
        target = mended_link(match[2], page, staged, source, on_github)
        return f"{match[1]}{target}{match[3] or ''}{match[4] or ''}{match[5]}"

    return LINK.sub(mend, text)


def collapsed_markdown(text: str) -> str:
    """A markdown solution cell as a closed dropdown; a leading heading becomes its title.

    >>> print(collapsed_markdown("### Notes\\nGrade the reasoning."))
    ```{dropdown} Notes
    <BLANKLINE>
    Grade the reasoning.
    ```
    """
    lines = text.strip().splitlines()
    title = NOTES_TITLE
    if lines and lines[0].startswith("#"):
        title, lines = lines[0].lstrip("#").strip(), lines[1:]
    body = "\n".join(lines).strip()
    fence = "`" * max([3] + [len(run) + 1 for run in re.findall(r"^\s*(`{3,})", body, re.M)])
    return f"{fence}{{dropdown}} {title}\n\n{body}\n{fence}"


def text_badges(text: str) -> str:
    """``text`` with each Binder badge as a text link (the badge image lives on mybinder.org).

    >>> text_badges("[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/a/b/HEAD)")
    '[▶ Binder](https://mybinder.org/v2/gh/a/b/HEAD)'
    """
    return BADGE.sub(lambda match: f"[▶ Binder]({match['url']})", text)


def website_notebook(nb, mend) -> nbformat.NotebookNode:
    """The staged copy of a notebook: solutions collapsed, links mended by ``mend``, no outputs."""
    nb = nbformat.from_dict(nb)  # a deep copy
    for cell in nb.cells:
        solution = SOLUTION_TAG in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if solution:
                cell.metadata["tags"] = cell.metadata["tags"] + ["hide-cell"]
                cell.metadata["mystnb"] = dict(cell.metadata.get("mystnb", {}), **SOLUTION_PROMPTS)
        elif cell.cell_type == "markdown":
            cell.source = mend(cell.source)
            if solution:
                cell.source = collapsed_markdown(cell.source)
    return nb


def stage(source: Path, dest: Path, on_github: str) -> None:
    """Copy the course from ``source`` to ``dest`` as the site shows it."""
    files = files_to_stage(source)
    staged = {f.as_posix() for f in files}
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        mend = lambda text, rel=rel: text_badges(mend_links(text, rel, staged, source, on_github))  # noqa: E731
        switch = language_switch(rel, staged)
        if rel.suffix == ".ipynb":
            nb = website_notebook(nbformat.read(source / rel, as_version=4), mend)
            first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
            if first is not None:
                first.source = with_switch(first.source, switch)
            target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        elif rel.suffix == ".md":
            text = mend((source / rel).read_text(encoding="utf-8"))
            target.write_text(with_switch(text, switch), encoding="utf-8")
        else:
            shutil.copyfile(source / rel, target)


def site_config(config: dict, repo: str | None, hub: str | None = None) -> dict:
    """The book's configuration as this build uses it: repository, hub, local JavaScript, no Thebe."""
    from jupyter_book.config import get_default_sphinx_config

    config = dict(config, launch_buttons=dict(config.get("launch_buttons", {})), repository=dict(config["repository"]))
    if repo:
        config["repository"]["url"] = repo
    if hub:
        config["launch_buttons"]["jupyterhub_url"] = hub.rstrip("/")
    sphinx = dict(config.get("sphinx", {}), config=dict(config.get("sphinx", {}).get("config", {})))
    sphinx["config"].update(
        {
            "extensions": [e for e in get_default_sphinx_config()["extensions"] if e != "sphinx_thebe"],
            "html_static_path": [ASSETS],
            "mathjax_path": "mathjax/tex-mml-chtml.js",  # relative: served from _static/
            "nb_ipywidgets_js": {"require.js": {}, "widgets-setup.js": {}, f"{WIDGETS}/embed-amd.js": {}},
        }
    )
    config["sphinx"] = sphinx
    return config


def copy_site_js(modules: Path, dest: Path) -> None:
    """Copy what the pages load (see SITE_JS) from npm's ``modules`` into ``dest``."""
    mathjax = modules / "mathjax" / "es5"
    for part in MATHJAX_PARTS:
        source, target = mathjax / part, dest / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    shutil.copyfile(modules / "requirejs" / "require.js", dest / "require.js")
    (dest / "widgets-setup.js").write_text(WIDGETS_SETUP, encoding="utf-8")
    shutil.copytree(modules / WIDGETS, dest / WIDGETS, ignore=shutil.ignore_patterns("*.map", "embed.js", "libembed*"))
    for font in (dest / WIDGETS).glob("*.*"):  # widgets of other modules (@jupyter-widgets/controls)
        if font.suffix in (".woff2", ".woff", ".ttf", ".eot", ".svg"):  # ask for the icon fonts one level up
            shutil.copyfile(font, dest / WIDGETS.split("/")[0] / font.name)


def write_book_files(dest: Path, toc: Path, repo: str | None, hub: str | None = None, source: Path = ROOT) -> dict:
    """Put _config.yml (with the repository URL) and _toc.yml (with its Chinese half, from the
    Chinese pages of ``source``) into ``dest``; returns the config."""
    config = site_config(yaml.safe_load(CONFIG.read_text(encoding="utf-8")), repo, hub)
    (dest / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    both = bilingual_toc(yaml.safe_load(toc.read_text(encoding="utf-8")), source)
    (dest / "_toc.yml").write_text(yaml.safe_dump(both, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config


class Tee(io.TextIOBase):
    """A text stream that writes to a console stream and keeps a copy."""

    def __init__(self, stream):
        self.stream, self.copy = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def run_sphinx(src: Path, build: Path) -> tuple[int, str]:
    """Build the staged book in ``src`` to ``build/html``; returns Sphinx's status and its log.

    The log is what Sphinx printed: its progress messages, then its warnings.
    """
    from jupyter_book.sphinx import build_sphinx  # the [book] extra; imported late so the TOC checks need only yaml
    from sphinx.util.console import color_terminal, nocolor

    if not color_terminal():
        nocolor()  # as sphinx-build does: no colour codes in a log file
    status_log, warning_log = sys.stdout, sys.stderr = Tee(sys.stdout), Tee(sys.stderr)
    try:
        result = build_sphinx(
            src,
            build / "html",
            doctreedir=build / ".doctrees",
            noconfig=True,
            path_config=str(src / "_config.yml"),
            confoverrides={
                "external_toc_path": (src / "_toc.yml").as_posix(),
                "latex_individualpages": False,
                # without it the theme logs "Got invalid theme mode" on every page
                "html_context": {"default_mode": "light"},
            },
            warningiserror=True,
            keep_going=True,
            freshenv=True,
        )
    finally:
        sys.stdout, sys.stderr = status_log.stream, warning_log.stream
    status = 1 if isinstance(result, Exception) else int(result or 0)
    return status, status_log.copy.getvalue() + warning_log.copy.getvalue()


def plain(log: str) -> str:
    """``log`` without terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", log)


def failed_cells(log: str, src: Path) -> list[str]:
    """One line per notebook whose execution failed: its path, the failing cell and the error."""
    found, log = [], plain(log)
    matches = list(FAILED.finditer(log))
    ends = [m.start() for m in matches[1:]] + [len(log)] if matches else []
    for match, after in zip(matches, ends, strict=True):
        path = Path(match["path"])
        cell = FAILED_CELL.search(log, match.end(), after)
        where = cell_position(path, cell["source"]) if cell else "a cell"
        raised = ERROR_LINE.findall(log, match.end(), after)
        found.append(f"{path.relative_to(src)}: {where} raised {raised[-1] if raised else match['error']}")
    return found


def cell_position(path: Path, source: str) -> str:
    """'cell 7 of 60 (`first line`)': where the code cell whose source is ``source`` sits."""
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and cell.source.strip() == source.strip():
            return f"cell {number} of {len(nb.cells)} (`{cell.source.strip().splitlines()[0]}`)"
    return f"the cell starting `{source.strip().splitlines()[0]}`"


def other_warnings(log: str, src: Path) -> list[str]:
    """Sphinx's warning lines other than failed executions, with paths relative to ``src``."""
    lines = [line for line in plain(log).splitlines() if "WARNING:" in line and not line.startswith("[IPKernelApp]")]
    return [line.replace(f"{src}/", "") for line in lines if "[mystnb.exec]" not in line and not FAILED.match(line)]


def slowest_notebooks(log: str, src: Path, count: int = 3) -> str:
    """'a.ipynb 8.4 s, b.ipynb 7.0 s, …': the notebooks that took longest to execute."""
    times = [
        (float(m[2]), Path(m[1]).relative_to(src).as_posix())
        for m in re.finditer(r"^(\S+\.ipynb): Executed notebook in ([\d.]+) seconds", plain(log), re.M)
    ]
    return ", ".join(f"{name} {seconds:.1f} s" for seconds, name in sorted(times, reverse=True)[:count])


def prepare_out(out: Path, source: Path) -> None:
    """Empty ``out`` for a new build, refusing a folder that is not an earlier book build."""
    protected = [source / f for f in (*NOTEBOOK_FOLDERS, "datasets", "book")]
    if out in (source, *source.parents) or any(out == p or p in out.parents or out in p.parents for p in protected):
        raise SystemExit(f"refusing to build the book into {out}")
    if out.exists() and any(out.iterdir()) and not (out / "src" / "_toc.yml").exists():
        raise SystemExit(f"{out} is not empty and holds no earlier book build; choose another --out")
    shutil.rmtree(out, ignore_errors=True)


def stage_book(src: Path, source: Path, toc: Path, js: Path, hub: str | None = None) -> None:
    """Write the staged course, its book files (_config.yml, _toc.yml) and its JavaScript into ``src``."""
    src.mkdir(parents=True)
    config = write_book_files(src, toc, repository_url(source / "pyproject.toml"), hub, source)
    stage(source, src, on_github=f"{config['repository']['url']}/{{kind}}/{config['repository']['branch']}")
    copy_site_js(ensure_js(js, SITE_JS), src / ASSETS)


def report(status: int, log: str, src: Path, html: Path, seconds: float) -> int:
    """Print the outcome of a build; returns the exit status (0 when the site is complete)."""
    failures, others = failed_cells(log, src), other_warnings(log, src)
    if failures or others or status:
        print(f"\nmake_book: FAILED after {seconds:.0f} s (Sphinx warnings count as errors)", file=sys.stderr)
        for line in failures:
            print(f"  notebook failed: {line}", file=sys.stderr)
        for line in others:
            print(f"  {line}", file=sys.stderr)
        return status or 1
    pages = [p for p in html.rglob("*.html") if "_static" not in p.parts]
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    print(
        f"\nmake_book: {len(pages)} pages built in {seconds:.0f} s ({size / 1e6:.1f} MB); "
        f"slowest notebooks: {slowest_notebooks(log, src)}\n  open {html / 'index.html'}"
    )
    return 0


def build(
    out: Path,
    source: Path = ROOT,
    toc: Path = ROOT / "book" / "_toc.yml",
    js: Path = ROOT / "build" / "book-js",
    hub: str | None = None,
) -> int:
    """Stage the course and build the site under ``out``; returns the exit status (0 = success)."""
    out, source = out.resolve(), source.resolve()
    missing = missing_from_toc(toc, source)
    if missing:
        print(f"make_book: these notebooks are not in {toc}; add them:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    prepare_out(out, source)
    started = time.perf_counter()
    stage_book(out / "src", source, toc, js.resolve(), hub)
    status, log = run_sphinx(out / "src", out / "_build")
    return report(status, log, out / "src", out / "_build" / "html", time.perf_counter() - started)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "build" / "book",
        help="output folder, emptied first: staged sources in src/, the site in _build/html/",
    )
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="the course folder to build (default: this repository)"
    )
    parser.add_argument("--toc", type=Path, default=ROOT / "book" / "_toc.yml", help="table of contents")
    parser.add_argument(
        "--js",
        type=Path,
        default=ROOT / "build" / "book-js",
        help="npm prefix the site's JavaScript is fetched into (once)",
    )
    parser.add_argument("--hub", help="a JupyterHub URL for each page's launch menu (beside Binder)")
    args = parser.parse_args(argv)
    return build(args.out, args.source, args.toc, args.js, args.hub)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Build reveal.js slide decks of the chapter notebooks that work offline.

    python scripts/make_slides.py [--execute] [--lang en|zh] [--out build/slides] [NOTEBOOK_OR_FOLDER ...]

For every notebook (default: all of ``notebooks/``) writes ``<out>/<relative folder>/<name>.slides.html``
with ``jupyter nbconvert --to slides``. Slide boundaries come from the cells'
``metadata.slideshow.slide_type`` (see scripts/add_slide_metadata.py); solution cells are skipped.

Offline: nothing is loaded from a CDN for the deck itself. The JavaScript the nbconvert slides
template needs is fetched from the npm registry at build time (once; reused while present) into
``build/reveal/node_modules``: reveal.js 4 (the version line nbconvert 7's template is written
for: dist/reveal.js, dist/theme/, plugin/notes/), require.js (the template loads reveal.js with
it), jQuery and MathJax 2 (formulas). The decks point at them with relative URLs
(``--SlidesExporter.reveal_url_prefix`` and friends), so ``build/`` can be copied, zipped or
opened from disk as a whole. The theme ("white") takes its fonts from reveal.js's own files, and
the template file scripts/slides_offline.html.j2 leaves out the Mermaid module the stock template
fetches from a CDN (the course draws no Mermaid diagrams). Only an ``--execute``d deck with widget
outputs still asks the web for the widget renderer; offline the widgets fall back to their text.

``--lang zh`` (``make slides LANG=zh``, into ``build/slides-zh``) makes the Chinese decks: the
paths named stay the English ones, and each deck is made from the notebook's Chinese twin under
``zh/`` where there is one (scripts/editions.py), from the English notebook otherwise, and
written at the English path, so the two sets of decks mirror each other. The deck's HTML title is
the notebook's first heading, in its language. Charts with Chinese labels need a CJK font; the
build says so at the start when matplotlib finds none (``make slides`` first runs
scripts/ensure-cjk-font, which installs one where it can).

``--execute`` (what ``make slides`` uses) makes lecture decks: each notebook is run first (about
5 s), then turned into a deck an instructor can present (``lecture_notebook``): code hidden,
results shown, one thought per slide, every slide within 1280x720 (tests/test_browser.py
measures them). Without it the stored notebooks are converted as they are (no outputs: fast and
deterministic).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import editions  # noqa: E402  (which file stands for an English path in each language)

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
# npm package spec -> the file the decks load from it (relative to node_modules/<package>)
PACKAGES = {
    "reveal.js@^4": "dist/reveal.js",
    "requirejs@^2": "require.js",
    "jquery@^3": "dist/jquery.min.js",
    "mathjax@^2.7": "MathJax.js",
}


def _name(spec: str) -> str:
    return spec.rsplit("@", 1)[0]


def ensure_js(prefix: Path, packages: dict[str, str] = PACKAGES) -> Path:
    """Install ``packages`` (npm spec -> a file it must hold) under ``prefix`` unless present; returns node_modules.

    Each set of packages needs its own prefix: npm removes from a prefix what the install did not name.
    """
    modules = prefix / "node_modules"
    if all((modules / _name(spec) / file).is_file() for spec, file in packages.items()):
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(f"npm is needed to fetch {', '.join(map(_name, packages))} once (install Node.js)")
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--no-save", *packages],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    missing = [f"{_name(s)}/{f}" for s, f in packages.items() if not (modules / _name(s) / f).is_file()]
    if missing:
        raise SystemExit(f"npm did not install {missing}")
    return modules


TEMPLATE = Path(__file__).with_name("slides_offline.html.j2")
# A slide of the lecture decks (1280x720, text at 26 px) holds about 18 lines of text; a chart
# (at most 520 px high) takes 15 of them. Lines are counted as the deck wraps them (~85 characters).
SLIDE_LINES = 18
CHART_LINES = 15
LINE_CHARS = 85
SHORT_LEAD = 3  # a paragraph this short stays on the slide of the chart or table that follows it
DISPLAY = ("image/png", "image/svg+xml", "text/html")
WIDGET = "application/vnd.jupyter.widget-view+json"  # live controls: shown by `make demo`, not on a slide
EXERCISES = ("## Exercises", "## 练习")  # the heading of a notebook's exercises, in each edition


def slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def set_slide_type(cell, kind: str) -> None:
    cell.metadata["slideshow"] = dict(cell.metadata.get("slideshow", {}), slide_type=kind)


def text_lines(text: str) -> float:
    """How many lines ``text`` (markdown or printed output) takes on a slide, roughly.

    >>> text_lines("## A heading\\n\\nA short line.")
    3.5
    """
    lines = 0.0
    for line in text.splitlines():
        lines += 0.5 if not line.strip() else 2 if line.startswith("#") else math.ceil(len(line) / LINE_CHARS)
    return lines


def cell_lines(cell) -> float:
    """The lines a kept cell of a lecture deck takes: its text, or a chart's or table's share."""
    if cell.cell_type == "markdown":
        return text_lines(cell.source)
    if any(set(DISPLAY) & set(out.get("data", {})) for out in cell.outputs):
        return CHART_LINES
    return sum(text_lines(out.get("text", "")) for out in cell.outputs)


def split_markdown(cell) -> list:
    """``cell`` as one or more markdown cells of at most SLIDE_LINES lines, cut at blank lines.

    The first part keeps the cell's slide type; each further part starts a sub-slide.
    """
    import nbformat

    parts, current = [], []
    for block in cell.source.split("\n\n"):
        if current and text_lines("\n\n".join(current + [block])) > SLIDE_LINES:
            parts.append(current)
            current = []
        current.append(block)
    parts.append(current)
    cells = []
    for i, blocks in enumerate(parts):
        part = nbformat.v4.new_markdown_cell("\n\n".join(blocks), metadata=dict(cell.metadata))
        set_slide_type(part, slide_type(cell) if i == 0 else "subslide")
        cells.append(part)
    return cells


def lecture_notebook(nb):
    """The notebook a lecture deck shows: one thought per slide, results without their code.

    From an executed chapter notebook: solutions and the exercises' work cells are left out (the
    exercise prompts stay), code cells without output are dropped (the deck hides all code; a
    widget's live controls belong to the class demos, `make demo`),
    long markdown cells are split, and every chart or table starts its own sub-slide, taking the
    short paragraph just before it along. The title cell becomes a title slide and a slide of
    learning objectives; the chapters end with their discussion questions.
    """
    import nbformat

    nb = nbformat.from_dict(nb)  # a deep copy
    nb.metadata.pop("widgets", None)  # no widget on a slide: the deck loads no widget renderer
    kept, in_exercises = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            in_exercises = cell.source.startswith(EXERCISES)
        if "solution" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.outputs if WIDGET not in out.get("data", {})]
            if in_exercises or not cell.outputs:
                continue
            shows = any(set(DISPLAY) & set(out.get("data", {})) for out in cell.outputs)
            lead = kept[-1] if kept else None
            if (
                shows
                and lead is not None
                and lead.cell_type == "markdown"
                and slide_type(lead) == "-"
                and len(lead.source.splitlines()) <= SHORT_LEAD
            ):
                set_slide_type(lead, "subslide")
                set_slide_type(cell, "-")
            else:
                set_slide_type(cell, "subslide" if shows else "-")
            kept.append(cell)
        elif cell.cell_type == "markdown":
            kept += split_markdown(cell)
    used = 0.0  # lines taken on the current slide: a cell that does not fit starts a sub-slide
    for cell in kept:
        lines = cell_lines(cell)
        if slide_type(cell) == "-" and used + lines > SLIDE_LINES:
            set_slide_type(cell, "subslide")
        used = lines if slide_type(cell) != "-" else used + lines
    if kept:
        set_slide_type(kept[0], "slide")
    nb.cells = kept
    return nb


def executed(path: Path):
    """The notebook at ``path``, run top to bottom in a fresh kernel in its own folder."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def titled(nb):
    """``nb`` with its first heading as the deck's HTML title (``nb`` changed in place).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 什么是 CRM？\\n\\ntext")])
    >>> titled(nb).metadata.title
    '什么是 CRM？'
    """
    for cell in nb.cells:
        heading = next((line for line in cell.source.splitlines() if line.startswith("# ")), None)
        if cell.cell_type == "markdown" and heading:
            nb.metadata["title"] = heading[2:].strip()
            break
    return nb


def font_note(language: str) -> str | None:
    """What to tell the builder of ``language`` decks when matplotlib has no CJK font (None: all is well)."""
    if language == "en":
        return None
    from crmlib.plots import NO_CJK_FONT, installed_cjk_fonts

    return None if installed_cjk_fonts() else f"make_slides: {NO_CJK_FONT}"


def installed_versions(modules: Path) -> dict[str, str]:
    return {_name(s): json.loads((modules / _name(s) / "package.json").read_text())["version"] for s in PACKAGES}


def notebooks(args: list[str]) -> list[Path]:
    paths = [Path(a).resolve() for a in args] or [ROOT / "notebooks"]
    found = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
        else:
            found.append(path)
    return sorted(found)


def deck_source(path: Path, language: str) -> tuple[Path, Path | None]:
    """The notebook a ``language`` deck of ``path`` is made from, and the repository path of the
    English notebook when that differs (links are then relocated to the English path)."""
    if language == "en" or not path.is_relative_to(ROOT):
        return path, None
    rel = path.relative_to(ROOT)
    source = editions.edition_file(rel, language)
    return (ROOT / source, rel) if source != rel else (path, None)


def build(paths: list[Path], out: Path, modules: Path, execute: bool = False, language: str = "en") -> list[Path]:
    """Convert ``paths`` into decks under ``out`` (mirroring their folders below the repo root).

    With ``execute`` each notebook is run first and turned into a lecture deck (lecture_notebook):
    results only, code hidden. Without it the stored notebook is converted as it is. ``language``
    "zh" takes each notebook's Chinese twin where there is one (``deck_source``).
    """
    import nbformat

    by_folder = defaultdict(list)
    for nb in paths:
        rel = nb.parent.relative_to(ROOT) if nb.is_relative_to(ROOT) else Path(nb.parent.name)
        by_folder[out / rel].append(nb)
    written = []
    for folder, nbs in sorted(by_folder.items()):
        folder.mkdir(parents=True, exist_ok=True)
        # the deck notebooks (titled; run and made lecture notebooks with --execute), written
        # beside the decks and converted from there
        lectures = folder / ".lecture"
        lectures.mkdir(exist_ok=True)
        for nb in nbs:
            source, english = deck_source(nb, language)
            deck = executed(source) if execute else nbformat.read(source, as_version=4)
            if english is not None:
                deck = editions.relocated_notebook(deck, english, language)
            nbformat.write(titled(lecture_notebook(deck) if execute else deck), lectures / nb.name)
        nbs = [lectures / nb.name for nb in nbs]

        def url(package, folder=folder):
            return Path(os.path.relpath(modules / package, folder)).as_posix()

        cmd = [
            sys.executable,
            "-m",
            "nbconvert",
            "--to",
            "slides",
            "--output-dir",
            str(folder),
            f"--SlidesExporter.reveal_url_prefix={url('reveal.js')}",
            "--SlidesExporter.reveal_theme=white",
            f"--template-file={TEMPLATE}",
            f"--SlidesExporter.require_js_url={url('requirejs')}/require.js",
            f"--SlidesExporter.jquery_url={url('jquery')}/dist/jquery.min.js",
            f"--SlidesExporter.mathjax_url={url('mathjax')}/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        ]
        if execute:
            cmd += [
                "--SlidesExporter.exclude_input=True",
                "--SlidesExporter.exclude_input_prompt=True",
                "--SlidesExporter.exclude_output_prompt=True",
                "--SlidesExporter.reveal_width=1280",
                "--SlidesExporter.reveal_height=720",
            ]
        subprocess.run(cmd + [str(nb) for nb in nbs], check=True, stderr=subprocess.PIPE)
        written += [folder / f"{nb.stem}.slides.html" for nb in nbs]
        shutil.rmtree(lectures)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: notebooks/)")
    parser.add_argument("--out", type=Path, help="where the decks go (default build/slides, build/slides-zh)")
    parser.add_argument(
        "--lang", choices=editions.LANGUAGES, default="en", help="zh: the Chinese twins where they exist"
    )
    parser.add_argument("--js", type=Path, default=BUILD / "reveal", help="npm prefix for reveal.js and friends")
    parser.add_argument("--execute", action="store_true", help="run each notebook so the decks show its outputs")
    args = parser.parse_args(argv)
    args.out = args.out or BUILD / ("slides" + editions.suffix(args.lang))
    note = font_note(args.lang)
    if note:
        print(note, file=sys.stderr)
    modules = ensure_js(args.js.resolve())
    decks = build(notebooks(args.paths), args.out.resolve(), modules, execute=args.execute, language=args.lang)
    versions = ", ".join(f"{k} {v}" for k, v in installed_versions(modules).items())
    print(
        f"{len(decks)} slide decks in {args.out} (local {versions}; {'executed' if args.execute else 'not executed'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Build reveal.js slide decks of the chapter notebooks that work offline.

    python scripts/make_slides.py [--execute] [--out build/slides] [NOTEBOOK_OR_FOLDER ...]

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

By default the stored notebooks are converted as they are (no outputs: fast and deterministic);
``--execute`` runs each notebook first so the decks show tables and charts (about 5 s a notebook).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

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
    subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--no-save", *packages],
                   check=True, stdout=subprocess.DEVNULL)
    missing = [f"{_name(s)}/{f}" for s, f in packages.items() if not (modules / _name(s) / f).is_file()]
    if missing:
        raise SystemExit(f"npm did not install {missing}")
    return modules


TEMPLATE = Path(__file__).with_name("slides_offline.html.j2")


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


def build(paths: list[Path], out: Path, modules: Path, execute: bool = False) -> list[Path]:
    """Convert ``paths`` into decks under ``out`` (mirroring their folders below the repo root)."""
    by_folder = defaultdict(list)
    for nb in paths:
        rel = nb.parent.relative_to(ROOT) if nb.is_relative_to(ROOT) else Path(nb.parent.name)
        by_folder[out / rel].append(nb)
    written = []
    for folder, nbs in sorted(by_folder.items()):
        folder.mkdir(parents=True, exist_ok=True)
        url = lambda package: Path(os.path.relpath(modules / package, folder)).as_posix()  # noqa: E731
        cmd = [sys.executable, "-m", "nbconvert", "--to", "slides", "--output-dir", str(folder),
               f"--SlidesExporter.reveal_url_prefix={url('reveal.js')}",
               "--SlidesExporter.reveal_theme=white", f"--template-file={TEMPLATE}",
               f"--SlidesExporter.require_js_url={url('requirejs')}/require.js",
               f"--SlidesExporter.jquery_url={url('jquery')}/dist/jquery.min.js",
               f"--SlidesExporter.mathjax_url={url('mathjax')}/MathJax.js?config=TeX-AMS_CHTML-full,Safe"]
        if execute:
            cmd += ["--execute", "--ExecutePreprocessor.timeout=120"]
        subprocess.run(cmd + [str(nb) for nb in nbs], check=True, stderr=subprocess.PIPE if not execute else None)
        written += [folder / f"{nb.stem}.slides.html" for nb in nbs]
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=BUILD / "slides", help="where the decks go")
    parser.add_argument("--js", type=Path, default=BUILD / "reveal", help="npm prefix for reveal.js and friends")
    parser.add_argument("--execute", action="store_true", help="run each notebook so the decks show its outputs")
    args = parser.parse_args(argv)
    modules = ensure_js(args.js.resolve())
    decks = build(notebooks(args.paths), args.out.resolve(), modules, execute=args.execute)
    versions = ", ".join(f"{k} {v}" for k, v in installed_versions(modules).items())
    print(f"{len(decks)} slide decks in {args.out} (local {versions}; {'executed' if args.execute else 'not executed'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

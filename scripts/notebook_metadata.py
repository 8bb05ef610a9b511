#!/usr/bin/env python3
"""Store every notebook with the metadata JupyterLab writes, so opening and saving changes nothing.

    .venv/bin/python scripts/notebook_metadata.py [NOTEBOOK_OR_FOLDER ...]   (default: the course)

When JupyterLab saves a notebook it writes the kernel's ``kernelspec`` (with the display name
"Python 3 (ipykernel)") and the full ``language_info`` the kernel reports, Python version included.
A notebook stored with less shows as changed in ``git status`` after a mere open and save, and
nbgitpuller then keeps the student's copy instead of the instructor's next fix.

This sets exactly those two notebook-level keys to what the ipykernel of the Python running the
script reports; cells, their ids and every other key stay as they are, and a file is rewritten
only when its metadata changed. Run it with the course's Python (``.venv/bin/python``), whose
version is the one stored. Prints the notebooks it changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "casestudies", "zh")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def language_info() -> dict:
    """The ``language_info`` an IPython kernel of this Python sends JupyterLab."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def course_notebooks(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        found += [path] if path.suffix == ".ipynb" else sorted(path.rglob("*.ipynb"))
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]


def set_metadata(nb, info: dict) -> bool:
    """Give ``nb`` the kernelspec and language_info JupyterLab writes; True if anything changed."""
    before = (nb.metadata.get("kernelspec"), nb.metadata.get("language_info"))
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = info
    return before != (nb.metadata["kernelspec"], nb.metadata["language_info"])


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / f for f in FOLDERS]
    info = language_info()
    for path in course_notebooks(paths):
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if set_metadata(nb, info):
            nbformat.write(nb, path, version=nbformat.NO_CONVERT)  # as Jupyter's contents manager writes it
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

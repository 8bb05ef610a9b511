"""Every notebook is stored with the metadata JupyterLab writes, so an open-and-save leaves git clean.

The browser test (tests/test_browser.py) opens a notebook in JupyterLab, saves it and checks
``git diff``; this one checks every notebook of the course without a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
metadata = load_script("notebook_metadata")
NOTEBOOKS = metadata.course_notebooks([ROOT / f for f in metadata.FOLDERS])
FIX = "run `.venv/bin/python scripts/notebook_metadata.py`"


def test_the_course_has_its_notebooks_and_demos():
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert "notebooks/course_map.ipynb" in names and "notebooks/demos/0_1_pareto.ipynb" in names
    assert any(n.startswith("casestudies/") for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_notebook_carries_the_kernel_metadata_jupyterlab_writes(path):
    stored = nbformat.read(path, as_version=nbformat.NO_CONVERT).metadata
    assert stored.get("kernelspec") == metadata.KERNELSPEC, FIX
    reported = metadata.language_info()  # what this Python's kernel tells JupyterLab
    info = dict(stored.get("language_info", {}))
    assert re.fullmatch(r"3\.\d+\.\d+", info.pop("version", "")), FIX
    reported.pop("version")  # the Python version is the course's (one for all notebooks), not this machine's
    assert info == reported, FIX


def test_all_notebooks_name_one_python_version():
    versions = {
        nbformat.read(p, as_version=nbformat.NO_CONVERT).metadata["language_info"]["version"] for p in NOTEBOOKS
    }
    assert len(versions) == 1, f"{versions}: {FIX} with the course's Python"


def test_the_script_changes_only_the_two_metadata_keys(tmp_path):
    source = ROOT / "notebooks" / "course_map.ipynb"
    nb = nbformat.read(source, as_version=nbformat.NO_CONVERT)
    nb.metadata["kernelspec"]["display_name"] = "Python 3"
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["authors"] = ["kept"]
    copy = tmp_path / "map.ipynb"
    nbformat.write(nb, copy)
    metadata.main([str(copy)])
    fixed = nbformat.read(copy, as_version=nbformat.NO_CONVERT)
    assert fixed.metadata["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
    assert fixed.metadata["language_info"] == metadata.language_info()
    assert fixed.metadata["authors"] == ["kept"] and fixed.cells == nb.cells
    before = copy.read_text(encoding="utf-8")
    metadata.main([str(copy)])  # a second run rewrites nothing
    assert copy.read_text(encoding="utf-8") == before

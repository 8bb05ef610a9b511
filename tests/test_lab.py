"""`make lab` serves the course: the repository root, opening the course map, with every link working.

The server is started exactly as a student starts it (``make lab``; only the port, no browser and
no token are added), so a link that works only in a server started some other way fails here.
"""

from __future__ import annotations

import json
import posixpath
import re
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from servers import free_port, http_status, jupyter_env, running

ROOT = Path(__file__).resolve().parents[1]
COURSE_MAP = "notebooks/course_map.ipynb"
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)\s]*)?(?:\s+\"[^\"]*\")?\)")  # a Markdown link's target


def linking_pages() -> list[str]:
    """The pages a student follows links from: the course map, the README and every chapter's README."""
    readmes = [
        "README.md",
        *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/*/README.md")),
        *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("casestudies/**/README.md")),
    ]
    return [COURSE_MAP, *readmes]


def relative_links(page: str) -> list[str]:
    """Repository paths of the relative links on ``page`` (resolved from its folder, as JupyterLab does)."""
    path = ROOT / page
    if path.suffix == ".ipynb":
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    targets = [t for t in LINK.findall(text) if not re.match(r"^[a-z][a-z0-9+.-]*:", t)]
    return [posixpath.normpath(posixpath.join(posixpath.dirname(page), t)) for t in targets]


def test_the_course_map_and_chapter_readmes_link_to_every_notebook():
    linked = {link for page in linking_pages() for link in relative_links(page)}
    notebooks = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/0*/*.ipynb")}
    notebooks |= {p.relative_to(ROOT).as_posix() for p in ROOT.glob("casestudies/*/*.ipynb")}
    assert notebooks - linked == set()


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the environment `make` sets up")
def test_make_lab_serves_the_course_root_and_every_link(tmp_path):
    port = free_port()
    env = jupyter_env(tmp_path)
    args = f"--no-browser --port={port} --IdentityProvider.token="
    base = f"http://127.0.0.1:{port}"
    with running(["make", "-s", "lab", f"LAB_ARGS={args}"], f"{base}/lab", ROOT, tmp_path / "lab.log", env):
        assert http_status(f"{base}/lab") == 200
        with urllib.request.urlopen(f"{base}/api/contents/?content=1", timeout=10) as response:
            top = {item["name"] for item in json.load(response)["content"]}
        assert {"notebooks", "casestudies", "datasets", "README.md"} <= top  # the root is the repository

        # the page `make lab` opens (written for the browser it would start): the course map
        (opener,) = Path(env["JUPYTER_RUNTIME_DIR"]).glob("jpserver-file-to-run-*-open.html")
        assert f"lab/tree/{COURSE_MAP}" in opener.read_text(encoding="utf-8")

        # JupyterLab can switch to Chinese, and does not ask about "official Jupyter news"
        with urllib.request.urlopen(f"{base}/lab/api/translations/", timeout=10) as response:
            assert "zh_CN" in json.load(response)["data"]
        with urllib.request.urlopen(
            f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification", timeout=10
        ) as response:
            assert json.load(response)["schema"]["properties"]["fetchNews"]["default"] == "false"

        missing = []
        for page in linking_pages():
            for link in relative_links(page):
                url = f"{base}/api/contents/{urllib.parse.quote(link)}?content=0"
                if http_status(url, timeout=10) != 200:
                    missing.append(f"{page} -> {link}")
        assert missing == []
    log = (tmp_path / "lab.log").read_text(encoding="utf-8")
    assert "Warning" not in log, log  # e.g. notebook_shim's "ServerApp.token config is deprecated" (lab/ turns it off)

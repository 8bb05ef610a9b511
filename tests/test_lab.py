"""`make lab` serves the course: JupyterLab answers HTTP 200 at /lab and serves the course map."""
from __future__ import annotations

from pathlib import Path

import pytest

from servers import free_port, http_status, jupyter_env, running

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs the environment `make` sets up")
def test_make_lab_serves_the_course(tmp_path):
    port = free_port()
    args = f"--no-browser --port={port} --IdentityProvider.token= --ServerApp.password= --ServerApp.root_dir={ROOT}"
    with running(["make", "-s", "lab", f"LAB_ARGS={args}"], f"http://127.0.0.1:{port}/lab", ROOT,
                 tmp_path / "lab.log", jupyter_env(tmp_path)):
        assert http_status(f"http://127.0.0.1:{port}/lab") == 200
        assert http_status(f"http://127.0.0.1:{port}/api/contents/notebooks/course_map.ipynb") == 200
    log = (tmp_path / "lab.log").read_text(encoding="utf-8")
    assert "Warning" not in log, log  # e.g. notebook_shim's "ServerApp.token config is deprecated" (lab/ turns it off)

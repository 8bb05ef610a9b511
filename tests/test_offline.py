"""`make test` runs the course with the network blocked (ci/offline/sitecustomize.py).

These tests check the guard itself without sending anything anywhere: they look at which
addresses it lets through and that it is installed in this process and in notebook kernels.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = Path(__file__).resolve().parents[1] / "ci" / "offline"
offline = pytest.mark.skipif(os.environ.get("CRMLIB_OFFLINE") != "1", reason="run through `make test` to test offline")


def load_guard():
    sys.path.insert(0, str(GUARD))
    try:
        import sitecustomize
    finally:
        sys.path.remove(str(GUARD))
    return sitecustomize


def test_only_this_machine_counts_as_local():
    guard = load_guard()
    assert (
        guard.is_local(("127.0.0.1", 8888))
        and guard.is_local(("::1", 8888, 0, 0))
        and guard.is_local(("localhost", 80))
    )
    assert guard.is_local("/tmp/kernel.sock")
    for address in [("203.0.113.7", 443), ("10.0.0.1", 80), ("pypi.org", 443), ("2001:db8::1", 443, 0, 0)]:
        assert not guard.is_local(address)


@offline
def test_the_guard_is_installed_in_the_test_run():
    assert socket.socket.connect.__name__ == "guarded_connect"


@offline
def test_the_guard_reaches_child_python_processes():
    code = "import socket; print(socket.socket.connect.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "guarded_connect"

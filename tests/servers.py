"""Start a local server for a test (JupyterLab, Voila) and stop it with everything it started."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url: str, timeout: float = 2) -> int:
    """HTTP status of a GET of ``url`` (raises URLError while nothing listens)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def jupyter_env(tmp: Path) -> dict:
    """Environment that keeps a Jupyter server's runtime files and settings in ``tmp``, not the home."""
    return {
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "IPYTHONDIR": str(tmp / "ipython"),
    }


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 90) -> int:
    """Poll ``url`` until the server answers; fail early, with its log, if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering {url}")
        try:
            return http_status(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} within {seconds:.0f} s")


@contextlib.contextmanager
def running(command: list[str], url: str, cwd: Path, log: Path, env: dict | None = None):
    """Run ``command`` (a server) until the block ends; yields once ``url`` answers.

    The server's output goes to ``log``; it runs in its own process group so that kernels it
    started are stopped with it.
    """
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(os.environ, **(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            try:
                wait_until_up(url, proc)
            except (RuntimeError, TimeoutError) as err:
                raise RuntimeError(f"{err}\n--- server log ---\n{log.read_text(errors='replace')[-3000:]}") from None
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

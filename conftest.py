"""Checks that apply to every notebook cell run by nbval.

* No cell may write to stderr (warnings) or show a bare object repr (``<Figure …>``).
* Notebooks are stored without outputs, so nbval itself compares nothing. Cells tagged
  ``nbval-check-output`` are therefore pinned here: their text output must equal the copy kept
  in ``tests/notebook_outputs/<notebook path>.json``. After an intended change, refresh the
  copies with ``make test PYTEST_ARGS="--pin-outputs notebooks casestudies"`` and review the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
PINNED = ROOT / "tests" / "notebook_outputs"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_REPINNED = pytest.StashKey[set]()


def pytest_addoption(parser):
    parser.addoption(
        "--pin-outputs", action="store_true", help="rewrite the pinned outputs of nbval-check-output cells"
    )


def notebook_output_problems(outputs) -> list[str]:
    """What a student should not see in a cell's output: stderr text (warnings) or a bare object repr."""
    problems = []
    for out in outputs or []:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            problems.append(f"the cell wrote to stderr (a warning?): {out.get('text', '')[:400]}")
        # Only a cell's value (execute_result) counts: plt.show() displays a figure whose
        # display_data also carries a "<Figure …>" text alternative, which is fine.
        text = (out.get("data") or {}).get("text/plain", "") if out.get("output_type") == "execute_result" else ""
        if isinstance(text, str) and text.startswith(("<Figure", "<matplotlib.", "<Axes")):
            problems.append(f"the cell shows the repr {text[:60]!r}; end plotting cells with plt.show()")
    return problems


def output_text(outputs) -> str:
    """The text a reader sees in a cell's output (printed text and the cell's value)."""
    parts = []
    for out in outputs or []:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append((out.get("data") or {}).get("text/plain", ""))
    return _ADDRESS.sub("0xADDRESS", "".join(parts)).strip()


def _pinned_file(item) -> Path:
    notebook = Path(str(item.fspath)).resolve().relative_to(ROOT)
    return PINNED / notebook.with_suffix(".json")


def _check_pinned(item) -> None:
    tags = item.cell.get("metadata", {}).get("tags", [])
    if "nbval-check-output" not in tags:
        return
    path, key = _pinned_file(item), item.cell.get("id") or f"cell-{item.cell_num}"
    actual = output_text(item.test_outputs)
    pinned = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if item.config.getoption("--pin-outputs"):
        started = item.config.stash.setdefault(_REPINNED, set())
        if path not in started:  # the first pinned cell of this run starts the file afresh: no stale cells
            started.add(path)
            pinned = {}
        pinned[key] = actual
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(pinned, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    if key not in pinned:
        raise AssertionError(
            f"{item.name}: no pinned output in {path.relative_to(ROOT)}; run pytest with --pin-outputs and review"
        )
    if pinned[key] != actual:
        raise AssertionError(f"{item.name}: output changed.\n--- pinned\n{pinned[key]}\n--- now\n{actual}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None)
    if outputs is None:
        return result
    problems = notebook_output_problems(outputs)
    if problems:
        raise AssertionError(f"{item.name}: " + "; ".join(problems))
    _check_pinned(item)
    return result

"""Checks that apply to every notebook cell run by nbval: no warnings, no stray figure reprs."""
from __future__ import annotations

import pytest


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    problems = notebook_output_problems(getattr(item, "test_outputs", None))
    if problems:
        raise AssertionError(f"{item.name}: " + "; ".join(problems))
    return result

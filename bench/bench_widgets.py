"""Redraw times of every class explorer (target: p90 at most 150 ms here).

Each demo in notebooks/demos builds one explorer exactly as it is shown in class; this script
runs the demo's code, then moves each of the explorer's controls through a few values and reads
how long each redraw took (``box.redraw_seconds``, measured by :func:`crmlib.widgets.explorer`:
computing the numbers, drawing the chart, making the PNG). The reference, measured in the same
run, is saving an empty figure of the same size as PNG: the least any redraw can cost. Nothing is
asserted; numbers vary with the machine's load, so run it on a quiet machine.

    python bench/bench_widgets.py [--moves 8] [demo name filter]
"""

from __future__ import annotations

import argparse
import ast
import statistics
import time
import warnings
from pathlib import Path

import nbformat
import numpy as np

DEMOS = Path(__file__).resolve().parent.parent / "notebooks" / "demos"


def build(path: Path):
    """Run the demo's code cells; return the value of the last expression (the explorer box)."""
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {"__name__": "__demo__"}
    cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    tree = ast.parse("\n\n".join(cells))
    last = tree.body.pop()
    if not isinstance(last, ast.Expr):
        raise ValueError(f"{path.name}: the last statement is not an expression")
    exec(compile(tree, path.name, "exec"), namespace)
    box = eval(compile(ast.Expression(last.value), path.name, "eval"), namespace)
    box.demo_namespace = namespace  # keeps what the demo made alive (e.g. its temporary database)
    return box


def settings(control, moves: int) -> list:
    """A few values for one control, spread over its range or options, ending where it started."""
    start = control.value
    if hasattr(control, "options") and control.options:
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        picks = [values[i] for i in np.linspace(0, len(values) - 1, min(moves, len(values))).round().astype(int)]
    elif hasattr(control, "min") and hasattr(control, "max"):
        picks = list(np.linspace(control.min, control.max, moves))
        if isinstance(start, (int, np.integer)):
            picks = [int(round(p)) for p in picks]
    else:
        picks = [not start] if isinstance(start, bool) else []
    return [p for p in picks if p != start] + [start]


def reference_seconds(box, repeat: int = 5) -> float:
    """Best time to save an empty figure of the explorer chart's size (read off its PNG) as PNG."""
    from matplotlib.figure import Figure

    from crmlib.widgets import png_bytes

    png = bytes(box.image.value)
    width, height = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) if png else (900, 400)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        png_bytes(Figure(figsize=(width / 100, height / 100), dpi=100))
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8, help="values tried per control")
    parser.add_argument("only", nargs="?", default="", help="run only demos whose name contains this")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"{'explorer (demo)':34} {'redraws':>7} {'p50 ms':>7} {'p90 ms':>7} {'ref ms':>7} {'p90/ref':>7}")
    for path in sorted(DEMOS.glob("*.ipynb")):
        if args.only not in path.stem:
            continue
        box = build(path)
        if not hasattr(box, "redraw_seconds"):
            print(f"{path.stem:34} not built with crmlib.widgets.explorer")
            continue
        done = len(box.redraw_seconds)
        for control in box.controls.values():
            for value in settings(control, args.moves):
                control.value = value
        times = np.array(box.redraw_seconds[done:]) * 1000
        ref = reference_seconds(box) * 1000
        p50, p90 = statistics.median(times), float(np.percentile(times, 90))
        print(f"{path.stem:34} {len(times):7d} {p50:7.0f} {p90:7.0f} {ref:7.1f} {p90 / ref:7.1f}")


if __name__ == "__main__":
    main()

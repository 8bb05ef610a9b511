"""Time the grader (scripts/grade.py) on a class of 30 submissions of one chapter notebook.

The class is ``notebooks/00_overview/01_what_is_crm.ipynb`` handed in whole (charts and the
explorer included) by 30 students: 20 with every answer right, 10 with the answers left blank
(see tests/grade_class.py). The reference, measured in the same run, is one submission graded
alone; the script prints the class's time, the time per notebook, and the ratio of the class's
time to 30 times the reference (below 1 when the two workers overlap well). The issue's target
is 2 minutes for the class on this machine's two cores. Nothing is asserted.

    python bench/bench_grade.py [--students 30] [--jobs 2]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("CRMLIB_OFFLINE", "1")

import grade  # noqa: E402
import grade_class as gc  # noqa: E402
import nbformat  # noqa: E402


def make_class(folder: Path, students: int) -> None:
    full = gc.solved(nbformat.read(gc.OVERVIEW, as_version=4))
    blank = copy.deepcopy(full)
    for name in ("median_ticket_brand", "snowy_top10_share", "aurora_top_channel", "one_order_share"):
        blank.cells[gc.answer_cell(blank, name)].source = "answer = None  # your code here"
    for i in range(students):
        gc.write(full if i % 3 != 2 else blank, folder / f"student{i + 1:02d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=grade.JOBS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_class(tmp / "one", 1)
        make_class(tmp / "class", args.students)
        quiet = lambda *a: None  # noqa: E731
        start = time.perf_counter()
        grade.grade(tmp / "one", tmp / "grades-one", jobs=1, log=quiet)
        one = time.perf_counter() - start
        start = time.perf_counter()
        rows = grade.grade(tmp / "class", tmp / "grades", jobs=args.jobs, log=quiet)
        whole = time.perf_counter() - start
    totals = sorted({r["total"] for r in rows})
    print(f"one submission alone: {one:.1f} s")
    print(
        f"{args.students} submissions, {args.jobs} at once: {whole:.1f} s "
        f"({whole / args.students:.1f} s per notebook; ratio to {args.students} x one alone: "
        f"{whole / (args.students * one):.2f}); totals seen: {totals}"
    )
    print(
        f"target: 120 s for 30 submissions -> {'met' if whole <= 120 * args.students / 30 else 'NOT met'} "
        f"(machine load now: {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()

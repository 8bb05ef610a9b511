"""How much `import crmlib` adds to importing pandas (target: under 0.15 s).

Each measurement is a fresh interpreter; the reference (pandas alone) is measured in the same run,
interleaved with the others, and the median of several runs is printed. Nothing is asserted.

    python bench/bench_import.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "pandas (reference)": "import pandas",
    "pandas + crmlib": "import pandas, crmlib",
    "pandas + crmlib + every chapter module": (
        "import pandas, crmlib; from crmlib import identify, develop, communicate, information, loyalty, clv, plots, exercises"
    ),
}


def seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times = {name: [] for name in CASES}
    for _ in range(args.repeat):
        for name, code in CASES.items():
            times[name].append(seconds(code))
    ref = statistics.median(times["pandas (reference)"])
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:42s} {med:6.3f} s   +{med - ref:6.3f} s over pandas   ({med / ref:.2f}x)")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            CASES["pandas + crmlib + every chapter module"] + "; import sys; "
            "print(sorted(m for m in ('scipy', 'sklearn', 'matplotlib', 'ipywidgets', 'seaborn') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"heavy libraries loaded by those imports: {heavy}")


if __name__ == "__main__":
    main()

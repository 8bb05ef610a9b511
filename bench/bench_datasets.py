"""Time and peak memory of generating the datasets: the shipped size and ten times larger.

Each run is a fresh subprocess (`python -m crmlib.datasets generate`), so its peak resident
memory is its own. The reference, measured in the same run, is a subprocess that only reads the
shipped CSV files with pandas. Nothing is asserted; the figures are printed.

    python bench/bench_datasets.py [--scales 1 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

READ_ALL = (
    "import pathlib, pandas as pd; from crmlib.datasets import data_dir; "
    "[pd.read_csv(p, dtype=str) for p in sorted(pathlib.Path(data_dir()).rglob('*.csv'))]"
)


def run(args: list[str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MiB of one subprocess."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


def folder_mib(path: str) -> float:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", type=float, default=[1.0, 10.0])
    args = parser.parse_args()
    ref_time, ref_mem = run(["-c", READ_ALL])
    print(f"reference: read the shipped CSVs with pandas  {ref_time:6.2f} s  {ref_mem:7.0f} MiB peak")
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as out:
            t, mem = run(["-m", "crmlib.datasets", "generate", "--scale", str(scale), "--out", out])
            print(
                f"generate --scale {scale:<5g} {t:6.2f} s  {mem:7.0f} MiB peak  {folder_mib(out):7.1f} MiB written"
                f"  ({t / ref_time:.1f}x the reference time)"
            )


if __name__ == "__main__":
    main()

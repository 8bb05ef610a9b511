"""crmlib.io.read_orders on a 1M-row GB18030 POS export against pandas.read_csv on the same file.

The file (``¥1,234.50`` amounts, ``2024/3/5 14:23`` dates, a status column with 3% closed
orders, made-up ids) is written once to a temporary folder. Both readers run alternately; the best
(fastest) and the median of ``--repeat`` runs are printed, in wall-clock and in CPU time of this
process (steadier on a shared machine), each with its ratio to the reference (target: at most
1.5x), and the load average at the end. Nothing is asserted.

    python bench/bench_read_orders.py [--rows 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from crmlib.io import read_orders


def write_export(path: Path, rows: int) -> None:
    rng = np.random.default_rng(15)
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730 * 1440, rows), unit="min")
    times = times.sort_values()
    cents = rng.integers(100, 500_000, rows)
    members = rng.integers(0, 200_000, rows)
    closed = rng.random(rows) < 0.03
    dates = times.strftime("%Y/%-m/%-d %-H:%M")
    lines = ["订单编号,会员ID,下单时间,实付金额,门店,订单状态"]
    lines += [
        f'E{i:08d},M{m:06d},{d},"¥{c / 100:,.2f}",南阳店,{"交易关闭" if x else "交易成功"}'
        for i, (m, d, c, x) in enumerate(zip(members, dates, cents, closed, strict=True))
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pos_export.csv"
        write_export(path, args.rows)
        print(f"file: {args.rows:,} rows, {path.stat().st_size / 2**20:.1f} MB, GB18030")
        cases = {
            "pandas.read_csv (reference)": lambda: pd.read_csv(path, encoding="gb18030"),
            "crmlib.io.read_orders": lambda: read_orders(path),
        }
        times = {name: [] for name in cases}
        cpu = {name: [] for name in cases}
        report = None
        for _ in range(args.repeat):
            for name, run in cases.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                result = run()
                report = result.attrs.get("import_report", report)
                del result  # freeing the table is part of the run
                times[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - started_cpu)
        ref = "pandas.read_csv (reference)"
        print(f"{'':30s} {'best':>13s}  {'median':>13s}  {'best CPU':>13s}  {'median CPU':>13s}")
        for name in cases:
            cells = []
            for values in (times, cpu):
                for pick in (min, statistics.median):
                    cells.append(f"{pick(values[name]):.2f}s {pick(values[name]) / pick(values[ref]):.2f}x")
            print(f"{name:30s} " + "  ".join(cells))
        print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"kept {report['rows_kept']:,} rows, excluded {report['rows_excluded']:,}")


if __name__ == "__main__":
    main()

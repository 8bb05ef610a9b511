"""Time crmlib.clv.rfm_summary against DuckDB SQL and a plain-pandas baseline.

Synthetic transactions (NumPy, fixed seed): one customer per ten rows on average, purchase
times spread over two years, gamma-distributed amounts. Each implementation runs in its own
subprocess on the same data, so its peak memory is its own. Peak memory is the process's
peak resident set size while the implementation runs (Linux VmHWM, reset after the data is
loaded), shown both in total and above the loaded data. Times are the best of ``--repeat``
runs. Nothing is asserted: the script prints times, ratios and whether the three results
agree.

    python bench/bench_rfm_summary.py                 # 1M and 10M rows
    python bench/bench_rfm_summary.py --sizes 200000  # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

DUCKDB_SQL = """
WITH per_day AS (
    SELECT customer_id, CAST(order_date AS DATE) AS day, SUM(amount) AS amount
    FROM orders
    GROUP BY customer_id, day
), per_customer AS (
    SELECT customer_id,
           COUNT(*) - 1 AS frequency,
           MIN(day) AS first_day,
           MAX(day) AS last_day,
           SUM(amount) - ARG_MIN(amount, day) AS repeat_amount
    FROM per_day
    GROUP BY customer_id
)
SELECT customer_id,
       frequency,
       CAST(last_day - first_day AS DOUBLE) AS recency,
       CAST((SELECT MAX(CAST(order_date AS DATE)) FROM orders) - first_day AS DOUBLE) AS "T",
       CASE WHEN frequency > 0 THEN repeat_amount / frequency ELSE 0.0 END AS monetary_value
FROM per_customer
ORDER BY customer_id
"""


def make_transactions(n: int, seed: int = 20240101) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    customers = max(n // 10, 1)
    start = np.datetime64("2023-01-01T00:00:00", "us").astype(np.int64)
    two_years_us = 730 * 86_400 * 1_000_000
    return {
        "customer_id": rng.integers(0, customers, n),
        "order_date": start + rng.integers(0, two_years_us, n),
        "amount": np.round(rng.gamma(2.0, 20.0, n), 2),
    }


def load_frame(folder: Path) -> pd.DataFrame:
    arrays = {name: np.load(folder / f"{name}.npy") for name in ("customer_id", "order_date", "amount")}
    arrays["order_date"] = arrays["order_date"].view("datetime64[us]")
    return pd.DataFrame(arrays)


def run_crmlib(orders: pd.DataFrame) -> pd.DataFrame:
    from crmlib.clv import rfm_summary

    return rfm_summary(orders)


def run_duckdb(orders: pd.DataFrame) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    con.register("orders", orders)
    result = con.execute(DUCKDB_SQL).df().set_index("customer_id")
    con.close()
    return result


def run_pandas(orders: pd.DataFrame) -> pd.DataFrame:
    """The straightforward pandas way: group by customer and day, then by customer."""
    per_day = (
        orders.assign(day=orders["order_date"].dt.floor("D"))
        .groupby(["customer_id", "day"], as_index=False)["amount"]
        .sum()
    )
    by_customer = per_day.groupby("customer_id")
    first = by_customer["day"].transform("min")
    summary = pd.DataFrame(
        {
            "frequency": by_customer.size() - 1,
            "recency": (by_customer["day"].max() - by_customer["day"].min()).dt.days.astype(float),
            "T": (per_day["day"].max() - by_customer["day"].min()).dt.days.astype(float),
        }
    )
    repeat = per_day[per_day["day"] > first].groupby("customer_id")["amount"].mean()
    summary["monetary_value"] = repeat.reindex(summary.index).fillna(0.0)
    return summary


IMPLEMENTATIONS = {"crmlib": run_crmlib, "duckdb": run_duckdb, "pandas": run_pandas}


def _memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return -1


def child(name: str, folder: Path, repeat: int, out: Path) -> None:
    """Run one implementation ``repeat`` times on the saved data; write timings and result."""
    orders = load_frame(folder)
    baseline = _memory_kib("VmRSS")
    try:  # reset the peak-RSS mark so that the data loading does not count
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = IMPLEMENTATIONS[name](orders)
        times.append(time.perf_counter() - t0)
    peak = _memory_kib("VmHWM")
    result.to_pickle(out.with_suffix(".pkl"))
    out.write_text(json.dumps({"times": times, "peak_kib": peak, "baseline_kib": baseline}))


def compare(a: pd.DataFrame, b: pd.DataFrame) -> str:
    if not a.index.equals(b.index):
        return "different customers"
    for col in ("frequency", "recency", "T"):
        if not np.array_equal(a[col].to_numpy(dtype=float), b[col].to_numpy(dtype=float)):
            return f"column {col} differs"
    if not np.allclose(a["monetary_value"], b["monetary_value"], rtol=1e-9, atol=1e-9):
        return "monetary_value differs"
    return "equal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per implementation; the best time is shown")
    parser.add_argument("--only", nargs="+", choices=list(IMPLEMENTATIONS), default=list(IMPLEMENTATIONS))
    parser.add_argument("--child", nargs=3, metavar=("NAME", "DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.repeat, Path(args.child[2]))
        return

    import duckdb

    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, duckdb {duckdb.__version__}"
    )
    print("times: best of", args.repeat, "runs; peak: resident memory during the runs (above the loaded input)\n")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name, values in make_transactions(n).items():
                np.save(folder / f"{name}.npy", values)
            stats, results = {}, {}
            for name in args.only:
                out = folder / f"{name}.json"
                subprocess.run(
                    [sys.executable, __file__, "--repeat", str(args.repeat), "--child", name, str(folder), str(out)],
                    check=True,
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                )
                stats[name] = json.loads(out.read_text())
                results[name] = pd.read_pickle(out.with_suffix(".pkl"))
        customers = len(next(iter(results.values())))
        print(f"{n:,} transactions, {customers:,} customers")
        for name in args.only:
            s = stats[name]
            best = min(s["times"])
            ratio = (
                f"  crmlib/{name} = {min(stats['crmlib']['times']) / best:5.2f}"
                if "crmlib" in stats and name != "crmlib"
                else ""
            )
            print(
                f"  {name:7s} {best:7.3f} s   peak {s['peak_kib'] / 1024:7.0f} MiB"
                f" (+{(s['peak_kib'] - s['baseline_kib']) / 1024:5.0f} MiB){ratio}"
            )
        if "crmlib" in results:
            for name in args.only:
                if name != "crmlib":
                    print(f"  crmlib vs {name}: {compare(results['crmlib'], results[name])}")
        print()


if __name__ == "__main__":
    main()

"""Time crmlib.clv.BetaGeo.fit on customers simulated from known BG/NBD parameters.

For each size the script simulates customers with ``simulate_bgnbd`` (the CDNOW estimates of
Fader, Hardie and Lee as the true parameters; each customer observed for 26-52 weeks), fits
them, and prints the time, the recovered parameters and the largest relative error. If the
``lifetimes`` package can be imported, or ``--lifetimes-python`` names a Python that has it
(lifetimes 0.11 needs numpy<2 and pandas<2, so it usually lives in a venv of its own), its
BetaGeoFitter is timed on the same data and the ratio printed. The standard errors, which
crmlib computes only when asked, are timed separately. Nothing is asserted.

    python bench/bench_bgnbd.py                      # 100k and 1M customers
    python bench/bench_bgnbd.py --sizes 20000 --lifetimes-python /tmp/lifetimes-venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crmlib.clv import BetaGeo, simulate_bgnbd  # noqa: E402

TRUE = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}

# Runs inside the lifetimes interpreter: fit once, print the time and parameters as JSON.
LIFETIMES_CHILD = """
import json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
from lifetimes import BetaGeoFitter
d = np.load(sys.argv[1])
t0 = time.perf_counter()
m = BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "params": {k: float(v) for k, v in m.params_.items()}}))
"""


def lifetimes_runner(python: str | None):
    """A function fitting lifetimes on a summary, or None with the reason."""
    try:
        import lifetimes  # noqa: F401

        python = sys.executable
    except ImportError:
        if python is None:
            return None, "lifetimes is not installed here (pass --lifetimes-python PATH to use another venv)"
    check = subprocess.run(
        [python, "-c", "import lifetimes; print(lifetimes.__version__)"], capture_output=True, text=True
    )
    if check.returncode != 0:
        return None, f"lifetimes cannot be imported by {python}"
    version = check.stdout.strip()

    def run(summary: pd.DataFrame, timeout: float):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "summary.npz"
            np.savez(
                path,
                frequency=summary["frequency"].to_numpy(float),
                recency=summary["recency"].to_numpy(),
                T=summary["T"].to_numpy(),
            )
            try:
                out = subprocess.run(
                    [python, "-c", LIFETIMES_CHILD, str(path)], capture_output=True, text=True, timeout=timeout
                )
            except subprocess.TimeoutExpired:
                return None
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        return json.loads(out.stdout.strip().splitlines()[-1])

    return run, f"lifetimes {version} ({python})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="fits per size; the best time is shown")
    parser.add_argument("--lifetimes-python", help="a Python interpreter that can import lifetimes")
    parser.add_argument("--lifetimes-timeout", type=float, default=300.0, help="seconds before giving up on lifetimes")
    args = parser.parse_args()

    run_lifetimes, about = lifetimes_runner(args.lifetimes_python)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}; reference: {about}")
    print("true parameters:", ", ".join(f"{k}={v}" for k, v in TRUE.items()), "\n")
    true = pd.Series(TRUE)
    BetaGeo().fit(simulate_bgnbd(1000, **TRUE, T=39.0, seed=0))  # warm-up: imports scipy
    for n in args.sizes:
        ages = np.random.default_rng(n).uniform(26.0, 52.0, n)
        t0 = time.perf_counter()
        summary = simulate_bgnbd(n, **TRUE, T=ages, seed=12345)
        simulate_seconds = time.perf_counter() - t0
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            model = BetaGeo().fit(summary)
            times.append(time.perf_counter() - t0)
        best = min(times)
        error = (model.params_ / true - 1).abs()
        t0 = time.perf_counter()
        se = model.standard_errors()  # on demand, after the fit: not part of the fit time
        se_seconds = time.perf_counter() - t0
        print(
            f"{n:,} customers ({(summary['frequency'] > 0).mean():.0%} repeat buyers; "
            f"simulated in {simulate_seconds:.2f} s)"
        )
        print(f"  crmlib    fit {best:7.3f} s   {model!r}   max relative error {error.max():.2%} ({error.idxmax()})")
        print(
            f"  crmlib    standard errors on demand {se_seconds:.3f} s   "
            f"({', '.join(f'{k}={v:.4f}' for k, v in se.items())})"
        )
        if run_lifetimes is not None:
            result = run_lifetimes(summary, args.lifetimes_timeout)
            if result is None:
                print(f"  lifetimes did not finish within {args.lifetimes_timeout:.0f} s")
            else:
                p = pd.Series(result["params"])[list(TRUE)]
                shown = ", ".join(f"{k}={v:.3f}" for k, v in p.items())
                gap = (p / model.params_ - 1).abs().max()
                print(
                    f"  lifetimes fit {result['seconds']:7.3f} s   ({shown})   "
                    f"crmlib/lifetimes time = {best / result['seconds']:.3f};"
                    f" largest parameter difference {gap:.1e} (relative)"
                )
        print()


if __name__ == "__main__":
    main()

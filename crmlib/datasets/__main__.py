"""Command line: ``python -m crmlib.datasets generate [--scale S] [--out DIR]``.

Bad arguments print one line that says what is wrong and exit with status 2.
"""
from __future__ import annotations

import argparse
import sys
import time


def _fail(message: str) -> int:
    print(f"crmlib.datasets: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crmlib.datasets", description="Regenerate the course's synthetic datasets.")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write tea/*.csv, retail/*.csv, samples/ and MANIFEST")
    gen.add_argument("--scale", default="1", help="size relative to the shipped data (default 1)")
    gen.add_argument("--out", default=None, help="output folder (default: the repository's datasets/)")
    args = parser.parse_args(argv)

    try:
        scale = float(args.scale)
    except ValueError:
        return _fail(f"--scale must be a number > 0, got {args.scale!r}")
    if not scale > 0 or scale == float("inf"):
        return _fail(f"--scale must be a number > 0, got {args.scale!r}")

    from crmlib.datasets import data_dir, generate

    out = args.out if args.out is not None else data_dir()
    started = time.perf_counter()
    try:
        path = generate(out, scale)
    except OSError as err:
        return _fail(f"cannot write to --out {out}: {err.strerror or err}")
    print(f"wrote {path} (scale {scale:g}) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

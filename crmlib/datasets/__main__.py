"""Command line: ``python -m crmlib.datasets generate --out DIR [--scale S]``, or
``python -m crmlib.datasets generate --shipped [--update-manifest]`` to rebuild the shipped
``datasets/`` folder (what ``make data`` runs; checked against its MANIFEST first).

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
    parser = argparse.ArgumentParser(
        prog="python -m crmlib.datasets", description="Regenerate the course's synthetic datasets."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write tea/*.csv, retail/*.csv, samples/ and MANIFEST")
    gen.add_argument("--scale", default="1", help="size relative to the shipped data (default 1)")
    gen.add_argument("--out", default=None, help="output folder (required unless --shipped)")
    gen.add_argument(
        "--shipped", action="store_true", help="rebuild the shipped datasets/ folder; the files must match its MANIFEST"
    )
    gen.add_argument(
        "--update-manifest",
        action="store_true",
        help="with --shipped: write the files and a new MANIFEST even if they differ",
    )
    args = parser.parse_args(argv)

    try:
        scale = float(args.scale)
    except ValueError:
        return _fail(f"--scale must be a number > 0, got {args.scale!r}")
    if not scale > 0 or scale == float("inf"):
        return _fail(f"--scale must be a number > 0, got {args.scale!r}")

    if args.out is None and not args.shipped:
        return _fail("say where to write: --out DIR, or --shipped to rebuild the shipped datasets/ folder (make data)")
    if args.update_manifest and not args.shipped:
        return _fail("--update-manifest only applies with --shipped")

    from crmlib.datasets import data_dir, generate
    from crmlib.validate import CRMDataError

    out = args.out if args.out is not None else data_dir()
    started = time.perf_counter()
    try:
        path = generate(args.out, scale, shipped=args.shipped, update_manifest=args.update_manifest)
    except OSError as err:
        return _fail(f"cannot write to --out {out}: {err.strerror or err}")
    except CRMDataError as err:
        return _fail(" ".join(str(err).split()))
    print(f"wrote {path} (scale {scale:g}) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

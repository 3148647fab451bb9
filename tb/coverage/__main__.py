"""python -m hypsim.coverage merge [-o build/coverage/merged.xml] [FILES...]

Sums the functional-coverage databases (default: every build/coverage/**/*.xml
but merged*.xml) into the merged XML and merged.json beside it, and prints
each cover item's bins hit/total and the total. Exit 2 on bad input.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .merge import MERGED_XML, default_inputs, merge, report
from .xmldb import CoverageFileError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hypsim.coverage",
                                 description="functional coverage databases (cocotb-coverage XML)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge", help="sum databases per bin into one XML + merged.json")
    m.add_argument("-o", "--output", type=Path, default=MERGED_XML,
                   help="merged XML (merged.json is written beside it); default %(default)s")
    m.add_argument("files", nargs="*", type=Path,
                   help="databases (default: build/coverage/**/*.xml except merged*.xml)")
    args = ap.parse_args(argv)
    files = args.files or [p for p in default_inputs() if p.resolve() != args.output.resolve()]
    try:
        items = merge(files, args.output)
    except CoverageFileError as exc:
        print(f"hypsim.coverage: {exc}", file=sys.stderr)
        return 2
    print(report(items, len(files)))
    print(f"merged: {args.output} and {args.output.parent / 'merged.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

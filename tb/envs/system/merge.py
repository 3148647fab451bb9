"""Merge the system env's coverage XML files (build/coverage/system-*.xml, one
per sequence, simulator and run) into one figure per cover item, the bins
still unhit, and build/coverage/system-merged.xml. A thin wrapper of the
project's one merger, hypsim.coverage.merge (bins summed per label).

    python -m hypsim.envs.system.merge [FILE.xml ...]
"""
from __future__ import annotations

import sys
from pathlib import Path

from hypsim.coverage.merge import COVERAGE, merge, merge_items, read_bins
from hypsim.coverage.merge import report as _report
from hypsim.coverage.xmldb import CoverageFileError

MERGED = COVERAGE / "system-merged.xml"
MERGED_JSON = COVERAGE / "system-merged.json"


def merged_bins(files: list[Path]) -> dict[str, dict[str, int]]:
    """{cover item: {bin label: hits summed over the files}}."""
    return read_bins(files)


def report(files: list[Path]) -> str:
    """Per-item bins hit/total with the unhit ones, and the total, over ``files``."""
    return _report(merge_items(files), len(files))


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(p for p in COVERAGE.glob("system-*.xml") if p != MERGED)
    if not files:
        print("no build/coverage/system-*.xml: run the system env first", file=sys.stderr)
        return 2
    try:
        items = merge(files, MERGED, MERGED_JSON)
    except CoverageFileError as exc:
        print(f"hypsim.envs.system.merge: {exc}", file=sys.stderr)
        return 2
    print(_report(items, len(files)))
    print(f"merged database: {MERGED}")
    return 0


__all__ = ["merged_bins", "report", "main"]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

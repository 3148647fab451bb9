"""Merge the system env's coverage XML files (build/coverage/system-*.xml, one
per sequence, simulator and run) into one figure per cover item, the bins
still unhit, and build/coverage/system-merged.xml (cocotb-coverage's merger).

    python -m hypsim.envs.system.merge [FILE.xml ...]
"""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from hypsim.simulator import REPO

COVERAGE = REPO / "build" / "coverage"
MERGED = COVERAGE / "system-merged.xml"


def merged_bins(files: list[Path]) -> dict[str, dict[str, int]]:
    """{cover item: {bin label: hits summed over the files}}."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for f in files:
        for el in ET.parse(f).getroot().iter():
            if "bin" in el.attrib:
                item = el.attrib["abs_name"].rsplit(".", 1)[0].removeprefix("top.")
                out[item][el.attrib["bin"]] = out[item].get(el.attrib["bin"], 0) + int(el.attrib["hits"])
    return dict(out)


def report(files: list[Path]) -> str:
    bins = merged_bins(files)
    lines, hit_all, total_all = [], 0, 0
    for item in sorted(bins):
        b = bins[item]
        hit = sum(1 for n in b.values() if n)
        hit_all, total_all = hit_all + hit, total_all + len(b)
        missing = [k for k, n in b.items() if not n]
        lines.append(f"{item}: {hit}/{len(b)}" + (f"  unhit: {', '.join(missing)}" if missing else ""))
    return f"{len(files)} files, {hit_all}/{total_all} bins\n" + "\n".join(lines)


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(p for p in COVERAGE.glob("system-*.xml") if p != MERGED)
    if not files:
        print("no build/coverage/system-*.xml: run the system env first", file=sys.stderr)
        return 2
    print(report(files))
    from cocotb_coverage.coverage import merge_coverage
    merge_coverage(lambda msg: None, str(MERGED), *map(str, files))
    print(f"merged database: {MERGED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

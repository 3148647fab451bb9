"""The one place that summarises and exports cocotb-coverage databases for the
block environments: bins hit / total and the cover items with missed bins,
counted over the items whose names start with a block prefix ("gic.",
"mmu.", "timer."), and the XML export under build/coverage/."""
from __future__ import annotations

import os
from pathlib import Path

from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db

MAX_MISSES_LISTED = 8


def summary(prefix: str = "") -> tuple[int, int, list[str]]:
    """(bins hit, bins total, one line per cover item with missed bins)."""
    hit = total = 0
    missed: list[str] = []
    for name in sorted(coverage_db):
        item = coverage_db[name]
        if not name.startswith(prefix) or not isinstance(item, (CoverPoint, CoverCross)):
            continue
        total += item.size
        hit += item.coverage
        if item.coverage < item.size:
            misses = [str(b) for b, n in item.detailed_coverage.items() if n < item.at_least]
            missed.append(f"{name}: {item.coverage}/{item.size} missing "
                          f"{', '.join(misses[:MAX_MISSES_LISTED])}")
    return hit, total, missed


def export(path: Path) -> None:
    """Write the whole coverage database as cocotb-coverage XML (folders
    created), to a temporary file renamed into place: the merger
    (hypsim.coverage) never reads half a database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        coverage_db.export_to_xml(filename=str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)

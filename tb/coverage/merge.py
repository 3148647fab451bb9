"""One merger for every functional-coverage database of the project: the
block envs' (gic/mmu/timer-<sim>.xml), the system env's (system-*.xml) and
the core-level ones (hyp-traps-*, random-a32-*, mmu-programs-*.xml) under
build/coverage/.

Hits are summed per (cover item, bin label): bins are matched by their
label, not by their position, so databases written by different versions of
a covergroup still add up, and nothing is dropped: an item or a bin present
in only one file is kept with its hits. cocotb-coverage's own
`merge_coverage` matches bins by position (abs_name "...binN"), fails on a
bin new to an existing item, and writes in place; this one does neither.

Outputs (both written to a temporary file and renamed):
  merged XML    (default build/coverage/merged.xml) in cocotb-coverage's format
  merged.json   beside it: {"sources": [paths], "items": {item: {bin label: hits}}}
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

from ..simulator import REPO
from ..fileio import atomic_write
from .xmldb import CoverageFileError, Item, parse, write

COVERAGE = REPO / "build" / "coverage"
MERGED_XML = COVERAGE / "merged.xml"


def default_inputs(root: Path = COVERAGE) -> list[Path]:
    """Every build/coverage/**/*.xml but the merged outputs (merged*.xml, and the
    system env's own system-merged.xml), hidden files, and build/coverage/code/
    (Verilator code coverage, hypsim.codecov's)."""
    return sorted(p for p in root.rglob("*.xml")
                  if not p.name.startswith(("merged", ".")) and p.name != "system-merged.xml"
                  and "code" not in p.relative_to(root).parts[:1])


def _combine(merged: int, hits: int) -> int:
    """How one file's hits of a bin add to the merged count (a sum)."""
    return merged + hits


def merge_items(paths: Iterable[Path | str]) -> dict[str, Item]:
    """{item: Item} with hits summed per bin label over ``paths``; items and
    bins in order of first appearance."""
    out: dict[str, Item] = {}
    for p in paths:
        for name, item in parse(p).items():
            acc = out.get(name)
            if acc is None:
                out[name] = Item(name, dict(item.bins), item.weight, item.at_least, item.check)
                continue
            if (acc.weight, acc.at_least) != (item.weight, item.at_least):
                raise CoverageFileError(
                    f"{p}: cover item {name} has weight {item.weight}, at_least {item.at_least} "
                    f"but earlier files have {acc.weight}, {acc.at_least}: the databases come "
                    f"from different covergroup definitions; merge them separately")
            for label, hits in item.bins.items():
                acc.bins[label] = _combine(acc.bins.get(label, 0), hits)
    return out


def read_bins(paths: Iterable[Path | str]) -> dict[str, dict[str, int]]:
    """{item name without "top.": {bin label: hits summed over the files}}."""
    return {name: dict(item.bins) for name, item in merge_items(paths).items()}


def _shown(p: Path) -> str:
    p = Path(p).resolve()
    try:
        return str(p.relative_to(REPO))
    except ValueError:
        return str(p)


def merge(paths: Iterable[Path | str], out_xml: Path | str = MERGED_XML,
          out_json: Optional[Path | str] = None) -> dict[str, Item]:
    """Merge ``paths`` into ``out_xml`` and ``out_json`` (default: merged.json
    beside out_xml). Nothing is written unless every input reads."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise CoverageFileError("no coverage databases to merge: run tests first "
                                "(they write build/coverage/*.xml) or name the files")
    items = merge_items(paths)
    out_xml = Path(out_xml)
    out_json = Path(out_json) if out_json is not None else out_xml.parent / "merged.json"
    write(out_xml, items)
    doc = {"sources": [_shown(p) for p in paths],
           "items": {name: dict(item.bins) for name, item in sorted(items.items())}}
    atomic_write(out_json, (json.dumps(doc, indent=1) + "\n").encode())
    return items


def report(items: dict[str, Item], n_files: int) -> str:
    """One line per item (bins hit/total and the unhit ones), then the total."""
    lines, hit_all, total_all = [], 0, 0
    for name in sorted(items):
        it = items[name]
        hit_all, total_all = hit_all + it.hit, total_all + len(it.bins)
        missing = [k for k, n in it.bins.items() if n < it.at_least]
        shown = ", ".join(missing[:12]) + (f" (+{len(missing) - 12})" if len(missing) > 12 else "")
        lines.append(f"{name}: {it.hit}/{len(it.bins)}" + (f"  unhit: {shown}" if missing else ""))
    pct = f" ({100 * hit_all / total_all:.1f}%)" if total_all else ""
    return "\n".join(lines + [f"total: {hit_all}/{total_all} bins{pct} from {n_files} files"])

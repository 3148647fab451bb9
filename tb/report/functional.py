"""Merged functional coverage (build/coverage/merged.json) against the waivers
(sim/coverage_waivers.toml): every bin is covered (hit at least once), waived
(unhit, and a waiver names it, with its reason) or open (unhit, no waiver).

A waiver that matches no bin of the database, or that names a bin that is hit,
is stale: the page warns, and --strict fails (a waiver must not outlive the
hole it explains, nor hide a typo). The waiver file's schema is documented at
its top (sim/coverage_waivers.toml).
"""
from __future__ import annotations

import fnmatch
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HypsimError

KINDS = ("unreachable", "not-yet-hit")
WAIVER_KEYS = {"item", "bin", "bins", "glob", "whole_item", "reason", "kind"}


@dataclass
class Waiver:
    index: int                   # 1-based position in the file, for messages
    item: str
    bins: list[str]              # exact labels (from bin= or bins=)
    glob: str
    whole_item: bool
    reason: str
    kind: str

    def describe(self) -> str:
        what = (f"bin {self.bins[0]!r}" if len(self.bins) == 1 else
                f"bins {self.bins!r}" if self.bins else
                f"glob {self.glob!r}" if self.glob else "the whole item")
        return f"waiver #{self.index} ({self.item}: {what})"

    def matches(self, label: str) -> bool:
        if self.whole_item:
            return True
        if self.glob:
            return fnmatch.fnmatchcase(label, self.glob)
        return label in self.bins


@dataclass
class BinStatus:
    label: str
    hits: int
    waiver: Waiver | None = None

    @property
    def state(self) -> str:
        return "covered" if self.hits > 0 else "waived" if self.waiver else "open"


@dataclass
class ItemCoverage:
    name: str
    bins: list[BinStatus]

    @property
    def group(self) -> str:
        return group_of(self.name)

    def count(self, state: str) -> int:
        return sum(1 for b in self.bins if b.state == state)

    @property
    def total(self) -> int:
        return len(self.bins)


@dataclass
class Functional:
    path: Path
    sources: list[str]
    items: list[ItemCoverage]
    waivers_path: Path | None
    waivers: list[Waiver]
    stale: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        """Sums of the per-item figures (the page's totals row is this)."""
        out = {"covered": 0, "waived": 0, "open": 0, "total": 0}
        for it in self.items:
            for k in ("covered", "waived", "open"):
                out[k] += it.count(k)
            out["total"] += it.total
        return out

    def groups(self) -> dict[str, list[ItemCoverage]]:
        out: dict[str, list[ItemCoverage]] = {}
        for it in self.items:
            out.setdefault(it.group, []).append(it)
        return out


def group_of(item: str) -> str:
    """The covergroup of an item: its name up to the last dot ("gic.reg.access" ->
    "gic.reg"); a two-part name is its own block's group ("mmu.tlb" -> "mmu")."""
    return item.rsplit(".", 1)[0] if "." in item else item


def load_bins(path: Path) -> tuple[list[str], dict[str, dict[str, int]]]:
    """(sources, items) of a merged.json; HypsimError naming the file and the fault."""
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise HypsimError(f"report: {path} is not valid JSON ({e}); rerun "
                          f"`python -m hypsim.coverage merge`") from None
    except OSError as e:
        raise HypsimError(f"report: cannot read {path}: {e.strerror}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise HypsimError(f"report: {path}: expected an object with \"items\": {{item: {{bin: hits}}}} "
                          f"(hypsim.coverage merge's merged.json)")
    items: dict[str, dict[str, int]] = {}
    for name, bins in data["items"].items():
        if not isinstance(bins, dict):
            raise HypsimError(f"report: {path}: item {name!r} is {type(bins).__name__}, "
                              f"expected {{bin label: hits}}")
        for label, hits in bins.items():
            if not isinstance(hits, int) or isinstance(hits, bool) or hits < 0:
                raise HypsimError(f"report: {path}: item {name!r} bin {label!r} has hits={hits!r}, "
                                  f"expected a count >= 0")
        items[name] = dict(bins)
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise HypsimError(f"report: {path}: \"sources\" must be a list of paths")
    return [str(s) for s in sources], items


def load_waivers(path: Path) -> list[Waiver]:
    """The [[waiver]] tables of a waiver file; HypsimError naming the file, the
    waiver and the fault for anything malformed."""
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as e:
        raise HypsimError(f"report: {path} is not valid TOML ({e})") from None
    except OSError as e:
        raise HypsimError(f"report: cannot read {path}: {e.strerror}") from None
    unknown = set(data) - {"waiver"}
    if unknown:
        raise HypsimError(f"report: {path}: unknown top-level key(s) {sorted(unknown)}; "
                          f"waivers are [[waiver]] tables")
    raw = data.get("waiver", [])
    if not isinstance(raw, list):
        raise HypsimError(f"report: {path}: `waiver` must be an array of tables ([[waiver]])")
    out = []
    for i, w in enumerate(raw, 1):
        where = f"report: {path}: waiver #{i}"
        bad = set(w) - WAIVER_KEYS
        if bad:
            raise HypsimError(f"{where}: unknown key(s) {sorted(bad)}; allowed: {sorted(WAIVER_KEYS)}")
        item = w.get("item")
        if not isinstance(item, str) or not item:
            raise HypsimError(f"{where}: needs item = \"<cover item name>\"")
        reason = w.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise HypsimError(f"{where} ({item}): needs a non-empty reason = \"...\"")
        kind = w.get("kind")
        if kind not in KINDS:
            raise HypsimError(f"{where} ({item}): kind = {kind!r}; must be one of {list(KINDS)} "
                              f"(can the design never hit it, or do the tests just not yet?)")
        selectors = [k for k in ("bin", "bins", "glob", "whole_item") if k in w]
        if len(selectors) != 1:
            raise HypsimError(f"{where} ({item}): give exactly one of bin, bins, glob, "
                              f"whole_item = true (got {selectors or 'none'})")
        bins: list[str] = []
        if "bin" in w:
            if not isinstance(w["bin"], str):
                raise HypsimError(f"{where} ({item}): bin must be a string (the bin's label)")
            bins = [w["bin"]]
        elif "bins" in w:
            if not isinstance(w["bins"], list) or not w["bins"] or \
                    not all(isinstance(b, str) for b in w["bins"]):
                raise HypsimError(f"{where} ({item}): bins must be a non-empty list of labels")
            bins = list(w["bins"])
        glob = w.get("glob", "")
        if "glob" in w and (not isinstance(glob, str) or not glob):
            raise HypsimError(f"{where} ({item}): glob must be a non-empty string")
        if "whole_item" in w and w["whole_item"] is not True:
            raise HypsimError(f"{where} ({item}): whole_item must be true (or left out)")
        out.append(Waiver(i, item, bins, glob, "whole_item" in w, reason.strip(), kind))
    return out


def classify(items: dict[str, dict[str, int]], waivers: list[Waiver]) -> tuple[list[ItemCoverage], list[str]]:
    """Every bin's state, and one message per stale waiver (or stale bin of a waiver)."""
    by_item: dict[str, list[Waiver]] = {}
    for w in waivers:
        by_item.setdefault(w.item, []).append(w)
    out = []
    for name in sorted(items):
        bins = []
        for label, hits in items[name].items():
            w = next((w for w in by_item.get(name, []) if w.matches(label)), None)
            bins.append(BinStatus(label, hits, w))
        out.append(ItemCoverage(name, bins))
    stale = []
    for w in waivers:
        if w.item not in items:
            stale.append(f"{w.describe()}: no cover item {w.item!r} in the database")
            continue
        labels = items[w.item]
        if w.bins:
            for b in w.bins:
                if b not in labels:
                    stale.append(f"{w.describe()}: item {w.item} has no bin {b!r}")
                elif labels[b] > 0:
                    stale.append(f"{w.describe()}: bin {b!r} is hit ({labels[b]} times); "
                                 f"remove it from the waiver")
        else:
            matched = [b for b in labels if w.matches(b)]
            if not matched:
                stale.append(f"{w.describe()}: matches no bin of {w.item}")
            elif all(labels[b] > 0 for b in matched):
                stale.append(f"{w.describe()}: every bin it matches ({len(matched)}) is hit; "
                             f"remove the waiver")
    return out, stale


def load(path: Path, waivers_path: Path | None) -> Functional:
    sources, items = load_bins(path)
    waivers = load_waivers(waivers_path) if waivers_path else []
    classified, stale = classify(items, waivers)
    return Functional(path, sources, classified, waivers_path, waivers, stale)

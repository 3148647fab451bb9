"""Record one functional-coverage database with real cocotb-coverage items,
from the pytest process, one database per test.

The problem: cocotb-coverage keeps every cover item in `coverage_db`, a
process-global singleton, and `CoverPoint("name")` returns the existing item
(with its hits) when the name is taken; an xdist worker runs many tests in
one process, so items defined once at import time would carry one test's
hits into the next test's database, and `coverage_db.export_to_xml` writes
everything the process ever defined.

The choice: a database is recorded in one synchronous call, `record()`,
which (under a lock) creates *fresh* CoverPoint/CoverCross objects for the
group's names, samples every value through them, writes only those items
to the XML file and then deletes them from `coverage_db` again (in a
`finally`, so a failing sample leaves nothing behind). Item names stay the
same in every test's database (they must, for the merger to sum them); the
hits never leak between tests because no item outlives its `record()`.
cocotb-coverage has no reset API; deleting the trie's keys is what it
supports (`CoverPoint.__new__` only looks a name up in `coverage_db`).
A name whose root is already in `coverage_db` (someone else's live group)
is refused rather than silently shared.

Samples are plain values; each point's `xf` maps a sample to its bin (None:
no bin). Values that fall in no bin of a point are returned as `misses`,
so a caller can tell a bin list that no longer matches its generator.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from .xmldb import Item, write

_lock = threading.Lock()


@dataclass(frozen=True)
class Point:
    """A cover point: ``xf(sample)`` is compared with each bin (==)."""
    name: str
    bins: Sequence[Any]
    xf: Callable[[Any], Any] = lambda s: s
    labels: Optional[Sequence[str]] = None


@dataclass(frozen=True)
class Cross:
    """A cover cross of earlier points of the same group."""
    name: str
    items: Sequence[str]
    ignore: Sequence[tuple] = ()


Spec = Union[Point, Cross]


@dataclass
class Recorded:
    path: Path
    items: dict[str, Item]
    misses: dict[str, list[Any]] = field(default_factory=dict)   # point -> values in no bin

    @property
    def hit(self) -> int:
        return sum(it.hit for it in self.items.values())

    @property
    def total(self) -> int:
        return sum(len(it.bins) for it in self.items.values())

    def summary(self) -> str:
        return f"{self.path.name}: {self.hit}/{self.total} bins"


def _drop(names: Iterable[str]) -> None:
    from cocotb_coverage.coverage import coverage_db
    for name in sorted(set(names), key=lambda n: -n.count(".")):
        coverage_db.pop(name, None)


def record(path: Path | str, group: Sequence[Spec], samples: Iterable[Any]) -> Recorded:
    """Create ``group`` fresh in cocotb-coverage, sample each of ``samples``,
    write the group's items to ``path`` (atomically) and remove them again."""
    from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db

    path = Path(path)
    names = [s.name for s in group]
    parents = {".".join(n.split(".")[:i]) for n in names for i in range(1, n.count(".") + 1)}
    with _lock:
        taken = sorted(n for n in set(names) | parents if n in coverage_db)
        if taken:
            raise RuntimeError(f"coverage items {taken} already exist in cocotb-coverage's coverage_db: "
                               f"another live covergroup uses these names; pick another prefix")
        try:
            objs: list[Any] = []
            for s in group:
                if isinstance(s, Point):
                    bins = list(s.bins)
                    if len(set(bins)) != len(bins):
                        raise ValueError(f"{s.name}: duplicate bins")
                    objs.append(CoverPoint(s.name, xf=lambda v, f=s.xf: f(v), bins=bins,
                                           bins_labels=list(s.labels) if s.labels else None))
                else:
                    objs.append(CoverCross(s.name, items=list(s.items), ign_bins=list(s.ignore)))

            def sample(v: Any) -> None:
                pass
            for obj in reversed(objs):        # the first spec samples first; crosses after their points
                sample = obj(sample)
            misses: dict[str, list[Any]] = {}
            points = [(s, obj) for s, obj in zip(group, objs) if isinstance(s, Point)]
            for v in samples:
                sample(v)
                for s, obj in points:
                    if not obj._new_hits:
                        x = s.xf(v)
                        if x is not None:
                            misses.setdefault(s.name, []).append(x)
            items = {s.name.removeprefix("top."): Item(
                s.name.removeprefix("top."), {str(k): int(n) for k, n in obj.detailed_coverage.items()},
                obj.weight, obj.at_least) for s, obj in zip(group, objs)}
        finally:
            _drop(set(names) | parents)
    write(path, items)
    return Recorded(path, items, misses)

"""Read and write cocotb-coverage XML databases (the format
`coverage_db.export_to_xml` writes) as plain data: one `Item` per cover
point/cross/check with its bins in order, keyed by the item name without
"top.". No cocotb import: the merger and the report use this outside a
simulation.

The format: a tree of elements whose tags are the name components
("top" > "mmu" > "fault" > "stage"), each with abs_name, size, coverage and
cover_percentage; cover items also carry weight and at_least; their children
are the bins (<binN bin="label" hits="n" abs_name="...binN"/>). A CoverCheck
is an item with the two bins PASS and FAIL and size = weight.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..fileio import atomic_write


class CoverageFileError(ValueError):
    """A file that is not a readable cocotb-coverage XML database."""


@dataclass
class Item:
    name: str                                  # without "top."
    bins: dict[str, int] = field(default_factory=dict)
    weight: int = 1
    at_least: int = 1
    check: bool = False                        # a CoverCheck (PASS/FAIL)

    @property
    def size(self) -> int:
        return self.weight if self.check else self.weight * len(self.bins)

    @property
    def coverage(self) -> int:
        if self.check:
            ok = self.bins.get("FAIL", 0) == 0 and self.bins.get("PASS", 0) >= self.at_least
            return self.weight if ok else 0
        return self.weight * sum(1 for n in self.bins.values() if n >= self.at_least)

    @property
    def hit(self) -> int:
        """Bins hit at least at_least times (the figure reports show)."""
        return sum(1 for n in self.bins.values() if n >= self.at_least)


def _int(el: ET.Element, attr: str, path: Path) -> int:
    try:
        return int(el.attrib[attr])
    except (KeyError, ValueError):
        raise CoverageFileError(
            f"{path}: element <{el.tag} abs_name={el.attrib.get('abs_name')!r}> has no integer "
            f"{attr!r}: not a cocotb-coverage XML database (write one with "
            f"coverage_db.export_to_xml or hypsim.coverage.record)") from None


def parse(path: Path | str) -> dict[str, Item]:
    """The cover items of one database, in file order. Raises
    CoverageFileError naming the file when it is not such a database."""
    path = Path(path)
    hint = ("not a cocotb-coverage XML database (expected <top abs_name=\"top\"> with cover items "
            "and their <binN bin=... hits=...> elements); remove it from the inputs")
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise CoverageFileError(f"{path}: no such file") from None
    except (ET.ParseError, OSError) as exc:
        raise CoverageFileError(f"{path}: {exc}: {hint}") from None
    if root.tag != "top" or root.attrib.get("abs_name") != "top":
        raise CoverageFileError(f"{path}: root element <{root.tag}>: {hint}")
    items: dict[str, Item] = {}
    for el in root.iter():
        bins = [b for b in el if "bin" in b.attrib]
        if not bins:
            continue
        name = el.attrib.get("abs_name", "").removeprefix("top.")
        if not name:
            raise CoverageFileError(f"{path}: a cover item without abs_name: {hint}")
        item = Item(name, weight=_int(el, "weight", path), at_least=_int(el, "at_least", path))
        for b in bins:
            label = b.attrib["bin"]
            item.bins[label] = item.bins.get(label, 0) + _int(b, "hits", path)
        item.check = set(item.bins) == {"PASS", "FAIL"} and _int(el, "size", path) == item.weight
        items[name] = item
    if not items:
        raise CoverageFileError(f"{path}: no cover item with bins: {hint}")
    return items


def to_xml(items: dict[str, Item]) -> ET.Element:
    """The database as cocotb-coverage writes it (sizes and coverage summed
    up the name tree, percentages rounded to 2 places)."""
    root = ET.Element("top", {"abs_name": "top"})
    nodes: dict[str, ET.Element] = {"": root}
    totals: dict[str, list[int]] = {"": [0, 0]}
    for name in items:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            key = ".".join(parts[:i])
            if key not in nodes:
                nodes[key] = ET.SubElement(nodes[".".join(parts[:i - 1])], parts[i - 1],
                                           {"abs_name": "top." + key})
                totals[key] = [0, 0]
        item = items[name]
        for i in range(0, len(parts)):
            t = totals[".".join(parts[:i])]
            t[0] += item.size
            t[1] += item.coverage
        el = nodes[name]
        el.attrib.update(weight=str(item.weight), at_least=str(item.at_least))
        totals[name] = [item.size, item.coverage]
        for n, (label, hits) in enumerate(item.bins.items()):
            ET.SubElement(el, f"bin{n}", {"bin": label, "hits": str(hits),
                                          "abs_name": f"top.{name}.bin{n}"})
    for key, el in nodes.items():
        size, cov = totals[key]
        el.attrib.update(size=str(size), coverage=str(cov),
                         cover_percentage=str(round(cov * 100 / size, 2) if size else 0.0))
    ET.indent(root)
    return root


def write(path: Path | str, items: dict[str, Item]) -> None:
    atomic_write(Path(path), ET.tostring(to_xml(items), encoding="utf-8"))

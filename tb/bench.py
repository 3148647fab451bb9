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

On Verilator the same program then runs REPEATS interleaved rounds of four
kinds, best of the rounds kept (wall and CPU time): checked, `hypsim run
--compare-qemu`'s whole path (tracer on, the Hyp-trap scoreboard and the
instruction-by-instruction comparison with QEMU's trace) timed end to end; the
tracer on, simulator only; free-running, the build without the retire tracer
(simulator.SOC_FREE, `hypsim run --no-trace`) with no checker after it, only
its exit status and console (equal to QEMU's, so to the checked run's) and its
cycle and instruction counts (equal to the traced runs') checked, so that it
cannot silently do nothing; and free-running with the progress coroutine
(tb/progress.py), for its cost. It prints checked / free-running and tracer-on
/ free-running (wall time, cycles/s, CPU time).

Then firmware/build/bench/walks.elf on both simulators: the cycles one
translation table walk costs the core over a TLB hit, nested (stage 1 + stage
2, 4 KB pages, 15 descriptor reads) and stage 1 only (3 reads), measured from
the retire trace as explained in firmware/bench/walks.S. Last, the MMU block
env (tests/test_mmu_block.py's pyuvm env, BLOCK_TRANSLATIONS random
translations, seed 1) on both: translations and table walks per wall second,
the model and scoreboard included.

Last, the hypervisor's world-switch costs (tb/bench_hyp.py): the bench guest
(firmware/guests/bench.c) under the hypervisor on Verilator, once alone and
once as two VMs, each run checked (exit 0, its console as on QEMU natively),
measured in core cycles and retired instructions from the retire trace, with
KVM/ARM's Cortex-A15 figures beside them. The cycles do not depend on the
simulator (the same RTL).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from . import simulator
from .elf_image import ElfImage, load_elf
from .qemu import run_qemu
from .run import RAM_BASE, RAM_MIB
from .trace import RetireTxn, read_trace

REPO = simulator.REPO
DEFAULT_ELF = REPO / "firmware/build/bench/workload.elf"
WALKS_ELF = REPO / "firmware/build/bench/walks.elf"
BLOCK_TRANSLATIONS = 20_000
# (figure, loop whose iterations take 2 walks each, the same loop with TLB hits)
WALK_LOOPS = (("nested walk", "walk", "hit"), ("stage-1 walk", "s1walk", "s1hit"))
REPORT = REPO / "build/reports/bench.json"
REPEATS = 3     # rounds of the Verilator checked / traced / free-running comparison


def _cpu_s() -> float:
    """CPU seconds of this process and its reaped children (the simulator, QEMU): less
    disturbed than wall time by other jobs on a shared machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _run_checked(image: ElfImage, sim: str, work: Path, max_cycles: int,
                 expected_console: bytes, trace: bool = True, progress: bool = False,
                 tag: str = "") -> tuple[simulator.SimOutcome, float, float]:
    """Run one ELF (model already built), its simulator wall and CPU time; stop the
    benchmark unless it exits 0 with QEMU's console."""
    name = image.path.name
    hexfile = image.write_readmemh(work / f"{image.path.stem}.hex")
    t0, c0 = time.monotonic(), _cpu_s()
    out = simulator.run(simulator.SimRequest(sim, image.entry, hexfile,
                                             work / f"{image.path.stem}-{sim}{tag}", max_cycles,
                                             trace=trace, progress=progress))
    wall, cpu = time.monotonic() - t0, _cpu_s() - c0
    if out.stop != "exit" or out.exit_status != 0:
        raise SystemExit(f"bench: {name} did not exit cleanly on {sim}{tag}: {out.stop} {out.message}")
    if out.console != expected_console:
        raise SystemExit(f"bench: {name} on {sim}{tag} printed {out.console!r}, QEMU {expected_console!r}")
    return out, wall, cpu


def _row(cycles: int, retired: int, wall: float, cpu: float) -> dict[str, float]:
    return {"cycles": cycles, "retired": retired, "wall": wall, "cpu": cpu,
            "cpi": cycles / max(retired, 1), "cps": cycles / wall, "cps_cpu": cycles / max(cpu, 1e-9)}


def bench_one(elf: Path, sim: str, work: Path, expected_console: bytes, trace: bool = True,
              progress: bool = False, tag: str = "") -> dict[str, float]:
    """One simulator run of `elf` (tracer on, or the free-running build): its figures."""
    simulator.ensure_built(sim, design=simulator.SOC if trace else simulator.SOC_FREE)
    image = load_elf(elf, RAM_BASE, RAM_MIB << 20)
    out, wall, cpu = _run_checked(image, sim, work, 50_000_000, expected_console, trace, progress, tag)
    row = _row(out.cycles, out.retired, wall, cpu)
    if progress:
        prog = out.trace.parent / "progress.txt"
        row["progress_lines"] = len(prog.read_text().splitlines()) if prog.exists() else 0
    return row


def bench_checked(elf: Path, work: Path, expected_console: bytes, tag: str = "") -> dict[str, float]:
    """`hypsim run --compare-qemu` on Verilator, end to end: the simulation with the
    tracer, the Hyp-trap scoreboard and the lockstep comparison with QEMU's trace."""
    from .run import RunOptions, run_elf
    simulator.ensure_built("verilator")
    t0, c0 = time.monotonic(), _cpu_s()
    res = run_elf(elf, RunOptions(sim="verilator", compare_qemu=True, work_dir=work / f"checked{tag}",
                                  max_cycles=50_000_000))
    wall, cpu = time.monotonic() - t0, _cpu_s() - c0
    if res.exit_code != 0 or res.console != expected_console:
        raise SystemExit(f"bench: the checked run of {elf.name} failed (exit {res.exit_code}): {res.message}")
    row = _row(res.outcome.cycles, res.outcome.retired, wall, cpu)
    row["compared"] = res.compare.compared if res.compare else 0
    return row


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    """Best of N: the least wall and the least CPU time (each run's own cycles are equal)."""
    best = dict(min(runs, key=lambda r: r["wall"]))
    best["cpu"] = min(r["cpu"] for r in runs)
    best["cps_cpu"] = best["cycles"] / max(best["cpu"], 1e-9)
    best["runs"] = len(runs)
    return best


def bench_vs_free_running(elf: Path, work: Path, expected_console: bytes) -> dict[str, dict[str, float]]:
    """Verilator, REPEATS rounds of: checked end to end, tracer on (simulator only),
    free-running, free-running with progress lines; best of the rounds for each.
    Interleaved so that a burst of load on the machine hits every kind alike."""
    kinds: dict[str, list[dict[str, float]]] = {"checked": [], "traced": [], "free": [], "free_progress": []}
    for i in range(REPEATS):
        kinds["checked"].append(bench_checked(elf, work, expected_console, tag=f"{i}"))
        kinds["traced"].append(bench_one(elf, "verilator", work, expected_console, tag=f"-traced{i}"))
        kinds["free"].append(bench_one(elf, "verilator", work, expected_console, trace=False, tag=f"-free{i}"))
        kinds["free_progress"].append(bench_one(elf, "verilator", work, expected_console, trace=False,
                                                progress=True, tag=f"-free-progress{i}"))
    best = {k: _best(v) for k, v in kinds.items()}
    same = {(r["cycles"], r["retired"]) for r in best.values()}
    if len(same) != 1:
        raise SystemExit(f"bench: the Verilator runs disagree on cycles/instructions: {sorted(same)}")
    best["free_progress"]["progress_lines"] = min(r.get("progress_lines", 0) for r in kinds["free_progress"])
    return best


def _loop_cycles(retired: list[RetireTxn], image: ElfImage, name: str) -> int:
    """Cycles from the first retirement of bench_<name>_loop to bench_<name>_done."""
    start, done = image.symbol(f"bench_{name}_loop"), image.symbol(f"bench_{name}_done")
    if start >> 12 != done >> 12:
        raise SystemExit(f"bench: {image.path.name}: loop {name} crosses a 4 KB page (extra walks)")
    cycles = {t.pc: t.cycle for t in reversed(retired) if t.pc in (start, done)}
    if len(cycles) != 2:
        raise SystemExit(f"bench: {image.path.name}: loop {name} not found in the retire trace")
    return cycles[done] - cycles[start]


def bench_walks(sim: str, work: Path, expected_console: bytes) -> dict[str, float]:
    """Cycles per table walk (over a TLB hit) on the core; see firmware/bench/walks.S."""
    image = load_elf(WALKS_ELF, RAM_BASE, RAM_MIB << 20)
    out, _, _ = _run_checked(image, sim, work, 5_000_000, expected_console)
    retired = [t for t in read_trace(out.trace) if isinstance(t, RetireTxn)]
    iters = image.read_word(image.symbol("bench_iterations"))
    return {label: (_loop_cycles(retired, image, walk) - _loop_cycles(retired, image, hit)) / (2 * iters)
            for label, walk, hit in WALK_LOOPS}


def bench_mmu_block(sim: str, work: Path) -> dict[str, float]:
    """Translations and walks per second of the MMU block env (its own statistics)."""
    xml = simulator.run_cocotb(simulator.CocotbRun(
        sim, simulator.MMU_BLOCK, "hypsim.envs.mmu.cocotb_mmu", work / f"mmu-{sim}",
        extra_env=(("HYPSIM_MMU_TRANSLATIONS", str(BLOCK_TRANSLATIONS)), ("HYPSIM_MMU_SEED", "1"),
                   ("HYPSIM_MMU_SIM", sim))))
    stats_file = work / f"mmu-{sim}" / "mmu_stats.json"
    if simulator.failed_tests(xml) or not stats_file.exists():
        raise SystemExit(f"bench: the MMU block env failed on {sim}; see {work / f'mmu-{sim}' / 'sim.log'}")
    stats = json.loads(stats_file.read_text())
    if stats["mismatches"]:
        raise SystemExit(f"bench: the MMU block env saw {stats['mismatches']} mismatches on {sim}")
    return {k: stats[k] for k in ("translations", "walks", "translations_per_s", "walks_per_s", "wall_s")}


BENCH_GUEST = REPO / "firmware/build/guests/bench.bin"


def bench_world_switch(work: Path) -> tuple[dict[str, dict[str, int] | None], str]:
    """The world-switch table (see tb/bench_hyp.py) from two Verilator runs of the bench guest."""
    from .bench_hyp import costs_from_traces, elf_symbols, table
    from .run_guest import DEFAULT_HYPERVISOR, GuestOptions, run_guest
    traces = []
    for vms in (1, 2):
        res = run_guest(BENCH_GUEST, GuestOptions(sim="verilator", vms=vms, work_dir=work / f"guest-{vms}vm"))
        expected = b"bench: PASS\n"
        consoles = [res.console] if vms == 1 else \
            [(work / f"guest-{vms}vm/verilator/console-vm{i}.txt").read_bytes() for i in range(vms)]
        if res.exit_code != 0 or any(c != expected for c in consoles):
            raise SystemExit(f"bench: the bench guest in {vms} VM(s) did not pass: {res.message} {consoles!r}")
        traces.append(res.outcome.trace)
    costs = costs_from_traces(traces[0], traces[1], elf_symbols(BENCH_GUEST.with_suffix(".elf")),
                              elf_symbols(DEFAULT_HYPERVISOR))
    text = ("world switch (hypervisor + bench guest on Verilator; core cycles and retired instructions "
            "from the retire trace):\n" + table(costs))
    return {k: ({"cycles": c.cycles, "instructions": c.instructions} if c else None) for k, c in costs.items()}, text


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
        vs = bench_vs_free_running(args.elf, Path(td), expected)
        if not WALKS_ELF.exists():
            print(f"bench: {WALKS_ELF} not found: run `make -C firmware bench` first", file=sys.stderr)
            return 2
        qw = run_qemu(WALKS_ELF, Path(td) / "qemu-walks")
        walks = {sim: bench_walks(sim, Path(td), qw.uart + qw.semihost_out) for sim in simulator.SIMULATORS}
        block = {sim: bench_mmu_block(sim, Path(td)) for sim in simulator.SIMULATORS}
        if not BENCH_GUEST.exists():
            print(f"bench: {BENCH_GUEST} not found: run `make -C firmware guests` first", file=sys.stderr)
            return 2
        world, world_text = bench_world_switch(Path(td))
    print(f"benchmark: {args.elf.relative_to(REPO) if args.elf.is_relative_to(REPO) else args.elf}"
          " (retire tracer on; console checked against QEMU)")
    print(f"{'simulator':<10} {'cycles':>10} {'retired':>10} {'CPI':>6} {'wall s':>8} {'cycles/s':>10}")
    for sim, r in rows.items():
        print(f"{sim:<10} {r['cycles']:>10.0f} {r['retired']:>10.0f} {r['cpi']:>6.2f} {r['wall']:>8.2f} {r['cps']:>10.0f}")
    ratio = rows["verilator"]["cps"] / rows["icarus"]["cps"]
    print(f"Verilator/Icarus speed ratio (same run): {ratio:.1f}x")
    print(f"Verilator, best of {REPEATS} interleaved rounds (wall; CPU: simulator, QEMU and Python):")
    labels = {"checked": "checked: hypsim run --compare-qemu end to end (tracer, Hyp-trap scoreboard, "
                         "QEMU lockstep)",
              "traced": "tracer on, simulator only (no checker after it)",
              "free": "free-running: no tracer, no checker (exit status and console checked)",
              "free_progress": "free-running with progress lines (tb/progress.py)"}
    for kind, label in labels.items():
        r = vs[kind]
        print(f"  {label}\n      {r['wall']:>7.2f} s wall {r['cps']:>9.0f} cycles/s   {r['cpu']:>7.2f} s CPU "
              f"{r['cps_cpu']:>9.0f} cycles/CPU-s")
    free = vs["free"]
    vs_free = {f"{k}_{m}": vs[k][m] / free[m] for k in ("checked", "traced") for m in ("wall", "cpu")}
    print(f"checked / free-running (Verilator, same run): wall {vs_free['checked_wall']:.2f}x "
          f"(cycles/s {1 / vs_free['checked_wall']:.2f}x), CPU {vs_free['checked_cpu']:.2f}x")
    print(f"tracer on / free-running (simulator only): wall {vs_free['traced_wall']:.2f}x "
          f"(cycles/s {1 / vs_free['traced_wall']:.2f}x), CPU {vs_free['traced_cpu']:.2f}x")
    fp = vs["free_progress"]
    pc = {"wall_on": fp["wall"], "wall_off": free["wall"], "wall_ratio": fp["wall"] / free["wall"],
          "cpu_on": fp["cpu"], "cpu_off": free["cpu"], "cpu_ratio": fp["cpu"] / free["cpu"],
          "progress_lines": fp["progress_lines"]}
    print(f"progress lines on / off (free-running): wall {pc['wall_ratio']:.3f}x, CPU {pc['cpu_ratio']:.3f}x "
          f"({pc['progress_lines']} lines)")
    print(f"{WALKS_ELF.relative_to(REPO)}: core cycles per table walk over a TLB hit")
    for sim, w in walks.items():
        print(f"{sim:<10} " + "  ".join(f"{label} {cyc:.1f}" for label, cyc in w.items()))
    print(f"MMU block env, {BLOCK_TRANSLATIONS} random translations (model and scoreboard included)")
    for sim, b in block.items():
        print(f"{sim:<10} {b['translations_per_s']:>8.0f} translations/s {b['walks_per_s']:>8.0f} walks/s "
              f"({b['walks']} walks in {b['wall_s']} s)")
    block_ratio = block["verilator"]["walks_per_s"] / block["icarus"]["walks_per_s"]
    print(f"Verilator/Icarus walks/s ratio (same run): {block_ratio:.1f}x")
    print(world_text)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    tmp = REPORT.with_suffix(".tmp")
    tmp.write_text(json.dumps({"elf": str(args.elf), "simulators": rows, "verilator_over_icarus": ratio,
                               "verilator_vs_free_running": vs, "over_free_running": vs_free,
                               "progress_cost": pc,
                               "cycles_per_walk": walks, "mmu_block": block, "world_switch": world},
                              indent=2) + "\n")
    tmp.replace(REPORT)
    print(f"written to {REPORT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

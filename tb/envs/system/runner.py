"""Run one seeded sequence of the system env: the hypervisor and a guest on the
RTL, the VMM served by the pyuvm env (tb/envs/system) instead of tb/cocotb_top.py's loop.

    python -m hypsim.envs.system.runner --seq mmio --seed 7 [--sim verilator] [--ops 40]
                                        [--max-delay 300] [--guest NAME|IMAGE] [--work-dir DIR]
    python -m hypsim.envs.system.runner --regress 3 --seed 1     # the long runs, 3 seeds

The seed is printed first (and comes from $HYPSIM_SYSTEM_SEED when --seed is
not given), so a failing run can be repeated. Exit code: the run's (0 every VM
powered off) or 3 when a checker failed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypsim.run import EXIT_DIVERGED, EXIT_OK, RunResult
from hypsim.run_guest import GuestOptions, run_guest
from hypsim.simulator import REPO

from .sequences import SEQUENCES, run_config

GUESTS = REPO / "firmware/build/guests"


@dataclass
class SystemRunResult:
    run: RunResult
    report: dict            # system-env.json
    seed: int

    @property
    def ok(self) -> bool:
        return self.run.exit_code == EXIT_OK and bool(self.report.get("ok"))


def guest_image(name: str) -> Path:
    p = Path(name)
    return p if p.suffix or p.exists() else GUESTS / f"{name}.bin"


def run_system(sequence: str, seed: int, sim: str = "verilator", guest: str | None = None, n_ops: int = 40,
               max_delay: int | None = None, work_dir: Path | None = None, max_cycles: int = 20_000_000,
               coverage_xml: Path | None = None) -> SystemRunResult:
    cfg = run_config(sequence, seed)
    image = guest_image(guest or (cfg.guest if cfg else "tiny"))
    delay = (0 if sequence == "default" else 300) if max_delay is None else max_delay
    work = work_dir or Path(tempfile.mkdtemp(prefix=f"hypsim-system-{sequence}-"))
    env = {"sequence": sequence, "seed": seed, "max_delay": delay, "n_ops": n_ops, "sim": sim,
           "coverage": str(coverage_xml) if coverage_xml else ""}
    opts = GuestOptions(sim=sim, max_cycles=max_cycles, work_dir=work, system_env=env,
                        vms=cfg.vms if cfg else 1, seq_runs=cfg.seq_runs if cfg else 0,
                        vmid_bits=cfg.vmid_bits if cfg else 0)
    res = run_guest(image, opts)
    rep_file = work / sim / "system-env.json"
    report = json.loads(rep_file.read_text()) if rep_file.exists() else {}
    if report and not report.get("ok") and res.exit_code == EXIT_OK:
        res.exit_code = EXIT_DIVERGED
        res.message = "the system env's checkers failed:\n  " + "\n  ".join(report.get("failures", []))
    return SystemRunResult(res, report, seed)


#: the long runs (make -C sim system-env): (sequence, guest or None, ops) per seed
REGRESSION = (("mmio", None, 150), ("irq", None, 80), ("psci", None, 80), ("churn", None, 0),
              ("mixed", None, 200), ("default", "psci", 0), ("default", "irq", 0))


def regress(seeds: list[int], sim: str, work: Path, ops_scale: float = 1.0) -> int:
    """Every REGRESSION entry with every seed (random delays up to 300 cycles everywhere), one
    coverage file per run, then the merged figures; returns the number of failed runs."""
    from .merge import report
    failed = 0
    files: list[Path] = []
    for sd in seeds:
        for seq, guest, n_ops in REGRESSION:
            name = f"{seq}-{guest}" if guest else seq
            xml = REPO / "build" / "coverage" / f"system-{name}-{sim}-s{sd}.xml"
            print(f"system env: {name} seed {sd} on {sim} (rerun: python -m hypsim.envs.system.runner --seq {seq}"
                  f"{f' --guest {guest}' if guest else ''} --seed {sd} --ops {int(n_ops * ops_scale)} "
                  f"--max-delay 300 --sim {sim})", flush=True)
            r = run_system(seq, sd, sim, guest, int(n_ops * ops_scale), 300, work / f"{name}-s{sd}", 60_000_000, xml)
            files.append(xml)
            rep = r.report
            status = "ok" if r.ok else f"FAILED (exit {r.run.exit_code})"
            print(f"  {status}: {r.run.outcome.cycles} cycles, {r.run.wall_s:.0f} s, checked {rep.get('checked')}, "
                  f"coverage {rep.get('bins_hit')}/{rep.get('bins_total')}", flush=True)
            if not r.ok:
                failed += 1
                print("  " + r.run.message.replace("\n", "\n  "), flush=True)
    print(report([f for f in files if f.exists()]))
    print(f"{failed} of {len(files)} runs failed")
    return failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hypsim.envs.system.runner", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seq", default="mmio", choices=sorted(SEQUENCES))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--sim", default="verilator")
    ap.add_argument("--ops", type=int, default=40)
    ap.add_argument("--max-delay", type=int, default=None)
    ap.add_argument("--guest", default=None)
    ap.add_argument("--max-cycles", type=int, default=20_000_000)
    ap.add_argument("--work-dir", type=Path, default=None)
    ap.add_argument("--regress", type=int, metavar="N", default=0,
                    help="the long runs: every sequence of REGRESSION with N seeds from --seed (or $HYPSIM_SYSTEM_SEED)")
    a = ap.parse_args(argv)
    if a.regress:
        first = a.seed if a.seed is not None else int(os.environ.get("HYPSIM_SYSTEM_SEED") or 1)
        work = a.work_dir or Path(tempfile.mkdtemp(prefix="hypsim-system-regress-"))
        return 1 if regress(list(range(first, first + a.regress)), a.sim, work) else 0
    seed = a.seed if a.seed is not None else int(os.environ.get("HYPSIM_SYSTEM_SEED") or random.randrange(1 << 31))
    print(f"system env: sequence {a.seq} seed {seed} (rerun: --seq {a.seq} --seed {seed})", file=sys.stderr, flush=True)
    # absolute: the simulator runs in a directory of its own and reads its run files from there
    work_dir = a.work_dir.resolve() if a.work_dir else None
    r = run_system(a.seq, seed, a.sim, a.guest, a.ops, a.max_delay, work_dir, a.max_cycles)
    sys.stdout.buffer.write(r.run.console)
    print(r.run.message, file=sys.stderr)
    for note in r.run.notes:
        print(note, file=sys.stderr)
    rep = r.report
    if rep:
        print(f"checkers: {rep['checked']} failures {rep['failure_count']}", file=sys.stderr)
        print(f"coverage {rep['bins_hit']}/{rep['bins_total']} bins: {rep['coverage_xml']}", file=sys.stderr)
        for name, (hit, total) in rep["groups"].items():
            print(f"  {name}: {hit}/{total}", file=sys.stderr)
    return r.run.exit_code


if __name__ == "__main__":
    sys.exit(main())

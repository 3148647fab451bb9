"""The generic timer block (rtl/timer) against the reference model
(tb/models/generic_timer.py) with the cocotb module tb/envs/timer/cocotb_timer.py,
on both simulators. HYPSIM_TIMER_ACCESSES scales the random accesses,
HYPSIM_TIMER_SEED picks the seed."""
from __future__ import annotations

import json
import os
from pathlib import Path

from hypsim.simulator import CocotbRun, Design, SimulationFailed, coverage_dir, failed_tests, run_cocotb

TIMER = Design(name="timer", toplevel="arm_generic_timer", source_dirs=("rtl/timer",))
# ~2000 checked accesses/s on Icarus, ~4000 on Verilator (2-core machine): ~45 s for both
DEFAULT_ACCESSES = 50_000


def test_timer_block_matches_model(sim: str, work_dir: Path) -> None:
    accesses = int(os.environ.get("HYPSIM_TIMER_ACCESSES", DEFAULT_ACCESSES))
    seed = os.environ.get("HYPSIM_TIMER_SEED", "1")
    result = work_dir / "timer_result.json"
    cov = coverage_dir() / f"timer-{sim}.xml"
    try:
        xml = run_cocotb(CocotbRun(sim, TIMER, "hypsim.envs.timer.cocotb_timer", work_dir, extra_env=(
            ("HYPSIM_TIMER_SEED", seed), ("HYPSIM_TIMER_ACCESSES", str(accesses)),
            ("HYPSIM_TIMER_RESULT", str(result)), ("HYPSIM_TIMER_COVERAGE", str(cov)))))
    except SimulationFailed as exc:   # a failing cocotb test also ends the simulator with 1
        figures = json.loads(result.read_text()) if result.exists() else {}
        raise AssertionError(f"timer block on {sim} (seed {seed}): expected 0 mismatches, saw "
                             f"{figures.get('mismatches', '?')}: {figures.get('first_mismatches')}"
                             f"\n{exc}") from None
    figures = json.loads(result.read_text()) if result.exists() else {}
    print(f"timer block on {sim}: {json.dumps(figures)}")
    assert not failed_tests(xml), (
        f"timer block on {sim} (seed {seed}): expected 0 mismatches, saw "
        f"{figures.get('mismatches', '?')}: {figures.get('first_mismatches')}; see {work_dir / 'sim.log'}")
    assert figures["mismatches"] == 0
    assert figures["accesses"] >= accesses, (
        f"expected at least {accesses} checked accesses on {sim}, saw {figures['accesses']}")

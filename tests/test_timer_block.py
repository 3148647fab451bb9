"""The generic timer block (rtl/timer) against the reference model
(tb/models/generic_timer.py) with the cocotb module tb/envs/timer/cocotb_timer.py,
on both simulators. HYPSIM_TIMER_ACCESSES scales the random accesses,
HYPSIM_TIMER_SEED picks the seed."""
from __future__ import annotations

import os
from pathlib import Path

from hypsim.envs import results
from hypsim.simulator import TIMER_BLOCK, CocotbRun, coverage_dir

# ~2000 checked accesses/s on Icarus, ~4000 on Verilator (2-core machine): ~45 s for both
DEFAULT_ACCESSES = 50_000


def timer_run(sim: str, work_dir: Path, seed: str, accesses: int, cov: Path,
              extra: tuple[tuple[str, str], ...] = (), testcase: str | None = None) -> CocotbRun:
    """The timer block env on ``sim``; its result file is work_dir/timer_result.json."""
    return CocotbRun(sim, TIMER_BLOCK, "hypsim.envs.timer.cocotb_timer", work_dir, extra_env=(
        ("HYPSIM_TIMER_SEED", seed), ("HYPSIM_TIMER_ACCESSES", str(accesses)),
        ("HYPSIM_TIMER_RESULT", str(work_dir / "timer_result.json")),
        ("HYPSIM_TIMER_COVERAGE", str(cov)), ("HYPSIM_TIMER_SIM", sim)) + extra, testcase=testcase)


def test_timer_block_matches_model(sim: str, work_dir: Path) -> None:
    accesses = int(os.environ.get("HYPSIM_TIMER_ACCESSES", DEFAULT_ACCESSES))
    seed = os.environ.get("HYPSIM_TIMER_SEED", "1")
    req = timer_run(sim, work_dir, seed, accesses, coverage_dir() / f"timer-{sim}.xml")
    figures = results.run_block(req, work_dir / "timer_result.json", "timer", seed)
    print(f"timer block on {sim}: {results.figures_line(figures)}")
    assert figures["accesses"] >= accesses, (
        f"expected at least {accesses} checked accesses on {sim}, saw {figures['accesses']}")

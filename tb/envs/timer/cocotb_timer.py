"""cocotb test entry of the generic timer block environment (run by
tests/test_timer_block.py and tests/test_codecov.py).

The DUT is rtl/timer/arm_generic_timer.sv as toplevel; the env (env.py) drives
it through its BFM and checks every access and checkpoint against the model
(scoreboard.py). Tests: TimerRandomTest (the random stream, coverage, the
result file), TimerResetValuesTest and TimerEdgeTest (directed).

Environment: HYPSIM_TIMER_SEED, HYPSIM_TIMER_ACCESSES (random accesses),
HYPSIM_TIMER_RESULT (the result file, tb/envs/results.py),
HYPSIM_TIMER_SIM (the simulator's name in it), HYPSIM_TIMER_COVERAGE (XML coverage path).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pyuvm
from pyuvm import ConfigDB, uvm_test

from .. import results
from . import coverage
from .env import TimerEnv
from .sequences import TimerEdgeSeq, TimerRandomSeq, TimerResetValuesSeq, TimerSeq


class TimerTest(uvm_test):
    """Reset, one sequence, no mismatch allowed."""
    COVERAGE = False

    def build_phase(self) -> None:
        ConfigDB().set(None, "*", "COVERAGE", self.COVERAGE)
        self.env = TimerEnv("env", self)

    def sequence(self) -> TimerSeq:
        raise NotImplementedError

    async def run_phase(self) -> None:
        self.raise_objection()
        await self.env.bfm.reset()
        await self.body()
        sb = self.env.scoreboard
        assert not sb.mismatches, f"{len(sb.mismatches)} mismatches: {[str(m) for m in sb.mismatches[:5]]}"
        self.drop_objection()

    async def body(self) -> None:
        await self.sequence().start(self.env.agent.seqr)


@pyuvm.test()
class TimerRandomTest(TimerTest):
    """Random accesses from random PLs with random idle gaps, each checked."""
    COVERAGE = True

    async def body(self) -> None:
        seed = int(os.environ.get("HYPSIM_TIMER_SEED", "1"))
        target = int(os.environ.get("HYPSIM_TIMER_ACCESSES", "20000"))
        sb = self.env.scoreboard
        t0 = time.monotonic()
        await TimerRandomSeq("random", sb, seed, target).start(self.env.agent.seqr)
        wall = time.monotonic() - t0
        hit, total, missed = coverage.summary()
        figures = {"accesses": sb.accesses, "cycles": sb.cycle, "wall_s": round(wall, 2),
                   "coverage_bins_hit": hit, "coverage_bins": total, "coverage_missed": missed}
        if os.environ.get("HYPSIM_TIMER_COVERAGE"):
            coverage.export(Path(os.environ["HYPSIM_TIMER_COVERAGE"]))
        if os.environ.get("HYPSIM_TIMER_RESULT"):
            results.write(os.environ["HYPSIM_TIMER_RESULT"], block="timer",
                          sim=os.environ.get("HYPSIM_TIMER_SIM", "sim"), seed=seed, checks=sb.checks,
                          mismatches=sb.mismatches, **figures)


@pyuvm.test()
class TimerResetValuesTest(TimerTest):
    """Every register's reset value from Hyp mode; PL1/PL0 access after reset."""

    def sequence(self) -> TimerSeq:
        return TimerResetValuesSeq("reset_values", self.env.scoreboard)


@pyuvm.test()
class TimerEdgeTest(TimerTest):
    """Each timer's PPI rises exactly when its count reaches CVAL; IMASK, ENABLE
    and a stopped counter hold it off."""

    def sequence(self) -> TimerSeq:
        return TimerEdgeSeq("edges", self.env.scoreboard)

"""cocotb test module of the GIC block environment (run by tests/test_gic_block.py).

Environment variables: HYPSIM_GIC_SEED (random seed), HYPSIM_GIC_EVENTS (interrupt
events to check before stopping), HYPSIM_GIC_COVERAGE (XML path for coverage),
HYPSIM_GIC_RESULT (JSON path for the result file, tb/envs/results.py),
HYPSIM_GIC_SIM (the simulator's name in it), GIC_NCPU/GIC_NIRQ (must match
the harness parameters).
"""
from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import cocotb
import pyuvm
from pyuvm import ConfigDB, uvm_test

from hypsim.sequences.gic_base import GicSoftware
from hypsim.sequences.gic_config import GicInitSeq, GicRegisterSweepSeq
from hypsim.sequences.gic_handlers import GicCpuHandlerSeq
from hypsim.sequences.gic_hyp import GicHypervisorSeq
from hypsim.sequences.gic_stimulus import (GicDropWhileActiveSeq, GicPriorityInversionSeq,
                                           GicSgiSeq, GicStormSeq)

from .. import results
from . import coverage
from .bfm import GicBfm
from .env import GicEnv

REPO = Path(__file__).resolve().parents[3]


@pyuvm.test()
class GicRandomTest(uvm_test):
    """Configure, then run storms, SGIs, priority inversions, handlers, a KVM-like
    hypervisor and guests on every CPU until the event budget is checked."""

    def build_phase(self) -> None:
        self.bfm = GicBfm(cocotb.top)
        ConfigDB().set(None, "*", "BFM", self.bfm)
        self.ncpu = int(os.environ.get("GIC_NCPU", self.bfm.ncpu()))
        self.nirq = int(os.environ.get("GIC_NIRQ", self.bfm.nirq()))
        ConfigDB().set(None, "*", "NCPU", self.ncpu)
        ConfigDB().set(None, "*", "NIRQ", self.nirq)
        self.env = GicEnv("env", self)

    async def run_phase(self) -> None:
        self.raise_objection()
        dut = cocotb.top   # GicSoftware (tb/sequences/gic_base.py) waits on its clock and irq lines
        seed = int(os.environ.get("HYPSIM_GIC_SEED", "1"))
        target = int(os.environ.get("HYPSIM_GIC_EVENTS", "2000"))
        sw = GicSoftware(dut, self.ncpu, self.nirq, random.Random(seed))
        env, sb = self.env, self.env.scoreboard
        self.bfm.start_clock()
        await self.bfm.reset()
        t0 = time.monotonic()
        await GicRegisterSweepSeq("sweep", sw).start(env.bus.seqr)
        await GicInitSeq("init", sw).start(env.bus.seqr)
        runs = [cocotb.start_soon(GicStormSeq("storm", sw).start(env.lines.seqr)),
                cocotb.start_soon(GicSgiSeq("sgi", sw).start(env.bus.seqr)),
                cocotb.start_soon(GicPriorityInversionSeq("prio", sw).start(env.bus.seqr)),
                cocotb.start_soon(GicDropWhileActiveSeq("drop", sw, env.lines.seqr).start(env.bus.seqr))]
        for cpu in range(self.ncpu):
            runs.append(cocotb.start_soon(GicCpuHandlerSeq(f"cpu{cpu}", sw, cpu).start(env.bus.seqr)))
            runs.append(cocotb.start_soon(GicCpuHandlerSeq(f"guest{cpu}", sw, cpu, True).start(env.bus.seqr)))
            runs.append(cocotb.start_soon(GicHypervisorSeq(f"hyp{cpu}", sw, cpu).start(env.bus.seqr)))
        while sb.events < target and len(sb.mismatches) < 20:
            await self.bfm.wait_cycles(200)
        sw.stop = True
        self.logger.info("state when stopping:\n%s", sb.describe())
        for run in runs:
            await run
        wall = time.monotonic() - t0
        hit, total, missed = coverage.summary()
        cov_path = Path(os.environ.get("HYPSIM_GIC_COVERAGE", REPO / "build/coverage/gic.xml"))
        coverage.export(cov_path)
        figures = {"events": sb.events, "transactions": sb.transactions,
                   "reads_checked": sb.reads_checked, "line_changes": sb.line_changes,
                   "acks_phys": sb.acks["phys"], "acks_virt": sb.acks["virt"],
                   "pin_events": sb.pin_events, "sgis": sb.sgis, "wall_s": round(wall, 2),
                   "events_per_s": round(sb.events / wall, 1), "bins_hit": hit, "bins_total": total,
                   "missed": missed}
        self.logger.warning("GIC block: %s", json.dumps(figures))
        print(f"GIC coverage: {hit}/{total} bins hit" + "".join(f"\n  missed {m}" for m in missed))
        if "HYPSIM_GIC_RESULT" in os.environ:
            results.write(os.environ["HYPSIM_GIC_RESULT"], block="gic",
                          sim=os.environ.get("HYPSIM_GIC_SIM", "sim"), seed=seed,
                          checks=sb.transactions, mismatches=sb.mismatches, **figures)
        assert not sb.mismatches, f"{len(sb.mismatches)} mismatches; first: {sb.mismatches[0]}"
        self.drop_objection()

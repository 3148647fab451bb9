"""cocotb test entry of the MMU block environment (DUT mmu_tb_top; run by
tests/test_mmu_block.py and `make bench`).

Environment: HYPSIM_MMU_SEED, HYPSIM_MMU_TRANSLATIONS (random translations),
HYPSIM_MMU_SIM (the simulator's name, in the result and coverage file names),
HYPSIM_MMU_RESULT (the result file, tb/envs/results.py; default mmu_stats.json
in the run directory), HYPSIM_MMU_DEBUG (log the walks of the first mismatches).
"""
from __future__ import annotations

import os
import time

import pyuvm
from pyuvm import uvm_test

from hypsim.sequences.mmu_directed import MmuDirectedSeq
from hypsim.sequences.mmu_random import MmuRandomSeq
from hypsim.simulator import coverage_dir

from .. import results
from .env import MmuEnv


@pyuvm.test()
class MmuRandomTest(uvm_test):
    """Random tables and access streams (HYPSIM_MMU_TRANSLATIONS, HYPSIM_MMU_SEED),
    then the directed block-size stream (tb/sequences/mmu_directed.py), scored
    against tb/models/mmu_model.py."""

    def build_phase(self) -> None:
        self.env = MmuEnv("env", self)

    async def run_phase(self) -> None:
        self.raise_objection()
        await self.env.bfm.reset()
        sim = os.environ.get("HYPSIM_MMU_SIM", "sim")
        n = int(os.environ.get("HYPSIM_MMU_TRANSLATIONS", "2000"))
        seed = int(os.environ.get("HYPSIM_MMU_SEED", "1"))
        seq = MmuRandomSeq("random", seed=seed, translations=n)
        t0 = time.perf_counter()
        await seq.start(self.env.agent.seqr)
        # stage-1 1GB/2MB blocks through stage-2 1GB blocks, which seed 1 never makes
        await MmuDirectedSeq("directed").start(self.env.agent.seqr)
        wall = time.perf_counter() - t0
        sb = self.env.scoreboard
        drv = self.env.agent.driver
        out = coverage_dir()
        out.mkdir(parents=True, exist_ok=True)
        hit, total, missed = self.env.coverage.export(out / f"mmu-{sim}.xml")
        results.write(os.environ.get("HYPSIM_MMU_RESULT", "mmu_stats.json"), block="mmu", sim=sim, seed=seed,
                      checks=sb.checked, mismatches=sb.mismatches, count=sb.mismatch_count,
                      translations=sb.checked, stale_model_entries=sb.stale,
                      stale_messages=sb.stale_messages, walks=sb.walks, walk_reads=sb.reads,
                      faults=sb.faults, wall_s=round(wall, 2), sim_s=round(drv.sim_seconds, 2),
                      translations_per_s=round(sb.checked / wall, 1) if wall else 0,
                      walks_per_s=round(sb.walks / wall, 1) if wall else 0,
                      cycles=self.env.bfm.cycles(), coverage_bins_hit=hit, coverage_bins=total,
                      coverage_missed=missed)
        print(f"MMU {sim}: {sb.checked} translations, {sb.mismatch_count} mismatches, "
              f"{sb.walks} walks, {wall:.1f} s, coverage {hit}/{total} bins")
        if missed:
            print("MMU coverage missed: " + ", ".join(missed[:40]))
        self.drop_objection()

    def check_phase(self) -> None:
        sb = self.env.scoreboard
        assert sb.mismatch_count == 0, f"{sb.mismatch_count} mismatches: " + "\n".join(map(str, sb.mismatches[:5]))
        assert sb.stale == 0, f"{sb.stale} stale model TLB entries (missing TLBI in the stream)"

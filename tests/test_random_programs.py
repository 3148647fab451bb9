"""Seeded random A32 instruction streams (hypsim.sequences.random_a32) run in
lockstep against QEMU: every instruction's PC, R0-R15 and CPSR must match.
The streams include instructions that take exceptions (UDF, the unallocated
coprocessors, SVC, HVC): in Hyp mode to HVBAR+0x04/0x08, scored by the Hyp
scoreboard too; under --mmu guest in SVC mode to the PL1 vectors and HVBAR+0x14.

The regression runs SEEDS x BODY random instructions per simulator (20,000);
HYPSIM_RANDOM_SEEDS=N widens it. MMU_SEEDS more streams run with the MMU on,
in Hyp mode under the Hyp stage 1 and in SVC mode under stage 1 + stage 2
(nested walks): every fetch and data access is translated, the scratch buffer
through an alias (VA != PA), so a wrong PA or a lost access diverges.

The instruction mix of every stream that passed is recorded as a
cocotb-coverage database, build/coverage/random-a32[-<mmu>]-<sim>-s<seed>.xml
(hypsim.coverage.core: bins from the generator, not from the run).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hypsim.coverage.core import db_path, record_random_a32
from hypsim.run import EXIT_OK, RunOptions, run_elf
from hypsim.sequences.random_a32 import GenConfig, GenStats, build, generate

BODY = 2000
SEEDS = int(os.environ.get("HYPSIM_RANDOM_SEEDS", "10"))
_ONE_SEED = os.environ.get("HYPSIM_SEED", "")
SEED_LIST = [int(_ONE_SEED)] if _ONE_SEED else list(range(1, SEEDS + 1))
_MMU_SEED = os.environ.get("HYPSIM_MMU_STREAM_SEED", "")    # one seed instead of them (make regress)
MMU_SEEDS = [int(_MMU_SEED)] if _MMU_SEED else [101, 102, 103]
WAVES = os.environ.get("HYPSIM_WAVES", "0") == "1"


EXCEPTION_WEIGHT = 2.0     # ~1 instruction in 50 takes an exception (UDF, coprocessor 4-7, SVC, HVC)


def core_config(mmu: str = "off") -> GenConfig:
    """The generator's default mix (what the core implements), plus
    the instructions that take exceptions: in Hyp mode (mmu off/hyp) to the Hyp
    vectors, in SVC mode (mmu guest) to the PL1 vectors and, for HVC, to Hyp."""
    cfg = GenConfig(mmu=mmu)
    cfg.weights["exception"] = EXCEPTION_WEIGHT
    return cfg


def _run_stream(seed: int, mmu: str, sim: str, work_dir: Path, max_cycles: int) -> None:
    """Generate, build and run one stream in lockstep with QEMU; it must exit 0."""
    cfg, stats = core_config(mmu), GenStats()
    elf = build(generate(seed, BODY, cfg, stats), work_dir / "prog")
    res = run_elf(elf, RunOptions(sim=sim, compare_qemu=True, work_dir=work_dir / "run",
                                  max_cycles=max_cycles, waves=WAVES))
    mmu_arg = f" --mmu {mmu}" if mmu != "off" else ""
    assert res.exit_code == EXIT_OK, (
        f"seed {seed} (MMU {mmu}) on {sim} (regenerate: python -m hypsim.sequences.random_a32 "
        f"--seed {seed} --count {BODY} --weight parallel=0 --weight exception={EXCEPTION_WEIGHT:g}{mmu_arg} "
        f"-o prog.S):\n{res.message}")
    # every exception the stream took in Hyp mode was scored against the HSR model
    assert res.hyp is not None and res.hyp.ok and (mmu == "guest" or res.hyp.hyp_mode > 0), (
        f"seed {seed} (MMU {mmu}) on {sim}: {res.hyp.summary() if res.hyp else 'no score'}")
    record_random_a32(stats, cfg, db_path("random-a32", sim, seed, test="" if mmu == "off" else mmu))


@pytest.mark.parametrize("seed", SEED_LIST)
def test_random_stream_matches_qemu(seed: int, sim: str, work_dir: Path) -> None:
    _run_stream(seed, "off", sim, work_dir, max_cycles=200_000)


@pytest.mark.parametrize("mmu", ["hyp", "guest"])
@pytest.mark.parametrize("seed", MMU_SEEDS)
def test_random_stream_with_mmu_matches_qemu(seed: int, mmu: str, sim: str, work_dir: Path) -> None:
    _run_stream(seed, mmu, sim, work_dir, max_cycles=400_000)

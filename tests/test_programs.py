"""Every firmware program runs on the RTL SoC, matches QEMU instruction by
instruction (PC, R0-R15, CPSR) and prints the same UART transcript.
The MMU programs' aborts (regime, fault type and level, access) are recorded
as build/coverage/mmu-programs-<dir>-<program>-<sim>.xml (hypsim.coverage.core)."""
from __future__ import annotations

import os
from pathlib import Path

from hypsim.coverage.core import is_mmu_program, record_mmu_program
from hypsim.run import EXIT_OK, RunOptions, run_elf


def test_program_matches_qemu(firmware_elf: Path, sim: str, work_dir: Path) -> None:
    res = run_elf(firmware_elf, RunOptions(sim=sim, compare_qemu=True, work_dir=work_dir,
                                          max_cycles=2_000_000,
                                          waves=os.environ.get("HYPSIM_WAVES", "0") == "1"))
    assert res.exit_code == EXIT_OK, (
        f"{firmware_elf.name} on {sim}: expected exit 0, got {res.exit_code}\n{res.message}\n"
        f"console: {res.console!r}")
    assert res.compare is not None and res.compare.compared == res.outcome.retired
    if is_mmu_program(firmware_elf):
        db = record_mmu_program(res.outcome.trace, sim, f"{firmware_elf.parent.name}-{firmware_elf.stem}")
        print(f"{firmware_elf.name} on {sim}: MMU coverage {db.summary()}")

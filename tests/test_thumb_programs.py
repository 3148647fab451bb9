"""The Thumb C builds (firmware/build/c-thumb, `make -C firmware list-thumb`: every
c/*.c at -O0/-O2 with -mthumb) run on the RTL SoC in lockstep with QEMU (PC, R0-R15,
CPSR with T and ITSTATE) and print QEMU's transcript (issue 13 step 2).

Verilator runs every build; in `make test` Icarus runs two short ones (a TBB switch
and an IT-heavy -O2 build), the rest under `make sim` (icarus_in_make_sim). The builds that take exceptions and Hyp
traps from Thumb code (gic, hyptrap, stage2_mmio, timer: HSR.IL of 16-bit traps,
SPSR.IT, T32 data-abort syndromes) are scored by the Hyp scoreboard with the T32
trap classes (run_elf fails on a mismatch); the test also requires that they
really took one from Thumb state."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim.models.arm_state import Mode, spsr_index
from hypsim.run import EXIT_OK, RunOptions, run_elf
from hypsim.trace import ExceptionTxn, RetireTxn, read_trace

REPO = Path(__file__).resolve().parents[1]

#: the programs that take an exception or a Hyp trap from Thumb code
EXCEPTIONS_FROM_THUMB = {"gic", "hyptrap", "stage2_mmio", "timer"}
SPSR_INDICES = {spsr_index(m) for m in Mode if spsr_index(m) is not None}
#: the Icarus subset (short runs: ~3k instructions each)
ICARUS_BUILDS = {"switch-O2", "arith-O2"}


def _thumb_elfs() -> list[Path]:
    if shutil.which("arm-none-eabi-gcc") is None:
        return []
    subprocess.run(["make", "-s", "-C", str(REPO / "firmware"), "thumb"], check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["make", "-s", "-C", str(REPO / "firmware"), "list-thumb"], check=True,
                         capture_output=True, text=True).stdout
    return [Path(line) for line in out.split()]


def _cases() -> list:
    cases = []
    for elf in _thumb_elfs():
        for sim in os.environ.get("HYPSIM_SIMS", "icarus,verilator").split(","):
            long_run = sim == "icarus" and elf.stem not in ICARUS_BUILDS
            cases.append(pytest.param(elf, sim, id=f"{elf.stem}-{sim}",
                                      marks=[pytest.mark.icarus_in_make_sim] if long_run else []))
    return cases


@pytest.mark.parametrize(("elf", "rtl_sim"), _cases())
def test_thumb_program_matches_qemu(elf: Path, rtl_sim: str, work_dir: Path) -> None:
    res = run_elf(elf, RunOptions(sim=rtl_sim, compare_qemu=True, work_dir=work_dir, max_cycles=2_000_000))
    assert res.exit_code == EXIT_OK, (
        f"{elf.name} on {rtl_sim}: expected exit 0, got {res.exit_code}\n{res.message}\n"
        f"console: {res.console!r}")
    assert res.compare is not None and res.compare.compared == res.outcome.retired
    # the run really executed Thumb code (T set on retirement)
    trace = list(read_trace(res.outcome.trace))
    thumb = sum(1 for t in trace if isinstance(t, RetireTxn) and t.cpsr & 0x20)
    assert thumb > 0, f"{elf.name}: no instruction retired in Thumb state"
    if elf.stem.rsplit("-", 1)[0] in EXCEPTIONS_FROM_THUMB:
        # an exception entry whose saved SPSR has T set: taken from Thumb code (the
        # tracer lists the entry's writes with the exception or the same-cycle retirement)
        entries = {t.cycle for t in trace if isinstance(t, ExceptionTxn)}
        from_thumb = [t for t in trace if isinstance(t, (RetireTxn, ExceptionTxn)) and t.cycle in entries
                      and any(idx in SPSR_INDICES and val & 0x20 for idx, val in t.writes)]
        assert from_thumb, f"{elf.name}: no exception taken from Thumb state"
        assert res.hyp is not None and res.hyp.ok and res.hyp.checked + res.hyp.stage2_aborts > 0, \
            f"{elf.name}: Hyp scoreboard: {res.hyp.summary() if res.hyp else 'not run'}"


def test_thumb_entry_point_starts_in_thumb_state(sim: str, work_dir: Path) -> None:
    """An ELF entered at Thumb code (e_entry bit 0 set, `.thumb_func _start`): the core leaves
    reset in Thumb state at the even address, as QEMU does, and runs in lockstep with it."""
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc missing (make setup)")
    elf = work_dir / "t32_entry.elf"
    subprocess.run(["arm-none-eabi-gcc", "-march=armv7ve", "-mthumb", "-nostdlib", "-nostartfiles",
                    "-Wl,-Ttext=0x40000000", str(REPO / "tests" / "data" / "t32_entry.S"), "-o", str(elf)],
                   check=True)
    res = run_elf(elf, RunOptions(sim=sim, compare_qemu=True, work_dir=work_dir / "run"))
    assert res.exit_code == EXIT_OK, f"on {sim}: expected exit 0, got {res.exit_code}\n{res.message}"
    assert res.console == b"thumb entry ok\n", f"on {sim}: console {res.console!r}"
    first = next(t for t in read_trace(res.outcome.trace) if isinstance(t, RetireTxn))
    assert first.pc == 0x4000_0000 and first.cpsr & (1 << 5), (
        f"on {sim}: first retirement pc {first.pc:#x} cpsr {first.cpsr:#x}: expected 0x40000000 in Thumb state")

"""Two-core programs (firmware/smp/, issue 14) on the two-core SoC (`hypsim run --smp 2`):
each must print what it prints on QEMU `-M virt,virtualization=on -cpu cortex-a15 -smp 2`
and exit as it does there (the console and exit status; no lockstep across cores:
per-core retire streams cannot be aligned with QEMU's interleaving). Verilator runs all
four; Icarus the shortest (sysoff) in `make test`, boot in `make sim`. A SoC whose global
exclusive monitor never fails a STREX ($HYPSIM_SMP_FAULT=monitor) loses increments of
the LDREX/STREX counter, and the run says so. A core 1 looping on exceptions stops the
run through its own exception-loop detector (RTL only: badentry.c).
stress.c is the random two-core stress (counters on shared and own granules, SGI
ping-pong, TLBIMVAIS while the other core translates) against QEMU -smp 2; a SoC without
the TLB maintenance broadcast ($HYPSIM_SMP_FAULT=tlbi) leaves core 1 reading the old
page through its stale TLB entry, and the run says so. suspend.c: CPU_SUSPEND waits
until an interrupt is pending, as on QEMU (core 0 on its timer, core 1 on an SGI).
smc1.c runs on the one-core SoC (no --smp): PSCI over SMC as QEMU -smp 1 answers it (every
SMC from Hyp or PL1 without HCR.TSC a PSCI call, whatever r0), in lockstep with QEMU
instruction by instruction up to the SYSTEM_OFF SMC, on both simulators."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim import simulator
from hypsim.elf_image import load_elf
from hypsim.errors import HypsimError
from hypsim.run import EXIT_EXC_LOOP, EXIT_OK, RunOptions, run_elf
from hypsim.trace import RetireTxn, read_trace

REPO = Path(__file__).resolve().parent.parent
SMP_MAX_CYCLES = 4_000_000

pytestmark = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="no ARM cross toolchain")


def _elf(name: str) -> Path:
    subprocess.run(["make", "-s", "-C", str(REPO / "firmware"), "smp"], check=True, stdout=subprocess.DEVNULL)
    return REPO / "firmware" / "build" / "smp" / f"{name}.elf"


def _run(name: str, sim: str, work: Path, compare: bool = True):
    return run_elf(_elf(name), RunOptions(sim=sim, compare_qemu=compare, work_dir=work, smp=2,
                                          max_cycles=SMP_MAX_CYCLES))


@pytest.mark.parametrize("name", ["boot", "spinlock", "sgi", "sysoff", "stress", "suspend"])
def test_smp_program_verilator(name: str, work_dir: Path) -> None:
    res = _run(name, "verilator", work_dir)
    assert res.exit_code == EXIT_OK, f"{name}: exit {res.exit_code}\n{res.message}\nconsole: {res.console!r}"
    assert any(n.startswith("compare-qemu: console and exit status match QEMU -smp 2") for n in res.notes), res.notes
    # one retire trace per core; core 1 ran (after CPU_ON) and its first write is r0 := context_id
    core1 = simulator.core_trace_path(res.outcome.trace, 1)
    txns = list(read_trace(core1))
    retired = [t for t in txns if isinstance(t, RetireTxn)]
    assert retired, f"{name}: core 1 retired nothing"
    entry = load_elf(_elf(name), 0x4000_0000, 16 << 20).symbols["smp_secondary_entry"]
    assert retired[0].pc == entry, f"{name}: core 1 started at {retired[0].pc:#x}, not CPU_ON's {entry:#x}"
    assert retired[0].writes and retired[0].writes[0][0] == 0, f"{name}: core 1's r0 := context_id missing"


@pytest.mark.parametrize("name", ["sysoff", pytest.param("boot", marks=pytest.mark.icarus_in_make_sim),
                                  pytest.param("stress", marks=pytest.mark.icarus_in_make_sim)])
def test_smp_program_icarus(name: str, work_dir: Path) -> None:
    res = _run(name, "icarus", work_dir)
    assert res.exit_code == EXIT_OK, f"{name}: exit {res.exit_code}\n{res.message}\nconsole: {res.console!r}"


def test_broken_global_monitor_is_caught(work_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the local monitors: both cores' STREX succeed after both LDREX, increments are lost."""
    monkeypatch.setenv("HYPSIM_SMP_FAULT", "monitor")
    res = _run("spinlock", "verilator", work_dir)
    assert res.exit_code != EXIT_OK, f"a broken global monitor went unnoticed: {res.console!r}"
    assert b"FAIL spinlock" in res.console and b"atomic counter 2000 " not in res.console, res.console
    assert "transcript differs from QEMU -smp 2" in res.message, res.message


def test_stress_without_tlbi_broadcast_is_caught(work_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TLBIMVAIS acts on core 0's TLB only: core 1 keeps translating the VA to the old page."""
    monkeypatch.setenv("HYPSIM_SMP_FAULT", "tlbi")
    res = _run("stress", "verilator", work_dir)
    assert res.exit_code != EXIT_OK, f"a missing TLBI broadcast went unnoticed: {res.console!r}"
    assert b"FAIL stress" in res.console and b"core 1 stale 0," not in res.console, res.console
    # the first stale read names the old page's tag where the new one was expected
    assert re.search(rb"stale: round \d+ core 1 read 0x7a6\w+ through VA 0x8000\w+ after TLBI\w+IS, expected 0x7a6",
                     res.console), res.console
    assert "transcript differs from QEMU -smp 2" in res.message, res.message


def test_smp_fault_knob_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HYPSIM_SMP_FAULT", "tlb")
    with pytest.raises(HypsimError, match="'monitor' or 'tlbi'"):
        simulator.soc_design(2)


def test_core1_exception_loop_stops_the_run(work_dir: Path) -> None:
    """Core 1 started where nothing answers loops on prefetch aborts: its own detector stops it."""
    res = _run("badentry", "verilator", work_dir, compare=False)
    assert res.exit_code == EXIT_EXC_LOOP, f"exit {res.exit_code}\n{res.message}"
    assert res.outcome.exc_loop is not None
    assert res.outcome.exc_loop["first"]["pc"] == 0x0A00_0000, res.outcome.exc_loop
    assert res.outcome.cycles < 100_000, res.outcome.cycles


def test_smp_option_checked(work_dir: Path) -> None:
    with pytest.raises(HypsimError, match="1 to 8 cores"):
        run_elf(_elf("boot"), RunOptions(smp=9, work_dir=work_dir))


# --- one core: PSCI over SMC as QEMU -smp 1 (firmware/smp/smc1.c) -------------------------------
def _run_smc1(sim: str, work: Path):
    return run_elf(_elf("smc1"), RunOptions(sim=sim, compare_qemu=True, work_dir=work, smp=1,
                                            max_cycles=SMP_MAX_CYCLES))


def _check_smc1(res) -> None:
    """In lockstep with QEMU -smp 1 up to and including the SYSTEM_OFF SMC (its last record),
    then the console and exit status; the HSR model's PSCI calls retired without exception."""
    assert res.exit_code == EXIT_OK, f"smc1: exit {res.exit_code}\n{res.message}\nconsole: {res.console!r}"
    assert res.compare is not None and res.compare.ok and res.compare.compared > 20_000, res.notes
    assert any(n.startswith("compare-qemu:") and "instructions match QEMU" in n for n in res.notes), res.notes
    # the calls of hyp_main (Hyp) and main (SVC), each answered, none UNDEFINED: every SMC of the
    # program but the User-mode one, the HCR.TSC one and the condition-failed one
    assert res.hyp is not None and res.hyp.ok and res.hyp.psci_calls >= 2 * 20 + 2, res.hyp.summary()
    assert b"system_off\n" in res.console and b"not reached" not in res.console, res.console


def test_smc1_psci_in_lockstep_with_qemu_verilator(work_dir: Path) -> None:
    _check_smc1(_run_smc1("verilator", work_dir))


def test_smc1_psci_in_lockstep_with_qemu_icarus(work_dir: Path) -> None:
    """~100 k cycles, ~1 min on Icarus."""
    _check_smc1(_run_smc1("icarus", work_dir))

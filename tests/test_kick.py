"""The IRQ scoreboard's kick liveness rule (tb/irq_scoreboard.py KICK_LIMIT): an interrupt made
owed to a vCPU in its guest on another physical core must make that core exit.

* the rule alone on the scorer's state (two cores, vCPU 1 in its guest on core 1, vCPU 0's
  GICD_SGIR emulated on core 0): an exit in time is measured, a late exit or none at all
  (the end of a hung trace) is named; one core: nothing to kick;
* the smp guest with the good hypervisor on two cores (Verilator): SGI 5 reaches CPU 1
  in its guest on the other core, the kick is measured, well inside KICK_LIMIT;
* a hypervisor built with FAULT(NO_KICK) (firmware/host/main.c kvm_vcpu_kick sends no
  physical SGI): CPU 1 spins in its guest for ever, the run stops at max_cycles and the
  IRQ scoreboard names the missing kick.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hypsim.irq_scoreboard import KICK_LIMIT, _Scorer
from hypsim.models.gic_regs import Gicd
from hypsim.run import EXIT_DIVERGED
from hypsim.run_guest import GuestOptions, run_guest
from hypsim.trace import ExceptionTxn, ExcType
from test_hypervisor import _make

REPO = Path(__file__).resolve().parent.parent
SMP = REPO / "firmware/build/guests/smp.bin"
VCPUS = CORES = 2
SGI5_AT = 4_770_000                # CPU 0's GICD_SGIR of SGI 5 in a good two-core run (4 769 662 measured)
NO_KICK_MAX_CYCLES = SGI5_AT + 300_000


# ---- the rule on the scorer's state ----------------------------------------------------------

def _two_cores(ncores: int = 2) -> tuple[_Scorer, object]:
    """vCPU 1 of VMID 1 in its guest on the last core; vCPU 0's SGIR (SGI 5 to vCPU 1) emulated
    on core 0 at cycle 1000."""
    sc = _Scorer(None, VCPUS, ncores)
    vm = sc._vm_for(1)
    vm.model.dist_write(0, Gicd.CTLR, 1)
    tgt = sc.cores[-1]
    if ncores > 1:
        tgt.in_guest, tgt.cur, tgt.vcpu = True, vm, 1
    sc.c = sc.cores[0]
    sc.c.vcpu, sc.c.cur = 0, vm
    sc._dist_store(vm, {"cycle": 1000, "pc": 0x4001_0100, "data": (2 << 16) | 5, "size": 4,
                        "hpfar": (0x0800_0000 >> 12) << 4, "hdfar": Gicd.SGIR})
    return sc, tgt


def _exit_on(sc: _Scorer, core: int, cycle: int) -> None:
    sc.c = sc.cores[core]
    sc.exit(ExceptionTxn(cycle, ExcType.IRQ, 0x4001_0200, 0x18, 0x1A, ()))


def test_kick_in_time_is_measured() -> None:
    sc, _ = _two_cores()
    _exit_on(sc, 1, 1000 + 2_900)
    sc._kick_end()
    assert sc.score.ok, sc.score.mismatches
    assert sc.score.kick_latencies == [2_900]


def test_late_exit_is_a_missing_kick() -> None:
    sc, _ = _two_cores()
    _exit_on(sc, 1, 1000 + KICK_LIMIT + 1)
    assert sc.score.mismatch_count == 1
    msg = sc.score.mismatches[0]
    assert msg.startswith("core 1: VM #0 (VMID 1) vCPU 1 was owed interrupt 5 from cycle 1000 "
                          "(GICD_SGIR by vCPU 0 on core 0)"), msg
    assert f"for {KICK_LIMIT + 1} cycles before its exit" in msg and "(no kick?)" in msg, msg


def test_no_exit_to_the_end_of_the_trace_is_a_missing_kick() -> None:
    sc, tgt = _two_cores()
    tgt.last_cycle = 1000 + KICK_LIMIT + 5
    sc._kick_end()
    assert sc.score.mismatch_count == 1
    msg = sc.score.mismatches[0]
    assert "core 1: VM #0 (VMID 1) vCPU 1 was owed interrupt 5" in msg, msg
    assert f"stayed in its guest for {KICK_LIMIT + 5} cycles without an exit" in msg, msg
    assert "the other core was never made to exit (no kick?)" in msg, msg


def test_end_of_trace_within_the_limit_is_no_verdict() -> None:
    sc, tgt = _two_cores()
    tgt.last_cycle = 1000 + KICK_LIMIT
    sc._kick_end()
    assert sc.score.ok and sc.score.kick_latencies == []


def test_one_core_has_nothing_to_kick() -> None:
    sc, _ = _two_cores(ncores=1)
    _exit_on(sc, 0, 1000 + 10 * KICK_LIMIT)
    sc._kick_end()
    assert sc.score.ok and sc.score.kick_latencies == [] and not sc.kicks


# ---- on the RTL ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built() -> Path:
    _make("hypervisor", "guests")
    return SMP


@pytest.mark.make_sim_only     # 5.1 M cycles on two cores: ~2.5 min of Verilator
def test_irq_scoreboard_names_a_missing_kick(built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "build"
    _make("hypervisor", f"B={bad}", "HYP_FAULT=NO_KICK")
    res = run_guest(built, GuestOptions(sim="verilator", vcpus=VCPUS, smp=CORES, max_cycles=NO_KICK_MAX_CYCLES,
                                        hypervisor=bad / "hypervisor.elf", work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_DIVERGED, f"exit {res.exit_code}: {res.message}"
    assert "IRQ scoreboard" in res.message, res.message
    for w in ("core 1: VM 0 (VMID 1) vCPU 1 was owed interrupt 5", "GICD_SGIR by vCPU 0 on core 0",
              "without an exit", "(no kick?)"):
        assert w in res.message, f"{w!r} not in:\n{res.message}"

"""Unit tests of the Python side that needs no simulator: banked-register
mapping (ARM ARM B1.3.2), trace replay, the lockstep comparator and the
semihosting model (QEMU 7.2 semantics)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hypsim.compare import compare_steps
from hypsim.models import semihosting
from hypsim.models.arm_state import ArchState, Mode, phys_index, spsr_index
from hypsim.qemu import CpuState
from hypsim.trace import ExceptionTxn, RetireTxn, read_trace, replay


def test_banking_b1_3_2_fiq_banks_r8_to_r14() -> None:
    assert [phys_index(Mode.FIQ, r) for r in range(8, 15)] == list(range(15, 22))
    assert [phys_index(Mode.USR, r) for r in range(8, 15)] == list(range(8, 15))


def test_banking_b1_3_2_hyp_banks_sp_only() -> None:
    assert phys_index(Mode.HYP, 13) == 30
    assert phys_index(Mode.HYP, 14) == phys_index(Mode.USR, 14)


def test_system_mode_shares_user_registers_and_has_no_spsr() -> None:
    assert all(phys_index(Mode.SYS, r) == phys_index(Mode.USR, r) for r in range(15))
    assert spsr_index(Mode.SYS) is None and spsr_index(Mode.USR) is None
    assert len({spsr_index(m) for m in (Mode.FIQ, Mode.IRQ, Mode.SVC, Mode.ABT, Mode.UND, Mode.HYP)}) == 6


def test_trace_parser_reads_every_record(tmp_path: Path) -> None:
    t = tmp_path / "trace.txt"
    t.write_text("W 00 00000005\nR 2 40000000 e3a00005 400001da 1\n"
                 "W 1d 40000008\nW 24 600001d3\nX 9 1 40000008 00000004 600001db 00000000\n")
    txns = list(read_trace(t))
    assert isinstance(txns[0], RetireTxn) and txns[0].writes == ((0, 5),)
    assert isinstance(txns[1], ExceptionTxn) and txns[1].name == "undefined"


def _retire(pc: int, writes: tuple[tuple[int, int], ...], cpsr: int = 0x400001DA) -> RetireTxn:
    return RetireTxn(0, pc, 0xE1A00000, cpsr, True, writes, ())


def test_replay_gives_state_before_each_instruction() -> None:
    steps = list(replay(iter([_retire(0x100, ((0, 7),)), _retire(0x104, ((1, 9),))])))
    assert steps[0].regs[0] == 0 and steps[1].regs[0] == 7 and steps[1].regs[1] == 0
    assert steps[1].regs[15] == 0x104


def test_replay_applies_exception_entries_between_instructions() -> None:
    exc = ExceptionTxn(5, 5, 0x108, 0x18, 0x600001D2, ((23, 0x108), (33, 0x600001D3)))
    final = ArchState()
    steps = list(replay(iter([_retire(0x100, ()), exc, _retire(0x18, ())]), final))
    assert steps[1].cpsr == 0x600001D2 and steps[1].regs[14] == 0x108   # LR_irq visible in IRQ mode
    assert final.pc == 0x18


def _q(pc: int, r0: int = 0, cpsr: int = 0x400001DA) -> CpuState:
    return CpuState(pc, (r0,) + (0,) * 14 + (pc,), cpsr)


def test_comparator_accepts_identical_streams() -> None:
    steps = replay(iter([_retire(0x100, ((0, 7),)), _retire(0x104, ())]))
    res = compare_steps(steps, [_q(0x100), _q(0x104, r0=7)])
    assert res.ok and res.compared == 2


def test_comparator_reports_first_register_difference() -> None:
    steps = replay(iter([_retire(0x100, ((0, 7),)), _retire(0x104, ())]))
    res = compare_steps(steps, [_q(0x100), _q(0x104, r0=8)])
    assert not res.ok and res.divergence is not None
    assert res.divergence.index == 1 and res.divergence.what == "R0"
    assert "0x00000007 0x00000008  <--" in res.divergence.report()


def test_comparator_reports_missing_instructions() -> None:
    res = compare_steps(replay(iter([_retire(0x100, ())])), [_q(0x100), _q(0x104)])
    assert not res.ok and res.divergence is not None and res.divergence.what == "length"


def test_semihosting_write0_reads_until_nul_and_corrupts_r0() -> None:
    mem = {0x1000 + i: b for i, b in enumerate(b"hi!\0")}
    res = semihosting.serve(semihosting.SYS_WRITE0, 0x1000, lambda a: mem[a])
    assert res.output == b"hi!" and res.r0 == 0xDEADBEEF and res.exit_status is None


def test_semihosting_exit_status_follows_reason() -> None:
    ok = semihosting.serve(semihosting.SYS_EXIT, semihosting.ADP_STOPPED_APPLICATION_EXIT, lambda a: 0)
    bad = semihosting.serve(semihosting.SYS_EXIT, semihosting.ADP_STOPPED_RUNTIME_ERROR_UNKNOWN, lambda a: 0)
    assert ok.exit_status == 0 and bad.exit_status == 1


def test_semihosting_unknown_operation_is_a_clear_error() -> None:
    with pytest.raises(semihosting.SemihostingError, match="0x1 is not supported"):
        semihosting.serve(0x01, 0, lambda a: 0)

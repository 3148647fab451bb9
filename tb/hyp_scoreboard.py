"""Hyp-trap scoreboard: every exception the RTL takes to Hyp mode, and every
trappable instruction it does not trap, scored against tb/models/hsr.py.

It reads the retire trace after the run (the monitor side of the retire and
exception ports), rebuilds the architectural state (hypsim.trace.walk),
follows the program's own writes of the trap controls (HCR, HSTR, HCPTR,
HVBAR, CPACR, CNTHCTL, CNTKCTL), and for each instruction retired outside Hyp
mode asks the model whether it traps. A predicted trap must be the very next
event: an exception to Hyp (type 7) whose HSR, ELR_hyp, SPSR_hyp (the CPSR
the instruction ran with), vector and mode are what the model says; an
instruction the model does not trap must not be followed by one. The one
other way into Hyp mode from below is a stage-2 abort (HSR EC 0x20/0x24, from
the MMU): it must go to the trap vector in Hyp mode with SPSR_hyp the CPSR the
instruction ran with, and for a data abort ELR_hyp = the faulting instruction
and the syndrome bits the instruction decides (IL, ISV, SAS, SSE, SRT, WnR:
tb/models/mmu_faults.data_abort_instr_syndrome); the fault status bits are the
MMU's, scored by the MMU block env and by the programs that read them back
under QEMU.

Coverage bins: (EC, trap control, source mode, condition passed), plus the
trappable instructions that ran untrapped.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .models.arm_state import CPSR_MODE_MASK, ArchState, Mode, spsr_index
from .models.hsr import (EC, HCR, TrapControls, cp15_trap, decode, decode_coproc, is_hvc, is_smc,
                         is_vfp, is_wfe, is_wfx, trap_class)
from .models.mmu_faults import HSR_IL, ISS_ISV, ISS_S1PTW, ISS_WNR, data_abort_instr_syndrome
from .trace import ContextTxn, ExceptionTxn, RetireTxn, read_trace, walk

# The trap controls the scoreboard follows, with their reset values
CONTROLS_AT_RESET = {"HCR": 0, "HSTR": 0, "HCPTR": 0, "HVBAR": 0, "CPACR": 0,
                     "CNTHCTL": TrapControls().cnthctl, "CNTKCTL": 0}
EXC_TYPE_HYP = 7          # exc_type_o of a trap or HVC (rtl/core/arm_core.sv)
HYP_TRAP_OFFSET = 0x14    # Hyp vector table entry for traps from PL1/PL0 (B1.8.1)
STAGE2_ABORTS = (EC.IABT_LOWER, EC.DABT_LOWER)
SPSR_HYP = spsr_index(Mode.HYP)
INSTR_SYNDROME_MASK = HSR_IL | ISS_ISV | (3 << 22) | (1 << 21) | (0xF << 16) | ISS_WNR   # IL ISV SAS SSE SRT WnR
MAX_REPORTED = 10


@dataclass
class HypScore:
    checked: int = 0                        # predicted traps seen with the right syndrome
    stage2_aborts: int = 0                  # stage-2 aborts taken to the Hyp trap vector
    untrapped: int = 0                      # trappable instructions correctly not trapped
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)   # the first MAX_REPORTED
    bins: Counter[tuple[str, str, str, bool]] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0

    def summary(self) -> str:
        return (f"hyp scoreboard: {self.checked} traps to Hyp and {self.untrapped} untrapped "
                f"trappable instructions checked against the HSR model, {self.stage2_aborts} stage-2 "
                f"aborts, {self.mismatch_count} mismatches")


def _control_register_write(instr: int) -> str | None:
    """Name of the trap control an MCR writes (a key of CONTROLS_AT_RESET), or None."""
    acc = decode_coproc(instr)
    if acc is None or acc.coproc != 15 or acc.read or acc.is64:
        return None
    return {(4, 1, 1, 0): "HCR", (4, 1, 1, 3): "HSTR", (4, 1, 1, 2): "HCPTR", (4, 12, 0, 0): "HVBAR",
            (0, 1, 0, 2): "CPACR", (4, 14, 1, 0): "CNTHCTL",
            (0, 14, 1, 0): "CNTKCTL"}.get((acc.opc1, acc.crn, acc.crm, acc.opc2))


def _control_name(instr: int, controls: TrapControls) -> str:
    if is_hvc(instr):
        return "HVC"
    if is_smc(instr):
        return HCR.TSC.name
    if is_wfx(instr):
        return (HCR.TWE if is_wfe(instr) else HCR.TWI).name
    if is_vfp(instr):
        return "HCPTR.TCP10" if controls.hcptr else HCR.TID0.name if (instr >> 16) & 0xF == 0 else HCR.TID3.name
    acc = decode_coproc(instr)
    if acc is None:
        return "?"
    if (acc.crm if acc.is64 else acc.crn) == 14:
        return "CNTHCTL"
    return cp15_trap(acc, controls) or "?"


def _mode_name(mode: int) -> str:
    try:
        return Mode(mode).name
    except ValueError:
        return f"{mode:#x}"


def _trappable(instr: int) -> bool:
    acc = decode_coproc(instr)
    return (is_smc(instr) or is_wfx(instr) or is_vfp(instr)
            or (acc is not None and acc.coproc == 15 and acc.opc1 != 4))


def score_trace(trace: Path, qemu_compat: bool = False) -> HypScore:
    """Score one trace; ``qemu_compat`` as the core ran (see TrapControls.qemu_compat)."""
    score = HypScore()
    ctl = dict(CONTROLS_AT_RESET)
    last_mode = Mode.HYP      # mode in which the last retired instruction executed
    pending: tuple[RetireTxn, int, int] | None = None   # (txn, predicted HSR, CPSR before) awaiting its exception
    last: tuple[RetireTxn, int] | None = None  # the last retired instruction and the CPSR it ran with

    def fail(msg: str) -> None:
        score.mismatch_count += 1
        if len(score.mismatches) < MAX_REPORTED:
            score.mismatches.append(msg)

    for t, before in walk(read_trace(trace), ArchState()):
        if isinstance(t, ContextTxn):
            continue          # a snapshot: no instruction, no exception
        if isinstance(t, ExceptionTxn):
            if pending is not None:
                txn, hsr, cpsr_before = pending
                pending = None
                expect_ret = txn.pc + 4 if decode(hsr).ec == EC.HVC else txn.pc
                spsr = _spsr_hyp_written(txn, t)
                got = (t.kind, t.hsr, t.ret, spsr, t.vector, t.cpsr & CPSR_MODE_MASK)
                want = (EXC_TYPE_HYP, hsr, expect_ret, cpsr_before, ctl["HVBAR"] + HYP_TRAP_OFFSET, Mode.HYP)
                if got != want:
                    fail(f"cycle {t.cycle} pc {txn.pc:#010x} instr {txn.instr:#010x}: expected trap "
                         f"(type, HSR, ELR_hyp, SPSR_hyp, vector, mode) = {_fmt(want)}, seen {_fmt(got)}")
                else:
                    score.checked += 1
            elif t.kind == EXC_TYPE_HYP and last_mode != Mode.HYP and decode(t.hsr).ec in STAGE2_ABORTS:
                # a data abort retires its instruction: ELR_hyp is that PC and SPSR_hyp
                # the CPSR it ran with; a prefetch abort follows the last instruction
                # (the fetch address is not in the trace)
                txn, cpsr_ran = last if last is not None else (None, -1)
                spsr = _spsr_hyp_written(txn, t)
                got_entry = (t.vector, t.cpsr & CPSR_MODE_MASK, spsr)
                want_entry = (ctl["HVBAR"] + HYP_TRAP_OFFSET, Mode.HYP,
                              cpsr_ran if decode(t.hsr).ec == EC.DABT_LOWER else (txn.cpsr if txn else -1))
                if decode(t.hsr).ec == EC.DABT_LOWER:
                    # the instruction's part of the syndrome (IL, ISV, SAS, SSE, SRT, WnR)
                    il, iss = data_abort_instr_syndrome(txn.instr if txn else 0, bool(t.hsr & ISS_S1PTW))
                    got_entry += (t.ret, t.hsr & INSTR_SYNDROME_MASK)
                    want_entry += (txn.pc if txn else -1, il | iss)
                if got_entry != want_entry:
                    fail(f"cycle {t.cycle}: stage-2 abort (HSR {t.hsr:#010x}) expected (vector, mode, "
                         f"SPSR_hyp[, ELR_hyp, HSR IL/ISV/SAS/SSE/SRT/WnR]) = {_fmt(want_entry)}, "
                         f"seen {_fmt(got_entry)}")
                else:
                    score.stage2_aborts += 1
            elif t.kind == EXC_TYPE_HYP and last_mode != Mode.HYP:
                fail(f"cycle {t.cycle}: exception to Hyp with HSR {t.hsr:#010x} that the model "
                     f"does not predict (last pc {before.pc:#010x})")
            continue

        if pending is not None:
            txn, hsr, _ = pending
            fail(f"cycle {txn.cycle} pc {txn.pc:#010x} instr {txn.instr:#010x}: expected a trap to Hyp "
                 f"with HSR {hsr:#010x}, but the instruction retired without one")
            pending = None
        mode = last_mode = before.cpsr & CPSR_MODE_MASK
        last = (t, before.cpsr)
        trappable = _trappable(t.instr)
        if mode != Mode.HYP and (trappable or is_hvc(t.instr)):
            controls = TrapControls(ctl["HCR"], ctl["HSTR"], ctl["HCPTR"], ctl["CPACR"],
                                    ctl["CNTHCTL"], ctl["CNTKCTL"], qemu_compat)
            syn = trap_class(t.instr, mode, controls) if t.cond_pass else None
            if syn is not None:
                pending = (t, syn.value, before.cpsr)
                score.bins[(EC(syn.ec).name, _control_name(t.instr, controls), _mode_name(mode), True)] += 1
                continue          # a trapped control write does not happen
            if trappable:
                score.untrapped += 1
                score.bins[("none", "untrapped", _mode_name(mode), t.cond_pass)] += 1
        reg = _control_register_write(t.instr) if t.cond_pass else None
        if reg is not None and (mode == Mode.HYP or (reg in ("CPACR", "CNTKCTL") and mode != Mode.USR)):
            ctl[reg] = before.regs()[(t.instr >> 12) & 0xF] & (~0x1F if reg == "HVBAR" else ~0)
    return score


def _spsr_hyp_written(txn: RetireTxn | None, exc: ExceptionTxn) -> int:
    """SPSR_hyp as an entry to Hyp mode wrote it (-1: not written). The tracer
    lists the entry's writes with the instruction's retirement (same cycle) or
    with the exception."""
    writes = {**(dict(txn.writes) if txn else {}), **dict(exc.writes)}
    return writes.get(SPSR_HYP, -1)


def _fmt(v: tuple[int, ...]) -> str:
    return "(" + ", ".join(f"{x:#x}" for x in v) + ")"

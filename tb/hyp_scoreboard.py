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
instruction ran with, ELR_hyp the faulting instruction (a prefetch abort: the
instruction that would have run next), and for a data abort the syndrome
bits the instruction decides (IL, ISV, SAS, SSE, SRT, WnR:
tb/models/mmu_faults.data_abort_instr_syndrome); the fault status bits are the
MMU's, scored by the MMU block env and by the programs that read them back
under QEMU.

Exceptions taken *from* Hyp mode (ARM ARM B1.8.1 Hyp vector table, B3.13.6
"Use of the HSR"): for each instruction retired in Hyp mode the model
(hsr.hyp_mode_exception) says whether its encoding takes one -- SVC (HVBAR +
0x08, EC 0x11, ELR_hyp the next instruction), HVC (+0x08, EC 0x12), UDF and
the unallocated coprocessors (+0x04, EC 0x00, ELR_hyp the instruction), a VFP
access under HCPTR.TCP10/11 (+0x04, EC 0x07) -- and it must then be the next
event with that type, vector, ELR_hyp, SPSR_hyp, CPSR (Hyp, A I F set) and HSR.
Other UNDEFINED encodings in Hyp mode are checked for the same entry with
EC 0x00; a data abort from Hyp mode (+0x10, EC 0x25) for ELR_hyp = the
instruction and the bits the instruction decides (WnR; IL/ISV/SAS/SSE/SRT only
where the core follows QEMU 7.2); a prefetch abort from Hyp mode (+0x0C, EC
0x21, IL 0) for ELR_hyp = the instruction that would have run next.

SMC: from a PL1 mode under HCR.TSC it traps (above); from Hyp mode, or from PL1
without HCR.TSC, it is a PSCI call (hsr.smc_is_psci_call: QEMU's firmware, the
SoC's soc_psci on the RTL) and must retire without an exception (counted in
psci_calls; the answer itself is compared with QEMU by the lockstep runs).

Physical IRQ/FIQ taken to Hyp mode (B1.8.5, B1.8.6, HCR.IMO/FMO): only with
HCR.IMO (FMO) set, from a PL1/PL0 mode whatever CPSR.I (F) is, from Hyp mode
only with CPSR.I (F) clear; HVBAR+0x18 (0x1C), ELR_hyp the instruction that
would have run next (after an ERET: the address it returned to), SPSR_hyp the
CPSR of that point, HSR not written. Every failure names the item (type,
vector, CPSR, ELR_hyp, SPSR_hyp, HSR) with expected and seen values, the PC
and the cycle.

T32 code (CPSR.T set when the instruction ran, issue 13): the trap is predicted
from the T32 encoding and ITSTATE (hsr.trap_class_t32: IL = 0 for a 16-bit
instruction, CV = 1 / COND = 0xE as QEMU), ELR_hyp of an HVC is the address + 4,
SPSR_hyp.IT is the instruction's ITSTATE, advanced past it for HVC and (with
qemu_compat, QEMU 7.2's quirk) a trapped WFI/WFE (hsr.spsr_itstate_on_trap);
exceptions taken from Hyp mode use hsr.hyp_mode_exception_t32; a data abort's
instruction syndrome comes from the A32 form of the T32 load/store
(hsr.t32_ldst_to_a32) with IL = 0 for a 16-bit one.

Coverage bins: (EC, trap control, source mode, condition passed), plus the
trappable instructions that ran untrapped; exceptions from Hyp mode as (EC,
UDF|COPROC|UNDEFINED|SVC|HVC|HCPTR.TCP10|abort, HYP, True); interrupts as
(IRQ|FIQ, HCR.IMO|HCR.FMO, source mode, CPSR.I|F set when taken).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .models import cp15_regs, t32
from .models.arm_state import (CPSR_F, CPSR_I, CPSR_MODE_MASK, CPSR_T, PHYS_ELR_HYP, ArchState, Mode,
                               spsr_index)
from .models.hsr import (EC, HCR, HYP_VECTOR_DABT, HYP_VECTOR_FIQ, HYP_VECTOR_IRQ, HYP_VECTOR_PABT,
                         HYP_VECTOR_UNDEF, UNKNOWN_SYNDROME, HypModeException, TrapControls, cp15_trap,
                         decode, decode_coproc, encode, hyp_entry_cpsr, hyp_mode_exception,
                         hyp_mode_exception_t32, is_hvc, is_semihosting, is_smc, is_svc, is_udf, is_vfp,
                         smc_is_psci_call,
                         is_wfe, is_wfx, spsr_itstate_on_trap, t32_ldst_to_a32, t32_size, t32_to_a32,
                         trap_class, trap_class_t32)
from .models.mmu_faults import HSR_IL, ISS_ISV, ISS_S1PTW, ISS_WNR, data_abort_instr_syndrome
from .trace import ExceptionTxn, ExcType, RetireTxn, read_trace, walk

# The trap controls the scoreboard follows, with their reset values
CONTROLS_AT_RESET = {"HCR": 0, "HSTR": 0, "HCPTR": 0, "HVBAR": 0, "CPACR": 0,
                     "CNTHCTL": TrapControls().cnthctl, "CNTKCTL": 0, "HSCTLR": 0}
HSCTLR_TE = 1 << 30       # Hyp exceptions are taken in Thumb state (B4.1.66)
EXC_TYPE_HYP = ExcType.HYP   # exc_type_o of a trap or HVC
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
    hyp_mode: int = 0                       # exceptions taken from Hyp mode (UNDEFINED, SVC, HVC, aborts)
    psci_calls: int = 0                     # SMCs that are PSCI calls (hsr.smc_is_psci_call), no exception
    interrupts: int = 0                     # physical IRQ/FIQ taken to Hyp mode (HCR.IMO/FMO)
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)   # the first MAX_REPORTED
    bins: Counter[tuple[str, str, str, bool]] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0

    def summary(self) -> str:
        return (f"hyp scoreboard: {self.checked} traps to Hyp and {self.untrapped} untrapped "
                f"trappable instructions checked against the HSR model, {self.stage2_aborts} stage-2 "
                f"aborts, {self.hyp_mode} exceptions taken from Hyp mode, {self.interrupts} IRQ/FIQ "
                f"taken to Hyp, {self.mismatch_count} mismatches")


def _control_register_write(instr: int) -> str | None:
    """Name of the trap control an MCR writes (a key of CONTROLS_AT_RESET), or None."""
    acc = decode_coproc(instr)
    if acc is None or acc.coproc != 15 or acc.read or acc.is64:
        return None
    reg = cp15_regs.lookup(acc.crn, acc.opc1, acc.crm, acc.opc2)
    return reg.name if reg is not None and reg.name in CONTROLS_AT_RESET else None


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


def score_trace(trace: Path, qemu_compat: bool = False, entry: int = 0) -> HypScore:
    """Score one trace; ``qemu_compat`` as the core ran (see TrapControls.qemu_compat)."""
    score = HypScore()
    ctl = dict(CONTROLS_AT_RESET)
    # (txn, predicted HSR, ELR_hyp, SPSR_hyp) awaiting its exception
    pending: tuple[RetireTxn, int, int, int] | None = None
    # an instruction executed in Hyp mode that the model says takes an exception
    pending_hyp: tuple[RetireTxn, HypModeException, int] | None = None
    last: tuple[RetireTxn, int] | None = None  # the last retired instruction and the CPSR it ran with
    next_pc: int | None = None                  # where execution goes next (None: not decidable)
    psci_smc: RetireTxn | None = None           # the last retired instruction, if a PSCI call (SMC)

    def fail(msg: str) -> None:
        score.mismatch_count += 1
        if len(score.mismatches) < MAX_REPORTED:
            score.mismatches.append(msg)

    for t, before in walk(read_trace(trace), ArchState.at_entry(entry)):
        if isinstance(t, ExceptionTxn):
            # an exception caused by an instruction retires it in the same cycle
            # (its retire record carries the CPSR after entry); IRQ, FIQ and
            # prefetch aborts come between instructions
            sync = last is not None and last[0].cycle == t.cycle
            from_cpsr = last[1] if sync and last is not None else before.cpsr
            from_mode = from_cpsr & CPSR_MODE_MASK
            to_hyp = t.cpsr & CPSR_MODE_MASK == Mode.HYP
            if psci_smc is not None and sync and t.kind not in (EXC_TYPE_IRQ, EXC_TYPE_FIQ):
                fail(f"cycle {t.cycle} pc {psci_smc.pc:#010x} instr {psci_smc.instr:#010x}: the SMC is a "
                     f"PSCI call (from {_mode_name(from_mode)} mode, HCR.TSC {'set' if ctl['HCR'] & HCR.TSC else 'clear'}"
                     f"), but it took an exception ({t.name}, HSR {t.hsr:#010x})")
                score.psci_calls -= 1
            psci_smc = None
            if pending is not None:
                txn, hsr, expect_ret, expect_spsr = pending
                pending = None
                spsr = _spsr_hyp_written(txn, t)
                got = (t.kind, t.hsr, t.ret, spsr, t.vector, t.cpsr & CPSR_MODE_MASK)
                want = (EXC_TYPE_HYP, hsr, expect_ret, expect_spsr, ctl["HVBAR"] + HYP_TRAP_OFFSET, Mode.HYP)
                if got != want:
                    fail(f"cycle {t.cycle} pc {txn.pc:#010x} instr {txn.instr:#010x}: expected trap "
                         f"(type, HSR, ELR_hyp, SPSR_hyp, vector, mode) = {_fmt(want)}, seen {_fmt(got)}: "
                         + _differing(want, got))
                else:
                    score.checked += 1
            elif pending_hyp is not None:
                txn, exc, cpsr_before = pending_hyp
                pending_hyp = None
                if _check_hyp_entry(score, fail, t, txn, f"{exc.kind} exception taken from Hyp mode",
                                    _HYP_KIND[exc.kind], ctl["HVBAR"] + exc.offset, txn.pc + exc.return_offset,
                                    _spsr_of(exc.kind != "undefined", cpsr_before, txn.instr, False),
                                    exc.syndrome.value, te=_hyp_te(ctl)):
                    score.hyp_mode += 1
                    score.bins[(EC(exc.syndrome.ec).name, _hyp_control_name(txn.instr, exc), "HYP", True)] += 1
            elif to_hyp and from_mode == Mode.HYP:
                _score_from_hyp(score, fail, t, last[0] if sync and last is not None else None,
                                from_cpsr, next_pc, ctl, qemu_compat)
            elif t.kind in (EXC_TYPE_IRQ, EXC_TYPE_FIQ) and to_hyp:
                _score_interrupt(score, fail, t, from_cpsr, next_pc, ctl)
            elif t.kind == EXC_TYPE_HYP and decode(t.hsr).ec in STAGE2_ABORTS:
                # a data abort retires its instruction: ELR_hyp is that PC and SPSR_hyp
                # the CPSR it ran with; a prefetch abort comes before the instruction
                # at next_pc (the fetch address), with the CPSR of that point
                txn = last[0] if last is not None else None
                dabt = decode(t.hsr).ec == EC.DABT_LOWER
                spsr = _spsr_hyp_written(txn if sync else None, t)
                got_entry = (t.vector, t.cpsr & CPSR_MODE_MASK, spsr)
                want_entry = (ctl["HVBAR"] + HYP_TRAP_OFFSET, Mode.HYP, from_cpsr)
                if dabt:
                    # the instruction's part of the syndrome (IL, ISV, SAS, SSE, SRT, WnR)
                    il, iss = _dabt_syndrome(txn, from_cpsr, bool(t.hsr & ISS_S1PTW))
                    got_entry += (t.ret, t.hsr & INSTR_SYNDROME_MASK)
                    want_entry += (txn.pc if txn else -1, il | iss)
                elif next_pc is not None:
                    got_entry += (t.ret,)
                    want_entry += (next_pc,)
                if got_entry != want_entry:
                    fail(f"cycle {t.cycle}: stage-2 abort (HSR {t.hsr:#010x}) expected (vector, mode, "
                         f"SPSR_hyp[, ELR_hyp, HSR IL/ISV/SAS/SSE/SRT/WnR]) = {_fmt(want_entry)}, "
                         f"seen {_fmt(got_entry)}")
                else:
                    score.stage2_aborts += 1
            elif t.kind == EXC_TYPE_HYP or to_hyp:
                fail(f"cycle {t.cycle}: exception to Hyp ({t.name}) with HSR {t.hsr:#010x} that the model "
                     f"does not predict (last pc {before.pc:#010x}, from {_mode_name(from_mode)} mode)")
            next_pc = t.vector
            continue

        if pending is not None:
            txn, hsr, _, _ = pending
            fail(f"cycle {txn.cycle} pc {txn.pc:#010x} instr {txn.instr:#010x}: expected a trap to Hyp "
                 f"with HSR {hsr:#010x}, but the instruction retired without one")
            pending = None
        if pending_hyp is not None:
            txn, exc, _ = pending_hyp
            fail(f"cycle {txn.cycle} pc {txn.pc:#010x} instr {txn.instr:#010x}: expected the {exc.kind} "
                 f"exception to HVBAR+{exc.offset:#04x} with {exc.syndrome.describe()}, but the "
                 f"instruction retired without one")
            pending_hyp = None
        mode = before.cpsr & CPSR_MODE_MASK
        last = (t, before.cpsr)
        thumb = bool(before.cpsr & CPSR_T)
        next_pc = _next_pc_t32(t, before) if thumb else _next_pc(t, before)
        # the A32 word with the same trap behaviour (T32: hsr.t32_to_a32; 0 when it cannot trap)
        a32 = (t32_to_a32(t.instr, t.instr > 0xFFFF) or 0) if thumb else t.instr
        controls = TrapControls(ctl["HCR"], ctl["HSTR"], ctl["HCPTR"], ctl["CPACR"],
                                ctl["CNTHCTL"], ctl["CNTKCTL"], qemu_compat)
        psci_smc = t if t.cond_pass and is_smc(a32) and smc_is_psci_call(mode, controls) else None
        score.psci_calls += psci_smc is not None
        if mode == Mode.HYP and t.cond_pass:
            exc = hyp_mode_exception_t32(t.instr, controls) if thumb else hyp_mode_exception(t.instr, controls)
            if exc is not None:
                pending_hyp = (t, exc, before.cpsr)
                continue
        trappable = _trappable(a32)
        if mode != Mode.HYP and (trappable or is_hvc(a32)):
            if not t.cond_pass:
                syn = None
            elif thumb:
                syn = trap_class_t32(t.instr, mode, controls, t32.cpsr_itstate(before.cpsr))
            else:
                syn = trap_class(t.instr, mode, controls)
            if syn is not None:
                hvc = syn.ec == EC.HVC
                elr = t.pc + (t32_size(t.instr) if thumb else 4) if hvc else t.pc
                spsr = _spsr_of(hvc, before.cpsr, t.instr, qemu_compat) if thumb else before.cpsr
                pending = (t, syn.value, elr, spsr)
                score.bins[(EC(syn.ec).name, _control_name(a32, controls), _mode_name(mode), True)] += 1
                continue          # a trapped control write does not happen
            if trappable:
                score.untrapped += 1
                score.bins[("none", "untrapped", _mode_name(mode), t.cond_pass)] += 1
        reg = _control_register_write(a32) if t.cond_pass else None
        if reg is not None and (mode == Mode.HYP or (reg in ("CPACR", "CNTKCTL") and mode != Mode.USR)):
            ctl[reg] = before.regs()[(t.instr >> 12) & 0xF] & (~0x1F if reg == "HVBAR" else ~0)
    if pending_hyp is not None:
        txn, exc, _ = pending_hyp
        fail(f"cycle {txn.cycle} pc {txn.pc:#010x} instr {txn.instr:#010x}: expected the {exc.kind} "
             f"exception to HVBAR+{exc.offset:#04x} with {exc.syndrome.describe()}, but the trace ends")
    return score


# exc_type_o (rtl/core/arm_pkg.sv EXC_*, hypsim.trace.EXC_NAMES) of each exception
# taken from Hyp mode: HVC from Hyp is the core's Hyp-entry type 7 at offset 0x08
_HYP_KIND = {"undefined": 1, "svc": 2, "hvc": EXC_TYPE_HYP}
EXC_TYPE_UNDEF, EXC_TYPE_SVC, EXC_TYPE_PABT, EXC_TYPE_DABT, EXC_TYPE_IRQ, EXC_TYPE_FIQ = 1, 2, 3, 4, 5, 6


def _hyp_control_name(instr: int, exc: HypModeException) -> str:
    """The coverage bin's second field for an exception the model predicted in Hyp mode."""
    if exc.kind != "undefined":
        return exc.kind.upper()
    if exc.syndrome.ec == EC.HCPTR:
        return "HCPTR.TCP10"
    return "UDF" if is_udf(instr) else "COPROC"

FailFn = Callable[[str], None]


def _check_hyp_entry(score: HypScore, fail: FailFn, t: ExceptionTxn, txn: RetireTxn | None, what: str,
                     kind: int, vector: int, elr: int | None, spsr: int, hsr: int,
                     hsr_mask: int = 0xFFFF_FFFF, te: bool = False) -> bool:
    """One exception entry to Hyp mode against the expected (type, vector, CPSR,
    ELR_hyp, SPSR_hyp, HSR); ``elr`` None: not decidable from the trace, not
    compared; ``te``: HSCTLR.TE, entry in Thumb state. Each differing item is named
    with expected and seen values."""
    seen_spsr = _spsr_hyp_written(txn, t)
    items: list[tuple[str, int, int]] = [
        ("type", kind, t.kind), ("vector", vector, t.vector),
        ("CPSR", hyp_entry_cpsr(spsr) | (CPSR_T if te else 0), t.cpsr),
        ("SPSR_hyp", spsr, seen_spsr), ("HSR", hsr & hsr_mask, t.hsr & hsr_mask)]
    if elr is not None:
        items.insert(2, ("ELR_hyp", elr, t.ret))
    wrong = [f"{name} expected {want:#010x} seen {got:#010x}" for name, want, got in items if want != got]
    where = f"pc {txn.pc:#010x} instr {txn.instr:#010x}" if txn is not None else f"next pc {elr if elr is not None else -1:#010x}"
    if wrong:
        fail(f"cycle {t.cycle} {where}: {what}: " + ", ".join(wrong))
        return False
    return True


def _hyp_te(ctl: dict[str, int]) -> bool:
    return bool(ctl["HSCTLR"] & HSCTLR_TE)


def _score_from_hyp(score: HypScore, fail: FailFn, t: ExceptionTxn, txn: RetireTxn | None, cpsr: int,
                    next_pc: int | None, ctl: dict[str, int], qemu_compat: bool) -> None:
    """An exception taken from Hyp mode that no instruction's encoding predicted:
    an UNDEFINED instruction the model does not list, an abort, or an interrupt."""
    hvbar = ctl["HVBAR"]
    if t.kind == EXC_TYPE_UNDEF and txn is not None:
        if _check_hyp_entry(score, fail, t, txn, "UNDEFINED instruction in Hyp mode", EXC_TYPE_UNDEF,
                            hvbar + HYP_VECTOR_UNDEF, txn.pc, cpsr, UNKNOWN_SYNDROME.value, te=_hyp_te(ctl)):
            score.hyp_mode += 1
            score.bins[(EC.UNKNOWN.name, "UNDEFINED", "HYP", txn.cond_pass)] += 1
    elif t.kind == EXC_TYPE_DABT and txn is not None:
        # EC 0x25; the instruction decides IL/ISV/SAS/SSE/SRT/WnR: ISV only as QEMU
        # 7.2 reports it (rtl/core/arm_exc_unit.sv), the ARM ARM gives ISV to stage-2 aborts only
        il, iss = _dabt_syndrome(txn, cpsr, False)
        if not qemu_compat:
            il, iss = 0, iss & ISS_WNR
        want = encode(EC.DABT_HYP, iss, 1 if il else 0)
        if _check_hyp_entry(score, fail, t, txn, "data abort taken from Hyp mode (HSR EC and IL/ISV/SAS/SSE/"
                            "SRT/WnR)", EXC_TYPE_DABT, hvbar + HYP_VECTOR_DABT, txn.pc, cpsr, want,
                            hsr_mask=0xFC00_0000 | INSTR_SYNDROME_MASK, te=_hyp_te(ctl)):
            score.hyp_mode += 1
            score.bins[(EC.DABT_HYP.name, "abort", "HYP", True)] += 1
    elif t.kind == EXC_TYPE_PABT and txn is None:
        # EC 0x21, IL 0 (UNK/SBZP, as QEMU); the fault status is the MMU's
        if _check_hyp_entry(score, fail, t, None, "prefetch abort taken from Hyp mode (HSR EC and IL)",
                            EXC_TYPE_PABT, hvbar + HYP_VECTOR_PABT, next_pc, cpsr,
                            encode(EC.IABT_HYP, 0, 0), hsr_mask=0xFE00_0000, te=_hyp_te(ctl)):
            score.hyp_mode += 1
            score.bins[(EC.IABT_HYP.name, "abort", "HYP", True)] += 1
    elif t.kind in (EXC_TYPE_IRQ, EXC_TYPE_FIQ) and txn is None:
        _score_interrupt(score, fail, t, cpsr, next_pc, ctl)
    else:
        where = f"pc {txn.pc:#010x} instr {txn.instr:#010x}" if txn is not None else f"next pc {next_pc or 0:#010x}"
        fail(f"cycle {t.cycle} {where}: {t.name} exception taken from Hyp mode (vector {t.vector:#010x}, "
             f"HSR {t.hsr:#010x}) that the model does not predict")


def _score_interrupt(score: HypScore, fail: FailFn, t: ExceptionTxn, cpsr: int, next_pc: int | None,
                     ctl: dict[str, int]) -> None:
    """A physical IRQ/FIQ taken to Hyp mode (B1.8.5, B1.8.6, HCR.IMO/FMO in B4.1.65):
    only with HCR.IMO (FMO) set; from a PL1/PL0 mode whatever CPSR.I (F) says,
    from Hyp mode only with CPSR.I (F) clear; HVBAR+0x18 (0x1C), ELR_hyp = the
    instruction that would have run next, SPSR_hyp = the CPSR of that point, HSR
    not written."""
    irq = t.kind == EXC_TYPE_IRQ
    name, bit, mask = ("IRQ", HCR.IMO, CPSR_I) if irq else ("FIQ", HCR.FMO, CPSR_F)
    from_hyp = cpsr & CPSR_MODE_MASK == Mode.HYP
    if not ctl["HCR"] & bit:
        fail(f"cycle {t.cycle} next pc {next_pc or 0:#010x}: physical {name} taken to Hyp mode with "
             f"HCR.{bit.name} clear (HCR {ctl['HCR']:#010x}): it belongs to PL1")
        return
    if from_hyp and cpsr & mask:
        fail(f"cycle {t.cycle} next pc {next_pc or 0:#010x}: {name} taken in Hyp mode with CPSR."
             f"{'I' if irq else 'F'} set (CPSR {cpsr:#010x}): masked there")
        return
    vector = ctl["HVBAR"] + (HYP_VECTOR_IRQ if irq else HYP_VECTOR_FIQ)
    if _check_hyp_entry(score, fail, t, None, f"{name} taken to Hyp mode (HCR.{bit.name})",
                        EXC_TYPE_IRQ if irq else EXC_TYPE_FIQ, vector, next_pc, cpsr, 0, te=_hyp_te(ctl)):
        score.interrupts += 1
        score.bins[(name, f"HCR.{bit.name}", _mode_name(cpsr & CPSR_MODE_MASK), bool(cpsr & mask))] += 1


def _spsr_of(to_next: bool, cpsr: int, instr: int, qemu_compat: bool) -> int:
    """SPSR_hyp an exception from the instruction ``instr``, run with ``cpsr``, writes.
    A32: the CPSR. T32 (B1.8.3): the instruction's own ITSTATE, advanced past it when
    the preferred return is the next instruction (``to_next``: SVC, HVC) and, with
    ``qemu_compat``, for a trapped WFI/WFE (QEMU 7.2, hsr.spsr_itstate_on_trap)."""
    if not cpsr & CPSR_T:
        return cpsr
    it = t32.cpsr_itstate(cpsr)
    it = t32.it_advance(it) if to_next else spsr_itstate_on_trap(it, instr, instr > 0xFFFF, qemu_compat)
    return (cpsr & ~((0x3F << 10) | (3 << 25))) | ((it >> 2) << 10) | ((it & 3) << 25)


def _dabt_syndrome(txn: RetireTxn | None, cpsr: int, s1ptw: bool) -> tuple[int, int]:
    """(IL, ISS bits) the instruction of a data abort decides (data_abort_instr_syndrome);
    a T32 one through its A32 form, IL 0 for a 16-bit instruction."""
    if txn is None:
        return data_abort_instr_syndrome(0, s1ptw)
    if not cpsr & CPSR_T:
        return data_abort_instr_syndrome(txn.instr, s1ptw)
    il, iss = data_abort_instr_syndrome(t32_ldst_to_a32(txn.instr) or 0, s1ptw)
    return (il if txn.instr > 0xFFFF else 0), iss


def _next_pc_t32(t: RetireTxn, before: ArchState) -> int | None:
    """_next_pc for a T32 instruction: address + 2/4, a PC-relative branch's target, BX/BLX
    register; None for the other writes of the PC (loads, POP/LDM, hi-register ADD/MOV,
    TBB/TBH, CBZ/CBNZ, MSR-space control, SVC/UDF)."""
    instr, pc = t.instr, t.pc
    size = t32_size(instr)
    if not t.cond_pass:
        return pc + size
    br = t32.branch(instr, size)
    if br is not None:
        kind, off = br
        if kind in ("cbz", "cbnz"):
            return None
        base = (pc + 4) & ~3 if kind == "blx" else pc + 4
        return (base + off) & 0xFFFF_FFFF
    if size == 2:
        hw = instr
        if hw & 0xFF00 == 0x4700:                                       # BX / BLX (register)
            rm = (hw >> 3) & 0xF
            return (pc + 4 if rm == 15 else before.reg(rm)) & ~1 & 0xFFFF_FFFF
        if hw & 0xFD87 == 0x4487 or hw & 0xFF00 == 0xBD00 or hw >> 9 == 0b1101111:
            return None                                                 # ADD/MOV PC, POP {pc}, UDF/SVC
        return pc + 2
    hw1, hw2 = instr >> 16, instr & 0xFFFF
    if hw1 >> 11 == 0b11110 and hw2 >> 15:
        return pc + 4 if hw1 == 0xF3AF and hw2 & 0xFF00 == 0x8000 else None   # hints; other control
    if hw1 & 0xFE10 == 0xF810 and hw2 >> 12 == 15:
        return None                                                     # load to the PC
    if hw1 & 0xFE40 == 0xE800 or (hw1 & 0xFFF0 == 0xE8D0 and hw2 & 0xFFE0 == 0xF000):
        return None if hw1 & 0x10 else pc + 4                           # LDM/RFE (and TBB/TBH)
    return pc + 4


def _next_pc(t: RetireTxn, before: ArchState) -> int | None:
    """The address of the instruction after ``t`` (executed in state ``before``), or
    None where the trace cannot say (a load or data-processing write of the PC,
    an exception return other than ERET)."""
    instr, pc = t.instr, t.pc
    if not t.cond_pass:
        return pc + 4
    cond = instr >> 28
    if cond != 0xF and (instr >> 25) & 7 == 0b101:                     # B, BL (A8.8.18, A8.8.25)
        off = instr & 0xFF_FFFF
        off -= (1 << 24) if off & 0x80_0000 else 0
        return (pc + 8 + 4 * off) & 0xFFFF_FFFF
    if cond != 0xF and instr & 0x0FFF_FFD0 == 0x012F_FF10:             # BX, BLX (register)
        rm = instr & 0xF
        return (pc + 8 if rm == 15 else before.reg(rm)) & ~1 & 0xFFFF_FFFF
    if cond != 0xF and instr & 0x0FFF_FFFF == 0x0160_006E:             # ERET (B9.3.3)
        mode = before.cpsr & CPSR_MODE_MASK
        return (before.phys[PHYS_ELR_HYP] if mode == Mode.HYP else before.reg(14)) & ~1
    if cond == 0xF:
        return None if (instr >> 25) & 7 in (0b100, 0b101) else pc + 4   # RFE, SRS, BLX(imm)
    if (instr >> 26) & 3 in (0, 1) and (instr >> 12) & 0xF == 15:
        # Rd/Rt == PC: a data-processing write or load of the PC; also MRC APSR_nzcv,
        # MSR and TST-class, where Rd is SBO/SBZ, are not told apart here
        if (instr >> 26) & 3 == 0 and (instr >> 23) & 3 == 0b10 and not instr & (1 << 20):
            return pc + 4                                                # misc (MSR, MRS, ...)
        if (instr >> 26) & 3 == 0 and (instr >> 21) & 0xF in (8, 9, 10, 11) and instr & (1 << 20):
            return pc + 4                                                # TST/TEQ/CMP/CMN
        if (instr >> 26) & 3 == 1 and not instr & (1 << 20):
            return pc + 4                                                # STR pc
        return None
    if (instr >> 25) & 7 == 0b100 and instr & (1 << 20) and instr & (1 << 15):
        return None                                                      # LDM with the PC
    if is_svc(instr) and not is_semihosting(instr):
        return None                                                      # taken: next is a vector
    return pc + 4


def _spsr_hyp_written(txn: RetireTxn | None, exc: ExceptionTxn) -> int:
    """SPSR_hyp as an entry to Hyp mode wrote it (-1: not written). The tracer
    lists the entry's writes with the instruction's retirement (same cycle) or
    with the exception."""
    writes = {**(dict(txn.writes) if txn else {}), **dict(exc.writes)}
    return writes.get(SPSR_HYP, -1)


_TRAP_ITEMS = ("type", "HSR", "ELR_hyp", "SPSR_hyp", "vector", "mode")
# HSR fields (B3.13.6) and the ISS fields of a trap (CV, COND), named in a mismatch
_HSR_FIELDS = (("EC", 26, 0x3F), ("IL", 25, 1), ("CV", 24, 1), ("COND", 20, 0xF), ("ISS[19:0]", 0, 0xFFFFF))
_PSR_FIELDS = (("T", 5, 1), ("IT[7:2]", 10, 0x3F), ("IT[1:0]", 25, 3), ("mode", 0, 0x1F))


def _differing(want: tuple[int, ...], got: tuple[int, ...]) -> str:
    """The items of a trap entry that differ, each with expected and seen values; the
    HSR and SPSR_hyp also by field (e.g. ``HSR.IL expected 0 seen 1``)."""
    out = []
    for name, w, g in zip(_TRAP_ITEMS, want, got):
        if w == g:
            continue
        fields = _HSR_FIELDS if name == "HSR" else _PSR_FIELDS if name == "SPSR_hyp" and g >= 0 else ()
        named = [f"{name}.{f} expected {(w >> sh) & m:#x} seen {(g >> sh) & m:#x}"
                 for f, sh, m in fields if (w >> sh) & m != (g >> sh) & m]
        out.extend(named or [f"{name} expected {w:#x} seen {g:#x}"])
    return ", ".join(out)


def _fmt(v: tuple[int, ...]) -> str:
    return "(" + ", ".join(f"{x:#x}" for x in v) + ")"


@dataclass(frozen=True)
class InterruptedEntry:
    """An ERET from Hyp mode into a PL1/PL0 guest that an interrupt to Hyp mode
    preempted before the first guest instruction retired."""

    cycle: int          # of the exception entry
    eret_pc: int        # the ERET
    guest_pc: int       # the address it returned to (ELR_hyp before the ERET)
    guest_cpsr: int     # the CPSR it returned with (SPSR_hyp before the ERET)
    kind: int           # EXC_TYPE_IRQ or EXC_TYPE_FIQ
    elr: int            # ELR_hyp written on entry
    spsr: int           # SPSR_hyp written on entry (-1: not written)
    vector: int


def guest_entries(trace: Path) -> tuple[int, list[InterruptedEntry]]:
    """Every ERET from Hyp mode to a lower mode, and those an IRQ/FIQ to Hyp mode
    took before the guest's first instruction: (number of entries, the
    interrupted ones, as the trace shows them)."""
    entries = 0
    out: list[InterruptedEntry] = []
    eret: tuple[RetireTxn, int, int] | None = None     # the last event was this guest entry
    for t, before in walk(read_trace(trace), ArchState()):
        if isinstance(t, ExceptionTxn):
            if eret is not None and t.kind in (EXC_TYPE_IRQ, EXC_TYPE_FIQ) and t.cpsr & CPSR_MODE_MASK == Mode.HYP:
                txn, elr, spsr = eret
                out.append(InterruptedEntry(t.cycle, txn.pc, elr, spsr, t.kind, t.ret,
                                            _spsr_hyp_written(None, t), t.vector))
            eret = None
            continue
        eret = None
        if (before.cpsr & CPSR_MODE_MASK == Mode.HYP and t.cond_pass
                and t.instr & 0x0FFF_FFFF == 0x0160_006E and t.cpsr & CPSR_MODE_MASK != Mode.HYP):
            entries += 1
            eret = (t, before.phys[PHYS_ELR_HYP], before.phys[SPSR_HYP])
    return entries, out

"""HSR, the Hyp Syndrome Register: the one table of exception classes and
their ISS encodings (ARM ARM ARMv7-A/R B3.13.6 "Use of the HSR", B4.1.95).

    HSR[31:26] EC   exception class (:class:`EC`)
    HSR[25]    IL   instruction length: 1 for a 32-bit (A32 or T32) instruction, 0 for 16-bit T32
    HSR[24:0]  ISS  instruction-specific syndrome

Besides encoding and decoding, :func:`iss_for_instruction` derives the ISS of
a trapped instruction from its A32 encoding, and :func:`trap_class` decides,
from the instruction and the trap controls (HCR, HSTR), whether an
instruction executed at PL1 or PL0 traps to Hyp mode and with which EC
(B1.14 "Traps to the hypervisor"). :func:`trap_class_t32` does the same for
T32 code (IL from the width, CV/COND as QEMU 7.2 was measured to write them).
:func:`smc_is_psci_call` says when an SMC that does not trap is a PSCI call
(QEMU's virt machine and the SoC answer it; no exception) rather than UNDEFINED.

Condition reporting (B3.13.6 "The COND field"): the ARM ARM lets an
implementation report a trapped conditional A32 instruction either with
CV = 1 and its condition, or with CV = 1 and COND = 0xE. QEMU 7.2, the
golden model, always reports CV = 1, COND = 0xE, and so does the RTL;
``cond_reporting="instruction"`` gives the other permitted form.

No cocotb here: the same model is unit-tested by pytest and used by the
testbench's scoreboards.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from . import cp15_regs, generic_timer, t32
from .t32 import it_advance, it_cond
from .arm_state import Mode


class EC(IntEnum):
    """HSR.EC values for the ARMv7 Virtualization Extensions (B3.13.6, table B3-22)."""

    UNKNOWN = 0x00          # unknown reason (e.g. UNDEFINED routed to Hyp)
    WFI_WFE = 0x01          # HCR.TWI / HCR.TWE
    MCR_MRC_CP15 = 0x03     # HSTR.Tn, HCR.TVM/TTLB/TPU/TPC/TSW/TAC/TIDCP/TID1-3
    MCRR_MRRC_CP15 = 0x04   # HSTR.Tn (64-bit forms), HCR.TVM
    MCR_MRC_CP14 = 0x05     # HDCR.TDA/TDRA/TDOSA, HCR.TID0 (JIDR)
    LDC_STC_CP14 = 0x06     # HDCR.TDA
    HCPTR = 0x07            # HCPTR.TCP10/TCP11/TASE: VFP and Advanced SIMD
    VMRS = 0x08             # HCR.TID0: VMRS of FPSID/MVFR0/MVFR1
    JAZELLE = 0x09          # HSTR.TJDBX (no Jazelle here)
    MRRC_CP14 = 0x0C        # HDCR.TDA
    SVC_HYP = 0x11          # SVC routed to Hyp by HCR.TGE
    HVC = 0x12              # HVC from PL1 (or from Hyp)
    SMC = 0x13              # SMC under HCR.TSC
    IABT_LOWER = 0x20       # prefetch abort (stage 2) from a lower level
    IABT_HYP = 0x21         # prefetch abort taken from Hyp mode
    DABT_LOWER = 0x24       # data abort (stage 2) from a lower level
    DABT_HYP = 0x25         # data abort taken from Hyp mode


# HCR bits (B4.1.65) that the trap decisions below read.
class HCR(IntEnum):
    VM = 1 << 0
    SWIO = 1 << 1
    PTW = 1 << 2
    FMO = 1 << 3
    IMO = 1 << 4
    AMO = 1 << 5
    VF = 1 << 6
    VI = 1 << 7
    VA = 1 << 8
    FB = 1 << 9
    DC = 1 << 12
    TWI = 1 << 13
    TWE = 1 << 14
    TID0 = 1 << 15
    TID1 = 1 << 16
    TID2 = 1 << 17
    TID3 = 1 << 18
    TSC = 1 << 19
    TIDCP = 1 << 20
    TAC = 1 << 21
    TSW = 1 << 22
    TPC = 1 << 23
    TPU = 1 << 24
    TTLB = 1 << 25
    TVM = 1 << 26
    TGE = 1 << 27


COND_AL = 0xE


@dataclass(frozen=True)
class Syndrome:
    ec: int
    il: int
    iss: int

    @property
    def value(self) -> int:
        return encode(self.ec, self.iss, self.il)

    def describe(self) -> str:
        try:
            name = EC(self.ec).name
        except ValueError:
            name = f"EC{self.ec:#04x}"
        return f"HSR {self.value:#010x} ({name}, IL={self.il}, ISS={self.iss:#09x})"


def encode(ec: int, iss: int, il: int = 1) -> int:
    """HSR value from its fields (B3.13.6 figure B3-12)."""
    if not 0 <= ec < 64 or not 0 <= iss < (1 << 25) or il not in (0, 1):
        raise ValueError(f"HSR field out of range: ec={ec:#x} il={il} iss={iss:#x}")
    return (ec << 26) | (il << 25) | iss


def decode(hsr: int) -> Syndrome:
    return Syndrome((hsr >> 26) & 0x3F, (hsr >> 25) & 1, hsr & 0x1FF_FFFF)


def _cv_cond(instr: int, cond_reporting: str) -> int:
    """ISS[24:20]: CV and COND (B3.13.6 "The COND field")."""
    if cond_reporting == "qemu":
        return (1 << 24) | (COND_AL << 20)
    if cond_reporting == "instruction":
        cond = (instr >> 28) & 0xF
        return (1 << 24) | ((COND_AL if cond == 0xF else cond) << 20)
    raise ValueError(f"cond_reporting must be 'qemu' or 'instruction', not {cond_reporting!r}")


@dataclass(frozen=True)
class CoprocAccess:
    """Fields of an A32 MCR/MRC (A8.8.98/A8.8.108) or MCRR/MRRC (A8.8.99/A8.8.109)."""

    coproc: int
    opc1: int
    crn: int
    crm: int
    opc2: int
    rt: int
    rt2: int
    read: bool      # MRC / MRRC
    is64: bool      # MCRR / MRRC


def decode_coproc(instr: int) -> CoprocAccess | None:
    """The coprocessor register access an A32 word encodes, or None."""
    coproc = (instr >> 8) & 0xF
    if instr & 0x0F00_0010 == 0x0E00_0010:          # MCR / MRC
        return CoprocAccess(coproc, (instr >> 21) & 7, (instr >> 16) & 0xF, instr & 0xF,
                            (instr >> 5) & 7, (instr >> 12) & 0xF, 0, bool(instr & (1 << 20)), False)
    if instr & 0x0FE0_0000 == 0x0C40_0000:          # MCRR / MRRC
        return CoprocAccess(coproc, (instr >> 4) & 0xF, 0, instr & 0xF, 0, (instr >> 12) & 0xF,
                            (instr >> 16) & 0xF, bool(instr & (1 << 20)), True)
    return None


def iss_coproc(acc: CoprocAccess, instr: int, cond_reporting: str = "qemu") -> int:
    """ISS for EC 0x03/0x05 (32-bit form) or 0x04/0x0C (64-bit form), B3.13.6."""
    iss = _cv_cond(instr, cond_reporting) | (acc.rt << 5) | (acc.crm << 1) | int(acc.read)
    if acc.is64:
        return iss | (acc.opc1 << 16) | (acc.rt2 << 10)
    return iss | (acc.opc2 << 17) | (acc.opc1 << 14) | (acc.crn << 10)


def iss_wfx(instr: int, cond_reporting: str = "qemu") -> int:
    """ISS for EC 0x01: TI (bit 0) is 1 for WFE, 0 for WFI (WFI's op2 is 3, WFE's 2)."""
    return _cv_cond(instr, cond_reporting) | int(is_wfe(instr))


def iss_hvc(instr: int) -> int:
    """ISS for EC 0x12: the 16-bit immediate, imm12:imm4 (A8.8.80)."""
    return ((instr >> 4) & 0xFFF0) | (instr & 0xF)


def is_wfx(instr: int) -> bool:
    return instr & 0x0FFF_FFFE == 0x0320_F002


def is_wfe(instr: int) -> bool:
    return instr & 0x0FFF_FFFF == 0x0320_F002


def is_smc(instr: int) -> bool:
    return instr & 0x0FF0_00F0 == 0x0160_0070


def is_hvc(instr: int) -> bool:
    return instr & 0x0FF0_00F0 == 0x0140_0070


def smc_is_psci_call(mode: int, controls: "TrapControls") -> bool:
    """Whether a condition-passed SMC executed in ``mode`` is a PSCI call: answered by the
    platform in r0 (R1-R3 the arguments), retiring to the next instruction with no
    exception. No Security Extensions here, so the ARM ARM makes SMC UNDEFINED; but QEMU 7.2
    ``-M virt,virtualization=on`` uses the SMC conduit for its own PSCI firmware (an ersatz
    EL3, for any ``-smp``) and the SoC's soc_psci stands in for it: an SMC from Hyp mode, or
    from a PL1 mode when HCR.TSC does not trap it (:func:`trap_class`), is a PSCI call
    whatever r0 holds (an id QEMU does not implement reads NOT_SUPPORTED, -1). Measured
    with QEMU 7.2 ``-smp 1`` and ``-smp 2`` (firmware/smp/smc1.c, firmware/README.md "Two
    cores"). From User mode SMC is UNDEFINED (an UNDEFINED instruction at PL0, not a trap)."""
    if mode == Mode.USR:
        return False
    return mode == Mode.HYP or not controls.hcr & HCR.TSC


# --- which CP15 accesses each HCR control traps (B1.14.x, B4.1.65) -------------------
# Keys are (crn, opc1, crm, opc2); None is a wildcard.
_Key = tuple[int | None, int | None, int | None, int | None]

def _regs(*names: str) -> tuple[_Key, ...]:
    return tuple(cp15_regs.key(n) for n in names)


# HCR.TID1 (B1.14.8): TCMTR, TLBTR, AIDR, REVIDR
_TID1 = _regs("TCMTR", "TLBTR", "AIDR", "REVIDR")
# HCR.TID2: CTR, CCSIDR, CLIDR, CSSELR
_TID2 = _regs("CTR", "CCSIDR", "CLIDR", "CSSELR")
# HCR.TID3: ID_PFR0..ID_ISAR5 and the reserved ID space c0, opc1 0, CRm 1-7
_TID3: tuple[_Key, ...] = tuple((0, 0, crm, None) for crm in range(1, 8))
# HCR.TAC: ACTLR
_TAC = _regs("ACTLR")
# HCR.TSW: DCISW, DCCSW, DCCISW
_TSW = _regs("DCISW", "DCCSW", "DCCISW")
# HCR.TPC: the PoC cache maintenance by MVA (DCIMVAC, DCCMVAC, DCCIMVAC)
_TPC = _regs("DCIMVAC", "DCCMVAC", "DCCIMVAC")
# HCR.TPU: PoU maintenance (ICIMVAU, ICIALLU, ICIALLUIS, DCCMVAU)
_TPU = _regs("ICIMVAU", "ICIALLU", "ICIALLUIS", "DCCMVAU")
# HCR.TTLB: every TLB maintenance operation (c8)
_TTLB: tuple[_Key, ...] = ((8, 0, None, None),)
# HCR.TVM: writes to the virtual-memory controls (SCTLR, TTBR0/1, TTBCR, DACR, DFSR,
# IFSR, ADFSR, AIFSR, DFAR, IFAR, PRRR/MAIR0, NMRR/MAIR1, AMAIR0/1, CONTEXTIDR)
_TVM = _regs("SCTLR", "TTBR0", "TTBR1", "TTBCR", "DACR", "DFSR", "IFSR", "ADFSR", "AIFSR", "DFAR", "IFAR",
             "PRRR", "NMRR", "AMAIR0", "AMAIR1", "CONTEXTIDR")


def _match(keys: tuple[_Key, ...], acc: CoprocAccess) -> bool:
    got = (acc.crn, acc.opc1, acc.crm, acc.opc2)
    return any(all(k is None or k == g for k, g in zip(key, got)) for key in keys)


def _tidcp(acc: CoprocAccess) -> bool:
    """HCR.TIDCP: the IMPLEMENTATION DEFINED lockdown/DMA/TCM space (B4.2.x):
    c9 CRm 0-2 and 5-8, c10 CRm 0, 1, 4, 8, c11 CRm 0-8 and 15 (all opc1/opc2)."""
    return ((acc.crn == 9 and acc.crm in (0, 1, 2, 5, 6, 7, 8))
            or (acc.crn == 10 and acc.crm in (0, 1, 4, 8))
            or (acc.crn == 11 and (acc.crm <= 8 or acc.crm == 15)))


def is_cbar(acc: CoprocAccess) -> bool:
    """CBAR (c15, opc1 4, c0, 0): a Cortex-A15 PL1-readable register despite its opc1."""
    return not acc.is64 and (acc.crn, acc.opc1, acc.crm, acc.opc2) == (15, 4, 0, 0)


def pl0_accessible(acc: CoprocAccess) -> bool:
    """The CP15 registers PL0 may access here: TPIDRURW, and TPIDRURO read-only (B4.1.150)."""
    if acc.is64 or (acc.crn, acc.opc1, acc.crm) != (13, 0, 0):
        return False
    return acc.opc2 == 2 or (acc.opc2 == 3 and acc.read)


def timer_trap(acc: CoprocAccess, mode: int, controls: "TrapControls") -> bool:
    """Whether a c14 generic-timer access traps to Hyp (tb/models/generic_timer.py decides)."""
    pl = generic_timer.PL0 if mode == Mode.USR else generic_timer.HYP if mode == Mode.HYP else generic_timer.PL1
    timer = generic_timer.GenericTimer()
    timer.cntkctl, timer.cnthctl = controls.cntkctl, controls.cnthctl
    access = generic_timer.Access(not acc.read, acc.is64, acc.crn, acc.opc1, acc.crm, acc.opc2, pl)
    return timer.outcome(access) == generic_timer.Outcome.TRAP_TO_HYP


@dataclass(frozen=True)
class TrapControls:
    hcr: int = 0
    hstr: int = 0
    hcptr: int = 0
    cpacr: int = 0      # a PL1 register, but it decides whether a VFP access reaches the trap
    cnthctl: int = generic_timer.CNTHCTL_RESET   # PL1PCTEN/PL1PCEN (B8.1.2)
    cntkctl: int = 0    # PL0 access to the timer, which comes before the CNTHCTL trap
    qemu_compat: bool = False   # leave out what QEMU 7.2 does not trap (QEMU_UNTRAPPED)


HCPTR_TCP10 = 1 << 10
HCPTR_TCP11 = 1 << 11


def is_vfp(instr: int) -> bool:
    """An instruction of the coprocessor 10/11 (VFP) space (A7.5)."""
    space = (instr >> 25) & 7 == 0b110 or (instr >> 24) & 0xF == 0b1110
    return (instr >> 28) != 0xF and space and (instr >> 9) & 7 == 0b101


def iss_hcptr(instr: int, cond_reporting: str = "qemu") -> int:
    """ISS for EC 0x07: CV, COND, TA (bit 5, Advanced SIMD: 0 here), coproc[3:0] = 10."""
    return _cv_cond(instr, cond_reporting) | 0xA


VMRS_FPSID, VMRS_MVFR1, VMRS_MVFR0 = 0b0000, 0b0110, 0b0111


def is_vmrs(instr: int) -> bool:
    """VMRS Rt, <system register> (A8.8.348)."""
    return (instr >> 28) != 0xF and instr & 0x0FF0_0FFF == 0x0EF0_0A10


def vmrs_id_trap(instr: int, mode: int, controls: TrapControls) -> bool:
    """HCR.TID0 traps PL1 VMRS of FPSID, HCR.TID3 of MVFR0/MVFR1 (B1.14.x),
    once CPACR grants the access; at PL0 those reads are UNDEFINED."""
    if not is_vmrs(instr) or mode in (Mode.USR, Mode.HYP) or not (controls.cpacr >> 20) & 1:
        return False
    reg = (instr >> 16) & 0xF
    return bool((reg == VMRS_FPSID and controls.hcr & HCR.TID0)
                or (reg in (VMRS_MVFR0, VMRS_MVFR1) and controls.hcr & HCR.TID3))


def iss_vmrs(instr: int, cond_reporting: str = "qemu") -> int:
    """ISS for EC 0x08: the MRC layout with Opc1 = 7, CRn = the register, read."""
    return (_cv_cond(instr, cond_reporting) | (7 << 14) | (((instr >> 16) & 0xF) << 10)
            | (((instr >> 12) & 0xF) << 5) | 1)


def vfp_trap(mode: int, controls: TrapControls) -> bool:
    """HCPTR.TCP10/11 trap a VFP access that CPACR.cp10 grants (B1.14.10); a
    CPACR-denied access is UNDEFINED first (B4.1.40)."""
    cp10 = (controls.cpacr >> 20) & 3
    granted = cp10 == 3 if mode == Mode.USR else bool(cp10 & 1)
    return granted and bool(controls.hcptr & (HCPTR_TCP10 | HCPTR_TCP11))


# QEMU 7.2 (the golden model) leaves these untrapped from AArch32 PL1, where
# the ARM ARM traps them: HCR.TWE (its WFE is a plain yield), TID3 (for the
# CP15 ID registers; its VMRS of MVFRx does trap), TSW, TIDCP, TPC, TPU, and
# TID1 for TCMTR/TLBTR/REVIDR (AIDR does trap). The RTL and this model follow
# the ARM ARM, and with qemu_compat leave exactly these out, which is how the
# RTL runs in lockstep with QEMU (hypsim run --compare-qemu).
QEMU_UNTRAPPED = (HCR.TWE, HCR.TID3, HCR.TSW, HCR.TIDCP, HCR.TPC, HCR.TPU)


def cp15_trap(acc: CoprocAccess, controls: TrapControls) -> str | None:
    """The control that traps this CP15 access from PL1/PL0 to Hyp, or None.

    HSTR.Tn traps CRn == n for MCR/MRC and CRm == n for MCRR/MRRC (B4.1.73);
    HSTR.T4 and T14 are reserved (B1.14.4).
    """
    n = acc.crm if acc.is64 else acc.crn
    if n not in (4, 14) and controls.hstr & (1 << n):
        return f"HSTR.T{n}"
    if acc.is64:
        # TVM traps writes of the 64-bit TTBR0/TTBR1 (CRm 2, opc1 0 / 1)
        if controls.hcr & HCR.TVM and not acc.read and acc.crm == 2 and acc.opc1 in (0, 1):
            return "TVM"
        return None
    checks: tuple[tuple[HCR, bool], ...] = (
        (HCR.TID1, acc.read and _match(_TID1, acc)),
        (HCR.TID2, _match(_TID2, acc)),
        (HCR.TID3, acc.read and _match(_TID3, acc)),
        (HCR.TAC, _match(_TAC, acc)),
        (HCR.TSW, not acc.read and _match(_TSW, acc)),
        (HCR.TPC, not acc.read and _match(_TPC, acc)),
        (HCR.TPU, not acc.read and _match(_TPU, acc)),
        (HCR.TTLB, not acc.read and _match(_TTLB, acc)),
        (HCR.TVM, not acc.read and _match(_TVM, acc)),
        (HCR.TIDCP, _tidcp(acc)),
    )
    for bit, hit in checks:
        if hit and controls.hcr & bit and not (controls.qemu_compat and bit in QEMU_UNTRAPPED):
            if bit == HCR.TID1 and controls.qemu_compat and acc.opc1 == 0:
                continue          # QEMU traps AIDR only
            return bit.name
    return None


def trap_class(instr: int, mode: int, controls: TrapControls,
               cond_reporting: str = "qemu") -> Syndrome | None:
    """The syndrome of the trap to Hyp that ``instr`` (condition passed) takes
    when executed in ``mode`` under ``controls``, or None if it does not trap.

    Covers HVC, SMC (HCR.TSC), WFI/WFE (HCR.TWI/TWE), VFP (HCPTR) and CP15
    MCR/MRC/MCRR/MRRC.
    HVC from User mode is UNDEFINED, not a trap; nothing traps from Hyp mode; a
    PL0 access UNDEFINED at PL0 stays UNDEFINED.
    """
    if mode == Mode.HYP:
        return None
    if is_hvc(instr):
        return None if mode == Mode.USR else Syndrome(EC.HVC, 1, iss_hvc(instr))
    if is_smc(instr):
        if mode != Mode.USR and controls.hcr & HCR.TSC:
            return Syndrome(EC.SMC, 1, 0)
        return None
    if is_wfx(instr):
        bit = HCR.TWE if is_wfe(instr) else HCR.TWI
        if not controls.hcr & bit or (controls.qemu_compat and bit in QEMU_UNTRAPPED):
            return None
        return Syndrome(EC.WFI_WFE, 1, iss_wfx(instr, cond_reporting))
    if is_vfp(instr):
        if vfp_trap(mode, controls):
            return Syndrome(EC.HCPTR, 1, iss_hcptr(instr, cond_reporting))
        if vmrs_id_trap(instr, mode, controls):
            return Syndrome(EC.VMRS, 1, iss_vmrs(instr, cond_reporting))
        return None
    acc = decode_coproc(instr)
    if acc is None or acc.coproc != 15 or (acc.opc1 == 4 and not is_cbar(acc)):
        return None       # Hyp registers are UNDEFINED outside Hyp mode, never trapped
    if (acc.crm if acc.is64 else acc.crn) == 14:
        # the generic timer (B8.1.2): CNTHCTL traps PL1/PL0 accesses to Hyp
        if timer_trap(acc, mode, controls):
            ec = EC.MCRR_MRRC_CP15 if acc.is64 else EC.MCR_MRC_CP15
            return Syndrome(ec, 1, iss_coproc(acc, instr, cond_reporting))
        return None
    if mode == Mode.USR and not pl0_accessible(acc):
        return None       # UNDEFINED at PL0 has priority over the trap (B1.14.1)
    if cp15_trap(acc, controls) is not None:
        ec = EC.MCRR_MRRC_CP15 if acc.is64 else EC.MCR_MRC_CP15
        return Syndrome(ec, 1, iss_coproc(acc, instr, cond_reporting))
    return None


# --- traps from T32 code (issue 13) -------------------------------------------------
# A T32 instruction is passed as the ARM ARM writes it: a 16-bit one as its
# halfword, a 32-bit one as hw1:hw2 (first halfword in bits 31:16, A6.1).
#
# Measured on QEMU 7.2 (-M virt,virtualization=on -cpu cortex-a15) with
# tests/data/t32_hsr_probe.S (PL1 Thumb code, Hyp handler printing HSR, ELR
# and SPSR; its header has the command, tests/test_hsr_t32.py every value):
#   WFI (16-bit)             outside an IT block and inside IT EQ/ITT EQ/IT NE/ITET LT/IT AL:
#                            0x05e00000   EC 0x01, IL 0, CV 1, COND 0xE
#   WFI.W (32-bit)           outside and inside ITE MI: 0x07e00000   IL 1
#   MRC p15,0,r3,c1,c0,0     outside and inside ITTT EQ: 0x0fe00461   IL 1, COND 0xE
#   MCR p15,0,r3,c1,c0,2     outside and inside ITET LT: 0x0fe40460
#   HVC #0x1234              0x4a001234, ELR_hyp = the next instruction
#   a WFIPL in IT PL whose condition fails: no trap
# So QEMU reports IL = the instruction's width and CV = 1, COND = 0xE whether
# or not the instruction is in an IT block (its translator never fishes the
# condition out of ITSTATE); ELR_hyp is the trapped instruction (HVC: the next).
# SPSR_hyp.IT: an MRC/MCR trap saves the instruction's own ITSTATE, but a WFI
# trap saves ITSTATE already advanced past the WFI (QEMU runs its WFI helper
# after the translator has stepped the IT state): see spsr_itstate_on_trap.

def t32_is_32bit(hw1: int) -> bool:
    """Whether a T32 instruction whose first halfword is ``hw1`` is 32 bits wide (A6.1)."""
    return t32.is_32bit(hw1)


def t32_to_a32(instr: int, wide: bool) -> int | None:
    """The A32 word with the same trap behaviour as this T32 instruction, or None when
    it cannot trap to Hyp mode: WFI/WFE (T1 16-bit, T2 32-bit), HVC (T1), SMC (T1),
    and the coprocessor space (A6.3.18), whose hw1:hw2 layout *is* the A32 one with
    cond = 0b1110 (MCR/MRC/MCRR/MRRC/LDC/STC/CDP and VFP) or 0b1111 (the "2" forms)."""
    if not wide:
        if instr & 0xFFFF in (0xBF30, 0xBF20):                 # WFI, WFE (A8.8.425, A8.8.424)
            return 0xE320_F003 if instr & 0xFFFF == 0xBF30 else 0xE320_F002
        return None
    instr &= 0xFFFF_FFFF
    if instr in (0xF3AF_8003, 0xF3AF_8002):                    # WFI.W, WFE.W
        return 0xE320_F003 if instr == 0xF3AF_8003 else 0xE320_F002
    if instr & 0xFFF0_F000 == 0xF7E0_8000:                     # HVC #imm4:imm12 (B9.3.4)
        imm16 = ((instr >> 4) & 0xF000) | (instr & 0xFFF)
        return 0xE140_0070 | ((imm16 >> 4) << 8) | (imm16 & 0xF)
    if instr & 0xFFF0_FFFF == 0xF7F0_8000:                     # SMC #imm4 (B9.3.14)
        return 0xE160_0070 | ((instr >> 16) & 0xF)
    # 111x 11xx: the coprocessor space; 111x 1111 is Advanced SIMD data processing
    if instr >> 29 == 0b111 and (instr >> 26) & 0b11 == 0b11 and (instr >> 24) & 0xF != 0xF:
        return instr
    return None


def spsr_itstate_on_trap(itstate: int, instr: int, wide: bool, qemu: bool = True) -> int:
    """SPSR_hyp.IT after a trap of this T32 instruction, taken with ``itstate``: the
    instruction's own ITSTATE (B1.8.3), except QEMU 7.2's WFI/WFE, which saves it advanced."""
    a32 = t32_to_a32(instr, wide)
    if qemu and a32 is not None and is_wfx(a32):
        return it_advance(itstate)
    return itstate


def trap_class_t32(instr: int, mode: int, controls: TrapControls, itstate: int = 0,
                   cond_reporting: str = "qemu") -> Syndrome | None:
    """:func:`trap_class` for a condition-passed T32 instruction (hw1:hw2 when 32-bit,
    the halfword when 16-bit; the width comes from the first halfword).

    IL is 0 for a 16-bit instruction (B3.13.6). CV/COND: ``"qemu"`` gives CV = 1,
    COND = 0xE in and outside IT blocks (measured, see above); ``"instruction"``
    gives the other form B3.13.6 permits: the condition from ITSTATE inside an IT
    block, 0xE outside one."""
    wide = instr > 0xFFFF and t32_is_32bit(instr >> 16)
    if not wide and instr > 0xFFFF:
        raise ValueError(f"{instr:#x}: a 32-bit T32 instruction's first halfword must start "
                         "0b11101, 0b11110 or 0b11111")
    a32 = t32_to_a32(instr, wide)
    if a32 is None:
        return None
    syn = trap_class(a32, mode, controls, "qemu")
    if syn is None:
        return None
    iss = syn.iss
    if cond_reporting == "instruction" and syn.ec not in (EC.HVC, EC.SMC):
        cond = it_cond(itstate)
        iss = (iss & ~(0xF << 20)) | ((COND_AL if cond is None else cond) << 20)
    elif cond_reporting not in ("qemu", "instruction"):
        raise ValueError(f"cond_reporting must be 'qemu' or 'instruction', not {cond_reporting!r}")
    return Syndrome(syn.ec, int(wide), iss)


# --- exceptions taken from Hyp mode (B1.8.1, B3.13.6 "Use of the HSR") -------------
# Hyp vector table offsets (B1.8.1 table B1-3 "The Hyp mode vector table")
HYP_VECTOR_UNDEF = 0x04     # Undefined Instruction from Hyp mode
HYP_VECTOR_SVC_HVC = 0x08   # Supervisor Call and Hypervisor Call taken from Hyp mode
HYP_VECTOR_PABT = 0x0C      # Prefetch Abort from Hyp mode
HYP_VECTOR_DABT = 0x10      # Data Abort from Hyp mode
HYP_VECTOR_TRAP = 0x14      # Hyp Trap (from PL1/PL0): traps, HVC, stage-2 aborts
HYP_VECTOR_IRQ = 0x18       # IRQ routed to Hyp mode (HCR.IMO) or taken in Hyp mode
HYP_VECTOR_FIQ = 0x1C       # FIQ routed to Hyp mode (HCR.FMO) or taken in Hyp mode

#: SVC 0x123456 is the semihosting call (ARM state): the host serves it from every
#: mode but User, and no exception is taken (as qemu-system-arm -semihosting does)
SEMIHOSTING_SVC_IMM = 0x123456

#: Coprocessors with no register space on this core or on QEMU's cortex-a15 (ARMv7:
#: 0-7 are IMPLEMENTATION DEFINED and unused here; QEMU's valid_cp() accepts them and
#: then finds no register): MCR/MRC/MCRR/MRRC/CDP to them are UNDEFINED. Not 8, 9, 12,
#: 13 (reserved space that QEMU decodes elsewhere), 10/11 (VFP) or 14 (QEMU's debug
#: registers), and not 0/1 (XScale/iWMMXt space on other cores).
UNALLOCATED_COPROCS = (4, 5, 6, 7)


def is_svc(instr: int) -> bool:
    return (instr >> 28) != 0xF and (instr >> 24) & 0xF == 0xF


def is_semihosting(instr: int) -> bool:
    return is_svc(instr) and instr & 0xFF_FFFF == SEMIHOSTING_SVC_IMM


def is_udf(instr: int) -> bool:
    """UDF #imm16 (A8.8.247): the permanently UNDEFINED encoding, cond = AL."""
    return instr & 0xFFF0_00F0 == 0xE7F0_00F0


def is_unallocated_coproc(instr: int) -> bool:
    """MCR/MRC (32-bit), MCRR/MRRC (64-bit) or CDP to a coprocessor of UNALLOCATED_COPROCS,
    with cond = AL only: the model predicts no condition-failed UNDEFINED case (QEMU and
    the core both treat one as a NOP, but the streams do not rely on that)."""
    if (instr >> 28) != 0xE or (instr >> 8) & 0xF not in UNALLOCATED_COPROCS:
        return False
    mcr_mrc_cdp = (instr >> 24) & 0xF == 0xE
    mcrr_mrrc = instr & 0x0FE0_0000 == 0x0C40_0000
    return mcr_mrc_cdp or mcrr_mrrc


def is_known_undefined(instr: int) -> bool:
    """Encodings this model knows to be UNDEFINED in every mode (UDF, unallocated coprocessors)."""
    return is_udf(instr) or is_unallocated_coproc(instr)


def iss_svc(instr: int) -> int:
    """ISS for EC 0x11: imm16, the low half of the SVC's imm24 (B3.13.6)."""
    return instr & 0xFFFF


#: UNDEFINED reported with EC 0x00: IL and ISS are UNK/SBZP on ARMv7 (B3.13.6); QEMU 7.2
#: clears IL for a v7 CPU (arm_cpu_do_interrupt_aarch32_hyp) and so does the RTL
UNKNOWN_SYNDROME = Syndrome(EC.UNKNOWN, 0, 0)


@dataclass(frozen=True)
class HypModeException:
    """What an instruction executed in Hyp mode takes, to Hyp mode (B1.8.1, B3.13.6).

    ``kind`` names the exception ("undefined", "svc", "hvc"), ``offset`` is its
    Hyp vector offset, ``syndrome`` the HSR written on entry, and
    ``return_offset`` the preferred return address (ELR_hyp) minus the
    instruction's address (B1.8.3 table B1-7): 0 for UNDEFINED (the
    instruction itself), 4 for SVC and HVC (the next instruction).
    """

    kind: str
    offset: int
    syndrome: Syndrome
    return_offset: int


def hyp_mode_exception(instr: int, controls: TrapControls) -> HypModeException | None:
    """The exception a condition-passed A32 instruction executed in Hyp mode takes,
    as far as its encoding decides, or None (it does not take one, or the model
    does not know: other UNDEFINED encodings are checked only for their entry).

    - SVC: Supervisor Call taken to Hyp mode, HVBAR+0x08, EC 0x11, IL 1, imm16
      (the semihosting SVC 0x123456 takes none);
    - HVC: Hypervisor Call from Hyp mode, HVBAR+0x08, EC 0x12, IL 1, imm16;
    - a VFP access while HCPTR.TCP10/11 is set: UNDEFINED in Hyp mode, taken to
      HVBAR+0x04 and reported with EC 0x07 (B1.14.10);
    - UDF and the unallocated coprocessors: UNDEFINED, HVBAR+0x04, EC 0x00.
    SMC takes none: in Hyp mode it is a PSCI call (:func:`smc_is_psci_call`).
    """
    if is_svc(instr):
        if is_semihosting(instr):
            return None
        return HypModeException("svc", HYP_VECTOR_SVC_HVC, Syndrome(EC.SVC_HYP, 1, iss_svc(instr)), 4)
    if is_hvc(instr):
        return HypModeException("hvc", HYP_VECTOR_SVC_HVC, Syndrome(EC.HVC, 1, iss_hvc(instr)), 4)
    if is_vfp(instr) and controls.hcptr & (HCPTR_TCP10 | HCPTR_TCP11):
        return HypModeException("undefined", HYP_VECTOR_UNDEF, Syndrome(EC.HCPTR, 1, iss_hcptr(instr)), 0)
    if is_known_undefined(instr):
        return HypModeException("undefined", HYP_VECTOR_UNDEF, UNKNOWN_SYNDROME, 0)
    return None


def hyp_entry_cpsr(cpsr_before: int) -> int:
    """CPSR after any exception entry to Hyp mode (B1.8.3 "Exception entry" for Hyp
    mode): mode Hyp, A, I, F set, IT[7:0], J, T cleared, E := HSCTLR.EE (0 here:
    little-endian only), the flags, Q and GE kept."""
    keep = cpsr_before & ~(0x1F | (3 << 25) | (1 << 24) | (0x3F << 10) | (1 << 9) | (1 << 5))
    return keep | (1 << 8) | (1 << 7) | (1 << 6) | Mode.HYP


# --- T32 code in the scoreboards (issue 13): Hyp-mode exceptions, data aborts ----------
#: the T32 semihosting call, SVC #0xab (16-bit): served by the host, no exception
T32_SEMIHOSTING_SVC_IMM = 0xAB


def t32_size(instr: int) -> int:
    """Size in bytes of a T32 instruction in the form above (hw1:hw2 or the halfword)."""
    return 4 if instr > 0xFFFF else 2


def hyp_mode_exception_t32(instr: int, controls: TrapControls) -> HypModeException | None:
    """:func:`hyp_mode_exception` for a condition-passed T32 instruction executed in Hyp
    mode: SVC #imm8 (16-bit: EC 0x11, IL 0, ISS imm8, ELR_hyp = address + 2), HVC
    (32-bit, EC 0x12), UDF #imm8 / UDF.W #imm16 (EC 0x00) and the coprocessor space,
    whose hw1:hw2 layout is the A32 one (VFP under HCPTR, the unallocated coprocessors).
    The ELR_hyp offsets are the next instruction's for SVC/HVC (B1.8.3)."""
    if instr <= 0xFFFF:
        if instr & 0xFF00 == 0xDF00:                           # SVC T1 (A8.8.228)
            if instr & 0xFF == T32_SEMIHOSTING_SVC_IMM:
                return None
            return HypModeException("svc", HYP_VECTOR_SVC_HVC, Syndrome(EC.SVC_HYP, 0, instr & 0xFF), 2)
        if instr & 0xFF00 == 0xDE00:                           # UDF T1 (A8.8.247)
            return HypModeException("undefined", HYP_VECTOR_UNDEF, UNKNOWN_SYNDROME, 0)
        return None
    if instr & 0xFFF0_F000 == 0xF7F0_A000:                     # UDF T2
        return HypModeException("undefined", HYP_VECTOR_UNDEF, UNKNOWN_SYNDROME, 0)
    a32 = t32_to_a32(instr, True)
    return None if a32 is None else hyp_mode_exception(a32, controls)


def _a32_word(load: int, byte: int, rt: int, rn: int, p: int = 1, w: int = 0) -> int:
    return 0xE480_0000 | (p << 24) | (byte << 22) | (w << 21) | (load << 20) | (rn << 16) | (rt << 12)


def _a32_half(load: int, signed: int, half: int, rt: int, rn: int, p: int = 1, w: int = 0) -> int:
    return (0xE0C0_0090 | (p << 24) | (w << 21) | (load << 20) | (rn << 16) | (rt << 12)
            | (signed << 6) | (half << 5))


_A32_LDM, _A32_STM = 0xE890_0000, 0xE880_0000
_A32_LDREX, _A32_STREX = 0xE190_0F9F, 0xE180_0F90
_A32_LDRD, _A32_STRD = 0xE1C0_00D0, 0xE1C0_00F0


def t32_ldst_to_a32(instr: int) -> int | None:
    """An A32 load/store word that a data abort reports like this T32 one: the same
    load/store direction, access size and sign, Rt, and offset addressing (P = 1,
    W = 0) or not, so that ``mmu_faults.data_abort_instr_syndrome`` gives its ISV,
    SAS, SSE, SRT and WnR (QEMU 7.2's make_issinfo: ISV for a single load/store
    without writeback, T32 as A32); None for an instruction that does not access data
    this way. LDM/STM/PUSH/POP, LDRD/STRD, the exclusives and TBB/TBH (no ISV in
    QEMU) map to A32 forms without ISV. HSR.IL is the caller's: 0 for a 16-bit one."""
    if instr <= 0xFFFF:
        hw = instr
        low_rt, low_rn = hw & 7, (hw >> 3) & 7
        load = (hw >> 11) & 1
        if hw >> 11 == 0b01001:                                # LDR (literal) T1
            return _a32_word(1, 0, (hw >> 8) & 7, 15)
        if hw >> 12 == 0b0101:                                 # load/store register offset
            return (_a32_word(0, 0, low_rt, low_rn), _a32_half(0, 0, 1, low_rt, low_rn),
                    _a32_word(0, 1, low_rt, low_rn), _a32_half(1, 1, 0, low_rt, low_rn),
                    _a32_word(1, 0, low_rt, low_rn), _a32_half(1, 0, 1, low_rt, low_rn),
                    _a32_word(1, 1, low_rt, low_rn), _a32_half(1, 1, 1, low_rt, low_rn))[(hw >> 9) & 7]
        if hw >> 12 in (0b0110, 0b0111):                       # LDR/STR{,B} immediate
            return _a32_word(load, (hw >> 12) & 1, low_rt, low_rn)
        if hw >> 12 == 0b1000:                                 # LDRH/STRH immediate
            return _a32_half(load, 0, 1, low_rt, low_rn)
        if hw >> 12 == 0b1001:                                 # LDR/STR SP-relative
            return _a32_word(load, 0, (hw >> 8) & 7, 13)
        if hw & 0xF600 == 0xB400:                              # PUSH / POP
            return _A32_LDM if load else _A32_STM
        if hw >> 12 == 0b1100:                                 # LDM / STM
            return _A32_LDM if load else _A32_STM
        return None
    hw1, hw2 = instr >> 16, instr & 0xFFFF
    load = (hw1 >> 4) & 1
    if hw1 & 0xFE00 == 0xF800:                                 # single load/store (A6.3.7-A6.3.10)
        signed, size, rn, rt = (hw1 >> 8) & 1, (hw1 >> 5) & 3, hw1 & 0xF, hw2 >> 12
        if size == 3 or (signed and not load):
            return None
        if hw1 & 0x80 or rn == 15 or not hw2 & 0x800 or (hw2 >> 8) & 0xF == 0b1110:
            p, w = 1, 0                                        # imm12, literal, register; LDRT family
        else:                                                  # ([Rn, #imm8], no writeback: ISV, B3.13.6)
            p, w = (hw2 >> 10) & 1, (hw2 >> 8) & 1             # imm8 with P, U, W
        if size == 2 or (size == 0 and not signed):
            return _a32_word(load, int(size == 0), rt, rn, p, w)
        return _a32_half(load, signed, size, rt, rn, p, w)
    if hw1 & 0xFE40 == 0xE800:                                 # LDM / STM / SRS / RFE
        return _A32_LDM if load else _A32_STM
    if hw1 & 0xFE40 == 0xE840:                                 # dual, exclusive, table branch
        if hw1 & 0xFFF0 == 0xE8D0 and hw2 & 0xFFE0 == 0xF000:
            return _A32_LDM                                    # TBB / TBH: a load without ISV
        if (hw1 >> 7) & 3 == 0 and not (hw1 >> 5) & 1:
            return _A32_LDREX if load else _A32_STREX          # LDREX/STREX and the B/H/D forms
        if (hw1 >> 7) & 3 == 1 and not (hw1 >> 5) & 1:
            return _A32_LDREX if load else _A32_STREX
        return _A32_LDRD if load else _A32_STRD
    a32 = t32_to_a32(instr, True)                              # VLDR/VSTR/VLDM/VSTM (coprocessor space)
    return a32 if a32 is not None and (a32 >> 25) & 7 == 0b110 else None

"""Abort reporting constants and syndromes for the two-stage MMU.

The one place that knows the long-descriptor fault status encodings (ARM ARM
ARMv7-A/R B3.13.3, table B3-24 "Long-descriptor format FSR encodings"), the
HSR exception classes for aborts (B3.13.6, table B3-20) and the layout of the
DFSR/IFSR, HSR ISS, HPFAR and PAR values the MMU produces.
The HSR exception classes come from tb/models/hsr.py.

Split of the HSR ISS (data abort, B3.13.6 "ISS encoding for ... Data Abort"):
the MMU fills EA[9], S1PTW[7], WnR[6] and DFSC[5:0]; the core fills
ISV[24], SAS[23:22], SSE[21], SRT[19:16] from the instruction (the MMU
always reports ISV = 0) and CM[8] (0: no cache maintenance goes through it).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from .hsr import EC


class FaultType(IntEnum):
    """Fault kinds and the FS[5:2] of their long-descriptor status (B3-24)."""

    TRANSLATION = 0b0001
    ACCESS_FLAG = 0b0010
    PERMISSION = 0b0011
    EXT_ABORT_WALK = 0b0101


class AccessKind(IntEnum):
    LOAD = 0
    STORE = 1
    FETCH = 2


#: HSR.EC values for aborts, from the one EC table (tb/models/hsr.py, B3.13.6).
EC_IABT_LOWER = EC.IABT_LOWER   # Prefetch Abort routed to Hyp mode (stage 2, from PL0/PL1)
EC_IABT_HYP = EC.IABT_HYP       # Prefetch Abort taken from Hyp mode
EC_DABT_LOWER = EC.DABT_LOWER   # Data Abort routed to Hyp mode (stage 2, from PL0/PL1)
EC_DABT_HYP = EC.DABT_HYP       # Data Abort taken from Hyp mode

ISS_EA = 1 << 9
ISS_S1PTW = 1 << 7
ISS_WNR = 1 << 6
FSR_EXT = 1 << 12
FSR_WNR = 1 << 11
FSR_LPAE = 1 << 9
PAR_LPAE = 1 << 11
PAR_NS = 1 << 9


@dataclass(frozen=True)
class Fault:
    """A translation fault, before it is turned into register values."""

    type: FaultType
    level: int
    stage: int            # 1 or 2 (2: reported to Hyp as a stage-2 abort)
    s1ptw: bool = False   # stage-2 fault on a stage-1 table-walk access
    ipa: int = 0          # the faulting IPA of a stage-2 fault

    @property
    def fs(self) -> int:
        """FS / FSC / FST: {type, level} (table B3-24)."""
        return (int(self.type) << 2) | self.level


@dataclass(frozen=True)
class AbortReport:
    """What the hardware writes for an abort (the core adds ISV/SAS/SSE/SRT)."""

    to_hyp: bool
    ec: int           # HSR.EC (0 when the abort goes to PL1)
    iss: int          # HSR.ISS, the MMU-owned bits (0 when not to Hyp)
    fsr: int          # DFSR/IFSR long format (0 when to Hyp)
    far: int          # DFAR/IFAR or HDFAR/HIFAR: the faulting VA
    hpfar: int        # IPA[39:12] in bits [31:4] for stage-2 faults, else 0
    hpfar_valid: bool  # architecturally valid (B4.1.70); see hpfar_is_valid


def hpfar_is_valid(fault: Fault) -> bool:
    """HPFAR is UNKNOWN for a stage-2 Permission fault not taken on a stage-1
    table walk (B4.1.70). KVM/ARM (arch/arm/kvm/hyp, __populate_fault_info)
    therefore redoes the stage-1 walk with ATS1CPR on HDFAR/HIFAR in that case.
    The RTL reports the correct IPA anyway; this flag only says whether software
    may rely on it."""
    return fault.stage == 2 and not (fault.type == FaultType.PERMISSION and not fault.s1ptw)


def ext_abort_bit(fault: Fault) -> bool:
    """EA / ExT: IMPLEMENTATION DEFINED classification; this MMU sets it for
    synchronous external aborts on table walks and clears it otherwise."""
    return fault.type == FaultType.EXT_ABORT_WALK


def abort_report(fault: Fault, va: int, kind: AccessKind, hyp_regime: bool) -> AbortReport:
    """Register values for a fault on an access (not an ATS operation)."""
    fetch = kind == AccessKind.FETCH
    wnr = kind == AccessKind.STORE
    ea = ext_abort_bit(fault)
    if fault.stage == 2 or hyp_regime:
        if fault.stage == 2:
            ec = EC_IABT_LOWER if fetch else EC_DABT_LOWER
        else:
            ec = EC_IABT_HYP if fetch else EC_DABT_HYP
        iss = fault.fs | (ISS_EA if ea else 0) | (ISS_S1PTW if fault.s1ptw else 0)
        if wnr and not fetch:
            iss |= ISS_WNR
        hpfar = ((fault.ipa >> 12) << 4) & 0xFFFF_FFF0 if fault.stage == 2 else 0
        return AbortReport(True, ec, iss, 0, va, hpfar, hpfar_is_valid(fault))
    fsr = fault.fs | FSR_LPAE | (FSR_EXT if ea else 0) | (FSR_WNR if wnr and not fetch else 0)
    return AbortReport(False, 0, 0, fsr, va, 0, False)


def par_fault(fault: Fault) -> int:
    """64-bit PAR after a faulting ATS operation (B4.1.112, LPAE format, F=1):
    FST[6:1], S2WLK[8], FSTAGE[9], LPAE[11]."""
    return (1 | (fault.fs << 1) | (int(fault.s1ptw) << 8) | (int(fault.stage == 2) << 9)
            | PAR_LPAE)


def par_ok(pa: int, attr: int, sh: int) -> int:
    """64-bit PAR after a successful ATS operation (F=0): ATTR[63:56], PA[39:12],
    LPAE[11], NS[9], SH[8:7]. NS is 1: without Security Extensions every walk
    is Non-secure (the ARM ARM leaves the bit UNKNOWN there; QEMU reports 1)."""
    return (attr << 56) | (pa & 0xFF_FFFF_F000) | PAR_LPAE | PAR_NS | (sh << 7)


# ---------------------------------------------------------------- the core's part
ISS_ISV = 1 << 24
HSR_IL = 1 << 25


def data_abort_instr_syndrome(instr: int, s1ptw: bool) -> tuple[int, int]:
    """(HSR.IL, ISS bits) the core adds to a stage-2 Data Abort of A32 ``instr``
    (B3.13.6): ISV[24], SAS[23:22], SSE[21], SRT[19:16], and WnR[6] (the MMU's,
    decodable too: every load/store class has L in bit 20, except LDRD/STRD,
    whose bit 20 is 0 and whose op2 (bits 6:5) says 0b10 load, 0b11 store).

    ISV = 1 only for LDR/STR{,B} and LDRH/STRH/LDRSB/LDRSH with offset addressing
    (P = 1, W = 0; QEMU's rule, see rtl/core/arm_exc_unit.sv) and not for a stage-1
    walk's fault; IL is 1 with ISV and 0 without, as QEMU 7.2 reports (UNK/SBZP).
    """
    extra = (instr >> 25) & 7 == 0 and instr & 0x90 == 0x90 and (instr >> 5) & 3
    if extra and not instr & (1 << 20) and (instr >> 5) & 2:
        load = (instr >> 5) & 3 == 0b10                                # LDRD / STRD (A8.8.72, A8.8.210)
    else:
        load = bool(instr & (1 << 20))
    wnr = 0 if load else ISS_WNR
    offset_form = bool(instr & (1 << 24)) and not instr & (1 << 21)
    rt = (instr >> 12) & 0xF
    sas = sse = None
    if (instr >> 26) & 3 == 0b01 and not (instr & (1 << 25) and instr & (1 << 4)):
        sas, sse = (0 if instr & (1 << 22) else 2), 0               # LDR/STR word and byte
    elif extra:
        op2 = (instr >> 5) & 3
        if op2 == 0b01:
            sas, sse = 1, 0                                          # LDRH/STRH
        elif instr & (1 << 20):
            sas, sse = (0 if op2 == 0b10 else 1), 1                  # LDRSB/LDRSH
        # else LDRD/STRD: no ISS
    if sas is None or not offset_form or s1ptw:
        return 0, wnr
    return HSR_IL, ISS_ISV | (sas << 22) | (sse << 21) | (rt << 16) | wnr

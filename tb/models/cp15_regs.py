"""The one table of CP15 register and operation encodings (ARM ARM ARMv7-A/R B4.1,
B3.17 "Organization of the CP15 registers in a VMSA implementation", and B8 for the
generic timer's c14 registers), by ARM ARM name.

Every other place that needs an encoding takes it from here by name (the Hyp-trap
model's HCR.TVM/TAC/TID lists, the world-switch model's emulated registers, the
Hyp-trap scoreboard's trap controls), and tests/test_cp15_table_agrees.py checks the
copies the other languages must keep -- the RTL decode of rtl/core/arm_cp15.sv, the
firmware's accessors in firmware/include/cp15.h and the host's trapped-register table in
firmware/host/coproc.c, the generic-timer model's table -- against this one, so an
encoding typed wrongly anywhere fails a test that names the register and both values.

A 32-bit register (MRC/MCR) is (CRn, opc1, CRm, opc2); a 64-bit one (MRRC/MCRR) is
(opc1, CRm) and has crn = opc2 = 0 here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cp15Reg:
    name: str
    crn: int
    opc1: int
    crm: int
    opc2: int
    is64: bool = False

    @property
    def key(self) -> tuple[int, int, int, int]:
        """(CRn, opc1, CRm, opc2): the order of the MRC/MCR encoding's fields."""
        return (self.crn, self.opc1, self.crm, self.opc2)


def _r(name: str, crn: int, opc1: int, crm: int, opc2: int) -> Cp15Reg:
    return Cp15Reg(name, crn, opc1, crm, opc2)


def _r64(name: str, opc1: int, crm: int) -> Cp15Reg:
    return Cp15Reg(name, 0, opc1, crm, 0, is64=True)


REGISTERS: tuple[Cp15Reg, ...] = (
    # c0: identification (B4.1.105 MIDR, B4.1.106 MPIDR, B4.1.40 CTR, B4.1.19 CCSIDR ...)
    _r("MIDR", 0, 0, 0, 0), _r("CTR", 0, 0, 0, 1), _r("TCMTR", 0, 0, 0, 2), _r("TLBTR", 0, 0, 0, 3),
    _r("MPIDR", 0, 0, 0, 5), _r("REVIDR", 0, 0, 0, 6),
    _r("ID_PFR0", 0, 0, 1, 0), _r("ID_PFR1", 0, 0, 1, 1), _r("ID_DFR0", 0, 0, 1, 2), _r("ID_AFR0", 0, 0, 1, 3),
    _r("ID_MMFR0", 0, 0, 1, 4), _r("ID_MMFR1", 0, 0, 1, 5), _r("ID_MMFR2", 0, 0, 1, 6), _r("ID_MMFR3", 0, 0, 1, 7),
    _r("ID_ISAR0", 0, 0, 2, 0), _r("ID_ISAR1", 0, 0, 2, 1), _r("ID_ISAR2", 0, 0, 2, 2), _r("ID_ISAR3", 0, 0, 2, 3),
    _r("ID_ISAR4", 0, 0, 2, 4), _r("ID_ISAR5", 0, 0, 2, 5),
    _r("CCSIDR", 0, 1, 0, 0), _r("CLIDR", 0, 1, 0, 1), _r("AIDR", 0, 1, 0, 7), _r("CSSELR", 0, 2, 0, 0),
    _r("VPIDR", 0, 4, 0, 0), _r("VMPIDR", 0, 4, 0, 5),
    # c1: system control (B4.1.130 SCTLR, B4.1.3 ACTLR, B4.1.40 CPACR) and the Hyp controls
    _r("SCTLR", 1, 0, 0, 0), _r("ACTLR", 1, 0, 0, 1), _r("CPACR", 1, 0, 0, 2),
    _r("HSCTLR", 1, 4, 0, 0), _r("HACTLR", 1, 4, 0, 1),
    _r("HCR", 1, 4, 1, 0), _r("HDCR", 1, 4, 1, 1), _r("HCPTR", 1, 4, 1, 2), _r("HSTR", 1, 4, 1, 3),
    _r("HACR", 1, 4, 1, 7),
    # c2, c3: translation table bases and controls (B4.1.153-156, B4.1.43)
    _r("TTBR0", 2, 0, 0, 0), _r("TTBR1", 2, 0, 0, 1), _r("TTBCR", 2, 0, 0, 2),
    _r("HTCR", 2, 4, 0, 2), _r("VTCR", 2, 4, 1, 2), _r("DACR", 3, 0, 0, 0),
    # c5, c6: fault status and address (B4.1.52, B4.1.96, B4.1.6, B4.1.51, B4.1.95)
    _r("DFSR", 5, 0, 0, 0), _r("IFSR", 5, 0, 0, 1), _r("ADFSR", 5, 0, 1, 0), _r("AIFSR", 5, 0, 1, 1),
    _r("HSR", 5, 4, 2, 0),
    _r("DFAR", 6, 0, 0, 0), _r("IFAR", 6, 0, 0, 2),
    _r("HDFAR", 6, 4, 0, 0), _r("HIFAR", 6, 4, 0, 2), _r("HPFAR", 6, 4, 0, 4),
    # c7: PAR, cache maintenance and address translation (B4.2.1, B4.2.4)
    _r("PAR", 7, 0, 4, 0), _r("ICIALLUIS", 7, 0, 1, 0), _r("ICIALLU", 7, 0, 5, 0), _r("ICIMVAU", 7, 0, 5, 1),
    _r("DCIMVAC", 7, 0, 6, 1), _r("DCISW", 7, 0, 6, 2),
    _r("ATS1CPR", 7, 0, 8, 0), _r("ATS1CPW", 7, 0, 8, 1), _r("ATS1CUR", 7, 0, 8, 2), _r("ATS1CUW", 7, 0, 8, 3),
    _r("ATS12NSOPR", 7, 0, 8, 4), _r("ATS12NSOPW", 7, 0, 8, 5), _r("ATS12NSOUR", 7, 0, 8, 6),
    _r("ATS12NSOUW", 7, 0, 8, 7), _r("ATS1HR", 7, 4, 8, 0), _r("ATS1HW", 7, 4, 8, 1),
    _r("DCCMVAC", 7, 0, 10, 1), _r("DCCSW", 7, 0, 10, 2), _r("DCCMVAU", 7, 0, 11, 1),
    _r("DCCIMVAC", 7, 0, 14, 1), _r("DCCISW", 7, 0, 14, 2),
    # c8: TLB maintenance (B4.2.2); the Hyp forms have opc1 4
    _r("TLBIALLIS", 8, 0, 3, 0), _r("TLBIALL", 8, 0, 7, 0), _r("TLBIMVA", 8, 0, 7, 1),
    _r("TLBIALLHIS", 8, 4, 3, 0), _r("TLBIALLNSNHIS", 8, 4, 3, 4),
    _r("TLBIALLH", 8, 4, 7, 0), _r("TLBIALLNSNH", 8, 4, 7, 4),
    # c9: Cortex-A15 L2 control (Cortex-A15 TRM 4.3.58, 4.3.59)
    _r("L2CTLR", 9, 1, 0, 2), _r("L2ECTLR", 9, 1, 0, 3),
    # c10: memory attributes (B4.1.127 PRRR/MAIR0, B4.1.111 NMRR/MAIR1, B4.1.7 AMAIRn)
    _r("PRRR", 10, 0, 2, 0), _r("NMRR", 10, 0, 2, 1), _r("AMAIR0", 10, 0, 3, 0), _r("AMAIR1", 10, 0, 3, 1),
    _r("HMAIR0", 10, 4, 2, 0), _r("HMAIR1", 10, 4, 2, 1),
    # c12: vector bases and ISR (B4.1.156 VBAR, B4.1.62 HVBAR, B4.1.92 ISR)
    _r("VBAR", 12, 0, 0, 0), _r("ISR", 12, 0, 1, 0), _r("HVBAR", 12, 4, 0, 0),
    # c13: process and thread IDs (B4.1.36, B4.1.148-150)
    _r("FCSEIDR", 13, 0, 0, 0), _r("CONTEXTIDR", 13, 0, 0, 1), _r("TPIDRURW", 13, 0, 0, 2),
    _r("TPIDRURO", 13, 0, 0, 3), _r("TPIDRPRW", 13, 0, 0, 4), _r("HTPIDR", 13, 4, 0, 2),
    # c14: the generic timer (B8.x)
    _r("CNTFRQ", 14, 0, 0, 0), _r("CNTKCTL", 14, 0, 1, 0),
    _r("CNTP_TVAL", 14, 0, 2, 0), _r("CNTP_CTL", 14, 0, 2, 1),
    _r("CNTV_TVAL", 14, 0, 3, 0), _r("CNTV_CTL", 14, 0, 3, 1),
    _r("CNTHCTL", 14, 4, 1, 0), _r("CNTHP_TVAL", 14, 4, 2, 0), _r("CNTHP_CTL", 14, 4, 2, 1),
    # c15: Cortex-A15 configuration base address (Cortex-A15 TRM 4.3.70)
    _r("CBAR", 15, 4, 0, 0),
    # 64-bit registers (MRRC/MCRR: opc1, CRm)
    _r64("TTBR0_64", 0, 2), _r64("TTBR1_64", 1, 2), _r64("PAR_64", 0, 7),
    _r64("HTTBR", 4, 2), _r64("VTTBR", 6, 2),
    _r64("CNTPCT", 0, 14), _r64("CNTVCT", 1, 14), _r64("CNTP_CVAL", 2, 14), _r64("CNTV_CVAL", 3, 14),
    _r64("CNTVOFF", 4, 14), _r64("CNTHP_CVAL", 6, 14),
)

BY_NAME: dict[str, Cp15Reg] = {r.name: r for r in REGISTERS}
_BY_KEY: dict[tuple[bool, tuple[int, int, int, int]], Cp15Reg] = {(r.is64, r.key): r for r in REGISTERS}
assert len(BY_NAME) == len(REGISTERS) == len(_BY_KEY), "a name or an encoding appears twice"


def reg(name: str) -> Cp15Reg:
    """The register called `name` (ARM ARM spelling; the 64-bit views of TTBR0/TTBR1/PAR
    are TTBR0_64, TTBR1_64, PAR_64)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no CP15 register {name!r} in tb/models/cp15_regs.py") from None


def key(name: str) -> tuple[int, int, int, int]:
    """(CRn, opc1, CRm, opc2) of a 32-bit register."""
    return reg(name).key


def opc1_crn_crm_opc2(name: str) -> tuple[int, int, int, int]:
    """(opc1, CRn, CRm, opc2): the order of the MRC/MCR assembler syntax."""
    r = reg(name)
    return (r.opc1, r.crn, r.crm, r.opc2)


def lookup(crn: int, opc1: int, crm: int, opc2: int, is64: bool = False) -> Cp15Reg | None:
    """The register of an encoding, or None when the table does not name it."""
    return _BY_KEY.get((is64, (0, opc1, crm, 0) if is64 else (crn, opc1, crm, opc2)))

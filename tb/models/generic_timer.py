"""Reference model of the ARMv7 Generic Timer as seen through CP15 c14.

ARM ARM ARMv7-A/R chapter B8 (The Generic Timer) and B4.1.21-B4.1.35 (the CNT*
registers). One processor with the Virtualization Extensions and no Secure
state, matching rtl/timer/arm_generic_timer.sv:

- CNTPCT counts up by one per tick; CNTVCT = CNTPCT - CNTVOFF (B8.1.1).
- Three timers (B8.1.5): physical CNTP_* (PPI 30), virtual CNTV_* (PPI 27,
  compares CNTVCT), Hyp CNTHP_* (PPI 26). ISTATUS = count >= CVAL (unsigned
  64-bit) and reads 0 while ENABLE is 0 (as QEMU); the interrupt level is
  ENABLE & ISTATUS & !IMASK. TVAL reads (CVAL - count)[31:0] and a write sets
  CVAL = count + SignExtend(TVAL[31:0]).
- Access control (B8.1.2, B4.1.24 CNTHCTL, B4.1.26 CNTKCTL): see `outcome`.

The event stream is not modelled (its control bits are stored only).
No cocotb here: the same model is unit-tested by pytest and used by the
cocotb block test.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

MASK32 = (1 << 32) - 1
MASK64 = (1 << 64) - 1

CNTFRQ_RESET = 62_500_000          # QEMU virt's generic timer frequency
CNTHCTL_RESET = 0b11               # PL1PCEN | PL1PCTEN (ARMv7; QEMU resets to 3)
CNTKCTL_MASK = 0x3FF               # bits [9:0] stored
CNTHCTL_MASK = 0xFF                # bits [7:0] stored

# Privilege levels on the pl_i port
PL0, PL1, HYP = 0, 1, 2
PLS = (PL0, PL1, HYP)

# CNTKCTL bits (B4.1.26)
KCTL_PL0PCTEN = 1 << 0
KCTL_PL0VCTEN = 1 << 1
KCTL_PL0VTEN = 1 << 8
KCTL_PL0PTEN = 1 << 9
# CNTHCTL bits (B4.1.24)
HCTL_PL1PCTEN = 1 << 0
HCTL_PL1PCEN = 1 << 1

# CTL bits (B4.1.27/.31/.35)
CTL_ENABLE = 1 << 0
CTL_IMASK = 1 << 1
CTL_ISTATUS = 1 << 2

# PPI numbers (GIC interrupt IDs) of the timers
PPI = {"phys": 30, "virt": 27, "hyp": 26}
TIMERS = ("phys", "virt", "hyp")


class Outcome(Enum):
    OK = "OK"
    UNDEFINED = "UNDEFINED"
    TRAP_TO_HYP = "TRAP_TO_HYP"


@dataclass(frozen=True)
class Reg:
    """A CNT* register: name, 32-bit (MRC/MCR) or 64-bit (MRRC/MCRR) encoding."""
    name: str
    is64: bool
    opc1: int
    crm: int
    crn: int = 14        # 32-bit accesses only
    opc2: int = 0        # 32-bit accesses only
    writable: bool = True
    hyp_only: bool = False


REGISTERS: tuple[Reg, ...] = (
    Reg("CNTFRQ", False, 0, 0),
    Reg("CNTKCTL", False, 0, 1),
    Reg("CNTP_TVAL", False, 0, 2, opc2=0),
    Reg("CNTP_CTL", False, 0, 2, opc2=1),
    Reg("CNTV_TVAL", False, 0, 3, opc2=0),
    Reg("CNTV_CTL", False, 0, 3, opc2=1),
    Reg("CNTHCTL", False, 4, 1, hyp_only=True),
    Reg("CNTHP_TVAL", False, 4, 2, opc2=0, hyp_only=True),
    Reg("CNTHP_CTL", False, 4, 2, opc2=1, hyp_only=True),
    Reg("CNTPCT", True, 0, 14, writable=False),
    Reg("CNTVCT", True, 1, 14, writable=False),
    Reg("CNTP_CVAL", True, 2, 14),
    Reg("CNTV_CVAL", True, 3, 14),
    Reg("CNTVOFF", True, 4, 14, hyp_only=True),
    Reg("CNTHP_CVAL", True, 6, 14, hyp_only=True),
)
REG_BY_NAME = {r.name: r for r in REGISTERS}
REG_NAMES = tuple(r.name for r in REGISTERS)
UNKNOWN = "UNKNOWN"

# Which timer a register belongs to, and which field
TIMER_OF = {"CNTP": "phys", "CNTV": "virt", "CNTHP": "hyp"}
PHYS_TIMER_REGS = ("CNTP_TVAL", "CNTP_CTL", "CNTP_CVAL")
VIRT_TIMER_REGS = ("CNTV_TVAL", "CNTV_CTL", "CNTV_CVAL")


@dataclass(frozen=True)
class Access:
    """One MRC/MCR (is64=False) or MRRC/MCRR (is64=True) to CP15 from a PL."""
    write: bool
    is64: bool
    crn: int
    opc1: int
    crm: int
    opc2: int
    pl: int
    wdata: int = 0

    @staticmethod
    def to(name: str, write: bool, pl: int, wdata: int = 0) -> "Access":
        r = REG_BY_NAME[name]
        if r.is64:
            return Access(write, True, 0, r.opc1, r.crm, 0, pl, wdata)
        return Access(write, False, r.crn, r.opc1, r.crm, r.opc2, pl, wdata)


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    rdata: int          # 0 unless the access is a permitted read


def decode(acc: Access) -> str:
    """The register name an encoding selects, or UNKNOWN."""
    for r in REGISTERS:
        if r.is64 != acc.is64 or r.opc1 != acc.opc1 or r.crm != acc.crm:
            continue
        if r.is64 or (r.crn == acc.crn and r.opc2 == acc.opc2):
            return r.name
    return UNKNOWN


def sign_extend32(value: int) -> int:
    value &= MASK32
    return value - (1 << 32) if value & (1 << 31) else value


@dataclass
class Timer:
    ctl: int = 0          # {IMASK, ENABLE}; ISTATUS is computed
    cval: int = 0


class GenericTimer:
    """Architectural state of the generic timer of one processor."""

    def __init__(self, cntfrq_reset: int = CNTFRQ_RESET) -> None:
        self.cntpct = 0
        self.cntvoff = 0
        self.cntfrq = cntfrq_reset & MASK32
        self.cntkctl = 0
        self.cnthctl = CNTHCTL_RESET
        self.timers = {t: Timer() for t in TIMERS}

    # ------------------------------------------------------------ counts
    def tick(self, n: int = 1) -> None:
        """Advance CNTPCT by n (n clock cycles with the counter enabled)."""
        self.cntpct = (self.cntpct + n) & MASK64

    @property
    def cntvct(self) -> int:
        return (self.cntpct - self.cntvoff) & MASK64

    def count_of(self, timer: str) -> int:
        """The count a timer compares against (B8.1.5): CNTVCT for virt."""
        return self.cntvct if timer == "virt" else self.cntpct

    # ------------------------------------------------------------ timers
    def istatus(self, timer: str) -> bool:
        t = self.timers[timer]
        return bool(t.ctl & CTL_ENABLE) and self.count_of(timer) >= t.cval

    def irq(self, timer: str) -> bool:
        """The PPI level: ENABLE & ISTATUS & !IMASK."""
        return self.istatus(timer) and not self.timers[timer].ctl & CTL_IMASK

    def irq_levels(self) -> tuple[bool, bool, bool]:
        """(phys PPI 30, virt PPI 27, hyp PPI 26)."""
        return self.irq("phys"), self.irq("virt"), self.irq("hyp")

    def ctl_value(self, timer: str) -> int:
        return self.timers[timer].ctl | (CTL_ISTATUS if self.istatus(timer) else 0)

    def tval_value(self, timer: str) -> int:
        return (self.timers[timer].cval - self.count_of(timer)) & MASK32

    def write_tval(self, timer: str, value: int) -> None:
        self.timers[timer].cval = (self.count_of(timer) + sign_extend32(value)) & MASK64

    # ------------------------------------------------------------ access rules
    def _pl0_enabled(self, name: str, write: bool) -> bool:
        """CNTKCTL gates PL0 (B4.1.26)."""
        k = self.cntkctl
        if name == "CNTFRQ":
            return not write and bool(k & (KCTL_PL0PCTEN | KCTL_PL0VCTEN))
        if name == "CNTPCT":
            return bool(k & KCTL_PL0PCTEN)
        if name == "CNTVCT":
            return bool(k & KCTL_PL0VCTEN)
        if name in PHYS_TIMER_REGS:
            return bool(k & KCTL_PL0PTEN)
        if name in VIRT_TIMER_REGS:
            return bool(k & KCTL_PL0VTEN)
        return False      # CNTKCTL and the Hyp registers

    def outcome(self, acc: Access) -> Outcome:
        """UNDEFINED before TRAP_TO_HYP: a PL0 access that CNTKCTL forbids is
        UNDEFINED whatever CNTHCTL says (B8.1.2)."""
        name = decode(acc)
        if name == UNKNOWN:
            return Outcome.UNDEFINED
        reg = REG_BY_NAME[name]
        is_hyp = acc.pl >= HYP
        if reg.hyp_only and not is_hyp:
            return Outcome.UNDEFINED
        if acc.write and not reg.writable:
            return Outcome.UNDEFINED
        if acc.write and name == "CNTFRQ" and not is_hyp:
            return Outcome.UNDEFINED
        if acc.pl == PL0 and not self._pl0_enabled(name, acc.write):
            return Outcome.UNDEFINED
        if not is_hyp:
            if name == "CNTPCT" and not self.cnthctl & HCTL_PL1PCTEN:
                return Outcome.TRAP_TO_HYP
            if name in PHYS_TIMER_REGS and not self.cnthctl & HCTL_PL1PCEN:
                return Outcome.TRAP_TO_HYP
        return Outcome.OK

    # ------------------------------------------------------------ registers
    def read(self, name: str) -> int:
        if name == "CNTFRQ":
            return self.cntfrq
        if name == "CNTKCTL":
            return self.cntkctl
        if name == "CNTHCTL":
            return self.cnthctl
        if name == "CNTPCT":
            return self.cntpct
        if name == "CNTVCT":
            return self.cntvct
        if name == "CNTVOFF":
            return self.cntvoff
        prefix, field = name.split("_")
        timer = TIMER_OF[prefix]
        if field == "CTL":
            return self.ctl_value(timer)
        if field == "TVAL":
            return self.tval_value(timer)
        return self.timers[timer].cval

    def write(self, name: str, value: int) -> None:
        if name == "CNTFRQ":
            self.cntfrq = value & MASK32
        elif name == "CNTKCTL":
            self.cntkctl = value & CNTKCTL_MASK
        elif name == "CNTHCTL":
            self.cnthctl = value & CNTHCTL_MASK
        elif name == "CNTVOFF":
            self.cntvoff = value & MASK64
        else:
            prefix, field = name.split("_")
            timer = TIMER_OF[prefix]
            if field == "CTL":
                self.timers[timer].ctl = value & (CTL_ENABLE | CTL_IMASK)
            elif field == "TVAL":
                self.write_tval(timer, value)
            elif field == "CVAL":
                self.timers[timer].cval = value & MASK64
            else:
                raise ValueError(f"{name} is not writable")

    def access(self, acc: Access) -> Result:
        """One access at the current count; a permitted write takes effect."""
        out = self.outcome(acc)
        if out is not Outcome.OK:
            return Result(out, 0)
        name = decode(acc)
        if acc.write:
            self.write(name, acc.wdata if acc.is64 else acc.wdata & MASK32)
            return Result(out, 0)
        return Result(out, self.read(name))


def possible_outcomes(name: str, write: bool, pl: int) -> set[Outcome]:
    """Every outcome an access can have over all CNTKCTL/CNTHCTL settings
    (used to leave impossible bins out of the coverage cross)."""
    seen: set[Outcome] = set()
    for kctl in (0, CNTKCTL_MASK):
        for hctl in (0, CNTHCTL_MASK):
            gt = GenericTimer()
            gt.cntkctl, gt.cnthctl = kctl, hctl
            acc = Access.to(name, write, pl) if name != UNKNOWN else Access(write, False, 0, 0, 0, 0, pl)
            seen.add(gt.outcome(acc))
    return seen

"""ARMv7-A architectural register state: modes, banking, CPSR fields.

Plain Python (no cocotb): the single place that knows how the core's physical
register numbering (rtl/core/arm_pkg.sv) maps onto R0-R15 of each mode
(ARM ARM B1.3.2 "ARM core registers", figure B1-2).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Mode(IntEnum):
    """CPSR.M encodings (ARM ARM B1.3.1, table B1-1)."""

    USR = 0x10
    FIQ = 0x11
    IRQ = 0x12
    SVC = 0x13
    MON = 0x16
    ABT = 0x17
    HYP = 0x1A
    UND = 0x1B
    SYS = 0x1F


CPSR_N = 1 << 31
CPSR_Z = 1 << 30
CPSR_C = 1 << 29
CPSR_V = 1 << 28
CPSR_Q = 1 << 27
CPSR_A = 1 << 8
CPSR_I = 1 << 7
CPSR_F = 1 << 6
CPSR_T = 1 << 5
CPSR_MODE_MASK = 0x1F

#: CPSR of a bare-metal ELF at entry on `-M virt,virtualization=on`: Hyp, A I F masked,
#: Z set (QEMU 7.2; the flags are architecturally UNKNOWN at reset).
RESET_CPSR = 0x400001DA

# Physical register numbering shared with the RTL (rtl/core/arm_pkg.sv).
_BANKED_SP_LR: dict[int, tuple[int, int]] = {
    Mode.FIQ: (20, 21),
    Mode.IRQ: (22, 23),
    Mode.SVC: (24, 25),
    Mode.ABT: (26, 27),
    Mode.UND: (28, 29),
    Mode.HYP: (30, 14),  # Hyp banks SP only; LR is LR_usr
}
PHYS_ELR_HYP = 31
_SPSR_PHYS: dict[int, int] = {
    Mode.FIQ: 32, Mode.IRQ: 33, Mode.SVC: 34, Mode.ABT: 35, Mode.UND: 36, Mode.HYP: 37,
}
NUM_PHYS = 38

PHYS_NAMES: tuple[str, ...] = tuple(
    [f"r{i}" for i in range(13)] + ["sp_usr", "lr_usr"]
    + [f"r{i}_fiq" for i in range(8, 13)] + ["sp_fiq", "lr_fiq"]
    + ["sp_irq", "lr_irq", "sp_svc", "lr_svc", "sp_abt", "lr_abt", "sp_und", "lr_und",
       "sp_hyp", "elr_hyp"]
    + ["spsr_fiq", "spsr_irq", "spsr_svc", "spsr_abt", "spsr_und", "spsr_hyp"]
)


def phys_index(mode: int, reg: int) -> int:
    """Physical register holding R`reg` (0-14) in `mode`."""
    if not 0 <= reg <= 14:
        raise ValueError(f"R{reg} is not a banked GPR (0-14)")
    if 8 <= reg <= 12:
        return 15 + reg - 8 if mode == Mode.FIQ else reg
    if reg in (13, 14) and mode in _BANKED_SP_LR:
        return _BANKED_SP_LR[mode][reg - 13]
    return reg


def spsr_index(mode: int) -> int | None:
    """Physical index of the SPSR of `mode`, or None for User/System."""
    return _SPSR_PHYS.get(mode)


def mode_name(mode: int) -> str:
    try:
        return Mode(mode).name.lower()
    except ValueError:
        return f"mode{mode:#x}"


def format_cpsr(cpsr: int) -> str:
    flags = "".join(ch if cpsr & bit else "-" for ch, bit in
                    (("N", CPSR_N), ("Z", CPSR_Z), ("C", CPSR_C), ("V", CPSR_V), ("Q", CPSR_Q)))
    masks = "".join(ch if cpsr & bit else "-" for ch, bit in
                    (("A", CPSR_A), ("I", CPSR_I), ("F", CPSR_F), ("T", CPSR_T)))
    return f"{cpsr:08x} {flags} {masks} {mode_name(cpsr & CPSR_MODE_MASK)}"


@dataclass
class ArchState:
    """Physical registers + CPSR; views R0-R15 the way software in a mode sees them."""

    phys: list[int] = field(default_factory=lambda: [0] * NUM_PHYS)
    cpsr: int = RESET_CPSR
    pc: int = 0

    @classmethod
    def at_entry(cls, entry: int = 0) -> ArchState:
        """The state before the first instruction of a bare-metal ELF: RESET_CPSR, in Thumb
        state when bit 0 of the entry point is set (as QEMU's boot and the SoC's reset do)."""
        return cls(cpsr=RESET_CPSR | (CPSR_T if entry & 1 else 0))

    @property
    def mode(self) -> int:
        return self.cpsr & CPSR_MODE_MASK

    def reg(self, n: int) -> int:
        if n == 15:
            return self.pc
        return self.phys[phys_index(self.mode, n)]

    def regs(self) -> tuple[int, ...]:
        """R0-R15 of the current mode (R15 = address of the next instruction)."""
        return tuple(self.reg(n) for n in range(16))

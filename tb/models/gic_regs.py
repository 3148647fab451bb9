"""GICv2 register map and field encodings (ARM IHI0048B), decoded in one place.

Frames (IHI0048B 1.3 / 4.1.2 / 5.3 / 5.5): distributor GICD, CPU interface GICC,
virtual interface control GICH and virtual CPU interface GICV. Offsets are byte
offsets within a frame.
"""
from __future__ import annotations

from enum import IntEnum

SPURIOUS = 1023          # IHI0048B 3.2.5: special interrupt ID 1023
NUM_SGI = 16             # IDs 0-15
NUM_PRIV = 32            # SGIs + PPIs, banked per CPU
NUM_LR = 4               # GICH_VTR.ListRegs + 1
GICH_VTR_VALUE = 0x9000_0003   # 5 priority bits, 5 preemption bits, 4 LRs (as QEMU)
GICD_IIDR_VALUE = 0x0000_043B  # as QEMU: Arm JEP106 code, revision 0
GICC_IIDR_VALUE = 0x0002_043B  # as QEMU: architecture version 2, Arm
MAINT_PPI = 25           # maintenance interrupt (ARCHITECTURE.md)
MIN_BPR = 0              # physical GICC_BPR minimum (QEMU GIC_MIN_BPR)
MIN_ABPR = 1
VIRT_MIN_BPR = 2         # 5 virtual priority bits (QEMU GIC_VIRT_MIN_BPR)
VIRT_MIN_ABPR = 3
LR_WRITE_MASK = 0xFF8F_FFFF    # GICH_LR bits [22:20] are reserved


class Frame(IntEnum):
    GICD = 0
    GICC = 1
    GICH = 2
    GICV = 3


class Gicd(IntEnum):
    """Distributor offsets (IHI0048B table 4-1)."""
    CTLR = 0x000
    TYPER = 0x004
    IIDR = 0x008
    IGROUPR = 0x080
    ISENABLER = 0x100
    ICENABLER = 0x180
    ISPENDR = 0x200
    ICPENDR = 0x280
    ISACTIVER = 0x300
    ICACTIVER = 0x380
    IPRIORITYR = 0x400
    ITARGETSR = 0x800
    ICFGR = 0xC00
    SGIR = 0xF00
    CPENDSGIR = 0xF10
    SPENDSGIR = 0xF20


class Gicc(IntEnum):
    """CPU interface offsets (IHI0048B table 4-2); GICV uses the same map (5.5)."""
    CTLR = 0x00
    PMR = 0x04
    BPR = 0x08
    IAR = 0x0C
    EOIR = 0x10
    RPR = 0x14
    HPPIR = 0x18
    ABPR = 0x1C
    AIAR = 0x20
    AEOIR = 0x24
    AHPPIR = 0x28
    APR0 = 0xD0
    IIDR = 0xFC
    DIR = 0x1000


class Gich(IntEnum):
    """Virtual interface control offsets (IHI0048B table 5-1)."""
    HCR = 0x000
    VTR = 0x004
    VMCR = 0x008
    MISR = 0x010
    EISR0 = 0x020
    ELRSR0 = 0x030
    APR = 0x0F0
    LR0 = 0x100


# GICC_CTLR bits (no security extensions, IHI0048B 4.4.1)
CTLR_ENABLE_GRP0 = 1 << 0
CTLR_ENABLE_GRP1 = 1 << 1
CTLR_ACKCTL = 1 << 2
CTLR_FIQEN = 1 << 3
CTLR_CBPR = 1 << 4
CTLR_EOIMODE = 1 << 9
GICV_CTLR_MASK = (CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1 | CTLR_ACKCTL | CTLR_FIQEN | CTLR_CBPR
                  | CTLR_EOIMODE)
GICC_CTLR_MASK = GICV_CTLR_MASK   # QEMU's GICv2 mask without security extensions

# GICH_HCR bits (IHI0048B 5.3.2)
HCR_EN = 1 << 0
HCR_UIE = 1 << 1
HCR_LRENPIE = 1 << 2
HCR_NPIE = 1 << 3
HCR_VGRP0EIE = 1 << 4
HCR_VGRP0DIE = 1 << 5
HCR_VGRP1EIE = 1 << 6
HCR_VGRP1DIE = 1 << 7
HCR_EOICOUNT_SHIFT = 27

# GICH_MISR bits (IHI0048B 5.3.5)
MISR_EOI = 1 << 0
MISR_U = 1 << 1
MISR_LRENP = 1 << 2
MISR_NP = 1 << 3
MISR_VGRP0E = 1 << 4
MISR_VGRP0D = 1 << 5
MISR_VGRP1E = 1 << 6
MISR_VGRP1D = 1 << 7
MISR_NAMES = ("EOI", "U", "LRENP", "NP", "VGrp0E", "VGrp0D", "VGrp1E", "VGrp1D")


class LrState(IntEnum):
    """GICH_LR.State (IHI0048B 5.3.9)."""
    INVALID = 0
    PENDING = 1
    ACTIVE = 2
    PENDING_ACTIVE = 3


def lr_encode(virtual_id: int, priority5: int, state: LrState, *, hw: bool = False,
              physical_id: int = 0, eoi: bool = False, cpuid: int = 0, grp1: bool = False) -> int:
    """Build a GICH_LR value (IHI0048B 5.3.9): priority is the 5-bit field [27:23]."""
    val = (virtual_id & 0x3FF) | ((priority5 & 0x1F) << 23) | (int(state) << 28)
    val |= (1 << 30) if grp1 else 0
    if hw:
        val |= (1 << 31) | ((physical_id & 0x3FF) << 10)
    else:
        val |= ((1 << 19) if eoi else 0) | ((cpuid & 7) << 10)
    return val


def lr_state(lr: int) -> LrState:
    return LrState((lr >> 28) & 3)


def lr_priority(lr: int) -> int:
    """Priority as an 8-bit value (the 5 implemented bits are [7:3])."""
    return ((lr >> 23) & 0x1F) << 3


def lr_vid(lr: int) -> int:
    return lr & 0x3FF


def lr_hw(lr: int) -> bool:
    return bool(lr >> 31)


def lr_eoi(lr: int) -> bool:
    """The EOI maintenance bit, meaningful only when HW = 0."""
    return not lr_hw(lr) and bool((lr >> 19) & 1)


def lr_cpuid(lr: int) -> int:
    return (lr >> 10) & 7


def lr_pid(lr: int) -> int:
    return (lr >> 10) & 0x3FF


def group_priority(priority: int, bpr: int) -> int:
    """Group priority field of ``priority`` for binary point ``bpr`` (IHI0048B 3.3.3)."""
    return priority & (0xFF << (bpr + 1)) & 0xFF


def iar_value(intid: int, source_cpu: int) -> int:
    """GICC_IAR layout (IHI0048B 4.4.4): CPUID [12:10] for SGIs only."""
    return intid | ((source_cpu & 7) << 10 if intid < NUM_SGI else 0)


_GICD_ARRAYS = ((Gicd.IGROUPR, 0x80), (Gicd.ISENABLER, 0x80), (Gicd.ICENABLER, 0x80),
                (Gicd.ISPENDR, 0x80), (Gicd.ICPENDR, 0x80), (Gicd.ISACTIVER, 0x80),
                (Gicd.ICACTIVER, 0x80), (Gicd.IPRIORITYR, 0x400), (Gicd.ITARGETSR, 0x400),
                (Gicd.ICFGR, 0x100), (Gicd.CPENDSGIR, 0x10), (Gicd.SPENDSGIR, 0x10))


def register_name(frame: Frame, off: int) -> str:
    """Architectural name of the register at ``off`` in ``frame`` ("" if unallocated)."""
    off &= ~3
    if frame == Frame.GICD:
        for base, size in _GICD_ARRAYS:
            if base <= off < base + size:
                return f"GICD_{base.name}"
        return f"GICD_{Gicd(off).name}" if off in Gicd._value2member_map_ else ""
    if frame == Frame.GICH:
        if Gich.LR0 <= off < Gich.LR0 + 4 * NUM_LR:
            return f"GICH_LR{(off - Gich.LR0) >> 2}"
        return f"GICH_{Gich(off).name}" if off in Gich._value2member_map_ else ""
    prefix = "GICC" if frame == Frame.GICC else "GICV"
    if Gicc.APR0 <= off < Gicc.APR0 + 16:
        return f"{prefix}_APR{(off - Gicc.APR0) >> 2}"
    return f"{prefix}_{Gicc(off).name}" if off in Gicc._value2member_map_ else ""


def all_registers() -> list[tuple[Frame, int, str]]:
    """One representative offset per architectural register (first word of arrays)."""
    regs: list[tuple[Frame, int, str]] = []
    for off in sorted({int(g) for g in Gicd}):
        regs.append((Frame.GICD, off, register_name(Frame.GICD, off)))
    for frame in (Frame.GICC, Frame.GICV):
        for off in [int(g) for g in Gicc] + [Gicc.APR0 + 4 * k for k in range(1, 4)]:
            if frame == Frame.GICV and Gicc.APR0 < off < Gicc.APR0 + 16:
                continue   # GICV implements APR0 only (5 priority bits)
            regs.append((frame, off, register_name(frame, off)))
    for off in [int(g) for g in Gich] + [Gich.LR0 + 4 * k for k in range(1, NUM_LR)]:
        regs.append((Frame.GICH, off, register_name(Frame.GICH, off)))
    return regs

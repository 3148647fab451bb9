"""GICv2 virtualization extensions of one CPU: GICH (IHI0048B 5.3) and GICV (5.5).

The list registers drive the virtual CPU interface; MISR/EISR/ELRSR and the
maintenance interrupt are computed from them (5.3.5-5.3.7). Deactivating an LR
with HW=1 deactivates its physical interrupt in the distributor (5.4.2), which
the caller passes in as a callback.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .gic_regs import (CTLR_ENABLE_GRP0, CTLR_ENABLE_GRP1, CTLR_EOIMODE, CTLR_FIQEN,
                       GICC_IIDR_VALUE, GICH_VTR_VALUE, GICV_CTLR_MASK, HCR_EN,
                       HCR_EOICOUNT_SHIFT, HCR_LRENPIE, HCR_NPIE, HCR_UIE, HCR_VGRP0DIE,
                       HCR_VGRP0EIE, HCR_VGRP1DIE, HCR_VGRP1EIE, LR_WRITE_MASK, MISR_EOI,
                       MISR_LRENP, MISR_NP, MISR_U, MISR_VGRP0D, MISR_VGRP0E, MISR_VGRP1D,
                       MISR_VGRP1E, NUM_LR, NUM_SGI, SPURIOUS, VIRT_MIN_ABPR, VIRT_MIN_BPR,
                       Gicc, Gich, LrState, group_priority, lr_cpuid, lr_eoi, lr_hw, lr_pid,
                       lr_priority, lr_state, lr_vid)


@dataclass
class VirtIf:
    """GICH state and the GICV registers it aliases through GICH_VMCR."""
    hcr: int = 0                 # bits [7:0] and EOICount [31:27]
    lrs: list[int] = field(default_factory=lambda: [0] * NUM_LR)
    ctlr: int = 0                # GICV_CTLR
    pmr: int = 0                 # 8-bit view, bits [7:3] implemented
    bpr: int = VIRT_MIN_BPR
    abpr: int = VIRT_MIN_ABPR
    apr: int = 0                 # 32 bits: bit n = group priority n<<3 active

    # ------------------------------------------------------------ GICH views
    @property
    def eoicount(self) -> int:
        return self.hcr >> HCR_EOICOUNT_SHIFT & 0x1F

    def eisr(self) -> int:
        """IHI0048B 5.3.6: LR invalid, HW=0, EOI=1."""
        return sum(1 << i for i, lr in enumerate(self.lrs)
                   if lr_state(lr) == LrState.INVALID and lr_eoi(lr))

    def elrsr(self) -> int:
        """IHI0048B 5.3.7: LR invalid and not waiting for an EOI maintenance interrupt."""
        return sum(1 << i for i, lr in enumerate(self.lrs)
                   if lr_state(lr) == LrState.INVALID and not lr_eoi(lr))

    def misr(self) -> int:
        """IHI0048B 5.3.5: maintenance interrupt causes."""
        h = self.hcr
        valid = sum(lr_state(lr) != LrState.INVALID for lr in self.lrs)
        any_pending = any(lr_state(lr) == LrState.PENDING for lr in self.lrs)
        en0, en1 = bool(self.ctlr & CTLR_ENABLE_GRP0), bool(self.ctlr & CTLR_ENABLE_GRP1)
        val = MISR_EOI if self.eisr() else 0
        val |= MISR_U if h & HCR_UIE and valid <= 1 else 0
        val |= MISR_LRENP if h & HCR_LRENPIE and self.eoicount else 0
        val |= MISR_NP if h & HCR_NPIE and not any_pending else 0
        val |= MISR_VGRP0E if h & HCR_VGRP0EIE and en0 else 0
        val |= MISR_VGRP0D if h & HCR_VGRP0DIE and not en0 else 0
        val |= MISR_VGRP1E if h & HCR_VGRP1EIE and en1 else 0
        val |= MISR_VGRP1D if h & HCR_VGRP1DIE and not en1 else 0
        return val

    def maintenance(self) -> bool:
        """IHI0048B 5.3.2: asserted when GICH_HCR.En and any MISR cause."""
        return bool(self.hcr & HCR_EN) and self.misr() != 0

    def vmcr(self) -> int:
        """IHI0048B 5.3.4."""
        return ((self.pmr >> 3) << 27 | self.bpr << 21 | self.abpr << 18
                | (self.ctlr & CTLR_EOIMODE) | (self.ctlr & 0x1F))

    # ------------------------------------------------------------- priority
    def running_priority(self) -> int:
        if self.apr == 0:
            return 0x100
        return ((self.apr & -self.apr).bit_length() - 1) << 3

    def best_lr(self) -> int | None:
        """The pending LR with the highest priority, ties to the lowest LR."""
        best = None
        for i, lr in enumerate(self.lrs):
            if lr_state(lr) == LrState.PENDING and (best is None
                                                    or lr_priority(lr) < lr_priority(self.lrs[best])):
                best = i
        return best

    def hppi_ok(self) -> int | None:
        best = self.best_lr()
        if (best is None or not self.hcr & HCR_EN or not self.ctlr & CTLR_ENABLE_GRP0
                or lr_priority(self.lrs[best]) >= self.pmr):
            return None
        return best

    def preempts(self) -> int | None:
        best = self.hppi_ok()
        if best is None:
            return None
        if group_priority(lr_priority(self.lrs[best]), self.bpr) >= self.running_priority():
            return None
        return best

    def virq_vfiq(self) -> tuple[bool, bool]:
        sig = self.preempts() is not None
        fiq = bool(self.ctlr & CTLR_FIQEN)
        return sig and not fiq, sig and fiq

    @staticmethod
    def iar_of(lr: int) -> int:
        """GICV_IAR value (5.5): CPUID only for software-generated (HW=0) SGIs."""
        vid = lr_vid(lr)
        return vid | (lr_cpuid(lr) << 10 if not lr_hw(lr) and vid < NUM_SGI else 0)

    # ------------------------------------------------------------ actions
    def acknowledge(self) -> int:
        best = self.preempts()
        if best is None:
            return SPURIOUS
        lr = self.lrs[best]
        self.lrs[best] = (lr & ~(3 << 28)) | (LrState.ACTIVE << 28)
        self.apr |= 1 << (group_priority(lr_priority(lr), self.bpr) >> 3)
        return self.iar_of(lr)

    def _find_active(self, value: int) -> int | None:
        vid, cpuid = value & 0x3FF, value >> 10 & 7
        for i, lr in enumerate(self.lrs):
            if (lr_state(lr) & LrState.ACTIVE and lr_vid(lr) == vid
                    and (vid >= NUM_SGI or lr_hw(lr) or lr_cpuid(lr) == cpuid)):
                return i
        return None

    def _deactivate(self, value: int, phys_deactivate: Callable[[int], None]) -> None:
        """IHI0048B 5.4: clear the LR's active state; HW=1 deactivates the physical ID;
        no matching LR increments GICH_HCR.EOICount."""
        i = self._find_active(value)
        if i is None:
            cnt = (self.eoicount + 1) & 0x1F
            self.hcr = (self.hcr & 0x07FF_FFFF) | cnt << HCR_EOICOUNT_SHIFT
            return
        lr = self.lrs[i]
        self.lrs[i] = lr & ~(LrState.ACTIVE << 28)
        if lr_hw(lr):
            phys_deactivate(lr_pid(lr))

    def end_of_interrupt(self, value: int, phys_deactivate: Callable[[int], None]) -> None:
        """GICV_EOIR: spurious IDs ignored; priority drop when a priority is active;
        with EOImode=0 deactivation, an unmatched one counted only if it dropped (as QEMU)."""
        if value & 0x3FF >= 1020:
            return
        dropped = self.apr != 0
        self.apr &= self.apr - 1
        if not self.ctlr & CTLR_EOIMODE:
            if self._find_active(value) is not None or dropped:
                self._deactivate(value, phys_deactivate)

    def deactivate(self, value: int, phys_deactivate: Callable[[int], None]) -> None:
        if self.ctlr & CTLR_EOIMODE and value & 0x3FF < 1020:
            self._deactivate(value, phys_deactivate)

    # ------------------------------------------------------------ registers
    def gich_read(self, off: int) -> int:
        if off == Gich.HCR:
            return self.hcr
        if off == Gich.VTR:
            return GICH_VTR_VALUE
        if off == Gich.VMCR:
            return self.vmcr()
        if off == Gich.MISR:
            return self.misr()
        if off == Gich.EISR0:
            return self.eisr()
        if off == Gich.ELRSR0:
            return self.elrsr()
        if off == Gich.APR:
            return self.apr
        if Gich.LR0 <= off < Gich.LR0 + 4 * NUM_LR:
            return self.lrs[(off - Gich.LR0) >> 2]
        return 0

    def gich_write(self, off: int, value: int) -> None:
        if off == Gich.HCR:
            self.hcr = value & 0xF800_00FF
        elif off == Gich.VMCR:
            self.pmr = (value >> 27 & 0x1F) << 3
            self.bpr = max(value >> 21 & 7, VIRT_MIN_BPR)
            self.abpr = max(value >> 18 & 7, VIRT_MIN_ABPR)
            self.ctlr = value & GICV_CTLR_MASK
        elif off == Gich.APR:
            self.apr = value & 0xFFFF_FFFF
        elif Gich.LR0 <= off < Gich.LR0 + 4 * NUM_LR:
            self.lrs[(off - Gich.LR0) >> 2] = value & LR_WRITE_MASK

    def gicv_read(self, off: int) -> int:
        if off == Gicc.CTLR:
            return self.ctlr
        if off == Gicc.PMR:
            return self.pmr
        if off == Gicc.BPR:
            return self.bpr
        if off == Gicc.IAR:
            return self.acknowledge()
        if off == Gicc.RPR:
            return min(self.running_priority(), 0xFF)
        if off == Gicc.HPPIR:
            best = self.hppi_ok()
            return SPURIOUS if best is None else self.iar_of(self.lrs[best])
        if off == Gicc.ABPR:
            return self.abpr
        if off in (Gicc.AIAR, Gicc.AHPPIR):
            return SPURIOUS
        if off == Gicc.APR0:
            return self.apr
        if off == Gicc.IIDR:
            return GICC_IIDR_VALUE
        return 0

    def gicv_write(self, off: int, value: int, phys_deactivate: Callable[[int], None]) -> None:
        if off == Gicc.CTLR:
            self.ctlr = value & GICV_CTLR_MASK
        elif off == Gicc.PMR:
            self.pmr = value & 0xF8
        elif off == Gicc.BPR:
            self.bpr = max(value & 7, VIRT_MIN_BPR)
        elif off == Gicc.ABPR:
            self.abpr = max(value & 7, VIRT_MIN_ABPR)
        elif off == Gicc.EOIR:
            self.end_of_interrupt(value, phys_deactivate)
        elif off == Gicc.DIR:
            self.deactivate(value, phys_deactivate)
        elif off == Gicc.APR0:
            self.apr = value & 0xFFFF_FFFF

"""Unit tests of the GICv2 + virtualization extensions reference model
(tb/models/vgic.py). Expected values cite ARM IHI0048B (GICv2 architecture
specification) sections."""
from __future__ import annotations

import pytest

from hypsim.models.gic_regs import (GICH_VTR_VALUE, HCR_EN, HCR_LRENPIE, HCR_NPIE, HCR_UIE,
                                    MISR_EOI, MISR_LRENP, MISR_NP, MISR_U, SPURIOUS, Frame, Gicc,
                                    Gicd, Gich, LrState, lr_encode, lr_state)
from hypsim.models.vgic import (GicModel, KvmIrqLineError, KvmIrqType, decode_kvm_irq_line,
                                encode_kvm_irq_line)


def enabled_gic(ncpu: int = 1, **_: object) -> GicModel:
    g = GicModel(ncpu, 64)
    g.write(Frame.GICD, 0, Gicd.CTLR, 1)
    for c in range(ncpu):
        g.write(Frame.GICC, c, Gicc.CTLR, 1)
        g.write(Frame.GICC, c, Gicc.PMR, 0xFF)
    return g


def enable_spi(g: GicModel, intid: int, prio: int, targets: int = 1, edge: bool = False) -> None:
    g.write(Frame.GICD, 0, Gicd.ISENABLER + 4 * (intid // 32), 1 << (intid % 32))
    g.write(Frame.GICD, 0, Gicd.IPRIORITYR + (intid & ~3), prio << (8 * (intid & 3)), 1 << (intid & 3))
    g.write(Frame.GICD, 0, Gicd.ITARGETSR + (intid & ~3), targets << (8 * (intid & 3)), 1 << (intid & 3))
    if edge:
        off = Gicd.ICFGR + 4 * (intid // 16)
        g.write(Frame.GICD, 0, off, g.read(Frame.GICD, 0, off) | 2 << (2 * (intid % 16)))


# ---------------------------------------------------------------- distributor
def test_typer_reports_it_lines_and_cpus() -> None:
    """4.3.2 GICD_TYPER: ITLinesNumber = N where IDs = 32(N+1); CPUNumber = NCPU-1."""
    assert GicModel(2, 64).read(Frame.GICD, 0, Gicd.TYPER) == (1 << 5) | 1


def test_sgi_enables_read_as_one_and_ignore_writes() -> None:
    """4.3.5: SGI enable bits may be RAO/WI (implementation choice, GIC-400 does so)."""
    g = GicModel(1, 64)
    g.write(Frame.GICD, 0, Gicd.ICENABLER, 0xFFFF_FFFF)
    assert g.read(Frame.GICD, 0, Gicd.ISENABLER) == 0x0000_FFFF


def test_priority_byte_write_touches_one_lane() -> None:
    """4.3.11 GICD_IPRIORITYR is byte-accessible."""
    g = GicModel(1, 64)
    g.write(Frame.GICD, 0, Gicd.IPRIORITYR + 32, 0x11223344)
    g.write(Frame.GICD, 0, Gicd.IPRIORITYR + 32, 0x0000AA00, be=0b0010)
    assert g.read(Frame.GICD, 0, Gicd.IPRIORITYR + 32) == 0x1122AA44


def test_itargetsr_of_private_interrupts_reads_own_cpu() -> None:
    """4.3.12: ITARGETSR0-7 are read-only and return the reading CPU's bit."""
    g = GicModel(2, 64)
    assert g.read(Frame.GICD, 1, Gicd.ITARGETSR) == 0x0202_0202


def test_sgi_icfgr_reads_edge() -> None:
    """4.3.13: SGIs are always edge-triggered (field 0b10)."""
    assert GicModel(1, 64).read(Frame.GICD, 0, Gicd.ICFGR) == 0xAAAA_AAAA


def test_level_spi_pending_follows_line() -> None:
    """3.2.4: a level-sensitive interrupt is pending while its line is asserted."""
    g = enabled_gic()
    enable_spi(g, 40, 0x80)
    g.set_spi(8, True)
    assert g.read(Frame.GICD, 0, Gicd.ISPENDR + 4) == 1 << 8
    g.set_spi(8, False)
    assert g.read(Frame.GICD, 0, Gicd.ISPENDR + 4) == 0


def test_edge_spi_latches_rising_edge() -> None:
    """3.2.4: an edge-triggered interrupt stays pending after the pulse."""
    g = enabled_gic()
    enable_spi(g, 33, 0x80, edge=True)
    g.set_spi(1, True)
    g.set_spi(1, False)
    assert g.outputs().irq == (True,)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == 33


def test_level_line_dropped_while_active_leaves_it_active_not_pending() -> None:
    """3.2.4 state machine: active -> (line low) stays active; EOI -> inactive."""
    g = enabled_gic()
    enable_spi(g, 40, 0x80)
    g.set_spi(8, True)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == 40
    assert g.read(Frame.GICD, 0, Gicd.ISPENDR + 4) == 1 << 8      # active and pending
    g.set_spi(8, False)
    assert g.read(Frame.GICD, 0, Gicd.ISACTIVER + 4) == 1 << 8
    assert g.read(Frame.GICD, 0, Gicd.ISPENDR + 4) == 0
    g.write(Frame.GICC, 0, Gicc.EOIR, 40)
    assert g.read(Frame.GICD, 0, Gicd.ISACTIVER + 4) == 0


def test_sgir_target_list_filters() -> None:
    """4.3.15 GICD_SGIR.TargetListFilter: 0 list, 1 all but self, 2 self only."""
    g = GicModel(2, 64)
    g.write(Frame.GICD, 0, Gicd.SGIR, 0 << 24 | 0b10 << 16 | 3)
    g.write(Frame.GICD, 1, Gicd.SGIR, 1 << 24 | 5)
    g.write(Frame.GICD, 1, Gicd.SGIR, 2 << 24 | 6)
    assert g.read(Frame.GICD, 1, Gicd.SPENDSGIR) == 1 << 24           # SGI 3 from CPU 0
    assert g.read(Frame.GICD, 0, Gicd.SPENDSGIR + 4) == 2 << 8        # SGI 5 from CPU 1
    assert g.read(Frame.GICD, 1, Gicd.SPENDSGIR + 4) == 2 << 16       # SGI 6 from CPU 1


def test_sgi_iar_reports_source_cpu() -> None:
    """4.4.4 GICC_IAR.CPUID: the source processor of an SGI."""
    g = enabled_gic(2)
    g.write(Frame.GICD, 1, Gicd.SGIR, 0b01 << 16 | 7)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == (1 << 10) | 7


# -------------------------------------------------------------- CPU interface
def test_spurious_when_nothing_pending() -> None:
    """3.2.5 / 4.4.4: IAR returns 1023 when there is no pending interrupt."""
    assert enabled_gic().read(Frame.GICC, 0, Gicc.IAR) == SPURIOUS


def test_priority_mask_blocks_equal_or_lower_priority() -> None:
    """3.3.2: only a priority strictly higher than GICC_PMR is signalled."""
    g = enabled_gic()
    g.write(Frame.GICC, 0, Gicc.PMR, 0x80)
    enable_spi(g, 40, 0x80)
    g.set_spi(8, True)
    assert g.outputs().irq == (False,)
    assert g.read(Frame.GICC, 0, Gicc.HPPIR) == SPURIOUS
    g.write(Frame.GICC, 0, Gicc.PMR, 0x81)
    assert g.outputs().irq == (True,)


def test_preemption_uses_group_priority() -> None:
    """3.3.3: with BPR=3 (group priority [7:4]) 0x70 preempts 0x80 but 0x88 does not."""
    g = enabled_gic()
    g.write(Frame.GICC, 0, Gicc.BPR, 3)
    for intid, prio in ((40, 0x80), (41, 0x88), (42, 0x70)):
        enable_spi(g, intid, prio)
    g.set_spi(8, True)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == 40
    assert g.read(Frame.GICC, 0, Gicc.RPR) == 0x80
    g.set_spi(9, True)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == SPURIOUS
    g.set_spi(10, True)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == 42
    assert g.read(Frame.GICC, 0, Gicc.RPR) == 0x70


def test_eoimode1_splits_priority_drop_and_deactivation() -> None:
    """4.4.5/4.4.15: with EOImode=1, EOIR only drops priority; DIR deactivates."""
    g = enabled_gic()
    g.write(Frame.GICC, 0, Gicc.CTLR, 1 | 1 << 9)
    enable_spi(g, 40, 0x40, edge=True)
    g.set_spi(8, True)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == 40
    g.write(Frame.GICC, 0, Gicc.EOIR, 40)
    assert g.read(Frame.GICC, 0, Gicc.RPR) == 0xFF
    assert g.read(Frame.GICD, 0, Gicd.ISACTIVER + 4) == 1 << 8
    g.write(Frame.GICC, 0, Gicc.DIR, 40)
    assert g.read(Frame.GICD, 0, Gicd.ISACTIVER + 4) == 0


# ------------------------------------------------------ virtualization (ch. 5)
def test_vtr_reads_as_qemu() -> None:
    """5.3.3 GICH_VTR: PRIbits-1=4, PREbits-1=4, ListRegs-1=3."""
    assert GicModel(1, 64).read(Frame.GICH, 0, Gich.VTR) == GICH_VTR_VALUE == 0x9000_0003


def virt_gic() -> GicModel:
    g = enabled_gic()
    g.write(Frame.GICH, 0, Gich.HCR, HCR_EN)
    g.write(Frame.GICH, 0, Gich.VMCR, 0x1F << 27 | 1)   # VMPriMask 0xF8, VMGrp0En
    return g


def test_lr_pending_raises_virq_and_gicv_iar_activates() -> None:
    """5.3.9 / 5.5: a pending LR is signalled as virtual IRQ; GICV_IAR makes it active."""
    g = virt_gic()
    g.write(Frame.GICH, 0, Gich.LR0, lr_encode(44, 4, LrState.PENDING))
    assert g.outputs().virq == (True,)
    assert g.read(Frame.GICV, 0, Gicc.IAR) == 44
    assert lr_state(g.read(Frame.GICH, 0, Gich.LR0)) == LrState.ACTIVE
    assert g.read(Frame.GICV, 0, Gicc.RPR) == 4 << 3


def test_eoi_bit_gives_eisr_and_maintenance() -> None:
    """5.3.5/5.3.6: an LR with EOI=1 that becomes invalid sets EISR and MISR.EOI."""
    g = virt_gic()
    g.write(Frame.GICH, 0, Gich.LR0, lr_encode(44, 4, LrState.PENDING, eoi=True))
    assert g.read(Frame.GICV, 0, Gicc.IAR) == 44
    g.write(Frame.GICV, 0, Gicc.EOIR, 44)
    assert g.read(Frame.GICH, 0, Gich.EISR0) == 1
    assert g.read(Frame.GICH, 0, Gich.ELRSR0) == 0b1110
    assert g.read(Frame.GICH, 0, Gich.MISR) & MISR_EOI
    assert g.outputs().maint == (True,)
    assert g.read(Frame.GICD, 0, Gicd.ISPENDR) & 1 << 25          # PPI 25 pending


def test_underflow_and_no_pending_causes() -> None:
    """5.3.5: U when UIE and at most one LR valid; NP when NPIE and no LR pending."""
    g = virt_gic()
    g.write(Frame.GICH, 0, Gich.HCR, HCR_EN | HCR_UIE | HCR_NPIE)
    assert g.read(Frame.GICH, 0, Gich.MISR) == MISR_U | MISR_NP
    g.write(Frame.GICH, 0, Gich.LR0, lr_encode(40, 1, LrState.PENDING))
    g.write(Frame.GICH, 0, Gich.LR0 + 4, lr_encode(41, 1, LrState.PENDING))
    assert g.read(Frame.GICH, 0, Gich.MISR) == 0


def test_eoi_without_matching_lr_counts_in_eoicount() -> None:
    """5.3.2 GICH_HCR.EOICount and 5.3.5 MISR.LRENP."""
    g = virt_gic()
    g.write(Frame.GICH, 0, Gich.HCR, HCR_EN | HCR_LRENPIE)
    g.write(Frame.GICH, 0, Gich.LR0, lr_encode(40, 1, LrState.PENDING))
    assert g.read(Frame.GICV, 0, Gicc.IAR) == 40
    g.write(Frame.GICH, 0, Gich.LR0, 0)                 # the hypervisor evicted it
    g.write(Frame.GICV, 0, Gicc.EOIR, 40)
    assert g.read(Frame.GICH, 0, Gich.HCR) >> 27 == 1
    assert g.read(Frame.GICH, 0, Gich.MISR) == MISR_LRENP


def test_hw_lr_deactivation_deactivates_physical_interrupt() -> None:
    """5.4.2 (HW=1): the guest's deactivation deactivates the physical ID."""
    g = virt_gic()
    g.write(Frame.GICC, 0, Gicc.CTLR, 1 | 1 << 9)
    enable_spi(g, 50, 0x40, edge=True)
    g.set_spi(18, True)
    assert g.read(Frame.GICC, 0, Gicc.IAR) == 50
    g.write(Frame.GICC, 0, Gicc.EOIR, 50)                   # priority drop only
    g.write(Frame.GICH, 0, Gich.LR0, lr_encode(70, 2, LrState.PENDING, hw=True, physical_id=50))
    assert g.read(Frame.GICV, 0, Gicc.IAR) == 70
    g.write(Frame.GICV, 0, Gicc.EOIR, 70)
    assert g.read(Frame.GICD, 0, Gicd.ISACTIVER + 4) == 0
    assert g.read(Frame.GICH, 0, Gich.ELRSR0) == 0b1111


def test_virtual_priority_has_five_bits() -> None:
    """5.3.3/5.3.4: 5 priority bits; GICV_PMR keeps [7:3]; GICV_BPR minimum 2."""
    g = virt_gic()
    g.write(Frame.GICV, 0, Gicc.PMR, 0xFF)
    g.write(Frame.GICV, 0, Gicc.BPR, 0)
    assert g.read(Frame.GICV, 0, Gicc.PMR) == 0xF8
    assert g.read(Frame.GICV, 0, Gicc.BPR) == 2


# ---------------------------------------------------------------- KVM_IRQ_LINE
@pytest.mark.parametrize("word, expected", [
    (0x0100_0021, (KvmIrqType.SPI, 0, 33)),
    (0x0201_001B, (KvmIrqType.PPI, 1, 27)),
    (0x0000_0001, (KvmIrqType.CPU, 0, 1)),
])
def test_kvm_irq_line_decodes_type_vcpu_number(word: int, expected: tuple) -> None:
    """Linux api.rst KVM_IRQ_LINE (ARM): irq_type[27:24], vcpu_index[23:16], irq_number[15:0]."""
    d = decode_kvm_irq_line(word, num_vcpus=2)
    assert (d.irq_type, d.vcpu_index, d.irq_number) == expected
    assert encode_kvm_irq_line(*expected) == word


@pytest.mark.parametrize("word, why", [
    (0x0300_0020, "irq_type 3"),
    (0x0100_001F, "outside 32"),
    (0x0100_03FC, "outside 32"),
    (0x0200_000F, "outside 16..31"),
    (0x0202_0010, "vcpu_index 2"),
    (0x0000_0002, "not 0 (IRQ) or 1 (FIQ)"),
    (0x1100_0020, "vcpu2_index"),
])
def test_kvm_irq_line_rejects_out_of_range(word: int, why: str) -> None:
    with pytest.raises(KvmIrqLineError, match=why.split()[0]):
        decode_kvm_irq_line(word, num_vcpus=2)

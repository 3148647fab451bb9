"""The whole GICv2 with virtualization extensions as one reference model, plus
KVM_IRQ_LINE decoding (Linux Documentation/virt/kvm/api.rst, ARM section).

    GicModel(ncpu, nirq)        read/write any frame, drive SPI/PPI pins,
                                outputs() = irq/fiq/virq/vfiq/maint per CPU
    decode_kvm_irq_line(word)   -> KvmIrqLine, raises KvmIrqLineError
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from .gic_dist import Distributor
from .gic_regs import NUM_PRIV, NUM_SGI, Frame
from .gic_virt import VirtIf


@dataclass(frozen=True)
class Outputs:
    """Interrupt outputs of every CPU, each a tuple indexed by CPU."""
    irq: tuple[bool, ...]
    fiq: tuple[bool, ...]
    virq: tuple[bool, ...]
    vfiq: tuple[bool, ...]
    maint: tuple[bool, ...]


class GicModel:
    """Distributor + NCPU CPU interfaces + NCPU virtual interfaces."""

    def __init__(self, ncpu: int = 1, nirq: int = 64) -> None:
        self.dist = Distributor(ncpu, nirq)
        self.virt = [VirtIf() for _ in range(ncpu)]
        self.ncpu, self.nirq = ncpu, nirq

    def _sync_maintenance(self) -> None:
        for c, v in enumerate(self.virt):
            self.dist.maint_line[c] = v.maintenance()

    def _check_cpu(self, cpu: int) -> None:
        if not 0 <= cpu < self.ncpu:
            raise ValueError(f"CPU index {cpu} out of range 0..{self.ncpu - 1}")

    def read(self, frame: Frame, cpu: int, off: int) -> int:
        """One bus read (with its side effects, e.g. acknowledge on IAR)."""
        self._check_cpu(cpu)
        off &= ~3
        if frame == Frame.GICD:
            val = self.dist.dist_read(cpu, off)
        elif frame == Frame.GICC:
            val = self.dist.cpu_read(cpu, off)
        elif frame == Frame.GICH:
            val = self.virt[cpu].gich_read(off)
        else:
            val = self.virt[cpu].gicv_read(off)
        self._sync_maintenance()
        return val & 0xFFFF_FFFF

    def write(self, frame: Frame, cpu: int, off: int, value: int, be: int = 0xF) -> None:
        """One bus write; word registers are written whole when any byte lane is enabled."""
        self._check_cpu(cpu)
        off &= ~3
        if be & 0xF:
            if frame == Frame.GICD:
                self.dist.dist_write(cpu, off, value, be)
            elif frame == Frame.GICC:
                self.dist.cpu_write(cpu, off, value)
            elif frame == Frame.GICH:
                self.virt[cpu].gich_write(off, value)
            else:
                self.virt[cpu].gicv_write(off, value,
                                          lambda pid: self.dist.set_active(pid, cpu, False))
        self._sync_maintenance()

    def set_spi(self, n: int, level: bool) -> None:
        if not 0 <= n < self.nirq - NUM_PRIV:
            raise ValueError(f"SPI pin {n} out of range 0..{self.nirq - NUM_PRIV - 1}")
        self.dist.set_spi(n, level)

    def set_ppi(self, cpu: int, ppi: int, level: bool) -> None:
        self._check_cpu(cpu)
        if not 0 <= ppi < 16:
            raise ValueError(f"PPI pin {ppi} out of range 0..15")
        self.dist.set_ppi(cpu, ppi, level)

    def outputs(self) -> Outputs:
        self._sync_maintenance()
        phys = [self.dist.irq_fiq(c) for c in range(self.ncpu)]
        virt = [v.virq_vfiq() for v in self.virt]
        return Outputs(tuple(p[0] for p in phys), tuple(p[1] for p in phys),
                       tuple(v[0] for v in virt), tuple(v[1] for v in virt),
                       tuple(v.maintenance() for v in self.virt))


# ----------------------------------------------------------- KVM_IRQ_LINE
class KvmIrqType(IntEnum):
    """KVM_ARM_IRQ_TYPE_* (irq_type field, bits [27:24])."""
    CPU = 0
    SPI = 1
    PPI = 2


class KvmIrqLineError(ValueError):
    """A KVM_IRQ_LINE word that KVM would reject with -EINVAL."""


@dataclass(frozen=True)
class KvmIrqLine:
    irq_type: KvmIrqType
    vcpu_index: int
    irq_number: int

    @property
    def is_fiq(self) -> bool:
        """For type CPU: irq_number 0 = IRQ line, 1 = FIQ line."""
        return self.irq_type == KvmIrqType.CPU and self.irq_number == 1


KVM_MAX_SPI = 1019
KVM_CPU_IRQ, KVM_CPU_FIQ = 0, 1


def decode_kvm_irq_line(word: int, num_vcpus: int = 1, num_irqs: int = KVM_MAX_SPI + 1) -> KvmIrqLine:
    """Decode the ``irq`` field of struct kvm_irq_level for ARM:
    irq_type[27:24], vcpu_index[23:16], irq_number[15:0] (bits [31:28] are the
    vcpu2_index extension, must be zero here)."""
    if not 0 <= word <= 0xFFFF_FFFF:
        raise KvmIrqLineError(f"KVM_IRQ_LINE word {word:#x} is not a 32-bit value")
    if word >> 28:
        raise KvmIrqLineError(f"KVM_IRQ_LINE word {word:#010x}: vcpu2_index bits [31:28] "
                              "are not supported (at most 256 vCPUs)")
    raw_type, vcpu, number = word >> 24 & 0xF, word >> 16 & 0xFF, word & 0xFFFF
    try:
        irq_type = KvmIrqType(raw_type)
    except ValueError:
        raise KvmIrqLineError(f"KVM_IRQ_LINE word {word:#010x}: irq_type {raw_type} is not "
                              "0 (CPU), 1 (SPI) or 2 (PPI)") from None
    if irq_type == KvmIrqType.CPU:
        if vcpu >= num_vcpus:
            raise KvmIrqLineError(f"KVM_IRQ_LINE CPU line: vcpu_index {vcpu} >= {num_vcpus} vCPUs")
        if number not in (KVM_CPU_IRQ, KVM_CPU_FIQ):
            raise KvmIrqLineError(f"KVM_IRQ_LINE CPU line: irq_number {number} is not 0 (IRQ) or 1 (FIQ)")
    elif irq_type == KvmIrqType.SPI:
        if vcpu != 0:
            raise KvmIrqLineError(f"KVM_IRQ_LINE SPI: vcpu_index must be 0, got {vcpu}")
        if not NUM_PRIV <= number <= min(KVM_MAX_SPI, num_irqs - 1):
            raise KvmIrqLineError(f"KVM_IRQ_LINE SPI: irq_number {number} outside "
                                  f"{NUM_PRIV}..{min(KVM_MAX_SPI, num_irqs - 1)}")
    else:
        if vcpu >= num_vcpus:
            raise KvmIrqLineError(f"KVM_IRQ_LINE PPI: vcpu_index {vcpu} >= {num_vcpus} vCPUs")
        if not NUM_SGI <= number < NUM_PRIV:
            raise KvmIrqLineError(f"KVM_IRQ_LINE PPI: irq_number {number} outside 16..31")
    return KvmIrqLine(irq_type, vcpu, number)


def encode_kvm_irq_line(irq_type: KvmIrqType, vcpu_index: int, irq_number: int) -> int:
    return (int(irq_type) << 24) | ((vcpu_index & 0xFF) << 16) | (irq_number & 0xFFFF)

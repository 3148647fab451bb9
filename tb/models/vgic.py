"""The whole GICv2 with virtualization extensions as one reference model, plus
KVM_IRQ_LINE decoding (Linux Documentation/virt/kvm/api.rst, ARM section).

    GicModel(ncpu, nirq)        read/write any frame, drive SPI/PPI pins,
                                outputs() = irq/fiq/virq/vfiq/maint per CPU
    decode_kvm_irq_line(word)   -> KvmIrqLine, raises KvmIrqLineError
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from .gic_dist import Distributor
from .gic_regs import (HCR_EN, HCR_UIE, NUM_PRIV, NUM_SGI, Frame, Gicd, LrState, lr_encode, lr_eoi,
                       lr_priority, lr_vid)
from .gic_virt import VirtIf


def lr_cpuid(value: int) -> int:
    """The source CPUID of an SGI in a list register (GICH_LR[12:10], HW = 0)."""
    return (value >> 10) & 7


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


# ====================================================== the KVM vGIC of one VM
# What a KVM/ARM-style hypervisor owes a VM's vCPUs (GICv2 IHI0048B chapters 3-5,
# KVM's virt/kvm/arm/vgic.c semantics): the emulated distributor's state, the
# interrupt lines (KVM_IRQ_LINE, the timers) and, at every entry of a vCPU, the
# list registers the hypervisor must have loaded. The trace scoreboard
# (tb/irq_scoreboard.py) feeds it; it knows nothing of traces or firmware.

PRIO_BITS_MASK = 0xF8          # 5 implemented priority bits (GICH_VTR.PRIbits = 4)
GICD_NR_IRQS = 64              # the vGIC's IDs (GICD_TYPER.ITLinesNumber 1)


@dataclass
class Injection:
    """One assertion of an interrupt for one vCPU, followed to the guest's EOI."""
    vm: int
    vcpu: int
    intid: int
    source: str                  # "KVM_IRQ_LINE", "timer", "GICD_SGIR", "GICD_ISPENDR", "level after EOI"
    asserted: int                # cycle
    asserted_pc: int
    lr_cycle: int | None = None  # the entry that loaded it into an LR
    lr_pc: int | None = None
    lr_index: int | None = None
    ack_cycle: int | None = None
    ack_pc: int | None = None
    eoi_cycle: int | None = None
    eoi_pc: int | None = None
    withdrawn: int | None = None  # cycle its line dropped (or it was disabled) before it was acknowledged

    @property
    def to_lr(self) -> int | None:
        return None if self.lr_cycle is None else self.lr_cycle - self.asserted

    @property
    def to_ack(self) -> int | None:
        return None if self.ack_cycle is None else self.ack_cycle - self.asserted


@dataclass
class _Irq:
    """Distributor state of one interrupt for one CPU interface (GICv2 4.3)."""
    enabled: bool = False
    priority: int = 0
    edge: bool = False
    line: bool = False           # input level
    latch: bool = False          # pending latch: an edge, GICD_ISPENDR, an SGI
    active: bool = False
    lr: int | None = None        # the LR that holds it, per the last entry/exit
    targets: int = 1             # SPIs: GICD_ITARGETSR
    sources: int = 0             # SGIs: the CPUs it is pending from (a bit per source, GICv2 4.3.15)


@dataclass
class LrSlot:
    """What the model believes a vCPU's list register holds."""
    intid: int | None = None     # None: free
    state: int = 0               # LrState value
    value: int = 0
    latched: bool = False        # its pending state came from a latch (an edge, GICD_ISPENDR, an SGI)


class VgicModel:
    """The vGIC of one VM with `nr_vcpus` vCPUs: distributor, lines, expected LRs.

    Events (each with the cycle and PC it happened at, for the report):
      irq_line(word, level)       KVM_IRQ_LINE (seed 001 encoding)
      set_line(vcpu, intid, lvl)  a line driven by the VM's own devices (the timers' PPIs)
      dist_write(vcpu, off, value, be)   a guest store to its GICD
      exit(vcpu, lrs)             the LRs the hypervisor read back at an exit
      guest_ack / guest_eoi       the guest's GICV_IAR read / GICV_EOIR write
      entry(vcpu, lrs, hcr, ...)  the LRs and GICH_HCR loaded for an entry: checked,
                                  returns the mismatches (strings)
    """

    def __init__(self, vm: int = 0, nr_vcpus: int = 1, nr_irqs: int = GICD_NR_IRQS) -> None:
        self.vm, self.nr_vcpus, self.nr_irqs = vm, nr_vcpus, nr_irqs
        self.label = f"VM {vm}"        # how messages name the VM (the scoreboard adds its VMID)
        self.ctlr = 0
        self.private = [[_Irq(enabled=i < NUM_SGI, edge=i < NUM_SGI) for i in range(NUM_PRIV)]
                        for _ in range(nr_vcpus)]
        self.shared = {i: _Irq() for i in range(NUM_PRIV, nr_irqs)}
        self.lrs = [[LrSlot() for _ in range(4)] for _ in range(nr_vcpus)]
        self.cpu_lines = [[False, False] for _ in range(nr_vcpus)]   # KVM_ARM_IRQ_TYPE_CPU: IRQ, FIQ
        self.injections: list[Injection] = []
        self._open: dict[tuple[int, int], Injection] = {}     # (vcpu, intid) -> asserted, not yet in an LR
        self._inflight: dict[tuple[int, int], Injection] = {}  # in an LR, not yet EOIed
        self._orphans: set[tuple[int, int]] = set()   # active for the guest, but its LR was overwritten
        self._late: set[tuple[int, int]] = set()      # owed and reported undelivered (until delivered)
        self.withdrawn = 0

    # ------------------------------------------------------------ state access
    def irq(self, vcpu: int, intid: int) -> _Irq:
        if not 0 <= vcpu < self.nr_vcpus:
            raise ValueError(f"vCPU {vcpu} out of range 0..{self.nr_vcpus - 1} of VM {self.vm}")
        if intid < NUM_PRIV:
            return self.private[vcpu][intid]
        if intid not in self.shared:
            raise ValueError(f"interrupt {intid} beyond the vGIC's {self.nr_irqs} IDs")
        return self.shared[intid]

    def targets_vcpu(self, vcpu: int, intid: int) -> bool:
        return intid < NUM_PRIV or bool(self.shared[intid].targets >> vcpu & 1)

    def pending(self, vcpu: int, intid: int) -> bool:
        """GICv2 4.3: an edge is pending by its latch, a level also while its line is high."""
        s = self.irq(vcpu, intid)
        return s.latch or (not s.edge and s.line)

    def candidate(self, vcpu: int, intid: int) -> bool:
        """Owed to the vCPU: distributor and interrupt enabled, pending, not active, not in an LR."""
        s = self.irq(vcpu, intid)
        return (bool(self.ctlr & 1) and s.enabled and self.pending(vcpu, intid) and not s.active
                and s.lr is None and self.targets_vcpu(vcpu, intid))

    def candidates(self, vcpu: int) -> list[int]:
        """Every interrupt owed to `vcpu`, highest priority (lowest value) first, ties by ID."""
        ids = [i for i in range(self.nr_irqs) if self.candidate(vcpu, i)]
        return sorted(ids, key=lambda i: (self.irq(vcpu, i).priority, i))

    def _vcpus_of(self, intid: int) -> list[int]:
        if intid < NUM_PRIV:
            return list(range(self.nr_vcpus))
        return [v for v in range(self.nr_vcpus) if self.shared[intid].targets >> v & 1]

    # ----------------------------------------------------------- assertions
    def _assert(self, vcpu: int, intid: int, source: str, cycle: int, pc: int) -> None:
        """Record that `intid` became owed to `vcpu` (if the distributor lets it through)."""
        key = (vcpu, intid)
        s = self.irq(vcpu, intid)
        if key in self._open or not (self.ctlr & 1 and s.enabled and self.targets_vcpu(vcpu, intid)):
            return                          # already pending (a state, not a count), or held back
        inj = Injection(self.vm, vcpu, intid, source, cycle, pc)
        self._open[key] = inj
        self.injections.append(inj)

    def _lowered(self, vcpu: int, intid: int, cycle: int) -> None:
        """The interrupt stopped being pending before the guest acknowledged it."""
        inj = self._open.pop((vcpu, intid), None)
        self._late.discard((vcpu, intid))
        if inj is not None:
            inj.withdrawn = cycle
            self.withdrawn += 1

    def set_line(self, vcpu: int, intid: int, level: bool, cycle: int = 0, pc: int = 0,
                 source: str = "line") -> None:
        """Drive the input line of `intid` (private: of `vcpu`; an SPI: of every CPU interface)."""
        s = self.irq(vcpu, intid)
        rising = level and not s.line
        s.line = level
        vcpus = [vcpu] if intid < NUM_PRIV else self._vcpus_of(intid)
        if rising:
            if s.edge:
                s.latch = True
            for v in vcpus:
                self._assert(v, intid, source, cycle, pc)
        elif not level and not s.edge and not s.latch:
            for v in vcpus:
                self._lowered(v, intid, cycle)

    def irq_line(self, word: int, level: int, cycle: int = 0, pc: int = 0) -> KvmIrqLine:
        """KVM_IRQ_LINE: decode (KvmIrqLineError if KVM would refuse it) and drive the line."""
        line = decode_kvm_irq_line(word, self.nr_vcpus, self.nr_irqs)
        if line.irq_type == KvmIrqType.CPU:
            self.cpu_lines[line.vcpu_index][line.irq_number] = bool(level)
        elif line.irq_type == KvmIrqType.SPI:
            self.set_line(0, line.irq_number, bool(level), cycle, pc, "KVM_IRQ_LINE")
        else:
            self.set_line(line.vcpu_index, line.irq_number, bool(level), cycle, pc, "KVM_IRQ_LINE")
        return line

    # ----------------------------------------------------- the distributor
    def dist_write(self, vcpu: int, off: int, value: int, be: int = 0xF, cycle: int = 0, pc: int = 0) -> None:
        """A guest store to its GICD at byte offset `off` (word-aligned here) with byte enables `be`."""
        off &= 0xFFC
        lanes = sum(0xFF << (8 * b) for b in range(4) if be >> b & 1)
        v = value & lanes

        def ids(base: int) -> range:
            first = (off - base) * 8
            return range(first, min(first + 32, self.nr_irqs))

        def bits(base: int, setting: bool, apply: Callable[[int, bool], object]) -> None:
            for n, intid in enumerate(ids(base)):
                if v >> n & 1:
                    apply(intid, setting)

        if off == Gicd.CTLR:
            was = self.ctlr & 1
            self.ctlr = v & 1
            if self.ctlr and not was:
                self._reassert_all(cycle, pc, "GICD_CTLR")
        elif Gicd.ISENABLER <= off < Gicd.ICENABLER + 0x80:
            bits(Gicd.ISENABLER if off < Gicd.ICENABLER else Gicd.ICENABLER, off < Gicd.ICENABLER,
                 lambda i, on: self._enable(vcpu, i, on, cycle, pc))
        elif Gicd.ISPENDR <= off < Gicd.ICPENDR + 0x80:
            bits(Gicd.ISPENDR if off < Gicd.ICPENDR else Gicd.ICPENDR, off < Gicd.ICPENDR,
                 lambda i, on: self._set_latch(vcpu, i, on, cycle, pc, "GICD_ISPENDR") if i >= NUM_SGI else None)
        elif Gicd.ISACTIVER <= off < Gicd.ICACTIVER + 0x80:
            bits(Gicd.ISACTIVER if off < Gicd.ICACTIVER else Gicd.ICACTIVER, off < Gicd.ICACTIVER,
                 lambda i, on: setattr(self.irq(vcpu, i), "active", on))
        elif Gicd.IPRIORITYR <= off < Gicd.IPRIORITYR + 0x400:
            for b in range(4):
                intid = off - Gicd.IPRIORITYR + b
                if be >> b & 1 and intid < self.nr_irqs:
                    self.irq(vcpu, intid).priority = (v >> (8 * b)) & PRIO_BITS_MASK
        elif Gicd.ITARGETSR + NUM_PRIV <= off < Gicd.ITARGETSR + 0x400:
            if self.nr_vcpus == 1:
                return      # IHI0048B 4.3.12: a uniprocessor's ITARGETSRs are RAZ/WI, all go to CPU 0
            for b in range(4):
                intid = off - Gicd.ITARGETSR + b
                if be >> b & 1 and intid < self.nr_irqs:
                    self.shared[intid].targets = (v >> (8 * b)) & ((1 << self.nr_vcpus) - 1)
        elif Gicd.ICFGR + 4 <= off < Gicd.ICFGR + 0x100:   # ICFGR0 (SGIs) is read-only
            for n in range(16):
                intid = (off - Gicd.ICFGR) // 4 * 16 + n
                if intid < self.nr_irqs and lanes >> (2 * n + 1) & 1:
                    self.irq(vcpu, intid).edge = bool(v >> (2 * n + 1) & 1)
        elif off == Gicd.SGIR:
            self._sgi(vcpu, v, cycle, pc)
        elif Gicd.SPENDSGIR <= off < Gicd.SPENDSGIR + 0x10:
            for b in range(4):
                src = v >> (8 * b) & ((1 << self.nr_vcpus) - 1)
                if src:
                    self.irq(vcpu, off - Gicd.SPENDSGIR + b).sources |= src
                    self._set_latch(vcpu, off - Gicd.SPENDSGIR + b, True, cycle, pc, "GICD_SPENDSGIR")
        elif Gicd.CPENDSGIR <= off < Gicd.CPENDSGIR + 0x10:
            for b in range(4):
                if v >> (8 * b) & 0xFF:
                    s = self.irq(vcpu, off - Gicd.CPENDSGIR + b)
                    s.sources &= ~(v >> (8 * b) & 0xFF)
                    if not s.sources:
                        self._set_latch(vcpu, off - Gicd.CPENDSGIR + b, False, cycle, pc, "GICD_CPENDSGIR")

    def _enable(self, vcpu: int, intid: int, on: bool, cycle: int, pc: int) -> None:
        if intid < NUM_SGI:
            return                               # SGIs are always enabled (GIC-400)
        s = self.irq(vcpu, intid)
        was, s.enabled = s.enabled, on
        for v in ([vcpu] if intid < NUM_PRIV else self._vcpus_of(intid)):
            if on and not was and self.pending(v, intid):
                self._assert(v, intid, "GICD_ISENABLER", cycle, pc)
            elif was and not on:
                self._lowered(v, intid, cycle)     # disabled before it was delivered: not owed now

    def _reassert_all(self, cycle: int, pc: int, why: str) -> None:
        for v in range(self.nr_vcpus):
            for i in range(self.nr_irqs):
                if self.targets_vcpu(v, i) and self.irq(v, i).enabled and self.pending(v, i):
                    self._assert(v, i, why, cycle, pc)

    def _set_latch(self, vcpu: int, intid: int, on: bool, cycle: int, pc: int, source: str) -> None:
        s = self.irq(vcpu, intid)
        s.latch = on
        vcpus = [vcpu] if intid < NUM_PRIV else self._vcpus_of(intid)
        for v in vcpus:
            if on:
                self._assert(v, intid, source, cycle, pc)
            elif not self.pending(v, intid):
                self._lowered(v, intid, cycle)

    def _sgi(self, vcpu: int, v: int, cycle: int, pc: int) -> None:
        """GICD_SGIR (4.3.15): TargetListFilter 0 the list, 1 all but the sender, 2 the sender."""
        filt, cpus, sgi = v >> 24 & 3, v >> 16 & 0xFF, v & 0xF
        if filt == 1:
            cpus = ((1 << self.nr_vcpus) - 1) & ~(1 << vcpu)
        elif filt == 2:
            cpus = 1 << vcpu
        elif filt == 3:
            return
        for t in range(self.nr_vcpus):
            if cpus >> t & 1:
                self.irq(t, sgi).sources |= 1 << vcpu
                self._set_latch(t, sgi, True, cycle, pc, "GICD_SGIR")

    # -------------------------------------------------- the guest's GICV
    def guest_ack(self, vcpu: int, intid: int, cycle: int, pc: int) -> str | None:
        """The guest read GICV_IAR = intid; None, or why that was not owed to it."""
        inj = self._inflight.get((vcpu, intid))
        if inj is None:
            return (f"the guest of {self.label} vCPU {vcpu} acknowledged interrupt {intid} "
                    f"(GICV_IAR) but no list register had it pending")
        if inj.ack_cycle is None:
            inj.ack_cycle, inj.ack_pc = cycle, pc
        return None

    def guest_eoi(self, vcpu: int, intid: int, cycle: int, pc: int) -> None:
        inj = self._inflight.get((vcpu, intid))
        if inj is not None and inj.eoi_cycle is None:
            inj.eoi_cycle, inj.eoi_pc = cycle, pc
        if (vcpu, intid) in self._orphans:      # its LR was lost: the guest's EOI still ends it
            self._orphans.discard((vcpu, intid))
            self._inflight.pop((vcpu, intid), None)
            s = self.irq(vcpu, intid)
            s.active = False
            if not s.edge and s.line:
                self._assert(vcpu, intid, "level after EOI", cycle, pc)

    # ------------------------------------------------ exits and entries
    def exit(self, vcpu: int, lrs: list[int], cycle: int = 0) -> None:
        """The LRs the hypervisor read back at an exit: the guest's acknowledges and EOIs."""
        for i, value in enumerate(lrs):
            slot = self.lrs[vcpu][i]
            if slot.intid is None:
                continue
            s = self.irq(vcpu, slot.intid)
            state = (value >> 28) & 3
            if lr_vid(value) != slot.intid:
                state = 0                         # the hardware lost it: treat as gone
            if state & LrState.ACTIVE:
                s.active = True
            if state == LrState.INVALID:          # acknowledged and EOIed (5.3.9)
                s.active = False
                s.lr = None
                inj = self._inflight.pop((vcpu, slot.intid), None)
                if (inj is not None and not s.edge and s.line and s.enabled
                        and (vcpu, slot.intid) not in self._open):
                    # a level line still high after the EOI: owed again (seen from the EOI on)
                    when = inj.eoi_cycle if inj.eoi_cycle is not None else cycle
                    self._assert(vcpu, slot.intid, "level after EOI", when, inj.eoi_pc or 0)
                self.lrs[vcpu][i] = LrSlot()
            else:
                self.lrs[vcpu][i] = LrSlot(slot.intid, state, value, slot.latched)

    def expected_lr(self, vcpu: int, intid: int, source_cpu: int = 0) -> int:
        """The LR value KVM loads for a new delivery: pending, the 5-bit priority, EOI for a level
        interrupt (its EOI must come back as a maintenance interrupt to resample the line), CPUID
        of the sender for an SGI."""
        s = self.irq(vcpu, intid)
        return lr_encode(intid, s.priority >> 3, LrState.PENDING, eoi=not s.edge,
                         cpuid=source_cpu if intid < NUM_SGI else 0)

    def entry(self, vcpu: int, lrs: list[int], hcr: int, hcr_vi: bool | None = None,
              hcr_vf: bool | None = None, cycle: int = 0, lr_at: list[tuple[int, int]] | None = None,
              optional: frozenset[int] = frozenset(), pc: int = 0) -> list[str]:
        """Check the LRs and GICH_HCR the hypervisor loaded for an entry of `vcpu`; update the
        model with the deliveries. `optional` are interrupts whose assertion fell inside the
        hypervisor's own window before this entry (a timer that expired after the exit): they may
        be delivered now or at the next entry. `lr_at` is the (cycle, pc) of each LR's write.
        Returns the mismatches."""
        bad: list[str] = []
        at_of = lr_at or [(cycle, pc)] * len(lrs)
        here = f"cycle {cycle} pc {pc:#010x}"
        who = f"{self.label} vCPU {vcpu}"
        seen: dict[int, int] = {}
        new: list[int] = []
        for i, value in enumerate(lrs):
            old = self.lrs[vcpu][i]
            state, vid = (value >> 28) & 3, lr_vid(value)
            at = f"cycle {at_of[i][0]} pc {at_of[i][1]:#010x}"
            if old.intid is not None and old.state & LrState.ACTIVE and (vid != old.intid or not state & LrState.ACTIVE):
                inj = self._inflight.get((vcpu, old.intid))
                acked = (f" (acknowledged by the guest at cycle {inj.ack_cycle} pc {inj.ack_pc:#010x})"
                         if inj is not None and inj.ack_cycle is not None else "")
                bad.append(f"{at}: {who}: GICH_LR{i} held interrupt {old.intid} active{acked}, the hypervisor "
                           f"overwrote it with {value:#010x} ({lr_text(value)}): expected {old.value:#010x}, "
                           f"an active LR must keep its interrupt until the guest's EOI")
                # the guest still has it active (it acknowledged it): its EOI ends it (guest_eoi)
                self.irq(vcpu, old.intid).lr = None
                self._orphans.add((vcpu, old.intid))
                old = LrSlot()
            elif old.intid is not None and (vid != old.intid or state == 0):
                # a pending LR taken back: only right if it stopped being owed
                s = self.irq(vcpu, old.intid)
                s.lr = None
                if old.latched and old.state == LrState.PENDING:
                    s.latch = True               # the pending edge goes back to the distributor
                    if old.intid < NUM_SGI:      # with its source
                        s.sources |= 1 << lr_cpuid(old.value)
                inj = self._inflight.pop((vcpu, old.intid), None)
                if self.pending(vcpu, old.intid) and s.enabled and self.ctlr & 1:
                    if inj is not None:
                        inj.lr_cycle = inj.lr_pc = inj.lr_index = None
                        self._open[(vcpu, old.intid)] = inj
                else:
                    if inj is not None:
                        inj.withdrawn = cycle
                        self.withdrawn += 1
                old = LrSlot()
            if state == 0:
                self.lrs[vcpu][i] = LrSlot()
                continue
            if vid in seen:
                bad.append(f"{at}: {who}: interrupt {vid} in GICH_LR{seen[vid]} and GICH_LR{i} at once")
            seen[vid] = i
            if old.intid is not None:        # the same interrupt kept in its LR
                s = self.irq(vcpu, vid)
                still = old.latched or self.pending(vcpu, vid)   # a latched pending state lives in the LR
                if state == LrState.PENDING and not (still and s.enabled and self.ctlr & 1):
                    why = ("its line is low" if not still else
                           "it is disabled" if not s.enabled else "the distributor is disabled")
                    bad.append(f"{at}: {who}: GICH_LR{i} still offers interrupt {vid} pending ({value:#010x}) "
                               f"but {why}: expected it taken back before the guest acknowledges it")
                self.lrs[vcpu][i] = LrSlot(vid, state, value, old.latched)
                continue
            new.append(i)
        # new deliveries, in LR order
        owed = self.candidates(vcpu)
        for i in new:
            value = lrs[i]
            vid, state = lr_vid(value), (value >> 28) & 3
            at = f"cycle {at_of[i][0]} pc {at_of[i][1]:#010x}"
            if vid >= self.nr_irqs or vid not in owed:
                why = self._why_not_owed(vcpu, vid)
                bad.append(f"{at}: {who}: GICH_LR{i} = {value:#010x} delivers interrupt {vid}, which is not owed "
                           f"to this vCPU ({why}): expected no delivery of {vid}")
                if vid >= self.nr_irqs:
                    continue
            else:
                srcs = self.irq(vcpu, vid).sources if vid < NUM_SGI else 0
                # an SGI pending from several CPUs: one source per delivery, the lowest first (as KVM)
                want = self.expected_lr(vcpu, vid, (srcs & -srcs).bit_length() - 1 if srcs else 0)
                if value != want:
                    bad.append(f"{at}: {who}: GICH_LR{i} for interrupt {vid}: expected {want:#010x} "
                               f"({lr_text(want)}), seen {value:#010x} ({lr_text(value)})")
            s = self.irq(vcpu, vid)
            s.lr = i
            latched = s.latch
            s.latch = False                      # the pending latch moved into the LR
            if vid < NUM_SGI and s.sources:      # ... for one source; the others stay pending
                s.sources &= ~(1 << lr_cpuid(value))
                s.latch = bool(s.sources)
            self.lrs[vcpu][i] = LrSlot(vid, state, value, latched)
            inj = self._open.pop((vcpu, vid), None)
            self._late.discard((vcpu, vid))
            if inj is None and vid in owed:      # owed without a recorded assertion (e.g. enabled late)
                inj = Injection(self.vm, vcpu, vid, "pending", at_of[i][0], at_of[i][1])
                self.injections.append(inj)
            if inj is not None:
                inj.lr_cycle, inj.lr_pc, inj.lr_index = at_of[i][0], at_of[i][1], i
                self._inflight[(vcpu, vid)] = inj
        # priority order and a free LR left while something is owed
        delivered = [lr_vid(lrs[i]) for i in new if lr_vid(lrs[i]) in owed]
        left = [c for c in self.candidates(vcpu) if c not in optional]
        free = [i for i in range(len(lrs)) if (lrs[i] >> 28) & 3 == 0]
        for c in left:
            pc = self.irq(vcpu, c).priority
            for d in delivered:
                if self.irq(vcpu, d).priority > pc:
                    bad.append(f"{here}: {who}: priority order: interrupt {d} (priority {self.irq(vcpu, d).priority:#x}) "
                               f"delivered while interrupt {c} (priority {pc:#x}) waits: expected {c} first")
            if free and (vcpu, c) not in self._late:
                self._late.add((vcpu, c))         # once per assertion, not at every entry after
                inj = self._open.get((vcpu, c))
                since = f", asserted at cycle {inj.asserted} ({inj.source})" if inj else ""
                bad.append(f"{here}: {who}: interrupt {c} is owed{since} but not in any list register "
                           f"although GICH_LR{free[0]} is free: expected it delivered at this entry")
        want_uie = bool(left) and not free        # UIE: some wait because every LR is taken
        if not hcr & HCR_EN:
            bad.append(f"{here}: {who}: GICH_HCR = {hcr:#x} at entry: expected En (bit 0) set")
        if bool(hcr & HCR_UIE) != want_uie and not (hcr & HCR_UIE and self.candidates(vcpu)):
            bad.append(f"{here}: {who}: GICH_HCR.UIE = {int(bool(hcr & HCR_UIE))}, expected {int(want_uie)} "
                       f"({len(left)} interrupts wait for a free list register)")
        if hcr_vi is not None and hcr_vi != self.cpu_lines[vcpu][0]:
            bad.append(f"{here}: {who}: HCR.VI = {int(hcr_vi)} at entry, expected {int(self.cpu_lines[vcpu][0])} "
                       f"(the KVM_IRQ_LINE CPU IRQ line)")
        if hcr_vf is not None and hcr_vf != self.cpu_lines[vcpu][1]:
            bad.append(f"{here}: {who}: HCR.VF = {int(hcr_vf)} at entry, expected {int(self.cpu_lines[vcpu][1])} "
                       f"(the KVM_IRQ_LINE CPU FIQ line)")
        return bad

    def _why_not_owed(self, vcpu: int, vid: int) -> str:
        if vid >= self.nr_irqs:
            return f"the vGIC has {self.nr_irqs} IDs"
        s = self.irq(vcpu, vid)
        if not self.targets_vcpu(vcpu, vid):
            return f"GICD_ITARGETSR sends it to vCPUs {s.targets:#x}"
        if not self.ctlr & 1:
            return "the distributor is disabled"
        if not s.enabled:
            return "it is disabled"
        if not self.pending(vcpu, vid):
            return "it is not pending: " + ("no edge since its last delivery" if s.edge else "its line is low")
        if s.active:
            return "it is still active"
        if s.lr is not None:
            return f"it is already in GICH_LR{s.lr}"
        return "?"

    def open_injections(self) -> list[Injection]:
        return list(self._open.values())


def lr_text(lr: int) -> str:
    """A GICH_LR value in words: ID, state, priority, EOI."""
    state = ("invalid", "pending", "active", "pending+active")[(lr >> 28) & 3]
    return f"ID {lr_vid(lr)}, {state}, priority {lr_priority(lr):#x}" + (", EOI" if lr_eoi(lr) else "")

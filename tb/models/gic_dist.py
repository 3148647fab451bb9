"""GICv2 distributor and physical CPU interfaces (IHI0048B chapters 3 and 4).

Plain Python, no simulator. State is kept per interrupt; SGI/PPI state is banked
per CPU. Choices where the spec leaves freedom follow rtl/gic/gic_top.sv's header
(group 0 only, SGI enables RAO/WI, PPIs level-sensitive, 8 priority bits).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .gic_regs import (GICC_CTLR_MASK, GICC_IIDR_VALUE, GICD_IIDR_VALUE, MAINT_PPI, MIN_ABPR, NUM_PRIV,
                       NUM_SGI, SPURIOUS, CTLR_ENABLE_GRP0, CTLR_EOIMODE, CTLR_FIQEN, Gicc, Gicd,
                       group_priority, iar_value)


@dataclass
class CpuIf:
    """One physical CPU interface (IHI0048B 4.4)."""
    ctlr: int = 0
    pmr: int = 0
    bpr: int = 0
    abpr: int = MIN_ABPR
    apr: int = 0          # 128 bits: bit n = group priority 2n is active (GICC_APRn)

    def running_priority(self) -> int:
        """IHI0048B 3.3.2: the group priority of the highest active priority, 0x100 when idle."""
        if self.apr == 0:
            return 0x100
        return ((self.apr & -self.apr).bit_length() - 1) << 1

    def drop_priority(self) -> None:
        """Priority drop (IHI0048B 3.2.6): clear the highest active priority."""
        self.apr &= self.apr - 1


@dataclass
class Banked:
    """SGI/PPI state of one CPU (IHI0048B 3.1.2: banked per CPU)."""
    enabled: list[bool] = field(default_factory=lambda: [i < NUM_SGI for i in range(NUM_PRIV)])
    latch: list[bool] = field(default_factory=lambda: [False] * NUM_PRIV)
    active: list[bool] = field(default_factory=lambda: [False] * NUM_PRIV)
    priority: list[int] = field(default_factory=lambda: [0] * NUM_PRIV)
    line: list[bool] = field(default_factory=lambda: [False] * NUM_PRIV)  # PPI input pins
    sgi_sources: list[int] = field(default_factory=lambda: [0] * NUM_SGI)  # bitmap per SGI


@dataclass(frozen=True)
class Pending:
    """The highest priority pending interrupt of a CPU interface."""
    intid: int
    priority: int
    source: int


class Distributor:
    """Distributor state plus the NCPU physical CPU interfaces."""

    def __init__(self, ncpu: int = 1, nirq: int = 64) -> None:
        if ncpu < 1 or ncpu > 8:
            raise ValueError(f"NCPU must be 1..8, got {ncpu}")
        if nirq % 32 or not 64 <= nirq <= 256:
            raise ValueError(f"NIRQ must be a multiple of 32 in 64..256, got {nirq}")
        self.ncpu, self.nirq = ncpu, nirq
        nspi = nirq - NUM_PRIV
        self.ctlr = 0
        self.banked = [Banked() for _ in range(ncpu)]
        self.cpuif = [CpuIf() for _ in range(ncpu)]
        self.spi_enabled = [False] * nspi
        self.spi_latch = [False] * nspi
        self.spi_active = [False] * nspi
        self.spi_priority = [0] * nspi
        self.spi_targets = [0] * nspi
        self.spi_edge = [False] * nspi
        self.spi_line = [False] * nspi
        self.maint_line = [False] * ncpu    # PPI 25 driven by the virtual interface

    # ------------------------------------------------------------ per-ID view
    def is_enabled(self, intid: int, cpu: int) -> bool:
        if intid < NUM_PRIV:
            return self.banked[cpu].enabled[intid]
        return self.spi_enabled[intid - NUM_PRIV]

    def ppi_line(self, intid: int, cpu: int) -> bool:
        return self.banked[cpu].line[intid] or (intid == MAINT_PPI and self.maint_line[cpu])

    def is_pending(self, intid: int, cpu: int) -> bool:
        """IHI0048B 3.2.4: level-sensitive interrupts are pending while the line is high
        or a software pending latch is set; edge-triggered ones latch the rising edge."""
        b = self.banked[cpu]
        if intid < NUM_SGI:
            return b.sgi_sources[intid] != 0
        if intid < NUM_PRIV:
            return b.latch[intid] or self.ppi_line(intid, cpu)
        n = intid - NUM_PRIV
        return self.spi_latch[n] or (not self.spi_edge[n] and self.spi_line[n])

    def is_active(self, intid: int, cpu: int) -> bool:
        if intid < NUM_PRIV:
            return self.banked[cpu].active[intid]
        return self.spi_active[intid - NUM_PRIV]

    def set_active(self, intid: int, cpu: int, value: bool) -> None:
        if intid < NUM_PRIV:
            self.banked[cpu].active[intid] = value
        elif intid < self.nirq:
            self.spi_active[intid - NUM_PRIV] = value

    def priority(self, intid: int, cpu: int) -> int:
        if intid < NUM_PRIV:
            return self.banked[cpu].priority[intid]
        return self.spi_priority[intid - NUM_PRIV]

    def targets_cpu(self, intid: int, cpu: int) -> bool:
        return intid < NUM_PRIV or bool(self.spi_targets[intid - NUM_PRIV] >> cpu & 1)

    def eligible(self, intid: int, cpu: int) -> bool:
        return (bool(self.ctlr & 1) and self.is_enabled(intid, cpu) and self.is_pending(intid, cpu)
                and not self.is_active(intid, cpu) and self.targets_cpu(intid, cpu))

    def highest_pending(self, cpu: int) -> Pending | None:
        """IHI0048B 3.2.3: highest priority, ties to the lowest ID; SGIs from the lowest source."""
        best: Pending | None = None
        for intid in range(self.nirq):
            if self.eligible(intid, cpu):
                prio = self.priority(intid, cpu)
                if best is None or prio < best.priority:
                    src = 0
                    if intid < NUM_SGI:
                        srcs = self.banked[cpu].sgi_sources[intid]
                        src = (srcs & -srcs).bit_length() - 1
                    best = Pending(intid, prio, src)
        return best

    def hppi_ok(self, cpu: int) -> Pending | None:
        """What GICC_HPPIR reports: enabled interface and priority above the mask (4.4.8)."""
        ci = self.cpuif[cpu]
        best = self.highest_pending(cpu)
        if best is None or not ci.ctlr & CTLR_ENABLE_GRP0 or best.priority >= ci.pmr:
            return None
        return best

    def preempts(self, cpu: int) -> Pending | None:
        """What is signalled and acknowledged: also above the running priority (3.3)."""
        ci = self.cpuif[cpu]
        best = self.hppi_ok(cpu)
        if best is None or group_priority(best.priority, ci.bpr) >= ci.running_priority():
            return None
        return best

    def irq_fiq(self, cpu: int) -> tuple[bool, bool]:
        sig = self.preempts(cpu) is not None
        fiq = bool(self.cpuif[cpu].ctlr & CTLR_FIQEN)
        return sig and not fiq, sig and fiq

    # --------------------------------------------------------- CPU interface
    def acknowledge(self, cpu: int) -> int:
        """GICC_IAR read (IHI0048B 4.4.4)."""
        best = self.preempts(cpu)
        if best is None:
            return SPURIOUS
        b, ci = self.banked[cpu], self.cpuif[cpu]
        if best.intid < NUM_SGI:
            b.sgi_sources[best.intid] &= ~(1 << best.source)
        elif best.intid < NUM_PRIV:
            b.latch[best.intid] = False
        else:
            self.spi_latch[best.intid - NUM_PRIV] = False
        self.set_active(best.intid, cpu, True)
        ci.apr |= 1 << (group_priority(best.priority, ci.bpr) >> 1)
        return iar_value(best.intid, best.source)

    def end_of_interrupt(self, cpu: int, value: int) -> None:
        """GICC_EOIR write (IHI0048B 4.4.5): priority drop, and deactivation when EOImode=0."""
        intid, ci = value & 0x3FF, self.cpuif[cpu]
        if intid >= self.nirq or ci.apr == 0:
            return
        ci.drop_priority()
        if not ci.ctlr & CTLR_EOIMODE:
            self.set_active(intid, cpu, False)

    def deactivate(self, cpu: int, value: int) -> None:
        """GICC_DIR write (IHI0048B 4.4.15): only with EOImode=1."""
        intid = value & 0x3FF
        if self.cpuif[cpu].ctlr & CTLR_EOIMODE and intid < self.nirq:
            self.set_active(intid, cpu, False)

    def cpu_read(self, cpu: int, off: int) -> int:
        ci = self.cpuif[cpu]
        if off == Gicc.CTLR:
            return ci.ctlr
        if off == Gicc.PMR:
            return ci.pmr
        if off == Gicc.BPR:
            return ci.bpr
        if off == Gicc.IAR:
            return self.acknowledge(cpu)
        if off == Gicc.RPR:
            return min(ci.running_priority(), 0xFF)
        if off == Gicc.HPPIR:
            best = self.hppi_ok(cpu)
            return SPURIOUS if best is None else iar_value(best.intid, best.source)
        if off == Gicc.ABPR:
            return ci.abpr
        if off in (Gicc.AIAR, Gicc.AHPPIR):
            return SPURIOUS
        if Gicc.APR0 <= off < Gicc.APR0 + 16:
            return ci.apr >> (32 * ((off - Gicc.APR0) >> 2)) & 0xFFFF_FFFF
        if off == Gicc.IIDR:
            return GICC_IIDR_VALUE
        return 0

    def cpu_write(self, cpu: int, off: int, value: int) -> None:
        ci = self.cpuif[cpu]
        if off == Gicc.CTLR:
            ci.ctlr = value & GICC_CTLR_MASK
        elif off == Gicc.PMR:
            ci.pmr = value & 0xFF
        elif off == Gicc.BPR:
            ci.bpr = value & 7
        elif off == Gicc.ABPR:
            ci.abpr = max(value & 7, MIN_ABPR)
        elif off == Gicc.EOIR:
            self.end_of_interrupt(cpu, value)
        elif off == Gicc.DIR:
            self.deactivate(cpu, value)
        elif Gicc.APR0 <= off < Gicc.APR0 + 16:
            sh = 32 * ((off - Gicc.APR0) >> 2)
            ci.apr = (ci.apr & ~(0xFFFF_FFFF << sh)) | ((value & 0xFFFF_FFFF) << sh)

    # ----------------------------------------------------------- distributor
    def _bits(self, base: int, word: int, cpu: int, get) -> int:
        val = 0
        for b in range(32):
            if get(word * 32 + b, cpu):
                val |= 1 << b
        return val

    def dist_read(self, cpu: int, off: int) -> int:
        nwords = self.nirq // 32
        if off == Gicd.CTLR:
            return self.ctlr
        if off == Gicd.TYPER:
            return ((self.ncpu - 1) << 5) | (nwords - 1)
        if off == Gicd.IIDR:
            return GICD_IIDR_VALUE
        if Gicd.ISENABLER <= off < Gicd.IPRIORITYR:
            word = (off >> 2) & 0x1F
            if word >= nwords:
                return 0
            getter = {Gicd.ISENABLER: self.is_enabled, Gicd.ICENABLER: self.is_enabled,
                      Gicd.ISPENDR: self.is_pending, Gicd.ICPENDR: self.is_pending,
                      Gicd.ISACTIVER: self.is_active, Gicd.ICACTIVER: self.is_active}
            return self._bits(off, word, cpu, getter[Gicd(off & ~0x7F)])
        if Gicd.IPRIORITYR <= off < Gicd.ITARGETSR:
            first = off - Gicd.IPRIORITYR
            if first >= self.nirq:
                return 0
            return sum(self.priority(first + k, cpu) << (8 * k) for k in range(4))
        if Gicd.ITARGETSR <= off < Gicd.ICFGR:
            first = off - Gicd.ITARGETSR
            if first < NUM_PRIV:
                return (1 << cpu) * 0x0101_0101
            if first >= self.nirq:
                return 0
            return sum(self.spi_targets[first + k - NUM_PRIV] << (8 * k) for k in range(4))
        if Gicd.ICFGR <= off < Gicd.ICFGR + 0x100:
            word = (off - Gicd.ICFGR) >> 2
            if word == 0:
                return 0xAAAA_AAAA
            if word == 1 or word >= self.nirq // 16:
                return 0
            return sum(int(self.spi_edge[word * 16 + f - NUM_PRIV]) << (2 * f + 1) for f in range(16))
        if Gicd.CPENDSGIR <= off < Gicd.SPENDSGIR + 0x10:
            first = ((off - Gicd.CPENDSGIR) & 0xF)
            return sum(self.banked[cpu].sgi_sources[first + k] << (8 * k) for k in range(4))
        return 0

    def dist_write(self, cpu: int, off: int, value: int, be: int) -> None:
        nwords = self.nirq // 32
        if off == Gicd.CTLR:
            self.ctlr = value & 3
        elif Gicd.ISENABLER <= off < Gicd.IPRIORITYR:
            word, kind = (off >> 2) & 0x1F, Gicd(off & ~0x7F)
            if word < nwords:
                for b in range(32):
                    if value >> b & 1:
                        self._write_bit(kind, word * 32 + b, cpu)
        elif Gicd.IPRIORITYR <= off < Gicd.ITARGETSR:
            for k in range(4):
                intid = off - Gicd.IPRIORITYR + k
                if be >> k & 1 and intid < self.nirq:
                    byte = value >> (8 * k) & 0xFF
                    if intid < NUM_PRIV:
                        self.banked[cpu].priority[intid] = byte
                    else:
                        self.spi_priority[intid - NUM_PRIV] = byte
        elif Gicd.ITARGETSR <= off < Gicd.ICFGR:
            for k in range(4):
                intid = off - Gicd.ITARGETSR + k
                if be >> k & 1 and NUM_PRIV <= intid < self.nirq:
                    self.spi_targets[intid - NUM_PRIV] = value >> (8 * k) & ((1 << self.ncpu) - 1)
        elif Gicd.ICFGR <= off < Gicd.ICFGR + 0x100:
            word = (off - Gicd.ICFGR) >> 2
            if 2 <= word < self.nirq // 16:
                for f in range(16):
                    self.spi_edge[word * 16 + f - NUM_PRIV] = bool(value >> (2 * f + 1) & 1)
        elif off == Gicd.SGIR:
            self.send_sgi(cpu, value)
        elif Gicd.CPENDSGIR <= off < Gicd.SPENDSGIR + 0x10:
            first, setting = (off - Gicd.CPENDSGIR) & 0xF, off >= Gicd.SPENDSGIR
            srcs = self.banked[cpu].sgi_sources
            for k in range(4):
                if be >> k & 1:
                    mask = value >> (8 * k) & ((1 << self.ncpu) - 1)
                    srcs[first + k] = (srcs[first + k] | mask) if setting else (srcs[first + k] & ~mask)

    def _write_bit(self, kind: Gicd, intid: int, cpu: int) -> None:
        b = self.banked[cpu]
        setting = kind in (Gicd.ISENABLER, Gicd.ISPENDR, Gicd.ISACTIVER)
        if kind in (Gicd.ISENABLER, Gicd.ICENABLER):
            if intid < NUM_SGI:
                return            # SGI enables are RAO/WI
            if intid < NUM_PRIV:
                b.enabled[intid] = setting
            else:
                self.spi_enabled[intid - NUM_PRIV] = setting
        elif kind in (Gicd.ISPENDR, Gicd.ICPENDR):
            if intid < NUM_SGI:
                return            # SGI pending through SPENDSGIR/CPENDSGIR only
            if intid < NUM_PRIV:
                b.latch[intid] = setting
            else:
                self.spi_latch[intid - NUM_PRIV] = setting
        else:
            self.set_active(intid, cpu, setting)

    def sgi_targets(self, cpu: int, value: int) -> list[int]:
        """GICD_SGIR.TargetListFilter (IHI0048B 4.3.15)."""
        filt, tlist = value >> 24 & 3, value >> 16 & 0xFF
        if filt == 0:
            return [t for t in range(self.ncpu) if tlist >> t & 1]
        if filt == 1:
            return [t for t in range(self.ncpu) if t != cpu]
        if filt == 2:
            return [cpu]
        return []

    def send_sgi(self, cpu: int, value: int) -> None:
        for t in self.sgi_targets(cpu, value):
            self.banked[t].sgi_sources[value & 0xF] |= 1 << cpu

    # ------------------------------------------------------------------ pins
    def set_spi(self, n: int, level: bool) -> None:
        """Drive SPI pin n (GIC ID 32+n); rising edges latch edge-triggered SPIs."""
        if level and not self.spi_line[n] and self.spi_edge[n]:
            self.spi_latch[n] = True
        self.spi_line[n] = level

    def set_ppi(self, cpu: int, ppi: int, level: bool) -> None:
        """Drive PPI pin ``ppi`` (0-15, GIC ID 16+ppi) of ``cpu``."""
        self.banked[cpu].line[NUM_SGI + ppi] = level


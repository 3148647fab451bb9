"""Stimulus sequences: interrupt storms on the pins, SGIs between CPUs, priority
inversions (priorities and masks rewritten while interrupts are pending or
active), level lines dropped while their interrupt is active."""
from __future__ import annotations

from pyuvm import uvm_sequencer

from hypsim.models.gic_regs import NUM_PRIV, Frame, Gicc, Gicd

from .gic_base import GicBaseSeq, GicSoftware


class GicStormSeq(GicBaseSeq):
    """Random SPI/PPI pin activity: level pulses of random length and edge bursts,
    on the interrupt-line sequencer."""

    def __init__(self, name: str, sw: GicSoftware, burst: float = 0.3) -> None:
        super().__init__(name, sw)
        self.burst = burst
        self.spi = [False] * (sw.nirq - NUM_PRIV)
        self.ppi = [[False] * 16 for _ in range(sw.ncpu)]

    async def body(self) -> None:
        sw, rng = self.sw, self.rng
        while not sw.stop:
            if rng.random() < 0.75:
                n = rng.randrange(len(self.spi))
                self.spi[n] = not self.spi[n] if rng.random() < 0.8 else self.spi[n]
                await self.pin(True, n, self.spi[n])
            else:
                cpu, n = rng.randrange(sw.ncpu), rng.choice([0, 3, 9, 10, 11, 14])  # IDs 16,19,25..27,30
                self.ppi[cpu][n] = not self.ppi[cpu][n]
                await self.pin(False, n, self.ppi[cpu][n], cpu)
            if rng.random() > self.burst:
                await sw.idle(0, 6)


class GicSgiSeq(GicBaseSeq):
    """SGIs between CPUs with every target-list filter, and SPENDSGIR/CPENDSGIR."""

    async def body(self) -> None:
        sw, rng = self.sw, self.rng
        while not sw.stop:
            cpu = rng.randrange(sw.ncpu)
            r = rng.random()
            if r < 0.8:
                filt = rng.choice([0, 0, 1, 2, 3])
                tlist = rng.randrange(1 << sw.ncpu)
                await self.write(Frame.GICD, cpu, Gicd.SGIR, filt << 24 | tlist << 16 | rng.randrange(16))
            elif r < 0.9:
                await self.write(Frame.GICD, cpu, Gicd.SPENDSGIR + 4 * rng.randrange(4),
                                 rng.getrandbits(32), rng.randrange(1, 16))
            else:
                await self.write(Frame.GICD, cpu, Gicd.CPENDSGIR + 4 * rng.randrange(4),
                                 rng.getrandbits(32), rng.randrange(1, 16))
            await sw.idle(2, 12)


class GicPriorityInversionSeq(GicBaseSeq):
    """Rewrites priorities (single byte lanes), PMR and the binary point while
    interrupts are pending and active; reads RPR/HPPIR to be checked."""

    async def body(self) -> None:
        sw, rng = self.sw, self.rng
        while not sw.stop:
            cpu = rng.randrange(sw.ncpu)
            r = rng.random()
            if r < 0.6:
                intid = rng.randrange(sw.nirq)
                lane = intid & 3
                await self.write(Frame.GICD, cpu, Gicd.IPRIORITYR + (intid & ~3),
                                 rng.choice([0x00, 0x10, 0x40, 0x80, 0xA0, 0xF0, 0xF8]) << (8 * lane),
                                 1 << lane)
            elif r < 0.75:
                await self.write(Frame.GICC, cpu, Gicc.PMR, rng.choice([0xFF, 0xF8, 0xC0, 0x80, 0x20]))
            elif r < 0.8:
                await self.write(Frame.GICC, cpu, Gicc.BPR, rng.randrange(8))
            elif r < 0.9:
                await self._invert(cpu)
            else:
                await self.read(Frame.GICC, cpu, Gicc.HPPIR)
            await sw.idle(4, 20)

    async def _invert(self, cpu: int) -> None:
        """Give a pending, inactive interrupt a priority above the running one, so
        the handler nests (preemption depth)."""
        rpr = await self.read(Frame.GICC, cpu, Gicc.RPR)
        if rpr == 0xFF or rpr < 0x20:
            return
        w = self.rng.randrange(self.sw.nirq // 32)
        pend = await self.read(Frame.GICD, cpu, Gicd.ISPENDR + 4 * w)
        act = await self.read(Frame.GICD, cpu, Gicd.ISACTIVER + 4 * w)
        cand = pend & ~act
        if cand:
            bit = self.rng.choice([b for b in range(32) if cand >> b & 1])
            intid = w * 32 + bit
            await self.write(Frame.GICD, cpu, Gicd.IPRIORITYR + (intid & ~3),
                             ((rpr - 0x20) & 0xF0) << (8 * (intid & 3)), 1 << (intid & 3))


class GicPinSeq(GicBaseSeq):
    """Drive one pin once (used by other sequences on the interrupt-line sequencer)."""

    def __init__(self, name: str, sw: GicSoftware, spi: bool, n: int, level: bool, cpu: int = 0) -> None:
        super().__init__(name, sw)
        self.args = (spi, n, level, cpu)

    async def body(self) -> None:
        await self.pin(*self.args)


class GicDropWhileActiveSeq(GicBaseSeq):
    """Level lines dropped while active: finds SPIs that are active and pending
    (line still high) and lowers their lines on the interrupt-line sequencer."""

    def __init__(self, name: str, sw: GicSoftware, lines_seqr: uvm_sequencer) -> None:
        super().__init__(name, sw)
        self.lines_seqr = lines_seqr

    async def body(self) -> None:
        sw, rng = self.sw, self.rng
        while not sw.stop:
            w = rng.randrange(1, sw.nirq // 32)
            active = await self.read(Frame.GICD, 0, Gicd.ISACTIVER + 4 * w)
            pend = await self.read(Frame.GICD, 0, Gicd.ISPENDR + 4 * w)
            both = active & pend
            if both:
                bit = (both & -both).bit_length() - 1
                await GicPinSeq("drop", sw, True, w * 32 + bit - NUM_PRIV, False).start(self.lines_seqr)
            await sw.idle(10, 40)

"""Configuration sequences: a sweep that reads and writes every register, and
the random initial programming a host kernel would do (GICv2 driver init)."""
from __future__ import annotations

from hypsim.models.gic_regs import (CTLR_ENABLE_GRP0, CTLR_EOIMODE, HCR_EN, NUM_PRIV, Frame,
                                    Gicc, Gicd, Gich, all_registers)

from .gic_base import GicBaseSeq

PRIORITIES = [0x00, 0x10, 0x20, 0x40, 0x60, 0x80, 0x88, 0xA0, 0xC0, 0xE0, 0xE8, 0xF0]


class GicRegisterSweepSeq(GicBaseSeq):
    """Reads every register, writes it with a random value, reads it back."""

    async def body(self) -> None:
        for cpu in range(self.sw.ncpu):
            for frame, off, _ in all_registers():
                await self.read(frame, cpu, off)
                await self.write(frame, cpu, off, self.rng.getrandbits(32), self.rng.choice([0xF, 0x1, 0x6]))
                await self.read(frame, cpu, off)


class GicInitSeq(GicBaseSeq):
    """Quiesce, then program distributor, CPU interfaces and virtual interfaces."""

    async def body(self) -> None:
        sw, rng = self.sw, self.rng
        nw = sw.nirq // 32
        await self.write(Frame.GICD, 0, Gicd.CTLR, 0)
        for cpu in range(sw.ncpu):
            for w in range(nw if cpu == 0 else 1):
                await self.write(Frame.GICD, cpu, Gicd.ICENABLER + 4 * w, 0xFFFF_FFFF)
                await self.write(Frame.GICD, cpu, Gicd.ICPENDR + 4 * w, 0xFFFF_FFFF)
                await self.write(Frame.GICD, cpu, Gicd.ICACTIVER + 4 * w, 0xFFFF_FFFF)
            for w in range(4):
                await self.write(Frame.GICD, cpu, Gicd.CPENDSGIR + 4 * w, 0xFFFF_FFFF)
            for w in range(NUM_PRIV // 4):
                await self.write(Frame.GICD, cpu, Gicd.IPRIORITYR + 4 * w,
                                 sum(rng.choice(PRIORITIES) << (8 * k) for k in range(4)))
            sw.eoimode[cpu] = rng.random() < 0.5
            for k in range(4):
                await self.write(Frame.GICC, cpu, Gicc.APR0 + 4 * k, 0)
            await self.write(Frame.GICC, cpu, Gicc.CTLR,
                             CTLR_ENABLE_GRP0 | (CTLR_EOIMODE if sw.eoimode[cpu] else 0))
            await self.write(Frame.GICC, cpu, Gicc.PMR, rng.choice([0xFF, 0xF8, 0xF0]))
            await self.write(Frame.GICC, cpu, Gicc.BPR, rng.choice([0, 1, 2, 3]))
            await self.write(Frame.GICD, cpu, Gicd.ISENABLER, 0xFFFF_0000)
            # virtual interface: empty LRs, enabled, guest interface on
            for lr in range(4):
                await self.write(Frame.GICH, cpu, Gich.LR0 + 4 * lr, 0)
            await self.write(Frame.GICH, cpu, Gich.APR, 0)
            sw.veoimode[cpu] = rng.random() < 0.5
            vmcr = (0x1F << 27) | (rng.choice([2, 3, 4]) << 21) | 1 | (0x200 if sw.veoimode[cpu] else 0)
            await self.write(Frame.GICH, cpu, Gich.VMCR, vmcr)
            await self.write(Frame.GICH, cpu, Gich.HCR, HCR_EN)
        for w in range(NUM_PRIV // 4, sw.nirq // 4):
            await self.write(Frame.GICD, 0, Gicd.IPRIORITYR + 4 * w,
                             sum(rng.choice(PRIORITIES) << (8 * k) for k in range(4)))
            await self.write(Frame.GICD, 0, Gicd.ITARGETSR + 4 * w,
                             sum(rng.randint(1, (1 << sw.ncpu) - 1) << (8 * k) for k in range(4)))
        for w in range(2, sw.nirq // 16):
            await self.write(Frame.GICD, 0, Gicd.ICFGR + 4 * w,
                             sum(rng.getrandbits(1) << (2 * f + 1) for f in range(16)))
        for w in range(1, nw):
            await self.write(Frame.GICD, 0, Gicd.ISENABLER + 4 * w, 0xFFFF_FFFF)
        await self.write(Frame.GICD, 0, Gicd.CTLR, 1)

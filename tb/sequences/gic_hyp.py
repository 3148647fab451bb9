"""Hypervisor-side agent as a sequence: fills list registers the way KVM's
vgic-v2 does (virt/kvm/arm/vgic.c, vgic-v2.c): free LRs from GICH_ELRSR, one
queued interrupt per free LR, level-triggered ones with EOI=1 so their EOI
raises a maintenance interrupt and the line is re-sampled; when more interrupts
are queued than LRs are free, GICH_HCR.UIE asks for an underflow maintenance
interrupt. On maintenance it reads MISR/EISR, retires the EOI'd LRs and
re-queues level interrupts whose virtual line is still high. It also plays the
world switch (save and restore of LRs, APR and VMCR) and KVM_IRQ_LINE-style
injection of new virtual SPIs/PPIs/SGIs."""
from __future__ import annotations

from hypsim.models.gic_regs import (HCR_EN, HCR_EOICOUNT_SHIFT, HCR_LRENPIE, HCR_NPIE, HCR_UIE,
                                    HCR_VGRP0DIE, HCR_VGRP0EIE, HCR_VGRP1DIE, HCR_VGRP1EIE, MISR_LRENP, NUM_LR, Frame, Gich,
                                    LrState, lr_encode, lr_eoi, lr_hw, lr_state)

from .gic_base import GicBaseSeq, GicSoftware, VirqRequest


class GicHypervisorSeq(GicBaseSeq):
    def __init__(self, name: str, sw: GicSoftware, cpu: int) -> None:
        super().__init__(name, sw)
        self.cpu = cpu
        self.hcr = HCR_EN
        self.ladder = 30     # priorities of successive injections climb, so the guest nests

    async def _set_hcr(self, hcr: int) -> None:
        if hcr != self.hcr:
            self.hcr = hcr
            await self.write(Frame.GICH, self.cpu, Gich.HCR, hcr)

    def _new_request(self) -> VirqRequest:
        rng = self.rng
        kind = rng.random()
        if kind < 0.6:
            vid = rng.randrange(32, 64)
        elif kind < 0.8:
            vid = rng.choice([27, 30])
        else:
            vid = rng.randrange(16)
        level = vid >= 16 and rng.random() < 0.6
        if level:
            self.sw.virtual_lines[(self.cpu, vid)] = True
        if rng.random() < 0.5:
            prio = self.ladder
            self.ladder = self.ladder - 7 if self.ladder >= 7 else 30
        else:
            prio = rng.randrange(31)   # 31 is masked by the lowest GICV_PMR (0xF8)
        return VirqRequest(vid, prio, level=level,
                           cpuid=rng.randrange(self.sw.ncpu) if vid < 16 else 0)

    async def _fill(self) -> None:
        queue = self.sw.inject[self.cpu]
        if not queue:
            return
        elrsr = await self.read(Frame.GICH, self.cpu, Gich.ELRSR0)
        for lr in range(NUM_LR):
            if queue and elrsr >> lr & 1:
                req = queue.pop(0)
                await self.write(Frame.GICH, self.cpu, Gich.LR0 + 4 * lr,
                                 lr_encode(req.vid, req.priority5, LrState.PENDING, hw=req.hw,
                                           physical_id=req.pid, eoi=req.level and not req.hw,
                                           cpuid=req.cpuid))

    async def _maintenance(self) -> None:
        cpu, rng = self.cpu, self.rng
        misr = await self.read(Frame.GICH, cpu, Gich.MISR)
        eisr = await self.read(Frame.GICH, cpu, Gich.EISR0)
        for lr in range(NUM_LR):
            if eisr >> lr & 1:
                val = await self.read(Frame.GICH, cpu, Gich.LR0 + 4 * lr)
                await self.write(Frame.GICH, cpu, Gich.LR0 + 4 * lr, 0)
                vid = val & 0x3FF
                if self.sw.virtual_lines.get((cpu, vid)) and rng.random() < 0.5:
                    self.sw.inject[cpu].append(VirqRequest(vid, (val >> 23) & 0x1F, level=True))
                else:
                    self.sw.virtual_lines.pop((cpu, vid), None)
        hcr = self.hcr
        if misr & MISR_LRENP:
            await self.write(Frame.GICH, cpu, Gich.HCR, hcr & 0xFF)   # EOICount := 0
            self.hcr = hcr & 0xFF
        await self._fill()
        hcr = self.hcr & ~(HCR_NPIE | HCR_VGRP0EIE | HCR_VGRP0DIE | HCR_VGRP1EIE | HCR_VGRP1DIE)
        await self._set_hcr(hcr if self.sw.inject[cpu] else hcr & ~HCR_UIE)

    async def _world_switch(self) -> None:
        """Save and restore the virtual interface, as __vgic_v2_save/restore_state.
        An active level interrupt whose line is high again comes back pending+active."""
        async with self.sw.vcpu_lock[self.cpu]:
            await self._save_restore()

    async def _save_restore(self) -> None:
        cpu = self.cpu
        vmcr = await self.read(Frame.GICH, cpu, Gich.VMCR)
        apr = await self.read(Frame.GICH, cpu, Gich.APR)
        lrs = [await self.read(Frame.GICH, cpu, Gich.LR0 + 4 * i) for i in range(NUM_LR)]
        hcr = await self.read(Frame.GICH, cpu, Gich.HCR)
        await self.write(Frame.GICH, cpu, Gich.HCR, 0)
        await self.sw.idle(0, 3)
        await self.write(Frame.GICH, cpu, Gich.VMCR, vmcr)
        await self.write(Frame.GICH, cpu, Gich.APR, apr)
        for i, v in enumerate(lrs):
            line_high = lr_eoi(v) and self.sw.virtual_lines.get((cpu, v & 0x3FF))
            retriggered = not lr_eoi(v) and not lr_hw(v) and self.rng.random() < 0.2  # edge again
            if lr_state(v) == LrState.ACTIVE and (line_high or retriggered) and self.rng.random() < 0.5:
                v |= LrState.PENDING_ACTIVE << 28
            await self.write(Frame.GICH, cpu, Gich.LR0 + 4 * i, v)
        await self.write(Frame.GICH, cpu, Gich.HCR, hcr)
        self.hcr = hcr & 0xFF  # noqa: keeps EOICount out of the cached copy
        if hcr >> HCR_EOICOUNT_SHIFT:
            self.hcr = hcr

    async def body(self) -> None:
        sw, rng, cpu = self.sw, self.rng, self.cpu
        while not sw.stop:
            await sw.idle(1, 8)
            r = rng.random()
            if sw.line("maint_o", cpu):
                await self._maintenance()
            elif r < 0.4:
                if len(sw.inject[cpu]) < 8:
                    sw.inject[cpu].append(self._new_request())
                await self._fill()
            elif r < 0.5:
                # LR overflow: more queued than free LRs -> underflow maintenance
                await self._set_hcr((self.hcr | HCR_UIE) if sw.inject[cpu] else (self.hcr & ~HCR_UIE))
            elif r < 0.55:
                await self._set_hcr(self.hcr | rng.choice([HCR_NPIE, HCR_LRENPIE, HCR_VGRP0EIE,
                                                           HCR_VGRP0DIE, HCR_VGRP1EIE, HCR_VGRP1DIE]))
            elif r < 0.6:
                await self._world_switch()
            elif r < 0.65:
                for (c, vid) in list(sw.virtual_lines):
                    if c == cpu and rng.random() < 0.3:
                        sw.virtual_lines[(c, vid)] = False     # device lowered its line
            elif r < 0.7:
                await self.read(Frame.GICH, cpu, rng.choice([Gich.MISR, Gich.EISR0, Gich.ELRSR0,
                                                             Gich.VTR, Gich.APR]))

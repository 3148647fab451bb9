"""CPU-side agents as sequences: interrupt handlers that acknowledge, nest by
priority, EOI and deactivate after random delays — on the physical CPU
interface (GICC) of a CPU, and on the virtual CPU interface (GICV) for the guest
running on it. With EOImode=1 the physical handler forwards SPIs at or above
``sw.forward_from`` to the hypervisor (priority drop only; the guest's EOI of
the HW=1 list register deactivates them), as KVM does with forwarded IRQs."""
from __future__ import annotations

from hypsim.models.gic_regs import SPURIOUS, Frame, Gicc

from .gic_base import GicBaseSeq, GicSoftware, VirqRequest

MAX_NEST = 4


class GicCpuHandlerSeq(GicBaseSeq):
    def __init__(self, name: str, sw: GicSoftware, cpu: int, virtual: bool = False) -> None:
        super().__init__(name, sw)
        self.cpu, self.virtual = cpu, virtual
        self.frame = Frame.GICV if virtual else Frame.GICC
        self.stack: list[int] = []          # acknowledged, not yet EOI'd (nesting)
        self.to_deactivate: list[int] = []  # EOImode=1: dropped, waiting for DIR

    def _signalled(self) -> bool:
        names = ("virq_o", "vfiq_o") if self.virtual else ("irq_o", "fiq_o")
        return any(self.sw.line(n, self.cpu) for n in names)

    def _eoimode(self) -> bool:
        return (self.sw.veoimode if self.virtual else self.sw.eoimode)[self.cpu]

    async def body(self) -> None:
        sw = self.sw
        while not sw.stop or self.stack or self.to_deactivate:
            await sw.idle(0, 4)
            if self.virtual:
                async with sw.vcpu_lock[self.cpu]:
                    await self._step()
            else:
                await self._step()

    async def _step(self) -> None:
        sw, rng, cpu = self.sw, self.rng, self.cpu
        if sw.stop:
            await self._finish_one()
            return
        r = rng.random()
        if self.virtual and r < 0.01:
            # the guest toggles its group enables (VGrp0E/D, VGrp1E/D maintenance causes)
            ctlr = (0x200 if self._eoimode() else 0) | (rng.random() < 0.7) | (rng.getrandbits(1) << 1)
            await self.write(Frame.GICV, cpu, Gicc.CTLR, ctlr)
            return
        if self._signalled() and len(self.stack) < MAX_NEST and (not self.stack or r < 0.6):
            iar = await self.read(self.frame, cpu, Gicc.IAR)
            if iar & 0x3FF != SPURIOUS:
                self.stack.append(iar)
        elif self.stack and r < 0.45:
            await self._finish_one()
        elif self.to_deactivate and r < 0.85:
            await self._deactivate_any()
        elif r < 0.9:
            await self.read(self.frame, cpu, rng.choice([Gicc.HPPIR, Gicc.RPR]))
        elif r < 0.92 and len(self.stack) < MAX_NEST:
            iar = await self.read(self.frame, cpu, Gicc.IAR)   # often spurious, checked anyway
            if iar & 0x3FF != SPURIOUS:
                self.stack.append(iar)

    async def _finish_one(self) -> None:
        if not self.stack:
            if self.to_deactivate:
                await self._deactivate_any()
            return
        iar = self.stack.pop()
        await self.write(self.frame, self.cpu, Gicc.EOIR, iar)
        intid = iar & 0x3FF
        if not self._eoimode():
            return
        if not self.virtual and intid >= self.sw.forward_from and not self.sw.stop:
            # forwarded: the hypervisor injects it with HW=1; the guest deactivates it
            self.sw.inject[self.cpu].append(
                VirqRequest(intid, self.rng.randrange(31), hw=True, pid=intid))
        else:
            self.to_deactivate.append(iar)

    async def _deactivate_any(self) -> None:
        iar = self.to_deactivate.pop(self.rng.randrange(len(self.to_deactivate)))
        await self.write(self.frame, self.cpu, Gicc.DIR, iar)

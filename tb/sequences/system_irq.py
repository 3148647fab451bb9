"""Interrupt storms with every KVM_IRQ_LINE type: CPU (IRQ and FIQ lines,
HCR.VI/VF), SPI (level 34-47 and edge 48-63) and PPI (16-24, 28, 29, 31),
one to three raised with each IRQ window the guest opens (sometimes after a
WFI), some while others are still pending, and bursts of five to seven level
lines or of four edges held back during a load and joined by more (more than
the four list registers: the vGIC queues the rest and asks for the underflow
maintenance interrupt, which fires once the guest has EOIed edges without an
exit in between: it acknowledges edges to the device after the window). The guest
acknowledges each to the device (TBDEV_ACK) from its IRQ/FIQ handler and the
sequence lowers a level line then; at the end the guest gets windows until
every line was acknowledged."""
from __future__ import annotations

from . import system_ops as ops
from .system_base import SystemDeviceSeq

CPU_LINES = (ops.CPU_ACK | 0, ops.CPU_ACK | 1)


class SystemIrqStormSeq(SystemDeviceSeq):
    def __init__(self, name: str, vmm, seed: int, max_delay: int = 300, n_ops: int = 40) -> None:
        super().__init__(name, vmm, seed, max_delay, n_ops)

    def pick_line(self) -> int:
        r = self.rng.random()
        if r < 0.2:
            return self.rng.choice(CPU_LINES)
        if r < 0.45:
            return self.rng.choice(ops.PPIS)
        if r < 0.75:
            return self.rng.choice(ops.LEVEL_SPIS)
        return self.rng.choice(ops.EDGE_SPIS)

    def next_op(self) -> int:
        r = self.rng.random()
        if r < 0.1:                          # edges pile up while the guest is busy elsewhere, then a
            self._raise = self.rng.sample(ops.EDGE_SPIS, 4)   # window takes them all: more than 4 LRs
            return ops.load(self.rng.choice(list(ops.LOAD_KINDS)), self.rng.choice(ops.RTS), 0)
        if r < 0.2:                          # a load between storms: the device's data path stays honest
            return ops.load(self.rng.choice(list(ops.LOAD_KINDS)), self.rng.choice(ops.RTS), 0)
        if self.rng.random() < 0.2:          # a burst: more than the 4 list registers hold (GICH_HCR.UIE)
            self._raise = self.rng.sample(ops.LEVEL_SPIS + ops.PPIS, self.rng.randint(5, 7))
        else:
            self._raise = [self.pick_line() for _ in range(self.rng.randint(1, 3))]
        return ops.irq_window(self.rng.choice([4, 16, 64]), wfi=self.rng.random() < 0.3)

    def lines_with(self, op: int) -> list[tuple[int, int]]:
        if op & 0xF not in (ops.IRQ_WINDOW, ops.LOAD) or self.issued > self.n_ops:
            return []
        reqs: list[tuple[int, int]] = []
        for line in getattr(self, "_raise", []):
            reqs += self.raise_line(line)
        self._raise = []
        if op & 0x10 and not reqs and not (self.high or self.latched):
            # WFI with nothing pending would sleep for ever (no timer): raise one line
            reqs = self.raise_line(self.rng.choice(ops.LEVEL_SPIS))
        return reqs[:8]

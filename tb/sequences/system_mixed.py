"""Everything at once for the long runs: MMIO accesses, interrupt storms,
PSCI calls, mode tours and VFP ops interleaved in one mmiorand.c run."""
from __future__ import annotations

from .system_irq import SystemIrqStormSeq
from .system_mmio import SystemMmioSeq
from .system_psci import SystemPsciSeq


class SystemMixedSeq(SystemIrqStormSeq):
    def __init__(self, name: str, vmm, seed: int, max_delay: int = 300, n_ops: int = 200) -> None:
        super().__init__(name, vmm, seed, max_delay, n_ops)
        self.mmio = SystemMmioSeq(name + ".mmio", vmm, seed + 1, 0, n_ops)
        self.psci = SystemPsciSeq(name + ".psci", vmm, seed + 2, 0, n_ops)

    def next_op(self) -> int:
        r = self.rng.random()
        if r < 0.4:
            self.mmio.issued = self.issued
            return self.mmio.next_op()
        if r < 0.6:
            self.psci.issued = self.issued
            return self.psci.next_op()
        return super().next_op()

"""PSCI traffic and guest modes: mmiorand.c makes PSCI calls through HVC and
SMC with every function number (SMC32 and SMC64 forms, the unallocated ones,
CPU_ON/AFFINITY_INFO for CPUs 0-3, FEATURES of every id; not CPU_OFF,
SYSTEM_OFF or SYSTEM_RESET, which end the VM), tours the CPU modes (a device
read and write and a PSCI_VERSION from USR, FIQ, IRQ, SVC, ABT, UND, SYS) and
moves patterns through D0 (the lazy VFP switch). The psci guest itself runs
in the long runs (``make -C sim system-env``)."""
from __future__ import annotations

from . import system_ops as ops
from .system_base import SystemDeviceSeq


class SystemPsciSeq(SystemDeviceSeq):
    def __init__(self, name: str, vmm, seed: int, max_delay: int = 300, n_ops: int = 40) -> None:
        super().__init__(name, vmm, seed, max_delay, n_ops)
        self.plan = [ops.mode_op(m) for m in ops.MODES] + [ops.vfp_op(self.rng.getrandbits(28))]
        self.rng.shuffle(self.plan)

    def next_op(self) -> int:
        if self.issued < len(self.plan):
            return self.plan[self.issued]
        r = self.rng.random()
        if r < 0.1:
            return ops.vfp_op(self.rng.getrandbits(28))
        if r < 0.2:
            return ops.mode_op(self.rng.choice(list(ops.MODES)))
        number = self.rng.choice(ops.PSCI_NUMBERS)
        a1 = self.rng.choice([0, 1, 2, 3, self.rng.getrandbits(8)])
        return ops.psci_op(number, self.rng.random() < 0.25, a1, self.rng.random() < 0.2,
                           smc=self.rng.random() < 0.4)

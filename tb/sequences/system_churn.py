"""VMs created, run and destroyed one after another (BI_SEQ_RUNS), some two
at a time, in a VMID space of 1 or 2 bits so that VMID generations roll over
within a few VMs; every exit answered by tb/vmm.py after a random delay. The
guest is vmid.bin (silent; it checks its pages are fresh and private)."""
from __future__ import annotations

import random

from .system_base import RunConfig, SystemVmmSeq


class SystemChurnSeq(SystemVmmSeq):
    def __init__(self, name: str, vmm, seed: int, max_delay: int = 300, n_ops: int = 0) -> None:
        super().__init__(name, vmm, seed, max_delay)

    @classmethod
    def run_config(cls, seed: int) -> RunConfig:
        rng = random.Random(seed ^ 0xC4)
        return RunConfig("vmid", vms=rng.choice([1, 1, 2]), seq_runs=rng.randint(3, 5), vmid_bits=rng.choice([1, 2]))

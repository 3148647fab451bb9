"""Random MMIO values and random response delays: mmiorand.c does LDRB LDRSB
LDRH LDRSH LDR STRB STRH STR to and from every Rt at random device offsets;
each load returns 8 random bytes, each answer comes after a random delay.
The first ops walk a seeded permutation of every (kind, Rt) pair, so a run
of 112 ops or more covers them all."""
from __future__ import annotations

from . import system_ops as ops
from .system_base import SystemDeviceSeq


class SystemMmioSeq(SystemDeviceSeq):
    def __init__(self, name: str, vmm, seed: int, max_delay: int = 300, n_ops: int = 40) -> None:
        super().__init__(name, vmm, seed, max_delay, n_ops)
        pairs = [(ops.LOAD, k, rt) for k in ops.LOAD_KINDS for rt in ops.RTS] + \
                [(ops.STORE, k, rt) for k in ops.STORE_KINDS for rt in ops.RTS]
        self.rng.shuffle(pairs)
        self.plan = pairs

    def next_op(self) -> int:
        code, kind, rt = self.plan[self.issued] if self.issued < len(self.plan) else \
            self.rng.choice(self.plan)
        size = (ops.LOAD_KINDS if code == ops.LOAD else ops.STORE_KINDS)[kind][1]
        off = self.rng.randrange(0, 0xF00, size)
        return (ops.load if code == ops.LOAD else ops.store)(kind, rt, off)

"""Base of the GIC sequences: bus/pin helpers and the shared software context
(what the handler, hypervisor and guest "software" know about each other)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from cocotb.triggers import ClockCycles, FallingEdge, Lock
from pyuvm import uvm_sequence

from hypsim.envs.gic.items import BusItem, PinItem
from hypsim.models.gic_regs import Frame


@dataclass
class VirqRequest:
    """An interrupt the hypervisor wants to inject (what KVM queues per vCPU)."""
    vid: int
    priority5: int
    level: bool = False       # level-triggered: LR gets EOI=1, re-sampled at maintenance
    hw: bool = False
    pid: int = 0
    cpuid: int = 0


@dataclass
class GicSoftware:
    """Shared by every sequence of one run."""
    dut: object
    ncpu: int
    nirq: int
    rng: random.Random
    stop: bool = False
    eoimode: list[bool] = field(default_factory=list)        # per physical CPU
    veoimode: list[bool] = field(default_factory=list)       # per virtual CPU
    forward_from: int = 48                                   # SPIs >= this go to the guest (HW=1)
    inject: list[list[VirqRequest]] = field(default_factory=list)   # per CPU, KVM's ap_list
    virtual_lines: dict[tuple[int, int], bool] = field(default_factory=dict)  # (cpu, vid) level
    # held by the guest while it runs and by the hypervisor's world switch: the
    # guest does not touch GICV while its state is saved and restored
    vcpu_lock: list[Lock] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.eoimode = [False] * self.ncpu
        self.veoimode = [False] * self.ncpu
        self.inject = [[] for _ in range(self.ncpu)]
        self.vcpu_lock = [Lock() for _ in range(self.ncpu)]

    def line(self, name: str, cpu: int) -> bool:
        return bool(int(getattr(self.dut, name).value) >> cpu & 1)

    async def idle(self, lo: int = 0, hi: int = 3) -> None:
        n = self.rng.randint(lo, hi)
        if n:
            await ClockCycles(self.dut.clk_i, n, rising=False)
        else:
            await FallingEdge(self.dut.clk_i)


class GicBaseSeq(uvm_sequence):
    """A sequence with read/write/pin helpers; ``sw`` is the shared context."""

    def __init__(self, name: str, sw: GicSoftware) -> None:
        super().__init__(name)
        self.sw = sw
        self.rng = sw.rng

    async def read(self, frame: Frame, cpu: int, off: int) -> int:
        item = BusItem("rd", frame, cpu, off)
        await self.start_item(item)
        await self.finish_item(item)
        assert item.rdata is not None
        return item.rdata

    async def write(self, frame: Frame, cpu: int, off: int, data: int, be: int = 0xF) -> None:
        item = BusItem("wr", frame, cpu, off, True, data & 0xFFFF_FFFF, be)
        await self.start_item(item)
        await self.finish_item(item)

    async def pin(self, spi: bool, n: int, level: bool, cpu: int = 0) -> None:
        item = PinItem("pin", spi, n, cpu, level)
        await self.start_item(item)
        await self.finish_item(item)

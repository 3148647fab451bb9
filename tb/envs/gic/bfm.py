"""GicBfm: every pin of the GIC block harness (gic_tb_top.sv), shared by the bus
and interrupt-line drivers; nothing else in the env touches the DUT.

Every transaction is driven at a falling clock edge and takes two cycles; the
lock makes bus accesses and pin changes atomic and ordered, so the scoreboard
can replay them on the reference model in the same order. After each one the
registered outputs are sampled and published with the transaction (to the
monitor's analysis port, agents.GicMonitor). A bus access is published as the
pins show it (frame, CPU, offset, direction, byte enables, write data, and the
read data the DUT returned), rebuilt from them in the ack cycle, not as the item
that was driven.

Left out: interrupt-pin changes are published as the items that were driven. A
pin item that drives a line to the level it already has (the storms do this)
leaves no trace on the pins, yet the scoreboard replays it on the model and
counts it (pin_events, the gic.pin coverage); rebuilt from the pins, the same
seed would give other figures and another coverage database.
"""
from __future__ import annotations

from collections.abc import Callable

import cocotb
from cocotb.triggers import ClockCycles, FallingEdge, Lock
from cocotb.utils import get_sim_time

from hypsim.models.gic_regs import Frame

from .items import BusItem, Observed, PinItem


class GicError(Exception):
    """The DUT broke the bus protocol."""


class GicBfm:
    def __init__(self, dut) -> None:  # type: ignore[no-untyped-def]
        self.dut = dut
        self.lock = Lock()
        # where each transaction's Observed goes: the monitor's analysis port (GicMonitor)
        self.publish: Callable[[Observed], None] = lambda obs: None
        self._fall_time = -1
        self.spi = 0
        self.ppi = 0

    async def _at_falling_edge(self) -> None:
        if get_sim_time("ns") != self._fall_time:
            await FallingEdge(self.dut.clk_i)
            self._fall_time = get_sim_time("ns")

    async def _cycle(self) -> None:
        await FallingEdge(self.dut.clk_i)
        self._fall_time = get_sim_time("ns")

    def _outputs(self) -> tuple[int, int, int, int, int]:
        d = self.dut
        return (int(d.irq_o.value), int(d.fiq_o.value), int(d.virq_o.value),
                int(d.vfiq_o.value), int(d.maint_o.value))

    def _bus_seen(self) -> BusItem:
        """The access on the bus pins (sel_i high since the last falling edge, acked),
        rebuilt from the pins with the read data the DUT returned."""
        d = self.dut
        write = bool(int(d.we_i.value))
        seen = BusItem("bus", Frame(int(d.frame_i.value)), int(d.cpu_i.value), int(d.addr_i.value), write,
                       int(d.wdata_i.value) if write else 0, int(d.be_i.value))
        if not write:
            seen.rdata = int(d.rdata_o.value)
        return seen

    def _observe(self, item: BusItem | PinItem, mid: tuple[int, int, int, int, int]) -> Observed:
        return Observed(item, *self._outputs(), get_sim_time("ns"), mid)

    async def execute(self, item: BusItem | PinItem) -> None:
        async with self.lock:
            await self._at_falling_edge()
            d = self.dut
            if isinstance(item, BusItem):
                d.frame_i.value = int(item.frame)
                d.cpu_i.value = item.cpu
                d.addr_i.value = item.off
                d.we_i.value = int(item.write)
                d.be_i.value = item.be
                d.wdata_i.value = item.data if item.write else 0
                d.sel_i.value = 1
                await self._cycle()
                if not d.ack_o.value:
                    raise GicError(f"no ack one cycle after sel_i at {get_sim_time('ns')} ns: {item}")
                seen: BusItem | PinItem = self._bus_seen()
                if not item.write:
                    item.rdata = seen.rdata
                d.sel_i.value = 0
            else:
                if item.spi:
                    self.spi = (self.spi & ~(1 << item.n)) | (int(item.level) << item.n)
                    d.spi_i.value = self.spi
                else:
                    bit = item.cpu * 16 + item.n
                    self.ppi = (self.ppi & ~(1 << bit)) | (int(item.level) << bit)
                    d.ppi_i.value = self.ppi
                seen = item
                await self._cycle()
            mid = self._outputs()
            await self._cycle()
            self.publish(self._observe(seen, mid))

    async def reset(self, cycles: int = 3) -> None:
        d = self.dut
        for sig in (d.sel_i, d.we_i, d.frame_i, d.cpu_i, d.addr_i, d.be_i, d.wdata_i, d.spi_i, d.ppi_i):
            sig.value = 0
        d.rst_ni.value = 0
        for _ in range(cycles):
            await self._cycle()
        d.rst_ni.value = 1
        await self._cycle()

    def start_clock(self, period_ns: int = 10) -> None:
        from cocotb.clock import Clock
        cocotb.start_soon(Clock(self.dut.clk_i, period_ns, unit="ns").start())

    async def wait_cycles(self, n: int) -> None:
        await ClockCycles(self.dut.clk_i, n)

    def ncpu(self) -> int:
        """CPU interfaces of the harness (irq_o width)."""
        return len(self.dut.irq_o)

    def nirq(self) -> int:
        """Interrupt IDs of the harness: 32 + its SPI pins."""
        return len(self.dut.spi_i) + 32

"""TimerBfm: every pin of rtl/timer/arm_generic_timer.sv (the toplevel); nothing
else in the env touches the DUT.

Accesses are driven at a falling clock edge with acc_valid_i=1 and last one
cycle; outputs are sampled at ReadOnly of that cycle; the write (if any) and one
count tick happen at the next rising edge.
"""
from __future__ import annotations

from typing import Optional

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, ReadOnly, RisingEdge

from hypsim.models.generic_timer import Access

from .items import TimerPins

CLK_NS = 10
ACCESS_INPUTS = ("write_i", "is64_i", "crn_i", "opc1_i", "crm_i", "opc2_i", "pl_i", "wdata_i")


class TimerBfm:
    def __init__(self, dut) -> None:  # type: ignore[no-untyped-def]
        self.dut = dut

    async def reset(self) -> None:
        """Clock, all inputs 0 (cnt_en_i 1), three cycles of reset; returns just
        after the falling edge that releases it."""
        d = self.dut
        cocotb.start_soon(Clock(d.clk_i, CLK_NS, unit="ns").start())
        d.rst_ni.value = 0
        d.cnt_en_i.value = 1
        d.acc_valid_i.value = 0
        for sig in ACCESS_INPUTS:
            getattr(d, sig).value = 0
        await ClockCycles(d.clk_i, 3)
        await FallingEdge(d.clk_i)
        d.rst_ni.value = 1

    def drive_access(self, acc: Access) -> None:
        d = self.dut
        d.acc_valid_i.value = 1
        d.write_i.value = int(acc.write)
        d.is64_i.value = int(acc.is64)
        d.crn_i.value = acc.crn
        d.opc1_i.value = acc.opc1
        d.crm_i.value = acc.crm
        d.opc2_i.value = acc.opc2
        d.pl_i.value = acc.pl
        d.wdata_i.value = acc.wdata

    def release(self) -> None:
        self.dut.acc_valid_i.value = 0

    def set_cnt_en(self, value: int) -> None:
        self.dut.cnt_en_i.value = value

    # ------------------------------------------------------------ sampling (monitor)
    def outputs(self) -> TimerPins:
        d = self.dut
        return TimerPins(bool(d.irq_phys_o.value), bool(d.irq_virt_o.value), bool(d.irq_hyp_o.value),
                         int(d.cntpct_o.value), bool(d.undef_o.value), bool(d.trap_o.value),
                         int(d.rdata_o.value))

    def access_seen(self) -> Optional[Access]:
        """The access on the input pins this cycle, or None."""
        d = self.dut
        if not int(d.acc_valid_i.value):
            return None
        return Access(bool(int(d.write_i.value)), bool(int(d.is64_i.value)), int(d.crn_i.value),
                      int(d.opc1_i.value), int(d.crm_i.value), int(d.opc2_i.value), int(d.pl_i.value),
                      int(d.wdata_i.value))

    def counting(self) -> Optional[int]:
        """At a rising edge: cnt_en_i if the timer is out of reset, else None."""
        d = self.dut
        return int(d.cnt_en_i.value) if int(d.rst_ni.value) else None

    # ------------------------------------------------------------ time
    async def falling(self, n: int = 1) -> None:
        if n == 1:
            await FallingEdge(self.dut.clk_i)
        else:
            await ClockCycles(self.dut.clk_i, n, rising=False)

    async def rising(self) -> None:
        await RisingEdge(self.dut.clk_i)

    @staticmethod
    async def settle() -> None:
        await ReadOnly()

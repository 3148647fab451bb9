"""The cocotb side of a batch harness: a top level that reads its vectors from a file,
applies them on its own and raises done_o when it has written every result (the T32
expander's tests/data/t32_expand_tb.sv). cocotb only runs the clock: no Python per
vector; the results are checked after the run."""
from __future__ import annotations

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge


@cocotb.test()
async def clock_until_done(dut) -> None:   # type: ignore[no-untyped-def]
    """Clock clk_i (10 ns) until the harness raises done_o."""
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    await RisingEdge(dut.done_o)

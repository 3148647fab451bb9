"""The SoC harness's VMM pins, shared by the plain VMM glue (tb/cocotb_top.py)
and the system env's BFM (tb/envs/system/bfm.py): the RAM backdoor port
(dbg_addr_i/dbg_rdata_o/dbg_we_i/dbg_wdata_i) and the doorbell handshake
(vmm_req_o/vmm_arg_o from the core's store to HYPSIM_DOORBELL_PA, vmm_ack_i
to complete it). Every helper is called at a falling clock edge and returns
at one.
"""
from __future__ import annotations

from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


async def backdoor_read(dut, addr: int, nwords: int) -> list[int]:
    """``nwords`` RAM words from byte address ``addr``, one clock each (call at a falling edge)."""
    out: list[int] = []
    dut.dbg_addr_i.value = addr
    for i in range(nwords):
        await FallingEdge(dut.clk_i)              # the backdoor read port is registered
        out.append(int(dut.dbg_rdata_o.value))
        if i + 1 < nwords:
            dut.dbg_addr_i.value = addr + 4 * (i + 1)
    return out


async def backdoor_write(dut, words: dict[int, int]) -> None:
    """Write ``{byte address: word}`` into RAM, one clock each (call at a falling edge)."""
    for addr in sorted(words):
        dut.dbg_addr_i.value = addr
        dut.dbg_wdata_i.value = words[addr]
        dut.dbg_we_i.value = 1
        await FallingEdge(dut.clk_i)
    dut.dbg_we_i.value = 0


async def wait_doorbell(dut) -> tuple[int, int]:
    """Wait for the host's doorbell store: (the PA it stored, the tracer's cycle), at a falling edge."""
    await RisingEdge(dut.vmm_req_o)
    await ReadOnly()
    pa = int(dut.vmm_arg_o.value)
    await FallingEdge(dut.clk_i)
    return pa, int(dut.cycle_o.value)


async def ack_doorbell(dut) -> None:
    """Complete the doorbell store (one clock of vmm_ack_i)."""
    dut.vmm_ack_i.value = 1
    await FallingEdge(dut.clk_i)
    dut.vmm_ack_i.value = 0

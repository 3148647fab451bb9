"""MmuBfm: every pin of the MMU block harness (mmu_tb_top.sv); nothing else in
the env touches the DUT.

    reset()               clock, inputs to 0, reset
    drive_regs(regs)      the translation registers (between batches only)
    write_ram(words)      the walk RAM's write port, one 64-bit word a cycle, with
                          the harness idle (between batches): the translations'
                          timing does not depend on when the words were written
    run_batch(words)      load a batch of op words, run it, have the harness dump it
    batch()               the last batch as the harness holds it: (op words, result words)
    cycles()              harness cycles spent running batches
    watch_ram_writes(cb)  a monitor of the write port: calls cb(word index, value)
                          for every word written through it (HYPSIM_MMU_DEBUG)

Why batches: the harness issues a batch back to back and Python only touches
the simulator between batches, so no Python runs per clock cycle while the MMU
translates. The op and result lists cross as files ($readmemh / $writememh in
the harness): they are the harness's own buffers, not design state.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

from hypsim.models.translation import MmuRegs

OPS_FILE = "mmu_ops.hex"
RES_FILE = "mmu_res.hex"
RAN_FILE = "mmu_ran.hex"
INPUTS = ("mem_we_i", "mem_waddr_i", "mem_wdata_i", "ops_load_i", "dump_i", "run_i", "n_ops_i",
          "sctlr_m_i", "hsctlr_m_i", "hcr_vm_i", "hcr_ptw_i", "ttbcr_i", "ttbr0_i", "ttbr1_i",
          "mair0_i", "mair1_i", "htcr_i", "httbr_i", "hmair0_i", "hmair1_i", "vtcr_i", "vttbr_i")


class MmuBfm:
    def __init__(self, dut) -> None:  # type: ignore[no-untyped-def]
        self.dut = dut

    async def reset(self) -> None:
        d = self.dut
        for sig in INPUTS:
            getattr(d, sig).value = 0
        d.rst_ni.value = 0
        cocotb.start_soon(Clock(d.clk_i, 10, unit="ns").start())
        for _ in range(3):
            await RisingEdge(d.clk_i)
        d.rst_ni.value = 1
        await RisingEdge(d.clk_i)

    async def _pulse(self, sig) -> None:  # type: ignore[no-untyped-def]
        """High for exactly one rising edge: driven between falling edges, so the
        harness never races the testbench on the sampling edge."""
        await FallingEdge(self.dut.clk_i)
        sig.value = 1
        await FallingEdge(self.dut.clk_i)
        sig.value = 0

    def drive_regs(self, r: MmuRegs) -> None:
        d = self.dut
        d.sctlr_m_i.value = r.sctlr_m
        d.ttbcr_i.value = r.ttbcr
        d.ttbr0_i.value = r.ttbr0
        d.ttbr1_i.value = r.ttbr1
        d.mair0_i.value = r.mair0
        d.mair1_i.value = r.mair1
        d.hsctlr_m_i.value = r.hsctlr_m
        d.htcr_i.value = r.htcr
        d.httbr_i.value = r.httbr
        d.hmair0_i.value = r.hmair0
        d.hmair1_i.value = r.hmair1
        d.hcr_vm_i.value = r.hcr_vm
        d.hcr_ptw_i.value = r.hcr_ptw
        d.vtcr_i.value = r.vtcr
        d.vttbr_i.value = r.vttbr

    async def write_ram(self, words: Iterable[tuple[int, int]]) -> None:
        """Write (word index, value) pairs through the RAM write port, one per
        cycle, each held from a falling edge to the next."""
        d = self.dut
        n = 0
        for idx, value in words:
            await FallingEdge(d.clk_i)
            d.mem_waddr_i.value = idx
            d.mem_wdata_i.value = value
            d.mem_we_i.value = 1
            n += 1
        if n:
            await FallingEdge(d.clk_i)
            d.mem_we_i.value = 0

    async def run_batch(self, words: list[int]) -> None:
        """Load the op words, run them back to back, dump ops and results."""
        d = self.dut
        Path(OPS_FILE).write_text("".join(f"{w:016x}\n" for w in words))
        d.n_ops_i.value = len(words)
        await self._pulse(d.ops_load_i)
        await self._pulse(d.run_i)
        await RisingEdge(d.done_o)
        await self._pulse(d.dump_i)
        await FallingEdge(d.clk_i)

    @staticmethod
    def batch() -> tuple[list[int], list[int]]:
        """The last batch the harness dumped: its op words and one result word each."""
        def words(path: str) -> list[int]:
            return [int(w, 16) for ln in Path(path).read_text().splitlines() for w in ln.split("//")[0].split()]
        return words(RAN_FILE), words(RES_FILE)

    def cycles(self) -> int:
        return int(self.dut.cycles_o.value)

    async def watch_ram_writes(self, seen: Callable[[int, int], None]) -> None:
        """Monitor of the write port: every word the RAM takes at a rising edge."""
        d = self.dut
        while True:
            await RisingEdge(d.clk_i)
            await ReadOnly()
            if int(d.mem_we_i.value):
                seen(int(d.mem_waddr_i.value), int(d.mem_wdata_i.value))

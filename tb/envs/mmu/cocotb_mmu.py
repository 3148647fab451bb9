"""cocotb entry point of the MMU block environment (DUT mmu_tb_top)."""
from __future__ import annotations

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import RisingEdge
from pyuvm import uvm_root

from hypsim.envs.mmu.mmu_env import MmuRandomTest


@cocotb.test()
async def mmu_random(dut) -> None:  # type: ignore[no-untyped-def]
    """Random tables and translations, scored against tb/models/mmu_model.py."""
    for sig in ("mem_load_i", "ops_load_i", "dump_i", "run_i", "n_ops_i", "sctlr_m_i", "hsctlr_m_i",
                "hcr_vm_i", "hcr_ptw_i", "ttbcr_i", "ttbr0_i", "ttbr1_i", "mair0_i", "mair1_i",
                "htcr_i", "httbr_i", "hmair0_i", "hmair1_i", "vtcr_i", "vttbr_i"):
        getattr(dut, sig).value = 0
    dut.rst_ni.value = 0
    cocotb.start_soon(Clock(dut.clk_i, 10, unit="ns").start())
    for _ in range(3):
        await RisingEdge(dut.clk_i)
    dut.rst_ni.value = 1
    await RisingEdge(dut.clk_i)
    await uvm_root().run_test(MmuRandomTest)

"""The cocotb test that runs one ELF on tb_top (loaded by the simulator).

It is the VMM/host side of a run and wakes up only on events: a UART byte, a
semihosting request, the watchdog or an X on the bus. Everything per
instruction is in the trace file written by the RTL tracer. The run's
parameters come from the JSON file named by $HYPSIM_RUN_CONFIG and the
outcome goes to the JSON file it names (written once, at the end).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import Event, FallingEdge, ReadOnly, RisingEdge

from hypsim.models import semihosting

CLOCK_PERIOD_NS = 10


async def _reset(dut, entry: int, qemu_compat: bool) -> None:
    dut.rst_ni.value = 0
    dut.reset_pc_i.value = entry
    dut.irq_i.value = 0
    dut.fiq_i.value = 0
    dut.virq_i.value = 0
    dut.vfiq_i.value = 0
    dut.qemu_compat_i.value = int(qemu_compat)
    dut.semihost_en_i.value = 1
    dut.sh_ack_i.value = 0
    dut.sh_ret_i.value = 0
    dut.dbg_addr_i.value = 0
    dut.trace_flush_i.value = 0
    for _ in range(3):
        await FallingEdge(dut.clk_i)
    dut.rst_ni.value = 1


class Console:
    """UART and semihosting output: both in order in one file (what the user
    sees), and each in its own file (what is compared with QEMU's)."""

    def __init__(self, path: Path) -> None:
        self._all = open(path, "wb", buffering=0)
        self._uart = open(path.with_suffix(".uart"), "wb")
        self._semihost = open(path.with_suffix(".semihost"), "wb")

    def uart(self, data: bytes) -> None:
        self._all.write(data)
        self._uart.write(data)

    def semihost(self, data: bytes) -> None:
        self._all.write(data)
        self._semihost.write(data)

    def close(self) -> None:
        for f in (self._all, self._uart, self._semihost):
            f.close()


async def _uart(dut, console: Console) -> None:
    while True:
        await RisingEdge(dut.uart_tx_valid_o)
        await ReadOnly()
        console.uart(bytes([int(dut.uart_tx_data_o.value)]))


class _Memory:
    """Backdoor byte reader with a one-word cache (strings are read bytewise)."""

    def __init__(self, dut) -> None:
        self.dut = dut
        self.bytes: dict[int, int] = {}

    async def prefetch(self, addr: int, max_len: int) -> None:
        for a in range(addr & ~3, addr + max_len, 4):
            self.dut.dbg_addr_i.value = a
            await RisingEdge(self.dut.clk_i)      # the backdoor port is registered
            await FallingEdge(self.dut.clk_i)
            word = int(self.dut.dbg_rdata_o.value)
            for i in range(4):
                self.bytes[a + i] = (word >> (8 * i)) & 0xFF
            if any(self.bytes[a + i] == 0 for i in range(4) if a + i >= addr):
                return

    def read(self, addr: int) -> int:
        return self.bytes.get(addr, 0)


async def _semihosting(dut, console: Console, done: Event, outcome: dict) -> None:
    while True:
        await RisingEdge(dut.sh_req_o)
        await ReadOnly()
        op = int(dut.sh_op_o.value)
        arg = int(dut.sh_arg_o.value)
        await FallingEdge(dut.clk_i)
        mem = _Memory(dut)
        if op == semihosting.SYS_WRITE0:
            await mem.prefetch(arg, semihosting.MAX_STRING)
        elif op == semihosting.SYS_WRITEC:
            await mem.prefetch(arg, 1)
        try:
            res = semihosting.serve(op, arg, mem.read)
        except semihosting.SemihostingError as exc:
            outcome.update(stop="semihosting-error", message=str(exc))
            done.set()
            return
        console.semihost(res.output)
        # answer the core so the SVC retires (also SYS_EXIT: QEMU traces it too)
        await FallingEdge(dut.clk_i)
        dut.sh_ret_i.value = res.r0
        dut.sh_ack_i.value = 1
        await FallingEdge(dut.clk_i)
        dut.sh_ack_i.value = 0
        if res.exit_status is not None:
            outcome.update(stop="exit", exit_status=res.exit_status, reason=arg)
            done.set()
            return


UNSUPPORTED_SHORT_DESC = ("the program turned on stage-1 translation (SCTLR.M=1) with TTBCR.EAE=0: "
                          "short-descriptor translation tables are not implemented (rtl/mmu walks LPAE "
                          "long descriptors only); set TTBCR.EAE=1 and build long-descriptor tables")


async def _watch(signal, name: str, done: Event, outcome: dict, message: str = "") -> None:
    await RisingEdge(signal)
    if "stop" not in outcome:
        outcome["stop"] = name
        if message:
            outcome["message"] = message
    done.set()


@cocotb.test()
async def run_elf(dut) -> None:
    """Run the ELF image named in $HYPSIM_RUN_CONFIG until it exits or hits a limit."""
    cfg = json.loads(Path(os.environ["HYPSIM_RUN_CONFIG"]).read_text())
    console = Console(Path(cfg["console"]))
    outcome: dict = {}
    done = Event()
    cocotb.start_soon(Clock(dut.clk_i, CLOCK_PERIOD_NS, unit="ns").start())
    await _reset(dut, cfg["entry"], cfg.get("qemu_compat", False))
    cocotb.start_soon(_uart(dut, console))
    cocotb.start_soon(_semihosting(dut, console, done, outcome))
    cocotb.start_soon(_watch(dut.watchdog_o, "max-cycles", done, outcome))
    cocotb.start_soon(_watch(dut.bus_x_o, "x-on-bus", done, outcome))
    cocotb.start_soon(_watch(dut.unsupported_o, "unsupported", done, outcome, UNSUPPORTED_SHORT_DESC))
    await done.wait()
    await FallingEdge(dut.clk_i)
    dut.trace_flush_i.value = 1
    await FallingEdge(dut.clk_i)
    outcome["cycles"] = int(dut.cycle_o.value)
    outcome["retired"] = int(dut.retired_o.value)
    console.close()
    tmp = Path(cfg["result"] + ".tmp")
    tmp.write_text(json.dumps(outcome))
    tmp.replace(cfg["result"])

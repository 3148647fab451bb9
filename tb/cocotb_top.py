"""The cocotb test that runs one ELF on tb_top (loaded by the simulator).

It is the VMM/host side of a run and wakes up only on events: a UART byte, a
semihosting request, a VMM doorbell (tb/vmm.py; only when the run config has
a "vmm" entry, which also enables the doorbell page), the watchdog, an X on
the bus, an exception loop (tb_top exc_loop_o), and, with a "progress" entry, a
Timer a few times a second (tb/progress.py). Everything per
instruction is in the trace file written by the RTL tracer. The run's
parameters come from the JSON file named by $HYPSIM_RUN_CONFIG and the
outcome goes to the JSON file it names (written once, at the end).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import Event, FallingEdge, ReadOnly, RisingEdge, Timer

from hypsim import exc_loop
from hypsim.models import semihosting
from hypsim.progress import ProgressMeter, interval_s
from hypsim.vmm import Vmm, VmmStop
from hypsim.vmm_abi import A, decode_run, encode_answer, run_words
from hypsim.vmm_port import ack_doorbell, backdoor_read, backdoor_write, wait_doorbell  # noqa: F401 (re-exported)

CLOCK_PERIOD_NS = 10


async def _reset(dut, entry: int, qemu_compat: bool, vmm_en: bool = False, smp_fault: str = "") -> None:
    dut.rst_ni.value = 0
    dut.reset_pc_i.value = entry
    dut.irq_i.value = 0
    dut.fiq_i.value = 0
    dut.virq_i.value = 0
    dut.vfiq_i.value = 0
    dut.qemu_compat_i.value = int(qemu_compat)
    dut.fault_mon_i.value = int(smp_fault == "monitor")     # tests only (simulator.smp_fault)
    dut.fault_tlbi_i.value = int(smp_fault == "tlbi")
    dut.semihost_en_i.value = 1
    dut.sh_ack_i.value = 0
    dut.sh_ret_i.value = 0
    dut.dbg_addr_i.value = 0
    dut.dbg_we_i.value = 0
    dut.dbg_wdata_i.value = 0
    dut.vmm_en_i.value = int(vmm_en)
    dut.vmm_ack_i.value = 0
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
        if not int(dut.sh_req_o.value):
            # a zero-width pulse of an event simulator (Icarus): the one-core SoC's sh_req_o
            # is the core's request gated by its SMC flag (a PSCI call goes to soc_psci), and
            # the two can settle in either order within the cycle
            continue
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


class VmmConsoles:
    """Where each VM's console bytes go: with one VM at a time (nr_vms 1), the
    run's console file (what `hypsim run-guest` prints); also, when the run
    has more than one VM, console-vmN.txt per VM. With several VMs at once,
    only the per-VM files while the run goes on, and at the end the console
    file gets each VM's console after a line "\n--- hypsim vm N console ---\n",
    the format the firmware itself uses without a VMM (vmm_abi.h)."""

    def __init__(self, cfg: dict) -> None:
        self.dir = Path(cfg["dir"])
        self.stream = cfg["nr_vms"] == 1
        self.per_vm = cfg["nr_vms"] > 1     # as the firmware frames consoles without a VMM
        self.main = open(cfg["console"], "wb", buffering=0)
        self.files: dict[int, object] = {}

    def __call__(self, vm: int, data: bytes) -> None:
        if self.stream:
            self.main.write(data)
        if self.per_vm:
            if vm not in self.files:
                self.files[vm] = open(self.dir / f"console-vm{vm}.txt", "wb", buffering=0)
            self.files[vm].write(data)

    def close(self, vmm: Vmm) -> None:
        if not self.stream:
            for vm in sorted(vmm.consoles):
                self.main.write(f"\n--- hypsim vm {vm} console ---\n".encode() + bytes(vmm.consoles[vm]))
        for f in [self.main, *self.files.values()]:
            f.close()


async def _vmm(dut, vmm: Vmm, done: Event, outcome: dict, events: Path) -> None:
    """The VMM's cocotb side: on each doorbell, read the struct hypsim_run, serve it, answer, ack.

    Every exchange is also logged, one JSON object a line, to ``events``
    (vmm-events.jsonl: ``cycle`` of the doorbell on the tracer's count, the
    decoded ``run`` struct and the ``answer``, or the ``stop``) for the
    scoreboards that read the run afterwards (tb/world_switch_scoreboard.py,
    tb/irq_scoreboard.py).
    """
    ram_lo, ram_hi = A.HYPSIM_RAM_PA, A.HYPSIM_RAM_PA + A.HYPSIM_RAM_BYTES
    log = open(events, "w", encoding="ascii", buffering=1)   # line-buffered: whole lines survive a kill
    try:
        await _vmm_loop(dut, vmm, done, outcome, log, ram_lo, ram_hi)
    finally:
        log.close()


async def _vmm_loop(dut, vmm: Vmm, done: Event, outcome: dict, log, ram_lo: int, ram_hi: int) -> None:
    while True:
        pa, cycle = await wait_doorbell(dut)
        if pa & 3 or not ram_lo <= pa <= ram_hi - A.RUN_BYTES:
            outcome.update(stop="vmm", exit_status=1,
                           message=f"the host rang the VMM doorbell with 0x{pa:08x}, which is not the PA of "
                                   f"a struct hypsim_run in RAM (word-aligned, {A.RUN_BYTES} bytes)")
            done.set()
            return
        run = decode_run(await backdoor_read(dut, pa, run_words()))
        try:
            answer = vmm.handle(run)
        except VmmStop as stop:
            log.write(json.dumps({"cycle": cycle, "run": run, "stop": stop.exit_code}) + "\n")
            outcome.update(stop="vmm", exit_status=stop.exit_code, message=stop.message)
            done.set()
            return
        log.write(json.dumps({"cycle": cycle, "run": run, "answer": answer}) + "\n")
        await backdoor_write(dut, {pa + off: w for off, w in encode_answer(answer).items()})
        await ack_doorbell(dut)


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


async def _watch_exc_loop(dut, done: Event, outcome: dict) -> None:
    """tb_top's exception-loop detector fired: keep what it froze (tb/exc_loop.py)."""
    await RisingEdge(dut.exc_loop_o)
    await ReadOnly()
    if "stop" not in outcome:
        outcome["stop"] = "exception-loop"
        outcome["exc_loop"] = exc_loop.decode(int(dut.exc_loop_info_o.value))
    done.set()


async def _progress(dut, path: Path) -> None:
    """A progress line into `path` at most once a second; wakes every few hundred ms
    of wall time on a Timer, never per cycle (tb/progress.py)."""
    meter = ProgressMeter(time.monotonic(), interval_s(os.environ))
    with open(path, "w", encoding="ascii", buffering=1) as out:
        while True:
            await Timer(meter.wait_cycles() * CLOCK_PERIOD_NS, unit="ns")
            line = meter.update(time.monotonic(), int(dut.cycle_o.value), int(dut.retired_o.value))
            if line:
                out.write(line + "\n")


@cocotb.test()
async def run_elf(dut) -> None:
    """Run the ELF image named in $HYPSIM_RUN_CONFIG until it exits or hits a limit."""
    cfg = json.loads(Path(os.environ["HYPSIM_RUN_CONFIG"]).read_text())
    console = Console(Path(cfg["console"]))
    outcome: dict = {}
    done = Event()
    cocotb.start_soon(Clock(dut.clk_i, CLOCK_PERIOD_NS, unit="ns").start())
    vmm_cfg = cfg.get("vmm")
    await _reset(dut, cfg["entry"], cfg.get("qemu_compat", False), vmm_en=vmm_cfg is not None,
                 smp_fault=cfg.get("smp_fault", ""))
    cocotb.start_soon(_uart(dut, console))
    vmm = vmm_consoles = None
    system_env = None
    if vmm_cfg is not None:
        vmm_consoles = VmmConsoles(vmm_cfg)
        vmm = Vmm(vmm_cfg["nr_vms"], vmm_cfg["seq_runs"], vmm_consoles)
        if vmm_cfg.get("env"):          # the pyuvm system env serves the doorbell (tb/envs/system)
            from hypsim.envs.system.launch import SystemEnvRun
            system_env = SystemEnvRun(dut, vmm_cfg, vmm, done, outcome)
        else:
            cocotb.start_soon(_vmm(dut, vmm, done, outcome, Path(vmm_cfg["dir"]) / "vmm-events.jsonl"))
    cocotb.start_soon(_semihosting(dut, console, done, outcome))
    cocotb.start_soon(_watch(dut.watchdog_o, "max-cycles", done, outcome))
    cocotb.start_soon(_watch(dut.bus_x_o, "x-on-bus", done, outcome))
    cocotb.start_soon(_watch(dut.unsupported_o, "unsupported", done, outcome, UNSUPPORTED_SHORT_DESC))
    cocotb.start_soon(_watch_exc_loop(dut, done, outcome))
    if cfg.get("progress"):
        cocotb.start_soon(_progress(dut, Path(cfg["progress"])))
    await done.wait()
    await FallingEdge(dut.clk_i)
    dut.trace_flush_i.value = 1
    await FallingEdge(dut.clk_i)
    outcome["cycles"] = int(dut.cycle_o.value)
    outcome["retired"] = int(dut.retired_o.value)
    if system_env is not None:
        await system_env.finish()       # its checkers and coverage, on the flushed trace
    console.close()
    if vmm is not None and vmm_consoles is not None:
        vmm_consoles.close(vmm)
        outcome["vmm_exits"] = dict(vmm.exits)
        outcome["vmm_powered_off"] = vmm.powered_off
        outcome["vmm_pages"] = {str(vm): list(p) for vm, p in vmm.pages.items()}
    tmp = Path(cfg["result"] + ".tmp")
    tmp.write_text(json.dumps(outcome))
    tmp.replace(cfg["result"])

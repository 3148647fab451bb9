"""The VMM agent's BFM: every pin of the doorbell and the RAM backdoor
(through hypsim.vmm_port, the helpers tb/cocotb_top.py uses too).

The driver side waits for a doorbell, reads the struct hypsim_run, and later
writes the answer and acks after a delay. The monitor side is independent:
it watches vmm_req_o, the backdoor port (dbg_addr_i/dbg_rdata_o,
dbg_we_i/dbg_wdata_i) and vmm_ack_i, and rebuilds each exchange from the words
that crossed the port. Python runs only between a doorbell and its ack.
"""
from __future__ import annotations

from cocotb.queue import Queue
from cocotb.triggers import ClockCycles, FallingEdge, First, ReadOnly, RisingEdge

from hypsim.vmm_abi import ABI, decode_run, run_words
from hypsim.vmm_port import ack_doorbell, backdoor_read, backdoor_write, wait_doorbell

from .items import Exchange


def decode_answer(written: dict[int, int], pa: int) -> dict:
    """The answer fields from the words written at ``pa`` + RUN_* offsets."""
    def word(name: str) -> int | None:
        return written.get(pa + ABI[name])
    out: dict = {}
    lo, hi = word("RUN_MMIO_DATA"), written.get(pa + ABI["RUN_MMIO_DATA"] + 4)
    if lo is not None:
        out["mmio_data"] = lo | ((hi or 0) << 32)
    if word("RUN_HC_RET") is not None:
        out["hc_ret"] = word("RUN_HC_RET")
    n = word("RUN_IRQ_COUNT")
    if n is not None:
        base = pa + ABI["RUN_IRQ"]
        out["irq"] = [(written.get(base + 8 * i, 0), written.get(base + 8 * i + 4, 0)) for i in range(n)]
    return out


class VmmBfm:
    def __init__(self, dut) -> None:
        self.dut = dut
        self.exchanges: Queue[Exchange] = Queue()
        self.in_progress: Exchange | None = None     # the doorbell not acked yet (read so far)

    # ---- driver side ---------------------------------------------------------------
    async def wait_exit(self) -> tuple[int, int]:
        """The next doorbell: (PA of the struct, cycle)."""
        return await wait_doorbell(self.dut)

    async def read_run(self, pa: int) -> dict:
        return decode_run(await backdoor_read(self.dut, pa, run_words()))

    async def answer(self, pa: int, words: dict[int, int], delay: int) -> None:
        """Write the answer ``{offset: word}``, wait ``delay`` cycles (the VMM's response time), ack."""
        if delay > 0:
            await ClockCycles(self.dut.clk_i, delay, rising=False)
        await backdoor_write(self.dut, {pa + off: w for off, w in words.items()})
        await ack_doorbell(self.dut)

    # ---- monitor side ----------------------------------------------------------------
    async def monitor(self) -> None:
        """Rebuild every exchange from the pins and queue it (start once, runs for ever)."""
        d = self.dut
        n = run_words()
        while True:
            await RisingEdge(d.vmm_req_o)
            await ReadOnly()
            pa, cycle = int(d.vmm_arg_o.value), int(d.cycle_o.value)
            read: dict[int, int] = {}
            written: dict[int, int] = {}
            prev = None
            self.in_progress = Exchange(cycle, pa, {})
            # the struct's words: the read port is registered, so a falling edge shows the data of
            # the address that was on dbg_addr_i at the one before
            while True:
                await FallingEdge(d.clk_i)
                await ReadOnly()
                if prev is not None and prev not in read:
                    read[prev] = int(d.dbg_rdata_o.value)
                if int(d.dbg_we_i.value) or all(pa + 4 * i in read for i in range(n)):
                    break
                prev = int(d.dbg_addr_i.value)
            # the response delay: nothing to see until the first write or the ack (a run that
            # ends here, with the VMM's stop, leaves the exchange in self.in_progress)
            self.in_progress.run = decode_run(read.get(pa + 4 * i, 0) for i in range(n))
            last_read = int(d.cycle_o.value)
            if not int(d.dbg_we_i.value) and not int(d.vmm_ack_i.value):
                await First(RisingEdge(d.dbg_we_i), RisingEdge(d.vmm_ack_i))
                await ReadOnly()
            gap = int(d.cycle_o.value) - last_read
            while not int(d.vmm_ack_i.value):
                if int(d.dbg_we_i.value):
                    written[int(d.dbg_addr_i.value)] = int(d.dbg_wdata_i.value)
                await FallingEdge(d.clk_i)
                await ReadOnly()
            run, self.in_progress = self.in_progress.run, None
            self.exchanges.put_nowait(Exchange(cycle, pa, run, decode_answer(written, pa), int(d.cycle_o.value), gap))

    async def get_exchange(self) -> Exchange:
        return await self.exchanges.get()

"""The VMM agent: sequencer, driver (serves each exit with the sequence's
answer through the BFM) and monitor (publishes every exchange it rebuilds
from the pins on its analysis port), after pyuvm's TinyALU pattern."""
from __future__ import annotations

from pyuvm import ConfigDB, uvm_agent, uvm_analysis_port, uvm_driver, uvm_monitor, uvm_sequencer

from hypsim.vmm_abi import A, encode_answer

from .bfm import VmmBfm
from .items import AnswerItem, ExitItem


class VmmDriver(uvm_driver):
    """Item pairs: an ExitItem (filled in when the doorbell rings), then the sequence's AnswerItem."""

    def build_phase(self) -> None:
        self.bfm: VmmBfm = ConfigDB().get(self, "", "BFM")
        self.run_end = ConfigDB().get(self, "", "RUN_END")    # callable(exit_code, message)

    async def run_phase(self) -> None:
        ram_lo, ram_hi = A.HYPSIM_RAM_PA, A.HYPSIM_RAM_PA + A.HYPSIM_RAM_BYTES
        while True:
            req: ExitItem = await self.seq_item_port.get_next_item()
            pa, cycle = await self.bfm.wait_exit()
            if pa & 3 or not ram_lo <= pa <= ram_hi - A.RUN_BYTES:
                self.run_end(1, f"the host rang the VMM doorbell with 0x{pa:08x}, which is not the PA of a "
                                f"struct hypsim_run in RAM (word-aligned, {A.RUN_BYTES} bytes)")
                self.seq_item_port.item_done()
                return
            req.pa, req.cycle, req.run = pa, cycle, await self.bfm.read_run(pa)
            self.seq_item_port.item_done()
            rsp: AnswerItem = await self.seq_item_port.get_next_item()
            if rsp.stop is not None:
                self.run_end(*rsp.stop)
                self.seq_item_port.item_done()
                return
            await self.bfm.answer(pa, encode_answer(rsp.fields), rsp.delay)
            self.seq_item_port.item_done()


class VmmMonitor(uvm_monitor):
    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)
        self.bfm: VmmBfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self) -> None:
        while True:
            self.ap.write(await self.bfm.get_exchange())

    def flush(self) -> None:
        """At the end of the run: publish what is still queued, then the exit the run ended on."""
        while not self.bfm.exchanges.empty():
            self.ap.write(self.bfm.exchanges.get_nowait())
        x = self.bfm.in_progress
        if x is not None and x.run:
            x.stop = True
            self.ap.write(x)


class VmmAgent(uvm_agent):
    def build_phase(self) -> None:
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = VmmDriver("driver", self)
        self.monitor = VmmMonitor("monitor", self)

    def connect_phase(self) -> None:
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)

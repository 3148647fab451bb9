"""The timer agent: sequencer, driver and monitor over the BFM.

The driver turns TimerItems into pin activity (bfm.py). The monitor watches the
pins on its own: at every rising edge out of reset it publishes a Tick with the
cnt_en_i it sampled; in every cycle whose acc_valid_i is high it decodes the
access from the input pins and publishes it with that cycle's outputs. Besides,
it samples the outputs at checkpoints the stimulus asks for (after idle cycles,
each cycle of a countdown): the driver says when, never what it drove.
"""
from __future__ import annotations

from pyuvm import ConfigDB, uvm_agent, uvm_analysis_port, uvm_driver, uvm_monitor, uvm_sequencer

from .bfm import TimerBfm
from .items import AccessObs, StateObs, Tick, TimerItem, TimerPins


class TimerMonitor(uvm_monitor):
    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)
        self.bfm: TimerBfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self) -> None:
        b = self.bfm
        while True:
            await b.rising()
            en = b.counting()
            if en is not None:
                self.ap.write(Tick(en))
            await b.falling()
            await b.settle()
            acc = b.access_seen()
            if acc is not None:
                self.ap.write(AccessObs(acc, b.outputs()))

    async def checkpoint(self, where: str, publish: bool = True) -> TimerPins:
        """The outputs at ReadOnly of the current cycle, published as a StateObs
        (unless ``publish`` is False)."""
        await self.bfm.settle()
        pins = self.bfm.outputs()
        if publish:
            self.ap.write(StateObs(where, pins))
        return pins

    def peek(self) -> TimerPins:
        """The outputs as they are now (flops: stable between rising edges)."""
        return self.bfm.outputs()


class TimerDriver(uvm_driver):
    def build_phase(self) -> None:
        self.bfm: TimerBfm = ConfigDB().get(self, "", "BFM")

    def connect_phase(self) -> None:
        self.monitor: TimerMonitor = ConfigDB().get(self, "", "monitor")

    async def execute(self, item: TimerItem) -> None:
        """One item; called just after a falling edge, returns just after one."""
        b = self.bfm
        if item.kind == "access":
            assert item.acc is not None
            b.drive_access(item.acc)
            await b.falling()
            b.release()
        elif item.kind == "idle":
            b.release()
            if item.check_each:
                for _ in range(item.n):
                    await self.monitor.checkpoint("idle")
                    await b.falling()
            else:
                await b.falling(item.n)
                await self.monitor.checkpoint("after idle")
                await b.falling()
        elif item.kind == "cnt_en":
            b.set_cnt_en(item.value)
        elif item.kind in ("check", "look"):
            item.pins = await self.monitor.checkpoint(item.where, item.kind == "check")
            await b.falling()
        elif item.kind == "peek":
            item.pins = self.monitor.peek()
        else:
            raise ValueError(f"unknown timer item kind {item.kind!r}")

    async def run_phase(self) -> None:
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.execute(item)
            self.seq_item_port.item_done()


class TimerAgent(uvm_agent):
    def build_phase(self) -> None:
        self.seqr = uvm_sequencer("seqr", self)
        self.monitor = TimerMonitor("monitor", self)
        self.driver = TimerDriver("driver", self)
        ConfigDB().set(self.driver, "", "monitor", self.monitor)

    def connect_phase(self) -> None:
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)

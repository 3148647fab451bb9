"""Agents: the bus agent (GICD/GICC/GICH/GICV accesses) and the interrupt-line
agent (SPI/PPI pins), and the monitor both share. The CPU-side handlers and the
KVM-like hypervisor are sequences on the bus agent (tb/sequences/gic_handlers.py,
gic_hyp.py)."""
from __future__ import annotations

from pyuvm import ConfigDB, uvm_agent, uvm_analysis_port, uvm_driver, uvm_monitor, uvm_sequencer

from .bfm import GicBfm


class GicMonitor(uvm_monitor):
    """Publishes every transaction with the outputs the BFM sampled after it settled
    (two cycles after it was driven) and one cycle earlier, in the order the BFM's
    lock let them through: bus accesses as rebuilt from the bus pins, interrupt-pin
    changes as driven (see bfm.py for why)."""

    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)
        self.bfm: GicBfm = ConfigDB().get(self, "", "BFM")

    def connect_phase(self) -> None:
        self.bfm.publish = self.ap.write


class GicDriver(uvm_driver):
    """Drives items through the shared BFM (bus or pins alike)."""

    def build_phase(self) -> None:
        self.bfm: GicBfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self) -> None:
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.bfm.execute(item)
            self.seq_item_port.item_done()


class GicAgent(uvm_agent):
    def build_phase(self) -> None:
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = GicDriver("driver", self)

    def connect_phase(self) -> None:
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)

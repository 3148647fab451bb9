"""Agents: the bus agent (GICD/GICC/GICH/GICV accesses) and the interrupt-line
agent (SPI/PPI pins). The CPU-side handlers and the KVM-like hypervisor are
sequences on the bus agent (tb/sequences/gic_handlers.py, gic_hyp.py)."""
from __future__ import annotations

from pyuvm import ConfigDB, uvm_agent, uvm_driver, uvm_sequencer


class GicDriver(uvm_driver):
    """Drives items through the shared DutPort (bus or pins alike)."""

    def build_phase(self) -> None:
        self.port = ConfigDB().get(self, "", "DUT_PORT")

    async def run_phase(self) -> None:
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.port.execute(item)
            self.seq_item_port.item_done()


class GicAgent(uvm_agent):
    def build_phase(self) -> None:
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = GicDriver("driver", self)

    def connect_phase(self) -> None:
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)

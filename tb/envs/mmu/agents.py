"""Agents of the MMU block environment.

    MemoryAgent        the walk-memory image (PhysMem) the sequences write; loads
                       the words changed since the last batch through the BFM's
                       RAM write port, before the batch that needs them
    TranslationAgent   sequencer + driver (batches requests/TLBIs into harness
                       runs, drives the register ports between them) + monitor
                       (decodes the harness's result list into Events)
"""
from __future__ import annotations

import time

from cocotb.utils import get_sim_time
from pyuvm import ConfigDB, uvm_agent, uvm_analysis_port, uvm_component, uvm_driver, uvm_monitor, uvm_sequencer

from hypsim.sequences.mmu_tables import PhysMem

from .bfm import MmuBfm
from .items import AccessOp, Event, MemWrite, Observed, SetContext, TlbiOp, decode, encode

OPS_PER_BATCH = 4096  # mmu_tb_top's OPS


class MemoryAgent(uvm_component):
    """Owns the walk-memory image and loads changed words into the harness RAM."""

    def build_phase(self) -> None:
        self.mem = PhysMem()
        self.bfm: MmuBfm = ConfigDB().get(self, "", "BFM")

    async def load(self) -> None:
        await self.bfm.write_ram(self.mem.take_dirty())


class TranslationMonitor(uvm_monitor):
    """Publishes each operation in execution order: contexts and memory writes as
    the driver applies them (between batches: the driver publishes them, since a
    SetContext's labels are not on any pin), translations and TLBIs when the driver
    says a batch ended, each decoded from the harness's op list with the response
    the harness recorded for it (both read back through the BFM)."""

    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)
        self.bfm: MmuBfm = ConfigDB().get(self, "", "BFM")

    def publish(self, kind: str, item: object) -> None:
        self.ap.write(Event(kind, item))

    def collect(self) -> None:
        """The batch that just ended, as the harness holds it: each op it ran (decoded
        from its op list) with the response it recorded."""
        words, results = self.bfm.batch()
        assert len(results) == len(words), f"harness returned {len(results)} results for {len(words)} ops"
        time_ns = get_sim_time(unit="ns")
        for op, word in zip(map(decode, words), results):
            if isinstance(op, TlbiOp):
                self.ap.write(Event("tlbi", op, None, time_ns))
            else:
                self.ap.write(Event("xlat", op, Observed.decode(word), time_ns))


class TranslationDriver(uvm_driver):
    def build_phase(self) -> None:
        self.bfm: MmuBfm = ConfigDB().get(self, "", "BFM")
        self.pending: list = []
        self.sim_seconds = 0.0

    def connect_phase(self) -> None:
        self.memory: MemoryAgent = ConfigDB().get(self, "", "memory")
        self.monitor: TranslationMonitor = ConfigDB().get(self, "", "monitor")

    async def flush(self) -> None:
        ops, self.pending = self.pending, []
        await self.memory.load()
        if not ops:
            return
        t0 = time.perf_counter()
        await self.bfm.run_batch([encode(o) for o in ops])
        self.sim_seconds += time.perf_counter() - t0
        self.monitor.collect()

    async def run_phase(self) -> None:
        while True:
            seg = await self.seq_item_port.get_next_item()
            for op in seg.ops:
                if isinstance(op, (AccessOp, TlbiOp)):
                    self.pending.append(op)
                    if len(self.pending) == OPS_PER_BATCH:
                        await self.flush()
                    continue
                await self.flush()
                if isinstance(op, SetContext):
                    self.bfm.drive_regs(op.regs)
                    self.monitor.publish("ctx", op)
                elif isinstance(op, MemWrite):
                    self.memory.mem.write64(op.pa, op.value)
                    self.monitor.publish("mem", op)
            if seg.last:
                await self.flush()
            self.seq_item_port.item_done()


class TranslationAgent(uvm_agent):
    def build_phase(self) -> None:
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = TranslationDriver("driver", self)
        self.monitor = TranslationMonitor("monitor", self)
        ConfigDB().set(self.driver, "", "monitor", self.monitor)

    def connect_phase(self) -> None:
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)

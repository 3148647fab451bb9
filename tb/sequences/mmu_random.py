"""pyuvm sequence for the MMU block: random page tables (mmu_tables) and a
random access stream with VMID/ASID switches, table changes and TLBIs
(mmu_stream), sent to the translation agent as Segment items."""
from __future__ import annotations

from pyuvm import uvm_sequence, uvm_sequence_item

from .mmu_items import MemWrite, Segment
from .mmu_stream import StreamGen
from .mmu_tables import RAM_BASE, PhysMem

SEGMENT_OPS = 512


class SegmentItem(uvm_sequence_item):
    def __init__(self, name: str, seg: Segment) -> None:
        super().__init__(name)
        self.ops = seg.ops
        self.last = seg.last


class MmuRandomSeq(uvm_sequence):
    def __init__(self, name: str = "mmu_random", seed: int = 1, translations: int = 1000) -> None:
        super().__init__(name)
        self.seed = seed
        self.translations = translations

    async def send(self, seg: Segment) -> None:
        item = SegmentItem("seg", seg)
        await self.start_item(item)
        await self.finish_item(item)

    async def body(self) -> None:
        shadow = PhysMem()
        gen = StreamGen(self.seed, shadow)
        image = [MemWrite(RAM_BASE + 8 * i, v, "initial tables")
                 for i, v in sorted(shadow.words.items())]
        await self.send(Segment(image))
        seg = Segment()
        for op in gen.stream(self.translations):
            seg.ops.append(op)
            if len(seg.ops) >= SEGMENT_OPS:
                await self.send(seg)
                seg = Segment()
        seg.last = True
        await self.send(seg)

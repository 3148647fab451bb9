"""Directed MMU block stream (plain Python plus one pyuvm sequence): stage-1
1GB and 2MB blocks whose IPAs fall in stage-2 1GB blocks.

Why: the random tables (mmu_tables) give stage 2 its 1GB blocks only in the
SL0=1 guests and stage 1 at most one 1GB block per ASID, so a successful
translation through a stage-1 1GB or 2MB block *and* a stage-2 1GB block
(the `mmu.size.s1_x_s2` bins ('1GB', '1GB') and ('2MB', '1GB')) depends on
the seed and seed 1 never makes one. This stream builds that regime by hand
in the top 16 KiB of the walk RAM (mmu_tables.DIRECTED_RAM, which the random
allocator never uses) under a VMID no random world uses, flushes it, and
translates loads, stores and fetches at PL0/PL1 through each block (twice:
the second round hits the TLB). The scoreboard checks every response with
the model like any other.

Layout (PA = RAM top - 16 KiB = D):
  D+0x0000  stage-2 level-1 table (VTCR SL0=1, T0SZ=0: 4 GB IPA, 4 entries)
              IPA 0x4000_0000 1GB block -> PA 0x80_4000_0000 (data, never read)
              IPA 0xC000_0000 1GB block -> PA RAM_BASE (the stage-1 tables)
  D+0x1000  stage-1 level-1 table (TTBCR T0SZ=0), at IPA 0xC000_0000 + (D - RAM_BASE)
              VA 0x0000_0000 1GB block -> IPA 0x4000_0000
              VA 0x8000_0000 table -> D+0x2000
  D+0x2000  stage-1 level-2 table
              VA 0x8000_0000 2MB block -> IPA 0x4020_0000
              VA 0x80A0_0000 2MB block -> IPA 0x4060_0000
"""
from __future__ import annotations

from typing import Iterator

from pyuvm import uvm_sequence

from ..models import lpae
from ..models.mmu_faults import AccessKind
from ..models.tlb import TlbiOp as T
from ..models.translation import OP_ACCESS, MmuRegs, Request
from .mmu_items import AccessOp, MemWrite, Segment, SetContext, TlbiOp
from .mmu_random import SegmentItem
from .mmu_tables import DIRECTED_RAM, EAE, RAM_BASE, RAM_WORDS

BASE = RAM_BASE + RAM_WORDS * 8 - DIRECTED_RAM
VMID = 31          # no random world uses it (mmu_tables.build_worlds: 0, 5, 6, 9, 12, 20)
ASID = 5
TABLE_IPA = 0xC000_0000
DATA_IPA = 0x4000_0000
DATA_PA = 0x80_4000_0000


def _ipa(pa: int) -> int:
    """The IPA of a table page in the directed window (stage 2 maps IPA 0xC000_0000 to RAM_BASE)."""
    return pa - RAM_BASE + TABLE_IPA


def block_size_stream(mair: tuple[int, int] = (0x44FF_0400, 0xBB44_AAFF)) -> Iterator[object]:
    s2, s1l1, s1l2 = BASE, BASE + 0x1000, BASE + 0x2000
    writes = [
        (s2 + 8 * 1, lpae.make_s2_leaf(1, DATA_PA, memattr=0xF, hap=3), "s2 1GB data block"),
        (s2 + 8 * 3, lpae.make_s2_leaf(1, RAM_BASE, memattr=0xF, hap=3), "s2 1GB table block"),
        (s1l1 + 8 * 0, lpae.make_s1_leaf(1, DATA_IPA, attrindx=1, ap=1), "s1 1GB block"),
        (s1l1 + 8 * 2, lpae.make_table(_ipa(s1l2)), "s1 L2 table"),
        (s1l2 + 8 * 0, lpae.make_s1_leaf(2, DATA_IPA + (1 << 21), attrindx=2, ap=1), "s1 2MB block"),
        (s1l2 + 8 * 5, lpae.make_s1_leaf(2, DATA_IPA + (3 << 21), attrindx=0, ap=1, ngv=1),
         "s1 2MB block (nG)"),
    ]
    for pa, desc, why in writes:
        yield MemWrite(pa, desc, f"directed: {why}")
    regs = MmuRegs(sctlr_m=1, ttbcr=EAE, ttbr0=_ipa(s1l1) | (ASID << 48), mair0=mair[0],
                   mair1=mair[1], hcr_vm=1, vtcr=EAE | (1 << 6), vttbr=BASE | (VMID << 48))
    yield SetContext(regs, f"directed/asid{ASID}")
    yield TlbiOp(T.TLBIALL, 0)          # nothing of an earlier use of this VMID survives
    vas = [0x0000_0000, 0x0123_4560, 0x3FFF_FFFC, 0x8000_0000, 0x801F_FFFC, 0x80A0_1234 & ~3]
    for _ in range(2):
        for va in vas:
            for pl in (0, 1):
                for kind in AccessKind:
                    yield AccessOp(Request(va, kind, pl, OP_ACCESS))


class MmuDirectedSeq(uvm_sequence):
    """block_size_stream() as one segment (run after the random sequence)."""

    async def body(self) -> None:
        item = SegmentItem("directed", Segment(list(block_size_stream()), last=True))
        await self.start_item(item)
        await self.finish_item(item)

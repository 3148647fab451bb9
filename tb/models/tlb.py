"""TLB model: VMID/ASID/nG tagging and TLBI semantics (ARM ARM ARMv7-A/R
B3.9 "Translation Lookaside Buffers", B3.10 TLB maintenance, B4.2.2 with the
Virtualization Extensions).

Mirrors rtl/mmu/mmu_tlb.sv exactly so the scoreboard can predict hit/miss:
``n`` fully associative entries, filled round-robin (the pointer advances on
every fill, evicting whatever it points at), one entry per successful
non-ATS translation, sized min(stage-1 block, stage-2 block). Faulting
translations are never cached (B3.9.1). TLBI by MVA matches the whole stage-1
block the entry came from (B3.10.1: an operation on any address of a block
removes the block).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Optional


class TlbiOp(IntEnum):
    """tlbi_op_i encodings of rtl/mmu; +IS (bit 3) gives the Inner Shareable
    form, which on one core acts as the local one."""

    TLBIALL = 0       # PL1&0 entries of the current VMID
    TLBIMVA = 1       # PL1&0, current VMID, MVA and (ASID or global)
    TLBIASID = 2      # PL1&0, current VMID, non-global entries of ASID
    TLBIMVAA = 3      # PL1&0, current VMID, MVA, any ASID
    TLBIALLH = 4      # all Hyp entries
    TLBIMVAH = 5      # Hyp entries by MVA
    TLBIALLNSNH = 6   # all Non-secure non-Hyp entries, every VMID


IS = 8


def tlbi_name(op: int) -> str:
    return TlbiOp(op & 7).name + ("IS" if op & IS else "")


#: Size code -> mask over VA[31:12] (0: 4KB, 1: 2MB, 2: 1GB).
SIZE_MASK = {0: 0xFFFFF, 1: 0xFFE00, 2: 0xC0000}


@dataclass
class TlbEntry:
    hyp: int
    vmid: int
    asid: int
    ng: int
    va_page: int      # VA[31:12] of the filling access
    csize: int        # entry size: min(stage-1, stage-2)
    s1size: int       # stage-1 block size (TLBI by MVA)
    pa_page: int      # PA[39:12] of the filling access
    ipa_page: int
    s1en: int
    ap2: int
    ap1: int
    xn: int
    pxn: int
    s1level: int
    s2en: int
    s2ap: int
    s2xn: int
    s2level: int
    attr: int
    sh: int
    s2attr: int
    s2sh: int

    def covers(self, va_page: int, size: int) -> bool:
        return ((self.va_page ^ va_page) & SIZE_MASK[size]) == 0


class Tlb:
    def __init__(self, entries: int) -> None:
        self.entries: list[Optional[TlbEntry]] = [None] * entries
        self.ptr = 0

    def lookup(self, hyp: bool, vmid: int, asid: int, va: int) -> Optional[TlbEntry]:
        page = va >> 12
        for e in self.entries:     # lowest index wins, as the RTL's priority encoder
            if e is None or e.hyp != int(hyp):
                continue
            if not hyp and (e.vmid != vmid or (e.ng and e.asid != asid)):
                continue
            if e.covers(page, e.csize):
                return e
        return None

    def fill(self, entry: TlbEntry) -> bool:
        """Insert; return True when a valid entry was evicted."""
        evicted = self.entries[self.ptr] is not None
        self.entries[self.ptr] = entry
        self.ptr = (self.ptr + 1) % len(self.entries)
        return evicted

    def invalidate(self, op: int, data: int, vmid: int) -> int:
        """Apply a TLBI; return how many entries it removed."""
        kind = TlbiOp(op & 7)
        page = (data >> 12) & 0xFFFFF
        asid = data & 0xFF
        removed = 0
        for i, e in enumerate(self.entries):
            if e is None:
                continue
            if kind == TlbiOp.TLBIALLH:
                hit = e.hyp == 1
            elif kind == TlbiOp.TLBIMVAH:
                hit = e.hyp == 1 and e.covers(page, e.s1size)
            elif kind == TlbiOp.TLBIALLNSNH:
                hit = e.hyp == 0
            else:
                base = e.hyp == 0 and e.vmid == vmid
                if kind == TlbiOp.TLBIALL:
                    hit = base
                elif kind == TlbiOp.TLBIMVA:
                    hit = base and e.covers(page, e.s1size) and (not e.ng or e.asid == asid)
                elif kind == TlbiOp.TLBIASID:
                    hit = base and e.ng == 1 and e.asid == asid
                else:   # TLBIMVAA
                    hit = base and e.covers(page, e.s1size)
            if hit:
                self.entries[i] = None
                removed += 1
        return removed

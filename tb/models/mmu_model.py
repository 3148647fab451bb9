"""Reference model of the whole MMU block (rtl/mmu/mmu.sv): translation
(tb/models/translation.py) behind the TLB (tb/models/tlb.py), producing the
response fields the RTL drives, abort syndromes (tb/models/mmu_faults.py)
and the 64-bit PAR of ATS operations.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .mmu_faults import AbortReport, AccessKind, Fault, FaultType, abort_report, par_fault, par_ok
from .tlb import SIZE_MASK, Tlb, TlbEntry
from .translation import (OP_ACCESS, MmuRegs, Read64, Request, TranslationFault, Translator,
                          s1_permission_fault, s2_permission_fault, size_of_level)


@dataclass
class Response:
    fault: Optional[Fault]
    pa: int = 0
    attr: int = 0        # stage-1 MAIR byte (0 with stage 1 off)
    sh: int = 0
    s2attr: int = 0      # stage-2 MemAttr (0 when stage 2 did not apply)
    s2sh: int = 0
    tlb_hit: bool = False
    par: int = 0
    report: Optional[AbortReport] = None
    reads: int = 0       # descriptor fetches
    evicted: bool = False
    s1level: int = 0     # leaf levels of a success (0: stage off), for coverage
    s2level: int = 0


def _merge(page: int, va: int, size: int) -> int:
    low = 0xFFFFF & ~SIZE_MASK[size]          # VA[31:12] bits inside the entry
    return (((page & ~low) | ((va >> 12) & low)) << 12) | (va & 0xFFF)


class MmuModel:
    def __init__(self, read64: Read64, tlb_entries: int) -> None:
        self.regs = MmuRegs()
        self.read64 = read64
        self.tlb = Tlb(tlb_entries)

    def tlbi(self, op: int, data: int) -> int:
        return self.tlb.invalidate(op, data, self.regs.vmid)

    def _fault(self, req: Request, fault: Fault, hit: bool, reads: int) -> Response:
        rep = abort_report(fault, req.va, req.kind, req.pl == 2)
        return Response(fault, tlb_hit=hit, par=par_fault(fault), report=rep, reads=reads)

    def _from_entry(self, req: Request, e: TlbEntry) -> Response:
        if e.s1en and s1_permission_fault(req.kind, req.pl, e.ap2, e.ap1, e.xn, e.pxn):
            return self._fault(req, Fault(FaultType.PERMISSION, e.s1level, 1), True, 0)
        ipa = _merge(e.ipa_page, req.va, e.csize)
        if e.s2en and s2_permission_fault(req.kind, e.s2ap, e.s2xn):
            return self._fault(req, Fault(FaultType.PERMISSION, e.s2level, 2, False, ipa), True, 0)
        pa = _merge(e.pa_page, req.va, e.csize)
        return Response(None, pa, e.attr, e.sh, e.s2attr, e.s2sh, True, par_ok(pa, e.attr, e.sh),
                        s1level=e.s1level if e.s1en else 0, s2level=e.s2level if e.s2en else 0)

    def reference(self, req: Request) -> Response:
        """The translation straight from the tables (no TLB lookup or fill)."""
        tr = Translator(self.regs, self.read64)
        if not any(tr.enabled(req)):
            return Response(None, req.va)
        try:
            t = tr.translate(req)
        except TranslationFault as exc:
            return Response(exc.fault)
        return Response(None, t.pa)

    def request(self, req: Request) -> Response:
        r = self.regs
        tr = Translator(r, self.read64)
        s1on, s2on = tr.enabled(req)
        hyp = req.pl == 2
        if not s1on and not s2on:
            return Response(None, req.va, par=par_ok(req.va, 0, 0))
        if req.op == OP_ACCESS:
            e = self.tlb.lookup(hyp, r.vmid, r.asid, req.va)
            if e is not None:
                return self._from_entry(req, e)
        try:
            t = tr.translate(req)
        except TranslationFault as exc:
            return self._fault(req, exc.fault, False, tr.reads)
        s1, s2 = t.s1, t.s2
        attr = s1.attr if s1 else 0
        sh = s1.sh if s1 else 0
        resp = Response(None, t.pa, attr, sh, s2.memattr if s2 else 0, s2.sh if s2 else 0,
                        False, par_ok(t.pa, attr, sh), reads=tr.reads,
                        s1level=s1.level if s1 else 0, s2level=s2.level if s2 else 0)
        if req.op == OP_ACCESS:
            s1size = size_of_level(s1.level) if s1 else size_of_level(s2.level)  # type: ignore[union-attr]
            csize = min(s1size, size_of_level(s2.level)) if s2 else s1size
            entry = TlbEntry(
                hyp=int(hyp), vmid=r.vmid, asid=r.asid, ng=s1.ng if s1 else 0,
                va_page=req.va >> 12, csize=csize, s1size=s1size,
                pa_page=t.pa >> 12, ipa_page=t.ipa >> 12,
                s1en=int(s1 is not None), ap2=s1.ap2 if s1 else 0, ap1=s1.ap1 if s1 else 0,
                xn=s1.xn if s1 else 0, pxn=s1.pxn if s1 else 0, s1level=s1.level if s1 else 0,
                s2en=int(s2 is not None), s2ap=s2.s2ap if s2 else 0, s2xn=s2.xn if s2 else 0,
                s2level=s2.level if s2 else 0, attr=attr, sh=sh,
                s2attr=s2.memattr if s2 else 0, s2sh=s2.sh if s2 else 0)
            resp.evicted = self.tlb.fill(entry)
        return resp


__all__ = ["AccessKind", "MmuModel", "Request", "Response"]

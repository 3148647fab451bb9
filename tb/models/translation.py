"""Stage-1, stage-2 and nested LPAE translation with permission checks and
fault prediction (ARM ARM ARMv7-A/R B3.6 long-descriptor translation,
B3.12 faults, B3.7 permissions).

A Translator walks tables through ``read64(pa) -> int | None`` (None: the
memory system answers with an external abort). Semantics shared with the RTL
(rtl/mmu/mmu.sv), including the choices the architecture leaves open:
  * an input address outside every TTBR / IPA range, a disabled walk
    (TTBCR.EPDn) or an illegal VTCR.SL0/T0SZ pair: Translation fault, level 1;
  * priority at a leaf: Access flag before Permission (B3.12.3); the stage-1
    leaf is checked before the output IPA is translated by stage 2;
  * instruction fetches need stage-2 read permission and XN=0 (B3.7.4);
  * HCR.PTW=1 and a stage-1 walk to memory stage 2 maps as Device/Strongly-
    ordered (MemAttr[3:2]=0b00): stage-2 Permission fault, S1PTW=1;
  * not modelled: SCTLR.AFE/hardware AF, WXN/UWXN, address size faults,
    TTBCR.A1-independent ASID of TTBR1 walks is used only as a TLB tag.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from . import lpae
from .mmu_faults import AccessKind, Fault, FaultType

Read64 = Callable[[int], Optional[int]]


@dataclass
class MmuRegs:
    """The register inputs of the MMU (the core owns CP15)."""

    sctlr_m: int = 0
    ttbcr: int = 0x8000_0000       # EAE=1
    ttbr0: int = 0
    ttbr1: int = 0
    mair0: int = 0
    mair1: int = 0
    hsctlr_m: int = 0
    htcr: int = 0x8000_0000
    httbr: int = 0
    hmair0: int = 0
    hmair1: int = 0
    hcr_vm: int = 0
    hcr_ptw: int = 0
    vtcr: int = 0x8000_0000
    vttbr: int = 0

    @property
    def vmid(self) -> int:
        return (self.vttbr >> 48) & 0xFF

    @property
    def asid(self) -> int:
        """Current ASID: TTBR1.ASID when TTBCR.A1 else TTBR0.ASID (B4.1.154)."""
        ttbr = self.ttbr1 if (self.ttbcr >> 22) & 1 else self.ttbr0
        return (ttbr >> 48) & 0xFF


@dataclass(frozen=True)
class Request:
    va: int
    kind: AccessKind = AccessKind.LOAD
    pl: int = 1          # privilege the access is checked at: 0, 1 or 2 (Hyp regime)
    op: int = 0          # 0 access, 1 ATS stage 1 only (ATS1C*/ATS1H*), 2 ATS12NSO*


OP_ACCESS, OP_ATS1, OP_ATS12 = 0, 1, 2


@dataclass
class Stage1Leaf:
    level: int
    ipa: int
    ap2: int
    ap1: int
    xn: int
    pxn: int
    ng: int
    attr: int      # MAIR byte selected by AttrIndx
    sh: int


@dataclass
class Stage2Leaf:
    level: int
    pa: int
    s2ap: int
    xn: int
    memattr: int
    sh: int


@dataclass
class Translation:
    """A successful translation (what a TLB entry holds, before sizing)."""

    pa: int
    ipa: int
    s1: Optional[Stage1Leaf]
    s2: Optional[Stage2Leaf]


class TranslationFault(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(str(fault))
        self.fault = fault


def size_of_level(level: int) -> int:
    """TLB size code: 0 = 4KB page, 1 = 2MB block, 2 = 1GB block."""
    return 3 - level


def s1_permission_fault(kind: AccessKind, pl: int, ap2: int, ap1: int, xn: int, pxn: int) -> bool:
    """Stage-1 access permissions (B3.7.1 AP[2:1], B3.7.2 XN/PXN). At PL2, AP[1]
    and PXN are ignored (Hyp stage 1, B3.6.2)."""
    user_denied = pl == 0 and not ap1
    if kind == AccessKind.FETCH:
        return bool(xn or (pl == 1 and pxn) or user_denied)
    if kind == AccessKind.STORE:
        return bool(ap2 or user_denied)
    return user_denied


def s2_permission_fault(kind: AccessKind, s2ap: int, xn: int) -> bool:
    """Stage-2 HAP[2:1] and XN (B3.7.4)."""
    if kind == AccessKind.STORE:
        return not (s2ap & 2)
    if kind == AccessKind.FETCH:
        return not (s2ap & 1) or bool(xn)
    return not (s2ap & 1)


def _mair_byte(mair0: int, mair1: int, idx: int) -> int:
    word = mair0 if idx < 4 else mair1
    return (word >> (8 * (idx & 3))) & 0xFF


def s1_region(regs: MmuRegs, va: int) -> Optional[tuple[int, int]]:
    """PL1&0 stage 1: (TTBR value, TxSZ) for ``va``, or None when no TTBR covers
    it or its walk is disabled by EPDn (B3.6.4 "Selecting between TTBR0 and TTBR1")."""
    t0sz = regs.ttbcr & 7
    t1sz = (regs.ttbcr >> 16) & 7
    epd0 = (regs.ttbcr >> 7) & 1
    epd1 = (regs.ttbcr >> 23) & 1
    if t1sz and va >= (1 << 32) - (1 << (32 - t1sz)):
        sel = 1
    elif t0sz == 0 or va < (1 << (32 - t0sz)):
        sel = 0
    elif t1sz == 0:
        sel = 1
    else:
        return None
    if (epd1 if sel else epd0):
        return None
    return (regs.ttbr1, t1sz) if sel else (regs.ttbr0, t0sz)


def s1_start(txsz: int) -> tuple[int, int]:
    """(start level, index bits at that level) for a 32-bit input (B3.6.6)."""
    if txsz <= 1:
        return 1, 2 - txsz
    return 2, 11 - txsz


def s2_start(vtcr: int) -> Optional[tuple[int, int, int]]:
    """(start level, index bits, IPA size) from VTCR.SL0/T0SZ (B3.6.6,
    B4.1.159); None for a combination the architecture does not allow."""
    t0sz = vtcr & 0xF
    if t0sz & 8:
        t0sz -= 16
    size = 32 - t0sz
    sl0 = (vtcr >> 6) & 3
    if sl0 == 1:
        level, bits = 1, size - 30
        ok = 1 <= bits <= 10
    elif sl0 == 0:
        level, bits = 2, size - 21
        ok = 4 <= bits <= 13
    else:
        return None
    return (level, bits, size) if ok else None


def desc_addr(table: int, in_addr: int, level: int, bits: int) -> int:
    mask = (1 << bits) - 1
    idx = (in_addr >> lpae.LEVEL_SHIFT[level]) & mask
    return (table & lpae.MASK40 & ~((mask << 3) | 7)) | (idx << 3)


class Translator:
    def __init__(self, regs: MmuRegs, read64: Read64) -> None:
        self.regs = regs
        self.read64 = read64
        self.reads = 0     # descriptor fetches of the last translate()

    # -- stage 2 -------------------------------------------------------------
    def stage2(self, ipa: int, kind: AccessKind, ptw: bool) -> Stage2Leaf:
        """Translate an IPA; ``ptw``: the access is a stage-1 table fetch."""
        r = self.regs
        start = s2_start(r.vtcr)

        def fault(t: FaultType, level: int) -> TranslationFault:
            return TranslationFault(Fault(t, level, 2, ptw, ipa))

        if start is None or ipa >> start[2]:
            raise fault(FaultType.TRANSLATION, 1)
        level, bits, _ = start
        table = r.vttbr
        while True:
            addr = desc_addr(table, ipa, level, bits)
            self.reads += 1
            desc = self.read64(addr)
            if desc is None:
                raise fault(FaultType.EXT_ABORT_WALK, level)
            kindd = lpae.desc_kind(desc, level)
            if kindd == "invalid":
                raise fault(FaultType.TRANSLATION, level)
            if kindd == "table":
                table = lpae.next_table(desc)
                level += 1
                bits = 9
                continue
            if not lpae.af(desc):
                raise fault(FaultType.ACCESS_FLAG, level)
            leaf = Stage2Leaf(level, lpae.output_address(desc, level, ipa), lpae.s2ap(desc),
                              lpae.xn(desc), lpae.mem_attr(desc), lpae.sh(desc))
            if ptw:
                denied = not (leaf.s2ap & 1) or (r.hcr_ptw and (leaf.memattr >> 2) == 0)
            else:
                denied = s2_permission_fault(kind, leaf.s2ap, leaf.xn)
            if denied:
                raise fault(FaultType.PERMISSION, level)
            return leaf

    # -- stage 1 -------------------------------------------------------------
    def stage1(self, req: Request, hyp: bool, nested: bool) -> Stage1Leaf:
        r = self.regs
        va = req.va

        def fault(t: FaultType, level: int) -> TranslationFault:
            return TranslationFault(Fault(t, level, 1))

        if hyp:
            t0sz = r.htcr & 7
            if t0sz and va >> (32 - t0sz):
                raise fault(FaultType.TRANSLATION, 1)
            ttbr, txsz = r.httbr, t0sz
            mair0, mair1 = r.hmair0, r.hmair1
        else:
            sel = s1_region(r, va)
            if sel is None:
                raise fault(FaultType.TRANSLATION, 1)
            ttbr, txsz = sel
            mair0, mair1 = r.mair0, r.mair1
        level, bits = s1_start(txsz)
        table = ttbr
        aptable = xntable = pxntable = 0
        while True:
            addr = desc_addr(table, va, level, bits)
            if nested:
                addr = self.stage2(addr, AccessKind.LOAD, ptw=True).pa
            self.reads += 1
            desc = self.read64(addr)
            if desc is None:
                raise fault(FaultType.EXT_ABORT_WALK, level)
            kindd = lpae.desc_kind(desc, level)
            if kindd == "invalid":
                raise fault(FaultType.TRANSLATION, level)
            if kindd == "table":
                apt, xnt, pxnt = lpae.table_attrs(desc)
                aptable |= apt
                xntable |= xnt
                pxntable |= pxnt
                table = lpae.next_table(desc)
                level += 1
                bits = 9
                continue
            if not lpae.af(desc):
                raise fault(FaultType.ACCESS_FLAG, level)
            ap = lpae.ap21(desc)
            leaf = Stage1Leaf(
                level=level, ipa=lpae.output_address(desc, level, va),
                ap2=(ap >> 1) | (aptable >> 1), ap1=(ap & 1) & ~aptable & 1,
                xn=lpae.xn(desc) | xntable, pxn=lpae.pxn(desc) | pxntable,
                ng=0 if hyp else lpae.ng(desc),
                attr=_mair_byte(mair0, mair1, lpae.attr_indx(desc)), sh=lpae.sh(desc))
            if s1_permission_fault(req.kind, req.pl, leaf.ap2, leaf.ap1, leaf.xn, leaf.pxn):
                raise fault(FaultType.PERMISSION, level)
            return leaf

    # -- both ----------------------------------------------------------------
    def enabled(self, req: Request) -> tuple[bool, bool]:
        """(stage 1 on, stage 2 applies to the walk) for this request's regime."""
        r = self.regs
        if req.pl == 2:
            return bool(r.hsctlr_m), False
        return bool(r.sctlr_m), bool(r.hcr_vm)

    def translate(self, req: Request) -> Translation:
        """Walk both stages; raise TranslationFault. Flat when both are off."""
        self.reads = 0
        s1on, s2on = self.enabled(req)
        s1 = self.stage1(req, req.pl == 2, s2on) if s1on else None
        ipa = s1.ipa if s1 else req.va
        s2 = None
        if s2on and req.op != OP_ATS1:
            s2 = self.stage2(ipa, req.kind, ptw=False)
        return Translation(s2.pa if s2 else ipa, ipa, s1, s2)

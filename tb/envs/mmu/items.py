"""Transactions of the MMU block environment.

The sequence items themselves (AccessOp, TlbiOp, SetContext, MemWrite inside a
Segment) are plain Python in tb/sequences/mmu_items.py, shared with the stream
generator; here is what the monitor publishes: each operation with the response
the harness recorded for it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from hypsim.models.translation import AccessKind, Request
from hypsim.sequences.mmu_items import AccessOp, MemWrite, Segment, SetContext, TlbiOp

__all__ = ["AccessOp", "Event", "MemWrite", "Observed", "Segment", "SetContext", "TlbiOp"]


@dataclass
class Observed:
    """One response as recorded by the harness (field layout: mmu_tb_top.sv res_q)."""
    pa: int
    fault: int
    stage2: int
    fs: int
    s1ptw: int
    to_hyp: int
    tlb_hit: int
    hpfar_valid: int
    attr: int
    s2attr: int
    par: int
    hpfar: int
    far: int
    fsr: int
    iss: int
    ec: int
    sh: int
    s2sh: int
    reads: int
    latency: int

    @classmethod
    def decode(cls, v: int) -> "Observed":
        def f(lo: int, w: int) -> int:
            return (v >> lo) & ((1 << w) - 1)
        return cls(pa=f(0, 40), fault=f(40, 1), stage2=f(41, 1), fs=f(42, 6), s1ptw=f(48, 1),
                   to_hyp=f(49, 1), tlb_hit=f(50, 1), hpfar_valid=f(51, 1), attr=f(52, 8),
                   s2attr=f(60, 4), par=f(64, 64), hpfar=f(128, 32), far=f(160, 32),
                   fsr=f(192, 13), iss=f(205, 25), ec=f(230, 6), sh=f(236, 2), s2sh=f(238, 2),
                   reads=f(240, 8), latency=f(248, 8))


@dataclass
class Event:
    """What the monitor publishes, in execution order."""
    kind: str                        # 'ctx', 'mem', 'tlbi', 'xlat'
    item: object
    obs: Optional[Observed] = None
    time_ns: float = 0.0


def encode(op: object) -> int:
    """The harness's op word (mmu_tb_top.sv): [31:0] VA / TLBI data, [33:32] kind,
    [35:34] pl, [37:36] op, [38] is TLBI, [42:39] TLBI op."""
    if isinstance(op, TlbiOp):
        return (1 << 38) | (op.op << 39) | (op.data & 0xFFFF_FFFF)
    assert isinstance(op, AccessOp)
    q = op.req
    return q.va | (int(q.kind) << 32) | (q.pl << 34) | (q.op << 36)


def decode(w: int) -> AccessOp | TlbiOp:
    """The operation of a harness op word (the inverse of :func:`encode`)."""
    if w >> 38 & 1:
        return TlbiOp((w >> 39) & 0xF, w & 0xFFFF_FFFF)
    return AccessOp(Request(w & 0xFFFF_FFFF, AccessKind((w >> 32) & 3), (w >> 34) & 3, (w >> 36) & 3))

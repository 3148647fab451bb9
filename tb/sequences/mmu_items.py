"""Operations the MMU block sequences produce (plain Python, no cocotb).

A stream is a list of these; the driver batches consecutive AccessOp/TlbiOp
items into one harness run and applies SetContext/MemWrite between runs."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models.translation import MmuRegs, Request


@dataclass(frozen=True)
class AccessOp:
    req: Request


@dataclass(frozen=True)
class TlbiOp:
    op: int       # tlb.TlbiOp value, +8 for the IS form
    data: int


@dataclass(frozen=True)
class SetContext:
    regs: MmuRegs
    name: str = ""        # world/ASID label, for switch coverage
    vmid_switch: bool = False
    asid_switch: bool = False


@dataclass(frozen=True)
class MemWrite:
    pa: int
    value: int
    why: str = ""


@dataclass
class Segment:
    """One sequence item's payload: operations executed in order."""
    ops: list = field(default_factory=list)
    last: bool = False    # the driver runs everything still pending

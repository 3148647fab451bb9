"""Transactions of the generic timer block environment.

TimerItem is what the sequences send the driver: one register access (an
Access of tb/models/generic_timer.py), idle cycles, or a change of cnt_en_i.
The monitor publishes what it sees on the pins: Tick (a rising edge out of
reset, with the cnt_en_i it sampled), StateObs (the outputs at a checkpoint)
and AccessObs (an access decoded from the input pins, with the outputs of its
cycle)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pyuvm import uvm_sequence_item

from hypsim.models.generic_timer import Access


class TimerItem(uvm_sequence_item):
    """kind 'access' (acc), 'idle' (n cycles; check_each: a checkpoint every cycle,
    else one after them), 'cnt_en' (value), 'check' (a checkpoint named where in
    the current cycle, then on to the next falling edge), 'look' (the same without
    a checkpoint: nothing is compared) or 'peek' (the outputs now, no time passes).
    For check, look and peek the driver puts what the monitor saw into ``pins``."""

    def __init__(self, name: str = "timer", kind: str = "access", acc: Optional[Access] = None,
                 n: int = 0, check_each: bool = False, value: int = 1, where: str = "") -> None:
        super().__init__(name)
        self.kind, self.acc, self.n, self.check_each, self.value = kind, acc, n, check_each, value
        self.where = where
        self.pins: Optional["TimerPins"] = None

    def __str__(self) -> str:
        return {"access": f"access {self.acc}", "idle": f"idle {self.n}",
                "cnt_en": f"cnt_en_i <- {self.value}"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class TimerPins:
    """The DUT's outputs in one cycle (sampled at ReadOnly)."""
    irq_phys: bool
    irq_virt: bool
    irq_hyp: bool
    cntpct: int
    undef: bool
    trap: bool
    rdata: int

    @property
    def irq(self) -> tuple[bool, bool, bool]:
        return (self.irq_phys, self.irq_virt, self.irq_hyp)


@dataclass(frozen=True)
class Tick:
    """A rising edge with rst_ni high: the count advances if cnt_en was 1."""
    cnt_en: int


@dataclass(frozen=True)
class StateObs:
    """The outputs at a checkpoint (before an access, after idle cycles, ...)."""
    where: str
    pins: TimerPins


@dataclass(frozen=True)
class AccessObs:
    """An access seen on the input pins (acc_valid_i high) and the outputs of its cycle."""
    acc: Access
    pins: TimerPins

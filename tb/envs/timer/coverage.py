"""Functional coverage of the generic timer block, sampled on checked accesses
by TimerCoverage, a uvm_subscriber of the scoreboard (the bins are of the
model's decode and outcome of each access the monitor saw, and of the model's
timer state at each checkpoint):

- timer.access: register x direction x PL x outcome (impossible combinations,
  found by asking the model over all CNTKCTL/CNTHCTL settings, are ignored);
- timer.<t>.state: (ENABLE, IMASK, ISTATUS) of each timer at every checked access
  (ISTATUS reads 0 while ENABLE is 0, so those bins are ignored).
"""
from __future__ import annotations

from itertools import product

from dataclasses import dataclass
from typing import Union

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import uvm_subscriber

from hypsim.models.generic_timer import (PLS, REG_NAMES, TIMERS, UNKNOWN, Outcome,
                                         possible_outcomes)
from .. import coverage_report

REG_BINS = [*REG_NAMES, UNKNOWN]
DIR_BINS = ["R", "W"]
OUTCOME_BINS = [o.value for o in Outcome]
IMPOSSIBLE = [(name, d, pl, o.value)
              for name, d, pl in product(REG_BINS, DIR_BINS, PLS)
              for o in Outcome
              if o not in possible_outcomes(name, d == "W", pl)]


@CoverPoint("timer.access.reg", xf=lambda reg, d, pl, out: reg, bins=REG_BINS)
@CoverPoint("timer.access.dir", xf=lambda reg, d, pl, out: d, bins=DIR_BINS)
@CoverPoint("timer.access.pl", xf=lambda reg, d, pl, out: pl, bins=list(PLS))
@CoverPoint("timer.access.outcome", xf=lambda reg, d, pl, out: out, bins=OUTCOME_BINS)
@CoverCross("timer.access.reg_x_dir_x_pl_x_outcome",
            items=["timer.access.reg", "timer.access.dir", "timer.access.pl", "timer.access.outcome"],
            ign_bins=IMPOSSIBLE)
def sample_access(reg: str, d: str, pl: int, out: str) -> None:
    """One checked access (register name or UNKNOWN, R/W, PL, outcome)."""


def _timer_points(timer: str):
    @CoverPoint(f"timer.{timer}.enable", xf=lambda e, m, s: e, bins=[False, True])
    @CoverPoint(f"timer.{timer}.imask", xf=lambda e, m, s: m, bins=[False, True])
    @CoverPoint(f"timer.{timer}.istatus", xf=lambda e, m, s: s, bins=[False, True])
    @CoverCross(f"timer.{timer}.enable_x_imask_x_istatus",
                items=[f"timer.{timer}.enable", f"timer.{timer}.imask", f"timer.{timer}.istatus"],
                ign_bins=[(False, None, True)])
    def sample(e: bool, m: bool, s: bool) -> None:
        """A timer's (ENABLE, IMASK, ISTATUS)."""
    return sample


SAMPLE_TIMER = {t: _timer_points(t) for t in TIMERS}


@dataclass(frozen=True)
class AccessSample:
    reg: str        # register name or UNKNOWN
    dir: str        # R / W
    pl: int
    outcome: str


@dataclass(frozen=True)
class StateSample:
    timer: str
    enable: bool
    imask: bool
    istatus: bool


class TimerCoverage(uvm_subscriber):
    def write(self, t: Union[AccessSample, StateSample]) -> None:
        if isinstance(t, AccessSample):
            sample_access(t.reg, t.dir, t.pl, t.outcome)
        else:
            SAMPLE_TIMER[t.timer](t.enable, t.imask, t.istatus)


def summary() -> tuple[int, int, list[str]]:
    """(bins hit, bins total, cover items with missed bins) of this block."""
    return coverage_report.summary("timer.")


export = coverage_report.export

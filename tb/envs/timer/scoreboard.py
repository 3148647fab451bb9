"""TimerScoreboard: the reference model (tb/models/generic_timer.py, a plain
class) stepped by the monitor's observations, and every comparison.

    Tick        the model counts one cycle (if cnt_en_i was 1 at that edge)
    StateObs    the three PPI levels and cntpct_o against the model's state
    AccessObs   the checkpoint "before access", then undef_o/trap_o/rdata_o
                against the model's answer to the same access, which the model
                then applies (its write takes effect with the next Tick)

Coverage samples (coverage.py) go out on ``ap`` for every checked access and,
per timer, at every checkpoint.
"""
from __future__ import annotations

from pyuvm import uvm_analysis_port, uvm_subscriber

from hypsim.models.generic_timer import CTL_ENABLE, CTL_IMASK, TIMERS, GenericTimer, Outcome, decode

from .. import results
from .coverage import AccessSample, StateSample
from .items import AccessObs, StateObs, Tick


class TimerScoreboard(uvm_subscriber):
    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)
        self.model = GenericTimer()
        self.cycle = 0
        self.accesses = 0
        self.checks = 0
        self.mismatches: list[results.Mismatch] = []
        self.corrupt = results.Corruptor()
        self.last_outcome: Outcome | None = None

    def _mismatch(self, what: str, expected: object, seen: object) -> None:
        self.mismatches.append(results.Mismatch(f"cycle {self.cycle} count {self.model.cntpct:#x}", what,
                                                str(expected), str(seen)))

    def write(self, t: Tick | StateObs | AccessObs) -> None:
        if isinstance(t, Tick):
            self.cycle += 1
            if t.cnt_en:
                self.model.tick(1)
        elif isinstance(t, StateObs):
            self.check_state(t)
        else:
            self.check_access(t)

    def check_state(self, obs: StateObs) -> None:
        self.checks += 1
        exp = self.model.irq_levels()
        if obs.pins.irq != exp:
            self._mismatch(f"{obs.where}: (irq_phys, irq_virt, irq_hyp)", exp, obs.pins.irq)
        if obs.pins.cntpct != self.model.cntpct:
            self._mismatch(f"{obs.where}: cntpct_o", hex(self.model.cntpct), hex(obs.pins.cntpct))
        for t in TIMERS:
            ctl = self.model.timers[t].ctl
            self.ap.write(StateSample(t, bool(ctl & CTL_ENABLE), bool(ctl & CTL_IMASK), self.model.istatus(t)))

    def check_access(self, obs: AccessObs) -> None:
        acc, pins = obs.acc, obs.pins
        self.check_state(StateObs("before access", pins))
        name = decode(acc)
        what = f"{'MCR' if acc.write else 'MRC'}{'R' if acc.is64 else ''} {name} at PL{acc.pl}"
        res = self.model.access(acc)
        seen_out = (Outcome.UNDEFINED if pins.undef else Outcome.TRAP_TO_HYP if pins.trap else Outcome.OK)
        if pins.undef and pins.trap:
            self._mismatch(f"{what}: undef_o and trap_o", "at most one", "both")
        if seen_out is not res.outcome:
            self._mismatch(f"{what}: outcome", res.outcome.value, seen_out.value)
        if not acc.write or res.outcome is not Outcome.OK:
            expected = res.rdata ^ 1 if self.corrupt.due() else res.rdata
            if pins.rdata != expected:
                self._mismatch(f"{what}: rdata_o", hex(expected), hex(pins.rdata))
        self.ap.write(AccessSample(name, "W" if acc.write else "R", acc.pl, res.outcome.value))
        self.accesses += 1
        self.last_outcome = res.outcome

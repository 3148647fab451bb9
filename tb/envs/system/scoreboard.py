"""SystemChecker: the system env's scoreboard. It keeps every exchange the VMM
monitor publishes; check_phase runs the checkers (checkers.py, plain functions
over the exchange log and the retire trace: what each answer must have done)."""
from __future__ import annotations

from pathlib import Path

from pyuvm import ConfigDB, uvm_subscriber

from .checkers import CheckResult, check_events, check_trace_loads
from .items import Exchange, record


class SystemChecker(uvm_subscriber):
    def build_phase(self) -> None:
        self.events: list[dict] = []
        self.result = CheckResult()

    def write(self, x: Exchange) -> None:
        self.events.append(record(x))

    def check_phase(self) -> None:
        try:
            self.result = check_events(self.events)
            trace: Path = ConfigDB().get(self, "", "TRACE")
            if trace.exists():
                check_trace_loads(trace, self.result)
        except Exception as exc:     # a log the checkers cannot read is a failure, not a crash
            self.result.fail(f"the checkers could not read the run: {type(exc).__name__}: {exc}")
        for msg in self.result.failures:
            self.logger.error(msg)

"""SystemEnv: the VMM agent, the exchange log, the checkers and coverage.

    SystemEnv
      VmmAgent          sequencer + driver + monitor over one VmmBfm (agents.py, bfm.py)
      ExchangeLog       uvm_subscriber: every exchange to vmm-events.jsonl (the
                        format tb/cocotb_top.py writes, plus ack_cycle)
      SystemChecker     uvm_subscriber (scoreboard.py): keeps the exchanges;
                        check_phase runs checkers.check_events over them
      SystemCoverage    uvm_subscriber (coverage.py): samples each exchange;
                        extract_phase adds the trace's points

SystemTest starts the sequence the run names and ends when the launcher says
the run is over (tb/envs/system/launch.py).
"""
from __future__ import annotations

import json
from pathlib import Path

from pyuvm import ConfigDB, uvm_env, uvm_subscriber, uvm_test

from .agents import VmmAgent
from .coverage import SystemCoverage
from .items import Exchange, record
from .scoreboard import SystemChecker


class ExchangeLog(uvm_subscriber):
    def build_phase(self) -> None:
        self.path: Path = ConfigDB().get(self, "", "EVENTS")
        self.f = open(self.path, "w", encoding="ascii", buffering=1)

    def write(self, x: Exchange) -> None:
        self.f.write(json.dumps(record(x)) + "\n")

    def final_phase(self) -> None:
        self.f.close()


class SystemEnv(uvm_env):
    def build_phase(self) -> None:
        self.agent = VmmAgent("vmm", self)
        self.log = ExchangeLog("log", self)
        self.checker = SystemChecker("checker", self)
        self.coverage = SystemCoverage("coverage", self)

    def connect_phase(self) -> None:
        for sub in (self.log, self.checker, self.coverage):
            self.agent.monitor.ap.connect(sub.analysis_export)


class SystemTest(uvm_test):
    """Runs the sequence of the launcher's context on the VMM agent until the run ends."""

    def build_phase(self) -> None:
        from .launch import context
        self.ctx = context()
        for key, value in self.ctx.config_db().items():
            ConfigDB().set(None, "*", key, value)
        self.env = SystemEnv("env", self)

    async def run_phase(self) -> None:
        import cocotb
        self.raise_objection()
        seq = self.ctx.make_sequence()

        async def serve() -> None:
            try:
                await seq.start(self.env.agent.seqr)
            except Exception as exc:     # the core waits on the doorbell: end the run, say why
                self.logger.exception("the sequence failed")
                self.ctx.run_end(1, f"the {seq.get_name()} sequence failed: {type(exc).__name__}: {exc}")
        cocotb.start_soon(serve())
        await self.ctx.finished.wait()
        self.env.agent.monitor.flush()
        self.drop_objection()

    def report_phase(self) -> None:
        self.ctx.report(self.env)


__all__ = ["SystemEnv", "SystemTest"]

"""SystemEnv: the VMM agent, the exchange log, the checkers and coverage.

    SystemEnv
      VmmAgent          sequencer + driver + monitor over one VmmBfm (agent.py)
      ExchangeLog       uvm_subscriber: every exchange to vmm-events.jsonl (the
                        format tb/cocotb_top.py writes, plus ack_cycle)
      SystemChecker     uvm_subscriber: keeps the exchanges; check_phase runs
                        checkers.check_events over them
      SystemCoverage    uvm_subscriber: samples each exchange; report_phase adds
                        the trace's points and writes the XML

SystemTest starts the sequence the run names and ends when the launcher says
the run is over (tb/envs/system/launch.py).
"""
from __future__ import annotations

import json
from pathlib import Path

from pyuvm import ConfigDB, uvm_env, uvm_subscriber, uvm_test

from hypsim.vmm_abi import A

from . import coverage
from .agent import VmmAgent
from .checkers import CheckResult, check_events, check_trace_loads
from .items import Exchange


def record(x: Exchange) -> dict:
    if x.stop:
        return {"cycle": x.cycle, "run": x.run, "stop": True}
    return {"cycle": x.cycle, "run": x.run, "answer": x.answer, "ack_cycle": x.ack_cycle, "delay": x.gap}


class ExchangeLog(uvm_subscriber):
    def build_phase(self) -> None:
        self.path: Path = ConfigDB().get(self, "", "EVENTS")
        self.f = open(self.path, "w", encoding="ascii", buffering=1)

    def write(self, x: Exchange) -> None:
        self.f.write(json.dumps(record(x)) + "\n")

    def final_phase(self) -> None:
        self.f.close()


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


class SystemCoverage(uvm_subscriber):
    def build_phase(self) -> None:
        self.mmio_pcs: set[int] = set()
        self.trace_counts: dict[str, int] = {}

    def write(self, x: Exchange) -> None:
        coverage.sample_exchange(record(x))
        if x.run.get("exit_reason") == A.KVM_EXIT_MMIO:
            self.mmio_pcs.add(x.run["guest_pc"])

    def extract_phase(self) -> None:
        trace: Path = ConfigDB().get(self, "", "TRACE")
        if trace.exists():
            self.trace_counts = coverage.sample_trace(trace, self.mmio_pcs)


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

"""How tb/cocotb_top.py hands a run to the system env: when the run config's
"vmm" entry has an "env" entry ({"sequence", "seed", "max_delay", "n_ops",
"sim", "coverage"}), cocotb_top builds a :class:`SystemEnvRun` instead of
its own doorbell loop. It starts the BFM's monitor and the pyuvm test
(env.SystemTest) with the named sequence, tells the env when the run is over
(after the trace is flushed: the checkers and coverage read it), and writes
system-env.json beside the run: sequence, seed, the checkers' verdicts and
the coverage (also XML, under build/coverage/).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import cocotb
from cocotb.triggers import Event
from pyuvm import uvm_root

from hypsim.simulator import coverage_dir
from hypsim.vmm import Vmm

from . import coverage
from .bfm import VmmBfm
from .sequences import make_sequence

_CONTEXT: "SystemEnvRun | None" = None


def context() -> "SystemEnvRun":
    assert _CONTEXT is not None, "the system env runs only through tb/cocotb_top.py with a vmm.env config"
    return _CONTEXT


@dataclass
class SystemEnvRun:
    dut: object
    cfg: dict                      # run.json's "vmm" entry
    vmm: Vmm
    done: Event
    outcome: dict
    finished: Event = field(default_factory=Event)

    def __post_init__(self) -> None:
        global _CONTEXT
        _CONTEXT = self
        self.env_cfg: dict = self.cfg["env"]
        self.dir = Path(self.cfg["dir"])
        self.bfm = VmmBfm(self.dut)
        print(f"system env: sequence {self.env_cfg['sequence']} seed {self.env_cfg['seed']} "
              f"(rerun: HYPSIM_SYSTEM_SEQ={self.env_cfg['sequence']} HYPSIM_SYSTEM_SEED={self.env_cfg['seed']})",
              flush=True)
        cocotb.start_soon(self.bfm.monitor())
        from .env import SystemTest
        self.task = cocotb.start_soon(uvm_root().run_test(SystemTest))

    def config_db(self) -> dict:
        return {"BFM": self.bfm, "RUN_END": self.run_end, "EVENTS": self.dir / "vmm-events.jsonl",
                "TRACE": self.dir / "trace.txt"}

    def make_sequence(self):  # type: ignore[no-untyped-def]
        e = self.env_cfg
        return make_sequence(e["sequence"], self.vmm, int(e["seed"]), int(e.get("max_delay", 300)),
                             int(e.get("n_ops", 40)))

    def run_end(self, exit_code: int, message: str) -> None:
        """The driver's stop: the run ends with ``exit_code`` (0 every VM powered off)."""
        if "stop" not in self.outcome:
            self.outcome.update(stop="vmm", exit_status=exit_code, message=message)
        self.done.set()

    async def finish(self) -> None:
        """The run is over and the trace flushed: run the env's check and report phases."""
        self.finished.set()
        await self.task

    def report(self, env) -> None:  # type: ignore[no-untyped-def]
        e = self.env_cfg
        res = env.checker.result
        xml = Path(e.get("coverage") or coverage_dir() / f"system-{e['sequence']}-{e.get('sim', 'sim')}.xml")
        coverage.export(xml)
        hit, total, missed = coverage.summary()
        out = {"sequence": e["sequence"], "seed": e["seed"], "ok": res.ok, "checked": dict(res.checked),
               "failure_count": res.failure_count, "failures": res.failures, "exchanges": len(env.checker.events),
               "trace": env.coverage.trace_counts, "coverage_xml": str(xml), "bins_hit": hit, "bins_total": total,
               "groups": {k: list(v) for k, v in coverage.groups().items()}, "missed": missed}
        (self.dir / "system-env.json").write_text(json.dumps(out, indent=1))
        print(res.summary(), flush=True)

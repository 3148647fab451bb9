"""TimerEnv: the BFM (bfm.py), the timer agent (agents.py), the scoreboard with
the reference model (scoreboard.py) and, when ConfigDB's "COVERAGE" is True, the
coverage subscriber (coverage.py). DUT: rtl/timer/arm_generic_timer.sv."""
from __future__ import annotations

import cocotb
from pyuvm import ConfigDB, uvm_env

from .agents import TimerAgent
from .bfm import TimerBfm
from .coverage import TimerCoverage
from .scoreboard import TimerScoreboard


class TimerEnv(uvm_env):
    def build_phase(self) -> None:
        self.bfm = TimerBfm(cocotb.top)
        ConfigDB().set(None, "*", "BFM", self.bfm)
        self.agent = TimerAgent("agent", self)
        self.scoreboard = TimerScoreboard("scoreboard", self)
        try:
            sample = bool(ConfigDB().get(self, "", "COVERAGE"))
        except Exception:   # noqa: BLE001 (pyuvm raises UVMConfigItemNotFound)
            sample = False
        self.coverage = TimerCoverage("coverage", self) if sample else None

    def connect_phase(self) -> None:
        self.agent.monitor.ap.connect(self.scoreboard.analysis_export)
        if self.coverage is not None:
            self.scoreboard.ap.connect(self.coverage.analysis_export)

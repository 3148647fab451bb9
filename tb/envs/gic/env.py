"""GicEnv: the bus agent and the interrupt-line agent over one BFM (bfm.py, set in
ConfigDB as "BFM" by the test), the monitor, the scoreboard with the reference
model (scoreboard.py) and the coverage subscriber (coverage.py)."""
from __future__ import annotations

from pyuvm import uvm_env

from .agents import GicAgent, GicMonitor
from .coverage import GicCoverage
from .scoreboard import GicScoreboard


class GicEnv(uvm_env):
    def build_phase(self) -> None:
        self.monitor = GicMonitor("monitor", self)
        self.bus = GicAgent("bus", self)
        self.lines = GicAgent("lines", self)
        self.scoreboard = GicScoreboard("scoreboard", self)
        self.coverage = GicCoverage("coverage", self)

    def connect_phase(self) -> None:
        self.monitor.ap.connect(self.scoreboard.analysis_export)
        self.scoreboard.ap.connect(self.coverage.analysis_export)

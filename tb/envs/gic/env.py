"""GicEnv: bus agent + interrupt-line agent sharing one DutPort, scoreboard."""
from __future__ import annotations

import cocotb
from pyuvm import ConfigDB, uvm_analysis_port, uvm_env

from .agents import GicAgent
from .port import DutPort
from .scoreboard import GicScoreboard


class GicEnv(uvm_env):
    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)
        self.port = DutPort(cocotb.top, self.ap.write)
        ConfigDB().set(self, "*", "DUT_PORT", self.port)
        self.bus = GicAgent("bus", self)
        self.lines = GicAgent("lines", self)
        self.scoreboard = GicScoreboard("scoreboard", self)

    def connect_phase(self) -> None:
        self.ap.connect(self.scoreboard.analysis_export)

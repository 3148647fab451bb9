"""MmuEnv: the BFM (bfm.py), the walk-memory agent and the translation agent
(agents.py), the scoreboard with the translation model (scoreboard.py) and the
coverage subscriber (coverage.py). DUT: rtl/mmu/mmu.sv in mmu_tb_top.sv."""
from __future__ import annotations

import os

import cocotb
from pyuvm import ConfigDB, uvm_env

from .agents import MemoryAgent, TranslationAgent
from .bfm import MmuBfm
from .coverage import MmuCoverage
from .scoreboard import MmuScoreboard


class MmuEnv(uvm_env):
    def build_phase(self) -> None:
        self.bfm = MmuBfm(cocotb.top)
        ConfigDB().set(None, "*", "BFM", self.bfm)
        self.memory = MemoryAgent("memory", self)
        ConfigDB().set(None, "*", "memory", self.memory)
        self.agent = TranslationAgent("agent", self)
        self.scoreboard = MmuScoreboard("scoreboard", self)
        self.coverage = MmuCoverage("coverage", self)

    def connect_phase(self) -> None:
        self.agent.monitor.ap.connect(self.scoreboard.analysis_export)
        self.scoreboard.ap.connect(self.coverage.analysis_export)

    def start_of_simulation_phase(self) -> None:
        if os.environ.get("HYPSIM_MMU_DEBUG"):   # what the RTL RAM holds, for debug_walk
            ram: dict[int, int] = {}
            self.scoreboard.rtl_ram = ram
            cocotb.start_soon(self.bfm.watch_ram_writes(ram.__setitem__))

"""The GICv2 + virtualization extensions block (rtl/gic) against the reference
model (tb/models/vgic.py) in the pyuvm environment tb/envs/gic, on both
simulators. HYPSIM_GIC_EVENTS raises the number of random interrupt events,
HYPSIM_GIC_SEED picks the seed."""
from __future__ import annotations

import json
import os
from pathlib import Path

from hypsim.simulator import CocotbRun, Design, SimulationFailed, coverage_dir, failed_tests, run_cocotb

GIC = Design(name="gic", toplevel="gic_tb_top", source_dirs=("rtl/gic",),
             extra_sources=("tb/envs/gic/gic_tb_top.sv",))
# ~560 events/s on Icarus, ~1100 on Verilator (2-core machine): about 2.5 minutes for both
DEFAULT_EVENTS = {"icarus": 50_000, "verilator": 50_000}


def test_gic_block_matches_model(sim: str, work_dir: Path) -> None:
    events = int(os.environ.get("HYPSIM_GIC_EVENTS", DEFAULT_EVENTS[sim]))
    seed = os.environ.get("HYPSIM_GIC_SEED", "1")
    result = work_dir / "gic_result.json"
    cov = coverage_dir() / f"gic-{sim}.xml"
    try:
        xml = run_cocotb(CocotbRun(sim, GIC, "hypsim.envs.gic.cocotb_gic", work_dir, extra_env=(
            ("HYPSIM_GIC_SEED", seed), ("HYPSIM_GIC_EVENTS", str(events)),
            ("HYPSIM_GIC_RESULT", str(result)), ("HYPSIM_GIC_COVERAGE", str(cov)),
            ("GIC_NCPU", "2"), ("GIC_NIRQ", "64"))))
    except SimulationFailed as exc:   # a failing cocotb test also ends the simulator with 1
        figures = json.loads(result.read_text()) if result.exists() else {}
        raise AssertionError(f"GIC block on {sim} (seed {seed}): expected 0 mismatches, saw "
                             f"{figures.get('mismatches', '?')}: {figures.get('first_mismatches')}"
                             f"\n{exc}") from None
    figures = json.loads(result.read_text()) if result.exists() else {}
    print(f"GIC block on {sim}: {json.dumps(figures)}")
    assert not failed_tests(xml), (
        f"GIC block on {sim} (seed {seed}): expected 0 mismatches, "
        f"saw {figures.get('mismatches', '?')}: {figures.get('first_mismatches')}; "
        f"see {work_dir / 'sim.log'}")
    assert figures["mismatches"] == 0
    assert figures["events"] >= events, (
        f"expected at least {events} checked interrupt events on {sim}, saw {figures['events']}")

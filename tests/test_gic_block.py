"""The GICv2 + virtualization extensions block (rtl/gic) against the reference
model (tb/models/vgic.py) in the pyuvm environment tb/envs/gic, on both
simulators. HYPSIM_GIC_EVENTS raises the number of random interrupt events,
HYPSIM_GIC_SEED picks the seed."""
from __future__ import annotations

import os
from pathlib import Path

from hypsim.envs import results
from hypsim.simulator import GIC_BLOCK, CocotbRun, coverage_dir

# ~560 events/s on Icarus, ~1100 on Verilator (2-core machine); Icarus gets the short run
# in `make test` and the full one in `make sim` (HYPSIM_ALL_GUESTS=1)
LONG = bool(os.environ.get("HYPSIM_ALL_GUESTS"))
DEFAULT_EVENTS = {"icarus": 50_000 if LONG else 20_000, "verilator": 50_000}


def gic_run(sim: str, work_dir: Path, seed: str, events: int, cov: Path,
            extra: tuple[tuple[str, str], ...] = ()) -> CocotbRun:
    """The GIC block env on ``sim``; its result file is work_dir/gic_result.json."""
    return CocotbRun(sim, GIC_BLOCK, "hypsim.envs.gic.cocotb_gic", work_dir, extra_env=(
        ("HYPSIM_GIC_SEED", seed), ("HYPSIM_GIC_EVENTS", str(events)),
        ("HYPSIM_GIC_RESULT", str(work_dir / "gic_result.json")), ("HYPSIM_GIC_COVERAGE", str(cov)),
        ("HYPSIM_GIC_SIM", sim), ("GIC_NCPU", "2"), ("GIC_NIRQ", "64")) + extra)


def test_gic_block_matches_model(sim: str, work_dir: Path) -> None:
    events = int(os.environ.get("HYPSIM_GIC_EVENTS", DEFAULT_EVENTS[sim]))
    seed = os.environ.get("HYPSIM_GIC_SEED", "1")
    req = gic_run(sim, work_dir, seed, events, coverage_dir() / f"gic-{sim}.xml")
    figures = results.run_block(req, work_dir / "gic_result.json", "GIC", seed)
    print(f"GIC block on {sim}: {results.figures_line(figures)}")
    assert figures["events"] >= events, (
        f"expected at least {events} checked interrupt events on {sim}, saw {figures['events']}")

"""The MMU block (rtl/mmu) against the translation model, on both simulators:
random LPAE tables and access streams (tb/sequences/mmu_*.py) through the
pyuvm environment tb/envs/mmu. Every translation, fault syndrome, PAR and TLB
hit/miss must match the model.

HYPSIM_MMU_TRANSLATIONS (default 100,000 per simulator) scales the run,
HYPSIM_MMU_SEED picks the seed (default 1). Figures of each run land in
<work_dir>/mmu_stats.json and build/reports/mmu-<sim>.json; functional
coverage in build/coverage/mmu-<sim>.xml.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from hypsim.simulator import MMU_BLOCK, CocotbRun, SimulationFailed, failed_tests, run_cocotb

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = int(os.environ.get("HYPSIM_MMU_TRANSLATIONS", "100000"))
SEED = int(os.environ.get("HYPSIM_MMU_SEED", "1"))


def test_mmu_matches_translation_model(sim: str, work_dir: Path) -> None:
    stats_file = work_dir / "mmu_stats.json"
    try:
        xml = run_cocotb(CocotbRun(sim, MMU_BLOCK, "hypsim.envs.mmu.cocotb_mmu", work_dir,
                                   extra_env=(("HYPSIM_MMU_TRANSLATIONS", str(TRANSLATIONS)),
                                              ("HYPSIM_MMU_SEED", str(SEED)),
                                              ("HYPSIM_MMU_SIM", sim))))
    except SimulationFailed as exc:   # a failing cocotb test also ends the simulator with 1
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
        raise AssertionError(f"MMU block on {sim} (seed {SEED}): expected 0 mismatches, saw "
                             f"{stats.get('mismatches', '?')}:\n" + "\n".join(stats.get("messages", []))
                             + f"\n{exc}") from None
    assert stats_file.exists(), f"{sim}: no statistics written; see {work_dir / 'sim.log'}"
    stats = json.loads(stats_file.read_text())
    reports = REPO / "build" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    shutil.copy(stats_file, reports / f"mmu-{sim}.json")
    assert not failed_tests(xml), (
        f"{sim} seed {SEED}: the MMU test failed; see {work_dir / 'sim.log'}\n"
        + "\n".join(stats.get("messages", [])))
    assert stats["mismatches"] == 0, (
        f"{sim} seed {SEED}: expected 0 mismatches, saw {stats['mismatches']}:\n"
        + "\n".join(stats["messages"]))
    assert stats["stale_model_entries"] == 0
    assert stats["translations"] >= TRANSLATIONS, (
        f"{sim}: expected at least {TRANSLATIONS} checked translations, saw {stats['translations']}")
    print(f"{sim}: {stats['translations']} translations ({stats['translations_per_s']}/s), "
          f"{stats['walks']} walks ({stats['walks_per_s']}/s), {stats['wall_s']} s, coverage "
          f"{stats['coverage_bins_hit']}/{stats['coverage_bins']}")

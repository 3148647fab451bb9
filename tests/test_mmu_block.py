"""The MMU block (rtl/mmu) against the translation model, on both simulators:
random LPAE tables and access streams (tb/sequences/mmu_*.py) through the
pyuvm environment tb/envs/mmu. Every translation, fault syndrome, PAR and TLB
hit/miss must match the model.

HYPSIM_MMU_TRANSLATIONS scales the run (default 100,000 per simulator; 30,000 on Icarus
in `make test`, where Icarus gets the short runs),
HYPSIM_MMU_SEED picks the seed (default 1). The result file of each run
(tb/envs/results.py) lands in <work_dir>/mmu_stats.json and build/reports/mmu-<sim>.json;
functional coverage in build/coverage/mmu-<sim>.xml.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypsim.envs import results
from hypsim.simulator import MMU_BLOCK, CocotbRun

REPO = Path(__file__).resolve().parent.parent
LONG = bool(os.environ.get("HYPSIM_ALL_GUESTS"))     # make sim
DEFAULT_TRANSLATIONS = {"icarus": 100_000 if LONG else 30_000, "verilator": 100_000}
SEED = int(os.environ.get("HYPSIM_MMU_SEED", "1"))


def mmu_run(sim: str, work_dir: Path, seed: int, translations: int,
            extra: tuple[tuple[str, str], ...] = ()) -> CocotbRun:
    """The MMU block env on ``sim``; its result file is work_dir/mmu_stats.json."""
    return CocotbRun(sim, MMU_BLOCK, "hypsim.envs.mmu.cocotb_mmu", work_dir,
                     extra_env=(("HYPSIM_MMU_TRANSLATIONS", str(translations)), ("HYPSIM_MMU_SEED", str(seed)),
                                ("HYPSIM_MMU_SIM", sim),
                                ("HYPSIM_MMU_RESULT", str(work_dir / "mmu_stats.json"))) + extra)


def test_mmu_matches_translation_model(sim: str, work_dir: Path) -> None:
    translations = int(os.environ.get("HYPSIM_MMU_TRANSLATIONS", DEFAULT_TRANSLATIONS[sim]))
    stats_file = work_dir / "mmu_stats.json"
    stats = results.run_block(mmu_run(sim, work_dir, SEED, translations), stats_file, "MMU", SEED)
    reports = REPO / "build" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    shutil.copy(stats_file, reports / f"mmu-{sim}.json")
    assert stats["stale_model_entries"] == 0, "\n".join(stats["stale_messages"])
    assert stats["translations"] >= translations, (
        f"{sim}: expected at least {translations} checked translations, saw {stats['translations']}")
    print(f"{sim}: {stats['translations']} translations ({stats['translations_per_s']}/s), "
          f"{stats['walks']} walks ({stats['walks_per_s']}/s), {stats['wall_s']} s, coverage "
          f"{stats['coverage_bins_hit']}/{stats['coverage_bins']}")

"""A block env that sees a wrong answer fails, and its failure message names the
mismatch, expected against seen (tb/envs/results.py). Each env runs briefly on
Verilator with one model answer corrupted on purpose (HYPSIM_CORRUPT_MODEL=N:
the Nth compared answer has bit 0 flipped before the comparison): the run must
fail with exactly that one mismatch, and the message must carry both values.
Coverage goes to the test's own folder, not build/coverage."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from hypsim.envs import results
from hypsim.simulator import CocotbRun
from test_gic_block import gic_run
from test_mmu_block import mmu_run
from test_timer_block import timer_run

CORRUPT = "7"   # the 7th compared answer


def _gic(wd: Path, cov: Path, extra: tuple[tuple[str, str], ...]) -> CocotbRun:
    return gic_run("verilator", wd, "1", 300, cov / "gic.xml", extra)


def _mmu(wd: Path, cov: Path, extra: tuple[tuple[str, str], ...]) -> CocotbRun:
    return mmu_run("verilator", wd, 1, 300, extra)


def _timer(wd: Path, cov: Path, extra: tuple[tuple[str, str], ...]) -> CocotbRun:
    return timer_run("verilator", wd, "1", 300, cov / "timer.xml", extra, testcase="TimerRandomTest")


# block -> (run, result file, what the corrupted comparison is called in the message)
ENVS: dict[str, tuple[Callable[..., CocotbRun], str, str]] = {
    "GIC": (_gic, "gic_result.json", "read after"),
    "MMU": (_mmu, "mmu_stats.json", "regs vmid="),
    "timer": (_timer, "timer_result.json", "rdata_o"),
}


@pytest.mark.parametrize("block", sorted(ENVS))
def test_corrupted_model_answer_is_named(block: str, tmp_path: Path) -> None:
    run, result_name, what = ENVS[block]
    cov = tmp_path / "cov"
    extra = ((results.CORRUPT_ENV, CORRUPT), ("HYPSIM_COVERAGE_DIR", str(cov)))
    with pytest.raises(AssertionError) as info:
        results.run_block(run(tmp_path, cov, extra), tmp_path / result_name, block, 1)
    msg = str(info.value)
    print(msg)
    assert msg.startswith(f"{block} block on verilator (seed 1): expected 0 mismatches, saw 1 in "), msg
    assert what in msg, msg
    m = re.search(r"expected (\S+?),? seen (\S+)", msg.split("\n", 1)[1])
    assert m and m.group(1) != m.group(2), f"no 'expected X, seen Y' with X != Y in:\n{msg}"
    first = results.read(tmp_path / result_name)["first_mismatches"]
    assert len(first) == 1 and first[0]["expected"] != first[0]["seen"], first


def test_clean_run_has_no_mismatch(tmp_path: Path) -> None:
    """The same short run without the corruption passes (so the failure above is the corruption's)."""
    cov = tmp_path / "cov"
    res = results.run_block(_timer(tmp_path, cov, (("HYPSIM_COVERAGE_DIR", str(cov)),)),
                            tmp_path / "timer_result.json", "timer", 1)
    assert res["mismatches"] == 0 and res["checks"] > 300 and res["first_mismatches"] == []

"""A stand-in random test for tests/test_regress.py (`python -m hypsim.regress --tests
selftest`): cheap, seeded by HYPSIM_SEED, on the simulators of HYPSIM_SIMS (the `sim`
fixture) without simulating anything, writing a cocotb-coverage database where the
block envs write theirs (hypsim.simulator.coverage_dir()). It fails on purpose, with a
message naming the seed, for the seeds in $HYPSIM_SELFTEST_FAIL, and dies without
writing its JUnit report for those in $HYPSIM_SELFTEST_CRASH (comma-separated).
Not collected by `make test` (no test_ prefix)."""
from __future__ import annotations

import os

from cocotb_coverage.coverage import CoverPoint, coverage_db

from hypsim.simulator import coverage_dir


def _seeds(var: str) -> set[int]:
    return {int(s) for s in os.environ.get(var, "").split(",") if s.strip()}


@CoverPoint("top.selftest.seed_mod4", xf=lambda seed: seed % 4, bins=[0, 1, 2, 3])
def _sample(seed: int) -> None:
    """One coverage bin per seed residue: the merge of seeds 1-4 hits all four."""


def test_selftest(sim: str) -> None:
    seed = int(os.environ["HYPSIM_SEED"])
    _sample(seed)
    out = coverage_dir() / f"selftest-{sim}.xml"
    out.parent.mkdir(parents=True, exist_ok=True)
    coverage_db.export_to_xml(filename=str(out))
    if seed in _seeds("HYPSIM_SELFTEST_CRASH"):
        os._exit(3)                 # no JUnit report, exit status 3
    assert seed not in _seeds("HYPSIM_SELFTEST_FAIL"), f"selftest seed {seed} on {sim}: the deliberate failure"

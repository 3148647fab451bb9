"""Shared fixtures: the firmware build and the simulator selection."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _firmware_elfs() -> list[Path]:
    if shutil.which("arm-none-eabi-gcc") is None:
        return []
    subprocess.run(["make", "-s", "-C", str(REPO / "firmware"), "all"], check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(REPO / "firmware"), "list"],
                         check=True, capture_output=True, text=True).stdout
    return [Path(line) for line in out.split() if line.startswith("/") and line.endswith(".elf")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "firmware_elf" in metafunc.fixturenames:
        # the -O0 builds of the C programs run the same source as their -O2 builds in 2-4x the
        # instructions: on Icarus (~30x slower) they are `make sim` runs
        params = [pytest.param(p, id=f"{p.parent.name}/{p.stem}",
                               marks=[pytest.mark.icarus_in_make_sim] if p.stem.endswith("-O0") else [])
                  for p in _firmware_elfs()]
        metafunc.parametrize("firmware_elf", params)
    if "sim" in metafunc.fixturenames:
        sims = os.environ.get("HYPSIM_SIMS", "icarus,verilator").split(",")
        metafunc.parametrize("sim", sims)


# `make test` must stay within ~20 minutes on 2 cores: the Icarus runs of a few long RTL tests
# (Icarus is ~30x slower) run only under `make sim` (HYPSIM_ALL_GUESTS=1); their Verilator
# runs stay in `make test`.
LONG = bool(os.environ.get("HYPSIM_ALL_GUESTS"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "icarus_in_make_sim: the Icarus run is a `make sim` run (HYPSIM_ALL_GUESTS=1)")
    config.addinivalue_line("markers", "make_sim_only: the whole test is a `make sim` run (HYPSIM_ALL_GUESTS=1)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if not LONG and item.get_closest_marker("make_sim_only") is not None:
        pytest.skip("a long RTL run: in `make sim` (HYPSIM_ALL_GUESTS=1), not `make test`")
    if LONG or item.get_closest_marker("icarus_in_make_sim") is None:
        return
    params = getattr(getattr(item, "callspec", None), "params", {})
    sim = params.get("sim", params.get("rtl_sim", "icarus"))
    if sim == "icarus":
        pytest.skip("Icarus run of a long test: in `make sim` (HYPSIM_ALL_GUESTS=1), not `make test`")


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    return tmp_path

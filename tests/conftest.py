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
        elfs = _firmware_elfs()
        metafunc.parametrize("firmware_elf", elfs, ids=[f"{p.parent.name}/{p.stem}" for p in elfs])
    if "sim" in metafunc.fixturenames:
        sims = os.environ.get("HYPSIM_SIMS", "icarus,verilator").split(",")
        metafunc.parametrize("sim", sims)


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    return tmp_path

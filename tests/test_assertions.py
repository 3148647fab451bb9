"""RTL assertions: the invariants the module headers state (mmu: the translation
registers hold still while a walk is busy, the walk state is a defined one;
arm_core: a bus request is held unchanged until its ack) are immediate assertions
with $fatal, which Icarus checks always and Verilator in every hypsim build
(--assert). Shown firing on a deliberately broken input on both simulators:
tests/data/mmu_assert_tb.sv writes TTBR0 in the middle of a walk."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim.simulator import MMU_BLOCK, SOC, REPO, _assertion, _build_args, verilator_env

TB = REPO / "tests/data/mmu_assert_tb.sv"
MMU_SOURCES = [REPO / "rtl/mmu/mmu.sv", REPO / "rtl/mmu/mmu_tlb.sv"]
FIRED = "changed while a walk was busy"


def _build(sim: str, out: Path) -> list[str]:
    """The testbench's executable as a command line."""
    if sim == "icarus":
        if shutil.which("iverilog") is None:
            pytest.skip("iverilog not installed (make setup)")
        subprocess.run(["iverilog", "-g2012", "-o", str(out / "tb.vvp"), *map(str, MMU_SOURCES), str(TB)],
                       check=True, capture_output=True)
        return ["vvp", "-n", str(out / "tb.vvp")]
    res = subprocess.run(["verilator", "--binary", "--assert", "--timing", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                          "-j", "2", "--Mdir", str(out / "obj"), "--top-module", "mmu_assert_tb", "-o", "tb",
                          *map(str, MMU_SOURCES), str(TB)],
                         env=verilator_env(), capture_output=True, text=True, check=False)
    assert res.returncode == 0, f"verilator --binary failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
    return [str(out / "obj" / "tb")]


def test_mmu_assertion_stops_a_register_write_during_a_walk(sim: str, tmp_path: Path) -> None:
    cmd = _build(sim, tmp_path)
    ok = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "walk done" in ok.stdout and FIRED not in ok.stdout + ok.stderr, (
        f"{sim}: the legal walk should complete with no assertion: exit {ok.returncode}\n{ok.stdout}{ok.stderr}")
    broken = subprocess.run([*cmd, "+break"], capture_output=True, text=True, check=False)
    out = broken.stdout + broken.stderr
    assert broken.returncode != 0 and FIRED in out and "walk done" not in out, (
        f"{sim}: expected mmu's assertion to stop the run when TTBR0 changes mid-walk; "
        f"exit {broken.returncode}\n{out}")
    log = tmp_path / "sim.log"
    log.write_text(out)
    assert FIRED in _assertion(log) and "mmu.sv:" in _assertion(log)


def test_every_verilator_build_checks_assertions() -> None:
    for design in (SOC, MMU_BLOCK):
        assert "--assert" in _build_args("verilator", design), design.name


def test_assertion_messages_are_found_in_both_simulators_logs(tmp_path: Path) -> None:
    log = tmp_path / "sim.log"
    log.write_text("x\n[55000] %Fatal: mmu.sv:484: Assertion failed in tb.u_mmu: mmu: boom (state 3)\n"
                   "%Error: mmu.sv:484: Verilog $stop\n")
    assert _assertion(log) == ": RTL assertion at mmu.sv:484: mmu: boom (state 3)"
    log.write_text("FATAL: /r/rtl/core/arm_core.sv:1623: arm_core: a bus request was withdrawn\n")
    assert _assertion(log) == ": RTL assertion at /r/rtl/core/arm_core.sv:1623: arm_core: a bus request was withdrawn"
    log.write_text("an ordinary failure\n")
    assert _assertion(log) == ""

"""The free-running SoC build (tb_top TRACE=0: no retire tracer elaborated, no
checker after the run; `hypsim run --no-trace`, `make bench`): it runs the same
design, so the same cycles, retired instructions and console as the traced
build, and QEMU's console.

make test runs a short program on Icarus (its free-running build takes
seconds); HYPSIM_FREE_RUNNING=1 (`make sim`) adds the bench workload on
Verilator, whose extra build takes about a minute.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hypsim import simulator
from hypsim.qemu import run_qemu
from hypsim.run import RunOptions, run_elf

REPO = Path(__file__).resolve().parent.parent
SHORT = REPO / "firmware/build/isa/branch.elf"
WORKLOAD = REPO / "firmware/build/bench/workload.elf"


def _free_and_traced(elf: Path, sim: str, work: Path) -> None:
    q = run_qemu(elf, work / "qemu")
    free = run_elf(elf, RunOptions(sim=sim, trace=False, work_dir=work / "free"))
    traced = run_elf(elf, RunOptions(sim=sim, work_dir=work / "traced"))
    assert free.exit_code == 0 and traced.exit_code == 0, (free.message, traced.message)
    assert free.console == q.uart + q.semihost_out == traced.console
    assert (free.outcome.cycles, free.outcome.retired) == (traced.outcome.cycles, traced.outcome.retired)
    assert free.outcome.retired > 0
    # nothing traced, nothing scored: the build has no tracer
    assert not free.outcome.trace.exists() and free.hyp is None and traced.hyp is not None
    assert simulator.build_dir(sim, False, simulator.SOC_FREE) != simulator.build_dir(sim, False)


def test_free_running_icarus_matches_the_traced_run(tmp_path: Path) -> None:
    _free_and_traced(SHORT, "icarus", tmp_path)


@pytest.mark.skipif(os.environ.get("HYPSIM_FREE_RUNNING") != "1",
                    reason="the free-running Verilator build: HYPSIM_FREE_RUNNING=1 (make sim)")
def test_free_running_verilator_runs_the_bench_workload(tmp_path: Path) -> None:
    if not WORKLOAD.exists():
        pytest.skip("make -C firmware bench")
    _free_and_traced(WORKLOAD, "verilator", tmp_path)


def test_no_trace_refuses_what_needs_the_trace(tmp_path: Path) -> None:
    from hypsim.errors import HypsimError
    with pytest.raises(HypsimError, match="--no-trace .* --compare-qemu"):
        run_elf(SHORT, RunOptions(sim="icarus", trace=False, compare_qemu=True, work_dir=tmp_path))
    with pytest.raises(HypsimError, match="--no-trace .* --trace"):
        run_elf(SHORT, RunOptions(sim="icarus", trace=False, trace_out=tmp_path / "t.txt", work_dir=tmp_path))


def test_no_trace_max_cycles_stop_says_so(tmp_path: Path) -> None:
    """A stop that would print the last instructions from the trace still reports itself."""
    import subprocess
    src = tmp_path / "spin.S"
    src.write_text(".arm\n.global _start\n_start:\n  b _start\n")
    elf = tmp_path / "spin.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", "-Ttext=0x40000000",
                    str(src), "-o", str(elf)], check=True)
    res = run_elf(elf, RunOptions(sim="icarus", trace=False, max_cycles=1000, work_dir=tmp_path / "w"))
    assert res.exit_code == 4 and res.message == "reached --max-cycles 1000 without exiting"

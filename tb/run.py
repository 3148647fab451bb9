"""One run of an ELF on the RTL SoC, optionally checked against QEMU.

This is what `hypsim run` and the tests call. Exit codes (also the CLI's):
0 the program stopped with ADP_Stopped_ApplicationExit, 1 any other stop,
2 bad input or a missing tool, 3 the RTL diverged from QEMU or from a
reference model (the Hyp-trap scoreboard), 4 --max-cycles was reached,
5 an exception loop: exceptions only, no instruction completing in between
(tb/exc_loop.py).
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from . import exc_loop, simulator
from .compare import CompareResult, compare_trace
from .disasm import disassemble
from .elf_image import load_elf
from .errors import HypsimError
from .hyp_scoreboard import HypScore, score_trace
from .vmid_scoreboard import VmidScore
from .world_switch_scoreboard import WorldSwitchScore
from .irq_scoreboard import IrqScore
from .models.arm_state import PHYS_NAMES
from .trace import ContextTxn, RetireTxn, TraceFormatError, last_events, read_trace

EXIT_OK, EXIT_STOPPED, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_MAX_CYCLES, EXIT_EXC_LOOP = 0, 1, 2, 3, 4, 5
DEFAULT_MAX_CYCLES = 20_000_000
RAM_BASE = 0x4000_0000
RAM_MIB = 16
MODE_HYP = 0x1A


@dataclass
class RunOptions:
    sim: str = "verilator"
    max_cycles: int = DEFAULT_MAX_CYCLES
    waves: bool = False
    trace_out: Path | None = None
    compare_qemu: bool = False
    work_dir: Path | None = None
    qemu_timeout_s: float = 300.0
    trace: bool = True           # False: the free-running build, no trace and no checker on it (--no-trace)
    progress: bool = False       # progress lines on stderr while it runs (tb/progress.py)
    smp: int = 1                 # cores (--smp N); N > 1: PSCI over SMC, one trace per core, QEMU -smp N


@dataclass
class RunResult:
    exit_code: int
    message: str
    console: bytes
    outcome: simulator.SimOutcome
    compare: CompareResult | None = None
    hyp: HypScore | None = None
    wall_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    vmid: VmidScore | None = None        # hypsim run-guest: the VMID scoreboard
    world: WorldSwitchScore | None = None  # hypsim run-guest: the world-switch scoreboard
    irq: IrqScore | None = None          # hypsim run-guest: the interrupt-injection scoreboard


class _Tail(threading.Thread):
    """Streams a growing file to a sink while the simulator writes it."""

    def __init__(self, path: Path, sink: Callable[[bytes], None]) -> None:
        super().__init__(daemon=True)
        self.path, self.sink = path, sink
        self.stop = threading.Event()
        self.pos = 0

    def _pump(self) -> None:
        if self.path.exists():
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
            if data:
                self.pos += len(data)
                self.sink(data)

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self._pump()
        self._pump()


def _stderr(data: bytes) -> None:
    """Progress lines: straight to fd 2 (`hypsim` points its fd 1 there too while it runs)."""
    os.write(2, data)


def write_disassembled_trace(trace: Path, out: Path) -> int:
    """`--trace FILE`: one line per retired instruction, capstone-disassembled."""
    n = 0
    with open(out, "w") as f:
        for t in read_trace(trace):
            if isinstance(t, ContextTxn):
                continue
            if isinstance(t, RetireTxn):
                n += 1
                wr = " ".join(f"{PHYS_NAMES[i]}={v:08x}" for i, v in t.writes)
                cond = "" if t.cond_pass else " (not executed)"
                f.write(f"{t.cycle:>10} {t.pc:08x}: {t.instr:08x}  {disassemble(t.instr, t.pc):<32}"
                        f" cpsr={t.cpsr:08x}{cond} {wr}\n")
            else:
                f.write(f"{t.cycle:>10} -------- exception {t.name}: vector {t.vector:08x}, "
                        f"return {t.ret:08x}, cpsr={t.cpsr:08x}\n")
    return n


def _last_pcs_report(trace: Path) -> str:
    lines = ["last retired instructions and exceptions (cycle, pc):"]
    for t in last_events(trace, 20):
        if isinstance(t, RetireTxn):
            lines.append(f"  {t.cycle:>10} {t.pc:08x}: {t.instr:08x}  {disassemble(t.instr, t.pc)}")
        else:
            lines.append(f"  {t.cycle:>10} -------- {t.name} exception -> vector {t.vector:08x}")
    return "\n".join(lines)


def last_pcs_by_mode(trace: Path, n: int = 10) -> str:
    """The last `n` instructions retired outside Hyp mode and the last `n` in Hyp
    mode, by the mode each ran in (a guest under a hypervisor: where the guest
    was, where the hypervisor was; the host's SVC code counts as outside)."""
    guest: deque[RetireTxn] = deque(maxlen=n)
    hyp: deque[RetireTxn] = deque(maxlen=n)
    mode = MODE_HYP                       # every firmware ELF starts in Hyp mode
    try:
        for t in read_trace(trace):       # the trace has the CPSR *after* each event
            if isinstance(t, ContextTxn):
                continue
            if isinstance(t, RetireTxn):
                (hyp if mode == MODE_HYP else guest).append(t)
            mode = t.cpsr & 0x1F
    except TraceFormatError:
        pass
    lines = []
    for title, txns in ((f"last {n} instructions retired outside Hyp mode (cycle, pc)", guest),
                        (f"last {n} instructions retired in Hyp mode (cycle, pc)", hyp)):
        lines.append(title + (":" if txns else ": none"))
        lines += [f"  {t.cycle:>10} {t.pc:08x}: {t.instr:08x}  {disassemble(t.instr, t.pc):<28} "
                  f"cpsr={t.cpsr:08x}" for t in txns]
    return "\n".join(lines)


@dataclass(frozen=True)
class SimJob:
    """What one RTL run (and its QEMU twin with --compare-qemu) executes.

    ``qemu_kernel`` is QEMU's -kernel, ``qemu_loaders`` extra ``(file, address)``
    raw blobs for QEMU's generic loader; ``vmm`` enables the doorbell and the
    VMM (simulator.SimRequest.vmm); ``last_pcs`` writes the "where was it"
    report of a stopped or hung run from the trace.
    """
    entry: int
    image_hex: Path
    work: Path
    qemu_kernel: Path
    qemu_loaders: tuple[tuple[Path, int], ...] = ()
    vmm: dict | None = None
    last_pcs: Callable[[Path], str] = _last_pcs_report
    symbols: Mapping[str, int] | None = None    # the ELF's, to name code in a stop message


def run_elf(elf: Path, opts: RunOptions, console_sink: Callable[[bytes], None] | None = None) -> RunResult:
    """Run `elf` on the RTL (and QEMU with compare_qemu). Raises HypsimError on bad input."""
    t0 = time.monotonic()
    image = load_elf(elf, RAM_BASE, RAM_MIB << 20)
    check_run_options(opts)
    notes: list[str] = []
    work = opts.work_dir or Path(tempfile.mkdtemp(prefix="hypsim-"))
    work.mkdir(parents=True, exist_ok=True)
    hexfile = image.write_readmemh(work / "ram.hex")
    return run_job(SimJob(image.entry, hexfile, work, elf, symbols=image.symbols), opts, console_sink, notes,
                   t0=t0)


def check_run_options(opts: RunOptions) -> None:
    """The checks every run makes before it writes anything: simulator, QEMU, --max-cycles."""
    simulator.check_simulator(opts.sim)
    if opts.compare_qemu:
        from .qemu import find_qemu
        find_qemu()
    if opts.max_cycles <= 0:
        raise HypsimError("--max-cycles must be a positive number of cycles")
    if not opts.trace and (opts.compare_qemu or opts.trace_out):
        needs = "--compare-qemu" if opts.compare_qemu else "--trace"
        raise HypsimError(f"--no-trace runs without the retire trace, which {needs} needs: drop one of them")
    if not 1 <= opts.smp <= 8:
        raise HypsimError(f"--smp {opts.smp}: the SoC has 1 to 8 cores")


def run_job(job: SimJob, opts: RunOptions, console_sink: Callable[[bytes], None] | None = None,
            notes: list[str] | None = None, host_sink: Callable[[bytes], None] | None = None,
            t0: float | None = None) -> RunResult:
    """Simulate `job`, classify the stop, score every Hyp trap, and compare with QEMU
    if asked: the one path `hypsim run` and `hypsim run-guest` share.

    `console_sink` gets console.bin as it grows (the program's console; a guest's
    in a VMM run), `host_sink` host-console.bin (the SoC's own UART and
    semihosting output in a VMM run).
    """
    t0 = time.monotonic() if t0 is None else t0
    notes = [] if notes is None else notes
    # Against QEMU the core leaves out the traps QEMU 7.2 does not take (tb/models/hsr.py)
    req = simulator.SimRequest(opts.sim, job.entry, job.image_hex, job.work / opts.sim, opts.max_cycles,
                               opts.waves, qemu_compat=opts.compare_qemu, vmm=job.vmm, trace=opts.trace,
                               progress=opts.progress, smp=opts.smp)
    tails = [_Tail(req.work_dir / name, sink) for name, sink in
             (("console.bin", console_sink), ("host-console.bin", host_sink),
              ("progress.txt", _stderr if opts.progress else None)) if sink is not None]
    for tail in tails:
        tail.start()
    try:
        out = simulator.run(req)
    finally:
        for tail in tails:
            tail.stop.set()
            tail.join()
    if opts.trace_out:
        n = write_disassembled_trace(out.trace, opts.trace_out)
        notes.append(f"trace: {n} instructions written to {opts.trace_out}")
    if out.waves:
        notes.append(f"waves: {out.waves}")

    def where() -> str:
        """Where the run was, from the trace (a --no-trace run has none)."""
        return "\n" + job.last_pcs(out.trace) if out.trace.exists() else ""

    if out.stop == "exit":
        code = EXIT_OK if out.exit_status == 0 else EXIT_STOPPED
        msg = f"program exited with status {out.exit_status} after {out.cycles} cycles, {out.retired} instructions"
    elif out.stop == "vmm":
        code = EXIT_OK if out.exit_status == 0 else EXIT_STOPPED
        msg = f"{out.message} after {out.cycles} cycles, {out.retired} instructions"
        if code != EXIT_OK:
            msg = f"stopped by the VMM: {msg}" + where()
    elif out.stop == "max-cycles":
        code = EXIT_MAX_CYCLES
        msg = f"reached --max-cycles {opts.max_cycles} without exiting" + where()
    elif out.stop == "x-on-bus":
        code = EXIT_STOPPED
        msg = "an X reached the SoC bus (see the HYPSIM-ERROR line in the simulator log)" + where()
    elif out.stop == "exception-loop" and out.exc_loop:
        code = EXIT_EXC_LOOP
        msg = exc_loop.describe(out.exc_loop, out.cycles, job.symbols) + where()
    elif out.stop == "unsupported":
        code = EXIT_STOPPED
        msg = f"stopped: {out.message}" + where()
    else:
        code = EXIT_STOPPED
        msg = f"simulation stopped ({out.stop}): {out.message}"
    if out.vmm_exits:
        notes.append("VMM exits served: " + ", ".join(f"{k} {v}" for k, v in sorted(out.vmm_exits.items())))
    if out.vmm_pages:
        shown = sorted(out.vmm_pages.items(), key=lambda kv: int(kv[0]))[:4]
        notes.append("guest pages at power-off: " + ", ".join(f"vm {vm} {m} mapped, {d} dirty" for vm, (m, d) in shown)
                     + (" ..." if len(out.vmm_pages) > len(shown) else ""))
    result = RunResult(code, msg, out.console, out, None, None, 0.0, notes)

    for core in reversed(range(opts.smp)):     # core 0's score is result.hyp
        trace = simulator.core_trace_path(out.trace, core)
        if trace.exists():
            _score_hyp(trace, result, qemu_compat=opts.compare_qemu, entry=job.entry if core == 0 else 0)
    if opts.compare_qemu and opts.smp > 1:
        _compare_console_with_qemu(job, out, result, opts)
    elif opts.compare_qemu:
        _compare_with_qemu(job, out, result, opts)
    result.wall_s = time.monotonic() - t0
    return result


def _score_hyp(trace: Path, result: RunResult, qemu_compat: bool, entry: int = 0) -> None:
    """Every trap to Hyp mode against the HSR model (exit 3 on a mismatch)."""
    score = score_trace(trace, qemu_compat, entry)
    result.hyp = score
    if score.checked or score.hyp_mode or score.interrupts or not score.ok:
        result.notes.append(score.summary())
    if not score.ok and result.exit_code in (EXIT_OK, EXIT_STOPPED):
        result.exit_code = EXIT_DIVERGED
        result.message = "the RTL disagrees with the HSR model:\n  " + "\n  ".join(score.mismatches)


def _compare_with_qemu(job: SimJob, out: simulator.SimOutcome, result: RunResult, opts: RunOptions) -> None:
    from .qemu import run_qemu
    complete = out.stop == "exit"
    q = run_qemu(job.qemu_kernel, job.work / "qemu", ram_size_mib=RAM_MIB, max_insns=out.retired + 16,
                 timeout_s=opts.qemu_timeout_s, loaders=job.qemu_loaders)
    cmp = compare_trace(out.trace, q.states, rtl_complete=complete, entry=job.entry)
    result.compare = cmp
    if not cmp.ok:
        assert cmp.divergence is not None
        result.exit_code = EXIT_DIVERGED
        result.message = cmp.divergence.report()
        return
    if complete:
        rtl_uart = (out.trace.parent / "console.uart").read_bytes()
        rtl_semi = (out.trace.parent / "console.semihost").read_bytes()
        if rtl_uart != q.uart or rtl_semi != q.semihost_out:
            result.exit_code = EXIT_DIVERGED
            result.message = (f"UART/semihosting transcript differs from QEMU's:\n"
                              f"  RTL  uart={rtl_uart!r} semihost={rtl_semi!r}\n"
                              f"  QEMU uart={q.uart!r} semihost={q.semihost_out!r}")
            return
        if result.exit_code == EXIT_OK and q.exit_code != 0:
            result.exit_code = EXIT_DIVERGED
            result.message = f"QEMU exited with {q.exit_code} but the RTL with 0"
            return
    result.notes.append(f"compare-qemu: {cmp.compared} instructions match QEMU (PC, R0-R15, CPSR)"
                        + ("" if complete else " up to where the RTL run stopped"))


def _compare_console_with_qemu(job: SimJob, out: simulator.SimOutcome, result: RunResult, opts: RunOptions) -> None:
    """--smp N: the UART and semihosting transcripts and the exit status against QEMU
    -smp N (no lockstep: the cores' retire streams cannot be aligned with QEMU's
    interleaving of them; the programs print what does not depend on it)."""
    from .qemu import run_qemu_smp
    q = run_qemu_smp(job.qemu_kernel, job.work / "qemu", opts.smp, ram_size_mib=RAM_MIB,
                     timeout_s=opts.qemu_timeout_s, loaders=job.qemu_loaders)
    if out.stop != "exit":
        return
    rtl_uart = (out.trace.parent / "console.uart").read_bytes()
    rtl_semi = (out.trace.parent / "console.semihost").read_bytes()
    if rtl_uart != q.uart or rtl_semi != q.semihost_out:
        result.exit_code = EXIT_DIVERGED
        result.message = (f"UART/semihosting transcript differs from QEMU -smp {opts.smp}'s:\n"
                          f"  RTL  uart={rtl_uart!r} semihost={rtl_semi!r}\n"
                          f"  QEMU uart={q.uart!r} semihost={q.semihost_out!r}")
        return
    if q.timed_out or (q.exit_code == 0) != (result.exit_code == EXIT_OK):
        result.exit_code = EXIT_DIVERGED
        result.message = (f"QEMU -smp {opts.smp} " + ("timed out" if q.timed_out else f"exited with {q.exit_code}")
                          + f" but the RTL with {out.exit_status}")
        return
    result.notes.append(f"compare-qemu: console and exit status match QEMU -smp {opts.smp} "
                        f"({len(rtl_uart)} UART bytes; no lockstep across cores)")

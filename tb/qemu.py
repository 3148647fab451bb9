"""QEMU as the golden model: run a firmware ELF and parse its per-instruction trace.

Command line (QEMU 7.2; :func:`qemu_command` builds it)::

    qemu-system-arm -M virt,virtualization=on -cpu cortex-a15 -m 16M
        -nographic -monitor none -no-reboot
        -semihosting-config enable=on,target=native,chardev=hypsim_semihost
        -chardev file,id=hypsim_semihost,path=<work>/semihost.out
        -serial file:<work>/uart.out
        -singlestep -d exec,cpu,nochain -D /dev/fd/<N>
        -kernel <elf>
        [-device loader,file=<blob>,addr=<pa>,force-raw=on ...]

The loader devices place raw blobs in RAM before the ELF starts (``hypsim
run-guest``: the guest image, its DTB and the boot-info block, at the PAs of
firmware/include/vmm_abi.h); ``force-raw=on`` keeps QEMU from parsing a blob
that happens to be an ELF or a uImage.

``-singlestep`` makes every translation block one instruction (QEMU >= 8.1
spells it ``-accel tcg,one-insn-per-tb=on``; :func:`qemu_command` picks by
version), ``nochain`` makes QEMU go through the main loop, and so log, for
every block it runs, and ``-d exec,cpu`` prints a ``Trace`` line followed by the
CPU state *before* the block runs.  The log goes to a pipe (``/dev/fd/N``) that
this module parses while QEMU runs, so a long trace never lands on disk or in
memory as text (``keep_log=True`` also copies it to ``<work>/qemu-trace.log``).

Trace format (one record per executed instruction)::

    Trace 0: 0x7ffa6c000240 [00000400/40000004/00000060/ff000201] <symbol>
    R00=00000000 R01=00000000 R02=00000000 R03=00000001
    R04=00000000 R05=00000000 R06=00000000 R07=00000000
    R08=00000000 R09=00000000 R10=00000000 R11=00000000
    R12=00000000 R13=00000000 R14=00000000 R15=40000004
    PSR=400001da -Z-- A hyp32

The bracket is ``[cs_base/pc/tb_flags/cflags]`` (newer QEMU prints the pc with
16 digits; the parser accepts any width).  R15 is the address of the
instruction itself (not +8).  A record is also written when QEMU *enters* a
block and then leaves it before running it because an exit was requested
(a timer firing, an interrupt being raised, icount expiring); QEMU then logs::

    Stopped execution of TB chain before 0x7fe0ac002200 [40000060]

and runs the same instruction again later with a new record.  With
``-icount``, an instruction that touches a device is first run in a block not
allowed to do I/O; QEMU abandons it, logs::

    cpu_io_recompile: rewound execution of TB to 40000020

and runs it again (a second record).  The parser drops the record that either
line follows, so ``states`` holds exactly one state per executed instruction.

``PSR=`` is exactly the CPSR, ``cpsr_read()`` in QEMU: N Z C V Q (31-27),
IT[1:0] (26-25, always 0 in ARM state), J (24, 0), GE[3:0] (19-16), IT[7:2]
(15-10), E (9), A (8), I (7), F (6), T (5), M[4:0] -- checked with ``msr
APSR_nzcvqg`` (0xf80f01da), ``setend be`` (0x3da) and ``cpsie a`` (0x0da).
The letters after it repeat NZCV, ``A``/``T`` for the instruction set and the
mode name (``hyp32``, ``svc32``, ``usr32``, ...).

Facts found with QEMU 7.2 (``-M virt,virtualization=on -cpu cortex-a15``):

* No boot stub: for an ELF ``-kernel`` QEMU sets the PC to ``e_entry`` and
  the first record is the entry instruction.  (:func:`run_qemu` still drops
  any records before the first one at the entry, counted in
  ``QemuRun.skipped_boot``, so a raw-image boot stub would be skipped too.)
* Initial state: R0-R14 = 0, R15 = entry, CPSR = 0x400001da: Hyp mode (0x1a),
  A, I and F masked, ARM state, little-endian -- and the Z flag *set*, because
  QEMU keeps Z as "its ZF field is zero" and reset zeroes that field.  Architecturally the reset flags
  are UNKNOWN; compare NZCV only once the program has written them.
* Semihosting ``svc 0x123456`` is traced like any instruction; the next record
  is at the following instruction, still in Hyp mode (no exception is taken).
  SYS_WRITEC / SYS_WRITE0 leave R0 = 0xdeadbeef.  SYS_EXIT's last ``svc`` is
  the last record.  SYS_EXIT with R1 = ADP_Stopped_ApplicationExit (0x20026)
  ends QEMU with status 0, any other reason with status 1.
* Semihosting output goes to QEMU's *stderr* with plain ``-semihosting``
  (``-nographic`` does not route it to the serial console); with the
  ``chardev=`` form above it goes to its own file, so UART bytes
  (``uart.out``, written raw, no CR/LF translation) and semihosting bytes
  (``semihost.out``) are captured separately and stderr only has QEMU's
  messages.
* Instructions that take an exception (UDF, a faulting LDREX, SVC, HVC,
  ...) and conditional instructions that fail their condition each have their
  own record; an exception's next record is at the vector (HVBAR + offset) in
  the target mode.  An interrupt taken between instructions has no record of
  its own: the next record is at the vector.
* Thumb (T32) state, measured with tests/data/t32_hsr_probe.S: the record's
  pc and R15 are the instruction's own halfword-aligned address (bit 0 clear),
  so consecutive records step by 2 or 4; ``PSR=`` has T (bit 5) set, the
  letter ``T`` replaces ``A``, and IT[7:0] (bits 15:10, 26:25) is the ITSTATE
  the instruction executes with.  An IT instruction has its own record (with
  the ITSTATE before it, 0 outside a block); the parser needs nothing more:
  :attr:`CpuState.thumb` and :attr:`CpuState.itstate` read those bits.
* A guest running away (e.g. branching to unmapped memory) takes a prefetch
  abort and keeps running; QEMU does not stop, so :func:`run_qemu` relies on
  ``timeout_s`` / ``max_insns``.

Instruction cap: QEMU 7.2 has no instruction limit, so :func:`run_qemu` counts
records as it parses the pipe and kills QEMU once it has seen more than
``max_insns`` instructions; the pipe is small (1 MiB), so QEMU blocks and gets
at most that far ahead of the parser.  ``states`` then holds exactly
``max_insns`` states and ``insn_limit_hit`` is set.  A stopped QEMU (cap or
timeout) exits with status 0 after SIGTERM; look at the flags, not the status.

Timer interrupts follow the host clock unless ``icount_shift`` is given
(``-icount shift=N,sleep=off``), which makes runs repeatable instruction for
instruction.  Each state costs about 370 bytes of Python memory.
"""

from __future__ import annotations

import binascii
import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .elf_image import RAM_BASE, load_elf
from .models.arm_state import CPSR_T
from .models.t32 import cpsr_itstate
from .errors import EXIT_BAD_INPUT, EXIT_TOOL_FAILED, HypsimError

QEMU_BIN = "qemu-system-arm"
MODE_HYP = 0x1A
#: CPSR at the ELF entry: Z set (QEMU quirk), A I F masked, ARM, Hyp mode.
QEMU_INITIAL_CPSR = 0x400001DA
TRACE_FILE = "qemu-trace.log"
UART_FILE = "uart.out"
SEMIHOST_FILE = "semihost.out"

_CHUNK = 1 << 20
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux


@dataclass(frozen=True, slots=True)
class CpuState:
    """The CPU state QEMU printed before one instruction ran."""

    pc: int
    regs: tuple[int, ...]  # R0..R15 (R15 == pc)
    cpsr: int

    @property
    def mode(self) -> int:
        return self.cpsr & 0x1F

    @property
    def thumb(self) -> bool:
        """CPSR.T: the instruction at ``pc`` is T32 (2 or 4 bytes; see hypsim.models.t32)."""
        return bool(self.cpsr & CPSR_T)

    @property
    def itstate(self) -> int:
        """IT[7:0], the ITSTATE this instruction executes with (0: not in an IT block)."""
        return cpsr_itstate(self.cpsr)

    def __str__(self) -> str:
        regs = " ".join(f"r{i}={v:08x}" for i, v in enumerate(self.regs))
        return f"pc={self.pc:08x} cpsr={self.cpsr:08x} {regs}"


@dataclass
class QemuRun:
    states: list[CpuState]
    uart: bytes
    semihost_out: bytes
    exit_code: int  # QEMU's exit status (negative: killed by that signal)
    timed_out: bool
    insn_limit_hit: bool = False
    skipped_boot: int = 0  # records before the first one at the ELF entry
    stderr: str = ""
    command: list[str] = field(default_factory=list)
    unparsed_bytes: int = 0  # log text the parser did not recognise (0 unless QEMU was killed)


class QemuError(HypsimError):
    """QEMU itself failed; ``run`` holds whatever it traced before that."""

    def __init__(self, message: str, exit_code: int, run: QemuRun) -> None:
        super().__init__(message, exit_code)
        self.run = run


# --- trace parsing -------------------------------------------------------------------

_HEX = rb"([0-9a-f]{8})"
_RECORD = re.compile(
    rb"Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/[0-9a-f]+\][^\n]*\n"
    rb"R00=" + _HEX + rb" R01=" + _HEX + rb" R02=" + _HEX + rb" R03=" + _HEX + rb"\n"
    rb"R04=" + _HEX + rb" R05=" + _HEX + rb" R06=" + _HEX + rb" R07=" + _HEX + rb"\n"
    rb"R08=" + _HEX + rb" R09=" + _HEX + rb" R10=" + _HEX + rb" R11=" + _HEX + rb"\n"
    rb"R12=" + _HEX + rb" R13=" + _HEX + rb" R14=" + _HEX + rb" R15=" + _HEX + rb"\n"
    rb"PSR=" + _HEX + rb"[^\n]*\n"
    rb"|Stopped execution of TB chain before 0x[0-9a-f]+ \[([0-9a-f]+)\][^\n]*\n"
    rb"|cpu_io_recompile: rewound execution of TB to ([0-9a-f]+)[^\n]*\n"
)
_UNPACK17 = struct.Struct(">17I").unpack


class TraceParser:
    """Incremental parser of QEMU's ``-d exec,cpu`` log; see the module docstring.

    Feed it raw chunks with :meth:`feed` and call :meth:`finish` at the end;
    both return the states that became final.  A state is final once the next
    record arrives (a following ``Stopped execution`` line cancels it).
    """

    def __init__(self) -> None:
        self._carry = b""
        self._pending: CpuState | None = None
        self.count = 0  # final states returned so far
        self.cancelled = 0  # records dropped: "Stopped execution" / "rewound execution"
        self.unparsed = 0  # bytes of lines that are none of the above (should stay 0)

    def feed(self, chunk: bytes) -> list[CpuState]:
        buf = self._carry + chunk
        cut = buf.rfind(b"\nTrace ")
        if cut < 0:
            self._carry = buf
            return []
        self._carry = buf[cut + 1 :]
        return self._parse(buf[: cut + 1])

    def finish(self) -> list[CpuState]:
        out = self._parse(self._carry)
        self._carry = b""
        if self._pending is not None:
            out.append(self._pending)
            self._pending = None
            self.count += 1
        return out

    def _parse(self, text: bytes) -> list[CpuState]:
        out: list[CpuState] = []
        pending = self._pending
        prev_regs: tuple[int, ...] = pending.regs if pending is not None else ()
        pos = 0
        for m in _RECORD.finditer(text):
            if m.start() != pos:
                self.unparsed += m.start() - pos
            pos = m.end()
            groups = m.groups()
            stopped = groups[18] if groups[18] is not None else groups[19]
            if stopped is not None:
                if pending is not None and pending.pc == int(stopped, 16):
                    pending = None
                    self.cancelled += 1
                continue
            values = _UNPACK17(binascii.unhexlify(b"".join(groups[1:18])))
            regs = values[:16]
            if regs == prev_regs:  # share the tuple with the cancelled twin
                regs = prev_regs
            if pending is not None:
                out.append(pending)
            pending = CpuState(int(groups[0], 16), regs, values[16])
            prev_regs = regs
        self.unparsed += len(text) - pos
        self._pending = pending
        self.count += len(out)
        return out


def parse_trace(source: str | Path | BinaryIO) -> Iterator[CpuState]:
    """Stream the states of a saved trace log (a path or a binary file object)."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            yield from parse_trace(fh)
        return
    parser = TraceParser()
    while chunk := source.read(_CHUNK):
        yield from parser.feed(chunk)
    yield from parser.finish()


# --- running QEMU ---------------------------------------------------------------------


def find_qemu() -> str:
    """Path of qemu-system-arm, or a HypsimError saying how to install it."""
    path = shutil.which(QEMU_BIN)
    if path is None:
        raise HypsimError(f"{QEMU_BIN} not found on PATH: run `make setup` "
                          f"(or `apt-get install qemu-system-arm`)", EXIT_BAD_INPUT)
    return path


@lru_cache(maxsize=4)
def qemu_version(qemu: str) -> tuple[int, int]:
    """(major, minor) of ``qemu --version``; (0, 0) if it cannot be read."""
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return (0, 0)
    m = re.search(r"version (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


# The golden machine: QEMU's virt board with the Virtualization Extensions on a
# Cortex-A15, no network card (its option ROM is not installed by Debian's
# qemu-system-arm without recommends, and the programs have no use for it).
MACHINE_ARGS = ("-M", "virt,virtualization=on", "-cpu", "cortex-a15", "-nic", "none")


def one_insn_args(qemu: str) -> list[str]:
    """One instruction per translation block, so the exec/cpu log has every instruction."""
    return ["-accel", "tcg,one-insn-per-tb=on"] if qemu_version(qemu) >= (8, 1) else ["-singlestep"]


def loader_args(loaders: Iterable[tuple[Path, int]]) -> list[str]:
    """``-device loader,file=F,addr=A,force-raw=on`` for each ``(file, physical address)``."""
    out: list[str] = []
    for path, addr in loaders:
        name = str(Path(path).resolve())
        if "," in name:
            raise HypsimError(f"{name}: QEMU's -device option cannot take a file name with a comma")
        out += ["-device", f"loader,file={name},addr=0x{addr:08x},force-raw=on"]
    return out


def qemu_command(elf: Path, work_dir: Path, log: str, ram_size_mib: int = 16,
                 qemu: str | None = None, icount_shift: int | None = None,
                 loaders: Iterable[tuple[Path, int]] = ()) -> list[str]:
    """The command line of the golden-model run (see the module docstring).

    ``loaders``: raw ``(file, physical address)`` blobs for QEMU's generic loader.
    ``icount_shift`` adds ``-icount shift=N,sleep=off``: virtual time advances
    2**N ns per instruction, so timer interrupts land on the same instruction
    in every run (without it they follow the host clock).
    """
    qemu = qemu or find_qemu()
    icount = [] if icount_shift is None else ["-icount", f"shift={icount_shift},sleep=off"]
    return [
        qemu, *MACHINE_ARGS, "-m", f"{ram_size_mib}M", "-nographic", "-monitor", "none", "-no-reboot",
        "-semihosting-config", "enable=on,target=native,chardev=hypsim_semihost",
        "-chardev", f"file,id=hypsim_semihost,path={work_dir / SEMIHOST_FILE}",
        "-serial", f"file:{work_dir / UART_FILE}",
        *one_insn_args(qemu), *icount, "-d", "exec,cpu,nochain", "-D", log,
        "-kernel", str(elf), *loader_args(loaders),
    ]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate QEMU (SIGTERM, then SIGKILL after 5 s) and reap it."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_qemu(elf: Path, work_dir: Path, ram_size_mib: int = 16, max_insns: int | None = None,
             timeout_s: float = 120, keep_log: bool = False,
             icount_shift: int | None = None, loaders: Iterable[tuple[Path, int]] = ()) -> QemuRun:
    """Run ``elf`` on QEMU and return its per-instruction states and outputs.

    The states start at the ELF entry.  QEMU is killed after ``timeout_s``
    seconds (``timed_out``) or once it ran more than ``max_insns``
    instructions (``insn_limit_hit``).  ``loaders`` are raw ``(file, address)``
    blobs placed in RAM with ``-device loader`` (see :func:`qemu_command`).  A QEMU that fails (non-zero status with
    a message on stderr) raises :class:`QemuError`, a :class:`HypsimError`
    carrying that message (exit code 2 if nothing ran, else 1) and the run.
    """
    elf = Path(elf)
    work_dir = Path(work_dir)
    image = load_elf(elf, ram_base=RAM_BASE, ram_size=ram_size_mib << 20)
    qemu = find_qemu()
    loaders = tuple(loaders)
    loader_args(loaders)  # a bad file name fails here, before QEMU or a pipe exists
    work_dir.mkdir(parents=True, exist_ok=True)
    for name in (UART_FILE, SEMIHOST_FILE):
        (work_dir / name).unlink(missing_ok=True)

    rfd, wfd = os.pipe()
    try:
        fcntl.fcntl(wfd, _F_SETPIPE_SZ, _CHUNK)
    except OSError:
        pass  # keep the default 64 KiB pipe
    cmd = qemu_command(elf.resolve(), work_dir.resolve(), f"/dev/fd/{wfd}", ram_size_mib, qemu,
                       icount_shift, loaders)
    stderr_path = work_dir / "qemu.stderr"
    with open(stderr_path, "wb") as err_fh:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err_fh, stderr=err_fh,
                                    pass_fds=(wfd,), cwd=work_dir)
        except OSError as exc:
            os.close(rfd)
            os.close(wfd)
            raise HypsimError(f"cannot start {qemu}: {exc.strerror}") from None
        os.close(wfd)
        log_copy = open(work_dir / TRACE_FILE, "wb") if keep_log else None
        try:
            # a Thumb entry (bit 0 set) is traced at its halfword address
            states, skipped, timed_out, limit_hit, unparsed = _collect(proc, rfd, image.entry & ~1, max_insns,
                                                             time.monotonic() + timeout_s, log_copy)
        finally:
            os.close(rfd)
            if log_copy is not None:
                log_copy.close()
            _stop(proc)
    stderr = stderr_path.read_text(errors="replace").strip()
    run = QemuRun(
        states=states,
        uart=_read(work_dir / UART_FILE),
        semihost_out=_read(work_dir / SEMIHOST_FILE),
        exit_code=proc.returncode,
        timed_out=timed_out,
        insn_limit_hit=limit_hit,
        skipped_boot=skipped,
        stderr=stderr,
        command=cmd,
        unparsed_bytes=unparsed,
    )
    if proc.returncode != 0 and stderr and not (timed_out or limit_hit):
        msg = [ln for ln in stderr.splitlines() if ln.strip()][-1]
        code = EXIT_BAD_INPUT if not states else EXIT_TOOL_FAILED
        raise QemuError(f"QEMU failed (status {proc.returncode}): {msg}", code, run)
    return run


def _collect(proc: subprocess.Popen[bytes], rfd: int, entry: int, max_insns: int | None,
             deadline: float, log_copy: BinaryIO | None) -> tuple[list[CpuState], int, bool, bool, int]:
    """Read and parse the trace pipe until EOF, stopping QEMU at the deadline or the cap.

    After asking QEMU to stop, the pipe is drained until EOF: QEMU blocked on a
    full pipe could not shut down otherwise (and flushes its log on SIGTERM).
    """
    parser = TraceParser()
    states: list[CpuState] = []
    skipped = 0
    started = False
    timed_out = False
    limit = None if max_insns is None else max(0, max_insns)
    kill_at: float | None = None  # set once SIGTERM was sent

    def take(new: Iterable[CpuState]) -> None:
        nonlocal skipped, started
        for st in new:
            if not started:
                if st.pc != entry:
                    skipped += 1
                    continue
                started = True
            states.append(st)

    while True:
        now = time.monotonic()
        over = limit is not None and len(states) > limit
        if kill_at is None and (over or now >= deadline):
            timed_out = not over
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            kill_at = now + 5.0
        if kill_at is not None and now >= kill_at:
            if proc.poll() is None:
                proc.kill()
            elif now >= kill_at + 5.0:
                break  # dead for 5 s and still no EOF: something else holds the pipe
        wait = (deadline if kill_at is None else kill_at) - now
        ready, _, _ = select.select([rfd], [], [], min(max(wait, 0.05), 1.0))
        if not ready:
            continue
        chunk = os.read(rfd, _CHUNK)
        if not chunk:
            break
        if log_copy is not None:
            log_copy.write(chunk)
        if limit is None or len(states) <= limit:
            take(parser.feed(chunk))
    if limit is None or len(states) <= limit:
        take(parser.finish())
    limit_hit = limit is not None and len(states) > limit
    if limit_hit:
        del states[limit:]
    return states, skipped, timed_out, limit_hit, parser.unparsed


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def smp_command(elf: Path, work_dir: Path, smp: int, ram_size_mib: int = 16,
                qemu: str | None = None, loaders: Iterable[tuple[Path, int]] = ()) -> list[str]:
    """QEMU with ``-smp N`` and no instruction log: the golden run of a multi-core
    program (`hypsim run --smp N --compare-qemu`). Its console is the reference; per-core
    retire streams cannot be aligned with QEMU's interleaving of the cores, so there is
    no lockstep. QEMU starts core 0 at the ELF entry in Hyp mode, the others powered
    off until PSCI CPU_ON over SMC, which it answers itself (firmware/README.md, "Two cores")."""
    qemu = qemu or find_qemu()
    return [
        qemu, *MACHINE_ARGS, "-smp", str(smp), "-m", f"{ram_size_mib}M", "-nographic", "-monitor", "none",
        "-no-reboot",
        "-semihosting-config", "enable=on,target=native,chardev=hypsim_semihost",
        "-chardev", f"file,id=hypsim_semihost,path={work_dir / SEMIHOST_FILE}",
        "-serial", f"file:{work_dir / UART_FILE}",
        "-kernel", str(elf), *loader_args(loaders),
    ]


def run_qemu_smp(elf: Path, work_dir: Path, smp: int, ram_size_mib: int = 16,
                 timeout_s: float = 120, loaders: Iterable[tuple[Path, int]] = ()) -> QemuRun:
    """Run ``elf`` on QEMU ``-smp smp`` until it exits (semihosting SYS_EXIT, PSCI
    SYSTEM_OFF) or ``timeout_s``; the outputs and exit status, no instruction states."""
    elf = Path(elf)
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    for name in (UART_FILE, SEMIHOST_FILE):
        (work_dir / name).unlink(missing_ok=True)
    cmd = smp_command(elf.resolve(), work_dir.resolve(), smp, ram_size_mib, loaders=loaders)
    stderr_path = work_dir / "qemu.stderr"
    timed_out = False
    with open(stderr_path, "wb") as err_fh:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err_fh, stderr=err_fh, cwd=work_dir)
        except OSError as exc:
            raise HypsimError(f"cannot start {cmd[0]}: {exc.strerror}") from None
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            _stop(proc)
    return QemuRun(states=[], uart=_read(work_dir / UART_FILE), semihost_out=_read(work_dir / SEMIHOST_FILE),
                   exit_code=proc.returncode, timed_out=timed_out,
                   stderr=stderr_path.read_text(errors="replace").strip(), command=cmd)

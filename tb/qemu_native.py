"""Run a guest image natively on QEMU's virt machine (no virtualization).

This is the reference transcript for a hypsim guest (``ARCHITECTURE.md``,
"Guest contract"): QEMU loads the flat image at 0x4001_0000 and enters it the
Linux way (SVC mode, r0 = 0, r1 = ~0, r2 = DTB address) and answers PSCI
over HVC itself; the guest stops with PSCI SYSTEM_OFF, after which QEMU exits
with status 0.  Command line::

    qemu-system-arm -M virt -cpu cortex-a15 -m <mem> -nic none -nographic
        -monitor none -no-reboot -serial file:<work>/uart.out
        -dtb <dtb> -kernel <image>

``-nic none``: without it QEMU 7.2 on Debian stops with 'failed to find
romfile "efi-virtio.rom"' (the default virtio NIC's option ROM is not
installed without recommends).  QEMU rewrites the DTB it is given: /memory
gets the ``-m`` size and /psci is replaced by QEMU's own node.
:func:`run_virt` runs the hypervisor ELF with a guest the same way, untraced,
on ``-M virt,virtualization=on`` (the blobs placed with ``-device loader``):
the transcript of the hypervisor on QEMU, for tests that need no
per-instruction trace (hypsim.qemu.run_qemu traces every instruction).
Nothing here imports cocotb.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hypsim.errors import EXIT_BAD_INPUT, EXIT_TOOL_FAILED, HypsimError
from hypsim.qemu import MACHINE_ARGS, find_qemu, loader_args

#: how many of the last UART bytes a timeout error shows
TAIL_BYTES = 400


@dataclass
class NativeRun:
    """One native run: the UART transcript, QEMU's exit status and command."""

    uart: bytes
    exit_code: int
    command: list[str]
    stderr: str = field(default="", repr=False)


def native_command(qemu: str, image: Path, dtb: Path, uart_out: Path, mem_mib: int = 16,
                   smp: int = 1) -> list[str]:
    """The QEMU command line for one native guest run (``smp`` CPUs: ``-smp N`` when above 1)."""
    return [qemu, "-M", "virt", "-cpu", "cortex-a15", "-m", str(mem_mib), "-nic", "none",
            "-nographic", "-monitor", "none", "-no-reboot", "-serial", f"file:{uart_out}",
            *(["-smp", str(smp)] if smp > 1 else []),
            "-dtb", str(dtb), "-kernel", str(image)]


def _tail(data: bytes) -> str:
    text = data[-TAIL_BYTES:].decode("utf-8", errors="replace")
    return text if text else "(no UART output)"


def run_native(image: Path, dtb: Path, work_dir: Path, mem_mib: int = 16,
               timeout_s: float = 120, smp: int = 1) -> NativeRun:
    """Run ``image`` on ``qemu-system-arm -M virt`` with ``dtb``; the UART goes
    to ``work_dir/uart.out``.  Raises :class:`HypsimError` if an input is missing,
    QEMU is not installed, or the guest does not power off within ``timeout_s``
    (the message ends with the last UART bytes)."""
    image, dtb, work_dir = Path(image), Path(dtb), Path(work_dir)
    for what, path in (("guest image", image), ("device tree blob", dtb)):
        if not path.is_file():
            raise HypsimError(f"{what} {path} not found", EXIT_BAD_INPUT)
    if isinstance(mem_mib, bool) or not isinstance(mem_mib, int) or mem_mib < 1:
        raise HypsimError(f"guest memory size {mem_mib!r} MiB is not a positive integer", EXIT_BAD_INPUT)
    qemu = find_qemu()
    work_dir.mkdir(parents=True, exist_ok=True)
    uart_out = work_dir / "uart.out"
    uart_out.unlink(missing_ok=True)
    cmd = native_command(qemu, image, dtb, uart_out, mem_mib, smp)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise HypsimError(f"cannot start {qemu}: {exc}", EXIT_TOOL_FAILED) from exc
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        uart = uart_out.read_bytes() if uart_out.exists() else b""
        raise HypsimError(f"guest {image.name} did not power off (PSCI SYSTEM_OFF) within "
                          f"{timeout_s:g} s; last UART output:\n{_tail(uart)}",
                          EXIT_TOOL_FAILED) from None
    uart = uart_out.read_bytes() if uart_out.exists() else b""
    return NativeRun(uart=uart, exit_code=proc.returncode, command=cmd, stderr=(err or "") + (out or ""))


def run_virt(elf: Path, loaders: list[tuple[Path, int]], work_dir: Path, mem_mib: int = 16,
             icount_shift: int | None = 0, timeout_s: float = 120, smp: int = 1) -> NativeRun:
    """Run a bare-metal ELF entered in Hyp mode (the hypervisor) on ``-M virt,virtualization=on``
    with raw blobs placed by QEMU's generic loader, untraced; it ends with semihosting SYS_EXIT.
    ``icount_shift`` (default 0: 1 ns per instruction) makes QEMU's clock, and so the Hyp-timer
    time slices, follow instructions rather than the host machine's speed."""
    elf, work_dir = Path(elf), Path(work_dir)
    if not elf.is_file():
        raise HypsimError(f"ELF {elf} not found", EXIT_BAD_INPUT)
    qemu = find_qemu()
    work_dir.mkdir(parents=True, exist_ok=True)
    uart_out = work_dir / "uart.out"
    uart_out.unlink(missing_ok=True)
    icount = [] if icount_shift is None else ["-icount", f"shift={icount_shift},sleep=off"]
    cmd = [qemu, *MACHINE_ARGS, *(["-smp", str(smp)] if smp > 1 else []), "-m", str(mem_mib), "-nographic",
           "-monitor", "none", "-no-reboot",
           "-semihosting-config", "enable=on,target=native", "-serial", f"file:{uart_out}", *icount,
           "-kernel", str(elf), *loader_args(loaders)]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        uart = uart_out.read_bytes() if uart_out.exists() else b""
        raise HypsimError(f"{elf.name} on QEMU did not exit within {timeout_s:g} s; last UART output:\n"
                          f"{_tail(uart)}", EXIT_TOOL_FAILED) from None
    uart = uart_out.read_bytes() if uart_out.exists() else b""
    return NativeRun(uart=uart, exit_code=proc.returncode, command=cmd, stderr=proc.stderr + proc.stdout)

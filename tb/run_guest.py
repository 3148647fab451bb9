"""`hypsim run-guest IMAGE`: the hypervisor firmware running a guest on the RTL SoC.

The run executes firmware/build/hypervisor.elf (entered in Hyp mode like every
firmware ELF) with one RAM preload that also holds, at the physical addresses
of firmware/include/vmm_abi.h:

* the guest image at HYPSIM_IMAGE_PA: a flat binary (guest IPA 0x4001_0000,
  entered there) or an ELF (PT_LOAD segments flattened into one blob from the
  lowest p_paddr, zero-filled between them; entry e_entry);
* its device tree at HYPSIM_DTB_PA (hypsim.guest_dt.build_dtb: guest RAM,
  --vcpus CPUs, --cmdline as bootargs); the guest's r2 = RAM + min(mem / 2, 128 MiB),
  QEMU's own choice for a -kernel boot;
* the boot-info block at HYPSIM_BOOTINFO_PA (BI_*), with HYPSIM_BI_F_VMM: the
  host hands guest exits to the testbench's VMM (tb/vmm.py) through the
  doorbell, which the run enables.

With --compare-qemu both the RTL and QEMU (`-M virt,virtualization=on -m 16`,
the hypervisor as -kernel, the three blobs through `-device loader`) get the
boot-info block *without* the VMM flag, so the firmware uses its in-firmware
device models on both: the same program, checked instruction by instruction
and then by UART transcript (hypsim.run's lockstep path).

Exit codes as `hypsim run`: 0 every VM powered off (PSCI SYSTEM_OFF), 1 any
other stop, 2 bad input, 3 a divergence (QEMU or the Hyp-trap scoreboard),
4 --max-cycles (with the last instructions retired outside and inside Hyp mode),
5 an exception loop (tb/exc_loop.py; the same last instructions when traced).

From Python::

    from hypsim.run_guest import GuestOptions, run_guest
    res = run_guest(Path("guest.flat"), GuestOptions(sim="verilator", vms=2))
    res.exit_code, res.message, res.console      # hypsim.run.RunResult
"""
from __future__ import annotations

import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .elf_image import ELF_MAGIC, ElfImage, Segment, load_elf, read_input
from .errors import HypsimError
from .run import (EXIT_DIVERGED, EXIT_EXC_LOOP, EXIT_MAX_CYCLES, EXIT_OK, EXIT_STOPPED, RAM_BASE, RAM_MIB,
                  RunOptions, RunResult, SimJob,
                  check_run_options, last_pcs_by_mode, run_job)
from .vmid_scoreboard import score_vmids
from .world_switch_scoreboard import GuestRun, score_world_switch

from .irq_scoreboard import score_injections
from .simulator import REPO, core_trace_path
from .vmm_abi import ABI, A, bootinfo_bytes

DEFAULT_HYPERVISOR = REPO / "firmware/build/hypervisor.elf"
GUEST_MEM_MIN_MIB, GUEST_MEM_MAX_MIB = 4, 256
MAX_VMS = 4
#: vCPUs per VM: the host's KVM_MAX_VCPUS (firmware/include/vmm_abi.h)
MAX_VCPUS = A.KVM_MAX_VCPUS
#: physical cores the hypervisor can use: HYPSIM_HOST_MAX_CPUS (vmm_abi.h)
MAX_CPUS = A.HYPSIM_HOST_MAX_CPUS
#: a flat image sits 64 KiB into guest RAM (the guest contract), so it may be that much smaller
FLAT_OFFSET = A.HYPSIM_GUEST_ENTRY_IPA - A.HYPSIM_GUEST_RAM_IPA


@dataclass
class GuestOptions(RunOptions):
    """`hypsim run`'s options plus the guest machine and the VM arrangement."""
    cmdline: str = ""                 # the DT's /chosen bootargs
    guest_mem_mib: int = 16
    vms: int = 1                      # VMs running at once, each a copy of the image
    vcpus: int = 1                    # BI_NR_VCPUS: vCPUs per VM (the DT lists as many cpus)
    seq_runs: int = 0                 # BI_SEQ_RUNS: VM after VM this many times (0 = once)
    hypervisor: Path | None = None    # default firmware/build/hypervisor.elf
    vmid_bits: int = 0                # BI_VMID_BITS: a narrower VMID space (a test knob, 0 = 8)
    dirty_log: bool = False           # HYPSIM_BI_F_DIRTY_LOG: log dirty pages from the start
    system_env: dict | None = None    # the pyuvm system env serves the VMM instead (tb/envs/system/runner.py)


@dataclass(frozen=True)
class GuestImage:
    blob: bytes
    ipa: int        # guest IPA of blob[0]
    entry: int      # guest IPA of the first instruction
    kind: str       # "flat binary" or "ELF"


def _bad(path: Path, what: str) -> HypsimError:
    return HypsimError(f"{path}: {what}")


def _looks_like_text(data: bytes) -> bool:
    head = data[:256]
    return all(32 <= b < 127 or b in b"\t\n\r" for b in head)


def load_guest_image(path: Path, guest_mem: int) -> GuestImage:
    """Read and check a guest image (see the module docstring); HypsimError (exit 2) if unusable."""
    path = Path(path)
    raw = read_input(path, "a guest image", "build the guest first (make -C firmware)")
    if not raw:
        raise _bad(path, "is empty: not a guest image")
    ram = A.HYPSIM_GUEST_RAM_IPA
    if raw[:4] == ELF_MAGIC:
        elf = load_elf(path, ram, guest_mem)   # 32-bit LE ARM executable, segments in guest RAM, ARM entry
        lo = elf.segments[0].addr
        hi = max(s.end for s in elf.segments)
        blob = bytearray(hi - lo)
        for seg in elf.segments:
            blob[seg.addr - lo:seg.end - lo] = seg.data
        img = GuestImage(bytes(blob), lo, elf.entry, "ELF")
    else:
        if raw[:2] == b"#!":
            raise _bad(path, "starts with '#!': a script, not a guest image (pass a flat binary or an ELF)")
        if _looks_like_text(raw):
            raise _bad(path, "looks like text, not a guest image (pass a flat binary, e.g. objcopy -O binary, "
                             "or an ELF)")
        if len(raw) < 4:
            raise _bad(path, f"is {len(raw)} bytes: too short for a flat ARM binary (and not an ELF)")
        # objcopy -O binary does not pad: a flat binary's size need not be a multiple of 4
        # (firmware/build/guests/*.bin end in .rodata strings); the preload pads with zeros.
        img = GuestImage(raw, A.HYPSIM_GUEST_ENTRY_IPA, A.HYPSIM_GUEST_ENTRY_IPA, "flat binary")
    size = len(img.blob)
    if size > A.HYPSIM_IMAGE_MAX:
        raise _bad(path, f"the {img.kind} is {size} bytes, more than the {A.HYPSIM_IMAGE_MAX} bytes "
                         f"(HYPSIM_IMAGE_MAX) the hypervisor's memory layout has room for")
    if size > guest_mem - FLAT_OFFSET:
        raise _bad(path, f"the {img.kind} is {size} bytes, more than guest RAM ({guest_mem >> 20} MiB) minus "
                         f"64 KiB: raise --guest-mem")
    return img


def dtb_ipa(guest_mem: int) -> int:
    """The guest's r2: QEMU's choice for a -kernel boot, RAM base + min(mem / 2, 128 MiB)."""
    return A.HYPSIM_GUEST_RAM_IPA + min(guest_mem // 2, 128 << 20)


def bootinfo_for(img: GuestImage, dtb: bytes, guest_mem: int, vms: int, seq_runs: int, vmm: bool,
                 vmid_bits: int = 0, dirty_log: bool = False, vcpus: int = 1, cpus: int = 1) -> bytes:
    return bootinfo_bytes({
        "BI_FLAGS": (A.HYPSIM_BI_F_VMM if vmm else 0) | (A.HYPSIM_BI_F_DIRTY_LOG if dirty_log else 0),
        "BI_NR_VMS": vms,
        "BI_GUEST_MEM": guest_mem,
        "BI_IMAGE_PA": A.HYPSIM_IMAGE_PA,
        "BI_IMAGE_SIZE": len(img.blob),
        "BI_IMAGE_IPA": img.ipa,
        "BI_ENTRY_IPA": img.entry,
        "BI_DTB_PA": A.HYPSIM_DTB_PA,
        "BI_DTB_SIZE": len(dtb),
        "BI_DTB_IPA": dtb_ipa(guest_mem),
        "BI_SEQ_RUNS": seq_runs,
        "BI_TIMESLICE": 0,
        "BI_VMID_BITS": vmid_bits,
        "BI_NR_VCPUS": vcpus,
        "BI_NR_CPUS": cpus,
    })


def compose_ram(hyp: ElfImage, img: GuestImage, dtb: bytes, bootinfo: bytes) -> ElfImage:
    """One RAM image: the hypervisor's segments plus the three blobs at their vmm_abi.h PAs."""
    blobs = [("the guest image", A.HYPSIM_IMAGE_PA, img.blob, A.HYPSIM_IMAGE_MAX),
             ("the device tree", A.HYPSIM_DTB_PA, dtb, A.HYPSIM_DTB_MAX),
             ("the boot-info block", A.HYPSIM_BOOTINFO_PA, bootinfo, A.BI_BYTES)]
    segments = list(hyp.segments)
    for what, pa, data, room in blobs:
        if len(data) > room:
            raise HypsimError(f"{what} is {len(data)} bytes; vmm_abi.h leaves room for {room}")
        for seg in hyp.segments:
            if seg.addr < pa + room and pa < seg.end:
                raise HypsimError(f"{hyp.path}: segment 0x{seg.addr:08x}-0x{seg.end - 1:08x} overlaps {what} "
                                  f"at 0x{pa:08x} (firmware/include/vmm_abi.h layout)")
        if data:
            segments.append(Segment(pa, data, len(data)))
    segments.sort(key=lambda s: s.addr)
    return ElfImage(hyp.path, hyp.entry, segments, hyp.symbols, hyp.ram_base, hyp.ram_size,
                    hyp.thumb_functions)


def _build_dtb(guest_mem: int, cmdline: str, ncpus: int = 1) -> bytes:
    try:
        from .guest_dt import build_dtb
    except ImportError as exc:
        raise HypsimError(f"the guest device-tree builder (tb/guest_dt.py) is not available: {exc}") from None
    with tempfile.TemporaryDirectory(prefix="hypsim-dtb-") as tmp:
        out = Path(tmp) / "guest.dtb"
        try:
            path = build_dtb(out, mem_bytes=guest_mem, ncpus=ncpus, bootargs=cmdline)
            data = Path(path or out).read_bytes()
        except HypsimError:
            raise
        except Exception as exc:  # the builder's own complaint (dtc, a bad size, ...)
            raise HypsimError(f"cannot build the guest device tree (--guest-mem {guest_mem >> 20}, "
                              f"--cmdline {cmdline!r}): {exc}") from None
    if not data:
        raise HypsimError("the guest device-tree builder produced an empty DTB")
    return data


def check_guest_options(opts: GuestOptions) -> None:
    """Every argument check that needs no file."""
    if not GUEST_MEM_MIN_MIB <= opts.guest_mem_mib <= GUEST_MEM_MAX_MIB:
        raise HypsimError(f"--guest-mem {opts.guest_mem_mib}: give {GUEST_MEM_MIN_MIB} to {GUEST_MEM_MAX_MIB} MiB")
    if not 1 <= opts.vms <= MAX_VMS:
        raise HypsimError(f"--vms {opts.vms}: give 1 to {MAX_VMS} VMs")
    if isinstance(opts.vcpus, bool) or not isinstance(opts.vcpus, int) or not 1 <= opts.vcpus <= MAX_VCPUS:
        raise HypsimError(f"--vcpus {opts.vcpus!r}: give 1 to {MAX_VCPUS} vCPUs per VM (KVM_MAX_VCPUS)")
    if not 1 <= opts.smp <= MAX_CPUS:
        raise HypsimError(f"--smp {opts.smp}: the hypervisor runs on 1 to {MAX_CPUS} physical cores "
                          f"(HYPSIM_HOST_MAX_CPUS)")
    if opts.seq_runs < 0:
        raise HypsimError(f"--seq-runs {opts.seq_runs}: give 0 (once) or a positive number of runs")


def hypervisor_path(opts: GuestOptions) -> Path:
    hyp = Path(opts.hypervisor) if opts.hypervisor else DEFAULT_HYPERVISOR
    if not hyp.is_file():
        raise HypsimError(f"hypervisor ELF {hyp} not found: run make -C firmware"
                          + ("" if opts.hypervisor is None else " (or fix --hypervisor)"))
    return hyp


def run_guest(image: Path, opts: GuestOptions, console_sink: Callable[[bytes], None] | None = None,
              host_sink: Callable[[bytes], None] | None = None) -> RunResult:
    """Run the hypervisor with `image` as its guest(s); raises HypsimError on bad input.

    `console_sink` receives the guest console as it is produced (one VM; with
    several, their consoles at the end), `host_sink` the hypervisor's own UART
    and semihosting output in a VMM run (in --compare-qemu mode the firmware
    itself prints the guest console on the UART, which goes to `console_sink`).
    """
    t0 = time.monotonic()
    check_guest_options(opts)
    guest_mem = opts.guest_mem_mib << 20
    img = load_guest_image(Path(image), guest_mem)
    hyp_path = hypervisor_path(opts)
    hyp = load_elf(hyp_path, RAM_BASE, RAM_MIB << 20)
    check_run_options(opts)
    dtb = _build_dtb(guest_mem, opts.cmdline, opts.vcpus)
    vmm = not opts.compare_qemu
    bootinfo = bootinfo_for(img, dtb, guest_mem, opts.vms, opts.seq_runs, vmm, opts.vmid_bits, opts.dirty_log,
                            opts.vcpus, opts.smp)
    ram = compose_ram(hyp, img, dtb, bootinfo)

    # everything checked: now write the run directory
    work = opts.work_dir or Path(tempfile.mkdtemp(prefix="hypsim-guest-"))
    work.mkdir(parents=True, exist_ok=True)
    files = {"guest.bin": img.blob, "guest.dtb": dtb, "bootinfo.bin": bootinfo}
    for name, data in files.items():
        (work / name).write_bytes(data)
    hexfile = ram.write_readmemh(work / "ram.hex")
    loaders = ((work / "guest.bin", A.HYPSIM_IMAGE_PA), (work / "guest.dtb", A.HYPSIM_DTB_PA),
               (work / "bootinfo.bin", A.HYPSIM_BOOTINFO_PA))
    notes = [f"guest: {image} ({img.kind}, {len(img.blob)} bytes at IPA 0x{img.ipa:08x}, entry "
             f"0x{img.entry:08x}), {opts.guest_mem_mib} MiB, DTB {len(dtb)} bytes at IPA "
             f"0x{dtb_ipa(guest_mem):08x}, {opts.vms} VM(s)"
             + (f" of {opts.vcpus} vCPUs" if opts.vcpus > 1 else "")
             + (f" on {opts.smp} physical cores" if opts.smp > 1 else "")
             + (f", {opts.seq_runs} sequential runs" if opts.seq_runs else "")
             + ("; VMM on" if vmm else "; no VMM (in-firmware device models, as on QEMU)")]
    job = SimJob(hyp.entry, hexfile, work, hyp_path, loaders,
                 {"nr_vms": opts.vms, "seq_runs": opts.seq_runs,
                  **({"env": opts.system_env} if opts.system_env else {})} if vmm else None, last_pcs_by_mode)
    res = run_job(job, opts, console_sink, notes, host_sink if vmm else None, t0=t0)
    _score_guest_run(res, GuestRun(img.entry, dtb_ipa(guest_mem), guest_mem, dict(hyp.symbols), opts.vcpus), opts.smp)
    per_vm = sorted((work / opts.sim).glob("console-vm*.txt"))
    if per_vm:
        res.notes.append("guest consoles: " + ", ".join(str(p) for p in per_vm))
    host = work / opts.sim / "host-console.bin"
    if vmm and host.exists() and host.stat().st_size:
        res.notes.append(f"hypervisor console (its own UART and semihosting output): {host}")
    return res


def _score(res: RunResult, verdict: str, score) -> None:
    """Fold one scoreboard's result into the run's: its summary as a note, and on a
    mismatch exit 3 with the mismatches, also when the broken run then stopped or
    ran out of cycles (the first wrong step explains the rest)."""
    res.notes.append(score.summary())
    if score.ok or res.exit_code not in (EXIT_OK, EXIT_STOPPED, EXIT_MAX_CYCLES, EXIT_EXC_LOOP, EXIT_DIVERGED):
        return
    more = score.mismatch_count - len(score.mismatches)
    text = (f"the {verdict}:\n  " + "\n  ".join(score.mismatches)
            + (f"\n  ... {more} more" if more > 0 else ""))
    if res.exit_code == EXIT_DIVERGED:
        res.message += "\n" + text
        return
    stop = "" if res.exit_code == EXIT_OK else f"\n(the run itself: {res.message.splitlines()[0]})"
    res.exit_code = EXIT_DIVERGED
    res.message = text + stop


def _score_guest_run(res: RunResult, run: GuestRun, ncores: int = 1) -> None:
    """The VMID, world-switch and interrupt-injection scoreboards on the run's per-core
    traces (``ncores`` cores, core c's at core_trace_path: merged by cycle) and VMM log."""
    trace = res.outcome.trace
    if not trace.exists():
        return
    traces = [core_trace_path(trace, c) for c in range(ncores)]
    missing = [str(p) for p in traces if not p.exists()]
    if missing:     # the tracer opens every core's file at time 0: a run without one is broken
        res.exit_code = EXIT_STOPPED
        res.message = (f"scoreboards not run: no trace of core(s) {', '.join(missing)}"
                       + (f"\n(the run itself: {res.message})" if res.message else ""))
        return
    events = trace.parent / "vmm-events.jsonl"
    res.vmid = score_vmids(traces)
    _score(res, "VMID scoreboard found a possible stale translation", res.vmid)
    res.world = score_world_switch(traces, run, events)
    _score(res, "world-switch scoreboard found a mismatch", res.world)
    res.irq = score_injections(traces, events, run.vcpus)
    _score(res, "IRQ scoreboard found a wrong interrupt injection", res.irq)


def bootinfo_words(data: bytes) -> dict[str, int]:
    """Decode a boot-info block into {BI_NAME: value} (for tests and reports)."""
    out = {}
    for name, off in ABI.items():
        if name.startswith("BI_") and name != "BI_BYTES" and off + 4 <= len(data):
            out[name] = struct.unpack_from("<I", data, off)[0]
    return out

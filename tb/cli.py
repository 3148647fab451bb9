"""`hypsim` command line: `hypsim run ELF [options]`, `hypsim run-guest IMAGE [options]`.

stdout carries the program's UART (and semihosting console) bytes and nothing
else -- for run-guest, the guest's console -- and every log line goes to stderr
(run-guest: also the hypervisor's own UART output, when a VMM serves the guest).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import simulator
from .errors import EXIT_BAD_INPUT, HypsimError
from .progress import wanted as progress_wanted


def _common(r: argparse.ArgumentParser) -> None:
    from .run import DEFAULT_MAX_CYCLES     # after check_repo(): run reads the source tree
    r.add_argument("--sim", choices=simulator.SIMULATORS, default="verilator")
    r.add_argument("--max-cycles", type=int, default=DEFAULT_MAX_CYCLES, metavar="N")
    r.add_argument("--waves", action="store_true", help="dump waves (Icarus: FST, Verilator: VCD)")
    r.add_argument("--trace", type=Path, metavar="FILE", help="write a disassembled instruction trace")
    r.add_argument("--compare-qemu", action="store_true",
                   help="check every instruction against qemu-system-arm -M virt,virtualization=on")
    r.add_argument("--work-dir", type=Path, metavar="DIR", help="keep run files here (default: a temp dir)")
    r.add_argument("--no-trace", dest="tracer", action="store_false",
                   help="the free-running build: no retire tracer, no check after the run (a separate, cached "
                        "Verilator/Icarus build); the console, exit status and stop checks remain")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="cycles, instructions and their rates on stderr at most once a second "
                        "(default: on when stderr is a terminal, or $HYPSIM_PROGRESS=1)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hypsim", description="hypsim: ARM virtualization co-simulation")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a bare-metal ARM ELF on the RTL SoC")
    r.add_argument("elf", type=Path)
    r.add_argument("--smp", type=int, default=1, metavar="N",
                   help="N cores (1..8; default 1): core 0 starts at the ELF entry, the others when it calls "
                        "PSCI CPU_ON over SMC, as on qemu-system-arm -smp N; one retire trace per core "
                        "(trace-core<c>.txt); --compare-qemu then compares the console with QEMU -smp N")
    _common(r)
    g = sub.add_parser("run-guest", help="run a guest image under the hypervisor firmware on the RTL SoC",
                       description="Runs firmware/build/hypervisor.elf with IMAGE (a flat binary entered at IPA "
                                   "0x40010000, or an ELF) as its guest; a testbench VMM serves the guest's PL011, "
                                   "hypercalls and PSCI system events. stdout is the guest console.")
    g.add_argument("image", type=Path)
    g.add_argument("--cmdline", default="", metavar="STR", help="the guest DT's bootargs")
    g.add_argument("--guest-mem", type=int, default=16, metavar="MiB", help="guest RAM (4..256, default 16)")
    g.add_argument("--vms", type=int, default=1, metavar="N", help="N copies of the guest at once (1..4)")
    g.add_argument("--vcpus", type=int, default=1, metavar="N",
                   help="vCPUs per VM (1..2); vCPU 1 starts on PSCI CPU_ON")
    g.add_argument("--smp", type=int, default=1, metavar="N",
                   help="physical cores (1..2, default 1) the hypervisor runs its vCPUs on: core 0 boots and "
                        "starts the others through PSCI CPU_ON over SMC; with one core the vCPUs are "
                        "time-multiplexed; --compare-qemu then compares the console with QEMU -smp N")
    g.add_argument("--seq-runs", type=int, default=0, metavar="N", help="run VM after VM N times (BI_SEQ_RUNS)")
    g.add_argument("--dirty-log", action="store_true",
                   help="the host logs dirty pages from the start (write-protects, counts first writes)")
    g.add_argument("--hypervisor", type=Path, metavar="ELF", help="default firmware/build/hypervisor.elf")
    _common(g)
    return p


def main(argv: list[str] | None = None) -> int:
    # the modules below read the source tree (vmm_abi.h, ...) when imported: check it first
    try:
        simulator.check_repo()
    except HypsimError as exc:
        print(f"hypsim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from .run import RunOptions, run_elf
    args = _parser().parse_args(argv)
    progress = progress_wanted(args.progress, sys.stderr)
    # Everything the simulator or a library prints goes to stderr; the UART
    # stream goes to the real stdout.
    sys.stdout.flush()
    real_out = os.dup(1)
    os.dup2(2, 1)

    def sink(data: bytes) -> None:
        os.write(real_out, data)

    def host_sink(data: bytes) -> None:
        os.write(2, data)

    common = dict(sim=args.sim, max_cycles=args.max_cycles, waves=args.waves, trace_out=args.trace,
                  compare_qemu=args.compare_qemu, work_dir=args.work_dir, trace=args.tracer, progress=progress)
    try:
        if args.cmd == "run-guest":
            from .run_guest import GuestOptions, run_guest
            gopts = GuestOptions(**common, smp=args.smp, cmdline=args.cmdline, guest_mem_mib=args.guest_mem, vms=args.vms, vcpus=args.vcpus,
                                 seq_runs=args.seq_runs, hypervisor=args.hypervisor,
                                 dirty_log=args.dirty_log)
            res = run_guest(args.image, gopts, console_sink=sink, host_sink=host_sink)
        else:
            res = run_elf(args.elf, RunOptions(**common, smp=args.smp), console_sink=sink)
    except HypsimError as exc:
        print(f"hypsim: error: {exc}", file=sys.stderr)
        return exc.exit_code if exc.exit_code else EXIT_BAD_INPUT
    finally:
        sys.stdout.flush()
        os.dup2(real_out, 1)
        os.close(real_out)
    for note in res.notes:
        print(f"hypsim: {note}", file=sys.stderr)
    print(f"hypsim: {res.message}", file=sys.stderr)
    return res.exit_code


if __name__ == "__main__":
    sys.exit(main())

"""`hypsim` command line: `hypsim run ELF [options]`.

stdout carries the program's UART (and semihosting console) bytes and nothing
else; every log line goes to stderr.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import simulator
from .errors import HypsimError
from .run import DEFAULT_MAX_CYCLES, EXIT_BAD_INPUT, RunOptions, run_elf


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hypsim", description="hypsim: ARM virtualization co-simulation")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a bare-metal ARM ELF on the RTL SoC")
    r.add_argument("elf", type=Path)
    r.add_argument("--sim", choices=simulator.SIMULATORS, default="verilator")
    r.add_argument("--max-cycles", type=int, default=DEFAULT_MAX_CYCLES, metavar="N")
    r.add_argument("--waves", action="store_true", help="dump waves (Icarus: FST, Verilator: VCD)")
    r.add_argument("--trace", type=Path, metavar="FILE", help="write a disassembled instruction trace")
    r.add_argument("--compare-qemu", action="store_true",
                   help="check every instruction against qemu-system-arm -M virt,virtualization=on")
    r.add_argument("--work-dir", type=Path, metavar="DIR", help="keep run files here (default: a temp dir)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Everything the simulator or a library prints goes to stderr; the UART
    # stream goes to the real stdout.
    sys.stdout.flush()
    real_out = os.dup(1)
    os.dup2(2, 1)

    def sink(data: bytes) -> None:
        os.write(real_out, data)

    try:
        opts = RunOptions(sim=args.sim, max_cycles=args.max_cycles, waves=args.waves,
                          trace_out=args.trace, compare_qemu=args.compare_qemu, work_dir=args.work_dir)
        res = run_elf(args.elf, opts, console_sink=sink)
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

"""Arm semihosting, the subset hypsim serves (Arm "Semihosting for AArch32
and AArch64", release 2.0, section 5 "Semihosting operations").

Behaviour follows `qemu-system-arm -semihosting` 7.2, which is the golden
model: SYS_WRITEC/SYS_WRITE0 leave R0 corrupted with 0xdeadbeef, and SYS_EXIT
(AArch32 form: R1 holds the reason code itself) ends the run with status 0
for ADP_Stopped_ApplicationExit and 1 for any other reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

SVC_IMM_A32 = 0x123456

SYS_WRITEC = 0x03
SYS_WRITE0 = 0x04
SYS_EXIT = 0x18

ADP_STOPPED_APPLICATION_EXIT = 0x20026
ADP_STOPPED_RUNTIME_ERROR_UNKNOWN = 0x20023

#: What QEMU leaves in R0 after an operation whose result is "corrupted".
R0_CORRUPTED = 0xDEADBEEF

#: Longest string SYS_WRITE0 will read before giving up (a missing NUL).
MAX_STRING = 1 << 16


class SemihostingError(Exception):
    """The program asked for something this model does not serve."""


@dataclass(frozen=True)
class SemihostResult:
    r0: int                 # value returned in R0
    output: bytes           # bytes for the console
    exit_status: int | None  # process exit status when the program stopped


ReadByte = Callable[[int], int]


def exit_status(reason: int) -> int:
    return 0 if reason == ADP_STOPPED_APPLICATION_EXIT else 1


def serve(op: int, arg: int, read_byte: ReadByte) -> SemihostResult:
    """Carry out semihosting operation `op` with parameter `arg` (R0, R1)."""
    if op == SYS_WRITEC:
        return SemihostResult(R0_CORRUPTED, bytes([read_byte(arg)]), None)
    if op == SYS_WRITE0:
        out = bytearray()
        addr = arg
        while True:
            b = read_byte(addr)
            if b == 0:
                break
            out.append(b)
            addr += 1
            if len(out) > MAX_STRING:
                raise SemihostingError(f"SYS_WRITE0 string at {arg:#010x} has no NUL in {MAX_STRING} bytes")
        return SemihostResult(R0_CORRUPTED, bytes(out), None)
    if op == SYS_EXIT:
        return SemihostResult(0, b"", exit_status(arg))
    raise SemihostingError(
        f"semihosting operation {op:#x} is not supported (hypsim serves SYS_WRITEC 0x03, "
        f"SYS_WRITE0 0x04, SYS_EXIT 0x18)")

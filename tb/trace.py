"""Reads the RTL retire trace (tb/hdl/retire_tracer.sv) into transactions.

This is the monitor side of the retire and exception ports: the tracer writes
every register write, data beat, retirement and exception entry to a text file
during the run, and this module turns the file into typed transactions after
the run, so checking costs no Python wake-up per simulated cycle.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .models.arm_state import ArchState

# exc_type_o of rtl/core/arm_core.sv (EXC_*); 7 is HVC or a trap, taken to Hyp mode
EXC_NAMES = {1: "undefined", 2: "svc", 3: "prefetch-abort", 4: "data-abort", 5: "irq", 6: "fiq",
             7: "hyp-trap"}


@dataclass(frozen=True)
class MemBeat:
    write: bool
    addr: int
    be: int
    data: int


@dataclass(frozen=True)
class RetireTxn:
    """One retired (or faulted) instruction with everything it wrote."""

    cycle: int
    pc: int
    instr: int
    cpsr: int          # CPSR after the instruction
    cond_pass: bool
    writes: tuple[tuple[int, int], ...]   # (physical register, value)
    mem: tuple[MemBeat, ...]


@dataclass(frozen=True)
class ExceptionTxn:
    cycle: int
    kind: int          # EXC_NAMES key
    ret: int           # LR / ELR_hyp written
    vector: int
    cpsr: int          # CPSR after entry
    writes: tuple[tuple[int, int], ...]
    hsr: int = 0       # HSR written on entry to Hyp mode (0: not written)

    @property
    def name(self) -> str:
        return EXC_NAMES.get(self.kind, f"exception{self.kind}")


Txn = RetireTxn | ExceptionTxn


class TraceFormatError(Exception):
    pass


def read_trace(path: Path) -> Iterator[Txn]:
    """Yield transactions in simulation order."""
    writes: list[tuple[int, int]] = []
    mem: list[MemBeat] = []
    with open(path, "r", encoding="ascii") as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            tag = parts[0]
            try:
                if tag == "W":
                    writes.append((int(parts[1], 16), int(parts[2], 16)))
                elif tag == "M":
                    mem.append(MemBeat(parts[1] == "w", int(parts[2], 16), int(parts[3], 16),
                                       int(parts[4], 16)))
                elif tag == "R":
                    yield RetireTxn(int(parts[1]), int(parts[2], 16), int(parts[3], 16),
                                    int(parts[4], 16), parts[5] == "1", tuple(writes), tuple(mem))
                    writes, mem = [], []
                elif tag == "X":
                    yield ExceptionTxn(int(parts[1]), int(parts[2]), int(parts[3], 16),
                                       int(parts[4], 16), int(parts[5], 16), tuple(writes),
                                       int(parts[6], 16))
                    writes = []
                else:
                    raise ValueError(tag)
            except (ValueError, IndexError) as exc:
                # A run killed mid-write can leave one torn last line; anything else is a bug.
                raise TraceFormatError(f"{path}:{lineno}: malformed trace line {line!r}") from exc


@dataclass
class StepState:
    """Architectural state just before one retired instruction."""

    txn: RetireTxn
    regs: tuple[int, ...]   # R0-R15 before the instruction, R15 = its PC
    cpsr: int


def replay(txns: Iterator[Txn], state: ArchState | None = None) -> Iterator[StepState]:
    """See below; pass your own `state` to read the final state afterwards."""
    return _replay(txns, state or ArchState())


def walk(txns: Iterator[Txn], st: ArchState) -> Iterator[tuple[Txn, ArchState]]:
    """Yield every event with the architectural state just before it.

    The writes listed with a retirement are that instruction's own, so the
    state before it is the state after all earlier events -- exactly what
    QEMU prints before it executes an instruction. Exception entries without
    an instruction (IRQ, FIQ, prefetch abort) only change the state. The
    yielded state is `st` itself: read it before asking for the next event.
    """
    for t in txns:
        if isinstance(t, RetireTxn):
            st.pc = t.pc
        yield t, st
        for idx, val in t.writes:
            st.phys[idx] = val
        st.cpsr = t.cpsr
        if isinstance(t, ExceptionTxn):
            st.pc = t.vector


def _replay(txns: Iterator[Txn], st: ArchState) -> Iterator[StepState]:
    """R0-R15/CPSR before every retired instruction (see :func:`walk`)."""
    for t, before in walk(txns, st):
        if isinstance(t, RetireTxn):
            yield StepState(t, before.regs(), before.cpsr)


def last_events(path: Path, n: int = 20) -> list[Txn]:
    """The last `n` retirements and exception entries of a trace (for hang reports)."""
    tail: deque[Txn] = deque(maxlen=n)
    try:
        for t in read_trace(path):
            tail.append(t)
    except TraceFormatError:
        pass
    return list(tail)

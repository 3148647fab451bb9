"""Reads the RTL retire trace (tb/hdl/retire_tracer.sv) into transactions.

This is the monitor side of the retire and exception ports: the tracer writes
every register write, data beat, retirement and exception entry to a text file
during the run, and this module turns the file into typed transactions after
the run, so checking costs no Python wake-up per simulated cycle.

Lines (the tracer's header comment is the reference):
  H <name> ...        once, first: the field names of the context snapshots
  W <phys> <value>    a register write       -> RetireTxn/ExceptionTxn.writes
  M <r|w> <addr> <be> <data> [<pa>]  a data beat -> RetireTxn.mem (addr: the VA; pa: its
                      physical address, written only when it differs; MemBeat.pa = addr without it)
  R <cycle> <pc> <instr> <cpsr> <cond>       -> RetireTxn
  X <cycle> <type> <return> <vector> <cpsr> <hsr>  -> ExceptionTxn
  S <cycle> <x|e> <value> ...                -> ContextTxn
An S line is the complete register context (GPRs of every mode, CPSR, CP15,
Hyp controls, timers, VFP, GICH of the core's GIC CPU interface; names from the H line, never
hard-coded here) at a world switch: kind "x" after an exception entry into Hyp
mode from a mode below, kind "e" after an instruction that leaves Hyp mode. It
follows its event's X or R line and carries that event's cycle. `walk` yields
ContextTxns with the state unchanged (a snapshot writes nothing); consumers
that only want retirements and exceptions skip them by type.
"""
from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from .models.arm_state import ArchState



class ExcType(IntEnum):
    """exc_type_o of rtl/core/arm_core.sv (the EXC_* of rtl/core/arm_pkg.sv; checked by
    tests/test_constants_agree.py). HYP is HVC or a trap, taken to Hyp mode."""
    UND = 1
    SVC = 2
    PABT = 3
    DABT = 4
    IRQ = 5
    FIQ = 6
    HYP = 7


EXC_NAMES = {ExcType.UND: "undefined", ExcType.SVC: "svc", ExcType.PABT: "prefetch-abort",
             ExcType.DABT: "data-abort", ExcType.IRQ: "irq", ExcType.FIQ: "fiq", ExcType.HYP: "hyp-trap"}


@dataclass(frozen=True)
class MemBeat:
    """A completed data beat: ``addr`` the virtual address the core issued (what a
    comparison with QEMU compares), ``pa`` the physical address the bus saw after
    stage 1 and stage 2 (= addr when the trace line has no 5th field: translation
    off, identity mapped, a faulting beat, or a trace from before the field)."""
    write: bool
    addr: int
    be: int
    data: int
    pa: int | None = None

    def __post_init__(self) -> None:
        if self.pa is None:
            object.__setattr__(self, "pa", self.addr)


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


class ContextNames(tuple):
    """The H line's field names, in S-line order, with a name -> position map."""

    def __new__(cls, names: Iterable[str]) -> "ContextNames":
        self = super().__new__(cls, names)
        self.pos = {n: i for i, n in enumerate(self)}
        if len(self.pos) != len(self):
            raise ValueError("duplicate context field names")
        return self


@dataclass(frozen=True)
class ContextTxn:
    """A register-context snapshot at a world switch (S line).

    kind "x": the state after an exception entry into Hyp mode from below;
    kind "e": the state after an instruction retired in Hyp mode that left it
    (what the lower mode finds). `values` follow `names` (the trace's H line,
    one ContextNames object shared by every snapshot of the trace)."""

    cycle: int
    kind: str
    values: tuple[int, ...]
    names: ContextNames = field(repr=False, compare=False, default=ContextNames(()))

    KINDS = ("x", "e")

    def __getitem__(self, name: str) -> int:
        return self.values[self.names.pos[name]]

    def get(self, name: str, default: int | None = None) -> int | None:
        i = self.names.pos.get(name)
        return default if i is None else self.values[i]

    def __contains__(self, name: str) -> bool:
        return name in self.names.pos

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.names, self.values))

    @property
    def entry(self) -> bool:
        """An entry into Hyp mode (kind "x"); else a return below it."""
        return self.kind == "x"


Txn = RetireTxn | ExceptionTxn | ContextTxn


class TraceFormatError(Exception):
    pass


def read_trace(path: Path) -> Iterator[Txn]:
    """Yield transactions in simulation order (a ContextTxn right after its event)."""
    writes: list[tuple[int, int]] = []
    mem: list[MemBeat] = []
    names: ContextNames | None = None
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
                                       int(parts[4], 16), int(parts[5], 16) if len(parts) > 5 else None))
                elif tag == "R":
                    yield RetireTxn(int(parts[1]), int(parts[2], 16), int(parts[3], 16),
                                    int(parts[4], 16), parts[5] == "1", tuple(writes), tuple(mem))
                    writes, mem = [], []
                elif tag == "X":
                    yield ExceptionTxn(int(parts[1]), int(parts[2]), int(parts[3], 16),
                                       int(parts[4], 16), int(parts[5], 16), tuple(writes),
                                       int(parts[6], 16))
                    writes = []
                elif tag == "S":
                    if names is None:
                        raise TraceFormatError(f"{path}:{lineno}: context snapshot before the H line")
                    if parts[2] not in ContextTxn.KINDS:
                        raise TraceFormatError(f"{path}:{lineno}: unknown snapshot kind {parts[2]!r}")
                    if len(parts) - 3 != len(names):
                        raise TraceFormatError(f"{path}:{lineno}: context snapshot with {len(parts) - 3} "
                                               f"values for {len(names)} names")
                    yield ContextTxn(int(parts[1]), parts[2], tuple(int(v, 16) for v in parts[3:]), names)
                elif tag == "H":
                    if names is not None:
                        raise TraceFormatError(f"{path}:{lineno}: a second H line")
                    names = ContextNames(parts[1:])
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


def walk(txns: Iterator[Txn], st: ArchState, snapshots: bool = False) -> Iterator[tuple[Txn, ArchState]]:
    """Yield every event with the architectural state just before it.

    The writes listed with a retirement are that instruction's own, so the
    state before it is the state after all earlier events -- exactly what
    QEMU prints before it executes an instruction. Exception entries without
    an instruction (IRQ, FIQ, prefetch abort) only change the state. A
    ContextTxn (only with ``snapshots``: most consumers follow instructions
    and exceptions only) is yielded with the state after everything before it
    (so its registers and CPSR must equal that state) and changes nothing. The
    yielded state is `st` itself: read it before asking for the next event.
    """
    for t in txns:
        if isinstance(t, ContextTxn):
            if snapshots:
                yield t, st
            continue
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


def last_events(path: Path, n: int = 20) -> list[RetireTxn | ExceptionTxn]:
    """The last `n` retirements and exception entries of a trace (for hang reports)."""
    tail: deque[RetireTxn | ExceptionTxn] = deque(maxlen=n)
    try:
        for t in read_trace(path):
            if not isinstance(t, ContextTxn):
                tail.append(t)
    except TraceFormatError:
        pass
    return list(tail)



@dataclass(frozen=True)
class CoreTxn:
    """One transaction of a multi-core run, tagged with the core whose trace it is from."""

    core: int
    txn: Txn


_T = TypeVar("_T")


def _merge_by_cycle(streams: list[Iterator[_T]], cycle: Callable[[_T], int]) -> Iterator[tuple[int, _T]]:
    """(core, item) from every stream in cycle order, equal cycles in core order.

    A heap of one head per core: the cost is per event, never per cycle. A
    stream's next item is asked for only after its current one was consumed
    (a `walk` mutates its state when resumed)."""
    if len(streams) == 1:            # one core: nothing to merge
        for item in streams[0]:
            yield 0, item
        return
    heap: list[tuple[int, int, _T]] = []
    for core, it in enumerate(streams):
        first = next(it, None)
        if first is not None:
            heap.append((cycle(first), core, first))
    heapq.heapify(heap)
    while heap:
        _, core, item = heap[0]
        yield core, item
        nxt = next(streams[core], None)
        if nxt is None:
            heapq.heappop(heap)
        else:
            heapq.heapreplace(heap, (cycle(nxt), core, nxt))


def merge_cores(streams: Iterable[Iterable[Txn]]) -> Iterator[CoreTxn]:
    """The per-core transaction streams of one run as one stream ordered by cycle.

    Stable: events of one cycle keep core order (core 0's first), and each
    core's own order is kept (a ContextTxn stays right after its event, which
    carries the same cycle)."""
    for core, t in _merge_by_cycle([iter(s) for s in streams], lambda t: t.cycle):
        yield CoreTxn(core, t)


def walk_cores(streams: Iterable[Iterable[Txn]], snapshots: bool = False
               ) -> Iterator[tuple[int, Txn, ArchState]]:
    """`walk` on every core's stream, merged by cycle as :func:`merge_cores` does:
    (core, event, that core's state just before the event). Each core replays its
    own ArchState (the object yielded: read it before asking for the next event)."""
    walks = [walk(iter(s), ArchState(), snapshots) for s in streams]
    for core, (t, st) in _merge_by_cycle(walks, lambda pair: pair[0].cycle):
        yield core, t, st


def read_core_traces(paths: Iterable[Path]) -> list[Iterator[Txn]]:
    """One transaction stream per core trace (core 0's first)."""
    return [read_trace(p) for p in paths]

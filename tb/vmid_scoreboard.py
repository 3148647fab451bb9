"""VMID scoreboard: no guest can hit a TLB entry another VM left behind.

The RTL TLB tags PL1&0 entries with the VMID (rtl/mmu/mmu_tlb.sv), so a
hypervisor that gives a VMID to a new VM, or to a new set of stage-2 tables,
without invalidating the entries the VMID's previous owner left, lets the new
owner translate through the old tables. KVM/ARM avoids it with VMID
generations (seed 001: "caches and tlbs are invalidated when the VMID space has
been used"). This checker reads the retire trace after the run and follows, in
Hyp mode, every VTTBR write (MCRR p15, 6, c2), every TLB invalidation that
covers non-Hyp entries (TLBIALLNSNH/IS for every VMID; TLBIALL/IS from Hyp for
the current VMID, B4.2.2), and every store that turns a descriptor of a
level-1 stage-2 table invalid (low word with bits[1:0] != 0b11: the host
unmapping, clearing, freeing or re-allocating the table; the high words of
valid descriptors are zero and do not count). A VTTBR write that gives VMID v a table
other than the one v had since its entries were last invalidated, or that
reuses v after its table was zeroed, is a possible stale translation and is
reported with the cycle, PC, VMID and both tables.

With several cores (one trace each, merged by cycle: tb/trace.walk_cores)
each core has its own TLB, so the epochs are per core: a VTTBR write is
checked against its own core's TLB, the Inner Shareable forms (TLBIALLNSNHIS,
TLBIALLIS; rtl/mmu/mmu_bridge.sv broadcasts them to every core in the cycle
they complete) reach every core's, the others only the issuing core's. A
store that clears a table marks every core's epoch of that table (memory is
shared). A guest's own TLBIs (PL1; broadcast under HCR.FB, B4.1.65, as the
RTL does) are not counted as ending an epoch here, on one core or several: they
invalidate for the VMID's current owner, not for the next one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .models.arm_state import ArchState, Mode
from .models.hsr import decode_coproc
from .trace import RetireTxn, Txn, read_trace, walk_cores

MAX_REPORTED = 10
# (opc1, crn, crm, opc2) of the invalidations that cover non-Hyp entries
TLBI_ALL_VMIDS = {(4, 8, 7, 4), (4, 8, 3, 4)}          # TLBIALLNSNH, TLBIALLNSNHIS
TLBI_CURRENT_VMID = {(0, 8, 7, 0), (0, 8, 3, 0)}       # TLBIALL, TLBIALLIS (from Hyp mode)
#: the Inner Shareable forms (c8, c3): TLBIALLIS, TLBIMVAIS, TLBIASIDIS, TLBIMVAAIS, TLBIALLHIS,
#: TLBIMVAHIS, TLBIALLNSNHIS: every core's TLB
TLBI_IS = {(0, 8, 3, 0), (0, 8, 3, 1), (0, 8, 3, 2), (0, 8, 3, 3), (4, 8, 3, 0), (4, 8, 3, 1), (4, 8, 3, 4)}


@dataclass
class VmidScore:
    vttbr_writes: int = 0
    flushes: int = 0
    vmids: set[int] = field(default_factory=set)
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0

    def summary(self) -> str:
        return (f"vmid scoreboard: {self.vttbr_writes} VTTBR writes, {len(self.vmids)} VMIDs, "
                f"{self.flushes} non-Hyp TLB flushes, {self.mismatch_count} possible stale translations")


@dataclass
class _Epoch:
    table: int            # the level-1 table VMID v has had since its last invalidation
    zeroed: bool = False  # a descriptor of that table was made invalid since


def vttbr_write(instr: int, before: ArchState) -> tuple[int, int] | None:
    """(VMID, stage-2 table) that a Hyp-mode MCRR to VTTBR (p15, 6, c2) writes, else None."""
    if before.cpsr & 0x1F != Mode.HYP:
        return None
    acc = decode_coproc(instr)
    if acc is None or acc.coproc != 15 or acc.read or not acc.is64 or acc.opc1 != 6 or acc.crm != 2:
        return None
    regs = before.regs()
    lo, hi = regs[acc.rt], regs[acc.rt2]
    return (hi >> 16) & 0xFF, ((hi & 0xFF) << 32) | (lo & ~0x1F)


class _Cores:
    """Each core's TLB as this checker sees it: the epoch of every VMID, and its VTTBR.VMID."""

    def __init__(self, n: int) -> None:
        self.epochs: list[dict[int, _Epoch]] = [{} for _ in range(n)]
        self.current = [0] * n

    def reached(self, core: int, key: tuple[int, int, int, int]) -> list[dict[int, _Epoch]]:
        """The epochs a TLBI of `core` reaches: every core's for an IS form, else its own."""
        return self.epochs if key in TLBI_IS else [self.epochs[core]]

    def zeroed(self, page: int) -> None:
        for epochs in self.epochs:
            for ep in epochs.values():
                if ep.table & ~0xFFF == page:
                    ep.zeroed = True


def score_vmids_cores(streams: Sequence[Iterable[Txn]]) -> VmidScore:
    """Score the per-core streams of one run (core 0's first), merged by cycle."""
    score = VmidScore()
    cores = _Cores(len(streams))

    def fail(msg: str) -> None:
        score.mismatch_count += 1
        if len(score.mismatches) < MAX_REPORTED:
            score.mismatches.append(msg)

    for core, t, before in walk_cores(streams):
        if not isinstance(t, RetireTxn) or not t.cond_pass:
            continue
        # the trace has virtual addresses: only the hypervisor's own stores (Hyp mode, or the
        # host while VTTBR holds VMID 0; both run with the MMU off, VA = PA) reach its tables
        hyp_side = before.cpsr & 0x1F == Mode.HYP or cores.current[core] == 0
        for beat in t.mem if hyp_side else ():
            # a descriptor's low word overwritten with an invalid entry (bits[1:0] != 0b11):
            # the table is being cleared, freed or unmapped
            if beat.write and beat.addr & 7 == 0 and beat.be & 1 and beat.data & 3 != 3:
                cores.zeroed(beat.addr & ~0xFFF)
        if before.cpsr & 0x1F != Mode.HYP:
            continue
        acc = decode_coproc(t.instr)
        if acc is None or acc.coproc != 15 or acc.read:
            continue
        written = vttbr_write(t.instr, before)
        if written is not None:
            _vttbr(score, cores, core, written, t, fail, len(streams) > 1)
        elif not acc.is64:
            _tlbi(score, cores, core, (acc.opc1, acc.crn, acc.crm, acc.opc2))
    return score


def _vttbr(score: VmidScore, cores: _Cores, core: int, written: tuple[int, int], t: RetireTxn,
           fail: Callable[[str], None], tag: bool) -> None:
    vmid, table = written
    cores.current[core] = vmid
    score.vttbr_writes += 1
    if vmid == 0:
        return
    score.vmids.add(vmid)
    epochs = cores.epochs[core]
    ep = epochs.get(vmid)
    if ep is None:
        epochs[vmid] = _Epoch(table)
    elif ep.table != table or ep.zeroed:
        why = (f"its table {ep.table:#x} was cleared or unmapped" if ep.table == table
               else f"it had table {ep.table:#x}")
        who, tlb = (f"core {core}: ", "in this core's TLB ") if tag else ("", "")
        fail(f"{who}cycle {t.cycle} pc {t.pc:#010x}: VMID {vmid} given stage-2 table {table:#x} but {why} and "
             f"no TLB invalidation covered VMID {vmid} {tlb}since: a stale translation is possible")
        epochs[vmid] = _Epoch(table)


def _tlbi(score: VmidScore, cores: _Cores, core: int, key: tuple[int, int, int, int]) -> None:
    if key in TLBI_ALL_VMIDS:
        for epochs in cores.reached(core, key):
            epochs.clear()
        score.flushes += 1
    elif key in TLBI_CURRENT_VMID and cores.current[core]:
        for epochs in cores.reached(core, key):       # the broadcast carries the issuer's VMID
            epochs.pop(cores.current[core], None)
        score.flushes += 1


def score_vmids_txns(txns: Iterable[Txn]) -> VmidScore:
    """One core's stream."""
    return score_vmids_cores([txns])


def score_vmids(traces: Sequence[Path] | Path) -> VmidScore:
    """Score a run from its per-core traces (core 0's first; one path: a one-core run)."""
    paths = [traces] if isinstance(traces, Path) else list(traces)
    return score_vmids_cores([read_trace(p) for p in paths])

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
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .models.arm_state import ArchState, Mode
from .models.hsr import decode_coproc
from .trace import RetireTxn, Txn, read_trace, walk

MAX_REPORTED = 10
# (opc1, crn, crm, opc2) of the invalidations that cover non-Hyp entries
TLBI_ALL_VMIDS = {(4, 8, 7, 4), (4, 8, 3, 4)}          # TLBIALLNSNH, TLBIALLNSNHIS
TLBI_CURRENT_VMID = {(0, 8, 7, 0), (0, 8, 3, 0)}       # TLBIALL, TLBIALLIS (from Hyp mode)


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


def score_vmids_txns(txns: Iterable[Txn]) -> VmidScore:
    score = VmidScore()
    epochs: dict[int, _Epoch] = {}
    current = 0

    def fail(msg: str) -> None:
        score.mismatch_count += 1
        if len(score.mismatches) < MAX_REPORTED:
            score.mismatches.append(msg)

    for t, before in walk(iter(txns), ArchState()):
        if not isinstance(t, RetireTxn) or not t.cond_pass:
            continue
        # the trace has virtual addresses: only the hypervisor's own stores (Hyp mode, or the
        # host while VTTBR holds VMID 0; both run with the MMU off, VA = PA) reach its tables
        hyp_side = before.cpsr & 0x1F == Mode.HYP or current == 0
        for beat in t.mem if hyp_side else ():
            # a descriptor's low word overwritten with an invalid entry (bits[1:0] != 0b11):
            # the table is being cleared, freed or unmapped
            if beat.write and beat.addr & 7 == 0 and beat.be & 1 and beat.data & 3 != 3:
                page = beat.addr & ~0xFFF
                for ep in epochs.values():
                    if ep.table & ~0xFFF == page:
                        ep.zeroed = True
        if before.cpsr & 0x1F != Mode.HYP:
            continue
        acc = decode_coproc(t.instr)
        if acc is None or acc.coproc != 15 or acc.read:
            continue
        written = vttbr_write(t.instr, before)
        if written is not None:
            vmid, table = written
            current = vmid
            score.vttbr_writes += 1
            if vmid == 0:
                continue
            score.vmids.add(vmid)
            ep = epochs.get(vmid)
            if ep is None:
                epochs[vmid] = _Epoch(table)
            elif ep.table != table or ep.zeroed:
                why = (f"its table {ep.table:#x} was cleared or unmapped" if ep.table == table
                       else f"it had table {ep.table:#x}")
                fail(f"cycle {t.cycle} pc {t.pc:#010x}: VMID {vmid} given stage-2 table {table:#x} but {why} "
                     f"and no TLB invalidation covered VMID {vmid} since: a stale translation is possible")
                epochs[vmid] = _Epoch(table)
        elif not acc.is64:
            key = (acc.opc1, acc.crn, acc.crm, acc.opc2)
            if key in TLBI_ALL_VMIDS:
                epochs.clear()
                score.flushes += 1
            elif key in TLBI_CURRENT_VMID and current:
                epochs.pop(current, None)
                score.flushes += 1
    return score


def score_vmids(trace: Path) -> VmidScore:
    return score_vmids_txns(read_trace(trace))



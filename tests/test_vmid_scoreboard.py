"""The VMID scoreboard (tb/vmid_scoreboard.py) on hand-made traces: VMIDs reused
only after a TLB flush pass; a reuse without one, with another table or after
the table was zeroed, is reported with the VMID and the tables."""
from __future__ import annotations

from hypsim.models.arm_state import Mode, phys_index
from hypsim.trace import MemBeat, RetireTxn
from hypsim.vmid_scoreboard import score_vmids_txns

MCRR_VTTBR_R0_R1 = 0xEC410F62      # mcrr p15, 6, r0, r1, c2
TLBIALLNSNHIS = 0xEE880F93         # mcr p15, 4, r0, c8, c3, 4
TLBIALL = 0xEE080F17               # mcr p15, 0, r0, c8, c7, 0
R0, R1 = phys_index(Mode.HYP, 0), phys_index(Mode.HYP, 1)


class Trace:
    def __init__(self) -> None:
        self.txns: list[RetireTxn] = []
        self.cycle = 0

    def _retire(self, instr: int, writes=(), mem=(), cpsr_after: int = 0x1DA) -> None:
        self.cycle += 10
        self.txns.append(RetireTxn(self.cycle, 0x4000_0000 + self.cycle, instr, cpsr_after, True,
                                   tuple(writes), tuple(mem)))

    def vttbr(self, vmid: int, table: int) -> None:
        self._retire(0xE1A00000, writes=[(R0, table), (R1, vmid << 16)])   # mov (sets r0/r1)
        self._retire(MCRR_VTTBR_R0_R1)

    def flush(self, instr: int = TLBIALLNSNHIS) -> None:
        self._retire(instr)

    def store(self, addr: int, value: int) -> None:
        self._retire(0xE5801000, mem=[MemBeat(True, addr, 0xF, value)])

    def guest_store(self, addr: int, value: int) -> None:
        self._retire(0xE160006E, cpsr_after=0x1D3)                       # eret into the guest (SVC)
        self._retire(0xE5801000, mem=[MemBeat(True, addr, 0xF, value)], cpsr_after=0x1D3)
        self._retire(0xE1400070, cpsr_after=0x1DA)                       # hvc: back in Hyp


def test_vmids_reused_after_a_generation_flush_pass() -> None:
    t = Trace()
    for gen in range(2):
        for vmid in range(1, 256):
            t.vttbr(vmid, 0x4010_0000 + 0x1000 * (vmid + gen))
            t.vttbr(0, 0)
        t.flush()
    s = score_vmids_txns(t.txns)
    assert s.ok, s.mismatches
    assert (s.vttbr_writes, s.flushes, len(s.vmids)) == (1020, 2, 255)


def test_same_vm_same_table_needs_no_flush() -> None:
    t = Trace()
    t.vttbr(3, 0x4020_0000)
    t.vttbr(0, 0)
    t.vttbr(3, 0x4020_0000)
    assert score_vmids_txns(t.txns).ok


def test_vmid_reused_with_another_table_without_flush_is_reported() -> None:
    t = Trace()
    t.vttbr(1, 0x4010_0000)
    t.vttbr(0, 0)
    t.vttbr(1, 0x4030_0000)
    s = score_vmids_txns(t.txns)
    assert not s.ok
    assert "VMID 1 given stage-2 table 0x40300000 but it had table 0x40100000" in s.mismatches[0]
    assert "stale translation" in s.mismatches[0]


def test_filling_the_table_while_the_vm_lives_is_not_a_reuse() -> None:
    t = Trace()
    t.vttbr(7, 0x4010_0000)
    t.vttbr(0, 0)
    t.store(0x4010_0008, 0x4011_0003)  # a new valid table descriptor (low word) ...
    t.store(0x4010_000C, 0)            # ... whose high word is zero
    t.vttbr(7, 0x4010_0000)
    assert score_vmids_txns(t.txns).ok


def test_a_guest_store_to_the_same_address_is_not_the_host_clearing_a_table() -> None:
    t = Trace()
    t.vttbr(7, 0x4010_0000)            # VMID 7 current: the store below is the guest's, at a guest VA
    t.guest_store(0x4010_0000, 0x4002_E578)
    t.vttbr(0, 0)
    t.vttbr(7, 0x4010_0000)
    assert score_vmids_txns(t.txns).ok


def test_vmid_reused_after_its_table_was_cleared_is_reported() -> None:
    t = Trace()
    t.vttbr(7, 0x4010_0000)
    t.vttbr(0, 0)
    t.store(0x4010_0008, 0)            # the host clears / frees / re-allocates the level-1 table
    t.vttbr(7, 0x4010_0000)
    s = score_vmids_txns(t.txns)
    assert not s.ok and "VMID 7" in s.mismatches[0] and "was cleared or unmapped" in s.mismatches[0]


def test_tlbiall_from_hyp_covers_the_current_vmid_only() -> None:
    t = Trace()
    t.vttbr(1, 0x4010_0000)
    t.vttbr(2, 0x4011_0000)
    t.flush(TLBIALL)                   # VMID 2 is current: only its entries go
    t.vttbr(2, 0x4012_0000)
    t.vttbr(1, 0x4013_0000)
    s = score_vmids_txns(t.txns)
    assert s.mismatch_count == 1 and "VMID 1 " in s.mismatches[0]

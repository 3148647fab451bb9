"""The scoreboards over several cores' traces (hypervisor on two physical cores).

tb/trace.merge_cores/walk_cores merge per-core streams by cycle; the VMID,
world-switch and IRQ scoreboards keep per-core state (the core's TLB, the vCPU
entered there, the host's Hyp-call stack, the GIC CPU interface) and share the
run's (vCPUs, VMs, PSCI on-states, VMID and stage-2 owners).

The two-core streams here are made from a real one-core run of the smp guest
with two vCPUs (Verilator, up to the end of its vCPU ping-pong): every Hyp call
of the host, from its HVC to the return to the host, goes to one core --
__kvm_vcpu_run calls in runs of three per core, so each vCPU exits on one core
and enters on the other (migration) -- the host code between calls to core 0.
That split must score clean, and a host context corrupted across cores (core
1's return to the host finding core 0's host registers: one hyp_host_ctxt
shared by both cores) is caught with a message naming the core, the register,
expected and seen.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hypsim.models.arm_state import Mode, phys_index
from hypsim.run import EXIT_MAX_CYCLES, EXIT_OK
from hypsim.run_guest import GuestOptions, run_guest
from hypsim.models.world_switch import HOST_FIELDS
from hypsim.trace import ContextNames, ContextTxn, ExceptionTxn, RetireTxn, Txn, merge_cores, read_trace, walk_cores
from hypsim.irq_scoreboard import score_injections_cores, score_injections_txns
from hypsim.vmid_scoreboard import score_vmids_cores, score_vmids_txns
from hypsim.world_switch_scoreboard import (GuestRun, score_world_switch, score_world_switch_cores,
                                            score_world_switch_txns)
from hypsim.vmm import read_events
from test_hypervisor import _make
from test_vmid_scoreboard import TLBIALL, TLBIALLNSNHIS, Trace

REPO = Path(__file__).resolve().parent.parent
SMP = REPO / "firmware/build/guests/smp.bin"
GUEST_MEM = 16 << 20
MAX_CYCLES = 450_000      # vCPU 1 first runs at ~0.18 M cycles, the ping-pong ends by ~0.36 M
TLBIALLNSNH = 0xEE880F97   # mcr p15, 4, r0, c8, c7, 4 (this core only)
TLBIALLIS = 0xEE080F13     # mcr p15, 0, r0, c8, c3, 0


# ---- the merge ---------------------------------------------------------------------------

def _r(cycle: int, pc: int, writes: tuple[tuple[int, int], ...] = ()) -> RetireTxn:
    return RetireTxn(cycle, pc, 0xE1A00000, Mode.SVC, True, writes, ())


def test_merge_orders_by_cycle_and_keeps_core_order_on_equal_cycles() -> None:
    c0 = [_r(1, 0x100), _r(5, 0x104), ContextTxn(5, "x", ()), _r(9, 0x108)]
    c1 = [_r(2, 0x200), _r(5, 0x204), _r(5, 0x208), _r(7, 0x20C)]
    got = [(m.core, m.txn.cycle, getattr(m.txn, "pc", None)) for m in merge_cores([c0, c1])]
    assert got == [(0, 1, 0x100), (1, 2, 0x200), (0, 5, 0x104), (0, 5, None), (1, 5, 0x204), (1, 5, 0x208),
                   (1, 7, 0x20C), (0, 9, 0x108)]
    assert [m.txn for m in merge_cores([c0])] == c0 and list(merge_cores([])) == []


def test_walk_cores_replays_each_core_s_registers_on_its_own() -> None:
    r0 = phys_index(Mode.SVC, 0)
    c0 = [_r(1, 0x100, ((r0, 0xA),)), _r(4, 0x104)]
    c1 = [_r(2, 0x200, ((r0, 0xB),)), _r(3, 0x204)]
    seen = [(core, t.pc, st.phys[r0]) for core, t, st in walk_cores([c0, c1])]
    assert seen == [(0, 0x100, 0), (1, 0x200, 0), (1, 0x204, 0xB), (0, 0x104, 0xA)]


# ---- the VMID scoreboard: one TLB per core -------------------------------------------------

def _cores(*steps: tuple[int, str, tuple]) -> list[list[Txn]]:
    """Two cores' hand-made traces from (core, Trace method, args) steps, cycles interleaved."""
    traces = [Trace(), Trace()]
    for tr in traces:
        tr._retire(0xE1A00000)             # a first instruction: the cores are in Hyp mode from here
    for n, (core, what, args) in enumerate(steps, 1):
        tr = traces[core]
        tr.cycle = max(tr.cycle, 20 * n)
        getattr(tr, what)(*args)
    return [tr.txns for tr in traces]


def test_vmid_is_form_reaches_every_core_s_tlb_the_local_form_only_its_own() -> None:
    def run(flush: int) -> list[str]:
        return score_vmids_cores(_cores((1, "vttbr", (5, 0x4010_0000)), (1, "vttbr", (0, 0)),
                                        (0, "flush", (flush,)),
                                        (1, "vttbr", (5, 0x4020_0000)))).mismatches
    assert run(TLBIALLNSNHIS) == []
    bad = run(TLBIALLNSNH)
    assert len(bad) == 1 and bad[0].startswith("core 1: ") and "VMID 5 given stage-2 table 0x40200000" in bad[0]
    assert "in this core's TLB" in bad[0]


def test_vmid_epochs_are_per_core_and_tlbiall_is_broadcasts_the_issuer_s_vmid() -> None:
    # core 0 gave VMID 5 one table, core 1 another: neither core's TLB has the other's entries
    s = score_vmids_cores(_cores((0, "vttbr", (5, 0x4010_0000)), (1, "vttbr", (5, 0x4020_0000))))
    assert s.ok, s.mismatches
    # TLBIALL from Hyp: this core's TLB only; TLBIALLIS: every core's, for the issuer's VMID
    steps = ((1, "vttbr", (5, 0x4010_0000)), (1, "vttbr", (0, 0)), (0, "vttbr", (5, 0x4010_0000)))
    local = score_vmids_cores(_cores(*steps, (0, "flush", (TLBIALL,)), (1, "vttbr", (5, 0x4030_0000))))
    assert local.mismatch_count == 1 and local.mismatches[0].startswith("core 1: ")
    bc = score_vmids_cores(_cores(*steps, (0, "flush", (TLBIALLIS,)), (1, "vttbr", (5, 0x4030_0000))))
    assert bc.ok, bc.mismatches


def test_vmid_a_table_cleared_by_one_core_counts_for_every_core() -> None:
    s = score_vmids_cores(_cores((1, "vttbr", (7, 0x4010_0000)), (1, "vttbr", (0, 0)),
                                 (0, "store", (0x4010_0008, 0)), (1, "vttbr", (7, 0x4010_0000))))
    assert s.mismatch_count == 1 and "core 1: " in s.mismatches[0] and "cleared or unmapped" in s.mismatches[0]


# ---- a real run split over two cores -------------------------------------------------------

@pytest.fixture(scope="module")
def one_core(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GuestRun]:
    """The smp guest with two vCPUs on one core (Verilator), to the end of its ping-pong."""
    _make("hypervisor", "guests")
    work = tmp_path_factory.mktemp("smp1")
    res = run_guest(SMP, GuestOptions(sim="verilator", vcpus=2, max_cycles=MAX_CYCLES, work_dir=work))
    assert res.exit_code in (EXIT_OK, EXIT_MAX_CYCLES), res.message
    assert res.world is not None and res.world.ok and res.world.first_entries >= 2, res.notes
    from hypsim.elf_image import load_elf
    from hypsim.run import RAM_BASE, RAM_MIB
    from hypsim.run_guest import DEFAULT_HYPERVISOR, dtb_ipa
    hyp = load_elf(DEFAULT_HYPERVISOR, RAM_BASE, RAM_MIB << 20)
    return work / "verilator", GuestRun(0x4001_0000, dtb_ipa(GUEST_MEM), GUEST_MEM, dict(hyp.symbols), 2)


def _host_crossing(t: Txn) -> bool:
    return isinstance(t, ContextTxn) and not t["HCR"] & 1


def split(txns: list[Txn], vcpu_run: int) -> tuple[list[list[Txn]], int]:
    """Two cores' streams from one core's: each Hyp call of the host (its exception entry to the
    return to the host) to one core, __kvm_vcpu_run calls in runs of three per core, the rest of
    the calls and the host code between them to core 0. Also: how many times a vCPU entered on
    another core than the one it had exited on."""
    cores: list[list[Txn]] = [[], []]
    core, calls, last_core = 0, 0, {}
    migrations = 0
    in_call = False
    for i, t in enumerate(txns):
        if not in_call and isinstance(t, ExceptionTxn) and i + 1 < len(txns) and _host_crossing(txns[i + 1]) \
                and txns[i + 1].kind == "x":
            call = txns[i + 1]
            in_call = True
            core = 0
            if call["r0"] == vcpu_run:
                core = (calls // 3) % 2
                calls += 1
                obj = call["r1"]
                migrations += obj in last_core and last_core[obj] != core
                last_core[obj] = core
        cores[core if in_call else 0].append(t)
        if in_call and _host_crossing(t) and t.kind == "e":
            in_call = False
    return cores, migrations


def _with(s: ContextTxn, **values: int) -> ContextTxn:
    vals = list(s.values)
    for name, v in values.items():
        vals[s.names.pos[name]] = v
    return ContextTxn(s.cycle, s.kind, tuple(vals), s.names)


CORE1_SP = 0x1000            # core 1's host runs on its own stack: sp_svc this far below core 0's


def _own_host_stack(stream: list[Txn]) -> list[Txn]:
    """Core 1's host snapshots with a host stack of its own (as a second core's host has)."""
    return [_with(t, sp_svc=t["sp_svc"] - CORE1_SP) if _host_crossing(t) else t for t in stream]


@pytest.fixture(scope="module")
def two_cores(one_core: tuple[Path, GuestRun]) -> tuple[list[list[Txn]], GuestRun, list[dict]]:
    d, run = one_core
    cores, migrations = split(list(read_trace(d / "trace.txt")), run.symbols["__kvm_vcpu_run"])
    assert migrations >= 2 and sum(isinstance(t, ContextTxn) for t in cores[1]) >= 8, migrations
    cores[1] = _own_host_stack(cores[1])
    return cores, run, read_events(d / "vmm-events.jsonl")


def test_migrating_vcpus_on_two_cores_score_clean(two_cores, one_core) -> None:
    cores, run, events = two_cores
    d, _ = one_core
    one = score_world_switch_txns(read_trace(d / "trace.txt"), run, events)
    two = score_world_switch_cores(cores, run, events)
    assert two.ok, two.mismatches
    assert (two.entries, two.first_entries, two.host_returns, two.exits) == \
        (one.entries, one.first_entries, one.host_returns, one.exits)
    vmid = score_vmids_cores(cores)
    assert vmid.ok and vmid.vttbr_writes == score_vmids_txns(read_trace(d / "trace.txt")).vttbr_writes, vmid.mismatches
    irq1 = score_injections_txns(read_trace(d / "trace.txt"), events, 2)
    irq2 = score_injections_cores(cores, events, 2)
    assert irq2.ok, irq2.mismatches
    assert (irq2.entries, irq2.acks, irq2.eois, len(irq2.injections)) == \
        (irq1.entries, irq1.acks, irq1.eois, len(irq1.injections))


def test_one_path_and_a_list_of_one_path_score_alike(one_core) -> None:
    d, run = one_core
    a = score_world_switch(d / "trace.txt", run, d / "vmm-events.jsonl")
    b = score_world_switch([d / "trace.txt"], run, d / "vmm-events.jsonl")
    assert a == b and a.ok


def test_host_context_shared_between_cores_is_caught(two_cores) -> None:
    """Core 1's return from __kvm_vcpu_run finds the host registers core 0 had at its last HVC:
    what a hypervisor with one hyp_host_ctxt for both cores gives when core 0 saved last."""
    cores, run, events = two_cores
    vcpu_run = run.symbols["__kvm_vcpu_run"]
    last0: ContextTxn | None = None
    stream1 = list(cores[1])
    hvcs0 = sorted((t for t in cores[0] if _host_crossing(t) and t.kind == "x"), key=lambda t: t.cycle)
    hvc1: ContextTxn | None = None
    for i, t in enumerate(stream1):
        if not _host_crossing(t):
            continue
        if t.kind == "x":
            hvc1 = t
            continue
        before = [h for h in hvcs0 if h.cycle < t.cycle]
        if hvc1 is None or hvc1["r0"] != vcpu_run or not before:
            continue
        last0 = before[-1]
        stream1[i] = _with(t, **{n: last0[n] for n in ("r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "sp_svc",
                                                       "lr_svc")})
        break
    assert last0 is not None and hvc1 is not None
    score = score_world_switch_cores([cores[0], stream1], run, events)
    assert not score.ok
    msg = score.mismatches[0]
    want = (f"core 1: return to the host at cycle {stream1[i].cycle} to PC {stream1[i]['elr_hyp']:#010x} "
            f"after Hyp call __kvm_vcpu_run (HVC at cycle {hvc1.cycle}): host sp_svc expected "
            f"{hvc1['sp_svc']:#010x} seen {last0['sp_svc']:#010x}")
    assert any(m == want for m in score.mismatches), score.mismatches
    assert all(m.startswith("core 1: return to the host") for m in score.mismatches), score.mismatches
    assert msg.startswith("core 1: ")


# ---- overlapping Hyp calls on two cores (hand-made snapshots) -------------------------------

HOST_NAMES = ContextNames(("r0", "r1", "elr_hyp", "spsr_hyp", "cpsr")
                          + tuple(n for n in HOST_FIELDS if n not in ("pc", "cpsr_nf")))


def _host_snap(cycle: int, kind: str, fn: int, sp: int) -> ContextTxn:
    """The host at an HVC ("x") or at the return from it ("e"): SVC mode, its stack at `sp`."""
    vals = dict.fromkeys(HOST_NAMES, 0)
    vals.update(r0=fn, elr_hyp=0x4000_1000, spsr_hyp=Mode.SVC, cpsr=Mode.HYP if kind == "x" else Mode.SVC,
                sp_svc=sp)
    return ContextTxn(cycle, kind, tuple(vals[n] for n in HOST_NAMES), HOST_NAMES)


def test_overlapping_hyp_calls_return_to_each_core_s_own_host() -> None:
    """Core 0 is in a Hyp call while core 1 makes and ends one: each return is scored against its
    own core's HVC (one stack for both would pair core 0's return with core 1's call)."""
    run = GuestRun(0x4001_0000, 0x4080_0000, GUEST_MEM, {"__kvm_flush_vm_context": 0x100})
    # core 0 calls, core 1 calls, core 0 returns, core 1 returns: not nested, so not one stack
    c0 = [_host_snap(10, "x", 0x100, 0x4100_0000), _host_snap(30, "e", 0x100, 0x4100_0000)]
    c1 = [_host_snap(20, "x", 0x100, 0x4200_0000), _host_snap(50, "e", 0x100, 0x4200_0000)]
    ok = score_world_switch_cores([c0, c1], run)
    assert ok.ok and ok.host_returns == 2, ok.mismatches
    # core 0 comes back with the stack core 1 saved last (one shared host context)
    bad = score_world_switch_cores([[c0[0], _host_snap(30, "e", 0x100, 0x4200_0000)], c1], run)
    assert bad.mismatches == ["core 0: return to the host at cycle 30 to PC 0x40001000 after Hyp call "
                              "__kvm_flush_vm_context (HVC at cycle 10): host sp_svc expected 0x41000000 "
                              "seen 0x42000000"]


def test_one_vcpu_entered_on_two_cores_at_once_is_caught(two_cores) -> None:
    """Core 1 enters the vCPU core 0 is running (its host called __kvm_vcpu_run on the same
    vCPU object): a host without a lock per vCPU."""
    cores, run, events = two_cores
    vcpu_run = run.symbols["__kvm_vcpu_run"]
    c0 = cores[0]
    n = next(i for i, t in enumerate(c0) if isinstance(t, ContextTxn) and t.kind == "e" and t["HCR"] & 1
             and any(isinstance(u, ContextTxn) and u.kind == "x" and u["HCR"] & 1 for u in c0[i + 1:]))
    entry = c0[n]
    call = next(t for t in reversed(c0[:n]) if _host_crossing(t) and t.kind == "x")
    assert call["r0"] == vcpu_run
    exit_cycle = next(t.cycle for t in c0[n + 1:] if isinstance(t, ContextTxn) and t.kind == "x")
    assert exit_cycle > entry.cycle + 2
    twin = [ContextTxn(entry.cycle + 1, "x", call.values, call.names),
            ContextTxn(entry.cycle + 2, "e", entry.values, entry.names)]
    c1 = [t for t in cores[1] if t.cycle <= entry.cycle] + twin + [t for t in cores[1] if t.cycle > entry.cycle]
    score = score_world_switch_cores([c0, c1], run, events)
    want = f"core 1: entry at cycle {entry.cycle + 2} to guest PC {entry['elr_hyp']:#010x}"
    hits = [m for m in score.mismatches if m.startswith(want) and "while it runs on core 0" in m]
    assert hits and f"(entered there at cycle {entry.cycle})" in hits[0], score.mismatches

"""The interrupt-injection model (tb/models/vgic.py VgicModel) and its trace scoreboard
(tb/irq_scoreboard.py).

* the model on hand-made event sequences: priority order with more owed than
  the 4 LRs, a level line re-delivered after its EOI, an edge delivered exactly
  once, a PPI for the wrong vCPU, a dropped line taken back, an active LR
  overwritten, the KVM_IRQ_LINE CPU line in HCR.VI;
* the scoreboard on real `run-guest` runs of the guests that take interrupts
  (0 mismatches, every injection through an LR and acknowledged; irq and uart,
  the others under make sim), a short assembly guest with seven interrupts for
  the four LRs on Verilator and Icarus, and mutated copies of a real trace or
  VMM log, one check each, every message naming the fault;
* a hypervisor built with FAULT(LR_OVERWRITE_ACTIVE) (firmware/host/vgic.c)
  stopped with exit 3 and the scoreboard's message, and one built with
  FAULT(TIMER_NO_LOWER) (firmware/host/timer.c) caught.

The RTL runs are shared by every test (and pytest-xdist worker) of a session.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Callable

import pytest

from hypsim.irq_scoreboard import IrqScore, score_injections
from hypsim.models.gic_regs import HCR_EN, HCR_UIE, LrState, lr_encode
from hypsim.models.vgic import KvmIrqLineError, KvmIrqType, VgicModel, encode_kvm_irq_line
from hypsim.run import EXIT_DIVERGED, EXIT_OK
from hypsim.run_guest import GuestOptions, run_guest

from test_hypervisor import _asm_guest, _make

REPO = Path(__file__).resolve().parent.parent
FIRMWARE = REPO / "firmware"
GUESTS = FIRMWARE / "build/guests"
LONG = bool(os.environ.get("HYPSIM_ALL_GUESTS"))
SIMS = os.environ.get("HYPSIM_SIMS", "icarus,verilator").split(",")
needs_verilator = pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")

SPI = KvmIrqType.SPI
FREE = 0


# ---------------------------------------------------------------------------------- the model
def _model(nr_vcpus: int = 1) -> VgicModel:
    m = VgicModel(vm=0, nr_vcpus=nr_vcpus)
    m.dist_write(0, 0x000, 1)                      # GICD_CTLR.Enable
    return m


def _enable(m: VgicModel, intid: int, prio: int, vcpu: int = 0) -> None:
    m.dist_write(vcpu, 0x100 + 4 * (intid // 32), 1 << (intid % 32))
    word = 0x400 + (intid & ~3)
    m.dist_write(vcpu, word, prio << (8 * (intid % 4)), be=1 << (intid % 4))


def _lr(m: VgicModel, intid: int, vcpu: int = 0) -> int:
    return m.expected_lr(vcpu, intid)


def test_priority_order_with_more_owed_than_list_registers() -> None:
    m = _model()
    prios = {33: 0xa0, 34: 0x20, 35: 0x80, 36: 0x40, 37: 0x60, 38: 0x40}
    for i, p in prios.items():
        _enable(m, i, p)
        m.irq_line(encode_kvm_irq_line(SPI, 0, i), 1, cycle=100 + i)
    assert m.candidates(0) == [34, 36, 38, 37, 35, 33]          # priority, then ID
    wrong = [_lr(m, i) for i in (34, 36, 38, 33)]               # 33 (0xa0) instead of 37 (0x60)
    bad = m.entry(0, wrong, HCR_EN | HCR_UIE, cycle=1000)
    assert any("interrupt 33 (priority 0xa0) delivered while interrupt 37 (priority 0x60) waits" in b
               for b in bad), bad
    m = _model()
    for i, p in prios.items():
        _enable(m, i, p)
        m.irq_line(encode_kvm_irq_line(SPI, 0, i), 1, cycle=100 + i)
    good = [_lr(m, i) for i in (34, 36, 38, 37)]
    assert m.entry(0, good, HCR_EN | HCR_UIE, cycle=1000) == []
    # the same LRs without UIE: two wait, the maintenance interrupt must be asked for
    m2 = _model()
    for i, p in prios.items():
        _enable(m2, i, p)
        m2.irq_line(encode_kvm_irq_line(SPI, 0, i), 1)
    bad = m2.entry(0, good, HCR_EN, cycle=1000)
    assert any("GICH_HCR.UIE = 0, expected 1 (2 interrupts wait" in b for b in bad), bad
    # the guest EOIs 34 and 36: the next entry must bring 35 and 33 (the rest stay), UIE off
    m.irq_line(encode_kvm_irq_line(SPI, 0, 34), 0)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 36), 0)
    eoied = [lr & ~(1 << 28) for lr in good[:2]] + good[2:]
    m.exit(0, eoied, cycle=2000)
    nxt = [_lr(m, 35), _lr(m, 33), good[2], good[3]]
    assert m.entry(0, nxt, HCR_EN, cycle=3000) == []
    assert sorted(i.intid for i in m.injections if i.lr_cycle == 3000) == [33, 35]


def test_level_line_still_high_after_eoi_is_delivered_again() -> None:
    m = _model()
    _enable(m, 33, 0x80)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 1, cycle=10, pc=0x4001_0000)
    lr = _lr(m, 33)
    assert lr == lr_encode(33, 0x10, LrState.PENDING, eoi=True)   # level: EOI maintenance bit
    assert m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=100) == []
    m.guest_ack(0, 33, 150, 0x4001_0100)
    m.guest_eoi(0, 33, 180, 0x4001_0104)
    m.exit(0, [lr & ~(3 << 28), FREE, FREE, FREE], cycle=200)     # EOIed, line still high
    bad = m.entry(0, [FREE] * 4, HCR_EN, cycle=300)
    assert any("interrupt 33 is owed, asserted at cycle 180 (level after EOI)" in b and "GICH_LR0 is free" in b
               for b in bad), bad
    m = _model()
    _enable(m, 33, 0x80)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 1, cycle=10)
    m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=100)
    m.guest_ack(0, 33, 150, 0)
    m.guest_eoi(0, 33, 180, 0)
    m.exit(0, [lr & ~(3 << 28), FREE, FREE, FREE], cycle=200)
    assert m.entry(0, [FREE, lr, FREE, FREE], HCR_EN, cycle=300) == []
    assert [(i.source, i.asserted, i.lr_cycle) for i in m.injections] == [
        ("KVM_IRQ_LINE", 10, 100), ("level after EOI", 180, 300)]


def test_edge_is_delivered_exactly_once_per_assertion() -> None:
    m = _model()
    _enable(m, 5, 0xa0)
    m.dist_write(0, 0xF00, (2 << 24) | 5, cycle=50, pc=0x4001_0200)   # GICD_SGIR: SGI 5 to itself
    m.dist_write(0, 0xF00, (2 << 24) | 5, cycle=60)                   # again while pending: one state
    lr = _lr(m, 5)
    assert lr == lr_encode(5, 0x14, LrState.PENDING)                  # edge: no EOI bit
    assert m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=100) == []
    m.guest_ack(0, 5, 120, 0)
    m.exit(0, [lr & ~(3 << 28), FREE, FREE, FREE], cycle=200)
    bad = m.entry(0, [FREE, lr, FREE, FREE], HCR_EN, cycle=300)       # a second delivery
    assert any("delivers interrupt 5, which is not owed to this vCPU (it is not pending: no edge since its last "
               "delivery)" in b for b in bad), bad
    assert len(m.injections) == 1 and m.injections[0].asserted == 50


def test_interrupt_for_another_vcpu_is_not_delivered_here() -> None:
    m = _model(nr_vcpus=2)
    _enable(m, 20, 0x80, vcpu=1)
    m.irq_line(encode_kvm_irq_line(KvmIrqType.PPI, 1, 20), 1, cycle=10)
    lr = lr_encode(20, 0x10, LrState.PENDING, eoi=True)
    bad = m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=100)
    assert any("VM 0 vCPU 0: GICH_LR0 = 0x18080014 delivers interrupt 20, which is not owed to this vCPU" in b
               for b in bad), bad
    assert m.entry(1, [lr, FREE, FREE, FREE], HCR_EN, cycle=100) == []
    with pytest.raises(KvmIrqLineError, match="vcpu_index 2 >= 2 vCPUs"):
        m.irq_line(encode_kvm_irq_line(KvmIrqType.PPI, 2, 20), 1)


def test_line_lowered_before_acknowledge_is_taken_back() -> None:
    m = _model()
    _enable(m, 33, 0x80)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 1, cycle=10)
    lr = _lr(m, 33)
    m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=100)
    m.exit(0, [lr, FREE, FREE, FREE], cycle=200)                       # not acknowledged
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 0, cycle=250)
    bad = m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=300)
    assert any("GICH_LR0 still offers interrupt 33 pending" in b and "but its line is low: expected it taken back"
               in b for b in bad), bad
    m = _model()
    _enable(m, 33, 0x80)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 1, cycle=10)
    m.entry(0, [lr, FREE, FREE, FREE], HCR_EN, cycle=100)
    m.exit(0, [lr, FREE, FREE, FREE], cycle=200)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 0, cycle=250)
    assert m.entry(0, [FREE] * 4, HCR_EN, cycle=300) == []
    assert m.withdrawn == 1 and m.injections[0].withdrawn == 300
    # lowered before it ever reached an LR: nothing owed, nothing to deliver
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 1, cycle=400)
    m.irq_line(encode_kvm_irq_line(SPI, 0, 33), 0, cycle=410)
    assert m.entry(0, [FREE] * 4, HCR_EN, cycle=500) == [] and m.withdrawn == 2


def test_active_list_register_must_not_be_overwritten() -> None:
    m = _model()
    _enable(m, 27, 0xa0)
    _enable(m, 30, 0xa0)
    m.set_line(0, 27, True, cycle=10, source="timer")
    lr27 = _lr(m, 27)
    m.entry(0, [lr27, FREE, FREE, FREE], HCR_EN, cycle=100)
    m.guest_ack(0, 27, 150, 0x4001_0300)
    m.exit(0, [(lr27 & ~(3 << 28)) | (LrState.ACTIVE << 28), FREE, FREE, FREE], cycle=200)
    m.set_line(0, 30, True, cycle=210, source="timer")
    lr30 = _lr(m, 30)
    bad = m.entry(0, [lr30, FREE, FREE, FREE], HCR_EN, cycle=300)
    assert any("GICH_LR0 held interrupt 27 active (acknowledged by the guest at cycle 150 pc 0x40010300), the "
               f"hypervisor overwrote it with {lr30:#010x} (ID 30, pending" in b for b in bad), bad


def test_cpu_irq_line_is_hcr_vi() -> None:
    m = _model()
    m.irq_line(encode_kvm_irq_line(KvmIrqType.CPU, 0, 0), 1)
    assert any("HCR.VI = 0 at entry, expected 1" in b for b in m.entry(0, [FREE] * 4, HCR_EN, hcr_vi=False))
    assert m.entry(0, [FREE] * 4, HCR_EN, hcr_vi=True, hcr_vf=False) == []


# ---------------------------------------------------------------- real runs: 0 mismatches
@pytest.fixture(scope="module")
def built() -> Path:
    _make("hypervisor", "guests")
    return GUESTS


def _shared_dir(tmp: pytest.TempPathFactory) -> Path:
    """A directory every pytest-xdist worker of this session sees (make test runs -n 2)."""
    base = tmp.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _cached(tmp: pytest.TempPathFactory, key: str, run: Callable[[Path], Path]) -> Path:
    """`run(work)` once per session, whichever worker asks first; its run directory."""
    root = _shared_dir(tmp) / "irq-runs"
    root.mkdir(exist_ok=True)
    work = root / key
    with open(root / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{key}.done"
        if not done.exists():
            done.write_text(str(run(work)))
        return Path(done.read_text())


def _rtl_run(built: Path, name: str, tmp: pytest.TempPathFactory, sim: str = "verilator") -> tuple[IrqScore, Path]:
    """One run-guest run per guest and session: its IRQ score (read again) and run directory."""
    def run(work: Path) -> Path:
        res = run_guest(built / f"{name}.bin", GuestOptions(sim=sim, max_cycles=60_000_000, work_dir=work))
        assert res.exit_code == EXIT_OK, res.message
        assert res.irq is not None and any(n.startswith("irq scoreboard:") for n in res.notes)
        return work / sim
    d = _cached(tmp, f"{name}-{sim}", run)
    return score_injections(d / "trace.txt", d / "vmm-events.jsonl"), d


# irq and uart also feed the mutation tests below; every guest's run-guest test in
# test_hypervisor.py is scored too (exit 3 on a mismatch), so the rest only under make sim
REAL = ("irq", "uart", "mmuirq") + (("ptimer", "psci", "bench") if LONG else ())
# what each guest must show: injections by source (the guests' own counts, see firmware/guests)
WANT = {"irq": {"timer": 3, "GICD_SGIR": 1, "GICD_ISENABLER": 1},
        "uart": {"KVM_IRQ_LINE": 2}, "ptimer": {"timer": 5}, "bench": {"GICD_SGIR": 3}, "psci": {"timer": 1},
        "mmuirq": {"timer": 2, "GICD_SGIR": 1}}


@needs_verilator
@pytest.mark.parametrize("name", REAL)
def test_guests_that_take_interrupts_score_clean(name: str, built: Path, tmp_path_factory) -> None:
    score, _ = _rtl_run(built, name, tmp_path_factory)
    assert score.ok, score.mismatches
    assert score.by_source == WANT[name], score.summary()
    taken = [i for i in score.injections if i.withdrawn is None]
    assert taken and all(i.lr_cycle is not None and i.ack_cycle is not None and i.eoi_cycle is not None
                         for i in taken), score.summary()
    assert all(0 < i.to_lr < 20_000 for i in score.injections if i.to_lr is not None), score.summary()
    if name == "uart":                     # the line raised and dropped while masked: taken back
        assert score.withdrawn == 1
    print(score.summary())


@needs_verilator
def test_gicv_accesses_through_a_non_identity_stage_1_are_recognised_by_their_pa(
        built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """mmuirq (stage 1 on, GICC only at VA 0x7fe00000): its GICV_IAR/EOIR beats carry the GICV
    PA in the trace and are scored. Without the PA field (the trace as before it: VA only) they
    are not recognised, and the GICH state the hypervisor reads back disagrees with the model."""
    score, d = _rtl_run(built, "mmuirq", tmp_path_factory)
    assert score.ok and score.acks == 3 and score.eois == 3, score.summary()
    lines = (d / "trace.txt").read_text(encoding="ascii").splitlines(keepends=True)
    gicv = [ln for ln in lines if ln.startswith("M ") and ln.split()[2].startswith("7fe0")]
    assert gicv and all(len(ln.split()) == 6 and ln.split()[5].startswith("0804") for ln in gicv), gicv[:4]
    va_only = _mutate(d / "trace.txt", tmp_path / "t.txt",
                      lambda ls: [" ".join(ln.split()[:5]) + "\n" if ln.startswith("M ") else ln for ln in ls])
    blind = score_injections(va_only, d / "vmm-events.jsonl")
    assert blind.acks == 0 and not blind.ok, blind.summary()
    assert any("the guest's acknowledge of 27 is missing" in m or "GICH_VMCR read" in m
               for m in blind.mismatches), blind.mismatches


PRIO_GUEST = """
    adr   r0, vectors
    mcr   p15, 0, r0, c12, c0, 0       @ VBAR
    ldr   r4, =0x08000000              @ GICD (emulated by the host)
    ldr   r5, =0x08010000              @ GICC (the GICV frame)
    mov   r0, #1
    str   r0, [r4]                     @ GICD_CTLR
    mov   r0, #0xf0
    str   r0, [r5, #4]                 @ GICC_PMR
    mov   r0, #1
    str   r0, [r5]                     @ GICC_CTLR
    ldr   r0, =0x60a08000              @ GICD_IPRIORITYR0: SGI 1 0x80, 2 0xa0, 3 0x60
    str   r0, [r4, #0x400]
    ldr   r0, =0x30504020              @ GICD_IPRIORITYR1: SGI 4 0x20, 5 0x40, 6 0x50
    str   r0, [r4, #0x404]
    mov   r0, #(1 << 27)
    str   r0, [r4, #0x100]             @ GICD_ISENABLER0: the virtual timer (priority 0)
    mov   r0, #300
    mcr   p15, 0, r0, c14, c3, 0       @ CNTV_TVAL
    mov   r0, #1
    mcr   p15, 0, r0, c14, c3, 1       @ CNTV_CTL: enabled
    isb
    mov   r7, #1
2:  ldr   r0, =0x02000000              @ GICD_SGIR: SGIs 1-6 to itself, 6 pending for 4 LRs
    orr   r0, r0, r7
    str   r0, [r4, #0xf00]
    add   r7, r7, #1
    cmp   r7, #7
    blt   2b
    mov   r6, #0
    mov   r8, #0
1:  wfi
    cpsie i
    isb
    cpsid i
    cmp   r6, #8
    blt   1b
    ldr   r0, =0x84000008              @ PSCI SYSTEM_OFF
    hvc   #0
    .balign 32
vectors:
    b .; b .; b .; b .; b .; b .
    ldr   r0, [r5, #0xc]               @ +0x18 IRQ: GICV_IAR
    ubfx  r1, r0, #0, #10              @ the interrupt ID
    cmp   r1, #27
    bne   3f
    add   r8, r8, #1                   @ the timer's deliveries
    cmp   r8, #2
    movge r2, #0
    mcrge p15, 0, r2, c14, c3, 1       @ the timer off at its second: the first EOI leaves its level high
3:  add   r6, r6, #1
    str   r0, [r5, #0x10]              @ GICV_EOIR
    subs  pc, lr, #4
"""


def _prio_run(built: Path, tmp: pytest.TempPathFactory, sim: str) -> tuple[IrqScore, Path]:
    """PRIO_GUEST: SGIs 1-6 at six priorities and the virtual timer, 7 pending for 4 LRs; the timer's
    first EOI leaves its level high, so it must come again."""
    def run(work: Path) -> Path:
        work.mkdir(parents=True, exist_ok=True)
        img = _asm_guest(work, PRIO_GUEST)
        res = run_guest(img, GuestOptions(sim=sim, max_cycles=2_000_000, work_dir=work / "rtl"))
        assert res.exit_code == EXIT_OK, res.message
        return work / "rtl" / sim
    d = _cached(tmp, f"prio-{sim}", run)
    return score_injections(d / "trace.txt", d / "vmm-events.jsonl"), d


@pytest.mark.icarus_in_make_sim
@pytest.mark.parametrize("rtl_sim", [s for s in ("verilator", "icarus") if s in SIMS])
def test_more_pending_than_list_registers_in_priority_order(rtl_sim: str, built: Path, tmp_path_factory) -> None:
    """Seven interrupts for four LRs: the hypervisor fills them by priority, asks for the underflow
    maintenance interrupt (UIE) while some wait and refills; the timer, EOIed with its level still
    high, is delivered again; every step checked by the model (on Icarus too: ~125,000 cycles)."""
    score, d = _prio_run(built, tmp_path_factory, rtl_sim)
    assert score.ok, score.mismatches
    assert score.by_source == {"GICD_SGIR": 6, "timer": 1, "level after EOI": 1}, score.summary()
    assert score.acks == 8 and score.eois == 8 and score.maintenance_exits >= 3, score.summary()
    again = next(i for i in score.injections if i.source == "level after EOI")
    assert again.intid == 27 and again.lr_cycle is not None and again.ack_cycle is not None
    trace = (d / "trace.txt").read_text()
    assert "M w 08030000 f 00000003" in trace            # GICH_HCR = En | UIE: some waited for an LR
    print(score.summary())


# ------------------------------------------------------------ mutated traces: each check fires
def _mutate(src: Path, dst: Path, edit) -> Path:
    lines = src.read_text(encoding="ascii").splitlines(keepends=True)
    dst.write_text("".join(edit(lines)), encoding="ascii")
    return dst


def _drop_first(pred):
    def edit(lines: list[str]) -> list[str]:
        for n, line in enumerate(lines):
            if pred(line):
                return lines[:n] + lines[n + 1:]
        raise AssertionError("nothing to mutate")
    return edit


@needs_verilator
def test_dropped_lr_write_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    _, d = _rtl_run(built, "irq", tmp_path_factory)
    bad = _mutate(d / "trace.txt", tmp_path / "t.txt",
                  _drop_first(lambda l: l.startswith("M w 08030100 f 1a000005")))   # LR0 <- SGI 5
    score = score_injections(bad, d / "vmm-events.jsonl")
    assert not score.ok
    assert any("interrupt 5 is owed, asserted at cycle" in m and "(GICD_SGIR) but not in any list register although "
               "GICH_LR0 is free: expected it delivered at this entry" in m for m in score.mismatches), score.mismatches


@needs_verilator
def test_dropped_eoi_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    _, d = _rtl_run(built, "irq", tmp_path_factory)
    bad = _mutate(d / "trace.txt", tmp_path / "t.txt",
                  _drop_first(lambda l: l.startswith("M w 08010010 f 0000001b")))   # GICV_EOIR 27
    score = score_injections(bad, d / "vmm-events.jsonl")
    assert any("GICH_LR0 read 0x0a08001b (ID 27, invalid, priority 0xa0, EOI), the GICv2 model says 0x2a08001b "
               "(ID 27, active, priority 0xa0, EOI): the guest's EOI of 27 is missing" in m
               for m in score.mismatches), score.mismatches


@needs_verilator
def test_wrong_acknowledge_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    _, d = _rtl_run(built, "irq", tmp_path_factory)

    def edit(lines: list[str]) -> list[str]:
        n = next(i for i, l in enumerate(lines) if l.startswith("M r 0801000c f 0000001b"))
        return lines[:n] + ["M r 0801000c f 0000001e\n"] + lines[n + 1:]     # IAR says 30, not 27
    score = score_injections(_mutate(d / "trace.txt", tmp_path / "t.txt", edit), d / "vmm-events.jsonl")
    assert any("GICV_IAR read 0x0000001e, the GICv2 model says 0x0000001b" in m for m in score.mismatches), \
        score.mismatches
    assert any("acknowledged interrupt 30 (GICV_IAR) but no list register had it pending" in m
               for m in score.mismatches), score.mismatches


@needs_verilator
def test_timer_never_armed_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """The guest's CNTV_CTL write (ENABLE) dropped from the trace: its timer never fires, so the
    hypervisor's injection of 27 is one the guest was not owed."""
    _, d = _rtl_run(built, "irq", tmp_path_factory)

    def edit(lines: list[str]) -> list[str]:
        # the first guest `mcr p15, 0, r?, c14, c3, 1` (CNTV_CTL) outside Hyp mode, with its register writes
        for n, l in enumerate(lines):
            p = l.split()
            if p[0] == "R" and int(p[3], 16) & 0x0FFF0FFF == 0x0E0E0F33 and int(p[4], 16) & 0x1F != 0x1A:
                return lines[:n] + lines[n + 1:]
        raise AssertionError("no guest CNTV_CTL write")
    score = score_injections(_mutate(d / "trace.txt", tmp_path / "t.txt", edit), d / "vmm-events.jsonl")
    assert any("delivers interrupt 27, which is not owed to this vCPU (it is not pending: its line is low)" in m
               for m in score.mismatches), score.mismatches
    assert any("the world switch saved CNTV_CTL = 0x1" in m and "the guest's own writes give 0x0 (timer model)" in m
               for m in score.mismatches), score.mismatches


@needs_verilator
def test_missing_kvm_irq_line_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """The VMM's raise of the UART's SPI 33 removed from vmm-events.jsonl: the hypervisor's LR
    then delivers an interrupt nobody asserted."""
    _, d = _rtl_run(built, "uart", tmp_path_factory)
    out = []
    dropped = False
    for line in (d / "vmm-events.jsonl").read_text().splitlines():
        ev = json.loads(line)
        if not dropped and ev.get("answer", {}).get("irq") == [[0x0100_0021, 1]]:
            ev["answer"]["irq"] = []
            dropped = True
        out.append(json.dumps(ev))
    assert dropped
    (tmp_path / "ev.jsonl").write_text("\n".join(out) + "\n")
    score = score_injections(d / "trace.txt", tmp_path / "ev.jsonl")
    assert any("delivers interrupt 33, which is not owed to this vCPU (it is not pending: its line is low)" in m
               for m in score.mismatches), score.mismatches


@needs_verilator
def test_missing_maintenance_cause_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """The EOI maintenance cause (MISR.EOI after the guest's EOI of a level interrupt with LR.EOI)
    read back as 0: the RTL's maintenance state disagrees with the GICv2 model."""
    _, d = _rtl_run(built, "irq", tmp_path_factory)

    def edit(lines: list[str]) -> list[str]:
        n = next(i for i, l in enumerate(lines) if l.startswith("M r 08030010 f 00000001"))
        return lines[:n] + ["M r 08030010 f 00000000\n"] + lines[n + 1:]
    score = score_injections(_mutate(d / "trace.txt", tmp_path / "t.txt", edit), d / "vmm-events.jsonl")
    assert any("GICH_MISR read 0x00000000, the GICv2 model says 0x00000001 (EOI expected, none seen)" in m
               for m in score.mismatches), score.mismatches


@needs_verilator
def test_late_maintenance_interrupt_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """The guest's IRQ exit after its EOI of the timer (LR.EOI: a maintenance interrupt) moved
    1,000 cycles later: the maintenance interrupt did not stop the guest when the model raised it."""
    _, d = _rtl_run(built, "irq", tmp_path_factory)

    def edit(lines: list[str]) -> list[str]:
        n = next(i for i, l in enumerate(lines) if l.startswith("M w 08010010 f 0000001b"))   # GICV_EOIR 27
        x = next(i for i in range(n, len(lines)) if lines[i].startswith("X "))
        p = lines[x].split()
        p[1] = str(int(p[1]) + 1000)
        return lines[:x] + [" ".join(p) + "\n"] + lines[x + 1:]
    score = score_injections(_mutate(d / "trace.txt", tmp_path / "t.txt", edit), d / "vmm-events.jsonl")
    assert any("raised the maintenance interrupt at cycle" in m and "(MISR 0x1) but the guest ran on for 100" in m
               and "expected an IRQ exit within 64 cycles" in m for m in score.mismatches), score.mismatches


@needs_verilator
def test_wrong_priority_choice_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """The refill of GICH_LR0 with SGI 4 (priority 0x20) changed to SGI 5 (0x40) while 4 waits."""
    _, d = _prio_run(built, tmp_path_factory, "verilator")

    def edit(lines: list[str]) -> list[str]:
        n = next(i for i, l in enumerate(lines) if l.startswith("M w 08030100 f 12000004"))
        return lines[:n] + ["M w 08030100 f 14000005\n"] + lines[n + 1:]
    score = score_injections(_mutate(d / "trace.txt", tmp_path / "t.txt", edit), d / "vmm-events.jsonl")
    assert any("priority order: interrupt 5 (priority 0x40) delivered while interrupt 4 (priority 0x20) waits: "
               "expected 4 first" in m for m in score.mismatches), score.mismatches


@needs_verilator
def test_missing_redelivery_of_a_level_still_high_is_caught(built: Path, tmp_path_factory, tmp_path: Path) -> None:
    """The LR write that brings the timer back after its first EOI (its level still high) dropped."""
    _, d = _prio_run(built, tmp_path_factory, "verilator")

    def edit(lines: list[str]) -> list[str]:
        eoi = next(i for i, l in enumerate(lines) if l.startswith("M w 08010010 f 0000001b"))
        n = next(i for i in range(eoi, len(lines)) if lines[i].startswith("M w 08030100 f 1008001b"))
        return lines[:n] + lines[n + 1:]
    score = score_injections(_mutate(d / "trace.txt", tmp_path / "t.txt", edit), d / "vmm-events.jsonl")
    assert any("interrupt 27 is owed, asserted at cycle" in m and "(level after EOI) but not in any list register "
               "although GICH_LR0 is free" in m for m in score.mismatches), score.mismatches


# ------------------------------------------------------------------ the broken hypervisor
@needs_verilator
def test_scoreboard_stops_a_hypervisor_that_overwrites_an_active_lr(built: Path, tmp_path: Path) -> None:
    """FAULT(LR_OVERWRITE_ACTIVE): vgic_flush hands out LRs the guest has acknowledged. The uart
    guest's handler reads UARTMIS (an MMIO exit) while SPI 33 is active: that LR is lost."""
    bad = tmp_path / "fw"
    _make("hypervisor", f"B={bad}", "HYP_FAULT=LR_OVERWRITE_ACTIVE")
    res = run_guest(built / "uart.bin", GuestOptions(sim="verilator", hypervisor=bad / "hypervisor.elf",
                                                     work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_DIVERGED, res.message
    assert "the IRQ scoreboard found a wrong interrupt injection" in res.message
    assert "GICH_LR0 held interrupt 33 active (acknowledged by the guest at cycle" in res.message, res.message
    assert "the hypervisor overwrote it with 0x00000000" in res.message, res.message
    print(res.message)


@needs_verilator
def test_scoreboard_catches_a_hypervisor_that_never_lowers_a_timer_line(built: Path, tmp_path: Path) -> None:
    """FAULT(TIMER_NO_LOWER): the vGIC never sees the virtual timer's line drop, so after the guest
    stopped its timer and EOIed the interrupt it is injected again, and again (the irq guest then
    never gets on: the run is cut at 400,000 cycles, scored all the same)."""
    bad = tmp_path / "fw"
    _make("hypervisor", f"B={bad}", "HYP_FAULT=TIMER_NO_LOWER")
    res = run_guest(built / "irq.bin", GuestOptions(sim="verilator", hypervisor=bad / "hypervisor.elf",
                                                    max_cycles=400_000, work_dir=tmp_path / "rtl"))
    assert res.irq is not None and not res.irq.ok
    assert any("GICH_LR0 = 0x1a08001b delivers interrupt 27, which is not owed to this vCPU (it is not pending: "
               "its line is low)" in m for m in res.irq.mismatches), res.irq.mismatches
    print(res.irq.mismatches[0])

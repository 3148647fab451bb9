"""The hypervisor (firmware/hyp, firmware/host) running the project's guests.

The expected transcript of every guest is what it prints natively on
``qemu-system-arm -M virt -cpu cortex-a15`` with the same device tree
(hypsim.qemu_native); nothing here is written down by hand. Each guest must
print exactly that

* under the hypervisor on QEMU with ``virtualization=on`` (in-firmware device
  models, no VMM), for every guest;
* under the hypervisor on the RTL with the testbench's VMM (``hypsim
  run-guest``): every guest on Verilator, the short ``tiny`` on Icarus
  (``make sim`` runs them all on both), with the Hyp-trap and VMID
  scoreboards scoring each run;

plus: a guest entered with CPSR.I set while a physical IRQ is pending takes it
at HVBAR+0x18 before its first instruction (imask; Verilator, and Icarus in
``make sim``); two VMs at once, each with its solo transcript; more than 255 VMs one
after another with no stale translation; the VMID scoreboard stopping a
hypervisor built without its generation flush; and the hypervisor and a guest
in lockstep with QEMU, instruction by instruction (``--compare-qemu``).
"""
from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest

from hypsim.guest_dt import build_dtb
from hypsim.qemu_native import run_native, run_virt
from hypsim.run import EXIT_DIVERGED, EXIT_OK
from hypsim.run_guest import (GuestOptions, bootinfo_for, dtb_ipa, load_guest_image, run_guest)
from hypsim.vmm_abi import A

REPO = Path(__file__).resolve().parent.parent
FIRMWARE = REPO / "firmware"
HYPERVISOR = FIRMWARE / "build/hypervisor.elf"
GUEST_MEM = 16 << 20
ALL_GUESTS = ("hello", "psci", "irq", "vfp", "mmu", "cp15", "uart", "ptimer", "tiny", "vmid", "bench", "imask",
              "mmuirq")
# the RTL runs of `make test`: every guest on Verilator but psci (8.2 M cycles, 1,846 UART
# exits: ~170 s; its PSCI calls under the hypervisor are scored in make test by
# test_system_env's psci sequence), the short one on Icarus (~30x slower);
# HYPSIM_ALL_GUESTS=1 (`make sim`) runs every guest on both, and the 260 VMs in a row on the RTL.
# imask runs in its own test (the transcript and the interrupted guest entries), on Icarus in make sim
LONG = bool(os.environ.get("HYPSIM_ALL_GUESTS"))
_RTL_ALL = tuple(g for g in ALL_GUESTS if g != "imask")
RTL_GUESTS = {"verilator": _RTL_ALL if LONG else tuple(g for g in _RTL_ALL if g != "psci"),
              "icarus": _RTL_ALL if LONG else ("tiny",)}   # vmid: also the dirty-logging test
SIMS = os.environ.get("HYPSIM_SIMS", "icarus,verilator").split(",")
IMASK_SIMS = [s for s in SIMS if s == "verilator" or LONG]   # ~0.5 M cycles: 2.5 min on Icarus


def _make(*targets: str, env_vars: tuple[str, ...] = ()) -> None:
    (FIRMWARE / "build").mkdir(exist_ok=True)
    with open(FIRMWARE / "build" / ".guests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        res = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(FIRMWARE), *targets, *env_vars],
                             capture_output=True, text=True, check=False)
    assert res.returncode == 0, f"make {' '.join(targets)} failed:\n{res.stdout}\n{res.stderr}"


@pytest.fixture(scope="module")
def built() -> Path:
    _make("hypervisor", "guests")
    return FIRMWARE / "build/guests"


@pytest.fixture(scope="module")
def dtb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dtb(tmp_path_factory.mktemp("dtb") / "guest.dtb", mem_bytes=GUEST_MEM)


_native_cache: dict[str, bytes] = {}


def native_transcript(guest: Path, dtb: Path, work: Path) -> bytes:
    """What the guest prints on QEMU's virt machine without a hypervisor (the golden transcript)."""
    if guest.stem not in _native_cache:
        run = run_native(guest, dtb, work / "native")
        assert run.exit_code == 0, f"{guest.name} natively: QEMU exit {run.exit_code}\n{run.stderr}"
        _native_cache[guest.stem] = run.uart
    return _native_cache[guest.stem]


@pytest.mark.parametrize("name", ALL_GUESTS)
def test_guest_under_the_hypervisor_on_qemu_prints_its_native_transcript(
        name: str, built: Path, dtb: Path, tmp_path: Path) -> None:
    guest = built / f"{name}.bin"
    assert qemu_virt_uart(guest, dtb, tmp_path) == native_transcript(guest, dtb, tmp_path)
    assert dtb_ipa(GUEST_MEM) == 0x4080_0000   # where QEMU puts a -kernel boot's DTB in 16 MiB


def qemu_virt_uart(guest: Path, dtb: Path, work: Path, vms: int = 1, seq_runs: int = 0) -> bytes:
    """The hypervisor with `guest` on QEMU -M virt,virtualization=on (no VMM: in-firmware models)."""
    img = load_guest_image(guest, GUEST_MEM)
    (work / "bootinfo.bin").write_bytes(bootinfo_for(img, dtb.read_bytes(), GUEST_MEM, vms, seq_runs, vmm=False))
    loaders = ((guest, A.HYPSIM_IMAGE_PA), (dtb, A.HYPSIM_DTB_PA), (work / "bootinfo.bin", A.HYPSIM_BOOTINFO_PA))
    # -icount shift=0: QEMU's clock follows its instructions (1 ns each), so the Hyp-timer time slice is
    # ~320,000 instructions whatever the host machine's speed
    q = run_virt(HYPERVISOR, list(loaders), work / "virt", icount_shift=0, timeout_s=300)
    assert q.exit_code == 0, f"hypervisor on QEMU exited {q.exit_code}; UART {q.uart[-300:]!r}\n{q.stderr}"
    return q.uart


@pytest.mark.parametrize("name", ("irq", "vfp"))
def test_two_vms_on_qemu_each_print_their_solo_transcript(name: str, built: Path, dtb: Path, tmp_path: Path) -> None:
    """Two VMs time-sliced on the Hyp timer: virtual timer interrupts, and the lazy VFP switch
    between two guests' VFP states; without a VMM each console comes at the VM's end, framed."""
    guest = built / f"{name}.bin"
    uart = qemu_virt_uart(guest, dtb, tmp_path, vms=2)
    solo = native_transcript(guest, dtb, tmp_path)
    parts = uart.split(b"\n--- hypsim vm ")
    assert parts[0] == b"" and len(parts) == 3, uart[:200]
    consoles = {int(p.split(b" ", 1)[0]): p.split(b" console ---\n", 1)[1] for p in parts[1:]}
    assert consoles == {0: solo, 1: solo}


def test_more_than_255_vms_in_a_row_on_qemu(built: Path, dtb: Path, tmp_path: Path) -> None:
    assert qemu_virt_uart(built / "vmid.bin", dtb, tmp_path, seq_runs=300) == b""   # "vmid: FAIL" otherwise


def _rtl_params() -> list[tuple[str, str]]:
    return [(sim, g) for sim in SIMS for g in RTL_GUESTS.get(sim, ())]


@pytest.mark.parametrize("rtl_sim,name", _rtl_params())
def test_guest_under_the_hypervisor_on_the_rtl_prints_its_native_transcript(
        rtl_sim: str, name: str, built: Path, dtb: Path, tmp_path: Path) -> None:
    guest = built / f"{name}.bin"
    res = run_guest(guest, GuestOptions(sim=rtl_sim, max_cycles=60_000_000, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == native_transcript(guest, dtb, tmp_path), res.message
    assert res.hyp is not None and res.hyp.ok and res.hyp.checked > 0
    assert any(n.startswith("vmid scoreboard:") and "0 possible stale" in n for n in res.notes), res.notes
    assert res.world is not None and res.world.ok and res.world.entries > 0 and res.world.host_returns > 0, \
        res.notes


@pytest.mark.parametrize("rtl_sim", IMASK_SIMS)
def test_guest_entered_with_irqs_masked_takes_the_pending_irq_at_hvbar_0x18_before_its_first_instruction(
        rtl_sim: str, built: Path, dtb: Path, tmp_path: Path) -> None:
    """imask.bin keeps CPSR.I set while its virtual timer fires; when the timer's physical PPI 27
    becomes pending while the host is on its way into the guest, the IRQ, routed to Hyp mode by
    HCR.IMO and not masked by the guest's CPSR.I (B1.8.6), must be taken right after the ERET:
    at HVBAR+0x18, ELR_hyp = the guest PC being entered, SPSR_hyp = the guest CPSR with I set."""
    from hypsim.hyp_scoreboard import EXC_TYPE_IRQ, guest_entries
    guest = built / "imask.bin"
    res = run_guest(guest, GuestOptions(sim=rtl_sim, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == native_transcript(guest, dtb, tmp_path), res.message
    entries, hit = guest_entries(res.outcome.trace)
    assert hit, f"none of the {entries} guest entries had an interrupt pending at the ERET"
    for e in hit:
        where = f"cycle {e.cycle}, ERET at {e.eret_pc:#010x}"
        assert e.kind == EXC_TYPE_IRQ and e.vector & 0x1F == 0x18, f"{where}: type {e.kind} to {e.vector:#010x}"
        assert e.elr == e.guest_pc, f"{where}: ELR_hyp {e.elr:#010x}, guest entry {e.guest_pc:#010x}"
        assert e.guest_cpsr & 0x80 and e.spsr == e.guest_cpsr, \
            f"{where}: guest CPSR {e.guest_cpsr:#010x}, SPSR_hyp {e.spsr:#010x}"
    # and the Hyp scoreboard scored each of them (vector, ELR_hyp, SPSR_hyp, CPSR, HCR.IMO)
    assert res.hyp is not None and res.hyp.ok and res.hyp.interrupts >= len(hit), res.hyp
    assert res.hyp.bins[("IRQ", "HCR.IMO", "SVC", True)] >= len(hit)


@pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")
def test_two_vms_at_once_each_print_their_solo_transcript(built: Path, dtb: Path, tmp_path: Path) -> None:
    guest = built / "irq.bin"                 # virtual timer interrupts while the Hyp timer slices
    work = tmp_path / "rtl"
    res = run_guest(guest, GuestOptions(sim="verilator", vms=2, work_dir=work))
    assert res.exit_code == EXIT_OK, res.message
    solo = native_transcript(guest, dtb, tmp_path)
    for vm in (0, 1):
        assert (work / "verilator" / f"console-vm{vm}.txt").read_bytes() == solo, f"vm {vm}"


@pytest.mark.skipif("verilator" not in SIMS or not LONG, reason="make sim only (HYPSIM_ALL_GUESTS=1): 18 M cycles, 3 min")
def test_more_than_255_vms_in_a_row_see_no_stale_translation(built: Path, tmp_path: Path) -> None:
    # vmid.bin prints "vmid: FAIL" if any page it touches is not fresh and private
    res = run_guest(built / "vmid.bin", GuestOptions(sim="verilator", seq_runs=260, max_cycles=60_000_000,
                                                     work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == b""
    assert res.vmid is not None and res.vmid.ok, res.vmid.mismatches if res.vmid else None
    assert len(res.vmid.vmids) == 255 and res.vmid.flushes >= 1   # every VMID used, one new generation


@pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")
def test_vmid_generations_in_a_narrow_vmid_space(built: Path, tmp_path: Path) -> None:
    res = run_guest(built / "vmid.bin", GuestOptions(sim="verilator", seq_runs=8, vmid_bits=2,
                                                     work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.vmid is not None and res.vmid.ok and res.vmid.vmids == {1, 2, 3} and res.vmid.flushes == 2
    assert res.world is not None and res.world.ok and res.world.first_entries == 8, res.notes   # 8 fresh vCPUs


@pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")
def test_vmid_scoreboard_stops_a_hypervisor_that_skips_the_generation_flush(built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "fw"
    _make("hypervisor", env_vars=(f"B={bad}", "HYP_FAULT=NO_VMID_FLUSH"))
    # BI_VMID_BITS = 2: VMIDs 1-3, so the fourth VM starts a new generation and VMID 1 is reused
    res = run_guest(built / "vmid.bin", GuestOptions(sim="verilator", seq_runs=6, vmid_bits=2,
                                                     hypervisor=bad / "hypervisor.elf", work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_DIVERGED
    assert "VMID 1 given stage-2 table" in res.message and "stale translation" in res.message


@pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")
@pytest.mark.parametrize("fault", [None, "NO_VMID_FLUSH"])
def test_vmid_generations_with_vms_on_two_physical_cores(fault: str | None, built: Path, tmp_path: Path) -> None:
    """`--vms 2 --seq-runs 8 --smp 2` in a 2-bit VMID space: a new generation starts while the
    other core runs a guest, so the host first makes that core leave it (a kick: an IRQ
    exit), then flushes every core's TLB with TLBIALLNSNHIS; the VMID scoreboard keeps a TLB
    per core. Without the flush it names the core whose TLB may hold the stale entry."""
    hyp = None
    if fault:
        hyp = tmp_path / "fw"
        _make("hypervisor", env_vars=(f"B={hyp}", f"HYP_FAULT={fault}"))
    res = run_guest(built / "vmid.bin", GuestOptions(sim="verilator", vms=2, seq_runs=8, smp=2, vmid_bits=2,
                                                     hypervisor=hyp / "hypervisor.elf" if hyp else None,
                                                     work_dir=tmp_path / "rtl"))
    if fault:
        assert res.exit_code == EXIT_DIVERGED, res.message
        assert "VMID scoreboard" in res.message and "in this core's TLB" in res.message, res.message
        return
    assert res.exit_code == EXIT_OK, res.message
    assert res.vmid is not None and res.vmid.ok and res.vmid.vmids == {1, 2, 3} and res.vmid.flushes >= 2
    assert res.world is not None and res.world.ok and res.world.first_entries == 8, res.notes


def test_hypervisor_and_guest_match_qemu_instruction_by_instruction(sim: str, built: Path, tmp_path: Path) -> None:
    res = run_guest(built / "tiny.bin", GuestOptions(sim=sim, compare_qemu=True, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.compare is not None and res.compare.ok and res.compare.compared > 10_000
    assert res.console == b"tiny: PASS\n"


# ---- guests that go wrong: one clear message, the right exit code ------------------------------

def _asm_guest(tmp_path: Path, body: str) -> Path:
    """A flat guest image at IPA 0x4001_0000 from a few lines of A32 assembly."""
    src, elf, img = tmp_path / "g.S", tmp_path / "g.elf", tmp_path / "g.bin"
    src.write_text(".arm\n.global _start\n_start:\n" + body + "\n")
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", "-Ttext=0x40010000",
                    "-o", str(elf), str(src)], check=True)
    subprocess.run(["arm-none-eabi-objcopy", "-O", "binary", str(elf), str(img)], check=True)
    return img


@pytest.mark.icarus_in_make_sim   # 120,000 cycles: ~40 s on Icarus
def test_guest_that_never_powers_off_reports_guest_and_host_pcs(sim: str, built: Path, tmp_path: Path) -> None:
    img = _asm_guest(tmp_path, "1: add r0, r0, #1\n   b 1b")
    res = run_guest(img, GuestOptions(sim=sim, max_cycles=120_000, work_dir=tmp_path / "rtl"))
    assert res.exit_code == 4, res.message
    assert "outside Hyp mode" in res.message and "4001000" in res.message   # the guest's loop
    assert "in Hyp mode" in res.message


@pytest.mark.parametrize("body,words", [
    # a load from an IPA with no memory and no device: the VMM names the IPA and the guest PC
    ("ldr r0, =0x0a000000\n ldr r1, [r0]", ["IPA 0x0a000000", "no memory and no device", "PC 0x4001000"]),
    # LDRD has no syndrome (ISV = 0): reported to the VMM as KVM does, not emulated
    ("ldr r0, =0x09000000\n ldrd r2, r3, [r0]", ["without a valid syndrome", "0x09000000"]),
], ids=["mmio-no-device", "mmio-no-syndrome"])
def test_guest_access_the_host_cannot_serve_stops_with_its_reason(
        body: str, words: list[str], built: Path, tmp_path: Path) -> None:
    img = _asm_guest(tmp_path, body)
    res = run_guest(img, GuestOptions(sim="verilator", max_cycles=2_000_000, work_dir=tmp_path / "rtl"))
    assert res.exit_code == 1, res.message
    for w in words:
        assert w in res.message, res.message


@pytest.mark.icarus_in_make_sim   # ~70 s on Icarus
def test_dirty_logging_resolves_permission_faults_through_ats1cpr(sim: str, built: Path, tmp_path: Path) -> None:
    """vmid.bin reads two pages, then writes them: with dirty logging each write is a
    stage-2 permission fault, whose IPA HPFAR does not give (B4.1.70) and the Hyp side
    resolves with ATS1CPR; the host logs the page and makes it writable."""
    from hypsim.trace import ExceptionTxn, read_trace
    res = run_guest(built / "vmid.bin", GuestOptions(sim=sim, dirty_log=True, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == b""                                   # "vmid: FAIL" otherwise
    perm = [t for t in read_trace(res.outcome.trace)
            if isinstance(t, ExceptionTxn) and t.kind == 7 and t.hsr >> 26 == 0x24 and t.hsr & 0x3C == 0x0C]
    # main's two stores to the two pages it read first; the others are the image's own
    # first writes (.bss, stacks), which depend on where the link put them
    lo, hi = _function_range(built / "vmid.elf", "main")
    in_main = [t for t in perm if lo <= t.ret < hi]
    assert len(in_main) == 2, (f"{len(in_main)} stage-2 permission faults from main's stores "
                               f"(all: {[hex(t.ret) for t in perm]})")
    mapped, dirty = res.outcome.vmm_pages["0"]
    # every permission fault made its page writable and logged it (a page first touched by a
    # write is mapped writable and logged at its translation fault, without one)
    assert len(perm) <= dirty <= mapped, (len(perm), res.outcome.vmm_pages)


def _function_range(elf: Path, name: str) -> tuple[int, int]:
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection
    with elf.open("rb") as f:
        for sec in ELFFile(f).iter_sections():
            if isinstance(sec, SymbolTableSection):
                for sym in sec.get_symbol_by_name(name) or []:
                    return sym["st_value"] & ~1, (sym["st_value"] & ~1) + sym["st_size"]
    raise KeyError(f"{name} not in {elf}")


FETCH_FROM_NOWHERE = """
    adr   r0, vectors
    mcr   p15, 0, r0, c12, c0, 0       @ VBAR
    ldr   r0, =0x41000000
    bx    r0                           @ just past the 16 MiB of RAM: nothing there, a prefetch abort
    .balign 32
vectors:
    b .; b .; b .
    b pabt                             @ +0x0c
    b .; b .; b .; b .
pabt:
    mrc   p15, 0, r1, c6, c0, 2        @ IFAR
    mrc   p15, 0, r2, c5, c0, 1        @ IFSR
    mrs   r3, cpsr
    and   r3, r3, #0x1f
    ldr   r4, =0x41000000
    cmp   r1, r4
    cmpeq r2, #0x08                    @ short-descriptor format: synchronous external abort
    cmpeq r3, #0x17                    @ Abort mode
    bne   .
    ldr   r0, =0x84000008              @ PSCI SYSTEM_OFF: it all matched
    hvc   #0
"""


def test_fetch_from_an_ipa_with_no_memory_is_a_prefetch_abort_for_the_guest(
        built: Path, dtb: Path, tmp_path: Path) -> None:
    """As KVM does (kvm_inject_pabt), and as the guest sees it natively on QEMU: the guest's
    prefetch abort handler runs with IFAR = the address and IFSR = external abort."""
    img = _asm_guest(tmp_path, FETCH_FROM_NOWHERE)
    assert run_native(img, dtb, tmp_path / "native").exit_code == 0
    res = run_guest(img, GuestOptions(sim="verilator", max_cycles=2_000_000, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message


def test_guest_touching_more_memory_than_the_pool_stops_with_a_clear_error(
        built: Path, dtb: Path, tmp_path: Path) -> None:
    """A write to every page of the 16 MiB guest RAM needs more pages than the host's pool
    (vmm_abi.h): the host says so and stops (on QEMU, without a VMM: its own message)."""
    img = _asm_guest(tmp_path, """
    ldr   r0, =0x40100000
    ldr   r1, =0x41000000
1:  str   r0, [r0]
    add   r0, r0, #4096
    cmp   r0, r1
    blo   1b
    ldr   r0, =0x84000008
    hvc   #0""")
    (tmp_path / "bootinfo.bin").write_bytes(
        bootinfo_for(load_guest_image(img, GUEST_MEM), dtb.read_bytes(), GUEST_MEM, 1, 0, vmm=False))
    q = run_virt(HYPERVISOR, [(img, A.HYPSIM_IMAGE_PA), (dtb, A.HYPSIM_DTB_PA),
                              (tmp_path / "bootinfo.bin", A.HYPSIM_BOOTINFO_PA)], tmp_path / "virt")
    assert q.exit_code == 1
    assert b"hyp: error: the page pool is exhausted" in q.uart, q.uart

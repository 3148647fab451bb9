"""Two vCPUs of one VM, time-multiplexed on one core (`hypsim run-guest --vcpus 2`) and
on two physical cores (`--vcpus 2 --smp 2`: the host's scheduler on each core, vCPUs
migrating between them, a physical SGI making the core that runs a vCPU exit).

The golden transcript is the smp guest's (firmware/guests/smp.c) natively on
``qemu-system-arm -M virt -cpu cortex-a15 -smp 2`` with a DT of two cpus;
nothing is written down by hand. The guest must print exactly that

* under the hypervisor on QEMU (``virtualization=on``, in-firmware device
  models, BI_NR_VCPUS 2);
* under the hypervisor on the RTL with the testbench's VMM, on Verilator
  (Icarus in ``make sim``), with every scoreboard scoring the run per vCPU;

and each deliberately broken hypervisor (firmware/host/fault_inject.h) is
stopped by the checker that should catch it, with a message naming what is
wrong: VMPIDR_SHARED (the world-switch scoreboard: vCPU 1's first entry
with vCPU 0's VMPIDR, seed 000), SGIR_NO_TARGETS (the IRQ scoreboard: an SGI
delivered to the sender instead of the vCPU its target list names) and
NO_CLREX (the world-switch scoreboard: a vCPU switch with no CLREX); on two
cores SHARED_HOST_CTXT (the world-switch scoreboard: one core's host
registers restored on the other); NO_KICK, no physical SGI to the core
running the vCPU, is the IRQ scoreboard's kick rule's (tests/test_kick.py).
The fault runs stop at FAULT_MAX_CYCLES: each fault shows well before.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hypsim.guest_dt import build_dtb
from hypsim.qemu_native import run_native, run_virt
from hypsim.run import EXIT_DIVERGED, EXIT_OK
from hypsim.run_guest import GuestOptions, bootinfo_for, load_guest_image, run_guest
from hypsim.vmm_abi import A
from test_hypervisor import _make

REPO = Path(__file__).resolve().parent.parent
FIRMWARE = REPO / "firmware"
HYPERVISOR = FIRMWARE / "build/hypervisor.elf"
GUEST_MEM = 16 << 20
VCPUS = 2
MAX_CYCLES = 12_000_000          # the smp guest: ~5.0 M cycles on the RTL
FAULT_MAX_CYCLES = 450_000       # vCPU 1 first runs at ~0.18 M cycles, the ping-pong ends by ~0.36 M


@pytest.fixture(scope="module")
def smp() -> Path:
    _make("hypervisor", "guests")
    return FIRMWARE / "build/guests/smp.bin"


@pytest.fixture(scope="module")
def dtb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dtb(tmp_path_factory.mktemp("dtb") / "guest2.dtb", mem_bytes=GUEST_MEM, ncpus=VCPUS)


@pytest.fixture(scope="module")
def golden(smp: Path, dtb: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The smp guest natively on QEMU -smp 2: the transcript every other run must print."""
    run = run_native(smp, dtb, tmp_path_factory.mktemp("native"), smp=VCPUS, timeout_s=60)
    assert run.exit_code == 0, f"smp natively: QEMU exit {run.exit_code}\n{run.stderr}"
    text = run.uart.decode()
    assert text.endswith("smp: PASS\n") and "FAIL" not in text, text
    # what QEMU 7.2 gives a secondary after CPU_ON (firmware/host/psci.c gives a vCPU the same)
    assert "cpu1 entered with r0 0x12345678 r1 0x0 r2 0x0 r3 0x0 sp 0x0" in text
    assert "cpu1 CPSR 0x400001d3 SCTLR 0x00c50078 MPIDR 0x80000001" in text
    assert "cpu1 took IAR 0x005 while it spun with interrupts unmasked" in text
    return run.uart


@pytest.mark.parametrize("cores", [1, 2])
def test_smp_guest_with_two_vcpus_on_qemu_prints_its_native_transcript(
        cores: int, smp: Path, dtb: Path, golden: bytes, tmp_path: Path) -> None:
    img = load_guest_image(smp, GUEST_MEM)
    bi = tmp_path / "bootinfo.bin"
    bi.write_bytes(bootinfo_for(img, dtb.read_bytes(), GUEST_MEM, 1, 0, vmm=False, vcpus=VCPUS, cpus=cores))
    q = run_virt(HYPERVISOR, [(smp, A.HYPSIM_IMAGE_PA), (dtb, A.HYPSIM_DTB_PA), (bi, A.HYPSIM_BOOTINFO_PA)],
                 tmp_path / "virt", icount_shift=0, timeout_s=120, smp=cores)
    assert q.exit_code == 0, f"hypervisor on QEMU exited {q.exit_code}; UART {q.uart[-300:]!r}\n{q.stderr}"
    assert q.uart == golden


# one core in `make sim` (make test runs the two-core case, the one-core faults and QEMU's one-core run)
@pytest.mark.make_sim_only
@pytest.mark.parametrize("rtl_sim", ["verilator", "icarus"])
def test_smp_guest_with_two_vcpus_on_the_rtl_prints_its_native_transcript(
        rtl_sim: str, smp: Path, golden: bytes, tmp_path: Path) -> None:
    res = run_guest(smp, GuestOptions(sim=rtl_sim, vcpus=VCPUS, max_cycles=MAX_CYCLES, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == golden, res.message
    assert res.hyp is not None and res.hyp.ok and res.hyp.checked > 0
    assert res.world is not None and res.world.ok and res.world.first_entries >= 3, res.notes   # vCPU 1 twice
    assert res.irq is not None and res.irq.ok
    sgis = [i for i in res.irq.injections if i.source == "GICD_SGIR"]
    assert {i.vcpu for i in sgis} == {0, 1} and all(i.eoi_cycle is not None for i in sgis), res.irq.table()
    assert any(n.startswith("vmid scoreboard:") and "0 possible stale" in n for n in res.notes), res.notes


def _per_core(res) -> list[tuple[set[tuple[int, int]], int]]:
    """Per core of a run: the vCPUs (VTTBR BADDR, VMPIDR) it entered, and the IRQs it took in
    Hyp mode from a guest (exits; the kick of a vCPU it ran is one)."""
    from hypsim.simulator import core_trace_path
    from hypsim.trace import ContextTxn, ExceptionTxn, ExcType, read_trace
    out = []
    for core in range(2):
        vcpus, irq_exits = set(), 0
        for t in read_trace(core_trace_path(res.outcome.trace, core)):
            if isinstance(t, ContextTxn) and t.kind == "e" and t["HCR"] & 1:
                vcpus.add((t["VTTBR_LO"] & ~0xFFF, t["VMPIDR"]))
            elif isinstance(t, ExceptionTxn) and t.kind == ExcType.IRQ and t.cpsr & 0x1F == 0x1A:
                irq_exits += 1
        out.append((vcpus, irq_exits))
    return out


@pytest.mark.parametrize("rtl_sim", ["verilator", pytest.param("icarus", marks=pytest.mark.icarus_in_make_sim)])
def test_smp_guest_with_two_vcpus_on_two_physical_cores_of_the_rtl_prints_its_native_transcript(
        rtl_sim: str, smp: Path, golden: bytes, tmp_path: Path) -> None:
    """`--smp 2`: core 1 joins through PSCI CPU_ON over SMC; each core runs a vCPU, the
    world-switch and IRQ scoreboards score both cores' traces merged by cycle, and the
    SGI CPU 0 sends while CPU 1 spins reaches it through a physical SGI that makes core 1 exit."""
    res = run_guest(smp, GuestOptions(sim=rtl_sim, vcpus=VCPUS, smp=2, max_cycles=MAX_CYCLES,
                                      work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == golden, res.message
    assert res.world is not None and res.world.ok and res.world.first_entries >= 3, res.notes
    assert res.irq is not None and res.irq.ok
    sgis = [i for i in res.irq.injections if i.source == "GICD_SGIR"]
    assert {i.vcpu for i in sgis} == {0, 1} and all(i.eoi_cycle is not None for i in sgis), res.irq.table()
    cores = _per_core(res)
    assert all(vcpus for vcpus, _ in cores), f"each core enters a guest: {cores}"
    assert sum(irq for _, irq in cores) >= 1, f"no kick made a core exit: {cores}"
    # SGI 5 to CPU 1 spinning on core 1: core 1 exits well inside the IRQ scoreboard's kick limit
    from hypsim.irq_scoreboard import KICK_LIMIT
    assert res.irq.kick_latencies and max(res.irq.kick_latencies) * 5 < KICK_LIMIT, res.irq.kick_latencies


@pytest.mark.make_sim_only
def test_two_vms_of_two_vcpus_on_two_physical_cores_each_print_the_native_transcript(
        smp: Path, golden: bytes, tmp_path: Path) -> None:
    """`--vms 2 --vcpus 2 --smp 2`: four vCPUs on two cores migrate between them (each core
    enters vCPUs of both VMs) and both VMs print the native transcript."""
    res = run_guest(smp, GuestOptions(sim="verilator", vms=2, vcpus=VCPUS, smp=2, max_cycles=30_000_000,
                                      work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    for vm in (0, 1):
        assert (tmp_path / "rtl/verilator" / f"console-vm{vm}.txt").read_bytes() == golden
    assert res.world is not None and res.world.ok and res.irq is not None and res.irq.ok
    cores = _per_core(res)
    assert all(len(vcpus) >= 3 for vcpus, _ in cores), f"vCPUs entered per core: {cores}"


FAULTS = {
    # fault: (the scoreboard's verdict, words its message must contain)
    "VMPIDR_SHARED": ("world-switch scoreboard", ["VMPIDR expected 0x80000001 seen 0x80000000",
                                                  "vCPU 1's first entry", "seed 000"]),
    "SGIR_NO_TARGETS": ("IRQ scoreboard", ["vCPU 0: GICH_LR", "delivers interrupt 1, which is not owed"]),
    "NO_CLREX": ("world-switch scoreboard", ["with no CLREX in between", "STREX"]),
}
#: the same, with the vCPUs on two physical cores (--smp 2)
SMP_FAULTS = {
    "SHARED_HOST_CTXT": ("world-switch scoreboard", ["core 0: return to the host", "__kvm_vcpu_run",
                                                     "host VMPIDR expected 0x80000000 seen 0x80000001"]),
}


@pytest.mark.parametrize("fault,cores", [(f, 1) for f in sorted(FAULTS)] + [(f, 2) for f in sorted(SMP_FAULTS)])
def test_checkers_stop_a_hypervisor_broken_for_two_vcpus(fault: str, cores: int, smp: Path, tmp_path: Path) -> None:
    bad = tmp_path / "build"
    _make("hypervisor", f"B={bad}", f"HYP_FAULT={fault}")
    res = run_guest(smp, GuestOptions(sim="verilator", vcpus=VCPUS, smp=cores, max_cycles=FAULT_MAX_CYCLES,
                                      hypervisor=bad / "hypervisor.elf", work_dir=tmp_path / "rtl"))
    verdict, words = {**FAULTS, **SMP_FAULTS}[fault]
    assert res.exit_code == EXIT_DIVERGED, f"{fault}: exit {res.exit_code}: {res.message}"
    assert verdict in res.message, res.message
    for w in words:
        assert w in res.message, f"{fault}: {w!r} not in:\n{res.message}"


# ---- the models alone (no simulator) -------------------------------------------------------

def test_psci_model_follows_which_vcpus_are_on() -> None:
    from hypsim.models import psci
    off, both = (True, False), (True, True)
    assert psci.result(psci.CPU_ON, 1, 0x4001_0000, 0, off) == psci.SUCCESS
    assert psci.result(psci.CPU_ON, 1, 0x4001_0000, 0, both) == psci.ALREADY_ON
    assert psci.result(psci.CPU_ON, 0, 0x4001_0000, 1, both) == psci.ALREADY_ON
    for bad in (2, 0x8000_0001, 0x100):               # only an exact affinity names a vCPU (QEMU)
        assert psci.result(psci.CPU_ON, bad, 0x4001_0000, 0, off) == psci.INVALID_PARAMETERS
    assert psci.result(psci.AFFINITY_INFO, 1, 0, 0, off) == psci.AFFINITY_OFF
    assert psci.result(psci.AFFINITY_INFO, 1, 0, 0, both) == psci.AFFINITY_ON
    assert psci.result(psci.AFFINITY_INFO, 1, 1, 0, off) == psci.AFFINITY_ON    # level 1: ON, as QEMU
    assert psci.result(psci.AFFINITY_INFO, 5, 0, 0, off) == psci.INVALID_PARAMETERS
    # one vCPU: as before
    assert psci.result(psci.CPU_ON, 0, 0, 0) == psci.ALREADY_ON
    assert psci.result(psci.CPU_ON, 1, 0, 0) == psci.INVALID_PARAMETERS
    assert psci.cpu_on_state(0x4001_0091, 7) == {"pc": 0x4001_0090, "cpsr": 0x400001F3, "r0": 7, "r1": 0,
                                                 "r2": 0, "r3": 0, "sp_svc": 0}


@pytest.mark.parametrize("filt,targets,owed", [(0, 0b10, {1}), (0, 0b11, {0, 1}), (1, 0, {1}), (2, 0, {0})])
def test_vgic_model_sgir_reaches_the_named_vcpus_with_the_sender_in_the_lr(
        filt: int, targets: int, owed: set[int]) -> None:
    from hypsim.models.gic_regs import Gicd, LrState, lr_encode
    from hypsim.models.vgic import VgicModel
    m = VgicModel(nr_vcpus=2)
    m.dist_write(0, Gicd.CTLR, 1)
    m.dist_write(0, Gicd.SGIR, (filt << 24) | (targets << 16) | 5)
    assert {v for v in (0, 1) if 5 in m.candidates(v)} == owed
    for v in owed:   # delivered with CPUID 0 (the sender): right; with CPUID 1: a mismatch
        good = lr_encode(5, 0, LrState.PENDING, cpuid=0)
        assert m.entry(v, [good, 0, 0, 0], 1) == []
    m2 = VgicModel(nr_vcpus=2)
    m2.dist_write(0, Gicd.CTLR, 1)
    m2.dist_write(1, Gicd.SGIR, (0b01 << 16) | 3)
    bad = m2.entry(0, [lr_encode(3, 0, LrState.PENDING, cpuid=0), 0, 0, 0], 1)
    assert bad and "expected 0x10000403" in bad[0], bad

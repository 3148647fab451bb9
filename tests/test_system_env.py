"""The system env (tb/envs/system): whole guest runs with the VMM as a pyuvm
agent, seeded sequences from tb/sequences/system_*.py, the checkers'
verdicts and the coverage XML under build/coverage/.

Every sequence runs on Verilator (a few hundred thousand cycles each), one
short MMIO run on Icarus. HYPSIM_SYSTEM_SEED overrides the seeds (each test
prints the one it used); the long seeded runs are ``make -C sim system-env``.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from hypsim.envs.system.checkers import check_events, check_trace_loads
from hypsim.envs.system.runner import SystemRunResult, run_system
from hypsim.run import EXIT_OK
from hypsim.run_guest import GuestOptions, run_guest
from hypsim.sequences import system_ops as ops
from hypsim.simulator import REPO
from hypsim.vmm_abi import A

SIMS = os.environ.get("HYPSIM_SIMS", "icarus,verilator").split(",")
needs_verilator = pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")


@pytest.fixture(scope="module")
def built() -> None:
    """The hypervisor and the guests (one build at a time: the xdist workers share the tree)."""
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc not installed: run `make setup`")
    (REPO / "firmware/build").mkdir(parents=True, exist_ok=True)
    with open(REPO / "firmware/build/.guests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        res = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(REPO / "firmware"), "hypervisor",
                              "guests"], capture_output=True, text=True, check=False)
    assert res.returncode == 0, f"building the firmware failed:\n{res.stdout}\n{res.stderr}"


def seed(default: int) -> int:
    s = int(os.environ.get("HYPSIM_SYSTEM_SEED", default))
    print(f"system env seed {s} (rerun with HYPSIM_SYSTEM_SEED={s})")
    return s


def run(seq: str, seed_: int, work: Path, sim: str = "verilator", **kw) -> SystemRunResult:
    t0 = time.time()
    r = run_system(seq, seed_, sim, work_dir=work, **kw)
    rep = r.report
    assert rep, f"{seq} seed {seed_}: no system-env.json; {r.run.message}"
    assert r.run.exit_code == EXIT_OK, f"{seq} seed {seed_}: {r.run.message}"
    assert rep["ok"] and rep["failure_count"] == 0, f"{seq} seed {seed_}: " + "\n".join(rep["failures"])
    xml = Path(rep["coverage_xml"])
    assert xml.is_file() and xml.stat().st_mtime >= t0 - 1 and xml.parent == REPO / "build" / "coverage", xml
    print(f"{seq} seed {seed_} on {sim}: {r.run.outcome.cycles} cycles, {time.time() - t0:.1f} s, checked "
          f"{rep['checked']}, coverage {rep['bins_hit']}/{rep['bins_total']}")
    return r


@pytest.fixture(scope="module")
def mmio_run(tmp_path_factory: pytest.TempPathFactory, built: None) -> SystemRunResult:
    return run("mmio", seed(11), tmp_path_factory.mktemp("mmio"), n_ops=24)


@needs_verilator
def test_default_sequence_prints_what_run_guest_prints(tmp_path: Path, built: None) -> None:
    image = REPO / "firmware/build/guests/tiny.bin"
    plain = run_guest(image, GuestOptions(sim="verilator", work_dir=tmp_path / "plain"))
    env = run("default", seed(1), tmp_path / "env", guest="tiny")
    assert env.run.console == plain.console == b"tiny: PASS\n"
    assert env.run.outcome.vmm_exits == plain.outcome.vmm_exits
    assert env.run.outcome.cycles == plain.outcome.cycles       # answered at once: the same run, cycle for cycle
    def exchanges(p: Path) -> list[tuple]:
        return [(e["run"]["exit_reason"], e["run"]["mmio_addr"], e.get("answer")) for e in
                map(json.loads, p.read_text().splitlines()) if "answer" in e]
    assert exchanges(tmp_path / "env/verilator/vmm-events.jsonl") == \
        exchanges(tmp_path / "plain/verilator/vmm-events.jsonl")


@needs_verilator
def test_random_mmio_values_reach_the_guest_sign_extended_per_width(mmio_run: SystemRunResult) -> None:
    rep = mmio_run.report
    assert rep["checked"].get("MMIO read", 0) + rep["checked"].get("MMIO write", 0) == 24
    assert rep["checked"]["MMIO read in the register file"] == rep["checked"]["MMIO read"]
    groups = rep["groups"]
    assert groups["system.mmio.width"] == [3, 3] and groups["system.mmio.sign"] == [2, 2]
    assert groups["system.mmio.dir"] == [2, 2] and groups["system.vmm.delay"][0] >= 3
    assert mmio_run.run.console == b"mmiorand: PASS\n"


@needs_verilator
def test_irq_storm_with_every_kvm_irq_line_type_is_acknowledged(tmp_path: Path, built: None) -> None:
    r = run("irq", seed(5), tmp_path, n_ops=12)
    assert r.report["checked"].get("interrupt acknowledged", 0) >= 6 and r.report["checked"].get("IRQ window", 0) >= 6
    assert r.report["groups"]["system.vmm.irq_type_x_level"] == [6, 6]      # CPU, SPI, PPI raised and lowered


@needs_verilator
def test_psci_calls_and_mode_tours_match_the_psci_model(tmp_path: Path, built: None) -> None:
    r = run("psci", seed(3), tmp_path, n_ops=16)
    assert r.report["checked"].get("PSCI", 0) >= 4 and r.report["checked"].get("mode tour", 0) == 14
    assert r.report["groups"]["system.exit.mode"] == [7, 7]
    assert r.report["groups"]["system.psci.conduit"] == [2, 2]


@needs_verilator
def test_vm_churn_goes_through_vmid_generations(tmp_path: Path, built: None) -> None:
    r = run("churn", seed(2), tmp_path)
    assert r.run.console == b""                                     # vmid.bin prints only on a failure
    assert r.report["groups"]["system.vmid.generation"][0] >= 2
    assert r.run.vmid is not None and r.run.vmid.ok and r.run.vmid.flushes >= 1


@pytest.mark.icarus_in_make_sim
@pytest.mark.skipif("icarus" not in SIMS, reason="Icarus not selected (HYPSIM_SIMS)")
def test_random_mmio_on_icarus(tmp_path: Path, built: None) -> None:
    r = run("mmio", seed(4), tmp_path, sim="icarus", n_ops=3)
    assert r.report["checked"].get("MMIO read", 0) + r.report["checked"].get("MMIO write", 0) == 3


@needs_verilator
def test_mmio_checker_stops_a_mutated_answer(mmio_run: SystemRunResult) -> None:
    """The log of a real run, with one served load value changed: the guest saw the original."""
    trace = mmio_run.run.outcome.trace
    events = [json.loads(x) for x in (trace.parent / "vmm-events.jsonl").read_text().splitlines()]
    res = check_events(events)
    check_trace_loads(trace, res)
    assert res.ok and res.checked["MMIO read in the register file"] == res.checked["MMIO read"] > 0
    loads = [e for e in events if e["run"]["exit_reason"] == A.KVM_EXIT_MMIO and not e["run"]["mmio_is_write"]
             and ops.TBDEV <= e["run"]["mmio_addr"] < ops.TBDEV + A.TBDEV_DATA_END]
    victim = loads[len(loads) // 2]
    victim["answer"]["mmio_data"] ^= 0x1                          # bit 0: in every width's lanes
    res = check_events(events)
    check_trace_loads(trace, res)
    assert not res.ok and res.failure_count == 2           # as the guest reported it, and in its register file
    assert "in the guest's register when it resumed" in res.failures[1]
    msg = res.failures[0]
    run_ = victim["run"]
    for word in (f"IPA 0x{run_['mmio_addr']:08x}", f"{run_['mmio_len']} bytes", "Rt ", "expected 0x", "the guest saw 0x",
                 f"guest PC 0x{run_['guest_pc']:08x}", f"cycle {victim['cycle']}"):
        assert word in msg, msg
    assert ("signed" in msg) and ("read" in msg)


def test_plain_vmm_has_no_testbench_device() -> None:
    """Under `hypsim run-guest` (tb/vmm.py) mmiorand finds no device and only says so, as natively."""
    from hypsim.vmm import HC_NOT_SUPPORTED, HC_STEP, HC_TBDEV, Vmm
    for nr in (HC_TBDEV, HC_STEP):
        run_ = {"exit_reason": A.KVM_EXIT_HYPERCALL, "vm": 0, "hc_nr": nr, "hc_arg0": 0, "hc_arg1": 0}
        assert Vmm().handle(run_)["hc_ret"] == HC_NOT_SUPPORTED


def _step(cycle: int, prev_op: int, value: int, next_op: int) -> dict:
    return {"cycle": cycle, "run": {"exit_reason": A.KVM_EXIT_HYPERCALL, "vm": 0, "guest_pc": 0x40010100,
                                    "hc_nr": A.HYPSIM_HC_STEP, "hc_arg0": prev_op, "hc_arg1": value},
            "answer": {"hc_ret": next_op, "irq": []}}


def _access(cycle: int, op: int, data: int) -> dict:
    a = ops.access(op)
    return {"cycle": cycle, "run": {"exit_reason": A.KVM_EXIT_MMIO, "vm": 0, "guest_pc": 0x40010200,
                                    "mmio_addr": a.ipa, "mmio_len": a.size, "mmio_is_write": int(a.write),
                                    "mmio_data": data if a.write else 0},
            "answer": {"irq": []} if a.write else {"mmio_data": data, "irq": []}}


@pytest.mark.parametrize("kind,served,seen,ok", [
    (3, 0xDEAD8001, 0xFFFF8001, True),      # LDRSH: sign-extended
    (3, 0xDEAD8001, 0x00008001, False),     # ... a host that forgot SSE
    (2, 0xDEAD8001, 0x00008001, True),      # LDRH: zero-extended
    (1, 0x12345680, 0xFFFFFF80, True),      # LDRSB
    (0, 0x12345680, 0xFFFFFF80, False),     # LDRB extended as if signed
    (4, 0x12345680, 0x12345680, True),
])
def test_mmio_checker_extends_per_width_and_sign(kind: int, served: int, seen: int, ok: bool) -> None:
    op = ops.load(kind, 7, 0x124)
    events = [_step(100, 0, 0, op), _access(200, op, served), _step(300, op, seen, ops.END)]
    res = check_events(events)
    assert res.ok == ok, res.failures
    if not ok:
        assert res.failures[0].startswith(f"MMIO {ops.LOAD_KINDS[kind][0]} r7 at IPA 0x0a000124")
        assert f"the guest saw 0x{seen:08x}" in res.failures[0] and "cycle 200" in res.failures[0]


def test_irq_checker_stops_an_acknowledgement_nobody_raised_and_a_line_never_acknowledged() -> None:
    win = ops.irq_window(8, False)
    spi40 = (A.KVM_ARM_IRQ_TYPE_SPI << A.KVM_ARM_IRQ_TYPE_SHIFT) | 40
    raise_ = _step(100, 0, 0, win)
    raise_["answer"]["irq"] = [(spi40, 1)]
    ack41 = {"cycle": 150, "run": {"exit_reason": A.KVM_EXIT_MMIO, "vm": 0, "guest_pc": 0x40010300,
                                   "mmio_addr": ops.TBDEV + A.TBDEV_ACK, "mmio_len": 4, "mmio_is_write": 1,
                                   "mmio_data": 41}, "answer": {"irq": []}}
    res = check_events([raise_, ack41, _step(300, win, 1, ops.END)])
    assert res.failure_count == 2
    assert "acknowledged SPI INTID 41" in res.failures[0] and "guest PC 0x40010300, cycle 150" in res.failures[0]
    assert "never acknowledged: SPI INTID 40" in res.failures[1]

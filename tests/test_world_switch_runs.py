"""The world-switch scoreboard (tb/world_switch_scoreboard.py) on real runs.

Every run-guest run is scored (tests/test_hypervisor.py asserts it for each
guest, and for VM churn). Here: two VMs at once with the lazy VFP switch, and the
deliberately broken hypervisors of firmware/host/fault_inject.h, each stopped
with a message that names the fault.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hypsim.run import EXIT_DIVERGED, EXIT_OK
from hypsim.run_guest import GuestOptions, run_guest

from test_hypervisor import SIMS, _make

pytestmark = pytest.mark.skipif("verilator" not in SIMS, reason="Verilator not selected (HYPSIM_SIMS)")
GUESTS = Path(__file__).resolve().parent.parent / "firmware/build/guests"


@pytest.fixture(scope="module")
def built() -> Path:
    _make("hypervisor", "guests")
    return GUESTS


def test_two_vms_keep_their_own_vfp_registers_across_switches(built: Path, tmp_path: Path) -> None:
    # VM churn (first entries against the reset context) is scored in test_hypervisor's VMID runs
    res = run_guest(built / "vfp.bin", GuestOptions(sim="verilator", vms=2, work_dir=tmp_path / "two"))
    assert res.exit_code == EXIT_OK, res.message
    w = res.world
    assert w is not None and w.ok and w.first_entries == 2 and w.vfp_entries >= 10, res.notes


# (fault, guest, cycles the guest needs, what the message must say); a broken guest may never
# finish: the scoreboard's verdict still names the first wrong switch
BROKEN = [
    ("NO_SAVE_VBAR", "hello", 1_500_000, ["VBAR expected", "seen 0x00000000"]),
    ("NO_SIGN_EXTEND", "uart", 1_800_000, ["MMIO read of 1 bytes", "expected 0xffffff90 seen 0x00000090"]),
    ("GUEST_R12_LEAK", "tiny", 300_000, ["r12 expected"]),
    ("NO_FPEXC_EN", "vfp", 2_200_000, ["FPEXC", "without EN while HCPTR traps cp10/11"]),
]


@pytest.mark.parametrize("fault,guest,cycles,says", BROKEN, ids=[b[0] for b in BROKEN])
def test_world_switch_scoreboard_stops_a_broken_hypervisor(fault: str, guest: str, cycles: int, says: list[str],
                                                           built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "fw"
    _make("hypervisor", env_vars=(f"B={bad}", f"HYP_FAULT={fault}"))
    res = run_guest(built / f"{guest}.bin", GuestOptions(sim="verilator", hypervisor=bad / "hypervisor.elf",
                                                         max_cycles=cycles, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_DIVERGED, (res.exit_code, res.message)
    assert "world-switch scoreboard found a mismatch" in res.message, res.message
    for text in says:
        assert text in res.message, res.message

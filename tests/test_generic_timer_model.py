"""Unit tests of the generic timer reference model (tb/models/generic_timer.py)
against the ARM ARM ARMv7-A/R chapter B8 and B4.1.21-B4.1.35."""
from __future__ import annotations

import pytest

from hypsim.models.generic_timer import (
    CNTFRQ_RESET, CTL_ENABLE, CTL_IMASK, CTL_ISTATUS, HCTL_PL1PCEN, HCTL_PL1PCTEN, HYP,
    KCTL_PL0PCTEN, KCTL_PL0PTEN, KCTL_PL0VCTEN, KCTL_PL0VTEN, MASK32, MASK64, PL0, PL1,
    REG_NAMES, UNKNOWN, Access, GenericTimer, Outcome, decode, possible_outcomes)


def rd(gt: GenericTimer, name: str, pl: int = HYP) -> int:
    res = gt.access(Access.to(name, False, pl))
    assert res.outcome is Outcome.OK, f"read {name} at PL{pl}: expected OK, saw {res.outcome}"
    return res.rdata


def wr(gt: GenericTimer, name: str, value: int, pl: int = HYP) -> None:
    res = gt.access(Access.to(name, True, pl, value))
    assert res.outcome is Outcome.OK, f"write {name} at PL{pl}: expected OK, saw {res.outcome}"


# ---------------------------------------------------------------- reset and counts (B8.1.1)

def test_reset_values_match_qemu_virt() -> None:
    gt = GenericTimer()
    assert rd(gt, "CNTFRQ") == CNTFRQ_RESET == 62_500_000
    assert rd(gt, "CNTHCTL") == HCTL_PL1PCTEN | HCTL_PL1PCEN   # ARMv7 / QEMU resetvalue 3
    assert rd(gt, "CNTKCTL") == 0
    assert rd(gt, "CNTPCT") == 0 and rd(gt, "CNTVCT") == 0 and rd(gt, "CNTVOFF") == 0


def test_cntvct_is_cntpct_minus_cntvoff_modulo_2_64() -> None:
    gt = GenericTimer()
    gt.tick(100)
    wr(gt, "CNTVOFF", 30)
    assert rd(gt, "CNTVCT") == 70
    wr(gt, "CNTVOFF", 101)                      # offset above the count: CNTVCT wraps
    assert rd(gt, "CNTVCT") == MASK64
    gt.tick(1)
    assert rd(gt, "CNTVCT") == 0


# ---------------------------------------------------------------- TVAL (B8.1.5)

def test_tval_write_sign_extends_negative_value() -> None:
    gt = GenericTimer()
    gt.tick(1000)
    wr(gt, "CNTP_TVAL", (-10) & MASK32)
    assert rd(gt, "CNTP_CVAL") == 990
    wr(gt, "CNTP_TVAL", 0x7FFF_FFFF)
    assert rd(gt, "CNTP_CVAL") == 1000 + 0x7FFF_FFFF


def test_tval_write_ignores_upper_word_of_64_bit_data() -> None:
    gt = GenericTimer()
    wr(gt, "CNTHP_TVAL", 0xDEAD_BEEF_0000_0005)
    assert rd(gt, "CNTHP_CVAL") == 5


def test_tval_read_is_low_32_bits_of_cval_minus_count_and_wraps() -> None:
    gt = GenericTimer()
    wr(gt, "CNTP_CVAL", 50)
    gt.tick(60)
    assert rd(gt, "CNTP_TVAL") == (-10) & MASK32     # past the compare value: negative
    wr(gt, "CNTP_CVAL", 60 + (1 << 32) + 7)           # beyond 32 bits: only the low word
    assert rd(gt, "CNTP_TVAL") == 7


def test_virtual_tval_uses_cntvct() -> None:
    gt = GenericTimer()
    gt.tick(500)
    wr(gt, "CNTVOFF", 400)
    wr(gt, "CNTV_TVAL", 25)
    assert rd(gt, "CNTV_CVAL") == 125
    assert rd(gt, "CNTV_TVAL") == 25
    gt.tick(5)
    assert rd(gt, "CNTV_TVAL") == 20


# ---------------------------------------------------------------- ISTATUS, IMASK, interrupts

def test_istatus_sets_exactly_when_count_reaches_cval() -> None:
    gt = GenericTimer()
    wr(gt, "CNTP_CVAL", 10)
    wr(gt, "CNTP_CTL", CTL_ENABLE)
    gt.tick(9)
    assert rd(gt, "CNTP_CTL") == CTL_ENABLE and not gt.irq("phys")
    gt.tick(1)
    assert rd(gt, "CNTP_CTL") == CTL_ENABLE | CTL_ISTATUS and gt.irq("phys")


def test_istatus_reads_zero_while_disabled() -> None:
    gt = GenericTimer()
    gt.tick(10)
    wr(gt, "CNTHP_CVAL", 1)
    assert rd(gt, "CNTHP_CTL") == 0 and not gt.irq("hyp")
    wr(gt, "CNTHP_CTL", CTL_ENABLE | CTL_ISTATUS)    # ISTATUS is read-only
    assert rd(gt, "CNTHP_CTL") == CTL_ENABLE | CTL_ISTATUS


def test_imask_hides_interrupt_but_not_istatus() -> None:
    gt = GenericTimer()
    wr(gt, "CNTV_CTL", CTL_ENABLE | CTL_IMASK)
    assert rd(gt, "CNTV_CTL") == CTL_ENABLE | CTL_IMASK | CTL_ISTATUS
    assert gt.irq_levels() == (False, False, False)
    wr(gt, "CNTV_CTL", CTL_ENABLE)
    assert gt.irq_levels() == (False, True, False)


def test_virtual_istatus_compares_cntvct_unsigned() -> None:
    gt = GenericTimer()
    gt.tick(100)
    wr(gt, "CNTV_CVAL", 50)
    wr(gt, "CNTV_CTL", CTL_ENABLE)
    assert gt.irq("virt")
    wr(gt, "CNTVOFF", 60)            # CNTVCT = 40 < 50
    assert not gt.irq("virt")
    wr(gt, "CNTVOFF", 101)           # CNTVCT = 2^64-1: unsigned, so above CVAL
    assert gt.irq("virt")
    assert not gt.irq("phys") and not gt.irq("hyp")


# ---------------------------------------------------------------- access rules (B8.1.2)

@pytest.mark.parametrize("name", ["CNTHCTL", "CNTHP_TVAL", "CNTHP_CTL", "CNTHP_CVAL", "CNTVOFF"])
@pytest.mark.parametrize("pl", [PL0, PL1])
@pytest.mark.parametrize("write", [False, True])
def test_hyp_registers_undefined_below_hyp(name: str, pl: int, write: bool) -> None:
    gt = GenericTimer()
    gt.cntkctl = 0x3FF
    assert gt.access(Access.to(name, write, pl, 1)).outcome is Outcome.UNDEFINED
    assert gt.access(Access.to(name, write, HYP, 1)).outcome is Outcome.OK


@pytest.mark.parametrize("name", ["CNTPCT", "CNTVCT"])
@pytest.mark.parametrize("pl", [PL0, PL1, HYP])
def test_counter_write_is_undefined(name: str, pl: int) -> None:
    gt = GenericTimer()
    gt.cntkctl = 0x3FF
    assert gt.access(Access.to(name, True, pl, 5)).outcome is Outcome.UNDEFINED
    assert rd(gt, name, HYP) == 0


def test_cntfrq_writable_only_from_hyp_readable_at_pl0_with_counter_access() -> None:
    gt = GenericTimer()
    assert gt.access(Access.to("CNTFRQ", True, PL1, 5)).outcome is Outcome.UNDEFINED
    assert gt.access(Access.to("CNTFRQ", False, PL0)).outcome is Outcome.UNDEFINED
    wr(gt, "CNTKCTL", KCTL_PL0VCTEN, PL1)
    assert rd(gt, "CNTFRQ", PL0) == CNTFRQ_RESET
    wr(gt, "CNTFRQ", 24_000_000)
    assert rd(gt, "CNTFRQ", PL1) == 24_000_000


@pytest.mark.parametrize("name,bit", [("CNTPCT", KCTL_PL0PCTEN), ("CNTVCT", KCTL_PL0VCTEN),
                                      ("CNTP_CTL", KCTL_PL0PTEN), ("CNTP_CVAL", KCTL_PL0PTEN),
                                      ("CNTP_TVAL", KCTL_PL0PTEN), ("CNTV_CTL", KCTL_PL0VTEN),
                                      ("CNTV_CVAL", KCTL_PL0VTEN), ("CNTV_TVAL", KCTL_PL0VTEN)])
def test_cntkctl_bit_enables_pl0_access(name: str, bit: int) -> None:
    gt = GenericTimer()
    gt.cntkctl = 0x3FF & ~bit
    assert gt.access(Access.to(name, False, PL0)).outcome is Outcome.UNDEFINED
    gt.cntkctl = bit
    assert gt.access(Access.to(name, False, PL0)).outcome is Outcome.OK


def test_cntkctl_not_accessible_from_pl0() -> None:
    gt = GenericTimer()
    gt.cntkctl = 0x3FF
    assert gt.access(Access.to("CNTKCTL", False, PL0)).outcome is Outcome.UNDEFINED
    assert rd(gt, "CNTKCTL", PL1) == 0x3FF


@pytest.mark.parametrize("name", ["CNTP_CTL", "CNTP_CVAL", "CNTP_TVAL"])
def test_cnthctl_pl1pcen_traps_physical_timer_to_hyp(name: str) -> None:
    gt = GenericTimer()
    gt.cnthctl = HCTL_PL1PCTEN
    gt.cntkctl = KCTL_PL0PTEN
    for pl in (PL0, PL1):
        for write in (False, True):
            assert gt.access(Access.to(name, write, pl)).outcome is Outcome.TRAP_TO_HYP
    assert gt.access(Access.to(name, False, HYP)).outcome is Outcome.OK
    assert gt.access(Access.to("CNTV_CTL", False, PL1)).outcome is Outcome.OK


def test_cnthctl_pl1pcten_traps_physical_count_not_virtual() -> None:
    gt = GenericTimer()
    gt.cnthctl = HCTL_PL1PCEN
    assert gt.access(Access.to("CNTPCT", False, PL1)).outcome is Outcome.TRAP_TO_HYP
    assert gt.access(Access.to("CNTVCT", False, PL1)).outcome is Outcome.OK
    assert gt.access(Access.to("CNTPCT", False, HYP)).outcome is Outcome.OK


def test_pl0_undefined_by_cntkctl_takes_priority_over_hyp_trap() -> None:
    gt = GenericTimer()
    gt.cnthctl = 0
    gt.cntkctl = 0
    assert gt.access(Access.to("CNTPCT", False, PL0)).outcome is Outcome.UNDEFINED
    assert gt.access(Access.to("CNTP_CTL", False, PL0)).outcome is Outcome.UNDEFINED
    gt.cntkctl = KCTL_PL0PCTEN | KCTL_PL0PTEN
    assert gt.access(Access.to("CNTPCT", False, PL0)).outcome is Outcome.TRAP_TO_HYP
    assert gt.access(Access.to("CNTP_CTL", False, PL0)).outcome is Outcome.TRAP_TO_HYP


def test_refused_write_changes_nothing() -> None:
    gt = GenericTimer()
    gt.cnthctl = 0
    gt.access(Access.to("CNTP_CVAL", True, PL1, 77))
    assert rd(gt, "CNTP_CVAL") == 0


def test_unknown_encodings_are_undefined() -> None:
    gt = GenericTimer()
    for acc in (Access(False, False, 14, 0, 0, 1, HYP), Access(False, False, 13, 0, 2, 1, HYP),
                Access(False, True, 0, 5, 14, 0, HYP), Access(False, True, 0, 2, 15, 0, HYP),
                Access(False, False, 14, 0, 14, 0, HYP), Access(False, False, 14, 4, 3, 0, HYP)):
        assert decode(acc) == UNKNOWN
        assert gt.access(acc).outcome is Outcome.UNDEFINED


def test_every_register_decodes_from_its_own_encoding() -> None:
    for name in REG_NAMES:
        assert decode(Access.to(name, False, HYP)) == name


def test_possible_outcomes_of_hyp_register_below_hyp_is_undefined_only() -> None:
    assert possible_outcomes("CNTVOFF", False, PL1) == {Outcome.UNDEFINED}
    assert possible_outcomes("CNTP_CTL", True, PL1) == {Outcome.OK, Outcome.TRAP_TO_HYP}

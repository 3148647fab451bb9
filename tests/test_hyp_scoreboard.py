"""The Hyp-trap scoreboard (hypsim.hyp_scoreboard) on hand-written retire traces:
it accepts the trap the HSR model predicts and reports every other outcome."""
from __future__ import annotations

from pathlib import Path

from hypsim.hyp_scoreboard import score_trace

HYP, SVC = 0x000001DA, 0x000001D3
# mov r0, #0x2000 (HCR.TWI); mcr p15, 4, r0, c1, c1, 0 (HCR); mcr p15, 4, r1, c12, c0, 0 (HVBAR); cps #0x13
PROLOGUE = f"""W 00 00002000
R 1 40000000 e3a00a02 {HYP:08x} 1
R 2 40000004 ee810f11 {HYP:08x} 1
W 01 40001000
R 3 40000008 e3a01901 {HYP:08x} 1
R 4 4000000c ee8c1f10 {HYP:08x} 1
R 5 40000010 f1020013 {SVC:08x} 1
"""
WFI = 0xE320F003
WFI_HSR = 0x07E00000


def _score(tmp_path: Path, body: str):
    trace = tmp_path / "trace.txt"
    trace.write_text(PROLOGUE + body)
    return score_trace(trace)


def test_predicted_wfi_trap_with_model_syndrome_is_accepted(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {WFI:08x} {SVC:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_HSR:08x}\n")
    assert s.ok and s.checked == 1, s.mismatches


def test_wrong_hsr_is_a_mismatch(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {WFI:08x} {SVC:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_HSR | 1:08x}\n")
    assert s.mismatch_count == 1 and "expected trap" in s.mismatches[0]


def test_wrong_elr_is_a_mismatch(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {WFI:08x} {SVC:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000018 40001014 {HYP:08x} {WFI_HSR:08x}\n")
    assert s.mismatch_count == 1


def test_missing_trap_is_a_mismatch(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {WFI:08x} {SVC:08x} 1\n"
                         f"R 7 40000018 e1a00000 {SVC:08x} 1\n")
    assert s.mismatch_count == 1 and "without one" in s.mismatches[0]


def test_condition_failed_wfi_must_not_trap(tmp_path: Path) -> None:
    wfine = 0x1320F003
    s = _score(tmp_path, f"R 6 40000014 {wfine:08x} {SVC:08x} 0\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_HSR:08x}\n")
    assert s.mismatch_count == 1 and "does not predict" in s.mismatches[0]
    assert s.untrapped == 1


def test_unpredicted_trap_is_a_mismatch_even_when_the_retire_record_shows_hyp(tmp_path: Path) -> None:
    """The RTL's retire record of a trapped instruction carries the CPSR after
    entry (Hyp); the scoreboard still judges it by the mode it executed in."""
    vmrs_fpexc = 0xEEF83A10          # HCPTR is 0: the model predicts no trap
    s = _score(tmp_path, f"R 6 40000014 {vmrs_fpexc:08x} {HYP:08x} 1\n"
                         f"X 6 7 40000014 40001014 {HYP:08x} 1fe0000a\n")
    assert s.mismatch_count == 1 and "does not predict" in s.mismatches[0]


def test_wrong_spsr_hyp_is_a_mismatch(tmp_path: Path) -> None:
    """SPSR_hyp must hold the CPSR the trapped instruction ran with."""
    s = _score(tmp_path, f"R 6 40000014 {WFI:08x} {SVC:08x} 1\n"
                         f"W 25 {SVC | 0x20000000:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_HSR:08x}\n")
    assert s.mismatch_count == 1 and "SPSR_hyp" in s.mismatches[0]


LDR_R0 = 0xE5910000             # ldr r0, [r1]
DABT_S2_HSR = 0x93800007        # EC 0x24, IL, ISV, SAS word, SRT 0, translation fault level 3


def test_stage2_data_abort_at_the_trap_vector_is_accepted(tmp_path: Path) -> None:
    """A stage-2 abort is the MMU's, not a trap: accepted when it enters Hyp
    mode at HVBAR+0x14 (B1.8.1), counted apart from the traps."""
    s = _score(tmp_path, f"R 6 40000014 {LDR_R0:08x} {HYP:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000014 40001014 {HYP:08x} {DABT_S2_HSR:08x}\n")
    assert s.ok and s.stage2_aborts == 1 and s.checked == 0, s.mismatches


def test_stage2_abort_at_a_wrong_vector_is_a_mismatch(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {LDR_R0:08x} {HYP:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000014 40001010 {HYP:08x} {DABT_S2_HSR:08x}\n")
    assert s.mismatch_count == 1 and "stage-2 abort" in s.mismatches[0]


def test_stage2_data_abort_with_a_wrong_elr_is_a_mismatch(tmp_path: Path) -> None:
    """ELR_hyp of a stage-2 data abort is the faulting instruction (B1.8.3)."""
    s = _score(tmp_path, f"R 6 40000014 {LDR_R0:08x} {HYP:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000018 40001014 {HYP:08x} {DABT_S2_HSR:08x}\n")
    assert s.mismatch_count == 1 and "ELR_hyp" in s.mismatches[0]


def test_stage2_data_abort_with_a_wrong_srt_is_a_mismatch(tmp_path: Path) -> None:
    """SRT names the LDR's Rt (r0 here), not r1: the instruction's part of the
    syndrome is checked against tb/models/mmu_faults.data_abort_instr_syndrome."""
    s = _score(tmp_path, f"R 6 40000014 {LDR_R0:08x} {HYP:08x} 1\n"
                         f"W 25 {SVC:08x}\nX 6 7 40000014 40001014 {HYP:08x} {DABT_S2_HSR | 1 << 16:08x}\n")
    assert s.mismatch_count == 1 and "SRT" in s.mismatches[0]

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


# --- exceptions taken from Hyp mode (B1.8.1, B3.13.6) --------------------------------
# After PROLOGUE the program is in SVC; these traces stay in Hyp mode: the same
# set-up without the cps (HVBAR = 0x40001000).
HYP_PROLOGUE = PROLOGUE.rsplit("R 5", 1)[0]
HYP_AIF = 0x000001DA                 # Hyp with A, I, F set (as at reset)
UDF = 0xE7F000F0                 # udf #0
SVC_HYP = 0xEF00ABCD             # svc #0xabcd
HVC_HYP = 0xE1412374             # hvc #0x1234
MRC_P7 = 0xEE170710              # mrc p7, 0, r0, c7, c0, 0: unallocated coprocessor
UDF_HSR = 0x00000000             # EC 0x00, IL 0 (UNK/SBZP on v7, QEMU clears it)
SVC_HSR = 0x4600ABCD             # EC 0x11, IL, imm16
HVC_HSR = 0x4A001234             # EC 0x12, IL, imm16


def _hyp_exc(pc: int, instr: int, kind: int, ret: int, vector: int, hsr: int,
             spsr: int = HYP_AIF, cpsr_after: int = HYP_AIF) -> str:
    return (f"R 6 {pc:08x} {instr:08x} {cpsr_after:08x} 1\n"
            f"W 25 {spsr:08x}\nX 6 {kind} {ret:08x} {vector:08x} {cpsr_after:08x} {hsr:08x}\n")


def _score_hyp(tmp_path: Path, body: str):
    trace = tmp_path / "trace.txt"
    trace.write_text(HYP_PROLOGUE + body)
    return score_trace(trace)


def test_udf_in_hyp_mode_to_hvbar_plus_4_with_ec_0_is_accepted(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, UDF, 1, 0x40000010, 0x40001004, UDF_HSR))
    assert s.ok and s.hyp_mode == 1, s.mismatches
    assert s.bins[("UNKNOWN", "UDF", "HYP", True)] == 1


def test_svc_and_hvc_in_hyp_mode_to_hvbar_plus_8_are_accepted(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, SVC_HYP, 2, 0x40000014, 0x40001008, SVC_HSR)
                   + _hyp_exc(0x40001008, HVC_HYP, 7, 0x4000100c, 0x40001008, HVC_HSR))
    assert s.ok and s.hyp_mode == 2, s.mismatches
    assert s.bins[("SVC_HYP", "SVC", "HYP", True)] == 1 and s.bins[("HVC", "HVC", "HYP", True)] == 1


def test_unallocated_coprocessor_in_hyp_mode_is_undefined(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, MRC_P7, 1, 0x40000010, 0x40001004, UDF_HSR))
    assert s.ok and s.bins[("UNKNOWN", "COPROC", "HYP", True)] == 1, s.mismatches


def test_udf_in_hyp_mode_at_a_wrong_vector_is_named(tmp_path: Path) -> None:
    """UNDEFINED from Hyp mode goes to HVBAR+0x04, not the trap vector HVBAR+0x14."""
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, UDF, 1, 0x40000010, 0x40001014, UDF_HSR))
    assert s.mismatch_count == 1
    msg = s.mismatches[0]
    assert "vector expected 0x40001004 seen 0x40001014" in msg and "pc 0x40000010" in msg and "cycle 6" in msg


def test_udf_in_hyp_mode_with_a_wrong_elr_is_named(tmp_path: Path) -> None:
    """ELR_hyp of an UNDEFINED instruction is the instruction itself (B1.8.3), not +4."""
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, UDF, 1, 0x40000014, 0x40001004, UDF_HSR))
    assert s.mismatch_count == 1 and "ELR_hyp expected 0x40000010 seen 0x40000014" in s.mismatches[0]


def test_svc_in_hyp_mode_with_a_wrong_elr_is_named(tmp_path: Path) -> None:
    """ELR_hyp of an SVC is the next instruction."""
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, SVC_HYP, 2, 0x40000010, 0x40001008, SVC_HSR))
    assert s.mismatch_count == 1 and "ELR_hyp expected 0x40000014 seen 0x40000010" in s.mismatches[0]


def test_svc_in_hyp_mode_with_a_wrong_spsr_is_named(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, SVC_HYP, 2, 0x40000014, 0x40001008, SVC_HSR,
                                      spsr=HYP_AIF | 0x80000000))
    assert s.mismatch_count == 1 and f"SPSR_hyp expected {HYP_AIF:#010x} seen {HYP_AIF | 0x80000000:#010x}" \
        in s.mismatches[0]


def test_svc_in_hyp_mode_with_a_wrong_hsr_is_named(tmp_path: Path) -> None:
    """HSR of an SVC taken to Hyp mode: EC 0x11, IL 1, imm16 (B3.13.6)."""
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, SVC_HYP, 2, 0x40000014, 0x40001008, SVC_HSR & ~(1 << 25)))
    assert s.mismatch_count == 1 and "HSR expected 0x4600abcd seen 0x4400abcd" in s.mismatches[0]


def test_hvc_in_hyp_mode_with_a_wrong_hsr_ec_is_named(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, HVC_HYP, 7, 0x40000014, 0x40001008, SVC_HSR))
    assert s.mismatch_count == 1 and "HSR expected 0x4a001234 seen 0x4600abcd" in s.mismatches[0]


def test_udf_in_hyp_mode_retired_without_an_exception_is_a_mismatch(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, f"R 6 40000010 {UDF:08x} {HYP:08x} 1\nR 7 40000014 e1a00000 {HYP:08x} 1\n")
    assert s.mismatch_count == 1 and "retired without one" in s.mismatches[0]


def test_semihosting_svc_in_hyp_mode_takes_no_exception(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, f"R 6 40000010 ef123456 {HYP:08x} 1\nR 7 40000014 e1a00000 {HYP:08x} 1\n")
    assert s.ok, s.mismatches


LDR_HYP = 0xE5910000                 # ldr r0, [r1]
DABT_HYP_HSR = 0x94000010            # EC 0x25, external abort (IL, ISV 0 outside QEMU compat)


def test_data_abort_from_hyp_mode_to_hvbar_plus_0x10_is_accepted(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, LDR_HYP, 4, 0x40000010, 0x40001010, DABT_HYP_HSR))
    assert s.ok and s.bins[("DABT_HYP", "abort", "HYP", True)] == 1, s.mismatches


def test_data_abort_from_hyp_mode_with_a_wrong_wnr_is_named(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, LDR_HYP, 4, 0x40000010, 0x40001010, DABT_HYP_HSR | 1 << 6))
    assert s.mismatch_count == 1 and "HSR expected 0x94000000 seen 0x94000040" in s.mismatches[0]


def test_data_abort_from_hyp_mode_at_the_pl1_style_return_address_is_named(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, LDR_HYP, 4, 0x40000018, 0x40001010, DABT_HYP_HSR))
    assert s.mismatch_count == 1 and "ELR_hyp expected 0x40000010 seen 0x40000018" in s.mismatches[0]


def test_prefetch_abort_from_hyp_mode_elr_is_the_fetched_address(tmp_path: Path) -> None:
    """A prefetch abort has no retired instruction: ELR_hyp is where the last
    instruction went (here a BX to 0x09001000)."""
    body = (f"W 02 09001000\nR 6 4000000c e3a02000 {HYP:08x} 1\n"       # r2 := 0x09001000
            f"R 7 40000010 e12fff12 {HYP:08x} 1\n"                        # bx r2
            f"W 25 {HYP:08x}\nX 8 3 09001000 4000100c {HYP_AIF:08x} 84000010\n")
    assert _score_hyp(tmp_path, body).ok
    bad = body.replace("X 8 3 09001000", "X 8 3 09001004")
    s = _score_hyp(tmp_path, bad)
    assert s.mismatch_count == 1 and "ELR_hyp expected 0x09001000 seen 0x09001004" in s.mismatches[0]


# --- physical IRQ/FIQ routed to Hyp mode by HCR.IMO/FMO (B1.8.5, B1.8.6) --------------
GUEST = 0x400001D3                    # SVC with A, I, F set
ERET = 0xE160006E


def _guest_entry_then(hcr: int, kind: int, vector: int, ret: int, spsr: int = GUEST,
                      guest_cpsr: int = GUEST) -> str:
    """HCR := hcr, ELR_hyp := 0x40002000, SPSR_hyp := guest_cpsr, ERET, then an
    interrupt entry with the given fields before the first guest instruction."""
    return (f"W 00 {hcr:08x}\nR 6 40000010 e3a00000 {HYP:08x} 1\n"
            f"R 7 40000014 ee810f11 {HYP:08x} 1\n"
            f"W 1f 40002000\nR 8 40000018 e12ef300 {HYP:08x} 1\n"
            f"W 25 {guest_cpsr:08x}\nR 9 4000001c e16ef300 {HYP:08x} 1\n"
            f"R 10 40000020 {ERET:08x} {guest_cpsr:08x} 1\n"
            f"W 1f {ret:08x}\nW 25 {spsr:08x}\nX 12 {kind} {ret:08x} {vector:08x} {HYP_AIF & ~0xF0000000 | GUEST & 0xF0000000:08x} 0\n")


def test_irq_under_imo_taken_at_guest_entry_with_i_set_is_accepted(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _guest_entry_then(0x10, 5, 0x40001018, 0x40002000))
    assert s.ok and s.interrupts == 1, s.mismatches
    assert s.bins[("IRQ", "HCR.IMO", "SVC", True)] == 1


def test_fiq_under_fmo_taken_at_guest_entry_with_f_set_is_accepted(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _guest_entry_then(0x08, 6, 0x4000101c, 0x40002000))
    assert s.ok and s.bins[("FIQ", "HCR.FMO", "SVC", True)] == 1, s.mismatches


def test_irq_to_hyp_with_elr_past_the_guest_entry_is_named(tmp_path: Path) -> None:
    """The IRQ comes before the first guest instruction: ELR_hyp is the entry address."""
    s = _score_hyp(tmp_path, _guest_entry_then(0x10, 5, 0x40001018, 0x40002004))
    assert s.mismatch_count == 1
    assert "ELR_hyp expected 0x40002000 seen 0x40002004" in s.mismatches[0] and "cycle 12" in s.mismatches[0]


def test_irq_to_hyp_at_the_trap_vector_is_named(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _guest_entry_then(0x10, 5, 0x40001014, 0x40002000))
    assert s.mismatch_count == 1 and "vector expected 0x40001018 seen 0x40001014" in s.mismatches[0]


def test_irq_to_hyp_with_a_wrong_spsr_is_named(tmp_path: Path) -> None:
    """SPSR_hyp is the guest CPSR, I bit included."""
    s = _score_hyp(tmp_path, _guest_entry_then(0x10, 5, 0x40001018, 0x40002000, spsr=GUEST & ~0x80))
    assert s.mismatch_count == 1 and f"SPSR_hyp expected {GUEST:#010x}" in s.mismatches[0]


def test_irq_to_hyp_without_imo_is_a_mismatch(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _guest_entry_then(0x08, 5, 0x40001018, 0x40002000))
    assert s.mismatch_count == 1 and "HCR.IMO clear" in s.mismatches[0]


def test_irq_taken_in_hyp_mode_with_i_set_is_a_mismatch(tmp_path: Path) -> None:
    """With IMO an IRQ in Hyp mode is masked by CPSR.I (B1.8.6)."""
    body = (f"W 00 00000010\nR 6 40000010 e3a00000 {HYP:08x} 1\nR 7 40000014 ee810f11 {HYP:08x} 1\n"
            f"W 1f 40000018\nW 25 {HYP_AIF:08x}\nX 9 5 40000018 40001018 {HYP_AIF:08x} 0\n")
    s = _score_hyp(tmp_path, body)
    assert s.mismatch_count == 1 and "CPSR.I set" in s.mismatches[0]


def test_entry_to_hyp_mode_without_masking_irqs_is_named(tmp_path: Path) -> None:
    """Every entry to Hyp mode sets CPSR.A, I and F (B1.8.3)."""
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, SVC_HYP, 2, 0x40000014, 0x40001008, SVC_HSR,
                                      cpsr_after=0x0000015A))
    assert s.mismatch_count == 1 and "CPSR expected 0x000001da seen 0x0000015a" in s.mismatches[0]


def test_hvc_in_hyp_mode_at_the_trap_vector_is_named(tmp_path: Path) -> None:
    """HVC taken from Hyp mode uses HVBAR+0x08, not the Hyp Trap entry HVBAR+0x14 (B1.8.1)."""
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, HVC_HYP, 7, 0x40000014, 0x40001014, HVC_HSR))
    assert s.mismatch_count == 1 and "vector expected 0x40001008 seen 0x40001014" in s.mismatches[0]


# --- traps from T32 code (issue 13): IL from the width, SPSR_hyp.IT ------------------
# Thumb SVC mode (T set) and the same with ITSTATE 0x04 (2nd of ITT EQ: IT[7:2] = 0b000001)
SVC_T = SVC | 0x20
SVC_T_IT04 = SVC_T | (0x04 >> 2) << 10
SVC_T_IT08 = SVC_T | (0x08 >> 2) << 10          # 0x04 advanced (QEMU's WFI quirk)
WFI_T16 = 0xBF30                                # wfi (16-bit)
WFI_T32 = 0xF3AF8003                            # wfi.w
WFI_T16_HSR = 0x05E00000                        # EC 0x01, IL 0, CV 1, COND 0xE (QEMU, tests/test_hsr_t32.py)
HVC_T32 = 0xF7E18234                            # hvc #0x1234 (imm4 = 1, imm12 = 0x234)


def _score_t32(tmp_path: Path, body: str, qemu_compat: bool = False):
    """PROLOGUE, then ``body``, whose first instruction runs with its record's CPSR (in
    Thumb state: the trace's CPSR before an instruction is the one the last left)."""
    first_cpsr = body.split()[4]
    trace = tmp_path / "trace.txt"
    trace.write_text(PROLOGUE.replace(f"f1020013 {SVC:08x} 1", f"f1020013 {first_cpsr} 1") + body)
    return score_trace(trace, qemu_compat=qemu_compat)


def test_t32_16bit_wfi_trap_with_il_0_is_accepted(tmp_path: Path) -> None:
    s = _score_t32(tmp_path, f"R 6 40000014 {WFI_T16:08x} {SVC_T:08x} 1\n"
                             f"W 25 {SVC_T:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_T16_HSR:08x}\n")
    assert s.ok and s.checked == 1, s.mismatches


def test_t32_16bit_wfi_trap_with_il_1_is_named(tmp_path: Path) -> None:
    """A design that reports the A32 IL for a 16-bit T32 trap is stopped, naming HSR.IL."""
    s = _score_t32(tmp_path, f"R 6 40000014 {WFI_T16:08x} {SVC_T:08x} 1\n"
                             f"W 25 {SVC_T:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_HSR:08x}\n")
    assert s.mismatch_count == 1 and "HSR.IL expected 0x0 seen 0x1" in s.mismatches[0], s.mismatches


def test_t32_32bit_wfi_trap_with_il_0_is_named(tmp_path: Path) -> None:
    s = _score_t32(tmp_path, f"R 6 40000014 {WFI_T32:08x} {SVC_T:08x} 1\n"
                             f"W 25 {SVC_T:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_T16_HSR:08x}\n")
    assert s.mismatch_count == 1 and "HSR.IL expected 0x1 seen 0x0" in s.mismatches[0], s.mismatches


def test_t32_wfi_trap_in_an_it_block_saves_itstate_as_qemu(tmp_path: Path) -> None:
    """QEMU 7.2 saves a trapped WFI's ITSTATE advanced past it (hsr.spsr_itstate_on_trap):
    expected with qemu_compat; the ARM ARM's own ITSTATE otherwise."""
    body_adv = (f"R 6 40000014 {WFI_T16:08x} {SVC_T_IT04:08x} 1\n"
                f"W 25 {SVC_T_IT08:08x}\nX 6 7 40000014 40001014 {HYP:08x} {WFI_T16_HSR:08x}\n")
    body_own = body_adv.replace(f"W 25 {SVC_T_IT08:08x}", f"W 25 {SVC_T_IT04:08x}")
    assert _score_t32(tmp_path, body_adv, qemu_compat=True).ok
    assert _score_t32(tmp_path, body_own, qemu_compat=False).ok
    s = _score_t32(tmp_path, body_own, qemu_compat=True)
    assert s.mismatch_count == 1 and "SPSR_hyp.IT[7:2] expected 0x2 seen 0x1" in s.mismatches[0], s.mismatches


def test_t32_hvc_returns_after_its_four_bytes(tmp_path: Path) -> None:
    ok = (f"R 6 40000014 {HVC_T32:08x} {SVC_T:08x} 1\n"
          f"W 25 {SVC_T:08x}\nX 6 7 40000018 40001014 {HYP:08x} {HVC_HSR:08x}\n")
    assert _score_t32(tmp_path, ok).ok
    s = _score_t32(tmp_path, ok.replace("X 6 7 40000018", "X 6 7 40000016"))
    assert s.mismatch_count == 1 and "ELR_hyp expected 0x40000018 seen 0x40000016" in s.mismatches[0]


def test_t32_16bit_load_stage2_abort_has_il_0(tmp_path: Path) -> None:
    """ldr r0, [r1] (6808, 16-bit): ISV, SAS word, SRT 0 as for A32, but IL = 0 (QEMU's
    ISSIs16Bit); the A32 value (IL 1) is a mismatch naming the syndrome."""
    ldr16 = 0x6808
    hsr16 = DABT_S2_HSR & ~(1 << 25)
    ok = (f"R 6 40000014 {ldr16:08x} {HYP:08x} 1\n"
          f"W 25 {SVC_T:08x}\nX 6 7 40000014 40001014 {HYP:08x} {hsr16:08x}\n")
    pre = PROLOGUE.replace(f"R 5 40000010 f1020013 {SVC:08x} 1", f"R 5 40000010 f1020013 {SVC_T:08x} 1")
    (tmp_path / "trace.txt").write_text(pre + ok)
    s = score_trace(tmp_path / "trace.txt")
    assert s.ok and s.stage2_aborts == 1, s.mismatches
    (tmp_path / "trace.txt").write_text(pre + ok.replace(f"{hsr16:08x}", f"{DABT_S2_HSR:08x}"))
    s = score_trace(tmp_path / "trace.txt")
    assert s.mismatch_count == 1 and "IL/ISV" in s.mismatches[0], s.mismatches


def test_t32_svc_in_hyp_mode_has_il_0_and_returns_after_two_bytes(tmp_path: Path) -> None:
    hyp_t = HYP_AIF | 0x20
    svc16 = 0xDF12                                  # svc #0x12
    ok = _hyp_exc(0x40000014, svc16, 2, 0x40000016, 0x40001008, 0x44000012, spsr=hyp_t, cpsr_after=HYP_AIF)
    pre = HYP_PROLOGUE + f"R 5 40000010 e1a00000 {hyp_t:08x} 1\n"
    (tmp_path / "trace.txt").write_text(pre + ok)
    s = score_trace(tmp_path / "trace.txt")
    assert s.ok and s.hyp_mode == 1, s.mismatches
    (tmp_path / "trace.txt").write_text(pre + ok.replace("44000012\n", "46000012\n"))
    s = score_trace(tmp_path / "trace.txt")
    assert s.mismatch_count == 1 and "HSR expected 0x44000012 seen 0x46000012" in s.mismatches[0], s.mismatches


def _thumb_guest_irq(instr: int, elr: int) -> str:
    """ERET into a Thumb guest at 0x40002000, one T32 instruction, then an IRQ to Hyp mode
    (HCR.IMO) whose ELR_hyp is ``elr``."""
    guest_t = GUEST | 0x20
    entry = _guest_entry_then(0x10, 5, 0x40001018, 0x40002000, guest_cpsr=guest_t).rsplit("W 1f", 1)[0]
    cpsr_after = HYP_AIF & ~0xF0000000 | GUEST & 0xF0000000
    return (entry + f"R 11 40002000 {instr:08x} {guest_t:08x} 1\n"
            f"W 1f {elr:08x}\nW 25 {guest_t:08x}\nX 13 5 {elr:08x} 40001018 {cpsr_after:08x} 0\n")


def test_irq_to_hyp_after_a_t32_instruction_returns_to_the_next_one(tmp_path: Path) -> None:
    """ELR_hyp of an IRQ after a Thumb instruction: address + 2 (16-bit) or + 4 (32-bit);
    the A32 step (+ 4) after a 16-bit one is named."""
    assert _score_hyp(tmp_path, _thumb_guest_irq(0x3001, 0x40002002)).ok          # adds r0, #1
    assert _score_hyp(tmp_path, _thumb_guest_irq(0xF1000001, 0x40002004)).ok      # add.w r0, r0, #1
    s = _score_hyp(tmp_path, _thumb_guest_irq(0x3001, 0x40002004))
    assert s.mismatch_count == 1 and "ELR_hyp expected 0x40002002 seen 0x40002004" in s.mismatches[0], s.mismatches


# --- SMC: a PSCI call where HCR.TSC does not trap it (hsr.smc_is_psci_call; QEMU -M virt,
# virtualization=on answers it, any -smp, and so does the SoC's soc_psci) --------------------
SMC = 0xE1600070
UND_AIF = 0x000001DB


def test_untrapped_smc_from_svc_is_a_psci_call_that_retires(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {SMC:08x} {SVC:08x} 1\nW 00 ffffffff\n"
                         f"R 7 40000018 e1a00000 {SVC:08x} 1\n")
    assert s.ok and s.psci_calls == 1 and s.untrapped == 1, s.mismatches


def test_untrapped_smc_from_svc_taken_as_undefined_is_a_mismatch(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {SMC:08x} {SVC:08x} 1\n"
                         f"X 6 1 40000018 00000004 {UND_AIF:08x} 00000000\n")
    assert s.mismatch_count == 1 and "is a PSCI call (from SVC mode, HCR.TSC clear)" in s.mismatches[0], \
        s.mismatches
    assert s.psci_calls == 0


def test_smc_in_hyp_mode_is_a_psci_call(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, f"R 6 40000010 {SMC:08x} {HYP:08x} 1\nW 00 00010001\n"
                             f"R 7 40000014 e1a00000 {HYP:08x} 1\n")
    assert s.ok and s.psci_calls == 1, s.mismatches


def test_smc_in_hyp_mode_taken_as_undefined_is_a_mismatch(tmp_path: Path) -> None:
    s = _score_hyp(tmp_path, _hyp_exc(0x40000010, SMC, 1, 0x40000010, 0x40001004, UDF_HSR))
    assert s.mismatch_count == 1 and "is a PSCI call (from HYP mode" in s.mismatches[0], s.mismatches


def test_condition_failed_smc_is_no_psci_call(tmp_path: Path) -> None:
    s = _score(tmp_path, f"R 6 40000014 {SMC & 0x0FFFFFFF:08x} {SVC:08x} 0\n"
                         f"R 7 40000018 e1a00000 {SVC:08x} 1\n")
    assert s.ok and s.psci_calls == 0, s.mismatches

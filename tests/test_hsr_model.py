"""hypsim.models.hsr: HSR encodings from the ARM ARM ARMv7-A/R (section numbers
in the test names' docstrings). The concrete syndromes below were also read
back on QEMU 7.2 (-M virt,virtualization=on -cpu cortex-a15) from a Hyp trap
handler, which reports CV=1, COND=0xE."""
from __future__ import annotations

import pytest

from hypsim.models.arm_state import Mode
from hypsim.models.hsr import (EC, HCR, Syndrome, TrapControls, decode, decode_coproc, encode,
                               hyp_mode_exception, iss_coproc, smc_is_psci_call, trap_class)


def _asm_word(text: str) -> int:
    """A few A32 encodings, assembled by hand from ARM ARM A8.8 (checked with objdump)."""
    return {
        "wfi": 0xE320F003, "wfe": 0xE320F002, "wfieq": 0x0320F003,
        "smc #0": 0xE1600070, "hvc #0x1234": 0xE1412374,
        "mcr p15,0,r3,c7,c10,5": 0xEE073FBA,       # CP15DMB
        "mrc p15,0,r3,c1,c0,0": 0xEE113F10,        # SCTLR read
        "mcr p15,0,r3,c1,c0,0": 0xEE013F10,        # SCTLR write
        "mcr p15,0,r3,c1,c0,2": 0xEE013F50,        # CPACR write
        "mrc p15,0,r3,c0,c0,1": 0xEE103F30,        # CTR
        "mrc p15,1,r3,c0,c0,1": 0xEE303F30,        # CLIDR
        "mrc p15,1,r3,c0,c0,7": 0xEE303FF0,        # AIDR
        "mrc p15,0,r3,c1,c0,1": 0xEE113F30,        # ACTLR
        "mcr p15,0,r3,c8,c7,0": 0xEE083F17,        # TLBIALL
        "mrc p15,0,r3,c0,c1,0": 0xEE103F11,        # ID_PFR0
        "mcrr p15,0,r3,r12,c2": 0xEC4C3F02,        # TTBR0 64-bit write
    }[text]


def test_hsr_fields_pack_as_b3_13_6_figure_b3_12() -> None:
    """B3.13.6: EC[31:26], IL[25], ISS[24:0]."""
    assert encode(EC.HVC, 0x1234) == 0x4A00_1234
    assert decode(0x4A00_1234) == Syndrome(EC.HVC, 1, 0x1234)
    with pytest.raises(ValueError):
        encode(64, 0)


def test_wfi_trap_iss_has_cv_cond_and_ti_zero() -> None:
    """B3.13.6 ISS for EC 0x01: CV, COND, TI=0 for WFI (QEMU read 0x07e00000)."""
    syn = trap_class(_asm_word("wfi"), Mode.SVC, TrapControls(hcr=HCR.TWI))
    assert syn is not None and syn.value == 0x07E0_0000


def test_wfe_trap_sets_ti() -> None:
    """B3.13.6 EC 0x01, TI=1 for WFE (HCR.TWE, B1.14.9)."""
    syn = trap_class(_asm_word("wfe"), Mode.SVC, TrapControls(hcr=HCR.TWE))
    assert syn is not None and syn.value == 0x07E0_0001


def test_conditional_wfi_reports_cond_0xe_as_qemu_or_its_own_cond() -> None:
    """B3.13.6 "The COND field": both permitted forms."""
    w = _asm_word("wfieq")
    assert trap_class(w, Mode.SVC, TrapControls(hcr=HCR.TWI)).value == 0x07E0_0000
    assert trap_class(w, Mode.SVC, TrapControls(hcr=HCR.TWI), "instruction").value == 0x0700_0000


def test_wfi_without_twi_does_not_trap() -> None:
    assert trap_class(_asm_word("wfi"), Mode.SVC, TrapControls(hcr=HCR.TWE)) is None


def test_smc_traps_under_tsc_with_iss_zero() -> None:
    """B1.14.6 HCR.TSC; EC 0x13 (QEMU read 0x4e000000)."""
    assert trap_class(_asm_word("smc #0"), Mode.SVC, TrapControls(hcr=HCR.TSC)).value == 0x4E00_0000
    assert trap_class(_asm_word("smc #0"), Mode.SVC, TrapControls()) is None


@pytest.mark.parametrize("mode", [Mode.HYP, Mode.SVC, Mode.SYS, Mode.ABT, Mode.UND, Mode.IRQ, Mode.FIQ])
def test_untrapped_smc_is_a_psci_call(mode: Mode) -> None:
    """QEMU 7.2 virt,virtualization=on -smp 1 (and 2) answers every SMC from Hyp or from PL1
    without HCR.TSC as PSCI, whatever r0 (firmware/smp/smc1.c: VERSION 0x10001 from Hyp and
    SVC, -1 for r0 = 0, 0x12345678, SMC64 ids); under TSC the PL1 SMC traps instead."""
    assert smc_is_psci_call(mode, TrapControls())
    assert smc_is_psci_call(mode, TrapControls(hcr=HCR.TSC)) == (mode == Mode.HYP)
    assert hyp_mode_exception(_asm_word("smc #0"), TrapControls()) is None


def test_smc_from_user_mode_is_undefined_not_psci() -> None:
    """QEMU: SMC at PL0 is UNDEFINED (smc1.c: the PL1 Undefined handler ran, r0 not answered)."""
    assert not smc_is_psci_call(Mode.USR, TrapControls())
    assert not smc_is_psci_call(Mode.USR, TrapControls(hcr=HCR.TSC))
    assert trap_class(_asm_word("smc #0"), Mode.USR, TrapControls(hcr=HCR.TSC)) is None


def test_hvc_iss_is_the_16_bit_immediate() -> None:
    """B3.13.6 ISS for EC 0x12: imm16; A8.8.80 encodes imm12:imm4."""
    assert trap_class(_asm_word("hvc #0x1234"), Mode.SVC, TrapControls()).value == 0x4A00_1234
    assert trap_class(_asm_word("hvc #0x1234"), Mode.USR, TrapControls()) is None  # UNDEFINED


def test_nothing_traps_from_hyp_mode() -> None:
    """B1.14: the traps are from Non-secure PL1 and PL0 only."""
    assert trap_class(_asm_word("wfi"), Mode.HYP, TrapControls(hcr=HCR.TWI)) is None


def test_hstr_t7_traps_cp15dmb_with_full_iss() -> None:
    """B4.1.73 HSTR.T7; B3.13.6 ISS for EC 0x03 (QEMU read 0x0fea1c74)."""
    syn = trap_class(_asm_word("mcr p15,0,r3,c7,c10,5"), Mode.SVC, TrapControls(hstr=1 << 7))
    assert syn == Syndrome(EC.MCR_MRC_CP15, 1, 0x1EA1C74)


def test_hstr_t1_traps_reads_and_writes_with_direction_bit() -> None:
    """B3.13.6: Direction is 1 for a read (MRC). QEMU: 0x0fe00461 / 0x0fe40460."""
    c = TrapControls(hstr=1 << 1)
    assert trap_class(_asm_word("mrc p15,0,r3,c1,c0,0"), Mode.SVC, c).value == 0x0FE0_0461
    assert trap_class(_asm_word("mcr p15,0,r3,c1,c0,2"), Mode.SYS, c).value == 0x0FE4_0460


def test_hstr_t4_and_t14_are_reserved() -> None:
    """B1.14.4: HSTR.T4 and T14 do not trap."""
    acc = decode_coproc(0xEE143F10)  # mrc p15,0,r3,c4,c0,0
    assert acc is not None
    assert trap_class(0xEE143F10, Mode.SVC, TrapControls(hstr=1 << 4)) is None


@pytest.mark.parametrize("insn,bit,value", [
    ("mrc p15,0,r3,c0,c0,1", HCR.TID2, 0x0FE2_0061),   # CTR (QEMU)
    ("mrc p15,1,r3,c0,c0,1", HCR.TID2, 0x0FE2_4061),   # CLIDR (QEMU)
    ("mrc p15,1,r3,c0,c0,7", HCR.TID1, 0x0FEE_4061),   # AIDR (QEMU)
    ("mrc p15,0,r3,c1,c0,1", HCR.TAC, 0x0FE2_0461),    # ACTLR (QEMU)
    ("mcr p15,0,r3,c8,c7,0", HCR.TTLB, 0x0FE0_206E),   # TLBIALL (QEMU)
    ("mcr p15,0,r3,c1,c0,0", HCR.TVM, 0x0FE0_0460),    # SCTLR write (QEMU)
    ("mrc p15,0,r3,c0,c1,0", HCR.TID3, 0x0FE0_0063),   # ID_PFR0 (ARM ARM; QEMU 7.2 does not trap)
])
def test_hcr_cp15_trap_controls_b1_14(insn: str, bit: HCR, value: int) -> None:
    """B1.14.x: the HCR controls of CP15 accesses; EC 0x03 ISS per B3.13.6."""
    w = _asm_word(insn)
    assert trap_class(w, Mode.SVC, TrapControls(hcr=bit)).value == value
    assert trap_class(w, Mode.SVC, TrapControls(hcr=0)) is None


def test_tvm_traps_writes_only() -> None:
    """B1.14.x HCR.TVM traps writes to the virtual memory controls, not reads."""
    assert trap_class(_asm_word("mrc p15,0,r3,c1,c0,0"), Mode.SVC, TrapControls(hcr=HCR.TVM)) is None


def test_mcrr_trap_uses_the_64_bit_iss_layout() -> None:
    """B3.13.6 ISS for EC 0x04: Opc1[19:16], Rt2[13:10], Rt[8:5], CRm[4:1], Direction."""
    w = _asm_word("mcrr p15,0,r3,r12,c2")
    acc = decode_coproc(w)
    assert acc is not None and acc.is64 and acc.rt == 3 and acc.rt2 == 12
    assert iss_coproc(acc, w) == (1 << 24) | (0xE << 20) | (12 << 10) | (3 << 5) | (2 << 1)
    syn = trap_class(w, Mode.SVC, TrapControls(hstr=1 << 2))
    assert syn is not None and syn.ec == EC.MCRR_MRRC_CP15


def test_pl0_access_undefined_at_pl0_is_not_trapped() -> None:
    """B1.14.1: UNDEFINED at PL0 has priority; TPIDRURW (B4.1.150) is PL0-accessible."""
    c = TrapControls(hstr=(1 << 1) | (1 << 13))
    assert trap_class(_asm_word("mrc p15,0,r3,c1,c0,0"), Mode.USR, c) is None
    tpidrurw_read = 0xEE1D3F50          # mrc p15, 0, r3, c13, c0, 2
    syn = trap_class(tpidrurw_read, Mode.USR, c)
    assert syn is not None and syn.ec == EC.MCR_MRC_CP15


def test_cnthctl_traps_pl1_cntpct_reads_as_a_64_bit_cp15_trap() -> None:
    """B8.1.2: CNTHCTL.PL1PCTEN = 0 traps PL1 reads of CNTPCT (EC 0x04, B3.13.6)."""
    mrrc_cntpct = 0xEC532F0E          # mrrc p15, 0, r2, r3, c14
    assert trap_class(mrrc_cntpct, Mode.SVC, TrapControls()) is None          # reset: PL1PCTEN = 1
    syn = trap_class(mrrc_cntpct, Mode.SVC, TrapControls(cnthctl=0))
    assert syn is not None and syn.ec == EC.MCRR_MRRC_CP15
    assert syn.iss == (1 << 24) | (0xE << 20) | (3 << 10) | (2 << 5) | (14 << 1) | 1
    # PL0 without CNTKCTL.PL0PCTEN: UNDEFINED first, no trap
    assert trap_class(mrrc_cntpct, Mode.USR, TrapControls(cnthctl=0)) is None
    assert trap_class(mrrc_cntpct, Mode.USR, TrapControls(cnthctl=0, cntkctl=1)) is not None


def test_vmrs_of_id_registers_traps_under_tid0_and_tid3_b1_14() -> None:
    """HCR.TID0: FPSID, HCR.TID3: MVFR0/1 (EC 0x08; QEMU read 0x23e1c061 / 0x23e1dc61)."""
    vmrs_fpsid, vmrs_mvfr0 = 0xEEF03A10, 0xEEF73A10      # vmrs r3, fpsid / mvfr0
    c = TrapControls(hcr=HCR.TID0, cpacr=0xF << 20)
    assert trap_class(vmrs_fpsid, Mode.SVC, c).value == 0x23E1C061
    assert trap_class(vmrs_mvfr0, Mode.SVC, c) is None
    c = TrapControls(hcr=HCR.TID3, cpacr=0xF << 20)
    assert trap_class(vmrs_mvfr0, Mode.SVC, c).value == 0x23E1DC61
    assert trap_class(vmrs_mvfr0, Mode.USR, c) is None                  # UNDEFINED at PL0


def test_qemu_compat_leaves_out_exactly_the_traps_qemu_lacks() -> None:
    """QEMU 7.2 does not trap WFE (TWE), the CP15 ID registers (TID3), TCMTR (TID1)."""
    from hypsim.models.hsr import QEMU_UNTRAPPED
    assert HCR.TWE in QEMU_UNTRAPPED and HCR.TWI not in QEMU_UNTRAPPED
    arm = TrapControls(hcr=HCR.TWE | HCR.TID3 | HCR.TID1)
    qemu = TrapControls(hcr=HCR.TWE | HCR.TID3 | HCR.TID1, qemu_compat=True)
    for insn in ("wfe", "mrc p15,0,r3,c0,c1,0"):
        assert trap_class(_asm_word(insn), Mode.SVC, arm) is not None
        assert trap_class(_asm_word(insn), Mode.SVC, qemu) is None
    tcmtr = 0xEE103F50                                   # mrc p15, 0, r3, c0, c0, 2
    assert trap_class(tcmtr, Mode.SVC, arm) is not None and trap_class(tcmtr, Mode.SVC, qemu) is None
    assert trap_class(_asm_word("mrc p15,1,r3,c0,c0,7"), Mode.SVC, qemu) is not None   # AIDR still


# --- exceptions taken from Hyp mode (B1.8.1 Hyp vector table, B3.13.6) --------------------

def test_svc_in_hyp_mode_goes_to_hvbar_plus_8_with_ec_0x11_and_imm16() -> None:
    from hypsim.models.hsr import hyp_mode_exception
    exc = hyp_mode_exception(0xEF054321, TrapControls())        # svc #0x54321
    assert exc is not None and (exc.kind, exc.offset, exc.return_offset) == ("svc", 0x08, 4)
    assert exc.syndrome.value == 0x46004321                      # read back on QEMU 7.2 (isa/hypirq.S)


def test_semihosting_svc_in_hyp_mode_takes_no_exception() -> None:
    from hypsim.models.hsr import hyp_mode_exception
    assert hyp_mode_exception(0xEF123456, TrapControls()) is None


def test_hvc_in_hyp_mode_goes_to_hvbar_plus_8_with_ec_0x12() -> None:
    from hypsim.models.hsr import hyp_mode_exception
    exc = hyp_mode_exception(0xE14BEE7F, TrapControls())        # hvc #0xbeef
    assert exc is not None and (exc.kind, exc.offset, exc.return_offset) == ("hvc", 0x08, 4)
    assert exc.syndrome.value == 0x4A00BEEF


def test_udf_and_unallocated_coprocessors_in_hyp_mode_are_undefined_with_ec_0() -> None:
    """UNDEFINED to HVBAR+0x04, ELR_hyp = the instruction, HSR EC 0x00 with IL 0 (UNK/SBZP on v7)."""
    from hypsim.models.hsr import hyp_mode_exception
    undefined = (0xE7F123F4,     # udf #0x1234
                 0xEE170710,     # mrc p7, 0, r0, c7, c0, 0
                 0xEE412483,     # cdp p4, 4, c2, c1, c3, 4
                 )
    for word in undefined:
        exc = hyp_mode_exception(word, TrapControls())
        assert exc is not None and (exc.kind, exc.offset, exc.return_offset) == ("undefined", 0x04, 0)
        assert exc.syndrome.value == 0
    assert hyp_mode_exception(0xEC545576, TrapControls()) is not None       # mrrc p5, 7, r5, r4, c6
    assert hyp_mode_exception(0xEC5452F6, TrapControls()) is None           # mrrc p2: not predicted


def test_vfp_access_in_hyp_mode_under_hcptr_is_undefined_with_ec_0x07() -> None:
    """B1.14.10: HCPTR.TCP10 makes a VFP access in Hyp mode UNDEFINED, reported with EC 0x07."""
    from hypsim.models.hsr import hyp_mode_exception
    vmrs_fpscr = 0xEEF13A10
    assert hyp_mode_exception(vmrs_fpscr, TrapControls()) is None
    exc = hyp_mode_exception(vmrs_fpscr, TrapControls(hcptr=1 << 10))
    assert exc is not None and exc.offset == 0x04 and decode(exc.syndrome.value).ec == EC.HCPTR


def test_conditional_coprocessor_4_to_7_is_not_predicted() -> None:
    """Only the AL forms are predicted: the streams never rely on a condition-failed UNDEFINED encoding."""
    from hypsim.models.hsr import is_known_undefined
    assert is_known_undefined(0xEE170710) and not is_known_undefined(0x0E170710)


def test_entry_to_hyp_mode_sets_a_i_f_and_keeps_the_flags() -> None:
    from hypsim.models.hsr import hyp_entry_cpsr
    assert hyp_entry_cpsr(0x60000013) == 0x600001DA
    assert hyp_entry_cpsr(0x800001D3 | (1 << 5) | (1 << 9)) == 0x800001DA   # T and E cleared

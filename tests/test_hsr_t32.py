"""hypsim.models.hsr for traps from T32 code (issue 13): IL from the instruction's
width, CV/COND in and outside IT blocks, SPSR_hyp's ITSTATE.

MEASURED is what QEMU 7.2 (-M virt,virtualization=on -cpu cortex-a15) printed for
tests/data/t32_hsr_probe.S (PL1 Thumb code trapping to a Hyp handler that
prints HSR, ELR_hyp and SPSR_hyp; the command is in that file). The unit tests hold the model to those values; the QEMU test
measures them again, so a QEMU that reports differently fails here first.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim.elf_image import load_elf
from hypsim.models.arm_state import Mode
from hypsim.models.t32 import cpsr_itstate
from hypsim.models.hsr import (EC, HCR, TrapControls, decode, it_advance, it_cond, spsr_itstate_on_trap,
                               t32_is_32bit, t32_ldst_to_a32, t32_to_a32, trap_class, trap_class_t32)
from hypsim.models.mmu_faults import HSR_IL, ISS_ISV, ISS_WNR, data_abort_instr_syndrome

REPO = Path(__file__).resolve().parent.parent
PROBE = REPO / "tests" / "data" / "t32_hsr_probe.S"
QEMU_RUN = REPO / "firmware" / "scripts" / "qemu-run.sh"

#: the probe's trap controls: HCR.TWI and HSTR.T1
CONTROLS = TrapControls(hcr=HCR.TWI, hstr=1 << 1)

# (what, T32 instruction, ITSTATE when it executes, offset of ELR_hyp from `guest`,
#  HSR, SPSR_hyp) -- as QEMU 7.2 printed them, in the probe's order.
MEASURED = [
    ("wfi, outside IT", 0xBF30, 0x00, 0x00, 0x05E0_0000, 0x0000_01F3),
    ("wfi.w, outside IT", 0xF3AF_8003, 0x00, 0x02, 0x07E0_0000, 0x0000_01F3),
    ("wfieq, IT EQ", 0xBF30, 0x08, 0x0A, 0x05E0_0000, 0x4000_01F3),
    ("wfieq, first of ITT EQ", 0xBF30, 0x04, 0x0E, 0x05E0_0000, 0x4000_09F3),
    ("wfimi.w, first of ITE MI", 0xF3AF_8003, 0x4C, 0x18, 0x07E0_0000, 0xA000_59F3),
    ("wfine, IT NE", 0xBF30, 0x18, 0x26, 0x05E0_0000, 0xA000_01F3),
    ("mrc SCTLR, outside IT", 0xEE11_3F10, 0x00, 0x28, 0x0FE0_0461, 0xA000_01F3),
    ("mrceq SCTLR, second of ITTT EQ", 0xEE11_3F10, 0x04, 0x32, 0x0FE0_0461, 0x6000_05F3),
    ("mcrlt CPACR, first of ITET LT", 0xEE01_3F50, 0xB6, 0x3E, 0x0FE4_0460, 0xA400_B5F3),
    ("wfilt, third of ITET LT", 0xBF30, 0xB8, 0x46, 0x05E0_0000, 0xA000_01F3),
    ("wfi, IT AL", 0xBF30, 0xE8, 0x4A, 0x05E0_0000, 0xA000_01F3),
    ("mcr CPACR, outside IT", 0xEE01_3F50, 0x00, 0x4C, 0x0FE4_0460, 0xA000_01F3),
    ("hvc #0x1234, outside IT (ELR: the next instruction)", 0xF7E1_8234, 0x00, 0x58, 0x4A00_1234, 0xA000_01F3),
]


@pytest.mark.parametrize("what, instr, itstate, elr_off, hsr, spsr", MEASURED, ids=[m[0] for m in MEASURED])
def test_model_gives_the_measured_hsr(what: str, instr: int, itstate: int, elr_off: int, hsr: int,
                                      spsr: int) -> None:
    syn = trap_class_t32(instr, Mode.SVC, CONTROLS, itstate)
    assert syn is not None and syn.value == hsr, f"{what}: {syn and hex(syn.value)} != {hsr:#010x}"
    assert syn.il == int(instr > 0xFFFF)


@pytest.mark.parametrize("what, instr, itstate, elr_off, hsr, spsr", MEASURED, ids=[m[0] for m in MEASURED])
def test_model_gives_the_measured_spsr_itstate(what: str, instr: int, itstate: int, elr_off: int, hsr: int,
                                               spsr: int) -> None:
    """QEMU 7.2 saves a WFI's ITSTATE advanced, an MRC/MCR's as it was (B1.8.3 asks for the latter)."""
    if decode(hsr).ec == EC.HVC:
        return       # preferred return is the next instruction, outside the block here
    assert spsr_itstate_on_trap(itstate, instr, instr > 0xFFFF) == cpsr_itstate(spsr)
    assert spsr_itstate_on_trap(itstate, instr, instr > 0xFFFF, qemu=False) == itstate


def test_instruction_cond_reporting_takes_the_it_condition() -> None:
    """The other form B3.13.6 permits: COND from ITSTATE in an IT block, 0xE outside."""
    mcr_lt = trap_class_t32(0xEE01_3F50, Mode.SVC, CONTROLS, 0xB6, "instruction")
    assert mcr_lt is not None and (mcr_lt.iss >> 20) & 0x1F == 0x10 | 0xB
    wfi_out = trap_class_t32(0xBF30, Mode.SVC, CONTROLS, 0, "instruction")
    assert wfi_out is not None and wfi_out.value == 0x05E0_0000


def test_t32_width_from_the_first_halfword() -> None:
    """A6.1: 0b11101, 0b11110, 0b11111 in hw1[15:11] mean 32 bits."""
    assert [t32_is_32bit(hw) for hw in (0xE800, 0xF000, 0xF800, 0xE7FE, 0xBF30, 0x4770)] == \
        [True, True, True, False, False, False]
    with pytest.raises(ValueError):
        trap_class_t32(0xBF30_BF30, Mode.SVC, CONTROLS)     # two 16-bit instructions


def test_t32_coprocessor_space_is_the_a32_word() -> None:
    assert t32_to_a32(0xEE11_3F10, True) == 0xEE11_3F10
    assert t32_to_a32(0xEF00_0000, True) is None            # Advanced SIMD, not SVC
    assert t32_to_a32(0xF7E1_8234, True) == 0xE141_2374     # HVC #0x1234 (A32 encoding)
    assert t32_to_a32(0xF7F0_8000, True) == 0xE160_0070     # SMC #0
    assert t32_to_a32(0x4770, False) is None                # BX LR


def test_t32_traps_match_a32_apart_from_il() -> None:
    """Same EC and ISS as the A32 form for every instruction that traps in both."""
    hcr_all = TrapControls(hcr=HCR.TWI | HCR.TSC | HCR.TVM | HCR.TID2, hstr=0xFFFF & ~(1 << 4 | 1 << 14))
    for t32 in (0xF3AF_8003, 0xF7F0_8000, 0xEE01_3F10, 0xEE10_3F30, 0xEC4C_3F02, 0xEE07_3FBA):
        a = trap_class(t32_to_a32(t32, True) or 0, Mode.SVC, hcr_all)
        t = trap_class_t32(t32, Mode.SVC, hcr_all)
        assert a is not None and t is not None and (a.ec, a.iss) == (t.ec, t.iss) and t.il == 1
    assert trap_class_t32(0xBF30, Mode.SVC, TrapControls()) is None     # TWI clear
    assert trap_class_t32(0xBF30, Mode.HYP, CONTROLS) is None           # nothing traps from Hyp
    assert trap_class_t32(0xF7E1_8234, Mode.USR, CONTROLS) is None      # HVC at PL0: UNDEFINED


# Stage-2 data aborts of T32 loads/stores as QEMU 7.2 reported them (tests/data/t32_exc_probe.S,
# translation fault level 1 at IPA 0x80000000: DFSC 0x05): (instruction, HSR)
MEASURED_DABT = [
    (0x680D, 0x9185_0005),          # ldr r5, [r1]: IL 0, ISV, SAS word, SRT 5
    (0xF8D1_6004, 0x9386_0005),     # ldr.w r6, [r1, #4]: IL 1
    (0x608A, 0x9182_0045),          # str r2, [r1, #8]: WnR
    (0x884D, 0x9145_0005),          # ldrh r5, [r1, #2]: SAS halfword
    (0x560E, 0x9126_0005),          # ldrsb r6, [r1, r0]: SAS byte, SSE
    (0xF881_2001, 0x9302_0045),     # strb.w r2, [r1, #1]
    (0xF931_7C02, 0x9367_0005),     # ldrsh.w r7, [r1, #-2]: SAS halfword, SSE, SRT 7
    (0xF851_5B04, 0x9000_0005),     # ldr.w r5, [r1], #4: post-indexed, no ISV, IL 0
    (0xF851_5E04, 0x9385_0005),     # ldrt r5, [r1, #4]: T32's LDRT has no writeback: ISV, SRT 5
    (0xF801_2E03, 0x9302_0045),     # strbt r2, [r1, #3]: SAS byte, WnR
    (0xE9D1_5600, 0x9000_0005),     # ldrd r5, r6, [r1]: no ISV
    (0xE891_0060, 0x9000_0005),     # ldmia.w r1, {r5, r6}: no ISV
]


@pytest.mark.parametrize("instr, hsr", MEASURED_DABT, ids=[f"{i:#x}" for i, _ in MEASURED_DABT])
def test_t32_data_abort_syndrome_is_the_measured_one(instr: int, hsr: int) -> None:
    """hsr.t32_ldst_to_a32 + mmu_faults.data_abort_instr_syndrome (what the Hyp scoreboard
    expects) give QEMU's IL, ISV, SAS, SSE, SRT and WnR; IL 0 for a 16-bit instruction."""
    il, iss = data_abort_instr_syndrome(t32_ldst_to_a32(instr) or 0, False)
    if instr <= 0xFFFF:
        il = 0
    assert il | iss == hsr & (HSR_IL | ISS_ISV | (3 << 22) | (1 << 21) | (0xF << 16) | ISS_WNR)


def test_it_helpers_follow_a2_5_2() -> None:
    assert it_cond(0) is None and it_cond(0xB6) == 0xB
    seq, it = [], 0xB6            # ITET LT: LT, GE, LT
    while it:
        cond = it_cond(it)
        assert cond is not None
        seq.append(cond)
        it = it_advance(it)
    assert seq == [0xB, 0xA, 0xB]


needs_tools = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="arm-none-eabi-gcc or qemu-system-arm not installed: run `make setup`")

_LINE = re.compile(r"^HSR=([0-9a-f]{8}) ELR=([0-9a-f]{8}) SPSR=([0-9a-f]{8})$", re.M)


@needs_tools
def test_qemu_still_writes_the_measured_values(tmp_path: Path) -> None:
    elf = tmp_path / "probe.elf"
    subprocess.run(["arm-none-eabi-gcc", "-march=armv7ve", "-nostdlib", "-nostartfiles", f"-Wa,-I{PROBE.parent}",
                    "-Ttext=0x40000000",
                    str(PROBE), "-o", str(elf)], check=True)
    proc = subprocess.run(["sh", str(QEMU_RUN), str(elf)], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    guest = load_elf(elf).symbol("guest") & ~1
    got = [(int(h, 16), int(e, 16) - guest, int(s, 16)) for h, e, s in _LINE.findall(proc.stdout + proc.stderr)]
    assert got == [(hsr, elr_off, spsr) for _, _, _, elr_off, hsr, spsr in MEASURED]
    # and the probe's bytes at each ELR are the instructions the table names
    image = load_elf(elf)
    for what, instr, _, elr_off, hsr, _ in MEASURED:
        addr = guest + elr_off - (4 if decode(hsr).ec == EC.HVC else 0)
        hw1 = image.read_word(addr) & 0xFFFF
        word = (hw1 << 16) | (image.read_word(addr + 2) & 0xFFFF) if t32_is_32bit(hw1) else hw1
        assert word == instr, f"{what}: {word:#x} at {addr:#x}"

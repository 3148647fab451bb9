"""T32 (Thumb-2) facts shared by the models, the disassembler and the trace code
(ARM ARM ARMv7-A/R A6.1 "Thumb instruction set encoding", A2.5.2 "ITSTATE").

A T32 instruction is written as the ARM ARM writes it: a 16-bit one as its
halfword, a 32-bit one as hw1:hw2 (the first halfword, at the lower address,
in bits 31:16). In memory (little-endian) that is hw1's bytes, then hw2's.
"""
from __future__ import annotations

#: hw1[15:11] values that make a T32 instruction 32 bits wide (A6.1)
WIDE_PREFIXES = (0b11101, 0b11110, 0b11111)


def is_32bit(hw1: int) -> bool:
    """Whether the T32 instruction whose first halfword is ``hw1`` is 32 bits wide."""
    return (hw1 >> 11) & 0x1F in WIDE_PREFIXES


def width(hw1: int) -> int:
    """Size in bytes (2 or 4) of the T32 instruction starting with halfword ``hw1``."""
    return 4 if is_32bit(hw1) else 2


def from_halfwords(hw1: int, hw2: int) -> tuple[int, int]:
    """(instruction, size) of the T32 instruction at hw1 (hw2: the halfword after it)."""
    hw1 &= 0xFFFF
    return ((hw1 << 16) | (hw2 & 0xFFFF), 4) if is_32bit(hw1) else (hw1, 2)


def to_bytes(instr: int, size: int) -> bytes:
    """Memory bytes of a T32 instruction (hw1 then hw2, each little-endian)."""
    if size == 2:
        return (instr & 0xFFFF).to_bytes(2, "little")
    return ((instr >> 16) & 0xFFFF).to_bytes(2, "little") + (instr & 0xFFFF).to_bytes(2, "little")


def it_cond(itstate: int) -> int | None:
    """The condition ITSTATE (IT[7:0]) applies to the current instruction, or None outside an IT block."""
    return (itstate >> 4) & 0xF if itstate & 0xF else None


def it_advance(itstate: int) -> int:
    """ITAdvance() (A2.5.2): the ITSTATE of the next instruction."""
    if itstate & 0x7 == 0:
        return 0
    return (itstate & 0xE0) | ((itstate << 1) & 0x1F)


def cpsr_itstate(cpsr: int) -> int:
    """IT[7:0] of a CPSR/SPSR value: IT[7:2] in bits 15:10, IT[1:0] in bits 26:25."""
    return (((cpsr >> 10) & 0x3F) << 2) | ((cpsr >> 25) & 3)


# --- the side-band reference of rtl/core/arm_t32_expand.sv (ARM ARM pseudocode) ---

def thumb_expand_imm_c(imm12: int) -> tuple[int, bool | None]:
    """ThumbExpandImm_C (A6.3.2): (imm32, carry_out), carry_out None when it is the
    carry in (the byte-pattern forms)."""
    imm12 &= 0xFFF
    b = imm12 & 0xFF
    if imm12 >> 10 == 0:
        pattern = (imm12 >> 8) & 3
        value = (b, (b << 16) | b, (b << 24) | (b << 8), b * 0x01010101)[pattern]
        return value, None
    unrot = 0x80 | (imm12 & 0x7F)
    n = imm12 >> 7
    value = ((unrot >> n) | (unrot << (32 - n))) & 0xFFFFFFFF
    return value, bool(value >> 31)


def a32_modified_imm(value: int) -> int | None:
    """The 12-bit A32 rotated immediate (rot:imm8, A5.2.4) gas picks for ``value``
    (the smallest left rotation by 2*rot that leaves it under 256), or None."""
    value &= 0xFFFFFFFF
    for rot in range(16):
        r = ((value << (2 * rot)) | (value >> (32 - 2 * rot))) & 0xFFFFFFFF if rot else value
        if r <= 0xFF:
            return (rot << 8) | r
    return None


def _sext(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def branch(instr: int, size: int) -> tuple[str, int] | None:
    """(kind, offset) of a PC-relative T32 branch (A8.8.18 B, A8.8.25 BL/BLX imm,
    A8.8.29 CBZ/CBNZ), offset from the PC read value (address + 4; for BLX imm from
    Align(PC, 4)); kind is b, bcond, bl, blx, cbz or cbnz. None for anything else."""
    if size == 2:
        hw = instr & 0xFFFF
        if hw >> 12 == 0b1101 and (hw >> 9) & 7 != 0b111:
            return "bcond", _sext(hw & 0xFF, 8) << 1
        if hw >> 11 == 0b11100:
            return "b", _sext(hw & 0x7FF, 11) << 1
        if hw >> 12 == 0b1011 and (hw >> 8) & 0b0101 == 0b0001:
            imm = (((hw >> 9) & 1) << 6) | (((hw >> 3) & 0x1F) << 1)
            return ("cbnz" if hw >> 11 & 1 else "cbz"), imm
        return None
    hw1, hw2 = instr >> 16, instr & 0xFFFF
    if hw1 >> 11 != 0b11110 or not hw2 >> 15:
        return None
    s = (hw1 >> 10) & 1
    j1, j2 = (hw2 >> 13) & 1, (hw2 >> 11) & 1
    if (hw2 >> 12) & 5 == 0:   # T3 conditional (or misc control)
        if (hw1 >> 7) & 7 == 0b111:
            return None
        imm = (s << 20) | (j2 << 19) | (j1 << 18) | ((hw1 & 0x3F) << 12) | ((hw2 & 0x7FF) << 1)
        return "bcond", _sext(imm, 21)
    i1, i2 = 1 ^ j1 ^ s, 1 ^ j2 ^ s
    imm = (s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3FF) << 12)
    if (hw2 >> 12) & 5 == 0b100:   # BLX imm: imm10L, H must be 0
        return "blx", _sext(imm | ((hw2 & 0x7FE) << 1), 25)
    kind = "bl" if (hw2 >> 14) & 1 else "b"
    return kind, _sext(imm | ((hw2 & 0x7FF) << 1), 25)

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

"""One-instruction A32 and T32 disassembly with capstone, for traces and mismatch reports."""

from __future__ import annotations

from functools import lru_cache

import capstone

from .models import t32


@lru_cache(maxsize=2)
def _cs(thumb: bool) -> capstone.Cs:
    mode = capstone.CS_MODE_THUMB if thumb else capstone.CS_MODE_ARM
    return capstone.Cs(capstone.CS_ARCH_ARM, mode | capstone.CS_MODE_LITTLE_ENDIAN)


def disassemble(word: int, pc: int, thumb: bool = False) -> str:
    """Disassemble the instruction ``word`` at address ``pc``.

    ARM state (the default): ``word`` is the 32-bit A32 instruction.  Thumb
    state: ``word`` is a T32 instruction as the ARM ARM writes it, hw1:hw2 for
    a 32-bit one and the halfword for a 16-bit one; the width comes from the
    first halfword (hw1[15:11] = 0b11101/0b11110/0b11111: 32 bits, A6.1), so a
    16-bit instruction passed with a second halfword above it (hw2:hw1 as a
    word loaded from memory is *not* this form) is rejected as ``.inst``.

    Returns e.g. ``"ldr r0, [r1, #4]"``, or ``".word 0x%08x"`` (A32) /
    ``".inst.n 0x%04x"``, ``".inst.w 0x%08x"`` (T32) when capstone cannot
    decode it.  PC-relative operands are resolved against ``pc``.
    """
    if thumb:
        return _disassemble_t32(word, pc)
    word &= 0xFFFF_FFFF
    for insn in _cs(False).disasm(word.to_bytes(4, "little"), pc & 0xFFFF_FFFF, 1):
        return f"{insn.mnemonic} {insn.op_str}".rstrip()
    return f".word 0x{word:08x}"


def _disassemble_t32(word: int, pc: int) -> str:
    word &= 0xFFFF_FFFF
    size = 4 if word > 0xFFFF else 2
    hw1 = word >> 16 if size == 4 else word
    if t32.width(hw1) != size:
        return f".inst 0x{word:x}"
    for insn in _cs(True).disasm(t32.to_bytes(word, size), pc & 0xFFFF_FFFE, 1):
        if insn.size == size:
            return f"{insn.mnemonic} {insn.op_str}".rstrip()
    return f".inst.n 0x{word:04x}" if size == 2 else f".inst.w 0x{word:08x}"


def t32_instruction(memory: bytes, offset: int = 0) -> tuple[int, int]:
    """(instruction in hw1:hw2 form, size) of the T32 instruction at ``memory[offset:]``."""
    hw1 = int.from_bytes(memory[offset:offset + 2], "little")
    if not t32.is_32bit(hw1):
        return hw1, 2
    hw2 = int.from_bytes(memory[offset + 2:offset + 4], "little")
    return t32.from_halfwords(hw1, hw2)

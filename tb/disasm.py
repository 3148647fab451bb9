"""One-instruction A32 disassembly with capstone, for traces and mismatch reports."""

from __future__ import annotations

from functools import lru_cache

import capstone


@lru_cache(maxsize=1)
def _cs() -> capstone.Cs:
    return capstone.Cs(capstone.CS_ARCH_ARM, capstone.CS_MODE_ARM | capstone.CS_MODE_LITTLE_ENDIAN)


def disassemble(word: int, pc: int) -> str:
    """Disassemble the 32-bit ARM-state instruction ``word`` at address ``pc``.

    Returns e.g. ``"ldr r0, [r1, #4]"``, or ``".word 0x%08x"`` when capstone
    cannot decode it.  PC-relative operands are resolved against ``pc``.
    """
    word &= 0xFFFF_FFFF
    for insn in _cs().disasm(word.to_bytes(4, "little"), pc & 0xFFFF_FFFF, 1):
        return f"{insn.mnemonic} {insn.op_str}".rstrip()
    return f".word 0x{word:08x}"

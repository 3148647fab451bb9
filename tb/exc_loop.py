"""The exception-loop stop: decode tb_top's exc_loop_info_o and say what looped.

tb/hdl/tb_top.sv counts exception entries since the last instruction that
completed without raising one; at EXC_LOOP_LIMIT it raises exc_loop_o and
freezes exc_loop_info_o (12 words: see the comment there). tb/cocotb_top.py
reads that vector once, when the signal rises (no Python per cycle), and
:func:`decode` turns it into the dict stored in result.json; :func:`describe`
writes the message `hypsim run` prints (exit 5): what the first exception of
the run was (type, PC, instruction, mode, vector), what repeats (type, PC,
mode, vector, HSR / DFSR / IFSR / DFAR), and a hint when the cause is a known
one: a vector with no memory behind it (no vector table installed). No cocotb here.
"""
from __future__ import annotations

from typing import Mapping

from .disasm import disassemble

LIMIT = 16                      # tb_top EXC_LOOP_LIMIT
INFO_WORDS = 12

# exc_type_o of rtl/core/arm_core.sv, its values EXC_* in rtl/core/arm_pkg.sv (tb/trace.py EXC_NAMES), in words
EXC_WORDS = {1: "undefined instruction", 2: "SVC", 3: "prefetch abort", 4: "data abort", 5: "IRQ",
             6: "FIQ", 7: "HVC or trap to Hyp mode"}
MODE_NAMES = {0x10: "USR", 0x11: "FIQ", 0x12: "IRQ", 0x13: "SVC", 0x16: "MON", 0x17: "ABT",
              0x1A: "HYP", 0x1B: "UND", 0x1F: "SYS"}
HSR_EC_NAMES = {0x00: "unknown reason", 0x01: "WFI/WFE", 0x03: "MCR/MRC cp15", 0x04: "MCRR/MRRC cp15",
                0x07: "HCPTR", 0x08: "VMRS ID", 0x11: "SVC in Hyp", 0x12: "HVC", 0x13: "SMC",
                0x20: "stage-2 prefetch abort", 0x21: "prefetch abort in Hyp mode",
                0x24: "stage-2 data abort", 0x25: "data abort in Hyp mode"}


def decode(value: int) -> dict:
    """exc_loop_info_o (as one integer, word 0 in the low bits) -> the result.json dict."""
    w = [(value >> (32 * i)) & 0xFFFF_FFFF for i in range(INFO_WORDS)]
    return {"count": w[0] >> 16,
            "first": {"type": w[0] & 7, "pc": w[1], "instr": w[2], "cpsr": w[3], "vector": w[4]},
            "last": {"type": (w[0] >> 4) & 7, "pc": w[5], "cpsr": w[6], "vector": w[7], "hsr": w[8]},
            "dfsr": w[9], "ifsr": w[10], "dfar": w[11]}


def mode_name(cpsr: int) -> str:
    return MODE_NAMES.get(cpsr & 0x1F, f"mode 0x{cpsr & 0x1F:02x}")


def _entry(kind: int, pc: int, cpsr: int, vector: int) -> str:
    name = EXC_WORDS.get(kind, f"exception {kind}")
    where = "fetching" if kind == 3 else ("before" if kind in (5, 6) else "at")
    return f"{name} {where} 0x{pc:08x} in {mode_name(cpsr)} mode, taken to vector 0x{vector:08x}"


def describe(info: Mapping, cycles: int, symbols: Mapping[str, int] | None = None) -> str:
    """The message of an exception-loop stop: what looped, where, and the likely cause.
    `symbols` is no longer read (it named the Thumb target of a BLX before the core ran T32);
    kept so that callers need not change."""
    del symbols
    first, last = info["first"], info["last"]
    lines = [f"exception loop: {info['count']} exception entries in a row with no instruction completing "
             f"in between (stopped at cycle {cycles})"]
    instr = first["instr"]
    what = _entry(first["type"], first["pc"], first["cpsr"], first["vector"])
    if first["type"] != 3:      # a prefetch abort has no instruction word
        what += f" (the instruction: {instr:08x} {disassemble(instr, first['pc'])})"
    lines.append(f"  first: {what}")
    rep = _entry(last["type"], last["pc"], last["cpsr"], last["vector"])
    regs = []
    if last["hsr"]:
        ec = last["hsr"] >> 26
        regs.append(f"HSR 0x{last['hsr']:08x} (EC 0x{ec:02x}: {HSR_EC_NAMES.get(ec, 'see the ARM ARM B3.13.6')})")
    if last["type"] == 3 and mode_name(last["cpsr"]) != "HYP":
        regs.append(f"IFSR 0x{info['ifsr']:08x}")
    if last["type"] == 4 and mode_name(last["cpsr"]) != "HYP":
        regs.append(f"DFSR 0x{info['dfsr']:08x} DFAR 0x{info['dfar']:08x}")
    lines.append(f"  last:  {rep}" + (f"; {', '.join(regs)}" if regs else ""))
    hints = []
    if last["type"] == 3 and last["pc"] == last["vector"]:
        hints.append(f"the vector 0x{last['vector']:08x} itself cannot be fetched (nothing mapped there): "
                     f"the program installed no vector table for {mode_name(last['cpsr'])} mode "
                     "(HVBAR for Hyp mode, VBAR / SCTLR.V below it)")
    lines += [f"  hint: {h}" for h in hints]
    return "\n".join(lines)


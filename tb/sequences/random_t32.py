"""Seeded random T32 (Thumb-2) instruction-stream generator (issue 13).

The T32 counterpart of :mod:`hypsim.sequences.random_a32`, wrapped the same
way (``_start``, ``hypsim_body_start`` / ``hypsim_body_end``, a seeded scratch
buffer ``hypsim_scratch``, a stack), and kept architecturally deterministic by
the same rules: no UNPREDICTABLE, UNDEFINED or IMPLEMENTATION DEFINED encoding
(ARM ARM ARMv7-A/R chapter A8, the T32 encodings), aligned accesses inside the
scratch buffer or the stack, forward branches only.

Program layout::

    _start (A32, Hyp):   SP := stack top, NZCVQ/GE := random, r0-r11, r14 := random,
                         BX to the body (r12 := random as the body's first instructions)
    hypsim_body_start:   T32: about n_instructions random instructions
    hypsim_body_end:     T32: PUSH {r0-r12, lr}, MRS APSR, PUSH; BLX to the A32 dump
    hypsim_dump (A32):   prints the register dump over semihosting, then SYS_EXIT:
                         "T32 DUMP r0=xxxxxxxx ... r12=... lr=... apsr=... scratch=..."
                         (scratch: a rotate-xor checksum of the scratch buffer)
    hypsim_arm_N (A32):  the interworking targets the body calls (BLX) or jumps
                         to (BX) and that come back with BX

Instruction classes (weights in :data:`DEFAULT_WEIGHTS`):

* ``dp16``: 16-bit data processing on r0-r7 (MOVS/ADDS/SUBS/CMP immediate,
  ANDS..MVNS register, shifts, MULS, ADD/MOV/CMP of high registers);
* ``dp32``: 32-bit data processing: modified immediates (ThumbExpandImm, A6.3.2),
  shifted registers, MOVW/MOVT, multiplies, divides, CLZ/RBIT/REV, extends,
  bit fields, saturation;
* ``load_store``: LDR/STR{,B,H}, LDRS{B,H}, LDRD/STRD with immediate (offset, pre-,
  post-indexed) and register offsets, 16- and 32-bit forms;
* ``push_pop``: PUSH then POP of as many registers (other ones), 16- and 32-bit;
* ``ldm_stm``: LDMIA/LDMDB/STMIA/STMDB with and without writeback;
* ``it_block``: IT with 1-4 instructions, mixed Then/Else conditions, the
  instructions inside setting flags or not;
* ``cbz``: CBZ/CBNZ over 1-3 instructions;
* ``table_branch``: TBB or TBH over an inline table into 2-4 cases;
* ``interwork``: BLX <imm>, BLX <reg> or BX <reg> to A32 code that returns with BX;
* ``branch``: B/B<cond>, narrow and wide, forward over 1-3 instructions.

Registers: the body never writes SP (except by PUSH/POP, balanced in one group)
or PC (except by branches), and uses r13/r15 as no operand: most 32-bit T32
encodings make them UNPREDICTABLE (A6.3, "BadReg").
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .random_a32 import (BODY_END_SYMBOL, BODY_START_SYMBOL, CONDITIONS, MASK32, SCRATCH_SYMBOL,
                         STACK_TOP_SYMBOL, _Rng, build, hex32, run_qemu, toolchain_available)

__all__ = ["DEFAULT_WEIGHTS", "GenConfig", "GenStats", "generate", "build", "run_qemu", "parse_dump",
           "toolchain_available", "DUMP_PREFIX", "DUMP_NAMES"]

#: r0-r12 and lr, in the dump's order, then the APSR and the scratch checksum
DUMP_NAMES: tuple[str, ...] = tuple(f"r{i}" for i in range(13)) + ("lr", "apsr", "scratch")
DUMP_PREFIX = "T32 DUMP"
DUMP_SYMBOL = "hypsim_dump"

LOW: tuple[int, ...] = tuple(range(8))
#: registers the body writes: never SP or PC
WRITABLE: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14)

DEFAULT_WEIGHTS: dict[str, float] = {
    "dp16": 20.0,
    "dp32": 25.0,
    "load_store": 14.0,
    "push_pop": 4.0,
    "ldm_stm": 4.0,
    "it_block": 12.0,
    "cbz": 4.0,
    "table_branch": 3.0,
    "interwork": 4.0,
    "branch": 5.0,
}


def reg(r: int) -> str:
    return {13: "sp", 14: "lr", 15: "pc"}.get(r, f"r{r}")


@dataclass
class GenConfig:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scratch_bytes: int = 1024
    stack_bytes: int = 256

    def validate(self) -> None:
        unknown = set(self.weights) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f"unknown instruction classes in weights: {sorted(unknown)}")
        if any(w < 0 for w in self.weights.values()) or not any(w > 0 for w in self.weights.values()):
            raise ValueError("weights must be >= 0, at least one > 0")
        if self.scratch_bytes < 512 or self.scratch_bytes % 16:
            raise ValueError("scratch_bytes must be a multiple of 16, at least 512")


@dataclass
class GenStats:
    classes: Counter[str] = field(default_factory=Counter)
    mnemonics: Counter[str] = field(default_factory=Counter)
    it_lengths: Counter[int] = field(default_factory=Counter)
    it_conditions: Counter[str] = field(default_factory=Counter)
    body_instructions: int = 0

    def summary(self) -> str:
        parts = [f"body instructions: {self.body_instructions}"]
        for name in ("classes", "it_lengths", "it_conditions", "mnemonics"):
            counter: Counter = getattr(self, name)
            parts.append(f"{name}: " + ", ".join(f"{k}={v}" for k, v in sorted(counter.items())))
        return "\n".join(parts)


@dataclass
class _Group:
    klass: str
    lines: list[str] = field(default_factory=list)     # instructions, labels and directives
    count: int = 0                                      # instructions among them
    mnemonics: list[str] = field(default_factory=list)

    def insn(self, text: str, mnemonic: str | None = None) -> None:
        self.lines.append(f"\t{text}")
        self.count += 1
        if mnemonic:
            self.mnemonics.append(mnemonic)

    def label(self, name: str) -> None:
        self.lines.append(f"{name}:")

    def directive(self, text: str) -> None:
        self.lines.append(f"\t{text}")


class _Ctx:
    def __init__(self, rng: _Rng, cfg: GenConfig) -> None:
        self.rng = rng
        self.cfg = cfg
        self.n_labels = 0
        self.arm_functions: list[list[str]] = []

    def label(self, kind: str = "l") -> str:
        self.n_labels += 1
        return f".Lt32_{kind}{self.n_labels}"

    def cond(self) -> str:
        return CONDITIONS[self.rng.below(14)]        # never AL

    def low(self, exclude: Sequence[int] = ()) -> int:
        return self.rng.choice([r for r in LOW if r not in exclude])

    def any(self, exclude: Sequence[int] = ()) -> int:
        return self.rng.choice([r for r in WRITABLE if r not in exclude])

    def load_const(self, g: _Group, r: int, value: int) -> None:
        value &= MASK32
        g.insn(f"movw {reg(r)}, #{hex32(value & 0xFFFF)}")
        if value >> 16:
            g.insn(f"movt {reg(r)}, #{hex32(value >> 16)}")

    def scratch_base(self, g: _Group, r: int, offset: int) -> None:
        sym = f"({SCRATCH_SYMBOL} + {offset})" if offset else SCRATCH_SYMBOL
        g.insn(f"movw {reg(r)}, #:lower16:{sym}")
        g.insn(f"movt {reg(r)}, #:upper16:{sym}")

    def modified_immediate(self) -> int:
        """A constant ThumbExpandImm (A6.3.2) can encode."""
        b = self.rng.below(256)
        kind = self.rng.below(5)
        if kind == 0:
            return b
        if kind == 1:
            return b | (b << 16)
        if kind == 2:
            return (b << 8) | (b << 24)
        if kind == 3:
            return b * 0x0101_0101
        rot = self.rng.randint(8, 31)
        v = 0x80 | (b & 0x7F)
        return ((v >> rot) | (v << (32 - rot))) & MASK32


# --- 16-bit and 32-bit data processing --------------------------------------------------

_DP16_REG = ("ands", "eors", "orrs", "bics", "adcs", "sbcs", "mvns", "tst", "cmp", "cmn", "rsbs")


def _dp16_text(ctx: _Ctx, in_it: bool = False) -> tuple[str, str]:
    """One 16-bit data-processing instruction on low registers (outside an IT block the
    flag-setting forms; inside one the forms without S, as the encodings are shared)."""
    rng = ctx.rng
    s = "" if in_it else "s"
    k = rng.below(10)
    d, n, m = ctx.low(), ctx.low(), ctx.low()
    if k == 0:
        return f"mov{s} {reg(d)}, #{rng.below(256)}", "mov" + s
    if k == 1:
        op = rng.choice(("add", "sub"))
        return f"{op}{s} {reg(d)}, {reg(n)}, #{rng.below(8)}", op + s
    if k == 2:
        op = rng.choice(("add", "sub"))
        return f"{op}{s} {reg(d)}, #{rng.below(256)}", op + s
    if k == 3:
        return f"cmp {reg(n)}, #{rng.below(256)}", "cmp"
    if k == 4:
        op = rng.choice(("lsl", "lsr", "asr"))
        amount = rng.randint(0 if op == "lsl" else 1, 31 if op == "lsl" else 32)
        if op == "lsl" and amount == 0:
            return f"mov{s} {reg(d)}, {reg(m)}", "mov" + s      # LSLS #0 is MOVS (register)
        return f"{op}{s} {reg(d)}, {reg(m)}, #{amount}", op + s
    if k == 5:
        op = rng.choice(("lsl", "lsr", "asr", "ror"))
        return f"{op}{s} {reg(d)}, {reg(d)}, {reg(m)}", op + s
    if k == 6:
        return f"mul{s} {reg(d)}, {reg(n)}, {reg(d)}", "mul" + s
    if k == 7:
        op = rng.choice(_DP16_REG)
        if op in ("tst", "cmp", "cmn"):
            return f"{op} {reg(n)}, {reg(m)}", op
        base = op[:-1]
        if base == "rsb":
            return f"rsb{s} {reg(d)}, {reg(m)}, #0", "rsb" + s
        if base == "mvn":
            return f"mvn{s} {reg(d)}, {reg(m)}", "mvn" + s
        return f"{base}{s} {reg(d)}, {reg(d)}, {reg(m)}", base + s
    if k == 8:
        op = rng.choice(("add", "mov"))            # high registers: ADD/MOV (register) T2/T1, no S
        hd, hm = ctx.any(), ctx.any()
        if op == "add":
            return f"add {reg(hd)}, {reg(hd)}, {reg(hm)}", "add_hi"
        return f"mov {reg(hd)}, {reg(hm)}", "mov_hi"
    ext = rng.choice(("sxtb", "sxth", "uxtb", "uxth", "rev", "rev16", "revsh"))
    return f"{ext} {reg(d)}, {reg(m)}", ext


def gen_dp16(ctx: _Ctx) -> _Group:
    g = _Group("dp16")
    text, mnem = _dp16_text(ctx)
    g.insn(text, mnem)
    return g


_DP32_IMM = ("add", "sub", "and", "orr", "eor", "bic", "orn", "adc", "sbc", "rsb")
_DP32_TEST = ("tst", "teq", "cmp", "cmn")


def _dp32_text(ctx: _Ctx, s_allowed: bool = True) -> tuple[str, str]:
    rng = ctx.rng
    d, n, m = ctx.any(), ctx.any(), ctx.any()
    s = "s" if s_allowed and rng.chance(0.5) else ""
    k = rng.below(11)
    if k == 0:
        op = rng.choice(_DP32_IMM)
        return f"{op}{s}.w {reg(d)}, {reg(n)}, #{hex32(ctx.modified_immediate())}", op + s + ".w"
    if k == 1:
        op = rng.choice(_DP32_IMM[:-1] + ("adc", "sbc"))
        shift = rng.choice(("lsl", "lsr", "asr", "ror"))
        amount = rng.randint(1, 31)
        return f"{op}{s}.w {reg(d)}, {reg(n)}, {reg(m)}, {shift} #{amount}", op + s + ".w"
    if k == 2:
        op = rng.choice(_DP32_TEST)
        if rng.chance(0.5):
            return f"{op}.w {reg(n)}, #{hex32(ctx.modified_immediate())}", op + ".w"
        return f"{op}.w {reg(n)}, {reg(m)}, lsl #{rng.randint(0, 31)}", op + ".w"
    if k == 3:
        op = rng.choice(("movw", "movt"))
        return f"{op} {reg(d)}, #{hex32(rng.half())}", op
    if k == 4:
        op = rng.choice(("mov", "mvn"))
        return f"{op}{s}.w {reg(d)}, #{hex32(ctx.modified_immediate())}", op + s + ".w"
    if k == 5:
        op = rng.choice(("mul", "mla", "mls", "umull", "smull", "umlal", "smlal"))
        if op == "mul":
            return f"mul.w {reg(d)}, {reg(n)}, {reg(m)}", op
        if op in ("mla", "mls"):
            return f"{op} {reg(d)}, {reg(n)}, {reg(m)}, {reg(ctx.any())}", op
        lo = ctx.any()
        hi = ctx.any(exclude=(lo,))
        return f"{op} {reg(lo)}, {reg(hi)}, {reg(n)}, {reg(m)}", op
    if k == 6:
        op = rng.choice(("udiv", "sdiv"))
        return f"{op} {reg(d)}, {reg(n)}, {reg(m)}", op
    if k == 7:
        op = rng.choice(("clz", "rbit", "rev.w", "rev16.w", "revsh.w"))
        return f"{op} {reg(d)}, {reg(m)}", op
    if k == 8:
        op = rng.choice(("sxtb", "sxth", "uxtb", "uxth", "sxtab", "uxtah", "uxtab", "sxtah"))
        rot = rng.choice((0, 8, 16, 24))
        ror = f", ror #{rot}" if rot else ""
        if op in ("sxtab", "uxtah", "uxtab", "sxtah"):
            return f"{op} {reg(d)}, {reg(n)}, {reg(m)}{ror}", op
        return f"{op}.w {reg(d)}, {reg(m)}{ror}", op
    if k == 9:
        op = rng.choice(("ubfx", "sbfx", "bfi", "bfc"))
        lsb = rng.below(32)
        width = rng.randint(1, 32 - lsb)
        if op == "bfc":
            return f"bfc {reg(d)}, #{lsb}, #{width}", op
        return f"{op} {reg(d)}, {reg(n)}, #{lsb}, #{width}", op
    op = rng.choice(("ssat", "usat", "qadd", "qsub"))
    if op == "ssat":
        return f"ssat {reg(d)}, #{rng.randint(1, 32)}, {reg(n)}", op
    if op == "usat":
        return f"usat {reg(d)}, #{rng.randint(0, 31)}, {reg(n)}", op
    return f"{op} {reg(d)}, {reg(n)}, {reg(m)}", op


def gen_dp32(ctx: _Ctx) -> _Group:
    g = _Group("dp32")
    text, mnem = _dp32_text(ctx)
    g.insn(text, mnem)
    return g


# --- loads and stores -------------------------------------------------------------------

_SIZES = {"ldr": 4, "str": 4, "ldrb": 1, "strb": 1, "ldrh": 2, "strh": 2, "ldrsb": 1, "ldrsh": 2}


def _access(ctx: _Ctx, g: _Group) -> None:
    """Set up a base (and offset) register in the scratch buffer, then one access."""
    rng = ctx.rng
    op = rng.choice(tuple(_SIZES) + ("ldrd", "strd"))
    size = 4 if op in ("ldrd", "strd") else _SIZES[op]
    narrow = rng.chance(0.5)
    pick = ctx.low if narrow else ctx.any
    base = pick()
    t = pick(exclude=(base,))
    mid = ctx.cfg.scratch_bytes // 2
    form = rng.choice(("offset", "offset", "pre", "post", "register"))
    if op in ("ldrd", "strd"):
        t2 = ctx.any(exclude=(base, t))
        off = 4 * rng.randint(-16, 16)
        ctx.scratch_base(g, base, mid)
        addr = {"offset": f"[{reg(base)}, #{off}]", "pre": f"[{reg(base)}, #{off}]!",
                "post": f"[{reg(base)}], #{off}", "register": f"[{reg(base)}, #{off}]"}[form]
        g.insn(f"{op} {reg(t)}, {reg(t2)}, {addr}", op)
        return
    if form == "register":
        idx = pick(exclude=(base, t))
        shift = rng.choice((0, 0, 1, 2, 3)) if not narrow else 0
        step = max(size, 1 << shift)                 # the byte offset is idx << shift
        ctx.scratch_base(g, base, mid)
        ctx.load_const(g, idx, (step * rng.randint(-16, 16)) >> shift)
        sh = f", lsl #{shift}" if shift else ""
        g.insn(f"{op} {reg(t)}, [{reg(base)}, {reg(idx)}{sh}]", op + "_reg")
        return
    if narrow and form == "offset":
        off = size * rng.below(32)               # imm5 * size: the 16-bit forms (A6.2.4)
        ctx.scratch_base(g, base, mid)
        g.insn(f"{op} {reg(t)}, [{reg(base)}, #{off}]", op)
        return
    off = size * rng.randint(-60, 60)
    ctx.scratch_base(g, base, mid)
    addr = {"offset": f"[{reg(base)}, #{off}]", "pre": f"[{reg(base)}, #{off}]!",
            "post": f"[{reg(base)}], #{off}"}[form]
    g.insn(f"{op}.w {reg(t)}, {addr}", f"{op}.w_{form}")


def gen_load_store(ctx: _Ctx) -> _Group:
    g = _Group("load_store")
    _access(ctx, g)
    return g


def gen_push_pop(ctx: _Ctx) -> _Group:
    """PUSH k registers, maybe an instruction, POP k (other) registers: SP balanced."""
    g = _Group("push_pop")
    rng = ctx.rng
    narrow = rng.chance(0.5)
    pool = LOW + (14,) if narrow else WRITABLE
    k = rng.randint(1 if narrow else 2, 6)
    pushed = sorted(rng.sample(pool, k))
    popped = sorted(rng.sample(pool if not narrow else LOW, k))
    g.insn(f"push {{{', '.join(reg(r) for r in pushed)}}}", "push")
    if rng.chance(0.5):
        text, mnem = _dp16_text(ctx)
        g.insn(text, mnem)
    g.insn(f"pop {{{', '.join(reg(r) for r in popped)}}}", "pop")
    return g


def gen_ldm_stm(ctx: _Ctx) -> _Group:
    g = _Group("ldm_stm")
    rng = ctx.rng
    op = rng.choice(("ldmia", "stmia", "ldmdb", "stmdb"))
    narrow = op.endswith("ia") and rng.chance(0.4)
    pool = LOW if narrow else tuple(r for r in WRITABLE if r != 14 or op.startswith("st"))
    base = rng.choice(pool)
    k = rng.randint(2, 5)
    regs = sorted(rng.sample([r for r in pool if r != base], k))
    wb = "!" if narrow or rng.chance(0.5) else ""
    ctx.scratch_base(g, base, ctx.cfg.scratch_bytes // 2)
    suffix = "" if narrow else ".w"
    g.insn(f"{op}{suffix} {reg(base)}{wb}, {{{', '.join(reg(r) for r in regs)}}}", op)
    return g


# --- IT blocks --------------------------------------------------------------------------

def gen_it_block(ctx: _Ctx) -> _Group:
    """IT{x{y{z}}} <firstcond> with 1-4 instructions; the flags may change inside."""
    g = _Group("it_block")
    rng = ctx.rng
    n = rng.randint(1, 4)
    first = rng.below(14)
    base_cond = CONDITIONS[first]
    inverse = CONDITIONS[first ^ 1]
    pattern = "".join(rng.choice("te") for _ in range(n - 1))
    conds = [base_cond] + [base_cond if p == "t" else inverse for p in pattern]
    # a load/store in the block needs its base set up before the IT
    # (first in the block, so no instruction before it in the block rewrites the base)
    mem_slot = 0 if rng.chance(0.3) else None
    body: list[tuple[str, str]] = []
    for i, c in enumerate(conds):
        if i == mem_slot:
            base = ctx.any()
            t = ctx.any(exclude=(base,))
            op = rng.choice(tuple(_SIZES))
            size = _SIZES[op]
            ctx.scratch_base(g, base, ctx.cfg.scratch_bytes // 2)
            body.append((f"{op}{c}.w {reg(t)}, [{reg(base)}, #{size * rng.randint(-30, 30)}]", op))
            continue
        kind = rng.below(3)
        if kind == 0:
            text, mnem = _dp16_text(ctx, in_it=True)
        elif kind == 1:
            text, mnem = _dp32_text(ctx)
        else:
            op = rng.choice(("cmp", "cmn", "tst"))
            text, mnem = f"{op} {reg(ctx.any())}, #{hex32(ctx.modified_immediate())}", op
        mnemonic, _, operands = text.partition(" ")
        stem, dot, width = mnemonic.partition(".")
        body.append((f"{stem}{c}{dot}{width} {operands}", mnem))
    g.insn(f"it{pattern} {base_cond}", f"it{pattern}")
    for text, mnem in body:
        g.insn(text, mnem)
    g.mnemonics += [f"it_len{n}", f"itcond_{base_cond}"]
    return g


# --- branches -----------------------------------------------------------------------------

def _skipped(ctx: _Ctx, g: _Group, k: int) -> None:
    for _ in range(k):
        text, mnem = _dp16_text(ctx) if ctx.rng.chance(0.6) else _dp32_text(ctx)
        g.insn(text, mnem)


def gen_cbz(ctx: _Ctx) -> _Group:
    g = _Group("cbz")
    op = ctx.rng.choice(("cbz", "cbnz"))
    target = ctx.label("cb")
    r = ctx.low()
    if ctx.rng.chance(0.5):
        g.insn(f"movs {reg(r)}, #0" if ctx.rng.chance(0.5) else f"movs {reg(r)}, #1")
    g.insn(f"{op} {reg(r)}, {target}", op)
    _skipped(ctx, g, ctx.rng.randint(1, 3))
    g.label(target)
    return g


def gen_branch(ctx: _Ctx) -> _Group:
    g = _Group("branch")
    target = ctx.label("b")
    cond = ctx.cond() if ctx.rng.chance(0.6) else ""
    width = ctx.rng.choice(("", ".n", ".w"))
    if width == ".n" and not cond:
        width = ""
    g.insn(f"b{cond}{width} {target}", f"b{'cond' if cond else ''}{width}")
    _skipped(ctx, g, ctx.rng.randint(1, 3))
    g.label(target)
    return g


def gen_table_branch(ctx: _Ctx) -> _Group:
    """TBB [pc, Rm] or TBH [pc, Rm, lsl #1] into 2-4 cases that each do one
    instruction and branch forward to the common end."""
    g = _Group("table_branch")
    rng = ctx.rng
    n = rng.randint(2, 4)
    half = rng.chance(0.5)
    idx = ctx.any()
    table, end = ctx.label("tbl"), ctx.label("tend")
    cases = [ctx.label("case") for _ in range(n)]
    g.insn(f"movw {reg(idx)}, #{rng.below(n)}")
    if half:
        g.insn(f"tbh [pc, {reg(idx)}, lsl #1]", "tbh")
    else:
        g.insn(f"tbb [pc, {reg(idx)}]", "tbb")
    g.label(table)
    entry = ".hword" if half else ".byte"
    for c in cases:
        g.directive(f"{entry} (({c} - {table}) / 2)")
    g.directive(".balign 2")
    for i, c in enumerate(cases):
        g.label(c)
        text, mnem = _dp32_text(ctx) if rng.chance(0.5) else _dp16_text(ctx)
        g.insn(text, mnem)
        if i != n - 1:
            g.insn(f"b.w {end}", "b.w")
    g.label(end)
    return g


def gen_interwork(ctx: _Ctx) -> _Group:
    """To A32 and back: BLX <label>, BLX <Rm> or BX <Rm> to an A32 block of 1-3
    random data-processing instructions that returns with BX (LR, or a register
    holding the Thumb return address | 1)."""
    g = _Group("interwork")
    rng = ctx.rng
    name = f"hypsim_arm_{len(ctx.arm_functions) + 1}"
    arm = [f"\t.type {name}, %function", f"{name}:"]
    for _ in range(rng.randint(1, 3)):
        d, n = ctx.any(exclude=(14,)), ctx.any(exclude=(14,))
        op = rng.choice(("add", "sub", "eor", "orr", "and", "bic", "rsb", "adc", "sbc"))
        s = "s" if rng.chance(0.5) else ""
        cond = rng.choice(("", "", ctx.cond()))
        arm.append(f"\t{op}{s}{cond} {reg(d)}, {reg(n)}, #{rng.below(256)}")
    kind = rng.below(3)
    if kind == 0:
        g.insn(f"blx {name}", "blx_imm")
        arm.append("\tbx lr")
    elif kind == 1:
        r = ctx.any(exclude=(14,))
        g.insn(f"movw {reg(r)}, #:lower16:{name}")
        g.insn(f"movt {reg(r)}, #:upper16:{name}")
        g.insn(f"blx {reg(r)}", "blx_reg")
        arm.append("\tbx lr")
    else:
        r = ctx.any(exclude=(14,))
        back = ctx.label("back")
        g.insn(f"movw {reg(r)}, #:lower16:{name}")
        g.insn(f"movt {reg(r)}, #:upper16:{name}")
        g.insn(f"bx {reg(r)}", "bx_reg")
        g.directive(".balign 2")
        g.label(back)
        ret = ctx.any(exclude=(14,))
        arm += [f"\tmovw {reg(ret)}, #:lower16:({back} + 1)", f"\tmovt {reg(ret)}, #:upper16:({back} + 1)",
                f"\tbx {reg(ret)}"]
    ctx.arm_functions.append(arm)
    return g


GENERATORS = {
    "dp16": gen_dp16, "dp32": gen_dp32, "load_store": gen_load_store, "push_pop": gen_push_pop,
    "ldm_stm": gen_ldm_stm, "it_block": gen_it_block, "cbz": gen_cbz, "table_branch": gen_table_branch,
    "interwork": gen_interwork, "branch": gen_branch,
}


# --- the wrapper --------------------------------------------------------------------------

def _prologue(rng: _Rng, seed: int, n: int) -> list[str]:
    flags = (rng.below(32) << 27) | (rng.below(16) << 16)
    out = [
        f"@ hypsim random T32 program: seed={seed} n_instructions={n}",
        "@ generated by hypsim.sequences.random_t32 -- do not edit",
        "\t.syntax unified", "\t.arch armv7ve", "\t.text", "\t.arm",
        "\t.global _start", "\t.type _start, %function", "_start:",
        f"\tmovw sp, #:lower16:{STACK_TOP_SYMBOL}", f"\tmovt sp, #:upper16:{STACK_TOP_SYMBOL}",
        f"\tmovw r0, #{hex32(flags & 0xFFFF)}", f"\tmovt r0, #{hex32(flags >> 16)}",
        "\tmsr APSR_nzcvqg, r0",
    ]
    for r in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14):
        value = rng.word()
        out += [f"\tmovw {reg(r)}, #{hex32(value & 0xFFFF)}", f"\tmovt {reg(r)}, #{hex32(value >> 16)}"]
    r12 = rng.word()
    out += [
        f"\tmovw r12, #:lower16:({BODY_START_SYMBOL} + 1)", f"\tmovt r12, #:upper16:({BODY_START_SYMBOL} + 1)",
        "\tbx r12                          @ to T32",
        "\t.thumb",
        f"\tmovw r12, #{hex32(r12 & 0xFFFF)}", f"\tmovt r12, #{hex32(r12 >> 16)}",
    ]
    # BX's target is the first MOVW above: hypsim_body_start is set just before it
    out.insert(len(out) - 2, f"\t.global {BODY_START_SYMBOL}")
    out.insert(len(out) - 2, f"{BODY_START_SYMBOL}:")
    return out


def _dump() -> list[str]:
    """A32: print the saved registers (on the stack: apsr, r0-r12, lr), a scratch checksum,
    then SYS_EXIT (semihosting, ADP_Stopped_ApplicationExit)."""
    names = ("apsr",) + tuple(f"r{i}" for i in range(13)) + ("lr",)
    order = [names.index(n) for n in DUMP_NAMES[:-1]]
    out = ["\t.arm", f"\t.type {DUMP_SYMBOL}, %function", f"{DUMP_SYMBOL}:",
           "\tmov r4, sp", "\tldr r1, =.Ldump_head", "\tmov r0, #0x04", "\tsvc 0x123456"]
    for name, slot in zip(DUMP_NAMES[:-1], order):
        out += [f"\tldr r1, =.Ldump_{name}", "\tmov r0, #0x04", "\tsvc 0x123456",
                f"\tldr r5, [r4, #{4 * slot}]", "\tbl .Ldump_hex"]
    out += [
        f"\tmovw r6, #:lower16:{SCRATCH_SYMBOL}", f"\tmovt r6, #:upper16:{SCRATCH_SYMBOL}",
        "\tmov r5, #0", "\tmov r7, #0",
        ".Ldump_sum:", "\tldr r8, [r6, r7]", "\teor r5, r8, r5, ror #27", "\tadd r7, r7, #4",
        "\tcmp r7, #SCRATCH_BYTES", "\tblo .Ldump_sum",
        "\tldr r1, =.Ldump_scratch", "\tmov r0, #0x04", "\tsvc 0x123456", "\tbl .Ldump_hex",
        "\tldr r1, =.Ldump_nl", "\tmov r0, #0x04", "\tsvc 0x123456",
        "\tldr r1, =0x20026", "\tmov r0, #0x18", "\tsvc 0x123456",
        "hypsim_hang:", "\tb hypsim_hang",
        ".Ldump_hex:                     @ r5 as 8 hex digits (SYS_WRITEC); uses r0-r3",
        "\tmov r2, #28",
        "1:\tlsr r0, r5, r2", "\tand r0, r0, #0xf", "\tcmp r0, #10", "\taddlo r0, r0, #'0'",
        "\taddhs r0, r0, #('a' - 10)", "\tldr r1, =.Ldump_ch", "\tstrb r0, [r1]", "\tmov r0, #0x03",
        "\tsvc 0x123456", "\tsubs r2, r2, #4", "\tbpl 1b", "\tbx lr",
        f".Ldump_head: .asciz \"{DUMP_PREFIX}\"",
    ]
    for name in DUMP_NAMES:
        out.append(f".Ldump_{name}: .asciz \" {name}=\"")
    out += [".Ldump_nl: .asciz \"\\n\"", "\t.balign 4", ".Ldump_ch: .word 0", "\t.ltorg"]
    return out


def generate(seed: int, n_instructions: int, config: GenConfig | None = None,
             stats: GenStats | None = None) -> str:
    """A complete GNU-as source: the same arguments give the same text."""
    if n_instructions < 0:
        raise ValueError("n_instructions must be >= 0")
    cfg = config if config is not None else GenConfig()
    cfg.validate()
    rng = _Rng(seed)
    stats = stats if stats is not None else GenStats()
    ctx = _Ctx(rng, cfg)
    weights = {k: cfg.weights.get(k, 0.0) for k in DEFAULT_WEIGHTS}
    lines = _prologue(rng, seed, n_instructions)
    emitted = 0
    while emitted < n_instructions:
        group = GENERATORS[rng.weighted(weights)](ctx)
        lines.append(f"\t@ {group.klass}")
        lines += group.lines
        emitted += group.count
        stats.classes[group.klass] += 1
        for m in group.mnemonics:
            if m.startswith("it_len"):
                stats.it_lengths[int(m[6:])] += 1
            elif m.startswith("itcond_"):
                stats.it_conditions[m[7:]] += 1
            else:
                stats.mnemonics[m] += 1
    stats.body_instructions += emitted
    lines += [
        "\t.balign 2",
        f"\t.global {BODY_END_SYMBOL}", f"{BODY_END_SYMBOL}:",
        "\tpush {r0-r12, lr}", "\tmrs r0, apsr", "\tpush {r0}",
        f"\tblx {DUMP_SYMBOL}",
        "\t.balign 4",
    ]
    for fn in ctx.arm_functions:
        lines += ["\t.arm", *fn]
    lines += [line.replace("SCRATCH_BYTES", str(cfg.scratch_bytes)) for line in _dump()]
    lines += ["", "\t.data", "\t.balign 16", f"\t.global {SCRATCH_SYMBOL}", f"{SCRATCH_SYMBOL}:"]
    words = [rng.word() for _ in range(cfg.scratch_bytes // 4)]
    for i in range(0, len(words), 8):
        lines.append("\t.word " + ", ".join(f"0x{w:08x}" for w in words[i:i + 8]))
    lines += ["\t.balign 16", "hypsim_stack:", f"\t.space {cfg.stack_bytes}",
              f"\t.global {STACK_TOP_SYMBOL}", f"{STACK_TOP_SYMBOL}:", ""]
    return "\n".join(lines) + "\n"


def parse_dump(text: str) -> dict[str, int]:
    """The values of the ``T32 DUMP`` line a stream prints (KeyError-free: {} if absent)."""
    for line in text.splitlines():
        if line.startswith(DUMP_PREFIX):
            fields = dict(item.split("=", 1) for item in line[len(DUMP_PREFIX):].split())
            return {k: int(v, 16) for k, v in fields.items()}
    return {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hypsim.sequences.random_t32",
                                     description="Generate a seeded random T32 program.")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=500, help="instructions in the body (about)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="assembly output (.S)")
    parser.add_argument("--elf", type=Path, help="also assemble and link to this ELF")
    parser.add_argument("--stats", action="store_true", help="print what the body exercises")
    args = parser.parse_args(argv)
    stats = GenStats()
    source = generate(args.seed, args.count, GenConfig(), stats)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(source)
    if args.elf is not None:
        elf = build(source, args.elf.parent, args.elf.stem)
        if elf != args.elf:
            elf.replace(args.elf)
    if args.stats:
        print(stats.summary(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

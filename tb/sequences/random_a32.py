"""Seeded random A32 (ARM state) instruction-stream generator.

The generated program is meant to run in lockstep on the RTL core and on QEMU
(``qemu-system-arm -M virt,virtualization=on -cpu cortex-a15 -semihosting``),
comparing PC, R0-R15 and CPSR after every instruction.  Every program is
therefore *architecturally deterministic*: the generator never emits an
encoding that the ARMv7-A ARM ARM calls UNPREDICTABLE, UNDEFINED or
IMPLEMENTATION DEFINED, and every memory access is aligned (natural size;
LDRD/STRD/LDM/STM word-aligned) and falls inside a 4 KiB scratch buffer
(``hypsim_scratch``) that the program carries as seeded ``.word`` data -- or,
for the PC-relative (literal) loads, reads the body's own instruction words.

Program layout::

    _start:              SP := stack top, NZCVQ/GE := random, r0-r12,r14 := random
    hypsim_body_start:   exactly n_instructions random instructions
    hypsim_body_end:     semihosting SYS_EXIT (ADP_Stopped_ApplicationExit)

The body count includes the short set-up instructions a memory operation or a
register-shifted-register operand needs (``movw``/``movt`` of a base or offset
register, ``mov`` of a shift amount); a branch target is only ever placed
between such groups, so a skipped group never leaves a half set-up base.

Rules kept by construction (from the ARMv7-A ARM ARM chapter A8 pseudocode):

* SP (r13) and PC are never written by the body except by the forward branches;
  the body may *read* SP, and PC in the forms where that is defined.
* No register-shifted-register operand mentions PC (A8.8 ``(register-shifted
  register)`` forms: any of d/n/m/s == 15 is UNPREDICTABLE).
* Long multiplies never have RdHi == RdLo.
* Loads/stores never write back to a base that is also a transfer register;
  LDRD/STRD use an even Rt below r14 (LDRD below r12 so r13 is never loaded);
  the register-offset LDRD offset register is neither Rt nor Rt2; no LDRT/STRT
  family (UNPREDICTABLE in Hyp mode); LDM/STM lists never hold the base, SP or
  PC and never use the ``^`` forms.
* UBFX/SBFX/BFI/BFC never have lsb + width > 32; SSAT/USAT saturate ranges stay
  in 1..32 / 0..31 (16-bit forms 1..16 / 0..15).
* MSR writes only the NZCVQ and GE fields, never mode/mask/execution bits.
* Branches only go forward, so every program terminates.
* No exclusives, no CP15, no system instructions, no literal pools in the body,
  except for the ``exception`` class (weight 0 by default): UDF, MRC/MCR/MRRC/MCRR/
  CDP to the unallocated coprocessors 4-7 (UNDEFINED on QEMU's cortex-a15 and on
  the core, tb/models/hsr.UNALLOCATED_COPROCS), SVC (any condition, never the
  semihosting 0x123456) and HVC (AL). With it the program installs its own
  vectors: the body in Hyp mode takes them to HVBAR+0x04 (UNDEFINED: the
  handler steps over the instruction, ELR_hyp + 4) and HVBAR+0x08 (SVC, HVC:
  ERET to ELR_hyp, the next instruction); the body in SVC mode (``--mmu
  guest``) to VBAR+0x04/0x08 (MOVS PC, LR: both LR values are the next
  instruction; an SVC in SVC mode overwrites LR, which QEMU does too) and HVC to
  HVBAR+0x14 (ERET). The handlers leave every register and flag as they were.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence, TypeVar

from ..models.hsr import SEMIHOSTING_SVC_IMM as SEMIHOSTING_SVC
from ..models.hsr import UNALLOCATED_COPROCS
from ..qemu import MACHINE_ARGS, QEMU_BIN, one_insn_args

T = TypeVar("T")

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

RAM_BASE = 0x4000_0000
SCRATCH_SYMBOL = "hypsim_scratch"
STACK_TOP_SYMBOL = "hypsim_stack_top"
BODY_START_SYMBOL = "hypsim_body_start"
BODY_END_SYMBOL = "hypsim_body_end"
VECTORS_SYMBOL = "hypsim_hyp_vectors"      # HVBAR; the PL1 table (VBAR) is hypsim_pl1_vectors

#: Condition field values 0..14 -> UAL suffix (14 = AL, written without suffix).
CONDITIONS: tuple[str, ...] = (
    "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
    "hi", "ls", "ge", "lt", "gt", "le", "al",
)

SP = 13
LR = 14
PC = 15
#: Registers the body may write (never SP, never PC).
WRITABLE: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14)

DP_OPCODES: tuple[str, ...] = (
    "and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc",
    "tst", "teq", "cmp", "cmn", "orr", "mov", "bic", "mvn",
)
DP_TEST = frozenset({"tst", "teq", "cmp", "cmn"})
DP_MOVE = frozenset({"mov", "mvn"})

SHIFTER_FORMS: tuple[str, ...] = (
    "imm", "imm_rotated", "reg", "lsl_imm", "lsr_imm", "asr_imm", "ror_imm",
    "rrx", "lsl_reg", "lsr_reg", "asr_reg", "ror_reg",
)

#: Instruction classes of the mix and their default weights.
DEFAULT_WEIGHTS: dict[str, float] = {
    "data_processing": 30.0,
    "move_wide": 4.0,
    "multiply": 8.0,
    "divide": 3.0,
    "bit_manipulation": 4.0,   # CLZ, RBIT, REV, REV16, REVSH
    "extend": 4.0,             # SXTB..UXTAH
    "bitfield": 4.0,           # UBFX, SBFX, BFI, BFC
    "saturate": 4.0,           # SSAT, USAT, QADD, QSUB, QDADD, QDSUB
    # ARMv6 media (SIMD add/sub, SEL, PKH, USAD8, dual MAC...): the core leaves them
    # UNDEFINED (rtl/core/arm_core.sv), so off by default; QEMU_ONLY_WEIGHTS turns them on
    # for streams that only QEMU runs (the generator's own tests)
    "parallel": 0.0,
    "load_store": 16.0,        # LDR/STR/B/H/SB/SH/D, every addressing mode
    "load_store_multiple": 5.0,
    "branch": 5.0,
    "status": 3.0,             # MRS APSR, MSR APSR_nzcvq/_g
    # UDF, unallocated coprocessors (UNDEFINED), SVC, HVC: each takes an exception to
    # the program's own vectors (VECTORS_SYMBOL); off by default, on in the regression
    "exception": 0.0,
}

INSTRUCTION_CLASSES: tuple[str, ...] = tuple(DEFAULT_WEIGHTS)

#: The classes the default mix leaves out because the core does not implement them.
QEMU_ONLY_WEIGHTS: dict[str, float] = {"parallel": 5.0}


class ToolchainMissingError(RuntimeError):
    """The arm-none-eabi cross toolchain (or QEMU) is not installed."""


# --------------------------------------------------------------------------
# Configuration and statistics
# --------------------------------------------------------------------------


@dataclass
class GenConfig:
    """Knobs of the generator.  A weight of 0 removes a class from the mix."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    #: Probability that a random instruction gets a condition other than AL.
    conditional_probability: float = 0.5
    #: Probability that an instruction with an optional S bit sets flags.
    set_flags_probability: float = 0.5
    #: Probability that a data-processing source operand is PC (where defined).
    pc_source_probability: float = 0.03
    #: Probability that a source operand is SP (read only).
    sp_source_probability: float = 0.03
    #: Probability that a register-shifted-register operand gets its shift
    #: amount set by a preceding MOV (else the register's current value is used).
    shift_setup_probability: float = 0.75
    #: Probability that an operand of multiply/saturate/divide is first set to
    #: an edge value (0, 1, -1, 0x7fffffff, 0x80000000, ...).
    edge_value_probability: float = 0.2
    #: Fraction of single loads/stores that are PC-relative (literal) loads of
    #: the program's own instruction words; 0 keeps all data accesses in the
    #: scratch buffer.
    literal_load_fraction: float = 0.1
    #: Largest number of instructions a forward branch skips (>= 1).
    max_branch_skip: int = 4
    scratch_bytes: int = 4096
    stack_bytes: int = 256
    #: "off", or run the body with the MMU on (see MMU_MODES below): "hyp"
    #: (Hyp stage 1) or "guest" (SVC mode under stage 1 + stage 2).
    mmu: str = "off"

    def validate(self) -> None:
        unknown = set(self.weights) - set(INSTRUCTION_CLASSES)
        if unknown:
            raise ValueError(f"unknown instruction classes in weights: {sorted(unknown)}")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("weights must be >= 0")
        if not any(w > 0 for w in self.weights.values()):
            raise ValueError("at least one instruction class needs a positive weight")
        if self.scratch_bytes < 256 or self.scratch_bytes % 16 or self.scratch_bytes > 16384:
            raise ValueError("scratch_bytes must be a multiple of 16 in 256..16384")
        if self.max_branch_skip < 1:
            raise ValueError("max_branch_skip must be >= 1")
        if self.mmu not in MMU_MODES:
            raise ValueError(f"mmu must be one of {', '.join(MMU_MODES)}, not {self.mmu!r}")

    def enabled_classes(self) -> list[str]:
        return [c for c in INSTRUCTION_CLASSES if self.weights.get(c, 0) > 0]


@dataclass
class GenStats:
    """What a generated stream exercises (static counts over the body)."""

    classes: Counter[str] = field(default_factory=Counter)
    mnemonics: Counter[str] = field(default_factory=Counter)
    conditions: Counter[str] = field(default_factory=Counter)
    shifter_forms: Counter[str] = field(default_factory=Counter)
    shift_amounts: Counter[str] = field(default_factory=Counter)
    addressing_modes: Counter[str] = field(default_factory=Counter)
    #: Special operand values set up before an instruction (edge values, x/0 ...).
    operand_cases: Counter[str] = field(default_factory=Counter)
    #: All instructions in the body (== n_instructions).
    body_instructions: int = 0
    #: Of those, set-up instructions (base/offset/shift-amount/edge-value moves).
    setup_instructions: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "body_instructions": self.body_instructions,
            "setup_instructions": self.setup_instructions,
            "classes": dict(sorted(self.classes.items())),
            "mnemonics": dict(sorted(self.mnemonics.items())),
            "conditions": dict(sorted(self.conditions.items())),
            "shifter_forms": dict(sorted(self.shifter_forms.items())),
            "shift_amounts": dict(sorted(self.shift_amounts.items())),
            "addressing_modes": dict(sorted(self.addressing_modes.items())),
            "operand_cases": dict(sorted(self.operand_cases.items())),
        }

    def summary(self) -> str:
        lines = [
            f"body instructions: {self.body_instructions} "
            f"(set-up {self.setup_instructions})",
        ]
        for name in ("classes", "conditions", "shifter_forms", "shift_amounts",
                     "addressing_modes", "operand_cases", "mnemonics"):
            counter: Counter[str] = getattr(self, name)
            items = ", ".join(f"{k}={v}" for k, v in sorted(counter.items()))
            lines.append(f"{name} ({len(counter)}): {items}")
        return "\n".join(lines)


# --------------------------------------------------------------------------
# Reproducible random source
# --------------------------------------------------------------------------


class _Rng:
    """Random helpers built only on ``random.Random.random()``.

    ``random()`` is the one method whose sequence Python guarantees to keep
    across versions for a given seed, so the output text is stable.
    """

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)

    def below(self, n: int) -> int:
        """Uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("below() needs n > 0")
        if n <= 1 << 16:
            return min(int(self._r.random() * n), n - 1)
        return self.word() % n if n <= 1 << 32 else int(self._r.random() * n)

    def randint(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]."""
        return lo + self.below(hi - lo + 1)

    def chance(self, p: float) -> bool:
        return self._r.random() < p

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.below(len(seq))]

    def half(self) -> int:
        return min(int(self._r.random() * 65536), 65535)

    def word(self) -> int:
        return (self.half() << 16) | self.half()

    def weighted(self, weights: dict[str, float]) -> str:
        items = [(k, w) for k, w in weights.items() if w > 0]
        total = sum(w for _, w in items)
        x = self._r.random() * total
        for k, w in items:
            x -= w
            if x < 0:
                return k
        return items[-1][0]

    def sample(self, pool: Sequence[int], k: int) -> list[int]:
        rest = list(pool)
        out: list[int] = []
        for _ in range(k):
            out.append(rest.pop(self.below(len(rest))))
        return out


# --------------------------------------------------------------------------
# Small architecture helpers
# --------------------------------------------------------------------------

MASK32 = 0xFFFF_FFFF


def reg(r: int) -> str:
    return {SP: "sp", LR: "lr", PC: "pc"}.get(r, f"r{r}")


def ror32(value: int, amount: int) -> int:
    amount %= 32
    value &= MASK32
    return ((value >> amount) | (value << (32 - amount))) & MASK32 if amount else value


def rol32(value: int, amount: int) -> int:
    return ror32(value, (32 - amount % 32) % 32)


def shift_c(value: int, kind: str, amount: int) -> int:
    """Shift() of the ARM ARM for immediate shifts (RRX excluded)."""
    value &= MASK32
    if kind == "lsl":
        return (value << amount) & MASK32
    if kind == "lsr":
        return 0 if amount >= 32 else value >> amount
    if kind == "asr":
        signed = value - (1 << 32) if value & 0x8000_0000 else value
        return (signed >> min(amount, 32)) & MASK32
    if kind == "ror":
        return ror32(value, amount)
    raise ValueError(kind)


def hex32(value: int) -> str:
    return f"0x{value & MASK32:x}"


# --------------------------------------------------------------------------
# Groups: one random instruction plus the set-up it needs
# --------------------------------------------------------------------------


@dataclass
class Group:
    """A unit of emission; a branch target never falls inside a group."""

    klass: str
    insns: list[str] = field(default_factory=list)
    setup_count: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: Set by branches: label to place after the next few instructions.
    forward_label: str | None = None

    def setup(self, text: str) -> None:
        self.insns.append(text)
        self.setup_count += 1

    def op(self, text: str, mnemonic: str) -> None:
        self.insns.append(text)
        self.notes.append(("mnemonics", mnemonic))

    def note(self, category: str, key: str) -> None:
        self.notes.append((category, key))


@dataclass
class _Ctx:
    rng: _Rng
    cfg: GenConfig
    n_instructions: int
    #: Index (within the body) of the first instruction of the group being built.
    position: int = 0
    label_counter: int = 0

    # -- operand pickers -------------------------------------------------

    def cond(self, g: Group) -> str:
        """Random condition suffix ('' for AL); recorded in the stats."""
        if self.rng.chance(self.cfg.conditional_probability):
            c = self.rng.below(15)
        else:
            c = 14
        g.note("conditions", CONDITIONS[c])
        return "" if c == 14 else CONDITIONS[c]

    def s_bit(self) -> bool:
        return self.rng.chance(self.cfg.set_flags_probability)

    def dest(self, exclude: Iterable[int] = ()) -> int:
        ex = set(exclude)
        return self.rng.choice([r for r in WRITABLE if r not in ex])

    def src(self, exclude: Iterable[int] = (), allow_pc: bool = False) -> int:
        """A source register: any writable one, sometimes SP, sometimes PC."""
        ex = set(exclude)
        if allow_pc and PC not in ex and self.rng.chance(self.cfg.pc_source_probability):
            return PC
        if SP not in ex and self.rng.chance(self.cfg.sp_source_probability):
            return SP
        return self.rng.choice([r for r in WRITABLE if r not in ex])

    def label(self) -> str:
        self.label_counter += 1
        return f".Lhypsim_fwd_{self.label_counter}"

    def scratch_expr(self, offset: int) -> str:
        if offset == 0:
            return SCRATCH_SYMBOL
        sign = "+" if offset > 0 else "-"
        return f"({SCRATCH_SYMBOL} {sign} {abs(offset)})"

    def edge_value(self) -> int:
        return self.rng.choice((0, 1, 2, MASK32, 0x7FFF_FFFF, 0x8000_0000,
                                0x8000_0001, 0xFFFF, 0x8000, 0xFFFF_8000, 0x7FFF))

    def load_const(self, g: Group, r: int, value: int) -> None:
        """Set register r to value with MOVW (+MOVT), recorded as set-up."""
        value &= MASK32
        g.setup(f"movw {reg(r)}, #{hex32(value & 0xFFFF)}")
        if value >> 16:
            g.setup(f"movt {reg(r)}, #{hex32(value >> 16)}")

    def maybe_edge(self, g: Group, regs: Sequence[int]) -> None:
        """Sometimes set some of the given (writable) registers to edge values."""
        for r in regs:
            if r in WRITABLE and self.rng.chance(self.cfg.edge_value_probability):
                value = self.edge_value()
                self.load_const(g, r, value)
                g.note("operand_cases", f"edge_{hex32(value)}")


# --------------------------------------------------------------------------
# Data processing (A5.2.1-A5.2.3), shifter operands (A8.4)
# --------------------------------------------------------------------------


def _modified_immediate(ctx: _Ctx, g: Group) -> str:
    """A rotated 8-bit immediate; rotations != 0 make the shifter set C."""
    imm8 = ctx.rng.below(256)
    pick = ctx.rng.below(3)
    if pick == 0:
        rot = 0
    elif pick == 1:
        rot = ctx.rng.randint(1, 15)
    else:
        # Wrap a set bit into bit 31: the shifter carry-out becomes 1.
        rot = ctx.rng.randint(1, 4)
        imm8 |= 1 << (2 * rot - 1)
    if rot == 0:
        g.note("shifter_forms", "imm")
        return f"#{hex32(imm8)}"
    value = ror32(imm8, 2 * rot)
    g.note("shifter_forms", "imm_rotated")
    g.note("shifter_forms", "imm_rotated_carry1" if value & 0x8000_0000 else "imm_rotated_carry0")
    # Explicit "#imm8, rot" syntax: the assembler keeps this exact encoding,
    # so rotations that another encoding could avoid are still exercised.
    return f"#{hex32(imm8)}, {2 * rot}"


def _imm_shift_amount(ctx: _Ctx, kind: str) -> int:
    """Immediate shift amount, biased to the edges (1, 31 and the #32 encodings)."""
    top = 32 if kind in ("lsr", "asr") else 31
    if ctx.rng.chance(0.3):
        return ctx.rng.choice((1, top, top) if top == 32 else (1, 31))
    return ctx.rng.randint(1, top)


def _shift_amount_class(amount: int) -> str:
    low = amount & 0xFF
    prefix = "hi_bits_" if amount > 0xFF else ""
    if low == 0:
        return prefix + "0"
    if low < 32:
        return prefix + "1-31"
    if low == 32:
        return prefix + "32"
    return prefix + "33-255"


def _shifter_operand(ctx: _Ctx, g: Group) -> tuple[str, bool]:
    """Return (operand text, is register-shifted-register).  May add set-up to g."""
    form = ctx.rng.choice(SHIFTER_FORMS)
    if form in ("imm", "imm_rotated"):
        return _modified_immediate(ctx, g), False
    g.note("shifter_forms", form)
    if form.endswith("_reg"):
        kind = form[:3]
        rm = ctx.src()                                  # never PC here
        if ctx.rng.chance(ctx.cfg.shift_setup_probability):
            rs = ctx.dest()
            bucket = ctx.rng.below(6)
            amount = (0, ctx.rng.randint(1, 31), 32, ctx.rng.randint(33, 255),
                      ctx.rng.randint(1, 31), ctx.rng.randint(256, 0xFFFF))[bucket]
            if amount <= 0xFF:
                g.setup(f"mov {reg(rs)}, #{amount}")
            else:
                g.setup(f"movw {reg(rs)}, #{hex32(amount)}")
            g.note("shift_amounts", _shift_amount_class(amount))
        else:
            rs = ctx.src()
            g.note("shift_amounts", "register_value")
        return f"{reg(rm)}, {kind} {reg(rs)}", True
    rm = ctx.src(allow_pc=True)
    if form == "reg":
        return reg(rm), False
    if form == "rrx":
        return f"{reg(rm)}, rrx", False
    kind = form[:3]
    amount = _imm_shift_amount(ctx, kind)
    if amount == 32:
        g.note("shifter_forms", f"{kind}_imm32")
    return f"{reg(rm)}, {kind} #{amount}", False


def gen_data_processing(ctx: _Ctx) -> Group:
    g = Group("data_processing")
    op = ctx.rng.choice(DP_OPCODES)
    operand2, reg_shift = _shifter_operand(ctx, g)
    cond = ctx.cond(g)
    if op in DP_TEST:
        # Register-shifted-register forms never see PC (UNPREDICTABLE).
        rn = ctx.src(allow_pc=not reg_shift)
        g.op(f"{op}{cond} {reg(rn)}, {operand2}", op)
        return g
    rd = ctx.dest()
    s = "s" if ctx.s_bit() else ""
    if op in DP_MOVE:
        g.op(f"{op}{s}{cond} {reg(rd)}, {operand2}", op + s)
    else:
        rn = ctx.src(allow_pc=not reg_shift)
        g.op(f"{op}{s}{cond} {reg(rd)}, {reg(rn)}, {operand2}", op + s)
    return g


def gen_move_wide(ctx: _Ctx) -> Group:
    g = Group("move_wide")
    op = ctx.rng.choice(("movw", "movt"))
    g.op(f"{op}{ctx.cond(g)} {reg(ctx.dest())}, #{hex32(ctx.rng.half())}", op)
    return g


# --------------------------------------------------------------------------
# Multiply (A5.2.5, A5.2.7), divide, misc media
# --------------------------------------------------------------------------

_XY = ("bb", "bt", "tb", "tt")


def gen_multiply(ctx: _Ctx) -> Group:
    g = Group("multiply")
    kind = ctx.rng.choice((
        "mul", "mla", "mls", "umull", "smull", "umlal", "smlal", "umaal",
        "smulxy", "smlaxy", "smulwy", "smlawy", "smlalxy",
    ))
    rn, rm, ra = ctx.src(), ctx.src(), ctx.src()
    ctx.maybe_edge(g, (rn, rm))
    if kind in ("umull", "smull", "umlal", "smlal", "umaal", "smlalxy"):
        lo = ctx.dest()
        hi = ctx.dest(exclude=(lo,))        # RdHi == RdLo is UNPREDICTABLE
        if kind == "smlalxy":
            mnem = "smlal" + ctx.rng.choice(_XY)
            s = ""
        elif kind == "umaal":
            mnem, s = "umaal", ""
        else:
            mnem, s = kind, ("s" if ctx.s_bit() else "")
        g.op(f"{mnem}{s}{ctx.cond(g)} {reg(lo)}, {reg(hi)}, {reg(rn)}, {reg(rm)}", mnem + s)
        return g
    rd = ctx.dest()
    if kind == "mul":
        s = "s" if ctx.s_bit() else ""
        g.op(f"mul{s}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}", "mul" + s)
    elif kind in ("mla", "mls"):
        s = "s" if kind == "mla" and ctx.s_bit() else ""
        g.op(f"{kind}{s}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}, {reg(ra)}", kind + s)
    elif kind == "smulxy":
        mnem = "smul" + ctx.rng.choice(_XY)
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}", mnem)
    elif kind == "smlaxy":
        mnem = "smla" + ctx.rng.choice(_XY)
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}, {reg(ra)}", mnem)
    elif kind == "smulwy":
        mnem = "smulw" + ctx.rng.choice("bt")
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}", mnem)
    else:  # smlawy
        mnem = "smlaw" + ctx.rng.choice("bt")
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}, {reg(ra)}", mnem)
    return g


def gen_divide(ctx: _Ctx) -> Group:
    g = Group("divide")
    op = ctx.rng.choice(("sdiv", "udiv"))
    rd = ctx.dest()
    rn = ctx.dest()
    rm = ctx.dest(exclude=(rn,))
    special = ctx.rng.below(6)
    if special == 0:
        g.setup(f"mov {reg(rm)}, #0")                     # divide by zero -> 0
        g.note("operand_cases", "divide_by_zero")
    elif special == 1:
        g.setup(f"mov {reg(rn)}, #0x80000000")            # INT_MIN / -1
        g.setup(f"mvn {reg(rm)}, #0")
        g.note("operand_cases", "sdiv_int_min_by_minus_one")
    elif special == 2:
        ctx.maybe_edge(g, (rn, rm))
    g.op(f"{op}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}", op)
    return g


def gen_bit_manipulation(ctx: _Ctx) -> Group:
    g = Group("bit_manipulation")
    op = ctx.rng.choice(("clz", "rbit", "rev", "rev16", "revsh"))
    rm = ctx.src()
    if op == "clz":
        ctx.maybe_edge(g, (rm,))
    g.op(f"{op}{ctx.cond(g)} {reg(ctx.dest())}, {reg(rm)}", op)
    return g


def _rotation(ctx: _Ctx, g: Group) -> str:
    rot = ctx.rng.choice((0, 8, 16, 24))
    g.note("shifter_forms", f"extend_ror{rot}")
    return "" if rot == 0 else f", ror #{rot}"


def gen_extend(ctx: _Ctx) -> Group:
    g = Group("extend")
    op = ctx.rng.choice(("sxtb", "sxth", "uxtb", "uxth", "sxtab", "sxtah", "uxtab", "uxtah"))
    rd, rm = ctx.dest(), ctx.src()
    rot = _rotation(ctx, g)
    if op.endswith(("ab", "ah")):
        g.op(f"{op}{ctx.cond(g)} {reg(rd)}, {reg(ctx.src())}, {reg(rm)}{rot}", op)
    else:
        g.op(f"{op}{ctx.cond(g)} {reg(rd)}, {reg(rm)}{rot}", op)
    return g


def gen_bitfield(ctx: _Ctx) -> Group:
    g = Group("bitfield")
    op = ctx.rng.choice(("ubfx", "sbfx", "bfi", "bfc"))
    lsb = ctx.rng.randint(0, 31)
    width = ctx.rng.randint(1, 32 - lsb)          # msbit <= 31, msbit >= lsbit
    rd = ctx.dest()
    if op == "bfc":
        g.op(f"bfc{ctx.cond(g)} {reg(rd)}, #{lsb}, #{width}", op)
    else:
        g.op(f"{op}{ctx.cond(g)} {reg(rd)}, {reg(ctx.src())}, #{lsb}, #{width}", op)
    return g


def gen_saturate(ctx: _Ctx) -> Group:
    g = Group("saturate")
    op = ctx.rng.choice(("ssat", "usat", "qadd", "qsub", "qdadd", "qdsub"))
    rd, rn, rm = ctx.dest(), ctx.src(), ctx.src()
    ctx.maybe_edge(g, (rn,) if op in ("ssat", "usat") else (rn, rm))
    cond = ctx.cond(g)
    if op in ("ssat", "usat"):
        sat = ctx.rng.randint(1, 32) if op == "ssat" else ctx.rng.randint(0, 31)
        if ctx.rng.chance(0.5):
            amount = ctx.rng.randint(0, 31)
            shift = "" if amount == 0 else f", lsl #{amount}"
            g.note("shifter_forms", "sat_lsl")
        else:
            shift = f", asr #{ctx.rng.randint(1, 32)}"
            g.note("shifter_forms", "sat_asr")
        g.op(f"{op}{cond} {reg(rd)}, #{sat}, {reg(rn)}{shift}", op)
    else:
        g.op(f"{op}{cond} {reg(rd)}, {reg(rm)}, {reg(rn)}", op)
    return g


_PARALLEL_PREFIX = ("s", "q", "sh", "u", "uq", "uh")
_PARALLEL_OP = ("add16", "asx", "sax", "sub16", "add8", "sub8")


def gen_parallel(ctx: _Ctx) -> Group:
    """ARMv6 media instructions (A5.4): SIMD add/sub, SEL, PKH, USAD8, dual MAC."""
    g = Group("parallel")
    kind = ctx.rng.below(9)
    rd, rn, rm, ra = ctx.dest(), ctx.src(), ctx.src(), ctx.src()
    if kind <= 2:
        mnem = ctx.rng.choice(_PARALLEL_PREFIX) + ctx.rng.choice(_PARALLEL_OP)
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}", mnem)
    elif kind == 3:
        mnem = ctx.rng.choice(("sel", "usad8", "usada8"))
        tail = f", {reg(ra)}" if mnem == "usada8" else ""
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}{tail}", mnem)
    elif kind == 4:
        if ctx.rng.chance(0.5):
            amount = ctx.rng.randint(0, 31)
            tail = "" if amount == 0 else f", lsl #{amount}"
            g.op(f"pkhbt{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}{tail}", "pkhbt")
        else:
            amount = ctx.rng.randint(1, 32)
            g.op(f"pkhtb{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}, asr #{amount}", "pkhtb")
    elif kind == 5:
        mnem = ctx.rng.choice(("sxtb16", "uxtb16", "sxtab16", "uxtab16"))
        rot = _rotation(ctx, g)
        mid = f"{reg(rn)}, " if "ab" in mnem else ""
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {mid}{reg(rm)}{rot}", mnem)
    elif kind == 6:
        if ctx.rng.chance(0.5):
            g.op(f"ssat16{ctx.cond(g)} {reg(rd)}, #{ctx.rng.randint(1, 16)}, {reg(rn)}", "ssat16")
        else:
            g.op(f"usat16{ctx.cond(g)} {reg(rd)}, #{ctx.rng.randint(0, 15)}, {reg(rn)}", "usat16")
    elif kind == 7:
        base = ctx.rng.choice(("smuad", "smusd", "smlad", "smlsd", "smlald", "smlsld"))
        mnem = base + ("x" if ctx.rng.chance(0.5) else "")
        if base in ("smlald", "smlsld"):
            lo = ctx.dest()
            hi = ctx.dest(exclude=(lo,))    # RdHi == RdLo is UNPREDICTABLE
            g.op(f"{mnem}{ctx.cond(g)} {reg(lo)}, {reg(hi)}, {reg(rn)}, {reg(rm)}", mnem)
        elif base in ("smlad", "smlsd"):
            g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}, {reg(ra)}", mnem)
        else:
            g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}", mnem)
    else:
        base = ctx.rng.choice(("smmul", "smmla", "smmls"))
        mnem = base + ("r" if ctx.rng.chance(0.5) else "")
        tail = "" if base == "smmul" else f", {reg(ra)}"
        g.op(f"{mnem}{ctx.cond(g)} {reg(rd)}, {reg(rn)}, {reg(rm)}{tail}", mnem)
    return g


# --------------------------------------------------------------------------
# Loads and stores (A5.3, A8.5 addressing modes)
# --------------------------------------------------------------------------

_WORD_BYTE = ("ldr", "str", "ldrb", "strb")
_HALF = ("ldrh", "strh", "ldrsb", "ldrsh")
_DUAL = ("ldrd", "strd")
_SIZE = {"ldr": 4, "str": 4, "ldrb": 1, "strb": 1, "ldrh": 2, "strh": 2,
         "ldrsb": 1, "ldrsh": 2, "ldrd": 8, "strd": 8}


def _aligned_offset(ctx: _Ctx, size: int) -> int:
    """A naturally aligned offset in the scratch buffer with room for size bytes."""
    align = min(size, 4)
    slots = (ctx.cfg.scratch_bytes - size) // align + 1
    return ctx.rng.below(slots) * align


def _offset_register_value(ctx: _Ctx, shift: tuple[str, int] | None) -> int:
    """A value for the offset register: small after shifting, or fully random."""
    if ctx.rng.chance(0.4):
        return ctx.rng.word()
    small = ctx.rng.randint(-600, 600) & MASK32
    if shift is None:
        return small
    kind, amount = shift
    if kind == "lsl":
        return (ctx.rng.randint(-600, 600) >> min(amount, 10)) & MASK32 if amount < 32 else 0
    low = ctx.rng.word() & ((1 << min(amount, 32)) - 1) if amount < 32 else ctx.rng.word()
    if kind == "lsr":
        pos = ctx.rng.randint(0, 600)
        return ((pos << amount) | low) & MASK32 if amount < 32 else low
    if kind == "asr":
        return ((small << amount) | low) & MASK32 if amount < 32 else low
    if kind == "ror":
        return rol32(small, amount)
    raise ValueError(kind)


def _emit_base(ctx: _Ctx, g: Group, rn: int, base_off: int) -> None:
    """rn := scratch + base_off via MOVW/MOVT (addend stays well inside +-32 KiB)."""
    expr = ctx.scratch_expr(base_off)
    g.setup(f"movw {reg(rn)}, #:lower16:{expr}")
    g.setup(f"movt {reg(rn)}, #:upper16:{expr}")


def _pick_transfer_regs(ctx: _Ctx, op: str) -> tuple[int, int | None]:
    """Rt (and Rt2 for the dual forms) obeying A8 LDRD/STRD rules."""
    if op == "ldrd":
        t = ctx.rng.choice((0, 2, 4, 6, 8, 10))        # Rt even, Rt2 = Rt+1 <= r11
        return t, t + 1
    if op == "strd":
        t = ctx.rng.choice((0, 2, 4, 6, 8, 10, 12))    # Rt2 = r13 is only read
        return t, t + 1
    if op.startswith("ld"):
        return ctx.dest(), None
    return ctx.src(), None


def _gen_literal_load(ctx: _Ctx, g: Group) -> None:
    """LDR{B,H,SB,SH,D} (literal): read an instruction word of the body itself."""
    op = ctx.rng.choice(("ldr", "ldrb", "ldrh", "ldrsb", "ldrsh", "ldrd"))
    limit = 4095 if op in ("ldr", "ldrb") else 255
    i = ctx.position                                  # this load is the group's only insn
    last = ctx.n_instructions - (2 if op == "ldrd" else 1)
    lo = max(0, i + 2 - limit // 4)
    hi = min(last, i + 2 + limit // 4)
    if hi < lo:                                       # tiny body: read this very word
        lo = hi = i
    j = ctx.rng.randint(lo, hi)
    byte = {"ldrb": ctx.rng.below(4), "ldrsb": ctx.rng.below(4),
            "ldrh": 2 * ctx.rng.below(2), "ldrsh": 2 * ctx.rng.below(2)}.get(op, 0)
    imm = 4 * (j - i) - 8 + byte                      # PC reads as this insn + 8
    if abs(imm) > limit:
        imm = -8 + byte if abs(-8 + byte) <= limit else 0
    sign = "-" if imm < 0 or (imm == 0 and ctx.rng.chance(0.5)) else ""
    t, t2 = _pick_transfer_regs(ctx, op)
    regs = f"{reg(t)}, {reg(t2)}" if t2 is not None else reg(t)
    g.note("addressing_modes", f"literal_U{0 if sign else 1}")
    g.op(f"{op}{ctx.cond(g)} {regs}, [pc, #{sign}{abs(imm)}]", op)


def gen_load_store(ctx: _Ctx) -> Group:
    g = Group("load_store")
    if ctx.rng.chance(ctx.cfg.literal_load_fraction):
        _gen_literal_load(ctx, g)
        return g
    family = ctx.rng.below(9)
    if family <= 4:
        op = ctx.rng.choice(_WORD_BYTE)
        form = ctx.rng.choice(("imm", "reg", "scaled"))
        imm_limit = 4095
    elif family <= 7:
        op = ctx.rng.choice(_HALF)
        form = ctx.rng.choice(("imm", "reg"))
        imm_limit = 255
    else:
        op = ctx.rng.choice(_DUAL)
        form = ctx.rng.choice(("imm", "reg"))
        imm_limit = 255
    index = ctx.rng.choice(("offset", "pre", "post"))
    wback = index != "offset"
    add = ctx.rng.chance(0.5)                          # the U bit
    size = _SIZE[op]
    t, t2 = _pick_transfer_regs(ctx, op)
    transfer = {t} if t2 is None else {t, t2}

    # Base: never a transfer register when writing back (UNPREDICTABLE).
    rn = ctx.dest(exclude=transfer if wback else ())
    ea = _aligned_offset(ctx, size)                    # effective address - scratch
    sign = "" if add else "-"
    g.note("addressing_modes", f"{form}_{index}_U{int(add)}")

    if form == "imm":
        imm = ctx.rng.randint(0, imm_limit) if ctx.rng.chance(0.7) else ctx.rng.randint(0, 16)
        # offset/pre-index access base +- imm; post-index accesses base itself
        base_off = ea if index == "post" else (ea - imm if add else ea + imm)
        _emit_base(ctx, g, rn, base_off)
        if index == "offset":
            addr = f"[{reg(rn)}, #{sign}{imm}]"
        elif index == "pre":
            addr = f"[{reg(rn)}, #{sign}{imm}]!"
        else:
            addr = f"[{reg(rn)}], #{sign}{imm}"
    else:
        # Offset register: never the base; for LDRD never Rt/Rt2 (UNPREDICTABLE).
        exclude = {rn} | (transfer if op == "ldrd" else set())
        rm = ctx.dest(exclude=exclude)
        shift: tuple[str, int] | None = None
        shift_text = ""
        if form == "scaled":
            kind = ctx.rng.choice(("lsl", "lsr", "asr", "ror", "rrx"))
            if kind == "rrx":
                shift_text = ", rrx"
            else:
                amount = _imm_shift_amount(ctx, kind)
                shift = (kind, amount)
                shift_text = f", {kind} #{amount}"
            g.note("shifter_forms", f"mem_{kind}")
        rm_value = _offset_register_value(ctx, shift)
        if form == "scaled" and shift is None:        # RRX: offset depends on C
            offset: int | None = None
        else:
            offset = shift_c(rm_value, *shift) if shift else rm_value
            offset = offset - (1 << 32) if offset & 0x8000_0000 else offset
        if index == "post":
            _emit_base(ctx, g, rn, ea)
            ctx.load_const(g, rm, rm_value)
        elif offset is not None and abs(offset) <= 8192:
            _emit_base(ctx, g, rn, ea - offset if add else ea + offset)
            ctx.load_const(g, rm, rm_value)
        else:
            # Large (or carry-dependent) offset: point rn at the target and undo
            # the offset with the same shifter, which leaves the flags alone.
            _emit_base(ctx, g, rn, ea)
            ctx.load_const(g, rm, rm_value)
            undo = "sub" if add else "add"
            g.setup(f"{undo} {reg(rn)}, {reg(rn)}, {reg(rm)}{shift_text}")
            g.note("operand_cases", "large_register_offset")
        if index == "offset":
            addr = f"[{reg(rn)}, {sign}{reg(rm)}{shift_text}]"
        elif index == "pre":
            addr = f"[{reg(rn)}, {sign}{reg(rm)}{shift_text}]!"
        else:
            addr = f"[{reg(rn)}], {sign}{reg(rm)}{shift_text}"
    regs = f"{reg(t)}, {reg(t2)}" if t2 is not None else reg(t)
    g.op(f"{op}{ctx.cond(g)} {regs}, {addr}", op)
    return g


def gen_load_store_multiple(ctx: _Ctx) -> Group:
    g = Group("load_store_multiple")
    load = ctx.rng.chance(0.5)
    mode = ctx.rng.choice(("ia", "ib", "da", "db"))
    wback = ctx.rng.chance(0.5)
    rn = ctx.dest()
    pool = [r for r in WRITABLE if r != rn]            # never base, SP or PC
    count = ctx.rng.randint(1, len(pool)) if ctx.rng.chance(0.3) else ctx.rng.randint(1, 4)
    regs = sorted(ctx.rng.sample(pool, count))
    span = 4 * count
    lowest = ctx.rng.below((ctx.cfg.scratch_bytes - span) // 4 + 1) * 4
    base_off = {"ia": lowest, "ib": lowest - 4, "da": lowest + span - 4, "db": lowest + span}[mode]
    _emit_base(ctx, g, rn, base_off)
    mnem = ("ldm" if load else "stm") + mode
    bang = "!" if wback else ""
    g.note("addressing_modes", f"multiple_{mode}{'_wback' if wback else ''}")
    g.op(f"{mnem}{ctx.cond(g)} {reg(rn)}{bang}, {{{', '.join(reg(r) for r in regs)}}}", mnem)
    return g


# --------------------------------------------------------------------------
# Branches and status-register access
# --------------------------------------------------------------------------


def gen_branch(ctx: _Ctx) -> Group:
    """Forward B/BL<cond>, or ADR + BX/BLX<cond> to a forward label (ARM state)."""
    g = Group("branch")
    label = ctx.label()
    kind = ctx.rng.choice(("b", "b", "bl", "bx", "blx"))
    if kind in ("b", "bl"):
        g.op(f"{kind}{ctx.cond(g)} {label}", kind)
    else:
        rm = ctx.dest()
        g.setup(f"adr {reg(rm)}, {label}")
        g.op(f"{kind}{ctx.cond(g)} {reg(rm)}", kind)
    g.forward_label = label
    return g


def gen_status(ctx: _Ctx) -> Group:
    g = Group("status")
    kind = ctx.rng.below(4)
    if kind == 0:
        g.op(f"mrs{ctx.cond(g)} {reg(ctx.dest())}, apsr", "mrs")
    elif kind == 1:
        value = ctx.rng.below(32) << 27                # N Z C V Q
        g.op(f"msr{ctx.cond(g)} APSR_nzcvq, #{hex32(value)}", "msr_imm_nzcvq")
    elif kind == 2:
        value = ctx.rng.below(16) << 16                # GE[3:0]
        g.op(f"msr{ctx.cond(g)} APSR_g, #{hex32(value)}", "msr_imm_g")
    else:
        # Register form: only bits 31:27 and 19:16 are written; keep the
        # reserved/execution-state bits of the source zero anyway.
        rs = ctx.dest()
        top = (ctx.rng.below(32) << 11) | ctx.rng.below(16)
        g.setup(f"movt {reg(rs)}, #{hex32(top)}")
        field_name = ctx.rng.choice(("APSR_nzcvq", "APSR_g", "APSR_nzcvqg"))
        g.op(f"msr{ctx.cond(g)} {field_name}, {reg(rs)}", "msr_reg_" + field_name[5:])
    return g


def gen_exception(ctx: _Ctx) -> Group:
    """An instruction that takes an exception wherever the body runs (see the module
    docstring): UDF, an unallocated coprocessor, SVC or HVC."""
    g = Group("exception")
    kind = ctx.rng.below(4)
    if kind == 0:
        imm = ctx.rng.half()
        g.op(f"udf #{hex32(imm)}", "udf")
    elif kind == 1:
        cp = ctx.rng.choice(UNALLOCATED_COPROCS)
        form = ctx.rng.below(4)
        rt = ctx.dest()
        if form == 0:
            g.op(f"mrc p{cp}, {ctx.rng.below(8)}, {reg(rt)}, c{ctx.rng.below(16)}, c{ctx.rng.below(16)}, "
                 f"{ctx.rng.below(8)}", "mrc_undef")
        elif form == 1:
            g.op(f"mcr p{cp}, {ctx.rng.below(8)}, {reg(rt)}, c{ctx.rng.below(16)}, c{ctx.rng.below(16)}, "
                 f"{ctx.rng.below(8)}", "mcr_undef")
        elif form == 2:
            rt2 = ctx.dest(exclude=(rt,))
            op = ctx.rng.choice(("mrrc", "mcrr"))
            g.op(f"{op} p{cp}, {ctx.rng.below(16)}, {reg(rt)}, {reg(rt2)}, c{ctx.rng.below(16)}", op + "_undef")
        else:
            g.op(f"cdp p{cp}, {ctx.rng.below(16)}, c{ctx.rng.below(16)}, c{ctx.rng.below(16)}, "
                 f"c{ctx.rng.below(16)}, {ctx.rng.below(8)}", "cdp_undef")
    elif kind == 2:
        imm = ctx.rng.below(1 << 24)
        if imm == SEMIHOSTING_SVC:
            imm ^= 1
        g.op(f"svc{ctx.cond(g)} #{hex32(imm)}", "svc")
    else:
        g.op(f"hvc #{hex32(ctx.rng.half())}", "hvc")
    return g


GENERATORS: dict[str, Callable[[_Ctx], Group]] = {
    "data_processing": gen_data_processing,
    "move_wide": gen_move_wide,
    "multiply": gen_multiply,
    "divide": gen_divide,
    "bit_manipulation": gen_bit_manipulation,
    "extend": gen_extend,
    "bitfield": gen_bitfield,
    "saturate": gen_saturate,
    "parallel": gen_parallel,
    "load_store": gen_load_store,
    "load_store_multiple": gen_load_store_multiple,
    "branch": gen_branch,
    "status": gen_status,
    "exception": gen_exception,
}
assert tuple(GENERATORS) == INSTRUCTION_CLASSES


# --------------------------------------------------------------------------
# Program assembly
# --------------------------------------------------------------------------


@dataclass
class _PendingLabel:
    name: str
    skip: int          # how many instructions the branch wants to skip
    skipped: int = 0   # instructions emitted since the branch


# MMU modes (GenConfig.mmu), set up before the body with LPAE tables in the
# program (ARM ARM B3.6): code, data, stack and tables identity-mapped with
# 4 KB pages over 1 MiB from RAM_BASE, the scratch buffer seen at
# MMU_SCRATCH_VA, not at its PA.
#   "hyp":   the body runs in Hyp mode with the Hyp stage 1 on (HTTBR/HTCR/HMAIR0);
#   "guest": the body runs in SVC mode (entered by ERET) with PL1&0 stage 1
#            (TTBR0/TTBCR/MAIR0) and stage 2 (VTTBR VMID 1/VTCR/HCR.VM) on: every
#            access is a nested walk on a TLB miss; the scratch VA goes to IPA
#            MMU_SCRATCH_IPA at stage 1 and from there to its PA at stage 2.
MMU_MODES = ("off", "hyp", "guest")
MMU_IDENTITY_PAGES = 256
MMU_SCRATCH_VA = RAM_BASE + (MMU_IDENTITY_PAGES << 12)   # level-3 index 256
MMU_SCRATCH_IPA = RAM_BASE + 0x18_0000                   # level-3 index 384
S1_PAGE = 0x403         # level-3 page: AF, AP[2:1] 00 (PL1/PL2 RW), AttrIndx 0 (MAIR 0xff)
S2_PAGE = 0x4FF         # stage-2 level-3 page: AF, HAP RW, MemAttr Normal write-back
TABLE = 0x3


def _mmu_enable(mode: str) -> list[str]:
    """Prologue lines that turn the MMU of ``mode`` on (tables: _mmu_tables)."""
    def addr(reg_: str, sym: str) -> list[str]:
        return [f"\tmovw {reg_}, #:lower16:{sym}", f"\tmovt {reg_}, #:upper16:{sym}"]
    if mode == "hyp":
        return [*addr("r0", "hypsim_s1_l1"), "\tmov r1, #0",
                "\tmcrr p15, 4, r0, r1, c2        @ HTTBR",
                "\tmov r0, #0xff",
                "\tmcr p15, 4, r0, c10, c2, 0     @ HMAIR0: attr0 Normal write-back",
                "\tmov r0, #0x80000000",
                "\tmcr p15, 4, r0, c2, c0, 2      @ HTCR: T0SZ=0 (start at level 1)",
                "\tisb",
                "\tmrc p15, 4, r0, c1, c0, 0", "\torr r0, r0, #1",
                "\tmcr p15, 4, r0, c1, c0, 0      @ HSCTLR.M", "\tisb"]
    return [*addr("r0", "hypsim_s2_l1"), "\tmov r1, #0x10000",
            "\tmcrr p15, 6, r0, r1, c2        @ VTTBR, VMID 1",
            "\tmov r0, #0x40", "\torr r0, r0, #0x80000000",
            "\tmcr p15, 4, r0, c2, c1, 2      @ VTCR: SL0=1 (level 1), T0SZ=0",
            "\tmov r0, #1", "\tmcr p15, 4, r0, c1, c1, 0      @ HCR.VM",
            *addr("r0", "hypsim_s1_l1"), "\tmov r1, #0",
            "\tmcrr p15, 0, r0, r1, c2        @ TTBR0, ASID 0",
            "\tmov r0, #0xff", "\tmcr p15, 0, r0, c10, c2, 0     @ MAIR0",
            "\tmov r0, #0x80000000", "\tmcr p15, 0, r0, c2, c0, 2      @ TTBCR.EAE, T0SZ=0",
            "\tisb",
            "\tmrc p15, 0, r0, c1, c0, 0", "\torr r0, r0, #1",
            "\tmcr p15, 0, r0, c1, c0, 0      @ SCTLR.M", "\tisb",
            *addr("r0", "hypsim_guest"), "\tmsr ELR_hyp, r0",
            "\tmov r0, #0x1d3", "\tmsr SPSR_cxsf, r0      @ SVC, A/I/F masked",
            "\teret", "hypsim_guest:"]


def _level3_tables(name: str, leaf: int, extra: dict[int, str]) -> list[str]:
    """Tables name_l1 -> name_l2 -> name_l3 for 0x40000000..+2 MiB: 1 MiB identity
    pages, plus ``extra`` level-3 entries {index: output address expression}."""
    out = ["\t.balign 4096", f"{name}_l1:", "\t.word 0, 0", f"\t.word {name}_l2 + {TABLE}, 0",
           "\t.word 0, 0, 0, 0", "\t.balign 4096", f"{name}_l2:", f"\t.word {name}_l3 + {TABLE}, 0",
           "\t.balign 4096", f"{name}_l3:"]
    out += [f"\t.word {hex32(RAM_BASE + (i << 12) + leaf)}, 0" for i in range(MMU_IDENTITY_PAGES)]
    index = MMU_IDENTITY_PAGES
    for i, target in sorted(extra.items()):
        if i > index:
            out.append(f"\t.space {(i - index) * 8}")
        out.append(f"\t.word {target} + {leaf}, 0")
        index = i + 1
    return out


def _mmu_tables(cfg: GenConfig) -> list[str]:
    pages = (cfg.scratch_bytes + 4095) // 4096
    first = MMU_IDENTITY_PAGES
    if cfg.mmu == "hyp":
        return _level3_tables("hypsim_s1", S1_PAGE,
                              {first + k: f"{SCRATCH_SYMBOL}_pa + {k << 12}" for k in range(pages)})
    ipa_first = (MMU_SCRATCH_IPA - RAM_BASE) >> 12
    return (_level3_tables("hypsim_s1", S1_PAGE,
                           {first + k: hex32(MMU_SCRATCH_IPA + (k << 12)) for k in range(pages)})
            + _level3_tables("hypsim_s2", S2_PAGE,
                             {ipa_first + k: f"{SCRATCH_SYMBOL}_pa + {k << 12}" for k in range(pages)}))


def _vectors_setup() -> list[str]:
    """Prologue lines (in Hyp mode, before the MMU set-up) that install the vectors."""
    return [f"\tmovw r0, #:lower16:{VECTORS_SYMBOL}", f"\tmovt r0, #:upper16:{VECTORS_SYMBOL}",
            "\tmcr p15, 4, r0, c12, c0, 0     @ HVBAR",
            "\tmovw r0, #:lower16:hypsim_pl1_vectors", "\tmovt r0, #:upper16:hypsim_pl1_vectors",
            "\tmcr p15, 0, r0, c12, c0, 0     @ VBAR (SCTLR.V is 0 at reset)", "\tisb"]


# The exception class's handlers (see the module docstring); the Hyp Undefined
# handler saves r0 below SP_hyp, in the stack area the body never reads.
_VECTORS = [
    "\t.balign 32",
    f"{VECTORS_SYMBOL}:",
    "\tb hypsim_hang", "\tb hypsim_hyp_undef", "\tb hypsim_hyp_eret", "\tb hypsim_hang",
    "\tb hypsim_hang", "\tb hypsim_hyp_eret", "\tb hypsim_hang", "\tb hypsim_hang",
    "hypsim_hyp_undef:                @ UNDEFINED in Hyp mode: step over it",
    "\tpush {r0}", "\tmrs r0, ELR_hyp", "\tadd r0, r0, #4", "\tmsr ELR_hyp, r0", "\tpop {r0}",
    "hypsim_hyp_eret:                 @ SVC/HVC in Hyp mode, HVC from SVC: ELR_hyp is the next instruction",
    "\teret",
    "\t.balign 32",
    "hypsim_pl1_vectors:",
    "\tb hypsim_hang", "\tb hypsim_pl1_ret", "\tb hypsim_pl1_ret", "\tb hypsim_hang",
    "\tb hypsim_hang", "\tb hypsim_hang", "\tb hypsim_hang", "\tb hypsim_hang",
    "hypsim_pl1_ret:                  @ UNDEFINED or SVC at PL1: LR is the next instruction",
    "\tmovs pc, lr",
]


def _prologue(rng: _Rng, cfg: GenConfig, seed: int, n: int) -> list[str]:
    flags = (rng.below(32) << 27) | (rng.below(16) << 16)
    out = [
        f"@ hypsim random A32 program: seed={seed} n_instructions={n}"
        + (f" mmu={cfg.mmu}" if cfg.mmu != "off" else ""),
        "@ generated by hypsim.sequences.random_a32 -- do not edit",
        "\t.syntax unified",
        "\t.arm",
        "\t.text",
        "\t.global _start",
        "\t.type _start, %function",
        "_start:",
        *(_vectors_setup() if cfg.weights.get("exception", 0) > 0 else []),
        *(_mmu_enable(cfg.mmu) if cfg.mmu != "off" else []),
        f"\tmovw sp, #:lower16:{STACK_TOP_SYMBOL}",
        f"\tmovt sp, #:upper16:{STACK_TOP_SYMBOL}",
        f"\tmovw r0, #{hex32(flags & 0xFFFF)}",
        f"\tmovt r0, #{hex32(flags >> 16)}",
        "\tmsr APSR_nzcvqg, r0",
    ]
    for r in WRITABLE:
        value = rng.word()
        out.append(f"\tmovw {reg(r)}, #{hex32(value & 0xFFFF)}")
        out.append(f"\tmovt {reg(r)}, #{hex32(value >> 16)}")
    out += [f"\t.global {BODY_START_SYMBOL}", f"{BODY_START_SYMBOL}:"]
    return out


def _epilogue(rng: _Rng, cfg: GenConfig) -> list[str]:
    out = [
        f"\t.global {BODY_END_SYMBOL}",
        f"{BODY_END_SYMBOL}:",
        "\tldr r1, =0x20026          @ ADP_Stopped_ApplicationExit",
        "\tmov r0, #0x18             @ SYS_EXIT",
        "\tsvc 0x123456              @ semihosting call",
        "hypsim_hang:",
        "\tb hypsim_hang",
        *(_VECTORS if cfg.weights.get("exception", 0) > 0 else []),
        "\t.ltorg",
        "",
        "\t.data",
    ]
    if cfg.mmu != "off":
        # the data lives at hypsim_scratch_pa; the body addresses it by VA
        out += ["\t.balign 4096", f"{SCRATCH_SYMBOL}_pa:",
                f"\t.global {SCRATCH_SYMBOL}",
                f"\t.set {SCRATCH_SYMBOL}, {hex32(MMU_SCRATCH_VA)}"]
    else:
        out += ["\t.balign 16", f"\t.global {SCRATCH_SYMBOL}", f"{SCRATCH_SYMBOL}:"]
    words = [rng.word() for _ in range(cfg.scratch_bytes // 4)]
    for i in range(0, len(words), 8):
        out.append("\t.word " + ", ".join(f"0x{w:08x}" for w in words[i:i + 8]))
    out += [
        "\t.balign 16",
        "hypsim_stack:",
        f"\t.space {cfg.stack_bytes}",
        f"\t.global {STACK_TOP_SYMBOL}",
        f"{STACK_TOP_SYMBOL}:",
        *(_mmu_tables(cfg) if cfg.mmu != "off" else []),
        "",
    ]
    return out


def _fallback_group(ctx: _Ctx) -> Group:
    """One instruction, no set-up: used when the budget is nearly spent."""
    g = Group("data_processing")
    op = ctx.rng.choice(("add", "sub", "eor", "orr", "and", "bic", "rsb", "adc"))
    operand = _modified_immediate(ctx, g)
    s = "s" if ctx.s_bit() else ""
    g.op(f"{op}{s}{ctx.cond(g)} {reg(ctx.dest())}, {reg(ctx.src())}, {operand}", op + s)
    return g


def generate(seed: int, n_instructions: int, config: GenConfig | None = None,
             stats: GenStats | None = None) -> str:
    """Return a complete GNU-as source for a random program.

    The body between ``hypsim_body_start`` and ``hypsim_body_end`` holds exactly
    ``n_instructions`` instructions.  The same arguments give byte-identical text.
    If ``stats`` is given it is filled with what the body exercises.
    """
    if n_instructions < 0:
        raise ValueError("n_instructions must be >= 0")
    cfg = config if config is not None else GenConfig()
    cfg.validate()
    rng = _Rng(seed)
    stats = stats if stats is not None else GenStats()
    weights = {k: cfg.weights.get(k, 0.0) for k in INSTRUCTION_CLASSES}

    lines = _prologue(rng, cfg, seed, n_instructions)
    ctx = _Ctx(rng=rng, cfg=cfg, n_instructions=n_instructions)
    pending: list[_PendingLabel] = []
    emitted = 0

    while emitted < n_instructions:
        remaining = n_instructions - emitted
        group: Group | None = None
        for _ in range(16):
            candidate = GENERATORS[rng.weighted(weights)](ctx)
            if len(candidate.insns) <= remaining:
                group = candidate
                break
        if group is None:
            group = _fallback_group(ctx)
        size = len(group.insns)

        # Place branch targets only between groups, never past max skip when
        # the branch has already skipped something.
        for p in list(pending):
            if p.skipped >= 1 and p.skipped + size > p.skip:
                lines.append(f"{p.name}:")
                pending.remove(p)

        lines.append(f"\t@ {group.klass}")
        lines.extend(f"\t{insn}" for insn in group.insns)
        emitted += size
        ctx.position = emitted

        stats.classes[group.klass] += 1
        stats.setup_instructions += group.setup_count
        for category, key in group.notes:
            getattr(stats, category)[key] += 1

        for p in list(pending):
            p.skipped += size
            if p.skipped >= p.skip:
                lines.append(f"{p.name}:")
                pending.remove(p)
        if group.forward_label is not None:
            pending.append(_PendingLabel(group.forward_label,
                                         rng.randint(1, cfg.max_branch_skip)))

    for p in pending:
        lines.append(f"{p.name}:")
    stats.body_instructions += emitted
    lines += _epilogue(rng, cfg)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Toolchain
# --------------------------------------------------------------------------

CROSS_PREFIX = "arm-none-eabi-"
GCC_FLAGS: tuple[str, ...] = (
    "-marm", "-march=armv7ve", "-mfloat-abi=soft",
    "-nostdlib", "-nostartfiles", "-ffreestanding",
)


def _linker_script(text_address: int) -> str:
    return f"""ENTRY(_start)
SECTIONS
{{
  . = {hex32(text_address)};
  .text : {{ *(.text*) }}
  . = ALIGN(16);
  .data : {{ *(.data*) }}
  .bss : {{ *(.bss*) *(COMMON) }}
  /DISCARD/ : {{ *(.ARM.exidx*) *(.comment) }}
}}
"""


def toolchain_available() -> bool:
    return shutil.which(CROSS_PREFIX + "gcc") is not None


def build(source: str, out_dir: Path, name: str = "prog",
          text_address: int = RAM_BASE) -> Path:
    """Assemble and link ``source``; returns the ELF path in ``out_dir``."""
    gcc = shutil.which(CROSS_PREFIX + "gcc")
    if gcc is None:
        raise ToolchainMissingError(
            f"{CROSS_PREFIX}gcc not found on PATH: install Debian's gcc-arm-none-eabi "
            "(apt-get install gcc-arm-none-eabi binutils-arm-none-eabi)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    src = out_dir / f"{name}.S"
    src.write_text(source)
    ld = out_dir / f"{name}.ld"
    ld.write_text(_linker_script(text_address))
    elf = out_dir / f"{name}.elf"
    cmd = [gcc, *GCC_FLAGS, "-Wa,--fatal-warnings", "-T", str(ld), "-o", str(elf), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"assembling {src} failed:\n{' '.join(cmd)}\n{proc.stderr}")
    return elf


def qemu_command(elf: Path, trace_log: Path | None = None) -> list[str]:
    """The QEMU invocation used as the golden reference (optionally traced).

    With ``trace_log`` QEMU logs PC, R0-R15 and PSR before every instruction.
    """
    cmd = [QEMU_BIN, *MACHINE_ARGS, "-m", "16M", "-nographic", "-semihosting", "-kernel", str(elf)]
    if trace_log is not None:
        cmd += [*one_insn_args(QEMU_BIN), "-d", "exec,cpu,nochain", "-D", str(trace_log)]
    return cmd


def run_qemu(elf: Path, timeout: float = 60.0,
             trace_log: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``elf`` on QEMU; the program exits via semihosting (status 0)."""
    if shutil.which("qemu-system-arm") is None:
        raise ToolchainMissingError("qemu-system-arm not found on PATH "
                                    "(apt-get install qemu-system-arm)")
    return subprocess.run(qemu_command(elf, trace_log), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def _parse_weights(items: Sequence[str]) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS)
    for item in items:
        key, _, value = item.partition("=")
        if key not in weights or not value:
            raise SystemExit(f"--weight expects CLASS=NUMBER with CLASS in {list(weights)}")
        weights[key] = float(value)
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hypsim.sequences.random_a32",
        description="Generate a seeded random A32 program for lockstep checking.")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=1000,
                        help="instructions in the random body (default 1000)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="assembly output (.S)")
    parser.add_argument("--elf", type=Path, help="also assemble and link to this ELF")
    parser.add_argument("--weight", action="append", default=[], metavar="CLASS=W",
                        help="override a class weight (0 disables); repeatable")
    parser.add_argument("--mmu", choices=MMU_MODES, default="off",
                        help="run the body with the MMU on: hyp (Hyp stage 1) or guest (SVC mode, "
                             "stage 1 + stage 2); the scratch buffer is aliased (VA != PA)")
    parser.add_argument("--stats", action="store_true",
                        help="print a coverage summary to stderr")
    parser.add_argument("--stats-json", type=Path, metavar="PATH",
                        help="write the coverage summary as JSON")
    args = parser.parse_args(argv)

    cfg = GenConfig(weights=_parse_weights(args.weight), mmu=args.mmu)
    stats = GenStats()
    source = generate(args.seed, args.count, cfg, stats)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(source)
    if args.elf is not None:
        with tempfile.TemporaryDirectory() as tmp:
            elf = build(source, Path(tmp))
            args.elf.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(elf, args.elf)
    if args.stats:
        print(stats.summary(), file=sys.stderr)
    if args.stats_json is not None:
        args.stats_json.write_text(json.dumps(stats.as_dict(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

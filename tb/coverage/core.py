"""Core-level functional coverage: the covergroups of the tests that run
programs on the whole SoC, recorded with hypsim.coverage.record (one
database per test under build/coverage/, see record.py for why that is
safe in an xdist worker), and the bin definitions they use.

- Hyp traps (tests/test_random_hyp.py): the Hyp-trap scoreboard's
  (EC, control, mode, condition) bins. Their list is derived, not seen: every
  instruction the random Hyp-trap generator (tb/sequences/random_hyp.py) can
  emit, encoded here, run through the HSR model (`trap_class`,
  `hyp_mode_exception`) in each of the generator's modes under each single
  trap control the generator sets; plus the untrapped and Hyp-mode bins the
  scoreboard records (tb/hyp_scoreboard.py). A bin it never hits reads 0.
- The random A32 mix (tests/test_random_programs.py): classes, conditions,
  mnemonics, shifter forms, shift amounts, addressing modes and operand
  cases of each stream that ran in lockstep with QEMU. Bins: the generator's
  tables (INSTRUCTION_CLASSES minus zero weights, CONDITIONS, SHIFTER_FORMS)
  and, for the categories it has no table for (mnemonics etc. are built in
  code), everything the generator itself emits under the same configuration
  over a fixed exploration (A32_EXPLORE_SEEDS x A32_EXPLORE_COUNT
  instructions, no simulator, ~1 s, once per process), so the bins do not
  depend on the run being measured.
- The MMU programs (firmware/isa/mmu_s1.S, mmu_s2.S, mmu_hyp.S,
  firmware/c/stage2_mmio.c in tests/test_programs.py): every abort in the
  run's trace, by translation regime (PL1&0 stage 1 reported in DFSR/IFSR,
  read back by the program's handler; stage 2 and the Hyp regime in the HSR
  on entry to Hyp mode), fault type and level (the long-descriptor status
  codes the MMU implements, tb/models/mmu_faults.py), access kind and
  S1PTW. The bins are the architecture's, the hits come from the trace.
"""
from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional

from ..models.arm_state import Mode
from ..models.hsr import (EC, UNALLOCATED_COPROCS, TrapControls, decode, hyp_mode_exception,
                          trap_class)
from ..models.mmu_faults import FaultType
from ..simulator import coverage_dir
from .record import Cross, Point, Recorded, record

# ----------------------------------------------------------------- file names


def db_path(kind: str, sim: str, seed: Optional[int] = None, test: str = "") -> Path:
    """<coverage dir>/<kind>[-<test>]-<sim>[-s<seed>].xml (test: '/' -> '-'); the coverage
    dir is build/coverage/ or a regression job's own (hypsim.simulator.coverage_dir)."""
    parts = [kind] + ([re.sub(r"[^A-Za-z0-9_.-]+", "-", test).strip("-")] if test else []) + [sim]
    name = "-".join(parts) + (f"-s{seed}" if seed is not None else "")
    return coverage_dir() / f"{name}.xml"


# ----------------------------------------------------------------- Hyp traps
HYP_MODES = ("USR", "FIQ", "IRQ", "SVC", "ABT", "UND", "SYS")


def _mcr(opc1: int, crn: int, crm: int, opc2: int, read: bool, cp: int = 15) -> int:
    return 0xEE00_0010 | (opc1 << 21) | (int(read) << 20) | (crn << 16) | (3 << 12) | (cp << 8) | (opc2 << 5) | crm


def _mcrr(opc1: int, crm: int, read: bool, cp: int = 15) -> int:
    return 0xEC40_0000 | (int(read) << 20) | (4 << 16) | (3 << 12) | (cp << 8) | (opc1 << 4) | crm


def _hyp_gen_instructions() -> Iterator[int]:
    """Encodings (cond AL) of every instruction random_hyp emits in its blocks."""
    from ..sequences.random_hyp import READS, WRITES
    yield 0xE320_F003                                  # wfi
    yield 0xE320_F002                                  # wfe
    yield 0xE160_0070                                  # smc #0
    yield 0xE140_0071                                  # hvc #1
    for opc1, crn, crm, opc2 in READS:
        yield _mcr(opc1, crn, crm, opc2, True)
    for opc1, crn, crm, opc2 in WRITES:
        yield _mcr(opc1, crn, crm, opc2, False)
    for read, crm in itertools.product((False, True), (2, 7)):
        for opc1 in ((0, 1) if crm == 2 else (0,)):
            yield _mcrr(opc1, crm, read)
    for opc1 in (0, 1, 2):                             # mrrc c14: CNTPCT, CNTVCT, CNTP_CVAL
        yield _mcrr(opc1, 14, True)
    for crm, opc2 in ((2, 1), (2, 0), (3, 1), (0, 0)):  # CNTP_CTL, CNTP_TVAL, CNTV_CTL, CNTFRQ
        yield _mcr(0, 14, crm, opc2, True)
    for reg in (0b0001, 0b1000, 0b0000, 0b0111, 0b0110):  # vmrs fpscr, fpexc, fpsid, mvfr0, mvfr1
        yield 0xEEF0_3A10 | (reg << 16)
    yield 0xEE00_3A10                                  # vmov s0, r3
    yield 0xEE10_3A10                                  # vmov r3, s0


def _hyp_exception_instructions() -> Iterator[int]:
    yield 0xE7F0_00F0                                  # udf
    for cp in UNALLOCATED_COPROCS:
        yield _mcr(0, 0, 0, 0, True, cp)
        yield _mcrr(0, 0, True, cp)
    yield 0xEF00_0002                                  # svc #2


def _hyp_controls() -> Iterator[TrapControls]:
    """Each trap control the generator sets, one at a time, with the
    program's CPACR (cp10/11 full access) and CNTKCTL (0x303)."""
    from ..sequences.random_hyp import TRAP_BITS
    base = dict(cpacr=0xF << 20, cntkctl=0x303, cnthctl=3)
    yield TrapControls(**base)
    for bit in TRAP_BITS:
        yield TrapControls(hcr=int(bit), **base)
    for n in range(16):
        if n not in (4, 14):
            yield TrapControls(hstr=1 << n, **base)
    for hcptr in (1 << 10, 1 << 11):
        yield TrapControls(hcptr=hcptr, **base)
    for cnthctl in range(3):
        yield TrapControls(**{**base, "cnthctl": cnthctl})


@functools.lru_cache(maxsize=1)
def hyp_trap_bins() -> tuple[tuple[str, str, str, bool], ...]:
    """Every (EC, control, mode, condition passed) the Hyp-trap scoreboard can
    record for a random_hyp program (see the module docstring)."""
    from ..hyp_scoreboard import _control_name, _hyp_control_name
    out: dict[tuple[str, str, str, bool], None] = {}
    for instr in _hyp_gen_instructions():
        for ctl in _hyp_controls():
            for mode in HYP_MODES:
                syn = trap_class(instr, Mode[mode], ctl)
                if syn is not None:
                    out[(EC(syn.ec).name, _control_name(instr, ctl), mode, True)] = None
            exc = hyp_mode_exception(instr, ctl)
            if exc is not None:
                out[(EC(exc.syndrome.ec).name, _hyp_control_name(instr, exc), "HYP", True)] = None
    for instr in _hyp_exception_instructions():
        exc = hyp_mode_exception(instr, TrapControls())
        assert exc is not None
        out[(EC(exc.syndrome.ec).name, _hyp_control_name(instr, exc), "HYP", True)] = None
    # an UNDEFINED instruction in Hyp mode the model does not list, scored from the trace by
    # its entry (seeds 1-12: CP15 c10/c11 reads, a VMRS of MVFR1); SMC is not one: in Hyp
    # mode it is a PSCI call (hsr.smc_is_psci_call), as on QEMU
    out[(EC.UNKNOWN.name, "UNDEFINED", "HYP", True)] = None
    for mode in HYP_MODES:
        for cond in (True, False):
            out[("none", "untrapped", mode, cond)] = None
    return tuple(sorted(out, key=lambda b: (b[0], b[1], b[2], not b[3])))


def _label(b: tuple[str, str, str, bool]) -> str:
    return f"{b[0]}/{b[1]}/{b[2]}/{'pass' if b[3] else 'fail'}"


def hyp_trap_group() -> list:
    bins = hyp_trap_bins()
    p = "core.hyp_trap."
    return [
        Point(p + "ec", sorted({b[0] for b in bins}), lambda b: b[0]),
        Point(p + "control", sorted({b[1] for b in bins}), lambda b: b[1]),
        Point(p + "mode", list(HYP_MODES) + ["HYP"], lambda b: b[2]),
        Point(p + "cond", [True, False], lambda b: b[3], labels=["pass", "fail"]),
        Point(p + "ec_control_mode_cond", list(bins), lambda b: b, labels=[_label(b) for b in bins]),
    ]


def record_hyp_traps(bins: Counter, sim: str, path: Optional[Path] = None) -> Recorded:
    """Record the scoreboard's Counter of (EC, control, mode, cond) bins."""
    samples = (b for b, n in sorted(bins.items()) for _ in range(n))
    return record(path or db_path("hyp-traps", sim), hyp_trap_group(), samples)


# ----------------------------------------------------------------- random A32
A32_CATEGORIES = ("classes", "mnemonics", "conditions", "shifter_forms", "shift_amounts",
                  "addressing_modes", "operand_cases")
A32_EXPLORE_SEEDS = range(1, 6)
A32_EXPLORE_COUNT = 20_000


@functools.lru_cache(maxsize=8)
def _a32_bins(weights: tuple[tuple[str, float], ...]) -> dict[str, tuple[str, ...]]:
    from ..sequences import random_a32 as ra
    cfg = ra.GenConfig(weights=dict(weights))
    seen: dict[str, set[str]] = {c: set() for c in A32_CATEGORIES}
    for seed in A32_EXPLORE_SEEDS:
        st = ra.GenStats()
        ra.generate(seed, A32_EXPLORE_COUNT, cfg, st)
        for c in A32_CATEGORIES:
            seen[c].update(getattr(st, c))
    seen["classes"] |= set(cfg.enabled_classes())
    seen["conditions"] |= set(ra.CONDITIONS)
    seen["shifter_forms"] |= set(ra.SHIFTER_FORMS)
    return {c: tuple(sorted(v)) for c, v in seen.items()}


def a32_bins(cfg: object) -> dict[str, tuple[str, ...]]:
    """Bins per category for streams generated with GenConfig ``cfg``."""
    weights = tuple(sorted((k, float(v)) for k, v in cfg.weights.items() if v > 0))  # type: ignore[attr-defined]
    return _a32_bins(weights)


def a32_group(cfg: object) -> list:
    bins = a32_bins(cfg)
    return [Point(f"core.random_a32.{c}", list(bins[c]), lambda s, c=c: s[1] if s[0] == c else None)
            for c in A32_CATEGORIES]


def record_random_a32(stats: object, cfg: object, path: Path) -> Recorded:
    """Record a GenStats (what one stream that passed exercised)."""
    samples = ((c, k) for c in A32_CATEGORIES
               for k, n in sorted(getattr(stats, c).items()) for _ in range(n))
    return record(path, a32_group(cfg), samples)


# ----------------------------------------------------------------- MMU programs
MMU_REGIMES = ("s1", "s2", "hyp")       # PL1&0 stage 1, stage 2, Hyp stage 1
ACCESSES = ("load", "store", "fetch")
FAULT_TYPES = tuple(t.name for t in FaultType)
LEVELS = (1, 2, 3)
MMU_PROGRAMS = ("mmu_s1", "mmu_s2", "mmu_hyp", "stage2_mmio")
EXC_PABT, EXC_DABT = 3, 4
DFSR, IFSR = (0, 5, 0, 0), (0, 5, 0, 1)        # (opc1, CRn, CRm, opc2)


def is_mmu_program(elf: Path) -> bool:
    return elf.stem.split("-")[0] in MMU_PROGRAMS


def _status(fs: int) -> tuple[str, int]:
    """(fault type name or 'other', level) of a long-descriptor FS/FSC."""
    try:
        return FaultType(fs >> 2).name, fs & 3
    except ValueError:
        return "other", fs & 3


def mmu_faults(trace: Path) -> list[dict]:
    """Every abort of a run: {regime, type, level, access, s1ptw}. Stage 2 and
    the Hyp regime from the HSR on entry to Hyp mode; PL1&0 stage 1 from the
    DFSR/IFSR value the program's abort handler reads next (an MRC)."""
    from ..models.hsr import decode_coproc
    from ..trace import ExceptionTxn, RetireTxn, read_trace
    out: list[dict] = []
    pending: Optional[int] = None           # a PL1 abort (EXC_PABT/EXC_DABT) awaiting its FSR read
    for t in read_trace(trace):
        if isinstance(t, ExceptionTxn):
            if t.cpsr & 0x1F == Mode.HYP and t.hsr:
                syn = decode(t.hsr)
                regime = {int(EC.IABT_LOWER): "s2", int(EC.DABT_LOWER): "s2",
                          int(EC.IABT_HYP): "hyp", int(EC.DABT_HYP): "hyp"}.get(int(syn.ec))
                if regime is not None:
                    fetch = syn.ec in (EC.IABT_LOWER, EC.IABT_HYP)
                    typ, level = _status(syn.iss & 0x3F)
                    out.append({"regime": regime, "type": typ, "level": level,
                                "access": "fetch" if fetch else "store" if syn.iss & (1 << 6) else "load",
                                "s1ptw": bool(syn.iss & (1 << 7))})
            elif t.kind in (EXC_PABT, EXC_DABT):
                pending = t.kind
            continue
        if pending is None or not isinstance(t, RetireTxn) or not t.cond_pass or not t.writes:
            continue
        acc = decode_coproc(t.instr)
        if acc is None or acc.coproc != 15 or not acc.read or acc.is64:
            continue
        key = (acc.opc1, acc.crn, acc.crm, acc.opc2)
        if key == (DFSR if pending == EXC_DABT else IFSR):
            fsr = t.writes[0][1]
            typ, level = _status(fsr & 0x3F) if fsr & (1 << 9) else ("other", 0)
            out.append({"regime": "s1", "type": typ, "level": level,
                        "access": "fetch" if pending == EXC_PABT else "store" if fsr & (1 << 11) else "load",
                        "s1ptw": False})
            pending = None
    return out


def mmu_group() -> list:
    p = "core.mmu_prog."
    return [
        Point(p + "regime", list(MMU_REGIMES), lambda f: f["regime"]),
        Point(p + "type", list(FAULT_TYPES), lambda f: f["type"]),
        Point(p + "level", list(LEVELS), lambda f: f["level"]),
        Point(p + "access", list(ACCESSES), lambda f: f["access"]),
        Cross(p + "regime_x_type_x_level", [p + "regime", p + "type", p + "level"]),
        Cross(p + "regime_x_access", [p + "regime", p + "access"]),
        Point(p + "s2_s1ptw", [True, False], lambda f: f["s1ptw"] if f["regime"] == "s2" else None,
              labels=["stage-1 walk", "access"]),
    ]


def record_mmu_program(trace: Path, sim: str, test: str, path: Optional[Path] = None) -> Recorded:
    """Record the aborts of one MMU program's run (its trace)."""
    return record(path or db_path("mmu-programs", sim, test=test), mmu_group(), mmu_faults(trace))

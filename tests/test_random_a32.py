"""Tests of the seeded random A32 stream generator (hypsim.sequences.random_a32).

The QEMU and toolchain tests skip, with the reason, when arm-none-eabi-gcc or
qemu-system-arm is missing.  The encoding lint decodes every word of the
assembled body and checks the ARMv7-A UNPREDICTABLE rules the generator must
respect; QEMU would execute most UNPREDICTABLE encodings silently, so this is
the check that the streams stay architecturally deterministic.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from hypsim.sequences import random_a32 as ra
from hypsim.sequences.random_a32 import GenConfig, GenStats, build, generate

# every class the generator has, the SIMD32 media the core does not implement included:
# these streams run on QEMU only
ALL_CLASSES = GenConfig(weights={**ra.DEFAULT_WEIGHTS, **ra.QEMU_ONLY_WEIGHTS})

HAVE_GCC = shutil.which("arm-none-eabi-gcc") is not None
HAVE_OBJDUMP = shutil.which("arm-none-eabi-objdump") is not None
HAVE_QEMU = shutil.which("qemu-system-arm") is not None

needs_toolchain = pytest.mark.skipif(
    not (HAVE_GCC and HAVE_OBJDUMP),
    reason="arm-none-eabi-gcc/objdump not installed (apt-get install gcc-arm-none-eabi)")
needs_qemu = pytest.mark.skipif(
    not HAVE_QEMU, reason="qemu-system-arm not installed (apt-get install qemu-system-arm)")

QEMU_SEEDS = (1, 2, 3, 4, 5)
QEMU_COUNT = 2000


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


@dataclass
class Insn:
    address: int
    word: int
    text: str


def _symbols(elf: Path) -> dict[str, int]:
    out = subprocess.run(["arm-none-eabi-nm", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    table: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            table[parts[2]] = int(parts[0], 16)
    return table


_LINE = re.compile(r"^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$")


def _body(elf: Path) -> list[Insn]:
    """Disassembled words between hypsim_body_start and hypsim_body_end."""
    syms = _symbols(elf)
    start, end = syms[ra.BODY_START_SYMBOL], syms[ra.BODY_END_SYMBOL]
    if start == end:
        return []                                    # objdump rejects an empty range
    out = subprocess.run(
        ["arm-none-eabi-objdump", "-d", f"--start-address={start:#x}",
         f"--stop-address={end:#x}", str(elf)],
        capture_output=True, text=True, check=True).stdout
    insns = []
    for line in out.splitlines():
        m = _LINE.match(line)
        if m:
            insns.append(Insn(int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip()))
    return insns


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build (and cache) the program for (seed, count)."""
    if not (HAVE_GCC and HAVE_OBJDUMP):
        pytest.skip("arm-none-eabi-gcc/objdump not installed (apt-get install gcc-arm-none-eabi)")
    cache: dict[tuple[int, int], Path] = {}
    root = tmp_path_factory.mktemp("random_a32")

    def get(seed: int, count: int) -> Path:
        key = (seed, count)
        if key not in cache:
            cache[key] = build(generate(seed, count, ALL_CLASSES), root / f"s{seed}_n{count}")
        return cache[key]

    return get


# --------------------------------------------------------------------------
# determinism and structure (no toolchain needed)
# --------------------------------------------------------------------------


def test_same_seed_gives_identical_text() -> None:
    a_stats, b_stats = GenStats(), GenStats()
    a = generate(1234, 1500, stats=a_stats)
    b = generate(1234, 1500, stats=b_stats)
    assert a == b
    assert a_stats == b_stats
    assert generate(1234, 1500, GenConfig()) == a


def test_different_seeds_give_different_text() -> None:
    texts = {generate(seed, 300) for seed in range(6)}
    assert len(texts) == 6


def test_program_skeleton() -> None:
    src = generate(9, 50)
    for needle in (".syntax unified", ".arm", ".global _start", "_start:",
                   f"{ra.BODY_START_SYMBOL}:", f"{ra.BODY_END_SYMBOL}:",
                   "ldr r1, =0x20026", "mov r0, #0x18", "svc 0x123456",
                   f"{ra.SCRATCH_SYMBOL}:"):
        assert needle in src
    # 4 KiB of seeded data words
    words = sum(len(line.split(",")) for line in src.splitlines() if line.startswith("\t.word"))
    assert words == 4096 // 4
    # no literal-pool loads in the body
    body = src.split(f"{ra.BODY_START_SYMBOL}:")[1].split(f"{ra.BODY_END_SYMBOL}:")[0]
    assert "=" not in body


def test_stats_count_every_instruction() -> None:
    stats = GenStats()
    generate(77, 3000, stats=stats)
    assert stats.body_instructions == 3000
    assert 0 < stats.setup_instructions < 3000
    assert sum(stats.mnemonics.values()) == sum(stats.classes.values())
    assert "data_processing" in stats.summary()


@pytest.mark.parametrize("seed", [2024, 7])
def test_every_class_appears_in_5000_instructions(seed: int) -> None:
    stats = GenStats()
    generate(seed, 5000, ALL_CLASSES, stats)
    missing = [c for c in ALL_CLASSES.enabled_classes() if stats.classes[c] == 0]
    assert not missing, f"classes never generated: {missing}"
    assert set(stats.conditions) == set(ra.CONDITIONS)
    for op in ra.DP_OPCODES:
        assert op in stats.mnemonics or op + "s" in stats.mnemonics, op
    for form in ra.SHIFTER_FORMS:
        assert stats.shifter_forms[form] > 0, form
    for form in ("imm_rotated_carry1", "lsr_imm32", "asr_imm32", "mem_lsl", "mem_lsr",
                 "mem_asr", "mem_ror", "mem_rrx"):
        assert stats.shifter_forms[form] > 0, form
    for amount in ("0", "1-31", "32", "33-255"):
        assert stats.shift_amounts[amount] > 0, amount
    for form in ("imm", "reg"):
        for index in ("offset", "pre", "post"):
            for u in (0, 1):
                assert stats.addressing_modes[f"{form}_{index}_U{u}"] > 0, (form, index, u)
    for mode in ("ia", "ib", "da", "db"):
        assert stats.addressing_modes[f"multiple_{mode}"] > 0
        assert stats.addressing_modes[f"multiple_{mode}_wback"] > 0
    for m in ("mul", "mla", "mls", "umull", "umlal", "smull", "smlal", "umaal", "sdiv",
              "udiv", "clz", "rbit", "rev", "rev16", "revsh", "ubfx", "sbfx", "bfi", "bfc",
              "ssat", "usat", "qadd", "qsub", "qdadd", "qdsub", "movw", "movt", "ldr",
              "str", "ldrb", "strb", "ldrh", "strh", "ldrsb", "ldrsh", "ldrd", "strd",
              "b", "bl", "bx", "blx", "mrs"):
        assert any(k == m or k == m + "s" for k in stats.mnemonics), m
    assert stats.operand_cases["divide_by_zero"] > 0


def test_zero_weight_disables_a_class() -> None:
    weights = {c: 0.0 for c in ra.INSTRUCTION_CLASSES}
    weights["multiply"] = 1.0
    stats = GenStats()
    generate(3, 400, GenConfig(weights=weights), stats)
    # only the single-instruction fallback (data processing) may fill the tail
    assert set(stats.classes) <= {"multiply", "data_processing"}
    assert stats.classes["multiply"] > 100
    with pytest.raises(ValueError):
        GenConfig(weights={"no_such_class": 1.0}).validate()


# --------------------------------------------------------------------------
# assembled programs
# --------------------------------------------------------------------------


@needs_toolchain
@pytest.mark.parametrize("count", [0, 1, 7, 2000])
def test_body_has_exactly_n_instructions(built, count: int) -> None:
    elf = built(11, count)
    syms = _symbols(elf)
    assert syms[ra.BODY_END_SYMBOL] - syms[ra.BODY_START_SYMBOL] == 4 * count
    body = _body(elf)
    assert len(body) == count
    assert not [i for i in body if i.text.startswith(".")], "data (literal pool) in the body"


@needs_toolchain
def test_build_reports_assembler_errors(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="failed"):
        build(".syntax unified\n.arm\n_start: frobnicate r0\n", tmp_path)


@needs_toolchain
def test_cli_writes_source_and_elf(tmp_path: Path) -> None:
    out, elf, js = tmp_path / "p.S", tmp_path / "p.elf", tmp_path / "p.json"
    assert ra.main(["--seed", "5", "--count", "300", "-o", str(out), "--elf", str(elf),
                    "--stats-json", str(js)]) == 0
    assert out.read_text() == generate(5, 300)
    assert elf.stat().st_size > 0
    assert '"body_instructions": 300' in js.read_text()


# --------------------------------------------------------------------------
# encoding lint: ARMv7-A UNPREDICTABLE rules, decoded from the binary
# --------------------------------------------------------------------------

_DP_TEST_OPCODES = {0x8, 0x9, 0xA, 0xB}


def _bits(word: int, hi: int, lo: int) -> int:
    return (word >> lo) & ((1 << (hi - lo + 1)) - 1)


def _no_write(reg: int, what: str, errs: list[str]) -> None:
    if reg in (13, 15):
        errs.append(f"{what} writes r{reg}")


def _lint_extra_load_store(w: int, errs: list[str]) -> None:
    p, i, wb, load = _bits(w, 24, 24), _bits(w, 22, 22), _bits(w, 21, 21), _bits(w, 20, 20)
    op2 = _bits(w, 6, 5)
    rn, rt, rm = _bits(w, 19, 16), _bits(w, 15, 12), _bits(w, 3, 0)
    if p == 0 and wb == 1:
        errs.append("unprivileged (T) halfword/dual form")
    wback = p == 0 or wb == 1
    dual = load == 0 and op2 in (2, 3)
    is_load = load == 1 or op2 == 2
    transfer = {rt, rt + 1} if dual else {rt}
    if dual and (rt % 2 or rt == 14):
        errs.append("LDRD/STRD with odd Rt or Rt=r14")
    if is_load:
        for r in transfer:
            _no_write(r, "load", errs)
    elif rt == 15:
        errs.append("store of PC")
    if rn == 15 and (wback or not is_load or i == 0):
        errs.append("PC base outside a literal load")
    if wback and rn in transfer:
        errs.append("writeback with Rn in the transfer registers")
    if i == 0:
        if rm == 15:
            errs.append("PC as offset register")
        if dual and op2 == 2 and rm in transfer:
            errs.append("LDRD register offset Rm == Rt/Rt2")
        if wback and rm == rn:
            errs.append("writeback with Rm == Rn")


def _lint_multiply(w: int, errs: list[str]) -> None:
    if _bits(w, 24, 24):
        errs.append("SWP/LDREX/STREX family")
        return
    rd_hi, rd_lo, rs, rm = _bits(w, 19, 16), _bits(w, 15, 12), _bits(w, 11, 8), _bits(w, 3, 0)
    if 15 in (rs, rm):
        errs.append("multiply reads PC")
    _no_write(rd_hi, "multiply", errs)
    if _bits(w, 23, 23):                             # long multiply
        _no_write(rd_lo, "long multiply", errs)
        if rd_hi == rd_lo:
            errs.append("long multiply with RdHi == RdLo")
    elif _bits(w, 22, 21) in (1, 3) and rd_lo == 15:  # MLA/MLS accumulator
        errs.append("accumulate from PC")


def _lint_misc(w: int, errs: list[str]) -> None:
    op2, op = _bits(w, 6, 4), _bits(w, 22, 21)
    if _bits(w, 7, 7):                               # SMLAxy/SMULxy/SMLAWy/SMLALxy
        rd_hi, rd_lo = _bits(w, 19, 16), _bits(w, 15, 12)
        _no_write(rd_hi, "halfword multiply", errs)
        if op == 2:
            _no_write(rd_lo, "SMLALxy", errs)
            if rd_hi == rd_lo:
                errs.append("SMLALxy with RdHi == RdLo")
        return
    if op2 == 0:
        if _bits(w, 9, 9) or _bits(w, 22, 22):
            errs.append("banked/SPSR MRS/MSR")
        if op & 1:                                   # MSR register
            if _bits(w, 19, 16) & 0b0011:
                errs.append("MSR writes control/extension fields")
            if _bits(w, 3, 0) == 15:
                errs.append("MSR from PC")
        else:
            _no_write(_bits(w, 15, 12), "MRS", errs)
    elif op2 in (1, 3) and op == 1:                  # BX/BLX register
        if _bits(w, 3, 0) == 15:
            errs.append("BX/BLX PC")
    elif op2 == 1 and op == 3:                       # CLZ
        _no_write(_bits(w, 15, 12), "CLZ", errs)
    elif op2 == 5:                                   # QADD/QSUB/QDADD/QDSUB
        _no_write(_bits(w, 15, 12), "saturating add", errs)
    else:
        errs.append("unexpected miscellaneous instruction")


def _lint_media(w: int, errs: list[str]) -> None:
    op1 = _bits(w, 24, 20)
    if op1 >> 3 == 0b10:                             # signed multiplies, SDIV/UDIV
        _no_write(_bits(w, 19, 16), "signed multiply", errs)
        if op1 == 0b10100:                           # SMLALD/SMLSLD
            _no_write(_bits(w, 15, 12), "SMLALD", errs)
            if _bits(w, 15, 12) == _bits(w, 19, 16):
                errs.append("SMLALD with RdHi == RdLo")
        return
    if op1 == 0b11000:                               # USAD8/USADA8
        _no_write(_bits(w, 19, 16), "USAD8", errs)
        return
    if op1 == 0b11111 and _bits(w, 7, 5) == 0b111:
        errs.append("permanently UNDEFINED")
        return
    rd = _bits(w, 15, 12)
    _no_write(rd, "media", errs)
    lsb, msb = _bits(w, 11, 7), _bits(w, 20, 16)
    if op1 >> 1 in (0b1101, 0b1111):                 # SBFX/UBFX: msb field = widthm1
        if lsb + msb > 31:
            errs.append("bitfield extract past bit 31")
    elif op1 >> 1 == 0b1110 and msb < lsb:           # BFI/BFC
        errs.append("BFI/BFC with msb < lsb")


def _lint_word(insn: Insn, body_end: int) -> list[str]:
    w, errs = insn.word, []
    if _bits(w, 31, 28) == 0xF:
        errs.append("unconditional-space encoding")
        return errs
    op1 = _bits(w, 27, 25)
    rn, rd = _bits(w, 19, 16), _bits(w, 15, 12)
    if op1 == 0b000:
        if _bits(w, 7, 7) and _bits(w, 4, 4):
            if _bits(w, 6, 5) == 0:
                _lint_multiply(w, errs)
            else:
                _lint_extra_load_store(w, errs)
        elif _bits(w, 24, 23) == 0b10 and not _bits(w, 20, 20):
            _lint_misc(w, errs)
        else:
            if _bits(w, 4, 4) and 15 in (rn, rd, _bits(w, 11, 8), _bits(w, 3, 0)):
                errs.append("register-shifted register with PC")
            if _bits(w, 24, 21) not in _DP_TEST_OPCODES:
                _no_write(rd, "data processing", errs)
    elif op1 == 0b001:
        if _bits(w, 24, 23) == 0b10 and not _bits(w, 20, 20):
            if _bits(w, 21, 21):                     # MSR immediate
                if _bits(w, 22, 22) or _bits(w, 19, 16) & 0b0011:
                    errs.append("MSR immediate beyond APSR_nzcvq/g")
            else:
                _no_write(rd, "MOVW/MOVT", errs)
        elif _bits(w, 24, 21) not in _DP_TEST_OPCODES:
            _no_write(rd, "data processing", errs)
    elif op1 == 0b011 and _bits(w, 4, 4):
        _lint_media(w, errs)
    elif op1 in (0b010, 0b011):
        p, wb, load, reg = _bits(w, 24, 24), _bits(w, 21, 21), _bits(w, 20, 20), op1 == 0b011
        wback = p == 0 or wb == 1
        if p == 0 and wb == 1:
            errs.append("LDRT/STRT family (UNPREDICTABLE in Hyp)")
        if load:
            _no_write(rd, "load", errs)
        elif rd == 15:
            errs.append("store of PC")
        if rn == 15 and (wback or not load or reg):
            errs.append("PC base outside a literal load")
        if wback and rn == rd:
            errs.append("writeback with Rn == Rt")
        if reg and (_bits(w, 3, 0) == 15 or (wback and _bits(w, 3, 0) == rn)):
            errs.append("bad offset register")
    elif op1 == 0b100:
        regs = _bits(w, 15, 0)
        if _bits(w, 22, 22):
            errs.append("LDM/STM ^ form")
        if regs == 0 or regs & 0xA000:
            errs.append("LDM/STM list empty or holds SP/PC")
        if regs & (1 << rn) or rn == 15:
            errs.append("LDM/STM base in list or PC base")
    elif op1 == 0b101:
        offset = _bits(w, 23, 0)
        offset = (offset - (1 << 24) if offset & 0x80_0000 else offset) * 4 + 8
        target = insn.address + offset
        if not insn.address < target <= body_end:
            errs.append(f"branch not forward within the body (target {target:#x})")
    else:
        errs.append("coprocessor/SVC encoding in the body")
    return errs


@needs_toolchain
@pytest.mark.parametrize("seed", [1, 2, 3, 42, 1000])
def test_no_unpredictable_encodings(built, seed: int) -> None:
    elf = built(seed, 5000)
    body_end = _symbols(elf)[ra.BODY_END_SYMBOL]
    body = _body(elf)
    assert len(body) == 5000
    problems = []
    for insn in body:
        for err in _lint_word(insn, body_end):
            problems.append(f"{insn.address:#x}: {insn.word:08x} {insn.text}: {err}")
    assert not problems, "\n".join(problems[:20])


def test_lint_catches_known_bad_encodings() -> None:
    """The lint itself must flag the cases it claims to check."""
    bad = {
        0xE081F312: "add pc, r1, r2, lsl r3",
        0xE0811392: "umull r1, r1, r2, r3 (RdHi == RdLo)",
        0xE1A0D001: "mov sp, r1",
        0xE5B11004: "ldr r1, [r1, #4]! (writeback, Rn == Rt)",
        0xE1C010D8: "ldrd r1, r2, [r0, #8] (odd Rt)",
        0xE8B00003: "ldm r0!, {r0, r1} (base in list)",
        0xE4B10004: "ldrt r0, [r1], #4",
        0xE7C0021F: "bfc r0 with msb < lsb",
        0xEAFFFFFE: "b . (not forward)",
    }
    for word, what in bad.items():
        assert _lint_word(Insn(0x40000100, word, what), 0x40001000), what
    good = {
        0xE0810312: "add r0, r1, r2, lsl r3",
        0xE0821392: "umull r1, r2, r2, r3",
        0xE5911004: "ldr r1, [r1, #4]",
        0xE1C020D8: "ldrd r2, r3, [r0, #8]",
        0xE8B00006: "ldm r0!, {r1, r2}",
        0xEA000002: "b forward",
    }
    for word, what in good.items():
        assert not _lint_word(Insn(0x40000100, word, what), 0x40001000), what


# --------------------------------------------------------------------------
# QEMU
# --------------------------------------------------------------------------


@needs_toolchain
@needs_qemu
@pytest.mark.parametrize("seed", QEMU_SEEDS)
def test_runs_to_semihosting_exit_on_qemu(built, seed: int) -> None:
    elf = built(seed, QEMU_COUNT)
    try:
        proc = ra.run_qemu(elf, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"seed {seed}: QEMU did not reach the semihosting exit in 60 s "
                    "(a fault would loop in the vector table)")
    assert proc.returncode == 0, f"seed {seed}: exit {proc.returncode}\n{proc.stderr}"


@needs_toolchain
@needs_qemu
def test_qemu_trace_stays_in_the_program(built, tmp_path: Path) -> None:
    """Per-instruction trace: every PC is in the program, PCs only grow, no exception."""
    elf = built(QEMU_SEEDS[0], QEMU_COUNT)
    syms = _symbols(elf)
    log = tmp_path / "trace.log"
    proc = ra.run_qemu(elf, timeout=120, trace_log=log)
    assert proc.returncode == 0
    text = log.read_text()
    pcs = [int(pc, 16) for pc in re.findall(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/", text,
                                            re.MULTILINE)]
    svc = syms[ra.BODY_END_SYMBOL] + 8
    assert pcs and pcs[0] == syms["_start"] and pcs[-1] == svc
    assert all(a < b for a, b in zip(pcs, pcs[1:])), "PC went backwards (exception?)"
    assert all(syms["_start"] <= pc <= svc for pc in pcs)


# --------------------------------------------------------------------------
# the exception class: only encodings QEMU and the core agree take an exception
# --------------------------------------------------------------------------


@needs_toolchain
def test_exception_class_emits_only_udf_unallocated_coprocessors_svc_and_hvc(tmp_path: Path) -> None:
    """UDF (cond AL), MRC/MCR/MRRC/MCRR/CDP to coprocessors 4-7 (AL), SVC (any condition,
    never the semihosting 0x123456) and HVC (AL): nothing else, and each kind appears."""
    from hypsim.models.hsr import is_hvc, is_semihosting, is_svc, is_udf, is_unallocated_coproc
    weights = {c: 0.0 for c in ra.INSTRUCTION_CLASSES}
    weights["exception"] = 1.0
    elf = build(generate(5, 400, GenConfig(weights=weights)), tmp_path)
    kinds = set()
    for insn in _body(elf):
        w = insn.word
        if is_udf(w):
            kinds.add("udf")
        elif is_unallocated_coproc(w):
            kinds.add("coproc")
        elif is_svc(w) and not is_semihosting(w):
            kinds.add("svc")
        elif is_hvc(w) and w >> 28 == 0xE:
            kinds.add("hvc")
        else:
            pytest.fail(f"{insn.address:#x}: {w:08x} {insn.text}: not an agreed exception-taking encoding")
    assert kinds == {"udf", "coproc", "svc", "hvc"}
    syms = _symbols(elf)
    assert ra.VECTORS_SYMBOL in syms and syms[ra.VECTORS_SYMBOL] % 32 == 0


def test_exception_class_is_off_by_default() -> None:
    """Without it the streams keep their no-exception shape (and vectors are not installed)."""
    assert GenConfig().weights["exception"] == 0.0
    assert ra.VECTORS_SYMBOL not in generate(3, 500)


def test_default_mix_is_what_the_core_implements() -> None:
    """The default weights leave out the classes the core leaves UNDEFINED."""
    assert not set(GenConfig().enabled_classes()) & set(ra.QEMU_ONLY_WEIGHTS)
    assert set(ALL_CLASSES.enabled_classes()) >= set(ra.QEMU_ONLY_WEIGHTS)

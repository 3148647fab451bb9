"""T32 in the trace/compare/disasm plumbing (issue 13): the disassembler takes the
width from the first halfword, QEMU's trace parser reads Thumb records (2-byte
PC steps, CPSR.T, ITSTATE), and the lockstep compares and reports T32 steps.
Expected encodings come from arm-none-eabi-as / objdump, expected states from QEMU."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import capstone
import pytest

from hypsim.compare import compare_steps, t32_size
from hypsim.disasm import disassemble, t32_instruction
from hypsim.elf_image import load_elf
from hypsim.models import t32
from hypsim.qemu import CpuState, run_qemu
from hypsim.trace import RetireTxn, StepState

REPO = Path(__file__).resolve().parent.parent
PROBE = REPO / "tests" / "data" / "t32_hsr_probe.S"

needs_tools = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="arm-none-eabi-gcc or qemu-system-arm not installed: run `make setup`")


# --- disassembly -------------------------------------------------------------------

@pytest.mark.parametrize("hw1, wide", [(0xE800, True), (0xEFFF, True), (0xF000, True), (0xF800, True),
                                       (0xFFFF, True), (0xE7FF, False), (0xBF30, False), (0x4770, False),
                                       (0x0000, False), (0xDF00, False)])
def test_width_from_the_first_halfword_a6_1(hw1: int, wide: bool) -> None:
    assert t32.is_32bit(hw1) is wide
    assert t32.width(hw1) == (4 if wide else 2)


#: capstone's and objdump's spellings of the same instructions
ALIASES = {"push": "stmdb", "pop": "ldm", "ldmia": "ldm", "stmia": "stm", "stmea": "stm", "ldmfd": "ldm",
           "stmfd": "stmdb", "adr": "add", "neg": "rsb", "negs": "rsbs",
           **{f"{sh}{s}": f"mov{s}" for sh in ("asr", "lsl", "lsr", "ror") for s in ("", "s")},
           **{f"b{c}": f"b{n}" for c, n in (("hs", "cs"), ("lo", "cc"))}}


CONDS = ("eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al")


def _same_mnemonic(capstone_m: str, objdump_m: str) -> bool:
    """Equal up to spelling; one instruction alone has no IT context, so objdump's
    condition (in an IT block) and capstone's S (a 16-bit one outside a block) drop out."""
    a, b = ALIASES.get(capstone_m, capstone_m), ALIASES.get(objdump_m, objdump_m)
    b = b[:-2] + {"hs": "cs", "lo": "cc"}.get(b[-2:], b[-2:]) if len(b) > 2 else b
    if a == b:
        return True
    for cond in CONDS:
        if b.endswith(cond) and len(b) > len(cond):
            base = ALIASES.get(b[: -len(cond)], b[: -len(cond)])
            if base in (a, a[:-1] if a.endswith("s") else a):
                return True
    return False


@needs_tools
@pytest.mark.parametrize("name", ["sort-O2", "math64-O2", "stage2_mmio-O0", "hyptrap-O0"])
def test_disassembly_agrees_with_objdump(name: str) -> None:
    """Every instruction of a Thumb C build: width from hw1 = objdump's width, same mnemonic."""
    subprocess.run(["make", "-s", "-C", str(REPO / "firmware"), "thumb"], check=True, stdout=subprocess.DEVNULL)
    obj = REPO / "firmware" / "build" / "c-thumb" / f"{name}.o"
    out = subprocess.run(["arm-none-eabi-objdump", "-d", "--no-show-raw-insn", "-M", "reg-names-std", str(obj)],
                         capture_output=True, text=True, check=True).stdout
    raw = subprocess.run(["arm-none-eabi-objdump", "-d", str(obj)], capture_output=True, text=True,
                         check=True).stdout
    checked = 0
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].strip().endswith(":"):
            continue
        halves = parts[1].split()
        if not all(len(h) == 4 for h in halves) or not 1 <= len(halves) <= 2 or parts[2].startswith("."):
            continue                          # ARM code, data in the code (.word, .short)
        hw1 = int(halves[0], 16)
        word = hw1 if len(halves) == 1 else (hw1 << 16) | int(halves[1], 16)
        assert t32.width(hw1) == 2 * len(halves), line
        pc = int(parts[0].strip()[:-1], 16)
        text = disassemble(word, pc, thumb=True)
        mnem = parts[2].split()[0].split(".")[0]
        got = text.split()[0].split(".")[0]
        assert not got.startswith(".") and _same_mnemonic(got, mnem), f"{line!r} -> {text!r}"
        assert t32_instruction(t32.to_bytes(word, 2 * len(halves))) == (word, 2 * len(halves))
        checked += 1
    assert checked > 100 and out


def test_disassembly_rejects_a_width_mismatch() -> None:
    assert disassemble(0xBF30, 0x100, thumb=True) == "wfi"
    assert disassemble(0xF3AF_8003, 0x100, thumb=True) == "wfi.w"
    assert disassemble(0xBF30_BF30, 0x100, thumb=True).startswith(".inst")     # two 16-bit ones
    assert disassemble(0xF000, 0x100, thumb=True).startswith(".inst")          # half a BL
    assert disassemble(0xE320_F003, 0x100) == "wfi"                            # A32 unchanged


# --- QEMU's trace in Thumb state ---------------------------------------------------------

def _may_branch(cs: capstone.Cs, word: int, size: int, pc: int) -> bool:
    for insn in cs.disasm(t32.to_bytes(word, size), pc, 1):
        groups = set(insn.groups)
        if groups & {capstone.CS_GRP_JUMP, capstone.CS_GRP_CALL, capstone.CS_GRP_RET, capstone.CS_GRP_INT}:
            return True
        _, written = insn.regs_access()
        return capstone.arm.ARM_REG_PC in written or insn.mnemonic.startswith(("svc", "udf", "bkpt"))
    return True


@needs_tools
def test_qemu_trace_of_a_thumb_program_steps_by_the_instruction_width(tmp_path: Path) -> None:
    """Every Thumb record that is not a branch, trap or exception is followed by the record
    at pc + its width (read from the ELF); ITSTATE in the PSR follows ITAdvance."""
    subprocess.run(["make", "-s", "-C", str(REPO / "firmware"), "thumb"], check=True, stdout=subprocess.DEVNULL)
    elf = REPO / "firmware" / "build" / "c-thumb" / "sort-O0.elf"
    image = load_elf(elf)
    run = run_qemu(elf, tmp_path, max_insns=400_000, timeout_s=120)
    assert run.unparsed_bytes == 0 and not run.timed_out
    cs = capstone.Cs(capstone.CS_ARCH_ARM, capstone.CS_MODE_THUMB)
    cs.detail = True
    thumb = sizes = 0
    for cur, nxt in zip(run.states, run.states[1:]):
        if not cur.thumb:
            continue
        thumb += 1
        assert cur.pc & 1 == 0 and cur.regs[15] == cur.pc
        word, size = t32.from_halfwords(image.read_word(cur.pc) & 0xFFFF, image.read_word(cur.pc + 2) & 0xFFFF)
        if nxt.mode == cur.mode and nxt.thumb and not _may_branch(cs, word, size, cur.pc):
            assert nxt.pc == cur.pc + size, f"{cur.pc:#x}: {disassemble(word, cur.pc, True)} -> {nxt.pc:#x}"
            sizes |= size
            if cur.itstate and not (word >> 8 == 0xBF and word & 0xF):
                assert nxt.itstate == t32.it_advance(cur.itstate)
    assert thumb > 1000 and sizes == 6          # both widths seen


@needs_tools
def test_qemu_trace_shows_the_it_instruction_and_itstate(tmp_path: Path) -> None:
    elf = tmp_path / "probe.elf"
    subprocess.run(["arm-none-eabi-gcc", "-march=armv7ve", "-nostdlib", "-nostartfiles", f"-Wa,-I{PROBE.parent}",
                    "-Ttext=0x40000000",
                    str(PROBE), "-o", str(elf)], check=True)
    run = run_qemu(elf, tmp_path / "w", timeout_s=60)
    guest = load_elf(elf).symbol("guest") & ~1
    by_pc = {}
    for st in run.states:
        by_pc.setdefault(st.pc, st)
    # 0x48: IT EQ (own record, outside a block); 0x4a: WFIEQ with ITSTATE 0x08
    assert by_pc[guest + 0x08].thumb and by_pc[guest + 0x08].itstate == 0
    assert by_pc[guest + 0x0A].itstate == 0x08
    # ITET LT at 0x7c: the MCR with 0xB6, then 0xAC for the second instruction
    assert by_pc[guest + 0x3E].itstate == 0xB6
    assert by_pc[guest + 0x42].itstate == 0xAC
    assert not by_pc[guest + 0x0A].cpsr & (1 << 24)         # J stays 0


# --- the lockstep ---------------------------------------------------------------------

T_SVC = 0x0000_01F3      # SVC, A I F masked, Thumb


def _step(pc: int, instr: int, regs: tuple[int, ...], cpsr: int = T_SVC) -> StepState:
    txn = RetireTxn(cycle=pc, pc=pc, instr=instr, cpsr=cpsr, cond_pass=True, writes=(), mem=())
    return StepState(txn, regs[:15] + (pc,), cpsr)


def _q(pc: int, regs: tuple[int, ...], cpsr: int = T_SVC) -> CpuState:
    return CpuState(pc, regs[:15] + (pc,), cpsr)


REGS = tuple(range(16))


def test_lockstep_compares_thumb_steps_of_both_widths() -> None:
    prog = [(0x100, 0x2000), (0x102, 0xF3AF_8000), (0x106, 0x4770)]          # movs, nop.w, bx lr
    rtl = [_step(pc, w, REGS) for pc, w in prog]
    res = compare_steps(rtl, [_q(pc, REGS) for pc, _ in prog])
    assert res.ok and res.compared == 3
    assert [t32_size(w) for _, w in prog] == [2, 4, 2]


def test_lockstep_names_a_width_disagreement() -> None:
    """The RTL retired the 32-bit NOP.W at 0x102 and went on at 0x106; QEMU at 0x104."""
    rtl = [_step(0x100, 0x2000, REGS), _step(0x102, 0xF3AF_8000, REGS), _step(0x106, 0x4770, REGS)]
    qemu = [_q(0x100, REGS), _q(0x102, REGS), _q(0x104, REGS)]
    res = compare_steps(rtl, qemu)
    assert res.divergence is not None and res.divergence.what == "PC"
    report = res.divergence.report()
    assert "retired as 32-bit" in report and "the RTL went on 4 bytes later, QEMU 2" in report
    assert "f3af8000  nop.w" in report and "    2000  movs r0, #0" in report
    assert "QEMU is in Thumb state" not in report                 # both are


def test_lockstep_names_a_missed_switch_to_thumb() -> None:
    """The DUT in ARM state, QEMU in Thumb: the RTL missed an interworking switch."""
    rtl = [_step(0x100, 0xE1A0_0000, REGS, 0x1D3)]
    res = compare_steps(rtl, [_q(0x100, REGS, T_SVC)])
    assert res.divergence is not None and res.divergence.what == "CPSR"
    report = res.divergence.report()
    assert ("QEMU is in Thumb state and the RTL in ARM state at pc=0x00000100: the RTL missed a switch to "
            "Thumb") in report
    assert "e1a00000  mov r0, r0" in report or "e1a00000  nop" in report


def test_lockstep_says_when_the_dut_is_in_thumb_and_qemu_not() -> None:
    rtl = [_step(0x100, 0x4770, REGS, T_SVC)]
    report = compare_steps(rtl, [_q(0x100, REGS, 0x1D3)]).divergence.report()  # type: ignore[union-attr]
    assert "the RTL is in Thumb state and QEMU in ARM state" in report
    assert "QEMU is in Thumb state" not in report


@needs_tools
def test_lockstep_over_a_real_t32_trace(tmp_path: Path) -> None:
    """QEMU's own trace of a random T32 stream, replayed as if retired by a core, compares
    clean; a core that steps 2 bytes after a 32-bit T32 instruction is caught and named."""
    from dataclasses import replace

    from hypsim.sequences import random_t32
    elf = random_t32.build(random_t32.generate(5, 300), tmp_path)
    image = load_elf(elf)
    run = run_qemu(elf, tmp_path / "q", timeout_s=60)
    steps: list[StepState] = []
    for i, st in enumerate(run.states):
        if st.thumb:
            word, _ = t32.from_halfwords(image.read_word(st.pc) & 0xFFFF, image.read_word(st.pc + 2) & 0xFFFF)
        else:
            word = image.read_word(st.pc)
        steps.append(StepState(RetireTxn(i, st.pc, word, st.cpsr, True, (), ()), st.regs, st.cpsr))
    res = compare_steps(steps, run.states)
    assert res.ok and res.compared == len(run.states)
    i = next(k for k, (a, b) in enumerate(zip(run.states, run.states[1:]))
             if a.thumb and t32_size(steps[k].txn.instr) == 4 and b.pc == a.pc + 4)
    nxt = steps[i + 1]
    wrong = StepState(replace(nxt.txn, pc=nxt.txn.pc - 2), nxt.regs[:15] + (nxt.txn.pc - 2,), nxt.cpsr)
    div = compare_steps(steps[: i + 1] + [wrong], run.states).divergence
    assert div is not None and div.what == "PC" and div.index == i + 1
    assert "retired as 32-bit; the RTL went on 2 bytes later, QEMU 4" in div.report()

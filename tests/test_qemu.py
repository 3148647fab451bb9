"""hypsim.qemu: QEMU 7.2 as the golden model, and its trace parser."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim import qemu as qemu_mod
from hypsim.disasm import disassemble
from hypsim.elf_image import load_elf
from hypsim.errors import HypsimError
from hypsim.qemu import QEMU_INITIAL_CPSR, CpuState, TraceParser, find_qemu, parse_trace, run_qemu

GCC = "arm-none-eabi-gcc"
needs_tools = pytest.mark.skipif(
    shutil.which(GCC) is None or shutil.which("qemu-system-arm") is None,
    reason="arm-none-eabi-gcc or qemu-system-arm not installed: run `make setup`")

ENTRY = 0x4000_0000
LINK = """
ENTRY(_start)
SECTIONS {
  . = 0x40000000;
  .text : { *(.text*) }
  .data : { *(.data*) }
  .bss : { *(.bss*) *(COMMON) }
}
"""

HEAD = """
    .syntax unified
    .arm
    .text
    .global _start
    .type _start, %function
_start:
"""

#: A few movs, "hi\\n" on the PL011, "semi\\n" by SYS_WRITE0, then SYS_EXIT(reason).
HELLO = HEAD + """
    mov r3, #1
    mov r4, #2
    movs r5, #0          @ Z=1
    moveq r6, #7         @ executes
    movne r7, #9         @ fails its condition: still one state
    add r8, r3, r4
    ldr r9, =0x09000000  @ PL011 DR
    mov r10, #'h'
    str r10, [r9]
    mov r10, #'i'
    str r10, [r9]
    mov r10, #'\\n'
    str r10, [r9]
    mov r0, #0x04        @ SYS_WRITE0
    adr r1, msg
    svc 0x123456
    mov r0, #0x18        @ SYS_EXIT
    ldr r1, =REASON
    svc 0x123456
1:  b 1b
msg: .asciz "semi\\n"
    .ltorg
"""

#: Exceptions taken to Hyp mode, and the PSR bits QEMU prints.
EXCEPTIONS = HEAD + """
    ldr r0, =hvec
    mcr p15, 4, r0, c12, c0, 0   @ HVBAR
    isb
    ldr r0, =0xf80f0000
    msr APSR_nzcvqg, r0          @ N Z C V Q and GE[3:0]
    mov r0, #0
    msr APSR_nzcvqg, r0
    setend be
    setend le
    cpsie a
    cpsid a
udf_at:
    udf #0
after_udf:
    hvc #7
after_hvc:
    mov r0, #0x18
    ldr r1, =0x20026
    svc 0x123456
    .balign 32
hvec:
    b .
    b h_und                      @ +0x04 undefined instruction from Hyp
    b h_hvc                      @ +0x08 HVC / SVC from Hyp
    b .
    b .
    b .
    b .
    b .
h_und:
    ldr r0, =after_udf
    msr ELR_hyp, r0
    eret
h_hvc:
    eret
    .ltorg
"""

SPIN = HEAD + """
    mov r0, #0
1:  add r0, r0, #1
    b 1b
"""


def build(tmp: Path, name: str, asm: str) -> Path:
    src = tmp / f"{name}.S"
    src.write_text(asm)
    ld = tmp / "link.ld"
    ld.write_text(LINK)
    out = tmp / f"{name}.elf"
    res = subprocess.run([GCC, "-marm", "-march=armv7ve", "-nostdlib", "-nostartfiles", "-T", str(ld),
                          str(src), "-o", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return out


def hello(tmp: Path, reason: int = 0x20026) -> Path:
    return build(tmp, f"hello_{reason:x}", HELLO.replace("REASON", hex(reason)))


@pytest.fixture(scope="module")
def hello_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, qemu_mod.QemuRun]:
    if shutil.which(GCC) is None or shutil.which("qemu-system-arm") is None:
        pytest.skip("arm-none-eabi-gcc or qemu-system-arm not installed: run `make setup`")
    tmp = tmp_path_factory.mktemp("hello")
    elf = hello(tmp)
    return elf, run_qemu(elf, tmp / "work", keep_log=True)


@needs_tools
def test_initial_state_is_hyp_mode_at_entry(hello_run: tuple[Path, qemu_mod.QemuRun]) -> None:
    _, run = hello_run
    first = run.states[0]
    assert run.skipped_boot == 0  # QEMU runs no boot stub for an ELF kernel
    assert first.pc == ENTRY and first.regs[15] == ENTRY
    assert first.regs[:15] == (0,) * 15  # ARCHITECTURE.md: r0-r2 = 0 (in fact R0-R14)
    # ARCHITECTURE.md: Hyp mode (0x1a); A, I, F masked, ARM state, little-endian.
    assert first.mode == 0x1A
    assert first.cpsr & 0x0FFF_FFFF == 0x1DA
    # QEMU keeps Z inverted and reset zeroes it, so Z reads as set at the entry.
    assert first.cpsr == QEMU_INITIAL_CPSR == 0x4000_01DA


@needs_tools
def test_one_state_per_instruction(hello_run: tuple[Path, qemu_mod.QemuRun]) -> None:
    elf, run = hello_run
    img = load_elf(elf)
    pcs = [s.pc for s in run.states]
    # straight-line code: every instruction up to the exit svc, including movne
    assert pcs == [ENTRY + 4 * i for i in range(len(pcs))]
    assert disassemble(img.read_word(pcs[0]), pcs[0]) == "mov r3, #1"
    assert disassemble(img.read_word(pcs[4]), pcs[4]) == "movne r7, #9"
    assert disassemble(img.read_word(pcs[-1]), pcs[-1]) == "svc #0x123456"
    assert all(s.regs[15] == s.pc for s in run.states)
    after = {s.pc: s for s in run.states}
    assert after[ENTRY + 4].regs[3] == 1
    assert after[ENTRY + 8].regs[4] == 2
    st = after[ENTRY + 0x18]  # after add r8, r3, r4
    assert (st.regs[5], st.regs[6], st.regs[7], st.regs[8]) == (0, 7, 0, 3)


@needs_tools
def test_outputs_and_exit(hello_run: tuple[Path, qemu_mod.QemuRun]) -> None:
    _, run = hello_run
    assert run.uart == b"hi\n"
    assert run.semihost_out == b"semi\n"
    assert run.exit_code == 0
    assert not run.timed_out and not run.insn_limit_hit
    assert run.stderr == ""
    assert run.unparsed_bytes == 0
    # semihosting svc is one traced instruction; QEMU leaves R0 = 0xdeadbeef after SYS_WRITE0
    svcs = [i for i, s in enumerate(run.states) if s.regs[0] == 4 and s.regs[1] > ENTRY]
    nxt = run.states[svcs[-1] + 1]
    assert nxt.pc == run.states[svcs[-1]].pc + 4 and nxt.regs[0] == 0xDEADBEEF and nxt.mode == 0x1A


@needs_tools
def test_saved_log_parses_the_same(hello_run: tuple[Path, qemu_mod.QemuRun]) -> None:
    elf, run = hello_run
    log = elf.parent / "work" / qemu_mod.TRACE_FILE
    assert list(parse_trace(log)) == run.states


@needs_tools
def test_icount_run_gives_the_same_states(hello_run: tuple[Path, qemu_mod.QemuRun],
                                          tmp_path: Path) -> None:
    elf, run = hello_run
    det = run_qemu(elf, tmp_path / "work", icount_shift=0)
    assert "-icount" in det.command
    assert det.unparsed_bytes == 0
    assert det.states == run.states and det.uart == run.uart and det.exit_code == 0


@needs_tools
def test_failing_exit_is_nonzero(tmp_path: Path) -> None:
    run = run_qemu(hello(tmp_path, 0x20023), tmp_path / "work")  # ADP_Stopped_RunTimeErrorUnknown
    assert run.exit_code == 1
    assert run.uart == b"hi\n"


@needs_tools
def test_exceptions_and_psr_bits(tmp_path: Path) -> None:
    elf = build(tmp_path, "exc", EXCEPTIONS)
    img = load_elf(elf)
    run = run_qemu(elf, tmp_path / "work")
    assert run.exit_code == 0
    pcs = [s.pc for s in run.states]
    cpsr_before = {s.pc: s.cpsr for s in run.states}  # CPSR printed before the insn at pc
    assert cpsr_before[ENTRY + 0x14] == 0xF80F_01DA  # after msr APSR_nzcvqg: NZCVQ + GE[3:0]
    assert cpsr_before[ENTRY + 0x1C] == 0x0000_01DA  # all cleared again
    assert cpsr_before[ENTRY + 0x20] == 0x0000_03DA  # after setend be: E (bit 9)
    assert cpsr_before[ENTRY + 0x28] == 0x0000_00DA  # after cpsie a: A (bit 8) clear
    udf = ENTRY + 0x2C
    assert disassemble(img.read_word(udf), udf) == "udf #0"
    i = pcs.index(udf)
    assert run.states[i + 1].pc & 0x1F == 0x04 and run.states[i + 1].mode == 0x1A  # HVBAR+0x04
    j = pcs.index(udf + 4)
    assert disassemble(img.read_word(udf + 4), udf + 4) == "hvc #7"
    assert run.states[j + 1].pc & 0x1F == 0x08  # HVC from Hyp -> HVBAR + 0x08
    assert run.states[j + 3].pc == udf + 8  # b h_hvc; eret; back after the hvc


@needs_tools
def test_instruction_cap(tmp_path: Path) -> None:
    run = run_qemu(build(tmp_path, "spin", SPIN), tmp_path / "work", max_insns=1000, timeout_s=60)
    assert run.insn_limit_hit and not run.timed_out
    assert len(run.states) == 1000
    assert run.states[0].pc == ENTRY
    assert run.states[-1].regs[0] == (1000 - 1) // 2  # mov, then (add, b) pairs


@needs_tools
def test_timeout_keeps_states_so_far(tmp_path: Path) -> None:
    run = run_qemu(build(tmp_path, "spin", SPIN), tmp_path / "work", timeout_s=1.0)
    assert run.timed_out and not run.insn_limit_hit
    assert len(run.states) > 100
    assert run.states[0].pc == ENTRY


@needs_tools
def test_qemu_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = qemu_mod.qemu_command

    def broken(*args: object, **kw: object) -> list[str]:
        return [*real(*args, **kw), "-no-such-option"]  # type: ignore[arg-type]

    monkeypatch.setattr(qemu_mod, "qemu_command", broken)
    with pytest.raises(HypsimError) as info:
        run_qemu(hello(tmp_path), tmp_path / "work")
    assert "QEMU failed" in str(info.value) and "no-such-option" in str(info.value)
    assert info.value.exit_code == 2


def test_missing_qemu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(HypsimError) as info:
        find_qemu()
    assert info.value.exit_code == 2
    assert "apt-get install qemu-system-arm" in str(info.value) and "make setup" in str(info.value)


# --- parser on synthetic logs (no QEMU needed) -------------------------------------------

def record(pc: int, r0: int = 0, cpsr: int = 0x1DA, tb: str = "0x7f0000000100") -> str:
    regs = [r0] + [0] * 14 + [pc]
    lines = [f"Trace 0: {tb} [00000400/{pc:08x}/00000060/ff000201] sym"]
    for row in range(4):
        lines.append(" ".join(f"R{4 * row + i:02d}={regs[4 * row + i]:08x}" for i in range(4)))
    lines.append(f"PSR={cpsr:08x} ---- A hyp32")
    return "\n".join(lines) + "\n"


def test_parser_drops_records_stopped_before_running() -> None:
    text = (record(0x100) + record(0x104, r0=1)
            + "Stopped execution of TB chain before 0x7f0000000100 [00000104] \n"
            + record(0x104, r0=1) + record(0x108, r0=2, cpsr=0x600001DA)
            + "cpu_io_recompile: rewound execution of TB to 00000108\n"
            + record(0x108, r0=2, cpsr=0x600001DA) + record(0x10C))
    parser = TraceParser()
    states = parser.feed(text.encode()) + parser.finish()
    assert [s.pc for s in states] == [0x100, 0x104, 0x108, 0x10C]
    assert states[2] == CpuState(0x108, (2,) + (0,) * 14 + (0x108,), 0x600001DA)
    assert parser.cancelled == 2 and parser.unparsed == 0


def test_parser_is_independent_of_chunking() -> None:
    rng = random.Random(1)
    recs = []
    for i in range(200):
        recs.append(record(0x4000_0000 + 4 * i, r0=rng.getrandbits(32), cpsr=rng.getrandbits(32)))
        if rng.random() < 0.1:
            recs.append(f"Stopped execution of TB chain before 0x7f00 [{0x4000_0000 + 4 * i:08x}] \n")
            recs.append(recs[-2])
    blob = "".join(recs).encode()
    whole = TraceParser()
    expect = whole.feed(blob) + whole.finish()
    assert len(expect) == 200
    for _ in range(5):
        parser = TraceParser()
        got: list[CpuState] = []
        pos = 0
        while pos < len(blob):
            step = rng.randint(1, 700)
            got += parser.feed(blob[pos:pos + step])
            pos += step
        got += parser.finish()
        assert got == expect

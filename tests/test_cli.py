"""`hypsim run`: exit codes, one-line errors for bad input, stdout purity."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hypsim.run import EXIT_MAX_CYCLES, EXIT_STOPPED

REPO = Path(__file__).resolve().parent.parent
FW = REPO / "firmware/build"


def hypsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "hypsim.cli", "run", *args], capture_output=True,
                          cwd=cwd, timeout=600)


def _asm_elf(tmp: Path, name: str, body: str) -> Path:
    src = tmp / f"{name}.S"
    src.write_text(".arm\n.global _start\n_start:\n" + body)
    elf = tmp / f"{name}.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", "-Ttext=0x40000000",
                    str(src), "-o", str(elf)], check=True)
    return elf


def _one_error_line(p: subprocess.CompletedProcess[bytes]) -> str:
    lines = [ln for ln in p.stderr.decode().splitlines() if ln.startswith("hypsim: error:")]
    assert len(lines) == 1, p.stderr.decode()
    return lines[0]


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    p = hypsim(str(tmp_path / "nope.elf"))
    assert p.returncode == 2 and p.stdout == b""
    assert "nope.elf" in _one_error_line(p)


def test_not_an_elf_is_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.elf"
    junk.write_bytes(b"hello, not an ELF\n" * 10)
    p = hypsim(str(junk))
    assert p.returncode == 2 and p.stdout == b""
    assert "ELF" in _one_error_line(p)


def test_unknown_simulator_is_rejected(tmp_path: Path) -> None:
    p = hypsim(str(FW / "isa/dp_imm.elf"), "--sim", "modelsim")
    assert p.returncode == 2
    assert b"invalid choice" in p.stderr


def test_segment_outside_ram_is_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "low.S"
    src.write_text(".arm\n.global _start\n_start:\n  b _start\n")
    elf = tmp_path / "low.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-nostdlib", "-Ttext=0x10000000", str(src), "-o", str(elf)],
                   check=True)
    p = hypsim(str(elf))
    assert p.returncode == 2
    assert "RAM" in _one_error_line(p)


def test_stdout_is_exactly_the_uart_stream(sim: str) -> None:
    elf = FW / "c/crc32-O2.elf"
    p = hypsim(str(elf), "--sim", sim)
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout == b'crc32("123456789") = cbf43926\nPASS crc32\n'
    assert b"PASS" not in p.stderr


def test_max_cycles_exits_4_with_last_pcs(sim: str, tmp_path: Path) -> None:
    elf = _asm_elf(tmp_path, "spin", "  mov r0, #0\nloop:\n  add r0, r0, #1\n  b loop\n")
    p = hypsim(str(elf), "--sim", sim, "--max-cycles", "2000")
    err = p.stderr.decode()
    assert p.returncode == 4, err
    assert "max-cycles" in err and "40000008" in err and "b #0x40000004" in err


def test_divergence_from_qemu_exits_3(sim: str, tmp_path: Path) -> None:
    # QEMU maps flash at 0; the hypsim SoC has no boot ROM there, so this load
    # takes an external abort on the RTL only: a real, reported divergence.
    elf = _asm_elf(tmp_path, "flash", "  mov r1, #0\n  ldr r0, [r1]\n  mov r0, #0x18\n"
                   "  ldr r1, =0x20026\n  svc 0x123456\n")
    p = hypsim(str(elf), "--sim", sim, "--compare-qemu", "--max-cycles", "3000")
    err = p.stderr.decode()
    assert p.returncode == 3, err
    assert "DIVERGENCE at instruction #2" in err and "PC after the RTL's last retired instruction" in err


def test_short_descriptor_translation_stops_with_the_reason(sim: str, tmp_path: Path) -> None:
    """SCTLR.M=1 with TTBCR.EAE=0 (its reset value) asks for short-descriptor
    tables, which rtl/mmu does not walk: the run stops and says so."""
    elf = _asm_elf(tmp_path, "shortdesc", "  mrc p15, 0, r0, c1, c0, 0\n  orr r0, r0, #1\n"
                   "  mcr p15, 0, r0, c1, c0, 0\n  ldr r0, =svc\n  msr ELR_hyp, r0\n"
                   "  mov r0, #0x1d3\n  msr SPSR_cxsf, r0\n  eret\nsvc:\n  b svc\n")
    p = hypsim(str(elf), "--sim", sim, "--max-cycles", "5000")
    err = p.stderr.decode()
    assert p.returncode == EXIT_STOPPED, err
    assert "TTBCR.EAE=0" in err and "short-descriptor" in err and "last" in err


def test_trace_file_has_one_line_per_instruction(sim: str, tmp_path: Path) -> None:
    out = tmp_path / "t.txt"
    p = hypsim(str(FW / "isa/div.elf"), "--sim", sim, "--trace", str(out))
    assert p.returncode == 0, p.stderr.decode()
    lines = [ln for ln in out.read_text().splitlines() if "exception" not in ln]
    assert "udiv" in out.read_text() and "sdiv" in out.read_text()
    retired = int(p.stderr.decode().split(" instructions")[0].rsplit(" ", 1)[1])
    assert len(lines) == retired


def test_a32_code_calls_thumb_code_in_lockstep(tmp_path: Path) -> None:
    """BLX register into a Thumb function and BX LR back (interworking): in lockstep
    with QEMU until the final `b .` (stopped by --max-cycles; no divergence)."""
    elf = _asm_elf(tmp_path, "thumb", """
  ldr r0, =thumb_fn
  blx r0
  b .
.thumb
.global thumb_fn
.type thumb_fn, %function
.thumb_func
thumb_fn:
  movs r1, #1
  bx lr
.ltorg
""")
    p = hypsim(str(elf), "--sim", "verilator", "--compare-qemu", "--max-cycles", "2000")
    err = p.stderr.decode()
    assert p.returncode == EXIT_MAX_CYCLES, err
    assert "DIVERGENCE" not in err and "QEMU is in Thumb state" not in err, err

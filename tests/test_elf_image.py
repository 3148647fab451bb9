"""hypsim.elf_image: loading firmware ELFs and rejecting what the SoC cannot run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim.elf_image import load_elf
from hypsim.errors import HypsimError

GCC = "arm-none-eabi-gcc"
needs_gcc = pytest.mark.skipif(shutil.which(GCC) is None,
                               reason=f"{GCC} not installed: run `make setup`")

PROGRAM = r"""
    .syntax unified
    .arm
    .text
    .global _start
    .type _start, %function
_start:
    mov r3, #1
    ldr r9, =0x09000000
    mov r10, #'h'
    str r10, [r9]
    mov r0, #0x18
    ldr r1, =0x20026
    svc 0x123456
    .ltorg
    .size _start, . - _start

    .data
    .global counter
    .type counter, %object
counter: .word 0x11223344
    .byte 0xaa
    .size counter, . - counter

    .bss
    .global buffer
    .type buffer, %object
buffer: .space 64
    .size buffer, 64
"""

LINK = """
ENTRY(_start)
SECTIONS {{
  . = {text:#x};
  .text : {{ *(.text*) }}
  . = {data};
  .data : {{ *(.data*) }}
  .bss : {{ *(.bss*) *(COMMON) }}
}}
"""


def build(tmp: Path, name: str = "fw", asm: str = PROGRAM, text: int = 0x4000_0000,
          data: int | None = None, flags: tuple[str, ...] = ("-marm",)) -> Path:
    src = tmp / f"{name}.S"
    src.write_text(asm)
    ld = tmp / f"{name}.ld"
    ld.write_text(LINK.format(text=text, data="." if data is None else hex(data)))
    out = tmp / f"{name}.elf"
    res = subprocess.run([GCC, *flags, "-march=armv7ve", "-nostdlib", "-nostartfiles", "-T", str(ld),
                          str(src), "-o", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return out


def patched(src: Path, dst: Path, offset: int, data: bytes) -> Path:
    raw = bytearray(src.read_bytes())
    raw[offset:offset + len(data)] = data
    dst.write_bytes(bytes(raw))
    return dst


def error_of(path: Path, **kw: int) -> HypsimError:
    with pytest.raises(HypsimError) as info:
        load_elf(path, **kw)
    err = info.value
    assert err.exit_code == 2
    assert "\n" not in str(err)
    return err


@needs_gcc
def test_entry_segments_symbols(tmp_path: Path) -> None:
    img = load_elf(build(tmp_path))
    assert img.entry == 0x4000_0000
    assert img.symbols["_start"] == 0x4000_0000
    assert "counter" in img.symbols and "buffer" in img.symbols
    assert img.read_word(img.entry) == 0xE3A03001  # mov r3, #1
    assert img.read_word(img.symbols["counter"]) == 0x11223344
    assert all(s.addr >= 0x4000_0000 and len(s.data) == s.memsz for s in img.segments)
    # .bss is zero-filled up to p_memsz
    last = max(img.segments, key=lambda s: s.end)
    assert last.end >= img.symbols["buffer"] + 64
    assert img.read_word(img.symbols["buffer"] + 60) == 0
    assert img.read_word(0x4080_0000) == 0  # not in any segment


@needs_gcc
def test_readmemh_is_sparse_and_word_addressed(tmp_path: Path) -> None:
    img = load_elf(build(tmp_path, data=0x4010_0000))
    assert len(img.segments) == 2
    out = img.write_readmemh(tmp_path / "ram.hex")
    lines = out.read_text().split()
    directives = [ln for ln in lines if ln.startswith("@")]
    assert directives == ["@0", "@40000"]  # 0x40100000 - 0x40000000 = 0x100000 bytes = 0x40000 words
    assert lines[1] == "e3a03001"
    covered = sum((s.memsz + 3) // 4 for s in img.segments)
    assert len(lines) - len(directives) == covered
    # parse it back and compare with read_word
    addr = 0
    for ln in lines:
        if ln.startswith("@"):
            addr = int(ln[1:], 16)
            continue
        assert int(ln, 16) == img.read_word(0x4000_0000 + 4 * addr)
        addr += 1
    based = img.write_readmemh(tmp_path / "based.hex", word_base=0x100)
    assert based.read_text().split()[0] == "@100"


def test_missing_file(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope.elf")
    assert "no such file" in str(err)


def test_junk_and_truncated(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"MZ\x90\x00 this is not an ELF" * 4)
    assert "bad magic" in str(error_of(junk))
    short = tmp_path / "short.elf"
    short.write_bytes(b"\x7fELF\x01\x01\x01")
    assert "truncated" in str(error_of(short))
    empty = tmp_path / "empty.elf"
    empty.write_bytes(b"")
    assert "bad magic" in str(error_of(empty))


@needs_gcc
def test_wrong_class_endianness_machine(tmp_path: Path) -> None:
    good = build(tmp_path)
    assert "32-bit" in str(error_of(patched(good, tmp_path / "c64.elf", 4, b"\x02")))
    assert "little-endian" in str(error_of(patched(good, tmp_path / "be.elf", 5, b"\x02")))
    x86 = patched(good, tmp_path / "x86.elf", 18, (3).to_bytes(2, "little"))  # EM_386
    err = error_of(x86)
    assert "e_machine is 3" in str(err) and "ARM (40)" in str(err)


@pytest.mark.skipif(shutil.which("gcc") is None, reason="host gcc not installed")
def test_host_object_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "host.c"
    src.write_text("int f(int x) { return x + 1; }\n")
    obj = tmp_path / "host.o"
    subprocess.run(["gcc", "-c", str(src), "-o", str(obj)], check=True, capture_output=True)
    err = error_of(obj)
    assert "not a 32-bit ELF" in str(err) or "e_machine" in str(err)


@needs_gcc
def test_relocatable_object_is_not_executable(tmp_path: Path) -> None:
    src = tmp_path / "x.S"
    src.write_text(PROGRAM)
    obj = tmp_path / "x.o"
    subprocess.run([GCC, "-marm", "-c", str(src), "-o", str(obj)], check=True, capture_output=True)
    assert "not an executable" in str(error_of(obj))


@needs_gcc
def test_segment_outside_ram(tmp_path: Path) -> None:
    low = build(tmp_path, "low", text=0x1000_0000)
    err = error_of(low)
    assert "0x10000000" in str(err) and "outside RAM" in str(err)
    # a bigger RAM parameter does not help a segment below the base, a smaller one rejects the top
    high = build(tmp_path, "high", data=0x4100_0000)
    assert "outside RAM" in str(error_of(high))
    assert load_elf(high, ram_size=32 << 20).segments[-1].addr == 0x4100_0000


@needs_gcc
def test_thumb_entry_is_accepted_with_bit_0(tmp_path: Path) -> None:
    asm = """
    .syntax unified
    .thumb
    .text
    .global _start
    .type _start, %function
    .thumb_func
_start:
    movs r0, #1
    b _start
"""
    thumb = build(tmp_path, "thumb", asm=asm, flags=("-mthumb",))
    image = load_elf(thumb)
    # bit 0 kept: the SoC's reset PC carries it and the core starts in Thumb state
    assert image.entry & 1 and image.entry & ~1 == image.symbols["_start"] & ~1


@needs_gcc
def test_entry_outside_ram(tmp_path: Path) -> None:
    good = build(tmp_path)
    # e_entry is at offset 24 in a 32-bit ELF header
    bad = patched(good, tmp_path / "entry.elf", 24, (0x0800_0000).to_bytes(4, "little"))
    assert "entry point 0x08000000 is outside RAM" in str(error_of(bad))


@needs_gcc
def test_no_loadable_segments(tmp_path: Path) -> None:
    good = build(tmp_path)
    # e_phnum (offset 44) = 0: no program headers at all
    bad = patched(good, tmp_path / "nophdr.elf", 44, b"\x00\x00")
    assert "no loadable" in str(error_of(bad))

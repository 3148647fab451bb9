"""Load a bare-metal ARM firmware ELF into a RAM image.

:func:`load_elf` checks that the file is something the hypsim SoC (and QEMU
``virt``) can run -- a 32-bit little-endian ARM executable whose loadable
segments and entry point lie in RAM (an odd entry point starts in Thumb state, as on QEMU) -- and returns an
:class:`ElfImage`: the entry point, the ``PT_LOAD`` segments (``.bss`` zero-filled
up to ``p_memsz``) and the FUNC/OBJECT symbols.  Every rejection is a
:class:`~hypsim.errors.HypsimError` (exit status 2) with a one-line message.

:meth:`ElfImage.write_readmemh` writes the image for Verilog ``$readmemh``:
32-bit little-endian words, addressed in words relative to the RAM base, with
an ``@<hex word index>`` directive before each run of contiguous words.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from .errors import HypsimError

RAM_BASE = 0x4000_0000
RAM_SIZE = 16 << 20
EM_ARM = 40
ELF_MAGIC = b"\x7fELF"


@dataclass(frozen=True)
class Segment:
    """One ``PT_LOAD`` segment: ``data`` is ``p_filesz`` bytes zero-padded to ``memsz``."""

    addr: int
    data: bytes
    memsz: int

    @property
    def end(self) -> int:
        return self.addr + self.memsz


@dataclass
class ElfImage:
    path: Path
    entry: int
    segments: list[Segment]
    symbols: dict[str, int] = field(default_factory=dict)
    ram_base: int = RAM_BASE
    ram_size: int = RAM_SIZE
    # Functions in Thumb state (FUNC symbols with an odd value), e.g. Debian's
    # libgcc helpers.
    thumb_functions: list[str] = field(default_factory=list)

    def words(self) -> dict[int, int]:
        """Every 32-bit word covered by a segment: {word index from ram_base: value}.

        A word only partly covered by a segment gets zeros in the uncovered bytes
        (unless another segment covers them).
        """
        out: dict[int, int] = {}
        for seg in self.segments:
            off = seg.addr - self.ram_base
            lead = off % 4
            data = bytes(lead) + seg.data
            data += bytes(-len(data) % 4)
            first = (off - lead) // 4
            values = struct.unpack(f"<{len(data) // 4}I", data)
            for i, value in enumerate(values, first):
                out[i] = out.get(i, 0) | value  # segments do not overlap: OR merges edge words
        return out

    def write_readmemh(self, path: str | Path, word_base: int = 0) -> Path:
        """Write a ``$readmemh`` file; word ``i`` of RAM is at address ``word_base + i``."""
        words = self.words()
        out = Path(path)
        lines: list[str] = []
        prev: int | None = None
        for idx in sorted(words):
            if prev is None or idx != prev + 1:
                lines.append(f"@{word_base + idx:x}")
            lines.append(f"{words[idx]:08x}")
            prev = idx
        out.write_text("\n".join(lines) + "\n", encoding="ascii")
        return out

    def read_word(self, addr: int) -> int:
        """The 32-bit little-endian word at byte address ``addr`` (bytes outside segments read 0)."""
        value = 0
        for lane in range(4):
            value |= self.read_byte(addr + lane) << (8 * lane)
        return value

    def read_byte(self, addr: int) -> int:
        for seg in self.segments:
            if seg.addr <= addr < seg.end:
                return seg.data[addr - seg.addr]
        return 0

    def symbol(self, name: str) -> int:
        try:
            return self.symbols[name]
        except KeyError:
            raise HypsimError(f"{self.path}: no symbol {name!r} in the ELF symbol table") from None


def _fail(path: Path, what: str) -> HypsimError:
    return HypsimError(f"{path}: {what}")


def read_input(p: Path, what: str, build_hint: str) -> bytes:
    """The bytes of an input file, or one HypsimError line naming the problem."""
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise _fail(p, f"no such file: check the path, or {build_hint}") from None
    except IsADirectoryError:
        raise _fail(p, f"is a directory, not {what}") from None
    except OSError as exc:
        raise _fail(p, f"cannot read: {exc.strerror}") from None


def load_elf(path: str | Path, ram_base: int = RAM_BASE, ram_size: int = RAM_SIZE) -> ElfImage:
    """Read and check a firmware ELF; see the module docstring."""
    p = Path(path)
    raw = read_input(p, "an ELF file", "build the firmware first")
    if raw[:4] != ELF_MAGIC:
        raise _fail(p, "not an ELF file (bad magic): pass the linked .elf, not a .bin or .hex")
    if len(raw) < 52:
        raise _fail(p, "truncated ELF header: rebuild the file")
    if raw[4] != 1:
        cls = "ELFCLASS64" if raw[4] == 2 else f"EI_CLASS {raw[4]}"
        raise _fail(p, f"not a 32-bit ELF (it is {cls}): build with arm-none-eabi-gcc -marm")
    if raw[5] != 1:
        raise _fail(p, "not a little-endian ELF: build without -mbig-endian")
    machine = int.from_bytes(raw[18:20], "little")
    if machine != EM_ARM:
        raise _fail(p, f"e_machine is {machine}, not ARM ({EM_ARM}): build with arm-none-eabi-gcc")
    e_type = int.from_bytes(raw[16:18], "little")
    if e_type != 2:
        kind = {1: "a relocatable object (.o)", 3: "a shared object/PIE"}.get(e_type, f"e_type {e_type}")
        raise _fail(p, f"is {kind}, not an executable: link it (e.g. arm-none-eabi-gcc -T link.ld -nostdlib)")

    ram_end = ram_base + ram_size
    ram_desc = f"RAM 0x{ram_base:08x}-0x{ram_end - 1:08x}"
    try:
        elf = ELFFile(BytesIO(raw))
        entry = int(elf.header["e_entry"])
        segments: list[Segment] = []
        for seg in elf.iter_segments():
            if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                continue
            # QEMU (hw/core/loader.c) and the SoC load at the physical address.
            addr = int(seg["p_paddr"])
            memsz = int(seg["p_memsz"])
            filesz = int(seg["p_filesz"])
            if addr < ram_base or addr + memsz > ram_end:
                raise _fail(p, f"segment at 0x{addr:08x}-0x{addr + memsz - 1:08x} is outside {ram_desc}: "
                            f"link at 0x{ram_base:08x} (-Ttext / linker script)")
            data = seg.data()[:filesz]
            if len(data) < filesz:
                raise _fail(p, "truncated segment data: rebuild the file")
            segments.append(Segment(addr, bytes(data) + bytes(memsz - filesz), memsz))
        symbols: dict[str, int] = {}
        thumb_funcs: list[str] = []
        for sec in elf.iter_sections():
            if not isinstance(sec, SymbolTableSection):
                continue
            for sym in sec.iter_symbols():
                kind = sym["st_info"]["type"]
                if sym.name and kind in ("STT_FUNC", "STT_OBJECT"):
                    symbols.setdefault(sym.name, int(sym["st_value"]))
                if sym.name and kind == "STT_FUNC" and int(sym["st_value"]) & 1:
                    thumb_funcs.append(sym.name)
    except ELFError as exc:
        raise _fail(p, f"malformed ELF ({exc}): rebuild the file") from None

    if not segments:
        raise _fail(p, "no loadable (PT_LOAD) segments: check the linker script")
    # bit 0 of the entry selects Thumb state (QEMU's boot: T := entry[0]); an ARM entry is
    # word-aligned, a Thumb one halfword-aligned
    if entry & 1 == 0 and entry & 3:
        raise _fail(p, f"entry point 0x{entry:08x} is not word-aligned (an ARM-state entry; a Thumb "
                       f"entry has bit 0 set: .thumb_func)")
    if not ram_base <= entry < ram_end:
        raise _fail(p, f"entry point 0x{entry:08x} is outside {ram_desc}: link at 0x{ram_base:08x}")
    segments.sort(key=lambda s: s.addr)
    return ElfImage(p, entry, segments, symbols, ram_base, ram_size, sorted(set(thumb_funcs)))

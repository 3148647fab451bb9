"""The Thumb (T32) builds of the C programs (firmware/Makefile `thumb`, issue 13):
each runs on QEMU, passes, and prints exactly what its ARM build prints.

QEMU only (the core has no T32 decoder yet): this is the golden side of the
check the RTL will get once it decodes T32. The ELFs are listed by
`make -C firmware list-thumb`, not `list`, so no RTL test picks them up.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim.elf_image import load_elf

REPO = Path(__file__).resolve().parent.parent
FIRMWARE = REPO / "firmware"
QEMU_RUN = FIRMWARE / "scripts" / "qemu-run.sh"

needs_tools = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="arm-none-eabi-gcc or qemu-system-arm not installed: run `make setup`")


def _thumb_elfs() -> list[Path]:
    if shutil.which("arm-none-eabi-gcc") is None:
        return []
    subprocess.run(["make", "-s", "-C", str(FIRMWARE), "thumb"], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(FIRMWARE), "list-thumb"],
                         check=True, capture_output=True, text=True).stdout
    return [Path(line) for line in out.split() if line.endswith(".elf")]


def _c_sources() -> list[str]:
    return sorted(p.stem for p in (FIRMWARE / "c").glob("*.c"))


def _run(elf: Path) -> tuple[int, str]:
    """The program's transcript (UART and semihosting) and QEMU's status, as `make qemu-check` runs it."""
    proc = subprocess.run(["sh", str(QEMU_RUN), str(elf)], capture_output=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    return proc.returncode, (proc.stdout + proc.stderr).decode(errors="replace")


@needs_tools
def test_every_c_program_has_a_thumb_build_at_both_levels() -> None:
    names = {p.stem for p in _thumb_elfs()}
    expected = {f"{n}-{o}" for n in _c_sources() for o in ("O0", "O2")}
    assert names == expected


@needs_tools
def test_list_is_unchanged_by_the_thumb_builds() -> None:
    """`list` (what the RTL tests run) holds no Thumb build."""
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(FIRMWARE), "list"],
                         check=True, capture_output=True, text=True).stdout
    assert out.strip() and "c-thumb" not in out


@needs_tools
@pytest.mark.parametrize("name", [f"{n}-{o}" for n in _c_sources() for o in ("O0", "O2")])
def test_thumb_build_prints_what_the_arm_build_prints(name: str) -> None:
    _thumb_elfs()
    thumb = FIRMWARE / "build" / "c-thumb" / f"{name}.elf"
    arm = FIRMWARE / "build" / "c" / f"{name}.elf"
    image = load_elf(thumb)
    assert "main" in image.thumb_functions, f"{thumb.name}: main is not a Thumb function"
    assert not image.entry & 1, "crt0 (lib/) stays ARM state"
    rc, text = _run(thumb)
    arm_rc, arm_text = _run(arm)
    assert arm_rc == 0 and "PASS" in arm_text, f"ARM build {arm.name} failed on QEMU:\n{arm_text}"
    assert rc == 0, f"Thumb build {thumb.name}: QEMU exit {rc}\n{text}"
    assert text == arm_text

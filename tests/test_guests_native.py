"""The guest programs (firmware/guests/) on QEMU's virt machine without
virtualization, and the guest device tree (hypsim.guest_dt).

Each guest is built with ``make -C firmware guests`` (or, while
firmware/Makefile does not include guests/guests.mk yet, with
``-f Makefile -f guests/guests.mk``), run with ``hypsim.qemu_native`` against a
DTB from ``hypsim.guest_dt.build_dtb`` and must end with "<name>: PASS" and
QEMU exit status 0 (PSCI SYSTEM_OFF).
"""

from __future__ import annotations

import fcntl
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from hypsim import guest_dt
from hypsim.errors import HypsimError
from hypsim.guest_dt import build_dtb
from hypsim.qemu_native import run_native

REPO = Path(__file__).resolve().parent.parent
FIRMWARE = REPO / "firmware"
GUESTS_MK = FIRMWARE / "guests" / "guests.mk"


def _guest_names() -> list[str]:
    m = re.search(r"^GUEST_NAMES\s*:=\s*(.*)$", GUESTS_MK.read_text(), re.M)
    assert m, "GUEST_NAMES not found in guests.mk"
    return m.group(1).split()


GUESTS = _guest_names()
SILENT = ("vmid",)
#: guests that need more than one CPU: natively `-smp N` and a DT with N cpus
#: (under the hypervisor `--vcpus N`, tests/test_vcpus.py)
GUEST_CPUS = {"smp": 2}

needs_dtc = pytest.mark.skipif(shutil.which("dtc") is None or shutil.which("cpp") is None,
                               reason="dtc or cpp not installed: run `make setup`")
needs_tools = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("arm-none-eabi-gcc", "qemu-system-arm", "dtc", "cpp")),
    reason="arm-none-eabi-gcc, qemu-system-arm or dtc not installed: run `make setup`")


def _make_args() -> list[str]:
    """make's arguments for the guest targets: firmware/Makefile alone once it
    includes guests.mk, else the fragment as a second makefile."""
    if "guests.mk" in (FIRMWARE / "Makefile").read_text():
        return ["make", "-s", "--no-print-directory", "-C", str(FIRMWARE)]
    return ["make", "-s", "--no-print-directory", "-C", str(FIRMWARE),
            "-f", "Makefile", "-f", "guests/guests.mk"]


@pytest.fixture(scope="module")
def guest_bins() -> dict[str, Path]:
    # one build at a time: pytest-xdist workers each build in the same tree
    (FIRMWARE / "build").mkdir(exist_ok=True)
    with open(FIRMWARE / "build" / ".guests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        res = subprocess.run(_make_args() + ["guests"], capture_output=True, text=True, check=False)
    assert res.returncode == 0, f"building the guests failed:\n{res.stdout}\n{res.stderr}"
    out = subprocess.run(_make_args() + ["guests-list"], capture_output=True, text=True,
                         check=True).stdout
    bins = [Path(line) for line in out.split() if line.startswith("/") and line.endswith(".bin")]
    assert [b.stem for b in bins] == GUESTS
    for b in bins:
        assert b.is_file() and b.stat().st_size > 0
    return {b.stem: b for b in bins}


@pytest.fixture(scope="module")
def dtbs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    d = tmp_path_factory.mktemp("dtb")
    return {mib: build_dtb(d / f"guest-{mib}m.dtb", mib << 20, 1, "console=ttyAMA0")
            for mib in (4, 16, 32)}


def _run(bins: dict[str, Path], dtbs: dict[int, Path], name: str, mib: int, work: Path) -> str:
    ncpus = GUEST_CPUS.get(name, 1)
    dtb = dtbs[mib] if ncpus == 1 else build_dtb(work / f"guest-{mib}m-{ncpus}cpu.dtb", mib << 20, ncpus,
                                                  "console=ttyAMA0")
    run = run_native(bins[name], dtb, work, mem_mib=mib, timeout_s=60, smp=ncpus)
    text = run.uart.decode("ascii", errors="replace")
    # vmid is silent when it passes (it runs 300 times in a row under the hypervisor)
    assert text.endswith(f"{name}: PASS\n") or (name in SILENT and text == ""), \
        f"{name} ({mib} MiB) did not pass:\n{text}"
    assert "FAIL" not in text, text
    assert run.exit_code == 0, f"QEMU exit {run.exit_code}: {run.stderr}"
    return text


@needs_tools
@pytest.mark.parametrize("name", GUESTS)
def test_guest_native(name: str, guest_bins: dict[str, Path], dtbs: dict[int, Path],
                      tmp_path: Path) -> None:
    text = _run(guest_bins, dtbs, name, 16, tmp_path / "16")
    # the transcript must not depend on the RAM size or on where QEMU puts the
    # DTB (RAM base + RAM/2): the same except the lines that print the size
    other = _run(guest_bins, dtbs, name, 32, tmp_path / "32")
    drop = re.compile(r"(MiB)")
    assert [ln for ln in text.splitlines() if not drop.search(ln)] == \
           [ln for ln in other.splitlines() if not drop.search(ln)]


@needs_tools
@pytest.mark.parametrize("name", ["hello", "mmu"])
def test_guest_native_small_ram(name: str, guest_bins: dict[str, Path], dtbs: dict[int, Path],
                                tmp_path: Path) -> None:
    text = _run(guest_bins, dtbs, name, 4, tmp_path)
    assert "4 MiB" in text


@needs_tools
def test_hello_reads_the_device_tree(guest_bins: dict[str, Path], tmp_path: Path) -> None:
    dtb = build_dtb(tmp_path / "g.dtb", 32 << 20, 2, "console=ttyAMA0 root=/dev/vda")
    text = run_native(guest_bins["hello"], dtb, tmp_path, mem_mib=32).uart.decode()
    assert 'dt / model = "hypsim guest (virt, cortex-a15)"' in text
    assert "size 32 MiB" in text
    assert 'bootargs = "console=ttyAMA0 root=/dev/vda"' in text
    assert "dt /cpus: 2 cpu nodes" in text
    assert 'dt /psci method = "hvc"' in text
    assert text.endswith("hello: PASS\n")


@needs_tools
def test_guest_images_are_flat_at_0x40010000(guest_bins: dict[str, Path]) -> None:
    for name, b in guest_bins.items():
        elf = b.with_suffix(".elf")
        hdr = elf.read_bytes()[:0x34]
        entry = struct.unpack_from("<I", hdr, 0x18)[0]
        assert entry == 0x4001_0000, name
        assert b.stat().st_size < 1 << 20, name


# ---------------------------------------------------------------- run_native

@pytest.mark.skipif(shutil.which("qemu-system-arm") is None or shutil.which("dtc") is None,
                    reason="qemu-system-arm or dtc not installed: run `make setup`")
def test_run_native_timeout_shows_uart_tail(tmp_path: Path) -> None:
    # prints "hi" on the PL011, then spins forever (never powers off)
    words = [0xE3A00409,   # mov r0, #0x09000000
             0xE3A01068,   # mov r1, #'h'
             0xE5801000,   # str r1, [r0]
             0xE3A01069,   # mov r1, #'i'
             0xE5801000,   # str r1, [r0]
             0xEAFFFFFE]   # b .
    image = tmp_path / "spin.bin"
    image.write_bytes(struct.pack("<6I", *words))
    dtb = build_dtb(tmp_path / "g.dtb")
    with pytest.raises(HypsimError, match=r"did not power off(.|\n)*hi"):
        run_native(image, dtb, tmp_path / "run", timeout_s=3)


def test_run_native_missing_image(tmp_path: Path) -> None:
    with pytest.raises(HypsimError, match="guest image .* not found"):
        run_native(tmp_path / "absent.bin", tmp_path / "absent.dtb", tmp_path)


# ---------------------------------------------------------------- build_dtb

def _decompile(dtb: Path) -> str:
    return subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(dtb)], capture_output=True,
                          text=True, check=True).stdout


@needs_dtc
def test_build_dtb_values(tmp_path: Path) -> None:
    out = build_dtb(tmp_path / "sub" / "g.dtb", 32 << 20, 2, "console=ttyAMA0 earlycon")
    assert out == tmp_path / "sub" / "g.dtb"
    dts = _decompile(out)
    assert 'compatible = "linux,dummy-virt";' in dts
    assert "reg = <0x00 0x40000000 0x00 0x2000000>;" in dts
    assert 'bootargs = "console=ttyAMA0 earlycon";' in dts
    assert 'stdout-path = "/pl011@9000000";' in dts
    assert "cpu@0 {" in dts and "cpu@1 {" in dts and "cpu@2" not in dts
    assert 'method = "hvc";' in dts
    assert 'compatible = "arm,psci-0.2\\0arm,psci";' in dts
    assert "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x8010000 0x00 0x10000>;" in dts
    # the timer's PPIs 13, 14, 11, 10, level-high, CPU mask 0b11
    assert "interrupts = <0x01 0x0d 0x304 0x01 0x0e 0x304 0x01 0x0b 0x304 0x01 0x0a 0x304>;" in dts
    assert 'compatible = "arm,pl011\\0arm,primecell";' in dts
    assert "clock-frequency = <0x16e3600>;" in dts          # 24 MHz


@needs_dtc
def test_build_dtb_defaults(tmp_path: Path) -> None:
    dts = _decompile(build_dtb(tmp_path / "g.dtb"))
    assert "reg = <0x00 0x40000000 0x00 0x1000000>;" in dts
    assert "bootargs = [00];" in dts                         # dtc's spelling of ""
    assert "cpu@0 {" in dts and "cpu@1" not in dts


@needs_dtc
@pytest.mark.parametrize("ncpus", [1, 8])
def test_build_dtb_cpu_counts(tmp_path: Path, ncpus: int) -> None:
    dts = _decompile(build_dtb(tmp_path / "g.dtb", 256 << 20, ncpus))
    assert dts.count('device_type = "cpu";') == ncpus
    assert "reg = <0x00 0x40000000 0x00 0x10000000>;" in dts


@pytest.mark.parametrize("kwargs, message", [
    ({"mem_bytes": (16 << 20) + 4096}, "not a multiple of 1 MiB"),
    ({"mem_bytes": 2 << 20}, "out of range: it must be 4 to 256 MiB"),
    ({"mem_bytes": 512 << 20}, "out of range: it must be 4 to 256 MiB"),
    ({"ncpus": 0}, "CPU count 0 is out of range"),
    ({"ncpus": 9}, "CPU count 9 is out of range"),
    ({"bootargs": 'console="x"'}, "double quote"),
    ({"bootargs": "a\\b"}, "backslash"),
    ({"bootargs": "a\nb"}, "non-printable"),
])
def test_build_dtb_bad_inputs(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(HypsimError, match=re.escape(message)) as info:
        build_dtb(tmp_path / "g.dtb", **kwargs)  # type: ignore[arg-type]
    assert info.value.exit_code == 2
    assert not (tmp_path / "g.dtb").exists()


def test_build_dtb_without_dtc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(guest_dt.shutil, "which",
                        lambda name, *a, **k: None if name == "dtc" else real_which(name, *a, **k))
    with pytest.raises(HypsimError, match=r"dtc not found on PATH: run `make setup`"):
        build_dtb(tmp_path / "g.dtb")

"""The exception-loop stop (tb_top exc_loop_o, tb/exc_loop.py): a run that only
takes exceptions, no instruction completing in between, stops within a few
thousand cycles with exit 5 and a message naming the loop.

The broken input: an UNDEFINED instruction in a program that installs no
vector table (HVBAR = 0, nothing mapped there); without the detector it spins
to the 20 M-cycle default. (It used to be C with a 64-bit division linked with
Debian's Thumb libgcc, tests/data/div64_lgcc.c: since the core runs T32 that
program runs to its end as on QEMU, test_lgcc_thumb_call_runs.) Legitimate exception-heavy programs (firmware/isa/
excpt.S, hypirq.S, mmu_*.S, c/hyptrap.c, the random Hyp-trap streams, the
guests under the hypervisor) run with the detector on in every other test;
here an SVC storm (each handler one instruction) must still exit 0.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hypsim import exc_loop
from hypsim.run import EXIT_EXC_LOOP

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# tb_top's limit (16 entries) is reached ~100 cycles into this program; "a few thousand" is the promise
MAX_LOOP_CYCLES = 5_000


def _hypsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hypsim.cli", "run", *args], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def div64_elf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("div64") / "div64.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-mfloat-abi=soft", "-O2", "-nostdlib",
                    "-nostartfiles", "-Wl,-Ttext=0x40000000", str(DATA / "div64_lgcc.c"), "-lgcc", "-o", str(out)],
                   check=True)
    return out


@pytest.fixture(scope="module")
def udf_elf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("udf")
    src = d / "udf.S"
    src.write_text(".arm\n.global _start\n_start:\n  mov r0, #0\n  udf #0\n  b .\n")
    out = d / "udf.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", "-nostartfiles",
                    "-Wl,-Ttext=0x40000000", str(src), "-o", str(out)], check=True)
    return out


def _check_loop_message(p: subprocess.CompletedProcess[str]) -> None:
    err = p.stderr
    assert p.returncode == EXIT_EXC_LOOP, err
    assert p.stdout == "", p.stdout
    m = re.search(r"exception loop: (\d+) exception entries in a row .* \(stopped at cycle (\d+)\)", err)
    assert m, err
    assert int(m.group(1)) == exc_loop.LIMIT and int(m.group(2)) < MAX_LOOP_CYCLES, err
    # the first exception: the UDF
    assert "first: undefined instruction at 0x40000004" in err and "udf" in err, err
    # what repeats: the prefetch abort of the Hyp vector 0xc, with its HSR (EC 0x21)
    assert "last:  prefetch abort fetching 0x0000000c in HYP mode, taken to vector 0x0000000c" in err, err
    assert "EC 0x21" in err and "installed no vector table" in err, err


def test_lgcc_thumb_call_runs(div64_elf: Path, sim: str) -> None:
    """A32 code calling Debian's Thumb libgcc (BLX imm into T32, BX LR back) runs to its end."""
    p = _hypsim(str(div64_elf), "--sim", sim, "--compare-qemu")
    assert p.returncode == 0, p.stderr


def test_undefined_without_vectors_stops_as_an_exception_loop(udf_elf: Path, sim: str) -> None:
    _check_loop_message(_hypsim(str(udf_elf), "--sim", sim))


def test_exception_loop_without_the_tracer(udf_elf: Path) -> None:
    """The free-running build has the detector too (Icarus: its build takes seconds;
    Verilator's with HYPSIM_FREE_RUNNING=1, tests/test_free_running.py)."""
    sims = ["icarus"] + (["verilator"] if os.environ.get("HYPSIM_FREE_RUNNING") == "1" else [])
    for sim in sims:
        _check_loop_message(_hypsim(str(udf_elf), "--sim", sim, "--no-trace"))


def test_an_svc_storm_is_not_a_loop(tmp_path: Path, sim: str) -> None:
    """200 SVCs back to back, each handler one `movs pc, lr`: every entry is followed
    by a completed instruction, so no loop however many exceptions."""
    src = tmp_path / "svc.S"
    src.write_text("""
.arm
.global _start
_start:
    ldr r0, =vectors
    mcr p15, 0, r0, c12, c0, 0      @ VBAR
    ldr r0, =0x1d3                  @ SVC mode, A/I/F masked
    msr SPSR_cxsf, r0               @ Hyp mode: its own SPSR_hyp
    ldr r0, =svc_main
    msr ELR_hyp, r0
    eret
svc_main:
    mov r4, #200
1:  svc #1
    svc #2
    subs r4, r4, #1
    bne 1b
    mov r0, #0x18
    ldr r1, =0x20026
    svc 0x123456
.balign 32
vectors:
    b .
    b .
    movs pc, lr                     @ SVC: back at once
    b .
    b .
    b .
    b .
    b .
""")
    elf = tmp_path / "svc.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", "-Ttext=0x40000000",
                    str(src), "-o", str(elf)], check=True)
    p = _hypsim(str(elf), "--sim", sim)
    assert p.returncode == 0, p.stderr


def _info(first: dict, last: dict, **regs: int) -> dict:
    return {"count": 16, "first": first, "last": {"hsr": 0, **last},
            "dfsr": regs.get("dfsr", 0), "ifsr": regs.get("ifsr", 0), "dfar": regs.get("dfar", 0)}


def test_decode_matches_tb_top_layout() -> None:
    words = [16 << 16 | 3 << 4 | 1, 0x40000014, 0xFA000013, 0x1DA, 0x4, 0xC, 0x1DA, 0xC, 0x84000010,
             0x11, 0x22, 0x33]
    info = exc_loop.decode(sum(w << (32 * i) for i, w in enumerate(words)))
    assert info == {"count": 16,
                    "first": {"type": 1, "pc": 0x40000014, "instr": 0xFA000013, "cpsr": 0x1DA, "vector": 4},
                    "last": {"type": 3, "pc": 0xC, "cpsr": 0x1DA, "vector": 0xC, "hsr": 0x84000010},
                    "dfsr": 0x11, "ifsr": 0x22, "dfar": 0x33}


def test_describe_a_pl1_data_abort_loop() -> None:
    """A data abort handler whose first instruction faults again (SVC mode code, ABT vector):
    the message names DFSR/DFAR and gives no Thumb or vector hint."""
    msg = exc_loop.describe(_info({"type": 4, "pc": 0x40001000, "instr": 0xE5901000, "cpsr": 0x1D3,
                                   "vector": 0x40000010},
                                  {"type": 4, "pc": 0x40000010, "cpsr": 0x1D7, "vector": 0x40000010},
                                  dfsr=0x8, dfar=0xDEAD0000), 4242)
    assert "first: data abort at 0x40001000 in SVC mode, taken to vector 0x40000010" in msg
    assert "ldr r1, [r0]" in msg
    assert "last:  data abort at 0x40000010 in ABT mode" in msg and "DFSR 0x00000008 DFAR 0xdead0000" in msg
    assert "stopped at cycle 4242" in msg and "hint" not in msg



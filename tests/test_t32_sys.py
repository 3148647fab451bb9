"""tests/data/t32_sys_probe.S on the RTL SoC in lockstep with QEMU (both simulators): the T32
encodings arm_t32_expand turns into A32 SRS/RFE (round trips through SVC and Abort mode),
CPS/CPS.W, SMULxy/SMLAxy/SMULWy/SMLAWy/SMLALxy, SMMUL/SMMLA/SMMLS, UMAAL, PKHBT/PKHTB and
LDREX/STREX of each size, run from Thumb code entered at a `.thumb_func _start`.

Expected transcript: QEMU 7.2 (-M virt,virtualization=on -cpu cortex-a15 -semihosting)
running the same ELF; the run itself also compares every retirement with QEMU."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hypsim.run import EXIT_OK, RunOptions, run_elf
from hypsim.trace import RetireTxn, read_trace

REPO = Path(__file__).resolve().parents[1]
PROBE = REPO / "tests" / "data" / "t32_sys_probe.S"

#: QEMU's transcript of the probe
QEMU_LINES = [
    "cps1 0000011f",
    "cps2 200000df",
    "cps3 200000d3",
    "cps4 200001df",
    "svc1 r0 0000001c",
    "svc1 cpsr a00001df",
    "svc1 spsr 200001ff",
    "svc2 r0 00000029",
    "svc2 cpsr 200001df",
    "svc3 r0 00000030",
    "svc3 cpsr 600001df",
    "abt frame 00000008",
    "smulbb c001fffd",
    "smulbt 0aebd450",
    "smultb e000c000",
    "smultt 1fff8000",
    "smlabt 1d202ac8",
    "smlabb bfff0000",
    "apsr 080001df",
    "smulwb 3ffdc004",
    "smulwt c001bffc",
    "smlawt c0014ffd",
    "smlaltb lo 3ffdfff3",
    "smlaltb hi 00000002",
    "smmul c8410295",
    "smmulr c8410295",
    "smmla d95213a6",
    "smmlsr 48d00e7c",
    "umaal lo a9acaefe",
    "umaal hi fffffffe",
    "pkhbt bbcc3344",
    "pkhtb 1122abbc",
    "pkhtb asr32 1122ffff",
    "strexb 00000000",
    "strexh 00000000",
    "strex 00000000",
    "strexd 00000000",
    "excl lo 00001311",
    "excl hi 80000020",
    "strexh after clrex 00000001",
]

#: T32 mnemonics (objdump) the probe must contain as the encodings under test
EXPANDED = ("srsdb", "srsia", "rfeia", "rfedb", "cpsie.w", "cpsid.w", "smulbb", "smulbt", "smultb",
            "smultt", "smlabt", "smlabb", "smulwb", "smulwt", "smlawt", "smlaltb", "smmul", "smmulr",
            "smmla", "smmlsr", "umaal", "pkhbt", "pkhtb", "ldrexb", "strexb", "ldrexh", "strexh",
            "ldrexd", "strexd")

pytestmark = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc missing")


def _build(out: Path) -> Path:
    subprocess.run(["arm-none-eabi-gcc", "-march=armv7ve", "-mthumb", "-nostdlib", "-nostartfiles",
                    "-Wl,-Ttext=0x40000000", str(PROBE), "-o", str(out)], check=True)
    return out


def test_probe_uses_the_t32_encodings(tmp_path: Path) -> None:
    elf = _build(tmp_path / "sys_probe.elf")
    dis = subprocess.run(["arm-none-eabi-objdump", "-d", str(elf)], check=True, capture_output=True,
                         text=True).stdout
    seen = {m.group(1) for m in re.finditer(r"^\s*[0-9a-f]+:\t[0-9a-f]{4} [0-9a-f]{4}\s*\t(\S+)", dis, re.M)}
    missing = [m for m in EXPANDED if m not in seen]
    assert not missing, f"not assembled as 32-bit T32: {missing}"


def test_sys_probe_matches_qemu(sim: str, work_dir: Path) -> None:
    elf = _build(work_dir / "sys_probe.elf")
    res = run_elf(elf, RunOptions(sim=sim, compare_qemu=True, work_dir=work_dir / "run", max_cycles=200_000))
    assert res.exit_code == EXIT_OK, f"on {sim}: exit {res.exit_code}\n{res.message}\n{res.console!r}"
    assert res.compare is not None and res.compare.compared == res.outcome.retired > 0
    assert res.console.decode().splitlines() == QEMU_LINES
    trace = [t for t in read_trace(res.outcome.trace) if isinstance(t, RetireTxn)]
    assert trace[0].cpsr & (1 << 5), f"on {sim}: first retirement not in Thumb state"
    assert all(t.cpsr & (1 << 5) for t in trace), f"on {sim}: a retirement left Thumb state"

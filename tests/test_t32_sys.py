"""tests/data/t32_sys_probe.S on the RTL SoC in lockstep with QEMU (both simulators): the T32
encodings arm_t32_expand turns into A32 SRS/RFE (round trips through SVC and Abort mode),
CPS/CPS.W, SMULxy/SMLAxy/SMULWy/SMLAWy/SMLALxy, SMMUL/SMMLA/SMMLS, UMAAL, PKHBT/PKHTB and
LDREX/STREX of each size, SRS/RFE inside IT blocks (the IT condition honoured), run from
Thumb code entered at a `.thumb_func _start`; and
tests/data/t32_mem_probe.S: the load/store forms the expander passes in its side band
(LDREXD/STREXD with any pair, LDREX/STREX [Rn, #imm8*4], the LDRT/STRT family as PL0
accesses without writeback under a stage-1 MMU, Permission faults on a PL1-only alias).
Both include tests/data/t32_probe_lib.S (the semihosting print/exit helpers).

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
DATA = REPO / "tests" / "data"
PROBE = DATA / "t32_sys_probe.S"
MEM_PROBE = DATA / "t32_mem_probe.S"

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
    "svc4 r0 00000040",
    "svc4 cpsr 600001df",
    "srsne skipped, sp moved 00000000",
    "srseq taken, sp moved 00000008",
    "smulbb c001fffd",
    "smulbt 3ffe8002",
    "smultb 3ffe0003",
    "smultt c0017ffe",
    "smlabt 5232d67a",
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
            "ldrexd", "strexd", "srsdbne", "srsdbeq", "rfeiane", "rfeiaeq")

pytestmark = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc missing")


#: QEMU's transcript of the memory probe
MEM_QEMU_LINES = [
    "ldrexd r9 000012fe",
    "ldrexd r4 7ffffffd",
    "strexd r9,r8 00000000",
    "word0 0000130e",
    "word1 8000001d",
    "ldrexd ip 0000130e",
    "ldrexd lr 8000001d",
    "strexd r7,r7 00000000",
    "word0 5a5aa5a5",
    "word1 5a5aa5a5",
    "strexd after clrex 00000001",
    "word0 5a5aa5a5",
    "word1 5a5aa5a5",
    "strexd r9,r3 00000000",
    "ldrexd r3 5a5aa5a5",
    "ldrexd r7 5a5aa5a5",
    "word0 0badf00d",
    "word1 5a5aa5a5",
    "strex #4 00000000",
    "word@4 00000005",
    "strex #1020 00000000",
    "word@1020 00000007",
    "strex same address 00000000",
    "word@8 00000109",
    "strex other address 00000001",
    "ldrt #0 8180f2f1",
    "ldrt #4 a5c3e1f7",
    "ldrbt #5 000000e1",
    "ldrht #6 0000a5c3",
    "ldrsbt #7 ffffffa5",
    "ldrsht #10 ffff8001",
    "ldrt #3 c3e1f781",
    "ldrt #255 00000000",
    "rn moved 00000000",
    "strt #12 c0ffee11",
    "strbt #16 55667711",
    "strht #22 ee11bbcc",
    "pl1-only ldr a5c3e1f7",
    "ldrt fault r4 77777777",
    "dfsr 0000020d",
    "dfar 80001a0c",
    "dfsr 00000a0d",
    "dfar 80001a10",
    "word@8 80017f80",
    "dfsr 0000020d",
    "dfar 80001a0a",
    "faults 00000003",
]

#: T32 forms the memory probe must contain (objdump text, registers and offsets included)
MEM_FORMS = ("ldrexd\tr9, r4,", "strexd\tr5, r9, r8,", "ldrexd\tip, lr,", "strexd\tr5, r7, r7,",
             "strexd\tr5, r9, r3,", "ldrex\tr4, [r6, #4]", "strex\tr5, r4, [r6, #1020]",
             "strex\tr5, r4, [r7, #4]", "ldrt\t", "ldrbt\t", "ldrht\t", "ldrsbt\t", "ldrsht\t", "strt\t",
             "strbt\t", "strht\t")


def _build(out: Path, src: Path = PROBE) -> Path:
    subprocess.run(["arm-none-eabi-gcc", "-march=armv7ve", "-mthumb", "-nostdlib", "-nostartfiles",
                    f"-Wa,-I{DATA}", "-Wl,-Ttext=0x40000000", str(src), "-o", str(out)], check=True)
    return out


def _run(sim: str, elf: Path, work_dir: Path, expected: list[str]) -> None:
    res = run_elf(elf, RunOptions(sim=sim, compare_qemu=True, work_dir=work_dir / "run", max_cycles=200_000))
    assert res.exit_code == EXIT_OK, f"on {sim}: exit {res.exit_code}\n{res.message}\n{res.console!r}"
    assert res.compare is not None and res.compare.compared == res.outcome.retired > 0
    assert res.console.decode().splitlines() == expected
    trace = [t for t in read_trace(res.outcome.trace) if isinstance(t, RetireTxn)]
    assert trace[0].cpsr & (1 << 5), f"on {sim}: first retirement not in Thumb state"
    assert all(t.cpsr & (1 << 5) for t in trace), f"on {sim}: a retirement left Thumb state"


def test_probe_uses_the_t32_encodings(tmp_path: Path) -> None:
    elf = _build(tmp_path / "sys_probe.elf")
    dis = subprocess.run(["arm-none-eabi-objdump", "-d", str(elf)], check=True, capture_output=True,
                         text=True).stdout
    seen = {m.group(1) for m in re.finditer(r"^\s*[0-9a-f]+:\t[0-9a-f]{4} [0-9a-f]{4}\s*\t(\S+)", dis, re.M)}
    missing = [m for m in EXPANDED if m not in seen]
    assert not missing, f"not assembled as 32-bit T32: {missing}"


def test_sys_probe_matches_qemu(sim: str, work_dir: Path) -> None:
    _run(sim, _build(work_dir / "sys_probe.elf"), work_dir, QEMU_LINES)


def test_mem_probe_uses_the_t32_forms(tmp_path: Path) -> None:
    elf = _build(tmp_path / "mem_probe.elf", MEM_PROBE)
    dis = subprocess.run(["arm-none-eabi-objdump", "-d", str(elf)], check=True, capture_output=True,
                         text=True).stdout
    missing = [f for f in MEM_FORMS if f not in dis]
    assert not missing, f"not in the probe: {missing}"


def test_mem_probe_matches_qemu(sim: str, work_dir: Path) -> None:
    _run(sim, _build(work_dir / "mem_probe.elf", MEM_PROBE), work_dir, MEM_QEMU_LINES)

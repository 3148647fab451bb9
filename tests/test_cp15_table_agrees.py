"""One encoding per CP15 register: the RTL decode (rtl/core/arm_cp15.sv), the firmware's
accessors (firmware/include/cp15.h), the host's trapped-register table
(firmware/host/coproc.c) and the generic-timer model (tb/models/generic_timer.py) must
give every register the encoding tb/models/cp15_regs.py gives it. Each checker reads the
source text, so the last test feeds each one a copy with one encoding typed wrongly and
expects it named."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hypsim.models import cp15_regs, generic_timer
from hypsim.models.cp15_regs import Cp15Reg

REPO = Path(__file__).resolve().parent.parent
RTL = REPO / "rtl/core/arm_cp15.sv"
C_ACCESSORS = REPO / "firmware/include/cp15.h"
C_COPROC = REPO / "firmware/host/coproc.c"

# the RTL's W_/H_ storage selects whose name is not the ARM ARM name
SV_ALIASES = {"CTXID": "CONTEXTIDR", "HTTBR": "HTTBR", "VTTBR": "VTTBR"}


def _check(where: str, name: str, seen: Cp15Reg) -> list[str]:
    try:
        want = cp15_regs.reg(name)
    except KeyError:
        return [f"{where}: {name} is not in tb/models/cp15_regs.py"]
    if (want.is64, want.key) != (seen.is64, seen.key):
        return [f"{where}: {name} encoded {_fmt(seen)}, tb/models/cp15_regs.py says {_fmt(want)}"]
    return []


def _at(where: str, src: str, pos: int) -> str:
    return f"{where} line {src.count(chr(10), 0, pos) + 1}"


def _fmt(r: Cp15Reg) -> str:
    if r.is64:
        return f"MRRC/MCRR opc1={r.opc1} CRm=c{r.crm}"
    return f"MRC/MCR opc1={r.opc1} CRn=c{r.crn} CRm=c{r.crm} opc2={r.opc2}"


def check_rtl(src: str, where: str = "rtl/core/arm_cp15.sv") -> tuple[int, list[str]]:
    """The 32-bit decode rows `{CRn, opc1, CRm, opc2, ...}`, the 64-bit rows `{opc1, CRm}`
    and the ID_* rows of the c0 feature space; the name is the storage select (W_x/H_x),
    else the row's comment."""
    problems: list[str] = []
    n = 0
    for m in re.finditer(r"\{4'd(\d+),\s*3'd(\d),\s*4'd(\d+),\s*3'd(\d),\s*2'b00\}:\s*begin(.*?)end(.*)$",
                         src, re.M):
        crn, opc1, crm, opc2 = (int(m.group(i)) for i in range(1, 5))
        sel = re.search(r"\b[wh]sel = [WH]_(\w+)", m.group(5))
        name = SV_ALIASES.get(sel.group(1), sel.group(1)) if sel else \
            "CBAR" if "sel_cbar" in m.group(5) else re.match(r"\s*//\s*(\w+)", m.group(6)).group(1)
        n += 1
        problems += _check(_at(where, src, m.start()), name,
                           Cp15Reg(name, crn, opc1, crm, opc2))
    for m in re.finditer(r"\{3'd(\d),\s*4'd(\d+)\}:\s*begin(.*?)end", src):
        sel = re.search(r"wsel = W_(\w+)|sel_(httbr|vttbr)", m.group(3))
        name = f"{sel.group(1)}_64" if sel.group(1) else sel.group(2).upper()
        n += 1
        problems += _check(_at(where, src, m.start()), name,
                           Cp15Reg(name, 0, int(m.group(1)), int(m.group(2)), 0, is64=True))
    for m in re.finditer(r"6'o(\d)(\d):\s*rdata = (ID_\w+);", src):
        n += 1
        name = m.group(3)
        problems += _check(_at(where, src, m.start()), name,
                           Cp15Reg(name, 0, 0, int(m.group(1)), int(m.group(2))))
    return n, problems


def check_accessors(src: str, where: str = "firmware/include/cp15.h") -> tuple[int, list[str]]:
    """`#define read_x() read_cp15(o1, cN, cM, o2)` and friends: x (upper case) is the
    register or operation; a 64-bit access to a register with a 32-bit view is x_64."""
    problems: list[str] = []
    n = 0
    for m in re.finditer(r"^#define\s+(\w+)\([^)]*\)\s+(?:read|write)_cp15(_64)?\(([^)]*)\)", src, re.M):
        name = re.sub(r"^(read|write)_", "", m.group(1)).upper()
        args = [a.strip() for a in m.group(3).split(",")]
        if m.group(2):
            seen = Cp15Reg(name, 0, int(args[0]), int(args[1].lstrip("c")), 0, is64=True)
            if name in cp15_regs.BY_NAME and not cp15_regs.BY_NAME[name].is64:
                name = f"{name}_64"
        else:
            seen = Cp15Reg(name, int(args[1].lstrip("c")), int(args[0]), int(args[2].lstrip("c")), int(args[3]))
        n += 1
        problems += _check(f"{where}: {m.group(1)}", name, seen)
    return n, problems


def check_coproc(src: str, where: str = "firmware/host/coproc.c") -> tuple[int, list[str]]:
    """The host's `{ crn, crm, opc1, opc2, is_64, access, "NAME" }` rows."""
    problems: list[str] = []
    n = 0
    for m in re.finditer(r"\{\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*([01]),\s*\w+,\s*\"(\w+)\"\s*\}", src):
        crn, crm, opc1, opc2, is64 = (int(m.group(i)) for i in range(1, 6))
        n += 1
        problems += _check(f"{where}: {m.group(6)}", m.group(6), Cp15Reg(m.group(6), crn, opc1, crm, opc2, bool(is64)))
    return n, problems


def test_rtl_decode_matches_the_table() -> None:
    n, problems = check_rtl(RTL.read_text())
    assert not problems, "\n".join(problems)
    assert n >= 60, f"expected the RTL's 60-odd decode rows, parsed {n}: has arm_cp15.sv's decode changed form?"


def test_firmware_accessors_match_the_table() -> None:
    n, problems = check_accessors(C_ACCESSORS.read_text())
    assert not problems, "\n".join(problems)
    assert n >= 35, f"expected cp15.h's 39 accessors, parsed {n}"


def test_host_trapped_register_table_matches() -> None:
    n, problems = check_coproc(C_COPROC.read_text())
    assert not problems, "\n".join(problems)
    assert n >= 7, f"expected coproc.c's 7 trapped registers, parsed {n}"


def test_generic_timer_model_matches() -> None:
    problems: list[str] = []
    for r in generic_timer.REGISTERS:
        seen = Cp15Reg(r.name, 0, r.opc1, r.crm, 0, True) if r.is64 else Cp15Reg(r.name, r.crn, r.opc1, r.crm, r.opc2)
        problems += _check("tb/models/generic_timer.py", r.name, seen)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path, checker, good, bad, named", [
    (RTL, check_rtl, "{4'd1,  3'd4, 4'd1, 3'd3, 2'b00}: begin rdata = hstr_q;",
     "{4'd1,  3'd4, 4'd1, 3'd5, 2'b00}: begin rdata = hstr_q;", "HSTR encoded MRC/MCR opc1=4 CRn=c1 CRm=c1 opc2=5"),
    (C_ACCESSORS, check_accessors, "read_cp15(4, c6, c0, 4)", "read_cp15(4, c6, c0, 3)",
     "read_hpfar: HPFAR encoded MRC/MCR opc1=4 CRn=c6 CRm=c0 opc2=3"),
    (C_COPROC, check_coproc, '{ 9,  0, 1, 2, 0, access_l2ctlr, "L2CTLR" }',
     '{ 9,  0, 1, 1, 0, access_l2ctlr, "L2CTLR" }', "L2CTLR encoded MRC/MCR opc1=1 CRn=c9 CRm=c0 opc2=1"),
])
def test_a_wrong_encoding_is_named(path: Path, checker, good: str, bad: str, named: str) -> None:
    src = path.read_text()
    assert src.count(good) == 1, f"{path.name} no longer holds {good!r}: update this test"
    _, problems = checker(src.replace(good, bad))
    assert len(problems) == 1 and named in problems[0], problems
    assert "tb/models/cp15_regs.py says" in problems[0]

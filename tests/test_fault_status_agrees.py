"""One meaning per fault-status code (ARM ARM B3.13.3, table B3-24 "Long-descriptor
format FSR encodings"): the MMU's FT_* (rtl/mmu/mmu.sv), the hypervisor's FSC_*
(firmware/include/kvm_arm.h, as KVM/ARM's kvm_arm.h) and the translation model's
FaultType (tb/models/mmu_faults.py) give each fault type the same FS[5:2]."""
from __future__ import annotations

import re
from pathlib import Path

from hypsim.models.mmu_faults import FaultType

REPO = Path(__file__).resolve().parent.parent
SV = REPO / "rtl/mmu/mmu.sv"
C_HEADER = REPO / "firmware/include/kvm_arm.h"

# RTL name, C name (None: the hypervisor never decodes it) -> FaultType
TYPES = {"FT_TRANS": ("FSC_TRANS", FaultType.TRANSLATION), "FT_AF": ("FSC_ACCESS", FaultType.ACCESS_FLAG),
         "FT_PERM": ("FSC_PERM", FaultType.PERMISSION), "FT_EXT": (None, FaultType.EXT_ABORT_WALK)}


def fault_type_problems(sv_src: str, c_src: str) -> list[str]:
    """Every disagreement between mmu.sv's FT_*, kvm_arm.h's FSC_* and FaultType."""
    sv = {n: int(v, 2) for n, v in re.findall(r"\b(FT_\w+)\s*=\s*4'b([01]+)", sv_src)}
    c = {n: int(v, 16) for n, v in re.findall(r"#define\s+(FSC_\w+)\s+0x([0-9a-fA-F]+)u", c_src)}
    if set(sv) != set(TYPES):
        return [f"rtl/mmu/mmu.sv FT_* {sorted(sv)}, expected {sorted(TYPES)}"]
    problems = []
    for name, (cname, ftype) in TYPES.items():
        if sv[name] != ftype.value:
            problems.append(f"rtl/mmu/mmu.sv {name} = {sv[name]:#06b}, "
                            f"tb/models/mmu_faults.py FaultType.{ftype.name} = {ftype.value:#06b}")
        if cname is not None and c.get(cname) != ftype.value << 2:
            seen = f"{c[cname]:#04x}" if cname in c else "missing"
            problems.append(f"kvm_arm.h {cname} = {seen}, FaultType.{ftype.name} << 2 = {ftype.value << 2:#04x}")
    return problems


def test_fault_types_agree() -> None:
    problems = fault_type_problems(SV.read_text(), C_HEADER.read_text())
    assert not problems, "\n".join(problems)


def test_a_wrong_fault_code_is_named() -> None:
    sv, c = SV.read_text(), C_HEADER.read_text()
    assert sv.count("FT_PERM = 4'b0011") == 1 and c.count("FSC_ACCESS   0x08u") == 1, "sources changed: update this test"
    assert fault_type_problems(sv.replace("FT_PERM = 4'b0011", "FT_PERM = 4'b0100"), c) == [
        "rtl/mmu/mmu.sv FT_PERM = 0b0100, tb/models/mmu_faults.py FaultType.PERMISSION = 0b0011"]
    assert fault_type_problems(sv, c.replace("FSC_ACCESS   0x08u", "FSC_ACCESS   0x0cu")) == [
        "kvm_arm.h FSC_ACCESS = 0x0c, FaultType.ACCESS_FLAG << 2 = 0x08"]

"""One meaning per fault-status code (ARM ARM B3.13.3, table B3-24 "Long-descriptor
format FSR encodings"): the MMU's FT_* (rtl/mmu/mmu.sv), the hypervisor's FSC_*
(firmware/include/kvm_arm.h, as KVM/ARM's kvm_arm.h) and the translation model's
FaultType (tb/models/mmu_faults.py) give each fault type the same FS[5:2]."""
from __future__ import annotations

import re
from pathlib import Path

from hypsim.models.mmu_faults import FaultType

REPO = Path(__file__).resolve().parent.parent

# RTL name, C name (None: the hypervisor never decodes it) -> FaultType
TYPES = {"FT_TRANS": ("FSC_TRANS", FaultType.TRANSLATION), "FT_AF": ("FSC_ACCESS", FaultType.ACCESS_FLAG),
         "FT_PERM": ("FSC_PERM", FaultType.PERMISSION), "FT_EXT": (None, FaultType.EXT_ABORT_WALK)}


def test_fault_types_agree() -> None:
    sv = {n: int(v, 2) for n, v in re.findall(r"\b(FT_\w+)\s*=\s*4'b([01]+)", (REPO / "rtl/mmu/mmu.sv").read_text())}
    c = {n: int(v, 16) for n, v in re.findall(r"#define\s+(FSC_\w+)\s+0x([0-9a-fA-F]+)u",
                                              (REPO / "firmware/include/kvm_arm.h").read_text())}
    assert set(sv) == set(TYPES), f"rtl/mmu/mmu.sv FT_* {sorted(sv)}, expected {sorted(TYPES)}"
    for name, (cname, ftype) in TYPES.items():
        assert sv[name] == ftype.value, \
            f"rtl/mmu/mmu.sv {name} = {sv[name]:#06b}, tb/models/mmu_faults.py FaultType.{ftype.name} = {ftype.value:#06b}"
        if cname is not None:
            assert c[cname] == ftype.value << 2, \
                f"kvm_arm.h {cname} = {c[cname]:#04x}, FaultType.{ftype.name} << 2 = {ftype.value << 2:#04x}"

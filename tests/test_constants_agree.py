"""One meaning per constant: the HCR bit positions and HSR exception classes
written in the RTL (rtl/core/arm_core.sv, arm_cp15.sv), the hypervisor
(firmware/include/kvm_arm.h) and the testbench's model (tb/models/hsr.py)
must agree, so a fix in one place cannot leave the others behind."""
from __future__ import annotations

import re
from pathlib import Path

from hypsim.models.hsr import EC, HCR

REPO = Path(__file__).resolve().parent.parent
C_HEADER = REPO / "firmware/include/kvm_arm.h"
SV_FILES = (REPO / "rtl/core/arm_core.sv", REPO / "rtl/core/arm_cp15.sv")

# names in kvm_arm.h and in the RTL -> tb/models/hsr.py's EC names
C_EC = {"EC_UNKNOWN": "UNKNOWN", "EC_WFX": "WFI_WFE", "EC_CP15_32": "MCR_MRC_CP15", "EC_CP15_64": "MCRR_MRRC_CP15",
        "EC_CP14_MR": "MCR_MRC_CP14", "EC_CP14_LS": "LDC_STC_CP14", "EC_CP_0_13": "HCPTR", "EC_CP10_ID": "VMRS",
        "EC_JAZELLE": "JAZELLE", "EC_CP14_64": "MRRC_CP14", "EC_SVC_HYP": "SVC_HYP", "EC_HVC": "HVC",
        "EC_SMC": "SMC", "EC_IABT": "IABT_LOWER", "EC_IABT_HYP": "IABT_HYP", "EC_DABT": "DABT_LOWER",
        "EC_DABT_HYP": "DABT_HYP"}
SV_EC = {"EC_UNKNOWN": "UNKNOWN", "EC_WFX": "WFI_WFE", "EC_CP15": "MCR_MRC_CP15", "EC_CP15_64": "MCRR_MRRC_CP15",
         "EC_HCPTR": "HCPTR", "EC_VMRS_ID": "VMRS", "EC_SVC_HYP": "SVC_HYP", "EC_HVC": "HVC", "EC_SMC": "SMC",
         "EC_IABT_CUR": "IABT_HYP", "EC_DABT_CUR": "DABT_HYP"}


def _c_defines() -> dict[str, int]:
    out = {}
    for m in re.finditer(r"^#define\s+(\w+)\s+(?:\(1u << (\d+)\)|(0x[0-9a-fA-F]+|\d+))\s*(?:/\*.*)?$",
                         C_HEADER.read_text(), re.M):
        out[m.group(1)] = (1 << int(m.group(2))) if m.group(2) else int(m.group(3), 0)
    return out


def _sv_params() -> dict[str, int]:
    out: dict[str, int] = {}
    for f in SV_FILES:
        for name, val in re.findall(r"\b((?:HCR|EC)_\w+)\s*=\s*(6'h[0-9a-fA-F]+|\d+)\b", f.read_text()):
            v = int(val[3:], 16) if val.startswith("6'h") else int(val)
            assert out.setdefault(name, v) == v, f"{name} has two values in the RTL"
    return out


def test_hcr_bits_agree() -> None:
    c, sv = _c_defines(), _sv_params()
    for bit in HCR:
        assert c[f"HCR_{bit.name}"] == bit.value, f"kvm_arm.h HCR_{bit.name}"
        if f"HCR_{bit.name}" in sv:
            assert 1 << sv[f"HCR_{bit.name}"] == bit.value, f"RTL HCR_{bit.name}"
    assert sum(f"HCR_{b.name}" in sv for b in HCR) >= 15      # the RTL names most of them


def test_exception_classes_agree() -> None:
    c, sv = _c_defines(), _sv_params()
    for cname, pyname in C_EC.items():
        assert c[cname] == EC[pyname], f"kvm_arm.h {cname} = {c[cname]:#x}, hsr.py EC.{pyname} = {EC[pyname]:#x}"
    for svname, pyname in SV_EC.items():
        assert sv[svname] == EC[pyname], f"RTL {svname} = {sv[svname]:#x}, hsr.py EC.{pyname} = {EC[pyname]:#x}"


def test_exception_types_of_the_retire_port_agree() -> None:
    """tb/trace.py's ExcType is the exc_type_o encoding of rtl/core/arm_core.sv."""
    from hypsim.trace import ExcType
    src = (REPO / "rtl/core/arm_core.sv").read_text()
    rtl = {m[0]: int(m[1]) for m in re.findall(r"\bEXC_([A-Z]+)\s*=\s*3'd(\d)", src)}
    assert rtl == {t.name: t.value for t in ExcType}, f"RTL EXC_* {rtl} vs trace.ExcType"


def test_assembly_abort_syndromes_agree() -> None:
    """firmware/lib/lpae.h's in-place HSR.EC values (for the MMU programs in
    assembly, which cannot include kvm_arm.h's C-suffixed constants) match
    tb/models/hsr.py."""
    src = (REPO / "firmware/lib/lpae.h").read_text()
    found = dict(re.findall(r"#define\s+HSR_EC_(\w+)\s+\((0x[0-9a-fA-F]+) << 26\)", src))
    want = {"IABT_LOW": EC.IABT_LOWER, "IABT_HYP": EC.IABT_HYP, "DABT_LOW": EC.DABT_LOWER, "DABT_HYP": EC.DABT_HYP}
    assert {k: int(v, 16) for k, v in found.items()} == {k: int(v) for k, v in want.items()}, found

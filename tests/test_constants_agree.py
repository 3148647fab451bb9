"""One meaning per constant: the HCR bit positions, HSR exception classes and
exception types written in the RTL (rtl/core/arm_pkg.sv, the one SystemVerilog
home of them), the hypervisor (firmware/include/kvm_arm.h) and the testbench
(tb/models/hsr.py, tb/trace.py) must agree, so a fix in one place cannot leave
the others behind. Every mismatch names the constant, both values and both files."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hypsim.models.hsr import EC, HCR

REPO = Path(__file__).resolve().parent.parent
C_HEADER = REPO / "firmware/include/kvm_arm.h"
SV_PKG = REPO / "rtl/core/arm_pkg.sv"
RTL_DIR = REPO / "rtl/core"
PY_HSR = "tb/models/hsr.py"

# names in kvm_arm.h -> tb/models/hsr.py's EC names
C_EC = {"EC_UNKNOWN": "UNKNOWN", "EC_WFX": "WFI_WFE", "EC_CP15_32": "MCR_MRC_CP15", "EC_CP15_64": "MCRR_MRRC_CP15",
        "EC_CP14_MR": "MCR_MRC_CP14", "EC_CP14_LS": "LDC_STC_CP14", "EC_CP_0_13": "HCPTR", "EC_CP10_ID": "VMRS",
        "EC_JAZELLE": "JAZELLE", "EC_CP14_64": "MRRC_CP14", "EC_SVC_HYP": "SVC_HYP", "EC_HVC": "HVC",
        "EC_SMC": "SMC", "EC_IABT": "IABT_LOWER", "EC_IABT_HYP": "IABT_HYP", "EC_DABT": "DABT_LOWER",
        "EC_DABT_HYP": "DABT_HYP"}
# names in arm_pkg.sv -> tb/models/hsr.py's EC names (the whole table)
SV_EC = {"EC_UNKNOWN": "UNKNOWN", "EC_WFX": "WFI_WFE", "EC_CP15": "MCR_MRC_CP15", "EC_CP15_64": "MCRR_MRRC_CP15",
         "EC_CP14_MR": "MCR_MRC_CP14", "EC_CP14_LS": "LDC_STC_CP14", "EC_HCPTR": "HCPTR",
         "EC_VMRS_ID": "VMRS", "EC_JAZELLE": "JAZELLE", "EC_CP14_64": "MRRC_CP14", "EC_SVC_HYP": "SVC_HYP",
         "EC_HVC": "HVC", "EC_SMC": "SMC", "EC_IABT_LOWER": "IABT_LOWER", "EC_IABT_CUR": "IABT_HYP",
         "EC_DABT_LOWER": "DABT_LOWER", "EC_DABT_CUR": "DABT_HYP"}


def _c_defines() -> dict[str, int]:
    out = {}
    for m in re.finditer(r"^#define\s+(\w+)\s+(?:\(1u << (\d+)\)|(0x[0-9a-fA-F]+|\d+))\s*(?:/\*.*)?$",
                         C_HEADER.read_text(), re.M):
        out[m.group(1)] = (1 << int(m.group(2))) if m.group(2) else int(m.group(3), 0)
    return out


def _sv_value(text: str) -> int:
    m = re.fullmatch(r"(?:\d+'([hdb]))?([0-9a-fA-F_]+)", text)
    assert m, f"cannot read the SystemVerilog number {text!r}"
    base = {"h": 16, "d": 10, "b": 2, None: 10}[m.group(1)]
    return int(m.group(2).replace("_", ""), base)


def _sv_params(path: Path = SV_PKG) -> dict[str, int]:
    """NAME = value pairs of the localparams of an RTL file (HCR_*, EC_*, EXC_*, ...)."""
    out: dict[str, int] = {}
    for name, val in re.findall(r"\b((?:HCR|EC|EXC|SCTLR|HSCTLR)_\w+)\s*=\s*(\d+'[hdb][0-9a-fA-F_]+|\d+)\b",
                                path.read_text()):
        v = _sv_value(val)
        assert out.setdefault(name, v) == v, f"{name} has two values in {path.relative_to(REPO)}"
    return out


def test_constants_live_only_in_the_package() -> None:
    """No RTL file under rtl/core but arm_pkg.sv defines HCR_*/EC_*/EXC_* again (a second copy
    could drift from the one checked here)."""
    for f in sorted(RTL_DIR.glob("*.sv")):
        if f != SV_PKG:
            again = sorted(n for n in _sv_params(f) if n.split("_")[0] in ("HCR", "EC", "EXC"))
            assert not again, f"{f.relative_to(REPO)} redefines {again}: use arm_pkg"


def test_hcr_bits_agree() -> None:
    c, sv = _c_defines(), _sv_params()
    for bit in HCR:
        name = f"HCR_{bit.name}"
        assert name in c, f"{name} (hsr.py HCR.{bit.name} = {bit.value:#x}) missing from kvm_arm.h"
        assert c[name] == bit.value, \
            f"{name}: firmware/include/kvm_arm.h = {c[name]:#x}, {PY_HSR} HCR.{bit.name} = {bit.value:#x}"
        assert name in sv, f"{name} (hsr.py HCR.{bit.name} = {bit.value:#x}) missing from rtl/core/arm_pkg.sv"
        assert 1 << sv[name] == bit.value, \
            f"{name}: rtl/core/arm_pkg.sv bit {sv[name]} = {1 << sv[name]:#x}, {PY_HSR} HCR.{bit.name} = {bit.value:#x}"
    for name, bitpos in sv.items():
        if name.startswith("HCR_") and name in c:
            assert c[name] == 1 << bitpos, \
                f"{name}: rtl/core/arm_pkg.sv bit {bitpos} = {1 << bitpos:#x}, firmware/include/kvm_arm.h = {c[name]:#x}"


def test_exception_classes_agree() -> None:
    c, sv = _c_defines(), _sv_params()
    for cname, pyname in C_EC.items():
        assert c[cname] == EC[pyname], \
            f"{cname}: firmware/include/kvm_arm.h = {c[cname]:#x}, {PY_HSR} EC.{pyname} = {EC[pyname]:#x}"
    for svname, pyname in SV_EC.items():
        assert svname in sv, f"{svname} missing from rtl/core/arm_pkg.sv"
        assert sv[svname] == EC[pyname], \
            f"{svname}: rtl/core/arm_pkg.sv = {sv[svname]:#x}, {PY_HSR} EC.{pyname} = {EC[pyname]:#x}"
    # every EC the package names is in the table, and the package names the whole Python table
    assert {n for n in sv if n.startswith("EC_")} == set(SV_EC), "arm_pkg.sv EC_* names vs this test's SV_EC"
    assert set(SV_EC.values()) == {e.name for e in EC}, f"{PY_HSR} EC has classes arm_pkg.sv does not name"


def test_exception_types_of_the_retire_port_agree() -> None:
    """tb/trace.py's ExcType is the exc_type_o encoding (arm_pkg's EXC_*)."""
    from hypsim.trace import ExcType
    rtl = {name[4:]: v for name, v in _sv_params().items() if name.startswith("EXC_")}
    py = {t.name: t.value for t in ExcType}
    for name in sorted(set(rtl) | set(py)):
        assert rtl.get(name) == py.get(name), \
            f"EXC_{name}: rtl/core/arm_pkg.sv = {rtl.get(name)}, tb/trace.py ExcType.{name} = {py.get(name)}"


def test_assembly_abort_syndromes_agree() -> None:
    """firmware/lib/lpae.h's in-place HSR.EC values (for the MMU programs in
    assembly, which cannot include kvm_arm.h's C-suffixed constants) match
    tb/models/hsr.py."""
    src = (REPO / "firmware/lib/lpae.h").read_text()
    found = dict(re.findall(r"#define\s+HSR_EC_(\w+)\s+\((0x[0-9a-fA-F]+) << 26\)", src))
    want = {"IABT_LOW": EC.IABT_LOWER, "IABT_HYP": EC.IABT_HYP, "DABT_LOW": EC.DABT_LOWER, "DABT_HYP": EC.DABT_HYP}
    assert {k: int(v, 16) for k, v in found.items()} == {k: int(v) for k, v in want.items()}, found


# ---------------------------------------------------------------- PSCI (issue 14)
# One set of PSCI function ids and return values, written three times: the SoC's PSCI
# firmware stand-in (rtl/soc/soc_psci.sv F_*/R_*), the two-core programs that call it
# (firmware/smp/smp.h PSCI_*) and the hypervisor's PSCI for vCPUs (firmware/host/psci.c
# PSCI_*/PSCI_RET_*), which answers a guest as QEMU's firmware answers the host.
SV_PSCI = REPO / "rtl/soc/soc_psci.sv"
SMP_H = REPO / "firmware/smp/smp.h"
HOST_PSCI = REPO / "firmware/host/psci.c"
# soc_psci.sv return-value names -> the C names (smp.h, host/psci.c)
PSCI_RET = {"R_SUCCESS": ("PSCI_SUCCESS", "PSCI_RET_SUCCESS"),
            "R_NOT_SUPPORTED": ("PSCI_NOT_SUPPORTED", "PSCI_RET_NOT_SUPPORTED"),
            "R_INVALID": ("PSCI_INVALID_PARAMETERS", "PSCI_RET_INVALID_PARAMS"),
            "R_ALREADY_ON": ("PSCI_ALREADY_ON", "PSCI_RET_ALREADY_ON"),
            "R_VERSION": (None, "PSCI_VERSION_1_1"),
            "R_MIGRATE_INFO_TYPE": (None, "PSCI_TOS_MIGRATION_NOT_REQUIRED")}


def _psci_sv(text: str) -> dict[str, int]:
    """soc_psci.sv's F_*/R_* localparams, as unsigned 32-bit values."""
    out: dict[str, int] = {}
    for name, val in re.findall(r"\b([FR]_\w+)\s*=\s*(\d+'[hdb][0-9a-fA-F_]+)", text):
        out[name] = _sv_value(val)
    return out


def _psci_c(text: str) -> dict[str, int]:
    """#define PSCI_* of a C file, as unsigned 32-bit values ((-n) included)."""
    out: dict[str, int] = {}
    for name, val in re.findall(r"^#define\s+(PSCI_\w+)\s+\(?(-?(?:0x[0-9a-fA-F]+|\d+))u?\)?", text, re.M):
        out[name] = int(val, 0) & 0xffff_ffff
    return out


def _psci_features_c(text: str) -> set[str]:
    body = re.search(r"static int implemented\(uint32_t fn\)\s*\{(.*?)return 1;", text, re.S)
    assert body, "firmware/host/psci.c: implemented() not found"
    return set(re.findall(r"case (PSCI_\w+):", body.group(1)))


def _psci_features_sv(text: str) -> set[str]:
    body = re.search(r"F_FEATURES: begin\s*case \(a1\)(.*?): ret = R_SUCCESS;", text, re.S)
    assert body, "rtl/soc/soc_psci.sv: the F_FEATURES case not found"
    return set(re.findall(r"\b(F_\w+)", body.group(1)))


def psci_disagreements(sv_text: str, smp_text: str, host_text: str) -> list[str]:
    """Every difference between the three PSCI tables, one line each (empty: they agree)."""
    sv, smp, host = _psci_sv(sv_text), _psci_c(smp_text), _psci_c(host_text)
    bad = []
    fns = {n: v for n, v in sv.items() if n.startswith("F_")}
    if not fns:
        bad.append("rtl/soc/soc_psci.sv: no F_* function ids found")
    for n, v in fns.items():
        c = "PSCI_" + n[2:]
        if host.get(c) != v:
            bad.append(f"{c}: rtl/soc/soc_psci.sv {n} = {v:#x}, firmware/host/psci.c = "
                       f"{'missing' if c not in host else hex(host[c])}")
        if c in smp and smp[c] != v:
            bad.append(f"{c}: rtl/soc/soc_psci.sv {n} = {v:#x}, firmware/smp/smp.h = {smp[c]:#x}")
    for c, v in list(smp.items()) + list(host.items()):
        if v >> 24 == 0x84 and "F_" + c[5:] not in fns:
            bad.append(f"{c} = {v:#x} has no F_{c[5:]} in rtl/soc/soc_psci.sv")
    for rn, (smp_name, host_name) in PSCI_RET.items():
        if rn not in sv:
            bad.append(f"{rn} missing from rtl/soc/soc_psci.sv")
            continue
        for where, table, cn in (("firmware/smp/smp.h", smp, smp_name), ("firmware/host/psci.c", host, host_name)):
            if cn is not None and table.get(cn) != sv[rn]:
                bad.append(f"{cn}: rtl/soc/soc_psci.sv {rn} = {sv[rn]:#x}, {where} = "
                           f"{'missing' if cn not in table else hex(table[cn])}")
    feat_sv = {"PSCI_" + n[2:] for n in _psci_features_sv(sv_text)}
    feat_c = _psci_features_c(host_text)
    if feat_sv != feat_c:
        bad.append(f"PSCI_FEATURES: rtl/soc/soc_psci.sv reports {sorted(feat_sv)}, "
                   f"firmware/host/psci.c {sorted(feat_c)}")
    return bad


def test_psci_constants_agree() -> None:
    bad = psci_disagreements(SV_PSCI.read_text(), SMP_H.read_text(), HOST_PSCI.read_text())
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("where,old,new,says", [
    ("sv", "F_CPU_ON = 32'h8400_0003", "F_CPU_ON = 32'h8400_0013", "PSCI_CPU_ON: rtl/soc/soc_psci.sv F_CPU_ON = 0x84000013"),
    ("smp", "#define PSCI_ALREADY_ON         (-4)", "#define PSCI_ALREADY_ON         (-3)", "PSCI_ALREADY_ON: rtl"),
    ("host", "#define PSCI_VERSION_1_1            0x00010001u", "#define PSCI_VERSION_1_1            0x00010000u",
     "PSCI_VERSION_1_1: rtl/soc/soc_psci.sv R_VERSION = 0x10001"),
    ("host", "case PSCI_SYSTEM_RESET: case PSCI_FEATURES:", "case PSCI_FEATURES:", "PSCI_FEATURES: rtl"),
])
def test_psci_drift_is_caught(where: str, old: str, new: str, says: str) -> None:
    texts = {"sv": SV_PSCI.read_text(), "smp": SMP_H.read_text(), "host": HOST_PSCI.read_text()}
    assert old in texts[where], f"the drift test's anchor {old!r} is gone from {where}"
    texts[where] = texts[where].replace(old, new)
    bad = psci_disagreements(texts["sv"], texts["smp"], texts["host"])
    assert any(says in b for b in bad), bad


def test_vcpu_psci_constants_agree_with_the_model() -> None:
    """What a vCPU gets from CPU_ON and AFFINITY_INFO (firmware/host/psci.c) is what the world-switch
    scoreboard expects (tb/models/psci.py); the state was measured on QEMU 7.2 -smp 2 (guests/smp.c)."""
    import re as _re
    from hypsim.models import psci
    text = HOST_PSCI.read_text()
    found = {m.group(1): int(m.group(2).rstrip("u"), 0) for m in
             _re.finditer(r"#define\s+(CPU_ON_CPSR|PSCI_AFFINITY_ON|PSCI_AFFINITY_OFF)\s+(0x[0-9a-fA-F]+u?|\d+u?)", text)}
    assert found == {"CPU_ON_CPSR": psci.CPU_ON_CPSR, "PSCI_AFFINITY_ON": psci.AFFINITY_ON,
                     "PSCI_AFFINITY_OFF": psci.AFFINITY_OFF}, found

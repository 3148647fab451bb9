"""The world-switch reference model (tb/models/world_switch.py) on its own.

Expected values come from the ARM ARM (exception entry, B1.9; the HSR ISS,
B3.13.6), from PSCI as QEMU 7.2 answers it (firmware/guests/psci.c prints
those answers natively, tests/test_guests_native.py), and from the firmware's
own header for HCR_GUEST (one source, checked here).
"""
from __future__ import annotations

import re

from hypsim.models.arm_state import CPSR_A, CPSR_I, Mode
from hypsim.models.hsr import EC, encode
from hypsim.models.world_switch import (CORE_FIELDS, HCR_GUEST, ExitKind, Served, extend, predict_resume,
                                        reset_context, rt_field)
from hypsim.simulator import REPO

GUEST = reset_context(0x4001_0000, 0x4080_0000)


def _ctx(**kw: int) -> dict[str, int]:
    c = dict(GUEST)
    c.update(pc=0x4001_0100, cpsr=Mode.SVC | CPSR_I, VBAR=0x4001_0000)
    c.update(kw)
    return c


def _c_expr(name: str) -> int:
    text = (REPO / "firmware/include/kvm_arm.h").read_text()
    bits = {m[0]: 1 << int(m[1]) for m in re.findall(r"#define\s+(HCR_\w+)\s+\(1u << (\d+)\)", text)}
    body = re.search(rf"#define\s+{name}\s+\((.*?)\)\s*\n(?!\s)", text, re.S)
    assert body, f"kvm_arm.h has no {name}"
    return sum({bits[n] for n in re.findall(r"HCR_\w+", body.group(1))})


def test_hcr_guest_is_the_firmware_header_s() -> None:
    assert HCR_GUEST == _c_expr("HCR_GUEST"), "tb/models/world_switch.HCR_GUEST differs from kvm_arm.h HCR_GUEST"


def test_context_covers_every_mode_s_registers_and_no_hyp_one() -> None:
    for name in ("r8_fiq", "lr_fiq", "sp_irq", "lr_und", "spsr_abt", "sp_usr", "lr_usr", "TPIDRPRW", "GICH_VMCR"):
        assert name in CORE_FIELDS
    for name in ("sp_hyp", "elr_hyp", "spsr_hyp", "HCR", "HVBAR"):
        assert name not in CORE_FIELDS


def test_mmio_read_sign_extends_per_sse_and_sas() -> None:
    # LDRSB r3 from IPA 0x0900_0018 (ISV, SAS=byte, SSE, SRT=3, read): the VMM served 0x90
    iss = (1 << 24) | (0 << 22) | (1 << 21) | (3 << 16)
    hsr = encode(EC.DABT_LOWER, iss)
    res = predict_resume(_ctx(), ExitKind.TRAP, hsr, Served(mmio_read=0x90), hxfar=0x0900_0018, hpfar=0x0090_0000 >> 0)
    assert res.expect == {"pc": 0x4001_0104, "r3": 0xFFFF_FF90}, res
    # the same without SSE: zero-extended; a halfword into r9 from FIQ mode lands in r9_fiq
    iss = (1 << 24) | (1 << 22) | (9 << 16)
    res = predict_resume(_ctx(cpsr=Mode.FIQ), ExitKind.TRAP, encode(EC.DABT_LOWER, iss), Served(mmio_read=0x18090),
                         hxfar=0x0900_0000, hpfar=0x0090_0000)
    assert res.expect == {"pc": 0x4001_0104, "r9_fiq": 0x8090}


def test_mmio_write_completes_and_ram_fault_reruns() -> None:
    wr = encode(EC.DABT_LOWER, (1 << 24) | (2 << 22) | (1 << 6))
    assert predict_resume(_ctx(), ExitKind.TRAP, wr, Served(), 0x0900_0000, 0x0090_0000).expect == {"pc": 0x4001_0104}
    ram = encode(EC.DABT_LOWER, (1 << 24) | (2 << 22) | 0x07)
    res = predict_resume(_ctx(), ExitKind.TRAP, ram, Served(), 0x4002_0010, 0x0040_0200)
    assert res.expect == {} and "guest RAM" in res.what


def test_fetch_from_nowhere_injects_a_prefetch_abort_b1_9_7() -> None:
    hsr = encode(EC.IABT_LOWER, 0x07)
    ctx = _ctx(cpsr=Mode.SVC | 0xF000_0000, TTBCR=0x8000_0000)
    res = predict_resume(ctx, ExitKind.TRAP, hsr, Served(), hxfar=0x2000_0000, hpfar=0x0200_0000)
    e = res.expect
    assert e["pc"] == 0x4001_000C and e["cpsr"] == 0xF000_0000 | Mode.ABT | CPSR_I | CPSR_A
    assert e["lr_abt"] == 0x4001_0104 and e["spsr_abt"] == ctx["cpsr"]
    assert e["IFSR"] == 0x210 and e["IFAR"] == 0x2000_0000          # LPAE format: external abort, bit 9
    # short-descriptor format, Hivecs
    ctx = _ctx(SCTLR=GUEST["SCTLR"] | (1 << 13))
    e = predict_resume(ctx, ExitKind.TRAP, hsr, Served(), hxfar=0x2000_0000, hpfar=0x0200_0000).expect
    assert e["pc"] == 0xFFFF_000C and e["IFSR"] == 0x08


def test_unknown_ec_injects_undefined_b1_9_6() -> None:
    res = predict_resume(_ctx(), ExitKind.TRAP, encode(EC.MCR_MRC_CP14, 0), Served())
    assert res.expect["pc"] == 0x4001_0004 and res.expect["lr_und"] == 0x4001_0104
    assert res.expect["cpsr"] & 0x1F == Mode.UND and res.expect["spsr_und"] == Mode.SVC | CPSR_I


def test_cp15_reads_of_emulated_registers() -> None:
    def mrc(opc1: int, crn: int, crm: int, opc2: int, rt: int) -> int:
        return encode(EC.MCR_MRC_CP15, (opc2 << 17) | (opc1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | 1)
    assert predict_resume(_ctx(), ExitKind.TRAP, mrc(4, 15, 0, 0, 5), Served()).expect == \
        {"pc": 0x4001_0104, "r5": 0x0800_0000}                         # CBAR: the guest's GICD
    assert predict_resume(_ctx(), ExitKind.TRAP, mrc(1, 9, 0, 2, 13), Served()).expect == \
        {"pc": 0x4001_0104, "sp_svc": 0}                               # L2CTLR into SP_svc
    assert "UNDEFINED" in predict_resume(_ctx(), ExitKind.TRAP, mrc(0, 7, 6, 2, 0), Served()).what


def test_psci_and_hypercalls_set_r0_only() -> None:
    hvc = encode(EC.HVC, 0)
    for fn, r1, want in ((0x8400_0000, 0, 0x0001_0001), (0x8400_000A, 0x8400_0003, 0), (0x8400_000A, 0xC400_0003, 0xFFFF_FFFF),
                         (0x8400_0003, 0, 0xFFFF_FFFC), (0x8400_0003, 1, 0xFFFF_FFFE), (0x8400_0006, 0, 2)):
        assert predict_resume(_ctx(r0=fn, r1=r1), ExitKind.TRAP, hvc, Served()).expect == {"r0": want}, hex(fn)
    assert predict_resume(_ctx(r0=0x8600_0001, r1=0xF0, r2=0x0F), ExitKind.TRAP, hvc, Served()).expect == {"r0": 0xFF}
    assert predict_resume(_ctx(r0=0x8600_0000), ExitKind.TRAP, hvc, Served(vm_index=2)).expect == {"r0": 2}
    assert predict_resume(_ctx(r0=0x8400_0008), ExitKind.TRAP, hvc, Served()).powered_off
    # SMC under HCR.TSC returns to itself: skipped as well
    assert predict_resume(_ctx(r0=0x8400_0000), ExitKind.TRAP, encode(EC.SMC, 0), Served()).expect == \
        {"r0": 0x0001_0001, "pc": 0x4001_0104}


def test_wfi_needs_an_interrupt_and_a_failed_condition_only_skips() -> None:
    res = predict_resume(_ctx(), ExitKind.TRAP, encode(EC.WFI_WFE, 0), Served())
    assert res.needs_irq and res.expect == {"pc": 0x4001_0104}
    # WFINE with Z set: CV=1 COND=NE fails
    res = predict_resume(_ctx(cpsr=Mode.SVC | 0x4000_0000), ExitKind.TRAP,
                         encode(EC.WFI_WFE, (1 << 24) | (0x1 << 20)), Served())
    assert not res.needs_irq and res.expect == {"pc": 0x4001_0104}


def test_helpers() -> None:
    assert extend(0x80, 1, True) == 0xFFFF_FF80 and extend(0x80, 1, False) == 0x80
    assert extend(0x1_8000, 2, True) == 0xFFFF_8000
    assert rt_field(Mode.USR, 13) == "sp_usr" and rt_field(Mode.IRQ, 14) == "lr_irq"


def test_stage2_tracker_stops_a_ram_page_mapped_by_two_live_vms() -> None:
    from hypsim.world_switch_scoreboard import _Stage2Owners
    seen: list[str] = []
    s2 = _Stage2Owners(seen.append)
    pool = 0x4010_0000

    def build(root: int, l2: int, l3: int, page: int) -> None:
        s2.store(root + 8, l2 | 3)            # level 1, entry 1 (IPA 0x4000_0000): a table
        s2.store(l2, l3 | 3)                  # level 2, entry 0: a table
        s2.store(l3 + 16, page | 0x4C3)       # level 3, entry 2: a page, read-write

    build(pool, pool + 0x1000, pool + 0x2000, 0x4020_0000)
    s2.root(pool, pool)                       # VM A's first entry: its tables scanned
    build(pool + 0x3000, pool + 0x4000, pool + 0x5000, 0x4020_1000)
    s2.root(pool + 0x3000, pool + 0x3000)     # VM B: another page, no breach
    assert seen == []
    s2.store(pool + 0x5000 + 24, 0x4020_0000 | 0x4C3)    # B maps A's page while A lives
    assert len(seen) == 1 and "RAM page 0x40200000" in seen[0] and "live VM" in seen[0]
    s2.store(pool + 0x5000 + 24, 0)                       # B unmaps it
    s2.release(pool)                                      # A powers off: its pages go back
    s2.store(pool + 0x5000 + 32, 0x4020_0000 | 0x4C3)    # reuse after A is gone: fine
    assert len(seen) == 1

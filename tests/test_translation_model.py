"""Unit tests of the MMU reference model (tb/models/translation.py, tlb.py,
mmu_faults.py, mmu_model.py) on hand-built LPAE tables. Section numbers refer
to the ARM ARM ARMv7-A/R (DDI 0406C)."""
from __future__ import annotations

from typing import Optional

import pytest

from hypsim.models import lpae
from hypsim.models.mmu_faults import (EC_DABT_HYP, EC_DABT_LOWER, EC_IABT_HYP, EC_IABT_LOWER,
                                      AccessKind, Fault, FaultType, abort_report, par_fault, par_ok)
from hypsim.models.mmu_model import MmuModel
from hypsim.models.tlb import Tlb, TlbEntry, TlbiOp
from hypsim.models.translation import (OP_ATS1, MmuRegs, Request, TranslationFault, Translator)

EAE = 1 << 31
LOAD, STORE, FETCH = AccessKind.LOAD, AccessKind.STORE, AccessKind.FETCH


class Mem:
    def __init__(self) -> None:
        self.words: dict[int, int] = {}
        self.bad: set[int] = set()

    def __setitem__(self, addr: int, value: int) -> None:
        self.words[addr] = value

    def read64(self, addr: int) -> Optional[int]:
        return None if addr in self.bad else self.words.get(addr, 0)


def s1_regs(**kw: int) -> MmuRegs:
    return MmuRegs(sctlr_m=1, ttbcr=EAE, ttbr0=0x1000, mair0=0x44FF_0400, mair1=0x0, **kw)


def walk(regs: MmuRegs, mem: Mem, va: int, kind: AccessKind = LOAD, pl: int = 1, op: int = 0):
    return Translator(regs, mem.read64).translate(Request(va, kind, pl, op))


def fault_of(regs: MmuRegs, mem: Mem, va: int, kind: AccessKind = LOAD, pl: int = 1) -> Fault:
    with pytest.raises(TranslationFault) as exc:
        walk(regs, mem, va, kind, pl)
    return exc.value.fault


def three_level(mem: Mem, va: int, leaf: int) -> None:
    """TTBR0 0x1000 (T0SZ=0: level 1 indexed by VA[31:30], B3.6.6) -> level 2
    at 0x2000 -> level 3 at 0x3000."""
    mem[0x1000 + 8 * (va >> 30)] = lpae.make_table(0x2000)
    mem[0x2000 + 8 * ((va >> 21) & 0x1FF)] = lpae.make_table(0x3000)
    mem[0x3000 + 8 * ((va >> 12) & 0x1FF)] = leaf


# ---------------------------------------------------------------- stage 1
def test_level3_page_maps_va_to_pa_b3_6_1() -> None:
    mem = Mem()
    three_level(mem, 0x4020_3000, lpae.make_s1_leaf(3, 0x12_3456_7000, attrindx=1, shv=2))
    t = walk(s1_regs(), mem, 0x4020_3ABC)
    assert t.pa == 0x12_3456_7ABC, f"expected PA 0x1234567abc, got {t.pa:#x}"
    assert t.s1 is not None and t.s1.attr == 0x04 and t.s1.sh == 2   # MAIR0 byte 1 (B4.1.104)


def test_level1_block_is_1gb_and_level2_block_2mb_b3_6_1() -> None:
    mem = Mem()
    mem[0x1000 + 8 * 1] = lpae.make_s1_leaf(1, 0x80_4000_0000)
    assert walk(s1_regs(), mem, 0x7FFF_FFF0).pa == 0x80_7FFF_FFF0
    mem[0x1000 + 8 * 2] = lpae.make_table(0x2000)
    mem[0x2000 + 8 * 3] = lpae.make_s1_leaf(2, 0x5_0060_0000)
    assert walk(s1_regs(), mem, 0x8067_8000).pa == 0x5_0067_8000


def test_ttbr1_covers_addresses_above_the_t0sz_boundary_b3_6_4() -> None:
    mem = Mem()
    regs = s1_regs(ttbr1=0x8000)
    regs.ttbcr = EAE | 1                       # T0SZ=1, T1SZ=0: TTBR0 < 2GB, TTBR1 above
    mem[0x8000 + 8 * 0] = lpae.make_s1_leaf(1, 0x4000_0000)   # T1SZ=0: index VA[31:30]=2 -> no
    mem[0x8000 + 8 * 2] = lpae.make_s1_leaf(1, 0xC000_0000)
    assert walk(regs, mem, 0x8000_1234).pa == 0xC000_1234


def test_gap_between_ttbr0_and_ttbr1_is_level1_translation_fault_b3_6_4() -> None:
    regs = s1_regs(ttbr1=0x8000)
    regs.ttbcr = EAE | 1 | (2 << 16)           # TTBR0 < 2GB, TTBR1 >= 3GB
    f = fault_of(regs, Mem(), 0x9000_0000)
    assert (f.type, f.level, f.stage) == (FaultType.TRANSLATION, 1, 1)


def test_t0sz_above_1_starts_at_level2_b3_6_6() -> None:
    mem = Mem()
    regs = s1_regs()
    regs.ttbcr = EAE | 2                       # 1GB TTBR0 region: level 2, index VA[29:21]
    mem[0x1000 + 8 * 0x1FF] = lpae.make_s1_leaf(2, 0x7_FFE0_0000)
    assert walk(regs, mem, 0x3FF0_0010).pa == 0x7_FFF0_0010


def test_epd0_disables_ttbr0_walks_b4_1_153() -> None:
    regs = s1_regs()
    regs.ttbcr = EAE | (1 << 7)
    f = fault_of(regs, Mem(), 0x1000)
    assert (f.type, f.level) == (FaultType.TRANSLATION, 1)


@pytest.mark.parametrize("level,desc", [(1, 0), (2, 0b10), (3, 0b01)])
def test_invalid_or_reserved_descriptor_is_translation_fault_at_its_level_b3_6_1(
        level: int, desc: int) -> None:
    mem = Mem()
    va = 0x4020_3000
    three_level(mem, va, desc)
    if level < 3:
        mem[0x1000 + 8 * (va >> 30) if level == 1 else 0x2000 + 8 * ((va >> 21) & 0x1FF)] = desc
    f = fault_of(s1_regs(), mem, va)
    assert (f.type, f.level, f.stage) == (FaultType.TRANSLATION, level, 1)


def test_access_flag_fault_has_priority_over_permission_b3_12_3() -> None:
    mem = Mem()
    three_level(mem, 0x5000, lpae.make_s1_leaf(3, 0x9000, ap=2, afv=0))
    f = fault_of(s1_regs(), mem, 0x5000, STORE)
    assert (f.type, f.level) == (FaultType.ACCESS_FLAG, 3)


@pytest.mark.parametrize("ap,pl,kind,faults", [
    (0b00, 0, LOAD, True), (0b00, 1, STORE, False), (0b01, 0, STORE, False),
    (0b10, 1, STORE, True), (0b10, 1, LOAD, False), (0b11, 0, STORE, True), (0b11, 0, LOAD, False)])
def test_ap21_permissions_b3_7_1(ap: int, pl: int, kind: AccessKind, faults: bool) -> None:
    mem = Mem()
    three_level(mem, 0x5000, lpae.make_s1_leaf(3, 0x9000, ap=ap))
    if faults:
        f = fault_of(s1_regs(), mem, 0x5000, kind, pl)
        assert (f.type, f.level) == (FaultType.PERMISSION, 3)
    else:
        assert walk(s1_regs(), mem, 0x5000, kind, pl).pa == 0x9000


def test_aptable_makes_the_subtree_read_only_and_privileged_b3_6_2() -> None:
    mem = Mem()
    three_level(mem, 0x5000, lpae.make_s1_leaf(3, 0x9000, ap=0b01))
    mem[0x1000] = lpae.make_table(0x2000, aptable=0b11)
    assert fault_of(s1_regs(), mem, 0x5000, STORE, 1).type == FaultType.PERMISSION
    assert fault_of(s1_regs(), mem, 0x5000, LOAD, 0).type == FaultType.PERMISSION
    assert walk(s1_regs(), mem, 0x5000, LOAD, 1).pa == 0x9000


def test_xn_and_pxn_stop_fetches_b3_7_2() -> None:
    mem = Mem()
    three_level(mem, 0x5000, lpae.make_s1_leaf(3, 0x9000, ap=0b01, pxnv=1))
    assert fault_of(s1_regs(), mem, 0x5000, FETCH, 1).type == FaultType.PERMISSION
    assert walk(s1_regs(), mem, 0x5000, FETCH, 0).pa == 0x9000     # PXN: PL1 only
    mem[0x1000] = lpae.make_table(0x2000, xntable=1)
    assert fault_of(s1_regs(), mem, 0x5000, FETCH, 0).type == FaultType.PERMISSION


def test_external_abort_on_walk_reports_level_b3_12_3() -> None:
    mem = Mem()
    three_level(mem, 0x5000, lpae.make_s1_leaf(3, 0x9000))
    mem.bad.add(0x2000)
    f = fault_of(s1_regs(), mem, 0x5000)
    assert (f.type, f.level, f.fs) == (FaultType.EXT_ABORT_WALK, 2, 0b010110)


def test_hyp_stage1_uses_httbr_and_ignores_ap1_b3_6_2() -> None:
    mem = Mem()
    mem[0x7000 + 8 * 3] = lpae.make_s1_leaf(1, 0x40_C000_0000, ap=0b10)
    regs = MmuRegs(hsctlr_m=1, httbr=0x7000, htcr=EAE, hmair0=0x77)
    t = walk(regs, mem, 0xC000_0008, LOAD, pl=2)
    assert t.pa == 0x40_C000_0008 and t.s2 is None
    f = fault_of(regs, mem, 0xC000_0008, STORE, pl=2)
    rep = abort_report(f, 0xC000_0008, STORE, hyp_regime=True)
    assert (rep.ec, rep.iss, rep.hpfar) == (EC_DABT_HYP, 0x4D, 0)   # WnR | FSC 0b001101 (level 1)
    assert abort_report(f, 0, FETCH, True).ec == EC_IABT_HYP


def test_pl1_stage1_abort_uses_long_format_dfsr_b4_1_52() -> None:
    f = Fault(FaultType.PERMISSION, 2, 1)
    rep = abort_report(f, 0x1234, STORE, hyp_regime=False)
    assert not rep.to_hyp and rep.fsr == (1 << 11) | (1 << 9) | 0b001110 and rep.far == 0x1234


# ---------------------------------------------------------------- stage 2
def s2_regs(vtcr: int, **kw: int) -> MmuRegs:
    return MmuRegs(hcr_vm=1, vtcr=EAE | vtcr, vttbr=0x10_0000 | (7 << 48), **kw)


def test_stage2_concatenated_level2_tables_b3_6_6() -> None:
    # VTCR.SL0=0, T0SZ=0: 32-bit IPA, level 2 start, 2048 entries in 4 concatenated pages
    mem = Mem()
    mem[0x10_0000 + 8 * 0x600] = lpae.make_s2_leaf(2, 0x3_0000_0000, hap=1)
    t = walk(s2_regs(0), mem, 0xC000_1234)
    assert t.pa == 0x3_0000_1234 and t.s2 is not None and t.s2.level == 2


def test_stage2_40bit_ipa_level1_start_b3_6_6() -> None:
    # VTCR.SL0=1, T0SZ=-8 (0b11000 with S): 40-bit IPA, 1024 level-1 entries (2 pages)
    mem = Mem()
    mem[0x10_0000 + 8 * 0x3C0] = lpae.make_table(0x20_0000)
    mem[0x20_0000 + 8 * 5] = lpae.make_s2_leaf(2, 0x1_00A0_0000)
    tr = Translator(s2_regs((1 << 6) | 0x18), mem.read64)
    assert tr.stage2(0xF0_00A1_2345, LOAD, ptw=False).pa == 0x1_00A1_2345


def test_ipa_beyond_vtcr_size_is_level1_translation_fault() -> None:
    tr = Translator(s2_regs(1 << 6), Mem().read64)          # 32-bit IPA
    with pytest.raises(TranslationFault) as exc:
        tr.stage2(0x1_0000_0000, LOAD, ptw=False)
    assert (exc.value.fault.type, exc.value.fault.level, exc.value.fault.stage) == (
        FaultType.TRANSLATION, 1, 2)


def test_stage2_permission_fault_syndrome_and_unknown_hpfar_b3_13_6() -> None:
    mem = Mem()
    mem[0x10_0000 + 8 * 1] = lpae.make_table(0x20_0000)
    mem[0x20_0000 + 8 * 2] = lpae.make_s2_leaf(3, 0x8_0000_0000, hap=1)   # read-only
    f = fault_of(s2_regs(0), mem, 0x0020_2010, STORE, pl=0)
    assert (f.type, f.level, f.stage, f.ipa) == (FaultType.PERMISSION, 3, 2, 0x0020_2010)
    rep = abort_report(f, 0x0020_2010, STORE, hyp_regime=False)
    assert rep.to_hyp and rep.ec == EC_DABT_LOWER and rep.iss == 0x4F
    assert rep.hpfar == 0x202 << 4
    assert not rep.hpfar_valid       # KVM re-walks with ATS1CPR in this case


def test_fetch_needs_stage2_read_and_not_xn_b3_7_4() -> None:
    mem = Mem()
    mem[0x10_0000] = lpae.make_s2_leaf(2, 0x20_0000, hap=3, xnv=1)
    f = fault_of(s2_regs(0), mem, 0x1000, FETCH)
    assert (f.type, f.stage) == (FaultType.PERMISSION, 2)
    assert abort_report(f, 0x1000, FETCH, False).ec == EC_IABT_LOWER


def test_nested_walk_table_fetch_is_translated_by_stage2_b3_6_x() -> None:
    """Stage-1 tables at IPA 0x1000.. live at PA 0x80_0000.. through stage 2."""
    mem = Mem()
    regs = s2_regs(0, sctlr_m=1, ttbcr=EAE, ttbr0=0x1000)
    mem[0x10_0000] = lpae.make_table(0x11_0000)
    for i in range(4):                       # IPA pages 0x1000-0x4000 -> PA 0x80_1000..
        mem[0x11_0000 + 8 * (1 + i)] = lpae.make_s2_leaf(3, 0x80_1000 + i * 0x1000)
    mem[0x10_0000 + 8 * 1] = lpae.make_s2_leaf(2, 0x1_0000_0000)  # IPA 2MB-4MB
    mem[0x80_1000] = lpae.make_table(0x2000)
    mem[0x80_2000 + 8 * 1] = lpae.make_s1_leaf(2, 0x20_0000)      # VA 2MB -> IPA 2MB
    t = walk(regs, mem, 0x20_0040)
    assert (t.ipa, t.pa) == (0x20_0040, 0x1_0000_0040)


def test_unmapped_stage1_table_gives_s1ptw_stage2_fault_b3_13_6() -> None:
    mem = Mem()
    regs = s2_regs(0, sctlr_m=1, ttbcr=EAE, ttbr0=0x1000)
    f = fault_of(regs, mem, 0x20_0040)
    assert (f.type, f.level, f.stage, f.s1ptw, f.ipa) == (FaultType.TRANSLATION, 2, 2, True, 0x1000)
    rep = abort_report(f, 0x20_0040, LOAD, False)
    assert rep.iss == (1 << 7) | 0b000110 and rep.hpfar_valid and rep.hpfar == 0x10


def test_hcr_ptw_device_table_is_stage2_permission_fault_b4_1_65() -> None:
    mem = Mem()
    regs = s2_regs(0, sctlr_m=1, ttbcr=EAE, ttbr0=0x1000, hcr_ptw=1)
    mem[0x10_0000] = lpae.make_s2_leaf(2, 0x0, memattr=0b0001)    # Device
    f = fault_of(regs, mem, 0x20_0040)
    assert (f.type, f.stage, f.s1ptw) == (FaultType.PERMISSION, 2, True)


# ---------------------------------------------------------------- PAR
def test_par_formats_b4_1_112() -> None:
    # NS[9] = 1: a Non-secure walk (no Security Extensions; QEMU's value)
    assert par_ok(0x12_3456_7ABC, 0xFF, 3) == ((0xFF << 56) | 0x12_3456_7000 | (1 << 11) | (1 << 9)
                                                 | (3 << 7))
    f = Fault(FaultType.TRANSLATION, 2, 2, s1ptw=True)
    assert par_fault(f) == 1 | (0b000110 << 1) | (1 << 8) | (1 << 9) | (1 << 11)


def test_ats1_from_hyp_returns_the_ipa() -> None:
    mem = Mem()
    regs = s2_regs(0, sctlr_m=1, ttbcr=EAE, ttbr0=0x1000)
    mem[0x10_0000] = lpae.make_s2_leaf(2, 0x0)                    # tables: IPA = PA
    mem[0x1000] = lpae.make_s1_leaf(1, 0x40_0000_0000)
    assert walk(regs, mem, 0x1234, op=OP_ATS1).pa == 0x40_0000_1234


# ---------------------------------------------------------------- TLB
def entry(**kw: int) -> TlbEntry:
    base = dict(hyp=0, vmid=1, asid=2, ng=1, va_page=0x40000, csize=0, s1size=0, pa_page=0x1,
                ipa_page=0x1, s1en=1, ap2=0, ap1=1, xn=0, pxn=0, s1level=3, s2en=0, s2ap=0, s2xn=0,
                s2level=0, attr=0, sh=0, s2attr=0, s2sh=0)
    base.update(kw)
    return TlbEntry(**base)  # type: ignore[arg-type]


def test_tlb_is_tagged_by_vmid_and_asid_b3_9() -> None:
    t = Tlb(4)
    t.fill(entry())
    assert t.lookup(False, 1, 2, 0x4000_0000) is not None
    assert t.lookup(False, 1, 3, 0x4000_0000) is None          # other ASID, nG=1
    assert t.lookup(False, 2, 2, 0x4000_0000) is None          # other VMID
    t.fill(entry(ng=0, va_page=0x50000))
    assert t.lookup(False, 1, 7, 0x5000_0000) is not None      # global: any ASID


def test_tlbimva_on_any_address_removes_the_whole_block_b3_10_1() -> None:
    t = Tlb(4)
    t.fill(entry(va_page=0x40000, s1size=1))                    # 4KB piece of a 2MB block
    t.fill(entry(va_page=0x40100, s1size=1))
    assert t.invalidate(TlbiOp.TLBIMVA, 0x401F_F000 | 2, vmid=1) == 2


def test_tlbiasid_keeps_global_entries_and_tlbiall_keeps_other_vmids_b4_2_2() -> None:
    t = Tlb(4)
    t.fill(entry())
    t.fill(entry(ng=0, va_page=0x50000))
    t.fill(entry(vmid=9))
    assert t.invalidate(TlbiOp.TLBIASID | 8, 2, vmid=1) == 1
    assert t.invalidate(TlbiOp.TLBIALL, 0, vmid=1) == 1
    assert t.lookup(False, 9, 2, 0x4000_0000) is not None


def test_tlbiallnsnh_keeps_hyp_entries_and_tlbiallh_removes_them_b4_2_2() -> None:
    t = Tlb(4)
    t.fill(entry(hyp=1, ng=0))
    t.fill(entry(vmid=4))
    assert t.invalidate(TlbiOp.TLBIALLNSNH, 0, vmid=1) == 1
    assert t.lookup(True, 0, 0, 0x4000_0000) is not None
    assert t.invalidate(TlbiOp.TLBIMVAH, 0x4000_0000, vmid=1) == 1


def test_round_robin_replacement_evicts_oldest() -> None:
    t = Tlb(2)
    assert not t.fill(entry(va_page=1)) and not t.fill(entry(va_page=2))
    assert t.fill(entry(va_page=3)) and t.lookup(False, 1, 2, 0x1000) is None


def test_model_caches_success_and_rechecks_permissions_on_hit() -> None:
    mem = Mem()
    three_level(mem, 0x5000, lpae.make_s1_leaf(3, 0x9000, ap=0b10))
    m = MmuModel(mem.read64, 4)
    m.regs = s1_regs()
    first = m.request(Request(0x5004, LOAD, 1))
    second = m.request(Request(0x5008, STORE, 1))
    assert first.fault is None and not first.tlb_hit and first.reads == 3
    assert second.tlb_hit and second.fault == Fault(FaultType.PERMISSION, 3, 1)


# ---------------------------------------------------------------- the core's part of a stage-2 data abort
def test_instr_syndrome_b3_13_6() -> None:
    """ISV/SAS/SSE/SRT/WnR from the instruction (B3.13.6 "ISS encoding for Data
    Abort"); values QEMU 7.2 reports for the same instructions (isa/mmu_s2.S)."""
    from hypsim.models.mmu_faults import data_abort_instr_syndrome as syn
    assert syn(0xE5965010, False) == (1 << 25, 0x0185_0000)        # ldr r5, [r6, #0x10]: SAS 2, SRT 5
    assert syn(0xE1D670B2, False) == (1 << 25, 0x0147_0000)        # ldrh r7, [r6, #2]: SAS 1
    assert syn(0xE1D690D1, False) == (1 << 25, 0x0129_0000)        # ldrsb r9, [r6, #1]: SAS 0, SSE
    assert syn(0xE1C680B4, False) == (1 << 25, 0x0148_0040)        # strh r8, [r6, #4]: WnR
    assert syn(0xE5B65004, False) == (0, 0)                        # ldr r5, [r6, #4]!: writeback, no ISS
    assert syn(0xE4965004, False) == (0, 0)                        # ldr r5, [r6], #4: post-indexed
    assert syn(0xE8960030, False) == (0, 0)                        # ldm r6, {r4, r5}
    assert syn(0xE1C640F0, False) == (0, 0x40)                     # strd r4, r5, [r6]: no ISS, WnR
    assert syn(0xE1C640D0, False) == (0, 0)                        # ldrd r4, r5, [r6]: a load (bit 20 is 0)
    assert syn(0xE5965010, True) == (0, 0)                         # a stage-1 walk's fault: no ISS

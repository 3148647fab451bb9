"""Random LPAE page tables for the MMU block tests (plain Python).

PhysMem is the walk memory (a window of RAM at RAM_BASE; everything else is a
bus error). Tree builds one translation table (stage 1 or stage 2) in it;
build_worlds() makes the translation regimes the stream generator switches
between: a host (VMID 0, stage 1 only), guests with stage 2 (one of them a
clone sharing every table with another VMID, one with stage 1 off, one with
HCR.PTW), Hyp stage 1, and broken contexts whose tables lie outside RAM.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from ..models import lpae
from ..models.translation import MmuRegs, s1_start, s2_start

RAM_BASE = 0x10_0000_0000
RAM_WORDS = 1 << 17                # 1 MiB
OUTSIDE = 0x20_0000_0000           # a PA the harness answers with a bus error
DIRECTED_RAM = 0x4000              # the top 16 KiB of RAM: mmu_directed's tables, never allocated here
EAE = 1 << 31


class PhysMem:
    def __init__(self) -> None:
        self.words: dict[int, int] = {}
        self.dirty: set[int] = set()

    def read64(self, pa: int) -> Optional[int]:
        idx = (pa - RAM_BASE) >> 3
        if not 0 <= idx < RAM_WORDS:
            return None
        return self.words.get(idx, 0)

    def write64(self, pa: int, value: int) -> None:
        idx = (pa - RAM_BASE) >> 3
        assert 0 <= idx < RAM_WORDS, f"write outside RAM: {pa:#x}"
        self.words[idx] = value & ((1 << 64) - 1)
        self.dirty.add(idx)

    def take_dirty(self) -> list[tuple[int, int]]:
        out = [(i, self.words.get(i, 0)) for i in sorted(self.dirty)]
        self.dirty.clear()
        return out


class PageAlloc:
    def __init__(self) -> None:
        self.next = RAM_BASE

    def alloc(self, size: int) -> int:
        size = max(size, 4096)
        pa = (self.next + size - 1) & ~(size - 1)
        self.next = pa + size
        assert self.next <= RAM_BASE + RAM_WORDS * 8 - DIRECTED_RAM, "table RAM exhausted"
        return pa


@dataclass
class Leaf:
    """An installed block/page (or deliberately invalid) descriptor."""
    kind: str                 # 's1', 's2', 'hyp'
    world: str
    in_addr: int              # VA or IPA, aligned to the level
    level: int
    slot: int                 # PA of the descriptor
    desc: int
    asid: Optional[int] = None  # TTBR0 leaves: the ASID whose table holds it

    @property
    def size(self) -> int:
        return 1 << lpae.LEVEL_SHIFT[self.level]


class Tree:
    """One translation table tree rooted at ``root`` (an input-side address of
    the table: an IPA for nested stage 1). ``to_pa`` turns table addresses
    into the PA the builder writes; ``on_table`` is told of every new table."""

    def __init__(self, mem: PhysMem, alloc: PageAlloc, rng: random.Random, *, stage: int,
                 start_level: int, start_bits: int, root: int, to_pa: Callable[[int], int],
                 new_table_addr: Callable[[int], int], on_table: Callable[[int], None],
                 table_attr_p: float = 0.0) -> None:
        self.mem, self.alloc, self.rng = mem, alloc, rng
        self.stage, self.start_level, self.start_bits = stage, start_level, start_bits
        self.root, self.to_pa, self.new_table_addr = root, to_pa, new_table_addr
        self.on_table = on_table
        self.table_attr_p = table_attr_p

    def _slot(self, table: int, in_addr: int, level: int, bits: int) -> int:
        mask = (1 << bits) - 1
        idx = (in_addr >> lpae.LEVEL_SHIFT[level]) & mask
        return self.to_pa(table & ~((mask << 3) | 7)) + idx * 8

    def install(self, in_addr: int, level: int, desc: int) -> Optional[int]:
        """Write ``desc`` for ``in_addr`` at ``level``; return the slot PA, or
        None when a block, an invalid marker or a poisoned table is in the way."""
        table, lvl, bits = self.root, self.start_level, self.start_bits
        while lvl < level:
            slot = self._slot(table, in_addr, lvl, bits)
            cur = self.mem.read64(slot)
            if cur is None:
                return None
            k = lpae.desc_kind(cur, lvl)
            if k == "table":
                table = lpae.next_table(cur)
                if self.mem.read64(self.to_pa(table)) is None:
                    return None
            elif cur == 0:
                pa = self.alloc.alloc(4096)
                addr = self.new_table_addr(pa)
                self.on_table(addr)
                apt = xnt = pxnt = 0
                if self.stage == 1 and self.rng.random() < self.table_attr_p:
                    apt, xnt, pxnt = (self.rng.randrange(4), self.rng.randrange(2),
                                      self.rng.randrange(2))
                self.mem.write64(slot, lpae.make_table(addr, apt, xnt, pxnt))
                table = addr
            else:
                return None
            lvl += 1
            bits = 9
        slot = self._slot(table, in_addr, lvl, bits)
        if self.mem.read64(slot) != 0:
            return None
        self.mem.write64(slot, desc)
        return slot

    def poison(self, in_addr: int, level: int) -> bool:
        """A table descriptor at ``level`` pointing outside RAM: walks through
        it end in a synchronous external abort at level+1."""
        return self.install(in_addr, level, lpae.make_table(OUTSIDE)) is not None


@dataclass
class World:
    """One PL1&0 translation regime (a VM or the host) and its ASIDs."""
    name: str
    vmid: int
    regs: MmuRegs                          # without TTBR0
    ttbr0: dict[int, int] = field(default_factory=dict)   # ASID -> TTBR0 base
    shares: list[str] = field(default_factory=list)       # worlds sharing these tables
    va_ranges: list[tuple[int, int, int]] = field(default_factory=list)  # (lo, hi, ttbr: 0/1)

    def context(self, asid: int) -> MmuRegs:
        return replace(self.regs, ttbr0=self.ttbr0[asid] | (asid << 48))


S2_CONFIGS = [  # (VTCR.SL0, VTCR.T0SZ) pairs the architecture allows (B4.1.159)
    (1, -8), (1, 0), (1, -2), (0, 0), (0, 1), (0, 2)]
TTBCR_CONFIGS = [(0, 0), (1, 1), (2, 0), (1, 2), (0, 2), (3, 3)]  # (T0SZ, T1SZ)


class WorldBuilder:
    def __init__(self, rng: random.Random, mem: PhysMem) -> None:
        self.rng, self.mem = rng, mem
        self.alloc = PageAlloc()
        self.worlds: dict[str, World] = {}
        self.leaves: list[Leaf] = []
        self.hyp_ranges: list[tuple[int, int]] = []
        self.s2_poison: dict[str, list[tuple[int, int]]] = {}
        self.table_pages = 0
        self.mair = (rng.getrandbits(32), rng.getrandbits(32))
        self.hmair = (rng.getrandbits(32), rng.getrandbits(32))

    # ---------------------------------------------------------------- leaves
    def _s1_desc(self, level: int, oa: int, ng: int, hyp: bool) -> int:
        r = self.rng
        x = r.random()
        if x < 0.04:   # invalid (bits[1:0] 0b00/0b10) or, at level 3, the reserved 0b01
            return r.choice([0b10, 0x4_0000_0700, 0b01 if level == 3 else 0b00])
        ap = 1 if r.random() < 0.5 else r.randrange(4)
        if hyp:
            ap |= 1                                   # AP[1] is SBO at PL2
        return lpae.make_s1_leaf(level, oa, attrindx=r.randrange(8), ap=ap, shv=r.randrange(4),
                                 afv=0 if r.random() < (0.25 if level == 1 else 0.06) else 1, ngv=ng,
                                 xnv=int(r.random() < 0.2), pxnv=int(r.random() < 0.2))

    def _s2_desc(self, level: int, oa: int, table_page: bool = False) -> int:
        r = self.rng
        if table_page:
            # every 9th stage-1 table page is broken, the kinds in rotation, so that
            # each S1PTW fault appears whatever the seed
            self.table_pages += 1
            broken = self.table_pages % 9 == 4
            kind = (self.table_pages // 9) % 5 if broken else -1
            memattr = 0 if kind == 0 else 0xF
            hap = 0 if kind == 1 else r.choice([1, 3])
            af = 0 if kind == 2 else 1
            if kind == 3:
                return 0
            if kind == 4:
                oa = OUTSIDE
            return lpae.make_s2_leaf(level, oa, memattr=memattr, hap=hap, afv=af)
        if r.random() < 0.04:
            return r.choice([0b10, 0b01 if level == 3 else 0b00])
        hap = 3 if r.random() < 0.5 else r.randrange(4)
        return lpae.make_s2_leaf(level, oa, memattr=r.choice([0, 1, 5, 0xA, 0xF]), hap=hap,
                                 shv=r.randrange(4), afv=0 if r.random() < (0.25 if level == 1 else 0.06) else 1,
                                 xnv=int(r.random() < 0.2))

    def _level(self, start_level: int) -> int:
        x = self.rng.random()
        if start_level == 1 and x < 0.2:
            return 1
        return 2 if x < 0.35 else 3

    def _pick_addr(self, zones: list[int], level: int, span: int) -> int:
        """An address in one of a few 1GB zones and a few 2MB chunks (so that
        tables are shared), aligned to the leaf size."""
        r = self.rng
        base = r.choice(zones)
        if level == 1:
            return base
        # 2MB blocks and 4KB pages in different 2MB chunks, so neither blocks the other
        chunk = base + (r.randrange(span) + (span if level == 3 else 0)) * (1 << 21)
        if level == 2:
            return chunk
        return chunk + r.randrange(64) * 4096

    # ---------------------------------------------------------------- stage 2
    def _stage2(self, world: World, ptw: int, zones: list[int], tbl_ipa: int,
                cfg: tuple[int, int], low_only: bool = False) -> tuple[Optional[Tree], dict[int, int]]:
        r = self.rng
        vttbr = None
        sl0, t0sz = cfg
        vtcr = EAE | (sl0 << 6) | (t0sz & 0xF) | ((t0sz < 0) << 4)
        level, bits, size = s2_start(vtcr)  # type: ignore[misc]
        root = vttbr if vttbr is not None else self.alloc.alloc(8 << bits)
        world.regs.vtcr, world.regs.hcr_vm, world.regs.hcr_ptw = vtcr, 1, ptw
        world.regs.vttbr = root | (world.vmid << 48)
        if vttbr is not None:
            return None, {}
        tree = Tree(self.mem, self.alloc, r, stage=2, start_level=level, start_bits=bits,
                    root=root, to_pa=lambda a: a, new_table_addr=lambda pa: pa,
                    on_table=lambda a: None)
        ipa_zones = [z for z in zones if z >> size == 0] or [0]
        size_zones = max(1, (1 << size) >> 30)

        used: set[int] = set()

        def fresh_zone() -> int:
            """A 1GB IPA zone no other mapping uses (for 1GB blocks, level-1 poison)."""
            for _ in range(8):
                low = low_only or r.random() < 0.5
                z = r.randrange(min(size_zones, 4) if low else size_zones) << 30
                if z >> 30 != tbl_ipa >> 30 and z not in ipa_zones and z not in used:
                    used.add(z)
                    return z
            return -1

        poison1 = fresh_zone() if level == 1 else -1     # reserved before the blocks take zones
        plan = sorted((self._level(level), i) for i in range(26))
        for lvl, _ in plan:
            ipa = fresh_zone() if lvl == 1 else self._pick_addr(ipa_zones, lvl, 6)
            if ipa < 0 or ipa >> 21 == tbl_ipa >> 21:   # the 2MB holding stage-1 tables
                continue
            desc = self._s2_desc(lvl, r.getrandbits(40))
            slot = tree.install(ipa, lvl, desc)
            if slot is not None:
                self.leaves.append(Leaf("s2", world.name, ipa, lvl, slot, desc))
        for lvl in (1, 2):
            if lvl >= level and r.random() < 0.8:
                addr = poison1 if lvl == 1 else self._pick_addr(ipa_zones[:2], 2, 1) + (13 << 21)
                if addr >= 0 and tree.poison(addr, lvl):
                    self.s2_poison.setdefault(world.name, []).append((addr, lvl))
                    self.leaves.append(Leaf("poison2", world.name, addr, lvl, 0, 0))
        return tree, {}

    # ---------------------------------------------------------------- stage 1
    def _stage1_tree(self, world: World, txsz: int, s2: Optional[Tree], tbl_ipa: int,
                     zones: list[int], ng_default: int, asid: Optional[int], ttbr_sel: int,
                     ipa_zones: list[int], hyp: bool = False,
                     all_zones: Optional[list[int]] = None) -> int:
        all_zones = all_zones or zones
        r = self.rng
        level, bits = s1_start(txsz)

        def to_pa(addr: int) -> int:
            return addr - tbl_ipa + RAM_BASE if s2 is not None else addr

        def new_addr(pa: int) -> int:
            return pa - RAM_BASE + tbl_ipa if s2 is not None else pa

        good = [True]

        def on_table(addr: int) -> None:
            if s2 is not None:
                pa = to_pa(addr)
                desc = (lpae.make_s2_leaf(3, pa, hap=3) if good[0]
                        else self._s2_desc(3, pa, table_page=True))
                s2.install(addr, 3, desc)

        root_pa = self.alloc.alloc(max(4096, 8 << bits))
        root = new_addr(root_pa)
        on_table(root)            # roots stay reachable; later tables may be broken
        good[0] = False
        s2_leaves = [lf for lf in self.leaves if lf.kind == "s2" and lf.world == world.name
                     and lf.desc & 1]
        tree = Tree(self.mem, self.alloc, r, stage=1, start_level=level, start_bits=bits,
                    root=root, to_pa=to_pa, new_table_addr=new_addr, on_table=on_table,
                    table_attr_p=0.15)
        spare = [z for z in all_zones if z not in zones]
        poison_zone = spare.pop(r.randrange(len(spare))) if spare else None
        plan = sorted((self._level(level), i) for i in range(22))
        for lvl, _ in plan:
            if lvl == 1:
                if not spare:
                    continue
                va = spare.pop(r.randrange(len(spare)))
            else:
                va = self._pick_addr(zones, lvl, 5)
            x = r.random()
            if x < 0.6 and s2_leaves:
                mapped = r.choice(s2_leaves)
                oa = mapped.in_addr + r.randrange(mapped.size)
            elif x < 0.85 and ipa_zones:
                oa = self._pick_addr(ipa_zones, lvl, 8)
            else:
                oa = r.getrandbits(40 if s2 is None else 33)
            ng = ng_default if ng_default >= 0 else r.randrange(2)
            desc = self._s1_desc(lvl, oa, ng, hyp)
            slot = tree.install(va, lvl, desc)
            if slot is not None:
                self.leaves.append(Leaf("hyp" if hyp else "s1", world.name, va, lvl, slot, desc,
                                        asid if ttbr_sel == 0 else None))
        for lvl in (1, 2):
            if lvl >= level and r.random() < 0.7:
                if lvl == 1:
                    if poison_zone is None:
                        continue
                    addr = poison_zone
                else:
                    addr = self._pick_addr(zones, 2, 1) + (12 << 21)
                if tree.poison(addr, lvl):
                    self.leaves.append(Leaf("poison", world.name, addr, lvl, 0, 0,
                                            asid if ttbr_sel == 0 else None))
        return root

    def _va_zones(self, world: World, t0sz: int, t1sz: int) -> tuple[list[int], list[int]]:
        """Zone bases inside the TTBR0 and TTBR1 regions (B3.6.4)."""
        top = 1 << 32
        if t1sz:
            start1 = top - (1 << (32 - t1sz))
        elif t0sz:
            start1 = 1 << (32 - t0sz)
        else:
            start1 = top
        end0 = (1 << (32 - t0sz)) if t0sz else start1
        world.va_ranges = [(0, end0, 0)] + ([(start1, top, 1)] if start1 < top else [])
        z0 = list(range(0, end0, 1 << 30))
        z1 = list(range(start1, top, 1 << 30)) if start1 < top else []
        return z0, z1

    def world(self, name: str, vmid: int, *, stage2: bool, s1: bool = True, ptw: int = 0,
              asids: tuple[int, ...] = (1, 2), sl0: Optional[int] = None,
              ttbcr: Optional[tuple[int, int]] = None) -> World:
        r = self.rng
        w = World(name, vmid, MmuRegs(mair0=self.mair[0], mair1=self.mair[1],
                                      hmair0=self.hmair[0], hmair1=self.hmair[1]))
        self.worlds[name] = w
        ipa_size = 40
        top = 4 if not s1 else 1 << 10
        zones_ipa = [r.randrange(0, top) << 30 for _ in range(2)] + [r.randrange(4) << 30]
        tbl_ipa = 0
        s2 = None
        if stage2:
            cfg = r.choice([c for c in S2_CONFIGS if sl0 is None or c[0] == sl0])
            size = 32 - cfg[1]
            tbl_ipa = ((r.choice([1, 2, 3]) << 30) % (1 << size)) | (r.randrange(64) << 21)
            if not s1:
                tbl_ipa = 1 << 40          # no stage-1 tables: no zone to keep free
                zones_ipa = zones_ipa[:1]
            s2, _ = self._stage2(w, ptw, [z for z in zones_ipa], tbl_ipa, cfg, low_only=not s1)
            ipa_size = s2_start(w.regs.vtcr)[2]  # type: ignore[index]
        ipa_zones = [z for z in zones_ipa if z >> ipa_size == 0]
        ipa_zones += [a & ~((1 << 30) - 1) for a, lvl in self.s2_poison.get(name, []) if lvl == 1]
        if not s1:
            w.regs.sctlr_m = 0
            w.ttbr0 = {a: 0 for a in asids}
            w.va_ranges = [(0, 1 << 32, 0)]
            return w
        w.regs.sctlr_m = 1
        t0sz, t1sz = ttbcr if ttbcr is not None else r.choice(TTBCR_CONFIGS)
        w.regs.ttbcr = EAE | t0sz | (t1sz << 16)
        z0, z1 = self._va_zones(w, t0sz, t1sz)
        if not stage2:
            ipa_zones = [r.randrange(0, 1 << 10) << 30 for _ in range(3)]
        for a in asids:
            zs = r.sample(z0, 1 if len(z0) <= 3 else 2)    # leave zones for 1GB blocks
            w.ttbr0[a] = self._stage1_tree(w, t0sz, s2, tbl_ipa, zs, 1, a, 0, ipa_zones,
                                           all_zones=z0)
        if z1:
            zs = r.sample(z1, 1 if len(z1) <= 3 else 2)
            w.regs.ttbr1 = self._stage1_tree(w, t1sz, s2, tbl_ipa, zs, -1, None, 1, ipa_zones,
                                             all_zones=z1)
        return w

    def clone(self, name: str, of: str, vmid: int) -> World:
        src = self.worlds[of]
        w = World(name, vmid, replace(src.regs, vttbr=(src.regs.vttbr & ((1 << 48) - 1)) | (vmid << 48)),
                  dict(src.ttbr0), [of], list(src.va_ranges))
        src.shares.append(name)
        self.worlds[name] = w
        return w

    def hyp(self, regs_list: list[MmuRegs]) -> None:
        r = self.rng
        t0sz = r.choice([0, 1, 2])
        htcr = EAE | t0sz
        zones = [z for z in range(0, 1 << 32, 1 << 30) if not t0sz or z >> (32 - t0sz) == 0]
        w = World("hyp", 0, MmuRegs())
        root = self._stage1_tree(w, t0sz, None, 0, r.sample(zones, min(2, len(zones))), 0, None, 1,
                                 [r.randrange(1 << 10) << 30 for _ in range(2)], hyp=True,
                                 all_zones=zones)
        self.hyp_ranges = [(0, 1 << (32 - t0sz))]
        for regs in regs_list:
            regs.htcr, regs.httbr, regs.hsctlr_m = htcr, root, 1


def build_worlds(rng: random.Random, mem: PhysMem) -> WorldBuilder:
    b = WorldBuilder(rng, mem)
    b.world("host", 0, stage2=False, ttbcr=rng.choice([(0, 0), (1, 1)]))
    b.worlds["host"].ttbr0[7] = OUTSIDE           # every walk: external abort at the start level
    b.world("vm1", 5, stage2=True, asids=(1, 3), sl0=1, ttbcr=(0, 0))
    b.clone("vm1b", "vm1", 6)
    b.world("vm2", 9, stage2=True, ptw=1, asids=(2, 4), sl0=0)
    b.world("vm3", 12, stage2=True, s1=False, sl0=1)
    src = b.worlds["vm1"]                         # SL0=1: external abort at level 1
    broken = World("broken", 20, replace(src.regs, vttbr=OUTSIDE | (20 << 48)),
                   dict(src.ttbr0), [], list(src.va_ranges))
    b.worlds["broken"] = broken
    flat = World("flat", 0, MmuRegs(), {1: 0}, [], [(0, 1 << 32, 0)])
    b.worlds["flat"] = flat
    b.hyp([w.regs for w in b.worlds.values()])
    return b

"""Random access streams for the MMU block (plain Python).

Switches between the worlds of mmu_tables (VMID and ASID switches), issues
loads/stores/fetches at PL0/PL1/PL2 and ATS operations, random TLBIs, and
changes live tables -- always followed by a TLBI that the architecture
requires for the change (B3.10.1): TLBIMVA/TLBIASID/TLBIALL/TLBIMVAA for
stage-1 leaves under every VMID that shares the table, TLBIALL per VMID or
TLBIALLNSNH for stage-2 leaves, TLBIMVAH/TLBIALLH for Hyp leaves. So the only
TLB contents the scoreboard ever sees are ones consistent with memory.
"""
from __future__ import annotations

import random
from typing import Iterator, Optional

from ..models.mmu_faults import AccessKind
from ..models.tlb import IS, TlbiOp as T
from ..models.translation import OP_ACCESS, OP_ATS1, OP_ATS12, Request
from .mmu_items import AccessOp, MemWrite, SetContext, TlbiOp
from .mmu_tables import OUTSIDE, Leaf, PhysMem, WorldBuilder, build_worlds

WORLD_WEIGHTS = {"host": 2.0, "vm1": 3.0, "vm1b": 2.0, "vm2": 3.0, "vm3": 1.0,
                 "broken": 0.25, "flat": 0.25}


class StreamGen:
    def __init__(self, seed: int, mem: PhysMem) -> None:
        self.rng = random.Random(seed)
        self.mem = mem
        self.b: WorldBuilder = build_worlds(self.rng, mem)
        self.by_world: dict[str, list[Leaf]] = {}
        for leaf in self.b.leaves:
            self.by_world.setdefault(leaf.world, []).append(leaf)
        for name, w in self.b.worlds.items():
            for other in w.shares:
                if name not in self.by_world and other in self.by_world:
                    self.by_world[name] = self.by_world[other]
        self.by_world.setdefault("broken", self.by_world.get("vm1", []) + self.by_world.get("vm2", []))
        self.hyp_leaves = self.by_world.get("hyp", [])
        self.cur: Optional[tuple[str, int]] = None
        self.cur_vmid: Optional[int] = None

    # ------------------------------------------------------------ contexts
    def _switch(self, name: str, asid: Optional[int] = None) -> SetContext:
        w = self.b.worlds[name]
        if asid is None:
            asids = sorted(w.ttbr0)
            weights = [0.1 if w.ttbr0[a] == OUTSIDE else 1.0 for a in asids]
            asid = self.rng.choices(asids, weights)[0]
        vmid_sw = self.cur_vmid is not None and self.cur_vmid != w.vmid
        asid_sw = (self.cur is not None and not vmid_sw and self.cur[1] != asid)
        self.cur, self.cur_vmid = (name, asid), w.vmid
        return SetContext(w.context(asid), f"{name}/asid{asid}", vmid_sw, asid_sw)

    # ------------------------------------------------------------ accesses
    def _va_for(self, pl: int) -> int:
        r = self.rng
        name, asid = self.cur  # type: ignore[misc]
        if pl == 2:
            pool = self.hyp_leaves
        else:
            w = self.b.worlds[name]
            if w.regs.sctlr_m:
                pool = [lf for lf in self.by_world.get(name, [])
                        if lf.kind in ("s1", "poison") and lf.asid in (None, asid)]
            else:
                pool = [lf for lf in self.by_world.get(name, []) if lf.kind in ("s2", "poison2")
                        and lf.in_addr < (1 << 32)]
        if pool and r.random() < 0.88:
            leaf = r.choice(pool)
            if leaf.size > 4096 and r.random() < 0.7:
                # where the generator puts smaller mappings: low 2MB chunks, low pages
                off = (r.randrange(16) << 21 if leaf.size > (1 << 21) else 0)
                off += r.randrange(64) << 12
                off = (off + r.randrange(4096)) % leaf.size
            else:
                off = r.randrange(leaf.size)
            return (leaf.in_addr + off) & 0xFFFF_FFFC
        return r.getrandbits(32) & 0xFFFF_FFFC

    def _access(self) -> AccessOp:
        r = self.rng
        pl = 2 if r.random() < 0.15 else r.randrange(2)
        x = r.random()
        op = OP_ATS1 if x < 0.04 else OP_ATS12 if x < 0.07 else OP_ACCESS
        if op == OP_ACCESS:
            kind = r.choices(list(AccessKind), weights=[0.45, 0.35, 0.2])[0]
        else:
            kind = r.choice([AccessKind.LOAD, AccessKind.STORE])
        if pl == 2 and op == OP_ATS12:
            op = OP_ATS1
        return AccessOp(Request(self._va_for(pl), kind, pl, op))

    def _random_tlbi(self) -> TlbiOp:
        r = self.rng
        op = r.randrange(7) | (IS if r.random() < 0.5 else 0)
        leaves = self.b.leaves
        va = (r.choice(leaves).in_addr if leaves and r.random() < 0.8 else r.getrandbits(32))
        asid = self.cur[1] if self.cur and r.random() < 0.7 else r.randrange(8)
        return TlbiOp(op, (va & 0xFFFF_F000) | asid)

    # ------------------------------------------------------------ table changes
    def _modify(self) -> Iterator[object]:
        r = self.rng
        leaves = [lf for lf in self.b.leaves if lf.kind in ("s1", "s2", "hyp")]
        leaf = r.choice(leaves)
        desc = self.mem.read64(leaf.slot) or 0
        x = r.random()
        if desc & 1 == 0 or x < 0.45:
            if leaf.kind == "s2":
                new = self.b._s2_desc(leaf.level, r.getrandbits(40))
            else:
                new = self.b._s1_desc(leaf.level, r.getrandbits(33),
                                      1 if leaf.asid is not None else r.randrange(2),
                                      leaf.kind == "hyp")
        elif x < 0.8:
            new = desc ^ (1 << 10)              # the access flag, as software AF handling
        else:
            new = 0                             # unmap
        self.mem.write64(leaf.slot, new)       # the generator's own view of memory
        yield MemWrite(leaf.slot, new, f"{leaf.kind} {leaf.world} {leaf.in_addr:#x} L{leaf.level}")
        va = leaf.in_addr + r.randrange(leaf.size) & 0xFFFF_F000
        isf = IS if r.random() < 0.5 else 0
        if leaf.kind == "hyp":
            yield TlbiOp(r.choice([T.TLBIMVAH, T.TLBIALLH]) | isf, va)
            return
        group = [leaf.world] + self.b.worlds[leaf.world].shares
        if r.random() < 0.2:
            yield TlbiOp(T.TLBIALLNSNH | isf, 0)
            return
        for name in group:
            if leaf.kind == "s2":
                yield self._switch(name)
                yield TlbiOp(T.TLBIALL | isf, 0)
            elif leaf.asid is not None:
                yield self._switch(name, leaf.asid)
                choice = r.choice([T.TLBIMVA, T.TLBIASID, T.TLBIALL, T.TLBIMVAA])
                yield TlbiOp(choice | isf, va | leaf.asid if choice != T.TLBIASID else leaf.asid)
            else:
                yield self._switch(name)
                yield TlbiOp(r.choice([T.TLBIMVAA, T.TLBIALL]) | isf, va)

    # ------------------------------------------------------------ stream
    def stream(self, translations: int) -> Iterator[object]:
        r = self.rng
        names = list(WORLD_WEIGHTS)
        weights = [WORLD_WEIGHTS[n] for n in names]
        done = 0
        while done < translations:
            yield self._switch(r.choices(names, weights)[0])
            for _ in range(min(r.randrange(10, 300), translations - done)):
                if r.random() < 0.015:
                    yield self._random_tlbi()
                else:
                    yield self._access()
                    done += 1
            if r.random() < 0.3:
                yield from self._modify()

"""MmuScoreboard: predicts every response with the translation model
(tb/models/mmu_model.py, a plain class) and compares.

Compared fields: fault, TLB hit, PAR always; on a fault FS, stage, S1PTW,
to-Hyp, HSR EC/ISS, DFSR/IFSR, FAR, HPFAR and its validity; on success PA and
both stages' attributes. The model answers a predicted TLB hit from its own TLB
copy and also walks the tables: if the two differ the stream changed a live
table without the TLBI the architecture requires, which is counted as a
testbench error. Each prediction goes on to the coverage subscriber (ap).
"""
from __future__ import annotations

import os
from typing import Optional

from pyuvm import ConfigDB, uvm_analysis_port, uvm_subscriber

from hypsim.models.mmu_model import MmuModel, Response
from hypsim.models.tlb import tlbi_name

from .. import results
from .agents import MemoryAgent
from .coverage import TlbiSample, XlatSample
from .items import AccessOp, Event, Observed, SetContext, TlbiOp

TLB_ENTRIES = 16      # mmu_tb_top's TLB_ENTRIES


class MmuScoreboard(uvm_subscriber):
    def build_phase(self) -> None:
        self.memory: MemoryAgent = ConfigDB().get(self, "", "memory")
        self.model = MmuModel(self.memory.mem.read64, TLB_ENTRIES)
        self.ap = uvm_analysis_port("ap", self)
        self.checked = self.stale = self.walks = self.reads = self.faults = 0
        self.mismatches: list[results.Mismatch] = []
        self.mismatch_count = 0
        self.stale_messages: list[str] = []
        self.corrupt = results.Corruptor()
        # the RTL RAM as written through its port (HYPSIM_MMU_DEBUG: set by the env)
        self.rtl_ram: Optional[dict[int, int]] = None

    def write(self, ev: Event) -> None:
        if ev.kind == "ctx":
            assert isinstance(ev.item, SetContext)
            self.model.regs = ev.item.regs
            self.ap.write(ev.item)
        elif ev.kind == "tlbi":
            assert isinstance(ev.item, TlbiOp)
            self.model.tlbi(ev.item.op, ev.item.data)
            self.ap.write(TlbiSample(tlbi_name(ev.item.op)))
        elif ev.kind == "xlat":
            self.check(ev)

    def check(self, ev: Event) -> None:
        op = ev.item
        assert isinstance(op, AccessOp) and ev.obs is not None
        evict_before = self.model.tlb.entries[self.model.tlb.ptr] is not None
        exp = self.model.request(op.req)
        if exp.tlb_hit:
            ref = self.model.reference(op.req)
            if (ref.fault, ref.pa) != (exp.fault, exp.pa):
                self.stale += 1
                if len(self.stale_messages) < results.MAX_REPORTED:
                    self.stale_messages.append(f"stale TLB model entry for {op.req}: {exp} vs walk {ref}")
        obs = ev.obs
        diffs = self.compare(exp, obs, self.corrupt.due())
        self.checked += 1
        self.reads += obs.reads
        self.walks += int(obs.reads > 0)
        self.faults += int(exp.fault is not None)
        if diffs:
            self.mismatch_count += 1
            if len(self.mismatches) < results.MAX_REPORTED:
                m = results.Mismatch(
                    f"mismatch #{self.mismatch_count} at batch end {ev.time_ns} ns",
                    f"{op.req} regs vmid={self.model.regs.vmid} asid={self.model.regs.asid}",
                    ", ".join(f"{k}={e:#x}" for k, e, _ in diffs), ", ".join(f"{k}={s:#x}" for k, _, s in diffs))
                self.mismatches.append(m)
                self.logger.error(str(m))
                if os.environ.get("HYPSIM_MMU_DEBUG") and self.mismatch_count < 3:
                    self.debug_walk(op)
        self.ap.write(XlatSample(op.req, exp, evict_before and exp.evicted))

    def debug_walk(self, op: AccessOp) -> None:
        """The model's walk of a mismatching request, each descriptor read against
        the word the RTL RAM was given through its write port (the BFM's monitor)."""
        r = self.model.regs
        self.logger.error(f"regs {r}")
        import hypsim.models.translation as tr_mod
        from hypsim.sequences.mmu_tables import RAM_BASE
        seen: list[int] = []

        def rd(pa: int) -> Optional[int]:
            seen.append(pa)
            return self.memory.mem.read64(pa)
        try:
            tr_mod.Translator(r, rd).translate(op.req)
        except tr_mod.TranslationFault as exc:
            self.logger.error(f"model fault {exc.fault}")
        for pa in seen:
            rtl = "n/a" if self.rtl_ram is None else self.rtl_ram.get((pa - RAM_BASE) >> 3, 0)
            self.logger.error(f"read {pa:#x}: model {self.memory.mem.read64(pa)} rtl {rtl}")

    @staticmethod
    def compare(exp: Response, obs: Observed, corrupt: bool = False) -> list[tuple[str, int, int]]:
        """(field, expected, seen) of every compared field that differs; ``corrupt``
        flips PAR bit 0 of the prediction (results.CORRUPT_ENV)."""
        pairs = [("fault", int(exp.fault is not None), obs.fault),
                 ("tlb_hit", int(exp.tlb_hit), obs.tlb_hit), ("par", exp.par ^ int(corrupt), obs.par)]
        if exp.fault is not None:
            rep = exp.report
            assert rep is not None
            pairs += [("fs", exp.fault.fs, obs.fs), ("stage2", int(exp.fault.stage == 2), obs.stage2),
                      ("s1ptw", int(exp.fault.s1ptw), obs.s1ptw), ("to_hyp", int(rep.to_hyp), obs.to_hyp),
                      ("hsr_ec", rep.ec, obs.ec), ("hsr_iss", rep.iss, obs.iss), ("fsr", rep.fsr, obs.fsr),
                      ("far", rep.far, obs.far), ("hpfar", rep.hpfar, obs.hpfar),
                      ("hpfar_valid", int(rep.hpfar_valid), obs.hpfar_valid)]
        else:
            pairs += [("pa", exp.pa, obs.pa), ("attr", exp.attr, obs.attr), ("sh", exp.sh, obs.sh),
                      ("s2attr", exp.s2attr, obs.s2attr), ("s2sh", exp.s2sh, obs.s2sh)]
        return [(k, e, s) for k, e, s in pairs if e != s]

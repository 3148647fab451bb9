"""pyuvm environment for the MMU block (DUT: rtl/mmu/mmu.sv in mmu_tb_top.sv).

    MmuEnv
      MemoryAgent        walk memory: the PhysMem image, loaded into the
                         harness RAM by backdoor ($readmemh of changed words)
      TranslationAgent   sequencer + driver (batches requests/TLBIs into the
                         harness op list, drives the register ports) + monitor
                         (reads back the harness result list)
      MmuScoreboard      predicts every response with tb/models/mmu_model.py
      MmuCoverage        cocotb-coverage points on the scoreboard's transactions

Why batches: the harness issues a batch back to back and Python only touches
the simulator between batches, so no Python runs per clock cycle.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import cocotb
from cocotb.triggers import FallingEdge, RisingEdge
from pyuvm import (ConfigDB, uvm_agent, uvm_analysis_port, uvm_component, uvm_driver, uvm_env,
                   uvm_monitor, uvm_sequencer, uvm_subscriber, uvm_test)

from hypsim.models.mmu_model import MmuModel, Response
from hypsim.models.tlb import tlbi_name
from hypsim.sequences.mmu_items import AccessOp, MemWrite, SetContext, TlbiOp
from hypsim.sequences.mmu_directed import MmuDirectedSeq
from hypsim.sequences.mmu_random import MmuRandomSeq
from hypsim.sequences.mmu_tables import PhysMem
from hypsim.simulator import coverage_dir

from .mmu_coverage import MmuCoverage

TLB_ENTRIES = 16      # mmu_tb_top's TLB_ENTRIES
OPS_PER_BATCH = 4096  # mmu_tb_top's OPS


@dataclass
class Observed:
    """One response as recorded by the harness (field layout: mmu_tb_top.sv)."""
    pa: int
    fault: int
    stage2: int
    fs: int
    s1ptw: int
    to_hyp: int
    tlb_hit: int
    hpfar_valid: int
    attr: int
    s2attr: int
    par: int
    hpfar: int
    far: int
    fsr: int
    iss: int
    ec: int
    sh: int
    s2sh: int
    reads: int
    latency: int

    @classmethod
    def decode(cls, v: int) -> "Observed":
        def f(lo: int, w: int) -> int:
            return (v >> lo) & ((1 << w) - 1)
        return cls(pa=f(0, 40), fault=f(40, 1), stage2=f(41, 1), fs=f(42, 6), s1ptw=f(48, 1),
                   to_hyp=f(49, 1), tlb_hit=f(50, 1), hpfar_valid=f(51, 1), attr=f(52, 8),
                   s2attr=f(60, 4), par=f(64, 64), hpfar=f(128, 32), far=f(160, 32),
                   fsr=f(192, 13), iss=f(205, 25), ec=f(230, 6), sh=f(236, 2), s2sh=f(238, 2),
                   reads=f(240, 8), latency=f(248, 8))


@dataclass
class Event:
    """What the monitor publishes, in execution order."""
    kind: str                        # 'ctx', 'mem', 'tlbi', 'xlat'
    item: object
    obs: Optional[Observed] = None
    time_ns: float = 0.0


async def pulse(sig) -> None:  # type: ignore[no-untyped-def]
    """High for exactly one rising edge: driven between falling edges, so the
    harness never races the testbench on the sampling edge."""
    clk = cocotb.top.clk_i
    await FallingEdge(clk)
    sig.value = 1
    await FallingEdge(clk)
    sig.value = 0


class MemoryAgent(uvm_component):
    """Owns the walk-memory image and loads changed words into the harness RAM."""

    def build_phase(self) -> None:
        self.mem = PhysMem()
        self.dut = cocotb.top

    async def load(self) -> None:
        dirty = self.mem.take_dirty()
        if not dirty:
            return
        with open("mmu_mem.hex", "w") as fh:
            fh.write("".join(f"@{i:x}\n{v:016x}\n" for i, v in dirty))
        await pulse(self.dut.mem_load_i)


class TranslationMonitor(uvm_monitor):
    def build_phase(self) -> None:
        self.ap = uvm_analysis_port("ap", self)

    def publish(self, kind: str, item: object) -> None:
        self.ap.write(Event(kind, item))

    def collect(self, ops: list, time_ns: float) -> None:
        lines = [w for ln in Path("mmu_res.hex").read_text().splitlines()
                 for w in ln.split("//")[0].split()]
        assert len(lines) == len(ops), f"harness returned {len(lines)} results for {len(ops)} ops"
        for op, line in zip(ops, lines):
            if isinstance(op, TlbiOp):
                self.ap.write(Event("tlbi", op, None, time_ns))
            else:
                self.ap.write(Event("xlat", op, Observed.decode(int(line, 16)), time_ns))


class TranslationDriver(uvm_driver):
    def build_phase(self) -> None:
        self.dut = cocotb.top
        self.pending: list = []
        self.sim_seconds = 0.0

    def connect_phase(self) -> None:
        self.memory: MemoryAgent = ConfigDB().get(self, "", "memory")
        self.monitor: TranslationMonitor = ConfigDB().get(self, "", "monitor")

    def drive_regs(self, ctx: SetContext) -> None:
        r, d = ctx.regs, self.dut
        d.sctlr_m_i.value = r.sctlr_m
        d.ttbcr_i.value = r.ttbcr
        d.ttbr0_i.value = r.ttbr0
        d.ttbr1_i.value = r.ttbr1
        d.mair0_i.value = r.mair0
        d.mair1_i.value = r.mair1
        d.hsctlr_m_i.value = r.hsctlr_m
        d.htcr_i.value = r.htcr
        d.httbr_i.value = r.httbr
        d.hmair0_i.value = r.hmair0
        d.hmair1_i.value = r.hmair1
        d.hcr_vm_i.value = r.hcr_vm
        d.hcr_ptw_i.value = r.hcr_ptw
        d.vtcr_i.value = r.vtcr
        d.vttbr_i.value = r.vttbr

    @staticmethod
    def encode(op: object) -> int:
        if isinstance(op, TlbiOp):
            return (1 << 38) | (op.op << 39) | (op.data & 0xFFFF_FFFF)
        assert isinstance(op, AccessOp)
        q = op.req
        return q.va | (int(q.kind) << 32) | (q.pl << 34) | (q.op << 36)

    async def flush(self) -> None:
        ops, self.pending = self.pending, []
        await self.memory.load()
        if not ops:
            return
        d = self.dut
        Path("mmu_ops.hex").write_text("".join(f"{self.encode(o):016x}\n" for o in ops))
        d.n_ops_i.value = len(ops)
        await pulse(d.ops_load_i)
        t0 = time.perf_counter()
        await pulse(d.run_i)
        await RisingEdge(d.done_o)
        self.sim_seconds += time.perf_counter() - t0
        await pulse(d.dump_i)
        await FallingEdge(d.clk_i)
        self.monitor.collect(ops, cocotb.utils.get_sim_time(unit="ns"))

    async def run_phase(self) -> None:
        while True:
            seg = await self.seq_item_port.get_next_item()
            for op in seg.ops:
                if isinstance(op, (AccessOp, TlbiOp)):
                    self.pending.append(op)
                    if len(self.pending) == OPS_PER_BATCH:
                        await self.flush()
                    continue
                await self.flush()
                if isinstance(op, SetContext):
                    self.drive_regs(op)
                    self.monitor.publish("ctx", op)
                elif isinstance(op, MemWrite):
                    self.memory.mem.write64(op.pa, op.value)
                    self.monitor.publish("mem", op)
            if seg.last:
                await self.flush()
            self.seq_item_port.item_done()


class TranslationAgent(uvm_agent):
    def build_phase(self) -> None:
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = TranslationDriver("driver", self)
        self.monitor = TranslationMonitor("monitor", self)
        ConfigDB().set(self.driver, "", "monitor", self.monitor)

    def connect_phase(self) -> None:
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


class MmuScoreboard(uvm_subscriber):
    """Compares every response with MmuModel. Compared fields: fault, TLB hit,
    PAR always; on a fault FS, stage, S1PTW, to-Hyp, HSR EC/ISS, DFSR/IFSR,
    FAR, HPFAR and its validity; on success PA and both stages' attributes.
    The model answers a predicted TLB hit from its own TLB copy and also walks
    the tables: if the two differ the stream changed a live table without the
    TLBI the architecture requires, which is counted as a testbench error."""

    def build_phase(self) -> None:
        self.memory: MemoryAgent = ConfigDB().get(self, "", "memory")
        self.model = MmuModel(self.memory.mem.read64, TLB_ENTRIES)
        self.coverage = MmuCoverage()
        self.checked = self.mismatches = self.stale = self.walks = self.reads = 0
        self.faults = 0
        self.messages: list[str] = []

    def write(self, ev: Event) -> None:
        if ev.kind == "ctx":
            assert isinstance(ev.item, SetContext)
            self.model.regs = ev.item.regs
            self.coverage.sample_context(ev.item)
        elif ev.kind == "tlbi":
            assert isinstance(ev.item, TlbiOp)
            self.model.tlbi(ev.item.op, ev.item.data)
            self.coverage.sample_tlbi(tlbi_name(ev.item.op))
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
                self.messages.append(f"stale TLB model entry for {op.req}: {exp} vs walk {ref}")
        obs = ev.obs
        diffs = self.compare(exp, obs)
        self.checked += 1
        self.reads += obs.reads
        self.walks += int(obs.reads > 0)
        self.faults += int(exp.fault is not None)
        if diffs:
            self.mismatches += 1
            if len(self.messages) < 20:
                self.messages.append(
                    f"mismatch #{self.mismatches} at batch end {ev.time_ns} ns, {op.req} "
                    f"regs vmid={self.model.regs.vmid} asid={self.model.regs.asid}: "
                    + "; ".join(f"{k}: expected {e:#x} seen {s:#x}" for k, e, s in diffs))
                self.logger.error(self.messages[-1])
                if os.environ.get("HYPSIM_MMU_DEBUG") and self.mismatches < 3:
                    self.debug_walk(op)
        self.coverage.sample(op.req, exp, evict_before and exp.evicted)

    def debug_walk(self, op: AccessOp) -> None:
        r = self.model.regs
        self.logger.error(f"regs {r}")
        import hypsim.models.translation as tr_mod
        seen: list[int] = []

        def rd(pa: int) -> Optional[int]:
            seen.append(pa)
            return self.memory.mem.read64(pa)
        try:
            tr_mod.Translator(r, rd).translate(op.req)
        except tr_mod.TranslationFault as exc:
            self.logger.error(f"model fault {exc.fault}")
        for pa in seen:
            idx = (pa - 0x10_0000_0000) >> 3
            try:
                rtl = int(cocotb.top.ram_q[idx].value)
            except Exception as exc:  # noqa: BLE001
                rtl = f"n/a {exc}"
            self.logger.error(f"read {pa:#x}: model {self.memory.mem.read64(pa)} rtl {rtl}")

    @staticmethod
    def compare(exp: Response, obs: Observed) -> list[tuple[str, int, int]]:
        pairs = [("fault", int(exp.fault is not None), obs.fault),
                 ("tlb_hit", int(exp.tlb_hit), obs.tlb_hit), ("par", exp.par, obs.par)]
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


class MmuEnv(uvm_env):
    def build_phase(self) -> None:
        self.memory = MemoryAgent("memory", self)
        ConfigDB().set(None, "*", "memory", self.memory)
        self.agent = TranslationAgent("agent", self)
        self.scoreboard = MmuScoreboard("scoreboard", self)

    def connect_phase(self) -> None:
        self.agent.monitor.ap.connect(self.scoreboard.analysis_export)


class MmuRandomTest(uvm_test):
    """Random tables and access streams (HYPSIM_MMU_TRANSLATIONS, HYPSIM_MMU_SEED),
    then the directed block-size stream (tb/sequences/mmu_directed.py)."""

    def build_phase(self) -> None:
        self.env = MmuEnv("env", self)

    async def run_phase(self) -> None:
        self.raise_objection()
        sim = os.environ.get("HYPSIM_MMU_SIM", "sim")
        n = int(os.environ.get("HYPSIM_MMU_TRANSLATIONS", "2000"))
        seed = int(os.environ.get("HYPSIM_MMU_SEED", "1"))
        seq = MmuRandomSeq("random", seed=seed, translations=n)
        t0 = time.perf_counter()
        await seq.start(self.env.agent.seqr)
        # stage-1 1GB/2MB blocks through stage-2 1GB blocks, which seed 1 never makes
        await MmuDirectedSeq("directed").start(self.env.agent.seqr)
        wall = time.perf_counter() - t0
        sb = self.env.scoreboard
        drv = self.env.agent.driver
        out = coverage_dir()
        out.mkdir(parents=True, exist_ok=True)
        hit, total, missed = sb.coverage.export(out / f"mmu-{sim}.xml")
        stats = {"sim": sim, "seed": seed, "translations": sb.checked, "mismatches": sb.mismatches,
                 "stale_model_entries": sb.stale, "walks": sb.walks, "walk_reads": sb.reads,
                 "faults": sb.faults, "wall_s": round(wall, 2),
                 "sim_s": round(drv.sim_seconds, 2),
                 "translations_per_s": round(sb.checked / wall, 1) if wall else 0,
                 "walks_per_s": round(sb.walks / wall, 1) if wall else 0,
                 "cycles": int(cocotb.top.cycles_o.value),
                 "coverage_bins_hit": hit, "coverage_bins": total, "coverage_missed": missed,
                 "messages": sb.messages[:20]}
        Path("mmu_stats.json").write_text(json.dumps(stats, indent=1))
        print(f"MMU {sim}: {sb.checked} translations, {sb.mismatches} mismatches, "
              f"{sb.walks} walks, {wall:.1f} s, coverage {hit}/{total} bins")
        if missed:
            print("MMU coverage missed: " + ", ".join(missed[:40]))
        self.drop_objection()

    def check_phase(self) -> None:
        sb = self.env.scoreboard
        assert sb.mismatches == 0, f"{sb.mismatches} mismatches: " + "\n".join(sb.messages[:5])
        assert sb.stale == 0, f"{sb.stale} stale model TLB entries (missing TLBI in the stream)"

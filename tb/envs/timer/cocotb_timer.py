"""cocotb test module of the generic timer block (run by tests/test_timer_block.py).

The DUT is rtl/timer/arm_generic_timer.sv as toplevel. Every access is driven
at a falling clock edge with acc_valid_i=1; at ReadOnly of that cycle the
three PPI levels and cntpct_o are compared with the model's state, then
undef_o/trap_o/rdata_o with the model's answer to the same access; the write
(if any) and one count tick happen at the next rising edge on both sides.

Environment: HYPSIM_TIMER_SEED, HYPSIM_TIMER_ACCESSES (random accesses),
HYPSIM_TIMER_RESULT (the result file, tb/envs/results.py),
HYPSIM_TIMER_SIM (the simulator's name in it), HYPSIM_TIMER_COVERAGE (XML coverage path).
"""
from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, ReadOnly, RisingEdge

from hypsim.models.generic_timer import (CNTHCTL_MASK, CNTKCTL_MASK, CTL_ENABLE, CTL_IMASK,
                                         HYP, MASK32, MASK64, PL0, PL1, REG_BY_NAME, REG_NAMES,
                                         TIMERS, UNKNOWN, Access, GenericTimer, Outcome, decode)

from .. import results
from . import coverage

CLK_NS = 10
MAX_REPORTED = 20
STOP_PROBABILITY = 0.003      # per random step: cnt_en_i falls ...
RESTART_PROBABILITY = 0.1     # ... and rises again
TIMER_PREFIX = {"phys": "CNTP", "virt": "CNTV", "hyp": "CNTHP"}


class TimerBench:
    """Drives accesses into the DUT and checks them against the model."""

    def __init__(self, dut, sample_coverage: bool = False) -> None:
        self.dut = dut
        self.model = GenericTimer()
        self.cycle = 0
        self.cnt_en = 1
        self.accesses = 0
        self.checks = 0
        self.mismatches: list[results.Mismatch] = []
        self.sample_coverage = sample_coverage
        self.corrupt = results.Corruptor()

    def _mismatch(self, what: str, expected: object, seen: object) -> None:
        self.mismatches.append(results.Mismatch(f"cycle {self.cycle} count {self.model.cntpct:#x}", what,
                                                str(expected), str(seen)))

    async def reset(self) -> None:
        d = self.dut
        cocotb.start_soon(Clock(d.clk_i, CLK_NS, unit="ns").start())
        d.rst_ni.value = 0
        d.cnt_en_i.value = 1
        d.acc_valid_i.value = 0
        for sig in (d.write_i, d.is64_i, d.crn_i, d.opc1_i, d.crm_i, d.opc2_i, d.pl_i, d.wdata_i):
            sig.value = 0
        await ClockCycles(d.clk_i, 3)
        await FallingEdge(d.clk_i)
        d.rst_ni.value = 1
        self.model = GenericTimer()
        self.cnt_en = 1

    def check_state(self, where: str) -> None:
        """PPI levels and the count against the model (call at ReadOnly)."""
        d = self.dut
        self.checks += 1
        seen = (bool(d.irq_phys_o.value), bool(d.irq_virt_o.value), bool(d.irq_hyp_o.value))
        exp = self.model.irq_levels()
        if seen != exp:
            self._mismatch(f"{where}: (irq_phys, irq_virt, irq_hyp)", exp, seen)
        pct = int(d.cntpct_o.value)
        if pct != self.model.cntpct:
            self._mismatch(f"{where}: cntpct_o", hex(self.model.cntpct), hex(pct))
        if self.sample_coverage:
            for t in TIMERS:
                ctl = self.model.timers[t].ctl
                coverage.SAMPLE_TIMER[t](bool(ctl & CTL_ENABLE), bool(ctl & CTL_IMASK),
                                         self.model.istatus(t))

    def _advance(self) -> None:
        self.cycle += 1
        if self.cnt_en:
            self.model.tick(1)

    async def access(self, acc: Access) -> Outcome:
        """One access in the current cycle (we are just after a falling edge)."""
        d = self.dut
        d.acc_valid_i.value = 1
        d.write_i.value = int(acc.write)
        d.is64_i.value = int(acc.is64)
        d.crn_i.value = acc.crn
        d.opc1_i.value = acc.opc1
        d.crm_i.value = acc.crm
        d.opc2_i.value = acc.opc2
        d.pl_i.value = acc.pl
        d.wdata_i.value = acc.wdata
        await ReadOnly()
        self.check_state("before access")
        name = decode(acc)
        what = f"{'MCR' if acc.write else 'MRC'}{'R' if acc.is64 else ''} {name} at PL{acc.pl}"
        res = self.model.access(acc)
        seen_out = (Outcome.UNDEFINED if d.undef_o.value else
                    Outcome.TRAP_TO_HYP if d.trap_o.value else Outcome.OK)
        if bool(d.undef_o.value) and bool(d.trap_o.value):
            self._mismatch(f"{what}: undef_o and trap_o", "at most one", "both")
        if seen_out is not res.outcome:
            self._mismatch(f"{what}: outcome", res.outcome.value, seen_out.value)
        if not acc.write or res.outcome is not Outcome.OK:
            rdata = int(d.rdata_o.value)
            expected = res.rdata ^ 1 if self.corrupt.due() else res.rdata
            if rdata != expected:
                self._mismatch(f"{what}: rdata_o", hex(expected), hex(rdata))
        if self.sample_coverage:
            coverage.sample_access(name, "W" if acc.write else "R", acc.pl, res.outcome.value)
        self.accesses += 1
        await RisingEdge(d.clk_i)
        self._advance()
        await FallingEdge(d.clk_i)
        d.acc_valid_i.value = 0
        return res.outcome

    async def idle(self, n: int, check_each: bool = False) -> None:
        """n cycles without an access (we are just after a falling edge)."""
        d = self.dut
        d.acc_valid_i.value = 0
        if check_each:
            for _ in range(n):
                await ReadOnly()
                self.check_state("idle")
                await FallingEdge(d.clk_i)
                self._advance()
        else:
            await ClockCycles(d.clk_i, n, rising=False)
            for _ in range(n):
                self._advance()
            await ReadOnly()
            self.check_state("after idle")
            await FallingEdge(d.clk_i)
            self._advance()

    async def set_cnt_en(self, value: int) -> None:
        self.dut.cnt_en_i.value = value
        self.cnt_en = value

    async def hyp(self, name: str, value: int | None = None) -> int:
        """A Hyp-mode access that must succeed; returns the read value."""
        before = self.model.read(name) if value is None else 0
        out = await self.access(Access.to(name, value is not None, HYP, value or 0))
        assert out is Outcome.OK, f"Hyp access to {name}: expected OK, saw {out}"
        return before


# ---------------------------------------------------------------- random stimulus

def _write_value(rng: random.Random, name: str, gt: GenericTimer) -> int:
    r = rng.random()
    if name.endswith("_CTL"):
        return rng.randrange(8) | (rng.getrandbits(32) & ~7 if r < 0.1 else 0)
    if name.endswith("_TVAL"):
        if r < 0.7:
            return rng.randint(-40, 60) & MASK32
        return rng.getrandbits(32) | (rng.getrandbits(32) << 32 if r < 0.8 else 0)
    if name.endswith("_CVAL"):
        timer = {"CNTP": "phys", "CNTV": "virt", "CNTHP": "hyp"}[name.split("_")[0]]
        if r < 0.7:
            return (gt.count_of(timer) + rng.randint(-40, 60)) & MASK64
        if r < 0.85:
            return rng.choice([0, MASK64, 1 << 63, (1 << 32) + gt.count_of(timer)]) & MASK64
        return rng.getrandbits(64)
    if name == "CNTVOFF":
        if r < 0.4:
            return rng.randint(0, 64)
        if r < 0.7:
            return (gt.cntpct + rng.randint(-60, 60)) & MASK64   # CNTVCT near 0 / wrapped
        return rng.getrandbits(64)
    if name == "CNTKCTL":
        return rng.getrandbits(32) if r < 0.2 else rng.getrandbits(10) | (0x303 if r < 0.6 else 0)
    if name == "CNTHCTL":
        return rng.getrandbits(32) if r < 0.2 else rng.getrandbits(8) | (0x3 if r < 0.6 else 0)
    return rng.getrandbits(64)


def random_access(rng: random.Random, gt: GenericTimer) -> Access:
    pl = rng.choices((PL0, PL1, HYP), weights=(3, 3, 4))[0]
    if rng.random() < 0.05:    # an encoding that is not a timer register
        is64 = rng.random() < 0.5
        while True:
            acc = Access(rng.random() < 0.5, is64, rng.randrange(16), rng.randrange(16),
                         rng.choice([rng.randrange(16), 14, 2, 3]), rng.randrange(8), pl,
                         rng.getrandbits(64))
            if decode(acc) == UNKNOWN:
                return acc
    name = rng.choice(REG_NAMES)
    reg = REG_BY_NAME[name]
    write = rng.random() < (0.5 if reg.writable else 0.15)
    # the 32-bit form's unused fields (opc2 of 64-bit accesses, crn) do not matter
    acc = Access.to(name, write, pl, _write_value(rng, name, gt) if write else rng.getrandbits(64))
    if reg.is64 and rng.random() < 0.2:
        acc = Access(acc.write, True, rng.randrange(16), acc.opc1, acc.crm, rng.randrange(8),
                     pl, acc.wdata)
    return acc


@cocotb.test()
async def timer_random_accesses(dut) -> None:
    """Random accesses from random PLs with random idle gaps, each checked."""
    seed = int(os.environ.get("HYPSIM_TIMER_SEED", "1"))
    target = int(os.environ.get("HYPSIM_TIMER_ACCESSES", "20000"))
    rng = random.Random(seed)
    tb = TimerBench(dut, sample_coverage=True)
    await tb.reset()
    t0 = time.monotonic()
    while tb.accesses < target:
        r = rng.random()
        if r < (STOP_PROBABILITY if tb.cnt_en else RESTART_PROBABILITY):   # short counter stops
            await tb.set_cnt_en(1 - tb.cnt_en)
        if r < 0.25:
            await tb.idle(rng.choice([1, 2, 3, rng.randint(4, 40)]))
        await tb.access(random_access(rng, tb.model))
    wall = time.monotonic() - t0
    hit, total, missed = coverage.summary()
    figures = {"accesses": tb.accesses, "cycles": tb.cycle, "wall_s": round(wall, 2),
               "coverage_bins_hit": hit, "coverage_bins": total, "coverage_missed": missed}
    if os.environ.get("HYPSIM_TIMER_COVERAGE"):
        coverage.export(Path(os.environ["HYPSIM_TIMER_COVERAGE"]))
    if os.environ.get("HYPSIM_TIMER_RESULT"):
        results.write(os.environ["HYPSIM_TIMER_RESULT"], block="timer",
                      sim=os.environ.get("HYPSIM_TIMER_SIM", "sim"), seed=seed, checks=tb.checks,
                      mismatches=tb.mismatches, **figures)
    assert not tb.mismatches, (f"{len(tb.mismatches)} mismatches with the model (seed {seed}); "
                               f"first: {tb.mismatches[:5]}")


# ---------------------------------------------------------------- directed checks

@cocotb.test()
async def timer_reset_values(dut) -> None:
    """Every register read from Hyp mode right after reset (CNTFRQ = CNTFRQ_RESET,
    CNTHCTL = 3, the rest 0) and the PL1 accesses CNTHCTL's reset value allows."""
    tb = TimerBench(dut)
    await tb.reset()
    for name in REG_NAMES:
        await tb.access(Access.to(name, False, HYP))
    for name in ("CNTPCT", "CNTP_CTL", "CNTP_CVAL", "CNTP_TVAL", "CNTV_CTL", "CNTFRQ", "CNTKCTL"):
        out = await tb.access(Access.to(name, False, PL1))
        assert out is Outcome.OK, f"PL1 read of {name} after reset: expected OK, saw {out.value}"
    for name in ("CNTPCT", "CNTVCT", "CNTFRQ", "CNTP_CTL", "CNTV_CTL"):
        out = await tb.access(Access.to(name, False, PL0))
        assert out is Outcome.UNDEFINED, f"PL0 read of {name} after reset: expected UNDEFINED, saw {out.value}"
    assert not tb.mismatches, f"{len(tb.mismatches)} mismatches: {tb.mismatches[:5]}"


async def _expect_edge(tb: TimerBench, timer: str, delta: int, use_tval: bool) -> None:
    """Program timer to fire `delta` counts ahead; check every cycle that its PPI
    is low until the count equals CVAL and high from that cycle on."""
    d = tb.dut
    prefix = TIMER_PREFIX[timer]
    level = {"phys": d.irq_phys_o, "virt": d.irq_virt_o, "hyp": d.irq_hyp_o}[timer]
    await tb.hyp(f"{prefix}_CVAL", MASK64)
    await tb.hyp(f"{prefix}_CTL", CTL_ENABLE)
    if use_tval:
        await tb.hyp(f"{prefix}_TVAL", delta & MASK32)
    else:
        await tb.hyp(f"{prefix}_CVAL", (tb.model.count_of(timer) + delta) & MASK64)
    cval = tb.model.timers[timer].cval
    rose_at = None
    for _ in range(delta + 4):
        await ReadOnly()
        count = (int(d.cntpct_o.value) - (tb.model.cntvoff if timer == "virt" else 0)) & MASK64
        seen = bool(level.value)
        tb.check_state(f"{timer} countdown")
        assert seen == (count >= cval), (f"{timer} PPI at cycle {tb.cycle}: count {count:#x}, CVAL "
                                         f"{cval:#x}: expected {int(count >= cval)}, seen {int(seen)}")
        if seen and rose_at is None:
            rose_at = count
        await FallingEdge(d.clk_i)
        tb._advance()
    assert rose_at == cval, f"{timer} PPI rose at count {rose_at}, expected at CVAL {cval:#x}"
    # IMASK drops the line but keeps ISTATUS; ENABLE=0 drops both
    await tb.hyp(f"{prefix}_CTL", CTL_ENABLE | CTL_IMASK)
    await ReadOnly()
    assert not level.value, f"{timer} PPI with IMASK=1 at cycle {tb.cycle}: expected 0, seen 1"
    await FallingEdge(d.clk_i)
    tb._advance()
    ctl = await tb.access(Access.to(f"{prefix}_CTL", False, HYP))
    assert ctl is Outcome.OK
    await tb.hyp(f"{prefix}_CTL", 0)


@cocotb.test()
async def timer_interrupt_asserts_when_count_reaches_cval(dut) -> None:
    """Each timer's PPI rises exactly in the cycle its count reaches CVAL (set by
    CVAL and by TVAL, the virtual timer with a CNTVOFF); IMASK and ENABLE drop it;
    a stopped counter (cnt_en_i=0) holds it off."""
    tb = TimerBench(dut)
    await tb.reset()
    await tb.idle(5)
    for timer in TIMERS:
        for use_tval, delta in ((False, 7), (True, 12), (True, 1)):
            await _expect_edge(tb, timer, delta, use_tval)
    await tb.hyp("CNTVOFF", (tb.model.cntpct + 3) & MASK64)      # CNTVCT just below 0
    await _expect_edge(tb, "virt", 9, True)                          # TVAL across the wrap
    # stop the counter just before CVAL: the line must stay low
    await tb.hyp("CNTP_TVAL", 6)
    await tb.hyp("CNTP_CTL", CTL_ENABLE)
    await tb.set_cnt_en(0)
    await tb.idle(10, check_each=True)
    assert not dut.irq_phys_o.value, "irq_phys_o rose while the counter was stopped"
    await tb.set_cnt_en(1)
    await tb.idle(10, check_each=True)
    assert dut.irq_phys_o.value, "irq_phys_o did not rise after the counter restarted"
    assert not tb.mismatches, f"{len(tb.mismatches)} mismatches: {tb.mismatches[:5]}"

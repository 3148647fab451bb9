"""Timer stimulus: the base sequence (one item per driver call, the model's
outcome of each access from the scoreboard), the random access stream and the
directed countdown check."""
from __future__ import annotations

import random
from typing import Optional

from pyuvm import uvm_sequence

from hypsim.models.generic_timer import (CTL_ENABLE, CTL_IMASK, HYP, MASK32, MASK64, PL0, PL1, REG_BY_NAME,
                                         REG_NAMES, TIMERS, UNKNOWN, Access, GenericTimer, Outcome, decode)

from .items import TimerItem, TimerPins
from .scoreboard import TimerScoreboard

STOP_PROBABILITY = 0.003      # per random step: cnt_en_i falls ...
RESTART_PROBABILITY = 0.1     # ... and rises again
TIMER_PREFIX = {"phys": "CNTP", "virt": "CNTV", "hyp": "CNTHP"}


class TimerSeq(uvm_sequence):
    """Helpers over the items; ``sb`` answers what the model made of an access."""

    def __init__(self, name: str, sb: TimerScoreboard) -> None:
        super().__init__(name)
        self.sb = sb
        self.cnt_en = 1

    async def item(self, **kw: object) -> TimerItem:
        it = TimerItem(**kw)   # type: ignore[arg-type]
        await self.start_item(it)
        await self.finish_item(it)
        return it

    async def access(self, acc: Access) -> Outcome:
        await self.item(kind="access", acc=acc)
        assert self.sb.last_outcome is not None
        return self.sb.last_outcome

    async def idle(self, n: int, check_each: bool = False) -> None:
        await self.item(kind="idle", n=n, check_each=check_each)

    async def set_cnt_en(self, value: int) -> None:
        await self.item(kind="cnt_en", value=value)
        self.cnt_en = value

    async def check(self, where: str, compare: bool = True) -> TimerPins:
        """A checkpoint (compare) or a look at the outputs in this cycle; then the next cycle."""
        it = await self.item(kind="check" if compare else "look", where=where)
        assert it.pins is not None
        return it.pins

    async def peek(self) -> TimerPins:
        it = await self.item(kind="peek")
        assert it.pins is not None
        return it.pins

    async def hyp(self, name: str, value: Optional[int] = None) -> int:
        """A Hyp-mode access that must succeed; returns the value read (the model's)."""
        before = self.sb.model.read(name) if value is None else 0
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


class TimerRandomSeq(TimerSeq):
    """``target`` random accesses from random PLs with random idle gaps and short
    counter stops; the stream depends only on ``seed`` (and the model's state)."""

    def __init__(self, name: str, sb: TimerScoreboard, seed: int, target: int) -> None:
        super().__init__(name, sb)
        self.rng = random.Random(seed)
        self.target = target

    async def body(self) -> None:
        rng = self.rng
        while self.sb.accesses < self.target:
            r = rng.random()
            if r < (STOP_PROBABILITY if self.cnt_en else RESTART_PROBABILITY):   # short counter stops
                await self.set_cnt_en(1 - self.cnt_en)
            if r < 0.25:
                await self.idle(rng.choice([1, 2, 3, rng.randint(4, 40)]))
            await self.access(random_access(rng, self.sb.model))


# ---------------------------------------------------------------- directed

class TimerResetValuesSeq(TimerSeq):
    """Every register read from Hyp mode right after reset (CNTFRQ = CNTFRQ_RESET,
    CNTHCTL = 3, the rest 0) and the PL1 accesses CNTHCTL's reset value allows."""

    async def body(self) -> None:
        for name in REG_NAMES:
            await self.access(Access.to(name, False, HYP))
        for name in ("CNTPCT", "CNTP_CTL", "CNTP_CVAL", "CNTP_TVAL", "CNTV_CTL", "CNTFRQ", "CNTKCTL"):
            out = await self.access(Access.to(name, False, PL1))
            assert out is Outcome.OK, f"PL1 read of {name} after reset: expected OK, saw {out.value}"
        for name in ("CNTPCT", "CNTVCT", "CNTFRQ", "CNTP_CTL", "CNTV_CTL"):
            out = await self.access(Access.to(name, False, PL0))
            assert out is Outcome.UNDEFINED, f"PL0 read of {name} after reset: expected UNDEFINED, saw {out.value}"


class TimerEdgeSeq(TimerSeq):
    """Each timer's PPI rises exactly in the cycle its count reaches CVAL (set by
    CVAL and by TVAL, the virtual timer with a CNTVOFF); IMASK and ENABLE drop it;
    a stopped counter (cnt_en_i=0) holds it off."""

    async def expect_edge(self, timer: str, delta: int, use_tval: bool) -> None:
        """Program timer to fire `delta` counts ahead; check every cycle that its PPI
        is low until the count equals CVAL and high from that cycle on."""
        sb = self.sb
        prefix = TIMER_PREFIX[timer]
        level = {"phys": 0, "virt": 1, "hyp": 2}[timer]
        await self.hyp(f"{prefix}_CVAL", MASK64)
        await self.hyp(f"{prefix}_CTL", CTL_ENABLE)
        if use_tval:
            await self.hyp(f"{prefix}_TVAL", delta & MASK32)
        else:
            await self.hyp(f"{prefix}_CVAL", (sb.model.count_of(timer) + delta) & MASK64)
        cval = sb.model.timers[timer].cval
        rose_at = None
        for _ in range(delta + 4):
            cycle, cntvoff = sb.cycle, sb.model.cntvoff
            pins = await self.check(f"{timer} countdown")
            count = (pins.cntpct - (cntvoff if timer == "virt" else 0)) & MASK64
            seen = pins.irq[level]
            assert seen == (count >= cval), (f"{timer} PPI at cycle {cycle}: count {count:#x}, CVAL "
                                             f"{cval:#x}: expected {int(count >= cval)}, seen {int(seen)}")
            if seen and rose_at is None:
                rose_at = count
        assert rose_at == cval, f"{timer} PPI rose at count {rose_at}, expected at CVAL {cval:#x}"
        # IMASK drops the line but keeps ISTATUS; ENABLE=0 drops both
        await self.hyp(f"{prefix}_CTL", CTL_ENABLE | CTL_IMASK)
        cycle = sb.cycle
        pins = await self.check("imask", compare=False)
        assert not pins.irq[level], f"{timer} PPI with IMASK=1 at cycle {cycle}: expected 0, seen 1"
        ctl = await self.access(Access.to(f"{prefix}_CTL", False, HYP))
        assert ctl is Outcome.OK
        await self.hyp(f"{prefix}_CTL", 0)

    async def body(self) -> None:
        await self.idle(5)
        for timer in TIMERS:
            for use_tval, delta in ((False, 7), (True, 12), (True, 1)):
                await self.expect_edge(timer, delta, use_tval)
        await self.hyp("CNTVOFF", (self.sb.model.cntpct + 3) & MASK64)      # CNTVCT just below 0
        await self.expect_edge("virt", 9, True)                              # TVAL across the wrap
        # stop the counter just before CVAL: the line must stay low
        await self.hyp("CNTP_TVAL", 6)
        await self.hyp("CNTP_CTL", CTL_ENABLE)
        await self.set_cnt_en(0)
        await self.idle(10, check_each=True)
        assert not (await self.peek()).irq_phys, "irq_phys_o rose while the counter was stopped"
        await self.set_cnt_en(1)
        await self.idle(10, check_each=True)
        assert (await self.peek()).irq_phys, "irq_phys_o did not rise after the counter restarted"

"""Progress lines of a long run: simulated cycles, retired instructions and their
rates, at most one line per second of wall time.

The simulator side (tb/cocotb_top.py `_progress`) wakes on a cocotb Timer every
:meth:`ProgressMeter.wait_cycles` clock cycles (sized so that it wakes a few
times a second whatever the simulator's speed: never per cycle), reads tb_top's
cycle_o / retired_o counters and asks :meth:`ProgressMeter.update` for a line;
the line goes to the run directory's progress.txt, which `hypsim run` /
`hypsim run-guest` copy to stderr as it grows (the simulator's own stdout and
stderr are its log file). Whether a run shows progress: `--progress` /
`--no-progress`, else $HYPSIM_PROGRESS (1/0), else on when stderr is a TTY
(:func:`wanted`). $HYPSIM_PROGRESS_INTERVAL (seconds, default 1) shortens the
interval, for tests of the plumbing only. No cocotb here: the rate limiter is
unit-tested on its own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, TextIO

INTERVAL_S = 1.0            # at most one line per this much wall time
WAKES_PER_INTERVAL = 4      # how often the coroutine aims to look at the counters
MIN_WAIT, MAX_WAIT = 1 << 8, 1 << 22    # clock cycles between two looks
PREFIX = "hypsim: progress: "


def wanted(flag: bool | None, stream: TextIO) -> bool:
    """--progress / --no-progress (flag), else $HYPSIM_PROGRESS, else stream.isatty()."""
    if flag is not None:
        return flag
    env = os.environ.get("HYPSIM_PROGRESS", "")
    if env in ("0", "1"):
        return env == "1"
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def interval_s(env: Mapping[str, str]) -> float:
    """The interval between two lines: INTERVAL_S unless $HYPSIM_PROGRESS_INTERVAL says otherwise."""
    try:
        value = float(env.get("HYPSIM_PROGRESS_INTERVAL", INTERVAL_S))
    except ValueError:
        return INTERVAL_S
    return value if value > 0 else INTERVAL_S


def format_line(elapsed_s: float, cycles: int, retired: int, cps: float, ips: float) -> str:
    return (f"{PREFIX}{elapsed_s:7.1f} s  {cycles:>13,} cycles  {retired:>12,} instructions  "
            f"{cps:>9,.0f} cycles/s  {ips:>9,.0f} instructions/s")


@dataclass
class ProgressMeter:
    """Rate limiter and rate estimator. ``start`` is the wall time (seconds,
    monotonic) at cycle 0; rates in a line are over the span since the previous
    line (the first: since the start)."""
    start: float
    interval_s: float = INTERVAL_S
    _last_t: float = field(init=False)
    _last_cycles: int = field(init=False, default=0)
    _last_retired: int = field(init=False, default=0)
    _wake_t: float = field(init=False)
    _wake_cycles: int = field(init=False, default=0)
    _wait: int = field(init=False, default=MIN_WAIT)

    def __post_init__(self) -> None:
        self._last_t = self._wake_t = self.start

    def update(self, now: float, cycles: int, retired: int) -> str | None:
        """A line if at least interval_s passed since the last one (or the start), else None."""
        self._adapt(now, cycles)
        span = now - self._last_t
        if span < self.interval_s:
            return None
        line = format_line(now - self.start, cycles, retired, (cycles - self._last_cycles) / span,
                           (retired - self._last_retired) / span)
        self._last_t, self._last_cycles, self._last_retired = now, cycles, retired
        return line

    def _adapt(self, now: float, cycles: int) -> None:
        """Size the next wait from the speed seen since the previous wake."""
        dt, dc = now - self._wake_t, cycles - self._wake_cycles
        if dt > 0 and dc > 0:
            want = int(dc / dt * self.interval_s / WAKES_PER_INTERVAL)
            self._wait = max(MIN_WAIT, min(MAX_WAIT, want))
        self._wake_t, self._wake_cycles = now, cycles

    def wait_cycles(self) -> int:
        """Clock cycles until the coroutine should look again."""
        return self._wait

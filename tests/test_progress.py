"""Progress lines of long runs (tb/progress.py, tb/cocotb_top.py `_progress`):
at most one a second, on stderr only, only when asked (or stderr is a TTY)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hypsim.progress import MAX_WAIT, MIN_WAIT, PREFIX, ProgressMeter, interval_s, wanted

LINE = re.compile(r"^hypsim: progress: +(\d+\.\d) s +([\d,]+) cycles +([\d,]+) instructions +([\d,]+) cycles/s "
                  r"+([\d,]+) instructions/s$")


def test_at_most_one_line_a_second_with_the_rates_of_its_span() -> None:
    """Looks every 0.1 s for 10.05 s at 100 k cycles/s, 25 k instructions/s: ten lines, 1 s apart."""
    meter = ProgressMeter(start=50.0)
    lines = []
    for i in range(1, 101):
        t = 50.0 + i * 0.1005
        line = meter.update(t, round(100_000 * (t - 50)), round(25_000 * (t - 50)))
        if line:
            lines.append((t, line))
    assert len(lines) == 10
    times = [t for t, _ in lines]
    assert all(b - a >= 1.0 for a, b in zip(times, times[1:]))
    m = LINE.match(lines[-1][1])
    assert m, lines[-1][1]
    assert m.group(2) == "1,005,000" and m.group(3) == "251,250"
    assert int(m.group(4).replace(",", "")) in range(99_000, 101_001)
    assert int(m.group(5).replace(",", "")) in range(24_750, 25_251)


def test_nothing_before_the_first_second_and_the_wait_follows_the_speed() -> None:
    meter = ProgressMeter(start=0.0)
    assert meter.wait_cycles() == MIN_WAIT
    assert meter.update(0.5, 50_000, 10_000) is None          # 100 k cycles/s seen
    assert meter.wait_cycles() == 25_000                      # four looks a second
    assert meter.update(0.99, 99_000, 20_000) is None
    assert meter.update(1.0, 100_000, 20_000) is not None
    meter.update(1.5, 100_100, 20_010)                        # 200 cycles/s: the floor
    assert meter.wait_cycles() == MIN_WAIT
    meter.update(2.0, 100_100 + 10**9, 0)                     # absurdly fast: the ceiling
    assert meter.wait_cycles() == MAX_WAIT


def test_wanted_flag_env_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True
    monkeypatch.delenv("HYPSIM_PROGRESS", raising=False)
    assert wanted(None, Tty()) and not wanted(None, io.StringIO())
    assert not wanted(False, Tty()) and wanted(True, io.StringIO())
    monkeypatch.setenv("HYPSIM_PROGRESS", "1")
    assert wanted(None, io.StringIO())
    monkeypatch.setenv("HYPSIM_PROGRESS", "0")
    assert not wanted(None, Tty())


def _spin(tmp: Path) -> Path:
    src = tmp / "spin.S"
    src.write_text(".arm\n.global _start\n_start:\n  mov r0, #0\nloop:\n  add r0, r0, #1\n  b loop\n")
    elf = tmp / "spin.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", "-Ttext=0x40000000",
                    str(src), "-o", str(elf)], check=True)
    return elf


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hypsim.cli", "run", *args], capture_output=True, text=True,
                          timeout=600, env=env)


def test_progress_lines_reach_stderr_from_the_simulator(tmp_path: Path) -> None:
    """Verilator: the simulator's lines come through its log redirection to hypsim's
    stderr, formatted, an interval apart, counts growing; stdout stays the console
    (empty). The interval is shortened to 0.2 s (HYPSIM_PROGRESS_INTERVAL) so that
    a short run shows several lines on a fast machine too; the 1 s default is the
    rate limiter's test above."""
    env = {**os.environ, "HYPSIM_PROGRESS_INTERVAL": "0.2"}
    p = _run(str(_spin(tmp_path)), "--sim", "verilator", "--max-cycles", "200000", "--progress", env=env)
    assert p.returncode == 4, p.stderr
    assert p.stdout == ""
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith(PREFIX)]
    assert len(lines) >= 2, p.stderr
    parsed = []
    for ln in lines:
        m = LINE.match(ln)
        assert m, ln
        parsed.append((float(m.group(1)), int(m.group(2).replace(",", "")), int(m.group(3).replace(",", ""))))
    for (t0, c0, r0), (t1, c1, r1) in zip(parsed, parsed[1:]):
        assert t1 - t0 >= 0.1 and c1 > c0 and r1 > r0, lines       # 0.2 s apart, printed to 0.1 s
    assert all(0 < c <= 200_000 and 0 < r < c for _, c, r in parsed), lines


def test_interval_knob() -> None:
    assert interval_s({}) == 1.0 and interval_s({"HYPSIM_PROGRESS_INTERVAL": "0.25"}) == 0.25
    assert interval_s({"HYPSIM_PROGRESS_INTERVAL": "x"}) == 1.0 and interval_s({"HYPSIM_PROGRESS_INTERVAL": "0"}) == 1.0


def test_no_progress_unless_asked(tmp_path: Path) -> None:
    """stderr is a pipe here, not a TTY: no progress lines by default."""
    p = _run(str(_spin(tmp_path)), "--sim", "verilator", "--max-cycles", "2000")
    assert p.returncode == 4 and PREFIX not in p.stderr

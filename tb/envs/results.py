"""One result file for every block env, and one way to turn it into a test's message.

Each env (tb/envs/gic, mmu, timer) ends its run with :func:`write`: a JSON object
with at least

    block, sim, seed            what ran
    checks                      how many comparisons with the model were made
    mismatches                  how many of them differed
    first_mismatches            the first MAX_REPORTED, each {where, what, expected, seen}

plus the env's own figures (events, accesses, translations, coverage, wall time).
The tests (tests/test_*_block.py) read it back with :func:`read` and build every
assertion message with :func:`failure_message`, so a failing run of any env names
its first mismatches, expected against seen, whether the simulator ended with an
error (a failing cocotb test) or not.

This module is plain Python (no cocotb): the tests import it too.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypsim.simulator import CocotbRun

MAX_REPORTED = 20
#: a model answer to corrupt on purpose (tests/test_block_failures.py): the Nth (1-based)
#: answer the scoreboard compares is changed before the comparison; unset or 0: none.
CORRUPT_ENV = "HYPSIM_CORRUPT_MODEL"


@dataclass(frozen=True)
class Mismatch:
    """One comparison that failed: where (time, cycle), what was compared, both values."""
    where: str
    what: str
    expected: str
    seen: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: expected {self.expected}, seen {self.seen}"


class Corruptor:
    """Counts the model answers a scoreboard compares and says which one to corrupt
    (:data:`CORRUPT_ENV`); proves that a wrong answer reaches the failure message."""

    def __init__(self) -> None:
        self.target = int(os.environ.get(CORRUPT_ENV, "0") or 0)
        self.n = 0

    def due(self) -> bool:
        """True for exactly the target answer (call once per compared answer)."""
        if not self.target:
            return False
        self.n += 1
        return self.n == self.target


def write(path: Path | str, *, block: str, sim: str, seed: int, checks: int,
          mismatches: list[Mismatch], count: int | None = None, **figures: Any) -> dict[str, Any]:
    """Write the result file of one run; return what was written. ``count``: the
    number of mismatches if more were seen than ``mismatches`` keeps."""
    out: dict[str, Any] = {"block": block, "sim": sim, "seed": seed, "checks": checks,
                           "mismatches": len(mismatches) if count is None else count,
                           "first_mismatches": [asdict(m) for m in mismatches[:MAX_REPORTED]]}
    out.update(figures)
    Path(path).write_text(json.dumps(out, indent=1))
    return out


def read(path: Path) -> dict[str, Any]:
    """The result file, or {} if the run wrote none."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def describe(result: dict[str, Any], limit: int = 5) -> str:
    """The first mismatches of a result, one line each."""
    ms = result.get("first_mismatches") or []
    return "\n".join(f"  {Mismatch(**m)}" for m in ms[:limit])


def failure_message(result: dict[str, Any], block: str, sim: str, seed: int | str, detail: str = "") -> str:
    """The assertion message of a failed block run: counts, the first mismatches
    (expected vs seen) and ``detail`` (the simulator's error, the log path)."""
    if not result:
        head = f"{block} block on {sim} (seed {seed}): no result file written"
    else:
        head = (f"{block} block on {sim} (seed {seed}): expected 0 mismatches, saw "
                f"{result.get('mismatches', '?')} in {result.get('checks', '?')} checks")
        body = describe(result)
        if body:
            head += ":\n" + body
    return head + (f"\n{detail}" if detail else "")


def figures_line(result: dict[str, Any]) -> str:
    """A one-line summary for the test output."""
    return json.dumps({k: v for k, v in result.items() if k not in ("first_mismatches",)})


def run_block(req: "CocotbRun", result_path: Path, block: str, seed: int | str) -> dict[str, Any]:
    """Run a block env (hypsim.simulator.run_cocotb) and return its result; raise
    AssertionError with :func:`failure_message` if the simulator failed, a cocotb
    test failed, the result file is missing or it counts a mismatch."""
    from hypsim.simulator import SimulationFailed, failed_tests, run_cocotb
    result_path.unlink(missing_ok=True)
    try:
        xml = run_cocotb(req)
    except SimulationFailed as exc:   # a failing cocotb test also ends the simulator with 1
        raise AssertionError(failure_message(read(result_path), block, req.sim, seed, str(exc))) from None
    result = read(result_path)
    log = f"see {req.work_dir / 'sim.log'}"
    failed = failed_tests(xml)
    if failed or not result or result.get("mismatches"):
        raise AssertionError(failure_message(result, block, req.sim, seed,
                                             (f"failed cocotb tests: {', '.join(failed)}; " if failed else "") + log))
    return result

"""Seeded random Hyp-trap programs (hypsim.sequences.random_hyp) on the RTL:
every trap to Hyp, every trappable instruction left untrapped, and every
exception taken from Hyp mode itself (UDF, unallocated coprocessors, SVC, HVC,
VFP under HCPTR) is scored against the HSR model by hypsim.hyp_scoreboard. Coverage of
(EC, control, mode, condition) is summed over the seeds, must reach every
trap control, every PL1/PL0 mode and both condition outcomes, and is recorded
as the cocotb-coverage database build/coverage/hyp-traps-<sim>.xml (bins
defined from the generator and the HSR model, hypsim.coverage.core; the
source of truth) and summarised in build/coverage/hyp-traps-<sim>.txt.

HYPSIM_HYP_SEEDS=N sets the number of seeds (default 12 per simulator).
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from hypsim.coverage.core import record_hyp_traps
from hypsim.models.arm_state import Mode
from hypsim.run import EXIT_OK, RunOptions, run_elf
from hypsim.sequences.random_a32 import build
from hypsim.sequences.random_hyp import MODES, TRAP_BITS, generate
from hypsim.simulator import coverage_dir

# HYPSIM_HYP_SEED=S: seed S alone (make regress), every trap scored but no closure asserted over one seed
_ONE_SEED = os.environ.get("HYPSIM_HYP_SEED", "")
SEED_LIST = [int(_ONE_SEED)] if _ONE_SEED else list(range(1, int(os.environ.get("HYPSIM_HYP_SEEDS", "12")) + 1))


def _write_report(sim: str, bins: Counter, checked: int) -> Path:
    report_dir = coverage_dir()
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / f"hyp-traps-{sim}.txt"
    lines = [f"Hyp-trap coverage on {sim}: seeds {SEED_LIST[0]}-{SEED_LIST[-1]}, {checked} traps checked",
             f"{'EC':<16} {'control':<12} {'mode':<5} {'cond':<5} hits"]
    for (ec, ctl, mode, cond), n in sorted(bins.items()):
        lines.append(f"{ec:<16} {ctl:<12} {mode:<5} {'pass' if cond else 'fail':<5} {n}")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)
    return path


def test_random_hyp_traps_match_the_hsr_model(sim: str, work_dir: Path) -> None:
    bins: Counter = Counter()
    checked = 0
    for seed in SEED_LIST:
        elf = build(generate(seed), work_dir / f"prog{seed}")
        res = run_elf(elf, RunOptions(sim=sim, work_dir=work_dir / f"run{seed}", max_cycles=2_000_000))
        assert res.exit_code == EXIT_OK, (
            f"seed {seed} on {sim} (regenerate: python -m hypsim.sequences.random_hyp --seed {seed} "
            f"-o prog.S):\n{res.message}")
        assert res.hyp is not None and res.hyp.ok and res.hyp.checked > 50, (
            f"seed {seed}: {res.hyp.summary() if res.hyp else 'no score'}")
        bins.update(res.hyp.bins)
        checked += res.hyp.checked
    _write_report(sim, bins, checked)
    db = record_hyp_traps(bins, sim)
    print(f"{sim}: Hyp-trap coverage {db.summary()}")
    assert not db.misses, (f"scoreboard bins outside hypsim.coverage.core.hyp_trap_bins() (the generator "
                           f"emits something the bin list does not know): {db.misses}")
    controls = {b[1] for b in bins}
    missing = {bit.name for bit in TRAP_BITS} - controls
    if _ONE_SEED:
        return      # one seed need not reach every control, mode and outcome: closure is over the set
    assert "HCPTR.TCP10" in controls and "CNTHCTL" in controls
    assert not missing, f"trap controls never hit: {sorted(missing)}"
    assert any(c.startswith("HSTR.T") for c in controls)
    modes = {b[2] for b in bins if b[0] != "none"}
    want = {Mode(m).name for m in MODES}
    assert want <= modes, f"modes with no trap: {sorted(want - modes)}"

    assert {b[3] for b in bins if b[0] == "none"} == {True, False}
    # exceptions taken from Hyp mode itself, each checked for vector, ELR_hyp, SPSR_hyp and HSR
    hyp_mode = {(b[0], b[1]) for b in bins if b[2] == "HYP"}
    want_hyp = {("UNKNOWN", "UDF"), ("UNKNOWN", "COPROC"), ("SVC_HYP", "SVC"), ("HVC", "HVC"),
                ("HCPTR", "HCPTR.TCP10")}
    assert want_hyp <= hyp_mode, f"exceptions never taken from Hyp mode: {sorted(want_hyp - hyp_mode)}"

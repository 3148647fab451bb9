"""Context snapshots in the retire trace (S lines, tb/hdl/retire_tracer.sv -> hypsim.trace.ContextTxn).

At every crossing between Hyp mode and the modes below it the tracer writes the
complete register context (GPRs of every mode, CPSR, CP15, Hyp controls,
timers, VFP, GICH of CPU 0). On one real ``hypsim run-guest`` run per
simulator (tiny on Icarus, irq on Verilator) this checks that

* there is exactly one snapshot per world switch, kind "x" right after every
  exception entry into Hyp mode from below and kind "e" right after every
  instruction that leaves Hyp mode, alternating, each with its event's cycle,
  and the cycle after it (where the tracer samples) is no event's;
* each snapshot's registers and CPSR are the state hypsim.trace.walk rebuilds
  from the register writes (W lines) at that point;
* every read in the trace of a snapshot register (MRC/MRRC p15 of CP15, Hyp
  and timer registers, VMRS of FPSCR/FPEXC, VMOV from an S register, VSTR/VSTM
  data, a load from GICH in Hyp mode) returns the latest snapshot's value
  when nothing could have written the register since;
* the trace's other consumers (Hyp-trap and VMID scoreboards, replay,
  disassembled trace, hang reports) see the same events with the S lines as
  without them;

and, without a simulator, the H/S parse and its errors.
"""
from __future__ import annotations

import fcntl
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from hypsim.models.arm_state import PHYS_NAMES, ArchState, phys_index
from hypsim.models.hsr import decode_coproc
from hypsim.trace import (ContextTxn, ExceptionTxn, RetireTxn, TraceFormatError, last_events, read_trace,
                          replay, walk)

REPO = Path(__file__).resolve().parent.parent
FIRMWARE = REPO / "firmware"
GUEST = {"icarus": "tiny", "verilator": "irq"}
MODE_HYP = 0x1A
MODE_USR = 0x10

# ---------------------------------------------------------------- one guest run per simulator

def _built() -> Path:
    (FIRMWARE / "build").mkdir(exist_ok=True)
    with open(FIRMWARE / "build" / ".guests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        res = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(FIRMWARE), "hypervisor", "guests"],
                             capture_output=True, text=True, check=False)
    assert res.returncode == 0, f"make hypervisor guests failed:\n{res.stdout}\n{res.stderr}"
    return FIRMWARE / "build/guests"


@pytest.mark.icarus_in_make_sim
def test_context_snapshots_of_a_guest_run(sim: str, tmp_path: Path) -> None:
    """One run of GUEST[sim] under the hypervisor, every check below on its trace (one run per
    simulator whatever pytest-xdist does with the tests)."""
    from hypsim.run import EXIT_OK
    from hypsim.run_guest import GuestOptions, run_guest
    res = run_guest(_built() / f"{GUEST[sim]}.bin", GuestOptions(sim=sim, work_dir=tmp_path / "rtl"))
    assert res.exit_code == EXIT_OK, res.message
    trace = res.outcome.trace
    txns = list(read_trace(trace))
    check_one_snapshot_right_after_every_world_switch(res, txns)
    check_snapshot_registers_equal_the_state_replayed_from_the_writes(txns)
    check_register_reads_agree_with_the_latest_snapshot(txns)
    check_other_consumers_see_the_same_trace_without_snapshots(trace, tmp_path)


# ---------------------------------------------------------------- one snapshot per world switch

def expected_switches(txns: list) -> list[tuple[str, int, int]]:
    """(kind, cycle, index of the event) of every world switch, from the R and X lines alone."""
    out = []
    mode = MODE_HYP                 # every firmware ELF starts in Hyp mode
    mode_before_r = (-1, mode)      # (cycle, mode before) of the last retirement
    for i, t in enumerate(txns):
        if isinstance(t, RetireTxn):
            mode_before_r = (t.cycle, mode)
            if mode == MODE_HYP and t.cpsr & 0x1F != MODE_HYP:
                out.append(("e", t.cycle, i))
            mode = t.cpsr & 0x1F
        elif isinstance(t, ExceptionTxn):
            # an instruction that takes an exception retires in the same cycle (R, then X)
            before = mode_before_r[1] if mode_before_r[0] == t.cycle else mode
            if t.cpsr & 0x1F == MODE_HYP and before != MODE_HYP:
                out.append(("x", t.cycle, i))
            mode = t.cpsr & 0x1F
    return out


def check_one_snapshot_right_after_every_world_switch(res, txns: list) -> None:
    want = expected_switches(txns)
    got = [(t.kind, t.cycle, i) for i, t in enumerate(txns) if isinstance(t, ContextTxn)]
    # each S line directly follows its event (for an entry: the X line, after the trapped R)
    assert [(k, c, i + 1) for k, c, i in want] == got
    # the cycle after a world switch, in which the tracer samples, is no event's (a fetch)
    for k, c, i in got:
        j = i + 1
        while j < len(txns) and isinstance(txns[j], ContextTxn):
            j += 1
        assert j == len(txns) or txns[j].cycle >= c + 2, (k, c, txns[j])
    kinds = "".join(k for k, _, _ in got)
    n_x, n_e = kinds.count("x"), kinds.count("e")
    # Hyp and the modes below take turns: the run starts in Hyp (host entry: "e" first)
    assert kinds == ("ex" * len(kinds))[:len(kinds)], kinds[:40]
    assert n_x > 10 and n_e in (n_x, n_x + 1)
    # the Hyp-trap scoreboard's checked traps and stage-2 aborts are entries from below too
    assert res.hyp is not None and res.hyp.checked + res.hyp.stage2_aborts <= n_x


# ---------------------------------------------------------------- GPRs and CPSR = the replayed state

def check_snapshot_registers_equal_the_state_replayed_from_the_writes(txns: list) -> None:
    n = 0
    for t, before in walk(iter(txns), ArchState(), snapshots=True):
        if not isinstance(t, ContextTxn):
            continue
        got = [t[name] for name in PHYS_NAMES] + [t["cpsr"]]
        want = list(before.phys) + [before.cpsr]
        diff = [(name, f"{g:#x}", f"{w:#x}") for name, g, w in zip(PHYS_NAMES + ("cpsr",), got, want) if g != w]
        assert not diff, f"snapshot {t.kind} at cycle {t.cycle}: (field, snapshot, replayed) {diff}"
        n += 1
    assert n > 20


# ---------------------------------------------------------------- reads agree with the latest snapshot

# (opc1, CRn, CRm, opc2) of the 32-bit MRC views; (opc1, CRm) of the 64-bit MRRC ones (Rt, Rt2)
MRC_FIELDS: dict[tuple[int, int, int, int], str] = {
    (0, 1, 0, 0): "SCTLR", (0, 1, 0, 2): "CPACR", (0, 2, 0, 2): "TTBCR", (0, 3, 0, 0): "DACR",
    (0, 5, 0, 0): "DFSR", (0, 5, 0, 1): "IFSR", (0, 5, 1, 0): "ADFSR", (0, 5, 1, 1): "AIFSR",
    (0, 6, 0, 0): "DFAR", (0, 6, 0, 2): "IFAR", (0, 10, 2, 0): "PRRR", (0, 10, 2, 1): "NMRR",
    (0, 10, 3, 0): "AMAIR0", (0, 10, 3, 1): "AMAIR1", (0, 12, 0, 0): "VBAR", (0, 13, 0, 1): "CONTEXTIDR",
    (0, 13, 0, 2): "TPIDRURW", (0, 13, 0, 3): "TPIDRURO", (0, 13, 0, 4): "TPIDRPRW",
    (0, 14, 1, 0): "CNTKCTL", (2, 0, 0, 0): "CSSELR",
    (0, 2, 0, 0): "TTBR0_LO", (0, 2, 0, 1): "TTBR1_LO", (0, 7, 4, 0): "PAR_LO",
    (4, 1, 1, 0): "HCR", (4, 1, 1, 3): "HSTR", (4, 1, 1, 2): "HCPTR", (4, 1, 1, 1): "HDCR",
    (4, 12, 0, 0): "HVBAR", (4, 0, 0, 0): "VPIDR", (4, 0, 0, 5): "VMPIDR", (4, 14, 1, 0): "CNTHCTL",
    (0, 14, 3, 1): "CNTV_CTL", (0, 14, 2, 1): "CNTP_CTL",
}
MRRC_FIELDS: dict[tuple[int, int], tuple[str, str]] = {
    (0, 2): ("TTBR0_LO", "TTBR0_HI"), (1, 2): ("TTBR1_LO", "TTBR1_HI"), (0, 7): ("PAR_LO", "PAR_HI"),
    (6, 2): ("VTTBR_LO", "VTTBR_HI"), (4, 14): ("CNTVOFF_LO", "CNTVOFF_HI"),
    (3, 14): ("CNTV_CVAL_LO", "CNTV_CVAL_HI"), (2, 14): ("CNTP_CVAL_LO", "CNTP_CVAL_HI"),
}
TIMER = ("CNTKCTL", "CNTHCTL", "CNTVOFF_LO", "CNTVOFF_HI", "CNTV_CTL", "CNTV_CVAL_LO", "CNTV_CVAL_HI",
         "CNTP_CTL", "CNTP_CVAL_LO", "CNTP_CVAL_HI")
CTL_ISTATUS = 1 << 2          # follows the count, which runs between the snapshot and the read
FAULT_REGS = ("DFSR", "IFSR", "DFAR", "IFAR")
VMRS_FIELDS = {1: "FPSCR", 8: "FPEXC"}
GICH_PA, GICV_PA, GIC_FRAME = 0x0803_0000, 0x0804_0000, 0x1_0000
GICH_FIELDS = {0x000: "GICH_HCR", 0x008: "GICH_VMCR", 0x0F0: "GICH_APR",
               0x100: "GICH_LR0", 0x104: "GICH_LR1", 0x108: "GICH_LR2", 0x10C: "GICH_LR3"}
D_WORDS = tuple(f"D{n}_{h}" for n in range(32) for h in ("LO", "HI"))   # word k of the VFP file


def _mrc_names(acc) -> tuple[str, ...]:
    """The snapshot fields an MCR/MRC/MCRR/MRRC p15 names (empty: none)."""
    if acc.is64:
        return MRRC_FIELDS.get((acc.opc1, acc.crm), ())
    name = MRC_FIELDS.get((acc.opc1, acc.crn, acc.crm, acc.opc2))
    return (name,) if name else ()


def _vfp_ls(instr: int) -> tuple[bool, int, int] | None:
    """(load, first VFP word, words) of a VLDR/VSTR/VLDM/VSTM, else None (arm_core's decode)."""
    if instr >> 28 == 0xF or (instr >> 25) & 7 != 0b110 or (instr >> 9) & 7 != 0b101:
        return None
    p, u, d, w, load = ((instr >> b) & 1 for b in (24, 23, 22, 21, 20))
    vd, dbl, imm8 = (instr >> 12) & 0xF, (instr >> 8) & 1, instr & 0xFF
    first = 2 * (d << 4 | vd) if dbl else (vd << 1 | d)
    if p and not w:
        return bool(load), first, 2 if dbl else 1                 # VLDR / VSTR
    if (not p and u) or (p and not u and w):
        return bool(load), first, imm8                            # VLDM / VSTM (VPUSH / VPOP)
    return None


@dataclass
class ReadCheck:
    checked: dict[str, int]
    mismatches: list[str]


def check_reads(txns: list) -> ReadCheck:
    """Every read of a snapshot register against the latest snapshot, if nothing could write it since.

    Known values come only from snapshots; anything that may write a field
    forgets it (conservatively: every MCR/MCRR of its encoding, any c14 write
    for the timers, ATS for PAR, any exception below Hyp for the fault registers
    and HCR.VA, any VFP register write for all D words, any GICH/GICV access
    for the GICH fields)."""
    known: dict[str, int] = {}
    out = ReadCheck({}, [])
    last_entry = False            # the latest snapshot is an entry into Hyp (Hyp code runs now)

    def check(name: str, value: int, t: RetireTxn, what: str) -> None:
        if name not in known:
            return
        want, got = known[name], value
        if name.endswith("_CTL"):
            want, got = want & ~CTL_ISTATUS, got & ~CTL_ISTATUS
        group = ("timer" if name in TIMER else "gich" if name.startswith("GICH") else
                 "vfp" if name in ("FPSCR", "FPEXC") else "vfp-d" if name in D_WORDS else "cp15")
        out.checked[group] = out.checked.get(group, 0) + 1
        if want != got:
            out.mismatches.append(f"cycle {t.cycle} pc {t.pc:#010x} {what}: {name} read {got:#010x}, "
                                  f"latest snapshot {want:#010x}")

    events = [t for t in txns]
    for i, (t, before) in enumerate(walk(iter(events), ArchState(), snapshots=True)):
        if isinstance(t, ContextTxn):
            known = t.as_dict()
            last_entry = t.entry
            continue
        if isinstance(t, ExceptionTxn):
            if t.cpsr & 0x1F != MODE_HYP:
                for name in FAULT_REGS + ("HCR",):
                    known.pop(name, None)
            continue
        if not t.cond_pass:
            continue
        nxt = events[i + 1] if i + 1 < len(events) else None
        faulted = isinstance(nxt, ExceptionTxn) and nxt.cycle == t.cycle    # trapped/UNDEFINED/aborted
        mode = before.cpsr & 0x1F
        written = dict(t.writes)
        acc = decode_coproc(t.instr)
        vls = _vfp_ls(t.instr)
        # GIC virtual interface: only Hyp code (MMU off: VA = PA) after an entry is checked
        for beat in t.mem:
            frame = beat.addr & ~(GIC_FRAME - 1)
            if frame in (GICH_PA, GICV_PA) or mode != MODE_HYP:
                if beat.write or frame == GICV_PA or mode != MODE_HYP:
                    for name in GICH_FIELDS.values():
                        known.pop(name, None)
                elif not faulted and last_entry and beat.be == 0xF and beat.addr - GICH_PA in GICH_FIELDS:
                    check(GICH_FIELDS[beat.addr - GICH_PA], beat.data, t, "load")
        if acc is not None and acc.coproc == 15:
            names = _mrc_names(acc)
            if not acc.read:
                for name in names:
                    known.pop(name, None)
                if (acc.crm if acc.is64 else acc.crn) == 14:
                    for name in TIMER:
                        known.pop(name, None)
                if not acc.is64 and acc.crn == 7 and acc.crm == 8:       # ATS: PAR
                    known.pop("PAR_LO", None)
                    known.pop("PAR_HI", None)
                if names and names[0] in ("TTBR0_LO", "TTBR1_LO", "PAR_LO"):
                    known.pop(names[0][:-3] + "_HI", None)
            elif not faulted and names:
                rts = (acc.rt, acc.rt2) if acc.is64 else (acc.rt,)
                for name, rt in zip(names, rts):
                    idx = phys_index(mode, rt) if rt < 15 else None
                    if idx is not None and idx in written:
                        check(name, written[idx], t, "MRRC" if acc.is64 else "MRC")
        elif acc is not None and acc.coproc in (10, 11):
            if acc.opc1 == 7 and acc.crm == 0 and acc.opc2 == 0 and acc.coproc == 10:    # VMRS / VMSR
                name = VMRS_FIELDS.get(acc.crn)
                if not acc.read:
                    known.pop("FPSCR", None)
                    known.pop("FPEXC", None)
                elif name and not faulted and acc.rt < 15 and phys_index(mode, acc.rt) in written:
                    check(name, written[phys_index(mode, acc.rt)], t, "VMRS")
            else:                                                               # VMOV core <-> S / D[x]
                if not acc.read:
                    for name in D_WORDS:
                        known.pop(name, None)
                elif acc.coproc == 10 and acc.opc1 == 0 and not faulted and acc.rt < 15 \
                        and phys_index(mode, acc.rt) in written:
                    word = acc.crn << 1 | ((t.instr >> 7) & 1)                  # Sn = Vn:N
                    check(D_WORDS[word], written[phys_index(mode, acc.rt)], t, "VMOV")
        elif t.instr & 0x0FE0_0000 == 0x0C40_0000 and (t.instr >> 9) & 7 == 0b101:   # VMOV pairs
            if not (t.instr >> 20) & 1:
                for name in D_WORDS:
                    known.pop(name, None)
        elif vls is not None:
            load, first, count = vls
            if load:
                for name in D_WORDS:
                    known.pop(name, None)
            elif not faulted:
                stores = [b for b in t.mem if b.write]
                for k, beat in enumerate(stores[:count]):
                    if first + k < len(D_WORDS) and beat.be == 0xF:
                        check(D_WORDS[first + k], beat.data, t, "VSTR/VSTM")
    return out


def check_register_reads_agree_with_the_latest_snapshot(txns: list) -> None:
    res = check_reads(txns)
    assert not res.mismatches, f"{len(res.mismatches)} mismatches:\n" + "\n".join(res.mismatches[:20])
    # the hypervisor reads the guest's CP15, timers, GICH and FPEXC right after every exit
    for group in ("cp15", "timer", "gich", "vfp"):
        assert res.checked.get(group, 0) > 10, res.checked


# ---------------------------------------------------------------- the other consumers are unchanged

def check_other_consumers_see_the_same_trace_without_snapshots(trace: Path, tmp_path: Path) -> None:
    from hypsim.hyp_scoreboard import score_trace
    from hypsim.run import last_pcs_by_mode, write_disassembled_trace
    from hypsim.vmid_scoreboard import score_vmids
    plain = tmp_path / "plain.txt"
    with open(trace) as src, open(plain, "w") as dst:
        dst.writelines(line for line in src if line[:1] not in ("H", "S"))
    assert plain.stat().st_size < trace.stat().st_size
    a, b = score_trace(trace), score_trace(plain)
    assert (a.checked, a.untrapped, a.stage2_aborts, a.mismatches, dict(a.bins)) == \
           (b.checked, b.untrapped, b.stage2_aborts, b.mismatches, dict(b.bins))
    va, vb = score_vmids(trace), score_vmids(plain)
    assert (va.vttbr_writes, va.vmids, va.flushes, va.mismatches) == (vb.vttbr_writes, vb.vmids, vb.flushes,
                                                                       vb.mismatches)
    assert [(s.txn, s.regs, s.cpsr) for s in replay(read_trace(trace))] == \
           [(s.txn, s.regs, s.cpsr) for s in replay(read_trace(plain))]
    write_disassembled_trace(trace, tmp_path / "a.dis")
    write_disassembled_trace(plain, tmp_path / "b.dis")
    assert (tmp_path / "a.dis").read_bytes() == (tmp_path / "b.dis").read_bytes()
    assert last_events(trace, 50) == last_events(plain, 50)
    assert last_pcs_by_mode(trace) == last_pcs_by_mode(plain)


# ---------------------------------------------------------------- parse (no simulator)

NAMES = list(PHYS_NAMES) + ["cpsr", "SCTLR", "GICH_LR3"]


def _s_line(cycle: int, kind: str, values: list[int]) -> str:
    return f"S {cycle} {kind} " + " ".join(f"{v:08x}" for v in values) + "\n"


def test_parse_of_header_and_snapshot_lines(tmp_path: Path) -> None:
    values = list(range(38)) + [0x600001D3, 0x00C50078, 0xA0000001]
    t = tmp_path / "t.txt"
    t.write_text("H " + " ".join(NAMES) + "\n"
                 "W 00 00000007\nR 10 40010000 e3a00007 600001d3 1\nS 10 e " + " ".join(["00000000"] * 41) + "\n"
                 "W 1f 40010004\nW 25 600001d3\nR 20 40010004 e1400070 0000011a 1\n"
                 "X 20 7 40010004 40000014 0000011a 48000000\n"
                 + _s_line(20, "x", values) + "W 01 00000009\nR 30 40000014 e3a01009 0000011a 1\n")
    txns = list(read_trace(t))
    assert [type(x).__name__ for x in txns] == ["RetireTxn", "ContextTxn", "RetireTxn", "ExceptionTxn",
                                                "ContextTxn", "RetireTxn"]
    e, x = txns[1], txns[4]
    assert (x.cycle, x.kind, x.entry, e.entry) == (20, "x", True, False)
    assert x.names == tuple(NAMES) and x.names is e.names                    # one names object per trace
    assert x["cpsr"] == 0x600001D3 and x.get("SCTLR") == 0x00C50078 and x["GICH_LR3"] == 0xA0000001
    assert x.get("NOPE") is None and x.get("NOPE", 5) == 5 and "SCTLR" in x and "NOPE" not in x
    assert x["r5"] == 5 and x.as_dict()["elr_hyp"] == 31 and x.values == tuple(values)
    with pytest.raises(KeyError):
        x["NOPE"]
    # walk yields the snapshots with the state of everything before them and changes nothing
    seen = [(type(tx).__name__, list(st.phys), st.cpsr, st.pc)
            for tx, st in walk(iter(txns), ArchState(), snapshots=True)]
    # without `snapshots` (the default), walk follows instructions and exceptions only
    assert [type(tx).__name__ for tx, _ in walk(iter(txns), ArchState())] == [n for n, *_ in seen if n != "ContextTxn"]
    assert seen[1][1:] == seen[2][1:3] + (0x40010000,)          # the state after R 10, pc unchanged
    assert seen[4][0] == "ContextTxn" and seen[4][1][31] == 0x40010004 and seen[4][1][37] == 0x600001D3
    assert seen[4][2] == 0x11A and seen[4][3] == 0x40000014 and seen[5][1:3] == seen[4][1:3]
    without = [tx for tx in txns if not isinstance(tx, ContextTxn)]
    assert [(s.regs, s.cpsr) for s in replay(iter(txns))] == [(s.regs, s.cpsr) for s in replay(iter(without))]
    assert last_events(t, 10) == without


@pytest.mark.parametrize("line,why", [
    ("S 10 x 00000001 00000002\n", "2 values for 41 names"),
    ("S 10 x " + " ".join(["0000000g"] * 41) + "\n", "malformed trace line"),
    ("S 10 q " + " ".join(["00000000"] * 41) + "\n", "unknown snapshot kind 'q'"),
    ("S 10\n", "malformed trace line"),
    ("H r0 r1\n", "a second H line"),
], ids=["count", "hex", "kind", "short", "second-header"])
def test_malformed_snapshot_lines_are_format_errors(line: str, why: str, tmp_path: Path) -> None:
    t = tmp_path / "t.txt"
    t.write_text("H " + " ".join(NAMES) + "\nR 1 40000000 e1a00000 000001da 1\n" + line)
    with pytest.raises(TraceFormatError, match=why) as err:
        list(read_trace(t))
    assert f"{t}:3" in str(err.value)


def test_snapshot_before_the_header_and_duplicate_names_are_format_errors(tmp_path: Path) -> None:
    t = tmp_path / "t.txt"
    t.write_text("S 10 x " + " ".join(["00000000"] * 41) + "\n")
    with pytest.raises(TraceFormatError, match="before the H line"):
        list(read_trace(t))
    t.write_text("H r0 r1 r0\n")
    with pytest.raises(TraceFormatError, match="malformed trace line"):
        list(read_trace(t))


def test_data_beat_physical_address_field(tmp_path: Path) -> None:
    """An M line's optional 5th field is the beat's PA (written only when it differs from the
    VA); without it MemBeat.pa is the VA, so a trace from before the field reads the same."""
    t = tmp_path / "t.txt"
    t.write_text("M r 7fe0000c f 0000001b 0804000c\nM w 40001000 f 00000001\nR 5 40010000 e5901000 000001d3 1\n")
    (txn,) = list(read_trace(t))
    assert isinstance(txn, RetireTxn)
    va_pa, plain = txn.mem
    assert (va_pa.addr, va_pa.pa, va_pa.data) == (0x7FE0_000C, 0x0804_000C, 0x1B)
    assert (plain.addr, plain.pa, plain.write) == (0x4000_1000, 0x4000_1000, True)

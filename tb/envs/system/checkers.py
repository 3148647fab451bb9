"""The system env's checkers, over the VMM exchanges of a run (the dicts the
env logs to vmm-events.jsonl: ``cycle``, ``run``, ``answer``, ``ack_cycle``),
so that a saved log can be checked again. Plain Python.

For every op a sequence handed mmiorand.c (hypercall HYPSIM_HC_STEP) the
guest's next report (r1 = the op, r2 = the value it saw) is compared with
what the sequence served and a model:

* LOAD: the one device access since the op must be a read of the op's IPA and
  width, and the guest's register must hold the served data's low bytes,
  sign- or zero-extended as the instruction says (LDRSB/LDRSH sign): as the
  guest reports it and, with the retire trace (:func:`check_trace_loads`),
  in the guest's register file when it runs again after the exit;
* STORE: a write of the op's IPA and width whose data is the register's low bytes;
* PSCI: r0 as hypsim.models.psci says;
* IRQ_WINDOW: as many interrupts taken as acknowledged to the device;
* MODE: the value the device's mode register returned, written back unchanged;
* VFP: the pattern back from D0.

Interrupts: every acknowledgement (TBDEV_ACK) must be of a line the VMM
raised and the guest has not acknowledged since (a level line still high, an
edge pulsed: SPIs 48-63 are edge-triggered in mmiorand.c; INTID 27, the
guest's own virtual timer, needs no line), and when the guest is told to end
nothing raised may be left unacknowledged.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypsim.models import psci
from hypsim.models.arm_state import ArchState, Mode
from hypsim.sequences import system_ops as ops
from hypsim.trace import RetireTxn, read_trace, walk
from hypsim.vmm_abi import A

VTIMER = 27
MAX_FAILURES = 20


@dataclass
class CheckResult:
    checked: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    failure_count: int = 0
    # loads to check in the guest's register file: (exit cycle, guest PC, Rt, expected value, description)
    loads: list[tuple[int, int, int, int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failure_count == 0

    def fail(self, msg: str) -> None:
        self.failure_count += 1
        if len(self.failures) < MAX_FAILURES:
            self.failures.append(msg)

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.checked.items()))
        return f"system env checkers: {sum(self.checked.values())} checked ({kinds}), {self.failure_count} failures"


def line_of(irq: int) -> int:
    """The line a KVM_IRQ_LINE irq word names: 0x10000 | n for CPU line n, else the INTID."""
    kind, num = (irq >> A.KVM_ARM_IRQ_TYPE_SHIFT) & 0xF, irq & 0xFFFF
    return ops.CPU_ACK | num if kind == A.KVM_ARM_IRQ_TYPE_CPU else num


def line_name(line: int) -> str:
    if line & ops.CPU_ACK:
        return f"CPU {'FIQ' if line & 1 else 'IRQ'} line"
    return f"{'PPI' if line < 32 else 'SPI'} INTID {line}"


@dataclass
class _Vm:
    op: int | None = None
    op_cycle: int = 0
    accesses: list[dict] = field(default_factory=list)    # device data/mode exchanges since the op
    acks: int = 0
    high: set[int] = field(default_factory=set)
    latched: set[int] = field(default_factory=set)


def _is_tbdev(run: dict) -> bool:
    return run["exit_reason"] == A.KVM_EXIT_MMIO and ops.TBDEV <= run["mmio_addr"] < ops.TBDEV + ops.TBDEV_SIZE


def _where(ev: dict) -> str:
    return f"guest PC 0x{ev['run']['guest_pc']:08x}, cycle {ev['cycle']}"


def check_events(events: list[dict]) -> CheckResult:
    res = CheckResult()
    vms: dict[int, _Vm] = {}
    for ev in events:
        run, ans = ev["run"], ev.get("answer") or {}
        st = vms.setdefault(run["vm"], _Vm())
        if run["exit_reason"] == A.KVM_EXIT_HYPERCALL and run["hc_nr"] == A.HYPSIM_HC_STEP:
            if st.op is not None:
                _check_report(res, st, ev)
            st.op, st.op_cycle, st.accesses, st.acks = ans.get("hc_ret"), ev["cycle"], [], 0
            if st.op is not None and st.op & 0xF == ops.END:
                left = sorted(st.latched | st.high)
                res.checked["all lines acknowledged"] += 1
                if left:
                    res.fail(f"vm {run['vm']}: told to end at cycle {ev['cycle']} with interrupt lines raised and "
                             f"never acknowledged: {', '.join(line_name(x) for x in left)}")
        elif _is_tbdev(run):
            off = run["mmio_addr"] - ops.TBDEV
            if off == A.TBDEV_ACK and run["mmio_is_write"]:
                _check_ack(res, st, run["mmio_data"] & 0xFFFFFFFF, ev)
            elif off < A.TBDEV_DATA_END or off == A.TBDEV_MODE:
                st.accesses.append(ev)
        for irq, level in ans.get("irq", []):
            line = line_of(irq)
            if line in ops.EDGE_SPIS:
                if level and line not in st.high:
                    st.latched.add(line)
            if level:
                st.high.add(line)
            else:
                st.high.discard(line)
    return res


def _check_ack(res: CheckResult, st: _Vm, line: int, ev: dict) -> None:
    st.acks += 1
    res.checked["interrupt acknowledged"] += 1
    if line == VTIMER:
        return
    if line in ops.EDGE_SPIS and line in st.latched:
        st.latched.discard(line)
        return
    if line not in ops.EDGE_SPIS and line in st.high:
        return
    res.fail(f"the guest acknowledged {line_name(line)} (TBDEV_ACK 0x{line:x}) but no line was raised for it "
             f"since its last acknowledgement; {_where(ev)}")


def _check_report(res: CheckResult, st: _Vm, ev: dict) -> None:
    run, op = ev["run"], st.op
    assert op is not None
    told, seen = run["hc_arg0"], run["hc_arg1"]
    code = op & 0xF
    if told != op:
        res.fail(f"the guest reported op 0x{told:08x} but was given 0x{op:08x} ({ops.describe(op)}); {_where(ev)}")
        return
    if code in (ops.LOAD, ops.STORE):
        _check_access(res, st, op, seen, ev)
    elif code in (ops.PSCI_HVC, ops.PSCI_SMC):
        fn, a1, a2 = ops.psci_call(op)
        _expect(res, "PSCI", ops.describe(op), psci.result(fn, a1, a2), seen, ev)
    elif code == ops.IRQ_WINDOW:
        _expect(res, "IRQ window", ops.describe(op) + " interrupts taken", st.acks, seen, ev)
    elif code == ops.MODE:
        reads = [a for a in st.accesses if not a["run"]["mmio_is_write"]]
        writes = [a for a in st.accesses if a["run"]["mmio_is_write"]]
        if len(reads) != 1 or len(writes) != 1:
            res.fail(f"{ops.describe(op)}: expected one read and one write of the mode register, saw "
                     f"{len(reads)} and {len(writes)}; {_where(ev)}")
            return
        served = reads[0]["answer"].get("mmio_data", 0) & 0xFFFFFFFF
        _expect(res, "mode tour", ops.describe(op) + " value read", served, seen, ev)
        _expect(res, "mode tour", ops.describe(op) + " value written back", served,
                writes[0]["run"]["mmio_data"] & 0xFFFFFFFF, writes[0])
    elif code == ops.VFP:
        _expect(res, "VFP", "pattern through D0", ops.vfp_expected(op), seen, ev)


def _expect(res: CheckResult, kind: str, what: str, expected: int, seen: int, ev: dict) -> None:
    res.checked[kind] += 1
    if expected != seen:
        res.fail(f"{what}: expected 0x{expected:08x}, seen 0x{seen:08x}; {_where(ev)}")


def _check_access(res: CheckResult, st: _Vm, op: int, seen: int, report: dict) -> None:
    a = ops.access(op)
    rt = "lr" if a.rt == 14 else f"r{a.rt}"
    what = (f"MMIO {a.mnemonic} {rt} at IPA 0x{a.ipa:08x} ({a.size} bytes, "
            f"{'signed' if a.signed else 'unsigned'}, {'write' if a.write else 'read'}, Rt {rt})")
    res.checked["MMIO " + ("write" if a.write else "read")] += 1
    if len(st.accesses) != 1:
        res.fail(f"{what}: expected one MMIO exit to the device, saw {len(st.accesses)} between the op (cycle "
                 f"{st.op_cycle}) and the report; {_where(report)}")
        return
    ev = st.accesses[0]
    run = ev["run"]
    got = (run["mmio_addr"], run["mmio_len"], bool(run["mmio_is_write"]))
    if got != (a.ipa, a.size, a.write):
        res.fail(f"{what}: the exit was a {run['mmio_len']}-byte {'write' if run['mmio_is_write'] else 'read'} "
                 f"of IPA 0x{run['mmio_addr']:08x}; {_where(ev)}")
        return
    mask = (1 << (8 * a.size)) - 1
    if a.write:
        expected, data = seen & mask, run["mmio_data"] & mask
        if expected != data:
            res.fail(f"{what}: expected data 0x{expected:0{2 * a.size}x} (the low bytes of {rt} = 0x{seen:08x}), "
                     f"the VMM saw 0x{data:0{2 * a.size}x}; {_where(ev)}")
        return
    served = ev["answer"].get("mmio_data", 0)
    expected = ops.extend(served, a.size, a.signed)
    res.loads.append((ev["cycle"], run["guest_pc"], a.rt, expected, what))
    if expected != seen:
        res.fail(f"{what}: expected 0x{expected:08x} (served 0x{served & mask:0{2 * a.size}x}), the guest saw "
                 f"0x{seen:08x}; {_where(ev)} (reported at cycle {report['cycle']})")


def check_trace_loads(trace: Path, res: CheckResult) -> None:
    """The same loads seen from the retire trace: the guest's Rt when it runs again after the
    exit (its first instruction at the load's PC + 4 after the doorbell, the host emulating
    the load and skipping it), independent of what the guest then reports."""
    pending = sorted(res.loads)
    if not pending:
        return
    i = 0
    waiting: dict[int, tuple[int, int, int, int, str]] = {}      # PC + 4 -> load
    for t, before in walk(read_trace(trace), ArchState()):
        if not isinstance(t, RetireTxn):
            continue
        while i < len(pending) and pending[i][0] <= t.cycle:
            waiting[pending[i][1] + 4] = pending[i]
            i += 1
        load = waiting.pop(t.pc, None) if before.cpsr & 0x1F != Mode.HYP else None
        if load is None:
            continue
        cycle, pc, rt, expected, what = load
        seen = before.regs()[rt]
        res.checked["MMIO read in the register file"] += 1
        if seen != expected:
            res.fail(f"{what}: expected 0x{expected:08x} in the guest's register when it resumed at cycle "
                     f"{t.cycle}, the trace has 0x{seen:08x}; guest PC 0x{pc:08x}, cycle {cycle}")
        if i >= len(pending) and not waiting:
            break
    for cycle, pc, rt, expected, what in waiting.values():
        res.fail(f"{what}: the guest never ran again after the exit (guest PC 0x{pc:08x}, cycle {cycle})")

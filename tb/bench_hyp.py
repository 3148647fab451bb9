"""World-switch costs from a retire trace (`make bench`, issue: the hypervisor).

Reads the trace of `hypsim run-guest firmware/build/guests/bench.bin` (one VM)
and of the same guest in two VMs, and measures, in core cycles and retired
instructions (guest, host and Hyp together), what each operation of
firmware/guests/bench.c costs, by the labels it places in the guest:

* an operation at label L costs the cycles from the retirement just before
  L's instruction to the guest's retirement of the instruction after L
  (L + 4), and the instructions retired in between (L's own included); the
  last of the guest's rounds counts, so no stage-2 page fault is included;
* the virtual interrupt runs from the retirement before ``bench_sgi`` (the
  store to the emulated GICD_SGIR) to the retirement of ``bench_eoir`` (the
  guest's EOI through GICV); acknowledge + EOI from before ``bench_iar`` to
  ``bench_eoir``;
* the host's null call through the Hyp ABI: the ``hvc`` in kvm_call_hyp with
  r0 = __hyp_null to the ``bx lr`` after it;
* the switch between two VMs: the last guest instruction of one VM to the
  first of the other (the VM told apart by the VMID last written to VTTBR),
  through the Hyp-timer preemption, the smallest over the run.

KVM/ARM's figures on a Cortex-A15 (Dall and Nieh, ASPLOS'14, table 3) are
printed beside them: hypercall 5,326 cycles, I/O kernel 5,990, I/O user
10,119, EOI+ACK 427.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .models.arm_state import ArchState, Mode
from .trace import RetireTxn, Txn, read_trace, walk
from .vmid_scoreboard import vttbr_write

KVM_A15 = {"hypercall": 5326, "mmio_kernel": 5990, "mmio_user": 10119, "eoi_ack": 427}


@dataclass(frozen=True)
class Cost:
    cycles: int
    instructions: int


@dataclass(frozen=True)
class Operation:
    key: str
    title: str
    start: str          # the label whose preceding retirement starts the span
    end: str            # the label whose retirement ends it ("+4": the instruction after start)


OPERATIONS = (
    Operation("hypercall", "guest hypercall handled in the host (PSCI_VERSION)", "bench_hvc", "+4"),
    Operation("hc_user", "guest hypercall to the VMM and back (KVM_EXIT_HYPERCALL)", "bench_hc_user", "+4"),
    Operation("mmio_kernel", "MMIO exit emulated in the host (GICD_TYPER read)", "bench_mmio_kernel", "+4"),
    Operation("mmio_user", "MMIO exit to the VMM and back (PL011 UARTFR read)", "bench_mmio_user", "+4"),
    Operation("vfp", "lazy VFP switch (first VFP access after an entry)", "bench_vfp", "+4"),
    Operation("virq", "virtual IRQ from injection (GICD_SGIR) to the guest's EOI", "bench_sgi", "bench_eoir"),
    Operation("eoi_ack", "guest acknowledge + EOI through GICV (no exit)", "bench_iar", "bench_eoir"),
)


def _is_guest(cpsr: int, vmid: int) -> bool:
    return (cpsr & 0x1F) != Mode.HYP and vmid != 0


def guest_costs(txns: Iterable[Txn], symbols: dict[str, int]) -> dict[str, Cost]:
    """The last occurrence of every operation of OPERATIONS (guest VA = IPA: the guest runs MMU off)."""
    retired: list[tuple[int, int]] = []     # (pc, cycle) of every retirement, guest or not
    guest_idx: list[int] = []               # indices into retired of guest instructions
    vmid = 0
    for t, before in walk(iter(txns), ArchState()):
        if not isinstance(t, RetireTxn):
            continue
        written = vttbr_write(t.instr, before)
        if written is not None:
            vmid = written[0]
        if _is_guest(before.cpsr, vmid):
            guest_idx.append(len(retired))
        retired.append((t.pc, t.cycle))
    out: dict[str, Cost] = {}
    for op in OPERATIONS:
        start = symbols[op.start]
        end = start + 4 if op.end == "+4" else symbols[op.end]
        span = _last_span(retired, guest_idx, start, end)
        if span is not None:
            out[op.key] = span
    return out


def _last_span(retired: list[tuple[int, int]], guest_idx: list[int], start: int, end: int) -> Cost | None:
    """The last span from the retirement before the guest's instruction at `start`
    to its next retirement at `end` (a trapped instruction that runs again,
    such as the VFP access, keeps the span open)."""
    best: Cost | None = None
    open_at: int | None = None
    for i in guest_idx:
        pc = retired[i][0]
        if open_at is None:
            if pc == start and i > 0:
                open_at = i - 1
        elif pc == end:
            best = Cost(retired[i][1] - retired[open_at][1], i - open_at - 1)
            open_at = None
    return best


def host_null_call(txns: Iterable[Txn], call_hyp: int, null_fn: int) -> Cost | None:
    """The Hyp ABI round trip of kvm_call_hyp(__hyp_null): hvc to the bx lr after it."""
    start: tuple[int, int] | None = None
    n = 0
    for t, before in walk(iter(txns), ArchState()):
        if not isinstance(t, RetireTxn):
            continue
        n += 1
        if t.pc == call_hyp and (before.cpsr & 0x1F) == Mode.SVC and before.regs()[0] == null_fn:
            start = (t.cycle, n)
        elif start is not None and t.pc == call_hyp + 4:
            return Cost(t.cycle - start[0], n - start[1] - 1)
    return None


def vm_switch(txns: Iterable[Txn]) -> Cost | None:
    """The shortest span from a guest instruction of one VM to the next guest instruction of another."""
    vmid, last = 0, None   # last: (vmid, cycle, index) of the last guest retirement
    best: Cost | None = None
    n = 0
    for t, before in walk(iter(txns), ArchState()):
        if not isinstance(t, RetireTxn):
            continue
        n += 1
        written = vttbr_write(t.instr, before)
        if written is not None:
            vmid = written[0]
        if _is_guest(before.cpsr, vmid):
            if last is not None and last[0] != vmid:
                c = Cost(t.cycle - last[1], n - last[2] - 1)
                if best is None or c.cycles < best.cycles:
                    best = c
            last = (vmid, t.cycle, n)
    return best


def table(costs: dict[str, Cost | None]) -> str:
    rows = [("operation", "cycles", "instructions", "KVM/ARM A15 cycles")]
    titles = {op.key: op.title for op in OPERATIONS}
    titles.update(host_null="host null call through the Hyp ABI (hvc #0 -> __hyp_null -> SVC)",
                  vm_switch="switch between two VMs (Hyp-timer preemption, last guest instruction to first)")
    for key in ("host_null", "hypercall", "hc_user", "mmio_kernel", "mmio_user", "virq", "eoi_ack",
                "vm_switch", "vfp"):
        c = costs.get(key)
        ref = KVM_A15.get(key)
        rows.append((titles[key], f"{c.cycles:,}" if c else "-", f"{c.instructions:,}" if c else "-",
                     f"{ref:,}" if ref else "-"))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}" for r in rows)


def elf_symbols(path: Path) -> dict[str, int]:
    """Every named symbol of an ELF, labels (NOTYPE) included."""
    from elftools.elf.elffile import ELFFile
    with open(path, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        return {s.name: int(s["st_value"]) for s in symtab.iter_symbols() if s.name} if symtab else {}


def costs_from_traces(one_vm: Path, two_vms: Path, guest_symbols: dict[str, int],
                      hyp_symbols: dict[str, int]) -> dict[str, Cost | None]:
    costs: dict[str, Cost | None] = dict(guest_costs(read_trace(one_vm), guest_symbols))
    costs["host_null"] = host_null_call(read_trace(one_vm), hyp_symbols["kvm_call_hyp"],
                                        hyp_symbols["__hyp_null"])
    costs["vm_switch"] = vm_switch(read_trace(two_vms))
    return costs

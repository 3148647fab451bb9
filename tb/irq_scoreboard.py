"""Interrupt-injection scoreboard: every interrupt a VM is owed reaches it through a list register.

After a `hypsim run-guest` run this reads the retire trace and the VMM's
exchange log (vmm-events.jsonl, written by tb/cocotb_top.py) and replays,
against the vGIC model of every VM (tb/models/vgic.py VgicModel) and the
GICv2 virtual-interface model of the one CPU interface (gic_virt.VirtIf).
With several vCPUs per VM (``vcpus``) each has its own banked SGIs/PPIs,
timers and list registers in the model; the vCPU entering is the one whose
VMPIDR (Aff0) the world switch loads, and a GICD_SGIR store reaches the
vCPUs its filter and target list name, with the sender's CPUID in the LR:

* the assertions: KVM_IRQ_LINE requests in the VMM's answers (seed 001
  encoding; at the doorbell's cycle, for the VM the run struct names); the
  guest's virtual and physical timers (its MCR/MCRR to CNTV_/CNTP_ TVAL, CTL,
  CVAL with Rt from the replayed registers; the counter is the trace's cycle
  count: rtl/timer's CNTPCT and tb/hdl/retire_tracer's cycle count both start
  at reset and count every clock, and a TVAL write uses the count of the cycle
  it retires in; CNTVOFF as the world switch writes it); the guest's stores
  to its emulated distributor (stage-2 data aborts with a syndrome: data from
  Rt, IPA from the HPFAR/HDFAR the Hyp side reads): GICD_CTLR, I[SC]ENABLER,
  I[SC]PENDR, IPRIORITYR, ITARGETSR, ICFGR, SGIR, [SC]PENDSGIR;
* the hypervisor's GICH accesses (Hyp and the host run with the MMU off, so
  their data beats are physical: GICH at 0x0803_0000): the LRs, GICH_HCR and
  HCR.VI/VF it loads for each entry (ERET into VMID != 0) are checked by the
  model: every owed interrupt in an LR, the highest priorities first when more
  are owed than there are LRs (4), an edge once per assertion, a level again
  after its EOI while still high, a level that dropped (or an interrupt
  disabled) taken back before the guest acknowledges it, UIE while some wait,
  and an active LR never overwritten. The GICH registers it reads back at each
  exit (LRs, MISR, EISR, ELRSR, APR, HCR, VMCR) must match the GICv2 model;
* the guest's GICV accesses, recognised by the beat's physical address (the
  trace's PA field, MemBeat.pa): the host maps the guest's GICC IPA
  (vmm_abi.h HYPSIM_GUEST_GICC_IPA) to the GICV frame (kvm_arm.h GICV_PA,
  firmware/host/mmu.c), so a guest beat whose PA is in GICV is one, at whatever
  VA the guest's stage 1 (on or off, identity or not, as Linux's ioremap) put
  it. GICV_IAR must return what the GICv2 model acknowledges, and must be an
  interrupt the model delivered; EOIR ends it; a maintenance interrupt the
  model raises (GICH_HCR.UIE/NPIE/LRENPIE, an EOI with LR.EOI) must make the
  guest exit with an IRQ within MAINT_LATENCY cycles. A trace from before the
  PA field (pa = addr) is read as before: a beat at the GICC IPA with stage 1
  off.

With several cores (one trace each, merged by cycle: tb/trace.walk_cores),
each core has its own GICv2 virtual-interface model (GICH/GICV are banked
per CPU interface: GIC CPU c's for core c) and its own world-switch state (the
VMPIDR/VTTBR/HCR it wrote, the vCPU entered there, its exit window, its
physical IRQ exits and maintenance latency); the VMs' vGIC models, their
per-vCPU LRs and timers and the VMM log are the run's, so a vCPU that exits on
one core and enters on another is scored against the LRs it left. A VMM
exchange goes to the VM of its run struct's index among the VMs last run on
any core. Messages then start with the core ("core 1: ...").

Kick liveness (several cores): an interrupt made owed to a vCPU (pending and
deliverable per the vGIC model) by another core's exit (a GICD store of a vCPU
there, or KVM_IRQ_LINE from the VMM) while that vCPU is in its guest on core c
must make core c leave the guest (any exit) within KICK_LIMIT cycles: the
hypervisor signals it with a physical SGI (firmware/host/main.c kvm_vcpu_kick),
else the vCPU runs on without the interrupt until something else makes it exit,
or for ever (a hung run is reported at the end of the trace). Timer expiries are
not scored here (the guest's own timer fires on its own core).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .models.arm_state import PHYS_NAMES, ArchState, Mode, phys_index
from .models.gic_regs import MISR_NAMES, NUM_LR, Frame, Gicc, Gich, LrState, register_name
from .models.gic_virt import VirtIf
from .models.hsr import EC, CoprocAccess, decode_coproc
from .models.vgic import Injection, KvmIrqLineError, VgicModel, lr_text
from .simulator import REPO
from .vmm import read_events
from .vmm_abi import A, parse_header
from .trace import ExceptionTxn, ExcType, MemBeat, RetireTxn, Txn, read_trace, walk_cores

MAX_REPORTED = 12
GICD_IPA, GICH_PA, FRAME = 0x0800_0000, 0x0803_0000, 0x1_0000
GICV_IPA = A.HYPSIM_GUEST_GICC_IPA  # the guest's GICC, mapped by stage 2 to GICV_PA (firmware/host/mmu.c)
GICV_PA = parse_header((REPO / "firmware/include/kvm_arm.h").read_text())["GICV_PA"]
GICV_SIZE = 0x2000                  # GICV_DIR at 0x1000
MAINT_LATENCY = 64                  # cycles from a maintenance cause to the guest's exit (3 measured)
# cycles from an interrupt becoming owed to a vCPU in its guest on another core to that core's exit
# (the kick: the sender's exit emulates the store, sends the physical SGI, the target takes it).
# Measured on Verilator with the good hypervisor: smp guest --vcpus 2 --smp 2, SGI 5 to CPU 1
# spinning on core 1: 2894 cycles (the one such case in the run); --vms 2 --vcpus 2 --smp 2: no
# SGI found its target in its guest on the other core (0 cases). ~10x the largest seen.
KICK_LIMIT = 30_000
VTIMER, PTIMER = 27, 30
EXC_IRQ, EXC_HYP_TRAP = ExcType.IRQ, ExcType.HYP
KVM_EXIT_SYSTEM_EVENT = 24
SCTLR_M = 1
ELR_HYP = PHYS_NAMES.index("elr_hyp")


@dataclass
class _Timer:
    ctl: int = 0
    cval: int = 0
    set_pc: int = 0

    def armed(self) -> bool:
        return self.ctl & 1 == 1 and not self.ctl & 2


@dataclass
class _Vm:
    """One VM's context: its model, timers and identity."""
    vmid: int
    key: int                           # order of creation in this trace
    model: VgicModel
    index: int | None = None           # the VMM's VM index (run.vm), once a doorbell names it
    timers: dict[int, dict[int, _Timer]] = field(default_factory=dict)   # vCPU -> {PPI: its timer}
    cntvoff: int = 0
    dead: bool = False

    def name(self) -> str:
        idx = self.index if self.index is not None else f"#{self.key}"
        return f"VM {idx} (VMID {self.vmid})"

    def timer(self, vcpu: int, intid: int) -> _Timer:
        return self.timers.setdefault(vcpu, {VTIMER: _Timer(), PTIMER: _Timer()})[intid]

    def expiry(self, vcpu: int, intid: int) -> int | None:
        t = self.timer(vcpu, intid)
        if not t.armed():
            return None
        return t.cval + (self.cntvoff if intid == VTIMER else 0)


@dataclass
class IrqScore:
    injections: list[Injection] = field(default_factory=list)
    by_source: dict[str, int] = field(default_factory=dict)
    vms: int = 0
    entries: int = 0
    lr_deliveries: int = 0
    acks: int = 0
    eois: int = 0
    maintenance_exits: int = 0
    withdrawn: int = 0
    irq_lines: int = 0                 # KVM_IRQ_LINE requests read from vmm-events.jsonl
    maint_latencies: list[int] = field(default_factory=list)   # maintenance cause -> the guest's IRQ exit
    kick_latencies: list[int] = field(default_factory=list)    # owed on another core -> that core's exit
    events_read: bool = False
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0

    def latencies(self, which: str = "lr") -> list[int]:
        """Cycles from each assertion to its LR write ("lr") or to the guest's acknowledge ("ack")."""
        vals = [i.to_lr if which == "lr" else i.to_ack for i in self.injections]
        return [v for v in vals if v is not None]

    @staticmethod
    def _stats(vals: list[int]) -> str:
        if not vals:
            return "-"
        return f"{min(vals)}/{int(statistics.median(vals))}/{max(vals)}"

    def table(self) -> str:
        """One line per injection: what, for whom, when asserted, in an LR, acknowledged, EOIed."""
        def at(c: int | None, pc: int | None, since: int) -> str:
            return "-" if c is None else f"{c} (+{c - since}, pc {pc or 0:#010x})"
        rows = []
        for i in self.injections:
            end = f"withdrawn at {i.withdrawn}" if i.withdrawn is not None else f"EOI {at(i.eoi_cycle, i.eoi_pc, i.asserted)}"
            rows.append(f"VM {i.vm} vCPU {i.vcpu} ID {i.intid} {i.source} asserted {i.asserted} (pc {i.asserted_pc:#010x}) "
                        f"LR{'' if i.lr_index is None else i.lr_index} {at(i.lr_cycle, i.lr_pc, i.asserted)} "
                        f"ack {at(i.ack_cycle, i.ack_pc, i.asserted)} {end}")
        return "\n".join(rows)

    def summary(self) -> str:
        src = ", ".join(f"{n} {s}" for s, n in sorted(self.by_source.items()))
        delivered = sum(i.lr_cycle is not None for i in self.injections)
        text = (f"irq scoreboard: {len(self.injections)} injections ({src or 'none'}) to {self.vms} VM(s) over "
                f"{self.entries} entries, {delivered} through list registers, {self.acks} acknowledged, "
                f"{self.eois} EOIed, {self.withdrawn} withdrawn before acknowledge, {self.maintenance_exits} "
                f"maintenance exits (cause to exit {self._stats(self.maint_latencies)} cycles); latency min/median/max to LR {self._stats(self.latencies('lr'))} cycles, "
                f"to acknowledge {self._stats(self.latencies('ack'))}; {self.mismatch_count} mismatches")
        if not self.events_read:
            text += " (no vmm-events.jsonl: KVM_IRQ_LINE not scored)"
        if self.kick_latencies:
            text += (f"; {len(self.kick_latencies)} interrupts owed to a vCPU in its guest on another core, owed "
                     f"to that core's exit {self._stats(self.kick_latencies)} cycles (limit {KICK_LIMIT})")
        return text


def _lr_hint(seen: int, want: int) -> str:
    """What a disagreement between an LR read back and the model's LR means."""
    vid, ws, ss = want & 0x3FF, (want >> 28) & 3, (seen >> 28) & 3
    if seen & 0x3FF != vid:
        return ""
    if ws & LrState.ACTIVE and ss == LrState.INVALID:
        return f": the guest's EOI of {vid} is missing (the hardware deactivated it, the model saw no GICV_EOIR)"
    if ws == LrState.PENDING and ss & LrState.ACTIVE:
        return f": the guest's acknowledge of {vid} is missing (the model saw no GICV_IAR returning it)"
    return ""


@dataclass
class _Core:
    """What the checker follows per physical core: its GIC CPU interface's virtual
    interface (GICH/GICV are banked per CPU) and the world switch it runs."""

    tag: str = ""                  # "core <n>: " before its messages (several cores), else ""
    vmpidr: int = 0                # VMPIDR as the world switch last wrote it on this core
    vcpu: int = 0                  # the vCPU in the guest (VMPIDR.Aff0 at its entry)
    virt: VirtIf = field(default_factory=VirtIf)
    vmid: int = 0                  # VTTBR.VMID now
    cur: _Vm | None = None         # the VM in the guest (or whose exit the host handles)
    in_guest: bool = False
    window_start: int = 0          # cycle of the last exit: the hypervisor's window began
    sctlr: int = 0
    hcr: int = 0
    lr_at: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)] * NUM_LR)
    exit_reads: dict[int, int] = field(default_factory=dict)
    exit_timer_checked: set[str] = field(default_factory=set)
    abort: dict[str, int] | None = None
    maint_since: int | None = None
    last_cycle: int = 0
    guest_mode: int = int(Mode.SVC)
    pending_exit_sync: bool = False
    _checked_window: int | None = None


@dataclass
class _Owed:
    """An interrupt owed to the vCPU in its guest on some core, by another core's exit."""
    vm: _Vm
    inj: Injection
    cause: str                         # "GICD_SGIR by vCPU 0 on core 0", "KVM_IRQ_LINE from the VMM"


class _Scorer:
    def __init__(self, events: list[dict] | None, vcpus: int = 1, ncores: int = 1) -> None:
        self.score = IrqScore()
        self.nr_vcpus = vcpus          # vCPUs per VM (BI_NR_VCPUS)
        self.events_known = events is not None
        self.events = events or []
        self.ev_i = 0
        self.vms: list[_Vm] = []
        self.by_vmid: dict[int, _Vm] = {}
        self.rises: dict[tuple[int, int, int], tuple[int, int]] = {}  # (vm key, vcpu, intid) -> (expiry, pc)
        self.cores = [_Core(f"core {c}: " if ncores > 1 else "") for c in range(ncores)]
        self.c = self.cores[0]         # the core whose event is being scored
        self.kicks: dict[int, _Owed] = {}   # core -> the first interrupt owed to the vCPU in its guest there

    # ------------------------------------------------------------ reporting
    def fail(self, msg: str) -> None:
        self.score.mismatch_count += 1
        if len(self.score.mismatches) < MAX_REPORTED:
            self.score.mismatches.append(self.c.tag + msg)

    # -------------------------------------------------------------- contexts
    def _vm_for(self, vmid: int) -> _Vm:
        vm = self.by_vmid.get(vmid)
        if vm is None or vm.dead:
            vm = _Vm(vmid, len(self.vms), VgicModel(vm=len(self.vms), nr_vcpus=self.nr_vcpus))
            self.vms.append(vm)
            self.by_vmid[vmid] = vm
        return vm

    # ---------------------------------------------------------------- timers
    def _timer_changed(self, vm: _Vm, vcpu: int, intid: int, cycle: int, pc: int) -> None:
        exp = vm.expiry(vcpu, intid)
        self.rises.pop((vm.key, vcpu, intid), None)
        if exp is not None and exp <= cycle:
            vm.model.set_line(vcpu, intid, True, cycle, pc, "timer")      # expired already: from this write
        else:
            vm.model.set_line(vcpu, intid, False, cycle, pc, "timer")
            if exp is not None:
                self.rises[(vm.key, vcpu, intid)] = (exp, pc)

    def _advance(self, limit: int, skip: tuple[int, int, frozenset[int]] | None = None) -> None:
        """Timer expiries up to `limit` become line rises (at their expiry cycle)."""
        for (key, vcpu, intid), (exp, pc) in list(self.rises.items()):
            if exp <= limit and not (skip and skip[:2] == (key, vcpu) and intid in skip[2]):
                del self.rises[(key, vcpu, intid)]
                self.vms[key].model.set_line(vcpu, intid, True, exp, pc, "timer")

    def _guest_timer_write(self, vm: _Vm, acc: CoprocAccess, regs: tuple[int, ...], cycle: int, pc: int) -> None:
        if acc.is64:
            if acc.crm != 14 or acc.opc1 not in (2, 3):
                return
            intid = VTIMER if acc.opc1 == 3 else PTIMER
            vm.timer(self.c.vcpu, intid).cval = (regs[acc.rt2] << 32) | regs[acc.rt]
        else:
            if acc.crn != 14 or acc.opc1 != 0 or acc.crm not in (2, 3) or acc.opc2 not in (0, 1):
                return
            intid = VTIMER if acc.crm == 3 else PTIMER
            val = regs[acc.rt]
            if acc.opc2 == 1:
                vm.timer(self.c.vcpu, intid).ctl = val & 3
            else:   # TVAL: CVAL = count + SignExtend(TVAL) (B8.1.5), count of the retiring cycle
                count = cycle - (vm.cntvoff if intid == VTIMER else 0)
                sext = val - (1 << 32) if val & 0x8000_0000 else val
                vm.timer(self.c.vcpu, intid).cval = (count + sext) & ((1 << 64) - 1)
        vm.timer(self.c.vcpu, intid).set_pc = pc
        self._advance(cycle)
        self._timer_changed(vm, self.c.vcpu, intid, cycle, pc)

    # ------------------------------------------------------------ VMM events
    def _vmm_until(self, cycle: int) -> None:
        while self.ev_i < len(self.events) and self.events[self.ev_i].get("cycle", 0) <= cycle:
            ev = self.events[self.ev_i]
            self.ev_i += 1
            run = ev.get("run", {})
            idx = run.get("vm")
            vm = self._vm_asked(idx)
            if vm is None:
                continue
            if vm.index is None:
                vm.index = idx
            elif idx is not None and idx != vm.index:
                self.fail(f"cycle {ev['cycle']}: the VMM was asked about VM {idx} while {vm.name()} was the "
                          f"last one run: exits must come from the VM that ran")
            vm.model.label = vm.name()
            for word, level in (ev.get("answer") or {}).get("irq", []):
                self.score.irq_lines += 1
                self._advance(ev["cycle"])
                n = len(vm.model.injections)
                try:
                    vm.model.irq_line(word, level, ev["cycle"], run.get("guest_pc", 0))
                    self._kick_owed(vm, n, None, "KVM_IRQ_LINE from the VMM")
                except (KvmIrqLineError, ValueError) as exc:
                    self.fail(f"cycle {ev['cycle']}: KVM_IRQ_LINE {word:#010x} level {level} for {vm.name()}: {exc}")
            if run.get("exit_reason") == KVM_EXIT_SYSTEM_EVENT and "stop" not in ev:
                vm.dead = True

    def _vm_asked(self, idx: int | None) -> _Vm | None:
        """The VM a VMM exchange is about: the one run last on this core, or with several
        cores, of the VMs run last on some core the one with that index (else one not named yet)."""
        if len(self.cores) > 1:
            curs = [c.cur for c in self.cores if c.cur is not None]
            for want in (idx, None):
                for vm in curs:
                    if idx is not None and vm.index == want:
                        return vm
        return self.c.cur

    # --------------------------------------------------------- GICH (Hyp side)
    def _gich(self, beat: MemBeat, cycle: int, pc: int) -> None:
        off = beat.addr - GICH_PA
        if beat.write:
            self.c.virt.gich_write(off & ~3, beat.data)
            if Gich.LR0 <= off < Gich.LR0 + 4 * NUM_LR:
                self.c.lr_at[(off - Gich.LR0) >> 2] = (cycle, pc)
            return
        want = self.c.virt.gich_read(off & ~3)
        if off == Gich.MISR and beat.data:
            self.score.maintenance_exits += 1
        if beat.data != want and off in (Gich.HCR, Gich.VMCR, Gich.MISR, Gich.EISR0, Gich.ELRSR0, Gich.APR) \
                or beat.data != want and Gich.LR0 <= off < Gich.LR0 + 4 * NUM_LR:
            name = (f"GICH_LR{(off - Gich.LR0) >> 2}" if off >= Gich.LR0 else f"GICH_{Gich(off).name}")
            extra = ""
            if off >= Gich.LR0:
                extra = f" ({lr_text(want)})" + _lr_hint(beat.data, want)
            if off == Gich.MISR:
                extra = (" (" + "|".join(n for b, n in enumerate(MISR_NAMES) if want >> b & 1) + " expected, "
                         + ("|".join(n for b, n in enumerate(MISR_NAMES) if beat.data >> b & 1) or "none") + " seen)")
            seen = f" ({lr_text(beat.data)})" if off >= Gich.LR0 else ""
            self.fail(f"cycle {cycle} pc {pc:#010x}: {name} read {beat.data:#010x}{seen}, the GICv2 model says "
                      f"{want:#010x}{extra}")
        self.c.exit_reads[off & ~3] = beat.data

    # ------------------------------------------------------- GICV (the guest)
    @staticmethod
    def _gicv_offset(beat: MemBeat, stage1: bool) -> int | None:
        """The GICV register a guest beat accesses (its offset in the frame), else None: by its
        PA in the GICV frame, stage 1 on or off; a beat without a PA (pa = addr: a trace from
        before the tracer's PA field) only at the GICC IPA with stage 1 off, as then VA = IPA."""
        if GICV_PA <= beat.pa < GICV_PA + GICV_SIZE:
            return beat.pa - GICV_PA
        if beat.pa == beat.addr and not stage1 and GICV_IPA <= beat.addr < GICV_IPA + GICV_SIZE:
            return beat.addr - GICV_IPA
        return None

    def _gicv(self, vm: _Vm, beat: MemBeat, off: int, cycle: int, pc: int) -> None:
        if beat.write:
            if off == Gicc.EOIR:
                self.score.eois += 1
                vm.model.guest_eoi(self.c.vcpu, beat.data & 0x3FF, cycle, pc)
            self.c.virt.gicv_write(off & ~3, beat.data, lambda pid: None)
        else:
            want = self.c.virt.gicv_read(off & ~3)
            if beat.data != want:
                name = register_name(Frame.GICV, off) or f"GICV+{off:#x}"
                self.fail(f"cycle {cycle} pc {pc:#010x}: {vm.name()}: {name} read "
                          f"{beat.data:#010x}, the GICv2 model says {want:#010x}")
            vm.model.label = vm.name()
            if off == Gicc.IAR and beat.data & 0x3FF < 1020:
                self.score.acks += 1
                why = vm.model.guest_ack(self.c.vcpu, beat.data & 0x3FF, cycle, pc)
                if why:
                    self.fail(f"cycle {cycle} pc {pc:#010x}: {why}")
        if self.c.maint_since is None and self.c.virt.maintenance():
            self.c.maint_since = cycle

    # ------------------------------------------------------------- the walk
    def entry(self, cycle: int, pc: int) -> None:
        vm = self._vm_for(self.c.vmid)
        self.c.cur = vm
        vc = self.c.vmpidr & 0xFF
        if vc >= self.nr_vcpus:
            self.fail(f"cycle {cycle} pc {pc:#010x}: {vm.name()}: a guest entered with VMPIDR {self.c.vmpidr:#010x}, "
                      f"Aff0 {vc} is no vCPU of a VM of {self.nr_vcpus}: expected the vCPU id (seed 000)")
            vc = 0
        self.c.vcpu = vc
        lrs = list(self.c.virt.lrs)
        # timers that expired inside the hypervisor's window: may be delivered now or next time
        window = frozenset(i for (k, c, i), (exp, _) in self.rises.items()
                           if k == vm.key and c == vc and self.c.window_start < exp <= cycle)
        delivered_now = {lrs[n] & 0x3FF for n in range(NUM_LR) if (lrs[n] >> 28) & 3
                         and vm.model.lrs[vc][n].intid != lrs[n] & 0x3FF}
        for i in window & delivered_now:
            exp, rpc = self.rises.pop((vm.key, vc, i))
            vm.model.set_line(vc, i, True, exp, rpc, "timer")
        optional = window - delivered_now
        if not self.events_known:
            # no VMM log (--compare-qemu: the firmware's own device models drive the SPIs): an SPI the
            # hypervisor delivers is taken as asserted by a line this checker cannot see
            for n in range(NUM_LR):
                vid = lrs[n] & 0x3FF
                if (lrs[n] >> 28) & 1 and 32 <= vid < vm.model.nr_irqs and vm.model.lrs[vc][n].intid != vid \
                        and not vm.model.pending(vc, vid):
                    vm.model.set_line(vc, vid, True, cycle, pc, "unobserved line")
        self._advance(self.c.window_start, skip=(vm.key, vc, optional))
        bad = vm.model.entry(vc, lrs, self.c.virt.hcr, bool(self.c.hcr & (1 << 7)), bool(self.c.hcr & (1 << 6)),
                             cycle, self.c.lr_at, optional, pc)
        vm.model.label = vm.name()
        for msg in bad:
            self.fail(msg)
        self.score.entries += 1
        self.c.in_guest = True
        self.c.exit_reads.clear()
        self.c.lr_at = [(cycle, pc)] * NUM_LR
        if self.c.virt.maintenance():
            self.c.maint_since = cycle
        else:
            self.c.maint_since = None

    def exit(self, t: ExceptionTxn) -> None:
        vm = self.c.cur
        self.c.in_guest = False
        self.c.window_start = t.cycle
        self._advance(t.cycle)
        if self.c.maint_since is not None and t.cycle - self.c.maint_since > MAINT_LATENCY:
            self.fail(f"cycle {t.cycle} pc {t.ret:#010x}: {vm.name() if vm else 'the guest'}: the GICv2 model "
                      f"raised the maintenance interrupt at cycle {self.c.maint_since} (MISR "
                      f"{self.c.virt.misr():#x}) but the guest ran on for {t.cycle - self.c.maint_since} cycles before "
                      f"its exit ({t.name}): expected an IRQ exit within {MAINT_LATENCY} cycles")
        if self.c.maint_since is not None and t.kind == EXC_IRQ:
            self.score.maint_latencies.append(t.cycle - self.c.maint_since)
        self.c.maint_since = None
        self.c.pending_exit_sync = True
        self._kick_exit(t)

    def exit_sync(self) -> None:
        """At the first LR write of the next entry (or the entry): the LRs as saved at the exit."""
        vm = self.c.cur
        if vm is None:
            return
        lrs = [self.c.exit_reads.get(Gich.LR0 + 4 * i, self.c.virt.lrs[i]) for i in range(NUM_LR)]
        vm.model.exit(self.c.vcpu, lrs, self.c.window_start)

    def run(self, streams: Sequence[Iterable[Txn]]) -> IrqScore:
        for core, t, before in walk_cores(streams):
            self.c = self.cores[core]
            cycle = t.cycle
            self._vmm_until(cycle)
            mode = before.cpsr & 0x1F
            if isinstance(t, ExceptionTxn):
                if self.c.in_guest and t.cpsr & 0x1F == Mode.HYP:
                    if t.kind == EXC_HYP_TRAP and t.hsr >> 26 == EC.DABT_LOWER and t.hsr >> 24 & 1 and t.hsr >> 6 & 1:
                        # Rt in the guest's mode: the trace may list the faulting instruction (its
                        # beat and the exception's register writes) just before the entry
                        srt, sas = t.hsr >> 16 & 0xF, t.hsr >> 22 & 3
                        data = t.ret if srt == 15 else before.phys[phys_index(self.c.guest_mode, srt)]
                        self.c.abort = {"cycle": cycle, "pc": t.ret, "data": data, "size": 1 << sas}
                    self.exit(t)
                continue
            if not t.cond_pass and not t.mem:
                continue
            hyp = mode == Mode.HYP
            if self.c.in_guest and not hyp:
                self.c.guest_mode = mode
            acc = decode_coproc(t.instr) if t.cond_pass else None
            if acc is not None and acc.coproc == 15:
                self._coproc(acc, t, before, hyp)
            for beat in t.mem:
                if not self.c.in_guest and GICH_PA <= beat.addr < GICH_PA + FRAME:
                    if beat.write and self.c.pending_exit_sync:
                        self.exit_sync()
                        self.c.pending_exit_sync = False
                    self._gich(beat, cycle, t.pc)
                elif self.c.in_guest and self.c.cur is not None:
                    off = self._gicv_offset(beat, bool(self.c.sctlr & SCTLR_M))
                    if off is not None:
                        self._gicv(self.c.cur, beat, off, cycle, t.pc)
            if hyp and t.cpsr & 0x1F != Mode.HYP and self.c.vmid != 0 and t.instr & 0x0FFF_FFFF == 0x0160_006E:
                if self.c.pending_exit_sync:
                    self.exit_sync()
                    self.c.pending_exit_sync = False
                self.entry(cycle, before.phys[ELR_HYP])    # the guest PC it resumes at
            self.c.last_cycle = cycle
        self._vmm_until(1 << 62)
        self._kick_end()
        return self.finish()

    def _coproc(self, acc: CoprocAccess, t: RetireTxn, before: ArchState, hyp: bool) -> None:
        regs = before.regs()
        key = (acc.opc1, acc.crn, acc.crm, acc.opc2)
        if not acc.read and not acc.is64 and key == (0, 1, 0, 0):       # SCTLR
            self.c.sctlr = regs[acc.rt]
            return
        if hyp and not acc.read:
            if acc.is64 and acc.opc1 == 6 and acc.crm == 2:             # VTTBR
                self.c.vmid = (regs[acc.rt2] >> 16) & 0xFF
            elif acc.is64 and acc.opc1 == 4 and acc.crm == 14 and self.c.vmid:   # CNTVOFF
                self._vm_for(self.c.vmid).cntvoff = (regs[acc.rt2] << 32) | regs[acc.rt]
            elif not acc.is64 and key == (4, 1, 1, 0):                  # HCR
                self.c.hcr = regs[acc.rt]
            elif not acc.is64 and key == (4, 0, 0, 5):                  # VMPIDR: which vCPU enters
                self.c.vmpidr = regs[acc.rt]
            return
        if hyp and acc.read and self.c.cur is not None:
            w = dict(t.writes)
            if not acc.is64 and key in ((4, 6, 0, 0), (4, 6, 0, 4)) and self.c.abort is not None:   # HDFAR, HPFAR
                self.c.abort["hdfar" if acc.opc2 == 0 else "hpfar"] = w.get(phys_index(Mode.HYP, acc.rt), 0)
                if "hdfar" in self.c.abort and "hpfar" in self.c.abort:
                    self._dist_store(self.c.cur, self.c.abort)
                    self.c.abort = None
            elif not self.c.in_guest:
                self._check_saved_timer(acc, key, w)
            return
        if self.c.in_guest and not acc.read and self.c.cur is not None:
            self._guest_timer_write(self.c.cur, acc, regs, t.cycle, t.pc)

    def _check_saved_timer(self, acc: CoprocAccess, key: tuple[int, int, int, int], w: dict[int, int]) -> None:
        """The world switch's reads of the guest's CNTV/CNTP CTL and CVAL at an exit: the timer model."""
        vm = self.c.cur
        assert vm is not None
        if acc.is64 and acc.crm == 14 and acc.opc1 in (2, 3):
            intid, what = (VTIMER if acc.opc1 == 3 else PTIMER), "CVAL"
            seen = (w.get(phys_index(Mode.HYP, acc.rt2), 0) << 32) | w.get(phys_index(Mode.HYP, acc.rt), 0)
            want = vm.timer(self.c.vcpu, intid).cval
        elif not acc.is64 and key in ((0, 14, 3, 1), (0, 14, 2, 1)):
            intid, what = (VTIMER if acc.crm == 3 else PTIMER), "CTL"
            seen = w.get(phys_index(Mode.HYP, acc.rt), 0) & 3
            want = vm.timer(self.c.vcpu, intid).ctl
        else:
            return
        tag = f"{intid}{what}"
        if tag in self.exit_timer_checked_for(vm):
            return
        self.c.exit_timer_checked.add(tag)
        if seen != want:
            name = ("CNTV_" if intid == VTIMER else "CNTP_") + what
            self.fail(f"cycle {self.c.last_cycle}: {vm.name()}: the world switch saved {name} = {seen:#x} at the exit "
                      f"of cycle {self.c.window_start}, the guest's own writes give {want:#x} (timer model)")

    def exit_timer_checked_for(self, vm: _Vm) -> set[str]:
        if self.c._checked_window != self.c.window_start:
            self.c._checked_window = self.c.window_start
            self.c.exit_timer_checked = set()
        return self.c.exit_timer_checked

    def _dist_store(self, vm: _Vm, ab: dict[str, int]) -> None:
        ipa = ((ab["hpfar"] >> 4) << 12) | (ab["hdfar"] & 0xFFF)
        if not GICD_IPA <= ipa < GICD_IPA + FRAME:
            return
        off, size = ipa - GICD_IPA, ab["size"]
        lane = off & 3
        be = ((1 << size) - 1) << lane
        data = (ab["data"] & ((1 << (8 * size)) - 1)) << (8 * lane)
        self._advance(ab["cycle"])
        n = len(vm.model.injections)
        vm.model.dist_write(self.c.vcpu, off & ~3, data, be, ab["cycle"], ab["pc"])
        self._kick_owed(vm, n, self.cores.index(self.c), f"by vCPU {self.c.vcpu} on core {self.cores.index(self.c)}")

    # ------------------------------------------------ kick liveness (several cores)
    def _kick_owed(self, vm: _Vm, first: int, cause_core: int | None, cause: str) -> None:
        """vm.model.injections[first:] were just made by `cause_core`'s exit (None: the VMM): each one owed
        to a vCPU in its guest on another core starts that core's KICK_LIMIT (the first one counts)."""
        if len(self.cores) < 2:
            return
        for inj in vm.model.injections[first:]:
            for n, c in enumerate(self.cores):
                if (n != cause_core and n not in self.kicks and c.in_guest and c.cur is vm
                        and c.vcpu == inj.vcpu and vm.model.candidate(inj.vcpu, inj.intid)):
                    how = cause if inj.source == "KVM_IRQ_LINE" else f"{inj.source} {cause}"
                    self.kicks[n] = _Owed(vm, inj, how)

    def _kick_fail(self, core: int, owed: _Owed, stayed: int, how: str, never: bool) -> None:
        self.score.mismatch_count += 1
        if len(self.score.mismatches) < MAX_REPORTED:
            i = owed.inj
            self.score.mismatches.append(
                f"{self.cores[core].tag}{owed.vm.name()} vCPU {i.vcpu} was owed interrupt {i.intid} from cycle "
                f"{i.asserted} ({owed.cause}) and stayed in its guest for {stayed} cycles {how} (limit {KICK_LIMIT}): "
                f"the other core was {'never made to exit' if never else 'not made to exit in time'} (no kick?)")

    def _kick_exit(self, t: ExceptionTxn) -> None:
        """The guest on the current core exits: the interrupt owed to it is seen at its next entry."""
        core = self.cores.index(self.c)
        owed = self.kicks.pop(core, None)
        if owed is None:
            return
        stayed = t.cycle - owed.inj.asserted
        if owed.inj.withdrawn is not None and owed.inj.withdrawn - owed.inj.asserted <= KICK_LIMIT:
            return                      # no longer owed before the limit
        self.score.kick_latencies.append(stayed)
        if stayed > KICK_LIMIT:
            self._kick_fail(core, owed, stayed, f"before its exit at cycle {t.cycle} ({t.name})", False)

    def _kick_end(self) -> None:
        """End of the trace (a hung run): a vCPU still in its guest past the limit."""
        end = max(c.last_cycle for c in self.cores)
        for core, owed in sorted(self.kicks.items()):
            if owed.inj.withdrawn is None and end - owed.inj.asserted > KICK_LIMIT:
                self._kick_fail(core, owed, end - owed.inj.asserted, f"without an exit (the trace ends at cycle {end})", True)
        self.kicks.clear()

    def finish(self) -> IrqScore:
        s = self.score
        s.vms = len(self.vms)
        for vm in self.vms:
            s.injections.extend(vm.model.injections)
            s.withdrawn += vm.model.withdrawn
        s.lr_deliveries = sum(i.lr_cycle is not None for i in s.injections)
        for inj in s.injections:
            s.by_source[inj.source] = s.by_source.get(inj.source, 0) + 1
        return s


def score_injections_cores(streams: Sequence[Iterable[Txn]], events: list[dict] | None = None,
                           vcpus: int = 1) -> IrqScore:
    """Score the per-core streams of one run (core 0's first), merged by cycle."""
    sc = _Scorer(events, vcpus, len(streams))
    score = sc.run(streams)
    score.events_read = events is not None
    return score


def score_injections_txns(txns: Iterable[Txn], events: list[dict] | None = None, vcpus: int = 1) -> IrqScore:
    """One core's stream."""
    return score_injections_cores([txns], events, vcpus)


def score_injections(traces: Sequence[Path] | Path, events: Path | None = None, vcpus: int = 1) -> IrqScore:
    """Score the interrupt injections of a run-guest run from its per-core traces (core 0's
    first; one path: a one-core run) and vmm-events.jsonl (``vcpus`` per VM: the vCPU in the
    guest is the one whose VMPIDR the world switch loaded on that core)."""
    evs = read_events(events) if events is not None and events.exists() else None
    paths = [traces] if isinstance(traces, Path) else list(traces)
    return score_injections_cores([read_trace(p) for p in paths], evs, vcpus)

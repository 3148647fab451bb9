"""World-switch scoreboard: every guest entry and every return to the host, scored.

It reads a run-guest run's trace after the run: the RTL tracer's context
snapshots (S lines, tb/hdl/retire_tracer.sv) at every crossing between Hyp
mode and the modes below, the exception entries (X: the exit's type and HSR),
the hypervisor's own reads of HDFAR/HIFAR/HPFAR (its capture of the fault),
and vmm-events.jsonl (what the VMM served). tb/models/world_switch.py says
what each exit must do. At every crossing it checks:

* **guest entry** (an ERET into a mode below Hyp with HCR.VM set): the vCPU
  (known by its VM's stage-2 table, VTTBR.BADDR, and the vCPU object the host
  passed to __kvm_vcpu_run; vCPU ids in the order a VM's vCPUs first run) finds
  exactly the context it left
  with at its last exit plus the model's effect of that exit; a vCPU's first
  entry finds the reset context (nothing of the host's; VMPIDR = the host's
  MPIDR with Aff0 = the vCPU id, seed 000), or, for a vCPU started by PSCI
  CPU_ON, the state QEMU gives a secondary (tb/models/psci.py), the PSCI
  answers following which vCPUs are on; a switch from one vCPU of a VM to
  another passes a CLREX (no STREX succeeds across it); WFI resumes only
  with a virtual interrupt pending; the controls are a guest's: HCR =
  HCR_GUEST (VI/VF/VA aside), HSTR.T15, HCPTR.TCP10/11 unless the vCPU's VFP
  is loaded, and then D0-D31, FPSCR and FPEXC are the vCPU's own, FPEXC.EN
  forced on while cp10/11 trap (seed 000), CNTHCTL = PL1PCTEN|PL1PCEN, a
  non-zero VMID that no other live VM holds since the last TLBIALLNSNH(IS);
* **host return** (an ERET back to the host after a Hyp call): the host
  finds what it had at its HVC, but for the AAPCS scratch registers r0-r3,
  r12 and the flags; the VFP state after __kvm_vfp_switch_in (which loads the
  guest's on purpose); the vGIC state (the host does not use the virtual
  CPU interface) and the timer compare values of timers the host had off.

A mismatch names the register, expected and seen, the switch (guest PC,
host PC, cycle) and the exit that led to it; the run ends with exit 3.

With several cores (one trace each, merged by cycle: tb/trace.walk_cores),
what a core does is followed per core (_Core: the vCPU entered there, the
host's Hyp-call stack, the exit in progress, the host's VFP, CLREX since the
last exit, the vCPU it ran last), and a host return is scored against that
same core's HVC snapshot; the vCPUs, VMs and their PSCI on-states, VMID and
stage-2 owners are the run's, so a vCPU that exits on one core and enters on
another finds its context (migration), and a vCPU entered on one core while
it is in the guest on another is a mismatch. Messages then start with the core
("core 1: entry at cycle ..."). With several cores only a TLBIALLNSNHIS (the
broadcast form, B4.2.2) ends the VMID owners' epoch; one core's TLBIALLNSNH
leaves the others' TLBs as they were.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .models.arm_state import CPSR_MODE_MASK, ArchState, Mode, mode_name
from .models.hsr import decode_coproc
from .models import psci
from .models.world_switch import (CNTHCTL_PL1PCTEN_PL1PCEN, CORE_FIELDS, FPEXC_EN,
                                  HCPTR_TCP10_11, HCR_GUEST, HCR_VIRQ_LINES, HOST_FIELDS, HSTR_GUEST,
                                  VFP_FIELDS, VGIC_FIELDS, Context, ExitKind, Resume, Served, extend, field_value,
                                  predict_resume, reset_context)
from .vmid_scoreboard import TLBI_ALL_VMIDS, TLBI_IS
from .vmm import read_events
from .vmm_abi import A
from .trace import ContextTxn, ExceptionTxn, ExcType, RetireTxn, Txn, read_trace, walk_cores

MAX_REPORTED = 12
CLREX = 0xF57FF01F                 # A32 CLREX
KVM_EXIT_HYPERCALL, KVM_EXIT_MMIO = A.KVM_EXIT_HYPERCALL, A.KVM_EXIT_MMIO
EXC_IRQ, EXC_FIQ, EXC_HYP = ExcType.IRQ, ExcType.FIQ, ExcType.HYP
#: (opc1, crn, crm, opc2) of the fault registers the hypervisor reads after an exit
HDFAR, HIFAR, HPFAR = (4, 6, 0, 0), (4, 6, 0, 2), (4, 6, 0, 4)
VFP_OWNED = VFP_FIELDS + ("FPEXC",)
LR_STATE_PENDING = 1 << 28
POOL_PA, POOL_END = A.HYPSIM_POOL_PA, A.HYPSIM_POOL_END
RAM_PA, RAM_BYTES = A.HYPSIM_RAM_PA, A.HYPSIM_RAM_BYTES


@dataclass
class GuestRun:
    """What the scoreboard must know about the run beyond its trace."""

    entry_ipa: int
    dtb_ipa: int
    guest_mem: int
    symbols: dict[str, int] = field(default_factory=dict)   # the hypervisor ELF's
    vcpus: int = 1                                          # vCPUs per VM (BI_NR_VCPUS)


@dataclass
class WorldSwitchScore:
    entries: int = 0           # guest entries scored
    first_entries: int = 0     # of which a vCPU's first (scored against the reset context)
    host_returns: int = 0      # returns to the host scored
    vfp_entries: int = 0       # entries with the vCPU's VFP loaded (VFP registers scored)
    served_reads: int = 0      # MMIO reads whose Rt was scored against the VMM's answer
    exits: dict[str, int] = field(default_factory=dict)     # by what the model made of them
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)
    snapshots: int = 0

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0

    def summary(self) -> str:
        if not self.snapshots:
            return "world-switch scoreboard: the trace has no context snapshots (nothing scored)"
        return (f"world-switch scoreboard: {self.entries} guest entries ({self.first_entries} first, "
                f"{self.vfp_entries} with the guest's VFP, {self.served_reads} MMIO reads against the VMM's "
                f"answer), {self.host_returns} returns to the host, "
                f"{sum(self.exits.values())} exits modelled, {self.mismatch_count} mismatches")


@dataclass
class _Vm:
    key: int                       # VTTBR.BADDR: the VM's stage-2 table
    index: int                     # creation order (what HYPSIM_HC_VM_INDEX answers)
    on: list[bool]                 # which vCPUs are powered on
    ids: dict[int, int] = field(default_factory=dict)      # host vCPU object -> vCPU id
    cpu_on: dict[int, tuple[int, int]] = field(default_factory=dict)   # vCPU id -> (entry, context_id)


@dataclass
class _Vcpu:
    key: int                       # VTTBR.BADDR: the VM's stage-2 table
    index: int                     # creation order (what HYPSIM_HC_VM_INDEX answers)
    vcpu_id: int = 0
    vm: _Vm | None = None
    exit_on: tuple[bool, ...] | None = None   # the VM's on-states when it last exited
    ctx: Context | None = None     # guest view at its last exit
    vfp: Context | None = None     # the vCPU's VFP registers as it last owned them
    resume: Resume | None = None
    exit: tuple[ExitKind, int, int, int] | None = None   # kind, HSR, HxFAR, HPFAR of the last exit
    exit_where: str = ""
    exit_cycle: int = 0
    vmid: int = 0
    off: bool = False


@dataclass
class _Core:
    """What the scoreboard follows per physical core: its own crossings."""

    index: int
    tag: str = ""                  # "core <n>: " before its messages (several cores), else ""
    current: _Vcpu | None = None   # the vCPU entered last on this core
    host_stack: list[tuple[ContextTxn, str]] = field(default_factory=list)   # (HVC snapshot, Hyp call)
    last_exc: ExceptionTxn | None = None
    exiting: _Vcpu | None = None   # between a guest exit and the next crossing
    exit_kind: ExitKind = ExitKind.TRAP
    exit_hsr: int = 0
    fault_regs: dict[tuple[int, int, int, int], int] = field(default_factory=dict)
    in_guest: bool = False
    # the host's own VFP registers while a vCPU's are loaded (saved by __kvm_vfp_switch_in)
    host_vfp: Context | None = None
    clrex: bool = False            # a CLREX outside the guest since the last exit
    last_ran: _Vcpu | None = None  # the vCPU of this core's last exit
    entered_at: int = 0            # cycle of this core's last guest entry


class _Stage2Owners:
    """Which VM's stage-2 tables map which RAM page, followed from the hypervisor's own stores.

    The host builds the tables with the MMU off, so its data beats are physical
    addresses: the tracker keeps the low words it stores in the page pool,
    learns a VM's level-1 table from VTTBR at its first entry (and scans what
    the host wrote there before), and from then on follows each descriptor
    store into a table of that VM: a table descriptor adds a table, a level-3
    page descriptor maps a page, an invalid one unmaps it. A RAM page mapped
    by two live VMs at once is a breach of isolation.
    """

    def __init__(self, fail) -> None:
        self.mem: dict[int, int] = {}                       # pool word address -> low word stored
        self.table_of: dict[int, tuple[int, int]] = {}      # table page -> (VM key, level)
        self.pages: dict[int, dict[int, int]] = {}          # VM key -> {descriptor address: mapped page}
        self.owner: dict[int, int] = {}                     # RAM page -> VM key mapping it
        self.fail = fail
        self.where = ""

    def store(self, addr: int, value: int) -> None:
        if not POOL_PA <= addr < POOL_END:
            return
        self.mem[addr] = value
        t = self.table_of.get(addr & ~0xFFF)
        if t is not None and addr & 7 == 0:
            self._descriptor(t[0], t[1], addr, value)

    def _descriptor(self, vm: int, level: int, addr: int, value: int) -> None:
        mapped = self.pages.setdefault(vm, {})
        old = mapped.pop(addr, None)
        if old is not None and self.owner.get(old) == vm:
            del self.owner[old]
        if value & 3 != 3:
            return
        oa = value & 0xFFFF_F000
        if level < 3:
            if oa not in self.table_of:
                self.table_of[oa] = (vm, level + 1)
                for a in range(oa, oa + 0x1000, 8):
                    if a in self.mem:
                        self._descriptor(vm, level + 1, a, self.mem[a])
            return
        if not RAM_PA <= oa < RAM_PA + RAM_BYTES:
            return                                   # a device (the GICV frame): shared by design
        mapped[addr] = oa
        other = self.owner.get(oa)
        if other is not None and other != vm:
            self.fail(f"{self.where}: RAM page {oa:#010x} is mapped by the stage-2 tables of the VM with table "
                      f"{vm:#x} (descriptor at {addr:#010x}) while the live VM with table {other:#x} maps it too")
        self.owner[oa] = vm

    def root(self, vm: int, baddr: int) -> None:
        page = baddr & ~0xFFF
        if page in self.table_of:
            return
        self.table_of[page] = (vm, 1)
        for a in range(baddr, baddr + 32, 8):       # 4 level-1 descriptors (VTCR.T0SZ 0, SL0 1)
            if a in self.mem:
                self._descriptor(vm, 1, a, self.mem[a])

    def release(self, vm: int) -> None:
        """The VM is off: its tables and pages go back to the host."""
        for page, (owner, _) in list(self.table_of.items()):
            if owner == vm:
                del self.table_of[page]
        for oa in self.pages.pop(vm, {}).values():
            if self.owner.get(oa) == vm:
                del self.owner[oa]


def _guest_view(snap: ContextTxn, at_exit: bool) -> Context:
    ctx = {n: snap[n] for n in CORE_FIELDS if n not in ("pc", "cpsr")}
    ctx["pc"] = snap["elr_hyp"]
    ctx["cpsr"] = snap["spsr_hyp"] if at_exit else snap["cpsr"]
    return ctx


def _host_view(snap: ContextTxn, at_call: bool) -> Context:
    ctx = {n: snap[n] for n in HOST_FIELDS if n not in ("pc", "cpsr_nf")}
    ctx["pc"] = snap["elr_hyp"]
    ctx["cpsr"] = snap["spsr_hyp"] if at_call else snap["cpsr"]
    return ctx


def _vmid(snap: ContextTxn) -> int:
    return (snap["VTTBR_HI"] >> 16) & 0xFF


def _baddr(snap: ContextTxn) -> int:
    return ((snap["VTTBR_HI"] & 0xFF) << 32) | (snap["VTTBR_LO"] & ~0x1F & 0xFFFF_FFFF)


class _Scorer:
    def __init__(self, run: GuestRun, events: list[dict], ncores: int = 1) -> None:
        self.run = run
        self.events = events
        self.event_cycles = [ev["cycle"] for ev in events]
        self.score = WorldSwitchScore()
        self.vcpus: dict[tuple[int, int], _Vcpu] = {}   # (stage-2 table, host vCPU object) -> vCPU
        self.vms: dict[int, _Vm] = {}
        self.vmid_owner: dict[int, int] = {}       # VMID -> VM key, since the last all-VMID flush
        self.sym_by_addr = {a: n for n, a in run.symbols.items()}
        self.s2 = _Stage2Owners(self.fail)
        self.cores = [_Core(c, f"core {c}: " if ncores > 1 else "") for c in range(ncores)]

    # ---- reporting
    def fail(self, msg: str) -> None:
        self.score.mismatch_count += 1
        if len(self.score.mismatches) < MAX_REPORTED:
            self.score.mismatches.append(msg)

    # ---- events
    def retire(self, c: _Core, t: RetireTxn, before: ArchState) -> None:
        if not c.in_guest:
            for beat in t.mem:
                if beat.write and beat.be == 0xF:
                    self.s2.store(beat.addr, beat.data)
            if t.instr == CLREX:
                c.clrex = True
        if not t.cond_pass or before.cpsr & CPSR_MODE_MASK != Mode.HYP:
            return
        acc = decode_coproc(t.instr)
        if acc is None or acc.coproc != 15 or acc.is64:
            return
        key = (acc.opc1, acc.crn, acc.crm, acc.opc2)
        if not acc.read and key in TLBI_ALL_VMIDS and (key in TLBI_IS or len(self.cores) == 1):
            self.vmid_owner.clear()
        elif acc.read and key in (HDFAR, HIFAR, HPFAR) and c.exiting is not None and t.writes:
            c.fault_regs.setdefault(key, t.writes[0][1])

    def snapshot(self, c: _Core, s: ContextTxn) -> None:
        self.score.snapshots += 1
        guest = bool(s["HCR"] & 1)
        c.in_guest = guest and s.kind == "e"
        if s.kind == "x":
            if guest:
                self.guest_exit(c, s)
            else:
                c.exiting = None
                fn = self.sym_by_addr.get(s["r0"], f"{s['r0']:#x}")
                c.host_stack.append((s, fn))
        elif s.kind == "e":
            if guest:
                self.finish_exit(c)
                self.guest_entry(c, s)
            else:
                self.finish_exit(c)
                self.host_return(c, s)

    def guest_exit(self, c: _Core, s: ContextTxn) -> None:
        v = c.current if c.current is not None and c.current.key == _baddr(s) else None
        if v is None:
            self.fail(f"{c.tag}cycle {s.cycle}: an exit from a guest whose stage-2 table {_baddr(s):#x} "
                      f"(VTTBR) was never entered")
            return
        x = c.last_exc
        v.ctx = _guest_view(s, at_exit=True)
        if (s["HCPTR"] & HCPTR_TCP10_11) == 0:
            v.vfp = {n: s[n] for n in VFP_OWNED}
        v.exit_cycle = s.cycle
        kind = {EXC_IRQ: ExitKind.IRQ, EXC_FIQ: ExitKind.FIQ}.get(x.kind if x else EXC_HYP, ExitKind.TRAP)
        v.exit_where = (f"exit at cycle {s.cycle} from guest PC {v.ctx['pc']:#010x} "
                        f"({mode_name(v.ctx['cpsr'] & CPSR_MODE_MASK)}, "
                        + (f"HSR {x.hsr:#010x})" if kind is ExitKind.TRAP and x else f"{kind.value})"))
        v.resume = None
        c.exiting = v
        c.last_ran = v
        c.clrex = False
        c.fault_regs = {}
        c.exit_kind, c.exit_hsr = kind, (x.hsr if x else 0)

    def finish_exit(self, c: _Core) -> None:
        """The exit's effect, once the hypervisor has read the fault registers."""
        v = c.exiting
        if v is None or v.ctx is None:
            return
        c.exiting = None
        hsr, kind = c.exit_hsr, c.exit_kind
        ec = hsr >> 26
        hxfar = c.fault_regs.get(HIFAR if ec == 0x20 else HDFAR, 0)
        hpfar = c.fault_regs.get(HPFAR)
        if ec in (0x20, 0x24) and hpfar is None:
            # a permission fault is resolved with ATS1CPR (HPFAR is UNKNOWN): only RAM has those here
            hpfar = ((0x4000_0000 >> 12) << 4)
            hxfar = 0
        v.exit = (kind, hsr, hxfar, hpfar or 0)
        # what the VMM served is known at the next entry; power-off is known now
        served = self._served_by(v, 0)
        v.resume = predict_resume(v.ctx, kind, hsr, served, hxfar, hpfar or 0)
        label = f"EC {ec:#04x}" if kind is ExitKind.TRAP else kind.value
        self.score.exits[label] = self.score.exits.get(label, 0) + 1
        vm = v.vm
        fn = v.ctx["r0"]
        # the on-states the call saw, for its r0 prediction again at the next entry
        v.exit_on = tuple(vm.on) if vm is not None else None
        if vm is not None and kind is ExitKind.TRAP and ec in (0x12, 0x13) and psci.is_psci(fn):
            if fn == psci.CPU_ON and v.resume.expect.get("r0") == psci.SUCCESS:
                t = psci.target(v.ctx["r1"], len(vm.on))
                if t is not None:
                    vm.on[t] = True
                    vm.cpu_on[t] = (v.ctx["r2"], v.ctx["r3"])
            elif fn in (psci.SYSTEM_OFF, psci.SYSTEM_RESET):
                vm.on = [False] * len(vm.on)
        if v.resume.powered_off:
            v.off = True
            if vm is not None:
                vm.on[v.vcpu_id] = False
            if vm is None or not any(vm.on):
                self.s2.release(v.key)

    def _served(self, v: _Vcpu, until: int, reason: int, key: str) -> int | None:
        """What the VMM answered (``key`` of its answer) to this vCPU's last exit, if the host
        handed it to the VMM as KVM exit ``reason`` before cycle ``until`` (its next entry)."""
        for i in range(bisect_left(self.event_cycles, v.exit_cycle), len(self.events)):
            ev = self.events[i]
            if ev["cycle"] > until:
                break
            run = ev["run"]
            if run.get("vm") == v.index and run.get("vcpu", 0) == v.vcpu_id:
                return ev.get("answer", {}).get(key) if run.get("exit_reason") == reason else None
        return None

    def _served_by(self, v: _Vcpu, until: int) -> Served:
        on = v.exit_on if until else (tuple(v.vm.on) if v.vm is not None else None)
        return Served(mmio_read=self._served(v, until, KVM_EXIT_MMIO, "mmio_data"),
                      hypercall=self._served(v, until, KVM_EXIT_HYPERCALL, "hc_ret"),
                      vm_index=v.index, guest_mem=self.run.guest_mem, vcpu_id=v.vcpu_id, vcpus_on=on)

    def _vm_for(self, key: int) -> _Vm:
        vm = self.vms.get(key)
        if vm is None or not any(vm.on):          # a new VM (or a new one in a freed table)
            vm = _Vm(key, len(self.vms) if vm is None else vm.index,
                     [i == 0 for i in range(max(1, self.run.vcpus))])
            self.vms[key] = vm
        return vm

    def guest_entry(self, c: _Core, s: ContextTxn) -> None:
        key = _baddr(s)
        c.entered_at = s.cycle
        host = c.host_stack[-1][0] if c.host_stack else None
        obj = host["r1"] if host is not None else 0      # __kvm_vcpu_run(vcpu)
        v = self.vcpus.get((key, obj))
        for o in self.cores:
            if o is not c and v is not None and o.exiting is v:
                self.finish_exit(o)     # it exited there and had no crossing since: its exit is complete
        where_pc = s["elr_hyp"]
        where = (f"{c.tag}entry at cycle {s.cycle} to guest PC {where_pc:#010x}"
                 + (f" (host PC {host['elr_hyp']:#010x})" if host else ""))
        self.score.entries += 1
        if v is None or v.off or v.vm is not self.vms.get(key) or (v.vm is not None and not v.vm.on[v.vcpu_id]):
            vm = self._vm_for(key)
            vcpu_id = vm.ids.setdefault(obj, len(vm.ids))
            before = v
            v = _Vcpu(key, vm.index, vcpu_id, vm)
            self.vcpus[(key, obj)] = v
            if vcpu_id >= len(vm.on):
                self.fail(f"{where}: a vCPU {vcpu_id} runs in a VM of {len(vm.on)} vCPUs")
                vm.on += [True] * (vcpu_id + 1 - len(vm.on))
            if not vm.on[vcpu_id]:
                self.fail(f"{where}: vCPU {vcpu_id} runs while it is off (never started by PSCI CPU_ON)")
            start = vm.cpu_on.pop(vcpu_id, None)
            expect = reset_context(self.run.entry_ipa, self.run.dtb_ipa, vcpu_id, start)
            if before is not None and before.ctx is not None and before.vm is vm:
                for name in VGIC_FIELDS:            # the GIC's state survives CPU_OFF/CPU_ON, as on QEMU
                    expect[name] = before.ctx.get(name, expect.get(name, 0))
            self.score.first_entries += 1
            why = (f"vCPU {vcpu_id}'s first entry: " + ("the reset context" if start is None else
                   f"PSCI CPU_ON's state (entry {start[0]:#x}, context id {start[1]:#x})"))
            host_mpidr = host["VMPIDR"] if host is not None else None
            for name in expect:
                seen = field_value(_guest_view(s, False), name)
                want = field_value(expect, name)
                if name == "VMPIDR" and host_mpidr is not None:
                    want = (host_mpidr & ~0xFF) | vcpu_id
                if want != seen:
                    extra = (" (seed 000: VMPIDR is the host's MPIDR with Aff0 = the vCPU id; two vCPUs "
                             "sharing one VMPIDR?)" if name == "VMPIDR" else "; a host value reaching the guest?")
                    self.fail(f"{where}: {name} expected {want:#010x} seen {seen:#010x} ({why}{extra})")
            v.vfp = {n: 0 for n in VFP_OWNED}
        else:
            if v.ctx is not None and v.exit is not None:
                served = self._served_by(v, s.cycle)
                v.resume = predict_resume(v.ctx, *v.exit[:2], served, *v.exit[2:])
                self.score.served_reads += served.mmio_read is not None and v.exit[1] >> 26 == 0x24
            self._check_resume(v, s, where)
        self._check_controls(v, s, where)
        self._check_single_core(c, v, where)
        prev = c.last_ran
        if prev is not None and prev is not v and prev.key == v.key and not c.clrex:
            self.fail(f"{where}: vCPU {v.vcpu_id} entered after vCPU {prev.vcpu_id}'s {prev.exit_where} with no "
                      f"CLREX in between: a STREX of vCPU {v.vcpu_id} could succeed on vCPU {prev.vcpu_id}'s "
                      f"LDREX (the exclusive monitor is not cleared on a vCPU switch)")
        c.current = v
        self.s2.where = where
        self.s2.root(v.key, key)

    def _check_single_core(self, c: _Core, v: _Vcpu, where: str) -> None:
        """A vCPU runs on one core at a time (the host's lock on it)."""
        for o in self.cores:
            if o is not c and o.in_guest and o.current is v:
                self.fail(f"{where}: vCPU {v.vcpu_id} entered while it runs on core {o.index} (entered there at "
                          f"cycle {o.entered_at}): one vCPU on two cores at once")

    def _check_resume(self, v: _Vcpu, s: ContextTxn, where: str) -> None:
        if v.ctx is None or v.resume is None:
            return
        res = v.resume
        expect = dict(v.ctx)
        expect.update(res.expect)
        seen = _guest_view(s, False)
        because = f"after the {v.exit_where}: {res.what}"
        for name in CORE_FIELDS:
            if name in res.unknown:
                continue
            e, o = field_value(expect, name), field_value(seen, name)
            if e != o:
                self.fail(f"{where}: {name} expected {e:#010x} seen {o:#010x} ({because})")
        if res.width is not None:
            # a read the host served itself: the value is its device model's, its form the ISS's
            name, size, signed = res.width
            val = seen[name]
            if val != extend(val, size, signed):
                self.fail(f"{where}: {name} = {val:#010x} is not a {'sign' if signed else 'zero'}-extended "
                          f"{size}-byte value ({because})")
        if res.needs_irq:
            lrs = [s[f"GICH_LR{i}"] for i in range(4)]
            if not (any(lr & LR_STATE_PENDING for lr in lrs) or s["HCR"] & HCR_VIRQ_LINES):
                self.fail(f"{where}: the guest resumed from WFI with no virtual interrupt pending "
                          f"(GICH_LR0-3 {' '.join(f'{lr:08x}' for lr in lrs)}, HCR {s['HCR']:#010x}) "
                          f"({because})")
        v.resume = None

    def _check_controls(self, v: _Vcpu, s: ContextTxn, where: str) -> None:
        hcr = s["HCR"] & ~HCR_VIRQ_LINES
        if hcr != HCR_GUEST:
            self.fail(f"{where}: HCR expected {HCR_GUEST:#010x} (HCR_GUEST, VI/VF/VA aside) seen {s['HCR']:#010x}")
        if s["HSTR"] != HSTR_GUEST:
            self.fail(f"{where}: HSTR expected {HSTR_GUEST:#010x} seen {s['HSTR']:#010x}")
        if s["CNTHCTL"] & 3 != CNTHCTL_PL1PCTEN_PL1PCEN:
            self.fail(f"{where}: CNTHCTL expected PL1PCTEN|PL1PCEN seen {s['CNTHCTL']:#010x}")
        hcptr = s["HCPTR"] & HCPTR_TCP10_11
        if hcptr == HCPTR_TCP10_11:
            if not s["FPEXC"] & FPEXC_EN:
                self.fail(f"{where}: FPEXC {s['FPEXC']:#010x} without EN while HCPTR traps cp10/11: the guest's "
                          f"first VFP instruction would be UNDEFINED instead of trapping to Hyp (seed 000)")
        elif hcptr == 0:
            self.score.vfp_entries += 1
            if v.vfp is not None:
                for name in VFP_OWNED:
                    if v.vfp[name] != s[name]:
                        self.fail(f"{where}: {name} expected {v.vfp[name]:#010x} seen {s[name]:#010x} (the "
                                  f"guest's own VFP state, loaded by the lazy switch)")
            v.vfp = {n: s[n] for n in VFP_OWNED}
        else:
            self.fail(f"{where}: HCPTR {s['HCPTR']:#010x} traps one of cp10/cp11 but not the other")
        vmid = _vmid(s)
        if vmid == 0:
            self.fail(f"{where}: VTTBR.VMID is 0, the host's, on a guest entry")
        owner = self.vmid_owner.get(vmid)
        if owner is not None and owner != v.key and owner in self.vms and any(self.vms[owner].on):
            self.fail(f"{where}: VMID {vmid} given to the VM with stage-2 table {v.key:#x} while the live VM "
                      f"with table {owner:#x} holds it since the last all-VMID TLB flush")
        self.vmid_owner[vmid] = v.key
        v.vmid = vmid

    def host_return(self, c: _Core, s: ContextTxn) -> None:
        if not c.host_stack:
            return        # the core's first ERET from Hyp to the host: nothing to compare with
        call, fn = c.host_stack.pop()
        self.score.host_returns += 1
        before, after = _host_view(call, True), _host_view(s, False)
        skip = set()
        if fn == "__kvm_vfp_switch_in":
            skip |= set(VFP_OWNED)       # loads the guest's VFP on purpose (lazy switch)
            c.host_vfp = {n: call[n] for n in VFP_OWNED}
        elif fn == "__kvm_vcpu_run" and c.host_vfp is not None:
            # the exit gives the host back the VFP state it had before the lazy switch
            before.update(c.host_vfp)
            c.host_vfp = None
        if fn == "__hyp_init":
            skip |= {"VPIDR", "VMPIDR", "VTTBR_LO", "VTTBR_HI", "CNTHCTL"}
        skip |= {"GICH_VMCR", "GICH_APR"}
        for t in ("CNTV", "CNTP"):
            if not before[f"{t}_CTL"] & 1:
                skip |= {f"{t}_CVAL_LO", f"{t}_CVAL_HI"}
        where = (f"{c.tag}return to the host at cycle {s.cycle} to PC {s['elr_hyp']:#010x} after Hyp call {fn} "
                 f"(HVC at cycle {call.cycle})")
        for name in HOST_FIELDS:
            if name in skip:
                continue
            e, o = field_value(before, name), field_value(after, name)
            if e != o:
                self.fail(f"{where}: host {name} expected {e:#010x} seen {o:#010x}")


def score_world_switch_cores(streams: Sequence[Iterable[Txn]], run: GuestRun, events: list[dict] | None = None
                             ) -> WorldSwitchScore:
    """Score the per-core transaction streams of one run (core 0's first), merged by cycle."""
    sc = _Scorer(run, events or [], len(streams))
    for core, t, before in walk_cores(streams, snapshots=True):
        c = sc.cores[core]
        if isinstance(t, ContextTxn):
            sc.snapshot(c, t)
        elif isinstance(t, ExceptionTxn):
            c.last_exc = t
        elif isinstance(t, RetireTxn):
            sc.retire(c, t, before)
    return sc.score


def score_world_switch_txns(txns: Iterable[Txn], run: GuestRun, events: list[dict] | None = None
                            ) -> WorldSwitchScore:
    """One core's stream."""
    return score_world_switch_cores([txns], run, events)


def score_world_switch(traces: Sequence[Path] | Path, run: GuestRun, events: Path | None = None
                       ) -> WorldSwitchScore:
    """Score a run from its per-core traces (core 0's first; one path: a one-core run)."""
    paths = [traces] if isinstance(traces, Path) else list(traces)
    return score_world_switch_cores([read_trace(p) for p in paths], run, read_events(events))

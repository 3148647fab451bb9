"""Functional coverage of whole guest runs (cocotb-coverage), prefix "system.".

From the retire trace, after the run (hypsim.trace: no Python per cycle):

* system.exit: HSR EC x the guest's mode at every exit to Hyp mode from the
  guest (exception entries into Hyp mode while HCR.VM is set; a physical IRQ
  taken to Hyp is "IRQ");
* system.mmio: width x sign x direction x Rt from the HSR (SAS, SSE, WnR,
  SRT) of every stage-2 data abort that became an MMIO exit to the VMM;
* system.lr.occupancy: list registers valid (state != 0) at each entry to the
  guest, from the hypervisor's last GICH_LR0-3 stores (physical 0x08030100+;
  the host and Hyp run with the MMU off);
* system.misr: each maintenance reason seen set in a GICH_MISR read;
* system.vmid: the VMID generation (TLBIALLNSNH(IS) ends one) at every VTTBR
  write, and whether the VMID is new, re-entered, or reused after a rollover
  (hypsim.vmid_scoreboard.vttbr_write);
* system.vfp: VFP ownership changes, HCPTR writes that clear or set the
  cp10/cp11 traps;
* system.psci: the PSCI function of every HVC/SMC exit (r0), and the conduit.

From the VMM exchanges (the env's subscriber, as the run goes): exit reasons,
KVM_IRQ_LINE types and levels, response delays.
"""
from __future__ import annotations

from pathlib import Path

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import ConfigDB, uvm_subscriber

from hypsim.models import psci
from hypsim.models.arm_state import ArchState, Mode
from hypsim.models.gic_regs import MISR_NAMES
from hypsim.models.hsr import decode_coproc
from hypsim.sequences import system_ops as ops
from hypsim.trace import ExceptionTxn, read_trace, walk
from hypsim.vmid_scoreboard import TLBI_ALL_VMIDS, vttbr_write
from hypsim.vmm_abi import A

from .. import coverage_report
from .items import Exchange, record

EC_BINS = {0x01: "WFx", 0x03: "CP15", 0x04: "CP15_64", 0x07: "VFP", 0x12: "HVC", 0x13: "SMC",
           0x20: "IABT", 0x24: "DABT", -1: "IRQ"}
MODE_BINS = ["USR", "FIQ", "IRQ", "SVC", "ABT", "UND", "SYS"]
# exits that cannot come from PL0: HVC and SMC are UNDEFINED in User mode, the trapped CP15
# registers (ACTLR, DC*SW, L2CTLR, CBAR...) and the VFP trap need PL1 there (CPACR/PL0 access)
EXIT_IGNORE = [("HVC", "USR"), ("SMC", "USR"), ("CP15", "USR"), ("CP15_64", "USR")]
RT_BINS = list(ops.RTS)
PSCI_BINS = [psci.NAMES[f] for f in sorted(psci.NAMES)] + ["SMC64 form", "unallocated"]
GICH_PA = 0x0803_0000
GICH_MISR, GICH_LR0 = 0x10, 0x100
HCR_VM = 1
HCPTR_TCP = (1 << 10) | (1 << 11)
VFP_BINS = ["trap->guest", "guest->trap"]
DELAY_BINS = ["0", "1-8", "9-64", "65+"]


@CoverPoint("system.exit.ec", xf=lambda ec, mode: ec, bins=list(EC_BINS.values()))
@CoverPoint("system.exit.mode", xf=lambda ec, mode: mode, bins=MODE_BINS)
@CoverCross("system.exit.ec_x_mode", items=["system.exit.ec", "system.exit.mode"], ign_bins=EXIT_IGNORE)
def sample_exit(ec: str, mode: str) -> None:
    """One exit from the guest to Hyp mode."""


@CoverPoint("system.mmio.width", xf=lambda w, s, d, rt: w, bins=[1, 2, 4])
@CoverPoint("system.mmio.sign", xf=lambda w, s, d, rt: s, bins=["unsigned", "signed"])
@CoverPoint("system.mmio.dir", xf=lambda w, s, d, rt: d, bins=["read", "write"])
@CoverPoint("system.mmio.rt", xf=lambda w, s, d, rt: rt, bins=RT_BINS)
@CoverCross("system.mmio.width_x_sign_x_dir_x_rt",
            items=["system.mmio.width", "system.mmio.sign", "system.mmio.dir", "system.mmio.rt"],
            ign_bins=[(None, "signed", "write", None), (4, "signed", None, None)])
def sample_mmio(w: int, s: str, d: str, rt: int) -> None:
    """An MMIO exit to the VMM (no sign-extending stores; LDR has nothing to extend)."""


@CoverPoint("system.lr.occupancy", xf=lambda n: n, bins=[0, 1, 2, 3, 4])
def sample_lrs(n: int) -> None:
    """List registers valid when the guest is entered."""


@CoverPoint("system.misr.reason", xf=lambda r: r, bins=list(MISR_NAMES))
def sample_misr(r: str) -> None:
    """A maintenance reason set in a GICH_MISR read."""


@CoverPoint("system.vmid.generation", xf=lambda g, ev: min(g, 3), bins=[0, 1, 2, 3],
            bins_labels=["first", "second", "third", "fourth or later"])
@CoverPoint("system.vmid.event", xf=lambda g, ev: ev, bins=["new VMID", "re-entry", "reused after rollover"])
def sample_vmid(g: int, ev: str) -> None:
    """A VTTBR write with a guest VMID."""


@CoverPoint("system.vfp.ownership", xf=lambda t: t, bins=VFP_BINS)
def sample_vfp(t: str) -> None:
    """An HCPTR write that changes the cp10/cp11 traps."""


@CoverPoint("system.psci.function", xf=lambda f, c: f, bins=PSCI_BINS)
@CoverPoint("system.psci.conduit", xf=lambda f, c: c, bins=["HVC", "SMC"])
def sample_psci(f: str, c: str) -> None:
    """A PSCI call from the guest."""


@CoverPoint("system.vmm.exit_reason", xf=lambda r: r, bins=["KVM_EXIT_MMIO", "KVM_EXIT_HYPERCALL",
                                                            "KVM_EXIT_SYSTEM_EVENT"])
def sample_exit_reason(r: str) -> None:
    """An exit the VMM served."""


@CoverPoint("system.vmm.irq_type", xf=lambda t, lv: t, bins=["CPU", "SPI", "PPI"])
@CoverPoint("system.vmm.irq_level", xf=lambda t, lv: lv, bins=[0, 1])
@CoverCross("system.vmm.irq_type_x_level", items=["system.vmm.irq_type", "system.vmm.irq_level"])
def sample_irq_line(t: str, lv: int) -> None:
    """A KVM_IRQ_LINE request in an answer."""


@CoverPoint("system.vmm.delay", xf=lambda d: d, bins=DELAY_BINS)
def sample_delay(d: str) -> None:
    """The cycles between a doorbell and its ack."""


def delay_bin(cycles: int) -> str:
    return "0" if cycles <= 0 else "1-8" if cycles <= 8 else "9-64" if cycles <= 64 else "65+"


def sample_exchange(ev: dict) -> None:
    """The live points of one exchange (a vmm-events.jsonl record with an answer)."""
    from hypsim.vmm import EXIT_NAMES
    reason = EXIT_NAMES.get(ev["run"]["exit_reason"])
    if reason in ("KVM_EXIT_MMIO", "KVM_EXIT_HYPERCALL", "KVM_EXIT_SYSTEM_EVENT"):
        sample_exit_reason(reason)
    for irq, level in ev.get("answer", {}).get("irq", []):
        kind = (irq >> A.KVM_ARM_IRQ_TYPE_SHIFT) & 0xF
        sample_irq_line({A.KVM_ARM_IRQ_TYPE_CPU: "CPU", A.KVM_ARM_IRQ_TYPE_SPI: "SPI",
                         A.KVM_ARM_IRQ_TYPE_PPI: "PPI"}.get(kind, "?"), int(bool(level)))
    if "delay" in ev and not ev.get("stop"):
        sample_delay(delay_bin(ev["delay"]))


def _mcr(instr: int, before: ArchState, opc1: int, crn: int, crm: int, opc2: int) -> int | None:
    acc = decode_coproc(instr)
    if acc is None or acc.coproc != 15 or acc.read or acc.is64:
        return None
    if (acc.opc1, acc.crn, acc.crm, acc.opc2) != (opc1, crn, crm, opc2):
        return None
    return before.regs()[acc.rt]


def sample_trace(trace: Path, vmm_mmio_pcs: set[int]) -> dict[str, int]:
    """Sample the trace points of one run; return counts of what was seen."""
    hcr = hcptr = 0
    lrs = [0, 0, 0, 0]
    generation = 0
    seen_vmids: dict[int, int] = {}          # VMID -> generation it was last given in
    counts = {"guest exits": 0, "guest entries": 0, "vttbr writes": 0, "misr reads": 0}
    last_mode = Mode.HYP                      # the mode the last retired instruction ran in
    for t, before in walk(read_trace(trace), ArchState()):
        mode_before = before.cpsr & 0x1F
        if isinstance(t, ExceptionTxn):
            # a trapped or aborted instruction is traced as retired (CPSR after: Hyp mode), then the
            # entry: the guest's mode is the one that instruction ran in
            guest_mode = mode_before if mode_before != Mode.HYP else last_mode
            if t.cpsr & 0x1F == Mode.HYP and guest_mode != Mode.HYP and hcr & HCR_VM:
                counts["guest exits"] += 1
                ec = -1 if t.kind == 5 else t.hsr >> 26
                mode = Mode(guest_mode).name if guest_mode in Mode._value2member_map_ else hex(guest_mode)
                if ec in EC_BINS:
                    sample_exit(EC_BINS[ec], mode)
                if ec in (0x12, 0x13):
                    fn = before.regs()[0]
                    if psci.is_psci(fn):
                        name = psci.name(fn)
                        sample_psci(name if name in PSCI_BINS else "SMC64 form" if fn & psci.SMC64
                                    else "unallocated", "HVC" if ec == 0x12 else "SMC")
                if ec == 0x24 and t.hsr & (1 << 24) and t.ret in vmm_mmio_pcs:
                    sas, sse, srt, wnr = (t.hsr >> 22) & 3, (t.hsr >> 21) & 1, (t.hsr >> 16) & 0xF, (t.hsr >> 6) & 1
                    sample_mmio(1 << sas, "signed" if sse else "unsigned", "write" if wnr else "read", srt)
            continue
        last_mode = mode_before
        if not t.cond_pass or mode_before != Mode.HYP:
            continue
        for beat in t.mem:
            if beat.write and GICH_PA + GICH_LR0 <= beat.addr < GICH_PA + GICH_LR0 + 16:
                lrs[(beat.addr - GICH_PA - GICH_LR0) // 4] = beat.data
            elif not beat.write and beat.addr == GICH_PA + GICH_MISR:
                counts["misr reads"] += 1
                for bit, name in enumerate(MISR_NAMES):
                    if beat.data >> bit & 1:
                        sample_misr(name)
        if t.cpsr & 0x1F != Mode.HYP and hcr & HCR_VM:        # ERET into the guest
            counts["guest entries"] += 1
            sample_lrs(sum(1 for v in lrs if (v >> 28) & 3))
        v = _mcr(t.instr, before, 4, 1, 1, 0)
        if v is not None:
            hcr = v
        v = _mcr(t.instr, before, 4, 1, 1, 2)
        if v is not None:
            if (hcptr & HCPTR_TCP) and not (v & HCPTR_TCP):
                sample_vfp("trap->guest")
            elif not (hcptr & HCPTR_TCP) and (v & HCPTR_TCP) == HCPTR_TCP:
                sample_vfp("guest->trap")
            hcptr = v
        acc = decode_coproc(t.instr)
        if acc is not None and acc.coproc == 15 and not acc.read and not acc.is64 and \
                (acc.opc1, acc.crn, acc.crm, acc.opc2) in TLBI_ALL_VMIDS:
            generation += 1
        w = vttbr_write(t.instr, before)
        if w is not None and w[0] != 0:
            counts["vttbr writes"] += 1
            vmid = w[0]
            if vmid not in seen_vmids:
                ev = "new VMID"
            elif seen_vmids[vmid] != generation:
                ev = "reused after rollover"
            else:
                ev = "re-entry"
            seen_vmids[vmid] = generation
            sample_vmid(generation, ev)
    return counts


def summary() -> tuple[int, int, list[str]]:
    return coverage_report.summary("system.")


def groups() -> dict[str, tuple[int, int]]:
    """(hit, total) per top-level cover item of this env (the crosses and the single points)."""
    from cocotb_coverage.coverage import coverage_db
    out: dict[str, tuple[int, int]] = {}
    for name in sorted(coverage_db):
        item = coverage_db[name]
        if name.startswith("system.") and isinstance(item, (CoverPoint, CoverCross)):
            out[name] = (item.coverage, item.size)
    return out


export = coverage_report.export


class SystemCoverage(uvm_subscriber):
    def build_phase(self) -> None:
        self.mmio_pcs: set[int] = set()
        self.trace_counts: dict[str, int] = {}

    def write(self, x: Exchange) -> None:
        sample_exchange(record(x))
        if x.run.get("exit_reason") == A.KVM_EXIT_MMIO:
            self.mmio_pcs.add(x.run["guest_pc"])

    def extract_phase(self) -> None:
        trace: Path = ConfigDB().get(self, "", "TRACE")
        if trace.exists():
            self.trace_counts = sample_trace(trace, self.mmio_pcs)

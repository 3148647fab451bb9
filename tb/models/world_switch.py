"""Reference model of the KVM/ARM world switch: a vCPU's context and what each exit does to it.

Plain Python (no cocotb). A vCPU's context is what KVM/ARM keeps per vCPU
and what the hypervisor issue lists: the GPRs of every mode with their SPSRs,
PC and CPSR, the CP15 context (SCTLR ... CSSELR, TTBR0/1, PAR), the virtual
and EL1 physical timers, the VFP registers, the vGIC CPU interface (GICH_VMCR,
GICH_APR; the list registers belong to the interrupt-injection model,
tb/models/vgic.py), VPIDR/VMPIDR and VTTBR. Field names are the ones the RTL
tracer writes in its context snapshots (tb/hdl/retire_tracer.sv, H line).

:func:`predict_resume` says what the guest must find when it runs again after
an exit, given the context it left with, by HSR EC (ARM ARM B3.13.6 "Use of
the HSR"), as firmware/host decides it the way KVM/ARM does:

* a trapped instruction that is completed (WFI/WFE, CP15, SMC, MMIO) resumes
  at PC + 4 (+ 2 for a 16-bit one); one that fails its condition too, with no
  other effect;
* an MMIO or CP15 read writes Rt (in the guest's mode) with the value served,
  sign-extended per HSR.SSE/SAS (B3.13.6, the ISS of a data abort);
* HVC (and SMC under HCR.TSC): r0 = the PSCI return code (ARM DEN 0022, the
  answers QEMU 7.2 gives on virt) or the hypercall's result; HVC's preferred
  return is already the next instruction;
* an UNDEFINED (an EC the host does not handle, an unknown CP15 register,
  any MCRR/MRRC under HSTR.T15) or a synchronous external abort (a fetch or a
  stage-1 walk from an IPA with no memory) is injected: the guest's vector
  (VBAR or Hivecs + offset), LR, SPSR, mode, A/I masks, T from SCTLR.TE,
  E from SCTLR.EE, IT cleared, DFSR/IFSR and DFAR/IFAR (B1.9.6-B1.9.8);
* a stage-2 fault in guest RAM (demand paging, dirty logging), a VFP trap
  (lazy switch: the instruction runs again with the guest's own VFP
  registers) and a physical IRQ/FIQ change nothing the guest sees.

Values the model cannot know by itself (what the VMM served, the GIC
distributor the host emulates) come in as :class:`Served`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .arm_state import CPSR_A, CPSR_I, CPSR_MODE_MASK, CPSR_T, PHYS_NAMES, Mode, phys_index
from ..vmm_abi import A
from . import cp15_regs, psci
from .hsr import EC, HCR

# ---------------------------------------------------------------- the context
#: GPRs a guest owns: every physical register but Hyp's own (SP_hyp, ELR_hyp, SPSR_hyp)
HYP_ONLY = ("sp_hyp", "elr_hyp", "spsr_hyp")
GPR_FIELDS: tuple[str, ...] = tuple(n for n in PHYS_NAMES if n not in HYP_ONLY)
#: the CP15 context firmware/hyp/kvm_ctxt.h switches (CP15_CTXT), with the 64-bit ones as halves
CP15_FIELDS: tuple[str, ...] = (
    "SCTLR", "CPACR", "TTBCR", "DACR", "DFSR", "IFSR", "ADFSR", "AIFSR", "DFAR", "IFAR",
    "PRRR", "NMRR", "AMAIR0", "AMAIR1", "VBAR", "CONTEXTIDR", "TPIDRURW", "TPIDRURO",
    "TPIDRPRW", "CNTKCTL", "CSSELR", "TTBR0_LO", "TTBR0_HI", "TTBR1_LO", "TTBR1_HI",
    "PAR_LO", "PAR_HI")
#: CNTx_CTL are compared on ENABLE and IMASK: ISTATUS is the hardware's view of time
TIMER_FIELDS: tuple[str, ...] = ("CNTV_CTL", "CNTV_CVAL_LO", "CNTV_CVAL_HI",
                                 "CNTP_CTL", "CNTP_CVAL_LO", "CNTP_CVAL_HI")
TIMER_CTL_MASK = 0x3
VFP_FIELDS: tuple[str, ...] = ("FPSCR",) + tuple(f"D{n}_{h}" for n in range(32) for h in ("LO", "HI"))
VGIC_FIELDS: tuple[str, ...] = ("GICH_VMCR", "GICH_APR")
ID_FIELDS: tuple[str, ...] = ("VPIDR", "VMPIDR")
#: everything compared at a guest entry except the VFP (only while the guest owns it)
CORE_FIELDS: tuple[str, ...] = ("pc", "cpsr") + GPR_FIELDS + CP15_FIELDS + TIMER_FIELDS + VGIC_FIELDS + ID_FIELDS

#: what the host must find again after any Hyp call: everything but the AAPCS
#: caller-saved r0-r3, r12 and the flags (the call is a C function call), and
#: the Hyp-owned registers
HOST_SCRATCH = ("r0", "r1", "r2", "r3", "r12")
HOST_FIELDS: tuple[str, ...] = (("pc", "cpsr_nf") + tuple(n for n in GPR_FIELDS if n not in HOST_SCRATCH)
                                + CP15_FIELDS + TIMER_FIELDS + VGIC_FIELDS + ID_FIELDS + VFP_FIELDS
                                + ("FPEXC", "HCR", "HSTR", "HCPTR", "VTTBR_LO", "VTTBR_HI", "CNTHCTL"))

Context = dict[str, int]


def field_value(ctx: Context, name: str) -> int:
    """A field as it is compared (timer CTLs masked, CPSR without flags for 'cpsr_nf')."""
    if name == "cpsr_nf":
        return ctx["cpsr"] & 0x0FFF_FFFF
    v = ctx[name]
    if name in ("CNTV_CTL", "CNTP_CTL"):
        return v & TIMER_CTL_MASK
    return v


# ---------------------------------------------------------------- constants of the platform
#: HCR a guest runs with (KVM/ARM's HCR_GUEST_MASK plus TWE; firmware/include/kvm_arm.h
#: HCR_GUEST, which tests/test_world_switch.py checks against this); VI/VF/VA are the host's to set
HCR_BSU_IS = 1 << 10                      # HCR.BSU = 0b01: barriers are inner shareable
HCR_GUEST = (HCR.TSC | HCR.TSW | HCR.TWI | HCR.TWE | HCR.VM | HCR_BSU_IS | HCR.FB | HCR.TAC | HCR.AMO
             | HCR.IMO | HCR.FMO | HCR.SWIO | HCR.TIDCP)
HCR_VIRQ_LINES = HCR.VI | HCR.VF | HCR.VA
HSTR_GUEST = 1 << 15                     # T15: the IMPLEMENTATION DEFINED c15 space
HCPTR_TCP10_11 = (1 << 10) | (1 << 11)   # the lazy VFP switch traps cp10/cp11
FPEXC_EN = 1 << 30
CNTHCTL_PL1PCTEN_PL1PCEN = 0x3

#: the guest machine (firmware/include/vmm_abi.h, ../shared/ARCHITECTURE.md "Memory map")
GUEST_RAM_IPA = A.HYPSIM_GUEST_RAM_IPA
GUEST_GICD_IPA = A.HYPSIM_GUEST_GICD_IPA

#: a vCPU at reset (KVM/ARM's cortex-a15 reset: firmware/host/vm.c vcpu_reset; the boot protocol:
#: r0 = 0, r1 = ~0 (no machine type, DT boot), r2 = the DTB, SVC with A, I, F masked)
RESET_CPSR = Mode.SVC | CPSR_A | CPSR_I | (1 << 6)
SCTLR_RESET = 0x00C5_0078                 # rtl/core/arm_cp15.sv SCTLR_RESET (QEMU cortex-a15)
PRRR_RESET, NMRR_RESET = 0x000A_81A8, 0x44E0_48E0   # KVM/ARM's Cortex-A15 reset table (MAIR0/1)
#: a vCPU's GICH_VMCR of 0 as the virtual interface reads it back: VMBP and VMABP clamped to their
#: minimum for 5 priority bits, 2 and 3 (GICv2 architecture, GICV_BPR/GICV_ABPR)
GICH_VMCR_RESET = (3 << 18) | (2 << 21)
MIDR, MPIDR = 0x414F_C0F0, 0x8000_0000    # the host's (rtl/core/arm_cp15.sv parameters, QEMU 7.2)

# ---------------------------------------------------------------- hypercalls (PSCI: tb/models/psci.py)
RET_NOT_SUPPORTED = psci.NOT_SUPPORTED
HC_BASE, HC_LAST = A.HYPSIM_HC_BASE, A.HYPSIM_HC_LAST   # SMCCC vendor-specific hypervisor calls
HC_VM_INDEX, HC_XOR = A.HYPSIM_HC_VM_INDEX, A.HYPSIM_HC_XOR
VCPU_OFF = (psci.CPU_OFF, psci.SYSTEM_OFF, psci.SYSTEM_RESET)   # the vCPU never runs again


# ---------------------------------------------------------------- trapped CP15 registers
#: (opc1, crn, crm, opc2) -> value read, for the registers the host emulates (firmware/host/coproc.c,
#: KVM/ARM coproc.c): ACTLR reads the physical ACTLR (0 on the RTL and on QEMU's cortex-a15),
#: L2CTLR the number of CPUs - 1 in [25:24] (one vCPU: 0), L2ECTLR RAZ/WI, CBAR the guest's GICD.
#: None: the register exists for writes only (DC set/way); a read is UNDEFINED.
CP15_EMULATED: dict[tuple[int, int, int, int], int | None] = {
    cp15_regs.opc1_crn_crm_opc2(name): value for name, value in (
        ("ACTLR", 0), ("DCISW", None), ("DCCSW", None), ("DCCISW", None),
        ("L2CTLR", 0), ("L2ECTLR", 0), ("CBAR", GUEST_GICD_IPA))}
CP15_READ_ONLY = {cp15_regs.opc1_crn_crm_opc2("CBAR")}


# ---------------------------------------------------------------- exits
class ExitKind(Enum):
    TRAP = "trap"     # a synchronous exception to Hyp mode, with an HSR
    IRQ = "irq"
    FIQ = "fiq"


@dataclass
class Served:
    """What the model cannot derive by itself for one exit."""

    mmio_read: int | None = None      # the value the VMM answered (KVM_EXIT_MMIO read), raw width
    hypercall: int | None = None      # the VMM's r0 for a hypercall it answered
    vm_index: int = 0                 # the VM's index in creation order (HYPSIM_HC_VM_INDEX)
    vcpu_id: int = 0
    guest_mem: int = 16 << 20         # the RAM memslot size
    vcpus_on: tuple[bool, ...] | None = None   # which vCPUs of the VM are on (PSCI CPU_ON, AFFINITY_INFO)


@dataclass
class Resume:
    """What the guest must find at its next entry: ``expect`` overrides the saved context;
    ``unknown`` fields the model cannot predict (each with the reason); ``powered_off``:
    the vCPU must never run again; ``needs_irq``: only with an interrupt pending (WFI)."""

    what: str
    expect: Context = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    powered_off: bool = False
    needs_irq: bool = False
    width: tuple[str, int, bool] | None = None   # (field, bytes, signed): a host-served read's form


def _cond_passed(cond: int, cpsr: int) -> bool:
    n, z, c, v = (cpsr >> 31) & 1, (cpsr >> 30) & 1, (cpsr >> 29) & 1, (cpsr >> 28) & 1
    base = {0: z, 1: c, 2: n, 3: v, 4: c and not z, 5: n == v, 6: n == v and not z, 7: True}[cond >> 1]
    return bool(base) != bool(cond & 1 and cond != 15)


def rt_field(mode: int, rt: int) -> str:
    """The physical register R`rt` names in `mode` (a guest's Rt of an MMIO or CP15 read)."""
    return PHYS_NAMES[phys_index(mode, rt)]


def extend(value: int, size: int, signed: bool) -> int:
    bits = 8 * size
    value &= (1 << bits) - 1
    if signed and value >> (bits - 1):
        value |= (0xFFFF_FFFF << bits) & 0xFFFF_FFFF
    return value


def inject(ctx: Context, mode: Mode, offset: int, lr_offset: int, mask: int) -> Context:
    """B1.9: what taking exception `mode` at vector `offset` makes of the guest's context."""
    cpsr, sctlr = ctx["cpsr"], ctx["SCTLR"]
    lr_off = 2 if (cpsr & CPSR_T) and mode == Mode.UND else lr_offset
    new_cpsr = (cpsr & ~(CPSR_MODE_MASK | CPSR_T | 0x0600_FC00 | (1 << 9) | (1 << 24))) | mode | mask
    if sctlr & (1 << 30):
        new_cpsr |= CPSR_T
    if sctlr & (1 << 25):
        new_cpsr |= 1 << 9
    base = 0xFFFF_0000 if sctlr & (1 << 13) else ctx["VBAR"]
    out = {"cpsr": new_cpsr, "pc": (base + offset) & 0xFFFF_FFFF,
           PHYS_NAMES[phys_index(mode, 14)]: (ctx["pc"] + lr_off) & 0xFFFF_FFFF}
    out[{Mode.UND: "spsr_und", Mode.ABT: "spsr_abt"}[mode]] = cpsr
    return out


def inject_undefined(ctx: Context) -> Context:
    return inject(ctx, Mode.UND, 0x04, 4, CPSR_I)


def inject_abort(ctx: Context, instruction: bool, addr: int) -> Context:
    """A synchronous external abort, in the fault-status format TTBCR.EAE selects (B3.13.3)."""
    fsr = (1 << 9) | 0x10 if ctx["TTBCR"] >> 31 else 0x08
    if instruction:
        out = inject(ctx, Mode.ABT, 0x0C, 4, CPSR_I | CPSR_A)
        out.update(IFSR=fsr, IFAR=addr)
    else:
        out = inject(ctx, Mode.ABT, 0x10, 8, CPSR_I | CPSR_A)
        out.update(DFSR=fsr, DFAR=addr)
    return out


HSR_IL = 1 << 25
HSR_CV = 1 << 24
ISS_ISV, ISS_SSE, ISS_WNR, ISS_S1PTW = 1 << 24, 1 << 21, 1 << 6, 1 << 7


def fault_ipa(hsr: int, hxfar: int, hpfar: int) -> int:
    return ((hpfar >> 4) << 12) | (hxfar & 0xFFF)


def predict_resume(ctx: Context, kind: ExitKind, hsr: int, served: Served,
                   hxfar: int = 0, hpfar: int = 0) -> Resume:
    """What the guest finds at its next entry after this exit (see the module docstring).

    ``ctx`` is the guest's context at the exit (pc = ELR_hyp, cpsr = SPSR_hyp).
    """
    if kind is not ExitKind.TRAP:
        return Resume(f"physical {kind.value.upper()}")
    ec, iss = hsr >> 26, hsr & 0x01FF_FFFF
    step = 4 if hsr & HSR_IL else 2
    skip = {"pc": (ctx["pc"] + step) & 0xFFFF_FFFF}
    mode = ctx["cpsr"] & CPSR_MODE_MASK
    if 0x01 <= ec <= 0x0C and hsr & HSR_CV and not _cond_passed((hsr >> 20) & 0xF, ctx["cpsr"]):
        return Resume(f"EC {ec:#04x} failed its condition: skipped", skip)
    if ec == EC.WFI_WFE:
        if iss & 1:
            return Resume("WFE: skipped", skip)
        return Resume("WFI: skipped, resumed with an interrupt pending", skip, needs_irq=True)
    if ec == EC.MCR_MRC_CP15:
        key = ((iss >> 14) & 7, (iss >> 10) & 0xF, (iss >> 1) & 0xF, (iss >> 17) & 7)
        read, rt = bool(iss & 1), (iss >> 5) & 0xF
        name = f"CP15 {'read' if read else 'write'} p15, {key[0]}, c{key[1]}, c{key[2]}, {key[3]}"
        if key not in CP15_EMULATED or (read and CP15_EMULATED[key] is None) \
                or (not read and key in CP15_READ_ONLY):
            return Resume(f"{name}: UNDEFINED injected", inject_undefined(ctx))
        out = dict(skip)
        if read:
            out[rt_field(mode, rt)] = CP15_EMULATED[key] or 0
        return Resume(f"{name}: emulated", out)
    if ec == EC.MCRR_MRRC_CP15:
        return Resume("MCRR/MRRC under HSTR.T15: UNDEFINED injected", inject_undefined(ctx))
    if ec == EC.HCPTR:
        return Resume("VFP trap: lazy switch, the instruction runs again")
    if ec in (EC.HVC, EC.SMC):
        base = dict(skip) if ec == EC.SMC else {}
        fn, r1, r2 = ctx["r0"], ctx["r1"], ctx["r2"]
        label = "HVC" if ec == EC.HVC else "SMC"
        if psci.is_psci(fn):
            if fn in VCPU_OFF:
                return Resume(f"{label} PSCI {psci.name(fn)}: the vCPU is off", powered_off=True)
            base["r0"] = psci.result(fn, r1, r2, served.vcpu_id, served.vcpus_on)
            return Resume(f"{label} PSCI {psci.name(fn)}", base)
        if ec == EC.HVC and HC_BASE <= fn <= HC_LAST:
            if fn == HC_VM_INDEX:
                base["r0"] = served.vm_index
            elif fn == HC_XOR:
                base["r0"] = r1 ^ r2
            elif served.hypercall is not None:
                base["r0"] = served.hypercall       # a call the VMM implements (a test sequence's)
            else:
                base["r0"] = RET_NOT_SUPPORTED
            return Resume(f"HVC hypercall {fn:#x}", base)
        base["r0"] = RET_NOT_SUPPORTED
        return Resume(f"{label} {fn:#x}: not supported", base)
    if ec in (EC.IABT_LOWER, EC.DABT_LOWER):
        ipa = fault_ipa(hsr, hxfar, hpfar)
        instr = ec == EC.IABT_LOWER
        if 0 <= ipa - GUEST_RAM_IPA < served.guest_mem:
            return Resume(f"stage-2 fault at IPA {ipa:#x} in guest RAM: mapped, the access runs again")
        if instr or iss & ISS_S1PTW:
            what = "fetch" if instr else "stage-1 walk"
            return Resume(f"{what} from IPA {ipa:#x} (no memory): external abort injected",
                          inject_abort(ctx, instr, hxfar))
        write, size, signed = bool(iss & ISS_WNR), 1 << ((iss >> 22) & 3), bool(iss & ISS_SSE)
        rt = (iss >> 16) & 0xF
        label = f"MMIO {'write' if write else 'read'} of {size} bytes at IPA {ipa:#x}"
        if write:
            return Resume(label, skip)
        out = dict(skip)
        target = rt_field(mode, rt)
        if served.mmio_read is not None:
            out[target] = extend(served.mmio_read, size, signed)
            return Resume(f"{label}: Rt = {out[target]:#x}", out)
        return Resume(f"{label} served by the host", out, unknown={target: "a device the host emulates"},
                      width=(target, size, signed))
    return Resume(f"EC {ec:#04x}: UNDEFINED injected", inject_undefined(ctx))


def reset_context(entry_ipa: int, dtb_ipa: int, vcpu_id: int = 0,
                  cpu_on: tuple[int, int] | None = None) -> Context:
    """The guest-visible context of a vCPU at its first entry (firmware/host/vm.c kvm_vcpu_reset):
    VMPIDR = the host's MPIDR with Aff0 = the vCPU id (seed 000); ``cpu_on`` = (entry, context_id)
    for a secondary started by PSCI CPU_ON (firmware/host/psci.c, tb/models/psci.py)."""
    ctx: Context = {name: 0 for name in CORE_FIELDS}
    ctx.update(pc=entry_ipa, cpsr=RESET_CPSR, r1=0xFFFF_FFFF, r2=dtb_ipa, SCTLR=SCTLR_RESET, PRRR=PRRR_RESET,
               NMRR=NMRR_RESET, GICH_VMCR=GICH_VMCR_RESET, VPIDR=MIDR, VMPIDR=(MPIDR & ~0xFF) | vcpu_id)
    if cpu_on is not None:
        ctx.update(psci.cpu_on_state(*cpu_on))
    return ctx

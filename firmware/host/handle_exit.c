/*
 * handle_exit.c - what an exit from the guest means (KVM/ARM:
 * handle_exit.c, emulate.c): a table of handlers indexed by HSR.EC, as
 * KVM's arm_exit_handlers, and the helpers that edit the guest's state
 * (its banked registers, skipping an instruction, injecting UNDEFINED).
 *
 *   EC 0x01 WFI/WFE   WFI: block the vCPU until an interrupt is pending for
 *                     it (the scheduler re-checks); WFE: yield
 *   EC 0x03/0x04      CP15 32/64-bit accesses: coproc.c
 *   EC 0x07           cp10/cp11 under HCPTR: the lazy VFP switch
 *   EC 0x12 HVC       PSCI, or a hypercall to the VMM, or NOT_SUPPORTED
 *   EC 0x13 SMC       PSCI (HCR.TSC; the SMC is skipped)
 *   EC 0x20/0x24      stage-2 aborts: memslot faults or MMIO (mmu.c, mmio.c)
 *   others            UNDEFINED is injected into the guest
 * An IRQ exit polls the physical GIC (the Hyp timer ends a time slice; the
 * maintenance interrupt and the virtual timer are handled by the vGIC sync
 * and the timer sync before the next entry).
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "hyp.h"

typedef int (*exit_handler_fn)(struct kvm_vcpu *v);

uint32_t *vcpu_reg(struct kvm_vcpu *v, uint32_t n)
{
    struct kvm_cpu_ctxt *c = &v->arch.ctxt;
    uint32_t mode = c->cpsr & PSR_MODE_MASK;
    if (n == 15)
        return &c->pc;
    if (n < 8 || (n < 13 && mode != PSR_FIQ) || mode == PSR_USR || mode == PSR_SYS)
        return &c->usr[n];
    if (mode == PSR_FIQ)
        return &c->fiq[n - 8];
    uint32_t *bank = mode == PSR_SVC ? c->svc : mode == PSR_ABT ? c->abt : mode == PSR_UND ? c->und : c->irq;
    return &bank[n - 13];
}

void kvm_skip_instr(struct kvm_vcpu *v)
{
    v->arch.ctxt.pc += (v->arch.fault.hsr & HSR_IL) ? 4 : 2;
}

/* B1.9: enter the guest's PL1 exception `mode` at vector `offset`, LR = pc + lr_offset */
static void inject_exception(struct kvm_vcpu *v, uint32_t mode, uint32_t *bank, uint32_t offset,
                             uint32_t lr_offset, uint32_t mask)
{
    struct kvm_cpu_ctxt *c = &v->arch.ctxt;
    uint32_t sctlr = c->cp15[c_SCTLR];
    bank[2] = c->cpsr;                           /* SPSR_<mode> */
    bank[1] = c->pc + lr_offset;                 /* LR_<mode> */
    c->cpsr = (c->cpsr & ~(PSR_MODE_MASK | PSR_T | PSR_IT_MASK | PSR_E | (1u << 24)))
              | mode | mask
              | ((sctlr & (1u << 30)) ? PSR_T : 0)     /* SCTLR.TE */
              | ((sctlr & (1u << 25)) ? PSR_E : 0);    /* SCTLR.EE */
    c->pc = ((sctlr & (1u << 13)) ? 0xffff0000u : c->cp15[c_VBAR]) + offset;
}

/* B1.9.6: the Undefined Instruction exception; LR_und = the next instruction */
void kvm_inject_undefined(struct kvm_vcpu *v)
{
    inject_exception(v, PSR_UND, v->arch.ctxt.und, 0x04, (v->arch.ctxt.cpsr & PSR_T) ? 2 : 4, PSR_I);
}

/* B1.9.7/B1.9.8: a synchronous external abort on `addr` (KVM's inject_abt32), in the
 * fault-status format the guest's TTBCR.EAE selects (B3.13.3: 0x10 with LPAE bit 9; 0x08) */
void kvm_inject_abort(struct kvm_vcpu *v, int is_iabt, uint32_t addr)
{
    struct kvm_cpu_ctxt *c = &v->arch.ctxt;
    uint32_t fsr = (c->cp15[c_TTBCR] & (1u << 31)) ? (1u << 9) | 0x10 : 0x08;
    if (is_iabt) {
        c->cp15[c_IFSR] = fsr;
        c->cp15[c_IFAR] = addr;
        inject_exception(v, PSR_ABT, c->abt, 0x0c, 4, PSR_I | PSR_A);
    } else {
        c->cp15[c_DFSR] = fsr;
        c->cp15[c_DFAR] = addr;
        inject_exception(v, PSR_ABT, c->abt, 0x10, 8, PSR_I | PSR_A);
    }
}

/* B1.8.x/B3.13.6: HSR.CV and COND, for the ECs that carry them (0x01-0x0c) */
static int kvm_condition_valid(struct kvm_vcpu *v)
{
    uint32_t hsr = v->arch.fault.hsr, ec = HSR_EC(hsr);
    if (ec == 0 || ec > EC_CP14_64 || !(hsr & HSR_CV))
        return 1;
    uint32_t cpsr = v->arch.ctxt.cpsr;
    uint32_t n = (cpsr >> 31) & 1, z = (cpsr >> 30) & 1, c = (cpsr >> 29) & 1, vf = (cpsr >> 28) & 1;
    uint32_t cond = HSR_COND(hsr);
    int r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = vf; break;
    case 4: r = c && !z; break;
    case 5: r = n == vf; break;
    case 6: r = n == vf && !z; break;
    default: return 1;
    }
    return (cond & 1) && cond != 15 ? !r : r;
}

static int handle_wfx(struct kvm_vcpu *v)
{
    kvm_skip_instr(v);
    if (v->arch.fault.hsr & 1)       /* ISS.TI: WFE */
        return RESUME_HOST;
    if (!vgic_pending(v))
        v->wfi = 1;
    return RESUME_HOST;
}

static int handle_vfp(struct kvm_vcpu *v)
{
    /* the guest's first VFP access since it entered: give it its VFP state
     * and run the instruction again (not skipped) */
    call_hyp(__kvm_vfp_switch_in, &v->arch, 0, 0);   /* HCPTR stays clear until the next exit */
    return RESUME_GUEST;
}

static int handle_hvc(struct kvm_vcpu *v)
{
    /* HVC's preferred return is the next instruction: ELR_hyp already points there */
    uint32_t fn = v->arch.ctxt.usr[0];
    if (kvm_is_psci_call(fn))
        return kvm_psci_call(v);
    if (fn >= HYPSIM_HC_BASE && fn <= HYPSIM_HC_LAST) {
        v->run[RUN_HC_NR / 4] = fn;
        for (int i = 0; i < 4; i++)
            v->run[RUN_HC_ARG0 / 4 + i] = v->arch.ctxt.usr[1 + i];
        kvm_vmm_exit(v, KVM_EXIT_HYPERCALL);
        v->arch.ctxt.usr[0] = v->run[RUN_HC_RET / 4];
        return RESUME_GUEST;
    }
    v->arch.ctxt.usr[0] = 0xffffffffu;   /* SMCCC NOT_SUPPORTED */
    return RESUME_GUEST;
}

static int handle_smc(struct kvm_vcpu *v)
{
    /* a trapped SMC returns to itself: skip it, then answer as PSCI */
    kvm_skip_instr(v);
    if (kvm_is_psci_call(v->arch.ctxt.usr[0]))
        return kvm_psci_call(v);
    v->arch.ctxt.usr[0] = 0xffffffffu;
    return RESUME_GUEST;
}

static int handle_unknown_ec(struct kvm_vcpu *v)
{
    kvm_inject_undefined(v);
    return RESUME_GUEST;
}

static const exit_handler_fn arm_exit_handlers[EC_MAX + 1] = {
    [EC_WFX]     = handle_wfx,
    [EC_CP15_32] = kvm_handle_cp15_32,
    [EC_CP15_64] = kvm_handle_cp15_64,
    [EC_CP_0_13] = handle_vfp,
    [EC_HVC]     = handle_hvc,
    [EC_SMC]     = handle_smc,
    [EC_IABT]    = kvm_handle_guest_abort,
    [EC_DABT]    = kvm_handle_guest_abort,
};

int handle_exit(struct kvm_vcpu *v, uint32_t code)
{
    if (code == ARM_EXCEPTION_IRQ || code == ARM_EXCEPTION_FIQ) {
        uint32_t what = host_irq_poll();
        return (what & (1u << IRQ_HYP_TIMER)) ? RESUME_HOST : RESUME_GUEST;
    }
    if (code != ARM_EXCEPTION_TRAP)
        host_fatal(v, HYPSIM_ERR_UNKNOWN_EXIT, "the Hyp side returned an unknown exception code");
    uint32_t ec = HSR_EC(v->arch.fault.hsr);
    if (!kvm_condition_valid(v)) {       /* a trapped instruction that fails its condition */
        kvm_skip_instr(v);
        return RESUME_GUEST;
    }
    exit_handler_fn fn = arm_exit_handlers[ec];
    if (!fn)
        fn = handle_unknown_ec;
    return fn(v);
}

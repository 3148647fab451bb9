/*
 * switch.c - the system-register half of the world switch and the fault
 * capture, run in Hyp mode (KVM/ARM: interrupts_head.S's save/restore
 * macros and __kvm_vcpu_run's fault handling). No policy: what an exit
 * means is the host's business (host/handle_exit.c).
 *
 * On entry (hyp_enter_c): the host's CP15 context is saved and the vCPU's
 * loaded, then the timers (CNTVOFF of the VM, CNTV_CVAL/CTL, CNTP_CVAL/CTL),
 * the GICH state (VMCR, APR, LRs, HCR), VPIDR/VMPIDR, VTTBR, and the trap
 * controls: HCR for a guest, HSTR.T15 (the implementation-defined c15
 * space), CNTHCTL with PL1PCTEN and PL1PCEN (the guest owns the PL1
 * physical timer while it runs: the host keeps time with the Hyp timer), and
 * HCPTR.TCP10/11 unless the vCPU's VFP state is loaded; while it traps,
 * FPEXC.EN is forced on so the guest's first VFP access reaches Hyp
 * rather than being UNDEFINED on the host's FPEXC (seed 000).
 * On exit (hyp_exit_c): the fault is captured while the guest's context
 * is still live (HSR; HDFAR or HIFAR; HPFAR, or for a stage-2 permission
 * fault that is not on a stage-1 walk, where HPFAR is UNKNOWN (ARM ARM
 * B4.1.70), the IPA from ATS1CPR with PAR saved around it; if it cannot be
 * resolved the guest is simply run again), then everything is saved back
 * and the host's values restored; a loaded guest VFP state goes back to
 * the vCPU and the host's comes back (the host gets its VFP on every exit,
 * as KVM/ARM did). The guest's timers are disabled and GICH_HCR cleared
 * while the host runs. Every entry clears the exclusive monitor (CLREX),
 * so a STREX never succeeds across a vCPU switch.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_ctxt.h"
#include "cp15.h"
#include "hyp.h"
#include "fault_inject.h"
#include "vmm_abi.h"

_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, usr[13]) == CTX_SP_USR, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, usr[14]) == CTX_LR_USR, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, pc) == CTX_PC, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, cpsr) == CTX_CPSR, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, svc) == CTX_SVC, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, abt) == CTX_ABT, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, und) == CTX_UND, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, irq) == CTX_IRQ, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, fiq) == CTX_FIQ, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_cpu_ctxt, cp15) == CTX_BANKED_END, "ctxt");
_Static_assert(__builtin_offsetof(struct kvm_vcpu_hyp, ctxt) == 0, "entry.S finds ctxt at the vcpu pointer");

/* What Hyp keeps of the host, one per physical core (KVM/ARM's per-CPU
 * kvm_host_cpu_state), found by the core's own MPIDR.Aff0: Hyp reads the real
 * MPIDR, never VMPIDR. */
struct hyp_cpu {
    struct kvm_cpu_ctxt host_ctxt;      /* the host's registers while a guest runs */
    struct kvm_vfp host_vfp;            /* the host's VFP state while a guest owns the VFP */
    uint32_t host_fpexc;                /* the host's FPEXC while a guest runs with VFP trapped */
    uint32_t host_midr, host_mpidr;
};
static struct hyp_cpu hyp_cpus[HYPSIM_HOST_MAX_CPUS];

static struct hyp_cpu *this_hyp_cpu(void)
{
    uint32_t core = read_mpidr() & 0xffu;
    if (core >= HYPSIM_HOST_MAX_CPUS)
        hyp_panic(0x14, core, 0);
    return &hyp_cpus[FAULT(SHARED_HOST_CTXT) ? 0 : core];   /* the deliberate bug: one host context for all cores */
}

/* the running core's saved host registers (entry.S saves and restores the banked ones there) */
struct kvm_cpu_ctxt *hyp_this_host_ctxt(void)
{
    return &this_hyp_cpu()->host_ctxt;
}

#define GICH(off) (GICH_PA + (off))

static void save_cp15(struct kvm_cpu_ctxt *c)
{
#define SAVE(name, o1, crn, crm, o2)                                                   \
    if (!(FAULT(NO_SAVE_VBAR) && c != hyp_this_host_ctxt() && c_##name == c_VBAR))            \
        c->cp15[c_##name] = read_cp15(o1, crn, crm, o2);
    CP15_CTXT(SAVE)
#undef SAVE
    c->ttbr0 = read_cp15_64(0, c2);
    c->ttbr1 = read_cp15_64(1, c2);
    c->par = read_par();
}

static void load_cp15(const struct kvm_cpu_ctxt *c)
{
#define LOAD(name, o1, crn, crm, o2) write_cp15(o1, crn, crm, o2, c->cp15[c_##name]);
    CP15_CTXT(LOAD)
#undef LOAD
    write_cp15_64(0, c2, c->ttbr0);
    write_cp15_64(1, c2, c->ttbr1);
    write_par(c->par);
}

static void save_vgic(struct kvm_vgic_cpu *g)
{
    g->hcr = mmio_read32(GICH(GICH_HCR));
    g->vmcr = mmio_read32(GICH(GICH_VMCR));
    g->misr = mmio_read32(GICH(GICH_MISR));
    g->eisr = mmio_read32(GICH(GICH_EISR0));
    g->elrsr = mmio_read32(GICH(GICH_ELRSR0));
    g->apr = mmio_read32(GICH(GICH_APR));
    for (int i = 0; i < GICH_NR_LR; i++)
        g->lr[i] = mmio_read32(GICH(GICH_LR0 + 4 * i));
    mmio_write32(GICH(GICH_HCR), 0);
}

static void load_vgic(const struct kvm_vgic_cpu *g)
{
    mmio_write32(GICH(GICH_VMCR), g->vmcr);
    mmio_write32(GICH(GICH_APR), g->apr);
    for (int i = 0; i < GICH_NR_LR; i++)
        mmio_write32(GICH(GICH_LR0 + 4 * i), g->lr[i]);
    mmio_write32(GICH(GICH_HCR), g->hcr);
}

void hyp_enter_c(struct kvm_vcpu_hyp *v)
{
    struct hyp_cpu *h = this_hyp_cpu();
    save_cp15(&h->host_ctxt);
    load_cp15(&v->ctxt);
    write_cntvoff(v->cntvoff);
    write_cntv_cval(v->timer.cval);
    write_cntv_ctl(v->timer.ctl);
    write_cntp_cval(v->timer.pcval);
    write_cntp_ctl(v->timer.pctl);
    load_vgic(&v->vgic);
    write_vpidr(v->midr);
    write_vmpidr(v->mpidr);
    write_vttbr(v->vttbr);
    if (!v->vfp_loaded) {
        h->host_fpexc = read_fpexc();
        write_fpexc(FAULT(NO_FPEXC_EN) ? h->host_fpexc : h->host_fpexc | FPEXC_EN);
        write_hcptr(HCPTR_TCP(10) | HCPTR_TCP(11));
    }
    write_hstr(HSTR_T(15));
    write_cnthctl(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN);
    write_hcr(v->hcr);
    /* no exclusive access of the host or of another vCPU may pair with this
     * world's STREX (KVM/ARM's clrex in the world switch) */
    if (!FAULT(NO_CLREX))
        __asm__ volatile("clrex" ::: "memory");
    isb();
}

/* The IPA of a stage-2 fault; 0 when it cannot be resolved (run the guest again). */
static int capture_fault(struct kvm_vcpu_hyp *v)
{
    uint32_t hsr = read_hsr();
    uint32_t ec = HSR_EC(hsr);
    v->fault.hsr = hsr;
    if (ec != EC_DABT && ec != EC_IABT)
        return 1;
    uint32_t far = ec == EC_DABT ? read_hdfar() : read_hifar();
    v->fault.hxfar = far;
    if (!(hsr & HSR_S1PTW) && (hsr & HSR_FSC_TYPE) == FSC_PERM) {
        uint64_t par = read_par();
        ats1cpr(far);
        isb();
        uint64_t tmp = read_par();
        write_par(par);
        if (tmp & 1)
            return 0;       /* stage 1 changed under us: let the guest fault again */
        v->fault.hpfar = (uint32_t)((tmp & S2_ADDR_MASK) >> 8);
    } else {
        v->fault.hpfar = read_hpfar();
    }
    return 1;
}

uint32_t hyp_exit_c(struct kvm_vcpu_hyp *v, uint32_t code)
{
    struct hyp_cpu *h = this_hyp_cpu();
    if (code == ARM_EXCEPTION_TRAP && !capture_fault(v))
        return 0;
    /* controls first: HCPTR must not trap the VFP moves below */
    write_hcr(0);
    write_hcptr(0);
    write_hstr(0);
    write_cnthctl(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN);
    isb();
    save_cp15(&v->ctxt);
    load_cp15(&h->host_ctxt);
    v->timer.ctl = read_cntv_ctl();
    v->timer.cval = read_cntv_cval();
    write_cntv_ctl(0);
    v->timer.pctl = read_cntp_ctl();
    v->timer.pcval = read_cntp_cval();
    write_cntp_ctl(0);
    save_vgic(&v->vgic);
    if (v->vfp_loaded) {
        __vfp_save(&v->vfp);
        __vfp_load(&h->host_vfp);
        v->vfp_loaded = 0;
    } else {
        write_fpexc(h->host_fpexc);
    }
    write_vttbr(0);
    write_vpidr(h->host_midr);
    write_vmpidr(h->host_mpidr);
    isb();
    return code;
}

/* ---- Hyp functions the host calls through kvm_call_hyp ----------------- */

uint32_t __hyp_init(uint32_t vtcr, uint32_t unused1, uint32_t unused2)
{
    (void)unused1; (void)unused2;
    write_hvbar((uint32_t)__kvm_hyp_vector);
    write_vtcr(vtcr);
    write_cnthctl(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN);
    struct hyp_cpu *h = this_hyp_cpu();
    h->host_midr = read_midr();
    h->host_mpidr = read_mpidr();
    write_vpidr(h->host_midr);
    write_vmpidr(h->host_mpidr);
    write_vttbr(0);
    isb();
    return 0;
}

uint32_t __hyp_null(uint32_t a, uint32_t b, uint32_t c)
{
    (void)b; (void)c;
    return a;
}

/* All stage-1&2 non-Hyp entries, every VMID (a new VMID generation) */
uint32_t __kvm_flush_vm_context(uint32_t a, uint32_t b, uint32_t c)
{
    (void)a; (void)b; (void)c;
    dsb();
    tlbiallnsnhis();
    dsb();
    isb();
    return 0;
}

/* The guest's VFP state into the hardware (the first VFP access after an entry) */
uint32_t __kvm_vfp_switch_in(struct kvm_vcpu_hyp *v, uint32_t b, uint32_t c)
{
    (void)b; (void)c;
    struct hyp_cpu *h = this_hyp_cpu();
    write_fpexc(h->host_fpexc);     /* undo the EN mask so the host's FPEXC is saved as it was */
    __vfp_save(&h->host_vfp);
    __vfp_load(&v->vfp);
    v->vfp_loaded = 1;
    return 0;
}

/* The host's own VFP state as the world switch keeps it (host self-check) */
uint32_t __kvm_host_vfp_save(struct kvm_vfp *out, uint32_t b, uint32_t c)
{
    (void)b; (void)c;
    __vfp_save(out);
    return 0;
}

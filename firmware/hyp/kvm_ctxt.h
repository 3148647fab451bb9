/*
 * kvm_ctxt.h - the register context of one world (a vCPU, or the host while
 * a vCPU runs), as the world switch (hyp/entry.S, hyp/switch.c) saves and
 * loads it. KVM/ARM keeps the same in struct kvm_vcpu_arch (regs, cp15[]).
 * The CTX_* offsets are what entry.S uses; switch.c asserts them.
 */
#ifndef HYPSIM_KVM_CTXT_H
#define HYPSIM_KVM_CTXT_H

/* struct kvm_cpu_ctxt offsets (bytes) */
#define CTX_USR      0x00   /* r0-r12, sp_usr, lr_usr */
#define CTX_SP_USR   0x34
#define CTX_LR_USR   0x38
#define CTX_PC       0x3c   /* ELR_hyp */
#define CTX_CPSR     0x40   /* SPSR_hyp */
#define CTX_SVC      0x44   /* sp, lr, spsr */
#define CTX_ABT      0x50
#define CTX_UND      0x5c
#define CTX_IRQ      0x68
#define CTX_FIQ      0x74   /* r8-r12, sp, lr, spsr */
#define CTX_BANKED_END 0x94

/* what __kvm_vcpu_run returns (KVM's ARM_EXCEPTION_*) */
#define ARM_EXCEPTION_TRAP 1   /* HVBAR + 0x14: HVC, a trap, a stage-2 abort: see the HSR */
#define ARM_EXCEPTION_IRQ  2
#define ARM_EXCEPTION_FIQ  3

#ifndef __ASSEMBLER__
#include <stdint.h>

/* the CP15 context KVM switches (kvm_host.h's c1_SCTLR ... c14_CNTKCTL) */
#define CP15_CTXT(X)                                   \
    X(SCTLR,      0, c1,  c0, 0)                       \
    X(CPACR,      0, c1,  c0, 2)                       \
    X(TTBCR,      0, c2,  c0, 2)                       \
    X(DACR,       0, c3,  c0, 0)                       \
    X(DFSR,       0, c5,  c0, 0)                       \
    X(IFSR,       0, c5,  c0, 1)                       \
    X(ADFSR,      0, c5,  c1, 0)                       \
    X(AIFSR,      0, c5,  c1, 1)                       \
    X(DFAR,       0, c6,  c0, 0)                       \
    X(IFAR,       0, c6,  c0, 2)                       \
    X(PRRR,       0, c10, c2, 0)   /* MAIR0 */         \
    X(NMRR,       0, c10, c2, 1)   /* MAIR1 */         \
    X(AMAIR0,     0, c10, c3, 0)                       \
    X(AMAIR1,     0, c10, c3, 1)                       \
    X(VBAR,       0, c12, c0, 0)                       \
    X(CONTEXTIDR, 0, c13, c0, 1)                       \
    X(TPIDRURW,   0, c13, c0, 2)                       \
    X(TPIDRURO,   0, c13, c0, 3)                       \
    X(TPIDRPRW,   0, c13, c0, 4)                       \
    X(CNTKCTL,    0, c14, c1, 0)                       \
    X(CSSELR,     2, c0,  c0, 0)

enum cp15_index {
#define CP15_ENUM(name, o1, crn, crm, o2) c_##name,
    CP15_CTXT(CP15_ENUM)
#undef CP15_ENUM
    NR_CP15
};

struct kvm_cpu_ctxt {
    uint32_t usr[15];          /* r0-r12, sp_usr, lr_usr */
    uint32_t pc, cpsr;         /* ELR_hyp, SPSR_hyp */
    uint32_t svc[3], abt[3], und[3], irq[3];   /* sp, lr, spsr */
    uint32_t fiq[8];           /* r8-r12, sp, lr, spsr */
    uint32_t cp15[NR_CP15];
    uint64_t ttbr0, ttbr1, par;
};

struct kvm_vgic_cpu {          /* the GICH state of a vCPU */
    uint32_t hcr, vmcr, misr, eisr, elrsr, apr;
    uint32_t lr[4];
};

struct kvm_timer_cpu {         /* the generic timers of a vCPU: virtual and (EL1) physical */
    uint32_t ctl;              /* CNTV_CTL */
    uint64_t cval;             /* CNTV_CVAL */
    uint32_t pctl;             /* CNTP_CTL */
    uint64_t pcval;            /* CNTP_CVAL */
};

struct kvm_vfp {               /* VFPv3-D32 state */
    uint64_t d[32];
    uint32_t fpscr, fpexc;
};

struct kvm_fault {             /* captured by the Hyp side on every trap */
    uint32_t hsr, hxfar, hpfar;
};

/* What the Hyp side needs of a vCPU: the host's struct kvm_vcpu starts with it. */
struct kvm_vcpu_hyp {
    struct kvm_cpu_ctxt ctxt;
    struct kvm_vgic_cpu vgic;
    struct kvm_timer_cpu timer;
    struct kvm_fault fault;
    struct kvm_vfp vfp;
    uint64_t vttbr, cntvoff;
    uint32_t midr, mpidr;      /* VPIDR, VMPIDR */
    uint32_t hcr;              /* HCR for this entry (HCR_GUEST | VI/VF lines) */
    uint32_t vfp_loaded;       /* the guest's VFP state is in the hardware (no HCPTR trap) */
};
#endif
#endif

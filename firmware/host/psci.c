/*
 * psci.c - PSCI for the guest's vCPUs over HVC (and SMC), as KVM/ARM's
 * psci.c does it, with the answers QEMU's own PSCI gives a guest on
 * `-M virt` (the golden model the guests are compared with), ARM DEN 0022.
 * Measured on QEMU 7.2 by firmware/guests/psci.c: VERSION is 1.1;
 * FEATURES is SUCCESS for VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON,
 * AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET and FEATURES,
 * NOT_SUPPORTED for everything else (every SMC64 form among them, which a
 * 32-bit guest also gets from a direct call); MIGRATE_INFO_TYPE is 2
 * (migration not required). vCPUs (BI_NR_VCPUS, KVM_MAX_VCPUS): a
 * target CPU is named by its affinity, which must equal a vCPU's
 * VMPIDR[23:0] exactly, as QEMU's arm_get_cpu_by_id compares it (so
 * 0x80000001 is INVALID_PARAMETERS; KVM would mask it). CPU_ON of an
 * unknown target is INVALID_PARAMETERS, of a running vCPU ALREADY_ON;
 * otherwise the target is reset and enters the given address in SVC with
 * the state measured on QEMU 7.2 -smp 2 (firmware/guests/smp.c): CPSR
 * 0x400001d3, r0 = context_id, r1-r3 = 0, SP = 0, SCTLR 0x00c50078,
 * an odd address entering Thumb (as KVM does). AFFINITY_INFO (level 0) is
 * 0 ON or 1 OFF for a vCPU, INVALID_PARAMETERS for an unknown target; at
 * any higher lowest-affinity-level it is 0 (ON) whatever the target, as
 * QEMU answers (measured);
 * CPU_OFF powers the calling vCPU off (the VM ends when every vCPU is
 * off); CPU_SUSPEND is a standby, a WFI; SYSTEM_OFF and SYSTEM_RESET are
 * system events for the VMM and power every vCPU off. Departure from PSCI 0.2 as the issue lists it: the version and
 * FEATURES are 1.1's, because the guests' transcripts are compared with
 * QEMU's, which implements 1.1.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "cp15.h"

#define PSCI_VERSION          0x84000000u
#define PSCI_CPU_SUSPEND      0x84000001u
#define PSCI_CPU_OFF          0x84000002u
#define PSCI_CPU_ON           0x84000003u
#define PSCI_AFFINITY_INFO    0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF       0x84000008u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_FEATURES         0x8400000au

#define PSCI_RET_SUCCESS            0
#define PSCI_RET_NOT_SUPPORTED      0xffffffffu   /* -1 */
#define PSCI_RET_INVALID_PARAMS     0xfffffffeu   /* -2 */
#define PSCI_RET_ALREADY_ON         0xfffffffcu   /* -4 */
#define PSCI_VERSION_1_1            0x00010001u
#define PSCI_TOS_MIGRATION_NOT_REQUIRED 2
#define PSCI_AFFINITY_ON            0
#define PSCI_AFFINITY_OFF           1
#define MPIDR_AFFINITY_MASK         0x00ffffffu
/* what a secondary enters with after CPU_ON on QEMU 7.2 (-M virt -smp 2, measured by guests/smp.c):
 * SVC, A/I/F masked, and the Z flag set */
#define CPU_ON_CPSR                 0x400001d3u

int kvm_is_psci_call(uint32_t fn)
{
    return (fn & 0xbfffffe0u) == 0x84000000u;
}

/* what PSCI_FEATURES reports as implemented (QEMU 7.2's set) */
static int implemented(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION: case PSCI_CPU_SUSPEND: case PSCI_CPU_OFF: case PSCI_CPU_ON:
    case PSCI_AFFINITY_INFO: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
        return 1;
    default:
        return 0;
    }
}

static uint32_t system_event(struct kvm_vcpu *v, uint32_t type)
{
    v->run[RUN_SYSTEM_EVENT / 4] = type;
    v->run[RUN_MAPPED_PAGES / 4] = v->vm->mapped_pages;
    v->run[RUN_DIRTY_PAGES / 4] = v->vm->dirty_pages;
    kvm_vmm_exit(v, KVM_EXIT_SYSTEM_EVENT);
    for (uint32_t i = 0; i < v->vm->nr_vcpus; i++) {
        struct kvm_vcpu *t = &v->vm->vcpus[i];
        t->power_off = 1;
        if (t->loaded)
            kvm_vcpu_kick(t);       /* running on another core: it exits and stops */
    }
    return PSCI_RET_SUCCESS;
}

/* the vCPU whose affinity is exactly `target`, or 0; vCPU i's affinity is the
 * host's Aff2/Aff1 with Aff0 = i, what kvm_vcpu_reset gives its VMPIDR (seed 000) */
static struct kvm_vcpu *vcpu_by_affinity(struct kvm_vm *vm, uint32_t target)
{
    uint32_t base = read_mpidr() & MPIDR_AFFINITY_MASK & ~0xffu;
    for (uint32_t i = 0; i < vm->nr_vcpus; i++)
        if ((base | i) == target)
            return &vm->vcpus[i];
    return 0;
}

static uint32_t cpu_on(struct kvm_vcpu *v, uint32_t target, uint32_t entry, uint32_t context_id)
{
    struct kvm_vcpu *t = vcpu_by_affinity(v->vm, target);
    if (!t)
        return PSCI_RET_INVALID_PARAMS;
    if (!t->power_off)
        return PSCI_RET_ALREADY_ON;
    kvm_vcpu_reset(t);
    struct kvm_cpu_ctxt *c = &t->arch.ctxt;
    for (int i = 0; i < 15; i++)
        c->usr[i] = 0;
    c->usr[0] = context_id;
    c->svc[0] = 0;
    c->cpsr = CPU_ON_CPSR | ((entry & 1) ? PSR_T : 0);
    c->pc = entry & ~1u;
    t->power_off = 0;
    kvm_vcpu_kick(t);               /* let a scheduler run it */
    return PSCI_RET_SUCCESS;
}

int kvm_psci_call(struct kvm_vcpu *v)
{
    uint32_t *r = v->arch.ctxt.usr;
    uint32_t fn = r[0], ret;
    switch (fn) {
    case PSCI_VERSION:
        ret = PSCI_VERSION_1_1;
        break;
    case PSCI_CPU_SUSPEND:
        if (!vgic_pending(v))
            v->wfi = 1;
        ret = PSCI_RET_SUCCESS;
        break;
    case PSCI_CPU_OFF:
        v->power_off = 1;
        ret = PSCI_RET_SUCCESS;
        break;
    case PSCI_CPU_ON:
        ret = cpu_on(v, r[1], r[2], r[3]);
        break;
    case PSCI_AFFINITY_INFO: {
        struct kvm_vcpu *t = vcpu_by_affinity(v->vm, r[1]);
        if (r[2] != 0)          /* QEMU: every level above 0 is ON (measured, guests/smp.c) */
            ret = PSCI_AFFINITY_ON;
        else
            ret = !t ? PSCI_RET_INVALID_PARAMS : t->power_off ? PSCI_AFFINITY_OFF : PSCI_AFFINITY_ON;
        break;
    }
    case PSCI_MIGRATE_INFO_TYPE:
        ret = PSCI_TOS_MIGRATION_NOT_REQUIRED;
        break;
    case PSCI_SYSTEM_OFF:
        ret = system_event(v, KVM_SYSTEM_EVENT_SHUTDOWN);
        break;
    case PSCI_SYSTEM_RESET:
        ret = system_event(v, KVM_SYSTEM_EVENT_RESET);
        break;
    case PSCI_FEATURES:
        ret = implemented(r[1]) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
        break;
    default:   /* MIGRATE, MIGRATE_INFO_UP_CPU, every SMC64 form and the unallocated IDs */
        ret = PSCI_RET_NOT_SUPPORTED;
        break;
    }
    r[0] = ret;
    return RESUME_GUEST;
}

/* The host's own PSCI call: start physical core `core` (Aff0; QEMU and soc_psci
 * name a core by its exact affinity) at `entry` in Hyp mode with r0 = context_id. */
int32_t host_cpu_on(uint32_t core, void (*entry)(void), uint32_t context_id)
{
    return host_psci_call(PSCI_CPU_ON, core, (uint32_t)entry, context_id);
}

/*
 * psci.c - PSCI for the guest's vCPUs over HVC (and SMC), as KVM/ARM's
 * psci.c does it, with the answers QEMU's own PSCI gives a guest on
 * `-M virt` (the golden model the guests are compared with), ARM DEN 0022.
 * Measured on QEMU 7.2 by firmware/guests/psci.c: VERSION is 1.1;
 * FEATURES is SUCCESS for VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON,
 * AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET and FEATURES,
 * NOT_SUPPORTED for everything else (every SMC64 form among them, which a
 * 32-bit guest also gets from a direct call); MIGRATE_INFO_TYPE is 2
 * (migration not required). One vCPU per VM: CPU_ON of vCPU 0 is
 * ALREADY_ON, of any other CPU INVALID_PARAMETERS, as is AFFINITY_INFO
 * of another CPU; CPU_OFF powers the vCPU off (the VM ends); CPU_SUSPEND
 * is a standby, a WFI; SYSTEM_OFF and SYSTEM_RESET are system events for
 * the VMM. Departure from PSCI 0.2 as the issue lists it: the version and
 * FEATURES are 1.1's, because the guests' transcripts are compared with
 * QEMU's, which implements 1.1.
 */
#include <stdint.h>
#include "kvm_host.h"

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
    v->power_off = 1;
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
        ret = (r[1] & 0xff) == v->id ? PSCI_RET_ALREADY_ON : PSCI_RET_INVALID_PARAMS;
        break;
    case PSCI_AFFINITY_INFO:
        ret = (r[1] & 0xff) == v->id && r[2] == 0 ? 0 /* ON */ : PSCI_RET_INVALID_PARAMS;
        break;
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

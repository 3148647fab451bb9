/*
 * vm.c - VM and vCPU objects and the VMID allocator (KVM/ARM: arm.c
 * kvm_arch_init_vm, update_vttbr, kvm_arch_vcpu_init; reset.c).
 *
 * VMIDs (8 bits; 0 is the host; BI_VMID_BITS may narrow them for a test) are
 * handed out in the order VMs run, tagged with a generation. When the guest
 * VMIDs of a generation are used up,
 * a new generation starts: every non-Hyp TLB entry of every VMID is
 * invalidated (TLBIALLNSNHIS, through the Hyp side) and every VM gets a new
 * VMID the next time it runs. So any number of VMs can run over time and
 * no VM ever hits a TLB entry left by another VM that had its VMID.
 *
 * A new vCPU starts as the guest contract says (ARCHITECTURE.md): SVC mode,
 * A/I/F masked, MMU and caches off, r0 = 0, r1 = ~0, r2 = the DTB's IPA,
 * PC = the image's entry; VPIDR = the host's MIDR and VMPIDR the host's
 * MPIDR with Aff0 = the vCPU id (seed 000); the CP15 context at
 * Cortex-A15 reset values (KVM/ARM's reset table). CNTVOFF is per VM and
 * switched, and the host gives every VM 0: the guest's virtual count is the
 * physical count, as a guest sees it natively on QEMU. (KVM/ARM starts it
 * at 0 instead, from the count at VM creation: a counter value in a
 * register, which a lockstep comparison with QEMU cannot follow.)
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "hyp.h"
#include "cp15.h"
#include "fault_inject.h"

struct kvm_vm vms[KVM_MAX_VMS];
static uint32_t vm_count;                  /* VMs created so far (VM index) */
static uint32_t vmid_gen = 1;              /* the current generation; 0 is never current */
static uint32_t vmid_next = 1;             /* next free VMID in this generation */

#define A15_SCTLR_RESET 0x00c50078u
#define A15_PRRR_RESET  0x000a81a8u
#define A15_NMRR_RESET  0x44e048e0u

void kvm_update_vmid(struct kvm_vm *vm)
{
    if (vm->vmid_gen == vmid_gen)
        return;
    if (vmid_next == (1u << boot.vmid_bits)) {
        vmid_gen++;
        vmid_next = 1;
        kvm_kick_out_of_guests();      /* no other core still runs with a VMID of the old generation */
        if (!FAULT(NO_VMID_FLUSH))
            call_hyp(__kvm_flush_vm_context, 0, 0, 0);
    }
    vm->vmid = vmid_next++;
    vm->vmid_gen = vmid_gen;
    for (uint32_t i = 0; i < KVM_MAX_VCPUS; i++)
        vm->vcpus[i].arch.vttbr = ((uint64_t)vm->vmid << VTTBR_VMID_SHIFT) | (uint32_t)vm->pgd;
}

/* A vCPU's registers at reset (the guest contract's boot state; psci.c
 * overwrites them for CPU_ON). Its vGIC state (the GICH shadow, the banked
 * distributor state) is the GIC's, not the CPU's, and survives, as on QEMU. */
void kvm_vcpu_reset(struct kvm_vcpu *v)
{
    struct kvm_cpu_ctxt *c = &v->arch.ctxt;
    struct kvm_vm *vm = v->vm;
    uint32_t id = v->id;
    struct kvm_vgic_cpu gich = v->arch.vgic;
    uint64_t vttbr = v->arch.vttbr;
    uint32_t *raw = (uint32_t *)v;
    for (uint32_t i = 0; i < sizeof(*v) / 4; i++)
        raw[i] = 0;
    v->vm = vm;
    v->id = id;
    v->arch.vgic = gich;
    v->arch.vttbr = vttbr;
    c->usr[1] = ~0u;
    c->usr[2] = boot.dtb_ipa;
    c->pc = boot.entry_ipa;
    c->cpsr = PSR_SVC | PSR_A | PSR_I | PSR_F;
    c->cp15[c_SCTLR] = A15_SCTLR_RESET;
    c->cp15[c_PRRR] = A15_PRRR_RESET;
    c->cp15[c_NMRR] = A15_NMRR_RESET;
    v->arch.midr = read_midr();
    /* seed 000: VMPIDR = the host's MPIDR with Aff0 = the vCPU id */
    v->arch.mpidr = (read_mpidr() & ~0xffu) | (FAULT(VMPIDR_SHARED) ? 0 : v->id);
    v->arch.cntvoff = 0;
    v->arch.vfp.fpexc = 0;
    kvm_reset_coprocs(v);
}

struct kvm_vm *kvm_create_vm(void)
{
    struct kvm_vm *vm = 0;
    for (int i = 0; i < KVM_MAX_VMS && !vm; i++)
        if (!vms[i].in_use)
            vm = &vms[i];
    if (!vm)
        host_fatal(0, HYPSIM_ERR_NO_MEMORY, "no free VM slot");
    uint32_t *raw = (uint32_t *)vm;
    for (uint32_t i = 0; i < sizeof(*vm) / 4; i++)
        raw[i] = 0;
    vm->in_use = 1;
    vm->index = vm_count++;
    vm->mem_ipa = HYPSIM_GUEST_RAM_IPA;
    vm->mem_size = boot.guest_mem;
    vm->dirty_log = !!(boot.flags & HYPSIM_BI_F_DIRTY_LOG);
    vm->nr_vcpus = boot.nr_vcpus;
    if (stage2_init(vm))
        host_fatal(0, HYPSIM_ERR_NO_MEMORY, "out of memory for the stage-2 tables");
    vgic_init(vm);
    vmm_vm_init(vm);
    for (uint32_t i = 0; i < KVM_MAX_VCPUS; i++) {
        struct kvm_vcpu *v = &vm->vcpus[i];
        v->vm = vm;
        v->id = i;
        kvm_vcpu_reset(v);
        v->power_off = i != 0;          /* secondaries wait for PSCI CPU_ON */
    }
    return vm;
}

void kvm_destroy_vm(struct kvm_vm *vm)
{
    stage2_free(vm);
    vm->in_use = 0;
    vm->vmid_gen = 0;
}

/*
 * main.c - the host kernel's boot and scheduler (KVM/ARM's
 * kvm_arch_vcpu_ioctl_run loop, with the VMM's "create VMs, run vCPUs"
 * role folded in, since the host here is the whole host OS).
 *
 * crt0 enters in Hyp mode, hyp_main() installs the Hyp vectors and the
 * stage-2 translation control through __hyp_init, and main() runs in SVC
 * mode with the MMU off and IRQs masked: physical interrupts are only
 * observed on IRQ exits and after the host's own WFI (host_irq_poll).
 *
 * The run is described by the boot-info block (vmm_abi.h); without one the
 * defaults are one VM with 16 MiB, the image at HYPSIM_IMAGE_PA entered at
 * 0x4001_0000, the DTB at HYPSIM_DTB_PA, and no VMM (in-firmware device
 * models, host/vmm.c). Each VM has BI_NR_VCPUS vCPUs (1..KVM_MAX_VCPUS):
 * vCPU 0 starts, the others wait powered off for PSCI CPU_ON (psci.c).
 * The scheduler runs the vCPUs of all VMs round robin on this one core;
 * with more than one runnable, each runs for a time slice on the Hyp timer
 * (CNTHP, PPI 26), never past the timer deadline of a vCPU blocked in WFI.
 * An exit that makes another vCPU runnable (an SGI to a vCPU in WFI, a
 * CPU_ON: sched_kick) ends the running vCPU's turn; so do WFI and WFE. A
 * vCPU blocked in WFI is skipped until an interrupt is pending for it; when
 * every vCPU is blocked the host waits (WFI) for the earliest virtual-timer
 * deadline. A VM ends when every vCPU of it is off (CPU_OFF of the last
 * one, or SYSTEM_OFF). When every VM has powered off, or, with BI_SEQ_RUNS,
 * when the last of the VMs run one after another has,
 * the host ends the run through semihosting SYS_EXIT(0).
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "hyp.h"
#include "printf.h"
#include "semihost.h"
#include "cp15.h"

struct boot_config boot;
uint32_t sched_kick;
static uint32_t seq_started;     /* VMs created so far */

#define DEFAULT_TIMESLICE 20000u  /* counter ticks: cycles on the RTL, 16 ns each on QEMU */

/* Hyp-mode part of boot (crt0 calls it before dropping to SVC) */
int hyp_main(void)
{
    __hyp_init(VTCR_GUEST, 0, 0);
    return 0;
}

void host_fatal(struct kvm_vcpu *v, uint32_t code, const char *what)
{
    if (v && (boot.flags & HYPSIM_BI_F_VMM)) {
        v->run[RUN_FAIL_CODE / 4] = code;
        v->run[RUN_FAIL_HSR / 4] = v->arch.fault.hsr;
        v->run[RUN_FAIL_FAR / 4] = v->arch.fault.hxfar;
        v->run[RUN_FAIL_HPFAR / 4] = v->arch.fault.hpfar;
        kvm_vmm_exit(v, KVM_EXIT_INTERNAL_ERROR);
    }
    vmm_console_flush();
    printf("hyp: error: %s", what);
    if (v)
        printf(" (vm %u, guest pc 0x%08x, HSR 0x%08x)", (unsigned)v->vm->index,
               (unsigned)v->arch.ctxt.pc, (unsigned)v->arch.fault.hsr);
    printf("\n");
    sh_exit(1);
}

static uint32_t bi(uint32_t off)
{
    return *(volatile uint32_t *)(HYPSIM_BOOTINFO_PA + off);
}

static void read_boot_config(void)
{
    boot.flags = 0;
    boot.nr_vms = 1;
    boot.guest_mem = HYPSIM_GUEST_MEM_DEFAULT;
    boot.image_pa = HYPSIM_IMAGE_PA;
    boot.image_size = HYPSIM_IMAGE_MAX;
    boot.image_ipa = HYPSIM_GUEST_ENTRY_IPA;
    boot.entry_ipa = HYPSIM_GUEST_ENTRY_IPA;
    boot.dtb_pa = HYPSIM_DTB_PA;
    boot.dtb_size = 0x10000;
    boot.dtb_ipa = HYPSIM_GUEST_RAM_IPA + HYPSIM_GUEST_MEM_DEFAULT / 2;
    boot.seq_runs = 0;
    boot.vmid_bits = VMID_BITS;
    boot.timeslice = DEFAULT_TIMESLICE;
    boot.nr_vcpus = 1;
    if (bi(BI_MAGIC) != HYPSIM_BOOTINFO_MAGIC)
        return;
    if (bi(BI_VERSION) != HYPSIM_BOOTINFO_VERSION)
        host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO, "boot-info block of an unknown version");
    boot.flags = bi(BI_FLAGS);
    boot.nr_vms = bi(BI_NR_VMS);
    boot.guest_mem = bi(BI_GUEST_MEM);
    boot.image_pa = bi(BI_IMAGE_PA);
    boot.image_size = bi(BI_IMAGE_SIZE);
    boot.image_ipa = bi(BI_IMAGE_IPA);
    boot.entry_ipa = bi(BI_ENTRY_IPA);
    boot.dtb_pa = bi(BI_DTB_PA);
    boot.dtb_size = bi(BI_DTB_SIZE);
    boot.dtb_ipa = bi(BI_DTB_IPA);
    boot.seq_runs = bi(BI_SEQ_RUNS);
    if (bi(BI_TIMESLICE))
        boot.timeslice = bi(BI_TIMESLICE);
    boot.vmid_bits = bi(BI_VMID_BITS) ? bi(BI_VMID_BITS) : VMID_BITS;
    boot.nr_vcpus = bi(BI_NR_VCPUS) ? bi(BI_NR_VCPUS) : 1;
    if (boot.nr_vcpus > KVM_MAX_VCPUS)
        host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO, "boot-info block asks for more vCPUs than KVM_MAX_VCPUS");
    if (boot.nr_vms < 1 || boot.nr_vms > KVM_MAX_VMS || boot.guest_mem < (1u << 20)
        || boot.image_size > HYPSIM_IMAGE_MAX || boot.dtb_size > HYPSIM_DTB_MAX
        || boot.vmid_bits > VMID_BITS)
        host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO, "malformed boot-info block");
}

static int runnable(const struct kvm_vcpu *v)
{
    return v->vm->in_use && !v->power_off && !v->wfi;
}

/* every vCPU of the VM is off (CPU_OFF of the last one, or SYSTEM_OFF): the VM ends */
static int vm_all_off(const struct kvm_vm *vm)
{
    for (uint32_t i = 0; i < vm->nr_vcpus; i++)
        if (!vm->vcpus[i].power_off)
            return 0;
    return 1;
}

#define NR_SLOTS (KVM_MAX_VMS * KVM_MAX_VCPUS)
/* scheduler slot n: VM n / KVM_MAX_VCPUS, vCPU n % KVM_MAX_VCPUS (0 if that vCPU does not exist) */
static struct kvm_vcpu *slot(uint32_t n)
{
    struct kvm_vm *vm = &vms[n / KVM_MAX_VCPUS];
    uint32_t id = n % KVM_MAX_VCPUS;
    return vm->in_use && id < vm->nr_vcpus ? &vm->vcpus[id] : 0;
}

static uint32_t alive_vms(void)
{
    uint32_t n = 0;
    for (int i = 0; i < KVM_MAX_VMS; i++)
        n += vms[i].in_use;
    return n;
}

/* the earliest timer deadline of a live vCPU other than `except` (0: none); 1 if one exists */
static int earliest_deadline(const struct kvm_vcpu *except, uint64_t *when, struct kvm_vcpu **who)
{
    uint64_t best = ~0ull, d;
    int found = 0;
    for (uint32_t n = 0; n < NR_SLOTS; n++) {
        struct kvm_vcpu *v = slot(n);
        if (v && v != except && !v->power_off && kvm_timer_deadline(v, &d) && d < best) {
            best = d;
            found = 1;
            if (who)
                *who = v;
        }
    }
    *when = best;
    return found;
}

/* Run one vCPU until the scheduler should look again: with others runnable for
 * a time slice, and never past the timer deadline of a vCPU blocked in WFI
 * (its timer only makes the running vCPU exit while that one runs). */
static void vcpu_run(struct kvm_vcpu *v, uint32_t others_runnable)
{
    uint64_t wake = ~0ull;
    if (!earliest_deadline(v, &wake, 0))
        wake = ~0ull;
    if (others_runnable && read_cntpct() + boot.timeslice < wake)
        wake = read_cntpct() + boot.timeslice;
    if (wake != ~0ull)
        host_timer_arm(wake);
    for (;;) {
        if (v->mmio_pending)
            kvm_handle_mmio_return(v);
        kvm_update_vmid(v->vm);
        kvm_timer_sync(v);
        vgic_flush(v);
        v->arch.hcr = HCR_GUEST | ((v->irq_lines & 1) ? HCR_VI : 0) | ((v->irq_lines & 2) ? HCR_VF : 0);
        uint32_t code = call_hyp(__kvm_vcpu_run, &v->arch, 0, 0);
        vgic_sync(v);
        int r = handle_exit(v, code);
        if (r != RESUME_GUEST || v->power_off || v->wfi || sched_kick)
            return;
    }
}

/* Every live vCPU waits in WFI: sleep until the earliest virtual-timer deadline. */
static void wait_for_interrupt(void)
{
    uint64_t best;
    struct kvm_vcpu *who = 0;
    if (!earliest_deadline(0, &best, &who))
        host_fatal(0, HYPSIM_ERR_DEADLOCK,
                   "every vCPU waits in WFI with no interrupt that could wake it (no timer armed)");
    host_timer_arm(best);
    while (read_cntpct() < best)
        __asm__ volatile("wfi");
    host_irq_poll();
}

static void maybe_start_next(void)
{
    while (alive_vms() < boot.nr_vms && seq_started < (boot.seq_runs ? boot.seq_runs : boot.nr_vms)) {
        kvm_create_vm();
        seq_started++;
    }
}

int main(void)
{
    read_boot_config();
    for (int i = 0; i < KVM_MAX_VMS; i++)
        for (int j = 0; j < KVM_MAX_VCPUS; j++)
            vms[i].vcpus[j].vm = &vms[i];
    pool_init();
    host_gic_init();
    if (call_hyp(__hyp_null, 0x600dcafe, 0, 0) != 0x600dcafe)   /* the Hyp ABI works (and make bench times it) */
        host_fatal(0, HYPSIM_ERR_UNKNOWN_EXIT, "the Hyp ABI did not return its argument");
    maybe_start_next();
    uint32_t next = 0;
    while (alive_vms()) {
        struct kvm_vcpu *pick = 0;
        uint32_t nrun = 0;
        sched_kick = 0;
        for (uint32_t k = 0; k < NR_SLOTS; k++) {
            struct kvm_vcpu *v = slot((next + k) % NR_SLOTS);
            if (!v)
                continue;
            if (v->wfi && !v->power_off) {
                kvm_timer_sync(v);
                if (vgic_pending(v))
                    v->wfi = 0;
            }
            if (runnable(v)) {
                nrun++;
                if (!pick)
                    pick = v;
            }
        }
        if (!pick) {
            wait_for_interrupt();
            continue;
        }
        next = ((uint32_t)(pick->vm - vms) * KVM_MAX_VCPUS + pick->id + 1) % NR_SLOTS;
        vcpu_run(pick, nrun > 1);
        host_timer_cancel();
        if (pick->power_off && pick->vm->in_use && vm_all_off(pick->vm)) {
            kvm_destroy_vm(pick->vm);
            maybe_start_next();
        }
    }
    vmm_console_flush();
    return 0;
}

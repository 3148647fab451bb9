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
 * 0x4001_0000, the DTB at HYPSIM_DTB_PA, no VMM (in-firmware device models,
 * host/vmm.c) and one physical core. Each VM has BI_NR_VCPUS vCPUs
 * (1..KVM_MAX_VCPUS): vCPU 0 starts, the others wait powered off for PSCI
 * CPU_ON (psci.c).
 *
 * Physical cores (BI_NR_CPUS): core 0 boots and starts the others through
 * PSCI CPU_ON over SMC (cpu_boot.S: their own stacks, the per-core Hyp init);
 * every core runs the same scheduler. One lock (Linux's big kernel lock, in
 * spirit) covers all host state; a core drops it only to run a guest
 * (__kvm_vcpu_run) and to wait in WFI. A vCPU is loaded on at most one core
 * at a time and may run on any core (as a KVM vCPU thread migrates): its
 * whole state lives in its object, and guests' TLB maintenance is
 * broadcast (HCR.FB), so nothing of it stays behind in a core.
 *
 * Scheduling: round robin over every (VM, vCPU) slot not loaded elsewhere;
 * with more than one runnable, each runs for a time slice on the Hyp timer
 * (CNTHP, PPI 26), never past the timer deadline of a vCPU blocked in WFI.
 * An exit that makes another vCPU runnable (an SGI to a vCPU in WFI, a
 * CPU_ON) wakes an idle core with the physical SGI HOST_KICK_SGI, or with no
 * idle core ends the running vCPU's turn (host_cpu.kick); an interrupt for a
 * vCPU loaded on another core sends that core the SGI, so it exits and
 * flushes the vGIC (KVM's kvm_vcpu_kick). WFI and WFE end a turn too. A vCPU
 * blocked in WFI is skipped until an interrupt is pending for it; a core with
 * nothing to run waits (WFI) for the earliest virtual-timer deadline or a
 * kick. A VM ends when every vCPU of it is off (CPU_OFF of the last one, or
 * SYSTEM_OFF) and none is loaded. When every VM has powered off, or, with
 * BI_SEQ_RUNS, when the last of the VMs run one after another has, core 0
 * ends the run through semihosting SYS_EXIT(0); the others wait in WFI.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "hyp.h"
#include "printf.h"
#include "semihost.h"
#include "cp15.h"
#include "fault_inject.h"
#include "spinlock.h"

struct boot_config boot;
struct host_cpu host_cpus[HYPSIM_HOST_MAX_CPUS];
static uint32_t seq_started;     /* VMs created so far */
static volatile uint32_t host_lock_word;

/* each secondary core's stacks (cpu_boot.S: Hyp 4 KiB, SVC 16 KiB, the rest 2 KiB) */
#define HOST_CPU_STACK 0x5800
static uint8_t host_cpu_stacks[HYPSIM_HOST_MAX_CPUS - 1][HOST_CPU_STACK] __attribute__((aligned(16)));

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
    boot.nr_cpus = 1;
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
    boot.nr_cpus = bi(BI_NR_CPUS) ? bi(BI_NR_CPUS) : 1;
    if (boot.nr_cpus > HYPSIM_HOST_MAX_CPUS)
        host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO, "boot-info block asks for more physical cores than HYPSIM_HOST_MAX_CPUS");
    if (boot.nr_vcpus > KVM_MAX_VCPUS)
        host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO, "boot-info block asks for more vCPUs than KVM_MAX_VCPUS");
    if (boot.nr_vms < 1 || boot.nr_vms > KVM_MAX_VMS || boot.guest_mem < (1u << 20)
        || boot.image_size > HYPSIM_IMAGE_MAX || boot.dtb_size > HYPSIM_DTB_MAX
        || boot.vmid_bits > VMID_BITS)
        host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO, "malformed boot-info block");
}

struct host_cpu *this_cpu(void)
{
    return &host_cpus[read_mpidr() & 0xffu];   /* the host's MPIDR: VMPIDR is the core's own while it runs */
}

void host_lock(void)
{
    spin_lock(&host_lock_word);
}

void host_unlock(void)
{
    spin_unlock(&host_lock_word);
}

static int runnable(const struct kvm_vcpu *v)
{
    return v->vm->in_use && !v->power_off && !v->wfi;
}

/* every vCPU of the VM is off (CPU_OFF of the last one, or SYSTEM_OFF) and none is
 * still loaded on a core: the VM ends */
static int vm_all_off(const struct kvm_vm *vm)
{
    for (uint32_t i = 0; i < vm->nr_vcpus; i++)
        if (!vm->vcpus[i].power_off || vm->vcpus[i].loaded)
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

/* the earliest timer deadline of a live vCPU no core has loaded, other than `except`; 1 if one exists */
static int earliest_deadline(const struct kvm_vcpu *except, uint64_t *when)
{
    uint64_t best = ~0ull, d;
    int found = 0;
    for (uint32_t n = 0; n < NR_SLOTS; n++) {
        struct kvm_vcpu *v = slot(n);
        if (v && v != except && !v->loaded && !v->power_off && kvm_timer_deadline(v, &d) && d < best) {
            best = d;
            found = 1;
        }
    }
    *when = best;
    return found;
}

/* wake one idle core (all of them with `all`); 1 if one was */
static int wake_idle(int all)
{
    int woke = 0;
    for (uint32_t c = 0; c < boot.nr_cpus; c++) {
        if (c != this_cpu()->id && host_cpus[c].idle) {
            host_cpus[c].idle = 0;
            host_send_kick(c);
            woke = 1;
            if (!all)
                break;
        }
    }
    return woke;
}

/* t has something new: an interrupt pending, or it became runnable (KVM's kvm_vcpu_kick) */
void kvm_vcpu_kick(struct kvm_vcpu *t)
{
    struct host_cpu *me = this_cpu();
    if (t->loaded) {
        if (t->loaded - 1 != me->id && !FAULT(NO_KICK))
            host_send_kick(t->loaded - 1);     /* it exits, and its next entry flushes the vGIC */
        return;
    }
    if (!wake_idle(0))
        me->kick = 1;
}

/* every other core out of its guest before this one goes on (a new VMID generation:
 * no core may still translate with a VMID about to be given to another VM) */
void kvm_kick_out_of_guests(void)
{
    for (uint32_t c = 0; c < boot.nr_cpus; c++) {
        if (c == this_cpu()->id || !host_cpus[c].in_guest)
            continue;
        host_send_kick(c);
        while (host_cpus[c].in_guest)
            ;
    }
}

/* Run one vCPU until the scheduler should look again: with others runnable for
 * a time slice, and never past the timer deadline of a vCPU blocked in WFI
 * (its timer only makes the running vCPU exit while that one runs). The host
 * lock is held but while the guest runs. */
static void vcpu_run(struct kvm_vcpu *v, uint32_t others_runnable)
{
    struct host_cpu *me = this_cpu();
    uint64_t wake = ~0ull;
    if (!earliest_deadline(v, &wake))
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
        me->in_guest = 1;
        host_unlock();
        uint32_t code = call_hyp(__kvm_vcpu_run, &v->arch, 0, 0);
        me->in_guest = 0;
        host_lock();
        vgic_sync(v);
        int r = handle_exit(v, code);
        if (r != RESUME_GUEST || v->power_off || v->wfi || me->kick)
            return;
    }
}

/* Nothing this core can run: sleep until the earliest virtual-timer deadline of a
 * vCPU no core has loaded, or (several cores) a kick. */
static void idle_wait(struct host_cpu *me)
{
    uint64_t best;
    int timed = earliest_deadline(0, &best);
    if (!timed) {
        int loaded = 0;
        for (uint32_t n = 0; n < NR_SLOTS; n++)
            loaded |= slot(n) && slot(n)->loaded;
        if (!loaded)
            host_fatal(0, HYPSIM_ERR_DEADLOCK,
                       "every vCPU waits in WFI with no interrupt that could wake it (no timer armed)");
    }
    if (timed)
        host_timer_arm(best);
    me->idle = 1;
    host_unlock();
    do
        __asm__ volatile("wfi");
    while (boot.nr_cpus == 1 && read_cntpct() < best);
    host_lock();
    me->idle = 0;
    host_irq_poll();
}

static void maybe_start_next(void)
{
    while (alive_vms() < boot.nr_vms && seq_started < (boot.seq_runs ? boot.seq_runs : boot.nr_vms)) {
        kvm_create_vm();
        seq_started++;
        wake_idle(1);
    }
}

/* every core's scheduler loop, entered and left with the host lock held */
static void schedule(void)
{
    struct host_cpu *me = this_cpu();
    uint32_t next = 0;
    while (alive_vms()) {
        struct kvm_vcpu *pick = 0;
        uint32_t nrun = 0;
        me->kick = 0;
        for (uint32_t k = 0; k < NR_SLOTS; k++) {
            struct kvm_vcpu *v = slot((next + k) % NR_SLOTS);
            if (!v || v->loaded)
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
            idle_wait(me);
            continue;
        }
        next = ((uint32_t)(pick->vm - vms) * KVM_MAX_VCPUS + pick->id + 1) % NR_SLOTS;
        pick->loaded = 1 + me->id;
        vcpu_run(pick, nrun > 1);
        host_timer_cancel();
        pick->loaded = 0;
        if (runnable(pick))
            wake_idle(0);                     /* preempted: an idle core may take it */
        if (pick->power_off && pick->vm->in_use && vm_all_off(pick->vm)) {
            kvm_destroy_vm(pick->vm);
            maybe_start_next();
            if (!alive_vms())
                wake_idle(1);                 /* the run is over: core 0 ends it */
        }
    }
}

/* a secondary core, from cpu_boot.S in SVC mode */
void host_secondary_main(void)
{
    host_gic_init();
    host_lock();
    schedule();
    host_unlock();
    for (;;)
        __asm__ volatile("wfi");
}

int main(void)
{
    read_boot_config();
    for (int i = 0; i < KVM_MAX_VMS; i++)
        for (int j = 0; j < KVM_MAX_VCPUS; j++)
            vms[i].vcpus[j].vm = &vms[i];
    for (uint32_t c = 0; c < HYPSIM_HOST_MAX_CPUS; c++)
        host_cpus[c].id = c;
    pool_init();
    host_gic_init();
    if (call_hyp(__hyp_null, 0x600dcafe, 0, 0) != 0x600dcafe)   /* the Hyp ABI works (and make bench times it) */
        host_fatal(0, HYPSIM_ERR_UNKNOWN_EXIT, "the Hyp ABI did not return its argument");
    host_lock();
    maybe_start_next();
    for (uint32_t c = 1; c < boot.nr_cpus; c++)
        if (host_cpu_on(c, host_secondary_entry, (uint32_t)&host_cpu_stacks[c - 1][HOST_CPU_STACK]) != 0)
            host_fatal(0, HYPSIM_ERR_BAD_BOOTINFO,
                       "PSCI CPU_ON of a physical core failed (BI_NR_CPUS names more cores than the machine has)");
    schedule();
    host_unlock();
    vmm_console_flush();
    return 0;
}

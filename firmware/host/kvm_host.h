/*
 * kvm_host.h - the host kernel's objects: VMs, vCPUs, the vGIC distributor
 * state, memslots (KVM/ARM: arch/arm/include/asm/kvm_host.h, kvm_vgic.h).
 * All policy lives in host/: the Hyp side (hyp/) only switches worlds.
 */
#ifndef HYPSIM_KVM_HOST_H
#define HYPSIM_KVM_HOST_H
#include <stdint.h>
#include "kvm_ctxt.h"
#include "vmm_abi.h"

#define KVM_MAX_VMS       4         /* VMs alive at once (--vms) */
#define VGIC_NR_IRQS      64        /* SGIs, PPIs and SPIs 32-63 (GICD_TYPER.ITLinesNumber 1) */
#define VGIC_WORDS        (VGIC_NR_IRQS / 32)
#define CONSOLE_BUF       4096      /* per-VM console kept for the end (several VMs, no VMM) */

/* The emulated distributor. A VM has one for its SPIs (IDs 32..) and one per
 * vCPU for that vCPU's banked SGIs and PPIs (IDs 0-31: word 0 of the bitmaps,
 * priority[0..31], sgi_src); vgic.c picks the bank by ID. */
struct vgic_dist {
    uint32_t ctlr;
    uint32_t enabled[VGIC_WORDS];
    uint32_t level[VGIC_WORDS];     /* input line levels (level-sensitive) */
    uint32_t latch[VGIC_WORDS];     /* pending latches: edges, GICD_ISPENDR, SGIs */
    uint32_t active[VGIC_WORDS];
    uint32_t edge[VGIC_WORDS];      /* 1: edge-triggered (from GICD_ICFGR) */
    uint32_t in_lr[VGIC_WORDS];     /* queued in a list register */
    uint8_t priority[VGIC_NR_IRQS];
    uint8_t targets[VGIC_NR_IRQS];
    uint16_t lr_irq[4];             /* the interrupt in each LR (valid when its state is not 0) */
    uint8_t sgi_src[16];            /* per-vCPU bank: SGI n pending from source vCPU bit i */
};

struct kvm_vm;

struct kvm_vcpu {
    struct kvm_vcpu_hyp arch;       /* first: the Hyp side's view */
    struct kvm_vm *vm;
    uint32_t id;
    uint32_t power_off;             /* PSCI CPU_OFF, SYSTEM_OFF */
    uint32_t wfi;                   /* blocked in WFI until an interrupt is pending */
    uint32_t irq_lines;             /* KVM_ARM_IRQ_TYPE_CPU lines: bit 0 IRQ, bit 1 FIQ */
    uint32_t mmio_pending;          /* a load waits for the VMM's data */
    uint32_t mmio_rt, mmio_len, mmio_sign;
    uint32_t actlr;
    uint32_t timer_levels;          /* bit n: the level of PPI n the timers drive (timer.c) */
    uint32_t loaded;                /* 1 + the physical core running it (guest or host side), 0: none */
    uint32_t run[RUN_BYTES / 4];    /* struct hypsim_run (vmm_abi.h) */
};

struct kvm_vm {
    uint32_t in_use;
    uint32_t index;                 /* creation order, from 0 */
    uint32_t vmid, vmid_gen;
    uint64_t *pgd;                  /* stage-2 level-1 table (4 entries of 1 GiB) */
    uint32_t owned_head;            /* the pages it owns (mmu.c), 0: none */
    uint32_t mem_ipa, mem_size;     /* the RAM memslot */
    uint32_t dirty_log;             /* write-protect pages and log the first write */
    uint32_t dirty_pages, mapped_pages;
    uint32_t nr_vcpus;              /* BI_NR_VCPUS: vCPU 0 starts, the others on PSCI CPU_ON */
    struct vgic_dist vgic;          /* SPIs */
    struct vgic_dist vgic_priv[KVM_MAX_VCPUS];   /* each vCPU's banked SGIs and PPIs */
    struct kvm_vcpu vcpus[KVM_MAX_VCPUS];
    uint32_t console_len;
    char *console;                  /* CONSOLE_BUF bytes from the pool (several VMs, no VMM) */
};

/* the run's configuration: the boot-info block or its defaults */
struct boot_config {
    uint32_t flags, nr_vms, guest_mem;
    uint32_t image_pa, image_size, image_ipa, entry_ipa;
    uint32_t dtb_pa, dtb_size, dtb_ipa;
    uint32_t seq_runs, timeslice;
    uint32_t vmid_bits;             /* VMID width in use, 1..VMID_BITS */
    uint32_t nr_vcpus;              /* vCPUs per VM, 1..KVM_MAX_VCPUS */
    uint32_t nr_cpus;               /* physical cores, 1..HYPSIM_HOST_MAX_CPUS */
};
extern struct boot_config boot;

/* A physical core of the host (Linux's per-CPU data). Every field but in_guest
 * is read and written with the host lock held. */
struct host_cpu {
    uint32_t id;                    /* MPIDR.Aff0 */
    uint32_t kick;                  /* an exit made another vCPU runnable (an SGI, CPU_ON): the
                                       scheduler looks again before this vCPU runs on */
    uint32_t idle;                  /* waits in WFI for work; kvm_vcpu_kick wakes it with HOST_KICK_SGI */
    volatile uint32_t in_guest;     /* inside __kvm_vcpu_run (set with the lock, cleared without it) */
    uint32_t ppi_masked;            /* timer PPIs disabled at this core's GIC bank (timer.c) */
};
#define HOST_KICK_SGI 0             /* the physical SGI one core sends another (KVM's IPI_RESCHEDULE) */
extern struct host_cpu host_cpus[HYPSIM_HOST_MAX_CPUS];

/* exit handling results */
#define RESUME_GUEST  1             /* run the same vCPU again */
#define RESUME_HOST   0             /* let the scheduler pick (WFI, WFE, preemption) */

/* main.c: the scheduler of each physical core, the host lock */
void host_fatal(struct kvm_vcpu *v, uint32_t code, const char *what) __attribute__((noreturn));
struct host_cpu *this_cpu(void);
void host_lock(void);
void host_unlock(void);
void kvm_vcpu_kick(struct kvm_vcpu *t);
void kvm_kick_out_of_guests(void);
void host_secondary_main(void) __attribute__((noreturn));
/* cpu_boot.S */
int32_t host_psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);
void host_secondary_entry(void);
/* vm.c */
struct kvm_vm *kvm_create_vm(void);
void kvm_destroy_vm(struct kvm_vm *vm);
void kvm_update_vmid(struct kvm_vm *vm);
void kvm_vcpu_reset(struct kvm_vcpu *v);
extern struct kvm_vm vms[KVM_MAX_VMS];
/* mmu.c */
void pool_init(void);
void *alloc_page(void);
void free_page(void *p);
int stage2_init(struct kvm_vm *vm);
void stage2_free(struct kvm_vm *vm);
int stage2_map(struct kvm_vm *vm, uint32_t ipa, uint32_t pa, uint64_t attrs);
int kvm_handle_guest_abort(struct kvm_vcpu *v);
/* handle_exit.c */
int handle_exit(struct kvm_vcpu *v, uint32_t code);
uint32_t *vcpu_reg(struct kvm_vcpu *v, uint32_t n);
void kvm_skip_instr(struct kvm_vcpu *v);
void kvm_inject_undefined(struct kvm_vcpu *v);
void kvm_inject_abort(struct kvm_vcpu *v, int is_iabt, uint32_t addr);
/* coproc.c */
int kvm_handle_cp15_32(struct kvm_vcpu *v);
int kvm_handle_cp15_64(struct kvm_vcpu *v);
void kvm_reset_coprocs(struct kvm_vcpu *v);
/* mmio.c */
int io_mem_abort(struct kvm_vcpu *v, uint32_t ipa);
void kvm_handle_mmio_return(struct kvm_vcpu *v);
/* psci.c */
int kvm_psci_call(struct kvm_vcpu *v);
int32_t host_cpu_on(uint32_t core, void (*entry)(void), uint32_t context_id);
int kvm_is_psci_call(uint32_t fn);
/* vgic.c */
void vgic_init(struct kvm_vm *vm);
int vgic_dist_mmio(struct kvm_vcpu *v, uint32_t offset, uint32_t len, int write, uint32_t *data);
void vgic_flush(struct kvm_vcpu *v);
void vgic_sync(struct kvm_vcpu *v);
int vgic_pending(struct kvm_vcpu *v);
int kvm_vgic_irq_line(struct kvm_vcpu *v, uint32_t irq, uint32_t level);
int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t encoded, uint32_t level);
/* timer.c */
void kvm_timer_sync(struct kvm_vcpu *v);
int kvm_timer_deadline(struct kvm_vcpu *v, uint64_t *phys_cval);
void host_timer_arm(uint64_t phys_cval);
void host_timer_cancel(void);
void host_gic_init(void);
uint32_t host_irq_poll(void);
void host_send_kick(uint32_t core);
/* vmm.c */
int kvm_vmm_exit(struct kvm_vcpu *v, uint32_t reason);
void vmm_console_flush(void);
void vmm_vm_init(struct kvm_vm *vm);
#endif

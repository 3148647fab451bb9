/*
 * vmm_abi.h - the one source of the interface between the hypervisor
 * firmware (firmware/hyp, firmware/host) and whatever loads and serves it:
 * the Python VMM in the testbench (tb/vmm.py reads this file's #defines, so
 * every constant here exists once) and the QEMU runner.
 *
 * Only `#define NAME <integer>` lines are read by Python; keep every value a
 * plain integer literal (hex or decimal), one per line.
 *
 * Physical memory (16 MiB of RAM at 0x4000_0000, on QEMU -m 16 and the RTL):
 *
 *   0x4000_0000  the hypervisor image (hyp + host), stacks, vCPU/VM objects
 *   0x4010_0000  page pool (11 MiB): stage-2 tables and the pages that back guest RAM
 *   0x40c0_0000  guest image (up to 3 MiB), placed by the loader (QEMU: -device loader;
 *                RTL: the RAM preload), copied into a guest page on the
 *                guest's first touch of it
 *   0x40f0_0000  the guest's flattened device tree, placed the same way
 *   0x40ff_f000  boot-info block (struct hypsim_bootinfo), placed the same way;
 *                all zero (absent) -> defaults below, no VMM
 *
 * Guest (IPA) view: the guest contract of ../shared/ARCHITECTURE.md: RAM at
 * 0x4000_0000 (guest_mem bytes), image at image_ipa (0x4001_0000 for a flat
 * binary), r2 = dtb_ipa (QEMU's own choice for a -kernel boot: RAM base +
 * min(guest_mem / 2, 128 MiB)), PL011 at 0x0900_0000, GICD 0x0800_0000
 * (emulated by the host), GICC 0x0801_0000 (= GICV, mapped by stage 2).
 */
#ifndef HYPSIM_VMM_ABI_H
#define HYPSIM_VMM_ABI_H

/* ---- physical layout ------------------------------------------------- */
#define HYPSIM_RAM_PA           0x40000000
#define HYPSIM_RAM_BYTES        0x01000000
#define HYPSIM_POOL_PA          0x40100000
#define HYPSIM_POOL_END         0x40c00000
#define HYPSIM_IMAGE_PA         0x40c00000
#define HYPSIM_IMAGE_MAX        0x00300000
#define HYPSIM_DTB_PA           0x40f00000
#define HYPSIM_DTB_MAX          0x000ff000
#define HYPSIM_BOOTINFO_PA      0x40fff000

/* ---- the VMM doorbell (RTL only: a hole of QEMU virt's map) ------------ */
/* A 32-bit store of a struct hypsim_run's PA here hands that exit to the
 * VMM; the store completes when the VMM has answered (the core stalls on
 * the bus meanwhile, as a vCPU thread waits in KVM_RUN's return path). */
#define HYPSIM_DOORBELL_PA      0x0b000000

/* ---- guest machine defaults (no boot-info block) ---------------------- */
#define HYPSIM_GUEST_RAM_IPA    0x40000000
#define HYPSIM_GUEST_MEM_DEFAULT 0x01000000
#define HYPSIM_GUEST_ENTRY_IPA  0x40010000
#define HYPSIM_GUEST_UART_IPA   0x09000000
#define HYPSIM_GUEST_GICD_IPA   0x08000000
#define HYPSIM_GUEST_GICC_IPA   0x08010000

/* ---- boot-info block: u32 words at HYPSIM_BOOTINFO_PA ------------------ */
#define HYPSIM_BOOTINFO_MAGIC   0x73707968   /* "hyps" little-endian */
#define HYPSIM_BOOTINFO_VERSION 1
#define BI_MAGIC                0x00
#define BI_VERSION              0x04
#define BI_FLAGS                0x08  /* HYPSIM_BI_F_* */
#define BI_NR_VMS               0x0c  /* VMs run concurrently, each a copy of the image */
#define BI_GUEST_MEM            0x10  /* bytes of guest RAM per VM */
#define BI_IMAGE_PA             0x14
#define BI_IMAGE_SIZE           0x18
#define BI_IMAGE_IPA            0x1c  /* where the image's first byte lives in the guest */
#define BI_ENTRY_IPA            0x20  /* the guest's first instruction */
#define BI_DTB_PA               0x24
#define BI_DTB_SIZE             0x28
#define BI_DTB_IPA              0x2c  /* the guest's r2 */
#define BI_SEQ_RUNS             0x30  /* run VM after VM this many times (0 = once) */
#define BI_TIMESLICE            0x34  /* scheduler time slice in counter ticks (0 = default) */
#define BI_VMID_BITS            0x38  /* VMID width the host uses, 1..8 (0 = 8, the Cortex-A15's): as on
                                         an implementation with fewer VMID bits, a generation ends
                                         after 2^bits - 1 VMs (a test knob) */
#define BI_NR_VCPUS             0x3c  /* vCPUs per VM, 1..KVM_MAX_VCPUS (0 = 1): vCPU 0 starts, the
                                         others wait powered off for PSCI CPU_ON */
#define BI_NR_CPUS              0x40  /* physical cores the host runs vCPUs on, 1..HYPSIM_HOST_MAX_CPUS
                                         (0 = 1): core 0 boots, the others are started through PSCI
                                         CPU_ON over SMC and run the same scheduler */
#define BI_BYTES                0x44
#define HYPSIM_HOST_MAX_CPUS    2     /* physical cores the host can use (run-guest --smp) */
#define HYPSIM_BI_F_VMM         0x1   /* exits go to the doorbell; else in-firmware models */
#define HYPSIM_BI_F_DIRTY_LOG   0x2   /* log dirty pages from the start (KVM_MEM_LOG_DIRTY_PAGES) */

/* ---- struct hypsim_run: one per vCPU, u32 words (kvm_run's role) -------- */
#define RUN_EXIT_REASON         0x00  /* KVM_EXIT_* below */
#define RUN_VM                  0x04  /* VM index, creation order, from 0 */
#define RUN_VCPU                0x08
#define RUN_GUEST_PC            0x0c
#define RUN_MMIO_ADDR           0x10  /* IPA (low 32 bits; QEMU virt's devices are below 4 GiB) */
#define RUN_MMIO_LEN            0x14  /* 1, 2 or 4 */
#define RUN_MMIO_IS_WRITE       0x18
#define RUN_MMIO_DATA           0x1c  /* data[8], little-endian as kvm_run.mmio.data */
#define RUN_HC_NR               0x24  /* hypercall: r0 */
#define RUN_HC_ARG0             0x28  /* r1..r4 */
#define RUN_HC_ARG1             0x2c
#define RUN_HC_ARG2             0x30
#define RUN_HC_ARG3             0x34
#define RUN_HC_RET              0x38  /* VMM -> guest r0 */
#define RUN_SYSTEM_EVENT        0x3c  /* KVM_SYSTEM_EVENT_* */
#define RUN_FAIL_HSR            0x40  /* internal error / NISV: the syndrome */
#define RUN_FAIL_FAR            0x44  /* HDFAR or HIFAR */
#define RUN_FAIL_HPFAR          0x48
#define RUN_FAIL_CODE           0x4c  /* HYPSIM_ERR_* */
#define RUN_IRQ_COUNT           0x50  /* VMM -> host: KVM_IRQ_LINE requests in RUN_IRQ */
#define RUN_IRQ                 0x54  /* up to RUN_IRQ_MAX pairs {irq, level} */
#define RUN_IRQ_MAX             8
#define RUN_MAPPED_PAGES        0x94  /* with KVM_EXIT_SYSTEM_EVENT: guest pages the VM had mapped */
#define RUN_DIRTY_PAGES         0x98  /* ... and of those, written while dirty logging was on */
#define RUN_BYTES               0x9c

/* exit reasons: Linux's include/uapi/linux/kvm.h numbers */
#define KVM_EXIT_UNKNOWN        0
#define KVM_EXIT_HYPERCALL      3
#define KVM_EXIT_MMIO           6
#define KVM_EXIT_INTERNAL_ERROR 17
#define KVM_EXIT_SYSTEM_EVENT   24
#define KVM_EXIT_ARM_NISV       28
#define KVM_SYSTEM_EVENT_SHUTDOWN 1
#define KVM_SYSTEM_EVENT_RESET  2

/* RUN_FAIL_CODE for KVM_EXIT_INTERNAL_ERROR */
#define HYPSIM_ERR_UNKNOWN_EXIT 1     /* an HSR EC the host has no handler for */
#define HYPSIM_ERR_NO_MEMORY    2     /* the page pool is exhausted */
#define HYPSIM_ERR_DEADLOCK     3     /* every vCPU waits for an interrupt that cannot come */
#define HYPSIM_ERR_BAD_BOOTINFO 4     /* the boot-info block is malformed */
#define HYPSIM_ERR_NO_DEVICE    5     /* guest access to an IPA with no memory and no device */

/* vCPUs per VM (the host's KVM_MAX_VCPUS; hypsim run-guest --vcpus 1..this) */
#define KVM_MAX_VCPUS           2

/* KVM_IRQ_LINE encoding (seed 001): irq_type[27:24] | vcpu_index[23:16] | irq_number[15:0] */
#define KVM_ARM_IRQ_TYPE_SHIFT  24
#define KVM_ARM_IRQ_VCPU_SHIFT  16
#define KVM_ARM_IRQ_TYPE_CPU    0
#define KVM_ARM_IRQ_TYPE_SPI    1
#define KVM_ARM_IRQ_TYPE_PPI    2

/* Hypercalls a guest may make to the VMM (SMCCC vendor-specific hypervisor
 * range; KVM_EXIT_HYPERCALL): nr in r0, args r1-r4, result in r0. */
#define HYPSIM_HC_BASE          0x86000000
#define HYPSIM_HC_LAST          0x8600ffff
/* served by the testbench VMM (tb/vmm.py); every other nr in the range
 * returns 0xffffffff (SMCCC NOT_SUPPORTED) */
#define HYPSIM_HC_VM_INDEX      0x86000000    /* -> the calling VM's index */
#define HYPSIM_HC_XOR           0x86000001    /* -> arg0 ^ arg1 (r1 ^ r2) */
/* served only by the system env's sequences (tb/envs/system, tb/sequences/system_*.py);
 * tb/vmm.py and the in-firmware models answer NOT_SUPPORTED, so a guest that
 * gets 0xffffffff from HYPSIM_HC_TBDEV knows there is no testbench device
 * (natively on QEMU too) */
#define HYPSIM_HC_TBDEV         0x86000002    /* -> IPA of the testbench device, or NOT_SUPPORTED */
#define HYPSIM_HC_STEP          0x86000003    /* arg0 = the op just done, arg1 = the value the guest
                                                 saw; -> the next op (firmware/guests/mmiorand.c) */
/* the testbench device (4 KiB, an IPA with no memory: every access is an MMIO exit) */
#define HYPSIM_GUEST_TBDEV_IPA  0x0a000000
#define TBDEV_DATA_END          0xf00         /* 0x000-0xeff: loads return sequence-chosen values */
#define TBDEV_ACK               0xf00         /* write: the guest took interrupt INTID (0x10000|n: CPU line n) */
#define TBDEV_CPU_LINES         0xf04         /* read: bit n = KVM_ARM_IRQ_TYPE_CPU line n is high */
#define TBDEV_MODE              0xf08         /* read/write from the mode-tour op */

/* With several VMs and no VMM (QEMU), each VM's console is kept in host
 * memory and written to the UART at the end, after a line
 * "\n--- hypsim vm N console ---\n"; with one VM it is written through. */

#endif

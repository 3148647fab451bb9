/*
 * stage2_mmio.c - a KVM/ARM-style hypervisor and its guest in one program:
 * stage-2 translation, MMIO emulation from the data-abort syndrome, demand
 * paging and dirty-page logging.
 *
 * hyp_main() (Hyp mode, before main) builds the stage-2 tables and turns on
 * HCR.VM; main() then runs as the guest kernel in SVC mode with its own
 * stage 1 off (SCTLR.M = 0, VA == IPA).  Every stage-2 abort and every HVC
 * arrives at hyp_exc_hook (HVBAR + 0x14), split the way KVM/ARM splits it:
 *
 *   hyp side   hyp_exc_hook, hyp_populate_fault_info and the register, TLB
 *              and descriptor helpers: read HSR/HDFAR/HPFAR (or PAR), hand
 *              them on and dispatch on HSR.EC.  No policy.
 *              (KVM: arch/arm/kvm/hyp/switch.c __populate_fault_info)
 *   host side  host_*: what the exit means: memslot or device
 *              (kvm_handle_guest_abort), demand paging and dirty logging
 *              (user_mem_abort), MMIO emulation from the syndrome
 *              (io_mem_abort, decode_hsr, kvm_handle_mmio_return), the
 *              device model (vmbox_*) and the hypercalls.
 *   guest      main() and test_*: uses the device through inline-asm
 *              accessors and checks what it got back.
 *
 * Guest IPA map (stage 2, VMID 1, VTCR.T0SZ = 0, SL0 = 0b01: a 4-entry
 * level-1 table, 1 GB each):
 *   0x09000000  2 MB block, identity, Device, XN: the PL011 UART (the rest of
 *               that 2 MB, QEMU virt's RTC/fw_cfg/GPIO, is never touched)
 *   0x0a000000  unmapped at level 2: "vmbox", a toy counter/mailbox device
 *               emulated by the hypervisor (QEMU virt has virtio-mmio here;
 *               the guest never reaches it)
 *   0x40000000  2 MB block, identity, Normal, RW: the program (code, data,
 *               stacks, page tables) - so the guest also sees the
 *               hypervisor's state and backing pages (the test uses that)
 *   0x40200000  "heap" memslot, a level-3 table, 3 pages backed by pages of
 *               .data in the first MiB of RAM:
 *                 page 0, 1  unmapped: demand paging on first touch
 *                 page 2     mapped read-only (dirty logging): the first
 *                            write is a permission fault, then read-write
 *
 * ARM ARM (DDI 0406C) references: B3.6 long-descriptor tables (stage-2
 * descriptors: MemAttr[5:2], HAP[7:6], SH[9:8], AF[10], XN[54]); B4.1.159
 * VTCR, B4.1.160 VTTBR (VMID in [55:48]), B4.1.65 HCR.VM; B3.13.6 HSR (EC
 * 0x24: data abort from a lower mode; ISS: ISV[24] SAS[23:22] SSE[21]
 * SRT[19:16] S1PTW[7] WnR[6] DFSC[5:0]; EC 0x12: HVC, ISS = imm16);
 * B4.1.69 HDFAR (the VA), B4.1.70 HPFAR (FIPA = IPA[39:12] in [31:4];
 * UNKNOWN for a stage-2 permission fault that is not on a stage-1 walk,
 * so the IPA then comes from ATS1CPR, which from Hyp mode is stage 1 of
 * the PL1&0 regime only, B4.2.6).
 */
#include <stdint.h>
#include "cp15.h"
#include "exc.h"
#include "kvm_arm.h"
#include "test.h"

/* ---- machine and guest layout ------------------------------------------ */
#define RAM_IPA        0x40000000u      /* program RAM: 2 MB identity block */
#define UART_IPA       0x09000000u
#define VMBOX_IPA      0x0a000000u
#define VMBOX_SIZE     0x1000u
#define HEAP_IPA       0x40200000u
#define HEAP_PAGES     3u
#define HEAP_PAGE(n)   (HEAP_IPA + (uint32_t)(n) * 0x1000u)
#define DIRTY_LOG_PAGE 2u               /* heap page mapped read-only at start */
#define GUEST_VMID     1u

#define MODE_MASK 0x1fu
#define MODE_USR  0x10u
#define MODE_FIQ  0x11u
#define MODE_SVC  0x13u
#define MODE_SYS  0x1fu

/* vmbox registers (32-bit, any naturally aligned 8/16/32-bit access) */
#define VMBOX_ID       0x00u            /* RO: VMBOX_ID_VALUE */
#define VMBOX_COUNTER  0x04u            /* RW: a read returns it, then it increments */
#define VMBOX_DATA     0x08u            /* RW mailbox, byte lanes */
#define VMBOX_DOORBELL 0x0cu            /* W: SUM += data, rings++; R: rings */
#define VMBOX_SUM      0x10u            /* RO: sum of the doorbell data */
/* bytes e5 f0 42 4d: byte 0, byte 1 and halfword 0 are negative when signed,
 * byte 2 and halfword 1 positive */
#define VMBOX_ID_VALUE 0x4d42f0e5u

/* guest MMIO accesses the hypervisor must see (test_* below): 24 */
#define GUEST_MMIO_READS   16u
#define GUEST_MMIO_WRITES  8u
#define GUEST_MMIO_EXITS   (GUEST_MMIO_READS + GUEST_MMIO_WRITES)
#define GUEST_DEMAND_FAULTS 2u
#define GUEST_PERM_FAULTS  1u

/* ---- HSR (B3.13.6): the field bits and EC values are kvm_arm.h's --------- */
#define HSR_SAS(h)     (((h) >> HSR_SAS_SHIFT) & 3u)   /* 0 byte, 1 halfword, 2 word */
#define HSR_SRT(h)     (((h) >> HSR_SRT_SHIFT) & 15u)
#define HSR_DFSC(h)    ((h) & HSR_FSC_MASK)
#define FSC_TYPE(fsc)  ((fsc) & HSR_FSC_TYPE)         /* level in [1:0] */

/* an expected data-abort syndrome with a valid ISS: EC 0x24, IL = 1 (IL is
 * valid when ISV = 1: a 32-bit instruction), ISV = 1 */
#define DABT_HSR(sas, sse, srt, wnr, dfsc) \
    ((EC_DABT << HSR_EC_SHIFT) | HSR_IL | HSR_ISV | ((uint32_t)(sas) << 22) | \
     ((uint32_t)(sse) << 21) | ((uint32_t)(srt) << 16) | ((uint32_t)(wnr) << 6) | (dfsc))
#define SAS_BYTE 0u
#define SAS_HALF 1u
#define SAS_WORD 2u
/* HVC #0 from the guest: EC 0x12, IL = 1, ISS = imm16 = 0 -> 0x4a000000 */
#define HVC0_HSR ((EC_HVC << HSR_EC_SHIFT) | HSR_IL)

/* ---- stage-2 descriptors (B3.6) ------------------------------------------ */
/* S2_VALID/S2_TABLE/S2_PAGE (bits), S2_AF, S2_XN, S2_ADDR_MASK are kvm_arm.h's */
#define S2_TYPE_TABLE  (S2_VALID | S2_TABLE) /* descriptor type, levels 1-2 */
#define S2_BLOCK       S2_VALID              /* levels 1-2 */
#define S2_TYPE_PAGE   (S2_VALID | S2_PAGE)  /* level 3 */
#define S2_DEVICE      (0x1ull << 2)        /* MemAttr 0b0001: Device */
#define S2_NORMAL      ((0xfull << 2) | (3ull << 8)) /* MemAttr 0b1111 (WB), inner shareable */
#define S2_HAP_RO      (1ull << 6)          /* HAP 0b01: read-only */
#define S2_HAP_RW      (3ull << 6)          /* HAP 0b11: read/write */
#define S2_HAP_MASK    (3ull << 6)

#define L1_INDEX(ipa)  ((ipa) >> 30)
#define L2_INDEX(ipa)  (((ipa) >> 21) & 511u)
#define L3_INDEX(ipa)  (((ipa) >> 12) & 511u)

/* VTCR (B4.1.159): bit 31 RES1, SL0[7:6] = 0b01 (start at level 1),
 * T0SZ[3:0] = 0 (32-bit IPA), S[4] = T0SZ[3] = 0; cacheability and
 * shareability of the walks 0 (no caches here) */
#define VTCR_VALUE     ((1u << 31) | (1u << 6))
#define HCR_VM         (1u << 0)

/* KVM-style hypercalls: HVC #0, function ID in r0 (SMCCC layout: fast call,
 * SMC32, owner 6 = vendor hypervisor service), results in r0-r3 */
#define HVC_VM_CHECK   0x86000001u  /* r0 := failed-check mask, r1-r3 := counters */
#define HVC_UNKNOWN    0x86000042u
#define SMCCC_NOT_SUPPORTED 0xffffffffu

/* ======================================================================== */
/* State.  The guest's backing pages are in .data (loaded, not zeroed);     */
/* everything of the hypervisor's is one .bss object (KVM: struct kvm), the  */
/* stage-2 tables first, so that there is no alignment padding and crt0     */
/* zeroes three table pages and a few words.                                */

#define HEAP0_WORD0 0x600df00du
#define HEAP2_WORD1 0xc0ffee01u
static uint32_t heap_backing0[1024] __attribute__((aligned(4096))) = { HEAP0_WORD0 };
static uint32_t heap_backing1[1024] __attribute__((aligned(4096))) = { 0xffffffffu };
static uint32_t heap_backing2[1024] __attribute__((aligned(4096))) = { 0, HEAP2_WORD1 };

/* hyp side: the vCPU's trap context and fault information (KVM:
 * vcpu->arch.ctxt and vcpu->arch.fault) */
struct vcpu {
    struct exc_frame *ctxt;     /* r0-r12, R14_usr, PC = ELR_hyp, CPSR = SPSR_hyp */
    uint32_t hsr, hxfar, hpfar; /* hpfar: HPFAR, or built from PAR for a permission fault */
};

/* host side */
struct vm_stats {
    uint32_t aborts, hvc_calls, mmio_exits, mmio_reads, mmio_writes;
    uint32_t demand_faults, perm_faults;
};
struct memslot {
    uint32_t base_ipa, npages;
    uint32_t backing[HEAP_PAGES];   /* host PA of each guest page */
    uint32_t dirty_log;             /* pages write-protected for dirty logging */
    uint32_t dirty;                 /* dirty bitmap */
};
struct vmbox {
    uint32_t counter, data, rings, sum, errors;
};
/* the last exit, for the guest's checks (test instrumentation: the guest can
 * read it because the hypervisor's RAM is inside the guest's identity map) */
struct exit_record {
    uint32_t hsr, hdfar, ipa;   /* stage-2 aborts */
    uint32_t elr;               /* HVC */
};

static struct kvm {
    uint64_t s2_l2_io[512];     /* IPA 0-1 GB (4 KB aligned: the struct is) */
    uint64_t s2_l2_ram[512];    /* IPA 1-2 GB */
    uint64_t s2_l3_heap[512];   /* IPA 0x40200000-0x403fffff */
    uint64_t s2_l1[4];          /* VTTBR.BADDR: 32-byte aligned (x = 5) */
    volatile struct memslot heap_slot;
    struct vmbox vmbox;
    volatile struct vm_stats stat;
    volatile struct exit_record last_exit;
    struct vcpu vcpu0;
} vm __attribute__((aligned(4096)));

_Static_assert(__builtin_offsetof(struct kvm, s2_l1) == 3 * 4096, "table layout");

/* ======================================================================== */
/* Hyp side: system registers, TLB, descriptors, guest registers.          */

/* inlined at -O0 too: keeps the -O0 build's instruction count down */
#define INLINE static inline __attribute__((always_inline))

/* TLBIALLNSNH: all Non-secure non-Hyp entries, every VMID (value ignored) */
INLINE void hyp_tlb_flush_guests(void)
{
    dsb();
    tlbiallnsnh();
    dsb();
    isb();
}

/* one 64-bit descriptor store (STRD: single-copy atomic for LPAE tables) */
INLINE void hyp_set_s2pte(uint64_t *pte, uint64_t val)
{
    __asm__ volatile("strd %1, %H1, [%0]" :: "r"(pte), "r"(val) : "memory");
}

static void hyp_panic(struct vcpu *v, const char *why) __attribute__((noreturn));
static void hyp_panic(struct vcpu *v, const char *why)
{
    printf("hyp: %s (HSR %08x HDFAR %08x ELR %08x)\n", why, (unsigned)v->hsr,
           (unsigned)v->hxfar, (unsigned)v->ctxt->pc);
    exc_unexpected(v->ctxt, EXC_HYPTRAP, 1);
}

/* Guest register n as the guest's mode sees it (KVM: vcpu_reg).  R0-R12 are
 * in the frame (not banked outside FIQ mode), R14_usr too; SP and LR of the
 * guest's privileged mode are still in the banked registers. */
static uint32_t vcpu_get_reg(struct vcpu *v, uint32_t n)
{
    uint32_t mode = v->ctxt->cpsr & MODE_MASK, val;
    if (mode == MODE_FIQ && n >= 8)
        hyp_panic(v, "FIQ-mode banked register");
    if (n <= 12)
        return v->ctxt->r[n];
    if (mode == MODE_USR || mode == MODE_SYS) {
        if (n == 14)
            return v->ctxt->lr;
        __asm__ volatile("mrs %0, SP_usr" : "=r"(val));
    } else if (mode == MODE_SVC) {
        if (n == 14)
            __asm__ volatile("mrs %0, LR_svc" : "=r"(val));
        else
            __asm__ volatile("mrs %0, SP_svc" : "=r"(val));
    } else {
        hyp_panic(v, "guest mode not supported");
    }
    return val;
}

static void vcpu_set_reg(struct vcpu *v, uint32_t n, uint32_t val)
{
    uint32_t mode = v->ctxt->cpsr & MODE_MASK;
    if (mode == MODE_FIQ && n >= 8)
        hyp_panic(v, "FIQ-mode banked register");
    if (n <= 12) {
        v->ctxt->r[n] = val;
    } else if (mode == MODE_USR || mode == MODE_SYS) {
        if (n == 14)
            v->ctxt->lr = val;
        else
            __asm__ volatile("msr SP_usr, %0" :: "r"(val));
    } else if (mode == MODE_SVC) {
        if (n == 14)
            __asm__ volatile("msr LR_svc, %0" :: "r"(val));
        else
            __asm__ volatile("msr SP_svc, %0" :: "r"(val));
    } else {
        hyp_panic(v, "guest mode not supported");
    }
}

/* KVM's __populate_fault_info: HDFAR, and the faulting IPA page in HPFAR
 * format.  HPFAR is UNKNOWN for a permission fault that is not on a stage-1
 * walk (B4.1.70): translate HDFAR with ATS1CPR instead (stage 1 only from
 * Hyp mode, B4.2.6) and take PA[39:12] of the 64-bit PAR (the format with
 * HCR.VM = 1), saving and restoring the guest's PAR around it. */
static void hyp_populate_fault_info(struct vcpu *v)
{
    v->hxfar = read_hdfar();
    if (!(v->hsr & HSR_S1PTW) && FSC_TYPE(HSR_DFSC(v->hsr)) == FSC_PERM) {
        uint64_t guest_par = read_par(), par;
        ats1cpr(v->hxfar);
        isb();
        par = read_par();
        write_par(guest_par);
        if (par & 1)                    /* PAR.F: the guest's stage 1 changed */
            hyp_panic(v, "ATS1CPR of HDFAR failed");
        v->hpfar = (uint32_t)((par >> 12) & 0x0fffffffu) << 4;
    } else {
        v->hpfar = read_hpfar();
    }
}

/* load the VM's stage-2 context (KVM: __activate_vm) */
static void hyp_enable_stage2(void)
{
    write_vtcr(VTCR_VALUE);
    write_vttbr((uint64_t)GUEST_VMID << 48 | (uint32_t)vm.s2_l1);
    isb();
    hyp_tlb_flush_guests();
    write_hcr(HCR_VM);
    isb();
}

static void host_handle_hvc(struct vcpu *v);
static void host_handle_guest_abort(struct vcpu *v);

/* Every trap from the guest: HVBAR + 0x14 (EXC_HYPTRAP).  Read the syndrome,
 * dispatch on the exception class; the host side decides what it means. */
void hyp_exc_hook(struct exc_frame *f, int type)
{
    struct vcpu *v = &vm.vcpu0;
    if (type != EXC_HYPTRAP)
        exc_unexpected(f, type, 1);
    v->ctxt = f;
    v->hsr = read_hsr();
    switch (HSR_EC(v->hsr)) {
    case EC_HVC:
        host_handle_hvc(v);
        break;
    case EC_DABT:
        hyp_populate_fault_info(v);
        host_handle_guest_abort(v);
        break;
    default:
        hyp_panic(v, "unexpected exception class");
    }
}

/* ======================================================================== */
/* Host side: stage-2 tables, memslots, MMIO emulation, hypercalls.         */

INLINE uint64_t s2_table(const uint64_t *next) { return (uint32_t)next | S2_TYPE_TABLE; }

/* the VM's initial stage 2: only the descriptors that are needed */
static void host_stage2_init(void)
{
    vm.s2_l1[L1_INDEX(UART_IPA)] = s2_table(vm.s2_l2_io);
    vm.s2_l1[L1_INDEX(RAM_IPA)] = s2_table(vm.s2_l2_ram);
    /* the UART: 2 MB identity block, Device, execute-never */
    vm.s2_l2_io[L2_INDEX(UART_IPA)] = UART_IPA | S2_BLOCK | S2_DEVICE | S2_HAP_RW | S2_AF | S2_XN;
    /* vm.s2_l2_io[L2_INDEX(VMBOX_IPA)] stays invalid: emulated device */
    vm.s2_l2_ram[L2_INDEX(RAM_IPA)] = RAM_IPA | S2_BLOCK | S2_NORMAL | S2_HAP_RW | S2_AF;
    vm.s2_l2_ram[L2_INDEX(HEAP_IPA)] = s2_table(vm.s2_l3_heap);

    vm.heap_slot.base_ipa = HEAP_IPA;
    vm.heap_slot.npages = HEAP_PAGES;
    vm.heap_slot.backing[0] = (uint32_t)heap_backing0;
    vm.heap_slot.backing[1] = (uint32_t)heap_backing1;
    vm.heap_slot.backing[2] = (uint32_t)heap_backing2;
    /* dirty logging on an already populated page: mapped read-only */
    vm.heap_slot.dirty_log = 1u << DIRTY_LOG_PAGE;
    vm.s2_l3_heap[L3_INDEX(HEAP_PAGE(DIRTY_LOG_PAGE))] =
        vm.heap_slot.backing[DIRTY_LOG_PAGE] | S2_TYPE_PAGE | S2_NORMAL | S2_HAP_RO | S2_AF;
    dsb();                              /* tables written before the first walk */
}

/* Demand paging and dirty logging (KVM: user_mem_abort).  Returns to the
 * guest without moving its PC: the access is retried. */
static void host_user_mem_abort(struct vcpu *v, uint32_t ipa)
{
    uint32_t page = (ipa - vm.heap_slot.base_ipa) >> 12;
    uint32_t fsc_type = FSC_TYPE(HSR_DFSC(v->hsr));
    uint64_t *pte = &vm.s2_l3_heap[L3_INDEX(ipa)];
    uint64_t mapping = vm.heap_slot.backing[page] | S2_TYPE_PAGE | S2_NORMAL | S2_HAP_RW | S2_AF;

    if (fsc_type == FSC_TRANS) {
        /* invalid -> valid: no TLB maintenance, a TLB never holds an entry
         * that gives a translation fault; the DSB makes the store visible
         * to the retried walk (ERET is the context synchronization).  A
         * second fault on a mapped page would mean a stale entry. */
        if (*pte & S2_VALID)
            hyp_panic(v, "translation fault on a mapped page");
        hyp_set_s2pte(pte, mapping);
        dsb();
        vm.stat.demand_faults++;
    } else if (fsc_type == FSC_PERM && (v->hsr & HSR_WNR) &&
               (vm.heap_slot.dirty_log & (1u << page))) {
        /* first write to a write-protected page: log it dirty, make it
         * writable; break-before-make with TLB maintenance, since the
         * read-only entry may be in a TLB */
        vm.heap_slot.dirty |= 1u << page;
        vm.heap_slot.dirty_log &= ~(1u << page);
        hyp_set_s2pte(pte, 0);
        hyp_tlb_flush_guests();         /* DSB, TLBIALLNSNH, DSB, ISB */
        hyp_set_s2pte(pte, mapping);
        dsb();
        vm.stat.perm_faults++;
    } else {
        hyp_panic(v, "unexpected fault in a memslot");
    }
}

/* ---- the emulated device ---- */
INLINE uint32_t size_mask(uint32_t len) { return len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1; }

static uint32_t vmbox_mmio_read(uint32_t off, uint32_t len)
{
    uint32_t val;
    switch (off & ~3u) {
    case VMBOX_ID:       val = VMBOX_ID_VALUE; break;
    case VMBOX_COUNTER:  val = vm.vmbox.counter++; break;
    case VMBOX_DATA:     val = vm.vmbox.data; break;
    case VMBOX_DOORBELL: val = vm.vmbox.rings; break;
    case VMBOX_SUM:      val = vm.vmbox.sum; break;
    default:             val = 0; vm.vmbox.errors++; break;
    }
    return (val >> (8 * (off & 3u))) & size_mask(len);
}

static void vmbox_mmio_write(uint32_t off, uint32_t len, uint32_t data)
{
    uint32_t shift = 8 * (off & 3u), mask = size_mask(len) << shift;
    switch (off & ~3u) {
    case VMBOX_COUNTER:  vm.vmbox.counter = (vm.vmbox.counter & ~mask) | (data << shift); break;
    case VMBOX_DATA:     vm.vmbox.data = (vm.vmbox.data & ~mask) | (data << shift); break;
    case VMBOX_DOORBELL: vm.vmbox.sum += data; vm.vmbox.rings++; break;
    default:             vm.vmbox.errors++; break;     /* ID, SUM: read-only */
    }
}

/* MMIO emulation from the syndrome (KVM: io_mem_abort, decode_hsr,
 * kvm_handle_mmio_return, kvm_skip_instr) */
static void host_io_mem_abort(struct vcpu *v, uint32_t ipa)
{
    uint32_t hsr = v->hsr, srt = HSR_SRT(hsr), len = 1u << HSR_SAS(hsr);
    uint32_t off = ipa - VMBOX_IPA, data;

    if (!(hsr & HSR_ISV))
        hyp_panic(v, "MMIO access without a valid syndrome (ISV = 0)");
    if (srt == 15)
        hyp_panic(v, "MMIO access with the PC as transfer register");
    if (!(hsr & HSR_IL) || FSC_TYPE(HSR_DFSC(hsr)) != FSC_TRANS || HSR_SAS(hsr) == 3)
        hyp_panic(v, "bad MMIO syndrome");
    if (off & (len - 1))
        hyp_panic(v, "unaligned MMIO access");

    if (hsr & HSR_WNR) {
        data = vcpu_get_reg(v, srt) & size_mask(len);
        vmbox_mmio_write(off, len, data);
        vm.stat.mmio_writes++;
    } else {
        data = vmbox_mmio_read(off, len);
        if ((hsr & HSR_SSE) && len < 4) {
            uint32_t sign = 1u << (8 * len - 1);
            data = (data ^ sign) - sign;
        }
        vcpu_set_reg(v, srt, data);
        vm.stat.mmio_reads++;
    }
    vm.stat.mmio_exits++;
    v->ctxt->pc += 4;                   /* IL = 1: skip the 32-bit instruction */
}

/* KVM: kvm_handle_guest_abort - memslot (RAM) or MMIO */
static void host_handle_guest_abort(struct vcpu *v)
{
    uint32_t ipa;
    if (v->hpfar >> 24)
        hyp_panic(v, "IPA above 4 GB");
    ipa = (v->hpfar << 8) | (v->hxfar & 0xfffu);    /* FIPA[31:12] | page offset */
    vm.stat.aborts++;
    vm.last_exit.hsr = v->hsr;
    vm.last_exit.hdfar = v->hxfar;
    vm.last_exit.ipa = ipa;
    if (v->hsr & HSR_S1PTW)
        hyp_panic(v, "stage-2 fault on a stage-1 walk");
    if (ipa - vm.heap_slot.base_ipa < vm.heap_slot.npages * 0x1000u)
        host_user_mem_abort(v, ipa);
    else if (ipa - VMBOX_IPA < VMBOX_SIZE)
        host_io_mem_abort(v, ipa);
    else
        hyp_panic(v, "abort outside the memslots and devices");
}

/* the hypervisor's own end-of-run checks: a mask of what failed */
static uint32_t host_check_vm(void)
{
    uint32_t bad = 0, i;
    if (vm.stat.mmio_exits != GUEST_MMIO_EXITS || vm.stat.mmio_reads != GUEST_MMIO_READS ||
        vm.stat.mmio_writes != GUEST_MMIO_WRITES)
        bad |= 1u << 0;
    if (vm.stat.demand_faults != GUEST_DEMAND_FAULTS)
        bad |= 1u << 1;
    if (vm.stat.perm_faults != GUEST_PERM_FAULTS)
        bad |= 1u << 2;
    if (vm.stat.aborts != GUEST_MMIO_EXITS + GUEST_DEMAND_FAULTS + GUEST_PERM_FAULTS)
        bad |= 1u << 3;
    if (vm.heap_slot.dirty != 1u << DIRTY_LOG_PAGE || vm.heap_slot.dirty_log != 0)
        bad |= 1u << 4;
    for (i = 0; i < HEAP_PAGES; i++) {  /* every heap page now mapped read-write */
        uint64_t pte = vm.s2_l3_heap[L3_INDEX(HEAP_PAGE(i))];
        if ((pte & 3) != S2_TYPE_PAGE || (pte & S2_HAP_MASK) != S2_HAP_RW ||
            (pte & S2_ADDR_MASK) != vm.heap_slot.backing[i])
            bad |= 1u << 5;
    }
    if (vm.vmbox.errors != 0)
        bad |= 1u << 6;
    return bad;
}

static void host_handle_hvc(struct vcpu *v)
{
    struct exc_frame *f = v->ctxt;
    vm.stat.hvc_calls++;
    vm.last_exit.hsr = v->hsr;
    vm.last_exit.elr = f->pc;              /* preferred return: after the HVC */
    if ((v->hsr & 0xffffu) != 0)
        hyp_panic(v, "HVC immediate not 0");
    switch (f->r[0]) {
    case HVC_VM_CHECK:
        f->r[0] = host_check_vm();
        f->r[1] = vm.stat.mmio_exits;
        f->r[2] = vm.stat.demand_faults;
        f->r[3] = vm.stat.perm_faults;
        break;
    default:
        f->r[0] = SMCCC_NOT_SUPPORTED;
        break;
    }
}

int hyp_main(void)
{
    host_stage2_init();
    hyp_enable_stage2();
    return 0;                           /* crt0 enters main() in SVC mode */
}

/* ======================================================================== */
/* Guest.  Device accessors in inline asm, like Linux's __raw_readl: one     */
/* LDR/STR{,B,H,SB,SH} [Rn] without writeback, so the abort has ISV = 1,     */
/* and with the transfer register fixed so SRT is known.  Reads return the   */
/* whole register, so the hypervisor's zero/sign extension is what is seen.  */

#define MMIO_READ(name, insn, reg)                                              \
    INLINE uint32_t name(uint32_t addr)                                         \
    {                                                                           \
        register uint32_t v_ __asm__(reg);                                      \
        __asm__ volatile(insn " %0, [%1]" : "=r"(v_) : "r"(addr) : "memory");   \
        return v_;                                                              \
    }
#define MMIO_WRITE(name, insn, reg)                                             \
    INLINE void name(uint32_t val, uint32_t addr)                               \
    {                                                                           \
        register uint32_t v_ __asm__(reg) = val;                                \
        __asm__ volatile(insn " %0, [%1]" :: "r"(v_), "r"(addr) : "memory");    \
    }

#ifdef __thumb__
/* The Thumb build (firmware/Makefile `thumb`): the 32-bit T32 encodings (.w),
 * so the syndrome's IL is 1 and the hypervisor skips 4 bytes as for A32; r7
 * is the Thumb frame pointer at -O0, so SRT 7 is saved around the access. */
#define MMIO_READ_R7(name, insn)                                                \
    INLINE uint32_t name(uint32_t addr)                                         \
    {                                                                           \
        uint32_t v_;                                                            \
        __asm__ volatile("push {r7}\n\t" insn " r7, [%1]\n\tmov %0, r7\n\tpop {r7}" \
                         : "=r"(v_) : "r"(addr) : "memory");                    \
        return v_;                                                              \
    }
MMIO_READ(mmio_read32, "ldr.w", "r5")       /* SRT 5 */
MMIO_READ(mmio_read16, "ldrh.w", "r6")      /* SRT 6 */
MMIO_READ_R7(mmio_read16s, "ldrsh.w")       /* SRT 7 */
MMIO_READ(mmio_read8, "ldrb.w", "r8")       /* SRT 8 */
MMIO_READ(mmio_read8s, "ldrsb.w", "r9")     /* SRT 9 */
MMIO_WRITE(mmio_write32, "str.w", "r0")     /* SRT 0 */
MMIO_WRITE(mmio_write16, "strh.w", "r10")   /* SRT 10 */
MMIO_WRITE(mmio_write8, "strb.w", "r12")    /* SRT 12 */
#else
MMIO_READ(mmio_read32, "ldr", "r5")         /* SRT 5 */
MMIO_READ(mmio_read16, "ldrh", "r6")        /* SRT 6 */
MMIO_READ(mmio_read16s, "ldrsh", "r7")      /* SRT 7 */
MMIO_READ(mmio_read8, "ldrb", "r8")         /* SRT 8 */
MMIO_READ(mmio_read8s, "ldrsb", "r9")       /* SRT 9 */
MMIO_WRITE(mmio_write32, "str", "r0")       /* SRT 0 */
MMIO_WRITE(mmio_write16, "strh", "r10")     /* SRT 10 */
MMIO_WRITE(mmio_write8, "strb", "r12")      /* SRT 12 */
#endif

/* LR and SP as transfer registers: banked SVC registers for the hypervisor */
INLINE uint32_t mmio_read32_lr(uint32_t addr)
{
    uint32_t v;
    __asm__ volatile("ldr lr, [%1]\n\tmov %0, lr" : "=r"(v) : "r"(addr) : "lr", "memory");
    return v;
}

INLINE uint32_t mmio_write32_sp(uint32_t addr)
{
    uint32_t sp;
    __asm__ volatile("mov %0, sp\n\tstr sp, [%1]" : "=&r"(sp) : "r"(addr) : "memory");
    return sp;
}

struct hvc_result { uint32_t r0, r1, r2, r3, ret_pc; };

static struct hvc_result hvc_call(uint32_t fn)
{
    register uint32_t r0 __asm__("r0") = fn;
    register uint32_t r1 __asm__("r1");
    register uint32_t r2 __asm__("r2");
    register uint32_t r3 __asm__("r3");
    uint32_t ret_pc;
    __asm__ volatile("adr %4, 1f\n\thvc #0\n1:"
                     : "+r"(r0), "=r"(r1), "=r"(r2), "=r"(r3), "=&r"(ret_pc) :: "memory");
    return (struct hvc_result){ r0, r1, r2, r3, ret_pc };
}

/* exactly one exit counted in vm.stat.<counter> since n0, with this syndrome,
 * HDFAR = the address and IPA = the address (guest stage 1 off) */
#define EXPECT_EXIT(counter, n0, hsr_, addr_)                           \
    do {                                                                \
        CHECK_EQ(vm.stat.counter - (n0), 1);                            \
        CHECK_EQ(vm.last_exit.hsr, (hsr_));                             \
        CHECK_EQ(vm.last_exit.hdfar, (addr_));                          \
        CHECK_EQ(vm.last_exit.ipa, (addr_));                            \
    } while (0)

/* one emulated load: value (whole register) and syndrome */
#define EXPECT_MMIO_READ(fn, off, value, hsr_)                          \
    do {                                                                \
        uint32_t n0_ = vm.stat.mmio_exits;                              \
        uint32_t v_ = fn(VMBOX_IPA + (off));                            \
        CHECK_EQ(v_, (value));                                          \
        EXPECT_EXIT(mmio_exits, n0_, (hsr_), VMBOX_IPA + (off));        \
    } while (0)

#define EXPECT_MMIO_WRITE(fn, val, off, hsr_)                           \
    do {                                                                \
        uint32_t n0_ = vm.stat.mmio_exits;                              \
        fn((val), VMBOX_IPA + (off));                                   \
        EXPECT_EXIT(mmio_exits, n0_, (hsr_), VMBOX_IPA + (off));        \
    } while (0)

/* vmbox is unmapped at level 2: DFSC = translation fault, level 2 (0x06) */
#define DFSC_L2_TRANS (FSC_TRANS | 2u)
#define DFSC_L3_TRANS (FSC_TRANS | 3u)
#define DFSC_L3_PERM  (FSC_PERM | 3u)

/* 7 reads: sizes, zero vs sign extension, sub-word offsets */
static void test_mmio_loads(void)
{
    /* LDR r5: SAS 2, SRT 5 -> 0x93850006 */
    EXPECT_MMIO_READ(mmio_read32, VMBOX_ID, VMBOX_ID_VALUE, DABT_HSR(SAS_WORD, 0, 5, 0, DFSC_L2_TRANS));
    /* LDRH r6 of 0xf0e5: zero-extended; SAS 1 -> 0x93460006 */
    EXPECT_MMIO_READ(mmio_read16, VMBOX_ID, 0x0000f0e5u, DABT_HSR(SAS_HALF, 0, 6, 0, DFSC_L2_TRANS));
    /* LDRSH r7 of 0xf0e5: sign-extended; SSE -> 0x93670006 */
    EXPECT_MMIO_READ(mmio_read16s, VMBOX_ID, 0xfffff0e5u, DABT_HSR(SAS_HALF, 1, 7, 0, DFSC_L2_TRANS));
    /* LDRSH of the upper halfword 0x4d42: positive, stays 0x00004d42 */
    EXPECT_MMIO_READ(mmio_read16s, VMBOX_ID + 2, 0x00004d42u, DABT_HSR(SAS_HALF, 1, 7, 0, DFSC_L2_TRANS));
    /* LDRB r8 of byte 3 (0x4d); SAS 0 -> 0x93080006 */
    EXPECT_MMIO_READ(mmio_read8, VMBOX_ID + 3, 0x4du, DABT_HSR(SAS_BYTE, 0, 8, 0, DFSC_L2_TRANS));
    /* LDRSB r9 of byte 1 (0xf0) -> 0xfffffff0; 0x93290006 */
    EXPECT_MMIO_READ(mmio_read8s, VMBOX_ID + 1, 0xfffffff0u, DABT_HSR(SAS_BYTE, 1, 9, 0, DFSC_L2_TRANS));
    /* LDRSB of byte 2 (0x42): positive */
    EXPECT_MMIO_READ(mmio_read8s, VMBOX_ID + 2, 0x42u, DABT_HSR(SAS_BYTE, 1, 9, 0, DFSC_L2_TRANS));
}

/* 3 writes of each size into DATA's byte lanes, 1 read back */
static void test_mmio_stores(void)
{
    /* STR r0: WnR -> 0x93800046 */
    EXPECT_MMIO_WRITE(mmio_write32, 0x12345678u, VMBOX_DATA, DABT_HSR(SAS_WORD, 0, 0, 1, DFSC_L2_TRANS));
    /* STRH r10 of 0xcafebeef writes 0xbeef to bytes 2-3 -> 0x934a0046 */
    EXPECT_MMIO_WRITE(mmio_write16, 0xcafebeefu, VMBOX_DATA + 2, DABT_HSR(SAS_HALF, 0, 10, 1, DFSC_L2_TRANS));
    /* STRB r12 of 0x11223399 writes 0x99 to byte 0 -> 0x930c0046 */
    EXPECT_MMIO_WRITE(mmio_write8, 0x11223399u, VMBOX_DATA, DABT_HSR(SAS_BYTE, 0, 12, 1, DFSC_L2_TRANS));
    EXPECT_MMIO_READ(mmio_read32, VMBOX_DATA, 0xbeef5699u, DABT_HSR(SAS_WORD, 0, 5, 0, DFSC_L2_TRANS));
}

/* reads with a side effect: each access must be emulated exactly once (an
 * access retried or skipped twice would show in the counter); 1 write, 4 reads */
static void test_counter(void)
{
    uint32_t a, b, c;
    mmio_write32(100, VMBOX_IPA + VMBOX_COUNTER);
    a = mmio_read32(VMBOX_IPA + VMBOX_COUNTER);
    b = mmio_read32(VMBOX_IPA + VMBOX_COUNTER);
    c = mmio_read32(VMBOX_IPA + VMBOX_COUNTER);
    CHECK_EQ(a, 100);
    CHECK_EQ(b, 101);
    CHECK_EQ(c, 102);
    CHECK_EQ(mmio_read16(VMBOX_IPA + VMBOX_COUNTER), 103);
}

/* the device sees the data truncated to the access size; 3 writes, 2 reads */
static void test_doorbell(void)
{
    mmio_write8(0xabcd01ffu, VMBOX_IPA + VMBOX_DOORBELL);       /* +0xff */
    mmio_write16(0x12340100u, VMBOX_IPA + VMBOX_DOORBELL);      /* +0x100 */
    mmio_write32(0x1000u, VMBOX_IPA + VMBOX_DOORBELL);          /* +0x1000 */
    CHECK_EQ(mmio_read32(VMBOX_IPA + VMBOX_DOORBELL), 3);       /* rings */
    CHECK_EQ(mmio_read32(VMBOX_IPA + VMBOX_SUM), 0x11ffu);
}

/* SRT 14 and 13: LR_svc and SP_svc, banked, not in the trap frame; 1 read,
 * 1 write, 1 read back */
static void test_banked_transfer_registers(void)
{
    uint32_t n0 = vm.stat.mmio_exits, sp;
    /* LDR lr: SRT 14 -> 0x938e0006 */
    CHECK_EQ(mmio_read32_lr(VMBOX_IPA + VMBOX_ID), VMBOX_ID_VALUE);
    EXPECT_EXIT(mmio_exits, n0, DABT_HSR(SAS_WORD, 0, 14, 0, DFSC_L2_TRANS), VMBOX_IPA + VMBOX_ID);
    /* STR sp: SRT 13, WnR -> 0x938d0046 */
    n0 = vm.stat.mmio_exits;
    sp = mmio_write32_sp(VMBOX_IPA + VMBOX_DATA);
    EXPECT_EXIT(mmio_exits, n0, DABT_HSR(SAS_WORD, 0, 13, 1, DFSC_L2_TRANS), VMBOX_IPA + VMBOX_DATA);
    CHECK_EQ(mmio_read32(VMBOX_IPA + VMBOX_DATA), sp);
}

/* first touch of an unmapped heap page: stage-2 translation fault at level
 * 3, mapped by the hypervisor, the access retried (not skipped) */
static void test_demand_paging(void)
{
    volatile uint32_t *page0 = (volatile uint32_t *)HEAP_PAGE(0);
    volatile uint32_t *alias0 = heap_backing0, *alias1 = heap_backing1;
    uint32_t *page1 = (uint32_t *)HEAP_PAGE(1);
    uint32_t n0 = vm.stat.demand_faults, exits0 = vm.stat.aborts, i, sum = 0;

    /* LDR r5, level-3 translation fault: 0x93850007; the retried load
     * reads the backing page */
    CHECK_EQ(mmio_read32(HEAP_PAGE(0)), HEAP0_WORD0);
    EXPECT_EXIT(demand_faults, n0, DABT_HSR(SAS_WORD, 0, 5, 0, DFSC_L3_TRANS), HEAP_PAGE(0));
    page0[1] = 0x5eed0001u;                         /* mapped now: no exit */
    CHECK_EQ(page0[1], 0x5eed0001u);
    CHECK_EQ(alias0[1], 0x5eed0001u);               /* landed in the backing page */
    CHECK_EQ(vm.stat.aborts - exits0, 1);

    /* page 1 by ordinary C stores (the compiler picks STR, STRD or STM, so
     * ISV and SRT are not checked): one write fault, first address in page 1 */
    n0 = vm.stat.demand_faults;
    __asm__ volatile("" ::: "memory");
    for (i = 0; i < 8; i++)
        page1[i] = i * 0x01010101u + 0x10u;
    __asm__ volatile("" ::: "memory");
    CHECK_EQ(vm.stat.demand_faults - n0, 1);
    CHECK_EQ(vm.last_exit.hsr & (0x3fu << HSR_EC_SHIFT | HSR_S1PTW | HSR_WNR | 0x3fu),
             (EC_DABT << HSR_EC_SHIFT) | HSR_WNR | DFSC_L3_TRANS);
    CHECK_EQ(vm.last_exit.ipa >> 12, HEAP_PAGE(1) >> 12);
    for (i = 0; i < 8; i++)
        sum += alias1[i];
    CHECK_EQ(sum, 28 * 0x01010101u + 8 * 0x10u);
    CHECK_EQ(vm.stat.aborts - exits0, 2);
}

/* dirty logging: a read-only page reads without an exit; its first write is
 * a level-3 permission fault (IPA from ATS1CPR), retried once writable */
static void test_dirty_logging(void)
{
    volatile uint32_t *alias2 = heap_backing2;
    uint32_t n0 = vm.stat.perm_faults, exits0 = vm.stat.aborts;

    CHECK_EQ(mmio_read32(HEAP_PAGE(2) + 4), HEAP2_WORD1);
    CHECK_EQ(vm.stat.aborts - exits0, 0);
    CHECK_EQ(vm.heap_slot.dirty, 0);
    /* STR r0, permission fault level 3: 0x9380004f */
    mmio_write32(0xd1277ed1u, HEAP_PAGE(2) + 4);
    EXPECT_EXIT(perm_faults, n0, DABT_HSR(SAS_WORD, 0, 0, 1, DFSC_L3_PERM), HEAP_PAGE(2) + 4);
    CHECK_EQ(alias2[1], 0xd1277ed1u);
    mmio_write32(0xd1277ed2u, HEAP_PAGE(2) + 8);    /* writable now: no exit */
    CHECK_EQ(alias2[2], 0xd1277ed2u);
    CHECK_EQ(vm.stat.aborts - exits0, 1);
    CHECK_EQ(vm.heap_slot.dirty, 1u << DIRTY_LOG_PAGE);
}

/* KVM-style hypercalls: an unknown function, then the final check in Hyp */
static void test_hypercalls(void)
{
    struct hvc_result r = hvc_call(HVC_UNKNOWN);
    CHECK_EQ(r.r0, SMCCC_NOT_SUPPORTED);
    r = hvc_call(HVC_VM_CHECK);
    CHECK_EQ(vm.last_exit.hsr, HVC0_HSR);              /* 0x4a000000 */
    CHECK_EQ(vm.last_exit.elr, r.ret_pc);              /* ELR_hyp: after the HVC */
    CHECK_EQ(vm.stat.hvc_calls, 2);
    CHECK_EQ(r.r0, 0);                              /* the hypervisor's checks */
    CHECK_EQ(r.r1, GUEST_MMIO_EXITS);
    CHECK_EQ(r.r2, GUEST_DEMAND_FAULTS);
    CHECK_EQ(r.r3, GUEST_PERM_FAULTS);
    printf("exits: mmio %u demand %u perm %u\n",
           (unsigned)r.r1, (unsigned)r.r2, (unsigned)r.r3);
}

int main(void)
{
    test_mmio_loads();
    test_mmio_stores();
    test_counter();
    test_doorbell();
    test_banked_transfer_registers();
    test_demand_paging();
    test_dirty_logging();
    test_hypercalls();
    return test_finish("stage2_mmio");
}

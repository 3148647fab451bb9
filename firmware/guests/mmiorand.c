/*
 * mmiorand - a guest whose work the testbench chooses: it asks the VMM for
 * one operation at a time (hypercall HYPSIM_HC_STEP), does it, and reports
 * what it saw in the next request. The system env's sequences
 * (tb/sequences/system_*.py) answer with:
 *
 *   LOAD / STORE  one access to the testbench device (HYPSIM_GUEST_TBDEV_IPA)
 *                 with LDRB LDRSB LDRH LDRSH LDR / STRB STRH STR into or from
 *                 any of r0-r12, r14 (the report: the register after the load,
 *                 or the register the store wrote from);
 *   PSCI          a PSCI call through HVC or SMC (the report: r0 returned);
 *   IRQ_WINDOW    IRQs and FIQs unmasked for a few instructions (after a WFI
 *                 if asked): the handlers acknowledge every interrupt to the
 *                 device (TBDEV_ACK) and EOI it; a level line's acknowledgement
 *                 comes before the EOI, an edge's (SPIs 48-63) after the window
 *                 (the report: how many were taken);
 *   MODE          from another mode: one device read and write, WFE, an FPSCR
 *                 read and, from PL1, an ACTLR read, a c15 MRRC (UNDEFINED,
 *                 skipped) and PSCI_VERSION through HVC and SMC (USR comes
 *                 back through SVC; the report: the value read);
 *   VFP           a pattern through D0 (the lazy VFP switch; the report: the
 *                 pattern read back);
 *   END           done: "mmiorand: PASS", SYSTEM_OFF.
 *
 * The op word (tb/sequences/system_ops.py encodes it): [3:0] code; LOAD/STORE
 * [6:4] kind (0 B, 1 SB, 2 H, 3 SH, 4 W), [11:8] Rt, [23:12] offset; PSCI
 * [8:4] function number, [9] SMC64 form, [17:10] r1, [18] r2; IRQ_WINDOW [4]
 * WFI first, [15:8] NOPs; MODE [8:4] mode; VFP [31:4] pattern.
 *
 * Without the testbench device (natively on QEMU, under the hypervisor on
 * QEMU, or with tb/vmm.py's plain VMM) HYPSIM_HC_TBDEV returns NOT_SUPPORTED
 * and the guest only says so: the device exists only in the system env.
 */
#include "gic.h"

const char guest_name[] = "mmiorand";

#define HC_TBDEV   0x86000002u
#define HC_STEP    0x86000003u
#define NOT_SUPPORTED 0xffffffffu
#define TBDEV_ACK  0xf00u
#define TBDEV_CPU_LINES 0xf04u
#define TBDEV_MODE 0xf08u

enum { OP_END, OP_LOAD, OP_STORE, OP_PSCI_HVC, OP_PSCI_SMC, OP_IRQ_WINDOW, OP_MODE, OP_VFP };

/* one routine per access kind and Rt: u32 mr_<op>_<reg>(u32 addr, u32 value) */
#define REGS r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, lr
__asm__(
"   .macro MR_FN op, rt, store\n"
"   .type mr_\\op\\()_\\rt, %function\n"
"mr_\\op\\()_\\rt:\n"
"   push {r4-r11, lr}\n"
"   .ifc \\rt, r3\n"
"   mov r2, r0\n"
"   mov r3, r1\n"
"   \\op r3, [r2]\n"
"   .else\n"
"   mov r3, r0\n"
"   .if \\store\n"
"   mov \\rt, r1\n"
"   .endif\n"
"   \\op \\rt, [r3]\n"
"   .endif\n"
"   mov r0, \\rt\n"
"   pop {r4-r11, pc}\n"
"   .endm\n"
"   .text\n"
"   .irp op, ldrb, ldrsb, ldrh, ldrsh, ldr\n"
"   .irp rt, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, lr\n"
"   MR_FN \\op, \\rt, 0\n"
"   .endr\n"
"   .endr\n"
"   .irp op, strb, strh, str\n"
"   .irp rt, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, lr\n"
"   MR_FN \\op, \\rt, 1\n"
"   .endr\n"
"   .endr\n"
"   .section .rodata\n"
"   .balign 4\n"
"   .global mr_table\n"
"mr_table:\n"
"   .irp op, ldrb, ldrsb, ldrh, ldrsh, ldr, strb, strh, str\n"
"   .irp rt, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r12, lr, lr\n"
"   .word mr_\\op\\()_\\rt\n"
"   .endr\n"
"   .endr\n"
"   .text\n"
/* u32 mr_mode(u32 mode, u32 addr, stub): switch to `mode` and run its stub there, each in
 * its own 4 KiB page, so that the stub's first fetch (a stage-2 prefetch abort: the host
 * pages it in) comes from that mode too. A stub does a device read and write (stage-2 data
 * aborts), WFE (HCR.TWE) and an FPSCR read (the lazy VFP switch: HCPTR traps the first VFP
 * access after every entry); from PL1 also an ACTLR read (HCR.TAC), an MRRC of the
 * implementation-defined c15 (HSTR.T15: the host injects UNDEFINED, which guest_exception
 * skips) and PSCI_VERSION through HVC and SMC (HCR.TSC). First it arms the virtual timer
 * 150 ticks ahead and spins a few hundred cycles, so that the timer's physical PPI makes
 * it exit in that mode (the guest keeps IRQs masked; the virtual interrupt stays pending). USR (HVC, SMC, ACTLR and the
 * MRRC are UNDEFINED at PL0) comes back to SVC with SVC #0x4d. r6 holds the way back (no
 * mode banks it); returns the value read. */
"   .global mr_mode\n"
"   .type mr_mode, %function\n"
"mr_mode:\n"
"   push {r4-r6, lr}\n"
"   mov r5, r2\n"
"   mrs r4, cpsr\n"
"   bic r2, r4, #0x1f\n"
"   orr r2, r2, r0\n"
"   adr r6, 1f\n"
"   msr cpsr_c, r2\n"
"   bx r5\n"
"1: msr cpsr_c, r4\n"
"   mov r0, r3\n"
"   pop {r4-r6, pc}\n"
"   .macro MR_STUB mode, priv\n"
"   .balign 4096\n"
"   .global mr_stub_\\mode\n"
"mr_stub_\\mode:\n"
"   mov r2, #150\n"
"   mcr p15, 0, r2, c14, c3, 0\n"
"   mov r2, #1\n"
"   mcr p15, 0, r2, c14, c3, 1\n"
"   isb\n"
"   mov r2, #64\n"
"2: subs r2, r2, #1\n"
"   bne 2b\n"
"   ldr r3, [r1]\n"
"   str r3, [r1]\n"
"   wfe\n"
"   vmrs r2, fpscr\n"
"   .if \\priv\n"
"   mrc p15, 0, r2, c1, c0, 1\n"
"   mrrc p15, 0, r2, r0, c15\n"
"   mov r2, r3\n"
"   mov r0, #0x84000000\n"
"   hvc #0\n"
"   mov r0, #0x84000000\n"
"   smc #0\n"
"   mov r3, r2\n"
"   .else\n"
"   svc #0x4d\n"
"   .endif\n"
"   bx r6\n"
"   .endm\n"
"   .fpu neon-vfpv4\n"
"   .arch_extension sec\n"
"   .pushsection .text.mrpages, \"ax\"\n"
"   MR_STUB 16, 0\n"
"   MR_STUB 17, 1\n"
"   MR_STUB 18, 1\n"
"   MR_STUB 19, 1\n"
"   MR_STUB 23, 1\n"
"   MR_STUB 27, 1\n"
"   MR_STUB 31, 1\n"
"   .balign 4096\n"
"   .popsection\n"
/* u32 mr_smc(fn, a1, a2, a3) */
"   .global mr_smc\n"
"   .type mr_smc, %function\n"
"mr_smc:\n"
"   .arch_extension sec\n"
"   smc #0\n"
"   bx lr\n"
);

typedef u32 (*mr_fn)(u32 addr, u32 value);
extern const mr_fn mr_table[8][16];
u32 mr_mode(u32 mode, u32 addr, const char *stub);
extern const char mr_stub_16[], mr_stub_17[], mr_stub_18[], mr_stub_19[], mr_stub_23[], mr_stub_27[],
                  mr_stub_31[];
#define MRRC_C15 0xec502f0fu                                /* mrrc p15, 0, r2, r0, c15 */

static const char *mode_stub(u32 mode)
{
    switch (mode) {
    case 0x10: return mr_stub_16;
    case 0x11: return mr_stub_17;
    case 0x12: return mr_stub_18;
    case 0x17: return mr_stub_23;
    case 0x1b: return mr_stub_27;
    case 0x1f: return mr_stub_31;
    default:   return mr_stub_19;                           /* SVC */
    }
}
u32 mr_smc(u32 fn, u32 a1, u32 a2, u32 a3);

static u32 dev;                         /* the device's IPA */
static volatile u32 taken;              /* interrupts taken */
/* edge interrupts (SPIs 48-63) taken in this window, acknowledged to the device after it: no
 * exit between their EOIs, so the list registers can run dry (the underflow maintenance
 * interrupt) while the vGIC still queues more */
#define MAX_DEFERRED 32
static volatile u32 deferred[MAX_DEFERRED], n_deferred;
static u32 fiq_stack[64] __attribute__((aligned(8)));
static u32 rng = 0x2545f491u;

static u32 next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static u32 step(u32 op, u32 value)
{
    return psci_call(HC_STEP, op, value, 0);
}

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type == EXC_SVC && (f->spsr & 0x1f) == 0x10) {     /* back from mr_mode's USR visit */
        f->spsr = (f->spsr & ~0x1fu) | 0x13;
        return;
    }
    if (type == EXC_UNDEF && *(const u32 *)f->pc == MRRC_C15) {  /* the host's UNDEFINED for the c15 MRRC */
        f->pc += 4;
        return;
    }
    if (type == EXC_FIQ) {                                  /* a CPU line (HCR.VF) */
        taken++;
        mmio_write(dev + TBDEV_ACK, 0x10001);
        return;
    }
    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    u32 iar = mmio_read(GICC_IAR), id = iar & 0x3ff;
    if (id == IRQ_SPURIOUS) {                               /* not the GIC: the CPU IRQ line (HCR.VI)? */
        if (mmio_read(dev + TBDEV_CPU_LINES) & 1) {
            taken++;
            mmio_write(dev + TBDEV_ACK, 0x10000);
        }
        return;
    }
    taken++;
    if (id == IRQ_VTIMER)
        cntv_ctl_write(0);                                  /* armed for a PSCI CPU_SUSPEND */
    if (id >= 48 && id < 64 && n_deferred < MAX_DEFERRED)
        deferred[n_deferred++] = id;                        /* an edge: acknowledged after the window */
    else
        mmio_write(dev + TBDEV_ACK, id);                    /* a level line: dropped before the EOI */
    mmio_write(GICC_EOIR, iar);
}

static u32 irq_window(u32 op)
{
    u32 before = taken;
    if (op & 0x10)
        WFI();
    __asm__ volatile("cpsie if" ::: "memory");
    for (u32 i = (op >> 8) & 0xff; i; i--)
        __asm__ volatile("nop");
    __asm__ volatile("cpsid if" ::: "memory");
    for (u32 i = 0; i < n_deferred; i++)
        mmio_write(dev + TBDEV_ACK, deferred[i]);
    n_deferred = 0;
    return taken - before;
}

static u32 psci(u32 op, int smc)
{
    u32 fn = 0x84000000u | ((op >> 4) & 0x1f) | (op & 0x200 ? 0x40000000u : 0);
    u32 a1 = (op >> 10) & 0xff, a2 = (op >> 18) & 1;
    if (fn == PSCI_FEATURES)                                /* ask about a function id */
        a1 = 0x84000000u | (a1 & 0x1f) | ((a1 & 0x80) << 23);
    if (fn == PSCI_CPU_SUSPEND) {                           /* standby: the virtual timer wakes it */
        cntv_tval_write(300);
        cntv_ctl_write(CNTV_CTL_ENABLE);
    }
    return smc ? mr_smc(fn, a1, a2, 0) : psci_call(fn, a1, a2, 0);
}

static void vfp_enable(void)
{
    MCR(0, c1, c0, 2, MRC(0, c1, c0, 2) | (0xfu << 20));   /* CPACR: cp10, cp11 full access (PL0 too) */
    ISB();
    __asm__ volatile(".fpu neon-vfpv4\n\tvmsr fpexc, %0\n\tisb" :: "r"(0x40000000u) : "memory");
}

static u32 vfp(u32 op)
{
    u32 lo = op >> 4, hi = ~op, a, b;
    __asm__ volatile(".fpu neon-vfpv4\n\tvmov d0, %2, %3\n\tvmov %0, %1, d0"
                     : "=r"(a), "=r"(b) : "r"(lo), "r"(hi) : "memory");
    return a ^ b;
}

static u32 run_op(u32 op)
{
    switch (op & 0xf) {
    case OP_LOAD:
    case OP_STORE: {
        u32 kind = (op >> 4) & 7, rt = (op >> 8) & 0xf, off = (op >> 12) & 0xfff;
        u32 row = (op & 0xf) == OP_LOAD ? kind : 5 + kind / 2;
        return mr_table[row][rt](dev + off, next_random());
    }
    case OP_PSCI_HVC:
        return psci(op, 0);
    case OP_PSCI_SMC:
        return psci(op, 1);
    case OP_IRQ_WINDOW:
        return irq_window(op);
    case OP_MODE:
    {
        u32 v = mr_mode((op >> 4) & 0x1f, dev + TBDEV_MODE, mode_stub((op >> 4) & 0x1f));
        cntv_ctl_write(0);                                  /* the stub's timer off again */
        return v;
    }
    case OP_VFP:
        return vfp(op);
    default:
        printf("mmiorand: FAIL unknown op 0x%08x\n", op);
        guest_failures++;
        return 0;
    }
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 op, value = 0, ops = 0;

    (void)r0;
    (void)r1;
    (void)dtb;
    dev = psci_call(HC_TBDEV, 0, 0, 0);
    if (dev == NOT_SUPPORTED) {
        printf("mmiorand: no testbench device here, nothing to do\n");
        guest_finish();
        return 0;
    }
    /* FIQ mode's stack (entry.S sets SVC, IRQ, ABT and UND only) */
    __asm__ volatile("cps #0x11\n\tmov sp, %0\n\tcps #0x13" :: "r"(&fiq_stack[64]) : "memory");
    vfp_enable();
    MCR(0, c14, c1, 0, MRC(0, c14, c1, 0) | (1u << 8));    /* CNTKCTL.PL0VTEN: USR may arm the virtual timer */
    gic_init();
    mmio_write(GICD_ISENABLER(0), 0xffff0000u);             /* PPIs 16-31 */
    mmio_write(GICD_ISENABLER(1), 0xffffffffu);             /* SPIs 32-63 */
    mmio_write(GICD_BASE + 0xc0c, 0xaaaaaaaau);             /* GICD_ICFGR3: SPIs 48-63 edge-triggered */
    for (op = step(0, 0); (op & 0xf) != OP_END; op = step(op, value)) {
        value = run_op(op);
        ops++;
    }
    (void)ops;                      /* every console byte is an exit: the checkers have the counts */
    guest_finish();
    return 0;
}

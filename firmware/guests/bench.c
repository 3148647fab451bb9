/*
 * bench - the world-switch costs `make bench` reports (tb/bench_hyp.py reads
 * them off the retire trace by these labels; each runs BENCH_ROUNDS times and
 * the last round counts, so no page fault is included):
 *   bench_hvc         a null hypercall handled in the host (PSCI_VERSION)
 *   bench_hc_user     a hypercall the host hands to the VMM (KVM_EXIT_HYPERCALL)
 *   bench_mmio_kernel an MMIO read the host emulates (GICD_TYPER, in-kernel vGIC)
 *   bench_mmio_user   an MMIO read the VMM answers (the PL011's UARTFR)
 *   bench_vfp         the first VFP access after an entry (the lazy VFP switch)
 *   bench_sgi .. bench_eoir  a virtual interrupt (an SGI to itself through the
 *                     emulated GICD_SGIR) from injection to the guest's EOI;
 *   bench_iar .. bench_eoir  the guest's acknowledge + EOI through GICV
 * It also runs natively on QEMU (every call there is answered by QEMU itself).
 */
#include "gic.h"

const char guest_name[] = "bench";

#define BENCH_ROUNDS 3
#define SGI_ID 1
#define UARTFR (0x09000000u + 0x18)

static volatile u32 sgi_taken;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    u32 iar, gicc = GICC_BASE;
    __asm__ volatile(".global bench_iar\nbench_iar: ldr %0, [%1, #0x0c]" : "=r"(iar) : "r"(gicc) : "memory");
    if ((iar & 0x3ff) == SGI_ID)
        sgi_taken++;
    __asm__ volatile(".global bench_eoir\nbench_eoir: str %0, [%1, #0x10]" :: "r"(iar), "r"(gicc) : "memory");
}

int main(u32 r0, u32 r1, const void *dtb)
{
    (void)r0; (void)r1; (void)dtb;
    u32 v, gicd = GICD_BASE, uart = UARTFR, sum = 0;
    gic_init();
    gic_set_priority(SGI_ID, 0x80);
    mmio_write(GICD_ISENABLER(0), 1u << SGI_ID);
    MCR(0, c1, c0, 2, 0xf << 20);               /* CPACR: cp10/cp11 full access */
    ISB();
    __asm__ volatile(".fpu vfpv3\n vmsr fpexc, %0" :: "r"(1u << 30));
    for (int i = 0; i < BENCH_ROUNDS; i++) {
        register u32 a0 __asm__("r0");
        register u32 a1 __asm__("r1");
        register u32 a2 __asm__("r2");
        a0 = 0x84000000u;                       /* PSCI_VERSION */
        __asm__ volatile(".global bench_hvc\nbench_hvc: hvc #0" : "+r"(a0) :: "r1", "r2", "r3", "memory");
        sum += a0;
        a0 = 0x86000001u; a1 = 0x1234; a2 = 0x5678;   /* the VMM's echo hypercall */
        __asm__ volatile(".global bench_hc_user\nbench_hc_user: hvc #0" : "+r"(a0), "+r"(a1), "+r"(a2) :: "r3", "memory");
        sum += a0;
        __asm__ volatile(".global bench_mmio_kernel\nbench_mmio_kernel: ldr %0, [%1, #4]" : "=r"(v) : "r"(gicd) : "memory");
        sum += v;
        __asm__ volatile(".global bench_mmio_user\nbench_mmio_user: ldr %0, [%1]" : "=r"(v) : "r"(uart) : "memory");
        sum += v;
        __asm__ volatile(".fpu vfpv3\n.global bench_vfp\nbench_vfp: vmrs %0, fpscr" : "=r"(v) :: "memory");
        sum += v;
        __asm__ volatile(".global bench_sgi\nbench_sgi: str %0, [%1, #0xf00]\n dsb\n cpsie i\n isb\n nop\n nop\n cpsid i"
                         :: "r"(SGIR_SELF | SGI_ID), "r"(gicd) : "memory");
    }
    check_eq("SGIs taken", sgi_taken, BENCH_ROUNDS);
    guest_finish();
    return (int)(sum & 0);
}

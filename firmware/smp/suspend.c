/*
 * suspend.c - PSCI CPU_SUSPEND (0x84000001) as QEMU 7.2 answers it: a standby
 * power_state (bits 31:17 zero) makes the caller wait in WFI until an interrupt
 * is pending for it (masked by CPSR.I or not), then returns 0; a power_state with
 * bits 31:17 set returns -2 at once. Measured here without depending on timing:
 *   - core 0 arms its physical timer (PPI 30) SUSPEND_TICKS ahead, interrupts
 *     masked, calls CPU_SUSPEND and, after it returns, reads CNTPCT: it is past
 *     CNTP_CVAL and GICC_IAR gives 30 (a CPU_SUSPEND that returned at once would
 *     read an earlier count and a spurious 1023);
 *   - core 1 calls CPU_SUSPEND in Hyp mode and wakes on an SGI core 0 sends
 *     after waiting SUSPEND_TICKS itself: its GICC_IAR then gives that SGI.
 * And the one system counter: core 1's first CNTPCT read is past the count core 0
 * read before CPU_ON (a counter of core 1's own, started at its CPU_ON, would be
 * behind it).
 * Only core 0 prints, while core 1 waits or is off.
 */
#include "smp.h"
#include "printf.h"

#define SUSPEND_TICKS 20000u
#define GICD_ISENABLER0_PPI30 (1u << 30)

static volatile uint32_t flag, c1_ret, c1_iar;
static volatile uint64_t c1_count;

static uint64_t cntpct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

static uint64_t cntp_cval(void)
{
    uint32_t lo, hi;
    __asm__ volatile("mrrc p15, 2, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void cpu_if_on(void)
{
    mmio_write(GICC_BASE + GICC_PMR, 0xff);
    mmio_write(GICC_BASE + GICC_CTLR, 1);
}

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
    c1_count = cntpct();
    mmio_write(GICD_BASE + GICD_ISENABLER0, 0x0000ffffu);   /* SGIs, banked */
    cpu_if_on();
    smp_set_flag(&flag, 1);
    c1_ret = (uint32_t)psci_call(PSCI_CPU_SUSPEND, 0, 0, 0);
    c1_iar = mmio_read(GICC_BASE + GICC_IAR);
    if ((c1_iar & 0x3ff) != 1023)
        mmio_write(GICC_BASE + GICC_EOIR, c1_iar);
    smp_set_flag(&flag, 2);
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    mmio_write(GICD_BASE + GICD_CTLR, 1);
    mmio_write(GICD_BASE + GICD_ISENABLER0, GICD_ISENABLER0_PPI30);
    cpu_if_on();
    printf("cpu_suspend(0x00020000) %d\n", (int)psci_call(PSCI_CPU_SUSPEND, 0x00020000u, 0, 0));

    /* core 0: woken by its own timer */
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 0" :: "r"(SUSPEND_TICKS));   /* CNTP_TVAL */
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 1" :: "r"(1u));              /* CNTP_CTL: enabled */
    __asm__ volatile("isb");
    int32_t r = psci_call(PSCI_CPU_SUSPEND, 0, 0, 0);
    uint64_t now = cntpct(), cval = cntp_cval();
    uint32_t iar = mmio_read(GICC_BASE + GICC_IAR);
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 1" :: "r"(0u));              /* timer off */
    if ((iar & 0x3ff) != 1023)
        mmio_write(GICC_BASE + GICC_EOIR, iar);
    printf("core 0: cpu_suspend %d, count past CVAL %d, iar %u\n", (int)r, now >= cval,
           (unsigned)(iar & 0x3ff));

    /* core 1: woken by an SGI sent SUSPEND_TICKS after it said it is about to suspend */
    uint64_t c0_count = cntpct();
    printf("cpu_on(1) %d\n", (int)smp_cpu_on(1, (uint32_t)smp_stack1 + SMP_STACK_SIZE));
    smp_wait_flag(&flag, 1);
    int shared_count = c1_count > c0_count;
    printf("core 1's first CNTPCT past core 0's before CPU_ON %d\n", shared_count);
    uint64_t until = cntpct() + SUSPEND_TICKS;
    while (cntpct() < until)
        ;
    mmio_write(GICD_BASE + GICD_SGIR, (2u << 16) | 5u);                       /* SGI 5 to CPU 1 */
    smp_wait_flag(&flag, 2);
    printf("core 1: cpu_suspend %d, iar %u from cpu %u\n", (int)c1_ret, (unsigned)(c1_iar & 0x3ff),
           (unsigned)((c1_iar >> 10) & 7));
    while (psci_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
        ;
    int ok = shared_count && r == 0 && now >= cval && (iar & 0x3ff) == 30 && c1_ret == 0 && (c1_iar & 0x3ff) == 5;
    printf("%s suspend\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}

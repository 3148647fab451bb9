/*
 * sgi.c - SGI ping-pong between the cores through GICD_SGIR (IHI0048B 4.3.15):
 * core 0 sends SGI 1 to core 1 (CPUTargetList bit 1), core 1 acknowledges it on
 * its own GICC (banked per CPU at the same address), checks the source CPU in
 * GICC_IAR[12:10], ends it and sends SGI 2 back to core 0, ROUNDS times.
 * Interrupts stay masked (CPSR.I): both cores poll GICC_IAR, so nothing depends
 * on interrupt timing. Then core 1 turns itself off and core 0 waits for
 * AFFINITY_INFO to say OFF.
 */
#include "smp.h"
#include "printf.h"

#define ROUNDS 8

static volatile uint32_t flag;
static volatile uint32_t got1[ROUNDS];

static uint32_t wait_sgi(void)
{
    uint32_t iar;
    do {
        iar = mmio_read(GICC_BASE + GICC_IAR);
    } while ((iar & 0x3ff) == 1023);
    mmio_write(GICC_BASE + GICC_EOIR, iar);
    return iar;
}

static void cpu_if_on(void)
{
    mmio_write(GICD_BASE + GICD_ISENABLER0, 0x0000ffffu);   /* SGIs 0-15, banked */
    mmio_write(GICC_BASE + GICC_PMR, 0xff);
    mmio_write(GICC_BASE + GICC_CTLR, 1);
}

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
    cpu_if_on();
    smp_set_flag(&flag, 1);
    for (int i = 0; i < ROUNDS; i++) {
        got1[i] = wait_sgi();
        dmb();
        mmio_write(GICD_BASE + GICD_SGIR, (1u << 16) | 2u);    /* SGI 2 to CPU 0 */
    }
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    mmio_write(GICD_BASE + GICD_CTLR, 1);
    cpu_if_on();
    printf("cpu_on(1) %d\n", (int)smp_cpu_on(1, (uint32_t)smp_stack1 + SMP_STACK_SIZE));
    smp_wait_flag(&flag, 1);
    for (int i = 0; i < ROUNDS; i++) {
        mmio_write(GICD_BASE + GICD_SGIR, (2u << 16) | 1u);    /* SGI 1 to CPU 1 */
        uint32_t iar = wait_sgi();
        printf("round %d: core1 got id %u from cpu %u, core0 got id %u from cpu %u\n", i,
               (unsigned)(got1[i] & 0x3ff), (unsigned)((got1[i] >> 10) & 7),
               (unsigned)(iar & 0x3ff), (unsigned)((iar >> 10) & 7));
    }
    while (psci_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
        ;
    printf("affinity_info(1) %d\n", (int)psci_call(PSCI_AFFINITY_INFO, 1, 0, 0));
    printf("PASS sgi\n");
    return 0;
}

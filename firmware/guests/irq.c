/*
 * irq - GICv2 and the virtual timer from a guest: distributor and CPU
 * interface on, priority mask; the virtual timer (PPI 27) fires 3 times,
 * each taken by the IRQ handler after WFI, acknowledged through GICC_IAR and
 * ended with GICC_EOIR; an SGI to itself through GICD_SGIR, held back by the
 * priority mask until PMR is raised; a disabled interrupt is not taken and is
 * taken once enabled. The IDs are printed in the order taken.
 *
 * Interrupts are only ever unmasked for a moment (cpsie i; cpsid i) after a
 * WFI with CPSR.I set, so what is taken does not depend on timing.
 */
#include "gic.h"

const char guest_name[] = "irq";

#define SGI_ID 5
#define MAX_LOG 16

static volatile int taken;          /* interrupts taken so far */
static volatile u32 log_id[MAX_LOG];
static volatile u32 log_mode[MAX_LOG];

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    u32 iar, id;

    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    iar = mmio_read(GICC_IAR);
    id = iar & 0x3ff;
    if (id == IRQ_SPURIOUS)
        return;
    if (id == IRQ_VTIMER)
        cntv_ctl_write(0);          /* lower the level before EOI */
    if (taken < MAX_LOG) {
        log_id[taken] = id;
        log_mode[taken] = f->spsr & 0x1f;
    }
    taken++;
    mmio_write(GICC_EOIR, iar);
}

/* open the IRQ window once after a WFI; returns the number taken */
static int irq_window(void)
{
    int before = taken;

    WFI();
    IRQ_ENABLE();
    ISB();
    IRQ_DISABLE();
    return taken - before;
}

/* wait until `want` more interrupts were taken, at most `tries` windows */
static void wait_taken(int want, int tries)
{
    int target = taken + want;

    while (taken < target && tries-- > 0)
        irq_window();
}

static void report(int from)
{
    for (int i = from; i < taken && i < MAX_LOG; i++)
        printf("irq %u taken from mode 0x%x\n", log_id[i], log_mode[i]);
}

int main(u32 r0, u32 r1, const void *dtb)
{
    int n;

    (void)r0;
    (void)r1;
    (void)dtb;
    printf("irq: GICv2, virtual timer and SGIs\n");
    gic_init();
    check_eq("GICC_PMR readback", mmio_read(GICC_PMR) & 0xf0, 0xf0);
    gic_set_priority(IRQ_VTIMER, 0xa0);
    gic_set_priority(SGI_ID, 0xa0);
    check_eq("GICD_IPRIORITYR(27)", (mmio_read(GICD_IPRIORITYR(6)) >> 24) & 0xf0, 0xa0);
    mmio_write(GICD_ISENABLER(0), 1u << IRQ_VTIMER);
    check_eq("timer enabled", (mmio_read(GICD_ISENABLER(0)) >> IRQ_VTIMER) & 1, 1);

    /* 1. the virtual timer, 3 times */
    for (int i = 0; i < 3; i++) {
        n = taken;
        cntv_tval_write(500);
        cntv_ctl_write(CNTV_CTL_ENABLE);
        wait_taken(1, 1000);
        check_eq("timer interrupt taken", taken - n, 1);
        report(n);
    }

    /* 2. an SGI to this CPU, below the priority mask first */
    n = taken;
    mmio_write(GICC_PMR, 0x80);     /* priority 0xa0 is masked */
    mmio_write(GICD_SGIR, SGIR_SELF | SGI_ID);
    DSB();
    IRQ_ENABLE();
    for (int i = 0; i < 20; i++)
        __asm__ volatile("nop");
    IRQ_DISABLE();
    printf("sgi %d below the priority mask: %d taken\n", SGI_ID, taken - n);
    check_eq("masked SGI not taken", taken - n, 0);
    mmio_write(GICC_PMR, 0xf0);
    wait_taken(1, 1000);
    check_eq("SGI taken after PMR", taken - n, 1);
    report(n);

    /* 3. the timer with its interrupt disabled in the distributor */
    n = taken;
    mmio_write(GICD_ICENABLER(0), 1u << IRQ_VTIMER);
    check_eq("timer disabled", (mmio_read(GICD_ISENABLER(0)) >> IRQ_VTIMER) & 1, 0);
    cntv_tval_write(500);
    cntv_ctl_write(CNTV_CTL_ENABLE);
    while (!(cntv_ctl_read() & CNTV_CTL_ISTATUS))
        ;
    IRQ_ENABLE();
    for (int i = 0; i < 20; i++)
        __asm__ volatile("nop");
    IRQ_DISABLE();
    printf("timer fired while disabled: %d taken\n", taken - n);
    check_eq("disabled interrupt not taken", taken - n, 0);
    mmio_write(GICD_ISENABLER(0), 1u << IRQ_VTIMER);
    wait_taken(1, 1000);
    check_eq("taken once enabled", taken - n, 1);
    report(n);

    check_eq("total taken", taken, 5);
    check_eq("order", (log_id[0] == 27) + (log_id[1] == 27) + (log_id[2] == 27) +
             (log_id[3] == SGI_ID) + (log_id[4] == 27), 5);
    guest_finish();
    return 0;
}

/*
 * ptimer - the PL1 physical timer (CNTP, PPI 30) beside the virtual timer
 * (CNTV, PPI 27): the guest's DT advertises both, so a guest may use
 * either. Each fires after WFI and is taken through the GIC; with both armed the one due first is
 * taken first; ISTATUS reads 1 once a timer has fired, IMASK holds its
 * interrupt back. Under the hypervisor the guest owns both timers while it
 * runs and the host injects their PPIs.
 */
#include "gic.h"

const char guest_name[] = "ptimer";

#define IRQ_PTIMER 30
static inline void cntp_tval_write(u32 v) { MCR(0, c14, c2, 0, v); }
static inline void cntp_ctl_write(u32 v) { MCR(0, c14, c2, 1, v); ISB(); }
static inline u32 cntp_ctl_read(void) { return MRC(0, c14, c2, 1); }

static volatile u32 log_id[8];
static volatile int taken;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    u32 iar = mmio_read(GICC_IAR), id = iar & 0x3ff;
    if (id == IRQ_SPURIOUS)
        return;
    if (id == IRQ_PTIMER)
        cntp_ctl_write(0);
    else if (id == IRQ_VTIMER)
        cntv_ctl_write(0);
    if (taken < 8)
        log_id[taken] = id;
    taken++;
    mmio_write(GICC_EOIR, iar);
}

static void wait_for(int n)
{
    for (int tries = 0; taken < n && tries < 1000; tries++) {
        WFI();
        IRQ_ENABLE();
        ISB();
        IRQ_DISABLE();
    }
}

int main(u32 r0, u32 r1, const void *dtb)
{
    (void)r0; (void)r1; (void)dtb;
    printf("ptimer: the physical and the virtual timer\n");
    gic_init();
    gic_set_priority(IRQ_PTIMER, 0xa0);
    gic_set_priority(IRQ_VTIMER, 0xa0);
    mmio_write(GICD_ISENABLER(0), (1u << IRQ_PTIMER) | (1u << IRQ_VTIMER));

    for (int i = 0; i < 2; i++) {
        cntp_tval_write(400);
        cntp_ctl_write(1);
        wait_for(taken + 1);
        printf("physical timer: irq %u\n", log_id[i]);
    }
    /* both armed, the virtual one due much later: physical first */
    int n = taken;
    cntv_tval_write(60000);
    cntv_ctl_write(1);
    cntp_tval_write(300);
    cntp_ctl_write(1);
    wait_for(n + 2);
    printf("both armed: irq %u then irq %u\n", log_id[n], log_id[n + 1]);

    /* IMASK: fired (ISTATUS 1) but not signalled */
    n = taken;
    cntp_tval_write(200);
    cntp_ctl_write(1 | CNTV_CTL_IMASK);
    while (!(cntp_ctl_read() & CNTV_CTL_ISTATUS))
        ;
    IRQ_ENABLE();
    for (int i = 0; i < 20; i++)
        __asm__ volatile("nop");
    IRQ_DISABLE();
    printf("masked physical timer: istatus %u, %d taken\n", (cntp_ctl_read() >> 2) & 1, taken - n);
    cntp_ctl_write(1);                       /* unmask: now it is taken */
    wait_for(n + 1);
    printf("unmasked: %d taken\n", taken - n);
    check_eq("total", taken, 5);
    guest_finish();
    return 0;
}

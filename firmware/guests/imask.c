/*
 * imask - a guest that never unmasks IRQs (CPSR.I = 1 from entry to power-off,
 * as the boot protocol enters it) while its virtual timer keeps firing.
 *
 * Each round arms the virtual timer a little later (TVAL 300, 550, ... 4050
 * counter ticks) and then makes hypercalls (PSCI_VERSION) until CNTV_CTL.
 * ISTATUS says the timer has fired; the guest never takes the interrupt.
 * Under a hypervisor with HCR.IMO the timer's physical PPI 27 is routed to
 * Hyp mode, where the guest's CPSR.I does not mask it (ARM ARM B1.8.6): it
 * makes the guest exit in the middle of its code, or, when the timer expires
 * while the host is on its way back into the guest, it is pending at the
 * ERET and taken at HVBAR+0x18 before the first guest instruction runs
 * (ELR_hyp = the guest PC being entered, SPSR_hyp with I set). The sweep of
 * delays makes both happen; what the guest prints does not depend on them.
 */
#include "gic.h"

const char guest_name[] = "imask";

#define ROUNDS 16
#define CPSR_I 0x80u

int main(u32 r0, u32 r1, const void *dtb)
{
    (void)r0; (void)r1; (void)dtb;
    printf("imask: the virtual timer fires %u times while CPSR.I masks IRQs\n", (u32)ROUNDS);
    check_eq("CPSR.I at entry", read_cpsr() & CPSR_I, CPSR_I);
    u32 fired = 0;
    for (u32 i = 0; i < ROUNDS; i++) {
        cntv_tval_write(300 + 250 * i);
        cntv_ctl_write(CNTV_CTL_ENABLE);
        while (!(cntv_ctl_read() & CNTV_CTL_ISTATUS))
            (void)psci_call(PSCI_VERSION, 0, 0, 0);
        fired++;
        cntv_ctl_write(0);
    }
    check_eq("rounds whose timer fired", fired, ROUNDS);
    check_eq("CPSR.I at the end", read_cpsr() & CPSR_I, CPSR_I);
    guest_finish();
    return 0;
}

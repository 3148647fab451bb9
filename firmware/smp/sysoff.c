/*
 * sysoff.c - PSCI SYSTEM_OFF from core 0 with core 1 running: QEMU -no-reboot
 * ends the run (exit status 0) on it; the RTL SoC stops the simulation the same
 * way. SYSTEM_OFF does not return, so "not reached" is never printed.
 */
#include "smp.h"
#include "printf.h"

static volatile uint32_t flag;

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
    smp_set_flag(&flag, 1);
    for (;;)
        ;
}

int main(void)
{
    printf("cpu_on(1) %d\n", (int)smp_cpu_on(1, (uint32_t)smp_stack1 + SMP_STACK_SIZE));
    smp_wait_flag(&flag, 1);
    printf("system_off\n");
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    printf("not reached\n");
    return 1;
}

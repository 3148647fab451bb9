/*
 * badentry.c - RTL-only check of the exception-loop stop on core 1 (tests/test_smp.py):
 * core 0 starts core 1 at 0x0a000000, where nothing answers (a hole of the virt map:
 * a bus error), so core 1 takes prefetch aborts at HVBAR = 0 (also a hole) for ever,
 * while core 0 waits. hypsim must stop with the exception-loop report of core 1
 * instead of running to --max-cycles. (QEMU has flash at 0, so it differs there: not
 * compared.)
 */
#include "smp.h"
#include "printf.h"

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
}

int main(void)
{
    printf("cpu_on(1, 0x0a000000) %d\n", (int)psci_call(PSCI_CPU_ON, 1, 0x0a000000u, 0));
    for (;;)
        ;
}

/* smp_lib.c - helpers of the two-core programs (smp.h). */
#include "smp.h"

uint8_t smp_stack1[SMP_STACK_SIZE] __attribute__((aligned(16)));

int32_t smp_cpu_on(uint32_t mpidr, uint32_t context_id)
{
    return psci_call(PSCI_CPU_ON, mpidr, (uint32_t)&smp_secondary_entry, context_id);
}

uint32_t smp_mpidr(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
    return v;
}

void smp_wait_flag(volatile uint32_t *flag, uint32_t value)
{
    while (*flag != value)
        ;
    dmb();
}

void smp_set_flag(volatile uint32_t *flag, uint32_t value)
{
    dmb();
    *flag = value;
    dmb();
}

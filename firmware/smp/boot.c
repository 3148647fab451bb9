/*
 * boot.c - two-core bring-up as QEMU -smp 2 does it: core 0 reads its MPIDR and
 * PSCI's answers (VERSION, AFFINITY_INFO of an off and an on core, CPU_ON of an
 * on core and of a core that does not exist), starts core 1 with CPU_ON and a
 * context id (also PSCI_FEATURES, MIGRATE_INFO_TYPE, an SMC64 id, an unknown id
 * and r0 = 0: NOT_SUPPORTED), core 1 reports its MPIDR, the r0-r3 and CPSR it entered with, and
 * turns itself off with CPU_OFF; core 0 sees AFFINITY_INFO say OFF and starts it
 * a second time with another context id. Every line is printed by one core
 * while the other waits on a flag: the output does not depend on interleaving.
 */
#include "smp.h"
#include "printf.h"

static volatile uint32_t flag;
static volatile uint32_t c1_mpidr, c1_r0, c1_cpsr, c1_round;

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    c1_mpidr = smp_mpidr();
    c1_r0 = context_id;
    c1_cpsr = cpsr;
    c1_round++;
    smp_set_flag(&flag, 1);
    smp_wait_flag(&flag, 2);
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    /* not reached: CPU_OFF does not return */
    smp_set_flag(&flag, 0xdead);
}

int main(void)
{
    uint32_t top = (uint32_t)smp_stack1 + SMP_STACK_SIZE;
    printf("core0 mpidr %08x\n", (unsigned)smp_mpidr());
    printf("psci version %08x\n", (unsigned)psci_call(PSCI_VERSION, 0, 0, 0));
    printf("affinity_info(0) %d\n", (int)psci_call(PSCI_AFFINITY_INFO, 0, 0, 0));
    printf("affinity_info(1) %d\n", (int)psci_call(PSCI_AFFINITY_INFO, 1, 0, 0));
    printf("affinity_info(1, level 1) %d\n", (int)psci_call(PSCI_AFFINITY_INFO, 1, 1, 0));
    printf("features(cpu_on) %d features(0x84000077) %d\n", (int)psci_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0),
           (int)psci_call(PSCI_FEATURES, 0x84000077u, 0, 0));
    printf("migrate_info_type %d\n", (int)psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    printf("smc64 cpu_on %d, unknown id %d, smc r0=0 %d\n", (int)psci_call(0xc4000003u, 1, 0, 0),
           (int)psci_call(0x84000077u, 0, 0, 0), (int)psci_call(0, 0, 0, 0));
    printf("cpu_on(0) %d\n", (int)smp_cpu_on(0, 0));
    printf("cpu_on(7) %d\n", (int)smp_cpu_on(7, 0));
    /* the target is the affinity fields: an MPIDR as read, with its M bit (31), names no core */
    printf("cpu_on(0x80000001) %d affinity_info(0x80000001) %d\n", (int)smp_cpu_on(0x80000001u, 0),
           (int)psci_call(PSCI_AFFINITY_INFO, 0x80000001u, 0, 0));
    for (int round = 1; round <= 2; round++) {
        printf("cpu_on(1) %d\n", (int)smp_cpu_on(1, top - 16 * (uint32_t)round + 16));
        smp_wait_flag(&flag, 1);
        printf("core1 round %u mpidr %08x r0 %s cpsr %08x\n", (unsigned)c1_round,
               (unsigned)c1_mpidr, c1_r0 == top - 16 * (uint32_t)round + 16 ? "=context_id" : "?",
               (unsigned)c1_cpsr);
        printf("affinity_info(1) %d\n", (int)psci_call(PSCI_AFFINITY_INFO, 1, 0, 0));
        printf("cpu_on(1) again %d\n", (int)smp_cpu_on(1, top));
        smp_set_flag(&flag, 2);
        while (psci_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
            ;
        printf("affinity_info(1) after cpu_off %d flag %x\n",
               (int)psci_call(PSCI_AFFINITY_INFO, 1, 0, 0), (unsigned)flag);
        flag = 0;
    }
    printf("done\n");
    return 0;
}

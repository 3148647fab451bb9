/*
 * spinlock.c - LDREX/STREX across two cores: both cores add 1 to a shared
 * counter N times with an LDREX/STREX retry loop, and add 1 N times to a plain
 * counter under a spinlock built on LDREX/STREX. The totals are 2N each whatever
 * the interleaving; a global exclusive monitor that misses the other core's
 * store loses increments (tests/test_smp.py checks that such a design is caught).
 */
#include "smp.h"
#include "printf.h"

#ifndef SPIN_N
#define SPIN_N 1000
#endif

static volatile uint32_t atomic_counter;
static volatile uint32_t lock;
static volatile uint32_t locked_counter;
static volatile uint32_t flag;
static volatile uint32_t done1;

static void atomic_inc(volatile uint32_t *p)
{
    uint32_t v, fail;
    do {
        __asm__ volatile("ldrex %0, [%2]\n\t"
                         "add   %0, %0, #1\n\t"
                         "strex %1, %0, [%2]"
                         : "=&r"(v), "=&r"(fail) : "r"(p) : "memory");
    } while (fail);
}

static void work(void)
{
    for (int i = 0; i < SPIN_N; i++) {
        atomic_inc(&atomic_counter);
        spin_lock(&lock);
        locked_counter = locked_counter + 1;
        spin_unlock(&lock);
    }
}

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
    smp_wait_flag(&flag, 1);
    work();
    smp_set_flag(&done1, 1);
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    printf("spinlock: %d increments per core\n", SPIN_N);
    printf("cpu_on(1) %d\n", (int)smp_cpu_on(1, (uint32_t)smp_stack1 + SMP_STACK_SIZE));
    smp_set_flag(&flag, 1);
    work();
    smp_wait_flag(&done1, 1);
    printf("atomic counter %u (expected %u)\n", (unsigned)atomic_counter, 2u * SPIN_N);
    printf("locked counter %u (expected %u)\n", (unsigned)locked_counter, 2u * SPIN_N);
    int ok = atomic_counter == 2u * SPIN_N && locked_counter == 2u * SPIN_N;
    printf("%s spinlock\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}

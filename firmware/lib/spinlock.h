/*
 * spinlock.h - a test-and-set spinlock on LDREX/STREX (0 free, 1 held), for
 * the two-core programs (smp/) and the host's lock (host/main.c). The DMBs
 * order the critical section's accesses after the acquire and before the
 * release (ARM ARM A3.4, the exclusive monitors; A3.8.3, DMB).
 */
#ifndef HYPSIM_SPINLOCK_H
#define HYPSIM_SPINLOCK_H
#include <stdint.h>

static inline void dmb(void) { __asm__ volatile("dmb" ::: "memory"); }

static inline void spin_lock(volatile uint32_t *l)
{
    uint32_t v, fail;
    do {
        __asm__ volatile("1: ldrex %0, [%2]\n\t"
                         "   cmp   %0, #0\n\t"
                         "   bne   1b\n\t"
                         "   mov   %0, #1\n\t"
                         "   strex %1, %0, [%2]"
                         : "=&r"(v), "=&r"(fail) : "r"(l) : "memory", "cc");
    } while (fail);
    dmb();
}

static inline void spin_unlock(volatile uint32_t *l)
{
    dmb();
    *l = 0;
}

#endif

/*
 * smp.h - two-core bare-metal programs (firmware/smp/): PSCI over SMC as QEMU
 * -M virt,virtualization=on -smp 2 provides it (QEMU answers the SMC itself;
 * on the RTL the SoC's soc_psci answers it), the secondary entry, MPIDR, the
 * GICv2 registers the SGI programs use.
 *
 * Core 0 runs crt0 (Hyp, then main in SVC). Core 1 is powered off until core 0
 * calls PSCI CPU_ON; it enters smp_secondary_entry (smp_entry.S) in Hyp mode
 * with r0 = the context id, which these programs set to the top of core 1's
 * stack; smp_secondary_entry then calls secondary_main(context_id) in Hyp mode.
 */
#ifndef HYPSIM_SMP_H
#define HYPSIM_SMP_H
#include <stdint.h>
#include "spinlock.h"

#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_SUSPEND    0x84000001u
#define PSCI_CPU_OFF        0x84000002u
#define PSCI_CPU_ON         0x84000003u
#define PSCI_AFFINITY_INFO  0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u
#define PSCI_FEATURES       0x8400000au

#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON         (-4)

#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u
#define GICD_CTLR       0x000
#define GICD_ISENABLER0 0x100
#define GICD_SGIR       0xf00
#define GICC_CTLR 0x000
#define GICC_PMR  0x004
#define GICC_IAR  0x00c
#define GICC_EOIR 0x010

#define SMP_STACK_SIZE 0x1000

/* smp_entry.S */
int32_t psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);
void smp_secondary_entry(void);
/* the program's: runs on core 1 in Hyp mode, with its own stack */
void secondary_main(uint32_t context_id, uint32_t cpsr);
/* smp_lib.c */
extern uint8_t smp_stack1[SMP_STACK_SIZE];
int32_t smp_cpu_on(uint32_t mpidr, uint32_t context_id);   /* entry = smp_secondary_entry */
uint32_t smp_mpidr(void);
void smp_wait_flag(volatile uint32_t *flag, uint32_t value);
void smp_set_flag(volatile uint32_t *flag, uint32_t value);

static inline void mmio_write(uint32_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint32_t mmio_read(uint32_t addr) { return *(volatile uint32_t *)addr; }

#endif

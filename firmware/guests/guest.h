/*
 * guest.h - what every hypsim guest shares: the entry contract (entry.S),
 * PSCI over HVC, exception hooks, system-register accessors, checks.
 */
#ifndef HYPSIM_GUEST_H
#define HYPSIM_GUEST_H
#include <stdint.h>
#include "printf.h"
#include "uart.h"

/* 32-bit values are unsigned int here so that printf's %x/%u fit them
 * (uint32_t is unsigned long on arm-none-eabi) */
typedef unsigned int u32;
typedef unsigned long long u64;

/* each guest defines its name (printed in "<name>: PASS") */
extern const char guest_name[];

/* entry.S: main(r0, r1, dtb) runs in SVC mode; entry.S powers off after it */
int main(u32 r0, u32 r1, const void *dtb);

/* PSCI function ids (PSCI 1.1, SMC32 and SMC64 forms) */
#define PSCI_VERSION            0x84000000u
#define PSCI_CPU_SUSPEND        0x84000001u
#define PSCI_CPU_OFF            0x84000002u
#define PSCI_CPU_ON             0x84000003u
#define PSCI_AFFINITY_INFO      0x84000004u
#define PSCI_MIGRATE            0x84000005u
#define PSCI_MIGRATE_INFO_TYPE  0x84000006u
#define PSCI_MIGRATE_INFO_UP_CPU 0x84000007u
#define PSCI_SYSTEM_OFF         0x84000008u
#define PSCI_SYSTEM_RESET       0x84000009u
#define PSCI_FEATURES           0x8400000au
#define PSCI_64(fn)             ((fn) | 0x40000000u)

/* hvc #0 with r0-r3; returns r0 */
u32 psci_call(u32 fn, u32 a1, u32 a2, u32 a3);
/* PSCI SYSTEM_OFF; never returns */
void system_off(void) __attribute__((noreturn));

/*
 * Exceptions: entry.S's vector table (VBAR is set to it before main) saves
 * this frame on the mode's own stack and calls guest_exception(type, frame).
 * pc is the preferred return address: the UDF/SVC-following/aborting/
 * interrupted instruction (UDF: the UDF itself; SVC: the instruction after
 * it; data abort: the faulting instruction; IRQ: the next one to run).
 * The handler may change the frame; on return the registers and CPSR
 * (= spsr) are restored and execution resumes at pc.
 */
enum exc_type { EXC_UNDEF = 1, EXC_SVC = 2, EXC_PABT = 3, EXC_DABT = 4, EXC_IRQ = 6, EXC_FIQ = 7 };
struct exc_frame {
    u32 spsr;
    u32 pad;
    u32 r[13];
    u32 pc;
};
/* weak default: prints "<name>: FAIL unexpected <exc> at <pc>" and powers off */
void guest_exception(enum exc_type type, struct exc_frame *f);
void guest_unexpected(enum exc_type type, struct exc_frame *f) __attribute__((noreturn));
extern const char guest_vectors[];

/* checks: count failures, print the first ones */
extern int guest_failures;
void check_eq(const char *what, u32 got, u32 expected);
/* print "<name>: PASS" or "<name>: FAIL <n> checks" */
void guest_finish(void);

/* system registers */
#define MRC(op1, crn, crm, op2) ({ u32 v_; \
    __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_)); v_; })
#define MCR(op1, crn, crm, op2, v) \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"((u32)(v)) : "memory")
#define ISB() __asm__ volatile("isb" ::: "memory")
#define DSB() __asm__ volatile("dsb sy" ::: "memory")
#define WFI() __asm__ volatile("wfi" ::: "memory")
#define IRQ_ENABLE()  __asm__ volatile("cpsie i" ::: "memory")
#define IRQ_DISABLE() __asm__ volatile("cpsid i" ::: "memory")

static inline u32 read_cpsr(void)
{
    u32 v;
    __asm__ volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}

static inline u32 mmio_read(uintptr_t a) { return *(volatile u32 *)a; }
static inline void mmio_write(uintptr_t a, u32 v) { *(volatile u32 *)a = v; }

/* fdt.c: a small flattened-device-tree reader */
int fdt_check(const void *fdt);                 /* 0 if the header is sane */
/* the property's value and length (or NULL) of the node at path, e.g. "/chosen" */
const void *fdt_getprop(const void *fdt, const char *path, const char *prop, u32 *len);
/* number of direct children of path whose name (before '@') is base */
int fdt_count_children(const void *fdt, const char *path, const char *base);
u32 fdt_be32(const void *p);

#endif

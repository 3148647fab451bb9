/*
 * smc1.c - PSCI over SMC on one core, as QEMU -M virt,virtualization=on -smp 1 answers
 * it (QEMU is the firmware: every SMC from Hyp or a PL1 mode that HCR.TSC does not trap
 * is a PSCI call, whatever r0 holds; an id it does not implement reads -1). On the RTL
 * the one-core SoC's soc_psci answers (`hypsim run` without --smp), in lockstep with
 * QEMU (tests/test_smp.py test_smc1_*). Printed: every answer from Hyp mode (hyp_main,
 * before crt0 drops to SVC) and from SVC mode, the UNDEFINED SMC from User
 * mode, the HCR.TSC trap (HSR, ELR_hyp), a condition-failed SMC (no call); then
 * SYSTEM_OFF ends the run with status 0 ("not reached" is never printed).
 */
#include "smp.h"
#include "exc.h"
#include "printf.h"

#define MARK_UNDEF 0x0dead00du   /* r0 after an UNDEFINED SMC (the Undefined hook) */
#define MARK_TRAP  0x07a7a7a7u   /* r0 after a trapped SMC (the Hyp trap hook) */
#define HVC_SET_HCR 1u           /* hvc #0, r0 = HVC_SET_HCR, r1 = HCR */
#define HCR_TSC (1u << 19)

static volatile uint32_t undefs, svcs;
static volatile uint32_t trap_hsr, trap_elr, trap_count;

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
    for (;;)
        ;
}

void exc_undef_hook(struct exc_frame *f)     /* frame->pc: the instruction after */
{
    undefs++;
    f->r[0] = MARK_UNDEF;
}

void exc_svc_hook(struct exc_frame *f)       /* back from User to SVC mode */
{
    svcs++;
    f->cpsr = (f->cpsr & ~0x1fu) | 0x13u;
}

void hyp_exc_hook(struct exc_frame *f, int type)
{
    uint32_t hsr;
    __asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
    if (type == EXC_HYPTRAP && (hsr >> 26) == 0x12 && f->r[0] == HVC_SET_HCR) {
        __asm__ volatile("mcr p15, 4, %0, c1, c1, 0\n isb" :: "r"(f->r[1]) : "memory");
        return;                              /* ELR_hyp is after the HVC */
    }
    if (type == EXC_HYPTRAP && (hsr >> 26) == 0x13) {
        trap_hsr = hsr;
        trap_elr = f->pc;                    /* the SMC itself */
        trap_count++;
        f->r[0] = MARK_TRAP;
        f->pc += 4;
        return;
    }
    exc_unexpected(f, type, 1);
}

static void set_hcr(uint32_t hcr)
{
    register uint32_t r0 __asm__("r0") = HVC_SET_HCR;
    register uint32_t r1 __asm__("r1") = hcr;
    __asm__ volatile("hvc #0" : "+r"(r0) : "r"(r1) : "memory");
}

static const uint32_t non_psci[] = { 0x00000000u, 0x12345678u, 0x84000005u, 0x84000077u,
                                     0xc4000000u, 0xc4000003u, 0x86000000u, 0xffffffffu };

static void tour(const char *m, int32_t (*call)(uint32_t, uint32_t, uint32_t, uint32_t))
{
    printf("%s version %x\n", m, (unsigned)call(PSCI_VERSION, 0, 0, 0));
    printf("%s migrate_info_type %d\n", m, (int)call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    printf("%s features cpu_on %d system_off %d features %d 0x84000077 %d smc64 cpu_on %d\n", m,
           (int)call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), (int)call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0),
           (int)call(PSCI_FEATURES, PSCI_FEATURES, 0, 0), (int)call(PSCI_FEATURES, 0x84000077u, 0, 0),
           (int)call(PSCI_FEATURES, 0xc4000003u, 0, 0));
    printf("%s affinity_info(0) %d (1) %d (0x80000000) %d (1, level 1) %d\n", m,
           (int)call(PSCI_AFFINITY_INFO, 0, 0, 0), (int)call(PSCI_AFFINITY_INFO, 1, 0, 0),
           (int)call(PSCI_AFFINITY_INFO, 0x80000000u, 0, 0), (int)call(PSCI_AFFINITY_INFO, 1, 1, 0));
    printf("%s cpu_on(0) %d (1) %d (0x80000000) %d\n", m,
           (int)call(PSCI_CPU_ON, 0, (uint32_t)smp_secondary_entry, 0),
           (int)call(PSCI_CPU_ON, 1, (uint32_t)smp_secondary_entry, 0),
           (int)call(PSCI_CPU_ON, 0x80000000u, (uint32_t)smp_secondary_entry, 0));
    printf("%s cpu_suspend(0x20000) %d\n", m, (int)call(PSCI_CPU_SUSPEND, 0x20000u, 0, 0));
    for (unsigned i = 0; i < sizeof non_psci / sizeof non_psci[0]; i++)
        printf("%s r0 %08x -> %d\n", m, (unsigned)non_psci[i], (int)call(non_psci[i], 1, 2, 3));
    printf("%s undefs %u\n", m, (unsigned)undefs);
}

int hyp_main(void)
{
    tour("hyp", psci_call);
    return 0;
}

int main(void)
{
    tour("svc", psci_call);

    /* User mode: SMC is UNDEFINED there (not a PSCI call); svc #0 returns to SVC */
    register uint32_t r0 __asm__("r0") = PSCI_VERSION;
    __asm__ volatile(".arch_extension sec\n cps #0x10\n smc #0\n svc #0" : "+r"(r0) :: "r1", "r2", "r3", "memory");
    printf("usr smc -> %08x undefs %u svcs %u\n", (unsigned)r0, (unsigned)undefs, (unsigned)svcs);

    /* a condition-failed SMC is no call: r0 stays */
    r0 = PSCI_VERSION;
    __asm__ volatile(".arch_extension sec\n movs r1, #0\n smcne #0" : "+r"(r0) :: "r1", "cc", "memory");
    printf("smcne (Z set) r0 %08x\n", (unsigned)r0);

    /* HCR.TSC: the SMC from SVC traps to Hyp (EC 0x13) instead of calling PSCI */
    set_hcr(HCR_TSC);
    uint32_t v = (uint32_t)psci_call(PSCI_VERSION, 0, 0, 0);
    set_hcr(0);
    printf("tsc: r0 %08x traps %u hsr %08x elr at psci_call %d\n", (unsigned)v, (unsigned)trap_count,
           (unsigned)trap_hsr, trap_elr == (uint32_t)psci_call);
    printf("after tsc version %x\n", (unsigned)psci_call(PSCI_VERSION, 0, 0, 0));

    printf("system_off\n");
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    printf("not reached\n");
    return 1;
}

/*
 * smp - a two-CPU guest (QEMU virt -smp 2, or the hypsim hypervisor with
 * --vcpus 2): the CPU count in the DT, MPIDR; PSCI CPU_ON of CPU 1 with
 * bad targets first (INVALID_PARAMETERS, ALREADY_ON), then for real, and
 * the state CPU 1 enters with (r0-r3, SP, CPSR, SCTLR, its MPIDR);
 * AFFINITY_INFO before, during and after; an SGI ping-pong through
 * GICD_SGIR (TargetListFilter 0, 1 and 2, the source CPUID in GICC_IAR);
 * an atomic counter (LDREX/STREX) and a spinlock-protected counter that
 * both CPUs increment; an SGI that reaches CPU 1 while it spins with
 * interrupts unmasked (no WFI: a hypervisor running that vCPU on another
 * physical core must make the core exit to deliver it); CPU_OFF of CPU 1,
 * AFFINITY_INFO until it is OFF;
 * CPU 1 powered on a second time; then SYSTEM_OFF.
 *
 * Only CPU 0 prints: CPU 1 records what it saw and CPU 0 prints it after
 * it has waited for it, so the transcript does not depend on timing. CPU 0
 * does everything up to the ping-pong before it prints (CPU 1 starts early
 * in the run); it waits for CPU 1 with plain spins (under the hypervisor
 * the time slice ends them), CPU 1 waits for CPU 0 with WFE (SEV).
 * Interrupts are taken only in a `wfi; cpsie i; cpsid i` window, but for
 * that one spin.
 */
#include "gic.h"

const char guest_name[] = "smp";

#define ROUNDS  3
#define COUNT   400
#define SPIN_MAX 20000000

struct entry_state { u32 r[4], sp, cpsr, sctlr, mpidr; };

volatile struct entry_state sec_entry;          /* what CPU 1 entered with (secondary_entry) */
u32 sec_stack_svc[1024] __attribute__((aligned(8)));
u32 sec_stack_irq[512] __attribute__((aligned(8)));
static volatile u32 sec_up, sec_done, sec_go, sec_round, sec_self_iar;
static volatile u32 iar_log[2][ROUNDS + 1];     /* [cpu][n]: the SGI IARs each CPU took */
static volatile u32 taken[2], last_iar[2];
static volatile u32 atomic_count, locked_count, lock;

void secondary_entry(void);
__asm__(
    "    .text\n"
    "    .global secondary_entry\n"
    "    .type secondary_entry, %function\n"
    "secondary_entry:\n"
    "    ldr     r12, =sec_entry\n"
    "    stmia   r12, {r0-r3}\n"
    "    str     sp, [r12, #16]\n"
    "    mrs     r4, cpsr\n"
    "    str     r4, [r12, #20]\n"
    "    mrc     p15, 0, r4, c1, c0, 0\n"
    "    str     r4, [r12, #24]\n"
    "    mrc     p15, 0, r4, c0, c0, 5\n"
    "    str     r4, [r12, #28]\n"
    "    cpsid   aif, #0x12\n"
    "    ldr     sp, =sec_stack_irq + 2048\n"
    "    cpsid   aif, #0x13\n"
    "    ldr     sp, =sec_stack_svc + 4096\n"
    "    ldr     r4, =guest_vectors\n"
    "    mcr     p15, 0, r4, c12, c0, 0\n"
    "    isb\n"
    "    bl      secondary_main\n"
    "1:  b       1b\n"
    "    .size secondary_entry, . - secondary_entry\n");

static u32 cpu_id(void)
{
    return MRC(0, c0, c0, 5) & 0xff;
}

/* SGI handler on either CPU: log the IAR; CPU 1 answers CPU 0's ping */
void guest_exception(enum exc_type type, struct exc_frame *f)
{
    u32 iar, id, me = cpu_id();

    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    iar = mmio_read(GICC_IAR);
    id = iar & 0x3ff;
    if (id == IRQ_SPURIOUS)
        return;
    if (taken[me] < ROUNDS + 1)
        iar_log[me][taken[me]] = iar;
    last_iar[me] = iar;
    taken[me]++;
    mmio_write(GICC_EOIR, iar);
    if (me == 1 && id >= 1 && id <= ROUNDS) {
        /* pong: to CPU 0 by target list (even rounds) or "all but me" (odd) */
        u32 sgi = 8 + id;
        mmio_write(GICD_SGIR, (id & 1) ? (1u << 24) | sgi : (1u << 16) | sgi);
    }
}

static void irq_window(void)
{
    WFI();
    IRQ_ENABLE();
    ISB();
    IRQ_DISABLE();
}

static void atomic_inc(volatile u32 *p)
{
    u32 v, fail;

    do {
        __asm__ volatile("ldrex %0, [%2]\n\tadd %0, %0, #1\n\tstrex %1, %0, [%2]"
                         : "=&r"(v), "=&r"(fail) : "r"(p) : "memory");
    } while (fail);
}

static void spin_lock(volatile u32 *l)
{
    u32 v, fail;

    do {
        __asm__ volatile("ldrex %0, [%2]\n\tcmp %0, #0\n\tmovne %1, #1\n\t"
                         "strexeq %1, %3, [%2]"
                         : "=&r"(v), "=&r"(fail) : "r"(l), "r"(1u) : "cc", "memory");
    } while (fail);
    DSB();
}

static void spin_unlock(volatile u32 *l)
{
    DSB();
    *l = 0;
}

static void count(void)
{
    for (int i = 0; i < COUNT; i++) {
        atomic_inc(&atomic_count);
        spin_lock(&lock);
        u32 v = locked_count;
        __asm__ volatile("" ::: "memory");
        locked_count = v + 1;
        spin_unlock(&lock);
    }
}

void secondary_main(void);
void secondary_main(void)
{
    mmio_write(GICC_PMR, 0xf0);         /* CPU 1's own (banked) CPU interface */
    mmio_write(GICC_CTLR, 1);
    DSB();
    sec_up = 1;
    /* the ping-pong: every ping from CPU 0 is answered from the handler */
    while (taken[1] < ROUNDS)
        irq_window();
    /* an SGI to itself (TargetListFilter 2) */
    mmio_write(GICD_SGIR, SGIR_SELF | 7);
    while (taken[1] < ROUNDS + 1)
        irq_window();
    sec_self_iar = iar_log[1][ROUNDS];
    while (!sec_go)
        __asm__ volatile("wfe" ::: "memory");   /* CPU 0 prints meanwhile; it sends SEV */
    count();
    DSB();
    sec_done = 1;
    /* spin with interrupts unmasked until CPU 0's SGI 5 arrives */
    IRQ_ENABLE();
    while (taken[1] < ROUNDS + 2)
        ;
    IRQ_DISABLE();
    DSB();
    sec_done = 3;
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
    printf("smp: FAIL CPU_OFF returned\n");
}

/* CPU 1 powered on again: only its r0 and MPIDR are recorded (secondary_entry), then off */
void secondary_again(void);
__asm__(
    "    .text\n"
    "    .global secondary_again\n"
    "    .type secondary_again, %function\n"
    "secondary_again:\n"
    "    ldr     r12, =sec_entry\n"
    "    str     r0, [r12]\n"
    "    mrc     p15, 0, r4, c0, c0, 5\n"
    "    str     r4, [r12, #28]\n"
    "    dsb\n"
    "    ldr     r12, =sec_done\n"
    "    mov     r4, #2\n"
    "    str     r4, [r12]\n"
    "    dsb\n"
    "    movw    r0, #0x0002\n"
    "    movt    r0, #0x8400\n"
    "    hvc     #0\n"
    "1:  b       1b\n"
    "    .size secondary_again, . - secondary_again\n");

static int spin_until(volatile u32 *flag, u32 value)
{
    for (int i = 0; i < SPIN_MAX; i++)
        if (*flag == value)
            return 1;
    printf("smp: FAIL timed out waiting for CPU 1\n");
    return 0;
}

static int affinity(u32 target)
{
    return (int)psci_call(PSCI_AFFINITY_INFO, target, 0, 0);
}

static int wait_off(u32 target)
{
    int r = 0;

    for (int i = 0; i < 100000; i++)
        if ((r = affinity(target)) == 1)
            break;
    return r;
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 len, mpidr0;
    const char *method;
    int aff0, aff1, aff_lvl1, on2, on8, on0, on1, aff1_up, on1_again;

    (void)r0; (void)r1;
    /* first everything up to the ping-pong, quietly (CPU 1 starts early), then the results */
    mpidr0 = MRC(0, c0, c0, 5);
    aff0 = affinity(0);
    aff1 = affinity(1);
    aff_lvl1 = (int)psci_call(PSCI_AFFINITY_INFO, 1, 1, 0);   /* lowest affinity level 1 */
    on2 = (int)psci_call(PSCI_CPU_ON, 2, (u32)secondary_entry, 0);
    on8 = (int)psci_call(PSCI_CPU_ON, 0x80000001u, (u32)secondary_entry, 0);
    on0 = (int)psci_call(PSCI_CPU_ON, 0, (u32)secondary_entry, 0);
    gic_init();
    on1 = (int)psci_call(PSCI_CPU_ON, 1, (u32)secondary_entry, 0x12345678u);
    if (on1 != 0 || !spin_until(&sec_up, 1)) {
        printf("smp: FAIL CPU_ON(1) = %d\n", on1);
        return 1;
    }
    aff1_up = affinity(1);
    on1_again = (int)psci_call(PSCI_CPU_ON, 1, (u32)secondary_entry, 0);

    /* SGI ping-pong: ping i by target list (filter 0), CPU 1 answers 8 + i */
    for (u32 i = 0; i < ROUNDS; i++) {
        u32 want = taken[0] + 1;
        mmio_write(GICD_SGIR, (2u << 16) | (1 + i));
        for (int n = 0; taken[0] < want && n < 100000; n++)
            irq_window();
    }
    mmio_write(GICD_SGIR, SGIR_SELF | 6);
    for (int n = 0; taken[0] < ROUNDS + 1 && n < 100000; n++)
        irq_window();
    for (int n = 0; !sec_self_iar && n < SPIN_MAX; n++)
        ;

    printf("smp: dt /cpus: %d cpu nodes\n", fdt_count_children(dtb, "/cpus", "cpu"));
    method = fdt_getprop(dtb, "/psci", "method", &len);
    printf("smp: psci method %s\n", method ? method : "(none)");
    printf("smp: cpu0 MPIDR 0x%08x\n", mpidr0);
    printf("smp: AFFINITY_INFO(0) = %d, AFFINITY_INFO(1) = %d, AFFINITY_INFO(1, level 1) = %d\n", aff0, aff1,
           aff_lvl1);
    printf("smp: CPU_ON(2) = %d, CPU_ON(0x80000001) = %d, CPU_ON(0) = %d\n", on2, on8, on0);
    printf("smp: CPU_ON(1) = %d\n", on1);
    printf("smp: cpu1 entered with r0 0x%08x r1 0x%x r2 0x%x r3 0x%x sp 0x%x\n", sec_entry.r[0],
           sec_entry.r[1], sec_entry.r[2], sec_entry.r[3], sec_entry.sp);
    printf("smp: cpu1 CPSR 0x%08x SCTLR 0x%08x MPIDR 0x%08x\n", sec_entry.cpsr, sec_entry.sctlr,
           sec_entry.mpidr);
    printf("smp: AFFINITY_INFO(1) = %d, CPU_ON(1) again = %d\n", aff1_up, on1_again);
    printf("smp: SGI IARs cpu1");
    for (u32 i = 0; i < ROUNDS + 1; i++)
        printf(" 0x%03x", iar_log[1][i]);
    printf(", cpu0");
    for (u32 i = 0; i < ROUNDS + 1; i++)
        printf(" 0x%03x", iar_log[0][i]);
    printf("\n");

    /* both CPUs count */
    DSB();
    sec_go = 1;
    DSB();
    __asm__ volatile("sev" ::: "memory");
    count();
    if (!spin_until(&sec_done, 1))
        return 1;
    printf("smp: atomic counter %u, locked counter %u (2 x %d)\n", atomic_count, locked_count, COUNT);
    mmio_write(GICD_SGIR, (2u << 16) | 5);
    if (!spin_until(&sec_done, 3))
        return 1;
    printf("smp: cpu1 took IAR 0x%03x while it spun with interrupts unmasked\n", last_iar[1]);
    printf("smp: cpu1 CPU_OFF, AFFINITY_INFO(1) = %d\n", wait_off(1));

    /* power CPU 1 on again: it records r0 and powers off */
    sec_entry.r[0] = 0;
    printf("smp: CPU_ON(1) = %d\n", (int)psci_call(PSCI_CPU_ON, 1, (u32)secondary_again, 0xcafe0001u));
    if (!spin_until(&sec_done, 2))
        return 1;
    printf("smp: cpu1 again: r0 0x%08x MPIDR 0x%08x, AFFINITY_INFO(1) = %d\n", sec_entry.r[0],
           sec_entry.mpidr, wait_off(1));
    guest_finish();
    return 0;
}

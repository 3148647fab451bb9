/*
 * stress.c - a random two-core stress (issue 14) whose end state does not depend
 * on the interleaving of the cores. Both cores run STRESS_ROUNDS rounds with the
 * stage-1 MMU on (LPAE, one set of tables for both; core 1 drops from Hyp to SVC
 * first); each core draws its operations from its own xorshift32 stream seeded
 * from STRESS_SEED (baked in at build time: make -C firmware smp STRESS_SEED=n).
 * A round is:
 *   1. random read-modify-writes: LDREX/STREX adds to shared words (both cores on
 *      one word), to per-core words that share an 8-byte reservation granule with
 *      the other core's word (own[c][k], adjacent), to per-core words in granules
 *      of their own (far[c]), an LDREXD/STREXD add to a shared doubleword, and a
 *      plain add under a spinlock built on LDREX/STREX. Each core also sums what it
 *      added in private variables; the totals expected are those sums.
 *   2. SGI ping-pong through GICD_SGIR: core 0 sends a random SGI (0-15) to core
 *      1, core 1 answers with one of its own; each polls its GICC_IAR (interrupts
 *      masked) and records the ID and the source CPU.
 *   3. TLB maintenance broadcast while the other core translates: core 0 picks a
 *      test VA and a new physical page; core 1 reads through the VA (its TLB now
 *      holds the old mapping) and keeps reading it; core 0 rewrites the level-3
 *      descriptor (a non-global page, ASID 0), DSB, one of TLBIMVAIS, TLBIMVAAIS,
 *      TLBIASIDIS, TLBIALLIS (random), DSB, ISB, reads the VA itself, then raises a
 *      flag; core 1, after seeing the flag, reads the VA once more: it must see
 *      the new page's tag. A TLB the TLBIMVAIS did not reach (HYPSIM_SMP_FAULT=tlbi)
 *      gives the old page's tag: core 0 prints the stale value at the end.
 * Only core 0 prints, after core 1 has turned itself off (CPU_OFF).
 */
#include "smp.h"
#include "printf.h"
#include "lpae.h"

#ifndef STRESS_SEED
#define STRESS_SEED 0x2545f491u
#endif
#ifndef STRESS_ROUNDS
#define STRESS_ROUNDS 12
#endif
#define NSHARED 4          /* shared counter words, one granule (8 bytes) each */
#define NOWN    2          /* per-core words sharing a granule with the other core's */
#define NVA     2          /* test pages at TEST_VA + i * 4 KB */
#define NPAGE   4          /* physical pages they map to */
#define TEST_VA 0x80000000u
#define TAG(p, r) (0x7a600000u | ((uint32_t)(p) << 8) | (uint32_t)(r))

/* ---------------------------------------------------------------- shared state */
static volatile uint32_t shared[NSHARED][2] __attribute__((aligned(8)));      /* word [k][0] */
static volatile uint32_t own[NOWN][2] __attribute__((aligned(8)));            /* own[k][core] */
static volatile uint32_t far[2][16] __attribute__((aligned(64)));             /* far[core][0] */
static volatile uint64_t dword __attribute__((aligned(8)));
static volatile uint32_t lock, locked;
/* per-core sums of what each core added (written by that core only) */
static volatile uint32_t add_shared[2][NSHARED], add_own[2][NOWN], add_far[2], add_locked[2];
static volatile uint64_t add_dword[2];
/* SGIs each core received: count, sum of IDs, sum of source CPUs, ID xor-folded */
static volatile uint32_t sgi_n[2], sgi_sum[2], sgi_src[2], sgi_mix[2];
/* handshakes (monotonic stage numbers), the remap published by core 0 */
static volatile uint32_t stage, ack, remap_va, c1_done;
static volatile uint32_t c1_before[STRESS_ROUNDS], c1_after[STRESS_ROUNDS], c0_after[STRESS_ROUNDS];
static volatile uint32_t exp_before[STRESS_ROUNDS], exp_after[STRESS_ROUNDS], rva[STRESS_ROUNDS];
static volatile uint32_t rop[STRESS_ROUNDS];
static volatile uint32_t c1_reads;   /* core 1's reads while waiting (not printed: timing) */

/* translation tables: L1 (4 x 1 GB), an L2 and an L3 table for TEST_VA */
static uint64_t l1[4] __attribute__((aligned(32)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static volatile uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint32_t pages[NPAGE][1024] __attribute__((aligned(4096)));
static uint32_t cur_page[NVA];        /* core 0's view of the mapping */
static uint32_t tlbi_ops[4];          /* MVAIS, MVAAIS, ASIDIS, ALLIS issued */
static const char *const tlbi_name[4] = {"TLBIMVAIS", "TLBIMVAAIS", "TLBIASIDIS", "TLBIALLIS"};
static uint8_t c1_stack_svc[SMP_STACK_SIZE] __attribute__((aligned(16)));

/* ---------------------------------------------------------------- helpers */
static uint32_t rnd(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }

static void atomic_add(volatile uint32_t *p, uint32_t n)
{
    uint32_t v, fail;
    do {
        __asm__ volatile("ldrex %0, [%2]\n\t"
                         "add   %0, %0, %3\n\t"
                         "strex %1, %0, [%2]"
                         : "=&r"(v), "=&r"(fail) : "r"(p), "r"(n) : "memory");
    } while (fail);
}

static void atomic_add64(volatile uint64_t *p, uint32_t n)
{
    uint64_t v;
    uint32_t fail;
    do {
        __asm__ volatile("ldrexd %0, %H0, [%2]\n\t"
                         "adds   %Q0, %Q0, %3\n\t"
                         "adc    %R0, %R0, #0\n\t"
                         "strexd %1, %0, %H0, [%2]"
                         : "=&r"(v), "=&r"(fail) : "r"(p), "r"(n) : "memory", "cc");
    } while (fail);
}

static void wait_ge(volatile uint32_t *p, uint32_t v)
{
    while (*p < v)
        ;
    dmb();
}

static void mmu_on(void)
{
    __asm__ volatile("mcr p15, 0, %0, c10, c2, 0" :: "r"(MAIR0_VAL));        /* MAIR0 */
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" :: "r"(TTBCR_EAE));         /* TTBCR: EAE, T0SZ 0 */
    __asm__ volatile("mcrr p15, 0, %0, %1, c2" :: "r"((uint32_t)l1), "r"(0u)); /* TTBR0, ASID 0 */
    isb();
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" :: "r"(sctlr | SCTLR_M));
    isb();
}

static void tables_init(void)
{
    l1[0] = 0x00000000u | D_BLOCK | DEVICE | ((uint64_t)(DH_XN) << 32);    /* GIC, UART */
    l1[1] = 0x40000000u | D_BLOCK | NORMAL;                                /* RAM, identity */
    l1[2] = (uint32_t)l2 | D_TABLE;
    l2[0] = (uint32_t)l3 | D_TABLE;
    for (int p = 0; p < NPAGE; p++)
        pages[p][0] = TAG(p, 0);
    for (int v = 0; v < NVA; v++) {
        cur_page[v] = v;
        l3[v] = (uint32_t)pages[v] | D_PAGE | NORMAL | D_NG;
    }
    dsb();
}

static uint32_t read_va(uint32_t v)
{
    return *(volatile uint32_t *)(TEST_VA + v * 4096u);
}

static void gic_cpu_on(void)
{
    mmio_write(GICD_BASE + GICD_ISENABLER0, 0x0000ffffu);   /* SGIs 0-15, banked */
    mmio_write(GICC_BASE + GICC_PMR, 0xff);
    mmio_write(GICC_BASE + GICC_CTLR, 1);
}

static void sgi_take(int core)
{
    uint32_t iar;
    do {
        iar = mmio_read(GICC_BASE + GICC_IAR);
    } while ((iar & 0x3ff) == 1023);
    mmio_write(GICC_BASE + GICC_EOIR, iar);
    sgi_n[core]++;
    sgi_sum[core] += iar & 0x3ff;
    sgi_src[core] += (iar >> 10) & 7;
    sgi_mix[core] = (sgi_mix[core] << 3 | sgi_mix[core] >> 29) ^ (iar & 0x1fff);
}

static void sgi_send(uint32_t target_core, uint32_t id)
{
    dsb();
    mmio_write(GICD_BASE + GICD_SGIR, (1u << (16 + target_core)) | (id & 15));
}

/* step 1 of a round: random read-modify-writes, their sums kept per core */
static void rmw_burst(int c, uint32_t *s)
{
    uint32_t n = 1 + rnd(s) % 8;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = rnd(s), amount = 1 + (r >> 8) % 255;
        switch (r % 5) {
        case 0: {
            uint32_t k = (r >> 4) % NSHARED;
            atomic_add(&shared[k][0], amount);
            add_shared[c][k] += amount;
            break;
        }
        case 1: {
            uint32_t k = (r >> 4) % NOWN;
            atomic_add(&own[k][c], amount);
            add_own[c][k] += amount;
            break;
        }
        case 2:
            atomic_add(&far[c][0], amount);
            add_far[c] += amount;
            break;
        case 3:
            atomic_add64(&dword, amount << 24);
            add_dword[c] += (uint64_t)(amount << 24);
            break;
        default:
            spin_lock(&lock);
            locked = locked + amount;
            spin_unlock(&lock);
            add_locked[c] += amount;
            break;
        }
    }
}

/* ---------------------------------------------------------------- core 1 (SVC, after smp_to_svc) */
void core1_svc_main(void);
__asm__(".arch_extension virt\n"
        ".text\n.arm\n"
        ".global smp_to_svc\n"
        ".type smp_to_svc, %function\n"
        "smp_to_svc:\n"            /* r0 = SP_svc, r1 = entry: ERET to SVC, A/I/F masked */
        "   msr  SP_svc, r0\n"
        "   mov  r2, #0x1d3\n"
        "   msr  SPSR_cxsf, r2\n"
        "   msr  ELR_hyp, r1\n"
        "   eret\n"
        ".size smp_to_svc, . - smp_to_svc\n");
void smp_to_svc(uint32_t sp, void (*entry)(void)) __attribute__((noreturn));

void secondary_main(uint32_t context_id, uint32_t cpsr)
{
    (void)context_id;
    (void)cpsr;
    smp_to_svc((uint32_t)c1_stack_svc + SMP_STACK_SIZE, core1_svc_main);
}

void core1_svc_main(void)
{
    uint32_t s = STRESS_SEED ^ 0x9e3779b9u;
    mmu_on();
    gic_cpu_on();
    smp_set_flag(&ack, 1);
    for (uint32_t r = 0; r < STRESS_ROUNDS; r++) {
        uint32_t base = 3 * r + 2;     /* this round's stages: base, base + 1, base + 2 */
        wait_ge(&stage, base);
        rmw_burst(1, &s);
        /* SGI ping-pong: core 0's SGI, then one of ours back */
        sgi_take(1);
        sgi_send(0, rnd(&s));
        /* TLBI IS while we translate */
        wait_ge(&stage, base + 1);
        uint32_t v = remap_va;
        c1_before[r] = read_va(v);                 /* the old mapping, now in our TLB */
        smp_set_flag(&ack, base + 1);
        while (stage < base + 2) {
            (void)read_va(v);
            c1_reads++;
        }
        dmb();
        c1_after[r] = read_va(v);
        smp_set_flag(&ack, base + 2);
    }
    smp_set_flag(&c1_done, 1);
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

/* ---------------------------------------------------------------- core 0 */
static int check(const char *what, int idx, uint32_t got, uint32_t exp)
{
    if (idx >= 0)
        printf("%s[%d] %u (expected %u)%s\n", what, idx, (unsigned)got, (unsigned)exp,
               got == exp ? "" : " MISMATCH");
    else
        printf("%s %u (expected %u)%s\n", what, (unsigned)got, (unsigned)exp, got == exp ? "" : " MISMATCH");
    return got == exp;
}

int main(void)
{
    uint32_t s = STRESS_SEED;
    printf("stress: seed 0x%08x, %d rounds, MMU on, a TLBI IS per round\n", (unsigned)STRESS_SEED,
           STRESS_ROUNDS);
    tables_init();
    mmu_on();
    mmio_write(GICD_BASE + GICD_CTLR, 1);
    gic_cpu_on();
    printf("cpu_on(1) %d\n", (int)smp_cpu_on(1, (uint32_t)smp_stack1 + SMP_STACK_SIZE));
    wait_ge(&ack, 1);
    for (uint32_t r = 0; r < STRESS_ROUNDS; r++) {
        uint32_t base = 3 * r + 2;
        smp_set_flag(&stage, base);
        rmw_burst(0, &s);
        sgi_send(1, rnd(&s));
        sgi_take(0);
        /* remap a test VA to another page, with a fresh tag */
        uint32_t v = rnd(&s) % NVA;
        uint32_t p = (cur_page[v] + 1 + rnd(&s) % (NPAGE - 1)) % NPAGE;
        exp_before[r] = pages[cur_page[v]][0];
        pages[p][0] = TAG(p, r + 1);
        exp_after[r] = TAG(p, r + 1);
        remap_va = v;
        rva[r] = v;
        smp_set_flag(&stage, base + 1);
        wait_ge(&ack, base + 1);                   /* core 1 translated the old mapping */
        l3[v] = (uint32_t)pages[p] | D_PAGE | NORMAL | D_NG;
        dsb();
        uint32_t op = rnd(&s) % 4, va = TEST_VA + v * 4096u;    /* ASID 0 in VA[7:0] */
        tlbi_ops[op]++;
        rop[r] = op;
        switch (op) {
        case 0:  __asm__ volatile("mcr p15, 0, %0, c8, c3, 1" :: "r"(va) : "memory"); break;   /* TLBIMVAIS */
        case 1:  __asm__ volatile("mcr p15, 0, %0, c8, c3, 3" :: "r"(va) : "memory"); break;   /* TLBIMVAAIS */
        case 2:  __asm__ volatile("mcr p15, 0, %0, c8, c3, 2" :: "r"(0u) : "memory"); break;   /* TLBIASIDIS */
        default: __asm__ volatile("mcr p15, 0, %0, c8, c3, 0" :: "r"(0u) : "memory"); break;   /* TLBIALLIS */
        }
        dsb();
        isb();
        cur_page[v] = p;
        c0_after[r] = read_va(v);
        smp_set_flag(&stage, base + 2);
        wait_ge(&ack, base + 2);
    }
    wait_ge(&c1_done, 1);
    while (psci_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
        ;

    int ok = 1;
    for (int k = 0; k < NSHARED; k++)
        ok &= check("shared", k, shared[k][0], add_shared[0][k] + add_shared[1][k]);
    for (int k = 0; k < NOWN; k++) {
        ok &= check("own core0", k, own[k][0], add_own[0][k]);
        ok &= check("own core1", k, own[k][1], add_own[1][k]);
    }
    ok &= check("far core0", -1, far[0][0], add_far[0]);
    ok &= check("far core1", -1, far[1][0], add_far[1]);
    ok &= check("locked", -1, locked, add_locked[0] + add_locked[1]);
    uint64_t dexp = add_dword[0] + add_dword[1];
    ok &= check("dword hi", -1, (uint32_t)(dword >> 32), (uint32_t)(dexp >> 32));
    ok &= check("dword lo", -1, (uint32_t)dword, (uint32_t)dexp);
    for (int c = 0; c < 2; c++)
        printf("sgi core%d: %u taken, id sum %u, source sum %u, mix 0x%08x\n", c, (unsigned)sgi_n[c],
               (unsigned)sgi_sum[c], (unsigned)sgi_src[c], (unsigned)sgi_mix[c]);
    ok &= sgi_n[0] == STRESS_ROUNDS && sgi_n[1] == STRESS_ROUNDS && sgi_src[0] == STRESS_ROUNDS && sgi_src[1] == 0;
    uint32_t stale = 0, bad_before = 0, bad_own = 0, sum = 0;
    for (uint32_t r = 0; r < STRESS_ROUNDS; r++) {
        sum += c1_after[r];
        if (c1_before[r] != exp_before[r])
            bad_before++;
        if (c0_after[r] != exp_after[r])
            bad_own++;
        if (c1_after[r] != exp_after[r]) {
            if (stale++ == 0)
                printf("stale: round %u core 1 read 0x%08x through VA 0x%08x after %s, expected 0x%08x\n",
                       (unsigned)r, (unsigned)c1_after[r], (unsigned)(TEST_VA + rva[r] * 4096u),
                       tlbi_name[rop[r]], (unsigned)exp_after[r]);
        }
    }
    printf("tlbi: %u TLBIMVAIS, %u TLBIMVAAIS, %u TLBIASIDIS, %u TLBIALLIS\n", (unsigned)tlbi_ops[0],
           (unsigned)tlbi_ops[1], (unsigned)tlbi_ops[2], (unsigned)tlbi_ops[3]);
    printf("remap: %d rounds, core 1 stale %u, core 1 before wrong %u, core 0 wrong %u, tag sum 0x%08x\n",
           STRESS_ROUNDS, (unsigned)stale, (unsigned)bad_before, (unsigned)bad_own, (unsigned)sum);
    ok &= stale == 0 && bad_before == 0 && bad_own == 0;
    printf("%s stress\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}

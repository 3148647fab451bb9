/*
 * cp15 - the system registers a guest kernel touches at boot: CSSELR write
 * and read back (CCSIDR per level), CONTEXTIDR, TPIDRURW/TPIDRURO/TPIDRPRW
 * round trips, VBAR, a DCCISW (clean and invalidate by set/way) loop over a
 * few sets and ways, an ACTLR read (only that it returns), CLIDR/CTR reads,
 * then an UNDEFINED instruction (UDF) and an SVC taken by the guest's own
 * handlers, with the right return address, SPSR mode and handler mode.
 * Implementation-defined values (cache geometry, ACTLR) are not printed.
 */
#include "guest.h"

const char guest_name[] = "cp15";

static volatile int undef_taken, svc_taken;
static volatile u32 exc_pc, exc_spsr, exc_mode, exc_imm;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type == EXC_UNDEF) {
        undef_taken++;
        exc_pc = f->pc;
        exc_spsr = f->spsr;
        exc_mode = read_cpsr() & 0x1f;
        exc_imm = *(volatile u32 *)(uintptr_t)f->pc;    /* the instruction */
        f->pc += 4;
        f->r[0] = 0x0def0def;       /* visible to the interrupted code */
        return;
    }
    if (type == EXC_SVC) {
        svc_taken++;
        exc_pc = f->pc;             /* the instruction after the SVC */
        exc_spsr = f->spsr;
        exc_mode = read_cpsr() & 0x1f;
        exc_imm = *(volatile u32 *)(uintptr_t)(f->pc - 4) & 0xffffff;
        f->r[0] += 1;
        return;
    }
    guest_unexpected(type, f);
}

static void roundtrip(const char *name, u32 got, u32 wrote)
{
    printf("%s: wrote 0x%08x, read %s\n", name, wrote, got == wrote ? "it back" : "something else");
    check_eq(name, got, wrote);
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 v, clidr, ctr, ccsidr, sets, ways, lshift, wshift, ops = 0;
    extern const char cp15_udf[], cp15_svc_next[];

    (void)r0;
    (void)r1;
    (void)dtb;
    printf("cp15: boot-time system registers\n");

    /* cache identification: CLIDR, CTR, CSSELR -> CCSIDR */
    clidr = MRC(1, c0, c0, 1);
    ctr = MRC(0, c0, c0, 1);
    printf("ctr format %u (armv7), clidr read\n", ctr >> 29);
    check_eq("CTR format", ctr >> 29, 4);
    MCR(2, c0, c0, 0, 0);           /* CSSELR: level 1 data */
    ISB();
    roundtrip("csselr l1 data", MRC(2, c0, c0, 0), 0);
    ccsidr = MRC(1, c0, c0, 0);
    MCR(2, c0, c0, 0, 1);           /* level 1 instruction */
    ISB();
    roundtrip("csselr l1 instruction", MRC(2, c0, c0, 0), 1);
    if ((clidr >> 3) & 7) {         /* CLIDR.Ctype2: a level 2 cache exists */
        MCR(2, c0, c0, 0, 2);
        ISB();
        roundtrip("csselr l2", MRC(2, c0, c0, 0), 2);
    } else {
        printf("csselr l2: no level 2 cache\n");
    }
    MCR(2, c0, c0, 0, 0);
    ISB();

    /* DCCISW over (at most) 4 sets x 2 ways of level 1, as v7_flush_dcache_all does */
    lshift = (ccsidr & 7) + 4;
    ways = ((ccsidr >> 3) & 0x3ff) + 1;
    sets = ((ccsidr >> 13) & 0x7fff) + 1;
    wshift = ways > 1 ? (u32)__builtin_clz(ways - 1) : 0;
    for (u32 w = 0; w < ways && w < 2; w++)
        for (u32 s = 0; s < sets && s < 4; s++) {
            MCR(0, c7, c14, 2, (w << wshift) | (s << lshift) | (0 << 1));
            ops++;
        }
    DSB();
    ISB();
    printf("dccisw: %s\n", ops ? "done" : "no sets");
    check_eq("dccisw ops", ops > 0, 1);

    /* thread and context ID registers */
    MCR(0, c13, c0, 1, 0x12345601u);
    ISB();
    roundtrip("contextidr", MRC(0, c13, c0, 1), 0x12345601u);
    MCR(0, c13, c0, 2, 0xa5a5f00du);
    roundtrip("tpidrurw", MRC(0, c13, c0, 2), 0xa5a5f00du);
    MCR(0, c13, c0, 3, 0x5a5a0ff1u);
    roundtrip("tpidruro", MRC(0, c13, c0, 3), 0x5a5a0ff1u);
    MCR(0, c13, c0, 4, 0xc0ffee00u);
    roundtrip("tpidrprw", MRC(0, c13, c0, 4), 0xc0ffee00u);
    v = MRC(0, c12, c0, 0);         /* entry.S set it */
    printf("vbar: %s\n", v == (u32)(uintptr_t)guest_vectors ? "the guest's vectors" : "wrong");
    check_eq("vbar", v, (u32)(uintptr_t)guest_vectors);

    v = MRC(0, c1, c0, 1);          /* ACTLR: implementation defined */
    (void)v;
    printf("actlr: read returned\n");

    /* UDF: undefined instruction exception to the guest's own vector */
    __asm__ volatile("mov r0, #0\n\t"
                     ".global cp15_udf\n"
                     "cp15_udf:\n\t"
                     "udf #0x1234\n\t"
                     "mov %0, r0" : "=r"(v) :: "r0", "memory");
    printf("udf: %d undefined instruction exception, from mode 0x%x to mode 0x%x, "
           "return address %s, encoding 0x%08x\n", undef_taken, exc_spsr & 0x1f, exc_mode,
           exc_pc == (u32)(uintptr_t)cp15_udf ? "= udf" : "wrong", exc_imm);
    check_eq("undef taken", undef_taken, 1);
    check_eq("undef spsr mode", exc_spsr & 0x1f, 0x13);
    check_eq("undef handler mode", exc_mode, 0x1b);
    check_eq("undef pc", exc_pc, (u32)(uintptr_t)cp15_udf);
    check_eq("undef encoding", exc_imm, 0xe7f123f4u);
    check_eq("handler's r0", v, 0x0def0def);

    /* SVC: supervisor call from SVC mode */
    __asm__ volatile("mov r0, #41\n\t"
                     "svc #0x42\n\t"
                     ".global cp15_svc_next\n"
                     "cp15_svc_next:\n\t"
                     "mov %0, r0" : "=r"(v) :: "r0", "lr", "memory");
    printf("svc #0x%x: %d supervisor call, return address %s, r0 %u\n", exc_imm, svc_taken,
           exc_pc == (u32)(uintptr_t)cp15_svc_next ? "= next" : "wrong", v);
    check_eq("svc taken", svc_taken, 1);
    check_eq("svc spsr mode", exc_spsr & 0x1f, 0x13);
    check_eq("svc handler mode", exc_mode, 0x13);
    check_eq("svc imm", exc_imm, 0x42);
    check_eq("svc r0", v, 42);
    guest_finish();
    return 0;
}

/*
 * mmu - the guest's own LPAE stage 1 (TTBCR.EAE = 1, MAIR0, TTBR0):
 *   VA 0x00000000-0x3fffffff  level-2 table: 0x09000000 (one 4 KB page) -> UART
 *   VA 0x40000000-...         RAM identity-mapped with 2 MB blocks (size from the DT)
 *   VA 0x60000000             a 4 KB alias of a RAM page (alias_page)
 *   VA 0x60001000             a 4 KB alias of the UART
 *   VA 0x60002000             invalid level-3 entry (translation fault, level 3)
 *   VA 0x80000000-0xffffffff  invalid level-1 entries (translation fault, level 1)
 * It prints through the UART alias, reads and writes RAM through its alias,
 * translates with ATS1CPR, takes two data aborts in its own handler (DFSR in
 * the long-descriptor format, DFAR), then turns the MMU off again.
 */
#include "guest.h"
#include "stage1.h"

const char guest_name[] = "mmu";


#define VA_RAM_ALIAS  0x60000000u
#define VA_UART_ALIAS 0x60001000u
#define VA_HOLE_L3    0x60002000u
#define VA_HOLE_L1    0xc0000000u

static u64 l1[4] __attribute__((aligned(32)));
static u64 l2_low[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3_dev[512] __attribute__((aligned(4096)));
static u64 l3_alias[512] __attribute__((aligned(4096)));
static volatile u32 alias_page[1024] __attribute__((aligned(4096)));

static volatile int aborts;
static volatile u32 abort_dfsr, abort_dfar;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type == EXC_DABT) {
        aborts++;
        abort_dfsr = MRC(0, c5, c0, 0);
        abort_dfar = MRC(0, c6, c0, 0);
        f->pc += 4;                 /* skip the access */
        return;
    }
    guest_unexpected(type, f);
}

static void alias_puts(const char *s)
{
    volatile u32 *uart = (volatile u32 *)VA_UART_ALIAS;

    for (; *s; s++) {
        while (uart[UART_FR / 4] & UART_FR_TXFF)
            ;
        uart[UART_DR / 4] = (u32)(unsigned char)*s;
    }
}

/* one access that may abort: the handler skips it, r stays 0xdeadbeef */
static u32 probe_read(u32 va)
{
    u32 v;
    __asm__ volatile("movw %0, #0xbeef\n\tmovt %0, #0xdead\n\tldr %0, [%1]"
                     : "=&r"(v) : "r"(va) : "memory");
    return v;
}

static void probe_write(u32 va, u32 v)
{
    __asm__ volatile("str %0, [%1]" :: "r"(v), "r"(va) : "memory");
}

static void report_abort(const char *what, u32 va, u32 expect_fsr)
{
    printf("%s: %d data abort, dfsr status 0x%02x lpae %u wnr %u, dfar %s\n", what, aborts,
           abort_dfsr & 0x3f, (abort_dfsr >> 9) & 1, (abort_dfsr >> 11) & 1,
           abort_dfar == va ? "= va" : "!= va");
    check_eq(what, aborts, 1);
    check_eq("dfsr", abort_dfsr & (0x3f | FSR_LPAE | FSR_WNR), expect_fsr);
    check_eq("dfar", abort_dfar, va);
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 mem = 4u << 20, len = 0, v, par_lo, par_hi;
    const unsigned char *reg;

    (void)r0;
    (void)r1;
    printf("mmu: the guest's own LPAE stage 1\n");
    reg = fdt_getprop(dtb, "/memory", "reg", &len);
    if (reg && len == 16 && fdt_be32(reg + 8) == 0)
        mem = fdt_be32(reg + 12);
    check_eq("RAM at least 4 MiB", mem >= (4u << 20), 1);

    /* tables */
    l1[0] = table(l2_low);
    l1[1] = table(l2_ram);
    l2_low[0x09000000u >> 21] = table(l3_dev);
    l3_dev[0] = device_page(0x09000000u);
    for (u32 i = 0; i < (mem >> 21) && i < 256; i++)
        l2_ram[i] = normal_block(0x40000000u + (i << 21));
    l2_ram[(VA_RAM_ALIAS - 0x40000000u) >> 21] = table(l3_alias);
    l3_alias[0] = normal_page((u32)(uintptr_t)alias_page);
    l3_alias[1] = device_page(0x09000000u);

    stage1_on(l1);
    check_eq("TTBCR.EAE", MRC(0, c2, c0, 2) >> 31, 1);
    printf("mmu on: ttbcr.eae = 1, ram %u MiB identity-mapped\n", mem >> 20);

    alias_puts("printed through the uart alias at va 0x60001000\n");

    alias_page[0] = 0x11111111u;
    *(volatile u32 *)VA_RAM_ALIAS = 0x600dcafeu;
    v = alias_page[0];
    check_eq("write via alias, read identity", v, 0x600dcafeu);
    alias_page[1] = 0x5eed1234u;
    check_eq("write identity, read via alias", *(volatile u32 *)(VA_RAM_ALIAS + 4), 0x5eed1234u);
    printf("ram alias at va 0x60000000: %s\n", v == 0x600dcafeu ? "same data" : "different data");

    MCR(0, c7, c8, 0, VA_RAM_ALIAS);                /* ATS1CPR */
    ISB();
    __asm__ volatile("mrrc p15, 0, %0, %1, c7" : "=r"(par_lo), "=r"(par_hi));
    printf("ats1cpr va 0x60000000: par.f %u, pa %s\n", par_lo & 1,
           (par_lo & 0xfffff000u) == (u32)(uintptr_t)alias_page && (par_hi & 0xff) == 0
               ? "= alias page" : "wrong");
    check_eq("PAR.F", par_lo & 1, 0);
    check_eq("PAR.PA", par_lo & 0xfffff000u, (u32)(uintptr_t)alias_page);

    aborts = 0;
    v = probe_read(VA_HOLE_L1);
    report_abort("read va 0xc0000000", VA_HOLE_L1, FSR_LPAE | FS_TRANS(1));
    check_eq("load skipped", v, 0xdeadbeefu);
    aborts = 0;
    probe_write(VA_HOLE_L3, 1);
    report_abort("write va 0x60002000", VA_HOLE_L3, FSR_LPAE | FSR_WNR | FS_TRANS(3));

    MCR(0, c1, c0, 0, MRC(0, c1, c0, 0) & ~SCTLR_M);
    ISB();
    check_eq("SCTLR.M off", MRC(0, c1, c0, 0) & SCTLR_M, 0);
    check_eq("identity after mmu off", alias_page[0], 0x600dcafeu);
    printf("mmu off\n");
    guest_finish();
    return 0;
}

/*
 * vfp - the VFP register file survives a guest's life: CP10/CP11 on in
 * CPACR, FPEXC.EN set, D0-D31 loaded with distinct patterns (VMOV and VLDM)
 * and FPSCR set, then ~20 lines printed (under the hypervisor each UART
 * access is an exit, and the host switches VFP state lazily), then every D
 * register and FPSCR is checked. Then with FPEXC.EN clear a VFP instruction
 * is UNDEFINED (taken by the guest's own handler), and after EN is set again
 * the registers are still there. No VFP arithmetic (the core has none) and
 * no FPSID/MVFR values (they are the platform's).
 */
#include "guest.h"

const char guest_name[] = "vfp";

#define FPSCR_VAL 0x63c0009fu       /* NZCV=0110, DN, FZ, RMode=3, IDC, cumulative flags */
#define FPEXC_EN  0x40000000u

static volatile int expect_undef;
static volatile int undef_taken;
static volatile u32 undef_pc;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type == EXC_UNDEF && expect_undef) {
        undef_taken++;
        undef_pc = f->pc;
        f->pc += 4;
        return;
    }
    guest_unexpected(type, f);
}

static u32 pattern(int d, int half)
{
    return 0x01010101u * (u32)(d + 1) ^ (half ? 0xa5a50000u : 0x00005a5au) ^ ((u32)d << 24);
}

static u32 expect[64] __attribute__((aligned(8)));
static u32 got[64] __attribute__((aligned(8)));

static void fpscr_write(u32 v) { __asm__ volatile("vmsr fpscr, %0" :: "r"(v) : "memory"); }
static u32 fpscr_read(void) { u32 v; __asm__ volatile("vmrs %0, fpscr" : "=r"(v) :: "memory"); return v; }
static void fpexc_write(u32 v) { __asm__ volatile("vmsr fpexc, %0\n\tisb" :: "r"(v) : "memory"); }
static u32 fpexc_read(void) { u32 v; __asm__ volatile("vmrs %0, fpexc" : "=r"(v) :: "memory"); return v; }

static void store_all(u32 *buf)
{
    __asm__ volatile(".fpu neon-vfpv4\n\t"
                     "vstmia %0, {d0-d15}\n\t"
                     "add r12, %0, #128\n\t"
                     "vstmia r12, {d16-d31}"
                     :: "r"(buf) : "r12", "memory");
}

static int compare_all(const char *when)
{
    int bad = 0;

    store_all(got);
    for (int d = 0; d < 32; d++) {
        if (got[2 * d] != expect[2 * d] || got[2 * d + 1] != expect[2 * d + 1]) {
            if (bad < 4)
                printf("%s: d%d = 0x%08x%08x, expected 0x%08x%08x\n", when, d,
                       got[2 * d + 1], got[2 * d], expect[2 * d + 1], expect[2 * d]);
            bad++;
        }
    }
    printf("%s: %d of 32 d registers differ\n", when, bad);
    return bad;
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 v;

    (void)r0;
    (void)r1;
    (void)dtb;
    printf("vfp: VFP register file across exits\n");

    MCR(0, c1, c0, 2, MRC(0, c1, c0, 2) | (0xfu << 20));   /* CPACR: cp10, cp11 full access */
    ISB();
    check_eq("CPACR cp10/cp11", (MRC(0, c1, c0, 2) >> 20) & 0xf, 0xf);
    fpexc_write(FPEXC_EN);
    check_eq("FPEXC.EN", fpexc_read() & FPEXC_EN, FPEXC_EN);
    printf("cpacr cp10/cp11 full access, fpexc.en = 1\n");

    for (int d = 0; d < 32; d++) {
        expect[2 * d] = pattern(d, 0);
        expect[2 * d + 1] = pattern(d, 1);
    }
    /* D0-D15 through VMOV from core registers, D16-D31 with VLDM */
#define VMOV_D(n) __asm__ volatile(".fpu neon-vfpv4\n\tvmov d" #n ", %0, %1" \
                                   :: "r"(expect[2 * n]), "r"(expect[2 * n + 1]))
    VMOV_D(0); VMOV_D(1); VMOV_D(2); VMOV_D(3); VMOV_D(4); VMOV_D(5); VMOV_D(6); VMOV_D(7);
    VMOV_D(8); VMOV_D(9); VMOV_D(10); VMOV_D(11); VMOV_D(12); VMOV_D(13); VMOV_D(14); VMOV_D(15);
    __asm__ volatile(".fpu neon-vfpv4\n\tvldmia %0, {d16-d31}" :: "r"(&expect[32]) : "memory");
    fpscr_write(FPSCR_VAL);
    check_eq("FPSCR readback", fpscr_read(), FPSCR_VAL);

    /* s registers alias the d registers: s1 is the high half of d0 */
    __asm__ volatile(".fpu neon-vfpv4\n\tvmov %0, s1" : "=r"(v));
    check_eq("s1 = d0[63:32]", v, expect[1]);

    for (int i = 0; i < 18; i++)
        printf("vfp live %d\n", i + 1);     /* every byte: MMIO exits under a hypervisor */

    check_eq("FPSCR after prints", fpscr_read(), FPSCR_VAL);
    check_eq("d registers after prints", compare_all("after prints"), 0);

    /* FPEXC.EN = 0: VFP instructions other than FPEXC/FPSID access are UNDEFINED */
    fpexc_write(0);
    undef_taken = 0;
    expect_undef = 1;
    __asm__ volatile(".fpu neon-vfpv4\n\t"
                     ".global vfp_disabled_insn\n"
                     "vfp_disabled_insn:\n\t"
                     "vmov %0, s0" : "=r"(v) :: "memory");
    expect_undef = 0;
    {
        extern const char vfp_disabled_insn[];
        check_eq("undef pc", undef_pc, (u32)(uintptr_t)vfp_disabled_insn);
    }
    printf("vmov with fpexc.en = 0: %d undefined instruction exception\n", undef_taken);
    check_eq("undef taken", undef_taken, 1);
    fpexc_write(FPEXC_EN);
    check_eq("FPSCR after re-enable", fpscr_read(), FPSCR_VAL);
    check_eq("d registers after re-enable", compare_all("after re-enable"), 0);
    guest_finish();
    return 0;
}

/*
 * hyptrap.c - traps to Hyp mode and virtual interrupts, KVM/ARM style.
 *
 * main() runs as a guest kernel in SVC mode (crt0 drops there from Hyp). Its
 * "hypervisor" is hyp_exc_hook, reached through HSR-classified traps:
 *   - HVC #0 with r0 = a command (set the trap controls HCR/HSTR, or clear
 *     the virtual interrupt lines HCR.VI/VF), as KVM's host uses the Hyp ABI;
 *   - any other trap is recorded (HSR, ELR_hyp, SPSR_hyp) and the trapped
 *     instruction skipped (ELR_hyp += 4), as KVM emulates and skips.
 *
 * Each case checks the syndrome against its ARM ARM encoding (B3.13.6:
 * EC[31:26], IL[25], ISS with CV=1, COND=0xE, as QEMU and the RTL report it).
 * Only traps QEMU 7.2 implements are used, so the run compares with QEMU
 * instruction by instruction (see tb/models/hsr.py for the ones it lacks).
 */
#include <stdint.h>
#include "cp15.h"
#include "exc.h"
#include "kvm_arm.h"   /* HCR_* and EC_*: the hypervisor's one copy */
#include "test.h"

#define CMD_SET_TRAPS 1u    /* r1 = HCR, r2 = HSTR */
#define CMD_CLEAR_VIRQ 2u   /* HCR.VI := 0, HCR.VF := 0 */
#define CMD_SET_HCPTR 3u    /* r1 = HCPTR */
#define CMD_READ_HCR 4u     /* r0 := HCR */

/* HSR fields (B3.13.6) */
#define EC(x)          ((uint32_t)(x) << 26)
#define IL             (1u << 25)
#define CV_COND_AL     ((1u << 24) | (0xEu << 20))
/* IL of a trapped WFI: its T32 encoding (built with -mthumb) is 16 bits wide */
#ifdef __thumb__
#define IL_WFI         0u
#else
#define IL_WFI         IL
#endif
#define ISS_CP15(opc2, opc1, crn, rt, crm, read) \
    (CV_COND_AL | ((opc2) << 17) | ((opc1) << 14) | ((crn) << 10) | ((rt) << 5) | ((crm) << 1) | (read))

#define ISS_CP15_64(opc1, rt2, rt, crm, read) \
    (CV_COND_AL | ((opc1) << 16) | ((rt2) << 10) | ((rt) << 5) | ((crm) << 1) | (read))

struct trap_record {
    uint32_t hsr, elr, spsr, count;
};
static volatile struct trap_record last;
static volatile uint32_t virq_count, vfiq_count, vabt_count, last_dfsr, hvc_count, last_hvc_hsr;

static inline void write_hcr_hstr(uint32_t hcr, uint32_t hstr)
{
    write_hcr(hcr);
    write_hstr(hstr);
    isb();
}

/* The hypervisor side: runs in Hyp mode. */
void hyp_exc_hook(struct exc_frame *f, int type)
{
    uint32_t hsr = read_hsr();
    if (type == EXC_HYPTRAP && (hsr >> 26) == EC_HVC) {
        hvc_count++;
        last_hvc_hsr = hsr;
        if (f->r[0] == CMD_SET_TRAPS)
            write_hcr_hstr(f->r[1], f->r[2]);
        else if (f->r[0] == CMD_CLEAR_VIRQ)
            write_hcr_hstr(read_hcr() & ~(HCR_VI | HCR_VF), 0);
        else if (f->r[0] == CMD_READ_HCR)
            f->r[0] = read_hcr();
        else if (f->r[0] == CMD_SET_HCPTR)
            { write_hcptr(f->r[1]); isb(); }
        return;                          /* ELR_hyp already points after the HVC */
    }
    if (type != EXC_HYPTRAP)
        exc_unexpected(f, type, 1);
    last.hsr = hsr;
    last.elr = f->pc;
    last.spsr = f->cpsr;
    last.count++;
#ifdef __thumb__
    f->pc += (hsr & IL) ? 4 : 2;         /* emulate: skip the trapped instruction (IL: its width) */
#else
    f->pc += 4;                          /* emulate: skip the trapped instruction */
#endif
}

static uint32_t hvc3(uint32_t cmd, uint32_t a, uint32_t b)
{
    register uint32_t r0 __asm__("r0") = cmd;
    register uint32_t r1 __asm__("r1") = a;
    register uint32_t r2 __asm__("r2") = b;
    __asm__ volatile("hvc #0" : "+r"(r0) : "r"(r1), "r"(r2) : "memory");
    return r0;
}

static void set_traps(uint32_t hcr, uint32_t hstr) { hvc3(CMD_SET_TRAPS, hcr, hstr); }

/* The guest's own interrupt handlers (PL1 vectors): ask the hypervisor to drop the line. */
void exc_irq_hook(struct exc_frame *f)
{
    (void)f;
    virq_count++;
    hvc3(CMD_CLEAR_VIRQ, 0, 0);
}

/* A virtual abort arrives as a data abort: DFSR says asynchronous external abort */
void exc_dabt_hook(struct exc_frame *f)
{
    (void)f;
    vabt_count++;
    last_dfsr = read_dfsr();
}

void exc_fiq_hook(struct exc_frame *f)
{
    (void)f;
    vfiq_count++;
    hvc3(CMD_CLEAR_VIRQ, 0, 0);
}

/* Run one trapping instruction (an asm label marks its address) and check the record. */
/* `setup` runs first (untrapped), then `insn` must trap; ELR_hyp must be insn's address */
#define EXPECT_TRAP(hcr, hstr, setup, insn, expected_hsr)                         \
    do {                                                                          \
        uint32_t addr_, n0_ = last.count;                                         \
        set_traps((hcr), (hstr));                                                 \
        __asm__ volatile(setup "\n\tadr %0, 1f\n1:\t" insn                      \
                         : "=&r"(addr_) :: "r3", "memory", "cc");                 \
        set_traps(0, 0);                                                          \
        CHECK_EQ(last.count - n0_, 1);                                            \
        CHECK_EQ(last.hsr, (expected_hsr));                                       \
        CHECK_EQ(last.elr, addr_);                                                \
        CHECK_EQ(last.spsr & 0x1f, 0x13);                                         \
    } while (0)

#define EXPECT_NO_TRAP(hcr, hstr, asm_insn)                                       \
    do {                                                                          \
        uint32_t n0_ = last.count;                                                \
        set_traps((hcr), (hstr));                                                 \
        __asm__ volatile(asm_insn ::: "r3", "memory", "cc");                      \
        set_traps(0, 0);                                                          \
        CHECK_EQ(last.count - n0_, 0);                                            \
    } while (0)

static void test_instruction_traps(void)
{
    /* WFI under HCR.TWI: EC 0x01, TI = 0 */
    EXPECT_TRAP(HCR_TWI, 0, "", "wfi", EC(EC_WFX) | IL_WFI | CV_COND_AL);
    /* a conditional WFI that fails its condition is not trapped */
    EXPECT_NO_TRAP(HCR_TWI, 0, "movs r3, #0\n\tit ne\n\twfine");
    /* SMC under HCR.TSC: EC 0x13, ISS 0 */
    EXPECT_TRAP(HCR_TSC, 0, "", "smc #0", EC(EC_SMC) | IL);
}

static void test_cp15_traps(void)
{
    /* HSTR.T7: CP15DMB (mcr p15, 0, r3, c7, c10, 5) */
    EXPECT_TRAP(0, 1u << 7, "mov r3, #0", "mcr p15, 0, r3, c7, c10, 5",
                EC(EC_CP15_32) | IL | ISS_CP15(5, 0, 7, 3, 10, 0));
    /* HSTR.T1: SCTLR read and CPACR write, direction bit */
    EXPECT_TRAP(0, 1u << 1, "", "mrc p15, 0, r3, c1, c0, 0",
                EC(EC_CP15_32) | IL | ISS_CP15(0, 0, 1, 3, 0, 1));
    EXPECT_TRAP(0, 1u << 1, "mov r3, #0", "mcr p15, 0, r3, c1, c0, 2",
                EC(EC_CP15_32) | IL | ISS_CP15(2, 0, 1, 3, 0, 0));
    /* HSTR.T13 traps TPIDRPRW; T0 does not touch c13 */
    EXPECT_TRAP(0, 1u << 13, "", "mrc p15, 0, r3, c13, c0, 4",
                EC(EC_CP15_32) | IL | ISS_CP15(4, 0, 13, 3, 0, 1));
    EXPECT_NO_TRAP(0, 1u << 0, "mrc p15, 0, r3, c13, c0, 4");
    /* HCR.TID2: CTR, CLIDR, CSSELR */
    EXPECT_TRAP(HCR_TID2, 0, "", "mrc p15, 0, r3, c0, c0, 1", EC(EC_CP15_32) | IL | ISS_CP15(1, 0, 0, 3, 0, 1));
    EXPECT_TRAP(HCR_TID2, 0, "", "mrc p15, 1, r3, c0, c0, 1", EC(EC_CP15_32) | IL | ISS_CP15(1, 1, 0, 3, 0, 1));
    EXPECT_TRAP(HCR_TID2, 0, "", "mrc p15, 2, r3, c0, c0, 0", EC(EC_CP15_32) | IL | ISS_CP15(0, 2, 0, 3, 0, 1));
    /* HCR.TID1: AIDR */
    EXPECT_TRAP(HCR_TID1, 0, "", "mrc p15, 1, r3, c0, c0, 7", EC(EC_CP15_32) | IL | ISS_CP15(7, 1, 0, 3, 0, 1));
    /* HCR.TAC: ACTLR */
    EXPECT_TRAP(HCR_TAC, 0, "", "mrc p15, 0, r3, c1, c0, 1", EC(EC_CP15_32) | IL | ISS_CP15(1, 0, 1, 3, 0, 1));
    /* HCR.TVM traps writes of SCTLR and CONTEXTIDR, not reads */
    EXPECT_TRAP(HCR_TVM, 0, "mrc p15, 0, r3, c1, c0, 0", "mcr p15, 0, r3, c1, c0, 0",
                EC(EC_CP15_32) | IL | ISS_CP15(0, 0, 1, 3, 0, 0));
    EXPECT_TRAP(HCR_TVM, 0, "mov r3, #5", "mcr p15, 0, r3, c13, c0, 1",
                EC(EC_CP15_32) | IL | ISS_CP15(1, 0, 13, 3, 0, 0));
    EXPECT_NO_TRAP(HCR_TVM, 0, "mrc p15, 0, r3, c2, c0, 2");
    /* HCR.TTLB: TLBIALL, TLBIMVA */
    EXPECT_TRAP(HCR_TTLB, 0, "mov r3, #0", "mcr p15, 0, r3, c8, c7, 0",
                EC(EC_CP15_32) | IL | ISS_CP15(0, 0, 8, 3, 7, 0));
    EXPECT_TRAP(HCR_TTLB, 0, "mov r3, #0", "mcr p15, 0, r3, c8, c7, 1",
                EC(EC_CP15_32) | IL | ISS_CP15(1, 0, 8, 3, 7, 0));
    /* 64-bit accesses: EC 0x04, HSTR.Tn by CRm, HCR.TVM on TTBR writes */
    EXPECT_TRAP(0, 1u << 2, "mov r3, #0", "mcrr p15, 0, r3, r3, c2",
                EC(EC_CP15_64) | IL | ISS_CP15_64(0, 3, 3, 2, 0));
    EXPECT_TRAP(HCR_TVM, 0, "mov r3, #0", "mcrr p15, 1, r3, r3, c2",
                EC(EC_CP15_64) | IL | ISS_CP15_64(1, 3, 3, 2, 0));
}

static void test_vfp_trap(void)
{
    /* HCPTR.TCP10/TCP11 (B1.14.10): a VFP access from PL1 traps with EC 0x07,
     * coproc 10; CPACR must grant the access first (else it is UNDEFINED) */
    uint32_t cpacr = 0xFu << 20;
    write_cpacr(cpacr);
    isb();
    hvc3(CMD_SET_HCPTR, (1u << 10) | (1u << 11), 0);
    EXPECT_TRAP(0, 0, ".fpu vfpv3", "vmrs r3, fpexc", EC(EC_CP_0_13) | IL | CV_COND_AL | 0xA);
    EXPECT_TRAP(0, 0, ".fpu vfpv3", "vmov s3, r3", EC(EC_CP_0_13) | IL | CV_COND_AL | 0xA);
    hvc3(CMD_SET_HCPTR, 0, 0);
    EXPECT_NO_TRAP(0, 0, ".fpu vfpv3\n\tvmrs r3, fpexc");
    /* HCR.TID0 traps VMRS of FPSID, HCR.TID3 of MVFR0/MVFR1: EC 0x08, the MRC
     * layout with Opc1 7 and CRn the register */
    EXPECT_TRAP(HCR_TID0, 0, ".fpu vfpv3", "vmrs r3, fpsid",
                EC(EC_CP10_ID) | IL | ISS_CP15(0, 7, 0, 3, 0, 1));
    EXPECT_NO_TRAP(HCR_TID0, 0, ".fpu vfpv3\n\tvmrs r3, mvfr0");
    EXPECT_TRAP(HCR_TID3, 0, ".fpu vfpv3", "vmrs r3, mvfr1",
                EC(EC_CP10_ID) | IL | ISS_CP15(0, 7, 6, 3, 0, 1));
}

static void test_hvc_syndrome(void)
{
    /* HVC: EC 0x12, ISS = imm16; ELR_hyp is the next instruction */
    uint32_t n0 = hvc_count;
    __asm__ volatile("mov r0, #0\n\thvc #0x1234" ::: "r0", "memory");
    CHECK_EQ(hvc_count - n0, 1);
    CHECK_EQ(last_hvc_hsr, EC(EC_HVC) | IL | 0x1234);
}

static void test_virtual_interrupts(void)
{
    /* HCR.VI with IMO: a virtual IRQ, taken by the guest as soon as CPSR.I is clear */
    uint32_t n0 = virq_count;
    set_traps(HCR_IMO | HCR_VI, 0);
    CHECK_EQ(virq_count - n0, 0);            /* I is still set in SVC */
    __asm__ volatile("cpsie i\n\tnop\n\tcpsid i" ::: "memory");
    CHECK_EQ(virq_count - n0, 1);
    /* VI without IMO has no effect */
    set_traps(HCR_VI, 0);
    __asm__ volatile("cpsie i\n\tnop\n\tcpsid i" ::: "memory");
    CHECK_EQ(virq_count - n0, 1);
    /* HCR.VF with FMO: a virtual FIQ */
    n0 = vfiq_count;
    set_traps(HCR_FMO | HCR_VF, 0);
    __asm__ volatile("cpsie f\n\tnop\n\tcpsid f" ::: "memory");
    CHECK_EQ(vfiq_count - n0, 1);
    set_traps(0, 0);

    /* HCR.VA with AMO: a virtual abort, taken when CPSR.A is cleared; taking
     * it clears HCR.VA; DFSR = 0x406 (short format, async external abort), DFAR kept */
    uint32_t dfar = 0x1234;
    write_dfar(dfar);
    n0 = vabt_count;
    set_traps(HCR_AMO | HCR_VA, 0);
    CHECK_EQ(vabt_count - n0, 0);            /* A is still set in SVC */
    __asm__ volatile("cpsie a\n\tnop\n\tcpsid a" ::: "memory");
    CHECK_EQ(vabt_count - n0, 1);
    CHECK_EQ(last_dfsr, 0x406);
    dfar = read_dfar();
    CHECK_EQ(dfar, 0x1234);
    CHECK_EQ(hvc3(CMD_READ_HCR, 0, 0), HCR_AMO);
    set_traps(0, 0);
}

int main(void)
{
    test_instruction_traps();
    test_cp15_traps();
    test_hvc_syndrome();
    test_vfp_trap();
    test_virtual_interrupts();
    return test_finish("hyptrap");
}

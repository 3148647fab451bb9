/*
 * mmu_hyp.S - the PL2 (Hyp mode) stage 1 translation regime, then nested
 * stage 1 + stage 2 walks with a stage 2 fault on a stage 1 table access.
 * Everything runs in hyp_main (plus a short guest in SVC mode); main only
 * prints PASS.  ARM ARM ARMv7-A/R references:
 *  - B3.6 Long-descriptor tables for the PL2 regime: HMAIR0 (B4.1.73),
 *    HTCR (B4.1.76: T0SZ = 0, lookup from level 1), HTTBR (B4.1.77),
 *    HSCTLR.M (B4.1.66); 1 GB and 2 MB blocks; AP[1] is SBO in this regime
 *    (AP[2:1] = 01 read/write, 11 read-only), XN; no ASID, no PXN;
 *  - B3.12 / B3.13.6 faults in Hyp mode are taken to Hyp mode: Data Abort
 *    at HVBAR + 0x10 with HSR EC 0x25 and HDFAR (B4.1.69), Prefetch Abort
 *    at HVBAR + 0x0c with EC 0x21 and HIFAR (B4.1.71), ELR_hyp = the
 *    faulting instruction; Translation faults (levels 1 and 2) and
 *    Permission faults (store to a read-only block, fetch from an XN block);
 *  - B4.2.6 ATS1HR / ATS1HW and the 64-bit PAR (B4.1.112);
 *  - B4.2.2 TLBIMVAH after making a read-only block writable, TLBIALLH after
 *    removing a block;
 *  - stage 2 (VTCR.SL0 = 0b00, T0SZ = 1: lookup starts at level 2 with two
 *    concatenated level 2 tables, B3.6.6) under a guest stage 1 whose level 2
 *    table lies at an IPA that stage 2 does not map: the guest's load takes a
 *    stage 2 Translation fault on the stage 1 walk, HSR EC 0x24 with
 *    S1PTW = 1 (ISS bit 7) and ISV = 0, HDFAR = the VA, HPFAR = the IPA page
 *    of the table (B4.1.70); the hypervisor maps it, TLBIALLNSNH, retries;
 *  - ATS12NSOPR from Hyp mode (stage 1 + stage 2: PAR = the final PA; before
 *    the fix PAR reports the stage 2 fault with FSTAGE = 1 and S2WLK = 1),
 *    ATS12NSOUR, and ATS1CPR from Hyp mode (stage 1 only: the IPA).
 * HSR.IL is UNK/SBZP for a Prefetch Abort and a Data Abort with ISV = 0
 * (B3.13.6), so it is not compared there (QEMU 7.2 reports 0 for ARMv7).
 * For a Data Abort taken from Hyp mode the ISV/SAS/SSE/SRT bits [24:16]
 * of a single LDR/STR are not compared either (see the report: QEMU 7.2
 * fills them in; ISV is meant for stage 2 aborts); an LDM, which has no
 * instruction syndrome in any reading, is compared in full.
 *
 * Hyp stage 1 (hyp_l1 -> hyp_l2), VA:
 *   0x00000000 1 GB block identity, Device, XN (UART)
 *   0x40000000 2 MB block identity, Normal, RW (program)
 *   0x40200000 2 MB block -> PA 0x40000000, RW, XN (data alias)
 *   0x40400000 2 MB block -> PA 0x40000000, read-only (later RW, then removed)
 *   0x40600000 invalid (level 2), 0x80000000 invalid (level 1)
 * Stage 2, VMID 1 (s2_l2: two concatenated level 2 tables, IPA < 2 GB):
 *   IPA 0x09000000 2 MB Device (UART), 0x40000000 2 MB identity,
 *   IPA 0x40200000 unmapped until the S1PTW fault, then 2 MB -> PA 0x40000000
 * Guest stage 1 (g_l1 -> g_l2), VA:
 *   0x00000000 / 0x40000000 1 GB identity blocks (Device / Normal)
 *   0x80000000 -> level 2 table at IPA g_l2 + 0x200000 (PA g_l2):
 *     0x80000000 2 MB block -> IPA 0x40200000
 *   so VA 0x80000000 + x -> IPA 0x40200000 + x -> PA 0x40000000 + x.
 */
#include "asm.h"
#include "exc.h"
#include "lpae.h"


#define HTCR_VAL    (1 << 31)           /* RES1, T0SZ = 0 */
#define VTCR_VAL    ((1 << 31) | (0 << 6) | 1) /* SL0 = 00 (level 2), T0SZ = 1 */


#define VA_ALIAS    0x40200000          /* -> PA 0x40000000, XN */
#define VA_RO       0x40400000          /* -> PA 0x40000000, read-only */
#define VA_NO_L2    0x40600000
#define VA_NO_L1    0x80000000
#define GVA         0x80000000          /* guest VA through the IPA-less table */

/* record (rec), written by hyp_exc_hook */
#define R_HSR       0
#define R_HDFAR     4
#define R_HIFAR     8
#define R_HPFAR     12
#define R_ELR       16
#define R_TYPE      20
#define R_COUNT     24                  /* aborts */
#define R_FIX       28                  /* stage 2 descriptor to write, 0: skip */
#define R_FIXLO     32
#define R_FIXHI     36

    .macro DESC_SYM addr, lo, hi    /* lo and addr may be symbols (literal pool) */
    ldr     r0, =\lo
    MOV32   r1, \hi
    ldr     r2, =\addr
    strd    r0, r1, [r2]
    .endm

    .macro ARM_FAULT
    mov     r0, #0
    str     r0, [r10, #R_COUNT]
    .endm

/* one abort since ARM_FAULT, of hook type \type, with HSR (after clearing
 * the bits of \unk: HSR[25:16] when unk=iss, HSR[25] when unk=il), fault
 * address at record offset \faroff, ELR_hyp \pc, HPFAR (unless -1) */
    .macro CHECK_ABT type, hsr, unk, faroff, far, pc, hpfar=-1
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 1)
    ldr     r0, [r10, #R_TYPE]
    EXPECT(r0, \type)
    ldr     r0, [r10, #R_HSR]
    .ifc \unk, iss
    bfc     r0, #16, #10
    .endif
    .ifc \unk, il
    bic     r0, r0, #HSR_IL
    .endif
    EXPECT(r0, \hsr)
    ldr     r0, [r10, #\faroff]
    ldr     r1, =\far
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =\pc
    EXPECT_REG(r0, r1)
    .if \hpfar != -1
    ldr     r0, [r10, #R_HPFAR]
    EXPECT(r0, \hpfar)
    .endif
    .endm

/* a literal pool in the middle of straight-line code */
    .macro POOL
    b       1f
    .ltorg
1:
    .endm

/* PAR holds the 4 KB page of \sym + \off */
    .macro CHECK_PAR_OK_PAGE sym, off
    READ_PAR
    MOV32   r2, PAR_OK_MASK
    and     r0, r0, r2
    and     r1, r1, #0xff
    ldr     r2, =\sym + \off
    bfc     r2, #0, #12
    orr     r2, r2, #PAR_LPAE
    EXPECT_REG(r0, r2)
    EXPECT(r1, 0)
    .endm

    .macro CHECK_PAR_FAULT bits
    READ_PAR
    ubfx    r0, r0, #0, #12
    EXPECT(r0, \bits)
    .endm

/* ------------------------------------------------------------------------ */
    .bss
    .balign 8192
s2_l2:      .space  8192                @ stage 2 level 2, 2 concatenated tables
hyp_l2:     .space  4096                @ Hyp level 2, VA 0x40000000-0x7fffffff
g_l2:       .space  4096                @ guest level 2 (IPA g_l2 + 0x200000)
    .balign 32
hyp_l1:     .space  32
g_l1:       .space  32
rec:        .space  64

    .data
    .balign 4
magic:  .word   0x600df00d

    TEST_BEGIN mmu_hyp
    .text
    .balign 4096
code_page:                              @ fetched through the XN alias
    mov     r0, #1
    bx      lr

    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    push    {r4-r11, lr}
    ldr     r10, =rec

    /* ==== part 1: the Hyp stage 1 regime ================================ */
    DESC_SYM hyp_l1 + 0 * 8, 0x00000000 | D_BLOCK | DEVICE | D_AP_RW, DH_XN
    DESC_SYM hyp_l1 + 1 * 8, hyp_l2 + D_TABLE, 0
    DESC_SYM hyp_l2 + 0 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_RW, 0
    DESC_SYM hyp_l2 + 1 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_RW, DH_XN
    DESC_SYM hyp_l2 + 2 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_RO, 0
    dsb
    MOV32   r0, MAIR0_VAL
    mcr     p15, 4, r0, c10, c2, 0      @ HMAIR0
    MOV32   r0, HTCR_VAL
    mcr     p15, 4, r0, c2, c0, 2       @ HTCR
    ldr     r0, =hyp_l1
    mov     r1, #0
    mcrr    p15, 4, r0, r1, c2          @ HTTBR
    isb
    mcr     p15, 4, r0, c8, c7, 0       @ TLBIALLH
    dsb
    isb
    mrc     p15, 4, r0, c1, c0, 0
    orr     r0, r0, #SCTLR_M
    mcr     p15, 4, r0, c1, c0, 0       @ HSCTLR.M = 1
    isb
    mrc     p15, 4, r0, c1, c0, 0
    and     r0, r0, #SCTLR_M
    EXPECT(r0, 1)

    POOL
    /* ---- 2 MB alias: VA 0x40200000 + x -> PA 0x40000000 + x -------------- */
    ldr     r4, =magic
    add     r5, r4, #(VA_ALIAS - 0x40000000)
    ldr     r0, [r5]
    EXPECT(r0, 0x600df00d)
    MOV32   r0, 0x5eed0001
    str     r0, [r5]
    ldr     r1, [r4]
    EXPECT(r1, 0x5eed0001)

    /* ---- Data Aborts in Hyp mode: EC 0x25 at HVBAR + 0x10 ------------------ */
    MOV32   r6, VA_NO_L2 + 0x10
    mov     r7, #0x77
    ARM_FAULT
h_ldr:
    ldr     r7, [r6]
    EXPECT(r7, 0x77)
    /* HSR = EC 0x25 | DFSC Translation L2; bits [25:16] not compared */
    CHECK_ABT EXC_DABT, HSR_EC_DABT_HYP | FS_TRANS(2), iss, R_HDFAR, VA_NO_L2 + 0x10, h_ldr
    ARM_FAULT
h_ldm:
    ldm     r6, {r7, r8}
    /* LDM: ISV = 0, IL not valid: HSR = EC 0x25 | DFSC Translation L2 */
    CHECK_ABT EXC_DABT, HSR_EC_DABT_HYP | FS_TRANS(2), il, R_HDFAR, VA_NO_L2 + 0x10, h_ldm
    MOV32   r6, VA_NO_L1 + 0x20
    ARM_FAULT
h_stm:
    stm     r6, {r7, r8}
    /* HSR = EC 0x25 | WnR | DFSC Translation L1 */
    CHECK_ABT EXC_DABT, HSR_EC_DABT_HYP | WNR | FS_TRANS(1), il, R_HDFAR, VA_NO_L1 + 0x20, h_stm
    ldr     r4, =magic
    add     r6, r4, #(VA_RO - 0x40000000)
    ldr     r0, [r6]                    @ read-only block: loads work
    EXPECT(r0, 0x5eed0001)
    MOV32   r7, 0x5eed0002
    ARM_FAULT
h_str_ro:
    str     r7, [r6]
    /* HSR = EC 0x25 | WnR | DFSC Permission L2; bits [25:16] not compared */
    CHECK_ABT EXC_DABT, HSR_EC_DABT_HYP | WNR | FS_PERM(2), iss, R_HDFAR, magic + (VA_RO - 0x40000000), h_str_ro
    ldr     r0, [r4]
    EXPECT(r0, 0x5eed0001)              @ not written

    POOL
    /* ---- Prefetch Aborts in Hyp mode: EC 0x21 at HVBAR + 0x0c -------------- */
    MOV32   r6, VA_NO_L2
    adr     r11, 1f                     @ the hook resumes at r11
    ARM_FAULT
    blx     r6
    /* HSR = EC 0x21 | IFSC Translation L2 */
1:  CHECK_ABT EXC_PABT, HSR_EC_IABT_HYP | FS_TRANS(2), il, R_HIFAR, VA_NO_L2, VA_NO_L2
    ldr     r6, =code_page + (VA_ALIAS - 0x40000000)
    adr     r11, 1f
    ARM_FAULT
    blx     r6
    /* HSR = EC 0x21 | IFSC Permission L2 (XN block) */
1:  CHECK_ABT EXC_PABT, HSR_EC_IABT_HYP | FS_PERM(2), il, R_HIFAR, code_page + (VA_ALIAS - 0x40000000), code_page + (VA_ALIAS - 0x40000000)
    ldr     r6, =code_page              @ identity: executable
    mov     r0, #0
    blx     r6
    EXPECT(r0, 1)

    /* ---- ATS1HR / ATS1HW ------------------------------------------------------ */
    ldr     r0, =magic + (VA_ALIAS - 0x40000000)
    mcr     p15, 4, r0, c7, c8, 0       @ ATS1HR
    CHECK_PAR_OK_PAGE magic, 0
    MOV32   r0, VA_RO + 0x1000
    mcr     p15, 4, r0, c7, c8, 0       @ ATS1HR, read-only block: ok
    CHECK_PAR_OK 0x40001000
    MOV32   r0, VA_RO + 0x1000
    mcr     p15, 4, r0, c7, c8, 1       @ ATS1HW: Permission fault, level 2
    CHECK_PAR_FAULT PAR_FAULT(FS_PERM(2))
    MOV32   r0, VA_NO_L2
    mcr     p15, 4, r0, c7, c8, 0       @ Translation fault, level 2
    CHECK_PAR_FAULT PAR_FAULT(FS_TRANS(2))
    MOV32   r0, VA_NO_L1
    mcr     p15, 4, r0, c7, c8, 1       @ Translation fault, level 1
    CHECK_PAR_FAULT PAR_FAULT(FS_TRANS(1))

    POOL
    /* ---- make the read-only block writable: TLBIMVAH ------------------------- */
    DESC_SYM hyp_l2 + 2 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_RW, 0
    dsb
    MOV32   r0, VA_RO
    mcr     p15, 4, r0, c8, c7, 1       @ TLBIMVAH
    dsb
    isb
    ldr     r4, =magic
    add     r6, r4, #(VA_RO - 0x40000000)
    MOV32   r7, 0x5eed0003
    ARM_FAULT
    str     r7, [r6]                    @ no fault now
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 0)
    ldr     r0, [r4]
    EXPECT(r0, 0x5eed0003)
    /* ---- remove it: TLBIALLH, then a Translation fault ----------------------- */
    DESC_SYM hyp_l2 + 2 * 8, 0, 0
    dsb
    mcr     p15, 4, r0, c8, c7, 0       @ TLBIALLH
    dsb
    isb
    ARM_FAULT
h_ldr_gone:
    ldr     r0, [r6]
    CHECK_ABT EXC_DABT, HSR_EC_DABT_HYP | FS_TRANS(2), iss, R_HDFAR, magic + (VA_RO - 0x40000000), h_ldr_gone

    /* ---- Hyp MMU off ----------------------------------------------------------- */
    mrc     p15, 4, r0, c1, c0, 0
    bic     r0, r0, #SCTLR_M
    mcr     p15, 4, r0, c1, c0, 0
    isb
    mcr     p15, 4, r0, c8, c7, 0       @ TLBIALLH
    dsb
    isb

    POOL
    /* ==== part 2: stage 2 + guest stage 1, S1PTW ============================ */
    /* stage 2: level 2 start, index = IPA[30:21] over two 4 KB tables */
    DESC_SYM s2_l2 + 0x048 * 8, 0x09000000 | D_BLOCK | S2_DEVICE | S2_HAP_RW | S2_AF, S2H_XN
    DESC_SYM s2_l2 + 0x200 * 8, 0x40000000 | D_BLOCK | S2_NORMAL | S2_HAP_RW | S2_AF, 0
    /* guest stage 1 */
    DESC_SYM g_l1 + 0 * 8, 0x00000000 | D_BLOCK | DEVICE | D_AP_PL1RW, DH_XN | DH_PXN
    DESC_SYM g_l1 + 1 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_RW, 0
    DESC_SYM g_l1 + 2 * 8, g_l2 + (0x200000 | D_TABLE), 0        @ IPA not mapped yet
    DESC_SYM g_l2 + 0 * 8, 0x40200000 | D_BLOCK | NORMAL | D_AP_RW, DH_XN
    dsb
    MOV32   r0, VTCR_VAL
    mcr     p15, 4, r0, c2, c1, 2       @ VTCR
    ldr     r0, =s2_l2
    MOV32   r1, VMID(1)
    mcrr    p15, 6, r0, r1, c2          @ VTTBR
    MOV32   r0, MAIR0_VAL
    mcr     p15, 0, r0, c10, c2, 0      @ guest MAIR0
    MOV32   r0, TTBCR_EAE
    mcr     p15, 0, r0, c2, c0, 2       @ guest TTBCR
    ldr     r0, =g_l1
    mov     r1, #0
    mcrr    p15, 0, r0, r1, c2          @ guest TTBR0
    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #SCTLR_M
    mcr     p15, 0, r0, c1, c0, 0       @ guest SCTLR.M = 1
    mov     r0, #HCR_VM
    mcr     p15, 4, r0, c1, c1, 0       @ HCR.VM = 1
    isb
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb
    isb

    /* ATS12NSOPR before the fix: stage 2 fault on the stage 1 walk,
     * PAR = LPAE | FSTAGE | S2WLK | FST Translation L2 | F */
    ldr     r0, =magic + (GVA - 0x40000000)
    mcr     p15, 0, r0, c7, c8, 4       @ ATS12NSOPR
    CHECK_PAR_FAULT PAR_FAULT(FS_TRANS(2)) | PAR_FSTAGE | PAR_S2WLK
    ldr     r0, =magic + (GVA - 0x40000000)
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR from Hyp: stage 1 only, but
    /* its table walk still goes through stage 2: the same PAR (from PL1
     * this would be a stage 2 abort to Hyp mode instead) */
    CHECK_PAR_FAULT PAR_FAULT(FS_TRANS(2)) | PAR_FSTAGE | PAR_S2WLK

    /* the fix the hook applies on the S1PTW fault: IPA 0x40200000 2 MB */
    ldr     r0, =s2_l2 + 0x201 * 8
    str     r0, [r10, #R_FIX]
    MOV32   r0, 0x40000000 | D_BLOCK | S2_NORMAL | S2_HAP_RW | S2_AF
    str     r0, [r10, #R_FIXLO]
    mov     r0, #0
    str     r0, [r10, #R_FIXHI]
    ARM_FAULT
    ldr     r0, =(PSR_A | PSR_I | PSR_F | MODE_SVC)
    msr     SPSR_cxsf, r0
    ldr     r0, =guest
    msr     ELR_hyp, r0
    eret                                @ HVC #0 comes back to hyp_resume
    .ltorg
hyp_resume:
    ldr     r10, =rec
    /* HSR = EC 0x24 | S1PTW | DFSC Translation L2 (stage 2 level of the
     * table's IPA); ISV = 0, WnR = 0 (a load), IL not valid */
    CHECK_ABT EXC_HYPTRAP, HSR_EC_DABT_LOW | S1PTW | FS_TRANS(2), il, R_HDFAR, magic + (GVA - 0x40000000), g_ldr
    ldr     r0, [r10, #R_HPFAR]         @ HPFAR = FIPA of the table: IPA[39:12] << 4
    ldr     r1, =g_l2 + 0x200000
    lsr     r1, r1, #8
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_FIX]
    EXPECT(r0, 0)                       @ the fix was applied

    /* after the fix: ATS12NSOPR gives the final PA, ATS1CPR the IPA */
    ldr     r0, =magic + (GVA - 0x40000000)
    mcr     p15, 0, r0, c7, c8, 4       @ ATS12NSOPR
    CHECK_PAR_OK_PAGE magic, 0
    ldr     r0, =magic + (GVA - 0x40000000)
    mcr     p15, 0, r0, c7, c8, 6       @ ATS12NSOUR (AP = 01: PL0 readable)
    CHECK_PAR_OK_PAGE magic, 0
    ldr     r0, =magic + (GVA - 0x40000000)
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR: IPA 0x40200000 + x
    CHECK_PAR_OK_PAGE magic, 0x200000

    /* back to no translation for crt0 and main */
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #SCTLR_M
    mcr     p15, 0, r0, c1, c0, 0
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0       @ HCR = 0
    mcr     p15, 0, r0, c2, c0, 2       @ TTBCR = 0
    isb
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb
    isb
    pop     {r4-r11, lr}
    mov     r0, #0
    bx      lr
    .size   hyp_main, . - hyp_main

    .global main
    .type   main, %function
main:
    TEST_PASS
    .size   main, . - main

/* the guest (SVC, stage 1 on, HCR.VM = 1): one load through VA 0x80000000 */
    .type   guest, %function
guest:
    ldr     r6, =magic + (GVA - 0x40000000)
    mov     r0, #0
g_ldr:
    ldr     r0, [r6]                    @ S1PTW fault once, then retried
    EXPECT(r0, 0x5eed0003)
    hvc     #0
    b       .
    .size   guest, . - guest

/*
 * void hyp_exc_hook(struct exc_frame *f, int type)
 *   type 3/4 (Prefetch/Data Abort in Hyp mode): record; a Data Abort is
 *            skipped, a Prefetch Abort resumes at the interrupted r11;
 *   type 5   HVC #0: resume hyp_main at hyp_resume in Hyp mode;
 *            EC 0x24: record; with R_FIX set, write that stage 2
 *            descriptor, TLBIALLNSNH and retry, else skip.
 */
    .global hyp_exc_hook
    .type   hyp_exc_hook, %function
hyp_exc_hook:
    ldr     r3, =rec
    mrc     p15, 4, r2, c5, c2, 0       @ HSR
    ubfx    ip, r2, #26, #6
    cmp     ip, #0x12
    beq     h_hvc
    str     r2, [r3, #R_HSR]
    str     r1, [r3, #R_TYPE]
    ldr     ip, [r0, #EXC_FRAME_PC]     @ ELR_hyp
    str     ip, [r3, #R_ELR]
    ldr     r2, [r3, #R_COUNT]
    add     r2, r2, #1
    str     r2, [r3, #R_COUNT]
    /* only the registers valid for this abort are read (B3.13.5) */
    cmp     r1, #EXC_PABT
    beq     h_pabt
    cmp     r1, #EXC_DABT
    beq     h_dabt
    cmp     r1, #EXC_HYPTRAP
    bne     h_bad
    ldr     r2, [r3, #R_HSR]
    ubfx    r2, r2, #26, #6
    cmp     r2, #0x24                   @ stage 2 Data Abort only
    bne     h_bad
    mrc     p15, 4, r2, c6, c0, 0       @ HDFAR
    str     r2, [r3, #R_HDFAR]
    mrc     p15, 4, r2, c6, c0, 4       @ HPFAR
    str     r2, [r3, #R_HPFAR]
    ldr     r2, [r3, #R_FIX]
    cmp     r2, #0
    beq     h_skip
    push    {r4, r5}
    ldr     r4, [r3, #R_FIXLO]
    ldr     r5, [r3, #R_FIXHI]
    strd    r4, r5, [r2]
    pop     {r4, r5}
    mov     r2, #0
    str     r2, [r3, #R_FIX]
    dsb
    mcr     p15, 4, r2, c8, c7, 4       @ TLBIALLNSNH
    dsb
    isb
    bx      lr                          @ retry the access
h_dabt:
    mrc     p15, 4, r2, c6, c0, 0       @ HDFAR
    str     r2, [r3, #R_HDFAR]
h_skip:
    add     ip, ip, #4
    str     ip, [r0, #EXC_FRAME_PC]
    bx      lr
h_pabt:
    mrc     p15, 4, r2, c6, c0, 2       @ HIFAR
    str     r2, [r3, #R_HIFAR]
    ldr     ip, [r0, #11 * 4]           @ resume at the interrupted r11
    str     ip, [r0, #EXC_FRAME_PC]
    bx      lr
h_hvc:
    ubfx    ip, r2, #0, #16
    cmp     ip, #0
    bne     h_bad
    ldr     ip, =hyp_resume
    str     ip, [r0, #EXC_FRAME_PC]
    movw    ip, #(PSR_A | PSR_I | PSR_F | MODE_HYP)
    str     ip, [r0, #EXC_FRAME_CPSR]
    bx      lr
h_bad:
    mov     r2, #1
    b       exc_unexpected
    .size   hyp_exc_hook, . - hyp_exc_hook
    .ltorg

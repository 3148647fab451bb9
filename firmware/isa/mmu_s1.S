/*
 * mmu_s1.S - PL1&0 stage 1 translation with the Long-descriptor (LPAE)
 * format, run from SVC mode with no stage 2 (HCR = 0 as left by crt0).
 * ARM ARM ARMv7-A/R references:
 *  - B3.6 Long-descriptor translation tables: TTBCR.EAE = 1, T0SZ = 0
 *    (lookup starts at level 1), 1 GB blocks (level 1), 2 MB blocks
 *    (level 2), 4 KB pages (level 3), AttrIndx into MAIR0 (B4.1.104) with
 *    a Normal and a Device attribute, AP[2:1], XN, PXN, AF, nG;
 *  - B3.6.4 / B4.1.153 TTBCR.T1SZ = 2: VAs from 0xc0000000 use TTBR1
 *    (B4.1.155), whose lookup then starts at level 2;
 *  - B3.7 access permissions: a store to an AP[2] = 1 page, LDRT and User
 *    mode accesses to an AP[1] = 0 page, an instruction fetch from an XN
 *    page and, at PL1 only, from a PXN page (B3.7.3); User mode executes
 *    the PXN page;
 *  - B3.12 faults, reported in the long format DFSR/IFSR (B4.1.52,
 *    B4.1.96: LPAE bit 9, WnR bit 11, STATUS[5:0] = type and level) with
 *    DFAR/IFAR: Translation faults at levels 1, 2 and 3, an Access flag
 *    fault repaired by the handler (AF := 1, TLBIMVA, retry), a level 3
 *    Translation fault repaired by installing the page (demand paging),
 *    Permission faults;
 *  - B3.10 / B4.2.2 TLB maintenance: TLBIALL, TLBIMVA, TLBIASID, TLBIMVAA;
 *    ASIDs in TTBR0[55:48] written with MCRR (TTBCR.A1 = 0) and nG pages;
 *  - B4.2.6 / B4.1.112 address translation ATS1CPR, ATS1CPW, ATS1CUR,
 *    ATS1CUW and the 64-bit PAR (MRRC p15, 0, Rt, Rt2, c7).
 *
 * PAR checks, only the fields B4.1.112 defines for this case:
 *   F = 0: PA[39:12] (PAR[31:12] and PAR[39:32] = high word [7:0]),
 *          LPAE (bit 11) = 1, F (bit 0) = 0.  Masked: ATTR[63:56] (how the
 *          attributes are reported may differ), bit 10 (IMPLEMENTATION
 *          DEFINED), NS (bit 9, UNKNOWN for a Non-secure translation),
 *          SH[8:7] (reported shareability of Device / Non-cacheable memory
 *          is implementation-specific), bits [6:1] (reserved, UNK).
 *   F = 1: PAR[11:0]: LPAE = 1, FSTAGE (bit 9) = 0, S2WLK (bit 8) = 0,
 *          FST[6:1] = long format fault status, F = 1.  Masked: PAR[63:12]
 *          (IMPLEMENTATION DEFINED when F = 1).
 *
 * VA map (TTBR0, ASID 1, level 1 table `l1`):
 *   0x00000000 1 GB block -> PA 0x00000000, Device, PL1 RW, XN PXN (UART)
 *   0x40000000 table `l2`:
 *     0x40000000 2 MB block identity, Normal, RW at PL0 and PL1 (program)
 *     0x40200000 table `l3`, 4 KB pages (VA_PAGE(n) below)
 *     0x40400000 invalid: Translation fault, level 2
 *   0x80000000 1 GB block -> PA 0x40000000 (alias of the RAM), PL1 RW, XN
 *   0xc0000000 invalid: Translation fault, level 1; later TTBR1 (T1SZ = 2)
 *              points at `l2` too, so 0xc0000000 + x aliases 0x40000000 + x
 * Pages of `l3`, VA 0x40200000 + n * 4 KB (page_a, page_b: .data pages):
 *   0 page_a RW        1 invalid (later installed by the handler: page_b)
 *   2 page_b AF = 0    3 page_b PL1 RO      4 page_b PL1 RW, no PL0 access
 *   5 code_page XN     6 code_page RO, PXN  7 page_a nG (ASID-tagged)
 *   8 invalid          9 page_b AF = 0 (only translated by ATS)
 */
#include "asm.h"
#include "exc.h"
#include "lpae.h"

/* Long-descriptor fields (B3.6.2), lower word */
/* upper word: descriptor bits [63:32] */



/* long format FSR (B4.1.52 DFSR, B4.1.96 IFSR) */

/* 64-bit PAR (B4.1.112) */

#define VA_L3       0x40200000
#define VA_PAGE(n)  (VA_L3 + (n) * 0x1000)
#define VA_NO_L2    0x40400000
#define VA_ALIAS1G  0x80000000
#define VA_HIGH     0xc0000000

/* fault record (rec), written by the abort hooks */
#define R_FSR       0
#define R_FAR       4
#define R_PC        8
#define R_SPSR      12
#define R_COUNT     16
#define R_FIX       20                  /* descriptor to write, 0: skip */
#define R_FIXLO     24
#define R_FIXHI     28

/* before an access that must abort once */
    .macro ARM_FAULT
    mov     r0, #0
    str     r0, [r10, #R_COUNT]
    .endm

/* exactly one abort since ARM_FAULT, with this FSR, FAR and faulting pc */
    .macro CHECK_FAULT fsr, far, pc
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 1)
    ldr     r0, [r10, #R_FSR]
    EXPECT(r0, \fsr)
    ldr     r0, [r10, #R_FAR]
    EXPECT(r0, \far)
    ldr     r0, [r10, #R_PC]
    MOV32   r1, \pc
    EXPECT_REG(r0, r1)
    .endm

    .macro CHECK_PAR_FAULT fs
    READ_PAR
    ubfx    r0, r0, #0, #12
    EXPECT(r0, PAR_FAULT(\fs))
    .endm

/* ------------------------------------------------------------------------ */
    .bss
    .balign 4096
l2:     .space  4096                    @ level 2, VA 0x40000000-0x7fffffff
l3:     .space  4096                    @ level 3, VA 0x40200000-0x403fffff
    .balign 32
l1:     .space  32                      @ level 1: T0SZ = 0 -> 4 entries
rec:    .space  32

    .data
    .balign 4096
page_a: .word   0xaaaa0000, 0xaaaa0004, 0xaaaa0008, 0xaaaa000c
        .space  4096 - 16
page_b: .word   0xbbbb0000, 0xbbbb0004, 0xbbbb0008, 0xbbbb000c
        .space  4096 - 16
    .balign 4
magic:  .word   0x600df00d

    TEST_BEGIN mmu_s1
    .text
/* code reached through the XN and PXN aliases of its page */
    .balign 4096
code_page:
    MOV32   r0, 0xc0de0001
    bx      lr

    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}
    ldr     r10, =rec

    /* ---- tables ---------------------------------------------------------- */
    DESC    l1 + 0 * 8, 0x00000000 | D_BLOCK | DEVICE | D_AP_PL1RW, DH_XN | DH_PXN
    DESC    l1 + 1 * 8, l2 + D_TABLE, 0
    DESC    l1 + 2 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_PL1RW, DH_XN
    DESC    l2 + 0 * 8, 0x40000000 | D_BLOCK | NORMAL | D_AP_RW, 0
    DESC    l2 + 1 * 8, l3 + D_TABLE, 0
    DESC    l3 + 0 * 8, page_a + (D_PAGE | NORMAL | D_AP_RW), 0
    DESC    l3 + 2 * 8, page_b + (D_PAGE | (NORMAL & ~D_AF) | D_AP_RW), 0
    DESC    l3 + 3 * 8, page_b + (D_PAGE | NORMAL | D_AP_PL1RO), 0
    DESC    l3 + 4 * 8, page_b + (D_PAGE | NORMAL | D_AP_PL1RW), 0
    DESC    l3 + 5 * 8, code_page + (D_PAGE | NORMAL | D_AP_RW), DH_XN
    DESC    l3 + 6 * 8, code_page + (D_PAGE | NORMAL | D_AP_RO), DH_PXN
    DESC    l3 + 7 * 8, page_a + (D_PAGE | NORMAL | D_AP_RW | D_NG), 0
    DESC    l3 + 9 * 8, page_b + (D_PAGE | (NORMAL & ~D_AF) | D_AP_RW), 0
    dsb

    /* ---- enable: MAIR0, TTBCR.EAE, TTBR0 (ASID 1), SCTLR.M ---------------- */
    MOV32   r0, MAIR0_VAL
    mcr     p15, 0, r0, c10, c2, 0      @ MAIR0
    MOV32   r0, TTBCR_EAE               @ T0SZ = 0, T1SZ = 0: TTBR0 for all VAs
    mcr     p15, 0, r0, c2, c0, 2       @ TTBCR
    ldr     r0, =l1
    MOV32   r1, ASID(1)
    mcrr    p15, 0, r0, r1, c2          @ TTBR0
    isb
    mcr     p15, 0, r0, c8, c7, 0       @ TLBIALL
    dsb
    isb
    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #SCTLR_M
    mcr     p15, 0, r0, c1, c0, 0       @ SCTLR.M = 1
    isb
    mrc     p15, 0, r0, c1, c0, 0
    and     r0, r0, #SCTLR_M
    EXPECT(r0, 1)

    /* ---- 1 GB block alias: VA 0x80000000 + x -> PA 0x40000000 + x -------- */
    ldr     r4, =magic
    add     r5, r4, #(VA_ALIAS1G - 0x40000000)
    ldr     r0, [r5]
    EXPECT(r0, 0x600df00d)
    MOV32   r0, 0x5eed0001
    str     r0, [r5]                    @ store through the alias ...
    ldr     r1, [r4]                    @ ... read through the identity map
    EXPECT(r1, 0x5eed0001)

    /* ---- 4 KB page alias: VA 0x40200000 -> page_a ----------------------- */
    MOV32   r5, VA_PAGE(0)
    ldr     r0, [r5, #4]
    EXPECT(r0, 0xaaaa0004)
    MOV32   r0, 0x12345678
    str     r0, [r5, #0x10]
    ldr     r4, =page_a
    ldr     r1, [r4, #0x10]
    EXPECT(r1, 0x12345678)
    MOV32   r0, 0x9abcdef0
    str     r0, [r4, #0x14]             @ and the other way round
    ldr     r1, [r5, #0x14]
    EXPECT(r1, 0x9abcdef0)

    /* ---- Translation fault, level 1: L1[3] invalid (T1SZ = 0) ------------- */
    MOV32   r5, VA_HIGH + 0x40
    mov     r6, #0x77
    ARM_FAULT
dabt_l1:
    ldr     r6, [r5]                    @ aborts; the hook skips it
    EXPECT(r6, 0x77)                    @ destination not written
    /* DFSR = LPAE | FS 0b000101 (Translation, level 1) */
    CHECK_FAULT FSR_LPAE | FS_TRANS(1), VA_HIGH + 0x40, dabt_l1

    /* ---- Translation fault, level 2: l2[2] invalid ------------------------ */
    MOV32   r5, VA_NO_L2 + 0x100
    ARM_FAULT
dabt_l2:
    str     r6, [r5]
    /* DFSR = LPAE | WnR | FS 0b000110 (Translation, level 2) */
    CHECK_FAULT FSR_LPAE | FSR_WNR | FS_TRANS(2), VA_NO_L2 + 0x100, dabt_l2

    /* ---- Translation fault, level 3: l3[1] invalid, load then store ------ */
    MOV32   r5, VA_PAGE(1) + 8
    ARM_FAULT
dabt_l3_ld:
    ldr     r6, [r5]
    /* DFSR = LPAE | FS 0b000111 (Translation, level 3) */
    CHECK_FAULT FSR_LPAE | FS_TRANS(3), VA_PAGE(1) + 8, dabt_l3_ld
    ARM_FAULT
dabt_l3_st:
    str     r6, [r5]
    /* DFSR = LPAE | WnR | FS 0b000111 */
    CHECK_FAULT FSR_LPAE | FSR_WNR | FS_TRANS(3), VA_PAGE(1) + 8, dabt_l3_st

    /* ---- demand paging: the hook installs l3[1] -> page_b and retries ----- */
    MOV32   r0, l3 + 1 * 8
    str     r0, [r10, #R_FIX]
    MOV32   r0, page_b + (D_PAGE | NORMAL | D_AP_RW)
    str     r0, [r10, #R_FIXLO]
    mov     r0, #0
    str     r0, [r10, #R_FIXHI]
    ARM_FAULT
dabt_demand:
    ldr     r6, [r5]                    @ faults once, then reads page_b + 8
    EXPECT(r6, 0xbbbb0008)
    /* one fault: DFSR = LPAE | Translation level 3 */
    CHECK_FAULT FSR_LPAE | FS_TRANS(3), VA_PAGE(1) + 8, dabt_demand

    /* ---- Access flag fault, level 3: the hook sets AF, TLBIMVA, retries --- */
    MOV32   r5, VA_PAGE(2) + 4
    MOV32   r0, l3 + 2 * 8
    str     r0, [r10, #R_FIX]
    MOV32   r0, page_b + (D_PAGE | NORMAL | D_AP_RW)     @ same, AF = 1
    str     r0, [r10, #R_FIXLO]
    mov     r0, #0
    str     r0, [r10, #R_FIXHI]
    ARM_FAULT
dabt_af:
    ldr     r6, [r5]
    EXPECT(r6, 0xbbbb0004)
    /* DFSR = LPAE | FS 0b001011 (Access flag, level 3) */
    CHECK_FAULT FSR_LPAE | FS_AF(3), VA_PAGE(2) + 4, dabt_af
    ldr     r0, =l3
    ldr     r0, [r0, #2 * 8]
    ubfx    r0, r0, #10, #1
    EXPECT(r0, 1)                       @ AF now set in the descriptor

    /* ---- Permission fault: store to an AP[2] = 1 (PL1 read-only) page ----- */
    MOV32   r5, VA_PAGE(3) + 0xc
    ldr     r6, [r5]                    @ reading is allowed
    EXPECT(r6, 0xbbbb000c)
    ARM_FAULT
dabt_ro:
    str     r6, [r5]
    /* DFSR = LPAE | WnR | FS 0b001111 (Permission, level 3) */
    CHECK_FAULT FSR_LPAE | FSR_WNR | FS_PERM(3), VA_PAGE(3) + 0xc, dabt_ro

    /* ---- Permission fault: LDRT (unprivileged) from an AP[1] = 0 page ----- */
    MOV32   r5, VA_PAGE(4)
    ldr     r6, [r5]                    @ PL1 access is allowed
    EXPECT(r6, 0xbbbb0000)
    ARM_FAULT
dabt_ldrt:
    ldrt    r6, [r5]
    /* DFSR = LPAE | FS 0b001111 (Permission, level 3), a read */
    CHECK_FAULT FSR_LPAE | FS_PERM(3), VA_PAGE(4), dabt_ldrt
    MOV32   r0, VA_PAGE(4)
    EXPECT_REG(r5, r0)                  @ aborted: no base writeback

    /* ---- Prefetch aborts: IFSR / IFAR, resumed at r11 --------------------- */
    MOV32   r6, VA_PAGE(8)              @ Translation fault, level 3
    adr     r11, 1f
    ARM_FAULT
    blx     r6
    /* IFSR = LPAE | FS 0b000111, IFAR = pc = the target */
1:  CHECK_FAULT FSR_LPAE | FS_TRANS(3), VA_PAGE(8), VA_PAGE(8)
    MOV32   r6, VA_PAGE(5)              @ XN page: Permission fault, level 3
    adr     r11, 1f
    ARM_FAULT
    blx     r6
    /* IFSR = LPAE | FS 0b001111 (Permission, level 3) */
1:  CHECK_FAULT FSR_LPAE | FS_PERM(3), VA_PAGE(5), VA_PAGE(5)
    MOV32   r6, VA_PAGE(6)              @ PXN page fetched at PL1: same
    adr     r11, 1f
    ARM_FAULT
    blx     r6
1:  CHECK_FAULT FSR_LPAE | FS_PERM(3), VA_PAGE(6), VA_PAGE(6)
    ldr     r6, =code_page              @ the same code through the identity map
    mov     r0, #0
    blx     r6
    EXPECT(r0, 0xc0de0001)

    /* ---- User mode: AP[1] = 0 and PL1-only pages fault, PXN page runs ----- */
    mov     r4, #0
    str     r4, [r10, #R_COUNT]
    MOV32   r5, VA_PAGE(4)
    MOV32   r6, VA_PAGE(3)
    MOV32   r7, VA_PAGE(6)
    MOV32   r8, VA_PAGE(0)
    mov     r9, #0x55
    ldr     r0, =(PSR_A | PSR_I | PSR_F | MODE_USR)
    msr     SPSR_cxsf, r0
    adr     lr, usr_code
    movs    pc, lr                      @ to User mode
usr_code:
    ldr     r9, [r5]                    @ AP = 00: Permission fault (read)
usr_ld:
    ldr     r1, [r10, #R_PC]
    ldr     r2, [r10, #R_FSR]
    ldr     r3, [r10, #R_SPSR]
    str     r9, [r6]                    @ AP = 10: Permission fault (write)
usr_st:
    ldr     r4, [r8]                    @ AP = 01: allowed
    mov     r0, #0
    blx     r7                          @ PXN does not apply to PL0
    svc     #0                          @ exc_svc_hook: back to SVC here
    EXPECT(r9, 0x55)
    EXPECT(r2, FSR_LPAE | FS_PERM(3))   @ the User mode load
    and     r3, r3, #0x1f
    EXPECT(r3, MODE_USR)                @ taken from User mode
    EXPECT(r4, 0xaaaa0000)
    EXPECT(r0, 0xc0de0001)              @ code_page ran in User mode
    adr     r0, usr_ld - 4
    EXPECT_REG(r1, r0)                  @ the User mode load faulted
    /* last abort: the store, DFSR = LPAE | WnR | Permission level 3 */
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 2)
    ldr     r0, [r10, #R_FSR]
    EXPECT(r0, FSR_LPAE | FSR_WNR | FS_PERM(3))
    ldr     r0, [r10, #R_FAR]
    EXPECT(r0, VA_PAGE(3))
    ldr     r0, [r10, #R_PC]
    adr     r1, usr_st - 4
    EXPECT_REG(r0, r1)
    mrs     r0, CPSR
    and     r0, r0, #0x1f
    EXPECT(r0, MODE_SVC)

    /* ---- address translation operations and the 64-bit PAR -------------- */
    MOV32   r0, VA_PAGE(0) + 0x10
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR: page_a
    CHECK_PAR_OK page_a
    MOV32   r0, VA_ALIAS1G + 0x1234
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR: 1 GB block -> 0x40001000
    CHECK_PAR_OK 0x40001000
    MOV32   r0, VA_PAGE(3)
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR, PL1 read-only page: ok
    CHECK_PAR_OK page_b
    MOV32   r0, VA_PAGE(3)
    mcr     p15, 0, r0, c7, c8, 1       @ ATS1CPW: Permission fault, level 3
    CHECK_PAR_FAULT FS_PERM(3)
    MOV32   r0, VA_PAGE(4)
    mcr     p15, 0, r0, c7, c8, 2       @ ATS1CUR, AP = 00: Permission fault
    CHECK_PAR_FAULT FS_PERM(3)
    MOV32   r0, VA_PAGE(3)
    mcr     p15, 0, r0, c7, c8, 3       @ ATS1CUW, AP = 10: Permission fault
    CHECK_PAR_FAULT FS_PERM(3)
    MOV32   r0, VA_PAGE(4)
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR, AP = 00: ok
    CHECK_PAR_OK page_b
    MOV32   r0, VA_PAGE(0)
    mcr     p15, 0, r0, c7, c8, 2       @ ATS1CUR, AP = 01: ok
    CHECK_PAR_OK page_a
    MOV32   r0, VA_PAGE(8)
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR: Translation fault, level 3
    CHECK_PAR_FAULT FS_TRANS(3)
    MOV32   r0, VA_NO_L2
    mcr     p15, 0, r0, c7, c8, 0       @ Translation fault, level 2
    CHECK_PAR_FAULT FS_TRANS(2)
    MOV32   r0, VA_HIGH
    mcr     p15, 0, r0, c7, c8, 0       @ Translation fault, level 1
    CHECK_PAR_FAULT FS_TRANS(1)
    MOV32   r0, VA_PAGE(9)
    mcr     p15, 0, r0, c7, c8, 0       @ AF = 0: Access flag fault, level 3
    CHECK_PAR_FAULT FS_AF(3)

    /* ---- ASIDs: nG page VA_PAGE(7), TTBR0.ASID, TLBIASID ------------------- */
    MOV32   r5, VA_PAGE(7)
    ldr     r0, [r5]                    @ ASID 1: page_a
    EXPECT(r0, 0xaaaa0000)
    DESC    l3 + 7 * 8, page_b + (D_PAGE | NORMAL | D_AP_RW | D_NG), 0
    dsb
    ldr     r0, =l1                     @ switch to ASID 2: the ASID 1 entry
    MOV32   r1, ASID(2)                 @ cannot match, a walk sees page_b
    mcrr    p15, 0, r0, r1, c2
    isb
    ldr     r0, [r5]
    EXPECT(r0, 0xbbbb0000)
    mrrc    p15, 0, r0, r1, c2
    EXPECT(r1, ASID(2))
    mov     r0, #1
    mcr     p15, 0, r0, c8, c7, 2       @ TLBIASID 1: drop the stale entry
    dsb
    ldr     r0, =l1
    MOV32   r1, ASID(1)                 @ back to ASID 1
    mcrr    p15, 0, r0, r1, c2
    isb
    ldr     r0, [r5]
    EXPECT(r0, 0xbbbb0000)
    /* break-before-make back to page_a; entries of ASIDs 1 and 2 may be
     * cached: TLBIMVAA (any ASID) */
    DESC    l3 + 7 * 8, 0, 0
    dsb
    MOV32   r0, VA_PAGE(7)
    mcr     p15, 0, r0, c8, c7, 3       @ TLBIMVAA
    dsb
    DESC    l3 + 7 * 8, page_a + (D_PAGE | NORMAL | D_AP_RW | D_NG), 0
    dsb
    isb
    ldr     r0, [r5, #4]
    EXPECT(r0, 0xaaaa0004)

    /* ---- TTBR1: TTBCR.T1SZ = 2, VAs >= 0xc0000000 walk from level 2 ------- */
    ldr     r0, =l2                     @ TTBR1 -> the level 2 table `l2`
    mov     r1, #0
    mcrr    p15, 1, r0, r1, c2          @ TTBR1
    MOV32   r0, TTBCR_EAE | TTBCR_T1SZ(2)
    mcr     p15, 0, r0, c2, c0, 2       @ TTBCR
    isb
    mcr     p15, 0, r0, c8, c7, 0       @ TLBIALL
    dsb
    isb
    ldr     r4, =magic
    add     r5, r4, #(VA_HIGH - 0x40000000)
    ldr     r0, [r5]                    @ l2[0]: the RAM block
    EXPECT(r0, 0x5eed0001)
    MOV32   r5, VA_HIGH + 0x200000      @ l2[1] -> l3[0]: page_a
    ldr     r0, [r5, #8]
    EXPECT(r0, 0xaaaa0008)
    MOV32   r5, VA_HIGH + 0x400008      @ l2[2]: Translation fault, level 2
    ARM_FAULT
dabt_ttbr1:
    ldr     r0, [r5]
    /* the TTBR1 walk starts at level 2: DFSR = LPAE | FS 0b000110 */
    CHECK_FAULT FSR_LPAE | FS_TRANS(2), VA_HIGH + 0x400008, dabt_ttbr1
    MOV32   r0, VA_HIGH + 0x200010
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR through TTBR1
    CHECK_PAR_OK page_a
    ldr     r4, =magic                  @ 0x80000000-0xbfffffff still TTBR0
    add     r5, r4, #(VA_ALIAS1G - 0x40000000)
    ldr     r0, [r5]
    EXPECT(r0, 0x5eed0001)

    /* ---- MMU off ----------------------------------------------------------- */
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #SCTLR_M
    mcr     p15, 0, r0, c1, c0, 0
    isb
    TEST_PASS
    .size   main, . - main

/*
 * void exc_dabt_hook(struct exc_frame *f): record DFSR, DFAR, the faulting
 * pc and SPSR; with R_FIX set, write the 64-bit descriptor R_FIXHI:R_FIXLO
 * there (once), TLBIMVA the faulting page (current ASID) and retry the
 * access; otherwise skip the faulting instruction.
 */
    .global exc_dabt_hook
    .type   exc_dabt_hook, %function
exc_dabt_hook:
    ldr     r3, =rec
    mrc     p15, 0, r2, c5, c0, 0       @ DFSR
    str     r2, [r3, #R_FSR]
    mrc     p15, 0, r2, c6, c0, 0       @ DFAR
    str     r2, [r3, #R_FAR]
    ldr     r1, [r0, #EXC_FRAME_PC]
    str     r1, [r3, #R_PC]
    ldr     r2, [r0, #EXC_FRAME_CPSR]
    str     r2, [r3, #R_SPSR]
    ldr     r2, [r3, #R_COUNT]
    add     r2, r2, #1
    str     r2, [r3, #R_COUNT]
    ldr     ip, [r3, #R_FIX]
    cmp     ip, #0
    addeq   r1, r1, #4
    streq   r1, [r0, #EXC_FRAME_PC]
    bxeq    lr
    ldr     r1, [r3, #R_FIXLO]
    ldr     r2, [r3, #R_FIXHI]
    str     r2, [ip, #4]                @ high word first, valid bit last
    str     r1, [ip]
    mov     r1, #0
    str     r1, [r3, #R_FIX]
    dsb
    mrrc    p15, 0, r1, r2, c2          @ TTBR0: the current ASID (TTBCR.A1 = 0)
    ubfx    r2, r2, #16, #8
    ldr     r1, [r3, #R_FAR]
    bfc     r1, #0, #12
    orr     r1, r1, r2
    mcr     p15, 0, r1, c8, c7, 1       @ TLBIMVA: MVA[31:12] | ASID
    dsb
    isb
    bx      lr                          @ frame->pc unchanged: retry
    .size   exc_dabt_hook, . - exc_dabt_hook

/* void exc_pabt_hook(struct exc_frame *f): record IFSR, IFAR, pc; resume at r11 */
    .global exc_pabt_hook
    .type   exc_pabt_hook, %function
exc_pabt_hook:
    ldr     r3, =rec
    mrc     p15, 0, r2, c5, c0, 1       @ IFSR
    str     r2, [r3, #R_FSR]
    mrc     p15, 0, r2, c6, c0, 2       @ IFAR
    str     r2, [r3, #R_FAR]
    ldr     r1, [r0, #EXC_FRAME_PC]
    str     r1, [r3, #R_PC]
    ldr     r2, [r0, #EXC_FRAME_CPSR]
    str     r2, [r3, #R_SPSR]
    ldr     r2, [r3, #R_COUNT]
    add     r2, r2, #1
    str     r2, [r3, #R_COUNT]
    ldr     r1, [r0, #11 * 4]           @ the interrupted r11
    str     r1, [r0, #EXC_FRAME_PC]
    bx      lr
    .size   exc_pabt_hook, . - exc_pabt_hook

/* void exc_svc_hook(struct exc_frame *f): SVC from User mode -> continue in SVC */
    .global exc_svc_hook
    .type   exc_svc_hook, %function
exc_svc_hook:
    movw    r1, #(PSR_A | PSR_I | PSR_F | MODE_SVC)
    str     r1, [r0, #EXC_FRAME_CPSR]
    bx      lr
    .size   exc_svc_hook, . - exc_svc_hook
    .ltorg

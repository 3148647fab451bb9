/*
 * mmu_s2.S - stage 2 translation (Virtualization Extensions) run by a tiny
 * hypervisor in hyp_main, with a guest in SVC and User mode, and KVM/ARM
 * style handling of stage 2 aborts.  ARM ARM ARMv7-A/R references:
 *  - B3.6 Long-descriptor tables, stage 2: VTCR (B4.1.159: T0SZ = 0,
 *    SL0 = 0b01, lookup starts at level 1), VTTBR (B4.1.160: BADDR, VMID in
 *    [55:48]), HCR.VM (B4.1.65); stage 2 descriptors with MemAttr[5:2],
 *    HAP[7:6] and XN[54] (B3.6.2, B3.8.x); the IPA of a PL1&0 access goes
 *    through stage 2 with the guest's SCTLR.M = 0 (VA = IPA) and = 1;
 *  - B3.12.x stage 2 faults are taken to Hyp mode (HVBAR + 0x14) whatever
 *    the guest's mode: B3.13.6 HSR EC 0x24 (Data Abort from a lower mode)
 *    with ISS ISV/SAS/SSE/SRT/WnR/DFSC, EC 0x20 (Prefetch Abort from a
 *    lower mode) with IFSC; B4.1.69 HDFAR, B4.1.71 HIFAR (the VA),
 *    B4.1.70 HPFAR (FIPA = IPA[39:12] in [31:4]); HPFAR is UNKNOWN for a
 *    stage 2 Permission fault, so there the handler gets the IPA the way
 *    KVM does, with ATS1CPR of HDFAR/HIFAR from Hyp mode (PAR[39:12]);
 *    ELR_hyp = the faulting instruction (B1.8.3); HSR.IL is UNK/SBZP for a
 *    Prefetch Abort and a Data Abort with ISV = 0, so not compared there;
 *  - ISV = 1 only for a single-register load/store without writeback
 *    (LDR, LDRH, LDRSB, LDRB, STR, STRH here); 0 for LDR with pre-indexed
 *    writeback, post-indexed LDR and LDM.  SAS = access size, SSE = sign
 *    extension, SRT = transfer register;
 *  - the hypervisor emulates an MMIO load by writing the register SRT
 *    names and an MMIO store by reading it, then ELR_hyp += 4 (like KVM's
 *    kvm_handle_mmio_return / kvm_skip_instr);
 *  - a stage 2 Permission fault on a store to an HAP = 0b01 (read-only)
 *    page, a stage 2 Translation fault at level 2, instruction fetches
 *    from an unmapped IPA and from a stage 2 XN page (EC 0x20);
 *  - B3.9 / B4.2.2 VMIDs: a second VMID whose stage 2 tables map the same
 *    IPA to another PA (HVC services in Hyp: VTTBR switch, TLBIALL and
 *    TLBIALLNSNH);
 *  - a guest stage 1 (LPAE, 1 GB blocks) on top: HDFAR holds the VA,
 *    HPFAR the IPA; a guest stage 1 fault goes to the guest's own PL1
 *    abort handler (DFSR/DFAR, B3.12); ATS1CPR from the guest returns the
 *    IPA (stage 1 only, B4.2.6);
 *  - HCR.DC (B4.1.65): with the guest's SCTLR.M = 1, its stage 1 behaves
 *    as off (VA = IPA) and stage 2 as on: a VA its stage 1 maps takes a
 *    stage 2 fault at its own value as IPA.
 *
 * Stage 2, VMID 1 (s2_l1 -> s2_l2 -> s2_l3):
 *   IPA 0x00000000 1 GB block identity, Device, XN (UART)
 *   IPA 0x40000000 2 MB block identity, Normal, RW (program)
 *   IPA 0x40300000 + n * 4 KB (s2_l3[0x100 + n]):
 *     0 page_a RW   1 page_b read-only   2 unmapped ("MMIO")
 *     3 unmapped    4 code_page XN
 *   IPA page_b + 0x200000 (IPA_X): page_a
 *   IPA 0x40400000 unmapped at level 2
 * Stage 2, VMID 2 (s2_l1_vm2 -> s2_l2_vm2):
 *   IPA 0x00000000 as VMID 1, IPA 0x40000000 2 MB identity,
 *   IPA 0x40200000 2 MB block -> PA 0x40000000, so IPA_X -> page_b.
 * Guest stage 1 (g_l1, written by hyp_main, enabled by the guest): VA 0x0 and 0x40000000
 * identity 1 GB blocks, VA 0x80000000 1 GB block -> IPA 0x40000000,
 * VA 0xc0000000 invalid.
 */
#include "asm.h"
#include "exc.h"
#include "lpae.h"

/* stage 1 long descriptors (B3.6.2) */
/* stage 2 descriptors (B3.6.2): MemAttr[5:2], HAP[7:6], SH, AF, XN */

#define VTCR_VAL    ((1 << 31) | (1 << 6)) /* RES1, SL0 = 01 (level 1), T0SZ = 0 */

/* HSR (B3.13.6) */

#define IPA_PAGE(n) (0x40300000 + (n) * 0x1000)
#define IPA_NO_L2   0x40400000
#define VA_ALIAS    0x80000000          /* guest stage 1: -> IPA 0x40000000 */
#define VA_HIGH     0xc0000000
#define MMIO_VALUE  0x89abcdef

/* Hyp record (hrec), written by hyp_exc_hook */
#define H_HSR       0
#define H_HDFAR     4
#define H_HIFAR     8
#define H_HPFAR     12
#define H_ELR       16
#define H_SPSR      20
#define H_COUNT     24                  /* stage 2 aborts */
#define H_MMIO_RD   28                  /* value an emulated load returns */
#define H_MMIO_WR   32                  /* value of the last emulated store */
#define H_HVC       36                  /* HVC calls */
/* guest record (grec), written by the guest's PL1 abort hook */
#define G_FSR       0
#define G_FAR       4
#define G_PC        8
#define G_COUNT     12

    .macro ARM_TRAP
    mov     r0, #0
    str     r0, [r10, #H_COUNT]
    .endm

/* one stage 2 abort since ARM_TRAP: HSR, fault address (register at
 * offset \faroff of hrec), HPFAR (unless -1) and ELR_hyp.  ilunk=1: HSR.IL
 * is not compared (B3.13.6: IL is UNK/SBZP for a Prefetch Abort and for a
 * Data Abort with ISV = 0; QEMU 7.2 reports 0 there for ARMv7 CPUs) */
    .macro CHECK_TRAP hsr, faroff, far, pc, hpfar=-1, ilunk=0
    ldr     r0, [r10, #H_COUNT]
    EXPECT(r0, 1)
    ldr     r0, [r10, #H_HSR]
    .if \ilunk
    bic     r0, r0, #HSR_IL
    .endif
    EXPECT(r0, \hsr)
    ldr     r0, [r10, #\faroff]
    EXPECT(r0, \far)
    ldr     r0, [r10, #H_ELR]
    MOV32   r1, \pc
    EXPECT_REG(r0, r1)
    .if \hpfar != -1
    ldr     r0, [r10, #H_HPFAR]
    EXPECT(r0, \hpfar)
    .endif
    .endm

/* ------------------------------------------------------------------------ */
    .bss
    .balign 4096
s2_l2:      .space  4096                @ VMID 1, IPA 0x40000000-0x7fffffff
s2_l3:      .space  4096                @ VMID 1, IPA 0x40200000-0x403fffff
s2_l2_vm2:  .space  4096                @ VMID 2, IPA 0x40000000-0x7fffffff
    .balign 32
s2_l1:      .space  32                  @ VMID 1 level 1 (T0SZ = 0: 4 entries)
s2_l1_vm2:  .space  32                  @ VMID 2 level 1
g_l1:       .space  32                  @ guest stage 1, level 1
hrec:       .space  64
grec:       .space  16

    .data
    .balign 4096
page_a: .word   0xaaaa0000, 0xaaaa0004, 0xaaaa0008, 0xaaaa000c
        .space  4096 - 16
page_b: .word   0xbbbb0000, 0xbbbb0004, 0xbbbb0008, 0xbbbb000c
        .space  4096 - 16

    TEST_BEGIN mmu_s2
    .text
    .balign 4096
code_page:                              @ fetched through the stage 2 XN page
    mov     r0, #1
    bx      lr

/* ------------------------------------------------------------------------ */
    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    push    {r4-r11, lr}
    ldr     r10, =hrec
    MOV32   r0, MMIO_VALUE
    str     r0, [r10, #H_MMIO_RD]

    /* stage 2 tables, VMID 1 */
    DESC    s2_l1 + 0 * 8, 0x00000000 | D_BLOCK | S2_DEVICE | S2_HAP_RW | S2_AF, S2H_XN
    DESC    s2_l1 + 1 * 8, s2_l2 + D_TABLE, 0
    DESC    s2_l2 + 0 * 8, 0x40000000 | D_BLOCK | S2_NORMAL | S2_HAP_RW | S2_AF, 0
    DESC    s2_l2 + 1 * 8, s2_l3 + D_TABLE, 0
    DESC    s2_l3 + 0x100 * 8, page_a + (D_PAGE | S2_NORMAL | S2_HAP_RW | S2_AF), 0
    DESC    s2_l3 + 0x101 * 8, page_b + (D_PAGE | S2_NORMAL | S2_HAP_RO | S2_AF), 0
    DESC    s2_l3 + 0x104 * 8, code_page + (D_PAGE | S2_NORMAL | S2_HAP_RW | S2_AF), S2H_XN
    /* IPA_X = page_b + 0x200000 -> page_a: entry (page_b - 0x40000000) >> 12 */
    ldr     r2, =page_b
    sub     r2, r2, #0x40000000
    lsr     r2, r2, #12
    ldr     r3, =s2_l3
    add     r2, r3, r2, lsl #3
    MOV32   r0, page_a + (D_PAGE | S2_NORMAL | S2_HAP_RW | S2_AF)
    mov     r1, #0
    strd    r0, r1, [r2]
    /* stage 2 tables, VMID 2 */
    DESC    s2_l1_vm2 + 0 * 8, 0x00000000 | D_BLOCK | S2_DEVICE | S2_HAP_RW | S2_AF, S2H_XN
    DESC    s2_l1_vm2 + 1 * 8, s2_l2_vm2 + D_TABLE, 0
    DESC    s2_l2_vm2 + 0 * 8, 0x40000000 | D_BLOCK | S2_NORMAL | S2_HAP_RW | S2_AF, 0
    DESC    s2_l2_vm2 + 1 * 8, 0x40000000 | D_BLOCK | S2_NORMAL | S2_HAP_RW | S2_AF, 0
    /* the guest's stage 1 table (IPA == PA here) */
    DESC    g_l1 + 0 * 8, 0x00000000 | D_BLOCK | D_ATTR(1) | D_AF | D_AP_PL1RW, DH_XN | DH_PXN
    DESC    g_l1 + 1 * 8, 0x40000000 | D_BLOCK | D_ATTR(0) | D_SH_IS | D_AF | D_AP_RW, 0
    DESC    g_l1 + 2 * 8, 0x40000000 | D_BLOCK | D_ATTR(0) | D_SH_IS | D_AF | D_AP_RW, DH_XN
    dsb

    /* VTCR, VTTBR (VMID 1), TLBIALLNSNH, HCR.VM */
    MOV32   r0, VTCR_VAL
    mcr     p15, 4, r0, c2, c1, 2       @ VTCR
    ldr     r0, =s2_l1
    MOV32   r1, VMID(1)
    mcrr    p15, 6, r0, r1, c2          @ VTTBR
    isb
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb
    mov     r0, #HCR_VM
    mcr     p15, 4, r0, c1, c1, 0       @ HCR
    isb
    mrc     p15, 4, r0, c2, c1, 2
    EXPECT(r0, VTCR_VAL)

    /* enter the guest in SVC mode; HVC #0 comes back to hyp_resume */
    ldr     r0, =(PSR_A | PSR_I | PSR_F | MODE_SVC)
    msr     SPSR_cxsf, r0
    ldr     r0, =guest
    msr     ELR_hyp, r0
    eret
hyp_resume:
    ldr     r10, =hrec
    mrs     r0, CPSR
    and     r0, r0, #0x1f
    EXPECT(r0, MODE_HYP)
    ldr     r0, [r10, #H_HVC]
    EXPECT(r0, 5)                       @ HVC #1, #2, #3, #4, #0
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0       @ HCR.VM = 0
    isb
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb
    isb
    pop     {r4-r11, lr}
    mov     r0, #0                      @ crt0 goes on to main
    bx      lr
    .size   hyp_main, . - hyp_main

    .global main
    .type   main, %function
main:
    TEST_PASS
    .size   main, . - main

/* ------------------------------------------------------------------------
 * The guest: SVC mode, PL1&0 regime, stage 2 on.
 */
    .type   guest, %function
guest:
    ldr     r10, =hrec
    ldr     r11, =grec
    mrs     r0, CPSR
    and     r0, r0, #0x1f
    EXPECT(r0, MODE_SVC)
    mrc     p15, 0, r0, c1, c0, 0
    and     r0, r0, #SCTLR_M
    EXPECT(r0, 0)                       @ guest stage 1 off: VA == IPA

    /* ---- IPA alias: IPA_PAGE(0) -> page_a ------------------------------- */
    MOV32   r5, IPA_PAGE(0)
    ldr     r0, [r5, #4]
    EXPECT(r0, 0xaaaa0004)
    MOV32   r0, 0x12345678
    str     r0, [r5, #0x10]
    ldr     r4, =page_a
    ldr     r1, [r4, #0x10]
    EXPECT(r1, 0x12345678)

    /* ---- MMIO emulation: stage 2 Translation faults, level 3 ------------- */
    MOV32   r6, IPA_PAGE(2)
    ARM_TRAP
g_ldr:
    ldr     r5, [r6, #0x10]
    EXPECT(r5, MMIO_VALUE)
    /* HSR = EC 0x24 | IL | ISV | SAS 2 (word) | SRT 5 | DFSC Translation L3 */
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(5) | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 0x10, g_ldr, HPFAR(IPA_PAGE(2))
    MOV32   r0, IPA_PAGE(2)
    EXPECT_REG(r6, r0)

    ARM_TRAP
g_ldrh:
    ldrh    r7, [r6, #2]
    EXPECT(r7, MMIO_VALUE & 0xffff)     @ zero-extended halfword
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(1) | SRT(7) | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 2, g_ldrh, HPFAR(IPA_PAGE(2))

    ARM_TRAP
g_ldrsb:
    ldrsb   r9, [r6, #1]
    EXPECT(r9, 0xffffffef)              @ sign-extended byte 0xef
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(0) | SSE | SRT(9) | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 1, g_ldrsb, HPFAR(IPA_PAGE(2))

    ARM_TRAP
g_ldrb:
    ldrb    r8, [r6, #3]
    EXPECT(r8, 0xef)
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(0) | SRT(8) | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 3, g_ldrb, HPFAR(IPA_PAGE(2))

    MOV32   r8, 0x1234abcd
    ARM_TRAP
g_strh:
    strh    r8, [r6, #4]
    ldr     r0, [r10, #H_MMIO_WR]
    EXPECT(r0, 0xabcd)
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(1) | SRT(8) | WNR | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 4, g_strh, HPFAR(IPA_PAGE(2))

    MOV32   r4, 0xfeedface
    ARM_TRAP
g_str:
    str     r4, [r6, #8]
    ldr     r0, [r10, #H_MMIO_WR]
    EXPECT(r0, 0xfeedface)
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(4) | WNR | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 8, g_str, HPFAR(IPA_PAGE(2))

    /* writeback forms and LDM: ISV = 0, nothing to emulate (skipped) */
    ARM_TRAP
    mov     r0, #0x11
g_ldr_pre:
    ldr     r0, [r6, #4]!
    EXPECT(r0, 0x11)
    MOV32   r1, IPA_PAGE(2)
    EXPECT_REG(r6, r1)                  @ aborted: base not written back
    /* HSR = EC 0x24 | ISV 0 | DFSC Translation L3 (IL not valid) */
    CHECK_TRAP HSR_EC_DABT_LOW | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 4, g_ldr_pre, HPFAR(IPA_PAGE(2)), ilunk=1

    ARM_TRAP
g_ldr_post:
    ldr     r0, [r6], #4
    MOV32   r1, IPA_PAGE(2)
    EXPECT_REG(r6, r1)
    CHECK_TRAP HSR_EC_DABT_LOW | FS_TRANS(3), H_HDFAR, IPA_PAGE(2), g_ldr_post, HPFAR(IPA_PAGE(2)), ilunk=1

    ARM_TRAP
g_ldm:
    ldm     r6, {r0, r1}
    CHECK_TRAP HSR_EC_DABT_LOW | FS_TRANS(3), H_HDFAR, IPA_PAGE(2), g_ldm, HPFAR(IPA_PAGE(2)), ilunk=1

    /* ---- stage 2 Translation fault at level 2 (emulated too) -------------- */
    MOV32   r6, IPA_NO_L2 + 0x20
    ARM_TRAP
g_ldr_l2:
    ldr     r3, [r6]
    EXPECT(r3, MMIO_VALUE)
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(3) | FS_TRANS(2), H_HDFAR, IPA_NO_L2 + 0x20, g_ldr_l2, HPFAR(IPA_NO_L2)

    /* ---- read-only page: loads work, a store is a Permission fault -------- */
    MOV32   r6, IPA_PAGE(1)
    ldr     r0, [r6, #8]
    EXPECT(r0, 0xbbbb0008)
    ARM_TRAP
g_str_ro:
    str     r0, [r6, #8]
    /* HSR = EC 0x24 | IL | ISV | SAS 2 | SRT 0 | WnR | DFSC Permission L3;
     * HPFAR is UNKNOWN here: the recorded IPA page comes from ATS1CPR */
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(0) | WNR | FS_PERM(3), H_HDFAR, IPA_PAGE(1) + 8, g_str_ro, HPFAR(IPA_PAGE(1))
    ldr     r0, =page_b
    ldr     r0, [r0, #8]
    EXPECT(r0, 0xbbbb0008)              @ not written

    /* ---- instruction fetch from an unmapped IPA and from an XN page ------- */
    MOV32   r6, IPA_PAGE(3)
    adr     r11, 1f                     @ the hook resumes at r11
    ARM_TRAP
    blx     r6
    /* HSR = EC 0x20 | IFSC Translation L3 (IL not valid) */
1:  CHECK_TRAP HSR_EC_IABT_LOW | FS_TRANS(3), H_HIFAR, IPA_PAGE(3), IPA_PAGE(3), HPFAR(IPA_PAGE(3)), ilunk=1
    MOV32   r6, IPA_PAGE(4)
    adr     r11, 1f
    ARM_TRAP
    blx     r6
    /* HSR = EC 0x20 | IFSC Permission L3 (stage 2 XN); IPA from ATS1CPR */
1:  CHECK_TRAP HSR_EC_IABT_LOW | FS_PERM(3), H_HIFAR, IPA_PAGE(4), IPA_PAGE(4), HPFAR(IPA_PAGE(4)), ilunk=1
    ldr     r11, =grec

    /* ---- a User mode MMIO load: still to Hyp, back to User -------------- */
    MOV32   r6, IPA_PAGE(2)
    mov     r5, #0
    ARM_TRAP
    ldr     r0, =(PSR_A | PSR_I | PSR_F | MODE_USR)
    msr     SPSR_cxsf, r0
    adr     lr, 1f
    movs    pc, lr
1:  ldr     r5, [r6, #0xc]              @ User mode
g_usr_ldr:
    svc     #0                          @ back to SVC (exc_svc_hook)
    EXPECT(r5, MMIO_VALUE)
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(5) | FS_TRANS(3), H_HDFAR, IPA_PAGE(2) + 0xc, g_usr_ldr - 4, HPFAR(IPA_PAGE(2))
    ldr     r0, [r10, #H_SPSR]
    and     r0, r0, #0x1f
    EXPECT(r0, MODE_USR)                @ SPSR_hyp: taken from User mode

    /* ---- VMIDs: IPA_X is page_a for VMID 1, page_b for VMID 2 ------------ */
    ldr     r6, =page_b + 0x200000      @ IPA_X
    ldr     r0, [r6]
    EXPECT(r0, 0xaaaa0000)
    hvc     #1                          @ VMID 2
    ldr     r0, [r6]
    EXPECT(r0, 0xbbbb0000)
    ldr     r0, [r6, #0xc]
    EXPECT(r0, 0xbbbb000c)
    hvc     #2                          @ VMID 1 again
    ldr     r0, [r6, #4]
    EXPECT(r0, 0xaaaa0004)

    /* ---- guest stage 1 on: VA -> IPA -> PA -------------------------------- */
    MOV32   r0, MAIR0_VAL
    mcr     p15, 0, r0, c10, c2, 0      @ MAIR0
    MOV32   r0, TTBCR_EAE
    mcr     p15, 0, r0, c2, c0, 2       @ TTBCR
    ldr     r0, =g_l1
    mov     r1, #0
    mcrr    p15, 0, r0, r1, c2          @ TTBR0
    isb
    mcr     p15, 0, r0, c8, c7, 0       @ TLBIALL (this VMID)
    dsb
    isb
    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #SCTLR_M
    mcr     p15, 0, r0, c1, c0, 0
    isb
    MOV32   r5, VA_ALIAS + (IPA_PAGE(0) - 0x40000000)
    ldr     r0, [r5, #8]                @ VA -> IPA_PAGE(0) -> page_a
    EXPECT(r0, 0xaaaa0008)
    MOV32   r6, VA_ALIAS + (IPA_PAGE(2) - 0x40000000)
    ARM_TRAP
g_va_mmio:
    ldr     r5, [r6, #0x10]
    EXPECT(r5, MMIO_VALUE)
    /* HDFAR = the VA, HPFAR = the IPA */
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(5) | FS_TRANS(3), H_HDFAR, VA_ALIAS + (IPA_PAGE(2) - 0x40000000) + 0x10, g_va_mmio, HPFAR(IPA_PAGE(2))
    /* a guest stage 1 fault goes to the guest's PL1 Data Abort handler */
    MOV32   r6, VA_HIGH + 4
    mov     r0, #0
    str     r0, [r11, #G_COUNT]
    ARM_TRAP
g_s1_fault:
    ldr     r0, [r6]
    ldr     r0, [r10, #H_COUNT]
    EXPECT(r0, 0)                       @ not a stage 2 abort
    ldr     r0, [r11, #G_COUNT]
    EXPECT(r0, 1)
    ldr     r0, [r11, #G_FSR]
    EXPECT(r0, FSR_LPAE | FS_TRANS(1))  @ DFSR: Translation fault, level 1
    ldr     r0, [r11, #G_FAR]
    EXPECT(r0, VA_HIGH + 4)
    ldr     r0, [r11, #G_PC]
    adr     r1, g_s1_fault
    EXPECT_REG(r0, r1)
    /* ATS1CPR from the guest (Non-secure PL1): the IPA */
    MOV32   r0, VA_ALIAS + (IPA_PAGE(2) - 0x40000000) + 0x10
    mcr     p15, 0, r0, c7, c8, 0       @ ATS1CPR
    CHECK_PAR_OK IPA_PAGE(2)
    /* HCR.DC: the guest's stage 1 behaves as off, so VA_ALIAS + x is IPA
     * 0x80302010, which stage 2 does not map at level 1 */
    hvc     #3                          @ HCR := VM | DC
    MOV32   r6, VA_ALIAS + (IPA_PAGE(2) - 0x40000000)
    ARM_TRAP
g_dc:
    ldr     r5, [r6, #0x10]
    EXPECT(r5, MMIO_VALUE)
    CHECK_TRAP HSR_EC_DABT_LOW | HSR_IL | ISV | SAS(2) | SRT(5) | FS_TRANS(1), H_HDFAR, VA_ALIAS + (IPA_PAGE(2) - 0x40000000) + 0x10, g_dc, HPFAR(VA_ALIAS + (IPA_PAGE(2) - 0x40000000))
    hvc     #4                          @ HCR := VM
    MOV32   r6, VA_ALIAS + (IPA_PAGE(0) - 0x40000000)
    ldr     r0, [r6, #8]                @ stage 1 again: VA_ALIAS + x -> page_a
    EXPECT(r0, 0xaaaa0008)
    /* guest stage 1 off again, then leave */
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #SCTLR_M
    mcr     p15, 0, r0, c1, c0, 0
    isb
    hvc     #0                          @ to hyp_resume, does not return
    b       .
    .size   guest, . - guest

/* ------------------------------------------------------------------------
 * void hyp_exc_hook(struct exc_frame *f, int type): the hypervisor.
 * Type 5 (HVBAR + 0x14) only: HVC services and stage 2 aborts.
 */
    .global hyp_exc_hook
    .type   hyp_exc_hook, %function
hyp_exc_hook:
    cmp     r1, #EXC_HYPTRAP
    movne   r2, #1
    bne     exc_unexpected
    push    {r4-r8, lr}
    ldr     r3, =hrec
    mrc     p15, 4, r2, c5, c2, 0       @ HSR
    str     r2, [r3, #H_HSR]
    ldr     ip, [r0, #EXC_FRAME_PC]     @ ELR_hyp
    str     ip, [r3, #H_ELR]
    ldr     ip, [r0, #EXC_FRAME_CPSR]   @ SPSR_hyp
    str     ip, [r3, #H_SPSR]
    ubfx    r4, r2, #26, #6             @ EC
    cmp     r4, #0x12
    beq     h_hvc
    ldr     ip, [r3, #H_COUNT]
    add     ip, ip, #1
    str     ip, [r3, #H_COUNT]
    /* only the registers valid for this abort are read (B3.13.5) */
    cmp     r4, #0x20
    beq     1f
    cmp     r4, #0x24
    bne     h_bad
    mrc     p15, 4, r5, c6, c0, 0       @ HDFAR
    str     r5, [r3, #H_HDFAR]
    b       2f
1:  mrc     p15, 4, r5, c6, c0, 2       @ HIFAR
    str     r5, [r3, #H_HIFAR]
2:  /* the faulting IPA page the KVM way (__populate_fault_info): HPFAR,
     * except for a Permission fault that is not on a stage 1 walk, where
     * HPFAR is UNKNOWN (B4.1.70): then ATS1CPR of the fault address from
     * Hyp mode, PAR[39:12] -> FIPA.  (KVM also saves and restores the
     * guest's PAR around it; this guest holds no PAR value there.) */
    and     ip, r2, #0x3c
    cmp     ip, #0x0c
    bne     3f
    tst     r2, #S1PTW
    bne     3f
    mcr     p15, 0, r5, c7, c8, 0       @ ATS1CPR: the guest's stage 1 only
    isb
    mrrc    p15, 0, r6, r7, c7          @ PAR
    tst     r6, #1
    bne     h_bad                       @ F = 1: guest tables changed
    lsr     ip, r6, #12
    lsl     ip, ip, #4                  @ PA[31:12] -> [23:4]
    and     r7, r7, #0xff
    orr     ip, ip, r7, lsl #24         @ PA[39:32] -> [31:24]
    b       4f
3:  mrc     p15, 4, ip, c6, c0, 4       @ HPFAR
4:  str     ip, [r3, #H_HPFAR]
    cmp     r4, #0x20
    beq     h_iabt
    /* Data Abort: emulate when ISV = 1 and it is a Translation fault */
    tst     r2, #ISV
    beq     h_skip
    and     ip, r2, #0x3c
    cmp     ip, #0x04
    bne     h_skip
    ubfx    r4, r2, #16, #4             @ SRT
    cmp     r4, #12
    bhi     h_bad
    ubfx    r5, r2, #22, #2             @ SAS
    tst     r2, #WNR
    bne     h_store
    ldr     r6, [r3, #H_MMIO_RD]
    cmp     r5, #1
    bhi     2f
    beq     1f
    tst     r2, #SSE                    @ byte
    uxtbeq  r6, r6
    sxtbne  r6, r6
    b       2f
1:  tst     r2, #SSE                    @ halfword
    uxtheq  r6, r6
    sxthne  r6, r6
2:  str     r6, [r0, r4, lsl #2]        @ frame->r[SRT]
    b       h_skip
h_store:
    ldr     r6, [r0, r4, lsl #2]
    cmp     r5, #1
    bhi     2f
    uxtheq  r6, r6
    uxtblo  r6, r6
2:  str     r6, [r3, #H_MMIO_WR]
h_skip:
    ldr     ip, [r0, #EXC_FRAME_PC]     @ ELR_hyp += 4 (ARM instruction)
    add     ip, ip, #4
    str     ip, [r0, #EXC_FRAME_PC]
    pop     {r4-r8, pc}
h_iabt:
    ldr     ip, [r0, #11 * 4]           @ resume at the guest's r11
    str     ip, [r0, #EXC_FRAME_PC]
    pop     {r4-r8, pc}
h_hvc:
    ldr     ip, [r3, #H_HVC]
    add     ip, ip, #1
    str     ip, [r3, #H_HVC]
    ubfx    r4, r2, #0, #16             @ imm16
    cmp     r4, #1
    beq     h_vm2
    cmp     r4, #2
    beq     h_vm1
    cmp     r4, #3
    beq     h_dc_on
    cmp     r4, #4
    beq     h_dc_off
    cmp     r4, #0
    bne     h_bad
    ldr     ip, =hyp_resume             @ HVC #0: back into hyp_main
    str     ip, [r0, #EXC_FRAME_PC]
    movw    ip, #(PSR_A | PSR_I | PSR_F | MODE_HYP)
    str     ip, [r0, #EXC_FRAME_CPSR]
    pop     {r4-r8, pc}
h_vm2:
    ldr     r4, =s2_l1_vm2
    MOV32   r5, VMID(2)
    mcrr    p15, 6, r4, r5, c2          @ VTTBR: VMID 2
    isb
    mcr     p15, 0, r4, c8, c7, 0       @ TLBIALL from Hyp: the current VMID
    dsb
    isb
    pop     {r4-r8, pc}
h_vm1:
    ldr     r4, =s2_l1
    MOV32   r5, VMID(1)
    mcrr    p15, 6, r4, r5, c2          @ VTTBR: VMID 1
    isb
    mcr     p15, 4, r4, c8, c7, 4       @ TLBIALLNSNH
    dsb
    isb
    pop     {r4-r8, pc}
h_dc_on:
    movw    r4, #(HCR_VM | HCR_DC)
    b       1f
h_dc_off:
    mov     r4, #HCR_VM
1:  mcr     p15, 4, r4, c1, c1, 0       @ HCR
    mcr     p15, 4, r4, c8, c7, 4       @ TLBIALLNSNH: DC may be cached in the TLB
    dsb
    isb
    pop     {r4-r8, pc}
h_bad:
    pop     {r4-r8, lr}
    mov     r1, #EXC_HYPTRAP
    mov     r2, #1
    b       exc_unexpected
    .size   hyp_exc_hook, . - hyp_exc_hook

/* guest PL1 hooks: record and skip a Data Abort; SVC from User -> SVC */
    .global exc_dabt_hook
    .type   exc_dabt_hook, %function
exc_dabt_hook:
    ldr     r3, =grec
    mrc     p15, 0, r2, c5, c0, 0       @ DFSR
    str     r2, [r3, #G_FSR]
    mrc     p15, 0, r2, c6, c0, 0       @ DFAR
    str     r2, [r3, #G_FAR]
    ldr     r1, [r0, #EXC_FRAME_PC]
    str     r1, [r3, #G_PC]
    add     r1, r1, #4
    str     r1, [r0, #EXC_FRAME_PC]
    ldr     r2, [r3, #G_COUNT]
    add     r2, r2, #1
    str     r2, [r3, #G_COUNT]
    bx      lr
    .size   exc_dabt_hook, . - exc_dabt_hook

    .global exc_svc_hook
    .type   exc_svc_hook, %function
exc_svc_hook:
    movw    r1, #(PSR_A | PSR_I | PSR_F | MODE_SVC)
    str     r1, [r0, #EXC_FRAME_CPSR]
    bx      lr
    .size   exc_svc_hook, . - exc_svc_hook
    .ltorg

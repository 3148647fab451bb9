/*
 * lpae.h - LPAE (long-descriptor) translation constants and checks shared by
 * the MMU programs (isa/mmu_*.S, bench/walks.S). ARM ARM ARMv7-A/R references:
 * B3.6.2 descriptors, B3.13.3 long-descriptor fault status, B3.13.6 HSR,
 * B4.1.70 HPFAR, B4.1.112 PAR (64-bit form).
 *
 *   DESC addr, lo, hi     store the 64-bit descriptor hi:lo at addr (constants)
 *   READ_PAR              r1:r0 := the 64-bit PAR (after ISB)
 *   CHECK_PAR_OK pa       PAR is a successful translation to pa (4 KB aligned);
 *                         only PA[31:12], LPAE and F are compared (NS, SH and
 *                         ATTR are left out: QEMU and the ARM ARM differ on NS)
 */
#ifndef HYPSIM_LPAE_H
#define HYPSIM_LPAE_H

/* stage 1 descriptors: bits[1:0], lower attributes, upper attributes (high word) */
#define D_BLOCK     0x1
#define D_TABLE     0x3
#define D_PAGE      0x3
#define D_ATTR(n)   ((n) << 2)          /* AttrIndx: byte n of MAIR0 */
#define D_AP_PL1RW  (0 << 6)            /* AP[2:1] = 00: PL1 RW, PL0 none */
#define D_AP_RW     (1 << 6)            /* 01: PL1 RW, PL0 RW */
#define D_AP_PL1RO  (2 << 6)            /* 10: PL1 RO, PL0 none */
#define D_AP_RO     (3 << 6)            /* 11: PL1 RO, PL0 RO */
#define D_SH_IS     (3 << 8)
#define D_AF        (1 << 10)
#define D_NG        (1 << 11)
#define DH_PXN      (1 << 21)           /* bit 53 */
#define DH_XN       (1 << 22)           /* bit 54 */
#define MAIR0_VAL   0x000004ff          /* Attr0 0xff Normal WB, Attr1 0x04 Device */
#define NORMAL      (D_ATTR(0) | D_SH_IS | D_AF)
#define DEVICE      (D_ATTR(1) | D_AF)

/* stage 2 descriptors: MemAttr[5:2], HAP[7:6], SH, AF, XN */
#define S2_DEVICE   (0x1 << 2)          /* MemAttr 0b0001: Device */
#define S2_NORMAL   ((0xf << 2) | (3 << 8)) /* MemAttr 0b1111 WB, Inner Shareable */
#define S2_HAP_RO   (1 << 6)
#define S2_HAP_RW   (3 << 6)
#define S2_AF       (1 << 10)
#define S2H_XN      (1 << 22)           /* bit 54 */

/* control registers */
#define TTBCR_EAE   (1 << 31)
#define TTBCR_T1SZ(n) ((n) << 16)
#define SCTLR_M     (1 << 0)
#define HCR_VM      (1 << 0)
#define HCR_DC      (1 << 12)
#define ASID(n)     ((n) << 16)         /* TTBR0[55:48] = high word [23:16] */
#define VMID(n)     ((n) << 16)         /* VTTBR[55:48] = high word [23:16] */

/* fault status (long format) and HSR */
#define FSR_LPAE    (1 << 9)
#define FSR_WNR     (1 << 11)
#define FS_TRANS(l) (0x04 | (l))        /* 0b0001LL Translation fault */
#define FS_AF(l)    (0x08 | (l))        /* 0b0010LL Access flag fault */
#define FS_PERM(l)  (0x0c | (l))        /* 0b0011LL Permission fault */
/* HSR.EC of the aborts, in place (EC << 26); the EC values are kvm_arm.h's
 * (EC_IABT, EC_IABT_HYP, EC_DABT, EC_DABT_HYP), checked against it and
 * tb/models/hsr.py by tests/test_constants_agree.py */
#define HSR_EC_IABT_LOW (0x20 << 26)
#define HSR_EC_IABT_HYP (0x21 << 26)
#define HSR_EC_DABT_LOW (0x24 << 26)
#define HSR_EC_DABT_HYP (0x25 << 26)
#define HSR_IL      (1 << 25)
#define ISV         (1 << 24)
#define SAS(n)      ((n) << 22)         /* 0 byte, 1 halfword, 2 word */
#define SSE         (1 << 21)
#define SRT(n)      ((n) << 16)
#define S1PTW       (1 << 7)
#define WNR         (1 << 6)
#define HPFAR(ipa)  (((ipa) >> 12) << 4) /* FIPA[39:12] in [31:4] */

/* PAR, 64-bit form */
#define PAR_OK_MASK 0xfffff801          /* PA[31:12], LPAE, F */
#define PAR_LPAE    (1 << 11)
#define PAR_S2WLK   (1 << 8)
#define PAR_FSTAGE  (1 << 9)
#define PAR_FAULT(fs) (PAR_LPAE | ((fs) << 1) | 1)

#ifdef __ASSEMBLER__
    .macro DESC addr, lo, hi
    MOV32   r0, \lo
    MOV32   r1, \hi
    MOV32   r2, \addr
    strd    r0, r1, [r2]
    .endm

    .macro READ_PAR
    isb
    mrrc    p15, 0, r0, r1, c7
    .endm

    .macro CHECK_PAR_OK pa
    READ_PAR
    MOV32   r2, PAR_OK_MASK
    and     r0, r0, r2
    and     r1, r1, #0xff
    EXPECT(r0, (\pa) + PAR_LPAE)        /* pa is 4 KB aligned */
    EXPECT(r1, 0)
    .endm
#endif

#endif

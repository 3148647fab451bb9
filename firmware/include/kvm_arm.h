/*
 * kvm_arm.h - the architectural constants the hypervisor uses, in one place
 * (the role of Linux's arch/arm/include/asm/kvm_arm.h): HCR, HSR/EC,
 * HCPTR, HSTR, CNTHCTL, VTCR, VTTBR, GICH and the stage-2 descriptor bits.
 * ARM ARM (DDI 0406C) B4.1.x register descriptions; GICv2 spec chapter 5.
 * tests/test_constants_agree.py cross-checks the HCR and EC values
 * against tb/models/hsr.py and the RTL.
 */
#ifndef HYPSIM_KVM_ARM_H
#define HYPSIM_KVM_ARM_H

/* HCR (B4.1.65) */
#define HCR_VM      (1u << 0)
#define HCR_SWIO    (1u << 1)
#define HCR_PTW     (1u << 2)
#define HCR_FMO     (1u << 3)
#define HCR_IMO     (1u << 4)
#define HCR_AMO     (1u << 5)
#define HCR_VF      (1u << 6)
#define HCR_VI      (1u << 7)
#define HCR_VA      (1u << 8)
#define HCR_FB      (1u << 9)
#define HCR_BSU_IS  (1u << 10)
#define HCR_DC      (1u << 12)
#define HCR_TWI     (1u << 13)
#define HCR_TWE     (1u << 14)
#define HCR_TID0    (1u << 15)
#define HCR_TID1    (1u << 16)
#define HCR_TID2    (1u << 17)
#define HCR_TID3    (1u << 18)
#define HCR_TSC     (1u << 19)
#define HCR_TIDCP   (1u << 20)
#define HCR_TAC     (1u << 21)
#define HCR_TSW     (1u << 22)
#define HCR_TPC     (1u << 23)
#define HCR_TPU     (1u << 24)
#define HCR_TTLB    (1u << 25)
#define HCR_TVM     (1u << 26)
#define HCR_TGE     (1u << 27)
/* What a guest runs with (KVM/ARM's HCR_GUEST_MASK, plus TWE for WFE yield) */
#define HCR_GUEST   (HCR_TSC | HCR_TSW | HCR_TWI | HCR_TWE | HCR_VM | HCR_BSU_IS | HCR_FB | \
                     HCR_TAC | HCR_AMO | HCR_IMO | HCR_FMO | HCR_SWIO | HCR_TIDCP)

/* HSR (B3.13.6) */
#define HSR_EC_SHIFT 26
#define HSR_EC(hsr)  ((hsr) >> HSR_EC_SHIFT)
#define HSR_IL       (1u << 25)
#define HSR_ISS_MASK 0x01ffffffu
#define HSR_CV       (1u << 24)
#define HSR_COND(hsr) (((hsr) >> 20) & 0xfu)
/* data abort ISS */
#define HSR_ISV      (1u << 24)
#define HSR_SAS_SHIFT 22
#define HSR_SSE      (1u << 21)
#define HSR_SRT_SHIFT 16
#define HSR_S1PTW    (1u << 7)
#define HSR_WNR      (1u << 6)
#define HSR_FSC_MASK 0x3fu
#define HSR_FSC_TYPE 0x3cu
#define FSC_TRANS    0x04u
#define FSC_ACCESS   0x08u
#define FSC_PERM     0x0cu
/* CP15 MCR/MRC ISS: Opc2[19:17] Opc1[16:14] CRn[13:10] Rt[8:5] CRm[4:1] Direction[0] (1 = read) */
/* CP15 MCRR/MRRC ISS: Opc1[19:16] Rt2[13:10] Rt[8:5] CRm[4:1] Direction[0] */

#define EC_UNKNOWN   0x00
#define EC_WFX       0x01
#define EC_CP15_32   0x03
#define EC_CP15_64   0x04
#define EC_CP14_MR   0x05
#define EC_CP14_LS   0x06
#define EC_CP_0_13   0x07
#define EC_CP10_ID   0x08
#define EC_JAZELLE   0x09
#define EC_BXJ       0x0a
#define EC_CP14_64   0x0c
#define EC_SVC_HYP   0x11
#define EC_HVC       0x12
#define EC_SMC       0x13
#define EC_IABT      0x20
#define EC_IABT_HYP  0x21
#define EC_DABT      0x24
#define EC_DABT_HYP  0x25
#define EC_MAX       0x3f

/* HCPTR (B4.1.75) */
#define HCPTR_TCP(n) (1u << (n))
#define HCPTR_TTA    (1u << 20)
#define HCPTR_TASE   (1u << 15)
/* HSTR (B4.1.72): trap CP15 CRn = n */
#define HSTR_T(n)    (1u << (n))
/* CNTHCTL (B4.1.26) */
#define CNTHCTL_PL1PCTEN (1u << 0)
#define CNTHCTL_PL1PCEN  (1u << 1)
/* CNTx_CTL */
#define CNT_CTL_ENABLE  (1u << 0)
#define CNT_CTL_IMASK   (1u << 1)
#define CNT_CTL_ISTATUS (1u << 2)
/* FPEXC */
#define FPEXC_EN     (1u << 30)
/* CPSR */
#define PSR_MODE_MASK 0x1fu
#define PSR_USR  0x10u
#define PSR_FIQ  0x11u
#define PSR_IRQ  0x12u
#define PSR_SVC  0x13u
#define PSR_ABT  0x17u
#define PSR_HYP  0x1au
#define PSR_UND  0x1bu
#define PSR_SYS  0x1fu
#define PSR_T    (1u << 5)
#define PSR_F    (1u << 6)
#define PSR_I    (1u << 7)
#define PSR_A    (1u << 8)
#define PSR_E    (1u << 9)
#define PSR_IT_MASK 0x0600fc00u

/* VTCR (B4.1.159): T0SZ 0 (32-bit IPA), SL0 = 1 (start at level 1), inner/outer WBWA, inner shareable */
#define VTCR_RES1     (1u << 31)
#define VTCR_SL0_L1   (1u << 6)
#define VTCR_IRGN_WB  (1u << 8)
#define VTCR_ORGN_WB  (1u << 10)
#define VTCR_SH_IS    (3u << 12)
#define VTCR_GUEST    (VTCR_RES1 | VTCR_SL0_L1 | VTCR_IRGN_WB | VTCR_ORGN_WB | VTCR_SH_IS)
#define VTTBR_VMID_SHIFT 48
#define VMID_BITS     8

/* stage-2 descriptors (B3.6.2) */
#define S2_VALID      (1ull << 0)
#define S2_TABLE      (1ull << 1)     /* level 1/2: table; level 3: page */
#define S2_PAGE       (1ull << 1)
#define S2_MEMATTR_NORMAL (0xfull << 2)   /* outer + inner write-back */
#define S2_MEMATTR_DEVICE (0x1ull << 2)   /* Device */
#define S2_HAP_R      (1ull << 6)
#define S2_HAP_W      (1ull << 7)
#define S2_SH_IS      (3ull << 8)
#define S2_AF         (1ull << 10)
#define S2_XN         (1ull << 54)
#define S2_ADDR_MASK  0x000000fffffff000ull

/* GICH (GICv2 5.3), offsets from the GICH frame */
#define GICH_HCR     0x000
#define GICH_VTR     0x004
#define GICH_VMCR    0x008
#define GICH_MISR    0x010
#define GICH_EISR0   0x020
#define GICH_ELRSR0  0x030
#define GICH_APR     0x0f0
#define GICH_LR0     0x100
#define GICH_HCR_EN  (1u << 0)
#define GICH_HCR_UIE (1u << 1)
#define GICH_LR_VIRTID_MASK 0x3ffu
#define GICH_LR_PHYSID_SHIFT 10
#define GICH_LR_EOI  (1u << 19)
#define GICH_LR_PRIO_SHIFT 23          /* the top 5 bits of the 8-bit priority */
#define GICH_LR_STATE_SHIFT 28
#define GICH_LR_PENDING (1u << 28)
#define GICH_LR_ACTIVE  (2u << 28)
#define GICH_LR_STATE   (3u << 28)
#define GICH_LR_HW   (1u << 31)
#define GICH_NR_LR   4

/* physical GIC (QEMU virt map) */
#define GICD_PA      0x08000000u
#define GICC_PA      0x08010000u
#define GICH_PA      0x08030000u
#define GICV_PA      0x08040000u
#define GICD_CTLR    0x000
#define GICD_TYPER   0x004
#define GICD_IIDR    0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR   0xc00
#define GICD_SGIR    0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICC_CTLR    0x000
#define GICC_PMR     0x004
#define GICC_IAR     0x00c
#define GICC_EOIR    0x010

/* interrupt IDs (ARCHITECTURE.md) */
#define IRQ_MAINT    25
#define IRQ_HYP_TIMER 26
#define IRQ_VTIMER   27
#define IRQ_PTIMER   30
#define IRQ_SPURIOUS 1023

#endif

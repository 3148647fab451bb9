/*
 * stage1.h - a guest's own LPAE stage 1 (the guests that turn their MMU on:
 * mmu.c, mmuirq.c): descriptors as ARM ARM B3.6.2 names them, built from
 * lpae.h's fields, and the switch-on sequence (MAIR0/1, TTBCR.EAE with
 * T0SZ = 0, TTBR0, TLBIALL, SCTLR.M; B3.6 and B4.1.130 SCTLR).
 */
#ifndef HYPSIM_GUEST_STAGE1_H
#define HYPSIM_GUEST_STAGE1_H
#include "guest.h"
#include "lpae.h"

static inline u64 table(const void *t) { return (u32)(uintptr_t)t | D_TABLE; }
static inline u64 normal_block(u32 pa) { return pa | D_BLOCK | NORMAL | D_AP_PL1RW; }
static inline u64 normal_page(u32 pa) { return pa | D_PAGE | NORMAL | D_AP_PL1RW; }
static inline u64 device_page(u32 pa)
{
    return pa | D_PAGE | DEVICE | D_AP_PL1RW | ((u64)(DH_XN | DH_PXN) << 32);
}

/* translate through the level-1 table l1 (TTBR0 maps all 4 GB) and check SCTLR.M took */
static inline void stage1_on(const u64 *l1)
{
    DSB();
    MCR(0, c10, c2, 0, MAIR0_VAL);                  /* MAIR0: attr0 normal WB, attr1 device */
    MCR(0, c10, c2, 1, 0);                          /* MAIR1 */
    MCR(0, c2, c0, 2, TTBCR_EAE);                   /* TTBCR: EAE, T0SZ = 0: TTBR0 maps 4 GB */
    __asm__ volatile("mcrr p15, 0, %0, %1, c2" :: "r"((u32)(uintptr_t)l1), "r"(0u)); /* TTBR0, ASID 0 */
    ISB();
    MCR(0, c8, c7, 0, 0);                           /* TLBIALL */
    DSB();
    ISB();
    MCR(0, c1, c0, 0, MRC(0, c1, c0, 0) | SCTLR_M);
    ISB();
    check_eq("SCTLR.M", MRC(0, c1, c0, 0) & SCTLR_M, SCTLR_M);
}
#endif

/*
 * walks.S - `make bench`: cycles per translation table walk on the core.
 *
 * hyp_main builds a stage-2 map (VTCR.T0SZ=0, SL0=1: levels 1-3, 4 KB pages
 * over the program's first MiB of RAM, a 1 GB Device block for the UART) and
 * sets HCR.VM; main (SVC) builds a stage-1 map of the same shape (TTBCR.EAE,
 * T0SZ=0) and sets SCTLR.M. Every access is then a nested walk on a TLB
 * miss: 3 stage-1 descriptors, each found through a 3-level stage-2 walk,
 * then the 3-level stage-2 walk of the final IPA (ARM ARM B3.6.x).
 *
 * Two loops of the same instructions run BENCH_ITERS times:
 *   bench_walk_loop: TLBIALL, then an LDR from a data page - the LDR's fetch
 *                    misses (code page) and so does its data: 2 walks;
 *   bench_hit_loop:  TLBIMVA of an address nothing maps - every translation
 *                    stays in the TLB: 0 walks.
 * tb/bench.py reads the retire trace: the cycle distance between the
 * bench_*_loop and bench_*_done labels, difference / (2 * iterations) is the
 * cost of one nested walk over a TLB hit. Then the same with HCR.VM off
 * (stage 1 only) after an HVC: bench_s1walk_loop / bench_s1hit_loop.
 */
#include "asm.h"
#include "lpae.h"

#define BENCH_ITERS 64
#define S1_PAGE     (D_PAGE | D_AF | D_AP_PL1RW | D_ATTR(0))             /* 0x403 */
#define S1_DEV_BLK  (D_BLOCK | DEVICE)                                   /* 0x405 */
#define S2_PAGE     (D_PAGE | S2_AF | S2_HAP_RW | (0xf << 2))            /* 0x4ff: Normal WB */
#define S2_DEV_BLK  (D_BLOCK | S2_AF | S2_HAP_RW | S2_DEVICE)            /* 0x4c5 */

    TEST_BEGIN walks
    .text
    .global bench_iterations          @ read by tb/bench.py (in .text: kept by --gc-sections)
    .type   bench_iterations, %object
bench_iterations:
    .word   BENCH_ITERS

    /* fill(r0 = level-3 table, r1 = first PA, r2 = descriptor low bits):
     * 256 entries mapping 1 MiB from r1 */
    .type   fill_l3, %function
fill_l3:
    mov     r3, #256
1:  orr     ip, r1, r2
    str     ip, [r0], #8
    add     r1, r1, #4096
    subs    r3, r3, #1
    bne     1b
    bx      lr

    /* link(r0 = l1, r1 = l2, r2 = l3): l1[1] -> l2, l2[0] -> l3 (VA/IPA 0x40000000) */
    .type   link_tables, %function
link_tables:
    orr     r1, r1, #D_TABLE
    str     r1, [r0, #8]
    bic     r1, r1, #D_TABLE
    orr     r2, r2, #D_TABLE
    str     r2, [r1]
    bx      lr

    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    push    {r4, lr}
    ldr     r0, =s2_l3
    MOV32   r1, 0x40000000
    mov     r2, #(S2_PAGE & 0xff)
    orr     r2, r2, #(S2_PAGE & 0xf00)
    bl      fill_l3
    ldr     r0, =s2_l1
    ldr     r1, =s2_l2
    ldr     r2, =s2_l3
    bl      link_tables
    ldr     r0, =s2_l1
    mov     r1, #(S2_DEV_BLK & 0xff)
    orr     r1, r1, #(S2_DEV_BLK & 0xf00)
    str     r1, [r0]                    @ IPA 0-1 GB: Device, UART
    MOV32   r1, 0x80000040              @ VTCR: SL0=1 (level 1), T0SZ=0
    mcr     p15, 4, r1, c2, c1, 2
    mov     r1, #0x00010000             @ VMID 1
    mcrr    p15, 6, r0, r1, c2          @ VTTBR
    mov     r0, #HCR_VM
    mcr     p15, 4, r0, c1, c1, 0
    isb
    mov     r0, #0
    pop     {r4, pc}

    /* HVC from main: stage 2 off for the stage-1-only loops */
    .global hyp_exc_hook
    .type   hyp_exc_hook, %function
hyp_exc_hook:
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0       @ HCR.VM := 0
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    isb
    bx      lr

    /* the measured loops: same instructions, r0 selects the TLB operation's
     * effect through its address */
    .macro bench_loop name, tlbi
    .global bench_\name\()_loop, bench_\name\()_done
    .type   bench_\name\()_loop, %function
    .type   bench_\name\()_done, %function
    mov     r3, #BENCH_ITERS
bench_\name\()_loop:
    \tlbi
    ldr     r2, [r1]
    subs    r3, r3, #1
    bne     bench_\name\()_loop
bench_\name\()_done:
    nop
    .endm

    .global main
    .type   main, %function
main:
    push    {r4, lr}
    ldr     r0, =s1_l3
    MOV32   r1, 0x40000000
    mov     r2, #(S1_PAGE & 0xff)
    orr     r2, r2, #(S1_PAGE & 0xf00)
    bl      fill_l3
    ldr     r0, =s1_l1
    ldr     r1, =s1_l2
    ldr     r2, =s1_l3
    bl      link_tables
    ldr     r4, =s1_l1
    mov     r1, #(S1_DEV_BLK & 0xff)
    orr     r1, r1, #(S1_DEV_BLK & 0xf00)
    str     r1, [r4]                    @ VA 0-1 GB: Device, UART
    MOV32   r0, MAIR0_VAL
    mcr     p15, 0, r0, c10, c2, 0
    MOV32   r0, TTBCR_EAE                @ T0SZ=0
    mcr     p15, 0, r0, c2, c0, 2
    mov     r1, #0
    mcrr    p15, 0, r4, r1, c2          @ TTBR0, ASID 0
    isb
    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #1                  @ SCTLR.M
    mcr     p15, 0, r0, c1, c0, 0
    isb
    ldr     r1, =bench_data
    MOV32   r0, 0x7ff00000              @ unmapped VA for the hit loops
    bench_loop walk, "mcr p15, 0, r0, c8, c7, 0"
    bench_loop hit,  "mcr p15, 0, r0, c8, c7, 1"
    hvc     #0
    bench_loop s1walk, "mcr p15, 0, r0, c8, c7, 0"
    bench_loop s1hit,  "mcr p15, 0, r0, c8, c7, 1"
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #1
    mcr     p15, 0, r0, c1, c0, 0
    isb
    EXPECT(r2, 0x600d)
    TEST_PASS
    pop     {r4, pc}

    .data
    .balign 4096
bench_data:
    .word   0x600d

    .bss
    .balign 4096
s1_l1:  .space 4096
s1_l2:  .space 4096
s1_l3:  .space 4096
s2_l1:  .space 4096
s2_l2:  .space 4096
s2_l3:  .space 4096

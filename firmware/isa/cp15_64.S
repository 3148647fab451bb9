/*
 * cp15_64.S - the 64-bit CP15 registers through MCRR/MRRC (ARM ARM A8.8.99,
 * A8.8.109, B4.1.154-156 TTBR0/TTBR1, B4.1.112 PAR, B4.1.67 HTTBR,
 * B4.1.164 VTTBR): full 64-bit round trips, the 32-bit MCR/MRC views are the
 * low words (a 32-bit write leaves the high word), HTTBR and VTTBR from Hyp
 * mode (hyp_main), and MCRR of a Hyp register from SVC is UNDEFINED.
 */
#include "asm.h"

    TEST_BEGIN cp15_64
    .text
    .global exc_undef_hook
    .type   exc_undef_hook, %function
exc_undef_hook:                         @ count and skip
    ldr     r1, =undef_count
    ldr     r2, [r1]
    add     r2, r2, #1
    str     r2, [r1]
    bx      lr

    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    MOV32   r0, 0x12345000
    MOV32   r1, 0x000000ab
    mcrr    p15, 4, r0, r1, c2          @ HTTBR
    mrrc    p15, 4, r2, r3, c2
    EXPECT(r2, 0x12345000)
    EXPECT(r3, 0x000000ab)
    MOV32   r0, 0x87654000
    MOV32   r1, 0x00050012              @ VMID 5, BADDR[39:32] 0x12
    mcrr    p15, 6, r0, r1, c2          @ VTTBR
    mrrc    p15, 6, r2, r3, c2
    EXPECT(r2, 0x87654000)
    EXPECT(r3, 0x00050012)
    mov     r0, #0
    bx      lr

    .global main
    .type   main, %function
main:
    push    {r4, lr}
    MOV32   r0, 0xcafe0000
    MOV32   r1, 0x00000077
    mcrr    p15, 0, r0, r1, c2          @ TTBR0
    mrrc    p15, 0, r2, r3, c2
    EXPECT(r2, 0xcafe0000)
    EXPECT(r3, 0x00000077)
    mrc     p15, 0, r2, c2, c0, 0       @ 32-bit view: the low word
    EXPECT(r2, 0xcafe0000)
    MOV32   r0, 0xbeef0000
    mcr     p15, 0, r0, c2, c0, 0       @ 32-bit write keeps the high word
    mrrc    p15, 0, r2, r3, c2
    EXPECT(r2, 0xbeef0000)
    EXPECT(r3, 0x00000077)
    MOV32   r0, 0x11110000
    MOV32   r1, 0x00000022
    mcrr    p15, 1, r0, r1, c2          @ TTBR1
    mrrc    p15, 1, r2, r3, c2
    EXPECT(r2, 0x11110000)
    EXPECT(r3, 0x00000022)
    MOV32   r0, 0x00001000
    MOV32   r1, 0x00000001
    mcrr    p15, 0, r0, r1, c7          @ PAR (64-bit)
    mrrc    p15, 0, r2, r3, c7
    EXPECT(r2, 0x00001000)
    EXPECT(r3, 0x00000001)
    mov     r0, #0
    mov     r1, #0
    mcrr    p15, 0, r0, r1, c2
    mcrr    p15, 1, r0, r1, c2
    /* Hyp registers from SVC: UNDEFINED */
    ldr     r4, =undef_count
    mrrc    p15, 4, r2, r3, c2
    mcrr    p15, 6, r0, r1, c2
    ldr     r2, [r4]
    EXPECT(r2, 2)
    TEST_PASS
    pop     {r4, pc}

    .bss
    .balign 4
undef_count:
    .space  4

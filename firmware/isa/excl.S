/*
 * excl.S - exclusive access (ARM ARM A3.4): LDREX/STREX, LDREXB/STREXB,
 * LDREXH/STREXH, LDREXD/STREXD.  A STREX that follows an LDREX of the same
 * address and size succeeds (status 0) and writes memory; after CLREX the
 * local monitor is Open and STREX fails (status 1) without writing; a
 * second STREX after a successful one fails too (the monitor was cleared).
 * Only well-defined sequences are used: the same address and size for each
 * LDREX/STREX pair, status register distinct from the data and address
 * registers, no ordinary store to the marked address in between.
 */
#include "asm.h"

    .data
    .balign 8
word:   .word   0x11223344
half:   .hword  0x5566
byte:   .byte   0x77
        .byte   0x99                    @ neighbour of byte, must not change
        .balign 8
dword:  .word   0xaaaaaaaa, 0xbbbbbbbb

    TEST_BEGIN excl
    .text
    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}
    clrex

    /* ---- word -------------------------------------------------------- */
    ldr     r1, =word
    ldrex   r0, [r1]
    EXPECT(r0, 0x11223344)
    add     r2, r0, #1
    strex   r3, r2, [r1]
    EXPECT(r3, 0)                       @ success
    ldr     r0, [r1]
    EXPECT(r0, 0x11223345)
    mov     r2, #0x99
    strex   r3, r2, [r1]                @ monitor cleared by the last STREX
    EXPECT(r3, 1)
    ldr     r0, [r1]
    EXPECT(r0, 0x11223345)              @ not written

    ldrex   r0, [r1]
    clrex
    strex   r3, r2, [r1]                @ CLREX: fails
    EXPECT(r3, 1)
    ldr     r0, [r1]
    EXPECT(r0, 0x11223345)

    /* an atomic-increment retry loop, as gcc/Linux write it */
    mov     r5, #0
1:  ldrex   r0, [r1]
    add     r0, r0, #0x10
    strex   r3, r0, [r1]
    add     r5, r5, #1
    cmp     r3, #0
    bne     1b
    EXPECT(r5, 1)                       @ uncontended: first try succeeds
    ldr     r0, [r1]
    EXPECT(r0, 0x11223355)

    /* ---- halfword ------------------------------------------------------- */
    ldr     r1, =half
    ldrexh  r0, [r1]
    EXPECT(r0, 0x5566)
    MOV32   r2, 0xffff8001              @ only the low half is stored
    strexh  r3, r2, [r1]
    EXPECT(r3, 0)
    ldrh    r0, [r1]
    EXPECT(r0, 0x8001)
    strexh  r3, r2, [r1]
    EXPECT(r3, 1)
    ldrexh  r0, [r1]
    EXPECT(r0, 0x8001)                  @ zero-extended
    clrex
    mov     r2, #0
    strexh  r3, r2, [r1]
    EXPECT(r3, 1)
    ldrh    r0, [r1]
    EXPECT(r0, 0x8001)

    /* ---- byte ------------------------------------------------------------ */
    ldr     r1, =byte
    ldrexb  r0, [r1]
    EXPECT(r0, 0x77)
    MOV32   r2, 0x123456f0
    strexb  r3, r2, [r1]
    EXPECT(r3, 0)
    ldrb    r0, [r1]
    EXPECT(r0, 0xf0)
    ldrb    r0, [r1, #1]
    EXPECT(r0, 0x99)                    @ neighbour untouched
    ldrexb  r0, [r1]
    EXPECT(r0, 0xf0)
    clrex
    strexb  r3, r2, [r1]
    EXPECT(r3, 1)

    /* ---- doubleword ----------------------------------------------------- */
    ldr     r1, =dword
    ldrexd  r4, r5, [r1]
    EXPECT(r4, 0xaaaaaaaa)
    EXPECT(r5, 0xbbbbbbbb)
    MOV32   r6, 0x01234567
    MOV32   r7, 0x89abcdef
    strexd  r3, r6, r7, [r1]
    EXPECT(r3, 0)
    ldrd    r4, r5, [r1]
    EXPECT(r4, 0x01234567)
    EXPECT(r5, 0x89abcdef)
    strexd  r3, r4, r5, [r1]            @ no reservation
    EXPECT(r3, 1)
    ldrexd  r4, r5, [r1]
    clrex
    mov     r6, #0
    mov     r7, #0
    strexd  r3, r6, r7, [r1]
    EXPECT(r3, 1)
    ldrd    r4, r5, [r1]
    EXPECT(r4, 0x01234567)
    EXPECT(r5, 0x89abcdef)

    /* STREX status is exactly 0 or 1, and the data register is unchanged */
    ldr     r1, =word
    ldrex   r0, [r1]
    mov     r2, #0x42
    strex   r3, r2, [r1]
    EXPECT(r2, 0x42)
    EXPECT(r3, 0)

    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main
    .ltorg

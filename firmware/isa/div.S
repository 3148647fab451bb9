/*
 * div.S - SDIV and UDIV (ARMv7VE, ARM ARM A8.8.165/A8.8.248): quotient
 * rounded toward zero, division by zero returns 0 (no trap on ARMv7-A),
 * INT_MIN / -1 returns INT_MIN (the 2^31 result wraps), flags untouched.
 */
#include "asm.h"

    TEST_BEGIN div
    .text
    .global main
    .type   main, %function
main:
    .macro divcase op, n, d, q
    MOV32   r1, \n
    MOV32   r2, \d
    \op     r0, r1, r2
    EXPECT(r0, \q)
    .endm

    divcase udiv, 100, 7, 14
    divcase udiv, 0xffffffff, 1, 0xffffffff
    divcase udiv, 0xffffffff, 0xffffffff, 1
    divcase udiv, 0xfffffffe, 0xffffffff, 0
    divcase udiv, 0x80000000, 2, 0x40000000
    divcase udiv, 0xffffffff, 0x10, 0x0fffffff
    divcase udiv, 6, 7, 0
    divcase udiv, 0, 5, 0
    divcase udiv, 12345, 0, 0                   @ /0 -> 0
    divcase udiv, 0xffffffff, 0, 0

    divcase sdiv, 100, 7, 14
    divcase sdiv, -100, 7, -14                  @ toward zero, not floor
    divcase sdiv, 100, -7, -14
    divcase sdiv, -100, -7, 14
    divcase sdiv, -1, 2, 0
    divcase sdiv, 0x80000000, 2, 0xc0000000     @ -2^31 / 2 = -2^30
    divcase sdiv, 0x80000000, -1, 0x80000000    @ overflow wraps to INT_MIN
    divcase sdiv, 0x80000000, 1, 0x80000000
    divcase sdiv, 0x7fffffff, -1, 0x80000001
    divcase sdiv, 0x80000000, 0x80000000, 1
    divcase sdiv, 0x7fffffff, 0x80000000, 0
    divcase sdiv, -5, 0, 0                      @ /0 -> 0
    divcase sdiv, 0x80000000, 0, 0

    /* remainder via MLS, the sequence gcc emits for % */
    MOV32   r1, -100
    mov     r2, #7
    sdiv    r0, r1, r2
    mls     r3, r0, r2, r1              @ -100 - (-14 * 7) = -2
    EXPECT(r3, -2)

    /* flags are not affected */
    SETFLAGS(PSR_N | PSR_C)
    mov     r1, #0
    mov     r2, #0
    udiv    r0, r1, r2
    sdiv    r0, r1, r2
    EXPECT_FLAGS(PSR_N | PSR_C)

    /* destination equal to a source */
    mov     r1, #1000
    mov     r2, #10
    udiv    r1, r1, r2
    EXPECT(r1, 100)
    udiv    r2, r1, r2
    EXPECT(r2, 10)

    TEST_PASS
    .size   main, . - main

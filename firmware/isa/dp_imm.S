/*
 * dp_imm.S - the 16 data-processing operations with modified (rotated)
 * immediates, S variants, and the flags they produce (ARM ARM A5.2.3,
 * A5.2.4 "modified immediate constants", A8.8.x per instruction).
 *
 * Shifter carry for an immediate: C := imm32<31> when the rotation field is
 * non-zero, C unchanged when it is zero (only the logical ops use it).
 * Immediates are written as "#imm8, rot" where the encoding matters.
 */
#include "asm.h"

    TEST_BEGIN dp_imm
    .text
    .global main
    .type   main, %function
main:
    /* ---- MOV / MVN ---------------------------------------------------- */
    mov     r0, #0xff, 8                @ 0xff ror 8
    EXPECT(r0, 0xff000000)
    mov     r0, #0xff, 30               @ 0xff ror 30 = 0x3fc
    EXPECT(r0, 0x000003fc)
    mov     r0, #0x81, 4                @ 0x81 ror 4 = 0x10000008
    EXPECT(r0, 0x10000008)
    mvn     r0, #0
    EXPECT(r0, 0xffffffff)
    mvn     r0, #0xff, 8
    EXPECT(r0, 0x00ffffff)

    SETFLAGS(PSR_N | PSR_C | PSR_V)
    movs    r0, #0                      @ rot 0: C, V kept; Z set, N clear
    EXPECT_FLAGS(PSR_Z | PSR_C | PSR_V)
    EXPECT(r0, 0)

    SETFLAGS(0)
    movs    r0, #2, 2                   @ 0x80000000, rot != 0: C = 1
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0x80000000)

    SETFLAGS(PSR_C)
    movs    r0, #0xff, 30               @ 0x3fc, rot != 0: C = bit31 = 0
    EXPECT_FLAGS(0)
    EXPECT(r0, 0x3fc)

    SETFLAGS(PSR_C)
    movs    r0, #4, 2                   @ 4 ror 2 = 1, rot != 0: C = 0
    EXPECT_FLAGS(0)
    EXPECT(r0, 1)

    SETFLAGS(PSR_C)
    movs    r0, #1, 0                   @ same value, rot 0: C unchanged
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 1)

    SETFLAGS(PSR_V)
    mvns    r0, #2, 2                   @ ~0x80000000, C = 1, V kept
    EXPECT_FLAGS(PSR_C | PSR_V)
    EXPECT(r0, 0x7fffffff)

    SETFLAGS(0)
    mvns    r0, #0                      @ 0xffffffff: N
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)

    /* ---- AND EOR ORR BIC ---------------------------------------------- */
    MOV32   r1, 0xf0f0f0f0
    and     r0, r1, #0xff
    EXPECT(r0, 0xf0)
    SETFLAGS(PSR_V)
    ands    r0, r1, #0xff, 8            @ 0xf0000000, C = 1, V kept
    EXPECT_FLAGS(PSR_N | PSR_C | PSR_V)
    EXPECT(r0, 0xf0000000)
    SETFLAGS(PSR_N | PSR_C)
    ands    r0, r1, #0x0f               @ 0: Z, rot 0 keeps C
    EXPECT_FLAGS(PSR_Z | PSR_C)
    EXPECT(r0, 0)

    eor     r0, r1, #0xf0
    EXPECT(r0, 0xf0f0f000)
    SETFLAGS(PSR_C)
    eors    r0, r1, #0xf0, 4            @ imm 0x0000000f: rot != 0, C = 0
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xf0f0f0ff)
    SETFLAGS(PSR_N | PSR_V)             @ (EXPECT itself clobbers the flags)
    eors    r0, r0, r0                  @ register form, x ^ x = 0 (C, V kept)
    EXPECT_FLAGS(PSR_Z | PSR_V)

    orr     r0, r1, #0x0f, 8            @ imm 0x0f000000
    EXPECT(r0, 0xfff0f0f0)
    SETFLAGS(PSR_Z | PSR_C)
    orrs    r0, r1, #0x0f               @ rot 0
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0xf0f0f0ff)

    bic     r0, r1, #0xf0
    EXPECT(r0, 0xf0f0f000)
    SETFLAGS(0)
    bics    r0, r1, #0xf0, 8            @ imm 0xf0000000, C = 1
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x00f0f0f0)
    SETFLAGS(PSR_N)
    bics    r0, r1, #0xff, 8            @ 0x00f0f0f0, C = 1
    EXPECT_FLAGS(PSR_C)
    SETFLAGS(0)
    MOV32   r2, 0xff
    bics    r0, r2, #0xff               @ 0: Z
    EXPECT_FLAGS(PSR_Z)
    EXPECT(r0, 0)

    /* ---- TST TEQ (no result register) --------------------------------- */
    mov     r0, #0x55
    SETFLAGS(PSR_C | PSR_V)
    tst     r1, #0x0f                   @ 0xf0f0f0f0 & 0xf = 0: Z; C, V kept
    EXPECT_FLAGS(PSR_Z | PSR_C | PSR_V)
    SETFLAGS(0)
    tst     r1, #2, 2                   @ & 0x80000000: N, C = 1
    EXPECT_FLAGS(PSR_N | PSR_C)
    SETFLAGS(PSR_C)
    teq     r1, #0xf0, 8                @ ^ 0xf0000000 = 0x00f0f0f0, C = 1
    EXPECT_FLAGS(PSR_C)
    SETFLAGS(PSR_C)
    teq     r1, #0xf0, 4                @ imm 0x0000000f: C = 0, result N
    EXPECT_FLAGS(PSR_N)
    MOV32   r2, 0x3fc
    SETFLAGS(PSR_C | PSR_N)
    teq     r2, #0xff, 30               @ equal: Z, C = 0
    EXPECT_FLAGS(PSR_Z)
    EXPECT(r0, 0x55)                    @ untouched by TST/TEQ

    /* ---- ADD ADC ------------------------------------------------------ */
    add     r0, r1, #1
    EXPECT(r0, 0xf0f0f0f1)
    add     r0, r1, #0x0f, 8
    EXPECT(r0, 0xfff0f0f0)
    mvn     r2, #0                      @ 0xffffffff
    SETFLAGS(0)
    adds    r0, r2, #1                  @ 0, carry out
    EXPECT_FLAGS(PSR_Z | PSR_C)
    EXPECT(r0, 0)
    mvn     r2, #2, 2                   @ 0x7fffffff
    adds    r0, r2, #1                  @ signed overflow
    EXPECT_FLAGS(PSR_N | PSR_V)
    EXPECT(r0, 0x80000000)
    mov     r2, #2, 2                   @ 0x80000000
    adds    r0, r2, #2, 2               @ 0x80000000 + 0x80000000 = 0, C, V
    EXPECT_FLAGS(PSR_Z | PSR_C | PSR_V)
    EXPECT(r0, 0)
    mov     r2, #5
    SETFLAGS(PSR_N | PSR_Z | PSR_C | PSR_V)
    adds    r0, r2, #3                  @ 8: all clear
    EXPECT_FLAGS(0)
    EXPECT(r0, 8)

    mov     r2, #0x10
    SETFLAGS(PSR_C)
    adc     r0, r2, #0x20               @ 0x10 + 0x20 + 1
    EXPECT(r0, 0x31)
    SETFLAGS(0)
    adc     r0, r2, #0x20
    EXPECT(r0, 0x30)
    mvn     r2, #0
    SETFLAGS(PSR_C)
    adcs    r0, r2, #0                  @ 0xffffffff + 0 + 1 = 0, C
    EXPECT_FLAGS(PSR_Z | PSR_C)
    EXPECT(r0, 0)
    mvn     r2, #2, 2                   @ 0x7fffffff
    SETFLAGS(PSR_C)
    adcs    r0, r2, #0                  @ 0x80000000: N, V
    EXPECT_FLAGS(PSR_N | PSR_V)
    EXPECT(r0, 0x80000000)
    mvn     r2, #0
    SETFLAGS(PSR_C)
    adcs    r0, r2, #0xff, 8            @ 0xffffffff + 0xff000000 + 1 = 0x1_ff000000
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0xff000000)

    /* ---- SUB SBC RSB RSC ---------------------------------------------- */
    mov     r2, #5
    sub     r0, r2, #7
    EXPECT(r0, 0xfffffffe)
    SETFLAGS(0)
    subs    r0, r2, #5                  @ 0: Z, C (no borrow)
    EXPECT_FLAGS(PSR_Z | PSR_C)
    subs    r0, r2, #6                  @ -1: N, borrow (C = 0)
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)
    mov     r2, #2, 2                   @ 0x80000000
    subs    r0, r2, #1                  @ 0x7fffffff: C, V
    EXPECT_FLAGS(PSR_C | PSR_V)
    EXPECT(r0, 0x7fffffff)
    subs    r0, r2, #2, 2               @ 0: Z C
    EXPECT_FLAGS(PSR_Z | PSR_C)

    mov     r2, #1
    rsb     r0, r2, #0x100
    EXPECT(r0, 0xff)
    SETFLAGS(PSR_C)
    rsbs    r0, r2, #0                  @ 0 - 1: N, borrow
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)
    mov     r2, #2, 2
    rsbs    r0, r2, #0                  @ 0 - 0x80000000 = 0x80000000: N, V, borrow
    EXPECT_FLAGS(PSR_N | PSR_V)
    EXPECT(r0, 0x80000000)
    mov     r2, #0
    rsbs    r0, r2, #0                  @ 0 - 0: Z, C
    EXPECT_FLAGS(PSR_Z | PSR_C)

    mov     r2, #0x10
    SETFLAGS(0)
    sbc     r0, r2, #5                  @ 0x10 - 5 - 1
    EXPECT(r0, 0xa)
    SETFLAGS(PSR_C)
    sbc     r0, r2, #5                  @ 0x10 - 5 - 0
    EXPECT(r0, 0xb)
    SETFLAGS(PSR_C)
    sbcs    r0, r2, #0x10               @ 0: Z C
    EXPECT_FLAGS(PSR_Z | PSR_C)
    mov     r2, #0
    SETFLAGS(0)
    sbcs    r0, r2, #0                  @ 0 - 0 - 1 = -1: N, borrow
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)
    mov     r2, #2, 2                   @ 0x80000000
    SETFLAGS(0)
    sbcs    r0, r2, #0                  @ 0x80000000 - 0 - 1 = 0x7fffffff: C V
    EXPECT_FLAGS(PSR_C | PSR_V)
    EXPECT(r0, 0x7fffffff)

    mov     r2, #1
    SETFLAGS(0)
    rsc     r0, r2, #0x10               @ 0x10 - 1 - 1
    EXPECT(r0, 0xe)
    SETFLAGS(PSR_C)
    rsc     r0, r2, #0x10               @ 0x10 - 1 - 0
    EXPECT(r0, 0xf)
    mov     r2, #0x10
    SETFLAGS(PSR_C)
    rscs    r0, r2, #0x10               @ 0: Z C
    EXPECT_FLAGS(PSR_Z | PSR_C)
    SETFLAGS(0)
    rscs    r0, r2, #0x10               @ -1: N, borrow
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)

    /* ---- CMP CMN ------------------------------------------------------ */
    mov     r0, #0x77
    mov     r2, #0x10
    SETFLAGS(0)
    cmp     r2, #0x20                   @ 0x10 - 0x20 < 0: N, borrow
    EXPECT_FLAGS(PSR_N)
    cmp     r2, #0x10                   @ Z C
    EXPECT_FLAGS(PSR_Z | PSR_C)
    cmp     r2, #0x01                   @ positive: C
    EXPECT_FLAGS(PSR_C)
    mov     r2, #2, 2                   @ 0x80000000
    cmp     r2, #1                      @ C V
    EXPECT_FLAGS(PSR_C | PSR_V)
    mvn     r2, #0
    cmn     r2, #1                      @ -1 + 1 = 0: Z C
    EXPECT_FLAGS(PSR_Z | PSR_C)
    mvn     r2, #2, 2                   @ 0x7fffffff
    cmn     r2, #1                      @ N V
    EXPECT_FLAGS(PSR_N | PSR_V)
    mov     r2, #2, 2
    cmn     r2, #2, 2                   @ 0x80000000 + 0x80000000: Z C V
    EXPECT_FLAGS(PSR_Z | PSR_C | PSR_V)
    EXPECT(r0, 0x77)                    @ untouched by CMP/CMN

    /* ---- PC as an operand and as the destination ---------------------- */
    add     r0, pc, #0                  @ PC reads as . + 8, i.e. label 1
    b       1f
1:  adr     r1, 1b                      @ assembler-computed address
    EXPECT_REG(r0, r1)
    sub     r0, pc, #4                  @ (. + 8) - 4 = next instruction
2:  adr     r1, 2b
    EXPECT_REG(r0, r1)
    mov     r3, #0
    add     pc, pc, #0                  @ branch to . + 8: skips one insn
    mov     r3, #1                      @ skipped
    EXPECT(r3, 0)
    mov     r3, #0
    adr     r2, 3f
    add     pc, r2, #0                  @ computed branch
    mov     r3, #2                      @ skipped
3:  EXPECT(r3, 0)

    /* S flag with the same source and destination register */
    mov     r4, #0xff
    SETFLAGS(0)
    subs    r4, r4, #0xff
    EXPECT_FLAGS(PSR_Z | PSR_C)
    EXPECT(r4, 0)

    TEST_PASS
    .size   main, . - main

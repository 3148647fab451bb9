/*
 * mul.S - multiplies (ARM ARM A8.8.x): MUL MLA MLS, UMULL UMLAL SMULL SMLAL
 * UMAAL, the 16x16 SMULxy/SMLAxy, the 32x16 SMULWy/SMLAWy, their flags
 * (MULS/MLAS/xMULLS set N and Z, leave C and V) and the sticky Q flag of
 * the accumulating signed halfword forms.
 *
 * a = 0x12345678, b = 0x9abcdef0 (signed: -0x65432110)
 *   a*b (unsigned)   = 0x0b00ea4e_242d2080
 *   a*b (signed)     = 0xf8cc93d6_242d2080   (= -0x0733_6c29_dbd2_df80)
 */
#include "asm.h"

    TEST_BEGIN mul
    .text
    .global main
    .type   main, %function
main:
    MOV32   r1, 0x12345678
    MOV32   r2, 0x9abcdef0
    MOV32   r3, 0x0badf00d

    mul     r0, r1, r2
    EXPECT(r0, 0x242d2080)
    mla     r0, r1, r2, r3              @ + 0x0badf00d
    EXPECT(r0, 0x2fdb108d)
    mls     r0, r1, r2, r3              @ 0x0badf00d - 0x242d2080
    EXPECT(r0, 0xe780cf8d)
    mov     r4, #7
    mul     r4, r4, r4                  @ Rd == Rn == Rm
    EXPECT(r4, 49)
    mvn     r4, #0
    mul     r0, r4, r4                  @ (-1)*(-1)
    EXPECT(r0, 1)

    SETFLAGS(PSR_C | PSR_V)
    muls    r0, r1, r2                  @ N Z from the result, C V kept
    EXPECT_FLAGS(PSR_C | PSR_V)
    mov     r4, #0
    SETFLAGS(PSR_N | PSR_C)
    muls    r0, r1, r4
    EXPECT_FLAGS(PSR_Z | PSR_C)
    mov     r4, #2, 2                   @ 0x80000000
    mov     r5, #3
    SETFLAGS(0)
    mlas    r0, r4, r5, r5              @ 0x80000000*3 + 3 = 0x80000003
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0x80000003)

    /* ---- 64-bit results ------------------------------------------------ */
    umull   r6, r7, r1, r2
    EXPECT(r6, 0x242d2080)
    EXPECT(r7, 0x0b00ea4e)
    smull   r6, r7, r1, r2
    EXPECT(r6, 0x242d2080)
    EXPECT(r7, 0xf8cc93d6)
    mvn     r4, #0
    umull   r6, r7, r4, r4              @ (2^32-1)^2 = 2^64 - 2^33 + 1
    EXPECT(r6, 0x00000001)
    EXPECT(r7, 0xfffffffe)
    smull   r6, r7, r4, r4              @ (-1)*(-1)
    EXPECT(r6, 1)
    EXPECT(r7, 0)
    mvn     r4, #2, 2                   @ 0x7fffffff
    mov     r5, #2, 2                   @ 0x80000000
    smull   r6, r7, r4, r5              @ (2^31-1) * -2^31 = -(2^62 - 2^31)
    EXPECT(r6, 0x80000000)
    EXPECT(r7, 0xc0000000)
    smull   r6, r7, r5, r5              @ (-2^31)^2 = 2^62
    EXPECT(r6, 0)
    EXPECT(r7, 0x40000000)

    SETFLAGS(PSR_C | PSR_V)
    smulls  r6, r7, r4, r5              @ negative: N, C V kept
    EXPECT_FLAGS(PSR_N | PSR_C | PSR_V)
    mov     r4, #0
    SETFLAGS(PSR_N)
    umulls  r6, r7, r1, r4              @ zero: Z (all 64 bits)
    EXPECT_FLAGS(PSR_Z)
    mov     r4, #1, 16                  @ 0x00010000
    SETFLAGS(PSR_Z)
    umulls  r6, r7, r4, r4              @ 2^32: lo 0, hi 1 -> not Z
    EXPECT_FLAGS(0)
    EXPECT(r6, 0)
    EXPECT(r7, 1)

    MOV32   r6, 0x22222222              @ accumulator lo
    MOV32   r7, 0x11111111              @ accumulator hi
    umlal   r6, r7, r1, r2              @ 0x11111111_22222222 + a*b
    EXPECT(r6, 0x464f42a2)
    EXPECT(r7, 0x1c11fb5f)
    MOV32   r6, 0x22222222
    MOV32   r7, 0x11111111
    smlal   r6, r7, r1, r2              @ 0x11111111_22222222 + (signed) a*b
    EXPECT(r6, 0x464f42a2)
    EXPECT(r7, 0x09dda4e7)
    mvn     r6, #0
    mvn     r7, #0                      @ acc = -1
    mvn     r4, #0
    smlal   r6, r7, r4, r4              @ -1 + 1 = 0
    EXPECT(r6, 0)
    EXPECT(r7, 0)
    mvn     r6, #0
    mov     r7, #0                      @ acc = 0xffffffff
    mov     r4, #1
    umlal   r6, r7, r4, r4              @ carry from the low word into the high
    EXPECT(r6, 0)
    EXPECT(r7, 1)
    SETFLAGS(0)
    mvn     r6, #0
    mvn     r7, #0
    smlals  r6, r7, r4, r4              @ -1 + 1 = 0: Z
    EXPECT_FLAGS(PSR_Z)

    mvn     r6, #0                      @ RdLo = 0xffffffff
    mov     r7, #2, 2                   @ RdHi = 0x80000000
    umaal   r6, r7, r1, r2              @ a*b + RdLo + RdHi (no overflow ever)
    EXPECT(r6, 0xa42d207f)
    EXPECT(r7, 0x0b00ea4f)
    mvn     r4, #0
    mvn     r6, #0
    mvn     r7, #0
    umaal   r6, r7, r4, r4              @ maximum: (2^32-1)^2 + 2(2^32-1) = 2^64-1
    EXPECT(r6, 0xffffffff)
    EXPECT(r7, 0xffffffff)

    /* ---- signed 16x16: x = 0x8001fffe (top -32767, bottom -2),
     *                     y = 0x7fff0003 (top 32767, bottom 3) ---------- */
    MOV32   r1, 0x8001fffe
    MOV32   r2, 0x7fff0003
    smulbb  r0, r1, r2                  @ -2 * 3
    EXPECT(r0, 0xfffffffa)
    smulbt  r0, r1, r2                  @ -2 * 32767
    EXPECT(r0, 0xffff0002)
    smultb  r0, r1, r2                  @ -32767 * 3
    EXPECT(r0, 0xfffe8003)
    smultt  r0, r1, r2                  @ -32767 * 32767
    EXPECT(r0, 0xc000ffff)
    mov     r3, #0x8000                 @ -32768 in the bottom half
    smulbb  r0, r3, r3                  @ largest product, no overflow
    EXPECT(r0, 0x40000000)

    mov     r3, #100
    msr     APSR_nzcvq, #0
    smlabb  r0, r1, r2, r3              @ -6 + 100
    EXPECT(r0, 94)
    smlatt  r0, r1, r2, r3              @ -0x3fff0001 + 100
    EXPECT(r0, 0xc0010063)
    smlabt  r0, r1, r2, r3
    EXPECT(r0, 0xffff0066)
    smlatb  r0, r1, r2, r3
    EXPECT(r0, 0xfffe8067)
    EXPECT_FLAGS(PSR_Z | PSR_C)         @ Q still clear (flags from EXPECT's cmp)

    mov     r4, #1
    mvn     r3, #2, 2                   @ 0x7fffffff
    msr     APSR_nzcvq, #0
    smlabb  r0, r4, r4, r3              @ 0x7fffffff + 1 overflows: Q := 1
    mrs     r5, APSR
    EXPECT(r0, 0x80000000)
    and     r5, r5, #PSR_Q
    EXPECT(r5, PSR_Q)
    mov     r3, #0
    smlabb  r0, r4, r4, r3              @ no overflow: Q stays set (sticky)
    mrs     r5, APSR
    and     r5, r5, #PSR_Q
    EXPECT(r5, PSR_Q)
    msr     APSR_nzcvq, #0
    mov     r3, #0x40000000
    mov     r4, #2, 2                   @ top half 0x8000 = -32768
    smlatt  r0, r4, r4, r3              @ 0x40000000 + 0x40000000 overflows
    mrs     r5, APSR
    EXPECT(r0, 0x80000000)
    and     r5, r5, #PSR_Q
    EXPECT(r5, PSR_Q)

    /* ---- signed 32x16, top 32 bits of the 48-bit product -------------- */
    smulwb  r0, r1, r2                  @ (0x8001fffe * 3) >> 16
    EXPECT(r0, 0xfffe8005)
    smulwt  r0, r1, r2                  @ (0x8001fffe * 32767) >> 16
    EXPECT(r0, 0xc0017ffd)
    mov     r3, #0x10
    msr     APSR_nzcvq, #0
    smlawb  r0, r1, r2, r3
    EXPECT(r0, 0xfffe8015)
    mov     r4, #0x40000000
    mov     r5, #0x4000                 @ 2^30 * 2^14 >> 16 = 2^28
    mvn     r3, #2, 2                   @ 0x7fffffff
    msr     APSR_nzcvq, #0
    smlawb  r0, r4, r5, r3              @ 0x7fffffff + 0x10000000 overflows
    mrs     r6, APSR
    EXPECT(r0, 0x8fffffff)
    and     r6, r6, #PSR_Q
    EXPECT(r6, PSR_Q)
    msr     APSR_nzcvq, #0
    mov     r5, #0x40000000             @ top half 0x4000
    mov     r3, #1
    smlawt  r0, r4, r5, r3              @ 2^28 + 1, no overflow
    mrs     r6, APSR
    EXPECT(r0, 0x10000001)
    and     r6, r6, #PSR_Q
    EXPECT(r6, 0)

    TEST_PASS
    .size   main, . - main

/*
 * bits.S - bit and byte manipulation: CLZ, MOVW/MOVT, UBFX/SBFX, BFI/BFC,
 * REV/REV16/REVSH, RBIT, SXTB/SXTH/UXTB/UXTH and the accumulating
 * SXTAB/SXTAH/UXTAB/UXTAH with ROR #0/8/16/24, SSAT/USAT (with shifts) and
 * the sticky Q flag read back with MRS.
 *
 * X = 0x8192a3b4: bytes b3..b0 = 81 92 a3 b4 (all with bit 7 set)
 */
#include "asm.h"

    .macro EXPECT_Q val
    mrs     r9, APSR
    and     r9, r9, #PSR_Q
    EXPECT(r9, \val)
    .endm

    TEST_BEGIN bits
    .text
    .global main
    .type   main, %function
main:
    /* ---- CLZ ----------------------------------------------------------- */
    .macro clzcase in, out
    MOV32   r1, \in
    clz     r0, r1
    EXPECT(r0, \out)
    .endm
    clzcase 0, 32
    clzcase 1, 31
    clzcase 0x80000000, 0
    clzcase 0xffffffff, 0
    clzcase 0x00010000, 15
    clzcase 0x0000ffff, 16
    clzcase 0x00000300, 22

    /* ---- MOVW / MOVT --------------------------------------------------- */
    mvn     r0, #0
    movw    r0, #0xbeef                 @ zero-extends
    EXPECT(r0, 0x0000beef)
    movt    r0, #0xdead                 @ keeps the low half
    EXPECT(r0, 0xdeadbeef)
    movt    r0, #0
    EXPECT(r0, 0x0000beef)

    /* ---- UBFX / SBFX --------------------------------------------------- */
    MOV32   r1, 0x12345678
    ubfx    r0, r1, #4, #8
    EXPECT(r0, 0x67)
    ubfx    r0, r1, #28, #4
    EXPECT(r0, 0x1)
    ubfx    r0, r1, #0, #32
    EXPECT(r0, 0x12345678)
    ubfx    r0, r1, #3, #1              @ bit 3 of 0x...8
    EXPECT(r0, 1)
    sbfx    r0, r1, #4, #8              @ 0x67: positive
    EXPECT(r0, 0x67)
    mov     r1, #0xf80
    sbfx    r0, r1, #4, #8              @ 0xf8 -> -8
    EXPECT(r0, 0xfffffff8)
    ubfx    r0, r1, #4, #8
    EXPECT(r0, 0xf8)
    mov     r1, #2, 2                   @ 0x80000000
    sbfx    r0, r1, #28, #4
    EXPECT(r0, 0xfffffff8)
    sbfx    r0, r1, #31, #1
    EXPECT(r0, 0xffffffff)
    ubfx    r0, r1, #31, #1
    EXPECT(r0, 1)
    sbfx    r0, r1, #0, #32
    EXPECT(r0, 0x80000000)

    /* ---- BFI / BFC ----------------------------------------------------- */
    MOV32   r1, 0x12345678
    mvn     r0, #0
    bfi     r0, r1, #8, #12             @ r0[19:8] = r1[11:0] = 0x678
    EXPECT(r0, 0xfff678ff)
    mov     r0, #0
    bfi     r0, r1, #0, #32
    EXPECT(r0, 0x12345678)
    mov     r0, #0
    bfi     r0, r1, #31, #1             @ bit 0 of r1 (0) into bit 31
    EXPECT(r0, 0)
    mov     r0, #0
    bfi     r0, r1, #28, #4             @ 0x8 into the top nibble
    EXPECT(r0, 0x80000000)
    mvn     r0, #0
    bfc     r0, #4, #8
    EXPECT(r0, 0xfffff00f)
    bfc     r0, #31, #1
    EXPECT(r0, 0x7ffff00f)
    bfc     r0, #0, #32
    EXPECT(r0, 0)

    /* ---- byte reversal ------------------------------------------------- */
    MOV32   r1, 0x12345678
    rev     r0, r1
    EXPECT(r0, 0x78563412)
    rev16   r0, r1
    EXPECT(r0, 0x34127856)
    revsh   r0, r1                      @ 0x5678 -> 0x7856, positive
    EXPECT(r0, 0x00007856)
    MOV32   r1, 0x000080ff
    revsh   r0, r1                      @ 0x80ff -> 0xff80, negative
    EXPECT(r0, 0xffffff80)
    MOV32   r1, 0x12345678
    rbit    r0, r1
    EXPECT(r0, 0x1e6a2c48)
    mov     r1, #1
    rbit    r0, r1
    EXPECT(r0, 0x80000000)

    /* ---- extend, with rotation ----------------------------------------- */
    MOV32   r1, 0x8192a3b4
    sxtb    r0, r1
    EXPECT(r0, 0xffffffb4)
    sxtb    r0, r1, ror #8
    EXPECT(r0, 0xffffffa3)
    sxtb    r0, r1, ror #16
    EXPECT(r0, 0xffffff92)
    sxtb    r0, r1, ror #24
    EXPECT(r0, 0xffffff81)
    uxtb    r0, r1
    EXPECT(r0, 0xb4)
    uxtb    r0, r1, ror #8
    EXPECT(r0, 0xa3)
    uxtb    r0, r1, ror #16
    EXPECT(r0, 0x92)
    uxtb    r0, r1, ror #24
    EXPECT(r0, 0x81)
    sxth    r0, r1                      @ 0xa3b4
    EXPECT(r0, 0xffffa3b4)
    sxth    r0, r1, ror #8              @ X ror 8 = 0xb48192a3 -> 0x92a3
    EXPECT(r0, 0xffff92a3)
    sxth    r0, r1, ror #16             @ 0x8192
    EXPECT(r0, 0xffff8192)
    sxth    r0, r1, ror #24             @ X ror 24 = 0x92a3b481 -> 0xb481
    EXPECT(r0, 0xffffb481)
    uxth    r0, r1
    EXPECT(r0, 0xa3b4)
    uxth    r0, r1, ror #8
    EXPECT(r0, 0x92a3)
    uxth    r0, r1, ror #16
    EXPECT(r0, 0x8192)
    uxth    r0, r1, ror #24
    EXPECT(r0, 0xb481)
    MOV32   r2, 0x12345678
    sxtb    r0, r2                      @ 0x78: positive
    EXPECT(r0, 0x78)
    sxth    r0, r2, ror #16             @ 0x1234
    EXPECT(r0, 0x1234)

    mov     r2, #0x1000
    sxtab   r0, r2, r1                  @ 0x1000 + (-0x4c)
    EXPECT(r0, 0x0fb4)
    sxtab   r0, r2, r1, ror #8          @ 0x1000 + (-0x5d)
    EXPECT(r0, 0x0fa3)
    uxtab   r0, r2, r1, ror #8
    EXPECT(r0, 0x10a3)
    uxtab   r0, r2, r1, ror #24
    EXPECT(r0, 0x1081)
    sxtah   r0, r2, r1, ror #16         @ 0x1000 + (-0x7e6e)
    EXPECT(r0, 0xffff9192)
    sxtah   r0, r2, r1
    EXPECT(r0, 0xffffb3b4)
    uxtah   r0, r2, r1, ror #16
    EXPECT(r0, 0x9192)
    uxtah   r0, r2, r1, ror #24
    EXPECT(r0, 0xc481)
    mvn     r2, #0
    uxtab   r0, r2, r1                  @ 0xffffffff + 0xb4 wraps
    EXPECT(r0, 0xb3)

    /* ---- SSAT / USAT and Q --------------------------------------------- */
    .macro satcase op, bits, in, out, q, shift=
    MOV32   r1, \in
    msr     APSR_nzcvq, #0
    .ifb \shift
    \op     r0, #\bits, r1
    .else
    \op     r0, #\bits, r1, \shift
    .endif
    EXPECT_Q \q
    EXPECT(r0, \out)
    .endm

    /*       op    n   input       result      Q */
    satcase ssat,  8, 300,        127,        PSR_Q
    satcase ssat,  8, -300,       0xffffff80, PSR_Q
    satcase ssat,  8, -5,         0xfffffffb, 0
    satcase ssat,  8, 127,        127,        0
    satcase ssat,  8, -128,       0xffffff80, 0
    satcase ssat,  8, 128,        127,        PSR_Q
    satcase ssat,  1, 1,          0,          PSR_Q     @ range [-1, 0]
    satcase ssat,  1, -1,         0xffffffff, 0
    satcase ssat, 32, 0x80000000, 0x80000000, 0         @ never saturates
    satcase ssat, 16, 0x1000,     0x7fff,     PSR_Q, lsl #4
    satcase ssat, 16, 0x0fff,     0x7ff8,     0,     lsl #3
    satcase ssat,  8, 0x7f0,      0x7f,       0,     asr #4
    satcase ssat,  8, 0x80000000, 0xffffffff, 0,     asr #31   @ -1
    satcase ssat,  8, 0x80000000, 0xffffffff, 0,     asr #32   @ also -1
    satcase ssat,  8, 0x40000000, 127,        PSR_Q, asr #16   @ 0x4000

    satcase usat,  8, -5,         0,          PSR_Q
    satcase usat,  8, 300,        255,        PSR_Q
    satcase usat,  8, 200,        200,        0
    satcase usat,  0, 5,          0,          PSR_Q     @ range [0, 0]
    satcase usat,  0, 0,          0,          0
    satcase usat, 31, 0x7fffffff, 0x7fffffff, 0
    satcase usat, 31, 0x80000000, 0,          PSR_Q
    satcase usat, 16, 0x00012345, 0xffff,     PSR_Q
    satcase usat,  4, 0x40,       15,         PSR_Q, asr #2
    satcase usat,  4, 0x03,       12,         0,     lsl #2

    /* Q is sticky and SSAT/USAT leave NZCV alone */
    SETFLAGS(PSR_N | PSR_V)
    mov     r1, #1000
    ssat    r0, #4, r1                  @ saturates: Q := 1
    mov     r1, #1
    ssat    r0, #4, r1                  @ does not saturate: Q stays 1
    EXPECT_FLAGS(PSR_N | PSR_V | PSR_Q)
    msr     APSR_nzcvq, #0
    EXPECT_FLAGS(0)

    TEST_PASS
    .size   main, . - main

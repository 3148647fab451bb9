/*
 * dp_shift.S - the shifter: LSL/LSR/ASR/ROR/RRX by immediate (including the
 * encodings LSL #0 = no shift, LSR #32 and ASR #32 encoded as #0, ROR #0 =
 * RRX) and by register (amount = Rs[7:0]: 0, 31, 32, 33, 255, and values
 * with bits above 7 set), result and shifter carry-out (ARM ARM A8.4.3
 * Shift_C, LSL_C, LSR_C, ASR_C, ROR_C, RRX_C), then shifted operands in
 * data-processing instructions.
 *
 * Every flag check is preceded by SETFLAGS because EXPECT changes the flags.
 */
#include "asm.h"

    TEST_BEGIN dp_shift
    .text
    .global main
    .type   main, %function
main:
    MOV32   r1, 0x80000001
    MOV32   r4, 0x12345678

    /* ---- shift by immediate ------------------------------------------- */
    SETFLAGS(PSR_C)
    movs    r0, r1, lsl #0              @ plain move: C unchanged
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0x80000001)
    SETFLAGS(0)
    movs    r0, r1, lsl #1              @ C = x[31]
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x00000002)
    SETFLAGS(PSR_C)
    movs    r0, r1, lsl #31             @ C = x[1] = 0
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0x80000000)
    SETFLAGS(0)
    movs    r0, r1, lsr #1              @ C = x[0]
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x40000000)
    SETFLAGS(PSR_C)
    movs    r0, r1, lsr #31             @ C = x[30] = 0
    EXPECT_FLAGS(0)
    EXPECT(r0, 1)
    SETFLAGS(0)
    movs    r0, r1, lsr #32             @ 0, C = x[31]
    EXPECT_FLAGS(PSR_Z | PSR_C)
    EXPECT(r0, 0)
    SETFLAGS(0)
    movs    r0, r1, asr #1
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0xc0000000)
    SETFLAGS(PSR_C)
    movs    r0, r1, asr #31             @ C = x[30] = 0
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)
    SETFLAGS(0)
    movs    r0, r1, asr #32             @ all sign bits, C = x[31]
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0xffffffff)
    SETFLAGS(PSR_C)
    movs    r0, r4, asr #32             @ positive: 0, C = 0
    EXPECT_FLAGS(PSR_Z)
    EXPECT(r0, 0)
    SETFLAGS(0)
    movs    r0, r1, ror #1              @ C = result[31]
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0xc0000000)
    SETFLAGS(PSR_C)
    movs    r0, r1, ror #31             @ rotate left by one
    EXPECT_FLAGS(0)
    EXPECT(r0, 0x00000003)
    SETFLAGS(PSR_C)
    movs    r0, r1, rrx                 @ C into bit 31, C = x[0]
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0xc0000000)
    SETFLAGS(0)
    movs    r0, r1, rrx
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x40000000)
    SETFLAGS(PSR_C)
    mov     r0, r4, rrx                 @ non-S: flags unchanged
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x891a2b3c)

    SETFLAGS(0)
    movs    r0, r4, lsl #4              @ C = y[28] = 1
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x23456780)
    SETFLAGS(0)
    movs    r0, r4, lsr #4              @ C = y[3] = 1
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 0x01234567)
    SETFLAGS(PSR_C)
    movs    r0, r4, ror #8              @ C = result[31] = 0
    EXPECT_FLAGS(0)
    EXPECT(r0, 0x78123456)
    SETFLAGS(0)
    movs    r0, r4, ror #4
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0x81234567)
    lsl     r0, r4, #8                  @ UAL shift mnemonics (= MOV)
    EXPECT(r0, 0x34567800)
    asr     r0, r1, #4
    EXPECT(r0, 0xf8000000)
    ror     r0, r4, #16
    EXPECT(r0, 0x56781234)

    /* ---- shift by register: amount is Rs[7:0] ------------------------- */
    .macro shreg op, amount, flags_in, result, flags_out
    mov     r2, #\amount
    SETFLAGS(\flags_in)
    movs    r0, r1, \op r2
    EXPECT_FLAGS(\flags_out)
    EXPECT(r0, \result)
    .endm

    /*     op   amt  C/flags in  result      flags out */
    shreg  lsl,   0, 0,          0x80000001, PSR_N
    shreg  lsl,   0, PSR_C,      0x80000001, PSR_N | PSR_C
    shreg  lsl,  31, PSR_C,      0x80000000, PSR_N
    shreg  lsl,  32, 0,          0,          PSR_Z | PSR_C
    shreg  lsl,  33, PSR_C,      0,          PSR_Z
    shreg  lsl, 255, PSR_C,      0,          PSR_Z
    shreg  lsr,   0, PSR_C,      0x80000001, PSR_N | PSR_C
    shreg  lsr,  31, PSR_C,      1,          0
    shreg  lsr,  32, 0,          0,          PSR_Z | PSR_C
    shreg  lsr,  33, PSR_C,      0,          PSR_Z
    shreg  lsr, 255, PSR_C,      0,          PSR_Z
    shreg  asr,   0, 0,          0x80000001, PSR_N
    shreg  asr,  31, PSR_C,      0xffffffff, PSR_N
    shreg  asr,  32, 0,          0xffffffff, PSR_N | PSR_C
    shreg  asr,  33, 0,          0xffffffff, PSR_N | PSR_C
    shreg  asr, 255, 0,          0xffffffff, PSR_N | PSR_C
    shreg  ror,   0, 0,          0x80000001, PSR_N
    shreg  ror,  31, PSR_C,      0x00000003, 0
    shreg  ror,  32, 0,          0x80000001, PSR_N | PSR_C
    shreg  ror,  33, 0,          0xc0000000, PSR_N | PSR_C
    shreg  ror, 255, PSR_C,      0x00000003, 0

    /* only Rs[7:0] counts */
    MOV32   r2, 0xffffff01
    SETFLAGS(0)
    movs    r0, r1, lsl r2              @ shift by 1
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 2)
    MOV32   r2, 0x00000100
    SETFLAGS(PSR_C)
    movs    r0, r1, lsr r2              @ shift by 0: unchanged, C kept
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0x80000001)
    mov     r2, #32
    SETFLAGS(PSR_C)
    movs    r0, r4, ror r2              @ y, C = y[31] = 0
    EXPECT_FLAGS(0)
    EXPECT(r0, 0x12345678)
    mov     r2, #255
    SETFLAGS(PSR_C)
    movs    r0, r4, asr r2              @ positive: 0, C = 0
    EXPECT_FLAGS(PSR_Z)
    mov     r2, #32
    mov     r3, #2, 2                   @ 0x80000000
    SETFLAGS(PSR_C)
    movs    r0, r3, lsl r2              @ 0, C = bit 0 = 0
    EXPECT_FLAGS(PSR_Z)

    /* ---- shifted operands in data-processing instructions ------------- */
    mov     r1, #100
    mov     r2, #5
    add     r0, r1, r2, lsl #3          @ 100 + 40
    EXPECT(r0, 140)
    rsb     r0, r2, r2, lsl #3          @ 5 * 7
    EXPECT(r0, 35)
    mvn     r2, #7                      @ -8
    sub     r0, r1, r2, asr #1          @ 100 - (-4)
    EXPECT(r0, 104)
    mov     r1, #0x0f
    mov     r2, #0xf0, 8                @ 0xf0000000
    mov     r3, #24
    orr     r0, r1, r2, lsr r3          @ 0x0f | 0xf0
    EXPECT(r0, 0xff)

    mvn     r1, #0
    mov     r2, #0x1f
    SETFLAGS(PSR_V)
    ands    r0, r1, r2, ror #4          @ logical: C = shifter carry; V kept
    EXPECT_FLAGS(PSR_N | PSR_C | PSR_V)
    EXPECT(r0, 0xf0000001)

    mov     r1, #2, 2                   @ 0x80000000
    mov     r2, #1
    SETFLAGS(0)
    adds    r0, r1, r2, lsl #31         @ arithmetic: C from the adder
    EXPECT_FLAGS(PSR_Z | PSR_C | PSR_V)
    EXPECT(r0, 0)

    mov     r1, #5
    mov     r2, #1
    SETFLAGS(0)
    adcs    r0, r1, r2, lsr #1          @ shifter carry (1) is NOT the carry-in
    EXPECT_FLAGS(0)
    EXPECT(r0, 5)
    SETFLAGS(PSR_C)
    adc     r0, r1, r2, lsl #1          @ 5 + 2 + 1
    EXPECT(r0, 8)

    mov     r1, #10
    mov     r2, #7
    SETFLAGS(PSR_C)
    sbcs    r0, r1, r2, lsr #1          @ 10 - 3 - 0
    EXPECT_FLAGS(PSR_C)
    EXPECT(r0, 7)
    SETFLAGS(0)
    rsc     r0, r2, r1, lsl #2          @ 40 - 7 - 1
    EXPECT(r0, 32)

    mov     r1, #0
    mov     r2, #1
    mov     r3, #32
    SETFLAGS(PSR_N | PSR_V)
    tst     r2, r2, lsl r3              @ operand 0 (C = bit 0 = 1): Z C, V kept
    EXPECT_FLAGS(PSR_Z | PSR_C | PSR_V)
    mov     r1, #5
    SETFLAGS(0)
    cmp     r1, r2, lsr #32             @ 5 - 0: C
    EXPECT_FLAGS(PSR_C)
    mov     r2, #2, 2
    SETFLAGS(0)
    mvns    r0, r2, asr #32             @ ~0xffffffff = 0, C = 1
    EXPECT_FLAGS(PSR_Z | PSR_C)
    EXPECT(r0, 0)
    mov     r1, #0
    mov     r2, #3
    SETFLAGS(PSR_C)
    eors    r0, r1, r2, rrx             @ 0x80000001, C = 1
    EXPECT_FLAGS(PSR_N | PSR_C)
    EXPECT(r0, 0x80000001)
    mvn     r1, #0
    mov     r2, #0xff
    mov     r3, #8
    bic     r0, r1, r2, lsl r3
    EXPECT(r0, 0xffff00ff)
    SETFLAGS(0)
    teq     r2, r2, ror r3              @ 0xff ^ 0xff000000 = 0xff0000ff, C = 1
    EXPECT_FLAGS(PSR_N | PSR_C)
    mov     r2, #0x40
    SETFLAGS(0)
    cmn     r2, r2, lsl #25             @ 0x40 + 0x80000000 (no carry)
    EXPECT_FLAGS(PSR_N)

    TEST_PASS
    .size   main, . - main

/*
 * ldst.S - single loads and stores in every ARM addressing mode (ARM ARM
 * A8.5 / A8.6): LDR STR LDRB STRB LDRH STRH LDRSB LDRSH LDRD STRD with
 * immediate and register offsets, positive and negative, scaled register
 * offsets (LSL LSR ASR ROR RRX), pre-indexed with writeback and
 * post-indexed; literal loads; LDR into PC.  Little-endian byte lanes.
 * All accesses are naturally aligned (no unaligned access anywhere).
 */
#include "asm.h"

    .data
    .balign 8
src:    .word   0x11111111, 0x22222222, 0x33333333, 0x44444444
        .word   0x55555555, 0x66666666, 0x77777777, 0x88888888
bytes:  .byte   0x01, 0x82, 0x7f, 0xff, 0x80, 0x00, 0x34, 0x12      @ src+32
halves: .hword  0x8001, 0x7ffe, 0x1234, 0xfedc                      @ src+40
dwords: .word   0xaaaaaaaa, 0xbbbbbbbb                              @ src+48
jump:   .word   ldr_pc_target

    .bss
    .balign 8
dst:    .space  64

    TEST_BEGIN ldst
    .text
    .global main
    .type   main, %function
main:
    ldr     r1, =src
    add     r2, r1, #16

    /* ---- LDR, immediate offset ----------------------------------------- */
    ldr     r0, [r1]
    EXPECT(r0, 0x11111111)
    ldr     r0, [r1, #4]
    EXPECT(r0, 0x22222222)
    ldr     r0, [r1, #28]
    EXPECT(r0, 0x88888888)
    ldr     r0, [r2, #-4]
    EXPECT(r0, 0x44444444)
    ldr     r0, [r2, #-16]
    EXPECT(r0, 0x11111111)
    mov     r3, r1
    ldr     r0, [r3, #8]!               @ pre-indexed, writeback
    EXPECT(r0, 0x33333333)
    sub     r9, r3, r1
    EXPECT(r9, 8)
    ldr     r0, [r3, #-4]!
    EXPECT(r0, 0x22222222)
    sub     r9, r3, r1
    EXPECT(r9, 4)
    mov     r3, r1
    ldr     r0, [r3], #12               @ post-indexed
    EXPECT(r0, 0x11111111)
    sub     r9, r3, r1
    EXPECT(r9, 12)
    ldr     r0, [r3], #-8
    EXPECT(r0, 0x44444444)
    sub     r9, r3, r1
    EXPECT(r9, 4)

    /* ---- LDR, register offset ------------------------------------------ */
    mov     r4, #12
    ldr     r0, [r1, r4]
    EXPECT(r0, 0x44444444)
    ldr     r0, [r2, -r4]
    EXPECT(r0, 0x22222222)
    mov     r4, #3
    ldr     r0, [r1, r4, lsl #2]
    EXPECT(r0, 0x44444444)
    ldr     r0, [r2, -r4, lsl #2]
    EXPECT(r0, 0x22222222)
    mov     r4, #0x20
    ldr     r0, [r1, r4, lsr #2]
    EXPECT(r0, 0x33333333)
    mvn     r4, #7                      @ -8
    ldr     r0, [r2, r4, asr #1]        @ src + 16 - 4
    EXPECT(r0, 0x44444444)
    mov     r4, #1
    ldr     r0, [r1, r4, ror #30]       @ 1 ror 30 = 4
    EXPECT(r0, 0x22222222)
    mov     r4, #8
    SETFLAGS(0)
    ldr     r0, [r1, r4, rrx]           @ offset (C << 31) | (8 >> 1) = 4
    EXPECT(r0, 0x22222222)
    mov     r3, r1
    mov     r4, #2
    ldr     r0, [r3, r4, lsl #3]!       @ pre-indexed register, writeback
    EXPECT(r0, 0x55555555)
    sub     r9, r3, r1
    EXPECT(r9, 16)
    ldr     r0, [r3], -r4, lsl #2       @ post-indexed register
    EXPECT(r0, 0x55555555)
    sub     r9, r3, r1
    EXPECT(r9, 8)
    mov     r4, #4
    ldr     r0, [r3], r4
    EXPECT(r0, 0x33333333)
    sub     r9, r3, r1
    EXPECT(r9, 12)

    /* ---- literals and LDR into PC --------------------------------------- */
    ldr     r0, literal
    EXPECT(r0, 0xcafef00d)
    ldr     r0, =0x0badcafe
    EXPECT(r0, 0x0badcafe)
    ldr     r3, =jump
    mov     r0, #0
    ldr     pc, [r3]                    @ branch through memory
    mov     r0, #1                      @ skipped
ldr_pc_target:
    EXPECT(r0, 0)

    /* ---- STR ------------------------------------------------------------- */
    ldr     r5, =dst
    MOV32   r0, 0x12345678
    mov     r6, #0
    str     r6, [r5]
    str     r6, [r5, #4]
    str     r0, [r5, #8]
    ldr     r7, [r5, #8]
    EXPECT(r7, 0x12345678)
    strb    r0, [r5, #1]                @ byte 0x78 into lane 1
    strh    r0, [r5, #2]                @ halfword 0x5678 into lanes 2-3
    ldr     r7, [r5]
    EXPECT(r7, 0x56787800)
    strb    r0, [r5, #4]
    ldr     r7, [r5, #4]
    EXPECT(r7, 0x00000078)
    ldrb    r7, [r5, #11]               @ byte lanes of 0x12345678
    EXPECT(r7, 0x12)
    ldrb    r7, [r5, #8]
    EXPECT(r7, 0x78)
    ldrh    r7, [r5, #10]
    EXPECT(r7, 0x1234)

    mov     r3, r5
    mvn     r6, #0
    str     r6, [r3, #12]!              @ pre-indexed store
    sub     r9, r3, r5
    EXPECT(r9, 12)
    ldr     r7, [r5, #12]
    EXPECT(r7, 0xffffffff)
    mov     r6, #0x5a
    str     r6, [r3], #4                @ post-indexed: stores at dst+12
    ldr     r7, [r5, #12]
    EXPECT(r7, 0x5a)
    sub     r9, r3, r5
    EXPECT(r9, 16)
    mov     r4, #5
    MOV32   r6, 0xa5a5a5a5
    str     r6, [r5, r4, lsl #2]        @ dst+20
    ldr     r7, [r5, #20]
    EXPECT(r7, 0xa5a5a5a5)
    add     r3, r5, #32
    str     r6, [r3, -r4, lsl #2]!      @ dst+12, writeback
    sub     r9, r3, r5
    EXPECT(r9, 12)
    ldr     r7, [r5, #12]
    EXPECT(r7, 0xa5a5a5a5)
    mov     r4, #4
    strb    r0, [r3], r4                @ byte at dst+12, then r3 = dst+16
    ldr     r7, [r5, #12]
    EXPECT(r7, 0xa5a5a578)
    sub     r9, r3, r5
    EXPECT(r9, 16)
    strh    r0, [r3, #-2]!              @ dst+14
    ldr     r7, [r5, #12]
    EXPECT(r7, 0x5678a578)
    mov     r4, #2
    strh    r6, [r3], -r4               @ dst+14 = 0xa5a5, r3 = dst+12
    ldr     r7, [r5, #12]
    EXPECT(r7, 0xa5a5a578)
    sub     r9, r3, r5
    EXPECT(r9, 12)

    /* ---- LDRB / LDRSB ----------------------------------------------------- */
    ldr     r1, =bytes
    ldrb    r0, [r1]
    EXPECT(r0, 0x01)
    ldrb    r0, [r1, #1]
    EXPECT(r0, 0x82)
    ldrsb   r0, [r1, #1]
    EXPECT(r0, 0xffffff82)
    ldrsb   r0, [r1, #2]
    EXPECT(r0, 0x7f)
    mov     r4, #3
    ldrb    r0, [r1, r4]
    EXPECT(r0, 0xff)
    ldrsb   r0, [r1, r4]
    EXPECT(r0, 0xffffffff)
    mov     r4, #2
    ldrb    r0, [r1, r4, lsl #1]        @ bytes+4
    EXPECT(r0, 0x80)
    add     r2, r1, #8
    ldrsb   r0, [r2, #-4]               @ bytes+4
    EXPECT(r0, 0xffffff80)
    ldrsb   r0, [r2, -r4]               @ bytes+6
    EXPECT(r0, 0x34)
    mov     r3, r1
    ldrb    r0, [r3], #1
    EXPECT(r0, 0x01)
    ldrsb   r0, [r3], #1
    EXPECT(r0, 0xffffff82)
    ldrsb   r0, [r3, #1]!               @ bytes+3
    EXPECT(r0, 0xffffffff)
    ldrb    r0, [r3, #4]!               @ bytes+7
    EXPECT(r0, 0x12)
    sub     r9, r3, r1
    EXPECT(r9, 7)

    /* ---- LDRH / LDRSH ----------------------------------------------------- */
    ldr     r1, =halves
    ldrh    r0, [r1]
    EXPECT(r0, 0x8001)
    ldrsh   r0, [r1]
    EXPECT(r0, 0xffff8001)
    ldrsh   r0, [r1, #2]
    EXPECT(r0, 0x7ffe)
    ldrsh   r0, [r1, #6]
    EXPECT(r0, 0xfffffedc)
    mov     r4, #4
    ldrh    r0, [r1, r4]
    EXPECT(r0, 0x1234)
    ldrsh   r0, [r1, r4]
    EXPECT(r0, 0x1234)
    add     r2, r1, #8
    ldrh    r0, [r2, -r4]
    EXPECT(r0, 0x1234)
    ldrsh   r0, [r2, #-8]
    EXPECT(r0, 0xffff8001)
    mov     r3, r1
    ldrh    r0, [r3, #2]!
    EXPECT(r0, 0x7ffe)
    ldrsh   r0, [r3], #4                @ reads halves+2, r3 = halves+6
    EXPECT(r0, 0x7ffe)
    ldrh    r0, [r3], #-6
    EXPECT(r0, 0xfedc)
    EXPECT_REG(r3, r1)
    ldrsh   r0, [r3, r4]!
    EXPECT(r0, 0x1234)
    sub     r9, r3, r1
    EXPECT(r9, 4)

    /* ---- LDRD / STRD (even first register, doubleword-aligned) ---------- */
    ldr     r1, =src
    ldr     r2, =dwords
    ldrd    r6, r7, [r2]
    EXPECT(r6, 0xaaaaaaaa)
    EXPECT(r7, 0xbbbbbbbb)
    ldrd    r6, r7, [r1, #8]
    EXPECT(r6, 0x33333333)
    EXPECT(r7, 0x44444444)
    mov     r4, #16
    ldrd    r6, r7, [r1, r4]
    EXPECT(r6, 0x55555555)
    EXPECT(r7, 0x66666666)
    ldrd    r6, r7, [r2, -r4]           @ src+32: the bytes/halves data
    EXPECT(r6, 0xff7f8201)
    EXPECT(r7, 0x12340080)
    mov     r3, r1
    ldrd    r6, r7, [r3, #24]!
    EXPECT(r6, 0x77777777)
    EXPECT(r7, 0x88888888)
    ldrd    r6, r7, [r3], #-16
    EXPECT(r6, 0x77777777)
    sub     r9, r3, r1
    EXPECT(r9, 8)
    ldrd    r6, r7, [r3], r4
    EXPECT(r6, 0x33333333)
    sub     r9, r3, r1
    EXPECT(r9, 24)

    MOV32   r6, 0x01234567
    MOV32   r7, 0x89abcdef
    strd    r6, r7, [r5, #32]
    ldr     r0, [r5, #32]
    EXPECT(r0, 0x01234567)
    ldr     r0, [r5, #36]
    EXPECT(r0, 0x89abcdef)
    add     r3, r5, #48
    strd    r6, r7, [r3, #-8]!          @ dst+40
    sub     r9, r3, r5
    EXPECT(r9, 40)
    strd    r6, r7, [r3], r4            @ dst+40 again, r3 = dst+56
    mov     r4, #8
    strd    r6, r7, [r5, r4]            @ dst+8
    ldrd    r0, r1, [r5, #40]
    EXPECT(r0, 0x01234567)
    EXPECT(r1, 0x89abcdef)
    ldrd    r0, r1, [r5, #8]
    EXPECT(r0, 0x01234567)
    EXPECT(r1, 0x89abcdef)
    sub     r9, r3, r5
    EXPECT(r9, 56)

    TEST_PASS
    .size   main, . - main
    .balign 4
literal:
    .word   0xcafef00d
    .ltorg

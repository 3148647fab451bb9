/*
 * ldm.S - load/store multiple (ARM ARM A8.8.57-A8.8.60, A8.8.199-A8.8.202):
 * LDM/STM in the IA IB DA DB modes with and without writeback, sparse
 * register lists (lowest register <-> lowest address), base register in the
 * list without writeback, PUSH/POP (STMDB/LDMIA on SP, single register
 * forms), LDM with PC in the list as a function return.
 * (Writeback with the base in the list is UNPREDICTABLE and is not used.)
 */
#include "asm.h"

    .data
    .balign 8
src:    .word   0x11111111, 0x22222222, 0x33333333, 0x44444444
        .word   0x55555555, 0x66666666, 0x77777777, 0x88888888
    .bss
    .balign 8
dst:    .space  64

    TEST_BEGIN ldm
    .text
    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}
    ldr     r1, =src
    add     r8, r1, #16                 @ middle of src

    /* ---- LDM ------------------------------------------------------------ */
    ldmia   r1, {r2-r5}
    EXPECT(r2, 0x11111111)
    EXPECT(r3, 0x22222222)
    EXPECT(r4, 0x33333333)
    EXPECT(r5, 0x44444444)
    ldmib   r8, {r2, r3}                @ src+20, src+24
    EXPECT(r2, 0x66666666)
    EXPECT(r3, 0x77777777)
    ldmda   r8, {r2, r3}                @ src+12, src+16
    EXPECT(r2, 0x44444444)
    EXPECT(r3, 0x55555555)
    ldmdb   r8, {r2, r3}                @ src+8, src+12
    EXPECT(r2, 0x33333333)
    EXPECT(r3, 0x44444444)
    ldmdb   r8, {r2, r5, r9}            @ sparse: src+4, +8, +12
    EXPECT(r2, 0x22222222)
    EXPECT(r5, 0x33333333)
    EXPECT(r9, 0x44444444)
    ldmia   r8, {r0}                    @ single register
    EXPECT(r0, 0x55555555)

    mov     r7, r1
    ldmia   r7!, {r2-r4}
    EXPECT(r4, 0x33333333)
    sub     r0, r7, r1
    EXPECT(r0, 12)
    ldmib   r7!, {r2, r3}               @ src+16, src+20; r7 = src+20
    EXPECT(r2, 0x55555555)
    EXPECT(r3, 0x66666666)
    sub     r0, r7, r1
    EXPECT(r0, 20)
    ldmda   r7!, {r2, r3}               @ src+16, src+20; r7 = src+12
    EXPECT(r2, 0x55555555)
    EXPECT(r3, 0x66666666)
    sub     r0, r7, r1
    EXPECT(r0, 12)
    ldmdb   r7!, {r2, r3, r4}           @ src+0..8; r7 = src
    EXPECT(r2, 0x11111111)
    EXPECT(r4, 0x33333333)
    EXPECT_REG(r7, r1)

    mov     r0, r1
    ldmia   r0, {r0, r2}                @ base in list, no writeback: loaded
    EXPECT(r0, 0x11111111)
    EXPECT(r2, 0x22222222)

    /* ---- STM ------------------------------------------------------------ */
    ldr     r5, =dst
    add     r6, r5, #32                 @ middle of dst
    MOV32   r2, 0xa0a0a0a0
    MOV32   r3, 0xb1b1b1b1
    MOV32   r4, 0xc2c2c2c2

    stmia   r5, {r2-r4}
    ldmia   r5, {r9-r11}
    EXPECT(r9, 0xa0a0a0a0)
    EXPECT(r10, 0xb1b1b1b1)
    EXPECT(r11, 0xc2c2c2c2)
    stmib   r6, {r2, r3}                @ dst+36, dst+40
    ldr     r9, [r5, #36]
    EXPECT(r9, 0xa0a0a0a0)
    ldr     r9, [r5, #40]
    EXPECT(r9, 0xb1b1b1b1)
    stmda   r6, {r3, r4}                @ dst+28, dst+32
    ldr     r9, [r5, #28]
    EXPECT(r9, 0xb1b1b1b1)
    ldr     r9, [r5, #32]
    EXPECT(r9, 0xc2c2c2c2)
    stmdb   r6, {r2, r4}                @ dst+24, dst+28
    ldr     r9, [r5, #24]
    EXPECT(r9, 0xa0a0a0a0)
    ldr     r9, [r5, #28]
    EXPECT(r9, 0xc2c2c2c2)

    mov     r7, r5
    stmia   r7!, {r3}
    sub     r0, r7, r5
    EXPECT(r0, 4)
    stmib   r7!, {r2, r4}               @ dst+8, dst+12; r7 = dst+12
    sub     r0, r7, r5
    EXPECT(r0, 12)
    stmda   r7!, {r3, r4}               @ dst+8, dst+12; r7 = dst+4
    sub     r0, r7, r5
    EXPECT(r0, 4)
    stmdb   r7!, {r2}                   @ dst+0; r7 = dst
    EXPECT_REG(r7, r5)
    ldmia   r5, {r0, r1, r9, r10}
    EXPECT(r0, 0xa0a0a0a0)
    EXPECT(r1, 0xb1b1b1b1)
    EXPECT(r9, 0xb1b1b1b1)
    EXPECT(r10, 0xc2c2c2c2)

    stmia   r5, {r4, r5}                @ base in list, no writeback: its value
    ldr     r0, [r5, #4]
    EXPECT_REG(r0, r5)

    /* ---- PUSH / POP ------------------------------------------------------ */
    mov     r7, sp
    mov     r0, #0x10
    mov     r1, #0x11
    mov     r2, #0x12
    push    {r0-r2}                     @ STMDB sp!, r0 at the lowest address
    sub     r9, r7, sp
    EXPECT(r9, 12)
    ldr     r9, [sp]
    EXPECT(r9, 0x10)
    ldr     r9, [sp, #8]
    EXPECT(r9, 0x12)
    push    {r2}                        @ single register: STR r2, [sp, #-4]!
    ldr     r9, [sp]
    EXPECT(r9, 0x12)
    pop     {r3}                        @ single register: LDR r3, [sp], #4
    EXPECT(r3, 0x12)
    pop     {r4-r6}
    EXPECT(r4, 0x10)
    EXPECT(r5, 0x11)
    EXPECT(r6, 0x12)
    EXPECT_REG(sp, r7)
    stmfd   sp!, {r0-r12, lr}           @ full list
    MOV32   r0, 0xdead
    mov     r1, r0
    mov     r12, r0
    ldmfd   sp!, {r0-r12, lr}
    EXPECT(r0, 0x10)
    EXPECT(r1, 0x11)
    EXPECT_REG(sp, r7)

    /* ---- LDM with PC: function return ------------------------------------ */
    mov     r0, #5
    bl      add_three                   @ returns with POP {r4, pc}
    EXPECT(r0, 8)
    bl      add_three_ldm               @ returns with LDMIA sp!, {r4, r5, pc}
    EXPECT(r0, 11)
    EXPECT_REG(sp, r7)

    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main

add_three:
    push    {r4, lr}
    mov     r4, #3
    add     r0, r0, r4
    pop     {r4, pc}

add_three_ldm:
    stmdb   sp!, {r4, r5, lr}
    mov     r4, #1
    mov     r5, #2
    add     r0, r0, r4
    add     r0, r0, r5
    ldmia   sp!, {r4, r5, pc}
    .ltorg

/*
 * branch.S - B, BL, BX, BLX (register), conditional forms, return idioms
 * (BX LR, MOV PC LR, POP {pc}), and computed branches (ADD PC and LDR PC
 * jump tables, as gcc emits for switch).  All targets are ARM code
 * (bit 0 clear): the core has no Thumb state.
 */
#include "asm.h"

    TEST_BEGIN branch
    .text
    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}

    /* ---- B forward and backward -------------------------------------- */
    mov     r0, #0
    b       1f
    mov     r0, #1                      @ skipped
2:  add     r0, r0, #0x10
    b       3f
1:  add     r0, r0, #0x100
    b       2b                          @ backward
3:  EXPECT(r0, 0x110)

    /* ---- BL: LR = address of the next instruction -------------------- */
    bl      leaf_ret_lr
ret1:
    adr     r1, ret1
    EXPECT_REG(r0, r1)                  @ leaf returned its LR in r0

    /* ---- BX / BLX register --------------------------------------------- */
    adr     r4, bx_target
    mov     r0, #0
    bx      r4
    mov     r0, #1                      @ skipped
bx_target:
    EXPECT(r0, 0)
    adr     r4, leaf_ret_lr
    blx     r4
ret2:
    adr     r1, ret2
    EXPECT_REG(r0, r1)
    adr     r4, leaf_mov_pc
    mov     r0, #5
    blx     r4
    EXPECT(r0, 6)

    /* ---- conditional branches and calls -------------------------------- */
    mov     r0, #0
    SETFLAGS(PSR_Z)
    bne     1f                          @ not taken
    orr     r0, r0, #1
1:  beq     1f                          @ taken
    orr     r0, r0, #2
1:  EXPECT(r0, 1)

    mov     r0, #5
    SETFLAGS(PSR_C)
    blcc    leaf_mov_pc                 @ not taken: no call
    blcs    leaf_mov_pc                 @ taken
    EXPECT(r0, 6)
    adr     r4, leaf_mov_pc
    SETFLAGS(PSR_N)
    blxpl   r4                          @ not taken
    blxmi   r4                          @ taken
    EXPECT(r0, 7)
    adr     r4, 1f
    SETFLAGS(PSR_V)
    bxvc    r4                          @ not taken
    orr     r0, r0, #0x100
    bxvs    r4                          @ taken
    orr     r0, r0, #0x200              @ skipped
1:  EXPECT(r0, 0x107)

    /* ---- nested calls, return with POP {pc} ------------------------------ */
    mov     r0, #3
    bl      nested                      @ ((3 + 1) * 2) + 1
    EXPECT(r0, 9)

    /* ---- computed branches: jump tables ---------------------------------- */
    mov     r5, #0
    mov     r0, #0
1:  bl      table_add_pc
    add     r5, r5, r1
    add     r0, r0, #1
    cmp     r0, #4
    blo     1b
    EXPECT(r5, 0x4321)                  @ 1 + 0x20 + 0x300 + 0x4000

    mov     r5, #0
    mov     r0, #0
1:  bl      table_ldr_pc
    add     r5, r5, r1
    add     r0, r0, #1
    cmp     r0, #3
    blo     1b
    EXPECT(r5, 0x0dcb)                  @ 0xb + 0xc0 + 0xd00

    /* ---- a loop counted by a conditional backward branch ---------------- */
    mov     r0, #0
    mov     r1, #10
1:  add     r0, r0, r1
    subs    r1, r1, #1
    bne     1b
    EXPECT(r0, 55)

    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main

leaf_ret_lr:
    mov     r0, lr
    bx      lr

leaf_mov_pc:
    add     r0, r0, #1
    mov     pc, lr

nested:
    push    {r4, lr}
    bl      leaf_mov_pc
    lsl     r0, r0, #1
    bl      leaf_mov_pc
    pop     {r4, pc}

@ r1 = table value for r0 in 0..3, via ADD PC, PC, r0, LSL #2
table_add_pc:
    add     pc, pc, r0, lsl #2          @ PC reads as . + 8 = first entry
    nop                                 @ (the slot at . + 4)
    b       10f
    b       11f
    b       12f
    b       13f
10: mov     r1, #1
    bx      lr
11: mov     r1, #0x20
    bx      lr
12: mov     r1, #0x300
    bx      lr
13: mov     r1, #0x4000
    bx      lr

@ r1 = table value for r0 in 0..2, via LDR PC, [PC, r0, LSL #2]
table_ldr_pc:
    ldr     pc, [pc, r0, lsl #2]        @ table at . + 8
    nop
    .word   20f, 21f, 22f
20: mov     r1, #0xb
    bx      lr
21: mov     r1, #0xc0
    bx      lr
22: mov     r1, #0xd00
    bx      lr

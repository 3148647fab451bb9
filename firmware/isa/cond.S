/*
 * cond.S - the 15 condition codes (ARM ARM A8.3, Table A8-1), taken and
 * not taken, for all 16 NZCV combinations; conditional branches; and
 * instructions whose condition fails have no effect at all (no register
 * write, no flag write, no memory access, no abort, no exception).
 */
#include "asm.h"

    TEST_BEGIN cond
    .text
    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}

    /*
     * Exhaustive: for each NZCV value, bit i of r0 is set by a conditional
     * ORR iff condition i passes.  The expected mask is the ARM ARM table
     * written as an assembler expression:
     *   EQ Z  NE !Z  CS C  CC !C  MI N  PL !N  VS V  VC !V
     *   HI C&!Z  LS !(C&!Z)  GE N==V  LT N!=V  GT !Z&(N==V)  LE !GT  AL 1
     */
    .macro cond_case nzcv
    .set    N_, (\nzcv >> 3) & 1
    .set    Z_, (\nzcv >> 2) & 1
    .set    C_, (\nzcv >> 1) & 1
    .set    V_, \nzcv & 1
    .set    HI_, C_ & (1 - Z_)
    .set    GE_, 1 - (N_ ^ V_)
    .set    GT_, (1 - Z_) & GE_
    .set    EXP_\nzcv, Z_ | ((1 - Z_) << 1) | (C_ << 2) | ((1 - C_) << 3) | (N_ << 4) | ((1 - N_) << 5) | (V_ << 6) | ((1 - V_) << 7) | (HI_ << 8) | ((1 - HI_) << 9) | (GE_ << 10) | ((1 - GE_) << 11) | (GT_ << 12) | ((1 - GT_) << 13) | (1 << 14)
    mov     r0, #0
    msr     APSR_nzcvqg, #(\nzcv << 28)
    orreq   r0, r0, #(1 << 0)
    orrne   r0, r0, #(1 << 1)
    orrcs   r0, r0, #(1 << 2)
    orrcc   r0, r0, #(1 << 3)
    orrmi   r0, r0, #(1 << 4)
    orrpl   r0, r0, #(1 << 5)
    orrvs   r0, r0, #(1 << 6)
    orrvc   r0, r0, #(1 << 7)
    orrhi   r0, r0, #(1 << 8)
    orrls   r0, r0, #(1 << 9)
    orrge   r0, r0, #(1 << 10)
    orrlt   r0, r0, #(1 << 11)
    orrgt   r0, r0, #(1 << 12)
    orrle   r0, r0, #(1 << 13)
    orral   r0, r0, #(1 << 14)
    mrs     r1, APSR                    @ flags untouched by the ORRs
    and     r1, r1, #0xf8000000         @ (MRS returns the whole CPSR at PL1)
    EXPECT(r1, (\nzcv << 28))
    EXPECT(r0, EXP_\nzcv)
    .endm

    .irp f, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    cond_case \f
    .endr

    /* a few of the masks above, worked out by hand */
    .if EXP_0 != 0x56aa || EXP_6 != 0x66a5 || EXP_9 != 0x565a || EXP_15 != 0x6655
    .error "condition table expression disagrees with the hand-computed masks"
    .endif

    /* ---- conditional branches: one taken and one not-taken case each -- */
    .macro br_case cond, taken, not_taken
    mov     r5, #0
    msr     APSR_nzcvqg, #(\taken << 28)
    b\cond  .Ltaken\@
    mov     r5, #1                      @ skipped when taken
.Ltaken\@:
    EXPECT(r5, 0)
    msr     APSR_nzcvqg, #(\not_taken << 28)
    b\cond  .Lnot\@
    mov     r5, #2                      @ executed when not taken
.Lnot\@:
    EXPECT(r5, 2)
    .endm

    /*      cond  taken   not taken   (NZCV nibble) */
    br_case eq,   0b0100, 0b0000
    br_case ne,   0b0000, 0b0100
    br_case cs,   0b0010, 0b1101
    br_case cc,   0b1101, 0b0010
    br_case mi,   0b1000, 0b0111
    br_case pl,   0b0111, 0b1000
    br_case vs,   0b0001, 0b1110
    br_case vc,   0b1110, 0b0001
    br_case hi,   0b0010, 0b0110
    br_case ls,   0b0100, 0b0010
    br_case ls,   0b0000, 0b1011
    br_case ge,   0b1001, 0b1000
    br_case ge,   0b0000, 0b0001
    br_case lt,   0b0001, 0b1001
    br_case lt,   0b1000, 0b0000
    br_case gt,   0b0000, 0b0100
    br_case gt,   0b1001, 0b1101
    br_case le,   0b1000, 0b0000
    br_case le,   0b0100, 0b1001
    mov     r5, #0
    SETFLAGS(PSR_N | PSR_Z | PSR_C | PSR_V)
    bal     1f                          @ AL: taken whatever the flags
    mov     r5, #1
1:  EXPECT(r5, 0)

    /* ---- a failed condition has no side effects ----------------------- */
    MOV32   r6, 0x09001000              @ unmapped: would data-abort
    MOV32   lr, 0x5a5a5a5a
    mov     r0, #7
    SETFLAGS(PSR_Z)
    ldrne   r0, [r6]                    @ no access, no abort
    strne   r0, [r6]
    ldmne   r6, {r0-r3}
    blne    1f                          @ LR not written
    svcne   #0x12                       @ no exception
    addsne  r0, r0, #1                  @ no flag write
    movne   pc, #0                      @ no branch
    EXPECT_FLAGS(PSR_Z)
    EXPECT(r0, 7)
    EXPECT(lr, 0x5a5a5a5a)
    mov     r0, #7
    SETFLAGS(0)
    addseq  r0, r0, #1
    EXPECT_FLAGS(0)
    EXPECT(r0, 7)
    SETFLAGS(PSR_Z)
    mov     r0, #0
    subseq  r0, r0, #1                  @ executed: -1, flags N
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0xffffffff)

    SETFLAGS(0)
    bleq    1f
    EXPECT(lr, 0x5a5a5a5a)
    adr     r7, 2f
    SETFLAGS(PSR_Z)
    bleq    1f                          @ taken: LR = return address
2:  EXPECT_REG(lr, r7)
    b       3f
1:  mov     pc, lr                      @ leaf
3:
    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main

/*
 * modes.S - processor modes and banked registers (ARM ARM B1.3, B9.3.9-12):
 *  - in Hyp (hyp_main, called by crt0 before it drops to SVC): ELR_hyp
 *    and SPSR_hyp read/write, banked MRS/MSR of other modes' SP/LR/SPSR;
 *  - in SVC: CPS and MSR CPSR_c mode changes between PL1 modes, banked
 *    SP/LR/SPSR per mode (IRQ FIQ ABT UND SVC, USR = SYS), FIQ's banked
 *    r8-r12, banked MRS/MSR from SVC, STM/LDM of user registers (^),
 *    MSR of the flags, and a trip to USR mode and back through SVC.
 * Only architecturally valid banked accesses are used: ELR_hyp from Hyp,
 * no SP_hyp (Monitor-only), r8_usr-r12_usr only from FIQ mode, never the
 * current mode's own registers, and no MRS of mode bits in User mode.
 */
#include "asm.h"
#include "exc.h"

    TEST_BEGIN modes
    .text

/* ------------------------------------------------------------------------ */
    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    push    {r4-r11, lr}
    mrs     r0, CPSR
    ubfx    r0, r0, #0, #9
    EXPECT(r0, PSR_A | PSR_I | PSR_F | MODE_HYP)

    MOV32   r0, 0x40001234
    msr     ELR_hyp, r0                 @ banked ELR_hyp: legal in Hyp
    mrs     r1, ELR_hyp
    EXPECT(r1, 0x40001234)
    MOV32   r0, (PSR_N | PSR_C | PSR_A | PSR_I | PSR_F | MODE_SVC)
    msr     SPSR_fsxc, r0               @ SPSR of the current mode = SPSR_hyp
    mrs     r1, SPSR
    EXPECT(r1, PSR_N | PSR_C | PSR_A | PSR_I | PSR_F | MODE_SVC)

    /* stacks set by crt0 through banked MSR */
    mrs     r0, SP_svc
    ldr     r1, =__stack_svc_top
    EXPECT_REG(r0, r1)
    mrs     r0, SP_irq
    ldr     r1, =__stack_irq_top
    EXPECT_REG(r0, r1)
    mrs     r0, SP_usr
    ldr     r1, =__stack_usr_top
    EXPECT_REG(r0, r1)

    /* write another mode's LR/SPSR and r8_fiq from Hyp, read back */
    MOV32   r0, 0xfeed0001
    msr     LR_abt, r0
    mrs     r1, LR_abt
    EXPECT(r1, 0xfeed0001)
    MOV32   r0, (PSR_Z | PSR_A | PSR_I | PSR_F | MODE_USR)
    msr     SPSR_und, r0
    mrs     r1, SPSR_und
    EXPECT(r1, PSR_Z | PSR_A | PSR_I | PSR_F | MODE_USR)
    MOV32   r0, 0xf1f1f1f1
    msr     r8_fiq, r0
    mrs     r1, r8_fiq
    EXPECT(r1, 0xf1f1f1f1)
    EXPECT(r8, 0)                       @ Hyp's own r8 (= r8_usr) untouched
    msr     r8_fiq, r8                  @ back to 0 for main

    mov     r0, #0
    pop     {r4-r11, pc}
    .size   hyp_main, . - hyp_main

/* ------------------------------------------------------------------------ */
    .global main
    .type   main, %function
main:
    ldr     r1, =__stack_svc_top        @ crt0 calls main with an empty stack
    EXPECT_REG(sp, r1)
    push    {r4-r11, lr}
    mrs     r0, CPSR
    ubfx    r0, r0, #0, #9
    EXPECT(r0, PSR_A | PSR_I | PSR_F | MODE_SVC)
    mrs     r0, LR_abt                  @ written from Hyp, survived the ERET
    EXPECT(r0, 0xfeed0001)

    /* ---- CPS to IRQ: own SP, LR, SPSR ----------------------------------- */
    mov     r8, #0xaa
    mov     r7, lr
    cps     #MODE_IRQ
    mrs     r0, CPSR
    ubfx    r0, r0, #0, #9
    EXPECT(r0, PSR_A | PSR_I | PSR_F | MODE_IRQ)
    ldr     r1, =__stack_irq_top
    EXPECT_REG(sp, r1)
    MOV32   lr, 0x11110000
    MOV32   r0, (PSR_V | PSR_A | PSR_I | MODE_SVC)
    msr     SPSR_fsxc, r0
    cps     #MODE_SVC
    EXPECT_REG(lr, r7)                  @ LR_svc not affected
    mrs     r0, LR_irq
    EXPECT(r0, 0x11110000)
    mrs     r0, SPSR_irq
    EXPECT(r0, PSR_V | PSR_A | PSR_I | MODE_SVC)
    ldr     r1, =__stack_svc_top - 36
    EXPECT_REG(sp, r1)

    /* ---- MSR CPSR_c to FIQ: banked r8-r12 ------------------------------- */
    mov     r12, #0x12
    msr     CPSR_c, #(PSR_I | PSR_F | MODE_FIQ)
    mrs     r0, CPSR
    ubfx    r0, r0, #0, #9
    EXPECT(r0, PSR_A | PSR_I | PSR_F | MODE_FIQ)
    EXPECT(r8, 0)                       @ r8_fiq (reset to 0 by hyp_main)
    ldr     r1, =__stack_fiq_top
    EXPECT_REG(sp, r1)
    mrs     r0, r8_usr                  @ legal from FIQ mode only
    EXPECT(r0, 0xaa)
    mrs     r0, r12_usr
    EXPECT(r0, 0x12)
    mov     r8, #0x88
    mov     r12, #0xcc
    MOV32   r0, 0x9999
    msr     r9_usr, r0                  @ write the User r9 from FIQ
    msr     CPSR_c, #(PSR_I | PSR_F | MODE_SVC)
    EXPECT(r8, 0xaa)
    EXPECT(r12, 0x12)
    EXPECT(r9, 0x9999)
    mrs     r0, r8_fiq
    EXPECT(r0, 0x88)
    mrs     r0, r12_fiq
    EXPECT(r0, 0xcc)
    mov     r0, #0x77
    msr     r10_fiq, r0
    mrs     r1, r10_fiq
    EXPECT(r1, 0x77)

    /* ---- ABT, UND: SP and LR per mode ------------------------------------ */
    MOV32   r0, 0x22220000
    msr     LR_und, r0
    cps     #MODE_UND
    EXPECT(lr, 0x22220000)
    ldr     r1, =__stack_und_top
    EXPECT_REG(sp, r1)
    cps     #MODE_ABT
    EXPECT(lr, 0xfeed0001)
    ldr     r1, =__stack_abt_top
    EXPECT_REG(sp, r1)
    sub     sp, sp, #8                  @ change SP_abt, visible from SVC
    cps     #MODE_SVC
    mrs     r0, SP_abt
    ldr     r1, =__stack_abt_top - 8
    EXPECT_REG(r0, r1)
    ldr     r0, =__stack_abt_top
    msr     SP_abt, r0

    /* ---- SYS shares SP and LR with USR ------------------------------------ */
    cps     #MODE_SYS
    mrs     r0, CPSR
    ubfx    r0, r0, #0, #9
    EXPECT(r0, PSR_A | PSR_I | PSR_F | MODE_SYS)
    ldr     r1, =__stack_usr_top
    EXPECT_REG(sp, r1)
    MOV32   lr, 0x33330000
    cps     #MODE_SVC
    mrs     r0, LR_usr
    EXPECT(r0, 0x33330000)

    /* ---- user registers with STM/LDM ^ ---------------------------------- */
    sub     sp, sp, #8
    mov     r2, sp
    stmia   r2, {sp, lr}^               @ SP_usr, LR_usr
    ldr     r0, [r2]
    ldr     r1, =__stack_usr_top
    EXPECT_REG(r0, r1)
    ldr     r0, [r2, #4]
    EXPECT(r0, 0x33330000)
    MOV32   r0, 0x44440000
    str     r0, [r2, #4]
    ldmia   r2, {sp, lr}^               @ load them back (LR_usr changed)
    nop                                 @ (no banked access right after LDM ^)
    add     sp, sp, #8
    mrs     r0, LR_usr
    EXPECT(r0, 0x44440000)
    EXPECT_REG(lr, r7)                  @ LR_svc untouched

    /* ---- flags through MSR -------------------------------------------------- */
    msr     CPSR_f, #(PSR_N | PSR_Z | PSR_C | PSR_V | PSR_Q)
    EXPECT_FLAGS(PSR_N | PSR_Z | PSR_C | PSR_V | PSR_Q)
    msr     APSR_nzcvq, #PSR_C
    EXPECT_FLAGS(PSR_C)
    MOV32   r0, (PSR_Z | PSR_V | PSR_A | PSR_I | PSR_F | MODE_SVC)
    msr     CPSR_fsxc, r0               @ all fields at once, same mode
    mrs     r1, CPSR
    EXPECT(r1, PSR_Z | PSR_V | PSR_A | PSR_I | PSR_F | MODE_SVC)

    /* ---- to User mode and back with SVC ----------------------------------- */
    mov     r6, sp
    SETFLAGS(PSR_C)
    cps     #MODE_USR
    ldr     r1, =__stack_usr_top
    EXPECT_REG(sp, r1)                  @ User SP
    msr     CPSR_c, #(PSR_I | PSR_F | MODE_SVC)  @ ignored in User mode
    EXPECT_REG(sp, r1)                  @ still the User SP: mode unchanged
    SETFLAGS(PSR_N)                     @ APSR is writable in User mode
    svc     #0x55                       @ exc_svc_hook below returns to SVC
    EXPECT_FLAGS(PSR_N)
    mrs     r0, CPSR
    ubfx    r0, r0, #0, #9
    EXPECT(r0, PSR_A | PSR_I | PSR_F | MODE_SVC)
    EXPECT_REG(sp, r6)
    mrs     r0, SPSR                    @ SPSR_svc = CPSR at the SVC
    EXPECT(r0, PSR_N | PSR_A | PSR_I | PSR_F | MODE_USR)
    ldr     r0, =svc_imm
    ldr     r0, [r0]
    EXPECT(r0, 0x55)

    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main

/*
 * void exc_svc_hook(struct exc_frame *f): the only SVC here is the one from
 * User mode; record its immediate and resume after it in SVC mode.
 */
    .global exc_svc_hook
    .type   exc_svc_hook, %function
exc_svc_hook:
    ldr     r1, [r0, #EXC_FRAME_PC]
    ldr     r1, [r1, #-4]               @ the SVC instruction
    bic     r1, r1, #0xff000000         @ imm24
    ldr     r2, =svc_imm
    str     r1, [r2]
    ldr     r1, [r0, #EXC_FRAME_CPSR]
    bic     r1, r1, #0x1f
    orr     r1, r1, #MODE_SVC
    str     r1, [r0, #EXC_FRAME_CPSR]
    bx      lr
    .size   exc_svc_hook, . - exc_svc_hook
    .ltorg

    .bss
    .balign 4
svc_imm: .space 4

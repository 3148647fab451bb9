/*
 * vectors.S - default exception vector tables.
 *
 * `vectors` (PL1, installed in VBAR by crt0): every entry builds a
 * struct exc_frame on the stack of the exception mode and calls
 * exc_dispatch(frame, type) (lib/exc.c), which calls a weak C hook
 * (exc_undef_hook, exc_svc_hook, ...).  The default hooks print the
 * exception and exit with failure.  If a hook returns, the frame is restored
 * and the handler returns with RFE to frame->pc / frame->cpsr, so a hook
 * can resume anywhere by editing the frame.
 *
 * frame->pc is the preferred return address:
 *   undef, svc     : the instruction after the one that trapped
 *   pabt, dabt     : the instruction that faulted (re-executed on return)
 *   irq, fiq       : the instruction that was interrupted
 *
 * frame layout (16 words, keeps SP 8-byte aligned):
 *   [0..12] r0-r12   [13] lr (Hyp frames: R14, which Hyp mode shares with
 *   User/System mode, saved and restored; PL1 frames: padding)
 *   [14] pc   [15] cpsr (= SPSR)
 *
 * `hyp_vectors` (installed in HVBAR by crt0): the same frame, built with
 * ELR_hyp/SPSR_hyp (SRS is not usable in Hyp mode), then
 * hyp_exc_dispatch(frame, type); ERET on return.
 */
#include "asm.h"
#include "exc.h"

    .text
    .arm

    .balign 32
    .global vectors
vectors:
    b       pl1_reset
    b       pl1_undef
    b       pl1_svc
    b       pl1_pabt
    b       pl1_dabt
    b       pl1_unused
    b       pl1_irq
    b       pl1_fiq

    /* \adj: LR offset to the preferred return address */
    .macro pl1_entry name, adj, mode, type
\name:
    .if \adj
    sub     lr, lr, #\adj
    .endif
    srsdb   sp!, #\mode
    sub     sp, sp, #4
    push    {r0-r12}
    mov     r0, sp
    mov     r1, #\type
    bl      exc_dispatch
    pop     {r0-r12}
    add     sp, sp, #4
    rfeia   sp!
    .endm

    pl1_entry pl1_reset,  0, MODE_SVC, EXC_RESET
    pl1_entry pl1_undef,  0, MODE_UND, EXC_UNDEF
    pl1_entry pl1_svc,    0, MODE_SVC, EXC_SVC
    pl1_entry pl1_pabt,   4, MODE_ABT, EXC_PABT
    pl1_entry pl1_dabt,   8, MODE_ABT, EXC_DABT
    pl1_entry pl1_unused, 0, MODE_SVC, EXC_UNUSED
    pl1_entry pl1_irq,    4, MODE_IRQ, EXC_IRQ
    pl1_entry pl1_fiq,    4, MODE_FIQ, EXC_FIQ

    .balign 32
    .global hyp_vectors
hyp_vectors:
    b       hyp_reset
    b       hyp_undef
    b       hyp_hvc
    b       hyp_pabt
    b       hyp_dabt
    b       hyp_trap
    b       hyp_irq
    b       hyp_fiq

    .macro hyp_entry name, type
\name:
    sub     sp, sp, #12
    push    {r0-r12}
    str     lr, [sp, #EXC_FRAME_LR]
    mrs     r0, ELR_hyp
    str     r0, [sp, #EXC_FRAME_PC]
    mrs     r0, SPSR
    str     r0, [sp, #EXC_FRAME_CPSR]
    mov     r0, sp
    mov     r1, #\type
    bl      hyp_exc_dispatch
    ldr     r0, [sp, #EXC_FRAME_PC]
    msr     ELR_hyp, r0
    ldr     r0, [sp, #EXC_FRAME_CPSR]
    msr     SPSR_cxsf, r0
    ldr     lr, [sp, #EXC_FRAME_LR]
    pop     {r0-r12}
    add     sp, sp, #12
    eret
    .endm

    hyp_entry hyp_reset, EXC_RESET
    hyp_entry hyp_undef, EXC_UNDEF
    hyp_entry hyp_hvc,   EXC_SVC
    hyp_entry hyp_pabt,  EXC_PABT
    hyp_entry hyp_dabt,  EXC_DABT
    hyp_entry hyp_trap,  EXC_HYPTRAP
    hyp_entry hyp_irq,   EXC_IRQ
    hyp_entry hyp_fiq,   EXC_FIQ

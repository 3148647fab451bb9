/*
 * entry.S - the Hyp vectors, the Hyp ABI and the register half of the world
 * switch (KVM/ARM: arch/arm/kvm/interrupts.S, init.S). Nothing here makes a
 * decision beyond "host call or guest exit"; switch.c does the system
 * registers, the host does the policy.
 *
 * Hyp ABI (seed 000): the host, in SVC mode, calls `hvc #0` with r0 = a
 * Hyp function and r1-r3 its arguments. The trap vector accepts it only when
 * VTTBR.VMID == 0 (the host runs with VMID 0; every guest has 1..255) and
 * HSR.EC is HVC, runs fn(r1, r2, r3) in Hyp mode and returns r0 straight to
 * SVC. Hyp mode shares R14 with User mode, so the call saves lr_usr, ELR_hyp
 * and SPSR_hyp on the Hyp stack around fn.
 *
 * World switch: __kvm_vcpu_run(vcpu) (a Hyp function) pushes the host's
 * callee-saved registers and the vcpu pointer on the Hyp stack, saves the
 * host's banked registers of every PL1 mode and SP_usr in this core's host
 * context (hyp_this_host_ctxt(): one per physical core, found by MPIDR),
 * lets hyp_enter_c() switch the system registers, then loads the guest's
 * banked registers, lr_usr, ELR_hyp, SPSR_hyp and r0-r12 and ERETs. Any
 * exception from the guest (trap vector with VMID != 0, IRQ, FIQ) saves all
 * of it back into the vcpu and calls hyp_exit_c(), which captures the fault
 * and switches the system registers back; __kvm_vcpu_run then returns an
 * ARM_EXCEPTION_* code to the host. hyp_exit_c() returning 0 means "re-enter
 * the guest" (a permission fault whose IPA could not be resolved, seed 000).
 *
 * An exception taken in Hyp mode itself (undef, SVC, aborts at HVBAR + 0x4
 * to 0x10) is a hypervisor bug: hyp_panic() reports it and stops.
 * ARM ARM B1.8.1 (Hyp vector table), B1.12 (Virtualization Extensions).
 */
#include "kvm_arm.h"
#include "kvm_ctxt.h"

    .text
    .arm

    /* store the banked registers of SVC/ABT/UND/IRQ/FIQ and SP_usr to \base
     * (a struct kvm_cpu_ctxt *); clobbers r1-r3, r5-r12 */
    .macro save_banked base
    mrs     r1, SP_usr
    str     r1, [\base, #CTX_SP_USR]
    mrs     r1, SP_svc
    mrs     r2, LR_svc
    mrs     r3, SPSR_svc
    add     r5, \base, #CTX_SVC
    stm     r5, {r1-r3}
    mrs     r1, SP_abt
    mrs     r2, LR_abt
    mrs     r3, SPSR_abt
    add     r5, \base, #CTX_ABT
    stm     r5, {r1-r3}
    mrs     r1, SP_und
    mrs     r2, LR_und
    mrs     r3, SPSR_und
    add     r5, \base, #CTX_UND
    stm     r5, {r1-r3}
    mrs     r1, SP_irq
    mrs     r2, LR_irq
    mrs     r3, SPSR_irq
    add     r5, \base, #CTX_IRQ
    stm     r5, {r1-r3}
    mrs     r5, R8_fiq
    mrs     r6, R9_fiq
    mrs     r7, R10_fiq
    mrs     r8, R11_fiq
    mrs     r9, R12_fiq
    mrs     r10, SP_fiq
    mrs     r11, LR_fiq
    mrs     r12, SPSR_fiq
    add     r1, \base, #CTX_FIQ
    stm     r1, {r5-r12}
    .endm

    /* the reverse of save_banked */
    .macro restore_banked base
    ldr     r1, [\base, #CTX_SP_USR]
    msr     SP_usr, r1
    add     r5, \base, #CTX_SVC
    ldm     r5, {r1-r3}
    msr     SP_svc, r1
    msr     LR_svc, r2
    msr     SPSR_svc, r3
    add     r5, \base, #CTX_ABT
    ldm     r5, {r1-r3}
    msr     SP_abt, r1
    msr     LR_abt, r2
    msr     SPSR_abt, r3
    add     r5, \base, #CTX_UND
    ldm     r5, {r1-r3}
    msr     SP_und, r1
    msr     LR_und, r2
    msr     SPSR_und, r3
    add     r5, \base, #CTX_IRQ
    ldm     r5, {r1-r3}
    msr     SP_irq, r1
    msr     LR_irq, r2
    msr     SPSR_irq, r3
    add     r1, \base, #CTX_FIQ
    ldm     r1, {r5-r12}
    msr     R8_fiq, r5
    msr     R9_fiq, r6
    msr     R10_fiq, r7
    msr     R11_fiq, r8
    msr     R12_fiq, r9
    msr     SP_fiq, r10
    msr     LR_fiq, r11
    msr     SPSR_fiq, r12
    .endm

    .balign 32
    .global __kvm_hyp_vector
__kvm_hyp_vector:
    b       hyp_reset           @ 0x00
    b       hyp_undef           @ 0x04: UNDEFINED in Hyp mode
    b       hyp_svc             @ 0x08: SVC in Hyp mode
    b       hyp_pabt            @ 0x0c: prefetch abort in Hyp mode
    b       hyp_dabt            @ 0x10: data abort in Hyp mode
    b       hyp_trap            @ 0x14: HVC, traps, stage-2 aborts from the host or a guest
    b       hyp_irq             @ 0x18: IRQ while a guest runs (HCR.IMO)
    b       hyp_fiq             @ 0x1c: FIQ while a guest runs (HCR.FMO)

    .macro panic_entry name, offset
\name:
    mov     r0, #\offset
    b       hyp_panic_entry
    .endm
    panic_entry hyp_reset, 0x00
    panic_entry hyp_undef, 0x04
    panic_entry hyp_svc,   0x08
    panic_entry hyp_pabt,  0x0c
    panic_entry hyp_dabt,  0x10
hyp_panic_entry:
    mrs     r1, ELR_hyp
    mrc     p15, 4, r2, c5, c2, 0       @ HSR
    b       hyp_panic                   @ does not return

hyp_trap:
    push    {r0-r2}
    mrrc    p15, 6, r0, r1, c2          @ VTTBR
    ubfx    r1, r1, #16, #8             @ VMID
    cmp     r1, #0
    bne     1f
    mrc     p15, 4, r1, c5, c2, 0       @ HSR
    lsr     r1, r1, #26
    cmp     r1, #EC_HVC
    bne     host_trap
    pop     {r0-r2}
    /* Hyp ABI: fn(r1, r2, r3) with fn in r0 */
    push    {lr}                        @ lr_usr of the host
    mrs     lr, ELR_hyp
    push    {lr}
    mrs     lr, SPSR
    push    {lr}
    mov     lr, r0
    mov     r0, r1
    mov     r1, r2
    mov     r2, r3
    blx     lr
    pop     {lr}
    msr     SPSR_cxsf, lr
    pop     {lr}
    msr     ELR_hyp, lr
    pop     {lr}
    eret
1:  mov     r1, #ARM_EXCEPTION_TRAP
    b       guest_exit

host_trap:                              @ the host (VMID 0) trapped: a hypervisor bug
    pop     {r0-r2}
    mov     r0, #0x14
    b       hyp_panic_entry

hyp_irq:
    push    {r0-r2}
    mov     r1, #ARM_EXCEPTION_IRQ
    b       guest_exit
hyp_fiq:
    push    {r0-r2}
    mov     r1, #ARM_EXCEPTION_FIQ
    /* fall through */

    /* Hyp stack: [sp] guest r0-r2, [sp + 12] vcpu, then the host frame of __kvm_vcpu_run */
guest_exit:
    ldr     r0, [sp, #12]               @ struct kvm_vcpu_hyp * (ctxt is its first member)
    add     r2, r0, #12
    stm     r2, {r3-r12}                @ guest r3-r12
    mov     r4, r1                      @ the exception code
    pop     {r1-r3}
    stm     r0, {r1-r3}                 @ guest r0-r2
    str     lr, [r0, #CTX_LR_USR]       @ Hyp's R14 is the guest's lr_usr
    mrs     r1, ELR_hyp
    str     r1, [r0, #CTX_PC]
    mrs     r1, SPSR
    str     r1, [r0, #CTX_CPSR]
    save_banked r0
    mov     r1, r4
    bl      hyp_exit_c                  @ r0 = vcpu, r1 = code -> r0 = code, or 0: run the guest again
    cmp     r0, #0
    ldreq   r0, [sp]
    beq     guest_enter
    add     sp, sp, #4                  @ drop the vcpu pointer
    mov     r4, r0
    bl      hyp_this_host_ctxt          @ this core's (keeps r4)
    restore_banked r0
    mov     r0, r4
    pop     {r4-r12, pc}                @ back into the Hyp ABI dispatcher, then SVC

    /* u32 __kvm_vcpu_run(struct kvm_vcpu_hyp *vcpu): a Hyp function */
    .global __kvm_vcpu_run
    .type   __kvm_vcpu_run, %function
__kvm_vcpu_run:
    push    {r4-r12, lr}
    mov     r4, r0
    bl      hyp_this_host_ctxt          @ this core's (keeps r4; lr is on the stack)
    save_banked r0
    push    {r4}
    mov     r0, r4
    bl      hyp_enter_c                 @ system registers: host out, guest in
    ldr     r0, [sp]
guest_enter:                            @ r0 = the vcpu
    restore_banked r0
    ldr     r1, [r0, #CTX_PC]
    msr     ELR_hyp, r1
    ldr     r1, [r0, #CTX_CPSR]
    msr     SPSR_cxsf, r1
    ldr     lr, [r0, #CTX_LR_USR]
#ifdef HYPSIM_FAULT_GUEST_R12_LEAK
    ldm     r0, {r0-r11}                @ deliberately broken: r12 is not the guest's
#else
    ldm     r0, {r0-r12}
#endif
    eret
    .size   __kvm_vcpu_run, . - __kvm_vcpu_run
    .ltorg

    /* u32 kvm_call_hyp(void *fn, u32 a, u32 b, u32 c): the host's side of the Hyp ABI */
    .global kvm_call_hyp
    .type   kvm_call_hyp, %function
kvm_call_hyp:
    hvc     #0
    bx      lr
    .size   kvm_call_hyp, . - kvm_call_hyp

/*
 * crt0.S - reset entry for hypsim bare-metal programs (ARM state only).
 *
 * Entry state (QEMU virt,virtualization=on loading an ELF, and the RTL SoC):
 * Hyp mode, CPSR.M = 0x1a, A/I/F masked, MMU off, all GPRs zero.  QEMU 7.2
 * actually enters with CPSR = 0x400001da (Z set, an artefact of its zeroed
 * flag storage), so the very first instruction writes the flags to a defined
 * value.
 *
 * Sequence:
 *   1. NZCVQ := 0, SP_hyp := __stack_hyp_top
 *   2. SP of SVC, ABT, UND, IRQ, FIQ and USR/SYS via banked MSR (legal from Hyp)
 *   3. zero .bss
 *   4. HCR := 0, HSTR := 0, HVBAR := hyp_vectors, VBAR := vectors,
 *      SCTLR.V := 0 and SCTLR.TE := 0 (low vectors, ARM-state exceptions)
 *   5. if the program defines hyp_main, call it in Hyp mode; a non-zero
 *      return value ends the program with failure
 *   6. leave Hyp for SVC the architectural way: SPSR_hyp := 0x1d3
 *      (SVC, A/I/F masked), ELR_hyp := 1f, ERET
 *   7. uart_init(), r0 := main(), semihosting SYS_EXIT (0 -> success)
 */
#include "asm.h"

    .section .text.boot, "ax"
    .arm
    .global _start
    .type   _start, %function
_start:
    msr     APSR_nzcvq, #0
    ldr     sp, =__stack_hyp_top

    ldr     r0, =__stack_svc_top
    msr     SP_svc, r0
    ldr     r0, =__stack_abt_top
    msr     SP_abt, r0
    ldr     r0, =__stack_und_top
    msr     SP_und, r0
    ldr     r0, =__stack_irq_top
    msr     SP_irq, r0
    ldr     r0, =__stack_fiq_top
    msr     SP_fiq, r0
    ldr     r0, =__stack_usr_top
    msr     SP_usr, r0

    /* zero .bss (8-byte aligned start and end, see link.ld) */
    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    mov     r2, #0
    mov     r3, #0
1:  cmp     r0, r1
    strdlo  r2, r3, [r0], #8
    blo     1b

    /* Hyp configuration: no traps, Hyp vectors from lib/vectors.S */
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0       @ HCR
    mcr     p15, 4, r0, c1, c1, 3       @ HSTR
    ldr     r0, =hyp_vectors
    mcr     p15, 4, r0, c12, c0, 0      @ HVBAR
    ldr     r0, =vectors
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR (PL1 register, writable from Hyp)
    mrc     p15, 0, r0, c1, c0, 0       @ SCTLR
    bic     r0, r0, #(1 << 13)          @ V: vectors at VBAR
    bic     r0, r0, #(1 << 30)          @ TE: take exceptions in ARM state
    mcr     p15, 0, r0, c1, c0, 0
    isb

    /* optional Hyp-mode part of the program */
    ldr     r4, =hyp_main
    cmp     r4, #0
    beq     2f
    blx     r4
    cmp     r0, #0
    bne     crt0_fail
2:
    /* drop to SVC: SPSR_hyp / ELR_hyp then ERET */
    ldr     r0, =(PSR_A | PSR_I | PSR_F | MODE_SVC)
    msr     SPSR_cxsf, r0               @ current (Hyp) SPSR == SPSR_hyp
    ldr     r0, =3f
    msr     ELR_hyp, r0
    eret
3:
    bl      uart_init
    mov     r0, #0
    mov     r1, #0
    mov     r2, #0
    bl      main
    bl      sh_exit                     @ does not return
crt0_fail:
    mov     r0, #1
    bl      sh_exit
    .size   _start, . - _start
    .ltorg

    .weak   hyp_main

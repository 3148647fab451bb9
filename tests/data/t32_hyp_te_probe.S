/*
 * t32_hyp_te_probe.S - HSCTLR.TE (ARM ARM B4.1.66, B1.9): with TE = 1 exceptions
 * taken to Hyp mode enter their HVBAR vector in Thumb state, and a T32 ERET
 * (SUBS PC, LR, #0 encoding) returns from Hyp mode to either state through
 * SPSR_hyp.T. Written for QEMU (-M virt,virtualization=on -cpu cortex-a15); run
 * by tests/test_t32_exceptions.py with `hypsim run --compare-qemu`.
 *   1. HVC #1 from Hyp mode, ARM state: HVBAR + 0x08 in Thumb state; the
 *      handler prints ELR_hyp - the HVC, SPSR_hyp, HSR and ERETs back to ARM;
 *   2. the same from a Thumb function in Hyp mode (SPSR_hyp.T = 1);
 *   3. an HVC from SVC mode, Thumb state (HVBAR + 0x14, Thumb handler), and a
 *      WFI trapped under HCR.TWI (16-bit: HSR.IL = 0), each back by ERET;
 *   4. UDF in Hyp mode, Thumb state (HVBAR + 0x04): ELR_hyp = the UDF.
 * Each handler line: "<tag> <ELR_hyp - instruction> <SPSR_hyp> <HSR>"; HVC #0xffff
 * ends the run (SYS_EXIT).
 */
    .syntax unified
    .include "t32_probe_lib.S"
    .arch armv7ve
    .arch_extension virt

    .macro MARK label
    ldr r12, =\label
    str r12, [r11]
    .endm

    .text
    .arm
    .global _start
    .type _start, %function
_start:
    ldr sp, =hyp_stack_top
    ldr r11, =mark
    ldr r0, =hvec
    mcr p15, 4, r0, c12, c0, 0      @ HVBAR
    mrc p15, 4, r0, c1, c0, 0
    orr r0, r0, #(1 << 30)          @ HSCTLR.TE
    mcr p15, 4, r0, c1, c0, 0
    mov r0, #(1 << 13)              @ HCR.TWI
    mcr p15, 4, r0, c1, c1, 0
    isb
    MARK hvc_arm
hvc_arm:
    hvc #1                          @ 1. from Hyp, ARM state
    blx hyp_thumb                   @ 2. from Hyp, Thumb state
    ldr r0, =svc_stack_top
    msr SP_svc, r0
    ERET_THUMB 0x1f3, guest      @ SVC, A I F masked, T = 1

    .thumb
    .thumb_func
hyp_thumb:
    push {lr}
    MARK hvc_thumb
hvc_thumb:
    hvc #2
    MARK udf_thumb
udf_thumb:
    udf #3                          @ 4. UNDEFINED in Hyp mode, Thumb
    pop {pc}

    .thumb_func
guest:
    ldr r11, =mark
    MARK hvc_svc
hvc_svc:
    hvc #4                          @ 3. from SVC mode, Thumb
    MARK wfi_svc
wfi_svc:
    wfi                             @ traps (HCR.TWI): IL = 0
    hvc #0xffff
1:  b 1b

@ Hyp vectors, Thumb state (HSCTLR.TE = 1): 4-byte entries
    .balign 32
hvec:
    b.w .                           @ +0x00
    b.w h_undef                     @ +0x04 undefined from Hyp
    b.w h_hvc                       @ +0x08 HVC from Hyp
    b.w .                           @ +0x0c
    b.w .                           @ +0x10
    b.w h_trap                      @ +0x14 trap from PL1
    b.w .                           @ +0x18
    b.w .                           @ +0x1c

    .thumb_func
h_undef:
    push {r0-r4, r12, lr}
    ldr r0, =s_undef
    bl report
    mrs r0, ELR_hyp
    adds r0, r0, #2                 @ past the 16-bit UDF
    msr ELR_hyp, r0
    pop {r0-r4, r12, lr}
    eret

    .thumb_func
h_hvc:
    push {r0-r4, r12, lr}
    ldr r0, =s_hvc
    bl report
    pop {r0-r4, r12, lr}
    eret

    .thumb_func
h_trap:
    push {r0-r4, r12, lr}
    mrc p15, 4, r4, c5, c2, 0       @ HSR
    ldr r1, =0x4a00ffff             @ HVC #0xffff (IL 1)
    cmp r4, r1
    beq finish
    ldr r0, =s_trap
    bl report
    lsrs r1, r4, #26
    cmp r1, #0x12                   @ HVC: ELR_hyp is the next instruction
    beq 1f
    mrs r0, ELR_hyp
    tst r4, #(1 << 25)
    ite ne
    addne r0, r0, #4
    addeq r0, r0, #2
    msr ELR_hyp, r0
1:  pop {r0-r4, r12, lr}
    eret

@ report: "<r0 string> <ELR_hyp - mark> <SPSR_hyp> <HSR>"
    .thumb_func
report:
    push {lr}
    ldr r1, [r11]
    mrs r2, ELR_hyp
    subs r1, r2, r1
    mrs r2, spsr
    mrc p15, 4, r3, c5, c2, 0
    blx print3
    pop {pc}

finish:
    EXIT                            @ Thumb semihosting

    .arm
    PROBE_LIB_ARM_CODE                @ print3 (tests/data/t32_probe_lib.S)
    .ltorg

    .data
mark:   .word 0
s_undef: .asciz "hyp-undef"
s_hvc:  .asciz "hyp-hvc"
s_trap: .asciz "hyp-trap"
    .bss
    .balign 8
    .space 256
svc_stack_top:
    .space 1024
hyp_stack_top:

/*
 * t32_probe_lib.S - the semihosting helpers the tests/data/t32_*_probe.S probes share,
 * pulled in with `.include "t32_probe_lib.S"` after `.syntax unified` (the probes are
 * built with -Wa,-I<this directory>). Semihosting as QEMU -semihosting and `hypsim run`
 * take it: SVC #0xab in Thumb state, SVC #0x123456 in ARM state; r0 = operation
 * (SYS_WRITEC 0x03, SYS_WRITE0 0x04, SYS_EXIT 0x18), r1 = argument. Only macros:
 * nothing is emitted where the file is included.
 * Thumb (callers in Thumb state):
 *   PR tag, reg     prints "<string tag><reg in hex>\n" (clobbers r0-r3, lr)
 *   EXIT            SYS_EXIT with ADP_Stopped_ApplicationExit (0x20026)
 *   PROBE_LIB_CODE  emits print_hex: "<string r1><r0 in hex>\n" over SYS_WRITE0,
 *                   keeps r4-r12 (Thumb, in the current section; its buffer in .bss)
 * Either state (the probes' set-up in Hyp mode; r0 clobbered):
 *   PL1_VECTORS_THUMB vec   VBAR = vec and SCTLR.TE = 1: PL1 exceptions taken in Thumb state
 *   ERET_THUMB psr, target  ERET from Hyp to the Thumb function target with SPSR = psr
 * ARM (the Hyp handlers of the exception probes):
 *   EXIT_ARM        SYS_EXIT with ADP_Stopped_ApplicationExit
 *   PROBE_LIB_ARM_CODE  emits, in ARM state, print3: "<string r0> r1 r2 r3\n" (each
 *                   value " %08x"; r0-r3 clobbered) and print_field: the string at r1
 *                   (SYS_WRITE0), then r2 as 8 hex digits (SYS_WRITEC; r0, r1 clobbered)
 */
    .macro PR tag, reg
    mov r0, \reg
    ldr r1, =\tag
    bl print_hex
    .endm

    .macro EXIT
    movs r0, #0x18                  @ SYS_EXIT
    ldr r1, =0x20026                @ ADP_Stopped_ApplicationExit
    svc #0xab
    b .
    .endm

    .macro PL1_VECTORS_THUMB vec
    ldr r0, =\vec
    mcr p15, 0, r0, c12, c0, 0      @ VBAR
    mrc p15, 0, r0, c1, c0, 0
    orr r0, r0, #(1 << 30)          @ SCTLR.TE: PL1 exceptions in Thumb state
    mcr p15, 0, r0, c1, c0, 0
    .endm

    .macro ERET_THUMB psr, target
    movw r0, #\psr
    msr spsr_cxsf, r0
    ldr r0, =\target
    bic r0, r0, #1                  @ ELR_hyp holds the address; SPSR.T gives the state
    msr ELR_hyp, r0
    eret
    .endm

    .macro PROBE_LIB_CODE
    .type print_hex, %function
    .thumb_func
print_hex:
    push {r4-r6, lr}
    mov r4, r0
    movs r0, #4                     @ SYS_WRITE0 (r1: the tag)
    svc #0xab
    ldr r1, =probe_hexbuf
    movs r5, #8
1:  lsrs r6, r4, #28
    cmp r6, #10
    ite lt
    addlt r6, r6, #'0'
    addge r6, r6, #('a' - 10)
    strb r6, [r1], #1
    lsls r4, r4, #4
    subs r5, #1
    bne 1b
    movs r6, #'\n'
    strb r6, [r1], #1
    movs r6, #0
    strb r6, [r1]
    ldr r1, =probe_hexbuf
    movs r0, #4
    svc #0xab
    pop {r4-r6, pc}
    .ltorg
    .pushsection .bss.probe_lib, "aw", %nobits
probe_hexbuf:
    .space 16
    .popsection
    .endm

    .macro EXIT_ARM
    mov r0, #0x18                   @ SYS_EXIT
    ldr r1, =0x20026                @ ADP_Stopped_ApplicationExit
    svc 0x123456
    b .
    .endm

    .macro PROBE_LIB_ARM_CODE
    .arm
    .type print3, %function
print3:
    push {r4-r7, lr}
    mov r4, r1
    mov r5, r2
    mov r6, r3
    mov r1, r0
    mov r0, #0x04                   @ SYS_WRITE0
    svc 0x123456
    ldr r1, =probe_s_sp
    mov r2, r4
    bl print_field
    ldr r1, =probe_s_sp
    mov r2, r5
    bl print_field
    ldr r1, =probe_s_sp
    mov r2, r6
    bl print_field
    mov r0, #0x03                   @ SYS_WRITEC '\n'
    ldr r1, =probe_s_nl
    svc 0x123456
    pop {r4-r7, pc}

    .type print_field, %function
print_field:
    push {r4, r5, lr}
    mov r4, r2
    mov r0, #0x04                   @ SYS_WRITE0 (r1)
    svc 0x123456
    mov r5, #28
3:  lsr r0, r4, r5
    and r0, r0, #0xf
    cmp r0, #10
    addlt r0, r0, #'0'
    addge r0, r0, #('a' - 10)
    ldr r1, =probe_ch
    strb r0, [r1]
    mov r0, #0x03                   @ SYS_WRITEC
    svc 0x123456
    subs r5, r5, #4
    bge 3b
    pop {r4, r5, pc}
    .ltorg
    .pushsection .data.probe_lib_arm, "aw", %progbits
probe_s_sp: .asciz " "
probe_s_nl: .byte 10
probe_ch:   .byte 0
    .popsection
    .endm

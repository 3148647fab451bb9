/*
 * t32_probe_lib.S - the semihosting helpers the tests/data/t32_*_probe.S Thumb probes
 * share, pulled in with `.include "t32_probe_lib.S"` after `.syntax unified` and
 * `.thumb` (the probes are built with -Wa,-I<this directory>). Semihosting as QEMU
 * -semihosting and `hypsim run` take it: SVC #0xab (Thumb), r0 = operation, r1 = argument.
 *   PR tag, reg     prints "<string tag><reg in hex>\n" (clobbers r0-r3, lr)
 *   EXIT            SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit (0x20026)
 *   PROBE_LIB_CODE  emits print_hex (in .text: expand it where the probe's code
 *                   may hold it) and its buffer (in .bss)
 * print_hex: "<string r1> <r0 in hex>\n" over SYS_WRITE0 (0x04); keeps r4-r12.
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

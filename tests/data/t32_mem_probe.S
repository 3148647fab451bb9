/*
 * t32_mem_probe.S - the T32 load/store forms A32 has no word for, which
 * rtl/core/arm_t32_expand.sv passes to the core in its side band, in Thumb code
 * written against the ARM ARM for QEMU (-M virt,virtualization=on -cpu cortex-a15),
 * with no part of this repository but the shared helpers (t32_probe_lib.S);
 * tests/test_t32_sys.py runs it with `hypsim run --compare-qemu` on both simulators
 * and checks the transcript.
 *
 * _start is a `.thumb_func` (odd ELF entry: Thumb state, Hyp mode). It sets VBAR
 * (Thumb PL1 vectors: SCTLR.TE = 1), SP_abt, and ERETs to `sys` in System mode,
 * Thumb, A/I/F masked. There:
 *   1. LDREXD/STREXD (A8.8.77/A8.8.214) with pairs A32 cannot encode: Rt odd with
 *      Rt2 < Rt, Rt2 = LR, STREXD with Rt2 = Rt (the same register to both words),
 *      a STREXD after CLREX (fails: 1, memory unchanged);
 *   2. LDREX/STREX [Rn, #imm8*4] (A8.8.75/A8.8.212) with offsets 4 and 1020, and a
 *      STREX through another base register to the same address (the monitor holds
 *      Rn + offset: succeeds) and to another address (fails: 1);
 *   3. the LDRT/STRT family (A8.8.92 ...; T32: [Rn, #imm8], no writeback) at PL1
 *      under a stage-1 MMU (B3.6 long descriptors, TTBCR.EAE = 1): on memory PL0
 *      may access they load/store the right data and leave Rn alone; through an
 *      alias that is PL1-only (AP[2:1] = 00) a plain LDR succeeds and LDRT, STRT,
 *      LDRSHT take a Permission fault (B3.7: checked as PL0), whose long-format
 *      DFSR and DFAR the Abort handler records before it returns past the access.
 * Each result is one line "<tag> <hex>" over semihosting SYS_WRITE0 (SVC #0xab);
 * the run ends with SYS_EXIT (0x18, ADP_Stopped_ApplicationExit 0x20026).
 * Run: arm-none-eabi-gcc -march=armv7ve -mthumb -nostdlib -nostartfiles \
 *      -Wa,-I<tests/data> -Wl,-Ttext=0x40000000 t32_mem_probe.S -o p.elf && \
 *      qemu-system-arm -M virt,virtualization=on -cpu cortex-a15 -nographic \
 *      -semihosting -kernel p.elf
 */
    .syntax unified
    .arch armv7ve
    .arch_extension virt
    .thumb
    .include "t32_probe_lib.S"

    .equ ALIAS, 0x40000000          @ VA 0x80000000 + x -> PA 0x40000000 + x (PL1 only)

    .text
    .global _start
    .type _start, %function
    .thumb_func
_start:
    PL1_VECTORS_THUMB pl1_vec
    ldr r0, =abt_stack_top
    msr SP_abt, r0
    isb
    ERET_THUMB 0x1ff, sys      @ System, A I F masked, T = 1

    .type sys, %function
    .thumb_func
sys:
    ldr sp, =sys_stack_top

    @ 1. LDREXD/STREXD with any register pair
    ldr r6, =ebuf
    ldrexd r9, r4, [r6]             @ Rt odd, Rt2 < Rt: r9 = [r6], r4 = [r6 + 4]
    PR s_ld_lo, r9
    PR s_ld_hi, r4
    adds r9, r9, #0x10
    adds r4, r4, #0x20
    ldrexd r9, r8, [r6]             @ (mark again: PR's SVCs may clear the monitor)
    adds r9, r9, #0x10
    adds r8, r8, #0x20
    strexd r5, r9, r8, [r6]         @ Rt odd, Rt2 < Rt
    PR s_sd1, r5
    ldr r7, [r6]
    PR s_w0, r7
    ldr r7, [r6, #4]
    PR s_w1, r7
    ldrexd r12, lr, [r6]            @ Rt2 = LR
    mov r10, r12
    mov r11, lr
    PR s_ld_ip, r10
    PR s_ld_lr, r11
    ldr r7, =0x5a5aa5a5
    ldrexd r10, r11, [r6]
    strexd r5, r7, r7, [r6]         @ Rt2 = Rt: r7 to both words
    PR s_sd2, r5
    ldrd r10, r11, [r6]
    PR s_w0, r10
    PR s_w1, r11
    ldr r7, =0x01234567
    ldr r9, =0x89abcdef
    ldrexd r10, r11, [r6]
    clrex
    strexd r5, r9, r7, [r6]         @ no monitor: fails, memory unchanged
    PR s_sd3, r5
    ldrd r10, r11, [r6]
    PR s_w0, r10
    PR s_w1, r11
    ldrexd r3, r7, [r6]             @ Rt odd, Rt2 = Rt + 4
    mov r4, r3
    ldr r9, =0x0badf00d
    strexd r5, r9, r3, [r6]         @ Rt odd
    PR s_sd4, r5
    PR s_ld_r3, r4
    PR s_ld_r7, r7
    ldrd r10, r11, [r6]
    PR s_w0, r10
    PR s_w1, r11

    @ 2. LDREX/STREX [Rn, #imm8*4]
    ldr r6, =obuf
    ldrex r4, [r6, #4]
    adds r4, #5
    strex r5, r4, [r6, #4]
    PR s_x4, r5
    ldr r4, [r6, #4]
    PR s_w4, r4
    ldrex r4, [r6, #1020]
    adds r4, #7
    strex r5, r4, [r6, #1020]
    PR s_x1020, r5
    ldr r4, [r6, #1020]
    PR s_w1020, r4
    ldrex r4, [r6, #8]              @ marks obuf + 8
    adds r7, r6, #4
    adds r4, #9
    strex r5, r4, [r7, #4]          @ obuf + 4 + 4: the marked address, succeeds
    PR s_xsame, r5
    ldr r4, [r6, #8]
    PR s_w8, r4
    ldrex r4, [r6, #12]             @ marks obuf + 12
    strex r5, r4, [r6, #16]         @ another address: fails
    PR s_xother, r5

    @ 3. LDRT/STRT family under a stage-1 MMU
    ldr r0, =l1
    ldr r1, =0x40000741             @ [1] VA 0x40000000: 1 GB block, Normal, AF, ISH, AP = 01 (PL0 RW)
    movs r2, #0
    strd r1, r2, [r0, #8]
    ldr r1, =0x40000701             @ [2] VA 0x80000000: the same RAM, AP = 00 (PL1 RW only), XN
    ldr r2, =0x00400000
    strd r1, r2, [r0, #16]
    dsb
    movs r0, #0xff                  @ MAIR0: Attr0 = Normal, write-back
    mcr p15, 0, r0, c10, c2, 0
    ldr r0, =0x80000000             @ TTBCR: EAE, T0SZ = 0 (TTBR0 for all VAs)
    mcr p15, 0, r0, c2, c0, 2
    ldr r0, =l1
    movs r1, #0
    mcrr p15, 0, r0, r1, c2         @ TTBR0
    isb
    mcr p15, 0, r0, c8, c7, 0       @ TLBIALL
    dsb
    isb
    mrc p15, 0, r0, c1, c0, 0
    orr r0, r0, #1                  @ SCTLR.M
    mcr p15, 0, r0, c1, c0, 0
    isb

    ldr r6, =ubuf
    mov r8, r6
    ldrt r4, [r6]
    PR s_ldrt0, r4
    ldrt r4, [r6, #4]
    PR s_ldrt4, r4
    ldrbt r4, [r6, #5]
    PR s_ldrbt, r4
    ldrht r4, [r6, #6]
    PR s_ldrht, r4
    ldrsbt r4, [r6, #7]
    PR s_ldrsbt, r4
    ldrsht r4, [r6, #10]
    PR s_ldrsht, r4
    ldr r4, =0xc0ffee11
    strt r4, [r6, #12]
    strbt r4, [r6, #16]
    strht r4, [r6, #22]
    ldrt r4, [r6, #3]               @ unaligned word (SCTLR.A = 0)
    PR s_ldrt3, r4
    ldrt r4, [r6, #255]
    PR s_ldrt255, r4
    subs r4, r6, r8                 @ no writeback: 0
    PR s_rn, r4
    ldr r4, [r6, #12]
    PR s_strt, r4
    ldr r4, [r6, #16]
    PR s_strbt, r4
    ldr r4, [r6, #20]
    PR s_strht, r4

    ldr r6, =ubuf + ALIAS           @ the PL1-only alias
    ldr r4, [r6, #4]                @ PL1: allowed
    PR s_pl1ldr, r4
    ldr r10, =rec
    ldr r4, =0x77777777
    ldrt r4, [r6, #4]               @ as PL0: Permission fault
    PR s_fault_r4, r4
    ldr r4, [r10]
    PR s_dfsr, r4
    ldr r4, [r10, #4]
    PR s_dfar, r4
    ldr r4, =0x66666666
    strt r4, [r6, #8]
    ldr r4, [r10]
    PR s_dfsr, r4
    ldr r4, [r10, #4]
    PR s_dfar, r4
    ldr r4, [r6, #8]                @ not written
    PR s_w8, r4
    ldrsht r4, [r6, #2]
    ldr r4, [r10]
    PR s_dfsr, r4
    ldr r4, [r10, #4]
    PR s_dfar, r4
    ldr r4, [r10, #8]
    PR s_faults, r4

    EXIT

    PROBE_LIB_CODE

@ ------------------------------------------------------------- PL1 vectors (Thumb)
    .balign 32
pl1_vec:
    b.w .                           @ +0x00 reset
    b.w .                           @ +0x04 undefined
    b.w .                           @ +0x08 SVC
    b.w .                           @ +0x0c prefetch abort
    b.w dabt_h                      @ +0x10 data abort
    b.w .                           @ +0x14
    b.w .                           @ +0x18 IRQ
    b.w .                           @ +0x1c FIQ

@ data abort: record DFSR, DFAR, count; return past the (32-bit) access
    .type dabt_h, %function
    .thumb_func
dabt_h:
    push {r0, r1}
    ldr r0, =rec
    mrc p15, 0, r1, c5, c0, 0       @ DFSR
    str r1, [r0]
    mrc p15, 0, r1, c6, c0, 0       @ DFAR
    str r1, [r0, #4]
    ldr r1, [r0, #8]
    adds r1, #1
    str r1, [r0, #8]
    pop {r0, r1}
    subs pc, lr, #4                 @ LR_abt = access + 8: the next 32-bit instruction

    .ltorg

s_ld_lo:    .asciz "ldrexd r9 "
s_ld_hi:    .asciz "ldrexd r4 "
s_sd1:      .asciz "strexd r9,r8 "
s_w0:       .asciz "word0 "
s_w1:       .asciz "word1 "
s_ld_ip:    .asciz "ldrexd ip "
s_ld_lr:    .asciz "ldrexd lr "
s_sd2:      .asciz "strexd r7,r7 "
s_sd3:      .asciz "strexd after clrex "
s_sd4:      .asciz "strexd r9,r3 "
s_ld_r3:    .asciz "ldrexd r3 "
s_ld_r7:    .asciz "ldrexd r7 "
s_x4:       .asciz "strex #4 "
s_w4:       .asciz "word@4 "
s_x1020:    .asciz "strex #1020 "
s_w1020:    .asciz "word@1020 "
s_xsame:    .asciz "strex same address "
s_w8:       .asciz "word@8 "
s_xother:   .asciz "strex other address "
s_ldrt0:    .asciz "ldrt #0 "
s_ldrt4:    .asciz "ldrt #4 "
s_ldrbt:    .asciz "ldrbt #5 "
s_ldrht:    .asciz "ldrht #6 "
s_ldrsbt:   .asciz "ldrsbt #7 "
s_ldrsht:   .asciz "ldrsht #10 "
s_ldrt3:    .asciz "ldrt #3 "
s_ldrt255:  .asciz "ldrt #255 "
s_rn:       .asciz "rn moved "
s_strt:     .asciz "strt #12 "
s_strbt:    .asciz "strbt #16 "
s_strht:    .asciz "strht #22 "
s_pl1ldr:   .asciz "pl1-only ldr "
s_fault_r4: .asciz "ldrt fault r4 "
s_dfsr:     .asciz "dfsr "
s_dfar:     .asciz "dfar "
s_faults:   .asciz "faults "

    .data
    .balign 8
ebuf:       .word 0x000012fe, 0x7ffffffd
    .balign 4
obuf:       .space 8
            .word 0x00000100, 0x00000200, 0x00000300
            .space 1024 - 20
ubuf:       .word 0x8180f2f1, 0xa5c3e1f7, 0x80017f80, 0x11223344, 0x55667788, 0x99aabbcc
            .space 256
rec:        .word 0, 0, 0
    .balign 32
l1:         .word 0, 0, 0, 0, 0, 0, 0, 0
    .balign 8
    .space 256
sys_stack_top:
    .space 256
abt_stack_top:

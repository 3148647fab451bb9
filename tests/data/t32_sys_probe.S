/*
 * t32_sys_probe.S - the T32 system, multiply, packing and exclusive encodings that
 * rtl/core/arm_t32_expand.sv expands to A32 SRS/RFE/CPS, SMULxy..SMMLS/UMAAL, PKH and
 * LDREX/STREX{B,H,D}, in Thumb code, written against the ARM ARM for QEMU
 * (-M virt,virtualization=on -cpu cortex-a15), with no part of this repository
 * (tests/test_t32_expand.py::test_sys_probe_matches_qemu runs it with
 * `hypsim run --compare-qemu` on both simulators and checks the transcript).
 *
 * _start is a `.thumb_func` (odd ELF entry: Thumb state, Hyp mode). It sets VBAR
 * (Thumb PL1 vectors: SCTLR.TE = 1), SP_svc, SP_abt, and ERETs to `sys` in System
 * mode, Thumb, A/I/F masked. There:
 *   1. CPS.W: CPSIE.W/CPSID.W of A, I, F and CPS #mode (to SVC and back), the CPSR
 *      read after each;
 *   2. SRS/RFE round trips through SVC mode: SVC #1's handler SRSDB SP! / RFEIA SP!
 *      (and edits the stacked CPSR: N set on return), SVC #2's SRSIA SP (no
 *      writeback) / RFEDB SP, SVC #3's SRSDB SP!, #abt onto the Abort stack, then
 *      CPS.W to Abort mode and RFEIA SP! there;
 *   3. SMULxy, SMLAxy (with Q set by an overflow), SMULWy, SMLAWy, SMLALxy, SMMUL{R},
 *      SMMLA{R}, SMMLS{R}, UMAAL;
 *   4. PKHBT/PKHTB;
 *   5. LDREX/STREX of each size (B, H, word, D), a STREX after CLREX (fails: 1).
 * SVC #4's handler runs SRS/RFE inside IT blocks (A2.5.2; the A32 forms are cond 1111):
 * SRSDBNE/RFEIANE with Z = 1 do nothing, SRSDBEQ stacks a second frame, RFEIAEQ returns.
 * Each result is one line "<tag> <hex>" over semihosting SYS_WRITE0 (SVC #0xab);
 * the run ends with SYS_EXIT (0x18, ADP_Stopped_ApplicationExit 0x20026).
 * Run: arm-none-eabi-gcc -march=armv7ve -mthumb -nostdlib -nostartfiles \
 *      -Wa,-I<tests/data> -Ttext=0x40000000 t32_sys_probe.S -o p.elf && qemu-system-arm -M \
 *      virt,virtualization=on -cpu cortex-a15 -nographic -semihosting -kernel p.elf
 * (print_hex, PR and EXIT: tests/data/t32_probe_lib.S)
 */
    .syntax unified
    .arch armv7ve
    .arch_extension virt
    .thumb
    .include "t32_probe_lib.S"

    .text
    .global _start
    .type _start, %function
    .thumb_func
_start:
    PL1_VECTORS_THUMB pl1_vec
    ldr r0, =svc_stack_top
    msr SP_svc, r0
    ldr r0, =abt_stack_top
    msr SP_abt, r0
    isb
    ERET_THUMB 0x1ff, sys      @ System, A I F masked, T = 1

    .type sys, %function
    .thumb_func
sys:
    ldr sp, =sys_stack_top

    @ 1. CPS.W
    cpsie.w if
    mrs r4, cpsr
    PR s_cps1, r4                   @ 0x1000013f: A masked, I F clear
    cpsid.w if
    cpsie.w a
    mrs r4, cpsr
    PR s_cps2, r4                   @ 0x..df
    cps #0x13                       @ CPS.W T2, mode only
    mrs r4, cpsr
    PR s_cps3, r4
    cpsid.w a, #0x1f                @ back to System, A masked
    mrs r4, cpsr
    PR s_cps4, r4

    @ 2. SRS/RFE round trips through SVC (and Abort) mode
    movs r0, #7
    svc #1
    mrs r4, cpsr                    @ N set by the handler's edit of the stacked CPSR
    mov r5, r0
    PR s_svc1, r5
    PR s_cpsr1, r4
    ldr r6, =svc_spsr
    ldr r6, [r6]
    PR s_spsr1, r6
    movs r0, #9                     @ Z clear, N clear
    svc #2
    mrs r4, cpsr
    mov r5, r0
    PR s_svc2, r5
    PR s_cpsr2, r4
    movs r0, #0                     @ Z set
    svc #3
    mrs r4, cpsr
    mov r5, r0
    PR s_svc3, r5
    PR s_cpsr3, r4
    ldr r6, =abt_sp_seen
    ldr r6, [r6]
    ldr r7, =abt_stack_top
    subs r6, r7, r6                 @ 8: SRS to the Abort stack, before RFE
    PR s_abtsp, r6
    movs r0, #0                     @ SVC #4: SRS/RFE inside IT blocks
    svc #4
    mrs r4, cpsr
    mov r5, r0
    PR s_svc4, r5
    PR s_cpsr4, r4
    ldr r6, =it_sp_delta
    ldr r7, [r6]
    PR s_itskip, r7
    ldr r7, [r6, #4]
    PR s_itsrs, r7

    @ 3. multiplies
    ldr r1, =0x80017fff             @ top -32767, bottom 32767
    ldr r2, =0x7ffe8003             @ top 32766, bottom -32765
    smulbb r4, r1, r2
    PR s_smulbb, r4
    ldr r1, =0x80017fff             @ (PR clobbers r0-r3: the operands again each time)
    ldr r2, =0x7ffe8003
    smulbt r4, r1, r2
    PR s_smulbt, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    smultb r4, r1, r2
    PR s_smultb, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    smultt r4, r1, r2
    PR s_smultt, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    ldr r3, =0x12345678
    smlabt r4, r1, r2, r3
    PR s_smlabt, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    ldr r3, =0x7fffffff
    movs r0, #0
    msr APSR_nzcvq, r0              @ Q clear
    smlabb r4, r1, r1, r3           @ 32767*32767 + 0x7fffffff: overflows, Q set
    mrs r5, apsr
    PR s_smlabb, r4
    PR s_q, r5
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    smulwb r4, r1, r2
    PR s_smulwb, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    smulwt r4, r1, r2
    PR s_smulwt, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    ldr r3, =0x00001000
    smlawt r4, r2, r1, r3
    PR s_smlawt, r4
    ldr r1, =0x80017fff
    ldr r2, =0x7ffe8003
    ldr r6, =0xfffffff0             @ RdLo
    movs r7, #1                     @ RdHi
    smlaltb r6, r7, r1, r2
    PR s_smlal_lo, r6
    PR s_smlal_hi, r7
    ldr r1, =0x87654321
    ldr r2, =0x76543210
    smmul r4, r1, r2
    PR s_smmul, r4
    ldr r1, =0x87654321
    ldr r2, =0x76543210
    smmulr r4, r1, r2
    PR s_smmulr, r4
    ldr r1, =0x87654321
    ldr r2, =0x76543210
    ldr r3, =0x11111111
    smmla r4, r1, r2, r3
    PR s_smmla, r4
    ldr r1, =0x87654321
    ldr r2, =0x76543210
    ldr r3, =0x11111111
    smmlsr r4, r1, r2, r3
    PR s_smmlsr, r4
    ldr r1, =0xffffffff
    ldr r2, =0xfffffffe
    ldr r6, =0xdeadbeef
    ldr r7, =0xcafef00d
    umaal r6, r7, r1, r2
    PR s_umaal_lo, r6
    PR s_umaal_hi, r7

    @ 4. PKH
    ldr r6, =0x11223344
    ldr r7, =0xaabbccdd
    pkhbt r4, r6, r7, lsl #8
    PR s_pkhbt, r4
    pkhtb r4, r6, r7, asr #12
    PR s_pkhtb, r4
    pkhtb r4, r6, r7, asr #32
    PR s_pkhtb32, r4

    @ 5. exclusives of each size
    ldr r6, =excl_buf
    ldrexb r4, [r6]
    adds r4, #1
    strexb r5, r4, [r6]
    PR s_strexb, r5
    ldrexh r4, [r6]
    adds r4, #2
    strexh r5, r4, [r6]
    PR s_strexh, r5
    ldr r6, =excl_buf + 4           @ (imm8 offsets: t32_mem_probe.S)
    ldrex r4, [r6]
    adds r4, #3
    strex r5, r4, [r6]
    PR s_strex, r5
    ldr r6, =excl_buf
    ldrexd r8, r9, [r6]
    adds r8, r8, #0x10
    adds r9, r9, #0x20
    strexd r5, r8, r9, [r6]
    PR s_strexd, r5
    ldr r6, =excl_buf
    ldrexd r4, r5, [r6]
    PR s_ldrexd_lo, r4
    ldr r6, =excl_buf
    ldr r5, [r6, #4]
    PR s_ldrexd_hi, r5
    ldr r6, =excl_buf
    ldrexh r4, [r6]
    clrex
    strexh r5, r4, [r6]             @ no monitor: fails, 1
    PR s_clrex, r5

    EXIT

    PROBE_LIB_CODE

@ ------------------------------------------------------------- PL1 vectors (Thumb)
    .balign 32
pl1_vec:
    b.w .                           @ +0x00 reset
    b.w .                           @ +0x04 undefined
    b.w svc_h                       @ +0x08 SVC
    b.w .                           @ +0x0c prefetch abort
    b.w .                           @ +0x10 data abort
    b.w .                           @ +0x14
    b.w .                           @ +0x18 IRQ
    b.w .                           @ +0x1c FIQ

@ SVC #n: n from the SVC halfword before LR (T32 SVC T1: 0xdfnn)
    .type svc_h, %function
    .thumb_func
svc_h:
    srsdb sp!, #0x13                @ LR_svc, SPSR_svc onto the SVC stack
    push {r1-r3}
    ldrb r1, [lr, #-2]              @ the SVC's imm8
    cmp r1, #1
    beq svc1
    cmp r1, #2
    beq svc2_redo
    cmp r1, #4
    beq svc4
    @ SVC #3: SRS again onto the Abort stack, return from Abort mode
    pop {r1-r3}
    add sp, sp, #8                  @ drop the first frame
    srsdb sp!, #0x17                @ onto SP_abt
    adds r0, #0x30
    cpsid.w aif, #0x17              @ to Abort mode (LR/SPSR of SVC left behind)
    ldr r1, =abt_sp_seen
    str sp, [r1]
    rfeia sp!                       @ from the Abort stack

svc1:                               @ SRSDB SP! / RFEIA SP!, stacked CPSR edited
    mrs r1, spsr
    ldr r2, =svc_spsr
    str r1, [r2]
    ldr r1, [sp, #16]               @ the stacked CPSR (above r1-r3, LR)
    orr r1, r1, #0x80000000         @ N
    str r1, [sp, #16]
    lsls r0, r0, #2
    pop {r1-r3}
    rfeia sp!

svc2_redo:                          @ SRSIA SP / RFEDB SP without writeback
    pop {r1-r3}
    add sp, sp, #8
    sub sp, sp, #8
    srsia sp, #0x13                 @ [sp] = LR, [sp + 4] = SPSR, SP unchanged
    adds r0, #0x20
    add sp, sp, #8
    rfedb sp                        @ from [sp - 8], SP unchanged

svc4:                               @ SRS/RFE inside IT blocks: the IT condition decides
    pop {r1-r3}
    mov r2, sp
    cmp r0, r0                      @ Z = 1
    it ne
    srsdbne sp!, #0x13              @ condition false: no store, SP unchanged
    mov r3, sp
    subs r3, r2, r3                 @ 0
    ldr r1, =it_sp_delta
    str r3, [r1]
    cmp r0, r0
    itt eq
    srsdbeq sp!, #0x13              @ condition true: a second frame, SP - 8
    moveq r3, sp                    @ (not last in the block: QEMU 7.2 leaves ITSTATE
                                    @ unadvanced after an SRS that ends an IT block)
    subs r3, r2, r3                 @ 8
    str r3, [r1, #4]
    add sp, sp, #8
    adds r0, #0x40
    cmp r0, r0
    it ne
    rfeiane sp!                     @ condition false: no return
    it eq
    rfeiaeq sp!                     @ condition true: back to the caller

    .ltorg

s_cps1:     .asciz "cps1 "
s_cps2:     .asciz "cps2 "
s_cps3:     .asciz "cps3 "
s_cps4:     .asciz "cps4 "
s_svc1:     .asciz "svc1 r0 "
s_cpsr1:    .asciz "svc1 cpsr "
s_spsr1:    .asciz "svc1 spsr "
s_svc2:     .asciz "svc2 r0 "
s_cpsr2:    .asciz "svc2 cpsr "
s_svc3:     .asciz "svc3 r0 "
s_cpsr3:    .asciz "svc3 cpsr "
s_abtsp:    .asciz "abt frame "
s_svc4:     .asciz "svc4 r0 "
s_cpsr4:    .asciz "svc4 cpsr "
s_itskip:   .asciz "srsne skipped, sp moved "
s_itsrs:    .asciz "srseq taken, sp moved "
s_smulbb:   .asciz "smulbb "
s_smulbt:   .asciz "smulbt "
s_smultb:   .asciz "smultb "
s_smultt:   .asciz "smultt "
s_smlabt:   .asciz "smlabt "
s_smlabb:   .asciz "smlabb "
s_q:        .asciz "apsr "
s_smulwb:   .asciz "smulwb "
s_smulwt:   .asciz "smulwt "
s_smlawt:   .asciz "smlawt "
s_smlal_lo: .asciz "smlaltb lo "
s_smlal_hi: .asciz "smlaltb hi "
s_smmul:    .asciz "smmul "
s_smmulr:   .asciz "smmulr "
s_smmla:    .asciz "smmla "
s_smmlsr:   .asciz "smmlsr "
s_umaal_lo: .asciz "umaal lo "
s_umaal_hi: .asciz "umaal hi "
s_pkhbt:    .asciz "pkhbt "
s_pkhtb:    .asciz "pkhtb "
s_pkhtb32:  .asciz "pkhtb asr32 "
s_strexb:   .asciz "strexb "
s_strexh:   .asciz "strexh "
s_strex:    .asciz "strex "
s_strexd:   .asciz "strexd "
s_ldrexd_lo: .asciz "excl lo "
s_ldrexd_hi: .asciz "excl hi "
s_clrex:    .asciz "strexh after clrex "

    .data
    .balign 8
excl_buf:   .word 0x000012fe, 0x7ffffffd
svc_spsr:   .word 0
abt_sp_seen: .word 0
it_sp_delta: .word 0, 0
    .balign 8
    .space 256
sys_stack_top:
    .space 256
svc_stack_top:
    .space 256
abt_stack_top:

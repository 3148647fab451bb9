/*
 * t32_exc_probe.S - exceptions taken from Thumb code and returns to it, written
 * against the ARM ARM for QEMU (-M virt,virtualization=on -cpu cortex-a15), with
 * no part of this repository (tests/test_t32_exceptions.py runs it with
 * `hypsim run --compare-qemu` on both simulators and checks the transcript).
 *
 * _start (Hyp, ARM) sets HVBAR (ARM handlers), VBAR (Thumb handlers: SCTLR.TE = 1,
 * so PL1 exceptions are taken in Thumb state, B1.9), the banked stacks, a stage-2
 * table (VTCR SL0 = 1: four 1 GB level-1 entries, IPA 0x80000000 unmapped) and
 * HCR.IMO, and ERETs to `guest` in SVC mode, Thumb state, A/I/F masked. The guest:
 *   1. IRQ in an IT block: HVC #1 makes the virtual IRQ pending (HCR.VI); an
 *      MSR CPSR_c inside ITTT EQ unmasks it (MSR does ITAdvance, A2.5.2); the IRQ
 *      is taken before the block's second instruction: LR_irq = that + 4, SPSR_irq
 *      with T and the rest of the block (B1.8.3); the handler asks Hyp to drop
 *      the line (HVC #2) and returns with SUBS PC, LR, #4 into the block;
 *   2. data abort on a 16-bit T32 load inside ITE NE (unmapped 0x09001000, an
 *      external abort to Abort mode): LR_abt = the load + 8, SPSR_abt = the load's
 *      own ITSTATE; the handler points the load's base register at a mapped word
 *      and retries it with SUBS PC, LR, #8;
 *   3. UDF.W (32-bit) at PL1: LR_und = address + 2 (T32 offset, B1.8.3 table B1-7),
 *      returned from with ERET (SUBS PC, LR, #0 at PL1) after LR += 2;
 *   4. SVC inside IT blocks: SPSR_svc.IT is the block advanced past the SVC
 *      (preferred return: the next instruction); returns by MOVS PC, LR (T32),
 *      by RFE and by LDM ^ from ARM-state handlers, each restoring T and IT;
 *   5. stage-2 data aborts to Hyp (HCR.VM) from 16-bit and 32-bit loads and stores
 *      of every size (HSR.IL = the width with ISV; ISV/SAS/SSE/SRT/WnR), emulated by
 *      the Hyp handler as MMIO (KVM style), and from accesses without ISV
 *      (post-indexed, LDRD, LDM), only skipped; the handler skips by the width of
 *      the instruction (hw1), as IL is UNK/SBZP without ISV;
 *   6. prefetch abort in Thumb state: BX to the unmapped 0x09001000 (LR_abt =
 *      address + 4, B1.8.3; SPSR_abt.T = 1; IFSR/IFAR);
 *   7. (before 6) a physical IRQ routed to Hyp mode (HCR.IMO, GIC SGI 1) taken inside
 *      an IT block: an ERET into the block's second instruction (SPSR_hyp.IT restored)
 *      with the SGI pending; ELR_hyp = that instruction, SPSR_hyp.IT its ITSTATE.
 * Each handler prints one line over semihosting: a tag, the return address minus
 * the instruction's address (`MARK`), the saved PSR, and a third value.
 * HVC #0xffff ends the run (SYS_EXIT, ADP_Stopped_ApplicationExit).
 * Run: arm-none-eabi-gcc -march=armv7ve -nostdlib -nostartfiles -Wa,-I<tests/data> -Ttext=0x40000000 \
 *      t32_exc_probe.S -o p.elf && qemu-system-arm -M virt,virtualization=on \
 *      -cpu cortex-a15 -nographic -semihosting -kernel p.elf
 */
    .syntax unified
    .include "t32_probe_lib.S"
    .arch armv7ve
    .arch_extension virt

    .equ UNMAPPED,  0x09001000
    .equ IPA_HOLE,  0x80000010          @ stage 2 level-1 entry 2: invalid
    .equ GICD,      0x08000000
    .equ GICC,      0x08010000
    .equ HCR_VM,    (1 << 0)
    .equ HCR_IMO,   (1 << 4)
    .equ HCR_VI,    (1 << 7)

    @ record the address of the instruction at \label for the handlers (r11 = &mark)
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
    ldr r0, =hvec
    mcr p15, 4, r0, c12, c0, 0      @ HVBAR
    PL1_VECTORS_THUMB pl1_vec
    ldr r0, =svc_stack_top
    msr SP_svc, r0
    ldr r0, =abt_stack_top
    msr SP_abt, r0
    ldr r0, =und_stack_top
    msr SP_und, r0
    ldr r0, =irq_stack_top
    msr SP_irq, r0
    ldr r0, =0x80000040             @ VTCR: RES1, SL0 = 01 (level 1), T0SZ = 0
    mcr p15, 4, r0, c2, c1, 2
    ldr r0, =s2_l1
    mov r1, #0                      @ VMID 0
    mcrr p15, 6, r0, r1, c2         @ VTTBR
    mov r0, #HCR_IMO
    mcr p15, 4, r0, c1, c1, 0       @ HCR
    isb
    ERET_THUMB 0x1f3, guest      @ SVC, A I F masked, T = 1

@ ------------------------------------------------------------------------- guest
    .thumb
    .type guest, %function
    .thumb_func
guest:
    ldr r11, =mark
    movs r3, #0

    @ 1. IRQ taken inside an IT block
    hvc #1                          @ HCR.VI := 1 (masked by CPSR.I for now)
    mov r2, #0x13                   @ CPSR_c: SVC, I = 0, F = 0
    MARK irq_next
    movs r0, #0                     @ Z = 1
    ittt eq
    msreq cpsr_c, r2                @ unmasks: the IRQ comes before the next one
irq_next:
    addeq r3, r3, #1
    addeq r3, r3, #2
    cpsid i                         @ masked again
    mov r0, r3                      @ 3: both ran after the return
    ldr r1, =s_r3
    bl print_one

    @ 2. data abort on a 16-bit load inside an IT block, retried
    ldr r1, =UNMAPPED
    MARK dabt_ld
    movs r0, #1                     @ Z = 0
    ite ne
dabt_ld:
    ldrne r5, [r1]                  @ 16-bit; aborts, the handler fixes r1, retries
    moveq r5, #0
    mov r0, r5                      @ the word at `good`
    ldr r1, =s_r5
    bl print_one

    @ 3. UDF.W at PL1
    MARK udf_at
udf_at:
    udf.w #0x123
    ldr r0, =0x600d
    ldr r1, =s_after_udf
    bl print_one

    @ 4. SVC in IT blocks: returns by MOVS PC, LR / RFE / LDM ^
    movs r3, #0
    movs r0, #0                     @ Z = 1
    MARK svc5_at
    itt eq
svc5_at:
    svceq #5
    addeq r3, r3, #1
    MARK svc6_at
    movs r0, #0
    ittt eq
svc6_at:
    svceq #6
    addeq r3, r3, #2
    addeq r3, r3, #4
    MARK svc7_at
    movs r0, #1                     @ Z = 0
    itete ne
svc7_at:
    svcne #7
    addeq r3, r3, #0x100            @ skipped
    addne r3, r3, #8
    addeq r3, r3, #0x200            @ skipped
    mov r0, r3                      @ 0xf
    ldr r1, =s_r3
    bl print_one

    @ 5. stage-2 data aborts to Hyp: MMIO at an unmapped IPA
    hvc #3                          @ HCR.VM := 1
    ldr r1, =IPA_HOLE
    MARK s2_ld16
s2_ld16:
    ldr r5, [r1]                    @ 16-bit: HSR.IL = 0, SRT 5
    MARK s2_ld32
s2_ld32:
    ldr.w r6, [r1, #4]              @ 32-bit: IL = 1, SRT 6
    ldr r2, =0xfeedf00d
    MARK s2_st16
s2_st16:
    str r2, [r1, #8]                @ 16-bit store: WnR, SRT 2
    MARK s2_ldrh16
s2_ldrh16:
    ldrh r5, [r1, #2]               @ 16-bit halfword: SAS 1
    movs r0, #0
    MARK s2_ldrsb16
s2_ldrsb16:
    ldrsb r6, [r1, r0]              @ 16-bit register offset, signed byte: SAS 0, SSE 1
    MARK s2_strb32
s2_strb32:
    strb.w r2, [r1, #1]             @ 32-bit byte store: IL 1, SAS 0, WnR
    MARK s2_ldrsh32
s2_ldrsh32:
    ldrsh.w r7, [r1, #-2]           @ 32-bit imm8 (P = 1, W = 0): SAS 1, SSE 1
    MARK s2_ldrt
s2_ldrt:
    ldrt r5, [r1, #4]               @ T32 LDRT: [Rn, #imm8], no writeback: ISV (B3.13.6), SRT 5
    MARK s2_strbt
s2_strbt:
    strbt r2, [r1, #3]              @ T32 STRBT: SAS byte, WnR
    MARK s2_post
s2_post:
    ldr r5, [r1], #4                @ post-indexed: no ISV (and IL 0, UNK/SBZP)
    MARK s2_ldrd
s2_ldrd:
    ldrd r5, r6, [r1]               @ no ISV
    MARK s2_pop
s2_pop:
    ldm r1, {r5, r6}                @ LDM.W: no ISV
    hvc #4                          @ HCR.VM := 0
    mov r0, r5
    ldr r1, =s_r5
    bl print_one
    mov r0, r6
    ldr r1, =s_r6
    bl print_one

    @ 7. a physical IRQ to Hyp mode (HCR.IMO) inside an IT block: HVC #5 makes SGI 1
    @    pending (Hyp mode masks it) and ERETs into the middle of the ITTE block below
    @    (SPSR_hyp.IT = its second instruction's ITSTATE); the IRQ is taken before that
    @    instruction: ELR_hyp = it, SPSR_hyp = Thumb with that ITSTATE; the handler ERETs
    @    back into the block
    movs r3, #0
    movs r0, #0                     @ Z = 1
    MARK it_target
    hvc #5
    itte eq                         @ not executed: Hyp returns to it_target
    addeq r3, r3, #1
it_target:
    addeq r3, r3, #2                @ ITSTATE 0x0c: runs (Z = 1)
    addne r3, r3, #4                @ skipped
    mov r0, r3                      @ 2
    ldr r1, =s_r3
    bl print_one

    @ 6. prefetch abort in Thumb state: a BX to an unmapped address
    ldr r0, =pabt_ret
    ldr r1, =pabt_back1
    str r1, [r0]
    ldr r1, =(UNMAPPED + 1)
    bx r1                           @ aborts fetching 0x09001000 (Thumb)
pabt_back1:
#ifdef FETCH2_ABORT
    @ a 32-bit instruction at the last halfword of RAM, its second halfword unmapped:
    @ the instruction's prefetch abort, IFAR = the second halfword, LR_abt = address + 4.
    @ RTL only (tests/test_t32_exceptions.py): QEMU 7.2 stops on it with
    @ "translator_access: Assertion `phys_page != -1' failed"
    ldr r0, =0x40fffffe
    movw r2, #0xf8d1                @ hw1 of ldr.w r?, [r1, #imm12]
    strh r2, [r0]
    dsb
    isb
    ldr r0, =pabt_ret
    ldr r1, =pabt_back2
    str r1, [r0]
    ldr r1, =0x40ffffff             @ Thumb
    bx r1
pabt_back2:
#endif
    hvc #0xffff
1:  b 1b

@ print_one: "<string r1> <r0 in hex>\n" (Thumb caller, ARM body)
    .thumb_func
print_one:
    push {r4, lr}
    mov r2, r0
    mov r0, r1
    mov r1, r2
    movs r2, #0
    movs r3, #0
    blx print3
    pop {r4, pc}

@ ------------------------------------------------------------- PL1 vectors (Thumb)
    .balign 32
pl1_vec:
    b.w .                           @ +0x00 reset
    b.w und_h                       @ +0x04 undefined
    b.w svc_h                       @ +0x08 SVC
    b.w pabt_h                      @ +0x0c prefetch abort
    b.w dabt_h                      @ +0x10 data abort
    b.w .                           @ +0x14
    b.w irq_h                       @ +0x18 IRQ
    b.w .                           @ +0x1c FIQ

    .thumb_func
irq_h:
    push {r0-r3, r12, lr}
    ldr r0, =s_irq
    ldr r1, [r11]
    sub r1, lr, r1                  @ LR_irq - the next instruction: 4
    mrs r2, spsr
    movs r3, #0
    blx print3
    hvc #2                          @ HCR.VI := 0
    pop {r0-r3, r12, lr}
    subs pc, lr, #4

    .thumb_func
dabt_h:
    push {r0-r3, r12, lr}
    ldr r0, =s_dabt
    ldr r1, [r11]
    sub r1, lr, r1                  @ LR_abt - the load: 8
    mrs r2, spsr
    mrc p15, 0, r3, c5, c0, 0       @ DFSR
    blx print3
    ldr r1, =good
    str r1, [sp, #4]                @ the interrupted r1: a mapped word
    pop {r0-r3, r12, lr}
    subs pc, lr, #8                 @ retry the load, its own ITSTATE

    .thumb_func
pabt_h:                             @ "pabt LR_abt SPSR_abt IFSR", "  ifar IFAR", back to pabt_ret
    ldr r0, =s_pabt
    mov r1, lr
    mrs r2, spsr
    mrc p15, 0, r3, c5, c0, 1       @ IFSR
    blx print3
    ldr r0, =s_ifar
    mrc p15, 0, r1, c6, c0, 2       @ IFAR
    movs r2, #0
    movs r3, #0
    blx print3
    ldr r0, =pabt_ret
    ldr lr, [r0]
    subs pc, lr, #0                 @ ERET at PL1: SPSR_abt (SVC, Thumb)

    .thumb_func
und_h:
    push {r0-r3, r12, lr}
    ldr r0, =s_und
    ldr r1, [r11]
    sub r1, lr, r1                  @ LR_und - the UDF.W: 2
    mrs r2, spsr
    movs r3, #0
    blx print3
    pop {r0-r3, r12, lr}
    adds lr, lr, #2                 @ past the 32-bit UDF
    subs pc, lr, #0                 @ ERET at PL1

    .thumb_func
svc_h:
    push {r0-r3, r12, lr}
    ldrb r0, [lr, #-2]              @ the SVC's imm8
    cmp r0, #6
    beq 6f
    cmp r0, #7
    beq 7f
    mov r3, r0
    ldr r0, =s_svc
    ldr r1, [r11]
    sub r1, lr, r1                  @ LR_svc - the SVC: 2
    mrs r2, spsr
    blx print3
    pop {r0-r3, r12, lr}
    movs pc, lr
6:  ldr r0, =svc6_arm
    bx r0
7:  ldr r0, =svc7_arm
    bx r0

    .arm
svc6_arm:                           @ return by RFE
    pop {r0-r3, r12, lr}
    srsdb sp!, #0x13
    push {r0-r3, r12, lr}
    ldr r0, =s_svc_rfe
    ldr r1, [r11]
    sub r1, lr, r1
    mrs r2, spsr
    mov r3, #6
    bl print3
    pop {r0-r3, r12, lr}
    rfeia sp!

svc7_arm:                           @ return by LDM ^
    ldr r0, =s_svc_ldm
    ldr r1, [r11]
    sub r1, lr, r1
    mrs r2, spsr
    mov r3, #7
    bl print3
    ldmfd sp!, {r0-r3, r12, pc}^

@ ---------------------------------------------------------------- Hyp (ARM)
    .balign 32
hvec:
    b .                             @ +0x00
    b .                             @ +0x04 undefined from Hyp
    b .                             @ +0x08 SVC/HVC from Hyp
    b .                             @ +0x0c prefetch abort from Hyp
    b .                             @ +0x10 data abort from Hyp
    b h_trap                        @ +0x14 Hyp trap
    b h_irq                         @ +0x18 IRQ (HCR.IMO)
    b .                             @ +0x1c FIQ

h_irq:                              @ "hyp-irq ELR_hyp-mark SPSR_hyp IAR", EOI, back
    push {r0-r12, lr}
    ldr r1, =GICC
    ldr r4, [r1, #0x0c]             @ GICC_IAR
    str r4, [r1, #0x10]             @ GICC_EOIR
    ldr r0, =s_hirq
    ldr r1, [r11]
    mrs r2, ELR_hyp
    sub r1, r2, r1
    mrs r2, spsr
    mov r3, r4
    bl print3
    pop {r0-r12, lr}
    eret

h_sgi:                              @ HVC #5: SGI 1 pending, ERET to it_target in the IT block
    ldr r1, =GICD
    mov r0, #1
    str r0, [r1]                    @ GICD_CTLR: EnableGrp0
    mov r0, #0x2
    str r0, [r1, #0x100]            @ GICD_ISENABLER0: SGI 1
    ldr r0, =0x00008000
    str r0, [r1, #0x400]            @ GICD_IPRIORITYR0: SGI 1 at 0x80
    ldr r2, =GICC
    mov r0, #0xf0
    str r0, [r2, #0x04]             @ GICC_PMR
    mov r0, #1
    str r0, [r2]                    @ GICC_CTLR: EnableGrp0
    ldr r0, =0x02000001             @ GICD_SGIR: SGI 1 to this CPU
    str r0, [r1, #0xf00]
1:  ldr r0, [r2, #0x18]             @ GICC_HPPIR: wait until the CPU interface shows it
    cmp r0, #1
    bne 1b
    ldr r0, =it_target
    msr ELR_hyp, r0
    mrs r0, spsr
    orr r0, r0, #0xc00              @ ITSTATE 0x0c: the second instruction of ITTE EQ
    msr spsr_cxsf, r0
    pop {r0-r12, lr}
    eret

h_trap:
    push {r0-r12, lr}
    mrc p15, 4, r4, c5, c2, 0       @ HSR
    lsr r5, r4, #26
    cmp r5, #0x24
    beq h_dabt
    cmp r5, #0x12
    bne h_fail
    uxth r6, r4
    mrc p15, 4, r0, c1, c1, 0       @ HCR
    cmp r6, #1
    orreq r0, r0, #HCR_VI
    cmp r6, #2
    biceq r0, r0, #HCR_VI
    cmp r6, #3
    orreq r0, r0, #HCR_VM
    cmp r6, #4
    biceq r0, r0, #HCR_VM
    ldr r7, =0xffff
    cmp r6, r7
    beq finish
    cmp r6, #5
    beq h_sgi
    mcr p15, 4, r0, c1, c1, 0
    mcr p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb
    isb
    pop {r0-r12, lr}
    eret

h_dabt:                             @ stage-2 abort at an unmapped IPA: MMIO (ISV), else skipped
    mrc p15, 4, r6, c6, c0, 0       @ HDFAR
    mrc p15, 4, r7, c6, c0, 4       @ HPFAR
    ldr r0, =s_hdabt
    mov r1, r4
    mov r2, r6
    mov r3, r7
    bl print3
    ldr r0, =s_helr
    ldr r1, [r11]
    mrs r2, ELR_hyp
    sub r1, r2, r1                  @ ELR_hyp - the access: 0
    mrs r2, spsr
    mov r3, #0
    bl print3
    tst r4, #(1 << 24)              @ ISV: emulate, else only skip
    beq 5f
    ubfx r5, r4, #16, #4            @ SRT
    tst r4, #(1 << 6)               @ WnR
    ldrne r0, =s_mmio_wr
    ldrne r1, [sp, r5, lsl #2]      @ the stored register
    movne r2, #0
    movne r3, #0
    blne print3
    ldreq r0, =0x5a5a0000
    orreq r0, r0, r5
    streq r0, [sp, r5, lsl #2]      @ the loaded register := 0x5a5a000<SRT>
5:  mrs r0, ELR_hyp                 @ skip the access: its width from hw1 (IL is UNK without ISV)
    ldrh r1, [r0]
    cmp r1, #0xe800
    addhs r0, r0, #4
    addlo r0, r0, #2
    msr ELR_hyp, r0
    pop {r0-r12, lr}
    eret

h_fail:
    ldr r0, =s_fail
    mov r1, r4
    mrs r2, ELR_hyp
    mov r3, #0
    bl print3
    mov r0, #0x18
    ldr r1, =0x20024                @ ADP_Stopped_InternalError
    svc 0x123456
    b .

finish:
    EXIT_ARM

    PROBE_LIB_ARM_CODE                @ print3 (tests/data/t32_probe_lib.S)
    .ltorg

    .data
    .balign 32
s2_l1:                              @ stage 2, level 1 (B3.6.2): AF, HAP = RW, MemAttr
    .word 0x000004c5, 0x00400000    @ IPA 0x00000000: Device, XN
    .word 0x400007fd, 0x00000000    @ IPA 0x40000000: Normal WB, inner shareable
    .word 0, 0                      @ IPA 0x80000000: invalid
    .word 0, 0                      @ IPA 0xc0000000: invalid
good:   .word 0x900d900d
mark:   .word 0
pabt_ret: .word 0
s_pabt: .asciz "pabt"
s_hirq: .asciz "hyp-irq"
s_ifar: .asciz "  ifar"
s_irq:  .asciz "irq"
s_dabt: .asciz "dabt"
s_und:  .asciz "und"
s_svc:  .asciz "svc"
s_svc_rfe: .asciz "svc-rfe"
s_svc_ldm: .asciz "svc-ldm"
s_hdabt: .asciz "hyp-dabt"
s_helr: .asciz "  elr"
s_mmio_wr: .asciz "  mmio-write"
s_fail: .asciz "unexpected trap"
s_r3:   .asciz "r3"
s_r5:   .asciz "r5"
s_r6:   .asciz "r6"
s_after_udf: .asciz "after-udf"
    .bss
    .balign 8
    .space 512
svc_stack_top:
    .space 256
abt_stack_top:
    .space 256
und_stack_top:
    .space 256
irq_stack_top:
    .space 1024
hyp_stack_top:

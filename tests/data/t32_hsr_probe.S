/*
 * t32_hsr_probe.S - what QEMU writes to HSR for traps from T32 code
 * (tests/test_hsr_t32.py holds the measured values and measures them again).
 *
 * _start (Hyp, ARM) sets HVBAR, HCR.TWI and HSTR.T1 and drops to SVC mode in
 * Thumb state (SPSR.T = 1). The guest runs WFI (16- and 32-bit), MRC/MCR of
 * c1 (HSTR.T1) and HVC, outside and inside IT blocks with mixed conditions,
 * and one WFI in an IT block that fails its condition (no trap). The Hyp trap
 * handler prints, per trap,
 *     HSR=xxxxxxxx ELR=xxxxxxxx SPSR=xxxxxxxx
 * with semihosting SYS_WRITEC, skips the trapped instruction (HSR.IL: 4 or 2
 * bytes), advances SPSR's ITSTATE (ITAdvance(), ARM ARM A2.5.2) and returns.
 * HVC #0xffff ends the run (SYS_EXIT, ADP_Stopped_ApplicationExit).
 * QEMU 7.2 saves a trapped WFI's ITSTATE in SPSR_hyp already advanced (its
 * WFI helper runs after the translator stepped the IT state; MRC/MCR traps
 * save the instruction's own), so the handler's ITAdvance steps twice after a
 * WFI inside a block: the instructions that follow one are harmless either way.
 * Run: arm-none-eabi-gcc -march=armv7ve -nostdlib -nostartfiles -Wa,-I<tests/data> -Ttext=0x40000000 \
 *      t32_hsr_probe.S -o p.elf && firmware/scripts/qemu-run.sh p.elf
 */
    .syntax unified
    .include "t32_probe_lib.S"
    .arch armv7ve
    .arch_extension virt
    .text
    .arm
    .global _start
    .type _start, %function
_start:
    ldr sp, =hyp_stack_top
    ldr r0, =hvec
    mcr p15, 4, r0, c12, c0, 0      @ HVBAR
    mov r0, #(1 << 13)              @ HCR.TWI
    mcr p15, 4, r0, c1, c1, 0
    mov r0, #(1 << 1)               @ HSTR.T1: CP15 c1 accesses from PL1
    mcr p15, 4, r0, c1, c1, 3
    isb
    ldr r0, =stack_top
    msr SP_svc, r0
    mov r0, #0x1f3                  @ SVC, A I F masked, T = 1
    msr spsr_cxsf, r0
    ldr r0, =guest                  @ a Thumb function: bit 0 set
    bic r0, r0, #1
    msr ELR_hyp, r0
    eret

    .thumb
    .type guest, %function
    .thumb_func
guest:
    wfi                             @ 1: 16-bit, outside an IT block
    wfi.w                           @ 2: 32-bit, outside
    movs r0, #0                     @ Z = 1
    it eq
    wfieq                           @ 3: 16-bit, IT EQ (one instruction)
    itt eq
    wfieq                           @ 4: 16-bit, first of ITT EQ
    moveq.w r1, #1
    cmp r0, #1                      @ 0 - 1: N = 1, V = 0, C = 0, Z = 0
    ite mi
    wfimi.w                         @ 5: 32-bit, first of ITE MI
    movpl.w r1, #5
    it pl
    wfipl                           @    fails its condition: no trap
    it ne
    wfine                           @ 6: 16-bit, IT NE
    mrc p15, 0, r3, c1, c0, 0       @ 7: MRC SCTLR, outside
    movs r0, #0                     @ Z = 1, N = 0
    ittt eq
    moveq r1, #2
    mrceq p15, 0, r3, c1, c0, 0     @ 8: MRC, second of ITTT EQ
    moveq.w r1, #3
    cmp r0, #1                      @ N = 1, V = 0: LT
    itet lt
    mcrlt p15, 0, r3, c1, c0, 2     @ 9: MCR CPACR, first of ITET LT
    movge.w r1, #4
    wfilt                           @ 10: 16-bit, third of ITET LT
    .inst.n 0xbfe8                  @ IT AL (gas refuses WFI in an IT AL block)
    .inst.n 0xbf30                  @ 11: WFI, 16-bit, IT AL
    mcr p15, 0, r3, c1, c0, 2       @ 12: MCR CPACR, outside
    mov r0, #0
    hvc #0x1234                     @ 13: HVC, outside (UNPREDICTABLE in an IT block)
    hvc #0xffff                     @ end
1:  b 1b

    .arm
    .balign 32
hvec:
    b .                             @ +0x00 reset
    b .                             @ +0x04 undefined from Hyp
    b .                             @ +0x08 SVC/HVC from Hyp
    b .                             @ +0x0c prefetch abort
    b .                             @ +0x10 data abort
    b h_trap                        @ +0x14 Hyp trap
    b .                             @ +0x18 IRQ
    b .                             @ +0x1c FIQ

h_trap:
    mrc p15, 4, r4, c5, c2, 0       @ HSR
    mrs r5, ELR_hyp
    mrs r6, spsr
    ldr r7, =0x4a00ffff             @ HVC #0xffff: EC 0x12, IL 1, imm16 0xffff
    cmp r4, r7
    beq finish
    adr r1, s_hsr
    mov r2, r4
    bl print_field
    adr r1, s_elr
    mov r2, r5
    bl print_field
    adr r1, s_spsr
    mov r2, r6
    bl print_field
    mov r0, #0x03                   @ SYS_WRITEC '\n'
    adr r1, s_nl
    svc 0x123456
    lsr r7, r4, #26
    cmp r7, #0x12                   @ HVC: ELR_hyp is already the next instruction
    beq 2f
    tst r4, #(1 << 25)              @ IL
    addne r5, r5, #4
    addeq r5, r5, #2
    msr ELR_hyp, r5
    @ ITAdvance on SPSR: IT[7:0] = SPSR[15:10]:SPSR[26:25]
    ubfx r7, r6, #25, #2
    ubfx r8, r6, #10, #6
    orr r7, r7, r8, lsl #2          @ r7 = IT[7:0]
    tst r7, #0x7
    moveq r7, #0                    @ last instruction of the block: IT = 0
    beq 1f
    and r8, r7, #0xe0               @ IT[7:5] kept
    and r9, r7, #0x0f
    lsl r9, r9, #1                  @ IT[4:0] = IT[3:0]:'0'
    orr r7, r8, r9
1:  bic r6, r6, #(3 << 25)
    bic r6, r6, #(0x3f << 10)
    and r8, r7, #3
    orr r6, r6, r8, lsl #25
    lsr r8, r7, #2
    orr r6, r6, r8, lsl #10
    msr spsr_cxsf, r6
2:  eret

finish:
    EXIT_ARM

s_hsr:  .asciz "HSR="
s_elr:  .asciz " ELR="
s_spsr: .asciz " SPSR="
s_nl:   .byte 10
    .balign 4
    PROBE_LIB_ARM_CODE              @ print_field (tests/data/t32_probe_lib.S)
    .ltorg
    .bss
    .balign 8
    .space 1024
stack_top:
    .space 1024
hyp_stack_top:

/*
 * hypirq.S - physical interrupts routed to Hyp mode, and exceptions taken in
 * Hyp mode (ARM ARM B1.8.1 Hyp vector table, B1.8.5/B1.8.6, HCR.IMO/FMO in
 * B4.1.65, B3.13.6 "Use of the HSR").  Everything runs in hyp_main (Hyp mode)
 * with this program's own Hyp vector table in HVBAR.
 *
 *  1. IRQ under HCR.IMO: the GIC's SGI 1 is made pending while Hyp masks it
 *     (CPSR.I = 1 in Hyp mode, B1.8.6), then the hypervisor ERETs into a guest
 *     context in SVC mode with CPSR.I = 1.  A physical IRQ routed to Hyp mode is
 *     not masked by CPSR.I at PL1, so it is taken to HVBAR+0x18 before the first
 *     guest instruction: ELR_hyp = the guest entry, SPSR_hyp = the guest CPSR
 *     (I set).  The first guest instruction is an HVC that would report it ran.
 *  2. FIQ under HCR.FMO: the same with SGI 2 in group 0 signalled as FIQ
 *     (GICC_CTLR.FIQEn), a guest CPSR with I and F set, HVBAR+0x1C.
 *  3. IRQ in Hyp mode under HCR.IMO: pending SGI 3 taken at the `cpsie i` that
 *     unmasks it in Hyp mode, ELR_hyp = the next instruction.
 *  4. UNDEFINED (UDF, MRC to the unallocated coprocessor 7) in Hyp mode:
 *     HVBAR+0x04, ELR_hyp = the instruction, HSR EC 0x00; SVC and HVC in Hyp
 *     mode: HVBAR+0x08, ELR_hyp = the next instruction, HSR EC 0x11 / 0x12 with
 *     the imm16; a data abort from Hyp mode (load from the unmapped 0x09001000):
 *     HVBAR+0x10, ELR_hyp = the load, HSR EC 0x25.
 * The HSR values are printed (compared with QEMU through the transcript) and
 * checked against their ARM ARM encodings.  Interrupts arrive at architectural
 * points only (an ERET, a CPSIE), so the run compares with QEMU instruction by
 * instruction whatever the GIC's latency.
 */
#include "asm.h"

#define GICD            0x08000000
#define GICC            0x08010000
#define GICD_CTLR       0x000
#define GICD_ISENABLER0 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xF00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10
#define GICC_HPPIR      0x18

#define HCR_FMO         (1 << 3)
#define HCR_IMO         (1 << 4)
#define UNMAPPED        0x09001000

/* record, written by the Hyp handlers */
#define R_KIND   0      /* Hyp vector offset of the last exception */
#define R_ELR    4
#define R_SPSR   8
#define R_HSR    12
#define R_IAR    16
#define R_COUNT  20
#define R_GUEST  24     /* set if a guest instruction ran */

    .bss
    .balign 8
rec:    .space  32

    TEST_BEGIN hypirq
    .text

/* make SGI \id pending at this CPU and wait until the CPU interface shows it */
    .macro PEND_SGI id
    MOV32   r1, GICD
    MOV32   r0, ((2 << 24) | \id)       @ TargetListFilter 2: this CPU only
    str     r0, [r1, #GICD_SGIR]
    MOV32   r1, GICC
1:  ldr     r0, [r1, #GICC_HPPIR]
    cmp     r0, #\id
    bne     1b
    .endm

/* ELR_hyp := \entry, SPSR_hyp := \psr, HCR := \hcr, ERET into the guest */
    .macro ENTER_GUEST entry, psr, hcr
    MOV32   r0, \hcr
    mcr     p15, 4, r0, c1, c1, 0       @ HCR
    isb
    ldr     r0, =\entry
    msr     ELR_hyp, r0
    MOV32   r0, \psr
    msr     SPSR_cxsf, r0               @ SPSR_hyp (the current mode's SPSR)
    eret
    .endm

    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    push    {r4-r12, lr}                @ keeps SP 8-byte aligned for printf
    ldr     r0, =hyp_table
    mcr     p15, 4, r0, c12, c0, 0      @ HVBAR
    isb
    ldr     r10, =rec
    ldr     r0, =__stack_svc_top
    msr     SP_svc, r0

    /* GIC: distributor and CPU interface on, SGIs 1-3 at priority 0x80 */
    MOV32   r1, GICD
    mov     r0, #1
    str     r0, [r1, #GICD_CTLR]        @ EnableGrp0
    mov     r0, #0xe
    str     r0, [r1, #GICD_ISENABLER0]  @ SGIs 1-3 (always enabled on GICv2)
    MOV32   r0, 0x80808000
    str     r0, [r1, #GICD_IPRIORITYR]
    MOV32   r1, GICC
    mov     r0, #0xf0
    str     r0, [r1, #GICC_PMR]
    mov     r0, #1
    str     r0, [r1, #GICC_CTLR]        @ EnableGrp0, group 0 on IRQ

    /* ---- 1. IRQ routed to Hyp by HCR.IMO, taken at guest entry with I = 1 ---- */
    mov     r0, #HCR_IMO
    mcr     p15, 4, r0, c1, c1, 0
    isb
    PEND_SGI 1
    SETFLAGS(PSR_Z | PSR_C)
    ENTER_GUEST guest_irq, (PSR_Z | PSR_C | PSR_A | PSR_I | MODE_SVC), HCR_IMO
irq_back:                               @ the IRQ handler returns here in Hyp mode
    ldr     r0, [r10, #R_GUEST]
    EXPECT(r0, 0)                       @ no guest instruction ran before the IRQ
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x18)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =guest_irq
    EXPECT_REG(r0, r1)                  @ ELR_hyp = the guest entry
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_Z | PSR_C | PSR_A | PSR_I | MODE_SVC)
    ldr     r0, [r10, #R_IAR]
    EXPECT(r0, 1)
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 1)
    ldr     r0, =msg_irq
    ldr     r1, [r10, #R_ELR]
    ldr     r2, [r10, #R_SPSR]
    bl      printf

    /* ---- 2. FIQ routed to Hyp by HCR.FMO, guest with I = F = 1 ---- */
    MOV32   r1, GICC
    mov     r0, #9
    str     r0, [r1, #GICC_CTLR]        @ EnableGrp0, FIQEn: group 0 on FIQ
    mov     r0, #HCR_FMO
    mcr     p15, 4, r0, c1, c1, 0
    isb
    PEND_SGI 2
    SETFLAGS(PSR_N | PSR_V)
    ENTER_GUEST guest_fiq, (PSR_N | PSR_V | PSR_A | PSR_I | PSR_F | MODE_SVC), HCR_FMO
fiq_back:
    ldr     r0, [r10, #R_GUEST]
    EXPECT(r0, 0)
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x1c)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =guest_fiq
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_N | PSR_V | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, [r10, #R_IAR]
    EXPECT(r0, 2)
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 2)
    ldr     r0, =msg_fiq
    ldr     r1, [r10, #R_ELR]
    ldr     r2, [r10, #R_SPSR]
    bl      printf
    MOV32   r1, GICC
    mov     r0, #1
    str     r0, [r1, #GICC_CTLR]        @ back to IRQ

    /* ---- 3. IRQ in Hyp mode under HCR.IMO, taken at cpsie i ---- */
    mov     r0, #HCR_IMO
    mcr     p15, 4, r0, c1, c1, 0
    isb
    PEND_SGI 3
    cpsie   i
hyp_irq_ret:
    cpsid   i
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x18)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =hyp_irq_ret
    EXPECT_REG(r0, r1)                  @ the instruction after the cpsie
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_Z | PSR_C | PSR_A | PSR_F | MODE_HYP)   @ flags of PEND_SGI's last cmp
    ldr     r0, [r10, #R_IAR]
    EXPECT(r0, 3)
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0
    isb

    /* ---- 4. exceptions taken in Hyp mode ---- */
    udf     #0x1234
udf_at:
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x04)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =udf_at - 4
    EXPECT_REG(r0, r1)                  @ ELR_hyp = the UDF itself
    ldr     r0, [r10, #R_HSR]
    EXPECT(r0, 0x00000000)              @ EC 0x00, IL UNK/SBZP (0)
    ldr     r0, =msg_udf
    ldr     r1, [r10, #R_HSR]
    bl      printf

    mrc     p7, 0, r0, c7, c0, 0        @ no coprocessor 7: UNDEFINED
cp7_at:
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x04)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =cp7_at - 4
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_HSR]
    EXPECT(r0, 0x00000000)

    SETFLAGS(PSR_C)
    svc     #0x54321
svc_next:
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x08)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =svc_next
    EXPECT_REG(r0, r1)                  @ ELR_hyp = the next instruction
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_C | PSR_A | PSR_I | PSR_F | MODE_HYP)
    ldr     r0, [r10, #R_HSR]
    EXPECT(r0, 0x46004321)              @ EC 0x11, IL, imm16
    ldr     r0, =msg_svc
    ldr     r1, [r10, #R_HSR]
    bl      printf

    hvc     #0xbeef
hvc_next:
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x08)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =hvc_next
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_HSR]
    EXPECT(r0, 0x4a00beef)              @ EC 0x12, IL, imm16
    ldr     r0, =msg_hvc
    ldr     r1, [r10, #R_HSR]
    bl      printf

    MOV32   r1, UNMAPPED
    ldr     r2, [r1]
dabt_next:
    ldr     r0, [r10, #R_KIND]
    EXPECT(r0, 0x10)
    ldr     r0, [r10, #R_ELR]
    ldr     r1, =dabt_next - 4
    EXPECT_REG(r0, r1)                  @ ELR_hyp = the load
    ldr     r0, [r10, #R_HSR]
    lsr     r0, r0, #26
    EXPECT(r0, 0x25)
    ldr     r0, =msg_dabt
    ldr     r1, [r10, #R_HSR]
    bl      printf

    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 8)
    TEST_PASS
    .size   hyp_main, . - hyp_main
    .ltorg

/* crt0 calls main only if hyp_main returns, which it does not: fail */
    .global main
    .type   main, %function
main:
    mov     r0, #1
    bx      lr
    .size   main, . - main

/* the guest entries: reaching one means the interrupt was not taken first */
guest_irq:
    hvc     #1
guest_fiq:
    hvc     #1

/*
 * Hyp vector table.  Each entry: r11 := vector offset, then common code that
 * records ELR_hyp, SPSR_hyp, HSR and the count.  Interrupts are acknowledged
 * and ended at the GIC CPU interface; from a guest entry they return to Hyp
 * mode (irq_back / fiq_back), otherwise to ELR_hyp.  UNDEFINED and data
 * aborts resume after the instruction; the trap vector (an HVC from the
 * guest: it ran) stops the test.
 */
    .balign 32
hyp_table:
    b       .                           @ reset: not used
    b       h_undef
    b       h_svc_hvc
    b       .                           @ prefetch abort: not expected
    b       h_dabt
    b       h_trap
    b       h_irq
    b       h_fiq

    .macro RECORD off
    push    {r0-r3}
    ldr     r3, =rec
    mov     r0, #\off
    str     r0, [r3, #R_KIND]
    mrs     r0, ELR_hyp
    str     r0, [r3, #R_ELR]
    mrs     r0, SPSR                    @ SPSR_hyp
    str     r0, [r3, #R_SPSR]
    mrc     p15, 4, r0, c5, c2, 0       @ HSR (not written for IRQ/FIQ: stale there)
    str     r0, [r3, #R_HSR]
    ldr     r0, [r3, #R_COUNT]
    add     r0, r0, #1
    str     r0, [r3, #R_COUNT]
    .endm

h_undef:
    RECORD  0x04
skip_insn:                              @ resume after the instruction
    mrs     r0, ELR_hyp
    add     r0, r0, #4
    msr     ELR_hyp, r0
    pop     {r0-r3}
    eret

h_dabt:
    RECORD  0x10
    b       skip_insn

h_svc_hvc:
    RECORD  0x08
    pop     {r0-r3}
    eret                                @ ELR_hyp is already the next instruction

h_trap:
    ldr     r3, =rec
    mov     r0, #1
    str     r0, [r3, #R_GUEST]
    mrs     r0, ELR_hyp
    sub     r1, r0, #4
    ldr     r0, =msg_guest_ran
    bl      printf
    mov     r0, #1
    bl      sh_exit

    /* acknowledge + end the interrupt; if it came from a guest entry
     * (SPSR_hyp not Hyp), go back to Hyp mode at \back */
    .macro GIC_ACK back
    MOV32   r1, GICC
    ldr     r0, [r1, #GICC_IAR]
    str     r0, [r3, #R_IAR]
    str     r0, [r1, #GICC_EOIR]
    mrs     r0, SPSR
    and     r0, r0, #0x1f
    cmp     r0, #MODE_HYP
    beq     1f
    ldr     r0, =\back
    msr     ELR_hyp, r0
    mov     r0, #(PSR_A | PSR_I | PSR_F | MODE_HYP)
    msr     SPSR_cxsf, r0
1:  pop     {r0-r3}
    eret
    .endm

h_irq:
    RECORD  0x18
    GIC_ACK irq_back
h_fiq:
    RECORD  0x1c
    GIC_ACK fiq_back
    .ltorg

    .section .rodata.str1.1, "aMS", %progbits, 1
msg_irq:  .asciz "irq to hyp: ELR=%08x SPSR=%08x\n"
msg_fiq:  .asciz "fiq to hyp: ELR=%08x SPSR=%08x\n"
msg_udf:  .asciz "udf: HSR=%08x\n"
msg_svc:  .asciz "svc: HSR=%08x\n"
msg_hvc:  .asciz "hvc: HSR=%08x\n"
msg_dabt: .asciz "dabt: HSR=%08x\n"
msg_guest_ran: .asciz "FAIL: guest instruction at %08x ran before the interrupt\n"

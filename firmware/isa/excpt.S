/*
 * excpt.S - exception entry and return (ARM ARM B1.8, B1.9):
 *  - SVC: mode, LR (next instruction), SPSR (CPSR at the SVC), the imm24,
 *    return with MOVS PC, LR; a second SVC handled with SRS/RFE;
 *  - UDF: Undefined mode, LR = UDF + 4, return with MOVS PC, LR; a second
 *    UDF handled Linux-style: SRS onto the SVC stack, CPS to SVC, RFE;
 *  - data abort on a load and on a store to the unmapped address
 *    0x09001000: Abort mode, LR = faulting instruction + 8, DFSR and DFAR
 *    printed (their values are compared through the transcript), resumed
 *    after the faulting instruction with SUBS PC, LR, #4;
 *  - prefetch abort by BLX to 0x09001000: LR_abt = 0x09001004, IFSR and
 *    IFAR printed, resumed at the return address in LR_svc;
 *  - HVC from SVC: taken to Hyp through the lib Hyp vectors (HVBAR + 0x14),
 *    HSR = EC 0x12 | IL | imm16, ELR_hyp = next instruction, ERET back.
 * The program installs its own PL1 vector table in VBAR and restores the
 * lib table at the end.  Exception entry keeps NZCV, so the flags are set
 * to a known value before each exception and checked in CPSR and SPSR.
 */
#include "asm.h"
#include "exc.h"

#define R_CPSR   0
#define R_LR     4
#define R_SPSR   8
#define R_IMM    12
#define R_FSR    16
#define R_FAR    20
#define R_SRS_PC 24
#define R_SRS_PSR 28
#define R_COUNT  32
#define R_HSR    36

#define UNMAPPED 0x09001000

    .bss
    .balign 8
rec:    .space  64

    TEST_BEGIN excpt
    .text
    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}
    ldr     r0, =test_vectors
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    isb
    ldr     r10, =rec
    mov     r11, sp                     @ SP_svc before any exception

    /* ---- SVC, return with MOVS PC, LR ---------------------------------- */
    mov     r4, #0x44
    SETFLAGS(PSR_Z | PSR_C)
    svc     #0x00abcd
svc1_ret:
    EXPECT_FLAGS(PSR_Z | PSR_C)         @ SPSR restored into CPSR
    EXPECT(r4, 0x44)
    EXPECT_REG(sp, r11)
    ldr     r0, [r10, #R_CPSR]
    EXPECT(r0, PSR_Z | PSR_C | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_Z | PSR_C | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, [r10, #R_LR]
    adr     r1, svc1_ret
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_IMM]
    EXPECT(r0, 0xabcd)

    /* ---- SVC, handler uses SRS / RFE ------------------------------------ */
    SETFLAGS(PSR_N | PSR_V)
    svc     #2
svc2_ret:
    EXPECT_FLAGS(PSR_N | PSR_V)
    EXPECT_REG(sp, r11)
    ldr     r0, [r10, #R_SRS_PC]        @ what SRS stored: LR_svc ...
    adr     r1, svc2_ret
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_SRS_PSR]       @ ... and SPSR_svc
    EXPECT(r0, PSR_N | PSR_V | PSR_A | PSR_I | PSR_F | MODE_SVC)

    /* ---- UDF, return with MOVS PC, LR ------------------------------------ */
    SETFLAGS(PSR_C)
udf1:
    udf     #1
    EXPECT_FLAGS(PSR_C)
    ldr     r0, [r10, #R_CPSR]
    EXPECT(r0, PSR_C | PSR_A | PSR_I | PSR_F | MODE_UND)
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_C | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, [r10, #R_LR]
    adr     r1, udf1 + 4
    EXPECT_REG(r0, r1)

    /* ---- UDF, handler: SRS to the SVC stack, CPS #SVC, RFE --------------- */
    SETFLAGS(PSR_Z)
udf2:
    udf     #2
    EXPECT_FLAGS(PSR_Z)
    EXPECT_REG(sp, r11)
    ldr     r0, [r10, #R_SRS_PC]
    adr     r1, udf2 + 4
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_SRS_PSR]
    EXPECT(r0, PSR_Z | PSR_A | PSR_I | PSR_F | MODE_SVC)

    /* ---- data abort: load --------------------------------------------------- */
    MOV32   r6, UNMAPPED
    mov     r0, #0x5a
    SETFLAGS(PSR_N)
dabt1:
    ldr     r0, [r6]                    @ aborts; handler skips it
    EXPECT_FLAGS(PSR_N)
    EXPECT(r0, 0x5a)                    @ not written
    ldr     r0, [r10, #R_CPSR]
    EXPECT(r0, PSR_N | PSR_A | PSR_I | PSR_F | MODE_ABT)
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_N | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, [r10, #R_LR]
    adr     r1, dabt1 + 8
    EXPECT_REG(r0, r1)
    ldr     r0, =fmt_dabt_ld
    ldr     r1, [r10, #R_FSR]
    ldr     r2, [r10, #R_FAR]
    bl      printf

    /* ---- data abort: store -------------------------------------------------- */
    SETFLAGS(0)
dabt2:
    str     r0, [r6, #8]
    ldr     r0, [r10, #R_LR]
    adr     r1, dabt2 + 8
    EXPECT_REG(r0, r1)
    ldr     r0, =fmt_dabt_st
    ldr     r1, [r10, #R_FSR]
    ldr     r2, [r10, #R_FAR]
    bl      printf

    /* ---- prefetch abort: branch to an unmapped address ---------------------- */
    SETFLAGS(PSR_C | PSR_V)
    blx     r6
pabt_ret:
    EXPECT_FLAGS(PSR_C | PSR_V)
    ldr     r0, [r10, #R_LR]
    MOV32   r1, UNMAPPED + 4
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_CPSR]
    EXPECT(r0, PSR_C | PSR_V | PSR_A | PSR_I | PSR_F | MODE_ABT)
    ldr     r0, [r10, #R_SPSR]
    EXPECT(r0, PSR_C | PSR_V | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, =fmt_pabt
    ldr     r1, [r10, #R_FSR]
    ldr     r2, [r10, #R_FAR]
    bl      printf

    /* ---- HVC from SVC to Hyp and back --------------------------------------- */
    mov     r0, #0
    str     r0, [r10, #R_COUNT]
    mov     r4, #0x66
    SETFLAGS(PSR_Z)
    hvc     #0x1234
hvc_ret:
    EXPECT_FLAGS(PSR_Z)
    EXPECT(r4, 0x66)
    EXPECT_REG(sp, r11)
    ldr     r0, [r10, #R_COUNT]
    EXPECT(r0, 1)
    ldr     r0, [r10, #R_HSR]
    EXPECT(r0, (0x12 << 26) | (1 << 25) | 0x1234)
    ldr     r0, [r10, #R_LR]            @ ELR_hyp
    adr     r1, hvc_ret
    EXPECT_REG(r0, r1)
    ldr     r0, [r10, #R_SPSR]          @ SPSR_hyp
    EXPECT(r0, PSR_Z | PSR_A | PSR_I | PSR_F | MODE_SVC)
    ldr     r0, [r10, #R_CPSR]          @ the hook's CPSR: Hyp mode
    ubfx    r0, r0, #0, #5
    EXPECT(r0, MODE_HYP)
    ldr     r0, =fmt_hvc
    ldr     r1, [r10, #R_HSR]
    bl      printf

    ldr     r0, =vectors                @ back to the lib vectors
    mcr     p15, 0, r0, c12, c0, 0
    isb
    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main

/* ---- the test's PL1 vector table --------------------------------------- */
    .balign 32
test_vectors:
    b       bad_exception               @ reset
    b       t_undef
    b       t_svc
    b       t_pabt
    b       t_dabt
    b       bad_exception               @ unused
    b       bad_exception               @ irq
    b       bad_exception               @ fiq

bad_exception:
    mov     r0, lr
    EXPECT(r0, 0)                       @ always fails, reports LR

@ SVC: imm 2 -> SRS/RFE path, else MOVS PC, LR
t_svc:
    push    {r0-r3}
    ldr     r3, =rec
    mrs     r0, CPSR
    str     r0, [r3, #R_CPSR]
    str     lr, [r3, #R_LR]
    mrs     r0, SPSR
    str     r0, [r3, #R_SPSR]
    ldr     r0, [lr, #-4]
    bic     r0, r0, #0xff000000
    str     r0, [r3, #R_IMM]
    cmp     r0, #2
    pop     {r0-r3}
    beq     t_svc_srs
    movs    pc, lr

t_svc_srs:
    srsdb   sp!, #MODE_SVC              @ [sp] = LR_svc, [sp + 4] = SPSR_svc
    push    {r0, r1}
    ldr     r1, =rec
    ldr     r0, [sp, #8]
    str     r0, [r1, #R_SRS_PC]
    ldr     r0, [sp, #12]
    str     r0, [r1, #R_SRS_PSR]
    pop     {r0, r1}
    rfeia   sp!

@ UDF: imm 2 -> SRS to the SVC stack + CPS + RFE, else MOVS PC, LR
t_undef:
    push    {r0-r3}
    ldr     r3, =rec
    mrs     r0, CPSR
    str     r0, [r3, #R_CPSR]
    str     lr, [r3, #R_LR]
    mrs     r0, SPSR
    str     r0, [r3, #R_SPSR]
    ldr     r0, [lr, #-4]
    and     r0, r0, #0xf                @ imm16 = imm12:imm4, here < 16
    cmp     r0, #2
    pop     {r0-r3}
    beq     t_undef_srs
    movs    pc, lr

t_undef_srs:
    srsdb   sp!, #MODE_SVC              @ onto SP_svc, which is updated
    cps     #MODE_SVC
    push    {r0, r1}
    ldr     r1, =rec
    ldr     r0, [sp, #8]
    str     r0, [r1, #R_SRS_PC]
    ldr     r0, [sp, #12]
    str     r0, [r1, #R_SRS_PSR]
    pop     {r0, r1}
    rfeia   sp!

t_dabt:
    push    {r0-r3}
    ldr     r3, =rec
    mrs     r0, CPSR
    str     r0, [r3, #R_CPSR]
    str     lr, [r3, #R_LR]
    mrs     r0, SPSR
    str     r0, [r3, #R_SPSR]
    mrc     p15, 0, r0, c5, c0, 0       @ DFSR
    str     r0, [r3, #R_FSR]
    mrc     p15, 0, r0, c6, c0, 0       @ DFAR
    str     r0, [r3, #R_FAR]
    pop     {r0-r3}
    subs    pc, lr, #4                  @ skip the faulting instruction

t_pabt:
    push    {r0-r3}
    ldr     r3, =rec
    mrs     r0, CPSR
    str     r0, [r3, #R_CPSR]
    str     lr, [r3, #R_LR]
    mrs     r0, SPSR
    str     r0, [r3, #R_SPSR]
    mrc     p15, 0, r0, c5, c0, 1       @ IFSR
    str     r0, [r3, #R_FSR]
    mrc     p15, 0, r0, c6, c0, 2       @ IFAR
    str     r0, [r3, #R_FAR]
    pop     {r0-r3}
    mrs     lr, LR_svc                  @ resume at the BLX's return address
    movs    pc, lr

/*
 * void hyp_exc_hook(struct exc_frame *f, int type): called in Hyp mode by
 * the lib Hyp vectors; only the HVC (type EXC_HYPTRAP) is expected.
 */
    .global hyp_exc_hook
    .type   hyp_exc_hook, %function
hyp_exc_hook:
    cmp     r1, #EXC_HYPTRAP
    bne     bad_exception
    ldr     r3, =rec
    ldr     r2, [r3, #R_COUNT]
    add     r2, r2, #1
    str     r2, [r3, #R_COUNT]
    mrc     p15, 4, r2, c5, c2, 0       @ HSR
    str     r2, [r3, #R_HSR]
    mrs     r2, CPSR
    str     r2, [r3, #R_CPSR]
    ldr     r2, [r0, #EXC_FRAME_PC]     @ ELR_hyp
    str     r2, [r3, #R_LR]
    ldr     r2, [r0, #EXC_FRAME_CPSR]   @ SPSR_hyp
    str     r2, [r3, #R_SPSR]
    bx      lr                          @ frame unchanged: ERET to next insn
    .size   hyp_exc_hook, . - hyp_exc_hook
    .ltorg

    .section .rodata.str1.1, "aMS", %progbits, 1
fmt_dabt_ld: .asciz "data abort (load  0x09001000): DFSR=%08x DFAR=%08x\n"
fmt_dabt_st: .asciz "data abort (store 0x09001008): DFSR=%08x DFAR=%08x\n"
fmt_pabt:    .asciz "prefetch abort (0x09001000):   IFSR=%08x IFAR=%08x\n"
fmt_hvc:     .asciz "hvc #0x1234: HSR=%08x\n"

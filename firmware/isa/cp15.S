/*
 * cp15.S - system control coprocessor: reads and prints the identification
 * and control registers (values are checked by comparing the UART
 * transcript with QEMU's, not hard-coded here), writes and reads back the
 * writable PL1 registers (VBAR, TPIDRURW/URO/PRW, CONTEXTIDR, DACR), and
 * executes the DMB/DSB/ISB barriers.
 * hyp_main (Hyp mode) also prints the real MIDR/MPIDR and the virtualized
 * VPIDR/VMPIDR that non-secure PL1 reads of MIDR/MPIDR return, and checks
 * that the PL1 reads in main agree with VPIDR/VMPIDR.
 */
#include "asm.h"

    /* print "<name> <value>" for an MRC p15 */
    .macro PRINT_CP15 name, opc1, crn, crm, opc2
    .pushsection .rodata.str1.1, "aMS", %progbits, 1
.Lname\@: .asciz "\name"
    .popsection
    mrc     p15, \opc1, r2, \crn, \crm, \opc2
    ldr     r0, =fmt
    ldr     r1, =.Lname\@
    bl      printf
    .endm

    /* write a value, read it back, compare */
    .macro WRITE_READ opc1, crn, crm, opc2, val
    MOV32   r0, \val
    mcr     p15, \opc1, r0, \crn, \crm, \opc2
    isb
    mov     r1, #0
    mrc     p15, \opc1, r1, \crn, \crm, \opc2
    EXPECT(r1, \val)
    .endm

    .bss
    .balign 4
vpidr:  .space 4
vmpidr: .space 4

    TEST_BEGIN cp15
    .text
    .global hyp_main
    .type   hyp_main, %function
hyp_main:
    push    {r4, lr}
    PRINT_CP15 "hyp MIDR  ", 0, c0, c0, 0
    PRINT_CP15 "hyp MPIDR ", 0, c0, c0, 5
    PRINT_CP15 "VPIDR     ", 4, c0, c0, 0
    PRINT_CP15 "VMPIDR    ", 4, c0, c0, 5
    PRINT_CP15 "HCR       ", 4, c1, c1, 0
    ldr     r1, =vpidr
    mrc     p15, 4, r0, c0, c0, 0
    str     r0, [r1]
    ldr     r1, =vmpidr
    mrc     p15, 4, r0, c0, c0, 5
    str     r0, [r1]
    mrc     p15, 4, r0, c12, c0, 0      @ HVBAR as set by crt0
    ldr     r1, =hyp_vectors
    EXPECT_REG(r0, r1)
    mov     r0, #0
    pop     {r4, pc}
    .size   hyp_main, . - hyp_main

    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}

    /* ---- identification ------------------------------------------------ */
    PRINT_CP15 "MIDR      ", 0, c0, c0, 0
    PRINT_CP15 "CTR       ", 0, c0, c0, 1
    PRINT_CP15 "MPIDR     ", 0, c0, c0, 5
    PRINT_CP15 "ID_PFR0   ", 0, c0, c1, 0
    PRINT_CP15 "ID_PFR1   ", 0, c0, c1, 1
    PRINT_CP15 "ID_DFR0   ", 0, c0, c1, 2
    PRINT_CP15 "ID_MMFR0  ", 0, c0, c1, 4
    PRINT_CP15 "ID_MMFR1  ", 0, c0, c1, 5
    PRINT_CP15 "ID_MMFR2  ", 0, c0, c1, 6
    PRINT_CP15 "ID_MMFR3  ", 0, c0, c1, 7
    PRINT_CP15 "ID_ISAR0  ", 0, c0, c2, 0
    PRINT_CP15 "ID_ISAR1  ", 0, c0, c2, 1
    PRINT_CP15 "ID_ISAR2  ", 0, c0, c2, 2
    PRINT_CP15 "ID_ISAR3  ", 0, c0, c2, 3
    PRINT_CP15 "ID_ISAR4  ", 0, c0, c2, 4
    PRINT_CP15 "ID_ISAR5  ", 0, c0, c2, 5
    PRINT_CP15 "CLIDR     ", 1, c0, c0, 1
    PRINT_CP15 "SCTLR     ", 0, c1, c0, 0
    PRINT_CP15 "CPACR     ", 0, c1, c0, 2

    /* non-secure PL1 reads of MIDR/MPIDR return VPIDR/VMPIDR */
    mrc     p15, 0, r0, c0, c0, 0
    ldr     r1, =vpidr
    ldr     r1, [r1]
    EXPECT_REG(r0, r1)
    mrc     p15, 0, r0, c0, c0, 5
    ldr     r1, =vmpidr
    ldr     r1, [r1]
    EXPECT_REG(r0, r1)

    /* SCTLR bits crt0 relies on: M (0) = 0, V (13) = 0, TE (30) = 0 */
    mrc     p15, 0, r0, c1, c0, 0
    MOV32   r1, (1 << 30) | (1 << 13) | (1 << 0)
    and     r0, r0, r1
    EXPECT(r0, 0)

    /* ---- write / read back ---------------------------------------------- */
    mrc     p15, 0, r4, c12, c0, 0      @ VBAR (lib vectors)
    ldr     r1, =vectors
    EXPECT_REG(r4, r1)
    WRITE_READ 0, c12, c0, 0, 0x40001220    @ VBAR (bits [4:0] reserved)
    mcr     p15, 0, r4, c12, c0, 0
    isb
    WRITE_READ 0, c13, c0, 2, 0xdeadbeef    @ TPIDRURW
    WRITE_READ 0, c13, c0, 3, 0x0badf00d    @ TPIDRURO
    WRITE_READ 0, c13, c0, 4, 0xc0ffee00    @ TPIDRPRW
    mrc     p15, 0, r0, c13, c0, 2          @ the three are independent
    EXPECT(r0, 0xdeadbeef)
    mrc     p15, 0, r0, c13, c0, 3
    EXPECT(r0, 0x0badf00d)
    WRITE_READ 0, c13, c0, 1, 0x12345678    @ CONTEXTIDR (PROCID:ASID)
    WRITE_READ 0, c13, c0, 1, 0
    WRITE_READ 0, c3, c0, 0, 0x55555555     @ DACR: all domains Client
    WRITE_READ 0, c3, c0, 0, 0xffffffff
    WRITE_READ 0, c3, c0, 0, 0x00000001
    WRITE_READ 0, c13, c0, 2, 0
    WRITE_READ 0, c13, c0, 3, 0
    WRITE_READ 0, c13, c0, 4, 0

    /* ---- barriers --------------------------------------------------------- */
    ldr     r1, =vpidr
    mov     r0, #1
    str     r0, [r1]
    dmb     sy
    dmb     ish
    dsb     sy
    dsb     ishst
    isb     sy
    ldr     r0, [r1]
    EXPECT(r0, 1)

    pop     {r4-r11, lr}
    TEST_PASS
    .size   main, . - main
    .ltorg

    .section .rodata.str1.1, "aMS", %progbits, 1
fmt:    .asciz  "%s %08x\n"

/*
 * vfp.S - the VFP register file and its transfers (ARM ARM A7.8, A7.9, B1.11,
 * B6.1): everything lazy VFP context switching uses, no arithmetic.
 *   - CPACR.cp10/cp11 = 0: VMRS is UNDEFINED; FPEXC.EN = 0: only the system
 *     registers FPSID/FPEXC/MVFRx are accessible
 *   - FPSID, MVFR0, MVFR1 (Cortex-A15 values), FPEXC.EN, FPSCR writable bits
 *     and VMRS APSR_nzcv, FPSCR
 *   - VMOV Sn<->Rt, Dn[x]<->Rt, Dm<->Rt,Rt2, Sm,Sm1<->Rt,Rt2 over all 32 D
 *     registers, VLDR/VSTR (S and D, literal), VLDM/VSTM IA and DB!,
 *     VPUSH/VPOP of D8-D15 and D16-D31
 * Runs in SVC mode (crt0).
 */
#include "asm.h"

    TEST_BEGIN vfp
    .fpu    vfpv3
    .text
    .global exc_undef_hook
    .type   exc_undef_hook, %function
exc_undef_hook:                         @ count and skip (frame->pc is the next insn)
    ldr     r1, =undef_count
    ldr     r2, [r1]
    add     r2, r2, #1
    str     r2, [r1]
    bx      lr

    .global main
    .type   main, %function
main:
    push    {r4-r11, lr}
    /* CPACR.cp10/cp11 = 0 (reset): VMRS is UNDEFINED */
    mov     r0, #0
    mcr     p15, 0, r0, c1, c0, 2
    isb
    ldr     r4, =undef_count
    mov     r5, #0
    str     r5, [r4]
    vmrs    r0, fpsid
    ldr     r5, [r4]
    EXPECT(r5, 1)

    /* full access for PL0 and PL1 */
    mov     r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mrc     p15, 0, r0, c1, c0, 2
    EXPECT(r0, 0x00f00000)
    vmrs    r0, fpsid
    EXPECT(r0, 0x410430f0)
    vmrs    r0, mvfr0
    EXPECT(r0, 0x10110222)
    vmrs    r0, mvfr1
    EXPECT(r0, 0x11111111)
    vmrs    r0, fpexc
    EXPECT(r0, 0)

    /* FPEXC.EN = 0: data transfers and FPSCR are UNDEFINED */
    vmov    s0, r0
    vmrs    r0, fpscr
    vldr    d0, [sp]
    ldr     r5, [r4]
    EXPECT(r5, 4)

    /* FPEXC: only EN is writable */
    mvn     r0, #0
    vmsr    fpexc, r0
    vmrs    r0, fpexc
    EXPECT(r0, 0x40000000)

    /* FPSCR: 0xfff7009f writable; VMRS APSR_nzcv copies N Z C V */
    mvn     r0, #0
    vmsr    fpscr, r0
    vmrs    r1, fpscr
    EXPECT(r1, 0xfff7009f)
    SETFLAGS(0)
    vmrs    APSR_nzcv, fpscr
    EXPECT_FLAGS(PSR_N | PSR_Z | PSR_C | PSR_V)
    MOV32   r0, 0x60000000
    vmsr    fpscr, r0
    vmrs    APSR_nzcv, fpscr
    EXPECT_FLAGS(PSR_Z | PSR_C)
    mov     r0, #0
    vmsr    fpscr, r0
    vmrs    r1, fpscr
    EXPECT(r1, 0)

    /* S0-S31 through core registers */
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    MOV32   r0, (0x5a000000 + \n * 0x01010101)
    vmov    s\n, r0
    .endr
    .irp n, 0,7,8,15,16,23,24,31
    vmov    r1, s\n
    EXPECT(r1, (0x5a000000 + \n * 0x01010101))
    .endr
    /* S2n and S2n+1 are the halves of Dn */
    vmov    r2, r3, d5
    EXPECT(r2, (0x5a000000 + 10 * 0x01010101))
    EXPECT(r3, (0x5a000000 + 11 * 0x01010101))
    vmov.32 r2, d3[1]
    EXPECT(r2, (0x5a000000 + 7 * 0x01010101))

    /* D16-D31 (no S aliases) through pairs and scalars */
    .irp n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    MOV32   r0, (0xd0000000 + \n)
    MOV32   r1, (0xe0000000 + \n)
    vmov    d\n, r0, r1
    .endr
    .irp n, 16,19,24,31
    vmov    r2, r3, d\n
    EXPECT(r2, (0xd0000000 + \n))
    EXPECT(r3, (0xe0000000 + \n))
    .endr
    MOV32   r0, 0x12345678
    vmov.32 d20[1], r0
    vmov    r2, r3, d20
    EXPECT(r2, 0xd0000014)
    EXPECT(r3, 0x12345678)
    vmov.32 r2, d31[0]
    EXPECT(r2, 0xd000001f)
    /* two S registers and two core registers */
    MOV32   r0, 0xaaaa0001
    MOV32   r1, 0xbbbb0002
    vmov    s29, s30, r0, r1
    vmov    r2, r3, d14
    EXPECT(r2, (0x5a000000 + 28 * 0x01010101))
    EXPECT(r3, 0xaaaa0001)
    vmov    r2, r3, s30, s31
    EXPECT(r2, 0xbbbb0002)
    EXPECT(r3, (0x5a000000 + 31 * 0x01010101))

    /* VSTR/VLDR, D and S, positive and negative offsets, literal */
    ldr     r6, =vbuf
    vstr    d16, [r6, #8]
    vstr    s3, [r6, #16]
    ldr     r2, [r6, #8]
    ldr     r3, [r6, #12]
    EXPECT(r2, 0xd0000010)
    EXPECT(r3, 0xe0000010)
    ldr     r2, [r6, #16]
    EXPECT(r2, (0x5a000000 + 3 * 0x01010101))
    add     r7, r6, #24
    vldr    d0, [r7, #-16]
    vmov    r2, r3, d0
    EXPECT(r2, 0xd0000010)
    EXPECT(r3, 0xe0000010)
    vldr    s5, lit_word
    vmov    r2, s5
    EXPECT(r2, 0xc0ffee11)
    vldr    d30, lit_dword
    vmov    r2, r3, d30
    EXPECT(r2, 0x01234567)
    EXPECT(r3, 0x89abcdef)

    /* VSTMIA D16-D31 then VLDMIA into D0-D15, with write-back */
    ldr     r6, =vbuf
    mov     r7, r6
    vstmia  r7!, {d16-d31}
    sub     r2, r7, r6
    EXPECT(r2, 128)
    ldr     r2, [r6, #8]
    EXPECT(r2, 0xd0000011)
    mov     r7, r6
    vldmia  r7, {d0-d15}
    EXPECT_REG(r7, r6)
    vmov    r2, r3, d4
    EXPECT(r2, 0xd0000014)
    EXPECT(r3, 0x12345678)
    vmov    r2, r3, d14
    EXPECT(r2, 0x01234567)
    EXPECT(r3, 0x89abcdef)

    /* VSTMDB! / VLDMIA! of S registers */
    add     r7, r6, #64
    vstmdb  r7!, {s8-s11}
    sub     r2, r7, r6
    EXPECT(r2, 48)
    vldmia  r7!, {s20-s23}
    sub     r2, r7, r6
    EXPECT(r2, 64)
    vmov    r2, s20
    vmov    r3, s8
    EXPECT_REG(r2, r3)
    EXPECT(r2, 0xd0000014)

    /* VPUSH/VPOP (the lazy-switch save/restore pattern) */
    mov     r8, sp
    vpush   {d8-d15}
    vpush   {d16-d31}
    sub     r2, r8, sp
    EXPECT(r2, 192)
    MOV32   r0, 0x0
    vmov    d9, r0, r0
    vmov    d25, r0, r0
    vpop    {d16-d31}
    vpop    {d8-d15}
    EXPECT_REG(sp, r8)
    vmov    r2, r3, d9
    EXPECT(r2, 0xd0000019)
    EXPECT(r3, 0xe0000019)
    vmov    r2, r3, d25
    EXPECT(r2, 0xd0000019)
    EXPECT(r3, 0xe0000019)

    /* VFP arithmetic is not implemented: UNDEFINED on the RTL, so not used here */
    ldr     r5, [r4]
    EXPECT(r5, 4)
    TEST_PASS
    pop     {r4-r11, pc}

    .balign 8
lit_dword:
    .word   0x01234567, 0x89abcdef
lit_word:
    .word   0xc0ffee11
    .ltorg

    .bss
    .balign 8
undef_count:
    .space  8
vbuf:
    .space  256

/*
 * vmm_selftest.S - the VMM doorbell end to end, with no hypervisor: in Hyp
 * mode, fill a struct hypsim_run (firmware/include/vmm_abi.h) for each exit,
 * ring the doorbell (rtl/soc/soc_vmm_port.sv), check the answer the VMM
 * (tb/vmm.py) wrote back through the RAM backdoor.
 *   1. MMIO write of 'A' to the guest PL011's DR  -> VMM console "A", no IRQ change
 *   2. MMIO read of FR                            -> 0x90
 *   3. MMIO write IMSC = TXIM                     -> one KVM_IRQ_LINE: SPI 33 level 1
 *   4. hypercall HYPSIM_HC_BASE + 1 (xor)         -> arg0 ^ arg1
 *   5. a load of the doorbell                     -> 0
 * Then SYS_WRITE0 "vmm ok" and SYS_EXIT(ApplicationExit); any mismatch exits
 * with ADP_Stopped_InternalError and r6 = the failed step.
 * Built by tests/test_run_guest.py (arm-none-eabi-gcc -Ttext=0x40000000).
 */
#include "vmm_abi.h"

    .arm
    .global _start
_start:
    ldr   r4, =run
    ldr   r5, =HYPSIM_DOORBELL_PA
    mov   r6, #0                      @ step number, for the failure exit
    mov   r0, #0
    mov   r1, #0
1:  str   r0, [r4, r1]
    add   r1, r1, #4
    cmp   r1, #RUN_BYTES
    blo   1b

    @ 1. MMIO write 'A' to DR
    mov   r6, #1
    mov   r0, #KVM_EXIT_MMIO
    str   r0, [r4, #RUN_EXIT_REASON]
    ldr   r0, =0x40010000
    str   r0, [r4, #RUN_GUEST_PC]
    ldr   r0, =HYPSIM_GUEST_UART_IPA
    str   r0, [r4, #RUN_MMIO_ADDR]
    mov   r0, #4
    str   r0, [r4, #RUN_MMIO_LEN]
    mov   r0, #1
    str   r0, [r4, #RUN_MMIO_IS_WRITE]
    mov   r0, #'A'
    str   r0, [r4, #RUN_MMIO_DATA]
    mov   r0, #0x55
    str   r0, [r4, #RUN_IRQ_COUNT]    @ the VMM must overwrite it with 0
    str   r4, [r5]                    @ ring: the core stalls until the VMM answers
    ldr   r0, [r4, #RUN_IRQ_COUNT]
    cmp   r0, #0
    bne   fail

    @ 2. MMIO read of FR
    mov   r6, #2
    ldr   r0, =HYPSIM_GUEST_UART_IPA + 0x18
    str   r0, [r4, #RUN_MMIO_ADDR]
    mov   r0, #0
    str   r0, [r4, #RUN_MMIO_IS_WRITE]
    str   r0, [r4, #RUN_MMIO_DATA]
    str   r4, [r5]
    ldr   r0, [r4, #RUN_MMIO_DATA]
    cmp   r0, #0x90
    bne   fail

    @ 3. IMSC = TXIM: TXRIS is set since step 1, so SPI 1 (ID 33) goes up
    mov   r6, #3
    ldr   r0, =HYPSIM_GUEST_UART_IPA + 0x38
    str   r0, [r4, #RUN_MMIO_ADDR]
    mov   r0, #1
    str   r0, [r4, #RUN_MMIO_IS_WRITE]
    mov   r0, #0x20
    str   r0, [r4, #RUN_MMIO_DATA]
    str   r4, [r5]
    ldr   r0, [r4, #RUN_IRQ_COUNT]
    cmp   r0, #1
    bne   fail
    ldr   r0, [r4, #RUN_IRQ]
    ldr   r1, =(KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | 33
    cmp   r0, r1
    bne   fail
    ldr   r0, [r4, #RUN_IRQ + 4]
    cmp   r0, #1
    bne   fail

    @ 4. hypercall: xor
    mov   r6, #4
    mov   r0, #KVM_EXIT_HYPERCALL
    str   r0, [r4, #RUN_EXIT_REASON]
    ldr   r0, =HYPSIM_HC_BASE + 1
    str   r0, [r4, #RUN_HC_NR]
    ldr   r0, =0x12345678
    str   r0, [r4, #RUN_HC_ARG0]
    ldr   r0, =0x0000ffff
    str   r0, [r4, #RUN_HC_ARG1]
    str   r4, [r5]
    ldr   r0, [r4, #RUN_HC_RET]
    ldr   r1, =0x1234a987
    cmp   r0, r1
    bne   fail

    @ 5. a load of the doorbell reads 0
    mov   r6, #5
    ldr   r0, [r5]
    cmp   r0, #0
    bne   fail

    adr   r1, okmsg
    mov   r0, #4                      @ SYS_WRITE0
    svc   0x123456
    mov   r0, #0x18                   @ SYS_EXIT
    ldr   r1, =0x20026                @ ADP_Stopped_ApplicationExit
    svc   0x123456
fail:
    mov   r0, #0x18
    ldr   r1, =0x20024                @ ADP_Stopped_InternalError
    svc   0x123456
okmsg:
    .asciz "vmm ok\n"
    .balign 4
    .ltorg

    .bss
    .balign 8
run:
    .space RUN_BYTES

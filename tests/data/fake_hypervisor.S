/*
 * fake_hypervisor.S - a stand-in for firmware/build/hypervisor.elf that
 * exercises `hypsim run-guest` end to end without the real firmware: it reads
 * the boot-info block (vmm_abi.h), checks the guest image's first word is at
 * HYPSIM_IMAGE_PA (compared with BI_IMAGE_SIZE != 0), and for each VM in
 * BI_NR_VMS hands the VMM an MMIO write of 'a' + vm, then "!\n", to the guest
 * PL011, then a PSCI SYSTEM_OFF of every VM. The VMM ends the run (exit 0).
 * Without HYPSIM_BI_F_VMM it prints "no vmm\n" through semihosting and exits.
 */
#include "vmm_abi.h"

    .arm
    .global _start
_start:
    ldr   r8, =HYPSIM_BOOTINFO_PA
    ldr   r0, [r8, #BI_MAGIC]
    ldr   r1, =HYPSIM_BOOTINFO_MAGIC
    cmp   r0, r1
    bne   fail
    ldr   r0, [r8, #BI_IMAGE_SIZE]
    cmp   r0, #0
    beq   fail
    ldr   r0, [r8, #BI_FLAGS]
    tst   r0, #HYPSIM_BI_F_VMM
    beq   novmm
    ldr   r9, [r8, #BI_NR_VMS]
    ldr   r4, =run
    ldr   r5, =HYPSIM_DOORBELL_PA
    mov   r6, #0                      @ vm
1:  mov   r0, #KVM_EXIT_MMIO
    str   r0, [r4, #RUN_EXIT_REASON]
    str   r6, [r4, #RUN_VM]
    ldr   r0, =HYPSIM_GUEST_UART_IPA
    str   r0, [r4, #RUN_MMIO_ADDR]
    mov   r0, #1
    str   r0, [r4, #RUN_MMIO_LEN]
    str   r0, [r4, #RUN_MMIO_IS_WRITE]
    add   r0, r6, #'a'
    str   r0, [r4, #RUN_MMIO_DATA]
    str   r4, [r5]
    mov   r0, #'!'
    str   r0, [r4, #RUN_MMIO_DATA]
    str   r4, [r5]
    mov   r0, #'\n'
    str   r0, [r4, #RUN_MMIO_DATA]
    str   r4, [r5]
    add   r6, r6, #1
    cmp   r6, r9
    blo   1b
    mov   r6, #0
2:  mov   r0, #KVM_EXIT_SYSTEM_EVENT
    str   r0, [r4, #RUN_EXIT_REASON]
    str   r6, [r4, #RUN_VM]
    mov   r0, #KVM_SYSTEM_EVENT_SHUTDOWN
    str   r0, [r4, #RUN_SYSTEM_EVENT]
    str   r4, [r5]                    @ the last one does not return
    add   r6, r6, #1
    b     2b
novmm:
    adr   r1, msg
    mov   r0, #4
    svc   0x123456
    mov   r0, #0x18
    ldr   r1, =0x20026
    svc   0x123456
fail:
    mov   r0, #0x18
    ldr   r1, =0x20024
    svc   0x123456
msg:
    .asciz "no vmm\n"
    .balign 4
    .ltorg
    .bss
    .balign 8
run:
    .space RUN_BYTES

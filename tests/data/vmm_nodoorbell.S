/*
 * vmm_nodoorbell.S - without a VMM the doorbell page is a hole, as on QEMU:
 * a store there takes a data abort (external abort) to Hyp mode. Run with
 * `hypsim run --compare-qemu` (tests/test_run_guest.py): the RTL must match
 * QEMU instruction by instruction. Exits 0 from the abort handler when the
 * HSR says data abort from Hyp mode (EC 0x25).
 */
#include "vmm_abi.h"

    .arm
    .global _start
_start:
    ldr   r0, =hyp_vectors
    mcr   p15, 4, r0, c12, c0, 0      @ HVBAR
    isb
    ldr   r5, =HYPSIM_DOORBELL_PA
    mov   r0, #0x40000000
    str   r0, [r5]                    @ no slave here: external abort
    b     fail

    .balign 32
hyp_vectors:
    b     fail                        @ reset
    b     fail                        @ undefined
    b     fail                        @ hvc / svc
    b     fail                        @ prefetch abort
    b     dabt                        @ data abort
    b     fail                        @ hyp trap
    b     fail                        @ irq
    b     fail                        @ fiq
dabt:
    mrc   p15, 4, r0, c5, c2, 0       @ HSR
    lsr   r0, r0, #26
    cmp   r0, #0x25
    bne   fail
    mov   r0, #0x18
    ldr   r1, =0x20026
    svc   0x123456
fail:
    mov   r0, #0x18
    ldr   r1, =0x20024
    svc   0x123456
    .ltorg

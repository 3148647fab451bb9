/*
 * cpu_boot.S - a secondary physical core's way into the host (Linux:
 * secondary_startup, then KVM's per-CPU Hyp init), and the PSCI call the
 * host makes to start it.
 *
 * host_psci_call(fn, a1, a2, a3): PSCI (ARM DEN 0022, SMC32) through SMC from
 * the host's SVC mode (HCR.TSC is 0 while the host runs): QEMU -M
 * virt,virtualization=on answers it itself, the RTL SoC's soc_psci the same.
 *
 * host_secondary_entry: where PSCI CPU_ON starts core n (n >= 1): Hyp mode,
 * MMU off, A/I/F masked, r0 = the context id = the top of the core's stack
 * block (main.c: HOST_CPU_STACK bytes: Hyp, then SVC, then one small stack
 * shared by ABT/UND/IRQ/FIQ/USR, which only report a host bug). It does for
 * this core what crt0 does for core 0 (the mode stacks, no Hyp traps, the
 * vector bases, SCTLR.V and .TE clear), then hyp_main() (per-core Hyp init:
 * HVBAR, VTCR, VPIDR/VMPIDR), drops to SVC and calls host_secondary_main(),
 * which does not return.
 */
#include "asm.h"

#define HOST_HYP_STACK 0x1000
#define HOST_SVC_STACK 0x4000

    .text
    .arm
    .arch_extension sec
    .global host_psci_call
    .type   host_psci_call, %function
host_psci_call:
    smc     #0
    bx      lr
    .size   host_psci_call, . - host_psci_call

    .global host_secondary_entry
    .type   host_secondary_entry, %function
host_secondary_entry:
    msr     APSR_nzcvq, #0
    mov     sp, r0                      @ Hyp stack
    sub     r1, r0, #HOST_HYP_STACK
    msr     SP_svc, r1
    sub     r1, r1, #HOST_SVC_STACK
    msr     SP_abt, r1
    msr     SP_und, r1
    msr     SP_irq, r1
    msr     SP_fiq, r1
    msr     SP_usr, r1
    mov     r0, #0
    mcr     p15, 4, r0, c1, c1, 0       @ HCR
    mcr     p15, 4, r0, c1, c1, 3       @ HSTR
    ldr     r0, =hyp_vectors
    mcr     p15, 4, r0, c12, c0, 0      @ HVBAR (until hyp_main installs the hypervisor's)
    ldr     r0, =vectors
    mcr     p15, 0, r0, c12, c0, 0      @ VBAR
    mrc     p15, 0, r0, c1, c0, 0       @ SCTLR
    bic     r0, r0, #(1 << 13)          @ V
    bic     r0, r0, #(1 << 30)          @ TE
    mcr     p15, 0, r0, c1, c0, 0
    isb
    bl      hyp_main
    ldr     r0, =(PSR_A | PSR_I | PSR_F | MODE_SVC)
    msr     SPSR_cxsf, r0
    ldr     r0, =1f
    msr     ELR_hyp, r0
    eret
1:  bl      host_secondary_main         @ does not return
2:  wfi
    b       2b
    .size   host_secondary_entry, . - host_secondary_entry
    .ltorg

/*
 * smp_entry.S - PSCI call over SMC and core 1's entry (see smp.h).
 *
 * psci_call(fn, a1, a2, a3): r0-r3 as PSCI (DEN0022) says, SMC #0, result in r0.
 * On QEMU -M virt,virtualization=on the SMC is answered by QEMU itself; on the
 * RTL by the SoC (rtl/soc/soc_psci.sv). Called from Hyp or SVC mode (HCR.TSC = 0).
 *
 * smp_secondary_entry: PSCI CPU_ON's entry point. Core 1 arrives in Hyp mode with
 * r0 = context_id = the top of its stack (smp_cpu_on), everything else as reset.
 */
    .text
    .arm
    .arch_extension sec
    .global psci_call
    .type   psci_call, %function
psci_call:
    smc     #0
    bx      lr
    .size   psci_call, . - psci_call

    .global smp_secondary_entry
    .type   smp_secondary_entry, %function
smp_secondary_entry:
    mov     sp, r0
    mrs     r1, cpsr
    bl      secondary_main
1:  wfi
    b       1b
    .size   smp_secondary_entry, . - smp_secondary_entry

/*
 * entry.S - a hypsim guest's entry (the Linux boot protocol on QEMU virt):
 * entered at the image's first byte in SVC mode, MMU and caches off, A/I/F
 * masked, r0 = 0, r1 = ~0, r2 = the DTB address.
 *
 *   1. stacks for SVC, IRQ, ABT and UND inside the image (first 2 MiB of RAM)
 *   2. zero .bss, VBAR = guest_vectors
 *   3. main(r0, r1, r2)
 *   4. PSCI SYSTEM_OFF (0x84000008) through hvc #0
 */
    .syntax unified
    .arm

    .section .text.entry, "ax"
    .global _start
    .type   _start, %function
_start:
    mov     r4, r0
    mov     r5, r1
    mov     r6, r2
    cpsid   aif, #0x12              @ IRQ mode
    ldr     sp, =__stack_irq_top
    cpsid   aif, #0x17              @ ABT mode
    ldr     sp, =__stack_abt_top
    cpsid   aif, #0x1b              @ UND mode
    ldr     sp, =__stack_und_top
    cpsid   aif, #0x13              @ back to SVC
    ldr     sp, =__stack_svc_top

    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    ldr     r0, =guest_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    mrc     p15, 0, r0, c1, c0, 0   @ SCTLR.V = 0 (vectors at VBAR), TE = 0 (ARM)
    bic     r0, r0, #(1 << 13)
    bic     r0, r0, #(1 << 30)
    mcr     p15, 0, r0, c1, c0, 0
    isb

    mov     r0, r4
    mov     r1, r5
    mov     r2, r6
    bl      main
    b       system_off
    .size   _start, . - _start

    .text
@ uint32_t psci_call(fn, a1, a2, a3): hvc #0, result in r0
    .global psci_call
    .type   psci_call, %function
psci_call:
    hvc     #0
    bx      lr
    .size   psci_call, . - psci_call

    .global system_off
    .type   system_off, %function
system_off:
    movw    r0, #0x0008
    movt    r0, #0x8400
    mov     r1, #0
    mov     r2, #0
    mov     r3, #0
    hvc     #0
1:  wfi                             @ SYSTEM_OFF does not return
    b       1b
    .size   system_off, . - system_off

/*
 * Vectors.  Each stub makes lr the preferred return address, saves
 * {spsr, pad, r0-r12, pc} (64 bytes: the stack stays 8-byte aligned),
 * calls guest_exception(type, frame) and returns with LDM ^ (CPSR = SPSR).
 */
.macro STUB type, adj
    .if \adj
    sub     lr, lr, #\adj
    .endif
    push    {r0-r12, lr}
    mrs     r0, spsr
    push    {r0, r1}
    mov     r0, #\type
    mov     r1, sp
    b       exc_common
.endm

    .balign 32
    .global guest_vectors
guest_vectors:
    b       v_reset
    b       v_undef
    b       v_svc
    b       v_pabt
    b       v_dabt
    b       v_reset                 @ unused (hyp trap vector)
    b       v_irq
    b       v_fiq

v_reset: STUB 0, 0
v_undef: STUB 1, 4
v_svc:   STUB 2, 0
v_pabt:  STUB 3, 4
v_dabt:  STUB 4, 8
v_irq:   STUB 6, 4
v_fiq:   STUB 7, 4

exc_common:
    bl      guest_exception
    pop     {r0, r1}
    msr     spsr_cxsf, r0
    ldm     sp!, {r0-r12, pc}^

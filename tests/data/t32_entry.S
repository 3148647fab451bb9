@ A bare-metal ELF whose entry point is Thumb code (e_entry bit 0 set): QEMU and the SoC
@ start it in Thumb state. An IT-block loop, then SYS_WRITE0 and SYS_EXIT through the
@ Thumb semihosting SVC #0xab.
    .syntax unified
    .thumb
    .text
    .global _start
    .type _start, %function
    .thumb_func
_start:
    movs    r4, #5
    movs    r5, #0
1:  adds    r5, r5, r4
    subs    r4, #1
    cmp     r4, #2
    ite     gt
    addgt   r5, r5, #100
    suble   r5, r5, #1
    bne     1b
    cmp     r5, #211
    ite     eq
    adreq   r1, ok
    adrne   r1, bad
    movs    r0, #4              @ SYS_WRITE0
    svc     #0xab
    movs    r0, #0x18           @ SYS_EXIT
    ldr     r1, =0x20026        @ ADP_Stopped_ApplicationExit
    svc     #0xab
    b       .
    .align 2
ok:  .asciz "thumb entry ok\n"
    .align 2
bad: .asciz "thumb entry FAIL\n"

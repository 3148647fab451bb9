/*
 * semihost.S - ARM semihosting calls (AArch32: SVC 0x123456, r0 = op,
 * r1 = argument).  QEMU intercepts the SVC when started with -semihosting,
 * in any privileged mode (SVC, Hyp, ...), so no exception is taken there.
 * LR is saved around the SVC so that an implementation that does take the
 * SVC exception in SVC mode (clobbering LR_svc) still returns correctly.
 */
#include "asm.h"

    .text

#define SYS_WRITEC  0x03
#define SYS_WRITE0  0x04
#define SYS_EXIT    0x18
#define ADP_Stopped_ApplicationExit     0x20026
#define ADP_Stopped_RunTimeErrorUnknown 0x20023

@ int sh_call(int op, void *arg)
    .global sh_call
    .type   sh_call, %function
sh_call:
    push    {r4, lr}
    svc     0x123456
    pop     {r4, pc}
    .size   sh_call, . - sh_call

@ void sh_writec(int c)
    .global sh_writec
    .type   sh_writec, %function
sh_writec:
    push    {r0, lr}                @ the character is passed by address
    mov     r1, sp
    mov     r0, #SYS_WRITEC
    svc     0x123456
    pop     {r0, pc}
    .size   sh_writec, . - sh_writec

@ void sh_write0(const char *s)
    .global sh_write0
    .type   sh_write0, %function
sh_write0:
    push    {r4, lr}
    mov     r1, r0
    mov     r0, #SYS_WRITE0
    svc     0x123456
    pop     {r4, pc}
    .size   sh_write0, . - sh_write0

@ void sh_exit(int status)  -- 0: ApplicationExit (host exit code 0),
@                              else RunTimeErrorUnknown (host exit code 1)
    .global sh_exit
    .type   sh_exit, %function
sh_exit:
    cmp     r0, #0
    movweq  r1, #:lower16:ADP_Stopped_ApplicationExit
    movwne  r1, #:lower16:ADP_Stopped_RunTimeErrorUnknown
    movt    r1, #:upper16:ADP_Stopped_ApplicationExit
    mov     r0, #SYS_EXIT
    push    {r4, lr}
    svc     0x123456
1:  b       1b                      @ not reached on QEMU
    .size   sh_exit, . - sh_exit

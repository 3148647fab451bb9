/*
 * aeabi.S - ARM-state run-time helpers whose ABI is not a C ABI:
 * the divmod functions return the quotient in r0:r1 (or r0) and the
 * remainder in r2:r3 (or r1); the long shifts take the count in r2.
 */
#include "asm.h"

    .text

@ {q, r} = __aeabi_uldivmod(u64 n (r0:r1), u64 d (r2:r3)) -> q r0:r1, r r2:r3
    .global __aeabi_uldivmod
    .type   __aeabi_uldivmod, %function
__aeabi_uldivmod:
    push    {r4, lr}
    sub     sp, sp, #16             @ [sp] = &rem (5th word arg), [sp+8] = rem
    add     ip, sp, #8
    str     ip, [sp]
    bl      hypsim_udivmoddi4
    ldrd    r2, r3, [sp, #8]
    add     sp, sp, #16
    pop     {r4, pc}
    .size   __aeabi_uldivmod, . - __aeabi_uldivmod

@ signed: quotient toward zero, remainder with the dividend's sign
    .global __aeabi_ldivmod
    .type   __aeabi_ldivmod, %function
__aeabi_ldivmod:
    push    {r4, lr}
    sub     sp, sp, #16
    add     ip, sp, #8
    str     ip, [sp]
    bl      hypsim_divmoddi4
    ldrd    r2, r3, [sp, #8]
    add     sp, sp, #16
    pop     {r4, pc}
    .size   __aeabi_ldivmod, . - __aeabi_ldivmod

@ {q, r} = __aeabi_uidivmod(u32 n, u32 d) -> q r0, r r1 (d == 0: q 0, r n)
    .global __aeabi_uidivmod
    .type   __aeabi_uidivmod, %function
__aeabi_uidivmod:
    udiv    r2, r0, r1              @ UDIV by 0 gives 0
    mls     r1, r2, r1, r0
    mov     r0, r2
    bx      lr
    .size   __aeabi_uidivmod, . - __aeabi_uidivmod

    .global __aeabi_idivmod
    .type   __aeabi_idivmod, %function
__aeabi_idivmod:
    sdiv    r2, r0, r1              @ SDIV by 0 gives 0, INT_MIN/-1 gives INT_MIN
    mls     r1, r2, r1, r0
    mov     r0, r2
    bx      lr
    .size   __aeabi_idivmod, . - __aeabi_idivmod

@ u64 __aeabi_llsl(u64 v (r0:r1), int n (r2)), 0 <= n < 64 (other n: 0)
@ ARM register-specified shifts use the bottom byte of the count, and
@ LSL/LSR by 32..255 give 0, which the sequences below rely on.
    .global __aeabi_llsl
    .type   __aeabi_llsl, %function
__aeabi_llsl:
    subs    r3, r2, #32             @ r3 = n - 32
    rsb     ip, r2, #32             @ ip = 32 - n
    lslpl   r1, r0, r3              @ n >= 32: hi = lo << (n - 32)
    lslmi   r1, r1, r2              @ n < 32:  hi = hi << n | lo >> (32 - n)
    orrmi   r1, r1, r0, lsr ip
    lsl     r0, r0, r2              @ lo = lo << n (0 when n >= 32)
    bx      lr
    .size   __aeabi_llsl, . - __aeabi_llsl

    .global __aeabi_llsr
    .type   __aeabi_llsr, %function
__aeabi_llsr:
    subs    r3, r2, #32
    rsb     ip, r2, #32
    lsrpl   r0, r1, r3              @ n >= 32: lo = hi >> (n - 32)
    lsrmi   r0, r0, r2              @ n < 32:  lo = lo >> n | hi << (32 - n)
    orrmi   r0, r0, r1, lsl ip
    lsr     r1, r1, r2
    bx      lr
    .size   __aeabi_llsr, . - __aeabi_llsr

    .global __aeabi_lasr
    .type   __aeabi_lasr, %function
__aeabi_lasr:
    subs    r3, r2, #32
    rsb     ip, r2, #32
    asrpl   r0, r1, r3              @ n >= 32: lo = hi >> (n - 32) (arith)
    lsrmi   r0, r0, r2
    orrmi   r0, r0, r1, lsl ip
    asr     r1, r1, r2              @ n >= 32: all sign bits
    bx      lr
    .size   __aeabi_lasr, . - __aeabi_lasr

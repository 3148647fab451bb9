/*
 * page.S - clear and copy a 4 KiB page eight words at a time (the host's
 * stage-2 tables and guest pages; the simulated core retires one STM of
 * eight registers far faster than eight STRs).
 */
    .text
    .arm

    /* void page_zero(void *page) */
    .global page_zero
    .type   page_zero, %function
page_zero:
    push    {r4-r9}
    mov     r2, #0
    mov     r3, #0
    mov     r4, #0
    mov     r5, #0
    mov     r6, #0
    mov     r7, #0
    mov     r8, #0
    mov     r9, #0
    add     r1, r0, #4096
1:  stmia   r0!, {r2-r9}
    cmp     r0, r1
    bne     1b
    pop     {r4-r9}
    bx      lr
    .size   page_zero, . - page_zero

    /* void page_copy(void *dst, const void *src) */
    .global page_copy
    .type   page_copy, %function
page_copy:
    mov     r2, #4096
    /* fall through */
    .size   page_copy, . - page_copy

    /* void copy_blocks(void *dst, const void *src, size_t n): n a non-zero multiple of 32,
     * both word aligned */
    .global copy_blocks
    .type   copy_blocks, %function
copy_blocks:
    push    {r4-r10}
    add     r10, r0, r2
1:  ldmia   r1!, {r2-r9}
    stmia   r0!, {r2-r9}
    cmp     r0, r10
    bne     1b
    pop     {r4-r10}
    bx      lr
    .size   copy_blocks, . - copy_blocks

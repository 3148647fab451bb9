/*
 * vfp.S - save and load a VFPv3-D32 context (struct kvm_vfp: D0-D31, FPSCR,
 * FPEXC), for the lazy VFP switch (KVM/ARM: vfp.S). Hyp functions: HCPTR
 * must not trap cp10/cp11 when they run (switch.c clears it first).
 * FPEXC.EN is set while the registers move and the context's own FPEXC is
 * written last on a load.
 */
    .text
    .arm
    .fpu    vfpv3

    /* void __vfp_save(struct kvm_vfp *v) */
    .global __vfp_save
    .type   __vfp_save, %function
__vfp_save:
    vmrs    r2, fpexc
    orr     r3, r2, #(1 << 30)
    vmsr    fpexc, r3
    vstmia  r0!, {d0-d15}
    vstmia  r0!, {d16-d31}
    vmrs    r1, fpscr
    stm     r0, {r1, r2}
    bx      lr
    .size   __vfp_save, . - __vfp_save

    /* void __vfp_load(const struct kvm_vfp *v) */
    .global __vfp_load
    .type   __vfp_load, %function
__vfp_load:
    vmrs    r2, fpexc
    orr     r2, r2, #(1 << 30)
    vmsr    fpexc, r2
    vldmia  r0!, {d0-d15}
    vldmia  r0!, {d16-d31}
    ldm     r0, {r1, r2}
    vmsr    fpscr, r1
    vmsr    fpexc, r2
    bx      lr
    .size   __vfp_load, . - __vfp_load

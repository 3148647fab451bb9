/*
 * mmio.c - MMIO emulation from the data-abort syndrome (KVM/ARM: mmio.c,
 * seed 002): HSR.ISV says whether the syndrome describes the access; SAS
 * gives its size, SSE sign extension, SRT the register, WnR the direction.
 * The vGIC distributor is emulated here in the host (vgic.c); every other
 * access goes to the VMM (vmm.c) as KVM_EXIT_MMIO. A load completes when
 * the vCPU runs again (kvm_handle_mmio_return): the data goes to Rt,
 * sign-extended if SSE, and the instruction is skipped. An abort without a
 * valid syndrome (LDRD, LDM, writeback forms...) cannot be emulated: like
 * KVM, the host reports it to the VMM (KVM_EXIT_ARM_NISV).
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "fault_inject.h"

static uint32_t extend(uint32_t data, uint32_t len, uint32_t sign)
{
    if (len == 4)
        return data;
    uint32_t bits = len * 8;
    data &= (1u << bits) - 1;
    if (sign && !FAULT(NO_SIGN_EXTEND) && (data >> (bits - 1)))
        data |= ~0u << bits;
    return data;
}

void kvm_handle_mmio_return(struct kvm_vcpu *v)
{
    uint32_t data = v->run[RUN_MMIO_DATA / 4];
    *vcpu_reg(v, v->mmio_rt) = extend(data, v->mmio_len, v->mmio_sign);
    v->mmio_pending = 0;
    kvm_skip_instr(v);
}

int io_mem_abort(struct kvm_vcpu *v, uint32_t ipa)
{
    uint32_t hsr = v->arch.fault.hsr;
    if (!(hsr & HSR_ISV)) {
        v->run[RUN_MMIO_ADDR / 4] = ipa;
        v->run[RUN_FAIL_HSR / 4] = hsr;
        v->run[RUN_FAIL_FAR / 4] = v->arch.fault.hxfar;
        kvm_vmm_exit(v, KVM_EXIT_ARM_NISV);
        host_fatal(v, HYPSIM_ERR_UNKNOWN_EXIT, "an MMIO access without a valid syndrome (ISV = 0): "
                   "the host cannot emulate it");
    }
    uint32_t len = 1u << ((hsr >> HSR_SAS_SHIFT) & 3);
    uint32_t rt = (hsr >> HSR_SRT_SHIFT) & 0xf;
    uint32_t sign = !!(hsr & HSR_SSE);
    int write = !!(hsr & HSR_WNR);
    uint32_t data = write ? extend(*vcpu_reg(v, rt), len, 0) : 0;

    if (ipa - HYPSIM_GUEST_GICD_IPA < 0x10000) {
        vgic_dist_mmio(v, ipa - HYPSIM_GUEST_GICD_IPA, len, write, &data);
        if (!write)
            *vcpu_reg(v, rt) = extend(data, len, sign);
        kvm_skip_instr(v);
        return RESUME_GUEST;
    }
    v->run[RUN_MMIO_ADDR / 4] = ipa;
    v->run[RUN_MMIO_LEN / 4] = len;
    v->run[RUN_MMIO_IS_WRITE / 4] = write;
    v->run[RUN_MMIO_DATA / 4] = data;
    v->run[RUN_MMIO_DATA / 4 + 1] = 0;
    if (!write) {
        v->mmio_pending = 1;
        v->mmio_rt = rt;
        v->mmio_len = len;
        v->mmio_sign = sign;
    }
    kvm_vmm_exit(v, KVM_EXIT_MMIO);
    if (write)
        kvm_skip_instr(v);
    return RESUME_GUEST;
}

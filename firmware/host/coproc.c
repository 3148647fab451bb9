/*
 * coproc.c - the CP15 registers the guest cannot touch directly (KVM/ARM:
 * coproc.c and coproc_a15.c): a table sorted by (CRn, CRm, Opc1, Opc2)
 * of the trapped registers and what an access does. The traps come from
 * HCR.TAC (ACTLR), HCR.TSW (cache maintenance by set/way), HCR.TIDCP (the
 * implementation-defined c9/c10/c11 space) and HSTR.T15 (all of c15). An access
 * that is not in the table gets UNDEFINED, as in KVM.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"

struct coproc_params {
    uint32_t crn, crm, opc1, opc2, rt, rt2, is_write, is_64;
};

struct coproc_reg {
    uint8_t crn, crm, opc1, opc2;
    uint8_t is_64;
    /* returns 1 when handled; reads put the value in *val (and *val2 for 64-bit) */
    int (*access)(struct kvm_vcpu *v, const struct coproc_params *p, uint32_t *val, uint32_t *val2);
    const char *name;
};

/* ACTLR: reads the host's ACTLR (captured at reset), writes are ignored */
static int access_actlr(struct kvm_vcpu *v, const struct coproc_params *p, uint32_t *val, uint32_t *val2)
{
    (void)val2;
    if (!p->is_write)
        *val = v->actlr;
    return 1;
}

/* DC{I,C,CI}SW: no data caches are modelled (RTL) or kept coherent by
 * set/way from a guest's view (QEMU): nothing to do, the access completes */
static int access_dcsw(struct kvm_vcpu *v, const struct coproc_params *p, uint32_t *val, uint32_t *val2)
{
    (void)v; (void)val; (void)val2;
    return p->is_write;
}

/* L2CTLR (Cortex-A15 TRM 4.3.50): number of CPUs - 1 in [25:24] */
static int access_l2ctlr(struct kvm_vcpu *v, const struct coproc_params *p, uint32_t *val, uint32_t *val2)
{
    (void)v; (void)val2;
    if (!p->is_write)
        *val = 0;        /* one vCPU */
    return 1;
}

/* read as zero, writes ignored */
static int access_raz_wi(struct kvm_vcpu *v, const struct coproc_params *p, uint32_t *val, uint32_t *val2)
{
    (void)v; (void)p;
    *val = 0;
    *val2 = 0;
    return 1;
}

/* CBAR (Cortex-A15 TRM 4.3.62): the GIC's base, the guest's GICD */
static int access_cbar(struct kvm_vcpu *v, const struct coproc_params *p, uint32_t *val, uint32_t *val2)
{
    (void)v; (void)val2;
    if (p->is_write)
        return 0;
    *val = HYPSIM_GUEST_GICD_IPA;
    return 1;
}

/* sorted by (crn, crm, opc1, opc2), 64-bit accesses (crn = 0) by crm */
static const struct coproc_reg cp15_regs[] = {
    { 1,  0, 0, 1, 0, access_actlr,  "ACTLR" },
    { 7,  6, 0, 2, 0, access_dcsw,   "DCISW" },
    { 7, 10, 0, 2, 0, access_dcsw,   "DCCSW" },
    { 7, 14, 0, 2, 0, access_dcsw,   "DCCISW" },
    { 9,  0, 1, 2, 0, access_l2ctlr, "L2CTLR" },
    { 9,  0, 1, 3, 0, access_raz_wi, "L2ECTLR" },
    { 15, 0, 4, 0, 0, access_cbar,   "CBAR" },
};

static const struct coproc_reg *find_reg(const struct coproc_params *p, const struct coproc_reg *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (t[i].crn == p->crn && t[i].crm == p->crm && t[i].opc1 == p->opc1 && t[i].opc2 == p->opc2)
            return &t[i];
    return 0;
}

static int emulate(struct kvm_vcpu *v, const struct coproc_params *p, const struct coproc_reg *r)
{
    uint32_t val = p->is_write ? *vcpu_reg(v, p->rt) : 0;
    uint32_t val2 = p->is_write && p->is_64 ? *vcpu_reg(v, p->rt2) : 0;
    if (!r || !r->access(v, p, &val, &val2)) {
        kvm_inject_undefined(v);
        return RESUME_GUEST;
    }
    if (!p->is_write) {
        *vcpu_reg(v, p->rt) = val;
        if (p->is_64)
            *vcpu_reg(v, p->rt2) = val2;
    }
    kvm_skip_instr(v);
    return RESUME_GUEST;
}

/* EC 0x03: MCR/MRC; ISS Opc2[19:17] Opc1[16:14] CRn[13:10] Rt[8:5] CRm[4:1] Direction[0] */
int kvm_handle_cp15_32(struct kvm_vcpu *v)
{
    uint32_t iss = v->arch.fault.hsr;
    struct coproc_params p = {
        .crn = (iss >> 10) & 0xf, .crm = (iss >> 1) & 0xf, .opc1 = (iss >> 14) & 7,
        .opc2 = (iss >> 17) & 7, .rt = (iss >> 5) & 0xf, .is_write = !(iss & 1), .is_64 = 0,
    };
    return emulate(v, &p, find_reg(&p, cp15_regs, sizeof(cp15_regs) / sizeof(cp15_regs[0])));
}

/* EC 0x04: MCRR/MRRC; ISS Opc1[19:16] Rt2[13:10] Rt[8:5] CRm[4:1] Direction[0] */
int kvm_handle_cp15_64(struct kvm_vcpu *v)
{
    uint32_t iss = v->arch.fault.hsr;
    struct coproc_params p = {
        .crn = 0, .crm = (iss >> 1) & 0xf, .opc1 = (iss >> 16) & 0xf, .opc2 = 0,
        .rt = (iss >> 5) & 0xf, .rt2 = (iss >> 10) & 0xf, .is_write = !(iss & 1), .is_64 = 1,
    };
    /* HSTR.T15 traps MCRR/MRRC with CRm = c15, none of which the guest may use:
     * no 64-bit register is emulated, every such access is UNDEFINED */
    return emulate(v, &p, 0);
}

void kvm_reset_coprocs(struct kvm_vcpu *v)
{
    uint32_t actlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(actlr));
    v->actlr = actlr;
}

/*
 * timer.c - the virtual timer of a vCPU, the host's timer and the host's
 * view of the physical GIC (KVM/ARM: arch_timer.c; the host kernel's GIC
 * driver).
 *
 * The guest owns the virtual timer and the PL1 physical timer while it
 * runs (CNTV_CTL/CVAL, CNTP_CTL/CVAL are switched, CNTVOFF is per VM).
 * While the host runs, they are off; their outputs, as the saved CTL/CVAL
 * and the counter say they would be, are the levels of the vCPU's PPIs 27
 * and 30 in the vGIC (kvm_timer_sync, before every entry). The physical
 * PPIs 27 and 30 only serve to make a running guest exit when a timer fires. (Later KVM maps the interrupt with LR.HW
 * instead; masking it at the distributor needs nothing of the GIC beyond
 * GICv2's enables.) The host's own timer is the Hyp timer (CNTHP,
 * PPI 26), set through Hyp functions: a time slice, or the earliest
 * deadline of a vCPU blocked in WFI.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "hyp.h"
#include "cp15.h"
#include "fault_inject.h"

static int armed(uint32_t ctl)
{
    return (ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK);
}

/* the earliest physical count at which one of the vCPU's timers fires */
int kvm_timer_deadline(struct kvm_vcpu *v, uint64_t *phys_cval)
{
    const struct kvm_timer_cpu *t = &v->arch.timer;
    uint64_t vd = t->cval + v->arch.cntvoff;
    if (armed(t->ctl) && armed(t->pctl))
        *phys_cval = vd < t->pcval ? vd : t->pcval;
    else if (armed(t->ctl))
        *phys_cval = vd;
    else if (armed(t->pctl))
        *phys_cval = t->pcval;
    else
        return 0;
    return 1;
}

/* one timer's output as the level of the vCPU's PPI (the vGIC is told only of changes);
 * the physical PPI disabled while the level of the vCPU about to run is high */
static void timer_line(struct kvm_vcpu *v, uint32_t irq, int level)
{
    uint32_t bit = 1u << irq;
    if (level != !!(v->timer_levels & bit)) {
        v->timer_levels ^= bit;
        if (level || !FAULT(TIMER_NO_LOWER))     /* the deliberate bug: the vGIC never sees the line drop */
            kvm_vgic_irq_line(v, irq, level);
    }
    uint32_t *masked = &this_cpu()->ppi_masked;   /* PPIs 27/30 disabled at this core's GIC bank */
    if (level != !!(*masked & bit)) {
        *masked ^= bit;
        mmio_write32(GICD_PA + (level ? GICD_ICENABLER : GICD_ISENABLER), bit);
    }
}

/* Before an entry: the timer's output is the level of the vCPU's PPI 27.
 * While that level is high the physical PPI 27 is disabled at the GIC, or
 * the still-expired timer would make the guest exit again before it runs
 * an instruction; it is enabled again once the level has dropped (the
 * guest reprogrammed or stopped its timer, seen at the next exit, at the
 * latest the maintenance interrupt of the guest's EOI). */
void kvm_timer_sync(struct kvm_vcpu *v)
{
    const struct kvm_timer_cpu *t = &v->arch.timer;
    int va = armed(t->ctl), pa = armed(t->pctl);
    uint64_t now = va || pa ? read_cntpct() : 0;     /* no counter read when neither is armed */
    timer_line(v, IRQ_VTIMER, va && now >= t->cval + v->arch.cntvoff);
    timer_line(v, IRQ_PTIMER, pa && now >= t->pcval);
}

/* Hyp functions: CNTHP_CVAL (MCRR p15, 6, c14) and CNTHP_CTL (c14, 4, c2, 1) */
static uint32_t __hyp_timer_set(uint32_t lo, uint32_t hi, uint32_t ctl)
{
    write_cp15_64(6, c14, ((uint64_t)hi << 32) | lo);
    write_cp15(4, c14, c2, 1, ctl);
    isb();
    return 0;
}

void host_timer_arm(uint64_t phys_cval)
{
    call_hyp(__hyp_timer_set, (uint32_t)phys_cval, (uint32_t)(phys_cval >> 32), CNT_CTL_ENABLE);
}

void host_timer_cancel(void)
{
    call_hyp(__hyp_timer_set, 0, 0, 0);
}

/* this core's bank of the GIC (GICD_ISENABLER0 and GICC are banked per core) and the distributor */
void host_gic_init(void)
{
    mmio_write32(GICD_PA + GICD_ISENABLER, (1u << HOST_KICK_SGI) |
                 (1u << IRQ_MAINT) | (1u << IRQ_HYP_TIMER) | (1u << IRQ_VTIMER) | (1u << IRQ_PTIMER));
    mmio_write32(GICD_PA + GICD_CTLR, 1);
    mmio_write32(GICC_PA + GICC_PMR, 0xff);
    mmio_write32(GICC_PA + GICC_CTLR, 1);
}

/* make core `core` take an IRQ (an exit if it runs a guest, the end of its WFI if idle) */
void host_send_kick(uint32_t core)
{
    mmio_write32(GICD_PA + GICD_SGIR, (1u << (16 + core)) | HOST_KICK_SGI);
}

/* acknowledge and end every pending physical interrupt; a bit per PPI/SGI seen */
uint32_t host_irq_poll(void)
{
    uint32_t seen = 0;
    for (;;) {
        uint32_t iar = mmio_read32(GICC_PA + GICC_IAR);
        uint32_t id = iar & 0x3ffu;
        if (id >= IRQ_SPURIOUS - 3)
            break;
        if (id < 32)
            seen |= 1u << id;
        if (id == IRQ_HYP_TIMER)
            call_hyp(__hyp_timer_set, 0, 0, 0);
        mmio_write32(GICC_PA + GICC_EOIR, iar);
    }
    return seen;
}

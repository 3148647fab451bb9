/*
 * vgic.c - the virtual GIC of a VM (KVM/ARM: virt/kvm/arm/vgic.c, GICv2
 * spec chapters 4 and 5): the distributor is emulated here, in the host,
 * from the guest's MMIO exits; the CPU interface is the hardware's GICV,
 * mapped at the guest's GICC, fed through the four list registers.
 *
 * Interrupt state per VM (one vCPU): enabled, level (input line, for
 * level-sensitive interrupts), latch (a pending edge, GICD_ISPENDR or an
 * SGI), active, in_lr (queued in a list register). An interrupt is a
 * candidate for injection when the distributor is enabled and it is
 * enabled, pending (latch, or line high if level-sensitive), not active
 * and not already in an LR. Before every entry vgic_flush() puts the
 * candidates into free LRs, highest priority (lowest value) first, ties to
 * the lower ID; a level-sensitive interrupt gets LR.EOI so its EOI raises
 * the maintenance interrupt (an exit) and the line is sampled again; an
 * edge's latch moves into the LR. If candidates remain, GICH_HCR.UIE asks
 * for a maintenance interrupt when the LRs run empty. After every exit
 * vgic_sync() reads the LRs back: an LR in state invalid has been
 * acknowledged and EOIed by the guest. An LR still pending is taken back
 * before the next entry if its level line dropped or the interrupt was
 * disabled (an edge keeps its latch). Not modelled: priority grouping and
 * GICV_PMR when deciding whether WFI may block.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "fault_inject.h"

#define LR_FREE 0xffffu
#define PRIO_MASK 0xf8u     /* 5 priority bits, as GICH_VTR reports */

#define BIT(b, irq)   (((b)[(irq) / 32] >> ((irq) % 32)) & 1u)
#define SETB(b, irq)  ((b)[(irq) / 32] |= 1u << ((irq) % 32))
#define CLRB(b, irq)  ((b)[(irq) / 32] &= ~(1u << ((irq) % 32)))

void vgic_init(struct kvm_vm *vm)
{
    struct vgic_dist *d = &vm->vgic;
    for (int i = 0; i < VGIC_NR_IRQS; i++) {
        d->priority[i] = 0;
        d->targets[i] = i < 32 ? 1 : 0;
    }
    d->edge[0] = 0x0000ffffu;      /* SGIs are edge-triggered; PPIs and SPIs level at reset */
    d->enabled[0] = 0x0000ffffu;   /* SGIs are always enabled (GIC-400) */
    for (int i = 0; i < 4; i++)
        d->lr_irq[i] = LR_FREE;
}

static uint32_t candidates(const struct vgic_dist *d, int w)
{
    if (!(d->ctlr & 1))
        return 0;
    return (d->latch[w] | (d->level[w] & ~d->edge[w])) & d->enabled[w] & ~d->active[w] & ~d->in_lr[w];
}

int vgic_pending(struct kvm_vcpu *v)
{
    const struct vgic_dist *d = &v->vm->vgic;
    if (v->irq_lines)
        return 1;
    for (int w = 0; w < VGIC_WORDS; w++)
        if (candidates(d, w))
            return 1;
    for (int i = 0; i < GICH_NR_LR; i++)
        if (v->arch.vgic.lr[i] & GICH_LR_PENDING)
            return 1;
    return 0;
}

void vgic_flush(struct kvm_vcpu *v)
{
    struct vgic_dist *d = &v->vm->vgic;
    struct kvm_vgic_cpu *g = &v->arch.vgic;
    uint32_t cand[VGIC_WORDS], any = 0;
    /* an LR still pending (not acknowledged) whose interrupt stopped being
     * pending or enabled: take it back, as the GIC's pending state follows a
     * level line and a disabled interrupt is not signalled */
    for (int i = 0; i < GICH_NR_LR; i++) {
        uint32_t irq = d->lr_irq[i];
        if (irq == LR_FREE || (g->lr[i] & GICH_LR_STATE) != GICH_LR_PENDING)
            continue;
        int still = BIT(d->enabled, irq) && (d->ctlr & 1) && (BIT(d->edge, irq) || BIT(d->level, irq));
        if (!still) {
            if (BIT(d->edge, irq) && BIT(d->enabled, irq) == 0)
                SETB(d->latch, irq);       /* an edge stays pending while disabled */
            CLRB(d->in_lr, irq);
            d->lr_irq[i] = LR_FREE;
            g->lr[i] = 0;
        }
    }
    if (FAULT(LR_OVERWRITE_ACTIVE)) {
        /* the deliberate bug: an LR the guest has acknowledged (active) is handed out
         * again, so its EOI finds nothing and the next candidate may take its place */
        for (int i = 0; i < GICH_NR_LR; i++) {
            if (d->lr_irq[i] != LR_FREE && (g->lr[i] & GICH_LR_ACTIVE)) {
                CLRB(d->in_lr, d->lr_irq[i]);
                d->lr_irq[i] = LR_FREE;
                g->lr[i] = 0;
            }
        }
    }
    for (int w = 0; w < VGIC_WORDS; w++)
        any |= cand[w] = candidates(d, w);
    for (int i = 0; i < GICH_NR_LR && any; i++) {
        if (d->lr_irq[i] != LR_FREE)
            continue;
        int best = -1;
        for (int w = 0; w < VGIC_WORDS; w++) {
            uint32_t c = cand[w];
            while (c) {
                int irq = w * 32 + __builtin_ctz(c);
                c &= c - 1;
                if (best < 0 || d->priority[irq] < d->priority[best])
                    best = irq;
            }
        }
        int level = !BIT(d->edge, best);
        g->lr[i] = (uint32_t)best | ((uint32_t)(d->priority[best] >> 3) << GICH_LR_PRIO_SHIFT)
                   | GICH_LR_PENDING | (level ? GICH_LR_EOI : 0);
        d->lr_irq[i] = (uint16_t)best;
        SETB(d->in_lr, best);
        CLRB(d->latch, best);
        CLRB(cand, best);
        any = 0;
        for (int w = 0; w < VGIC_WORDS; w++)
            any |= cand[w];
    }
    g->hcr = GICH_HCR_EN | (any ? GICH_HCR_UIE : 0);
}

void vgic_sync(struct kvm_vcpu *v)
{
    struct vgic_dist *d = &v->vm->vgic;
    struct kvm_vgic_cpu *g = &v->arch.vgic;
    for (int i = 0; i < GICH_NR_LR; i++) {
        uint32_t irq = d->lr_irq[i];
        if (irq == LR_FREE)
            continue;
        uint32_t state = g->lr[i] & GICH_LR_STATE;
        if (state & GICH_LR_ACTIVE)
            SETB(d->active, irq);
        if (state == 0) {            /* acknowledged and EOIed */
            CLRB(d->in_lr, irq);
            CLRB(d->active, irq);
            d->lr_irq[i] = LR_FREE;
            g->lr[i] = 0;
        }
    }
}

int kvm_vgic_irq_line(struct kvm_vm *vm, uint32_t irq, uint32_t level)
{
    struct vgic_dist *d = &vm->vgic;
    if (irq >= VGIC_NR_IRQS)
        return -1;
    if (BIT(d->edge, irq)) {
        if (level && !BIT(d->level, irq))
            SETB(d->latch, irq);
    }
    if (level)
        SETB(d->level, irq);
    else
        CLRB(d->level, irq);
    return 0;
}

/* KVM_IRQ_LINE (seed 001): irq_type[27:24] | vcpu_index[23:16] | irq_number[15:0] */
int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t enc, uint32_t level)
{
    uint32_t type = (enc >> KVM_ARM_IRQ_TYPE_SHIFT) & 0xffu, vcpu = (enc >> KVM_ARM_IRQ_VCPU_SHIFT) & 0xffu;
    uint32_t num = enc & 0xffffu;
    switch (type) {
    case KVM_ARM_IRQ_TYPE_CPU:
        if (vcpu != 0 || num > 1)
            return -1;
        if (level)
            vm->vcpu.irq_lines |= 1u << num;
        else
            vm->vcpu.irq_lines &= ~(1u << num);
        return 0;
    case KVM_ARM_IRQ_TYPE_SPI:
        return num >= 32 ? kvm_vgic_irq_line(vm, num, level) : -1;
    case KVM_ARM_IRQ_TYPE_PPI:
        return vcpu == 0 && num >= 16 && num < 32 ? kvm_vgic_irq_line(vm, num, level) : -1;
    default:
        return -1;
    }
}

/* ---- the distributor's registers ----------------------------------------- */

static const uint8_t gicd_ids[12] = {   /* 0xfd0..0xffc in words: PIDR4..7, PIDR0..3, CIDR0..3 */
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

static uint32_t bitmap_word(const uint32_t *b, uint32_t w)
{
    return w < VGIC_WORDS ? b[w] : 0;
}

static uint32_t byte_word(const uint8_t *a, uint32_t first)
{
    if (first >= VGIC_NR_IRQS)
        return 0;
    return a[first] | (uint32_t)a[first + 1] << 8 | (uint32_t)a[first + 2] << 16 | (uint32_t)a[first + 3] << 24;
}

static uint32_t icfgr_word(const struct vgic_dist *d, uint32_t n)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t irq = n * 16 + i;
        if (irq < VGIC_NR_IRQS && BIT(d->edge, irq))
            v |= 2u << (2 * i);
    }
    return v;
}

static uint32_t dist_read(struct vgic_dist *d, uint32_t off)
{
    if (off == GICD_CTLR)
        return d->ctlr;
    if (off == GICD_TYPER)
        return VGIC_NR_IRQS / 32 - 1;           /* ITLinesNumber; CPUNumber 0 */
    if (off == GICD_IIDR)
        return 0x0200043bu;                     /* ARM, GICv2 */
    if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 0x80)
        return bitmap_word(d->enabled, (off & 0x7f) / 4);
    if (off >= GICD_ISPENDR && off < GICD_ICPENDR + 0x80) {
        uint32_t w = (off & 0x7f) / 4;
        return w < VGIC_WORDS ? d->latch[w] | (d->level[w] & ~d->edge[w]) : 0;
    }
    if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER + 0x80)
        return bitmap_word(d->active, (off & 0x7f) / 4);
    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
        return byte_word(d->priority, off - GICD_IPRIORITYR);
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + 0x400)
        return byte_word(d->targets, off - GICD_ITARGETSR);
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
        return icfgr_word(d, (off - GICD_ICFGR) / 4);
    if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        uint32_t v = 0;
        for (uint32_t i = 0; i < 4; i++)
            v |= BIT(d->latch, (off - GICD_SPENDSGIR) + i) << (8 * i);   /* source CPU 0 */
        return v;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 0x10)
        return dist_read(d, off + 0x10);
    if (off >= 0xfd0)
        return gicd_ids[(off - 0xfd0) / 4];
    return 0;                                   /* IGROUPR and the rest: RAZ/WI */
}

static void set_bits(uint32_t *b, uint32_t w, uint32_t v, int set)
{
    if (w >= VGIC_WORDS)
        return;
    if (set)
        b[w] |= v;
    else
        b[w] &= ~v;
}

static void dist_write(struct kvm_vcpu *vcpu, struct vgic_dist *d, uint32_t off, uint32_t v, uint32_t mask)
{
    v &= mask;
    if (off == GICD_CTLR) {
        d->ctlr = v & 1;
    } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 0x80) {
        uint32_t w = (off & 0x7f) / 4;
        set_bits(d->enabled, w, w == 0 ? v & ~0xffffu : v, off < GICD_ICENABLER);
    } else if (off >= GICD_ISPENDR && off < GICD_ICPENDR + 0x80) {
        uint32_t w = (off & 0x7f) / 4;
        set_bits(d->latch, w, w == 0 ? v & ~0xffffu : v, off < GICD_ICPENDR);
    } else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER + 0x80) {
        set_bits(d->active, (off & 0x7f) / 4, v, off < GICD_ICACTIVER);
    } else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
        for (uint32_t i = 0; i < 4; i++)
            if ((mask >> (8 * i)) & 0xff && off - GICD_IPRIORITYR + i < VGIC_NR_IRQS)
                d->priority[off - GICD_IPRIORITYR + i] = (uint8_t)(v >> (8 * i)) & PRIO_MASK;
    } else if (off >= GICD_ITARGETSR + 32 && off < GICD_ITARGETSR + 0x400) {
        for (uint32_t i = 0; i < 4; i++)
            if ((mask >> (8 * i)) & 0xff && off - GICD_ITARGETSR + i < VGIC_NR_IRQS)
                d->targets[off - GICD_ITARGETSR + i] = (uint8_t)(v >> (8 * i)) & 1;
    } else if (off >= GICD_ICFGR + 4 && off < GICD_ICFGR + 0x100) {
        uint32_t n = (off - GICD_ICFGR) / 4;
        for (uint32_t i = 0; i < 16; i++) {
            uint32_t irq = n * 16 + i;
            if (irq >= VGIC_NR_IRQS || !((mask >> (2 * i + 1)) & 1))
                continue;
            if ((v >> (2 * i + 1)) & 1)
                SETB(d->edge, irq);
            else
                CLRB(d->edge, irq);
        }
    } else if (off == GICD_SGIR) {
        uint32_t filter = (v >> 24) & 3, list = (v >> 16) & 0xff;
        if ((filter == 0 && (list & (1u << vcpu->id))) || filter == 2)
            SETB(d->latch, v & 0xf);
    } else if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        for (uint32_t i = 0; i < 4; i++)
            if ((v >> (8 * i)) & 1)
                SETB(d->latch, off - GICD_SPENDSGIR + i);
    } else if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 0x10) {
        for (uint32_t i = 0; i < 4; i++)
            if ((v >> (8 * i)) & 1)
                CLRB(d->latch, off - GICD_CPENDSGIR + i);
    }
}

/* an access of len bytes at offset: byte lanes of the containing word */
int vgic_dist_mmio(struct kvm_vcpu *v, uint32_t offset, uint32_t len, int write, uint32_t *data)
{
    struct vgic_dist *d = &v->vm->vgic;
    uint32_t shift = 8 * (offset & 3);
    uint32_t lanes = len == 4 ? 0xffffffffu : ((1u << (8 * len)) - 1);
    if (write)
        dist_write(v, d, offset & ~3u, *data << shift, lanes << shift);
    else
        *data = (dist_read(d, offset & ~3u) >> shift) & lanes;
    return 0;
}

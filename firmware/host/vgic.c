/*
 * vgic.c - the virtual GIC of a VM (KVM/ARM: virt/kvm/arm/vgic.c, GICv2
 * spec chapters 4 and 5): the distributor is emulated here, in the host,
 * from the guest's MMIO exits; the CPU interface is the hardware's GICV,
 * mapped at the guest's GICC, fed through the four list registers.
 *
 * vCPUs: each has its own bank for IDs 0-31 (SGIs and PPIs: word 0 of the
 * bitmaps, their priorities, its list-register bookkeeping), the VM's
 * distributor holds the SPIs. An SPI goes to the lowest vCPU its
 * GICD_ITARGETSR byte names (vCPU 0 if none). GICD_SGIR (GICv2 4.3.15) sends
 * SGI n to the vCPUs of its target list (TargetListFilter 0), to every other
 * vCPU (1) or to the writer (2), each pending per source vCPU (sgi_src) as
 * on a GIC: every source is delivered once, with its CPUID in the list
 * register (LR[12:10]), so the guest's GICC_IAR shows it. Making a vCPU
 * blocked in WFI runnable kicks the scheduler.
 *
 * Interrupt state per bank: enabled, level (input line, for
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

/* the vCPU's own bank (IDs 0-31, its LRs) */
static struct vgic_dist *priv(const struct kvm_vcpu *v)
{
    return &v->vm->vgic_priv[v->id];
}

/* word w of bitmap `f` as vCPU v sees it: word 0 banked, the rest the VM's */
#define W(v, f, w)       (*((w) == 0 ? &priv(v)->f[0] : &(v)->vm->vgic.f[(w)]))
#define BIT(v, f, irq)   ((W(v, f, (irq) / 32) >> ((irq) % 32)) & 1u)
#define SETB(v, f, irq)  (W(v, f, (irq) / 32) |= 1u << ((irq) % 32))
#define CLRB(v, f, irq)  (W(v, f, (irq) / 32) &= ~(1u << ((irq) % 32)))
#define PRIO(v, irq)     (*((irq) < 32 ? &priv(v)->priority[(irq)] : &(v)->vm->vgic.priority[(irq)]))
#define CLRW(b, irq)     ((b)[(irq) / 32] &= ~(1u << ((irq) % 32)))

void vgic_init(struct kvm_vm *vm)
{
    struct vgic_dist *d = &vm->vgic;
    for (int i = 0; i < VGIC_NR_IRQS; i++) {
        d->priority[i] = 0;
        d->targets[i] = 0;
    }
    for (int c = 0; c < KVM_MAX_VCPUS; c++) {
        struct vgic_dist *p = &vm->vgic_priv[c];
        p->edge[0] = 0x0000ffffu;      /* SGIs are edge-triggered; PPIs and SPIs level at reset */
        p->enabled[0] = 0x0000ffffu;   /* SGIs are always enabled (GIC-400) */
        for (int i = 0; i < 4; i++)
            p->lr_irq[i] = LR_FREE;
    }
}

/* one bit per vCPU of the VM (target lists, SGI sources) */
static uint32_t vcpu_mask(const struct kvm_vm *vm)
{
    return (1u << vm->nr_vcpus) - 1;
}

/* the vCPU an SPI goes to: the lowest one its target byte names, vCPU 0 if none */
static uint32_t spi_target(const struct kvm_vm *vm, uint32_t irq)
{
    uint32_t t = vm->vgic.targets[irq] & vcpu_mask(vm);
    return t ? (uint32_t)__builtin_ctz(t) : 0;
}

static uint32_t candidates(struct kvm_vcpu *v, int w)
{
    if (!(v->vm->vgic.ctlr & 1))
        return 0;
    uint32_t c = (W(v, latch, w) | (W(v, level, w) & ~W(v, edge, w))) & W(v, enabled, w)
                 & ~W(v, active, w) & ~W(v, in_lr, w);
    if (w > 0 && c && v->vm->nr_vcpus > 1)
        for (uint32_t b = 0; b < 32; b++)
            if (((c >> b) & 1) && spi_target(v->vm, w * 32 + b) != v->id)
                c &= ~(1u << b);
    return c;
}

int vgic_pending(struct kvm_vcpu *v)
{
    if (v->irq_lines)
        return 1;
    for (int w = 0; w < VGIC_WORDS; w++)
        if (candidates(v, w))
            return 1;
    for (int i = 0; i < GICH_NR_LR; i++)
        if (v->arch.vgic.lr[i] & GICH_LR_PENDING)
            return 1;
    return 0;
}

void vgic_flush(struct kvm_vcpu *v)
{
    struct vgic_dist *d = priv(v);
    const uint32_t ctlr = v->vm->vgic.ctlr;
    struct kvm_vgic_cpu *g = &v->arch.vgic;
    uint32_t cand[VGIC_WORDS], any = 0;
    /* an LR still pending (not acknowledged) whose interrupt stopped being
     * pending or enabled: take it back, as the GIC's pending state follows a
     * level line and a disabled interrupt is not signalled */
    for (int i = 0; i < GICH_NR_LR; i++) {
        uint32_t irq = d->lr_irq[i];
        if (irq == LR_FREE || (g->lr[i] & GICH_LR_STATE) != GICH_LR_PENDING)
            continue;
        int still = BIT(v, enabled, irq) && (ctlr & 1) && (BIT(v, edge, irq) || BIT(v, level, irq));
        if (!still) {
            if (BIT(v, edge, irq) && BIT(v, enabled, irq) == 0) {
                SETB(v, latch, irq);       /* an edge stays pending while disabled */
                if (irq < 16)
                    d->sgi_src[irq] |= (uint8_t)(1u << ((g->lr[i] >> GICH_LR_PHYSID_SHIFT) & 7));
            }
            CLRB(v, in_lr, irq);
            d->lr_irq[i] = LR_FREE;
            g->lr[i] = 0;
        }
    }
    if (FAULT(LR_OVERWRITE_ACTIVE)) {
        /* the deliberate bug: an LR the guest has acknowledged (active) is handed out
         * again, so its EOI finds nothing and the next candidate may take its place */
        for (int i = 0; i < GICH_NR_LR; i++) {
            if (d->lr_irq[i] != LR_FREE && (g->lr[i] & GICH_LR_ACTIVE)) {
                CLRB(v, in_lr, d->lr_irq[i]);
                d->lr_irq[i] = LR_FREE;
                g->lr[i] = 0;
            }
        }
    }
    for (int w = 0; w < VGIC_WORDS; w++)
        any |= cand[w] = candidates(v, w);
    for (int i = 0; i < GICH_NR_LR && any; i++) {
        if (d->lr_irq[i] != LR_FREE)
            continue;
        int best = -1;
        for (int w = 0; w < VGIC_WORDS; w++) {
            uint32_t c = cand[w];
            while (c) {
                int irq = w * 32 + __builtin_ctz(c);
                c &= c - 1;
                if (best < 0 || PRIO(v, irq) < PRIO(v, best))
                    best = irq;
            }
        }
        int level = !BIT(v, edge, best);
        uint32_t src = 0;
        if (best < 16) {               /* an SGI: one source at a time, its CPUID in LR[12:10] */
            src = d->sgi_src[best] ? (uint32_t)__builtin_ctz(d->sgi_src[best]) : 0;
            d->sgi_src[best] &= (uint8_t)~(1u << src);
        }
        g->lr[i] = (uint32_t)best | (src << GICH_LR_PHYSID_SHIFT)
                   | ((uint32_t)(PRIO(v, best) >> 3) << GICH_LR_PRIO_SHIFT)
                   | GICH_LR_PENDING | (level ? GICH_LR_EOI : 0);
        d->lr_irq[i] = (uint16_t)best;
        SETB(v, in_lr, best);
        if (best >= 16 || !d->sgi_src[best])
            CLRB(v, latch, best);
        CLRW(cand, best);
        any = 0;
        for (int w = 0; w < VGIC_WORDS; w++)
            any |= cand[w];
    }
    g->hcr = GICH_HCR_EN | (any ? GICH_HCR_UIE : 0);
}

void vgic_sync(struct kvm_vcpu *v)
{
    struct vgic_dist *d = priv(v);
    struct kvm_vgic_cpu *g = &v->arch.vgic;
    for (int i = 0; i < GICH_NR_LR; i++) {
        uint32_t irq = d->lr_irq[i];
        if (irq == LR_FREE)
            continue;
        uint32_t state = g->lr[i] & GICH_LR_STATE;
        if (state & GICH_LR_ACTIVE)
            SETB(v, active, irq);
        if (state == 0) {            /* acknowledged and EOIed */
            CLRB(v, in_lr, irq);
            CLRB(v, active, irq);
            d->lr_irq[i] = LR_FREE;
            g->lr[i] = 0;
        }
    }
}

/* an interrupt was made pending for t: running on another core, that core
 * must exit to see it; blocked in WFI, t can now run */
static void kick_if_woken(struct kvm_vcpu *t)
{
    if (t->loaded || (t->wfi && !t->power_off && vgic_pending(t)))
        kvm_vcpu_kick(t);
}

/* the line of interrupt irq: a PPI of vCPU v, or an SPI of v's VM */
int kvm_vgic_irq_line(struct kvm_vcpu *v, uint32_t irq, uint32_t level)
{
    if (irq >= VGIC_NR_IRQS)
        return -1;
    if (BIT(v, edge, irq)) {
        if (level && !BIT(v, level, irq))
            SETB(v, latch, irq);
    }
    if (level)
        SETB(v, level, irq);
    else
        CLRB(v, level, irq);
    return 0;
}

/* GICD_SGIR from vCPU v (GICv2 4.3.15) */
static void vgic_send_sgi(struct kvm_vcpu *v, uint32_t val)
{
    struct kvm_vm *vm = v->vm;
    uint32_t filter = (val >> 24) & 3, list = (val >> 16) & 0xff, sgi = val & 0xf, targets;
    if (filter == 0)
        targets = list;
    else if (filter == 1)
        targets = ~(1u << v->id);
    else if (filter == 2)
        targets = 1u << v->id;
    else
        return;                         /* reserved */
    if (FAULT(SGIR_NO_TARGETS))         /* the deliberate bug: the SGI goes to the writer */
        targets = 1u << v->id;
    targets &= vcpu_mask(vm);
    for (uint32_t c = 0; c < vm->nr_vcpus; c++) {
        if (!((targets >> c) & 1))
            continue;
        struct kvm_vcpu *t = &vm->vcpus[c];
        vm->vgic_priv[c].sgi_src[sgi] |= (uint8_t)(1u << v->id);
        SETB(t, latch, sgi);
        kick_if_woken(t);
    }
}

/* KVM_IRQ_LINE (seed 001): irq_type[27:24] | vcpu_index[23:16] | irq_number[15:0] */
int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t enc, uint32_t level)
{
    uint32_t type = (enc >> KVM_ARM_IRQ_TYPE_SHIFT) & 0xffu, vcpu = (enc >> KVM_ARM_IRQ_VCPU_SHIFT) & 0xffu;
    uint32_t num = enc & 0xffffu;
    switch (type) {
    case KVM_ARM_IRQ_TYPE_CPU:
        if (vcpu >= vm->nr_vcpus || num > 1)
            return -1;
        if (level)
            vm->vcpus[vcpu].irq_lines |= 1u << num;
        else
            vm->vcpus[vcpu].irq_lines &= ~(1u << num);
        kick_if_woken(&vm->vcpus[vcpu]);
        return 0;
    case KVM_ARM_IRQ_TYPE_SPI:
        if (num < 32 || kvm_vgic_irq_line(&vm->vcpus[0], num, level))
            return -1;
        if (num < VGIC_NR_IRQS)
            kick_if_woken(&vm->vcpus[spi_target(vm, num)]);
        return 0;
    case KVM_ARM_IRQ_TYPE_PPI:              /* vcpu_index names the vCPU whose PPI it is */
        if (vcpu >= vm->nr_vcpus || num < 16 || num >= 32)
            return -1;
        kvm_vgic_irq_line(&vm->vcpus[vcpu], num, level);
        kick_if_woken(&vm->vcpus[vcpu]);
        return 0;
    default:
        return -1;
    }
}

/* ---- the distributor's registers ----------------------------------------- */

static const uint8_t gicd_ids[12] = {   /* 0xfd0..0xffc in words: PIDR4..7, PIDR0..3, CIDR0..3 */
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1
};

/* word w of bitmap register f as vCPU v reads it (RAZ past the implemented IDs) */
#define BITMAP_WORD(v, f, w)  ((w) < VGIC_WORDS ? W(v, f, w) : 0)

/* four byte-per-interrupt fields from a[0], little-endian as the register lays them out */
static uint32_t bytes_word(const uint8_t *a)
{
    return a[0] | (uint32_t)a[1] << 8 | (uint32_t)a[2] << 16 | (uint32_t)a[3] << 24;
}

/* four priority bytes from `first` (IDs below 32 from the vCPU's bank) */
static uint32_t prio_word(struct kvm_vcpu *v, uint32_t first)
{
    if (first >= VGIC_NR_IRQS)
        return 0;
    return bytes_word(first < 32 ? &priv(v)->priority[first] : &v->vm->vgic.priority[first]);
}

static uint32_t targets_word(struct kvm_vcpu *v, uint32_t first)
{
    if (first >= VGIC_NR_IRQS)
        return 0;
    if (first < 32)                       /* SGIs and PPIs: read as the reading CPU's own bit */
        return 0x01010101u << v->id;
    return bytes_word(&v->vm->vgic.targets[first]);
}

static uint32_t icfgr_word(struct kvm_vcpu *v, uint32_t n)
{
    uint32_t r = 0;
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t irq = n * 16 + i;
        if (irq < VGIC_NR_IRQS && BIT(v, edge, irq))
            r |= 2u << (2 * i);
    }
    return r;
}

static uint32_t dist_read(struct kvm_vcpu *v, uint32_t off)
{
    struct kvm_vm *vm = v->vm;
    if (off == GICD_CTLR)
        return vm->vgic.ctlr;
    if (off == GICD_TYPER)
        return (VGIC_NR_IRQS / 32 - 1) | ((vm->nr_vcpus - 1) << 5);   /* ITLinesNumber, CPUNumber */
    if (off == GICD_IIDR)
        return 0x0200043bu;                     /* ARM, GICv2 */
    if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 0x80)
        return BITMAP_WORD(v, enabled, (off & 0x7f) / 4);
    if (off >= GICD_ISPENDR && off < GICD_ICPENDR + 0x80) {
        uint32_t w = (off & 0x7f) / 4;
        return w < VGIC_WORDS ? W(v, latch, w) | (W(v, level, w) & ~W(v, edge, w)) : 0;
    }
    if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER + 0x80)
        return BITMAP_WORD(v, active, (off & 0x7f) / 4);
    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400)
        return prio_word(v, off - GICD_IPRIORITYR);
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + 0x400)
        return targets_word(v, off - GICD_ITARGETSR);
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
        return icfgr_word(v, (off - GICD_ICFGR) / 4);
    if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        uint32_t r = 0;
        for (uint32_t i = 0; i < 4; i++)       /* one bit per source CPU */
            r |= (uint32_t)priv(v)->sgi_src[off - GICD_SPENDSGIR + i] << (8 * i);
        return r;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 0x10)
        return dist_read(v, off + 0x10);
    if (off >= 0xfd0)
        return gicd_ids[(off - 0xfd0) / 4];
    return 0;                                   /* IGROUPR and the rest: RAZ/WI */
}

/* GICD_IS*R / IC*R: set or clear the written ones of word w of bitmap register f
 * (writes past the implemented IDs are ignored) */
#define SET_BITS(v, f, w, val, set)                       \
    do {                                                  \
        if ((w) < VGIC_WORDS) {                           \
            if (set)                                      \
                W(v, f, w) |= (val);                      \
            else                                          \
                W(v, f, w) &= ~(val);                     \
        }                                                 \
    } while (0)

static void dist_write(struct kvm_vcpu *vcpu, uint32_t off, uint32_t v, uint32_t mask)
{
    struct vgic_dist *d = &vcpu->vm->vgic, *p = priv(vcpu);
    v &= mask;
    if (off == GICD_CTLR) {
        d->ctlr = v & 1;
    } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 0x80) {
        uint32_t w = (off & 0x7f) / 4;
        SET_BITS(vcpu, enabled, w, w == 0 ? v & ~0xffffu : v, off < GICD_ICENABLER);
    } else if (off >= GICD_ISPENDR && off < GICD_ICPENDR + 0x80) {
        uint32_t w = (off & 0x7f) / 4;
        SET_BITS(vcpu, latch, w, w == 0 ? v & ~0xffffu : v, off < GICD_ICPENDR);
    } else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER + 0x80) {
        SET_BITS(vcpu, active, (off & 0x7f) / 4, v, off < GICD_ICACTIVER);
    } else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t irq = off - GICD_IPRIORITYR + i;
            if ((mask >> (8 * i)) & 0xff && irq < VGIC_NR_IRQS)
                PRIO(vcpu, irq) = (uint8_t)(v >> (8 * i)) & PRIO_MASK;
        }
    } else if (off >= GICD_ITARGETSR + 32 && off < GICD_ITARGETSR + 0x400) {
        for (uint32_t i = 0; i < 4; i++)
            if ((mask >> (8 * i)) & 0xff && off - GICD_ITARGETSR + i < VGIC_NR_IRQS)
                d->targets[off - GICD_ITARGETSR + i] = (uint8_t)(v >> (8 * i)) & vcpu_mask(vcpu->vm);
    } else if (off >= GICD_ICFGR + 4 && off < GICD_ICFGR + 0x100) {
        uint32_t n = (off - GICD_ICFGR) / 4;
        for (uint32_t i = 0; i < 16; i++) {
            uint32_t irq = n * 16 + i;
            if (irq >= VGIC_NR_IRQS || !((mask >> (2 * i + 1)) & 1))
                continue;
            if ((v >> (2 * i + 1)) & 1)
                SETB(vcpu, edge, irq);
            else
                CLRB(vcpu, edge, irq);
        }
    } else if (off == GICD_SGIR) {
        vgic_send_sgi(vcpu, v);
    } else if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t sgi = off - GICD_SPENDSGIR + i, src = (v >> (8 * i)) & vcpu_mask(vcpu->vm);
            if (src) {
                p->sgi_src[sgi] |= (uint8_t)src;
                SETB(vcpu, latch, sgi);
            }
        }
    } else if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 0x10) {
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t sgi = off - GICD_CPENDSGIR + i;
            p->sgi_src[sgi] &= (uint8_t)~(v >> (8 * i));
            if (!p->sgi_src[sgi])
                CLRB(vcpu, latch, sgi);
        }
    }
}

/* an access of len bytes at offset: byte lanes of the containing word */
int vgic_dist_mmio(struct kvm_vcpu *v, uint32_t offset, uint32_t len, int write, uint32_t *data)
{
    uint32_t shift = 8 * (offset & 3);
    uint32_t lanes = len == 4 ? 0xffffffffu : ((1u << (8 * len)) - 1);
    if (write)
        dist_write(v, offset & ~3u, *data << shift, lanes << shift);
    else
        *data = (dist_read(v, offset & ~3u) >> shift) & lanes;
    return 0;
}

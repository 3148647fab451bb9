/*
 * gic.c - a physical and a virtual interrupt through the GICv2 at the virt
 * addresses (GICD 0x08000000, GICC 0x08010000, GICH 0x08030000, GICV
 * 0x08040000), the way KVM/ARM's vgic uses them.
 *
 *   1. physical: the guest kernel (SVC) sends itself SGI 3 through GICD_SGIR,
 *      sees it in GICC_HPPIR, takes the IRQ, acknowledges it through GICC_IAR
 *      and ends it with GICC_EOIR;
 *   2. virtual: the hypervisor (Hyp, reached by HVC) sets HCR.IMO, enables the
 *      virtual CPU interface (GICH_HCR.En) and puts virtual interrupt 27 in
 *      list register 0 with EOI maintenance; the guest takes it as an IRQ,
 *      acknowledges it through GICV_IAR and ends it through GICV_EOIR; the
 *      hypervisor then sees the LR empty and the EOI in GICH_MISR/EISR/ELRSR.
 *
 * Interrupts arrive at an architectural point: they are made pending while
 * CPSR.I masks them and taken at the `cpsie i` that unmasks them, so the run
 * compares with QEMU instruction by instruction whatever the GIC's latency.
 * Expected values are the GICv2 architecture's (IHI0048B 4.3, 4.4, 5.3).
 */
#include <stdint.h>
#include "exc.h"
#include "test.h"

#define GICD 0x08000000u
#define GICC 0x08010000u
#define GICH 0x08030000u
#define GICV 0x08040000u

#define GICD_CTLR       0x000
#define GICD_ISENABLER0 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xF00
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0C
#define GICC_EOIR       0x10
#define GICC_RPR        0x14
#define GICC_HPPIR      0x18
#define GICH_HCR        0x000
#define GICH_VTR        0x004
#define GICH_MISR       0x010
#define GICH_EISR0      0x020
#define GICH_ELRSR0     0x030
#define GICH_LR0        0x100
#define GICV_CTLR       0x00
#define GICV_PMR        0x04
#define GICV_IAR        0x0C
#define GICV_EOIR       0x10

#define SPURIOUS 1023u
#define HCR_IMO (1u << 4)

/* GICH_LR (IHI0048B 5.3.8): State[29:28] (1 = pending), Priority[27:23],
 * EOI[19], VirtualID[9:0] */
#define LR_PENDING      (1u << 28)
#define LR_PRIORITY(p)  ((uint32_t)(p) << 23)
#define LR_EOI          (1u << 19)

#define CMD_INJECT 1u       /* HCR.IMO, GICH_HCR.En, LR0 := r1 */
#define CMD_STATUS 2u       /* r0 := GICH_LR0, r1 := MISR, r2 := EISR0, r3 := ELRSR0 */

static inline uint32_t rd(uint32_t base, uint32_t off) { return *(volatile uint32_t *)(base + off); }
static inline void wr(uint32_t base, uint32_t off, uint32_t v) { *(volatile uint32_t *)(base + off) = v; }

static volatile uint32_t irq_count, last_iar, use_gicv;

void exc_irq_hook(struct exc_frame *f)
{
    (void)f;
    uint32_t cpu_if = use_gicv ? GICV : GICC;
    uint32_t iar = rd(cpu_if, GICC_IAR);     /* GICV_IAR / GICV_EOIR share the GICC offsets */
    last_iar = iar;
    irq_count++;
    if ((iar & 0x3FF) != SPURIOUS)
        wr(cpu_if, GICC_EOIR, iar);
}

void hyp_exc_hook(struct exc_frame *f, int type)
{
    uint32_t hcr;
    if (type != EXC_HYPTRAP)
        exc_unexpected(f, type, 1);
    switch (f->r[0]) {
    case CMD_INJECT:
        __asm__ volatile("mrc p15, 4, %0, c1, c1, 0" : "=r"(hcr));
        hcr |= HCR_IMO;
        __asm__ volatile("mcr p15, 4, %0, c1, c1, 0\n\tisb" :: "r"(hcr) : "memory");
        wr(GICH, GICH_LR0, f->r[1]);
        wr(GICH, GICH_HCR, 1);
        break;
    case CMD_STATUS:
        f->r[0] = rd(GICH, GICH_LR0);
        f->r[1] = rd(GICH, GICH_MISR);
        f->r[2] = rd(GICH, GICH_EISR0);
        f->r[3] = rd(GICH, GICH_ELRSR0);
        break;
    default:
        exc_unexpected(f, type, 1);
    }
}

struct hyp_status { uint32_t lr0, misr, eisr0, elrsr0; };

static struct hyp_status hvc(uint32_t cmd, uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = cmd;
    register uint32_t r1 __asm__("r1") = arg;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) :: "memory");
    return (struct hyp_status){ r0, r1, r2, r3 };
}

static void unmask_irq_briefly(void)
{
    __asm__ volatile("cpsie i\n\tnop\n\tcpsid i" ::: "memory");
}

static void test_physical_sgi(void)
{
    wr(GICD, GICD_CTLR, 1);
    wr(GICC, GICC_PMR, 0xF0);
    wr(GICC, GICC_CTLR, 1);
    *(volatile uint8_t *)(GICD + GICD_IPRIORITYR + 3) = 0x80;
    CHECK_EQ(rd(GICC, GICC_HPPIR) & 0x3FF, SPURIOUS);
    CHECK_EQ(rd(GICC, GICC_RPR), 0xFF);                 /* idle priority */

    /* SGI 3 to this CPU only (TargetListFilter 2), pended while I is masked */
    wr(GICD, GICD_SGIR, (2u << 24) | 3);
    CHECK_EQ(rd(GICC, GICC_HPPIR), 3);                  /* SGI 3 from CPU 0 */
    uint32_t n0 = irq_count;
    unmask_irq_briefly();
    CHECK_EQ(irq_count - n0, 1);
    CHECK_EQ(last_iar, 3);
    CHECK_EQ(rd(GICC, GICC_HPPIR) & 0x3FF, SPURIOUS);
    CHECK_EQ(rd(GICC, GICC_RPR), 0xFF);                 /* EOI dropped the running priority */
    unmask_irq_briefly();                               /* nothing left pending */
    CHECK_EQ(irq_count - n0, 1);
}

static void test_virtual_interrupt(void)
{
    CHECK_EQ(hvc(CMD_STATUS, 0).elrsr0 & 1, 1);         /* LR0 empty */
    wr(GICV, GICV_PMR, 0xF8);
    wr(GICV, GICV_CTLR, 1);
    use_gicv = 1;
    uint32_t n0 = irq_count;
    hvc(CMD_INJECT, LR_PENDING | LR_PRIORITY(0x10) | LR_EOI | 27);
    struct hyp_status s = hvc(CMD_STATUS, 0);
    CHECK_EQ(s.elrsr0 & 1, 0);                          /* LR0 in use */
    CHECK_EQ(irq_count - n0, 0);                        /* masked by CPSR.I */
    unmask_irq_briefly();
    CHECK_EQ(irq_count - n0, 1);
    CHECK_EQ(last_iar, 27);
    s = hvc(CMD_STATUS, 0);
    CHECK_EQ((s.lr0 >> 28) & 3, 0);                     /* invalid after the EOI */
    CHECK_EQ(s.misr & 1, 1);                            /* MISR.EOI */
    CHECK_EQ(s.eisr0 & 1, 1);                           /* EOI maintenance for LR0 */
    CHECK_EQ(s.elrsr0 & 1, 0);       /* not free while its EOI maintenance is pending */
    use_gicv = 0;
}

int main(void)
{
    CHECK_EQ(rd(GICH, GICH_VTR), 0x90000003);           /* 4 LRs, 5 priority bits */
    CHECK_EQ(rd(GICD, 0x004), 8);                       /* GICD_TYPER: 288 IDs, one CPU */
    CHECK_EQ(rd(GICD, 0x008), 0x43B);                   /* GICD_IIDR: ARM implementer */
    test_physical_sgi();
    test_virtual_interrupt();
    return test_finish("gic");
}

/* gic.h - GICv2 registers and the virtual timer, as a guest on virt sees them */
#ifndef HYPSIM_GUEST_GIC_H
#define HYPSIM_GUEST_GIC_H
#include "guest.h"

#define GICD_BASE       0x08000000u
#define GICC_BASE       0x08010000u
#define GICD_CTLR       (GICD_BASE + 0x000)
#define GICD_ISENABLER(n) (GICD_BASE + 0x100 + 4 * (n))
#define GICD_ICENABLER(n) (GICD_BASE + 0x180 + 4 * (n))
#define GICD_ISPENDR(n) (GICD_BASE + 0x200 + 4 * (n))
#define GICD_ICPENDR(n) (GICD_BASE + 0x280 + 4 * (n))
#define GICD_IPRIORITYR(n) (GICD_BASE + 0x400 + 4 * (n))
#define GICD_SGIR       (GICD_BASE + 0xf00)
#define GICC_CTLR       (GICC_BASE + 0x000)
#define GICC_PMR        (GICC_BASE + 0x004)
#define GICC_IAR        (GICC_BASE + 0x00c)
#define GICC_EOIR       (GICC_BASE + 0x010)
#define SGIR_SELF       (2u << 24)      /* TargetListFilter 0b10: the requesting CPU */

#define IRQ_VTIMER      27
#define IRQ_SPURIOUS    1023

/* the virtual timer (CNTV_TVAL, CNTV_CTL): ENABLE bit 0, IMASK bit 1, ISTATUS bit 2 */
#define CNTV_CTL_ENABLE  1u
#define CNTV_CTL_IMASK   2u
#define CNTV_CTL_ISTATUS 4u
static inline void cntv_tval_write(u32 v) { MCR(0, c14, c3, 0, v); }
static inline void cntv_ctl_write(u32 v) { MCR(0, c14, c3, 1, v); ISB(); }
static inline u32 cntv_ctl_read(void) { return MRC(0, c14, c3, 1); }

/* priority of interrupt id (word read-modify-write: byte access is optional
 * for an emulated distributor) */
static inline void gic_set_priority(int id, u32 prio)
{
    uintptr_t a = GICD_IPRIORITYR(id / 4);
    int sh = 8 * (id % 4);
    mmio_write(a, (mmio_read(a) & ~(0xffu << sh)) | (prio << sh));
}

/* distributor and CPU interface on, everything above priority 0xf0 passes */
static inline void gic_init(void)
{
    mmio_write(GICD_CTLR, 1);
    mmio_write(GICC_PMR, 0xf0);
    mmio_write(GICC_CTLR, 1);
}

#endif

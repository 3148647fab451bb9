/*
 * timer.c - the generic timer (ARM ARM B8) through CP15 c14 and the GIC:
 *   - CNTFRQ as QEMU virt sets it, CNTHCTL's reset value (Hyp);
 *   - the virtual timer: CNTV_TVAL/CNTV_CTL programmed from SVC, WFI with
 *     CPSR.I set waits for its PPI 27 (WFI wakes on a masked interrupt), the
 *     ISTATUS bit, then the IRQ taken at `cpsie i`, acknowledged as ID 27;
 *   - IMASK: a fired but masked timer raises no interrupt;
 *   - CNTHCTL.PL1PCTEN = 0: an SVC read of CNTPCT traps to Hyp with EC 0x04.
 * No counter or TVAL value ever reaches a register that the lockstep
 * comparison with QEMU sees: those depend on time, which QEMU and the RTL
 * measure differently. Interrupts are taken at architectural points only.
 */
#include <stdint.h>
#include "exc.h"
#include "test.h"

#define GICD 0x08000000u
#define GICC 0x08010000u
#define PPI_VTIMER 27u

#define CTL_ENABLE  1u
#define CTL_IMASK   2u
#define CTL_ISTATUS 4u

#define CMD_SET_CNTHCTL 1u

static inline uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }
static inline void wr(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static inline uint32_t cntfrq(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v)); return v; }
static inline uint32_t cntv_ctl(void) { uint32_t v; __asm__ volatile("mrc p15, 0, %0, c14, c3, 1" : "=r"(v)); return v; }
static inline void set_cntv_ctl(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" :: "r"(v)); }
static inline void set_cntv_tval(uint32_t v) { __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n\tisb" :: "r"(v)); }

static volatile uint32_t irq_count, last_iar, trap_hsr, trap_count, cnthctl_at_reset;

int hyp_main(void)
{
    __asm__ volatile("mrc p15, 4, %0, c14, c1, 0" : "=r"(cnthctl_at_reset));
    return 0;
}

void hyp_exc_hook(struct exc_frame *f, int type)
{
    uint32_t hsr;
    __asm__ volatile("mrc p15, 4, %0, c5, c2, 0" : "=r"(hsr));
    if (type != EXC_HYPTRAP)
        exc_unexpected(f, type, 1);
    if ((hsr >> 26) == 0x12 && f->r[0] == CMD_SET_CNTHCTL) {
        __asm__ volatile("mcr p15, 4, %0, c14, c1, 0\n\tisb" :: "r"(f->r[1]));
        return;
    }
    trap_hsr = hsr;
    trap_count++;
    f->pc += 4;                                    /* skip the trapped access */
}

void exc_irq_hook(struct exc_frame *f)
{
    (void)f;
    uint32_t iar = rd(GICC + 0x0C);
    last_iar = iar;
    irq_count++;
    set_cntv_ctl(0);                               /* the guest stops its timer */
    wr(GICC + 0x10, iar);
}

static void set_cnthctl(uint32_t v)
{
    register uint32_t r0 __asm__("r0") = CMD_SET_CNTHCTL;
    register uint32_t r1 __asm__("r1") = v;
    __asm__ volatile("hvc #0" : "+r"(r0) : "r"(r1) : "memory");
}

static void gic_enable_vtimer(void)
{
    wr(GICD + 0x000, 1);                           /* GICD_CTLR */
    wr(GICC + 0x004, 0xF0);                        /* GICC_PMR */
    wr(GICC + 0x000, 1);                           /* GICC_CTLR */
    *(volatile uint8_t *)(GICD + 0x400 + PPI_VTIMER) = 0xA0;
    wr(GICD + 0x100, 1u << PPI_VTIMER);            /* GICD_ISENABLER0 */
}

static void test_identification(void)
{
    CHECK_EQ(cntfrq(), 62500000);                  /* QEMU virt's 62.5 MHz */
    CHECK_EQ(cnthctl_at_reset & 3, 3);             /* PL1PCEN | PL1PCTEN */
}

static void test_virtual_timer_interrupt(void)
{
    gic_enable_vtimer();
    /* masked by IMASK: fires (ISTATUS) but raises nothing */
    set_cntv_tval(0);
    set_cntv_ctl(CTL_ENABLE | CTL_IMASK);
    CHECK_EQ(cntv_ctl(), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
    CHECK_EQ(rd(GICD + 0x200) & (1u << PPI_VTIMER), 0);   /* GICD_ISPENDR0: not pending */

    uint32_t n0 = irq_count;
    set_cntv_tval(2000);
    set_cntv_ctl(CTL_ENABLE);
    /* (no check that it has not fired yet: QEMU's traced run may be slower
     * than 2000 ticks; WFI then returns at once there, and retires once either way) */
    do {
        __asm__ volatile("wfi" ::: "memory");       /* I masked: wakes, does not take it */
    } while (!(cntv_ctl() & CTL_ISTATUS));
    CHECK_EQ(cntv_ctl(), CTL_ENABLE | CTL_ISTATUS);
    CHECK_EQ(irq_count - n0, 0);
    __asm__ volatile("cpsie i\n\tnop\n\tcpsid i" ::: "memory");
    CHECK_EQ(irq_count - n0, 1);
    CHECK_EQ(last_iar, PPI_VTIMER);
    CHECK_EQ(cntv_ctl(), 0);
}

static void test_cnthctl_trap(void)
{
    uint32_t n0 = trap_count;
    set_cnthctl(0);
    __asm__ volatile("mrrc p15, 0, r2, r3, c14" ::: "r2", "r3", "memory");   /* CNTPCT: traps */
    set_cnthctl(3);
    CHECK_EQ(trap_count - n0, 1);
    /* EC 0x04, IL, CV, COND 0xE, Opc1 0, Rt2 3, Rt 2, CRm 14, read */
    CHECK_EQ(trap_hsr, (0x04u << 26) | (1u << 25) | (1u << 24) | (0xEu << 20) | (3u << 10) | (2u << 5)
                       | (14u << 1) | 1u);
}

int main(void)
{
    test_identification();
    test_virtual_timer_interrupt();
    test_cnthctl_trap();
    return test_finish("timer");
}

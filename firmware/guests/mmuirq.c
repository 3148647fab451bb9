/*
 * mmuirq - interrupts taken with the guest's own stage 1 on and its GIC CPU
 * interface mapped at a VA that is not its address (as Linux's ioremap does):
 *   VA 0x08000000             GICD, one 4 KB device page, identity
 *   VA 0x09000000             the UART, one 4 KB device page, identity
 *   VA 0x40000000-...         RAM identity-mapped with 2 MB blocks (size from the DT)
 *   VA 0x7fe00000-0x7fe01fff  GICC (0x08010000, two 4 KB device pages); GICC
 *                             has no identity mapping
 * With the MMU on, the CPU interface is set up, the virtual timer (PPI 27)
 * fires twice and an SGI is sent to this CPU through GICD_SGIR; each is taken
 * after WFI and acknowledged (GICC_IAR) and ended (GICC_EOIR) through the VA.
 * Then the MMU is turned off again. It prints little: each character is an MMIO
 * exit under the hypervisor, and Icarus runs it too. Under the hypervisor GICC is the GICV
 * frame: the IRQ scoreboard must recognise these accesses by their PA.
 */
#include "gic.h"
#include "stage1.h"

const char guest_name[] = "mmuirq";


#define VA_GICC   0x7fe00000u
#define SGI_ID    3
#define MAX_LOG   8

static u64 l1[4] __attribute__((aligned(32)));
static u64 l2_low[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3_gicd[512] __attribute__((aligned(4096)));
static u64 l3_uart[512] __attribute__((aligned(4096)));
static u64 l3_gicc[512] __attribute__((aligned(4096)));

static volatile int taken;
static volatile u32 log_id[MAX_LOG];

/* a GICC register through its VA (offset from the frame) */
static u32 gicc_read(u32 off) { return mmio_read(VA_GICC + off); }
static void gicc_write(u32 off, u32 v) { mmio_write(VA_GICC + off, v); }

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    u32 iar, id;

    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    iar = gicc_read(GICC_IAR - GICC_BASE);
    id = iar & 0x3ff;
    if (id == IRQ_SPURIOUS)
        return;
    if (id == IRQ_VTIMER)
        cntv_ctl_write(0);          /* lower the level before EOI */
    if (taken < MAX_LOG)
        log_id[taken] = id;
    taken++;
    gicc_write(GICC_EOIR - GICC_BASE, iar);
}

/* open the IRQ window after each WFI until one more interrupt was taken */
static void wait_one(void)
{
    int target = taken + 1;

    for (int tries = 0; taken < target && tries < 1000; tries++) {
        WFI();
        IRQ_ENABLE();
        ISB();
        IRQ_DISABLE();
    }
    check_eq("interrupt taken", taken, target);
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 mem = 4u << 20, len = 0;
    const unsigned char *reg;

    (void)r0;
    (void)r1;
    reg = fdt_getprop(dtb, "/memory", "reg", &len);
    if (reg && len == 16 && fdt_be32(reg + 8) == 0)
        mem = fdt_be32(reg + 12);

    l1[0] = table(l2_low);
    l1[1] = table(l2_ram);
    l2_low[GICD_BASE >> 21] = table(l3_gicd);
    l2_low[0x09000000u >> 21] = table(l3_uart);
    l3_gicd[0] = device_page(GICD_BASE);            /* GICD at 0x08000000 only, not GICC */
    l3_uart[0] = device_page(0x09000000u);
    for (u32 i = 0; i < (mem >> 21) && i < 256; i++)
        l2_ram[i] = normal_block(0x40000000u + (i << 21));
    l2_ram[(VA_GICC - 0x40000000u) >> 21] = table(l3_gicc);
    l3_gicc[0] = device_page(GICC_BASE);
    l3_gicc[1] = device_page(GICC_BASE + 0x1000u);

    stage1_on(l1);
    printf("gicc at va %x\n", VA_GICC);

    mmio_write(GICD_CTLR, 1);
    gicc_write(GICC_PMR - GICC_BASE, 0xf0);
    gicc_write(GICC_CTLR - GICC_BASE, 1);
    check_eq("GICC_PMR readback", gicc_read(GICC_PMR - GICC_BASE) & 0xf0, 0xf0);
    gic_set_priority(IRQ_VTIMER, 0xa0);
    gic_set_priority(SGI_ID, 0xa0);
    mmio_write(GICD_ISENABLER(0), 1u << IRQ_VTIMER);

    for (int i = 0; i < 2; i++) {                   /* the virtual timer, twice */
        cntv_tval_write(400);
        cntv_ctl_write(CNTV_CTL_ENABLE);
        wait_one();
    }
    mmio_write(GICD_SGIR, SGIR_SELF | SGI_ID);      /* an SGI to this CPU */
    DSB();
    wait_one();
    printf("irqs %u %u %u\n", log_id[0], log_id[1], log_id[2]);

    MCR(0, c1, c0, 0, MRC(0, c1, c0, 0) & ~SCTLR_M);
    ISB();
    check_eq("SCTLR.M off", MRC(0, c1, c0, 0) & SCTLR_M, 0);
    guest_finish();
    return 0;
}

/*
 * uart - the PL011 as a guest kernel's driver sees it, including its
 * interrupt: the PrimeCell ID registers, the control registers' reset
 * values and read-back, and the transmit interrupt (SPI 1 = GIC ID 33,
 * level): unmasked in UARTIMSC after a character was sent, it must be
 * pending at the GIC, taken, seen in UARTMIS, cleared with UARTICR, and
 * not taken again; raised again and dropped while IRQs are masked, it must
 * not be taken (the GIC's pending state follows a level line). Under the hypervisor every access here is an MMIO exit
 * to the VMM (or the in-firmware model), and the interrupt line travels as
 * KVM_IRQ_LINE into the vGIC; natively it is QEMU's pl011.
 */
#include "gic.h"

const char guest_name[] = "uart";

#define UART_BASE 0x09000000u
#define UARTDR    (UART_BASE + 0x000)
#define UARTFR    (UART_BASE + 0x018)
#define UARTIBRD  (UART_BASE + 0x024)
#define UARTFBRD  (UART_BASE + 0x028)
#define UARTLCR_H (UART_BASE + 0x02c)
#define UARTCR    (UART_BASE + 0x030)
#define UARTIFLS  (UART_BASE + 0x034)
#define UARTIMSC  (UART_BASE + 0x038)
#define UARTRIS   (UART_BASE + 0x03c)
#define UARTMIS   (UART_BASE + 0x040)
#define UARTICR   (UART_BASE + 0x044)
#define UART_TXIM (1u << 5)
#define UART_IRQ  33

static volatile u32 taken, mis_seen;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type != EXC_IRQ)
        guest_unexpected(type, f);
    u32 iar = mmio_read(GICC_IAR);
    if ((iar & 0x3ff) == UART_IRQ) {
        taken++;
        mis_seen = mmio_read(UARTMIS);
        mmio_write(UARTICR, UART_TXIM);     /* drop the line before EOI */
    }
    mmio_write(GICC_EOIR, iar);
}

static void irq_window(void)
{
    IRQ_ENABLE();
    ISB();
    for (int i = 0; i < 8; i++)
        __asm__ volatile("nop");
    IRQ_DISABLE();
}

int main(u32 r0, u32 r1, const void *dtb)
{
    (void)r0; (void)r1; (void)dtb;
    printf("uart: PL011 registers and its interrupt\n");
    printf("periph id %02x %02x %02x %02x, cell id %02x %02x %02x %02x\n",
           mmio_read(UART_BASE + 0xfe0), mmio_read(UART_BASE + 0xfe4), mmio_read(UART_BASE + 0xfe8),
           mmio_read(UART_BASE + 0xfec), mmio_read(UART_BASE + 0xff0), mmio_read(UART_BASE + 0xff4),
           mmio_read(UART_BASE + 0xff8), mmio_read(UART_BASE + 0xffc));
    printf("fr 0x%02x (tx empty %u)\n", mmio_read(UARTFR) & 0xb8, (mmio_read(UARTFR) >> 7) & 1);
    mmio_write(UARTIBRD, 13);
    mmio_write(UARTFBRD, 1);
    mmio_write(UARTLCR_H, 0x70);            /* 8 bits, FIFOs on */
    check_eq("IBRD read back", mmio_read(UARTIBRD), 13);
    check_eq("FBRD read back", mmio_read(UARTFBRD), 1);
    check_eq("LCR_H read back", mmio_read(UARTLCR_H), 0x70);
    check_eq("IMSC at reset", mmio_read(UARTIMSC), 0);
    printf("byte read of IBRD: %u\n", *(volatile unsigned char *)UARTIBRD);
    /* signed loads (LDRSB, LDRSH): the MMIO exit's SSE, sign-extended by the host */
    mmio_write(UARTIBRD, 0x8001);
    int fr_sb, ibrd_sh;
    __asm__ volatile("ldrsb %0, [%1]" : "=r"(fr_sb) : "r"(UARTFR) : "memory");
    __asm__ volatile("ldrsh %0, [%1]" : "=r"(ibrd_sh) : "r"(UARTIBRD) : "memory");
    printf("signed reads: FR byte %d, IBRD halfword %d\n", fr_sb, ibrd_sh);
    mmio_write(UARTIBRD, 13);

    gic_init();
    gic_set_priority(UART_IRQ, 0x80);
    mmio_write(GICD_BASE + 0x800 + 32, 0x01010101);     /* ITARGETSR: SPIs 32-35 to CPU 0 */
    mmio_write(GICD_ISENABLER(1), 1u << (UART_IRQ - 32));

    mmio_write(UARTICR, 0x7ff);
    printf("ris after icr: 0x%x\n", mmio_read(UARTRIS) & UART_TXIM);   /* the printf itself sends */
    mmio_write(UARTICR, 0x7ff);
    mmio_write(UARTIMSC, UART_TXIM);
    irq_window();
    printf("tx interrupt unmasked with nothing sent: %u taken\n", taken);
    mmio_write(UARTDR, '.');                 /* a character: TXRIS, the line goes high */
    DSB();
    irq_window();
    mmio_write(UARTDR, '\n');
    printf("after a character: %u taken, mis 0x%x\n", taken, mis_seen);
    mmio_write(UARTIMSC, 0);
    mmio_write(UARTICR, 0x7ff);
    irq_window();
    printf("masked again: %u taken in all\n", taken);
    /* the '\n' raised the line again while IRQs were masked, but it dropped
     * (IMSC = 0, ICR) before the next window: a level interrupt is no longer
     * pending then, so it is not taken */
    check_eq("interrupts taken", taken, 1);
    check_eq("UARTMIS in the handler", mis_seen, UART_TXIM);
    guest_finish();
    return 0;
}

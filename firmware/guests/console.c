/*
 * console.c - the guests' PL011 console driver (uart_putc/uart_puts of
 * lib/uart.h, which lib/printf.c calls), written the way a kernel driver
 * fills a FIFO: wait until UARTFR says the transmit FIFO is empty (TXFE),
 * then write up to PL011_FIFO characters without looking again. The PL011's
 * FIFO is 16 deep (ARM DDI 0183, 2.4.3). Under a hypervisor every UART
 * access is an MMIO exit, so this costs about one exit per character rather
 * than two (the bare-metal programs' lib/uart.c polls FR before each one).
 */
#include <stdint.h>
#include "uart.h"

#define PL011_FIFO 16
#define UART_FR_TXFE (1u << 7)
#define REG(off) (*(volatile uint32_t *)(UART_BASE + (off)))

static unsigned fifo_room;

void uart_init(void)
{
    REG(UART_CR) = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
}

void uart_putc(int c)
{
    if (fifo_room == 0) {
        while (!(REG(UART_FR) & UART_FR_TXFE))
            ;
        fifo_room = PL011_FIFO;
    }
    fifo_room--;
    REG(UART_DR) = (uint32_t)(c & 0xff);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

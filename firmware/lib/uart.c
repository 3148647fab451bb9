/* uart.c - PL011 transmit only (QEMU virt / hypsim SoC at 0x09000000). */
#include <stdint.h>
#include "uart.h"

#define REG(off) (*(volatile uint32_t *)(UART_BASE + (off)))

void uart_init(void)
{
    REG(UART_CR) = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
}

void uart_putc(int c)
{
    while (REG(UART_FR) & UART_FR_TXFF)
        ;
    REG(UART_DR) = (uint32_t)(c & 0xff);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

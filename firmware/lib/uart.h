#ifndef HYPSIM_UART_H
#define HYPSIM_UART_H

#define UART_BASE    0x09000000u
#define UART_DR      0x000
#define UART_FR      0x018
#define UART_CR      0x030
#define UART_FR_TXFF (1u << 5)
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE  (1u << 8)
#define UART_CR_RXE  (1u << 9)

void uart_init(void);
void uart_putc(int c);
void uart_puts(const char *s);   /* no newline appended */

#endif

#ifndef HYPSIM_PRINTF_H
#define HYPSIM_PRINTF_H
#include <stdarg.h>

/*
 * Small printf to the UART.  Conversions: %d %i %u %x %X %c %s %p %%,
 * length modifiers l (32-bit, same as none) and ll (64-bit), flags '0' and
 * '-', a decimal field width.  Returns the number of characters written.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);   /* appends '\n' */

#endif

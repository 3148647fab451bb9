/* printf.c - a small formatted printer on top of uart_putc. */
#include <stdint.h>
#include "printf.h"
#include "uart.h"

/* Convert v to digits in buf (reversed); returns the digit count. */
static int utoa_rev(char *buf, unsigned long long v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;

    if (base == 16) {
        do {
            buf[n++] = digits[v & 15];
            v >>= 4;
        } while (v);
        return n;
    }
    /* base 10: split off 64-bit values in chunks of 10^9 so that the inner
     * loop only needs 32-bit (hardware) division */
    while (v >> 32) {
        uint32_t chunk = (uint32_t)(v % 1000000000u);
        v /= 1000000000u;
        for (int i = 0; i < 9; i++) {
            buf[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    uint32_t w = (uint32_t)v;
    do {
        buf[n++] = (char)('0' + w % 10);
        w /= 10;
    } while (w);
    return n;
}

static int pad(int c, int n)
{
    for (int i = 0; i < n; i++)
        uart_putc(c);
    return n > 0 ? n : 0;
}

int vprintf(const char *fmt, va_list ap)
{
    int count = 0;

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            uart_putc(*fmt);
            count++;
            continue;
        }
        fmt++;
        int zero = 0, left = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') zero = 1;
            else if (*fmt == '-') left = 1;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }

        char buf[24];
        const char *s = buf;
        int len = 0, neg = 0, rev = 0;
        unsigned long long u;

        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : (long long)va_arg(ap, int);
            neg = v < 0;
            u = neg ? 0ull - (unsigned long long)v : (unsigned long long)v;
            len = utoa_rev(buf, u, 10, 0);
            rev = 1;
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'p':
            if (*fmt == 'p')
                u = (uintptr_t)va_arg(ap, void *);
            else
                u = lng >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
            len = utoa_rev(buf, u, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            rev = 1;
            break;
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            len = 1;
            break;
        case 's':
            s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            while (s[len])
                len++;
            break;
        case '%':
            buf[0] = '%';
            len = 1;
            break;
        case '\0':
            return count;
        default:        /* unknown conversion: print it verbatim */
            buf[0] = '%';
            buf[1] = *fmt;
            len = 2;
            break;
        }

        int total = len + neg;
        if (!left && !zero)
            count += pad(' ', width - total);
        if (neg) {
            uart_putc('-');
            count++;
        }
        if (!left && zero)
            count += pad('0', width - total);
        if (rev) {
            for (int i = len - 1; i >= 0; i--)
                uart_putc(buf[i]);
        } else {
            for (int i = 0; i < len; i++)
                uart_putc(s[i]);
        }
        count += len;
        if (left)
            count += pad(' ', width - total);
    }
    return count;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    int n = 0;
    while (s[n])
        uart_putc(s[n++]);
    uart_putc('\n');
    return n + 1;
}

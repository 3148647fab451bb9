/*
 * aeabi.c - the run-time helpers gcc calls for integer C on ARMv7VE,
 * written for ARM state (the libgcc multilib for -mfloat-abi=soft on v7-A
 * is Thumb code, which the hypsim core cannot execute).
 *
 * 32-bit division uses the SDIV/UDIV instructions (armv7ve has them), so gcc
 * inlines it; __aeabi_[u]idiv[mod] exist only for completeness.  64-bit
 * division is a normalised shift-and-subtract loop (one iteration per
 * quotient bit that can be non-zero).
 *
 * Division by zero: quotient 0, remainder = dividend (deterministic; C
 * leaves it undefined and the programs never rely on it).
 */
#include <stdint.h>

typedef unsigned long long u64;
typedef long long s64;

u64 hypsim_udivmoddi4(u64 n, u64 d, u64 *rem);

u64 hypsim_udivmoddi4(u64 n, u64 d, u64 *rem)
{
    if (d == 0 || n < d) {
        *rem = n;
        return 0;
    }
    if ((n >> 32) == 0) {       /* both fit in 32 bits: hardware divide */
        uint32_t q = (uint32_t)n / (uint32_t)d;
        *rem = (uint32_t)n - q * (uint32_t)d;
        return q;
    }
    uint32_t nh = (uint32_t)(n >> 32), dh = (uint32_t)(d >> 32);
    int lz_n = __builtin_clz(nh);                      /* nh != 0 */
    int lz_d = dh ? __builtin_clz(dh) : 32 + __builtin_clz((uint32_t)d);
    int shift = lz_d - lz_n;                           /* >= 0 since n >= d */
    u64 q = 0;

    d <<= shift;
    for (int i = 0; i <= shift; i++) {
        q <<= 1;
        if (n >= d) {
            n -= d;
            q |= 1;
        }
        d >>= 1;
    }
    *rem = n;
    return q;
}

/* Signed: quotient truncates toward zero, remainder has the dividend's sign. */
s64 hypsim_divmoddi4(s64 n, s64 d, s64 *rem);

s64 hypsim_divmoddi4(s64 n, s64 d, s64 *rem)
{
    int nneg = n < 0, dneg = d < 0;
    u64 un = nneg ? 0ull - (u64)n : (u64)n;
    u64 ud = dneg ? 0ull - (u64)d : (u64)d;
    u64 ur;
    u64 uq = hypsim_udivmoddi4(un, ud, &ur);

    *rem = (s64)(nneg ? 0ull - ur : ur);
    return (s64)((nneg ^ dneg) ? 0ull - uq : uq);
}

/* Plain libgcc-style entry points, in case gcc calls them. */
u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
s64 __divdi3(s64 n, s64 d);
s64 __moddi3(s64 n, s64 d);
u64 __udivdi3(u64 n, u64 d) { u64 r; return hypsim_udivmoddi4(n, d, &r); }
u64 __umoddi3(u64 n, u64 d) { u64 r; hypsim_udivmoddi4(n, d, &r); return r; }
s64 __divdi3(s64 n, s64 d) { s64 r; return hypsim_divmoddi4(n, d, &r); }
s64 __moddi3(s64 n, s64 d) { s64 r; hypsim_divmoddi4(n, d, &r); return r; }

/* 32-bit division helpers (gcc inlines SDIV/UDIV for armv7ve). */
unsigned __aeabi_uidiv(unsigned n, unsigned d);
int __aeabi_idiv(int n, int d);
unsigned __aeabi_uidiv(unsigned n, unsigned d) { return d ? n / d : 0; }
int __aeabi_idiv(int n, int d)
{
    if (d == 0)
        return 0;
    if (d == -1)
        return (int)(0u - (unsigned)n);     /* INT_MIN / -1 wraps, as SDIV */
    return n / d;
}

/* Bit counting (__builtin_popcount has no instruction on ARMv7). */
int __popcountsi2(uint32_t x);
int __popcountdi2(u64 x);
int __popcountsi2(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    return (int)((x * 0x01010101u) >> 24);
}
int __popcountdi2(u64 x)
{
    return __popcountsi2((uint32_t)x) + __popcountsi2((uint32_t)(x >> 32));
}

int __clzsi2(uint32_t x);
int __ctzsi2(uint32_t x);
int __clzdi2(u64 x);
int __ctzdi2(u64 x);
int __clzsi2(uint32_t x) { return x ? __builtin_clz(x) : 32; }
int __ctzsi2(uint32_t x) { return x ? __builtin_ctz(x) : 32; }
int __clzdi2(u64 x)
{
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? __clzsi2(hi) : 32 + __clzsi2((uint32_t)x);
}
int __ctzdi2(u64 x)
{
    uint32_t lo = (uint32_t)x;
    return lo ? __ctzsi2(lo) : 32 + __ctzsi2((uint32_t)(x >> 32));
}

/* 64-bit multiply (gcc normally inlines UMULL/MLA). */
u64 __aeabi_lmul(u64 a, u64 b);
u64 __aeabi_lmul(u64 a, u64 b)
{
    uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
    uint32_t bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
    u64 lo = (u64)al * bl;
    return lo + ((u64)(al * bh + ah * bl) << 32);
}

/* 64-bit compares: -1, 0, 1 */
int __aeabi_lcmp(s64 a, s64 b);
int __aeabi_ulcmp(u64 a, u64 b);
int __aeabi_lcmp(s64 a, s64 b) { return a < b ? -1 : a > b; }
int __aeabi_ulcmp(u64 a, u64 b) { return a < b ? -1 : a > b; }

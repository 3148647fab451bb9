/*
 * divide.c - 32-bit division and modulo edge cases.  Every pair is checked
 * with the defining identities of C99 truncating division:
 *     q * d + r == n,   |r| < |d|,   r == 0 or sign(r) == sign(n)
 * (and for unsigned: r < d).  Division by constants (which gcc turns into
 * multiply-high sequences at -O2) is compared with division by the same
 * value hidden from the compiler.  INT_MIN / -1 and x / 0 are undefined in
 * C and are not evaluated here (the SDIV/UDIV behaviour is tested in
 * isa/div.S).
 */
#include <stdint.h>
#include "test.h"

static volatile int32_t v_ns[] = {
    0, 1, -1, 7, -7, 0x7fffffff, (int32_t)0x80000000, 12345678, -12345678, 1000,
};
static volatile int32_t v_ds[] = {
    1, -1, 2, -2, 3, 7, -7, 0x7fffffff, (int32_t)0x80000000, 1000,
};
#define N_NS (sizeof(v_ns) / sizeof(v_ns[0]))
#define N_DS (sizeof(v_ds) / sizeof(v_ds[0]))

static int32_t iabs(int32_t x) { return x < 0 ? -x : x; }

int main(void)
{
    int pairs = 0;

    for (unsigned i = 0; i < N_NS; i++) {
        for (unsigned j = 0; j < N_DS; j++) {
            int32_t n = v_ns[i], d = v_ds[j];
            if (n == (int32_t)0x80000000 && d == -1)
                continue;                               /* overflow: UB */
            int32_t q = n / d, r = n % d;
            CHECK_EQ((int32_t)((uint32_t)q * (uint32_t)d + (uint32_t)r), n);
            /* |r| < |d| (|INT_MIN| is compared as unsigned) */
            CHECK((uint32_t)iabs(r) < (d == (int32_t)0x80000000 ? 0x80000000u : (uint32_t)iabs(d)));
            CHECK(r == 0 || (r < 0) == (n < 0));

            uint32_t un = (uint32_t)n, ud = (uint32_t)d;
            uint32_t uq = un / ud, ur = un % ud;
            CHECK_EQ(uq * ud + ur, un);
            CHECK(ur < ud);
            pairs++;
        }
    }
    CHECK_EQ(pairs, (int)(N_NS * N_DS - 1));

    /* a few exact values */
    int32_t m7 = v_ns[4], p7 = v_ns[3];
    CHECK_EQ(m7 / 2, -3);
    CHECK_EQ(m7 % 2, -1);
    CHECK_EQ(p7 / -2, -3);
    CHECK_EQ(p7 % -2, 1);
    CHECK_EQ((int32_t)0x80000000 / v_ds[2], (int32_t)0xc0000000);
    CHECK_EQ(0x80000000u / (uint32_t)v_ds[2], 0x40000000u);
    CHECK_EQ(0xffffffffu / (uint32_t)v_ds[7], 2u);        /* (2^32-1)/(2^31-1) */
    CHECK_EQ(0xffffffffu % (uint32_t)v_ds[7], 1u);

    /* constant divisors (reciprocal multiplication at -O2) */
    int bad = 0;
    uint32_t x = 0x9e3779b9u;                           /* golden-ratio step */
    for (int k = 0; k < 24; k++) {
        volatile uint32_t d10 = 10, d7 = 7, d3 = 3, d1000 = 1000;
        int32_t sx = (int32_t)x;
        volatile int32_t sd10 = 10, sd7 = -7;
        if (x / 10 != x / d10 || x % 10 != x % d10) bad++;
        if (x / 7 != x / d7 || x % 7 != x % d7) bad++;
        if (x / 3 != x / d3 || x % 3 != x % d3) bad++;
        if (x / 1000 != x / d1000) bad++;
        if (sx / 10 != sx / sd10 || sx % 10 != sx % sd10) bad++;
        if (sx / -7 != sx / sd7 || sx % -7 != sx % sd7) bad++;
        if ((x >> 4) != x / 16u) bad++;
        x = x * 0x9e3779b9u + 0x7f4a7c15u;
    }
    CHECK_EQ(bad, 0);

    return test_finish("divide");
}

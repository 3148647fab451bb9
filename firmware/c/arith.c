/*
 * arith.c - 32-bit integer arithmetic as gcc compiles it: wrap-around of
 * unsigned (and, through conversions, signed) values, shifts, signed and
 * unsigned comparison, promotions and truncations, and closed forms.
 * Inputs go through volatile variables so that -O2 cannot fold the checks.
 */
#include <stdint.h>
#include "test.h"

static volatile uint32_t v_umax = 0xffffffffu;
static volatile int32_t v_imax = 0x7fffffff;
static volatile int32_t v_minus1 = -1;
static volatile int32_t v_n = 100;
static volatile int32_t v_neg7 = -7;
static volatile int32_t v_three = 3;

/* 32-bit LCG (Numerical Recipes constants) */
#define LCG_A 1664525u
#define LCG_C 1013904223u

static uint32_t lcg_iter(uint32_t x, unsigned n)
{
    while (n--)
        x = LCG_A * x + LCG_C;
    return x;
}

/*
 * Jump ahead by composing the affine map x -> a*x + c with itself
 * (square-and-multiply): (a1, c1) after (a2, c2) = (a1*a2, a1*c2 + c1).
 */
static uint32_t lcg_jump(uint32_t x, unsigned n)
{
    uint32_t acc_a = 1, acc_c = 0;      /* identity */
    uint32_t a = LCG_A, c = LCG_C;      /* the map applied 2^k times */
    while (n) {
        if (n & 1) {
            acc_c = a * acc_c + c;
            acc_a = a * acc_a;
        }
        c = a * c + c;
        a = a * a;
        n >>= 1;
    }
    return acc_a * x + acc_c;
}

int main(void)
{
    uint32_t umax = v_umax;
    int32_t imax = v_imax, m1 = v_minus1, n = v_n, neg7 = v_neg7, three = v_three;

    /* ---- wrap-around ----------------------------------------------------- */
    CHECK_EQ(umax + 1u, 0u);
    CHECK_EQ(0u - (umax - 0xfffffffeu), 0xffffffffu);    /* 0 - 1 */
    CHECK_EQ((int32_t)((uint32_t)imax + 1u), (int32_t)0x80000000);
    CHECK_EQ((uint32_t)(umax * umax), 1u);                /* (-1)^2 mod 2^32 */
    CHECK_EQ((uint32_t)n * 0x02000000u, 0xc8000000u);     /* 100 * 2^25 mod 2^32 */
    CHECK_EQ((uint32_t)0x10000u * (uint32_t)(0x10001u + (uint32_t)n - 100u), 0x10000u);
    CHECK_EQ((uint32_t)(-(uint32_t)n), 0xffffff9cu);

    /* ---- division and modulo truncate toward zero (C99) ------------------- */
    CHECK_EQ(neg7 / three, -2);
    CHECK_EQ(neg7 % three, -1);
    CHECK_EQ(-neg7 / -three, -2);
    CHECK_EQ(-neg7 % -three, 1);
    CHECK_EQ((neg7 / three) * three + neg7 % three, neg7);

    /* ---- shifts ---------------------------------------------------------- */
    CHECK_EQ(1u << (n - 69), 0x80000000u);
    CHECK_EQ(0x80000000u >> (n - 69), 1u);
    CHECK_EQ((-16 * (n / 100)) >> 2, -4);                /* arithmetic (gcc) */
    CHECK_EQ(m1 >> 31, -1);
    CHECK_EQ((uint32_t)m1 >> 31, 1u);
    CHECK_EQ((uint32_t)m1 >> (n - 99), 0x7fffffffu);
    CHECK_EQ((umax << 4) >> 4, 0x0fffffffu);
    for (int s = 0; s < 32; s++) {
        uint32_t x = 1u << s;
        CHECK_EQ(x >> s, 1u);
        CHECK_EQ((uint32_t)((int32_t)0x80000000 >> s) , ~(0x7fffffffu >> s));
    }
    uint32_t r = 0x12345678u;
    uint32_t rs = (uint32_t)n - 92u;                      /* 8 */
    CHECK_EQ((r >> rs) | (r << (32 - rs)), 0x78123456u);  /* rotate right */

    /* ---- comparisons ------------------------------------------------------ */
    CHECK(m1 < 1);
    CHECK((uint32_t)m1 > 1u);                            /* usual conversion */
    CHECK(imax > m1);
    CHECK((uint32_t)imax < (uint32_t)m1);
    CHECK((int32_t)0x80000000 < imax);
    CHECK((uint32_t)0x80000000 > (uint32_t)imax);
    CHECK(!(n < n) && n <= n && n >= n && !(n > n));
    int le = 0, gt = 0;
    for (int32_t i = -3; i <= 3; i++) {
        if (i <= 0) le++;
        if ((uint32_t)i > 3u) gt++;                      /* negatives are huge */
    }
    CHECK_EQ(le, 4);
    CHECK_EQ(gt, 3);

    /* ---- promotions and truncation --------------------------------------- */
    uint8_t b = (uint8_t)(n * 3);                         /* 300 -> 44 */
    CHECK_EQ(b, 44);
    int8_t sb = (int8_t)(n * 2);                          /* 200 -> -56 */
    CHECK_EQ(sb, -56);
    int16_t sh = (int16_t)(n * 400);                      /* 40000 -> -25536 */
    CHECK_EQ(sh, -25536);
    uint16_t us = (uint16_t)(m1);
    CHECK_EQ(us, 0xffffu);
    CHECK_EQ(sb + b, -12);                                /* both promote to int */
    uint8_t b2 = 0xf0;
    CHECK_EQ((uint8_t)~b2, 0x0f);
    CHECK_EQ(~b2, (int32_t)0xffffff0f);                   /* ~ after promotion */

    /* ---- closed forms ----------------------------------------------------- */
    uint32_t sum = 0, sumsq = 0, sumcube = 0, odd = 0;
    for (int32_t i = 1; i <= n; i++) {
        sum += (uint32_t)i;
        sumsq += (uint32_t)(i * i);
        sumcube += (uint32_t)(i * i * i);
        odd += (uint32_t)(2 * i - 1);
    }
    uint32_t un = (uint32_t)n;
    CHECK_EQ(sum, un * (un + 1) / 2);                     /* 5050 */
    CHECK_EQ(sumsq, un * (un + 1) * (2 * un + 1) / 6);    /* 338350 */
    CHECK_EQ(sumcube, sum * sum);                         /* Nicomachus */
    CHECK_EQ(odd, un * un);

    /* ---- identities --------------------------------------------------------- */
    uint32_t x = 0x12345678u ^ (uint32_t)n;
    CHECK_EQ(x ^ x, 0u);
    CHECK_EQ(~x, (uint32_t)(-(int32_t)x - 1));
    CHECK_EQ(x & (0u - x), 0x4u);                         /* lowest set bit */
    CHECK_EQ((x | ~x), 0xffffffffu);
    CHECK_EQ((x & ~x), 0u);
    CHECK_EQ(x + ~x, 0xffffffffu);
    CHECK_EQ((x + (x << 3)) - x, x * 8u);
    CHECK_EQ(imax < m1 ? imax : m1, -1);
    CHECK_EQ((n > 50) + (n > 150) * 2, 1);

    /* ---- LCG: iteration vs. jump-ahead ----------------------------------- */
    uint32_t seed = (uint32_t)n * 12345u;
    CHECK_EQ(lcg_iter(seed, 1), LCG_A * seed + LCG_C);
    CHECK_EQ(lcg_iter(seed, 50), lcg_jump(seed, 50));
    CHECK_EQ(lcg_iter(seed, 77), lcg_jump(seed, 77));
    CHECK_EQ(lcg_jump(seed, 0), seed);
    printf("lcg(%u, 77) = %08x\n", (unsigned)seed, (unsigned)lcg_jump(seed, 77));

    return test_finish("arith");
}

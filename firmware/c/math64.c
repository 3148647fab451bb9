/*
 * math64.c - 64-bit integer arithmetic: add/sub with carries across the
 * 32-bit halves, multiplication (checked against a schoolbook 32x32
 * decomposition), variable shifts 0..63 (checked against repeated
 * doubling/halving), and signed/unsigned division and modulo through the
 * lib's __aeabi_uldivmod/__aeabi_ldivmod (checked with q*d + r == n and
 * 0 <= |r| < |d|, and against closed forms such as 20!/19! == 20).
 */
#include <stdint.h>
#include "test.h"

typedef uint64_t u64;
typedef int64_t s64;

static volatile u64 v_big = 0xffffffffffffffffull;
static volatile u64 v_x = 0x0123456789abcdefull;
static volatile uint32_t v_small = 10;

/* 64x64 -> low 64 product from 32-bit pieces (a*b mod 2^64) */
static u64 mul_schoolbook(u64 a, u64 b)
{
    uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
    uint32_t bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
    u64 ll = (u64)al * bl;
    uint32_t cross = al * bh + ah * bl;       /* only the low 32 bits matter */
    return ll + ((u64)cross << 32);
}

static void check_udiv(u64 n, u64 d)
{
    u64 q = n / d, r = n % d;
    CHECK(r < d);
    CHECK_EQ(q * d + r, n);
}

static void check_sdiv(s64 n, s64 d)
{
    s64 q = n / d, r = n % d;
    CHECK_EQ(q * d + r, n);
    CHECK((r >= 0 ? r : -r) < (d >= 0 ? d : -d));
    CHECK(r == 0 || (r < 0) == (n < 0));       /* remainder takes n's sign */
}

int main(void)
{
    u64 big = v_big, x = v_x;
    uint32_t ten = v_small;

    /* ---- add / sub with carry and borrow between the halves -------------- */
    u64 lo_max = 0xffffffffull + (ten - 10);
    CHECK_EQ(lo_max + 1, 0x100000000ull);
    CHECK_EQ(0x100000000ull - (ten - 9), 0xffffffffull);
    CHECK_EQ(big + 1, 0ull);
    CHECK_EQ(0ull - (ten - 9), big);
    CHECK_EQ(x + x, 0x02468acf13579bdeull);
    /* the high half borrows: 0x01234567 - 0x01234568 = -1 */
    CHECK_EQ(x - 0x0123456800000000ull, 0x89abcdefull - 0x100000000ull);
    s64 sx = -(s64)x;
    CHECK_EQ(sx + (s64)x, 0);
    CHECK_EQ((u64)sx, ~x + 1);

    /* ---- multiplication ---------------------------------------------------- */
    u64 m32 = 0xffffffffull;
    CHECK_EQ(m32 * m32, 0xfffffffe00000001ull);          /* (2^32-1)^2 */
    CHECK_EQ(x * x, mul_schoolbook(x, x));
    CHECK_EQ(x * big, 0ull - x);                          /* x * (-1) */
    CHECK_EQ(x * 0x100000000ull, x << 32);
    s64 a = -1234567891011ll, b = 98765;
    CHECK_EQ((u64)(a * b), mul_schoolbook((u64)a, (u64)b));
    CHECK_EQ(a * b, -121932097755701415ll);  /* 1234567891011 * (10^5 - 1235) */
    CHECK_EQ((s64)(int32_t)-7 * (s64)(int32_t)6, -42);    /* SMULL path */
    CHECK_EQ((u64)(uint32_t)0xfffffff9u * 6u, 0x5ffffffd6ull); /* UMULL path */

    u64 fact = 1;
    for (uint32_t i = 1; i <= 2 * ten; i++)
        fact *= i;
    CHECK_EQ(fact, 2432902008176640000ull);               /* 20! */

    /* ---- shifts by every amount ---------------------------------------------- */
    u64 dbl = 1, h = 0x8000000000000000ull;
    s64 sh = (s64)0x8000000000000000ull;
    int bad = 0;
    for (uint32_t s = 0; s < 64; s++) {
        if ((1ull << s) != dbl) bad++;
        if ((0x8000000000000000ull >> s) != h) bad++;
        if ((u64)(sh >> s) != ~(0x7fffffffffffffffull >> s)) bad++;  /* sign fill */
        if (((x << s) >> s) != (x & (big >> s))) bad++;
        dbl += dbl;
        h >>= 1;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(x >> 36, 0x123456ull);
    CHECK_EQ(x << 36, 0x9abcdef000000000ull);
    CHECK_EQ((s64)0xfedcba9876543210ull >> 40, (s64)0xfffffffffffedcbaull);

    /* ---- division and modulo ------------------------------------------------- */
    CHECK_EQ(big / m32, 0x100000001ull);                  /* (2^64-1)/(2^32-1) */
    CHECK_EQ(big % m32, 0ull);
    CHECK_EQ(fact / 2432902008176640000ull, 1ull);
    u64 f19 = fact / (2 * ten);
    CHECK_EQ(f19, 121645100408832000ull);                 /* 19! */
    CHECK_EQ(fact / f19, 20ull);
    CHECK_EQ(0x8000000000000000ull / 3, 3074457345618258602ull);
    CHECK_EQ(0x8000000000000000ull % 3, 2ull);
    CHECK_EQ(x / 1, x);
    CHECK_EQ(x / x, 1ull);
    CHECK_EQ((x - 1) / x, 0ull);
    CHECK_EQ(1000000000000000000ull / 1000000000u, 1000000000ull);
    check_udiv(x, 0x100000001ull);
    check_udiv(big, 7);
    check_udiv(0xfedcba9876543210ull, 0x0123456789ull);

    CHECK_EQ(-7ll / 2, -3ll);
    CHECK_EQ(-7ll % 2, -1ll);
    CHECK_EQ(7ll / -2, -3ll);
    CHECK_EQ((s64)fact / -(s64)f19, -20ll);
    check_sdiv(-(s64)x, 1000000007ll);
    check_sdiv((s64)x, -12345678901ll);
    check_sdiv(-(s64)0x7fffffffffffffffll, -3ll);

    printf("20! = %llu = 0x%llx, -19! = %lld\n", fact, fact, -(s64)f19);
    return test_finish("math64");
}

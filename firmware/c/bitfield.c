/*
 * bitfield.c - C bitfields (unsigned and signed, packed in one word, a
 * field that straddles bytes), mask/shift idioms, and the bit-counting
 * builtins: popcount (lib __popcountsi2), clz/ctz (CLZ, RBIT+CLZ), bswap
 * (REV/REV16), each checked against a plain loop and closed forms.
 */
#include <stdint.h>
#include "test.h"

struct fields {
    uint32_t a : 3;         /* bits 0-2 */
    uint32_t b : 5;         /* bits 3-7 */
    int32_t  c : 6;         /* bits 8-13, signed */
    uint32_t d : 12;        /* bits 14-25, straddles bytes 1-3 */
    uint32_t e : 6;         /* bits 26-31 */
};

union fu {
    struct fields f;
    uint32_t w;
};

static volatile uint32_t v_seed = 0x2545f491u;

static int pop_loop(uint32_t x)
{
    int n = 0;
    for (; x; x >>= 1)
        n += (int)(x & 1);
    return n;
}

static int clz_loop(uint32_t x)
{
    int n = 0;
    for (uint32_t m = 0x80000000u; m && !(x & m); m >>= 1)
        n++;
    return n;
}

static uint32_t bswap_loop(uint32_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) {
        r = (r << 8) | (x & 0xff);
        x >>= 8;
    }
    return r;
}

int main(void)
{
    /* ---- bitfields --------------------------------------------------------- */
    union fu u;
    u.w = 0;
    u.f.a = 5;
    u.f.b = 17;
    u.f.c = -3;
    u.f.d = 0xabc;
    u.f.e = 0x2a;
    /* layout (AAPCS: little-endian, first field in the low bits) */
    CHECK_EQ(u.w, (5u << 0) | (17u << 3) | ((uint32_t)(-3 & 0x3f) << 8) |
                  (0xabcu << 14) | (0x2au << 26));
    CHECK_EQ(u.f.c, -3);                        /* sign-extended on read */
    CHECK_EQ(u.f.d, 0xabcu);
    u.f.a = OPAQUE(9u) & 0xffffffffu;           /* truncated to 3 bits */
    CHECK_EQ(u.f.a, 1u);
    u.f.c = 31;                                 /* largest positive */
    CHECK_EQ(u.f.c, 31);
    u.f.c = -32;                                /* most negative */
    CHECK_EQ(u.f.c, -32);
    CHECK_EQ((u.w >> 8) & 0x3f, 0x20u);
    u.f.d += 0x545;                             /* 0xabc + 0x545 = 0x1001 -> 0x001 */
    CHECK_EQ(u.f.d, 0x001u);
    CHECK_EQ(u.f.e, 0x2au);                     /* neighbours untouched */
    CHECK_EQ(u.f.b, 17u);
    u.w = 0xffffffffu;
    CHECK_EQ(u.f.c, -1);
    CHECK_EQ(u.f.e, 63u);

    /* ---- masks ------------------------------------------------------------- */
    uint32_t x = v_seed;
    for (int k = 0; k < 32; k++) {
        uint32_t m = (k == 32) ? 0 : (0xffffffffu >> (31 - k));   /* low k+1 bits */
        CHECK_EQ(m + 1, k == 31 ? 0u : 1u << (k + 1));
        CHECK_EQ(__builtin_popcount(m), k + 1);
    }
    CHECK_EQ(x & (x - 1), x - (x & (0u - x)));          /* clear lowest bit */
    CHECK_EQ((x | (x - 1)) + 1, x + (x & (0u - x)));    /* fill ones below, +1 */
    uint32_t field = (x >> 7) & 0x1ff;
    uint32_t ins = (x & ~(0x1ffu << 7)) | (0x155u << 7);
    CHECK_EQ((ins >> 7) & 0x1ff, 0x155u);
    CHECK_EQ(ins ^ (x & ~(0x1ffu << 7)), 0x155u << 7);
    CHECK_EQ(((x >> 7) & 0x1ff), field);

    /* ---- popcount / clz / ctz / bswap against loops ------------------------ */
    int bad = 0;
    for (int k = 0; k < 8; k++) {
        if (__builtin_popcount(x) != pop_loop(x)) bad++;
        if (x && __builtin_clz(x) != clz_loop(x)) bad++;
        if (x && __builtin_ctz(x) != 31 - clz_loop(x & (0u - x))) bad++;
        if (__builtin_bswap32(x) != bswap_loop(x)) bad++;
        if (__builtin_bswap32(__builtin_bswap32(x)) != x) bad++;
        if (__builtin_popcount(x) + __builtin_popcount(~x) != 32) bad++;
        x ^= x << 13;                            /* xorshift32 */
        x ^= x >> 17;
        x ^= x << 5;
    }
    CHECK_EQ(bad, 0);
    for (int k = 0; k < 32; k++) {
        CHECK_EQ(__builtin_clz(1u << k), 31 - k);
        CHECK_EQ(__builtin_ctz(1u << k), k);
    }
    CHECK_EQ(__builtin_bswap32(0x12345678u), 0x78563412u);
    CHECK_EQ(__builtin_bswap16((uint16_t)0xa1b2u), 0xb2a1u);
    CHECK_EQ(__builtin_bswap64(0x0102030405060708ull), 0x0807060504030201ull);
    CHECK_EQ(__builtin_popcountll(0xffffffffffffffffull), 64);
    CHECK_EQ(__builtin_clzll(1ull << 40), 23);
    CHECK_EQ(__builtin_ctzll(1ull << 40), 40);
    CHECK_EQ(__builtin_parity(0x80000001u), 0);
    CHECK_EQ(__builtin_parity(0x80000003u), 1);

    printf("final xorshift state %08x popcount %d\n", (unsigned)x, __builtin_popcount(x));
    return test_finish("bitfield");
}

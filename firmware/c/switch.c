/*
 * switch.c - switch statements: a dense switch (gcc emits a jump table,
 * "ldrls pc, [pc, rN, lsl #2]" in ARM state, at -O0 and -O2), a sparse one
 * (compare trees), fall-through, and a character classifier.  Each result
 * is checked against an independent lookup table or an if-chain.
 */
#include <stdint.h>
#include "test.h"

static volatile int v_limit = 14;

static int dense(int x)
{
    switch (x) {
    case 0:  return 17;
    case 1:  return 4;
    case 2:  return 99;
    case 3:  return -5;
    case 4:  return 1000;
    case 5:  return 23;
    case 6:  return 8;
    case 7:  return 42;
    case 8:  return -77;
    case 9:  return 3;
    case 10: return 64;
    case 11: return 0;
    default: return -1;
    }
}

static const int dense_table[12] = {17, 4, 99, -5, 1000, 23, 8, 42, -77, 3, 64, 0};

static int sparse(int32_t x)
{
    switch (x) {
    case -5:      return 1;
    case 1:       return 2;
    case 10:      return 3;
    case 100:     return 4;
    case 1000:    return 5;
    case 4096:    return 6;
    case 65536:   return 7;
    case 1000000: return 8;
    case 0x7fffffff: return 9;
    default:      return 0;
    }
}

static int sparse_ref(int32_t x)
{
    static const int32_t keys[9] = {-5, 1, 10, 100, 1000, 4096, 65536, 1000000, 0x7fffffff};
    for (int i = 0; i < 9; i++)
        if (keys[i] == x)
            return i + 1;
    return 0;
}

/* fall-through: sum of the case labels from x down to 0 (for x <= 5) */
static int fallthrough(int x)
{
    int s = 0;
    switch (x) {
    case 5: s += 5; /* fall through */
    case 4: s += 4; /* fall through */
    case 3: s += 3; /* fall through */
    case 2: s += 2; /* fall through */
    case 1: s += 1; /* fall through */
    case 0: break;
    default: s = -1;
    }
    return s;
}

enum cls { OTHER, DIGIT, UPPER, LOWER, SPACE, PUNCT };

static enum cls classify(char c)
{
    switch (c) {
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return DIGIT;
    case ' ': case '\t': case '\n':
        return SPACE;
    case '.': case ',': case '!': case '?': case ';': case ':':
        return PUNCT;
    default:
        if (c >= 'A' && c <= 'Z')
            return UPPER;
        if (c >= 'a' && c <= 'z')
            return LOWER;
        return OTHER;
    }
}

int main(void)
{
    int limit = v_limit;

    for (int x = -2; x < limit; x++) {
        int expect = (x >= 0 && x < 12) ? dense_table[x] : -1;
        CHECK_EQ(dense(x), expect);
    }

    static const int32_t probes[] = {
        -6, -5, -4, 0, 1, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 4095, 4096,
        65535, 65536, 65537, 1000000, 0x7ffffffe, 0x7fffffff, (int32_t)0x80000000,
    };
    int hits = 0;
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        int32_t p = probes[i] + (limit - 14);
        int r = sparse(p);
        CHECK_EQ(r, sparse_ref(p));
        hits += r != 0;
    }
    CHECK_EQ(hits, 9);

    for (int x = -1; x <= 7; x++) {
        int expect = (x >= 0 && x <= 5) ? x * (x + 1) / 2 : -1;
        CHECK_EQ(fallthrough(x), expect);
    }

    static const char text[] = "Hello, World! 42 times\tyes?";
    int count[6] = {0, 0, 0, 0, 0, 0};
    for (const char *p = text; *p; p++)
        count[classify(*p)]++;
    CHECK_EQ(count[DIGIT], 2);
    CHECK_EQ(count[UPPER], 2);
    CHECK_EQ(count[LOWER], 16);
    CHECK_EQ(count[SPACE], 4);
    CHECK_EQ(count[PUNCT], 3);
    CHECK_EQ(count[OTHER], 0);
    CHECK_EQ(count[0] + count[1] + count[2] + count[3] + count[4] + count[5],
             (int)sizeof text - 1);

    return test_finish("switch");
}

/*
 * memops.c - memcpy, memset, memmove, memcmp (lib/mem.c) and the calls gcc
 * generates for struct copies, on buffers at every byte offset 0..3 and
 * with overlapping source and destination in both directions.  Each result
 * is compared with a plain byte loop written here; a checksum of the
 * results goes to the transcript.  Misaligned data is only ever touched
 * through char pointers.
 */
#include <stdint.h>
#include "string.h"
#include "test.h"

#define N 20

/*
 * The test buffers are unions so that filling and comparing them can be done
 * a word at a time (cheap in instructions) while the routines under test
 * see byte pointers at any offset.
 */
#define NW (N / 4)
union buffer {
    uint32_t w[NW];
    uint8_t b[N];
};

static union buffer ubuf, uref, usrc;
static uint8_t *const buf = ubuf.b;
static uint8_t *const ref = uref.b;

static void fill(union buffer *p, uint32_t seed)
{
    for (int i = 0; i < NW; i++)
        p->w[i] = seed * 0x01010101u ^ (uint32_t)(i + 1) * 0x9e3779b9u;
}

static int same(void)
{
    for (int i = 0; i < NW; i++)
        if (ubuf.w[i] != uref.w[i])
            return 0;
    return 1;
}

static uint32_t checksum(const uint32_t *p, int nw)
{
    uint32_t s = 0;
    for (int i = 0; i < nw; i++)
        s = (s << 5 | s >> 27) ^ p[i];          /* rotate-xor */
    return s;
}

/* reference move through a temporary: correct for any overlap */
static void ref_move(uint8_t *d, const uint8_t *s, int n)
{
    uint8_t tmp[N];
    for (int i = 0; i < n; i++)
        tmp[i] = s[i];
    for (int i = 0; i < n; i++)
        d[i] = tmp[i];
}

struct rec {                 /* no padding: 4 + 4 + 8 + 16 bytes */
    uint32_t id;
    int32_t value;
    uint64_t wide;
    uint8_t tag[16];
};

int main(void)
{
    uint8_t *src = usrc.b;
    uint32_t total = 0;

    /* ---- memcpy: every source and every destination alignment ----------- */
    static const uint8_t offs[8][2] = {
        {0, 0}, {0, 1}, {1, 0}, {1, 3}, {2, 2}, {3, 1}, {3, 3}, {2, 0},
    };
    for (int k = 0; k < 8; k++) {
        int so = offs[k][0], dof = offs[k][1];
        int len = 9 + so + dof;                 /* word bodies and byte tails */
        fill(&usrc, (uint32_t)(so * 16 + dof));
        fill(&ubuf, 0xee);
        fill(&uref, 0xee);
        void *r = memcpy(buf + dof, src + so, (size_t)len);
        CHECK(r == buf + dof);
        for (int i = 0; i < len; i++)
            ref[dof + i] = src[so + i];
        CHECK(same());                          /* bytes around untouched too */
    }

    /* ---- memset ------------------------------------------------------------- */
    for (int off = 0; off < 4; off++) {
        fill(&ubuf, 1);
        fill(&uref, 1);
        int len = 9 + off * 2;
        memset(buf + off, 0x100 + 0xa5, (size_t)len);    /* value converted to 0xa5 */
        for (int i = 0; i < len; i++)
            ref[off + i] = 0xa5;
        CHECK(same());
    }
    memset(buf, 0, 0);                                    /* zero length */
    CHECK(same());

    /* ---- memmove with overlap in both directions ----------------------------- */
    /* (shift, base): misaligned byte paths, and (4, 0) for the word paths */
    static const uint8_t moves[3][2] = {{1, 1}, {3, 1}, {4, 0}};
    for (int k = 0; k < 3; k++) {
        int shift = moves[k][0], base = moves[k][1];
        int len = 15 - shift;
        /* dst above src: must copy from the end */
        fill(&ubuf, (uint32_t)shift);
        fill(&uref, (uint32_t)shift);
        memmove(buf + base + shift, buf + base, (size_t)len);
        ref_move(ref + base + shift, ref + base, len);
        CHECK(same());
        total ^= checksum(ubuf.w, NW);
        /* dst below src */
        fill(&ubuf, (uint32_t)(shift + 100));
        fill(&uref, (uint32_t)(shift + 100));
        memmove(buf + base, buf + base + shift, (size_t)len);
        ref_move(ref + base, ref + base + shift, len);
        CHECK(same());
        total ^= checksum(ubuf.w, NW) * 3u;
    }
    fill(&ubuf, 9);
    fill(&uref, 9);
    memmove(buf + 4, buf + 4, 12);                        /* dst == src */
    CHECK(same());

    /* ---- memcmp ------------------------------------------------------------ */
    fill(&ubuf, 50);
    fill(&uref, 50);
    CHECK_EQ(memcmp(buf + 1, ref + 1, N - 1), 0);
    ref[17] = (uint8_t)(buf[17] + 1);
    CHECK(memcmp(buf, ref, N) < 0);
    CHECK(memcmp(ref, buf, N) > 0);
    CHECK_EQ(memcmp(buf, ref, 17), 0);                   /* differs at 17 only */
    ref[17] = buf[17];
    buf[3] = 0x80;
    ref[3] = 0x7f;
    CHECK(memcmp(buf, ref, 4) > 0);                       /* bytes are unsigned */
    CHECK_EQ(memcmp(buf, ref, 0), 0);

    /* ---- struct copies (gcc emits memcpy for large ones) ---------------------- */
    struct rec a, b;
    memset(&a, 0, sizeof a);
    a.id = 7;
    a.value = -123456;
    a.wide = 0x1122334455667788ull;
    for (int i = 0; i < 16; i++)
        a.tag[i] = (uint8_t)('A' + i);
    b = a;
    CHECK_EQ(memcmp(&a, &b, sizeof a), 0);
    CHECK_EQ(b.value, -123456);
    CHECK_EQ(b.wide, 0x1122334455667788ull);
    CHECK_EQ(b.tag[15], 'P');
    struct rec arr[3];
    for (int i = 0; i < 3; i++) {
        arr[i] = a;
        arr[i].id = (uint32_t)i;
    }
    CHECK_EQ(arr[2].id, 2u);
    CHECK_EQ(arr[1].tag[0], 'A');
    total ^= checksum(&arr[0].id, 1) ^ checksum(&arr[2].id, 1);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 16; j += 5)
            total += arr[i].tag[j];

    printf("memops checksum %08x\n", (unsigned)total);
    return test_finish("memops");
}

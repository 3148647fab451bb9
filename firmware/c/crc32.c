/*
 * crc32.c - table-driven CRC-32 (IEEE 802.3, reflected polynomial
 * 0xEDB88320, init 0xFFFFFFFF, final xor 0xFFFFFFFF).
 *
 * The published check value of this CRC for the ASCII string "123456789" is
 * 0xCBF43926.  The table is generated at run time from the polynomial and
 * cross-checked against a bit-serial implementation and known table entries.
 */
#include <stdint.h>
#include "test.h"

static uint32_t table[256];

/*
 * The table is linear over GF(2): table[i ^ j] == table[i] ^ table[j].
 * table[0x80] is the polynomial itself (bit 7 reaches bit 0 after 7 shifts and
 * the 8th shift xors the polynomial in) and table[i >> 1] is one more shift
 * step of table[i] for a power of two i.  All other entries follow by xor.
 * (Computing every entry bit-serially would cost 2048 loop iterations.)
 */
static void crc32_init(void)
{
    table[0] = 0;
    table[0x80] = 0xEDB88320u;
    for (uint32_t i = 0x80; i > 1; i >>= 1) {
        uint32_t c = table[i];
        table[i >> 1] = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    for (uint32_t i = 1; i < 256; i <<= 1)
        for (uint32_t j = 1; j < i; j++)
            table[i + j] = table[i] ^ table[j];
}

/* one table entry the slow way, to cross-check the construction */
static uint32_t crc32_entry_bitwise(uint32_t i)
{
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    return c;
}

static uint32_t crc32_table(const uint8_t *p, uint32_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--)
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint32_t crc32_bitwise(const uint8_t *p, uint32_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

int main(void)
{
    static const char check[] = "123456789";
    static const uint8_t zeros[4] = {0, 0, 0, 0};

    crc32_init();
    /* table[1] = poly >> 7 etc.: entries fixed by the polynomial */
    CHECK_EQ(table[0], 0x00000000u);
    CHECK_EQ(table[1], 0x77073096u);
    CHECK_EQ(table[128], 0xEDB88320u);   /* a single top bit: one poly xor */
    CHECK_EQ(table[255], 0x2D02EF8Du);
    for (uint32_t i = 0x35; i < 256; i += 0x2b)
        CHECK_EQ(table[i], crc32_entry_bitwise(i));

    uint32_t c = crc32_table((const uint8_t *)check, 9);
    printf("crc32(\"123456789\") = %08x\n", (unsigned)c);
    CHECK_EQ(c, 0xCBF43926u);
    CHECK_EQ(crc32_bitwise((const uint8_t *)check, 9), 0xCBF43926u);

    /* CRC of the empty message is 0; CRC of four zero bytes is 0x2144DF1C */
    CHECK_EQ(crc32_table(zeros, 0), 0u);
    CHECK_EQ(crc32_table(zeros, 4), 0x2144DF1Cu);
    CHECK_EQ(crc32_bitwise(zeros, 4), 0x2144DF1Cu);

    /* appending the little-endian CRC gives the constant residue 0x2144DF1C */
    uint8_t buf[13];
    for (int i = 0; i < 9; i++)
        buf[i] = (uint8_t)check[i];
    for (int i = 0; i < 4; i++)
        buf[9 + i] = (uint8_t)(c >> (8 * i));
    CHECK_EQ(crc32_table(buf, 13), 0x2144DF1Cu);

    return test_finish("crc32");
}

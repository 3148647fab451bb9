/*
 * string.c - string routines written here (not the lib's): length, compare,
 * copy, concatenate, reverse, integer <-> decimal/hex text conversions.
 * Round trips (x -> text -> x) over a spread of values including INT_MIN
 * and INT_MAX, and known texts.
 */
#include <stdint.h>
#include "test.h"

static volatile int32_t v_seed = 7;

static unsigned my_strlen(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    return n;
}

static int my_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

static char *my_strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++))
        ;
    return r;
}

static char *my_strcat(char *d, const char *s)
{
    my_strcpy(d + my_strlen(d), s);
    return d;
}

static void my_reverse(char *s)
{
    unsigned n = my_strlen(s);
    for (unsigned i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}

/* signed decimal; handles INT_MIN through an unsigned magnitude */
static char *my_itoa(int32_t v, char *buf)
{
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    int n = 0;
    do {
        buf[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[n++] = '-';
    buf[n] = 0;
    my_reverse(buf);
    return buf;
}

static int32_t my_atoi(const char *s)
{
    while (*s == ' ')
        s++;
    int neg = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    uint32_t u = 0;
    while (*s >= '0' && *s <= '9')
        u = u * 10 + (uint32_t)(*s++ - '0');
    return (int32_t)(neg ? 0u - u : u);
}

static char *my_utox(uint32_t v, char *buf)
{
    for (int i = 7; i >= 0; i--) {
        buf[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
    buf[8] = 0;
    return buf;
}

static uint32_t my_xtou(const char *s)
{
    uint32_t v = 0;
    for (; *s; s++) {
        char c = *s;
        uint32_t d = (c >= '0' && c <= '9') ? (uint32_t)(c - '0')
                   : (c >= 'a' && c <= 'f') ? (uint32_t)(c - 'a' + 10)
                   : (uint32_t)(c - 'A' + 10);
        v = v << 4 | d;
    }
    return v;
}

int main(void)
{
    char buf[64], num[16];

    CHECK_EQ(my_strlen(""), 0u);
    CHECK_EQ(my_strlen("hypsim"), 6u);
    CHECK(my_strcmp("abc", "abc") == 0);
    CHECK(my_strcmp("abc", "abd") < 0);
    CHECK(my_strcmp("abd", "abc") > 0);
    CHECK(my_strcmp("ab", "abc") < 0);
    CHECK(my_strcmp("\x80", "\x7f") > 0);        /* compared as unsigned char */

    my_strcpy(buf, "Hello");
    my_strcat(buf, ", ");
    my_strcat(buf, "world");
    CHECK_EQ(my_strlen(buf), 12u);
    CHECK(my_strcmp(buf, "Hello, world") == 0);
    my_reverse(buf);
    CHECK(my_strcmp(buf, "dlrow ,olleH") == 0);

    CHECK(my_strcmp(my_itoa(0, num), "0") == 0);
    CHECK(my_strcmp(my_itoa(-12345, num), "-12345") == 0);
    CHECK(my_strcmp(my_itoa(0x7fffffff, num), "2147483647") == 0);
    CHECK(my_strcmp(my_itoa((int32_t)0x80000000, num), "-2147483648") == 0);
    CHECK_EQ(my_atoi("  -987654"), -987654);
    CHECK_EQ(my_atoi("+42"), 42);
    CHECK_EQ(my_atoi("-2147483648"), (int32_t)0x80000000);
    CHECK(my_strcmp(my_utox(0xdeadbeefu, num), "deadbeef") == 0);
    CHECK_EQ(my_xtou("0BADF00D"), 0x0badf00du);

    /* round trips over a spread of values */
    int bad = 0;
    int32_t v = v_seed;
    for (int i = 0; i < 8; i++) {
        if (my_atoi(my_itoa(v, num)) != v) bad++;
        if (my_atoi(my_itoa(-v, num)) != -v) bad++;
        if (my_xtou(my_utox((uint32_t)v, num)) != (uint32_t)v) bad++;
        v = (int32_t)((uint32_t)v * 5u + 3u) & 0x7fffffff;
    }
    CHECK_EQ(bad, 0);

    /* digit count of 10^k - 1 and 10^k */
    int32_t p = 10;
    for (unsigned k = 1; k <= 9; k += 4) {
        CHECK_EQ(my_strlen(my_itoa(p - 1, num)), k);
        CHECK_EQ(my_strlen(my_itoa(p, num)), k + 1);
        p *= 10000;
    }

    printf("%s|%s|%s\n", my_itoa(-2147483647 - 1, num), buf, my_utox(0x0badcafeu, buf + 32));
    return test_finish("string");
}

/*
 * sort.c - recursive quicksort (Hoare partition, middle pivot) and insertion
 * sort on pseudo-random data from a xorshift generator.  Checks: the output
 * is non-decreasing, it is a permutation of the input (same sum, xor, sum of
 * squares and element-wise equal to the insertion-sorted copy), and sorting
 * already-sorted, reversed and constant arrays works.
 */
#include <stdint.h>
#include "test.h"

#define N 24

static volatile uint32_t v_seed = 0x12345u;

static int32_t a[N], b[N];

static void quicksort(int32_t *v, int lo, int hi)
{
    while (lo < hi) {
        int32_t pivot = v[lo + (hi - lo) / 2];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (v[i] < pivot);
            do j--; while (v[j] > pivot);
            if (i >= j)
                break;
            int32_t t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        /* recurse into the smaller half, loop on the larger */
        if (j - lo < hi - j) {
            quicksort(v, lo, j);
            lo = j + 1;
        } else {
            quicksort(v, j + 1, hi);
            hi = j;
        }
    }
}

static void insertion_sort(int32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static int sorted(const int32_t *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 0;
    return 1;
}

struct sig { uint32_t sum, x, sq; };

static struct sig signature(const int32_t *v, int n)
{
    struct sig s = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        s.sum += (uint32_t)v[i];
        s.x ^= (uint32_t)v[i];
        s.sq += (uint32_t)v[i] * (uint32_t)v[i];
    }
    return s;
}

int main(void)
{
    uint32_t x = v_seed;
    for (int i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        a[i] = (int32_t)(x % 2001u) - 1000;     /* -1000..1000, duplicates likely */
        b[i] = a[i];
    }
    struct sig before = signature(a, N);

    quicksort(a, 0, N - 1);
    insertion_sort(b, N);
    CHECK(sorted(a, N));
    CHECK(sorted(b, N));
    struct sig after = signature(a, N);
    CHECK_EQ(after.sum, before.sum);
    CHECK_EQ(after.x, before.x);
    CHECK_EQ(after.sq, before.sq);
    int diff = 0;
    for (int i = 0; i < N; i++)
        diff += a[i] != b[i];
    CHECK_EQ(diff, 0);
    printf("sorted: min %d median %d max %d\n", (int)a[0], (int)a[N / 2], (int)a[N - 1]);

    /* already sorted, reversed, constant */
    for (int i = 0; i < N; i++)
        a[i] = i * 3 - 50;
    quicksort(a, 0, N - 1);
    CHECK(sorted(a, N));
    CHECK_EQ(a[0], -50);
    CHECK_EQ(a[N - 1], (N - 1) * 3 - 50);
    for (int i = 0; i < N; i++)
        a[i] = N - i;
    quicksort(a, 0, N - 1);
    CHECK(sorted(a, N));
    for (int i = 0; i < N; i++)
        CHECK_EQ(a[i], i + 1);
    for (int i = 0; i < N; i++)
        a[i] = 7;
    quicksort(a, 0, N - 1);
    CHECK(sorted(a, N));
    CHECK_EQ(signature(a, N).sum, 7u * N);

    return test_finish("sort");
}

/*
 * workload.c - the `make bench` program: a fixed mix of integer work (CRC-32
 * over a buffer, insertion sort, 64-bit multiply-accumulate, division)
 * repeated ROUNDS times, long enough (several hundred thousand core cycles)
 * that simulator start-up does not dominate the measured cycles per second.
 *
 * It prints one checksum line. `make bench` runs the same ELF on QEMU and
 * fails if the RTL's transcript differs, so the figure is for correct work.
 * Not part of the regression (see firmware/Makefile: built by `bench` only).
 */
#include <stdint.h>
#include "printf.h"

#ifndef ROUNDS
#define ROUNDS 6
#endif

#define N 64

static uint32_t buf[N];

static uint32_t crc32_word(uint32_t crc, uint32_t w)
{
    for (int b = 0; b < 32; b++) {
        uint32_t bit = (crc ^ (w >> b)) & 1u;
        crc = (crc >> 1) ^ (bit ? 0xEDB88320u : 0u);
    }
    return crc;
}

static void insertion_sort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

int main(void)
{
    uint32_t seed = 12345u, crc = 0xFFFFFFFFu;
    uint64_t acc = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1664525u + 1013904223u;   /* Numerical Recipes LCG */
            buf[i] = seed;
        }
        insertion_sort(buf, N);
        for (int i = 0; i < N; i++) {
            crc = crc32_word(crc, buf[i]);
            acc += (uint64_t)buf[i] * (uint64_t)(i + 1);
            acc ^= buf[i] / (uint32_t)(i + 3);
        }
    }
    printf("workload: rounds=%d crc=%08x acc=%08x%08x\n", ROUNDS, (unsigned)~crc,
           (unsigned)(acc >> 32), (unsigned)acc);
    return 0;
}

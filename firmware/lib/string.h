#ifndef HYPSIM_STRING_H
#define HYPSIM_STRING_H
/* The memory functions gcc may call even with -ffreestanding. */
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif

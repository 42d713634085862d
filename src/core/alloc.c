/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library's allocation wrappers (one place to count, fail or replace allocations). */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *ts_malloc(size_t size)
{
    return malloc(size ? size : 1);
}

void *ts_calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

void *ts_realloc(void *p, size_t size)
{
    return realloc(p, size ? size : 1);
}

void ts_free(void *p)
{
    free(p);
}

int ts_size_mul(size_t *out, size_t a, size_t b)
{
    if (__builtin_mul_overflow(a, b, out))
        return -1;
    return 0;
}

int ts_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    size_t bytes;
    if (ts_size_mul(&bytes, ncap, elem) != 0)
        return -1;
    void *p = ts_realloc(*arr, bytes);
    if (p == NULL)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

char *ts_strndup(const char *s, size_t len)
{
    char *p = ts_malloc(len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *ts_strdup(const char *s)
{
    return ts_strndup(s, strlen(s));
}

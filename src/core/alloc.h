/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every allocation of the library goes through these, so one place can count or fail them. */
#ifndef TS_CORE_ALLOC_H
#define TS_CORE_ALLOC_H

#include <stddef.h>

/*
 * TS_HOST marks the internal functions that extractor modules (src/extract/module.h: the PDF
 * reader, loaded on first use) call back into: the program exports them, nothing else.
 */
#ifdef __GNUC__
#define TS_HOST __attribute__((visibility("default")))
#else
#define TS_HOST
#endif

TS_HOST void *ts_malloc(size_t size);
TS_HOST void *ts_calloc(size_t n, size_t size);
void *ts_realloc(void *p, size_t size);
/* Grow an array of `*cap` elements of `elem` bytes to hold at least `need`; TS overflow-safe. */
TS_HOST int ts_grow(void **arr, size_t *cap, size_t need, size_t elem);
TS_HOST void ts_free(void *p);
TS_HOST char *ts_strdup(const char *s);
TS_HOST char *ts_strndup(const char *s, size_t len);
/* a*b without overflow: 0 on success, -1 when it would overflow. */
int ts_size_mul(size_t *out, size_t a, size_t b);

#endif /* TS_CORE_ALLOC_H */

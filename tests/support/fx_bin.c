/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Binary fixtures without a reader in tenderscan, written byte by byte ([MS-WMF] 2.3). */
#include "support/fx_bin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void put16(unsigned char *p, size_t *at, unsigned v)
{
    p[(*at)++] = (unsigned char)(v & 0xFF);
    p[(*at)++] = (unsigned char)((v >> 8) & 0xFF);
}

static void put32(unsigned char *p, size_t *at, uint32_t v)
{
    put16(p, at, v & 0xFFFF);
    put16(p, at, v >> 16);
}

unsigned char *fx_wmf_polyline(size_t points, const char *tail, size_t *len)
{
    size_t tl = tail ? strlen(tail) : 0;
    size_t recs = 10 + (8 + 4 * points) + 6; /* SETWINDOWEXT, POLYLINE, EOF */
    size_t size = 22 + 18 + recs + tl;
    unsigned char *p = malloc(size);
    assert_non_null(p);
    size_t at = 0;
    /* META_PLACEABLE: key, handle, bounds, 1440 units an inch, reserved, checksum */
    put32(p, &at, 0x9AC6CDD7u);
    put16(p, &at, 0);
    put16(p, &at, 0);
    put16(p, &at, 0);
    put16(p, &at, 1000);
    put16(p, &at, 1000);
    put16(p, &at, 1440);
    put32(p, &at, 0);
    unsigned sum = 0;
    for (size_t i = 0; i < 20; i += 2)
        sum ^= (unsigned)(p[i] | p[i + 1] << 8);
    put16(p, &at, sum);
    /* META_HEADER: memory metafile, 9 words, version 0x0300, size in words, no objects */
    put16(p, &at, 1);
    put16(p, &at, 9);
    put16(p, &at, 0x0300);
    put32(p, &at, (uint32_t)((18 + recs) / 2));
    put16(p, &at, 0);
    put32(p, &at, (uint32_t)(4 + 2 * points));
    put16(p, &at, 0);
    /* META_SETWINDOWEXT 1000 x 1000 */
    put32(p, &at, 5);
    put16(p, &at, 0x020C);
    put16(p, &at, 1000);
    put16(p, &at, 1000);
    /* META_POLYLINE */
    put32(p, &at, (uint32_t)(4 + 2 * points));
    put16(p, &at, 0x0325);
    put16(p, &at, (unsigned)points);
    for (size_t i = 0; i < 2 * points; i++)
        put16(p, &at, 0x41 + (unsigned)((i * 37) % (0xFE - 0x41)));
    /* META_EOF */
    put32(p, &at, 3);
    put16(p, &at, 0);
    memcpy(p + at, tail ? tail : "", tl);
    at += tl;
    assert_int_equal(at, size);
    *len = size;
    return p;
}

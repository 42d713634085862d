/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Making extracted text valid UTF-8: stray bytes read as Windows-1252, control bytes as spaces. */
#include "core/core.h"

#include <stdint.h>
#include <string.h>

#define ASCII_HIGH 0x8080808080808080ull
#define ONES 0x0101010101010101ull

/* Windows-1252 0x80-0x9F; 0 marks the five undefined bytes (they become U+FFFD). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* A C0 control byte that must become a space (tab, LF and CR stay). */
static int is_bad_control(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/*
 * Length of the well-formed UTF-8 sequence at p (Unicode 15 table 3-7: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when the bytes there do not form one.
 */
int ts_hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t ts_utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

/* Offset of the first byte that needs fixing, or len when the text is clean. */
static size_t clean_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: 8 bytes at a time while none is high or below 0x20 */
        while (len - i >= 8) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            /* bytes below 0x20 (valid test because no byte has its high bit set) */
            if ((v & ASCII_HIGH) != 0 || ((v - 0x20 * ONES) & ~v & ASCII_HIGH) != 0)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            if (is_bad_control(c))
                return i;
            i++;
            continue;
        }
        size_t n = ts_utf8_seq(s + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t ts_utf8_put(unsigned char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

ts_status ts_utf8_clean(const char *text, size_t len, char **out, size_t *out_len, bool *owned)
{
    const unsigned char *s = (const unsigned char *)text;
    *owned = false;
    size_t good = len > 0 ? clean_prefix(s, len) : 0;
    if (good == len) {
        *out = (char *)(uintptr_t)text; /* borrowed: the caller only reads it */
        *out_len = len;
        return TS_OK;
    }
    /* every remaining byte grows to at most 3 bytes (U+20AC, U+FFFD) */
    size_t cap;
    if (ts_size_mul(&cap, len - good, 3) != 0 || cap > SIZE_MAX - good - 1) {
        *out = NULL;
        *out_len = 0;
        return TS_ENOMEM;
    }
    cap += good + 1;
    unsigned char *o = ts_malloc(cap);
    if (o == NULL) {
        *out = NULL;
        *out_len = 0;
        return TS_ENOMEM;
    }
    memcpy(o, s, good);
    size_t w = good;
    size_t i = good;
    while (i < len) {
        /* s[i] needs fixing: fix it, then copy the clean run after it whole (a form feed on
         * every page must not send the rest of the text through this loop byte by byte) */
        unsigned char c = s[i];
        if (c < 0x80) {
            o[w++] = ' '; /* a control byte: clean_prefix stops at nothing else below 0x80 */
            i++;
        } else {
            /* one stray byte: Windows-1252 */
            uint32_t cp = c;
            if (c < 0xA0) {
                cp = cp1252_high[c - 0x80];
                if (cp == 0)
                    cp = 0xFFFD;
            }
            w += ts_utf8_put(o + w, cp);
            i++;
        }
        size_t run = i < len ? clean_prefix(s + i, len - i) : 0;
        memcpy(o + w, s + i, run);
        w += run;
        i += run;
    }
    o[w] = '\0';
    *out = (char *)o;
    *out_len = w;
    *owned = true;
    return TS_OK;
}

bool ts_utf8_is_unsafe(const unsigned char *s, size_t k)
{
    if (k == 1)
        return s[0] < 0x20 || s[0] == 0x7F;
    if (k == 2)
        return s[0] == 0xC2 && s[1] < 0xA0;
    if (k == 3 && s[0] == 0xE2 && s[1] == 0x80)
        return s[2] >= 0xAA && s[2] <= 0xAE;
    if (k == 3 && s[0] == 0xE2 && s[1] == 0x81)
        return s[2] >= 0xA6 && s[2] <= 0xA9;
    return false;
}

size_t ts_utf8_clean_origin(const char *raw, size_t len, size_t clean_off)
{
    /* the same walk as ts_utf8_clean: a well-formed sequence and an ASCII byte keep their
     * length, a stray byte grows to its Windows-1252 character's */
    const unsigned char *s = (const unsigned char *)raw;
    size_t i = 0, c = 0;
    while (i < len && c < clean_off) {
        size_t n = s[i] < 0x80 ? 1 : ts_utf8_seq(s + i, len - i);
        if (n > 0) {
            i += n;
            c += n;
            continue;
        }
        uint32_t cp = s[i];
        if (s[i] < 0xA0) {
            cp = cp1252_high[s[i] - 0x80];
            if (cp == 0)
                cp = 0xFFFD;
        }
        c += cp < 0x800 ? 2 : 3;
        i++;
    }
    return i;
}

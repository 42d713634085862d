/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a text changes charset: runs of 8-bit text, UTF-16LE and UTF-16BE in one byte string. */
#include "core/core.h"

#include <string.h>

#define UNITS_16 4u   /* code units of Latin text that start a UTF-16 run inside 8-bit text */
#define BYTES_8 16u   /* bytes of ASCII text that start an 8-bit run inside UTF-16 */
#define TAIL_8 4u     /* … or this many at least, when the text ends before BYTES_8 */
#define BACK_UNITS 8u /* code units before such a start that are given to the 8-bit run */

bool ts_charset_text_byte(unsigned char c)
{
    return (c >= 0x20 && c != 0x7F && (c < 0x80 || c >= 0xA0)) || c == '\t' || c == '\n' ||
           c == '\r' || c == '\f';
}

/* Is d[p, p + 2) the code unit of a Latin-1 character in this byte order? */
static bool unit_texty(const unsigned char *d, size_t p, bool be)
{
    return be ? d[p] == 0 && ts_charset_text_byte(d[p + 1])
              : d[p + 1] == 0 && ts_charset_text_byte(d[p]);
}

/* Do `n` such code units start at d[p]? */
static bool utf16_at(const unsigned char *d, size_t len, size_t p, bool be, size_t n)
{
    if (p > len || (len - p) / 2 < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (!unit_texty(d, p + 2 * k, be))
            return false;
    return true;
}

/*
 * Does ASCII text start at d[p]? BYTES_8 bytes (fewer, down to TAIL_8, where the text ends) of
 * printable ASCII and white space, half of them letters, digits or spaces, at least three
 * different bytes. UTF-16 text never has that: its Latin characters carry a NUL byte each, and
 * eight other characters in a row whose two bytes are all such ASCII (box drawing "═", some CJK)
 * are rarer still with the last two conditions.
 */
static bool ascii_at(const unsigned char *d, size_t len, size_t p)
{
    size_t n = len - p < BYTES_8 ? len - p : BYTES_8;
    size_t plain = 0;
    unsigned char a = 0, b = 0;
    bool three = false;
    if (n < TAIL_8)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = d[p + i];
        if ((c < 0x20 || c >= 0x7F) && c != '\t' && c != '\n' && c != '\r')
            return false;
        plain += (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == ' ';
        if (i == 0)
            a = c;
        else if (b == 0 && c != a)
            b = c;
        else if (c != a && c != b)
            three = true;
    }
    return three && plain * 2 >= n;
}

size_t ts_charset_run(const unsigned char *d, size_t len, size_t off, ts_charset cs,
                      ts_charset *next)
{
    *next = cs;
    if (off >= len)
        return len;
    if (cs == TS_CHARSET_8BIT) {
        /* 8-bit text has no NUL: UTF-16 starts at one (LE: the byte before it is the first) */
        for (size_t z = off; z < len; z++) {
            const unsigned char *q = memchr(d + z, 0, len - z);
            if (q == NULL)
                break;
            z = (size_t)(q - d);
            if (z > off && utf16_at(d, len, z - 1, false, UNITS_16)) {
                *next = TS_CHARSET_UTF16LE;
                return z - 1;
            }
            if (utf16_at(d, len, z, true, UNITS_16)) {
                *next = TS_CHARSET_UTF16BE;
                return z;
            }
        }
        return len;
    }
    bool be = cs == TS_CHARSET_UTF16BE;
    for (size_t p = off; len - p >= 2; p += 2) {
        if (unit_texty(d, p, be))
            continue;
        if (ascii_at(d, len, p)) {
            /* the code units just before that have no NUL byte are 8-bit text too (the first
             * bytes of a UTF-8 "Å" read as one unit) */
            size_t b = p;
            for (unsigned k = 0; k < BACK_UNITS && b - off >= 2 && d[b - 2] != 0 && d[b - 1] != 0;
                 k++)
                b -= 2;
            *next = TS_CHARSET_8BIT;
            return b;
        }
        if (utf16_at(d, len, p, !be, UNITS_16)) {
            *next = be ? TS_CHARSET_UTF16LE : TS_CHARSET_UTF16BE;
            return p;
        }
    }
    return len;
}

bool ts_charset_texty16(const unsigned char *d, size_t len, bool big_endian)
{
    size_t n = len / 2, good = 0;
    for (size_t k = 0; k < n; k++)
        good += unit_texty(d, 2 * k, big_endian);
    return n > 0 && good * 10 >= n * 9;
}

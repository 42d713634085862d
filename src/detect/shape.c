/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Number shapes: one pass over a text finds dotted quads and long numbers for the rule engine. */
#include "detect/shape.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LONG_DIGITS 11u /* a fødselsnummer, a D-nummer, a bank account number */
#define QUAD_GROUP 3u   /* digits in a group of a dotted quad */

static const char *const names[TS_SHAPES] = {"dotted-quad", "long-number"};

ts_shape ts_shape_find(const char *name)
{
    for (unsigned i = 0; i < TS_SHAPES; i++)
        if (strcmp(name, names[i]) == 0)
            return (ts_shape)i;
    return TS_SHAPES;
}

const char *ts_shape_name(ts_shape s)
{
    return s < TS_SHAPES ? names[s] : NULL;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Offset of the first ASCII digit in p[i, len), or len: eight bytes at a time while none is. */
static size_t next_digit(const unsigned char *p, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    while (len - i >= 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        /* a byte in '0'..'9' has its high bit clear, is >= '0' and < '9' + 1 */
        uint64_t ge0 = (v | high) - ones * '0';         /* high bit: byte >= '0' */
        uint64_t le9 = (ones * '9' | high) - (v & ~high); /* high bit: byte <= '9' */
        if ((ge0 & le9 & ~v & high) != 0)
            break;
        i += 8;
    }
    while (i < len && !is_digit(p[i]))
        i++;
    return i;
}

void ts_shape_scan(const char *text, size_t len, unsigned want, ts_shape_cb cb, void *payload)
{
    const unsigned char *p = (const unsigned char *)text;
    const int quad = (want >> TS_SHAPE_DOTTED_QUAD) & 1u, lng = (want >> TS_SHAPE_LONG_NUMBER) & 1u;
    if (!quad && !lng)
        return;
    size_t i = 0;
    while ((i = next_digit(p, i, len)) < len) {
        /* a run: groups of digits joined by one space, dot or hyphen each */
        size_t digits = 0; /* in the run so far */
        unsigned chain = 0; /* dot-joined groups of at most QUAD_GROUP digits ending here */
        for (;;) {
            size_t g = i;
            while (i < len && is_digit(p[i]))
                i++;
            size_t n = i - g;
            digits += n;
            bool dot = g > 0 && p[g - 1] == '.';
            /* three short groups and a dot before this one: a quad (its last group may be
             * longer: the rules decide what 10.0.0.1234 is) */
            if (quad && dot && chain >= 3 && cb(i, TS_SHAPE_DOTTED_QUAD, payload))
                return;
            chain = n > QUAD_GROUP ? 0 : dot ? chain + 1 : 1;
            if (lng && digits >= LONG_DIGITS && cb(i, TS_SHAPE_LONG_NUMBER, payload))
                return;
            if (i + 1 < len && (p[i] == ' ' || p[i] == '.' || p[i] == '-') && is_digit(p[i + 1])) {
                i++;
                continue;
            }
            break;
        }
    }
}

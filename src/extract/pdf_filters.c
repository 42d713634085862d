/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Can a stream's filter chain be decoded? (ISO 32000-2 §7.4). Used for page content streams:
 * poppler decodes what it can without a word, so a page whose content is damaged would read as
 * an empty page. Every stage is decoded for real, so that the next one gets its input.
 */
#include "extract/pdf.h"

#include <string.h>

#include "core/alloc.h"

#define STAGE_MAX (8u << 20) /* hostile input: bytes one stage puts out (as the pre-scan) */

/* A growing output, stopped at STAGE_MAX or the budget. */
typedef struct sink {
    unsigned char *p;
    size_t len, cap;
    uint64_t *budget;
    bool full; /* a limit was reached: the rest is not known */
    bool oom;
} sink;

static bool put(sink *s, unsigned char c)
{
    if (s->len == s->cap) {
        if (s->len >= STAGE_MAX || *s->budget < 65536) {
            s->full = true;
            return false;
        }
        if (ts_grow((void **)&s->p, &s->cap, s->len + 65536, 1) != 0) {
            s->oom = true;
            return false;
        }
        *s->budget -= 65536;
    }
    s->p[s->len++] = c;
    return true;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

/* §7.4.2: hex digits and white space up to '>'; anything else is damage. A missing '>' is not
 * (poppler and qpdf end there too). */
static ts_pdf_verdict ahx(const unsigned char *p, size_t n, sink *o)
{
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        int v;
        if (c == '>')
            break;
        if (is_ws(c))
            continue;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            v = (c | 0x20) - 'a' + 10;
        else
            return TS_PDF_STREAM_DAMAGED;
        if (hi < 0) {
            hi = v;
        } else {
            if (!put(o, (unsigned char)(hi << 4 | v)))
                return TS_PDF_STREAM_UNCHECKED;
            hi = -1;
        }
    }
    return TS_PDF_STREAM_GOOD;
}

/* §7.4.3: '!'..'u' in groups of five, 'z' for a group of zeros, "~>" at the end. */
static ts_pdf_verdict a85(const unsigned char *p, size_t n, sink *o)
{
    unsigned long v = 0;
    unsigned k = 0;
    size_t i = 0;
    for (; i < n; i++) {
        unsigned char c = p[i];
        if (is_ws(c))
            continue;
        if (c == '~')
            break;
        if (c == 'z' && k == 0) {
            for (int j = 0; j < 4; j++)
                if (!put(o, 0))
                    return TS_PDF_STREAM_UNCHECKED;
            continue;
        }
        if (c < '!' || c > 'u')
            return TS_PDF_STREAM_DAMAGED;
        v = v * 85 + (unsigned long)(c - '!');
        if (++k == 5) {
            if (v > 0xFFFFFFFFul)
                return TS_PDF_STREAM_DAMAGED;
            for (int j = 3; j >= 0; j--)
                if (!put(o, (unsigned char)(v >> (8 * j))))
                    return TS_PDF_STREAM_UNCHECKED;
            v = 0;
            k = 0;
        }
    }
    if (k == 1)
        return TS_PDF_STREAM_DAMAGED; /* one character alone encodes nothing */
    if (k > 1) {
        for (unsigned j = k; j < 5; j++)
            v = v * 85 + 84;
        for (unsigned j = 0; j + 1 < k; j++)
            if (!put(o, (unsigned char)(v >> (8 * (3 - j)))))
                return TS_PDF_STREAM_UNCHECKED;
    }
    return TS_PDF_STREAM_GOOD;
}

/* §7.4.5: any bytes decode; a run cut short by the end is kept as far as it goes. */
static ts_pdf_verdict rl(const unsigned char *p, size_t n, sink *o)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i++];
        if (c == 128)
            break;
        if (c < 128) {
            for (unsigned j = 0; j <= c && i < n; j++)
                if (!put(o, p[i++]))
                    return TS_PDF_STREAM_UNCHECKED;
        } else if (i < n) {
            for (unsigned j = 0; j < 257u - c; j++)
                if (!put(o, p[i]))
                    return TS_PDF_STREAM_UNCHECKED;
            i++;
        }
    }
    return TS_PDF_STREAM_GOOD;
}

/*
 * §7.4.4: LZW with codes of 9 to 12 bits, 256 clears the table, 257 ends the data. A code past
 * the next free entry (or any entry code right after a clear) is a bad code, as qpdf says
 * ("LZWDecoder: bad code received"); poppler stops there. Running out of bits ends the data.
 * A full table without a clear is not counted as damage (poppler clears it and goes on).
 */
typedef struct lzw_entry {
    unsigned short prev; /* the code this one extends (or 0xFFFF for a single byte) */
    unsigned char last, first;
    unsigned len;
} lzw_entry;

static ts_pdf_verdict lzw(const unsigned char *p, size_t n, long early, sink *o)
{
    lzw_entry *t = ts_malloc(4096 * sizeof(*t));
    unsigned char *tmp = ts_malloc(4096);
    if (t == NULL || tmp == NULL) {
        ts_free(t);
        ts_free(tmp);
        o->oom = true;
        return TS_PDF_STREAM_UNCHECKED;
    }
    for (unsigned c = 0; c < 256; c++)
        t[c] = (lzw_entry){
            .prev = 0xFFFF, .last = (unsigned char)c, .first = (unsigned char)c, .len = 1};
    unsigned next = 258, bits = 9, prev = 0xFFFF;
    unsigned long buf = 0;
    unsigned have = 0;
    size_t i = 0;
    unsigned e = early ? 1 : 0;
    ts_pdf_verdict v = TS_PDF_STREAM_GOOD;
    for (;;) {
        while (have < bits && i < n) {
            buf = (buf << 8 | p[i++]) & 0xFFFFFFul;
            have += 8;
        }
        if (have < bits)
            break; /* the bits ran out: the end */
        unsigned code = (unsigned)(buf >> (have - bits)) & ((1u << bits) - 1);
        have -= bits;
        if (code == 256) {
            next = 258;
            bits = 9;
            prev = 0xFFFF;
            continue;
        }
        if (code == 257)
            break;
        if (code > next || (code >= 258 && prev == 0xFFFF) || (code == next && next >= 4096)) {
            v = TS_PDF_STREAM_DAMAGED;
            break;
        }
        unsigned first = code < next ? t[code].first : t[prev].first;
        if (prev != 0xFFFF && next < 4096) {
            t[next] = (lzw_entry){.prev = (unsigned short)prev,
                                  .last = (unsigned char)first,
                                  .first = t[prev].first,
                                  .len = t[prev].len + 1};
            next++;
        }
        /* write the string of `code` (now in the table) */
        unsigned len = t[code].len, c = code;
        for (unsigned k = len; k > 0 && c != 0xFFFF; k--, c = t[c].prev)
            tmp[k - 1] = t[c].last;
        for (unsigned k = 0; k < len; k++)
            if (!put(o, tmp[k])) {
                v = TS_PDF_STREAM_UNCHECKED;
                goto out;
            }
        prev = code;
        if (next + e >= 2048)
            bits = 12;
        else if (next + e >= 1024)
            bits = 11;
        else if (next + e >= 512)
            bits = 10;
    }
out:
    ts_free(t);
    ts_free(tmp);
    return v;
}

/*
 * §7.4.4.4: the predictor's parameters must make a row poppler can build (StreamPredictor:
 * at most 32 colours, 1 to 16 bits, a row that fits an int); otherwise poppler drops the
 * predictor and reads the predicted bytes as they are, and qpdf stops on a TIFF predictor
 * ("overflow reading bit stream").
 */
static bool predictor_ok(const ts_pdf_stage *s)
{
    if (s->predictor <= 1)
        return true;
    long b = s->bpc;
    if (s->colors < 1 || s->colors > 32 || s->columns < 1 || s->columns > (1L << 24) ||
        !(b == 1 || b == 2 || b == 4 || b == 8 || b == 16))
        return false;
    return s->predictor == 2 || (s->predictor >= 10 && s->predictor <= 15);
}

static bool blank(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws(p[i]))
            return false;
    return true;
}

ts_status ts_pdf_stream_check(const ts_pdf_stage *v, size_t n, const unsigned char *src, size_t len,
                              uint64_t *budget, ts_pdf_verdict *out)
{
    const unsigned char *in = src;
    size_t in_len = len;
    unsigned char *prev = NULL; /* the output of the last stage (the input of this one) */
    ts_pdf_verdict res = TS_PDF_STREAM_GOOD;
    ts_status st = TS_OK;
    for (size_t k = 0; k < n && res == TS_PDF_STREAM_GOOD; k++) {
        const ts_pdf_stage *s = &v[k];
        sink o = {.budget = budget};
        switch (s->filter) {
        case TS_PDF_FILTER_FLATE: {
            ts_pdf_inflated how = ts_pdf_inflate_how(in, in_len, &o.p, &o.cap, &o.len, budget);
            if (how == TS_PDF_INFLATE_LIMIT)
                res = TS_PDF_STREAM_UNCHECKED;
            else if (how == TS_PDF_INFLATE_DAMAGED && !blank(in, in_len))
                res = TS_PDF_STREAM_DAMAGED;
            /* cut short: poppler reads the prefix; only nothing at all out of something counts */
            else if (how == TS_PDF_INFLATE_CUT && o.len == 0 && !blank(in, in_len))
                res = TS_PDF_STREAM_DAMAGED;
            break;
        }
        case TS_PDF_FILTER_LZW:
            res = lzw(in, in_len, s->early, &o);
            break;
        case TS_PDF_FILTER_AHX:
            res = ahx(in, in_len, &o);
            break;
        case TS_PDF_FILTER_A85:
            res = a85(in, in_len, &o);
            break;
        case TS_PDF_FILTER_RL:
            res = rl(in, in_len, &o);
            break;
        }
        if (o.oom)
            st = TS_ENOMEM;
        /* a predictor poppler cannot apply, with data to apply it to (a PNG row begins with its
         * type byte: that byte alone is an empty row): what poppler reads is not the content */
        if (res == TS_PDF_STREAM_GOOD && !predictor_ok(s) && o.len > (s->predictor >= 10 ? 1u : 0u))
            res = TS_PDF_STREAM_DAMAGED;
        ts_free(prev);
        prev = o.p;
        in = o.p;
        in_len = o.len;
        /* a stage with a predictor hands on bytes this check does not un-predict */
        if (res == TS_PDF_STREAM_GOOD && s->predictor > 1 && k + 1 < n)
            res = TS_PDF_STREAM_UNCHECKED;
    }
    ts_free(prev);
    *out = st == TS_OK ? res : TS_PDF_STREAM_UNCHECKED;
    return st;
}

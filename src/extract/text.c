/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain text: charset handled (UTF-8, UTF-16, Windows-1252), streamed in line-aligned chunks. */
#include "extract/extract.h"

#include <stdint.h>
#include <string.h>

#define CHUNK (1u << 20)    /* text handed to detection at a time, cut at a line end */
#define MAX_LINE (4u << 20) /* hostile input: a line longer than this is cut anyway */


static unsigned long count_lines(const char *p, size_t len)
{
    unsigned long n = 0;
    const char *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        n++;
        p = nl + 1;
    }
    return n;
}

/* Hand one chunk to detection and move the line counter past it. */
static ts_status emit(ts_doc *doc, unsigned long *line, const char *text, size_t len)
{
    ts_loc loc = {.where = TS_WHERE_BODY, .page = 0, .part = NULL, .line = *line};
    ts_status st = ts_doc_text(doc, &loc, text, len);
    *line += count_lines(text, len);
    return st;
}

/*
 * Length of the next chunk of p[0, avail): about CHUNK bytes ending after a '\n'; a line longer
 * than MAX_LINE is cut, before a UTF-8 continuation byte if it can be.
 */
static size_t chunk_len(const unsigned char *p, size_t avail)
{
    if (avail <= CHUNK)
        return avail;
    for (size_t i = CHUNK; i > 0; i--)
        if (p[i - 1] == '\n')
            return i;
    size_t reach = avail < MAX_LINE ? avail : MAX_LINE;
    const unsigned char *nl = memchr(p + CHUNK, '\n', reach - CHUNK);
    if (nl != NULL)
        return (size_t)(nl - p) + 1;
    if (reach == avail)
        return avail;
    size_t cut = reach;
    for (unsigned k = 0; k < 3 && (p[cut] & 0xC0) == 0x80; k++)
        cut--;
    return cut;
}

static ts_status extract_bytes(ts_doc *doc, const ts_input *in, size_t off)
{
    ts_status st = TS_OK;
    unsigned long line = 1;
    while (off < in->len) {
        size_t n = chunk_len(in->data + off, in->len - off);
        st = emit(doc, &line, (const char *)in->data + off, n);
        ts_input_release(in, off, n);
        if (st != TS_OK)
            break;
        off += n;
    }
    return st;
}


/* UTF-16 → UTF-8 in chunks that end after a '\n' (or at MAX_LINE bytes of output). */
static ts_status extract_utf16(ts_doc *doc, const ts_input *in, size_t off, bool big_endian)
{
    ts_status st = TS_OK;
    unsigned long line = 1;
    const unsigned char *d = in->data;
    size_t len = in->len;
    unsigned char *buf = ts_malloc(MAX_LINE + 4);
    if (buf == NULL)
        return TS_ENOMEM;
    while (off < len) {
        size_t start = off, w = 0;
        bool at_line_end = false;
        /* fill to CHUNK, then on to the next line end, never past MAX_LINE */
        while (off < len && w < MAX_LINE && (w < CHUNK || !at_line_end)) {
            uint32_t cp;
            if (len - off < 2) {
                cp = 0xFFFD; /* a lone trailing byte */
                off = len;
            } else {
                unsigned u = big_endian ? (unsigned)(d[off] << 8 | d[off + 1])
                                        : (unsigned)(d[off + 1] << 8 | d[off]);
                off += 2;
                cp = u;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    unsigned v = 0;
                    if (len - off >= 2)
                        v = big_endian ? (unsigned)(d[off] << 8 | d[off + 1])
                                       : (unsigned)(d[off + 1] << 8 | d[off]);
                    if (v >= 0xDC00 && v <= 0xDFFF) {
                        cp = 0x10000 + ((uint32_t)(u - 0xD800) << 10) + (v - 0xDC00);
                        off += 2;
                    } else {
                        cp = 0xFFFD; /* lone high surrogate; the next unit is read on its own */
                    }
                } else if (u >= 0xDC00 && u <= 0xDFFF) {
                    cp = 0xFFFD; /* lone low surrogate */
                }
            }
            w += ts_utf8_put(buf + w, cp);
            at_line_end = cp == '\n';
        }
        st = emit(doc, &line, (const char *)buf, w);
        ts_input_release(in, start, off - start);
        if (st != TS_OK)
            break;
    }
    ts_free(buf);
    return st;
}

static ts_status text_extract(ts_doc *doc, const ts_input *in)
{
    const unsigned char *d = in->data;
    size_t len = in->len;
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
        return extract_bytes(doc, in, 3);
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return extract_utf16(doc, in, 2, false);
    if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return extract_utf16(doc, in, 2, true);
    switch (ts_type_utf16_guess(d, len)) {
    case 1:
        return extract_utf16(doc, in, 0, false);
    case 2:
        return extract_utf16(doc, in, 0, true);
    default:
        return extract_bytes(doc, in, 0);
    }
}

const struct ts_extractor ts_extractor_text = {
    .name = "text",
    .types = (const ts_type[]){TS_TYPE_TEXT, TS_TYPE_NONE},
    .extract = text_extract,
};

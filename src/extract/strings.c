/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Printable strings of bytes no reader understands, as `strings` finds them: nothing is unseen. */
#include "extract/extract.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

#define MIN_CHARS 6u        /* characters other than white space that make a run a string */
#define BATCH (1u << 20)    /* bytes of strings handed to detection at a time */
#define RUNS_MAX (1u << 16) /* runs in one batch: more and the batch is handed over early */
#define NOISE_SIDE 256u     /* bytes on each side of a short string that tell noise from data */
#define NOISE_LONG 24u      /* a string this long is never noise (random bytes: < 1e-10) */

/* Where a run of the batch came from. */
typedef struct run_at {
    size_t text; /* offset in the batch */
    size_t file; /* offset in the document */
} run_at;

typedef struct strings {
    ts_doc *doc;
    char *buf;
    size_t len, cap;
    run_at *runs;
    size_t nruns, cap_runs;
    char part[40];
    ts_status st;
} strings;

/* A finding's place: the byte of the document where its string starts. */
static bool place(void *payload, size_t start, size_t end, ts_loc *loc)
{
    strings *S = payload;
    (void)end;
    size_t lo = 0, hi = S->nruns;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (S->runs[mid].text <= start)
            lo = mid;
        else
            hi = mid;
    }
    if (S->nruns > 0) {
        snprintf(S->part, sizeof S->part, "byte %zu", S->runs[lo].file);
        loc->part = S->part;
    }
    return true;
}

static void flush(strings *S)
{
    if (S->st != TS_OK || S->len == 0)
        return;
    ts_loc loc = {.where = TS_WHERE_BODY};
    S->st = ts_doc_text_placed(S->doc, &loc, S->buf, S->len, place, S);
    S->len = 0;
    S->nruns = 0;
}

/* Start a run that begins at byte `file` of the document. */
static void begin_run(strings *S, size_t file)
{
    if (S->len >= BATCH || S->nruns >= RUNS_MAX)
        flush(S);
    if (S->st != TS_OK)
        return;
    if (ts_grow((void **)&S->runs, &S->cap_runs, S->nruns + 1, sizeof(*S->runs)) != 0) {
        S->st = TS_ENOMEM;
        return;
    }
    S->runs[S->nruns++] = (run_at){.text = S->len, .file = file};
}

static void put(strings *S, const void *p, size_t n)
{
    if (S->st != TS_OK)
        return;
    if (ts_grow((void **)&S->buf, &S->cap, S->len + n, 1) != 0) {
        S->st = TS_ENOMEM;
        return;
    }
    memcpy(S->buf + S->len, p, n);
    S->len += n;
}

/* White space inside a string (a line end ends it: each line is a string of its own, placed at
 * its own byte). */
static bool blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* Code units of Latin-1 text (UTF-16LE) from d[i], and how many of them are not white space. */
static size_t utf16_run(const unsigned char *d, size_t len, size_t i, size_t *graphic)
{
    size_t n = 0;
    *graphic = 0;
    while (len - i >= 2 && d[i + 1] == 0 &&
           (blank(d[i]) || (d[i] >= 0x20 && ts_charset_text_byte(d[i]))) && n < BATCH / 2) {
        *graphic += !blank(d[i]);
        n++;
        i += 2;
    }
    return n;
}

/*
 * Bytes of printable ASCII (with whole UTF-8 sequences) from d[i], and how many characters of
 * them are not white space. With `stop16` the run ends where a UTF-16 string starts.
 */
static size_t ascii_run(const unsigned char *d, size_t len, size_t i, bool stop16, size_t *graphic)
{
    size_t j = i, g16;
    *graphic = 0;
    while (j < len && j - i < BATCH) {
        unsigned char c = d[j];
        if (c >= 0x80) {
            size_t k = ts_utf8_seq(d + j, len - j);
            if (k < 2)
                break;
            (*graphic)++;
            j += k;
            continue;
        }
        if ((c < 0x20 && !blank(c)) || c == 0x7F)
            break;
        if (stop16 && j + 1 < len && d[j + 1] == 0 && utf16_run(d, len, j, &g16) > 0 &&
            g16 >= MIN_CHARS)
            break;
        *graphic += !blank(c);
        j++;
    }
    return j - i;
}

/* Do n bytes look random (compressed, encrypted, entropy-coded pixels): many byte values? */
static bool random_like(const unsigned char *d, size_t n)
{
    unsigned char seen[32] = {0};
    size_t distinct = 0;
    if (n < NOISE_SIDE / 2)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned bit = 1u << (d[i] & 7);
        distinct += (seen[d[i] >> 3] & bit) == 0;
        seen[d[i] >> 3] |= (unsigned char)bit;
    }
    /* 256 random bytes hold about 162 values, text or a structured binary well under 100 */
    return distinct * 20 >= n * 9;
}

/*
 * Is the short string at d[start, end) noise: printable by chance in random bytes on both its
 * sides? A 50 MB compressed file has thousands of such runs ("J3O\UmyG"), and rules find
 * accounts and keys in some. Text appended to such a file has the file's end on one side.
 */
static bool noise(const unsigned char *d, size_t len, size_t start, size_t end, size_t graphic)
{
    if (graphic >= NOISE_LONG)
        return false;
    size_t before = start < NOISE_SIDE ? start : NOISE_SIDE;
    size_t after = len - end < NOISE_SIDE ? len - end : NOISE_SIDE;
    return random_like(d + start - before, before) && random_like(d + end, after);
}

ts_status ts_strings_scan(ts_doc *doc, const unsigned char *data, size_t len, size_t base,
                          unsigned which)
{
    strings S = {.doc = doc};
    bool ascii = (which & TS_STRINGS_ASCII) != 0, wide = (which & TS_STRINGS_UTF16LE) != 0;
    unsigned char u8[4];
    for (size_t i = 0; i < len && S.st == TS_OK;) {
        size_t graphic = 0, n;
        if (wide && (n = utf16_run(data, len, i, &graphic)) > 0 && graphic >= MIN_CHARS &&
            !noise(data, len, i, i + 2 * n, graphic)) {
            size_t k = 0;
            while (blank(data[i + 2 * k])) /* a string starts at its first character */
                k++;
            begin_run(&S, base + i + 2 * k);
            for (; k < n; k++)
                put(&S, u8, ts_utf8_put(u8, data[i + 2 * k])); /* Latin-1 is U+0000-U+00FF */
            put(&S, "\n", 1);
            i += 2 * n;
            continue;
        }
        n = ascii ? ascii_run(data, len, i, wide, &graphic) : 0;
        if (n > 0 && graphic >= MIN_CHARS && !noise(data, len, i, i + n, graphic)) {
            size_t k = 0;
            while (blank(data[i + k]))
                k++;
            begin_run(&S, base + i + k);
            put(&S, data + i + k, n - k);
            put(&S, "\n", 1);
        }
        i += n > 0 ? n : 1;
    }
    flush(&S);
    ts_free(S.buf);
    ts_free(S.runs);
    return S.st;
}

/* A file of no type tenderscan knows: its strings are scanned, and it still cannot be vouched
 * for (grade error), whatever they hold. */
static ts_status strings_extract(ts_doc *doc, const ts_input *in)
{
    ts_status st =
        ts_strings_scan(doc, in->data, in->len, 0, TS_STRINGS_ASCII | TS_STRINGS_UTF16LE);
    ts_doc_fail_msg(doc, TS_EUNSUPPORTED, TS_MSG_FAIL_ONLY_STRINGS);
    return st;
}

const struct ts_extractor ts_extractor_strings = {
    .name = "strings",
    .types = (const ts_type[]){TS_TYPE_UNKNOWN, TS_TYPE_NONE},
    .flags = TS_EXTRACT_FALLBACK,
    .extract = strings_extract,
};

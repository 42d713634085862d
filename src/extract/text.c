/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain text: charset handled (UTF-8, UTF-16, Windows-1252), streamed in line-aligned chunks. */
#include "extract/extract.h"

#include <stdint.h>
#include <string.h>

#include "extract/office.h"

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

/* 8-bit text in [off, end) in line-aligned chunks; *line moves on past it. */
static ts_status extract_bytes(ts_doc *doc, const ts_input *in, size_t off, size_t end,
                               unsigned long *line)
{
    ts_status st = TS_OK;
    while (off < end) {
        size_t n = chunk_len(in->data + off, end - off);
        st = emit(doc, line, (const char *)in->data + off, n);
        ts_input_release(in, off, n);
        if (st != TS_OK)
            break;
        off += n;
    }
    return st;
}

/*
 * ---- delimited text (CSV, TSV) -------------------------------------------------------------
 * A text whose first lines are records with the same number of delimiters (';', ',', TAB or
 * '|' outside quotes) on most of them is a table: each record a row, each field a cell at its
 * index, so detection judges a value by its column's header ("login,pw"). Fields follow RFC 4180:
 * a field may be quoted, "" is a quote, and a quoted field may hold the delimiter and line
 * breaks (they become spaces, so the cell stays on its record's line). The cells of a record
 * are handed over on one line, separated by a TAB; each cell keeps the line it starts on.
 */

#define SNIFF_RECORDS 20u        /* non-empty records looked at */
#define SNIFF_BYTES (64u << 10)  /* … within this many bytes */
#define SNIFF_PREAMBLE 6u        /* records with no delimiter above a table (a title, a note) */
#define PROSE_WORDS 8u           /* a field of this many words is a sentence */
#define MAX_QUOTED (64u << 10)   /* hostile input: a quote with no end this near is a letter */
#define MAX_FIELDS 16384u        /* hostile input: fields of a record counted as columns */
#define RELEASE_BYTES (4u << 20) /* input handed back (ts_input_release) this often */
#define NONE SIZE_MAX

/* What the delimiter makes of one record. */
typedef struct rec_shape {
    size_t delims; /* delimiters outside quotes */
    size_t filled; /* fields holding text */
    size_t labels; /* … of them looking like a label ("Bruker", "IP-adresse") */
    bool sentence; /* a field of PROSE_WORDS words or more: running text */
} rec_shape;

static void shape_field(const char *p, size_t a, size_t b, rec_shape *r)
{
    while (a < b && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r' || p[a] == '"'))
        a++;
    while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' || p[b - 1] == '\r' || p[b - 1] == '"'))
        b--;
    if (a == b)
        return;
    r->filled++;
    r->labels += ts_label_like(p + a, b - a);
    size_t words = 1;
    for (size_t i = a + 1; i < b && words < PROSE_WORDS; i++)
        words += p[i] == ' ' && p[i - 1] != ' ';
    r->sentence |= words >= PROSE_WORDS;
}

/* The shape of one record from p[*at]; *at moves past it. Quotes as in RFC 4180. */
static void sniff_record(const char *p, size_t len, size_t *at, char d, rec_shape *r)
{
    size_t i = *at, fs = i;
    bool quoted = false, field_start = true;
    *r = (rec_shape){0};
    for (; i < len; i++) {
        char c = p[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < len && p[i + 1] == '"')
                    i++;
                else
                    quoted = false;
            }
            continue;
        }
        if (c == '\n')
            break;
        if (c == d) {
            r->delims++;
            shape_field(p, fs, i, r);
            fs = i + 1;
            field_start = true;
            continue;
        }
        if (c == '"' && field_start)
            quoted = true;
        if (c != ' ')
            field_start = false;
    }
    shape_field(p, fs, i, r);
    *at = i < len ? i + 1 : len;
}

/*
 * The delimiter of a delimited text, or 0. Up to SNIFF_PREAMBLE records with none of it (a
 * title, a blank line, a note above an exported table) may come first, and fewer than the
 * table has may come last (a note below it: "Opptak lagres i 7 dager."). Of the records
 * between, most (all of them when there are only two or three) must have the same number m >= 1
 * of delimiters, the first record among them; and either that first record is a header (two or
 * more fields, all labels), or there are five records or more of three fields or more. The
 * delimiter that splits the most (those records times m, then the most records) wins: a TAB
 * table whose cells hold a comma each ("Serverrommet ligg i kjellaren, under kjøkkenet") below
 * a title with a comma is TAB-separated. Lines of which half or more hold a sentence (a field
 * of PROSE_WORDS words) are not split at commas: prose has a comma in most sentences. Prose
 * with a comma or two, a log line's "12:00:00,123", JSON and XML (a first character '{', '['
 * or '<') stay text.
 */
static char sniff(const char *p, size_t len)
{
    static const char cands[] = {'\t', ';', ',', '|'};
    size_t lim = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    size_t k = 0;
    while (k < lim && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '\n'))
        k++;
    if (k == lim || p[k] == '{' || p[k] == '[' || p[k] == '<')
        return 0;
    char best = 0;
    size_t best_agree = 0, best_m = 0;
    for (size_t c = 0; c < sizeof cands; c++) {
        rec_shape r[SNIFF_RECORDS];
        size_t n = 0, at = 0;
        while (at < lim && n < SNIFF_RECORDS) {
            sniff_record(p, lim, &at, cands[c], &r[n]);
            if (at >= lim && lim < len)
                break; /* a record cut by the window is not counted */
            if (r[n].filled > 0 || r[n].delims > 0)
                n++;
        }
        /* a title and a sentence or two above the table, with no delimiter, are its preamble */
        size_t s0 = 0;
        while (s0 < n && s0 < SNIFF_PREAMBLE && r[s0].delims == 0)
            s0++;
        rec_shape *t = r + s0;
        n -= s0;
        /* … and a note or two below it (when the whole table fits in the window): fewer lines
         * than the table has */
        size_t tail = 0;
        while (tail < n && tail < SNIFF_PREAMBLE && t[n - 1 - tail].delims == 0)
            tail++;
        if (tail * 2 < n)
            n -= tail;
        if (n < 2)
            continue;
        /* prose has a comma in most sentences: lines whose fields are sentences are no CSV */
        size_t sentences = 0;
        for (size_t i = 0; i < n; i++)
            sentences += t[i].sentence;
        if (cands[c] == ',' && sentences * 2 >= n)
            continue;
        size_t m = 0, agree = 0;
        for (size_t i = 0; i < n; i++) {
            size_t same = 0;
            for (size_t j = 0; j < n; j++)
                same += t[j].delims == t[i].delims;
            if (t[i].delims > 0 && (same > agree || (same == agree && t[i].delims > m))) {
                agree = same;
                m = t[i].delims;
            }
        }
        bool header = t[0].filled >= 2 && t[0].labels == t[0].filled;
        bool ok = m > 0 && t[0].delims == m && (header || (m >= 2 && n >= 5)) &&
                  (n <= 3 ? agree == n : agree * 10 >= n * 8);
        if (ok && (agree * m > best_agree * best_m ||
                   (agree * m == best_agree * best_m && agree > best_agree))) {
            best = cands[c];
            best_agree = agree;
            best_m = m;
        }
    }
    return best;
}

typedef struct csv_state {
    const char *p;
    size_t len;
    char d;
    ts_tsink sink;
    unsigned long line;
    bool scanned;
    size_t close; /* the next possible end of a quoted field (a quote before a delimiter or a
                     line end) after the last quote asked about, or NONE */
} csv_state;

/* Field text into the sink; bytes that are not UTF-8 read as Windows-1252 (as ts_doc_text
 * would), so that the cells' places stay exact. */
static void put_field(csv_state *c, const char *t, size_t n)
{
    char *fixed = NULL;
    size_t flen = 0;
    bool owned = false;
    if (n == 0)
        return;
    if (ts_utf8_clean(t, n, &fixed, &flen, &owned) != TS_OK) {
        c->sink.st = TS_ENOMEM;
        return;
    }
    ts_tsink_put(&c->sink, fixed, flen, TS_WHERE_BODY);
    if (owned)
        ts_free(fixed);
}

/*
 * Is the quote at p[i] the start of a quoted field: is there a quote followed by the delimiter,
 * a line end or the end of the text within MAX_QUOTED bytes? The search goes on from where the
 * last one stopped, so the whole text is looked at once at most.
 */
static bool has_close(csv_state *c, size_t i)
{
    /* queries come in text order: the last answer holds while it lies after i */
    if (!c->scanned || (c->close != NONE && c->close <= i)) {
        c->scanned = true;
        c->close = NONE;
        for (size_t k = i + 1; k < c->len; k++) {
            const char *q = memchr(c->p + k, '"', c->len - k);
            if (q == NULL)
                break;
            k = (size_t)(q - c->p);
            char nx = k + 1 < c->len ? c->p[k + 1] : '\n';
            if (nx == c->d || nx == '\n' || nx == '\r') {
                c->close = k;
                break;
            }
            if (nx == '"')
                k++;
        }
    }
    return c->close != NONE && c->close - i <= MAX_QUOTED;
}

/* One field from p[i]; returns the index just past it (at the delimiter or line end). */
static size_t csv_field(csv_state *c, size_t i)
{
    const char *p = c->p;
    size_t len = c->len;
    size_t lead = i;
    while (lead < len && p[lead] == ' ')
        lead++;
    if (lead < len && p[lead] == '"' && has_close(c, lead)) {
        size_t j = lead + 1, seg = j;
        for (; j < len; j++) {
            if (p[j] == '"') {
                put_field(c, p + seg, j - seg);
                if (j + 1 < len && p[j + 1] == '"') {
                    seg = ++j; /* "" is a quote: the second one starts the next piece */
                    continue;
                }
                j++;
                break;
            }
            if (p[j] == '\n' || p[j] == '\r') {
                /* a line break inside quotes: a space on the cell's line */
                put_field(c, p + seg, j - seg);
                if (p[j] == '\n') {
                    c->line++;
                    ts_tsink_put(&c->sink, " ", 1, TS_WHERE_BODY);
                }
                seg = j + 1;
            }
        }
        if (j > len)
            j = len;
        i = j; /* text after the closing quote belongs to the field too */
    }
    size_t s = i;
    while (i < len && p[i] != c->d && p[i] != '\n')
        i++;
    size_t e = i;
    if (e > s && p[e - 1] == '\r')
        e--;
    put_field(c, p + s, e - s);
    return i;
}

static ts_status extract_csv(ts_doc *doc, const ts_input *in, size_t off, char d)
{
    csv_state c = {.p = (const char *)in->data, .len = in->len, .d = d, .line = 1};
    size_t i = off, released = off;
    ts_tsink_init(&c.sink, doc, TS_WHERE_BODY, NULL);
    ts_tsink_table(&c.sink);
    while (i < c.len && c.sink.st == TS_OK) {
        size_t e = i;
        while (e < c.len && (c.p[e] == ' ' || c.p[e] == '\t' || c.p[e] == '\r') && c.p[e] != d)
            e++;
        if (e < c.len && c.p[e] == '\n') { /* an empty line is no record */
            c.line++;
            i = e + 1;
            continue;
        }
        if (e >= c.len)
            break;
        unsigned long col = 0;
        bool first = true;
        for (;;) {
            ts_tsink_cell(&c.sink, c.line, col, NULL, first);
            first = false;
            i = csv_field(&c, i);
            if (i < c.len && c.p[i] == d) {
                i++;
                if (col < MAX_FIELDS)
                    col++;
                continue;
            }
            break;
        }
        if (i < c.len) { /* the line end */
            c.line++;
            i++;
        }
        if (i - released >= RELEASE_BYTES && i - released <= c.len) {
            ts_input_release(in, released, i - released);
            released = i;
        }
    }
    ts_status st = ts_tsink_dispose(&c.sink);
    if (released < c.len)
        ts_input_release(in, released, c.len - released);
    return st;
}

/* UTF-16 in [off, end) → UTF-8 in chunks that end after a '\n' (or at MAX_LINE bytes). */
static ts_status extract_utf16(ts_doc *doc, const ts_input *in, size_t off, size_t end,
                               bool big_endian, unsigned long *line)
{
    ts_status st = TS_OK;
    const unsigned char *d = in->data;
    size_t len = end;
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
        st = emit(doc, line, (const char *)buf, w);
        if (st != TS_OK)
            break;
        /* bytes that are not UTF-16 text decode to nonsense: their own printable strings are
         * scanned too, so an ASCII line among them is never lost */
        st = ts_strings_scan(doc, d + start, off - start, start, TS_STRINGS_ASCII);
        ts_input_release(in, start, off - start);
        if (st != TS_OK)
            break;
    }
    ts_free(buf);
    return st;
}

/* Text as bytes from `off`: a delimited text as a table, anything else as it is. */
static ts_status extract_text(ts_doc *doc, const ts_input *in, size_t off)
{
    char d = sniff((const char *)in->data + off, in->len - off);
    unsigned long line = 1;
    return d ? extract_csv(doc, in, off, d) : extract_bytes(doc, in, off, in->len, &line);
}

/*
 * The charset the text starts in (a byte order mark, or UTF-16 told by its NULs), then run by
 * run: a file may change charset on the way (PowerShell's Out-File -Append writes ASCII after
 * UTF-16), and each run is read in its own. Line numbers go on across runs.
 */
static ts_status text_extract(ts_doc *doc, const ts_input *in)
{
    const unsigned char *d = in->data;
    size_t len = in->len, off = 0;
    ts_charset cs = TS_CHARSET_8BIT;
    int guess = ts_type_utf16_guess(d, len);
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
        off = 3;
    } else if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
        off = 2;
        cs = d[0] == 0xFE ? TS_CHARSET_UTF16BE : TS_CHARSET_UTF16LE;
    } else if (guess != 0) {
        cs = guess == 2 ? TS_CHARSET_UTF16BE : TS_CHARSET_UTF16LE;
    }
    ts_charset next;
    size_t end = ts_charset_run(d, len, off, cs, &next);
    if (cs == TS_CHARSET_8BIT && end == len)
        return extract_text(doc, in, off); /* one charset: CSV is told apart here */
    ts_status st = TS_OK;
    unsigned long line = 1;
    for (;;) {
        if (cs == TS_CHARSET_8BIT)
            st = extract_bytes(doc, in, off, end, &line);
        else
            st = extract_utf16(doc, in, off, end, cs == TS_CHARSET_UTF16BE, &line);
        if (st != TS_OK || end >= len)
            break;
        off = end;
        cs = next;
        end = ts_charset_run(d, len, off, cs, &next);
        if (end == off && next == cs)
            end = len; /* cannot happen (a run ends where the charset changes): read on */
    }
    return st;
}

const struct ts_extractor ts_extractor_text = {
    .name = "text",
    .types = (const ts_type[]){TS_TYPE_TEXT, TS_TYPE_NONE},
    .extract = text_extract,
};

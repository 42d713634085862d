/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DWG: no free library reads it, so say so, and read what lies in the open (version, strings). */
#include "extract/drawing.h"

#include <stdint.h>
#include <string.h>

#include "extract/office.h"

/*
 * DWG is AutoCAD's own binary format: since R2004 its sections are compressed and partly
 * encrypted, and Debian has no library that reads it. A DWG is therefore never `ok`: every one
 * gets document.dwg-not-read ("export it to DXF or PDF and scan that"). What is read:
 *   - the version from the first six bytes ("AC1032" = AutoCAD 2018);
 *   - strings stored in the open: 8-bit runs (R13-R2000 keep texts and user names so) and
 *     UTF-16LE runs (R2007 and later keep summary information so), handed to detection as
 *     text of the drawing;
 *   - the AppInfo property set (<prop id="8"> last saved by, <prop id="4"> author).
 */

#define MIN_ASCII 6u
#define MIN_UTF16 4u
#define MAX_SCAN (256u << 20) /* hostile input: bytes searched for strings */
#define RELEASE_STEP (4u << 20)
#define RUN_MAX 1024u

static const struct {
    const char *code, *name;
} versions[] = {
    {"AC1.40", "Release 1.40"}, {"AC1.50", "Release 2.05"}, {"AC2.10", "Release 2.10"},
    {"AC1001", "Release 2.22"}, {"AC1002", "Release 2.50"}, {"AC1003", "Release 2.60"},
    {"AC1004", "Release 9"},    {"AC1006", "Release 10"},   {"AC1009", "Release 11/12"},
    {"AC1012", "Release 13"},   {"AC1014", "Release 14"},   {"AC1015", "AutoCAD 2000"},
    {"AC1018", "AutoCAD 2004"}, {"AC1021", "AutoCAD 2007"}, {"AC1024", "AutoCAD 2010"},
    {"AC1027", "AutoCAD 2013"}, {"AC1032", "AutoCAD 2018"},
};

typedef struct dwg {
    ts_doc *doc;
    ts_status st;
    ts_tsink sink;
    char run[RUN_MAX + 8];
    size_t rlen;
} dwg;

static void oom(dwg *w, ts_status st)
{
    if (st != TS_OK && w->st == TS_OK)
        w->st = st;
}

/* <prop id="8"><string>NAME</string></prop> in the AppInfo property set */
static void props(dwg *w, const char *s, size_t n)
{
    static const struct {
        const char *key, *role, *rule;
    } keys[] = {
        {"<prop id=\"8\"><string>", "last saved by", "metadata.last-saved-by"},
        {"<prop id=\"4\"><string>", "author", "metadata.user-name"},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t kl = strlen(keys[k].key);
        for (size_t i = 0; i + kl < n; i++) {
            if (memcmp(s + i, keys[k].key, kl) != 0)
                continue;
            const char *v = s + i + kl;
            const char *e = memchr(v, '<', n - i - kl);
            if (e == NULL || e == v || e - v > 256)
                break;
            char *name = ts_doc_strndup(w->doc, v, (size_t)(e - v));
            ts_loc loc = {.where = TS_WHERE_METADATA};
            oom(w, name ? ts_office_person(w->doc, &loc, name, keys[k].role, keys[k].rule)
                        : TS_ENOMEM);
            break;
        }
    }
}

static void run_end(dwg *w, size_t min)
{
    if (w->rlen >= min) {
        ts_tsink_line(&w->sink, 0);
        ts_tsink_put(&w->sink, w->run, w->rlen, TS_WHERE_DRAWING);
        if (w->rlen > 20 && memchr(w->run, '<', w->rlen))
            props(w, w->run, w->rlen);
    }
    w->rlen = 0;
}

static bool printable(unsigned c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\t';
}

/* 8-bit runs: printable ASCII and Latin-1 letters (read as Windows-1252 by detection). */
static void ascii_runs(dwg *w, const unsigned char *d, size_t n)
{
    w->rlen = 0;
    for (size_t i = 0; i < n && w->st == TS_OK; i++) {
        unsigned c = d[i];
        if ((printable(c) || c >= 0xC0) && w->rlen < RUN_MAX)
            w->run[w->rlen++] = (char)c;
        else
            run_end(w, MIN_ASCII);
    }
    run_end(w, MIN_ASCII);
}

/* UTF-16LE runs of printable characters (Latin-1 and beyond, not control characters). */
static void utf16_runs(dwg *w, const unsigned char *d, size_t n, size_t start)
{
    w->rlen = 0;
    size_t chars = 0;
    for (size_t i = start; i + 1 < n && w->st == TS_OK; i += 2) {
        unsigned c = (unsigned)(d[i] | d[i + 1] << 8);
        bool ok = printable(c) || (c >= 0xA0 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE);
        if (ok && w->rlen + 4 < RUN_MAX) {
            w->rlen += ts_utf8_put((unsigned char *)w->run + w->rlen, c);
            chars++;
        } else {
            if (chars < MIN_UTF16)
                w->rlen = 0;
            run_end(w, 1);
            chars = 0;
        }
    }
    if (chars < MIN_UTF16)
        w->rlen = 0;
    run_end(w, 1);
}

static ts_status dwg_extract(ts_doc *doc, const ts_input *in)
{
    const char *name = "unknown version";
    char code[7] = {0};
    if (in->len >= 6)
        memcpy(code, in->data, 6);
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (memcmp(code, versions[i].code, 6) == 0)
            name = versions[i].name;
    dwg *w = ts_calloc(1, sizeof(*w));
    if (w == NULL)
        return TS_ENOMEM;
    w->doc = doc;
    ts_tsink_init(&w->sink, doc, TS_WHERE_DRAWING, "strings (DWG not decoded)");
    ts_loc loc = {.where = TS_WHERE_METADATA};
    char *v = ts_doc_printf(doc, "%s DWG (%s)", name, code);
    char *d = ts_doc_printf(doc,
                            "%s drawing: only its version and the strings stored in the "
                            "open were read; export it to DXF or PDF and scan that",
                            name);
    oom(w, v && d ? ts_doc_flag(doc, "document.dwg-not-read", &loc, v, d) : TS_ENOMEM);
    size_t n = in->len < MAX_SCAN ? in->len : MAX_SCAN;
    for (size_t off = 0; off < n && w->st == TS_OK; off += RELEASE_STEP) {
        size_t len = n - off < RELEASE_STEP ? n - off : RELEASE_STEP;
        /* runs cut at a step boundary are found in two pieces; that costs little */
        ascii_runs(w, in->data + off, len);
        utf16_runs(w, in->data + off, len, 0);
        utf16_runs(w, in->data + off, len, 1);
        ts_input_release(in, off, len);
    }
    ts_status st = ts_tsink_dispose(&w->sink);
    if (w->st != TS_OK)
        st = w->st;
    ts_free(w);
    return st;
}

const struct ts_extractor ts_extractor_dwg = {
    .name = "dwg",
    .types = (const ts_type[]){TS_TYPE_DWG, TS_TYPE_NONE},
    .extract = dwg_extract,
    .rules = ts_drawing_rules,
};

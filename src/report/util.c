/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers every reporter shares: safe text from documents, masking, HTML and CSV escaping. */
#include "report/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/core.h"
#include "report/report.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */
static const char ELLIPSIS[] = "…";

char *ts_report_clean(const char *s, size_t max, size_t *chars)
{
    size_t len = s ? strlen(s) : 0;
    size_t cap;
    if (ts_size_mul(&cap, len, 3) != 0 || cap > SIZE_MAX - sizeof ELLIPSIS)
        return NULL;
    char *buf = ts_malloc(cap + sizeof ELLIPSIS);
    if (buf == NULL)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t w = 0, n = 0, i = 0;
    while (i < len && n < max) {
        size_t k = ts_utf8_seq(u + i, len - i);
        if (k == 1 && (u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r')) {
            if (w == 0 || buf[w - 1] != ' ') {
                buf[w++] = ' ';
                n++;
            }
        } else if (k == 0 || ts_utf8_is_unsafe(u + i, k)) {
            memcpy(buf + w, REPLACEMENT, sizeof REPLACEMENT - 1);
            w += sizeof REPLACEMENT - 1;
            n++;
        } else {
            memcpy(buf + w, s + i, k);
            w += k;
            n++;
        }
        i += k ? k : 1;
    }
    if (i < len && max > 0) {
        /* cut: the last character shown makes room for the ellipsis */
        while (w > 0 && ((unsigned char)buf[w - 1] & 0xC0) == 0x80)
            w--;
        if (w > 0)
            w--;
        memcpy(buf + w, ELLIPSIS, sizeof ELLIPSIS - 1);
        w += sizeof ELLIPSIS - 1;
    }
    buf[w] = '\0';
    if (chars)
        *chars = n;
    return buf;
}

const char *ts_report_tail(const char *s, size_t n)
{
    size_t len = strlen(s), i = len, seen = 0;
    while (i > 0 && seen < n) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            seen++;
    }
    return s + i;
}

size_t ts_report_head(const char *s, size_t n)
{
    size_t i = 0, seen = 0;
    while (s[i] != '\0') {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (seen == n)
                break;
            seen++;
        }
        i++;
    }
    return i;
}

static char *finding_match(const ts_finding *f, int show_secrets)
{
    char small[256];
    size_t need = ts_finding_match(f, show_secrets, small, sizeof small);
    if (need < sizeof small)
        return ts_strndup(small, need);
    if (need == SIZE_MAX)
        return NULL;
    char *big = ts_malloc(need + 1);
    if (big != NULL)
        ts_finding_match(f, show_secrets, big, need + 1);
    return big;
}

char *ts_report_match(const ts_doc *doc, const ts_finding *f, int show_secrets)
{
    char *m = finding_match(f, show_secrets);
    if (m == NULL || show_secrets || doc == NULL)
        return m;
    /* a value that holds the secret of a name (a drawing verdict naming the document, an
     * attachment named after a password) */
    char *masked = ts_doc_mask_names(doc, m);
    ts_free(m);
    return masked;
}

char *ts_report_mask_secrets(const ts_doc *doc, const char *text, int show_secrets)
{
    return show_secrets ? ts_strdup(text ? text : "") : ts_doc_mask_values(doc, text);
}

char *ts_report_path(const ts_doc *doc, int show_secrets)
{
    return ts_path_render(doc, 0, show_secrets ? TS_PATH_SECRETS : 0);
}

char *ts_report_path_bytes(const ts_doc *doc, int show_secrets)
{
    return ts_path_render(doc, 0, TS_PATH_RAW | (show_secrets ? TS_PATH_SECRETS : 0));
}

ts_status ts_report_error(const ts_doc *doc, ts_lang lang, int show_secrets, char **out)
{
    const char *err = ts_doc_error_text(doc, lang);
    *out = NULL;
    if (err == NULL)
        return TS_OK;
    *out = ts_report_mask_secrets(doc, err, show_secrets);
    return *out != NULL ? TS_OK : TS_ENOMEM;
}

char *ts_report_name(const ts_doc *doc, int show_secrets)
{
    char *name = ts_path_render(doc, doc->name_off, show_secrets ? TS_PATH_SECRETS : 0);
    char *slash = name ? strrchr(name, '/') : NULL;
    if (slash != NULL && slash[1] != '\0')
        memmove(name, slash + 1, strlen(slash + 1) + 1);
    return name;
}

ts_status ts_out_html_text(ts_out *o, const char *s, size_t max)
{
    char *c = ts_report_clean(s, max, NULL);
    if (c == NULL)
        return TS_ENOMEM;
    ts_status st = TS_OK;
    const char *run = c;
    for (const char *p = c; st == TS_OK && *p != '\0'; p++) {
        const char *ref = NULL;
        switch (*p) {
        case '&':
            ref = "&amp;";
            break;
        case '<':
            ref = "&lt;";
            break;
        case '>':
            ref = "&gt;";
            break;
        case '"':
            ref = "&quot;";
            break;
        case '\'':
            ref = "&#39;";
            break;
        default:
            continue;
        }
        st = ts_out_write(o, run, (size_t)(p - run));
        if (st == TS_OK)
            st = ts_out_puts(o, ref);
        run = p + 1;
    }
    if (st == TS_OK)
        st = ts_out_puts(o, run);
    ts_free(c);
    return st;
}

ts_status ts_out_csv_field(ts_out *o, const char *s, char sep)
{
    char *c = ts_report_clean(s, SIZE_MAX, NULL);
    if (c == NULL)
        return TS_ENOMEM;
    size_t len = strlen(c);
    bool formula = len > 0 && strchr("=+-@\t", c[0]) != NULL;
    bool quote = formula || strchr(c, sep) != NULL || strpbrk(c, "\"\r\n") != NULL ||
                 (len > 0 && (c[0] == ' ' || c[len - 1] == ' '));
    ts_status st = quote ? ts_out_write(o, "\"", 1) : TS_OK;
    if (st == TS_OK && formula)
        st = ts_out_write(o, "'", 1);
    const char *run = c;
    for (const char *p = strchr(c, '"'); st == TS_OK && p != NULL; p = strchr(p + 1, '"')) {
        /* write through the quote, then the quote again */
        st = ts_out_write(o, run, (size_t)(p - run) + 1);
        if (st == TS_OK)
            st = ts_out_write(o, "\"", 1);
        run = p + 1;
    }
    if (st == TS_OK)
        st = ts_out_puts(o, run);
    if (st == TS_OK && quote)
        st = ts_out_write(o, "\"", 1);
    ts_free(c);
    return st;
}

void ts_wr_write(ts_wr *w, const char *s, size_t n)
{
    if (w->st == TS_OK)
        w->st = ts_out_write(w->o, s, n);
}

void ts_wr_puts(ts_wr *w, const char *s)
{
    if (w->st == TS_OK)
        w->st = ts_out_puts(w->o, s);
}

void ts_wr_printf(ts_wr *w, const char *fmt, ...)
{
    if (w->st != TS_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    w->st = ts_out_vprintf(w->o, fmt, ap);
    va_end(ap);
}

void ts_wr_html(ts_wr *w, const char *s, size_t max)
{
    if (w->st == TS_OK)
        w->st = ts_out_html_text(w->o, s, max);
}

void ts_wr_csv(ts_wr *w, const char *s, char sep)
{
    if (w->st == TS_OK)
        w->st = ts_out_csv_field(w->o, s, sep);
}

void ts_wr_nomem(ts_wr *w)
{
    if (w->st == TS_OK)
        w->st = TS_ENOMEM;
}

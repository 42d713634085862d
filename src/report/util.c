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

/*
 * Would this character change the terminal or the layout rather than show up? C0 and C1 controls
 * (ESC starts escape sequences; U+009B is CSI on 8-bit terminals) and the bidi overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069) that make text read differently from what it is.
 */
static bool is_unsafe(const unsigned char *s, size_t k)
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
        } else if (k == 0 || is_unsafe(u + i, k)) {
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

char *ts_report_match(const ts_finding *f, int show_secrets)
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

char *ts_report_mask_secrets(const ts_doc *doc, const char *text, int show_secrets)
{
    char *cur = ts_strdup(text ? text : "");
    for (size_t i = 0; cur != NULL && !show_secrets && i < ts_doc_finding_count(doc); i++) {
        const ts_finding *c = ts_doc_finding_at(doc, i);
        const char *v = ts_finding_value(c);
        if (ts_finding_category(c) != TS_CAT_CREDENTIAL || v == NULL || *v == '\0' ||
            strstr(cur, v) == NULL)
            continue;
        size_t vl = strlen(v), ml = ts_mask(v, NULL, 0), hits = 0, len = strlen(cur);
        for (const char *p = strstr(cur, v); p != NULL; p = strstr(p + vl, v))
            hits++;
        /* a mask is never longer than its value: one star per character */
        size_t nlen = len - hits * vl + hits * ml;
        char *mask = ts_malloc(ml + 1);
        char *next = ts_malloc(nlen + 1);
        if (mask == NULL || next == NULL) {
            ts_free(mask);
            ts_free(next);
            ts_free(cur);
            return NULL;
        }
        ts_mask(v, mask, ml + 1);
        size_t w = 0;
        const char *from = cur;
        for (const char *p = strstr(cur, v); p != NULL; p = strstr(p + vl, v)) {
            memcpy(next + w, from, (size_t)(p - from));
            w += (size_t)(p - from);
            memcpy(next + w, mask, ml);
            w += ml;
            from = p + vl;
        }
        memcpy(next + w, from, len - (size_t)(from - cur));
        w += len - (size_t)(from - cur);
        next[w] = '\0';
        ts_free(mask);
        ts_free(cur);
        cur = next;
    }
    return cur;
}

const char *ts_report_basename(const char *path)
{
    const char *base = path ? path : "";
    for (const char *p = base; *p != '\0'; p++)
        if ((*p == '/' || *p == '\\' || *p == '!') && p[1] != '\0')
            base = p + 1;
    return base;
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

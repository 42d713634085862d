/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Paths as reports show them: unsafe bytes escaped (\xE6), secrets found in names masked. */
#include "core/core.h"

#include <string.h>

/*
 * The escaping is a bijection, so two files never share a shown path and a shown path can be
 * read back to the bytes (ts_path_unescape):
 *   - a byte that is not part of well-formed UTF-8, and every byte of a character that would
 *     change the terminal or the reading (ts_utf8_is_unsafe: controls, bidi overrides), is
 *     written \xHH (upper-case hex);
 *   - a backslash is written as \\ when what follows it could read as an escape (an 'x', a
 *     backslash, an escaped byte or a masked part); otherwise it stays one backslash, so
 *     "C:\evil.txt" reads as written;
 *   - everything else is copied.
 * A masked part (a credential found in a name) is written as the value is masked in findings
 * (Vi*******4!) followed by '~' and the first six hex digits of the finding's fingerprint, so
 * two names that differ only inside the masked part stay two paths.
 */

static const char HEX[] = "0123456789ABCDEF";

#define TAG_LEN 6u

/* Is there a hide span that starts at byte `at`? Its index, or SIZE_MAX. */
static size_t hide_at(const ts_doc *doc, size_t at)
{
    for (size_t i = 0; i < doc->nhides; i++)
        if (doc->hides[i].start == at)
            return i;
    return SIZE_MAX;
}

/* Bytes of the character at s (1 for a byte that is not UTF-8) and whether it must be escaped. */
static size_t unit(const unsigned char *s, size_t avail, bool *escape)
{
    size_t k = ts_utf8_seq(s, avail);
    *escape = k == 0 || ts_utf8_is_unsafe(s, k);
    return k == 0 ? 1 : k;
}

/* Would a backslash before s[0, avail) need doubling: does what follows start like an escape? */
static bool backslash_needs_escape(const unsigned char *s, size_t avail, bool hide_next)
{
    if (avail == 0)
        return false;
    if (hide_next || s[0] == 'x' || s[0] == '\\')
        return true;
    bool esc;
    unit(s, avail, &esc);
    return esc;
}

/* Write the shown form of s[0, n) at o (room for 4 * n bytes); `hide_next` says a masked part
 * follows it. Returns the bytes written. */
static size_t escape_run(char *o, const unsigned char *s, size_t n, bool hide_next, bool raw)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        if (raw) {
            o[w++] = (char)s[i++];
            continue;
        }
        bool esc;
        size_t k = unit(s + i, n - i, &esc);
        if (esc) {
            for (size_t j = 0; j < k; j++) {
                o[w++] = '\\';
                o[w++] = 'x';
                o[w++] = HEX[s[i + j] >> 4];
                o[w++] = HEX[s[i + j] & 15];
            }
        } else if (s[i] == '\\' && backslash_needs_escape(s + i + 1, n - i - 1, hide_next)) {
            o[w++] = '\\';
            o[w++] = '\\';
        } else {
            memcpy(o + w, s + i, k);
            w += k;
        }
        i += k;
    }
    return w;
}

char *ts_path_render(const ts_doc *doc, size_t from, unsigned flags)
{
    const char *path = doc->path;
    size_t len = strlen(path);
    if (from > len)
        from = len;
    bool show = (flags & TS_PATH_SECRETS) != 0, raw = (flags & TS_PATH_RAW) != 0;
    /* escaping grows a byte to 4 at most; a mask is never longer than its value; + tags */
    size_t cap;
    if (ts_size_mul(&cap, len - from, 4) != 0 || cap > SIZE_MAX - doc->nhides * (TAG_LEN + 1) - 1)
        return NULL;
    cap += doc->nhides * (TAG_LEN + 1) + 1;
    char *out = ts_malloc(cap);
    if (out == NULL)
        return NULL;
    size_t w = 0, i = from;
    while (i < len) {
        size_t h = show ? SIZE_MAX : hide_at(doc, i);
        if (h != SIZE_MAX && doc->hides[h].end > i && doc->hides[h].end <= len) {
            const ts_hide *hd = &doc->hides[h];
            char *value = ts_strndup(path + i, hd->end - i);
            char *mask = value ? ts_malloc(hd->end - i + 1) : NULL;
            if (mask == NULL) {
                ts_free(value);
                ts_free(out);
                return NULL;
            }
            size_t ml = ts_mask(value, mask, hd->end - i + 1);
            w += escape_run(out + w, (const unsigned char *)mask, ml, false, raw);
            out[w++] = '~';
            memcpy(out + w, hd->tag, TAG_LEN);
            w += TAG_LEN;
            ts_free(mask);
            ts_free(value);
            i = hd->end;
            continue;
        }
        /* up to the next hidden part (or the end) */
        size_t next = len;
        for (size_t k = 0; !show && k < doc->nhides; k++)
            if (doc->hides[k].start > i && doc->hides[k].start < next)
                next = doc->hides[k].start;
        w += escape_run(out + w, (const unsigned char *)path + i, next - i, next < len, raw);
        i = next;
    }
    out[w] = '\0';
    return out;
}

/* Copy s into buf the snprintf way; returns strlen(s). */
static size_t copy_out(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return n;
}

TS_API size_t ts_doc_path_shown(const ts_doc *doc, int show_secrets, char *buf, size_t size)
{
    if (doc == NULL)
        return copy_out("", buf, size);
    char *s = ts_path_render(doc, 0, show_secrets ? TS_PATH_SECRETS : 0);
    if (s == NULL)
        return SIZE_MAX;
    size_t n = copy_out(s, buf, size);
    ts_free(s);
    return n;
}

char *ts_path_escape_dup(const char *path)
{
    const unsigned char *s = (const unsigned char *)(path ? path : "");
    size_t len = strlen((const char *)s), cap;
    if (ts_size_mul(&cap, len, 4) != 0 || cap == SIZE_MAX)
        return NULL;
    char *o = ts_malloc(cap + 1);
    if (o != NULL)
        o[escape_run(o, s, len, false, false)] = '\0';
    return o;
}

TS_API size_t ts_path_escape(const char *path, char *buf, size_t size)
{
    char *o = ts_path_escape_dup(path);
    if (o == NULL)
        return SIZE_MAX;
    size_t n = copy_out(o, buf, size);
    ts_free(o);
    return n;
}

size_t ts_path_unescape(char *s)
{
    size_t w = 0, i = 0;
    while (s[i] != '\0') {
        int hi, lo;
        if (s[i] == '\\' && s[i + 1] == '\\') {
            s[w++] = '\\';
            i += 2;
        } else if (s[i] == '\\' && s[i + 1] == 'x' &&
                   (hi = ts_hex_digit((unsigned char)s[i + 2])) >= 0 &&
                   (lo = ts_hex_digit((unsigned char)s[i + 3])) >= 0) {
            s[w++] = (char)(hi << 4 | lo);
            i += 4;
        } else {
            s[w++] = s[i++];
        }
    }
    s[w] = '\0';
    return w;
}

ts_status ts_doc_hide(ts_doc *doc, size_t start, size_t end, const char *fingerprint)
{
    size_t len = strlen(doc->path);
    if (start >= end || end > len)
        return TS_OK;
    for (size_t i = 0; i < doc->nhides; i++) {
        ts_hide *h = &doc->hides[i];
        if (start < h->end && h->start < end) {
            /* overlapping values (two rules, one secret): one masked part covers both */
            h->start = start < h->start ? start : h->start;
            h->end = end > h->end ? end : h->end;
            return TS_OK;
        }
    }
    if (ts_grow((void **)&doc->hides, &doc->cap_hides, doc->nhides + 1, sizeof(*doc->hides)) != 0)
        return TS_ENOMEM;
    ts_hide *h = &doc->hides[doc->nhides++];
    h->start = start;
    h->end = end;
    memset(h->tag, '0', sizeof h->tag);
    for (size_t i = 0; fingerprint && i < TAG_LEN && fingerprint[i] != '\0'; i++)
        h->tag[i] = fingerprint[i];
    h->tag[TAG_LEN] = '\0';
    return TS_OK;
}

ts_status ts_doc_hides_copy(ts_doc *to, const ts_doc *from)
{
    for (size_t i = 0; i < from->nhides; i++) {
        if (ts_grow((void **)&to->hides, &to->cap_hides, to->nhides + 1, sizeof(*to->hides)) != 0)
            return TS_ENOMEM;
        to->hides[to->nhides++] = from->hides[i];
    }
    return TS_OK;
}

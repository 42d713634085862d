/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One document as the DESIGN §7 JSON object (keys in contract order), for json and jsonl. */
#include "report/docjson.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, surrogates, > U+10FFFF), 0 if
 * the bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/*
 * A JSON string for text that should be UTF-8 but may not be (hostile input: file names and zip
 * member names are raw bytes). Invalid bytes become U+FFFD so the report stays valid JSON.
 * NULL text is JSON null.
 */
static json_t *jstr(const char *s)
{
    if (s == NULL)
        return json_null();
    size_t len = strlen(s);
    json_t *j = json_stringn(s, len);
    if (j != NULL)
        return j;
    size_t cap;
    if (ts_size_mul(&cap, len, 3) != 0)
        return NULL;
    char *fixed = ts_malloc(cap + 1);
    if (fixed == NULL)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq(u + i, len - i);
        if (k == 0) {
            memcpy(fixed + w, "\xEF\xBF\xBD", 3);
            w += 3;
            i++;
            continue;
        }
        memcpy(fixed + w, s + i, k);
        w += k;
        i += k;
    }
    j = json_stringn_nocheck(fixed, w);
    ts_free(fixed);
    return j;
}

static json_t *jint(uint64_t v)
{
    return json_integer(v > (uint64_t)INT64_MAX ? (json_int_t)INT64_MAX : (json_int_t)v);
}

/* Zero means "none" for page and line numbers. */
static json_t *jint_or_null(uint64_t v)
{
    return v == 0 ? json_null() : jint(v);
}

/* The value as shown (masked unless show_secrets), in a ts_malloc'd string. */
static char *match_dup(const ts_finding *f, int show_secrets)
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

/*
 * `text` with every credential value found in the same document replaced by its mask, unless
 * show_secrets: a password next to an address must not leak through the address's context.
 * Returns a ts_malloc'd string, or NULL on out-of-memory.
 */
static char *mask_secrets(const ts_doc *doc, const char *text, int show_secrets)
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

/* "… before MATCH after …": built from the shown match, so a masked secret stays masked. */
static json_t *context_json(const ts_doc *doc, const ts_finding *f, const char *match,
                            int show_secrets)
{
    static const char dots_before[] = "… ", dots_after[] = " …";
    json_t *j = NULL;
    char *buf = NULL;
    char *before = mask_secrets(doc, ts_finding_context_before(f), show_secrets);
    char *after = mask_secrets(doc, ts_finding_context_after(f), show_secrets);
    if (before == NULL || after == NULL)
        goto out;
    size_t lb = strlen(before), lm = strlen(match), la = strlen(after);
    buf = ts_malloc(lb + lm + la + sizeof dots_before + sizeof dots_after);
    if (buf == NULL)
        goto out;
    size_t w = 0;
    if (lb > 0) {
        memcpy(buf + w, dots_before, sizeof dots_before - 1);
        w += sizeof dots_before - 1;
        memcpy(buf + w, before, lb);
        w += lb;
    }
    memcpy(buf + w, match, lm);
    w += lm;
    if (la > 0) {
        memcpy(buf + w, after, la);
        w += la;
        memcpy(buf + w, dots_after, sizeof dots_after - 1);
        w += sizeof dots_after - 1;
    }
    buf[w] = '\0';
    j = jstr(buf);
out:
    ts_free(before);
    ts_free(after);
    ts_free(buf);
    return j;
}

static json_t *finding_json(const ts_doc *doc, const ts_finding *f, const ts_report_opts *opts)
{
    const ts_rule *rule = ts_finding_rule(f);
    const char *title = rule ? ts_rule_title(rule, opts->lang) : NULL;
    const char *advice = rule ? ts_rule_advice(rule, opts->lang) : NULL;
    char *match = match_dup(f, opts->show_secrets);
    json_t *o = json_object();
    json_t *loc = json_object();
    int bad = match == NULL || o == NULL || loc == NULL;
    if (bad)
        goto out;
    bad |= json_object_set_new(loc, "where", jstr(ts_where_name(ts_finding_where(f))));
    bad |= json_object_set_new(loc, "page", jint_or_null(ts_finding_page(f)));
    bad |= json_object_set_new(loc, "part", jstr(ts_finding_part(f)));
    bad |= json_object_set_new(loc, "line", jint_or_null(ts_finding_line(f)));

    bad |= json_object_set_new(o, "rule", jstr(ts_finding_rule_id(f)));
    bad |= json_object_set_new(o, "category", jstr(ts_category_name(ts_finding_category(f))));
    bad |= json_object_set_new(o, "severity", jstr(ts_severity_name(ts_finding_severity(f))));
    bad |= json_object_set_new(o, "match", jstr(match));
    bad |= json_object_set_new(o, "fingerprint", jstr(ts_finding_fingerprint(f)));
    bad |= json_object_set(o, "location", loc);
    bad |= json_object_set_new(o, "context", context_json(doc, f, match, opts->show_secrets));
    bad |= json_object_set_new(o, "message", jstr(title ? title : ts_finding_rule_id(f)));
    bad |= json_object_set_new(o, "advice", jstr(advice ? advice : ""));
    if (ts_finding_detail(f) != NULL)
        bad |= json_object_set_new(o, "detail", jstr(ts_finding_detail(f)));
out:
    json_decref(loc);
    ts_free(match);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *ts_doc_to_json(const ts_doc *doc, const ts_report_opts *opts)
{
    static const ts_report_opts defaults = {.lang = TS_LANG_EN};
    if (doc == NULL)
        return NULL;
    if (opts == NULL)
        opts = &defaults;
    json_t *o = json_object();
    json_t *reasons = json_array();
    json_t *findings = json_array();
    int bad = o == NULL || reasons == NULL || findings == NULL;
    if (bad)
        goto out;
    for (size_t i = 0; !bad && i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, opts->lang);
        bad |= json_array_append_new(reasons, jstr(r ? r : ""));
    }
    for (size_t i = 0; !bad && i < ts_doc_finding_count(doc); i++)
        bad |= json_array_append_new(findings, finding_json(doc, ts_doc_finding_at(doc, i), opts));
    if (bad)
        goto out;
    bad |= json_object_set_new(o, "path", jstr(ts_doc_path(doc)));
    bad |= json_object_set_new(o, "format", jstr(ts_doc_format(doc)));
    bad |= json_object_set_new(o, "bytes", jint(ts_doc_bytes(doc)));
    bad |= json_object_set_new(o, "sha256", jstr(ts_doc_sha256(doc)));
    bad |= json_object_set_new(o, "grade", jstr(ts_grade_name(ts_doc_grade(doc))));
    bad |= json_object_set_new(o, "score", json_integer(ts_doc_score(doc)));
    bad |= json_object_set_new(o, "error", jstr(ts_doc_error_text(doc, opts->lang)));
    bad |= json_object_set(o, "reasons", reasons);
    bad |= json_object_set(o, "findings", findings);
    bad |= json_object_set_new(o, "ignored", jint(ts_doc_ignored_count(doc)));
out:
    json_decref(reasons);
    json_decref(findings);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *ts_summary_to_json(const ts_summary *sum)
{
    if (sum == NULL)
        return NULL;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int bad = 0;
    bad |= json_object_set_new(o, "documents", jint(sum->documents));
    bad |= json_object_set_new(o, "ok", jint(sum->ok));
    bad |= json_object_set_new(o, "review", jint(sum->review));
    bad |= json_object_set_new(o, "block", jint(sum->block));
    bad |= json_object_set_new(o, "error", jint(sum->error));
    bad |= json_object_set_new(o, "findings", jint(sum->findings));
    bad |= json_object_set_new(o, "ignored", jint(sum->ignored));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

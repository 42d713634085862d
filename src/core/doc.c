/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Documents: their arena, findings, children, failures and the getters of the public API. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/msg.h"
#include "detect/engine.h"
#include "detect/rules.h"

struct ts_arena_block {
    ts_arena_block *next;
    size_t used, size;
    max_align_t data[];
};

#define ARENA_BLOCK 16384u

static void *arena_alloc(ts_arena *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    ts_arena_block *b = a->head;
    if (b == NULL || b->size - b->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        if (cap > SIZE_MAX - sizeof(*b))
            return NULL;
        b = ts_malloc(sizeof(*b) + cap);
        if (b == NULL)
            return NULL;
        b->size = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

static void arena_dispose(ts_arena *a)
{
    ts_arena_block *b = a->head;
    while (b) {
        ts_arena_block *n = b->next;
        ts_free(b);
        b = n;
    }
    a->head = NULL;
}

void *ts_doc_alloc(ts_doc *doc, size_t size)
{
    return arena_alloc(&doc->arena, size);
}

char *ts_doc_strndup(ts_doc *doc, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = ts_doc_alloc(doc, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *ts_doc_strdup(ts_doc *doc, const char *s)
{
    return s ? ts_doc_strndup(doc, s, strlen(s)) : NULL;
}

static char *doc_vprintf(ts_doc *doc, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static char *doc_vprintf(ts_doc *doc, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = ts_doc_alloc(doc, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ts_doc_printf(ts_doc *doc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = doc_vprintf(doc, fmt, ap);
    va_end(ap);
    return p;
}

ts_status ts_doc_create(ts_doc **out, const ts_ctx *ctx, const char *path, unsigned depth,
                        uint64_t *unpacked)
{
    *out = NULL;
    ts_doc *doc = ts_calloc(1, sizeof(*doc));
    if (doc == NULL)
        return TS_ENOMEM;
    doc->ctx = ctx;
    doc->depth = depth;
    doc->format = "unknown";
    doc->path = ts_doc_strdup(doc, path ? path : "");
    if (unpacked) {
        doc->unpacked = unpacked;
    } else {
        doc->unpacked = ts_doc_alloc(doc, sizeof(*doc->unpacked));
        if (doc->unpacked)
            *doc->unpacked = 0;
    }
    if (doc->path == NULL || doc->unpacked == NULL) {
        ts_doc_free(doc);
        return TS_ENOMEM;
    }
    *out = doc;
    return TS_OK;
}

TS_API void ts_doc_free(ts_doc *doc)
{
    if (doc == NULL)
        return;
    for (size_t i = 0; i < doc->nchildren; i++)
        ts_doc_free(doc->children[i]);
    ts_free(doc->children);
    ts_free(doc->findings);
    ts_free(doc->reasons);
    ts_engine_scratch_free(doc->scratch);
    arena_dispose(&doc->arena);
    ts_free(doc);
}

static const ts_limits default_limits = {
    .max_file_bytes = 2ull << 30,
    .max_unpacked_bytes = 1ull << 30,
    .max_ratio = 200,
    .max_depth = 8,
    .max_findings = 5000,
    .max_items = 1000000,
};

const ts_limits *ts_doc_limits(const ts_doc *doc)
{
    return doc->ctx ? &doc->ctx->limits : &default_limits;
}

void ts_limits_fill(ts_limits *l)
{
    if (l->max_file_bytes == 0)
        l->max_file_bytes = default_limits.max_file_bytes;
    if (l->max_unpacked_bytes == 0)
        l->max_unpacked_bytes = default_limits.max_unpacked_bytes;
    if (l->max_ratio == 0)
        l->max_ratio = default_limits.max_ratio;
    if (l->max_depth == 0)
        l->max_depth = default_limits.max_depth;
    if (l->max_findings == 0)
        l->max_findings = default_limits.max_findings;
    if (l->max_items == 0)
        l->max_items = default_limits.max_items;
}

void ts_doc_fail_texts(ts_doc *doc, ts_status st, const char *en, const char *nb)
{
    if (doc->err != TS_OK)
        return; /* the first failure is the one that explains the rest */
    doc->err = st == TS_OK ? TS_EINTERNAL : st;
    doc->err_detail = ts_doc_strdup(doc, en);
    doc->err_detail_nb = nb ? ts_doc_strdup(doc, nb) : NULL;
    for (int lang_nb = 0; lang_nb < 2; lang_nb++) {
        const char *head = ts_msg_status(doc->err, lang_nb ? TS_LANG_NB : TS_LANG_EN);
        const char *detail = lang_nb && doc->err_detail_nb ? doc->err_detail_nb : doc->err_detail;
        char *t = detail && *detail ? ts_doc_printf(doc, "%s: %s", head, detail)
                                    : ts_doc_strdup(doc, head);
        if (lang_nb)
            doc->err_text_nb = t;
        else
            doc->err_text_en = t;
    }
}

void ts_doc_fail(ts_doc *doc, ts_status st, const char *fmt, ...)
{
    if (doc->err != TS_OK)
        return;
    char *detail = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        detail = doc_vprintf(doc, fmt, ap);
        va_end(ap);
    }
    ts_doc_fail_texts(doc, st, detail, NULL);
}

void ts_doc_fail_msg(ts_doc *doc, ts_status st, ts_msg_id id, ...)
{
    if (doc->err != TS_OK)
        return;
    char *text[2];
    for (int lang_nb = 0; lang_nb < 2; lang_nb++) {
        va_list ap;
        va_start(ap, id);
        /* both languages' templates take the same arguments (msg.c) */
        text[lang_nb] = doc_vprintf(doc, ts_msg(id, lang_nb ? TS_LANG_NB : TS_LANG_EN), ap);
        va_end(ap);
    }
    ts_doc_fail_texts(doc, st, text[0], text[1]);
}

ts_status ts_doc_count_unpacked(ts_doc *doc, uint64_t bytes)
{
    const ts_limits *l = ts_doc_limits(doc);
    if (bytes > l->max_unpacked_bytes || *doc->unpacked > l->max_unpacked_bytes - bytes) {
        ts_doc_fail(doc, TS_ELIMIT, "more than %llu bytes would be unpacked",
                    (unsigned long long)l->max_unpacked_bytes);
        return TS_ELIMIT;
    }
    *doc->unpacked += bytes;
    return TS_OK;
}

void ts_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
        memset(out, '0', 64);
        out[64] = '\0';
        return;
    }
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Fold runs of white space to one space. Context before a value keeps its last `max` bytes and a
 * trailing space (the gap before the value); context after keeps its first `max` bytes and a
 * leading space. Cuts respect UTF-8 boundaries.
 */
static char *fold(ts_doc *doc, const char *s, size_t len, size_t max, int is_before)
{
    char *buf = ts_doc_alloc(doc, len + 2);
    if (buf == NULL)
        return NULL;
    size_t n = 0;
    int pending = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_blank(c)) {
            pending = 1;
            continue;
        }
        if (pending && (n > 0 || !is_before))
            buf[n++] = ' ';
        pending = 0;
        buf[n++] = (char)c;
    }
    if (pending && is_before && n > 0)
        buf[n++] = ' ';
    buf[n] = '\0';
    if (n <= max)
        return buf;
    if (is_before) {
        size_t cut = n - max;
        while (cut < n && ((unsigned char)buf[cut] & 0xC0) == 0x80)
            cut++;
        return buf + cut;
    }
    size_t cut = max;
    while (cut > 0 && ((unsigned char)buf[cut] & 0xC0) == 0x80)
        cut--;
    buf[cut] = '\0';
    return buf;
}

static ts_status push_finding(ts_doc *doc, ts_finding *f)
{
    if (ts_grow((void **)&doc->findings, &doc->cap_findings, doc->nfindings + 1,
                sizeof(*doc->findings)) != 0)
        return TS_ENOMEM;
    doc->findings[doc->nfindings++] = f;
    return TS_OK;
}

#define CONTEXT_BYTES 60u

ts_status ts_doc_add_finding(ts_doc *doc, const ts_rule *rule, ts_severity sev, const ts_loc *loc,
                             const char *value, size_t value_len, const char *before,
                             size_t before_len, const char *after, size_t after_len,
                             const char *detail, uint64_t order)
{
    char fp[65];
    ts_sha256_hex(value, value_len, fp);
    if (doc->ctx && ts_ctx_is_ignored(doc->ctx, fp)) {
        doc->ignored++;
        return TS_OK;
    }
    if (doc->nfindings >= ts_doc_limits(doc)->max_findings) {
        doc->dropped++;
        return TS_OK;
    }
    ts_finding *f = ts_doc_alloc(doc, sizeof(*f));
    if (f == NULL)
        return TS_ENOMEM;
    memset(f, 0, sizeof(*f));
    f->rule = rule;
    f->category = rule->category;
    f->severity = sev;
    memcpy(f->fingerprint, fp, sizeof(fp));
    f->value = ts_doc_strndup(doc, value, value_len);
    f->ctx_before = fold(doc, before ? before : "", before ? before_len : 0, CONTEXT_BYTES, 1);
    f->ctx_after = fold(doc, after ? after : "", after ? after_len : 0, CONTEXT_BYTES, 0);
    f->detail = detail ? ts_doc_strdup(doc, detail) : NULL;
    f->where = loc ? loc->where : TS_WHERE_BODY;
    f->page = loc ? loc->page : 0;
    f->part = loc && loc->part ? ts_doc_strdup(doc, loc->part) : NULL;
    f->line = loc ? loc->line : 0;
    f->order = order;
    if (f->value == NULL || f->ctx_before == NULL || f->ctx_after == NULL ||
        (detail && f->detail == NULL) || (loc && loc->part && f->part == NULL))
        return TS_ENOMEM;
    return push_finding(doc, f);
}

ts_status ts_doc_flag(ts_doc *doc, const char *rule_id, const ts_loc *loc, const char *value,
                      const char *detail)
{
    const ts_rule *rule = doc->ctx ? ts_ctx_rule_find(doc->ctx, rule_id) : NULL;
    if (rule == NULL) {
        ts_doc_fail(doc, TS_EINTERNAL, "no built-in rule %s", rule_id);
        return TS_OK;
    }
    const char *v = value ? value : "";
    uint64_t order = ((uint64_t)doc->segments++) << 32;
    return ts_doc_add_finding(doc, rule, rule->severity, loc, v, strlen(v), NULL, 0, NULL, 0,
                              detail, order);
}

ts_status ts_doc_text(ts_doc *doc, const ts_loc *loc, const char *text, size_t len)
{
    return ts_doc_text_placed(doc, loc, text, len, NULL, NULL);
}

ts_status ts_doc_text_placed(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                             ts_place_fn place, void *payload)
{
    return ts_doc_text_fields(doc, loc, text, len, NULL, 0, place, payload);
}

ts_status ts_doc_text_fields(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                             const ts_field *fields, size_t nfields, ts_place_fn place,
                             void *payload)
{
    if (len == 0 || doc->ctx == NULL)
        return TS_OK;
    char *clean = NULL;
    size_t clen = 0;
    bool owned = false;
    ts_status st = ts_utf8_clean(text, len, &clean, &clen, &owned);
    if (st != TS_OK)
        return st;
    if (owned && clen != len)
        nfields = 0; /* re-encoded: the spans no longer fit */
    st = ts_engine_scan(doc, loc, clean, clen, fields, nfields, place, payload);
    doc->segments++;
    if (owned)
        ts_free(clean);
    return st;
}

/* ---- public getters ------------------------------------------------------------------------ */

TS_API const char *ts_doc_path(const ts_doc *doc)
{
    return doc->path;
}

TS_API const char *ts_doc_format(const ts_doc *doc)
{
    return doc->format;
}

TS_API uint64_t ts_doc_bytes(const ts_doc *doc)
{
    return doc->bytes;
}

TS_API const char *ts_doc_sha256(const ts_doc *doc)
{
    return doc->has_sha256 ? doc->sha256 : NULL;
}

TS_API ts_grade ts_doc_grade(const ts_doc *doc)
{
    return doc->grade;
}

TS_API int ts_doc_score(const ts_doc *doc)
{
    return doc->score;
}

TS_API ts_status ts_doc_error_status(const ts_doc *doc)
{
    return doc->err;
}

TS_API const char *ts_doc_error(const ts_doc *doc)
{
    return ts_doc_error_text(doc, TS_LANG_EN);
}

TS_API const char *ts_doc_error_text(const ts_doc *doc, ts_lang lang)
{
    if (doc->err == TS_OK)
        return NULL;
    const char *t = lang == TS_LANG_NB ? doc->err_text_nb : doc->err_text_en;
    return t ? t : ts_msg_status(doc->err, lang);
}

TS_API size_t ts_doc_reason_count(const ts_doc *doc)
{
    return doc->nreasons;
}

TS_API const char *ts_doc_reason_at(const ts_doc *doc, size_t i, ts_lang lang)
{
    if (i >= doc->nreasons)
        return NULL;
    return doc->reasons[i].text[lang == TS_LANG_NB ? 1 : 0];
}

TS_API size_t ts_doc_finding_count(const ts_doc *doc)
{
    return doc->nfindings;
}

TS_API const ts_finding *ts_doc_finding_at(const ts_doc *doc, size_t i)
{
    return i < doc->nfindings ? doc->findings[i] : NULL;
}

TS_API size_t ts_doc_ignored_count(const ts_doc *doc)
{
    return doc->ignored;
}

TS_API size_t ts_doc_child_count(const ts_doc *doc)
{
    return doc->nchildren;
}

TS_API const ts_doc *ts_doc_child_at(const ts_doc *doc, size_t i)
{
    return i < doc->nchildren ? doc->children[i] : NULL;
}

TS_API const char *ts_finding_rule_id(const ts_finding *f)
{
    return f->rule->id;
}

TS_API const ts_rule *ts_finding_rule(const ts_finding *f)
{
    return f->rule;
}

TS_API ts_category ts_finding_category(const ts_finding *f)
{
    return f->category;
}

TS_API ts_severity ts_finding_severity(const ts_finding *f)
{
    return f->severity;
}

TS_API const char *ts_finding_value(const ts_finding *f)
{
    return f->value;
}

TS_API const char *ts_finding_fingerprint(const ts_finding *f)
{
    return f->fingerprint;
}

TS_API const char *ts_finding_context_before(const ts_finding *f)
{
    return f->ctx_before;
}

TS_API const char *ts_finding_context_after(const ts_finding *f)
{
    return f->ctx_after;
}

TS_API const char *ts_finding_detail(const ts_finding *f)
{
    return f->detail;
}

TS_API ts_where ts_finding_where(const ts_finding *f)
{
    return f->where;
}

TS_API unsigned ts_finding_page(const ts_finding *f)
{
    return f->page;
}

TS_API const char *ts_finding_part(const ts_finding *f)
{
    return f->part;
}

TS_API unsigned long ts_finding_line(const ts_finding *f)
{
    return f->line;
}

static size_t copy_out(const char *s, size_t n, char *buf, size_t size)
{
    if (size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return n;
}

TS_API size_t ts_mask(const char *value, char *buf, size_t size)
{
    /* Count characters, not bytes, so æøå mask as one star each. */
    size_t len = strlen(value), chars = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)value[i] & 0xC0) != 0x80)
            chars++;
    size_t keep = chars <= 4 ? 0 : chars <= 7 ? 1 : 2;
    /* byte offsets of the first `keep` and last `keep` characters */
    size_t head = 0, seen = 0;
    while (head < len && seen < keep) {
        head++;
        while (head < len && ((unsigned char)value[head] & 0xC0) == 0x80)
            head++;
        seen++;
    }
    size_t tail = len;
    seen = 0;
    while (tail > head && seen < keep) {
        tail--;
        while (tail > head && ((unsigned char)value[tail] & 0xC0) == 0x80)
            tail--;
        seen++;
    }
    size_t stars = chars - 2 * keep;
    size_t need = head + stars + (len - tail);
    size_t w = 0;
    for (size_t i = 0; i < need && w + 1 < size; i++) {
        char c = i < head ? value[i] : i < head + stars ? '*' : value[tail + (i - head - stars)];
        buf[w++] = c;
    }
    if (size > 0)
        buf[w] = '\0';
    return need;
}

TS_API size_t ts_finding_match(const ts_finding *f, int show_secrets, char *buf, size_t size)
{
    if (f->category == TS_CAT_CREDENTIAL && !show_secrets)
        return ts_mask(f->value, buf, size);
    return copy_out(f->value, strlen(f->value), buf, size);
}

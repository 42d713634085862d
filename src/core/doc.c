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
    if (ctx != NULL)
        memcpy(doc->fp_key_id, ctx->fp_key_id, sizeof doc->fp_key_id);
    doc->depth = depth;
    doc->format = "unknown";
    doc->path = ts_doc_strdup(doc, path ? path : "");
    if (doc->path != NULL) {
        const char *slash = strrchr(doc->path, '/');
        doc->name_off = slash && slash[1] != '\0' ? (size_t)(slash + 1 - doc->path) : 0;
    }
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
    ts_free(doc->hides);
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

/* Record the first failure; `en` and `nb` are arena strings or NULL (nb NULL: `en` serves both). */
static void fail_set(ts_doc *doc, ts_status st, char *en, char *nb)
{
    doc->err = st == TS_OK ? TS_EINTERNAL : st;
    doc->err_detail = en;
    doc->err_detail_nb = nb;
    for (int k = 0; k < 2; k++) {
        const char *head = ts_msg_status(doc->err, k ? TS_LANG_NB : TS_LANG_EN);
        const char *detail = k && nb ? nb : en;
        char *t = detail && *detail ? ts_doc_printf(doc, "%s: %s", head, detail)
                                    : ts_doc_strdup(doc, head);
        if (k)
            doc->err_text_nb = t;
        else
            doc->err_text_en = t;
    }
}

void ts_doc_fail(ts_doc *doc, ts_status st, const char *fmt, ...)
{
    if (doc->err != TS_OK)
        return; /* the first failure is the one that explains the rest */
    char *en = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        en = doc_vprintf(doc, fmt, ap);
        va_end(ap);
    }
    fail_set(doc, st, en, NULL);
}

void ts_doc_fail_text(ts_doc *doc, ts_status st, const char *en, const char *nb)
{
    if (doc->err == TS_OK)
        fail_set(doc, st, ts_doc_strdup(doc, en), ts_doc_strdup(doc, nb));
}

/* the templates come from msg.c, in pairs that take the same arguments */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void ts_doc_fail_msg(ts_doc *doc, ts_status st, ts_msg_id id, ...)
{
    if (doc->err != TS_OK)
        return;
    va_list ap, ap2;
    va_start(ap, id);
    va_copy(ap2, ap);
    char *en = doc_vprintf(doc, ts_msg(id, TS_LANG_EN), ap);
    char *nb = doc_vprintf(doc, ts_msg(id, TS_LANG_NB), ap2);
    va_end(ap2);
    va_end(ap);
    fail_set(doc, st, en, nb);
}
#pragma GCC diagnostic pop

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

ts_status ts_doc_count_expanded(ts_doc *doc, uint64_t bytes)
{
    const ts_limits *l = ts_doc_limits(doc);
    if (bytes > l->max_unpacked_bytes || *doc->unpacked > l->max_unpacked_bytes - bytes) {
        ts_doc_fail_msg(doc, TS_ELIMIT, TS_MSG_FAIL_EXPANDS,
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
    if (doc->ctx == NULL)
        return TS_EINVAL;
    ts_status st = ts_ctx_fingerprint(doc->ctx, rule->category, value, value_len, fp);
    if (st != TS_OK && st != TS_ENOMEM) /* no HMAC in libcrypto: never a silent `ok` */
        ts_doc_fail(doc, st, "a finding's fingerprint could not be made (HMAC-SHA256)");
    if (st != TS_OK)
        return st == TS_ENOMEM ? st : TS_OK;
    if (ts_ctx_is_ignored(doc->ctx, fp, rule->id, doc->path)) {
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

TS_API const char *ts_doc_fingerprint_key_id(const ts_doc *doc)
{
    return doc->fp_key_id[0] != '\0' ? doc->fp_key_id : NULL;
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

/* `cur` with every `v` replaced by its mask; frees `cur`. NULL on out-of-memory. */
static char *mask_value(char *cur, const char *v)
{
    if (cur == NULL || v == NULL || *v == '\0' || strstr(cur, v) == NULL)
        return cur;
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
    return next;
}

/* Is f a credential found in a document's name? */
static bool is_name_secret(const ts_finding *f)
{
    return f->category == TS_CAT_CREDENTIAL && f->where == TS_WHERE_FILENAME;
}

char *ts_doc_mask_names(const ts_doc *doc, const char *text)
{
    char *cur = ts_strdup(text ? text : "");
    /* the document's own name (a drawing verdict names the document) */
    for (size_t i = 0; cur != NULL && i < doc->nfindings; i++)
        if (is_name_secret(doc->findings[i]))
            cur = mask_value(cur, doc->findings[i]->value);
    /* a child's name is also text of its parent (an attachment's or member's name in a finding
     * or an error of the parent): a secret found in it is masked here too */
    for (size_t c = 0; cur != NULL && c < doc->nchildren; c++) {
        const ts_doc *child = doc->children[c];
        for (size_t i = 0; cur != NULL && i < child->nfindings; i++) {
            if (is_name_secret(child->findings[i]))
                cur = mask_value(cur, child->findings[i]->value);
        }
    }
    return cur;
}

char *ts_doc_mask_values(const ts_doc *doc, const char *text)
{
    char *cur = ts_doc_mask_names(doc, text);
    for (size_t i = 0; cur != NULL && i < doc->nfindings; i++)
        if (doc->findings[i]->category == TS_CAT_CREDENTIAL)
            cur = mask_value(cur, doc->findings[i]->value);
    return cur;
}

TS_API size_t ts_finding_match(const ts_finding *f, int show_secrets, char *buf, size_t size)
{
    if (f->category == TS_CAT_CREDENTIAL && !show_secrets)
        return ts_mask(f->value, buf, size);
    return copy_out(f->value, strlen(f->value), buf, size);
}

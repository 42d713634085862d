/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A document rebuilt from its DESIGN §7 report object (ts_doc_read_report) and documents joined
 * into a tree (ts_doc_adopt): how `tenderscan merge` turns shard results back into documents that
 * every reporter can write. A report keeps less than a scan knew, so some things cannot come back
 * (docs/report-format.md, "What merge cannot recover"): a masked match stays masked, the rest of
 * the context beyond what the report shows is gone, and grade, score and reasons are worked out
 * again from the findings with the rules of the reading context.
 */
#include "core/core.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/msg.h"
#include "report/docjson.h"
#include "risk/risk.h"

static const char DOTS_BEFORE[] = "… ", DOTS_AFTER[] = " …"; /* as docjson.c writes them */

typedef struct reader {
    const ts_ctx *ctx;
    ts_doc *doc;
    ts_limits limits;
    char *why;
    size_t why_size;
    ts_status st; /* the first failure */
} reader;

static bool failv(reader *R, ts_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record the first failure and its reason; always false, so checks read `ok = ok && …`. */
static bool failv(reader *R, ts_status st, const char *fmt, ...)
{
    if (R->st != TS_OK)
        return false;
    R->st = st;
    if (R->why != NULL && R->why_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(R->why, R->why_size, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool nomem(reader *R)
{
    return failv(R, TS_ENOMEM, "out of memory");
}

/* A string member: copied into the document (NULL for JSON null or absent when `nullable`). */
static bool get_str(reader *R, const json_t *obj, const char *key, bool nullable, char **out)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    if ((v == NULL || json_is_null(v)) && nullable)
        return true;
    if (!json_is_string(v))
        return failv(R, TS_ECORRUPT, "\"%s\" is not a string", key);
    *out = ts_doc_strndup(R->doc, json_string_value(v), json_string_length(v));
    return *out != NULL || nomem(R);
}

/* A whole number from `min` to `max`; JSON null or absent reads as 0 when `nullable`. */
static bool get_uint(reader *R, const json_t *obj, const char *key, bool nullable, uint64_t min,
                     uint64_t max, uint64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    *out = 0;
    if ((v == NULL || json_is_null(v)) && nullable)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (uint64_t)json_integer_value(v) < min || (uint64_t)json_integer_value(v) > max)
        return failv(R, TS_ECORRUPT, "\"%s\" is not a whole number from %llu to %llu", key,
                     (unsigned long long)min, (unsigned long long)max);
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static bool is_fingerprint(const json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) != 64)
        return false;
    for (const char *p = json_string_value(v); *p != '\0'; p++)
        if (ts_hex_digit((unsigned char)*p) < 0)
            return false;
    return true;
}

/* ts_ctx_fingerprint_key_id: 16 lowercase hex digits */
static bool is_key_id(const json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) != 16)
        return false;
    for (const char *p = json_string_value(v); *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

static bool has_prefix(const char *s, size_t len, const char *prefix, size_t n)
{
    return len >= n && memcmp(s, prefix, n) == 0;
}

static bool has_suffix(const char *s, size_t len, const char *suffix, size_t n)
{
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* How many findings before finding `i` of `fs` have the same rule, match, line and context. */
static size_t same_before(const json_t *fs, size_t i)
{
    static const char *const keys[] = {"rule", "match", "context"};
    const json_t *f = json_array_get(fs, i);
    const json_t *line = json_object_get(json_object_get(f, "location"), "line");
    size_t n = 0;
    for (size_t j = 0; j < i; j++) {
        const json_t *g = json_array_get(fs, j);
        bool same = json_equal(line, json_object_get(json_object_get(g, "location"), "line"));
        for (size_t k = 0; same && k < sizeof keys / sizeof keys[0]; k++)
            same = json_equal(json_object_get(f, keys[k]), json_object_get(g, keys[k]));
        n += same;
    }
    return n;
}

/*
 * Undo docjson.c's context: "… " before, the match, after " …", where "… " is there only when
 * there was text before and " …" only when there was text after. When the match sits in the
 * middle more than once (`permit udp X range … X eq 3784`), the report does not say which one
 * was found; a value found twice on a line gives identical findings in document order, so the
 * n-th identical finding takes the n-th place.
 */
static bool split_context(reader *R, ts_finding *f, const json_t *fs, size_t index)
{
    const size_t pb = sizeof DOTS_BEFORE - 1, pa = sizeof DOTS_AFTER - 1;
    const json_t *context = json_object_get(json_array_get(fs, index), "context");
    const char *c = json_string_value(context), *m = f->value;
    size_t lc = json_string_length(context), lm = strlen(m);
    bool dots_b = has_prefix(c, lc, DOTS_BEFORE, pb), dots_a = has_suffix(c, lc, DOTS_AFTER, pa);
    size_t b0 = 0, b1 = 0, a0 = lc, a1 = lc; /* before = c[b0, b1), after = c[a0, a1) */
    bool found = false;
    if (lc == lm && memcmp(c, m, lm) == 0) {
        found = true;
    } else if (dots_b && lc > pb + lm && has_suffix(c, lc, m, lm)) {
        b0 = pb;
        b1 = lc - lm;
        found = true;
    } else if (dots_a && lc > lm + pa && has_prefix(c, lc, m, lm)) {
        a0 = lm;
        a1 = lc - pa;
        found = true;
    } else if (dots_b && dots_a && lc >= pb + pa + lm + 2) {
        size_t places = 0, want = 0;
        for (int round = 0; round < 2 && !found; round++) {
            size_t seen = 0;
            for (size_t at = pb + 1; !found && at + lm + 1 + pa <= lc; at++) {
                if (memcmp(c + at, m, lm) != 0)
                    continue;
                if (round == 1 && seen == want) {
                    b0 = pb;
                    b1 = at;
                    a0 = at + lm;
                    a1 = lc - pa;
                    found = true;
                }
                seen++;
            }
            places = seen;
            want = places > 1 ? same_before(fs, index) % places : 0;
        }
    }
    if (!found)
        return failv(R, TS_ECORRUPT, "the context of a %s finding does not hold its match",
                     ts_rule_id(f->rule));
    f->ctx_before = ts_doc_strndup(R->doc, c + b0, b1 - b0);
    f->ctx_after = ts_doc_strndup(R->doc, c + a0, a1 - a0);
    return (f->ctx_before != NULL && f->ctx_after != NULL) || nomem(R);
}

static bool where_parse(const char *name, ts_where *out)
{
    for (int w = 0; w < TS_WHERE_COUNT_; w++) {
        if (strcmp(ts_where_name((ts_where)w), name) == 0) {
            *out = (ts_where)w;
            return true;
        }
    }
    return false;
}

static bool read_location(reader *R, ts_finding *f, const json_t *loc)
{
    uint64_t page = 0, line = 0;
    const json_t *where = json_object_get(loc, "where");
    if (!json_is_object(loc))
        return failv(R, TS_ECORRUPT, "\"location\" is not an object");
    if (!json_is_string(where) || !where_parse(json_string_value(where), &f->where))
        return failv(R, TS_ECORRUPT, "\"where\" is not a place of DESIGN §7");
    if (!get_uint(R, loc, "page", true, 1, UINT32_MAX, &page) ||
        !get_uint(R, loc, "line", true, 1, ULONG_MAX, &line) ||
        !get_str(R, loc, "part", true, &f->part))
        return false;
    f->page = (unsigned)page;
    f->line = (unsigned long)line;
    return true;
}

static bool read_finding(reader *R, const json_t *fs, size_t index)
{
    const json_t *o = json_array_get(fs, index);
    if (!json_is_object(o))
        return failv(R, TS_ECORRUPT, "finding %zu is not an object", index + 1);
    const json_t *rule = json_object_get(o, "rule"), *cat = json_object_get(o, "category");
    const json_t *sev = json_object_get(o, "severity"), *fp = json_object_get(o, "fingerprint");
    const json_t *context = json_object_get(o, "context");
    if (!json_is_string(rule))
        return failv(R, TS_ECORRUPT, "\"rule\" is not a string");
    ts_finding *f = ts_doc_alloc(R->doc, sizeof(*f));
    if (f == NULL)
        return nomem(R);
    memset(f, 0, sizeof(*f));
    f->rule = ts_ctx_rule_find(R->ctx, json_string_value(rule));
    if (f->rule == NULL)
        return failv(R, TS_ECORRUPT, "unknown rule '%.80s' (give merge the --rules of the scan)",
                     json_string_value(rule));
    if (!json_is_string(cat) || ts_category_parse(&f->category, json_string_value(cat)) != TS_OK)
        return failv(R, TS_ECORRUPT, "\"category\" is not a category of DESIGN §4");
    if (!json_is_string(sev) || ts_severity_parse(&f->severity, json_string_value(sev)) != TS_OK)
        return failv(R, TS_ECORRUPT, "\"severity\" is not a severity of DESIGN §4");
    if (!is_fingerprint(fp))
        return failv(R, TS_ECORRUPT, "\"fingerprint\" is not 64 hex digits");
    memcpy(f->fingerprint, json_string_value(fp), sizeof f->fingerprint);
    if (!json_is_string(context))
        return failv(R, TS_ECORRUPT, "\"context\" is not a string");
    if (!get_str(R, o, "match", false, &f->value) ||
        !read_location(R, f, json_object_get(o, "location")) ||
        !split_context(R, f, fs, index) ||
        !get_str(R, o, "detail", true, &f->detail))
        return false;
    f->order = index; /* findings come in report order already */
    ts_doc *doc = R->doc;
    if (doc->nfindings >= R->limits.max_findings) {
        doc->dropped++; /* as a scan over the limit does */
        return true;
    }
    if (ts_grow((void **)&doc->findings, &doc->cap_findings, doc->nfindings + 1,
                sizeof(*doc->findings)) != 0)
        return nomem(R);
    doc->findings[doc->nfindings++] = f;
    return true;
}

/* "could not be opened or read: No such file" → TS_EIO and "No such file", in either language. */
static bool read_error(reader *R, const char *text)
{
    ts_status best = TS_OK;
    size_t best_len = 0, len = strlen(text);
    for (ts_status st = TS_EINTERNAL; st < TS_OK; st++) {
        for (int lang = TS_LANG_EN; lang <= TS_LANG_NB; lang++) {
            const char *head = ts_msg_status(st, (ts_lang)lang);
            size_t n = strlen(head);
            if (n > best_len && has_prefix(text, len, head, n) &&
                (text[n] == '\0' || has_prefix(text + n, len - n, ": ", 2))) {
                best = st;
                best_len = n;
            }
        }
    }
    if (best == TS_OK)
        return failv(R, TS_ECORRUPT, "\"error\" does not start with a status tenderscan writes");
    const char *detail = text + best_len + (text[best_len] == '\0' ? 0 : 2);
    ts_doc_fail(R->doc, best, "%s", detail);
    return true;
}

/* The number in "%zu more findings not listed (limit reached)", in either language, or 0. */
static size_t truncated_count(const char *reason)
{
    for (int lang = TS_LANG_EN; lang <= TS_LANG_NB; lang++) {
        const char *tpl = ts_msg(TS_MSG_REASON_TRUNCATED, (ts_lang)lang);
        const char *hole = strstr(tpl, "%zu");
        if (hole == NULL)
            continue;
        size_t np = (size_t)(hole - tpl), len = strlen(reason);
        const char *tail = hole + 3;
        if (!has_prefix(reason, len, tpl, np))
            continue;
        size_t n = 0, i = np;
        while (i < len && reason[i] >= '0' && reason[i] <= '9' && n < SIZE_MAX / 10 - 1)
            n = n * 10 + (size_t)(reason[i++] - '0');
        if (i > np && strcmp(reason + i, tail) == 0)
            return n;
    }
    return 0;
}

static bool read_doc(reader *R, const json_t *o)
{
    uint64_t bytes = 0, ignored = 0;
    char *format = NULL, *error = NULL;
    const json_t *path = json_object_get(o, "path"), *sha = json_object_get(o, "sha256");
    const json_t *fs = json_object_get(o, "findings"), *rs = json_object_get(o, "reasons");
    const json_t *key = json_object_get(o, "fingerprint_key_id");
    if (!json_is_object(o))
        return failv(R, TS_ECORRUPT, "not a JSON object");
    if (!json_is_string(path) || json_string_length(path) == 0)
        return failv(R, TS_ECORRUPT, "\"path\" is not a string");
    if (!json_is_array(fs))
        return failv(R, TS_ECORRUPT, "\"findings\" is not an array");
    if (rs != NULL && !json_is_array(rs))
        return failv(R, TS_ECORRUPT, "\"reasons\" is not an array");
    if (sha != NULL && !json_is_null(sha) && !is_fingerprint(sha))
        return failv(R, TS_ECORRUPT, "\"sha256\" is not 64 hex digits");
    if (key != NULL && !json_is_null(key) && !is_key_id(key))
        return failv(R, TS_ECORRUPT, "\"fingerprint_key_id\" is not 16 hex digits");
    if (ts_doc_create(&R->doc, R->ctx, json_string_value(path), 0, NULL) != TS_OK)
        return nomem(R);
    ts_doc *doc = R->doc;
    /* the path as shown (escaped \xE6, secrets masked): back to its bytes, so reporting it again
     * shows it the same; a masked part stays masked */
    ts_path_unescape(doc->path);
    const char *slash = strrchr(doc->path, '/');
    doc->name_off = slash && slash[1] != '\0' ? (size_t)(slash + 1 - doc->path) : 0;
    if (!get_str(R, o, "format", false, &format) ||
        !get_uint(R, o, "bytes", false, 0, INT64_MAX, &bytes) ||
        !get_uint(R, o, "ignored", true, 0, SIZE_MAX, &ignored) ||
        !get_str(R, o, "error", true, &error) || (error != NULL && !read_error(R, error)))
        return false;
    doc->format = format;
    doc->bytes = bytes;
    doc->ignored = (size_t)ignored;
    if (json_is_string(sha)) {
        memcpy(doc->sha256, json_string_value(sha), sizeof doc->sha256);
        doc->has_sha256 = true;
    }
    /* report/1 has none: its fingerprints were plain SHA-256, made with no key */
    if (json_is_string(key))
        memcpy(doc->fp_key_id, json_string_value(key), sizeof doc->fp_key_id);
    else
        doc->fp_key_id[0] = '\0';
    for (size_t i = 0; i < json_array_size(rs); i++) {
        const json_t *r = json_array_get(rs, i);
        if (!json_is_string(r))
            return failv(R, TS_ECORRUPT, "reason %zu is not a string", i + 1);
        doc->dropped += truncated_count(json_string_value(r));
    }
    for (size_t i = 0; i < json_array_size(fs); i++)
        if (!read_finding(R, fs, i))
            return false;
    ts_status st = ts_risk_grade(doc);
    return st == TS_OK || nomem(R);
}

ts_status ts_doc_from_report_json(ts_doc **out, const ts_ctx *ctx, const json_t *obj, char *why,
                                  size_t why_size)
{
    if (why != NULL && why_size > 0)
        why[0] = '\0';
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (ctx == NULL || obj == NULL)
        return TS_EINVAL;
    reader R = {.ctx = ctx, .why = why, .why_size = why_size};
    ts_ctx_get_limits(ctx, &R.limits);
    /* a shard's run line ({"run": …}, jsonl.c) stands among the documents of a jsonl report */
    if (json_is_object(obj) && json_object_get(obj, "run") != NULL &&
        json_object_get(obj, "path") == NULL) {
        failv(&R, TS_ENOTFOUND, "a run line, not a document");
        return R.st;
    }
    if (read_doc(&R, obj)) {
        *out = R.doc;
    } else {
        ts_doc_free(R.doc);
        if (R.st == TS_OK)
            failv(&R, TS_ECORRUPT, "not a document object");
    }
    return R.st;
}

TS_API ts_status ts_doc_read_report(ts_doc **out, const ts_ctx *ctx, const char *json, size_t len,
                                    char *why, size_t why_size)
{
    if (why != NULL && why_size > 0)
        why[0] = '\0';
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (ctx == NULL || json == NULL)
        return TS_EINVAL;
    json_error_t jerr;
    /* jansson refuses NUL in strings and nests at most JSON_PARSER_MAX_DEPTH deep */
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        reader R = {.why = why, .why_size = why_size};
        if (strstr(jerr.text, "memory") != NULL)
            nomem(&R);
        else
            failv(&R, TS_ECORRUPT, "not JSON: %s (column %d)", jerr.text, jerr.column);
        return R.st;
    }
    ts_status st = ts_doc_from_report_json(out, ctx, root, why, why_size);
    json_decref(root);
    return st;
}

TS_API ts_status ts_doc_adopt(ts_doc *parent, ts_doc *child)
{
    if (parent == NULL || child == NULL || parent == child)
        return TS_EINVAL;
    size_t lp = strlen(parent->path);
    if (strncmp(child->path, parent->path, lp) != 0 || child->path[lp] != '!' ||
        child->path[lp + 1] == '\0')
        return TS_EINVAL;
    if (ts_grow((void **)&parent->children, &parent->cap_children, parent->nchildren + 1,
                sizeof(*parent->children)) != 0)
        return TS_ENOMEM;
    child->name_off = lp + 1;
    ts_status st = ts_risk_take_child(parent, child);
    if (st != TS_OK)
        return st;
    parent->children[parent->nchildren++] = child;
    return TS_OK;
}

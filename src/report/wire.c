/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A scanned document as one line of JSON and back (ts_doc_dump, ts_doc_load): how a worker
 * process hands its result to the process that writes the report. Unlike a report it keeps what
 * the report derives its text from — the unmasked value, the context on each side, the error
 * status and detail, counts of ignored and dropped findings, the children — so the document read
 * back is graded and reported exactly as the one scanned. Private to one version of the program:
 * both ends are always the same binary.
 *
 *   {"p":path,"f":format,"b":bytes,"h":sha256|null,"d":depth,"e":status,"m":detail|null,
 *    "n":Norwegian detail|null,"i":ignored,"x":dropped,
 *    "F":[[rule,severity,value,before,after,detail|null,where,page,part|null,line,order,fp],…],
 *    "c":[child,…]}
 */
#include "core/core.h"

#include <string.h>

#include "core/alloc.h"
#include "report/docjson.h"
#include "report/report.h"
#include "risk/risk.h"

enum {
    F_RULE,
    F_SEV,
    F_VALUE,
    F_BEFORE,
    F_AFTER,
    F_DETAIL,
    F_WHERE,
    F_PAGE,
    F_PART,
    F_LINE,
    F_ORDER,
    F_FP,
    F_COUNT
};

static json_t *uint_json(uint64_t v)
{
    return json_integer((json_int_t)(v > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : v));
}

static json_t *finding_wire(const ts_finding *f)
{
    json_t *a = json_array();
    if (a == NULL)
        return NULL;
    json_t *v[F_COUNT] = {
        [F_RULE] = ts_json_str(ts_finding_rule_id(f)),
        [F_SEV] = json_integer(f->severity),
        [F_VALUE] = ts_json_str(f->value),
        [F_BEFORE] = ts_json_str(f->ctx_before),
        [F_AFTER] = ts_json_str(f->ctx_after),
        [F_DETAIL] = ts_json_str(f->detail),
        [F_WHERE] = json_integer(f->where),
        [F_PAGE] = json_integer(f->page),
        [F_PART] = ts_json_str(f->part),
        [F_LINE] = uint_json(f->line),
        [F_ORDER] = uint_json(f->order),
        [F_FP] = json_string(f->fingerprint),
    };
    int bad = 0;
    for (int i = 0; i < F_COUNT; i++)
        bad |= v[i] == NULL ? -1 : json_array_append_new(a, v[i]);
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *doc_wire(const ts_doc *doc)
{
    json_t *o = json_object(), *fs = json_array(), *cs = json_array();
    int bad = o == NULL || fs == NULL || cs == NULL;
    for (size_t i = 0; !bad && i < doc->nfindings; i++)
        bad |= json_array_append_new(fs, finding_wire(doc->findings[i]));
    for (size_t i = 0; !bad && i < doc->nchildren; i++)
        bad |= json_array_append_new(cs, doc_wire(doc->children[i]));
    if (!bad) {
        bad |= json_object_set_new(o, "p", ts_json_str(doc->path));
        bad |= json_object_set_new(o, "f", ts_json_str(doc->format));
        bad |= json_object_set_new(o, "b", uint_json(doc->bytes));
        bad |=
            json_object_set_new(o, "h", doc->has_sha256 ? json_string(doc->sha256) : json_null());
        bad |= json_object_set_new(o, "d", json_integer(doc->depth));
        bad |= json_object_set_new(o, "e", json_integer(doc->err));
        bad |= json_object_set_new(o, "m", ts_json_str(doc->err_detail));
        bad |= json_object_set_new(o, "n", ts_json_str(doc->err_detail_nb));
        bad |= json_object_set_new(o, "i", uint_json(doc->ignored));
        bad |= json_object_set_new(o, "x", uint_json(doc->dropped));
        bad |= json_object_set(o, "F", fs);
        bad |= json_object_set(o, "c", cs);
    }
    json_decref(fs);
    json_decref(cs);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

TS_API ts_status ts_doc_dump(const ts_doc *doc, ts_out *o)
{
    if (doc == NULL || o == NULL)
        return TS_EINVAL;
    json_t *w = doc_wire(doc);
    ts_status st = ts_out_json(o, w, JSON_COMPACT); /* newlines in strings are escaped */
    json_decref(w);
    if (st == TS_OK)
        st = ts_out_write(o, "\n", 1);
    return st;
}

/* ---------------------------------------------------------------------------------------------- */

typedef struct loader {
    const ts_ctx *ctx;
    ts_status st; /* TS_ECORRUPT or TS_ENOMEM once something failed */
} loader;

static bool fail(loader *L, ts_status st)
{
    if (L->st == TS_OK)
        L->st = st;
    return false;
}

/* A string member (NULL allowed when `nullable`) copied into the document's arena. */
static bool str_at(loader *L, ts_doc *doc, const json_t *v, bool nullable, char **out)
{
    *out = NULL;
    if (json_is_null(v) && nullable)
        return true;
    if (!json_is_string(v))
        return fail(L, TS_ECORRUPT);
    *out = ts_doc_strndup(doc, json_string_value(v), json_string_length(v));
    return *out != NULL || fail(L, TS_ENOMEM);
}

/* A whole number from 0 to max. */
static bool uint_at(loader *L, const json_t *v, uint64_t max, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
        return fail(L, TS_ECORRUPT);
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static bool load_finding(loader *L, ts_doc *doc, const json_t *a)
{
    uint64_t sev, where, page, line, order;
    if (!json_is_array(a) || json_array_size(a) != F_COUNT ||
        !json_is_string(json_array_get(a, F_RULE)) ||
        !uint_at(L, json_array_get(a, F_SEV), TS_SEV_CRITICAL, &sev) ||
        !uint_at(L, json_array_get(a, F_WHERE), TS_WHERE_COUNT_ - 1, &where) ||
        !uint_at(L, json_array_get(a, F_PAGE), UINT32_MAX, &page) ||
        !uint_at(L, json_array_get(a, F_LINE), UINT64_MAX, &line) ||
        !uint_at(L, json_array_get(a, F_ORDER), UINT64_MAX, &order))
        return fail(L, TS_ECORRUPT);
    const json_t *fp = json_array_get(a, F_FP);
    if (!json_is_string(fp) || json_string_length(fp) != 64)
        return fail(L, TS_ECORRUPT);
    const ts_rule *rule = ts_ctx_rule_find(L->ctx, json_string_value(json_array_get(a, F_RULE)));
    if (rule == NULL)
        return fail(L, TS_ECORRUPT); /* the other end had rules this one lacks */
    ts_finding *f = ts_doc_alloc(doc, sizeof(*f));
    if (f == NULL)
        return fail(L, TS_ENOMEM);
    memset(f, 0, sizeof(*f));
    f->rule = rule;
    f->category = ts_rule_category(rule);
    f->severity = (ts_severity)sev;
    f->where = (ts_where)where;
    f->page = (unsigned)page;
    f->line = (unsigned long)line;
    f->order = order;
    memcpy(f->fingerprint, json_string_value(fp), 65);
    if (!str_at(L, doc, json_array_get(a, F_VALUE), false, &f->value) ||
        !str_at(L, doc, json_array_get(a, F_BEFORE), false, &f->ctx_before) ||
        !str_at(L, doc, json_array_get(a, F_AFTER), false, &f->ctx_after) ||
        !str_at(L, doc, json_array_get(a, F_DETAIL), true, &f->detail) ||
        !str_at(L, doc, json_array_get(a, F_PART), true, &f->part))
        return false;
    if (ts_grow((void **)&doc->findings, &doc->cap_findings, doc->nfindings + 1,
                sizeof(*doc->findings)) != 0)
        return fail(L, TS_ENOMEM);
    doc->findings[doc->nfindings++] = f;
    return true;
}

/* The format's name as the type table spells it (a static string), or a copy. */
static const char *format_name(ts_doc *doc, const char *name)
{
    for (int t = 0; t < TS_TYPE_COUNT_; t++)
        if (strcmp(ts_type_name((ts_type)t), name) == 0)
            return ts_type_name((ts_type)t);
    return ts_doc_strdup(doc, name);
}

/* Build one document (and its children) from `o`; graded, children first. NULL on failure. */
static ts_doc *load_doc(loader *L, const json_t *o, uint64_t *unpacked)
{
    const json_t *fs = json_object_get(o, "F"), *cs = json_object_get(o, "c");
    const json_t *p = json_object_get(o, "p"), *f = json_object_get(o, "f");
    const json_t *h = json_object_get(o, "h"), *e = json_object_get(o, "e");
    uint64_t bytes, depth, ignored, dropped;
    if (!json_is_object(o) || !json_is_string(p) || !json_is_string(f) || !json_is_array(fs) ||
        !json_is_array(cs) || !json_is_integer(e) ||
        !uint_at(L, json_object_get(o, "b"), UINT64_MAX, &bytes) ||
        !uint_at(L, json_object_get(o, "d"), 1000, &depth) ||
        !uint_at(L, json_object_get(o, "i"), SIZE_MAX, &ignored) ||
        !uint_at(L, json_object_get(o, "x"), SIZE_MAX, &dropped) ||
        !(json_is_null(h) || (json_is_string(h) && json_string_length(h) == 64))) {
        fail(L, TS_ECORRUPT);
        return NULL;
    }
    json_int_t err = json_integer_value(e);
    if (err > TS_OK || err < TS_EINTERNAL) {
        fail(L, TS_ECORRUPT);
        return NULL;
    }
    ts_doc *doc = NULL;
    if (ts_doc_create(&doc, L->ctx, json_string_value(p), (unsigned)depth, unpacked) != TS_OK) {
        fail(L, TS_ENOMEM);
        return NULL;
    }
    doc->format = format_name(doc, json_string_value(f));
    doc->bytes = bytes;
    doc->ignored = (size_t)ignored;
    doc->dropped = (size_t)dropped;
    if (json_is_string(h)) {
        memcpy(doc->sha256, json_string_value(h), 65);
        doc->has_sha256 = true;
    }
    char *detail = NULL, *detail_nb = NULL;
    bool ok = doc->format != NULL || fail(L, TS_ENOMEM);
    ok = ok && str_at(L, doc, json_object_get(o, "m"), true, &detail);
    ok = ok && str_at(L, doc, json_object_get(o, "n"), true, &detail_nb);
    if (ok && err != TS_OK)
        ts_doc_fail_texts(doc, (ts_status)err, detail, detail_nb);
    for (size_t i = 0; ok && i < json_array_size(fs); i++)
        ok = load_finding(L, doc, json_array_get(fs, i));
    for (size_t i = 0; ok && i < json_array_size(cs); i++) {
        ts_doc *child = NULL;
        if (ts_grow((void **)&doc->children, &doc->cap_children, doc->nchildren + 1,
                    sizeof(*doc->children)) != 0)
            ok = fail(L, TS_ENOMEM);
        else if ((child = load_doc(L, json_array_get(cs, i), doc->unpacked)) == NULL)
            ok = false;
        else
            doc->children[doc->nchildren++] = child;
    }
    ts_status st = ok ? ts_risk_grade(doc) : L->st;
    if (st != TS_OK) {
        fail(L, st);
        ts_doc_free(doc);
        return NULL;
    }
    return doc;
}

TS_API ts_status ts_doc_load(ts_doc **out, const ts_ctx *ctx, const char *buf, size_t len)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (ctx == NULL || buf == NULL)
        return TS_EINVAL;
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return strstr(jerr.text, "memory") ? TS_ENOMEM : TS_ECORRUPT;
    loader L = {.ctx = ctx, .st = TS_OK};
    *out = load_doc(&L, root, NULL);
    json_decref(root);
    return *out != NULL ? TS_OK : (L.st != TS_OK ? L.st : TS_ECORRUPT);
}

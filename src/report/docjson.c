/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DESIGN §7 document object (keys in contract order) and jansson helpers for JSON reports. */
#include "report/docjson.h"

#include "core/core.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "report/report.h"
#include "report/util.h"

json_t *ts_json_str(const char *s)
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
        size_t k = ts_utf8_seq(u + i, len - i);
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

/* "… before MATCH after …": built from the shown match, so a masked secret stays masked. */
static json_t *context_json(const ts_doc *doc, const ts_finding *f, const char *match,
                            int show_secrets)
{
    static const char dots_before[] = "… ", dots_after[] = " …";
    json_t *j = NULL;
    char *buf = NULL;
    char *before = ts_report_mask_secrets(doc, ts_finding_context_before(f), show_secrets);
    char *after = ts_report_mask_secrets(doc, ts_finding_context_after(f), show_secrets);
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
    j = ts_json_str(buf);
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
    char *match = ts_report_match(doc, f, opts->show_secrets);
    json_t *o = json_object();
    json_t *loc = json_object();
    int bad = match == NULL || o == NULL || loc == NULL;
    if (bad)
        goto out;
    bad |= json_object_set_new(loc, "where", ts_json_str(ts_where_name(ts_finding_where(f))));
    bad |= json_object_set_new(loc, "page", jint_or_null(ts_finding_page(f)));
    bad |= json_object_set_new(loc, "part", ts_json_str(ts_finding_part(f)));
    bad |= json_object_set_new(loc, "line", jint_or_null(ts_finding_line(f)));

    bad |= json_object_set_new(o, "rule", ts_json_str(ts_finding_rule_id(f)));
    bad |=
        json_object_set_new(o, "category", ts_json_str(ts_category_name(ts_finding_category(f))));
    bad |=
        json_object_set_new(o, "severity", ts_json_str(ts_severity_name(ts_finding_severity(f))));
    bad |= json_object_set_new(o, "match", ts_json_str(match));
    bad |= json_object_set_new(o, "fingerprint", ts_json_str(ts_finding_fingerprint(f)));
    bad |= json_object_set(o, "location", loc);
    bad |= json_object_set_new(o, "context", context_json(doc, f, match, opts->show_secrets));
    bad |= json_object_set_new(o, "message", ts_json_str(title ? title : ts_finding_rule_id(f)));
    bad |= json_object_set_new(o, "advice", ts_json_str(advice ? advice : ""));
    if (ts_finding_detail(f) != NULL) {
        char *d = ts_report_mask_secrets(doc, ts_finding_detail(f), opts->show_secrets);
        bad |= d == NULL || json_object_set_new(o, "detail", ts_json_str(d));
        ts_free(d);
    }
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
    char *path = NULL, *err = NULL;
    int bad = o == NULL || reasons == NULL || findings == NULL;
    if (bad)
        goto out;
    for (size_t i = 0; !bad && i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, opts->lang);
        bad |= json_array_append_new(reasons, ts_json_str(r ? r : ""));
    }
    for (size_t i = 0; !bad && i < ts_doc_finding_count(doc); i++)
        bad |= json_array_append_new(findings, finding_json(doc, ts_doc_finding_at(doc, i), opts));
    if (bad)
        goto out;
    path = ts_report_path(doc, opts->show_secrets);
    bad |= path == NULL || ts_report_error(doc, opts->lang, opts->show_secrets, &err) != TS_OK;
    if (bad)
        goto out;
    bad |= json_object_set_new(o, "path", ts_json_str(path));
    bad |= json_object_set_new(o, "format", ts_json_str(ts_doc_format(doc)));
    bad |= json_object_set_new(o, "bytes", jint(ts_doc_bytes(doc)));
    bad |= json_object_set_new(o, "sha256", ts_json_str(ts_doc_sha256(doc)));
    bad |= json_object_set_new(o, "grade", ts_json_str(ts_grade_name(ts_doc_grade(doc))));
    bad |= json_object_set_new(o, "score", json_integer(ts_doc_score(doc)));
    bad |= json_object_set_new(o, "error", ts_json_str(err));
    bad |= json_object_set(o, "reasons", reasons);
    bad |= json_object_set(o, "findings", findings);
    bad |= json_object_set_new(o, "ignored", jint(ts_doc_ignored_count(doc)));
    bad |= json_object_set_new(o, "fingerprint_key_id", ts_json_str(ts_doc_fingerprint_key_id(doc)));
out:
    json_decref(reasons);
    json_decref(findings);
    ts_free(path);
    ts_free(err);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *ts_run_to_json(const ts_run_info *ri)
{
    char shard[48];
    snprintf(shard, sizeof shard, "%lu/%lu", ri->shard_k, ri->shard_n);
    json_t *r = json_object();
    int bad = r == NULL;
    if (!bad) {
        bad |= json_object_set_new(r, "shard", ri->shard_n ? json_string(shard) : json_null());
        bad |= json_object_set_new(r, "files", json_integer((json_int_t)ri->files));
        bad |= json_object_set_new(r, "documents", json_integer((json_int_t)ri->documents));
        bad |= json_object_set_new(r, "version", json_string(TS_VERSION));
        bad |= json_object_set_new(r, "digest", ts_json_str(ri->digest));
        bad |= json_object_set_new(r, "started", ts_json_str(ri->started));
    }
    if (bad) {
        json_decref(r);
        return NULL;
    }
    return r;
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

struct sink {
    ts_out *o;
    ts_status st;
};

static int to_out(const char *buffer, size_t size, void *data)
{
    struct sink *s = data;
    s->st = ts_out_write(s->o, buffer, size);
    return s->st == TS_OK ? 0 : -1;
}

ts_status ts_out_json(ts_out *o, const json_t *v, size_t flags)
{
    struct sink s = {.o = o, .st = TS_OK};
    if (v == NULL)
        return TS_ENOMEM;
    if (json_dump_callback(v, to_out, &s, flags | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER) != 0)
        return s.st != TS_OK ? s.st : TS_ENOMEM;
    return TS_OK;
}

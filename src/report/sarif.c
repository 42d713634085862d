/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sarif reporter: SARIF 2.1.0 (OASIS) for code-scanning dashboards and security tools. */
#include "report/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/msg.h"
#include "report/docjson.h"
#include "report/util.h"

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* The rule id of the result that says a document could not be read completely. */
#define UNREAD_RULE "tenderscan.unreadable"
/*
 * Key of the finding's fingerprint in partialFingerprints (SARIF §3.27.17: a name and a version):
 * the keyed HMAC-SHA256 of report/2. Report/1 wrote the plain SHA-256 under "valueSha256/v1"; the
 * two never compare equal, so they do not share a name.
 */
#define FINGERPRINT_KEY "valueHmacSha256/v1"

static const char INDENT_RESULT[] = "        ";
static const char INDENT_NOTE[] = "            ";

struct sarif_state {
    size_t results;   /* results written so far */
    size_t artifacts; /* documents seen so far: the next artifact index */
    json_t *rules;    /* reportingDescriptor objects, in order of first use */
    json_t *index;    /* rule id -> position in rules */
    ts_out *arts;     /* the artifacts array's members, written at the end */
    ts_out *notes;    /* toolExecutionNotifications for unreadable documents */
};

static const ts_report_opts *opts_of(const ts_run *run)
{
    static const ts_report_opts defaults = {.lang = TS_LANG_EN};
    return run && run->opts ? run->opts : &defaults;
}

/* SARIF §3.27.10: error for critical and high, warning for medium, note for low and info. */
static const char *level_of(ts_severity s)
{
    switch (s) {
    case TS_SEV_CRITICAL:
    case TS_SEV_HIGH:
        return "error";
    case TS_SEV_MEDIUM:
        return "warning";
    case TS_SEV_LOW:
    case TS_SEV_INFO:
        return "note";
    }
    return "note";
}

/* GitHub code scanning's "security-severity": a CVSS-like score, as a string. */
static const char *security_severity(ts_severity s)
{
    switch (s) {
    case TS_SEV_CRITICAL:
        return "9.5";
    case TS_SEV_HIGH:
        return "8.0";
    case TS_SEV_MEDIUM:
        return "5.5";
    case TS_SEV_LOW:
        return "3.0";
    case TS_SEV_INFO:
        return "0.0";
    }
    return "0.0";
}

/*
 * A document path as a URI reference (RFC 3986 §4.1): unreserved characters, sub-delims, ':', '@'
 * and '/' stay; every other byte is percent-encoded (so "æ" is "%C3%A6" and a stray byte of a raw
 * file name is kept exactly). "./" goes first when a ':' would otherwise read as a scheme.
 * A secret found in a name is masked first (core/path.c), as every report shows the path.
 */
static json_t *uri_of(const ts_doc *doc, int show_secrets)
{
    char *path = ts_report_path_bytes(doc, show_secrets);
    if (path == NULL)
        return NULL;
    static const char hex[] = "0123456789ABCDEF";
    static const char keep[] = "-._~!$&'()*+,;=:@/";
    size_t len = strlen(path), cap;
    char *buf = NULL;
    if (ts_size_mul(&cap, len, 3) == 0 && cap <= SIZE_MAX - 3)
        buf = ts_malloc(cap + 3);
    if (buf == NULL) {
        ts_free(path);
        return NULL;
    }
    size_t w = 0;
    const char *colon = strchr(path, ':'), *slash = strchr(path, '/');
    if (colon != NULL && (slash == NULL || colon < slash)) {
        buf[w++] = '.';
        buf[w++] = '/';
    }
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p) != NULL) {
            buf[w++] = (char)*p;
        } else {
            buf[w++] = '%';
            buf[w++] = hex[*p >> 4];
            buf[w++] = hex[*p & 15];
        }
    }
    json_t *j = json_stringn(buf, w);
    ts_free(buf);
    ts_free(path);
    return j;
}

/* {"text": s}; SARIF messages are plain text here, never Markdown. */
static json_t *message_of(const char *s)
{
    json_t *m = json_object();
    if (m != NULL && json_object_set_new(m, "text", ts_json_str(s ? s : "")) != 0) {
        json_decref(m);
        return NULL;
    }
    return m;
}

/* A reportingDescriptor (SARIF §3.49): title as shortDescription, advice as help. */
static json_t *rule_json(const char *id, const char *title, const char *advice, ts_category cat,
                         ts_severity sev)
{
    json_t *r = json_object(), *conf = json_object(), *props = json_object();
    json_t *tags = json_array();
    int bad = r == NULL || conf == NULL || props == NULL || tags == NULL;
    if (bad)
        goto out;
    bad |= json_array_append_new(tags, json_string("security"));
    bad |= json_array_append_new(tags, json_string(ts_category_name(cat)));
    bad |= json_object_set_new(conf, "level", json_string(level_of(sev)));
    bad |= json_object_set_new(props, "category", json_string(ts_category_name(cat)));
    bad |= json_object_set_new(props, "severity", json_string(ts_severity_name(sev)));
    bad |= json_object_set_new(props, "security-severity", json_string(security_severity(sev)));
    bad |= json_object_set(props, "tags", tags);
    bad |= json_object_set_new(r, "id", ts_json_str(id));
    bad |= json_object_set_new(r, "shortDescription", message_of(title ? title : id));
    bad |= json_object_set_new(r, "help", message_of(advice ? advice : ""));
    bad |= json_object_set(r, "defaultConfiguration", conf);
    bad |= json_object_set(r, "properties", props);
out:
    json_decref(conf);
    json_decref(props);
    json_decref(tags);
    if (bad) {
        json_decref(r);
        return NULL;
    }
    return r;
}

/* Index of rule `id` in tool.driver.rules, added on first use; -1 on out-of-memory. */
static json_int_t rule_index(struct sarif_state *s, const char *id, const char *title,
                             const char *advice, ts_category cat, ts_severity sev)
{
    json_t *have = json_object_get(s->index, id);
    if (have != NULL)
        return json_integer_value(have);
    json_t *r = rule_json(id, title, advice, cat, sev);
    json_int_t at = (json_int_t)json_array_size(s->rules);
    if (r == NULL || json_array_append_new(s->rules, r) != 0)
        return -1;
    if (json_object_set_new(s->index, id, json_integer(at)) != 0)
        return -1;
    return at;
}

/* {"physicalLocation": {"artifactLocation": {"uri": …, "index": n}}}: the document itself. */
static json_t *doc_location(const ts_doc *doc, size_t index, int show_secrets)
{
    json_t *loc = json_object(), *phys = json_object(), *art = json_object();
    int bad = loc == NULL || phys == NULL || art == NULL;
    if (!bad) {
        bad |= json_object_set_new(art, "uri", uri_of(doc, show_secrets));
        bad |= json_object_set_new(art, "index", json_integer((json_int_t)index));
        bad |= json_object_set(phys, "artifactLocation", art);
        bad |= json_object_set(loc, "physicalLocation", phys);
    }
    json_decref(phys);
    json_decref(art);
    if (bad) {
        json_decref(loc);
        return NULL;
    }
    return loc;
}

/* "comment, page 3, line 2, word/comments.xml" in the report's language; ts_malloc'd. */
static char *where_text(const ts_finding *f, ts_lang lang)
{
    const char *part = ts_finding_part(f);
    char nums[96] = "";
    int k = 0;
    if (ts_finding_page(f) > 0)
        k = snprintf(nums, sizeof nums, ", %s %u", ts_msg(TS_MSG_LABEL_PAGE, lang),
                     ts_finding_page(f));
    if (ts_finding_line(f) > 0 && k >= 0 && (size_t)k < sizeof nums)
        snprintf(nums + k, sizeof nums - (size_t)k, ", %s %lu", ts_msg(TS_MSG_LABEL_LINE, lang),
                 ts_finding_line(f));
    const char *w = ts_msg_where(ts_finding_where(f), lang);
    size_t len = strlen(w) + strlen(nums) + (part ? strlen(part) + 2 : 0) + 1;
    char *out = ts_malloc(len);
    if (out != NULL)
        snprintf(out, len, "%s%s%s%s", w, nums, part ? ", " : "", part ? part : "");
    return out;
}

/*
 * A location (SARIF §3.28): the file; the line with the text around the value as the region's
 * snippet when lines are known; the part (XML part, sheet, layer) as a logical location; page and
 * place as properties, and all of it in words as the location's message.
 */
static json_t *location_json(const ts_doc *doc, const ts_finding *f, size_t index,
                             const char *context, const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    json_t *loc = doc_location(doc, index, opts->show_secrets), *props = json_object();
    char *where = where_text(f, lang);
    int bad = loc == NULL || props == NULL || where == NULL;
    if (bad)
        goto out;
    if (ts_finding_line(f) > 0) {
        json_t *phys = json_object_get(loc, "physicalLocation"), *region = json_object();
        bad |= region == NULL;
        bad |=
            json_object_set_new(region, "startLine", json_integer((json_int_t)ts_finding_line(f)));
        bad |= json_object_set_new(region, "snippet", message_of(context));
        bad |= json_object_set_new(phys, "region", region);
    }
    if (ts_finding_part(f) != NULL) {
        json_t *logical = json_array(), *l = json_object();
        bad |= logical == NULL || l == NULL;
        bad |= json_object_set_new(l, "fullyQualifiedName", ts_json_str(ts_finding_part(f)));
        bad |= json_object_set_new(l, "kind", json_string("resource"));
        bad |= json_array_append_new(logical, l);
        bad |= json_object_set_new(loc, "logicalLocations", logical);
    }
    bad |= json_object_set_new(loc, "message", message_of(where));
    bad |= json_object_set_new(props, "where", json_string(ts_where_name(ts_finding_where(f))));
    if (ts_finding_page(f) > 0)
        bad |= json_object_set_new(props, "page", json_integer((json_int_t)ts_finding_page(f)));
    bad |= json_object_set(loc, "properties", props);
out:
    json_decref(props);
    ts_free(where);
    if (bad) {
        json_decref(loc);
        return NULL;
    }
    return loc;
}

/* `a` `b` `c` joined into one ts_malloc'd string. */
static char *join3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *out = ts_malloc(la + lb + lc + 1);
    if (out != NULL) {
        memcpy(out, a, la);
        memcpy(out + la, b, lb);
        memcpy(out + la + lb, c, lc + 1);
    }
    return out;
}

/* The text around the value, built from the value as shown: a masked secret stays masked. */
static char *context_text(const ts_doc *doc, const ts_finding *f, const char *match, int show)
{
    char *b = ts_report_mask_secrets(doc, ts_finding_context_before(f), show);
    char *a = ts_report_mask_secrets(doc, ts_finding_context_after(f), show);
    char *out = b && a ? join3(b, match, a) : NULL;
    ts_free(b);
    ts_free(a);
    return out;
}

static json_t *result_json(struct sarif_state *s, const ts_doc *doc, const ts_finding *f,
                           const ts_report_opts *opts)
{
    const ts_rule *rule = ts_finding_rule(f);
    const char *id = ts_finding_rule_id(f);
    const char *title = rule ? ts_rule_title(rule, opts->lang) : NULL;
    const char *advice = rule ? ts_rule_advice(rule, opts->lang) : NULL;
    ts_severity sev = ts_finding_severity(f);
    ts_category cat = ts_finding_category(f);
    json_int_t ri = rule_index(s, id, title, advice, cat, rule ? ts_rule_severity(rule) : sev);
    char *match = ts_report_match(doc, f, opts->show_secrets);
    char *context = match ? context_text(doc, f, match, opts->show_secrets) : NULL;
    const char *raw_detail = ts_finding_detail(f);
    char *detail = raw_detail ? ts_report_mask_secrets(doc, raw_detail, opts->show_secrets) : NULL;
    /* "Title: value", or "Title: detail" for a place without a value */
    const char *extra = match && *match != '\0' ? match : detail;
    char *text = join3(title ? title : id, extra ? ": " : "", extra ? extra : "");
    json_t *r = json_object(), *locs = json_array(), *fp = json_object(), *props = json_object();
    int bad = ri < 0 || match == NULL || context == NULL || text == NULL || r == NULL ||
              locs == NULL || fp == NULL || props == NULL || (raw_detail && detail == NULL);
    if (bad)
        goto out;
    bad |= json_array_append_new(locs, location_json(doc, f, s->artifacts, context, opts));
    bad |= json_object_set_new(fp, FINGERPRINT_KEY, json_string(ts_finding_fingerprint(f)));
    bad |= json_object_set_new(props, "category", json_string(ts_category_name(cat)));
    bad |= json_object_set_new(props, "severity", json_string(ts_severity_name(sev)));
    bad |= json_object_set_new(props, "grade", json_string(ts_grade_name(ts_doc_grade(doc))));
    if (ts_doc_fingerprint_key_id(doc) != NULL)
        bad |= json_object_set_new(props, "fingerprintKeyId",
                                   json_string(ts_doc_fingerprint_key_id(doc)));
    if (detail != NULL)
        bad |= json_object_set_new(props, "detail", ts_json_str(detail));
    bad |= json_object_set_new(r, "ruleId", ts_json_str(id));
    bad |= json_object_set_new(r, "ruleIndex", json_integer(ri));
    bad |= json_object_set_new(r, "kind", json_string("fail"));
    bad |= json_object_set_new(r, "level", json_string(level_of(sev)));
    bad |= json_object_set_new(r, "message", message_of(text));
    bad |= json_object_set(r, "locations", locs);
    bad |= json_object_set(r, "partialFingerprints", fp);
    bad |= json_object_set(r, "properties", props);
out:
    ts_free(match);
    ts_free(context);
    ts_free(detail);
    ts_free(text);
    json_decref(locs);
    json_decref(fp);
    json_decref(props);
    if (bad) {
        json_decref(r);
        return NULL;
    }
    return r;
}

/* The result for a document that could not be read completely: never a silent pass. */
static json_t *unread_json(struct sarif_state *s, const ts_doc *doc, const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    char *err = NULL;
    if (ts_report_error(doc, lang, opts->show_secrets, &err) != TS_OK)
        return NULL;
    json_int_t ri = rule_index(s, UNREAD_RULE, ts_msg(TS_MSG_UNREAD_TITLE, lang),
                               ts_msg(TS_MSG_GRADE_ERROR_HINT, lang), TS_CAT_HIDDEN, TS_SEV_HIGH);
    json_t *r = json_object(), *locs = json_array();
    int bad = ri < 0 || r == NULL || locs == NULL;
    if (!bad) {
        bad |= json_array_append_new(locs, doc_location(doc, s->artifacts, opts->show_secrets));
        bad |= json_object_set_new(r, "ruleId", json_string(UNREAD_RULE));
        bad |= json_object_set_new(r, "ruleIndex", json_integer(ri));
        bad |= json_object_set_new(r, "kind", json_string("fail"));
        bad |= json_object_set_new(r, "level", json_string("error"));
        bad |= json_object_set_new(r, "message", message_of(err));
        bad |= json_object_set(r, "locations", locs);
    }
    json_decref(locs);
    ts_free(err);
    if (bad) {
        json_decref(r);
        return NULL;
    }
    return r;
}

/* A toolExecutionNotification (SARIF §3.58) naming a document that could not be read. */
static json_t *notification_json(const ts_doc *doc, size_t index, const ts_report_opts *opts)
{
    json_t *n = json_object(), *locs = json_array();
    char *err = NULL;
    int bad = n == NULL || locs == NULL ||
              ts_report_error(doc, opts->lang, opts->show_secrets, &err) != TS_OK;
    if (!bad) {
        bad |= json_array_append_new(locs, doc_location(doc, index, opts->show_secrets));
        bad |= json_object_set(n, "locations", locs);
        bad |= json_object_set_new(n, "level", json_string("error"));
        bad |= json_object_set_new(n, "message", message_of(err));
    }
    json_decref(locs);
    ts_free(err);
    if (bad) {
        json_decref(n);
        return NULL;
    }
    return n;
}

/* An artifact (SARIF §3.24) with the document's grade, score and reasons as properties. */
static json_t *artifact_json(const ts_doc *doc, const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    json_t *a = json_object(), *loc = json_object(), *props = json_object();
    json_t *reasons = json_array();
    char *err = NULL;
    int bad = a == NULL || loc == NULL || props == NULL || reasons == NULL ||
              ts_report_error(doc, lang, opts->show_secrets, &err) != TS_OK;
    if (bad)
        goto out;
    uint64_t bytes = ts_doc_bytes(doc);
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++)
        bad |= json_array_append_new(reasons, ts_json_str(ts_doc_reason_at(doc, i, lang)));
    bad |= json_object_set_new(loc, "uri", uri_of(doc, opts->show_secrets));
    bad |= json_object_set(a, "location", loc);
    bad |= json_object_set_new(a, "length",
                               json_integer(bytes > INT64_MAX ? INT64_MAX : (json_int_t)bytes));
    if (ts_doc_sha256(doc) != NULL) {
        json_t *h = json_object();
        bad |= h == NULL;
        bad |= json_object_set_new(h, "sha-256", json_string(ts_doc_sha256(doc)));
        bad |= json_object_set_new(a, "hashes", h);
    }
    bad |= json_object_set_new(props, "format", ts_json_str(ts_doc_format(doc)));
    bad |= json_object_set_new(props, "grade", json_string(ts_grade_name(ts_doc_grade(doc))));
    bad |= json_object_set_new(props, "score", json_integer(ts_doc_score(doc)));
    bad |= json_object_set(props, "reasons", reasons);
    if (err != NULL)
        bad |= json_object_set_new(props, "error", ts_json_str(err));
    bad |= json_object_set(a, "properties", props);
out:
    ts_free(err);
    json_decref(loc);
    json_decref(props);
    json_decref(reasons);
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* Append `v` (consumed) to a comma-separated list in `o`: one compact member per line. */
static ts_status put_member(ts_out *o, json_t *v, bool first, const char *indent)
{
    ts_status st = v == NULL ? TS_ENOMEM : ts_out_puts(o, first ? "\n" : ",\n");
    if (st == TS_OK)
        st = ts_out_puts(o, indent);
    if (st == TS_OK)
        st = ts_out_json(o, v, JSON_COMPACT);
    json_decref(v);
    return st;
}

static bool is_empty(const ts_out *o)
{
    size_t len = 0;
    ts_out_memory(o, &len);
    return len == 0;
}

static void sarif_dispose(void *state)
{
    struct sarif_state *s = state;
    json_decref(s->rules);
    json_decref(s->index);
    ts_out_free(s->arts);
    ts_out_free(s->notes);
    s->rules = s->index = NULL;
    s->arts = s->notes = NULL;
}

static ts_status sarif_begin(void *state, ts_out *o, const ts_run *run)
{
    struct sarif_state *s = state;
    (void)run;
    s->rules = json_array();
    s->index = json_object();
    if (s->rules == NULL || s->index == NULL)
        return TS_ENOMEM;
    ts_status st = ts_out_new_memory(&s->arts);
    if (st == TS_OK)
        st = ts_out_new_memory(&s->notes);
    /* results stream as documents come; rules and artifacts are complete only at the end */
    if (st == TS_OK)
        st = ts_out_puts(o, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
                            "  \"runs\": [\n    {\n      \"results\": [");
    return st;
}

static ts_status sarif_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    struct sarif_state *s = state;
    const ts_report_opts *opts = opts_of(run);
    ts_status st = TS_OK;
    for (size_t i = 0; st == TS_OK && i < ts_doc_finding_count(doc); i++) {
        st = put_member(o, result_json(s, doc, ts_doc_finding_at(doc, i), opts), s->results == 0,
                        INDENT_RESULT);
        s->results += st == TS_OK;
    }
    if (st == TS_OK && ts_doc_error(doc) != NULL) {
        st = put_member(o, unread_json(s, doc, opts), s->results == 0, INDENT_RESULT);
        s->results += st == TS_OK;
        if (st == TS_OK)
            st = put_member(s->notes, notification_json(doc, s->artifacts, opts),
                            is_empty(s->notes), INDENT_NOTE);
    }
    if (st == TS_OK)
        st = put_member(s->arts, artifact_json(doc, opts), s->artifacts == 0, INDENT_RESULT);
    s->artifacts++;
    return st;
}

/* Close a list that put_member filled: the bracket on its own line unless the list is empty. */
static ts_status close_list(ts_out *o, bool empty, const char *indent, const char *bracket)
{
    ts_status st = TS_OK;
    if (!empty) {
        st = ts_out_puts(o, "\n");
        if (st == TS_OK)
            st = ts_out_puts(o, indent);
    }
    return st == TS_OK ? ts_out_puts(o, bracket) : st;
}

static ts_status put_buffer(ts_out *o, const ts_out *buf)
{
    size_t len = 0;
    const char *p = ts_out_memory(buf, &len);
    return p == NULL ? TS_ENOMEM : ts_out_write(o, p, len);
}

static ts_status sarif_end(void *state, ts_out *o, const ts_run *run, const ts_summary *sum)
{
    struct sarif_state *s = state;
    (void)run;
    (void)sum;
    ts_status st = close_list(o, s->results == 0, "      ", "],\n      \"artifacts\": [");
    if (st == TS_OK)
        st = put_buffer(o, s->arts);
    if (st == TS_OK)
        st = close_list(o, s->artifacts == 0, "      ", "],\n");
    if (st == TS_OK)
        st = ts_out_puts(o, "      \"tool\": {\"driver\": {\"name\": \"tenderscan\", \"version\": "
                            "\"" TS_VERSION "\", \"semanticVersion\": \"" TS_VERSION "\", "
                            "\"rules\": [");
    for (size_t i = 0; st == TS_OK && i < json_array_size(s->rules); i++)
        st = put_member(o, json_incref(json_array_get(s->rules, i)), i == 0, INDENT_RESULT);
    if (st == TS_OK)
        st = close_list(o, json_array_size(s->rules) == 0, "      ", "]}},\n");
    if (st == TS_OK)
        st = ts_out_puts(o, "      \"invocations\": [{\"executionSuccessful\": true, "
                            "\"toolExecutionNotifications\": [");
    if (st == TS_OK)
        st = put_buffer(o, s->notes);
    if (st == TS_OK)
        st = close_list(o, is_empty(s->notes), "      ", "]}]\n    }\n  ]\n}\n");
    sarif_dispose(s);
    return st;
}

const struct ts_reporter ts_reporter_sarif = {
    .name = "sarif",
    .media_type = "application/sarif+json",
    .state_size = sizeof(struct sarif_state),
    .begin = sarif_begin,
    .document = sarif_document,
    .end = sarif_end,
    .dispose = sarif_dispose,
};

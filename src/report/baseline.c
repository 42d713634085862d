/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `--baseline REPORT` (ts_ctx_load_baseline): every finding of an earlier report becomes an
 * accepted finding (fingerprint and rule), as an ignore-file line `FINGERPRINT RULE` would. JSON
 * and JSONL documents are read back with readback.c, so what the report holds is checked the way
 * merge checks it; SARIF results give their ruleId and the fingerprint sarif.c wrote.
 */
#include "core/core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "detect/rules.h"
#include "report/docjson.h"

#define MAX_WHOLE ((size_t)512 << 20)       /* a JSON or SARIF report read whole (jsonl streams) */
#define MAX_LINE ((size_t)64 << 20)         /* one jsonl line, as merge allows */
#define UNREAD_RULE "tenderscan.unreadable" /* sarif.c's result for an unreadable document */

typedef struct base {
    ts_ctx *ctx;
    const char *path;
    ts_rule_error_cb cb;
    void *payload;
    size_t foreign; /* findings made with another fingerprint key, or report/1's plain SHA-256 */
} base;

/* Count the findings of a report made with a key other than ctx's (`id` NULL: report/1). */
static void note_key(base *B, const char *id, size_t nfindings)
{
    if (id == NULL || strcmp(id, ts_ctx_fingerprint_key_id(B->ctx)) != 0)
        B->foreign += nfindings;
}

static ts_status complain(const base *B, unsigned line, ts_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Tell the callback what is wrong (once: reading stops) and return `st`. */
static ts_status complain(const base *B, unsigned line, ts_status st, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (B->cb)
        B->cb(B->path, line, msg, B->payload);
    return st;
}

/* Accept the findings of one DESIGN §7 document object; a run line is skipped. */
static ts_status take_document(base *B, const json_t *obj, unsigned line, size_t index)
{
    char why[256];
    ts_doc *doc = NULL;
    ts_status st = ts_doc_from_report_json(&doc, B->ctx, obj, why, sizeof why);
    if (st == TS_ENOTFOUND)
        return TS_OK;
    if (st == TS_ENOMEM)
        return st;
    if (st != TS_OK) {
        if (line > 0)
            return complain(B, line, TS_ERULES, "%s", why);
        return complain(B, 0, TS_ERULES, "document %zu: %s", index + 1, why);
    }
    note_key(B, ts_doc_fingerprint_key_id(doc), ts_doc_finding_count(doc));
    for (size_t i = 0; st == TS_OK && i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        const char *fp = ts_finding_fingerprint(f), *rule = ts_finding_rule_id(f);
        st = ts_ctx_accept(B->ctx, fp, strlen(fp), rule, strlen(rule), NULL, 0);
    }
    ts_doc_free(doc);
    return st;
}

/* The first 64-hex-digit value of partialFingerprints (sarif.c writes exactly one). */
static const char *sarif_fingerprint(const json_t *result)
{
    const json_t *pf = json_object_get(result, "partialFingerprints");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)pf, key, v)
    {
        (void)key;
        if (!json_is_string(v) || json_string_length(v) != 64)
            continue;
        const char *s = json_string_value(v);
        size_t i = 0;
        while (i < 64 && ts_hex_digit((unsigned char)s[i]) >= 0)
            i++;
        if (i == 64)
            return s;
    }
    return NULL;
}

static ts_status take_sarif(base *B, const json_t *root)
{
    const json_t *runs = json_object_get(root, "runs");
    if (!json_is_array(runs))
        return complain(B, 0, TS_ERULES, "\"runs\" is not an array: not SARIF");
    for (size_t r = 0; r < json_array_size(runs); r++) {
        const json_t *results = json_object_get(json_array_get(runs, r), "results");
        if (results != NULL && !json_is_array(results))
            return complain(B, 0, TS_ERULES, "run %zu: \"results\" is not an array", r + 1);
        for (size_t i = 0; i < json_array_size(results); i++) {
            const json_t *res = json_array_get(results, i);
            const json_t *id = json_object_get(res, "ruleId");
            if (!json_is_string(id))
                return complain(B, 0, TS_ERULES, "result %zu: \"ruleId\" is not a string", i + 1);
            if (strcmp(json_string_value(id), UNREAD_RULE) == 0)
                continue; /* a document that could not be read is never accepted */
            if (ts_ctx_rule_find(B->ctx, json_string_value(id)) == NULL)
                return complain(B, 0, TS_ERULES,
                                "result %zu: unknown rule '%.80s' (give the --rules of the scan "
                                "that made the report)",
                                i + 1, json_string_value(id));
            const char *fp = sarif_fingerprint(res);
            if (fp == NULL)
                return complain(B, 0, TS_ERULES,
                                "result %zu: no fingerprint in \"partialFingerprints\"", i + 1);
            const json_t *kid = json_object_get(json_object_get(res, "properties"),
                                                "fingerprintKeyId");
            note_key(B, json_string_value(kid), 1); /* none: report/1's valueSha256/v1 */
            ts_status st = ts_ctx_accept(B->ctx, fp, 64, json_string_value(id),
                                         json_string_length(id), NULL, 0);
            if (st != TS_OK)
                return st;
        }
    }
    return TS_OK;
}

/* A whole report: a JSON report ("documents"), SARIF ("runs") or a one-line jsonl. */
static ts_status take_object(base *B, const json_t *root, unsigned line)
{
    const json_t *docs = json_object_get(root, "documents");
    if (json_is_array(docs)) {
        for (size_t i = 0; i < json_array_size(docs); i++) {
            ts_status st = take_document(B, json_array_get(docs, i), 0, i);
            if (st != TS_OK)
                return st;
        }
        return TS_OK;
    }
    if (json_object_get(root, "runs") != NULL)
        return take_sarif(B, root);
    return take_document(B, root, line, 0);
}

/* The rest of a jsonl file, line by line after the first (already taken). */
static ts_status take_lines(base *B, FILE *f, char **buf, size_t *cap, unsigned line)
{
    ssize_t n;
    while ((n = getline(buf, cap, f)) > 0) {
        line++;
        size_t len = (size_t)n;
        if ((size_t)n > MAX_LINE)
            return complain(B, line, TS_ERULES, "longer than %zu MiB: not one document",
                            MAX_LINE >> 20);
        const char *p = *buf;
        while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
            len--;
        size_t i = 0;
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i == len)
            continue;
        json_error_t jerr;
        json_t *o = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr);
        if (o == NULL)
            return complain(B, line, TS_ERULES, "not JSON: %s (column %d)", jerr.text, jerr.column);
        ts_status st = take_document(B, o, line, 0);
        json_decref(o);
        if (st != TS_OK)
            return st;
    }
    if (ferror(f))
        return complain(B, 0, TS_EIO, "%s", strerror(errno));
    return TS_OK;
}

static ts_status load(base *B, FILE *f)
{
    struct stat sb;
    char *buf = NULL;
    size_t cap = 0;
    unsigned line = 0;
    ts_status st = TS_OK;
    json_t *o = NULL;
    if (fstat(fileno(f), &sb) != 0)
        return complain(B, 0, TS_EIO, "%s", strerror(errno));
    /* the first line that is not blank: a jsonl document or run line is whole on it */
    ssize_t n;
    while ((n = getline(&buf, &cap, f)) > 0) {
        line++;
        if (strspn(buf, " \t\r\n") < (size_t)n)
            break;
    }
    if (n <= 0) {
        st = ferror(f) ? complain(B, 0, TS_EIO, "%s", strerror(errno))
                       : complain(B, 0, TS_ERULES, "empty: not a report of tenderscan");
        goto out;
    }
    o = (size_t)n <= MAX_LINE ? json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (json_is_object(o) && json_object_get(o, "documents") == NULL &&
        json_object_get(o, "runs") == NULL) {
        st = take_document(B, o, line, 0);
        if (st == TS_OK)
            st = take_lines(B, f, &buf, &cap, line);
        goto out;
    }
    json_decref(o);
    /* a report laid out over many lines (json, sarif): read it whole */
    if (sb.st_size > 0 && (uint64_t)sb.st_size > MAX_WHOLE) {
        st = complain(B, 0, TS_ELIMIT,
                      "a JSON report over %zu MiB: write the report as -f jsonl to use it",
                      MAX_WHOLE >> 20);
        o = NULL;
        goto out;
    }
    json_error_t jerr;
    if (fseek(f, 0, SEEK_SET) != 0) {
        st = complain(B, 0, TS_EIO, "%s", strerror(errno));
        o = NULL;
        goto out;
    }
    o = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(o))
        st = complain(B, o ? 0 : (unsigned)jerr.line, TS_ERULES,
                      "not a report of tenderscan (JSON, JSONL or SARIF)%s%s", o ? "" : ": ",
                      o ? "" : jerr.text);
    else
        st = take_object(B, o, 0);
out:
    json_decref(o);
    free(buf); /* getline's buffer comes from malloc */
    return st;
}

TS_API ts_status ts_ctx_load_baseline(ts_ctx *ctx, const char *path, ts_rule_error_cb cb,
                                      void *payload)
{
    if (ctx == NULL || path == NULL)
        return TS_EINVAL;
    base B = {.ctx = ctx, .path = path, .cb = cb, .payload = payload};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return complain(&B, 0, TS_EIO, "%s", strerror(errno));
    ts_status st = load(&B, f);
    fclose(f);
    ts_ctx_accept_done(ctx);
    /* not an error (what matches is still accepted), but it would pass unnoticed otherwise */
    if (B.foreign > 0)
        complain(&B, 0, TS_OK,
                 "%zu findings of this report were made with another fingerprint key (or are "
                 "plain SHA-256, tenderscan-report/1): they cannot be recognised and are reported "
                 "again; scan with the --fingerprint-key the report was made with",
                 B.foreign);
    return st;
}

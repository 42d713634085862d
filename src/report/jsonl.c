/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The jsonl reporter: one compact DESIGN §7 document object per line, for batches and merge. */
#include "report/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "report/docjson.h"

/* Write one value as one line: JSON_COMPACT escapes every newline inside strings. */
static ts_status put_line(ts_out *o, json_t *v)
{
    ts_status st = ts_out_json(o, v, JSON_COMPACT);
    if (st == TS_OK)
        st = ts_out_write(o, "\n", 1);
    return st;
}

/*
 * The run line, {"run": {"shard": "2/8", "files": 40, "documents": 5, "version": …, "digest": …,
 * "started": …}}, first when the caller gave one (scan --shard): it has no "path", so a reader
 * of documents can tell it apart (docs/report-format.md).
 */
static ts_status jsonl_begin(void *state, ts_out *o, const ts_run *run)
{
    (void)state;
    const ts_run_info *ri = run && run->opts ? run->opts->run : NULL;
    if (ri == NULL)
        return TS_OK;
    json_t *r = ts_run_to_json(ri), *line = json_object();
    int bad = r == NULL || line == NULL || json_object_set(line, "run", r) != 0;
    ts_status st = bad ? TS_ENOMEM : put_line(o, line);
    json_decref(r);
    json_decref(line);
    return st;
}

static ts_status jsonl_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    (void)state;
    json_t *d = ts_doc_to_json(doc, run ? run->opts : NULL);
    ts_status st = put_line(o, d);
    json_decref(d);
    return st;
}

const struct ts_reporter ts_reporter_jsonl = {
    .name = "jsonl",
    .media_type = "application/jsonl",
    .begin = jsonl_begin,
    .document = jsonl_document,
};

/* A whole number from 0 to 2^53 (what every JSON reader keeps exactly). */
static bool get_count(const json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > ((json_int_t)1 << 53))
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

/* Digits at *s (at most 9 of them) as a number; -1 when there are none. */
static long digits(const char **s)
{
    long v = 0;
    int n = 0;
    for (; **s >= '0' && **s <= '9' && n < 9; (*s)++, n++)
        v = v * 10 + (**s - '0');
    return n > 0 ? v : -1;
}

/* "K/N" with 1 <= K <= N, or JSON null (not a shard). */
static bool get_shard(const json_t *v, ts_run_info *out)
{
    if (json_is_null(v))
        return true;
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    long k = digits(&s);
    if (*s++ != '/')
        return false;
    long n = digits(&s);
    if (*s != '\0' || k < 1 || n < k)
        return false;
    out->shard_k = (unsigned long)k;
    out->shard_n = (unsigned long)n;
    return true;
}

/* A string of at most size - 1 bytes into out; `hex`: 64 hexadecimal digits. */
static bool get_text(const json_t *v, char *out, size_t size, bool hex)
{
    if (!json_is_string(v) || json_string_length(v) >= size)
        return false;
    const char *s = json_string_value(v);
    if (hex) {
        if (json_string_length(v) != 64)
            return false;
        for (size_t i = 0; i < 64; i++)
            if (ts_hex_digit((unsigned char)s[i]) < 0)
                return false;
    }
    memcpy(out, s, json_string_length(v) + 1);
    return true;
}

TS_API ts_status ts_run_info_read(ts_run_info *out, const char *json, size_t len)
{
    if (out == NULL || json == NULL)
        return TS_EINVAL;
    *out = (ts_run_info){0};
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
    ts_status st = TS_ECORRUPT;
    if (!json_is_object(root))
        goto out;
    const json_t *r = json_object_get(root, "run");
    if (r == NULL) {
        st = TS_ENOTFOUND;
        goto out;
    }
    if (json_is_object(r) && get_shard(json_object_get(r, "shard"), out) &&
        get_count(json_object_get(r, "files"), &out->files) &&
        get_count(json_object_get(r, "documents"), &out->documents) &&
        get_text(json_object_get(r, "digest"), out->digest, sizeof out->digest, true) &&
        get_text(json_object_get(r, "started"), out->started, sizeof out->started, false))
        st = TS_OK;
out:
    if (st != TS_OK)
        *out = (ts_run_info){0};
    json_decref(root);
    return st;
}

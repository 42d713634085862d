/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The json reporter: one DESIGN §7 report, streamed document by document, laid out as in §7. */
#include "report/report.h"

#include <string.h>

#include "report/docjson.h"

struct json_state {
    size_t documents; /* document objects written so far */
};

/* One value on one line ({"a": 1, "b": [2]}); strings stay UTF-8 as they are. */
static ts_status put_inline(ts_out *o, const json_t *v)
{
    return ts_out_json(o, v, 0);
}

static ts_status put_pad(ts_out *o, size_t n)
{
    static const char spaces[] = "                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        ts_status st = ts_out_write(o, spaces, k);
        if (st != TS_OK)
            return st;
        n -= k;
    }
    return TS_OK;
}

static ts_status put_object(ts_out *o, json_t *obj, size_t indent, int expand_findings);

/* An array of objects, one object per block: "[\n  {…},\n  {…}\n]". */
static ts_status put_object_array(ts_out *o, json_t *arr, size_t indent)
{
    ts_status st = ts_out_puts(o, "[\n");
    for (size_t i = 0; st == TS_OK && i < json_array_size(arr); i++) {
        if (i > 0)
            st = ts_out_puts(o, ",\n");
        if (st == TS_OK)
            st = put_pad(o, indent + 2);
        if (st == TS_OK)
            st = put_object(o, json_array_get(arr, i), indent + 2, 0);
    }
    if (st == TS_OK)
        st = ts_out_puts(o, "\n");
    if (st == TS_OK)
        st = put_pad(o, indent);
    if (st == TS_OK)
        st = ts_out_puts(o, "]");
    return st;
}

/*
 * An object with one key per line at `indent` + 2. Values stay on one line, except the document's
 * "findings", whose objects get a block each (the layout of the DESIGN §7 example).
 */
static ts_status put_object(ts_out *o, json_t *obj, size_t indent, int expand_findings)
{
    if (!json_is_object(obj))
        return put_inline(o, obj);
    ts_status st = ts_out_puts(o, "{\n");
    int first = 1;
    for (void *it = json_object_iter(obj); st == TS_OK && it != NULL;
         it = json_object_iter_next(obj, it)) {
        const char *key = json_object_iter_key(it);
        json_t *v = json_object_iter_value(it);
        if (!first)
            st = ts_out_puts(o, ",\n");
        first = 0;
        if (st == TS_OK)
            st = put_pad(o, indent + 2);
        /* keys are the contract's own ASCII names: no escaping needed */
        if (st == TS_OK)
            st = ts_out_printf(o, "\"%s\": ", key);
        if (st != TS_OK)
            break;
        if (expand_findings && strcmp(key, "findings") == 0 && json_array_size(v) > 0)
            st = put_object_array(o, v, indent + 2);
        else
            st = put_inline(o, v);
    }
    if (st == TS_OK)
        st = ts_out_puts(o, "\n");
    if (st == TS_OK)
        st = put_pad(o, indent);
    if (st == TS_OK)
        st = ts_out_puts(o, "}");
    return st;
}

static ts_status json_begin(void *state, ts_out *o, const ts_run *run)
{
    (void)state;
    json_t *tool = json_object(), *runj = NULL;
    ts_status st = TS_ENOMEM;
    if (tool == NULL)
        goto out;
    size_t rules = run && run->opts ? run->opts->rules : 0;
    if (json_object_set_new(tool, "name", json_string("tenderscan")) != 0 ||
        json_object_set_new(tool, "version", json_string(TS_VERSION)) != 0 ||
        json_object_set_new(tool, "rules", json_integer((json_int_t)rules)) != 0)
        goto out;
    const ts_run_info *ri = run && run->opts ? run->opts->run : NULL;
    if (ri != NULL && (runj = ts_run_to_json(ri)) == NULL)
        goto out;
    st = ts_out_puts(o, "{\n  \"schema\": \"" TS_REPORT_SCHEMA "\",\n  \"tool\": ");
    if (st == TS_OK)
        st = put_inline(o, tool);
    if (st == TS_OK && runj != NULL)
        st = ts_out_puts(o, ",\n  \"run\": ");
    if (st == TS_OK && runj != NULL)
        st = put_inline(o, runj);
    if (st == TS_OK)
        st = ts_out_puts(o, ",\n  \"documents\": [");
out:
    json_decref(runj);
    json_decref(tool);
    return st;
}

static ts_status json_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    struct json_state *s = state;
    json_t *d = ts_doc_to_json(doc, run ? run->opts : NULL);
    ts_status st = TS_ENOMEM;
    if (d == NULL)
        goto out;
    st = ts_out_puts(o, s->documents > 0 ? ",\n    " : "\n    ");
    if (st == TS_OK)
        st = put_object(o, d, 4, 1);
    if (st == TS_OK)
        s->documents++;
out:
    json_decref(d);
    return st;
}

static ts_status json_end(void *state, ts_out *o, const ts_run *run, const ts_summary *sum)
{
    struct json_state *s = state;
    (void)run;
    json_t *j = ts_summary_to_json(sum);
    ts_status st = TS_ENOMEM;
    if (j == NULL)
        goto out;
    /* an empty run still closes the array: the report is valid JSON with zero documents */
    st = ts_out_puts(o, s->documents > 0 ? "\n  ],\n  \"summary\": " : "],\n  \"summary\": ");
    if (st == TS_OK)
        st = put_inline(o, j);
    if (st == TS_OK)
        st = ts_out_puts(o, "\n}\n");
out:
    json_decref(j);
    return st;
}

const struct ts_reporter ts_reporter_json = {
    .name = "json",
    .media_type = "application/json",
    .state_size = sizeof(struct json_state),
    .begin = json_begin,
    .document = json_document,
    .end = json_end,
};

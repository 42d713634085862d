/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The jsonl reporter: one compact DESIGN §7 document object per line, for batches and merge. */
#include "report/report.h"

#include "report/docjson.h"

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

static ts_status jsonl_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    (void)state;
    struct sink s = {.o = o, .st = TS_OK};
    json_t *d = ts_doc_to_json(doc, run ? run->opts : NULL);
    ts_status st = TS_ENOMEM;
    if (d == NULL)
        goto out;
    /* JSON_COMPACT escapes every newline inside strings, so one object is one line */
    if (json_dump_callback(d, to_out, &s, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0) {
        st = s.st != TS_OK ? s.st : TS_ENOMEM;
        goto out;
    }
    st = ts_out_write(o, "\n", 1);
out:
    json_decref(d);
    return st;
}

const struct ts_reporter ts_reporter_jsonl = {
    .name = "jsonl",
    .media_type = "application/jsonl",
    .document = jsonl_document,
};

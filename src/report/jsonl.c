/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The jsonl reporter: one compact DESIGN §7 document object per line, for batches and merge. */
#include "report/report.h"

#include "report/docjson.h"

static ts_status jsonl_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    (void)state;
    json_t *d = ts_doc_to_json(doc, run ? run->opts : NULL);
    /* JSON_COMPACT escapes every newline inside strings, so one object is one line */
    ts_status st = ts_out_json(o, d, JSON_COMPACT);
    if (st == TS_OK)
        st = ts_out_write(o, "\n", 1);
    json_decref(d);
    return st;
}

const struct ts_reporter ts_reporter_jsonl = {
    .name = "jsonl",
    .media_type = "application/jsonl",
    .document = jsonl_document,
};

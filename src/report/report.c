/* SPDX-License-Identifier: GPL-3.0-or-later */
/* THE reporter table and the report run: flattening children, counting the summary. */
#include "report/report.h"

#include <string.h>

#include <stdbool.h>

#include "core/alloc.h"

static const struct ts_reporter *const reporters[] = {
    &ts_reporter_text,
    &ts_reporter_json,
    &ts_reporter_jsonl,
    &ts_reporter_sarif,
    &ts_reporter_html,
    &ts_reporter_csv,
    NULL,
};

TS_API const char *ts_report_format_at(size_t i)
{
    for (size_t k = 0; reporters[k] != NULL; k++)
        if (k == i)
            return reporters[k]->name;
    return NULL;
}

const struct ts_reporter *ts_reporter_find(const char *name)
{
    for (size_t i = 0; name && reporters[i] != NULL; i++)
        if (strcmp(reporters[i]->name, name) == 0)
            return reporters[i];
    return NULL;
}

struct ts_report {
    const struct ts_reporter *rep;
    ts_out *out;
    ts_report_opts opts;
    ts_run run;
    ts_summary sum;
    bool ended;
    void *state;
};

TS_API ts_status ts_report_new(ts_report **out, const char *format, ts_out *o,
                               const ts_report_opts *opts)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (o == NULL)
        return TS_EINVAL;
    const struct ts_reporter *rep = ts_reporter_find(format);
    if (rep == NULL)
        return TS_ENOTFOUND;
    ts_report *r = ts_calloc(1, sizeof(*r));
    if (r == NULL)
        return TS_ENOMEM;
    r->rep = rep;
    r->out = o;
    if (opts)
        r->opts = *opts;
    r->run.opts = &r->opts;
    r->state = ts_calloc(1, rep->state_size ? rep->state_size : 1);
    if (r->state == NULL) {
        ts_free(r);
        return TS_ENOMEM;
    }
    ts_status st = rep->begin ? rep->begin(r->state, o, &r->run) : TS_OK;
    if (st != TS_OK) {
        ts_report_free(r);
        return st;
    }
    *out = r;
    return TS_OK;
}

static ts_status one(ts_report *r, const ts_doc *doc)
{
    ts_summary *s = &r->sum;
    s->documents++;
    switch (ts_doc_grade(doc)) {
    case TS_GRADE_OK:
        s->ok++;
        break;
    case TS_GRADE_REVIEW:
        s->review++;
        break;
    case TS_GRADE_BLOCK:
        s->block++;
        break;
    case TS_GRADE_ERROR:
        s->error++;
        break;
    }
    s->findings += ts_doc_finding_count(doc);
    s->ignored += ts_doc_ignored_count(doc);
    ts_status st = r->rep->document(r->state, r->out, &r->run, doc);
    for (size_t i = 0; st == TS_OK && i < ts_doc_child_count(doc); i++)
        st = one(r, ts_doc_child_at(doc, i));
    return st;
}

TS_API ts_status ts_report_document(ts_report *rep, const ts_doc *doc)
{
    if (rep == NULL || doc == NULL || rep->ended)
        return TS_EINVAL;
    return one(rep, doc);
}

TS_API ts_status ts_report_end(ts_report *rep)
{
    if (rep == NULL || rep->ended)
        return TS_EINVAL;
    rep->ended = true;
    return rep->rep->end ? rep->rep->end(rep->state, rep->out, &rep->run, &rep->sum) : TS_OK;
}

TS_API const ts_summary *ts_report_summary(const ts_report *rep)
{
    return &rep->sum;
}

TS_API void ts_report_free(ts_report *rep)
{
    if (rep == NULL)
        return;
    if (rep->rep->dispose != NULL && rep->state != NULL)
        rep->rep->dispose(rep->state);
    ts_free(rep->state);
    ts_free(rep);
}

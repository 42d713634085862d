/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reporter interface: one struct per output format, one table in report.c. */
#ifndef TS_REPORT_REPORT_H
#define TS_REPORT_REPORT_H

#include "tenderscan.h"

#include <stdarg.h>
#include <stddef.h>

/* What every reporter call sees about the run. */
typedef struct ts_run {
    const ts_report_opts *opts;
} ts_run;

struct ts_reporter {
    const char *name;       /* value of --format */
    const char *media_type; /* "application/json" */
    size_t state_size;      /* bytes of per-run state, zeroed by report.c */
    ts_status (*begin)(void *state, ts_out *o, const ts_run *run); /* optional */
    /* Called once per document entry: top-level documents and then each child, depth first. */
    ts_status (*document)(void *state, ts_out *o, const ts_run *run, const ts_doc *doc);
    ts_status (*end)(void *state, ts_out *o, const ts_run *run, const ts_summary *sum); /* optional */
    /* Release what begin/document allocated in the state, whether or not end ran (optional). */
    void (*dispose)(void *state);
};

const struct ts_reporter *ts_reporter_find(const char *name);

/* Sink helpers (src/core/out.c). All return TS_OK, TS_EIO or TS_ENOMEM. */
ts_status ts_out_write(ts_out *o, const void *data, size_t len);
ts_status ts_out_puts(ts_out *o, const char *s);
ts_status ts_out_printf(ts_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ts_status ts_out_vprintf(ts_out *o, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

extern const struct ts_reporter ts_reporter_text;
extern const struct ts_reporter ts_reporter_json;
extern const struct ts_reporter ts_reporter_jsonl;
extern const struct ts_reporter ts_reporter_html;
extern const struct ts_reporter ts_reporter_sarif;
extern const struct ts_reporter ts_reporter_csv;

#endif /* TS_REPORT_REPORT_H */

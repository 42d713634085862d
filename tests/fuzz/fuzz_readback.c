/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes as a worker's or a state file's line (ts_doc_load) and as a jsonl
 * report line (ts_doc_read_report, ts_run_info_read), and whatever comes back through the JSON
 * report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tenderscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void report(const ts_doc *doc)
{
    ts_out *o = NULL;
    ts_report *rep = NULL;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    if (ts_out_new_memory(&o) == TS_OK && ts_report_new(&rep, "json", o, &opts) == TS_OK) {
        ts_report_document(rep, doc);
        ts_report_end(rep);
    }
    ts_report_free(rep);
    ts_out_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ts_ctx *ctx; /* built once, as in fuzz_scan.c */
    if (ctx == NULL && (ts_ctx_new(&ctx) != TS_OK ||
                        ts_ctx_load_default_rules(ctx, NULL, NULL) != TS_OK))
        abort();
    ts_doc *doc = NULL;
    if (ts_doc_load(&doc, ctx, (const char *)data, size) == TS_OK) {
        report(doc);
        ts_doc_free(doc);
    }
    char why[128];
    doc = NULL;
    if (ts_doc_read_report(&doc, ctx, (const char *)data, size, why, sizeof why) == TS_OK) {
        report(doc);
        ts_doc_free(doc);
    }
    ts_run_info run;
    (void)ts_run_info_read(&run, (const char *)data, size);
    return 0;
}

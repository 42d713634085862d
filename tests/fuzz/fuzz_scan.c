/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes through type detection, every extractor, rules, risk and reports. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tenderscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ts_ctx *ctx; /* built once: loading the packs on every input would drown the signal */
    if (ctx == NULL) {
        if (ts_ctx_new(&ctx) != TS_OK || ts_ctx_load_default_rules(ctx, NULL, NULL) != TS_OK)
            abort();
        ts_limits l = {.max_file_bytes = 1u << 24, .max_unpacked_bytes = 1u << 26};
        ts_ctx_set_limits(ctx, &l);
    }
    ts_doc *doc = NULL;
    if (ts_scan_buffer(&doc, ctx, "fuzz", data, size) != TS_OK)
        return 0;
    /* every report format must cope with whatever came out */
    for (size_t i = 0; ts_report_format_at(i) != NULL; i++) {
        ts_out *o = NULL;
        ts_report *rep = NULL;
        ts_report_opts opts = {.lang = (ts_lang)(size & 1)};
        if (ts_out_new_memory(&o) == TS_OK &&
            ts_report_new(&rep, ts_report_format_at(i), o, &opts) == TS_OK) {
            ts_report_document(rep, doc);
            ts_report_end(rep);
        }
        ts_report_free(rep);
        ts_out_free(o);
    }
    ts_doc_free(doc);
    return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON family: the DESIGN §7 document object and jansson helpers (json, jsonl, sarif). */
#ifndef TS_REPORT_DOCJSON_H
#define TS_REPORT_DOCJSON_H

#include "tenderscan.h"

#include <jansson.h>

/* A new reference to the document object (without its children), or NULL on out-of-memory. */
json_t *ts_doc_to_json(const ts_doc *doc, const ts_report_opts *opts);
/*
 * The inverse of ts_doc_to_json: ts_doc_read_report (readback.c) for a parsed object, e.g. one of
 * a JSON report's "documents". Same statuses and `why`.
 */
ts_status ts_doc_from_report_json(ts_doc **out, const ts_ctx *ctx, const json_t *obj, char *why,
                                  size_t why_size);
/* The "summary" object. */
json_t *ts_summary_to_json(const ts_summary *sum);
/*
 * The "run" object (DESIGN §7): shard ("K/N" or null), files, documents, version, digest,
 * started. A new reference, or NULL on out-of-memory.
 */
json_t *ts_run_to_json(const ts_run_info *ri);
/*
 * A JSON string for text that should be UTF-8 but may not be (hostile input: file names and zip
 * member names are raw bytes). Invalid bytes become U+FFFD so the report stays valid JSON.
 * NULL is JSON null. A new reference, or NULL on out-of-memory.
 */
json_t *ts_json_str(const char *s);
/*
 * Write `v` to a sink with jansson's encoder (`flags` as for json_dumps; JSON_ENCODE_ANY and
 * JSON_PRESERVE_ORDER are always added). TS_ENOMEM when v is NULL. TS_OK, TS_EIO or TS_ENOMEM.
 */
ts_status ts_out_json(ts_out *o, const json_t *v, size_t flags);

#endif /* TS_REPORT_DOCJSON_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One document as the DESIGN §7 JSON object, shared by the json and jsonl reporters. */
#ifndef TS_REPORT_DOCJSON_H
#define TS_REPORT_DOCJSON_H

#include "tenderscan.h"

#include <jansson.h>

/* A new reference to the document object (without its children), or NULL on out-of-memory. */
json_t *ts_doc_to_json(const ts_doc *doc, const ts_report_opts *opts);
/* The "summary" object. */
json_t *ts_summary_to_json(const ts_summary *sum);

#endif /* TS_REPORT_DOCJSON_H */

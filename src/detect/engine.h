/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pattern engine: runs every rule over a text and adds findings to the document. */
#ifndef TS_DETECT_ENGINE_H
#define TS_DETECT_ENGINE_H

#include "core/core.h"

/* Run the context's rules over valid UTF-8 `text` (no NUL needed) and its fields (table cells
 * with their labels, see ts_doc_text_fields); `place` (may be NULL) places each finding (see
 * ts_doc_text_placed). TS_ENOMEM only. */
ts_status ts_engine_scan(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                         const ts_field *fields, size_t nfields, ts_place_fn place, void *payload);
/* Free what ts_engine_scan keeps in doc->scratch. */
void ts_engine_scratch_free(void *scratch);

#endif /* TS_DETECT_ENGINE_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers every reporter shares: safe text from documents, masking, HTML and CSV escaping. */
#ifndef TS_REPORT_UTIL_H
#define TS_REPORT_UTIL_H

#include "tenderscan.h"

#include <stdbool.h>
#include <stddef.h>

/**
 * hostile input: everything shown from a document is raw bytes. A copy of `s` (NULL reads as "")
 * with white space folded to one space, controls, bidi overrides and invalid UTF-8 replaced by
 * U+FFFD, cut to at most `max` characters (ending in "…" when cut; SIZE_MAX for no cut).
 * Returns a ts_malloc'd string the caller frees with ts_free, or NULL on out-of-memory.
 * `*chars` (may be NULL) gets the number of characters before any "…".
 */
char *ts_report_clean(const char *s, size_t max, size_t *chars);

/** Start of the last `n` characters of the NUL-terminated `s` (UTF-8 aware, never mid-sequence). */
const char *ts_report_tail(const char *s, size_t n);
/** Bytes taken by the first `n` characters of the NUL-terminated `s`. */
size_t ts_report_head(const char *s, size_t n);

/**
 * The value of finding `f` of `doc` as a report shows it: credentials masked unless
 * `show_secrets`, and so is a secret found in the name of `doc` or of one of its children inside
 * other values (an attachment named after a password). A ts_malloc'd string, or NULL on
 * out-of-memory.
 */
char *ts_report_match(const ts_doc *doc, const ts_finding *f, int show_secrets);

/**
 * `text` (NULL reads as "") with every credential value found in `doc` or in the name of one of
 * its children replaced by its mask, unless `show_secrets`: a password next to an address must
 * not leak through the address's context, nor a member's name through its parent's finding or
 * error. A ts_malloc'd string, or NULL on out-of-memory.
 */
char *ts_report_mask_secrets(const ts_doc *doc, const char *text, int show_secrets);

/**
 * The document's path as reports show it (ts_doc_path_shown: escaped, secrets in names masked
 * unless `show_secrets`). A ts_malloc'd string, or NULL on out-of-memory.
 */
char *ts_report_path(const ts_doc *doc, int show_secrets);
/** Like ts_report_path with the bytes not escaped, for formats that encode them (SARIF URIs). */
char *ts_report_path_bytes(const ts_doc *doc, int show_secrets);

/**
 * The document's error text in `lang` with its secrets masked unless `show_secrets` (an error
 * may name a member whose name holds a password): *out is a ts_malloc'd string, or NULL when the
 * document has no error. TS_OK or TS_ENOMEM.
 */
ts_status ts_report_error(const ts_doc *doc, ts_lang lang, int show_secrets, char **out);

/**
 * The document's own name as reports show it, without folders ("plan.pdf" for "a/b/plan.pdf" and
 * for "pakke.zip!vedlegg/plan.pdf"). A ts_malloc'd string, or NULL on out-of-memory.
 */
char *ts_report_name(const ts_doc *doc, int show_secrets);

/**
 * Write document text `s` as HTML character data or a quoted attribute value: cleaned as by
 * ts_report_clean (at most `max` characters), then `& < > " '` as character references. Safe in
 * element content and in double- or single-quoted attributes; never in a script or style element.
 * Returns TS_OK, TS_EIO or TS_ENOMEM.
 */
ts_status ts_out_html_text(ts_out *o, const char *s, size_t max);

/**
 * Write one CSV field (RFC 4180): quoted when it holds `sep`, a quote, CR or LF, or begins or ends
 * with a space; quotes doubled. The text is cleaned as by ts_report_clean first (so one field is
 * one line of valid UTF-8). hostile input: a field that a spreadsheet would run as a formula
 * (first character = + - @ or tab) gets a leading apostrophe (OWASP "CSV injection").
 * Returns TS_OK, TS_EIO or TS_ENOMEM.
 */
ts_status ts_out_csv_field(ts_out *o, const char *s, char sep);

/**
 * A sink with a sticky status, for reporters that write many small pieces: after the first
 * failure every call is a no-op and `st` keeps that failure.
 */
typedef struct ts_wr {
    ts_out *o;
    ts_status st;
} ts_wr;

void ts_wr_write(ts_wr *w, const char *s, size_t n);
void ts_wr_puts(ts_wr *w, const char *s);
void ts_wr_printf(ts_wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** ts_out_html_text through the sticky sink. */
void ts_wr_html(ts_wr *w, const char *s, size_t max);
/** ts_out_csv_field through the sticky sink. */
void ts_wr_csv(ts_wr *w, const char *s, char sep);
/** Record out-of-memory unless an earlier failure is already recorded. */
void ts_wr_nomem(ts_wr *w);

#endif /* TS_REPORT_UTIL_H */

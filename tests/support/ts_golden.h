/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for reporter tests: render to memory, compare with golden files, fixed documents. */
#ifndef TS_GOLDEN_H
#define TS_GOLDEN_H

#include "support/ts_test.h"

#include <stdio.h>

#include <jansson.h>

/*
 * Render `n` documents in `format` to a memory sink (fails the test on any error). Returns a
 * malloc'd NUL-terminated copy of the output; *len (may be NULL) gets its length.
 */
char *tst_render(const char *format, const ts_report_opts *opts, ts_doc *const *docs, size_t n,
                 size_t *len);

/*
 * Compare `got` with tests/golden/<name> byte for byte and fail with the first differing line.
 * With TS_UPDATE_GOLDEN=1 in the environment the file is rewritten instead.
 */
void tst_check_golden(const char *name, const char *got, size_t len);

/* Parse a JSON text (a new reference); fails the test with jansson's message when it is not. */
json_t *tst_parse_json(const char *text);

/* A file sink whose every write fails (a FILE opened read-only, unbuffered), for I/O-error tests.
 */
typedef struct tst_sink {
    ts_out *o;
    FILE *fp;
    char *dir;
    char *path;
} tst_sink;

void tst_failing_sink(tst_sink *s);
void tst_failing_sink_free(tst_sink *s);

/*
 * Documents with fixed findings, independent of the rule packs in patterns/: a context loaded
 * with a small rule text of its own, and documents whose findings sit in every kind of place
 * (page, comment, tracked deletion, hidden sheet, metadata), a clean one, an unreadable one and a
 * container with a child whose name holds a password (TST_NAME_SECRET). Findings carry the credential "Sommer2024!" (TST_SECRET), which
 * reports must show masked (TST_MASKED) unless show_secrets.
 */
#define TST_SECRET "Sommer2024!"
#define TST_MASKED "So*******4!"
/* The password in the name of the container's child, and how paths show it. */
#define TST_NAME_SECRET "Vinter#22"
#define TST_NAME_MASKED "Vi*****22~"
#define TST_FX_DOCS 5

typedef struct tst_report_fx {
    ts_ctx *ctx;
    ts_doc *docs[TST_FX_DOCS];
    size_t ndocs;
} tst_report_fx;

/* Build the fixture; fails the test on error. Free with tst_report_fx_free. */
tst_report_fx *tst_report_fx_new(void);
void tst_report_fx_free(tst_report_fx *fx);

/*
 * A document whose path and text are hostile HTML/CSV/JSON: "<script>alert(1)</script>",
 * "\"><img src=x onerror=alert(1)>", quotes, separators, a newline, a formula ("=cmd|…") and a
 * bidi override. Scanned with the fixture's context; free with ts_doc_free.
 */
ts_doc *tst_report_hostile(const tst_report_fx *fx);
/* The path of tst_report_hostile's document. */
extern const char TST_HOSTILE_PATH[];

#endif /* TS_GOLDEN_H */

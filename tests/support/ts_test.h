/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the cmocka tests: temporary folders, files, contexts and finding lookups. */
#ifndef TS_TEST_H
#define TS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tenderscan.h"

/* A fresh private folder under $TMPDIR; free with tst_rmtree (removes it) + free(). */
char *tst_tmpdir(void);
void tst_rmtree(const char *dir);
/* The malloc'd path dir/name (nothing is written). */
char *tst_path(const char *dir, const char *name);
/* Write `len` bytes to dir/name; returns the malloc'd path. Fails the test on error. */
char *tst_write(const char *dir, const char *name, const void *data, size_t len);
/*
 * The fingerprint key of the test contexts (tst_ctx_default, tst_ctx_rules, the report fixture),
 * so fingerprints and golden files stay the same from run to run. Not secret.
 */
#define TST_FP_KEY "tenderscan test fingerprint key, not secret"
/* Set TST_FP_KEY on ctx (fails the test on error). */
void tst_set_test_key(ts_ctx *ctx);
/* HMAC-SHA256 hex (out: 65 bytes) of `category`, NUL and `value` under `key`, worked out with
 * libcrypto directly (not through tenderscan), to check fingerprints against. */
void tst_hmac_hex(const char *key, const char *category, const char *value, char out[65]);
/* Plain SHA-256 hex of `value` (what report/1 called a fingerprint). */
void tst_sha256_hex(const char *value, char out[65]);
/* A context with the built-in rule packs loaded (fails the test on error). */
ts_ctx *tst_ctx_default(void);
/* A context with only `rules` (rule-file text) loaded, no built-in packs; fails on a rule error. */
ts_ctx *tst_ctx_rules(const char *rules);
/*
 * Rules that judge a table cell by its column header or row label (DESIGN §8 `header`):
 * credential.test-header-pw finds a one-word cell under "Passord", "pw" (or "Adminpassord" …),
 * credential.test-header-phrase a cell of exactly two words there. Neither looks anywhere else.
 */
#define TST_HEADER_RULES                                                                           \
    "[credential.test-header-pw]\ncategory = credential\nseverity = high\n"                        \
    "header = *passord, pw\nheader.required = yes\npattern = ^(?<value>\\S+)$\n"                   \
    "title.en = t\ntitle.nb = t\nadvice.en = a\nadvice.nb = a\n"                                   \
    "[credential.test-header-phrase]\ncategory = credential\nseverity = high\n"                    \
    "header = *passord, pw\nheader.required = yes\npattern = ^(?<value>\\S+ \\S+)$\n"              \
    "title.en = t\ntitle.nb = t\nadvice.en = a\nadvice.nb = a\n"
/* The values of a rule's findings in doc and its children, in order, joined by '|'
 * ("Fjord2024|Vinter25"); "" when none. Malloc'd. */
char *tst_values(const ts_doc *doc, const char *rule_id);
/* The values of a rule's findings (tst_values) must be `want`; fails the test otherwise. */
void tst_expect_values(const ts_doc *doc, const char *rule_id, const char *want);
/* Scan a NUL-terminated text as a document named "test.txt". */
ts_doc *tst_scan_text(const ts_ctx *ctx, const char *text);
/* The first finding of a rule in doc or its children, or NULL. */
const ts_finding *tst_find(const ts_doc *doc, const char *rule_id);
/* Number of findings of a rule in doc and its children. */
size_t tst_count(const ts_doc *doc, const char *rule_id);
/* The first finding of a rule exists and its detail holds `part` (fails the test, showing the
 * detail, when not). */
void tst_expect_detail(const ts_doc *doc, const char *rule_id, const char *part);
/* The first finding of a category, or NULL. */
const ts_finding *tst_find_cat(const ts_doc *doc, ts_category cat);
/* The first finding of a category whose value holds `part`, or NULL: for a place that a
 * specific rule or the sentence around it may report. */
const ts_finding *tst_find_cat_holding(const ts_doc *doc, ts_category cat, const char *part);
/* Read a whole file into a malloc'd NUL-terminated buffer (NULL if it cannot be read). */
char *tst_slurp(const char *path, size_t *len);
/* `s` with its first `from` replaced by `to`, malloc'd; fails the test when there is no `from`. */
char *tst_replace(const char *s, const char *from, const char *to);
/* The usual fixture of an extractor test: a default context and a private folder. */
typedef struct tst_fixture {
    ts_ctx *ctx;
    char *dir;
} tst_fixture;
/* cmocka setup/teardown making and freeing a tst_fixture in *state. */
int tst_setup(void **state);
int tst_teardown(void **state);

/* Is the shared third-party corpus present? Tests call skip() when not. */
int tst_have_corpus(void);

#endif /* TS_TEST_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the json and jsonl reporters: golden output, DESIGN §7 keys and types, masking. */
#include "support/ts_golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "report/report.h"
#include "risk/risk.h"

static const char MIXED[] = "Kjernesvitsj har adresse 10.20.1.1/24\npassord: Sommer2024!\n";
static const char CLEAN[] = "Tilbudet leveres innen fristen.\n";
static const char SECRET[] = "Sommer2024!";
static const char MASKED[] = "So*******4!";

/* Three documents of every kind: one with findings, one clean, one that could not be read. */
struct fx {
    ts_ctx *ctx;
    ts_doc *docs[3];
    size_t ndocs;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->ctx = tst_ctx_default();
    assert_int_equal(
        ts_scan_buffer(&fx->docs[0], fx->ctx, "pakke/nettverk.txt", MIXED, strlen(MIXED)), TS_OK);
    /* a name that is not UTF-8 (shown escaped), and a file that could not be read whose name
     * holds a password (scanned all the same, shown masked) */
    assert_int_equal(
        ts_scan_buffer(&fx->docs[1], fx->ctx, "pakke/brev\xE6.txt", CLEAN, strlen(CLEAN)), TS_OK);
    assert_int_equal(ts_scan_unread(&fx->docs[2], fx->ctx, "pakke/mangler passord=Vinter2024!.pdf",
                                    TS_EIO, "No such file or directory"),
                     TS_OK);
    fx->ndocs = 3;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    for (size_t i = 0; i < fx->ndocs; i++)
        ts_doc_free(fx->docs[i]);
    ts_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

/* The object's keys, in order, are exactly `keys` (NULL-terminated). */
static void assert_keys(const json_t *obj, const char *const *keys)
{
    assert_true(json_is_object(obj));
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)(uintptr_t)obj); it != NULL;
         it = json_object_iter_next((json_t *)(uintptr_t)obj, it), i++) {
        assert_non_null(keys[i]);
        assert_string_equal(json_object_iter_key(it), keys[i]);
    }
    assert_null(keys[i]);
}

static int is_hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return 0;
    return strspn(s, "0123456789abcdef") == 64;
}

/* The first finding object whose `key` is `value` in a document object, or NULL. */
static json_t *finding_of(json_t *doc, const char *key, const char *value)
{
    json_t *arr = json_object_get(doc, "findings");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *f = json_array_get(arr, i);
        if (strcmp(json_string_value(json_object_get(f, key)), value) == 0)
            return f;
    }
    return NULL;
}

static const char *str_of(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void test_json_report_matches_golden(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN, .rules = 57};
    size_t len = 0;
    char *out = tst_render("json", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("mixed.json", out, len);
    free(out);
}

static void test_jsonl_report_matches_golden(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB, .rules = 57};
    size_t len = 0;
    char *out = tst_render("jsonl", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("mixed.jsonl", out, len);
    free(out);
}

static void test_json_report_has_every_design_key_in_order(void **state)
{
    struct fx *fx = *state;
    static const char *const top[] = {"schema", "tool", "documents", "summary", NULL};
    static const char *const tool[] = {"name", "version", "rules", NULL};
    static const char *const doc[] = {"path",     "format",  "bytes",  "sha256",
                                      "grade",    "score",   "error",  "reasons",
                                      "findings", "ignored", "fingerprint_key_id", NULL};
    static const char *const finding[] = {"rule",        "category", "severity", "match",
                                          "fingerprint", "location", "context",  "message",
                                          "advice",      NULL};
    static const char *const loc[] = {"where", "page", "part", "line", NULL};
    static const char *const sum[] = {"documents", "ok",       "review",  "block",
                                      "error",     "findings", "ignored", NULL};
    ts_report_opts opts = {.lang = TS_LANG_EN, .rules = 9};
    char *out = tst_render("json", &opts, fx->docs, fx->ndocs, NULL);
    json_t *j = tst_parse_json(out);
    assert_keys(j, top);
    assert_string_equal(str_of(j, "schema"), "tenderscan-report/2");
    json_t *t = json_object_get(j, "tool");
    assert_keys(t, tool);
    assert_string_equal(str_of(t, "name"), "tenderscan");
    assert_string_equal(str_of(t, "version"), TS_VERSION);
    assert_int_equal(json_integer_value(json_object_get(t, "rules")), 9);

    json_t *docs = json_object_get(j, "documents");
    assert_int_equal(json_array_size(docs), 3);
    size_t nfindings = 0;
    for (size_t i = 0; i < json_array_size(docs); i++) {
        json_t *d = json_array_get(docs, i);
        const ts_doc *src = fx->docs[i];
        assert_keys(d, doc);
        char shown[512];
        ts_doc_path_shown(src, 0, shown, sizeof shown);
        assert_string_equal(str_of(d, "path"), shown);
        assert_string_equal(str_of(d, "format"), ts_doc_format(src));
        assert_true(json_is_integer(json_object_get(d, "bytes")));
        assert_int_equal(json_integer_value(json_object_get(d, "bytes")), ts_doc_bytes(src));
        json_t *sha = json_object_get(d, "sha256");
        if (ts_doc_sha256(src) != NULL)
            assert_true(is_hex64(json_string_value(sha)));
        else
            assert_true(json_is_null(sha));
        assert_string_equal(str_of(d, "grade"), ts_grade_name(ts_doc_grade(src)));
        json_t *score = json_object_get(d, "score");
        assert_true(json_is_integer(score));
        assert_in_range(json_integer_value(score), 0, 100);
        json_t *error = json_object_get(d, "error");
        assert_true(ts_doc_error(src) ? json_is_string(error) : json_is_null(error));
        json_t *reasons = json_object_get(d, "reasons");
        assert_true(json_is_array(reasons));
        assert_int_equal(json_array_size(reasons), ts_doc_reason_count(src));
        for (size_t k = 0; k < json_array_size(reasons); k++)
            assert_true(json_is_string(json_array_get(reasons, k)));
        assert_true(json_is_integer(json_object_get(d, "ignored")));
        json_t *key = json_object_get(d, "fingerprint_key_id");
        if (ts_doc_fingerprint_key_id(src) != NULL)
            assert_string_equal(json_string_value(key), ts_doc_fingerprint_key_id(src));
        else
            assert_true(json_is_null(key));
        json_t *fs = json_object_get(d, "findings");
        assert_true(json_is_array(fs));
        assert_int_equal(json_array_size(fs), ts_doc_finding_count(src));
        for (size_t k = 0; k < json_array_size(fs); k++) {
            json_t *f = json_array_get(fs, k);
            assert_keys(f, finding);
            ts_category cat;
            ts_severity sev;
            assert_int_equal(ts_category_parse(&cat, str_of(f, "category")), TS_OK);
            assert_int_equal(ts_severity_parse(&sev, str_of(f, "severity")), TS_OK);
            assert_true(is_hex64(str_of(f, "fingerprint")));
            (void)str_of(f, "match");
            (void)str_of(f, "context");
            (void)str_of(f, "message");
            (void)str_of(f, "advice");
            json_t *l = json_object_get(f, "location");
            assert_keys(l, loc);
            (void)str_of(l, "where");
            json_t *page = json_object_get(l, "page"), *line = json_object_get(l, "line");
            json_t *part = json_object_get(l, "part");
            assert_true(json_is_null(page) || json_integer_value(page) > 0);
            assert_true(json_is_null(line) || json_integer_value(line) > 0);
            assert_true(json_is_null(part) || json_is_string(part));
            nfindings++;
        }
    }
    json_t *s = json_object_get(j, "summary");
    assert_keys(s, sum);
    assert_int_equal(json_integer_value(json_object_get(s, "documents")), 3);
    assert_int_equal(json_integer_value(json_object_get(s, "findings")), nfindings);
    size_t graded = 0;
    static const char *const grades[] = {"ok", "review", "block", "error"};
    for (size_t g = 0; g < 4; g++)
        graded += (size_t)json_integer_value(json_object_get(s, grades[g]));
    assert_int_equal(graded, 3);
    json_decref(j);
    free(out);
}

static void test_json_credential_match_is_masked_by_default(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("json", &opts, fx->docs, 1, NULL);
    assert_null(strstr(out, SECRET));
    json_t *j = tst_parse_json(out);
    json_t *f =
        finding_of(json_array_get(json_object_get(j, "documents"), 0), "category", "credential");
    assert_non_null(f);
    assert_string_equal(str_of(f, "match"), MASKED);
    assert_non_null(strstr(str_of(f, "context"), MASKED));
    json_decref(j);
    free(out);
}

static void test_json_show_secrets_shows_the_value_itself(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN, .show_secrets = 1};
    char *out = tst_render("json", &opts, fx->docs, 1, NULL);
    json_t *j = tst_parse_json(out);
    json_t *f =
        finding_of(json_array_get(json_object_get(j, "documents"), 0), "category", "credential");
    assert_non_null(f);
    assert_string_equal(str_of(f, "match"), SECRET);
    assert_non_null(strstr(str_of(f, "context"), SECRET));
    assert_null(strstr(str_of(f, "context"), MASKED));
    json_decref(j);
    free(out);
}

static void test_json_fingerprint_of_masked_credential_is_keyed_not_sha256(void **state)
{
    struct fx *fx = *state;
    char hex[65], plain[65];
    tst_hmac_hex(TST_FP_KEY, "credential", SECRET, hex);
    tst_sha256_hex(SECRET, plain);
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("json", &opts, fx->docs, 1, NULL);
    json_t *j = tst_parse_json(out);
    json_t *f =
        finding_of(json_array_get(json_object_get(j, "documents"), 0), "category", "credential");
    assert_non_null(f);
    assert_string_equal(str_of(f, "match"), MASKED);
    assert_string_equal(str_of(f, "fingerprint"), hex);
    /* whoever holds the report but not the key cannot test guesses with a plain SHA-256 */
    assert_string_not_equal(str_of(f, "fingerprint"), plain);
    assert_null(strstr(out, plain));
    json_t *d0 = json_array_get(json_object_get(j, "documents"), 0);
    assert_string_equal(str_of(d0, "fingerprint_key_id"), ts_ctx_fingerprint_key_id(fx->ctx));
    json_decref(j);
    free(out);
}

static void test_json_secret_next_to_another_finding_is_masked_in_its_context(void **state)
{
    struct fx *fx = *state;
    static const char text[] = "Server 10.20.1.1 passord: Sommer2024! (bytt)\n";
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, fx->ctx, "linje.txt", text, strlen(text)), TS_OK);
    for (int show = 0; show < 2; show++) {
        ts_report_opts opts = {.lang = TS_LANG_EN, .show_secrets = show};
        char *out = tst_render("jsonl", &opts, &doc, 1, NULL);
        json_t *d = tst_parse_json(out);
        json_t *f = finding_of(d, "category", "network");
        assert_non_null(f);
        const char *context = str_of(f, "context");
        assert_non_null(strstr(context, show ? SECRET : MASKED));
        if (!show)
            assert_null(strstr(out, SECRET));
        json_decref(d);
        free(out);
    }
    ts_doc_free(doc);
}

static void test_json_texts_follow_the_language(void **state)
{
    struct fx *fx = *state;
    const ts_doc *src = fx->docs[0];
    assert_true(ts_doc_finding_count(src) > 0);
    const ts_rule *rule = ts_finding_rule(ts_doc_finding_at(src, 0));
    for (int nb = 0; nb < 2; nb++) {
        ts_lang lang = nb ? TS_LANG_NB : TS_LANG_EN;
        ts_report_opts opts = {.lang = lang};
        ts_doc *both[2] = {fx->docs[0], fx->docs[2]};
        char *out = tst_render("json", &opts, both, 2, NULL);
        json_t *j = tst_parse_json(out);
        json_t *d = json_array_get(json_object_get(j, "documents"), 0);
        json_t *reasons = json_object_get(d, "reasons");
        assert_true(json_array_size(reasons) > 0);
        assert_string_equal(json_string_value(json_array_get(reasons, 0)),
                            ts_doc_reason_at(src, 0, lang));
        json_t *f = finding_of(d, "rule", ts_rule_id(rule));
        assert_non_null(f);
        assert_string_equal(str_of(f, "message"), ts_rule_title(rule, lang));
        assert_string_equal(str_of(f, "advice"), ts_rule_advice(rule, lang));
        json_t *e = json_array_get(json_object_get(j, "documents"), 1);
        assert_string_equal(str_of(e, "error"), ts_doc_error_text(fx->docs[2], lang));
        json_decref(j);
        free(out);
    }
    assert_string_not_equal(ts_doc_error_text(fx->docs[2], TS_LANG_NB),
                            ts_doc_error_text(fx->docs[2], TS_LANG_EN));
}

static void test_json_error_document_has_error_and_null_sha256(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("json", &opts, &fx->docs[2], 1, NULL);
    json_t *j = tst_parse_json(out);
    json_t *d = json_array_get(json_object_get(j, "documents"), 0);
    assert_string_equal(str_of(d, "grade"), "error");
    assert_true(json_is_null(json_object_get(d, "sha256")));
    assert_non_null(strstr(str_of(d, "error"), "No such file or directory"));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"), "error")),
                     1);
    json_decref(j);
    free(out);
}

static void test_json_location_and_detail_come_from_the_finding(void **state)
{
    struct fx *fx = *state;
    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_create(&doc, fx->ctx, "notat.docx", 0, NULL), TS_OK);
    const ts_rule *rule = ts_ctx_rule_find(fx->ctx, "network.ipv4-private");
    assert_non_null(rule);
    ts_loc loc = {.where = TS_WHERE_COMMENT, .page = 2, .part = "word/comments.xml"};
    assert_int_equal(ts_doc_add_finding(doc, rule, TS_SEV_MEDIUM, &loc, "10.1.2.3", 8, "gw ", 3,
                                        NULL, 0, "3 comments by olanor", 0),
                     TS_OK);
    loc = (ts_loc){.where = TS_WHERE_BODY, .line = 7};
    assert_int_equal(ts_doc_add_finding(doc, rule, TS_SEV_MEDIUM, &loc, "10.1.2.4", 8, NULL, 0,
                                        NULL, 0, NULL, 1),
                     TS_OK);
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("jsonl", &opts, &doc, 1, NULL);
    json_t *d = tst_parse_json(out);
    json_t *fs = json_object_get(d, "findings");
    assert_int_equal(json_array_size(fs), 2);
    json_t *f = json_array_get(fs, 0);
    assert_string_equal(str_of(f, "detail"), "3 comments by olanor");
    assert_string_equal(str_of(f, "context"), "… gw 10.1.2.3");
    json_t *l = json_object_get(f, "location");
    assert_string_equal(str_of(l, "where"), "comment");
    assert_int_equal(json_integer_value(json_object_get(l, "page")), 2);
    assert_string_equal(str_of(l, "part"), "word/comments.xml");
    assert_true(json_is_null(json_object_get(l, "line")));
    f = json_array_get(fs, 1);
    assert_null(json_object_get(f, "detail"));
    assert_string_equal(str_of(f, "context"), "10.1.2.4");
    l = json_object_get(f, "location");
    assert_string_equal(str_of(l, "where"), "body");
    assert_true(json_is_null(json_object_get(l, "page")));
    assert_true(json_is_null(json_object_get(l, "part")));
    assert_int_equal(json_integer_value(json_object_get(l, "line")), 7);
    json_decref(d);
    free(out);
    ts_doc_free(doc);
}

/* DESIGN §7: "A `run` object says when, on what, with which version and rule-pack digest" —
 * between "tool" and "documents" when the caller gives the run (scan does), absent otherwise. */
static void test_json_run_object_says_when_and_with_what(void **state)
{
    struct fx *fx = *state;
    static const char *const top[] = {"schema", "tool", "run", "documents", "summary", NULL};
    static const char *const run[] = {"shard",  "files",   "documents",
                                      "version", "digest", "started", NULL};
    ts_run_info ri = {.files = 12, .documents = 3};
    memset(ri.digest, 'a', 64);
    strcpy(ri.started, "2026-12-07T03:00:00Z");
    ts_report_opts opts = {.lang = TS_LANG_EN, .run = &ri};
    char *out = tst_render("json", &opts, fx->docs, fx->ndocs, NULL);
    json_t *j = tst_parse_json(out);
    assert_keys(j, top);
    json_t *r = json_object_get(j, "run");
    assert_keys(r, run);
    assert_true(json_is_null(json_object_get(r, "shard")));
    assert_int_equal(json_integer_value(json_object_get(r, "files")), 12);
    assert_int_equal(json_integer_value(json_object_get(r, "documents")), 3);
    assert_string_equal(str_of(r, "version"), TS_VERSION);
    assert_string_equal(str_of(r, "digest"), ri.digest);
    assert_string_equal(str_of(r, "started"), "2026-12-07T03:00:00Z");
    json_decref(j);
    free(out);
    ri.shard_k = 2;
    ri.shard_n = 8;
    out = tst_render("json", &opts, NULL, 0, NULL);
    j = tst_parse_json(out);
    assert_string_equal(str_of(json_object_get(j, "run"), "shard"), "2/8");
    json_decref(j);
    free(out);
}

static void test_json_zero_documents_is_valid_json(void **state)
{
    (void)state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("json", &opts, NULL, 0, NULL);
    json_t *j = tst_parse_json(out);
    assert_true(json_is_array(json_object_get(j, "documents")));
    assert_int_equal(json_array_size(json_object_get(j, "documents")), 0);
    json_t *s = json_object_get(j, "summary");
    assert_int_equal(json_integer_value(json_object_get(s, "documents")), 0);
    assert_int_equal(json_integer_value(json_object_get(s, "findings")), 0);
    json_decref(j);
    free(out);
    size_t len = 9;
    out = tst_render("jsonl", &opts, NULL, 0, &len);
    assert_int_equal(len, 0);
    free(out);
}

static void test_jsonl_has_one_parseable_object_per_document_entry(void **state)
{
    struct fx *fx = *state;
    /* a container with one child: the child is a document entry of its own, after its parent */
    ts_doc *outer = NULL;
    assert_int_equal(ts_doc_create(&outer, fx->ctx, "pakke.zip", 0, NULL), TS_OK);
    assert_int_equal(ts_doc_child(outer, "vedlegg/nettverk.txt", MIXED, strlen(MIXED)), TS_OK);
    assert_int_equal(ts_risk_grade(outer), TS_OK);
    ts_doc *docs[4] = {fx->docs[0], fx->docs[1], outer, fx->docs[2]};
    /* paths as shown: the stray byte escaped, the password in the last name masked and tagged */
    char last[128];
    snprintf(last, sizeof last, "pakke/mangler passord=Vi*******4!~%.6s.pdf",
             ts_finding_fingerprint(ts_doc_finding_at(fx->docs[2], 0)));
    const char *const paths[] = {"pakke/nettverk.txt", "pakke/brev\\xE6.txt", "pakke.zip",
                                 "pakke.zip!vedlegg/nettverk.txt", last};
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("jsonl", &opts, docs, 4, NULL);
    size_t lines = 0;
    for (char *p = out, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1, lines++) {
        *nl = '\0';
        assert_true(lines < 5);
        json_t *d = tst_parse_json(p);
        assert_true(json_is_object(d));
        assert_string_equal(str_of(d, "path"), paths[lines]);
        json_decref(d);
    }
    assert_int_equal(lines, 5);
    free(out);
    ts_doc_free(outer);
}

static void test_json_hostile_path_stays_valid_json(void **state)
{
    struct fx *fx = *state;
    static const char name[] = "a\"b\\c\nd\x1b[31m\xff\xfe.txt";
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, fx->ctx, name, MIXED, strlen(MIXED)), TS_OK);
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("json", &opts, &doc, 1, NULL);
    json_t *j = tst_parse_json(out);
    const char *path = str_of(json_array_get(json_object_get(j, "documents"), 0), "path");
    /* every unsafe byte escaped (no U+FFFD: two such names would look the same) */
    assert_string_equal(path, "a\"b\\c\\x0Ad\\x1B[31m\\xFF\\xFE.txt");
    json_decref(j);
    free(out);
    size_t len = 0;
    out = tst_render("jsonl", &opts, &doc, 1, &len);
    assert_true(len > 0);
    assert_ptr_equal(strchr(out, '\n'), out + len - 1);
    json_decref(tst_parse_json(out));
    free(out);
    ts_doc_free(doc);
}

static void test_json_write_error_is_returned(void **state)
{
    struct fx *fx = *state;
    tst_sink sink;
    tst_failing_sink(&sink);
    ts_report *rep = NULL;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    assert_int_equal(ts_report_new(&rep, "json", sink.o, &opts), TS_EIO);
    assert_null(rep);
    assert_int_equal(ts_report_new(&rep, "jsonl", sink.o, &opts), TS_OK);
    assert_int_equal(ts_report_document(rep, fx->docs[0]), TS_EIO);
    ts_report_free(rep);
    tst_failing_sink_free(&sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json_report_matches_golden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_report_matches_golden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_run_object_says_when_and_with_what, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_report_has_every_design_key_in_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_credential_match_is_masked_by_default, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_show_secrets_shows_the_value_itself, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_json_fingerprint_of_masked_credential_is_keyed_not_sha256, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_json_secret_next_to_another_finding_is_masked_in_its_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_texts_follow_the_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_error_document_has_error_and_null_sha256, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_location_and_detail_come_from_the_finding, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_zero_documents_is_valid_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_has_one_parseable_object_per_document_entry,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_hostile_path_stays_valid_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_write_error_is_returned, setup, teardown),
    };
    return cmocka_run_group_tests_name("report_json", tests, NULL, NULL);
}

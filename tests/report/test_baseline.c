/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts_ctx_load_baseline: the findings of an earlier report, in any of its JSON forms, accepted. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char CONFIG[] = "hostname rtr-oslo-01\ninterface Gi0/1\n ip address 10.20.1.1 "
                             "255.255.255.0\npassord: Sommer2024!\n";

typedef struct errs {
    char text[2048];
    size_t n;
} errs;

static void collect(const char *file, unsigned line, const char *msg, void *payload)
{
    errs *e = payload;
    size_t used = strlen(e->text);
    (void)file;
    snprintf(e->text + used, sizeof e->text - used, "%u: %s\n", line, msg);
    e->n++;
}

static ts_doc *scan(const ts_ctx *ctx, const char *name, const char *text)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, name, text, strlen(text)), TS_OK);
    return doc;
}

/* `doc` as a report in `format` (a shard's run line first when `run`), written to dir/name. */
static char *report_file(const char *dir, const char *name, const ts_doc *doc, const char *format,
                         const ts_run_info *run)
{
    ts_out *o = NULL;
    ts_report *r = NULL;
    ts_report_opts ro = {.lang = TS_LANG_NB, .run = run};
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_report_new(&r, format, o, &ro), TS_OK);
    assert_int_equal(ts_report_document(r, doc), TS_OK);
    assert_int_equal(ts_report_end(r), TS_OK);
    size_t len = 0;
    const char *text = ts_out_memory(o, &len);
    char *path = tst_write(dir, name, text, len);
    ts_report_free(r);
    ts_out_free(o);
    return path;
}

static void test_every_finding_of_a_json_jsonl_or_sarif_report_is_accepted(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    char *dir = tst_tmpdir();
    ts_doc *before = scan(ctx, "pakke/ruter.cfg", CONFIG);
    size_t n = ts_doc_finding_count(before);
    assert_true(n >= 2);
    ts_run_info run = {
        .shard_k = 1, .shard_n = 2, .files = 2, .documents = 1, .started = "2025-01-31T09:30:00Z"};
    assert_int_equal(ts_ctx_digest(ctx, run.digest), TS_OK);
    const char *const formats[] = {"json", "jsonl", "sarif", "jsonl"};
    for (size_t k = 0; k < 4; k++) {
        char *path = report_file(dir, "base", before, formats[k], k == 3 ? &run : NULL);
        ts_ctx *again = tst_ctx_default();
        errs e = {.n = 0};
        if (ts_ctx_load_baseline(again, path, collect, &e) != TS_OK)
            fail_msg("%s: %s", formats[k], e.text);
        /* the same file elsewhere, and a new password beside the old ones */
        char text[512];
        snprintf(text, sizeof text, "%spassord: Vinter2025#\n", CONFIG);
        ts_doc *after = scan(again, "annen/mappe/ruter.cfg", text);
        assert_int_equal(ts_doc_ignored_count(after), n);
        assert_int_equal(ts_doc_finding_count(after), 1);
        tst_expect_values(after, "credential.password", "Vinter2025#");
        ts_doc_free(after);
        ts_ctx_free(again);
        free(path);
    }
    ts_doc_free(before);
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

static void test_a_baseline_accepts_a_value_only_for_the_rule_that_found_it(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    char *dir = tst_tmpdir();
    ts_doc *doc = scan(ctx, "a.txt", "passord: Sommer2024!\n");
    const ts_finding *f = tst_find(doc, "credential.password");
    assert_non_null(f);
    char line[1024];
    snprintf(line, sizeof line,
             "{\"path\":\"a.txt\",\"format\":\"text\",\"bytes\":12,\"sha256\":null,"
             "\"error\":null,\"findings\":[{\"rule\":\"network.ipv4-private\",\"category\":"
             "\"network\",\"severity\":\"medium\",\"match\":\"Sommer2024!\",\"fingerprint\":"
             "\"%s\",\"location\":{\"where\":\"body\",\"page\":null,\"part\":null,\"line\":1},"
             "\"context\":\"Sommer2024!\"}]}\n",
             ts_finding_fingerprint(f));
    char *path = tst_write(dir, "other-rule.jsonl", line, strlen(line));
    ts_ctx *again = tst_ctx_default();
    assert_int_equal(ts_ctx_load_baseline(again, path, NULL, NULL), TS_OK);
    ts_doc *after = scan(again, "a.txt", "passord: Sommer2024!\n");
    assert_int_equal(ts_doc_ignored_count(after), 0);
    assert_non_null(tst_find(after, "credential.password"));
    ts_doc_free(after);
    ts_ctx_free(again);
    free(path);
    ts_doc_free(doc);
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

/*
 * A report made with another fingerprint key (or by report/1, plain SHA-256) can never match:
 * loading it works, and one message says how many of its findings cannot be recognised.
 */
static void test_a_baseline_of_another_key_is_said_to_match_nothing(void **state)
{
    (void)state;
    ts_ctx *other = tst_ctx_default();
    assert_int_equal(ts_ctx_set_fingerprint_key(other, "another organisation's key", 26), TS_OK);
    char *dir = tst_tmpdir();
    ts_doc *doc = scan(other, "pakke/ruter.cfg", CONFIG);
    size_t n = ts_doc_finding_count(doc);
    assert_true(n >= 2);
    const char *const formats[] = {"json", "jsonl", "sarif"};
    char want[64];
    snprintf(want, sizeof want, "0: %zu findings of this report were made with another", n);
    for (size_t k = 0; k < 3; k++) {
        char *path = report_file(dir, "other-key", doc, formats[k], NULL);
        ts_ctx *ctx = tst_ctx_default();
        errs e = {.n = 0};
        assert_int_equal(ts_ctx_load_baseline(ctx, path, collect, &e), TS_OK);
        assert_int_equal(e.n, 1);
        if (strstr(e.text, want) == NULL)
            fail_msg("%s: %s", formats[k], e.text);
        ts_doc *after = scan(ctx, "pakke/ruter.cfg", CONFIG);
        assert_int_equal(ts_doc_ignored_count(after), 0); /* nothing is recognised */
        ts_doc_free(after);
        /* with the report's key there is nothing to say, and everything is recognised */
        ts_ctx *same = tst_ctx_default();
        assert_int_equal(ts_ctx_set_fingerprint_key(same, "another organisation's key", 26),
                         TS_OK);
        e = (errs){.n = 0};
        assert_int_equal(ts_ctx_load_baseline(same, path, collect, &e), TS_OK);
        assert_int_equal(e.n, 0);
        after = scan(same, "pakke/ruter.cfg", CONFIG);
        assert_int_equal(ts_doc_ignored_count(after), n);
        ts_doc_free(after);
        ts_ctx_free(same);
        ts_ctx_free(ctx);
        free(path);
    }
    /* a report/1 line: no fingerprint_key_id */
    char *line = NULL;
    {
        char *path = report_file(dir, "v1", doc, "jsonl", NULL);
        line = tst_slurp(path, NULL);
        free(path);
    }
    char *cut = strstr(line, ",\"fingerprint_key_id\":");
    assert_non_null(cut);
    memcpy(cut, "}\n", 3);
    char *path = tst_write(dir, "v1.jsonl", line, strlen(line));
    ts_ctx *same = tst_ctx_default();
    assert_int_equal(ts_ctx_set_fingerprint_key(same, "another organisation's key", 26), TS_OK);
    errs e = {.n = 0};
    assert_int_equal(ts_ctx_load_baseline(same, path, collect, &e), TS_OK);
    assert_int_equal(e.n, 1);
    assert_non_null(strstr(e.text, "tenderscan-report/1"));
    ts_ctx_free(same);
    free(path);
    free(line);
    ts_doc_free(doc);
    ts_ctx_free(other);
    tst_rmtree(dir);
    free(dir);
}

static void test_what_is_not_a_report_is_refused_with_the_reason(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    char *dir = tst_tmpdir();
    static const char fp[] = "00000000000000000000000000000000000000000000000000000000000000ff";
    char unknown[1024], sarif[1024];
    snprintf(unknown, sizeof unknown,
             "\n{\"path\":\"a\",\"format\":\"text\",\"bytes\":1,\"error\":null,\"findings\":[{"
             "\"rule\":\"x.unknown\",\"category\":\"network\",\"severity\":\"low\",\"match\":"
             "\"v\",\"fingerprint\":\"%s\",\"location\":{\"where\":\"body\"},\"context\":\"v\"}]}"
             "\n",
             fp);
    snprintf(sarif, sizeof sarif,
             "{\n \"version\": \"2.1.0\",\n \"runs\": [{\"results\": [\n"
             "  {\"ruleId\": \"tenderscan.unreadable\"},\n"
             "  {\"ruleId\": \"x.unknown\", \"partialFingerprints\": {\"valueSha256/v1\": \"%s\"}}"
             "\n ]}]\n}\n",
             fp);
    const struct {
        const char *name, *text, *why;
        ts_status st;
    } cases[] = {
        {"ignore.txt", fp, "not a report of tenderscan", TS_ERULES},
        {"empty.json", "", "empty", TS_ERULES},
        {"unknown.jsonl", unknown, "2: unknown rule 'x.unknown'", TS_ERULES},
        {"unknown.sarif", sarif, "result 2: unknown rule 'x.unknown'", TS_ERULES},
        {"half.json", "{\n \"documents\": [\n", "not a report of tenderscan", TS_ERULES},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = tst_write(dir, cases[i].name, cases[i].text, strlen(cases[i].text));
        errs e = {.n = 0};
        ts_status st = ts_ctx_load_baseline(ctx, path, collect, &e);
        if (st != cases[i].st || e.n != 1 || strstr(e.text, cases[i].why) == NULL)
            fail_msg("%s: status %d, %zu messages: %s", cases[i].name, st, e.n, e.text);
        free(path);
    }
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/no-such-report.json", dir);
    assert_int_equal(ts_ctx_load_baseline(ctx, missing, NULL, NULL), TS_EIO);
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_finding_of_a_json_jsonl_or_sarif_report_is_accepted),
        cmocka_unit_test(test_a_baseline_accepts_a_value_only_for_the_rule_that_found_it),
        cmocka_unit_test(test_what_is_not_a_report_is_refused_with_the_reason),
        cmocka_unit_test(test_a_baseline_of_another_key_is_said_to_match_nothing),
    };
    return cmocka_run_group_tests_name("report_baseline", tests, NULL, NULL);
}

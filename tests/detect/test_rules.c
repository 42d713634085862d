/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule-file loader: good rules load, every kind of mistake names its file and line. */
#include "support/ts_test.h"

#include "detect/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct errs {
    char text[4096];
    unsigned lines[16];
    size_t n;
} errs;

static void collect(const char *file, unsigned line, const char *msg, void *payload)
{
    errs *e = payload;
    size_t used = strlen(e->text);
    snprintf(e->text + used, sizeof e->text - used, "%s:%u: %s\n", file, line, msg);
    if (e->n < 16)
        e->lines[e->n] = line;
    e->n++;
}

static const char good[] = "# Private IPv4 address\n"
                           "[network.test-ip]\n"
                           "category = network\n"
                           "severity = medium\n"
                           "pattern  = (?<value>\\b10(?:\\.\\d{1,3}){3}\\b)\n"
                           "validate = ipv4\n"
                           "title.en = Private address\n"
                           "title.nb = Privat adresse\n"
                           "advice.en = Remove it.\n"
                           "advice.nb = Fjern den.\n"
                           "example  = server 10.1.2.3\n"
                           "example  = gw 10.0.0.1 i nettet\n"
                           "counter  = versjon 1.2.3\n";

static ts_status load(ts_ctx *ctx, const char *text, errs *e)
{
    return ts_ctx_load_rules_buffer(ctx, "t.rules", text, strlen(text), collect, e);
}

static void test_good_rule_loads_with_all_fields(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_equal(load(ctx, good, &e), TS_OK);
    assert_int_equal(e.n, 0);
    const ts_rule *r = ts_ctx_rule_find(ctx, "network.test-ip");
    assert_non_null(r);
    assert_int_equal(ts_rule_category(r), TS_CAT_NETWORK);
    assert_int_equal(ts_rule_severity(r), TS_SEV_MEDIUM);
    assert_string_equal(ts_rule_title(r, TS_LANG_NB), "Privat adresse");
    assert_string_equal(ts_rule_advice(r, TS_LANG_EN), "Remove it.");
    assert_string_equal(ts_rule_origin(r), "t.rules:2");
    assert_int_equal(ts_rule_sample_count(r, 1), 2);
    assert_int_equal(ts_rule_sample_count(r, 0), 1);
    assert_int_equal(ts_rule_test(ctx, r, NULL, NULL), 0);
    ts_ctx_free(ctx);
}

static void test_broken_pattern_reports_file_and_line(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    const char *bad = "[network.bad]\ncategory = network\nseverity = low\n"
                      "pattern = (unclosed\ntitle.en = x\n";
    assert_int_equal(load(ctx, bad, &e), TS_ERULES);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.lines[0], 4);
    assert_non_null(strstr(e.text, "t.rules:4: pattern does not compile"));
    assert_null(ts_ctx_rule_find(ctx, "network.bad"));
    ts_ctx_free(ctx);
}

static void test_each_mistake_is_reported_on_its_line(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    const char *bad = "category = network\n"          /* 1: before any header */
                      "[Bad Id]\n"                    /* 2: bad id */
                      "category = nosuch\n"           /* 3: bad category */
                      "severity = huge\n"             /* 4: bad severity */
                      "pattern = x\n"
                      "validate = nosuch\n"           /* 6: unknown validator */
                      "colour = red\n"                /* 7: unknown key */
                      "just text\n"                   /* 8: not key = value */
                      "title.en = t\n"
                      "title.en = again\n";           /* 10: twice */
    assert_int_equal(load(ctx, bad, &e), TS_ERULES);
    unsigned want[] = {1, 2, 3, 4, 6, 7, 8, 10};
    assert_int_equal(e.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < e.n; i++)
        assert_int_equal(e.lines[i], want[i]);
    ts_ctx_free(ctx);
}

static void test_missing_required_keys_are_errors(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_equal(load(ctx, "[x.y]\npattern = a\n", &e), TS_ERULES);
    assert_non_null(strstr(e.text, "no category"));
    assert_non_null(strstr(e.text, "no severity"));
    assert_non_null(strstr(e.text, "no title"));
    ts_ctx_free(ctx);
}

static void test_same_id_twice_in_one_file_is_an_error(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    char twice[2048];
    snprintf(twice, sizeof twice, "%s%s", good, good);
    assert_int_equal(load(ctx, twice, &e), TS_ERULES);
    assert_non_null(strstr(e.text, "defined twice"));
    ts_ctx_free(ctx);
}

static void test_later_pack_replaces_rule_with_same_id(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_equal(load(ctx, good, &e), TS_OK);
    size_t before = ts_ctx_rule_count(ctx);
    const char *over = "[network.test-ip]\ncategory = network\nseverity = high\n"
                       "pattern = 10\\.\\d+\\.\\d+\\.\\d+\ntitle.en = Overridden\n";
    assert_int_equal(load(ctx, over, &e), TS_OK);
    assert_int_equal(ts_ctx_rule_count(ctx), before);
    const ts_rule *r = ts_ctx_rule_find(ctx, "network.test-ip");
    assert_int_equal(ts_rule_severity(r), TS_SEV_HIGH);
    assert_string_equal(ts_rule_title(r, TS_LANG_NB), "Overridden"); /* falls back to en */
    ts_ctx_free(ctx);
}

static void test_rule_test_reports_failing_samples(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    const char *r = "[x.word]\ncategory = facility\nseverity = low\npattern = serverrom\n"
                    "title.en = t\nexample = et serverrom\nexample = no match here\n"
                    "counter = serverrommet\ncounter = ingenting\n";
    assert_int_equal(load(ctx, r, &e), TS_OK);
    /* "no match here" does not match and "serverrommet" does: two failures */
    assert_int_equal(ts_rule_test(ctx, ts_ctx_rule_find(ctx, "x.word"), NULL, NULL), 2);
    ts_ctx_free(ctx);
}

static void test_default_packs_load_and_pass_their_samples(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    size_t n = ts_ctx_rule_count(ctx), patterned = 0, failures = 0;
    for (size_t i = 0; i < n; i++) {
        const ts_rule *r = ts_ctx_rule_at(ctx, i);
        if (ts_rule_pattern(r) == NULL)
            continue;
        patterned++;
        assert_true(ts_rule_sample_count(r, 1) >= 1);
        failures += ts_rule_test(ctx, r, NULL, NULL);
    }
    assert_true(patterned >= 25);
    assert_int_equal(failures, 0);
    ts_ctx_free(ctx);
}

static void test_ignore_file_accepts_fingerprints_and_rejects_junk(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    char *dir = tst_tmpdir();
    const char *text = "# accepted\n"
                       "3A6EB0790F39AC87C94F3856B2DD2C5D110E6811602261A9A923D3BB23ADC8B7  note\n"
                       "\n"
                       "not-a-fingerprint\n";
    char *path = tst_write(dir, "ignore.txt", text, strlen(text));
    assert_int_equal(ts_ctx_load_ignore_file(ctx, path, collect, &e), TS_ERULES);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.lines[0], 4);
    assert_int_equal(ts_ctx_add_ignore(ctx, "zz"), TS_EINVAL);
    free(path);
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

/* The fingerprint of the first finding of `rule` when `text` is scanned as `name` (64 hex). */
static void fingerprint_of(const ts_ctx *ctx, const char *name, const char *text,
                           const char *rule, char out[65])
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, name, text, strlen(text)), TS_OK);
    const ts_finding *f = tst_find(doc, rule);
    assert_non_null(f);
    snprintf(out, 65, "%s", ts_finding_fingerprint(f));
    ts_doc_free(doc);
}

/* How many findings of `text`, scanned as `name`, the context accepted. */
static size_t accepted(const ts_ctx *ctx, const char *name, const char *text)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, name, text, strlen(text)), TS_OK);
    size_t n = ts_doc_ignored_count(doc);
    ts_doc_free(doc);
    return n;
}

static void test_ignore_line_takes_a_rule_a_path_glob_and_a_reason(void **state)
{
    (void)state;
    static const char pw[] = "passord: Sommer2024!\n";
    ts_ctx *probe = tst_ctx_default();
    char fp[65];
    fingerprint_of(probe, "x.txt", pw, "credential.password", fp);
    ts_ctx_free(probe);
    char *dir = tst_tmpdir();
    char text[1024];
    /* a glob with a blank in it; the reason after # is for the reader of the file */
    snprintf(text, sizeof text,
             "%s credential.password Anbud 2025/* # godkjent av sikkerhetsleder 3. mars\n"
             "%s network.ipv4-private # the wrong rule: never matches this finding\n",
             fp, fp);
    char *path = tst_write(dir, "ignore.txt", text, strlen(text));
    ts_ctx *ctx = tst_ctx_default();
    errs e = {0};
    assert_int_equal(ts_ctx_load_ignore_file(ctx, path, collect, &e), TS_OK);
    assert_int_equal(e.n, 0);
    assert_int_equal(accepted(ctx, "Anbud 2025/bilag 1.txt", pw), 1);
    assert_int_equal(accepted(ctx, "Anbud 2024/bilag 1.txt", pw), 0);
    /* inside a document the glob matches: a zip member is inside its zip */
    assert_true(ts_ctx_is_ignored(ctx, fp, "credential.password", "Anbud 2025/a.zip!b.txt"));
    assert_false(ts_ctx_is_ignored(ctx, fp, "credential.password", "Anbud 2024/a.zip!b.txt"));
    /* only the rule named accepts, wherever the glob matches */
    assert_false(ts_ctx_is_ignored(ctx, fp, "credential.private-key", "Anbud 2025/a.txt"));
    ts_ctx_free(ctx);

    /* without a glob and a rule the line accepts the value anywhere, found by any rule */
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s\n", fp); /* Notepad's byte-order mark */
    free(path);
    path = tst_write(dir, "plain.txt", text, strlen(text));
    ctx = tst_ctx_default();
    assert_int_equal(ts_ctx_load_ignore_file(ctx, path, collect, &e), TS_OK);
    assert_int_equal(accepted(ctx, "hvor som helst.txt", pw), 1);
    assert_true(ts_ctx_is_ignored(ctx, fp, "credential.private-key", "x"));
    ts_ctx_free(ctx);

    /* a rule the context does not have is a mistake, not a glob that never matches */
    snprintf(text, sizeof text, "%s credential.passord\n", fp);
    free(path);
    path = tst_write(dir, "typo.txt", text, strlen(text));
    ctx = tst_ctx_default();
    e = (errs){0};
    assert_int_equal(ts_ctx_load_ignore_file(ctx, path, collect, &e), TS_ERULES);
    assert_int_equal(e.n, 1);
    assert_non_null(strstr(e.text, "unknown rule 'credential.passord'"));
    ts_ctx_free(ctx);
    free(path);
    tst_rmtree(dir);
    free(dir);
}

static void test_ignore_file_prints_five_errors_then_how_many_more(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    char *dir = tst_tmpdir();
    char text[2048];
    size_t used = 0;
    for (int i = 0; i < 12; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "ikke et fingeravtrykk\n");
    char *path = tst_write(dir, "ignore.txt", text, strlen(text));
    assert_int_equal(ts_ctx_load_ignore_file(ctx, path, collect, &e), TS_ERULES);
    assert_int_equal(e.n, 6);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(e.lines[i], i + 1);
    assert_int_equal(e.lines[5], 0);
    assert_non_null(strstr(e.text, "… and 7 more lines with errors"));
    free(path);
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

static void test_a_report_given_as_ignore_file_is_one_message(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    char *dir = tst_tmpdir();
    ts_doc *doc = tst_scan_text(ctx, "passord: Sommer2024!\nserver 10.1.2.3\n");
    const char *const formats[] = {"json", "jsonl", "sarif"};
    for (size_t k = 0; k < 3; k++) {
        ts_out *o = NULL;
        ts_report *r = NULL;
        assert_int_equal(ts_out_new_memory(&o), TS_OK);
        assert_int_equal(ts_report_new(&r, formats[k], o, NULL), TS_OK);
        assert_int_equal(ts_report_document(r, doc), TS_OK);
        assert_int_equal(ts_report_end(r), TS_OK);
        size_t len = 0;
        const char *text = ts_out_memory(o, &len);
        char *path = tst_write(dir, "report", text, len);
        errs e = {0};
        assert_int_equal(ts_ctx_load_ignore_file(ctx, path, collect, &e), TS_ERULES);
        assert_int_equal(e.n, 1);
        assert_non_null(strstr(e.text, "this is a tenderscan report"));
        assert_non_null(strstr(e.text, "--baseline"));
        ts_report_free(r);
        ts_out_free(o);
        free(path);
    }
    ts_doc_free(doc);
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

static void test_rules_folder_loads_every_rules_file(void **state)
{
    (void)state;
    ts_ctx *ctx = NULL;
    errs e = {0};
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    char *dir = tst_tmpdir();
    const char *b = "[x.two]\ncategory = facility\nseverity = low\npattern = b\ntitle.en = b\n";
    free(tst_write(dir, "a.rules", good, strlen(good)));
    free(tst_write(dir, "b.rules", b, strlen(b)));
    free(tst_write(dir, "notes.txt", "junk", 4));
    assert_int_equal(ts_ctx_load_rules_path(ctx, dir, collect, &e), TS_OK);
    assert_non_null(ts_ctx_rule_find(ctx, "network.test-ip"));
    assert_non_null(ts_ctx_rule_find(ctx, "x.two"));
    tst_rmtree(dir);
    free(dir);
    ts_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_rule_loads_with_all_fields),
        cmocka_unit_test(test_broken_pattern_reports_file_and_line),
        cmocka_unit_test(test_each_mistake_is_reported_on_its_line),
        cmocka_unit_test(test_missing_required_keys_are_errors),
        cmocka_unit_test(test_same_id_twice_in_one_file_is_an_error),
        cmocka_unit_test(test_later_pack_replaces_rule_with_same_id),
        cmocka_unit_test(test_rule_test_reports_failing_samples),
        cmocka_unit_test(test_default_packs_load_and_pass_their_samples),
        cmocka_unit_test(test_ignore_file_accepts_fingerprints_and_rejects_junk),
        cmocka_unit_test(test_ignore_line_takes_a_rule_a_path_glob_and_a_reason),
        cmocka_unit_test(test_ignore_file_prints_five_errors_then_how_many_more),
        cmocka_unit_test(test_a_report_given_as_ignore_file_is_one_message),
        cmocka_unit_test(test_rules_folder_loads_every_rules_file),
    };
    return cmocka_run_group_tests_name("detect_rules", tests, NULL, NULL);
}

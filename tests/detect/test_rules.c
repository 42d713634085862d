/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule-file loader: good rules load, every kind of mistake names its file and line. */
#include "support/ts_test.h"

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
        cmocka_unit_test(test_rules_folder_loads_every_rules_file),
    };
    return cmocka_run_group_tests_name("detect_rules", tests, NULL, NULL);
}

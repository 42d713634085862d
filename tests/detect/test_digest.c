/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts_ctx_digest: same for contexts that find the same things, different when anything differs. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char extra[] = "[x.kantine]\ncategory = network\nseverity = high\n"
                            "pattern = kantina\ntitle.en = Canteen\n";
static const char fp1[] = "0000000000000000000000000000000000000000000000000000000000000001";
static const char fp2[] = "00000000000000000000000000000000000000000000000000000000000000ff";

static void digest(const ts_ctx *ctx, char out[65])
{
    assert_int_equal(ts_ctx_digest(ctx, out), TS_OK);
    assert_int_equal(strlen(out), 64);
    assert_int_equal(strspn(out, "0123456789abcdef"), 64);
}

static void test_two_default_contexts_have_one_digest(void **state)
{
    (void)state;
    ts_ctx *a = tst_ctx_default(), *b = tst_ctx_default();
    char da[65], db[65];
    digest(a, da);
    digest(b, db);
    assert_string_equal(da, db);
    ts_ctx_free(a);
    ts_ctx_free(b);
}

static void test_a_rule_an_ignore_a_limit_or_ocr_changes_the_digest(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    char d0[65], d1[65], d2[65], d3[65];
    digest(ctx, d0);
    assert_int_equal(ts_ctx_load_rules_buffer(ctx, "x", extra, strlen(extra), NULL, NULL), TS_OK);
    digest(ctx, d1);
    assert_string_not_equal(d0, d1);
    assert_int_equal(ts_ctx_add_ignore(ctx, fp1), TS_OK);
    digest(ctx, d2);
    assert_string_not_equal(d1, d2);
    ts_limits l = {.max_depth = 3};
    ts_ctx_set_limits(ctx, &l);
    digest(ctx, d3);
    assert_string_not_equal(d2, d3);
    char d4[65];
    ts_ctx_set_ocr(ctx, 1); /* pictures are read: other findings */
    digest(ctx, d4);
    assert_string_not_equal(d3, d4);
    ts_ctx_free(ctx);
}

static void test_a_changed_pattern_changes_the_digest_but_a_title_does_not(void **state)
{
    (void)state;
    ts_ctx *a = tst_ctx_default(), *b = tst_ctx_default(), *c = tst_ctx_default();
    const char *other_pattern = "[x.kantine]\ncategory = network\nseverity = high\n"
                                "pattern = kantine\ntitle.en = Canteen\n";
    const char *other_title = "[x.kantine]\ncategory = network\nseverity = high\n"
                              "pattern = kantina\ntitle.en = Lunch room\n";
    assert_int_equal(ts_ctx_load_rules_buffer(a, "x", extra, strlen(extra), NULL, NULL), TS_OK);
    assert_int_equal(
        ts_ctx_load_rules_buffer(b, "x", other_pattern, strlen(other_pattern), NULL, NULL), TS_OK);
    assert_int_equal(ts_ctx_load_rules_buffer(c, "x", other_title, strlen(other_title), NULL, NULL),
                     TS_OK);
    char da[65], db[65], dc[65];
    digest(a, da);
    digest(b, db);
    digest(c, dc);
    assert_string_not_equal(da, db);
    assert_string_equal(da, dc);
    ts_ctx_free(a);
    ts_ctx_free(b);
    ts_ctx_free(c);
}

static void test_ignores_in_any_order_give_one_digest(void **state)
{
    (void)state;
    ts_ctx *a = tst_ctx_default(), *b = tst_ctx_default();
    assert_int_equal(ts_ctx_add_ignore(a, fp1), TS_OK);
    assert_int_equal(ts_ctx_add_ignore(a, fp2), TS_OK);
    assert_int_equal(ts_ctx_add_ignore(b, fp2), TS_OK);
    assert_int_equal(ts_ctx_add_ignore(b, fp1), TS_OK);
    char da[65], db[65];
    digest(a, da);
    digest(b, db);
    assert_string_equal(da, db);
    ts_ctx_free(a);
    ts_ctx_free(b);
}

/* An ignore line's rule or path glob decides what is accepted, so it is in the digest too. */
static void test_an_ignore_lines_rule_and_glob_change_the_digest(void **state)
{
    (void)state;
    const char *tails[] = {"", " credential.password", " pakke/*", " credential.password pakke/*",
                           " credential.password pakke/* # a reason is not in it"};
    char d[5][65];
    char *dir = tst_tmpdir();
    for (size_t i = 0; i < 5; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s%s\n", fp1, tails[i]);
        char *path = tst_write(dir, "ignore.txt", text, strlen(text));
        ts_ctx *ctx = tst_ctx_default();
        assert_int_equal(ts_ctx_load_ignore_file(ctx, path, NULL, NULL), TS_OK);
        digest(ctx, d[i]);
        ts_ctx_free(ctx);
        free(path);
    }
    for (size_t i = 0; i < 4; i++)
        for (size_t j = i + 1; j < 4; j++)
            assert_string_not_equal(d[i], d[j]);
    assert_string_equal(d[3], d[4]);
    tst_rmtree(dir);
    free(dir);
}

static void test_digest_rejects_null(void **state)
{
    (void)state;
    char d[65];
    assert_int_equal(ts_ctx_digest(NULL, d), TS_EINVAL);
    ts_ctx *ctx = tst_ctx_default();
    assert_int_equal(ts_ctx_digest(ctx, NULL), TS_EINVAL);
    ts_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_default_contexts_have_one_digest),
        cmocka_unit_test(test_a_rule_an_ignore_a_limit_or_ocr_changes_the_digest),
        cmocka_unit_test(test_a_changed_pattern_changes_the_digest_but_a_title_does_not),
        cmocka_unit_test(test_ignores_in_any_order_give_one_digest),
        cmocka_unit_test(test_an_ignore_lines_rule_and_glob_change_the_digest),
        cmocka_unit_test(test_digest_rejects_null),
    };
    return cmocka_run_group_tests_name("detect_digest", tests, NULL, NULL);
}

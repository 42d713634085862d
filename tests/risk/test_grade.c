/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The risk model: grades, scores and reasons per DESIGN §5. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

#include "support/fx_zip.h"

static const char rules[] =
    "[n.ip]\ncategory = network\nseverity = medium\n"
    "pattern = (?<value>\\b10(?:\\.\\d{1,3}){3}\\b)\nvalidate = ipv4\n"
    "title.en = Private address\ntitle.nb = Privat adresse\n"
    "[f.acl]\ncategory = firewall\nseverity = medium\npattern = permit tcp any\n"
    "title.en = Firewall rule\ntitle.nb = Brannmurregel\n"
    "[c.pw]\ncategory = credential\nseverity = high\npattern = passord: (?<value>\\S+)\n"
    "title.en = Password\ntitle.nb = Passord\n"
    "[m.author]\ncategory = metadata\nseverity = low\npattern = Forfatter: (?<value>\\w+)\n"
    "title.en = Author\ntitle.nb = Forfatter\n";

static int setup(void **state)
{
    ts_ctx *ctx = NULL;
    if (ts_ctx_new(&ctx) != TS_OK)
        return -1;
    if (ts_ctx_load_rules_buffer(ctx, "t", rules, strlen(rules), NULL, NULL) != TS_OK)
        return -1;
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    ts_ctx_free(*state);
    return 0;
}

static int has_reason(const ts_doc *doc, const char *needle, ts_lang lang)
{
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++)
        if (strstr(ts_doc_reason_at(doc, i, lang), needle))
            return 1;
    return 0;
}

static void test_nothing_above_low_is_ok(void **state)
{
    ts_doc *doc = tst_scan_text(*state, "Forfatter: Kari\nTilbudsfrist 1. mars\n");
    assert_int_equal(ts_doc_finding_count(doc), 1);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_true(ts_doc_score(doc) < 30);
    assert_int_equal(ts_doc_reason_count(doc), 0);
    ts_doc_free(doc);
}

static void test_single_internal_address_is_review(void **state)
{
    ts_doc *doc = tst_scan_text(*state, "Skriveren har 10.1.1.1\n");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    assert_true(ts_doc_score(doc) >= 30 && ts_doc_score(doc) < 70);
    assert_true(has_reason(doc, "Private address (1×)", TS_LANG_EN));
    assert_true(has_reason(doc, "Privat adresse (1×)", TS_LANG_NB));
    ts_doc_free(doc);
}

static void test_credential_is_block(void **state)
{
    ts_doc *doc = tst_scan_text(*state, "passord: Sommer2024!\n");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    assert_true(ts_doc_score(doc) >= 70);
    assert_true(has_reason(doc, "Password", TS_LANG_EN));
    ts_doc_free(doc);
}

static void test_three_distinct_addresses_are_an_address_plan(void **state)
{
    ts_doc *doc = tst_scan_text(*state, "10.0.0.1\n10.0.0.2\n10.0.0.1\n10.0.0.3\n");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    assert_true(has_reason(doc, "internal address plan: 3", TS_LANG_EN));
    assert_true(has_reason(doc, "intern adresseplan", TS_LANG_NB));
    ts_doc_free(doc);
    doc = tst_scan_text(*state, "10.0.0.1\n10.0.0.1\n");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW); /* one address, twice */
    ts_doc_free(doc);
}

static void test_address_with_firewall_rule_is_an_attack_map(void **state)
{
    ts_doc *doc = tst_scan_text(*state, "server 10.0.0.5\naccess-list 101 permit tcp any\n");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    assert_true(has_reason(doc, "attack map", TS_LANG_EN));
    ts_doc_free(doc);
}

static void test_unreadable_document_is_error_never_ok(void **state)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, *state, "tom.txt", "", 0), TS_OK);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EEMPTY);
    assert_non_null(ts_doc_error(doc));
    assert_true(has_reason(doc, "could not be read completely", TS_LANG_EN));
    assert_true(has_reason(doc, "tom fil", TS_LANG_NB));
    ts_doc_free(doc);
}

static void test_failed_path_document_is_error(void **state)
{
    (void)state;
    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_new_failed(&doc, "/nope", TS_EIO, "No such file or directory"),
                     TS_OK);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_string_equal(ts_doc_error(doc), "could not be opened or read: No such file or directory");
    assert_string_equal(ts_doc_format(doc), "unknown");
    assert_null(ts_doc_sha256(doc));
    ts_doc_free(doc);
}

/*
 * A container's reason names each part that drives its grade and why, so the officer need not
 * look the part up: its error ("damaged file: …"), or the first reason of its grade.
 */
static void test_container_reason_says_why_each_part_counts(void **state)
{
    char *dir = tst_tmpdir();
    const fx_part parts[] = {
        {.name = "a.txt", .data = "passord: Vinter#2024\n"},
        {.name = "b.txt", .data = "Ingenting her.\n"},
        {.name = "c.pdf", .data = "%PDF-1.4 not a pdf\n"},
    };
    char *path = fx_zip_write(dir, "pakke.zip", parts, 3);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, *state, path), TS_OK);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_true(has_reason(doc, "contains a.txt (BLOCK: Password (1", TS_LANG_EN));
    assert_true(has_reason(doc, "inneholder a.txt (STOPP: Passord (1", TS_LANG_NB));
    assert_true(has_reason(doc, "contains c.pdf (ERROR: ", TS_LANG_EN));
    assert_true(has_reason(doc, "inneholder c.pdf (FEIL: ", TS_LANG_NB));
    assert_false(has_reason(doc, "b.txt", TS_LANG_EN)); /* ok parts are not reasons */
    ts_doc_free(doc);
    free(path);
    tst_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nothing_above_low_is_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_single_internal_address_is_review, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credential_is_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_three_distinct_addresses_are_an_address_plan, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_address_with_firewall_rule_is_an_attack_map, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_document_is_error_never_ok, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failed_path_document_is_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_container_reason_says_why_each_part_counts, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("risk_grade", tests, NULL, NULL);
}

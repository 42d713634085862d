/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the ZIP extractor and the shared zip reader: members as children, bombs, names. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_zip.h"

typedef fx_env fixture;

#define setup fx_env_setup
#define teardown fx_env_teardown
#define scan fx_scan

static void test_zip_members_are_child_documents(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {
        {.name = "vedlegg/nettverk.txt", .data = "Kjernesvitsj har adresse 10.20.1.1\n"},
        {.name = "vedlegg/les-meg.txt", .data = "Tilbudet leveres innen fristen.\n"},
    };
    char *path = fx_zip_write(f->dir, "pakke.zip", parts, 2);
    ts_doc *doc = scan(f, path);
    assert_string_equal(ts_doc_format(doc), "zip");
    assert_int_equal(ts_doc_child_count(doc), 2);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    assert_non_null(strstr(ts_doc_path(c), "pakke.zip!vedlegg/nettverk.txt"));
    assert_non_null(tst_find(c, "network.ipv4-private"));
    assert_int_equal(ts_doc_grade(doc), ts_doc_grade(c)); /* the worst child decides */
    assert_int_equal(ts_doc_grade(ts_doc_child_at(doc, 1)), TS_GRADE_OK);
    ts_doc_free(doc);
    free(path);
}

static void test_zip_ratio_over_limit_grades_error_before_inflating(void **state)
{
    fixture *f = *state;
    size_t len = 16u << 20; /* 16 MiB of zeros deflate about 1000:1 */
    char *zeros = calloc(1, len);
    assert_non_null(zeros);
    fx_part parts[] = {{.name = "bombe.txt", .data = zeros, .len = len}};
    char *path = fx_zip_write(f->dir, "bombe.zip", parts, 1);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "ratio"));
    assert_int_equal(ts_doc_child_count(doc), 0);
    ts_doc_free(doc);
    free(path);
    free(zeros);
}

static void test_zip_total_unpacked_limit_is_checked_first(void **state)
{
    fixture *f = *state;
    ts_limits lim = {.max_unpacked_bytes = 1000};
    ts_ctx_set_limits(f->ctx, &lim);
    char text[4000];
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    fx_part parts[] = {{.name = "stor.txt", .data = text}};
    char *path = fx_zip_write(f->dir, "stor.zip", parts, 1);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_int_equal(ts_doc_child_count(doc), 0);
    ts_doc_free(doc);
    free(path);
}

static void test_zip_entry_count_over_max_items_is_error(void **state)
{
    fixture *f = *state;
    ts_limits lim = {.max_items = 3};
    ts_ctx_set_limits(f->ctx, &lim);
    fx_part parts[5];
    char names[5][16];
    for (int i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "f%d.txt", i);
        parts[i] = (fx_part){.name = names[i], .data = "hei\n"};
    }
    char *path = fx_zip_write(f->dir, "mange.zip", parts, 5);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_int_equal(ts_doc_child_count(doc), 3); /* the first max_items are still read */
    ts_doc_free(doc);
    free(path);
}

static void test_zip_member_climbing_out_gets_a_safe_name(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {
        {.name = "../../etc/nettverk.txt", .data = "Kjernesvitsj har adresse 10.20.1.1\n"}};
    char *path = fx_zip_write(f->dir, "slem.zip", parts, 1);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    assert_null(strstr(ts_doc_path(c), ".."));
    assert_non_null(strstr(ts_doc_path(c), "!member-1"));
    assert_non_null(tst_find(c, "network.ipv4-private")); /* still scanned */
    ts_doc_free(doc);
    free(path);
}

static void test_zip_truncated_archive_is_corrupt(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {{.name = "a.txt", .data = "Tilbudet leveres innen fristen.\n"}};
    char *path = fx_zip_write(f->dir, "ok.zip", parts, 1);
    size_t len = 0;
    char *bytes = tst_slurp(path, &len);
    assert_non_null(bytes);
    char *cut = tst_write(f->dir, "kuttet.zip", bytes, len - 10); /* no end of central dir */
    ts_doc *doc = scan(f, cut);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(bytes);
    free(cut);
    free(path);
}

static void test_corpus_plain_zip_is_read(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    ts_doc *doc = scan(f, TS_CORPUS_DIR "/archive/exiftool_ZIP.zip");
    assert_string_equal(ts_doc_format(doc), "zip");
    assert_true(ts_doc_child_count(doc) >= 1);
    assert_null(ts_doc_error(doc));
    ts_doc_free(doc);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_zip_members_are_child_documents),
        T(test_zip_ratio_over_limit_grades_error_before_inflating),
        T(test_zip_total_unpacked_limit_is_checked_first),
        T(test_zip_entry_count_over_max_items_is_error),
        T(test_zip_member_climbing_out_gets_a_safe_name),
        T(test_zip_truncated_archive_is_corrupt),
        T(test_corpus_plain_zip_is_read),
    };
    return cmocka_run_group_tests_name("extract_zip", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the ZIP extractor and the shared zip reader: members as children, bombs, names. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

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
    /* the member that was not read is a document of its own, with the reason */
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    assert_int_equal(ts_doc_error_status(c), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(c), "ratio"));
    assert_int_equal(ts_doc_bytes(c), len);
    assert_null(ts_doc_sha256(c));
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
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_child_count(doc), 1);
    assert_int_equal(ts_doc_error_status(ts_doc_child_at(doc, 0)), TS_ELIMIT);
    assert_null(ts_doc_sha256(ts_doc_child_at(doc, 0))); /* nothing was inflated */
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

/* Issue 13: a member that would be unpacked outside its folder is shown as the archive names it
 * (not "member-N") and flagged: the archive must not be published. */
static void test_zip_member_climbing_out_is_shown_as_written_and_blocks(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {
        {.name = "../../etc/nettverk.txt", .data = "Kjernesvitsj har adresse 10.20.1.1\n"},
        {.name = "C:\\evil.txt", .data = "Tilbudet leveres innen fristen.\n"},
        {.name = "/etc/cron.d/x", .data = "Tilbudet leveres innen fristen.\n"},
        {.name = "vedlegg/ok.txt", .data = "Tilbudet leveres innen fristen.\n"},
    };
    static const char *const shown[] = {"slem.zip!../../etc/nettverk.txt", "slem.zip!C:\\evil.txt",
                                        "slem.zip!/etc/cron.d/x", "slem.zip!vedlegg/ok.txt"};
    char *path = fx_zip_write(f->dir, "slem.zip", parts, 4);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_child_count(doc), 4);
    for (size_t i = 0; i < 4; i++) {
        const ts_doc *c = ts_doc_child_at(doc, i);
        char buf[256];
        ts_doc_path_shown(c, 0, buf, sizeof buf);
        assert_non_null(strstr(buf, shown[i]));
        const ts_finding *flag = tst_find(c, "archive.unsafe-member-name");
        if (i == 3) {
            assert_null(flag);
            assert_int_equal(ts_doc_grade(c), TS_GRADE_OK);
            continue;
        }
        assert_non_null(flag);
        assert_int_equal(ts_finding_where(flag), TS_WHERE_FILENAME);
        assert_string_equal(ts_finding_value(flag), shown[i] + strlen("slem.zip!"));
        assert_int_equal(ts_doc_grade(c), TS_GRADE_BLOCK);
    }
    assert_non_null(tst_find(ts_doc_child_at(doc, 0), "network.ipv4-private")); /* still read */
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
    free(path);
}

/* Issue 13: a password in a member's name is a finding, and no report shows the name unmasked:
 * not the member's path, not the archive's reason that names it. */
static void test_zip_password_in_member_name_is_found_and_masked(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {{.name = "config/pw_Vinter#22.txt", .data = "Tilbudet leveres.\n"}};
    char *path = fx_zip_write(f->dir, "pakke.zip", parts, 1);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    const ts_finding *pw = tst_find(c, "credential.labelled-secret");
    assert_non_null(pw);
    assert_string_equal(ts_finding_value(pw), "Vinter#22");
    assert_int_equal(ts_finding_where(pw), TS_WHERE_FILENAME);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    char shown[512], tag[8];
    snprintf(tag, sizeof tag, "~%.6s", ts_finding_fingerprint(pw));
    ts_doc_path_shown(c, 0, shown, sizeof shown);
    assert_null(strstr(shown, "Vinter#22"));
    assert_non_null(strstr(shown, "pakke.zip!config/pw_Vi*****22"));
    assert_non_null(strstr(shown, tag));
    ts_doc_path_shown(c, 1, shown, sizeof shown); /* --show-secrets */
    assert_non_null(strstr(shown, "pakke.zip!config/pw_Vinter#22.txt"));
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++)
        assert_null(strstr(ts_doc_reason_at(doc, i, TS_LANG_EN), "Vinter#22"));
    ts_doc_free(doc);
    free(path);
}

/* A member that cannot be read is a document of its own: its name is scanned all the same. */
static void test_zip_encrypted_member_is_an_error_child_with_its_name_scanned(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/kryptert.zip", f->dir);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    static const char data[] = "Tilbudet leveres innen fristen.\n";
    zip_source_t *src = zip_source_buffer(z, data, sizeof data - 1, 0);
    zip_int64_t i = zip_file_add(z, "passord=Sommer2024!.txt", src, ZIP_FL_ENC_UTF_8);
    assert_true(i >= 0);
    assert_int_equal(zip_file_set_encryption(z, (zip_uint64_t)i, ZIP_EM_AES_256, "hemmelig"), 0);
    assert_int_equal(zip_close(z), 0);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    assert_int_equal(ts_doc_error_status(c), TS_EENCRYPTED);
    assert_non_null(tst_find(c, "credential.password"));
    char shown[512];
    ts_doc_path_shown(c, 0, shown, sizeof shown);
    assert_null(strstr(shown, "Sommer2024!"));
    assert_non_null(strstr(shown, "passord=So*******4!~"));
    for (size_t k = 0; k < ts_doc_reason_count(c); k++)
        assert_null(strstr(ts_doc_reason_at(c, k, TS_LANG_EN), "Sommer2024!"));
    ts_doc_free(doc);
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
        T(test_zip_member_climbing_out_is_shown_as_written_and_blocks),
        T(test_zip_password_in_member_name_is_found_and_masked),
        T(test_zip_encrypted_member_is_an_error_child_with_its_name_scanned),
        T(test_zip_truncated_archive_is_corrupt),
        T(test_corpus_plain_zip_is_read),
    };
    return cmocka_run_group_tests_name("extract_zip", tests, NULL, NULL);
}

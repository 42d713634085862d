/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the printable strings of files of no known type: nothing appended is unseen. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

#include "support/fx_bin.h"

#define PW_RULE "credential.password"
#define IP_RULE "network.ipv4-private"

static int setup(void **state)
{
    *state = tst_ctx_default();
    return 0;
}

static int teardown(void **state)
{
    ts_ctx_free(*state);
    return 0;
}

static ts_doc *scan(const ts_ctx *ctx, const char *name, const void *data, size_t len)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, name, data, len), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* Binary bytes: NULs and control bytes that no text holds (not even a tab or a line end). */
static void junk(unsigned char *p, size_t n)
{
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)(i % 3 == 0 ? 0 : 1 + x % 8);
    }
}

static void expect_unknown_error(const ts_doc *doc)
{
    assert_string_equal(ts_doc_format(doc), "unknown");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EUNSUPPORTED);
    assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_EN), "only the readable strings"));
    assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_NB), "bare de lesbare tegnstrengene"));
}

/* The case of the attack: a metafile with a password appended, read as UTF-16 and missed. */
static void test_password_appended_to_a_metafile_is_found(void **state)
{
    size_t len = 0;
    unsigned char *wmf = fx_wmf_polyline(2000, "\r\nAdministrator passord: Sommer2024!\r\n", &len);
    ts_doc *doc = scan(*state, "logo.wmf", wmf, len);
    expect_unknown_error(doc);
    const ts_finding *pw = tst_find(doc, PW_RULE);
    assert_non_null(pw);
    assert_string_equal(ts_finding_value(pw), "Sommer2024!");
    /* placed at the byte where its string starts: just after the metafile's records */
    char where[40];
    snprintf(where, sizeof where, "byte %zu",
             len - strlen("Administrator passord: Sommer2024!\r\n"));
    assert_string_equal(ts_finding_part(pw), where);
    ts_doc_free(doc);
    free(wmf);
}

/* Any binary of no known kind, with text in ASCII and in UTF-16LE among its bytes. */
static void test_ascii_and_utf16_strings_of_an_unknown_binary_are_scanned(void **state)
{
    static const char wide[] = "K\0j\0e\0r\0n\0e\0s\0v\0i\0t\0s\0j\0 \0"
                               "1\0000\0.\0002\0000\0.\0001\0.\0001\0";
    static const char ascii[] = "passord: Sommer2024!";
    unsigned char buf[3000];
    junk(buf, sizeof buf);
    memcpy(buf + 1000, wide, sizeof wide - 1);
    memcpy(buf + 2000, ascii, sizeof ascii - 1);
    ts_doc *doc = scan(*state, "data.bin", buf, sizeof buf);
    expect_unknown_error(doc);
    tst_expect_values(doc, IP_RULE, "10.20.1.1");
    tst_expect_values(doc, PW_RULE, "Sommer2024!");
    assert_string_equal(ts_finding_part(tst_find(doc, IP_RULE)), "byte 1000");
    assert_string_equal(ts_finding_part(tst_find(doc, PW_RULE)), "byte 2000");
    ts_doc_free(doc);
}

/* Short runs are noise in a binary and are not handed over; a binary of them has no finding. */
static void test_short_runs_are_not_strings(void **state)
{
    unsigned char buf[600];
    junk(buf, sizeof buf);
    memcpy(buf + 100, "10.20.1.1", 9); /* nine bytes, but cut by the junk around into … */
    buf[104] = 0;                      /* … "10.2" and ".1.1": too short to be strings */
    ts_doc *doc = scan(*state, "data.bin", buf, sizeof buf);
    expect_unknown_error(doc);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
}

/*
 * Random bytes (what compressed or encrypted data looks like) have printable runs by chance,
 * some of which rules would take for accounts and keys: they are noise, while a password
 * appended to such a file is still found.
 */
static void test_random_bytes_give_no_strings_but_appended_text_is_found(void **state)
{
    static const char tail[] = "\nAdministrator passord: Sommer2024!\n";
    size_t n = 16u << 20, len = n + sizeof tail - 1;
    unsigned char *p = malloc(len);
    assert_non_null(p);
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (unsigned char)(x >> 32);
    }
    memcpy(p + n, tail, sizeof tail - 1);
    ts_doc *doc = scan(*state, "arkiv.7z", p, len);
    expect_unknown_error(doc);
    tst_expect_values(doc, PW_RULE, "Sommer2024!");
    assert_int_equal(ts_doc_finding_count(doc), 1);
    char where[40];
    snprintf(where, sizeof where, "byte %zu", n + 1);
    assert_string_equal(ts_finding_part(tst_find(doc, PW_RULE)), where);
    ts_doc_free(doc);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_password_appended_to_a_metafile_is_found, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_ascii_and_utf16_strings_of_an_unknown_binary_are_scanned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_runs_are_not_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_random_bytes_give_no_strings_but_appended_text_is_found, setup, teardown),
    };
    return cmocka_run_group_tests_name("extract_strings", tests, NULL, NULL);
}

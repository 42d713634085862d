/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of paths as reports show them: bytes escaped (\xE6), secrets in names masked, read back. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

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

static char *escaped(const char *path)
{
    size_t need = ts_path_escape(path, NULL, 0);
    assert_true(need != SIZE_MAX);
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    assert_int_equal(ts_path_escape(path, buf, need + 1), need);
    return buf;
}

static void expect_escape(const char *path, const char *want)
{
    char *got = escaped(path);
    assert_string_equal(got, want);
    /* and back to the same bytes */
    assert_int_equal(ts_path_unescape(got), strlen(path));
    assert_string_equal(got, path);
    free(got);
}

static void test_bytes_that_are_not_utf8_are_escaped_not_replaced(void **state)
{
    (void)state;
    expect_escape("anbud/pris\xE6.xlsx", "anbud/pris\\xE6.xlsx");
    expect_escape("a\xF8\xE5", "a\\xF8\\xE5");
    expect_escape("\xC3\xA6\xC3\xB8\xC3\xA5.docx", "æøå.docx"); /* UTF-8 stays as it is */
    expect_escape("x\xC3", "x\\xC3");                           /* a cut sequence */
    expect_escape("\xED\xA0\x80", "\\xED\\xA0\\x80");           /* a surrogate: not UTF-8 */
}

static void test_controls_and_bidi_overrides_are_escaped(void **state)
{
    (void)state;
    expect_escape("a\nb\tc\x1b[31m", "a\\x0Ab\\x09c\\x1B[31m");
    expect_escape("fil\xE2\x80\xAEtxt.exe", "fil\\xE2\\x80\\xAEtxt.exe"); /* U+202E */
    expect_escape("\x7F\xC2\x9B", "\\x7F\\xC2\\x9B");                     /* DEL, CSI */
}

static void test_a_backslash_is_doubled_only_where_it_could_read_as_an_escape(void **state)
{
    (void)state;
    expect_escape("C:\\evil.txt", "C:\\evil.txt");
    expect_escape("C:\\xfiles\\x.txt", "C:\\\\xfiles\\\\x.txt");
    expect_escape("a\\\\b", "a\\\\\\b");    /* the first of two, before a backslash */
    expect_escape("a\\\xE6", "a\\\\\\xE6"); /* before an escaped byte */
    expect_escape("end\\", "end\\");
    /* the literal text of an escape and the byte it stands for stay two names */
    char *a = escaped("a\\xE6.txt"), *b = escaped("a\xE6.txt");
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

/* Issue 13: two files whose names differ only in bytes that are not UTF-8 never share a path. */
static void test_names_differing_in_invalid_bytes_stay_two_paths(void **state)
{
    const ts_ctx *ctx = *state;
    static const char *const names[] = {"dir/a\xE6.txt", "dir/a\xF8.txt", "dir/a\xFF.txt",
                                        "dir/a\xEF\xBF\xBD.txt"};
    char shown[4][64];
    for (size_t i = 0; i < 4; i++) {
        ts_doc *d = NULL;
        assert_int_equal(ts_scan_buffer(&d, ctx, names[i], "hei\n", 4), TS_OK);
        ts_doc_path_shown(d, 0, shown[i], sizeof shown[i]);
        ts_doc_free(d);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(shown[i], shown[k]);
    }
    assert_string_equal(shown[0], "dir/a\\xE6.txt");
    assert_string_equal(shown[3], "dir/a\xEF\xBF\xBD.txt"); /* a real U+FFFD is a character */
}

/* Two names that differ only inside their masked password keep apart by the tag. */
static void test_masked_names_stay_apart_by_their_tag(void **state)
{
    const ts_ctx *ctx = *state;
    ts_doc *a = NULL, *b = NULL;
    assert_int_equal(ts_scan_buffer(&a, ctx, "pw_Vinter#22.txt", "hei\n", 4), TS_OK);
    assert_int_equal(ts_scan_buffer(&b, ctx, "pw_Vinyl##22.txt", "hei\n", 4), TS_OK);
    char sa[128], sb[128];
    ts_doc_path_shown(a, 0, sa, sizeof sa);
    ts_doc_path_shown(b, 0, sb, sizeof sb);
    assert_string_not_equal(sa, sb);
    assert_memory_equal(sa, "pw_Vi*****22~", 13);
    assert_memory_equal(sb, "pw_Vi*****22~", 13);
    assert_string_equal(sa + 19, ".txt");
    /* the tag is the start of the finding's fingerprint */
    assert_memory_equal(sa + 13, ts_finding_fingerprint(ts_doc_finding_at(a, 0)), 6);
    /* snprintf contract: the length it needs, cut to the buffer */
    char small[8];
    assert_int_equal(ts_doc_path_shown(a, 0, small, sizeof small), strlen(sa));
    assert_string_equal(small, "pw_Vi**");
    ts_doc_free(a);
    ts_doc_free(b);
}

static void test_a_child_shows_its_parents_masked_name_too(void **state)
{
    const ts_ctx *ctx = *state;
    ts_doc *d = NULL;
    assert_int_equal(ts_scan_buffer(&d, ctx, "ut/passord=Sommer2024!.zip", "", 0), TS_OK);
    assert_int_equal(ts_doc_child(d, "vedlegg/plan\xE6.txt", "hei\n", 4), TS_OK);
    char shown[256];
    ts_doc_path_shown(ts_doc_child_at(d, 0), 0, shown, sizeof shown);
    char want[256];
    snprintf(want, sizeof want, "ut/passord=So*******4!~%.6s.zip!vedlegg/plan\\xE6.txt",
             ts_finding_fingerprint(ts_doc_finding_at(d, 0)));
    assert_string_equal(shown, want);
    ts_doc_path_shown(ts_doc_child_at(d, 0), 1, shown, sizeof shown);
    assert_string_equal(shown, "ut/passord=Sommer2024!.zip!vedlegg/plan\\xE6.txt");
    ts_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_that_are_not_utf8_are_escaped_not_replaced),
        cmocka_unit_test(test_controls_and_bidi_overrides_are_escaped),
        cmocka_unit_test(test_a_backslash_is_doubled_only_where_it_could_read_as_an_escape),
        cmocka_unit_test_setup_teardown(test_names_differing_in_invalid_bytes_stay_two_paths, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_masked_names_stay_apart_by_their_tag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_child_shows_its_parents_masked_name_too, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("core_path", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for ts_utf8_clean: valid UTF-8 passes, stray bytes read as Windows-1252, controls fixed. */
#include "support/ts_test.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Clean `len` bytes and compare with the expected NUL-terminated result. */
static void check_clean(const char *in, size_t len, const char *want, bool want_owned)
{
    char *out = NULL;
    size_t out_len = 0;
    bool owned = true;
    assert_int_equal(ts_utf8_clean(in, len, &out, &out_len, &owned), TS_OK);
    assert_non_null(out);
    assert_int_equal(owned, want_owned);
    assert_int_equal(out_len, strlen(want));
    assert_memory_equal(out, want, out_len);
    if (!want_owned)
        assert_ptr_equal(out, in);
    if (owned)
        ts_free(out);
}

static void test_valid_utf8_is_borrowed_unchanged(void **state)
{
    (void)state;
    const char *s = "Brannmur på kontoret i Ålesund: 10.20.1.1\r\n\tpassord € 😀 中文";
    check_clean(s, strlen(s), s, false);
}

static void test_long_ascii_with_newlines_is_borrowed(void **state)
{
    (void)state;
    size_t len = 10000;
    char *s = malloc(len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < len; i++)
        s[i] = i % 61 == 60 ? '\n' : (char)('a' + (char)(i % 26));
    s[len] = '\0';
    check_clean(s, len, s, false);
    free(s);
}

static void test_empty_text_is_borrowed(void **state)
{
    (void)state;
    check_clean("", 0, "", false);
}

static void test_cp1252_letters_become_utf8(void **state)
{
    (void)state;
    check_clean("\xe6\xf8\xe5", 3, "æøå", true);
    check_clean("p\xe5 kontoret i \xc5lesund", 21, "på kontoret i Ålesund", true);
}

static void test_cp1252_0x80_is_euro_sign(void **state)
{
    (void)state;
    check_clean("pris 100\x80", 9, "pris 100€", true);
    /* quotes and dashes from the 0x80-0x9F block */
    check_clean("\x93hei\x94 \x96 ok", 10, "\u201chei\u201d \u2013 ok", true);
}

static void test_cp1252_undefined_bytes_become_replacement(void **state)
{
    (void)state;
    check_clean("a\x81"
                "b\x8d"
                "c\x8f"
                "d\x90"
                "e\x9d",
                10,
                "a\uFFFD"
                "b\uFFFD"
                "c\uFFFD"
                "d\uFFFD"
                "e\uFFFD",
                true);
}

static void test_overlong_slash_is_not_kept(void **state)
{
    (void)state;
    /* C0 AF would be an overlong '/': each byte is read as Windows-1252 instead */
    check_clean("a\xc0\xaf"
                "b",
                4,
                "a\u00c0\u00af"
                "b",
                true);
    /* overlong 3-byte NUL, surrogate half, above U+10FFFF */
    check_clean("\xe0\x80\x80", 3, "\u00e0\u20ac\u20ac", true);
    check_clean("\xed\xa0\x80", 3, "\u00ed\u00a0\u20ac", true);
    check_clean("\xf4\x90\x80\x80", 4, "\u00f4\uFFFD\u20ac\u20ac", true);
}

static void test_nul_and_controls_become_spaces(void **state)
{
    (void)state;
    check_clean("a\0b\x01"
                "c\x1b"
                "d\te\nf\rg",
                13, "a b c d\te\nf\rg", true);
    check_clean("\f\v", 2, "  ", true);
}

static void test_truncated_sequence_at_end_is_fixed(void **state)
{
    (void)state;
    /* "ø" in UTF-8 is C3 B8; the text stops after C3 */
    check_clean("passord: S\xc3", 11, "passord: S\u00c3", true);
    /* first two bytes of a 3-byte "€" */
    check_clean("100 \xe2\x82", 6, "100 \u00e2\u201a", true);
}

static void test_valid_sequences_next_to_stray_bytes_are_kept(void **state)
{
    (void)state;
    /* a UTF-8 "å" followed by a CP1252 "å" */
    check_clean("\xc3\xa5\xe5", 3, "åå", true);
}

static void test_invalid_after_long_clean_prefix(void **state)
{
    (void)state;
    /* the fast path must stop exactly at the bad byte, whatever its alignment */
    for (size_t at = 0; at < 20; at++) {
        char in[32], want[40];
        memset(in, 'x', sizeof in);
        in[at] = (char)0xe5;
        memset(want, 'x', sizeof want);
        memcpy(want + at, "\xc3\xa5", 2);
        want[sizeof in + 1] = '\0';
        check_clean(in, sizeof in, want, true);
    }
}

static void test_every_bad_byte_after_the_first_is_fixed_too(void **state)
{
    (void)state;
    /* pdftotext puts a form feed between pages: the text after the first one goes on with
     * clean runs (UTF-8 letters, line breaks) and more bad bytes, each fixed in its place */
    check_clean("Side 1 \xc3\xb8l\n\fSide 2 \xc3\xa5r\n\fSide 3 \xe5r\x01slutt\f", 40,
                "Side 1 øl\n Side 2 år\n Side 3 år slutt ", true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_utf8_is_borrowed_unchanged),
        cmocka_unit_test(test_long_ascii_with_newlines_is_borrowed),
        cmocka_unit_test(test_empty_text_is_borrowed),
        cmocka_unit_test(test_cp1252_letters_become_utf8),
        cmocka_unit_test(test_cp1252_0x80_is_euro_sign),
        cmocka_unit_test(test_cp1252_undefined_bytes_become_replacement),
        cmocka_unit_test(test_overlong_slash_is_not_kept),
        cmocka_unit_test(test_nul_and_controls_become_spaces),
        cmocka_unit_test(test_truncated_sequence_at_end_is_fixed),
        cmocka_unit_test(test_valid_sequences_next_to_stray_bytes_are_kept),
        cmocka_unit_test(test_invalid_after_long_clean_prefix),
        cmocka_unit_test(test_every_bad_byte_after_the_first_is_fixed_too),
    };
    return cmocka_run_group_tests_name("core_utf8", tests, NULL, NULL);
}

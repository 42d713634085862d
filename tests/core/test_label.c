/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the label shapes: ts_label_like (is a cell or the text before a colon a name for
 * what follows?), ts_span_trim and ts_fold_latin1. */
#include "support/ts_test.h"

#include <stdbool.h>
#include <string.h>

#include "core/core.h"

static bool like(const char *s)
{
    return ts_label_like(s, strlen(s));
}

static void test_names_of_columns_and_values_are_labels(void **state)
{
    (void)state;
    static const char *const yes[] = {"Passord",          "IP-adresse",  "Brukarnamn (AD)",
                                      "Community string", "WPA2-nøkkel", "VLAN-ID",
                                      "  Vertsnavn:  ",   "Kilde / mål"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(like(yes[i]));
}

static void test_values_and_sentences_are_not_labels(void **state)
{
    (void)state;
    static const char *const no[] = {
        "Fjord2024!", "10.20.1.1", "Kari123",
        "key=value",  "${PASS}",   "Leverandøren skal levere alle dører med kortleser i dag",
        "",           "12",        "%%"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(like(no[i]));
}

/* A numbering column heads many rule tables ("#, Source, Destination, Service, Action"): its
 * header cell is a label, so the row is the table's header row. */
static void test_numbering_column_header_is_a_label(void **state)
{
    (void)state;
    assert_true(like("#"));
    assert_true(like(" # "));
    assert_true(like("\xe2\x84\x96"));
    assert_false(like("##"));
    assert_false(like("#1"));
}

static void test_span_trim_and_fold(void **state)
{
    (void)state;
    const char *t = " \t Passord \r\n";
    size_t a = 0, b = strlen(t);
    ts_span_trim(t, &a, &b);
    assert_int_equal(a, 3);
    assert_int_equal(b, 10);
    char o[32];
    const char *s = "ØST-Nøkkel";
    ts_fold_latin1(o, s, strlen(s));
    assert_memory_equal(o, "øst-nøkkel", strlen(s));
}

static size_t row_label(const char *s)
{
    return ts_row_label_len(s, strlen(s));
}

static void test_long_row_label_is_cut_to_its_head(void **state)
{
    (void)state;
    /* a label-like cell labels its row whole */
    assert_int_equal(row_label("Passord"), strlen("Passord"));
    /* a note in brackets or after a comma: the words before it label (the blank before the
     * bracket counts; labels are trimmed where they are used) */
    assert_int_equal(row_label("API token for the booking integration (read-only, prod)"),
                     strlen("API token for the booking integration "));
    assert_int_equal(
        row_label("Servicepassord, gjeld også reservesentralen (sjå instruks, kap. 3)"),
        strlen("Servicepassord"));
    /* a long name with no bracket or comma is no label: its words are not cut */
    assert_int_equal(row_label("Higher Ed Loan Auth St of MO 99LL"), 0);
    /* a requirement or statement is no label, cut or not */
    assert_int_equal(row_label("Passord for administratorar skal ha minst 16 teikn (krav 4.2)"), 0);
    assert_int_equal(row_label("The password must be changed every 90 days, see policy"), 0);
    /* a value is no label */
    assert_int_equal(row_label("Fjord2024!"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_of_columns_and_values_are_labels),
        cmocka_unit_test(test_values_and_sentences_are_not_labels),
        cmocka_unit_test(test_numbering_column_header_is_a_label),
        cmocka_unit_test(test_span_trim_and_fold),
        cmocka_unit_test(test_long_row_label_is_cut_to_its_head),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

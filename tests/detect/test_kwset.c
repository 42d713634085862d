/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keyword automaton: every occurrence, any case, overlapping words, shared owners. */
#include "support/ts_test.h"

#include <string.h>

#include "detect/kwset.h"

typedef struct hits {
    size_t end[32];
    uint32_t owner[32];
    size_t n;
} hits;

static int on_hit(size_t end, const uint32_t *owners, size_t nowners, void *payload)
{
    hits *h = payload;
    for (size_t i = 0; i < nowners && h->n < 32; i++) {
        h->end[h->n] = end;
        h->owner[h->n++] = owners[i];
    }
    return 0;
}

static struct ts_kwset *build(const char *const *words, const uint32_t *owners, size_t n)
{
    struct ts_kwset *k = NULL;
    assert_int_equal(ts_kwset_new(&k), TS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ts_kwset_add(k, words[i], owners[i]), TS_OK);
    assert_int_equal(ts_kwset_compile(k), TS_OK);
    return k;
}

static void test_finds_every_occurrence_in_any_case(void **state)
{
    (void)state;
    const char *w[] = {"passord"};
    uint32_t o[] = {7};
    struct ts_kwset *k = build(w, o, 1);
    hits h = {0};
    const char *t = "Passord: x PASSORD passord";
    ts_kwset_scan(k, t, strlen(t), on_hit, &h);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.end[0], 7);
    assert_int_equal(h.owner[2], 7);
    ts_kwset_free(k);
}

static void test_overlapping_and_nested_words_are_all_reported(void **state)
{
    (void)state;
    const char *w[] = {"he", "she", "hers"};
    uint32_t o[] = {1, 2, 3};
    struct ts_kwset *k = build(w, o, 3);
    hits h = {0};
    ts_kwset_scan(k, "ushers", 6, on_hit, &h);
    /* she (end 4), he (end 4), hers (end 6) */
    assert_int_equal(h.n, 3);
    ts_kwset_free(k);
}

static void test_norwegian_capitals_match_lower_case_keyword(void **state)
{
    (void)state;
    const char *w[] = {"nøkkel", "åpne"};
    uint32_t o[] = {1, 2};
    struct ts_kwset *k = build(w, o, 2);
    hits h = {0};
    const char *t = "NØKKEL og ÅPNE";
    ts_kwset_scan(k, t, strlen(t), on_hit, &h);
    assert_int_equal(h.n, 2);
    ts_kwset_free(k);
}

static void test_one_word_with_several_owners_reports_each(void **state)
{
    (void)state;
    const char *w[] = {"vpn", "VPN"};
    uint32_t o[] = {1, 2};
    struct ts_kwset *k = build(w, o, 2);
    assert_int_equal(ts_kwset_size(k), 1);
    hits h = {0};
    ts_kwset_scan(k, "vpn", 3, on_hit, &h);
    assert_int_equal(h.n, 2);
    ts_kwset_free(k);
}

static void test_empty_set_and_binary_text_are_harmless(void **state)
{
    (void)state;
    struct ts_kwset *k = NULL;
    assert_int_equal(ts_kwset_new(&k), TS_OK);
    assert_int_equal(ts_kwset_compile(k), TS_OK);
    hits h = {0};
    unsigned char junk[256];
    for (int i = 0; i < 256; i++)
        junk[i] = (unsigned char)i;
    ts_kwset_scan(k, (const char *)junk, sizeof junk, on_hit, &h);
    assert_int_equal(h.n, 0);
    ts_kwset_free(k);
}

/* "<dør" finds "Døren", "dør 1.014" and "(dør", but not the "dør" inside "leverandøren" or
 * "bakdøren"; "dør" without '<' finds all four. */
static void test_word_start_keyword_skips_the_middle_of_a_word(void **state)
{
    (void)state;
    const char *w[] = {"<dør", "dør"};
    uint32_t o[] = {1, 2};
    struct ts_kwset *k = build(w, o, 2);
    hits h = {0};
    const char *t = "Døren, leverandøren, bakdøren og (dør 1.014)";
    ts_kwset_scan(k, t, strlen(t), on_hit, &h);
    size_t start = 0, any = 0;
    for (size_t i = 0; i < h.n; i++) {
        start += h.owner[i] == 1;
        any += h.owner[i] == 2;
    }
    assert_int_equal(start, 2);
    assert_int_equal(any, 4);
    ts_kwset_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_every_occurrence_in_any_case),
        cmocka_unit_test(test_overlapping_and_nested_words_are_all_reported),
        cmocka_unit_test(test_norwegian_capitals_match_lower_case_keyword),
        cmocka_unit_test(test_one_word_with_several_owners_reports_each),
        cmocka_unit_test(test_empty_set_and_binary_text_are_harmless),
        cmocka_unit_test(test_word_start_keyword_skips_the_middle_of_a_word),
    };
    return cmocka_run_group_tests_name("detect_kwset", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keyword automaton: every occurrence, any case, overlapping words, shared owners. */
#include "support/ts_test.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* A long text is scanned in interleaved pieces: the hits must be exactly those of a plain
 * search, in text order, also for a keyword that crosses a cut between pieces. */
typedef struct all_hits {
    size_t *end;
    uint32_t *owner;
    size_t n, cap;
    size_t stop_after; /* 0: never stop */
} all_hits;

static int on_any(size_t end, const uint32_t *owners, size_t nowners, void *payload)
{
    all_hits *h = payload;
    for (size_t i = 0; i < nowners; i++) {
        if (h->n == h->cap) {
            h->cap = h->cap ? 2 * h->cap : 1024;
            h->end = realloc(h->end, h->cap * sizeof *h->end);
            h->owner = realloc(h->owner, h->cap * sizeof *h->owner);
            assert_non_null(h->end);
            assert_non_null(h->owner);
        }
        h->end[h->n] = end;
        h->owner[h->n++] = owners[i];
    }
    return h->stop_after > 0 && h->n >= h->stop_after;
}

static void test_long_text_gives_the_hits_of_a_plain_search_in_order(void **state)
{
    (void)state;
    const char *w[] = {"passord", "ord", "<vpn", "brannmur"};
    uint32_t o[] = {0, 1, 2, 3};
    struct ts_kwset *k = build(w, o, 4);
    static const char *const parts[] = {"passord ", "Ord ", "xvpn ", "VPN ", "brannmur ",
                                        "brann", "mur ", "q ", "\n"};
    size_t len = 300000, n = 0;
    char *t = malloc(len + 16);
    assert_non_null(t);
    uint32_t seed = 7;
    while (n < len) {
        seed = seed * 1664525u + 1013904223u;
        const char *part = parts[(seed >> 8) % (sizeof parts / sizeof *parts)];
        memcpy(t + n, part, strlen(part));
        n += strlen(part);
    }
    /* a keyword across each place the scan may cut the text (quarters, halves) */
    for (size_t q = 1; q < 8; q++)
        memcpy(t + n / 8 * q - 4, "brannmur", 8);
    /* the plain search: every occurrence of every word, by end, then by owner */
    all_hits want = {0}, got = {0};
    for (size_t e = 1; e <= n; e++) {
        for (uint32_t i = 0; i < 4; i++) {
            const char *word = w[i][0] == '<' ? w[i] + 1 : w[i];
            size_t l = strlen(word);
            if (e < l || strncasecmp(t + e - l, word, l) != 0)
                continue;
            if (w[i][0] == '<' && e > l && isalnum((unsigned char)t[e - l - 1]))
                continue;
            uint32_t one = o[i];
            on_any(e, &one, 1, &want);
        }
    }
    ts_kwset_scan(k, t, n, on_any, &got);
    assert_int_equal(got.n, want.n);
    for (size_t i = 0; i < got.n; i++) {
        assert_int_equal(got.end[i], want.end[i]);
        if (i + 1 < got.n && got.end[i] == got.end[i + 1])
            continue; /* two words ending at one place come in the automaton's order */
        if (i > 0 && got.end[i - 1] == got.end[i])
            continue;
        assert_int_equal(got.owner[i], want.owner[i]);
    }
    /* stopping stops: no hit after the one that said so */
    all_hits some = {.stop_after = want.n / 2};
    ts_kwset_scan(k, t, n, on_any, &some);
    assert_int_equal(some.n, want.n / 2);
    free(want.end);
    free(want.owner);
    free(got.end);
    free(got.owner);
    free(some.end);
    free(some.owner);
    free(t);
    ts_kwset_free(k);
}

/* A piece with more hits than it may keep is scanned again in its turn: none is lost. */
static void test_a_flood_of_hits_loses_none(void **state)
{
    (void)state;
    const char *w[] = {"aa"};
    uint32_t o[] = {0};
    struct ts_kwset *k = build(w, o, 1);
    size_t len = (size_t)5 << 20;
    char *t = malloc(len);
    assert_non_null(t);
    memset(t, 'a', len);
    all_hits got = {0};
    ts_kwset_scan(k, t, len, on_any, &got);
    assert_int_equal(got.n, len - 1);
    for (size_t i = 0; i < got.n; i++)
        assert_int_equal(got.end[i], i + 2);
    free(got.end);
    free(got.owner);
    free(t);
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
        cmocka_unit_test(test_long_text_gives_the_hits_of_a_plain_search_in_order),
        cmocka_unit_test(test_a_flood_of_hits_loses_none),
    };
    return cmocka_run_group_tests_name("detect_kwset", tests, NULL, NULL);
}

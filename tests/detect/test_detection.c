/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The labelled detection corpus (tests/detection): recall and precision per category, decoys, grades. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every tests/detection/NAME.txt is scanned as a document with the built-in rule packs, and its
 * findings (severity low or more) are compared with NAME.expect (format: tests/detection/README.md):
 *   - a finding is the pair (category, value); a value found several times counts once;
 *   - recall = expected pairs found / expected pairs, precision = expected pairs found / pairs
 *     found, per category; categories without expected findings are skipped;
 *   - a decoy is hit when a finding's value lies inside the decoy text, or the decoy inside the
 *     value, on word boundaries;
 *   - `grade` lines are compared with the document's grade.
 * The setup scans everything once and prints the figures; the tests check them.
 */

#define CORPUS_DIR TS_SOURCE_DIR "/tests/detection/dev"
#define MIN_PASSAGES 40u
#define MIN_RATE 0.95
#define MAX_LINE 4096u
#define NCAT ((size_t)TS_CAT_COUNT_)

typedef struct pair {
    int cat;
    char *value;
} pair;

typedef struct pairs {
    pair *v;
    size_t n, cap;
} pairs;

typedef struct tally {
    size_t tp, fn, fp;
} tally;

typedef struct results {
    size_t passages;
    size_t corpus_errors; /* unreadable files, bad lines, decoys not in their text */
    size_t decoy_hits;
    size_t grade_misses;
    tally cat[NCAT];
} results;

static void pairs_free(pairs *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].value);
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

static int pairs_has(const pairs *p, int cat, const char *value)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].cat == cat && strcmp(p->v[i].value, value) == 0)
            return 1;
    return 0;
}

/* Add (cat, value) unless it is there already; the value is copied. */
static void pairs_add(pairs *p, int cat, const char *value)
{
    if (pairs_has(p, cat, value))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        pair *v = realloc(p->v, cap * sizeof(*v));
        assert_non_null(v);
        p->v = v;
        p->cap = cap;
    }
    char *copy = strdup(value);
    assert_non_null(copy);
    p->v[p->n++] = (pair){.cat = cat, .value = copy};
}

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c >= 0x80;
}

/* Does `needle` occur in `hay` with no letter or digit glued to either end? */
static int contains_word(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        int left = p == hay || !is_word_byte((unsigned char)p[-1]) ||
                   !is_word_byte((unsigned char)needle[0]);
        int right = p[nl] == '\0' || !is_word_byte((unsigned char)p[nl]) ||
                    !is_word_byte((unsigned char)needle[nl - 1]);
        if (left && right)
            return 1;
    }
    return 0;
}

/* Replace every "⏎" (U+23CE, a line break inside a value) with '\n', in place. */
static void unescape(char *s)
{
    static const char mark[] = "\xe2\x8f\x8e";
    char *w = s;
    for (const char *r = s; *r;) {
        if (strncmp(r, mark, 3) == 0) {
            *w++ = '\n';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* Every finding of severity low or more in doc and its children, as distinct pairs. */
static void collect(const ts_doc *doc, pairs *found)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (ts_finding_severity(f) >= TS_SEV_LOW)
            pairs_add(found, (int)ts_finding_category(f), ts_finding_value(f));
    }
    for (size_t i = 0; i < ts_doc_child_count(doc); i++)
        collect(ts_doc_child_at(doc, i), found);
}

static const char *cat_name(int cat)
{
    const char *n = ts_category_name((ts_category)cat);
    return n ? n : "?";
}

/* Read NAME.expect into expected pairs, decoys (as pairs with cat -1) and the wanted grade. */
static void read_expect(const char *path, const char *name, pairs *expected, pairs *decoys,
                        int *grade, results *res)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        printf("  %s: cannot read %s\n", name, path);
        res->corpus_errors++;
        return;
    }
    char line[MAX_LINE];
    unsigned no = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        no++;
        size_t n = strcspn(line, "\r\n");
        if (line[n] == '\0' && !feof(fp)) {
            printf("  %s.expect:%u: line too long\n", name, no);
            res->corpus_errors++;
            break;
        }
        line[n] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (tab == NULL || tab[1] == '\0') {
            printf("  %s.expect:%u: want KEY<TAB>VALUE\n", name, no);
            res->corpus_errors++;
            continue;
        }
        *tab = '\0';
        char *value = tab + 1;
        unescape(value);
        ts_category cat;
        ts_grade g;
        if (strcmp(line, "decoy") == 0) {
            pairs_add(decoys, -1, value);
        } else if (strcmp(line, "grade") == 0 && ts_grade_parse(&g, value) == TS_OK) {
            *grade = (int)g;
        } else if (ts_category_parse(&cat, line) == TS_OK) {
            pairs_add(expected, (int)cat, value);
        } else {
            printf("  %s.expect:%u: unknown key '%s'\n", name, no, line);
            res->corpus_errors++;
        }
    }
    fclose(fp);
}

static void check_passage(const ts_ctx *ctx, const char *name, results *res)
{
    char path[4096];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s.txt", CORPUS_DIR, name);
    char *text = tst_slurp(path, &len);
    if (text == NULL) {
        printf("  %s: cannot read %s\n", name, path);
        res->corpus_errors++;
        return;
    }
    pairs expected = {0}, decoys = {0}, found = {0};
    int grade = -1;
    snprintf(path, sizeof path, "%s/%s.expect", CORPUS_DIR, name);
    read_expect(path, name, &expected, &decoys, &grade, res);

    ts_doc *doc = NULL;
    char docname[512];
    snprintf(docname, sizeof docname, "%s.txt", name);
    assert_int_equal(ts_scan_buffer(&doc, ctx, docname, text, len), TS_OK);
    collect(doc, &found);

    for (size_t i = 0; i < expected.n; i++) {
        const pair *e = &expected.v[i];
        if (pairs_has(&found, e->cat, e->value)) {
            res->cat[e->cat].tp++;
        } else {
            res->cat[e->cat].fn++;
            printf("  %s: missed %s \"%s\"\n", name, cat_name(e->cat), e->value);
        }
    }
    for (size_t i = 0; i < found.n; i++) {
        const pair *f = &found.v[i];
        if (!pairs_has(&expected, f->cat, f->value)) {
            res->cat[f->cat].fp++;
            printf("  %s: unexpected %s \"%s\"\n", name, cat_name(f->cat), f->value);
        }
    }
    for (size_t d = 0; d < decoys.n; d++) {
        const char *decoy = decoys.v[d].value;
        if (strstr(text, decoy) == NULL) {
            printf("  %s: decoy \"%s\" is not in the text\n", name, decoy);
            res->corpus_errors++;
        }
        for (size_t i = 0; i < found.n; i++) {
            if (contains_word(decoy, found.v[i].value) || contains_word(found.v[i].value, decoy)) {
                res->decoy_hits++;
                printf("  %s: decoy \"%s\" flagged as %s \"%s\"\n", name, decoy,
                       cat_name(found.v[i].cat), found.v[i].value);
            }
        }
    }
    if (grade >= 0 && (int)ts_doc_grade(doc) != grade) {
        res->grade_misses++;
        printf("  %s: grade %s, expected %s\n", name, ts_grade_name(ts_doc_grade(doc)),
               ts_grade_name((ts_grade)grade));
    }
    ts_doc_free(doc);
    pairs_free(&expected);
    pairs_free(&decoys);
    pairs_free(&found);
    free(text);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names (without .txt) of the passages, sorted; NULL-terminated. */
static char **list_passages(size_t *n)
{
    DIR *d = opendir(CORPUS_DIR);
    assert_non_null(d);
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        if (*n + 1 >= cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof(*v));
            assert_non_null(v);
            names = v;
        }
        names[*n] = strndup(e->d_name, l - 4);
        assert_non_null(names[*n]);
        (*n)++;
    }
    closedir(d);
    if (*n > 0)
        qsort(names, *n, sizeof(*names), cmp_str);
    return names;
}

static double rate(size_t good, size_t all)
{
    return all == 0 ? 1.0 : (double)good / (double)all;
}

static int setup(void **state)
{
    results *res = calloc(1, sizeof(*res));
    assert_non_null(res);
    ts_ctx *ctx = tst_ctx_default();
    size_t n = 0;
    char **names = list_passages(&n);
    printf("detection corpus: %s\n", CORPUS_DIR);
    for (size_t i = 0; i < n; i++) {
        check_passage(ctx, names[i], res);
        free(names[i]);
    }
    free(names);
    ts_ctx_free(ctx);
    res->passages = n;

    printf("%zu passages, %zu decoy hits, %zu grade misses, %zu corpus errors\n", res->passages,
           res->decoy_hits, res->grade_misses, res->corpus_errors);
    printf("%-15s %9s %6s %6s %7s %9s\n", "category", "expected", "found", "false", "recall",
           "precision");
    for (size_t c = 0; c < NCAT; c++) {
        const tally *t = &res->cat[c];
        if (t->tp + t->fn == 0 && t->fp == 0)
            continue;
        printf("%-15s %9zu %6zu %6zu %7.3f %9.3f%s\n", cat_name((int)c), t->tp + t->fn, t->tp,
               t->fp, rate(t->tp, t->tp + t->fn), rate(t->tp, t->tp + t->fp),
               t->tp + t->fn == 0 ? "  (no expected findings: skipped)" : "");
    }
    *state = res;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static void test_corpus_holds_forty_readable_labelled_passages(void **state)
{
    const results *res = *state;
    assert_true(res->passages >= MIN_PASSAGES);
    assert_int_equal(res->corpus_errors, 0);
}

static void test_every_category_reaches_095_recall_and_precision(void **state)
{
    const results *res = *state;
    size_t checked = 0;
    for (size_t c = 0; c < NCAT; c++) {
        const tally *t = &res->cat[c];
        if (t->tp + t->fn == 0)
            continue;
        checked++;
        double r = rate(t->tp, t->tp + t->fn), p = rate(t->tp, t->tp + t->fp);
        if (r < MIN_RATE || p < MIN_RATE)
            fail_msg("%s: recall %.3f, precision %.3f (want %.2f each)", cat_name((int)c), r, p,
                     MIN_RATE);
    }
    /* network, firewall, credential, facility, personal and classification are all labelled */
    assert_true(checked >= 6);
}

static void test_no_decoy_is_flagged(void **state)
{
    const results *res = *state;
    assert_int_equal(res->decoy_hits, 0);
}

static void test_every_passage_gets_its_expected_grade(void **state)
{
    const results *res = *state;
    assert_int_equal(res->grade_misses, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_holds_forty_readable_labelled_passages),
        cmocka_unit_test(test_every_category_reaches_095_recall_and_precision),
        cmocka_unit_test(test_no_decoy_is_flagged),
        cmocka_unit_test(test_every_passage_gets_its_expected_grade),
    };
    return cmocka_run_group_tests_name("detect_detection", tests, setup, teardown);
}

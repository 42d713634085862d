/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the csv reporter: golden output, read back with an RFC 4180 parser, separators. */
#include "support/ts_golden.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/core.h"

#define BOM "\xEF\xBB\xBF"
#define FINDING_COLUMNS 13
#define SUMMARY_COLUMNS 7

static int setup(void **state)
{
    *state = tst_report_fx_new();
    return 0;
}

static int teardown(void **state)
{
    tst_report_fx_free(*state);
    return 0;
}

/* A parsed CSV file: rows of fields, every string malloc'd. */
struct table {
    char ***rows;
    size_t *widths;
    size_t nrows;
};

static void table_free(struct table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t f = 0; f < t->widths[r]; f++)
            free(t->rows[r][f]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->widths);
}

/*
 * A strict RFC 4180 reader (§2): records end in CRLF; a field is either plain (no quote, CR or LF)
 * or quoted, with "" for a quote, followed by the separator or the end of the record. Fails the
 * test on anything else, with where it went wrong.
 */
static struct table parse_csv(const char *s, size_t len, char sep)
{
    struct table t = {0};
    size_t i = 0;
    char *field = malloc(len + 1);
    assert_non_null(field);
    while (i < len) {
        char **row = NULL;
        size_t width = 0;
        for (;;) {
            size_t k = 0;
            if (s[i] == '"') {
                for (i++;; i++) {
                    if (i >= len)
                        fail_msg("unterminated quoted field at byte %zu", i);
                    if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
                        field[k++] = s[i++];
                    else if (s[i] == '"')
                        break;
                    else
                        field[k++] = s[i];
                }
                i++;
            } else {
                while (i < len && s[i] != sep && s[i] != '\r' && s[i] != '\n') {
                    if (s[i] == '"')
                        fail_msg("quote inside a plain field at byte %zu", i);
                    field[k++] = s[i++];
                }
            }
            field[k] = '\0';
            row = realloc(row, (width + 1) * sizeof(*row));
            assert_non_null(row);
            row[width] = strdup(field);
            assert_non_null(row[width++]);
            if (i < len && s[i] == sep) {
                i++;
                continue;
            }
            if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                break;
            }
            fail_msg("a record must end in CRLF (byte %zu)", i);
        }
        t.rows = realloc(t.rows, (t.nrows + 1) * sizeof(*t.rows));
        t.widths = realloc(t.widths, (t.nrows + 1) * sizeof(*t.widths));
        assert_non_null(t.rows);
        assert_non_null(t.widths);
        t.rows[t.nrows] = row;
        t.widths[t.nrows++] = width;
    }
    free(field);
    return t;
}

/* Render and read back; checks the BOM and that every row is as wide as the header. */
static struct table render_table(const ts_report_opts *opts, ts_doc *const *docs, size_t n,
                                 char sep)
{
    size_t len = 0;
    char *out = tst_render("csv", opts, docs, n, &len);
    assert_true(len >= 3);
    assert_memory_equal(out, BOM, 3);
    struct table t = parse_csv(out + 3, len - 3, sep);
    free(out);
    assert_true(t.nrows >= 1);
    for (size_t r = 0; r < t.nrows; r++)
        assert_int_equal(t.widths[r], t.widths[0]);
    return t;
}

/* Entries in report order: each document followed by its children. */
static size_t entries_of(tst_report_fx *fx, const ts_doc **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < fx->ndocs && n < cap; i++) {
        out[n++] = fx->docs[i];
        for (size_t c = 0; c < ts_doc_child_count(fx->docs[i]) && n < cap; c++)
            out[n++] = ts_doc_child_at(fx->docs[i], c);
    }
    return n;
}

static void test_csv_report_matches_golden_in_english(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    size_t len = 0;
    char *out = tst_render("csv", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("fixed.csv", out, len);
    free(out);
}

static void test_csv_report_matches_golden_in_norwegian(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    size_t len = 0;
    char *out = tst_render("csv", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("fixed_nb.csv", out, len);
    free(out);
}

static void test_csv_summary_matches_golden(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB, .summary = 1};
    size_t len = 0;
    char *out = tst_render("csv", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("fixed_summary.csv", out, len);
    free(out);
}

static void test_csv_reads_back_one_row_per_finding_in_column_order(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    struct table t = render_table(&opts, fx->docs, fx->ndocs, ',');
    static const char *const header[FINDING_COLUMNS] = {
        "document", "grade",   "category",   "severity", "rule", "where",      "page",
        "value",    "message", "what to do", "part",     "line", "fingerprint"};
    assert_int_equal(t.widths[0], FINDING_COLUMNS);
    for (size_t f = 0; f < FINDING_COLUMNS; f++)
        assert_string_equal(t.rows[0][f], header[f]);
    const ts_doc *docs[16];
    size_t n = entries_of(fx, docs, 16), row = 1;
    for (size_t d = 0; d < n; d++) {
        size_t nf = ts_doc_finding_count(docs[d]);
        /* a document without findings still has its row */
        for (size_t k = 0; k < (nf ? nf : 1); k++, row++) {
            assert_true(row < t.nrows);
            char **r = t.rows[row];
            char shown[512];
            ts_doc_path_shown(docs[d], 0, shown, sizeof shown);
            assert_string_equal(r[0], shown);
            assert_string_equal(r[1], ts_grade_name(ts_doc_grade(docs[d])));
            if (nf == 0) {
                assert_string_equal(r[2], "");
                const char *why = ts_doc_error_text(docs[d], TS_LANG_EN);
                if (why == NULL && ts_doc_reason_count(docs[d]) > 0)
                    why = ts_doc_reason_at(docs[d], 0, TS_LANG_EN);
                assert_string_equal(r[8], why ? why : "no findings");
                continue;
            }
            const ts_finding *f = ts_doc_finding_at(docs[d], k);
            char page[16] = "", line[24] = "";
            if (ts_finding_page(f))
                snprintf(page, sizeof page, "%u", ts_finding_page(f));
            if (ts_finding_line(f))
                snprintf(line, sizeof line, "%lu", ts_finding_line(f));
            assert_string_equal(r[2], ts_category_name(ts_finding_category(f)));
            assert_string_equal(r[3], ts_severity_name(ts_finding_severity(f)));
            assert_string_equal(r[4], ts_finding_rule_id(f));
            assert_string_equal(r[5], ts_where_name(ts_finding_where(f)));
            assert_string_equal(r[6], page);
            assert_string_equal(r[8], ts_rule_title(ts_finding_rule(f), TS_LANG_EN));
            assert_string_equal(r[9], ts_rule_advice(ts_finding_rule(f), TS_LANG_EN));
            assert_string_equal(r[10], ts_finding_part(f) ? ts_finding_part(f) : "");
            assert_string_equal(r[11], line);
            assert_string_equal(r[12], ts_finding_fingerprint(f));
            if (ts_finding_category(f) == TS_CAT_CREDENTIAL &&
                ts_finding_where(f) == TS_WHERE_FILENAME)
                assert_string_equal(r[7], "Vi*****22"); /* the password in the child's name */
            else if (ts_finding_category(f) == TS_CAT_CREDENTIAL)
                assert_string_equal(r[7], TST_MASKED);
            else
                assert_string_equal(r[7], ts_finding_value(f));
        }
    }
    assert_int_equal(row, t.nrows);
    table_free(&t);
}

static void test_csv_separator_is_semicolon_for_nb_and_comma_for_en(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    char *out = tst_render("csv", &opts, fx->docs, 1, NULL);
    assert_true(strncmp(out, BOM "dokument;vurdering;kategori;", 31) == 0);
    free(out);
    opts.lang = TS_LANG_EN;
    out = tst_render("csv", &opts, fx->docs, 1, NULL);
    assert_true(strncmp(out, BOM "document,grade,category,", 27) == 0);
    free(out);
    /* Norwegian text in a Norwegian sheet: æøå as UTF-8, read back intact */
    opts.lang = TS_LANG_NB;
    struct table t = render_table(&opts, fx->docs, fx->ndocs, ';');
    assert_string_equal(t.rows[1][0], "anbud/Kravspesifikasjon æøå.docx");
    assert_string_equal(t.rows[0][9], "hva du gjør");
    table_free(&t);
}

static void test_csv_sep_chooses_the_separator(void **state)
{
    tst_report_fx *fx = *state;
    static const char seps[] = {'\t', '|', ','};
    for (size_t i = 0; i < sizeof seps; i++) {
        ts_report_opts opts = {.lang = TS_LANG_NB, .csv_sep = seps[i]};
        struct table t = render_table(&opts, fx->docs, fx->ndocs, seps[i]);
        assert_int_equal(t.widths[0], FINDING_COLUMNS);
        assert_string_equal(t.rows[0][1], "vurdering");
        table_free(&t);
    }
}

static void test_csv_hostile_text_reads_back_as_the_same_text(void **state)
{
    tst_report_fx *fx = *state;
    static const char formula[] = "=cmd|'/c calc'!A1.txt";
    static const char text[] = "server 10.0.0.1\n";
    ts_doc *docs[2] = {tst_report_hostile(fx), NULL};
    assert_int_equal(ts_scan_buffer(&docs[1], fx->ctx, formula, text, strlen(text)), TS_OK);
    static const char seps[] = {',', ';'};
    for (size_t i = 0; i < sizeof seps; i++) {
        ts_report_opts opts = {.lang = TS_LANG_EN, .csv_sep = seps[i], .show_secrets = 1};
        struct table t = render_table(&opts, docs, 2, seps[i]);
        bool seen_value = false;
        for (size_t r = 1; r < t.nrows; r++) {
            if (strcmp(t.rows[r][0], TST_HOSTILE_PATH) == 0) {
                seen_value = seen_value || strcmp(t.rows[r][7], "<b>Hemmelig1!</b>") == 0;
                continue;
            }
            /* a spreadsheet must not run it as a formula: it starts with an apostrophe */
            assert_string_equal(t.rows[r][0], "'=cmd|'/c calc'!A1.txt");
        }
        assert_true(seen_value);
        table_free(&t);
    }
    ts_doc_free(docs[0]);
    ts_doc_free(docs[1]);
}

static void test_csv_summary_has_one_row_per_document(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN, .summary = 1};
    struct table t = render_table(&opts, fx->docs, fx->ndocs, ',');
    const ts_doc *docs[16];
    size_t n = entries_of(fx, docs, 16);
    assert_int_equal(t.widths[0], SUMMARY_COLUMNS);
    assert_int_equal(t.nrows, n + 1);
    assert_string_equal(t.rows[0][0], "document");
    assert_string_equal(t.rows[0][6], "why");
    for (size_t d = 0; d < n; d++) {
        char num[24], shown[512];
        ts_doc_path_shown(docs[d], 0, shown, sizeof shown);
        assert_string_equal(t.rows[d + 1][0], shown);
        assert_string_equal(t.rows[d + 1][2], ts_grade_name(ts_doc_grade(docs[d])));
        snprintf(num, sizeof num, "%zu", ts_doc_finding_count(docs[d]));
        assert_string_equal(t.rows[d + 1][4], num);
        if (ts_doc_error(docs[d]) != NULL)
            assert_string_equal(t.rows[d + 1][5], ts_doc_error_text(docs[d], TS_LANG_EN));
    }
    table_free(&t);
}

static void test_csv_credential_is_masked_unless_show_secrets(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("csv", &opts, fx->docs, fx->ndocs, NULL);
    assert_null(strstr(out, TST_SECRET));
    assert_non_null(strstr(out, TST_MASKED));
    free(out);
    opts.show_secrets = 1;
    out = tst_render("csv", &opts, fx->docs, fx->ndocs, NULL);
    assert_non_null(strstr(out, TST_SECRET));
    free(out);
}

static void test_csv_rejects_a_separator_that_cannot_work(void **state)
{
    (void)state;
    static const char bad[] = {'"', '\n', '\r', '\x01', '\x7f'};
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    for (size_t i = 0; i < sizeof bad; i++) {
        ts_report_opts opts = {.lang = TS_LANG_EN, .csv_sep = bad[i]};
        ts_report *rep = NULL;
        assert_int_equal(ts_report_new(&rep, "csv", o, &opts), TS_EINVAL);
        assert_null(rep);
    }
    ts_out_free(o);
}

/* Run the binary with `args`; returns the exit code and the output (malloc'd) in *out. */
static int run_cli(const char *args, char **out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", TS_BINARY, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0)
        len += n;
    buf[len] = '\0';
    int status = pclose(p);
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_csv_command_line_takes_csv_sep_and_summary(void **state)
{
    (void)state;
    char *dir = tst_tmpdir();
    static const char a[] = "Kjernesvitsj 10.20.1.1/24\n", b[] = "Tilbudet leveres.\n";
    free(tst_write(dir, "a.txt", a, strlen(a)));
    free(tst_write(dir, "b.txt", b, strlen(b)));
    char args[4200], *out = NULL;
    snprintf(args, sizeof args, "-f csv --lang nb --csv-sep tab --summary '%s'", dir);
    assert_int_equal(run_cli(args, &out), 1);
    assert_true(strncmp(out, BOM, 3) == 0);
    struct table t = parse_csv(out + 3, strlen(out + 3), '\t');
    assert_int_equal(t.nrows, 3);
    assert_int_equal(t.widths[0], SUMMARY_COLUMNS);
    assert_string_equal(t.rows[0][0], "dokument");
    table_free(&t);
    free(out);
    snprintf(args, sizeof args, "-f json --summary '%s'", dir);
    assert_int_equal(run_cli(args, &out), 2);
    assert_non_null(strstr(out, "-f csv"));
    free(out);
    snprintf(args, sizeof args, "-f csv --csv-sep ab '%s'", dir);
    assert_int_equal(run_cli(args, &out), 2);
    free(out);
    tst_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_report_matches_golden_in_english, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_report_matches_golden_in_norwegian, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_csv_summary_matches_golden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_reads_back_one_row_per_finding_in_column_order,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_separator_is_semicolon_for_nb_and_comma_for_en,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_sep_chooses_the_separator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_hostile_text_reads_back_as_the_same_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_csv_summary_has_one_row_per_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_credential_is_masked_unless_show_secrets, setup,
                                        teardown),
        cmocka_unit_test(test_csv_rejects_a_separator_that_cannot_work),
        cmocka_unit_test(test_csv_command_line_takes_csv_sep_and_summary),
    };
    return cmocka_run_group_tests_name("report_csv", tests, NULL, NULL);
}

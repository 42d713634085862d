/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of ts_doc_dump/ts_doc_load: a document read back reports exactly as the one scanned. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_zip.h"

static const char NETWORK[] = "Kjernesvitsj har adresse 10.20.1.1/24\npassord: Sommer2024!\n";
static const char LETTER[] = "Tilbudet leveres innen fristen.\n";
/* bytes of no known type: read by their strings, and failed with a detail in both languages */
static const char BINARY[] = "\x01\x02\0\x03\x04\0\x05passord: Vinter2025!\0\x06";

typedef struct fx {
    ts_ctx *ctx;
    char *dir;
    ts_doc *doc; /* a zip with members: findings, none, unreadable, a password in its name,
                    unknown; its own name is not UTF-8 and holds a password */
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->ctx = tst_ctx_default();
    f->dir = tst_tmpdir();
    const fx_part parts[] = {
        {.name = "nettverk.txt", .data = NETWORK},
        {.name = "brev.txt", .data = LETTER},
        {.name = "tegning.pdf", .data = "%PDF-1.7\nnot really\n"},
        {.name = "config/passord=Sommer2024!.txt", .data = LETTER},
        {.name = "data.bin", .data = BINARY, .len = sizeof BINARY - 1},
    };
    char *path = fx_zip_write(f->dir, "pakke\xE6 pw_Vinter#22.zip", parts, 5);
    assert_int_equal(ts_scan_file(&f->doc, f->ctx, path), TS_OK);
    free(path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ts_doc_free(f->doc);
    ts_ctx_free(f->ctx);
    tst_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static char *dump(const ts_doc *doc)
{
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_doc_dump(doc, o), TS_OK);
    size_t len = 0;
    char *s = strdup(ts_out_memory(o, &len));
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    ts_out_free(o);
    return s;
}

static char *report(const ts_doc *doc, const char *format, ts_lang lang, int show)
{
    ts_out *o = NULL;
    ts_report *r = NULL;
    ts_report_opts ro = {.lang = lang, .show_secrets = show};
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_report_new(&r, format, o, &ro), TS_OK);
    assert_int_equal(ts_report_document(r, doc), TS_OK);
    assert_int_equal(ts_report_end(r), TS_OK);
    char *s = strdup(ts_out_memory(o, NULL));
    assert_non_null(s);
    ts_report_free(r);
    ts_out_free(o);
    return s;
}

/*
 * Every report (each format, both languages, masked and not) of the document read back is the
 * report of the document scanned, byte for byte: grade, score, reasons, errors, findings with
 * their context and fingerprints, children.
 */
static void test_read_back_reports_as_the_scanned_document(void **state)
{
    fx *f = *state;
    /* the fixture holds what the comparison is about */
    assert_int_equal(ts_doc_child_count(f->doc), 5);
    assert_int_equal(ts_doc_grade(ts_doc_child_at(f->doc, 0)), TS_GRADE_BLOCK);
    assert_int_equal(ts_doc_grade(ts_doc_child_at(f->doc, 1)), TS_GRADE_OK);
    assert_int_equal(ts_doc_grade(ts_doc_child_at(f->doc, 2)), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_grade(ts_doc_child_at(f->doc, 4)), TS_GRADE_ERROR);
    assert_non_null(strstr(ts_doc_error_text(ts_doc_child_at(f->doc, 4), TS_LANG_NB),
                           "bare de lesbare tegnstrengene"));

    char *line = dump(f->doc);
    assert_non_null(strchr(line, '\n'));
    assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1); /* one line */
    assert_non_null(strstr(line, "Sommer2024!"));                  /* unmasked */
    ts_doc *back = NULL;
    assert_int_equal(ts_doc_load(&back, f->ctx, line, strlen(line)), TS_OK);
    assert_non_null(back);

    static const char *const formats[] = {"json", "jsonl", "text", "csv", "sarif", "html"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        for (int lang = 0; lang < 2; lang++)
            for (int show = 0; show < 2; show++) {
                char *a = report(f->doc, formats[i], (ts_lang)lang, show);
                char *b = report(back, formats[i], (ts_lang)lang, show);
                if (strcmp(a, b) != 0)
                    fail_msg("%s report (lang %d, show %d) differs after read-back", formats[i],
                             lang, show);
                free(a);
                free(b);
            }
    assert_int_equal(ts_doc_error_status(ts_doc_child_at(back, 2)), TS_ECORRUPT);
    /* the path comes back as its bytes (not U+FFFD), its secret parts still known */
    assert_string_equal(ts_doc_path(back), ts_doc_path(f->doc));
    assert_string_equal(ts_doc_path(ts_doc_child_at(back, 3)),
                        ts_doc_path(ts_doc_child_at(f->doc, 3)));
    char shown[512];
    ts_doc_path_shown(ts_doc_child_at(back, 3), 0, shown, sizeof shown);
    assert_non_null(strstr(shown, "pakke\\xE6 pw_Vi*****22~"));
    assert_non_null(strstr(shown, ".zip!config/passord=So*******4!~"));
    assert_string_equal(ts_doc_error_text(ts_doc_child_at(back, 4), TS_LANG_NB),
                        ts_doc_error_text(ts_doc_child_at(f->doc, 4), TS_LANG_NB));
    char *again = dump(back);
    assert_string_equal(again, line);
    free(again);
    ts_doc_free(back);
    free(line);
}

static void expect_corrupt(const ts_ctx *ctx, const char *text)
{
    ts_doc *doc = (ts_doc *)1;
    assert_int_equal(ts_doc_load(&doc, ctx, text, strlen(text)), TS_ECORRUPT);
    assert_null(doc);
}

/* Anything but a whole, consistent dump is refused: no half document is made up from it. */
static void test_damaged_lines_are_refused(void **state)
{
    fx *f = *state;
    char *line = dump(f->doc);
    expect_corrupt(f->ctx, "");
    expect_corrupt(f->ctx, "{}");
    expect_corrupt(f->ctx, "[1,2]");
    char *half = strndup(line, strlen(line) / 2);
    expect_corrupt(f->ctx, half);
    free(half);
    const char *const edits[][2] = {
        {"\"network.ipv4-subnet\"", "\"network.no-such-rule\""}, /* a rule this side lacks */
        {"\"e\":0", "\"e\":-99"},                                /* no such status */
        {"\"e\":0", "\"e\":1"},
        {"\"d\":0", "\"d\":-1"},
        {"\"p\":\"", "\"p\":7,\"q\":\""},
        {"\"F\":[", "\"F\":[[\"network.ipv4-subnet\"],"}, /* a finding without its fields */
        {"\"c\":[", "\"c\":[{},"},                        /* a child that is not a document */
    };
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        char *bad = tst_replace(line, edits[i][0], edits[i][1]);
        expect_corrupt(f->ctx, bad);
        free(bad);
    }
    /* a severity and a place out of range */
    const char *fnd = strstr(line, "[\"network.ipv4-subnet\",");
    assert_non_null(fnd);
    int sev = fnd[strlen("[\"network.ipv4-subnet\",")] - '0';
    assert_true(sev >= 0 && sev <= 4);
    char from[64], to[64];
    snprintf(from, sizeof from, "[\"network.ipv4-subnet\",%d,", sev);
    snprintf(to, sizeof to, "[\"network.ipv4-subnet\",%d,", 9);
    char *bad = tst_replace(line, from, to);
    expect_corrupt(f->ctx, bad);
    free(bad);
    free(line);

    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_load(&doc, NULL, "{}", 2), TS_EINVAL);
    assert_int_equal(ts_doc_load(NULL, f->ctx, "{}", 2), TS_EINVAL);
    assert_int_equal(ts_doc_dump(NULL, NULL), TS_EINVAL);
}

/*
 * A failure told in both languages (an old Word file: what to do, in nb and en) is read back in
 * both, as a worker hands it over; a line without the Norwegian detail (an older state file)
 * still loads, with the English one in both.
 */
static void test_failure_details_come_back_in_both_languages(void **state)
{
    fx *f = *state;
    unsigned char word2[64] = {0xDB, 0xA5, 0x2D, 0x00};
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, f->ctx, "gammel.doc", word2, sizeof word2), TS_OK);
    const char *nb = ts_doc_error_text(doc, TS_LANG_NB);
    assert_non_null(strstr(nb, "lagre det som .docx"));
    char *line = dump(doc);
    ts_doc *back = NULL;
    assert_int_equal(ts_doc_load(&back, f->ctx, line, strlen(line)), TS_OK);
    assert_string_equal(ts_doc_error_text(back, TS_LANG_NB), nb);
    assert_string_equal(ts_doc_error_text(back, TS_LANG_EN), ts_doc_error_text(doc, TS_LANG_EN));
    ts_doc_free(back);
    char *from = strstr(line, ",\"N\":\"");
    assert_non_null(from);
    char *end = strchr(from + 6, '"');
    assert_non_null(end);
    memmove(from, end + 1, strlen(end + 1) + 1);
    assert_int_equal(ts_doc_load(&back, f->ctx, line, strlen(line)), TS_OK);
    assert_non_null(strstr(ts_doc_error_text(back, TS_LANG_NB), "save it as .docx"));
    ts_doc_free(back);
    free(line);
    ts_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_back_reports_as_the_scanned_document),
        cmocka_unit_test(test_damaged_lines_are_refused),
        cmocka_unit_test(test_failure_details_come_back_in_both_languages),
    };
    return cmocka_run_group_tests_name("report_wire", tests, setup, teardown);
}

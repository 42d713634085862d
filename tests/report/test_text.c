/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the text reporter: golden output, language, colour, masking, escape stripping. */
#include "support/ts_golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "report/report.h"

static const char MIXED[] = "Kjernesvitsj har adresse 10.20.1.1/24\npassord: Sommer2024!\n";
static const char CLEAN[] = "Tilbudet leveres innen fristen.\n";
static const char SECRET[] = "Sommer2024!";
static const char MASKED[] = "So*******4!";

struct fx {
    ts_ctx *ctx;
    ts_doc *docs[3];
    size_t ndocs;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->ctx = tst_ctx_default();
    assert_int_equal(
        ts_scan_buffer(&fx->docs[0], fx->ctx, "pakke/nettverk.txt", MIXED, strlen(MIXED)), TS_OK);
    /* a name that is not UTF-8 (shown escaped), and a file that could not be read whose name
     * holds a password (scanned all the same, shown masked) */
    assert_int_equal(
        ts_scan_buffer(&fx->docs[1], fx->ctx, "pakke/brev\xE6.txt", CLEAN, strlen(CLEAN)), TS_OK);
    assert_int_equal(ts_scan_unread(&fx->docs[2], fx->ctx, "pakke/mangler passord=Vinter2024!.pdf",
                                    TS_EIO, "No such file or directory"),
                     TS_OK);
    fx->ndocs = 3;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    for (size_t i = 0; i < fx->ndocs; i++)
        ts_doc_free(fx->docs[i]);
    ts_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

/* Display width of the longest line (UTF-8 characters). */
static size_t widest_line(const char *s)
{
    size_t best = 0, w = 0;
    for (; *s; s++) {
        if (*s == '\n') {
            w = 0;
            continue;
        }
        if (((unsigned char)*s & 0xC0) != 0x80 && ++w > best)
            best = w;
    }
    return best;
}

static size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_text_report_matches_golden_in_english(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    size_t len = 0;
    char *out = tst_render("text", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("mixed.txt", out, len);
    free(out);
}

static void test_text_report_matches_golden_in_norwegian(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    size_t len = 0;
    char *out = tst_render("text", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("mixed_nb.txt", out, len);
    free(out);
}

static void test_text_report_matches_golden_in_colour(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN, .color = 1};
    size_t len = 0;
    char *out = tst_render("text", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("mixed_color.txt", out, len);
    free(out);
}

static void test_text_norwegian_uses_norwegian_words(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    char *out = tst_render("text", &opts, fx->docs, fx->ndocs, NULL);
    assert_int_equal(ts_doc_grade(fx->docs[0]), TS_GRADE_BLOCK);
    assert_non_null(strstr(out, "[STOPP]"));
    assert_non_null(strstr(out, "hvorfor: "));
    assert_non_null(strstr(out, "Oppsummering: 3 dokumenter"));
    assert_null(strstr(out, "BLOCK"));
    assert_null(strstr(out, "why: "));
    free(out);
}

static void test_text_colour_codes_only_when_asked(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *plain = tst_render("text", &opts, fx->docs, fx->ndocs, NULL);
    assert_null(strchr(plain, '\x1b'));
    assert_non_null(strstr(plain, "■ [BLOCK]  pakke/nettverk.txt"));
    opts.color = 1;
    char *colour = tst_render("text", &opts, fx->docs, fx->ndocs, NULL);
    assert_non_null(strstr(colour, "\x1b[1;31m■ BLOCK\x1b[0m  pakke/nettverk.txt"));
    assert_non_null(strstr(colour, "\x1b[1;32m■ OK\x1b[0m"));
    assert_non_null(strstr(colour, "\x1b[1;35m■ ERROR\x1b[0m"));
    free(plain);
    free(colour);
}

static void test_text_strips_escape_sequences_from_document_text(void **state)
{
    struct fx *fx = *state;
    static const char name[] = "evil\x1b[31m\x1b]0;owned\x07\xc2\x9b"
                               "2J\xe2\x80\xae.txt";
    static const char text[] = "Kjernesvitsj \x1b[31m10.20.1.1 \x1b[0m\npassord: Sommer2024!\n";
    ts_doc *docs[2] = {NULL, NULL};
    assert_int_equal(ts_scan_buffer(&docs[0], fx->ctx, name, text, strlen(text)), TS_OK);
    /* a finding whose own strings carry escapes, as an extractor could hand them over */
    assert_int_equal(ts_doc_create(&docs[1], fx->ctx, "b.docx", 0, NULL), TS_OK);
    const ts_rule *rule = ts_ctx_rule_find(fx->ctx, "network.ipv4-private");
    assert_non_null(rule);
    ts_loc loc = {.where = TS_WHERE_COMMENT, .part = "x\x1b[2Jy"};
    static const char value[] = "10.9.\x1b[8m9.9", before[] = "a\x1b[1mb ", after[] = " \x1b[5mc";
    assert_int_equal(ts_doc_add_finding(docs[1], rule, TS_SEV_HIGH, &loc, value, strlen(value),
                                        before, strlen(before), after, strlen(after),
                                        "by \x1b[31mola", 0),
                     TS_OK);
    docs[1]->grade = TS_GRADE_BLOCK; /* ungraded on purpose: the block must be printed in full */
    for (int colour = 0; colour < 2; colour++) {
        ts_report_opts opts = {.lang = TS_LANG_EN, .color = colour};
        char *out = tst_render("text", &opts, docs, 2, NULL);
        assert_null(strstr(out, "\x1b[31m"));
        assert_null(strstr(out, "\x1b[2J"));
        assert_null(strstr(out, "\x1b[8m"));
        assert_null(strstr(out, "\x1b]"));
        assert_null(strchr(out, '\x07'));
        assert_null(strstr(out, "\xc2\x9b"));
        assert_null(strstr(out, "\xe2\x80\xae"));
        if (!colour) {
            assert_null(strchr(out, '\x1b'));
        } else {
            /* every ESC left is one of ours: a grade colour or a reset */
            for (const char *p = strchr(out, '\x1b'); p != NULL; p = strchr(p + 1, '\x1b'))
                assert_true(strncmp(p, "\x1b[0m", 4) == 0 || strncmp(p, "\x1b[1;3", 5) == 0);
        }
        assert_non_null(strstr(out, "10.9.\xEF\xBF\xBD[8m9.9"));
        free(out);
    }
    ts_doc_free(docs[0]);
    ts_doc_free(docs[1]);
}

static void test_text_credential_is_masked_unless_show_secrets(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("text", &opts, fx->docs, 1, NULL);
    assert_null(strstr(out, SECRET));
    assert_int_equal(count_of(out, MASKED), 2); /* the finding line and its context */
    free(out);
    opts.show_secrets = 1;
    out = tst_render("text", &opts, fx->docs, 1, NULL);
    assert_null(strstr(out, MASKED));
    assert_int_equal(count_of(out, SECRET), 2);
    free(out);
}

static void test_text_secret_next_to_another_finding_is_masked_in_its_context(void **state)
{
    struct fx *fx = *state;
    static const char text[] = "Server 10.20.1.1 passord: Sommer2024! (bytt)\n";
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, fx->ctx, "linje.txt", text, strlen(text)), TS_OK);
    assert_true(ts_doc_finding_count(doc) >= 2);
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("text", &opts, &doc, 1, NULL);
    assert_null(strstr(out, SECRET));
    assert_true(count_of(out, MASKED) >= 3); /* the finding, its context, the address's context */
    free(out);
    ts_doc_free(doc);
}

static void test_text_summary_counts_every_grade(void **state)
{
    struct fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("text", &opts, fx->docs, fx->ndocs, NULL);
    size_t findings = 0, n[4] = {0};
    for (size_t i = 0; i < fx->ndocs; i++) {
        findings += ts_doc_finding_count(fx->docs[i]);
        n[ts_doc_grade(fx->docs[i])]++;
    }
    char want[256];
    snprintf(want, sizeof want,
             "\nSummary: 3 documents — %zu block, %zu review, %zu ok, %zu error; %zu findings\n",
             n[TS_GRADE_BLOCK], n[TS_GRADE_REVIEW], n[TS_GRADE_OK], n[TS_GRADE_ERROR], findings);
    assert_non_null(strstr(out, want));
    /* the worst grade seen is error: its hint closes the report */
    assert_non_null(strstr(out, "Could not be read completely"));
    free(out);
}

static void test_text_zero_documents_prints_only_the_summary(void **state)
{
    (void)state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("text", &opts, NULL, 0, NULL);
    assert_string_equal(out,
                        "Summary: 0 documents — 0 block, 0 review, 0 ok, 0 error; 0 findings\n");
    free(out);
}

static void test_text_long_line_context_is_cut_to_the_width(void **state)
{
    struct fx *fx = *state;
    char text[1200];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "ord%02d ", i);
    n += (size_t)snprintf(text + n, sizeof text - n, "adresse 10.20.1.1 ");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "mer%02d ", i);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, fx->ctx, "lang.txt", text, n), TS_OK);
    assert_true(ts_doc_finding_count(doc) > 0);
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("text", &opts, &doc, 1, NULL);
    assert_true(widest_line(out) <= 104);
    assert_non_null(strstr(out, "adresse 10.20.1.1 mer00"));
    free(out);
    ts_doc_free(doc);
}

static void test_text_lists_ten_findings_per_rule_and_advice_once(void **state)
{
    struct fx *fx = *state;
    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_create(&doc, fx->ctx, "plan.xlsx", 0, NULL), TS_OK);
    const ts_rule *rule = ts_ctx_rule_find(fx->ctx, "network.ipv4-private");
    assert_non_null(rule);
    for (unsigned i = 0; i < 15; i++) {
        char ip[32];
        int k = snprintf(ip, sizeof ip, "10.0.0.%u", i + 1);
        ts_loc loc = {.where = TS_WHERE_CELL, .page = 1, .line = i + 1};
        assert_int_equal(ts_doc_add_finding(doc, rule, TS_SEV_MEDIUM, &loc, ip, (size_t)k, NULL, 0,
                                            NULL, 0, NULL, i),
                         TS_OK);
    }
    doc->grade = TS_GRADE_REVIEW;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("text", &opts, &doc, 1, NULL);
    assert_non_null(strstr(out, "10.0.0.10  [where: cell, page 1, line 10]"));
    assert_null(strstr(out, "10.0.0.11"));
    assert_non_null(strstr(out, "    … 5 more\n"));
    assert_int_equal(count_of(out, "→ "), 1);
    assert_int_equal(count_of(out, "\n    - "), 10);
    free(out);
    ts_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_report_matches_golden_in_english, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_text_report_matches_golden_in_norwegian, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_text_report_matches_golden_in_colour, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_norwegian_uses_norwegian_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_colour_codes_only_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_strips_escape_sequences_from_document_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_text_credential_is_masked_unless_show_secrets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_text_secret_next_to_another_finding_is_masked_in_its_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_summary_counts_every_grade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_zero_documents_prints_only_the_summary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_text_long_line_context_is_cut_to_the_width, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_text_lists_ten_findings_per_rule_and_advice_once,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("report_text", tests, NULL, NULL);
}

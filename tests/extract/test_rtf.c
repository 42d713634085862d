/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the RTF extractor: text, \info, hidden text, revisions, annotations, objects. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static ts_doc *scan_rtf(void **state, const char *rtf)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, *state, "t.rtf", rtf, strlen(rtf)), TS_OK);
    assert_non_null(doc);
    assert_string_equal(ts_doc_format(doc), "rtf");
    return doc;
}

#define HEAD "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}"

static void test_rtf_body_text_has_paragraph_numbers(void **state)
{
    ts_doc *doc = scan_rtf(state, HEAD "\\pard Innledning\\par\nKjernesvitsj har adresse "
                                       "10.20.1.1\\par}");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(ip), 2);
    ts_doc_free(doc);
}

static void test_rtf_deleted_revision_with_password_blocks(void **state)
{
    ts_doc *doc = scan_rtf(state, HEAD "{\\*\\revtbl {Unknown;}{olanor;}}\\pard Brukernavn "
                                       "admin, passord: {\\deleted\\revauthdel1 Vinter2024!Sikker}"
                                       "\\par}");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_TRACKED_DELETION);
    const ts_finding *tc = tst_find(doc, "hidden.tracked-change");
    assert_non_null(tc);
    assert_string_equal(ts_finding_value(tc), "olanor");
    ts_doc_free(doc);
}

static void test_rtf_v_is_hidden_text(void **state)
{
    ts_doc *doc = scan_rtf(state, HEAD "\\pard Synlig {\\v Kjernesvitsj har adresse 10.20.1.1}"
                                       " og {\\v\\v0 synlig igjen}\\par}");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_TEXT);
    assert_non_null(tst_find(doc, "hidden.hidden-text"));
    ts_doc_free(doc);
}

static void test_rtf_annotation_is_comment_and_unicode_is_decoded(void **state)
{
    ts_doc *doc = scan_rtf(state, HEAD "\\pard Tekst{\\*\\atnid ON}{\\*\\atnauthor olanor}"
                                       "\\chatn{\\*\\annotation\\pard Leverand\\u248?ren kobler "
                                       "seg til vpn.fjordvik.no}\\par}");
    const ts_finding *ra = tst_find(doc, "firewall.remote-access");
    assert_non_null(ra);
    assert_int_equal(ts_finding_where(ra), TS_WHERE_COMMENT);
    assert_non_null(strstr(ts_finding_context_before(ra), "Leverandøren"));
    const ts_finding *c = tst_find(doc, "hidden.comment");
    assert_non_null(c);
    assert_string_equal(ts_finding_value(c), "olanor");
    ts_doc_free(doc);
}

static void test_rtf_info_operator_login_is_last_modified_by(void **state)
{
    ts_doc *doc = scan_rtf(state, HEAD "{\\info{\\author Kari Nordmann}{\\operator olanor}"
                                       "{\\creatim\\yr2024\\mo1\\dy2}}\\pard Innledning\\par}");
    assert_non_null(tst_find(doc, "metadata.author"));
    const ts_finding *lm = tst_find(doc, "metadata.last-modified-by");
    assert_non_null(lm);
    assert_string_equal(ts_finding_value(lm), "olanor");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_rtf_embedded_package_is_a_child(void **state)
{
    /* an OLE1 "Package" object holding notat.txt with an internal address */
    static const char file[] = "Kjernesvitsj har adresse 10.20.1.1\n";
    unsigned char obj[512];
    size_t n = 0;
    const unsigned char head[] = {1, 5, 0, 0, 2, 0, 0, 0};
    memcpy(obj, head, 8);
    n = 8;
    const char *strs[] = {"Package", "", ""};
    for (int k = 0; k < 3; k++) {
        uint32_t l = (uint32_t)strlen(strs[k]) + 1;
        memcpy(obj + n, &l, 4);
        n += 4;
        memcpy(obj + n, strs[k], l);
        n += l;
    }
    unsigned char pkg[256];
    size_t p = 0;
    pkg[p++] = 2;
    pkg[p++] = 0;
    memcpy(pkg + p, "notat.txt", 10);
    p += 10;
    memcpy(pkg + p, "C:\\notat.txt", 13);
    p += 13;
    /* 00 00 03 00: an embedded file follows (01 00 would be a link) */
    pkg[p++] = 0;
    pkg[p++] = 0;
    pkg[p++] = 3;
    pkg[p++] = 0;
    uint32_t tl = 13;
    memcpy(pkg + p, &tl, 4);
    p += 4;
    memcpy(pkg + p, "C:\\notat.txt", 13);
    p += 13;
    uint32_t fl = (uint32_t)(sizeof file - 1);
    memcpy(pkg + p, &fl, 4);
    p += 4;
    memcpy(pkg + p, file, sizeof file - 1);
    p += sizeof file - 1;
    uint32_t pl = (uint32_t)p;
    memcpy(obj + n, &pl, 4);
    n += 4;
    memcpy(obj + n, pkg, p);
    n += p;
    char rtf[4096];
    size_t r = (size_t)snprintf(rtf, sizeof rtf,
                                HEAD "\\pard Vedlegg: {\\object\\objemb"
                                     "{\\*\\objclass Package}{\\*\\objdata ");
    for (size_t i = 0; i < n; i++)
        r += (size_t)snprintf(rtf + r, sizeof rtf - r, "%02x", obj[i]);
    snprintf(rtf + r, sizeof rtf - r, "}}\\par}");
    ts_doc *doc = scan_rtf(state, rtf);
    assert_non_null(tst_find(doc, "hidden.embedded-file"));
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    assert_non_null(strstr(ts_doc_path(c), "!notat.txt"));
    assert_non_null(tst_find(c, "network.ipv4-private"));
    ts_doc_free(doc);
}

static void test_rtf_deep_nesting_is_error_not_a_crash(void **state)
{
    size_t n = 200000;
    char *rtf = malloc(n + 16);
    assert_non_null(rtf);
    memcpy(rtf, "{\\rtf1 ", 7);
    memset(rtf + 7, '{', n);
    rtf[n + 7] = '\0';
    ts_doc *doc = scan_rtf(state, rtf);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(rtf);
}

/* \ansicpg1251: the bytes of \'xx are Cyrillic, not Windows-1252 ("Сервер", not "Ñåðâåð"). */
static void test_rtf_code_page_of_the_document_decodes_its_bytes(void **state)
{
    ts_doc *doc = scan_rtf(state, "{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Arial;}}"
                                  "\\pard \\'d1\\'e5\\'f0\\'e2\\'e5\\'f0 10.20.1.1\\par}");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_non_null(strstr(ts_finding_context_before(ip), "Сервер"));
    ts_doc_free(doc);
}

/* ---- tables: each cell reaches detection with its column header and row label ---------------- */

#define ROW(cells) "\\trowd\\cellx3000\\cellx6000\\cellx9000\\pard\\intbl " cells "\\row "

/* An RTF scanned with only the table test rules (TST_HEADER_RULES); the caller frees *ctx. */
static ts_doc *scan_rtf_rules(ts_ctx **ctx, const char *rtf)
{
    *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, *ctx, "t.rtf", rtf, strlen(rtf)), TS_OK);
    assert_non_null(doc);
    return doc;
}

static void test_rtf_table_cell_under_password_header_is_judged_by_it(void **state)
{
    (void)state;
    ts_ctx *ctx;
    ts_doc *doc = scan_rtf_rules(
        &ctx, HEAD "\\pard Tilganger\\par " ROW("Bruker\\cell Passord\\cell")
                  ROW("Kari Nordmann\\cell "
                      "Fjord2024\\cell") ROW("Ola\\cell Vinter25\\cell") "\\pard Slutt\\par}");
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    const ts_finding *pw = tst_find(doc, "credential.test-header-pw");
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(pw), 3); /* the row's paragraph number */
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_rtf_row_defined_after_its_cells_labels_a_value_by_its_row(void **state)
{
    (void)state;
    ts_ctx *ctx;
    /* Word 2000 and later: the cells first, then {\trowd … \row} */
    ts_doc *doc = scan_rtf_rules(
        &ctx, HEAD "\\pard\\intbl\\itap1 {Server\\cell}{srv-fil01\\cell}\\pard\\intbl{\\trowd"
                   "\\cellx3000\\cellx6000\\row}\\pard\\intbl\\itap1 {Passord\\cell}{Fjord2024"
                   "\\cell}\\pard\\intbl{\\trowd\\cellx3000\\cellx6000\\row}\\pard Slutt\\par}");
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_rtf_merged_cell_keeps_later_cells_under_their_header(void **state)
{
    (void)state;
    ts_ctx *ctx;
    /* "Kari Nordmann" is one cell as wide as Bruker and Rolle (\cellx6000) */
    ts_doc *doc = scan_rtf_rules(
        &ctx, HEAD "\\trowd\\trleft0\\cellx3000\\cellx6000\\cellx9000\\cellx12000\\pard\\intbl "
                   "Bruker\\cell Rolle\\cell Passord\\cell Merknad\\cell\\row "
                   "\\trowd\\trleft0\\cellx6000\\cellx9000\\cellx12000\\pard\\intbl Kari "
                   "Nordmann\\cell Fjord2024\\cell Ok\\cell\\row "
                   "\\trowd\\trleft0\\cellx3000\\cellx6000\\cellx9000\\cellx12000\\pard\\intbl "
                   "Ola\\cell Drift\\cell Vinter25\\cell Byttes\\cell\\row \\pard Slutt\\par}");
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_rtf_cell_paragraphs_stay_on_the_cell_line(void **state)
{
    (void)state;
    ts_ctx *ctx;
    ts_doc *doc = scan_rtf_rules(
        &ctx, HEAD ROW("Bruker\\cell Passord\\cell")
                  ROW("Kari Nordmann\\cell Fjord2024\\par Vinter25\\cell") "\\pard Slutt\\par}");
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    tst_expect_values(doc, "credential.test-header-pw", "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_rtf_nested_table_is_flattened_into_its_cell(void **state)
{
    (void)state;
    ts_ctx *ctx;
    ts_doc *doc = scan_rtf_rules(
        &ctx,
        HEAD ROW(
            "Bruker\\cell Passord\\cell") "\\trowd\\cellx3000\\cellx6000\\pard\\intbl "
                                          "Kari Nordmann\\cell\\pard\\intbl\\itap2 "
                                          "Fjord2024\\nestcell{\\*\\nesttableprops"
                                          "\\trowd\\cellx1000\\nestrow}{\\*"
                                          "\\nonesttables\\par}\\pard\\intbl\\itap1"
                                          "\\cell\\row " ROW(
                                              "Ola\\cell Vinter25\\cell") "\\pard Slutt\\par}");
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_rtf_private_address_in_a_table_cell_is_still_found(void **state)
{
    ts_doc *doc =
        scan_rtf(state, HEAD "\\pard Adresseplan\\par " ROW("Enhet\\cell IP-adresse\\cell")
                            ROW("Kjernesvitsj\\cell 10.20.1.1\\cell") "\\pard Slutt\\par}");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(ip), 3);
    ts_doc_free(doc);
}

static void test_rtf_clean_document_is_ok(void **state)
{
    ts_doc *doc = scan_rtf(state, HEAD "{\\info{\\author Kari Nordmann}}\\pard Fjordvik kommune "
                                       "inviterer til anbudskonkurranse om kj\\'f8p av "
                                       "svitsjer.\\par Tilbud leveres innen fristen.\\par}");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_rtf_body_text_has_paragraph_numbers),
        T(test_rtf_deleted_revision_with_password_blocks),
        T(test_rtf_v_is_hidden_text),
        T(test_rtf_annotation_is_comment_and_unicode_is_decoded),
        T(test_rtf_info_operator_login_is_last_modified_by),
        T(test_rtf_embedded_package_is_a_child),
        T(test_rtf_deep_nesting_is_error_not_a_crash),
        T(test_rtf_table_cell_under_password_header_is_judged_by_it),
        T(test_rtf_row_defined_after_its_cells_labels_a_value_by_its_row),
        T(test_rtf_merged_cell_keeps_later_cells_under_their_header),
        T(test_rtf_cell_paragraphs_stay_on_the_cell_line),
        T(test_rtf_nested_table_is_flattened_into_its_cell),
        T(test_rtf_private_address_in_a_table_cell_is_still_found),
        T(test_rtf_clean_document_is_ok),
        T(test_rtf_code_page_of_the_document_decodes_its_bytes),
    };
    return cmocka_run_group_tests_name("extract_rtf", tests, NULL, NULL);
}

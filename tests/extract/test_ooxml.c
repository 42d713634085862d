/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the Office Open XML extractor: every hiding place of DOCX, XLSX and PPTX. */
#include "support/ts_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract/office.h"
#include "support/fx_zip.h"

#define CT_WORD "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define CT_SHEET "application/vnd.openxmlformats-officedocument.spreadsheetml."
#define CT_PRES "application/vnd.openxmlformats-officedocument.presentationml."
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define S_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define P_NS "http://schemas.openxmlformats.org/presentationml/2006/main"
#define A_NS "http://schemas.openxmlformats.org/drawingml/2006/main"
#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

typedef fx_env fixture;

#define setup fx_env_setup
#define teardown fx_env_teardown
#define scan fx_scan

/* The first finding of a category at a place, or NULL. */
static const ts_finding *find_at(const ts_doc *doc, ts_category cat, ts_where where)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *g = ts_doc_finding_at(doc, i);
        if (ts_finding_category(g) == cat && ts_finding_where(g) == where)
            return g;
    }
    return NULL;
}

static ts_doc *scan_docx(const fixture *f, const char *body, const fx_part *extra, size_t n)
{
    char *main = fx_docx_main(body);
    char *path = fx_ooxml_write(f->dir, "t.docx", FX_DOCX, main, "Kari Nordmann", extra, n);
    ts_doc *doc = scan(f, path);
    free(main);
    free(path);
    return doc;
}

#define P(text) "<w:p><w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>"

/* ---- DOCX ---------------------------------------------------------------------------------- */

static void test_docx_password_only_in_tracked_deletion_blocks(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_docx(f,
                  P("Konkurransegrunnlag for nytt nettverk.") "<w:p><w:r><w:t "
                                                              "xml:space=\"preserve\">Brukernavn "
                                                              "admin, passord: </w:t>"
                                                              "</w:r><w:del w:id=\"1\" "
                                                              "w:author=\"olanor\"><w:r>"
                                                              "<w:delText>Vinter2024!Sikker</"
                                                              "w:delText></w:r></w:del>"
                                                              "<w:r><w:t xml:space=\"preserve\"> "
                                                              "(sendes separat)</w:t></w:r></w:p>",
                  NULL, 0);
    assert_string_equal(ts_doc_format(doc), "docx");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *pw = find_at(doc, TS_CAT_CREDENTIAL, TS_WHERE_TRACKED_DELETION);
    assert_non_null(pw);
    assert_string_equal(ts_finding_value(pw), "Vinter2024!Sikker");
    assert_string_equal(ts_finding_part(pw), "word/document.xml");
    assert_int_equal(ts_finding_line(pw), 2); /* the second paragraph */
    assert_non_null(strstr(ts_finding_context_before(pw), "passord"));
    const ts_finding *tc = tst_find(doc, "hidden.tracked-change");
    assert_non_null(tc);
    assert_string_equal(ts_finding_value(tc), "olanor");
    /* the body text is reported once, as body, not again as deleted text */
    assert_int_equal(tst_count(doc, "credential.password"), 1);
    ts_doc_free(doc);
}

static void test_docx_deleted_text_is_not_body_and_inserted_text_is_insertion(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_docx(f,
                            "<w:p><w:r><w:t xml:space=\"preserve\">Kjernesvitsj har adresse </w:t>"
                            "</w:r><w:ins w:id=\"2\" w:author=\"Kari Nordmann\"><w:r>"
                            "<w:t>10.20.1.1</w:t></w:r></w:ins></w:p>",
                            NULL, 0);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_TRACKED_INSERTION);
    assert_int_equal(ts_finding_line(ip), 1);
    assert_non_null(tst_find(doc, "hidden.tracked-change"));
    ts_doc_free(doc);
}

/* Issue 12: a department as author ("Plan-og-bygg") is no login, and a default author name
 * ("Windows-bruker", "anonymous") is no finding at all; logins stay logins. */
static void test_department_and_default_authors_are_not_logins(void **state)
{
    fixture *f = *state;
    assert_false(ts_office_is_login("Plan-og-bygg"));
    assert_false(ts_office_is_login("IT-avdelingen"));
    assert_true(ts_office_is_login("olanor"));
    assert_true(ts_office_is_login("ola.nordmann"));
    assert_true(ts_office_is_login("on1234"));
    static const char *const authors[] = {"Plan-og-bygg", "Windows-bruker", "anonymous"};
    for (size_t i = 0; i < sizeof authors / sizeof authors[0]; i++) {
        char *main = fx_docx_main(P("Konkurransegrunnlag."));
        char *path = fx_ooxml_write(f->dir, "a.docx", FX_DOCX, main, authors[i], NULL, 0);
        ts_doc *doc = scan(f, path);
        for (size_t k = 0; k < ts_doc_finding_count(doc); k++)
            assert_true(ts_finding_severity(ts_doc_finding_at(doc, k)) <= TS_SEV_LOW);
        assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
        ts_doc_free(doc);
        free(main);
        free(path);
    }
}

/* Issue 12, class 10: a tracked insertion is a hiding place of its own, beside the deletions of
 * the same author. */
static void test_docx_insertions_and_deletions_are_hidden_findings_of_their_own(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_docx(f,
                            "<w:p><w:ins w:id=\"1\" w:author=\"olanor\"><w:r><w:t>Ny tekst"
                            "</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"olanor\"><w:r>"
                            "<w:delText>gammel tekst</w:delText></w:r></w:del></w:p>",
                            NULL, 0);
    assert_int_equal(tst_count(doc, "hidden.tracked-change"), 2);
    bool ins = false, del = false;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *x = ts_doc_finding_at(doc, i);
        if (strcmp(ts_rule_id(ts_finding_rule(x)), "hidden.tracked-change") != 0)
            continue;
        if (ts_finding_where(x) == TS_WHERE_TRACKED_INSERTION) {
            ins = true;
            assert_string_equal(ts_finding_detail(x), "1 insertion by olanor");
        } else if (ts_finding_where(x) == TS_WHERE_TRACKED_DELETION) {
            del = true;
            assert_string_equal(ts_finding_detail(x), "1 deletion by olanor");
        }
    }
    assert_true(ins && del);
    ts_doc_free(doc);
}

static void test_docx_comment_text_is_scanned_with_its_author(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {{.name = "word/comments.xml",
                        .content_type = CT_WORD "comments+xml",
                        .rel_type = "comments",
                        .data = "<w:comments xmlns:w=\"" W_NS "\"><w:comment w:id=\"0\" "
                                "w:author=\"olanor\" w:initials=\"ON\"><w:p><w:r><w:t>"
                                "Kjernesvitsj har adresse 10.20.1.1</w:t></w:r></w:p>"
                                "</w:comment></w:comments>"}};
    ts_doc *doc = scan_docx(f, P("Tilbudet skal leveres elektronisk."), extra, 1);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_COMMENT);
    assert_string_equal(ts_finding_part(ip), "word/comments.xml");
    const ts_finding *c = tst_find(doc, "hidden.comment");
    assert_non_null(c);
    assert_string_equal(ts_finding_value(c), "olanor");
    assert_non_null(strstr(ts_finding_detail(c), "1 comment"));
    assert_non_null(tst_find(doc, "metadata.user-name")); /* olanor is a login */
    assert_true(ts_doc_grade(doc) >= TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_docx_vanish_run_is_hidden_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_docx(f,
                            "<w:p><w:r><w:t xml:space=\"preserve\">Leverandøren kobler seg til"
                            " </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>"
                            "vpn.fjordvik.no</w:t></w:r></w:p>",
                            NULL, 0);
    const ts_finding *h = tst_find(doc, "hidden.hidden-text");
    assert_non_null(h);
    assert_string_equal(ts_finding_value(h), "vpn.fjordvik.no");
    const ts_finding *ra = find_at(doc, TS_CAT_FIREWALL, TS_WHERE_HIDDEN_TEXT);
    assert_non_null(ra);
    ts_doc_free(doc);
}

static void test_docx_vanish_off_is_not_hidden(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_docx(f,
                            "<w:p><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>Synlig tekst"
                            "</w:t></w:r></w:p>",
                            NULL, 0);
    assert_null(tst_find(doc, "hidden.hidden-text"));
    ts_doc_free(doc);
}

/*
 * A paragraph style based on a hidden style hides its text too (Word shows neither); a style
 * that says <w:vanish w:val="0"/> does not, even when based on a hidden one.
 */
static void test_docx_style_based_on_a_hidden_style_hides_its_text(void **state)
{
    fixture *f = *state;
    fx_part styles[] = {{.name = "word/styles.xml",
                         .content_type = CT_WORD "styles+xml",
                         .rel_type = "styles",
                         .data = "<w:styles xmlns:w=\"" W_NS "\">"
                                 "<w:style w:type=\"paragraph\" w:styleId=\"Skjult\">"
                                 "<w:rPr><w:vanish/></w:rPr></w:style>"
                                 "<w:style w:type=\"paragraph\" w:styleId=\"SkjultNotat\">"
                                 "<w:basedOn w:val=\"Skjult\"/></w:style>"
                                 "<w:style w:type=\"paragraph\" w:styleId=\"Synlig\">"
                                 "<w:basedOn w:val=\"Skjult\"/><w:rPr><w:vanish w:val=\"0\"/>"
                                 "</w:rPr></w:style></w:styles>"}};
    ts_doc *doc = scan_docx(f,
                            "<w:p><w:pPr><w:pStyle w:val=\"SkjultNotat\"/></w:pPr><w:r><w:t>"
                            "Kjernesvitsj har adresse 10.20.1.1</w:t></w:r></w:p>"
                            "<w:p><w:pPr><w:pStyle w:val=\"Synlig\"/></w:pPr><w:r><w:t>"
                            "Ruteren har adresse 10.20.1.2</w:t></w:r></w:p>",
                            styles, 1);
    const ts_finding *hidden = NULL, *shown = NULL;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *g = ts_doc_finding_at(doc, i);
        if (strcmp(ts_finding_rule_id(g), "network.ipv4-private") != 0)
            continue;
        if (strcmp(ts_finding_value(g), "10.20.1.1") == 0)
            hidden = g;
        else if (strcmp(ts_finding_value(g), "10.20.1.2") == 0)
            shown = g;
    }
    assert_non_null(hidden);
    assert_int_equal(ts_finding_where(hidden), TS_WHERE_HIDDEN_TEXT);
    assert_non_null(shown);
    assert_int_equal(ts_finding_where(shown), TS_WHERE_BODY);
    ts_doc_free(doc);
}

static void test_docx_header_and_footer_text_say_where_they_are(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "word/header1.xml",
         .content_type = CT_WORD "header+xml",
         .rel_type = "header",
         .data = "<w:hdr xmlns:w=\"" W_NS "\">" P("Filer: \\\\srv-fil01\\Felles\\IT") "</w:hdr>"},
        {.name = "word/footer1.xml",
         .content_type = CT_WORD "footer+xml",
         .rel_type = "footer",
         .data = "<w:ftr xmlns:w=\"" W_NS "\">" P("Kjernesvitsj har adresse 10.20.1.1") "</w:ftr>"},
    };
    ts_doc *doc = scan_docx(f, P("Innledning"), extra, 2);
    const ts_finding *unc = tst_find(doc, "network.unc-path");
    assert_non_null(unc);
    assert_int_equal(ts_finding_where(unc), TS_WHERE_HEADER);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_FOOTER);
    assert_string_equal(ts_finding_part(ip), "word/footer1.xml");
    ts_doc_free(doc);
}

/* Issue 12, class 10: a FILENAME field in a footer prints the local path, user name and all. */
static void test_docx_filename_field_result_in_footer_is_a_local_path(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "word/footer1.xml",
         .content_type = CT_WORD "footer+xml",
         .rel_type = "footer",
         .data = "<w:ftr xmlns:w=\"" W_NS "\"><w:p><w:r><w:fldChar w:fldCharType=\"begin\"/>"
                 "</w:r><w:r><w:instrText xml:space=\"preserve\"> FILENAME \\p </w:instrText>"
                 "</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>"
                 "C:\\Users\\olanor\\Documents\\Anbud\\kravspek_v3.docx</w:t></w:r><w:r>"
                 "<w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>"},
    };
    ts_doc *doc = scan_docx(f, P("Innledning"), extra, 1);
    const ts_finding *path = tst_find(doc, "metadata.local-path");
    assert_non_null(path);
    assert_int_equal(ts_finding_where(path), TS_WHERE_FOOTER);
    assert_string_equal(ts_finding_value(path),
                        "C:\\Users\\olanor\\Documents\\Anbud\\kravspek_v3.docx");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_docx_template_under_user_folder_is_a_user_path(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "word/settings.xml",
         .content_type = CT_WORD "settings+xml",
         .rel_type = "settings",
         .data = "<w:settings xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\">"
                 "<w:attachedTemplate r:id=\"rId1\"/><w:rsids><w:rsidRoot w:val=\"00A1B2C3\"/>"
                 "</w:rsids></w:settings>"},
        {.name = "word/_rels/settings.xml.rels",
         .data = "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_BASE
                 "attachedTemplate\" Target=\"file:///C:\\Users\\olanor\\AppData\\Roaming\\"
                 "Microsoft\\Templates\\Anbud.dotx\" TargetMode=\"External\"/></Relationships>"},
    };
    ts_doc *doc = scan_docx(f, P("Innledning"), extra, 2);
    const ts_finding *up = tst_find(doc, "metadata.user-path");
    assert_non_null(up);
    assert_non_null(strstr(ts_finding_value(up), "C:\\Users\\olanor\\"));
    assert_non_null(tst_find(doc, "metadata.template-path"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_docx_last_modified_by_login_is_medium(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "docProps/core.xml",
         .data = "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                 "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                 "<dc:creator>Kari Nordmann</dc:creator><cp:lastModifiedBy>olanor"
                 "</cp:lastModifiedBy></cp:coreProperties>"}};
    ts_doc *doc = scan_docx(f, P("Innledning"), extra, 1);
    const ts_finding *lm = tst_find(doc, "metadata.last-modified-by");
    assert_non_null(lm);
    assert_string_equal(ts_finding_value(lm), "olanor");
    assert_int_equal(ts_finding_severity(lm), TS_SEV_MEDIUM);
    const ts_finding *au = tst_find(doc, "metadata.author");
    assert_non_null(au);
    assert_string_equal(ts_finding_value(au), "Kari Nordmann");
    assert_int_equal(ts_finding_severity(au), TS_SEV_LOW);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_docx_clean_realistic_document_is_ok(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "word/header1.xml",
         .content_type = CT_WORD "header+xml",
         .rel_type = "header",
         .data =
             "<w:hdr xmlns:w=\"" W_NS "\">" P("Fjordvik kommune – konkurransegrunnlag") "</w:hdr>"},
        {.name = "docProps/app.xml",
         .content_type = "application/vnd.openxmlformats-officedocument.extended-properties+xml",
         .data = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                 "extended-properties\"><Template>Normal.dotm</Template><Application>Microsoft "
                 "Office Word</Application><AppVersion>16.0000</AppVersion><Pages>3</Pages>"
                 "</Properties>"},
    };
    ts_doc *doc = scan_docx(
        f,
        P("Konkurransegrunnlag – anskaffelse av nettverksutstyr") P(
            "Fjordvik kommune inviterer til åpen anbudskonkurranse om kjøp av svitsjer og "
            "trådløse aksesspunkter til skoler og sykehjem.")
            P("Tilbud leveres elektronisk innen fristen i punkt 2.3. Spørsmål rettes til "
              "postmottak@fjordvik.kommune.no.") "<w:tbl><w:tr><w:tc>" P("Krav") "</"
                                                                                 "w:tc><w:"
                                                                                 "tc>" P(
                                                                                     "Beskr"
                                                                                     "ivels"
                                                                                     "e") "</"
                                                                                          "w:tc></"
                                                                                          "w:tr></"
                                                                                          "w:tbl>",
        extra, 2);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_null(ts_doc_error(doc));
    ts_doc_free(doc);
}

/* ---- DOCX tables: each cell reaches detection with its column header and row label ---------- */

#define TBL(rows) "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" rows "</w:tbl>"
#define TR(cells) "<w:tr>" cells "</w:tr>"
#define TC(text) "<w:tc><w:tcPr/>" P(text) "</w:tc>"

/* A DOCX of `body` (and `extra` parts) scanned with `ctx`. */
static ts_doc *scan_docx_ctx(const fixture *f, const ts_ctx *ctx, const char *body,
                             const fx_part *extra, size_t n)
{
    char *main = fx_docx_main(body);
    char *path = fx_ooxml_write(f->dir, "t.docx", FX_DOCX, main, NULL, extra, n);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    assert_non_null(doc);
    free(main);
    free(path);
    return doc;
}

static void test_docx_table_cell_under_password_header_is_judged_by_it(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = scan_docx_ctx(f, ctx,
                                P("Tilganger") TBL(TR(TC("Bruker") TC("Passord")) TR(TC(
                                    "Kari Nordmann") TC("Fjord2024")) TR(TC("Ola") TC("Vinter25"))),
                                NULL, 0);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    const ts_finding *pw = tst_find(doc, "credential.test-header-pw");
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(pw), 5); /* the cell's paragraph */
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_two_column_table_labels_a_value_by_its_row(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = scan_docx_ctx(
        f, ctx, TBL(TR(TC("Server") TC("srv-fil01")) TR(TC("Passord") TC("Fjord2024"))), NULL, 0);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_grid_span_keeps_later_cells_under_their_header(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    /* "Kari Nordmann" spans Bruker and Rolle (so "Ok" is a Merknad, not a Passord); a row
     * skipping two grid columns (gridBefore) */
    ts_doc *doc = scan_docx_ctx(
        f, ctx,
        TBL(TR(TC("Bruker") TC("Rolle") TC("Passord") TC(
            "Merknad")) "<w:tr><w:tc><w:tcPr><w:gridSpan "
                        "w:val=\"2\"/></w:tcPr>" P("Kari Nordmann") "</w:tc>" TC("Fjord2024")
                            TC("Ok") "</w:tr>"
                                     "<w:tr><w:trPr><w:gridBefore "
                                     "w:val=\"2\"/></w:trPr>" TC("Vinter25") "</w:tr>" TR(
                                         TC("Ola") TC("D"
                                                      "r"
                                                      "i"
                                                      "f"
                                                      "t") TC("Sommer2"
                                                              "6") TC("Bytte"
                                                                      "s"))),
        NULL, 0);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25|Sommer26");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_cell_paragraphs_stay_on_the_cell_line(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc =
        scan_docx_ctx(f, ctx,
                      TBL(TR(TC("Bruker") TC("Passord")) TR(
                          TC("Kari Nordmann") "<w:tc>" P("Fjord2024") P("Vinter25") "</w:tc>")),
                      NULL, 0);
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    tst_expect_values(doc, "credential.test-header-pw", "");
    assert_int_equal(ts_finding_line(tst_find(doc, "credential.test-header-phrase")), 4);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_nested_table_is_flattened_into_its_cell(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc =
        scan_docx_ctx(f, ctx,
                      TBL(TR(TC("Bruker") TC("Passord")) TR(TC("Kari Nordmann") "<w:tc>" TBL(
                          TR(TC("Fjord2024"))) P("") "</w:tc>") TR(TC("Ola") TC("Vinter25"))),
                      NULL, 0);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_deleted_value_in_a_table_keeps_its_header(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = scan_docx_ctx(
        f, ctx,
        TBL(TR(TC("Bruker") TC("Passord")) TR(TC("Ola") TC("")) TR(TC("Per") TC(""))
                TR(TC("Pål") TC("")) TR(TC("Espen") TC(""))
                    TR(TC("Kari Nordmann") "<w:tc><w:p><w:del w:author=\"olanor\"><w:r><w:delText>"
                                           "Fjord2024</w:delText></w:r></w:del></w:p></w:tc>")),
        NULL, 0);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    assert_int_equal(ts_finding_where(tst_find(doc, "credential.test-header-pw")),
                     TS_WHERE_TRACKED_DELETION);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_table_in_a_header_part_is_a_table(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    fx_part extra[] = {
        {.name = "word/header1.xml",
         .content_type = CT_WORD "header+xml",
         .rel_type = "header",
         .data = "<w:hdr xmlns:w=\"" W_NS "\">" TBL(TR(TC("pw") TC("Fjord2024"))) "</w:hdr>"},
    };
    ts_doc *doc = scan_docx_ctx(f, ctx, P("Innledning"), extra, 1);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    assert_int_equal(ts_finding_where(tst_find(doc, "credential.test-header-pw")), TS_WHERE_HEADER);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_docx_private_address_in_a_table_cell_is_still_found(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_docx(f,
                            P("Adresseplan") TBL(TR(TC("Enhet") TC("IP-adresse")) TR(
                                TC("Kjernesvitsj") TC("10.20.1.1"))) P("Slutt"),
                            NULL, 0);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(ip), 5);
    ts_doc_free(doc);
}

static void test_docm_macros_are_high(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {{.name = "word/vbaProject.bin",
                        .data = "\xD0\xCF\x11\xE0 not really",
                        .content_type = "application/vnd.ms-office.vbaProject",
                        .rel_type = "http://schemas.microsoft.com/office/2006/relationships/"
                                    "vbaProject"}};
    ts_doc *doc = scan_docx(f, P("Innledning"), extra, 1);
    const ts_finding *m = tst_find(doc, "hidden.macros");
    assert_non_null(m);
    assert_int_equal(ts_finding_severity(m), TS_SEV_HIGH);
    assert_string_equal(ts_doc_format(doc), "docm");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

/* ---- XLSX ---------------------------------------------------------------------------------- */

#define WB(sheets)                                                                                 \
    "<workbook xmlns=\"" S_NS "\" xmlns:r=\"" R_NS "\"><sheets>" sheets "</sheets></workbook>"
#define SHEET(data) "<worksheet xmlns=\"" S_NS "\">" data "</worksheet>"

static ts_doc *scan_xlsx(const fixture *f, const char *wb, const fx_part *extra, size_t n)
{
    char *path = fx_ooxml_write(f->dir, "t.xlsx", FX_XLSX, wb, "Kari Nordmann", extra, n);
    ts_doc *doc = scan(f, path);
    free(path);
    return doc;
}

static void test_xlsx_very_hidden_sheet_of_switch_passwords_blocks(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                       "</sheetData>")},
        {.name = "xl/worksheets/sheet2.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData><row r=\"7\"><c r=\"A7\" t=\"s\"><v>1</v></c>"
                       "<c r=\"B7\" t=\"s\"><v>2</v></c></row></sheetData>")},
        {.name = "xl/sharedStrings.xml",
         .content_type = CT_SHEET "sharedStrings+xml",
         .rel_type = "sharedStrings",
         .data = "<sst xmlns=\"" S_NS "\" count=\"3\" uniqueCount=\"3\"><si><t>Prisskjema</t>"
                 "</si><si><t>sw-kjerne-01 passord:</t></si><si><t>Sw1tch!Adm1n</t></si></sst>"},
    };
    ts_doc *doc = scan_xlsx(f,
                            WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"
                               "<sheet name=\"Svitsjer\" sheetId=\"2\" state=\"veryHidden\" "
                               "r:id=\"rId2\"/>"),
                            extra, 3);
    assert_string_equal(ts_doc_format(doc), "xlsx");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *hs = tst_find(doc, "hidden.hidden-sheet");
    assert_non_null(hs);
    assert_string_equal(ts_finding_value(hs), "Svitsjer");
    assert_non_null(strstr(ts_finding_detail(hs), "very hidden"));
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_HIDDEN_SHEET);
    assert_string_equal(ts_finding_part(pw), "Svitsjer!B7");
    assert_int_equal(ts_finding_line(pw), 7);
    assert_int_equal(ts_finding_page(pw), 2);
    ts_doc_free(doc);
}

/*
 * A pivot table's cache keeps every source row, even when the source sheet is gone: the values
 * in its attributes are scanned (hidden-sheet, the cache part) and the cache is flagged.
 */
static void test_xlsx_pivot_cache_keeps_the_deleted_source_data(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Antall"
                       "</t></is></c></row></sheetData>")},
        {.name = "xl/pivotCache/pivotCacheDefinition1.xml",
         .content_type = CT_SHEET "pivotCacheDefinition+xml",
         .rel_type = "pivotCacheDefinition",
         .data = "<pivotCacheDefinition xmlns=\"" S_NS "\"><cacheSource type=\"worksheet\">"
                 "<worksheetSource ref=\"A1:C40\" sheet=\"Utstyr\"/></cacheSource>"
                 "<cacheFields count=\"2\"><cacheField name=\"Enhet\"><sharedItems>"
                 "<s v=\"Kjernesvitsj\"/></sharedItems></cacheField><cacheField name=\"IP\">"
                 "<sharedItems/></cacheField></cacheFields></pivotCacheDefinition>"},
        {.name = "xl/pivotCache/pivotCacheRecords1.xml",
         .content_type = CT_SHEET "pivotCacheRecords+xml",
         .data = "<pivotCacheRecords xmlns=\"" S_NS "\" count=\"1\"><r><s v=\"Kjernesvitsj\"/>"
                 "<s v=\"10.20.1.1\"/><n v=\"3\"/></r></pivotCacheRecords>"},
    };
    ts_doc *doc =
        scan_xlsx(f, WB("<sheet name=\"Oversikt\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 3);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_SHEET);
    assert_string_equal(ts_finding_part(ip), "xl/pivotCache/pivotCacheRecords1.xml");
    assert_non_null(tst_find(doc, "hidden.pivot-cache"));
    assert_true(ts_doc_grade(doc) >= TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_xlsx_cell_finding_names_sheet_and_cell(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {{.name = "xl/worksheets/sheet1.xml",
                        .content_type = CT_SHEET "worksheet+xml",
                        .rel_type = "worksheet",
                        .data = SHEET("<sheetData><row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is>"
                                      "<t>Kjernesvitsj har adresse</t></is></c>"
                                      "<c r=\"C3\" t=\"inlineStr\"><is><t>10.20.1.1</t></is>"
                                      "</c></row></sheetData>")}};
    ts_doc *doc =
        scan_xlsx(f, WB("<sheet name=\"Nettverk\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 1);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_CELL);
    assert_string_equal(ts_finding_part(ip), "Nettverk!C3");
    assert_int_equal(ts_finding_line(ip), 3);
    ts_doc_free(doc);
}

#define XC(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"

/* A sheet that opens with a title and lines of prose in column A (and empty rows) still finds
 * the header row of the table below them, so a value under "Passord" is judged by it. */
static void test_xlsx_header_row_below_title_and_prose_labels_its_column(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData>"
                       "<row r=\"1\">" XC("A1", "KONFIDENSIELT") "</row>"
                       "<row r=\"2\">" XC("A2", "Innbrotsalarm, soneoversikt") "</row>"
                       "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t></t></is></c></row>"
                       "<row r=\"4\">" XC("A4", "Sentralapparatet står i kottet.") "</row>"
                       "<row r=\"5\">" XC("A5", "Sone 1 vert tilkopla kl. 22.") "</row>"
                       "<row r=\"6\">" XC("A6", "Kodane vert endra kvart år.") "</row>"
                       "<row r=\"8\">" XC("A8", "Sone") XC("B8", "Passord") "</row>"
                       "<row r=\"9\">" XC("A9", "Kontorfløy") XC("B9", "Fjord2024") "</row>"
                       "</sheetData>")}};
    char *path = fx_ooxml_write(f->dir, "t.xlsx", FX_XLSX,
                                WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"),
                                "Kari Nordmann", extra, 1);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    free(path);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* Write a workbook of one sheet (its worksheet XML) and check the header rules' values in it. */
static void expect_sheet_values(const fixture *f, const ts_ctx *ctx, const char *sheet,
                                const char *want)
{
    fx_part extra[] = {{.name = "xl/worksheets/sheet1.xml",
                        .content_type = CT_SHEET "worksheet+xml",
                        .rel_type = "worksheet",
                        .data = sheet}};
    char *path = fx_ooxml_write(f->dir, "t.xlsx", FX_XLSX,
                                WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"),
                                "Kari Nordmann", extra, 1);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    tst_expect_values(doc, "credential.test-header-pw", want);
    free(path);
    ts_doc_free(doc);
}

/* Two tables on one sheet, an empty row between them: the second has a header row of its own,
 * so "Fjord2024" is under "Passord", not under the first table's "Merknad"; without the empty
 * row, the row of words is a data row of the first table. */
static void test_xlsx_empty_row_starts_a_table_with_its_own_header(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    const char *sheets[] = {
        SHEET("<sheetData>"
              "<row r=\"1\">" XC("A1", "Sone") XC("B1", "Merknad") "</row>"
              "<row r=\"2\">" XC("A2", "1") XC("B2", "Hovedinngang") "</row>"
              "<row r=\"4\">" XC("A4", "Bruker") XC("B4", "Passord") "</row>"
              "<row r=\"5\">" XC("A5", "Vaktmester") XC("B5", "Fjord2024") "</row>"
              "</sheetData>"),
        SHEET("<sheetData>"
              "<row r=\"1\">" XC("A1", "Sone") XC("B1", "Merknad") "</row>"
              "<row r=\"2\">" XC("A2", "1") XC("B2", "Hovedinngang") "</row>"
              "<row r=\"3\">" XC("A3", "Bruker") XC("B3", "Passord") "</row>"
              "<row r=\"4\">" XC("A4", "Vaktmester") XC("B4", "Fjord2024") "</row>"
              "</sheetData>")};
    const char *want[] = {"Fjord2024", ""};
    for (size_t i = 0; i < 2; i++)
        expect_sheet_values(f, ctx, sheets[i], want[i]);
    ts_ctx_free(ctx);
}

/* A title alone in column A under a table, then a row of three labels: a new table with its own
 * header, so "Fjord2024" is under "Merknad", not the first table's "Passord". Two words after a
 * title are a data row ("kari | hemmeleg"), so the first table's header still labels them. */
static void test_xlsx_title_row_starts_a_table_with_its_own_header(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    const char *sheets[] = {
        SHEET("<sheetData>"
              "<row r=\"1\">" XC("A1", "Bruker") XC("B1", "Passord") XC("C1", "Rolle") "</row>"
              "<row r=\"2\">" XC("A2", "admin") XC("B2", "Sommar#24") XC("C2", "Drift") "</row>"
              "<row r=\"3\">" XC("A3", "Testpersonar") "</row>"
              "<row r=\"4\">" XC("A4", "Namn") XC("B4", "Merknad") XC("C4", "Eining") "</row>"
              "<row r=\"5\">" XC("A5", "Ola") XC("B5", "Fjord2024") XC("C5", "Drift") "</row>"
              "</sheetData>"),
        SHEET("<sheetData>"
              "<row r=\"1\">" XC("A1", "Bruker") XC("B1", "Passord") "</row>"
              "<row r=\"2\">" XC("A2", "admin") XC("B2", "Sommar#24") "</row>"
              "<row r=\"3\">" XC("A3", "Vikarar") "</row>"
              "<row r=\"4\">" XC("A4", "kari") XC("B4", "Fjord2024") "</row>"
              "</sheetData>")};
    const char *want[] = {"Sommar#24", "Sommar#24|Fjord2024"};
    for (size_t i = 0; i < 2; i++)
        expect_sheet_values(f, ctx, sheets[i], want[i]);
    ts_ctx_free(ctx);
}

/* The title above a sheet's header row stands under no header: "Vinter#2023" in A1 is not a
 * value of the "Passord" column below it. */
static void test_xlsx_title_above_header_row_has_no_column_header(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    expect_sheet_values(f, ctx,
                        SHEET("<sheetData>"
                              "<row r=\"1\">" XC("A1", "Vinter#2023") "</row>"
                              "<row r=\"3\">" XC("A3", "Passord") XC("B3", "Bruker") "</row>"
                              "<row r=\"4\">" XC("A4", "Sommar#24") XC("B4", "admin") "</row>"
                              "</sheetData>"),
                        "Sommar#24");
    ts_ctx_free(ctx);
}

static void test_xlsx_hidden_row_cells_are_hidden_text(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {{.name = "xl/worksheets/sheet1.xml",
                        .content_type = CT_SHEET "worksheet+xml",
                        .rel_type = "worksheet",
                        .data = SHEET("<cols><col min=\"4\" max=\"4\" hidden=\"1\"/></cols>"
                                      "<sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is>"
                                      "<t>Budsjett</t></is></c></row>"
                                      "<row r=\"5\" hidden=\"1\"><c r=\"A5\" t=\"inlineStr\">"
                                      "<is><t>Kjernesvitsj har adresse 10.20.1.1</t></is></c>"
                                      "</row></sheetData>")}};
    ts_doc *doc = scan_xlsx(f, WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 1);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_TEXT);
    assert_string_equal(ts_finding_part(ip), "Ark1!A5");
    const ts_finding *h = tst_find(doc, "hidden.hidden-row-column");
    assert_non_null(h);
    assert_string_equal(ts_finding_value(h), "Ark1");
    ts_doc_free(doc);
}

static void test_xlsx_cell_comment_is_comment_with_cell(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData><row r=\"1\"><c r=\"A1\"><v>42</v></c></row></sheetData>")},
        {.name = "xl/worksheets/_rels/sheet1.xml.rels",
         .data = "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_BASE
                 "comments\" Target=\"../comments1.xml\"/></Relationships>"},
        {.name = "xl/comments1.xml",
         .content_type = CT_SHEET "comments+xml",
         .data = "<comments xmlns=\"" S_NS "\"><authors><author>olanor</author></authors>"
                 "<commentList><comment ref=\"A1\" authorId=\"0\"><text><r><t>Kjernesvitsj "
                 "har adresse 10.20.1.1</t></r></text></comment></commentList></comments>"},
    };
    ts_doc *doc = scan_xlsx(f, WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 3);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_COMMENT);
    assert_string_equal(ts_finding_part(ip), "Ark1!A1");
    const ts_finding *c = tst_find(doc, "hidden.comment");
    assert_non_null(c);
    assert_string_equal(ts_finding_value(c), "olanor");
    ts_doc_free(doc);
}

static void test_xlsx_data_connection_and_external_link_are_flagged(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData><row r=\"1\"><c r=\"A1\"><f>[1]Ark1!A1</f><v>3</v></c>"
                       "</row></sheetData>")},
        {.name = "xl/connections.xml",
         .content_type = CT_SHEET "connections+xml",
         .rel_type = "connections",
         .data = "<connections xmlns=\"" S_NS "\"><connection id=\"1\" name=\"Lager\" type=\"1\">"
                 "<dbPr connection=\"Provider=SQLOLEDB;Data Source=sql01.fjordvik.local;"
                 "User ID=sa;Password=Hemmelig123\"/></connection></connections>"},
        {.name = "xl/externalLinks/externalLink1.xml",
         .content_type = CT_SHEET "externalLink+xml",
         .rel_type = "externalLink",
         .data = "<externalLink xmlns=\"" S_NS "\" xmlns:r=\"" R_NS "\"><externalBook r:id="
                 "\"rId1\"/></externalLink>"},
        {.name = "xl/externalLinks/_rels/externalLink1.xml.rels",
         .data = "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_BASE
                 "externalLinkPath\" Target=\"file:///\\\\srv-fil01\\Økonomi\\budsjett.xlsx\" "
                 "TargetMode=\"External\"/></Relationships>"},
    };
    ts_doc *doc = scan_xlsx(f, WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 4);
    assert_non_null(tst_find(doc, "hidden.data-connection"));
    assert_non_null(tst_find(doc, "credential.connection-string"));
    const ts_finding *el = tst_find(doc, "hidden.external-link");
    assert_non_null(el);
    assert_non_null(strstr(ts_finding_value(el), "srv-fil01"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

static void test_xlsx_clean_realistic_workbook_is_ok(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
                       "t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c>"
                       "<c r=\"B2\"><v>24</v></c></row><row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v>"
                       "</c><c r=\"B3\"><f>SUM(B2:B2)*1.25</f><v>30</v></c></row></sheetData>"
                       "<headerFooter><oddFooter>&amp;LFjordvik kommune&amp;RSide &amp;P"
                       "</oddFooter></headerFooter>")},
        {.name = "xl/sharedStrings.xml",
         .content_type = CT_SHEET "sharedStrings+xml",
         .rel_type = "sharedStrings",
         .data = "<sst xmlns=\"" S_NS "\"><si><t>Vare</t></si><si><t>Antall</t></si><si><t>"
                 "Svitsj 24 porter</t></si><si><t>Sum med mva</t></si></sst>"},
    };
    ts_doc *doc =
        scan_xlsx(f, WB("<sheet name=\"Prisskjema\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 2);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_null(ts_doc_error(doc));
    ts_doc_free(doc);
}

/* Append `s` to a growing malloc'd text. */
static void grow_put(char **buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    char *p = realloc(*buf, *len + n + 1);
    assert_non_null(p);
    memcpy(p + *len, s, n + 1);
    *buf = p;
    *len += n;
}

/*
 * One shared string used by many cells is text made once per cell (POI's poc-shared-strings.xlsx:
 * one 1 MB string in 12,000 cells, 12 GB): the expansion counts against max_unpacked_bytes where
 * it happens, and the workbook is error ("expands to more than N bytes of text"), with what
 * was read before the limit scanned. A 16 KB string in 400 cells against a 1 MiB limit: 6.4 MB.
 */
static void test_xlsx_shared_string_in_many_cells_stops_at_the_unpacked_limit(void **state)
{
    fixture *f = *state;
    ts_ctx_set_limits(f->ctx, &(ts_limits){.max_unpacked_bytes = 1u << 20});
    char *sst = NULL, *sheet = NULL;
    size_t sst_len = 0, sheet_len = 0;
    grow_put(&sst, &sst_len, "<sst xmlns=\"" S_NS "\"><si><t>passord: Sommer2024! ");
    for (int i = 0; i < 1600; i++)
        grow_put(&sst, &sst_len, "fyll tekst");
    grow_put(&sst, &sst_len, "</t></si></sst>");
    grow_put(&sheet, &sheet_len, "<worksheet xmlns=\"" S_NS "\"><sheetData>");
    for (int r = 1; r <= 400; r++) {
        char row[96];
        snprintf(row, sizeof row, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", r, r);
        grow_put(&sheet, &sheet_len, row);
    }
    grow_put(&sheet, &sheet_len, "</sheetData></worksheet>");
    fx_part extra[] = {
        {.name = "xl/worksheets/sheet1.xml",
         .content_type = CT_SHEET "worksheet+xml",
         .rel_type = "worksheet",
         .data = sheet},
        {.name = "xl/sharedStrings.xml",
         .content_type = CT_SHEET "sharedStrings+xml",
         .rel_type = "sharedStrings",
         .data = sst},
    };
    ts_doc *doc = scan_xlsx(f, WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"), extra, 2);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "expands to more than 1048576 bytes of text"));
    assert_non_null(
        strstr(ts_doc_error_text(doc, TS_LANG_NB), "utvides til mer enn 1048576 byte tekst"));
    /* what was read before the limit was scanned: the password in the first cells */
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_part(pw), "Ark1!A1");
    ts_doc_free(doc);
    free(sst);
    free(sheet);
}

/*
 * An Excel binary workbook (.xlsb) says what it is and what to do ("save it as .xlsx"), not
 * "contains xl/workbook.bin (ERROR)" for each binary part; what the package holds besides the
 * binary parts (document properties) is still read.
 */
static void test_xlsb_is_named_with_advice_and_its_properties_are_read(void **state)
{
    fixture *f = *state;
    static const char bin[] = "\x83\x01\x00\x80\x01\x00\x84\x01\x00";
    const fx_part parts[] = {
        {.name = "[Content_Types].xml",
         .data = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                 "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-excel.sheet."
                 "binary.macroEnabled.main\"/><Override PartName=\"/docProps/core.xml\" "
                 "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                 "</Types>"},
        {.name = "_rels/.rels",
         .data = "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_BASE
                 "officeDocument\" Target=\"xl/workbook.bin\"/></Relationships>"},
        {.name = "docProps/core.xml",
         .data = "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                 "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                 "<dc:creator>olanor</dc:creator></cp:coreProperties>"},
        {.name = "xl/workbook.bin", .data = bin, .len = sizeof bin - 1},
        {.name = "xl/worksheets/sheet1.bin", .data = bin, .len = sizeof bin - 1},
    };
    char *path = fx_zip_write(f->dir, "t.xlsb", parts, sizeof parts / sizeof parts[0]);
    ts_doc *doc = scan(f, path);
    assert_string_equal(ts_doc_format(doc), "xlsb");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EUNSUPPORTED);
    assert_non_null(strstr(ts_doc_error(doc), "XLSB (Excel binary workbook) cannot be read: "
                                              "open it in Excel and save it as .xlsx"));
    assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_NB), "lagre den som .xlsx"));
    assert_int_equal(ts_doc_child_count(doc), 0);
    assert_non_null(tst_find(doc, "metadata.user-name"));
    ts_doc_free(doc);
    free(path);
}

/* ---- PPTX ---------------------------------------------------------------------------------- */

#define SLIDE(attrs, body)                                                                         \
    "<p:sld xmlns:p=\"" P_NS "\" xmlns:a=\"" A_NS "\" " attrs "><p:cSld><p:spTree>" body           \
    "</p:spTree></p:cSld></p:sld>"
#define SP(x, y, text)                                                                             \
    "<p:sp><p:spPr><a:xfrm><a:off x=\"" x "\" y=\"" y "\"/><a:ext cx=\"1000000\" "                 \
    "cy=\"500000\"/></a:xfrm></p:spPr><p:txBody><a:p><a:r><a:t>" text "</a:t></a:r></a:p>"         \
    "</p:txBody></p:sp>"
#define PRES                                                                                       \
    "<p:presentation xmlns:p=\"" P_NS "\" xmlns:r=\"" R_NS "\"><p:sldIdLst><p:sldId id=\"256\" "   \
    "r:id=\"rId1\"/></p:sldIdLst><p:sldSz cx=\"9144000\" cy=\"6858000\"/></p:presentation>"

static ts_doc *scan_pptx_ctx(const fixture *f, const ts_ctx *ctx, const char *slide,
                             const char *notes)
{
    fx_part extra[] = {
        {.name = "ppt/slides/slide1.xml",
         .content_type = CT_PRES "slide+xml",
         .rel_type = "slide",
         .data = slide},
        {.name = "ppt/slides/_rels/slide1.xml.rels",
         .data = "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_BASE
                 "notesSlide\" Target=\"../notesSlides/notesSlide1.xml\"/></Relationships>"},
        {.name = "ppt/notesSlides/notesSlide1.xml",
         .content_type = CT_PRES "notesSlide+xml",
         .data = notes},
    };
    char *path =
        fx_ooxml_write(f->dir, "t.pptx", FX_PPTX, PRES, "Kari Nordmann", extra, notes ? 3 : 1);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    return doc;
}

static ts_doc *scan_pptx(const fixture *f, const char *slide, const char *notes)
{
    return scan_pptx_ctx(f, f->ctx, slide, notes);
}

/* ---- PPTX tables ----------------------------------------------------------------------------- */

#define ATBL(rows)                                                                                 \
    "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"4\" name=\"Tabell\"/>"                      \
    "<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x=\"100000\" "             \
    "y=\"100000\"/><a:ext cx=\"4000000\" cy=\"1000000\"/></p:xfrm><a:graphic><a:graphicData "      \
    "uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\"><a:tbl><a:tblGrid>"            \
    "<a:gridCol w=\"1000000\"/></a:tblGrid>" rows "</a:tbl></a:graphicData></a:graphic>"           \
    "</p:graphicFrame>"
#define ATR(cells) "<a:tr h=\"300000\">" cells "</a:tr>"
#define ATC_(attrs, paras)                                                                         \
    "<a:tc" attrs "><a:txBody><a:bodyPr/>" paras "</a:txBody><a:tcPr/></a:tc>"
#define AP(text) "<a:p><a:r><a:t>" text "</a:t></a:r></a:p>"
#define ATC(text) ATC_("", AP(text))

static void test_pptx_table_cell_under_password_header_is_judged_by_it(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = scan_pptx_ctx(
        f, ctx,
        SLIDE("", SP("100000", "100000", "Tilganger") ATBL(ATR(ATC("Bruker") ATC("Passord")) ATR(
                      ATC("Kari Nordmann") ATC("Fjord2024")) ATR(ATC("Ola") ATC("Vinter25")))),
        NULL);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    const ts_finding *pw = tst_find(doc, "credential.test-header-pw");
    assert_int_equal(ts_finding_page(pw), 1);
    assert_int_equal(ts_finding_line(pw), 5);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_pptx_two_column_table_labels_a_value_by_its_row(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = scan_pptx_ctx(
        f, ctx,
        SLIDE("", ATBL(ATR(ATC("Server") ATC("srv-fil01")) ATR(ATC("Passord") ATC("Fjord2024")))),
        NULL);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_pptx_grid_span_keeps_later_cells_under_their_header(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    /* a span with its hMerge cell (as PowerPoint writes it) and one without */
    ts_doc *doc = scan_pptx_ctx(
        f, ctx,
        SLIDE("", ATBL(ATR(ATC("Bruker") ATC("Rolle") ATC("Passord") ATC("Merknad")) ATR(
                      ATC_(" gridSpan=\"2\"", AP("Kari Nordmann")) ATC_(" hMerge=\"1\"", "<a:p/>")
                          ATC("Fjord2024") ATC("Ok"))
                           ATR(ATC_(" gridSpan=\"2\"", AP("Ola")) ATC("Vinter25") ATC("Byttes")))),
        NULL);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_pptx_cell_paragraphs_stay_on_the_cell_line(void **state)
{
    fixture *f = *state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = scan_pptx_ctx(
        f, ctx,
        SLIDE("", ATBL(ATR(ATC("Bruker") ATC("Passord"))
                           ATR(ATC("Kari Nordmann") ATC_("", AP("Fjord2024") AP("Vinter25"))))),
        NULL);
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    tst_expect_values(doc, "credential.test-header-pw", "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_pptx_private_address_in_a_table_cell_is_still_found(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_pptx(f,
                            SLIDE("", ATBL(ATR(ATC("Enhet") ATC("IP-adresse"))
                                               ATR(ATC("Kjernesvitsj") ATC("10.20.1.1")))),
                            NULL);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_page(ip), 1);
    ts_doc_free(doc);
}

static void test_pptx_speaker_notes_with_vpn_address_are_notes(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_pptx(
        f, SLIDE("", SP("100000", "100000", "Fremdriftsplan")),
        "<p:notes xmlns:p=\"" P_NS "\" xmlns:a=\"" A_NS "\"><p:cSld><p:spTree><p:sp><p:nvSpPr>"
        "<p:cNvPr id=\"2\" name=\"Notes\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"body\" idx=\"1\"/>"
        "</p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>Leverandøren kobler seg til "
        "vpn.fjordvik.no</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>");
    assert_string_equal(ts_doc_format(doc), "pptx");
    const ts_finding *ra = tst_find(doc, "firewall.remote-access");
    assert_non_null(ra);
    assert_int_equal(ts_finding_where(ra), TS_WHERE_NOTES);
    assert_int_equal(ts_finding_page(ra), 1);
    assert_non_null(tst_find(doc, "hidden.speaker-notes"));
    ts_doc_free(doc);
}

static void test_pptx_hidden_slide_text_is_hidden_slide(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_pptx(f,
                            SLIDE("show=\"0\"", SP("100000", "100000",
                                                   "Kjernesvitsj har adresse "
                                                   "10.20.1.1")),
                            NULL);
    assert_non_null(tst_find(doc, "hidden.hidden-slide"));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_SLIDE);
    ts_doc_free(doc);
}

static void test_pptx_text_outside_the_slide_is_hidden_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_pptx(f,
                  SLIDE("", SP("100000", "100000", "Nettverk")
                                SP("12000000", "100000", "Kjernesvitsj har adresse 10.20.1.1")),
                  NULL);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_TEXT);
    assert_non_null(tst_find(doc, "hidden.hidden-text"));
    ts_doc_free(doc);
}

static void test_pptx_network_drawing_slide_gets_the_diagram_verdict(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_pptx(
        f,
        SLIDE("", SP("100000", "100000", "Brannmur") SP("100000", "900000", "Kjernesvitsj")
                      SP("100000", "1800000", "Svitsj 2. etasje") SP(
                          "2000000", "100000", "Servernett 10.20.30.0/24") "<p:cxnSp/><p:cxnSp/>"),
        NULL);
    const ts_finding *d = tst_find(doc, "diagram.network");
    assert_non_null(d);
    assert_int_equal(ts_finding_page(d), 1);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

/* A shape with its id, and a connector glued from one id to another (what PowerPoint writes). */
#define SPID(id, y, text)                                                                          \
    "<p:sp><p:nvSpPr><p:cNvPr id=\"" id "\" name=\"Rectangle " id "\"/><p:cNvSpPr/><p:nvPr/>"      \
    "</p:nvSpPr><p:spPr><a:xfrm><a:off x=\"100000\" y=\"" y "\"/><a:ext cx=\"1000000\" "           \
    "cy=\"500000\"/></a:xfrm></p:spPr><p:txBody><a:p><a:r><a:t>" text "</a:t></a:r></a:p>"         \
    "</p:txBody></p:sp>"
#define CXN(id, from, to)                                                                          \
    "<p:cxnSp><p:nvCxnSpPr><p:cNvPr id=\"" id "\" name=\"Connector " id "\"/><p:cNvCxnSpPr>"       \
    "<a:stCxn id=\"" from "\" idx=\"2\"/><a:endCxn id=\"" to "\" idx=\"0\"/></p:cNvCxnSpPr>"       \
    "<p:nvPr/></p:nvCxnSpPr><p:spPr/></p:cxnSp>"

static void test_pptx_connectors_are_named_by_the_shapes_they_join(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_pptx(f,
                            SLIDE("", CXN("9", "2", "3") SPID("2", "100000", "Brannmur")
                                          SPID("3", "900000", "Kjernesvitsj")
                                              SPID("4", "1800000", "Svitsj 2. etasje")
                                                  CXN("10", "3", "4") "<p:cxnSp/>"),
                            NULL);
    tst_expect_detail(doc, "diagram.network",
                      "3 connectors; connected: Brannmur - Kjernesvitsj, Kjernesvitsj - Svitsj 2. "
                      "etasje");
    ts_doc_free(doc);
}

static void test_pptx_clean_realistic_presentation_is_ok(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_pptx(f,
                            SLIDE("", SP("100000", "100000", "Orientering om anskaffelsen")
                                          SP("100000", "900000", "Tilbudsfrist og evaluering")),
                            NULL);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

/* ---- bad input ----------------------------------------------------------------------------- */

/* A compound file whose root holds an "EncryptionInfo" stream: what Office writes for a
 * password-protected .docx (MS-OFFCRYPTO §2.3.4). */
static void test_password_protected_office_file_is_error_encrypted(void **state)
{
    fixture *f = *state;
    unsigned char b[512 * 3];
    memset(b, 0, sizeof b);
    static const unsigned char magic[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(b, magic, 8);
    b[0x18] = 0x3E;
    b[0x1A] = 3;
    b[0x1C] = 0xFE;
    b[0x1D] = 0xFF;
    b[0x1E] = 9;
    b[0x20] = 6;
    b[0x2C] = 1;    /* one FAT sector */
    b[0x30] = 1;    /* directory at sector 1 */
    b[0x39] = 0x10; /* mini stream cutoff 4096 */
    memset(b + 0x3C, 0xFF, 4);
    b[0x3C] = 0xFE;
    memset(b + 0x44, 0xFF, 4);
    b[0x44] = 0xFE;
    memset(b + 0x4C, 0xFF, 512 - 0x4C);
    b[0x4C] = b[0x4D] = b[0x4E] = b[0x4F] = 0; /* FAT at sector 0 */
    unsigned char *fat = b + 512;
    memset(fat, 0xFF, 512);
    fat[0] = 0xFD; /* FATSECT */
    fat[4] = 0xFE; /* directory: end of chain */
    unsigned char *dir = b + 1024;
    static const char *const names[] = {"Root Entry", "EncryptionInfo"};
    for (int e = 0; e < 2; e++) {
        unsigned char *d = dir + 128 * e;
        size_t n = strlen(names[e]);
        for (size_t i = 0; i < n; i++)
            d[2 * i] = (unsigned char)names[e][i];
        d[0x40] = (unsigned char)(2 * (n + 1));
        d[0x42] = e == 0 ? 5 : 2;
        memset(d + 0x44, 0xFF, 12); /* left, right, child: none */
        if (e == 0) {
            memset(d + 0x4C, 0, 4);
            d[0x4C] = 1; /* the root's child is entry 1 */
        }
        memset(d + 0x74, 0xFF, 4);
        d[0x74] = 0xFE;
    }
    for (int e = 2; e < 4; e++)
        memset(dir + 128 * e + 0x44, 0xFF, 12);
    char *path = tst_write(f->dir, "tilbud.docx", b, sizeof b);
    ts_doc *doc = scan(f, path);
    assert_string_equal(ts_doc_format(doc), "ooxml-encrypted");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
    assert_non_null(strstr(ts_doc_error(doc), "password-protected"));
    ts_doc_free(doc);
    free(path);
}

static void test_malformed_part_is_error_not_ok(void **state)
{
    fixture *f = *state;
    char *path =
        fx_ooxml_write(f->dir, "t.docx", FX_DOCX, "<w:document xmlns:w=\"" W_NS "\"><w:body><w:p>",
                       "Kari Nordmann", NULL, 0);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_non_null(strstr(ts_doc_error(doc), "word/document.xml"));
    ts_doc_free(doc);
    free(path);
}

static void test_deep_nesting_is_refused_not_a_crash(void **state)
{
    fixture *f = *state;
    size_t depth = 20000, cap = depth * 12 + 256, n = 0;
    char *xml = malloc(cap);
    assert_non_null(xml);
    n += (size_t)snprintf(xml, cap, "<w:document xmlns:w=\"" W_NS "\"><w:body>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<w:sdt>");
    char *path = fx_ooxml_write(f->dir, "t.docx", FX_DOCX, xml, NULL, NULL, 0);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(path);
    free(xml);
}

static void test_entities_are_never_expanded_or_loaded(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
        "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<w:document xmlns:w=\"" W_NS "\"><w:body><w:p><w:r><w:t>&e;&e;&e;&e;&x;</w:t></w:r>"
        "</w:p></w:body></w:document>";
    char *path = fx_ooxml_write(f->dir, "t.docx", FX_DOCX, xml, NULL, NULL, 0);
    ts_doc *doc = scan(f, path);
    /* an Office part with entities it never declares to us is damaged, not silently read */
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++)
        assert_null(strstr(ts_finding_context_after(ts_doc_finding_at(doc, i)), "root:"));
    ts_doc_free(doc);
    free(path);
}

static void test_relationship_climbing_out_of_the_package_is_ignored(void **state)
{
    fixture *f = *state;
    fx_part extra[] = {{.name = "word/header1.xml",
                        .rel_type = "header",
                        .data = "<w:hdr xmlns:w=\"" W_NS "\">" P("ok") "</w:hdr>"}};
    char *main = fx_docx_main(P("Innledning"));
    /* the rels part is written by hand with a target above the root */
    fx_part parts[] = {
        extra[0],
        {.name = "word/_rels/document.xml.rels",
         .data = "<Relationships xmlns=\"" REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_BASE
                 "header\" Target=\"../../../../etc/passwd\"/></Relationships>"},
    };
    char *path = fx_ooxml_write(f->dir, "t.docx", FX_DOCX, main, NULL, parts, 2);
    ts_doc *doc = scan(f, path);
    assert_int_not_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(path);
    free(main);
}

static void test_pdf_named_docx_is_read_as_pdf(void **state)
{
    fixture *f = *state;
    static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    char *path = tst_write(f->dir, "rapport.docx", pdf, sizeof pdf - 1);
    ts_doc *doc = scan(f, path);
    assert_string_equal(ts_doc_format(doc), "pdf");
    ts_doc_free(doc);
    free(path);
}

static void test_embedded_workbook_is_a_child_document(void **state)
{
    fixture *f = *state;
    fx_part inner[] = {{.name = "xl/worksheets/sheet1.xml",
                        .content_type = CT_SHEET "worksheet+xml",
                        .rel_type = "worksheet",
                        .data = SHEET("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
                                      "<t>passord: Sommer2024!</t></is></c></row></sheetData>")}};
    char *ipath =
        fx_ooxml_write(f->dir, "inner.xlsx", FX_XLSX,
                       WB("<sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/>"), NULL, inner, 1);
    size_t len = 0;
    char *bytes = tst_slurp(ipath, &len);
    assert_non_null(bytes);
    fx_part extra[] = {{.name = "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                        .data = bytes,
                        .len = len,
                        .content_type = CT_SHEET "sheet",
                        .rel_type = "package"}};
    ts_doc *doc = scan_docx(f, P("Se vedlagt tabell."), extra, 1);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *child = ts_doc_child_at(doc, 0);
    assert_non_null(strstr(ts_doc_path(child), "!word/embeddings/Microsoft_Excel_Worksheet.xlsx"));
    assert_string_equal(ts_doc_format(child), "xlsx");
    assert_int_equal(ts_doc_grade(child), TS_GRADE_BLOCK);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    assert_non_null(tst_find(doc, "hidden.embedded-file"));
    ts_doc_free(doc);
    free(bytes);
    free(ipath);
}

/* ---- the public corpus (skipped when absent) and LibreOffice (skipped without soffice) ---- */

static ts_doc *scan_corpus(const fixture *f, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TS_CORPUS_DIR, rel);
    return scan(f, path);
}

static void test_corpus_ooxml_hiding_places_are_found(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    static const fx_expect cases[] = {
        {"ooxml/pandoc_track_changes_deletion.docx", "hidden.tracked-change", 1},
        {"ooxml/pandoc_track_changes_move.docx", "hidden.tracked-change", 1},
        {"ooxml/pandoc_comments.docx", "hidden.comment", 1},
        {"ooxml/python-docx_comments-rich-para.docx", "hidden.comment", 1},
        {"ooxml/calamine_any_sheets.xlsx", "hidden.hidden-sheet", 2},
        {"ooxml/xlsxwriter_hide02_veryhidden_sheet.xlsx", "hidden.hidden-sheet", 1},
        {"ooxml/xlsxwriter_comment03.xlsx", "hidden.comment", 1},
        {"ooxml/xlsxwriter_macro01.xlsm", "hidden.macros", 1},
        {"ooxml/xlsxwriter_outline05_collapsed_rows.xlsx", "hidden.hidden-row-column", 1},
        {"ooxml/pandoc_speaker_notes.pptx", "hidden.speaker-notes", 1},
        {"ooxml/exiftool_OOXML_props.docx", "metadata.company", 1},
        {"ooxml/calamine_hyperlinks_local_paths.xlsx", "metadata.user-path", 1},
    };
    fx_corpus_expect(f, cases, sizeof cases / sizeof cases[0]);
}

static void test_corpus_deleted_text_is_tracked_deletion(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    ts_doc *doc = scan_corpus(f, "ooxml/pandoc_track_changes_deletion.docx");
    const ts_finding *tc = tst_find(doc, "hidden.tracked-change");
    assert_non_null(tc);
    assert_string_equal(ts_finding_value(tc), "eng-dept");
    ts_doc_free(doc);
}

static void test_libreoffice_docx_is_read(void **state)
{
    fixture *f = *state;
    struct stat sb;
    if (stat("/usr/bin/soffice", &sb) != 0)
        skip();
    char *txt = tst_write(f->dir, "notat.txt", "Kjernesvitsj har adresse 10.20.1.1\n", 35);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 120 soffice -env:UserInstallation=file://%s/lo --headless "
             "--convert-to docx:\"MS Word 2007 XML\" --outdir '%s' notat.txt >/dev/null 2>&1",
             f->dir, f->dir, f->dir);
    int rc = system(cmd);
    free(txt);
    char out[4096];
    snprintf(out, sizeof out, "%s/notat.docx", f->dir);
    if (rc != 0 || stat(out, &sb) != 0)
        skip(); /* LibreOffice present but unable to run here (no profile, busy) */
    ts_doc *doc = scan(f, out);
    assert_string_equal(ts_doc_format(doc), "docx");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    ts_doc_free(doc);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_docx_password_only_in_tracked_deletion_blocks),
        T(test_docx_insertions_and_deletions_are_hidden_findings_of_their_own),
        T(test_department_and_default_authors_are_not_logins),
        T(test_docx_filename_field_result_in_footer_is_a_local_path),
        T(test_docx_deleted_text_is_not_body_and_inserted_text_is_insertion),
        T(test_docx_comment_text_is_scanned_with_its_author),
        T(test_docx_vanish_run_is_hidden_text),
        T(test_docx_vanish_off_is_not_hidden),
        T(test_docx_style_based_on_a_hidden_style_hides_its_text),
        T(test_docx_header_and_footer_text_say_where_they_are),
        T(test_docx_template_under_user_folder_is_a_user_path),
        T(test_docx_last_modified_by_login_is_medium),
        T(test_docx_clean_realistic_document_is_ok),
        T(test_docm_macros_are_high),
        T(test_docx_table_cell_under_password_header_is_judged_by_it),
        T(test_docx_two_column_table_labels_a_value_by_its_row),
        T(test_docx_grid_span_keeps_later_cells_under_their_header),
        T(test_docx_cell_paragraphs_stay_on_the_cell_line),
        T(test_docx_nested_table_is_flattened_into_its_cell),
        T(test_docx_deleted_value_in_a_table_keeps_its_header),
        T(test_docx_table_in_a_header_part_is_a_table),
        T(test_docx_private_address_in_a_table_cell_is_still_found),
        T(test_xlsx_very_hidden_sheet_of_switch_passwords_blocks),
        T(test_xlsx_shared_string_in_many_cells_stops_at_the_unpacked_limit),
        T(test_xlsb_is_named_with_advice_and_its_properties_are_read),
        T(test_xlsx_cell_finding_names_sheet_and_cell),
        T(test_xlsx_pivot_cache_keeps_the_deleted_source_data),
        T(test_xlsx_header_row_below_title_and_prose_labels_its_column),
        T(test_xlsx_empty_row_starts_a_table_with_its_own_header),
        T(test_xlsx_title_row_starts_a_table_with_its_own_header),
        T(test_xlsx_title_above_header_row_has_no_column_header),
        T(test_xlsx_hidden_row_cells_are_hidden_text),
        T(test_xlsx_cell_comment_is_comment_with_cell),
        T(test_xlsx_data_connection_and_external_link_are_flagged),
        T(test_xlsx_clean_realistic_workbook_is_ok),
        T(test_pptx_table_cell_under_password_header_is_judged_by_it),
        T(test_pptx_two_column_table_labels_a_value_by_its_row),
        T(test_pptx_grid_span_keeps_later_cells_under_their_header),
        T(test_pptx_cell_paragraphs_stay_on_the_cell_line),
        T(test_pptx_private_address_in_a_table_cell_is_still_found),
        T(test_pptx_speaker_notes_with_vpn_address_are_notes),
        T(test_pptx_hidden_slide_text_is_hidden_slide),
        T(test_pptx_text_outside_the_slide_is_hidden_text),
        T(test_pptx_network_drawing_slide_gets_the_diagram_verdict),
        T(test_pptx_connectors_are_named_by_the_shapes_they_join),
        T(test_pptx_clean_realistic_presentation_is_ok),
        T(test_password_protected_office_file_is_error_encrypted),
        T(test_malformed_part_is_error_not_ok),
        T(test_deep_nesting_is_refused_not_a_crash),
        T(test_entities_are_never_expanded_or_loaded),
        T(test_relationship_climbing_out_of_the_package_is_ignored),
        T(test_pdf_named_docx_is_read_as_pdf),
        T(test_embedded_workbook_is_a_child_document),
        T(test_corpus_ooxml_hiding_places_are_found),
        T(test_corpus_deleted_text_is_tracked_deletion),
        T(test_libreoffice_docx_is_read),
    };
    return cmocka_run_group_tests_name("extract_ooxml", tests, NULL, NULL);
}

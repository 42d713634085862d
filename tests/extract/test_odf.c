/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the OpenDocument extractor: annotations, tracked changes, hidden parts, metadata. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_bin.h"
#include "support/fx_zip.h"

#define NS                                                                                         \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                           \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                               \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                             \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "                             \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "                            \
    "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" "               \
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "                               \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
#define CONTENT(styles, body)                                                                      \
    "<office:document-content " NS "><office:automatic-styles>" styles                             \
    "</office:automatic-styles><office:body>" body "</office:body></office:document-content>"
#define ODT_MIME "application/vnd.oasis.opendocument.text"
#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"
#define ODP_MIME "application/vnd.oasis.opendocument.presentation"
#define META(inner)                                                                                \
    "<office:document-meta " NS "><office:meta>" inner "</office:meta></office:document-meta>"
#define PLAIN_META META("<meta:initial-creator>Kari Nordmann</meta:initial-creator>")

typedef fx_env fixture;

#define setup fx_env_setup
#define teardown fx_env_teardown
#define scan fx_scan

static ts_doc *scan_odf(const fixture *f, const char *mime, const char *content, const char *meta,
                        const char *styles)
{
    char *path = fx_odf_write(f->dir, "t.odf", mime, content, meta, styles);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    return doc;
}

static void test_odt_annotation_is_comment_with_author(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODT_MIME,
        CONTENT("", "<office:text><text:p>Tilbudet leveres elektronisk.<office:annotation>"
                    "<dc:creator>olanor</dc:creator><dc:date>2024-01-01</dc:date><text:p>"
                    "Kjernesvitsj har adresse 10.20.1.1</text:p></office:annotation></text:p>"
                    "</office:text>"),
        PLAIN_META, NULL);
    assert_string_equal(ts_doc_format(doc), "odt");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_COMMENT);
    const ts_finding *c = tst_find(doc, "hidden.comment");
    assert_non_null(c);
    assert_string_equal(ts_finding_value(c), "olanor");
    ts_doc_free(doc);
}

static void test_odt_tracked_deletion_with_password_blocks(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODT_MIME,
        CONTENT("", "<office:text><text:tracked-changes><text:changed-region text:id=\"ct1\">"
                    "<text:deletion><office:change-info><dc:creator>olanor</dc:creator>"
                    "<dc:date>2024-01-01T10:00:00</dc:date></office:change-info><text:p>"
                    "passord: Sommer2024!</text:p></text:deletion></text:changed-region>"
                    "</text:tracked-changes><text:p>Innledning<text:change "
                    "text:change-id=\"ct1\"/></text:p></office:text>"),
        PLAIN_META, NULL);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_TRACKED_DELETION);
    assert_non_null(tst_find(doc, "hidden.tracked-change"));
    ts_doc_free(doc);
}

static void test_odt_hidden_section_is_hidden_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODT_MIME,
        CONTENT("", "<office:text><text:p>Innledning</text:p><text:section "
                    "text:name=\"S1\" text:display=\"none\"><text:p>Leverandøren kobler seg "
                    "til vpn.fjordvik.no</text:p></text:section></office:text>"),
        PLAIN_META, NULL);
    const ts_finding *ra = tst_find(doc, "firewall.remote-access");
    assert_non_null(ra);
    assert_int_equal(ts_finding_where(ra), TS_WHERE_HIDDEN_TEXT);
    assert_non_null(tst_find(doc, "hidden.hidden-text"));
    ts_doc_free(doc);
}

static void test_odt_hidden_style_hides_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(f, ODT_MIME,
                           CONTENT("<style:style style:name=\"T1\" style:family=\"text\">"
                                   "<style:text-properties text:display=\"none\"/></style:style>",
                                   "<office:text><text:p>Synlig <text:span text:style-name=\"T1\">"
                                   "Kjernesvitsj har adresse 10.20.1.1</text:span></text:p>"
                                   "</office:text>"),
                           PLAIN_META, NULL);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_TEXT);
    ts_doc_free(doc);
}

static void test_odt_header_in_styles_is_header(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODT_MIME, CONTENT("", "<office:text><text:p>Innledning</text:p></office:text>"),
        PLAIN_META,
        "<office:document-styles " NS "><office:master-styles><style:master-page "
        "style:name=\"Standard\"><style:header><text:p>Filer: \\\\srv-fil01\\Felles\\IT</text:p>"
        "</style:header></style:master-page></office:master-styles></office:document-styles>");
    const ts_finding *unc = tst_find(doc, "network.unc-path");
    assert_non_null(unc);
    assert_int_equal(ts_finding_where(unc), TS_WHERE_HEADER);
    assert_string_equal(ts_finding_part(unc), "styles.xml");
    ts_doc_free(doc);
}

static void test_ods_hidden_sheet_cell_names_sheet_and_cell(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODS_MIME,
        CONTENT("<style:style style:name=\"ta2\" style:family=\"table\"><style:table-properties "
                "table:display=\"false\"/></style:style>",
                "<office:spreadsheet><table:table table:name=\"Ark1\"><table:table-row>"
                "<table:table-cell><text:p>Pris</text:p></table:table-cell></table:table-row>"
                "</table:table><table:table table:name=\"Svitsjer\" table:style-name=\"ta2\">"
                "<table:table-row><table:table-cell/></table:table-row><table:table-row>"
                "<table:table-cell><text:p>sw01 passord:</text:p></table:table-cell>"
                "<table:table-cell><text:p>Sw1tch!Adm1n</text:p></table:table-cell>"
                "</table:table-row></table:table></office:spreadsheet>"),
        PLAIN_META, NULL);
    assert_string_equal(ts_doc_format(doc), "ods");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *hs = tst_find(doc, "hidden.hidden-sheet");
    assert_non_null(hs);
    assert_string_equal(ts_finding_value(hs), "Svitsjer");
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_HIDDEN_SHEET);
    assert_string_equal(ts_finding_part(pw), "Svitsjer!B2");
    assert_int_equal(ts_finding_line(pw), 2);
    ts_doc_free(doc);
}

/* ---- tables: each cell reaches detection with its column header and row label ---------------- */

#define OTBL(rows) "<table:table table:name=\"T1\"><table:table-column/>" rows "</table:table>"
#define OTR(cells) "<table:table-row>" cells "</table:table-row>"
#define OTC(text) "<table:table-cell><text:p>" text "</text:p></table:table-cell>"
#define ODT(body) CONTENT("", "<office:text><text:p>Tilganger</text:p>" body "</office:text>")

/* An OpenDocument file scanned with only the table test rules (TST_HEADER_RULES). */
static ts_doc *scan_odf_rules(const fixture *f, ts_ctx **ctx, const char *mime, const char *content)
{
    *ctx = tst_ctx_rules(TST_HEADER_RULES);
    char *path = fx_odf_write(f->dir, "t.odf", mime, content, PLAIN_META, NULL);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, *ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    return doc;
}

static void test_odt_table_cell_under_password_header_is_judged_by_it(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODT_MIME,
        ODT(OTBL(OTR(OTC("Bruker") OTC("Passord")) OTR(OTC("Kari Nordmann") OTC("Fjord2024"))
                     OTR(OTC("Ola") OTC("Vinter25")))));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    assert_int_equal(ts_finding_line(tst_find(doc, "credential.test-header-pw")), 5);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_odt_two_column_table_labels_a_value_by_its_row(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODT_MIME,
        ODT(OTBL(OTR(OTC("Server") OTC("srv-fil01")) OTR(OTC("Passord") OTC("Fjord2024")))));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_odt_spanned_covered_and_repeated_cells_keep_their_columns(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODT_MIME,
        ODT(OTBL(OTR(OTC("Bruker") OTC("Rolle") OTC("Passord") OTC("Merknad")) OTR(
            "<table:table-cell table:number-columns-spanned=\"2\"><text:p>Kari "
            "Nordmann</text:p></table:table-cell><table:covered-table-cell/>" OTC("Fjord2024")
                OTC("Byttes"))
                     OTR("<table:table-cell table:number-columns-repeated=\"2\"/>" OTC("Vinter25")
                             OTC("Ok")))));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_odt_cell_paragraphs_stay_on_the_cell_line(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODT_MIME,
        ODT(OTBL(OTR(OTC("Bruker") OTC("Passord"))
                     OTR(OTC("Kari Nordmann") "<table:table-cell><text:p>Fjord2024</text:p><text:p>"
                                              "Vinter25</text:p></table:table-cell>"))));
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    tst_expect_values(doc, "credential.test-header-pw", "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_odt_nested_table_is_flattened_into_its_cell(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODT_MIME,
        ODT(OTBL(OTR(OTC("Bruker") OTC("Passord")) OTR(OTC(
            "Kari Nordmann") "<table:table-cell>" OTBL(OTR(OTC("Fjord2024"))) "</table:table-cell>")
                     OTR(OTC("Ola") OTC("Vinter25")))));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_ods_each_sheet_has_its_own_header_row(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODS_MIME,
        CONTENT("", "<office:spreadsheet>" OTBL(OTR(OTC("Bruker") OTC("Passord"))
                                                    OTR(OTC("Kari Nordmann") OTC("Fjord2024")))
                        OTBL(OTR(OTC("Bruker") OTC("Merknad"))
                                 OTR(OTC("Ola") OTC("Vinter25"))) "</office:spreadsheet>"));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* A comment on a cell (office:annotation inside table:table-cell) is a comment, handed over
 * after the table: it is not the cell's text, so it does not become its row's label either. */
static void test_ods_cell_comment_is_no_part_of_its_row(void **state)
{
    ts_ctx *ctx;
    const char *content =
        CONTENT("", "<office:spreadsheet>" OTBL(
                        OTR(OTC("Bygg") OTC("Merknad"))
                            OTR("<table:table-cell><office:annotation><dc:creator>Kari</dc:creator>"
                                "<text:p>Passord: Fjord2024</text:p></office:annotation>"
                                "<text:p>Kommunehuset</text:p></table:table-cell>" OTC(
                                    "Vinter25"))) "</office:spreadsheet>");
    ts_doc *doc = scan_odf_rules(*state, &ctx, ODS_MIME, content);
    /* "Vinter25" is no password: "Passord" labels the comment's own value, not the row */
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    assert_int_equal(ts_finding_where(tst_find(doc, "credential.test-header-pw")),
                     TS_WHERE_COMMENT);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    /* the comment's own text is still read, as a comment */
    doc = scan_odf(*state, ODS_MIME, content, PLAIN_META, NULL);
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_COMMENT);
    ts_doc_free(doc);
}

static void test_odp_table_on_a_slide_is_a_table(void **state)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_odf_rules(
        *state, &ctx, ODP_MIME,
        CONTENT("", "<office:presentation><draw:page draw:name=\"s1\"><draw:frame>" OTBL(
                        OTR(OTC("Bruker") OTC("Passord")) OTR(OTC("Kari Nordmann") OTC(
                            "Fjord2024"))) "</draw:frame></draw:page></office:presentation>"));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    assert_int_equal(ts_finding_page(tst_find(doc, "credential.test-header-pw")), 1);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_odt_private_address_in_a_table_cell_is_still_found(void **state)
{
    ts_doc *doc = scan_odf(
        *state, ODT_MIME,
        ODT(OTBL(OTR(OTC("Enhet") OTC("IP-adresse")) OTR(OTC("Kjernesvitsj") OTC("10.20.1.1")))),
        PLAIN_META, NULL);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(ip), 5);
    ts_doc_free(doc);
}

static void test_odp_notes_are_notes(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODP_MIME,
        CONTENT("", "<office:presentation><draw:page draw:name=\"s1\"><draw:frame><draw:text-box>"
                    "<text:p>Fremdrift</text:p></draw:text-box></draw:frame><presentation:notes>"
                    "<draw:frame><draw:text-box><text:p>Leverandøren kobler seg til "
                    "vpn.fjordvik.no</text:p></draw:text-box></draw:frame></presentation:notes>"
                    "</draw:page></office:presentation>"),
        PLAIN_META, NULL);
    const ts_finding *ra = tst_find(doc, "firewall.remote-access");
    assert_non_null(ra);
    assert_int_equal(ts_finding_where(ra), TS_WHERE_NOTES);
    assert_int_equal(ts_finding_page(ra), 1);
    assert_non_null(tst_find(doc, "hidden.speaker-notes"));
    ts_doc_free(doc);
}

#define ODG_MIME "application/vnd.oasis.opendocument.graphics"
#define SHAPE(t) "<draw:custom-shape><text:p>" t "</text:p></draw:custom-shape>"

static void test_odg_network_drawing_gets_the_diagram_verdict(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODG_MIME,
        CONTENT("", "<office:drawing><draw:page draw:name=\"Nett\">" SHAPE("Brannmur")
                        SHAPE("Kjernesvitsj") SHAPE("Svitsj 2. etasje")
                            SHAPE("Servernett 10.20.30.0/24") "<draw:connector/><draw:connector/>"
                                                              "</draw:page></office:drawing>"),
        PLAIN_META, NULL);
    const ts_finding *d = tst_find(doc, "diagram.network");
    assert_non_null(d);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

/* Shapes with ids, and connectors glued to them, as LibreOffice Draw writes them. */
#define SHAPE_ID(id, t)                                                                            \
    "<draw:custom-shape draw:id=\"" id "\" xml:id=\"" id "\"><text:p>" t "</text:p>"               \
    "</draw:custom-shape>"

static void test_odg_connectors_are_named_by_the_shapes_they_join(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODG_MIME,
        CONTENT("", "<office:drawing><draw:page draw:name=\"Nett\">"
                    "<draw:connector draw:start-shape=\"id1\" draw:end-shape=\"id2\"/>" SHAPE_ID(
                        "id1", "Brannmur") SHAPE_ID("id2", "Kjernesvitsj")
                        SHAPE_ID("id3",
                                 "Svitsj 2. etasje") "<draw:connector draw:start-shape=\"id2\" "
                                                     "draw:end-shape=\"id3\"/>"
                                                     "<draw:line/></draw:page></office:drawing>"),
        PLAIN_META, NULL);
    tst_expect_detail(doc, "diagram.network",
                      "3 connectors; connected: Brannmur - Kjernesvitsj, Kjernesvitsj - Svitsj 2. "
                      "etasje");
    ts_doc_free(doc);
}

static void test_odg_plain_drawing_gets_no_verdict(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODG_MIME,
        CONTENT("",
                "<office:drawing><draw:page draw:name=\"Plan\">" SHAPE("Klasserom") SHAPE("Gang")
                    SHAPE("Garderobe") "<draw:connector/></draw:page></office:drawing>"),
        PLAIN_META, NULL);
    assert_null(tst_find(doc, "diagram.network"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

static void test_odf_meta_login_is_last_modified_by(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_odf(f, ODT_MIME, CONTENT("", "<office:text><text:p>Innledning</text:p></office:text>"),
                 META("<meta:initial-creator>Kari Nordmann</meta:initial-creator><dc:creator>olanor"
                      "</dc:creator><meta:generator>LibreOffice/7.4</meta:generator>"),
                 NULL);
    const ts_finding *lm = tst_find(doc, "metadata.last-modified-by");
    assert_non_null(lm);
    assert_string_equal(ts_finding_value(lm), "olanor");
    assert_non_null(tst_find(doc, "metadata.author"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_odt_clean_realistic_document_is_ok(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_odf(
        f, ODT_MIME,
        CONTENT("", "<office:text><text:h>Konkurransegrunnlag</text:h><text:p>Fjordvik kommune "
                    "inviterer til åpen anbudskonkurranse om kjøp av svitsjer.</text:p><text:p>"
                    "Tilbud leveres innen fristen i punkt 2.3.</text:p></office:text>"),
        META("<meta:initial-creator>Kari Nordmann</meta:initial-creator><meta:generator>"
             "LibreOffice/7.4</meta:generator>"),
        NULL);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

static void test_odf_encrypted_package_is_error_encrypted(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {
        {.name = "mimetype", .data = ODT_MIME},
        {.name = "META-INF/manifest.xml",
         .data = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:"
                 "manifest:1.0\"><manifest:file-entry manifest:full-path=\"content.xml\">"
                 "<manifest:encryption-data manifest:checksum=\"x\"/></manifest:file-entry>"
                 "</manifest:manifest>"},
        {.name = "content.xml", .data = "\x9c\x13\x7f binary"},
    };
    char *path = fx_zip_write(f->dir, "hemmelig.odt", parts, 3);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(path);
}

/*
 * A LibreOffice Basic module in the package is a macro (high: block) and its source is read:
 * the password in it is found; the library lists (script-lb.xml, script-lc.xml) are not modules.
 */
static void test_odt_basic_macro_is_flagged_and_its_source_read(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {
        {.name = "mimetype", .data = ODT_MIME},
        {.name = "content.xml",
         .data = "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:"
                 "office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">"
                 "<office:body><office:text><text:p>Tilbud leveres innen fristen.</text:p>"
                 "</office:text></office:body></office:document-content>"},
        {.name = "Basic/script-lc.xml", .data = "<library:libraries/>"},
        {.name = "Basic/Standard/script-lb.xml", .data = "<library:library/>"},
        {.name = "Basic/Standard/Module1.xml",
         .data = "<script:module script:name=\"Module1\">Sub Koble\n"
                 "  passord = &quot;Sommer2024!&quot;\nEnd Sub</script:module>"},
    };
    char *path = fx_zip_write(f->dir, "makro.odt", parts, 5);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    const ts_finding *m = tst_find(doc, "hidden.macros");
    assert_non_null(m);
    assert_string_equal(ts_finding_value(m), "Basic/Standard/Module1.xml");
    assert_int_equal(tst_count(doc, "hidden.macros"), 1);
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_value(pw), "Sommer2024!"); /* &quot; decoded */
    assert_int_equal(ts_finding_where(pw), TS_WHERE_HIDDEN_TEXT);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
    free(path);
}

static void test_corpus_odf_hiding_places_are_found(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    static const fx_expect cases[] = {
        {"odf/calamine_any_sheets.ods", "hidden.hidden-sheet", 2},
        {"odf/pandoc_hiddenTextByStyle.odt", "hidden.hidden-text", 1},
        {"odf/pandoc_hiddenTextByVariable.odt", "hidden.hidden-text", 1},
        {"odf/pandoc_trackedChanges.odt", "hidden.tracked-change", 1},
        {"odf/exiftool_OpenDoc_meta.ods", "metadata.author", 1},
    };
    fx_corpus_expect(f, cases, sizeof cases / sizeof cases[0]);
    char path[4096];
    snprintf(path, sizeof path, "%s/odf/calamine_pass_protected.ods", TS_CORPUS_DIR);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
    ts_doc_free(doc);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* A picture tenderscan has no reader for (a metafile) is not handed over as a document of its
 * own: it would make every such text an error. */
static void test_odt_picture_of_no_known_type_is_no_error(void **state)
{
    fixture *f = *state;
    size_t wlen;
    unsigned char *wmf = fx_wmf_polyline(500, NULL, &wlen);
    const fx_part parts[] = {
        {.name = "mimetype", .data = ODT_MIME},
        {.name = "content.xml",
         .data = CONTENT("", "<office:text><text:p>Tilbudet leveres innen fristen.</text:p>"
                             "</office:text>")},
        {.name = "Pictures/bilde.wmf", .data = (const char *)wmf, .len = wlen},
    };
    char *path = fx_zip_write(f->dir, "t.odt", parts, 3);
    ts_doc *doc = scan(f, path);
    assert_string_equal(ts_doc_format(doc), "odt");
    assert_null(ts_doc_error(doc));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_int_equal(ts_doc_child_count(doc), 0);
    ts_doc_free(doc);
    free(path);
    free(wmf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_odt_annotation_is_comment_with_author),
        T(test_ods_cell_comment_is_no_part_of_its_row),
        T(test_odt_picture_of_no_known_type_is_no_error),
        T(test_odt_tracked_deletion_with_password_blocks),
        T(test_odt_hidden_section_is_hidden_text),
        T(test_odt_hidden_style_hides_text),
        T(test_odt_header_in_styles_is_header),
        T(test_ods_hidden_sheet_cell_names_sheet_and_cell),
        T(test_odt_table_cell_under_password_header_is_judged_by_it),
        T(test_odt_two_column_table_labels_a_value_by_its_row),
        T(test_odt_spanned_covered_and_repeated_cells_keep_their_columns),
        T(test_odt_cell_paragraphs_stay_on_the_cell_line),
        T(test_odt_nested_table_is_flattened_into_its_cell),
        T(test_ods_each_sheet_has_its_own_header_row),
        T(test_odp_table_on_a_slide_is_a_table),
        T(test_odt_private_address_in_a_table_cell_is_still_found),
        T(test_odp_notes_are_notes),
        T(test_odg_network_drawing_gets_the_diagram_verdict),
        T(test_odg_connectors_are_named_by_the_shapes_they_join),
        T(test_odg_plain_drawing_gets_no_verdict),
        T(test_odf_meta_login_is_last_modified_by),
        T(test_odt_clean_realistic_document_is_ok),
        T(test_odf_encrypted_package_is_error_encrypted),
        T(test_odt_basic_macro_is_flagged_and_its_source_read),
        T(test_corpus_odf_hiding_places_are_found),
    };
    return cmocka_run_group_tests_name("extract_odf", tests, NULL, NULL);
}

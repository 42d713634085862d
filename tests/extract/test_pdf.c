/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the PDF extractor: text, metadata, annotations, forms, layers, revisions, hiding. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "extract/pdf.h"
#include "support/fx_passage.h"
#include "support/fx_pdf.h"

#define IP_RULE "network.ipv4-private"
#define PW_RULE "credential.password"
#define HIDDEN "hidden.invisible-text"
#define SECRET "passord: Sommer2024!"
#define MASKED "passord: So*******4!"

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

static ts_doc *scan(const ts_ctx *ctx, const unsigned char *pdf, size_t len)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, "test.pdf", pdf, len), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* Finish a cairo fixture and scan it (the bytes are freed: a scan keeps no reference). */
static ts_doc *scan_fx(const ts_ctx *ctx, fx_pdf *p)
{
    size_t len;
    unsigned char *pdf = fx_pdf_finish(p, &len);
    ts_doc *doc = scan(ctx, pdf, len);
    free(pdf);
    return doc;
}

/* Finish an update of a fixture, scan it and free its bytes. */
static ts_doc *scan_update(const ts_ctx *ctx, fx_objs *o, const char *trailer)
{
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, fx_objs_root(o), trailer, &len);
    ts_doc *doc = scan(ctx, pdf, len);
    free(pdf);
    return doc;
}

/* Give the first page an /Annots array holding `annots`. */
static void add_annots(fx_objs *o, const char *annots)
{
    unsigned page = fx_objs_find(o, "/Type /Page ", 0);
    assert_true(page > 0);
    fx_objs_extend(o, page, "/Annots [ %s ]", annots);
}

/* The first finding of `rule` at `where`, or NULL. */
static const ts_finding *find_at(const ts_doc *doc, const char *rule, ts_where where)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (strcmp(ts_finding_rule_id(f), rule) == 0 && ts_finding_where(f) == where)
            return f;
    }
    return NULL;
}

/* The first finding of `rule` with value `value`, or NULL. */
static const ts_finding *find_value(const ts_doc *doc, const char *rule, const char *value)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (strcmp(ts_finding_rule_id(f), rule) == 0 && strcmp(ts_finding_value(f), value) == 0)
            return f;
    }
    return NULL;
}

/*
 * The one invisible-text finding of `doc`: on `page`, for reason `why`, and the finding of
 * `rule` in that text placed at invisible-text, not in the body.
 */
static const ts_finding *expect_hidden(const ts_doc *doc, unsigned page, const char *why,
                                       const char *rule)
{
    const ts_finding *h = tst_find(doc, HIDDEN);
    assert_non_null(h);
    assert_int_equal(tst_count(doc, HIDDEN), 1);
    assert_int_equal(ts_finding_category(h), TS_CAT_HIDDEN);
    assert_int_equal(ts_finding_where(h), TS_WHERE_INVISIBLE_TEXT);
    assert_int_equal(ts_finding_page(h), page);
    assert_non_null(strstr(ts_finding_detail(h), why));
    const ts_finding *f = tst_find(doc, rule);
    assert_non_null(f);
    assert_int_equal(ts_finding_where(f), TS_WHERE_INVISIBLE_TEXT);
    assert_int_equal(ts_finding_page(f), page);
    assert_null(find_at(doc, rule, TS_WHERE_BODY)); /* reported once, where it hides */
    return h;
}

/* A tender page with the secret line at y = 300 on page `secret_page` of two. */
static fx_pdf *tender(int secret_page)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 14, 0x000000, "Konkurransegrunnlag drift av nettverk");
    fx_pdf_text(p, 72, 140, 11, 0x000000, "Leverandøren skal drifte kjernenettet.");
    if (secret_page == 1)
        fx_pdf_text(p, 72, 300, 12, 0x000000, SECRET);
    fx_pdf_next_page(p);
    fx_pdf_text(p, 72, 100, 11, 0x000000, "Side to av konkurransegrunnlaget.");
    if (secret_page == 2)
        fx_pdf_text(p, 72, 300, 12, 0x000000, SECRET);
    return p;
}

static void test_page_text_has_page_numbers(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Forside uten adresser");
    fx_pdf_next_page(p);
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Innledning");
    fx_pdf_text(p, 72, 130, 12, 0x000000, "Kjernesvitsj har adresse 10.20.1.1");
    ts_doc *doc = scan_fx(*state, p);
    assert_string_equal(ts_doc_format(doc), "pdf");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_page(ip), 2);
    assert_int_equal(ts_finding_line(ip), 2);
    ts_doc_free(doc);
}

/* Table cells drawn one by one with no space between them must not run together. */
static void test_table_cells_drawn_apart_stay_apart(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 10, 0x000000, "VLAN");
    fx_pdf_text(p, 110, 100, 10, 0x000000, "Navn");
    fx_pdf_text(p, 220, 100, 10, 0x000000, "Nett");
    fx_pdf_text(p, 72, 120, 10, 0x000000, "10");
    fx_pdf_text(p, 110, 120, 10, 0x000000, "Administrasjon");
    fx_pdf_text(p, 220, 120, 10, 0x000000, "10.46.10.0/24");
    fx_pdf_text(p, 330, 120, 10, 0x000000, "10.46.10.1");
    ts_doc *doc = scan_fx(*state, p);
    size_t subnets = 0;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++)
        subnets += strcmp(ts_finding_value(ts_doc_finding_at(doc, i)), "10.46.10.0/24") == 0;
    assert_int_equal(subnets, 1);
    ts_doc_free(doc);
}

static void test_black_box_over_password_is_invisible_text_and_blocks(void **state)
{
    fx_pdf *p = tender(2);
    fx_pdf_box_over(p, 72, 300, 12, SECRET, 2, 0x000000);
    ts_doc *doc = scan_fx(*state, p);
    assert_null(ts_doc_error(doc));
    const ts_finding *h = expect_hidden(doc, 2, "under a filled box", PW_RULE);
    assert_string_equal(ts_finding_value(h), MASKED); /* the secret stays masked */
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

/* Issue 12 / DESIGN §5: text somebody blacked out and that can still be read blocks, whatever it
 * says. */
static void test_black_box_over_ordinary_text_still_blocks(void **state)
{
    static const char text[] = "Kontaktperson hos kommunen er Kari Hansen";
    fx_pdf *p = tender(0);
    fx_pdf_text(p, 72, 300, 12, 0x000000, text);
    fx_pdf_box_over(p, 72, 300, 12, text, 2, 0x000000);
    ts_doc *doc = scan_fx(*state, p);
    assert_null(ts_doc_error(doc));
    const ts_finding *h = tst_find(doc, "hidden.invisible-text");
    assert_non_null(h);
    assert_int_equal(ts_finding_severity(h), TS_SEV_HIGH);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

/* A black picture pasted over the password (an image XObject, not a filled path) hides it too. */
static void test_black_image_over_password_is_invisible_text(void **state)
{
    fx_pdf *p = tender(2);
    fx_pdf_image_solid(p, 70, 288, 160, 16, 0x000000);
    ts_doc *doc = scan_fx(*state, p);
    assert_null(ts_doc_error(doc));
    expect_hidden(doc, 2, "under a filled box or image", PW_RULE);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

/* A picture beside the text, or one drawn first with the text on top, hides nothing. */
static void test_image_beside_or_under_text_hides_nothing(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_image_solid(p, 70, 288, 160, 16, 0xFFFF00); /* drawn first: the text is on top */
    fx_pdf_text(p, 72, 300, 12, 0x000000, SECRET);
    fx_pdf_image_solid(p, 70, 500, 160, 40, 0x000000); /* elsewhere on the page */
    ts_doc *doc = scan_fx(*state, p);
    assert_null(tst_find(doc, HIDDEN));
    assert_non_null(find_at(doc, PW_RULE, TS_WHERE_BODY));
    ts_doc_free(doc);
}

static void test_highlight_under_text_is_not_hidden(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 14, 0x000000, "Konkurransegrunnlag drift av nettverk");
    fx_pdf_box_over(p, 72, 300, 12, SECRET, 2, 0xFFFF00);
    fx_pdf_text(p, 72, 300, 12, 0x000000, SECRET);
    ts_doc *doc = scan_fx(*state, p);
    assert_null(tst_find(doc, HIDDEN));
    const ts_finding *pw = tst_find(doc, PW_RULE);
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    ts_doc_free(doc);
}

static void test_box_beside_text_hides_nothing(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 300, 12, 0x000000, SECRET);
    fx_pdf_box(p, 72, 400, 200, 40, 0x000000); /* a black bar elsewhere on the page */
    ts_doc *doc = scan_fx(*state, p);
    assert_null(tst_find(doc, HIDDEN));
    assert_non_null(find_at(doc, PW_RULE, TS_WHERE_BODY));
    ts_doc_free(doc);
}

static void test_white_text_on_white_is_invisible(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Synlig tekst");
    fx_pdf_text(p, 72, 300, 12, 0xFFFFFF, "Brannmur 10.20.30.40 tillater RDP");
    ts_doc *doc = scan_fx(*state, p);
    expect_hidden(doc, 1, "same colour", IP_RULE);
    ts_doc_free(doc);
}

static void test_tiny_text_is_invisible(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Synlig tekst");
    fx_pdf_text(p, 72, 300, 1, 0x000000, "Kjernesvitsj 10.20.1.1");
    ts_doc *doc = scan_fx(*state, p);
    expect_hidden(doc, 1, "too small", IP_RULE);
    ts_doc_free(doc);
}

static void test_render_mode_3_text_is_invisible(void **state)
{
    const char *content[] = {"BT /F1 12 Tf 72 750 Td (Synlig tekst) Tj ET\n"
                             "BT /F1 12 Tf 3 Tr 72 500 Td (passord: Sommer2024!) Tj ET\n"};
    size_t len;
    unsigned char *pdf = fx_pdf_simple(content, 1, 1, NULL, &len);
    ts_doc *doc = scan(*state, pdf, len);
    assert_null(ts_doc_error(doc));
    expect_hidden(doc, 1, "never painted", PW_RULE);
    ts_doc_free(doc);
    free(pdf);
}

static void test_black_text_on_black_box_is_invisible(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Synlig tekst");
    fx_pdf_box_over(p, 72, 300, 12, SECRET, 2, 0x000000); /* the box first, then the text */
    fx_pdf_text(p, 72, 300, 12, 0x000000, SECRET);
    ts_doc *doc = scan_fx(*state, p);
    const ts_finding *h = expect_hidden(doc, 1, "same colour", PW_RULE);
    assert_string_equal(ts_finding_value(h), MASKED); /* the secret stays masked */
    ts_doc_free(doc);
}

static void test_box_added_by_an_update_hides_text(void **state)
{
    /* a later edit lays a black box over the secret in a content stream of its own */
    fx_objs *o = fx_objs_update(tender(1));
    unsigned page = fx_objs_find(o, "/Type /Page ", 0);
    char *body = fx_objs_body(o, page);
    const char *c = strstr(body, "/Contents ");
    assert_non_null(c);
    unsigned old = (unsigned)strtoul(c + 10, NULL, 10);
    free(body);
    /* as overlay tools do: the old content between q and Q, then the box in page space */
    static const char q[] = "q\n", Q[] = "Q\n", box[] = "0 0 0 rg 68 530 260 20 re f\n";
    unsigned sq = fx_objs_next(o), sQ = fx_objs_next(o), extra = fx_objs_next(o);
    fx_objs_stream(o, sq, "", q, strlen(q));
    fx_objs_stream(o, sQ, "", Q, strlen(Q));
    fx_objs_stream(o, extra, "", box, strlen(box));
    /* a later /Contents entry wins over the first (ISO 32000-2 §7.3.7: the last key counts) */
    fx_objs_extend(o, page, "/Contents [ %u 0 R %u 0 R %u 0 R %u 0 R ]", sq, old, sQ, extra);
    ts_doc *doc = scan_update(*state, o, NULL);
    expect_hidden(doc, 1, "under a filled box", PW_RULE);
    /* the earlier revision shows the same text: nothing only there */
    assert_null(tst_find(doc, "hidden.pdf-revision"));
    ts_doc_free(doc);
}

static void test_square_annotation_over_text_hides_it(void **state)
{
    fx_objs *o = fx_objs_update(tender(1));
    add_annots(o, "<< /Type /Annot /Subtype /Square /Rect [68 530 330 552] /C [0 0 0] "
                  "/IC [0 0 0] /T (Kari Nordmann) >>");
    ts_doc *doc = scan_update(*state, o, NULL);
    const ts_finding *h = expect_hidden(doc, 1, "under a filled box", PW_RULE);
    assert_string_equal(ts_finding_value(h), MASKED); /* the secret stays masked */
    assert_non_null(find_value(doc, "hidden.pdf-annotation", "Kari Nordmann"));
    ts_doc_free(doc);
}

static void test_ocr_layer_over_a_scan_is_not_flagged(void **state)
{
    /* what OCR tools write: the page image, then the recognised text in render mode 3 */
    fx_objs *o = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(o), pages = fx_objs_next(o), font = fx_objs_next(o);
    unsigned image = fx_objs_next(o), content = fx_objs_next(o), page = fx_objs_next(o);
    static const unsigned char grey[3] = {200, 200, 200};
    fx_objs_stream(o, image,
                   "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceRGB "
                   "/BitsPerComponent 8",
                   grey, 3);
    static const char c[] = "q 595 0 0 842 0 0 cm /Im1 Do Q\n"
                            "BT 3 Tr /F1 12 Tf 72 700 Td (Kjernesvitsj 10.20.1.1) Tj ET\n";
    fx_objs_stream(o, content, "", c, strlen(c));
    fx_objs_put(o, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    fx_objs_put(o, page,
                "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                "/Resources << /Font << /F1 %u 0 R >> /XObject << /Im1 %u 0 R >> >> >>",
                pages, content, font, image);
    fx_objs_put(o, pages, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
    fx_objs_put(o, catalog, "<< /Type /Catalog /Pages %u 0 R >>", pages);
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    ts_doc *doc = scan(*state, pdf, len);
    assert_null(tst_find(doc, HIDDEN));
    assert_null(tst_find(doc, "hidden.image-only-page"));
    assert_int_equal(ts_finding_where(tst_find(doc, IP_RULE)), TS_WHERE_BODY);
    ts_doc_free(doc);
    free(pdf);
}

static void test_metadata_login_and_local_path(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_meta(p, CAIRO_PDF_METADATA_AUTHOR, "olanor");
    fx_pdf_meta(p, CAIRO_PDF_METADATA_TITLE, "C:\\Users\\olanor\\Documents\\tilbud.docx");
    fx_pdf_meta(p, CAIRO_PDF_METADATA_CREATOR, "Microsoft Word 2016");
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Innhold");
    ts_doc *doc = scan_fx(*state, p);
    const ts_finding *u = find_value(doc, "metadata.user-name", "olanor");
    assert_non_null(u);
    assert_int_equal(ts_finding_where(u), TS_WHERE_METADATA);
    assert_int_equal(ts_finding_category(u), TS_CAT_METADATA);
    const ts_finding *path =
        find_value(doc, "metadata.user-path", "C:\\Users\\olanor\\Documents\\tilbud.docx");
    assert_non_null(path);
    assert_int_equal(ts_finding_where(path), TS_WHERE_METADATA);
    assert_non_null(find_value(doc, "metadata.software", "Microsoft Word 2016"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_plain_author_name_is_low(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_meta(p, CAIRO_PDF_METADATA_AUTHOR, "Kari Nordmann");
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Innhold");
    ts_doc *doc = scan_fx(*state, p);
    const ts_finding *a = find_value(doc, "metadata.author", "Kari Nordmann");
    assert_non_null(a);
    assert_int_equal(ts_finding_severity(a), TS_SEV_LOW);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

static const char XMP[] =
    "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
    "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' "
    "xmlns:xmp='http://ns.adobe.com/xap/1.0/' xmp:CreatorTool='AutoCAD 2012'>"
    "<dc:creator><rdf:Seq><rdf:li>KOMMUNE\\olanor</rdf:li></rdf:Seq></dc:creator>"
    "<dc:source>/home/olanor/tegninger/nett.dwg</dc:source>"
    "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";

static void test_xmp_creator_tool_and_path(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Tegning");
    /* an update whose catalog points at an XMP packet */
    fx_objs *o = fx_objs_update(p);
    unsigned meta = fx_objs_next(o);
    fx_objs_stream(o, meta, "/Type /Metadata /Subtype /XML", XMP, strlen(XMP));
    fx_objs_extend(o, fx_objs_root(o), "/Metadata %u 0 R", meta);
    ts_doc *doc = scan_update(*state, o, NULL);
    assert_null(ts_doc_error(doc));
    const ts_finding *u = find_value(doc, "metadata.user-name", "KOMMUNE\\olanor");
    assert_non_null(u);
    assert_int_equal(ts_finding_where(u), TS_WHERE_METADATA);
    assert_non_null(find_value(doc, "metadata.software", "AutoCAD 2012"));
    assert_non_null(find_value(doc, "metadata.user-path", "/home/olanor/tegninger/nett.dwg"));
    ts_doc_free(doc);
}

static void test_annotation_text_and_author_are_reported(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Kravspesifikasjon");
    fx_objs *o = fx_objs_update(p);
    add_annots(o, "<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /T (olanor) "
                  "/Contents (Husk: ruteren har adresse 192.168.10.1) >>");
    ts_doc *doc = scan_update(*state, o, NULL);
    const ts_finding *a = tst_find(doc, "hidden.pdf-annotation");
    assert_non_null(a);
    assert_string_equal(ts_finding_value(a), "olanor");
    assert_int_equal(ts_finding_where(a), TS_WHERE_ANNOTATION);
    assert_int_equal(ts_finding_page(a), 1);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_ANNOTATION);
    assert_non_null(find_value(doc, "metadata.user-name", "olanor"));
    ts_doc_free(doc);
}

static void test_form_field_value_is_scanned(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Skjema");
    fx_objs *o = fx_objs_update(p);
    unsigned page = fx_objs_find(o, "/Type /Page ", 0);
    unsigned field = fx_objs_next(o);
    fx_objs_put(o, field,
                "<< /Type /Annot /Subtype /Widget /FT /Tx /T (admin) /V (passord: Sommer2024!) "
                "/Rect [72 600 300 620] /P %u 0 R >>",
                page);
    fx_objs_extend(o, page, "/Annots [ %u 0 R ]", field);
    fx_objs_extend(o, fx_objs_root(o), "/AcroForm << /Fields [ %u 0 R ] >>", field);
    ts_doc *doc = scan_update(*state, o, NULL);
    const ts_finding *pw = tst_find(doc, PW_RULE);
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_FORM_FIELD);
    assert_int_equal(ts_finding_page(pw), 1);
    ts_doc_free(doc);
}

static void test_attachment_is_scanned_as_child(void **state)
{
    static const char plan[] = "VLAN 20 klienter 10.20.0.0/16\nVLAN 30 servere 10.30.0.0/16\n";
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Vedlegg");
    fx_objs *o = fx_objs_update(p);
    unsigned data = fx_objs_next(o), spec = fx_objs_next(o);
    fx_objs_stream(o, data, "/Type /EmbeddedFile", plan, strlen(plan));
    fx_objs_put(o, spec,
                "<< /Type /Filespec /F (ipplan.txt) /UF (ipplan.txt) /EF << /F %u 0 R >> >>", data);
    fx_objs_extend(o, fx_objs_root(o),
                   "/Names << /EmbeddedFiles << /Names [ (ipplan.txt) %u 0 R ] >> >>", spec);
    ts_doc *doc = scan_update(*state, o, NULL);
    const ts_finding *a = tst_find(doc, "hidden.pdf-attachment");
    assert_non_null(a);
    assert_string_equal(ts_finding_value(a), "ipplan.txt");
    assert_int_equal(ts_finding_where(a), TS_WHERE_ATTACHMENT);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *child = ts_doc_child_at(doc, 0);
    assert_string_equal(ts_doc_path(child), "test.pdf!ipplan.txt");
    const ts_finding *net = tst_find(child, "network.ipv4-subnet");
    assert_non_null(net);
    assert_string_equal(ts_finding_value(net), "10.20.0.0/16");
    ts_doc_free(doc);
}

/*
 * ISO 32000-2 §7.6.6: an attachment under a crypt filter of its own (/EFF) in a PDF that opens
 * without a password (/StmF /Identity) cannot be read: its child says so (encrypted), where it
 * said "empty file" or scanned the ciphertext as a file of its own; the page is still read.
 */
static void test_attachment_under_its_own_crypt_filter_is_encrypted(void **state)
{
    unsigned char secret[64];
    for (size_t i = 0; i < sizeof secret; i++)
        secret[i] = (unsigned char)(i * 37u + 11u); /* what ciphertext looks like to a reader */
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Kjernesvitsj har adresse 10.20.1.1");
    fx_objs *o = fx_objs_update(p);
    unsigned data = fx_objs_next(o), spec = fx_objs_next(o), enc = fx_objs_next(o);
    fx_objs_stream(o, data,
                   "/Type /EmbeddedFile /Filter [/Crypt] /DecodeParms [<< /Name /StdCF >>]", secret,
                   sizeof secret);
    fx_objs_put(o, spec,
                "<< /Type /Filespec /F (ipplan.txt) /UF (ipplan.txt) /EF << /F %u 0 R >> >>", data);
    fx_objs_extend(o, fx_objs_root(o),
                   "/Names << /EmbeddedFiles << /Names [ (ipplan.txt) %u 0 R ] >> >>", spec);
    /* AES-256 (R6) with a user password for the attachments only; /O and /U match no password */
    fx_objs_put(o, enc,
                "<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /EncryptMetadata false "
                "/CF << /StdCF << /AuthEvent /EFOpen /CFM /AESV3 /Length 32 >> >> /EFF /StdCF "
                "/StmF /Identity /StrF /Identity "
                "/O <%s> /U <%s> /OE <%s> /UE <%s> /Perms <0102030405060708090a0b0c0d0e0f10> >>",
                "0102030405060708091011121314151617181920212223242526272829303132"
                "33343536373839404142434445464748",
                "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0"
                "c1c2c3c4c5c6c7c8c9cacbcccdcecfd0",
                "0102030405060708091011121314151617181920212223242526272829303132",
                "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0");
    char trailer[160];
    snprintf(trailer, sizeof(trailer),
             "/Encrypt %u 0 R /ID [<00112233445566778899aabbccddeeff> "
             "<00112233445566778899aabbccddeeff>]",
             enc);
    ts_doc *doc = scan_update(*state, o, trailer);
    assert_non_null(tst_find(doc, "network.ipv4-private")); /* the page was read */
    assert_non_null(tst_find(doc, "hidden.pdf-attachment"));
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *child = ts_doc_child_at(doc, 0);
    assert_string_equal(ts_doc_path(child), "test.pdf!ipplan.txt");
    assert_int_equal(ts_doc_grade(child), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(child), TS_EENCRYPTED);
    assert_non_null(strstr(ts_doc_error(child), "cannot be read without the PDF's password"));
    assert_non_null(strstr(ts_doc_error_text(child, TS_LANG_NB), "uten PDF-ens passord"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
}

static void test_javascript_is_flagged(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Skjema");
    fx_objs *o = fx_objs_update(p);
    fx_objs_extend(o, fx_objs_root(o), "/OpenAction << /S /JavaScript /JS (app.alert\\(1\\);) >>");
    ts_doc *doc = scan_update(*state, o, NULL);
    const ts_finding *js = tst_find(doc, "hidden.pdf-javascript");
    assert_non_null(js);
    assert_int_equal(ts_finding_severity(js), TS_SEV_HIGH);
    ts_doc_free(doc);
}

static void test_hidden_layer_and_its_text_are_reported(void **state)
{
    fx_objs *o = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(o), pages = fx_objs_next(o), font = fx_objs_next(o);
    unsigned shown = fx_objs_next(o), hidden = fx_objs_next(o), content = fx_objs_next(o);
    unsigned page = fx_objs_next(o);
    static const char c[] =
        "BT /F1 12 Tf 72 750 Td (Plantegning 2. etasje) Tj ET\n"
        "/OC /oc1 BDC BT /F1 12 Tf 72 700 Td (Svitsj SW-02 10.40.2.1) Tj ET EMC\n"
        "/OC /oc2 BDC BT /F1 12 Tf 72 650 Td (Dører og vinduer) Tj ET EMC\n";
    fx_objs_stream(o, content, "", c, strlen(c));
    fx_objs_put(o, shown, "<< /Type /OCG /Name (Arkitekt) >>");
    fx_objs_put(o, hidden, "<< /Type /OCG /Name (Nettverk) >>");
    fx_objs_put(o, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    fx_objs_put(o, page,
                "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                "/Resources << /Font << /F1 %u 0 R >> /Properties << /oc1 %u 0 R /oc2 %u 0 R >> "
                ">> >>",
                pages, content, font, hidden, shown);
    fx_objs_put(o, pages, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
    fx_objs_put(o, catalog,
                "<< /Type /Catalog /Pages %u 0 R /OCProperties << /OCGs [%u 0 R %u 0 R] "
                "/D << /Order [%u 0 R %u 0 R] /OFF [%u 0 R] >> >> >>",
                pages, shown, hidden, shown, hidden, hidden);
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    ts_doc *doc = scan(*state, pdf, len);
    assert_null(ts_doc_error(doc));
    const ts_finding *l = tst_find(doc, "hidden.pdf-hidden-layer");
    assert_non_null(l);
    assert_string_equal(ts_finding_value(l), "Nettverk");
    assert_int_equal(ts_finding_where(l), TS_WHERE_LAYER);
    assert_int_equal(tst_count(doc, "hidden.pdf-hidden-layer"), 1);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_LAYER);
    assert_int_equal(ts_finding_page(ip), 1);
    ts_doc_free(doc);
    free(pdf);
}

static void test_damaged_layer_list_is_an_error_not_a_crash(void **state)
{
    /* /Order names an object that is no OCG: poppler-glib 22.12 crashes listing such layers */
    fx_objs *o = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(o), pages = fx_objs_next(o), font = fx_objs_next(o);
    unsigned layer = fx_objs_next(o), content = fx_objs_next(o), page = fx_objs_next(o);
    static const char c[] = "BT /F1 12 Tf 72 750 Td (Plantegning) Tj ET\n";
    fx_objs_stream(o, content, "", c, strlen(c));
    fx_objs_put(o, layer, "<< /Type /OCG /Name (Nettverk) >>");
    fx_objs_put(o, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    fx_objs_put(o, page,
                "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                "/Resources << /Font << /F1 %u 0 R >> >> >>",
                pages, content, font);
    fx_objs_put(o, pages, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
    fx_objs_put(o, catalog,
                "<< /Type /Catalog /Pages %u 0 R /OCProperties << /OCGs [%u 0 R] "
                "/D << /Order [%u 0 R %u 0 R] >> >> >>",
                pages, layer, layer, font);
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    ts_doc *doc = scan(*state, pdf, len);
    free(pdf);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_non_null(strstr(ts_doc_error(doc), "layers were not read"));
    ts_doc_free(doc);
}

static void test_removed_page_is_reported_as_revision(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Konkurransegrunnlag");
    fx_pdf_next_page(p);
    fx_pdf_text(p, 72, 100, 12, 0x000000, "IP-plan");
    fx_pdf_text(p, 72, 130, 12, 0x000000, "Klientnett 10.20.0.0/16 gateway 10.20.0.1");
    fx_pdf_text(p, 72, 160, 12, 0x000000, "Servernett 10.30.0.0/16 gateway 10.30.0.1");
    /* the update keeps only the first page */
    fx_objs *o = fx_objs_update(p);
    unsigned pages = fx_objs_find(o, "/Type /Pages", 0);
    unsigned first = fx_objs_find(o, "/Type /Page ", 0);
    fx_objs_put(o, pages, "<< /Type /Pages /Kids [ %u 0 R ] /Count 1 >>", first);
    ts_doc *doc = scan_update(*state, o, NULL);
    assert_null(ts_doc_error(doc));
    const ts_finding *r = tst_find(doc, "hidden.pdf-revision");
    assert_non_null(r);
    assert_int_equal(ts_finding_where(r), TS_WHERE_REVISION);
    assert_int_equal(ts_finding_page(r), 2);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_REVISION);
    assert_int_equal(ts_finding_page(ip), 2);
    assert_null(find_at(doc, IP_RULE, TS_WHERE_BODY));
    assert_true(ts_doc_grade(doc) >= TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_removed_comment_is_reported_as_revision(void **state)
{
    fx_objs *o = fx_objs_update(tender(0));
    unsigned page = fx_objs_find(o, "/Type /Page ", 0);
    char *plain = fx_objs_body(o, page);
    add_annots(o, "<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /T (Kari Nordmann) "
                  "/Contents (Bruk ruteren 192.168.10.1) >>");
    size_t len;
    unsigned char *up = fx_objs_finish(o, fx_objs_root(o), NULL, &len);
    /* a second update drops the comment again: the page as it was at first */
    o = fx_objs_new(up, len);
    free(up);
    fx_objs_put(o, page, "%s", plain);
    free(plain);
    ts_doc *doc = scan_update(*state, o, NULL);
    assert_null(ts_doc_error(doc));
    assert_null(tst_find(doc, "hidden.pdf-annotation"));
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_REVISION);
    assert_int_equal(ts_finding_page(ip), 1);
    assert_string_equal(ts_finding_part(ip), "revision 2 of 3");
    assert_non_null(tst_find(doc, "hidden.pdf-revision"));
    assert_int_equal(tst_count(doc, "hidden.pdf-revision"), 1);
    ts_doc_free(doc);
}

static void test_update_that_changes_nothing_is_not_a_revision_finding(void **state)
{
    fx_objs *o = fx_objs_update(tender(1));
    unsigned root = fx_objs_root(o);
    char *cat = fx_objs_body(o, root);
    fx_objs_put(o, root, "%s", cat);
    free(cat);
    ts_doc *doc = scan_update(*state, o, NULL);
    assert_null(tst_find(doc, "hidden.pdf-revision"));
    assert_null(find_at(doc, PW_RULE, TS_WHERE_REVISION));
    assert_non_null(find_at(doc, PW_RULE, TS_WHERE_BODY));
    /* but the file says it keeps an earlier version (issue 12), as information only */
    const ts_finding *kept = tst_find(doc, "hidden.pdf-revisions-kept");
    assert_non_null(kept);
    assert_int_equal(ts_finding_severity(kept), TS_SEV_INFO);
    assert_string_equal(ts_finding_value(kept), "1 earlier revision");
    ts_doc_free(doc);
}

static void test_image_only_page_needs_review(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Forside");
    fx_pdf_next_page(p);
    fx_pdf_image(p, 50, 50, 300, 400);
    ts_doc *doc = scan_fx(*state, p);
    const ts_finding *f = tst_find(doc, "hidden.image-only-page");
    assert_non_null(f);
    assert_string_equal(ts_finding_value(f), "page 2");
    assert_int_equal(ts_finding_page(f), 2);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_user_password_is_encrypted_error(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Hemmelig");
    fx_objs *o = fx_objs_update(p);
    unsigned enc = fx_objs_next(o);
    /* RC4 40-bit (ISO 32000-2 §7.6.4) with /U that no empty password produces */
    fx_objs_put(o, enc,
                "<< /Filter /Standard /V 1 /R 2 /P -44 "
                "/O <0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20> "
                "/U <a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0> >>");
    char trailer[128];
    snprintf(trailer, sizeof(trailer),
             "/Encrypt %u 0 R /ID [<00112233445566778899aabbccddeeff> "
             "<00112233445566778899aabbccddeeff>]",
             enc);
    ts_doc *doc = scan_update(*state, o, trailer);
    assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
    assert_non_null(strstr(ts_doc_error(doc), "a password is needed"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
}

/* ---- an owner password only (ISO 32000-2 §7.6.4, RC4 40-bit, revision 2) ------------------- */

static void rc4(const unsigned char *key, size_t klen, unsigned char *buf, size_t n)
{
    unsigned char S[256];
    for (int i = 0; i < 256; i++)
        S[i] = (unsigned char)i;
    for (int i = 0, j = 0; i < 256; i++) {
        j = (j + S[i] + key[(size_t)i % klen]) & 255;
        unsigned char t = S[i];
        S[i] = S[j];
        S[j] = t;
    }
    for (size_t k = 0, i = 0, j = 0; k < n; k++) {
        i = (i + 1) & 255;
        j = (j + S[i]) & 255;
        unsigned char t = S[i];
        S[i] = S[j];
        S[j] = t;
        buf[k] ^= S[(S[i] + S[j]) & 255];
    }
}

static void md5(const void *data, size_t n, unsigned char out[16])
{
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(data, n, out, &len, EVP_md5(), NULL), 1);
}

static void hex(char *out, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static const unsigned char PAD[32] = {
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A};

/* A one-page PDF that opens without a password but is encrypted for its owner. */
static unsigned char *owner_only(const char *content, size_t *len)
{
    static const unsigned char id[16] = "tenderscan-fixtu";
    unsigned char o[32], key[16], u[32];
    /* /O: the empty user password padded, encrypted with a key from the owner's "eier" */
    unsigned char owner[32];
    memcpy(owner, "eier", 4);
    memcpy(owner + 4, PAD, 28);
    md5(owner, 32, key);
    memcpy(o, PAD, 32);
    rc4(key, 5, o, 32);
    /* the file key: the empty user password, /O, /P and the first /ID (Algorithm 2) */
    unsigned char in[32 + 32 + 4 + 16];
    int32_t perms = -44;
    memcpy(in, PAD, 32);
    memcpy(in + 32, o, 32);
    for (int i = 0; i < 4; i++)
        in[64 + i] = (unsigned char)(((uint32_t)perms >> (8 * i)) & 0xFF);
    memcpy(in + 68, id, 16);
    md5(in, sizeof(in), key);
    memcpy(u, PAD, 32);
    rc4(key, 5, u, 32);

    fx_objs *x = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(x), pages = fx_objs_next(x), font = fx_objs_next(x);
    unsigned stream = fx_objs_next(x), page = fx_objs_next(x), enc = fx_objs_next(x);
    /* the content stream's own key: file key, object number, generation (Algorithm 1) */
    unsigned char ok[5 + 5], okey[16];
    memcpy(ok, key, 5);
    ok[5] = (unsigned char)(stream & 0xFF);
    ok[6] = (unsigned char)((stream >> 8) & 0xFF);
    ok[7] = (unsigned char)((stream >> 16) & 0xFF);
    ok[8] = ok[9] = 0;
    md5(ok, sizeof(ok), okey);
    size_t n = strlen(content);
    unsigned char *data = malloc(n);
    assert_non_null(data);
    memcpy(data, content, n);
    rc4(okey, 10, data, n);
    fx_objs_stream(x, stream, "", data, n);
    free(data);
    fx_objs_put(x, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    fx_objs_put(x, page,
                "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                "/Resources << /Font << /F1 %u 0 R >> >> >>",
                pages, stream, font);
    fx_objs_put(x, pages, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
    fx_objs_put(x, catalog, "<< /Type /Catalog /Pages %u 0 R >>", pages);
    char oh[65], uh[65], ih[33];
    hex(oh, o, 32);
    hex(uh, u, 32);
    hex(ih, id, 16);
    fx_objs_put(x, enc, "<< /Filter /Standard /V 1 /R 2 /P %d /O <%s> /U <%s> >>", (int)perms, oh,
                uh);
    char trailer[160];
    snprintf(trailer, sizeof(trailer), "/Encrypt %u 0 R /ID [<%s> <%s>]", enc, ih, ih);
    return fx_objs_finish(x, catalog, trailer, len);
}

static void test_owner_password_only_is_scanned(void **state)
{
    size_t len;
    unsigned char *pdf = owner_only("BT /F1 12 Tf 72 700 Td (Kjernesvitsj 10.20.1.1) Tj ET\n"
                                    "BT /F1 12 Tf 72 500 Td (passord: Sommer2024!) Tj ET\n"
                                    "0 0 0 rg 68 495 170 17 re f\n",
                                    &len);
    ts_doc *doc = scan(*state, pdf, len);
    assert_null(ts_doc_error(doc));
    assert_int_equal(ts_finding_where(tst_find(doc, IP_RULE)), TS_WHERE_BODY);
    /*
     * The pre-scan cannot read encrypted streams: the page is looked at whole, and a black
     * glyph on black reads as the same colour as what is behind it.
     */
    const ts_finding *h = expect_hidden(doc, 1, "the same colour", PW_RULE);
    assert_string_equal(ts_finding_value(h), MASKED);
    ts_doc_free(doc);
    free(pdf);
}

static void test_not_a_pdf_is_corrupt(void **state)
{
    static const char junk[] = "%PDF-1.7\nthis is not a PDF at all\n";
    ts_doc *doc = scan(*state, (const unsigned char *)junk, sizeof(junk) - 1);
    assert_string_equal(ts_doc_format(doc), "pdf");
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
}

static void test_truncated_pdf_is_error_or_bounded(void **state)
{
    fx_pdf *p = tender(1);
    size_t len;
    unsigned char *pdf = fx_pdf_finish(p, &len);
    ts_doc *doc = scan(*state, pdf, len / 2);
    /* poppler may rebuild what it can; a cut file never passes as a clean ok */
    assert_true(ts_doc_error_status(doc) != TS_OK || ts_doc_grade(doc) != TS_GRADE_OK);
    ts_doc_free(doc);
    free(pdf);
}

static void test_ten_thousand_pages_are_bounded(void **state)
{
    const char *content[] = {"BT /F1 12 Tf 72 750 Td (Side) Tj ET\n"};
    size_t len;
    unsigned char *pdf = fx_pdf_simple(content, 1, 10000, NULL, &len);
    ts_ctx *ctx = *state;
    ts_limits lim = {.max_items = 300};
    ts_ctx_set_limits(ctx, &lim);
    time_t t0 = time(NULL);
    ts_doc *doc = scan(ctx, pdf, len);
    assert_true(time(NULL) - t0 < 60);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "10000 pages"));
    ts_doc_free(doc);
    free(pdf);
}

static void test_page_tree_loop_does_not_hang(void **state)
{
    fx_objs *o = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(o), pages = fx_objs_next(o), font = fx_objs_next(o);
    unsigned content = fx_objs_next(o), page = fx_objs_next(o);
    static const char c[] = "BT /F1 12 Tf 72 750 Td (Side en) Tj ET\n";
    fx_objs_stream(o, content, "", c, strlen(c));
    fx_objs_put(o, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    fx_objs_put(o, page,
                "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                "/Resources << /Font << /F1 %u 0 R >> >> >>",
                pages, content, font);
    fx_objs_put(o, pages, "<< /Type /Pages /Kids [%u 0 R %u 0 R] /Count 2 >>", page, pages);
    fx_objs_put(o, catalog, "<< /Type /Catalog /Pages %u 0 R >>", pages);
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    ts_doc *doc = scan(*state, pdf, len);
    assert_string_equal(ts_doc_format(doc), "pdf");
    /* the page that can be reached is read; the loop makes the file incomplete */
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_non_null(strstr(ts_doc_error(doc), "1 of 2 pages could not be read"));
    ts_doc_free(doc);
    free(pdf);
}

/* ---- pages the objects show (pdf_pages.c) -------------------------------------------------- */

/*
 * A document whose pages are `npages` objects under one /Pages node (its /Count `count`), the
 * last page holding SECRET; the catalog's /Pages is `catalog_pages` ("%u 0 R" for the node, or
 * "null"). *node gets the node's number.
 */
static fx_objs *pages_doc(unsigned npages, unsigned count, const char *catalog_pages,
                          unsigned *catalog, unsigned *node)
{
    fx_objs *o = fx_objs_new(NULL, 0);
    *catalog = fx_objs_next(o);
    *node = fx_objs_next(o);
    unsigned font = fx_objs_next(o), plain = fx_objs_next(o), secret = fx_objs_next(o);
    static const char c1[] = "BT /F1 12 Tf 72 750 Td (Konkurransegrunnlag drift) Tj ET\n";
    static const char c2[] = "BT /F1 12 Tf 72 750 Td (" SECRET ") Tj ET\n";
    fx_objs_stream(o, plain, "", c1, strlen(c1));
    fx_objs_stream(o, secret, "", c2, strlen(c2));
    fx_objs_put(o, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    char kids[512] = "";
    for (unsigned i = 0; i < npages; i++) {
        unsigned page = fx_objs_next(o);
        fx_objs_put(o, page,
                    "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                    "/Resources << /Font << /F1 %u 0 R >> >> >>",
                    *node, i + 1 == npages ? secret : plain, font);
        size_t n = strlen(kids);
        snprintf(kids + n, sizeof kids - n, "%u 0 R ", page);
    }
    fx_objs_put(o, *node, "<< /Type /Pages /Kids [ %s] /Count %u >>", kids, count);
    char ref[32];
    if (strcmp(catalog_pages, "null") == 0)
        snprintf(ref, sizeof ref, "null");
    else
        snprintf(ref, sizeof ref, "%u 0 R", *node);
    fx_objs_put(o, *catalog, "<< /Type /Catalog /Pages %s >>", ref);
    return o;
}

/* Scan pages_doc(npages, count, catalog_pages) as it is. */
static ts_doc *scan_pages(const ts_ctx *ctx, unsigned npages, unsigned count,
                          const char *catalog_pages)
{
    unsigned catalog, node;
    size_t len;
    fx_objs *o = pages_doc(npages, count, catalog_pages, &catalog, &node);
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    ts_doc *doc = scan(ctx, pdf, len);
    free(pdf);
    return doc;
}

static void expect_pages_error(const ts_doc *doc, const char *en, const char *nb)
{
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    if (strstr(ts_doc_error_text(doc, TS_LANG_EN), en) == NULL ||
        strstr(ts_doc_error_text(doc, TS_LANG_NB), nb) == NULL)
        fail_msg("error is \"%s\" / \"%s\"", ts_doc_error_text(doc, TS_LANG_EN),
                 ts_doc_error_text(doc, TS_LANG_NB));
}

/*
 * The case of the attack: the catalog's /Pages is null, so poppler sees no page at all, while
 * the page tree and a page with a plain password are still in the file. Graded error, and the
 * password is found on the page it is on.
 */
static void test_catalog_pages_null_is_error_and_its_password_is_found(void **state)
{
    ts_doc *doc = scan_pages(*state, 3, 3, "null");
    expect_pages_error(doc, "3 of 3 pages could not be read", "3 av 3 sider kunne ikke leses");
    assert_non_null(strstr(ts_doc_error(doc), "the text of 3 of them was recovered"));
    const ts_finding *pw = find_value(doc, PW_RULE, "Sommer2024!");
    assert_non_null(pw);
    assert_int_equal(ts_finding_page(pw), 3);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    ts_doc_free(doc);
}

/* ---- page content streams that cannot be decoded (pdf_filters.c) ------------------------- */

/* A page content stream: its dictionary entries besides /Length and its bytes. */
typedef struct page_content {
    const char *dict;
    const unsigned char *data;
    size_t len;
} page_content;

/* Scan a document of `n` pages, page i showing contents[i]. */
static ts_doc *scan_contents(const ts_ctx *ctx, const page_content *c, size_t n)
{
    fx_objs *o = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(o), node = fx_objs_next(o), font = fx_objs_next(o);
    char kids[256] = "";
    fx_objs_put(o, font, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (size_t i = 0; i < n; i++) {
        unsigned stream = fx_objs_next(o), page = fx_objs_next(o);
        fx_objs_stream(o, stream, c[i].dict, c[i].data, c[i].len);
        fx_objs_put(o, page,
                    "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                    "/Resources << /Font << /F1 %u 0 R >> >> >>",
                    node, stream, font);
        size_t k = strlen(kids);
        snprintf(kids + k, sizeof kids - k, "%u 0 R ", page);
    }
    fx_objs_put(o, node, "<< /Type /Pages /Kids [ %s] /Count %zu >>", kids, n);
    fx_objs_put(o, catalog, "<< /Type /Catalog /Pages %u 0 R >>", node);
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    ts_doc *doc = scan(ctx, pdf, len);
    free(pdf);
    return doc;
}

/* `text` deflated with a zlib header; `final` false: flushed, not ended, then a block of the
 * reserved type 3 (RFC 1951 §3.2.3), which zlib rejects as bad data. */
static unsigned char *deflated(const char *text, bool final, size_t *len)
{
    z_stream z = {0};
    size_t cap = strlen(text) + 128;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    assert_int_equal(deflateInit(&z, 9), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)text;
    z.avail_in = (unsigned)strlen(text);
    z.next_out = out;
    z.avail_out = (unsigned)cap - 1;
    assert_int_equal(deflate(&z, final ? Z_FINISH : Z_SYNC_FLUSH), final ? Z_STREAM_END : Z_OK);
    *len = cap - 1 - z.avail_out;
    deflateEnd(&z);
    if (!final)
        out[(*len)++] = 0x07; /* BFINAL 1, BTYPE 11 */
    return out;
}

/* `text` as LZW (ISO 32000-2 §7.4.4): a clear, every byte as its own 9-bit code, the end. */
static unsigned char *lzw_literal(const char *text, size_t *len)
{
    size_t n = strlen(text);
    assert_true(n < 200); /* the codes stay 9 bits wide */
    unsigned char *out = calloc((n + 2) * 9 / 8 + 2, 1);
    assert_non_null(out);
    size_t bit = 0;
    for (size_t i = 0; i < n + 2; i++) {
        unsigned code = i == 0 ? 256u : i == n + 1 ? 257u : (unsigned char)text[i - 1];
        for (int b = 8; b >= 0; b--, bit++)
            if (code >> b & 1)
                out[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
    }
    *len = (bit + 7) / 8;
    return out;
}

static void expect_content_error(const ts_doc *doc, const char *en, const char *nb)
{
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    if (strstr(ts_doc_error_text(doc, TS_LANG_EN), en) == NULL ||
        strstr(ts_doc_error_text(doc, TS_LANG_NB), nb) == NULL)
        fail_msg("error is \"%s\" / \"%s\"", ts_doc_error_text(doc, TS_LANG_EN),
                 ts_doc_error_text(doc, TS_LANG_NB));
}

#define PLAIN_PAGE "BT /F1 12 Tf 72 750 Td (Konkurransegrunnlag drift) Tj ET\n"
#define SECRET_PAGE "BT /F1 12 Tf 72 750 Td (" SECRET ") Tj ET\n"

/*
 * The case of qpdf's shared-images-errors.pdf: a page whose Flate content stream has bad data.
 * poppler reads it as a page without text and says nothing; the page is named, and the
 * password on the page before it is still found.
 */
static void test_page_content_with_damaged_flate_is_error(void **state)
{
    size_t bad_len;
    unsigned char *bad = deflated(PLAIN_PAGE, false, &bad_len);
    page_content c[] = {{"", (const unsigned char *)SECRET_PAGE, strlen(SECRET_PAGE)},
                   {"/Filter /FlateDecode", bad, bad_len}};
    ts_doc *doc = scan_contents(*state, c, 2);
    expect_content_error(doc,
                         "page 2: its content could not be decoded (damaged compressed data): "
                         "its text was not read",
                         "side 2: innholdet kunne ikke dekodes (skadde komprimerte data): "
                         "teksten ble ikke lest");
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    const ts_finding *pw = find_value(doc, PW_RULE, "Sommer2024!");
    assert_non_null(pw);
    assert_int_equal(ts_finding_page(pw), 1);
    ts_doc_free(doc);
    free(bad);
}

/* qpdf's unfilterable.pdf: a filter no reader knows. */
static void test_page_content_with_unknown_filter_is_error(void **state)
{
    page_content c[] = {{"/Filter /PlateDecode", (const unsigned char *)PLAIN_PAGE,
                    strlen(PLAIN_PAGE)}};
    ts_doc *doc = scan_contents(*state, c, 1);
    expect_content_error(doc,
                         "page 1: its content uses a filter tenderscan cannot decode "
                         "(/PlateDecode): its text was not read",
                         "side 1: innholdet bruker et filter tenderscan ikke kan dekode "
                         "(/PlateDecode): teksten ble ikke lest");
    ts_doc_free(doc);
}

/* qpdf's broken-lzw.pdf: text that is no LZW gives a code past the table; and two such pages
 * are counted, the first named. */
static void test_page_content_with_bad_lzw_codes_is_error(void **state)
{
    static const char raw[] = "Not really compressed.";
    page_content c[] = {{"", (const unsigned char *)SECRET_PAGE, strlen(SECRET_PAGE)},
                   {"/Filter /LZWDecode", (const unsigned char *)raw, strlen(raw)},
                   {"/Filter [/LZWDecode]", (const unsigned char *)raw, strlen(raw)}};
    ts_doc *doc = scan_contents(*state, c, 3);
    expect_content_error(doc,
                         "2 pages, the first page 2: their content could not be decoded "
                         "(damaged compressed data): their text was not read",
                         "2 sider, den første side 2: innholdet kunne ikke dekodes (skadde "
                         "komprimerte data): teksten ble ikke lest");
    assert_non_null(find_value(doc, PW_RULE, "Sommer2024!"));
    ts_doc_free(doc);
}

/* qpdf's issue-1688a.pdf: a predictor with 536870913 colours, which poppler cannot apply. */
static void test_page_content_with_impossible_predictor_is_error(void **state)
{
    size_t len;
    unsigned char *z = deflated(PLAIN_PAGE, true, &len);
    page_content c[] = {{"/Filter /FlateDecode /DecodeParms << /Predictor 2 /Colors 536870913 "
                    "/Columns 1 /BitsPerComponent 8 >>",
                    z, len}};
    ts_doc *doc = scan_contents(*state, c, 1);
    expect_content_error(doc, "page 1: its content could not be decoded",
                         "side 1: innholdet kunne ikke dekodes");
    ts_doc_free(doc);
    free(z);
}

/*
 * Guard against false errors (passes before the check too): content streams that decode are
 * read and the document is not an error: Flate, Flate cut short after its text (poppler reads
 * the prefix), LZW with EarlyChange, an ASCIIHex + Flate chain, an empty Flate stream, and an
 * impossible predictor with nothing to apply it to (this one failed before a4dc108).
 */
static void test_page_content_that_decodes_is_not_an_error(void **state)
{
    size_t zl, ll, hl, cl;
    unsigned char *z = deflated(SECRET_PAGE, true, &zl);
    unsigned char *l = lzw_literal(PLAIN_PAGE, &ll);
    unsigned char *h = deflated(PLAIN_PAGE, true, &hl);
    char *hex = malloc(hl * 2 + 2);
    assert_non_null(hex);
    for (size_t i = 0; i < hl; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    strcpy(hex + 2 * hl, ">");
    size_t cut_full;
    unsigned char *cut = deflated(PLAIN_PAGE " BT /F1 12 Tf 72 700 Td (Side to) Tj ET\n", true,
                                  &cut_full);
    cl = cut_full - 6; /* without the last bytes and the Adler-32 */
    /* qpdf's issue-1688b.pdf: a PNG predictor poppler cannot apply over one byte, the type of
     * an empty row: nothing to un-predict */
    unsigned char zero = 0, z0[64];
    uLongf z0l = sizeof z0;
    assert_int_equal(compress(z0, &z0l, &zero, 1), Z_OK);
    page_content c[] = {
        {"/Filter /FlateDecode", z, zl},
        {"/Filter /FlateDecode", cut, cl},
        {"/Filter /LZWDecode /DecodeParms << /EarlyChange 1 >>", l, ll},
        {"/Filter [/ASCIIHexDecode /FlateDecode] /DecodeParms [null null]",
         (const unsigned char *)hex, strlen(hex)},
        {"/Filter /FlateDecode", (const unsigned char *)"", 0},
        {"/Filter /FlateDecode /DecodeParms << /Predictor 10 /Colors 536870913 >>", z0, z0l},
    };
    ts_doc *doc = scan_contents(*state, c, 6);
    assert_int_equal(ts_doc_error_status(doc), TS_OK);
    assert_int_not_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_non_null(find_value(doc, PW_RULE, "Sommer2024!"));
    ts_doc_free(doc);
    free(z);
    free(l);
    free(h);
    free(hex);
    free(cut);
}

/* The same with /Pages naming an object that is not there, and a cross-reference table that
 * points nowhere (poppler has to rebuild it). */
static void test_catalog_pages_broken_with_broken_xref_is_error(void **state)
{
    unsigned catalog, node;
    fx_objs *o = pages_doc(2, 2, "null", &catalog, &node);
    fx_objs_put(o, catalog, "<< /Type /Catalog /Pages 999 0 R >>");
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, catalog, NULL, &len);
    char *sx = strstr((char *)pdf + len - 40, "startxref\n");
    assert_non_null(sx);
    memcpy(sx + 10, "12", 2); /* the offset of the table now lands inside the header */
    ts_doc *doc = scan(*state, pdf, len);
    expect_pages_error(doc, "2 of 2 pages could not be read", "2 av 2 sider kunne ikke leses");
    assert_non_null(find_value(doc, PW_RULE, "Sommer2024!"));
    ts_doc_free(doc);
    free(pdf);
}

/* A /Count smaller than the tree: poppler lists one page of two; the second is read apart. */
static void test_count_below_the_tree_is_error_and_the_rest_is_read(void **state)
{
    ts_doc *doc = scan_pages(*state, 2, 1, "ref");
    expect_pages_error(doc, "1 of 2 pages could not be read", "1 av 2 sider kunne ikke leses");
    const ts_finding *pw = find_value(doc, PW_RULE, "Sommer2024!");
    assert_non_null(pw);
    assert_int_equal(ts_finding_page(pw), 2);
    assert_int_equal(tst_count(doc, PW_RULE), 1);
    ts_doc_free(doc);
}

/* A PDF without a single page is never ok: there is nothing that was read. */
static void test_pdf_without_pages_is_error(void **state)
{
    ts_doc *doc = scan_pages(*state, 0, 0, "ref");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EEMPTY);
    assert_string_equal(ts_doc_error_text(doc, TS_LANG_EN), "empty file: the PDF has no pages");
    assert_string_equal(ts_doc_error_text(doc, TS_LANG_NB), "tom fil: PDF-en har ingen sider");
    ts_doc_free(doc);
}

/* A trailer whose /Root names nothing: poppler does not open the file at all, and the pages
 * its objects hold are read all the same. */
static void test_pdf_without_catalog_has_its_pages_recovered(void **state)
{
    unsigned catalog, node;
    fx_objs *o = pages_doc(2, 2, "ref", &catalog, &node);
    size_t len;
    unsigned char *pdf = fx_objs_finish(o, 999, NULL, &len);
    ts_doc *doc = scan(*state, pdf, len);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_non_null(strstr(ts_doc_error(doc), "the text of 2 of its pages was recovered"));
    assert_non_null(
        strstr(ts_doc_error_text(doc, TS_LANG_NB), "teksten på 2 av sidene ble hentet ut"));
    const ts_finding *pw = find_value(doc, PW_RULE, "Sommer2024!");
    assert_non_null(pw);
    assert_int_equal(ts_finding_page(pw), 2);
    ts_doc_free(doc);
    free(pdf);
}

/* Put a big-endian number of `w` bytes (xref stream fields, §7.5.8.2). */
static size_t put_be(unsigned char *p, size_t v, unsigned w)
{
    for (unsigned i = 0; i < w; i++)
        p[i] = (unsigned char)(v >> (8 * (w - 1 - i)));
    return w;
}

#define CAP 8192u

/*
 * A PDF 1.5 file whose catalog, page tree, pages and font sit in a compressed object stream,
 * found through a cross-reference stream; the tree has two pages, its /Count says one.
 */
static unsigned char *objstm_doc(size_t *out_len)
{
    static const char c1[] = "BT /F1 12 Tf 72 750 Td (Forside) Tj ET\n";
    static const char c2[] = "BT /F1 12 Tf 72 750 Td (" SECRET ") Tj ET\n";
    const char *objs[5] = {
        "<< /Type /Catalog /Pages 3 0 R >>",
        "<< /Type /Pages /Kids [ 4 0 R 5 0 R ] /Count 1 >>",
        "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 7 0 R "
        "/Resources << /Font << /F1 6 0 R >> >> >>",
        "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 8 0 R "
        "/Resources << /Font << /F1 6 0 R >> >> >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    char head[128] = "", body[2048] = "";
    for (unsigned i = 0; i < 5; i++) {
        size_t hn = strlen(head), bn = strlen(body);
        snprintf(head + hn, sizeof head - hn, "%u %zu ", i + 2, bn);
        snprintf(body + bn, sizeof body - bn, "%s\n", objs[i]);
    }
    char plain[2200];
    int first = snprintf(plain, sizeof plain, "%s\n", head);
    snprintf(plain + first, sizeof plain - (size_t)first, "%s", body);
    unsigned char packed[2200];
    uLongf packed_len = sizeof packed;
    assert_int_equal(compress(packed, &packed_len, (const Bytef *)plain, strlen(plain)), Z_OK);

    unsigned char *p = malloc(CAP);
    assert_non_null(p);
    size_t n = 0, off[10] = {0};
    n += (size_t)snprintf((char *)p, CAP, "%%PDF-1.5\n");
    off[1] = n;
    n += (size_t)snprintf((char *)p + n, CAP - n,
                          "1 0 obj\n<< /Type /ObjStm /N 5 /First %d /Filter /FlateDecode "
                          "/Length %lu >>\nstream\n",
                          first, (unsigned long)packed_len);
    memcpy(p + n, packed, packed_len);
    n += packed_len;
    n += (size_t)snprintf((char *)p + n, CAP - n, "\nendstream\nendobj\n");
    const char *contents[2] = {c1, c2};
    for (unsigned i = 0; i < 2; i++) {
        off[7 + i] = n;
        n += (size_t)snprintf((char *)p + n, CAP - n,
                              "%u 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", 7 + i,
                              strlen(contents[i]), contents[i]);
    }
    /* the cross-reference stream: type 1 (offset) or 2 (object stream 1, index) per object */
    off[9] = n;
    unsigned char xref[10 * 7];
    size_t x = 0;
    for (unsigned num = 0; num < 10; num++) {
        bool packed_obj = num >= 2 && num <= 6;
        x += put_be(xref + x, num == 0 ? 0 : packed_obj ? 2 : 1, 1);
        x += put_be(xref + x, packed_obj ? 1 : off[num], 4);
        x += put_be(xref + x, packed_obj ? num - 2 : num == 0 ? 65535 : 0, 2);
    }
    n += (size_t)snprintf((char *)p + n, CAP - n,
                          "9 0 obj\n<< /Type /XRef /Size 10 /W [1 4 2] /Root 2 0 R "
                          "/Length %zu >>\nstream\n",
                          x);
    memcpy(p + n, xref, x);
    n += x;
    n += (size_t)snprintf((char *)p + n, CAP - n, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n",
                          off[9]);
    *out_len = n;
    return p;
}

static void test_page_tree_in_an_object_stream_is_counted(void **state)
{
    size_t len;
    unsigned char *pdf = objstm_doc(&len);
    ts_doc *doc = scan(*state, pdf, len);
    expect_pages_error(doc, "1 of 2 pages could not be read", "1 av 2 sider kunne ikke leses");
    const ts_finding *pw = find_value(doc, PW_RULE, "Sommer2024!");
    assert_non_null(pw);
    assert_int_equal(ts_finding_page(pw), 2);
    ts_doc_free(doc);
    free(pdf);
}

/*
 * What must not make a good PDF an error: an update that gives the document a new page tree
 * and catalog (the old tree, with more pages, stays in the file), and a page object that
 * nothing refers to (left behind by an editor).
 */
static void test_old_trees_and_unused_pages_are_no_error(void **state)
{
    unsigned catalog, node;
    fx_objs *o = pages_doc(3, 3, "ref", &catalog, &node);
    size_t len;
    unsigned char *base = fx_objs_finish(o, catalog, NULL, &len);
    o = fx_objs_new(base, len);
    unsigned first = fx_objs_find(o, "/Type /Page ", 0);
    unsigned tree = fx_objs_next(o), cat = fx_objs_next(o), orphan = fx_objs_next(o);
    fx_objs_put(o, tree, "<< /Type /Pages /Kids [ %u 0 R ] /Count 1 >>", first);
    fx_objs_put(o, cat, "<< /Type /Catalog /Pages %u 0 R >>", tree);
    fx_objs_put(o, orphan, "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] >>", tree);
    size_t ulen;
    unsigned char *pdf = fx_objs_finish(o, cat, NULL, &ulen);
    ts_doc *doc = scan(*state, pdf, ulen);
    assert_null(ts_doc_error(doc));
    assert_true(ts_doc_grade(doc) != TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(pdf);
    free(base);
}

/* A PDF kept uncompressed in a stream (an attachment) has objects of its own, with the same
 * numbers and a bigger page tree: they are not the document's. */
static void test_objects_inside_a_stream_are_not_the_documents(void **state)
{
    unsigned catalog, node;
    size_t len, inner_len, ulen;
    fx_objs *o = pages_doc(1, 1, "ref", &catalog, &node);
    unsigned char *base = fx_objs_finish(o, catalog, NULL, &len);
    o = pages_doc(3, 3, "ref", &catalog, &node);
    unsigned char *inner = fx_objs_finish(o, catalog, NULL, &inner_len);
    o = fx_objs_new(base, len);
    fx_objs_stream(o, fx_objs_next(o), "/Type /EmbeddedFile /Subtype /application#2Fpdf", inner,
                   inner_len);
    unsigned char *pdf = fx_objs_finish(o, fx_objs_root(o), NULL, &ulen);
    ts_doc *doc = scan(*state, pdf, ulen);
    assert_null(ts_doc_error(doc));
    ts_doc_free(doc);
    free(pdf);
    free(inner);
    free(base);
}

/* ---- tables (pdf_tables.c) ------------------------------------------------------------------ */

#define CELL_RULE "credential.test-cell"

/* A context with one rule and no default rules: any single word under a "passord" label. */
static int setup_cell_rule(void **state)
{
    static const char rules[] = "[" CELL_RULE "]\n"
                                "category = credential\nseverity = high\n"
                                "header = *passord\nheader.required = yes\n"
                                "pattern = ^(?<value>\\S+)$\n"
                                "title.en = Value under a password label\n";
    ts_ctx *ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_equal(ts_ctx_load_rules_buffer(ctx, "t.rules", rules, strlen(rules), NULL, NULL),
                     TS_OK);
    *state = ctx;
    return 0;
}

static const char *const table_rows[][3] = {{"System", "Bruker", "Passord"},
                                            {"iLO", "Kari Nordmann", "Fjord2024"},
                                            {"Brannmur", "Ola Hansen", "Sommer!23x"},
                                            {"Kjernesvitsj", "admin", "K9#mvq2"}};

/* A page with a heading, a paragraph, a table drawn as text in columns, and a closing line. */
static fx_pdf *table_page(void)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 80, 16, 0x000000, "Tilgang for leverandøren");
    fx_pdf_text(p, 72, 110, 10, 0x000000,
                "Passordene under gjelder i overgangen og skal byttes når driften er overtatt,");
    fx_pdf_text(p, 72, 124, 10, 0x000000,
                "og leverandøren skal behandle dem fortrolig i hele avtaleperioden.");
    for (size_t i = 0; i < sizeof table_rows / sizeof table_rows[0]; i++) {
        double y = 160 + 16 * (double)i;
        fx_pdf_text(p, 72, y, 10, 0x000000, table_rows[i][0]);
        fx_pdf_text(p, 200, y, 10, 0x000000, table_rows[i][1]);
        fx_pdf_text(p, 360, y, 10, 0x000000, table_rows[i][2]);
    }
    fx_pdf_text(p, 72, 260, 10, 0x000000, "Passord: se vedlegg 3.");
    return p;
}

/* Page `index` (0-based) of a PDF, its text as poppler gives it, and the cells the layout finds
 * in it (`cells`, borrowed from `scratch`). */
typedef struct laid_page {
    PopplerDocument *pd;
    PopplerPage *page;
    gchar *text;
    ts_pdf_tables *scratch;
    ts_pdf_cells cells;
} laid_page;

static void lay_page(laid_page *lp, const unsigned char *pdf, size_t len, int index)
{
    ts_status why = TS_OK;
    char msg[128];
    *lp = (laid_page){0};
    lp->pd = ts_pdf_open(pdf, len, &why, msg, sizeof msg);
    assert_non_null(lp->pd);
    lp->page = poppler_document_get_page(lp->pd, index);
    assert_non_null(lp->page);
    lp->text = poppler_page_get_text(lp->page);
    size_t n = strlen(lp->text);
    assert_int_equal(ts_pdf_page_cells(&lp->cells, &lp->scratch, lp->page, lp->text, lp->text, n),
                     TS_OK);
}

static void unlay_page(laid_page *lp)
{
    ts_pdf_tables_free(lp->scratch);
    g_free(lp->text);
    g_object_unref(lp->page);
    g_object_unref(lp->pd);
}

/* The cells the layout finds on page `index` (0-based) of a PDF: how many fields. */
static size_t page_fields(const unsigned char *pdf, size_t len, int index)
{
    laid_page lp;
    lay_page(&lp, pdf, len, index);
    const ts_pdf_cells cells = lp.cells;
    size_t n = cells.nfields;
    for (size_t i = 0; i < n; i++) {
        /* every span lies in the text handed over and holds no line break */
        const ts_field *f = &cells.fields[i];
        assert_true(f->start < f->end && f->end <= cells.len);
        assert_null(memchr(cells.text + f->start, '\n', f->end - f->start));
        assert_true(f->label >= cells.text && f->label + f->label_len <= cells.text + cells.len);
    }
    unlay_page(&lp);
    return n;
}

static void test_table_cell_under_password_header_is_found(void **state)
{
    ts_doc *doc = scan_fx(*state, table_page());
    assert_null(ts_doc_error(doc));
    static const char *const secrets[] = {"Fjord2024", "Sommer!23x", "K9#mvq2"};
    for (size_t i = 0; i < 3; i++) {
        const ts_finding *f = find_value(doc, CELL_RULE, secrets[i]);
        assert_non_null(f);
        assert_int_equal(ts_finding_page(f), 1);
        assert_int_equal(ts_finding_where(f), TS_WHERE_BODY);
    }
    /* the heading, the paragraph (its two lines are one wrapped paragraph), the header row */
    assert_int_equal(ts_finding_line(find_value(doc, CELL_RULE, "Fjord2024")), 4);
    /* the user names, the header row, the paragraph and the "Passord:" line are not cells */
    assert_int_equal(tst_count(doc, CELL_RULE), 3);
    ts_doc_free(doc);
}

static void test_table_spans_are_the_cells_bytes(void **state)
{
    (void)state;
    size_t len;
    unsigned char *pdf = fx_pdf_finish(table_page(), &len);
    laid_page lp;
    lay_page(&lp, pdf, len, 0);
    const ts_pdf_cells cells = lp.cells;
    /* three data rows: two cells each under a header, and two beside a row label, and each
     * row as a whole under the header row */
    assert_int_equal(cells.nfields, 3 * 3 + 3 * 2 + 3);
    size_t found = 0, rows = 0;
    for (size_t i = 0; i < cells.nfields; i++) {
        const ts_field *f = &cells.fields[i];
        if (f->flags & TS_FIELD_ROW) {
            rows++;
            assert_true(f->label_len >= strlen("System Bruker Passord"));
            assert_memory_equal(f->label, "System", 6);
            continue;
        }
        if (f->end - f->start == 9 && memcmp(cells.text + f->start, "Fjord2024", 9) == 0) {
            found++;
            if (f->flags & TS_FIELD_HEADER) {
                assert_int_equal(f->label_len, 7);
                assert_memory_equal(f->label, "Passord", 7);
            } else {
                assert_int_equal(f->label_len, 3);
                assert_memory_equal(f->label, "iLO", 3);
            }
        }
        if (f->end - f->start == 13)
            assert_memory_equal(cells.text + f->start, "Kari Nordmann", 13);
    }
    assert_int_equal(found, 2);
    assert_int_equal(rows, 3);
    /* poppler runs the cells of a row together; the text handed over has them as a row */
    assert_non_null(strstr(cells.text, "\niLO\tKari Nordmann\tFjord2024\n"));
    unlay_page(&lp);
    free(pdf);
}

static void test_key_value_table_is_found_by_row_label(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 80, 14, 0x000000, "Ruter i serverrommet");
    static const char *const kv[][2] = {
        {"Vertsnavn", "rtr-01"}, {"Brukernavn", "drift"}, {"Passord", "Fjord2024"}};
    for (size_t i = 0; i < 3; i++) {
        fx_pdf_text(p, 72, 120 + 16 * (double)i, 10, 0x000000, kv[i][0]);
        fx_pdf_text(p, 200, 120 + 16 * (double)i, 10, 0x000000, kv[i][1]);
    }
    ts_doc *doc = scan_fx(*state, p);
    const ts_finding *f = find_value(doc, CELL_RULE, "Fjord2024");
    assert_non_null(f);
    assert_int_equal(ts_finding_page(f), 1);
    assert_int_equal(tst_count(doc, CELL_RULE), 1);
    ts_doc_free(doc);
}

static void test_two_column_running_text_is_not_a_table(void **state)
{
    (void)state;
    static const char *const left[] = {"Leverandøren skal drifte kjernenettet og alle",
                                       "svitsjer i kommunens bygg, og skal rapportere",
                                       "avvik til oppdragsgiver innen to virkedager.",
                                       "Tjenesten omfatter også overvåking av nettet",
                                       "utenfor vanlig arbeidstid etter avtale.",
                                       "Kort linje.",
                                       "Oppdragsgiver eier alt utstyr som inngår i",
                                       "avtalen, og leverandøren skal holde oversikt."};
    static const char *const right[] = {"Endringer i nettet skal meldes i god tid før",
                                        "de gjøres, og skal godkjennes av kommunens",
                                        "IKT-sjef eller den han eller hun utpeker.",
                                        "Leverandøren dokumenterer alle endringer i",
                                        "kommunens system for endringshåndtering.",
                                        "Slutt.",
                                        "Ved avtalens slutt overleveres dokumentasjon",
                                        "og tilganger til den nye leverandøren."};
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 50, 80, 14, 0x000000, "Drift av nettverket");
    for (size_t i = 0; i < 8; i++) {
        fx_pdf_text(p, 50, 110 + 13 * (double)i, 10, 0x000000, left[i]);
        fx_pdf_text(p, 310, 110 + 13 * (double)i, 10, 0x000000, right[i]);
    }
    size_t len;
    unsigned char *pdf = fx_pdf_finish(p, &len);
    assert_int_equal(page_fields(pdf, len, 0), 0);
    free(pdf);
    /* the same check sees the table page's table */
    pdf = fx_pdf_finish(table_page(), &len);
    assert_true(page_fields(pdf, len, 0) > 0);
    free(pdf);
}

/* The text of page 1 of `pdf` as handed over to detection (tables row by row, wrapped lines
 * joined), or with `layout` false as poppler gives it; free it. */
static char *handed_over_as(const unsigned char *pdf, size_t len, bool layout)
{
    laid_page lp;
    lay_page(&lp, pdf, len, 0);
    char *out = layout ? strndup(lp.cells.text, lp.cells.len) : strdup(lp.text);
    assert_non_null(out);
    unlay_page(&lp);
    return out;
}

static char *handed_over(const unsigned char *pdf, size_t len)
{
    return handed_over_as(pdf, len, true);
}

#define ROS_HEAD "Nr.\tUønskt hending\tÅrsak / sårbarheit\tS\tK\tTiltak"
#define ROS_ROW1                                                                                   \
    "4.1\tVassinntrenging i serverrommet\tServerrommet ligg i kjellaren under kjøkkenet på "      \
    "sjukeheimen, med avløpsrøyr i taket og utan lekkasjevarsling\t3\t4\tFlytte rommet eller "     \
    "montere lekkasjevarsling"
#define ROS_ROW2                                                                                   \
    "4.2\tUvedkomande får tilgang\tDøra til serverrommet har berre mekanisk lås, og same "         \
    "systemnøkkel går til reinhaldsrommet\t2\t4\tKortlesar med PIN"
#define ROS_ROW3                                                                                   \
    "4.4\tBrann\tIngen sløkkjeanlegg i serverrommet, berre røykvarslar knytt til brannsentralen"   \
    "\t2\t5\tInergen-anlegg skal vurderast"

/*
 * A cell wider than its column wraps onto the lines below, in PDF as in Word: those lines hold
 * only the rest of the wrapped cells. The row is handed over whole, each cell one text, as in
 * the DOCX rendering; the last row's wrapped line too. A row after a row with an empty cell is
 * the next row, not a wrapped line.
 */
static void test_wrapped_cells_are_joined_into_their_row(void **state)
{
    (void)state;
    static const char markup[] = "ROS-analyse for IKT-drifta (tabell 4)\n" ROS_HEAD "\n" ROS_ROW1
                                 "\n" ROS_ROW2 "\n" ROS_ROW3 "\n"
                                 "Skala: S = sannsyn, K = konsekvens.\n\n"
                                 "Komponent\tProdukt og versjon\tMerknad\n"
                                 "Gateway\tCitrix NetScaler ADC 13.1-51.15\tStår i DMZ\n"
                                 "StoreFront\tCitrix StoreFront 2203 LTSR CU4\t\n"
                                 "Filtrering\tFortinet FortiWeb 7.0.6\tWAF foran portalen\n";
    size_t len;
    unsigned char *pdf = fx_passage_render(markup, sizeof markup - 1, FX_FMT_PDF, &len);
    /* the fixture is what it is meant to be: the cells wrap in the PDF */
    char *raw = handed_over_as(pdf, len, false);
    assert_null(strstr(raw, "kjøkkenet på sjukeheimen, med avløpsrøyr i taket og utan"));
    free(raw);
    char *text = handed_over(pdf, len);
    assert_non_null(strstr(text, "\n" ROS_HEAD "\n" ROS_ROW1 "\n" ROS_ROW2 "\n" ROS_ROW3 "\n"));
    assert_non_null(strstr(text, "\nGateway\tCitrix NetScaler ADC 13.1-51.15\tStår i DMZ\n"
                                 "StoreFront\tCitrix StoreFront 2203 LTSR CU4\n"
                                 "Filtrering\tFortinet FortiWeb 7.0.6\tWAF foran portalen\n"));
    assert_non_null(strstr(text, "\nSkala: S = sannsyn, K = konsekvens.\n"));
    /* each cell is one field: a wrapped cell's text under its header, whole */
    assert_true(page_fields(pdf, len, 0) > 0);
    free(text);
    free(pdf);
}

/*
 * A paragraph wraps where the page ends a line: "… has not been⏎changed from the factory setting
 * 112233", "Koden er 3 9⏎1 5". Its lines are handed over as one, so a value or a phrase that
 * runs over a wrap is whole. Lines that start a list item, a "Label:" or the same word as the
 * line before (a configuration), a line after a colon, a short last line and the paragraph
 * after it keep their line ends.
 */
static void test_wrapped_paragraph_is_handed_over_as_one_line(void **state)
{
    (void)state;
    static const char para[] =
        "User code for the cleaners (Mon\xe2\x80\x93"
        "Fri 06:00\xe2\x80\x93"
        "08:00): 2468. The engineer code for the intruder alarm panel in the basement "
        "corridor has not been changed from the factory setting 112233, and the caretaker "
        "knows it.";
    static const char markup_fmt[] = "Alarm zones, Fjordbu school\n%s\n"
                                     "Keypads: one by the staff entrance, one in the basement "
                                     "corridor, one by the gym hall and one in the kitchen area "
                                     "behind the canteen counter on the ground floor.\n"
                                     "Hatched area: outside camera coverage on the south side "
                                     "of the building, towards the sports field and bike sheds\n"
                                     "Layers: E-CCTV-CAM, E-CCTV-FOV, A-WALL\n"
                                     "Next meeting on 9 October.\n";
    char markup[2048];
    snprintf(markup, sizeof markup, markup_fmt, para);
    size_t len;
    unsigned char *pdf = fx_passage_render(markup, strlen(markup), FX_FMT_PDF, &len);
    char *text = handed_over(pdf, len);
    /* the fixture is what it is meant to be: the paragraph wraps in the PDF */
    char *raw = handed_over_as(pdf, len, false);
    assert_null(strstr(raw, para));
    free(raw);
    assert_non_null(strstr(text, "\n" "User code for the cleaners"));
    assert_non_null(strstr(text, para));
    assert_non_null(strstr(text, "knows it.\nKeypads: one by the staff entrance"));
    assert_non_null(strstr(text, "\nLayers: E-CCTV-CAM, E-CCTV-FOV, A-WALL\nNext meeting"));
    free(text);
    free(pdf);
    /* statements of a configuration stay one a line, the longest one too */
    static const char acl[] =
        "Brannmur\n"
        "access-list OUTSIDE_IN extended permit udp host 81.166.90.14 host 10.21.20.10 eq 161\n"
        "access-list OUTSIDE_IN extended deny ip any any log\n";
    pdf = fx_passage_render(acl, sizeof acl - 1, FX_FMT_PDF, &len);
    text = handed_over(pdf, len);
    assert_non_null(strstr(text, "eq 161\naccess-list OUTSIDE_IN extended deny"));
    free(text);
    free(pdf);
}

static void test_table_on_a_rotated_page_is_bounded(void **state)
{
    fx_objs *o = fx_objs_update(table_page());
    unsigned page = fx_objs_find(o, "/Type /Page ", 0);
    assert_true(page > 0);
    fx_objs_extend(o, page, "/Rotate 90");
    time_t t0 = time(NULL);
    ts_doc *doc = scan_update(*state, o, NULL);
    assert_true(time(NULL) - t0 < 30);
    assert_int_equal(ts_doc_error_status(doc), TS_OK);
    /* poppler lays out a rotated page as it is shown: the table is still a table */
    assert_non_null(find_value(doc, CELL_RULE, "Fjord2024"));
    ts_doc_free(doc);
}

static void test_ten_thousand_short_chunks_stay_bounded(void **state)
{
    /* a page of 10,000 one-letter chunks (looked at), and one of longer ones (over the bound) */
    fx_pdf *p = fx_pdf_new();
    for (int row = 0; row < 100; row++)
        for (int col = 0; col < 100; col++)
            fx_pdf_text(p, 10 + 5.7 * col, 40 + 7.8 * row, 4, 0x000000, "x");
    fx_pdf_next_page(p);
    for (int row = 0; row < 100; row++)
        for (int col = 0; col < 100; col++)
            fx_pdf_text(p, 10 + 5.7 * col, 40 + 7.8 * row, 4, 0x000000, row % 7 ? "xy" : "Passord");
    fx_pdf_next_page(p);
    for (size_t i = 0; i < sizeof table_rows / sizeof table_rows[0]; i++) {
        fx_pdf_text(p, 72, 160 + 16 * (double)i, 10, 0x000000, table_rows[i][0]);
        fx_pdf_text(p, 200, 160 + 16 * (double)i, 10, 0x000000, table_rows[i][1]);
        fx_pdf_text(p, 360, 160 + 16 * (double)i, 10, 0x000000, table_rows[i][2]);
    }
    time_t t0 = time(NULL);
    ts_doc *doc = scan_fx(*state, p);
    assert_true(time(NULL) - t0 < 30);
    assert_int_equal(ts_doc_error_status(doc), TS_OK);
    /* the crowded pages give no cells; the next page's table is read as ever */
    const ts_finding *f = find_value(doc, CELL_RULE, "Fjord2024");
    assert_non_null(f);
    assert_int_equal(ts_finding_page(f), 3);
    assert_int_equal(tst_count(doc, CELL_RULE), 3);
    ts_doc_free(doc);
}

/* ---- tables poppler reads column by column ----------------------------------------------------
 */

#define FW_ROW_RULE "firewall.rule-table-row"
#define FW_HEADER "Nr\tKilde\tMål\tPort/protokoll\tHandling"
#define FW_ROW1 "1\tInternett\t10.50.1.10\tTCP 443\tTillat"

static const char *const fw_rows[][5] = {{"Nr", "Kilde", "Mål", "Port/protokoll", "Handling"},
                                         {"1", "Internett", "10.50.1.10", "TCP 443", "Tillat"},
                                         {"2", "185.12.44.7", "10.50.1.20", "TCP 22", "Tillat"},
                                         {"3", "185.12.44.8", "10.50.1.30", "UDP 161", "Tillat"}};

/*
 * A firewall table whose first column ("Nr") is narrow, its rows 14 pt apart: poppler (and
 * pdftotext without -layout) reads it column by column, "Nr\n1\n2\n3\nKilde\nInternett\n…", and
 * puts the closing line before the last column. `hidden` adds a line in white after it.
 */
static fx_pdf *firewall_page(const char *hidden)
{
    static const double x[] = {72, 100, 190, 270, 370};
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 80, 14, 0x000000, "Brannmuråpninger for leverandøren");
    fx_pdf_text(p, 72, 110, 10, 0x000000,
                "Tabellen viser åpningene som gjelder i overgangsperioden.");
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 5; c++)
            fx_pdf_text(p, x[c], 140 + 14 * (double)r, 10, 0x000000, fw_rows[r][c]);
    fx_pdf_text(p, 72, 220, 10, 0x000000, "Åpningene skal fjernes når driften er overtatt.");
    if (hidden != NULL)
        fx_pdf_text(p, 72, 260, 10, 0xFFFFFF, hidden);
    return p;
}

/* The same table as passage markup: its PDF rendering has each row over two or three lines. */
static const char firewall_markup[] =
    "Brannmuråpninger for leverandøren\n"
    "Tabellen viser åpningene som gjelder i overgangsperioden.\n" FW_HEADER "\n" FW_ROW1 "\n"
    "2\t185.12.44.7\t10.50.1.20\tTCP 22\tTillat\n"
    "3\t185.12.44.8\t10.50.1.30\tUDP 161\tTillat\n"
    "Åpningene skal fjernes når driften er overtatt.\n";

static void test_table_read_column_by_column_is_handed_over_row_by_row(void **state)
{
    (void)state;
    size_t len;
    unsigned char *pdf = fx_pdf_finish(firewall_page(NULL), &len);
    laid_page lp;
    lay_page(&lp, pdf, len, 0);
    const char *text = lp.text;
    const ts_pdf_cells cells = lp.cells;
    /* the fixture is what it is meant to be: poppler reads the table column by column */
    assert_non_null(strstr(text, "\nNr\n1\n2\n3\nKilde\nInternett\n"));
    /* the table row by row where it began, everything else as poppler gave it */
    static const char want[] =
        "Brannmuråpninger for leverandøren\n"
        "Tabellen viser åpningene som gjelder i overgangsperioden.\n" FW_HEADER "\n" FW_ROW1 "\n"
        "2\t185.12.44.7\t10.50.1.20\tTCP 22\tTillat\n"
        "3\t185.12.44.8\t10.50.1.30\tUDP 161\tTillat\n"
        "Åpningene skal fjernes når driften er overtatt.\n";
    assert_int_equal(cells.len, strlen(want));
    assert_memory_equal(cells.text, want, cells.len);
    size_t row1 = (size_t)(strstr(cells.text, FW_ROW1) - cells.text);
    size_t rows = 0, cells_under_header = 0;
    bool row1_field = false;
    for (size_t i = 0; i < cells.nfields; i++) {
        const ts_field *f = &cells.fields[i];
        if (f->flags & TS_FIELD_ROW) {
            rows++;
            assert_int_equal(f->label_len, strlen(FW_HEADER));
            assert_memory_equal(f->label, FW_HEADER, f->label_len);
            row1_field |= f->start == row1 && f->end == row1 + strlen(FW_ROW1);
            continue;
        }
        /* a cell is its own bytes: no TAB, no line end */
        assert_null(memchr(cells.text + f->start, '\t', f->end - f->start));
        assert_null(memchr(cells.text + f->start, '\n', f->end - f->start));
        cells_under_header += (f->flags & TS_FIELD_HEADER) != 0;
    }
    assert_int_equal(rows, 3);
    assert_true(row1_field);
    assert_int_equal(cells_under_header, 3 * 5);
    /* a byte of the page text is found where it went */
    size_t at = (size_t)(strstr(text, "10.50.1.10") - text);
    assert_int_equal(ts_pdf_cells_at(&cells, at), row1 + strlen("1\tInternett\t"));
    /* a blank left out between two cells is where the cell after it is ("Nr⏎1": at the 1) */
    at = (size_t)(strstr(text, "\nNr\n1\n") - text) + strlen("\nNr");
    assert_int_equal(ts_pdf_cells_at(&cells, at), row1);
    assert_int_equal(ts_pdf_cells_at(&cells, strlen(text)), cells.len);
    unlay_page(&lp);
    free(pdf);
}

/* The findings of `rule` whose value is a whole row of the firewall table, all on page 1. */
static size_t fw_rows_found(const ts_doc *doc, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (strcmp(ts_finding_rule_id(f), rule) != 0)
            continue;
        for (size_t r = 1; r < 4; r++) {
            char row[128];
            snprintf(row, sizeof row, "%s\t%s\t%s\t%s\t%s", fw_rows[r][0], fw_rows[r][1],
                     fw_rows[r][2], fw_rows[r][3], fw_rows[r][4]);
            if (strcmp(ts_finding_value(f), row) == 0) {
                assert_int_equal(ts_finding_page(f), 1);
                assert_int_equal(ts_finding_line(f), 3 + r);
                n++;
            }
        }
    }
    return n;
}

static void test_firewall_table_read_column_by_column_is_found_row_by_row(void **state)
{
    /* with the default rules a row on one line is a firewall rule table's row (the rule that
     * reads it from the text names it); without that rule, the row under its header is */
    ts_ctx *only_rows = tst_ctx_default();
    static const char off[] = "[firewall.rule-table]\ncategory = firewall\nseverity = info\n"
                              "pattern = (?<value>x)(?!x)(?<=y)\ntitle.en = Off\n";
    assert_int_equal(ts_ctx_load_rules_buffer(only_rows, "off.rules", off, strlen(off), NULL, NULL),
                     TS_OK);
    for (int fixture = 0; fixture < 2; fixture++) {
        size_t len;
        unsigned char *pdf =
            fixture == 0
                ? fx_pdf_finish(firewall_page(NULL), &len)
                : fx_passage_render(firewall_markup, strlen(firewall_markup), FX_FMT_PDF, &len);
        ts_doc *doc = scan(*state, pdf, len);
        /* the text rule reads each row on its line; the row rule stands beside it */
        assert_int_equal(fw_rows_found(doc, "firewall.rule-table"), 3);
        assert_int_equal(fw_rows_found(doc, FW_ROW_RULE), 3);
        /* each address once, where its row is */
        size_t ips = 0;
        for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
            const ts_finding *f = ts_doc_finding_at(doc, i);
            if (strcmp(ts_finding_rule_id(f), IP_RULE) == 0 &&
                strcmp(ts_finding_value(f), "10.50.1.10") == 0) {
                assert_int_equal(ts_finding_page(f), 1);
                assert_int_equal(ts_finding_line(f), 4);
                ips++;
            }
        }
        assert_int_equal(ips, 1);
        ts_doc_free(doc);
        doc = scan(only_rows, pdf, len);
        assert_int_equal(fw_rows_found(doc, FW_ROW_RULE), 3);
        ts_doc_free(doc);
        free(pdf);
    }
    ts_ctx_free(only_rows);
}

/* Invisible text after a table is counted on the lines of the text handed over, as its page's
 * findings are. */
static void test_invisible_text_after_a_reordered_table_keeps_its_line(void **state)
{
    ts_doc *doc = scan_fx(*state, firewall_page(SECRET));
    const ts_finding *h = expect_hidden(doc, 1, "same colour", PW_RULE);
    /* title, paragraph, header row, three rows, closing line: the hidden line is the eighth */
    assert_int_equal(ts_finding_line(h), 8);
    assert_int_equal(ts_finding_line(tst_find(doc, PW_RULE)), 8);
    assert_int_equal(tst_count(doc, "firewall.rule-table"), 3);
    assert_int_equal(tst_count(doc, FW_ROW_RULE), 3);
    ts_doc_free(doc);
}

/* ---- third-party corpus (../shared/corpus/public/pdf, see its MANIFEST.tsv) ------------------ */

static ts_doc *scan_corpus(const ts_ctx *ctx, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/pdf/%s", TS_CORPUS_DIR, name);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    assert_non_null(doc);
    return doc;
}

static void test_corpus_bad_redactions_are_found(void **state)
{
    if (!tst_have_corpus())
        skip();
    /* x-ray's own test files: text under black, and cross-hatched, boxes */
    static const struct {
        const char *file;
        const char *pieces;
        const char *why;
    } yes[] = {
        /* black shading drawn first, then black text on it */
        {"xray_rectangles_yes.pdf", "3 pieces", "the same colour"},
        /* a black shading and a black highlight annotation */
        {"xray_rectangles_yes_2.pdf", "1 piece", "under a filled box"},
        /* black bars with grey hatching painted over the text */
        {"xray_bad_cross_hatched_redactions.pdf", "10 pieces", "under a filled box"},
    };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        ts_doc *doc = scan_corpus(*state, yes[i].file);
        const ts_finding *h = tst_find(doc, HIDDEN);
        assert_non_null(h);
        assert_int_equal(ts_finding_page(h), 1);
        assert_non_null(strstr(ts_finding_detail(h), yes[i].pieces));
        assert_non_null(strstr(ts_finding_detail(h), yes[i].why));
        ts_doc_free(doc);
    }
}

static void test_corpus_proper_redactions_and_boxes_are_not_flagged(void **state)
{
    if (!tst_have_corpus())
        skip();
    static const char *const no[] = {
        "xray_rectangles_no.pdf",         "xray_multi_line_redaction_ok.pdf",
        "xray_no_bad_redactions.4.1.pdf", "xray_partial_intersections_ok.pdf",
        "xray_unfilled_rect.pdf",         "xray_whitespace_redactions.pdf",
        "pypdf_AutoCad_Diagram.pdf",
    };
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        ts_doc *doc = scan_corpus(*state, no[i]);
        if (tst_find(doc, HIDDEN) != NULL)
            fail_msg("%s: %s", no[i], ts_finding_value(tst_find(doc, HIDDEN)));
        assert_null(ts_doc_error(doc));
        ts_doc_free(doc);
    }
}

static void test_corpus_structure_is_reported(void **state)
{
    if (!tst_have_corpus())
        skip();
    ts_doc *doc = scan_corpus(*state, "pypdf_commented.pdf");
    const ts_finding *a = find_value(doc, "hidden.pdf-annotation", "moose");
    assert_non_null(a);
    assert_non_null(strstr(ts_finding_detail(a), "3 annotations"));
    ts_doc_free(doc);

    doc = scan_corpus(*state, "pypdf_attachment.pdf");
    assert_non_null(find_value(doc, "hidden.pdf-attachment", "jpeg.pdf"));
    assert_int_equal(ts_doc_child_count(doc), 1);
    assert_string_equal(ts_doc_format(ts_doc_child_at(doc, 0)), "pdf");
    ts_doc_free(doc);

    doc = scan_corpus(*state, "pypdf_metadata.pdf");
    assert_int_equal(ts_finding_where(find_value(doc, "metadata.author", "Martin Thoma")),
                     TS_WHERE_METADATA);
    ts_doc_free(doc);

    doc = scan_corpus(*state, "pypdf_issue-914-xmp-data.pdf");
    assert_non_null(find_value(doc, "metadata.author", "微软用户"));
    ts_doc_free(doc);

    doc = scan_corpus(*state, "exiftool_PDF_xmp_iptc.pdf");
    assert_non_null(find_value(doc, "metadata.author", "Phil Harvey")); /* XMP dc:creator */
    assert_non_null(find_value(doc, "hidden.image-only-page", "page 1"));
    ts_doc_free(doc);

    static const char *const locked[] = {"pypdf_encrypted_r4-aes-user-password.pdf",
                                         "pypdf_libreoffice-writer-password.pdf"};
    for (size_t i = 0; i < 2; i++) {
        doc = scan_corpus(*state, locked[i]);
        assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
        assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
        ts_doc_free(doc);
    }
}

/*
 * A page cropped (/CropBox, as Acrobat's Crop Pages tool writes it) to its lower half: the switch
 * password in the upper half is never shown but stays in the file. It is reported as invisible
 * text on that page and scanned; the text inside the crop box stays body text.
 */
static void test_text_outside_the_crop_box_is_invisible_text(void **state)
{
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Kjernesvitsj passord: Sommer2024!");
    fx_pdf_text(p, 72, 600, 12, 0x000000, "Innledning til konkurransen");
    fx_objs *o = fx_objs_update(p);
    unsigned page = fx_objs_find(o, "/Type /Page ", 0);
    assert_true(page > 0);
    fx_objs_extend(o, page, "/CropBox [ 0 0 595.28 400 ]"); /* PDF y 742 is above 400 */
    ts_doc *doc = scan_update(*state, o, NULL);
    assert_null(ts_doc_error(doc));
    const ts_finding *h = tst_find(doc, "hidden.invisible-text");
    assert_non_null(h);
    assert_int_equal(ts_finding_page(h), 1);
    assert_non_null(strstr(ts_finding_detail(h), "crop box"));
    assert_non_null(find_at(doc, PW_RULE, TS_WHERE_INVISIBLE_TEXT));
    assert_null(find_at(doc, PW_RULE, TS_WHERE_BODY));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);

    /* the same page with a crop box as large as the page hides nothing */
    p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Kjernesvitsj passord: Sommer2024!");
    o = fx_objs_update(p);
    page = fx_objs_find(o, "/Type /Page ", 0);
    fx_objs_extend(o, page, "/CropBox [ 0 0 595.28 841.89 ]");
    doc = scan_update(*state, o, NULL);
    assert_null(tst_find(doc, "hidden.invisible-text"));
    assert_non_null(find_at(doc, PW_RULE, TS_WHERE_BODY));
    ts_doc_free(doc);
}

/* Areas the pre-scan finds in `pdf` plus `tail` appended, over the whole A4 page. */
static unsigned prescan_areas(const unsigned char *pdf, size_t len, const char *tail)
{
    size_t tl = strlen(tail);
    unsigned char *buf = malloc(len + tl);
    assert_non_null(buf);
    memcpy(buf, pdf, len);
    memcpy(buf + len, tail, tl);
    ts_pdf_scan s;
    assert_int_equal(ts_pdf_scan_run(&s, buf, len + tl), TS_OK);
    unsigned kinds = ts_pdf_scan_areas(&s, 0, 0, 595, 842);
    assert_false(s.unplaced);
    ts_pdf_scan_dispose(&s);
    free(buf);
    return kinds;
}

/*
 * A filled box in a stream that nothing refers to (appended, or left behind by an editor) is no
 * page's content: the pre-scan drops it, so no page is rendered for it. Referred to, it stays.
 */
static void test_prescan_ignores_boxes_no_object_refers_to(void **state)
{
    (void)state;
    const char *content[] = {"BT /F1 12 Tf 72 750 Td (Synlig tekst) Tj ET\n"};
    size_t len;
    unsigned char *pdf = fx_pdf_simple(content, 1, 1, NULL, &len);
    static const char box[] = "\n999999 0 obj\n<< /Length 17 >>\nstream\n0 0 595 842 re f\n"
                              "endstream\nendobj\n";
    assert_int_equal(prescan_areas(pdf, len, box), 0);
    char used[256];
    snprintf(used, sizeof used, "%s999998 0 obj\n<< /Fm9 999999 0 R >>\nendobj\n", box);
    assert_int_not_equal(prescan_areas(pdf, len, used), 0);
    free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_page_text_has_page_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_cells_drawn_apart_stay_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_black_box_over_ordinary_text_still_blocks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_black_box_over_password_is_invisible_text_and_blocks,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_black_image_over_password_is_invisible_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_beside_or_under_text_hides_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_highlight_under_text_is_not_hidden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_box_beside_text_hides_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_white_text_on_white_is_invisible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tiny_text_is_invisible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_mode_3_text_is_invisible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_black_text_on_black_box_is_invisible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_box_added_by_an_update_hides_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_square_annotation_over_text_hides_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ocr_layer_over_a_scan_is_not_flagged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata_login_and_local_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_author_name_is_low, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xmp_creator_tool_and_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_annotation_text_and_author_are_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_form_field_value_is_scanned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attachment_is_scanned_as_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attachment_under_its_own_crypt_filter_is_encrypted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_javascript_is_flagged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hidden_layer_and_its_text_are_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_damaged_layer_list_is_an_error_not_a_crash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_removed_page_is_reported_as_revision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_comment_is_reported_as_revision, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_update_that_changes_nothing_is_not_a_revision_finding,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_only_page_needs_review, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_password_is_encrypted_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owner_password_only_is_scanned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_pdf_is_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_pdf_is_error_or_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ten_thousand_pages_are_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_tree_loop_does_not_hang, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_content_with_damaged_flate_is_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_content_with_unknown_filter_is_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_content_with_bad_lzw_codes_is_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_content_with_impossible_predictor_is_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_content_that_decodes_is_not_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_catalog_pages_null_is_error_and_its_password_is_found,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_pages_broken_with_broken_xref_is_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_count_below_the_tree_is_error_and_the_rest_is_read,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_without_pages_is_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_without_catalog_has_its_pages_recovered, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_page_tree_in_an_object_stream_is_counted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_old_trees_and_unused_pages_are_no_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_objects_inside_a_stream_are_not_the_documents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_table_cell_under_password_header_is_found,
                                        setup_cell_rule, teardown),
        cmocka_unit_test(test_table_spans_are_the_cells_bytes),
        cmocka_unit_test_setup_teardown(test_key_value_table_is_found_by_row_label, setup_cell_rule,
                                        teardown),
        cmocka_unit_test(test_two_column_running_text_is_not_a_table),
        cmocka_unit_test(test_wrapped_cells_are_joined_into_their_row),
        cmocka_unit_test(test_wrapped_paragraph_is_handed_over_as_one_line),
        cmocka_unit_test_setup_teardown(test_table_on_a_rotated_page_is_bounded, setup_cell_rule,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ten_thousand_short_chunks_stay_bounded,
                                        setup_cell_rule, teardown),
        cmocka_unit_test(test_prescan_ignores_boxes_no_object_refers_to),
        cmocka_unit_test(test_table_read_column_by_column_is_handed_over_row_by_row),
        cmocka_unit_test_setup_teardown(
            test_firewall_table_read_column_by_column_is_found_row_by_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invisible_text_after_a_reordered_table_keeps_its_line,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_outside_the_crop_box_is_invisible_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_corpus_bad_redactions_are_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corpus_proper_redactions_and_boxes_are_not_flagged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_corpus_structure_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests_name("extract_pdf", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for PDF pages as drawings: boxes, icons and connectors feed the diagram verdict. */
#include "support/ts_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "core/core.h"
#include "detect/checks.h"
#include "extract/pdf.h"

#define NET "diagram.network"
#define FAC "facility.security-floor-plan"

typedef struct out {
    unsigned char *p;
    size_t len, cap;
} out;

static cairo_status_t put(void *closure, const unsigned char *data, unsigned int len)
{
    out *o = closure;
    if (o->len + len > o->cap) {
        o->cap = (o->len + len) * 2;
        o->p = realloc(o->p, o->cap);
        assert_non_null(o->p);
    }
    memcpy(o->p + o->len, data, len);
    o->len += len;
    return CAIRO_STATUS_SUCCESS;
}

typedef struct page {
    out o;
    cairo_surface_t *s;
    cairo_t *cr;
} page;

static void begin(page *p)
{
    memset(p, 0, sizeof(*p));
    p->s = cairo_pdf_surface_create_for_stream(put, &p->o, 595, 842);
    p->cr = cairo_create(p->s);
    cairo_select_font_face(p->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_line_width(p->cr, 1);
}

static void text(page *p, double x, double y, double size, const char *t)
{
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_set_font_size(p->cr, size);
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, t);
}

/* Text centred on (cx, cy). */
static void centred(page *p, double cx, double cy, double size, const char *t)
{
    cairo_text_extents_t te;
    cairo_set_font_size(p->cr, size);
    cairo_text_extents(p->cr, t, &te);
    text(p, cx - te.width / 2 - te.x_bearing, cy + size / 3, size, t);
}

static void rect(page *p, double x, double y, double w, double h, bool filled)
{
    cairo_rectangle(p->cr, x, y, w, h);
    if (filled) {
        cairo_set_source_rgb(p->cr, 0.85, 0.9, 1);
        cairo_fill_preserve(p->cr);
    }
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_stroke(p->cr);
}

static void line(page *p, double x0, double y0, double x1, double y1)
{
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x0, y0);
    cairo_line_to(p->cr, x1, y1);
    cairo_stroke(p->cr);
}

/* A box of 120 x 40 points centred on (cx, cy) with its label in it. */
static void device(page *p, double cx, double cy, const char *label)
{
    rect(p, cx - 60, cy - 20, 120, 40, true);
    centred(p, cx, cy, 10, label);
}

/* A symbol (a filled body and a lens, as a camera or a reader is drawn) with a label to its right.
 */
static void symbol(page *p, double x, double y, const char *label)
{
    cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
    cairo_rectangle(p->cr, x, y, 18, 14);
    cairo_fill(p->cr);
    cairo_arc(p->cr, x + 18, y + 7, 5, 0, 2 * M_PI);
    cairo_fill(p->cr);
    text(p, x + 27, y + 11, 8, label);
}

static unsigned char *finish(page *p, size_t *len)
{
    cairo_destroy(p->cr);
    cairo_surface_finish(p->s);
    assert_int_equal(cairo_surface_status(p->s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(p->s);
    *len = p->o.len;
    return p->o.p;
}

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

/*
 * What pdf.c does with every page, reduced to the verdict: the page text goes to detection (so
 * addresses are found on their page), then ts_pdf_page_shapes, then the checks.
 */
static ts_doc *verdicts_of(const ts_ctx *ctx, unsigned char *pdf, size_t len)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_create(&doc, ctx, "test.pdf", 0, NULL), TS_OK);
    ts_status why = TS_OK;
    char msg[128];
    PopplerDocument *pd = ts_pdf_open(pdf, len, &why, msg, sizeof(msg));
    assert_non_null(pd);
    for (int i = 0; i < poppler_document_get_n_pages(pd); i++) {
        PopplerPage *pg = poppler_document_get_page(pd, i);
        assert_non_null(pg);
        gchar *t = poppler_page_get_text(pg);
        assert_non_null(t);
        unsigned no = (unsigned)i + 1;
        ts_loc loc = {.where = TS_WHERE_BODY, .page = no, .line = 1};
        assert_int_equal(ts_doc_text(doc, &loc, t, strlen(t)), TS_OK);
        assert_int_equal(ts_pdf_page_shapes(doc, pg, no, t, strlen(t)), TS_OK);
        g_free(t);
        g_object_unref(pg);
    }
    g_object_unref(pd);
    free(pdf);
    assert_int_equal(ts_checks_run(doc), TS_OK);
    return doc;
}

static ts_doc *verdicts(const ts_ctx *ctx, page *p)
{
    size_t len;
    unsigned char *pdf = finish(p, &len);
    return verdicts_of(ctx, pdf, len);
}

static void network_page(page *p, bool connected)
{
    text(p, 60, 60, 14, "Nettverksskisse, hovedkontor");
    device(p, 300, 150, "Brannmur");
    device(p, 160, 300, "Kjernesvitsj 1");
    device(p, 440, 300, "Kjernesvitsj 2");
    device(p, 300, 450, "Server");
    if (connected) {
        line(p, 280, 170, 180, 280);
        line(p, 320, 170, 420, 280);
        line(p, 180, 320, 280, 430);
        line(p, 420, 320, 320, 430);
        line(p, 220, 300, 380, 300);
    }
    text(p, 310, 230, 8, "VLAN 10");
    text(p, 330, 380, 8, "10.20.0.0/24");
}

static void test_network_drawing_page_is_a_network_diagram(void **state)
{
    page p;
    begin(&p);
    network_page(&p, true);
    ts_doc *doc = verdicts(*state, &p);
    const ts_finding *f = tst_find(doc, NET);
    assert_non_null(f);
    assert_int_equal(ts_finding_page(f), 1);
    assert_string_equal(ts_finding_value(f), "page 1");
    /* the four boxes and the five lines between them, nothing of the title or the notes */
    assert_non_null(strstr(ts_finding_detail(f),
                           "4 network devices (firewall, 2 switches, server), 5 connectors"));
    /* and what the lines join, by the labels in the boxes */
    tst_expect_detail(doc, NET,
                      "; connected: Brannmur - Kjernesvitsj 1, Brannmur - Kjernesvitsj 2, "
                      "Kjernesvitsj 1 - Server");
    assert_null(tst_find(doc, FAC));
    assert_int_equal(ts_doc_error_status(doc), TS_OK);
    ts_doc_free(doc);
}

static void test_drawing_on_a_later_page_is_placed_there(void **state)
{
    page p;
    begin(&p);
    text(&p, 60, 80, 11, "Vedlegg 3 viser dagens nettverk med brannmur og svitsjer.");
    cairo_show_page(p.cr);
    network_page(&p, true);
    ts_doc *doc = verdicts(*state, &p);
    const ts_finding *f = tst_find(doc, NET);
    assert_non_null(f);
    assert_int_equal(ts_finding_page(f), 2);
    assert_int_equal(tst_count(doc, NET), 1);
    ts_doc_free(doc);
}

/*
 * A drawing on a page shown turned (/Rotate 90, as landscape drawings often are): the text
 * layout and the painted paths must meet in the same space.
 */
static void test_drawing_on_a_rotated_page_is_found(void **state)
{
    page p;
    begin(&p);
    network_page(&p, true);
    size_t len;
    unsigned char *pdf = finish(&p, &len);
    /* turn the page: the same bytes with "/Rotate 90" (poppler rebuilds the moved offsets) */
    size_t head = 0;
    while (head + 13 <= len && memcmp(pdf + head, "/Type /Page %", 13) != 0)
        head++; /* cairo writes "<< /Type /Page % 1" */
    assert_true(head + 13 <= len);
    head += 11;
    unsigned char *turned = malloc(len + 11);
    assert_non_null(turned);
    memcpy(turned, pdf, head);
    memcpy(turned + head, " /Rotate 90", 11);
    memcpy(turned + head + 11, pdf + head, len - head);
    free(pdf);
    /* the page is turned: poppler gives it landscape */
    ts_status why = TS_OK;
    char msg[128];
    PopplerDocument *pd = ts_pdf_open(turned, len + 11, &why, msg, sizeof(msg));
    assert_non_null(pd);
    PopplerPage *pg = poppler_document_get_page(pd, 0);
    double w = 0, h = 0;
    poppler_page_get_size(pg, &w, &h);
    assert_true(w > h);
    g_object_unref(pg);
    g_object_unref(pd);
    ts_doc *doc = verdicts_of(*state, turned, len + 11);
    tst_expect_detail(doc, NET, "4 network devices (firewall, 2 switches, server), 5 connectors");
    ts_doc_free(doc);
}

static void test_boxes_without_lines_or_addresses_are_no_diagram(void **state)
{
    page p;
    begin(&p);
    device(&p, 300, 150, "Brannmur");
    device(&p, 160, 300, "Kjernesvitsj 1");
    device(&p, 440, 300, "Kjernesvitsj 2");
    device(&p, 300, 450, "Server");
    ts_doc *doc = verdicts(*state, &p);
    assert_null(tst_find(doc, NET));
    ts_doc_free(doc);
}

static void test_floor_plan_with_security_symbols_is_a_facility_plan(void **state)
{
    page p;
    begin(&p);
    text(&p, 60, 50, 14, "Plan 1. etasje");
    rect(&p, 50, 80, 495, 400, false); /* outer walls */
    rect(&p, 60, 90, 180, 150, false);
    centred(&p, 150, 165, 9, "SERVERROM");
    rect(&p, 250, 90, 140, 150, false);
    centred(&p, 320, 165, 9, "Kontor 1");
    rect(&p, 400, 90, 135, 150, false);
    centred(&p, 467, 165, 9, "Møterom");
    rect(&p, 60, 300, 475, 170, false);
    centred(&p, 300, 385, 9, "Kontorlandskap");
    /* doors: a leaf and its swing */
    line(&p, 150, 240, 150, 270);
    cairo_arc(p.cr, 150, 240, 30, 0, M_PI / 2);
    cairo_stroke(p.cr);
    symbol(&p, 70, 250, "ADK-leser");
    symbol(&p, 250, 260, "Kamera 3");
    symbol(&p, 420, 420, "Alarmsentral");
    ts_doc *doc = verdicts(*state, &p);
    const ts_finding *f = tst_find(doc, FAC);
    assert_non_null(f);
    assert_int_equal(ts_finding_page(f), 1);
    assert_string_equal(ts_finding_detail(f),
                        "4 security elements (server room, access-control reader, camera, alarm "
                        "panel or detector)");
    ts_doc_free(doc);
}

/*
 * A price table ruled as a grid with an address on the page; the names are centred in their
 * column, so that only the rules (open lines that join no boxes) tell it from a drawing.
 */
static void test_ruled_price_table_is_no_drawing(void **state)
{
    static const char *const rows[][3] = {
        {"Produkt", "Antall", "Pris (NOK)"}, {"Brannmur", "2", "84 000"},
        {"Switch", "12", "96 000"},          {"Server", "4", "220 000"},
        {"Kamera", "30", "45 000"},          {"Adgangskontroll", "1", "150 000"},
        {"Alarmsentral", "1", "38 000"},
    };
    page p;
    begin(&p);
    text(&p, 60, 60, 12, "Prisskjema, leveranse til 10.20.0.0/24");
    double x[] = {60, 260, 380, 535}, y0 = 100, rh = 24;
    size_t nrows = sizeof(rows) / sizeof(rows[0]);
    for (size_t r = 0; r <= nrows; r++)
        line(&p, x[0], y0 + rh * (double)r, x[3], y0 + rh * (double)r);
    for (size_t c = 0; c < 4; c++)
        line(&p, x[c], y0, x[c], y0 + rh * (double)nrows);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < 3; c++)
            centred(&p, (x[c] + x[c + 1]) / 2, y0 + rh * ((double)r + 0.5), 10, rows[r][c]);
    ts_doc *doc = verdicts(*state, &p);
    assert_null(tst_find(doc, NET));
    assert_null(tst_find(doc, FAC));
    ts_doc_free(doc);
}

/*
 * A table whose cells are boxes of their own with the names centred (so they do not share a left
 * edge), rules between the rows: cells share edges, so they are no shapes.
 */
static void test_table_of_boxed_cells_is_no_drawing(void **state)
{
    static const char *const names[] = {"Brannmur",  "Kjernesvitsj", "Server", "Kamera",
                                        "ADK-leser", "Alarmsentral", "Ruter",  "Switch"};
    page p;
    begin(&p);
    text(&p, 60, 60, 12, "Utstyrsliste 10.20.0.0/24");
    for (size_t i = 0; i < 8; i++) {
        double y = 100 + 30 * (double)i;
        rect(&p, 60, y, 160, 30, i % 2 == 0);
        centred(&p, 140, y + 15, 10, names[i]);
        rect(&p, 220, y, 100, 30, i % 2 == 0);
        centred(&p, 270, y + 15, 10, i % 2 ? "2" : "12");
    }
    ts_doc *doc = verdicts(*state, &p);
    assert_null(tst_find(doc, NET));
    assert_null(tst_find(doc, FAC));
    ts_doc_free(doc);
}

static void test_prose_naming_devices_is_no_drawing(void **state)
{
    static const char *const para[] = {
        "Leverandøren skal levere og drifte brannmur, kjernesvitsjer og servere i",
        "begge datasentre. Brannmuren skal ha redundante strømforsyninger, og hver",
        "svitsj skal kobles til to uavhengige kjernesvitsjer. Adresseplanen",
        "10.20.0.0/24 er reservert for serverne. Kamera og adgangskontroll i",
        "serverrommet omfattes av avtalen. Alarmsentral og kortlesere leveres av",
        "en annen leverandør.",
    };
    page p;
    begin(&p);
    for (size_t i = 0; i < sizeof(para) / sizeof(para[0]); i++)
        text(&p, 60, 100 + 14 * (double)i, 10, para[i]);
    rect(&p, 50, 80, 495, 100, false); /* a frame around the paragraph */
    ts_doc *doc = verdicts(*state, &p);
    assert_null(tst_find(doc, NET));
    assert_null(tst_find(doc, FAC));
    ts_doc_free(doc);
}

/*
 * Paths past the page's limit are dropped and the document says so (an error: the page was not
 * read to its end); the drawing painted before them still counts.
 */
static void test_page_of_many_paths_is_bounded(void **state)
{
    page p;
    begin(&p);
    network_page(&p, true);
    for (int i = 0; i < 110000; i++) {
        cairo_rectangle(p.cr, 20 + (i % 500), 600 + (i / 500) % 200, 0.5, 0.5);
        cairo_fill(p.cr);
    }
    ts_doc *doc = verdicts(*state, &p);
    assert_non_null(tst_find(doc, NET));
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "page 1: more than 100000 paths"));
    ts_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_drawing_page_is_a_network_diagram),
        cmocka_unit_test(test_drawing_on_a_later_page_is_placed_there),
        cmocka_unit_test(test_drawing_on_a_rotated_page_is_found),
        cmocka_unit_test(test_boxes_without_lines_or_addresses_are_no_diagram),
        cmocka_unit_test(test_floor_plan_with_security_symbols_is_a_facility_plan),
        cmocka_unit_test(test_ruled_price_table_is_no_drawing),
        cmocka_unit_test(test_table_of_boxed_cells_is_no_drawing),
        cmocka_unit_test(test_prose_naming_devices_is_no_drawing),
        cmocka_unit_test(test_page_of_many_paths_is_bounded),
    };
    return cmocka_run_group_tests_name("extract_pdf_verdict", tests, setup, teardown);
}

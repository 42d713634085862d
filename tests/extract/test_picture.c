/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the layout check of pictures OCR did not read (extract/picture.h), OCR off. */
#include "support/ts_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <png.h>
#include <zlib.h>

#include "extract/picture.h"
#include "support/fx_pdf.h"
#include "support/fx_zip.h"

typedef tst_fixture fixture;

/* A screenshot of firewall rules: six lines of 16-pixel text. */
static const char *const RULES[] = {"fw01 10.20.30.1 permit tcp any",
                                    "fw01 10.20.30.2 permit udp any eq 53",
                                    "fw02 10.20.40.1 deny ip any any",
                                    "access-list 101 permit tcp any host 10.20.1.10",
                                    "nat (inside,outside) source static",
                                    "snmp-server community Fjord2024 RO",
                                    NULL};
/* A letterhead logo: the organisation's name on one line. */
static const char *const LOGO[] = {"Fjordvik kommune", NULL};

static char *text_png(const fixture *f, const char *name, const char *const *lines)
{
    char *path = tst_path(f->dir, name);
    fx_picture_png(path, 900, 400, 16, lines);
    return path;
}

static ts_doc *scan(const fixture *f, const char *path)
{
    ts_ctx_set_ocr(f->ctx, TS_OCR_OFF);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* The picture was not read, and says so: review, "hidden.picture-text" at where = ocr. */
static void expect_text_not_read(const ts_doc *doc)
{
    const ts_finding *p = tst_find(doc, "hidden.picture-text");
    assert_non_null(p);
    assert_int_equal(ts_finding_where(p), TS_WHERE_OCR);
    assert_int_equal(ts_finding_page(p), 1);
    assert_int_equal(ts_finding_severity(p), TS_SEV_MEDIUM);
    assert_string_equal(ts_rule_title(ts_finding_rule(p), TS_LANG_NB),
                        "Bilde med tekst som ikke ble lest");
    assert_non_null(strstr(ts_finding_detail(p), "lines of text"));
    assert_null(tst_find(doc, "document.ocr-read"));
    assert_null(tst_find_cat(doc, TS_CAT_NETWORK)); /* nothing was read */
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
}

static void expect_ok(const ts_doc *doc)
{
    assert_null(ts_doc_error(doc));
    assert_null(tst_find(doc, "hidden.picture-text"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
}

static void test_screenshot_of_rules_is_review_without_ocr(void **state)
{
    fixture *f = *state;
    char *path = text_png(f, "brannmur.png", RULES);
    ts_doc *doc = scan(f, path);
    assert_null(ts_doc_error(doc));
    expect_text_not_read(doc);
    tst_expect_detail(doc, "hidden.picture-text", "OCR is off (--no-ocr)");
    ts_doc_free(doc);
    free(path);
}

/* A smooth gradient, and a few large shapes on it: no lines of text, nothing to report. */
static void test_gradient_and_large_shapes_stay_ok(void **state)
{
    fixture *f = *state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 800);
    cairo_t *cr = cairo_create(s);
    cairo_pattern_t *grad = cairo_pattern_create_linear(0, 0, 1200, 800);
    cairo_pattern_add_color_stop_rgb(grad, 0, 0.1, 0.2, 0.5);
    cairo_pattern_add_color_stop_rgb(grad, 1, 0.9, 0.9, 0.7);
    cairo_set_source(cr, grad);
    cairo_paint(cr);
    cairo_pattern_destroy(grad);
    char *plain = tst_path(f->dir, "gradient.png");
    assert_int_equal(cairo_surface_write_to_png(s, plain), CAIRO_STATUS_SUCCESS);
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    cairo_rectangle(cr, 100, 100, 300, 200);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.95, 0.3, 0.2);
    cairo_arc(cr, 800, 450, 180, 0, 6.3);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 6);
    cairo_move_to(cr, 50, 700);
    cairo_line_to(cr, 1150, 600);
    cairo_stroke(cr);
    char *shapes = tst_path(f->dir, "shapes.png");
    assert_int_equal(cairo_surface_write_to_png(s, shapes), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    ts_doc *doc = scan(f, plain);
    expect_ok(doc);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
    doc = scan(f, shapes);
    expect_ok(doc);
    ts_doc_free(doc);
    free(plain);
    free(shapes);
}

/* A terminal: light text on a dark background. */
static void test_light_text_on_dark_is_found(void **state)
{
    fixture *f = *state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 900, 400);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.12, 0.12, 0.14);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.85, 0.9, 0.85);
    cairo_select_font_face(cr, "DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 15);
    for (size_t i = 0; RULES[i] != NULL; i++) {
        cairo_move_to(cr, 20, 40 + 24 * (double)i);
        cairo_show_text(cr, RULES[i]);
    }
    cairo_destroy(cr);
    char *path = tst_path(f->dir, "terminal.png");
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    ts_doc *doc = scan(f, path);
    expect_text_not_read(doc);
    ts_doc_free(doc);
    free(path);
}

/* ---- other encodings: JPEG (gray and CMYK), interlaced PNG ---------------------------------- */

static void test_jpeg_screenshots_gray_and_cmyk_are_checked(void **state)
{
    fixture *f = *state;
    cairo_surface_t *s = fx_picture(900, 400, 16, RULES);
    for (int cmyk = 0; cmyk <= 1; cmyk++) {
        size_t len = 0;
        unsigned char *jpeg = fx_picture_jpeg(s, cmyk, &len);
        char *path = tst_write(f->dir, cmyk ? "cmyk.jpg" : "gray.jpg", jpeg, len);
        free(jpeg);
        ts_doc *doc = scan(f, path);
        assert_string_equal(ts_doc_format(doc), "jpeg");
        assert_null(ts_doc_error(doc));
        expect_text_not_read(doc);
        ts_doc_free(doc);
        free(path);
    }
    cairo_surface_destroy(s);
}

/* A JPEG cut in the middle of its pixels: the lower part was not checked, so error. */
static void test_truncated_jpeg_is_an_error(void **state)
{
    fixture *f = *state;
    cairo_surface_t *s = fx_picture(900, 400, 16, LOGO);
    size_t len = 0;
    unsigned char *jpeg = fx_picture_jpeg(s, 0, &len);
    cairo_surface_destroy(s);
    char *path = tst_write(f->dir, "cut.jpg", jpeg, len / 2);
    free(jpeg);
    ts_doc *doc = scan(f, path);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_non_null(strstr(ts_doc_error(doc), "truncated"));
    ts_doc_free(doc);
    free(path);
}

/* An Adam7-interlaced PNG (libpng fills it over seven passes): gray with alpha. */
static char *interlaced_png(const fixture *f, const char *name, cairo_surface_t *s)
{
    char *path = tst_path(f->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    png_init_io(png, fp);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY_ALPHA,
                 PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    unsigned char *img = malloc((size_t)w * (size_t)h * 2);
    png_bytep *rows = malloc(sizeof(*rows) * (size_t)h);
    assert_true(img && rows);
    for (int y = 0; y < h; y++) {
        rows[y] = img + (size_t)y * (size_t)w * 2;
        for (int x = 0; x < w; x++) {
            rows[y][2 * x] = fx_picture_gray(s, x, y);
            rows[y][2 * x + 1] = 255;
        }
    }
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(fp);
    free(rows);
    free(img);
    return path;
}

static void test_interlaced_png_is_checked(void **state)
{
    fixture *f = *state;
    cairo_surface_t *s = fx_picture(900, 400, 16, RULES);
    char *path = interlaced_png(f, "adam7.png", s);
    cairo_surface_destroy(s);
    ts_doc *doc = scan(f, path);
    assert_null(ts_doc_error(doc));
    expect_text_not_read(doc);
    ts_doc_free(doc);
    free(path);
}

/* A TIFF (mostly a scanned page) is not decoded without OCR: reported as not read. */
static void test_tiff_without_ocr_is_not_read(void **state)
{
    fixture *f = *state;
    /* little-endian TIFF header and an empty first directory */
    static const unsigned char tiff[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    char *path = tst_write(f->dir, "skann.tif", tiff, sizeof tiff);
    ts_doc *doc = scan(f, path);
    assert_string_equal(ts_doc_format(doc), "tiff");
    tst_expect_detail(doc, "hidden.picture-text", "read only by OCR");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(path);
}

/* ---- where the picture sits ----------------------------------------------------------------- */

/* A ZIP member is a picture of its own; a picture inside a DOCX must hold more text. */
static void test_logo_in_a_document_is_no_text_but_a_screenshot_is(void **state)
{
    fixture *f = *state;
    char *shot = text_png(f, "shot.png", RULES);
    char *logo = text_png(f, "logo.png", LOGO);
    size_t shot_len = 0, logo_len = 0;
    char *shot_data = tst_slurp(shot, &shot_len), *logo_data = tst_slurp(logo, &logo_len);
    assert_true(shot_data && logo_data);
    char *body = fx_docx_main("<w:p><w:r><w:t>Kravspesifikasjon</w:t></w:r></w:p>");
    fx_part with_logo[] = {{.name = "word/media/image1.png",
                            .data = logo_data,
                            .len = logo_len,
                            .content_type = "image/png",
                            .rel_type = "image"}};
    char *docx = fx_ooxml_write(f->dir, "brev.docx", FX_DOCX, body, NULL, with_logo, 1);
    ts_doc *doc = scan(f, docx);
    assert_int_equal(ts_doc_child_count(doc), 1);
    expect_ok(ts_doc_child_at(doc, 0));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
    free(docx);

    fx_part with_shot[] = {{.name = "word/media/image1.png",
                            .data = shot_data,
                            .len = shot_len,
                            .content_type = "image/png",
                            .rel_type = "image"}};
    docx = fx_ooxml_write(f->dir, "krav.docx", FX_DOCX, body, NULL, with_shot, 1);
    doc = scan(f, docx);
    expect_text_not_read(ts_doc_child_at(doc, 0));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(docx);

    /* the package's preview of its first page: the document's own text, read from it */
    fx_part thumb[] = {{.name = "docProps/thumbnail.png",
                        .data = shot_data,
                        .len = shot_len,
                        .content_type = "image/png"}};
    docx = fx_ooxml_write(f->dir, "miniatyr.docx", FX_DOCX, body, NULL, thumb, 1);
    doc = scan(f, docx);
    assert_int_equal(ts_doc_child_count(doc), 1);
    expect_ok(ts_doc_child_at(doc, 0));
    ts_doc_free(doc);
    free(docx);

    /* two lines in a ZIP member: a picture of its own */
    char *two = text_png(f, "two.png", (const char *const[]){RULES[0], RULES[2], NULL});
    size_t two_len = 0;
    char *two_data = tst_slurp(two, &two_len);
    fx_part member[] = {{.name = "vedlegg/tavle.png", .data = two_data, .len = two_len}};
    char *zip = fx_zip_write(f->dir, "pakke.zip", member, 1);
    doc = scan(f, zip);
    expect_text_not_read(ts_doc_child_at(doc, 0));
    ts_doc_free(doc);
    free(zip);
    free(two_data);
    free(two);
    free(body);
    free(shot_data);
    free(logo_data);
    free(shot);
    free(logo);
}

/* ---- hostile pictures ----------------------------------------------------------------------- */

static void put32(unsigned char *p, unsigned long v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (24 - 8 * k));
}

/* A PNG signature and IHDR of w x h 8-bit RGB, then IEND: the size is all there is. */
static char *png_header_only(const fixture *f, const char *name, unsigned long w, unsigned long h)
{
    unsigned char b[64] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    put32(b + 8, 13);
    memcpy(b + 12, "IHDR", 4);
    put32(b + 16, w);
    put32(b + 20, h);
    b[24] = 8;
    b[25] = 2;
    put32(b + 29, crc32(0, b + 12, 17));
    memcpy(b + 33, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
    return tst_write(f->dir, name, b, 45);
}

static void test_huge_and_broken_pngs_are_errors(void **state)
{
    fixture *f = *state;
    /* 100000 x 100000 RGB: refused from its header, before anything is decoded */
    char *huge = png_header_only(f, "huge.png", 100000, 100000);
    ts_doc *doc = scan(f, huge);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "100000 x 100000"));
    ts_doc_free(doc);
    /* a header with no pixels after it */
    char *empty = png_header_only(f, "empty.png", 640, 480);
    doc = scan(f, empty);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    /* garbled compressed pixels */
    char *good = text_png(f, "good.png", RULES);
    size_t len = 0;
    unsigned char *data = (unsigned char *)tst_slurp(good, &len);
    assert_true(data != NULL && len > 400);
    for (size_t i = 200; i < len - 20; i++)
        data[i] = (unsigned char)(data[i] * 31u + 7u);
    char *bad = tst_write(f->dir, "bad.png", data, len);
    doc = scan(f, bad);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    ts_doc_free(doc);
    free(data);
    free(bad);
    free(good);
    free(empty);
    free(huge);
}

/*
 * A large picture (8000 x 5000, 40 million pixels: over TS_PICTURE_MAX_PIXELS) is made smaller
 * while it is decoded, and its lines of text are still found: a band of text at the top, written
 * row by row with libpng above plain white.
 */
static void test_large_picture_is_checked_at_a_smaller_size(void **state)
{
    fixture *f = *state;
    enum { W = 8000, H = 5000 };
    cairo_surface_t *band = fx_picture(W, 600, 40, RULES);
    char *path = tst_path(f->dir, "plakat.png");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    png_init_io(png, fp);
    png_set_IHDR(png, info, W, H, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    unsigned char *row = malloc(W);
    assert_non_null(row);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++)
            row[x] = y < 600 ? fx_picture_gray(band, x, y) : 255;
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(fp);
    free(row);
    cairo_surface_destroy(band);
    assert_true((double)W * H > TS_PICTURE_MAX_PIXELS);
    ts_doc *doc = scan(f, path);
    assert_null(ts_doc_error(doc));
    expect_text_not_read(doc);
    ts_doc_free(doc);
    free(path);
}

/* ---- the check on its own ------------------------------------------------------------------- */

/* Gray noise of grain `grain` (pseudo-random, fixed seed). */
static unsigned char *noise(unsigned w, unsigned h, unsigned grain)
{
    unsigned char *px = malloc((size_t)w * h);
    assert_non_null(px);
    uint32_t seed = 12345;
    unsigned gw = w / grain + 1;
    unsigned char *cells = malloc((size_t)gw * (h / grain + 1));
    assert_non_null(cells);
    for (size_t i = 0; i < (size_t)gw * (h / grain + 1); i++) {
        seed = seed * 1103515245u + 12345u;
        cells[i] = (unsigned char)(seed >> 24);
    }
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            px[(size_t)y * w + x] = cells[(size_t)(y / grain) * gw + x / grain];
    free(cells);
    return px;
}

static void test_noise_is_no_text_and_a_busy_picture_is_looked_at_halved(void **state)
{
    (void)state;
    ts_textlines t;
    /* pixel noise over 8 million pixels: more runs of ink than are kept, so halved */
    unsigned char *px = noise(4000, 2000, 1);
    assert_int_equal(ts_textlines_find(&t, px, 4000, 2000, 4000), TS_OK);
    assert_false(ts_textlines_are_text(&t, true));
    free(px);
    px = noise(1600, 1200, 4);
    assert_int_equal(ts_textlines_find(&t, px, 1600, 1200, 1600), TS_OK);
    assert_false(ts_textlines_are_text(&t, true));
    free(px);
    /* nothing to look at */
    unsigned char tiny[4] = {0, 255, 0, 255};
    assert_int_equal(ts_textlines_find(&t, tiny, 2, 2, 2), TS_OK);
    assert_int_equal(t.lines, 0);
}

/* The six lines of RULES are found as six lines, at the height they were drawn. */
static void test_lines_are_counted(void **state)
{
    (void)state;
    cairo_surface_t *s = fx_picture(900, 400, 16, RULES);
    unsigned char *px = malloc(900 * 400);
    assert_non_null(px);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 900; x++)
            px[y * 900 + x] = fx_picture_gray(s, x, y);
    cairo_surface_destroy(s);
    ts_textlines t;
    assert_int_equal(ts_textlines_find(&t, px, 900, 400, 900), TS_OK);
    free(px);
    assert_true(t.lines >= 6 && t.lines <= 12); /* a word space may part a line in two */
    assert_true(t.chars >= 100);
    assert_true(t.height >= 8 && t.height <= 16);
    assert_true(ts_textlines_are_text(&t, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_screenshot_of_rules_is_review_without_ocr),
        T(test_gradient_and_large_shapes_stay_ok),
        T(test_light_text_on_dark_is_found),
        T(test_jpeg_screenshots_gray_and_cmyk_are_checked),
        T(test_truncated_jpeg_is_an_error),
        T(test_interlaced_png_is_checked),
        T(test_tiff_without_ocr_is_not_read),
        T(test_logo_in_a_document_is_no_text_but_a_screenshot_is),
        T(test_huge_and_broken_pngs_are_errors),
        T(test_large_picture_is_checked_at_a_smaller_size),
        T(test_noise_is_no_text_and_a_busy_picture_is_looked_at_halved),
        T(test_lines_are_counted),
#undef T
    };
    return cmocka_run_group_tests_name("extract_picture", tests, NULL, NULL);
}

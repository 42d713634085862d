/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for OCR: pictures drawn with cairo, as PNG files and as scanned PDF pages. */
#include "support/ts_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <leptonica/allheaders.h>

#include "extract/ocr.h"
#include "support/fx_pdf.h"
#include "support/fx_zip.h"

typedef tst_fixture fixture;

static const char *const SECRET[] = {"passord: Sommer2024!", "nett: 10.20.30.0/24", NULL};
static const char *const CLEAN[] = {"Tegning av gangbru", NULL};

/* An A4 scan at 150 dpi: black lines of text, 56 pixels high, on white. */
static cairo_surface_t *scan(const char *const *lines)
{
    return fx_picture(1240, 1754, 56, lines);
}

static char *write_png(const fixture *f, const char *name, const char *const *lines)
{
    char *path = tst_path(f->dir, name);
    fx_picture_png(path, 1240, 1754, 56, lines);
    return path;
}

/* A PDF whose one page is the scan painted as an image: no text layer at all. */
static char *write_scanned_pdf(const fixture *f, const char *name, const char *const *lines)
{
    char *path = tst_path(f->dir, name);
    cairo_surface_t *img = scan(lines);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, 595.0 / 1240, 842.0 / 1754);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    assert_int_equal(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(img);
    return path;
}

/* Scan with OCR `mode` (ts_ocr_mode). */
static ts_doc *scan_path(const fixture *f, const char *path, int mode)
{
    ts_ctx_set_ocr(f->ctx, mode);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* The password and the subnet were found in the OCR text of page 1, and the file is blocked. */
static void expect_secrets_read(const ts_doc *doc)
{
    const ts_finding *pw = tst_find_cat(doc, TS_CAT_CREDENTIAL);
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_OCR);
    assert_int_equal(ts_finding_page(pw), 1);
    assert_string_equal(ts_finding_value(pw), "Sommer2024!");
    const ts_finding *net = tst_find_cat(doc, TS_CAT_NETWORK);
    assert_non_null(net);
    assert_int_equal(ts_finding_where(net), TS_WHERE_OCR);
    assert_int_equal(ts_finding_page(net), 1);
    assert_string_equal(ts_finding_value(net), "10.20.30.0/24");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *note = tst_find(doc, "document.ocr-read");
    assert_non_null(note);
    assert_int_equal(ts_finding_severity(note), TS_SEV_INFO);
    assert_non_null(strstr(ts_finding_detail(note), "misread"));
    assert_null(ts_doc_error(doc));
}

static void test_png_text_is_read_with_ocr(void **state)
{
    fixture *f = *state;
    char *path = write_png(f, "whiteboard.png", SECRET);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    expect_secrets_read(doc);
    ts_doc_free(doc);
    free(path);
}

/* Without OCR the picture is not read, but its lines of text are seen: review, never ok. */
static void test_png_with_text_is_review_without_ocr(void **state)
{
    fixture *f = *state;
    char *path = write_png(f, "whiteboard.png", SECRET);
    ts_doc *doc = scan_path(f, path, TS_OCR_OFF);
    assert_null(tst_find_cat(doc, TS_CAT_CREDENTIAL));
    assert_null(tst_find(doc, "document.ocr-read"));
    tst_expect_detail(doc, "hidden.picture-text", "OCR is off (--no-ocr)");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(path);
}

/* By default (the CLI's) picture files and scanned pages are read: the screenshot's address. */
static void test_picture_files_and_scanned_pages_are_read_by_default(void **state)
{
    fixture *f = *state;
    char *path =
        write_png(f, "fw.png", (const char *const[]){"fw01 10.20.30.1 permit tcp any", NULL});
    ts_doc *doc = scan_path(f, path, TS_OCR_AUTO);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.30.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_OCR);
    assert_non_null(tst_find(doc, "document.ocr-read"));
    assert_null(tst_find(doc, "hidden.picture-text"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(path);
    path = write_scanned_pdf(f, "scan.pdf", SECRET);
    doc = scan_path(f, path, TS_OCR_AUTO);
    expect_secrets_read(doc);
    ts_doc_free(doc);
    free(path);
}

/*
 * By default OCR reads the first TS_OCR_AUTO_PAGES scanned pages of a document (a long scan costs
 * a minute or two, not the --timeout); the pages after them are reported as not read. --ocr
 * reads them all. Small blank scans, so that recognition is quick.
 */
static void test_long_scan_is_read_in_part_by_default(void **state)
{
    fixture *f = *state;
    char *path = tst_path(f->dir, "lang-skann.pdf");
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 60, 60);
    cairo_t *icr = cairo_create(img);
    cairo_set_source_rgb(icr, 0.97, 0.97, 0.97);
    cairo_paint(icr);
    cairo_destroy(icr);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 60, 60);
    cairo_t *cr = cairo_create(pdf);
    for (unsigned i = 0; i < TS_OCR_AUTO_PAGES + 2; i++) {
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(img);
    ts_doc *doc = scan_path(f, path, TS_OCR_AUTO);
    assert_null(ts_doc_error(doc));
    assert_string_equal(ts_finding_value(tst_find(doc, "document.ocr-read")), "pages 1-20");
    const ts_finding *rest = tst_find(doc, "hidden.image-only-page");
    assert_non_null(rest);
    assert_string_equal(ts_finding_value(rest), "pages 21-22");
    tst_expect_detail(doc, "hidden.image-only-page", "OCR read the first 20 scanned pages");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    doc = scan_path(f, path, TS_OCR_ALL);
    assert_string_equal(ts_finding_value(tst_find(doc, "document.ocr-read")), "pages 1-22");
    assert_null(tst_find(doc, "hidden.image-only-page"));
    ts_doc_free(doc);
    free(path);

    /* the same for the pages of a TIFF */
    PIXA *pixa = pixaCreate(TS_OCR_AUTO_PAGES + 2);
    for (unsigned i = 0; i < TS_OCR_AUTO_PAGES + 2; i++) {
        PIX *pix = pixCreate(60, 60, 8);
        pixSetAllArbitrary(pix, 245);
        pixaAddPix(pixa, pix, L_INSERT);
    }
    l_uint8 *tiff = NULL;
    size_t len = 0;
    assert_int_equal(pixaWriteMemMultipageTiff(&tiff, &len, pixa), 0);
    pixaDestroy(&pixa);
    path = tst_write(f->dir, "lang-skann.tif", tiff, len);
    lept_free(tiff);
    doc = scan_path(f, path, TS_OCR_AUTO);
    assert_null(ts_doc_error(doc));
    assert_string_equal(ts_finding_value(tst_find(doc, "document.ocr-read")), "pages 1-20");
    assert_string_equal(ts_finding_value(tst_find(doc, "hidden.picture-text")), "pages 21-");
    tst_expect_detail(doc, "hidden.picture-text", "OCR read the first 20 pages");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(path);
}

/* A picture inside a document is read by OCR only with TS_OCR_ALL (--ocr); by default checked. */
static void test_picture_inside_a_document_is_read_only_with_ocr_all(void **state)
{
    fixture *f = *state;
    static const char *const shot[] = {"passord: Sommer2024!", "nett: 10.20.30.0/24",
                                       "Kjernesvitsj og brannmur i serverrommet", NULL};
    char *png = write_png(f, "image1.png", shot);
    size_t len = 0;
    char *data = tst_slurp(png, &len);
    assert_non_null(data);
    char *body = fx_docx_main("<w:p><w:r><w:t>Vedlegg 3</w:t></w:r></w:p>");
    fx_part media[] = {{.name = "word/media/image1.png",
                        .data = data,
                        .len = len,
                        .content_type = "image/png",
                        .rel_type = "image"}};
    char *docx = fx_ooxml_write(f->dir, "krav.docx", FX_DOCX, body, NULL, media, 1);
    ts_doc *doc = scan_path(f, docx, TS_OCR_AUTO);
    assert_null(tst_find_cat(doc, TS_CAT_CREDENTIAL));
    tst_expect_detail(doc, "hidden.picture-text", "only with --ocr");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    doc = scan_path(f, docx, TS_OCR_ALL);
    assert_int_equal(ts_doc_child_count(doc), 1);
    expect_secrets_read(ts_doc_child_at(doc, 0));
    assert_null(tst_find(doc, "hidden.picture-text"));
    ts_doc_free(doc);
    free(docx);
    free(body);
    free(data);
    free(png);
}

static void test_scanned_pdf_page_is_read_with_ocr(void **state)
{
    fixture *f = *state;
    char *path = write_scanned_pdf(f, "scan.pdf", SECRET);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    expect_secrets_read(doc);
    assert_null(tst_find(doc, "hidden.image-only-page"));
    assert_string_equal(ts_finding_value(tst_find(doc, "document.ocr-read")), "page 1");
    ts_doc_free(doc);
    free(path);
}

static void test_scanned_pdf_page_without_ocr_says_it_was_not_read(void **state)
{
    fixture *f = *state;
    char *path = write_scanned_pdf(f, "scan.pdf", SECRET);
    ts_doc *doc = scan_path(f, path, TS_OCR_OFF);
    assert_null(tst_find_cat(doc, TS_CAT_CREDENTIAL));
    assert_null(tst_find(doc, "document.ocr-read"));
    tst_expect_detail(doc, "hidden.image-only-page", "OCR is off (--no-ocr)");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(path);
}

static void test_clean_picture_gets_only_the_ocr_note(void **state)
{
    fixture *f = *state;
    char *path = write_png(f, "gangbru.png", CLEAN);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    assert_int_equal(ts_doc_finding_count(doc), 1);
    const ts_finding *note = tst_find(doc, "document.ocr-read");
    assert_non_null(note);
    assert_int_equal(ts_finding_where(note), TS_WHERE_OCR);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_null(ts_doc_error(doc));
    ts_doc_free(doc);
    free(path);
}

static void test_picture_inside_a_zip_is_read_with_ocr(void **state)
{
    fixture *f = *state;
    char *png = write_png(f, "tavle.png", SECRET);
    size_t len = 0;
    char *data = tst_slurp(png, &len);
    assert_non_null(data);
    fx_part parts[] = {{.name = "vedlegg/tavle.png", .data = data, .len = len}};
    char *zip = fx_zip_write(f->dir, "pakke.zip", parts, 1);
    ts_doc *doc = scan_path(f, zip, TS_OCR_AUTO);
    assert_int_equal(ts_doc_child_count(doc), 1);
    expect_secrets_read(ts_doc_child_at(doc, 0));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
    free(zip);
    free(data);
    free(png);
}

/* A TIFF of two pages (written with Leptonica): the secret on page 2 is found on page 2. */
static void test_tiff_pages_are_read_one_by_one(void **state)
{
    fixture *f = *state;
    char *paths[2] = {write_png(f, "p1.png", CLEAN), write_png(f, "p2.png", SECRET)};
    PIXA *pixa = pixaCreate(2);
    for (size_t i = 0; i < 2; i++) {
        PIX *pix = pixRead(paths[i]);
        assert_non_null(pix);
        PIX *gray = pixConvertTo8(pix, 0);
        pixaAddPix(pixa, gray, L_INSERT);
        pixDestroy(&pix);
        free(paths[i]);
    }
    l_uint8 *tiff = NULL;
    size_t len = 0;
    assert_int_equal(pixaWriteMemMultipageTiff(&tiff, &len, pixa), 0);
    pixaDestroy(&pixa);
    char *path = tst_write(f->dir, "scan.tif", tiff, len);
    lept_free(tiff);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    const ts_finding *pw = tst_find_cat(doc, TS_CAT_CREDENTIAL);
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_OCR);
    assert_int_equal(ts_finding_page(pw), 2);
    assert_string_equal(ts_finding_value(tst_find(doc, "document.ocr-read")), "pages 1-2");
    ts_doc_free(doc);
    free(path);
}

/* A JPEG photo of the page (written with Leptonica) is read like the PNG. */
static void test_jpeg_text_is_read_with_ocr(void **state)
{
    fixture *f = *state;
    char *png = write_png(f, "p.png", SECRET);
    PIX *pix = pixRead(png);
    assert_non_null(pix);
    l_uint8 *jpeg = NULL;
    size_t len = 0;
    assert_int_equal(pixWriteMemJpeg(&jpeg, &len, pix, 85, 0), 0);
    pixDestroy(&pix);
    char *path = tst_write(f->dir, "foto.jpg", jpeg, len);
    lept_free(jpeg);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    expect_secrets_read(doc);
    ts_doc_free(doc);
    free(path);
    free(png);
}

/* ---- hostile pictures ----------------------------------------------------------------------- */

static void put32(unsigned char *p, unsigned long v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A PNG signature and an IHDR chunk for w x h RGB (CRC not checked by the header read). */
static size_t png_header(unsigned char *out, unsigned long w, unsigned long h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memcpy(out, sig, 8);
    put32(out + 8, 13);
    memcpy(out + 12, "IHDR", 4);
    put32(out + 16, w);
    put32(out + 20, h);
    out[24] = 8; /* bits */
    out[25] = 2; /* RGB */
    out[26] = out[27] = out[28] = 0;
    put32(out + 29, 0);
    return 33;
}

static void test_huge_png_header_is_refused_before_decoding(void **state)
{
    fixture *f = *state;
    unsigned char buf[256] = {0};
    size_t n = png_header(buf, 100000, 100000);
    memcpy(buf + n, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
    char *path = tst_write(f->dir, "huge.png", buf, n + 12);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "100000 x 100000"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(path);
}

static void test_corrupt_png_is_an_error_not_a_crash(void **state)
{
    fixture *f = *state;
    char *png = write_png(f, "ok.png", SECRET);
    size_t len = 0;
    unsigned char *data = (unsigned char *)tst_slurp(png, &len);
    assert_non_null(data);
    assert_true(len > 200);
    /* keep the header, garble the compressed pixels */
    for (size_t i = 100; i < len - 20; i++)
        data[i] = (unsigned char)(data[i] * 31u + 7u);
    char *path = tst_write(f->dir, "bad.png", data, len);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_non_null(ts_doc_error(doc));
    ts_doc_free(doc);
    free(path);
    free(data);
    free(png);
}

static void test_truncated_png_is_an_error_not_a_crash(void **state)
{
    fixture *f = *state;
    unsigned char buf[64] = {0};
    size_t n = png_header(buf, 640, 480);
    char *path = tst_write(f->dir, "cut.png", buf, n);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
    free(path);
}

/*
 * Without language data OCR cannot start: with TS_OCR_ALL (--ocr) the document says what to
 * install (error); by default the pictures are checked as without OCR and say why.
 */
static void test_missing_language_data_names_the_packages(void **state)
{
    fixture *f = *state;
    char *path = write_scanned_pdf(f, "scan.pdf", SECRET);
    setenv("TESSDATA_PREFIX", "/nonexistent-tessdata", 1);
    ts_doc *doc = scan_path(f, path, TS_OCR_ALL);
    unsetenv("TESSDATA_PREFIX");
    assert_int_equal(ts_doc_error_status(doc), TS_EUNSUPPORTED);
    assert_non_null(strstr(ts_doc_error(doc), "tesseract-ocr-nor"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    /* the page was not read, and says so */
    assert_non_null(tst_find(doc, "hidden.image-only-page"));
    ts_doc_free(doc);
    char *png = write_png(f, "tavle.png", SECRET);
    setenv("TESSDATA_PREFIX", "/nonexistent-tessdata", 1);
    doc = scan_path(f, path, TS_OCR_AUTO);
    ts_doc *pic = scan_path(f, png, TS_OCR_AUTO);
    unsetenv("TESSDATA_PREFIX");
    assert_null(ts_doc_error(doc));
    tst_expect_detail(doc, "hidden.image-only-page", "tesseract-ocr-nor");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    assert_null(ts_doc_error(pic));
    tst_expect_detail(pic, "hidden.picture-text", "OCR could not start");
    assert_int_equal(ts_doc_grade(pic), TS_GRADE_REVIEW);
    ts_doc_free(pic);
    ts_doc_free(doc);
    free(png);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_png_text_is_read_with_ocr, tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_png_with_text_is_review_without_ocr, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_picture_files_and_scanned_pages_are_read_by_default,
                                        tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_picture_inside_a_document_is_read_only_with_ocr_all,
                                        tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_long_scan_is_read_in_part_by_default, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_scanned_pdf_page_is_read_with_ocr, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_scanned_pdf_page_without_ocr_says_it_was_not_read,
                                        tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_clean_picture_gets_only_the_ocr_note, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_picture_inside_a_zip_is_read_with_ocr, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_tiff_pages_are_read_one_by_one, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_jpeg_text_is_read_with_ocr, tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_huge_png_header_is_refused_before_decoding, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_png_is_an_error_not_a_crash, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_png_is_an_error_not_a_crash, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_missing_language_data_names_the_packages, tst_setup,
                                        tst_teardown),
    };
    return cmocka_run_group_tests_name("extract_ocr", tests, NULL, NULL);
}

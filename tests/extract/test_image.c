/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the image reader: EXIF (written with libexif), XMP, IPTC, PNG text chunks. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <zlib.h>

#include "support/fx_pdf.h"

typedef tst_fixture fixture;

static ts_doc *scan_bytes(const fixture *f, const char *name, const void *data, size_t len)
{
    char *path = tst_write(f->dir, name, data, len);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    return doc;
}

/* ---- a JPEG with EXIF written by libexif ---------------------------------------------------- */

static ExifEntry *add_entry(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt, unsigned long n)
{
    ExifMem *mem = exif_mem_new_default();
    ExifEntry *e = exif_entry_new_mem(mem);
    assert_non_null(e);
    e->data = exif_mem_alloc(mem, (ExifLong)(exif_format_get_size(fmt) * n));
    assert_non_null(e->data);
    e->size = exif_format_get_size(fmt) * (unsigned)n;
    e->tag = tag;
    e->format = fmt;
    e->components = n;
    exif_content_add_entry(ed->ifd[ifd], e);
    exif_mem_unref(mem);
    exif_entry_unref(e);
    return e;
}

static void add_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
    ExifEntry *e = add_entry(ed, ifd, tag, EXIF_FORMAT_ASCII, strlen(s) + 1);
    memcpy(e->data, s, strlen(s) + 1);
}

static void add_dms(ExifData *ed, ExifTag tag, unsigned d, unsigned m, unsigned s100)
{
    ExifEntry *e = add_entry(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, 3);
    ExifByteOrder o = exif_data_get_byte_order(ed);
    exif_set_rational(e->data, o, (ExifRational){d, 1});
    exif_set_rational(e->data + 8, o, (ExifRational){m, 1});
    exif_set_rational(e->data + 16, o, (ExifRational){s100, 100});
}

/* SOI, APP1 with the EXIF block, then a small real JPEG's segments. Returns malloc'd bytes. */
static unsigned char *jpeg_with_exif(size_t *len, bool gps)
{
    ExifData *ed = exif_data_new();
    assert_non_null(ed);
    exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
    add_ascii(ed, EXIF_IFD_0, EXIF_TAG_ARTIST, "olanor");
    add_ascii(ed, EXIF_IFD_0, EXIF_TAG_SOFTWARE, "Kamera-app 2.1");
    add_ascii(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, "Serverrommet ligger i kjelleren");
    add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME, "Fjordvik kommune IT");
    add_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER, "C3221324657219");
    if (gps) {
        /* 59°55'52.00" N, 10°42'27.00" E */
        add_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, "N");
        add_dms(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, 59, 55, 5200);
        add_ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, "E");
        add_dms(ed, (ExifTag)EXIF_TAG_GPS_LONGITUDE, 10, 42, 2700);
    }
    unsigned char *exif = NULL;
    unsigned int elen = 0;
    exif_data_save_data(ed, &exif, &elen);
    exif_data_unref(ed);
    assert_non_null(exif);
    assert_true(elen > 6 && elen < 65000);
    assert_memory_equal(exif, "Exif\0\0", 6);
    /* a blank 64 x 32 picture: its pixels are checked too, so they must be there */
    cairo_surface_t *blank = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 32);
    size_t plen = 0;
    unsigned char *pixels = fx_picture_jpeg(blank, 0, &plen);
    cairo_surface_destroy(blank);
    assert_true(plen > 2);
    unsigned char *j = malloc(elen + 6 + plen);
    assert_non_null(j);
    size_t n = 0;
    static const unsigned char soi_app1[] = {0xFF, 0xD8, 0xFF, 0xE1};
    memcpy(j, soi_app1, 4);
    n = 4;
    j[n++] = (unsigned char)((elen + 2) >> 8);
    j[n++] = (unsigned char)(elen + 2);
    memcpy(j + n, exif, elen);
    n += elen;
    memcpy(j + n, pixels + 2, plen - 2); /* after its SOI */
    n += plen - 2;
    free(pixels);
    free(exif);
    *len = n;
    return j;
}

static void test_jpeg_exif_gps_owner_and_artist_are_found(void **state)
{
    fixture *f = *state;
    size_t len;
    unsigned char *j = jpeg_with_exif(&len, true);
    ts_doc *doc = scan_bytes(f, "bilde.jpg", j, len);
    free(j);
    assert_string_equal(ts_doc_format(doc), "jpeg");
    assert_null(ts_doc_error(doc));
    const ts_finding *gps = tst_find(doc, "metadata.gps-position");
    assert_non_null(gps);
    assert_string_equal(ts_finding_value(gps), "59.931111 N, 10.707500 E");
    assert_int_equal(ts_finding_where(gps), TS_WHERE_EXIF);
    assert_int_equal(ts_finding_category(gps), TS_CAT_METADATA);
    assert_int_equal(tst_count(doc, "metadata.camera-owner"), 2);
    assert_string_equal(ts_finding_value(tst_find(doc, "metadata.camera-owner")),
                        "Fjordvik kommune IT");
    const ts_finding *who = tst_find(doc, "metadata.user-name");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "olanor");
    /* the description is text like any other: the server room in it is found, in the EXIF */
    const ts_finding *room = tst_find_cat_holding(doc, TS_CAT_FACILITY, "Serverrommet");
    assert_non_null(room);
    assert_int_equal(ts_finding_where(room), TS_WHERE_EXIF);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_jpeg_without_gps_has_no_position(void **state)
{
    fixture *f = *state;
    size_t len;
    unsigned char *j = jpeg_with_exif(&len, false);
    ts_doc *doc = scan_bytes(f, "bilde.jpg", j, len);
    free(j);
    assert_null(tst_find(doc, "metadata.gps-position"));
    ts_doc_free(doc);
}

static void test_jpeg_segment_past_the_end_grades_error(void **state)
{
    fixture *f = *state;
    static const unsigned char j[] = {0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 'E', 'x', 'i', 'f'};
    ts_doc *doc = scan_bytes(f, "kort.jpg", j, sizeof j);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    ts_doc_free(doc);
}

/* ---- PNG ------------------------------------------------------------------------------------ */

static size_t chunk(unsigned char *out, const char *type, const void *data, size_t len)
{
    for (int k = 0; k < 4; k++)
        out[k] = (unsigned char)(len >> (24 - 8 * k));
    memcpy(out + 4, type, 4);
    memcpy(out + 8, data, len);
    uLong crc = crc32(0, out + 4, (uInt)(len + 4));
    for (int k = 0; k < 4; k++)
        out[8 + len + (size_t)k] = (unsigned char)(crc >> (24 - 8 * k));
    return len + 12;
}

static const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};

/* The IDAT chunk of the one white pixel of `ihdr` (8-bit gray: filter byte, pixel). */
static size_t idat(unsigned char *out)
{
    static const unsigned char row[2] = {0, 255};
    unsigned char z[64];
    uLongf zlen = sizeof z;
    assert_int_equal(compress(z, &zlen, row, sizeof row), Z_OK);
    return chunk(out, "IDAT", z, zlen);
}

static void test_png_text_chunks_and_xmp_are_read(void **state)
{
    fixture *f = *state;
    static unsigned char png[8192];
    size_t n = 8;
    memcpy(png, "\x89PNG\r\n\x1A\n", 8);
    n += chunk(png + n, "IHDR", ihdr, sizeof ihdr);
    n += idat(png + n);
    n += chunk(png + n, "tEXt", "Comment\0Ruter 10.0.40.1 i kjelleren", 35);
    static const char xmp[] = "XML:com.adobe.xmp\0\0\0\0\0"
                              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
                              "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
                              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><rdf:Description>"
                              "<dc:creator><rdf:Seq><rdf:li>Kari Nordmann</rdf:li></rdf:Seq>"
                              "</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
    n += chunk(png + n, "iTXt", xmp, sizeof xmp - 1);
    n += chunk(png + n, "IEND", "", 0);
    ts_doc *doc = scan_bytes(f, "bilde.png", png, n);
    assert_string_equal(ts_doc_format(doc), "png");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_EXIF);
    const ts_finding *who = tst_find(doc, "metadata.author");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "Kari Nordmann");
    ts_doc_free(doc);
}

static void test_png_drawio_export_gets_the_diagram_verdict(void **state)
{
    fixture *f = *state;
    static unsigned char png[16384];
    /* draw.io keeps the diagram URL-encoded in a text chunk named mxfile */
    static const char mx[] =
        "mxfile\0%3Cmxfile%3E%3Cdiagram%20name%3D%22Nett%22%3E%3CmxGraphModel%3E%3Croot%3E"
        "%3CmxCell%20id%3D%220%22%2F%3E%3CmxCell%20id%3D%221%22%20parent%3D%220%22%2F%3E"
        "%3CmxCell%20id%3D%22a%22%20value%3D%22Brannmur%22%20vertex%3D%221%22%20parent%3D%221%22"
        "%2F%3E%3CmxCell%20id%3D%22b%22%20value%3D%22Svitsj%22%20vertex%3D%221%22%20parent%3D"
        "%221%22%2F%3E%3CmxCell%20id%3D%22c%22%20value%3D%22Server%2010.9.9.9%22%20vertex%3D"
        "%221%22%20parent%3D%221%22%2F%3E%3C%2Froot%3E%3C%2FmxGraphModel%3E%3C%2Fdiagram%3E"
        "%3C%2Fmxfile%3E";
    size_t n = 8;
    memcpy(png, "\x89PNG\r\n\x1A\n", 8);
    n += chunk(png + n, "IHDR", ihdr, sizeof ihdr);
    n += idat(png + n);
    n += chunk(png + n, "tEXt", mx, sizeof mx - 1);
    n += chunk(png + n, "IEND", "", 0);
    ts_doc *doc = scan_bytes(f, "nett.png", png, n);
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_non_null(v);
    assert_string_equal(ts_finding_value(v), "Nett");
    ts_doc_free(doc);
}

static void test_truncated_png_grades_error(void **state)
{
    fixture *f = *state;
    static unsigned char png[256];
    size_t n = 8;
    memcpy(png, "\x89PNG\r\n\x1A\n", 8);
    n += chunk(png + n, "IHDR", ihdr, sizeof ihdr);
    ts_doc *doc = scan_bytes(f, "kort.png", png, n);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    ts_doc_free(doc);
}

static void test_corpus_images_with_gps_have_a_position(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s/image", TS_CORPUS_DIR);
    DIR *d = opendir(dirpath);
    if (d == NULL)
        skip();
    struct dirent *e;
    size_t gps = 0, seen = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".svg"))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dirpath, e->d_name);
        ts_doc *doc = NULL;
        assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
        if (ts_doc_error(doc))
            fail_msg("%s: %s", e->d_name, ts_doc_error(doc));
        bool has = tst_find(doc, "metadata.gps-position") != NULL;
        if (has != (strstr(e->d_name, "gps") != NULL || strstr(e->d_name, "GPS") != NULL))
            fail_msg("%s: GPS position %s", e->d_name, has ? "found" : "missing");
        gps += has;
        if (strstr(e->d_name, "GoPro"))
            assert_string_equal(ts_finding_value(tst_find(doc, "metadata.camera-owner")),
                                "C3221324657219");
        ts_doc_free(doc);
        seen++;
    }
    closedir(d);
    assert_true(seen >= 9);
    assert_int_equal(gps, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_jpeg_exif_gps_owner_and_artist_are_found),
        T(test_jpeg_without_gps_has_no_position),
        T(test_jpeg_segment_past_the_end_grades_error),
        T(test_png_text_chunks_and_xmp_are_read),
        T(test_png_drawio_export_gets_the_diagram_verdict),
        T(test_truncated_png_grades_error),
        T(test_corpus_images_with_gps_have_a_position),
#undef T
    };
    return cmocka_run_group_tests_name("extract_image", tests, NULL, NULL);
}

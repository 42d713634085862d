/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for type detection: magic bytes, zip members, compound files and text sniffing. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "core/type.h"
#include "support/fx_bin.h"

#define DETECT(lit) ts_type_detect((const unsigned char *)(lit), sizeof(lit) - 1)

/* A zip in memory with the given members (name, text) built by libzip; free() the result. */
typedef struct member {
    const char *name;
    const char *text;
} member;

static unsigned char *build_zip(const member *m, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *ms = zip_source_buffer(za, m[i].text, strlen(m[i].text), 0);
        assert_non_null(ms);
        zip_int64_t idx = zip_file_add(za, m[i].name, ms, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        if (strcmp(m[i].name, "mimetype") == 0)
            assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
    }
    assert_int_equal(zip_close(za), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_stat(src, &st), 0);
    assert_true(st.size > 0);
    unsigned char *buf = malloc(st.size);
    assert_non_null(buf);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = st.size;
    return buf;
}

static ts_type detect_zip_of(const member *m, size_t n)
{
    size_t len = 0;
    unsigned char *z = build_zip(m, n, &len);
    ts_type t = ts_type_detect(z, len);
    free(z);
    return t;
}

#define ZIP_OF(...)                                                                                \
    detect_zip_of((const member[]){__VA_ARGS__},                                                   \
                  sizeof((const member[]){__VA_ARGS__}) / sizeof(member))

static const member CT = {"[Content_Types].xml", "<Types/>"};

static void test_empty_buffer_is_empty(void **state)
{
    (void)state;
    assert_int_equal(ts_type_detect((const unsigned char *)"", 0), TS_TYPE_EMPTY);
    assert_int_equal(ts_type_detect(NULL, 0), TS_TYPE_EMPTY);
}

static void test_every_type_has_a_name(void **state)
{
    (void)state;
    static const char *const want[TS_TYPE_COUNT_] = {
        [TS_TYPE_EMPTY] = "empty",   [TS_TYPE_UNKNOWN] = "unknown",
        [TS_TYPE_TEXT] = "text",     [TS_TYPE_PDF] = "pdf",
        [TS_TYPE_DOCX] = "docx",     [TS_TYPE_DOCM] = "docm",
        [TS_TYPE_XLSX] = "xlsx",     [TS_TYPE_XLSM] = "xlsm",
        [TS_TYPE_PPTX] = "pptx",     [TS_TYPE_PPTM] = "pptm",
        [TS_TYPE_VSDX] = "vsdx",     [TS_TYPE_ODT] = "odt",
        [TS_TYPE_ODS] = "ods",       [TS_TYPE_ODP] = "odp",
        [TS_TYPE_ODG] = "odg",       [TS_TYPE_OLE] = "ole",
        [TS_TYPE_DOC] = "doc",       [TS_TYPE_XLS] = "xls",
        [TS_TYPE_PPT] = "ppt",       [TS_TYPE_VSD] = "vsd",
        [TS_TYPE_RTF] = "rtf",       [TS_TYPE_OOXML_ENCRYPTED] = "ooxml-encrypted",
        [TS_TYPE_DXF] = "dxf",       [TS_TYPE_DXF_BINARY] = "dxf-binary",
        [TS_TYPE_DWG] = "dwg",       [TS_TYPE_SVG] = "svg",
        [TS_TYPE_DRAWIO] = "drawio", [TS_TYPE_IFC] = "ifc",
        [TS_TYPE_IFCZIP] = "ifczip", [TS_TYPE_JPEG] = "jpeg",
        [TS_TYPE_PNG] = "png",       [TS_TYPE_TIFF] = "tiff",
        [TS_TYPE_ZIP] = "zip",       [TS_TYPE_XLSB] = "xlsb",
        [TS_TYPE_DOC_OLD] = "doc",   [TS_TYPE_XLS_OLD] = "xls",
    };
    for (int t = TS_TYPE_EMPTY; t < TS_TYPE_COUNT_; t++) {
        assert_non_null(want[t]);
        assert_string_equal(ts_type_name((ts_type)t), want[t]);
    }
    assert_string_equal(ts_type_name(TS_TYPE_COUNT_), "unknown");
    assert_string_equal(ts_type_name((ts_type)-1), "unknown");
}

static void test_pdf_magic_at_start_and_after_junk(void **state)
{
    (void)state;
    assert_int_equal(DETECT("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), TS_TYPE_PDF);
    unsigned char buf[1200];
    memset(buf, 'j', sizeof buf);
    memcpy(buf + 1000, "%PDF-1.4\n", 9);
    assert_int_equal(ts_type_detect(buf, sizeof buf), TS_TYPE_PDF);
    /* past the first 1024 bytes it is just text */
    memset(buf, 'j', sizeof buf);
    memcpy(buf + 1100, "%PDF-1.4\n", 9);
    assert_int_equal(ts_type_detect(buf, sizeof buf), TS_TYPE_TEXT);
}

static void test_image_magics(void **state)
{
    (void)state;
    assert_int_equal(DETECT("\xff\xd8\xff\xe0\0\x10JFIF\0"), TS_TYPE_JPEG);
    assert_int_equal(DETECT("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), TS_TYPE_PNG);
    assert_int_equal(DETECT("II*\0\x08\0\0\0"), TS_TYPE_TIFF);
    assert_int_equal(DETECT("MM\0*\0\0\0\x08"), TS_TYPE_TIFF);
    /* a PNG signature cut short is not a PNG */
    assert_int_not_equal(DETECT("\x89PNG\r\n"), TS_TYPE_PNG);
}

static void test_cad_magics(void **state)
{
    (void)state;
    assert_int_equal(DETECT("AC1032\0\0\0\0\0\0"), TS_TYPE_DWG);
    assert_int_equal(DETECT("AC1015\0\0\0\0\0\0"), TS_TYPE_DWG);
    assert_int_not_equal(DETECT("AC10X5\0\0\0\0\0\0"), TS_TYPE_DWG);
    assert_int_equal(DETECT("AutoCAD Binary DXF\r\n\x1a\0\0\0SECTION"), TS_TYPE_DXF_BINARY);
    assert_int_equal(DETECT("  0\nSECTION\n  2\nHEADER\n"), TS_TYPE_DXF);
    assert_int_equal(DETECT("0\r\nSECTION\r\n2\r\nENTITIES\r\n"), TS_TYPE_DXF);
    assert_int_equal(DETECT("\xef\xbb\xbf\n999\nlaget av ArchiCAD\n999\nmer\n  0\nSECTION\n"),
                     TS_TYPE_DXF);
    /* group code 0 without SECTION is some other text */
    assert_int_equal(DETECT("0\nEOF\n"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition'),'2;1');"),
                     TS_TYPE_IFC);
    assert_int_equal(DETECT("\xef\xbb\xbf\r\n  ISO-10303-21;\r\n"), TS_TYPE_IFC);
}

static void test_rtf_magic(void **state)
{
    (void)state;
    assert_int_equal(DETECT("{\\rtf1\\ansi\\deff0 {\\fonttbl}}"), TS_TYPE_RTF);
    assert_int_equal(DETECT("{\\rt"), TS_TYPE_TEXT);
}

static void test_office_open_xml_by_main_part(void **state)
{
    (void)state;
    assert_int_equal(ZIP_OF(CT, {"word/document.xml", "<w:document/>"}), TS_TYPE_DOCX);
    assert_int_equal(
        ZIP_OF(CT, {"word/document.xml", "<w:document/>"}, {"word/vbaProject.bin", "VBA"}),
        TS_TYPE_DOCM);
    assert_int_equal(ZIP_OF(CT, {"xl/workbook.xml", "<workbook/>"}), TS_TYPE_XLSX);
    assert_int_equal(ZIP_OF(CT, {"xl/workbook.xml", "<workbook/>"}, {"xl/vbaProject.bin", "V"}),
                     TS_TYPE_XLSM);
    assert_int_equal(ZIP_OF(CT, {"ppt/presentation.xml", "<p/>"}), TS_TYPE_PPTX);
    assert_int_equal(ZIP_OF(CT, {"ppt/presentation.xml", "<p/>"}, {"ppt/vbaProject.bin", "V"}),
                     TS_TYPE_PPTM);
    assert_int_equal(ZIP_OF(CT, {"visio/document.xml", "<VisioDocument/>"}), TS_TYPE_VSDX);
    /* an Excel binary workbook: a spreadsheet package without its XML */
    assert_int_equal(ZIP_OF(CT, {"xl/workbook.bin", "\x83\x01\x00"}), TS_TYPE_XLSB);
    assert_int_equal(
        ZIP_OF(CT, {"xl/workbook.xml", "<workbook/>"}, {"xl/workbook.bin", "\x83\x01\x00"}),
        TS_TYPE_XLSX);
    /* a macro part elsewhere does not make a docm */
    assert_int_equal(
        ZIP_OF(CT, {"word/document.xml", "<w:document/>"}, {"other/vbaProject.bin", "VBA"}),
        TS_TYPE_DOCX);
}

static void test_opendocument_by_mimetype(void **state)
{
    (void)state;
    assert_int_equal(ZIP_OF({"mimetype", "application/vnd.oasis.opendocument.text"},
                            {"content.xml", "<office:document-content/>"}),
                     TS_TYPE_ODT);
    assert_int_equal(ZIP_OF({"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                            {"content.xml", "<c/>"}),
                     TS_TYPE_ODS);
    assert_int_equal(ZIP_OF({"mimetype", "application/vnd.oasis.opendocument.presentation"},
                            {"content.xml", "<c/>"}),
                     TS_TYPE_ODP);
    assert_int_equal(ZIP_OF({"mimetype", "application/vnd.oasis.opendocument.graphics"},
                            {"content.xml", "<c/>"}),
                     TS_TYPE_ODG);
    /* an EPUB has a mimetype member too, but it is not OpenDocument */
    assert_int_equal(ZIP_OF({"mimetype", "application/epub+zip"}, {"content.opf", "<p/>"}),
                     TS_TYPE_ZIP);
}

static void test_plain_zip_and_ifczip(void **state)
{
    (void)state;
    assert_int_equal(ZIP_OF({"vedlegg/plan.txt", "10.20.1.1"}, {"les meg.txt", "hei"}),
                     TS_TYPE_ZIP);
    assert_int_equal(ZIP_OF({"bygg/modell.ifc", "ISO-10303-21;"}), TS_TYPE_IFCZIP);
    /* an office document that carries an .ifc member is still the office document */
    assert_int_equal(ZIP_OF(CT, {"word/document.xml", "<w:document/>"},
                            {"word/embeddings/modell.ifc", "ISO-10303-21;"}),
                     TS_TYPE_DOCX);
    /* the empty archive is only its end record */
    assert_int_equal(DETECT("PK\5\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), TS_TYPE_ZIP);
}

static void test_damaged_zip_is_still_zip(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *z =
        build_zip((const member[]){CT, {"word/document.xml", "<w:document/>"}}, 2, &len);
    /* cut off the central directory: libzip cannot open it, the zip extractor will say so */
    assert_int_equal(ts_type_detect(z, len / 2), TS_TYPE_ZIP);
    assert_int_equal(ts_type_detect(z, 4), TS_TYPE_ZIP);
    /* garbage after a local header signature */
    unsigned char junk[300];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 131u + 7u);
    memcpy(junk, "PK\3\4", 4);
    assert_int_equal(ts_type_detect(junk, sizeof junk), TS_TYPE_ZIP);
    /* a corrupted end record that claims far more entries than there are */
    memcpy(junk + sizeof junk - 22, "PK\5\6\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\x7f\0\0\0\0\0\0",
           22);
    assert_int_equal(ts_type_detect(junk, sizeof junk), TS_TYPE_ZIP);
    free(z);
}

static void test_zip_content_wins_over_name(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *z =
        build_zip((const member[]){CT, {"word/document.xml", "<w:document/>"}}, 2, &len);
    ts_ctx *ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, "tilbud.pdf", z, len), TS_OK);
    assert_string_equal(ts_doc_format(doc), "docx");
    ts_doc_free(doc);
    /* and a PDF named .docx is a PDF */
    static const char pdf[] = "%PDF-1.4\n%%EOF\n";
    assert_int_equal(ts_scan_buffer(&doc, ctx, "tilbud.docx", pdf, sizeof pdf - 1), TS_OK);
    assert_string_equal(ts_doc_format(doc), "pdf");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(z);
}

/* ---- OLE2 compound files ---- */

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void dir_entry(unsigned char *e, const char *name, unsigned type, uint32_t left,
                      uint32_t right, uint32_t child)
{
    size_t n = strlen(name);
    memset(e, 0, 128);
    for (size_t i = 0; i < n; i++)
        e[2 * i] = (unsigned char)name[i];
    put16(e + 0x40, (unsigned)(2 * (n + 1)));
    e[0x42] = (unsigned char)type;
    put32(e + 0x44, left);
    put32(e + 0x48, right);
    put32(e + 0x4C, child);
}

#define NOS 0xFFFFFFFFu

/*
 * A minimal version-3 compound file: header, one FAT sector (sector 0), one directory sector
 * (sector 1) holding the root and up to three more entries: names[0] is the root's child,
 * names[1] its left sibling, names[2] its right sibling, names[3] a child of names[0].
 */
static unsigned char *build_cfb(const char *const names[4], size_t *len)
{
    *len = 512 * 3;
    unsigned char *b = calloc(1, *len);
    assert_non_null(b);
    memcpy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    put16(b + 0x18, 0x3E);
    put16(b + 0x1A, 3);
    put16(b + 0x1C, 0xFFFE);
    put16(b + 0x1E, 9);
    put16(b + 0x20, 6);
    put32(b + 0x2C, 1); /* one FAT sector */
    put32(b + 0x30, 1); /* directory starts at sector 1 */
    put32(b + 0x38, 4096);
    put32(b + 0x3C, 0xFFFFFFFEu); /* no mini FAT */
    put32(b + 0x44, 0xFFFFFFFEu); /* no DIFAT sectors */
    for (int i = 0; i < 109; i++)
        put32(b + 0x4C + 4 * i, NOS);
    put32(b + 0x4C, 0); /* FAT in sector 0 */
    unsigned char *fat = b + 512;
    for (int i = 0; i < 128; i++)
        put32(fat + 4 * i, NOS);
    put32(fat + 0, 0xFFFFFFFDu); /* FATSECT */
    put32(fat + 4, 0xFFFFFFFEu); /* directory: one sector */
    unsigned char *dir = b + 1024;
    dir_entry(dir, "Root Entry", 5, NOS, NOS, names[0] ? 1 : NOS);
    for (unsigned i = 1; i < 4; i++)
        dir_entry(dir + 128 * i, "", 0, NOS, NOS, NOS);
    if (names[0])
        dir_entry(dir + 128, names[0], names[3] ? 1 : 2, names[1] ? 2 : NOS, names[2] ? 3 : NOS,
                  NOS);
    if (names[1])
        dir_entry(dir + 256, names[1], 2, NOS, NOS, NOS);
    if (names[2])
        dir_entry(dir + 384, names[2], 2, NOS, NOS, NOS);
    if (names[3]) {
        /* a nested stream: entry 2 becomes the child of entry 1 instead of its sibling */
        assert_null(names[1]);
        dir_entry(dir + 256, names[3], 2, NOS, NOS, NOS);
        put32(dir + 128 + 0x4C, 2);
    }
    return b;
}

static ts_type detect_cfb(const char *a, const char *b, const char *c, const char *nested)
{
    const char *const names[4] = {a, b, c, nested};
    size_t len = 0;
    unsigned char *buf = build_cfb(names, &len);
    ts_type t = ts_type_detect(buf, len);
    free(buf);
    return t;
}

static void test_ole_kind_by_root_stream_names(void **state)
{
    (void)state;
    assert_int_equal(detect_cfb("WordDocument", "1Table", "\x05SummaryInformation", NULL),
                     TS_TYPE_DOC);
    assert_int_equal(detect_cfb("Workbook", NULL, NULL, NULL), TS_TYPE_XLS);
    assert_int_equal(detect_cfb("Book", NULL, NULL, NULL), TS_TYPE_XLS);
    assert_int_equal(detect_cfb("Current User", "PowerPoint Document", NULL, NULL), TS_TYPE_PPT);
    assert_int_equal(detect_cfb("VisioDocument", NULL, NULL, NULL), TS_TYPE_VSD);
    assert_int_equal(detect_cfb("EncryptedPackage", NULL, "EncryptionInfo", NULL),
                     TS_TYPE_OOXML_ENCRYPTED);
    assert_int_equal(detect_cfb("Contents", NULL, NULL, NULL), TS_TYPE_OLE);
    assert_int_equal(detect_cfb(NULL, NULL, NULL, NULL), TS_TYPE_OLE);
}

static void test_ole_nested_stream_does_not_decide(void **state)
{
    (void)state;
    /* an .xls whose embedded object storage holds a WordDocument stream is still an .xls */
    const char *const names[4] = {"MBD0001", NULL, "Workbook", "WordDocument"};
    size_t len = 0;
    unsigned char *buf = build_cfb(names, &len);
    assert_int_equal(ts_type_detect(buf, len), TS_TYPE_XLS);
    free(buf);
    /* a storage alone with the Word stream inside: unknown kind */
    assert_int_equal(detect_cfb("ObjectPool", NULL, NULL, "WordDocument"), TS_TYPE_OLE);
}

static void test_ole_damaged_directory_falls_back_to_search(void **state)
{
    (void)state;
    const char *const names[4] = {"WordDocument", NULL, NULL, NULL};
    size_t len = 0;
    unsigned char *buf = build_cfb(names, &len);
    /* the directory chain points past the end of the file */
    put32(buf + 0x30, 0x7000000u);
    assert_int_equal(ts_type_detect(buf, len), TS_TYPE_DOC);
    /* a sector shift no compound file has */
    put16(buf + 0x1E, 30);
    assert_int_equal(ts_type_detect(buf, len), TS_TYPE_DOC);
    /* just the signature */
    assert_int_equal(ts_type_detect(buf, 8), TS_TYPE_OLE);
    free(buf);
}

static void test_ole_directory_cycle_ends(void **state)
{
    (void)state;
    const char *const names[4] = {"Workbook", NULL, NULL, NULL};
    size_t len = 0;
    unsigned char *buf = build_cfb(names, &len);
    /* the directory sector's FAT entry points back to itself; the tree points to itself */
    put32(buf + 512 + 4, 1);
    put32(buf + 1024 + 128 + 0x44, 1);
    put32(buf + 1024 + 128 + 0x48, 1);
    assert_int_equal(ts_type_detect(buf, len), TS_TYPE_XLS);
    free(buf);
}

/* ---- text and XML ---- */

static void test_svg_after_declaration_and_comments(void **state)
{
    (void)state;
    assert_int_equal(DETECT("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<!-- Generator: Adobe Illustrator 27 -->\n"
                            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                            "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n"
                            "  <!ENTITY ns \"x>y\">\n]>\n"
                            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>R1</text></svg>"),
                     TS_TYPE_SVG);
    assert_int_equal(DETECT("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>"), TS_TYPE_SVG);
    assert_int_equal(DETECT("  <svg>"), TS_TYPE_SVG);
    /* an element that merely starts with svg */
    assert_int_equal(DETECT("<svgx/>"), TS_TYPE_TEXT);
}

static void test_drawio_root_elements(void **state)
{
    (void)state;
    assert_int_equal(DETECT("<mxfile host=\"app.diagrams.net\"><diagram id=\"a\">"
                            "<mxGraphModel/></diagram></mxfile>"),
                     TS_TYPE_DRAWIO);
    assert_int_equal(
        DETECT("<?xml version=\"1.0\"?>\n<mxGraphModel dx=\"1\"><root/></mxGraphModel>"),
        TS_TYPE_DRAWIO);
}

static void test_other_xml_is_text(void **state)
{
    (void)state;
    assert_int_equal(DETECT("<?xml version=\"1.0\"?><config><ip>10.0.0.1</ip></config>"),
                     TS_TYPE_TEXT);
    assert_int_equal(DETECT("<!-- unterminated comment"), TS_TYPE_TEXT);
}

static void test_plain_text_in_various_charsets(void **state)
{
    (void)state;
    assert_int_equal(DETECT("Kjernesvitsj har adresse 10.20.1.1/24\r\n"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("Brannmur: 10.20.1.1 p\xe5 kontoret i \xc5lesund\n"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("\xef\xbb\xbfhei\n"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("\t\f\r\n"), TS_TYPE_TEXT);
}

static void test_utf16_text_with_and_without_bom(void **state)
{
    (void)state;
    assert_int_equal(DETECT("\xff\xfep\0a\0s\0s\0o\0r\0d\0"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("\xfe\xff\0p\0a\0s\0s"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("p\0a\0s\0s\0o\0r\0d\0:\0 \0S\0o\0m\0m\0e\0r\0\r\0\n\0"), TS_TYPE_TEXT);
    assert_int_equal(DETECT("\0p\0a\0s\0s\0o\0r\0d\0:\0 \0S\0o\0m\0m\0e\0r"), TS_TYPE_TEXT);
    /* an SVG saved as UTF-16 is still an SVG */
    assert_int_equal(DETECT("\xff\xfe<\0s\0v\0g\0>\0"), TS_TYPE_SVG);
    assert_int_equal(DETECT("<\0m\0x\0f\0i\0l\0e\0>\0"), TS_TYPE_DRAWIO);
}

/* Word for Windows 1/2 and Excel 2/3/4 files predate the compound file: told by their first
 * bytes, so that they can be named (they are not read). */
static void test_office_files_older_than_the_compound_file(void **state)
{
    (void)state;
    /* Word 2: wIdent 0xA5DB, nFib 45 (POI's word2.doc) */
    assert_int_equal(DETECT("\xdb\xa5-\0"
                            "1@\t\x04\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
                            "\0\0\0\0\0\0"),
                     TS_TYPE_DOC_OLD);
    assert_int_equal(DETECT("\x9b\xa5!\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
                            "\0\0\0\0"),
                     TS_TYPE_DOC_OLD);
    /* BOF of Excel 3 and 4 worksheets (POI's testEXCEL_3.xls, testEXCEL_4.xls), Excel 2 */
    assert_int_equal(DETECT("\x09\x02\x06\0\0\0\x10\0\xf2\x15\\\0"), TS_TYPE_XLS_OLD);
    assert_int_equal(DETECT("\x09\x04\x06\0\0\0\x10\0\xd3\x10\\\0"), TS_TYPE_XLS_OLD);
    assert_int_equal(DETECT("\x09\0\x04\0\x02\0\x10\0"), TS_TYPE_XLS_OLD);
    /* a tab, then text, is text; a BOF of no sheet type is not a worksheet */
    assert_int_equal(DETECT("\t\0p\0a\0s\0s\0o\0r\0d\0"), TS_TYPE_TEXT);
    assert_int_not_equal(DETECT("\x09\x02\x06\0\0\0\x33\0\0\0"), TS_TYPE_XLS_OLD);
}

static void test_binary_junk_is_unknown(void **state)
{
    (void)state;
    unsigned char junk[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof junk; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        junk[i] = (unsigned char)x;
    }
    if (junk[0] == 'P' || junk[0] == 0xD0 || junk[0] == 0xFF || junk[0] == 0x89)
        junk[0] = 0x01;
    assert_int_equal(ts_type_detect(junk, sizeof junk), TS_TYPE_UNKNOWN);
    /* no NUL, but full of control bytes */
    memset(junk, 0x01, sizeof junk);
    memcpy(junk, "abc", 3);
    assert_int_equal(ts_type_detect(junk, sizeof junk), TS_TYPE_UNKNOWN);
    /* an ELF header */
    assert_int_equal(DETECT("\x7f"
                            "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0"),
                     TS_TYPE_UNKNOWN);
}

/*
 * A Windows metafile of small coordinates has a NUL in every other byte, as UTF-16 text does; it
 * was read as text (a password appended to it came out as CJK and was missed). It is a binary of
 * no known type now, whose strings are scanned (extract/strings.c).
 */
static void test_windows_metafiles_are_not_text(void **state)
{
    (void)state;
    size_t len = 0;
    unsigned char *wmf = fx_wmf_polyline(2000, "\r\nadmin password: Sommer2024!\r\n", &len);
    assert_int_equal(ts_type_utf16_guess(wmf, len), 1); /* what made it text */
    assert_int_equal(ts_type_detect(wmf, len), TS_TYPE_UNKNOWN);
    /* without the placeable header: the standard header (type 1, 9 words, version 0x0300) */
    assert_int_equal(ts_type_detect(wmf + 22, len - 22), TS_TYPE_UNKNOWN);
    /* an enhanced metafile: EMR_HEADER, " EMF" at 40 */
    unsigned char emf[4096] = {1, 0, 0, 0, 108, 0, 0, 0};
    memcpy(emf + 40, " EMF", 4);
    for (size_t i = 108; i + 1 < sizeof emf; i += 2)
        emf[i] = (unsigned char)('A' + i % 26);
    assert_int_equal(ts_type_detect(emf, sizeof emf), TS_TYPE_UNKNOWN);
    free(wmf);
}

/*
 * A short UTF-16 start and a long ASCII rest (Out-File, then Out-File -Append -Encoding ascii):
 * no charset holds for the whole first 64 KiB, but each part is text of its kind.
 */
static void test_utf16_start_then_long_ascii_is_text(void **state)
{
    (void)state;
    static const char wide[] = "K\0r\0a\0v\0s\0p\0e\0s\0i\0f\0i\0k\0a\0s\0j\0o\0n\0\r\0\n\0";
    size_t len = sizeof wide - 1 + 70000;
    unsigned char *t = malloc(len);
    assert_non_null(t);
    memcpy(t, wide, sizeof wide - 1);
    for (size_t i = sizeof wide - 1; i < len; i++)
        t[i] = (unsigned char)("Linje med ASCII-tekst\r\n"[i % 23]);
    assert_int_equal(ts_type_detect(t, len), TS_TYPE_TEXT);
    /* and the same parts the other way round */
    memmove(t, t + sizeof wide - 1, 70000);
    memcpy(t + 70000, wide, sizeof wide - 1);
    assert_int_equal(ts_type_detect(t, len), TS_TYPE_TEXT);
    /* a binary part among them is no text */
    memset(t + 30000, 0, 64);
    t[30001] = 7;
    assert_int_equal(ts_type_detect(t, len), TS_TYPE_UNKNOWN);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_buffer_is_empty),
        cmocka_unit_test(test_every_type_has_a_name),
        cmocka_unit_test(test_pdf_magic_at_start_and_after_junk),
        cmocka_unit_test(test_image_magics),
        cmocka_unit_test(test_cad_magics),
        cmocka_unit_test(test_rtf_magic),
        cmocka_unit_test(test_office_open_xml_by_main_part),
        cmocka_unit_test(test_opendocument_by_mimetype),
        cmocka_unit_test(test_plain_zip_and_ifczip),
        cmocka_unit_test(test_damaged_zip_is_still_zip),
        cmocka_unit_test(test_zip_content_wins_over_name),
        cmocka_unit_test(test_ole_kind_by_root_stream_names),
        cmocka_unit_test(test_ole_nested_stream_does_not_decide),
        cmocka_unit_test(test_ole_damaged_directory_falls_back_to_search),
        cmocka_unit_test(test_ole_directory_cycle_ends),
        cmocka_unit_test(test_svg_after_declaration_and_comments),
        cmocka_unit_test(test_drawio_root_elements),
        cmocka_unit_test(test_other_xml_is_text),
        cmocka_unit_test(test_plain_text_in_various_charsets),
        cmocka_unit_test(test_utf16_text_with_and_without_bom),
        cmocka_unit_test(test_office_files_older_than_the_compound_file),
        cmocka_unit_test(test_binary_junk_is_unknown),
        cmocka_unit_test(test_windows_metafiles_are_not_text),
        cmocka_unit_test(test_utf16_start_then_long_ascii_is_text),
    };
    return cmocka_run_group_tests_name("core_type", tests, NULL, NULL);
}

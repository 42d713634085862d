/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the OLE extractor: packages, summary information, .doc, .xls, .ppt, .vsd, damage. */
#include "support/ts_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsf/gsf.h>

#include "support/fx_zip.h"

/* ---- fixtures: compound files written with libgsf ------------------------------------------- */

/* A stream (kids NULL) or a storage (its kids) of a compound file. */
typedef struct fx_ole {
    const char *name;
    const void *data;
    size_t len;
    const struct fx_ole *kids;
    size_t nkids;
} fx_ole;

static void ole_put(GsfOutfile *dir, const fx_ole *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        GsfOutput *o = gsf_outfile_new_child(dir, e[i].name, e[i].kids != NULL);
        assert_non_null(o);
        if (e[i].kids)
            ole_put(GSF_OUTFILE(o), e[i].kids, e[i].nkids);
        else if (e[i].len)
            assert_true(gsf_output_write(o, e[i].len, e[i].data));
        gsf_output_close(o);
        g_object_unref(o);
    }
}

/* The compound file's bytes (malloc'd). */
static unsigned char *ole_make(const fx_ole *e, size_t n, size_t *len)
{
    GsfOutput *mem = gsf_output_memory_new();
    GsfOutfile *out = gsf_outfile_msole_new(mem);
    ole_put(out, e, n);
    gsf_output_close(GSF_OUTPUT(out));
    *len = (size_t)gsf_output_size(mem);
    unsigned char *p = malloc(*len);
    assert_non_null(p);
    memcpy(p, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
    g_object_unref(out);
    g_object_unref(mem);
    return p;
}

static void meta_set(GsfDocMetaData *md, const char *name, const char *value)
{
    GValue *v = g_new0(GValue, 1);
    g_value_init(v, G_TYPE_STRING);
    g_value_set_string(v, value);
    gsf_doc_meta_data_insert(md, g_strdup(name), v);
}

/* A property set stream: the summary information (doc = false) or the document summary. */
static unsigned char *summary(bool doc, const char *const *kv, size_t *len)
{
    GsfDocMetaData *md = gsf_doc_meta_data_new();
    for (size_t i = 0; kv[i]; i += 2)
        meta_set(md, kv[i], kv[i + 1]);
    GsfOutput *mem = gsf_output_memory_new();
    assert_true(gsf_doc_meta_data_write_to_msole(md, mem, doc));
    gsf_output_close(mem);
    *len = (size_t)gsf_output_size(mem);
    unsigned char *p = malloc(*len);
    assert_non_null(p);
    memcpy(p, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
    g_object_unref(mem);
    g_object_unref(md);
    return p;
}

/* A growable byte buffer for the hand-made binary streams. */
typedef struct bytes {
    unsigned char p[8192];
    size_t n;
} bytes;

static void put(bytes *b, const void *d, size_t n)
{
    assert_true(b->n + n <= sizeof b->p);
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void u8(bytes *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    put(b, &c, 1);
}

static void u16(bytes *b, unsigned v)
{
    u8(b, v & 0xFF);
    u8(b, v >> 8);
}

static void u32(bytes *b, uint32_t v)
{
    u16(b, v & 0xFFFF);
    u16(b, v >> 16);
}

static void set32(bytes *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[at + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static void utf16(bytes *b, const char *ascii)
{
    for (const char *s = ascii; *s; s++)
        u16(b, (unsigned char)*s);
}

static ts_doc *scan(void **state, const char *name, const void *data, size_t len)
{
    tst_fixture *f = *state;
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, f->ctx, name, data, len), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* ---- OLE Package ---------------------------------------------------------------------------- */

#define PKG_PATH "C:\\Users\\olanor\\Desktop\\passord.txt"

/* \001Ole10Native: u32 size, 02 00, label, path, 00 00 03 00, temp path, the file */
static void package(bytes *b, const char *label, const char *data)
{
    const char *temp = "C:\\Users\\olanor\\AppData\\Local\\Temp\\passord.txt";
    size_t start = b->n;
    u32(b, 0);
    u16(b, 2);
    put(b, label, strlen(label) + 1);
    put(b, PKG_PATH, strlen(PKG_PATH) + 1);
    u16(b, 0);
    u16(b, 3);
    u32(b, (uint32_t)strlen(temp) + 1);
    put(b, temp, strlen(temp) + 1);
    u32(b, (uint32_t)strlen(data));
    put(b, data, strlen(data));
    set32(b, start, (uint32_t)(b->n - start - 4));
}

static unsigned char *package_file(const char *data, size_t *len)
{
    static bytes b;
    b.n = 0;
    package(&b, "passord.txt", data);
    const fx_ole e[] = {{"\001Ole10Native", b.p, b.n, NULL, 0}};
    return ole_make(e, 1, len);
}

static void test_ole_package_file_is_a_child_and_its_path_is_reported(void **state)
{
    size_t len;
    unsigned char *p = package_file("Brukernavn admin\npassord: Sommer2024!\n", &len);
    ts_doc *doc = scan(state, "oleObject1.bin", p, len);
    assert_string_equal(ts_doc_format(doc), "ole");
    assert_int_equal(ts_doc_child_count(doc), 1);
    assert_non_null(strstr(ts_doc_path(ts_doc_child_at(doc, 0)), "!passord.txt"));
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    const ts_finding *path = tst_find(doc, "metadata.user-path");
    assert_non_null(path);
    assert_int_equal(ts_finding_where(path), TS_WHERE_METADATA);
    assert_non_null(strstr(ts_finding_value(path), "C:\\Users\\olanor"));
    assert_null(tst_find(doc, "document.ole-not-read"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
    free(p);
}

static void test_ole_summary_information_author_login_and_custom_property(void **state)
{
    static const char *const si[] = {"dc:creator", "olanor", "dc:title", "Anbud", NULL};
    static const char *const dsi[] = {"dc:publisher", "Fjordvik kommune", "Serveradresse",
                                      "kjernesvitsj 10.20.30.40", NULL};
    size_t n1, n2, len;
    unsigned char *s1 = summary(false, si, &n1), *s2 = summary(true, dsi, &n2);
    const fx_ole e[] = {{"\005SummaryInformation", s1, n1, NULL, 0},
                        {"\005DocumentSummaryInformation", s2, n2, NULL, 0},
                        {"Equation Native", "xx", 2, NULL, 0}};
    unsigned char *p = ole_make(e, 3, &len);
    ts_doc *doc = scan(state, "object.bin", p, len);
    const ts_finding *au = tst_find(doc, "metadata.user-name");
    assert_non_null(au);
    assert_string_equal(ts_finding_value(au), "olanor");
    assert_int_equal(ts_finding_where(au), TS_WHERE_METADATA);
    assert_non_null(tst_find(doc, "metadata.company"));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_METADATA);
    /* nothing else could be read: never ok by omission */
    const ts_finding *nr = tst_find(doc, "document.ole-not-read");
    assert_non_null(nr);
    assert_non_null(strstr(ts_finding_detail(nr), "Equation Native"));
    ts_doc_free(doc);
    free(p);
    free(s1);
    free(s2);
}

/* The titles of parts (a vector of strings in the document summary): every title is read as it
 * is written (libgsf's gsf_docprop_vector_as_string quotes them, escapes every non-ASCII byte
 * as octal and leaks all but its last string; LSan fails this test when that is called). */
static void test_ole_vector_property_titles_are_read_whole_and_not_leaked(void **state)
{
    static const char *const titles[] = {"Forside", "Nettverk på kontoret 10.20.30.40", "Ark3"};
    GsfDocMetaData *md = gsf_doc_meta_data_new();
    GsfDocPropVector *vec = gsf_docprop_vector_new();
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        GValue s = G_VALUE_INIT;
        g_value_init(&s, G_TYPE_STRING);
        g_value_set_string(&s, titles[i]);
        gsf_docprop_vector_append(vec, &s);
        g_value_unset(&s);
    }
    GValue *v = g_new0(GValue, 1);
    g_value_init(v, GSF_DOCPROP_VECTOR_TYPE);
    g_value_take_object(v, vec);
    gsf_doc_meta_data_insert(md, g_strdup(GSF_META_NAME_DOCUMENT_PARTS), v);
    GsfOutput *mem = gsf_output_memory_new();
    assert_true(gsf_doc_meta_data_write_to_msole(md, mem, true));
    gsf_output_close(mem);
    size_t n = (size_t)gsf_output_size(mem), len;
    const fx_ole e[] = {{"\005DocumentSummaryInformation",
                         gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), n, NULL, 0}};
    unsigned char *p = ole_make(e, 1, &len);
    g_object_unref(mem);
    g_object_unref(md);
    ts_doc *doc = scan(state, "parts.bin", p, len);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.30.40");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_METADATA);
    const char *before = ts_finding_context_before(ip);
    if (strstr(before, "Nettverk på kontoret") == NULL)
        fail_msg("the title is not read as written: %s", before);
    ts_doc_free(doc);
    free(p);
}

/* A property set of a kind libgsf does not know (here the summary information's FMTID with its
 * bytes swapped, as in POI's TestInvertedClassID.doc) is scanned without a byte on standard
 * output: libgsf hex-dumps it with g_print, which would land in a report written there. */
static void test_ole_unknown_property_set_prints_nothing_on_stdout(void **state)
{
    static const char *const si[] = {"dc:creator", "olanor", NULL};
    static const unsigned char swapped[16] = {0xf2, 0x9f, 0x85, 0xe0, 0x4f, 0xf9, 0x10, 0x68,
                                              0xab, 0x91, 0x08, 0x00, 0x2b, 0x27, 0xb3, 0xd9};
    size_t n, len;
    unsigned char *s = summary(false, si, &n);
    assert_true(n > 44);
    memcpy(s + 28, swapped, sizeof swapped); /* the first section's FMTID (MS-OLEPS 2.21) */
    const fx_ole e[] = {{"\005SummaryInformation", s, n, NULL, 0}};
    unsigned char *p = ole_make(e, 1, &len);
    tst_fixture *f = *state;
    char *out = tst_write(f->dir, "stdout", "", 0);
    fflush(stdout);
    int saved = dup(1), fd = open(out, O_WRONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 1), 1);
    ts_doc *doc = scan(state, "inverted.doc", p, len);
    fflush(stdout);
    assert_int_equal(dup2(saved, 1), 1);
    close(fd);
    close(saved);
    size_t got = 0;
    char *text = tst_slurp(out, &got);
    assert_non_null(text);
    if (got != 0)
        fail_msg("%zu bytes on standard output: %s", got, text);
    ts_doc_free(doc);
    free(text);
    free(out);
    free(p);
    free(s);
}

/* ---- Excel ---------------------------------------------------------------------------------- */

static void rec(bytes *b, unsigned type, const bytes *d)
{
    u16(b, type);
    u16(b, (unsigned)d->n);
    put(b, d->p, d->n);
}

static void bof(bytes *b, unsigned dt)
{
    bytes d = {.n = 0};
    u16(&d, 0x0600);
    u16(&d, dt);
    u16(&d, 0);
    u16(&d, 0);
    u32(&d, 0);
    u32(&d, 0);
    rec(b, 0x0809, &d);
}

/* A workbook with one sheet (state 0, 1, 2) whose B7 holds the only shared string; `split`
 * cuts the string after 13 characters and continues it as UTF-16 in a CONTINUE record. */
static void workbook(bytes *b, const char *sheet, unsigned state, const char *text, bool split)
{
    bytes d = {.n = 0};
    b->n = 0;
    bof(b, 0x0005);
    size_t sheet_at = b->n + 4;
    u32(&d, 0);
    u8(&d, state);
    u8(&d, 0);
    u8(&d, (unsigned)strlen(sheet));
    u8(&d, 0);
    put(&d, sheet, strlen(sheet));
    rec(b, 0x0085, &d);
    d.n = 0;
    u32(&d, 1);
    u32(&d, 1);
    u16(&d, (unsigned)strlen(text));
    u8(&d, 0);
    size_t cut = split ? 13 : strlen(text);
    put(&d, text, cut);
    rec(b, 0x00FC, &d);
    if (split) {
        d.n = 0;
        u8(&d, 1); /* the rest is UTF-16 */
        utf16(&d, text + cut);
        rec(b, 0x003C, &d);
    }
    d.n = 0;
    rec(b, 0x000A, &d);
    set32(b, sheet_at, (uint32_t)b->n);
    bof(b, 0x0010);
    u16(&d, 6); /* row 7 */
    u16(&d, 1); /* column B */
    u16(&d, 0);
    u32(&d, 0);
    rec(b, 0x00FD, &d);
    d.n = 0;
    rec(b, 0x000A, &d);
}

static ts_doc *scan_xls(void **state, const bytes *wb)
{
    size_t len;
    const fx_ole e[] = {{"Workbook", wb->p, wb->n, NULL, 0}};
    unsigned char *p = ole_make(e, 1, &len);
    ts_doc *doc = scan(state, "t.xls", p, len);
    free(p);
    assert_string_equal(ts_doc_format(doc), "xls");
    return doc;
}

static void test_xls_very_hidden_sheet_password_is_found_at_its_cell(void **state)
{
    static bytes wb;
    workbook(&wb, "Skjult", 2, "passord: Sommer2024!", false);
    ts_doc *doc = scan_xls(state, &wb);
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_part(pw), "Skjult!B7");
    assert_int_equal(ts_finding_line(pw), 7);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_HIDDEN_SHEET);
    const ts_finding *hs = tst_find(doc, "hidden.hidden-sheet");
    assert_non_null(hs);
    assert_string_equal(ts_finding_value(hs), "Skjult");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

static void test_xls_shared_string_continued_as_utf16_is_joined(void **state)
{
    static bytes wb;
    workbook(&wb, "Ark1", 0, "Kjernesvitsj 10.20.1.1", true);
    ts_doc *doc = scan_xls(state, &wb);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_string_equal(ts_finding_part(ip), "Ark1!B7");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_CELL);
    assert_null(tst_find(doc, "hidden.hidden-sheet"));
    ts_doc_free(doc);
}

static void test_xls_filepass_is_encrypted(void **state)
{
    static bytes wb;
    bytes d = {.n = 0};
    wb.n = 0;
    bof(&wb, 0x0005);
    u16(&d, 1);
    rec(&wb, 0x002F, &d);
    d.n = 0;
    rec(&wb, 0x000A, &d);
    ts_doc *doc = scan_xls(state, &wb);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
    ts_doc_free(doc);
}

/*
 * A shared string used by many LABELSST cells is text made once per cell (ten-byte records can
 * repeat a long string a million times): the expansion counts against max_unpacked_bytes where
 * it happens, and the workbook is error, with the first cells scanned. A 2,000-character string
 * in 300 cells against a 64 KiB limit: 600 KB.
 */
static void test_xls_shared_string_in_many_cells_stops_at_the_unpacked_limit(void **state)
{
    tst_fixture *f = *state;
    ts_ctx_set_limits(f->ctx, &(ts_limits){.max_unpacked_bytes = 64u << 10});
    static bytes wb;
    bytes d = {.n = 0};
    wb.n = 0;
    bof(&wb, 0x0005);
    size_t sheet_at = wb.n + 4;
    u32(&d, 0);
    u8(&d, 0);
    u8(&d, 0);
    u8(&d, 4);
    u8(&d, 0);
    put(&d, "Ark1", 4);
    rec(&wb, 0x0085, &d);
    d.n = 0;
    u32(&d, 300);
    u32(&d, 1);
    u16(&d, 2000);
    u8(&d, 0);
    put(&d, "passord: Sommer2024! ", 21);
    for (size_t i = 21; i < 2000; i++)
        u8(&d, 'x');
    rec(&wb, 0x00FC, &d);
    d.n = 0;
    rec(&wb, 0x000A, &d);
    set32(&wb, sheet_at, (uint32_t)wb.n);
    bof(&wb, 0x0010);
    for (unsigned r = 0; r < 300; r++) {
        d.n = 0;
        u16(&d, r); /* row r + 1, column A, string 0 */
        u16(&d, 0);
        u16(&d, 0);
        u32(&d, 0);
        rec(&wb, 0x00FD, &d);
    }
    d.n = 0;
    rec(&wb, 0x000A, &d);
    ts_doc *doc = scan_xls(state, &wb);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ELIMIT);
    assert_non_null(strstr(ts_doc_error(doc), "expands to more than 65536 bytes of text"));
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_part(pw), "Ark1!A1");
    ts_doc_free(doc);
}

/*
 * Office files older than the formats read (Word for Windows 1/2 and Excel 2-4, which are not
 * even compound files; Excel 5/95 inside one) are named, with what to do, in both languages.
 */
static void test_older_office_formats_are_named_with_advice(void **state)
{
    static const struct {
        const char *name;
        const unsigned char head[16];
        const char *format, *en, *nb;
    } cases[] = {
        {"word2.doc", {0xDB, 0xA5, 0x2D, 0x00, 0x31, 0x40, 0x09, 0x04}, "doc",
         "Word for Windows 1 or 2 document (older than Word 6) cannot be read: open it in Word",
         "lagre det som .docx"},
        {"excel3.xls", {0x09, 0x02, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00}, "xls",
         "Excel 2, 3 or 4 worksheet (older than Excel 5) cannot be read: open it in Excel",
         "lagre det som .xlsx"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char file[256] = {0};
        memcpy(file, cases[i].head, sizeof cases[i].head);
        ts_doc *doc = scan(state, cases[i].name, file, sizeof file);
        assert_string_equal(ts_doc_format(doc), cases[i].format);
        assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
        assert_int_equal(ts_doc_error_status(doc), TS_EUNSUPPORTED);
        assert_non_null(strstr(ts_doc_error(doc), cases[i].en));
        assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_NB), cases[i].nb));
        ts_doc_free(doc);
    }
    static bytes wb;
    bytes d = {.n = 0};
    wb.n = 0;
    u16(&d, 0x0500); /* BIFF5 */
    u16(&d, 0x0005);
    u32(&d, 0);
    rec(&wb, 0x0809, &d);
    ts_doc *doc = scan_xls(state, &wb);
    assert_int_equal(ts_doc_error_status(doc), TS_EUNSUPPORTED);
    assert_non_null(strstr(ts_doc_error(doc), "Excel 5/95 workbook (BIFF 0x0500)"));
    assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_NB), "Excel 5/95-arbeidsbok"));
    ts_doc_free(doc);
}

/* ---- Word ----------------------------------------------------------------------------------- */

#define TEXT_AT 0x800u

/* WordDocument (FIB + 8-bit text at 0x800) and 1Table (a Clx with one piece). */
static void word_streams(bytes *wd, bytes *tb, const char *text, unsigned flags)
{
    size_t n = strlen(text);
    memset(wd->p, 0, TEXT_AT);
    wd->n = TEXT_AT;
    wd->p[0] = 0xEC;
    wd->p[1] = 0xA5;
    wd->p[2] = 0xC1; /* nFib: Word 97 */
    wd->p[0x0A] = (unsigned char)(flags & 0xFF);
    wd->p[0x0B] = (unsigned char)(flags >> 8);
    wd->p[0x20] = 14;             /* csw */
    wd->p[0x3E] = 22;             /* cslw */
    set32(wd, 0x4C, (uint32_t)n); /* ccpText */
    wd->p[0x98] = 0x5D;           /* cbRgFcLcb: 93 pairs */
    put(wd, text, n);
    tb->n = 0;
    u8(tb, 0x02);
    u32(tb, 16);
    u32(tb, 0);
    u32(tb, (uint32_t)n);
    u16(tb, 0);
    u32(tb, (TEXT_AT * 2) | 0x40000000u); /* compressed: 8-bit text at TEXT_AT */
    u16(tb, 0);
    set32(wd, 0x1A6, (uint32_t)tb->n); /* lcbClx; fcClx is 0 */
}

static unsigned char *doc_file(const char *text, unsigned flags, const fx_ole *extra, size_t nx,
                               size_t *len)
{
    static bytes wd, tb;
    word_streams(&wd, &tb, text, flags);
    fx_ole e[4] = {{"1Table", tb.p, tb.n, NULL, 0}, {"WordDocument", wd.p, wd.n, NULL, 0}};
    for (size_t i = 0; i < nx && i < 2; i++)
        e[2 + i] = extra[i];
    return ole_make(e, 2 + nx, len);
}

static void test_doc_piece_table_text_is_body_with_paragraph_numbers(void **state)
{
    size_t len;
    unsigned char *p = doc_file("Innledning\rNettverk\rKjernesvitsj 10.20.1.1 og gateway "
                                "10.20.1.254\r",
                                0x0200, NULL, 0, &len);
    ts_doc *doc = scan(state, "t.doc", p, len);
    assert_string_equal(ts_doc_format(doc), "doc");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(ip), 3);
    assert_int_equal(tst_count(doc, "network.ipv4-private"), 2);
    ts_doc_free(doc);
    free(p);
}

/*
 * A .doc of paragraphs, each with its kind: 'p' plain (ends with \r), 'c' a cell's last
 * paragraph (\a), 'i' a paragraph inside a cell (\r), 'r' a row's end mark (\a). Table
 * paragraphs get their properties in one PapxFkp page (sprmPFInTable, sprmPFTtp).
 */
static unsigned char *doc_table_file(const char *const *paras, const char *kinds, size_t *len)
{
    static bytes wd, tb;
    char text[2048] = "";
    size_t n = strlen(kinds), at = 0, ends[64];
    assert_true(n < 64);
    for (size_t i = 0; i < n; i++) {
        at += (size_t)snprintf(text + at, sizeof text - at, "%s%c", paras[i],
                               kinds[i] == 'c' || kinds[i] == 'r' ? '\a' : '\r');
        ends[i] = at;
    }
    word_streams(&wd, &tb, text, 0x0200);
    while (wd.n % 512)
        u8(&wd, 0);
    size_t page = wd.n;
    unsigned char fkp[512] = {0};
    fkp[511] = (unsigned char)n;
    size_t grp = 511;
    for (size_t i = 0; i <= n; i++) {
        uint32_t fc = (uint32_t)(TEXT_AT + (i == 0 ? 0 : ends[i - 1]));
        for (int k = 0; k < 4; k++)
            fkp[4 * i + (size_t)k] = (unsigned char)(fc >> (8 * k));
    }
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] == 'p')
            continue; /* bOffset 0: no properties */
        /* cb 0, cb' 4: istd 0, sprmPFInTable 1, sprmPFTtp 1 (a row's end) or padding */
        static const unsigned char cell[] = {0, 4, 0, 0, 0x16, 0x24, 1, 0, 0, 0};
        static const unsigned char ttp[] = {0, 4, 0, 0, 0x16, 0x24, 1, 0x17, 0x24, 1};
        grp -= sizeof cell + (grp - sizeof cell) % 2;
        memcpy(fkp + grp, kinds[i] == 'r' ? ttp : cell, sizeof cell);
        fkp[4 * (n + 1) + 13 * i] = (unsigned char)(grp / 2);
    }
    put(&wd, fkp, sizeof fkp);
    set32(&wd, 0x102, (uint32_t)tb.n); /* fcPlcfBtePapx */
    u32(&tb, TEXT_AT);
    u32(&tb, (uint32_t)(TEXT_AT + at));
    u32(&tb, (uint32_t)(page / 512));
    set32(&wd, 0x106, 12); /* lcbPlcfBtePapx */
    fx_ole e[2] = {{"1Table", tb.p, tb.n, NULL, 0}, {"WordDocument", wd.p, wd.n, NULL, 0}};
    return ole_make(e, 2, len);
}

static ts_doc *scan_rules(ts_ctx **ctx, const void *data, size_t len)
{
    *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, *ctx, "t.doc", data, len), TS_OK);
    assert_non_null(doc);
    assert_string_equal(ts_doc_format(doc), "doc");
    return doc;
}

static void test_doc_table_cell_under_password_header_is_judged_by_it(void **state)
{
    (void)state;
    static const char *const paras[] = {
        "Tilganger", "Bruker", "Passord",  "", "Kari Nordmann", "Fjord2024",
        "",          "Ola",    "Vinter25", "", "Slutt",
    };
    size_t len;
    unsigned char *p = doc_table_file(paras, "pccrccrccrp", &len);
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, p, len);
    assert_null(ts_doc_error(doc));
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    assert_int_equal(ts_finding_line(tst_find(doc, "credential.test-header-pw")), 3);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(p);
}

static void test_doc_two_column_table_labels_a_value_by_its_row(void **state)
{
    (void)state;
    static const char *const paras[] = {"Server", "srv-fil01", "", "Passord", "Fjord2024", ""};
    size_t len;
    unsigned char *p = doc_table_file(paras, "ccrccr", &len);
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, p, len);
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(p);
}

static void test_doc_cell_paragraphs_stay_on_the_cell_line(void **state)
{
    (void)state;
    static const char *const paras[] = {"Bruker",    "Passord",  "", "Kari Nordmann",
                                        "Fjord2024", "Vinter25", "", "Slutt"};
    size_t len;
    unsigned char *p = doc_table_file(paras, "ccrcicrp", &len);
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, p, len);
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    tst_expect_values(doc, "credential.test-header-pw", "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(p);
}

static void test_doc_private_address_in_a_table_cell_is_still_found(void **state)
{
    static const char *const paras[] = {"Adresseplan",  "Enhet",     "IP-adresse", "",
                                        "Kjernesvitsj", "10.20.1.1", "",           "Slutt"};
    size_t len;
    unsigned char *p = doc_table_file(paras, "pccrccrp", &len);
    ts_doc *doc = scan(state, "t.doc", p, len);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(ip), 3);
    ts_doc_free(doc);
    free(p);
}

static void test_doc_encrypted_flag_is_an_encrypted_error(void **state)
{
    size_t len;
    unsigned char *p = doc_file("Hemmelig\r", 0x0200 | 0x0100, NULL, 0, &len);
    ts_doc *doc = scan(state, "t.doc", p, len);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EENCRYPTED);
    assert_non_null(strstr(ts_doc_error(doc), "password"));
    ts_doc_free(doc);
    free(p);
}

static void test_doc_embedded_workbook_storage_is_a_child_xls(void **state)
{
    static bytes wb;
    workbook(&wb, "Ark1", 0, "passord: Sommer2024!", false);
    const fx_ole obj[] = {{"Workbook", wb.p, wb.n, NULL, 0}};
    const fx_ole objs[] = {{"_1234", NULL, 0, obj, 1}};
    const fx_ole pool[] = {{"ObjectPool", NULL, 0, objs, 1}};
    size_t len;
    unsigned char *p = doc_file("Se vedlagt regneark\r", 0x0200, pool, 1, &len);
    ts_doc *doc = scan(state, "t.doc", p, len);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *c = ts_doc_child_at(doc, 0);
    assert_string_equal(ts_doc_format(c), "xls");
    assert_non_null(strstr(ts_doc_path(c), "t.doc!ObjectPool/_1234"));
    assert_non_null(tst_find(doc, "credential.password"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
    free(p);
}

/* ---- PowerPoint and Visio ------------------------------------------------------------------- */

static void atom(bytes *b, unsigned vi, unsigned type, const bytes *d)
{
    u16(b, vi);
    u16(b, type);
    u32(b, (uint32_t)d->n);
    put(b, d->p, d->n);
}

/* SlideListWithText of `instance` with one slide's text */
static void slide_list(bytes *b, unsigned instance, const char *text)
{
    bytes in = {.n = 0}, d = {.n = 0};
    memset(d.p, 0, 20);
    d.n = 20;
    atom(&in, 0, 0x03F3, &d); /* SlidePersistAtom */
    d.n = 0;
    utf16(&d, text);
    atom(&in, 0, 0x0FA0, &d); /* TextCharsAtom */
    atom(b, 0x000F | instance << 4, 0x0FF0, &in);
}

static void test_ppt_slide_text_and_notes_are_read(void **state)
{
    static bytes doc_rec, body;
    body.n = doc_rec.n = 0;
    slide_list(&body, 0, "Brannmur\rpassord: Sommer2024!");
    slide_list(&body, 2, "Notat: VPN-server 10.20.1.5");
    atom(&doc_rec, 0x000F, 0x03E8, &body);
    const fx_ole e[] = {{"PowerPoint Document", doc_rec.p, doc_rec.n, NULL, 0}};
    size_t len;
    unsigned char *p = ole_make(e, 1, &len);
    ts_doc *doc = scan(state, "t.ppt", p, len);
    assert_string_equal(ts_doc_format(doc), "ppt");
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    assert_int_equal(ts_finding_page(pw), 1);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_NOTES);
    assert_non_null(tst_find(doc, "hidden.speaker-notes"));
    ts_doc_free(doc);
    free(p);
}

static void test_vsd_is_never_ok_by_omission(void **state)
{
    const fx_ole e[] = {{"VisioDocument", "Visio (TM) Drawing\r\n", 20, NULL, 0}};
    size_t len;
    unsigned char *p = ole_make(e, 1, &len);
    ts_doc *doc = scan(state, "t.vsd", p, len);
    assert_string_equal(ts_doc_format(doc), "vsd");
    assert_non_null(tst_find(doc, "document.vsd-not-read"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
    free(p);
}

/* ---- inside a DOCX, and real files from LibreOffice ----------------------------------------- */

static void test_docx_with_ole_package_grades_by_its_content(void **state)
{
    tst_fixture *f = *state;
    size_t len;
    unsigned char *p = package_file("Møtereferat fra befaring på skolen.\n", &len);
    fx_part extra[] = {{"word/embeddings/oleObject1.bin", (const char *)p, len,
                        "application/vnd.openxmlformats-officedocument.oleObject", "oleObject"}};
    char *main = fx_docx_main("<w:p><w:r><w:t>Vedlegg</w:t></w:r></w:p>");
    char *path = fx_ooxml_write(f->dir, "t.docx", FX_DOCX, main, NULL, extra, 1);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_int_not_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_child_count(doc), 1);
    const ts_doc *ole = ts_doc_child_at(doc, 0);
    assert_string_equal(ts_doc_format(ole), "ole");
    assert_null(ts_doc_error(ole));
    assert_int_equal(ts_doc_child_count(ole), 1);
    /* the packaged file's path names the login */
    assert_non_null(tst_find(doc, "metadata.user-path"));
    ts_doc_free(doc);
    free(main);
    free(path);
    free(p);
}

/* Convert with LibreOffice; NULL (the test skips) when it is missing or cannot convert. */
static char *soffice_convert(const char *dir, const char *src, const char *to, const char *out)
{
    if (system("command -v soffice >/dev/null 2>&1") != 0)
        return NULL;
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 180 soffice -env:UserInstallation=file://%s/lo --headless "
             "--convert-to %s '%s' >/dev/null 2>&1",
             dir, dir, to, src);
    if (system(cmd) != 0)
        return NULL;
    char *path = malloc(strlen(dir) + strlen(out) + 2);
    assert_non_null(path);
    snprintf(path, strlen(dir) + strlen(out) + 2, "%s/%s", dir, out);
    if (access(path, R_OK) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

static void test_doc_saved_by_libreoffice_is_read(void **state)
{
    tst_fixture *f = *state;
    char *main = fx_docx_main("<w:p><w:r><w:t>Innledning</w:t></w:r></w:p><w:p><w:r><w:t>"
                              "Brukernavn admin, passord: Sommer2024!</w:t></w:r></w:p>");
    char *src = fx_ooxml_write(f->dir, "lo.docx", FX_DOCX, main, "olanor", NULL, 0);
    char *path = soffice_convert(f->dir, "lo.docx", "doc", "lo.doc");
    free(main);
    free(src);
    if (path == NULL)
        skip();
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_string_equal(ts_doc_format(doc), "doc");
    assert_null(ts_doc_error(doc));
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    assert_int_equal(ts_finding_line(pw), 2);
    const ts_finding *au = tst_find(doc, "metadata.user-name");
    assert_non_null(au);
    assert_string_equal(ts_finding_value(au), "olanor");
    ts_doc_free(doc);
    free(path);
}

static void test_doc_saved_by_libreoffice_keeps_its_tables(void **state)
{
    tst_fixture *f = *state;
#define LO_TC(t) "<w:tc><w:p><w:r><w:t>" t "</w:t></w:r></w:p></w:tc>"
    char *main = fx_docx_main(
        "<w:p><w:r><w:t>Tilganger</w:t></w:r></w:p><w:tbl><w:tblGrid><w:gridCol w:w=\"3000\"/>"
        "<w:gridCol w:w=\"3000\"/></w:tblGrid><w:tr>" LO_TC("Bruker")
            LO_TC("Passord") "</w:tr><w:tr>" LO_TC("Kari Nordmann")
                LO_TC("Fjord2024") "</w:tr><w:tr>" LO_TC("Ola")
                    LO_TC("Vinter25") "</w:tr></w:tbl><w:p><w:r><w:t>Slutt</w:t></w:r></w:p>");
#undef LO_TC
    char *src = fx_ooxml_write(f->dir, "tbl.docx", FX_DOCX, main, NULL, NULL, 0);
    char *path = soffice_convert(f->dir, "tbl.docx", "doc", "tbl.doc");
    free(main);
    free(src);
    if (path == NULL)
        skip();
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    assert_string_equal(ts_doc_format(doc), "doc");
    tst_expect_values(doc, "credential.test-header-pw", "Fjord2024|Vinter25");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(path);
}

static void test_xls_saved_by_libreoffice_is_read(void **state)
{
    tst_fixture *f = *state;
    fx_part extra[] = {
        {"xl/worksheets/sheet1.xml",
         "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
         "<sheetData><row r=\"7\"><c r=\"B7\" t=\"inlineStr\"><is><t>passord: Sommer2024!</t>"
         "</is></c></row></sheetData></worksheet>",
         0, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
         "worksheet"}};
    char *src = fx_ooxml_write(
        f->dir, "lo.xlsx", FX_XLSX,
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        NULL, extra, 1);
    char *path = soffice_convert(f->dir, "lo.xlsx", "xls", "lo.xls");
    free(src);
    if (path == NULL)
        skip(); /* LibreOffice Calc is not installed */
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_string_equal(ts_doc_format(doc), "xls");
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_part(pw), "Ark1!B7");
    ts_doc_free(doc);
    free(path);
}

/* ---- damage --------------------------------------------------------------------------------- */

static void test_truncated_and_damaged_ole_files_are_errors_not_crashes(void **state)
{
    static bytes wb;
    workbook(&wb, "Ark1", 1, "passord: Sommer2024!", true);
    const fx_ole obj[] = {{"Workbook", wb.p, wb.n, NULL, 0}};
    const fx_ole objs[] = {{"_1", NULL, 0, obj, 1}};
    const fx_ole pool[] = {{"ObjectPool", NULL, 0, objs, 1}};
    size_t len;
    unsigned char *p = doc_file("Innledning\rKjernesvitsj 10.20.1.1\r", 0x0200, pool, 1, &len);
    unsigned char *q = malloc(len);
    assert_non_null(q);
    size_t errors = 0, runs = 0;
    for (size_t cut = 8; cut < len; cut += 61, runs++) {
        ts_doc *doc = scan(state, "t.doc", p, cut);
        if (ts_doc_grade(doc) == TS_GRADE_ERROR) {
            errors++;
            assert_non_null(ts_doc_error(doc));
        }
        if (cut < 512) /* not even a header */
            assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
        ts_doc_free(doc);
    }
    for (size_t at = 0; at < len; at += 37, runs++) {
        memcpy(q, p, len);
        q[at] ^= 0xA5;
        q[(at * 7 + 13) % len] = 0xFF;
        ts_doc *doc = scan(state, "t.doc", q, len);
        ts_doc_free(doc);
    }
    assert_true(errors > 0);
    assert_true(runs > 100);
    free(q);
    free(p);
}

int main(void)
{
    gsf_init();
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_ole_package_file_is_a_child_and_its_path_is_reported),
        T(test_ole_summary_information_author_login_and_custom_property),
        T(test_ole_vector_property_titles_are_read_whole_and_not_leaked),
        T(test_ole_unknown_property_set_prints_nothing_on_stdout),
        T(test_xls_very_hidden_sheet_password_is_found_at_its_cell),
        T(test_xls_shared_string_continued_as_utf16_is_joined),
        T(test_xls_filepass_is_encrypted),
        T(test_xls_shared_string_in_many_cells_stops_at_the_unpacked_limit),
        T(test_older_office_formats_are_named_with_advice),
        T(test_doc_piece_table_text_is_body_with_paragraph_numbers),
        T(test_doc_table_cell_under_password_header_is_judged_by_it),
        T(test_doc_two_column_table_labels_a_value_by_its_row),
        T(test_doc_cell_paragraphs_stay_on_the_cell_line),
        T(test_doc_private_address_in_a_table_cell_is_still_found),
        T(test_doc_saved_by_libreoffice_keeps_its_tables),
        T(test_doc_encrypted_flag_is_an_encrypted_error),
        T(test_doc_embedded_workbook_storage_is_a_child_xls),
        T(test_ppt_slide_text_and_notes_are_read),
        T(test_vsd_is_never_ok_by_omission),
        T(test_docx_with_ole_package_grades_by_its_content),
        T(test_doc_saved_by_libreoffice_is_read),
        T(test_xls_saved_by_libreoffice_is_read),
        T(test_truncated_and_damaged_ole_files_are_errors_not_crashes),
#undef T
    };
    int rc = cmocka_run_group_tests_name("extract_ole", tests, NULL, NULL);
    gsf_shutdown();
    return rc;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test fixtures made with libzip: plain ZIPs, Office Open XML and OpenDocument packages. */
#include "fx_zip.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "ts_test.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

int fx_env_setup(void **state)
{
    fx_env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->ctx = tst_ctx_default();
    e->dir = tst_tmpdir();
    *state = e;
    return 0;
}

int fx_env_teardown(void **state)
{
    fx_env *e = *state;
    ts_ctx_free(e->ctx);
    tst_rmtree(e->dir);
    free(e->dir);
    free(e);
    return 0;
}

ts_doc *fx_scan(const fx_env *env, const char *path)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, env->ctx, path), TS_OK);
    assert_non_null(doc);
    return doc;
}

void fx_corpus_expect(const fx_env *env, const fx_expect *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", TS_CORPUS_DIR, cases[i].file);
        ts_doc *doc = fx_scan(env, path);
        if (tst_count(doc, cases[i].rule) < cases[i].min)
            fail_msg("%s: expected %zu× %s", cases[i].file, cases[i].min, cases[i].rule);
        if (ts_doc_error(doc) != NULL)
            fail_msg("%s: %s", cases[i].file, ts_doc_error(doc));
        ts_doc_free(doc);
    }
}

static void add(zip_t *z, const fx_part *p)
{
    size_t len = p->len ? p->len : strlen(p->data);
    zip_source_t *s = zip_source_buffer(z, p->data, len, 0);
    assert_non_null(s);
    zip_int64_t i = zip_file_add(z, p->name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    assert_true(i >= 0);
    if (strcmp(p->name, "mimetype") == 0)
        assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
}

char *fx_zip_write(const char *dir, const char *name, const fx_part *parts, size_t n)
{
    size_t plen = strlen(dir) + strlen(name) + 2;
    char *path = malloc(plen);
    assert_non_null(path);
    snprintf(path, plen, "%s/%s", dir, name);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++)
        if (strcmp(parts[i].name, "mimetype") == 0)
            add(z, &parts[i]);
    for (size_t i = 0; i < n; i++)
        if (strcmp(parts[i].name, "mimetype") != 0)
            add(z, &parts[i]);
    assert_int_equal(zip_close(z), 0);
    return path;
}

/* A growing text for the generated parts. */
typedef struct sb {
    char *p;
    size_t len;
} sb;

static void sbf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbf(sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    b->p = realloc(b->p, b->len + (size_t)n + 1);
    assert_non_null(b->p);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *fx_docx_main(const char *body)
{
    sb b = {0};
    sbf(&b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:document xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\"><w:body>%s</w:body></w:document>",
        body);
    return b.p;
}

char *fx_ooxml_write(const char *dir, const char *name, fx_kind kind, const char *main_xml,
                     const char *creator, const fx_part *extra, size_t nextra)
{
    static const char *const mains[] = {"word/document.xml", "xl/workbook.xml",
                                        "ppt/presentation.xml"};
    static const char *const types[] = {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"};
    static const char *const rels_names[] = {"word/_rels/document.xml.rels",
                                             "xl/_rels/workbook.xml.rels",
                                             "ppt/_rels/presentation.xml.rels"};
    const char *main = mains[kind];
    sb ct = {0}, pkg = {0}, core = {0}, rels = {0};
    sbf(&ct, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas."
             "openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
             "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
             "<Override PartName=\"/%s\" ContentType=\"%s\"/>"
             "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd."
             "openxmlformats-package.core-properties+xml\"/>",
        main, types[kind]);
    for (size_t i = 0; i < nextra; i++)
        if (extra[i].content_type)
            sbf(&ct, "<Override PartName=\"/%s\" ContentType=\"%s\"/>", extra[i].name,
                extra[i].content_type);
    sbf(&ct, "</Types>");
    sbf(&pkg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://"
              "schemas.openxmlformats.org/package/2006/relationships\">"
              "<Relationship Id=\"rId1\" Type=\"" REL_BASE "officeDocument\" Target=\"%s\"/>"
              "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
              "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
              "</Relationships>",
        main);
    sbf(&core, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cp:coreProperties xmlns:cp=\"http://"
               "schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
               "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">");
    if (creator)
        sbf(&core, "<dc:creator>%s</dc:creator>", creator);
    sbf(&core, "</cp:coreProperties>");
    sbf(&rels, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://"
               "schemas.openxmlformats.org/package/2006/relationships\">");
    const char *slash = strrchr(main, '/');
    size_t dirlen = (size_t)(slash - main) + 1;
    for (size_t i = 0; i < nextra; i++) {
        if (extra[i].rel_type == NULL)
            continue;
        const char *target = strncmp(extra[i].name, main, dirlen) == 0
                                 ? extra[i].name + dirlen
                                 : extra[i].name;
        sbf(&rels, "<Relationship Id=\"rId%zu\" Type=\"%s%s\" Target=\"%s%s\"/>", i + 1,
            strncmp(extra[i].rel_type, "http", 4) == 0 ? "" : REL_BASE, extra[i].rel_type,
            target == extra[i].name ? "/" : "", target);
    }
    sbf(&rels, "</Relationships>");
    size_t n = 5 + nextra;
    fx_part *parts = calloc(n, sizeof(*parts));
    assert_non_null(parts);
    parts[0] = (fx_part){.name = "[Content_Types].xml", .data = ct.p};
    parts[1] = (fx_part){.name = "_rels/.rels", .data = pkg.p};
    parts[2] = (fx_part){.name = "docProps/core.xml", .data = core.p};
    parts[3] = (fx_part){.name = main, .data = main_xml};
    parts[4] = (fx_part){.name = rels_names[kind], .data = rels.p};
    for (size_t i = 0; i < nextra; i++)
        parts[5 + i] = extra[i];
    char *path = fx_zip_write(dir, name, parts, n);
    free(parts);
    free(ct.p);
    free(pkg.p);
    free(core.p);
    free(rels.p);
    return path;
}

char *fx_odf_write(const char *dir, const char *name, const char *mimetype,
                   const char *content_xml, const char *meta_xml, const char *styles_xml)
{
    sb man = {0};
    sbf(&man, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
              "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
              "manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" "
              "manifest:media-type=\"%s\"/><manifest:file-entry manifest:full-path=\"content.xml\""
              " manifest:media-type=\"text/xml\"/>",
        mimetype);
    /* every stream is listed, or LibreOffice takes the package for a broken one */
    if (meta_xml)
        sbf(&man, "<manifest:file-entry manifest:full-path=\"meta.xml\" "
                  "manifest:media-type=\"text/xml\"/>");
    if (styles_xml)
        sbf(&man, "<manifest:file-entry manifest:full-path=\"styles.xml\" "
                  "manifest:media-type=\"text/xml\"/>");
    sbf(&man, "</manifest:manifest>");
    fx_part parts[5];
    size_t n = 0;
    parts[n++] = (fx_part){.name = "mimetype", .data = mimetype};
    parts[n++] = (fx_part){.name = "META-INF/manifest.xml", .data = man.p};
    parts[n++] = (fx_part){.name = "content.xml", .data = content_xml};
    if (meta_xml)
        parts[n++] = (fx_part){.name = "meta.xml", .data = meta_xml};
    if (styles_xml)
        parts[n++] = (fx_part){.name = "styles.xml", .data = styles_xml};
    char *path = fx_zip_write(dir, name, parts, n);
    free(man.p);
    return path;
}

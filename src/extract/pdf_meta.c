/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF metadata: the Info dictionary and the XMP packet (ISO 32000-2 §14.3), people and paths. */
#include "extract/pdf.h"

#include <string.h>

#include "core/alloc.h"
#include "extract/office.h"
#include "extract/xmlread.h"

#define XMP_MAX (4u << 20) /* hostile input: a larger XMP packet is not parsed */
#define XMP_DEPTH 64       /* element nesting followed */
#define META_ITEMS 10000u  /* hostile input: properties kept */
#define VALUE_MAX 4096u    /* bytes of one value kept */

static const char NS_RDF[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
static const char NS_META[] = "adobe:ns:meta/";
static const char NS_DC[] = "http://purl.org/dc/elements/1.1/";
static const char NS_XMP[] = "http://ns.adobe.com/xap/1.0/";
static const char NS_PDF[] = "http://ns.adobe.com/pdf/1.3/";

/* XMP properties that change with every save and name nobody: identifiers, dates, actions. */
static bool noise(const char *key)
{
    static const char *const keys[] = {"InstanceID",   "DocumentID",     "OriginalDocumentID",
                                       "VersionID",    "RenditionClass", "ModifyDate",
                                       "MetadataDate", "CreateDate",     "when",
                                       "instanceID",   "documentID",     "format",
                                       "Trapped",      "action",         "changed",
                                       "parameters",   "about",          NULL};
    for (size_t i = 0; keys[i]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

static ts_status add_item(ts_pdf_meta *m, const char *key, const char *value, size_t len,
                          ts_pdf_meta_kind kind)
{
    if (noise(key))
        return TS_OK;
    while (len > 0 &&
           (value[0] == ' ' || value[0] == '\n' || value[0] == '\r' || value[0] == '\t')) {
        value++;
        len--;
    }
    while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\n' || value[len - 1] == '\r' ||
                       value[len - 1] == '\t'))
        len--;
    if (len == 0 || m->n >= META_ITEMS)
        return TS_OK;
    if (len > VALUE_MAX) {
        len = VALUE_MAX;
        while (len > 0 && ((unsigned char)value[len] & 0xC0) == 0x80)
            len--;
    }
    if (ts_grow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v)) != 0)
        return TS_ENOMEM;
    ts_pdf_meta_item *it = &m->v[m->n];
    it->key = ts_strdup(key);
    it->value = ts_strndup(value, len);
    it->kind = kind;
    if (it->key == NULL || it->value == NULL) {
        ts_free(it->key);
        ts_free(it->value);
        return TS_ENOMEM;
    }
    /* one line each: values with line breaks are folded */
    for (char *p = it->value; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    m->n++;
    return TS_OK;
}

/* ---- XMP ------------------------------------------------------------------------------------ */

typedef struct xmp_el {
    bool container; /* rdf:RDF, rdf:Description, rdf:Seq, rdf:li, x:xmpmeta: not a property */
    ts_pdf_meta_kind kind;
    char local[48];
} xmp_el;

typedef struct xmp_state {
    ts_pdf_meta *m;
    xmp_el stack[XMP_DEPTH];
    unsigned depth; /* elements open, including those past XMP_DEPTH */
    ts_sbuf text;
    ts_status st;
} xmp_state;

static ts_pdf_meta_kind kind_of(const char *uri, const char *local)
{
    if (uri && strcmp(uri, NS_DC) == 0 && strcmp(local, "creator") == 0)
        return TS_PDF_META_PERSON;
    if (uri && strcmp(uri, NS_XMP) == 0 && strcmp(local, "CreatorTool") == 0)
        return TS_PDF_META_SOFTWARE;
    if (uri && strcmp(uri, NS_PDF) == 0 && strcmp(local, "Producer") == 0)
        return TS_PDF_META_SOFTWARE;
    if (strcmp(local, "softwareAgent") == 0)
        return TS_PDF_META_SOFTWARE; /* xmpMM:History entries */
    return TS_PDF_META_TEXT;
}

static bool is_container(const char *uri)
{
    return uri && (strcmp(uri, NS_RDF) == 0 || strcmp(uri, NS_META) == 0);
}

static void xmp_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)x;
    xmp_state *s = u;
    if (s->depth < XMP_DEPTH) {
        xmp_el *e = &s->stack[s->depth];
        e->container = is_container(uri);
        e->kind = kind_of(uri, local);
        size_t n = strlen(local);
        if (n >= sizeof(e->local))
            n = sizeof(e->local) - 1;
        memcpy(e->local, local, n);
        e->local[n] = '\0';
    }
    s->depth++;
    ts_sbuf_clear(&s->text);
    /* properties written as attributes: <rdf:Description xmp:CreatorTool="…"> */
    for (int i = 0; i < nattr && s->st == TS_OK; i++) {
        const char **a = attrs + 5 * i;
        if (a[2] == NULL || is_container(a[2]))
            continue;
        s->st = add_item(s->m, a[0], a[3], (size_t)(a[4] - a[3]), kind_of(a[2], a[0]));
    }
}

static void xmp_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    xmp_state *s = u;
    ts_sbuf_put(&s->text, t, len);
}

static void xmp_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)local;
    (void)uri;
    xmp_state *s = u;
    if (s->depth == 0)
        return;
    s->depth--;
    if (s->text.oom) {
        s->st = TS_ENOMEM;
        return;
    }
    if (s->text.len == 0 || s->st != TS_OK)
        return;
    /* the value belongs to the nearest enclosing property (dc:creator around rdf:Seq/rdf:li) */
    unsigned top = s->depth < XMP_DEPTH ? s->depth : XMP_DEPTH - 1;
    for (unsigned i = top + 1; i-- > 0;) {
        if (!s->stack[i].container) {
            s->st = add_item(s->m, s->stack[i].local, s->text.p, s->text.len, s->stack[i].kind);
            break;
        }
    }
    ts_sbuf_clear(&s->text);
}

static ts_status read_xmp(ts_doc *doc, PopplerDocument *pd, ts_pdf_meta *m)
{
    gchar *xml = poppler_document_get_metadata(pd);
    if (xml == NULL)
        return TS_OK;
    ts_status st = TS_OK;
    size_t len = strlen(xml);
    if (len > 0 && len <= XMP_MAX) {
        static const ts_xml_handler h = {.start = xmp_start, .end = xmp_end, .text = xmp_text};
        xmp_state s = {.m = m, .text = {.max = VALUE_MAX + 1}};
        st = ts_xml_parse_memory(doc, "XMP metadata", xml, len, &h, &s);
        if (st == TS_OK || s.st == TS_ENOMEM)
            st = s.st;
        ts_sbuf_free(&s.text);
    }
    g_free(xml);
    return st == TS_ENOMEM ? TS_ENOMEM : TS_OK;
}

/* ---- Info dictionary and reporting ---------------------------------------------------------- */

ts_status ts_pdf_meta_read(ts_doc *doc, PopplerDocument *pd, ts_pdf_meta *m)
{
    static const struct {
        const char *key;
        gchar *(*get)(PopplerDocument *);
        ts_pdf_meta_kind kind;
    } info[] = {
        {"title", poppler_document_get_title, TS_PDF_META_TEXT},
        {"author", poppler_document_get_author, TS_PDF_META_PERSON},
        {"subject", poppler_document_get_subject, TS_PDF_META_TEXT},
        {"keywords", poppler_document_get_keywords, TS_PDF_META_TEXT},
        {"creator", poppler_document_get_creator, TS_PDF_META_SOFTWARE},
        {"producer", poppler_document_get_producer, TS_PDF_META_SOFTWARE},
    };
    ts_status st = TS_OK;
    for (size_t i = 0; i < sizeof(info) / sizeof(info[0]) && st == TS_OK; i++) {
        gchar *v = info[i].get(pd);
        if (v != NULL)
            st = add_item(m, info[i].key, v, strlen(v), info[i].kind);
        g_free(v);
    }
    return st == TS_OK ? read_xmp(doc, pd, m) : st;
}

/* Was the same value of the same kind handled before item i? */
static bool repeated(const ts_pdf_meta *m, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (m->v[k].kind == m->v[i].kind && strcmp(m->v[k].value, m->v[i].value) == 0)
            return true;
    return false;
}

ts_status ts_pdf_meta_report(ts_doc *doc, const ts_pdf_meta *m, ts_where where, unsigned page,
                             const char *part, ts_pdf_lines *seen, bool only_new, size_t *nnew)
{
    ts_status st = TS_OK;
    ts_sbuf text = {0};
    ts_loc loc = {.where = where, .page = page, .part = part};
    size_t fresh = 0;
    for (size_t i = 0; i < m->n && st == TS_OK; i++) {
        const ts_pdf_meta_item *it = &m->v[i];
        /*
         * Software names are findings of their own, not text for the rules (version numbers
         * read as addresses), and an earlier producer is no secret.
         */
        if (it->kind == TS_PDF_META_SOFTWARE) {
            if (!only_new && !repeated(m, i))
                st = ts_doc_flag(doc, "metadata.software", &loc, it->value, it->key);
            continue;
        }
        size_t start = text.len;
        ts_sbuf_put(&text, it->key, strlen(it->key));
        ts_sbuf_put(&text, ": ", 2);
        ts_sbuf_put(&text, it->value, strlen(it->value));
        if (text.oom) {
            st = TS_ENOMEM;
            break;
        }
        uint64_t h = ts_pdf_line_hash(text.p + start, text.len - start);
        if (only_new && (h == 0 || ts_pdf_lines_has(seen, h))) {
            text.len = start; /* not new: forget it */
            continue;
        }
        if (seen != NULL && h != 0)
            ts_pdf_lines_put(seen, h, &st);
        ts_sbuf_put(&text, "\n", 1);
        fresh++;
        if (repeated(m, i))
            continue;
        if (it->kind == TS_PDF_META_PERSON)
            st = ts_office_person(doc, &loc, it->value, it->key, "metadata.user-name");
        if (st == TS_OK)
            st = ts_office_paths(doc, &loc, it->value, strlen(it->value), it->key);
    }
    if (st == TS_OK && text.oom)
        st = TS_ENOMEM;
    if (st == TS_OK && text.len > 0) {
        loc.line = 1;
        st = ts_doc_text(doc, &loc, text.p, text.len);
    }
    ts_sbuf_free(&text);
    if (nnew)
        *nnew = fresh;
    return st;
}

void ts_pdf_meta_free(ts_pdf_meta *m)
{
    for (size_t i = 0; i < m->n; i++) {
        ts_free(m->v[i].key);
        ts_free(m->v[i].value);
    }
    ts_free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming XML parsing of container parts with libxml2's SAX2, safe options, errors kept quiet. */
#include "extract/xmlread.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

/*
 * Why SAX2 with a handler of our own: no getEntity/entityDecl callbacks means no entity but the
 * five predefined ones can ever be expanded (billion laughs, external entities), no
 * externalSubset callback means no DTD is ever loaded, and a structured error callback on the
 * context keeps libxml2 from printing anything (xmlSetStructuredErrorFunc would be global).
 * XML_PARSE_NOENT only makes the parser hand over "&amp;" in attributes as "&", not "&#38;".
 */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOENT | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)
#define ERR_CHARS 120u

struct ts_xml {
    xmlParserCtxtPtr ctxt;
    const ts_xml_handler *h;
    void *u;
    unsigned depth;
    bool stopped;
    bool err_fatal;
    int err_line;
    char err[ERR_CHARS];
};

typedef struct mem_src {
    const char *data;
    size_t len, off;
} mem_src;

ts_status ts_xml_init(void)
{
    xmlInitParser();
    return TS_OK;
}

void ts_xml_stop(ts_xml *x)
{
    if (!x->stopped) {
        x->stopped = true;
        xmlStopParser(x->ctxt);
    }
}

unsigned ts_xml_depth(const ts_xml *x)
{
    return x->depth;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndefaulted, const xmlChar **attrs)
{
    (void)prefix;
    (void)nns;
    (void)ns;
    (void)ndefaulted;
    ts_xml *x = ctx;
    x->depth++;
    if (x->h->start && !x->stopped)
        x->h->start(x, x->u, (const char *)local, (const char *)uri, nattr, (const char **)attrs);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix;
    ts_xml *x = ctx;
    if (x->h->end && !x->stopped)
        x->h->end(x, x->u, (const char *)local, (const char *)uri);
    if (x->depth > 0)
        x->depth--;
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    ts_xml *x = ctx;
    if (x->h->text && len > 0 && !x->stopped)
        x->h->text(x, x->u, (const char *)s, (size_t)len);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    ts_xml *x = ctx;
    /* keep the first fatal error; a namespace error before it is only a stand-in */
    if (e == NULL || e->level < XML_ERR_ERROR || x->err_fatal ||
        (x->err[0] != '\0' && e->level != XML_ERR_FATAL))
        return;
    x->err_fatal = e->level == XML_ERR_FATAL;
    const char *m = e->message ? e->message : "XML error";
    size_t n = strlen(m);
    if (n >= sizeof x->err)
        n = sizeof x->err - 1;
    while (n > 0 && ((unsigned char)m[n] & 0xC0) == 0x80)
        n--; /* do not cut a UTF-8 sequence */
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    memcpy(x->err, m, n);
    x->err[n] = '\0';
    x->err_line = e->line;
}

static int read_zip(void *ctx, char *buf, int len)
{
    long n = ts_zip_stream_read(ctx, buf, len > 0 ? (size_t)len : 0);
    return n < 0 ? -1 : (int)n;
}

static int read_mem(void *ctx, char *buf, int len)
{
    mem_src *m = ctx;
    size_t n = m->len - m->off;
    if (len <= 0)
        return 0;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, m->data + m->off, n);
    m->off += n;
    return (int)n;
}

static ts_status parse(ts_doc *doc, const char *name, xmlInputReadCallback rd, void *src,
                       const ts_xml_handler *h, void *u)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.serror = on_error;
    ts_xml x = {.h = h, .u = u};
    /* the source stays ours (no close callback): libxml2 frees only its own buffer */
    x.ctxt = xmlCreateIOParserCtxt(&sax, &x, rd, NULL, src, XML_CHAR_ENCODING_NONE);
    if (x.ctxt == NULL)
        return TS_ENOMEM;
    xmlCtxtUseOptions(x.ctxt, XML_OPTIONS);
    xmlParseDocument(x.ctxt);
    bool bad = !x.stopped && !x.ctxt->wellFormed;
    xmlFreeParserCtxt(x.ctxt);
    if (doc->err != TS_OK && bad)
        return doc->err; /* the reader already said why (limit, CRC, truncation) */
    if (bad) {
        ts_doc_fail(doc, TS_ECORRUPT, "%s: line %d: %s", name, x.err_line,
                    x.err[0] ? x.err : "not well-formed XML");
        return TS_ECORRUPT;
    }
    return TS_OK;
}

ts_status ts_xml_parse_zip(ts_zip *z, size_t idx, const ts_xml_handler *h, void *u)
{
    ts_zip_stream *s = NULL;
    ts_status st = ts_zip_stream_open(z, idx, &s);
    if (st != TS_OK)
        return st;
    const char *name = ts_zip_name(z, idx);
    st = parse(ts_zip_doc(z), name ? name : "?", read_zip, s, h, u);
    ts_zip_stream_close(s);
    return st;
}

ts_status ts_xml_parse_memory(ts_doc *doc, const char *name, const char *data, size_t len,
                              const ts_xml_handler *h, void *u)
{
    mem_src m = {.data = data, .len = len};
    return parse(doc, name, read_mem, &m, h, u);
}

const char *ts_xml_attr(int nattr, const char **attrs, const char *local, size_t *len)
{
    for (int i = 0; i < nattr; i++) {
        const char **a = attrs + 5 * i;
        if (strcmp(a[0], local) == 0) {
            *len = (size_t)(a[4] - a[3]);
            return a[3];
        }
    }
    *len = 0;
    return NULL;
}

bool ts_xml_attr_is(int nattr, const char **attrs, const char *local, const char *value)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, local, &n);
    return v != NULL && strlen(value) == n && memcmp(v, value, n) == 0;
}

bool ts_xml_attr_copy(int nattr, const char **attrs, const char *local, char *buf, size_t cap)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, local, &n);
    if (cap == 0)
        return v != NULL;
    if (v == NULL) {
        buf[0] = '\0';
        return false;
    }
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, v, n);
    buf[n] = '\0';
    return true;
}

unsigned long ts_xml_attr_ulong(int nattr, const char **attrs, const char *local,
                                unsigned long fallback)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, local, &n);
    if (v == NULL || n == 0 || n > 18)
        return fallback;
    unsigned long r = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return fallback;
        r = r * 10 + (unsigned long)(v[i] - '0');
    }
    return r;
}

bool ts_xml_attr_bool(int nattr, const char **attrs, const char *local, bool missing)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, local, &n);
    if (v == NULL)
        return missing;
    return (n == 1 && v[0] == '1') || (n == 4 && memcmp(v, "true", 4) == 0) ||
           (n == 2 && memcmp(v, "on", 2) == 0);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SVG: text, titles, metadata (RDF creator), data-* and label attributes, links, layers, draw.io.
 */
#include "extract/drawing.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "detect/checks.h"
#include "extract/office.h"
#include "extract/xmlread.h"

/*
 * What an SVG holds beyond its pictures (SVG 1.1 / SVG 2):
 *   - <text> (with <tspan>, <textPath>) and Inkscape's <flowRoot>: the labels of the drawing,
 *     each one also a shape label for the drawing verdict;
 *   - <title> and <desc> (tooltips and descriptions) and <metadata> (RDF: dc:creator → a person);
 *   - attributes: data-*, inkscape:label, aria-label, links (<a href>), image references, and on
 *     the root sodipodi:docname, inkscape:export-filename (often a local path) and draw.io's
 *     `content` (the whole diagram, read as a draw.io file);
 *   - what is not shown: an element with display:none or visibility:hidden (hidden text), and an
 *     Inkscape layer (<g inkscape:groupmode="layer">) that is hidden (where = layer);
 *   - connectors: Inkscape connectors (inkscape:connector-type) and Graphviz edges (class="edge").
 */

#define MAX_DEPTH 256u
#define NAME_BYTES 256u
#define MAX_LAYERS 4096u
#define BLOB_RUN 200u /* a run of this many characters without a space is encoded data */

enum kind { K_NONE, K_TEXT, K_TITLE, K_META };

typedef struct slayer {
    const char *name; /* arena */
    bool hidden;
    size_t texts;
} slayer;

typedef struct node {
    bool hidden;
    int layer; /* -1 = none */
} node;

typedef struct svg {
    ts_doc *doc;
    ts_status st;
    node stack[MAX_DEPTH];
    slayer *layers;
    size_t nlayers, cap_layers;
    enum kind collecting;
    unsigned collect_depth, creator_depth, skip_depth;
    bool collect_hidden;
    int collect_layer;
    ts_sbuf buf, creator, line;
    ts_tsink sink;
    size_t connectors, hidden_texts;
    const char *first_hidden;
} svg;

static void oom(svg *s, ts_status st)
{
    if (st != TS_OK && s->st == TS_OK)
        s->st = st;
}

/* ---- where text goes ------------------------------------------------------------------------ */

static void emit(svg *s, const char *t, size_t n, bool hidden, int layer, ts_where where)
{
    while (n > 0 && (t[0] == ' ' || t[0] == '\n' || t[0] == '\t' || t[0] == '\r')) {
        t++;
        n--;
    }
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\t' || t[n - 1] == '\r'))
        n--;
    if (n == 0)
        return;
    slayer *l = layer >= 0 ? &s->layers[layer] : NULL;
    if (l && l->hidden) {
        l->texts++;
        ts_tsink_place(&s->sink, TS_WHERE_LAYER, l->name, 0);
        where = TS_WHERE_LAYER;
    } else {
        ts_tsink_place(&s->sink, where, NULL, 0);
        if (hidden) {
            where = TS_WHERE_HIDDEN_TEXT;
            if (s->hidden_texts++ == 0) {
                size_t m = n < 80 ? n : 80;
                while (m > 0 && m < n && ((unsigned char)t[m] & 0xC0) == 0x80)
                    m--;
                s->first_hidden = ts_doc_strndup(s->doc, t, m);
                if (s->first_hidden == NULL)
                    oom(s, TS_ENOMEM);
            }
        }
    }
    ts_tsink_line(&s->sink, 0);
    ts_tsink_put(&s->sink, t, n, where);
}

/* Is this text encoded data (a base64 blob in metadata) rather than words? */
static bool is_blob(const char *t, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        bool space = t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t';
        run = space ? 0 : run + 1;
        if (run >= BLOB_RUN)
            return true;
    }
    return false;
}

/* ---- elements ------------------------------------------------------------------------------- */

static bool style_hides(const char *v, size_t n)
{
    /* "display:none" or "visibility:hidden", with or without blanks, in a style attribute */
    for (size_t i = 0; i < n; i++) {
        const char *p = v + i;
        size_t left = n - i;
        if (left >= 7 && strncasecmp(p, "display", 7) == 0) {
            size_t j = 7;
            while (j < left && (p[j] == ' ' || p[j] == ':'))
                j++;
            if (left - j >= 4 && strncasecmp(p + j, "none", 4) == 0)
                return true;
        } else if (left >= 10 && strncasecmp(p, "visibility", 10) == 0) {
            size_t j = 10;
            while (j < left && (p[j] == ' ' || p[j] == ':'))
                j++;
            if (left - j >= 6 && strncasecmp(p + j, "hidden", 6) == 0)
                return true;
        }
    }
    return false;
}

static bool hides(int nattr, const char **attrs)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, "style", &n);
    return (v && style_hides(v, n)) || ts_xml_attr_is(nattr, attrs, "display", "none") ||
           ts_xml_attr_is(nattr, attrs, "visibility", "hidden");
}

static void new_layer(svg *s, int nattr, const char **attrs, bool hidden, node *nd)
{
    if (s->nlayers >= MAX_LAYERS ||
        ts_grow((void **)&s->layers, &s->cap_layers, s->nlayers + 1, sizeof(*s->layers)) != 0) {
        if (s->nlayers < MAX_LAYERS)
            oom(s, TS_ENOMEM);
        return;
    }
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, "label", &n);
    slayer *l = &s->layers[s->nlayers];
    l->hidden = hidden;
    l->texts = 0;
    l->name = v && n ? ts_doc_strndup(s->doc, v, n < NAME_BYTES ? n : NAME_BYTES)
                     : ts_doc_printf(s->doc, "Layer %zu", s->nlayers + 1);
    if (l->name == NULL) {
        oom(s, TS_ENOMEM);
        return;
    }
    nd->layer = (int)s->nlayers++;
    /* a layer's own name is text (where = layer) */
    ts_tsink_place(&s->sink, TS_WHERE_LAYER, l->name, 0);
    ts_tsink_line(&s->sink, 0);
    ts_tsink_put(&s->sink, l->name, strlen(l->name), TS_WHERE_LAYER);
}

/* Does an attribute hold a draw.io file (an <mxfile> or <mxGraphModel> element)? */
static bool is_drawio(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && (v[i] == ' ' || v[i] == '\n' || v[i] == '\r' || v[i] == '\t'))
        i++;
    return (n - i > 7 && memcmp(v + i, "<mxfile", 7) == 0) ||
           (n - i > 13 && memcmp(v + i, "<mxGraphModel", 13) == 0);
}

/* Attributes that carry words: data-*, labels, links, image references, file names. */
static void attributes(svg *s, const char *local, int nattr, const char **attrs, const node *nd,
                       bool root)
{
    for (int i = 0; i < nattr && s->st == TS_OK; i++) {
        const char **a = attrs + 5 * i;
        const char *name = a[0], *v = a[3];
        size_t n = (size_t)(a[4] - a[3]);
        ts_where where = TS_WHERE_DRAWING;
        if (n == 0)
            continue;
        if (root && strcmp(name, "content") == 0 && is_drawio(v, n)) {
            /* a draw.io export keeps its diagram here */
            oom(s, ts_drawio_read(s->doc, "svg content", v, n));
            continue;
        }
        bool data = strncmp(name, "data-", 5) == 0;
        bool label = strcmp(name, "label") == 0 || strcmp(name, "aria-label") == 0;
        bool link = strcmp(name, "href") == 0;
        bool file = strcmp(name, "docname") == 0 || strcmp(name, "export-filename") == 0 ||
                    strcmp(name, "absref") == 0;
        if (root && (file || strcmp(name, "version") == 0))
            where = TS_WHERE_METADATA;
        if (link && (v[0] == '#' || (n > 5 && strncmp(v, "data:", 5) == 0)))
            continue; /* a reference inside the file, or inline image data */
        bool version = root && strcmp(name, "version") == 0 && a[2] != NULL; /* inkscape: */
        if (!data && !label && !link && !file && !version)
            continue;
        if (label && nd->layer >= 0 && strcmp(local, "g") == 0 &&
            ts_xml_attr_is(nattr, attrs, "groupmode", "layer"))
            continue; /* the layer's name: already text at where = layer */
        char line[NAME_BYTES + 2];
        size_t ln = strlen(name) < NAME_BYTES ? strlen(name) : NAME_BYTES;
        memcpy(line, name, ln);
        line[ln++] = ':';
        line[ln++] = ' ';
        ts_sbuf_clear(&s->line);
        ts_sbuf_put(&s->line, line, ln);
        ts_sbuf_put(&s->line, v, n);
        if (s->line.oom)
            oom(s, TS_ENOMEM);
        emit(s, ts_sbuf_str(&s->line), s->line.len, nd->hidden, nd->layer, where);
        if (link || file) {
            ts_loc loc = {.where = TS_WHERE_METADATA};
            char *p = ts_doc_strndup(s->doc, v, n);
            oom(s,
                p ? ts_office_paths(s->doc, &loc, p, n, file ? "file name" : "link") : TS_ENOMEM);
        }
    }
}

static void svg_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)uri;
    svg *s = u;
    unsigned d = ts_xml_depth(x);
    if (s->st != TS_OK) {
        ts_xml_stop(x);
        return;
    }
    if (s->skip_depth)
        return;
    node *parent = d >= 2 && d - 2 < MAX_DEPTH ? &s->stack[d - 2] : NULL;
    node nd = {.hidden = parent ? parent->hidden : false, .layer = parent ? parent->layer : -1};
    bool hidden_here = hides(nattr, attrs);
    if (strcmp(local, "g") == 0 && ts_xml_attr_is(nattr, attrs, "groupmode", "layer"))
        new_layer(s, nattr, attrs, hidden_here || (parent && parent->hidden), &nd);
    else if (hidden_here)
        nd.hidden = true;
    if (d >= 1 && d - 1 < MAX_DEPTH)
        s->stack[d - 1] = nd;
    /* connectors */
    size_t cl, tl;
    const char *cls = ts_xml_attr(nattr, attrs, "class", &cl);
    if (ts_xml_attr(nattr, attrs, "connector-type", &tl) != NULL ||
        (cls && cl == 4 && memcmp(cls, "edge", 4) == 0))
        s->connectors++;
    if (strcmp(local, "manifest") == 0 && s->collecting == K_META) {
        s->skip_depth = d; /* a C2PA manifest: encoded data */
        return;
    }
    attributes(s, local, nattr, attrs, &nd, d == 1);
    if (s->collecting == K_META) {
        if (strcmp(local, "creator") == 0 && s->creator_depth == 0) {
            s->creator_depth = d;
            ts_sbuf_clear(&s->creator);
        }
        /* RDF properties written as attributes: dc:title="…" */
        for (int i = 0; i < nattr; i++) {
            const char **a = attrs + 5 * i;
            if (strcmp(a[0], "about") == 0 || a[4] == a[3])
                continue;
            ts_sbuf_put(&s->buf, "\n", 1);
            ts_sbuf_put(&s->buf, a[0], strlen(a[0]));
            ts_sbuf_put(&s->buf, ": ", 2);
            ts_sbuf_put(&s->buf, a[3], (size_t)(a[4] - a[3]));
        }
        return;
    }
    if (s->collecting != K_NONE) {
        /* a tspan placed on its own (x, y or dy) is a new line of the label */
        if ((strcmp(local, "tspan") == 0 || strcmp(local, "flowPara") == 0) && s->buf.len > 0 &&
            (ts_xml_attr(nattr, attrs, "x", &cl) || ts_xml_attr(nattr, attrs, "y", &cl) ||
             ts_xml_attr(nattr, attrs, "dy", &cl) || strcmp(local, "flowPara") == 0))
            ts_sbuf_put(&s->buf, "\n", 1);
        return;
    }
    enum kind k = K_NONE;
    if (strcmp(local, "text") == 0 || strcmp(local, "flowRoot") == 0)
        k = K_TEXT;
    else if (strcmp(local, "title") == 0 || strcmp(local, "desc") == 0)
        k = K_TITLE;
    else if (strcmp(local, "metadata") == 0)
        k = K_META;
    if (k != K_NONE) {
        s->collecting = k;
        s->collect_depth = d;
        s->collect_hidden = nd.hidden;
        s->collect_layer = nd.layer;
        ts_sbuf_clear(&s->buf);
    }
}

static void creator_end(svg *s)
{
    ts_loc loc = {.where = TS_WHERE_METADATA};
    /* one person per line (rdf:li), or the whole text */
    oom(s, ts_drawing_people(s->doc, &loc, ts_sbuf_str(&s->creator), "creator"));
}

static void svg_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    (void)local;
    svg *s = u;
    unsigned d = ts_xml_depth(x);
    if (s->skip_depth) {
        if (d == s->skip_depth)
            s->skip_depth = 0;
        return;
    }
    if (s->creator_depth == d) {
        s->creator_depth = 0;
        creator_end(s);
    }
    if (s->collecting == K_NONE || d != s->collect_depth)
        return;
    enum kind k = s->collecting;
    s->collecting = K_NONE;
    if (s->buf.oom || s->creator.oom)
        oom(s, TS_ENOMEM);
    const char *t = ts_sbuf_str(&s->buf);
    size_t n = s->buf.len;
    ts_where where = k == K_META || (k == K_TITLE && d == 2) ? TS_WHERE_METADATA : TS_WHERE_DRAWING;
    emit(s, t, n, s->collect_hidden, s->collect_layer, where);
    if (k == K_TEXT && n > 0) {
        ts_loc loc = {.where = TS_WHERE_DRAWING};
        oom(s, ts_doc_shape(s->doc, &loc, t, n));
    }
    ts_sbuf_clear(&s->buf);
}

static void svg_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    svg *s = u;
    if (s->skip_depth || s->collecting == K_NONE)
        return;
    if (s->collecting == K_META && is_blob(t, len))
        return;
    ts_sbuf_put(&s->buf, t, len);
    if (s->creator_depth)
        ts_sbuf_put(&s->creator, t, len);
}

static ts_status svg_extract(ts_doc *doc, const ts_input *in)
{
    svg *s = ts_calloc(1, sizeof(*s));
    if (s == NULL)
        return TS_ENOMEM;
    s->doc = doc;
    ts_tsink_init(&s->sink, doc, TS_WHERE_DRAWING, NULL);
    ts_xml_handler h = {.start = svg_start, .end = svg_end, .text = svg_text};
    ts_status st = ts_xml_parse_memory(doc, "svg", (const char *)in->data, in->len, &h, s);
    st = st == TS_ENOMEM ? st : s->st;
    ts_status s2 = ts_tsink_dispose(&s->sink);
    if (st == TS_OK)
        st = s2;
    ts_loc loc = {.where = TS_WHERE_DRAWING};
    if (st == TS_OK)
        st = ts_doc_connectors(doc, &loc, s->connectors);
    for (size_t i = 0; i < s->nlayers && st == TS_OK; i++) {
        const slayer *l = &s->layers[i];
        if (!l->hidden || l->texts == 0)
            continue;
        ts_loc ll = {.where = TS_WHERE_LAYER, .part = l->name};
        char *dt =
            ts_doc_printf(doc, "hidden layer with %zu text%s", l->texts, l->texts == 1 ? "" : "s");
        st = dt ? ts_doc_flag(doc, "hidden.hidden-layer", &ll, l->name, dt) : TS_ENOMEM;
    }
    if (st == TS_OK && s->hidden_texts > 0) {
        ts_loc hl = {.where = TS_WHERE_HIDDEN_TEXT};
        char *dt = ts_doc_printf(doc, "%zu hidden element%s with text", s->hidden_texts,
                                 s->hidden_texts == 1 ? "" : "s");
        st = dt ? ts_doc_flag(doc, "hidden.hidden-shape", &hl, s->first_hidden, dt) : TS_ENOMEM;
    }
    ts_sbuf_free(&s->buf);
    ts_sbuf_free(&s->creator);
    ts_sbuf_free(&s->line);
    ts_free(s->layers);
    ts_free(s);
    return st;
}

static ts_status svg_init(void)
{
    return ts_xml_init();
}

const struct ts_extractor ts_extractor_svg = {
    .name = "svg",
    .types = (const ts_type[]){TS_TYPE_SVG, TS_TYPE_NONE},
    .init = svg_init,
    .extract = svg_extract,
    .rules = ts_drawing_rules,
};

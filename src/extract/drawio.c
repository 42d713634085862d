/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw.io / diagrams.net: labels, tooltips, custom properties, stencils, layers and edges. */
#include "extract/drawing.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "detect/checks.h"
#include "extract/office.h"
#include "extract/xmlread.h"

/*
 * An .drawio file is an <mxfile> of <diagram> pages. A page holds an <mxGraphModel> either as
 * XML or compressed: base64 of raw deflate of the URL-encoded XML (what draw.io's "Compressed"
 * option writes). Inside, every <mxCell> is the root (no parent), a layer (parent = root), a
 * vertex (vertex="1": a shape) or an edge (edge="1": a connector). A cell wrapped in
 * <UserObject> or <object> takes its label from the wrapper, whose other attributes are custom
 * properties. A layer or cell with visible="0" is hidden, and so is everything inside it.
 */

#define MAX_NEST 2u                 /* hostile input: compressed pages inside pages */
#define MAX_COMPRESSED (256u << 20) /* bytes of a page's compressed text kept */
#define MAX_PAGE_XML (512u << 20)   /* bytes a compressed page may inflate to */
#define NAME_MAX_BYTES 256u

typedef struct cell {
    const char *id; /* arena; NULL = empty slot */
    int layer;      /* index into layers, -1 when none */
    bool hidden;    /* visible="0" here or on an ancestor */
} cell;

typedef struct layer {
    const char *name; /* arena */
    bool hidden;
    size_t texts; /* cells with text on it */
} layer;

typedef struct dio {
    ts_doc *doc;
    const char *name; /* the source, for failures */
    ts_status st;
    unsigned nest;
    ts_tsink sink;
    ts_sbuf compressed; /* a page's text content */
    ts_sbuf label;      /* the wrapper's label */
    ts_sbuf props;      /* the wrapper's custom properties and tooltip, one per line */
    bool in_wrapper;
    bool wrapper_used;
    char wrapper_id[NAME_MAX_BYTES];
    /* the page being read */
    unsigned page, diagram_depth;
    bool in_diagram, page_open, inline_model;
    const char *page_name;
    const char *root_id;
    cell *cells;
    size_t ncells, cap_cells;
    layer *layers;
    size_t nlayers, cap_layers;
    size_t hidden_cells;
    size_t items;
    char *scratch; /* for HTML labels */
    size_t scratch_cap;
} dio;

static void fail_oom(dio *d, ts_status st)
{
    if (st != TS_OK && d->st == TS_OK)
        d->st = st;
}

/* ---- cells by id (open addressing) ---------------------------------------------------------- */

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static cell *cell_find(dio *d, const char *id, size_t n)
{
    if (d->cap_cells == 0)
        return NULL;
    size_t mask = d->cap_cells - 1;
    for (size_t i = (size_t)hash(id, n) & mask;; i = (i + 1) & mask) {
        cell *c = &d->cells[i];
        if (c->id == NULL)
            return NULL;
        if (strlen(c->id) == n && memcmp(c->id, id, n) == 0)
            return c;
    }
}

static void cell_insert(dio *d, cell c)
{
    size_t mask = d->cap_cells - 1;
    size_t i = (size_t)hash(c.id, strlen(c.id)) & mask;
    while (d->cells[i].id != NULL)
        i = (i + 1) & mask;
    d->cells[i] = c;
}

static ts_status cell_add(dio *d, const char *id, size_t n, int layer_index, bool hidden)
{
    if ((d->ncells + 1) * 2 > d->cap_cells) {
        size_t cap = d->cap_cells ? d->cap_cells * 2 : 64;
        cell *old = d->cells;
        size_t oldcap = d->cap_cells;
        d->cells = ts_calloc(cap, sizeof(*d->cells));
        if (d->cells == NULL) {
            d->cells = old;
            return TS_ENOMEM;
        }
        d->cap_cells = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].id)
                cell_insert(d, old[i]);
        ts_free(old);
    }
    char *key = ts_doc_strndup(d->doc, id, n);
    if (key == NULL)
        return TS_ENOMEM;
    cell_insert(d, (cell){.id = key, .layer = layer_index, .hidden = hidden});
    d->ncells++;
    return TS_OK;
}

/* ---- text ----------------------------------------------------------------------------------- */

/* An HTML label as text in d->scratch; returns its length. */
static size_t label_text(dio *d, const char *s, size_t n, bool html, const char **out)
{
    if (!html) {
        *out = s;
        return n;
    }
    if (ts_grow((void **)&d->scratch, &d->scratch_cap, n + 1, 1) != 0) {
        fail_oom(d, TS_ENOMEM);
        *out = "";
        return 0;
    }
    *out = d->scratch;
    return ts_drawing_html_text(s, n, d->scratch);
}

/* Put one piece of a cell's text where it sits: its layer, hidden or not. */
static void put_text(dio *d, const layer *ly, bool hidden, const char *t, size_t n)
{
    while (n > 0 && (t[0] == ' ' || t[0] == '\n')) {
        t++;
        n--;
    }
    if (n == 0)
        return;
    if (ly && ly->hidden)
        ts_tsink_place(&d->sink, TS_WHERE_LAYER, ly->name, d->page);
    else
        ts_tsink_place(&d->sink, TS_WHERE_DRAWING, d->page_name, d->page);
    ts_tsink_line(&d->sink, 0);
    ts_tsink_put(&d->sink, t, n, hidden ? TS_WHERE_HIDDEN_TEXT : d->sink.where);
}

/* The stencil of a style: "shape=mxgraph.cisco.security.firewall", else its first word
 * ("ellipse", "image"), plus the file name of an image= entry. */
static size_t stencil(const char *style, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && style[e] != ';')
            e++;
        const char *kv = style + i;
        size_t kl = e - i;
        const char *v = NULL;
        size_t vl = 0;
        if (kl > 6 && memcmp(kv, "shape=", 6) == 0) {
            v = kv + 6;
            vl = kl - 6;
        } else if (kl > 6 && memcmp(kv, "image=", 6) == 0) {
            v = kv + 6;
            vl = kl - 6;
            for (size_t k = vl; k > 0; k--) /* the file name, not the folders */
                if (v[k - 1] == '/') {
                    v += k;
                    vl -= k;
                    break;
                }
            if (vl > 128 || memcmp(v, "data:", vl < 5 ? vl : 5) == 0)
                vl = 0; /* inline image data is no name */
        } else if (i == 0 && memchr(kv, '=', kl) == NULL) {
            v = kv;
            vl = kl;
        }
        if (vl > 0 && w + vl + 1 < cap) {
            if (w > 0)
                out[w++] = ' ';
            memcpy(out + w, v, vl);
            w += vl;
        }
        i = e + 1;
    }
    out[w] = '\0';
    return w;
}

static bool style_has(const char *style, size_t n, const char *kv)
{
    size_t kl = strlen(kv);
    for (size_t i = 0; i + kl <= n; i++)
        if ((i == 0 || style[i - 1] == ';') && memcmp(style + i, kv, kl) == 0 &&
            (i + kl == n || style[i + kl] == ';'))
            return true;
    return false;
}

/* ---- cells ---------------------------------------------------------------------------------- */

static void on_layer(dio *d, const char *id, size_t idl, int nattr, const char **attrs)
{
    if (ts_grow((void **)&d->layers, &d->cap_layers, d->nlayers + 1, sizeof(*d->layers)) != 0) {
        fail_oom(d, TS_ENOMEM);
        return;
    }
    size_t vl;
    const char *v = ts_xml_attr(nattr, attrs, "value", &vl);
    layer *ly = &d->layers[d->nlayers];
    ly->hidden = ts_xml_attr_is(nattr, attrs, "visible", "0");
    ly->texts = 0;
    ly->name = vl > 0 ? ts_doc_strndup(d->doc, v, vl < NAME_MAX_BYTES ? vl : NAME_MAX_BYTES)
                      : ts_doc_printf(d->doc, "Layer %zu", d->nlayers + 1);
    if (ly->name == NULL) {
        fail_oom(d, TS_ENOMEM);
        return;
    }
    fail_oom(d, cell_add(d, id, idl, (int)d->nlayers, ly->hidden));
    d->nlayers++;
    /* a layer's own name is text too (DESIGN §7: where = layer) */
    if (vl > 0) {
        ts_tsink_place(&d->sink, TS_WHERE_LAYER, ly->name, d->page);
        ts_tsink_line(&d->sink, 0);
        ts_tsink_put(&d->sink, ly->name, strlen(ly->name), TS_WHERE_LAYER);
    }
}

/*
 * What a reader calls a shape that has only a stencil: the stencil's own name, from the last
 * word of `desc` ("mxgraph.cisco.security.pix_firewall" -> "pix firewall", "image
 * Router_128x128.png" -> "Router"). Its length in out[cap].
 */
static size_t stencil_name(const char *desc, size_t n, char *out, size_t cap)
{
    size_t b = n;
    while (b > 0 && desc[b - 1] != ' ')
        b--;
    const char *w = desc + b;
    size_t wl = n - b;
    static const char *const exts[] = {".png", ".svg", ".jpg", ".jpeg", ".gif"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t el = strlen(exts[i]);
        if (wl > el && strncasecmp(w + wl - el, exts[i], el) == 0) {
            wl -= el;
            break;
        }
    }
    for (size_t k = wl; k > 0; k--) /* the last part of a dotted name */
        if (w[k - 1] == '.') {
            w += k;
            wl -= k;
            break;
        }
    /* an icon's size: "_128x128" */
    size_t e = wl;
    while (e > 0 && ((w[e - 1] >= '0' && w[e - 1] <= '9') || w[e - 1] == 'x'))
        e--;
    if (e > 0 && e < wl && w[e - 1] == '_' && memchr(w + e, 'x', wl - e) != NULL)
        wl = e - 1;
    size_t o = 0;
    for (size_t i = 0; i < wl && o + 1 < cap; i++)
        out[o++] = w[i] == '_' ? ' ' : w[i];
    out[o] = '\0';
    return o;
}

static void on_cell(dio *d, int nattr, const char **attrs)
{
    size_t idl, pl, sl, vl;
    const char *id = ts_xml_attr(nattr, attrs, "id", &idl);
    const char *parent = ts_xml_attr(nattr, attrs, "parent", &pl);
    const char *style = ts_xml_attr(nattr, attrs, "style", &sl);
    const char *value = ts_xml_attr(nattr, attrs, "value", &vl);
    if (d->in_wrapper && !d->wrapper_used && d->wrapper_id[0]) { /* the wrapper's id counts */
        id = d->wrapper_id;
        idl = strlen(id);
    }
    if (++d->items > ts_doc_limits(d->doc)->max_items) {
        if (d->items == ts_doc_limits(d->doc)->max_items + 1)
            ts_doc_fail(d->doc, TS_ELIMIT, "%s: more than %u cells", d->name,
                        (unsigned)ts_doc_limits(d->doc)->max_items);
        return;
    }
    if (!d->page_open) { /* a bare mxGraphModel: one page */
        d->page_open = true;
        d->page = d->page ? d->page : 1;
    }
    if (parent == NULL) {
        if (id && d->root_id == NULL) {
            d->root_id = ts_doc_strndup(d->doc, id, idl);
            fail_oom(d, d->root_id ? TS_OK : TS_ENOMEM);
        }
        return;
    }
    if (d->root_id && strlen(d->root_id) == pl && memcmp(parent, d->root_id, pl) == 0) {
        if (id)
            on_layer(d, id, idl, nattr, attrs);
        return;
    }
    const cell *pc = cell_find(d, parent, pl);
    int li = pc ? pc->layer : -1;
    bool hidden = (pc && pc->hidden) || ts_xml_attr_is(nattr, attrs, "visible", "0");
    layer *ly = li >= 0 && (size_t)li < d->nlayers ? &d->layers[li] : NULL;
    if (id && idl > 0) {
        fail_oom(d, cell_add(d, id, idl, li, hidden));
        if (d->st != TS_OK)
            return;
    }
    bool html = style && style_has(style, sl, "html=1");
    const char *label = value;
    size_t ll = vl;
    if (d->in_wrapper && !d->wrapper_used) {
        label = ts_sbuf_str(&d->label);
        ll = d->label.len;
    }
    const char *t;
    size_t tl = label ? label_text(d, label, ll, html, &t) : 0;
    bool is_edge = ts_xml_attr_is(nattr, attrs, "edge", "1");
    bool is_vertex = ts_xml_attr_is(nattr, attrs, "vertex", "1");
    if (tl > 0) {
        put_text(d, ly, hidden && !(ly && ly->hidden), t, tl);
        if (ly && ly->hidden)
            ly->texts++;
        else if (hidden)
            d->hidden_cells++;
    }
    if (d->in_wrapper && !d->wrapper_used) {
        if (d->props.len > 0)
            put_text(d, ly, hidden && !(ly && ly->hidden), ts_sbuf_str(&d->props), d->props.len);
        d->wrapper_used = true;
    }
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = d->page, .part = d->page_name};
    if (is_edge) {
        /* named by the cells it joins; the cell ids go as they are (NUL-terminated copies) */
        char src[NAME_MAX_BYTES], dst[NAME_MAX_BYTES];
        ts_xml_attr_copy(nattr, attrs, "source", src, sizeof src);
        ts_xml_attr_copy(nattr, attrs, "target", dst, sizeof dst);
        fail_oom(d, ts_doc_edge(d->doc, &loc, src, dst));
    } else if (is_vertex && !(style && sl >= 5 && memcmp(style, "text;", 5) == 0)) {
        /* a shape; free text ("text;" style) labels the drawing but is no shape */
        char desc[NAME_MAX_BYTES * 2];
        size_t n = style ? stencil(style, sl, desc, sizeof desc) : 0;
        size_t take = tl < sizeof desc - n - 2 ? tl : sizeof desc - n - 2;
        if (take > 0) {
            if (n > 0)
                desc[n++] = ' ';
            memcpy(desc + n, t, take);
            n += take;
        }
        char key[NAME_MAX_BYTES];
        snprintf(key, sizeof key, "%.*s", id ? (int)(idl < sizeof key ? idl : sizeof key - 1) : 0,
                 id ? id : "");
        char name[NAME_MAX_BYTES];
        size_t nl = tl > 0 ? 0 : stencil_name(desc, n, name, sizeof name);
        fail_oom(d, ts_doc_shape_id(d->doc, &loc, key, desc, n, tl > 0 ? t : name,
                                    tl > 0 ? tl : nl));
    }
}

/* The wrapper <UserObject>/<object>: label, tooltip and custom properties. */
static void on_wrapper(dio *d, int nattr, const char **attrs)
{
    ts_sbuf_clear(&d->label);
    ts_sbuf_clear(&d->props);
    d->in_wrapper = true;
    d->wrapper_used = false;
    ts_xml_attr_copy(nattr, attrs, "id", d->wrapper_id, sizeof d->wrapper_id);
    for (int i = 0; i < nattr; i++) {
        const char **a = attrs + 5 * i;
        size_t vl = (size_t)(a[4] - a[3]);
        if (strcmp(a[0], "label") == 0) {
            ts_sbuf_put(&d->label, a[3], vl);
            continue;
        }
        if (strcmp(a[0], "id") == 0 || strcmp(a[0], "placeholders") == 0 || vl == 0)
            continue;
        if (d->props.len > 0)
            ts_sbuf_put(&d->props, "\n", 1);
        ts_sbuf_put(&d->props, a[0], strlen(a[0]));
        ts_sbuf_put(&d->props, ": ", 2);
        ts_sbuf_put(&d->props, a[3], vl);
    }
}

/* ---- pages ---------------------------------------------------------------------------------- */

static void page_start(dio *d, const char *name, size_t nl)
{
    d->page++;
    d->page_open = true;
    d->inline_model = false;
    d->page_name = NULL;
    if (nl > 0) {
        d->page_name = ts_doc_strndup(d->doc, name, nl < NAME_MAX_BYTES ? nl : NAME_MAX_BYTES);
        fail_oom(d, d->page_name ? ts_doc_page_name(d->doc, d->page, d->page_name) : TS_ENOMEM);
    }
    ts_sbuf_clear(&d->compressed);
}

static void page_finish(dio *d)
{
    ts_doc *doc = d->doc;
    if (!d->page_open)
        return;
    d->page_open = false;
    fail_oom(d, ts_tsink_flush(&d->sink));
    for (size_t i = 0; i < d->nlayers && d->st == TS_OK; i++) {
        const layer *ly = &d->layers[i];
        if (!ly->hidden || ly->texts == 0)
            continue;
        ts_loc ll = {.where = TS_WHERE_LAYER, .page = d->page, .part = ly->name};
        char *det =
            ts_doc_printf(doc, "hidden layer with %zu labelled shape%s on page %s", ly->texts,
                          ly->texts == 1 ? "" : "s", d->page_name ? d->page_name : "1");
        fail_oom(d, det ? ts_doc_flag(doc, "hidden.hidden-layer", &ll, ly->name, det) : TS_ENOMEM);
    }
    if (d->hidden_cells > 0 && d->st == TS_OK) {
        ts_loc hl = {.where = TS_WHERE_HIDDEN_TEXT, .page = d->page, .part = d->page_name};
        const char *v = d->page_name ? d->page_name : ts_doc_printf(doc, "page %u", d->page);
        char *det = ts_doc_printf(doc, "%zu hidden shape%s with text", d->hidden_cells,
                                  d->hidden_cells == 1 ? "" : "s");
        fail_oom(d, v && det ? ts_doc_flag(doc, "hidden.hidden-shape", &hl, v, det) : TS_ENOMEM);
    }
    ts_free(d->cells);
    d->cells = NULL;
    d->ncells = d->cap_cells = 0;
    d->nlayers = 0;
    d->root_id = NULL;
    d->hidden_cells = 0;
}

static ts_status parse(dio *d, const char *xml, size_t len);

/* A compressed page: base64 → raw deflate → URL-encoded XML (draw.io's "compressed" format). */
static void page_decode(dio *d)
{
    const char *s = ts_sbuf_trim(&d->compressed);
    size_t n = d->compressed.len;
    unsigned char *raw = NULL, *xml = NULL;
    size_t rawlen = 0, xmllen = 0;
    if (n == 0)
        return;
    if (d->nest >= MAX_NEST) {
        ts_doc_fail(d->doc, TS_ELIMIT, "%s: compressed pages nested too deep", d->name);
        return;
    }
    if (s[0] == '<') { /* plain XML kept as text */
        fail_oom(d, parse(d, s, n));
        return;
    }
    raw = ts_malloc(n / 4 * 3 + 3);
    if (raw == NULL) {
        fail_oom(d, TS_ENOMEM);
        return;
    }
    rawlen = ts_drawing_base64(s, n, raw);
    char *what = ts_doc_printf(d->doc, "%s: page %u", d->name, d->page);
    ts_status st =
        what ? ts_drawing_inflate(d->doc, what, raw, rawlen, true, MAX_PAGE_XML, &xml, &xmllen)
             : TS_ENOMEM;
    ts_free(raw);
    if (st != TS_OK) {
        fail_oom(d, st == TS_ENOMEM ? st : TS_OK);
        return;
    }
    xmllen = ts_drawing_urldecode((char *)xml, xmllen);
    fail_oom(d, parse(d, (const char *)xml, xmllen));
    ts_free(xml);
}

static void dio_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)uri;
    dio *d = u;
    if (d->st != TS_OK) {
        ts_xml_stop(x);
        return;
    }
    if (strcmp(local, "mxCell") == 0) {
        on_cell(d, nattr, attrs);
    } else if (strcmp(local, "UserObject") == 0 || strcmp(local, "object") == 0) {
        on_wrapper(d, nattr, attrs);
    } else if (strcmp(local, "diagram") == 0 && d->nest == 0) {
        size_t nl;
        const char *name = ts_xml_attr(nattr, attrs, "name", &nl);
        page_finish(d); /* a diagram inside a diagram closes the first */
        page_start(d, name, name ? nl : 0);
        d->in_diagram = true;
        d->diagram_depth = ts_xml_depth(x);
    } else if (strcmp(local, "mxGraphModel") == 0 && d->in_diagram && d->nest == 0) {
        d->inline_model = true;
    } else if (strcmp(local, "mxfile") == 0 && d->nest == 0) {
        char agent[NAME_MAX_BYTES], version[64];
        ts_xml_attr_copy(nattr, attrs, "agent", agent, sizeof agent);
        ts_xml_attr_copy(nattr, attrs, "version", version, sizeof version);
        ts_loc loc = {.where = TS_WHERE_METADATA};
        if (agent[0])
            fail_oom(d, ts_doc_text(d->doc, &loc, agent, strlen(agent)));
        if (version[0]) {
            char *v = ts_doc_printf(d->doc, "draw.io %s", version);
            fail_oom(d,
                     v ? ts_doc_flag(d->doc, "metadata.software", &loc, v, "editor") : TS_ENOMEM);
        }
    }
}

static void dio_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    dio *d = u;
    if (strcmp(local, "UserObject") == 0 || strcmp(local, "object") == 0) {
        d->in_wrapper = false;
    } else if (strcmp(local, "diagram") == 0 && d->nest == 0 && d->in_diagram &&
               ts_xml_depth(x) == d->diagram_depth) {
        d->in_diagram = false;
        if (!d->inline_model)
            page_decode(d);
        page_finish(d);
    }
}

static void dio_text(ts_xml *x, void *u, const char *s, size_t len)
{
    dio *d = u;
    if (d->in_diagram && d->nest == 0 && !d->inline_model && ts_xml_depth(x) == d->diagram_depth)
        ts_sbuf_put(&d->compressed, s, len);
}

static ts_status parse(dio *d, const char *xml, size_t len)
{
    ts_xml_handler h = {.start = dio_start, .end = dio_end, .text = dio_text};
    d->nest++;
    ts_status st = ts_xml_parse_memory(d->doc, d->name, xml, len, &h, d);
    d->nest--;
    return st == TS_ENOMEM ? st : TS_OK;
}

ts_status ts_drawio_read(ts_doc *doc, const char *name, const char *xml, size_t len)
{
    dio d = {.doc = doc, .name = name};
    d.compressed.max = MAX_COMPRESSED;
    ts_tsink_init(&d.sink, doc, TS_WHERE_DRAWING, NULL);
    ts_xml_handler h = {.start = dio_start, .end = dio_end, .text = dio_text};
    ts_status st = ts_xml_parse_memory(doc, name, xml, len, &h, &d);
    if (st != TS_ENOMEM && d.st == TS_OK && d.compressed.oom)
        st = TS_ENOMEM;
    if (d.st == TS_OK)
        page_finish(&d); /* a bare mxGraphModel, or a file cut inside a page */
    ts_status st2 = ts_tsink_dispose(&d.sink);
    ts_sbuf_free(&d.compressed);
    ts_sbuf_free(&d.label);
    ts_sbuf_free(&d.props);
    ts_free(d.cells);
    ts_free(d.layers);
    ts_free(d.scratch);
    if (st == TS_ENOMEM || d.st != TS_OK)
        return TS_ENOMEM;
    return st2;
}

/* ---- the extractor -------------------------------------------------------------------------- */

static ts_status drawio_extract(ts_doc *doc, const ts_input *in)
{
    return ts_drawio_read(doc, "mxfile", (const char *)in->data, in->len);
}

static ts_status drawio_init(void)
{
    return ts_xml_init();
}

const struct ts_extractor ts_extractor_drawio = {
    .name = "drawio",
    .types = (const ts_type[]){TS_TYPE_DRAWIO, TS_TYPE_NONE},
    .init = drawio_init,
    .extract = drawio_extract,
    .rules = ts_drawing_rules,
};

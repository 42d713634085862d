/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Visio VSDX: shape text and data, masters (stencils), layers, connectors, comments, properties. */
#include "extract/drawing.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/checks.h"
#include "extract/office.h"
#include "extract/ooxml.h"

/*
 * A VSDX is an OPC package ([MS-VSDX]): visio/pages/pages.xml lists the pages with their names
 * and layers (PageSheet, Section N="Layer": Name, Visible) and relates each to its part
 * visio/pages/pageN.xml, which holds <Shape>s (nested in groups) with their <Text>, their
 * cells (LayerMember: the layers a shape belongs to; ObjType 2 = a connector), their shape
 * data (Section N="Property": rows with Label and Value) and user cells, and the <Connects>
 * between them. visio/masters/masters.xml names the masters (stencil shapes: "Router",
 * "Firewall"), visio/comments.xml holds comments by author. Each page is one `page`; a shape
 * whose layers are all hidden has its text at where = layer.
 */

#define MAX_DEPTH 64u /* nested group shapes kept apart; deeper ones join their parent */
#define NAME_BYTES 256u
#define MAX_LAYERS 256u

typedef struct vlayer {
    const char *name; /* arena */
    bool hidden;
    size_t texts;
} vlayer;

typedef struct vpage {
    const char *name; /* arena */
    const char *rel;  /* r:id of the page part */
    vlayer *layers;   /* arena */
    size_t nlayers;
} vpage;

typedef struct vmaster {
    unsigned long id;
    const char *name; /* arena */
} vmaster;

typedef struct vshape {
    unsigned long id;      /* ID, for what connectors join */
    size_t text_at, text_end; /* where the first <Text> is in `text` (text_at SIZE_MAX: none) */
    ts_sbuf text;          /* text, shape data, user cells: one line each */
    char desc[NAME_BYTES]; /* master and shape names */
    char layers[64];       /* LayerMember: "0;2" */
    bool connector;
} vshape;

typedef struct vglue {
    unsigned long from, to;
} vglue;

#define NODE_LABEL 96u /* bytes of a shape's visible text that name it in a join */

typedef struct vsdx {
    ts_opc o;
    ts_doc *doc;
    ts_status st;
    vpage *pages;
    size_t npages, cap_pages;
    vmaster *masters;
    size_t nmasters, cap_masters;
    /* pages.xml */
    vpage *cur;
    vlayer row;
    bool in_layer_section;
    size_t cap_layers;
    /* a page part */
    unsigned page;
    vpage *pg;
    vshape stack[MAX_DEPTH];
    unsigned depth; /* shapes open */
    bool in_text, in_props, in_user;
    char row_label[NAME_BYTES], row_value[1024], row_name[NAME_BYTES];
    bool in_row;
    vglue *glue; /* the page's <Connect>s: connector FromSheet glued to shape ToSheet */
    size_t nglue, cap_glue;
    ts_tsink sink;
    size_t hidden_texts;
} vsdx;

static void oom(vsdx *v, ts_status st)
{
    if (st != TS_OK && v->st == TS_OK)
        v->st = st;
}

static char *attr_dup(vsdx *v, int nattr, const char **attrs, const char *name)
{
    size_t n;
    const char *a = ts_xml_attr(nattr, attrs, name, &n);
    if (a == NULL || n == 0)
        return NULL;
    char *d = ts_doc_strndup(v->doc, a, n < NAME_BYTES ? n : NAME_BYTES);
    if (d == NULL)
        oom(v, TS_ENOMEM);
    return d;
}

/* ---- pages.xml: names, layers, relationships ------------------------------------------------ */

static void pages_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                        const char **attrs)
{
    (void)x;
    (void)uri;
    vsdx *v = u;
    if (v->st != TS_OK)
        return;
    if (strcmp(local, "Page") == 0) {
        if (v->npages >= ts_doc_limits(v->doc)->max_items ||
            ts_grow((void **)&v->pages, &v->cap_pages, v->npages + 1, sizeof(*v->pages)) != 0) {
            if (v->npages < ts_doc_limits(v->doc)->max_items)
                oom(v, TS_ENOMEM);
            v->cur = NULL;
            return;
        }
        v->cur = &v->pages[v->npages++];
        memset(v->cur, 0, sizeof(*v->cur));
        v->cap_layers = 0;
        v->cur->name = attr_dup(v, nattr, attrs, "Name");
        if (v->cur->name == NULL)
            v->cur->name = attr_dup(v, nattr, attrs, "NameU");
    } else if (v->cur == NULL) {
        return;
    } else if (strcmp(local, "Rel") == 0) {
        v->cur->rel = attr_dup(v, nattr, attrs, "id");
    } else if (strcmp(local, "Section") == 0) {
        v->in_layer_section = ts_xml_attr_is(nattr, attrs, "N", "Layer");
    } else if (strcmp(local, "Row") == 0 && v->in_layer_section) {
        v->row = (vlayer){0};
    } else if (strcmp(local, "Cell") == 0 && v->in_layer_section) {
        if (ts_xml_attr_is(nattr, attrs, "N", "Name"))
            v->row.name = attr_dup(v, nattr, attrs, "V");
        else if (ts_xml_attr_is(nattr, attrs, "N", "Visible"))
            v->row.hidden = ts_xml_attr_is(nattr, attrs, "V", "0");
    }
}

static void pages_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    vsdx *v = u;
    if (strcmp(local, "Section") == 0) {
        v->in_layer_section = false;
    } else if (strcmp(local, "Row") == 0 && v->in_layer_section && v->cur &&
               v->cur->nlayers < MAX_LAYERS) {
        /* layers live in the arena: grow by copying (a page has a handful) */
        if (v->cur->nlayers == v->cap_layers) {
            size_t cap = v->cap_layers ? v->cap_layers * 2 : 8;
            vlayer *nl = ts_doc_alloc(v->doc, cap * sizeof(*nl));
            if (nl == NULL) {
                oom(v, TS_ENOMEM);
                return;
            }
            if (v->cur->nlayers)
                memcpy(nl, v->cur->layers, v->cur->nlayers * sizeof(*nl));
            v->cur->layers = nl;
            v->cap_layers = cap;
        }
        if (v->row.name == NULL)
            v->row.name = ts_doc_printf(v->doc, "Layer %zu", v->cur->nlayers + 1);
        v->cur->layers[v->cur->nlayers++] = v->row;
    }
}

/* ---- masters.xml: stencil names ------------------------------------------------------------- */

static void masters_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                          const char **attrs)
{
    (void)x;
    (void)uri;
    vsdx *v = u;
    if (strcmp(local, "Master") != 0 || v->st != TS_OK ||
        v->nmasters >= ts_doc_limits(v->doc)->max_items)
        return;
    if (ts_grow((void **)&v->masters, &v->cap_masters, v->nmasters + 1, sizeof(*v->masters)) != 0) {
        oom(v, TS_ENOMEM);
        return;
    }
    vmaster *m = &v->masters[v->nmasters];
    m->id = ts_xml_attr_ulong(nattr, attrs, "ID", ULONG_MAX);
    m->name = attr_dup(v, nattr, attrs, "NameU");
    if (m->name == NULL)
        m->name = attr_dup(v, nattr, attrs, "Name");
    if (m->name)
        v->nmasters++;
}

static const char *master_name(const vsdx *v, unsigned long id)
{
    for (size_t i = 0; i < v->nmasters; i++)
        if (v->masters[i].id == id)
            return v->masters[i].name;
    return NULL;
}

/* ---- a page part ---------------------------------------------------------------------------- */

/* Is every layer the shape belongs to hidden? Its layer then names where its text sits. */
static vlayer *hidden_layer(vsdx *v, const char *members)
{
    vlayer *first = NULL;
    if (v->pg == NULL || members[0] == '\0')
        return NULL;
    for (const char *p = members; *p;) {
        unsigned long k = 0;
        bool digits = false;
        while (*p >= '0' && *p <= '9' && k < 100000) {
            k = k * 10 + (unsigned long)(*p++ - '0');
            digits = true;
        }
        if (digits) {
            if (k >= v->pg->nlayers || !v->pg->layers[k].hidden)
                return NULL; /* on a visible layer: the shape shows */
            if (first == NULL)
                first = &v->pg->layers[k];
        }
        while (*p && (*p < '0' || *p > '9'))
            p++;
    }
    return first;
}

static void shape_end(vsdx *v)
{
    vshape *s = &v->stack[v->depth - 1];
    /* a shape is named by its visible text (not its data rows), else by its master and name */
    char node[NODE_LABEL + 1] = "";
    if (s->text_at < s->text_end && s->text_end <= s->text.len && !s->text.oom) {
        size_t n = s->text_end - s->text_at;
        memcpy(node, s->text.p + s->text_at, n < NODE_LABEL ? n : NODE_LABEL);
        node[n < NODE_LABEL ? n : NODE_LABEL] = '\0';
    }
    const char *t = ts_sbuf_trim(&s->text);
    size_t tl = s->text.len;
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = v->page, .part = v->pg ? v->pg->name : NULL};
    if (s->text.oom)
        oom(v, TS_ENOMEM);
    if (s->connector) {
        /* a connector's text is text; it is no device */
    } else if (s->desc[0] || tl > 0) {
        char label[NAME_BYTES * 2];
        int n = snprintf(label, sizeof label, "%s %s", s->desc, t);
        size_t ln = n < 0 ? 0 : (size_t)n < sizeof label ? (size_t)n : sizeof label - 1;
        char id[32] = "";
        if (s->id != ULONG_MAX)
            snprintf(id, sizeof id, "%lu", s->id);
        oom(v, ts_doc_shape_id(v->doc, &loc, id, label, ln, node[0] ? node : s->desc,
                               strlen(node[0] ? node : s->desc)));
    }
    if (tl > 0) {
        vlayer *hl = hidden_layer(v, s->layers);
        if (hl) {
            hl->texts++;
            ts_tsink_place(&v->sink, TS_WHERE_LAYER, hl->name, v->page);
        } else {
            ts_tsink_place(&v->sink, TS_WHERE_DRAWING, loc.part, v->page);
        }
        ts_tsink_line(&v->sink, 0);
        ts_tsink_put(&v->sink, t, tl, v->sink.where);
    }
    ts_sbuf_free(&s->text);
    v->depth--;
}

static bool contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return true;
    return false;
}

static void page_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)x;
    (void)uri;
    vsdx *v = u;
    if (v->st != TS_OK) {
        ts_xml_stop(x);
        return;
    }
    vshape *s = v->depth > 0 ? &v->stack[v->depth - 1] : NULL;
    if (strcmp(local, "Shape") == 0) {
        if (v->depth >= MAX_DEPTH) {
            ts_sbuf_put(&s->text, "\n", 1); /* hostile input: too deep, joins its parent */
            return;
        }
        s = &v->stack[v->depth++];
        memset(s, 0, sizeof(*s));
        s->id = ts_xml_attr_ulong(nattr, attrs, "ID", ULONG_MAX);
        s->text_at = SIZE_MAX;
        char name[NAME_BYTES];
        ts_xml_attr_copy(nattr, attrs, "NameU", name, sizeof name);
        const char *m = master_name(v, ts_xml_attr_ulong(nattr, attrs, "Master", ULONG_MAX));
        snprintf(s->desc, sizeof s->desc, "%.120s%s%.120s", m ? m : "", m && name[0] ? " " : "",
                 name);
        if (m && (contains_ci(m, "connector") || contains_ci(m, "kobling")))
            s->connector = true;
    } else if (s == NULL) {
        if (strcmp(local, "Connect") == 0 && v->nglue < ts_doc_limits(v->doc)->max_items) {
            unsigned long from = ts_xml_attr_ulong(nattr, attrs, "FromSheet", ULONG_MAX);
            unsigned long to = ts_xml_attr_ulong(nattr, attrs, "ToSheet", ULONG_MAX);
            if (from != ULONG_MAX) {
                if (ts_grow((void **)&v->glue, &v->cap_glue, v->nglue + 1, sizeof(*v->glue)) != 0)
                    oom(v, TS_ENOMEM);
                else
                    v->glue[v->nglue++] = (vglue){.from = from, .to = to};
            }
        }
    } else if (strcmp(local, "Text") == 0) {
        v->in_text = true;
        if (s->text.len > 0)
            ts_sbuf_put(&s->text, "\n", 1);
        if (s->text_at == SIZE_MAX)
            s->text_at = s->text_end = s->text.len;
    } else if (strcmp(local, "Section") == 0) {
        v->in_props = ts_xml_attr_is(nattr, attrs, "N", "Property");
        v->in_user = ts_xml_attr_is(nattr, attrs, "N", "User");
    } else if (strcmp(local, "Row") == 0 && (v->in_props || v->in_user)) {
        v->in_row = true;
        v->row_label[0] = v->row_value[0] = '\0';
        ts_xml_attr_copy(nattr, attrs, "N", v->row_name, sizeof v->row_name);
    } else if (strcmp(local, "Cell") == 0) {
        if (v->in_row && ts_xml_attr_is(nattr, attrs, "N", "Value"))
            ts_xml_attr_copy(nattr, attrs, "V", v->row_value, sizeof v->row_value);
        else if (v->in_row && ts_xml_attr_is(nattr, attrs, "N", "Label"))
            ts_xml_attr_copy(nattr, attrs, "V", v->row_label, sizeof v->row_label);
        else if (!v->in_row && ts_xml_attr_is(nattr, attrs, "N", "LayerMember"))
            ts_xml_attr_copy(nattr, attrs, "V", s->layers, sizeof s->layers);
        else if (!v->in_row && ts_xml_attr_is(nattr, attrs, "N", "ObjType") &&
                 ts_xml_attr_is(nattr, attrs, "V", "2"))
            s->connector = true;
    }
}

static void page_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    vsdx *v = u;
    if (v->depth == 0)
        return;
    vshape *s = &v->stack[v->depth - 1];
    if (strcmp(local, "Shape") == 0) {
        shape_end(v);
    } else if (strcmp(local, "Text") == 0) {
        v->in_text = false;
        if (s->text_end == s->text_at)
            s->text_end = s->text.len;
    } else if (strcmp(local, "Section") == 0) {
        v->in_props = v->in_user = false;
    } else if (strcmp(local, "Row") == 0 && v->in_row) {
        v->in_row = false;
        /* shape data as "Label: Value" ("IP-adresse: 10.20.1.1"); the row name when unlabelled */
        const char *label = v->row_label[0] ? v->row_label : v->row_name;
        if (v->row_value[0] == '\0')
            return;
        if (s->text.len > 0)
            ts_sbuf_put(&s->text, "\n", 1);
        ts_sbuf_put(&s->text, label, strlen(label));
        ts_sbuf_put(&s->text, ": ", 2);
        ts_sbuf_put(&s->text, v->row_value, strlen(v->row_value));
    }
}

static void page_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    vsdx *v = u;
    if (v->in_text && v->depth > 0)
        ts_sbuf_put(&v->stack[v->depth - 1].text, t, len);
}

static int cmp_glue(const void *a, const void *b)
{
    const vglue *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

/*
 * Connectors: distinct shapes glued by their begin or end (FromSheet), each reported with the
 * two shapes it is glued to (ToSheet), or with none when it is glued to fewer.
 */
static void report_connectors(vsdx *v, const ts_loc *loc)
{
    if (v->nglue > 1)
        qsort(v->glue, v->nglue, sizeof(*v->glue), cmp_glue);
    for (size_t i = 0; i < v->nglue && v->st == TS_OK;) {
        size_t j = i, ends = 0;
        char a[32] = "", b[32] = "";
        for (; j < v->nglue && v->glue[j].from == v->glue[i].from; j++) {
            if ((j > i && v->glue[j].to == v->glue[j - 1].to) || v->glue[j].to == ULONG_MAX)
                continue;
            if (ends < 2)
                snprintf(ends == 0 ? a : b, sizeof a, "%lu", v->glue[j].to);
            ends++;
        }
        oom(v, ts_doc_edge(v->doc, loc, ends >= 2 ? a : NULL, ends >= 2 ? b : NULL));
        i = j;
    }
}

static ts_status read_page(vsdx *v, size_t idx, unsigned page, vpage *pg)
{
    ts_doc *doc = v->doc;
    v->page = page;
    v->pg = pg;
    v->depth = 0;
    v->nglue = 0;
    v->in_text = v->in_props = v->in_user = v->in_row = false;
    const char *pname = pg && pg->name ? pg->name : ts_zip_name(v->o.z, idx);
    oom(v, ts_doc_page_name(doc, page, pname));
    ts_tsink_place(&v->sink, TS_WHERE_DRAWING, pname, page);
    /* layer names are text (where = layer) */
    for (size_t i = 0; pg && i < pg->nlayers; i++) {
        ts_tsink_place(&v->sink, TS_WHERE_LAYER, pg->layers[i].name, page);
        ts_tsink_line(&v->sink, 0);
        ts_tsink_put(&v->sink, pg->layers[i].name, strlen(pg->layers[i].name), TS_WHERE_LAYER);
    }
    ts_xml_handler h = {.start = page_start, .end = page_end, .text = page_text};
    ts_status st = ts_opc_parse(&v->o, idx, &h, v);
    while (v->depth > 0) /* a part cut short: what was read still counts */
        shape_end(v);
    oom(v, ts_tsink_flush(&v->sink));
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = page, .part = pname};
    report_connectors(v, &loc);
    for (size_t i = 0; pg && i < pg->nlayers && v->st == TS_OK; i++) {
        const vlayer *l = &pg->layers[i];
        if (!l->hidden || l->texts == 0)
            continue;
        ts_loc ll = {.where = TS_WHERE_LAYER, .page = page, .part = l->name};
        char *d = ts_doc_printf(doc, "hidden layer with %zu shape%s with text on page %s", l->texts,
                                l->texts == 1 ? "" : "s", pname);
        oom(v, d ? ts_doc_flag(doc, "hidden.hidden-layer", &ll, l->name, d) : TS_ENOMEM);
    }
    return st != TS_OK ? st : v->st;
}

/* ---- comments and document properties ------------------------------------------------------- */

typedef struct cstate {
    vsdx *v;
    char **authors; /* by AuthorEntry order; IDs are small numbers */
    unsigned long *ids;
    size_t nauthors, cap_a, cap_i;
    ts_tally tally;
    ts_tsink sink;
    bool in_entry;
    unsigned long author;
} cstate;

static void com_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)x;
    (void)uri;
    cstate *c = u;
    if (strcmp(local, "AuthorEntry") == 0 && c->nauthors < 10000) {
        if (ts_grow((void **)&c->authors, &c->cap_a, c->nauthors + 1, sizeof(*c->authors)) ||
            ts_grow((void **)&c->ids, &c->cap_i, c->nauthors + 1, sizeof(*c->ids))) {
            oom(c->v, TS_ENOMEM);
            return;
        }
        c->ids[c->nauthors] = ts_xml_attr_ulong(nattr, attrs, "ID", ULONG_MAX);
        c->authors[c->nauthors] = attr_dup(c->v, nattr, attrs, "Name");
        if (c->authors[c->nauthors] == NULL)
            c->authors[c->nauthors] = attr_dup(c->v, nattr, attrs, "Initials");
        c->nauthors++;
    } else if (strcmp(local, "CommentEntry") == 0) {
        c->in_entry = true;
        c->author = ts_xml_attr_ulong(nattr, attrs, "AuthorID", ULONG_MAX);
        ts_tsink_line(&c->sink, 0);
    }
}

static void com_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    cstate *c = u;
    if (strcmp(local, "CommentEntry") != 0)
        return;
    c->in_entry = false;
    const char *name = "";
    for (size_t i = 0; i < c->nauthors; i++)
        if (c->ids[i] == c->author && c->authors[i])
            name = c->authors[i];
    oom(c->v, ts_tally_add(&c->tally, name, strlen(name), 0));
}

static void com_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    cstate *c = u;
    if (c->in_entry)
        ts_tsink_put(&c->sink, t, len, TS_WHERE_COMMENT);
}

static ts_status read_comments(vsdx *v)
{
    size_t idx = ts_zip_find(v->o.z, "visio/comments.xml");
    if (idx == TS_ZIP_NONE)
        return TS_OK;
    cstate c = {.v = v};
    ts_tsink_init(&c.sink, v->doc, TS_WHERE_COMMENT, ts_zip_name(v->o.z, idx));
    ts_xml_handler h = {.start = com_start, .end = com_end, .text = com_text};
    ts_status st = ts_opc_parse(&v->o, idx, &h, &c);
    ts_status s2 = ts_tsink_dispose(&c.sink);
    ts_tally none = {0};
    if (st == TS_OK && v->st == TS_OK)
        st = ts_office_flag_people(v->doc, NULL, &none, &c.tally);
    ts_tally_free(&c.tally);
    ts_free(c.authors);
    ts_free(c.ids);
    return st != TS_OK ? st : s2;
}

/* ---- the extractor -------------------------------------------------------------------------- */

static bool has_prefix_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

static ts_status read_pages(vsdx *v)
{
    ts_status st = TS_OK;
    size_t idx = ts_zip_find(v->o.z, "visio/pages/pages.xml");
    ts_opc_rels rels = {0};
    if (idx != TS_ZIP_NONE) {
        ts_xml_handler h = {.start = pages_start, .end = pages_end};
        if ((st = ts_opc_parse(&v->o, idx, &h, v)) != TS_OK || v->st != TS_OK)
            return st != TS_OK ? st : v->st;
        if ((st = ts_opc_rels_of(&v->o, "visio/pages/pages.xml", &rels)) != TS_OK)
            return st;
    }
    for (size_t i = 0; i < v->npages && st == TS_OK; i++) {
        vpage *pg = &v->pages[i];
        const ts_opc_rel *r = pg->rel ? ts_opc_rel_id(&rels, pg->rel, strlen(pg->rel)) : NULL;
        size_t part = r && !r->external ? ts_opc_part(&v->o, r->target) : TS_ZIP_NONE;
        if (part != TS_ZIP_NONE && !v->o.done[part])
            st = read_page(v, part, (unsigned)(i + 1), pg);
    }
    /* pages no relationship named are still read */
    unsigned next = (unsigned)v->npages;
    for (size_t i = 0; i < ts_zip_count(v->o.z) && st == TS_OK; i++) {
        const char *name = ts_zip_name(v->o.z, i);
        if (name && !v->o.done[i] && has_prefix_ci(name, "visio/pages/page") &&
            ends_with_ci(name, ".xml"))
            st = read_page(v, i, ++next, NULL);
    }
    return st;
}

static ts_status vsdx_extract(ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK;
    vsdx *v = ts_calloc(1, sizeof(*v));
    if (v == NULL)
        return TS_ENOMEM;
    v->doc = doc;
    v->o.doc = doc;
    st = ts_zip_open(&v->o.z, doc, in);
    if (st != TS_OK) {
        ts_free(v);
        return st == TS_ENOMEM ? st : TS_OK;
    }
    size_t n = ts_zip_count(v->o.z);
    v->o.done = ts_calloc(n ? n : 1, sizeof(*v->o.done));
    v->o.ctype = ts_calloc(n ? n : 1, sizeof(*v->o.ctype));
    ts_tsink_init(&v->o.meta, doc, TS_WHERE_METADATA, NULL);
    ts_tsink_init(&v->sink, doc, TS_WHERE_DRAWING, NULL);
    if (v->o.done == NULL || v->o.ctype == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    size_t mi = ts_zip_find(v->o.z, "visio/masters/masters.xml");
    if (mi != TS_ZIP_NONE) {
        ts_xml_handler h = {.start = masters_start};
        st = ts_opc_parse(&v->o, mi, &h, v);
    }
    if (st == TS_OK && v->st == TS_OK)
        st = read_pages(v);
    if (st == TS_OK && v->st == TS_OK)
        st = read_comments(v);
    static const char *const props[] = {"docProps/core.xml", "docProps/app.xml",
                                        "docProps/custom.xml"};
    for (size_t i = 0; i < 3 && st == TS_OK && v->st == TS_OK; i++)
        st = ts_opc_props(&v->o, props[i]);
    /* masters' own text (shown by every shape that has none of its own), and what is left */
    for (size_t i = 0; i < n && st == TS_OK && v->st == TS_OK; i++) {
        const char *name = ts_zip_name(v->o.z, i);
        if (name == NULL || v->o.done[i] || ts_zip_is_dir(v->o.z, i))
            continue;
        if (has_prefix_ci(name, "visio/masters/") && ends_with_ci(name, ".xml"))
            st = ts_opc_generic(&v->o, i, TS_WHERE_DRAWING);
        else if (has_prefix_ci(name, "visio/embeddings/") ||
                 (has_prefix_ci(name, "visio/media/") && !ends_with_ci(name, ".emf") &&
                  !ends_with_ci(name, ".wmf"))) {
            unsigned char *data = NULL;
            size_t len = 0;
            ts_status rs = ts_zip_read(v->o.z, i, &data, &len);
            if (rs == TS_OK) {
                ts_loc loc = {.where = TS_WHERE_ATTACHMENT, .part = name};
                if (has_prefix_ci(name, "visio/embeddings/"))
                    st = ts_doc_flag(doc, "hidden.embedded-file", &loc, strrchr(name, '/') + 1,
                                     name);
                if (st == TS_OK)
                    st = ts_doc_child(doc, ts_zip_name_safe(name) ? name : "embedded", data, len);
            } else if (rs == TS_ENOMEM) {
                st = rs;
            }
            ts_free(data);
        } else if (ends_with_ci(name, "vbaProject.bin")) {
            st = ts_opc_macros(&v->o, name);
        }
    }
out:;
    ts_status s2 = ts_tsink_dispose(&v->sink);
    ts_status s3 = ts_tsink_dispose(&v->o.meta);
    if (st == TS_OK)
        st = v->st != TS_OK ? v->st : s2 != TS_OK ? s2 : s3;
    for (unsigned i = 0; i < MAX_DEPTH; i++)
        ts_sbuf_free(&v->stack[i].text);
    ts_free(v->pages);
    ts_free(v->masters);
    ts_free(v->glue);
    ts_free(v->o.done);
    ts_free(v->o.ctype);
    ts_zip_close(v->o.z);
    ts_free(v);
    return st == TS_ENOMEM ? st : TS_OK;
}

static ts_status vsdx_init(void)
{
    return ts_xml_init();
}

const struct ts_extractor ts_extractor_vsdx = {
    .name = "vsdx",
    .types = (const ts_type[]){TS_TYPE_VSDX, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .init = vsdx_init,
    .extract = vsdx_extract,
    .rules = ts_drawing_rules,
};

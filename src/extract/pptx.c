/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PresentationML (PPTX, PPTM): slide text, speaker notes, comments, hidden slides, off-slide text.
 */
#include "extract/ooxml.h"

#include <stdio.h>
#include <string.h>

#include "detect/checks.h"

/*
 * location.page is the slide number (its place in the slide list), location.part the slide or
 * notes part, location.line the paragraph number within it. Text of a hidden slide is
 * `hidden-slide`, text of a shape placed wholly outside the slide `hidden-text`, notes `notes`.
 */

#define MAX_SLIDES 10000u

typedef struct author {
    char *id, *name;
} author;

typedef struct slide_state {
    ts_opc *o;
    ts_tsink sink;
    ts_where base;
    long long slide_cx, slide_cy;
    bool notes;        /* a notes slide: count only the notes body placeholder */
    unsigned sp_tree;  /* depth of p:spTree */
    unsigned sp_depth; /* depth of the current top-level shape, 0 = none */
    bool in_xfrm, off_slide, body_ph;
    long long x, y;
    unsigned long para;
    bool in_t;
    unsigned skip_depth;
    size_t off_chars, note_chars;
    /* for the diagram verdict (src/detect/checks.c): each top-level shape's text, connectors */
    char label[256];
    size_t label_len;
    char sp_id[32];                /* the shape's cNvPr id, which connectors refer to */
    char cxn_from[32], cxn_to[32]; /* a connector's stCxn and endCxn ids */
    bool is_cxn;
    /* tables */
    unsigned tbl;                     /* a:tbl nesting depth */
    bool in_cell, new_row;            /* inside a cell; its row has no cell yet */
    unsigned long next_col, span_end; /* the next grid column; the end of the last span */
    unsigned long cells;              /* cells handed to the sink in the row */
    unsigned cell_paras;
    unsigned page;
    ts_status st;
} slide_state;

static long long attr_ll(int nattr, const char **attrs, const char *local)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, local, &n);
    long long r = 0;
    bool neg = false;
    size_t i = 0;
    if (v == NULL)
        return 0;
    if (n > 0 && v[0] == '-') {
        neg = true;
        i = 1;
    }
    for (; i < n && i < 18 && v[i] >= '0' && v[i] <= '9'; i++)
        r = r * 10 + (v[i] - '0');
    return neg ? -r : r;
}

#define MAX_GRID_COL 16384u /* hostile input: grid columns counted */
#define PAD_COLS 256u

/*
 * A cell: at the next grid column, or past the columns a gridSpan cell covers when the writer
 * left out their hMerge cells. Columns skipped become empty cells, so that the row's text has a
 * tab per column, as the detection engine's own reading of tab-separated rows expects.
 */
static void start_cell(slide_state *s, int nattr, const char **attrs)
{
    bool covered = ts_xml_attr_bool(nattr, attrs, "hMerge", false);
    unsigned long col = s->next_col;
    if (!covered && s->span_end > col)
        col = s->span_end;
    unsigned long span = ts_xml_attr_ulong(nattr, attrs, "gridSpan", 1);
    if (span == 0 || covered)
        span = 1;
    if (col > MAX_GRID_COL)
        col = MAX_GRID_COL;
    if (span > MAX_GRID_COL)
        span = MAX_GRID_COL;
    if (s->new_row)
        s->cells = 0;
    while (s->cells < col && s->cells < PAD_COLS) {
        ts_tsink_cell(&s->sink, s->para + 1, s->cells++, NULL, s->new_row);
        s->new_row = false;
    }
    ts_tsink_cell(&s->sink, s->para + 1, col, NULL, s->new_row);
    s->cells = col + 1;
    s->new_row = false;
    s->next_col = col + 1;
    if (!covered)
        s->span_end = col + span;
    s->in_cell = true;
    s->cell_paras = 0;
}

static void slide_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                        const char **attrs)
{
    slide_state *s = u;
    unsigned d = ts_xml_depth(x);
    if (s->skip_depth)
        return;
    if (strcmp(local, "t") == 0) {
        s->in_t = true;
    } else if (strcmp(local, "p") == 0) {
        s->para++;
        if (!s->in_cell)
            ts_tsink_line(&s->sink, s->para);
        else if (s->cell_paras++ > 0) /* a cell's text stays on its line */
            ts_tsink_put(&s->sink, " ", 1, s->off_slide ? TS_WHERE_HIDDEN_TEXT : s->base);
    } else if (strcmp(local, "br") == 0) {
        ts_tsink_put(&s->sink, s->in_cell ? " " : "\n", 1,
                     s->off_slide ? TS_WHERE_HIDDEN_TEXT : s->base);
    } else if (strcmp(local, "tbl") == 0) {
        if (s->tbl++ == 0)
            ts_tsink_table(&s->sink);
    } else if (strcmp(local, "tr") == 0 && s->tbl == 1) {
        s->new_row = true;
        s->next_col = s->span_end = 0;
    } else if (strcmp(local, "tc") == 0 && s->tbl == 1) {
        start_cell(s, nattr, attrs);
    } else if (strcmp(local, "spTree") == 0) {
        s->sp_tree = d;
    } else if (s->sp_tree && d == s->sp_tree + 1) {
        /* a top-level shape, picture, group or graphic frame */
        s->sp_depth = d;
        s->off_slide = false;
        s->body_ph = !s->notes;
        s->label_len = 0;
        s->sp_id[0] = s->cxn_from[0] = s->cxn_to[0] = '\0';
        s->is_cxn = strcmp(local, "cxnSp") == 0;
    } else if (s->sp_depth && d == s->sp_depth + 2 && strcmp(local, "cNvPr") == 0) {
        ts_xml_attr_copy(nattr, attrs, "id", s->sp_id, sizeof s->sp_id);
    } else if (s->is_cxn && strcmp(local, "stCxn") == 0) {
        ts_xml_attr_copy(nattr, attrs, "id", s->cxn_from, sizeof s->cxn_from);
    } else if (s->is_cxn && strcmp(local, "endCxn") == 0) {
        ts_xml_attr_copy(nattr, attrs, "id", s->cxn_to, sizeof s->cxn_to);
    } else if (strcmp(local, "ph") == 0 && s->notes) {
        size_t n;
        const char *t = ts_xml_attr(nattr, attrs, "type", &n);
        s->body_ph = t == NULL || (n == 4 && memcmp(t, "body", 4) == 0);
    } else if (strcmp(local, "xfrm") == 0 && s->sp_depth && d <= s->sp_depth + 2) {
        s->in_xfrm = true;
    } else if (s->in_xfrm && strcmp(local, "off") == 0) {
        s->x = attr_ll(nattr, attrs, "x");
        s->y = attr_ll(nattr, attrs, "y");
    } else if (s->in_xfrm && strcmp(local, "ext") == 0 && s->slide_cx > 0 && s->slide_cy > 0) {
        long long cx = attr_ll(nattr, attrs, "cx"), cy = attr_ll(nattr, attrs, "cy");
        s->off_slide =
            s->x >= s->slide_cx || s->y >= s->slide_cy || s->x + cx <= 0 || s->y + cy <= 0;
    } else if (strcmp(local, "Fallback") == 0 && uri && strstr(uri, "markup-compatibility")) {
        s->skip_depth = d;
    }
}

static void slide_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    slide_state *s = u;
    unsigned d = ts_xml_depth(x);
    if (s->skip_depth) {
        if (d == s->skip_depth)
            s->skip_depth = 0;
        return;
    }
    if (strcmp(local, "t") == 0)
        s->in_t = false;
    else if (strcmp(local, "tc") == 0 && s->tbl == 1)
        s->in_cell = false;
    else if (strcmp(local, "tbl") == 0 && s->tbl > 0) {
        if (--s->tbl == 0) {
            s->in_cell = false;
            ts_tsink_table_end(&s->sink);
        }
    } else if (strcmp(local, "xfrm") == 0)
        s->in_xfrm = false;
    else if (d == s->sp_depth) {
        ts_loc loc = {.where = TS_WHERE_DRAWING, .page = s->page};
        if (!s->notes && s->is_cxn && s->st == TS_OK)
            s->st = ts_doc_edge(s->o->doc, &loc, s->cxn_from, s->cxn_to);
        else if (!s->notes && s->label_len > 0 && s->st == TS_OK)
            s->st = ts_doc_shape_id(s->o->doc, &loc, s->sp_id, s->label, s->label_len, NULL, 0);
        s->sp_depth = 0;
        s->off_slide = false;
    } else if (d == s->sp_tree)
        s->sp_tree = 0;
}

static void slide_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    slide_state *s = u;
    if (!s->in_t || s->skip_depth)
        return;
    ts_where where = s->base;
    if (s->off_slide) {
        where = TS_WHERE_HIDDEN_TEXT;
        s->off_chars += len;
    }
    if (s->notes && s->body_ph)
        for (size_t i = 0; i < len; i++)
            if (t[i] != ' ' && t[i] != '\t')
                s->note_chars++;
    if (s->sp_depth && !s->notes && s->label_len + len + 1 < sizeof s->label) {
        if (s->label_len > 0)
            s->label[s->label_len++] = ' ';
        memcpy(s->label + s->label_len, t, len);
        s->label_len += len;
    }
    ts_tsink_put(&s->sink, t, len, where);
}

/* Read a slide or notes part; *note_chars counts the text of the notes body. */
static ts_status read_slide(ts_opc *o, size_t idx, unsigned page, const slide_state *tmpl,
                            bool notes, size_t *note_chars)
{
    if (idx == TS_ZIP_NONE || o->done[idx])
        return TS_OK;
    slide_state s = *tmpl;
    s.o = o;
    s.notes = notes;
    if (notes)
        s.base = TS_WHERE_NOTES;
    ts_tsink_init(&s.sink, o->doc, s.base, ts_zip_name(o->z, idx));
    s.sink.page = page;
    s.page = page;
    ts_xml_handler h = {.start = slide_start, .end = slide_end, .text = slide_text};
    ts_status st = ts_opc_parse(o, idx, &h, &s);
    ts_status st2 = ts_tsink_dispose(&s.sink);
    if (st == TS_OK)
        st = st2 != TS_OK ? st2 : s.st;
    if (note_chars)
        *note_chars = s.note_chars;
    if (st == TS_OK && s.off_chars > 0) {
        ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT, .page = page, .part = ts_zip_name(o->z, idx)};
        char *v = ts_doc_printf(o->doc, "slide %u", page);
        char *d = ts_doc_printf(o->doc, "%zu characters of text outside the visible slide area",
                                s.off_chars);
        st = v && d ? ts_doc_flag(o->doc, "hidden.hidden-text", &loc, v, d) : TS_ENOMEM;
    }
    return st;
}

/* The slide's root says show="0" before any text: a hidden slide's text is all hidden-slide. */
static void root_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)uri;
    (void)local;
    if (ts_xml_depth(x) == 1) {
        *(bool *)u = !ts_xml_attr_bool(nattr, attrs, "show", true);
        ts_xml_stop(x);
    }
}

/* ---- presentation.xml: slide order and size ------------------------------------------------ */

typedef struct pres_state {
    ts_doc *doc;
    char **rids;
    size_t n, cap;
    long long cx, cy;
    ts_status st;
} pres_state;

static void pres_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)x;
    (void)uri;
    pres_state *p = u;
    size_t n;
    if (strcmp(local, "sldId") == 0 && p->st == TS_OK && p->n < MAX_SLIDES) {
        const char *rid = ts_xml_attr(nattr, attrs, "id", &n);
        /* sldId has an id="256" of its own and r:id="rId2": take the namespaced one */
        for (int i = 0; i < nattr; i++) {
            const char **a = attrs + 5 * i;
            if (strcmp(a[0], "id") == 0 && a[2] != NULL) {
                rid = a[3];
                n = (size_t)(a[4] - a[3]);
            }
        }
        if (rid == NULL)
            return;
        if (ts_grow((void **)&p->rids, &p->cap, p->n + 1, sizeof(*p->rids)) != 0) {
            p->st = TS_ENOMEM;
            return;
        }
        p->rids[p->n] = ts_doc_strndup(p->doc, rid, n);
        if (p->rids[p->n] == NULL)
            p->st = TS_ENOMEM;
        else
            p->n++;
    } else if (strcmp(local, "sldSz") == 0) {
        p->cx = attr_ll(nattr, attrs, "cx");
        p->cy = attr_ll(nattr, attrs, "cy");
    }
}

/* ---- comments (legacy p:cmLst and modern p188:cmLst) and their authors -------------------- */

typedef struct cm_state {
    ts_opc *o;
    ts_tsink sink;
    author *authors;
    size_t nauthors, cap;
    ts_tally *tally;
    bool in_text;
    unsigned long n;
    ts_status st;
} cm_state;

static void authors_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                          const char **attrs)
{
    (void)x;
    (void)uri;
    cm_state *c = u;
    size_t in, nn;
    if ((strcmp(local, "cmAuthor") != 0 && strcmp(local, "author") != 0) || c->st != TS_OK ||
        c->nauthors >= 10000)
        return;
    const char *id = ts_xml_attr(nattr, attrs, "id", &in);
    const char *name = ts_xml_attr(nattr, attrs, "name", &nn);
    if (id == NULL || name == NULL)
        return;
    if (ts_grow((void **)&c->authors, &c->cap, c->nauthors + 1, sizeof(*c->authors)) != 0) {
        c->st = TS_ENOMEM;
        return;
    }
    c->authors[c->nauthors].id = ts_doc_strndup(c->o->doc, id, in);
    c->authors[c->nauthors].name = ts_doc_strndup(c->o->doc, name, nn);
    if (c->authors[c->nauthors].id == NULL || c->authors[c->nauthors].name == NULL) {
        c->st = TS_ENOMEM;
        return;
    }
    c->nauthors++;
    char user[256];
    if (ts_xml_attr_copy(nattr, attrs, "userId", user, sizeof user) &&
        (strchr(user, '@') != NULL || strchr(user, '\\') != NULL)) {
        ts_loc loc = {.where = TS_WHERE_METADATA, .part = "ppt/authors.xml"};
        c->st = ts_office_person(c->o->doc, &loc, user, "account of a comment author",
                                 "metadata.user-name");
    }
}

static void cm_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                     const char **attrs)
{
    (void)x;
    (void)uri;
    cm_state *c = u;
    size_t n;
    if (strcmp(local, "cm") == 0 && c->st == TS_OK) {
        const char *id = ts_xml_attr(nattr, attrs, "authorId", &n);
        const char *who = "";
        for (size_t i = 0; id && i < c->nauthors; i++)
            if (strlen(c->authors[i].id) == n && memcmp(c->authors[i].id, id, n) == 0)
                who = c->authors[i].name;
        c->st = ts_tally_add(c->tally, who, strlen(who), 0);
        ts_tsink_line(&c->sink, ++c->n);
    } else if (strcmp(local, "text") == 0 || strcmp(local, "t") == 0) {
        c->in_text = true;
    }
}

static void cm_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    cm_state *c = u;
    if (strcmp(local, "text") == 0 || strcmp(local, "t") == 0)
        c->in_text = false;
}

static void cm_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    cm_state *c = u;
    if (c->in_text)
        ts_tsink_put(&c->sink, t, len, TS_WHERE_COMMENT);
}

static ts_status read_comments(ts_opc *o, size_t idx, unsigned page, cm_state *c)
{
    if (idx == TS_ZIP_NONE || o->done[idx])
        return TS_OK;
    ts_tsink_init(&c->sink, o->doc, TS_WHERE_COMMENT, ts_zip_name(o->z, idx));
    c->sink.page = page;
    c->n = 0;
    ts_xml_handler h = {.start = cm_start, .end = cm_end, .text = cm_text};
    ts_status st = ts_opc_parse(o, idx, &h, c);
    ts_status st2 = ts_tsink_dispose(&c->sink);
    if (st == TS_OK)
        st = st2 != TS_OK ? st2 : c->st;
    return st;
}

/* ---- the presentation ----------------------------------------------------------------------- */

static ts_status flag_notes(ts_opc *o, const char *list, size_t nslides)
{
    if (nslides == 0)
        return TS_OK;
    ts_loc loc = {.where = TS_WHERE_NOTES};
    char *v = ts_doc_printf(o->doc, "%zu slide%s with notes", nslides, nslides == 1 ? "" : "s");
    char *d = ts_doc_printf(o->doc, "speaker notes on slide%s %s", nslides == 1 ? "" : "s", list);
    return v && d ? ts_doc_flag(o->doc, "hidden.speaker-notes", &loc, v, d) : TS_ENOMEM;
}

ts_status ts_pptx_read(ts_opc *o, size_t main)
{
    ts_opc_rels rels;
    pres_state p = {.doc = o->doc};
    ts_tally tally = {0};
    cm_state cm = {.o = o, .tally = &tally};
    char notes_list[256] = "";
    size_t nnotes = 0, k;
    const char *main_name = ts_zip_name(o->z, main);
    ts_status st = ts_opc_rels_of(o, main_name, &rels);
    if (st == TS_OK) {
        ts_xml_handler h = {.start = pres_start};
        st = ts_opc_parse(o, main, &h, &p);
        if (st == TS_OK)
            st = p.st;
    }
    static const char *const author_types[] = {"commentAuthors", "authors"};
    for (size_t t = 0; t < 2 && st == TS_OK; t++) {
        k = 0;
        const ts_opc_rel *r;
        while (st == TS_OK && (r = ts_opc_rel_type(&rels, author_types[t], &k)) != NULL) {
            ts_xml_handler h = {.start = authors_start};
            st = ts_opc_parse(o, ts_opc_part(o, r->target), &h, &cm);
            if (st == TS_OK)
                st = cm.st;
        }
    }
    slide_state tmpl = {.slide_cx = p.cx, .slide_cy = p.cy};
    for (size_t i = 0; i < p.n && st == TS_OK; i++) {
        const ts_opc_rel *r = ts_opc_rel_id(&rels, p.rids[i], strlen(p.rids[i]));
        if (r == NULL || r->external)
            continue;
        size_t idx = ts_opc_part(o, r->target);
        unsigned page = (unsigned)(i + 1);
        bool hidden = false;
        if (idx == TS_ZIP_NONE || o->done[idx])
            continue;
        /* a first look at the root element only: is the slide hidden? */
        ts_xml_handler hr = {.start = root_start};
        st = ts_opc_soft(ts_xml_parse_zip(o->z, idx, &hr, &hidden));
        if (st != TS_OK)
            break;
        slide_state t = tmpl;
        if (hidden) {
            ts_loc loc = {.where = TS_WHERE_HIDDEN_SLIDE, .page = page, .part = r->target};
            char *v = ts_doc_printf(o->doc, "slide %u", page);
            st =
                v ? ts_doc_flag(o->doc, "hidden.hidden-slide", &loc, v, "hidden slide") : TS_ENOMEM;
        }
        slide_state *tp = &t;
        if (st == TS_OK) {
            ts_opc_rels srels;
            tp->base = hidden ? TS_WHERE_HIDDEN_SLIDE : TS_WHERE_BODY;
            st = read_slide(o, idx, page, tp, false, NULL);
            if (st == TS_OK)
                st = ts_opc_rels_of(o, r->target, &srels);
            for (size_t j = 0; j < srels.n && st == TS_OK; j++) {
                const ts_opc_rel *sr = &srels.v[j];
                size_t pidx = sr->external ? TS_ZIP_NONE : ts_opc_part(o, sr->target);
                if (strcmp(sr->type, "notesSlide") == 0) {
                    size_t chars = 0;
                    st = read_slide(o, pidx, page, &tmpl, true, &chars);
                    if (chars > 0 && nnotes++ < 40) {
                        size_t l = strlen(notes_list);
                        snprintf(notes_list + l, sizeof notes_list - l, "%s%u", l ? ", " : "",
                                 page);
                    }
                } else if (strcmp(sr->type, "comments") == 0) {
                    st = read_comments(o, pidx, page, &cm);
                }
            }
        }
    }
    if (st == TS_OK)
        st = flag_notes(o, notes_list, nnotes);
    ts_tally none = {0};
    if (st == TS_OK)
        st = ts_office_flag_people(o->doc, NULL, &none, &tally);
    ts_free(p.rids);
    ts_free(cm.authors);
    ts_tally_free(&tally);
    return st;
}

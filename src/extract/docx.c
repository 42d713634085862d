/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WordprocessingML (DOCX, DOCM, DOTX): body, headers, footers, notes, comments, revisions. */
#include "extract/ooxml.h"

#include <string.h>

/*
 * Every paragraph is read twice at once: as it reads now (current text, with inserted and hidden
 * runs marked so that findings in them say so) and, when it has tracked deletions, as it read
 * before (the deleted runs in place, so "Passord: " in the body still labels a deleted value).
 * The second view only reports findings that touch deleted text (ts_tsink.only_ranges).
 *
 * Tables (w:tbl, ECMA-376-1 §17.4) go to both sinks as tables: a w:tc is a cell at its grid
 * column (w:gridBefore and w:gridSpan move the next cell on), its paragraphs joined on its line.
 * A table inside a cell is flattened into that cell. The second view gets a row only when it has
 * deletions, or while its table still looks for a header row: a row is gathered first
 * (rowpiece) and handed over whole, so the header and the row's label are there for the value.
 */

#define MAX_HIDDEN_STYLES 256u
#define SNIPPET_BYTES 60u
#define MAX_GRID_COL 16384u /* hostile input: grid columns counted (w:gridSpan, w:gridBefore) */

#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

typedef struct span {
    size_t start, end;
} span;

/* A piece of a table row as it read before its deletions: a cell start, or text of a cell. */
typedef struct rowpiece {
    bool cell;
    unsigned long col, line; /* of a cell start */
    size_t start, end;       /* text in word_state.orow */
    ts_where where;
} rowpiece;

typedef struct word_state {
    ts_opc *o;
    const char *part;
    ts_where base;
    ts_tsink cur;  /* the paragraph as it reads now */
    ts_tsink orig; /* paragraphs with deletions, as they read before */
    char **hidden_styles;
    size_t nhidden_styles;

    unsigned long para;
    unsigned skip_depth; /* inside mc:Fallback (a copy of the mc:Choice content) */
    unsigned ppr_depth;  /* inside w:pPr: its w:rPr is the paragraph mark's */
    unsigned del, ins;
    bool pending_del, pending_ins; /* a revision whose first text is not counted yet */
    char rev_author[128];
    bool para_hidden, run_hidden;
    int text; /* 0: not in text; 1: w:t and friends; 2: field code */
    /* the current paragraph before its deletions, with the deleted spans */
    ts_sbuf pbuf;
    span *spans;
    size_t nspans, cap_spans;
    /* tables: the outer table's grid; nested tables flatten into its cells */
    unsigned tbl;            /* w:tbl nesting depth */
    bool in_cell, new_row;   /* inside a cell of the outer table; its row has no cell yet */
    unsigned long col, span; /* the cell's grid column and the columns it spans */
    unsigned long next_col;
    unsigned cell_paras;     /* paragraphs of the cell so far */
    unsigned long cur_cells; /* cells handed to `cur` in the row */
    /* the current row before its deletions, for `orig` */
    ts_sbuf orow;
    rowpiece *pieces;
    size_t npieces, cap_pieces;
    unsigned ocell_paras;
    bool row_del;

    ts_tally *revisions; /* per author: deletions, insertions */
    ts_tally *comments;  /* per author */
    size_t hidden_chars;
    ts_sbuf hidden_snippet;
    ts_status st;
} word_state;

static bool style_hidden(const word_state *w, const char *id, size_t len)
{
    for (size_t i = 0; i < w->nhidden_styles; i++)
        if (strlen(w->hidden_styles[i]) == len && memcmp(w->hidden_styles[i], id, len) == 0)
            return true;
    return false;
}

static void add_piece(word_state *w, rowpiece p)
{
    if (w->st == TS_OK &&
        ts_grow((void **)&w->pieces, &w->cap_pieces, w->npieces + 1, sizeof(*w->pieces)) != 0)
        w->st = TS_ENOMEM;
    if (w->st == TS_OK)
        w->pieces[w->npieces++] = p;
}

static void row_text(word_state *w, const char *s, size_t len, ts_where where)
{
    if (len == 0)
        return;
    size_t at = w->orow.len;
    ts_sbuf_put(&w->orow, s, len);
    add_piece(w, (rowpiece){.start = at, .end = w->orow.len, .where = where});
}

/* A paragraph of a cell is complete: its "before" view joins the row's (space-separated). */
static void row_para(word_state *w)
{
    const char *p = ts_sbuf_str(&w->pbuf);
    size_t at = 0;
    if (w->pbuf.len == 0 && w->nspans == 0)
        return;
    if (w->ocell_paras++ > 0)
        row_text(w, " ", 1, w->base);
    for (size_t i = 0; i < w->nspans; i++) {
        row_text(w, p + at, w->spans[i].start - at, w->base);
        row_text(w, p + w->spans[i].start, w->spans[i].end - w->spans[i].start,
                 TS_WHERE_TRACKED_DELETION);
        at = w->spans[i].end;
    }
    row_text(w, p + at, w->pbuf.len - at, w->base);
    if (w->nspans > 0)
        w->row_del = true;
}

/*
 * A cell at grid column `col`: empty cells first for the columns skipped (w:gridBefore, the
 * columns a w:gridSpan cell covers), so that the row's text has a tab per grid column, as the
 * detection engine's own reading of tab-separated rows expects.
 */
#define PAD_COLS 256u

static void put_cell(ts_tsink *s, unsigned long *cells, unsigned long line, unsigned long col,
                     bool new_row)
{
    if (new_row)
        *cells = 0;
    while (*cells < col && *cells < PAD_COLS) {
        ts_tsink_cell(s, line, (*cells)++, NULL, new_row);
        new_row = false;
    }
    ts_tsink_cell(s, line, col, NULL, new_row);
    *cells = col + 1;
}

/* The row is complete: `orig` gets it when it had deletions or its table has no header yet. */
static void finish_row(word_state *w)
{
    if (w->st == TS_OK && (w->row_del || !w->orig.table.header_done)) {
        bool first = true;
        unsigned long cells = 0;
        for (size_t i = 0; i < w->npieces; i++) {
            const rowpiece *p = &w->pieces[i];
            if (p->cell) {
                put_cell(&w->orig, &cells, p->line, p->col, first);
                first = false;
            } else if (p->end > p->start) {
                ts_tsink_put(&w->orig, w->orow.p + p->start, p->end - p->start, p->where);
            }
        }
    }
    ts_sbuf_clear(&w->orow);
    w->npieces = 0;
    w->row_del = false;
}

/* The paragraph is complete: its "before" view goes to the second sink if it had deletions. */
static void finish_para(word_state *w)
{
    if (w->in_cell && w->st == TS_OK) {
        row_para(w);
    } else if (w->nspans > 0 && w->st == TS_OK) {
        ts_tsink_line(&w->orig, w->para);
        const char *p = ts_sbuf_str(&w->pbuf);
        size_t at = 0;
        for (size_t i = 0; i < w->nspans; i++) {
            ts_tsink_put(&w->orig, p + at, w->spans[i].start - at, w->base);
            ts_tsink_put(&w->orig, p + w->spans[i].start, w->spans[i].end - w->spans[i].start,
                         TS_WHERE_TRACKED_DELETION);
            at = w->spans[i].end;
        }
        ts_tsink_put(&w->orig, p + at, w->pbuf.len - at, w->base);
    }
    ts_sbuf_clear(&w->pbuf);
    w->nspans = 0;
}

static void start_para(word_state *w)
{
    finish_para(w); /* a paragraph inside a text box inside a paragraph */
    w->para++;
    if (!w->in_cell)
        ts_tsink_line(&w->cur, w->para);
    else if (w->cell_paras++ > 0)
        ts_tsink_put(&w->cur, " ", 1, w->base); /* a cell's text stays on one line */
    w->para_hidden = false;
}

static void start_table(word_state *w)
{
    if (w->tbl++ > 0)
        return; /* nested: its text goes into the outer cell */
    ts_tsink_table(&w->cur);
    ts_tsink_table(&w->orig);
    w->in_cell = false;
    w->npieces = 0;
}

static void end_table(word_state *w)
{
    if (w->tbl == 0 || --w->tbl > 0)
        return;
    if (w->npieces > 0)
        finish_row(w); /* a row without its end tag */
    w->in_cell = false;
    ts_tsink_table_end(&w->cur);
    ts_tsink_table_end(&w->orig);
}

static void start_cell(word_state *w)
{
    w->col = w->next_col;
    w->span = 1;
    w->cell_paras = w->ocell_paras = 0;
    put_cell(&w->cur, &w->cur_cells, w->para + 1, w->col, w->new_row);
    add_piece(w, (rowpiece){.cell = true, .col = w->col, .line = w->para + 1});
    w->new_row = false;
    w->in_cell = true;
}

/* w:gridSpan, w:gridBefore: a count of grid columns (hostile input: bounded) */
static unsigned long grid_count(int nattr, const char **attrs)
{
    unsigned long n = ts_xml_attr_ulong(nattr, attrs, "val", 1);
    return n > MAX_GRID_COL ? MAX_GRID_COL : n;
}

static void count_revision(word_state *w, int which)
{
    if (w->st == TS_OK)
        w->st = ts_tally_add(w->revisions, w->rev_author, strlen(w->rev_author), which);
}

/* Text of a run, a field code, a tab or a break: into both views as it belongs. */
static void put_text(word_state *w, const char *s, size_t len)
{
    if (w->del > 0) {
        if (w->pending_del) {
            w->pending_del = false;
            count_revision(w, 0);
        }
        if (w->st == TS_OK &&
            ts_grow((void **)&w->spans, &w->cap_spans, w->nspans + 1, sizeof(*w->spans)) != 0)
            w->st = TS_ENOMEM;
        if (w->st != TS_OK)
            return;
        size_t at = w->pbuf.len;
        ts_sbuf_put(&w->pbuf, s, len);
        if (w->nspans > 0 && w->spans[w->nspans - 1].end == at)
            w->spans[w->nspans - 1].end = w->pbuf.len;
        else
            w->spans[w->nspans++] = (span){at, w->pbuf.len};
        return;
    }
    ts_where where = w->base;
    if (w->run_hidden || w->para_hidden) {
        where = TS_WHERE_HIDDEN_TEXT;
        for (size_t i = 0; i < len; i++)
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
                w->hidden_chars++;
        if (w->hidden_snippet.len < SNIPPET_BYTES)
            ts_sbuf_put(&w->hidden_snippet, s, len);
    } else if (w->ins > 0) {
        where = TS_WHERE_TRACKED_INSERTION;
    }
    if (w->ins > 0 && w->pending_ins) {
        w->pending_ins = false;
        count_revision(w, 1);
    }
    ts_tsink_put(&w->cur, s, len, where);
    if (w->ins == 0)
        ts_sbuf_put(&w->pbuf, s, len);
}

static void field_code(word_state *w, const char *s, size_t len)
{
    put_text(w, s, len);
    ts_loc loc = {.where = w->base, .part = w->part, .line = w->para};
    if (w->st == TS_OK)
        w->st = ts_office_paths(w->o->doc, &loc, s, len, "field code");
}

static void word_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    word_state *w = u;
    if (w->skip_depth)
        return;
    switch (local[0]) {
    case 'p':
        if (strcmp(local, "p") == 0)
            start_para(w);
        else if (strcmp(local, "pPr") == 0)
            w->ppr_depth = ts_xml_depth(x);
        else if (strcmp(local, "pStyle") == 0) {
            size_t n;
            const char *v = ts_xml_attr(nattr, attrs, "val", &n);
            if (v && style_hidden(w, v, n))
                w->para_hidden = true;
        }
        return;
    case 'r':
        if (strcmp(local, "r") == 0) {
            w->run_hidden = false;
        } else if (strcmp(local, "rStyle") == 0) {
            size_t n;
            const char *v = ts_xml_attr(nattr, attrs, "val", &n);
            if (v && style_hidden(w, v, n))
                w->run_hidden = true;
        }
        return;
    case 't':
        if (strcmp(local, "t") == 0) {
            w->text = 1;
        } else if (strcmp(local, "tab") == 0 && w->ppr_depth == 0) {
            put_text(w, w->in_cell ? " " : "\t", 1);
        } else if (strcmp(local, "tbl") == 0) {
            start_table(w);
        } else if (strcmp(local, "tr") == 0 && w->tbl == 1) {
            if (w->npieces > 0)
                finish_row(w);
            w->new_row = true;
            w->next_col = 0;
        } else if (strcmp(local, "tc") == 0 && w->tbl == 1) {
            start_cell(w);
        }
        return;
    case 'g':
        if (w->tbl != 1)
            return;
        if (strcmp(local, "gridSpan") == 0 && w->in_cell)
            w->span = grid_count(nattr, attrs);
        else if (strcmp(local, "gridBefore") == 0 && !w->in_cell && w->next_col < MAX_GRID_COL)
            w->next_col += grid_count(nattr, attrs);
        return;
    case 'd':
        if (strcmp(local, "delText") == 0)
            w->text = 1;
        else if (strcmp(local, "del") == 0)
            goto deletion;
        return;
    case 'i':
        if (strcmp(local, "instrText") == 0)
            w->text = 2;
        else if (strcmp(local, "ins") == 0)
            goto insertion;
        return;
    case 'm':
        if (strcmp(local, "moveFrom") == 0)
            goto deletion;
        if (strcmp(local, "moveTo") == 0)
            goto insertion;
        return;
    case 'v':
        if (strcmp(local, "vanish") == 0 && w->ppr_depth == 0)
            w->run_hidden = ts_xml_attr_bool(nattr, attrs, "val", true);
        return;
    case 'b':
    case 'c':
        if (strcmp(local, "br") == 0 || strcmp(local, "cr") == 0)
            put_text(w, w->in_cell ? " " : "\n", 1);
        return;
    case 'n':
        if (strcmp(local, "noBreakHyphen") == 0)
            put_text(w, "-", 1);
        return;
    case 'f':
        if (strcmp(local, "fldSimple") == 0) {
            size_t n;
            const char *v = ts_xml_attr(nattr, attrs, "instr", &n);
            if (v)
                field_code(w, v, n);
        }
        return;
    case 'F':
        if (strcmp(local, "Fallback") == 0 && uri && strcmp(uri, MC_NS) == 0)
            w->skip_depth = ts_xml_depth(x);
        return;
    default:
        return;
    }
deletion:
    w->del++;
    w->pending_del = true;
    ts_xml_attr_copy(nattr, attrs, "author", w->rev_author, sizeof w->rev_author);
    return;
insertion:
    w->ins++;
    w->pending_ins = true;
    ts_xml_attr_copy(nattr, attrs, "author", w->rev_author, sizeof w->rev_author);
}

static void word_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    word_state *w = u;
    if (w->skip_depth) {
        if (ts_xml_depth(x) == w->skip_depth)
            w->skip_depth = 0;
        return;
    }
    if (strcmp(local, "p") == 0) {
        finish_para(w);
    } else if (strcmp(local, "tc") == 0 && w->tbl == 1) {
        w->in_cell = false;
        w->next_col = w->col + w->span;
        if (w->next_col > MAX_GRID_COL)
            w->next_col = MAX_GRID_COL;
    } else if (strcmp(local, "tr") == 0 && w->tbl == 1) {
        finish_row(w);
    } else if (strcmp(local, "tbl") == 0) {
        end_table(w);
    } else if (strcmp(local, "t") == 0 || strcmp(local, "delText") == 0 ||
               strcmp(local, "instrText") == 0) {
        w->text = 0;
    } else if (strcmp(local, "pPr") == 0) {
        w->ppr_depth = 0;
    } else if ((strcmp(local, "del") == 0 || strcmp(local, "moveFrom") == 0) && w->del > 0) {
        w->del--;
    } else if ((strcmp(local, "ins") == 0 || strcmp(local, "moveTo") == 0) && w->ins > 0) {
        w->ins--;
    }
}

static void word_text(ts_xml *x, void *u, const char *s, size_t len)
{
    (void)x;
    word_state *w = u;
    if (w->skip_depth || w->text == 0)
        return;
    if (w->text == 2)
        field_code(w, s, len);
    else
        put_text(w, s, len);
}

/* Comments: the same text handler, plus who wrote each comment. */
static void comment_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                          const char **attrs)
{
    word_state *w = u;
    if (!w->skip_depth && strcmp(local, "comment") == 0 && w->st == TS_OK) {
        size_t n;
        const char *a = ts_xml_attr(nattr, attrs, "author", &n);
        w->st = ts_tally_add(w->comments, a ? a : "", a ? n : 0, 0);
    }
    word_start(x, u, local, uri, nattr, attrs);
}

static ts_status read_part(ts_opc *o, size_t idx, ts_where base, word_state *tmpl, bool comments)
{
    if (idx == TS_ZIP_NONE || o->done[idx])
        return TS_OK;
    word_state w = *tmpl;
    w.part = ts_zip_name(o->z, idx);
    w.base = base;
    w.para = 0;
    w.hidden_chars = 0;
    memset(&w.pbuf, 0, sizeof w.pbuf);
    memset(&w.hidden_snippet, 0, sizeof w.hidden_snippet);
    w.spans = NULL;
    w.nspans = w.cap_spans = 0;
    memset(&w.orow, 0, sizeof w.orow);
    w.pieces = NULL;
    w.npieces = w.cap_pieces = 0;
    w.tbl = 0;
    w.in_cell = false;
    ts_tsink_init(&w.cur, o->doc, base, w.part);
    ts_tsink_init(&w.orig, o->doc, base, w.part);
    w.orig.only_ranges = true;
    ts_xml_handler h = {
        .start = comments ? comment_start : word_start, .end = word_end, .text = word_text};
    ts_status st = ts_opc_parse(o, idx, &h, &w);
    finish_para(&w);
    if (w.npieces > 0)
        finish_row(&w); /* a part cut inside a table */
    if (w.pbuf.oom || w.hidden_snippet.oom || w.orow.oom)
        st = TS_ENOMEM;
    if (st == TS_OK)
        st = w.st;
    ts_status s1 = ts_tsink_dispose(&w.cur), s2 = ts_tsink_dispose(&w.orig);
    if (st == TS_OK)
        st = s1 != TS_OK ? s1 : s2;
    if (st == TS_OK && w.hidden_chars > 0) {
        ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT, .part = w.part};
        char *d = ts_doc_printf(o->doc, "%zu characters of hidden text", w.hidden_chars);
        st = d ? ts_doc_flag(o->doc, "hidden.hidden-text", &loc, ts_sbuf_trim(&w.hidden_snippet), d)
               : TS_ENOMEM;
    }
    ts_sbuf_free(&w.pbuf);
    ts_sbuf_free(&w.hidden_snippet);
    ts_sbuf_free(&w.orow);
    ts_free(w.spans);
    ts_free(w.pieces);
    return st;
}

/*
 * ---- styles: which character and paragraph styles hide their text -------------------------
 * A style hides its text when it says <w:vanish/>, or says nothing about it and the style it is
 * based on (w:basedOn, followed up to MAX_STYLE_DEPTH) hides it: "Skjult notat" based on a
 * hidden "Skjult" hides too, while <w:vanish w:val="0"/> stops the inheritance.
 */

#define MAX_STYLES 4096u
#define MAX_STYLE_DEPTH 32u

typedef struct style_row {
    char *id, *based;
    signed char vanish; /* -1 not said, 0 shown, 1 hidden */
} style_row;

typedef struct styles_state {
    ts_doc *doc;
    style_row *rows;
    size_t nrows, cap_rows;
    bool in_style;
    char **out;
    size_t n;
    ts_status st;
} styles_state;

static void styles_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                         const char **attrs)
{
    (void)x;
    (void)uri;
    styles_state *s = u;
    size_t n = 0;
    const char *v;
    if (s->st != TS_OK)
        return;
    if (strcmp(local, "style") == 0) {
        s->in_style = false;
        v = ts_xml_attr(nattr, attrs, "styleId", &n);
        if (v == NULL || s->nrows >= MAX_STYLES)
            return;
        if (ts_grow((void **)&s->rows, &s->cap_rows, s->nrows + 1, sizeof(*s->rows)) != 0) {
            s->st = TS_ENOMEM;
            return;
        }
        style_row *r = &s->rows[s->nrows];
        *r = (style_row){.id = ts_doc_strndup(s->doc, v, n), .vanish = -1};
        if (r->id == NULL) {
            s->st = TS_ENOMEM;
            return;
        }
        s->nrows++;
        s->in_style = true;
    } else if (s->in_style && strcmp(local, "basedOn") == 0) {
        v = ts_xml_attr(nattr, attrs, "val", &n);
        style_row *r = &s->rows[s->nrows - 1];
        if (v && (r->based = ts_doc_strndup(s->doc, v, n)) == NULL)
            s->st = TS_ENOMEM;
    } else if (s->in_style && strcmp(local, "vanish") == 0) {
        s->rows[s->nrows - 1].vanish = ts_xml_attr_bool(nattr, attrs, "val", true) ? 1 : 0;
    }
}

static void styles_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    styles_state *s = u;
    if (strcmp(local, "style") == 0)
        s->in_style = false;
}

static const style_row *style_find(const styles_state *s, const char *id)
{
    for (size_t i = 0; id && i < s->nrows; i++)
        if (strcmp(s->rows[i].id, id) == 0)
            return &s->rows[i];
    return NULL;
}

/* The ids of the styles that hide their text, inherited ones included, into s->out. */
static void styles_resolve(styles_state *s)
{
    for (size_t i = 0; i < s->nrows && s->n < MAX_HIDDEN_STYLES; i++) {
        const style_row *r = &s->rows[i];
        unsigned depth = 0;
        while (r && r->vanish < 0 && depth++ < MAX_STYLE_DEPTH)
            r = style_find(s, r->based);
        if (r && r->vanish == 1)
            s->out[s->n++] = s->rows[i].id;
    }
}

/* ---- settings: mail merge data sources and document variables ------------------------------ */

typedef struct settings_state {
    ts_opc *o;
    const char *part;
    ts_status st;
} settings_state;

static void settings_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                           const char **attrs)
{
    (void)x;
    (void)uri;
    settings_state *s = u;
    ts_doc *doc = s->o->doc;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = s->part};
    size_t n;
    const char *v = NULL;
    if (s->st != TS_OK)
        return;
    if (strcmp(local, "docVar") == 0) {
        v = ts_xml_attr(nattr, attrs, "val", &n);
    } else if (strcmp(local, "connectString") == 0 || strcmp(local, "query") == 0) {
        v = ts_xml_attr(nattr, attrs, "val", &n);
        if (v && local[0] == 'c') {
            char *val = ts_doc_strndup(doc, v, n);
            s->st = val ? ts_doc_flag(doc, "hidden.data-connection", &loc, val, "mail merge")
                        : TS_ENOMEM;
        }
    }
    if (v == NULL || s->st != TS_OK)
        return;
    s->st = ts_doc_text(doc, &loc, v, n);
    if (s->st == TS_OK)
        s->st = ts_office_paths(doc, &loc, v, n, "document setting");
}

/* ---- people.xml: the accounts behind comment and revision authors -------------------------- */

static void people_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                         const char **attrs)
{
    (void)x;
    (void)uri;
    settings_state *s = u;
    char id[256];
    if (s->st != TS_OK || strcmp(local, "presenceInfo") != 0 ||
        !ts_xml_attr_copy(nattr, attrs, "userId", id, sizeof id))
        return;
    /* a SID or a hex account number identifies nobody by itself; an e-mail or DOMAIN\user does */
    if (strchr(id, '@') == NULL && strchr(id, '\\') == NULL)
        return;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = s->part};
    s->st = ts_office_person(s->o->doc, &loc, id, "account of a comment or revision author",
                             "metadata.user-name");
}

/* ---- the document -------------------------------------------------------------------------- */

ts_status ts_docx_read(ts_opc *o, size_t main)
{
    ts_opc_rels rels;
    ts_tally revisions = {0}, comments = {0};
    char *hidden[MAX_HIDDEN_STYLES];
    const char *main_name = ts_zip_name(o->z, main);
    ts_status st = ts_opc_rels_of(o, main_name, &rels);
    if (st != TS_OK)
        return st;
    /* styles first: a style can hide every run that uses it */
    styles_state ss = {.doc = o->doc, .out = hidden};
    size_t k = 0;
    const ts_opc_rel *r = ts_opc_rel_type(&rels, "styles", &k);
    if (r && !r->external) {
        size_t idx = ts_opc_part(o, r->target);
        ts_xml_handler hs = {.start = styles_start, .end = styles_end};
        st = ts_opc_parse(o, idx, &hs, &ss);
        if (st == TS_OK)
            st = ss.st;
        if (st == TS_OK)
            styles_resolve(&ss);
    }
    ts_free(ss.rows);
    word_state tmpl = {.o = o,
                       .hidden_styles = hidden,
                       .nhidden_styles = ss.n,
                       .revisions = &revisions,
                       .comments = &comments};
    if (st == TS_OK)
        st = read_part(o, main, TS_WHERE_BODY, &tmpl, false);
    static const struct {
        const char *type;
        ts_where where;
    } parts[] = {
        {"header", TS_WHERE_HEADER},      {"footer", TS_WHERE_FOOTER},
        {"footnotes", TS_WHERE_FOOTNOTE}, {"endnotes", TS_WHERE_FOOTNOTE},
        {"comments", TS_WHERE_COMMENT},   {"glossaryDocument", TS_WHERE_HIDDEN_TEXT},
    };
    for (size_t p = 0; p < sizeof parts / sizeof parts[0] && st == TS_OK; p++) {
        k = 0;
        while (st == TS_OK && (r = ts_opc_rel_type(&rels, parts[p].type, &k)) != NULL)
            if (!r->external)
                st = read_part(o, ts_opc_part(o, r->target), parts[p].where, &tmpl,
                               parts[p].where == TS_WHERE_COMMENT);
    }
    static const char *const side[] = {"settings", "people"};
    for (size_t p = 0; p < 2 && st == TS_OK; p++) {
        k = 0;
        r = ts_opc_rel_type(&rels, side[p], &k);
        if (r == NULL || r->external)
            continue;
        size_t idx = ts_opc_part(o, r->target);
        settings_state s = {.o = o, .part = r->target};
        ts_xml_handler h = {.start = p == 0 ? settings_start : people_start};
        st = ts_opc_parse(o, idx, &h, &s);
        if (st == TS_OK)
            st = s.st;
    }
    if (st == TS_OK)
        st = ts_office_flag_people(o->doc, main_name, &revisions, &comments);
    ts_tally_free(&revisions);
    ts_tally_free(&comments);
    return st;
}

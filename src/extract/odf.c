/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OpenDocument (ODT, ODS, ODP, ODG): text, metadata, annotations, tracked changes, hidden parts. */
#include "extract/office.h"

#include <stdio.h>
#include <string.h>

#include "detect/checks.h"
#include "extract/xmlread.h"
#include "extract/zipread.h"

/*
 * One reader for content.xml and styles.xml (ODF 1.2 part 1): a stack of places (annotation,
 * note, deletion, hidden section, header, notes, hidden sheet …) decides where text sits.
 * Styles that hide what uses them (text:display="none", table:display="false",
 * presentation:visibility="hidden") are collected from styles.xml and from the automatic styles
 * that precede the body in content.xml. Spreadsheet cells get "Sheet!B7" like XLSX cells.
 * Every table is handed over as a table (ts_tsink_table): a sheet, and a table of a text,
 * presentation or drawing, whose cells (and covered cells) take one column each (ODF 1.2 §9.1,
 * table:number-columns-repeated counts as that many); a cell's paragraphs share its line, and a
 * table inside a cell is flattened into it.
 */

#define MAX_STACK 64u
#define MAX_HIDDEN_STYLES 512u
#define MAX_COLS 16384u
#define MAX_IDS 4096u

enum family { FAM_TEXT, FAM_SHEET, FAM_SLIDES, FAM_DRAWING };

typedef struct odf_state {
    ts_doc *doc;
    ts_zip *z;
    enum family fam;
    const char *part;
    ts_tsink sink;
    struct {
        unsigned depth;
        ts_where where;
    } stack[MAX_STACK];
    size_t nstack;
    char *hidden_styles[MAX_HIDDEN_STYLES];
    size_t nhidden;
    char style[128]; /* style:style being read */
    bool style_hides;
    /* tracked changes */
    char *ins_ids[MAX_IDS];
    size_t nins;
    int region; /* 0 none, 1 deletion, 2 insertion (inside text:changed-region) */
    unsigned ins_open;
    /* who: dc:creator inside an annotation or a change */
    int who; /* 0 none, 1 annotation author, 2 change author */
    ts_sbuf name;
    unsigned mute; /* depth below which text is not document text (dates, metadata) */
    ts_tally revisions, comments;
    /* spreadsheets */
    char table[256];
    unsigned page;
    unsigned long row, col;
    unsigned long row_repeat;
    bool row_hidden, new_row;
    unsigned char hidden_cols[MAX_COLS / 8];
    unsigned long ncols;
    size_t hidden_cells;
    /* tables of texts, presentations and drawings */
    unsigned ttab;        /* table:table nesting depth */
    bool tcell, tnew_row; /* inside a cell of the outer table; its row has no cell yet */
    unsigned long tcol;   /* the next cell's column */
    unsigned long tcells; /* cells handed to the sink in the row (sheets too) */
    unsigned tparas;      /* paragraphs of the cell so far */
    /* a comment (office:annotation) inside a table cell: its text is kept apart and handed over
     * after the table, so that it is neither the cell's text nor its row's label */
    unsigned cell_note; /* depth of that annotation, or 0 */
    ts_sbuf cell_notes;
    /* counters */
    unsigned long para;
    size_t hidden_chars, note_chars;
    unsigned slides_hidden;
    /* drawings and slides, for the diagram verdict (src/detect/checks.c) */
    unsigned page_depth, shape_depth;
    char label[256];
    size_t label_len;
    char shape_id[64]; /* draw:id or xml:id, which connectors refer to */
    ts_status st;
} odf_state;

static ts_where top(const odf_state *s)
{
    return s->nstack ? s->stack[s->nstack - 1].where : TS_WHERE_BODY;
}

static void push(odf_state *s, unsigned depth, ts_where w)
{
    if (s->nstack < MAX_STACK) {
        s->stack[s->nstack].depth = depth;
        s->stack[s->nstack].where = w;
        s->nstack++;
    }
}

static bool has_hidden_style(const odf_state *s, int nattr, const char **attrs, const char *key)
{
    size_t n;
    const char *v = ts_xml_attr(nattr, attrs, key, &n);
    if (v == NULL)
        return false;
    for (size_t i = 0; i < s->nhidden; i++)
        if (strlen(s->hidden_styles[i]) == n && memcmp(s->hidden_styles[i], v, n) == 0)
            return true;
    return false;
}

static void style_start(odf_state *s, const char *local, int nattr, const char **attrs)
{
    if (strcmp(local, "style") == 0) {
        s->style_hides = false;
        ts_xml_attr_copy(nattr, attrs, "name", s->style, sizeof s->style);
    } else if (strcmp(local, "text-properties") == 0) {
        if (ts_xml_attr_is(nattr, attrs, "display", "none"))
            s->style_hides = true;
    } else if (strcmp(local, "table-properties") == 0) {
        if (ts_xml_attr_is(nattr, attrs, "display", "false"))
            s->style_hides = true;
    } else if (strcmp(local, "drawing-page-properties") == 0) {
        if (ts_xml_attr_is(nattr, attrs, "visibility", "hidden"))
            s->style_hides = true;
    }
}

static void style_end(odf_state *s)
{
    if (s->style_hides && s->style[0] && s->nhidden < MAX_HIDDEN_STYLES) {
        s->hidden_styles[s->nhidden] = ts_doc_strdup(s->doc, s->style);
        if (s->hidden_styles[s->nhidden] == NULL)
            s->st = TS_ENOMEM;
        else
            s->nhidden++;
    }
    s->style_hides = false;
    s->style[0] = '\0';
}

static void put(odf_state *s, const char *t, size_t len)
{
    if (s->cell_note) {
        ts_sbuf_put(&s->cell_notes, t, len);
        return;
    }
    ts_where w = top(s);
    if (w == TS_WHERE_HIDDEN_TEXT && s->table[0])
        s->hidden_cells++; /* flagged per sheet as hidden rows or columns */
    else if (w == TS_WHERE_HIDDEN_TEXT)
        for (size_t i = 0; i < len; i++)
            if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n')
                s->hidden_chars++;
    if (w == TS_WHERE_NOTES)
        for (size_t i = 0; i < len; i++)
            if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n')
                s->note_chars++;
    if (s->ins_open > 0 && w == s->sink.where)
        w = TS_WHERE_TRACKED_INSERTION;
    ts_tsink_put(&s->sink, t, len, w);
}

/*
 * A cell at column `col`: empty cells first for the columns skipped (repeated empty cells), so
 * that the row's text has a tab per column, as the detection engine's own reading of tab-separated
 * rows expects (a header's column is the count of tabs before it).
 */
#define PAD_COLS 256u

static void put_cell(odf_state *s, unsigned long line, unsigned long col, const char *ref,
                     bool new_row)
{
    if (new_row)
        s->tcells = 0;
    while (s->tcells < col && s->tcells < PAD_COLS) {
        ts_tsink_cell(&s->sink, line, s->tcells++, NULL, new_row);
        new_row = false;
    }
    ts_tsink_cell(&s->sink, line, col, ref, new_row);
    s->tcells = col + 1;
}

/* Inside a table cell, whose text stays on one line? */
static bool in_cell(const odf_state *s)
{
    return s->tcell || (s->fam == FAM_SHEET && s->table[0]);
}

static void new_cell(odf_state *s, int nattr, const char **attrs)
{
    char ref[12];
    s->col++;
    ts_office_cell_ref(ref, sizeof ref, s->col, s->row);
    put_cell(s, s->row, s->col - 1, ref, s->new_row);
    s->new_row = false;
    bool hidden = s->row_hidden || (s->col <= MAX_COLS &&
                                    (s->hidden_cols[(s->col - 1) / 8] >> ((s->col - 1) % 8)) & 1);
    size_t n;
    const char *f = ts_xml_attr(nattr, attrs, "formula", &n);
    if (f) {
        ts_tsink_put(&s->sink, f, n, hidden ? TS_WHERE_HIDDEN_TEXT : top(s));
        ts_tsink_put(&s->sink, " ", 1, top(s));
        ts_loc loc = {.where = top(s), .part = s->table, .line = s->row};
        if (s->st == TS_OK)
            s->st = ts_office_paths(s->doc, &loc, f, n, "formula");
    }
}

static void odf_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)uri;
    odf_state *s = u;
    unsigned d = ts_xml_depth(x);
    size_t n;
    if (s->st != TS_OK)
        return;
    if (s->mute)
        return;
    style_start(s, local, nattr, attrs);
    if ((strcmp(local, "p") == 0 || strcmp(local, "h") == 0) && s->cell_note) {
        ts_sbuf_put(&s->cell_notes, " ", 1); /* a comment's paragraphs, one line */
    } else if (strcmp(local, "p") == 0 || strcmp(local, "h") == 0) {
        s->para++;
        if (s->tcell) {
            if (s->tparas++ > 0)
                ts_tsink_put(&s->sink, " ", 1, top(s)); /* a cell's text stays on its line */
        } else if (s->fam != FAM_SHEET || s->table[0] == '\0') {
            ts_tsink_line(&s->sink, s->para);
        } else if (ts_tsink_line_len(&s->sink) > 0) {
            ts_tsink_put(&s->sink, " ", 1, top(s));
        }
        if (has_hidden_style(s, nattr, attrs, "style-name"))
            push(s, d, TS_WHERE_HIDDEN_TEXT);
    } else if (strcmp(local, "span") == 0) {
        if (has_hidden_style(s, nattr, attrs, "style-name"))
            push(s, d, TS_WHERE_HIDDEN_TEXT);
    } else if (strcmp(local, "s") == 0) {
        put(s, " ", 1);
    } else if (strcmp(local, "tab") == 0) {
        put(s, in_cell(s) ? " " : "\t", 1);
    } else if (strcmp(local, "line-break") == 0) {
        put(s, in_cell(s) ? " " : "\n", 1);
    } else if (strcmp(local, "annotation") == 0) {
        push(s, d, TS_WHERE_COMMENT);
        if (in_cell(s) && s->cell_note == 0)
            s->cell_note = d;
    } else if (strcmp(local, "note-body") == 0) {
        push(s, d, TS_WHERE_FOOTNOTE);
    } else if (strcmp(local, "note-citation") == 0) {
        s->mute = d;
    } else if (strcmp(local, "creator") == 0 &&
               (s->region || (s->nstack > 0 && top(s) == TS_WHERE_COMMENT))) {
        s->who = s->region ? 2 : 1;
        ts_sbuf_clear(&s->name);
        s->mute = d;
    } else if (strcmp(local, "date") == 0 || strcmp(local, "date-string") == 0 ||
               strcmp(local, "sender-initials") == 0) {
        s->mute = d;
    } else if (strcmp(local, "changed-region") == 0) {
        s->region = 0;
        ts_xml_attr_copy(nattr, attrs, "id", s->style, sizeof s->style);
    } else if (strcmp(local, "deletion") == 0) {
        s->region = 1;
        push(s, d, TS_WHERE_TRACKED_DELETION);
    } else if (strcmp(local, "insertion") == 0 || strcmp(local, "format-change") == 0) {
        s->region = 2;
        if (local[0] == 'i' && s->nins < MAX_IDS && s->style[0]) {
            s->ins_ids[s->nins] = ts_doc_strdup(s->doc, s->style);
            if (s->ins_ids[s->nins] == NULL)
                s->st = TS_ENOMEM;
            else
                s->nins++;
        }
        s->mute = 0;
    } else if (strcmp(local, "change-start") == 0 || strcmp(local, "change-end") == 0) {
        const char *id = ts_xml_attr(nattr, attrs, "change-id", &n);
        for (size_t i = 0; id && i < s->nins; i++) {
            if (strlen(s->ins_ids[i]) == n && memcmp(s->ins_ids[i], id, n) == 0) {
                if (local[7] == 's')
                    s->ins_open++;
                else if (s->ins_open > 0)
                    s->ins_open--;
            }
        }
    } else if (strcmp(local, "section") == 0) {
        if (ts_xml_attr_is(nattr, attrs, "display", "none") ||
            ts_xml_attr(nattr, attrs, "condition", &n) != NULL ||
            has_hidden_style(s, nattr, attrs, "style-name"))
            push(s, d, TS_WHERE_HIDDEN_TEXT);
    } else if (strcmp(local, "hidden-text") == 0 || strcmp(local, "hidden-paragraph") == 0) {
        const char *v = ts_xml_attr(nattr, attrs, "string-value", &n);
        push(s, d, TS_WHERE_HIDDEN_TEXT);
        if (v)
            put(s, v, n);
        if (local[7] == 't')
            s->mute = d; /* the field shows its string-value only when not hidden */
    } else if (strncmp(local, "header", 6) == 0 || strncmp(local, "footer", 6) == 0) {
        if (uri && strstr(uri, ":style:"))
            push(s, d, local[0] == 'h' ? TS_WHERE_HEADER : TS_WHERE_FOOTER);
    } else if (strcmp(local, "notes") == 0) {
        push(s, d, TS_WHERE_NOTES);
    } else if (s->page_depth && d == s->page_depth + 1 && uri && strstr(uri, ":drawing:") &&
               (strcmp(local, "connector") == 0 || strcmp(local, "line") == 0)) {
        /* a connector glued to shapes names them (draw:start-shape, draw:end-shape) */
        char from[64] = "", to[64] = "";
        ts_xml_attr_copy(nattr, attrs, "start-shape", from, sizeof from);
        ts_xml_attr_copy(nattr, attrs, "end-shape", to, sizeof to);
        ts_loc loc = {.where = TS_WHERE_DRAWING, .page = s->page, .part = s->part};
        if (s->st == TS_OK)
            s->st = ts_doc_edge(s->doc, &loc, from, to);
    } else if (s->page_depth && d == s->page_depth + 1 && uri && strstr(uri, ":drawing:") &&
               strcmp(local, "page-thumbnail") != 0) {
        s->shape_depth = d; /* a shape: its text is one label */
        s->label_len = 0;
        ts_xml_attr_copy(nattr, attrs, "id", s->shape_id, sizeof s->shape_id);
    } else if (strcmp(local, "page") == 0 && uri && strstr(uri, ":drawing:")) {
        s->page++;
        s->page_depth = d;
        ts_tsink_place(&s->sink, TS_WHERE_BODY, s->part, s->page);
        if (has_hidden_style(s, nattr, attrs, "style-name")) {
            s->slides_hidden++;
            ts_loc loc = {.where = TS_WHERE_HIDDEN_SLIDE, .page = s->page, .part = s->part};
            char *v = ts_doc_printf(s->doc, "slide %u", s->page);
            s->st =
                v ? ts_doc_flag(s->doc, "hidden.hidden-slide", &loc, v, "hidden slide") : TS_ENOMEM;
            push(s, d, TS_WHERE_HIDDEN_SLIDE);
        }
    } else if (strcmp(local, "table") == 0 && s->fam == FAM_SHEET && uri &&
               strstr(uri, ":table:")) {
        s->page++;
        ts_xml_attr_copy(nattr, attrs, "name", s->table, sizeof s->table);
        char *name = ts_doc_strdup(s->doc, s->table);
        bool hidden = has_hidden_style(s, nattr, attrs, "style-name");
        ts_where w = hidden ? TS_WHERE_HIDDEN_SHEET : TS_WHERE_CELL;
        if (name == NULL) {
            s->st = TS_ENOMEM;
            return;
        }
        ts_tsink_place(&s->sink, w, name, s->page);
        ts_tsink_table(&s->sink); /* each sheet is a table of its own */
        s->row = 0;
        s->ncols = 0;
        s->hidden_cells = 0;
        memset(s->hidden_cols, 0, sizeof s->hidden_cols);
        push(s, d, w);
        if (hidden) {
            ts_loc loc = {.where = w, .page = s->page, .part = name};
            s->st = ts_doc_flag(s->doc, "hidden.hidden-sheet", &loc, name, "hidden sheet");
        }
    } else if (strcmp(local, "table") == 0 && uri && strstr(uri, ":table:")) {
        if (s->ttab++ == 0) /* a table of a text, slide or drawing (or one in a sheet's cell) */
            ts_tsink_table(&s->sink);
        s->tcell = s->ttab > 1 && s->tcell;
    } else if (strcmp(local, "table-row") == 0 && s->ttab == 1) {
        s->tnew_row = true;
        s->tcol = 0;
    } else if ((strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0) &&
               s->ttab == 1) {
        put_cell(s, s->para + 1, s->tcol, NULL, s->tnew_row);
        s->tnew_row = false;
        s->tcell = true;
        s->tparas = 0;
        unsigned long rep = ts_xml_attr_ulong(nattr, attrs, "number-columns-repeated", 1);
        s->tcol += rep == 0 ? 1 : rep > MAX_COLS ? MAX_COLS : rep;
        if (s->tcol > MAX_COLS)
            s->tcol = MAX_COLS;
    } else if (strcmp(local, "table-column") == 0 && s->fam == FAM_SHEET) {
        unsigned long rep = ts_xml_attr_ulong(nattr, attrs, "number-columns-repeated", 1);
        bool hid = ts_xml_attr_is(nattr, attrs, "visibility", "collapse") ||
                   ts_xml_attr_is(nattr, attrs, "visibility", "filter");
        for (unsigned long i = 0; i < rep && s->ncols < MAX_COLS; i++, s->ncols++)
            if (hid)
                s->hidden_cols[s->ncols / 8] |= (unsigned char)(1u << (s->ncols % 8));
    } else if (strcmp(local, "table-row") == 0 && s->fam == FAM_SHEET) {
        s->row++;
        s->row_repeat = ts_xml_attr_ulong(nattr, attrs, "number-rows-repeated", 1);
        s->row_hidden = ts_xml_attr_is(nattr, attrs, "visibility", "collapse") ||
                        ts_xml_attr_is(nattr, attrs, "visibility", "filter");
        s->new_row = true;
        s->col = 0;
    } else if ((strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0) &&
               s->fam == FAM_SHEET && s->table[0]) {
        new_cell(s, nattr, attrs);
        unsigned long rep = ts_xml_attr_ulong(nattr, attrs, "number-columns-repeated", 1);
        if (rep > 1)
            s->col += rep - 1 > MAX_COLS ? MAX_COLS : rep - 1;
        if (s->row_hidden ||
            (s->col <= MAX_COLS && (s->hidden_cols[(s->col - 1) / 8] >> ((s->col - 1) % 8)) & 1))
            push(s, d, TS_WHERE_HIDDEN_TEXT);
    } else if (strcmp(local, "user-defined") == 0 || strcmp(local, "meta") == 0) {
        /* meta.xml is read on its own */
    }
}

/* The comments of a table's cells, after the table: one line each, as comments. */
static void put_cell_notes(odf_state *s)
{
    if (s->cell_notes.len == 0)
        return;
    const char *t = s->cell_notes.p;
    size_t n = s->cell_notes.len;
    while (n > 0 && s->st == TS_OK) {
        const char *nl = memchr(t, '\n', n);
        size_t k = nl ? (size_t)(nl - t) : n;
        if (k > 0) {
            ts_tsink_line(&s->sink, ++s->para);
            ts_tsink_put(&s->sink, t, k, TS_WHERE_COMMENT);
        }
        t += k + (nl != NULL);
        n -= k + (nl != NULL);
    }
    ts_sbuf_clear(&s->cell_notes);
}

static void odf_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    odf_state *s = u;
    unsigned d = ts_xml_depth(x);
    if (s->mute) {
        if (d != s->mute)
            return;
        s->mute = 0;
        if (s->who) {
            const char *who = ts_sbuf_trim(&s->name);
            ts_tally *t = s->who == 1 ? &s->comments : &s->revisions;
            if (s->st == TS_OK)
                s->st = ts_tally_add(t, who, strlen(who), s->who == 2 && s->region == 2);
            s->who = 0;
        }
        return;
    }
    while (s->nstack > 0 && s->stack[s->nstack - 1].depth >= d)
        s->nstack--;
    if (d == s->cell_note) {
        s->cell_note = 0;
        ts_sbuf_put(&s->cell_notes, "\n", 1);
    }
    if (d == s->shape_depth) {
        s->shape_depth = 0;
        if (s->label_len > 0 && s->st == TS_OK) {
            ts_loc loc = {.where = TS_WHERE_DRAWING, .page = s->page, .part = s->part};
            s->st = ts_doc_shape_id(s->doc, &loc, s->shape_id, s->label, s->label_len, NULL, 0);
        }
    } else if (d == s->page_depth) {
        s->page_depth = 0;
    }
    if (strcmp(local, "style") == 0) {
        style_end(s);
    } else if (strcmp(local, "changed-region") == 0) {
        s->region = 0;
        s->style[0] = '\0';
    } else if (strcmp(local, "table") == 0 && s->fam == FAM_SHEET && s->table[0]) {
        if (s->hidden_cells > 0 && s->st == TS_OK) {
            ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT, .page = s->page, .part = s->sink.part};
            char *det =
                ts_doc_printf(s->doc, "%zu cells in hidden rows or columns", s->hidden_cells);
            s->st = det ? ts_doc_flag(s->doc, "hidden.hidden-row-column", &loc, s->sink.part, det)
                        : TS_ENOMEM;
        }
        s->table[0] = '\0';
        ts_tsink_table_end(&s->sink);
        put_cell_notes(s);
        ts_tsink_place(&s->sink, TS_WHERE_BODY, s->part, 0);
    } else if (strcmp(local, "table") == 0 && uri && strstr(uri, ":table:") && s->ttab > 0) {
        if (--s->ttab == 0) {
            s->tcell = false;
            ts_tsink_table_end(&s->sink);
            put_cell_notes(s);
        }
    } else if ((strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0) &&
               s->ttab == 1) {
        s->tcell = false;
    } else if (strcmp(local, "table-row") == 0 && s->fam == FAM_SHEET && s->row_repeat > 1) {
        s->row += s->row_repeat - 1 > 1048576 ? 1048576 : s->row_repeat - 1;
    }
}

static void odf_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    odf_state *s = u;
    if (s->who) {
        ts_sbuf_put(&s->name, t, len);
        return;
    }
    if (s->mute || s->region == 2)
        return;
    if (s->shape_depth && s->label_len + len + 1 < sizeof s->label) {
        if (s->label_len > 0)
            s->label[s->label_len++] = ' ';
        memcpy(s->label + s->label_len, t, len);
        s->label_len += len;
    }
    /* only text inside paragraphs and headings is document text (ODF 1.2 §5.1) */
    put(s, t, len);
}

static ts_status read_part(odf_state *s, const char *name)
{
    size_t idx = ts_zip_find(s->z, name);
    if (idx == TS_ZIP_NONE)
        return TS_OK;
    s->part = ts_zip_name(s->z, idx);
    s->nstack = 0;
    s->mute = 0;
    s->table[0] = '\0';
    s->page = 0;
    s->para = 0;
    s->page_depth = s->shape_depth = 0;
    s->ttab = 0;
    s->tcell = false;
    ts_tsink_place(&s->sink, TS_WHERE_BODY, s->part, 0);
    ts_xml_handler h = {.start = odf_start, .end = odf_end, .text = odf_text};
    ts_status st = ts_xml_parse_zip(s->z, idx, &h, s);
    ts_tsink_table_end(&s->sink); /* a part cut inside a table */
    s->cell_note = 0;
    put_cell_notes(s);
    ts_status st2 = ts_tsink_flush(&s->sink);
    if (st == TS_ENOMEM || st2 == TS_ENOMEM || s->st == TS_ENOMEM || s->name.oom ||
        s->cell_notes.oom)
        return TS_ENOMEM;
    return TS_OK;
}

/* ---- meta.xml ------------------------------------------------------------------------------- */

typedef struct meta_state {
    ts_doc *doc;
    const char *part;
    ts_tsink sink;
    ts_sbuf val;
    char key[128];
    ts_status st;
} meta_state;

static void meta_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)uri;
    meta_state *m = u;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = m->part};
    size_t n;
    if (ts_xml_depth(x) != 3 || m->st != TS_OK)
        return;
    ts_sbuf_clear(&m->val);
    if (strcmp(local, "user-defined") == 0)
        ts_xml_attr_copy(nattr, attrs, "name", m->key, sizeof m->key);
    else
        snprintf(m->key, sizeof m->key, "%s", local);
    if (strcmp(local, "template") == 0) {
        const char *href = ts_xml_attr(nattr, attrs, "href", &n);
        if (href) {
            char *v = ts_doc_strndup(m->doc, href, n);
            m->st =
                v ? ts_doc_flag(m->doc, "metadata.template-path", &loc, v, "template") : TS_ENOMEM;
            if (m->st == TS_OK)
                m->st = ts_office_paths(m->doc, &loc, href, n, "template");
        }
    }
}

static void meta_text(ts_xml *x, void *u, const char *t, size_t len)
{
    meta_state *m = u;
    if (ts_xml_depth(x) >= 3)
        ts_sbuf_put(&m->val, t, len);
}

static void meta_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    meta_state *m = u;
    if (ts_xml_depth(x) != 3 || m->st != TS_OK)
        return;
    const char *v = ts_sbuf_trim(&m->val);
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = m->part};
    if (*v == '\0' || strcmp(local, "creation-date") == 0 || strcmp(local, "date") == 0 ||
        strcmp(local, "editing-cycles") == 0 || strcmp(local, "editing-duration") == 0 ||
        strcmp(local, "print-date") == 0)
        return;
    ts_tsink_line(&m->sink, 0);
    ts_tsink_put(&m->sink, m->key, strlen(m->key), TS_WHERE_METADATA);
    ts_tsink_put(&m->sink, ": ", 2, TS_WHERE_METADATA);
    ts_tsink_put(&m->sink, v, strlen(v), TS_WHERE_METADATA);
    if (strcmp(local, "initial-creator") == 0)
        m->st = ts_office_person(m->doc, &loc, v, "author", "metadata.user-name");
    else if (strcmp(local, "creator") == 0)
        m->st = ts_office_person(m->doc, &loc, v, "last modified by", "metadata.last-modified-by");
    else if (strcmp(local, "printed-by") == 0)
        m->st = ts_office_person(m->doc, &loc, v, "last printed by", "metadata.user-name");
    else if (strcmp(local, "generator") == 0)
        m->st = ts_doc_flag(m->doc, "metadata.software", &loc, v, "generator");
    if (m->st == TS_OK)
        m->st = ts_office_paths(m->doc, &loc, v, strlen(v), "document property");
}

static ts_status read_meta(ts_doc *doc, ts_zip *z)
{
    size_t idx = ts_zip_find(z, "meta.xml");
    if (idx == TS_ZIP_NONE)
        return TS_OK;
    meta_state m = {.doc = doc, .part = ts_zip_name(z, idx)};
    ts_tsink_init(&m.sink, doc, TS_WHERE_METADATA, m.part);
    ts_xml_handler h = {.start = meta_start, .end = meta_end, .text = meta_text};
    ts_status st = ts_xml_parse_zip(z, idx, &h, &m);
    ts_status st2 = ts_tsink_dispose(&m.sink);
    bool oom = m.val.oom;
    ts_sbuf_free(&m.val);
    if (st == TS_ENOMEM || st2 == TS_ENOMEM || m.st == TS_ENOMEM || oom)
        return TS_ENOMEM;
    return TS_OK;
}

/* ---- manifest: is the package encrypted? (ODF 1.2 part 3, §4.8) --------------------------- */

static void manifest_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                           const char **attrs)
{
    (void)uri;
    (void)nattr;
    (void)attrs;
    if (strcmp(local, "encryption-data") == 0) {
        *(bool *)u = true;
        ts_xml_stop(x);
    }
}

/* ---- the extractor -------------------------------------------------------------------------- */

/* A macro module or script in the package (the library lists script-lb.xml, script-lc.xml and
 * dialog-lb.xml, dialog-lc.xml name what exists, and hold no code). */
static bool is_macro(const char *name)
{
    if (strncmp(name, "Scripts/", 8) == 0)
        return name[8] != '\0';
    if (strncmp(name, "Basic/", 6) != 0)
        return false;
    const char *base = strrchr(name, '/') + 1;
    return *base != '\0' && strncmp(base, "script-l", 8) != 0 && strncmp(base, "dialog-l", 8) != 0;
}

static void code_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    ts_sbuf_put(u, t, len);
}

/* The source of a macro module (the text of its XML, entities decoded) or script, scanned. */
static ts_status read_code(ts_doc *doc, ts_zip *z, size_t i, const ts_loc *loc)
{
    unsigned char *data = NULL;
    size_t len = 0;
    ts_status st = ts_zip_read(z, i, &data, &len);
    if (st != TS_OK)
        return st == TS_ENOMEM ? st : TS_OK;
    const char *name = ts_zip_name(z, i);
    size_t nl = strlen(name);
    if (nl > 4 && strcmp(name + nl - 4, ".xml") == 0) {
        ts_sbuf code = {0};
        ts_xml_handler h = {.text = code_text};
        st = ts_xml_parse_memory(doc, name, (const char *)data, len, &h, &code);
        if (code.oom)
            st = TS_ENOMEM;
        else if (code.len > 0)
            st = ts_doc_text(doc, loc, code.p, code.len);
        ts_sbuf_free(&code);
    } else {
        st = ts_doc_text(doc, loc, (const char *)data, len);
    }
    ts_free(data);
    return st == TS_ENOMEM ? st : TS_OK;
}

static ts_status odf_extract(ts_doc *doc, const ts_input *in)
{
    ts_zip *z = NULL;
    ts_status st = ts_zip_open(&z, doc, in);
    if (st != TS_OK)
        return st == TS_ENOMEM ? st : TS_OK;
    bool encrypted = false;
    size_t man = ts_zip_find(z, "META-INF/manifest.xml");
    if (man != TS_ZIP_NONE) {
        ts_xml_handler h = {.start = manifest_start};
        st = ts_xml_parse_zip(z, man, &h, &encrypted);
        if (st == TS_ENOMEM)
            goto out;
        st = TS_OK;
    }
    if (encrypted) {
        ts_doc_fail(doc, TS_EENCRYPTED, "password-protected OpenDocument file");
        st = read_meta(doc, z); /* meta.xml stays readable */
        goto out;
    }
    odf_state *s = ts_calloc(1, sizeof(*s));
    if (s == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    s->doc = doc;
    s->z = z;
    s->fam = in->type == TS_TYPE_ODS   ? FAM_SHEET
             : in->type == TS_TYPE_ODP ? FAM_SLIDES
             : in->type == TS_TYPE_ODG ? FAM_DRAWING
                                       : FAM_TEXT;
    ts_tsink_init(&s->sink, doc, TS_WHERE_BODY, NULL);
    st = read_meta(doc, z);
    if (st == TS_OK)
        st = read_part(s, "styles.xml");
    if (st == TS_OK)
        st = read_part(s, "content.xml");
    if (ts_zip_find(z, "content.xml") == TS_ZIP_NONE)
        ts_doc_fail(doc, TS_ECORRUPT, "no content.xml: not a valid OpenDocument package");
    if (st == TS_OK && s->hidden_chars > 0) {
        ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT, .part = "content.xml"};
        char *d = ts_doc_printf(doc, "%zu characters of hidden text", s->hidden_chars);
        st = d ? ts_doc_flag(doc, "hidden.hidden-text", &loc, "hidden text", d) : TS_ENOMEM;
    }
    if (st == TS_OK && s->note_chars > 0) {
        ts_loc loc = {.where = TS_WHERE_NOTES, .part = "content.xml"};
        st = ts_doc_flag(doc, "hidden.speaker-notes", &loc, "speaker notes", "presentation notes");
    }
    if (st == TS_OK)
        st = ts_office_flag_people(doc, "content.xml", &s->revisions, &s->comments);
    /*
     * Embedded OpenDocument objects (charts, formulas: "Object 1/content.xml") are read as part
     * of the document; foreign objects ("Object 1", an OLE file) and pictures, when an image
     * extractor exists, as child documents.
     */
    bool images = ts_extractor_for(TS_TYPE_JPEG) || ts_extractor_for(TS_TYPE_PNG) ||
                  ts_extractor_for(TS_TYPE_TIFF);
    bool macros = false;
    for (size_t i = 0; i < ts_zip_count(z) && st == TS_OK; i++) {
        const char *name = ts_zip_name(z, i);
        if (name == NULL || ts_zip_is_dir(z, i))
            continue;
        const char *slash = strchr(name, '/');
        if (is_macro(name)) {
            /* LibreOffice Basic modules (Basic/<library>/<module>.xml) and scripts (Scripts/…):
             * flagged once, and their source is read, since code holds host names and passwords */
            ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT, .part = name};
            if (!macros)
                st = ts_doc_flag(doc, "hidden.macros", &loc, name,
                                 strncmp(name, "Basic/", 6) == 0 ? "LibreOffice Basic macros"
                                                                 : "scripts");
            macros = true;
            if (st == TS_OK)
                st = read_code(doc, z, i, &loc);
            continue;
        }
        if (slash && strcmp(slash, "/content.xml") == 0 && strncmp(name, "META-INF", 8) != 0) {
            st = read_part(s, name);
            continue;
        }
        bool object = strncmp(name, "Object ", 7) == 0 && slash == NULL;
        if (!object && !(images && strncmp(name, "Pictures/", 9) == 0))
            continue;
        ts_type t = TS_TYPE_NONE;
        unsigned char *data = NULL;
        size_t len = 0;
        if (ts_zip_read(z, i, &data, &len) != TS_OK)
            continue;
        t = ts_type_detect(data, len);
        if (object || ts_extractor_reads(t)) {
            if (object) {
                ts_loc loc = {.where = TS_WHERE_ATTACHMENT, .part = name};
                st = ts_doc_flag(doc, "hidden.embedded-file", &loc, name, name);
            }
            if (st == TS_OK)
                st = ts_doc_child(doc, ts_zip_name_safe(name) ? name : "embedded-file", data, len);
        }
        ts_free(data);
    }
    ts_status st2 = ts_tsink_dispose(&s->sink);
    if (st == TS_OK)
        st = st2;
    ts_tally_free(&s->revisions);
    ts_tally_free(&s->comments);
    ts_sbuf_free(&s->name);
    ts_sbuf_free(&s->cell_notes);
    ts_free(s);
out:
    ts_zip_close(z);
    return st;
}

static ts_status odf_init(void)
{
    return ts_xml_init();
}

const struct ts_extractor ts_extractor_odf = {
    .name = "odf",
    .types = (const ts_type[]){TS_TYPE_ODT, TS_TYPE_ODS, TS_TYPE_ODP, TS_TYPE_ODG, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .init = odf_init,
    .extract = odf_extract,
    .rules = ts_office_rules,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RTF: text, \info metadata, annotations, revisions, hidden text (\v) and embedded objects. */
#include "extract/office.h"

#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "extract/ole.h"
#include "extract/zipread.h"

/*
 * A single pass over the control words (RTF 1.9.1). Each group carries its destination and
 * character state; the destination decides where text goes: the body (line = paragraph
 * number), a header or footer, a footnote, an annotation (comment), a revision-table entry,
 * an \info property, or nowhere (font tables, pictures, unknown \* destinations).
 * Tables ("Table Definitions": \trowd … \cell … \row, paragraphs marked \intbl) are handed
 * over as tables, a \cell ending each cell of a row; the paragraphs of a cell share its line,
 * and a nested table's cells (\nestcell, \itap2) are flattened into the outer cell.
 */

#define MAX_GROUPS 1024u    /* hostile input: nesting deeper than this is refused */
#define MAX_WORD 32u        /* control word letters kept */
#define MAX_AUTHORS 1024u   /* revision table entries kept */
#define OBJ_MAX (64u << 20) /* hostile input: embedded object bytes decoded */
#define MAX_ROW_CELLS 64u   /* cells of a row definition kept (Word allows 63) */
#define MAX_GRID 256u       /* column edges of a table kept */
#define EDGE_SLACK 20       /* twips: edges this close are one column edge */

enum dest {
    D_TEXT,    /* document text at the group's place */
    D_SKIP,    /* tables, pictures, unknown ignorable destinations */
    D_INFO,    /* an \info property: its text is metadata */
    D_AUTHOR,  /* \*\atnauthor: a comment's author */
    D_REVTBL,  /* \*\revtbl: revision authors, ';'-separated */
    D_OBJDATA, /* \*\objdata: hex of an OLE1 object */
    D_OBJCLASS,
};

typedef struct group {
    enum dest dest;
    ts_where where;
    bool hidden, deleted, inserted;
    bool counted; /* this run's revision is counted */
    bool intbl;   /* the paragraph is in a table (\intbl, \itapN; \pard ends it) */
    unsigned uc;
    unsigned long revauth;
    char info[24]; /* \info property name */
} group;

typedef struct rtf_state {
    ts_doc *doc;
    ts_tsink sink;
    group *g; /* the stack */
    size_t depth;
    unsigned long para;
    size_t skip_chars; /* ANSI fallback characters after \u still to skip */
    ts_sbuf prop;      /* text of the current \info property / author / class */
    ts_sbuf obj;       /* decoded \objdata bytes */
    int nibble;        /* pending high hex nibble of \objdata, -1 = none */
    char objclass[64];
    char **authors;
    size_t nauthors;
    ts_tally revisions, comments;
    size_t hidden_chars, objects;
    uint32_t high[128]; /* the document's code page (\ansicpg) for bytes 0x80-0xFF */
    /* the open table: its place, and the row and cell being read */
    bool tab_open, cell_open, in_row, new_row;
    ts_where tab_where;
    unsigned long tcell;        /* the cell's index in its row */
    unsigned long tcells;       /* cells handed to the sink in the row */
    long rowdef[MAX_ROW_CELLS]; /* right edges (\cellx) of the last row definition (\trowd) */
    size_t nrowdef;
    long grid[MAX_GRID]; /* the table's column edges so far, sorted */
    size_t ngrid;
    ts_status st;
} rtf_state;

/* Windows-1252 0x80-0x9F; the rest of the upper half is Latin-1. */
static const unsigned short cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* Bytes 0x80-0xFF as Windows-1252 (the default, and the fallback). */
static void high_cp1252(rtf_state *s)
{
    for (unsigned c = 0x80; c <= 0xFF; c++)
        s->high[c - 0x80] = c < 0xA0 ? cp1252[c - 0x80] : c;
}

/*
 * \ansicpgN: a single-byte Windows or DOS code page (1250 Central European, 1251 Cyrillic, 1253
 * Greek, 850, 865 Nordic DOS …) read through iconv, one byte at a time. Double-byte code pages
 * (932, 936, 949, 950) keep the Windows-1252 table: their writers also give each character as
 * \uN, which is what is read.
 */
static void high_codepage(rtf_state *s, long cp)
{
    high_cp1252(s);
    if (cp == 1252 || cp <= 0 || cp > 65535 || cp == 932 || cp == 936 || cp == 949 || cp == 950)
        return;
    char name[16];
    snprintf(name, sizeof name, "CP%ld", cp);
    iconv_t cd = iconv_open("UTF-32LE", name);
    if (cd == (iconv_t)-1)
        return;
    for (unsigned c = 0x80; c <= 0xFF; c++) {
        char in[1] = {(char)c};
        unsigned char out[8];
        char *ip = in, *op = (char *)out;
        size_t il = 1, ol = sizeof out;
        iconv(cd, NULL, NULL, NULL, NULL);
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == sizeof out - 4)
            s->high[c - 0x80] = (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 |
                                (uint32_t)out[3] << 24;
        else
            s->high[c - 0x80] = 0xFFFD;
    }
    iconv_close(cd);
}

static group *cur(rtf_state *s)
{
    return &s->g[s->depth];
}

static ts_where where_of(const group *g)
{
    if (g->deleted)
        return TS_WHERE_TRACKED_DELETION;
    if (g->hidden)
        return TS_WHERE_HIDDEN_TEXT;
    if (g->inserted)
        return TS_WHERE_TRACKED_INSERTION;
    return g->where;
}

static void count_revision(rtf_state *s, const group *g, int which)
{
    const char *who = g->revauth < s->nauthors ? s->authors[g->revauth] : "";
    if (s->st == TS_OK)
        s->st = ts_tally_add(&s->revisions, who, strlen(who), which);
}

/* ---- tables ---- */

/* Does the group's text belong to the table's own story (not a footnote inside a cell)? */
static bool table_story(const rtf_state *s, const group *g)
{
    return !s->tab_open || g->where == s->tab_where;
}

static bool in_table(const rtf_state *s, const group *g)
{
    return g->intbl || s->in_row;
}

/* \cellxN: a cell's right edge; it is also a column edge of the table (kept sorted). */
static void add_edge(rtf_state *s, long x)
{
    if (s->nrowdef < MAX_ROW_CELLS)
        s->rowdef[s->nrowdef++] = x;
    size_t i = 0;
    while (i < s->ngrid && s->grid[i] < x - EDGE_SLACK)
        i++;
    if ((i < s->ngrid && s->grid[i] <= x + EDGE_SLACK) || s->ngrid >= MAX_GRID)
        return;
    memmove(s->grid + i + 1, s->grid + i, (s->ngrid - i) * sizeof(*s->grid));
    s->grid[i] = x;
    s->ngrid++;
}

/*
 * The column of the row's cell `i`: the table's column edges left of its left edge (the right
 * edge of the cell before it), so that a merged cell (one wide \cellx instead of several)
 * moves the next cells on. Without a definition for it, the cell after the previous one.
 */
static unsigned long cell_column(const rtf_state *s, unsigned long i)
{
    if (i == 0)
        return 0;
    if (i > s->nrowdef)
        return s->tcells;
    long left = s->rowdef[i - 1];
    unsigned long col = 0;
    for (size_t k = 0; k < s->ngrid && s->grid[k] <= left + EDGE_SLACK; k++)
        col++;
    return col < s->tcells ? s->tcells : col;
}

/* Text of a table paragraph: the table and the cell start if they have not yet. */
static void cell_begin(rtf_state *s, const group *g)
{
    if (!s->tab_open) {
        ts_tsink_table(&s->sink);
        s->tab_open = true;
        s->tab_where = g->where;
        s->new_row = true;
        s->tcell = s->tcells = 0;
    }
    if (!s->cell_open) {
        unsigned long col = cell_column(s, s->tcell);
        /* columns a merged cell covers: empty cells, so the row's text has a tab per column */
        while (s->tcells < col) {
            ts_tsink_cell(&s->sink, s->para, s->tcells++, NULL, s->new_row);
            s->new_row = false;
        }
        ts_tsink_cell(&s->sink, s->para, col, NULL, s->new_row);
        s->tcells = col + 1;
        s->new_row = false;
        s->cell_open = true;
    }
}

/* A paragraph outside the table: the table ends and the text goes on on a line of its own. */
static void table_leave(rtf_state *s)
{
    if (!s->tab_open)
        return;
    ts_tsink_table_end(&s->sink);
    s->tab_open = s->cell_open = s->in_row = false;
    s->ngrid = 0;
    ts_tsink_line(&s->sink, s->para);
}

/* \cell: the cell ends (an empty one starts and ends); the next text is the next cell's. */
static void cell_end(rtf_state *s, const group *g)
{
    if (!table_story(s, g))
        return;
    cell_begin(s, g);
    s->cell_open = false;
    if (s->tcell < MAX_ROW_CELLS * 4)
        s->tcell++;
}

/* \row: the row ends; its cells had one paragraph number, the next row gets the next. */
static void row_end(rtf_state *s, const group *g)
{
    if (!table_story(s, g))
        return;
    s->cell_open = false;
    s->in_row = false;
    s->new_row = true;
    s->tcell = s->tcells = 0;
    s->para++;
}

/* One character of text (UTF-8 bytes) at the current place. */
static void emit(rtf_state *s, const char *u8, size_t n)
{
    group *g = cur(s);
    if (s->skip_chars > 0) {
        s->skip_chars--;
        return;
    }
    switch (g->dest) {
    case D_TEXT:
        if (table_story(s, g)) {
            if (in_table(s, g))
                cell_begin(s, g);
            else
                table_leave(s);
        }
        if (g->hidden && u8[0] != ' ')
            s->hidden_chars++;
        if ((g->deleted || g->inserted) && !g->counted) {
            g->counted = true; /* counted at its text: \revauth may follow \deleted */
            count_revision(s, g, g->deleted ? 0 : 1);
        }
        ts_tsink_put(&s->sink, u8, n, where_of(g));
        break;
    case D_INFO:
    case D_AUTHOR:
    case D_REVTBL:
    case D_OBJCLASS:
        ts_sbuf_put(&s->prop, u8, n);
        break;
    default:
        break;
    }
}

static void emit_cp(rtf_state *s, uint32_t cp)
{
    unsigned char b[4];
    size_t n = ts_utf8_put(b, cp);
    emit(s, (const char *)b, n);
}

static void new_para(rtf_state *s)
{
    const group *g = cur(s);
    if (g->dest != D_TEXT)
        return;
    if (s->tab_open && (!table_story(s, g) || in_table(s, g))) {
        if (s->cell_open) /* a paragraph inside a cell: the cell's text stays on its line */
            ts_tsink_put(&s->sink, " ", 1, where_of(g));
        return;
    }
    if (s->tab_open) {
        table_leave(s);
        return; /* table_leave started the paragraph's line */
    }
    s->para++;
    ts_tsink_line(&s->sink, s->para);
}

/* A group ends: what its destination gathered is handed on. */
static void close_group(rtf_state *s)
{
    group *g = cur(s);
    group *parent = s->depth > 0 ? &s->g[s->depth - 1] : g;
    ts_loc loc = {.where = TS_WHERE_METADATA};
    if (s->st != TS_OK)
        return;
    if (g->dest == D_INFO && parent->dest != D_INFO) {
        const char *v = ts_sbuf_trim(&s->prop);
        if (*v) {
            char line[64];
            snprintf(line, sizeof line, "%s: ", g->info);
            ts_tsink_place(&s->sink, TS_WHERE_METADATA, NULL, 0);
            ts_tsink_line(&s->sink, 0);
            ts_tsink_put(&s->sink, line, strlen(line), TS_WHERE_METADATA);
            ts_tsink_put(&s->sink, v, strlen(v), TS_WHERE_METADATA);
            ts_tsink_place(&s->sink, TS_WHERE_BODY, NULL, 0);
            ts_tsink_line(&s->sink, s->para); /* the paragraph goes on after the property */
            if (strcmp(g->info, "author") == 0)
                s->st = ts_office_person(s->doc, &loc, v, "author", "metadata.user-name");
            else if (strcmp(g->info, "operator") == 0)
                s->st = ts_office_person(s->doc, &loc, v, "last modified by",
                                         "metadata.last-modified-by");
            else if (strcmp(g->info, "company") == 0 || strcmp(g->info, "manager") == 0)
                s->st = ts_doc_flag(s->doc, "metadata.company", &loc, v, g->info);
            else if (strcmp(g->info, "template") == 0)
                s->st = ts_doc_flag(s->doc, "metadata.template-path", &loc, v, "template");
            else if (strcmp(g->info, "generator") == 0)
                s->st = ts_doc_flag(s->doc, "metadata.software", &loc, v, "generator");
            if (s->st == TS_OK)
                s->st = ts_office_paths(s->doc, &loc, v, strlen(v), "document property");
        }
        ts_sbuf_clear(&s->prop);
    } else if (g->dest == D_INFO) {
        ts_sbuf_put(&s->prop, " ", 1); /* {\propname X}{\staticval Y} of \userprops */
    } else if (g->dest == D_AUTHOR && parent->dest != D_AUTHOR) {
        const char *v = ts_sbuf_trim(&s->prop);
        s->st = ts_tally_add(&s->comments, v, strlen(v), 0);
        ts_sbuf_clear(&s->prop);
    } else if (g->dest == D_REVTBL && parent->dest == D_REVTBL && s->nauthors < MAX_AUTHORS) {
        /* each {name;} of the table is one author, in order */
        const char *v = ts_sbuf_trim(&s->prop);
        size_t n = strlen(v);
        if (n > 0 && v[n - 1] == ';')
            n--;
        char **a = ts_realloc(s->authors, (s->nauthors + 1) * sizeof(*a));
        if (a == NULL) {
            s->st = TS_ENOMEM;
            return;
        }
        s->authors = a;
        s->authors[s->nauthors] = ts_strndup(v, n);
        if (s->authors[s->nauthors] == NULL)
            s->st = TS_ENOMEM;
        else
            s->nauthors++;
        ts_sbuf_clear(&s->prop);
    } else if (g->dest == D_OBJCLASS && parent->dest != D_OBJCLASS) {
        snprintf(s->objclass, sizeof s->objclass, "%s", ts_sbuf_trim(&s->prop));
        ts_sbuf_clear(&s->prop);
    }
}

/*
 * An OLE1 object (MS-OLEDS §2.2.4 ObjectHeader + NativeData): flag it and scan its native data
 * as a child document. A "Package" object holds a file with its name (MS-OLEDS §2.3.6 is
 * silent on it; the layout is the Packager's): that file is the child.
 */
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void object_done(rtf_state *s)
{
    const unsigned char *p = (const unsigned char *)s->obj.p;
    size_t n = s->obj.len, at = 8;
    char name[128];
    s->objects++;
    snprintf(name, sizeof name, "object-%zu", s->objects);
    ts_loc loc = {.where = TS_WHERE_ATTACHMENT};
    if (s->st == TS_OK)
        s->st = ts_doc_flag(s->doc, "hidden.embedded-file", &loc,
                            s->objclass[0] ? s->objclass : name, "embedded object");
    /* skip the class, topic and item names (length-prefixed), then the native data size */
    for (int k = 0; k < 3 && at + 4 <= n; k++) {
        uint32_t l = rd32(p + at);
        at += 4;
        at = l <= n - at ? at + l : n;
    }
    if (s->st != TS_OK || at + 4 > n)
        goto out;
    size_t size = rd32(p + at);
    at += 4;
    if (size > n - at)
        size = n - at;
    const unsigned char *data = p + at;
    ts_ole_package pkg;
    if (strcmp(s->objclass, "Package") == 0 && ts_ole_package_parse(&pkg, data, size)) {
        if (pkg.label_len < sizeof name - 1)
            snprintf(name, sizeof name, "%.*s", (int)pkg.label_len, pkg.label);
        /* where the file was packaged from: often C:\Users\<login>\… */
        ts_loc meta = {.where = TS_WHERE_METADATA};
        if (pkg.path_len > 0 && (s->st = ts_office_paths(s->doc, &meta, pkg.path, pkg.path_len,
                                                         "packaged file")) != TS_OK)
            goto out;
        data = pkg.data;
        size = pkg.len;
    }
    if (!ts_zip_name_safe(name))
        snprintf(name, sizeof name, "object-%zu", s->objects);
    s->st = ts_doc_child(s->doc, name, data, size);
out:
    ts_sbuf_clear(&s->obj);
    s->objclass[0] = '\0';
}

/* Destinations by control word: where their text goes. */
static void destination(rtf_state *s, const char *w, bool star)
{
    group *g = cur(s);
    static const char *const info_props[] = {"title",   "subject",  "author",    "manager",
                                             "company", "operator", "category",  "keywords",
                                             "comment", "doccomm",  "hlinkbase", NULL};
    static const char *const skip[] = {"fonttbl",
                                       "colortbl",
                                       "stylesheet",
                                       "listtable",
                                       "listoverridetable",
                                       "rsidtbl",
                                       "pict",
                                       "themedata",
                                       "colorschememapping",
                                       "latentstyles",
                                       "datastore",
                                       "xmlnstbl",
                                       "filetbl",
                                       "info",
                                       "bkmkstart",
                                       "bkmkend",
                                       "atnid",
                                       "atndate",
                                       "atnref",
                                       "atnicn",
                                       "objalias",
                                       "objsect",
                                       "nonshppict",
                                       "shppict",
                                       "passwordhash",
                                       NULL};
    if (strcmp(w, "info") == 0) {
        g->dest = D_SKIP; /* only the known properties inside are read */
        return;
    }
    for (size_t i = 0; info_props[i]; i++) {
        if (strcmp(w, info_props[i]) == 0 && s->depth > 0 && s->g[s->depth - 1].dest == D_SKIP) {
            g->dest = D_INFO;
            snprintf(g->info, sizeof g->info, "%.23s", w); /* property names are short */
            return;
        }
    }
    if (strcmp(w, "generator") == 0 || strcmp(w, "template") == 0 || strcmp(w, "userprops") == 0) {
        g->dest = D_INFO;
        snprintf(g->info, sizeof g->info, "%.23s", w); /* property names are short */
    } else if (strcmp(w, "annotation") == 0) {
        g->where = TS_WHERE_COMMENT;
    } else if (strcmp(w, "atnauthor") == 0) {
        g->dest = D_AUTHOR;
    } else if (strcmp(w, "revtbl") == 0) {
        g->dest = D_REVTBL;
    } else if (strcmp(w, "footnote") == 0) {
        g->where = TS_WHERE_FOOTNOTE;
    } else if (strncmp(w, "header", 6) == 0) {
        g->where = TS_WHERE_HEADER;
    } else if (strncmp(w, "footer", 6) == 0) {
        g->where = TS_WHERE_FOOTER;
    } else if (strcmp(w, "objdata") == 0) {
        g->dest = D_OBJDATA;
        ts_sbuf_clear(&s->obj);
        s->nibble = -1;
    } else if (strcmp(w, "objclass") == 0) {
        g->dest = D_OBJCLASS;
    } else {
        for (size_t i = 0; skip[i]; i++)
            if (strcmp(w, skip[i]) == 0)
                g->dest = D_SKIP;
        if (star && g->dest == D_TEXT && strcmp(w, "fldinst") != 0)
            g->dest = D_SKIP; /* an ignorable destination we do not know */
    }
}

static void control(rtf_state *s, const char *w, bool has_arg, long arg, bool star, bool first)
{
    group *g = cur(s);
    if (first) {
        destination(s, w, star);
        g = cur(s);
        if (g->dest != D_TEXT && g->dest != D_INFO)
            return;
    }
    if (strcmp(w, "par") == 0 || strcmp(w, "sect") == 0 || strcmp(w, "page") == 0) {
        new_para(s);
    } else if (strcmp(w, "line") == 0) {
        emit(s, s->cell_open ? " " : "\n", 1);
    } else if (strcmp(w, "tab") == 0) {
        emit(s, s->cell_open ? " " : "\t", 1);
    } else if (strcmp(w, "cell") == 0 && g->dest == D_TEXT) {
        cell_end(s, g);
    } else if (strcmp(w, "row") == 0 && g->dest == D_TEXT) {
        if (s->tab_open) {
            row_end(s, g);
        } else {
            s->in_row = false;
            new_para(s); /* a row without cells */
        }
    } else if ((strcmp(w, "nestcell") == 0 || strcmp(w, "nestrow") == 0) && g->dest == D_TEXT) {
        emit(s, " ", 1); /* a nested table flattens into the outer cell */
    } else if (strcmp(w, "trowd") == 0 && g->dest == D_TEXT) {
        if (table_story(s, g)) {
            s->in_row = true;
            s->nrowdef = 0;
            if (!s->tab_open)
                s->ngrid = 0; /* a new table */
        }
    } else if (strcmp(w, "cellx") == 0 && has_arg && g->dest == D_TEXT) {
        if (table_story(s, g))
            add_edge(s, arg);
    } else if (strcmp(w, "intbl") == 0) {
        g->intbl = !has_arg || arg != 0;
    } else if (strcmp(w, "itap") == 0) {
        g->intbl = has_arg && arg > 0;
    } else if (strcmp(w, "pard") == 0) {
        g->intbl = false;
    } else if (strcmp(w, "v") == 0) {
        g->hidden = !has_arg || arg != 0;
    } else if (strcmp(w, "deleted") == 0) {
        g->deleted = !has_arg || arg != 0;
        g->counted = false;
    } else if (strcmp(w, "revised") == 0) {
        g->inserted = !has_arg || arg != 0;
        g->counted = false;
    } else if (strcmp(w, "revauth") == 0 || strcmp(w, "revauthdel") == 0) {
        g->revauth = has_arg && arg >= 0 ? (unsigned long)arg : 0;
    } else if (strcmp(w, "plain") == 0) {
        g->hidden = g->deleted = g->inserted = false;
    } else if (strcmp(w, "ansicpg") == 0 && has_arg) {
        high_codepage(s, arg);
    } else if (strcmp(w, "uc") == 0) {
        g->uc = has_arg && arg >= 0 && arg < 8 ? (unsigned)arg : 1;
    } else if (strcmp(w, "u") == 0 && has_arg) {
        long cp = arg < 0 ? arg + 65536 : arg;
        emit_cp(s,
                cp >= 0 && cp < 0x110000 && (cp < 0xD800 || cp > 0xDFFF) ? (uint32_t)cp : 0xFFFD);
        s->skip_chars = g->uc;
    } else if (strcmp(w, "emdash") == 0) {
        emit_cp(s, 0x2014);
    } else if (strcmp(w, "endash") == 0) {
        emit_cp(s, 0x2013);
    } else if (strcmp(w, "lquote") == 0 || strcmp(w, "rquote") == 0) {
        emit(s, "'", 1);
    } else if (strcmp(w, "ldblquote") == 0 || strcmp(w, "rdblquote") == 0) {
        emit(s, "\"", 1);
    } else if (strcmp(w, "bullet") == 0) {
        emit_cp(s, 0x2022);
    }
}

static ts_status parse(rtf_state *s, const unsigned char *d, size_t len)
{
    size_t i = 0;
    bool first = false; /* the next control word is the first of its group */
    bool star = false;
    while (i < len && s->st == TS_OK) {
        unsigned char c = d[i];
        if (c == '{') {
            if (s->depth + 1 >= MAX_GROUPS) {
                ts_doc_fail(s->doc, TS_ECORRUPT, "RTF groups nested deeper than %u", MAX_GROUPS);
                return TS_OK;
            }
            s->g[s->depth + 1] = s->g[s->depth];
            s->depth++;
            first = true;
            star = false;
            i++;
            continue;
        }
        if (c == '}') {
            if (cur(s)->dest == D_OBJDATA &&
                (s->depth == 0 || s->g[s->depth - 1].dest != D_OBJDATA))
                object_done(s);
            close_group(s);
            if (s->depth > 0)
                s->depth--;
            first = false;
            i++;
            continue;
        }
        if (c == '\\' && i + 1 < len) {
            unsigned char n = d[i + 1];
            if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z')) {
                char w[MAX_WORD + 1];
                size_t wl = 0;
                i++;
                while (i < len && ((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z'))) {
                    if (wl < MAX_WORD)
                        w[wl++] = (char)d[i];
                    i++;
                }
                w[wl] = '\0';
                bool has_arg = false, neg = false;
                long arg = 0;
                if (i < len && d[i] == '-') {
                    neg = true;
                    i++;
                }
                while (i < len && d[i] >= '0' && d[i] <= '9') {
                    if (arg < 100000000)
                        arg = arg * 10 + (d[i] - '0');
                    has_arg = true;
                    i++;
                }
                if (neg)
                    arg = -arg;
                if (i < len && d[i] == ' ')
                    i++;
                if (strcmp(w, "bin") == 0 && has_arg && arg > 0) {
                    /* hostile input: binary data of any length is skipped, never parsed */
                    i = (size_t)arg < len - i ? i + (size_t)arg : len;
                } else {
                    control(s, w, has_arg, arg, star, first);
                }
                first = false;
                star = false;
                continue;
            }
            i += 2;
            switch (n) {
            case '*':
                star = true;
                continue; /* still the first word of the group */
            case '\'':
                if (i + 2 <= len) {
                    unsigned v = 0;
                    for (int k = 0; k < 2; k++) {
                        unsigned char h = d[i + (size_t)k];
                        v = v * 16 + (h >= 'a'   ? (unsigned)(h - 'a' + 10)
                                      : h >= 'A' ? (unsigned)(h - 'A' + 10)
                                                 : (unsigned)(h - '0')) %
                                         16;
                    }
                    i += 2;
                    emit_cp(s, v >= 0x80 ? s->high[v - 0x80] : v);
                }
                break;
            case '~':
                emit(s, " ", 1);
                break;
            case '_':
                emit(s, "-", 1);
                break;
            case '\n':
            case '\r':
                new_para(s);
                break;
            case '\\':
            case '{':
            case '}':
                emit(s, (const char *)&d[i - 1], 1);
                break;
            default:
                break;
            }
            first = false;
            continue;
        }
        i++;
        first = false;
        if (c == '\r' || c == '\n')
            continue;
        group *g = cur(s);
        if (g->dest == D_OBJDATA) {
            int h = ts_hex_digit((unsigned char)c);
            if (h < 0)
                continue;
            if (s->nibble < 0) {
                s->nibble = h;
            } else if (s->obj.len < OBJ_MAX) {
                char b = (char)(s->nibble << 4 | h);
                ts_sbuf_put(&s->obj, &b, 1);
                s->nibble = -1;
            }
            continue;
        }
        if (c >= 0x80)
            emit_cp(s, s->high[c - 0x80]);
        else
            emit(s, (const char *)&c, 1);
    }
    if (s->prop.oom || s->obj.oom)
        return TS_ENOMEM;
    return s->st;
}

static ts_status rtf_extract(ts_doc *doc, const ts_input *in)
{
    rtf_state s = {.doc = doc, .nibble = -1};
    high_cp1252(&s);
    s.obj.max = OBJ_MAX;
    s.g = ts_calloc(MAX_GROUPS, sizeof(*s.g));
    if (s.g == NULL)
        return TS_ENOMEM;
    s.g[0].uc = 1;
    s.g[0].where = TS_WHERE_BODY;
    ts_tsink_init(&s.sink, doc, TS_WHERE_BODY, NULL);
    s.para = 1;
    ts_tsink_line(&s.sink, 1);
    ts_status st = parse(&s, in->data, in->len);
    ts_status st2 = ts_tsink_dispose(&s.sink);
    if (st == TS_OK)
        st = st2;
    if (st == TS_OK && s.hidden_chars > 0) {
        ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT};
        char *d = ts_doc_printf(doc, "%zu characters of hidden text", s.hidden_chars);
        st = d ? ts_doc_flag(doc, "hidden.hidden-text", &loc, "hidden text", d) : TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_office_flag_people(doc, NULL, &s.revisions, &s.comments);
    for (size_t i = 0; i < s.nauthors; i++)
        ts_free(s.authors[i]);
    ts_free(s.authors);
    ts_tally_free(&s.revisions);
    ts_tally_free(&s.comments);
    ts_sbuf_free(&s.prop);
    ts_sbuf_free(&s.obj);
    ts_free(s.g);
    return st;
}

const struct ts_extractor ts_extractor_rtf = {
    .name = "rtf",
    .types = (const ts_type[]){TS_TYPE_RTF, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .extract = rtf_extract,
    .rules = ts_office_rules,
};

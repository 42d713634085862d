/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SpreadsheetML (XLSX, XLSM): cells with sheet and reference, hidden sheets/rows/columns, more. */
#include "extract/ooxml.h"

#include <stdio.h>
#include <string.h>

/*
 * A finding in a cell says "Ark1!B7" in location.part and the row (7) in location.line; the
 * sheet's position in the workbook is location.page. A cell of a hidden or very hidden sheet is
 * `hidden-sheet`, a cell in a hidden row or column of a visible sheet `hidden-text`.
 * Shared strings that no cell uses any more are read too (`hidden-text`): they are text the
 * workbook still carries but nobody sees.
 */

#define MAX_COLS 16384u /* XFD */
#define MAX_SHEETS 4096u

typedef struct sst {
    ts_sbuf text;
    size_t *off; /* start of string i; off[n] = end */
    size_t n, cap;
    unsigned char *used;
} sst;

typedef struct sheet_ref {
    const char *name;
    const char *rid;
    int state; /* 0 visible, 1 hidden, 2 very hidden */
} sheet_ref;

/* ---- shared strings ------------------------------------------------------------------------- */

typedef struct sst_state {
    sst *s;
    bool in_t;
    unsigned rph; /* inside phonetic runs: not text of the cell */
    size_t max;
    ts_status st;
} sst_state;

static void sst_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)x;
    (void)uri;
    (void)nattr;
    (void)attrs;
    sst_state *s = u;
    if (strcmp(local, "si") == 0) {
        if (s->s->n >= s->max || s->st != TS_OK)
            return;
        if (ts_grow((void **)&s->s->off, &s->s->cap, s->s->n + 2, sizeof(*s->s->off)) != 0) {
            s->st = TS_ENOMEM;
            return;
        }
        s->s->off[s->s->n++] = s->s->text.len;
    } else if (strcmp(local, "t") == 0) {
        s->in_t = true;
    } else if (strcmp(local, "rPh") == 0) {
        s->rph++;
    }
}

static void sst_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    sst_state *s = u;
    if (strcmp(local, "t") == 0)
        s->in_t = false;
    else if (strcmp(local, "rPh") == 0 && s->rph > 0)
        s->rph--;
}

static void sst_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    sst_state *s = u;
    if (s->in_t && s->rph == 0 && s->s->n > 0)
        ts_sbuf_put(&s->s->text, t, len);
}

static ts_status read_sst(ts_opc *o, size_t idx, sst *out)
{
    sst_state s = {.s = out, .max = ts_doc_limits(o->doc)->max_items};
    out->text.max = SIZE_MAX;
    ts_xml_handler h = {.start = sst_start, .end = sst_end, .text = sst_text};
    ts_status st = ts_opc_parse(o, idx, &h, &s);
    if (out->text.oom)
        st = TS_ENOMEM;
    if (st == TS_OK)
        st = s.st;
    if (st != TS_OK)
        return st;
    if (out->off)
        out->off[out->n] = out->text.len;
    out->used = ts_calloc(out->n / 8 + 1, 1);
    return out->used ? TS_OK : TS_ENOMEM;
}

/* ---- the workbook: sheets, defined names, who has it open, where it was saved ------------- */

typedef struct book_state {
    ts_opc *o;
    const char *part;
    sheet_ref *sheets;
    size_t nsheets, cap_sheets;
    ts_tsink names; /* defined names */
    bool in_name;
    ts_status st;
} book_state;

static void book_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)x;
    (void)uri;
    book_state *b = u;
    ts_doc *doc = b->o->doc;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = b->part};
    size_t n, rn;
    if (b->st != TS_OK)
        return;
    if (strcmp(local, "sheet") == 0) {
        const char *name = ts_xml_attr(nattr, attrs, "name", &n);
        const char *rid = ts_xml_attr(nattr, attrs, "id", &rn);
        if (name == NULL || rid == NULL || b->nsheets >= MAX_SHEETS)
            return;
        if (ts_grow((void **)&b->sheets, &b->cap_sheets, b->nsheets + 1, sizeof(*b->sheets)) !=
            0) {
            b->st = TS_ENOMEM;
            return;
        }
        sheet_ref *s = &b->sheets[b->nsheets];
        s->name = ts_doc_strndup(doc, name, n);
        s->rid = ts_doc_strndup(doc, rid, rn);
        s->state = ts_xml_attr_is(nattr, attrs, "state", "veryHidden") ? 2
                   : ts_xml_attr_is(nattr, attrs, "state", "hidden")   ? 1
                                                                       : 0;
        if (s->name == NULL || s->rid == NULL)
            b->st = TS_ENOMEM;
        else
            b->nsheets++;
    } else if (strcmp(local, "definedName") == 0) {
        const char *name = ts_xml_attr(nattr, attrs, "name", &n);
        bool hidden = ts_xml_attr_bool(nattr, attrs, "hidden", false);
        ts_tsink_line(&b->names, 0);
        if (name) {
            ts_tsink_put(&b->names, name, n, hidden ? TS_WHERE_HIDDEN_TEXT : TS_WHERE_METADATA);
            ts_tsink_put(&b->names, " = ", 3, TS_WHERE_METADATA);
        }
        b->in_name = true;
    } else if (strcmp(local, "fileSharing") == 0) {
        char user[256];
        if (ts_xml_attr_copy(nattr, attrs, "userName", user, sizeof user))
            b->st = ts_office_person(doc, &loc, user, "reserved by (file sharing)",
                                     "metadata.user-name");
    } else if (strcmp(local, "absPath") == 0) {
        const char *url = ts_xml_attr(nattr, attrs, "url", &n);
        if (url)
            b->st = ts_office_paths(doc, &loc, url, n, "folder the workbook was saved in");
        if (url && b->st == TS_OK)
            b->st = ts_doc_text(doc, &loc, url, n);
    }
}

static void book_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    book_state *b = u;
    if (strcmp(local, "definedName") == 0)
        b->in_name = false;
}

static void book_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    book_state *b = u;
    if (!b->in_name)
        return;
    ts_tsink_put(&b->names, t, len, TS_WHERE_METADATA);
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = b->part};
    if (b->st == TS_OK)
        b->st = ts_office_paths(b->o->doc, &loc, t, len, "defined name");
}

/* ---- a worksheet ---------------------------------------------------------------------------- */

typedef struct sheet_state {
    ts_opc *o;
    sst *strings;
    const char *name;
    ts_tsink sink;
    ts_where base;
    unsigned char hidden_cols[MAX_COLS / 8];
    unsigned long row;
    bool row_hidden, new_row;
    unsigned long col; /* 1-based column of the current cell */
    char ref[12];
    char type[12];
    int capture; /* 0 none, 1 <v>, 2 <f>, 3 inline <t> */
    ts_sbuf v, f;
    size_t hidden_cells;
    unsigned long hidden_rows, last_hidden_row;
    unsigned skip_depth;
    ts_sbuf hf; /* header/footer text */
    ts_status st;
} sheet_state;

/* "B7" → column 2, row 7; false when it is not a cell reference. */
static bool parse_ref(const char *s, size_t n, unsigned long *col, unsigned long *row)
{
    size_t i = 0;
    unsigned long c = 0, r = 0;
    while (i < n && s[i] >= 'A' && s[i] <= 'Z' && i < 3)
        c = c * 26 + (unsigned long)(s[i++] - 'A' + 1);
    if (i == 0 || i == n)
        return false;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || r > 10000000ul)
            return false;
        r = r * 10 + (unsigned long)(s[i] - '0');
    }
    *col = c;
    *row = r;
    return c > 0 && c <= MAX_COLS;
}

static bool col_hidden(const sheet_state *s, unsigned long col)
{
    return col >= 1 && col <= MAX_COLS && (s->hidden_cols[(col - 1) / 8] >> ((col - 1) % 8)) & 1;
}

static void sheet_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                        const char **attrs)
{
    sheet_state *s = u;
    size_t n;
    if (s->skip_depth)
        return;
    if (strcmp(local, "c") == 0) {
        const char *r = ts_xml_attr(nattr, attrs, "r", &n);
        unsigned long col, row;
        if (r && parse_ref(r, n, &col, &row)) {
            s->col = col;
            if (row != s->row) {
                s->row = row;
                s->new_row = true;
            }
        } else {
            s->col++;
        }
        ts_office_cell_ref(s->ref, sizeof s->ref, s->col, s->row);
        ts_xml_attr_copy(nattr, attrs, "t", s->type, sizeof s->type);
        ts_sbuf_clear(&s->v);
        ts_sbuf_clear(&s->f);
    } else if (strcmp(local, "v") == 0) {
        s->capture = 1;
    } else if (strcmp(local, "f") == 0) {
        s->capture = 2;
    } else if (strcmp(local, "t") == 0) {
        s->capture = 3;
    } else if (strcmp(local, "row") == 0) {
        s->row = ts_xml_attr_ulong(nattr, attrs, "r", s->row + 1);
        s->row_hidden = ts_xml_attr_bool(nattr, attrs, "hidden", false);
        s->new_row = true;
        s->col = 0;
    } else if (strcmp(local, "col") == 0) {
        if (!ts_xml_attr_bool(nattr, attrs, "hidden", false))
            return;
        unsigned long lo = ts_xml_attr_ulong(nattr, attrs, "min", 0);
        unsigned long hi = ts_xml_attr_ulong(nattr, attrs, "max", 0);
        if (hi > MAX_COLS)
            hi = MAX_COLS;
        for (unsigned long c = lo ? lo : 1; c <= hi; c++)
            s->hidden_cols[(c - 1) / 8] |= (unsigned char)(1u << ((c - 1) % 8));
    } else if (strstr(local, "Header") || strstr(local, "Footer")) {
        if (strncmp(local, "odd", 3) == 0 || strncmp(local, "even", 4) == 0 ||
            strncmp(local, "first", 5) == 0) {
            ts_sbuf_clear(&s->hf);
            s->capture = 4;
        }
    } else if (strcmp(local, "Fallback") == 0 && uri && strstr(uri, "markup-compatibility")) {
        s->skip_depth = ts_xml_depth(x);
    }
}

/* Header and footer text without its &-codes (&P page, &"Arial,Bold" font, &12 size …). */
static ts_status header_footer(sheet_state *s, bool footer)
{
    const char *t = ts_sbuf_str(&s->hf);
    size_t n = s->hf.len, w = 0;
    char *out = ts_malloc(n + 1);
    if (out == NULL)
        return TS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (t[i] != '&' || i + 1 >= n) {
            out[w++] = t[i];
            continue;
        }
        i++;
        if (t[i] == '&') {
            out[w++] = '&';
        } else if (t[i] == '"') {
            while (i + 1 < n && t[i + 1] != '"')
                i++;
            i++;
            out[w++] = ' ';
        } else {
            while (i + 1 < n && t[i] >= '0' && t[i] <= '9' && t[i + 1] >= '0' && t[i + 1] <= '9')
                i++;
            out[w++] = ' ';
        }
    }
    ts_loc loc = {.where = footer ? TS_WHERE_FOOTER : TS_WHERE_HEADER, .part = s->name};
    if (s->base == TS_WHERE_HIDDEN_SHEET)
        loc.where = TS_WHERE_HIDDEN_SHEET;
    ts_status st = ts_doc_text(s->o->doc, &loc, out, w);
    ts_free(out);
    return st;
}

static void end_cell(ts_xml *x, sheet_state *s)
{
    const char *text = NULL;
    size_t len = 0;
    if (s->st != TS_OK)
        return;
    if (strcmp(s->type, "s") == 0) {
        unsigned long i = 0;
        const char *v = ts_sbuf_trim(&s->v);
        bool ok = *v != '\0';
        for (; *v && ok; v++) {
            ok = *v >= '0' && *v <= '9' && i < 100000000ul;
            i = i * 10 + (unsigned long)(*v - '0');
        }
        if (ok && i < s->strings->n) {
            text = s->strings->text.p + s->strings->off[i];
            len = s->strings->off[i + 1] - s->strings->off[i];
            /* hostile input: a string used again is text made again (one 1 MB string in 12,000
             * cells is 12 GB): counted where it is made, and the sheet stops at the limit */
            if ((s->strings->used[i / 8] >> (i % 8)) & 1 &&
                ts_doc_count_expanded(s->o->doc, len) != TS_OK) {
                s->st = TS_ELIMIT;
                ts_xml_stop(x);
                return;
            }
            s->strings->used[i / 8] |= (unsigned char)(1u << (i % 8));
        }
    } else if (strcmp(s->type, "b") != 0 && strcmp(s->type, "e") != 0) {
        text = ts_sbuf_str(&s->v);
        len = s->v.len;
    }
    if (len == 0 && s->f.len == 0)
        return;
    bool hidden = s->row_hidden || col_hidden(s, s->col);
    ts_where where = hidden ? TS_WHERE_HIDDEN_TEXT : s->base;
    ts_tsink_cell(&s->sink, s->row, s->col > 0 ? s->col - 1 : 0, s->ref, s->new_row);
    s->new_row = false;
    ts_tsink_put(&s->sink, text, len, where);
    if (s->f.len > 0) {
        ts_tsink_put(&s->sink, len ? " =" : "=", len ? 2 : 1, where);
        ts_tsink_put(&s->sink, ts_sbuf_str(&s->f), s->f.len, where);
        ts_loc loc = {.where = where, .part = s->name, .line = s->row};
        if (s->st == TS_OK)
            s->st = ts_office_paths(s->o->doc, &loc, ts_sbuf_str(&s->f), s->f.len, "formula");
    }
    if (hidden) {
        s->hidden_cells++;
        if (s->row_hidden && s->row != s->last_hidden_row) {
            s->hidden_rows++;
            s->last_hidden_row = s->row;
        }
    }
}

static void sheet_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    sheet_state *s = u;
    if (s->skip_depth) {
        if (ts_xml_depth(x) == s->skip_depth)
            s->skip_depth = 0;
        return;
    }
    if (strcmp(local, "c") == 0) {
        end_cell(x, s);
    } else if (s->capture == 4 && (strstr(local, "Header") || strstr(local, "Footer"))) {
        s->capture = 0;
        if (s->st == TS_OK && s->hf.len > 0)
            s->st = header_footer(s, strstr(local, "Footer") != NULL);
    } else if (strcmp(local, "v") == 0 || strcmp(local, "f") == 0 || strcmp(local, "t") == 0) {
        s->capture = 0;
    }
}

static void sheet_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    sheet_state *s = u;
    if (s->skip_depth)
        return;
    switch (s->capture) {
    case 1:
    case 3:
        ts_sbuf_put(&s->v, t, len);
        break;
    case 2:
        ts_sbuf_put(&s->f, t, len);
        break;
    case 4:
        ts_sbuf_put(&s->hf, t, len);
        break;
    default:
        break;
    }
}

/* ---- comments: legacy notes and threaded comments ------------------------------------------ */

typedef struct person {
    char *id, *name;
} person;

typedef struct comments_state {
    ts_opc *o;
    ts_tsink sink;
    const char *sheet;
    char **authors; /* legacy: authorId → name */
    size_t nauthors, cap_authors;
    const person *people; /* threaded: personId → displayName */
    size_t npeople;
    ts_tally *tally;
    ts_sbuf author; /* legacy <author> text */
    bool in_author, in_text, in_t;
    unsigned long row;
    ts_status st;
} comments_state;

static void com_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)x;
    (void)uri;
    comments_state *c = u;
    size_t n;
    if (c->st != TS_OK)
        return;
    if (strcmp(local, "author") == 0) {
        c->in_author = true;
        ts_sbuf_clear(&c->author);
    } else if (strcmp(local, "comment") == 0 || strcmp(local, "threadedComment") == 0) {
        char ref[12];
        unsigned long col = 0, row = 0;
        const char *who = "";
        size_t wlen = 0;
        ts_xml_attr_copy(nattr, attrs, "ref", ref, sizeof ref);
        parse_ref(ref, strlen(ref), &col, &row);
        unsigned long aid = ts_xml_attr_ulong(nattr, attrs, "authorId", (unsigned long)-1);
        const char *pid = ts_xml_attr(nattr, attrs, "personId", &n);
        if (aid < c->nauthors) {
            who = c->authors[aid];
            wlen = strlen(who);
        }
        for (size_t i = 0; pid && i < c->npeople; i++) {
            if (strlen(c->people[i].id) == n && memcmp(c->people[i].id, pid, n) == 0) {
                who = c->people[i].name;
                wlen = strlen(who);
            }
        }
        c->st = ts_tally_add(c->tally, who, wlen, 0);
        ts_tsink_cell(&c->sink, row, col > 0 ? col - 1 : 0, ref, true);
    } else if (strcmp(local, "text") == 0) {
        c->in_text = true;
    } else if (strcmp(local, "t") == 0) {
        c->in_t = true;
    }
}

static void com_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)uri;
    comments_state *c = u;
    if (strcmp(local, "author") == 0 && c->in_author) {
        c->in_author = false;
        if (ts_grow((void **)&c->authors, &c->cap_authors, c->nauthors + 1,
                    sizeof(*c->authors)) != 0) {
            c->st = TS_ENOMEM;
            return;
        }
        c->authors[c->nauthors] = ts_doc_strdup(c->o->doc, ts_sbuf_trim(&c->author));
        if (c->authors[c->nauthors] == NULL)
            c->st = TS_ENOMEM;
        else
            c->nauthors++;
    } else if (strcmp(local, "text") == 0) {
        c->in_text = false;
    } else if (strcmp(local, "t") == 0) {
        c->in_t = false;
    }
}

static void com_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    comments_state *c = u;
    if (c->in_author)
        ts_sbuf_put(&c->author, t, len);
    else if (c->in_text && (c->in_t || c->people))
        ts_tsink_put(&c->sink, t, len, TS_WHERE_COMMENT);
}

static ts_status read_comments(ts_opc *o, size_t idx, const char *sheet, const person *people,
                               size_t npeople, ts_tally *tally)
{
    if (idx == TS_ZIP_NONE || o->done[idx])
        return TS_OK;
    comments_state c = {.o = o, .sheet = sheet, .people = people, .npeople = npeople,
                        .tally = tally};
    ts_tsink_init(&c.sink, o->doc, TS_WHERE_COMMENT, sheet);
    ts_xml_handler h = {.start = com_start, .end = com_end, .text = com_text};
    ts_status st = ts_opc_parse(o, idx, &h, &c);
    if (c.author.oom)
        st = TS_ENOMEM;
    if (st == TS_OK)
        st = c.st;
    ts_status st2 = ts_tsink_dispose(&c.sink);
    ts_sbuf_free(&c.author);
    ts_free(c.authors);
    return st != TS_OK ? st : st2;
}

/* xl/persons/person.xml: who wrote the threaded comments, and their accounts */
typedef struct persons_state {
    ts_opc *o;
    const char *part;
    person *v;
    size_t n, cap;
    ts_status st;
} persons_state;

static void persons_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                          const char **attrs)
{
    (void)x;
    (void)uri;
    persons_state *p = u;
    size_t idn, nn;
    if (strcmp(local, "person") != 0 || p->st != TS_OK || p->n >= 10000)
        return;
    const char *id = ts_xml_attr(nattr, attrs, "id", &idn);
    const char *name = ts_xml_attr(nattr, attrs, "displayName", &nn);
    if (id == NULL || name == NULL)
        return;
    if (ts_grow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v)) != 0) {
        p->st = TS_ENOMEM;
        return;
    }
    p->v[p->n].id = ts_doc_strndup(p->o->doc, id, idn);
    p->v[p->n].name = ts_doc_strndup(p->o->doc, name, nn);
    if (p->v[p->n].id == NULL || p->v[p->n].name == NULL) {
        p->st = TS_ENOMEM;
        return;
    }
    p->n++;
    char user[256];
    if (ts_xml_attr_copy(nattr, attrs, "userId", user, sizeof user) &&
        (strchr(user, '@') != NULL || strchr(user, '\\') != NULL)) {
        ts_loc loc = {.where = TS_WHERE_METADATA, .part = p->part};
        p->st = ts_office_person(p->o->doc, &loc, user, "account of a comment author",
                                 "metadata.user-name");
    }
}

/* ---- connections (xl/connections.xml): databases, web queries, text files ----------------- */

static void conn_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)x;
    (void)uri;
    persons_state *p = u; /* only o, part and st are used */
    ts_doc *doc = p->o->doc;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = p->part};
    static const char *const keys[] = {"connection", "command", "url", "sourceFile",
                                       "odcFile", "description", NULL};
    if (p->st != TS_OK)
        return;
    if (strcmp(local, "connection") == 0) {
        char name[256];
        ts_xml_attr_copy(nattr, attrs, "name", name, sizeof name);
        p->st = ts_doc_flag(doc, "hidden.data-connection", &loc, name, "workbook connection");
    }
    for (size_t k = 0; keys[k] && p->st == TS_OK; k++) {
        size_t n;
        const char *v = ts_xml_attr(nattr, attrs, keys[k], &n);
        if (v == NULL)
            continue;
        p->st = ts_doc_text(doc, &loc, v, n);
        if (p->st == TS_OK)
            p->st = ts_office_paths(doc, &loc, v, n, "data connection");
    }
}

/* ---- the workbook --------------------------------------------------------------------------- */

static ts_status read_sheet(ts_opc *o, const sheet_ref *ref, unsigned page, sst *strings,
                            const person *people, size_t npeople, ts_tally *tally)
{
    ts_opc_rels rels;
    size_t idx = TS_ZIP_NONE;
    ts_status st = TS_OK;
    sheet_state *s = NULL;
    ts_loc loc = {.where = TS_WHERE_HIDDEN_SHEET, .page = page, .part = ref->name};
    if (ref->state > 0) {
        st = ts_doc_flag(o->doc, "hidden.hidden-sheet", &loc, ref->name,
                         ref->state == 2 ? "very hidden sheet (not listed by Excel's Unhide)"
                                         : "hidden sheet");
        if (st != TS_OK)
            return st;
    }
    /* the sheet's part comes from the workbook's relationships (looked up by the caller) */
    idx = ts_opc_part(o, ref->rid);
    if (idx == TS_ZIP_NONE || o->done[idx])
        return TS_OK;
    s = ts_calloc(1, sizeof(*s));
    if (s == NULL)
        return TS_ENOMEM;
    s->o = o;
    s->strings = strings;
    s->name = ref->name;
    s->base = ref->state > 0 ? TS_WHERE_HIDDEN_SHEET : TS_WHERE_CELL;
    ts_tsink_init(&s->sink, o->doc, s->base, ref->name);
    s->sink.sheet_rows = true;
    s->sink.page = page;
    ts_xml_handler h = {.start = sheet_start, .end = sheet_end, .text = sheet_text};
    st = ts_opc_parse(o, idx, &h, s);
    if (s->v.oom || s->f.oom || s->hf.oom)
        st = TS_ENOMEM;
    if (st == TS_OK)
        st = s->st;
    ts_status st2 = ts_tsink_dispose(&s->sink);
    if (st == TS_OK)
        st = st2;
    if (st == TS_OK && s->hidden_cells > 0 && ref->state == 0) {
        loc.where = TS_WHERE_HIDDEN_TEXT;
        char *d = ts_doc_printf(o->doc, "%zu cells in hidden rows or columns (%lu hidden rows)",
                                s->hidden_cells, s->hidden_rows);
        st = d ? ts_doc_flag(o->doc, "hidden.hidden-row-column", &loc, ref->name, d) : TS_ENOMEM;
    }
    ts_sbuf_free(&s->v);
    ts_sbuf_free(&s->f);
    ts_sbuf_free(&s->hf);
    ts_free(s);
    if (st != TS_OK)
        return st;
    /* the sheet's own relationships: its comments */
    st = ts_opc_rels_of(o, ts_zip_name(o->z, idx), &rels);
    for (size_t i = 0; i < rels.n && st == TS_OK; i++) {
        const ts_opc_rel *r = &rels.v[i];
        if (!r->external &&
            (strcmp(r->type, "comments") == 0 || strcmp(r->type, "threadedComment") == 0))
            st = read_comments(o, ts_opc_part(o, r->target), ref->name, people, npeople, tally);
    }
    return st;
}

static ts_status unused_strings(ts_opc *o, const sst *s, const char *part)
{
    ts_tsink sink;
    ts_tsink_init(&sink, o->doc, TS_WHERE_HIDDEN_TEXT, part);
    for (size_t i = 0; i < s->n; i++) {
        if ((s->used[i / 8] >> (i % 8)) & 1)
            continue;
        ts_tsink_line(&sink, 0);
        ts_tsink_put(&sink, s->text.p + s->off[i], s->off[i + 1] - s->off[i],
                     TS_WHERE_HIDDEN_TEXT);
    }
    return ts_tsink_dispose(&sink);
}

ts_status ts_xlsx_read(ts_opc *o, size_t main)
{
    ts_opc_rels rels;
    sst strings = {0};
    ts_tally tally = {0};
    persons_state persons = {.o = o};
    const char *main_name = ts_zip_name(o->z, main);
    book_state b = {.o = o, .part = main_name};
    size_t sst_idx = TS_ZIP_NONE;
    ts_tsink_init(&b.names, o->doc, TS_WHERE_METADATA, main_name);
    ts_status st = ts_opc_rels_of(o, main_name, &rels);
    for (size_t i = 0; i < rels.n && st == TS_OK; i++) {
        const ts_opc_rel *r = &rels.v[i];
        if (r->external)
            continue;
        size_t idx = ts_opc_part(o, r->target);
        if (strcmp(r->type, "sharedStrings") == 0 && sst_idx == TS_ZIP_NONE) {
            sst_idx = idx;
            st = ts_opc_soft(read_sst(o, idx, &strings));
        } else if (strcmp(r->type, "person") == 0) {
            persons.part = r->target;
            ts_xml_handler h = {.start = persons_start};
            st = ts_opc_parse(o, idx, &h, &persons);
            if (st == TS_OK)
                st = persons.st;
        } else if (strcmp(r->type, "connections") == 0) {
            persons_state c = {.o = o, .part = r->target};
            ts_xml_handler h = {.start = conn_start};
            st = ts_opc_parse(o, idx, &h, &c);
            if (st == TS_OK)
                st = c.st;
        } else if (strcmp(r->type, "externalLink") == 0 && idx != TS_ZIP_NONE && !o->done[idx]) {
            /* values cached from the linked workbook: in the file, shown nowhere */
            st = ts_opc_generic(o, idx, TS_WHERE_HIDDEN_TEXT);
        }
    }
    if (st == TS_OK && strings.used == NULL) {
        strings.used = ts_calloc(1, 1);
        if (strings.used == NULL)
            st = TS_ENOMEM;
    }
    if (st == TS_OK) {
        ts_xml_handler h = {.start = book_start, .end = book_end, .text = book_text};
        st = ts_opc_parse(o, main, &h, &b);
        if (st == TS_OK)
            st = b.st;
    }
    for (size_t i = 0; i < b.nsheets && st == TS_OK; i++) {
        /* replace the relationship id by the part it names */
        const ts_opc_rel *r = ts_opc_rel_id(&rels, b.sheets[i].rid, strlen(b.sheets[i].rid));
        sheet_ref ref = b.sheets[i];
        ref.rid = r && !r->external ? r->target : "";
        st = read_sheet(o, &ref, (unsigned)(i + 1), &strings, persons.v, persons.n, &tally);
    }
    bool over = st == TS_ELIMIT; /* recorded on the document: the rest is not expanded */
    if (over)
        st = TS_OK;
    if (st == TS_OK && strings.n > 0 && !over)
        st = unused_strings(o, &strings, ts_zip_name(o->z, sst_idx));
    ts_tally none = {0};
    if (st == TS_OK)
        st = ts_office_flag_people(o->doc, NULL, &none, &tally);
    ts_status st2 = ts_tsink_dispose(&b.names);
    if (st == TS_OK)
        st = st2;
    ts_free(b.sheets);
    ts_free(persons.v);
    ts_tally_free(&tally);
    ts_sbuf_free(&strings.text);
    ts_free(strings.off);
    ts_free(strings.used);
    return st;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF: tables found from where the characters of a page stand, handed to detection as cells. */
#include "extract/pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

/*
 * A PDF table is text placed in columns: the page text has no separators, and poppler runs cells
 * of one row together ("SystemBrukerPassord") or puts each column apart in reading order. The
 * characters' boxes (poppler_page_get_text_layout: one per character of poppler_page_get_text,
 * same page, cached) show the table: characters on one baseline are a line, a line splits into
 * chunks where a gap is clearly wider than a word space, and lines whose chunks line up in two
 * or more columns are the rows of a table. Sizes below are in units of a character box's
 * height (about 1.15 em), so that they hold for any font size.
 */
#define CHUNK_GAP 0.5    /* a gap wider than this between two characters of a line splits it */
#define GLUE_GAP 0.25    /* a gap wider than this gets a space when poppler gave it none */
#define WORD_GAP 0.15    /* kerning never opens a gap this wide; a word space (about 0.27) does */
#define SAME_LINE 0.4    /* baselines this close are one line */
#define ROW_GAP 3.0      /* rows of one table are at most this far apart */
#define COL_SLACK 0.3    /* a chunk belongs to a column it overlaps with this slack */
#define PROSE_WORDS 5u   /* a chunk of this many words or more is running text, not a cell */
#define MAX_CHARS 20000u /* hostile input: characters of a page looked at for tables */
#define MAX_LINES 1000u  /* hostile input: lines of a page looked at for tables */
#define MAX_COLS 32u     /* a line of more chunks than this is not a table row */
#define WRAP_PITCH 1.6   /* a cell's wrapped line is at most this far below the line above */
#define WRAP_SPACE 0.6   /* a word space and some slack, for the word that did not fit */
#define WRAP_OVER 4.0    /* a wrapped line reaches at most this far past its column's rows */
/* a paragraph's wrapped line starts at most this far right of the one above (after a bullet) */
#define WRAP_INDENT 3.0

#define BLANK 1
#define NEWLINE 2
#define SOFT 3 /* a line end inside a wrapped paragraph: handed over as a space */

/* Characters that follow one another in the page text on one baseline, close together. */
typedef struct frag {
    double x0, x1, yb, h;
    size_t ci0, ci1; /* first and last character index in the page text */
    size_t nglyphs;  /* characters in it that are not blank */
    size_t words;
} frag;

/* A piece of a line between gaps wider than a word space: a cell when the line is a row. */
typedef struct chunk {
    double x0, x1, h;
    size_t col;        /* column id in its block, then its rank (0 = left) */
    size_t start, end; /* bytes of the text handed over (tables only) */
    size_t ci0, ci1, nglyphs, words;
    size_t f0, f1;  /* its fragments t->frags[f0, f1), in the page text's order */
    bool continued; /* it continues the cell of its column on the line above (a wrapped cell) */
} chunk;

typedef struct line {
    double yb, h;
    size_t c0, c1;     /* chunks [c0, c1) */
    size_t start, end; /* bytes of its cells in the text handed over (tables only) */
    bool wrapped;      /* it holds only the wrapped text of cells of the row above */
} line;

typedef struct block {
    size_t first, end; /* lines [first, end) */
    size_t ci0;        /* its first character in the page text: where its rows are written */
} block;

typedef struct column {
    double x0, x1;
    size_t filled, prose, rank;
} column;

struct ts_pdf_tables {
    size_t *cstart;       /* byte offset of each character in the page text (+ one past the end) */
    size_t *off;          /* byte offset of each character in the text handed over */
    unsigned char *blank; /* per character: 0, BLANK or NEWLINE (in the body) */
    size_t cap_chars, cap_off, cap_blank;
    PopplerRectangle *nr;      /* the character boxes turned upright */
    const PopplerRectangle *R; /* the boxes in use: poppler's, or t->nr */
    size_t cap_nr;
    frag *frags;
    size_t nfrags, cap_frags;
    line *lines;
    size_t nlines, cap_lines;
    chunk *chunks;
    size_t nchunks, cap_chunks;
    block *blocks;
    size_t nblocks, cap_blocks;
    uint32_t *owner; /* per character: 1 + the block whose cell holds it, or 0 */
    size_t cap_owner;
    size_t nchars; /* characters of the page: t->off maps them when ts_pdf_cells.map is set */
    ts_field *fields;
    size_t nfields, cap_fields;
    char *spaced;
    size_t cap_spaced;
    column cols[MAX_COLS];
    size_t ncols;
};

void ts_pdf_tables_free(ts_pdf_tables *t)
{
    if (t == NULL)
        return;
    ts_free(t->cstart);
    ts_free(t->off);
    ts_free(t->blank);
    ts_free(t->nr);
    ts_free(t->frags);
    ts_free(t->lines);
    ts_free(t->chunks);
    ts_free(t->blocks);
    ts_free(t->owner);
    ts_free(t->fields);
    ts_free(t->spaced);
    ts_free(t);
}

/* ---- glued cells ---------------------------------------------------------------------------- */

/*
 * Could two table cells have run together on this page in a way that hides a value? Only then
 * is the spacing worth a look on a page without tables: a letter against an address-like number
 * (three dots or more inside it: "Administrasjon10.46.10.0"), a number holding four or more dots
 * ("10.46.10.0/2410.46.10.1"), or a word starting right after a small letter and running into a
 * value with a digit in it ("adminPassordSommer2024!"; table headings glued together,
 * "KravTypeVekt", hide no value). A dot that ends a sentence ("TEK17. Les") is not inside a
 * number, and requirement numbers ("K12.17.10") are not addresses.
 */
static bool glued_cells_possible(const char *t, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)t[i];
        if (g_ascii_isdigit(c)) {
            size_t s = i, dots = 0;
            while (i < n && (g_ascii_isdigit(t[i]) || t[i] == '/' ||
                             (t[i] == '.' && i + 1 < n && g_ascii_isdigit(t[i + 1]))))
                dots += t[i++] == '.';
            if (dots >= 4)
                return true;
            bool before = s > 0 && g_ascii_isalpha(t[s - 1]);
            bool after = i < n && g_ascii_isalpha(t[i]);
            if (dots >= 3 && (before || after))
                return true;
            continue;
        }
        if (g_ascii_islower(c) && i + 2 < n && g_ascii_isupper(t[i + 1]) &&
            g_ascii_islower(t[i + 2]))
            for (size_t k = i + 3; k < n && k < i + 40 && !g_ascii_isspace(t[k]); k++)
                if (g_ascii_isdigit(t[k]))
                    return true;
        i++;
    }
    return false;
}

/* ---- characters ----------------------------------------------------------------------------- */

static bool blank_byte(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
}

/* Can this box be placed? (hostile input: NaN fails every comparison, far away is absurd) */
static bool sane(const PopplerRectangle *r)
{
    return r->x1 > -1e6 && r->x1 < 1e6 && r->x2 > -1e6 && r->x2 < 1e6 && r->y1 > -1e6 &&
           r->y2 < 1e6 && r->y2 > r->y1;
}

static double max2(double a, double b)
{
    return a > b ? a : b;
}

static double min2(double a, double b)
{
    return a < b ? a : b;
}

/*
 * Where each character of `text` starts, and which are blank in `body`: how many characters
 * there are, or `max` + 1 when there are more than `max` (the arrays hold `max` + 2).
 */
static size_t index_chars(ts_pdf_tables *t, const char *text, const char *body, size_t len,
                          size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n <= max; n++) {
        size_t k = (size_t)g_utf8_skip[(guchar)text[i]];
        if (k == 0 || i + k > len)
            k = 1;
        t->cstart[n] = i;
        t->blank[n] = body[i] == '\n' ? NEWLINE : blank_byte((unsigned char)body[i]) ? BLANK : 0;
        i += k;
    }
    t->cstart[n] = len;
    return n;
}

/*
 * Which way the text of a page runs in poppler's layout: a page with /Rotate (ISO 32000-2
 * §7.7.3.3) is laid out as shown, so its text may run down (1), right to left (2) or up (3)
 * instead of right (0). The direction most characters advance in wins. Returns the boxes
 * turned so that text runs right and lines go down the page: `r` itself for direction 0.
 */
static const PopplerRectangle *upright(ts_pdf_tables *t, const PopplerRectangle *r, size_t n)
{
    size_t votes[4] = {0};
    const PopplerRectangle *last = NULL;
    for (size_t ci = 0; ci < n; ci++) {
        if (t->blank[ci]) {
            if (t->blank[ci] == NEWLINE)
                last = NULL;
            continue;
        }
        if (last != NULL) {
            double dx = r[ci].x1 - last->x1, dy = r[ci].y1 - last->y1;
            votes[fabs(dx) >= fabs(dy) ? (dx >= 0 ? 0 : 2) : (dy >= 0 ? 1 : 3)]++;
        }
        last = &r[ci];
    }
    unsigned dir = 0;
    for (unsigned d = 1; d < 4; d++)
        if (votes[d] > votes[dir])
            dir = d;
    if (dir == 0)
        return r;
    for (size_t ci = 0; ci < n; ci++) {
        double x1 = min2(r[ci].x1, r[ci].x2), x2 = max2(r[ci].x1, r[ci].x2);
        double y1 = min2(r[ci].y1, r[ci].y2), y2 = max2(r[ci].y1, r[ci].y2);
        PopplerRectangle *o = &t->nr[ci];
        if (dir == 1)
            *o = (PopplerRectangle){.x1 = y1, .x2 = y2, .y1 = -x2, .y2 = -x1};
        else if (dir == 2)
            *o = (PopplerRectangle){.x1 = -x2, .x2 = -x1, .y1 = -y2, .y2 = -y1};
        else
            *o = (PopplerRectangle){.x1 = -y2, .x2 = -y1, .y1 = x1, .y2 = x2};
    }
    return t->nr;
}

/* ---- lines and chunks ----------------------------------------------------------------------- */

/*
 * Cut the page text into fragments: characters that follow one another on one baseline with no
 * gap wider than a word space. poppler's text lines hold whole rows, with their cells glued or
 * spaced but far apart, or one cell each; either way a cell is one fragment or more, and the
 * walk is linear. Words are counted at spaces and at gaps poppler gave no space.
 */
static ts_status build_frags(ts_pdf_tables *t, const PopplerRectangle *r, size_t n)
{
    frag *cur = NULL;
    bool space = false;
    t->nfrags = 0;
    for (size_t ci = 0; ci < n; ci++) {
        if (t->blank[ci]) {
            space = true;
            if (t->blank[ci] == NEWLINE)
                cur = NULL;
            continue;
        }
        const PopplerRectangle *b = &r[ci];
        if (!sane(b)) {
            cur = NULL; /* it cannot be placed: no cell holds it */
            continue;
        }
        double h = b->y2 - b->y1;
        if (cur != NULL) {
            double hh = max2(h, cur->h);
            double gap = b->x1 - cur->x1;
            if (fabs(b->y2 - cur->yb) <= SAME_LINE * hh && gap <= CHUNK_GAP * hh &&
                b->x1 >= cur->x0) {
                cur->words += space || gap > WORD_GAP * hh;
                cur->x1 = max2(cur->x1, b->x2);
                cur->h = hh;
                cur->ci1 = ci;
                cur->nglyphs++;
                space = false;
                continue;
            }
        }
        if (ts_grow((void **)&t->frags, &t->cap_frags, t->nfrags + 1, sizeof(*t->frags)))
            return TS_ENOMEM;
        cur = &t->frags[t->nfrags++];
        *cur = (frag){
            .x0 = b->x1, .x1 = b->x2, .yb = b->y2, .h = h, .ci0 = ci, .ci1 = ci, .nglyphs = 1};
        cur->words = 1;
        space = false;
    }
    return TS_OK;
}

static int cmp_frag_y(const void *a, const void *b)
{
    const frag *x = a, *y = b;
    if (x->yb != y->yb)
        return x->yb < y->yb ? -1 : 1;
    return (x->ci0 > y->ci0) - (x->ci0 < y->ci0);
}

static int cmp_frag_x(const void *a, const void *b)
{
    const frag *x = a, *y = b;
    if (x->x0 != y->x0)
        return x->x0 < y->x0 ? -1 : 1;
    return (x->ci0 > y->ci0) - (x->ci0 < y->ci0);
}

/*
 * Fragments into lines (one baseline) and lines into chunks (fragments closer than a chunk gap
 * join). TS_ENOMEM, or TS_OK with t->nlines == 0 when the page is over MAX_LINES. Returns
 * through *columns whether some line has two chunks or more: only then can there be a table.
 */
static ts_status build_lines(ts_pdf_tables *t, bool *columns)
{
    frag *f = t->frags;
    size_t nf = t->nfrags;
    *columns = false;
    if (nf > 1) /* no fragments, no array: qsort wants one even for 0 elements (C11 7.22.5) */
        qsort(f, nf, sizeof(*f), cmp_frag_y);
    t->nlines = t->nchunks = 0;
    for (size_t a = 0; a < nf;) {
        size_t b = a + 1;
        while (b < nf && f[b].yb - f[a].yb <= SAME_LINE * f[a].h)
            b++;
        if (t->nlines >= MAX_LINES) {
            t->nlines = 0; /* hostile input: over the bound, no tables */
            *columns = false;
            return TS_OK;
        }
        qsort(f + a, b - a, sizeof(*f), cmp_frag_x);
        line L = {.yb = f[a].yb, .h = f[a].h, .c0 = t->nchunks};
        for (size_t i = a; i < b;) {
            chunk c = {.x0 = f[i].x0,
                       .x1 = f[i].x1,
                       .h = f[i].h,
                       .ci0 = f[i].ci0,
                       .ci1 = f[i].ci1,
                       .nglyphs = f[i].nglyphs,
                       .words = f[i].words};
            size_t j = i + 1;
            for (; j < b; j++) {
                const frag *q = &f[j];
                double h = max2(c.h, q->h);
                if (q->x0 - c.x1 > CHUNK_GAP * h)
                    break;
                c.words += q->words - (q->x0 - c.x1 <= WORD_GAP * h);
                c.x1 = max2(c.x1, q->x1);
                c.h = h;
                c.ci0 = q->ci0 < c.ci0 ? q->ci0 : c.ci0;
                c.ci1 = q->ci1 > c.ci1 ? q->ci1 : c.ci1;
                c.nglyphs += q->nglyphs;
            }
            /* a cell's text is written as poppler gave its characters: fragments in page order */
            c.f0 = i;
            c.f1 = j;
            for (size_t x = i + 1; x < j; x++)
                for (size_t y = x; y > i && f[y - 1].ci0 > f[y].ci0; y--) {
                    frag tmp = f[y];
                    f[y] = f[y - 1];
                    f[y - 1] = tmp;
                }
            if (ts_grow((void **)&t->chunks, &t->cap_chunks, t->nchunks + 1, sizeof(*t->chunks)))
                return TS_ENOMEM;
            t->chunks[t->nchunks++] = c;
            L.h = max2(L.h, c.h);
            i = j;
        }
        L.c1 = t->nchunks;
        *columns |= L.c1 - L.c0 >= 2;
        if (ts_grow((void **)&t->lines, &t->cap_lines, t->nlines + 1, sizeof(*t->lines)))
            return TS_ENOMEM;
        t->lines[t->nlines++] = L;
        a = b;
    }
    return TS_OK;
}

/* ---- table blocks --------------------------------------------------------------------------- */

static size_t nchunks(const line *L)
{
    return L->c1 - L->c0;
}

/*
 * Does line `li` continue the block whose columns are t->cols? Each of its chunks must overlap
 * at most one column, no two the same; a line of two chunks or more must line up with two
 * columns (its other chunks open new columns), a line of one chunk (a cell's text wrapped onto
 * a second line) with one. When it does, the chunks get their columns.
 */
static bool row_fits(ts_pdf_tables *t, size_t li)
{
    const line *L = &t->lines[li], *P = &t->lines[li - 1];
    size_t nc = nchunks(L);
    if (nc > MAX_COLS || L->yb - P->yb > ROW_GAP * max2(L->h, P->h))
        return false;
    uint64_t taken = 0;
    size_t matched = 0, fresh = 0;
    size_t col[MAX_COLS];
    for (size_t k = 0; k < nc; k++) {
        const chunk *c = &t->chunks[L->c0 + k];
        double slack = COL_SLACK * c->h;
        size_t hit = SIZE_MAX, nhit = 0;
        for (size_t j = 0; j < t->ncols; j++) {
            if (c->x0 < t->cols[j].x1 + slack && c->x1 > t->cols[j].x0 - slack) {
                hit = j;
                nhit++;
            }
        }
        if (nhit > 1 || (nhit == 1 && (taken & ((uint64_t)1 << hit))))
            return false; /* spans two columns, or two chunks in one column */
        if (nhit == 1) {
            taken |= (uint64_t)1 << hit;
            matched++;
        } else {
            fresh++;
        }
        col[k] = hit;
    }
    if (matched < (nc >= 2 ? 2u : 1u) || t->ncols + fresh > MAX_COLS)
        return false;
    for (size_t k = 0; k < nc; k++) {
        chunk *c = &t->chunks[L->c0 + k];
        if (col[k] == SIZE_MAX) {
            col[k] = t->ncols++;
            t->cols[col[k]] = (column){.x0 = c->x0, .x1 = c->x1};
        }
        c->col = col[k];
        t->cols[col[k]].x0 = min2(t->cols[col[k]].x0, c->x0);
        t->cols[col[k]].x1 = max2(t->cols[col[k]].x1, c->x1);
    }
    return true;
}

static void open_block(ts_pdf_tables *t, size_t li)
{
    const line *L = &t->lines[li];
    t->ncols = 0;
    for (size_t k = L->c0; k < L->c1; k++) {
        t->chunks[k].col = t->ncols;
        t->cols[t->ncols++] = (column){.x0 = t->chunks[k].x0, .x1 = t->chunks[k].x1};
    }
}

/* How wide the first word of chunk `c` is: up to its first blank, in its leftmost fragment. */
static double first_word(const ts_pdf_tables *t, const chunk *c)
{
    const frag *g = &t->frags[c->f0];
    for (size_t f = c->f0 + 1; f < c->f1; f++)
        if (t->frags[f].x0 < g->x0)
            g = &t->frags[f];
    double x1 = g->x0;
    for (size_t ci = g->ci0; ci <= g->ci1 && !t->blank[ci]; ci++)
        x1 = max2(x1, t->R[ci].x2);
    return x1 - g->x0;
}

/*
 * Is line L, right below line P, only the wrapped text of cells of the row above? `last` holds
 * that row's last chunk in each column, `cols` the columns it fills, and `edge` the right end
 * of each column over the lines of two chunks or more. Each chunk of L must continue a cell
 * of the row whose text reached so close to the column's edge that L's first word did not fit
 * after it, and stay within the column; and each of those cells must hold two words or more
 * (values of one word and one width, names or addresses, fill their column on every row: the
 * next row with an empty cell is not their wrapped text). A line that fills every column of
 * the row is the next row.
 */
static bool wraps(const ts_pdf_tables *t, const line *L, const line *P, chunk *const *last,
                  uint64_t cols, const double *edge)
{
    if (L->yb - P->yb > WRAP_PITCH * max2(L->h, P->h))
        return false;
    uint64_t mine = 0;
    for (size_t k = L->c0; k < L->c1; k++) {
        const chunk *c = &t->chunks[k], *p = last[c->col];
        if (p == NULL || p->words < 2 || c->x1 > edge[c->col] + WRAP_OVER * c->h ||
            edge[c->col] - p->x1 >= first_word(t, c) + WRAP_SPACE * c->h)
            return false;
        mine |= (uint64_t)1 << c->col;
    }
    return mine != cols;
}

/*
 * Mark the lines of [first, end) that hold only the wrapped text of cells of the row above
 * (poppler gives a cell of three lines as three lines), and their chunks.
 */
static void find_wraps(ts_pdf_tables *t, size_t first, size_t end)
{
    double edge[MAX_COLS];
    for (size_t j = 0; j < MAX_COLS; j++)
        edge[j] = -HUGE_VAL;
    for (size_t li = first; li < end; li++)
        for (size_t k = t->lines[li].c0; k < t->lines[li].c1 && nchunks(&t->lines[li]) >= 2; k++)
            edge[t->chunks[k].col] = max2(edge[t->chunks[k].col], t->chunks[k].x1);
    chunk *last[MAX_COLS] = {0};
    uint64_t cols = 0;
    for (size_t li = first; li < end; li++) {
        line *L = &t->lines[li];
        L->wrapped = li > first && wraps(t, L, &t->lines[li - 1], last, cols, edge);
        if (!L->wrapped) {
            memset(last, 0, sizeof(last));
            cols = 0;
        }
        for (size_t k = L->c0; k < L->c1; k++) {
            t->chunks[k].continued = L->wrapped;
            last[t->chunks[k].col] = &t->chunks[k];
            cols |= (uint64_t)1 << t->chunks[k].col;
        }
    }
}

/*
 * Lines [first, end) made one block: keep it as a table when two of its rows or more have two
 * chunks or more, and some column is not running text. Prose set in two columns lines up too,
 * but every line of it is long text on both sides. Chunks get their column's rank (0 = left).
 */
static ts_status close_block(ts_pdf_tables *t, size_t first, size_t end)
{
    find_wraps(t, first, end);
    /* a paragraph after a table starts in its first column: not a row (a row is its first line
     * and the wrapped lines below it) */
    while (end > first) {
        size_t s = end - 1;
        while (s > first && t->lines[s].wrapped)
            s--;
        if (nchunks(&t->lines[s]) >= 2)
            break;
        end = s;
    }
    size_t rows = 0;
    for (size_t li = first; li < end; li++)
        rows += nchunks(&t->lines[li]) >= 2;
    if (rows < 2 || t->ncols < 2)
        return TS_OK;
    for (size_t j = 0; j < t->ncols; j++) {
        t->cols[j].filled = t->cols[j].prose = 0;
        t->cols[j].rank = 0;
        for (size_t k = 0; k < t->ncols; k++)
            t->cols[j].rank +=
                t->cols[k].x0 < t->cols[j].x0 || (t->cols[k].x0 == t->cols[j].x0 && k < j);
    }
    for (size_t li = first; li < end; li++) {
        for (size_t k = t->lines[li].c0; k < t->lines[li].c1; k++) {
            column *c = &t->cols[t->chunks[k].col];
            c->filled++;
            c->prose += t->chunks[k].words >= PROSE_WORDS;
        }
    }
    bool cells = false;
    for (size_t j = 0; j < t->ncols; j++)
        cells |= t->cols[j].filled >= 2 && t->cols[j].prose * 2 < t->cols[j].filled;
    if (!cells)
        return TS_OK;
    for (size_t li = first; li < end; li++)
        for (size_t k = t->lines[li].c0; k < t->lines[li].c1; k++)
            t->chunks[k].col = t->cols[t->chunks[k].col].rank;
    if (ts_grow((void **)&t->blocks, &t->cap_blocks, t->nblocks + 1, sizeof(*t->blocks)))
        return TS_ENOMEM;
    t->blocks[t->nblocks++] = (block){.first = first, .end = end};
    return TS_OK;
}

static ts_status find_tables(ts_pdf_tables *t)
{
    ts_status st = TS_OK;
    size_t first = SIZE_MAX;
    t->nblocks = 0;
    for (size_t li = 0; li <= t->nlines && st == TS_OK; li++) {
        if (li < t->nlines && first != SIZE_MAX && row_fits(t, li))
            continue;
        if (first != SIZE_MAX)
            st = close_block(t, first, li);
        first = SIZE_MAX;
        if (li < t->nlines && nchunks(&t->lines[li]) >= 2 && nchunks(&t->lines[li]) <= MAX_COLS) {
            open_block(t, li);
            first = li;
        }
    }
    return st;
}

/* ---- wrapped paragraphs --------------------------------------------------------------------- */

/* Does chunk `c` start like a list item: a bullet or dash, "1." / "a)", or a label ("Lag:")? */
static bool starts_item(const ts_pdf_tables *t, const char *body, const chunk *c)
{
    const char *p = body + t->cstart[c->ci0];
    size_t k = t->cstart[c->ci1 + 1] - t->cstart[c->ci0];
    if (k == 0)
        return false;
    for (size_t i = 0; i < k && !blank_byte((unsigned char)p[i]); i++)
        if (p[i] == ':' && (i + 1 == k || blank_byte((unsigned char)p[i + 1])))
            return true;
    if (strchr("-*+o", p[0]) != NULL && (k == 1 || p[1] == ' '))
        return true;
    if ((unsigned char)p[0] >= 0xE2 && k >= 3 &&
        (memcmp(p, "\xE2\x80\xA2", 3) == 0 || memcmp(p, "\xE2\x80\x93", 3) == 0 ||
         memcmp(p, "\xE2\x96\xAA", 3) == 0 || memcmp(p, "\xE2\x97\xA6", 3) == 0))
        return true; /* • – ▪ ◦ */
    size_t i = 0;
    while (i < k && i < 3 && g_ascii_isalnum(p[i]))
        i++;
    return i > 0 && i < k && (p[i] == '.' || p[i] == ')') && i + 1 < k && p[i + 1] == ' ';
}

/* Do chunks a and b start with the same word ("access-list …", "set …": statements)? */
static bool same_first_word(const ts_pdf_tables *t, const char *body, const chunk *a,
                            const chunk *b)
{
    const char *p = body + t->cstart[a->ci0], *q = body + t->cstart[b->ci0];
    size_t n = t->cstart[a->ci1 + 1] - t->cstart[a->ci0],
           m = t->cstart[b->ci1 + 1] - t->cstart[b->ci0];
    size_t i = 0;
    while (i < n && i < m && p[i] == q[i] && !blank_byte((unsigned char)p[i]))
        i++;
    return i > 0 && (i == n || blank_byte((unsigned char)p[i])) &&
           (i == m || blank_byte((unsigned char)q[i]));
}

/*
 * Mark the line ends inside wrapped paragraphs (t->blank SOFT): poppler ends a line wherever the
 * page did, so "the engineer code has not been⏎changed from the factory setting 112233" or "er
 * 3 9⏎1 5" reach detection cut in two. A line of running text wraps onto the next when the next
 * stands right below it, as high, starting where it starts (or a little right of it, after a
 * bullet), and its first word would not have fitted before the right edge of the page's text;
 * and neither does the line end in a colon nor the next start a new list item, a "Label:" or
 * the same word as the line (statements of a configuration: "access-list …⏎access-list …").
 * The right edge is the longest line's. Table rows are not paragraphs. Returns how many.
 */
static size_t find_soft_breaks(ts_pdf_tables *t, const char *body)
{
    double edge = -HUGE_VAL;
    for (size_t li = 0; li < t->nlines; li++) {
        const line *L = &t->lines[li];
        const chunk *c = &t->chunks[L->c0];
        if (nchunks(L) == 1 && !(t->nblocks > 0 && t->owner[c->ci0] != 0))
            edge = max2(edge, c->x1);
    }
    size_t soft = 0;
    for (size_t li = 1; li < t->nlines; li++) {
        const line *L = &t->lines[li - 1], *N = &t->lines[li];
        if (nchunks(L) != 1 || nchunks(N) != 1)
            continue;
        const chunk *a = &t->chunks[L->c0], *b = &t->chunks[N->c0];
        if (t->nblocks > 0 && (t->owner[a->ci0] != 0 || t->owner[b->ci0] != 0))
            continue;
        double h = max2(a->h, b->h);
        if (N->yb <= L->yb || N->yb - L->yb > WRAP_PITCH * h || fabs(a->h - b->h) > 0.25 * h ||
            b->x0 < a->x0 - 0.5 * h || b->x0 > a->x0 + WRAP_INDENT * h ||
            edge - a->x1 >= first_word(t, b) + WRAP_SPACE * h || b->ci0 <= a->ci1 ||
            b->ci0 - a->ci1 > 4 || starts_item(t, body, b))
            continue;
        if (body[t->cstart[a->ci1]] == ':' || same_first_word(t, body, a, b))
            continue; /* a lead-in: what follows is a list; statements of a configuration */
        bool newline = false, blank = true;
        for (size_t ci = a->ci1 + 1; ci < b->ci0 && blank; ci++) {
            blank = t->blank[ci] != 0;
            newline |= t->blank[ci] == NEWLINE;
        }
        if (!blank || !newline)
            continue;
        for (size_t ci = a->ci1 + 1; ci < b->ci0; ci++)
            if (t->blank[ci] == NEWLINE && body[t->cstart[ci]] == '\n') {
                t->blank[ci] = SOFT;
                soft++;
            }
    }
    return soft;
}

/* ---- the text handed over, and its cells ---------------------------------------------------- */

/*
 * The text handed over is written into t->spaced character by character, t->off[ci] getting
 * where character ci went. It is the body in poppler's order, except that each table is written
 * row by row where its first character was: poppler reads many tables column by column
 * ("Nr\n1\n2\n\nKilde\nInternett\n…"), and then no rule sees a row. A row's cells go in column
 * order, a TAB before each next column, rows one a line; the table's characters, and the blanks
 * between them, are not written again where poppler had them.
 */
typedef struct writer {
    ts_pdf_tables *t;
    const PopplerRectangle *r;
    const char *body;
    size_t w;        /* bytes written */
    size_t next;     /* the character after the last one written */
    size_t inserted; /* spaces put between glued characters */
    bool newline;    /* a table was written: what follows starts a line */
} writer;

/*
 * Write character ci, with a space before it when it stands further apart than a quarter of
 * its height from the character written just before it on its line and poppler put nothing
 * between them ("10Administrasjon10.46.10.0/24": a value glued to its neighbour cannot be
 * matched).
 */
static void put_char(writer *o, size_t ci)
{
    ts_pdf_tables *t = o->t;
    size_t i = t->cstart[ci], k = t->cstart[ci + 1] - i;
    if (o->newline && o->body[i] != '\n')
        t->spaced[o->w++] = '\n';
    o->newline = false;
    if (ci > 0 && o->next == ci && !g_ascii_isspace(o->body[i]) &&
        !g_ascii_isspace(t->spaced[o->w - 1])) {
        const PopplerRectangle *a = &o->r[ci - 1], *b = &o->r[ci];
        double h = a->y2 - a->y1;
        if (h > 0 && b->y1 - a->y1 < h * 0.5 && a->y1 - b->y1 < h * 0.5 &&
            b->x1 - a->x2 > h * GLUE_GAP) {
            t->spaced[o->w++] = ' ';
            o->inserted++;
        }
    }
    t->off[ci] = o->w;
    if (t->blank[ci] == SOFT && k == 1)
        t->spaced[o->w] = ' ';
    else
        memcpy(t->spaced + o->w, o->body + i, k);
    o->w += k;
    o->next = ci + 1;
}

/*
 * Write table `b` row by row; each cell and row gets its bytes. A row is a line and the wrapped
 * lines below it: a cell's pieces on those lines are written one after another, a space apart,
 * and the cell's bytes go to its first chunk, the row's to its first line.
 */
static void put_block(writer *o, const block *b)
{
    ts_pdf_tables *t = o->t;
    if (o->w > 0 && t->spaced[o->w - 1] != '\n')
        t->spaced[o->w++] = '\n';
    o->newline = false;
    for (size_t li = b->first, lj; li < b->end; li = lj) {
        line *L = &t->lines[li];
        size_t left = nchunks(L);
        for (lj = li + 1; lj < b->end && t->lines[lj].wrapped; lj++)
            left += nchunks(&t->lines[lj]);
        if (li > b->first)
            t->spaced[o->w++] = '\n';
        L->start = SIZE_MAX;
        size_t at = 0; /* the column the next byte is in */
        for (size_t col = 0; col < MAX_COLS && left > 0; col++) {
            chunk *cell = NULL;
            for (size_t x = li; x < lj; x++) {
                for (size_t k = t->lines[x].c0; k < t->lines[x].c1; k++) {
                    chunk *c = &t->chunks[k];
                    if (c->col != col)
                        continue;
                    left--;
                    if (cell == NULL) {
                        /* an empty cell keeps its TAB, so that a row's cells stay under their
                         * headers */
                        size_t tabs = col > at ? col - at : L->start != SIZE_MAX;
                        for (size_t n = 0; n < tabs; n++)
                            t->spaced[o->w++] = '\t';
                        at += tabs;
                        cell = c;
                        c->start = o->w;
                        if (L->start == SIZE_MAX)
                            L->start = c->start;
                    } else if (!g_ascii_isspace(t->spaced[o->w - 1])) {
                        t->spaced[o->w++] = ' '; /* the cell's text goes on after a wrap */
                    }
                    for (size_t f = c->f0; f < c->f1; f++) {
                        const frag *g = &t->frags[f];
                        if (f > c->f0 && o->next != g->ci0 && !g_ascii_isspace(t->spaced[o->w - 1]))
                            t->spaced[o->w++] = ' '; /* pieces of one cell apart in the page text */
                        for (size_t ci = g->ci0; ci <= g->ci1; ci++)
                            put_char(o, ci);
                    }
                    cell->end = o->w;
                }
            }
        }
        if (L->start == SIZE_MAX)
            L->start = o->w;
        L->end = o->w;
    }
    o->newline = true;
}

/* Which block each character of a table is in, and where each table starts. */
static void own_blocks(ts_pdf_tables *t, size_t n)
{
    memset(t->owner, 0, n * sizeof(*t->owner));
    for (size_t i = 0; i < t->nblocks; i++) {
        block *b = &t->blocks[i];
        b->ci0 = SIZE_MAX;
        for (size_t k = t->lines[b->first].c0; k < t->lines[b->end - 1].c1; k++) {
            const chunk *c = &t->chunks[k];
            for (size_t f = c->f0; f < c->f1; f++) {
                const frag *g = &t->frags[f];
                for (size_t ci = g->ci0; ci <= g->ci1; ci++)
                    t->owner[ci] = (uint32_t)i + 1;
                b->ci0 = g->ci0 < b->ci0 ? g->ci0 : b->ci0;
            }
        }
    }
}

/* The text handed over (see struct writer), in t->spaced; returns its length. */
static size_t write_text(writer *o, size_t n)
{
    ts_pdf_tables *t = o->t;
    uint32_t prev = 0; /* the block of the last character that is not blank */
    for (size_t ci = 0; ci < n;) {
        uint32_t b = t->nblocks > 0 ? t->owner[ci] : 0;
        if (b != 0) {
            if (t->blocks[b - 1].ci0 == ci)
                put_block(o, &t->blocks[b - 1]);
            prev = b;
            ci++;
            continue;
        }
        if (t->blank[ci] && prev != 0) {
            size_t j = ci;
            while (j < n && t->blank[j])
                j++;
            /* between two cells of one table: left out, found where the cell after them is */
            bool inside = j < n && t->owner[j] == prev;
            for (; ci < j; ci++) {
                if (inside)
                    t->off[ci] = t->off[j];
                else
                    put_char(o, ci);
            }
            prev = 0;
            continue;
        }
        if (!t->blank[ci])
            prev = 0;
        put_char(o, ci);
        ci++;
    }
    if (o->newline && n > 0)
        t->spaced[o->w++] = '\n';
    t->off[n] = o->w;
    t->spaced[o->w] = '\0';
    return o->w;
}

static ts_status add_field(ts_pdf_tables *t, const char *text, size_t start, size_t end,
                           size_t lstart, size_t lend, unsigned flags)
{
    if (ts_grow((void **)&t->fields, &t->cap_fields, t->nfields + 1, sizeof(*t->fields)))
        return TS_ENOMEM;
    t->fields[t->nfields++] = (ts_field){.start = start,
                                         .end = end,
                                         .label = text + lstart,
                                         .label_len = lend - lstart,
                                         .flags = flags};
    return TS_OK;
}

/*
 * The fields of one table: a header row is its first row when every cell of it looks like a
 * label; a row's label is its cell in the first column when that looks like one. Each other
 * cell is handed over with its column's header and with its row's label, and each row whose
 * first line has two cells or more as a whole under the header row: a camera and its place, a
 * firewall rule. A row's wrapped lines are part of its cells (see put_block).
 */
static ts_status block_fields(ts_pdf_tables *t, const block *b, const char *text)
{
    ts_status st = TS_OK;
    const line *first = &t->lines[b->first];
    const chunk *head[MAX_COLS] = {0};
    bool header = nchunks(first) >= 2;
    for (size_t k = first->c0; k < first->c1 && header; k++) {
        const chunk *c = &t->chunks[k];
        header = ts_label_like(text + c->start, c->end - c->start);
        head[c->col] = c;
    }
    size_t data = b->first + header;
    while (header && data < b->end && t->lines[data].wrapped)
        data++; /* a header of two lines or more */
    /* fields with one label follow one another (a column, a row's cells, the rows): detection
     * reads a label once while it repeats */
    for (size_t j = 0; j < MAX_COLS && header && st == TS_OK; j++) {
        const chunk *h = head[j];
        for (size_t li = data; h != NULL && li < b->end && st == TS_OK; li++)
            for (size_t k = t->lines[li].c0; k < t->lines[li].c1 && st == TS_OK; k++)
                if (t->chunks[k].col == j && !t->chunks[k].continued)
                    st = add_field(t, text, t->chunks[k].start, t->chunks[k].end, h->start, h->end,
                                   TS_FIELD_CELL | TS_FIELD_HEADER);
    }
    for (size_t li = data; li < b->end && st == TS_OK; li++) {
        const line *L = &t->lines[li];
        const chunk *rowlabel = NULL;
        size_t rl_len = 0;
        for (size_t k = L->c0; k < L->c1 && !L->wrapped; k++) {
            const chunk *c = &t->chunks[k];
            size_t n = c->col == 0 ? ts_row_label_len(text + c->start, c->end - c->start) : 0;
            if (n > 0) {
                rowlabel = c;
                rl_len = n;
            }
        }
        for (size_t k = L->c0; k < L->c1 && rowlabel != NULL && st == TS_OK; k++)
            if (&t->chunks[k] != rowlabel && !t->chunks[k].continued)
                st = add_field(t, text, t->chunks[k].start, t->chunks[k].end, rowlabel->start,
                               rowlabel->start + rl_len, TS_FIELD_CELL);
    }
    for (size_t li = data; li < b->end && header && st == TS_OK; li++)
        if (nchunks(&t->lines[li]) >= 2 && !t->lines[li].wrapped)
            st = add_field(t, text, t->lines[li].start, t->lines[li].end, first->start, first->end,
                           TS_FIELD_ROW | TS_FIELD_HEADER);
    return st;
}

size_t ts_pdf_cells_at(const ts_pdf_cells *cells, size_t at)
{
    const ts_pdf_tables *t = cells->map;
    if (t == NULL)
        return at;
    if (at >= t->cstart[t->nchars])
        return cells->len;
    size_t lo = 0, hi = t->nchars; /* the character holding byte `at`: cstart[lo] <= at */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->cstart[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    return t->off[lo] + (at - t->cstart[lo]);
}

static size_t count_chars(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        size_t k = (size_t)g_utf8_skip[(guchar)text[i]];
        i += k == 0 || i + k > len ? 1 : k;
    }
    return n;
}

/* Room for `n` characters: for the spacing, and with `layout` for finding tables. */
static ts_status grow_chars(ts_pdf_tables *t, size_t n, bool layout)
{
    if (ts_grow((void **)&t->cstart, &t->cap_chars, n + 2, sizeof(*t->cstart)) ||
        ts_grow((void **)&t->off, &t->cap_off, n + 2, sizeof(*t->off)) ||
        ts_grow((void **)&t->blank, &t->cap_blank, n + 2, 1))
        return TS_ENOMEM;
    if (!layout)
        return TS_OK;
    if (ts_grow((void **)&t->owner, &t->cap_owner, n + 1, sizeof(*t->owner)) ||
        ts_grow((void **)&t->nr, &t->cap_nr, n + 1, sizeof(*t->nr)))
        return TS_ENOMEM;
    return TS_OK;
}

ts_status ts_pdf_page_cells(ts_pdf_cells *out, ts_pdf_tables **scratch, PopplerPage *page,
                            const char *text, const char *body, size_t len)
{
    ts_status st = TS_OK;
    PopplerRectangle *r = NULL;
    guint nr = 0;
    *out = (ts_pdf_cells){.text = body, .len = len};
    bool glued = glued_cells_possible(body, len);
    /* hostile input: a page over the bound is handed over as it was, without tables */
    bool over = len > MAX_CHARS && count_chars(text, len) > MAX_CHARS;
    if (len == 0 || (over && !glued))
        return TS_OK;
    if (!poppler_page_get_text_layout(page, &r, &nr) || nr == 0 || nr > len)
        goto out;
    size_t n = nr;
    ts_pdf_tables *t = *scratch;
    if (t == NULL && (t = *scratch = ts_calloc(1, sizeof(*t))) == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    if ((st = grow_chars(t, n, !over)) != TS_OK)
        goto out;
    if (index_chars(t, text, body, len, n) != n)
        goto out; /* the boxes are not those of this text */
    t->nblocks = t->nfields = 0;
    /* a page over the bound keeps poppler's boxes for the spacing, as it always had */
    t->R = r;
    size_t soft = 0;
    if (!over) {
        t->R = upright(t, r, n);
        bool columns = false;
        if ((st = build_frags(t, t->R, n)) != TS_OK || (st = build_lines(t, &columns)) != TS_OK)
            goto out;
        if (columns && (st = find_tables(t)) != TS_OK)
            goto out;
        if (t->nblocks > 0)
            own_blocks(t, n);
        soft = find_soft_breaks(t, body);
    }
    if (!glued && t->nblocks == 0 && soft == 0)
        goto out;
    /* room for the inserted spaces (one a character or fragment at most) and, per table row, its
     * TABs (one a column and one a cell at most) and line end, and two line ends a table */
    size_t cap = len + n + 1;
    if (t->nblocks > 0)
        cap += t->nfrags + t->nlines * (2 * MAX_COLS + 1) + 2 * t->nblocks;
    if (ts_grow((void **)&t->spaced, &t->cap_spaced, cap, 1)) {
        st = TS_ENOMEM;
        goto out;
    }
    writer o = {.t = t, .r = t->R, .body = body};
    size_t w = write_text(&o, n);
    if (o.inserted == 0 && t->nblocks == 0 && soft == 0)
        goto out; /* nothing glued after all: the body as it was */
    t->nchars = n;
    out->text = t->spaced;
    out->len = w;
    out->map = t;
    for (size_t i = 0; i < t->nblocks && st == TS_OK; i++)
        st = block_fields(t, &t->blocks[i], out->text);
    out->fields = t->fields;
    out->nfields = t->nfields;
out:
    g_free(r);
    return st;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF pages as drawings: labels in boxes or beside icons, and lines joining them, for the verdict.
 */
#include "extract/pdf.h"

#include <math.h>
#include <string.h>

#include <cairo-script.h>
#include <cairo.h>

#include "core/alloc.h"
#include "detect/checks.h"

/*
 * A page goes through three looks, each dearer than the one before, and most pages stop at the
 * first (ordinary prose and tables cost a walk over their text):
 *
 *  1. text: at least two short lines name network devices, or two name security elements;
 *  2. layout: at least two of those lines stand free, not in a column of lines that share their
 *     left edge (a table column, a paragraph, a list);
 *  3. geometry: poppler draws the page into a cairo script surface, whose text output gives
 *     every path in page space (the script's fonts and images are skipped as they stream by).
 *     A label inside a closed shape, or beside an icon (a small closed shape group without text),
 *     is one shape; an open stroked line whose two ends touch two different labelled shapes is
 *     one connector. Rectangles that share an edge with another are table cells, not shapes;
 *     table rules are open lines that join no two labelled shapes.
 */

#define LINE_MAX_BYTES 64u     /* a longer text line is prose, not a label */
#define LINE_MAX_WORDS 6u      /* likewise */
#define ALIGNED_MAX 2u         /* lines sharing a left edge with more others form a column */
#define ALIGN_PT 1.5           /* "the same left edge" */
#define LINES_MAX 500u         /* hostile input: text lines of a page looked at */
#define SCRIPT_MAX (32u << 20) /* hostile input: bytes of cairo script read for one page */
#define ITEMS_MAX 100000u      /* hostile input: painted subpaths kept for one page */
#define SUBS_MAX 4096u         /* hostile input: subpaths of one path kept */
#define NODES_MAX 4096u        /* hostile input: closed shapes compared with each other */
#define OPEN_MAX 20000u        /* hostile input: open lines tried as connectors */
#define TOKEN_MAX 40u          /* longer tokens are nothing this reader needs */
#define NODE_MIN 6.0           /* points: a closed shape smaller than this is a mark, not a box */
#define ICON_MAX 64.0          /* points: a closed shape up to this size may be an icon */
#define ICON_MIN 12.0          /* points: and at least this (check boxes, bullets are smaller) */
#define NODE_LINES 4u          /* a box with more text lines is a text panel */
#define TOUCH 6.0              /* points: a line's end this close to a shape touches it */
#define EDGE 1.0               /* points: two edges this close are one (table cells) */
#define LABEL_MAX 256u         /* bytes of a shape's text reported */

typedef struct box {
    double x0, y0, x1, y1;
} box;

enum { I_CLOSED = 1, I_OPEN = 2 };

typedef struct item {
    box b;
    double sx, sy, ex, ey; /* first and last point of an open line */
    unsigned char kind;
    bool rect;  /* an axis-aligned rectangle */
    bool cell;  /* shares an edge with another rectangle: a table cell */
    bool texty; /* holds text */
    int group;  /* icons: the group of overlapping small shapes it belongs to */
} item;

/* One line of the page text and where its characters lie. */
typedef struct tline {
    size_t start, end; /* bytes of the page text */
    box b;
    bool placed; /* has a box (some character that is not blank) */
    ts_label_kind kind;
    int owner; /* item index of the shape it labels, or -1 */
} tline;

/* A subpath being read. */
typedef struct sub {
    box b;
    double sx, sy, x, y;
    unsigned npts;
    bool closed, rect;
} sub;

typedef struct reader {
    /* the lexer, fed in pieces as cairo writes */
    enum { M_NORMAL, M_STRING, M_B85, M_HEX, M_COMMENT } mode;
    unsigned sdepth; /* ( ) nesting in a string */
    bool esc;        /* in a string: after a backslash */
    bool tilde;      /* in base85: after a '~' */
    bool lt, gt;     /* a '<' or '>' waiting for the next character */
    unsigned depth;  /* [ { << nesting: what is inside is not a path */
    char tok[TOKEN_MAX + 1];
    size_t ntok;
    bool tok_long;
    double num[6];
    unsigned nnum;
    /* the current path */
    sub *subs;
    size_t nsubs, cap_subs;
    sub cur;
    bool has_cur, filled, stroked;
    /* what the page painted */
    item *items;
    size_t nitems, cap_items;
    size_t bytes;
    bool full, oom;
} reader;

/* ---- the look at the text ------------------------------------------------------------------- */

static bool blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f';
}

/*
 * Small words of running text: a label ("Kjernesvitsj 1", "fw01.oslo.local", "Kamera K3") has
 * none of them, a line of a sentence nearly always has one ("Endringer i kantsvitsjer skal").
 */
static const char *const function_words[] = {
    "i",   "og",  "av",  "til", "for", "skal", "som",   "med",   "på",   "er",   "ved", "fra",
    "det", "den", "at",  "å",   "kan", "må",   "blir",  "the",   "and",  "of",   "to",  "with",
    "in",  "is",  "are", "be",  "by",  "or",   "eller", "shall", "must", "will",
};

static bool function_word(const char *w, size_t n)
{
    if (n > 6)
        return false;
    for (size_t i = 0; i < sizeof(function_words) / sizeof(function_words[0]); i++) {
        const char *f = function_words[i];
        size_t k = strlen(f), j = 0;
        if (k != n)
            continue;
        while (j < n && (w[j] == f[j] || (w[j] >= 'A' && w[j] <= 'Z' && w[j] + 32 == f[j])))
            j++;
        if (j == n)
            return true;
    }
    return false;
}

/*
 * Could line [s, e) of the text be a label: short, a few words, none of them a small word of
 * running text, not the end of a sentence?
 */
static bool label_like(const char *t, size_t s, size_t e)
{
    while (s < e && blank_byte((unsigned char)t[s]))
        s++;
    while (e > s && blank_byte((unsigned char)t[e - 1]))
        e--;
    if (e == s || e - s > LINE_MAX_BYTES || t[e - 1] == '.' || t[e - 1] == ',' || t[e - 1] == ';')
        return false;
    unsigned words = 0;
    for (size_t i = s; i < e;) {
        while (i < e && blank_byte((unsigned char)t[i]))
            i++;
        size_t w = i;
        while (i < e && !blank_byte((unsigned char)t[i]))
            i++;
        if (i == w)
            break;
        if (++words > LINE_MAX_WORDS || function_word(t + w, i - w))
            return false;
    }
    return true;
}

/* Count the label-like lines naming devices and security elements (stage 1). */
static void count_kinds(ts_doc *doc, const char *text, size_t len, unsigned *dev, unsigned *sec)
{
    *dev = *sec = 0;
    size_t s = 0;
    while (s < len) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (label_like(text, s, e)) {
            ts_label_kind k = ts_doc_label_kind(doc, text + s, e - s);
            *dev += k == TS_LABEL_DEVICE;
            *sec += k == TS_LABEL_SECURITY;
            if (*dev >= 2 || *sec >= 2)
                return;
        }
        s = e + 1;
    }
}

static void grow_box(box *b, bool *has, double x0, double y0, double x1, double y1)
{
    if (!*has) {
        *b = (box){x0, y0, x1, y1};
        *has = true;
        return;
    }
    b->x0 = x0 < b->x0 ? x0 : b->x0;
    b->y0 = y0 < b->y0 ? y0 : b->y0;
    b->x1 = x1 > b->x1 ? x1 : b->x1;
    b->y1 = y1 > b->y1 ? y1 : b->y1;
}

/* End line `cur` before byte `end` and keep it if it has a place; false when out of memory. */
static bool add_line(ts_doc *doc, const char *text, tline *cur, size_t end, tline **lines,
                     size_t *nl, size_t *cap, bool *oom)
{
    cur->end = end;
    while (cur->end > cur->start && blank_byte((unsigned char)text[cur->end - 1]))
        cur->end--;
    if (cur->placed && cur->end > cur->start && *nl < LINES_MAX) {
        if (ts_grow((void **)lines, cap, *nl + 1, sizeof(**lines)) != 0) {
            *oom = true;
            *nl = 0;
            return false;
        }
        cur->kind = label_like(text, cur->start, cur->end)
                        ? ts_doc_label_kind(doc, text + cur->start, cur->end - cur->start)
                        : TS_LABEL_NONE;
        (*lines)[(*nl)++] = *cur;
    }
    *cur = (tline){.start = end, .owner = -1};
    return true;
}

/*
 * Split the page text into lines placed by poppler's text layout (one rectangle per character,
 * as pdf.c's space_cells relies on). Returns the number of lines, 0 when the layout does not
 * match the text; *lines is ts_malloc'd.
 */
static size_t place_lines(ts_doc *doc, PopplerPage *page, const char *text, size_t len,
                          tline **lines, bool *oom)
{
    PopplerRectangle *r = NULL;
    guint n = 0;
    size_t nl = 0, cap = 0;
    *lines = NULL;
    if (!poppler_page_get_text_layout(page, &r, &n) || n == 0)
        goto out;
    if ((size_t)g_utf8_strlen(text, (gssize)len) != n)
        goto out;
    tline cur = {.start = 0, .owner = -1};
    guint ci = 0;
    for (size_t i = 0; i <= len && nl < LINES_MAX; ci++) {
        if (i == len || text[i] == '\n') {
            if (!add_line(doc, text, &cur, i, lines, &nl, &cap, oom))
                goto out;
            cur.start = i + 1;
            i++;
            continue;
        }
        size_t k = (size_t)(unsigned char)g_utf8_skip[(unsigned char)text[i]];
        if (k == 0 || i + k > len)
            k = 1;
        if (ci < n && !blank_byte((unsigned char)text[i])) {
            const PopplerRectangle *c = &r[ci];
            if (c->x2 >= c->x1 && c->y2 >= c->y1 && c->x1 > -1e6 && c->x2 < 1e6 && c->y1 > -1e6 &&
                c->y2 < 1e6) {
                /* labels side by side that poppler put on one line are split at the gap */
                double h = c->y2 - c->y1;
                if (cur.placed && (c->x1 - cur.b.x1 > 1.5 * h || c->x1 < cur.b.x0 - h) &&
                    !add_line(doc, text, &cur, i, lines, &nl, &cap, oom))
                    goto out;
                if (!cur.placed)
                    cur.start = i;
                grow_box(&cur.b, &cur.placed, c->x1, c->y1, c->x2, c->y2);
            }
        }
        i += k;
    }
out:
    g_free(r);
    if (nl == 0) {
        ts_free(*lines);
        *lines = NULL;
    }
    return nl;
}

/* Stage 2: label lines that do not share their left edge with more than ALIGNED_MAX others. */
static bool free_labels(const tline *l, size_t n)
{
    unsigned dev = 0, sec = 0;
    for (size_t i = 0; i < n; i++) {
        if (l[i].kind != TS_LABEL_DEVICE && l[i].kind != TS_LABEL_SECURITY)
            continue;
        unsigned aligned = 0;
        for (size_t j = 0; j < n && aligned <= ALIGNED_MAX; j++)
            aligned += j != i && fabs(l[j].b.x0 - l[i].b.x0) <= ALIGN_PT;
        if (aligned > ALIGNED_MAX)
            continue;
        dev += l[i].kind == TS_LABEL_DEVICE;
        sec += l[i].kind == TS_LABEL_SECURITY;
    }
    return dev >= 2 || sec >= 2;
}

/* ---- the page's paths, from the cairo script ------------------------------------------------ */

static void push_item(reader *R, const item *it)
{
    if (R->nitems >= ITEMS_MAX) {
        R->full = true;
        return;
    }
    if (ts_grow((void **)&R->items, &R->cap_items, R->nitems + 1, sizeof(*R->items)) != 0) {
        R->oom = true;
        return;
    }
    R->items[R->nitems++] = *it;
}

static void end_sub(reader *R)
{
    if (!R->has_cur)
        return;
    R->has_cur = false;
    if (R->nsubs >= SUBS_MAX)
        return;
    if (ts_grow((void **)&R->subs, &R->cap_subs, R->nsubs + 1, sizeof(*R->subs)) != 0) {
        R->oom = true;
        return;
    }
    R->subs[R->nsubs++] = R->cur;
}

/* The path is done: keep what was filled or stroked of it. */
static void end_path(reader *R)
{
    end_sub(R);
    for (size_t i = 0; i < R->nsubs && (R->filled || R->stroked); i++) {
        const sub *s = &R->subs[i];
        item it = {.b = s->b, .rect = s->rect, .group = -1};
        if ((s->closed || R->filled) && s->npts >= 3) {
            it.kind = I_CLOSED;
        } else if (R->stroked && s->npts >= 2) {
            it.kind = I_OPEN;
            it.sx = s->sx;
            it.sy = s->sy;
            it.ex = s->x;
            it.ey = s->y;
        } else {
            continue;
        }
        push_item(R, &it);
    }
    R->nsubs = 0;
    R->filled = R->stroked = false;
}

static bool sane(double v)
{
    return v > -1e6 && v < 1e6;
}

static void point(reader *R, double x, double y)
{
    if (!R->has_cur) {
        R->cur = (sub){.sx = x, .sy = y};
        R->has_cur = true;
    }
    bool has = R->cur.npts > 0;
    grow_box(&R->cur.b, &has, x, y, x, y);
    R->cur.x = x;
    R->cur.y = y;
    R->cur.npts++;
}

/* Parse a number token ("-12.5"); false when it is not one. */
static bool number(const char *t, size_t n, double *out)
{
    size_t i = 0;
    double sign = 1, v = 0, scale = 0;
    if (i < n && (t[i] == '-' || t[i] == '+'))
        sign = t[i++] == '-' ? -1 : 1;
    if (i == n)
        return false;
    for (; i < n; i++) {
        if (t[i] >= '0' && t[i] <= '9') {
            if (v < 1e15)
                v = v * 10 + (t[i] - '0');
            if (scale > 0)
                scale *= 10;
        } else if (t[i] == '.' && scale == 0) {
            scale = 1;
        } else {
            return false;
        }
    }
    *out = sign * (scale > 0 ? v / scale : v);
    return true;
}

static bool is(const char *t, size_t n, const char *op)
{
    return strlen(op) == n && memcmp(t, op, n) == 0;
}

/* One operator of the script, outside any array, procedure or dictionary. */
static void op(reader *R, const char *t, size_t n)
{
    const double *v = R->num;
    unsigned k = R->nnum;
    R->nnum = 0;
    if (is(t, n, "n")) {
        end_path(R);
    } else if (is(t, n, "m") && k >= 2) {
        end_sub(R);
        if (sane(v[k - 2]) && sane(v[k - 1]))
            point(R, v[k - 2], v[k - 1]);
    } else if (is(t, n, "l") && k >= 2) {
        if (sane(v[k - 2]) && sane(v[k - 1]))
            point(R, v[k - 2], v[k - 1]);
    } else if (is(t, n, "c") && k >= 6) {
        for (unsigned i = 0; i < 6; i += 2)
            if (sane(v[k - 6 + i]) && sane(v[k - 5 + i]))
                point(R, v[k - 6 + i], v[k - 5 + i]);
    } else if (is(t, n, "h")) {
        if (R->has_cur) {
            R->cur.closed = true;
            end_sub(R); /* cairo goes on with "m" at the start point */
        }
    } else if (is(t, n, "rectangle") && k >= 4) {
        end_sub(R);
        double x = v[k - 4], y = v[k - 3], w = v[k - 2], h = v[k - 1];
        if (sane(x) && sane(y) && sane(w) && sane(h)) {
            point(R, x, y);
            point(R, x + w, y);
            point(R, x + w, y + h);
            point(R, x, y + h);
            R->cur.closed = R->cur.rect = true;
            end_sub(R);
        }
    } else if (is(t, n, "fill") || is(t, n, "stroke")) {
        R->filled |= t[0] == 'f';
        R->stroked |= t[0] == 's';
        end_path(R); /* the path is used up */
    } else if (is(t, n, "fill+") || is(t, n, "stroke+")) {
        R->filled |= t[0] == 'f';
        R->stroked |= t[0] == 's';
    }
}

static void token_end(reader *R)
{
    if (R->ntok == 0 || R->tok_long) {
        R->ntok = 0;
        R->tok_long = false;
        return;
    }
    const char *t = R->tok;
    size_t n = R->ntok;
    R->ntok = 0;
    if (R->depth > 0 || t[0] == '/')
        return; /* inside an array, a procedure or a dictionary; a name */
    double d;
    if (number(t, n, &d)) {
        if (R->nnum == 6) {
            memmove(R->num, R->num + 1, 5 * sizeof(*R->num));
            R->nnum = 5;
        }
        R->num[R->nnum++] = d;
        return;
    }
    op(R, t, n);
}

/* Feed bytes of cairo script to the lexer (strings, base85 data and comments are skipped). */
static void lex(reader *R, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        switch (R->mode) {
        case M_STRING:
            if (R->esc)
                R->esc = false;
            else if (c == '\\')
                R->esc = true;
            else if (c == '(')
                R->sdepth++;
            else if (c == ')' && --R->sdepth == 0)
                R->mode = M_NORMAL;
            continue;
        case M_B85:
            if (R->tilde && c == '>')
                R->mode = M_NORMAL;
            R->tilde = c == '~';
            continue;
        case M_HEX:
            if (c == '>')
                R->mode = M_NORMAL;
            continue;
        case M_COMMENT:
            if (c == '\n' || c == '\r')
                R->mode = M_NORMAL;
            continue;
        case M_NORMAL:
            break;
        }
        if (R->lt) {
            R->lt = false;
            if (c == '<') {
                R->depth++;
                continue;
            }
            if (c == '~' || c == '|') {
                R->mode = M_B85;
                R->tilde = false;
                continue;
            }
            R->mode = M_HEX;
            if (c == '>')
                R->mode = M_NORMAL;
            continue;
        }
        if (R->gt) {
            R->gt = false;
            if (c == '>') {
                if (R->depth > 0)
                    R->depth--;
                continue;
            }
        }
        switch (c) {
        case ' ':
        case '\n':
        case '\r':
        case '\t':
        case '\f':
        case '\0':
            token_end(R);
            break;
        case '(':
            token_end(R);
            R->mode = M_STRING;
            R->sdepth = 1;
            R->esc = false;
            break;
        case '%':
            token_end(R);
            R->mode = M_COMMENT;
            break;
        case '<':
            token_end(R);
            R->lt = true;
            break;
        case '>':
            token_end(R);
            R->gt = true;
            break;
        case '[':
        case '{':
            token_end(R);
            R->depth++;
            break;
        case ']':
        case '}':
            token_end(R);
            if (R->depth > 0)
                R->depth--;
            break;
        default:
            if (R->ntok < TOKEN_MAX)
                R->tok[R->ntok++] = (char)c;
            else
                R->tok_long = true;
            break;
        }
    }
}

static cairo_status_t take_script(void *closure, const unsigned char *data, unsigned int length)
{
    reader *R = closure;
    R->bytes += length;
    if (R->bytes > SCRIPT_MAX || R->oom)
        return CAIRO_STATUS_WRITE_ERROR; /* cairo stops writing; the page is given up */
    lex(R, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Draw the page into a cairo script surface and read its paths. False when it went wrong. */
static bool read_paths(PopplerPage *page, reader *R, double *pw, double *ph)
{
    *pw = *ph = 0;
    poppler_page_get_size(page, pw, ph);
    if (!(*pw >= 1 && *ph >= 1 && *pw < 1e5 && *ph < 1e5))
        return false;
    cairo_device_t *dev = cairo_script_create_for_stream(take_script, R);
    if (cairo_device_status(dev) != CAIRO_STATUS_SUCCESS) {
        cairo_device_destroy(dev);
        return false;
    }
    cairo_surface_t *s = cairo_script_surface_create(dev, CAIRO_CONTENT_COLOR_ALPHA, *pw, *ph);
    cairo_t *cr = cairo_create(s);
    if (cairo_status(cr) == CAIRO_STATUS_SUCCESS)
        poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    cairo_device_finish(dev);
    cairo_device_destroy(dev);
    R->nnum = 0;
    token_end(R);
    end_path(R);
    return !R->oom && R->bytes <= SCRIPT_MAX;
}

/* ---- shapes and connectors ------------------------------------------------------------------ */

static double width(const box *b)
{
    return b->x1 - b->x0;
}

static double height(const box *b)
{
    return b->y1 - b->y0;
}

static bool inside(const box *in, const box *out, double tol)
{
    return in->x0 >= out->x0 - tol && in->x1 <= out->x1 + tol && in->y0 >= out->y0 - tol &&
           in->y1 <= out->y1 + tol;
}

static bool meets(const box *a, const box *b)
{
    return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

/* Do two rectangles share (a good part of) an edge, as the cells of a table do? */
static bool share_edge(const box *a, const box *b)
{
    double ox = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
    double oy = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    double mw = fmin(width(a), width(b)), mh = fmin(height(a), height(b));
    bool hor = (fabs(a->y1 - b->y0) <= EDGE || fabs(b->y1 - a->y0) <= EDGE) && ox >= mw * 0.5;
    bool ver = (fabs(a->x1 - b->x0) <= EDGE || fabs(b->x1 - a->x0) <= EDGE) && oy >= mh * 0.5;
    return hor || ver;
}

/* Can closed item `it` hold a label (a box, not a page frame, a band or a mark)? */
static bool boxlike(const item *it, double pw, double ph)
{
    return it->kind == I_CLOSED && !it->cell && width(&it->b) >= NODE_MIN &&
           height(&it->b) >= NODE_MIN && width(&it->b) <= pw * 0.5 && height(&it->b) <= ph * 0.5;
}

static bool iconlike(const item *it)
{
    return it->kind == I_CLOSED && !it->cell && !it->texty && width(&it->b) <= ICON_MAX &&
           height(&it->b) <= ICON_MAX && fmax(width(&it->b), height(&it->b)) >= 2.0;
}

/*
 * Mark rectangles that share an edge with another rectangle: table cells. Only the first
 * NODES_MAX rectangles are compared (`idx` has room for them); false when there were more.
 */
static bool mark_cells(item *v, size_t n, size_t *idx)
{
    size_t m = 0;
    bool all = true;
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind != I_CLOSED || !v[i].rect)
            continue;
        if (m == NODES_MAX) {
            all = false;
            break;
        }
        idx[m++] = i;
    }
    for (size_t a = 0; a < m; a++)
        for (size_t b = a + 1; b < m; b++)
            if (share_edge(&v[idx[a]].b, &v[idx[b]].b))
                v[idx[a]].cell = v[idx[b]].cell = true;
    return all;
}

/* The smallest of the `nb` box-like items `boxes` that holds `b`, or -1. */
static int holder(const item *v, const size_t *boxes, size_t nb, const box *b)
{
    int best = -1;
    double area = 0;
    for (size_t k = 0; k < nb; k++) {
        const item *it = &v[boxes[k]];
        if (!inside(b, &it->b, 1.0))
            continue;
        double a = width(&it->b) * height(&it->b);
        if (best < 0 || a < area) {
            best = (int)boxes[k];
            area = a;
        }
    }
    return best;
}

static int root(int *up, int i)
{
    while (up[i] != i) {
        up[i] = up[up[i]];
        i = up[i];
    }
    return i;
}

/*
 * Group overlapping icon-sized items into icons (an icon is drawn as many small shapes); sets
 * each one's `group` and returns the number of groups, or -1 when out of memory.
 */
static int group_icons(item *v, size_t n, bool *over)
{
    size_t *idx = ts_calloc(NODES_MAX, sizeof(*idx));
    int *up = ts_calloc(NODES_MAX, sizeof(*up));
    int groups = -1;
    if (idx == NULL || up == NULL)
        goto out;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!iconlike(&v[i]))
            continue;
        if (m == NODES_MAX) {
            *over = true;
            break;
        }
        idx[m++] = i;
    }
    for (size_t a = 0; a < m; a++)
        up[a] = (int)a;
    for (size_t a = 0; a < m; a++)
        for (size_t b = a + 1; b < m; b++)
            if (meets(&v[idx[a]].b, &v[idx[b]].b))
                up[root(up, (int)b)] = root(up, (int)a);
    groups = 0;
    for (size_t a = 0; a < m; a++) {
        int r = root(up, (int)a);
        if ((size_t)r == a)
            v[idx[a]].group = groups++;
    }
    for (size_t a = 0; a < m; a++)
        v[idx[a]].group = v[idx[root(up, (int)a)]].group;
out:
    ts_free(idx);
    ts_free(up);
    return groups;
}

static double gap(const box *a, const box *b)
{
    double dx = fmax(0, fmax(a->x0 - b->x1, b->x0 - a->x1));
    double dy = fmax(0, fmax(a->y0 - b->y1, b->y0 - a->y1));
    return fmax(dx, dy);
}

/* Which labelled shape (of the `n` in `which`) does point (x, y) touch? The smallest, or -1. */
static int touched(const box *shape, const size_t *which, size_t n, double x, double y)
{
    int best = -1;
    double area = 0;
    for (size_t i = 0; i < n; i++) {
        const box *b = &shape[which[i]];
        if (x < b->x0 - TOUCH || x > b->x1 + TOUCH || y < b->y0 - TOUCH || y > b->y1 + TOUCH)
            continue;
        double a = width(b) * height(b);
        if (best < 0 || a < area) {
            best = (int)which[i];
            area = a;
        }
    }
    return best;
}

/*
 * Shapes are the labelled boxes (item index) and the labelled icons (groups); give each one
 * index: boxes first, then icon groups. Report each shape's lines joined as one label.
 */
typedef struct shapes {
    box *b;
    bool *labelled;
    size_t n;
} shapes;

/* Shape s's lines joined by spaces into label[LABEL_MAX]; its length. */
static size_t shape_label(const char *text, const tline *l, size_t nl, size_t s,
                          char label[LABEL_MAX])
{
    size_t w = 0;
    for (size_t i = 0; i < nl; i++) {
        if (l[i].owner != (int)s)
            continue;
        size_t k = l[i].end - l[i].start;
        if (w > 0 && w < LABEL_MAX)
            label[w++] = ' ';
        if (k > LABEL_MAX - w)
            k = LABEL_MAX - w;
        memcpy(label + w, text + l[i].start, k);
        w += k;
    }
    return w;
}

static ts_status report(ts_doc *doc, unsigned no, const char *text, const tline *l, size_t nl,
                        const shapes *S)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = no};
    char label[LABEL_MAX];
    for (size_t s = 0; s < S->n; s++) {
        if (!S->labelled[s])
            continue;
        ts_status st = ts_doc_shape(doc, &loc, label, shape_label(text, l, nl, s, label));
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* A line joining shapes a and b: a connector, named by their labels. */
static ts_status join_shapes(ts_doc *doc, unsigned no, const char *text, const tline *l, size_t nl,
                      size_t a, size_t b)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = no};
    char la[LABEL_MAX], lb[LABEL_MAX];
    size_t na = shape_label(text, l, nl, a, la), nb = shape_label(text, l, nl, b, lb);
    return ts_doc_link(doc, &loc, la, na, lb, nb);
}

/* The icon group (index into `icons`) a line of height lh stands beside, or -1. */
static int beside(const box *icons, int groups, const box *line)
{
    double lh = height(line), best = 0;
    int at = -1;
    for (int g = 0; g < groups; g++) {
        const box *b = &icons[g];
        if (width(b) < fmax(ICON_MIN, 1.2 * lh) || height(b) < fmax(ICON_MIN, 1.2 * lh))
            continue; /* a check box or a bullet, not a symbol */
        double d = gap(line, b);
        if (d <= fmax(TOUCH, lh) && !meets(line, b) && (at < 0 || d < best)) {
            at = g;
            best = d;
        }
    }
    return at;
}

/* A box with too many lines is a text panel; one with lines side by side is a table row. */
static void drop_panels(item *v, size_t n, tline *l, size_t nl)
{
    for (size_t i = 0; i < nl; i++) {
        int h = l[i].owner;
        if (h < 0 || (size_t)h >= n)
            continue; /* no box, or an icon */
        unsigned count = 0;
        bool row = false;
        for (size_t j = 0; j < nl; j++) {
            if (l[j].owner != h)
                continue;
            count++;
            double lh = fmax(height(&l[i].b), height(&l[j].b));
            if (j != i && fabs(l[j].b.y0 - l[i].b.y0) < lh * 0.5 && gap(&l[i].b, &l[j].b) > lh)
                row = true;
        }
        if (count > NODE_LINES || row)
            v[h].cell = true;
    }
    for (size_t i = 0; i < nl; i++)
        if (l[i].owner >= 0 && (size_t)l[i].owner < n && v[l[i].owner].cell)
            l[i].owner = -1;
}

static ts_status analyse(ts_doc *doc, unsigned no, const char *text, tline *l, size_t nl, reader *R,
                         double pw, double ph)
{
    ts_status st = TS_OK;
    item *v = R->items;
    size_t n = R->nitems;
    shapes S = {0};
    size_t *which = NULL, nwhich = 0, *boxes = NULL, nboxes = 0, tried = 0;
    bool over = false;
    int *hold = ts_calloc(nl ? nl : 1, sizeof(*hold));
    if (hold == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    boxes = ts_calloc(NODES_MAX, sizeof(*boxes));
    if (boxes == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    over = !mark_cells(v, n, boxes);
    for (size_t i = 0; i < n; i++) {
        if (!boxlike(&v[i], pw, ph))
            continue;
        if (nboxes == NODES_MAX) {
            over = true;
            break;
        }
        boxes[nboxes++] = i;
    }
    /* the box each line lies in; a shape that holds text is no icon */
    for (size_t i = 0; i < nl; i++) {
        hold[i] = holder(v, boxes, nboxes, &l[i].b);
        if (hold[i] >= 0)
            v[hold[i]].texty = true;
    }
    int groups = group_icons(v, n, &over);
    if (groups < 0) {
        st = TS_ENOMEM;
        goto out;
    }
    size_t total = n + (size_t)groups;
    S.b = ts_calloc(total ? total : 1, sizeof(*S.b));
    S.labelled = ts_calloc(total ? total : 1, sizeof(*S.labelled));
    which = ts_calloc(nl ? nl : 1, sizeof(*which));
    if (S.b == NULL || S.labelled == NULL || which == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    S.n = total;
    bool *has = ts_calloc(groups ? (size_t)groups : 1, sizeof(*has));
    if (has == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        S.b[i] = v[i].b;
        if (v[i].group >= 0) {
            size_t g = (size_t)v[i].group;
            grow_box(&S.b[n + g], &has[g], v[i].b.x0, v[i].b.y0, v[i].b.x1, v[i].b.y1);
        }
    }
    ts_free(has);
    /* a line labels the icon it stands beside (within its own box), else the box it lies in */
    for (size_t i = 0; i < nl; i++) {
        int g = beside(S.b + n, groups, &l[i].b);
        if (g >= 0 && (hold[i] < 0 || inside(&S.b[n + (size_t)g], &v[hold[i]].b, 0)))
            l[i].owner = (int)n + g;
        else
            l[i].owner = hold[i];
    }
    drop_panels(v, n, l, nl);
    for (size_t i = 0; i < nl; i++) {
        size_t o = (size_t)l[i].owner;
        if (l[i].owner >= 0 && !S.labelled[o]) {
            S.labelled[o] = true;
            which[nwhich++] = o;
        }
    }
    st = report(doc, no, text, l, nl, &S);
    /* connectors: open lines from one labelled shape to another */
    for (size_t i = 0; i < n && nwhich >= 2 && st == TS_OK; i++) {
        if (v[i].kind != I_OPEN || fmax(width(&v[i].b), height(&v[i].b)) < 2 * TOUCH)
            continue;
        if (++tried > OPEN_MAX) {
            over = true;
            break;
        }
        int a = touched(S.b, which, nwhich, v[i].sx, v[i].sy);
        int b = a < 0 ? -1 : touched(S.b, which, nwhich, v[i].ex, v[i].ey);
        if (a >= 0 && b >= 0 && a != b)
            st = join_shapes(doc, no, text, l, nl, (size_t)a, (size_t)b);
    }
    if (over)
        ts_doc_fail(doc, TS_ELIMIT,
                    "page %u: too many shapes; only the first were looked at for "
                    "a diagram",
                    no);
out:
    ts_free(boxes);
    ts_free(hold);
    ts_free(which);
    ts_free(S.b);
    ts_free(S.labelled);
    return st;
}

ts_status ts_pdf_page_shapes(ts_doc *doc, PopplerPage *page, unsigned no, const char *text,
                             size_t len)
{
    unsigned dev = 0, sec = 0;
    count_kinds(doc, text, len, &dev, &sec);
    if (dev < 2 && sec < 2)
        return TS_OK;
    ts_status st = TS_OK;
    bool oom = false;
    tline *lines = NULL;
    reader R = {.mode = M_NORMAL};
    size_t nl = place_lines(doc, page, text, len, &lines, &oom);
    if (oom) {
        st = TS_ENOMEM;
        goto out;
    }
    if (nl == 0 || !free_labels(lines, nl))
        goto out;
    double pw, ph;
    if (!read_paths(page, &R, &pw, &ph) && R.oom) {
        st = TS_ENOMEM;
        goto out;
    }
    /* what was read before a limit still counts; the rest is said to be unread */
    if (R.bytes > SCRIPT_MAX)
        ts_doc_fail(doc, TS_ELIMIT,
                    "page %u: over %u MiB of drawing; only its start was looked "
                    "at for a diagram",
                    no, SCRIPT_MAX >> 20);
    else if (R.full)
        ts_doc_fail(doc, TS_ELIMIT,
                    "page %u: more than %u paths; only the first were looked at "
                    "for a diagram",
                    no, ITEMS_MAX);
    if (pw >= 1 && ph >= 1)
        st = analyse(doc, no, text, lines, nl, &R, pw, ph);
out:
    ts_free(lines);
    ts_free(R.subs);
    ts_free(R.items);
    return st;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A raw look at a PDF's bytes: where revisions end, and content streams that can hide text. */
#include "extract/pdf.h"

#include <math.h>
#include <stddef.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

#include "core/alloc.h"

#define DICT_REACH 4096u           /* how far back a stream's dictionary may start */
#define STREAM_MAX (8u << 20)      /* hostile input: inflated bytes of one stream */
#define SCAN_BUDGET (256ull << 20) /* hostile input: inflated bytes of the whole pre-scan */
#define STARTXREF_REACH 1024u      /* "startxref" must precede a revision's %%EOF this close */
#define CTM_DEPTH 32               /* q nesting kept; deeper levels share the last */
#define MIN_BOX 4.0                /* a box narrower or lower than this is a rule, not a box */

/* ---- bytes ---------------------------------------------------------------------------------- */

static const unsigned char *find(const unsigned char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k == 0 || n < k)
        return NULL;
    const unsigned char *end = p + n - k + 1;
    while (p < end) {
        const unsigned char *q = memchr(p, needle[0], (size_t)(end - p));
        if (q == NULL)
            return NULL;
        if (memcmp(q, needle, k) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/* ISO 32000-2 §7.2.3: white space (1) and delimiters (2) */
static const unsigned char ctype[256] = {
    [' '] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1, ['\f'] = 1, ['\0'] = 1, ['('] = 2, [')'] = 2,
    ['<'] = 2, ['>'] = 2,  ['['] = 2,  [']'] = 2,  ['{'] = 2,  ['}'] = 2,  ['/'] = 2, ['%'] = 2,
};

static bool is_space(unsigned char c)
{
    return ctype[c] == 1;
}

static bool is_delim(unsigned char c)
{
    return ctype[c] != 0;
}

/* Does `p[0, n)` hold the name `name` (with its slash) as a whole token? */
static bool has_name(const unsigned char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    while (n >= k) {
        const unsigned char *q = find(p, n, name);
        if (q == NULL)
            return false;
        size_t rest = n - (size_t)(q - p) - k;
        if (rest == 0 || is_delim(q[k]))
            return true;
        n = rest;
        p = q + k;
    }
    return false;
}

bool ts_pdf_has_name(const unsigned char *p, size_t n, const char *name)
{
    return has_name(p, n, name);
}

/* Does the dictionary hold `key` with the name value `value` ("/Subtype", "/Image")? */
static bool dict_is(const unsigned char *d, size_t n, const char *key, const char *value)
{
    size_t k = strlen(key), v = strlen(value);
    while (n > k) {
        const unsigned char *q = find(d, n, key);
        if (q == NULL)
            return false;
        size_t off = (size_t)(q - d) + k;
        if (off < n && !is_delim(d[off])) {
            d += off;
            n -= off;
            continue;
        }
        while (off < n && is_space(d[off]))
            off++;
        if (n - off >= v && memcmp(d + off, value, v) == 0 &&
            (n - off == v || is_delim(d[off + v])))
            return true;
        d += off;
        n -= off;
    }
    return false;
}

/* ---- revisions ------------------------------------------------------------------------------ */

/* ISO 32000-2 §7.5.6: every incremental update ends with its own trailer, startxref and %%EOF. */
static ts_status find_revisions(ts_pdf_scan *s, const unsigned char *data, size_t len)
{
    size_t ends[TS_PDF_MAX_REVISIONS + 2];
    size_t n = 0, total = 0, off = 0;
    bool linearized = find(data, len < 1024 ? len : 1024, "/Linearized") != NULL;
    while (off < len) {
        const unsigned char *q = find(data + off, len - off, "%%EOF");
        if (q == NULL)
            break;
        size_t at = (size_t)(q - data);
        size_t back = at < STARTXREF_REACH ? at : STARTXREF_REACH;
        size_t end = at + 5;
        if (end < len && data[end] == '\r')
            end++;
        if (end < len && data[end] == '\n')
            end++;
        off = at + 5;
        if (find(data + at - back, back, "startxref") == NULL)
            continue;
        /* a linearized file's first %%EOF closes the first-page section, not a revision */
        if (linearized && total == 0 && n == 0) {
            linearized = false;
            continue;
        }
        total++;
        if (n < TS_PDF_MAX_REVISIONS + 1)
            ends[n++] = end;
    }
    /* the last one is the current revision: the whole file */
    if (total <= 1)
        return TS_OK;
    size_t earlier = total - 1;
    size_t keep = earlier < TS_PDF_MAX_REVISIONS ? earlier : TS_PDF_MAX_REVISIONS;
    s->revision_ends = ts_calloc(keep, sizeof(*s->revision_ends));
    if (s->revision_ends == NULL)
        return TS_ENOMEM;
    memcpy(s->revision_ends, ends, keep * sizeof(*ends));
    s->nrevisions = keep;
    s->revisions_over = earlier - keep;
    return TS_OK;
}

/* ---- content streams ------------------------------------------------------------------------ */

#define AREAS_MAX 4096u  /* hostile input: areas kept; more and every page is looked at */
#define PENDING_MAX 256u /* boxes kept per stream until it is known to hold no text */
#define PATH_RECTS 8u    /* rectangles of one path kept apart (a multi-line redaction) */

/* The graphics state that matters here (ISO 32000-2 §8.4), saved by q and restored by Q. */
typedef struct gstate {
    double ctm[6];
    double font_size;
    int render;
    double fill[3]; /* non-stroking colour as RGB, or fill[0] < 0 when not known */
} gstate;

typedef struct rect {
    double x0, y0, x1, y1;
} rect;

/* A box filled in a stream, with its colour: text of the same colour over it cannot be seen. */
typedef struct backdrop {
    rect r;
    double fill[3];
    bool used;
} backdrop;

typedef struct lexer {
    const unsigned char *p, *end;
    double num[6]; /* the last numeric operands, newest last */
    unsigned nnum;
    size_t str_bytes; /* bytes of string operands since the last operator */
    gstate gs[CTM_DEPTH];
    unsigned depth;
    double tm[6], tlm[6], leading;
    rect path[PATH_RECTS], bbox;
    unsigned npath;
    bool has_bbox, path_overflow;
    bool text_shown, big_image, form;
    backdrop pending[PENDING_MAX]; /* boxes filled before any text of the stream */
    unsigned npending;
    backdrop under[PENDING_MAX]; /* the last boxes filled, as a ring */
    unsigned nunder;
    rect shown[PENDING_MAX]; /* where the last texts were shown, as a ring */
    unsigned nshown;
    ts_pdf_scan *s;
    unsigned obj; /* object number of the stream being read (0 = unknown) */
    ts_status st;
} lexer;

static void mul(double r[6], const double a[6], const double b[6])
{
    double t[6] = {a[0] * b[0] + a[1] * b[2],        a[0] * b[1] + a[1] * b[3],
                   a[2] * b[0] + a[3] * b[2],        a[2] * b[1] + a[3] * b[3],
                   a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]};
    memcpy(r, t, sizeof(t));
}

static void apply(const double m[6], double x, double y, double *ox, double *oy)
{
    *ox = x * m[0] + y * m[2] + m[4];
    *oy = x * m[1] + y * m[3] + m[5];
}

static void grow_rect(rect *r, bool *has, double x, double y)
{
    if (!*has) {
        *r = (rect){x, y, x, y};
        *has = true;
        return;
    }
    r->x0 = x < r->x0 ? x : r->x0;
    r->y0 = y < r->y0 ? y : r->y0;
    r->x1 = x > r->x1 ? x : r->x1;
    r->y1 = y > r->y1 ? y : r->y1;
}

static bool big(const rect *r)
{
    return r->x1 - r->x0 > MIN_BOX && r->y1 - r->y0 > MIN_BOX;
}

static void add_area(lexer *L, const rect *r, ts_pdf_area_kind kind)
{
    ts_pdf_scan *s = L->s;
    if (!(r->x0 > -1e6 && r->x1 < 1e6 && r->y0 > -1e6 && r->y1 < 1e6))
        return; /* hostile input: nothing sensible to place */
    if (s->nareas >= AREAS_MAX) {
        s->unplaced = true;
        return;
    }
    if (ts_grow((void **)&s->areas, &s->cap_areas, s->nareas + 1, sizeof(*s->areas)) != 0) {
        L->st = TS_ENOMEM;
        return;
    }
    s->areas[s->nareas++] = (ts_pdf_area){.x0 = (float)r->x0,
                                          .y0 = (float)r->y0,
                                          .x1 = (float)r->x1,
                                          .y1 = (float)r->y1,
                                          .kind = (unsigned char)kind,
                                          .obj = L->obj};
}

static void push_num(lexer *L, double v)
{
    if (L->nnum == 6) {
        memmove(L->num, L->num + 1, 5 * sizeof(double));
        L->nnum = 5;
    }
    L->num[L->nnum++] = v;
}

static double parse_num(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    double sign = 1, v = 0, scale = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        sign = *p == '-' ? -1 : 1;
        p++;
    }
    for (; p < end; p++) {
        if (*p >= '0' && *p <= '9') {
            if (v < 1e15)
                v = v * 10 + (*p - '0');
            if (scale > 0)
                scale *= 10;
        } else if (*p == '.' && scale == 0) {
            scale = 1;
        } else {
            break;
        }
    }
    *pp = p;
    return sign * (scale > 0 ? v / scale : v);
}

/* Skip a literal string; `p` is just past its '('. Nested parentheses balance (§7.3.4.2). */
static const unsigned char *skip_string(const unsigned char *p, const unsigned char *end,
                                        size_t *bytes)
{
    unsigned depth = 1;
    size_t n = 0;
    while (p < end && depth > 0) {
        if (*p == '\\')
            p++;
        else if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        p++;
        n++;
    }
    *bytes += n > 0 ? n - 1 : 0;
    return p < end ? p : end;
}

static const unsigned char *skip_hex(const unsigned char *p, const unsigned char *end,
                                     size_t *bytes)
{
    const unsigned char *q = p;
    while (q < end && *q != '>')
        q++; /* hex strings in text are short: a call to memchr costs more */
    *bytes += (size_t)(q - p) / 2;
    return q < end ? q + 1 : end;
}

/* Skip an array operand (a TJ array: strings and numbers), counting its string bytes. */
static const unsigned char *skip_array(const unsigned char *p, const unsigned char *end,
                                       size_t *bytes)
{
    static const unsigned char stop[256] = {['('] = 1, ['<'] = 1, ['['] = 1, [']'] = 1};
    unsigned depth = 1;
    while (p < end && depth > 0) {
        while (p < end && !stop[*p])
            p++; /* numbers and white space between the strings */
        if (p == end)
            break;
        unsigned char c = *p;
        if (c == '(')
            p = skip_string(p + 1, end, bytes);
        else if (c == '<' && p + 1 < end && p[1] != '<')
            p = skip_hex(p + 1, end, bytes);
        else {
            depth += c == '[';
            depth -= c == ']';
            p++;
        }
    }
    return p;
}

/* Skip an inline image's data: from after "ID" to past "EI" between white space (§8.9.7). */
static const unsigned char *skip_inline_image(const unsigned char *p, const unsigned char *end)
{
    while (p + 2 < end) {
        const unsigned char *q = memchr(p, 'E', (size_t)(end - p));
        if (q == NULL || q + 2 > end)
            return end;
        if (q[1] == 'I' && is_space(q[-1]) && (q + 2 == end || is_space(q[2])))
            return q + 2;
        p = q + 1;
    }
    return end;
}

/* g, rg, k, sc, scn: the non-stroking colour as RGB (ISO 32000-2 §8.6.4), when it is plain. */
static void set_colour(lexer *L, const char *op, size_t n)
{
    const double *v = L->num;
    unsigned k = L->nnum;
    double *f = L->gs[L->depth].fill;
    bool cmyk = (n == 1 && op[0] == 'k') || (op[0] == 's' && k == 4);
    if ((n == 1 && op[0] == 'g') || (op[0] == 's' && k == 1)) {
        if (k >= 1) {
            f[0] = f[1] = f[2] = v[k - 1];
            return;
        }
    } else if ((n == 2 && op[0] == 'r') || (op[0] == 's' && k == 3)) {
        if (k >= 3) {
            f[0] = v[k - 3];
            f[1] = v[k - 2];
            f[2] = v[k - 1];
            return;
        }
    } else if (cmyk && k >= 4) {
        double black = 1 - v[k - 1];
        f[0] = (1 - v[k - 4]) * black;
        f[1] = (1 - v[k - 3]) * black;
        f[2] = (1 - v[k - 2]) * black;
        return;
    }
    f[0] = -1; /* a pattern or a colour space of its own */
}

static bool is_white(const double f[3])
{
    return f[0] >= 0.9 && f[1] >= 0.9 && f[2] >= 0.9;
}

static bool same_colour(const double a[3], const double b[3])
{
    return a[0] >= 0 && b[0] >= 0 && fabs(a[0] - b[0]) < 0.08 && fabs(a[1] - b[1]) < 0.08 &&
           fabs(a[2] - b[2]) < 0.08;
}

static bool meets(const rect *a, const rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static void text_move(lexer *L, double tx, double ty)
{
    double t[6] = {1, 0, 0, 1, tx, ty};
    mul(L->tlm, t, L->tlm);
    memcpy(L->tm, L->tlm, sizeof(L->tm));
}

/*
 * Text is shown (Tj, TJ, ', "): note white or tiny text, place text that is not painted, and
 * boxes of the text's own colour under it.
 */
static void show_text(lexer *L)
{
    const gstate *g = &L->gs[L->depth];
    double m[6];
    mul(m, L->tm, g->ctm);
    double det = m[0] * m[3] - m[1] * m[2];
    double size = g->font_size * sqrt(det < 0 ? -det : det);
    size_t nbytes = L->str_bytes ? L->str_bytes : 1;
    L->text_shown = true;
    if (size > 0 && size < TS_PDF_TINY_PT)
        L->s->tiny_text = true;
    bool painted = g->render != 3 && g->render != 7;
    if (painted && (g->render & 1) == 0 && g->render < 4 && is_white(g->fill))
        L->s->white_text = true;
    /* where the text lies, roughly: a generous advance of one em per byte */
    double fs = g->font_size, w = (double)nbytes * fs;
    double cx[4] = {0, w, 0, w}, cy[4] = {-0.3 * fs, -0.3 * fs, fs, fs};
    rect r = {0};
    bool has = false;
    for (int i = 0; i < 4; i++) {
        double x, y;
        apply(m, cx[i], cy[i], &x, &y);
        grow_rect(&r, &has, x, y);
    }
    if (painted)
        L->shown[L->nshown++ % PENDING_MAX] = r;
    if (!painted) {
        L->s->invisible_mode = true;
        /* text over a full-page image drawn before it in the same stream: an OCR layer */
        if (!L->big_image)
            add_area(L, &r, TS_PDF_AREA_UNPAINTED);
    } else if (g->fill[0] >= 0) {
        unsigned n = L->nunder < PENDING_MAX ? L->nunder : PENDING_MAX;
        for (unsigned i = 0; i < n; i++) {
            backdrop *b = &L->under[i];
            if (!b->used && same_colour(b->fill, g->fill) && meets(&b->r, &r)) {
                b->used = true;
                add_area(L, &b->r, TS_PDF_AREA_SAME);
            }
        }
    }
    /* move on by a typical advance, for text shown without a new position */
    double t[6] = {1, 0, 0, 1, 0.6 * g->font_size * (double)nbytes, 0};
    mul(L->tm, t, L->tm);
}

static void path_point(lexer *L, double x, double y)
{
    double dx, dy;
    apply(L->gs[L->depth].ctm, x, y, &dx, &dy);
    grow_rect(&L->bbox, &L->has_bbox, dx, dy);
}

static void end_path(lexer *L)
{
    L->npath = 0;
    L->has_bbox = L->path_overflow = false;
}

/* Does a box meet text shown before it in this stream (all of it, if some was forgotten)? */
static bool over_text(const lexer *L, const rect *r)
{
    if (L->nshown > PENDING_MAX)
        return true;
    for (unsigned i = 0; i < L->nshown; i++)
        if (meets(&L->shown[i], r))
            return true;
    return false;
}

/* A path is filled: its boxes may cover text painted before them. */
static void fill(lexer *L)
{
    rect one[1];
    const rect *rs = L->path;
    unsigned n = L->npath;
    if (n == 0 || L->path_overflow) {
        if (!L->has_bbox)
            goto out;
        one[0] = L->bbox; /* a rounded or drawn shape: its bounding box (as x-ray does) */
        rs = one;
        n = 1;
    }
    for (unsigned i = 0; i < n; i++) {
        if (!big(&rs[i]))
            continue;
        const double *f = L->gs[L->depth].fill;
        backdrop b = {.r = rs[i], .fill = {f[0], f[1], f[2]}};
        L->under[L->nunder++ % PENDING_MAX] = b;
        if (L->text_shown && over_text(L, &rs[i])) {
            L->s->fill_over_text = true;
            if (L->form)
                L->s->unplaced = true; /* a form's space is not the page's: cannot place it */
            else
                add_area(L, &rs[i], TS_PDF_AREA_BOX);
        } else if (!L->text_shown && L->npending < PENDING_MAX) {
            L->pending[L->npending++] = b;
        }
    }
out:
    end_path(L);
}

/*
 * An image is painted (Do, or an inline image): it fills the unit square of the current matrix.
 * Over text shown before it in this stream, or in a stream without text (a picture pasted over
 * a page afterwards, as some editors "redact"), it may cover text as a filled box does; the
 * rendering check decides. A form XObject (also Do) is mapped the same way: its unit square is
 * seldom big, and a wrong guess costs a render, never a finding.
 */
static void picture(lexer *L)
{
    const double *m = L->gs[L->depth].ctm;
    rect r = {0};
    bool has = false;
    static const double cx[4] = {0, 1, 0, 1}, cy[4] = {0, 0, 1, 1};
    for (int i = 0; i < 4; i++) {
        double x, y;
        apply(m, cx[i], cy[i], &x, &y);
        grow_rect(&r, &has, x, y);
    }
    if (!has || !big(&r))
        return;
    if (L->text_shown && over_text(L, &r)) {
        L->s->fill_over_text = true;
        if (L->form)
            L->s->unplaced = true;
        else
            add_area(L, &r, TS_PDF_AREA_BOX);
    } else if (!L->text_shown && L->npending < PENDING_MAX) {
        L->pending[L->npending++] = (backdrop){.r = r, .fill = {-1, -1, -1}};
    }
}

static void do_op(lexer *L, const char *op, size_t n)
{
    gstate *g = &L->gs[L->depth];
    const double *v = L->num;
    unsigned k = L->nnum;
    char c0 = op[0], c1 = n > 1 ? op[1] : '\0';
    if (n == 1 && c0 == 'q') {
        if (L->depth + 1 < CTM_DEPTH) {
            L->gs[L->depth + 1] = *g;
            L->depth++;
        }
    } else if (n == 1 && c0 == 'Q') {
        if (L->depth > 0)
            L->depth--;
    } else if (n == 2 && c0 == 'c' && c1 == 'm' && k == 6) {
        mul(g->ctm, v, g->ctm);
    } else if (n == 2 && c0 == 'r' && c1 == 'e' && k >= 4) {
        double x = v[k - 4], y = v[k - 3], w = v[k - 2], h = v[k - 1];
        rect r = {0};
        bool has = false;
        double cx[4] = {x, x + w, x, x + w}, cy[4] = {y, y, y + h, y + h};
        for (int i = 0; i < 4; i++) {
            double dx, dy;
            apply(g->ctm, cx[i], cy[i], &dx, &dy);
            grow_rect(&r, &has, dx, dy);
            grow_rect(&L->bbox, &L->has_bbox, dx, dy);
        }
        if (L->npath < PATH_RECTS)
            L->path[L->npath++] = r;
        else
            L->path_overflow = true;
    } else if (n == 1 && (c0 == 'm' || c0 == 'l') && k >= 2) {
        path_point(L, v[k - 2], v[k - 1]);
    } else if (n == 1 && (c0 == 'c' || c0 == 'v' || c0 == 'y') && k >= 4) {
        path_point(L, v[k - 4], v[k - 3]);
        path_point(L, v[k - 2], v[k - 1]);
    } else if ((n == 1 && (c0 == 'f' || c0 == 'F' || c0 == 'B' || c0 == 'b')) ||
               (n == 2 && c1 == '*' && (c0 == 'f' || c0 == 'B' || c0 == 'b'))) {
        fill(L);
    } else if (n == 1 && (c0 == 'n' || c0 == 's' || c0 == 'S')) {
        end_path(L);
    } else if ((n == 1 && (c0 == 'g' || c0 == 'k')) || (n == 2 && c0 == 'r' && c1 == 'g') ||
               (n == 2 && c0 == 's' && c1 == 'c') || (n == 3 && memcmp(op, "scn", 3) == 0)) {
        set_colour(L, op, n);
    } else if (n == 2 && c0 == 'c' && c1 == 's') {
        g->fill[0] = g->fill[1] = g->fill[2] = 0; /* a colour space starts at black (§8.6.5) */
    } else if (n == 2 && c0 == 'B' && c1 == 'T') {
        static const double id[6] = {1, 0, 0, 1, 0, 0};
        memcpy(L->tm, id, sizeof(id));
        memcpy(L->tlm, id, sizeof(id));
    } else if (n == 2 && c0 == 'T') {
        switch (c1) {
        case 'f':
            if (k >= 1)
                g->font_size = v[k - 1];
            break;
        case 'r':
            if (k >= 1) /* hostile input: modes are 0 to 7 */
                g->render = v[k - 1] >= 0 && v[k - 1] <= 7 ? (int)v[k - 1] : 0;
            break;
        case 'L':
            if (k >= 1)
                L->leading = v[k - 1];
            break;
        case 'D':
            if (k >= 2)
                L->leading = -v[k - 1];
            if (k >= 2)
                text_move(L, v[k - 2], v[k - 1]);
            break;
        case 'd':
            if (k >= 2)
                text_move(L, v[k - 2], v[k - 1]);
            break;
        case 'm':
            if (k == 6) {
                memcpy(L->tm, v, sizeof(L->tm));
                memcpy(L->tlm, v, sizeof(L->tlm));
            }
            break;
        case '*':
            text_move(L, 0, -L->leading);
            break;
        case 'j':
        case 'J':
            show_text(L);
            break;
        default:
            break;
        }
    } else if (n == 1 && (c0 == '\'' || c0 == '"')) {
        text_move(L, 0, -L->leading);
        show_text(L);
    } else if (n == 2 && c0 == 'D' && c1 == 'o') {
        double det = g->ctm[0] * g->ctm[3] - g->ctm[1] * g->ctm[2];
        if ((det < 0 ? -det : det) > 100.0 * 100.0)
            L->big_image = true;
        picture(L);
    } else if (n == 2 && c0 == 'I' && c1 == 'D') {
        L->p = skip_inline_image(L->p, L->end);
        picture(L);
    }
    L->nnum = 0;
    L->str_bytes = 0;
}

/* Read the operators of one content stream (ISO 32000-2 §7.8.2); `L` is scratch. */
static ts_status lex_content(lexer *L, ts_pdf_scan *s, const unsigned char *p, size_t n, bool form,
                             unsigned obj)
{
    static const double id[6] = {1, 0, 0, 1, 0, 0};
    /* a fresh state, without clearing the rings: their counts say what is valid */
    memset(L, 0, offsetof(lexer, pending));
    L->npending = L->nunder = L->nshown = 0;
    L->st = TS_OK;
    L->obj = obj;
    L->p = p;
    L->end = p + n;
    L->s = s;
    L->form = form;
    memcpy(L->gs[0].ctm, id, sizeof(id));
    memcpy(L->tm, id, sizeof(id));
    memcpy(L->tlm, id, sizeof(id));
    while (L->p < L->end && L->st == TS_OK) {
        unsigned char c = *L->p;
        if (is_space(c)) {
            L->p++;
        } else if (c == '%') {
            while (L->p < L->end && *L->p != '\n' && *L->p != '\r')
                L->p++;
        } else if (c == '(') {
            L->p = skip_string(L->p + 1, L->end, &L->str_bytes);
        } else if (c == '[') {
            L->p = skip_array(L->p + 1, L->end, &L->str_bytes);
        } else if (c == '<' && L->p + 1 < L->end && L->p[1] != '<') {
            L->p = skip_hex(L->p + 1, L->end, &L->str_bytes);
        } else if (c == '<' || c == '>' || c == ']' || c == '{' || c == '}' || c == ')') {
            L->p++;
        } else if (c == '/') {
            L->p++;
            while (L->p < L->end && !is_delim(*L->p))
                L->p++;
        } else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
            const unsigned char *start = L->p;
            push_num(L, parse_num(&L->p, L->end));
            if (L->p == start)
                L->p++;
        } else {
            const unsigned char *op = L->p;
            while (L->p < L->end && !is_delim(*L->p))
                L->p++;
            if (L->p == op)
                L->p++;
            do_op(L, (const char *)op, (size_t)(L->p - op));
        }
    }
    /* boxes of a stream without text: a later overlay on the page (not a form's own drawing) */
    if (!L->text_shown && !form)
        for (unsigned i = 0; i < L->npending; i++)
            add_area(L, &L->pending[i].r, TS_PDF_AREA_BOX);
    return L->st;
}

/* ---- optional content (layers) ------------------------------------------------------------- */

#define OC_REACH 65536u /* bytes of an /OCProperties dictionary looked at */
#define OC_REFS 4096u   /* references of /OCGs and /Order compared */
#define OC_LOOKUPS 64u  /* references looked up as objects (each a search of the file) */

/* The object references ("12 0 R") in the array at p[0] == '[', nested arrays included. */
static size_t array_refs(const unsigned char *p, size_t n, unsigned *out, size_t max)
{
    size_t k = 0, i = 1;
    unsigned depth = 1;
    double num[2] = {-1, -1};
    while (i < n && depth > 0) {
        unsigned char c = p[i];
        if (c == '[' || c == ']') {
            depth += c == '[' ? 1u : 0u;
            depth -= c == ']' ? 1u : 0u;
            i++;
        } else if (c >= '0' && c <= '9') {
            const unsigned char *q = p + i;
            double v = parse_num(&q, p + n);
            i = (size_t)(q - p);
            num[0] = num[1];
            num[1] = v;
        } else if (c == 'R' && num[0] >= 0 && num[0] < 1e9) {
            if (k < max)
                out[k++] = (unsigned)num[0];
            num[0] = num[1] = -1;
            i++;
        } else {
            if (!is_space(c))
                num[0] = num[1] = -1;
            i++;
        }
    }
    return k;
}

/* The array after `key` in w[0, n), or NULL. */
static const unsigned char *array_after(const unsigned char *w, size_t n, const char *key,
                                        size_t *left)
{
    const unsigned char *q = find(w, n, key);
    if (q == NULL)
        return NULL;
    size_t off = (size_t)(q - w) + strlen(key);
    while (off < n && is_space(w[off]))
        off++;
    if (off >= n || w[off] != '[')
        return NULL;
    *left = n - off;
    return w + off;
}

/* Is object `num` (searched in the file's own bytes) something other than an OCG? */
static bool not_an_ocg(const unsigned char *data, size_t len, unsigned num)
{
    char head[24];
    int hn = snprintf(head, sizeof(head), "%u 0 obj", num);
    size_t off = 0;
    while (hn > 0 && off < len) {
        const unsigned char *q = find(data + off, len - off, head);
        if (q == NULL)
            return false; /* not in the open (an object stream): cannot tell */
        size_t at = (size_t)(q - data);
        off = at + (size_t)hn;
        if (at > 0 && !is_space(data[at - 1]))
            continue;
        size_t reach = len - off < 4096 ? len - off : 4096;
        const unsigned char *end = find(data + off, reach, "endobj");
        size_t body = end ? (size_t)(end - (data + off)) : reach;
        if (!has_name(data + off, body, "/OCG"))
            return true;
    }
    return false;
}

/*
 * poppler-glib (22.12) crashes listing layers when the /Order of /OCProperties names an object
 * that is not one of its /OCGs (get_optional_content_items_sorted makes a layer of NULL). Look
 * at every /OCProperties dictionary written in the open, or in the object streams read.
 */
static void check_layers(ts_pdf_scan *s, const unsigned char *p, size_t n,
                         const unsigned char *data, size_t len, unsigned *lookups)
{
    size_t off = 0;
    while (off < n && !s->layers_unsafe) {
        const unsigned char *q = find(p + off, n - off, "/OCProperties");
        if (q == NULL)
            return;
        off = (size_t)(q - p) + 13;
        size_t at = off;
        while (at < n && is_space(p[at]))
            at++;
        if (n - at < 2 || p[at] != '<' || p[at + 1] != '<')
            continue; /* a reference: the dictionary is checked where it is written */
        size_t wn = n - at < OC_REACH ? n - at : OC_REACH;
        const unsigned char *w = p + at;
        unsigned *ocgs = ts_calloc(2 * OC_REFS, sizeof(unsigned));
        if (ocgs == NULL) {
            s->layers_unsafe = true; /* no room to check: do not risk it */
            return;
        }
        unsigned *order = ocgs + OC_REFS;
        size_t left = 0, na = 0, nb = 0;
        const unsigned char *a = array_after(w, wn, "/OCGs", &left);
        if (a)
            na = array_refs(a, left, ocgs, OC_REFS);
        const unsigned char *b = array_after(w, wn, "/Order", &left);
        if (b)
            nb = array_refs(b, left, order, OC_REFS);
        for (size_t i = 0; i < nb && !s->layers_unsafe; i++) {
            bool listed = false;
            for (size_t k = 0; k < na && !listed; k++)
                listed = order[i] == ocgs[k];
            if (!listed)
                s->layers_unsafe = true;
        }
        for (size_t i = 0; i < na && !s->layers_unsafe && *lookups < OC_LOOKUPS; i++, (*lookups)++)
            if (not_an_ocg(data, len, ocgs[i]))
                s->layers_unsafe = true;
        ts_free(ocgs);
    }
}

/*
 * The zlib header is read here and the data inflated raw: the Adler-32 check costs time and a
 * bad one is no reason to look away from the operators (poppler does not check it either).
 */
ts_pdf_inflated ts_pdf_inflate_how(const unsigned char *src, size_t n, unsigned char **buf,
                                   size_t *cap, size_t *out_len, uint64_t *budget)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    *out_len = 0;
    /* RFC 1950 §2.2: CM = 8, no preset dictionary, header check multiple of 31 */
    bool header = n >= 2 && (src[0] & 0x0F) == 8 && (src[1] & 0x20) == 0 &&
                  ((unsigned)src[0] * 256u + src[1]) % 31u == 0;
    if (header) {
        src += 2;
        n -= 2;
    }
    if (inflateInit2(&z, header ? -15 : 15) != Z_OK)
        return TS_PDF_INFLATE_LIMIT; /* out of memory: nothing is known of the data */
    size_t have = 0;
    int rc = Z_OK;
    ts_pdf_inflated how = TS_PDF_INFLATE_CUT;
    z.next_in = src;
    size_t left = n;
    while (rc != Z_STREAM_END) {
        if (have == *cap) {
            if (have >= STREAM_MAX || *budget < 65536 ||
                ts_grow((void **)buf, cap, have + 65536, 1) != 0) {
                how = TS_PDF_INFLATE_LIMIT;
                break;
            }
        }
        if (z.avail_in == 0) {
            unsigned chunk = left > (1u << 30) ? (1u << 30) : (unsigned)left;
            z.avail_in = chunk;
            left -= chunk;
        }
        z.next_out = *buf + have;
        z.avail_out = (unsigned)(*cap - have);
        rc = inflate(&z, Z_NO_FLUSH);
        size_t got = (size_t)(*cap - have) - z.avail_out;
        have += got;
        *budget -= got < *budget ? got : *budget;
        if (rc == Z_STREAM_END)
            how = TS_PDF_INFLATE_END;
        else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
            how = TS_PDF_INFLATE_DAMAGED;
        else if (rc == Z_MEM_ERROR)
            how = TS_PDF_INFLATE_LIMIT;
        if (rc != Z_OK && rc != Z_STREAM_END)
            break; /* Z_BUF_ERROR: no progress, the input is used up (cut) */
        if (rc == Z_OK && got == 0 && z.avail_in == 0 && left == 0)
            break; /* truncated: keep what came out */
    }
    inflateEnd(&z);
    *out_len = have;
    return how;
}

int ts_pdf_inflate(const unsigned char *src, size_t n, unsigned char **buf, size_t *cap,
                   size_t *out_len, uint64_t *budget)
{
    ts_pdf_inflated how = ts_pdf_inflate_how(src, n, buf, cap, out_len, budget);
    /* a damaged tail still leaves readable operators; only a stream cut by a limit is opaque */
    if (how == TS_PDF_INFLATE_LIMIT)
        return *out_len >= STREAM_MAX || *out_len == 0 ? -1 : 0;
    return *out_len > 0 || how == TS_PDF_INFLATE_END ? 0 : -1;
}

/* The kinds of stream that hold no page content (fonts, images, colour profiles, …). */
static bool not_content(const unsigned char *d, size_t n)
{
    static const char *const keys[] = {
        "/Length1",     "/Length2", "/Length3", "/FunctionType", "/ShadingType",
        "/PatternType", "/N",       "/FFilter", "/DL",           NULL};
    if (dict_is(d, n, "/Subtype", "/Image") || dict_is(d, n, "/Type", "/XRef") ||
        dict_is(d, n, "/Type", "/Metadata") || dict_is(d, n, "/Type", "/EmbeddedFile") ||
        dict_is(d, n, "/Subtype", "/XML") || dict_is(d, n, "/Subtype", "/Type1C") ||
        dict_is(d, n, "/Subtype", "/CIDFontType0C") || dict_is(d, n, "/Subtype", "/OpenType"))
        return true;
    for (size_t i = 0; keys[i]; i++)
        if (has_name(d, n, keys[i]))
            return true;
    return false;
}

/* Filters other than Flate, or Flate with a predictor: the stream is left to rendering. */
static bool other_filter(const unsigned char *d, size_t n)
{
    static const char *const names[] = {"/ASCIIHexDecode",
                                        "/ASCII85Decode",
                                        "/LZWDecode",
                                        "/RunLengthDecode",
                                        "/Crypt",
                                        "/AHx",
                                        "/A85",
                                        "/LZW",
                                        "/RL",
                                        "/Predictor",
                                        NULL};
    for (size_t i = 0; names[i]; i++)
        if (has_name(d, n, names[i]))
            return true;
    return false;
}

/* The number of the object whose dictionary starts at data[ds] ("12 0 obj <<"), or 0. */
static unsigned object_number(const unsigned char *data, size_t ds)
{
    size_t i = ds;
    while (i > 0 && is_space(data[i - 1]))
        i--;
    if (i < 3 || memcmp(data + i - 3, "obj", 3) != 0)
        return 0;
    i -= 3;
    unsigned long num = 0;
    for (int field = 0; field < 2; field++) {
        size_t end = i;
        while (i > 0 && is_space(data[i - 1]))
            i--;
        end = i;
        while (i > 0 && data[i - 1] >= '0' && data[i - 1] <= '9' && end - i < 10)
            i--;
        if (i == end)
            return 0;
        if (field == 1)
            for (size_t k = i; k < end; k++)
                num = num * 10 + (unsigned long)(data[k] - '0');
    }
    return num > 0 && num < 0x7FFFFFFFul ? (unsigned)num : 0;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/*
 * Drop the areas drawn by streams nothing refers to: an object appended and never used, or left
 * behind by an editor, is no page's content. A reference is "N G R" anywhere in the raw bytes;
 * what looks like one by chance only keeps an area, which costs a render, never a finding. When
 * objects sit in compressed object streams, their references are not in the raw bytes: then
 * every area stays.
 */
static ts_status drop_orphans(ts_pdf_scan *s, const unsigned char *data, size_t len)
{
    if (s->nareas == 0 || s->objstm)
        return TS_OK;
    unsigned *objs = ts_malloc(s->nareas * sizeof(*objs));
    bool *used = NULL;
    size_t n = 0;
    if (objs == NULL)
        return TS_ENOMEM;
    for (size_t i = 0; i < s->nareas; i++)
        if (s->areas[i].obj != 0)
            objs[n++] = s->areas[i].obj;
    qsort(objs, n, sizeof(*objs), cmp_unsigned);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || objs[k - 1] != objs[i])
            objs[k++] = objs[i];
    n = k;
    used = ts_calloc(n ? n : 1, sizeof(*used));
    if (used == NULL) {
        ts_free(objs);
        return TS_ENOMEM;
    }
    for (const unsigned char *p = data, *end = data + len; n > 0 && p < end;) {
        const unsigned char *r = memchr(p, 'R', (size_t)(end - p));
        if (r == NULL)
            break;
        p = r + 1;
        if (p < end && !is_delim(*p) && !is_space(*p))
            continue;
        size_t i = (size_t)(r - data);
        /* " <num> <gen> R": back over the generation, then the number */
        if (i == 0 || !is_space(data[i - 1]))
            continue;
        while (i > 0 && is_space(data[i - 1]))
            i--;
        size_t g = i;
        while (i > 0 && data[i - 1] >= '0' && data[i - 1] <= '9' && g - i < 6)
            i--;
        if (i == g || i == 0 || !is_space(data[i - 1]))
            continue;
        while (i > 0 && is_space(data[i - 1]))
            i--;
        size_t e = i;
        unsigned long num = 0;
        while (i > 0 && data[i - 1] >= '0' && data[i - 1] <= '9' && e - i < 10)
            i--;
        if (i == e)
            continue;
        for (size_t q = i; q < e; q++)
            num = num * 10 + (unsigned long)(data[q] - '0');
        unsigned key = (unsigned)num;
        const unsigned *hit = num < 0x7FFFFFFFul ? bsearch(&key, objs, n, sizeof(*objs),
                                                           cmp_unsigned)
                                                 : NULL;
        if (hit)
            used[hit - objs] = true;
    }
    size_t w = 0;
    for (size_t i = 0; i < s->nareas; i++) {
        const ts_pdf_area *a = &s->areas[i];
        const unsigned *hit =
            a->obj ? bsearch(&a->obj, objs, n, sizeof(*objs), cmp_unsigned) : NULL;
        if (hit == NULL || used[hit - objs])
            s->areas[w++] = *a;
    }
    s->nareas = w;
    ts_free(used);
    ts_free(objs);
    return TS_OK;
}

static ts_status scan_streams(ts_pdf_scan *s, const unsigned char *data, size_t len)
{
    unsigned char *buf = NULL;
    size_t cap = 0;
    uint64_t budget = SCAN_BUDGET;
    size_t off = 0;
    unsigned lookups = 0;
    lexer *L = ts_malloc(sizeof(*L));
    if (L == NULL)
        return TS_ENOMEM;
    while (off < len && budget >= 65536) {
        const unsigned char *q = find(data + off, len - off, "stream");
        if (q == NULL)
            break;
        size_t at = (size_t)(q - data);
        off = at + 6;
        /* the keyword follows ">>" and is followed by an end of line (§7.3.8.1) */
        size_t b = at;
        while (b > 0 && is_space(data[b - 1]))
            b--;
        if (b < 2 || data[b - 1] != '>' || data[b - 2] != '>')
            continue;
        size_t ds = b - 2, reach = 0;
        unsigned depth = 1;
        while (ds > 0 && reach < DICT_REACH && depth > 0) {
            ds--;
            reach++;
            if (ds > 0 && data[ds] == '<' && data[ds - 1] == '<') {
                depth--;
                ds--;
            } else if (ds > 0 && data[ds] == '>' && data[ds - 1] == '>') {
                depth++;
                ds--;
            }
        }
        if (depth > 0)
            continue;
        const unsigned char *dict = data + ds;
        size_t dlen = b - ds;
        size_t start = off;
        if (start < len && data[start] == '\r')
            start++;
        if (start < len && data[start] == '\n')
            start++;
        const unsigned char *e = find(data + start, len - start, "endstream");
        size_t stop = e ? (size_t)(e - data) : len;
        off = stop;
        bool objstm = dict_is(dict, dlen, "/Type", "/ObjStm");
        s->objstm = s->objstm || objstm;
        if (!objstm && not_content(dict, dlen))
            continue;
        const unsigned char *body = data + start;
        size_t blen = stop - start;
        bool flate = has_name(dict, dlen, "/FlateDecode") || has_name(dict, dlen, "/Fl");
        bool filtered = has_name(dict, dlen, "/Filter");
        if (filtered && (!flate || other_filter(dict, dlen))) {
            if (!objstm)
                s->opaque = true; /* ASCII85, LZW, … or a filter chain: leave it to rendering */
            continue;
        }
        if (flate) {
            size_t got = 0;
            if (ts_pdf_inflate(body, blen, &buf, &cap, &got, &budget) != 0) {
                if (!objstm)
                    s->opaque = true;
                continue;
            }
            body = buf;
            blen = got;
        }
        if (objstm) {
            if (has_name(body, blen, "/JavaScript"))
                s->javascript = true;
            check_layers(s, body, blen, data, len, &lookups);
        } else {
            ts_status st = lex_content(L, s, body, blen, dict_is(dict, dlen, "/Subtype", "/Form"),
                                       object_number(data, ds));
            if (st != TS_OK) {
                ts_free(L);
                ts_free(buf);
                return st;
            }
        }
    }
    if (budget < 65536)
        s->opaque = true;
    ts_free(L);
    ts_free(buf);
    /* pages turned by /Rotate have another space than their content: areas cannot be placed */
    if (s->opaque || (s->rotated && s->nareas > 0))
        s->unplaced = true;
    return TS_OK;
}

/* ---- the grid of areas ---------------------------------------------------------------------- */

#define GRID_CELLS (1u << 20) /* cells of the grid at most (1 MiB): larger extents get coarser */

static ts_status build_grid(ts_pdf_scan *s)
{
    if (s->nareas == 0)
        return TS_OK;
    double x0 = s->areas[0].x0, y0 = s->areas[0].y0, x1 = s->areas[0].x1, y1 = s->areas[0].y1;
    for (size_t i = 1; i < s->nareas; i++) {
        const ts_pdf_area *a = &s->areas[i];
        x0 = a->x0 < x0 ? a->x0 : x0;
        y0 = a->y0 < y0 ? a->y0 : y0;
        x1 = a->x1 > x1 ? a->x1 : x1;
        y1 = a->y1 > y1 ? a->y1 : y1;
    }
    double cell = 2.0;
    while ((x1 - x0) / cell + 2 > 4096 || (y1 - y0) / cell + 2 > 4096 ||
           ((x1 - x0) / cell + 2) * ((y1 - y0) / cell + 2) > GRID_CELLS)
        cell *= 2;
    s->grid_cell = cell;
    s->grid_x0 = x0;
    s->grid_y0 = y0;
    s->grid_w = (int)((x1 - x0) / cell) + 2;
    s->grid_h = (int)((y1 - y0) / cell) + 2;
    s->grid = ts_calloc((size_t)s->grid_w * (size_t)s->grid_h, 1);
    if (s->grid == NULL)
        return TS_ENOMEM;
    for (size_t i = 0; i < s->nareas; i++) {
        const ts_pdf_area *a = &s->areas[i];
        int cx0 = (int)((a->x0 - x0) / cell), cx1 = (int)((a->x1 - x0) / cell);
        int cy0 = (int)((a->y0 - y0) / cell), cy1 = (int)((a->y1 - y0) / cell);
        for (int y = cy0; y <= cy1 && y < s->grid_h; y++)
            for (int x = cx0; x <= cx1 && x < s->grid_w; x++)
                s->grid[(size_t)y * (size_t)s->grid_w + (size_t)x] |=
                    (unsigned char)(1u << a->kind);
    }
    ts_free(s->areas);
    s->areas = NULL;
    s->cap_areas = 0;
    return TS_OK;
}

unsigned ts_pdf_scan_areas(const ts_pdf_scan *s, double x0, double y0, double x1, double y1)
{
    if (s->grid == NULL)
        return 0;
    double c = s->grid_cell;
    /* hostile input: a character may lie anywhere; clamp before converting */
    double fx0 = fmax(0, floor((x0 - s->grid_x0) / c));
    double fx1 = fmin(s->grid_w - 1, floor((x1 - s->grid_x0) / c));
    double fy0 = fmax(0, floor((y0 - s->grid_y0) / c));
    double fy1 = fmin(s->grid_h - 1, floor((y1 - s->grid_y0) / c));
    if (!(fx0 <= fx1 && fy0 <= fy1))
        return 0;
    int cx0 = (int)fx0, cx1 = (int)fx1, cy0 = (int)fy0, cy1 = (int)fy1;
    unsigned kinds = 0;
    for (int y = cy0; y <= cy1; y++)
        for (int x = cx0; x <= cx1; x++)
            kinds |= s->grid[(size_t)y * (size_t)s->grid_w + (size_t)x];
    return kinds;
}

/* Does some /Rotate turn a page (by anything but a whole turn)? */
static bool rotated(const unsigned char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        const unsigned char *q = find(data + off, len - off, "/Rotate");
        if (q == NULL)
            return false;
        off = (size_t)(q - data) + 7;
        while (off < len && is_space(data[off]))
            off++;
        const unsigned char *p = data + off;
        double v = parse_num(&p, data + len);
        if (p > data + off && fmod(v, 360) != 0)
            return true;
    }
    return false;
}

/*
 * ISO 32000-2 §7.6.6: /EFF names the crypt filter of embedded files, which may differ from the
 * one of other streams (/StmF) so that a document opens without a password and its attachments
 * do not. poppler does not apply /EFF: with /StmF /Identity it takes the document for
 * unencrypted and hands back the attachments' ciphertext (or nothing, when a Flate filter
 * follows the crypt filter). The encryption dictionary is never in an object stream (§7.5.7),
 * so its names are visible here.
 */
static bool sealed_attachments(const unsigned char *data, size_t len)
{
    bool eff = has_name(data, len, "/EFF") && !dict_is(data, len, "/EFF", "/Identity");
    bool stm = has_name(data, len, "/StmF") && !dict_is(data, len, "/StmF", "/Identity");
    return eff && !stm;
}

ts_status ts_pdf_scan_run(ts_pdf_scan *s, const unsigned char *data, size_t len)
{
    memset(s, 0, sizeof(*s));
    ts_status st = find_revisions(s, data, len);
    if (st != TS_OK)
        return st;
    /* every JavaScript action names its type /S /JavaScript (§12.6.4.17); a 3-byte "/JS" would
     * also match inside compressed bytes */
    if (has_name(data, len, "/JavaScript"))
        s->javascript = true;
    unsigned lookups = 0;
    check_layers(s, data, len, data, len, &lookups);
    /* encrypted streams cannot be read here: every page then gets the visual check */
    if (has_name(data, len, "/Encrypt")) {
        s->opaque = s->unplaced = true;
        s->sealed_attachments = sealed_attachments(data, len);
        return TS_OK;
    }
    s->rotated = rotated(data, len);
    st = scan_streams(s, data, len);
    if (st == TS_OK)
        st = drop_orphans(s, data, len);
    return st == TS_OK ? build_grid(s) : st;
}

void ts_pdf_scan_dispose(ts_pdf_scan *s)
{
    ts_free(s->areas);
    s->areas = NULL;
    s->nareas = s->cap_areas = 0;
    ts_free(s->grid);
    s->grid = NULL;
    ts_free(s->revision_ends);
    s->revision_ends = NULL;
    s->nrevisions = 0;
}

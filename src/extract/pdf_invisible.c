/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Invisible text: text in a page's text layer that a reader cannot see, confirmed by rendering. */
#include "extract/pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "core/alloc.h"

#define MAX_PIXELS (4u << 20) /* hostile input: the rendered area is scaled down to this */
#define MARGIN 2.0            /* points rendered around the characters looked at */
#define TOLERANCE 10          /* per channel: a glyph leaves more of a mark than this */
#define NEAR 48               /* per channel: "the same colour" for text and what is behind it */
#define DARK 100              /* every channel at most this: too dark for dark text to show */

/* What is known about one character. */
enum {
    C_TINY = 1,      /* too small to read */
    C_WHITE = 2,     /* drawn in white */
    C_BOX = 4,       /* a box painted after text lies over it */
    C_UNPAINTED = 8, /* text in render mode 3 lies there */
    C_SAME = 16,     /* a box of the text's colour lies under it */
    C_LOOK = 32      /* to be looked at in the picture */
};

typedef struct chr {
    unsigned char flags;
    guint8 r, g, b; /* text colour */
} chr;

/* g_utf8_next_char without its cast, which drops const */
static const char *next_char(const char *p)
{
    return p + g_utf8_skip[*(const guchar *)p];
}

static bool blank(gunichar c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xA0 || c == 0x2002 ||
           c == 0x2003 || c == 0x2009 || c == 0x200B;
}

static bool whitish(int r, int g, int b)
{
    return r >= 235 && g >= 235 && b >= 235;
}

static bool near(int a, int b)
{
    return a - b <= NEAR && b - a <= NEAR;
}

/* Colour and size of every character, from poppler's text attributes (start/end inclusive). */
static void read_attributes(PopplerPage *page, chr *c, size_t nchars, bool *any_tiny,
                            bool *any_white)
{
    GList *attrs = poppler_page_get_text_attributes(page);
    for (GList *l = attrs; l != NULL; l = l->next) {
        const PopplerTextAttributes *a = l->data;
        if (a->start_index < 0 || a->end_index < a->start_index || (size_t)a->start_index >= nchars)
            continue;
        size_t s = (size_t)a->start_index, e = (size_t)a->end_index;
        if (e >= nchars)
            e = nchars - 1;
        guint8 r = (guint8)(a->color.red >> 8), g = (guint8)(a->color.green >> 8),
               b = (guint8)(a->color.blue >> 8);
        unsigned char f = 0;
        if (a->font_size > 0 && a->font_size < TS_PDF_TINY_PT)
            f |= C_TINY;
        if (whitish(r, g, b))
            f |= C_WHITE;
        *any_tiny |= (f & C_TINY) != 0;
        *any_white |= (f & C_WHITE) != 0;
        for (size_t i = s; i <= e; i++)
            c[i] = (chr){.flags = f, .r = r, .g = g, .b = b};
    }
    poppler_page_free_text_attributes(attrs);
}

/* Part of a page rendered on white paper, for looking at where glyphs should be. */
typedef struct picture {
    cairo_surface_t *surface;
    const unsigned char *px;
    int w, h, stride;
    double scale, x0, y0; /* page point (x, y) is pixel ((x - x0) * scale, (y - y0) * scale) */
} picture;

static bool render(PopplerPage *page, ts_pdf_canvas *canvas, picture *pic, double x0, double y0,
                   double x1, double y1)
{
    double pw = 0, ph = 0;
    poppler_page_get_size(page, &pw, &ph);
    if (!(pw >= 1 && ph >= 1 && pw < 1e6 && ph < 1e6))
        return false;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > pw ? pw : x1;
    y1 = y1 > ph ? ph : y1;
    if (x1 <= x0 || y1 <= y0)
        return false;
    /*
     * Two pixels a point, so that the thin stem of an i or an l always shows: at one pixel a
     * point a light anti-aliased stem can pass for paper (74 false reports on a 297-page
     * tender rendered whole, none at two).
     */
    double area = (x1 - x0) * (y1 - y0);
    double scale = 2.0;
    if (area * scale * scale > MAX_PIXELS)
        scale = sqrt(MAX_PIXELS / area);
    pic->w = (int)ceil((x1 - x0) * scale);
    pic->h = (int)ceil((y1 - y0) * scale);
    pic->scale = scale;
    pic->x0 = x0;
    pic->y0 = y0;
    /* one buffer for the whole document: painted white below, so it need not be cleared */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, pic->w);
    size_t need = stride > 0 ? (size_t)stride * (size_t)pic->h : 0;
    if (need == 0 || ts_grow((void **)&canvas->px, &canvas->cap, need, 1) != 0)
        return false;
    pic->surface = cairo_image_surface_create_for_data(canvas->px, CAIRO_FORMAT_RGB24, pic->w,
                                                       pic->h, stride);
    if (cairo_surface_status(pic->surface) != CAIRO_STATUS_SUCCESS)
        return false;
    cairo_t *cr = cairo_create(pic->surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, -x0, -y0);
    poppler_page_render(page, cr);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(pic->surface);
    pic->px = cairo_image_surface_get_data(pic->surface);
    pic->stride = cairo_image_surface_get_stride(pic->surface);
    return ok && pic->px != NULL;
}

/* Pixel span of [a, b] in page points: the pixels wholly inside, or the middle one. */
static void span(double a, double b, double origin, double scale, int limit, int *lo, int *hi)
{
    /* hostile input: a character may lie anywhere; clamp before converting */
    double fa = fmax(-2, fmin(limit + 2, (a - origin) * scale));
    double fb = fmax(-2, fmin(limit + 2, (b - origin) * scale));
    if (!(fa <= fb)) {
        *lo = 1;
        *hi = 0;
        return;
    }
    int l = (int)ceil(fa), h = (int)floor(fb) - 1;
    if (h < l)
        l = h = (int)floor((fa + fb) / 2);
    *lo = l < 0 ? 0 : l;
    *hi = h >= limit ? limit - 1 : h;
}

/*
 * Is the character's box one colour in the picture? Sets that colour. With `dark_ok`, a box
 * that is dark all over (a cross-hatched bar) counts as one colour too: black.
 */
static bool uniform(const picture *pic, const PopplerRectangle *r, bool dark_ok, int *ur, int *ug,
                    int *ub)
{
    /*
     * Look where every glyph leaves ink: the middle of its advance and the band from the
     * x-height to the baseline. The box poppler gives spans the font's whole ascent and
     * descent, which a redaction bar drawn over the letters need not cover.
     */
    double left = fmin(r->x1, r->x2), right = fmax(r->x1, r->x2);
    double top = fmin(r->y1, r->y2), bottom = fmax(r->y1, r->y2);
    double w = right - left, h = bottom - top;
    int x0, x1, y0, y1;
    span(left + 0.1 * w, right - 0.1 * w, pic->x0, pic->scale, pic->w, &x0, &x1);
    if (x1 - x0 < 3)
        span(left, right, pic->x0, pic->scale, pic->w, &x0, &x1);
    span(top + 0.35 * h, top + 0.75 * h, pic->y0, pic->scale, pic->h, &y0, &y1);
    if (x1 < x0 || y1 < y0)
        return false; /* off the picture: nothing to look at */
    const unsigned char *row0 = pic->px + (size_t)y0 * (size_t)pic->stride;
    guint32 ref;
    memcpy(&ref, row0 + (size_t)x0 * 4, 4);
    int rr = (int)((ref >> 16) & 0xFF), rg = (int)((ref >> 8) & 0xFF), rb = (int)(ref & 0xFF);
    bool same = true, dark = dark_ok;
    for (int y = y0; y <= y1 && (same || dark); y++) {
        const unsigned char *row = pic->px + (size_t)y * (size_t)pic->stride;
        for (int x = x0; x <= x1 && (same || dark); x++) {
            guint32 p;
            memcpy(&p, row + (size_t)x * 4, 4);
            int pr = (int)((p >> 16) & 0xFF), pg = (int)((p >> 8) & 0xFF), pb = (int)(p & 0xFF);
            if (abs(pr - rr) > TOLERANCE || abs(pg - rg) > TOLERANCE || abs(pb - rb) > TOLERANCE)
                same = false;
            if (pr > DARK || pg > DARK || pb > DARK)
                dark = false;
        }
    }
    if (!same && !dark)
        return false;
    *ur = same ? rr : 0;
    *ug = same ? rg : 0;
    *ub = same ? rb : 0;
    return true;
}

/*
 * Why a glyph whose box is one colour cannot be seen, or -1 when nothing explains it (then
 * the box is more likely misplaced than the text hidden).
 */
static int explain(const ts_pdf_scan *scan, const chr *c, bool colour_known, int ur, int ug, int ub)
{
    bool white = whitish(ur, ug, ub);
    if (c->flags & C_BOX)
        return TS_PDF_COVERED;
    if (c->flags & C_UNPAINTED)
        return TS_PDF_UNPAINTED;
    if (c->flags & C_SAME)
        return TS_PDF_SAME_COLOUR;
    if (colour_known && near(ur, c->r) && near(ug, c->g) && near(ub, c->b))
        return TS_PDF_SAME_COLOUR;
    if (!scan->unplaced)
        return -1;
    if (!white || scan->fill_over_text)
        return TS_PDF_COVERED;
    if (scan->invisible_mode || scan->opaque)
        return TS_PDF_UNPAINTED;
    return -1;
}

/* Is a run worth reporting? Not a lone character and not "XXXX" (as Free Law Project's x-ray). */
static bool worth(const char *t, size_t n)
{
    size_t alnum = 0;
    gunichar first = 0;
    bool varied = false;
    for (const char *p = t; p < t + n; p = next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalnum(c))
            continue;
        alnum++;
        if (first == 0)
            first = c;
        else if (c != first)
            varied = true;
    }
    return alnum >= 2 && varied;
}

static ts_status add_run(ts_pdf_runs *out, const char *text, size_t s, size_t e, int why)
{
    if (why < 0 || e <= s || !worth(text + s, e - s))
        return TS_OK;
    if (ts_grow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v)) != 0)
        return TS_ENOMEM;
    out->v[out->n++] = (ts_pdf_run){.start = s, .end = e, .why = (ts_pdf_why)why};
    return TS_OK;
}

/* Runs of hidden characters with the same reason; blanks between them join them. */
static ts_status make_runs(const char *text, size_t nchars, const signed char *why,
                           ts_pdf_runs *out)
{
    ts_status st = TS_OK;
    size_t run_s = 0, run_e = 0;
    int run_why = -1;
    const char *p = text;
    for (size_t i = 0; i < nchars && st == TS_OK; i++, p = next_char(p)) {
        if (blank(g_utf8_get_char(p)))
            continue;
        size_t off = (size_t)(p - text), next = (size_t)(next_char(p) - text);
        if (why[i] >= 0 && why[i] == run_why) {
            run_e = next;
            continue;
        }
        st = add_run(out, text, run_s, run_e, run_why);
        run_why = why[i];
        run_s = off;
        run_e = next;
    }
    return st == TS_OK ? add_run(out, text, run_s, run_e, run_why) : st;
}

static bool overlaps(const PopplerRectangle *a, const PopplerRectangle *b)
{
    return fmin(a->x1, a->x2) < fmax(b->x1, b->x2) && fmin(b->x1, b->x2) < fmax(a->x1, a->x2) &&
           fmin(a->y1, a->y2) < fmax(b->y1, b->y2) && fmin(b->y1, b->y2) < fmax(a->y1, a->y2);
}

/*
 * Mark the characters that an area of the pre-scan (default user space) or an annotation box
 * (page space) meets.
 */
static bool place_areas(PopplerPage *page, const ts_pdf_scan *scan, const ts_pdf_boxes *boxes,
                        const char *text, const PopplerRectangle *rects, size_t nchars, chr *c)
{
    bool any = false;
    PopplerRectangle crop;
    poppler_page_get_crop_box(page, &crop);
    double top = crop.y2 > crop.y1 ? crop.y2 : crop.y1;
    double left = crop.x1 < crop.x2 ? crop.x1 : crop.x2;
    const char *p = text;
    for (size_t i = 0; i < nchars; i++, p = next_char(p)) {
        if (blank(g_utf8_get_char(p)) || (c[i].flags & C_TINY))
            continue;
        const PopplerRectangle *r = &rects[i];
        if (scan->unplaced) {
            c[i].flags |= C_LOOK;
        } else {
            unsigned k =
                ts_pdf_scan_areas(scan, left + r->x1, top - r->y2, left + r->x2, top - r->y1);
            if (k & (1u << TS_PDF_AREA_BOX))
                c[i].flags |= C_BOX | C_LOOK;
            if (k & (1u << TS_PDF_AREA_UNPAINTED))
                c[i].flags |= C_UNPAINTED | C_LOOK;
            if (k & (1u << TS_PDF_AREA_SAME))
                c[i].flags |= C_SAME | C_LOOK;
        }
        for (size_t b = 0; b < boxes->n; b++)
            if (overlaps(r, &boxes->v[b]))
                c[i].flags |= C_BOX | C_LOOK;
        if (c[i].flags & C_WHITE)
            c[i].flags |= C_LOOK;
        any |= (c[i].flags & C_LOOK) != 0;
    }
    return any;
}

ts_status ts_pdf_invisible(PopplerPage *page, const char *text, size_t len, const ts_pdf_scan *scan,
                           const ts_pdf_boxes *boxes, ts_pdf_canvas *canvas, ts_pdf_runs *out)
{
    ts_status st = TS_OK;
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    chr *c = NULL;
    signed char *why = NULL;
    picture pic = {0};
    out->n = 0;
    bool attrs = scan->white_text || scan->tiny_text || scan->unplaced;
    bool areas = scan->grid != NULL || scan->unplaced || boxes->n > 0;
    /* the pre-scan saw nothing that can hide text: nothing to look at on any page */
    if ((!attrs && !areas) || len == 0 || !g_utf8_validate(text, (gssize)len, NULL))
        return TS_OK;
    size_t nchars = (size_t)g_utf8_strlen(text, (gssize)len);
    c = ts_calloc(nchars ? nchars : 1, sizeof(*c));
    why = ts_malloc(nchars ? nchars : 1);
    if (c == NULL || why == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    memset(why, -1, nchars);
    bool any_tiny = false, any_white = false;
    if (attrs)
        read_attributes(page, c, nchars, &any_tiny, &any_white);
    if (any_tiny) {
        const char *p = text;
        for (size_t i = 0; i < nchars; i++, p = next_char(p))
            if ((c[i].flags & C_TINY) && !blank(g_utf8_get_char(p)))
                why[i] = TS_PDF_TINY;
    }
    if ((areas || any_white) && poppler_page_get_text_layout(page, &rects, &nrects) &&
        nrects == nchars && place_areas(page, scan, boxes, text, rects, nchars, c)) {
        /* render only the part of the page where characters are to be looked at */
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        for (size_t i = 0; i < nchars; i++) {
            if (!(c[i].flags & C_LOOK))
                continue;
            x0 = fmin(x0, fmin(rects[i].x1, rects[i].x2));
            y0 = fmin(y0, fmin(rects[i].y1, rects[i].y2));
            x1 = fmax(x1, fmax(rects[i].x1, rects[i].x2));
            y1 = fmax(y1, fmax(rects[i].y1, rects[i].y2));
        }
        if (render(page, canvas, &pic, x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN)) {
            for (size_t i = 0; i < nchars; i++) {
                int ur, ug, ub;
                bool dark_ok =
                    (c[i].flags & C_BOX) && c[i].r <= DARK && c[i].g <= DARK && c[i].b <= DARK;
                if ((c[i].flags & C_LOOK) && uniform(&pic, &rects[i], dark_ok, &ur, &ug, &ub))
                    why[i] = (signed char)explain(scan, &c[i], attrs, ur, ug, ub);
            }
        }
    }
    st = make_runs(text, nchars, why, out);
out:
    if (pic.surface)
        cairo_surface_destroy(pic.surface);
    g_free(rects);
    ts_free(c);
    ts_free(why);
    return st;
}

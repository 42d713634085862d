/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Does a picture hold text? Lines of character-sized shapes, found in the gray pixels. */
#include "extract/picture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The check, in three steps, each a pass or two over the pixels:
 *   1. ink: a pixel that differs by CONTRAST from the mean of the 48 x 48 pixels around it (the
 *      mean is kept per block of BLOCK x BLOCK pixels and smoothed over the 3 x 3 blocks around),
 *      darker for dark text on light, lighter for light text on dark (a terminal): a smooth
 *      gradient or the inside of a large shape has no ink, only edges and strokes do;
 *   2. shapes: runs of ink in each row joined to the runs they touch in the row above (8-way),
 *      with a union-find over the runs: each shape's box, pixel count, runs and strongest
 *      contrast. Character-sized shapes are MIN_H to MAX_H pixels high, at most 8 heights wide
 *      (a word whose letters touch), not a solid block or a thin frame, and reach 1.5 times
 *      CONTRAST somewhere (a stroke; speckle at the threshold does not);
 *   3. lines: each character joins its nearest neighbour to the right that overlaps it in height,
 *      is of a like height and within 1.5 heights; a chain of MIN_LINE or more is a line of text
 *      when it passes is_line (a baseline, close letters, strokes, clean rows along it).
 * The polarity with more lines counts (the holes of large dark letters are light shapes too).
 *
 * Bounds: the picture is looked at at most TS_PICTURE_MAX_PIXELS large (box-averaged by a whole
 * factor), a polarity with more than MAX_RUNS runs (noise, a photo of gravel) is looked at again
 * at half the size, at most MAX_CHARS characters are kept and a character compares itself with
 * at most SEARCH neighbours a side: time and memory grow with the pixels, never faster (about
 * 10 ms for a 1920 x 1080 screenshot, 40 ms for 8 million pixels, optimised build). A screenshot
 * of text has 10,000 to 40,000 runs a polarity per 2 million pixels; noise and grass 100,000 per
 * million.
 */

#define BLOCK 16u
#define CONTRAST 40
#define MIN_H 5u
#define MAX_H 160u
#define MAX_RUNS (1u << 20)
#define MAX_CHARS (1u << 18)
#define SEARCH 64u
#define MIN_LINE 4u
#define MIN_SIDE 8u /* a picture smaller than this has no text to find */

typedef struct run {
    uint32_t x0, x1; /* inclusive */
    uint32_t parent; /* union-find over runs */
    uint32_t peak;   /* the largest difference from the surroundings in the run */
} run;

typedef struct box {
    uint32_t x0, y0, x1, y1; /* inclusive */
    uint32_t n;              /* ink pixels */
    uint32_t runs;           /* runs of ink */
    uint32_t peak;
} box;

typedef struct chr {
    uint32_t x0, y0, x1, y1;
    uint32_t group; /* union-find over characters */
    uint32_t n, runs;
} chr;

/* A gray picture owned or borrowed by the check. */
typedef struct gray {
    const unsigned char *px;
    unsigned w, h;
    size_t stride;
} gray;

typedef struct scratch {
    unsigned char *local; /* smoothed block means */
    run *runs;
    size_t nruns, cap_runs;
    uint32_t *row_at; /* first run of each row; h + 1 entries */
    box *boxes;       /* per root run */
    chr *chars;
    size_t nchars, cap_chars;
} scratch;

static void scratch_free(scratch *s)
{
    ts_free(s->local);
    ts_free(s->runs);
    ts_free(s->row_at);
    ts_free(s->boxes);
    ts_free(s->chars);
    memset(s, 0, sizeof(*s));
}

/* Union-find roots, with path halving. */
static uint32_t run_find(run *r, uint32_t i)
{
    while (r[i].parent != i) {
        r[i].parent = r[r[i].parent].parent;
        i = r[i].parent;
    }
    return i;
}

static uint32_t chr_find(chr *c, uint32_t i)
{
    while (c[i].group != i) {
        c[i].group = c[c[i].group].group;
        i = c[i].group;
    }
    return i;
}

/* The mean gray of each block, smoothed over its 3 x 3 neighbourhood. */
static ts_status local_means(scratch *s, const gray *g)
{
    size_t bw = (g->w + BLOCK - 1) / BLOCK, bh = (g->h + BLOCK - 1) / BLOCK;
    uint32_t *sum = ts_calloc(bw * bh, sizeof(*sum));
    s->local = ts_malloc(bw * bh);
    if (sum == NULL || s->local == NULL) {
        ts_free(sum);
        return TS_ENOMEM;
    }
    for (size_t y = 0; y < g->h; y++) {
        const unsigned char *row = g->px + y * g->stride;
        uint32_t *bs = sum + (y / BLOCK) * bw;
        for (size_t x = 0; x < g->w; x++)
            bs[x / BLOCK] += row[x];
    }
    for (size_t by = 0; by < bh; by++) {
        for (size_t bx = 0; bx < bw; bx++) {
            uint64_t total = 0, count = 0;
            for (size_t yy = by ? by - 1 : 0; yy <= by + 1 && yy < bh; yy++) {
                for (size_t xx = bx ? bx - 1 : 0; xx <= bx + 1 && xx < bw; xx++) {
                    size_t pw = xx + 1 < bw ? BLOCK : g->w - xx * BLOCK;
                    size_t ph = yy + 1 < bh ? BLOCK : g->h - yy * BLOCK;
                    total += sum[yy * bw + xx];
                    count += pw * ph;
                }
            }
            s->local[by * bw + bx] = (unsigned char)(total / count);
        }
    }
    ts_free(sum);
    return TS_OK;
}

/* How much darker (dark) or lighter the pixel is than its surroundings; ink from CONTRAST. */
static int contrast(unsigned char px, unsigned char mean, bool dark)
{
    return dark ? (int)mean - (int)px : (int)px - (int)mean;
}

static bool is_ink(unsigned char px, unsigned char mean, bool dark)
{
    return contrast(px, mean, dark) >= CONTRAST;
}

/*
 * The runs of ink of one polarity, joined into shapes. False when there are more than MAX_RUNS
 * (*st stays TS_OK): the caller looks at a smaller picture.
 */
static bool shapes(scratch *s, const gray *g, bool dark, ts_status *st)
{
    size_t bw = (g->w + BLOCK - 1) / BLOCK;
    s->nruns = 0;
    *st = TS_OK;
    for (size_t y = 0; y < g->h; y++) {
        const unsigned char *row = g->px + y * g->stride;
        const unsigned char *means = s->local + (y / BLOCK) * bw;
        s->row_at[y] = (uint32_t)s->nruns;
        size_t x = 0;
        while (x < g->w) {
            while (x < g->w && !is_ink(row[x], means[x / BLOCK], dark))
                x++;
            if (x == g->w)
                break;
            size_t x0 = x;
            int peak = 0, c;
            while (x < g->w && (c = contrast(row[x], means[x / BLOCK], dark)) >= CONTRAST) {
                peak = c > peak ? c : peak;
                x++;
            }
            if (s->nruns == MAX_RUNS)
                return false;
            if (ts_grow((void **)&s->runs, &s->cap_runs, s->nruns + 1, sizeof(run)) != 0) {
                *st = TS_ENOMEM;
                return false;
            }
            uint32_t id = (uint32_t)s->nruns++;
            s->runs[id] = (run){(uint32_t)x0, (uint32_t)(x - 1), id, (uint32_t)peak};
        }
        if (y == 0)
            continue;
        /* join with the runs of the row above that touch (8-way: one pixel of slack) */
        size_t a = s->row_at[y - 1], ae = s->row_at[y], b = s->row_at[y], be = s->nruns;
        while (a < ae && b < be) {
            run *ra = &s->runs[a], *rb = &s->runs[b];
            if (ra->x1 + 1 < rb->x0) {
                a++;
            } else if (rb->x1 + 1 < ra->x0) {
                b++;
            } else {
                uint32_t pa = run_find(s->runs, (uint32_t)a), pb = run_find(s->runs, (uint32_t)b);
                if (pa != pb)
                    s->runs[pa > pb ? pa : pb].parent = pa < pb ? pa : pb;
                if (ra->x1 < rb->x1)
                    a++;
                else
                    b++;
            }
        }
    }
    s->row_at[g->h] = (uint32_t)s->nruns;
    return true;
}

/* The shapes' boxes, and the character-sized ones among them. */
static ts_status characters(scratch *s, const gray *g)
{
    ts_free(s->boxes);
    s->boxes = s->nruns ? ts_malloc(s->nruns * sizeof(box)) : NULL;
    if (s->nruns && s->boxes == NULL)
        return TS_ENOMEM;
    for (size_t y = 0; y < g->h; y++) {
        for (uint32_t i = s->row_at[y]; i < s->row_at[y + 1]; i++) {
            uint32_t root = run_find(s->runs, i);
            box *b = &s->boxes[root];
            const run *r = &s->runs[i];
            if (root == i) {
                *b = (box){r->x0, (uint32_t)y, r->x1, (uint32_t)y, 0, 0, 0};
            } else {
                if (r->x0 < b->x0)
                    b->x0 = r->x0;
                if (r->x1 > b->x1)
                    b->x1 = r->x1;
                b->y1 = (uint32_t)y;
            }
            b->n += r->x1 - r->x0 + 1;
            b->runs++;
            b->peak = r->peak > b->peak ? r->peak : b->peak;
        }
    }
    uint32_t max_h = g->h / 2 < MAX_H ? g->h / 2 : MAX_H;
    s->nchars = 0;
    for (uint32_t i = 0; i < s->nruns && s->nchars < MAX_CHARS; i++) {
        if (s->runs[i].parent != i)
            continue;
        const box *b = &s->boxes[i];
        uint32_t h = b->y1 - b->y0 + 1, w = b->x1 - b->x0 + 1;
        if (h < MIN_H || h > max_h || w > 8 * h || b->peak < CONTRAST * 3 / 2)
            continue; /* a letter has a stroke of full contrast somewhere; speckle has not */
        uint64_t area = (uint64_t)w * h;
        if (b->n * 10u < area)
            continue; /* a thin diagonal or a frame */
        if (w * 2 > h && (uint64_t)b->n * 100u > area * 92u)
            continue; /* a solid block (a bullet, a button, a legend square) */
        if (ts_grow((void **)&s->chars, &s->cap_chars, s->nchars + 1, sizeof(chr)) != 0)
            return TS_ENOMEM;
        s->chars[s->nchars] = (chr){b->x0, b->y0, b->x1, b->y1, (uint32_t)s->nchars, b->n, b->runs};
        s->nchars++;
    }
    return TS_OK;
}

static int by_middle(const void *a, const void *b)
{
    const chr *x = a, *y = b;
    uint32_t mx = x->y0 + x->y1, my = y->y0 + y->y1;
    if (mx != my)
        return mx < my ? -1 : 1;
    return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static uint32_t height(const chr *c)
{
    return c->y1 - c->y0 + 1;
}

/* Is b the kind of neighbour to the right of a that the next letter of a line is? */
static bool next_letter(const chr *a, const chr *b, uint32_t *gap)
{
    uint32_t ha = height(a), hb = height(b);
    uint32_t hmax = ha > hb ? ha : hb, hmin = ha < hb ? ha : hb;
    if (b->x0 <= a->x0 || b->x0 + 1 < a->x1 || hmax * 10 > hmin * 22)
        return false;
    uint32_t top = a->y0 > b->y0 ? a->y0 : b->y0, bottom = a->y1 < b->y1 ? a->y1 : b->y1;
    if (bottom < top || (bottom - top + 1) * 2 < hmin)
        return false; /* they overlap in height by less than half the smaller one */
    *gap = b->x0 > a->x1 ? b->x0 - a->x1 - 1 : 0;
    return *gap * 2 <= hmax * 3;
}

/* Join each character to its nearest next letter. */
static void link_letters(scratch *s)
{
    if (s->nchars == 0)
        return;
    qsort(s->chars, s->nchars, sizeof(chr), by_middle);
    for (size_t i = 0; i < s->nchars; i++)
        s->chars[i].group = (uint32_t)i;
    for (size_t i = 0; i < s->nchars; i++) {
        const chr *a = &s->chars[i];
        uint32_t ha = height(a);
        size_t best = SIZE_MAX;
        uint32_t best_gap = UINT32_MAX;
        /* neighbours whose middle lies within one height of a's, in both directions */
        for (int dir = -1; dir <= 1; dir += 2) {
            for (size_t k = 1; k <= SEARCH; k++) {
                if (dir < 0 && k > i)
                    break;
                size_t j = dir < 0 ? i - k : i + k;
                if (j >= s->nchars)
                    break;
                const chr *b = &s->chars[j];
                uint32_t ma = a->y0 + a->y1, mb = b->y0 + b->y1;
                if ((ma > mb ? ma - mb : mb - ma) > 2 * ha)
                    break;
                uint32_t gap;
                if (next_letter(a, b, &gap) && gap < best_gap) {
                    best_gap = gap;
                    best = j;
                }
            }
        }
        if (best != SIZE_MAX) {
            uint32_t ra = chr_find(s->chars, (uint32_t)i), rb = chr_find(s->chars, (uint32_t)best);
            if (ra != rb)
                s->chars[ra > rb ? ra : rb].group = ra < rb ? ra : rb;
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Is there a row of (almost) no ink of this polarity among `rows` rows from y in direction dy? */
static bool clean_row(const scratch *s, const gray *g, bool dark, uint32_t x0, uint32_t x1, long y,
                      long dy, uint32_t rows)
{
    size_t bw = (g->w + BLOCK - 1) / BLOCK;
    for (uint32_t k = 0; k < rows; k++, y += dy) {
        if (y < 0 || y >= (long)g->h)
            return true; /* the edge of the picture */
        const unsigned char *row = g->px + (size_t)y * g->stride;
        const unsigned char *means = s->local + ((size_t)y / BLOCK) * bw;
        uint32_t ink = 0;
        for (uint32_t x = x0; x <= x1; x++)
            ink += is_ink(row[x], means[x / BLOCK], dark);
        if (ink * 20 <= x1 - x0 + 1)
            return true;
    }
    return false;
}

/*
 * Is this chain of m characters (indices in `idx`, by x) a line of text? Text sits on a
 * baseline (most bottoms within a pixel or an eighth of the height), its letters stand close
 * (the middle gap is at most a third of the height: a word space is larger, but letters are
 * more), it is not a row of shapes of one width, its shapes are strokes (a letter's row crosses
 * one to two strokes: 1.12 to 2.2 runs of ink a row on the average, where a blob has one and
 * speckle many), and rows of background run along it above and below (a texture, a photo of
 * gravel, has ink everywhere around its chains). The figures were measured on screenshots,
 * charts, diagrams and photos against noise, grass, brick and leaf textures.
 */
static bool is_line(const scratch *s, const gray *g, bool dark, const uint32_t *idx, size_t m,
                    uint32_t *tmp, uint32_t *hmed)
{
    uint32_t wmin = UINT32_MAX, wmax = 0, x0 = UINT32_MAX, x1 = 0, y0 = UINT32_MAX, y1 = 0;
    uint64_t runs = 0, rows = 0;
    for (size_t k = 0; k < m; k++) {
        const chr *c = &s->chars[idx[k]];
        uint32_t w = c->x1 - c->x0 + 1;
        runs += c->runs;
        rows += height(c);
        wmin = w < wmin ? w : wmin;
        wmax = w > wmax ? w : wmax;
        x0 = c->x0 < x0 ? c->x0 : x0;
        x1 = c->x1 > x1 ? c->x1 : x1;
        y0 = c->y0 < y0 ? c->y0 : y0;
        y1 = c->y1 > y1 ? c->y1 : y1;
        tmp[k] = height(c);
    }
    if ((wmax - wmin) * 10 <= wmax)
        return false; /* window rows, dotted lines, keys of a keyboard: all of one width */
    if (runs * 100 < rows * 112 || runs * 10 > rows * 22)
        return false; /* blobs (one run a row) or speckle (many), not strokes */
    qsort(tmp, m, sizeof(*tmp), cmp_u32);
    uint32_t h = tmp[m / 2];
    *hmed = h;
    for (size_t k = 0; k < m; k++) {
        const chr *c = &s->chars[idx[k]];
        tmp[k] = (c->x1 - c->x0 + 1) * 4 / height(c); /* width in quarters of the height */
    }
    qsort(tmp, m, sizeof(*tmp), cmp_u32);
    if (tmp[m / 2] > 6)
        return false; /* mostly shapes wider than 1.5 heights: bricks, bars, not letters */
    /* the gaps between neighbours, in x order */
    for (size_t k = 1; k < m; k++) {
        const chr *a = &s->chars[idx[k - 1]], *b = &s->chars[idx[k]];
        tmp[k - 1] = b->x0 > a->x1 ? b->x0 - a->x1 - 1 : 0;
    }
    qsort(tmp, m - 1, sizeof(*tmp), cmp_u32);
    if (tmp[(m - 1) / 2] * 3 > h)
        return false;
    for (size_t k = 0; k < m; k++)
        tmp[k] = s->chars[idx[k]].y1;
    qsort(tmp, m, sizeof(*tmp), cmp_u32);
    uint32_t base = tmp[m / 2], tol = h / 8 > 1 ? h / 8 : 1;
    size_t on_base = 0;
    for (size_t k = 0; k < m; k++)
        on_base += tmp[k] + tol >= base && tmp[k] <= base + tol;
    if (on_base * 5 < m * 3)
        return false;
    uint32_t band = h / 2 > 2 ? h / 2 : 2;
    return clean_row(s, g, dark, x0, x1, (long)y0 - 1, -1, band) &&
           clean_row(s, g, dark, x0, x1, (long)y1 + 1, 1, band);
}

/* Count the lines of text among the linked characters; `heights` gets their median heights. */
static ts_status count_lines(scratch *s, const gray *g, bool dark, ts_textlines *t,
                             uint32_t *heights, size_t *nheights)
{
    size_t n = s->nchars;
    *t = (ts_textlines){0};
    *nheights = 0;
    if (n == 0)
        return TS_OK;
    /* (group << 32 | index) keys sort by group, (x << 32 | index) a group by x: no context */
    uint64_t *keys = ts_malloc(n * sizeof(*keys)), *xkeys = ts_malloc(n * sizeof(*xkeys));
    uint32_t *idx = ts_malloc(n * sizeof(*idx)), *tmp = ts_malloc(n * sizeof(*tmp));
    ts_status st = TS_ENOMEM;
    if (keys == NULL || xkeys == NULL || idx == NULL || tmp == NULL)
        goto out;
    for (size_t i = 0; i < n; i++)
        keys[i] = (uint64_t)chr_find(s->chars, (uint32_t)i) << 32 | i;
    qsort(keys, n, sizeof(*keys), cmp_u64);
    for (size_t at = 0; at < n;) {
        size_t end = at;
        while (end < n && keys[end] >> 32 == keys[at] >> 32)
            end++;
        size_t m = end - at;
        if (m >= MIN_LINE) {
            for (size_t k = 0; k < m; k++) {
                uint32_t i = (uint32_t)keys[at + k];
                xkeys[k] = (uint64_t)s->chars[i].x0 << 32 | i;
            }
            qsort(xkeys, m, sizeof(*xkeys), cmp_u64);
            for (size_t k = 0; k < m; k++)
                idx[k] = (uint32_t)xkeys[k];
            uint32_t hmed = 0;
            if (is_line(s, g, dark, idx, m, tmp, &hmed)) {
                t->lines++;
                t->chars += (unsigned)m;
                heights[(*nheights)++] = hmed;
            }
        }
        at = end;
    }
    st = TS_OK;
out:
    ts_free(keys);
    ts_free(xkeys);
    ts_free(idx);
    ts_free(tmp);
    return st;
}

/* Look at one picture (within the bounds); *busy when a polarity had too many runs. */
static ts_status look(const gray *g, ts_textlines *out, bool *busy)
{
    scratch s = {0};
    uint32_t *heights = NULL;
    ts_status st = local_means(&s, g);
    *busy = false;
    *out = (ts_textlines){0};
    if (st != TS_OK)
        goto out;
    s.row_at = ts_malloc(((size_t)g->h + 1) * sizeof(*s.row_at));
    if (s.row_at == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    for (int dark = 1; dark >= 0; dark--) {
        if (!shapes(&s, g, dark != 0, &st)) {
            *busy = st == TS_OK;
            goto out;
        }
        if ((st = characters(&s, g)) != TS_OK)
            goto out;
        link_letters(&s);
        ts_free(heights);
        heights = s.nchars ? ts_malloc(s.nchars * sizeof(*heights)) : NULL;
        if (s.nchars && heights == NULL) {
            st = TS_ENOMEM;
            goto out;
        }
        ts_textlines t;
        size_t nh = 0;
        if ((st = count_lines(&s, g, dark != 0, &t, heights, &nh)) != TS_OK)
            goto out;
        if (t.lines > out->lines || (t.lines == out->lines && t.chars > out->chars)) {
            qsort(heights, nh, sizeof(*heights), cmp_u32);
            t.height = nh ? heights[nh / 2] : 0;
            *out = t;
        }
    }
out:
    ts_free(heights);
    scratch_free(&s);
    return st;
}

/* `in` made smaller by a whole factor f (each pixel the mean of an f x f box) into *owned. */
static ts_status reduce(const gray *in, unsigned f, gray *out, unsigned char **owned)
{
    unsigned w = (in->w + f - 1) / f, h = (in->h + f - 1) / f;
    unsigned char *px = ts_malloc((size_t)w * h);
    uint32_t *acc = ts_calloc(w, sizeof(*acc));
    if (px == NULL || acc == NULL) {
        ts_free(px);
        ts_free(acc);
        return TS_ENOMEM;
    }
    for (unsigned oy = 0; oy < h; oy++) {
        unsigned y0 = oy * f, y1 = y0 + f < in->h ? y0 + f : in->h;
        memset(acc, 0, w * sizeof(*acc));
        for (unsigned y = y0; y < y1; y++) {
            const unsigned char *row = in->px + (size_t)y * in->stride;
            for (unsigned x = 0; x < in->w; x++)
                acc[x / f] += row[x];
        }
        for (unsigned ox = 0; ox < w; ox++) {
            unsigned x0 = ox * f, x1 = x0 + f < in->w ? x0 + f : in->w;
            px[(size_t)oy * w + ox] = (unsigned char)(acc[ox] / ((x1 - x0) * (y1 - y0)));
        }
    }
    ts_free(acc);
    *owned = px;
    *out = (gray){px, w, h, w};
    return TS_OK;
}

ts_status ts_textlines_find(ts_textlines *out, const unsigned char *px, unsigned w, unsigned h,
                            size_t stride)
{
    *out = (ts_textlines){0};
    gray g = {px, w, h, stride};
    unsigned char *owned = NULL;
    ts_status st = TS_OK;
    double area = (double)w * (double)h;
    unsigned f = 1;
    while (area / ((double)f * f) > TS_PICTURE_MAX_PIXELS)
        f++;
    if (f > 1)
        st = reduce(&(gray){px, w, h, stride}, f, &g, &owned);
    while (st == TS_OK && g.w >= MIN_SIDE && g.h >= MIN_SIDE) {
        bool busy = false;
        st = look(&g, out, &busy);
        if (st != TS_OK || !busy)
            break;
        /* too busy to look at whole: a photo of gravel or noise; look at it at half the size */
        unsigned char *half = NULL;
        st = reduce(&g, 2, &g, &half);
        ts_free(owned);
        owned = half;
    }
    ts_free(owned);
    return st;
}

bool ts_textlines_are_text(const ts_textlines *t, bool standalone)
{
    return standalone ? t->lines >= 2 && t->chars >= 12 : t->lines >= 3 && t->chars >= 30;
}

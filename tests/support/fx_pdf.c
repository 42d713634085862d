/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF fixtures for tests: pages drawn with cairo, hand-written objects, incremental updates. */
#include "support/fx_pdf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "support/ts_test.h"

#define A4_W 595.0
#define A4_H 842.0

typedef struct fx_bytes {
    unsigned char *p;
    size_t len, cap;
} fx_bytes;

static void bytes_add(fx_bytes *b, const void *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    b->p[b->len] = '\0';
}

static void bytes_vprintf(fx_bytes *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    assert_true(n >= 0);
    char *t = malloc((size_t)n + 1);
    assert_non_null(t);
    vsnprintf(t, (size_t)n + 1, fmt, ap);
    bytes_add(b, t, (size_t)n);
    free(t);
}

static void bytes_printf(fx_bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bytes_printf(fx_bytes *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bytes_vprintf(b, fmt, ap);
    va_end(ap);
}

/* ---- cairo ---------------------------------------------------------------------------------- */

struct fx_pdf {
    fx_bytes out;
    cairo_surface_t *surface;
    cairo_t *cr;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    bytes_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

fx_pdf *fx_pdf_new(void)
{
    fx_pdf *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    p->surface = cairo_pdf_surface_create_for_stream(write_out, &p->out, A4_W, A4_H);
    assert_int_equal(cairo_surface_status(p->surface), CAIRO_STATUS_SUCCESS);
    p->cr = cairo_create(p->surface);
    cairo_select_font_face(p->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    return p;
}

void fx_pdf_meta(fx_pdf *p, cairo_pdf_metadata_t key, const char *value)
{
    cairo_pdf_surface_set_metadata(p->surface, key, value);
}

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

void fx_pdf_text(fx_pdf *p, double x, double y, double size, unsigned rgb, const char *text)
{
    set_rgb(p->cr, rgb);
    cairo_set_font_size(p->cr, size);
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, text);
    cairo_new_path(p->cr);
}

void fx_pdf_box(fx_pdf *p, double x, double y, double w, double h, unsigned rgb)
{
    set_rgb(p->cr, rgb);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
}

void fx_pdf_box_over(fx_pdf *p, double x, double y, double size, const char *text, double pad,
                     unsigned rgb)
{
    cairo_font_extents_t fe;
    cairo_text_extents_t te;
    cairo_set_font_size(p->cr, size);
    cairo_font_extents(p->cr, &fe);
    cairo_text_extents(p->cr, text, &te);
    fx_pdf_box(p, x - pad, y - fe.ascent - pad, te.x_advance + 2 * pad,
               fe.ascent + fe.descent + 2 * pad, rgb);
}

void fx_pdf_image(fx_pdf *p, double x, double y, double w, double h)
{
    int iw = (int)w, ih = (int)h;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw, ih);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int r = 0; r < ih; r++)
        for (int c = 0; c < iw; c++) {
            unsigned v = (unsigned)((r * 7 + c * 13) % 200 + 30);
            ((unsigned *)(void *)(px + r * stride))[c] = v << 16 | v << 8 | v;
        }
    cairo_surface_mark_dirty(img);
    cairo_save(p->cr);
    cairo_set_source_surface(p->cr, img, x, y);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
    cairo_restore(p->cr);
    cairo_surface_destroy(img);
}

cairo_surface_t *fx_picture(int w, int h, double size, const char *const *lines)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    for (size_t i = 0; lines[i] != NULL; i++) {
        cairo_move_to(cr, 2 * size, 4 * size + 2 * size * (double)i);
        cairo_show_text(cr, lines[i]);
    }
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    return s;
}

void fx_picture_png(const char *path, int w, int h, double size, const char *const *lines)
{
    cairo_surface_t *s = fx_picture(w, h, size, lines);
    assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

unsigned char fx_picture_gray(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t p;
    memcpy(&p, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
    return (unsigned char)((((p >> 16) & 0xFF) * 77 + ((p >> 8) & 0xFF) * 150 + (p & 0xFF) * 29) >>
                           8);
}

unsigned char *fx_picture_jpeg(cairo_surface_t *s, int cmyk, size_t *len)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *buf = NULL;
    unsigned long n = 0;
    jpeg_mem_dest(&c, &buf, &n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = cmyk ? 4 : 1;
    c.in_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)w * 4);
    assert_non_null(row);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            unsigned char g = fx_picture_gray(s, x, y);
            if (cmyk)
                memcpy(row + 4 * x, (unsigned char[4]){255, 255, 255, g}, 4);
            else
                row[x] = g;
        }
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = n;
    return buf;
}

void fx_pdf_image_solid(fx_pdf *p, double x, double y, double w, double h, unsigned rgb)
{
    int iw = (int)w, ih = (int)h;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw, ih);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int r = 0; r < ih; r++)
        for (int c = 0; c < iw; c++)
            ((unsigned *)(void *)(px + r * stride))[c] = rgb & 0xFFFFFF;
    cairo_surface_mark_dirty(img);
    cairo_save(p->cr);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_clip(p->cr);
    cairo_set_source_surface(p->cr, img, x, y);
    cairo_paint(p->cr); /* an image XObject painted with Do, not a filled path */
    cairo_restore(p->cr);
    cairo_surface_destroy(img);
}

void fx_pdf_next_page(fx_pdf *p)
{
    cairo_show_page(p->cr);
}

unsigned char *fx_pdf_finish(fx_pdf *p, size_t *len)
{
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    assert_int_equal(cairo_surface_status(p->surface), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(p->surface);
    unsigned char *r = p->out.p;
    *len = p->out.len;
    free(p);
    return r;
}

/* ---- objects by hand ------------------------------------------------------------------------ */

typedef struct fx_entry {
    unsigned num;
    size_t off;
} fx_entry;

struct fx_objs {
    fx_bytes out;
    size_t base_len;
    fx_entry *e;
    size_t ne, cap;
    unsigned next;
    unsigned root;
    unsigned info; /* the base's /Info, 0 when none */
    size_t prev;   /* the base's startxref, 0 for a new file */
};

/* The unsigned number after the last `key` in the first `n` bytes of `p`. */
static unsigned long number_after(const unsigned char *p, size_t n, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = n; i-- > 0;) {
        if (n - i >= k && memcmp(p + i, key, k) == 0) {
            size_t j = i + k;
            while (j < n && (p[j] == ' ' || p[j] == '\r' || p[j] == '\n'))
                j++;
            unsigned long v = 0;
            while (j < n && p[j] >= '0' && p[j] <= '9')
                v = v * 10 + (unsigned long)(p[j++] - '0');
            return v;
        }
    }
    return 0;
}

fx_objs *fx_objs_new(const unsigned char *base, size_t len)
{
    fx_objs *o = calloc(1, sizeof(*o));
    assert_non_null(o);
    if (base == NULL) {
        bytes_add(&o->out, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
        o->next = 1;
        return o;
    }
    bytes_add(&o->out, base, len);
    if (len > 0 && base[len - 1] != '\n')
        bytes_add(&o->out, "\n", 1);
    o->base_len = len;
    o->next = (unsigned)number_after(base, len, "/Size");
    o->root = (unsigned)number_after(base, len, "/Root");
    o->info = (unsigned)number_after(base, len, "/Info");
    o->prev = number_after(base, len, "startxref");
    assert_true(o->next > 0 && o->root > 0 && o->prev > 0);
    return o;
}

unsigned fx_objs_next(fx_objs *o)
{
    return o->next++;
}

unsigned fx_objs_root(const fx_objs *o)
{
    return o->root;
}

static void begin_obj(fx_objs *o, unsigned num)
{
    if (o->ne == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->e = realloc(o->e, o->cap * sizeof(*o->e));
        assert_non_null(o->e);
    }
    o->e[o->ne++] = (fx_entry){.num = num, .off = o->out.len};
    if (num >= o->next)
        o->next = num + 1;
    bytes_printf(&o->out, "%u 0 obj\n", num);
}

void fx_objs_put(fx_objs *o, unsigned num, const char *fmt, ...)
{
    begin_obj(o, num);
    va_list ap;
    va_start(ap, fmt);
    bytes_vprintf(&o->out, fmt, ap);
    va_end(ap);
    bytes_add(&o->out, "\nendobj\n", 8);
}

void fx_objs_stream(fx_objs *o, unsigned num, const char *dict, const void *data, size_t len)
{
    begin_obj(o, num);
    bytes_printf(&o->out, "<< %s /Length %zu >>\nstream\n", dict, len);
    bytes_add(&o->out, data, len);
    bytes_add(&o->out, "\nendstream\nendobj\n", 18);
}

/* Find object `num` in the base: the offsets of its body's start and of its "endobj". */
static int base_obj(const fx_objs *o, unsigned num, size_t *start, size_t *end)
{
    char head[32];
    int hn = snprintf(head, sizeof(head), "%u 0 obj", num);
    const unsigned char *p = o->out.p;
    int found = -1;
    /* the last version wins, as in a reader (ISO 32000-2 §7.5.6) */
    for (size_t i = 0; i + (size_t)hn <= o->base_len; i++) {
        if ((i == 0 || p[i - 1] == '\n' || p[i - 1] == '\r') &&
            memcmp(p + i, head, (size_t)hn) == 0) {
            const char *e = strstr((const char *)p + i, "endobj");
            if (e == NULL)
                return found;
            *start = i + (size_t)hn;
            *end = (size_t)((const unsigned char *)e - p);
            found = 0;
        }
    }
    return found;
}

char *fx_objs_body(const fx_objs *o, unsigned num)
{
    size_t s, e;
    if (base_obj(o, num, &s, &e) != 0)
        return NULL;
    while (s < e && (o->out.p[s] == '\n' || o->out.p[s] == '\r' || o->out.p[s] == ' '))
        s++;
    while (e > s && (o->out.p[e - 1] == '\n' || o->out.p[e - 1] == '\r' || o->out.p[e - 1] == ' '))
        e--;
    char *r = malloc(e - s + 1);
    assert_non_null(r);
    memcpy(r, o->out.p + s, e - s);
    r[e - s] = '\0';
    return r;
}

fx_objs *fx_objs_update(fx_pdf *p)
{
    size_t len;
    unsigned char *pdf = fx_pdf_finish(p, &len);
    fx_objs *o = fx_objs_new(pdf, len);
    free(pdf);
    return o;
}

void fx_objs_extend(fx_objs *o, unsigned num, const char *fmt, ...)
{
    char *body = fx_objs_body(o, num);
    assert_non_null(body);
    char *end = strrchr(body, '>');
    assert_true(end != NULL && end > body && end[-1] == '>');
    end[-1] = '\0'; /* the dictionary without its closing ">>" */
    fx_bytes extra = {0};
    va_list ap;
    va_start(ap, fmt);
    bytes_vprintf(&extra, fmt, ap);
    va_end(ap);
    fx_objs_put(o, num, "%s %s >>", body, (char *)extra.p);
    free(extra.p);
    free(body);
}

unsigned fx_objs_find(const fx_objs *o, const char *needle, unsigned nth)
{
    for (unsigned num = 1; num < o->next; num++) {
        char *b = fx_objs_body(o, num);
        bool hit = b != NULL && strstr(b, needle) != NULL;
        free(b);
        if (hit && nth-- == 0)
            return num;
    }
    return 0;
}

static int by_num(const void *a, const void *b)
{
    const fx_entry *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

unsigned char *fx_objs_finish(fx_objs *o, unsigned root, const char *trailer_extra, size_t *len)
{
    qsort(o->e, o->ne, sizeof(*o->e), by_num);
    size_t xref = o->out.len;
    bytes_add(&o->out, "xref\n", 5);
    if (o->prev == 0) {
        /* a new file: one section from 0, gaps as free entries */
        bytes_printf(&o->out, "0 %u\n0000000000 65535 f \n", o->next);
        size_t k = 0;
        for (unsigned num = 1; num < o->next; num++) {
            while (k < o->ne && o->e[k].num < num)
                k++;
            if (k < o->ne && o->e[k].num == num)
                bytes_printf(&o->out, "%010zu 00000 n \n", o->e[k].off);
            else
                bytes_add(&o->out, "0000000000 65535 f \n", 20);
        }
    } else {
        for (size_t k = 0; k < o->ne; k++)
            bytes_printf(&o->out, "%u 1\n%010zu 00000 n \n", o->e[k].num, o->e[k].off);
    }
    bytes_printf(&o->out, "trailer\n<< /Size %u /Root %u 0 R", o->next, root);
    if (o->prev)
        bytes_printf(&o->out, " /Prev %zu", o->prev);
    if (o->info && (trailer_extra == NULL || strstr(trailer_extra, "/Info") == NULL))
        bytes_printf(&o->out, " /Info %u 0 R", o->info); /* an update keeps the document's Info */
    if (trailer_extra)
        bytes_printf(&o->out, " %s", trailer_extra);
    bytes_printf(&o->out, " >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    unsigned char *r = o->out.p;
    *len = o->out.len;
    free(o->e);
    free(o);
    return r;
}

unsigned char *fx_pdf_simple(const char *const *contents, size_t ncontents, size_t npages,
                             const char *page_extra, size_t *len)
{
    fx_objs *o = fx_objs_new(NULL, 0);
    unsigned catalog = fx_objs_next(o), pages = fx_objs_next(o), font = fx_objs_next(o);
    unsigned first_content = o->next;
    for (size_t i = 0; i < ncontents; i++)
        fx_objs_stream(o, fx_objs_next(o), "", contents[i], strlen(contents[i]));
    fx_bytes kids = {0};
    for (size_t i = 0; i < npages; i++) {
        unsigned num = fx_objs_next(o);
        fx_objs_put(o, num,
                    "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595 842] /Contents %u 0 R "
                    "/Resources << /Font << /F1 %u 0 R >> >> %s >>",
                    pages, first_content + (unsigned)(i % ncontents), font,
                    page_extra ? page_extra : "");
        bytes_printf(&kids, "%u 0 R ", num);
    }
    fx_objs_put(o, pages, "<< /Type /Pages /Kids [%s] /Count %zu >>", kids.p ? (char *)kids.p : "",
                npages);
    free(kids.p);
    fx_objs_put(o, font,
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                "/Encoding /WinAnsiEncoding >>");
    fx_objs_put(o, catalog, "<< /Type /Catalog /Pages %u 0 R >>", pages);
    return fx_objs_finish(o, catalog, NULL, len);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pictures OCR did not read: decoded to gray (libpng, libjpeg) and checked for lines of text. */
#include "extract/picture.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include <jerror.h> /* after jpeglib.h: the message codes */
#include <png.h>

#include "extract/ocr.h"

#define MAX_SIDE (1u << 20) /* pixels a side libpng accepts */
#define MAX_SCANS 500       /* progressive JPEG scans (libjpeg-turbo's advice against DoS) */

/* ---- a gray picture made smaller while it is decoded ---------------------------------------- */

/*
 * Rows of the decoded picture go in one by one and come out box-averaged by a whole factor f,
 * chosen so that the result is within TS_PICTURE_MAX_PIXELS: memory is the result and one row.
 */
typedef struct shrink {
    unsigned w, h, f;
    unsigned ow, oh;
    unsigned char *px; /* ow x oh */
    uint32_t *acc;     /* ow sums */
    unsigned rows;     /* rows taken so far */
} shrink;

static ts_status shrink_init(shrink *s, unsigned w, unsigned h)
{
    double area = (double)w * (double)h;
    unsigned f = 1;
    while (area / ((double)f * f) > TS_PICTURE_MAX_PIXELS)
        f++;
    *s = (shrink){.w = w, .h = h, .f = f, .ow = (w + f - 1) / f, .oh = (h + f - 1) / f};
    s->px = ts_calloc((size_t)s->ow * s->oh, 1);
    s->acc = ts_calloc(s->ow, sizeof(*s->acc));
    return s->px && s->acc ? TS_OK : TS_ENOMEM;
}

static void shrink_dispose(shrink *s)
{
    ts_free(s->px);
    ts_free(s->acc);
    s->px = NULL;
    s->acc = NULL;
}

static void shrink_row(shrink *s, const unsigned char *gray)
{
    if (s->rows >= s->h)
        return;
    for (unsigned x = 0; x < s->w; x++)
        s->acc[x / s->f] += gray[x];
    s->rows++;
    if (s->rows % s->f != 0 && s->rows != s->h)
        return;
    unsigned oy = (s->rows - 1) / s->f, band = s->rows - oy * s->f;
    unsigned char *out = s->px + (size_t)oy * s->ow;
    for (unsigned ox = 0; ox < s->ow; ox++) {
        unsigned cols = ox + 1 < s->ow ? s->f : s->w - ox * s->f;
        out[ox] = (unsigned char)(s->acc[ox] / (cols * band));
        s->acc[ox] = 0;
    }
}

/* The bound OCR keeps (ocr.c): a picture that would decode to more bytes is not decoded. */
static bool too_large(ts_doc *doc, unsigned w, unsigned h, unsigned bytes_per_px, unsigned reduce)
{
    if ((double)w * (double)h * bytes_per_px / ((double)reduce * reduce) <= TS_OCR_MAX_DECODE)
        return false;
    ts_doc_fail(doc, TS_ELIMIT,
                "the picture is %u x %u pixels, too large to check for text (at most %u MB "
                "decoded)",
                w, h, (unsigned)(TS_OCR_MAX_DECODE >> 20));
    return true;
}

/* ---- PNG (libpng) --------------------------------------------------------------------------- */

typedef struct png_job {
    const unsigned char *data;
    size_t len, at;
    png_structp png;
    png_infop info;
    unsigned char *row; /* one decoded row, or the whole picture when interlaced */
    png_bytep *rows;    /* row pointers into `row` when interlaced */
    bool corrupt;       /* libpng stopped on an error */
} png_job;

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
    png_job *j = png_get_io_ptr(png);
    if (n > j->len - j->at)
        png_error(png, "truncated");
    memcpy(out, j->data + j->at, n);
    j->at += n;
}

static void png_fail(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static png_voidp png_alloc(png_structp png, png_alloc_size_t n)
{
    (void)png;
    return ts_malloc(n);
}

static void png_dealloc(png_structp png, png_voidp p)
{
    (void)png;
    ts_free(p);
}

/* Rows of 1 (gray) or 2 (gray, alpha) bytes a pixel, put on white, into the shrink. */
static void png_gray_row(shrink *s, unsigned char *row, unsigned channels)
{
    if (channels == 2) {
        for (unsigned x = 0; x < s->w; x++) {
            unsigned g = row[2 * x], a = row[2 * x + 1];
            row[x] = (unsigned char)((g * a + 255u * (255u - a) + 127u) / 255u);
        }
    }
    shrink_row(s, row);
}

/* Decode into `s` (set up here); the caller frees j's buffers and libpng's structs. */
static int png_decode(png_job *j, shrink *s)
{
    if (setjmp(png_jmpbuf(j->png))) {
        j->corrupt = true;
        return -1;
    }
    png_set_read_fn(j->png, j, png_read_mem);
    png_set_user_limits(j->png, MAX_SIDE, MAX_SIDE);
    png_set_chunk_cache_max(j->png, 128);
    png_set_chunk_malloc_max(j->png, 8u << 20);
    png_read_info(j->png, j->info);
    png_uint_32 w = png_get_image_width(j->png, j->info), h = png_get_image_height(j->png, j->info);
    int type = png_get_color_type(j->png, j->info);
    png_set_expand(j->png);
    png_set_strip_16(j->png);
    if (type & PNG_COLOR_MASK_COLOR)
        png_set_rgb_to_gray_fixed(j->png, 1, -1, -1);
    int passes = png_set_interlace_handling(j->png);
    png_read_update_info(j->png, j->info);
    unsigned channels = png_get_channels(j->png, j->info);
    size_t rowbytes = png_get_rowbytes(j->png, j->info);
    if (channels < 1 || channels > 2 || rowbytes < (size_t)w * channels) {
        j->corrupt = true;
        return -1;
    }
    if (shrink_init(s, w, h) != TS_OK)
        return -2;
    if (passes > 1) {
        /* interlaced: libpng fills every row over seven passes, so it needs the whole picture */
        j->row = ts_malloc(rowbytes * h);
        j->rows = ts_malloc(sizeof(*j->rows) * h);
        if (j->row == NULL || j->rows == NULL)
            return -2;
        for (size_t y = 0; y < h; y++)
            j->rows[y] = j->row + y * rowbytes;
        png_read_image(j->png, j->rows);
        for (size_t y = 0; y < h; y++)
            png_gray_row(s, j->rows[y], channels);
    } else {
        j->row = ts_malloc(rowbytes);
        if (j->row == NULL)
            return -2;
        for (size_t y = 0; y < h; y++) {
            png_read_row(j->png, j->row, NULL);
            png_gray_row(s, j->row, channels);
        }
    }
    return 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static ts_status decode_png(ts_doc *doc, const ts_input *in, shrink *s, bool *ok)
{
    png_job j = {.data = in->data, .len = in->len};
    *ok = false;
    /* the size from IHDR (the first chunk) before libpng reads on: its limit check comes late */
    if (in->len >= 33 && memcmp(in->data + 12, "IHDR", 4) == 0 &&
        too_large(doc, be32(in->data + 16), be32(in->data + 20), in->data[25] == 0 ? 1 : 4, 1))
        return TS_OK;
    j.png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_warn, NULL,
                                     png_alloc, png_dealloc);
    j.info = j.png ? png_create_info_struct(j.png) : NULL;
    if (j.info == NULL) {
        png_destroy_read_struct(j.png ? &j.png : NULL, NULL, NULL);
        return TS_ENOMEM;
    }
    int rc = png_decode(&j, s);
    png_destroy_read_struct(&j.png, &j.info, NULL);
    ts_free(j.row);
    ts_free(j.rows);
    if (rc == -2)
        return TS_ENOMEM;
    if (j.corrupt)
        ts_doc_fail(doc, TS_ECORRUPT, "the picture could not be decoded to check it for text");
    *ok = rc == 0;
    return TS_OK;
}

/* ---- JPEG (libjpeg) ------------------------------------------------------------------------- */

typedef struct jpeg_job {
    struct jpeg_error_mgr err;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    struct jpeg_decompress_struct cinfo;
    unsigned char *row;
    bool limit;
    bool truncated; /* libjpeg filled the missing end of the picture with gray */
} jpeg_job;

static void jpeg_fail(j_common_ptr c)
{
    jpeg_job *j = (jpeg_job *)(void *)c->err; /* err is the first member */
    longjmp(j->jump, 1);
}

static void jpeg_quiet(j_common_ptr c, int level)
{
    jpeg_job *j = (jpeg_job *)(void *)c->err;
    if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF)
        j->truncated = true; /* the rest of the picture was not read */
}

static void jpeg_scans(j_common_ptr c)
{
    j_decompress_ptr d = (j_decompress_ptr)(void *)c;
    if (d->input_scan_number > MAX_SCANS)
        (*c->err->error_exit)(c); /* a progressive JPEG of endless scans: a known CPU trap */
}

/* Gray of one row of CMYK as libjpeg gives it (Adobe's inverted ink: 255 = no ink). */
static void cmyk_gray(unsigned char *row, unsigned w)
{
    for (unsigned x = 0; x < w; x++) {
        const unsigned char *p = row + 4 * (size_t)x;
        unsigned lum = (p[0] * 77u + p[1] * 150u + p[2] * 29u) >> 8;
        row[x] = (unsigned char)(lum * p[3] / 255u);
    }
}

static int jpeg_decode(ts_doc *doc, const ts_input *in, jpeg_job *j, shrink *s)
{
    if (setjmp(j->jump))
        return -1;
    jpeg_create_decompress(&j->cinfo);
    jpeg_mem_src(&j->cinfo, in->data, (unsigned long)in->len);
    j->cinfo.progress = &j->progress;
    jpeg_read_header(&j->cinfo, TRUE);
    unsigned w = j->cinfo.image_width, h = j->cinfo.image_height;
    unsigned bpp = j->cinfo.num_components > 1 ? 4 : 1;
    /* decoded at 1/2, 1/4 or 1/8 of its size (libjpeg scales while it decodes) */
    unsigned r = 1;
    double area = (double)w * (double)h;
    while (r < 8 && (area * bpp / ((double)r * r) > TS_OCR_MAX_DECODE ||
                     area / ((double)r * r) > TS_PICTURE_MAX_PIXELS))
        r *= 2;
    if (too_large(doc, w, h, bpp, r)) {
        j->limit = true;
        return -1;
    }
    bool cmyk = j->cinfo.jpeg_color_space == JCS_CMYK || j->cinfo.jpeg_color_space == JCS_YCCK;
    j->cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    j->cinfo.scale_num = 1;
    j->cinfo.scale_denom = r;
    jpeg_start_decompress(&j->cinfo);
    unsigned ow = j->cinfo.output_width, oh = j->cinfo.output_height;
    size_t comps = (size_t)j->cinfo.output_components;
    if (ow == 0 || oh == 0 || comps != (cmyk ? 4u : 1u))
        return -1;
    if (shrink_init(s, ow, oh) != TS_OK)
        return -2;
    j->row = ts_malloc(ow * comps);
    if (j->row == NULL)
        return -2;
    while (j->cinfo.output_scanline < oh) {
        JSAMPROW rows[1] = {j->row};
        if (jpeg_read_scanlines(&j->cinfo, rows, 1) != 1)
            return -1;
        if (cmyk)
            cmyk_gray(j->row, ow);
        shrink_row(s, j->row);
    }
    return 0;
}

static ts_status decode_jpeg(ts_doc *doc, const ts_input *in, shrink *s, bool *ok)
{
    jpeg_job *j = ts_calloc(1, sizeof(*j));
    *ok = false;
    if (j == NULL)
        return TS_ENOMEM;
    j->cinfo.err = jpeg_std_error(&j->err);
    j->err.error_exit = jpeg_fail;
    j->err.emit_message = jpeg_quiet;
    j->progress.progress_monitor = jpeg_scans;
    int rc = jpeg_decode(doc, in, j, s);
    jpeg_destroy_decompress(&j->cinfo);
    ts_free(j->row);
    bool limit = j->limit, truncated = j->truncated;
    ts_free(j);
    if (rc == -2)
        return TS_ENOMEM;
    if (rc != 0 && !limit)
        ts_doc_fail(doc, TS_ECORRUPT, "the picture could not be decoded to check it for text");
    else if (rc == 0 && truncated)
        ts_doc_fail(doc, TS_ECORRUPT,
                    "the picture ends early (truncated): its lower part is missing");
    *ok = rc == 0;
    return TS_OK;
}

/* ---- the check ------------------------------------------------------------------------------ */

static ts_status flag(ts_doc *doc, const char *detail)
{
    ts_loc loc = {.where = TS_WHERE_OCR, .page = 1};
    return ts_doc_flag(doc, "hidden.picture-text", &loc, "page 1", detail);
}

ts_status ts_picture_check(ts_doc *doc, const ts_input *in, bool standalone, const char *why)
{
    if (in->type == TS_TYPE_TIFF) {
        char *d = ts_doc_printf(doc,
                                "a TIFF picture (most often a scanned page) is read only by OCR, "
                                "and %s",
                                why);
        return d ? flag(doc, d) : TS_ENOMEM;
    }
    shrink s = {0};
    bool ok = false;
    ts_status st =
        in->type == TS_TYPE_PNG ? decode_png(doc, in, &s, &ok) : decode_jpeg(doc, in, &s, &ok);
    ts_textlines t = {0};
    if (st == TS_OK && ok)
        st = ts_textlines_find(&t, s.px, s.ow, s.oh, s.ow);
    shrink_dispose(&s);
    if (st != TS_OK || !ok || !ts_textlines_are_text(&t, standalone))
        return st;
    char *d = ts_doc_printf(doc, "%u line%s of text found in the picture were not read: %s",
                            t.lines, t.lines == 1 ? "" : "s", why);
    return d ? flag(doc, d) : TS_ENOMEM;
}

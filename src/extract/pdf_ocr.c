/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scanned PDF pages (an image, no text layer) rendered in gray and read by OCR (--ocr). */
#include "extract/pdf.h"

#include <math.h>
#include <string.h>

#include <cairo.h>

/*
 * Render `page` on white at TS_OCR_DPI, or less when the page is larger than
 * TS_OCR_MAX_PIXELS (a poster), into `canvas` as 8-bit gray, one byte a pixel. Cairo renders
 * only in colour: the page is drawn as RGB24 and each row is turned into gray in place (the gray
 * row never overtakes the colour row it is read from). False when the page cannot be drawn.
 */
static bool render_gray(PopplerPage *page, ts_pdf_canvas *canvas, ts_ocr_picture *pic)
{
    double pw = 0, ph = 0;
    poppler_page_get_size(page, &pw, &ph);
    if (!(pw >= 1 && ph >= 1 && pw < 1e6 && ph < 1e6))
        return false; /* hostile input: a page of no size or of kilometres */
    double scale = TS_OCR_DPI / 72.0;
    if (pw * ph * scale * scale > TS_OCR_MAX_PIXELS)
        scale = sqrt(TS_OCR_MAX_PIXELS / (pw * ph));
    if (fmax(pw, ph) * scale > TS_OCR_MAX_SIDE)
        scale = TS_OCR_MAX_SIDE / fmax(pw, ph);
    int w = (int)ceil(pw * scale), h = (int)ceil(ph * scale);
    if (w < 1 || h < 1)
        return false;
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    size_t need = stride > 0 ? (size_t)stride * (size_t)h : 0;
    if (need == 0 || ts_grow((void **)&canvas->px, &canvas->cap, need, 1) != 0)
        return false;
    cairo_surface_t *s =
        cairo_image_surface_create_for_data(canvas->px, CAIRO_FORMAT_RGB24, w, h, stride);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
    if (!ok)
        return false;
    unsigned char *px = canvas->px;
    for (size_t y = 0; y < (size_t)h; y++) {
        const unsigned char *rgb = px + y * (size_t)stride;
        unsigned char *gray = px + y * (size_t)w;
        for (size_t x = 0; x < (size_t)w; x++) {
            uint32_t p;
            memcpy(&p, rgb + x * 4, 4);
            uint32_t r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            gray[x] = (unsigned char)((r * 77 + g * 150 + b * 29) >> 8); /* ITU-R BT.601 */
        }
    }
    *pic = (ts_ocr_picture){.px = px,
                            .w = (unsigned)w,
                            .h = (unsigned)h,
                            .stride = (size_t)w,
                            .dpi = (unsigned)lround(scale * 72.0)};
    return true;
}

bool ts_pdf_ocr_page(ts_ocr *o, PopplerPage *page, unsigned no, ts_pdf_canvas *canvas,
                     ts_ocr_result *res, ts_status *st)
{
    ts_ocr_picture pic;
    *res = (ts_ocr_result){0};
    *st = TS_OK;
    if (!render_gray(page, canvas, &pic))
        return false;
    ts_loc loc = {.where = TS_WHERE_OCR, .page = no, .line = 1};
    *st = ts_ocr_picture_read(o, &pic, &loc, res);
    return true;
}

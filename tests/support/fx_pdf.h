/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF fixtures for tests: pages drawn with cairo, hand-written objects, incremental updates. */
#ifndef TS_FX_PDF_H
#define TS_FX_PDF_H

#include <stddef.h>

#include <cairo-pdf.h>

/*
 * A PDF drawn with cairo on A4 pages (595 x 842 points, y grows downwards from the top).
 * Every function fails the test on error; fx_pdf_finish frees the builder.
 */
typedef struct fx_pdf fx_pdf;

fx_pdf *fx_pdf_new(void);
/* Set an Info dictionary entry (title, author, subject, keywords, creator). */
void fx_pdf_meta(fx_pdf *p, cairo_pdf_metadata_t key, const char *value);
/* Draw `text` with its baseline starting at (x, y), in DejaVu Sans, colour 0xRRGGBB. */
void fx_pdf_text(fx_pdf *p, double x, double y, double size, unsigned rgb, const char *text);
/* Fill a rectangle (x, y from the top left) in colour 0xRRGGBB. */
void fx_pdf_box(fx_pdf *p, double x, double y, double w, double h, unsigned rgb);
/* Fill a rectangle that covers `text` as fx_pdf_text would draw it, with `pad` points around. */
void fx_pdf_box_over(fx_pdf *p, double x, double y, double size, const char *text, double pad,
                     unsigned rgb);
/* Paint a grey image of w x h points at (x, y): a page that holds only a scan. */
void fx_pdf_image(fx_pdf *p, double x, double y, double w, double h);
/* Start the next page. */
void fx_pdf_next_page(fx_pdf *p);
/* A one-colour image (an image XObject, drawn with Do) painted over x, y, w, h. */
void fx_pdf_image_solid(fx_pdf *p, double x, double y, double w, double h, unsigned rgb);
/*
 * A scan or photo for OCR tests: a w x h pixel picture, white, with `lines` (NULL-terminated) in
 * black DejaVu Sans `size` pixels high, one below the other from the top left. Free with
 * cairo_surface_destroy.
 */
cairo_surface_t *fx_picture(int w, int h, double size, const char *const *lines);
/* The same picture written to `path` as a PNG. */
void fx_picture_png(const char *path, int w, int h, double size, const char *const *lines);
/* The gray (0-255) of pixel x, y of a cairo RGB24 picture. */
unsigned char fx_picture_gray(cairo_surface_t *s, int x, int y);
/*
 * A picture as a JPEG in memory (free with free()): gray, or CMYK with Adobe's inverted ink as
 * Photoshop writes it (the gray in K, no colour).
 */
unsigned char *fx_picture_jpeg(cairo_surface_t *s, int cmyk, size_t *len);
/* The PDF's bytes (malloc'd, *len set); frees `p`. */
unsigned char *fx_pdf_finish(fx_pdf *p, size_t *len);

/*
 * PDF objects written by hand: a new file (base NULL) or an incremental update appended to
 * `base` (ISO 32000-2 §7.5.6), which must have a classic cross-reference table as cairo writes.
 */
typedef struct fx_objs fx_objs;

fx_objs *fx_objs_new(const unsigned char *base, size_t len);
/* A new object number. */
unsigned fx_objs_next(fx_objs *o);
/* Write object `num` (new, or replacing one of the base) with the body printf'd from fmt. */
void fx_objs_put(fx_objs *o, unsigned num, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write object `num` as a stream: `dict` holds the entries besides /Length ("" for none). */
void fx_objs_stream(fx_objs *o, unsigned num, const char *dict, const void *data, size_t len);
/* The base's /Root object number. */
unsigned fx_objs_root(const fx_objs *o);
/* Finish a cairo PDF (freeing `p`) and start an incremental update of it. */
fx_objs *fx_objs_update(fx_pdf *p);
/* The number of the nth (0-based) object of the base whose body contains `needle`, or 0. */
unsigned fx_objs_find(const fx_objs *o, const char *needle, unsigned nth);
/* The body of a base object ("<< … >>") as the base's last version has it, malloc'd, or NULL. */
char *fx_objs_body(const fx_objs *o, unsigned num);
/* Write base dictionary `num` again with the entries printf'd from fmt added to it. */
void fx_objs_extend(fx_objs *o, unsigned num, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * The whole file (malloc'd, *len set) with the trailer naming `root`; `trailer_extra` adds
 * entries ("/Encrypt 9 0 R") or is NULL. An update keeps the base's /Info. Frees `o`.
 */
unsigned char *fx_objs_finish(fx_objs *o, unsigned root, const char *trailer_extra, size_t *len);

/*
 * A hand-written document of `npages` pages in Helvetica (font resource /F1); page i shows the
 * content stream contents[i % ncontents]. `page_extra` adds entries to every page dictionary.
 */
unsigned char *fx_pdf_simple(const char *const *contents, size_t ncontents, size_t npages,
                             const char *page_extra, size_t *len);

#endif /* TS_FX_PDF_H */

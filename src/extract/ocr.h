/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text recognition (OCR) of pictures: scanned PDF pages and image files. */
#ifndef TS_EXTRACT_OCR_H
#define TS_EXTRACT_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "extract/extract.h"

/*
 * OCR runs in the module tenderscan-ocr.so (src/extract/ocr.c: Tesseract, with Leptonica to
 * decode image files), loaded by the first document that needs it, like the PDF reader. The
 * core side (ocrhost.c) loads it and says what to install when it cannot. Which pictures it
 * reads is the context's ts_ocr_mode: with TS_OCR_ALL (--ocr) every picture, and one that could
 * not be read is a document error; with TS_OCR_AUTO (the CLI's default) picture files and
 * scanned PDF pages when the module is there. A picture OCR does not read gets the layout
 * check of extract/picture.h instead: never a silent ok.
 *
 * Pictures are bounded before anything is allocated for them: a picture is scaled down to
 * TS_OCR_MAX_PIXELS (and TS_OCR_MAX_SIDE a side) before recognition, an image file that would
 * decode to more than TS_OCR_MAX_DECODE bytes is not decoded at all, and one picture gets
 * TS_OCR_SECONDS of recognition before Tesseract is stopped.
 */
#define TS_OCR_DPI 300                 /* resolution PDF pages are rendered at for OCR */
#define TS_OCR_MAX_PIXELS (12u << 20)  /* an A4 page at 300 dpi is 8.7 million */
#define TS_OCR_MAX_SIDE 30000u         /* Tesseract refuses a side over 32767 pixels */
#define TS_OCR_MAX_DECODE (200u << 20) /* bytes an image file may decode to (50 Mpx RGBA) */
#define TS_OCR_SECONDS 60              /* recognition time of one picture */
#define TS_OCR_MAX_FRAMES 100u         /* pages of a multi-page TIFF read */
#define TS_OCR_AUTO_PAGES 20u          /* pages of one document OCR reads by default (not --ocr) */
#define TS_OCR_LANGUAGES "nor+eng"     /* Tesseract language data: Norwegian and English */

/* Debian packages OCR needs, named in the error when it cannot start. */
#define TS_OCR_PACKAGES "libtesseract5, tesseract-ocr-nor and tesseract-ocr-eng"

/*
 * One Tesseract engine (TessBaseAPI), used by one document at a time: Tesseract handles are not
 * thread-safe, so each document that needs OCR starts its own. ts_ocr is the core's handle on
 * it, ts_ocr_engine the module's.
 */
typedef struct ts_ocr ts_ocr;
struct ts_ocr_engine;

/* An 8-bit grayscale picture (0 = black), `stride` bytes a row. */
typedef struct ts_ocr_picture {
    const unsigned char *px;
    unsigned w, h;
    size_t stride;
    unsigned dpi; /* 0 = unknown: Tesseract estimates it */
} ts_ocr_picture;

/* What one recognition gave. */
typedef struct ts_ocr_result {
    size_t bytes;   /* UTF-8 bytes of text recognised (handed to ts_doc_text) */
    int confidence; /* Tesseract's mean word confidence, 0-100 */
    bool stopped;   /* TS_OCR_SECONDS ran out: only part of the picture was read */
} ts_ocr_result;

/*
 * Should OCR read this picture of `doc`? `standalone`: a picture file, a ZIP member or a PDF
 * page (TS_OCR_AUTO reads those), not a picture inside a document (TS_OCR_ALL only). When not,
 * `why` (may be NULL) says why not, for the finding that the picture was not read.
 */
TS_HOST bool ts_ocr_wanted(const ts_doc *doc, bool standalone, char *why, size_t size);

/*
 * How many pages (scanned PDF pages, TIFF pages) of one document OCR reads: TS_OCR_AUTO_PAGES
 * by default (a long scan then costs a minute or two, not the whole --timeout), every page with
 * --ocr. The pages after it are reported as not read.
 */
TS_HOST unsigned ts_ocr_page_budget(const ts_doc *doc);

/*
 * Start an engine for `doc`. When OCR cannot run (module or language data missing) *out is
 * NULL and `why` says so, naming what to install; with TS_OCR_ALL the document also failed
 * with TS_EUNSUPPORTED. The return is still TS_OK (TS_ENOMEM only). Free with ts_ocr_close.
 */
TS_HOST ts_status ts_ocr_open(ts_ocr **out, ts_doc *doc, char *why, size_t size);
/*
 * Recognise `pic` and hand its text to ts_doc_text at `loc` (where = ocr). The picture is
 * scaled down first when it is over the bounds above. TS_ENOMEM or TS_OK; `res` says how much
 * was read.
 */
TS_HOST ts_status ts_ocr_picture_read(ts_ocr *o, const ts_ocr_picture *pic, const ts_loc *loc,
                                      ts_ocr_result *res);
/* Free an engine; NULL is a no-op. */
TS_HOST void ts_ocr_close(ts_ocr *o);

/*
 * Decode an image file (JPEG, PNG, TIFF: every page, up to TS_OCR_MAX_FRAMES) and recognise
 * it with `o`: text at where = ocr, page = its page (1 for a single picture), and one
 * "document.ocr-read" note. A picture that cannot be decoded or is over TS_OCR_MAX_DECODE fails
 * the document. TS_ENOMEM or TS_OK.
 */
TS_HOST ts_status ts_ocr_image(ts_ocr *o, const ts_input *in);

/*
 * The note that a picture was read by OCR (rule "document.ocr-read", severity info): `value`
 * names the pages ("page 1", "pages 2-4"), the detail gives the confidence and says that OCR
 * can misread. `stopped`: recognition ran out of time on some page.
 */
TS_HOST ts_status ts_ocr_note(ts_doc *doc, unsigned first, unsigned last, int confidence,
                              bool stopped);

/*
 * What the OCR module adds to its struct ts_module (extract.h). `open` says why it could not
 * start in `why` (TS_EUNSUPPORTED); `read` is ts_ocr_picture_read, `image` ts_ocr_image.
 */
struct ts_ocr_ops {
    ts_status (*open)(struct ts_ocr_engine **out, char *why, size_t size);
    ts_status (*read)(struct ts_ocr_engine *e, ts_doc *doc, const ts_ocr_picture *pic,
                      const ts_loc *loc, ts_ocr_result *res);
    ts_status (*image)(struct ts_ocr_engine *e, ts_doc *doc, const ts_input *in);
    void (*close)(struct ts_ocr_engine *e);
};

#endif /* TS_EXTRACT_OCR_H */

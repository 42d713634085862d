/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OCR module (tenderscan-ocr.so): Tesseract reads pictures, Leptonica decodes image files. */
#include "extract/ocr.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

struct ts_ocr_engine {
    TessBaseAPI *api;
};

/* ---- the engine ----------------------------------------------------------------------------- */

/*
 * Process-wide quiet, once: Leptonica and Tesseract report what they cannot read on stderr (a
 * document's problems are ours to report). Both settings are global variables of the libraries,
 * set before any engine reads a picture, never changed afterwards.
 */
static void quiet_once(void)
{
    setMsgSeverity(L_SEVERITY_NONE);
    TessBaseAPI *api = TessBaseAPICreate();
    if (api != NULL) {
        /* Tesseract writes nothing at all when its debug file is /dev/null (tprintf.cpp) */
        TessBaseAPISetVariable(api, "debug_file", "/dev/null");
        TessBaseAPIDelete(api);
    }
}

static ts_status ocr_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return pthread_once(&once, quiet_once) == 0 ? TS_OK : TS_EINTERNAL;
}

static ts_status engine_open(struct ts_ocr_engine **out, char *why, size_t size)
{
    *out = NULL;
    struct ts_ocr_engine *e = ts_calloc(1, sizeof(*e));
    if (e == NULL)
        return TS_ENOMEM;
    e->api = TessBaseAPICreate();
    if (e->api == NULL) {
        ts_free(e);
        return TS_ENOMEM;
    }
    /* the LSTM recogniser alone: Debian's language data hold both, the legacy one reads worse */
    if (TessBaseAPIInit2(e->api, NULL, TS_OCR_LANGUAGES, OEM_LSTM_ONLY) != 0) {
        snprintf(why, size,
                 "Tesseract has no language data for %s (nor.traineddata, eng.traineddata): "
                 "install tesseract-ocr-nor and tesseract-ocr-eng",
                 TS_OCR_LANGUAGES);
        TessBaseAPIDelete(e->api);
        ts_free(e);
        return TS_EUNSUPPORTED;
    }
    *out = e;
    return TS_OK;
}

static void engine_close(struct ts_ocr_engine *e)
{
    if (e == NULL)
        return;
    TessBaseAPIEnd(e->api);
    TessBaseAPIDelete(e->api);
    ts_free(e);
}

/* A copy of `pix` within TS_OCR_MAX_PIXELS and TS_OCR_MAX_SIDE, 8 bits gray, on white. */
static PIX *fit(PIX *pix)
{
    l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
    if (w < 1 || h < 1)
        return NULL;
    double s = 1.0, area = (double)w * (double)h, side = w > h ? w : h;
    if (area > TS_OCR_MAX_PIXELS)
        s = sqrt(TS_OCR_MAX_PIXELS / area);
    if (side * s > TS_OCR_MAX_SIDE)
        s = TS_OCR_MAX_SIDE / side;
    /* transparent pixels are often black underneath: put the picture on white paper first */
    PIX *flat = pixRemoveAlpha(pix);
    PIX *out = NULL;
    if (flat == NULL)
        return NULL;
    if (pixGetDepth(flat) == 1 && s < 1.0) {
        out = pixScaleToGray(flat, (l_float32)s);
    } else {
        PIX *gray = pixConvertTo8(flat, 0);
        if (gray != NULL && s < 1.0)
            out = pixScale(gray, (l_float32)s, (l_float32)s);
        else if (gray != NULL)
            out = pixClone(gray);
        pixDestroy(&gray);
    }
    pixDestroy(&flat);
    return out;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Recognise an 8-bit picture within the bounds and hand its text to the document. A picture
 * that runs out of time fails the document (only part of it was read) but keeps what was read.
 */
static ts_status recognise(struct ts_ocr_engine *e, ts_doc *doc, PIX *pix, const ts_loc *loc,
                           ts_ocr_result *res)
{
    ts_status st = TS_OK;
    *res = (ts_ocr_result){0};
    TessBaseAPISetImage2(e->api, pix);
    ETEXT_DESC *monitor = TessMonitorCreate();
    if (monitor == NULL)
        return TS_ENOMEM;
    TessMonitorSetDeadlineMSecs(monitor, TS_OCR_SECONDS * 1000);
    double start = now();
    int rc = TessBaseAPIRecognize(e->api, monitor);
    TessMonitorDelete(monitor);
    /* Recognize fails when stopped, and when it finds no page layout: the clock tells which */
    bool failed = rc != 0 && now() - start < TS_OCR_SECONDS - 1;
    /* after a stop the words read so far are still there: GetUTF8Text does not start again */
    char *text = failed ? NULL : TessBaseAPIGetUTF8Text(e->api);
    res->stopped = rc != 0 && !failed;
    res->confidence = TessBaseAPIMeanTextConf(e->api);
    size_t len = text ? strlen(text) : 0;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    res->bytes = len;
    if (len > 0)
        st = ts_doc_text(doc, loc, text, len);
    if (text != NULL)
        TessDeleteText(text);
    TessBaseAPIClear(e->api);
    if (st == TS_OK && failed)
        ts_doc_fail(doc, TS_ECORRUPT, "page %u: text recognition failed on the picture", loc->page);
    if (st == TS_OK && res->stopped)
        ts_doc_fail(doc, TS_ELIMIT,
                    "page %u: text recognition stopped after %d s; the rest of the picture was "
                    "not read",
                    loc->page, TS_OCR_SECONDS);
    return st;
}

/* A Leptonica picture of an 8-bit gray buffer: 4 pixels a 32-bit word, the first the highest. */
static PIX *from_gray(const ts_ocr_picture *pic)
{
    if (pic->w < 1 || pic->h < 1 || pic->w > INT32_MAX / 4 || pic->h > INT32_MAX ||
        pic->stride < pic->w)
        return NULL;
    PIX *pix = pixCreateNoInit((l_int32)pic->w, (l_int32)pic->h, 8);
    if (pix == NULL)
        return NULL;
    l_uint32 *data = pixGetData(pix);
    size_t wpl = (size_t)pixGetWpl(pix);
    for (size_t y = 0; y < pic->h; y++) {
        const unsigned char *row = pic->px + y * pic->stride;
        l_uint32 *line = data + y * wpl;
        for (size_t k = 0; k < wpl; k++) {
            l_uint32 word = 0;
            for (size_t b = 0; b < 4; b++) {
                size_t x = k * 4 + b;
                l_uint32 v = x < pic->w ? row[x] : 255u;
                word |= v << (24 - 8 * b);
            }
            line[k] = word;
        }
    }
    if (pic->dpi > 0 && pic->dpi < 10000)
        pixSetResolution(pix, (l_int32)pic->dpi, (l_int32)pic->dpi);
    return pix;
}

static ts_status engine_read(struct ts_ocr_engine *e, ts_doc *doc, const ts_ocr_picture *pic,
                             const ts_loc *loc, ts_ocr_result *res)
{
    *res = (ts_ocr_result){0};
    PIX *raw = from_gray(pic);
    PIX *pix = raw ? fit(raw) : NULL;
    pixDestroy(&raw);
    if (pix == NULL)
        return TS_ENOMEM;
    ts_status st = recognise(e, doc, pix, loc, res);
    pixDestroy(&pix);
    return st;
}

/* ---- image files ---------------------------------------------------------------------------- */

/* Bytes Leptonica allocates for a decoded picture of this header (RGB and alpha become 32 bits). */
static double decoded_bytes(l_int32 w, l_int32 h, l_int32 bps, l_int32 spp)
{
    double bits = spp >= 2 ? 32 : bps > 0 ? bps : 32;
    return (double)w * (double)h * bits / 8;
}

/* How a frame of an image file went. */
enum { FRAME_OK, FRAME_END, FRAME_BAD };

/*
 * Decode frame `n` (TIFF pages; other formats have frame 0 only) into *out, bounded by
 * TS_OCR_MAX_DECODE bytes: a large JPEG is decoded at 1/2, 1/4 or 1/8 of its size, any other
 * picture over the bound fails the document.
 */
static int decode(ts_doc *doc, const ts_input *in, l_int32 n, PIX **out)
{
    l_int32 fmt = 0, w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0;
    *out = NULL;
    bool tiff = in->type == TS_TYPE_TIFF;
    if (!tiff && n > 0)
        return FRAME_END;
    l_ok bad = tiff ? readHeaderMemTiff(in->data, in->len, n, &w, &h, &bps, &spp, &res, &cmap, &fmt)
                    : pixReadHeaderMem(in->data, in->len, &fmt, &w, &h, &bps, &spp, &cmap);
    if (bad || w < 1 || h < 1) {
        if (n > 0)
            return FRAME_END;
        ts_doc_fail(doc, TS_ECORRUPT, "the picture could not be decoded for text recognition");
        return FRAME_BAD;
    }
    double bytes = decoded_bytes(w, h, bps, spp);
    l_int32 reduce = 1;
    while (in->type == TS_TYPE_JPEG && bytes / ((double)reduce * reduce) > TS_OCR_MAX_DECODE &&
           reduce < 8)
        reduce *= 2;
    if (bytes / ((double)reduce * reduce) > TS_OCR_MAX_DECODE) {
        ts_doc_fail(doc, TS_ELIMIT,
                    "page %d: the picture is %d x %d pixels, too large for text recognition "
                    "(at most %u MB decoded)",
                    n + 1, w, h, (unsigned)(TS_OCR_MAX_DECODE >> 20));
        return FRAME_BAD;
    }
    l_int32 warnings = 0;
    if (tiff)
        *out = pixReadMemTiff(in->data, in->len, n);
    else if (in->type == TS_TYPE_JPEG)
        *out = pixReadMemJpeg(in->data, in->len, 0, reduce, &warnings, 0);
    else
        *out = pixReadMem(in->data, in->len);
    if (*out == NULL) {
        ts_doc_fail(doc, TS_ECORRUPT,
                    "page %d: the picture could not be decoded for text recognition", n + 1);
        return FRAME_BAD;
    }
    return FRAME_OK;
}

/* Read every frame of an image file: text at where = ocr, then one note for the frames read. */
static ts_status engine_image(struct ts_ocr_engine *e, ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK;
    unsigned read = 0;
    double conf = 0;
    bool stopped = false;
    unsigned budget = ts_ocr_page_budget(doc);
    l_int32 n = 0, most = (l_int32)(budget < TS_OCR_MAX_FRAMES ? budget : TS_OCR_MAX_FRAMES);
    for (; n < most && st == TS_OK; n++) {
        PIX *raw = NULL;
        int how = decode(doc, in, n, &raw);
        if (how != FRAME_OK)
            break;
        PIX *pix = fit(raw);
        pixDestroy(&raw);
        if (pix == NULL) {
            st = TS_ENOMEM;
            break;
        }
        ts_loc loc = {.where = TS_WHERE_OCR, .page = (unsigned)n + 1, .line = 1};
        ts_ocr_result r;
        st = recognise(e, doc, pix, &loc, &r);
        pixDestroy(&pix);
        read++;
        conf += r.confidence;
        stopped |= r.stopped;
    }
    l_int32 fmt, w = 0, h = 0, bps, spp, res, cmap;
    if (st == TS_OK && n == most && in->type == TS_TYPE_TIFF &&
        readHeaderMemTiff(in->data, in->len, n, &w, &h, &bps, &spp, &res, &cmap, &fmt) == 0) {
        if (most == (l_int32)TS_OCR_MAX_FRAMES) {
            ts_doc_fail(doc, TS_ELIMIT, "more than %u pages: text recognition read the first %u",
                        TS_OCR_MAX_FRAMES, TS_OCR_MAX_FRAMES);
        } else {
            /* the default reads the first pages only: the rest are reported, not read */
            char value[48], detail[160];
            snprintf(value, sizeof value, "pages %d-", n + 1);
            snprintf(detail, sizeof detail,
                     "OCR read the first %d pages, as it does by default (--ocr reads up to %u)", n,
                     TS_OCR_MAX_FRAMES);
            ts_loc loc = {.where = TS_WHERE_OCR, .page = (unsigned)n + 1};
            st = ts_doc_flag(doc, "hidden.picture-text", &loc, value, detail);
        }
    }
    if (st == TS_OK && read > 0)
        st = ts_ocr_note(doc, 1, read, (int)lround(conf / read), stopped);
    return st;
}

/* ---- the module ----------------------------------------------------------------------------- */

static const struct ts_ocr_ops ocr_ops = {
    .open = engine_open,
    .read = engine_read,
    .image = engine_image,
    .close = engine_close,
};

/* The module's entry (src/extract/module.c); the core calls it through ocrhost.c. */
TS_HOST const struct ts_module ts_module_ocr = {
    .abi = TS_MODULE_ABI,
    .version = TS_VERSION,
    .init = ocr_init,
    .ocr = &ocr_ops,
};

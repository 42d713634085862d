/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The core side of OCR: loads tenderscan-ocr.so when first needed, or says what to install. */
#include "extract/ocr.h"

#include <limits.h>
#include <stdio.h>

#include "detect/rules.h"

/*
 * Defined by ocr.c. The program loads it as the module tenderscan-ocr.so (Tesseract and
 * Leptonica cost a run that reads no picture nothing); the tests and libtenderscan link it in, and
 * then this weak reference finds it.
 */
extern const struct ts_module ts_module_ocr __attribute__((weak));

struct ts_ocr {
    const struct ts_ocr_ops *ops;
    struct ts_ocr_engine *engine;
    ts_doc *doc;
};

bool ts_ocr_wanted(const ts_doc *doc, bool standalone, char *why, size_t size)
{
    ts_ocr_mode mode = doc->ctx->ocr;
    bool wanted = mode == TS_OCR_ALL || (mode == TS_OCR_AUTO && standalone);
    if (!wanted && why != NULL)
        snprintf(why, size, "%s",
                 mode == TS_OCR_OFF ? "OCR is off (--no-ocr)"
                                    : "OCR reads pictures inside documents only with --ocr");
    return wanted;
}

unsigned ts_ocr_page_budget(const ts_doc *doc)
{
    return doc->ctx->ocr == TS_OCR_ALL ? UINT_MAX : TS_OCR_AUTO_PAGES;
}

/*
 * OCR cannot run: with --ocr the document fails (what was asked for was not done), else `why`
 * says so for the finding that the picture was not read.
 */
static void unavailable(ts_doc *doc, char *why, size_t size, const char *msg)
{
    if (doc->ctx->ocr == TS_OCR_ALL)
        ts_doc_fail(doc, TS_EUNSUPPORTED, "%s", msg);
    snprintf(why, size, "%s", msg);
}

/* The OCR module, or NULL after saying what to install. */
static const struct ts_module *module(ts_doc *doc, char *why, size_t size)
{
    char reason[240], msg[400];
    const struct ts_module *m = ts_module_get(doc, "ocr", &ts_module_ocr, reason, sizeof reason);
    if (m == NULL || m->ocr == NULL) {
        snprintf(msg, sizeof msg, "OCR is not installed: %s; install tenderscan-ocr.so with %s",
                 m == NULL ? reason : "the module has no OCR engine", TS_OCR_PACKAGES);
        unavailable(doc, why, size, msg);
        return NULL;
    }
    return m;
}

ts_status ts_ocr_open(ts_ocr **out, ts_doc *doc, char *why, size_t size)
{
    *out = NULL;
    const struct ts_module *m = module(doc, why, size);
    if (m == NULL)
        return TS_OK;
    ts_ocr *o = ts_calloc(1, sizeof(*o));
    if (o == NULL)
        return TS_ENOMEM;
    char reason[240] = "", msg[300];
    ts_status st = m->ocr->open(&o->engine, reason, sizeof reason);
    if (st != TS_OK) {
        ts_free(o);
        if (st == TS_ENOMEM)
            return st;
        snprintf(msg, sizeof msg, "OCR could not start: %s", reason);
        unavailable(doc, why, size, msg);
        return TS_OK;
    }
    o->ops = m->ocr;
    o->doc = doc;
    *out = o;
    return TS_OK;
}

ts_status ts_ocr_picture_read(ts_ocr *o, const ts_ocr_picture *pic, const ts_loc *loc,
                              ts_ocr_result *res)
{
    return o->ops->read(o->engine, o->doc, pic, loc, res);
}

void ts_ocr_close(ts_ocr *o)
{
    if (o == NULL)
        return;
    o->ops->close(o->engine);
    ts_free(o);
}

ts_status ts_ocr_image(ts_ocr *o, const ts_input *in)
{
    return o->ops->image(o->engine, o->doc, in);
}

ts_status ts_ocr_note(ts_doc *doc, unsigned first, unsigned last, int confidence, bool stopped)
{
    char value[48], detail[200];
    if (first == last)
        snprintf(value, sizeof value, "page %u", first);
    else
        snprintf(value, sizeof value, "pages %u-%u", first, last);
    int pct = confidence < 0 ? 0 : confidence;
    if (pct > 100)
        pct = 100;
    snprintf(detail, sizeof detail,
             "text read by OCR (mean confidence %d%%)%s; OCR can misread characters: check the "
             "picture by eye",
             pct, stopped ? ", stopped before the end (time limit)" : "");
    ts_loc loc = {.where = TS_WHERE_OCR, .page = first};
    return ts_doc_flag(doc, "document.ocr-read", &loc, value, detail);
}

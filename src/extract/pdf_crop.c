/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF: text outside a page's crop box, which readers never show but the file still carries. */
#include "extract/pdf.h"

#include <stdlib.h>
#include <string.h>

#include "extract/office.h"

#define MAX_BOXES 4096u /* box arrays looked at in the raw bytes */
#define MARGIN 1.0      /* points: a crop box this close to the media box crops nothing */

typedef struct box {
    double v[4];
} box;

/* Parse "[a b c d]" after `p` (white space first); false when it is not four numbers. */
static bool parse_box(const unsigned char *p, const unsigned char *end, box *b)
{
    while (p < end && (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t'))
        p++;
    if (p >= end || *p != '[')
        return false;
    p++;
    for (int i = 0; i < 4; i++) {
        char num[40];
        size_t n = 0;
        while (p < end && (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t'))
            p++;
        while (p < end && n + 1 < sizeof num && ((*p >= '0' && *p <= '9') || *p == '.' ||
                                                 *p == '-' || *p == '+'))
            num[n++] = (char)*p++;
        if (n == 0)
            return false;
        num[n] = '\0';
        b->v[i] = strtod(num, NULL);
    }
    return true;
}

static bool same_box(const box *a, const box *b)
{
    for (int i = 0; i < 4; i++)
        if (a->v[i] - b->v[i] > MARGIN || b->v[i] - a->v[i] > MARGIN)
            return false;
    return true;
}

/*
 * Does the file name a crop box that is not also one of its media boxes? Most producers write no
 * /CropBox, or one equal to the /MediaBox; only a real crop is worth a second look. The boxes are
 * read from the raw bytes, so a /CropBox inside a compressed object stream is not seen.
 */
static bool has_real_crop(const unsigned char *data, size_t len)
{
    static const char crop[] = "/CropBox", media[] = "/MediaBox";
    box *crops = NULL, *medias = NULL;
    size_t nc = 0, nm = 0;
    bool real = false;
    crops = ts_malloc(MAX_BOXES * sizeof(*crops));
    medias = ts_malloc(MAX_BOXES * sizeof(*medias));
    if (crops == NULL || medias == NULL) {
        real = true; /* cannot tell: look */
        goto out;
    }
    const unsigned char *end = data + len;
    for (const unsigned char *p = data; p < end;) {
        const unsigned char *hit = memchr(p, '/', (size_t)(end - p));
        if (hit == NULL)
            break;
        size_t left = (size_t)(end - hit);
        box b;
        if (left > sizeof crop - 1 && memcmp(hit, crop, sizeof crop - 1) == 0) {
            if (nc < MAX_BOXES && parse_box(hit + sizeof crop - 1, end, &b))
                crops[nc++] = b;
        } else if (left > sizeof media - 1 && memcmp(hit, media, sizeof media - 1) == 0) {
            if (nm < MAX_BOXES && parse_box(hit + sizeof media - 1, end, &b))
                medias[nm++] = b;
        }
        p = hit + 1;
    }
    for (size_t i = 0; i < nc && !real; i++) {
        bool known = false;
        for (size_t k = 0; k < nm && !known; k++)
            known = same_box(&crops[i], &medias[k]);
        real = !known;
    }
out:
    ts_free(crops);
    ts_free(medias);
    return real;
}

/* Is `inner` smaller than `outer` on some side by more than MARGIN points? */
static bool crops_away(const PopplerRectangle *inner, const PopplerRectangle *outer)
{
    return inner->x1 - outer->x1 > MARGIN || inner->y1 - outer->y1 > MARGIN ||
           outer->x2 - inner->x2 > MARGIN || outer->y2 - inner->y2 > MARGIN;
}

/* Report the lines of `full` that the cropped page's text `shown` does not have. */
static ts_status report_page(ts_doc *doc, unsigned no, const char *shown, const char *full)
{
    ts_status st = TS_OK;
    ts_pdf_lines seen = {0};
    ts_sbuf keep = {0};
    if ((st = ts_pdf_lines_add(&seen, shown, strlen(shown))) != TS_OK)
        goto out;
    size_t n = ts_pdf_lines_fresh(&seen, full, strlen(full), &keep, &st);
    if (st != TS_OK || n == 0)
        goto out;
    if (keep.oom) {
        st = TS_ENOMEM;
        goto out;
    }
    const char *text = ts_sbuf_trim(&keep);
    ts_loc loc = {.where = TS_WHERE_INVISIBLE_TEXT, .page = no, .line = 1};
    if ((st = ts_doc_text(doc, &loc, text, strlen(text))) != TS_OK)
        goto out;
    char value[48], detail[160];
    size_t vl = 0;
    while (text[vl] != '\0' && text[vl] != '\n' && vl < 40)
        vl++;
    while (vl > 0 && vl < strlen(text) && ((unsigned char)text[vl] & 0xC0) == 0x80)
        vl--; /* whole characters only */
    snprintf(value, sizeof value, "%.*s%s", (int)vl, text, text[vl] && text[vl] != '\n' ? "…" : "");
    snprintf(detail, sizeof detail,
             "%zu line%s of text outside the visible page area (crop box) on page %u", n,
             n == 1 ? "" : "s", no);
    st = ts_doc_flag(doc, "hidden.invisible-text", &loc, value, detail);
out:
    ts_sbuf_free(&keep);
    ts_pdf_lines_free(&seen);
    return st;
}

ts_status ts_pdf_cropped_text(ts_doc *doc, const ts_input *in, PopplerDocument *pd, int npages)
{
    ts_status st = TS_OK, why = TS_OK;
    char msg[200];
    unsigned char *copy = NULL;
    PopplerDocument *full = NULL;
    if (npages <= 0 || !has_real_crop(in->data, in->len))
        return TS_OK;
    /* The same file with every "/CropBox" renamed to a key of the same length that nothing reads:
     * every byte offset stays valid, and poppler shows each page's whole media box. */
    copy = ts_malloc(in->len);
    if (copy == NULL)
        return TS_ENOMEM;
    memcpy(copy, in->data, in->len);
    for (size_t i = 0; i + 8 <= in->len; i++)
        if (copy[i] == '/' && memcmp(copy + i, "/CropBox", 8) == 0)
            memcpy(copy + i, "/CropBxx", 8);
    full = ts_pdf_open(copy, in->len, &why, msg, sizeof msg);
    if (full == NULL || poppler_document_get_n_pages(full) < npages)
        goto out; /* the original opened: what cannot be reopened is simply not compared */
    for (int i = 0; i < npages && st == TS_OK; i++) {
        PopplerPage *a = poppler_document_get_page(pd, i);
        PopplerPage *b = poppler_document_get_page(full, i);
        if (a != NULL && b != NULL) {
            PopplerRectangle ca, cb;
            poppler_page_get_crop_box(a, &ca);
            poppler_page_get_crop_box(b, &cb);
            if (crops_away(&ca, &cb)) {
                gchar *shown = poppler_page_get_text(a);
                gchar *all = poppler_page_get_text(b);
                if (shown != NULL && all != NULL)
                    st = report_page(doc, (unsigned)i + 1, shown, all);
                g_free(shown);
                g_free(all);
            }
        }
        if (a)
            g_object_unref(a);
        if (b)
            g_object_unref(b);
    }
out:
    if (full)
        g_object_unref(full);
    ts_free(copy);
    return st;
}

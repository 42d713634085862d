/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PDF on poppler-glib: page text, metadata, annotations, forms, attachments, layers, revisions. */
#include "extract/pdf.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "extract/office.h"
#include "extract/xmlread.h"

#define AUTHORS_MAX 1000u /* hostile input: distinct annotation authors counted */
#define LAYER_DEPTH 16u   /* hostile input: nesting of the layer list followed */
#define SNIPPET 40u       /* bytes of hidden text shown in a finding's value */
#define MASKED 512u       /* bytes of hidden text looked at for secrets before it is cut */

/* ---- opening -------------------------------------------------------------------------------- */

PopplerDocument *ts_pdf_open(const unsigned char *data, size_t len, ts_status *why, char *msg,
                             size_t msg_size)
{
    GError *err = NULL;
    /* poppler keeps a reference to the bytes for the document's life; they are not copied */
    GBytes *bytes = g_bytes_new_static(data, len);
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    if (pd != NULL)
        return pd;
    if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED) {
        *why = TS_EENCRYPTED;
        snprintf(msg, msg_size, "a password is needed");
    } else {
        *why = TS_ECORRUPT;
        snprintf(msg, msg_size, "%s", err && err->message ? err->message : "not a readable PDF");
    }
    if (err)
        g_error_free(err);
    return NULL;
}

/* ---- everything one scan keeps -------------------------------------------------------------- */

typedef struct author {
    char *name;
    size_t count;
    unsigned first_page;
} author;

typedef struct pdf {
    ts_doc *doc;
    const ts_input *in;
    PopplerDocument *pd;
    ts_pdf_scan scan;
    ts_pdf_lines seen; /* lines of the current version (only when something compares) */
    bool track;        /* fill `seen` */
    author *authors;
    size_t nauthors, cap_authors;
    PopplerLayer **hidden; /* layers hidden by default (references held) */
    size_t nhidden, cap_hidden;
    size_t nattachments;
    unsigned image_first, image_last; /* current run of pages that are only images */
    ts_ocr *ocr;                      /* OCR, started by the first page that is an image */
    bool ocr_tried;
    char ocr_why[400];                       /* why OCR does not read them, when it does not */
    unsigned ocr_first, ocr_last, ocr_pages; /* current run of pages read by OCR */
    unsigned ocr_total;                      /* pages read by OCR in the document */
    long ocr_conf;                           /* sum of their confidence */
    bool ocr_stopped;
    char *body; /* scratch: page text with invisible runs blanked */
    size_t body_cap;
    ts_pdf_runs runs;
    ts_pdf_boxes boxes;    /* annotation boxes of the current page that may cover text */
    ts_pdf_canvas canvas;  /* pixels for the visual check, reused page after page */
    ts_pdf_tables *tables; /* scratch for finding tables, reused page after page */
    ts_sbuf keep;
} pdf;

static const char *why_text(ts_pdf_why w)
{
    static const char *const t[TS_PDF_WHY_COUNT_] = {
        [TS_PDF_TINY] = "too small to read",
        [TS_PDF_COVERED] = "under a filled box or image",
        [TS_PDF_SAME_COLOUR] = "the same colour as the background",
        [TS_PDF_UNPAINTED] = "never painted (invisible text mode)",
    };
    return (unsigned)w < TS_PDF_WHY_COUNT_ ? t[w] : "not visible";
}

/* Cut `s` (of `len` bytes) to `len` bytes or fewer so that it ends on a whole character. */
static void cut_utf8(char *s, size_t len)
{
    size_t k = len;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && ((unsigned char)s[k - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[k - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (len - (k - 1) < need)
            len = k - 1; /* the last character was cut: drop it */
    }
    s[len] = '\0';
}

/* One line of at most `max` bytes of `t` (white space folded, cut at a UTF-8 boundary). */
static void snippet(char *out, size_t size, const char *t, size_t n, size_t max)
{
    size_t w = 0;
    bool space = false;
    for (size_t i = 0; i < n && w + 2 < size && w < max; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = w > 0;
            continue;
        }
        if (space)
            out[w++] = ' ';
        space = false;
        out[w++] = (char)c;
    }
    out[w] = '\0';
    cut_utf8(out, w);
}

/* ---- invisible text ------------------------------------------------------------------------- */

static unsigned long line_of(const char *t, size_t off)
{
    unsigned long n = 1;
    for (size_t i = 0; i < off; i++)
        n += t[i] == '\n';
    return n;
}

/* Replace every `v` in `snip` (NUL-terminated, `size` bytes) by its masked form. */
static void mask_in(char *snip, size_t size, const char *v)
{
    size_t vn = strlen(v);
    char *at = vn ? strstr(snip, v) : NULL;
    while (at != NULL) {
        size_t pre = (size_t)(at - snip);
        char masked[MASKED], rest[MASKED];
        ts_mask(v, masked, sizeof(masked));
        snprintf(rest, sizeof(rest), "%s", at + vn);
        snprintf(snip + pre, size - pre, "%s%s", masked, rest);
        size_t next = pre + strlen(masked);
        at = next < strlen(snip) ? strstr(snip + next, v) : NULL;
    }
}

/*
 * The runs index the page text; their lines are counted in the text handed to detection (where
 * tables are written row by row), so that they agree with the lines of the page's findings.
 */
static ts_status report_invisible(pdf *P, unsigned page, const char *text, const ts_pdf_cells *c)
{
    ts_status st = TS_OK;
    size_t count[TS_PDF_WHY_COUNT_] = {0};
    size_t before = P->doc->nfindings;
    for (size_t i = 0; i < P->runs.n && st == TS_OK; i++) {
        const ts_pdf_run *r = &P->runs.v[i];
        ts_loc loc = {.where = TS_WHERE_INVISIBLE_TEXT,
                      .page = page,
                      .line = line_of(c->text, ts_pdf_cells_at(c, r->start))};
        st = ts_doc_text(P->doc, &loc, text + r->start, r->end - r->start);
        count[r->why]++;
    }
    if (st != TS_OK || P->runs.n == 0)
        return st;
    ts_pdf_why top = TS_PDF_TINY;
    for (unsigned w = 0; w < TS_PDF_WHY_COUNT_; w++)
        if (count[w] > count[top])
            top = (ts_pdf_why)w;
    char value[MASKED], detail[160];
    const ts_pdf_run *first = &P->runs.v[0];
    snippet(value, sizeof(value), text + first->start, first->end - first->start, MASKED - 1);
    /* the hidden text shown as this finding's value keeps the secrets in it masked */
    for (size_t i = before; i < P->doc->nfindings; i++)
        if (P->doc->findings[i]->category == TS_CAT_CREDENTIAL)
            mask_in(value, sizeof(value), P->doc->findings[i]->value);
    if (strlen(value) > SNIPPET)
        cut_utf8(value, SNIPPET);
    snprintf(detail, sizeof(detail), "%zu piece%s of invisible text on page %u, %s", P->runs.n,
             P->runs.n == 1 ? "" : "s", page, why_text(top));
    ts_loc loc = {.where = TS_WHERE_INVISIBLE_TEXT,
                  .page = page,
                  .line = line_of(c->text, ts_pdf_cells_at(c, first->start))};
    return ts_doc_flag(P->doc, "hidden.invisible-text", &loc, value, detail);
}

/* ---- pages ---------------------------------------------------------------------------------- */

static ts_status flush_ocr(pdf *P)
{
    if (P->ocr_first == 0)
        return TS_OK;
    ts_status st = ts_ocr_note(P->doc, P->ocr_first, P->ocr_last,
                               (int)(P->ocr_conf / (long)P->ocr_pages), P->ocr_stopped);
    P->ocr_first = P->ocr_last = P->ocr_pages = 0;
    P->ocr_conf = 0;
    P->ocr_stopped = false;
    return st;
}

/* Report the current runs of pages that are only images: read by OCR, or not read. */
static ts_status flush_images(pdf *P)
{
    ts_status st = flush_ocr(P);
    if (st != TS_OK || P->image_first == 0)
        return st;
    char value[48];
    if (P->image_first == P->image_last)
        snprintf(value, sizeof(value), "page %u", P->image_first);
    else
        snprintf(value, sizeof(value), "pages %u-%u", P->image_first, P->image_last);
    ts_loc loc = {.where = TS_WHERE_BODY, .page = P->image_first};
    P->image_first = P->image_last = 0;
    const char *detail =
        P->ocr_why[0] ? ts_doc_printf(P->doc, "scanned page without a text layer: %s", P->ocr_why)
                      : "scanned page without a text layer; OCR could not read it";
    return detail ? ts_doc_flag(P->doc, "hidden.image-only-page", &loc, value, detail) : TS_ENOMEM;
}

/* A page that is only a picture: read by OCR when it is on, else counted as not read. */
static ts_status image_page(pdf *P, PopplerPage *page, unsigned no)
{
    ts_status st = TS_OK;
    if (!P->ocr_tried) {
        P->ocr_tried = true;
        if (ts_ocr_wanted(P->doc, true, P->ocr_why, sizeof P->ocr_why) &&
            (st = ts_ocr_open(&P->ocr, P->doc, P->ocr_why, sizeof P->ocr_why)) != TS_OK)
            return st;
    }
    ts_ocr_result res;
    unsigned budget = ts_ocr_page_budget(P->doc);
    if (P->ocr != NULL && P->ocr_total == budget)
        snprintf(P->ocr_why, sizeof P->ocr_why,
                 "OCR read the first %u scanned pages, as it does by default (--ocr reads every "
                 "page)",
                 budget);
    if (P->ocr != NULL && P->ocr_total < budget &&
        ts_pdf_ocr_page(P->ocr, page, no, &P->canvas, &res, &st)) {
        P->ocr_total++;
        if (st != TS_OK)
            return st;
        if (P->image_first != 0 || (P->ocr_first != 0 && P->ocr_last + 1 != no))
            if ((st = flush_images(P)) != TS_OK)
                return st;
        if (P->ocr_first == 0)
            P->ocr_first = no;
        P->ocr_last = no;
        P->ocr_pages++;
        P->ocr_conf += res.confidence;
        P->ocr_stopped |= res.stopped;
        return TS_OK;
    }
    if (P->ocr_first != 0 && (st = flush_ocr(P)) != TS_OK)
        return st;
    if (P->image_first == 0)
        P->image_first = no;
    P->image_last = no;
    return TS_OK;
}

bool ts_pdf_has_text(const char *t)
{
    for (; *t; t++)
        if (*t != ' ' && *t != '\n' && *t != '\r' && *t != '\t' && *t != '\f')
            return true;
    return false;
}

static ts_status page_text(pdf *P, PopplerPage *page, unsigned no)
{
    ts_status st = TS_OK;
    gchar *text = poppler_page_get_text(page);
    if (text == NULL)
        return TS_OK;
    size_t len = strlen(text);
    if (!ts_pdf_has_text(text)) {
        GList *images = poppler_page_get_image_mapping(page);
        bool picture = images != NULL;
        poppler_page_free_image_mapping(images);
        if (picture)
            st = image_page(P, page, no);
        goto out;
    }
    if ((st = flush_images(P)) != TS_OK)
        goto out;
    st = ts_pdf_invisible(page, text, len, &P->scan, &P->boxes, &P->canvas, &P->runs);
    if (st != TS_OK)
        goto out;
    const char *body = text;
    if (P->runs.n > 0) {
        /* the body is what a reader sees: hidden runs are blanked there and reported apart */
        if (ts_grow((void **)&P->body, &P->body_cap, len + 1, 1) != 0) {
            st = TS_ENOMEM;
            goto out;
        }
        memcpy(P->body, text, len + 1);
        for (size_t i = 0; i < P->runs.n; i++)
            for (size_t k = P->runs.v[i].start; k < P->runs.v[i].end; k++)
                if (P->body[k] != '\n')
                    P->body[k] = ' ';
        body = P->body;
    }
    /* the page's tables go to detection as cells with their headers and row labels */
    ts_loc loc = {.where = TS_WHERE_BODY, .page = no, .line = 1};
    ts_pdf_cells cells;
    st = ts_pdf_page_cells(&cells, &P->tables, page, text, body, len);
    if (st == TS_OK)
        st = ts_doc_text_fields(P->doc, &loc, cells.text, cells.len, cells.fields, cells.nfields,
                                NULL, NULL);
    if (st == TS_OK)
        st = ts_pdf_page_shapes(P->doc, page, no, text, len);
    if (st == TS_OK)
        st = report_invisible(P, no, text, &cells);
    if (st == TS_OK && P->track)
        st = ts_pdf_lines_add(&P->seen, text, len);
out:
    g_free(text);
    return st;
}

/* ---- annotations, forms and attachments ----------------------------------------------------- */

typedef struct grab {
    ts_doc *doc;
    unsigned char *p;
    size_t len, cap;
    uint64_t max;
    bool failed;
} grab;

static gboolean grab_bytes(const gchar *buf, gsize count, gpointer data, GError **error)
{
    grab *g = data;
    if (count > g->max - g->len || ts_doc_count_unpacked(g->doc, count) != TS_OK ||
        ts_grow((void **)&g->p, &g->cap, g->len + count, 1) != 0) {
        g->failed = true;
        g_set_error_literal(error, POPPLER_ERROR, POPPLER_ERROR_INVALID, "over a limit");
        return FALSE;
    }
    memcpy(g->p + g->len, buf, count);
    g->len += count;
    return TRUE;
}

/* Scan an attached file as a child document and flag the attachment itself. */
static ts_status attachment(pdf *P, PopplerAttachment *att, unsigned page)
{
    const ts_limits *lim = ts_doc_limits(P->doc);
    if (++P->nattachments > lim->max_items)
        return TS_OK;
    const char *given = poppler_attachment_get_name(att);
    char name[256];
    if (given && *given)
        snprintf(name, sizeof(name), "%s", given);
    else
        snprintf(name, sizeof(name), "attachment-%zu", P->nattachments);
    grab g = {.doc = P->doc, .max = lim->max_file_bytes};
    GError *err = NULL;
    ts_status st = TS_OK;
    /* its bytes would be ciphertext (an empty file, or garbage read as a file): say why instead */
    gboolean ok = P->scan.sealed_attachments ||
                  poppler_attachment_save_to_callback(att, grab_bytes, &g, &err);
    if (err)
        g_error_free(err);
    if (P->scan.sealed_attachments)
        st = ts_doc_child_unread(P->doc, name, TS_EENCRYPTED, TS_MSG_FAIL_ATTACHMENT_ENCRYPTED);
    else if (!ok && !g.failed)
        ts_doc_fail(P->doc, TS_ECORRUPT, "attachment %s could not be read", name);
    else if (!g.failed)
        st = ts_doc_child(P->doc, name, g.p ? (const void *)g.p : (const void *)"", g.len);
    ts_free(g.p);
    ts_loc loc = {.where = TS_WHERE_ATTACHMENT, .page = page};
    const char *desc = poppler_attachment_get_description(att);
    if (st == TS_OK && desc && *desc)
        st = ts_doc_text(P->doc, &loc, desc, strlen(desc));
    if (st == TS_OK)
        st = ts_doc_flag(P->doc, "hidden.pdf-attachment", &loc, name,
                         page ? "file attached to a page" : "file attached to the document");
    return st;
}

static ts_status count_author(pdf *P, const char *name, unsigned page)
{
    for (size_t i = 0; i < P->nauthors; i++) {
        if (strcmp(P->authors[i].name, name) == 0) {
            P->authors[i].count++;
            return TS_OK;
        }
    }
    if (P->nauthors >= AUTHORS_MAX)
        return TS_OK;
    if (ts_grow((void **)&P->authors, &P->cap_authors, P->nauthors + 1, sizeof(*P->authors)) != 0)
        return TS_ENOMEM;
    author *a = &P->authors[P->nauthors];
    a->name = ts_strdup(name);
    if (a->name == NULL)
        return TS_ENOMEM;
    a->count = 1;
    a->first_page = page;
    P->nauthors++;
    return TS_OK;
}

/*
 * Annotations that paint an area (a square, a stamp, free text, a highlight, an unapplied
 * redaction) can cover page text: their boxes go to the invisible-text check.
 */
static ts_status cover_boxes(pdf *P, PopplerPage *page, GList *list)
{
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    P->boxes.n = 0;
    for (GList *l = list; l != NULL; l = l->next) {
        const PopplerAnnotMapping *m = l->data;
        switch (poppler_annot_get_annot_type(m->annot)) {
        case POPPLER_ANNOT_SQUARE:
        case POPPLER_ANNOT_CIRCLE:
        case POPPLER_ANNOT_POLYGON:
        case POPPLER_ANNOT_INK:
        case POPPLER_ANNOT_STAMP:
        case POPPLER_ANNOT_FREE_TEXT:
        case POPPLER_ANNOT_HIGHLIGHT:
        case POPPLER_ANNOT_UNKNOWN:
            break;
        default:
            continue;
        }
        if (P->boxes.n >= 1000)
            break; /* hostile input: enough boxes to look under */
        if (ts_grow((void **)&P->boxes.v, &P->boxes.cap, P->boxes.n + 1, sizeof(*P->boxes.v)) != 0)
            return TS_ENOMEM;
        /* the mapping's area has its origin at the bottom left, the text layout at the top */
        P->boxes.v[P->boxes.n++] = (PopplerRectangle){
            .x1 = m->area.x1, .x2 = m->area.x2, .y1 = h - m->area.y2, .y2 = h - m->area.y1};
    }
    return TS_OK;
}

static ts_status annotations(pdf *P, GList *list, unsigned no)
{
    ts_status st = TS_OK;
    for (GList *l = list; l != NULL && st == TS_OK; l = l->next) {
        PopplerAnnot *a = ((PopplerAnnotMapping *)l->data)->annot;
        PopplerAnnotType type = poppler_annot_get_annot_type(a);
        if (type == POPPLER_ANNOT_LINK || type == POPPLER_ANNOT_WIDGET ||
            type == POPPLER_ANNOT_POPUP)
            continue; /* links are not comments, widgets are form fields, pop-ups repeat */
        if (type == POPPLER_ANNOT_FILE_ATTACHMENT) {
            PopplerAttachment *att =
                poppler_annot_file_attachment_get_attachment(POPPLER_ANNOT_FILE_ATTACHMENT(a));
            if (att != NULL) {
                st = attachment(P, att, no);
                g_object_unref(att);
            }
            continue; /* reported as an attachment */
        }
        gchar *contents = poppler_annot_get_contents(a);
        gchar *label = POPPLER_IS_ANNOT_MARKUP(a)
                           ? poppler_annot_markup_get_label(POPPLER_ANNOT_MARKUP(a))
                           : NULL;
        bool said = contents && ts_pdf_has_text(contents);
        if (st == TS_OK && said) {
            ts_loc loc = {.where = TS_WHERE_ANNOTATION, .page = no, .part = label, .line = 1};
            st = ts_doc_text(P->doc, &loc, contents, strlen(contents));
            if (st == TS_OK && P->track)
                st = ts_pdf_lines_add(&P->seen, contents, strlen(contents));
        }
        if (st == TS_OK && (said || (label && *label)))
            st = count_author(P, label ? label : "", no);
        g_free(contents);
        g_free(label);
    }
    return st;
}

static ts_status report_authors(pdf *P)
{
    ts_status st = TS_OK;
    for (size_t i = 0; i < P->nauthors && st == TS_OK; i++) {
        const author *a = &P->authors[i];
        char detail[96];
        snprintf(detail, sizeof(detail), "%zu annotation%s%s%s", a->count, a->count == 1 ? "" : "s",
                 *a->name ? " by " : " without an author", *a->name ? a->name : "");
        ts_loc loc = {.where = TS_WHERE_ANNOTATION, .page = a->first_page};
        st = ts_doc_flag(P->doc, "hidden.pdf-annotation", &loc, *a->name ? a->name : "annotation",
                         detail);
        if (st == TS_OK && *a->name)
            st = ts_office_person(P->doc, &loc, a->name, "annotation author", "metadata.user-name");
    }
    return st;
}

void ts_pdf_form_text(PopplerPage *page, ts_sbuf *out)
{
    GList *list = poppler_page_get_form_field_mapping(page);
    for (GList *l = list; l != NULL; l = l->next) {
        PopplerFormField *f = ((PopplerFormFieldMapping *)l->data)->field;
        gchar *name = poppler_form_field_get_name(f);
        gchar *value = NULL;
        switch (poppler_form_field_get_field_type(f)) {
        case POPPLER_FORM_FIELD_TEXT:
            value = poppler_form_field_text_get_text(f);
            break;
        case POPPLER_FORM_FIELD_CHOICE: {
            gint n = poppler_form_field_choice_get_n_items(f);
            for (gint i = 0; i < n && i < 1000 && value == NULL; i++)
                if (poppler_form_field_choice_is_item_selected(f, i))
                    value = poppler_form_field_choice_get_item(f, i);
            if (value == NULL)
                value = poppler_form_field_choice_get_text(f);
            break;
        }
        default:
            break;
        }
        if (value && ts_pdf_has_text(value)) {
            /* "name: value", so a field named "passord" gives its value a label */
            if (name && *name) {
                ts_sbuf_put(out, name, strlen(name));
                ts_sbuf_put(out, ": ", 2);
            }
            ts_sbuf_put(out, value, strlen(value));
            ts_sbuf_put(out, "\n", 1);
        }
        g_free(name);
        g_free(value);
    }
    poppler_page_free_form_field_mapping(list);
}

void ts_pdf_note_text(GList *annots, ts_sbuf *out)
{
    for (GList *l = annots; l != NULL; l = l->next) {
        PopplerAnnot *a = ((PopplerAnnotMapping *)l->data)->annot;
        PopplerAnnotType type = poppler_annot_get_annot_type(a);
        if (type == POPPLER_ANNOT_LINK || type == POPPLER_ANNOT_WIDGET ||
            type == POPPLER_ANNOT_POPUP)
            continue;
        gchar *contents = poppler_annot_get_contents(a);
        if (contents && ts_pdf_has_text(contents)) {
            ts_sbuf_put(out, contents, strlen(contents));
            ts_sbuf_put(out, "\n", 1);
        }
        g_free(contents);
    }
}

static ts_status forms(pdf *P, PopplerPage *page, unsigned no)
{
    ts_status st = TS_OK;
    ts_sbuf_clear(&P->keep);
    ts_pdf_form_text(page, &P->keep);
    if (P->keep.oom)
        return TS_ENOMEM;
    if (P->keep.len > 0) {
        ts_loc loc = {.where = TS_WHERE_FORM_FIELD, .page = no, .line = 1};
        st = ts_doc_text(P->doc, &loc, P->keep.p, P->keep.len);
        if (st == TS_OK && P->track)
            st = ts_pdf_lines_add(&P->seen, P->keep.p, P->keep.len);
    }
    return st;
}

static ts_status document_attachments(pdf *P)
{
    if (!poppler_document_has_attachments(P->pd))
        return TS_OK;
    ts_status st = TS_OK;
    GList *list = poppler_document_get_attachments(P->pd);
    for (GList *l = list; l != NULL; l = l->next) {
        if (st == TS_OK)
            st = attachment(P, l->data, 0);
        g_object_unref(l->data);
    }
    g_list_free(list);
    return st;
}

/* ---- layers (optional content, ISO 32000-2 §8.11) ------------------------------------------ */

static ts_status walk_layers(pdf *P, PopplerLayersIter *it, unsigned depth, size_t *budget)
{
    ts_status st = TS_OK;
    do {
        if (*budget == 0)
            break;
        (*budget)--;
        PopplerLayer *layer = poppler_layers_iter_get_layer(it);
        const char *title = layer ? poppler_layer_get_title(layer) : NULL;
        gchar *label = layer ? NULL : poppler_layers_iter_get_title(it);
        const char *name = title ? title : label;
        if (name && *name) {
            ts_sbuf_put(&P->keep, name, strlen(name));
            ts_sbuf_put(&P->keep, "\n", 1);
        }
        if (layer && !poppler_layer_is_visible(layer)) {
            ts_loc loc = {.where = TS_WHERE_LAYER, .part = name};
            st = ts_doc_flag(P->doc, "hidden.pdf-hidden-layer", &loc,
                             name && *name ? name : "(no name)", "layer hidden when opened");
            if (st == TS_OK && ts_grow((void **)&P->hidden, &P->cap_hidden, P->nhidden + 1,
                                       sizeof(*P->hidden)) != 0)
                st = TS_ENOMEM;
            if (st == TS_OK) {
                P->hidden[P->nhidden++] = layer;
                layer = NULL;
            }
        }
        if (layer)
            g_object_unref(layer);
        g_free(label);
        PopplerLayersIter *child = poppler_layers_iter_get_child(it);
        if (child && st == TS_OK && depth < LAYER_DEPTH)
            st = walk_layers(P, child, depth + 1, budget);
        if (child)
            poppler_layers_iter_free(child);
    } while (st == TS_OK && poppler_layers_iter_next(it));
    return st;
}

static ts_status layers(pdf *P)
{
    PopplerLayersIter *it = poppler_layers_iter_new(P->pd);
    if (it == NULL)
        return TS_OK;
    size_t budget = ts_doc_limits(P->doc)->max_items;
    ts_sbuf_clear(&P->keep);
    ts_status st = walk_layers(P, it, 0, &budget);
    poppler_layers_iter_free(it);
    if (st == TS_OK && P->keep.oom)
        st = TS_ENOMEM;
    if (st == TS_OK && P->keep.len > 0) {
        ts_loc loc = {.where = TS_WHERE_LAYER, .line = 1};
        st = ts_doc_text(P->doc, &loc, P->keep.p, P->keep.len);
    }
    return st;
}

/* Text that only shows with the hidden layers on: read every page again with them shown. */
static ts_status hidden_layer_text(pdf *P, int npages)
{
    ts_status st = TS_OK;
    for (size_t i = 0; i < P->nhidden; i++)
        poppler_layer_show(P->hidden[i]);
    const char *part = P->nhidden == 1 ? poppler_layer_get_title(P->hidden[0]) : NULL;
    for (int i = 0; i < npages && st == TS_OK; i++) {
        PopplerPage *page = poppler_document_get_page(P->pd, i);
        if (page == NULL)
            continue;
        gchar *text = poppler_page_get_text(page);
        size_t n = text ? ts_pdf_lines_fresh(&P->seen, text, strlen(text), &P->keep, &st) : 0;
        if (n > 0 && st == TS_OK) {
            ts_loc loc = {.where = TS_WHERE_LAYER, .page = (unsigned)i + 1, .part = part};
            st = ts_doc_text(P->doc, &loc, P->keep.p, P->keep.len);
        }
        g_free(text);
        g_object_unref(page);
    }
    return st;
}

/* ---- the extractor -------------------------------------------------------------------------- */

/* One page of P->pd or of a repaired copy, read as page `no` of the document. */
static ts_status read_page(pdf *P, PopplerPage *page, unsigned no)
{
    GList *annots = poppler_page_get_annot_mapping(page);
    ts_status st = cover_boxes(P, page, annots);
    if (st == TS_OK)
        st = page_text(P, page, no);
    if (st == TS_OK)
        st = annotations(P, annots, no);
    poppler_page_free_annot_mapping(annots);
    if (st == TS_OK)
        st = forms(P, page, no);
    return st;
}

/*
 * Pages the objects show that poppler did not list: read from a copy whose new catalog leads to
 * them (ts_pdf_pages_repair). Pages below `from` were read already. *read gets how many were.
 */
static ts_status recover_pages(pdf *P, const ts_pdf_pages *raw, size_t from, size_t *read)
{
    ts_status st = TS_OK, why = TS_OK;
    unsigned char *copy = NULL;
    size_t copy_len = 0;
    char msg[160];
    *read = 0;
    if ((st = ts_pdf_pages_repair(&copy, &copy_len, P->in->data, P->in->len, raw)) != TS_OK)
        return st;
    PopplerDocument *pd = ts_pdf_open(copy, copy_len, &why, msg, sizeof(msg));
    int n = pd ? poppler_document_get_n_pages(pd) : 0;
    for (int i = 0; i < n && (size_t)i < raw->count && st == TS_OK; i++) {
        if ((size_t)i < from)
            continue;
        PopplerPage *page = poppler_document_get_page(pd, i);
        if (page == NULL)
            continue;
        st = read_page(P, page, (unsigned)i + 1);
        g_object_unref(page);
        (*read)++;
    }
    if (st == TS_OK)
        st = flush_images(P);
    if (pd)
        g_object_unref(pd);
    ts_free(copy);
    return st;
}

/*
 * Did poppler read every page? Its count is the catalog's /Count and whatever it could follow;
 * the objects may show more (a /Count too small, a /Pages that is null or broken), and a PDF
 * without a single page shows nothing at all. Either is an error, with the text of the pages
 * poppler missed read from a repaired copy where that works.
 */
static ts_status check_pages(pdf *P, size_t listed, size_t read)
{
    ts_pdf_pages raw;
    const ts_limits *lim = ts_doc_limits(P->doc);
    ts_status st = ts_pdf_pages_find(&raw, P->in->data, P->in->len, lim->max_items, read == 0);
    if (st != TS_OK) {
        ts_pdf_pages_dispose(&raw);
        return st;
    }
    /* a count from the catalog's own tree stands against poppler's; pieces found without it
     * only say how many pages there were when poppler read none (their tree is not the
     * document's) */
    size_t shown = raw.from_root ? (raw.trusted ? raw.count : 0) : (read == 0 ? raw.count : 0);
    size_t total = listed > shown ? listed : shown, recovered = 0;
    /* the same tree gives the pages poppler listed in the same order: the rest are new; a tree
     * of pieces is read whole */
    if (!raw.encrypted && raw.ntops > 0 && (raw.from_root ? shown > listed : shown > 0))
        st = recover_pages(P, &raw, raw.from_root ? listed : 0, &recovered);
    if (st == TS_OK && total == 0 && raw.from_root)
        ts_doc_fail_msg(P->doc, TS_EEMPTY, TS_MSG_FAIL_NO_PAGES); /* a page tree without pages */
    else if (st == TS_OK && total == 0)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_NO_PAGE_FOUND);
    else if (st == TS_OK && read < total && recovered > 0)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_PAGES_RECOVERED, total - read, total,
                        recovered);
    else if (st == TS_OK && read < total)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_PAGES_UNREAD, total - read, total);
    /* a page whose content cannot be decoded reads as a page without text: poppler says
     * nothing. The rest of the document has been read all the same. */
    else if (st == TS_OK && raw.bad_pages == 1 && raw.bad_filter)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_CONTENT_FILTER, raw.first_bad,
                        raw.filter_name);
    else if (st == TS_OK && raw.bad_pages > 1 && raw.bad_filter)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_CONTENT_FILTER_PAGES, raw.bad_pages,
                        raw.first_bad, raw.filter_name);
    else if (st == TS_OK && raw.bad_pages == 1)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_CONTENT_DAMAGED, raw.first_bad);
    else if (st == TS_OK && raw.bad_pages > 1)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_CONTENT_DAMAGED_PAGES, raw.bad_pages,
                        raw.first_bad);
    ts_pdf_pages_dispose(&raw);
    return st;
}

/* A PDF poppler cannot open (its catalog is gone, say): the pages its objects still show. */
static ts_status recover_unopened(pdf *P, const char *why)
{
    ts_pdf_pages raw;
    size_t recovered = 0;
    ts_status st =
        ts_pdf_pages_find(&raw, P->in->data, P->in->len, ts_doc_limits(P->doc)->max_items, true);
    if (st == TS_OK && raw.count > 0 && raw.ntops > 0 && !raw.encrypted)
        st = recover_pages(P, &raw, 0, &recovered);
    if (st == TS_OK && recovered > 0)
        ts_doc_fail_msg(P->doc, TS_ECORRUPT, TS_MSG_FAIL_OPEN_RECOVERED, why, recovered);
    ts_pdf_pages_dispose(&raw);
    return st;
}

static ts_status read_pages(pdf *P, int *npages_read)
{
    ts_status st = TS_OK;
    const ts_limits *lim = ts_doc_limits(P->doc);
    int npages = poppler_document_get_n_pages(P->pd);
    int n = npages < 0 ? 0 : npages;
    if ((uint64_t)n > lim->max_items)
        n = (int)lim->max_items;
    size_t read = 0;
    for (int i = 0; i < n && st == TS_OK; i++) {
        PopplerPage *page = poppler_document_get_page(P->pd, i);
        if (page == NULL)
            continue;
        st = read_page(P, page, (unsigned)i + 1);
        g_object_unref(page);
        read++;
    }
    if (st == TS_OK)
        st = flush_images(P);
    if (n < npages)
        ts_doc_fail(P->doc, TS_ELIMIT, "%d pages; only the first %d were read", npages, n);
    if (st == TS_OK)
        st = check_pages(P, (size_t)n, read);
    *npages_read = n;
    return st;
}

static ts_status pdf_extract(ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK, why = TS_OK;
    char msg[256];
    pdf P = {.doc = doc, .in = in};
    ts_pdf_meta meta = {0};
    int npages = 0;
    st = ts_pdf_scan_run(&P.scan, in->data, in->len);
    if (st != TS_OK)
        goto out;
    P.pd = ts_pdf_open(in->data, in->len, &why, msg, sizeof(msg));
    if (P.pd == NULL) {
        st = why == TS_ECORRUPT ? recover_unopened(&P, msg) : TS_OK;
        ts_doc_fail(doc, why, "%s", msg); /* unless the recovery said more */
        goto out;
    }
    if (P.scan.layers_unsafe)
        ts_doc_fail(doc, TS_ECORRUPT, "the list of layers is damaged; layers were not read");
    else if ((st = layers(&P)) != TS_OK)
        goto out;
    P.track = P.scan.nrevisions > 0 || P.nhidden > 0;
    st = ts_pdf_meta_read(doc, P.pd, &meta);
    if (st == TS_OK)
        st = ts_pdf_meta_report(doc, &meta, TS_WHERE_METADATA, 0, NULL, P.track ? &P.seen : NULL,
                                false, NULL);
    if (st == TS_OK && P.scan.javascript) {
        ts_loc loc = {.where = TS_WHERE_BODY};
        st = ts_doc_flag(doc, "hidden.pdf-javascript", &loc, "JavaScript",
                         "the document carries scripts a reader may run");
    }
    if (st == TS_OK)
        st = read_pages(&P, &npages);
    if (st == TS_OK)
        st = ts_pdf_cropped_text(doc, in, P.pd, npages);
    if (st == TS_OK)
        st = report_authors(&P);
    if (st == TS_OK)
        st = document_attachments(&P);
    if (st == TS_OK && P.nhidden > 0)
        st = hidden_layer_text(&P, npages);
    if (st == TS_OK && P.scan.nrevisions > 0)
        st = ts_pdf_revisions(doc, in, &P.scan, &P.seen);
out:
    for (size_t i = 0; i < P.nhidden; i++)
        g_object_unref(P.hidden[i]);
    ts_free(P.hidden);
    if (P.pd)
        g_object_unref(P.pd);
    for (size_t i = 0; i < P.nauthors; i++)
        ts_free(P.authors[i].name);
    ts_free(P.authors);
    ts_free(P.body);
    ts_free(P.runs.v);
    ts_free(P.boxes.v);
    ts_free(P.canvas.px);
    ts_pdf_tables_free(P.tables);
    ts_ocr_close(P.ocr);
    ts_sbuf_free(&P.keep);
    ts_pdf_meta_free(&meta);
    ts_pdf_lines_free(&P.seen);
    ts_pdf_scan_dispose(&P.scan);
    return st;
}

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

/*
 * poppler-glib reports what it cannot read ("Unsupported Annot Type") with g_warning, which
 * GLib prints to stderr; a document's problems are ours to report. Only the Poppler domain is
 * quietened, and its critical messages (misuse of the API) still show.
 */
static ts_status pdf_init(void)
{
    g_log_set_handler(
        "Poppler", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
        quiet, NULL);
    return ts_xml_init();
}

/* The module's entry (src/extract/module.c); its table row and rules are in pdfrow.c. */
TS_HOST const struct ts_module ts_module_pdf = {
    .abi = TS_MODULE_ABI,
    .version = TS_VERSION,
    .init = pdf_init,
    .extract = pdf_extract,
};

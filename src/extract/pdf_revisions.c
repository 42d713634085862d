/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Earlier revisions of an incrementally saved PDF: text that only an earlier version still has. */
#include "extract/pdf.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "extract/office.h"

#define LINES_MAX (1u << 20) /* hostile input: distinct lines remembered (16 MiB of slots) */

/* ---- line sets ------------------------------------------------------------------------------ */

static bool line_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

uint64_t ts_pdf_line_hash(const char *s, size_t len)
{
    /* FNV-1a over the line with runs of white space folded to one space and both ends trimmed */
    uint64_t h = 0xcbf29ce484222325ull;
    bool word = false, pending = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (line_space(c) || c == '\n') {
            pending = true;
            continue;
        }
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80)
            word = true;
        if (pending && h != 0xcbf29ce484222325ull) {
            h ^= ' ';
            h *= 0x100000001b3ull;
        }
        pending = false;
        h ^= c;
        h *= 0x100000001b3ull;
    }
    if (!word)
        return 0;
    return h ? h : 1;
}

bool ts_pdf_lines_has(const ts_pdf_lines *set, uint64_t h)
{
    if (set == NULL || set->cap == 0 || h == 0)
        return false;
    size_t mask = set->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (set->slot[i] == h)
            return true;
        if (set->slot[i] == 0)
            return false;
    }
}

static int grow(ts_pdf_lines *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    uint64_t *slot = ts_calloc(cap, sizeof(*slot));
    if (slot == NULL)
        return -1;
    for (size_t k = 0; k < set->cap; k++) {
        uint64_t h = set->slot[k];
        if (h == 0)
            continue;
        size_t i = (size_t)h & (cap - 1);
        while (slot[i] != 0)
            i = (i + 1) & (cap - 1);
        slot[i] = h;
    }
    ts_free(set->slot);
    set->slot = slot;
    set->cap = cap;
    return 0;
}

bool ts_pdf_lines_put(ts_pdf_lines *set, uint64_t h, ts_status *st)
{
    if (h == 0 || ts_pdf_lines_has(set, h))
        return false;
    if (set->n >= LINES_MAX) {
        set->full = true;
        return true;
    }
    if ((set->n + 1) * 2 > set->cap && grow(set) != 0) {
        *st = TS_ENOMEM;
        return true;
    }
    size_t i = (size_t)h & (set->cap - 1);
    while (set->slot[i] != 0)
        i = (i + 1) & (set->cap - 1);
    set->slot[i] = h;
    set->n++;
    return true;
}

ts_status ts_pdf_lines_add(ts_pdf_lines *set, const char *text, size_t len)
{
    ts_status st = TS_OK;
    size_t s = 0;
    while (s < len && st == TS_OK) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        ts_pdf_lines_put(set, ts_pdf_line_hash(text + s, e - s), &st);
        s = e + 1;
    }
    return st;
}

void ts_pdf_lines_free(ts_pdf_lines *set)
{
    ts_free(set->slot);
    memset(set, 0, sizeof(*set));
}

/* ---- revisions ------------------------------------------------------------------------------ */

size_t ts_pdf_lines_fresh(ts_pdf_lines *seen, const char *text, size_t len, ts_sbuf *keep,
                          ts_status *st)
{
    size_t n = 0, s = 0;
    ts_sbuf_clear(keep);
    while (s < len && *st == TS_OK) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        uint64_t h = ts_pdf_line_hash(text + s, e - s);
        if (h != 0 && ts_pdf_lines_put(seen, h, st)) {
            ts_sbuf_put(keep, text + s, e - s);
            ts_sbuf_put(keep, "\n", 1);
            n++;
        }
        s = e + 1;
    }
    if (keep->oom)
        *st = TS_ENOMEM;
    return n;
}

/* Scan one earlier revision; *pages_left bounds the pages read over all revisions. */
static ts_status one_revision(ts_doc *doc, const ts_input *in, size_t end, unsigned number,
                              size_t total, ts_pdf_lines *seen, uint64_t *pages_left)
{
    ts_status st = TS_OK, why = TS_OK;
    char msg[160];
    ts_sbuf keep = {0}, all = {0};
    ts_pdf_meta meta = {0};
    char part[48];
    snprintf(part, sizeof(part), "revision %u of %zu", number, total);
    PopplerDocument *pd = ts_pdf_open(in->data, end, &why, msg, sizeof(msg));
    if (pd == NULL)
        return TS_OK; /* an earlier version that does not open on its own has nothing to show */
    size_t lines = 0, metas = 0;
    unsigned first_page = 0;
    st = ts_pdf_meta_read(doc, pd, &meta);
    if (st == TS_OK)
        st = ts_pdf_meta_report(doc, &meta, TS_WHERE_REVISION, 0, part, seen, true, &metas);
    int npages = poppler_document_get_n_pages(pd);
    for (int i = 0; i < npages && st == TS_OK; i++) {
        if (*pages_left == 0) {
            ts_doc_fail(doc, TS_ELIMIT, "earlier revisions hold more pages than the %u read",
                        ts_doc_limits(doc)->max_items);
            break;
        }
        (*pages_left)--;
        PopplerPage *page = poppler_document_get_page(pd, i);
        if (page == NULL)
            continue;
        /* the page's text, then its comments and form values, as one text */
        gchar *text = poppler_page_get_text(page);
        ts_sbuf_clear(&all);
        if (text)
            ts_sbuf_put(&all, text, strlen(text));
        ts_sbuf_put(&all, "\n", 1);
        GList *annots = poppler_page_get_annot_mapping(page);
        ts_pdf_note_text(annots, &all);
        poppler_page_free_annot_mapping(annots);
        ts_pdf_form_text(page, &all);
        if (all.oom)
            st = TS_ENOMEM;
        size_t n = st == TS_OK ? ts_pdf_lines_fresh(seen, all.p, all.len, &keep, &st) : 0;
        if (n > 0 && st == TS_OK) {
            ts_loc loc = {
                .where = TS_WHERE_REVISION, .page = (unsigned)i + 1, .part = part, .line = 0};
            st = ts_doc_text(doc, &loc, keep.p, keep.len);
            lines += n;
            if (first_page == 0)
                first_page = (unsigned)i + 1;
        }
        g_free(text);
        g_object_unref(page);
    }
    if (st == TS_OK && lines + metas > 0) {
        ts_loc loc = {.where = TS_WHERE_REVISION, .page = first_page, .part = part};
        char value[96], detail[128];
        snprintf(value, sizeof(value), "%s (first %zu bytes)", part, end);
        snprintf(detail, sizeof(detail), "%zu lines of text and %zu properties only in it", lines,
                 metas);
        st = ts_doc_flag(doc, "hidden.pdf-revision", &loc, value, detail);
    }
    ts_pdf_meta_free(&meta);
    ts_sbuf_free(&keep);
    ts_sbuf_free(&all);
    g_object_unref(pd);
    return st;
}

ts_status ts_pdf_revisions(ts_doc *doc, const ts_input *in, const ts_pdf_scan *scan,
                           ts_pdf_lines *seen)
{
    ts_status st = TS_OK;
    uint64_t pages_left = ts_doc_limits(doc)->max_items;
    size_t total = scan->nrevisions + scan->revisions_over + 1;
    /* newest first: a line that several versions share is reported with the last one having it */
    for (size_t r = scan->nrevisions; r-- > 0 && st == TS_OK;)
        st = one_revision(doc, in, scan->revision_ends[r], (unsigned)r + 1, total, seen,
                          &pages_left);
    if (st == TS_OK && scan->revisions_over > 0)
        ts_doc_fail(doc, TS_ELIMIT, "%zu earlier revisions; only the first %u were compared",
                    scan->nrevisions + scan->revisions_over, TS_PDF_MAX_REVISIONS);
    if (st == TS_OK && total > 1) {
        /* said even when nothing differs: the old versions are in the file (issue 12) */
        ts_loc loc = {.where = TS_WHERE_REVISION};
        char value[64], detail[96];
        snprintf(value, sizeof(value), "%zu earlier revision%s", total - 1, total == 2 ? "" : "s");
        snprintf(detail, sizeof(detail), "the file holds %zu versions of the document", total);
        st = ts_doc_flag(doc, "hidden.pdf-revisions-kept", &loc, value, detail);
    }
    return st;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the PDF extractor's files: raw pre-scan, invisible text, line sets, revisions. */
#ifndef TS_EXTRACT_PDF_H
#define TS_EXTRACT_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <poppler.h>

#include "extract/extract.h"
#include "extract/ocr.h"

#define TS_PDF_MAX_REVISIONS 32u /* hostile input: earlier revisions opened and compared */

/* Where a content stream may hide text, in the default user space of its page (points). */
typedef enum ts_pdf_area_kind {
    TS_PDF_AREA_BOX = 0,   /* a filled shape painted after text, or in a stream without text */
    TS_PDF_AREA_UNPAINTED, /* text shown in render mode 3 or 7 (ISO 32000-2 §9.3.6) */
    TS_PDF_AREA_SAME       /* a box under text of the box's own colour */
} ts_pdf_area_kind;

typedef struct ts_pdf_area {
    float x0, y0, x1, y1;
    unsigned char kind; /* ts_pdf_area_kind */
    unsigned obj;       /* object number of the stream that drew it (0 = unknown) */
} ts_pdf_area;

/*
 * What a raw look at the bytes found, before poppler reads them (pdf_scan.c). It finds where
 * each revision ends and where content streams do something that can hide text, so that only
 * pages whose text meets such an area are rendered for the visual check. Streams are not tied
 * to pages here: an area is tried on every page, and the picture decides.
 */
typedef struct ts_pdf_scan {
    ts_pdf_area *areas;
    size_t nareas, cap_areas;
    bool unplaced;         /* hiding that cannot be placed on a page: look at every character */
    bool fill_over_text;   /* some filled box was painted after text */
    bool invisible_mode;   /* some text was shown in render mode 3 or 7 */
    bool opaque;           /* some content could not be read (encrypted, other filter, too big) */
    bool white_text;       /* some text was shown in white */
    bool tiny_text;        /* some text was shown smaller than TS_PDF_TINY_PT */
    bool rotated;          /* some page has /Rotate: areas cannot be placed */
    bool objstm;           /* some objects are in compressed object streams */
    bool javascript;       /* a /JavaScript name (ISO 32000-2 §12.6.4.17) */
    bool layers_unsafe;    /* the layer list would crash poppler-glib: do not read it */
    bool sealed_attachments; /* embedded files under a crypt filter poppler does not apply */
    size_t *revision_ends; /* end offset of each earlier revision, ascending */
    size_t nrevisions;     /* earlier revisions kept (at most TS_PDF_MAX_REVISIONS) */
    size_t revisions_over; /* earlier revisions past the limit, not compared */
    /* the areas as a grid of cells (bit 1 << kind set where an area of that kind lies) */
    unsigned char *grid;
    double grid_x0, grid_y0, grid_cell;
    int grid_w, grid_h;
} ts_pdf_scan;

/* The kinds of area (1 << ts_pdf_area_kind) that meet a rectangle in default user space. */
unsigned ts_pdf_scan_areas(const ts_pdf_scan *s, double x0, double y0, double x1, double y1);

#define TS_PDF_TINY_PT 2.0 /* text below this size (0.7 mm) cannot be read on screen or paper */

/*
 * Inflate a FlateDecode stream's `n` bytes into *buf (grown as needed, *cap its size, at most
 * 8 MiB) and take what came out off *budget. 0 with *out_len set, also for a damaged tail that
 * left something; -1 when nothing came out or the stream was cut by the limit.
 */
int ts_pdf_inflate(const unsigned char *src, size_t n, unsigned char **buf, size_t *cap,
                   size_t *out_len, uint64_t *budget);

/* How ts_pdf_inflate_how ended. */
typedef enum ts_pdf_inflated {
    TS_PDF_INFLATE_END = 0, /* the stream's end was reached */
    TS_PDF_INFLATE_CUT,     /* the input ran out before it (a truncated stream) */
    TS_PDF_INFLATE_DAMAGED, /* zlib found bad data (Z_DATA_ERROR): what came before is out */
    TS_PDF_INFLATE_LIMIT    /* stopped by the 8 MiB limit, the budget or memory */
} ts_pdf_inflated;

/* ts_pdf_inflate, saying how it ended (the one Flate decoder of the pre-scan and the checks). */
ts_pdf_inflated ts_pdf_inflate_how(const unsigned char *src, size_t n, unsigned char **buf,
                                   size_t *cap, size_t *out_len, uint64_t *budget);

/* The filters a stream's chain may name that pdf_filters.c decodes (ISO 32000-2 §7.4). */
typedef enum ts_pdf_filter {
    TS_PDF_FILTER_FLATE = 0,
    TS_PDF_FILTER_LZW,
    TS_PDF_FILTER_AHX,
    TS_PDF_FILTER_A85,
    TS_PDF_FILTER_RL
} ts_pdf_filter;

/* One filter of a chain with its /DecodeParms (defaults: predictor 1, colors 1, bpc 8,
 * columns 1, early 1). */
typedef struct ts_pdf_stage {
    ts_pdf_filter filter;
    long predictor, colors, bpc, columns, early;
} ts_pdf_stage;

typedef enum ts_pdf_verdict {
    TS_PDF_STREAM_GOOD = 0,  /* every stage decoded to its end (or a cut end, as poppler reads) */
    TS_PDF_STREAM_UNCHECKED, /* a limit stopped the check: nothing is known */
    TS_PDF_STREAM_DAMAGED    /* a stage found bad data or parameters it cannot apply */
} ts_pdf_verdict;

/*
 * Decode `len` bytes through the `n` stages (pdf_filters.c) to tell whether they can be read;
 * what is decoded comes off *budget. A Flate stage that ends early is good when something came
 * out (poppler reads that prefix); one with bad data (Z_DATA_ERROR) is damaged. Predictors are
 * not applied, only checked for parameters poppler can apply (else, with data to apply them
 * to, the stream is damaged). TS_ENOMEM or TS_OK, *out set.
 */
ts_status ts_pdf_stream_check(const ts_pdf_stage *v, size_t n, const unsigned char *src,
                              size_t len, uint64_t *budget, ts_pdf_verdict *out);

/* Does `p[0, n)` hold the name `name` (with its slash) as a whole token? */
bool ts_pdf_has_name(const unsigned char *p, size_t n, const char *name);

/* Look at `len` bytes of a PDF. TS_ENOMEM or TS_OK; free with ts_pdf_scan_dispose. */
ts_status ts_pdf_scan_run(ts_pdf_scan *s, const unsigned char *data, size_t len);
void ts_pdf_scan_dispose(ts_pdf_scan *s);

/*
 * Why a piece of page text cannot be seen (pdf_invisible.c). A run is a byte range of the page
 * text, extended over whole lines' worth of hidden characters.
 */
typedef enum ts_pdf_why {
    TS_PDF_TINY = 0,    /* font too small to read */
    TS_PDF_COVERED,     /* something opaque was painted over it */
    TS_PDF_SAME_COLOUR, /* the same colour as what is behind it (white on white) */
    TS_PDF_UNPAINTED,   /* in the text layer but never painted (render mode 3) */
    TS_PDF_WHY_COUNT_
} ts_pdf_why;

typedef struct ts_pdf_run {
    size_t start, end; /* bytes of the page text */
    ts_pdf_why why;
} ts_pdf_run;

typedef struct ts_pdf_runs {
    ts_pdf_run *v;
    size_t n, cap;
} ts_pdf_runs;

/* Annotation boxes of a page that may cover text (page space, as poppler's text layout). */
typedef struct ts_pdf_boxes {
    PopplerRectangle *v;
    size_t n, cap;
} ts_pdf_boxes;

/* Pixels reused by every page rendered for the visual check (free px with ts_free). */
typedef struct ts_pdf_canvas {
    unsigned char *px;
    size_t cap;
} ts_pdf_canvas;

/*
 * Find the invisible text of one page. `text` is poppler_page_get_text(page). Only the part of
 * the page where characters meet an area of `scan` or one of `boxes`, or are white, is
 * rendered; tiny text needs no picture. TS_ENOMEM or TS_OK; free `out->v` with ts_free.
 */
ts_status ts_pdf_invisible(PopplerPage *page, const char *text, size_t len, const ts_pdf_scan *scan,
                           const ts_pdf_boxes *boxes, ts_pdf_canvas *canvas, ts_pdf_runs *out);

/* A set of line hashes (white space folded) to tell which lines a document already has. */
typedef struct ts_pdf_lines {
    uint64_t *slot; /* open addressing; 0 = empty */
    size_t n, cap;
    bool full; /* hostile input: stopped growing at its limit */
} ts_pdf_lines;

/* Add every line of `text`. TS_ENOMEM or TS_OK. */
ts_status ts_pdf_lines_add(ts_pdf_lines *set, const char *text, size_t len);
/* Hash of one line with white space folded; 0 when the line holds no letter or digit. */
uint64_t ts_pdf_line_hash(const char *s, size_t len);
bool ts_pdf_lines_has(const ts_pdf_lines *set, uint64_t h);
/* Add one hash; returns false when it was already there. TS_ENOMEM is reported via *st. */
bool ts_pdf_lines_put(ts_pdf_lines *set, uint64_t h, ts_status *st);
void ts_pdf_lines_free(ts_pdf_lines *set);
struct ts_sbuf;
/*
 * Put the lines of `text` that are not in `seen` into `keep` (one per line) and add them to
 * `seen`. Returns how many; TS_ENOMEM goes to *st.
 */
size_t ts_pdf_lines_fresh(ts_pdf_lines *seen, const char *text, size_t len, struct ts_sbuf *keep,
                          ts_status *st);

/* One metadata property: Info dictionary entry or XMP property (pdf_meta.c). */
typedef enum ts_pdf_meta_kind {
    TS_PDF_META_TEXT = 0, /* title, subject, keywords, other XMP properties */
    TS_PDF_META_PERSON,   /* Info /Author, XMP dc:creator */
    TS_PDF_META_SOFTWARE  /* Info /Creator and /Producer, xmp:CreatorTool, pdf:Producer */
} ts_pdf_meta_kind;

typedef struct ts_pdf_meta_item {
    char *key; /* "author", "CreatorTool", … */
    char *value;
    ts_pdf_meta_kind kind;
} ts_pdf_meta_item;

typedef struct ts_pdf_meta {
    ts_pdf_meta_item *v;
    size_t n, cap;
} ts_pdf_meta;

/* Read the Info dictionary and the XMP packet (parsed without network or entities). */
ts_status ts_pdf_meta_read(ts_doc *doc, PopplerDocument *pd, ts_pdf_meta *m);
/*
 * Report metadata: people, software and local paths as findings, every property as text at
 * `where`. With `only_new`, only properties whose line is not in `seen` (an earlier revision's
 * metadata that the current one no longer has); otherwise lines go into `seen` (may be NULL).
 * *nnew (may be NULL) gets the number of properties reported.
 */
ts_status ts_pdf_meta_report(ts_doc *doc, const ts_pdf_meta *m, ts_where where, unsigned page,
                             const char *part, ts_pdf_lines *seen, bool only_new, size_t *nnew);
void ts_pdf_meta_free(ts_pdf_meta *m);

/*
 * Open `len` bytes as a PDF from memory (never from a path). The bytes must outlive the
 * document. On failure returns NULL and sets *why (TS_EENCRYPTED or TS_ECORRUPT) and *msg.
 */
PopplerDocument *ts_pdf_open(const unsigned char *data, size_t len, ts_status *why, char *msg,
                             size_t msg_size);

/* Does `t` hold anything but white space? */
bool ts_pdf_has_text(const char *t);
/* Append "name: value" for every filled form field of a page, one per line. */
void ts_pdf_form_text(PopplerPage *page, struct ts_sbuf *out);
/* Append the text of every comment-like annotation in poppler's annotation mapping `annots`. */
void ts_pdf_note_text(GList *annots, struct ts_sbuf *out);

/*
 * The pages a PDF's own objects show (pdf_pages.c), counted from its raw bytes, objects in
 * compressed object streams included, the newest definition of each object counting: the page
 * tree under the /Pages of the catalog the last trailer names; when there is none (/Pages null,
 * missing or broken), the trees the objects still hold, or else the page objects themselves.
 * Poppler reading fewer pages than this is a document it could not read completely.
 */
typedef struct ts_pdf_ref {
    unsigned num, gen;
} ts_pdf_ref;

typedef struct ts_pdf_pages {
    size_t count;   /* pages counted (at most the max_pages asked for) */
    bool from_root; /* they hang from the catalog (else they were found without it) */
    bool trusted;   /* every object was read (none in an object stream left shut) */
    bool encrypted; /* the file has /Encrypt */
    /* pages whose content streams cannot be decoded (not looked at when encrypted) */
    size_t bad_pages;
    size_t first_bad;     /* the first of them, 1-based in the order of the tree */
    bool bad_filter;      /* … because a filter is not known (else: its data are damaged) */
    char filter_name[40]; /* that filter ("/PlateDecode"), printable ASCII */
    ts_pdf_ref *tops; /* from_root: the catalog's /Pages; else the tops of the pieces found */
    size_t ntops, cap_tops;
    struct objindex *index; /* the objects found (for ts_pdf_pages_repair) */
} ts_pdf_pages;

/* Count the pages of `len` bytes of a PDF (stopping at max_pages); without the catalog's tree
 * only with `pieces`. The bytes must outlive `out`. TS_ENOMEM or TS_OK; free with
 * ts_pdf_pages_dispose (also after a failure). */
ts_status ts_pdf_pages_find(ts_pdf_pages *out, const unsigned char *data, size_t len,
                            size_t max_pages, bool pieces);
void ts_pdf_pages_dispose(ts_pdf_pages *p);
/*
 * A copy of the PDF with an incremental update whose catalog's page tree lists p->tops, and a
 * cross-reference table of its own for every object found (those of object streams written out
 * plainly): poppler reads from it the pages the original's catalog or tables do not lead to.
 * *out (ts_free) must outlive a document opened on it. TS_ENOMEM or TS_OK.
 */
ts_status ts_pdf_pages_repair(unsigned char **out, size_t *out_len, const unsigned char *data,
                              size_t len, const ts_pdf_pages *p);

/*
 * Compare every earlier revision with the current text (`seen`: lines of the current
 * document) and report the lines that exist only in an earlier revision (pdf_revisions.c).
 */
ts_status ts_pdf_revisions(ts_doc *doc, const ts_input *in, const ts_pdf_scan *scan,
                           ts_pdf_lines *seen);

/*
 * Text outside the crop box of pages `pd` shows cropped (pdf_crop.c): reported as invisible text
 * and scanned. Costs nothing unless the raw file names a crop box smaller than a media box.
 */
ts_status ts_pdf_cropped_text(ts_doc *doc, const ts_input *in, PopplerDocument *pd, int npages);

/*
 * Feed the diagram verdict (detect/checks.h) from one page (pdf_shapes.c): labels inside boxes
 * or beside icons become shapes, lines joining two of them connectors. `text` is
 * poppler_page_get_text(page). Pages whose text names fewer than two devices or security
 * elements cost a walk over the text. TS_ENOMEM or TS_OK.
 */
ts_status ts_pdf_page_shapes(ts_doc *doc, PopplerPage *page, unsigned no, const char *text,
                             size_t len);

/*
 * The tables of a page, found from where its characters stand (pdf_tables.c), and the text to
 * hand to detection with them. `text` is poppler_page_get_text(page) and `body` the same bytes
 * with hidden runs blanked (or `text` itself). out->text is `body`, or a copy where each table
 * is written row by row (cells in column order, a TAB before each next column, one row a line)
 * where its first character was, its characters taken from where poppler had them (poppler reads
 * many tables column by column), and with a space between characters poppler ran together; the
 * rest keeps poppler's order. out->fields are its table cells with their column headers and row
 * labels, and its rows under their header row (ts_doc_text_fields), labels pointing into
 * out->text. Both live in `*scratch` (made on first use, reused page after page, freed with
 * ts_pdf_tables_free) until the next call. A page over the bound on characters or lines has no
 * fields. TS_ENOMEM or TS_OK.
 */
typedef struct ts_pdf_tables ts_pdf_tables;
typedef struct ts_pdf_cells {
    const char *text;
    size_t len;
    const ts_field *fields;
    size_t nfields;
    const ts_pdf_tables *map; /* where the page text's bytes went (NULL: text is body) */
} ts_pdf_cells;
ts_status ts_pdf_page_cells(ts_pdf_cells *out, ts_pdf_tables **scratch, PopplerPage *page,
                            const char *text, const char *body, size_t len);
/* Where byte `at` of the page text is in cells->text (a byte left out: where it would be). */
size_t ts_pdf_cells_at(const ts_pdf_cells *cells, size_t at);
void ts_pdf_tables_free(ts_pdf_tables *t);

/*
 * Read a page that is only a picture with OCR (pdf_ocr.c): rendered in gray at TS_OCR_DPI
 * (bounded) into `canvas`, its text handed over at where = ocr, page `no`. False when the page
 * could not be rendered; TS_ENOMEM goes to *st.
 */
bool ts_pdf_ocr_page(ts_ocr *o, PopplerPage *page, unsigned no, ts_pdf_canvas *canvas,
                     ts_ocr_result *res, ts_status *st);

#endif /* TS_EXTRACT_PDF_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the office extractors: batched text with exact locations, people and paths, rules. */
#ifndef TS_EXTRACT_OFFICE_H
#define TS_EXTRACT_OFFICE_H

#include <stdbool.h>
#include <stddef.h>

#include "extract/extract.h"

/*
 * A text sink gathers the text of one place (a part, a sheet) into batches of about 64 KiB and
 * hands each batch to detection in one ts_doc_text call, because a call per paragraph or per cell
 * costs more than the text itself on big documents. What a batch loses it keeps on the side and
 * puts back on the findings it produced:
 *   - marks: where a paragraph, row or cell starts (line = paragraph or row number, and the cell
 *     reference, so a finding's part becomes "Ark1!B7");
 *   - ranges: spans whose place is more hidden than the sink's own (a tracked deletion or hidden
 *     text inside a paragraph); a finding overlapping one takes that place.
 * With `only_ranges`, findings outside every range are dropped: the sink then re-reads text that
 * another sink already scanned (a paragraph as it was before its tracked deletions) only for
 * what lies inside the ranges.
 */
typedef struct ts_tsink_mark {
    size_t off;
    unsigned long line;
    char ref[12]; /* "XFD1048576" at most; "" when none */
} ts_tsink_mark;

typedef struct ts_tsink_range {
    size_t start, end;
    ts_where where;
} ts_tsink_range;

/* A cell of the open table gathered in the current batch (text [start, end) of the batch). */
typedef struct ts_tsink_tcell {
    size_t start, end;
    unsigned long col;
    size_t label_start, label_end; /* the row's label (its column-0 cell), empty when none */
    bool header_row;               /* a cell of the table's header row */
    unsigned char gen;             /* the header it stands under (ts_tsink_table_state.gens) */
} ts_tsink_tcell;

#define TS_TSINK_GENS 8u /* tables of one sheet whose headers one batch keeps apart */

/* A table's header row: its text by column (NULL where none) and its cells joined by " | ". A
 * header a later table of the same sheet replaced in the current batch is kept until the batch's
 * cells under it are flushed. */
typedef struct ts_tsink_header {
    char **hdr;
    size_t nhdr;
    char *hdr_line;
} ts_tsink_header;

/* The table a sink is gathering (ts_tsink_table): its header row outlives the batches. */
typedef struct ts_tsink_table_state {
    bool open;
    bool header_done;    /* the header row was chosen, or the table has none */
    unsigned rows;       /* rows finished so far */
    ts_tsink_header hdr; /* the current header row (none yet: all empty), owned */
    size_t *rows_at;     /* this batch: [start, end, header generation] of each data row */
    size_t nrows_at, cap_rows_at;
    ts_tsink_header gens[TS_TSINK_GENS]; /* replaced headers of this batch, by generation */
    unsigned char ngen;                  /* how many; the current header is generation ngen */
    ts_tsink_tcell *cells;               /* this batch's cells */
    size_t ncells, cap_cells;
    size_t row_first;       /* index in cells of the current row's first cell */
    bool cell_open;         /* cells[ncells - 1] is still taking text */
    unsigned long last_row; /* the row number of the last cell */
    bool after_gap;         /* the current row follows an empty row of a sheet */
    bool after_title;       /* … or a title alone in column A under a table */
} ts_tsink_table_state;

typedef struct ts_tsink {
    ts_doc *doc;
    ts_where where;
    unsigned page;
    const char *part; /* borrowed: must live until the next flush */
    bool only_ranges;
    char *buf;
    size_t len, cap;
    ts_tsink_mark *marks;
    size_t nmarks, cap_marks;
    ts_tsink_range *ranges;
    size_t nranges, cap_ranges;
    ts_tsink_table_state table;
    bool fresh;          /* nothing written on the current line yet */
    bool sheet_rows;     /* rows are a sheet's numbers: a skipped number is an empty row */
    ts_status st;        /* first out-of-memory, sticky */
    char where_buf[300]; /* "<part>!<cell>" of the finding being placed */
} ts_tsink;

/** Start a sink for text at `where` in `part` (borrowed), page 0. */
TS_HOST void ts_tsink_init(ts_tsink *s, ts_doc *doc, ts_where where, const char *part);
/** Flush and free the sink; returns its sticky status (TS_OK or TS_ENOMEM). */
TS_HOST ts_status ts_tsink_dispose(ts_tsink *s);
/** Move the sink to another place; what was gathered for the old one is flushed first. */
TS_HOST void ts_tsink_place(ts_tsink *s, ts_where where, const char *part, unsigned page);
/** A new paragraph or row starts: '\n' unless at the start, and a mark with its line number.
 *  It ends an open cell: a cell with several paragraphs puts them on its line with
 *  ts_tsink_put(" "). */
TS_HOST void ts_tsink_line(ts_tsink *s, unsigned long line);
/**
 * A table starts (an open one ends first): the cells that follow (ts_tsink_cell) are its cells
 * until ts_tsink_table_end. Its first row with two or more non-empty cells that all look like
 * labels ("Bruker", "Passord", "IP-adresse") is taken as its header row. Every other cell is
 * handed to detection with its column's header and its row's label (the text of its column-0
 * cell), so rules can judge a value by what the table says it is (DESIGN §8 `header`).
 */
TS_HOST void ts_tsink_table(ts_tsink *s);
/** The open table ends (ts_tsink_dispose ends it too). */
TS_HOST void ts_tsink_table_end(ts_tsink *s);
/**
 * A new cell starts at column `col` (0-based) of a row: '\t' (or a new line for a new row) and
 * a mark with the line number `row` and the reference `ref` ("B7", or NULL). A cell outside an
 * open table starts one. A cell's text stays on one line.
 */
TS_HOST void ts_tsink_cell(ts_tsink *s, unsigned long row, unsigned long col, const char *ref,
                           bool new_row);
/** Append text found at `where` (the sink's own place or a more hidden one). */
TS_HOST void ts_tsink_put(ts_tsink *s, const char *text, size_t len, ts_where where);
/** Hand what was gathered to detection now. */
TS_HOST ts_status ts_tsink_flush(ts_tsink *s);
/** Bytes gathered on the current line so far (0 right after ts_tsink_line). */
size_t ts_tsink_line_len(const ts_tsink *s);

/** A spreadsheet cell reference: column 2, row 7 → "B7" (columns up to XFD). */
TS_HOST void ts_office_cell_ref(char *out, size_t cap, unsigned long col, unsigned long row);

/**
 * Does a person's name look like a login (olanor, ola.nordmann@x.no, KOMMUNE\\olanor,
 * on1234) rather than a plain name (Kari Nordmann, Jeff)? Empty and placeholder names are
 * neither: ts_office_person ignores them.
 */
bool ts_office_is_login(const char *name);
/**
 * Flag a person named in a document: a login with `login_rule` (medium), a plain name with
 * metadata.author (low). `role` says who the person is ("last modified by") and goes into the
 * detail. Placeholder names ("Author", "Windows User") and empty ones are skipped.
 */
TS_HOST ts_status ts_office_person(ts_doc *doc, const ts_loc *loc, const char *name,
                                   const char *role, const char *login_rule);
/**
 * Flag every local absolute path in `text` (C:\\…, file:///C:/…, /home/…, /Users/…) with
 * metadata.user-path; `what` says where the path was found ("attached template").
 */
TS_HOST ts_status ts_office_paths(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                                  const char *what);

/**
 * One document property under its OOXML name (docProps; ole.c maps the OLE summary information
 * to these names): creator → author, lastModifiedBy → last modified by (login-like names and
 * paths rate higher), Company and Manager, a Template other than Normal; every value is also
 * looked at for local paths. Other names only get the path check.
 */
TS_HOST ts_status ts_office_property(ts_doc *doc, const ts_loc *loc, const char *name,
                                     const char *v);

/* A growable string for values gathered from several text pieces; stops growing at `max`. */
typedef struct ts_sbuf {
    char *p;
    size_t len, cap;
    size_t max; /* 0 = 4 MiB */
    bool oom;
} ts_sbuf;

/** Append (bytes past the maximum are dropped); out-of-memory sets `oom`. */
TS_HOST void ts_sbuf_put(ts_sbuf *b, const char *s, size_t n);
/** The text so far, NUL-terminated ("" when empty or out of memory); valid until the next put. */
TS_HOST const char *ts_sbuf_str(ts_sbuf *b);
/** The text with white space at both ends removed, NUL-terminated, in place. */
TS_HOST const char *ts_sbuf_trim(ts_sbuf *b);
TS_HOST void ts_sbuf_clear(ts_sbuf *b);
TS_HOST void ts_sbuf_free(ts_sbuf *b);

/* People counted by name: comment authors, authors of tracked changes. */
typedef struct ts_tally_row {
    char *name;
    size_t count[2]; /* e.g. deletions and insertions */
} ts_tally_row;

typedef struct ts_tally {
    ts_tally_row *v;
    size_t n, cap;
} ts_tally;

/** Count one more for `name` (len bytes) in column `which` (0 or 1). TS_ENOMEM or TS_OK. */
TS_HOST ts_status ts_tally_add(ts_tally *t, const char *name, size_t len, int which);
TS_HOST void ts_tally_free(ts_tally *t);

/**
 * Raise hidden.tracked-change per revision author ("2 deletions and 1 insertion by olanor") and
 * hidden.comment per comment author, and flag each author as a person (ts_office_person).
 * Either tally may be empty. `part` names where the revisions are.
 */
TS_HOST ts_status ts_office_flag_people(ts_doc *doc, const char *part, const ts_tally *revisions,
                                        const ts_tally *comments);

/** The structural rules every office extractor raises, ending with a {NULL} row. */
extern const struct ts_builtin_rule ts_office_rules[];

#endif /* TS_EXTRACT_OFFICE_H */

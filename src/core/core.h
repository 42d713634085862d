/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal model shared by extractors, detectors, risk and reporters: documents, findings, input.
 */
#ifndef TS_CORE_CORE_H
#define TS_CORE_CORE_H

#include "tenderscan.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/msg.h"
#include "core/type.h"

/* Where a piece of text sits; `part` is borrowed (copied only when a finding needs it). */
typedef struct ts_loc {
    ts_where where;
    unsigned page;      /* 1-based page/slide/sheet, 0 = none */
    const char *part;   /* part, sheet, layer name …, or NULL */
    unsigned long line; /* line number of the first line of the text, 0 = lines not tracked */
} ts_loc;

/* A simple bump allocator whose blocks die with the document. */
typedef struct ts_arena_block ts_arena_block;
typedef struct ts_arena {
    ts_arena_block *head;
} ts_arena;

struct ts_finding {
    const ts_rule *rule;
    ts_category category;
    ts_severity severity;
    char *value;
    char fingerprint[65];
    char *ctx_before;
    char *ctx_after;
    char *detail;
    ts_where where;
    unsigned page;
    char *part;
    unsigned long line;
    uint64_t order; /* segment number << 32 | byte offset: document order for sorting */
};

/* A part of a document's path that holds a secret found in a name: masked when shown. */
typedef struct ts_hide {
    size_t start, end; /* bytes [start, end) of the path */
    char tag[7];       /* first hex digits of the finding's fingerprint: keeps masked paths apart */
} ts_hide;

/* A reason the risk model gives for a grade, in both languages. */
typedef struct ts_reason {
    char *text[2];
} ts_reason;

struct ts_doc {
    const ts_ctx *ctx;
    ts_arena arena;
    char *path;
    size_t name_off; /* where the document's own name starts in path (after '/' or "outer!") */
    ts_hide *hides;  /* parts of path that hold secrets (its own name's and its parents') */
    size_t nhides, cap_hides;
    const char *format;
    const char *container; /* format of the document this one sits in; NULL at the top */
    uint64_t bytes;
    char sha256[65];
    bool has_sha256;
    char fp_key_id[17]; /* ts_doc_fingerprint_key_id; "" when not known */
    unsigned depth;
    uint64_t *unpacked; /* bytes inflated so far under the top-level document (shared) */

    ts_status err;
    char *err_detail;                /* English detail after the localised status text */
    char *err_detail_nb;             /* its Norwegian, or NULL: the English one serves both */
    char *err_text_en, *err_text_nb; /* built on first use */

    ts_finding **findings;
    size_t nfindings, cap_findings;
    size_t ignored;
    size_t dropped; /* findings over limits.max_findings */

    ts_reason *reasons;
    size_t nreasons, cap_reasons;

    ts_doc **children;
    size_t nchildren, cap_children;

    ts_grade own_grade, grade;
    int own_score, score;

    uint32_t segments; /* texts handed to detection so far */
    void *scratch;     /* detection scratch (match data), owned by detect/ */

    /* drawing signals for the diagram verdict (detect/checks.h): in the arena, NULL until an
     * extractor reports a shape, a connector or a page name */
    struct ts_signals *signals;
};

/* What an extractor reads: the whole content, mapped or in memory. */
typedef struct ts_input {
    const unsigned char *data;
    size_t len;
    ts_type type;
    bool mapped; /* data is a file mapping: ts_input_release may drop pages */
} ts_input;

/* Tell the kernel that bytes [off, off+len) will not be read again (keeps RSS flat on big files).
 */
void ts_input_release(const ts_input *in, size_t off, size_t len);

/* Arena-backed allocation for everything a document owns. NULL on out-of-memory. */
TS_HOST void *ts_doc_alloc(ts_doc *doc, size_t size);
TS_HOST char *ts_doc_strndup(ts_doc *doc, const char *s, size_t len);
TS_HOST char *ts_doc_strdup(ts_doc *doc, const char *s);
TS_HOST char *ts_doc_printf(ts_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

TS_HOST const ts_limits *ts_doc_limits(const ts_doc *doc);

/*
 * Record why a document could not be read completely: grade error. The first failure wins.
 * `fmt` is a short English detail ("page 3: broken xref"); the status text before it is localised.
 */
TS_HOST void ts_doc_fail(ts_doc *doc, ts_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Like ts_doc_fail, with the detail in both languages: `id` names a pair of printf templates in
 * msg.c (TS_MSG_FAIL_*) that take the same arguments.
 */
TS_HOST void ts_doc_fail_msg(ts_doc *doc, ts_status st, ts_msg_id id, ...);
/* Like ts_doc_fail with finished details (copied): `en`, and `nb` (NULL: `en` serves both). */
TS_HOST void ts_doc_fail_text(ts_doc *doc, ts_status st, const char *en, const char *nb);

/*
 * Hand extracted text to detection. `text` need not be valid UTF-8 (invalid bytes are read as
 * Windows-1252) and need not be NUL-terminated; it is not kept. Returns TS_ENOMEM only.
 */
TS_HOST ts_status ts_doc_text(ts_doc *doc, const ts_loc *loc, const char *text, size_t len);

/*
 * Like ts_doc_text, for a text that batches many places (cells, paragraphs, tracked changes):
 * before each finding is added, `place` gets the value's byte span [start, end) in `text` and may
 * rewrite *loc (a `part` it sets must stay valid until place returns; it is copied). Returning
 * false drops the finding. Offsets are exact when `text` is valid UTF-8 (as XML parsers give it);
 * invalid bytes are re-encoded and may shift them.
 */
typedef bool (*ts_place_fn)(void *payload, size_t start, size_t end, ts_loc *loc);
ts_status ts_doc_text_placed(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                             ts_place_fn place, void *payload);

/*
 * A labelled value in a text handed to detection: a table cell with its column header or its
 * row label, or the value of a "label: value" pair. The value is the span [start, end) of the
 * text; the label is borrowed for the call (it may lie outside the text: a header row handed
 * over in an earlier batch). Rules with `header` words look at the value when its label holds
 * one of their words (DESIGN §8): a value under "Passord" is judged as a password.
 */
typedef struct ts_field {
    size_t start, end;
    const char *label;
    size_t label_len;
    unsigned flags; /* TS_FIELD_* */
} ts_field;

#define TS_FIELD_CELL 1u   /* a table cell (the whole cell is the value) */
#define TS_FIELD_HEADER 2u /* the label is the column's header (else the row's label or a key) */
#define TS_FIELD_ROW 4u    /* a whole table row; the label is the table's header row */

/*
 * Like ts_doc_text_placed, with the table structure of the text: each field is a cell of it
 * with its label. The engine finds "label: value" pairs and tab-separated tables by itself;
 * extractors that know the real structure (Word, spreadsheet and PDF tables) say it here, and
 * the text's own tab tables are then not guessed. Offsets are exact only for valid UTF-8 (as for
 * `place`): fields of a text that had to be re-encoded are dropped.
 */
TS_HOST ts_status ts_doc_text_fields(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                                     const ts_field *fields, size_t nfields, ts_place_fn place,
                                     void *payload);

/*
 * Add a finding of a built-in structural rule (rule id from detect/builtin.c), e.g. a comment,
 * a hidden sheet or a metadata author. `value` is the thing itself (author, layer name, path),
 * `detail` an optional human note ("3 comments"). Ignored fingerprints are honoured.
 */
TS_HOST ts_status ts_doc_flag(ts_doc *doc, const char *rule_id, const ts_loc *loc,
                              const char *value, const char *detail);

/* Add a finding (used by the engine). Takes copies of all strings. */
ts_status ts_doc_add_finding(ts_doc *doc, const ts_rule *rule, ts_severity sev, const ts_loc *loc,
                             const char *value, size_t value_len, const char *before,
                             size_t before_len, const char *after, size_t after_len,
                             const char *detail, uint64_t order);

/*
 * Scan `data` as a child document named `name` (path becomes `parent!name`). The child's own
 * failures land on the child. Returns TS_ENOMEM only. Over max_depth the child gets grade error.
 */
TS_HOST ts_status ts_doc_child(ts_doc *doc, const char *name, const void *data, size_t len);
/*
 * ts_doc_child in two steps, for a container that must know the child before it reads its
 * bytes (so that a member it cannot read is a document of its own, named and graded error):
 * open creates the child (path, name scanned; *out borrowed from doc, NULL on failure) and read
 * scans `data` into it and grades it; a child that failed in between is graded as it is.
 * Both return TS_ENOMEM only.
 */
TS_HOST ts_status ts_doc_child_open(ts_doc *doc, const char *name, ts_doc **out);
TS_HOST ts_status ts_doc_child_read(ts_doc *child, const void *data, size_t len);

/*
 * A child `name` of `doc` that could not be read at all (an encrypted attachment): grade error
 * with the status `why` and the detail `id` (a TS_MSG_FAIL_* without arguments). TS_ENOMEM only.
 */
TS_HOST ts_status ts_doc_child_unread(ts_doc *doc, const char *name, ts_status why, ts_msg_id id);

/* Count inflated bytes against limits.max_unpacked_bytes; TS_ELIMIT when over (and fails doc). */
TS_HOST ts_status ts_doc_count_unpacked(ts_doc *doc, uint64_t bytes);
/*
 * Count text that one stored piece becomes again and again (a shared string that many cells
 * use) against the same limit, at the point of expansion, so that 12,000 uses of a 1 MB string
 * are 12 GB that never get made. TS_ELIMIT when over (the document fails: "expands to more
 * than N bytes of text"); the caller stops expanding and keeps what it read.
 */
TS_HOST ts_status ts_doc_count_expanded(ts_doc *doc, uint64_t bytes);

/*
 * `text` (NULL reads as "") with every credential value found in `doc` replaced by its mask
 * (ts_mask): for text shown beside the values, such as a finding's context or an error message
 * naming a member. A ts_malloc'd string, or NULL on out-of-memory.
 */
char *ts_doc_mask_values(const ts_doc *doc, const char *text);
/* The same with only the credentials found in names: `doc`'s own and its children's. */
char *ts_doc_mask_names(const ts_doc *doc, const char *text);

/* Create an empty document (scan.c fills it). */
ts_status ts_doc_create(ts_doc **out, const ts_ctx *ctx, const char *path, unsigned depth,
                        uint64_t *unpacked);
/* Fill zero fields of limits with the defaults. */
void ts_limits_fill(ts_limits *l);

/* Hex of a SHA-256 over data (out: 65 bytes). */
void ts_sha256_hex(const void *data, size_t len, char out[65]);

/* Value of a hexadecimal digit (0-9, a-f, A-F), or -1. */
int ts_hex_digit(unsigned char c);

/* Length of the well-formed UTF-8 sequence at p (no overlongs, surrogates or > U+10FFFF),
 * 0 when the bytes there do not form one. */
size_t ts_utf8_seq(const unsigned char *p, size_t avail);
/* Write code point cp (<= U+10FFFF) as UTF-8 into o (room for 4 bytes); returns its length. */
TS_HOST size_t ts_utf8_put(unsigned char *o, uint32_t cp);

/* Is the well-formed UTF-8 character at s (k bytes) one that changes the terminal or the reading
 * rather than showing up: C0 and C1 controls, DEL, bidi overrides and isolates? */
TS_HOST bool ts_utf8_is_unsafe(const unsigned char *s, size_t k);

/* Map an offset in the text ts_utf8_clean made of raw[0, len) back to the offset in raw. */
size_t ts_utf8_clean_origin(const char *raw, size_t len, size_t clean_off);

/*
 * Paths as reports show them (core/path.c). ts_path_render returns doc->path from byte `from`
 * in a ts_malloc'd string (NULL on out-of-memory): secrets masked unless TS_PATH_SECRETS, bytes
 * escaped (\xE6) unless TS_PATH_RAW.
 */
#define TS_PATH_SECRETS 1u
#define TS_PATH_RAW 2u
char *ts_path_render(const ts_doc *doc, size_t from, unsigned flags);
/* Escape a path without masking (ts_path_escape) into a ts_malloc'd string; NULL on ENOMEM. */
char *ts_path_escape_dup(const char *path);
/* Undo the escaping of a shown path in place (a shown path read back); returns its new length. */
size_t ts_path_unescape(char *s);
/* Mark path bytes [start, end) as a secret, tagged with the finding's fingerprint. TS_ENOMEM. */
ts_status ts_doc_hide(ts_doc *doc, size_t start, size_t end, const char *fingerprint);
/* Give `to` the hidden parts of `from` (a child's path starts with its parent's). TS_ENOMEM. */
ts_status ts_doc_hides_copy(ts_doc *to, const ts_doc *from);

/* Narrow [*start, *end) of t past blanks (space, tab, CR, LF) at both ends. */
TS_HOST void ts_span_trim(const char *t, size_t *start, size_t *end);
/* Lowercase n bytes of UTF-8 from s into o (n bytes): ASCII and the two-byte Latin-1 capitals
 * (Æ Ø Å É …, not ×); a fold keeps every byte's place. */
TS_HOST void ts_fold_latin1(char *o, const char *s, size_t n);

/* Does this text look like a label (a column header, a row label, the text before a colon):
 * short, a few words, mostly letters? "Passord", "IP-adresse", "WPA2-nøkkel" do; "Fjord2024!",
 * "10.20.1.1" and sentences do not. */
TS_HOST bool ts_label_like(const char *s, size_t len);

/* How much of a table row's first cell labels the row: all of it when it is label-like, else
 * its words before a bracket or a comma when those are ("API token for the booking integration
 * (read-only, prod)" is labelled by "API token for the booking integration"); 0 when no part is
 * (a long name, "Higher Ed Loan Auth St of MO 99LL", is no label). Leading blanks count. */
TS_HOST size_t ts_row_label_len(const char *s, size_t len);

/* The charsets a text file may mix (PowerShell's Out-File -Append adds ASCII to UTF-16). */
typedef enum ts_charset {
    TS_CHARSET_8BIT = 0, /* UTF-8, or Windows-1252 where it is not UTF-8 */
    TS_CHARSET_UTF16LE,
    TS_CHARSET_UTF16BE
} ts_charset;

/*
 * Where the run of `cs` text that starts at d[off] ends: the offset where the bytes turn to
 * another charset (*next gets it), or `len` (*next = cs). 8-bit text turns to UTF-16 where four
 * code units of Latin text start; UTF-16 turns to 8-bit where 16 bytes of ASCII text start (the
 * last 4 to 15 bytes of the text will do), or to the other byte order. A run may be empty.
 */
size_t ts_charset_run(const unsigned char *d, size_t len, size_t off, ts_charset cs,
                      ts_charset *next);
/* Is c a byte Latin-1 text is made of: printable (no C1 control), tab, LF, CR or FF? */
bool ts_charset_text_byte(unsigned char c);
/* Are nine in ten of the code units of d[0, len) Latin-1 text in this byte order? */
bool ts_charset_texty16(const unsigned char *d, size_t len, bool big_endian);

/* Fix text to valid UTF-8 (invalid bytes read as Windows-1252, NUL and C0 controls except
 * tab/CR/LF become spaces). Returns a buffer owned by the caller via *out (or `text` itself
 * when it was already clean: *owned is then false). */
ts_status ts_utf8_clean(const char *text, size_t len, char **out, size_t *out_len, bool *owned);

#endif /* TS_CORE_CORE_H */

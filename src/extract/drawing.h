/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the drawing extractors: their structural rules, draw.io reading, decoding helpers. */
#ifndef TS_EXTRACT_DRAWING_H
#define TS_EXTRACT_DRAWING_H

#include <stdbool.h>
#include <stddef.h>

#include "extract/extract.h"

/**
 * The structural rules of the drawing and image extractors (hidden layers, last saved by, DWG
 * not read, GPS position, camera owner …) and of the drawing verdict (detect/checks.h), ending
 * with a {NULL} row. Every drawing extractor points its `rules` here.
 */
extern const struct ts_builtin_rule ts_drawing_rules[];

/**
 * Read a draw.io document held in memory: an `mxfile` with plain or compressed diagrams, or a
 * bare `mxGraphModel`. Used by the draw.io extractor, for a diagram embedded in an SVG export
 * (the root's `content` attribute) and in a PNG export (its "mxfile" text chunk). `name` names
 * the source in failures. Document problems are recorded on `doc`; returns TS_ENOMEM or TS_OK.
 */
ts_status ts_drawio_read(ts_doc *doc, const char *name, const char *xml, size_t len);

/**
 * Inflate `len` bytes of zlib (`raw` false) or raw deflate (`raw` true) data into a ts_malloc'd
 * buffer with a NUL after the last byte (free with ts_free). The output counts against
 * limits.max_unpacked_bytes and may not exceed limits.max_ratio times the input (nor `cap`
 * bytes when `cap` is not 0): over a limit fails `doc` with TS_ELIMIT, damaged data with
 * TS_ECORRUPT, naming `what`; *out is then NULL and that status is returned. TS_ENOMEM too.
 */
ts_status ts_drawing_inflate(ts_doc *doc, const char *what, const unsigned char *in, size_t len,
                             bool raw, size_t cap, unsigned char **out, size_t *out_len);

/**
 * Decode base64 (RFC 4648 §4; white space skipped, decoding stops at '=' or at any other
 * character) from `in` into `out`, which must hold len / 4 * 3 + 3 bytes. Returns the number of
 * bytes written.
 */
size_t ts_drawing_base64(const char *in, size_t len, unsigned char *out);

/**
 * Flag each person named in `text`, one per line (RDF lists: dc:creator of SVG and XMP), with
 * ts_office_person (a login: metadata.user-name; a plain name: metadata.author). `role` goes
 * into the detail. Returns TS_ENOMEM or TS_OK.
 */
ts_status ts_drawing_people(ts_doc *doc, const ts_loc *loc, const char *text, const char *role);

/** Decode %XX escapes in place (as decodeURIComponent does); returns the new length. */
size_t ts_drawing_urldecode(char *s, size_t len);

/**
 * Turn an HTML label into text: tags dropped (a line break for <br>, <div>, <p>, <li>, <tr>),
 * character references and the usual named entities decoded. `out` must hold `len` bytes (the
 * text never grows); returns its length.
 */
size_t ts_drawing_html_text(const char *in, size_t len, char *out);

#endif /* TS_EXTRACT_DRAWING_H */

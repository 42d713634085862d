/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Safe read access to ZIP containers (Office, OpenDocument, plain ZIP) on libzip, limits first. */
#ifndef TS_EXTRACT_ZIPREAD_H
#define TS_EXTRACT_ZIPREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* No such member (ts_zip_find). */
#define TS_ZIP_NONE SIZE_MAX

typedef struct ts_zip ts_zip;
typedef struct ts_zip_stream ts_zip_stream;

/**
 * Open the ZIP held in `in` (borrowed, not copied; it must outlive the ts_zip). A container that
 * libzip cannot open fails `doc` with TS_ECORRUPT and returns TS_ECORRUPT (*out stays NULL).
 * More entries than limits.max_items: `doc` fails with TS_ELIMIT, the first max_items are kept
 * and TS_OK is returned, so the caller still reads what it can. TS_ENOMEM on out-of-memory.
 */
ts_status ts_zip_open(ts_zip **out, ts_doc *doc, const ts_input *in);
/** Free a container opened with ts_zip_open; NULL is a no-op. */
void ts_zip_close(ts_zip *z);

/** Number of entries that may be looked at (at most limits.max_items). */
size_t ts_zip_count(const ts_zip *z);
/** Name of entry i as UTF-8 (CP437 names converted), borrowed from z; NULL when unreadable. */
const char *ts_zip_name(const ts_zip *z, size_t i);
/** Declared uncompressed size of entry i (0 when unknown). */
uint64_t ts_zip_size(const ts_zip *z, size_t i);
/** Is entry i a folder ("name/")? */
bool ts_zip_is_dir(const ts_zip *z, size_t i);

/**
 * Index of the member called `name`, compared without ASCII case as OPC part names are
 * (ECMA-376-2 §9.1.1.1.2); a leading '/' is ignored. TS_ZIP_NONE when there is none.
 */
size_t ts_zip_find(const ts_zip *z, const char *name);

/**
 * Read member i whole into a ts_malloc'd buffer with a NUL after the last byte (free with
 * ts_free). The limits are checked before anything is inflated: an encrypted member
 * (TS_EENCRYPTED), a declared size over what is left of limits.max_unpacked_bytes or a
 * compression ratio over limits.max_ratio (TS_ELIMIT), and a member that inflates to more or
 * fewer bytes than it declares or fails its CRC (TS_ECORRUPT) fail `doc` and return that status
 * with *out NULL. TS_ENOMEM on out-of-memory.
 */
ts_status ts_zip_read(ts_zip *z, size_t i, unsigned char **out, size_t *len);

/**
 * Open member i for reading in pieces, with the same checks as ts_zip_read done first.
 * Free with ts_zip_stream_close.
 */
ts_status ts_zip_stream_open(ts_zip *z, size_t i, ts_zip_stream **out);
/**
 * Read up to `cap` bytes; returns the number read, 0 at the end, -1 on an error (the document
 * has then failed: corrupt data, CRC, or more bytes than declared).
 */
long ts_zip_stream_read(ts_zip_stream *s, void *buf, size_t cap);
/** Close a stream; NULL is a no-op. A stream closed before its end is not an error. */
void ts_zip_stream_close(ts_zip_stream *s);

/** The document the container reports to. */
ts_doc *ts_zip_doc(const ts_zip *z);
/**
 * Make `doc` the document that the failures of later reads are recorded on (a member read as a
 * child: its own failure lands on it). It must share the container's count of unpacked bytes.
 */
void ts_zip_set_doc(ts_zip *z, ts_doc *doc);

/**
 * May `name` name a child document? Not when it is absolute ("/x", "C:x", "\\x"), has a ".."
 * segment (with '/' or '\\'), is empty or ends in '/'.
 */
TS_HOST bool ts_zip_name_safe(const char *name);

#endif /* TS_EXTRACT_ZIPREAD_H */

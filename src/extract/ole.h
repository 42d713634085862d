/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Legacy Office inside the OLE extractor: the binary formats, read from plain stream bytes. */
#ifndef TS_EXTRACT_OLE_H
#define TS_EXTRACT_OLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/office.h"

/*
 * ole.c opens the compound file (libgsf) and reads the streams; the readers below get their
 * bytes only, so no libgsf type leaves ole.c. Each reader records document problems with
 * ts_doc_fail (keeping what it read) and returns TS_ENOMEM or TS_OK.
 */

static inline uint16_t ts_ole_u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t ts_ole_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A stream's bytes (NULL, 0 when the stream is absent). */
typedef struct ts_ole_bytes {
    const unsigned char *p;
    size_t n;
} ts_ole_bytes;

/* A Windows-1252 byte as a Unicode code point. */
uint32_t ts_ole_cp1252(unsigned char c);
/* Append UTF-16LE code units (surrogate pairs joined, lone ones U+FFFD) as UTF-8 to a sink. */
void ts_ole_put_utf16(ts_tsink *s, const unsigned char *p, size_t units, ts_where where);
/* Append 8-bit text (Windows-1252, as Office writes "compressed" text) as UTF-8 to a sink. */
void ts_ole_put_cp1252(ts_tsink *s, const unsigned char *p, size_t n, ts_where where);
/* The same into a string buffer. */
void ts_ole_sbuf_utf16(ts_sbuf *b, const unsigned char *p, size_t units);
void ts_ole_sbuf_cp1252(ts_sbuf *b, const unsigned char *p, size_t n);

/*
 * An OLE Packager object (the native data of a "Package" OLE1 object, as found in an
 * \001Ole10Native stream after its size, and in RTF \objdata): 02 00, label\0, original path\0,
 * 00 00 03 00, u32 + temporary path, u32 + the file. Pointers go into `p`.
 */
typedef struct ts_ole_package {
    const char *label;
    size_t label_len;
    const char *path; /* where the file was when it was packaged: C:\Users\olanor\… */
    size_t path_len;
    const char *temp;
    size_t temp_len;
    const unsigned char *data;
    size_t len;
} ts_ole_package;

/* Parse a package; false when `p` does not hold one (then only the native data is known). */
TS_HOST bool ts_ole_package_parse(ts_ole_package *out, const unsigned char *p, size_t n);

/* Word 97-2003 (MS-DOC): the WordDocument stream and both table streams (either may be absent). */
ts_status ts_ole_word(ts_doc *doc, ts_ole_bytes wd, ts_ole_bytes table0, ts_ole_bytes table1);
/* Excel 97-2003 (BIFF8): the Workbook (or Book) stream. */
ts_status ts_ole_excel(ts_doc *doc, ts_ole_bytes book);
/* PowerPoint 97-2003: the "PowerPoint Document" stream. */
ts_status ts_ole_powerpoint(ts_doc *doc, ts_ole_bytes ppt);

#endif /* TS_EXTRACT_OLE_H */

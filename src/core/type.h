/* SPDX-License-Identifier: GPL-3.0-or-later */
/* File types, detected from content (magic bytes and container members), never from the name. */
#ifndef TS_CORE_TYPE_H
#define TS_CORE_TYPE_H

#include <stddef.h>

#include "core/alloc.h" /* TS_HOST */

typedef enum ts_type {
    TS_TYPE_NONE = 0, /* terminator in extractor type lists */
    TS_TYPE_EMPTY,    /* 0 bytes */
    TS_TYPE_UNKNOWN,  /* binary of no known kind */
    TS_TYPE_TEXT,     /* plain text, CSV, config, log, JSON, generic XML */
    TS_TYPE_PDF,
    TS_TYPE_DOCX,
    TS_TYPE_DOCM,
    TS_TYPE_XLSX,
    TS_TYPE_XLSM,
    TS_TYPE_PPTX,
    TS_TYPE_PPTM,
    TS_TYPE_VSDX,
    TS_TYPE_ODT,
    TS_TYPE_ODS,
    TS_TYPE_ODP,
    TS_TYPE_ODG,
    TS_TYPE_OLE, /* OLE2 compound file of unknown kind */
    TS_TYPE_DOC,
    TS_TYPE_XLS,
    TS_TYPE_PPT,
    TS_TYPE_VSD,
    TS_TYPE_OOXML_ENCRYPTED, /* OLE2 with EncryptionInfo: a password-protected OOXML file */
    TS_TYPE_RTF,
    TS_TYPE_DXF,
    TS_TYPE_DXF_BINARY,
    TS_TYPE_DWG,
    TS_TYPE_SVG,
    TS_TYPE_DRAWIO,
    TS_TYPE_IFC,
    TS_TYPE_IFCZIP,
    TS_TYPE_JPEG,
    TS_TYPE_PNG,
    TS_TYPE_TIFF,
    TS_TYPE_ZIP,
    TS_TYPE_XLSB,     /* Excel binary workbook (xl/workbook.bin): package read, cells not */
    TS_TYPE_DOC_OLD,  /* Word for Windows 1 or 2 (before the compound file): not read */
    TS_TYPE_XLS_OLD,  /* Excel 2, 3 or 4 worksheet (a bare BIFF stream): not read */
    TS_TYPE_COUNT_
} ts_type;

/* Detect the type of `len` bytes at `data`. Never fails: unknown binary is TS_TYPE_UNKNOWN. */
TS_HOST ts_type ts_type_detect(const unsigned char *data, size_t len);

/* UTF-16 without a byte order mark, told by its NUL bytes in the first 64 KiB:
 * 0 = not UTF-16, 1 = little-endian, 2 = big-endian. Type detection and the text extractor both
 * use it, so a file detected as text this way is also read as UTF-16. */
int ts_type_utf16_guess(const unsigned char *data, size_t len);

/* The format name shown in reports ("docx", "text", "unknown"); never NULL. */
TS_HOST const char *ts_type_name(ts_type t);

#endif /* TS_CORE_TYPE_H */

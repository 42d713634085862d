/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming XML parsing of container parts with libxml2's SAX2: no network, no entities, no DTD. */
#ifndef TS_EXTRACT_XMLREAD_H
#define TS_EXTRACT_XMLREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "extract/zipread.h"

typedef struct ts_xml ts_xml;

/**
 * Callbacks of one parse; any may be NULL. `local` is the element's local name and `uri` its
 * namespace (NULL when none), both NUL-terminated. `attrs` holds `nattr` attributes as libxml2's
 * SAX2 gives them (5 pointers each: local name, prefix, URI, value, end of value); read them
 * with ts_xml_attr. Text arrives in pieces of any size, already decoded to UTF-8.
 */
typedef struct ts_xml_handler {
    void (*start)(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                  const char **attrs);
    void (*end)(ts_xml *x, void *u, const char *local, const char *uri);
    void (*text)(ts_xml *x, void *u, const char *s, size_t len);
} ts_xml_handler;

/**
 * Parse zip member `idx` as it is inflated (memory stays flat whatever its size), with the
 * limits of ts_zip_stream_open checked first. Returns TS_OK, TS_ENOMEM, or the status the
 * document failed with: TS_ECORRUPT for XML that is not well-formed ("word/document.xml: line 3:
 * …"), or a limit. Parsing is without network access, without loading any DTD or external
 * entity, without entity substitution beyond the five predefined ones and character
 * references, and with libxml2's default depth and size limits (XML_PARSE_HUGE off).
 */
ts_status ts_xml_parse_zip(ts_zip *z, size_t idx, const ts_xml_handler *h, void *u);

/** The same over `len` bytes in memory; `name` names the part in failures. */
TS_HOST ts_status ts_xml_parse_memory(ts_doc *doc, const char *name, const char *data, size_t len,
                                      const ts_xml_handler *h, void *u);

/** Stop the parse from inside a callback; no further callbacks come. Not a failure. */
void ts_xml_stop(ts_xml *x);
/** Depth of the element being started or ended (the root element is 1). */
unsigned ts_xml_depth(const ts_xml *x);

/**
 * The value of attribute `local` (any namespace) among `attrs`: a pointer to its first byte and
 * its length in *len (not NUL-terminated), or NULL when absent.
 */
const char *ts_xml_attr(int nattr, const char **attrs, const char *local, size_t *len);
/** Is attribute `local` present and equal to `value`? */
bool ts_xml_attr_is(int nattr, const char **attrs, const char *local, const char *value);
/**
 * Copy attribute `local` into buf (at most cap-1 bytes, cut at a UTF-8 boundary, NUL-terminated).
 * Returns false (and buf = "") when absent.
 */
bool ts_xml_attr_copy(int nattr, const char **attrs, const char *local, char *buf, size_t cap);
/** Attribute `local` as a non-negative decimal number; `fallback` when absent or not a number. */
unsigned long ts_xml_attr_ulong(int nattr, const char **attrs, const char *local,
                                unsigned long fallback);
/**
 * An OOXML/ODF boolean attribute: true for "1", "true", "on" (ECMA-376-1 §22.9.2.7 ST_OnOff);
 * `missing` when the attribute is absent.
 */
bool ts_xml_attr_bool(int nattr, const char **attrs, const char *local, bool missing);

/** Prepare libxml2 once per process (call from an extractor's init, before threads start). */
TS_HOST ts_status ts_xml_init(void);

#endif /* TS_EXTRACT_XMLREAD_H */

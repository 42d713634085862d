/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Office Open XML inside the extractor: the package (parts, content types, relationships). */
#ifndef TS_EXTRACT_OOXML_H
#define TS_EXTRACT_OOXML_H

#include <stdbool.h>
#include <stddef.h>

#include "extract/office.h"
#include "extract/xmlread.h"
#include "extract/zipread.h"

/* One relationship of a part (ECMA-376-2 §9.3); strings live in the document's arena. */
typedef struct ts_opc_rel {
    const char *id;
    const char *type;   /* the last segment of the Type URI: "header", "hyperlink" … */
    const char *target; /* a part name from the package root, or the raw external target */
    bool external;
} ts_opc_rel;

typedef struct ts_opc_rels {
    ts_opc_rel *v;
    size_t n;
} ts_opc_rels;

/* An open package. */
typedef struct ts_opc {
    ts_doc *doc;
    ts_zip *z;
    const char **ctype; /* content type per zip entry (NULL when none) */
    bool *done;         /* per zip entry: read already */
    ts_tsink meta;      /* document properties and other metadata text */
    bool macros;        /* hidden.macros raised */
} ts_opc;

/** Skip a document failure (recorded on the document already) but not out-of-memory. */
static inline ts_status ts_opc_soft(ts_status st)
{
    return st == TS_ENOMEM ? TS_ENOMEM : TS_OK;
}

/** Zip index of a part name (leading '/' allowed), TS_ZIP_NONE when there is none. */
size_t ts_opc_part(const ts_opc *o, const char *name);
/** Relationships of `source` (a part name; "" for the package itself). None is not an error. */
ts_status ts_opc_rels_of(ts_opc *o, const char *source, ts_opc_rels *out);
/** The relationship with this id, or NULL. */
const ts_opc_rel *ts_opc_rel_id(const ts_opc_rels *r, const char *id, size_t idlen);
/** The first relationship of this type at or after *from (which moves past it), or NULL. */
const ts_opc_rel *ts_opc_rel_type(const ts_opc_rels *r, const char *type, size_t *from);
/** Parse a part with SAX callbacks and mark it read; failures are recorded on the document. */
ts_status ts_opc_parse(ts_opc *o, size_t idx, const ts_xml_handler *h, void *u);
/** All text of an XML part, one text node per line, at `where` (charts, SmartArt, shapes). */
ts_status ts_opc_generic(ts_opc *o, size_t idx, ts_where where);
/**
 * A document-properties part (docProps/core.xml, app.xml, custom.xml): every property as
 * "name: value" metadata text, and the people, company, template, paths and application as
 * findings (ts_office_property). A part read already or absent is skipped.
 */
ts_status ts_opc_props(ts_opc *o, const char *part);
/** Raise hidden.macros once. */
ts_status ts_opc_macros(ts_opc *o, const char *part);

/** The three families; `main` is the zip index of the main part. */
ts_status ts_docx_read(ts_opc *o, size_t main);
ts_status ts_xlsx_read(ts_opc *o, size_t main);
ts_status ts_pptx_read(ts_opc *o, size_t main);

#endif /* TS_EXTRACT_OOXML_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The extractor interface: one struct per format family, one table in extract.c. */
#ifndef TS_EXTRACT_EXTRACT_H
#define TS_EXTRACT_EXTRACT_H

#include "core/core.h"

#define TS_EXTRACT_CONTAINER 0x1u /* may emit child documents */
#define TS_EXTRACT_FALLBACK 0x2u  /* reads no format: only the strings of a file of no known type */

/*
 * A structural rule an extractor raises with ts_doc_flag ("hidden.comment", "metadata.author").
 * They become rules like any other: `tenderscan rules` lists them, `explain` explains them.
 */
struct ts_builtin_rule {
    const char *id;
    ts_category category;
    ts_severity severity;
    const char *title_en, *title_nb;
    const char *advice_en, *advice_nb;
};

struct ts_extractor {
    const char *name;     /* "text"; shown in --debug output */
    const ts_type *types; /* types it handles, ends with TS_TYPE_NONE */
    unsigned flags;
    ts_status (*init)(void); /* optional, once per process before any thread starts */
    /*
     * Read `in` and hand every text to ts_doc_text / ts_doc_flag / ts_doc_child.
     * Document problems go to ts_doc_fail (the return stays TS_OK); return an error only for
     * out-of-memory or a bug.
     */
    ts_status (*extract)(ts_doc *doc, const ts_input *in);
    /* structural rules this extractor raises, ending with a {NULL} row; NULL if none */
    const struct ts_builtin_rule *rules;
    /*
     * A reader with heavy libraries (poppler and cairo are 30 shared objects and ~7 ms of every
     * start) lives in a module, `tenderscan-<module>.so`, loaded by the first document of its
     * kind (src/extract/module.c); `extract` and `init` are then NULL and `linked` points at the
     * module's entry when the same code was linked into this program (tests, libtenderscan).
     */
    const char *module;
    const struct ts_module *linked;
};

/*
 * What a module exports under the symbol "ts_module_<name>". The module and the program must
 * come from the same build: `abi` and `version` are checked before anything else is used.
 */
#define TS_MODULE_ABI 2u
struct ts_ocr_ops;
struct ts_module {
    unsigned abi;            /* TS_MODULE_ABI */
    const char *version;     /* TS_VERSION */
    ts_status (*init)(void); /* optional, once, when loaded */
    ts_status (*extract)(ts_doc *doc, const ts_input *in);
    const struct ts_ocr_ops *ocr; /* the OCR module's engine (extract/ocr.h); NULL in others */
};

/* Run `ex` on `in`, loading its module first if it has one (thread-safe). */
ts_status ts_extractor_run(const struct ts_extractor *ex, ts_doc *doc, const ts_input *in);
/*
 * The module `name` of the document's context, loaded and started on first use (thread-safe);
 * `linked` is its entry when the program links it in (weak reference), else NULL. Returns NULL
 * with the reason in `why` when it cannot be loaded.
 */
const struct ts_module *ts_module_get(const ts_doc *doc, const char *name,
                                      const struct ts_module *linked, char *why, size_t size);
/* Loaded modules of a context: created with the context, unloaded with it. */
struct ts_modules *ts_modules_new(void);
void ts_modules_free(struct ts_modules *m);

/* The extractor for a type, or NULL when the type has none yet. */
TS_HOST const struct ts_extractor *ts_extractor_for(ts_type t);
/* Is `t` a format a reader reads (more than the strings of a file of no known type)? Containers
 * ask it before they hand an embedded blob over as a document of its own. */
TS_HOST bool ts_extractor_reads(ts_type t);
/* The i-th extractor of the table, NULL past the last. */
const struct ts_extractor *ts_extractor_at(size_t i);
/* Run every extractor's init once (idempotent, not thread-safe: call before threads). */
ts_status ts_extractors_init(void);

/*
 * Hand the printable strings of data[0, len) to detection, as `strings` finds them: runs of
 * printable ASCII (whole UTF-8 sequences included) and of Latin-1 text in UTF-16LE, each with
 * six characters other than white space at least. A finding's place is the byte where its
 * string starts, `base` + its offset ("byte 1234"). Returns TS_ENOMEM or TS_OK.
 */
#define TS_STRINGS_ASCII 1u
#define TS_STRINGS_UTF16LE 2u
ts_status ts_strings_scan(ts_doc *doc, const unsigned char *data, size_t len, size_t base,
                          unsigned which);

extern const struct ts_extractor ts_extractor_text;
extern const struct ts_extractor ts_extractor_strings;
extern const struct ts_extractor ts_extractor_ooxml;
extern const struct ts_extractor ts_extractor_zip;
extern const struct ts_extractor ts_extractor_odf;
extern const struct ts_extractor ts_extractor_rtf;
extern const struct ts_extractor ts_extractor_pdf;
extern const struct ts_extractor ts_extractor_drawio;
extern const struct ts_extractor ts_extractor_dxf;
extern const struct ts_extractor ts_extractor_ifc;
extern const struct ts_extractor ts_extractor_vsdx;
extern const struct ts_extractor ts_extractor_svg;
extern const struct ts_extractor ts_extractor_image;
extern const struct ts_extractor ts_extractor_dwg;
extern const struct ts_extractor ts_extractor_ole;

#endif /* TS_EXTRACT_EXTRACT_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test fixtures made with libzip: plain ZIPs, Office Open XML and OpenDocument packages. */
#ifndef FX_ZIP_H
#define FX_ZIP_H

#include <stddef.h>

#include "tenderscan.h"

/* A test's context with the default rules and a private folder (cmocka setup/teardown). */
typedef struct fx_env {
    ts_ctx *ctx;
    char *dir;
} fx_env;

int fx_env_setup(void **state);
int fx_env_teardown(void **state);
/* Scan a file with the environment's context; fails the test unless a document comes back. */
ts_doc *fx_scan(const fx_env *env, const char *path);

/*
 * One part of a package: its name, its bytes (`len` 0 = a NUL-terminated text), and for the
 * Office builders its content type and the type of the relationship from the main part
 * ("header", "worksheet" …; NULL = not related, e.g. a _rels part written by hand).
 */
/* A file of the public corpus and a rule it must raise at least `min` times. */
typedef struct fx_expect {
    const char *file; /* relative to TS_CORPUS_DIR */
    const char *rule;
    size_t min;
} fx_expect;

/* Scan each corpus file: the rule must be found as often as expected, and the file read whole. */
void fx_corpus_expect(const fx_env *env, const fx_expect *cases, size_t n);

typedef struct fx_part {
    const char *name;
    const char *data;
    size_t len;
    const char *content_type;
    const char *rel_type;
} fx_part;

/* Write the parts as a ZIP to dir/name (deflated; a part named "mimetype" stored, first).
 * Returns the malloc'd path; fails the test on error. */
char *fx_zip_write(const char *dir, const char *name, const fx_part *parts, size_t n);

typedef enum fx_kind { FX_DOCX, FX_XLSX, FX_PPTX } fx_kind;

/*
 * Write an Office package: [Content_Types].xml, _rels/.rels, docProps/core.xml (creator
 * `creator`, or none when NULL; no lastModifiedBy), the main part (word/document.xml,
 * xl/workbook.xml or ppt/presentation.xml) holding `main_xml`, and `extra` parts, each related
 * from the main part as rId1, rId2 … in order when it has a rel_type.
 */
char *fx_ooxml_write(const char *dir, const char *name, fx_kind kind, const char *main_xml,
                     const char *creator, const fx_part *extra, size_t nextra);

/* The body of a DOCX main part: `body` goes inside <w:body>, with the usual namespaces. */
char *fx_docx_main(const char *body);

/*
 * Write an OpenDocument package: mimetype (stored first), META-INF/manifest.xml, content.xml,
 * and meta.xml / styles.xml when not NULL.
 */
char *fx_odf_write(const char *dir, const char *name, const char *mimetype,
                   const char *content_xml, const char *meta_xml, const char *styles_xml);

#endif /* FX_ZIP_H */

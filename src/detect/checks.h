/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Structural checks: shapes and connectors reported by extractors become a drawing verdict. */
#ifndef TS_DETECT_CHECKS_H
#define TS_DETECT_CHECKS_H

#include <stddef.h>

#include "core/core.h"

/*
 * Extractors of drawings (and of pages, slides or drawings inside other documents) report what
 * they see per drawing or page; ts_checks_run turns it into a verdict at the end of extraction:
 *
 *   diagram.network               a page with network devices (labels or stencils such as
 *                                 firewall, switch, router, server) joined by connectors, or
 *                                 with addresses/VLANs found on the same page;
 *   facility.security-floor-plan  a drawing that marks security elements (server room,
 *                                 access-control readers, cameras, alarm panels, key boxes).
 *
 * A page is identified by loc->page (0 = the whole document, for formats without pages). The
 * signals live in the document's arena; nothing is kept of the labels but a count per kind and
 * the names of the first few joins.
 */

/**
 * Report one shape on page loc->page: its stencil or master name, its label, or both joined by
 * a space ("mxgraph.cisco.switches.workgroup_switch Kjernesvitsj 1"). Call once per shape.
 * Returns TS_ENOMEM or TS_OK.
 */
TS_HOST ts_status ts_doc_shape(ts_doc *doc, const ts_loc *loc, const char *label, size_t len);

/** Report `n` connectors (edges, connector shapes, lines joining shapes) on page loc->page. */
TS_HOST ts_status ts_doc_connectors(ts_doc *doc, const ts_loc *loc, size_t n);

/**
 * Report one connector on page loc->page that joins the shapes labelled `a` and `b` (their text,
 * or their stencil name when they have none). It counts as a connector (do not count it again
 * with ts_doc_connectors), and the verdict names the first joins between network elements
 * ("Brannmur - Kjernesvitsj 1"). Only each label's first line, up to 48 bytes, is kept.
 */
TS_HOST ts_status ts_doc_link(ts_doc *doc, const ts_loc *loc, const char *a, size_t alen,
                              const char *b, size_t blen);

/**
 * As ts_doc_shape, for a shape that connectors refer to by `id` (unique on its page: a draw.io
 * cell id, a Visio shape ID, a slide's cNvPr id). `name` is what a join calls it — its visible
 * text — or NULL for `label`.
 */
TS_HOST ts_status ts_doc_shape_id(ts_doc *doc, const ts_loc *loc, const char *id, const char *label,
                                  size_t len, const char *name, size_t name_len);

/**
 * Report one connector on page loc->page from the shape with id `from` to the one with id `to`
 * (either NULL when that end is not glued to a shape). The shapes may be reported before or
 * after it: connectors are resolved when the checks run, then named (ts_doc_link) when both
 * ends are known shapes, else counted.
 */
TS_HOST ts_status ts_doc_edge(ts_doc *doc, const ts_loc *loc, const char *from, const char *to);

/** What a label names, by the keywords of the verdict (ts_doc_label_kind). */
typedef enum ts_label_kind {
    TS_LABEL_NONE = 0,
    TS_LABEL_DEVICE,  /* a network device: firewall, router, switch, server, … */
    TS_LABEL_NETWORK, /* another network element: client, printer, phone, internet/WAN */
    TS_LABEL_SECURITY /* a security element: server room, access control, camera, alarm, keys */
} ts_label_kind;

/**
 * Classify one label as ts_doc_shape would, without reporting it: for an extractor's cheap look
 * at a page before it spends more on finding its shapes. Only the first 256 bytes are read.
 */
TS_HOST ts_label_kind ts_doc_label_kind(ts_doc *doc, const char *label, size_t len);

/**
 * Name page `page` (a Visio page, a draw.io diagram, a layout): the verdict's value. Without a
 * name the verdict is named "page N", or "drawing" for page 0. The first name given stays.
 */
ts_status ts_doc_page_name(ts_doc *doc, unsigned page, const char *name);

/**
 * Turn the signals into verdict findings. Called once per document by the scan, after its
 * extractor and before grading; a document without signals costs nothing. Returns TS_ENOMEM
 * or TS_OK.
 */
ts_status ts_checks_run(ts_doc *doc);

#endif /* TS_DETECT_CHECKS_H */

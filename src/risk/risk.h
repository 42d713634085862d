/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The risk model: grade, score and reasons of a document (DESIGN §5). */
#ifndef TS_RISK_RISK_H
#define TS_RISK_RISK_H

#include "core/core.h"

/* Grade a document whose children are graded already. TS_ENOMEM only. */
ts_status ts_risk_grade(ts_doc *doc);
/*
 * Take a graded child into `doc`'s grade, score and reasons, as ts_risk_grade does for each of
 * doc->children in turn (doc is graded; `c` comes after the children already taken). TS_ENOMEM
 * only.
 */
ts_status ts_risk_take_child(ts_doc *doc, const ts_doc *c);

#endif /* TS_RISK_RISK_H */

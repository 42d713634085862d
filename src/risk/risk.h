/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The risk model: grade, score and reasons of a document (DESIGN §5). */
#ifndef TS_RISK_RISK_H
#define TS_RISK_RISK_H

#include "core/core.h"

/* Grade a document whose children are graded already. TS_ENOMEM only. */
ts_status ts_risk_grade(ts_doc *doc);

#endif /* TS_RISK_RISK_H */

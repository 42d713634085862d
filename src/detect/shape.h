/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Number shapes: the prefilter for rules whose matches hold no fixed word, only digits. */
#ifndef TS_DETECT_SHAPE_H
#define TS_DETECT_SHAPE_H

#include <stddef.h>

/*
 * A rule with `shape = …` runs only on the lines that hold one of its shapes, the way a rule
 * with keywords runs only near its keywords. Digits are ASCII digits.
 */
typedef enum ts_shape {
    TS_SHAPE_DOTTED_QUAD, /* four groups of 1-3 digits joined by dots: 10.1.2.3, 2.1.3.4 */
    TS_SHAPE_LONG_NUMBER, /* 11 or more digits, groups joined by single spaces, dots, hyphens */
    TS_SHAPES
} ts_shape;

/* The shape named `name` ("dotted-quad", "long-number"), or TS_SHAPES when there is none. */
ts_shape ts_shape_find(const char *name);
const char *ts_shape_name(ts_shape s);

/*
 * Called for each shape found, in text order, with the offset just past it. A run of digits may
 * give several calls (each dotted quad in 1.2.3.4.5, each group end of a long number past its
 * 11th digit). Return nonzero to stop the scan.
 */
typedef int (*ts_shape_cb)(size_t end, ts_shape shape, void *payload);
/* Find the shapes whose bit (1u << shape) is set in `want` in text[0, len). */
void ts_shape_scan(const char *text, size_t len, unsigned want, ts_shape_cb cb, void *payload);

#endif /* TS_DETECT_SHAPE_H */

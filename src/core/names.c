/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract names of statuses, grades, severities, categories and places (DESIGN §4, §5, §7). */
#include "tenderscan.h"

#include <string.h>

#include "core/msg.h"

static const char *const grade_names[] = {"ok", "review", "block", "error"};
static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};
static const char *const category_names[TS_CAT_COUNT_] = {
    "network", "firewall", "credential", "diagram", "facility", "personal", "metadata", "hidden",
    "classification",
};
static const char *const where_names[TS_WHERE_COUNT_] = {
    [TS_WHERE_BODY] = "body",
    [TS_WHERE_HEADER] = "header",
    [TS_WHERE_FOOTER] = "footer",
    [TS_WHERE_FOOTNOTE] = "footnote",
    [TS_WHERE_COMMENT] = "comment",
    [TS_WHERE_TRACKED_INSERTION] = "tracked-insertion",
    [TS_WHERE_TRACKED_DELETION] = "tracked-deletion",
    [TS_WHERE_HIDDEN_TEXT] = "hidden-text",
    [TS_WHERE_METADATA] = "metadata",
    [TS_WHERE_ANNOTATION] = "annotation",
    [TS_WHERE_FORM_FIELD] = "form-field",
    [TS_WHERE_ATTACHMENT] = "attachment",
    [TS_WHERE_NOTES] = "notes",
    [TS_WHERE_HIDDEN_SHEET] = "hidden-sheet",
    [TS_WHERE_HIDDEN_SLIDE] = "hidden-slide",
    [TS_WHERE_CELL] = "cell",
    [TS_WHERE_DRAWING] = "drawing",
    [TS_WHERE_LAYER] = "layer",
    [TS_WHERE_INVISIBLE_TEXT] = "invisible-text",
    [TS_WHERE_REVISION] = "revision",
    [TS_WHERE_FILENAME] = "filename",
    [TS_WHERE_EXIF] = "exif",
    [TS_WHERE_OCR] = "ocr",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

TS_API const char *ts_strerror(ts_status st)
{
    return ts_msg_status(st, TS_LANG_EN);
}

TS_API const char *ts_grade_name(ts_grade g)
{
    return (unsigned)g < NELEM(grade_names) ? grade_names[g] : NULL;
}

TS_API const char *ts_severity_name(ts_severity s)
{
    return (unsigned)s < NELEM(severity_names) ? severity_names[s] : NULL;
}

TS_API const char *ts_category_name(ts_category c)
{
    return (unsigned)c < NELEM(category_names) ? category_names[c] : NULL;
}

TS_API const char *ts_where_name(ts_where w)
{
    return (unsigned)w < NELEM(where_names) ? where_names[w] : NULL;
}

static ts_status parse(int *out, const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (name && strcmp(names[i], name) == 0) {
            *out = (int)i;
            return TS_OK;
        }
    }
    return TS_ENOTFOUND;
}

TS_API ts_status ts_grade_parse(ts_grade *out, const char *name)
{
    int v = 0;
    ts_status st = parse(&v, grade_names, NELEM(grade_names), name);
    if (st == TS_OK)
        *out = (ts_grade)v;
    return st;
}

TS_API ts_status ts_severity_parse(ts_severity *out, const char *name)
{
    int v = 0;
    ts_status st = parse(&v, severity_names, NELEM(severity_names), name);
    if (st == TS_OK)
        *out = (ts_severity)v;
    return st;
}

TS_API ts_status ts_category_parse(ts_category *out, const char *name)
{
    int v = 0;
    ts_status st = parse(&v, category_names, NELEM(category_names), name);
    if (st == TS_OK)
        *out = (ts_category)v;
    return st;
}

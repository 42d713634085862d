/* SPDX-License-Identifier: GPL-3.0-or-later */
/* THE extractor table: adding a format is one file and one row here. */
#include "extract/extract.h"

#include <stddef.h>

static const struct ts_extractor *const extractors[] = {
    &ts_extractor_text,
    &ts_extractor_ooxml,
    &ts_extractor_zip,
    &ts_extractor_odf,
    &ts_extractor_rtf,
    &ts_extractor_pdf,
    &ts_extractor_drawio,
    &ts_extractor_dxf,
    &ts_extractor_ifc,
    &ts_extractor_vsdx,
    &ts_extractor_svg,
    &ts_extractor_image,
    &ts_extractor_dwg,
    &ts_extractor_ole,
    &ts_extractor_strings,
    NULL,
};

const struct ts_extractor *ts_extractor_for(ts_type t)
{
    for (size_t i = 0; extractors[i] != NULL; i++)
        for (const ts_type *p = extractors[i]->types; *p != TS_TYPE_NONE; p++)
            if (*p == t)
                return extractors[i];
    return NULL;
}

bool ts_extractor_reads(ts_type t)
{
    const struct ts_extractor *ex = ts_extractor_for(t);
    return ex != NULL && (ex->flags & TS_EXTRACT_FALLBACK) == 0;
}

const struct ts_extractor *ts_extractor_at(size_t i)
{
    for (size_t k = 0; extractors[k] != NULL; k++)
        if (k == i)
            return extractors[k];
    return NULL;
}

ts_status ts_extractors_init(void)
{
    for (size_t i = 0; extractors[i] != NULL; i++) {
        ts_status (*init)(void) = extractors[i]->init;
        if (extractors[i]->linked != NULL)
            init = extractors[i]->linked->init;
        if (init) {
            ts_status st = init();
            if (st != TS_OK)
                return st;
        }
    }
    return TS_OK;
}

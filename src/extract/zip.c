/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain ZIP archives: every member is scanned as a child document of its own. */
#include "extract/extract.h"

#include <stdio.h>
#include <string.h>

#include "extract/zipread.h"

/*
 * Members are read through zipread, so the archive's limits (entries, total bytes, ratio) hold
 * before anything is inflated. A member whose name climbs out of the archive ("../x",
 * "/etc/x", "C:x") is still scanned, under the name "member-N", so that the report never
 * shows a path the archive made up to look like somewhere else.
 */

static ts_status zip_extract(ts_doc *doc, const ts_input *in)
{
    ts_zip *z = NULL;
    ts_status st = ts_zip_open(&z, doc, in);
    if (st != TS_OK)
        return st == TS_ENOMEM ? st : TS_OK;
    for (size_t i = 0; i < ts_zip_count(z) && st == TS_OK; i++) {
        const char *name = ts_zip_name(z, i);
        if (name == NULL || ts_zip_is_dir(z, i))
            continue;
        char alias[32];
        if (!ts_zip_name_safe(name)) {
            snprintf(alias, sizeof alias, "member-%zu", i + 1);
            name = alias;
        }
        unsigned char *data = NULL;
        size_t len = 0;
        st = ts_zip_read(z, i, &data, &len);
        if (st != TS_OK) {
            /* recorded on the archive; the other members are still read */
            st = st == TS_ENOMEM ? st : TS_OK;
            continue;
        }
        st = ts_doc_child(doc, name, data, len);
        ts_free(data);
    }
    ts_zip_close(z);
    return st;
}

const struct ts_extractor ts_extractor_zip = {
    .name = "zip",
    .types = (const ts_type[]){TS_TYPE_ZIP, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .extract = zip_extract,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain ZIP archives: every member is scanned as a child document of its own. */
#include "extract/extract.h"

#include <stdio.h>
#include <string.h>

#include "extract/zipread.h"

/*
 * Members are read through zipread, so the archive's limits (entries, total bytes, ratio) hold
 * before anything is inflated. Each member is a child document named as the archive writes it
 * (reports escape what is not safe text), opened before its bytes are read: its name is scanned
 * like any text, and a member that cannot be read (encrypted, a bomb, over the archive's total)
 * is a document of its own with grade error and the reason, so the report says which one.
 *
 * A name that climbs out of the folder it is unpacked in ("../x", "/etc/x", "C:\x", "\\srv\x")
 * is a finding on the member (zip slip): unpacked as it is, the archive would write a file
 * somewhere else than the recipient chose, and an absolute name shows the sender's own folders.
 */

#define UNSAFE_NAME "archive.unsafe-member-name"

static const struct ts_builtin_rule zip_rules[] = {
    {UNSAFE_NAME, TS_CAT_HIDDEN, TS_SEV_HIGH,
     "Archive member that would be unpacked outside its folder (../, C:\\ or an absolute path)",
     "Fil i arkivet som pakkes ut utenfor mappen sin (../, C:\\ eller en absolutt sti)",
     "Do not publish this archive: unpacked as it is, the member is written somewhere else than "
     "the folder the recipient chose, and may replace their files. Make the archive again from a "
     "folder holding the files, so that every name is relative and without '..'.",
     "Ikke publiser dette arkivet: pakket ut som det er, skrives filen et annet sted enn i mappen "
     "mottakeren valgte, og kan erstatte filene deres. Lag arkivet på nytt fra en mappe med "
     "filene, slik at alle navn er relative og uten '..'."},
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

/* The finding for a name that climbs out; its value is the name as reports show it. */
static ts_status flag_unsafe(ts_doc *child, const char *name)
{
    char *shown = ts_path_escape_dup(name);
    if (shown == NULL)
        return TS_ENOMEM;
    ts_loc loc = {.where = TS_WHERE_FILENAME};
    ts_status st = ts_doc_flag(child, UNSAFE_NAME, &loc, shown, NULL);
    ts_free(shown);
    return st;
}

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
        if (name[0] == '\0') {
            /* hostile input: a member without a name still has content */
            snprintf(alias, sizeof alias, "member-%zu", i + 1);
            name = alias;
        }
        ts_doc *child = NULL;
        if ((st = ts_doc_child_open(doc, name, &child)) != TS_OK)
            break;
        if (!ts_zip_name_safe(name) && (st = flag_unsafe(child, name)) != TS_OK)
            break;
        unsigned char *data = NULL;
        size_t len = 0;
        /* a member's own failure (encrypted, ratio, corrupt) is recorded on it */
        ts_zip_set_doc(z, child);
        st = ts_zip_read(z, i, &data, &len);
        ts_zip_set_doc(z, doc);
        if (st != TS_OK && st != TS_ENOMEM) {
            uint64_t size = ts_zip_size(z, i);
            child->bytes = size;
            st = TS_OK;
        }
        if (st == TS_OK)
            st = ts_doc_child_read(child, data, len);
        ts_free(data);
    }
    ts_zip_close(z);
    return st;
}

const struct ts_extractor ts_extractor_zip = {
    .name = "zip",
    .types = (const ts_type[]){TS_TYPE_ZIP, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .rules = zip_rules,
    .extract = zip_extract,
};

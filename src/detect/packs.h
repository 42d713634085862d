/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rule packs built into the library (generated rules_data.c). */
#ifndef TS_DETECT_PACKS_H
#define TS_DETECT_PACKS_H

#include <stddef.h>

struct ts_pack {
    const char *name; /* "network.rules" */
    const char *text;
    size_t len;
};

/* Ends with a {NULL, NULL, 0} row. */
extern const struct ts_pack ts_packs[];

#endif /* TS_DETECT_PACKS_H */

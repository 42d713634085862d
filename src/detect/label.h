/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Header words: does a column header, row label or key name what a rule looks for? */
#ifndef TS_DETECT_LABEL_H
#define TS_DETECT_LABEL_H

#include "tenderscan.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * A word of a rule's `header` list (DESIGN §8), as written there: one or more words
 * ("passord", "pre-shared key", "delt nøkkel"); a leading `*` lets the word also end a compound
 * ("*passord" names "adminpassord" and "rootpassordet"). The label's words are compared without
 * case (ASCII and the Latin-1 letters: Æ/æ, Ø/ø, Å/å …), and the last word may carry an
 * inflection ("passordet", "passorda", "nøkkelen", "kodane", "passwords"). A leading `=` keeps a
 * word that also names other things in running text to tables: "=community" is a column of SNMP
 * communities, but "match community as2" in a router configuration is a BGP community list. A
 * leading `^` keeps it to a table's column header: "^switch" names a column of switch names, not
 * the cells of a row whose first cell says "Kjernesvitsj".
 */
typedef struct ts_hword {
    char *tokens; /* the words, folded, separated by one space */
    size_t ntokens;
    size_t first_len; /* bytes of the first word (a quick test before the whole one) */
    bool compound;    /* `*`: the first word may end a compound */
    bool cells;       /* `=`: only as a table's column header or row label, not a key in prose */
    bool column;      /* `^`: only as a table's column header */
} ts_hword;

/* Where a label stands: a key in running text, a table row's label, a table column's header. */
typedef enum { TS_LABEL_TEXT, TS_LABEL_ROW, TS_LABEL_COLUMN } ts_label_where;

/* Parse one header word; TS_EINVAL when it holds no letter or digit, TS_ENOMEM. */
ts_status ts_hword_parse(ts_hword *out, const char *spec);
void ts_hword_dispose(ts_hword *w);

/* A label cut into folded words, at most LABEL_TOKENS of them (the first ones). */
#define TS_LABEL_TOKENS 16
#define TS_LABEL_BYTES 160
typedef struct ts_label {
    char buf[TS_LABEL_BYTES];
    const char *tok[TS_LABEL_TOKENS];
    unsigned char tlen[TS_LABEL_TOKENS];
    size_t n;
} ts_label;

/* Cut `text` into words: letters and digits (UTF-8 letters count), the rest separates. */
void ts_label_init(ts_label *l, const char *text, size_t len);
/* Is the label one of the words, whole ("API-nøkkel" is the word "api-nøkkel")? */
bool ts_label_is(const ts_label *l, const ts_hword *words, size_t nwords);
/* Does the label, standing `where`, hold one of the words that may stand there? */
bool ts_label_has(const ts_label *l, const ts_hword *words, size_t nwords, ts_label_where where);

#endif /* TS_DETECT_LABEL_H */

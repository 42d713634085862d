/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A case-insensitive keyword set (Aho-Corasick automaton): the rule engine's prefilter. */
#ifndef TS_DETECT_KWSET_H
#define TS_DETECT_KWSET_H

#include "tenderscan.h"

#include <stddef.h>
#include <stdint.h>

struct ts_kwset;

ts_status ts_kwset_new(struct ts_kwset **out);
void ts_kwset_free(struct ts_kwset *k);
/*
 * Add a keyword owned by `owner` (a rule index). ASCII letters match in any case, and so do the
 * Latin-1 letters written as two UTF-8 bytes (Æ/æ, Ø/ø, Å/å, É/é …). The same word may be added
 * for several owners. A word written with a leading '<' ("<dør") matches only at the start of a
 * word: not when a letter or digit stands right before it ("leverandøren" holds no "<døren").
 */
ts_status ts_kwset_add(struct ts_kwset *k, const char *word, uint32_t owner);
/* An owner with this bit set is a rule's header word, not one of its keywords: the rule's index
 * shifted by TS_KW_WORD_BITS, and the header word's index in the rule's list. */
#define TS_KW_HEADER 0x80000000u
#define TS_KW_WORD_BITS 12u
#define TS_KW_WORD_MASK ((1u << TS_KW_WORD_BITS) - 1u)
/* Build the automaton; call after the last add. */
ts_status ts_kwset_compile(struct ts_kwset *k);
/* Number of keywords added. */
size_t ts_kwset_size(const struct ts_kwset *k);

/*
 * Called for every keyword occurrence with the offset just past it and each owner of the word.
 * Return nonzero to stop the scan.
 */
typedef int (*ts_kwset_cb)(size_t end, const uint32_t *owners, size_t nowners, void *payload);
void ts_kwset_scan(const struct ts_kwset *k, const char *text, size_t len, ts_kwset_cb cb,
                   void *payload);

#endif /* TS_DETECT_KWSET_H */

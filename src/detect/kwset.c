/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Aho-Corasick over byte classes: one pass over the text finds every rule keyword in any case. */
#include "detect/kwset.h"

#include <string.h>

#include "core/alloc.h"

/*
 * States form a trie with failure links, then a full transition table over byte classes.
 * Bytes that appear in no keyword share class 0, so the table stays small (classes x states).
 * Case folding: A-Z map to a-z; for two-byte UTF-8 Latin-1 letters (lead byte 0xC3) upper-case
 * continuation bytes 0x80-0x9E fold to 0xA0-0xBE. Both folds happen in the class map, which is
 * exact for ASCII; the continuation fold is applied to any byte after any lead byte, which can
 * only cause a spurious keyword hit (the rule's regex still decides), never a missed one.
 */

typedef struct kw_state {
    uint32_t out_first; /* index into outs, or UINT32_MAX */
    uint32_t fail;
} kw_state;

typedef struct kw_out {
    uint32_t word; /* index into words */
    uint32_t next; /* next output of this state (incl. via failure links), or UINT32_MAX */
} kw_out;

typedef struct kw_word {
    char *text; /* folded, with its leading '<' if it has one (the index compares it whole) */
    size_t len;
    size_t skip; /* 1 for a word-start keyword ("<dør"): the automaton sees text + 1 */
    uint32_t *owners;
    size_t nowners, cap_owners;
} kw_word;

struct ts_kwset {
    kw_word *words;
    size_t nwords, cap_words;
    uint32_t *index;  /* open addressing over words by text: word number + 1, 0 = empty */
    size_t cap_index; /* a power of two, at least twice nwords */
    /* built by compile */
    uint8_t cls[256];
    unsigned nclass;
    uint32_t *delta; /* nstates * nclass */
    /* the same table in 16 bits when the states fit in 15 (the usual case): the top bit says
     * the target state has outputs, so a scan reads half the memory and no second array */
    uint16_t *delta16;
    kw_state *states;
    size_t nstates;
    kw_out *outs;
    size_t nouts;
    uint8_t *has_out;
};

#define NONE UINT32_MAX

ts_status ts_kwset_new(struct ts_kwset **out)
{
    *out = ts_calloc(1, sizeof(**out));
    return *out ? TS_OK : TS_ENOMEM;
}

static void clear_built(struct ts_kwset *k)
{
    ts_free(k->delta);
    ts_free(k->delta16);
    k->delta16 = NULL;
    ts_free(k->states);
    ts_free(k->outs);
    ts_free(k->has_out);
    k->delta = NULL;
    k->states = NULL;
    k->outs = NULL;
    k->has_out = NULL;
    k->nstates = k->nouts = 0;
}

void ts_kwset_free(struct ts_kwset *k)
{
    if (k == NULL)
        return;
    for (size_t i = 0; i < k->nwords; i++) {
        ts_free(k->words[i].text);
        ts_free(k->words[i].owners);
    }
    ts_free(k->words);
    ts_free(k->index);
    clear_built(k);
    ts_free(k);
}

size_t ts_kwset_size(const struct ts_kwset *k)
{
    return k->nwords;
}

static unsigned char fold(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c - 'A' + 'a');
    if (c >= 0x80 && c <= 0x9E && c != 0x97) /* 0x97 is U+00D7 (×), not a letter */
        return (unsigned char)(c + 0x20);
    return c;
}

static size_t word_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

/* The slot of `f` in the index: where it is, or the empty slot where it would go. */
static uint32_t *index_slot(const struct ts_kwset *k, const char *f, size_t len)
{
    size_t mask = k->cap_index - 1;
    for (size_t i = word_hash(f, len) & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &k->index[i];
        if (*slot == 0)
            return slot;
        const kw_word *w = &k->words[*slot - 1];
        if (w->len == len && memcmp(w->text, f, len) == 0)
            return slot;
    }
}

/* Keep the index at most half full; TS_ENOMEM or TS_OK. */
static ts_status index_room(struct ts_kwset *k)
{
    if (k->cap_index >= 2 * (k->nwords + 1))
        return TS_OK;
    size_t cap = k->cap_index ? 2 * k->cap_index : 64;
    uint32_t *fresh = ts_calloc(cap, sizeof(*fresh));
    if (fresh == NULL)
        return TS_ENOMEM;
    ts_free(k->index);
    k->index = fresh;
    k->cap_index = cap;
    for (size_t i = 0; i < k->nwords; i++)
        *index_slot(k, k->words[i].text, k->words[i].len) = (uint32_t)i + 1;
    return TS_OK;
}

ts_status ts_kwset_add(struct ts_kwset *k, const char *word, uint32_t owner)
{
    size_t len = strlen(word);
    if (len == 0)
        return TS_OK;
    char *f = ts_strndup(word, len);
    if (f == NULL)
        return TS_ENOMEM;
    for (size_t i = 0; i < len; i++)
        f[i] = (char)fold((unsigned char)f[i]);
    if (index_room(k) != TS_OK) {
        ts_free(f);
        return TS_ENOMEM;
    }
    uint32_t *slot = index_slot(k, f, len);
    kw_word *w = *slot ? &k->words[*slot - 1] : NULL;
    if (w == NULL) {
        if (ts_grow((void **)&k->words, &k->cap_words, k->nwords + 1, sizeof(*k->words)) != 0) {
            ts_free(f);
            return TS_ENOMEM;
        }
        w = &k->words[k->nwords++];
        memset(w, 0, sizeof(*w));
        w->text = f;
        w->len = len;
        w->skip = f[0] == '<' && len > 1 ? 1 : 0;
        *slot = (uint32_t)k->nwords;
    } else {
        ts_free(f);
    }
    for (size_t i = 0; i < w->nowners; i++)
        if (w->owners[i] == owner)
            return TS_OK;
    if (ts_grow((void **)&w->owners, &w->cap_owners, w->nowners + 1, sizeof(*w->owners)) != 0)
        return TS_ENOMEM;
    w->owners[w->nowners++] = owner;
    return TS_OK;
}

ts_status ts_kwset_compile(struct ts_kwset *k)
{
    ts_status st = TS_ENOMEM;
    uint32_t *queue = NULL;
    clear_built(k);
    /* byte classes */
    memset(k->cls, 0, sizeof k->cls);
    unsigned n = 1;
    uint8_t seen[256] = {0};
    for (size_t i = 0; i < k->nwords; i++)
        for (size_t j = k->words[i].skip; j < k->words[i].len; j++)
            seen[(unsigned char)k->words[i].text[j]] = 1;
    for (unsigned c = 0; c < 256; c++)
        if (seen[c])
            k->cls[c] = (uint8_t)n++;
    for (unsigned c = 0; c < 256; c++)
        k->cls[c] = k->cls[fold((unsigned char)c)];
    k->nclass = n;
    /* trie: at most total length + 1 states */
    size_t maxstates = 1;
    for (size_t i = 0; i < k->nwords; i++)
        maxstates += k->words[i].len;
    size_t cells;
    if (ts_size_mul(&cells, maxstates, n) != 0)
        goto out;
    k->delta = ts_malloc(cells * sizeof(*k->delta));
    k->states = ts_malloc(maxstates * sizeof(*k->states));
    k->has_out = ts_calloc(maxstates, 1);
    k->outs = ts_malloc(sizeof(*k->outs) * (k->nwords + 1));
    queue = ts_malloc(maxstates * sizeof(*queue));
    if (!k->delta || !k->states || !k->has_out || !k->outs || !queue)
        goto out;
    for (size_t i = 0; i < cells; i++)
        k->delta[i] = NONE;
    k->nstates = 1;
    k->states[0] = (kw_state){.out_first = NONE, .fail = 0};
    for (size_t i = 0; i < k->nwords; i++) {
        uint32_t s = 0;
        for (size_t j = k->words[i].skip; j < k->words[i].len; j++) {
            unsigned c = k->cls[(unsigned char)k->words[i].text[j]];
            uint32_t *t = &k->delta[(size_t)s * n + c];
            if (*t == NONE) {
                *t = (uint32_t)k->nstates;
                k->states[k->nstates++] = (kw_state){.out_first = NONE, .fail = 0};
            }
            s = *t;
        }
        /* one output per word at its final state; failure outputs are chained below */
        k->outs[k->nouts] = (kw_out){.word = (uint32_t)i, .next = k->states[s].out_first};
        k->states[s].out_first = (uint32_t)k->nouts++;
    }
    /* breadth-first: failure links and the full transition table */
    size_t qh = 0, qt = 0;
    for (unsigned c = 0; c < n; c++) {
        uint32_t t = k->delta[c];
        if (t == NONE) {
            k->delta[c] = 0;
        } else {
            k->states[t].fail = 0;
            queue[qt++] = t;
        }
    }
    while (qh < qt) {
        uint32_t s = queue[qh++];
        uint32_t f = k->states[s].fail;
        /* inherit the failure state's outputs by linking to its chain */
        if (k->states[s].out_first == NONE) {
            k->states[s].out_first = k->states[f].out_first;
        } else {
            uint32_t o = k->states[s].out_first;
            while (k->outs[o].next != NONE)
                o = k->outs[o].next;
            k->outs[o].next = k->states[f].out_first;
        }
        k->has_out[s] = k->states[s].out_first != NONE;
        for (unsigned c = 0; c < n; c++) {
            uint32_t *t = &k->delta[(size_t)s * n + c];
            if (*t == NONE) {
                *t = k->delta[(size_t)f * n + c];
            } else {
                k->states[*t].fail = k->delta[(size_t)f * n + c];
                queue[qt++] = *t;
            }
        }
    }
    if (k->nstates <= 0x7FFFu) {
        size_t cells16 = k->nstates * n;
        k->delta16 = ts_malloc(cells16 * sizeof(*k->delta16));
        if (k->delta16 == NULL)
            goto out;
        for (size_t i = 0; i < cells16; i++) {
            uint32_t t = k->delta[i];
            k->delta16[i] = (uint16_t)(t | (k->has_out[t] ? 0x8000u : 0u));
        }
    }
    st = TS_OK;
out:
    ts_free(queue);
    if (st != TS_OK)
        clear_built(k);
    return st;
}

void ts_kwset_scan(const struct ts_kwset *k, const char *text, size_t len, ts_kwset_cb cb,
                   void *payload)
{
    if (k == NULL || k->nwords == 0 || k->delta == NULL)
        return;
    const uint32_t *delta = k->delta;
    const uint8_t *cls = k->cls;
    const uint8_t *has_out = k->has_out;
    const unsigned n = k->nclass;
    const unsigned char *p = (const unsigned char *)text;
    uint32_t s = 0;
    const uint16_t *d16 = k->delta16;
    for (size_t i = 0; i < len; i++) {
        if (d16 != NULL) {
            uint16_t d = d16[(size_t)s * n + cls[p[i]]];
            s = d & 0x7FFFu;
            if (!(d & 0x8000u))
                continue;
        } else {
            s = delta[(size_t)s * n + cls[p[i]]];
            if (!has_out[s])
                continue;
        }
        {
            for (uint32_t o = k->states[s].out_first; o != NONE; o = k->outs[o].next) {
                const kw_word *w = &k->words[k->outs[o].word];
                if (w->skip) {
                    /* a word-start keyword: not when a letter or digit stands right before it
                     * (a byte of a UTF-8 letter counts as one) */
                    size_t start = i + 1 - (w->len - w->skip);
                    unsigned char b = start > 0 ? p[start - 1] : ' ';
                    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                        (b >= '0' && b <= '9') || b >= 0x80)
                        continue;
                }
                if (cb(i + 1, w->owners, w->nowners, payload))
                    return;
            }
        }
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Aho-Corasick over byte classes: one pass over the text finds every rule keyword in any case. */
#include "detect/kwset.h"

#include <stdbool.h>
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
    size_t maxlen; /* bytes of the longest keyword the automaton sees */
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
    k->maxlen = 0;
    for (size_t i = 0; i < k->nwords; i++)
        if (k->words[i].len - k->words[i].skip > k->maxlen)
            k->maxlen = k->words[i].len - k->words[i].skip;
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

/*
 * Where the keywords a state reports go: straight to the caller (cb), or into a list kept for
 * later (a lane of an interleaved scan, whose text comes after another lane's). A list that
 * would grow past MAX_KEPT hits stops keeping; its lane is then scanned again in its turn.
 */
#define LANES 4u             /* streams of text interleaved in one loop */
#define LANE_MIN 16384u      /* texts shorter than LANES of these are scanned in one stream */
#define MAX_KEPT (1u << 20) /* hits a lane keeps for later */

typedef struct kept {
    size_t end;
    uint32_t word;
} kept;

typedef struct sink {
    ts_kwset_cb cb; /* or NULL: keep */
    void *payload;
    size_t min_end; /* hits ending at or before this belong to the lane before */
    kept *hits;
    size_t n, cap;
    bool overflow;
} sink;

/* The keywords state s reports after the byte at p[i]. True when the caller said stop. */
static bool outputs(const struct ts_kwset *k, const unsigned char *p, size_t i, uint32_t s,
                    sink *to)
{
    if (i + 1 <= to->min_end)
        return false;
    for (uint32_t o = k->states[s].out_first; o != NONE; o = k->outs[o].next) {
        const kw_word *w = &k->words[k->outs[o].word];
        if (w->skip) {
            /* a word-start keyword: not when a letter or digit stands right before it (a byte
             * of a UTF-8 letter counts as one) */
            size_t start = i + 1 - (w->len - w->skip);
            unsigned char b = start > 0 ? p[start - 1] : ' ';
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                b >= 0x80)
                continue;
        }
        if (to->cb != NULL) {
            if (to->cb(i + 1, w->owners, w->nowners, to->payload))
                return true;
        } else if (!to->overflow) {
            if (to->n >= MAX_KEPT || ts_grow((void **)&to->hits, &to->cap, to->n + 1,
                                             sizeof(*to->hits)) != 0) {
                to->overflow = true;
                continue;
            }
            to->hits[to->n++] = (kept){.end = i + 1, .word = k->outs[o].word};
        }
    }
    return false;
}

/* Run the automaton from state *s over p[from, to). True when the caller said stop. */
static bool scan_range(const struct ts_kwset *k, const unsigned char *p, size_t from, size_t to,
                       uint32_t *s, sink *out)
{
    const uint8_t *cls = k->cls;
    const unsigned n = k->nclass;
    uint32_t st = *s;
    bool stop = false;
    if (k->delta16 != NULL) {
        const uint16_t *d16 = k->delta16;
        for (size_t i = from; i < to && !stop; i++) {
            uint16_t d = d16[(size_t)st * n + cls[p[i]]];
            st = d & 0x7FFFu;
            if (d & 0x8000u)
                stop = outputs(k, p, i, st, out);
        }
    } else {
        for (size_t i = from; i < to && !stop; i++) {
            st = k->delta[(size_t)st * n + cls[p[i]]];
            if (k->has_out[st])
                stop = outputs(k, p, i, st, out);
        }
    }
    *s = st;
    return stop;
}

/*
 * A long text is cut into LANES pieces that one loop scans side by side: each step of the
 * automaton waits for the table load of the step before, and four independent chains keep the
 * loads of the others going meanwhile. Each piece but the first starts the longest keyword's
 * length early (an occurrence that crosses the cut is found there), keeps its hits, and hands
 * them over in text order once the pieces before it are done.
 */
static void scan_lanes(const struct ts_kwset *k, const unsigned char *p, size_t len,
                       ts_kwset_cb cb, void *payload)
{
    size_t cut[LANES + 1], pos[LANES];
    uint32_t s[LANES] = {0};
    sink out[LANES];
    memset(out, 0, sizeof out);
    for (unsigned j = 0; j <= LANES; j++)
        cut[j] = len / LANES * j;
    cut[LANES] = len;
    for (unsigned j = 0; j < LANES; j++) {
        pos[j] = cut[j] > k->maxlen ? cut[j] - k->maxlen : 0;
        out[j].min_end = cut[j];
    }
    pos[0] = 0;
    out[0].cb = cb;
    out[0].payload = payload;
    size_t steps = SIZE_MAX;
    for (unsigned j = 0; j < LANES; j++)
        if (cut[j + 1] - pos[j] < steps)
            steps = cut[j + 1] - pos[j];
    const uint16_t *d16 = k->delta16;
    const uint8_t *cls = k->cls;
    const unsigned n = k->nclass;
    bool stop = false;
    for (size_t t = 0; t < steps && !stop; t++) {
        for (unsigned j = 0; j < LANES; j++) {
            uint16_t d = d16[(size_t)s[j] * n + cls[p[pos[j]]]];
            s[j] = d & 0x7FFFu;
            if ((d & 0x8000u) && outputs(k, p, pos[j], s[j], &out[j]))
                stop = true;
            pos[j]++;
        }
    }
    stop = stop || scan_range(k, p, pos[0], cut[1], &s[0], &out[0]);
    for (unsigned j = 1; j < LANES && !stop; j++) {
        if (!out[j].overflow)
            scan_range(k, p, pos[j], cut[j + 1], &s[j], &out[j]); /* it keeps: never stops */
        if (out[j].overflow) {
            /* too many hits to keep: scan the piece again, straight to the caller */
            uint32_t s0 = 0;
            sink again = {.cb = cb, .payload = payload, .min_end = cut[j]};
            stop = scan_range(k, p, cut[j] > k->maxlen ? cut[j] - k->maxlen : 0, cut[j + 1], &s0,
                              &again);
            continue;
        }
        for (size_t h = 0; h < out[j].n && !stop; h++) {
            const kw_word *w = &k->words[out[j].hits[h].word];
            stop = cb(out[j].hits[h].end, w->owners, w->nowners, payload) != 0;
        }
    }
    for (unsigned j = 0; j < LANES; j++)
        ts_free(out[j].hits);
}

void ts_kwset_scan(const struct ts_kwset *k, const char *text, size_t len, ts_kwset_cb cb,
                   void *payload)
{
    if (k == NULL || k->nwords == 0 || k->delta == NULL)
        return;
    const unsigned char *p = (const unsigned char *)text;
    if (k->delta16 != NULL && len >= (size_t)LANES * LANE_MIN) {
        scan_lanes(k, p, len, cb, payload);
        return;
    }
    uint32_t s = 0;
    sink out = {.cb = cb, .payload = payload};
    scan_range(k, p, 0, len, &s, &out);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule engine: keyword prefilter, PCRE2 JIT per rule, validators, context, overlap. */
#include "detect/engine.h"

#include <string.h>

#include "detect/kwset.h"
#include "detect/rules.h"
#include "detect/validate.h"

/*
 * How a text is scanned:
 *  - rules without keywords run over the whole text, one after the other (running each rule on
 *    its own keeps PCRE2's start-of-match optimisations; one big alternation halves the speed);
 *  - rules with keywords run only on the lines around their keywords: one Aho-Corasick pass finds
 *    every keyword of every rule, and each hit opens a window from the start of the keyword's
 *    line to the end of the next line (labels and values are often on consecutive lines in text
 *    pulled out of tables);
 *  - each candidate value passes the rule's validator, not_before/not_after and context checks;
 *  - among overlapping candidates of the same category the most severe one is kept, so that
 *    10.0.0.0/24 is one finding (a subnet), not a subnet and an address.
 */

#define LINE_REACH 4096u   /* hostile input: how far a window reaches for a line end */
#define NEAR_REACH 200u    /* how much of the line not_before/not_after look at */
#define CONTEXT_REACH 80u  /* bytes of context kept each side of a value */
#define REREAD 512u        /* bytes of an already searched window a new keyword hit reads again */
#define MATCH_LIMIT 5000000u
#define HEAP_LIMIT_KIB 20000u

typedef struct cand {
    const ts_rule *rule;
    ts_severity sev;
    size_t vs, ve;
    bool dropped;
} cand;

typedef struct scratch {
    const ts_ctx *ctx;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    size_t *searched; /* per rule index: end of the last window searched in this text */
    size_t nrules;
    cand *cands;
    size_t ncands, cap_cands;
    /* the text being scanned */
    const char *text;
    size_t len;
    ts_status st;
} scratch;

void ts_engine_scratch_free(void *p)
{
    scratch *S = p;
    if (S == NULL)
        return;
    pcre2_match_data_free(S->md);
    pcre2_match_context_free(S->mctx);
    ts_free(S->searched);
    ts_free(S->cands);
    ts_free(S);
}

static scratch *get_scratch(ts_doc *doc)
{
    scratch *S = doc->scratch;
    if (S && S->ctx == doc->ctx && S->nrules == doc->ctx->nrules)
        return S;
    ts_engine_scratch_free(S);
    doc->scratch = NULL;
    S = ts_calloc(1, sizeof(*S));
    if (S == NULL)
        return NULL;
    S->ctx = doc->ctx;
    S->nrules = doc->ctx->nrules;
    S->md = pcre2_match_data_create(64, NULL);
    S->mctx = pcre2_match_context_create(NULL);
    S->searched = ts_calloc(S->nrules + 1, sizeof(*S->searched));
    if (S->md == NULL || S->mctx == NULL || S->searched == NULL) {
        ts_engine_scratch_free(S);
        return NULL;
    }
    /* hostile input: a pathological text must not make a rule backtrack for minutes */
    pcre2_set_match_limit(S->mctx, MATCH_LIMIT);
    pcre2_set_heap_limit(S->mctx, HEAP_LIMIT_KIB);
    doc->scratch = S;
    return S;
}

static int match(scratch *S, const pcre2_code *re, bool jit, const char *subj, size_t len,
                 size_t start)
{
    if (jit)
        return pcre2_jit_match(re, (PCRE2_SPTR)subj, len, start, 0, S->md, S->mctx);
    return pcre2_match(re, (PCRE2_SPTR)subj, len, start, PCRE2_NO_UTF_CHECK, S->md, S->mctx);
}

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Start of the line holding `pos`, looking back at most `reach` bytes (UTF-8 safe). */
static size_t line_start(const char *t, size_t pos, size_t reach)
{
    size_t lo = pos > reach ? pos - reach : 0;
    size_t i = pos;
    while (i > lo && t[i - 1] != '\n')
        i--;
    while (i < pos && is_cont((unsigned char)t[i]))
        i++;
    return i;
}

/* End of the line holding `pos` (offset of its '\n' or len), looking at most `reach` bytes. */
static size_t line_end(const char *t, size_t len, size_t pos, size_t reach)
{
    size_t hi = len - pos > reach ? pos + reach : len;
    const char *nl = memchr(t + pos, '\n', hi - pos);
    size_t e = nl ? (size_t)(nl - t) : hi;
    while (e > pos && e < len && is_cont((unsigned char)t[e]))
        e--;
    return e;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Is byte t[i] at the start of a word? UTF-8 letters (bytes >= 0x80) count as word characters. */
static bool word_start(const char *t, size_t i)
{
    if (i == 0)
        return true;
    unsigned char p = (unsigned char)t[i - 1];
    return !((p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z') || (p >= '0' && p <= '9') ||
             p >= 0x80 || p == '_');
}

static bool has_context(const ts_rule *r, const char *t, size_t len, size_t vs, size_t ve)
{
    size_t lo = vs > r->context_window ? vs - r->context_window : 0;
    size_t hi = len - ve > r->context_window ? ve + r->context_window : len;
    for (size_t w = 0; w < r->ncontext; w++) {
        const char *word = r->context[w];
        size_t wl = strlen(word);
        if (wl == 0 || hi - lo < wl)
            continue;
        for (size_t i = lo; i + wl <= hi; i++) {
            if (fold((unsigned char)t[i]) != (unsigned char)word[0] || !word_start(t, i))
                continue;
            size_t k = 1;
            while (k < wl && fold((unsigned char)t[i + k]) == (unsigned char)word[k])
                k++;
            if (k == wl)
                return true;
        }
    }
    return false;
}

static void consider(scratch *S, const ts_rule *r, size_t vs, size_t ve)
{
    const char *t = S->text;
    size_t len = S->len;
    if (ve <= vs)
        return;
    if (r->validator && !r->validator->fn(t, len, vs, ve, r->validate_arg ? r->validate_arg : ""))
        return;
    if (r->not_before) {
        size_t ls = line_start(t, vs, NEAR_REACH);
        if (match(S, r->not_before, false, t + ls, vs - ls, 0) >= 0)
            return;
    }
    if (r->not_after) {
        size_t le = line_end(t, len, ve, NEAR_REACH);
        if (match(S, r->not_after, false, t + ve, le - ve, 0) >= 0)
            return;
    }
    ts_severity sev = r->severity;
    if (r->ncontext > 0 && !has_context(r, t, len, vs, ve)) {
        if (r->context_required)
            return;
        if (r->severity_nocontext >= 0)
            sev = (ts_severity)r->severity_nocontext;
    }
    if (ts_grow((void **)&S->cands, &S->cap_cands, S->ncands + 1, sizeof(*S->cands)) != 0) {
        S->st = TS_ENOMEM;
        return;
    }
    S->cands[S->ncands++] = (cand){.rule = r, .sev = sev, .vs = vs, .ve = ve};
}

/* Run one rule over text[start, end) (the subject ends at `end`). */
static void run_rule(scratch *S, ts_rule *r, size_t start, size_t end)
{
    size_t off = start;
    ts_rule_jit(r);
    bool jit = r->jit;
    while (off <= end && S->st == TS_OK) {
        int rc = match(S, r->re, jit, S->text, end, off);
        if (rc < 0)
            return; /* no match, or a limit: the rule gives up on this text */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(S->md);
        size_t ms = ov[0], me = ov[1];
        size_t vs = ms, ve = me;
        if (r->value_group > 0 && (uint32_t)rc > r->value_group &&
            ov[2 * r->value_group] != PCRE2_UNSET) {
            vs = ov[2 * r->value_group];
            ve = ov[2 * r->value_group + 1];
        }
        consider(S, r, vs, ve);
        if (me > off) {
            off = me;
        } else {
            off = me + 1; /* empty match: step over one character */
            while (off < end && is_cont((unsigned char)S->text[off]))
                off++;
        }
    }
}

static int on_keyword(size_t end, const uint32_t *owners, size_t nowners, void *payload)
{
    scratch *S = payload;
    size_t ls = line_start(S->text, end, LINE_REACH);
    size_t le = line_end(S->text, S->len, end, LINE_REACH);
    if (le < S->len)
        le = line_end(S->text, S->len, le + 1, LINE_REACH); /* and the next line */
    for (size_t i = 0; i < nowners; i++) {
        uint32_t idx = owners[i];
        if (idx >= S->nrules)
            continue;
        if (le <= S->searched[idx])
            continue;
        /* Start at the keyword's own line even when the previous window covered it (a label on
         * the line after another keyword line must still see its value), but re-read at most
         * REREAD bytes of it: hostile input with a keyword every few bytes on one long line must
         * stay linear. Candidates found twice are merged by drop_overlaps. */
        size_t from = ls;
        if (S->searched[idx] > ls + REREAD)
            from = S->searched[idx] - REREAD;
        while (from > ls && is_cont((unsigned char)S->text[from]))
            from--;
        S->searched[idx] = le;
        run_rule(S, S->ctx->rules[idx], from, le);
    }
    return S->st != TS_OK;
}

static int cmp_cat_pos(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->rule->category != y->rule->category)
        return x->rule->category < y->rule->category ? -1 : 1;
    if (x->vs != y->vs)
        return x->vs < y->vs ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

static int cmp_pos(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->vs != y->vs)
        return x->vs < y->vs ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

static bool better(const cand *a, const cand *b)
{
    if (a->sev != b->sev)
        return a->sev > b->sev;
    if (a->ve - a->vs != b->ve - b->vs)
        return a->ve - a->vs > b->ve - b->vs;
    return strcmp(a->rule->id, b->rule->id) < 0;
}

static void drop_overlaps(scratch *S)
{
    qsort(S->cands, S->ncands, sizeof(*S->cands), cmp_cat_pos);
    size_t keep = SIZE_MAX;
    for (size_t i = 0; i < S->ncands; i++) {
        cand *c = &S->cands[i];
        if (keep != SIZE_MAX) {
            cand *k = &S->cands[keep];
            if (k->rule->category == c->rule->category && c->vs < k->ve) {
                if (better(c, k)) {
                    k->dropped = true;
                    keep = i;
                } else {
                    c->dropped = true;
                }
                continue;
            }
        }
        keep = i;
    }
    qsort(S->cands, S->ncands, sizeof(*S->cands), cmp_pos);
}

static ts_status emit(ts_doc *doc, scratch *S, const ts_loc *loc, ts_place_fn place,
                     void *payload)
{
    const char *t = S->text;
    size_t counted = 0;
    unsigned long line = loc->line;
    for (size_t i = 0; i < S->ncands; i++) {
        const cand *c = &S->cands[i];
        if (c->dropped)
            continue;
        if (loc->line > 0) {
            for (const char *p = t + counted; (p = memchr(p, '\n', (size_t)(t + c->vs - p)));
                 p++)
                line++;
            counted = c->vs;
        }
        size_t ls = line_start(t, c->vs, CONTEXT_REACH);
        size_t le = line_end(t, S->len, c->ve, CONTEXT_REACH);
        ts_loc l = *loc;
        l.line = loc->line > 0 ? line : 0;
        if (place && !place(payload, c->vs, c->ve, &l))
            continue;
        uint64_t order = ((uint64_t)doc->segments << 32) | (c->vs > UINT32_MAX ? UINT32_MAX : c->vs);
        ts_status st = ts_doc_add_finding(doc, c->rule, c->sev, &l, t + c->vs, c->ve - c->vs,
                                          t + ls, c->vs - ls, t + c->ve, le - c->ve, NULL, order);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

ts_status ts_engine_scan(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                         ts_place_fn place, void *payload)
{
    const ts_ctx *ctx = doc->ctx;
    if (ctx == NULL || len == 0 || ctx->nrules == 0)
        return TS_OK;
    scratch *S = get_scratch(doc);
    if (S == NULL)
        return TS_ENOMEM;
    S->text = text;
    S->len = len;
    S->ncands = 0;
    S->st = TS_OK;
    memset(S->searched, 0, S->nrules * sizeof(*S->searched));
    for (size_t i = 0; i < ctx->nplain && S->st == TS_OK; i++)
        run_rule(S, ctx->plain[i], 0, len);
    if (S->st == TS_OK)
        ts_kwset_scan(ctx->kwset, text, len, on_keyword, S);
    ts_status st = S->st;
    if (st == TS_OK && S->ncands > 0) {
        drop_overlaps(S);
        ts_loc l = loc ? *loc : (ts_loc){.where = TS_WHERE_BODY};
        st = emit(doc, S, &l, place, payload);
    }
    S->text = NULL;
    S->len = 0;
    return st;
}

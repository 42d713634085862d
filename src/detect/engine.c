/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule engine: keyword prefilter, PCRE2 JIT per rule, validators, context, overlap. */
#include "detect/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect/kwset.h"
#include "detect/label.h"
#include "detect/rules.h"
#include "detect/validate.h"

/*
 * How a text is scanned:
 *  - rules without keywords run over the whole text, one after the other (running each rule on
 *    its own keeps PCRE2's start-of-match optimisations; one big alternation halves the speed);
 *  - rules with a number shape (`shape = dotted-quad`) run only on the lines around each number
 *    of that shape, found in one pass of their own, as if the number were their keyword;
 *  - rules with keywords run only on the lines around their keywords: one Aho-Corasick pass finds
 *    every keyword of every rule, and each hit opens a window from the start of the keyword's
 *    line to the end of the next line (labels and values are often on consecutive lines in text
 *    pulled out of tables);
 *  - each candidate value passes the rule's validator, not_before/not_after and context checks;
 *  - rules with `header` words also run over labelled values (fields): the cells of tables
 *    the extractor handed over with their column headers and row labels, and what the engine
 *    finds itself on the lines holding a header word: "label: value" pairs (also "label er
 *    value" when the value holds a digit or symbol, and a label alone on its line with the
 *    value on the next), and rows of tab, "|" or ";" separated tables with their header row
 *    and row label. The rule's pattern then sees the value alone as its subject;
 *  - among overlapping candidates of the same category the most severe one is kept, so that
 *    10.0.0.0/24 is one finding (a subnet), not a subnet and an address.
 */

#define LINE_REACH 4096u  /* hostile input: how far a window reaches for a line end */
#define NEAR_REACH 200u   /* how much of the line not_before/not_after look at */
#define CONTEXT_REACH 80u /* bytes of context kept each side of a value */
#define REREAD 512u       /* bytes of an already searched window a new keyword hit reads again */
#define WORDS_BACK 3u     /* window = word: words before a keyword's own a match may start at */
#define FIELD_REACH 512u  /* bytes of a value looked at after its label */
#define LABEL_WORDS 16u   /* words of a key before its separator */
#define TABLE_ROWS 2000u  /* rows under a header row given its labels */
#define MAX_FIELDS 65536u /* fields the engine derives from one text */
#define MATCH_LIMIT 5000000u
#define HEAP_LIMIT_KIB 20000u

typedef struct cand {
    const ts_rule *rule;
    ts_severity sev;
    size_t vs, ve;
    bool dropped;
} cand;

/* What a rule's sentence tests said of a sentence (value.span = sentence): it passes (no veto,
 * sentence.require met), or sentence.not vetoed it; for a vetoed row, where its last cell starts
 * and where the row without that cell ends when that passes (0: it does not). */
typedef struct verdict {
    bool ok, vetoed;
    size_t tab, cut;
} verdict;

typedef struct scratch {
    const ts_ctx *ctx;
    size_t *hlines; /* starts of the lines holding a header word, in order */
    size_t nhlines, cap_hlines;
    size_t *hits; /* ends of the header words found, in order */
    size_t nhits, cap_hits;
    ts_field *fields; /* labelled values found in the text itself */
    size_t nfields, cap_fields;
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
    /* value.span = sentence: the last sentence a rule checked, and whether it passed (several
     * words of one sentence ask the same question) */
    const ts_rule *sent_rule;
    const char *clause_s, *clause_e; /* the clause (up to a semicolon) the rule asked about … */
    const char *sent_s, *sent_e;     /* … and the sentence that is the finding's value */
    verdict v;
    bool sent_followed; /* the sentences after it were judged (sentence.follow) */
    /* TS_PROFILE_RULES set: seconds and runs per rule index, printed to stderr when the scratch
     * goes (a tool for whoever tunes the rules' speed; NULL otherwise) */
    double *prof_s;
    size_t *prof_n;
} scratch;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rule idx ran once more, since t0 (TS_PROFILE_RULES). */
static void profile_add(scratch *S, size_t idx, double t0)
{
    if (S->prof_s == NULL)
        return;
    S->prof_s[idx] += now_s() - t0;
    S->prof_n[idx]++;
}

/* The rules that took most time in this worker, slowest first (TS_PROFILE_RULES); the counts are
 * used up, the scratch is going. */
static void print_profile(scratch *S)
{
    for (int k = 0; k < 25; k++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < S->nrules; i++)
            if (S->prof_n[i] > 0 && (best == SIZE_MAX || S->prof_s[i] > S->prof_s[best]))
                best = i;
        if (best == SIZE_MAX)
            break;
        fprintf(stderr, "%8.3f s %9zu runs  %s\n", S->prof_s[best], S->prof_n[best],
                S->ctx->rules[best]->id);
        S->prof_n[best] = 0;
    }
}

void ts_engine_scratch_free(void *p)
{
    scratch *S = p;
    if (S == NULL)
        return;
    if (S->prof_s != NULL)
        print_profile(S);
    ts_free(S->prof_s);
    ts_free(S->prof_n);
    pcre2_match_data_free(S->md);
    pcre2_match_context_free(S->mctx);
    ts_free(S->searched);
    ts_free(S->cands);
    ts_free(S->hlines);
    ts_free(S->hits);
    ts_free(S->fields);
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
    if (getenv("TS_PROFILE_RULES") != NULL) {
        S->prof_s = ts_calloc(S->nrules + 1, sizeof(*S->prof_s));
        S->prof_n = ts_calloc(S->nrules + 1, sizeof(*S->prof_n));
        if (S->prof_s == NULL || S->prof_n == NULL) { /* a debugging aid: without memory, none */
            ts_free(S->prof_s);
            ts_free(S->prof_n);
            S->prof_s = NULL;
            S->prof_n = NULL;
        }
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

/* Do the n bytes at a equal lowercase b, ASCII case ignored? */
static bool starts_folded(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold((unsigned char)a[i]) != (unsigned char)b[i])
            return false;
    return true;
}

/* The length of the first of `list` (NULL-ended) that t[s, e) starts with in any ASCII case, and
 * that leaves something after it; 0 when none does. */
static size_t prefix_in(const char *t, size_t s, size_t e, const char *const *list)
{
    for (const char *const *l = list; *l; l++) {
        size_t n = strlen(*l);
        if (e - s > n && starts_folded(t + s, *l, n))
            return n;
    }
    return 0;
}

/* Is the word t[ws, we) one of `list` (NULL-ended), in any ASCII case? */
static bool word_listed(const char *t, size_t ws, size_t we, const char *const *list)
{
    for (const char *const *l = list; *l; l++)
        if (strlen(*l) == we - ws && starts_folded(t + ws, *l, we - ws))
            return true;
    return false;
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
    /* one pass over the window: at each word start, only the words with that first letter */
    for (size_t i = lo; i < hi; i++) {
        unsigned char c = fold((unsigned char)t[i]);
        if (!(r->context_first[c >> 3] & (1u << (c & 7))) || !word_start(t, i))
            continue;
        for (size_t w = 0; w < r->ncontext; w++) {
            const char *word = r->context[w];
            if ((unsigned char)word[0] != c)
                continue;
            size_t wl = strlen(word);
            if (hi - i < wl)
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

/* ---- value.span = sentence ---------------------------------------------------------------- */

#define SENTENCE_REACH 400u /* bytes a sentence is followed each way from the match */

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does the character at t[i] start with a small letter or a digit (ASCII, or Latin-1 small
 * letters such as æ, ø, å written in UTF-8)? */
static bool starts_small(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    if (c == 0xC3 && i + 1 < len) {
        unsigned char d = (unsigned char)t[i + 1];
        return d >= 0x9F && d != 0xB7; /* U+00DF..U+00FF without the division sign */
    }
    return false;
}

/* Does the line ending at t[nl] end in a word no sentence ends with: a preposition, a
 * conjunction or an article ("… og egen kortleser med⏎PIN.", "… is located in⏎Building B")? */
static bool ends_mid_sentence(const char *t, size_t nl)
{
    static const char *const words[] = {
        "og",  "i",    "p\xc3\xa5", "med",  "til",  "for",    "av",  "fra",   "fr\xc3\xa5", "ved",
        "mot", "som",  "eller",     "en",   "ei",   "et",     "ein", "eit",   "den",        "det",
        "dei", "the",  "a",         "an",   "and",  "or",     "of",  "in",    "on",         "at",
        "to",  "with", "by",        "from", "into", "behind", "via", "under", "bak"};
    size_t e = nl;
    while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\r'))
        e--;
    size_t b = e;
    while (b > 0 && ((t[b - 1] >= 'a' && t[b - 1] <= 'z') || (unsigned char)t[b - 1] >= 0x80))
        b--;
    if (b == e || (b > 0 && !is_blank((unsigned char)t[b - 1])))
        return false;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (strlen(words[w]) == e - b && memcmp(t + b, words[w], e - b) == 0)
            return true;
    return false;
}

/* t[nl] is a line break: does the next line go on with the same sentence (wrapped text)? It
 * does when it starts with a small letter, or when this line ends in a word no sentence ends
 * with, and it is no table row (holds no tab); otherwise a line that starts with a digit or a
 * capital is a list item, a legend entry or a new sentence as often as a wrapped line, so it
 * starts anew. */
static bool line_goes_on(const char *t, size_t len, size_t nl)
{
    size_t j = nl + 1;
    while (j < len && t[j] == ' ')
        j++;
    if (j >= len || t[j] == '\n' || t[j] == '\r' || t[j] == '\t')
        return false;
    bool small = !(t[j] >= '0' && t[j] <= '9') && starts_small(t, len, j);
    if (!small && !ends_mid_sentence(t, nl))
        return false;
    for (size_t k = j; k < len && t[k] != '\n'; k++)
        if (t[k] == '\t')
            return false;
    for (size_t k = nl; !small && k > 0 && t[k - 1] != '\n'; k--)
        if (t[k - 1] == '\t')
            return false; /* nor is this line, when only its last word says it goes on */
    return true;
}

/* t[i] is '.', '!', '?' or ';': does it end the sentence? With `semi`, a semicolon does not
 * before a small letter ("står open; den blir ofte ståande på gløtt"). A dot does not inside a
 * number or a name (1.045, kl. 22.00 goes on after "kl"), after an abbreviation, or as an ordinal
 * before a small word ("1. etasje"). */
static bool ends_sentence(const char *t, size_t len, size_t i, bool semi)
{
    if (i + 1 < len && !is_blank((unsigned char)t[i + 1]))
        return false;
    if (t[i] == ';' && semi) {
        size_t j = i + 1;
        while (j < len && (t[j] == ' ' || t[j] == '\t'))
            j++;
        return !(j < len && starts_small(t, len, j));
    }
    if (t[i] != '.')
        return true;
    size_t w = i;
    while (w > 0 && ((t[w - 1] >= 'a' && t[w - 1] <= 'z') || (t[w - 1] >= 'A' && t[w - 1] <= 'Z')))
        w--;
    static const char *const abbrev[] = {"kl",   "nr",  "no",   "ca",   "jf",    "dvs",    "evt",
                                         "inkl", "ev",  "bl",   "pkt",  "etg",   "ref",    "mr",
                                         "dr",   "tlf", "incl", "excl", "ekskl", "approx", "avd",
                                         "vedr", "adm", "bygn", NULL};
    if (i > w && word_listed(t, w, i, abbrev))
        return false;
    /* an abbreviation with dots inside, which a sentence goes on after ("e.g. FortiGate",
     * "f.eks. Windows", "bl.a. Salto"); not "osv." or "etc.", which often end one */
    size_t d = i;
    while (d > 0 && (((t[d - 1] | 0x20) >= 'a' && (t[d - 1] | 0x20) <= 'z') || t[d - 1] == '.'))
        d--;
    static const char *const dotted[] = {"e.g", "i.e", "f.eks", "bl.a", "t.d", "t.ex", "m.a",
                                         "jfr", "pga", "ift",   "mht",  "vs",  NULL};
    if (word_listed(t, d, i, dotted))
        return false;
    if (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9') {
        size_t j = i + 1;
        while (j < len && (t[j] == ' ' || t[j] == '\t'))
            j++;
        if (j < len && j > i + 1 && starts_small(t, len, j))
            return false;
    }
    /* a compound ending in "nr." before its number: "systemnr. 44-7719", "romnr. 2.14" */
    if (i - w > 2 && fold((unsigned char)t[i - 2]) == 'n' && fold((unsigned char)t[i - 1]) == 'r' &&
        i + 2 < len && t[i + 2] >= '0' && t[i + 2] <= '9')
        return false;
    return true;
}

/* Widen [*vs, *ve) of t[0, len) to the sentence (or table row, or cell) that holds it, at most
 * `before` bytes back and `after` bytes on; leading bullets and trailing separators are left
 * out. */
static void widen_to_sentence(const char *t, size_t len, size_t *vs, size_t *ve, size_t before,
                              size_t after, bool semi)
{
    size_t lo = *vs > before ? *vs - before : 0;
    size_t i = *vs;
    while (i > lo) {
        char c = t[i - 1];
        if (c == '\n') {
            if (!line_goes_on(t, len, i - 1))
                break;
        } else if ((c == '.' || c == '!' || c == '?' || c == ';') &&
                   ends_sentence(t, len, i - 1, semi)) {
            break;
        }
        i--;
    }
    if (i == lo && lo > 0) { /* the reach ran out: start at a line's or a word's start */
        size_t k = i;
        while (k < *vs && t[k] != '\n')
            k++;
        if (k < *vs) {
            i = k + 1;
        } else {
            while (i < *vs && !is_blank((unsigned char)t[i]))
                i++;
        }
    }
    while (i < *vs && is_cont((unsigned char)t[i]))
        i++;
    for (;;) {
        if (i < *vs && is_blank((unsigned char)t[i])) {
            i++;
        } else if (i + 1 < *vs && (t[i] == '-' || t[i] == '*') && t[i + 1] == ' ') {
            i += 2;
        } else if (i + 3 < *vs &&
                   (memcmp(t + i, "\xE2\x80\xA2", 3) == 0 ||
                    memcmp(t + i, "\xE2\x80\x93", 3) == 0) &&
                   t[i + 3] == ' ') {
            i += 4; /* "• " and "– " */
        } else {
            break;
        }
    }
    size_t hi = len - *ve > after ? *ve + after : len;
    size_t j = *ve;
    while (j < hi) {
        char c = t[j];
        if (c == '\n') {
            if (!line_goes_on(t, len, j))
                break;
        } else if ((c == '.' || c == '!' || c == '?' || c == ';') &&
                   ends_sentence(t, len, j, semi)) {
            break;
        }
        j++;
    }
    if (j == hi && hi < len) { /* the reach ran out: end at a line's or a word's end */
        size_t k = j;
        while (k > *ve && t[k - 1] != '\n')
            k--;
        if (k > *ve) {
            j = k - 1;
        } else {
            while (j > *ve && !is_blank((unsigned char)t[j - 1]))
                j--;
        }
    }
    while (j > *ve && j < len && is_cont((unsigned char)t[j]))
        j--;
    while (j > *ve && (is_blank((unsigned char)t[j - 1]) || t[j - 1] == ',' || t[j - 1] == ':' ||
                       t[j - 1] == '-'))
        j--;
    *vs = i;
    *ve = j;
}

/* Is a credential value a stand-in rather than a secret, or a label rather than a value? */
static bool not_a_secret(const scratch *S, const char *v, size_t n)
{
    if (ts_is_placeholder(v, n))
        return true;
    ts_label l;
    ts_label_init(&l, v, n);
    if (l.n == 0 || l.n > 3)
        return false; /* only a value of a few words can be a label */
    size_t letters = 0;
    for (size_t i = 0; i < l.n; i++)
        letters += l.tlen[i];
    if (letters * 2 < n)
        return false; /* mostly digits and symbols: a value */
    for (size_t i = 0; i < S->ctx->nhrules; i++) {
        const ts_rule *h = S->ctx->hrules[i];
        if (h->category == TS_CAT_CREDENTIAL && ts_label_is(&l, h->header, h->nheader))
            return true;
    }
    return false;
}

/* A candidate value at [vs, ve) of subject t (len bytes), which starts at `base` in the text.
 * `labelled`: the value's label named what the rule looks for (context found). */
/*
 * A sentence [vs, ve) that is a row of a plain-text table (cells TAB-separated) was vetoed by the
 * rule's sentence.not. A table's last column is often what is to be done about the rest
 * ("Tiltak": "Skifte dør og montere kortlesar", "Inergen-anlegg skal vurderast"): its
 * requirement words say nothing about the cells before it. When the last cell is running text
 * vetoed on its own and the row without it passes (no veto, sentence.require), returns where
 * that shorter row ends, and in *tab where the last cell starts: a match before it has the
 * shorter row as its value. Returns 0 otherwise.
 */
/* Does the rule's sentence.not veto t[vs, ve)? */
static bool vetoed(scratch *S, const ts_rule *r, const char *t, size_t vs, size_t ve)
{
    return r->sentence_not && match(S, r->sentence_not, false, t + vs, ve - vs, 0) >= 0;
}

/* … judged with the question mark that ends it, if one does, so that sentence.not can tell a
 * question ("Kan oppdragsgiver opplyse hvor sentralen står?") from a statement, and with the
 * colon that ends its line, so that it can tell a lead-in ("Lista under viser dørene med
 * kortlesar:") from a statement */
static bool vetoed_as_asked(scratch *S, const ts_rule *r, const char *t, size_t len, size_t vs,
                            size_t ve)
{
    size_t e = ve;
    while (e < len && e < ve + 3 && (t[e] == ' ' || t[e] == ')' || t[e] == '"'))
        e++;
    if (e < len && t[e] == ':') {
        size_t k = e + 1;
        while (k < len && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
            k++;
        if (k == len || t[k] == '\n')
            return vetoed(S, r, t, vs, e + 1);
    }
    return vetoed(S, r, t, vs, e < len && t[e] == '?' ? e + 1 : ve);
}

/* Does t[vs, ve) hold what the rule's sentence.require asks for (always, without one)? */
static bool required(scratch *S, const ts_rule *r, const char *t, size_t vs, size_t ve)
{
    return !r->sentence_require || match(S, r->sentence_require, false, t + vs, ve - vs, 0) >= 0;
}

static size_t row_without_last_cell(scratch *S, const ts_rule *r, const char *t, size_t vs,
                                    size_t ve, size_t *tab)
{
    size_t c = ve;
    while (c > vs && t[c - 1] != '\t')
        c--;
    *tab = c;
    if (c <= vs)
        return 0; /* no TAB */
    size_t end = c - 1;
    while (end > vs && (is_blank((unsigned char)t[end - 1]) || t[end - 1] == ','))
        end--;
    /* the last cell is running text (two words of four letters or more, not "kr 6.500"), and
     * the veto is its own ("… skal vurderast"), not one that spans cells ("stk⇥12") */
    size_t words = 0;
    for (size_t i = c; i < ve && words < 2;) {
        size_t j = i;
        while (j < ve && !is_blank((unsigned char)t[j]) &&
               (((t[j] | 0x20) >= 'a' && (t[j] | 0x20) <= 'z') || (unsigned char)t[j] >= 0x80 ||
                t[j] == '-'))
            j++;
        if (j - i >= 4 && (j == ve || is_blank((unsigned char)t[j]) || t[j] == ','))
            words++;
        while (j < ve && !is_blank((unsigned char)t[j]))
            j++;
        i = j + 1;
    }
    if (words < 2 || end <= vs || !vetoed(S, r, t, c, ve) || vetoed(S, r, t, vs, end) ||
        !required(S, r, t, vs, end))
        return 0;
    return end;
}

static bool add_cand(scratch *S, const ts_rule *r, ts_severity sev, size_t vs, size_t ve)
{
    if (ts_grow((void **)&S->cands, &S->cap_cands, S->ncands + 1, sizeof(*S->cands)) != 0) {
        S->st = TS_ENOMEM;
        return false;
    }
    S->cands[S->ncands++] = (cand){.rule = r, .sev = sev, .vs = vs, .ve = ve};
    return true;
}

/*
 * sentence.follow: the sentences after a finding's sentence [.., end) of the text t go on about
 * its element ("Alarmsentralen er ein Galaxy Flex. Han står i kjellaren. Koden er …"): each of
 * the next r->sentence_follow sentences that passes sentence.not and sentence.require on its own
 * is a finding of r too. A blank line (a new paragraph) ends the run.
 */
static void follow(scratch *S, const ts_rule *r, const char *t, size_t len, size_t end,
                   ts_severity sev)
{
    size_t pos = end;
    for (unsigned k = 0; k < r->sentence_follow && S->st == TS_OK; k++) {
        unsigned nl = 0;
        while (pos < len && (is_blank((unsigned char)t[pos]) || t[pos] == '\n' || t[pos] == '\r' ||
                             t[pos] == '.' || t[pos] == '!' || t[pos] == '?' || t[pos] == ';' ||
                             t[pos] == ')' || t[pos] == '"')) {
            if (t[pos] == '\n' && ++nl > 1)
                return; /* a blank line */
            pos++;
        }
        if (pos >= len)
            return;
        size_t vs = pos, ve = pos + 1;
        widen_to_sentence(t, len, &vs, &ve, 0, SENTENCE_REACH, false);
        if (ve <= vs || vs < pos)
            return;
        if (!(r->follow_require && match(S, r->follow_require, false, t + vs, ve - vs, 0) < 0) &&
            !vetoed_as_asked(S, r, t, len, vs, ve) && required(S, r, t, vs, ve) &&
            !add_cand(S, r, sev, vs, ve))
            return;
        pos = ve > pos ? ve : pos + 1;
    }
}

/* Judge the sentence t[vs, ve) for r into S->v: the cheaper test first, since most such
 * sentences in a tender are requirements. */
static void judge(scratch *S, const ts_rule *r, const char *t, size_t len, size_t vs, size_t ve)
{
    S->v.vetoed = vetoed_as_asked(S, r, t, len, vs, ve);
    S->v.ok = !S->v.vetoed && required(S, r, t, vs, ve);
    S->v.tab = 0;
    S->v.cut = S->v.vetoed ? row_without_last_cell(S, r, t, vs, ve, &S->v.tab) : 0;
}

/* Does a clause of t[s, e) after a semicolon go on about what the clause before it said: does it
 * start with a pronoun, a negation or a conjunction ("…; den blir ofte ståande på gløtt", "…; no
 * camera covers the dock", "…; ellers er bygga ubemanna")? */
static bool goes_on_after_semicolon(const char *t, size_t s, size_t e)
{
    static const char *const words[] = {
        "den",   "det",   "dei",   "de",   "dem",   "han",    "ho",    "hun",       "dette",
        "denne", "der",   "her",   "it",   "they",  "this",   "these", "that",      "which",
        "who",   "there", "no",    "not",  "ingen", "inga",   "ikkje", "ikke",      "men",
        "but",   "og",    "and",   "så",   "so",    "ellers", "elles", "otherwise", "også",
        "òg",    "also",  "while", "mens", NULL};
    for (size_t i = s; i + 1 < e; i++) {
        if (t[i] != ';')
            continue;
        size_t w = i + 1;
        while (w < e && (t[w] == ' ' || t[w] == '\t'))
            w++;
        size_t we = w;
        while (we < e && !is_blank((unsigned char)t[we]) && t[we] != ',' && t[we] != ';')
            we++;
        if (word_listed(t, w, we, words))
            return true;
    }
    return false;
}

/* Does a semicolon end the clause t[s, e) or stand right before it? Only then can the clauses
 * of a sentence be joined (most sentences have none: the second widening is spared). */
static bool semicolon_beside(const char *t, size_t len, size_t s, size_t e)
{
    while (e < len && (t[e] == ' ' || t[e] == '\t' || t[e] == ',' || t[e] == ':' || t[e] == '-'))
        e++;
    if (e < len && t[e] == ';')
        return true;
    while (s > 0 && (t[s - 1] == ' ' || t[s - 1] == '\t'))
        s--;
    return s > 0 && t[s - 1] == ';';
}

static void consider(scratch *S, const ts_rule *r, const char *t, size_t len, size_t base,
                     size_t vs, size_t ve, bool labelled)
{
    if (ve <= vs)
        return;
    if (r->span_sentence) {
        size_t me = ve, cs = vs, ce = ve;
        widen_to_sentence(t, len, &cs, &ce, SENTENCE_REACH, SENTENCE_REACH, false);
        if (S->sent_rule != r || S->clause_s != t + cs || S->clause_e != t + ce) {
            S->sent_rule = r;
            S->clause_s = t + cs;
            S->clause_e = t + ce;
            judge(S, r, t, len, cs, ce);
            /* the clauses a semicolon joins ("står open; den blir …"): the whole sentence is the
             * value when it passes and this clause passes alone, or when the next clause goes on
             * about this one; otherwise this clause alone */
            size_t js = cs, je = ce;
            if (semicolon_beside(t, len, cs, ce))
                widen_to_sentence(t, len, &js, &je, SENTENCE_REACH, SENTENCE_REACH, true);
            if ((js != cs || je != ce) && (S->v.ok || goes_on_after_semicolon(t, js, je))) {
                verdict clause = S->v;
                judge(S, r, t, len, js, je);
                if (S->v.ok) {
                    cs = js; /* the whole sentence is the finding */
                    ce = je;
                } else {
                    S->v = clause;
                }
            }
            S->sent_s = t + cs;
            S->sent_e = t + ce;
            S->sent_followed = false;
        }
        vs = (size_t)(S->sent_s - t);
        ve = (size_t)(S->sent_e - t);
        if (!S->v.ok) {
            if (S->v.cut == 0 || me >= S->v.tab)
                return;
            ve = S->v.cut; /* the row without its last cell, which vetoed it */
        }
    }
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
    if (r->category == TS_CAT_CREDENTIAL && not_a_secret(S, t + vs, ve - vs))
        return;
    if (r->category == TS_CAT_NETWORK && ts_is_placeholder(t + vs, ve - vs))
        return; /* "ExampleNet", "<server>", "${HOST}" */
    ts_severity sev = r->severity;
    /* A label counts as context found, except for a rule that looks only at labelled values and
     * still requires context: there the label is what it looks at, and the context words are
     * looked for around the field in the text (a form's "Kilde:" field beside "Handling: Tillat").
     */
    bool own_context = labelled && r->header_required && r->context_required && t >= S->text &&
                       t <= S->text + S->len;
    size_t off = own_context ? (size_t)(t - S->text) : 0;
    if (r->ncontext > 0 && (own_context ? !has_context(r, S->text, S->len, off + vs, off + ve)
                                        : !labelled && !has_context(r, t, len, vs, ve))) {
        if (r->context_required ||
            (r->context_required_for &&
             match(S, r->context_required_for, false, t + vs, ve - vs, 0) >= 0))
            return;
        if (r->severity_nocontext >= 0)
            sev = (ts_severity)r->severity_nocontext;
    }
    if (!add_cand(S, r, sev, base + vs, base + ve))
        return;
    /* the sentences after it, in the text itself (not in a labelled cell), once a sentence */
    if (r->sentence_follow > 0 && t == S->text && S->sent_rule == r && !S->sent_followed) {
        S->sent_followed = true;
        follow(S, r, t, len, (size_t)(S->sent_e - t), sev);
    }
}

/* The match of r (rc from pcre2) in subject t[0, len) that S->md holds: consider its value;
 * returns the match's end. */
static size_t take(scratch *S, const ts_rule *r, const char *t, size_t base, size_t len, int rc,
                   bool labelled)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(S->md);
    size_t vs = ov[0], ve = ov[1], me = ov[1];
    if (r->value_group > 0 && (uint32_t)rc > r->value_group &&
        ov[2 * r->value_group] != PCRE2_UNSET) {
        vs = ov[2 * r->value_group];
        ve = ov[2 * r->value_group + 1];
    }
    consider(S, r, t, len, base, vs, ve, labelled); /* it may match again: ov is read first */
    return me;
}

/* Run one rule over t[start, end) of subject t[0, len) (t is `base` bytes into the text). A
 * match may look behind `start` but not past `end`; a sentence may reach to `len`. */
static void run_rule_in(scratch *S, ts_rule *r, const char *t, size_t base, size_t start,
                        size_t end, size_t len, bool labelled)
{
    size_t off = start;
    ts_rule_jit(r);
    bool jit = r->jit;
    while (off <= end && S->st == TS_OK) {
        int rc = match(S, r->re, jit, t, end, off);
        if (rc < 0)
            return; /* no match, or a limit: the rule gives up on this text */
        size_t me = take(S, r, t, base, len, rc, labelled);
        if (me > off) {
            off = me;
        } else {
            off = me + 1; /* empty match: step over one character */
            while (off < end && is_cont((unsigned char)t[off]))
                off++;
        }
    }
}

static void run_rule(scratch *S, ts_rule *r, size_t start, size_t end)
{
    run_rule_in(S, r, S->text, 0, start, end, S->len, false);
}

static bool is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || c == '-' || c == '_';
}

/* Is the keyword ending at `end` part of a label: does the word around it (with the two words
 * after it, for "pre-shared key") hold header word h? Most hits of short header words ("ip" in
 * "tips", "nett" in "nettside") are not. */
static bool header_hit(const scratch *S, const struct ts_hword *h, size_t end)
{
    const char *t = S->text;
    size_t ws = end, we = end;
    while (ws > 0 && end - ws < 64 && is_word_char((unsigned char)t[ws - 1]))
        ws--;
    for (int words = 0; words < 3 && we < S->len && we - ws < 120; words++) {
        while (we < S->len && we - ws < 120 && is_word_char((unsigned char)t[we]))
            we++;
        if (words < 2)
            while (we < S->len && (t[we] == ' ' || t[we] == '\t'))
                we++;
    }
    ts_label l;
    ts_label_init(&l, t + ws, we - ws);
    return ts_label_has(&l, h, 1, TS_LABEL_COLUMN);
}

/* The header word a keyword owner names, or NULL. */
static const struct ts_hword *owner_word(const scratch *S, uint32_t owner)
{
    uint32_t ri = (owner & ~TS_KW_HEADER) >> TS_KW_WORD_BITS, wi = owner & TS_KW_WORD_MASK;
    if (ri >= S->nrules || wi >= S->ctx->rules[ri]->nheader)
        return NULL;
    return &S->ctx->rules[ri]->header[wi];
}

/* window = word: the rule's pattern (compiled anchored) is tried at the start of the word that
 * holds the keyword ending at `end` and at the start of each of the WORDS_BACK words before it
 * on its line ("physical access control" for the keyword "access control"), each start once.
 * A pattern of many alternatives costs a few hundred cycles at each byte of a window; this way
 * it runs a handful of times per keyword. */
static void at_words(scratch *S, ts_rule *r, size_t idx, size_t end)
{
    const char *t = S->text;
    size_t at[WORDS_BACK + 2];
    size_t n = 0;
    size_t i = end;
    while (i > 0 && end - i < 64 && is_word_char((unsigned char)t[i - 1]))
        i--;
    while (i < end && is_cont((unsigned char)t[i]))
        i++; /* a longer word is cut at a character, not inside one: JIT's UTF needs that */
    /* the part after the word's last hyphen, where the keyword sits in "110-sentralen" */
    size_t h = end;
    while (h > i && t[h - 1] != '-')
        h--;
    if (h > i && h < end)
        at[n++] = h;
    at[n++] = i;
    size_t own = n; /* the keyword's word counted once, with or without its hyphen part */
    while (n - own < WORDS_BACK) {
        size_t j = i;
        while (j > 0 && i - j < 8 && t[j - 1] != '\n' && !is_word_char((unsigned char)t[j - 1]))
            j--;
        if (j == i || j == 0 || !is_word_char((unsigned char)t[j - 1]))
            break;
        size_t we = j;
        while (j > 0 && we - j < 64 && is_word_char((unsigned char)t[j - 1]))
            j--;
        while (j < we && is_cont((unsigned char)t[j]))
            j++;
        at[n++] = i = j;
    }
    size_t le = line_end(t, S->len, end, LINE_REACH);
    if (le < S->len && t[le] == '\n' && line_goes_on(t, S->len, le))
        le = line_end(t, S->len, le + 1, LINE_REACH); /* and its wrapped next line */
    ts_rule_jit(r);
    for (size_t k = n; k > 0 && S->st == TS_OK; k--) {
        size_t a = at[k - 1];
        if (a < S->searched[idx])
            continue;
        S->searched[idx] = a + 1;
        int rc = match(S, r->re, r->jit, t, le, a);
        if (rc >= 0)
            take(S, r, t, 0, S->len, rc, false);
    }
}

static int on_keyword(size_t end, const uint32_t *owners, size_t nowners, void *payload)
{
    scratch *S = payload;
    bool lines = false;
    size_t ls = 0, le = 0;
    for (size_t i = 0; i < nowners; i++) {
        uint32_t idx = owners[i];
        if (idx & TS_KW_HEADER) {
            const struct ts_hword *h = owner_word(S, idx);
            if (h == NULL || !header_hit(S, h, end))
                continue;
        }
        if (!lines) {
            ls = line_start(S->text, end, LINE_REACH);
            le = line_end(S->text, S->len, end, LINE_REACH);
            if (le < S->len)
                le = line_end(S->text, S->len, le + 1, LINE_REACH); /* and the next line */
            lines = true;
        }
        if (idx & TS_KW_HEADER) {
            /* a header word: its line is looked at for labels (once), the word for a value
             * right after it */
            if (S->nhits == 0 || S->hits[S->nhits - 1] != end) {
                if (ts_grow((void **)&S->hits, &S->cap_hits, S->nhits + 1, sizeof(*S->hits)) != 0) {
                    S->st = TS_ENOMEM;
                    break;
                }
                S->hits[S->nhits++] = end;
            }
            if (S->nhlines > 0 && S->hlines[S->nhlines - 1] == ls)
                continue;
            if (ts_grow((void **)&S->hlines, &S->cap_hlines, S->nhlines + 1, sizeof(*S->hlines)) !=
                0) {
                S->st = TS_ENOMEM;
                break;
            }
            S->hlines[S->nhlines++] = ls;
            continue;
        }
        if (idx >= S->nrules)
            continue;
        ts_rule *r = S->ctx->rules[idx];
        double t0 = S->prof_s != NULL ? now_s() : 0;
        if (r->window_word) {
            at_words(S, r, idx, end);
            profile_add(S, idx, t0);
            continue;
        }
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
        run_rule(S, r, from, le);
        profile_add(S, idx, t0);
    }
    return S->st != TS_OK;
}

/* A number shape: its rules run on its line and the next, as if it were their keyword. */
static int on_shape(size_t end, ts_shape shape, void *payload)
{
    scratch *S = payload;
    return on_keyword(end, S->ctx->shape_rules[shape], S->ctx->nshape_rules[shape], S);
}

/* ---- labelled values ----------------------------------------------------------------------- */

static void add_field(scratch *S, size_t vs, size_t ve, size_t ls, size_t le, unsigned flags)
{
    ts_span_trim(S->text, &vs, &ve);
    ts_span_trim(S->text, &ls, &le);
    if (vs == ve || ls == le || S->nfields >= MAX_FIELDS)
        return;
    if (ts_grow((void **)&S->fields, &S->cap_fields, S->nfields + 1, sizeof(*S->fields)) != 0) {
        S->st = TS_ENOMEM;
        return;
    }
    S->fields[S->nfields++] = (ts_field){
        .start = vs, .end = ve, .label = S->text + ls, .label_len = le - ls, .flags = flags};
}

static bool is_stop(unsigned char c)
{
    return c == '.' || c == ',' || c == ';' || c == '!' || c == '?' || c == '"' || c == '|' ||
           c == '@' || c == '\t' || c == ':' || c == '=' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '\n' || c == '>' || c == '<';
}

/* Is t[d] a dot or a comma inside a number (a date, "01.03", or a decimal), not a stop? */
static bool dot_in_number(const char *t, size_t ls, size_t d)
{
    return (t[d] == '.' || t[d] == ',') && d > ls && t[d - 1] >= '0' && t[d - 1] <= '9' &&
           t[d + 1] >= '0' && t[d + 1] <= '9';
}

/* Start of the key before a separator at `sep` (at most LABEL_WORDS words, not past `ls`, a
 * punctuation mark other than a dot or comma inside a number, guillemets or another
 * separator). */
static size_t key_start(const char *t, size_t ls, size_t sep)
{
    size_t i = sep, words = 0;
    /* a note in brackets between the key and its separator is not the key: "Kode (gjeld til
     * 31.12): 8841" is keyed by "Kode" */
    while (i > ls && (t[i - 1] == ' ' || t[i - 1] == '\t'))
        i--;
    if (i > ls && t[i - 1] == ')') {
        size_t o = i - 1;
        while (o > ls && i - o < 64 && t[o - 1] != '(' && t[o - 1] != ')')
            o--;
        if (o > ls && t[o - 1] == '(')
            i = o - 1;
        else
            i = sep;
    }
    while (i > ls) {
        while (i > ls && (t[i - 1] == ' ' || t[i - 1] == '\t'))
            i--;
        if (i == ls || is_stop((unsigned char)t[i - 1]))
            break;
        /* a guillemet (« » are C2 AB / C2 BB) ends the key too */
        if (i >= ls + 2 && (unsigned char)t[i - 2] == 0xC2 &&
            ((unsigned char)t[i - 1] == 0xAB || (unsigned char)t[i - 1] == 0xBB))
            break;
        if (words == LABEL_WORDS)
            break;
        while (i > ls && t[i - 1] != ' ' && t[i - 1] != '\t' &&
               (!is_stop((unsigned char)t[i - 1]) || dot_in_number(t, ls, i - 1)))
            i--;
        words++;
    }
    while (i < sep && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i;
}

/* Is the first word of t[vs, ve) marked as a value: letters with a digit or a symbol
 * ("Fjord2024!"), or four or more digits (a code)? "sterkt", "12" and "min." are not. */
static bool first_word_marked(const char *t, size_t vs, size_t ve)
{
    /* a word in quotes is set apart as a value: passordet «Blåbærlyng», password "sommarfugl" */
    static const char *const quotes[][2] = {
        {"\"", "\""}, {"\xc2\xab", "\xc2\xbb"}, {"\xe2\x80\x9c", "\xe2\x80\x9d"}};
    for (size_t q = 0; q < sizeof quotes / sizeof quotes[0]; q++) {
        size_t ol = strlen(quotes[q][0]), cl = strlen(quotes[q][1]);
        if (ve - vs <= ol + cl || memcmp(t + vs, quotes[q][0], ol) != 0)
            continue;
        size_t i = vs + ol, n = 0;
        while (i + cl <= ve && memcmp(t + i, quotes[q][1], cl) != 0 && t[i] != ' ' &&
               t[i] != '\t') {
            i++;
            n++;
        }
        if (n >= 3 && i + cl <= ve && memcmp(t + i, quotes[q][1], cl) == 0)
            return true;
    }
    size_t letters = 0, digits = 0, marks = 0;
    size_t we = vs;
    while (we < ve && t[we] != ' ' && t[we] != '\t')
        we++;
    if (we - vs > 1 && strchr(";:)?", t[we - 1]) != NULL)
        we--; /* a sentence's punctuation after a word is no mark of a value ("Tilgangsstyring;") */
    for (size_t i = vs; i < we; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
            letters++;
        else if (c >= '0' && c <= '9')
            digits++;
        else if (c != '.' && c != ',' && c != '-')
            marks++;
    }
    if (letters == 0 && (digits == 1 || digits == 2) && marks == 0) {
        /* a code spaced out digit by digit, "8 3 6 1", or in pairs, "12 34 56" */
        size_t w = digits, n = 1, i = vs + w;
        while (i < ve && t[i] == ' ') {
            size_t k = 0;
            while (k < w && i + 1 + k < ve && t[i + 1 + k] >= '0' && t[i + 1 + k] <= '9')
                k++;
            size_t e = i + 1 + k;
            if (k != w || (e < ve && t[e] != ' ' && t[e] != '.' && t[e] != ','))
                break;
            n++;
            i = e;
        }
        return n >= (w == 1 ? 4u : 3u);
    }
    return letters > 0 ? digits + marks > 0 : digits >= 4;
}

/* "sett til ", "set to ": words between a verb and its value ("passordet er sett til X") */
static const char *const verb_links[] = {
    "sett til ", "satt til ", "set to ", "endra til ", "endret til ", "changed to ", "lik ",
    "for tiden ", "for tida ", "no ", "nå ", "currently ", "now ", "fortsatt ", "framleis ",
    "still ", "sett tilbake til ", "satt tilbake til ", "set back to ",
    /* "TACACS-nøkkelen er en annen, X": another value than the one before */
    "en annen, ", "ein annan, ", "eit anna, ", "et annet, ", "another one, ", "a different one, ",
    "different, ",
    /* what the value is: the factory's or the default one left in place */
    "fabrikkoden ", "fabrikkinnstillingen ", "fabrikkinnstillinga ", "standardkoden ",
    "standardpassordet ", "the factory default ", "the factory code ", "the default ", NULL};

/* … and a change from an old value to the new one: "endra frå 1234 til ", "changed from X to " */
static const char *const change_links[] = {
    "endra frå ",  "endra fra ",    "endret fra ",    "endret frå ", "bytta frå ",
    "byttet fra ", "changed from ", "nullstilt fra ", "reset from ", NULL};
static const char *const change_to[] = {" til ", " to ", NULL};

static size_t past_verb_link(const char *t, size_t vs, size_t ve)
{
    size_t n = prefix_in(t, vs, ve, verb_links);
    if (n > 0)
        return vs + n;
    /* a change may come after a few words of when or where: "ble i fjor endret fra X til" */
    size_t cs = vs;
    n = prefix_in(t, cs, ve, change_links);
    for (int w = 0; n == 0 && w < 3; w++) {
        size_t j = cs;
        while (j < ve && j - cs < 14 && (unsigned char)t[j] > ' ' && t[j] != ':' && t[j] != '=')
            j++;
        if (j >= ve || t[j] != ' ' || j == cs)
            break;
        cs = j + 1;
        n = prefix_in(t, cs, ve, change_links);
    }
    if (n == 0)
        return vs;
    vs = cs;
    size_t j = vs + n; /* past the old value, one word */
    while (j < ve && t[j] != ' ' && t[j] != '\t')
        j++;
    size_t m = prefix_in(t, j, ve, change_to);
    return m > 0 ? j + m : vs;
}

/* and what stands between a label and its value: "Passordet er X", "Password reset to X" */
static const char *const verbs[] = {" er ",
                                    " is ",
                                    " blir ",
                                    " vert ",
                                    " var ",
                                    " was ",
                                    " vart ",
                                    " ble ",
                                    " are ",
                                    " lik ",
                                    " reset to ",
                                    " changed to ",
                                    " set to ",
                                    " satt til ",
                                    " sett til ",
                                    " endret til ",
                                    " endra til ",
                                    " endres til ",
                                    " endrast til ",
                                    " changes to ",
                                    " will change to ",
                                    " byttet til ",
                                    " bytta til ",
                                    " tilbakestilt til ",
                                    " nullstilt til ",
                                    NULL};

/* The line after the one ending at `le`: where a value stands when its label ends a line. Its
 * start is past blanks. False at the end of the text. */
static bool next_line(const scratch *S, size_t le, size_t *ns, size_t *ne)
{
    if (le >= S->len)
        return false;
    *ns = le + 1;
    *ne = line_end(S->text, S->len, *ns, FIELD_REACH);
    while (*ns < *ne && (S->text[*ns] == ' ' || S->text[*ns] == '\t'))
        (*ns)++;
    return true;
}

/* "label: value", "label = value", "label er value" pairs of the line [ls, le). */
static void kv_pairs(scratch *S, size_t ls, size_t le)
{
    const char *t = S->text;
    /* semicolons that join cells ("a;b;c"), not clauses ("servere: 120; VLAN: 30; …") */
    size_t semis = 0;
    for (size_t i = ls; i < le && semis < 2; i++)
        semis += t[i] == ';' && i + 1 < le && t[i + 1] != ' ';
    for (size_t i = ls; i < le && S->st == TS_OK; i++) {
        unsigned char c = (unsigned char)t[i];
        size_t sep_end = 0;
        bool verb = false;
        if (c == ':') {
            if (i + 1 < le && (t[i + 1] == '/' || t[i + 1] == ':'))
                continue; /* "https://", "::" */
            if (i > ls && t[i - 1] == ':')
                continue;
            if (i > ls && i + 1 < le && t[i + 1] >= '0' && t[i + 1] <= '9' && t[i - 1] != ' ' &&
                t[i - 1] != '\t')
                continue; /* 12:30, 10.0.0.1:8080, localhost:27017 */
            sep_end = i + 1;
        } else if (c == '=') {
            if ((i + 1 < le && (t[i + 1] == '=' || t[i + 1] == '>')) ||
                (i > ls &&
                 (t[i - 1] == '!' || t[i - 1] == '<' || t[i - 1] == '>' || t[i - 1] == '=')))
                continue;
            sep_end = i + 1;
        } else if (c == ' ') {
            for (const char *const *v = verbs; *v; v++) {
                size_t vl = strlen(*v);
                if (le - i >= vl && starts_folded(t + i, *v, vl)) {
                    sep_end = i + vl - 1;
                    verb = true;
                    break;
                }
                if (le - i == vl - 1 && starts_folded(t + i, *v, vl - 1)) {
                    sep_end = le; /* the verb ends a wrapped line */
                    verb = true;
                    break;
                }
            }
            if (!verb)
                continue;
        } else {
            continue;
        }
        size_t ke = i;
        while (ke > ls && (t[ke - 1] == ' ' || t[ke - 1] == '\t'))
            ke--;
        size_t ks;
        if (ke > ls && (t[ke - 1] == '"' || t[ke - 1] == '\'')) {
            /* a quoted key: JSON "x_passphrase": "…", YAML 'password': … */
            char q = t[ke - 1];
            ks = ke - 1;
            while (ks > ls && t[ks - 1] != q && ke - ks < 64)
                ks--;
            if (ks == ls || t[ks - 1] != q)
                continue;
            ke--;
        } else {
            ks = key_start(t, ls, i);
        }
        if (ks >= ke)
            continue;
        size_t vs = sep_end;
        while (vs < le && (t[vs] == ' ' || t[vs] == '\t'))
            vs++;
        if (vs + 1 == le && t[vs] == '\\')
            vs = le; /* "secret=\\" continued on the next line (RouterOS, shell) */
        size_t ve = le - vs > FIELD_REACH ? vs + FIELD_REACH : le;
        /* a pair in a table's cell ends with the cell: at a tab, or at a semicolon of a line
         * that is a semicolon table (two or more of them) */
        for (size_t k = vs; k < ve; k++)
            if (t[k] == '\t' || (t[k] == ';' && semis >= 2 && k + 1 < ve && t[k + 1] != ' ')) {
                ve = k;
                break;
            }
        if (vs >= le) {
            /* "Passord:" alone on its line, "passordet er" at the end of a wrapped line: the
             * value is on the next line */
            size_t ns, ne;
            if (!next_line(S, le, &ns, &ne) || (verb && !first_word_marked(t, ns, ne)))
                continue;
            add_field(S, ns, ne, ks, ke, 0);
            continue;
        }
        if (verb) /* "er framleis fabrikkoden 1234": two links in a row */
            vs = past_verb_link(t, past_verb_link(t, vs, ve), ve);
        if (verb && !first_word_marked(t, vs, ve))
            continue; /* "Passordet er sterkt": a description, not a value */
        add_field(S, vs, ve, ks, ke, 0);
    }
}

/* The cells of line [ls, le) split at `sep` ("|" tables lose their outer bars): up to `max`
 * spans in cs/ce; returns how many. */
static size_t split_cells(const char *t, size_t ls, size_t le, char sep, size_t *cs, size_t *ce,
                          size_t max)
{
    size_t n = 0, a = ls;
    if (sep == '|') {
        ts_span_trim(t, &a, &le);
        if (a < le && t[a] == '|')
            a++;
        if (le > a && t[le - 1] == '|')
            le--;
    }
    for (size_t i = a; i <= le && n < max; i++) {
        if (i == le || t[i] == sep) {
            cs[n] = a;
            ce[n] = i;
            n++;
            a = i + 1;
        }
    }
    return n;
}

static size_t count_byte(const char *t, size_t a, size_t b, char c)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += t[i] == c;
    return n;
}

static bool span_label_like(const char *t, size_t a, size_t b)
{
    return ts_label_like(t + a, b - a);
}

#define ROW_CELLS 64u

/* A table row at [ls, le): its row label, and when it is a header row, the cells below it. */
static void table_rows(scratch *S, size_t ls, size_t le)
{
    static const char seps[] = {'\t', '|', ';'};
    const char *t = S->text;
    for (size_t k = 0; k < sizeof seps; k++) {
        char sep = seps[k];
        size_t count = count_byte(t, ls, le, sep);
        if (count == 0 || (sep == '|' && count < 2))
            continue;
        size_t cs[ROW_CELLS], ce[ROW_CELLS];
        size_t n = split_cells(t, ls, le, sep, cs, ce, ROW_CELLS);
        if (n < 2)
            continue;
        if (sep == ';') {
            /* semicolons in prose are not a table: the next line must have as many */
            if (le >= S->len)
                continue;
            size_t ne = line_end(t, S->len, le + 1, LINE_REACH);
            if (count_byte(t, le + 1, ne, ';') != count)
                continue;
        }
        /* a header row: every non-empty cell a label */
        size_t filled = 0, labels = 0;
        for (size_t i = 0; i < n; i++) {
            size_t x = cs[i], y = ce[i];
            while (x < y && (t[x] == ' ' || t[x] == '\t'))
                x++;
            if (x == y)
                continue;
            filled++;
            labels += span_label_like(t, x, y);
        }
        bool header = filled >= 2 && labels == filled;
        if (header && ls > 0) {
            /* a header row opens its table: the line before is no row of it */
            size_t ps = line_start(t, ls - 1, LINE_REACH);
            header = count_byte(t, ps, ls - 1, sep) == 0;
        }
        if (header) {
            /* a header row has rows under it; a lone row of two labels is a key and its value */
            size_t ne = le < S->len ? line_end(t, S->len, le + 1, LINE_REACH) : le;
            header = le < S->len && count_byte(t, le + 1, ne, sep) > 0;
        }
        /* the row's label: its first cell (a header row's cells are labels, not values), or
         * when that is longer, its first words before a note in brackets or after a comma
         * ("API token for the booking integration (read-only, prod)") */
        size_t a = cs[0], b = a + ts_row_label_len(t + a, ce[0] - a);
        if (!header && b > a)
            for (size_t i = 1; i < n; i++)
                add_field(S, cs[i], ce[i], a, b, TS_FIELD_CELL);
        if (!header)
            return;
        size_t pos = le, rows = 0;
        while (pos < S->len && rows < TABLE_ROWS && S->st == TS_OK) {
            size_t rs = pos + 1, re = line_end(t, S->len, rs, LINE_REACH);
            if (count_byte(t, rs, re, sep) == 0)
                break;
            size_t rcs[ROW_CELLS], rce[ROW_CELLS];
            size_t rn = split_cells(t, rs, re, sep, rcs, rce, ROW_CELLS);
            for (size_t i = 0; i < rn && i < n; i++)
                add_field(S, rcs[i], rce[i], cs[i], ce[i], TS_FIELD_CELL | TS_FIELD_HEADER);
            if (rn >= 2)
                add_field(S, rcs[0], rce[rn - 1], ls, le, TS_FIELD_ROW | TS_FIELD_HEADER);
            pos = re;
            rows++;
        }
        return;
    }
}

/* Does t[vs, ve) start like a value: a marked first word, or a pair "x / y"? */
static bool looks_like_value(const char *t, size_t vs, size_t ve)
{
    for (size_t i = vs + 1; i < ve && i < vs + 48; i++)
        if (t[i] == '/')
            return true;
    return first_word_marked(t, vs, ve);
}

/* Does t[vs, le) start with a vendor's default password, a plain word that is a credential all
 * the same when a label names it ("passord apc", "password ubnt")? */
static bool vendor_default(const char *t, size_t vs, size_t le)
{
    static const char *const words[] = {"apc",      "ubnt",       "cisco",  "admin",
                                        "toor",     "raspberry",  "calvin", "private",
                                        "operator", "supervisor", NULL};
    size_t we = vs;
    while (we < le && is_word_char((unsigned char)t[we]))
        we++;
    if (we < le && t[we] != ' ' && t[we] != ',' && t[we] != '.' && t[we] != ';' && t[we] != ')' &&
        t[we] != '\t' && t[we] != '\r')
        return false;
    return word_listed(t, vs, we, words);
}

/* A value set off by commas after its label word, alone or with a short "for …" between:
 * "the admin password, Xk9#mP2q, is kept …", "PIN for varemottaket, 4821,", "passordet for
 * gjestenettet, Sommer2024!". vs is just past the label word's blanks. Returns where the value
 * starts, or 0: only one marked word that ends the clause (a comma, a stop, a bracket or the
 * line's end) is taken, so "passord, brukarnamn og kode" is prose. */
static size_t apposition(const char *t, size_t vs, size_t le)
{
    size_t c = vs;
    if (c < le && t[c] != ',') {
        static const char *const preps[] = {"for ", "til ", "to ", "on ", "på ", "i ", "in ", NULL};
        if (prefix_in(t, c, le, preps) == 0)
            return 0;
        size_t words = 0;
        while (c < le && t[c] != ',' && c < vs + 48) {
            if (t[c] != ' ' && !is_word_char((unsigned char)t[c]) && t[c] != '-' &&
                (unsigned char)t[c] < 0x80)
                return 0;
            words += t[c] == ' ';
            c++;
        }
        if (c >= le || t[c] != ',' || words > 4)
            return 0;
    }
    if (c >= le || t[c] != ',')
        return 0;
    c++;
    while (c < le && t[c] == ' ')
        c++;
    size_t e = c;
    while (e < le && t[e] != ' ' && t[e] != '\t' && t[e] != ',')
        e++;
    /* an account and its password: "Tenestebrukar, svc_backup / Backup#2023," */
    size_t sl = e;
    while (sl < le && t[sl] == ' ')
        sl++;
    if (e > c && sl < le && t[sl] == '/' && sl + 1 < le && t[sl + 1] == ' ')
        return c;
    size_t end = e;
    while (end > c && strchr(".;)", t[end - 1]) != NULL)
        end--;
    if (end == c || !first_word_marked(t, c, end))
        return 0;
    if (e < le && t[e] != ',' && end == e)
        return 0; /* the word does not end the clause: "passord, 12 tegn eller meir" */
    return c;
}

/* Is t[s, e) a range of hours with an en or em dash, "07–16", "0700–1600" (the hyphen form is too
 * short to be taken for a value)? */
static bool hour_range(const char *t, size_t s, size_t e)
{
    size_t a = s;
    while (a < e && a - s < 4 && t[a] >= '0' && t[a] <= '9')
        a++;
    if (a == s || e - a < 4 || (unsigned char)t[a] != 0xE2 || (unsigned char)t[a + 1] != 0x80 ||
        ((unsigned char)t[a + 2] != 0x93 && (unsigned char)t[a + 2] != 0x94))
        return false;
    size_t b = a + 3, d = b;
    while (d < e && d - b < 4 && t[d] >= '0' && t[d] <= '9')
        d++;
    return d > b && d == e;
}

/* A value in brackets later in the label word's clause: "same local administrator password on all
 * clients (Xk9#mP2q)", "passordet på ruteren (Fjord2024!)". One marked word of six characters or
 * more alone in the brackets: "(min. 12 tegn)", "(PIN)" and "(se vedlegg)" are notes. Returns
 * where it starts, or 0. */
static size_t bracketed(const char *t, size_t vs, size_t le)
{
    for (size_t i = vs; i < le && i < vs + 80; i++) {
        if (t[i] == '.' && (i + 1 == le || t[i + 1] == ' '))
            return 0; /* the clause has ended */
        if (t[i] == ';' || t[i] == '?' || t[i] == '!' || t[i] == ':' || t[i] == '=' || t[i] == '\t')
            return 0; /* the clause or the cell has ended */
        if (t[i] != '(')
            continue;
        size_t c = i + 1, e = c;
        /* a host name, an address, a version or a standard ("nps01.skule.local", "802.1X") in
         * brackets names a thing, it is no secret */
        while (e < le && t[e] != ')' && t[e] != ' ' && t[e] != '\t' && t[e] != '(' && t[e] != '.' &&
               t[e] != '/' && t[e] != ':')
            e++;
        if (e >= le || t[e] != ')' || e - c < 6 || !first_word_marked(t, c, e) ||
            hour_range(t, c, e))
            return 0;
        return c;
    }
    return 0;
}

/* "passord Fjord2024!", "pw Sommer#1", "testbruker ola / Fjord2024": a value right after the
 * word holding a header word, with no separator. Only a value that is marked (a digit or a
 * symbol in its first word) or a pair "x / y" is taken: "passord skal …" is prose. */
static void word_pairs(scratch *S, size_t hit)
{
    const char *t = S->text;
    size_t we = hit, ws = hit;
    while (we < S->len && is_word_char((unsigned char)t[we]))
        we++;
    while (ws > 0 && is_word_char((unsigned char)t[ws - 1]))
        ws--;
    size_t le = line_end(t, S->len, we, FIELD_REACH);
    size_t vs = we;
    while (vs < le && (t[vs] == ' ' || t[vs] == '\t'))
        vs++;
    if (vs >= le) {
        size_t ns, ne;
        if (!next_line(S, le, &ns, &ne))
            return;
        /* a label alone on its line ("Passord", "PIN-kode"), its value on the next: a table's
         * two cells as PDF and OCR text often give them */
        size_t ls = line_start(t, ws, FIELD_REACH);
        size_t words = 0;
        bool tab = false;
        for (size_t i = ls; i < le; i++) {
            tab = tab || t[i] == '\t';
            words += (i == ls || t[i - 1] == ' ') && t[i] != ' ';
        }
        /* a short label alone (not a table's header row, whose next line is a row) */
        if (!tab && words <= 3 && ts_label_like(t + ls, le - ls)) {
            /* not one of a table's header cells that PDF and OCR put one a line: the line
             * before is no label, and the next is a value, not another label */
            size_t ps = ls > 0 ? line_start(t, ls - 1, FIELD_REACH) : ls;
            bool prev_label = ls > 0 && ls - 1 > ps && ts_label_like(t + ps, ls - 1 - ps);
            bool next_label = ts_label_like(t + ns, ne - ns);
            if (!prev_label && (!next_label || first_word_marked(t, ns, ne)))
                add_field(S, ns, ne, ls, le, 0);
            return;
        }
        /* the label word ends a wrapped line: "… har testbruker⏎rapport / Rapport2019" */
        if (!tab && looks_like_value(t, ns, ne))
            add_field(S, ns, ne, ws, we, 0);
        return;
    }
    size_t inb = bracketed(t, vs, le);
    if (inb > 0) {
        add_field(S, inb, le, ws, we, 0);
        return;
    }
    if (vs < le && t[vs] == '(') { /* a short note between label and value: "delt nøkkel (PSK) X" */
        size_t c = vs + 1;
        while (c < le && c < vs + 24 && t[c] != ')' && t[c] != '(')
            c++;
        if (c >= le || t[c] != ')')
            return;
        vs = c + 1;
        while (vs < le && (t[vs] == ' ' || t[vs] == '\t'))
            vs++;
    }
    size_t after = apposition(t, vs, le);
    if (after > 0) {
        add_field(S, after, le, ws, we, 0);
        return;
    }
    if (vs == we || vs >= le || t[vs] == ':' || t[vs] == '=' || t[vs] == '(' ||
        !(looks_like_value(t, vs, le) || vendor_default(t, vs, le)))
        return;
    add_field(S, vs, le, ws, we, 0);
}

/* Labelled values of the text itself. `tables`: also guess its tables from tabs, bars and
 * semicolons (not when the extractor handed over the real ones: merged cells would shift). */
static void derive_fields(scratch *S, bool tables)
{
    S->nfields = 0;
    for (size_t i = 0; i < S->nhlines && S->st == TS_OK; i++) {
        size_t ls = S->hlines[i];
        size_t le = line_end(S->text, S->len, ls, LINE_REACH);
        kv_pairs(S, ls, le);
        if (tables)
            table_rows(S, ls, le);
    }
    for (size_t i = 0; i < S->nhits && S->st == TS_OK; i++)
        word_pairs(S, S->hits[i]);
}

/* Which header rules a label names: found by the keyword set over the label's own text (only
 * the header words whose keyword it holds are checked), kept in a small cache by the label's
 * bytes, since a table's labels repeat (every cell of a column, every row under a header). */
#define LABEL_CACHE 32u

typedef struct label_hits {
    const scratch *S;
    const ts_label *l;
    uint64_t col, row, text; /* bit j: hrules[j] matches as a column header / a row label /
                              * a key in prose */
} label_hits;

static int on_label_word(size_t end, const uint32_t *owners, size_t nowners, void *payload)
{
    (void)end;
    label_hits *h = payload;
    for (size_t i = 0; i < nowners; i++) {
        if (!(owners[i] & TS_KW_HEADER))
            continue;
        const struct ts_hword *w = owner_word(h->S, owners[i]);
        uint32_t ri = (owners[i] & ~TS_KW_HEADER) >> TS_KW_WORD_BITS;
        uint32_t j = w ? h->S->ctx->hrule_of[ri] : UINT32_MAX;
        if (j >= 64)
            continue;
        uint64_t bit = (uint64_t)1 << j;
        if ((h->col & h->row & h->text & bit) || !ts_label_has(h->l, w, 1, TS_LABEL_COLUMN))
            continue;
        /* a word the label holds names a column; a row label too unless it is `^`, a key in
         * prose too unless it is `=` or `^` (ts_label_has) */
        h->col |= bit;
        if (!w->column)
            h->row |= bit;
        if (!w->cells)
            h->text |= bit;
    }
    return 0;
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Run header rule r over field f's value, if the row (line) that holds it has what the rule's
 * row.require asks for. */
static void run_field(scratch *S, ts_rule *r, const ts_field *f)
{
    size_t flen = f->end - f->start;
    if (r->row_require) {
        size_t ls = line_start(S->text, f->start, SENTENCE_REACH);
        size_t le = line_end(S->text, S->len, f->end, SENTENCE_REACH);
        if (match(S, r->row_require, false, S->text + ls, le - ls, 0) < 0)
            return;
    }
    run_rule_in(S, r, S->text + f->start, f->start, 0, flen, flen, true);
}

/* Run the header rules whose words the field's label holds over the field's value. */
static void run_fields(scratch *S, const ts_field *f, size_t n)
{
    const ts_ctx *ctx = S->ctx;
    struct {
        uint64_t hash, col, row, text;
        size_t len;
    } cache[LABEL_CACHE];
    memset(cache, 0, sizeof cache);
    for (size_t i = 0; i < n && S->st == TS_OK; i++) {
        if (f[i].end <= f[i].start || f[i].end > S->len || f[i].label_len == 0)
            continue;
        bool table = (f[i].flags & (TS_FIELD_CELL | TS_FIELD_ROW)) != 0;
        bool row = (f[i].flags & TS_FIELD_ROW) != 0;
        /* a cell under its column's header, or a whole row under the header row, is labelled
         * by a column header; another cell by its row's label */
        ts_label_where where = !table                                         ? TS_LABEL_TEXT
                               : (row || (f[i].flags & TS_FIELD_HEADER) != 0) ? TS_LABEL_COLUMN
                                                                              : TS_LABEL_ROW;
        uint64_t mask;
        if (ctx->nhrules <= 64) {
            uint64_t h = fnv(f[i].label, f[i].label_len);
            size_t slot = (size_t)(h % LABEL_CACHE);
            if (cache[slot].len != f[i].label_len || cache[slot].hash != h) {
                ts_label l;
                ts_label_init(&l, f[i].label, f[i].label_len);
                label_hits hits = {.S = S, .l = &l};
                if (l.n > 0)
                    ts_kwset_scan(ctx->kwset, f[i].label, f[i].label_len, on_label_word, &hits);
                cache[slot].hash = h;
                cache[slot].len = f[i].label_len;
                cache[slot].col = hits.col;
                cache[slot].row = hits.row;
                cache[slot].text = hits.text;
            }
            mask = where == TS_LABEL_COLUMN ? cache[slot].col
                   : where == TS_LABEL_ROW  ? cache[slot].row
                                            : cache[slot].text;
        } else {
            /* more header rules than a mask holds: ask each */
            ts_label l;
            ts_label_init(&l, f[i].label, f[i].label_len);
            mask = 0;
            for (size_t j = 0; j < ctx->nhrules; j++) {
                ts_rule *r = ctx->hrules[j];
                if (r->header_row == row && ts_label_has(&l, r->header, r->nheader, where))
                    run_field(S, r, &f[i]);
            }
        }
        for (size_t j = 0; mask != 0 && j < ctx->nhrules && S->st == TS_OK; j++) {
            if (!((mask >> j) & 1u))
                continue;
            ts_rule *r = ctx->hrules[j];
            if (r->header_row != row)
                continue;
            run_field(S, r, &f[i]);
        }
    }
}

/* header.not: a value inside a table cell whose column header holds one of its rule's header.not
 * words is no finding of that rule ("12.1.2.172" in a column "Versjon" is no address). The cells
 * come from the extractor (`f`, n) and from the engine's own reading of plain-text tables. */
static int cmp_field_start(const void *a, const void *b)
{
    const ts_field *x = *(const ts_field *const *)a, *y = *(const ts_field *const *)b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void veto_by_column(scratch *S, const ts_field *f, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < S->ncands && !any; i++)
        any = S->cands[i].rule->nheader_not > 0;
    if (!any)
        return;
    size_t total = n + S->nfields, m = 0;
    const ts_field **cells = total ? ts_calloc(total, sizeof(*cells)) : NULL;
    if (cells == NULL)
        return; /* out of memory or no cells: nothing to veto by */
    /* a cell under its column's header, or beside its row's label ("Auth ID | sip-01") */
    const unsigned want = TS_FIELD_CELL;
    for (size_t i = 0; i < n; i++)
        if ((f[i].flags & want) == want && (f[i].flags & TS_FIELD_ROW) == 0)
            cells[m++] = &f[i];
    for (size_t i = 0; i < S->nfields; i++)
        if ((S->fields[i].flags & want) == want && (S->fields[i].flags & TS_FIELD_ROW) == 0)
            cells[m++] = &S->fields[i];
    qsort(cells, m, sizeof(*cells), cmp_field_start);
    size_t w = 0;
    for (size_t i = 0; i < S->ncands; i++) {
        cand c = S->cands[i];
        bool in_column = false;
        if (c.rule->nheader_not > 0) {
            /* the cells that start at or before the value, nearest first */
            size_t lo = 0, hi = m;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (cells[mid]->start <= c.vs)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            /* a cell holds at most a few fields with a label (the extractor's and the engine's own
             * reading of the same table, a column header and a row label), so a few steps back
             * reach its cell */
            for (size_t k = lo; k > 0 && k + 6 > lo && !in_column; k--) {
                const ts_field *cell = cells[k - 1];
                if (cell->end < c.ve)
                    continue;
                ts_label l;
                ts_label_init(&l, cell->label, cell->label_len);
                in_column =
                    ts_label_has(&l, c.rule->header_not, c.rule->nheader_not,
                                 (cell->flags & TS_FIELD_HEADER) ? TS_LABEL_COLUMN : TS_LABEL_ROW);
            }
        }
        if (!in_column)
            S->cands[w++] = c;
    }
    S->ncands = w;
    ts_free(cells);
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
    /* a catch-all rule gives way to any other rule that found the value (overlap = yield) */
    if (a->rule->overlap_yield != b->rule->overlap_yield)
        return !a->rule->overlap_yield;
    /* of two catch-alls, the one whose value holds the other's says more (the sentence that
     * opens a port holds the form field with its address) */
    if (a->rule->overlap_yield &&
        (a->vs <= b->vs && a->ve >= b->ve) != (b->vs <= a->vs && b->ve >= a->ve))
        return a->vs <= b->vs && a->ve >= b->ve;
    if (a->sev != b->sev)
        return a->sev > b->sev;
    /* a rule that knows the value's shape names it better than one that took it by its label
     * (which may take a whole row or the rest of a line) */
    if ((a->rule->nheader > 0) != (b->rule->nheader > 0))
        return a->rule->nheader == 0;
    if (a->ve - a->vs != b->ve - b->vs)
        return a->ve - a->vs > b->ve - b->vs;
    return strcmp(a->rule->id, b->rule->id) < 0;
}

static void drop_overlaps(scratch *S)
{
    qsort(S->cands, S->ncands, sizeof(*S->cands), cmp_cat_pos);
    size_t keep = SIZE_MAX, row = SIZE_MAX;
    for (size_t i = 0; i < S->ncands; i++) {
        cand *c = &S->cands[i];
        if (c->rule->header_row) {
            /* a whole table row stands beside the values found in it; only the same row
             * found twice (by the extractor's table and by the engine's guess) is one */
            const cand *r = row != SIZE_MAX ? &S->cands[row] : NULL;
            if (r && r->rule == c->rule && r->vs == c->vs && r->ve == c->ve)
                c->dropped = true;
            else
                row = i;
            continue;
        }
        if (keep != SIZE_MAX) {
            cand *k = &S->cands[keep];
            if (k->rule->category == c->rule->category && c->vs < k->ve) {
                cand *win = better(c, k) ? c : k, *lose = win == c ? k : c;
                lose->dropped = true;
                keep = win == c ? i : keep;
                /* a catch-all that holds a more severe one's value takes its severity */
                if (win->rule->overlap_yield && lose->sev > win->sev && win->vs <= lose->vs &&
                    win->ve >= lose->ve)
                    win->sev = lose->sev;
                continue;
            }
        }
        keep = i;
    }
    qsort(S->cands, S->ncands, sizeof(*S->cands), cmp_pos);
}

static ts_status emit(ts_doc *doc, scratch *S, const ts_loc *loc, ts_place_fn place, void *payload)
{
    const char *t = S->text;
    size_t counted = 0;
    unsigned long line = loc->line;
    for (size_t i = 0; i < S->ncands; i++) {
        const cand *c = &S->cands[i];
        if (c->dropped)
            continue;
        if (loc->line > 0) {
            for (const char *p = t + counted; (p = memchr(p, '\n', (size_t)(t + c->vs - p))); p++)
                line++;
            counted = c->vs;
        }
        size_t ls = line_start(t, c->vs, CONTEXT_REACH);
        size_t le = line_end(t, S->len, c->ve, CONTEXT_REACH);
        ts_loc l = *loc;
        l.line = loc->line > 0 ? line : 0;
        if (place && !place(payload, c->vs, c->ve, &l))
            continue;
        uint64_t order =
            ((uint64_t)doc->segments << 32) | (c->vs > UINT32_MAX ? UINT32_MAX : c->vs);
        ts_status st = ts_doc_add_finding(doc, c->rule, c->sev, &l, t + c->vs, c->ve - c->vs,
                                          t + ls, c->vs - ls, t + c->ve, le - c->ve, NULL, order);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

ts_status ts_engine_scan(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                         const ts_field *fields, size_t nfields, ts_place_fn place, void *payload)
{
    const ts_ctx *ctx = doc->ctx;
    if (ctx == NULL || len == 0 || ctx->nrules == 0)
        return TS_OK;
    scratch *S = get_scratch(doc);
    if (S == NULL)
        return TS_ENOMEM;
    S->text = text;
    S->len = len;
    S->sent_rule = NULL; /* a new text may sit where the last one was */
    S->ncands = 0;
    S->st = TS_OK;
    memset(S->searched, 0, S->nrules * sizeof(*S->searched));
    S->nhlines = 0;
    S->nhits = 0;
    for (size_t i = 0; i < ctx->nplain && S->st == TS_OK; i++)
        run_rule(S, ctx->plain[i], 0, len);
    unsigned shapes = 0; /* the shapes some rule runs on */
    for (unsigned k = 0; k < TS_SHAPES; k++)
        shapes |= ctx->nshape_rules[k] > 0 ? 1u << k : 0u;
    if (S->st == TS_OK && shapes != 0)
        ts_shape_scan(text, len, shapes, on_shape, S);
    if (S->st == TS_OK)
        ts_kwset_scan(ctx->kwset, text, len, on_keyword, S);
    if (S->st == TS_OK && ctx->nhrules > 0) {
        run_fields(S, fields, nfields);
        derive_fields(S, nfields == 0);
        run_fields(S, S->fields, S->nfields);
    }
    if (S->st == TS_OK && S->ncands > 0)
        veto_by_column(S, fields, nfields);
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

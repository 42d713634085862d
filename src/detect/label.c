/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Header words: does a column header, row label or key name what a rule looks for? */
#include "detect/label.h"

#include <string.h>

#include "core/alloc.h"
#include "core/core.h"

/* Endings a label's last word may add to a header word: Norwegian (bokmål and nynorsk) definite
 * and plural forms and the English plural. "passord" + "et", "kode" + "ane", "key" + "s". */
static const char *const endings[] = {
    "",   "e",  "n",   "t",   "r",   "s",   "a",  "en",  "et", "er",
    "ar", "ne", "ene", "ane", "ens", "ets", "es", "ers", NULL,
};

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Fold into o (room for cap bytes) with ts_fold_latin1; returns bytes written. A word is letters
 * and digits; anything else becomes one space, none at the ends. */
static size_t fold(char *o, size_t cap, const char *s, size_t len)
{
    size_t n = len < cap ? len : cap;
    ts_fold_latin1(o, s, n);
    size_t w = 0;
    bool space = true; /* no space at the start */
    for (size_t i = 0; i < n; i++) {
        if (!is_word_byte((unsigned char)o[i])) {
            if (!space)
                o[w++] = ' ';
            space = true;
            continue;
        }
        o[w++] = o[i];
        space = false;
    }
    while (w > 0 && o[w - 1] == ' ')
        w--;
    return w;
}

ts_status ts_hword_parse(ts_hword *out, const char *spec)
{
    memset(out, 0, sizeof(*out));
    if (*spec == '^') {
        out->column = out->cells = true;
        spec++;
    } else if (*spec == '=') {
        out->cells = true;
        spec++;
    }
    if (*spec == '*') {
        out->compound = true;
        spec++;
    }
    size_t len = strlen(spec);
    char *t = ts_malloc(len + 1);
    if (t == NULL)
        return TS_ENOMEM;
    size_t n = fold(t, len, spec, len);
    t[n] = '\0';
    if (n == 0) {
        ts_free(t);
        return TS_EINVAL;
    }
    out->tokens = t;
    out->ntokens = 1;
    for (size_t i = 0; i < n; i++)
        out->ntokens += t[i] == ' ';
    const char *sp = strchr(t, ' ');
    out->first_len = sp ? (size_t)(sp - t) : n;
    return TS_OK;
}

void ts_hword_dispose(ts_hword *w)
{
    ts_free(w->tokens);
    w->tokens = NULL;
}

void ts_label_init(ts_label *l, const char *text, size_t len)
{
    size_t n = fold(l->buf, sizeof l->buf - 1, text, len);
    l->buf[n] = '\0';
    l->n = 0;
    size_t i = 0;
    while (i < n && l->n < TS_LABEL_TOKENS) {
        size_t s = i;
        while (i < n && l->buf[i] != ' ')
            i++;
        if (i > s && i - s < 256) {
            l->tok[l->n] = l->buf + s;
            l->tlen[l->n] = (unsigned char)(i - s);
            l->n++;
        }
        i++;
    }
}

/* Does label word t (tl bytes) end with w (wl bytes) followed by an allowed ending? With
 * `whole`, w must start the label word; else a compound may lead (two bytes at least). */
static bool word_fits(const char *t, size_t tl, const char *w, size_t wl, bool whole, bool last)
{
    if (tl < wl)
        return false;
    for (size_t start = 0; start + wl <= tl; start++) {
        if (start > 0 && whole)
            break;
        if (start == 1)
            continue; /* a compound's first part has two letters at least */
        if (memcmp(t + start, w, wl) != 0)
            continue;
        size_t rest = tl - start - wl;
        if (rest == 0)
            return true;
        if (!last || wl < 4) {
            if (last && rest == 1 && t[start + wl] == 's')
                return true; /* "pins", "keys" */
            continue;
        }
        for (const char *const *e = endings; *e; e++)
            if (strlen(*e) == rest && memcmp(t + start + wl, *e, rest) == 0)
                return true;
    }
    return false;
}

/* Does the label hold hword h starting at its word i? */
static bool fits_at(const ts_label *l, size_t i, const ts_hword *h)
{
    /* the quick test: a whole first word starts with the same letter and is no shorter */
    if (l->tlen[i] < h->first_len || (!h->compound && l->tok[i][0] != h->tokens[0]))
        return false;
    const char *w = h->tokens;
    for (size_t k = 0; k < h->ntokens; k++) {
        if (i + k >= l->n)
            return false;
        const char *e = strchr(w, ' ');
        size_t wl = e ? (size_t)(e - w) : strlen(w);
        bool last = k + 1 == h->ntokens;
        bool whole = !(k == 0 && h->compound);
        if (!word_fits(l->tok[i + k], l->tlen[i + k], w, wl, whole, last))
            return false;
        if (!last && l->tlen[i + k] != wl && !(k == 0 && h->compound))
            return false; /* inner words are exact */
        w = e ? e + 1 : w + wl;
    }
    return true;
}

bool ts_label_is(const ts_label *l, const ts_hword *words, size_t nwords)
{
    for (size_t j = 0; j < nwords; j++)
        if (words[j].ntokens == l->n && fits_at(l, 0, &words[j]))
            return true;
    return false;
}

bool ts_label_has(const ts_label *l, const ts_hword *words, size_t nwords, ts_label_where where)
{
    for (size_t j = 0; j < nwords; j++) {
        if ((words[j].cells && where == TS_LABEL_TEXT) ||
            (words[j].column && where != TS_LABEL_COLUMN))
            continue;
        for (size_t i = 0; i < l->n; i++)
            if (fits_at(l, i, &words[j]))
                return true;
    }
    return false;
}

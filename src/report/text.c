/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text reporter: a block per document for people, in nb or en, with optional ANSI colour. */
#include "report/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/msg.h"
#include "report/util.h"

#define WIDTH 100u        /* wrap prose at this many columns */
#define CONTEXT_CHARS 90u /* the quoted context line, without its quotes and indent */
#define MATCH_CHARS 60u   /* longest value shown (a private key is not a line) */
#define PART_CHARS 60u
#define PER_RULE 10u /* findings listed per rule and document; the rest are counted */

static const char ELLIPSIS[] = "…";

struct text_state {
    size_t blocks;
    ts_grade worst;
};

/* A sink with a sticky status: after the first failure every call is a no-op. */
typedef struct wr {
    ts_out *o;
    ts_status st;
    const ts_report_opts *opts;
} wr;

static void put(wr *w, const char *s)
{
    if (w->st == TS_OK)
        w->st = ts_out_puts(w->o, s);
}

static void putn(wr *w, const char *s, size_t n)
{
    if (w->st == TS_OK)
        w->st = ts_out_write(w->o, s, n);
}

static void pad(wr *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        putn(w, " ", 1);
}

static void put_size(wr *w, size_t n)
{
    if (w->st == TS_OK)
        w->st = ts_out_printf(w->o, "%zu", n);
}

/* Show raw document text, cleaned and cut to `max` characters. */
static void put_clean(wr *w, const char *s, size_t max)
{
    if (w->st != TS_OK)
        return;
    char *c = ts_report_clean(s, max, NULL);
    if (c == NULL) {
        w->st = TS_ENOMEM;
        return;
    }
    put(w, c);
    ts_free(c);
}

static size_t width_of(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/*
 * `label` then `text` (raw, cleaned here), wrapped at WIDTH on spaces; continuation lines line up
 * under the text. `indent` spaces come first.
 */
static void put_wrapped(wr *w, size_t indent, const char *label, const char *text)
{
    if (w->st != TS_OK)
        return;
    char *c = ts_report_clean(text, SIZE_MAX, NULL);
    if (c == NULL) {
        w->st = TS_ENOMEM;
        return;
    }
    size_t start = indent + width_of(label, strlen(label)), col = start;
    pad(w, indent);
    put(w, label);
    const char *p = c;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        const char *e = strchr(p, ' ');
        size_t blen = e ? (size_t)(e - p) : strlen(p);
        size_t wlen = width_of(p, blen);
        if (col > start && col + 1 + wlen > WIDTH) {
            put(w, "\n");
            pad(w, start);
            col = start;
        } else if (col > start) {
            put(w, " ");
            col++;
        }
        putn(w, p, blen);
        col += wlen;
        p += blen;
    }
    put(w, "\n");
    ts_free(c);
}

static const char *grade_colour(ts_grade g)
{
    switch (g) {
    case TS_GRADE_OK:
        return "\x1b[1;32m";
    case TS_GRADE_REVIEW:
        return "\x1b[1;33m";
    case TS_GRADE_BLOCK:
        return "\x1b[1;31m";
    case TS_GRADE_ERROR:
        return "\x1b[1;35m";
    }
    return "";
}

/* "■ [BLOCK]" plain, or "■ BLOCK" in the grade's colour. */
static void put_grade(wr *w, ts_grade g)
{
    const char *word = ts_msg_grade(g, w->opts->lang);
    if (w->opts->color) {
        put(w, grade_colour(g));
        put(w, "■ ");
        put(w, word);
        put(w, "\x1b[0m");
    } else {
        put(w, "■ [");
        put(w, word);
        put(w, "]");
    }
}

/* "[where: comment, page 2, line 14, part word/comments.xml]" */
static void put_location(wr *w, const ts_finding *f)
{
    ts_lang lang = w->opts->lang;
    put(w, "[");
    put(w, ts_msg(TS_MSG_LABEL_WHERE, lang));
    put(w, ": ");
    put(w, ts_msg_where(ts_finding_where(f), lang));
    if (ts_finding_page(f) > 0 && w->st == TS_OK)
        w->st = ts_out_printf(w->o, ", %s %u", ts_msg(TS_MSG_LABEL_PAGE, lang), ts_finding_page(f));
    if (ts_finding_line(f) > 0 && w->st == TS_OK)
        w->st =
            ts_out_printf(w->o, ", %s %lu", ts_msg(TS_MSG_LABEL_LINE, lang), ts_finding_line(f));
    if (ts_finding_part(f) != NULL) {
        put(w, ", ");
        put(w, ts_msg(TS_MSG_LABEL_PART, lang));
        put(w, " ");
        put_clean(w, ts_finding_part(f), PART_CHARS);
    }
    put(w, "]");
}

/*
 * The quoted line around the value: "…before MATCH after…", built from the value as shown (so a
 * masked secret stays masked) and cut to about CONTEXT_CHARS around it.
 */
static void put_context(wr *w, const ts_doc *doc, const ts_finding *f, const char *match)
{
    const char *rb = ts_finding_context_before(f), *ra = ts_finding_context_after(f);
    if ((rb == NULL || *rb == '\0') && (ra == NULL || *ra == '\0'))
        return;
    size_t mw = 0, bw = 0;
    char *mb = ts_report_mask_secrets(doc, rb, w->opts->show_secrets);
    char *ma = ts_report_mask_secrets(doc, ra, w->opts->show_secrets);
    char *m = ts_report_clean(match, MATCH_CHARS, &mw);
    char *b = mb ? ts_report_clean(mb, SIZE_MAX, &bw) : NULL;
    char *a = ma ? ts_report_clean(ma, SIZE_MAX, NULL) : NULL;
    if (m == NULL || b == NULL || a == NULL) {
        w->st = TS_ENOMEM;
        goto out;
    }
    size_t room = CONTEXT_CHARS > mw ? CONTEXT_CHARS - mw : 0;
    size_t bshow = bw < room / 2 ? bw : room / 2;
    const char *bs = ts_report_tail(b, bshow);
    size_t alen = ts_report_head(a, room - bshow);
    pad(w, 6);
    put(w, "\"");
    if (*b != '\0')
        put(w, ELLIPSIS);
    put(w, bs);
    put(w, m);
    putn(w, a, alen);
    if (*a != '\0')
        put(w, ELLIPSIS);
    put(w, "\"\n");
out:
    ts_free(mb);
    ts_free(ma);
    ts_free(m);
    ts_free(b);
    ts_free(a);
}

static void put_finding(wr *w, const ts_doc *doc, const ts_finding *f)
{
    const ts_rule *rule = ts_finding_rule(f);
    const char *title = rule ? ts_rule_title(rule, w->opts->lang) : NULL;
    char *match = ts_report_match(doc, f, w->opts->show_secrets);
    if (match == NULL) {
        w->st = TS_ENOMEM;
        return;
    }
    put(w, "    - ");
    put_clean(w, title ? title : ts_finding_rule_id(f), WIDTH);
    if (*match != '\0') {
        put(w, ": ");
        put_clean(w, match, MATCH_CHARS);
    }
    put(w, "  ");
    put_location(w, f);
    put(w, "\n");
    if (ts_finding_detail(f) != NULL) {
        char *d = ts_report_mask_secrets(doc, ts_finding_detail(f), w->opts->show_secrets);
        if (d == NULL && w->st == TS_OK)
            w->st = TS_ENOMEM;
        pad(w, 6);
        put_clean(w, d, WIDTH - 6);
        put(w, "\n");
        ts_free(d);
    }
    put_context(w, doc, f, match);
    ts_free(match);
}

/* Findings of one category, grouped by rule in order of first appearance; advice once per rule. */
static void put_category(wr *w, const ts_doc *doc, ts_category cat, bool *done)
{
    size_t n = ts_doc_finding_count(doc);
    bool header = false;
    for (size_t i = 0; i < n && w->st == TS_OK; i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (done[i] || ts_finding_category(f) != cat)
            continue;
        if (!header) {
            pad(w, 2);
            put(w, ts_msg_category(cat, w->opts->lang));
            put(w, ":\n");
            header = true;
        }
        const ts_rule *rule = ts_finding_rule(f);
        size_t shown = 0, more = 0;
        for (size_t j = i; j < n && w->st == TS_OK; j++) {
            const ts_finding *g = ts_doc_finding_at(doc, j);
            if (done[j] || ts_finding_rule(g) != rule)
                continue;
            done[j] = true;
            if (shown < PER_RULE) {
                put_finding(w, doc, g);
                shown++;
            } else {
                more++;
            }
        }
        if (more > 0) {
            pad(w, 4);
            put(w, ELLIPSIS);
            put(w, " ");
            put_size(w, more);
            put(w, " ");
            put(w, ts_msg(TS_MSG_LABEL_MORE, w->opts->lang));
            put(w, "\n");
        }
        const char *advice = rule ? ts_rule_advice(rule, w->opts->lang) : NULL;
        if (advice != NULL && *advice != '\0')
            put_wrapped(w, 6, "→ ", advice);
    }
}

/* "why: a; b" without reasons that only repeat the error line. */
static void put_reasons(wr *w, const ts_doc *doc, const char *err)
{
    ts_lang lang = w->opts->lang;
    size_t len = 0;
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, lang);
        if (r != NULL && (err == NULL || strstr(r, err) == NULL))
            len += strlen(r) + 2;
    }
    if (len == 0)
        return;
    char *all = ts_malloc(len + 1);
    if (all == NULL) {
        w->st = TS_ENOMEM;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, lang);
        if (r == NULL || (err != NULL && strstr(r, err) != NULL))
            continue;
        if (k > 0) {
            memcpy(all + k, "; ", 2);
            k += 2;
        }
        size_t rl = strlen(r);
        memcpy(all + k, r, rl);
        k += rl;
    }
    all[k] = '\0';
    const char *label = ts_msg(TS_MSG_LABEL_REASONS, lang);
    size_t ll = strlen(label);
    char lab[64];
    if (ll + 3 <= sizeof lab) {
        memcpy(lab, label, ll);
        memcpy(lab + ll, ": ", 3);
        put_wrapped(w, 2, lab, all);
    }
    ts_free(all);
}

/* "3 findings", "1 finding": `one` is the singular, `many` the plural. */
static void put_count(wr *w, size_t n, ts_msg_id one, ts_msg_id many)
{
    put_size(w, n);
    put(w, " ");
    put(w, ts_msg(n == 1 ? one : many, w->opts->lang));
}

static ts_status text_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    static const ts_report_opts defaults = {.lang = TS_LANG_EN};
    struct text_state *s = state;
    wr w = {.o = o, .st = TS_OK, .opts = run && run->opts ? run->opts : &defaults};
    ts_lang lang = w.opts->lang;
    ts_grade g = ts_doc_grade(doc);
    size_t n = ts_doc_finding_count(doc);
    bool *done = NULL;

    if (s->blocks > 0)
        put(&w, "\n");
    char *err = NULL, *err_masked = NULL, *path = ts_report_path(doc, w.opts->show_secrets);
    if (path == NULL || ts_report_error(doc, lang, w.opts->show_secrets, &err) != TS_OK ||
        ts_report_error(doc, lang, 0, &err_masked) != TS_OK) {
        w.st = TS_ENOMEM;
        goto out;
    }
    put_grade(&w, g);
    put(&w, "  ");
    put(&w, path); /* already safe text, and not folded: two paths never look the same */
    if (g == TS_GRADE_OK) {
        if (n == 0 && w.st == TS_OK)
            w.st = ts_out_printf(o, "  (%s)\n", ts_msg(TS_MSG_LABEL_NO_FINDINGS, lang));
        if (n > 0 && w.st == TS_OK) {
            w.st =
                ts_out_printf(o, "  (%s %d, ", ts_msg(TS_MSG_LABEL_SCORE, lang), ts_doc_score(doc));
            put_count(&w, n, TS_MSG_LABEL_FINDING, TS_MSG_LABEL_FINDINGS);
            put(&w, ")\n");
        }
        goto out;
    }
    if (g != TS_GRADE_ERROR && w.st == TS_OK)
        w.st = ts_out_printf(o, "  (%s %d)", ts_msg(TS_MSG_LABEL_SCORE, lang), ts_doc_score(doc));
    put(&w, "\n");

    put_reasons(&w, doc, err_masked); /* reasons quote the error masked */
    if (err != NULL) {
        const char *label = ts_msg(TS_MSG_LABEL_ERROR, lang);
        char lab[64];
        size_t ll = strlen(label);
        if (ll + 3 <= sizeof lab) {
            memcpy(lab, label, ll);
            memcpy(lab + ll, ": ", 3);
            put_wrapped(&w, 2, lab, err);
        }
    }
    if (n > 0) {
        done = ts_calloc(n, sizeof(*done));
        if (done == NULL) {
            w.st = TS_ENOMEM;
            goto out;
        }
        for (int c = 0; c < TS_CAT_COUNT_; c++)
            put_category(&w, doc, (ts_category)c, done);
    }
out:
    ts_free(done);
    ts_free(path);
    ts_free(err);
    ts_free(err_masked);
    s->blocks++;
    if (g > s->worst)
        s->worst = g;
    return w.st;
}

static ts_status text_end(void *state, ts_out *o, const ts_run *run, const ts_summary *sum)
{
    static const ts_report_opts defaults = {.lang = TS_LANG_EN};
    struct text_state *s = state;
    wr w = {.o = o, .st = TS_OK, .opts = run && run->opts ? run->opts : &defaults};
    ts_lang lang = w.opts->lang;
    if (s->blocks > 0)
        put(&w, "\n");
    put(&w, ts_msg(TS_MSG_LABEL_SUMMARY, lang));
    put(&w, ": ");
    put_count(&w, sum->documents, TS_MSG_LABEL_DOCUMENT, TS_MSG_LABEL_DOCUMENTS);
    put(&w, " — ");
    put_count(&w, sum->block, TS_MSG_SUM_BLOCK, TS_MSG_SUM_BLOCK);
    put(&w, ", ");
    put_count(&w, sum->review, TS_MSG_SUM_REVIEW, TS_MSG_SUM_REVIEW);
    put(&w, ", ");
    put_count(&w, sum->ok, TS_MSG_SUM_OK, TS_MSG_SUM_OK);
    put(&w, ", ");
    put_count(&w, sum->error, TS_MSG_SUM_ERROR, TS_MSG_SUM_ERROR);
    put(&w, "; ");
    put_count(&w, sum->findings, TS_MSG_LABEL_FINDING, TS_MSG_LABEL_FINDINGS);
    if (sum->ignored > 0) {
        put(&w, " (");
        put_count(&w, sum->ignored, TS_MSG_LABEL_ACCEPTED, TS_MSG_LABEL_ACCEPTED);
        put(&w, ")");
    }
    put(&w, "\n");
    if (sum->documents > 0) {
        static const ts_msg_id hints[] = {
            [TS_GRADE_OK] = TS_MSG_GRADE_OK_HINT,
            [TS_GRADE_REVIEW] = TS_MSG_GRADE_REVIEW_HINT,
            [TS_GRADE_BLOCK] = TS_MSG_GRADE_BLOCK_HINT,
            [TS_GRADE_ERROR] = TS_MSG_GRADE_ERROR_HINT,
        };
        ts_grade worst = sum->error > 0    ? TS_GRADE_ERROR
                         : sum->block > 0  ? TS_GRADE_BLOCK
                         : sum->review > 0 ? TS_GRADE_REVIEW
                                           : TS_GRADE_OK;
        if (s->worst > worst)
            worst = s->worst;
        put_wrapped(&w, 0, "", ts_msg(hints[worst], lang));
    }
    return w.st;
}

const struct ts_reporter ts_reporter_text = {
    .name = "text",
    .media_type = "text/plain; charset=utf-8",
    .state_size = sizeof(struct text_state),
    .document = text_document,
    .end = text_end,
};

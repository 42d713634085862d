/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The risk model (DESIGN §5): grade, score and the reasons that drove them. */
#include "risk/risk.h"

#include <stdio.h>
#include <string.h>

#include "core/msg.h"
#include "detect/rules.h"

/*
 * Grade:
 *   error  the document could not be read completely (whatever was found is still reported);
 *   block  any finding of severity high or critical; or an internal address plan (3 or more
 *          distinct network values of severity medium or more); or network details together
 *          with firewall/remote-access details (medium or more each): an attack map;
 *   review any finding of severity medium;
 *   ok     nothing above low.
 * Score: each distinct (rule, value) adds its severity weight; the grade fixes the band
 * (ok 0-29, review 30-69, block 70-100) and the weights place the document inside it.
 * A container's grade and score are the worst of its own and its children's.
 */

/* The reason templates come from the message catalogue (msg.c), checked by tests there. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#define ADDRESS_PLAN_MIN 3u
#define MAX_REASONS 6u

static const int weight[] = {0, 3, 12, 30, 45};

static ts_status add_reason(ts_doc *doc, const char *en, const char *nb)
{
    if (ts_grow((void **)&doc->reasons, &doc->cap_reasons, doc->nreasons + 1,
                sizeof(*doc->reasons)) != 0)
        return TS_ENOMEM;
    ts_reason *r = &doc->reasons[doc->nreasons];
    r->text[0] = ts_doc_strdup(doc, en);
    r->text[1] = ts_doc_strdup(doc, nb);
    if (r->text[0] == NULL || r->text[1] == NULL)
        return TS_ENOMEM;
    doc->nreasons++;
    return TS_OK;
}

/* Per rule: how many findings, how many distinct values, the worst severity. */
typedef struct tally {
    const ts_rule *rule;
    ts_severity worst;
    size_t count;
} tally;

static bool seen_before(const ts_doc *doc, size_t i)
{
    const ts_finding *f = doc->findings[i];
    for (size_t j = 0; j < i; j++) {
        const ts_finding *g = doc->findings[j];
        if (g->rule == f->rule && strcmp(g->fingerprint, f->fingerprint) == 0)
            return true;
    }
    return false;
}

static int cmp_tally(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->worst != y->worst)
        return x->worst > y->worst ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

static int band(ts_grade g, int sum)
{
    switch (g) {
    case TS_GRADE_OK:
        return sum < 29 ? sum : 29;
    case TS_GRADE_REVIEW:
        return 30 + (sum < 39 ? sum : 39);
    case TS_GRADE_BLOCK:
    case TS_GRADE_ERROR:
        return 70 + (sum / 3 < 30 ? sum / 3 : 30);
    }
    return 0;
}

ts_status ts_risk_grade(ts_doc *doc)
{
    ts_status st = TS_OK;
    tally *t = NULL;
    size_t nt = 0;
    ts_grade g = TS_GRADE_OK;
    int sum = 0;
    size_t net_values = 0;
    bool has_net = false, has_fw = false;
    char en[512], nb[512];

    doc->nreasons = 0;
    t = ts_calloc(doc->nfindings + 1, sizeof(*t));
    if (t == NULL)
        return TS_ENOMEM;
    /* A finding seen N times is one piece of evidence; N is kept for the reason text. Findings
     * are few per document (max_findings), so the quadratic distinct check stays cheap. */
    for (size_t i = 0; i < doc->nfindings; i++) {
        const ts_finding *f = doc->findings[i];
        size_t k = 0;
        while (k < nt && t[k].rule != f->rule)
            k++;
        if (k == nt)
            t[nt++] = (tally){.rule = f->rule, .worst = f->severity};
        t[k].count++;
        if (f->severity > t[k].worst)
            t[k].worst = f->severity;
        bool distinct = !seen_before(doc, i);
        if (distinct)
            sum += weight[f->severity];
        if (f->severity >= TS_SEV_HIGH)
            g = TS_GRADE_BLOCK;
        else if (f->severity == TS_SEV_MEDIUM && g < TS_GRADE_REVIEW)
            g = TS_GRADE_REVIEW;
        if (f->severity >= TS_SEV_MEDIUM) {
            if (f->category == TS_CAT_NETWORK) {
                has_net = true;
                if (distinct)
                    net_values++;
            }
            if (f->category == TS_CAT_FIREWALL)
                has_fw = true;
        }
    }
    qsort(t, nt, sizeof(*t), cmp_tally);

    if (doc->err != TS_OK) {
        /* the error may name a member whose name holds a password: a reason is always masked */
        char *err_en = ts_doc_mask_values(doc, ts_doc_error_text(doc, TS_LANG_EN));
        char *err_nb = ts_doc_mask_values(doc, ts_doc_error_text(doc, TS_LANG_NB));
        if (err_en != NULL && err_nb != NULL) {
            snprintf(en, sizeof en, ts_msg(TS_MSG_REASON_ERROR, TS_LANG_EN), err_en);
            snprintf(nb, sizeof nb, ts_msg(TS_MSG_REASON_ERROR, TS_LANG_NB), err_nb);
        }
        st = err_en != NULL && err_nb != NULL ? add_reason(doc, en, nb) : TS_ENOMEM;
        ts_free(err_en);
        ts_free(err_nb);
        if (st != TS_OK)
            goto out;
    }
    if (net_values >= ADDRESS_PLAN_MIN) {
        g = TS_GRADE_BLOCK;
        snprintf(en, sizeof en, ts_msg(TS_MSG_REASON_ADDRESS_PLAN, TS_LANG_EN), net_values);
        snprintf(nb, sizeof nb, ts_msg(TS_MSG_REASON_ADDRESS_PLAN, TS_LANG_NB), net_values);
        if ((st = add_reason(doc, en, nb)) != TS_OK)
            goto out;
    }
    if (has_net && has_fw) {
        g = TS_GRADE_BLOCK;
        if ((st = add_reason(doc, ts_msg(TS_MSG_REASON_ATTACK_MAP, TS_LANG_EN),
                             ts_msg(TS_MSG_REASON_ATTACK_MAP, TS_LANG_NB))) != TS_OK)
            goto out;
    }
    /* The rules that drove the grade: the worst first, only those at the grade's level. */
    ts_severity floor = g == TS_GRADE_BLOCK ? TS_SEV_HIGH : TS_SEV_MEDIUM;
    if (g == TS_GRADE_BLOCK && (net_values >= ADDRESS_PLAN_MIN || (has_net && has_fw)))
        floor = TS_SEV_MEDIUM;
    for (size_t i = 0; i < nt && doc->nreasons < MAX_REASONS; i++) {
        if (t[i].worst < floor || g == TS_GRADE_OK)
            break;
        snprintf(en, sizeof en, ts_msg(TS_MSG_REASON_FINDING, TS_LANG_EN),
                 ts_rule_title(t[i].rule, TS_LANG_EN), t[i].count);
        snprintf(nb, sizeof nb, ts_msg(TS_MSG_REASON_FINDING, TS_LANG_NB),
                 ts_rule_title(t[i].rule, TS_LANG_NB), t[i].count);
        if ((st = add_reason(doc, en, nb)) != TS_OK)
            goto out;
    }
    if (doc->dropped > 0) {
        snprintf(en, sizeof en, ts_msg(TS_MSG_REASON_TRUNCATED, TS_LANG_EN), doc->dropped);
        snprintf(nb, sizeof nb, ts_msg(TS_MSG_REASON_TRUNCATED, TS_LANG_NB), doc->dropped);
        if ((st = add_reason(doc, en, nb)) != TS_OK)
            goto out;
    }
    doc->own_score = band(g, sum);
    doc->own_grade = doc->err != TS_OK ? TS_GRADE_ERROR : g;
    doc->grade = doc->own_grade;
    doc->score = doc->own_score;
    for (size_t i = 0; st == TS_OK && i < doc->nchildren; i++)
        st = ts_risk_take_child(doc, doc->children[i]);
out:
    ts_free(t);
    return st;
}

/* How much of a child's reason a container's reason quotes (bytes, cut at a character). */
#define MAX_WHY 160

/* The length of the longest prefix of `s` of at most `max` bytes that ends between characters. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

ts_status ts_risk_take_child(ts_doc *doc, const ts_doc *c)
{
    char en[512], nb[512];
    if (c->grade > doc->grade)
        doc->grade = c->grade;
    if (c->score > doc->score)
        doc->score = c->score;
    if (c->grade == TS_GRADE_OK || c->grade < doc->own_grade || doc->nreasons >= MAX_REASONS + 4)
        return TS_OK;
    /* the child's own name as reports show it (escaped, a secret in it masked: a reason is
     * text in every report, with or without --show-secrets) */
    char *name = ts_path_render(c, c->name_off, 0);
    if (name == NULL)
        return TS_ENOMEM;
    /* and why, so the reader of the container's report need not look the part up: its error
     * ("encrypted: a password is needed"), or the first reason of its grade */
    char *out[2] = {en, nb};
    for (int k = 0; k < 2; k++) {
        ts_lang lang = k ? TS_LANG_NB : TS_LANG_EN;
        const char *why = c->err != TS_OK    ? ts_doc_error_text(c, lang)
                          : c->nreasons > 0 ? c->reasons[0].text[k]
                                            : NULL;
        if (why == NULL || *why == '\0')
            snprintf(out[k], sizeof en, ts_msg(TS_MSG_REASON_CHILD, lang), name,
                     ts_msg_grade(c->grade, lang));
        else
            snprintf(out[k], sizeof en, ts_msg(TS_MSG_REASON_CHILD_WHY, lang), name,
                     ts_msg_grade(c->grade, lang), (int)utf8_prefix(why, MAX_WHY), why);
    }
    ts_free(name);
    return add_reason(doc, en, nb);
}

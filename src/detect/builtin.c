/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Built-in structural rules: findings raised about a place (a comment, a layer), not a pattern. */
#include "detect/rules.h"

#include <string.h>

#include "core/alloc.h"
#include "extract/extract.h"

/*
 * Each extractor declares the structural rules it raises (struct ts_extractor.rules), so adding a
 * format stays one file and one table row. Rules raised by the core itself are listed here.
 */
static const struct ts_builtin_rule core_rules[] = {
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

static char *dup_or_null(const char *s)
{
    return s ? ts_strdup(s) : NULL;
}

static ts_status add_rows(ts_ctx *ctx, const struct ts_builtin_rule *rows)
{
    for (const struct ts_builtin_rule *b = rows; b && b->id != NULL; b++) {
        if (ts_ctx_rule_find(ctx, b->id) != NULL)
            continue; /* two extractors may share a rule (e.g. metadata.author) */
        ts_rule *r = ts_calloc(1, sizeof(*r));
        if (r == NULL)
            return TS_ENOMEM;
        if (ts_grow((void **)&ctx->rules, &ctx->cap_rules, ctx->nrules + 1, sizeof(*ctx->rules)) !=
            0) {
            ts_free(r);
            return TS_ENOMEM;
        }
        ctx->rules[ctx->nrules++] = r;
        r->id = ts_strdup(b->id);
        r->category = b->category;
        r->severity = b->severity;
        r->severity_nocontext = -1;
        r->title[TS_LANG_EN] = dup_or_null(b->title_en);
        r->title[TS_LANG_NB] = dup_or_null(b->title_nb);
        r->advice[TS_LANG_EN] = dup_or_null(b->advice_en);
        r->advice[TS_LANG_NB] = dup_or_null(b->advice_nb);
        r->origin = ts_strdup("built-in");
        r->builtin = true;
        if (!r->id || !r->origin || !r->title[0] || !r->title[1])
            return TS_ENOMEM;
        /* keep the array sorted so that ts_ctx_rule_find (bsearch) sees earlier rows */
        if (ts_ctx_rebuild(ctx) != TS_OK)
            return TS_ENOMEM;
    }
    return TS_OK;
}

ts_status ts_builtin_rules_add(ts_ctx *ctx)
{
    ts_status st = add_rows(ctx, core_rules);
    for (size_t i = 0; st == TS_OK && ts_extractor_at(i) != NULL; i++)
        st = add_rows(ctx, ts_extractor_at(i)->rules);
    return st;
}

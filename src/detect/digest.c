/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A digest of what in a context decides what a scan finds (ts_ctx_digest): rules, ignores, limits,
 * OCR.
 */
#include "detect/rules.h"

#include <string.h>

#include <openssl/evp.h>

#include "detect/validate.h"

/*
 * Every field goes in with its length (strings) or as 8 bytes (numbers), so two different
 * contexts never feed the same bytes. What only reports show (titles, advice, where a rule was
 * written, its examples) is left out: a resumed `scan --state` reports with the rules it has.
 */
static void put(EVP_MD_CTX *md, const void *p, size_t len)
{
    uint64_t n = len;
    EVP_DigestUpdate(md, &n, sizeof n);
    if (len > 0)
        EVP_DigestUpdate(md, p, len);
}

static void put_num(EVP_MD_CTX *md, int64_t v)
{
    EVP_DigestUpdate(md, &v, sizeof v);
}

static void put_str(EVP_MD_CTX *md, const char *s)
{
    if (s == NULL)
        put_num(md, -1);
    else
        put(md, s, strlen(s));
}

static void put_words(EVP_MD_CTX *md, char *const *w, size_t n)
{
    put_num(md, (int64_t)n);
    for (size_t i = 0; i < n; i++)
        put_str(md, w[i]);
}

static void put_rule(EVP_MD_CTX *md, const ts_rule *r)
{
    put_str(md, r->id);
    put_num(md, r->category);
    put_num(md, r->severity);
    put_num(md, r->severity_nocontext);
    put_str(md, r->pattern);
    put_num(md, r->builtin);
    put_num(md, r->caseless);
    put_num(md, r->ucp);
    put_str(md, r->validator ? r->validator->name : NULL);
    put_str(md, r->validate_arg);
    put_words(md, r->context, r->ncontext);
    put_num(md, r->context_required);
    put_num(md, r->context_window);
    if (r->context_required_for_src != NULL) /* only then: older packs keep their digest */
        put_str(md, r->context_required_for_src);
    put_words(md, r->keywords, r->nkeywords);
    if (r->shapes != 0) /* only then, so that packs written before shapes keep their digest */
        put_num(md, r->shapes);
    put_str(md, r->not_before_src);
    put_str(md, r->not_after_src);
}

TS_API ts_status ts_ctx_digest(const ts_ctx *ctx, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (out == NULL)
        return TS_EINVAL;
    out[0] = '\0';
    if (ctx == NULL)
        return TS_EINVAL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL)
        return TS_ENOMEM;
    ts_status st = TS_ENOMEM;
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
        goto out;
    put_str(md, "tenderscan-ctx/1 " TS_VERSION);
    const ts_limits *l = &ctx->limits;
    put_num(md, (int64_t)l->max_file_bytes);
    put_num(md, (int64_t)l->max_unpacked_bytes);
    put_num(md, l->max_ratio);
    put_num(md, l->max_depth);
    put_num(md, l->max_findings);
    put_num(md, l->max_items);
    put_num(md, (int64_t)ctx->ocr); /* with OCR, pictures have text */
    put_str(md, ctx->fp_key_id); /* another key, other fingerprints */
    put_num(md, (int64_t)ctx->nrules);
    for (size_t i = 0; i < ctx->nrules; i++)
        put_rule(md, ctx->rules[i]);
    put_num(md, (int64_t)ctx->nignore);
    for (size_t i = 0; i < ctx->nignore; i++) { /* sorted, so order-free */
        put(md, ctx->ignore[i].fp, sizeof ctx->ignore[i].fp);
        put_str(md, ctx->ignore[i].rule);
        put_str(md, ctx->ignore[i].glob);
    }
    if (EVP_DigestFinal_ex(md, d, &dlen) != 1 || dlen != 32)
        goto out;
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    st = TS_OK;
out:
    EVP_MD_CTX_free(md);
    return st;
}

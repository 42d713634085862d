/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keyed fingerprints (DESIGN §7): HMAC-SHA256 of a finding's category and value under the
 * organisation's key, so a report says nothing about a masked value to whoever lacks the key. */
#include "detect/rules.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/alloc.h"

#define RANDOM_KEY_BYTES 32

/* What the key id is an HMAC of: a fixed text no finding can be (it holds no NUL after a category).
 */
static const char KEY_ID_TEXT[] = "tenderscan fingerprint key id";

/* HMAC-SHA256 of the concatenated parts under `key`. TS_ENOMEM, TS_EINTERNAL (no HMAC-SHA256). */
static ts_status hmac_sha256(const unsigned char *key, size_t klen, const void *const *parts,
                             const size_t *lens, size_t nparts, unsigned char out[32])
{
    static char digest[] = "SHA256"; /* OSSL_PARAM wants a char *; it is not written */
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    ts_status st = TS_EINTERNAL;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *mc = mac ? EVP_MAC_CTX_new(mac) : NULL;
    if (mac != NULL && mc == NULL)
        st = TS_ENOMEM;
    if (mc == NULL || EVP_MAC_init(mc, key, klen, params) != 1)
        goto out;
    for (size_t i = 0; i < nparts; i++)
        if (lens[i] > 0 && EVP_MAC_update(mc, parts[i], lens[i]) != 1)
            goto out;
    size_t n = 0;
    if (EVP_MAC_final(mc, out, &n, 32) == 1 && n == 32)
        st = TS_OK;
out:
    EVP_MAC_CTX_free(mc);
    EVP_MAC_free(mac);
    return st;
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void ts_ctx_free_fingerprint_key(ts_ctx *ctx)
{
    if (ctx->fp_key != NULL)
        OPENSSL_cleanse(ctx->fp_key, ctx->fp_key_len);
    ts_free(ctx->fp_key);
    ctx->fp_key = NULL;
    ctx->fp_key_len = 0;
    ctx->fp_key_id[0] = '\0';
}

TS_API ts_status ts_ctx_set_fingerprint_key(ts_ctx *ctx, const void *key, size_t len)
{
    if (ctx == NULL || key == NULL || len < TS_FINGERPRINT_KEY_MIN || len > TS_FINGERPRINT_KEY_MAX)
        return TS_EINVAL;
    unsigned char *copy = ts_malloc(len);
    if (copy == NULL)
        return TS_ENOMEM;
    memcpy(copy, key, len);
    unsigned char id[32];
    const void *parts[] = {KEY_ID_TEXT};
    const size_t lens[] = {sizeof KEY_ID_TEXT - 1};
    ts_status st = hmac_sha256(copy, len, parts, lens, 1, id);
    if (st != TS_OK) {
        OPENSSL_cleanse(copy, len);
        ts_free(copy);
        return st;
    }
    ts_ctx_free_fingerprint_key(ctx);
    ctx->fp_key = copy;
    ctx->fp_key_len = len;
    to_hex(id, 8, ctx->fp_key_id);
    return TS_OK;
}

TS_API const char *ts_ctx_fingerprint_key_id(const ts_ctx *ctx)
{
    return ctx->fp_key_id;
}

ts_status ts_ctx_random_fingerprint_key(ts_ctx *ctx)
{
    unsigned char key[RANDOM_KEY_BYTES];
    size_t got = 0;
    while (got < sizeof key) {
        ssize_t n = getrandom(key + got, sizeof key - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return TS_EIO;
        got += (size_t)n;
    }
    ts_status st = ts_ctx_set_fingerprint_key(ctx, key, sizeof key);
    OPENSSL_cleanse(key, sizeof key);
    return st;
}

ts_status ts_ctx_fingerprint(const ts_ctx *ctx, ts_category cat, const char *value, size_t len,
                             char out[65])
{
    out[0] = '\0';
    if (ctx == NULL || ctx->fp_key == NULL)
        return TS_EINTERNAL;
    const char *name = ts_category_name(cat);
    if (name == NULL)
        return TS_EINVAL;
    unsigned char d[32];
    /* the NUL keeps (category, value) pairs apart: no category name holds one */
    const void *parts[] = {name, "", value};
    const size_t lens[] = {strlen(name), 1, len};
    ts_status st = hmac_sha256(ctx->fp_key, ctx->fp_key_len, parts, lens, 3, d);
    if (st == TS_OK)
        to_hex(d, sizeof d, out);
    return st;
}

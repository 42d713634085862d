/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the cmocka tests. */
#include "ts_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

char *tst_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/tstest-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    char *r = strdup(d);
    assert_non_null(r);
    return r;
}

void tst_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        unlink(dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(p, 0700);
            tst_rmtree(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
    rmdir(dir);
}

char *tst_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tst_write(const char *dir, const char *name, const void *data, size_t len)
{
    char *p = tst_path(dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (len > 0)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

static void print_rule_error(const char *file, unsigned line, const char *msg, void *payload)
{
    (void)payload;
    fprintf(stderr, "%s:%u: %s\n", file, line, msg);
}

void tst_set_test_key(ts_ctx *ctx)
{
    assert_int_equal(ts_ctx_set_fingerprint_key(ctx, TST_FP_KEY, strlen(TST_FP_KEY)), TS_OK);
}

static void hex_of(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

void tst_hmac_hex(const char *key, const char *category, const char *value, char out[65])
{
    size_t lc = strlen(category), lv = strlen(value);
    char *msg = malloc(lc + 1 + lv + 1);
    assert_non_null(msg);
    memcpy(msg, category, lc + 1); /* with its NUL */
    memcpy(msg + lc + 1, value, lv);
    unsigned char md[32];
    size_t mdlen = 0;
    assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, strlen(key),
                              (const unsigned char *)msg, lc + 1 + lv, md, sizeof md, &mdlen));
    assert_int_equal(mdlen, 32);
    free(msg);
    hex_of(md, 32, out);
}

void tst_sha256_hex(const char *value, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    assert_int_equal(EVP_Digest(value, strlen(value), md, &mdlen, EVP_sha256(), NULL), 1);
    assert_int_equal(mdlen, 32);
    hex_of(md, 32, out);
}

ts_ctx *tst_ctx_default(void)
{
    ts_ctx *ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    tst_set_test_key(ctx);
    assert_int_equal(ts_ctx_load_default_rules(ctx, print_rule_error, NULL), TS_OK);
    return ctx;
}

ts_ctx *tst_ctx_rules(const char *rules)
{
    ts_ctx *ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    tst_set_test_key(ctx);
    assert_int_equal(
        ts_ctx_load_rules_buffer(ctx, "test.rules", rules, strlen(rules), print_rule_error, NULL),
        TS_OK);
    return ctx;
}

static void values_rec(const ts_doc *doc, const char *rule_id, char **out, size_t *len)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (strcmp(ts_finding_rule_id(f), rule_id) != 0)
            continue;
        const char *v = ts_finding_value(f);
        size_t n = strlen(v);
        *out = realloc(*out, *len + n + 2);
        assert_non_null(*out);
        if (*len > 0)
            (*out)[(*len)++] = '|';
        memcpy(*out + *len, v, n + 1);
        *len += n;
    }
    for (size_t i = 0; i < ts_doc_child_count(doc); i++)
        values_rec(ts_doc_child_at(doc, i), rule_id, out, len);
}

char *tst_values(const ts_doc *doc, const char *rule_id)
{
    char *out = calloc(1, 1);
    size_t len = 0;
    assert_non_null(out);
    values_rec(doc, rule_id, &out, &len);
    return out;
}

ts_doc *tst_scan_text(const ts_ctx *ctx, const char *text)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, "test.txt", text, strlen(text)), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* Findings of a rule (or, with rule_id NULL, of a category) whose value holds `part` (any when
 * NULL), in doc and its children: the first, and how many in *count. */
static const ts_finding *find_rec(const ts_doc *doc, const char *rule_id, int cat, const char *part,
                                  size_t *count)
{
    const ts_finding *first = NULL;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        int hit = rule_id ? strcmp(ts_finding_rule_id(f), rule_id) == 0
                          : (int)ts_finding_category(f) == cat;
        if (hit && part != NULL)
            hit = ts_finding_value(f) != NULL && strstr(ts_finding_value(f), part) != NULL;
        if (hit) {
            if (first == NULL)
                first = f;
            (*count)++;
        }
    }
    for (size_t i = 0; i < ts_doc_child_count(doc); i++) {
        const ts_finding *f = find_rec(ts_doc_child_at(doc, i), rule_id, cat, part, count);
        if (first == NULL)
            first = f;
    }
    return first;
}

const ts_finding *tst_find(const ts_doc *doc, const char *rule_id)
{
    size_t n = 0;
    return find_rec(doc, rule_id, -1, NULL, &n);
}

void tst_expect_detail(const ts_doc *doc, const char *rule_id, const char *part)
{
    const ts_finding *f = tst_find(doc, rule_id);
    if (f == NULL)
        fail_msg("no %s finding", rule_id);
    const char *d = ts_finding_detail(f);
    if (d == NULL || strstr(d, part) == NULL)
        fail_msg("%s detail \"%s\" does not hold \"%s\"", rule_id, d ? d : "(none)", part);
}

size_t tst_count(const ts_doc *doc, const char *rule_id)
{
    size_t n = 0;
    find_rec(doc, rule_id, -1, NULL, &n);
    return n;
}

const ts_finding *tst_find_cat(const ts_doc *doc, ts_category cat)
{
    size_t n = 0;
    return find_rec(doc, NULL, (int)cat, NULL, &n);
}

const ts_finding *tst_find_cat_holding(const ts_doc *doc, ts_category cat, const char *part)
{
    size_t n = 0;
    return find_rec(doc, NULL, (int)cat, part, &n);
}

char *tst_replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    if (at == NULL)
        fail_msg("no %s in %s", from, s);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *r = malloc(n + 1);
    assert_non_null(r);
    snprintf(r, n + 1, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return r;
}

char *tst_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

int tst_have_corpus(void)
{
    struct stat st;
    return stat(TS_CORPUS_DIR "/MANIFEST.tsv", &st) == 0;
}

int tst_setup(void **state)
{
    tst_fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->ctx = tst_ctx_default();
    f->dir = tst_tmpdir();
    *state = f;
    return 0;
}

int tst_teardown(void **state)
{
    tst_fixture *f = *state;
    ts_ctx_free(f->ctx);
    tst_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

void tst_expect_values(const ts_doc *doc, const char *rule_id, const char *want)
{
    char *v = tst_values(doc, rule_id);
    assert_string_equal(v, want);
    free(v);
}

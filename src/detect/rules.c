/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule-file loader (DESIGN §8) and the context that holds rules, limits and accepted findings.
 */
#include "detect/rules.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "detect/kwset.h"
#include "detect/label.h"
#include "detect/packs.h"
#include "detect/validate.h"
#include "extract/extract.h"

/* ---- context ------------------------------------------------------------------------------- */

TS_API ts_status ts_ctx_new(ts_ctx **out)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    ts_status st = ts_extractors_init();
    if (st != TS_OK)
        return st;
    ts_ctx *ctx = ts_calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return TS_ENOMEM;
    ts_limits_fill(&ctx->limits);
    ctx->modules = ts_modules_new();
    st = ctx->modules ? ts_builtin_rules_add(ctx) : TS_ENOMEM;
    if (st == TS_OK)
        st = ts_ctx_random_fingerprint_key(ctx);
    if (st == TS_OK)
        st = ts_ctx_rebuild(ctx);
    if (st != TS_OK) {
        ts_ctx_free(ctx);
        return st;
    }
    *out = ctx;
    return TS_OK;
}

/* Free what ts_ctx_rebuild made. */
static void free_built(ts_ctx *ctx)
{
    ts_kwset_free(ctx->kwset);
    ts_free(ctx->plain);
    for (unsigned i = 0; i < TS_SHAPES; i++)
        ts_free(ctx->shape_rules[i]);
    ts_free(ctx->hrules);
    ts_free(ctx->hrule_of);
}

TS_API void ts_ctx_free(ts_ctx *ctx)
{
    if (ctx == NULL)
        return;
    for (size_t i = 0; i < ctx->nrules; i++)
        ts_rule_free(ctx->rules[i]);
    ts_free(ctx->rules);
    free_built(ctx);
    for (size_t i = 0; i < ctx->nvocab; i++) {
        ts_free(ctx->vocab[i].name);
        ts_free(ctx->vocab[i].pattern);
    }
    ts_free(ctx->vocab);
    for (size_t i = 0; i < ctx->nignore; i++) {
        ts_free(ctx->ignore[i].rule);
        ts_free(ctx->ignore[i].glob);
    }
    ts_free(ctx->ignore);
    ts_modules_free(ctx->modules);
    ts_ctx_free_fingerprint_key(ctx);
    ts_free(ctx);
}

TS_API void ts_ctx_set_limits(ts_ctx *ctx, const ts_limits *limits)
{
    ctx->limits = *limits;
    ts_limits_fill(&ctx->limits);
}

TS_API void ts_ctx_get_limits(const ts_ctx *ctx, ts_limits *out)
{
    *out = ctx->limits;
}

TS_API void ts_ctx_set_ocr(ts_ctx *ctx, int mode)
{
    ctx->ocr = mode == TS_OCR_ALL || mode == TS_OCR_AUTO ? (ts_ocr_mode)mode : TS_OCR_OFF;
}

TS_API size_t ts_ctx_rule_count(const ts_ctx *ctx)
{
    return ctx->nrules;
}

TS_API const ts_rule *ts_ctx_rule_at(const ts_ctx *ctx, size_t i)
{
    return i < ctx->nrules ? ctx->rules[i] : NULL;
}

static int cmp_rule_id(const void *key, const void *elem)
{
    return strcmp((const char *)key, (*(ts_rule *const *)elem)->id);
}

TS_API const ts_rule *ts_ctx_rule_find(const ts_ctx *ctx, const char *id)
{
    if (id == NULL || ctx->nrules == 0)
        return NULL;
    ts_rule *const *r = bsearch(id, ctx->rules, ctx->nrules, sizeof(*ctx->rules), cmp_rule_id);
    return r ? *r : NULL;
}

static int cmp_rules(const void *a, const void *b)
{
    return strcmp((*(ts_rule *const *)a)->id, (*(ts_rule *const *)b)->id);
}

/* The longest word of a header word ("pre shared key" → "shared"): its keyword. */
static void longest_token(const char *tokens, char *out, size_t cap)
{
    const char *best = tokens;
    size_t bl = 0;
    for (const char *p = tokens; *p;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l > bl) {
            best = p;
            bl = l;
        }
        p = e ? e + 1 : p + l;
    }
    if (bl >= cap)
        bl = cap - 1;
    memcpy(out, best, bl);
    out[bl] = '\0';
}

ts_status ts_ctx_rebuild(ts_ctx *ctx)
{
    ts_status st = TS_ENOMEM;
    struct ts_kwset *kw = NULL;
    ts_rule **plain = NULL, **hrules = NULL;
    uint32_t *hrule_of = NULL;
    uint32_t *shaped[TS_SHAPES] = {NULL};
    size_t nshaped[TS_SHAPES] = {0};
    if (ctx->nrules > 1)
        qsort(ctx->rules, ctx->nrules, sizeof(*ctx->rules), cmp_rules);
    if (ts_kwset_new(&kw) != TS_OK)
        goto out;
    plain = ts_calloc(ctx->nrules + 1, sizeof(*plain));
    hrules = ts_calloc(ctx->nrules + 1, sizeof(*hrules));
    hrule_of = ts_calloc(ctx->nrules + 1, sizeof(*hrule_of));
    if (plain == NULL || hrules == NULL || hrule_of == NULL)
        goto out;
    for (unsigned k = 0; k < TS_SHAPES; k++)
        if ((shaped[k] = ts_calloc(ctx->nrules + 1, sizeof(*shaped[k]))) == NULL)
            goto out;
    size_t nplain = 0, nhrules = 0;
    for (size_t i = 0; i < ctx->nrules; i++) {
        ts_rule *r = ctx->rules[i];
        if (r->re == NULL)
            continue;
        hrule_of[i] = UINT32_MAX;
        if (r->nheader > 0) {
            /* a header word in a line sends the engine looking for the labels in it */
            hrule_of[i] = (uint32_t)nhrules;
            hrules[nhrules++] = r;
            for (size_t k = 0; k < r->nheader; k++) {
                char word[64];
                longest_token(r->header[k].tokens, word, sizeof word);
                if (k > TS_KW_WORD_MASK || i >= (TS_KW_HEADER >> TS_KW_WORD_BITS))
                    break; /* more header words than an owner can name: the rest wait */
                st = ts_kwset_add(kw, word,
                                  TS_KW_HEADER | ((uint32_t)i << TS_KW_WORD_BITS) | (uint32_t)k);
                if (st != TS_OK)
                    goto out;
            }
            if (r->header_required)
                continue;
        }
        if (r->shapes != 0) {
            for (unsigned k = 0; k < TS_SHAPES; k++)
                if (r->shapes & (1u << k))
                    shaped[k][nshaped[k]++] = (uint32_t)i;
            continue;
        }
        if (r->nkeywords == 0) {
            plain[nplain++] = r;
            continue;
        }
        for (size_t k = 0; k < r->nkeywords; k++) {
            st = ts_kwset_add(kw, r->keywords[k], (uint32_t)i);
            if (st != TS_OK)
                goto out;
        }
    }
    st = ts_kwset_compile(kw);
    if (st != TS_OK)
        goto out;
    ts_kwset_free(ctx->kwset);
    ts_free(ctx->plain);
    ts_free(ctx->hrules);
    ts_free(ctx->hrule_of);
    ctx->kwset = kw;
    ctx->plain = plain;
    ctx->nplain = nplain;
    ctx->hrules = hrules;
    ctx->nhrules = nhrules;
    ctx->hrule_of = hrule_of;
    for (unsigned k = 0; k < TS_SHAPES; k++) {
        ts_free(ctx->shape_rules[k]);
        ctx->shape_rules[k] = shaped[k];
        ctx->nshape_rules[k] = nshaped[k];
    }
    return TS_OK;
out:
    ts_kwset_free(kw);
    ts_free(plain);
    ts_free(hrules);
    ts_free(hrule_of);
    for (unsigned k = 0; k < TS_SHAPES; k++)
        ts_free(shaped[k]);
    return st;
}

/* ---- accepted findings (--ignore, --baseline) ---------------------------------------------- */

static int parse_digest(const char *hex, size_t len, unsigned char out[32])
{
    if (len != 64)
        return -1;
    for (size_t i = 0; i < 32; i++) {
        int hi = ts_hex_digit((unsigned char)hex[2 * i]);
        int lo = ts_hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

/* strcmp where NULL ("any") sorts first */
static int cmp_opt(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

int ts_accept_cmp(const void *a, const void *b)
{
    const ts_accept *x = a, *y = b;
    int c = memcmp(x->fp, y->fp, 32);
    if (c == 0)
        c = cmp_opt(x->rule, y->rule);
    return c != 0 ? c : cmp_opt(x->glob, y->glob);
}

ts_status ts_ctx_accept(ts_ctx *ctx, const char *hex, size_t hex_len, const char *rule,
                        size_t rule_len, const char *glob, size_t glob_len)
{
    ts_accept a = {.rule = NULL};
    if (parse_digest(hex, hex_len, a.fp) != 0)
        return TS_EINVAL;
    a.rule = rule ? ts_strndup(rule, rule_len) : NULL;
    a.glob = glob ? ts_strndup(glob, glob_len) : NULL;
    if ((rule != NULL && a.rule == NULL) || (glob != NULL && a.glob == NULL) ||
        ts_grow((void **)&ctx->ignore, &ctx->cap_ignore, ctx->nignore + 1, sizeof(a)) != 0) {
        ts_free(a.rule);
        ts_free(a.glob);
        return TS_ENOMEM;
    }
    ctx->ignore[ctx->nignore++] = a;
    return TS_OK;
}

void ts_ctx_accept_done(ts_ctx *ctx)
{
    if (ctx->nignore < 2)
        return;
    /* once per file: a baseline of 50,000 findings is one sort, not 50,000 */
    qsort(ctx->ignore, ctx->nignore, sizeof(*ctx->ignore), ts_accept_cmp);
    size_t k = 1;
    for (size_t i = 1; i < ctx->nignore; i++) {
        if (ts_accept_cmp(&ctx->ignore[k - 1], &ctx->ignore[i]) == 0) {
            ts_free(ctx->ignore[i].rule);
            ts_free(ctx->ignore[i].glob);
        } else {
            ctx->ignore[k++] = ctx->ignore[i];
        }
    }
    ctx->nignore = k;
}

TS_API ts_status ts_ctx_add_ignore(ts_ctx *ctx, const char *hex)
{
    if (ctx == NULL || hex == NULL)
        return TS_EINVAL;
    ts_status st = ts_ctx_accept(ctx, hex, strlen(hex), NULL, 0, NULL, 0);
    if (st == TS_OK)
        ts_ctx_accept_done(ctx);
    return st;
}

/*
 * Does `glob` match the path of the document or of a document holding it (`a.zip!b.docx` is
 * inside `a.zip`)? fnmatch without flags: `*` also matches `/` and `!`. Out of memory: no match,
 * so the finding is reported rather than silently accepted.
 */
static bool path_matches(const char *glob, const char *path)
{
    if (fnmatch(glob, path, 0) == 0)
        return true;
    if (strchr(path, '!') == NULL)
        return false;
    char *copy = ts_malloc(strlen(path) + 1);
    bool hit = false;
    if (copy == NULL)
        return false;
    memcpy(copy, path, strlen(path) + 1);
    for (char *bang = strchr(copy, '!'); bang != NULL && !hit; bang = strchr(bang + 1, '!')) {
        *bang = '\0';
        hit = fnmatch(glob, copy, 0) == 0;
        *bang = '!';
    }
    ts_free(copy);
    return hit;
}

bool ts_ctx_is_ignored(const ts_ctx *ctx, const char *hex, const char *rule_id, const char *path)
{
    unsigned char d[32];
    if (ctx->nignore == 0 || parse_digest(hex, strlen(hex), d) != 0)
        return false;
    /* the first entry with this fingerprint (entries are sorted by it first) */
    size_t lo = 0, hi = ctx->nignore;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(ctx->ignore[mid].fp, d, 32) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < ctx->nignore && memcmp(ctx->ignore[i].fp, d, 32) == 0; i++) {
        const ts_accept *a = &ctx->ignore[i];
        if (a->rule != NULL && (rule_id == NULL || strcmp(a->rule, rule_id) != 0))
            continue;
        if (a->glob != NULL && (path == NULL || !path_matches(a->glob, path)))
            continue;
        return true;
    }
    return false;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (ts_grow((void **)&buf, &cap, n + 65536, 1) != 0) {
            ts_free(buf);
            buf = NULL;
            break;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
        if (n > (64u << 20)) { /* a rule or ignore file is never this big */
            ts_free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
    }
    if (buf && ferror(f)) {
        ts_free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* Is `tok` shaped like a rule id, `<category>.<name>` (and not a path such as `*.docx`)? */
static bool is_rule_token(const char *tok, size_t len)
{
    const char *dot = memchr(tok, '.', len);
    if (dot == NULL || dot == tok || dot + 1 == tok + len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)tok[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return false;
    }
    char cat[32];
    size_t n = (size_t)(dot - tok);
    if (n >= sizeof cat)
        return false;
    memcpy(cat, tok, n);
    cat[n] = '\0';
    ts_category c;
    return ts_category_parse(&c, cat) == TS_OK;
}

#define MAX_IGNORE_ERRORS 5 /* printed; the rest are counted: a wrong file is one mistake */

/* One problem on one line: the first MAX_IGNORE_ERRORS go to the callback. */
static void ignore_error(const char *path, unsigned line, const char *message, unsigned *nerr,
                         ts_rule_error_cb cb, void *payload)
{
    if (++*nerr <= MAX_IGNORE_ERRORS && cb)
        cb(path, line, message, payload);
}

/* A report given as an ignore file (JSON, JSONL or SARIF): one message instead of one a line. */
static bool is_json_text(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p < end && (*p == '{' || *p == '[');
}

/*
 * A line `FINGERPRINT [RULE] [PATH-GLOB] [# reason]`: a `#` at the start or after a blank starts
 * the reason (a comment); the glob is the rest of the line, so it may hold blanks.
 */
static ts_status ignore_line(ts_ctx *ctx, const char *path, unsigned lineno, char *p, char *e,
                             unsigned *nerr, ts_rule_error_cb cb, void *payload)
{
    char msg[160];
    for (char *h = p; h < e; h++) {
        if (*h == '#' && (h == p || h[-1] == ' ' || h[-1] == '\t')) {
            e = h;
            break;
        }
    }
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    if (e == p)
        return TS_OK;
    char *fp = p;
    while (p < e && *p != ' ' && *p != '\t')
        p++;
    size_t fplen = (size_t)(p - fp);
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    char *rule = NULL, *glob = NULL;
    size_t rlen = 0;
    char *t = p;
    while (t < e && *t != ' ' && *t != '\t')
        t++;
    if (p < e && is_rule_token(p, (size_t)(t - p))) {
        rule = p;
        rlen = (size_t)(t - p);
        for (p = t; p < e && (*p == ' ' || *p == '\t');)
            p++;
        char id[128];
        snprintf(id, sizeof id, "%.*s", (int)(rlen < sizeof id ? rlen : sizeof id - 1), rule);
        if (ts_ctx_rule_find(ctx, id) == NULL) {
            snprintf(msg, sizeof msg, "unknown rule '%.80s' (load its --rules first)", id);
            ignore_error(path, lineno, msg, nerr, cb, payload);
            return TS_ERULES;
        }
    }
    if (p < e)
        glob = p;
    ts_status s = ts_ctx_accept(ctx, fp, fplen, rule, rlen, glob, glob ? (size_t)(e - glob) : 0);
    if (s == TS_EINVAL) {
        ignore_error(path, lineno, "not a fingerprint (64 hexadecimal digits)", nerr, cb, payload);
        return TS_ERULES;
    }
    return s;
}

TS_API ts_status ts_ctx_load_ignore_file(ts_ctx *ctx, const char *path, ts_rule_error_cb cb,
                                         void *payload)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (text == NULL) {
        if (cb)
            cb(path, 0, strerror(errno), payload);
        return TS_EIO;
    }
    ts_status st = TS_OK;
    char *p = text;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* Notepad's byte-order mark */
    if (is_json_text(p, text + len)) {
        if (cb)
            cb(path, 0,
               strstr(p, "tenderscan") != NULL || strstr(p, "\"fingerprint\"") != NULL
                   ? "this is a tenderscan report, not an ignore file: use --baseline FILE to "
                     "accept the findings it lists"
                   : "this is JSON, not an ignore file (one fingerprint per line)",
               payload);
        ts_free(text);
        return TS_ERULES;
    }
    unsigned lineno = 0, nerr = 0;
    while (p < text + len) {
        char *e = memchr(p, '\n', (size_t)(text + len - p));
        if (e == NULL)
            e = text + len;
        lineno++;
        ts_status s = ignore_line(ctx, path, lineno, p, e, &nerr, cb, payload);
        if (s == TS_ENOMEM) {
            st = s;
            break;
        }
        if (s != TS_OK)
            st = TS_ERULES;
        p = e + 1;
    }
    if (nerr > MAX_IGNORE_ERRORS && cb && st != TS_ENOMEM) {
        char msg[96];
        snprintf(msg, sizeof msg, "… and %u more lines with errors", nerr - MAX_IGNORE_ERRORS);
        cb(path, 0, msg, payload);
    }
    ts_ctx_accept_done(ctx);
    ts_free(text);
    return st;
}

/* ---- rule loader -------------------------------------------------------------------------- */

ts_rule *ts_rule_alloc(void)
{
    ts_rule *r = ts_calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    if (pthread_mutex_init(&r->jit_lock, NULL) != 0) {
        ts_free(r);
        return NULL;
    }
    atomic_init(&r->jit_done, false);
    r->severity_nocontext = -1;
    return r;
}

/* The patterns beside a rule's own (not_before … sentence.follow.require): their source texts,
 * which vocabularies are written into, and their compiled codes, in the same order. */
#define SIDES 6
static void side_srcs(ts_rule *r, char **out[SIDES])
{
    char **v[SIDES] = {&r->not_before_src,  &r->not_after_src,   &r->sentence_require_src,
                       &r->sentence_not_src, &r->row_require_src, &r->follow_require_src};
    memcpy(out, v, sizeof v);
}

static void side_codes(const ts_rule *r, pcre2_code *out[SIDES])
{
    pcre2_code *v[SIDES] = {r->not_before,   r->not_after,   r->sentence_require,
                            r->sentence_not, r->row_require, r->follow_require};
    memcpy(out, v, sizeof v);
}

void ts_rule_jit(ts_rule *r)
{
    if (r->re == NULL || atomic_load_explicit(&r->jit_done, memory_order_acquire))
        return;
    pthread_mutex_lock(&r->jit_lock);
    if (!atomic_load_explicit(&r->jit_done, memory_order_relaxed)) {
        /* JIT is a speed-up, not a requirement: a pattern JIT cannot take still runs interpreted */
        size_t jitsize = 0;
        r->jit = pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE) == 0 &&
                 pcre2_pattern_info(r->re, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0;
        /* pcre2_match runs the JIT code of these by itself when they have it */
        pcre2_code *side[SIDES];
        side_codes(r, side);
        for (size_t i = 0; i < SIDES; i++)
            if (side[i])
                (void)pcre2_jit_compile(side[i], PCRE2_JIT_COMPLETE);
        if (r->context_required_for)
            (void)pcre2_jit_compile(r->context_required_for, PCRE2_JIT_COMPLETE);
        atomic_store_explicit(&r->jit_done, true, memory_order_release);
    }
    pthread_mutex_unlock(&r->jit_lock);
}

void ts_rule_free(ts_rule *r)
{
    if (r == NULL)
        return;
    pthread_mutex_destroy(&r->jit_lock);
    ts_free(r->id);
    for (int i = 0; i < 2; i++) {
        ts_free(r->title[i]);
        ts_free(r->advice[i]);
    }
    ts_free(r->pattern);
    ts_free(r->pattern_src);
    ts_free(r->header_src);
    ts_free(r->origin);
    pcre2_code_free(r->re);
    ts_free(r->validate_arg);
    for (size_t i = 0; i < r->ncontext; i++)
        ts_free(r->context[i]);
    ts_free(r->context);
    for (size_t i = 0; i < r->nkeywords; i++)
        ts_free(r->keywords[i]);
    ts_free(r->keywords);
    for (size_t i = 0; i < r->nheader; i++)
        ts_hword_dispose(&r->header[i]);
    ts_free(r->header);
    for (size_t i = 0; i < r->nheader_not; i++)
        ts_hword_dispose(&r->header_not[i]);
    ts_free(r->header_not);
    pcre2_code *side[SIDES];
    char **src[SIDES];
    side_codes(r, side);
    side_srcs(r, src);
    for (size_t i = 0; i < SIDES; i++) {
        pcre2_code_free(side[i]);
        ts_free(*src[i]);
    }
    pcre2_code_free(r->context_required_for);
    ts_free(r->context_required_for_src);
    for (size_t i = 0; i < r->nexamples; i++)
        ts_free(r->examples[i]);
    ts_free(r->examples);
    for (size_t i = 0; i < r->ncounters; i++)
        ts_free(r->counters[i]);
    ts_free(r->counters);
    ts_free(r);
}

typedef struct loader {
    const char *name;
    ts_rule_error_cb cb;
    void *payload;
    unsigned line;
    int errors;
    ts_rule **rules;
    size_t nrules, cap;
    ts_rule *cur;
    unsigned cur_line;
    size_t cap_examples, cap_counters, cap_context, cap_keywords;
    bool has_category, has_severity;
    unsigned pattern_line, not_before_line, not_after_line, sentence_require_line, sentence_not_line,
        row_require_line, follow_require_line, context_for_line;
    ts_ctx *ctx;             /* vocabularies of packs loaded before this one */
    bool vocab;              /* L->cur is a [vocab.NAME], not a rule */
    struct ts_vocab *vocabs; /* this file's vocabularies, moved to ctx when it loads */
    size_t nvocabs, cap_vocabs;
} loader;

static void lerr(loader *L, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void lerr(loader *L, unsigned line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->errors++;
    if (L->cb)
        L->cb(L->name, line, msg, L->payload);
}

static bool valid_id(const char *s, size_t n)
{
    if (n == 0 || n > 100)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '.' || c == '-' || c == '_'));
        if (!ok)
            return false;
    }
    return true;
}

/* Split "a, b ,c" into lowercase (ASCII) words appended to *arr. */
static ts_status split_words(const char *v, char ***arr, size_t *n, size_t *cap)
{
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s) {
            char *w = ts_strndup(s, (size_t)(e - s));
            if (w == NULL || ts_grow((void **)arr, cap, *n + 1, sizeof(**arr)) != 0) {
                ts_free(w);
                return TS_ENOMEM;
            }
            for (char *q = w; *q; q++)
                if (*q >= 'A' && *q <= 'Z')
                    *q = (char)(*q - 'A' + 'a');
            (*arr)[(*n)++] = w;
        }
    }
    return TS_OK;
}

static pcre2_code *compile(loader *L, unsigned line, const char *key, const char *src,
                           uint32_t opts)
{
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | opts, &err, &off, NULL);
    if (re == NULL) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(err, buf, sizeof buf);
        lerr(L, line, "%s does not compile at offset %zu: %s", key, (size_t)off, (char *)buf);
        return NULL;
    }
    return re;
}

/* compile() of "(?:src)\z": a match must end where the subject ends. */
static pcre2_code *compile_to_end(loader *L, unsigned line, const char *key, const char *src,
                                  uint32_t opts)
{
    size_t n = strlen(src) + 16;
    char *whole = ts_malloc(n);
    if (whole == NULL) {
        lerr(L, line, "out of memory");
        return NULL;
    }
    snprintf(whole, n, "(?:%s)\\z", src);
    pcre2_code *re = compile(L, line, key, whole, opts);
    ts_free(whole);
    return re;
}

static bool want(loader *L, unsigned line, int ok, const char *key, const char *value)
{
    if (!ok)
        lerr(L, line, "bad value for %s: '%s'", key, value);
    return ok;
}

static bool parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0) {
        *out = false;
        return true;
    }
    return false;
}

/* `shape = dotted-quad, long-number`: the number shapes whose lines the rule runs on. */
static ts_status parse_shapes(loader *L, unsigned line, const char *v)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    ts_status st = split_words(v, &names, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        ts_shape k = ts_shape_find(names[i]);
        if (k == TS_SHAPES)
            lerr(L, line, "unknown shape '%s' (known: dotted-quad, long-number)", names[i]);
        else
            L->cur->shapes |= 1u << k;
        ts_free(names[i]);
    }
    ts_free(names);
    return st;
}

/* `header = *passord, pw, pre-shared key`: the words a label must hold (label.h). */
/* Parse a comma list of header words into *out (header, or header.not when `not`). */
static ts_status parse_header(loader *L, unsigned line, const char *v, bool not)
{
    ts_rule *r = L->cur;
    struct ts_hword **out = not ? &r->header_not : &r->header;
    size_t *nout = not ? &r->nheader_not : &r->nheader;
    if (*nout > 0) {
        lerr(L, line, "%s given twice", not ? "header.not" : "header");
        return TS_OK;
    }
    if (!not && (r->header_src = ts_strdup(v)) == NULL)
        return TS_ENOMEM;
    char **w = NULL;
    size_t n = 0, cap = 0;
    ts_status st = split_words(v, &w, &n, &cap);
    if (st == TS_OK && n > 0 && (*out = ts_calloc(n, sizeof(**out))) == NULL)
        st = TS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (st == TS_OK) {
            ts_status p = ts_hword_parse(&(*out)[*nout], w[i]);
            if (p == TS_OK)
                (*nout)++;
            else if (p == TS_EINVAL)
                lerr(L, line, "header word '%s' holds no letter or digit", w[i]);
            else
                st = p;
        }
        ts_free(w[i]);
    }
    ts_free(w);
    return st;
}

/* A copy of an example line with each "⏎" (U+23CE) turned into a line break: an example can
 * show a label and its value on two lines, or a table's header row and a row. */
static char *line_breaks(const char *v)
{
    static const char mark[] = "\xe2\x8f\x8e";
    char *s = ts_strdup(v);
    if (s == NULL)
        return NULL;
    char *w = s;
    for (const char *r = s; *r;) {
        if (strncmp(r, mark, 3) == 0) {
            *w++ = '\n';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

/* A whole number written in decimal digits and nothing else. */
static bool parse_count(const char *v, unsigned long *out)
{
    char *end = NULL;
    *out = strtoul(v, &end, 10);
    return end != v && *end == '\0' && *v >= '0' && *v <= '9';
}

static ts_status set_key(loader *L, unsigned line, const char *key, const char *v)
{
    ts_rule *r = L->cur;
    if (L->vocab && strcmp(key, "pattern") != 0) {
        lerr(L, line, "a vocabulary has a pattern only, not '%s'", key);
        return TS_OK;
    }
    ts_severity sev;
    char **slot = NULL;
    if (strcmp(key, "category") == 0) {
        ts_category c;
        if (want(L, line, ts_category_parse(&c, v) == TS_OK, key, v))
            r->category = c;
        L->has_category = true;
    } else if (strcmp(key, "severity") == 0) {
        if (want(L, line, ts_severity_parse(&sev, v) == TS_OK, key, v))
            r->severity = sev;
        L->has_severity = true;
    } else if (strcmp(key, "severity.nocontext") == 0) {
        if (want(L, line, ts_severity_parse(&sev, v) == TS_OK, key, v))
            r->severity_nocontext = (int)sev;
    } else if (strcmp(key, "pattern") == 0) {
        slot = &r->pattern;
        L->pattern_line = line;
    } else if (strcmp(key, "flags") == 0) {
        char **w = NULL;
        size_t n = 0, cap = 0;
        if (split_words(v, &w, &n, &cap) != TS_OK)
            return TS_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(w[i], "caseless") == 0)
                r->caseless = true;
            else if (strcmp(w[i], "ucp") == 0)
                r->ucp = true;
            else
                lerr(L, line, "unknown flag '%s' (known: caseless, ucp)", w[i]);
            ts_free(w[i]);
        }
        ts_free(w);
    } else if (strcmp(key, "validate") == 0) {
        const char *arg = NULL;
        r->validator = ts_validator_find(v, &arg);
        if (r->validator == NULL) {
            lerr(L, line, "unknown validator or bad argument: '%s'", v);
        } else {
            r->validate_arg = ts_strdup(arg);
            if (r->validate_arg == NULL)
                return TS_ENOMEM;
        }
    } else if (strcmp(key, "context") == 0) {
        return split_words(v, &r->context, &r->ncontext, &L->cap_context);
    } else if (strcmp(key, "keywords") == 0) {
        return split_words(v, &r->keywords, &r->nkeywords, &L->cap_keywords);
    } else if (strcmp(key, "shape") == 0) {
        return parse_shapes(L, line, v);
    } else if (strcmp(key, "header") == 0) {
        return parse_header(L, line, v, false);
    } else if (strcmp(key, "header.not") == 0) {
        return parse_header(L, line, v, true);
    } else if (strcmp(key, "header.required") == 0) {
        want(L, line, parse_bool(v, &r->header_required), key, v);
    } else if (strcmp(key, "header.row") == 0) {
        want(L, line, parse_bool(v, &r->header_row), key, v);
    } else if (strcmp(key, "context.required") == 0) {
        want(L, line, parse_bool(v, &r->context_required), key, v);
    } else if (strcmp(key, "context.window") == 0) {
        unsigned long w = 0;
        if (want(L, line, parse_count(v, &w) && w > 0 && w <= 2000, key, v))
            r->context_window = (unsigned)w;
    } else if (strcmp(key, "window") == 0) {
        if (strcmp(v, "word") == 0)
            r->window_word = true;
        else if (strcmp(v, "line") != 0)
            lerr(L, line, "window must be 'line' or 'word', not '%s'", v);
    } else if (strcmp(key, "overlap") == 0) {
        if (strcmp(v, "yield") == 0)
            r->overlap_yield = true;
        else if (strcmp(v, "compete") != 0)
            lerr(L, line, "overlap must be 'compete' or 'yield', not '%s'", v);
    } else if (strcmp(key, "value.span") == 0) {
        if (strcmp(v, "sentence") == 0)
            r->span_sentence = true;
        else if (strcmp(v, "match") != 0)
            lerr(L, line, "value.span must be 'match' or 'sentence', not '%s'", v);
    } else if (strcmp(key, "sentence.require") == 0) {
        slot = &r->sentence_require_src;
        L->sentence_require_line = line;
    } else if (strcmp(key, "sentence.not") == 0) {
        slot = &r->sentence_not_src;
        L->sentence_not_line = line;
    } else if (strcmp(key, "sentence.follow.require") == 0) {
        slot = &r->follow_require_src;
        L->follow_require_line = line;
    } else if (strcmp(key, "sentence.follow") == 0) {
        unsigned long n = 0;
        if (want(L, line, parse_count(v, &n) && n <= 5, key, v))
            r->sentence_follow = (unsigned)n;
    } else if (strcmp(key, "row.require") == 0) {
        slot = &r->row_require_src;
        L->row_require_line = line;
    } else if (strcmp(key, "context.required.for") == 0) {
        slot = &r->context_required_for_src;
        L->context_for_line = line;
    } else if (strcmp(key, "not_before") == 0) {
        slot = &r->not_before_src;
        L->not_before_line = line;
    } else if (strcmp(key, "not_after") == 0) {
        slot = &r->not_after_src;
        L->not_after_line = line;
    } else if (strcmp(key, "title.en") == 0) {
        slot = &r->title[TS_LANG_EN];
    } else if (strcmp(key, "title.nb") == 0) {
        slot = &r->title[TS_LANG_NB];
    } else if (strcmp(key, "advice.en") == 0) {
        slot = &r->advice[TS_LANG_EN];
    } else if (strcmp(key, "advice.nb") == 0) {
        slot = &r->advice[TS_LANG_NB];
    } else if (strcmp(key, "example") == 0 || strcmp(key, "counter") == 0) {
        bool ex = key[0] == 'e';
        char ***arr = ex ? &r->examples : &r->counters;
        size_t *n = ex ? &r->nexamples : &r->ncounters;
        size_t *cap = ex ? &L->cap_examples : &L->cap_counters;
        if (ts_grow((void **)arr, cap, *n + 1, sizeof(**arr)) != 0)
            return TS_ENOMEM;
        (*arr)[*n] = line_breaks(v);
        if ((*arr)[*n] == NULL)
            return TS_ENOMEM;
        (*n)++;
    } else {
        lerr(L, line, "unknown key '%s'", key);
    }
    if (slot) {
        if (*slot) {
            lerr(L, line, "%s given twice", key);
            return TS_OK;
        }
        *slot = ts_strdup(v);
        if (*slot == NULL)
            return TS_ENOMEM;
    }
    return TS_OK;
}

/* Check a complete rule and compile its patterns. */
static bool name_eq(const char *a, const char *b, size_t bl)
{
    size_t i = 0;
    for (; i < bl && a[i]; i++) {
        char x = a[i] == '_' ? '-' : a[i], y = b[i] == '_' ? '-' : b[i];
        if (x != y)
            return false;
    }
    return i == bl && a[i] == '\0';
}

static const char *find_vocab(const loader *L, const char *name, size_t n)
{
    for (size_t i = L->nvocabs; i > 0; i--)
        if (name_eq(L->vocabs[i - 1].name, name, n))
            return L->vocabs[i - 1].pattern;
    for (size_t i = L->ctx ? L->ctx->nvocab : 0; i > 0; i--)
        if (name_eq(L->ctx->vocab[i - 1].name, name, n))
            return L->ctx->vocab[i - 1].pattern;
    return NULL;
}

/*
 * Write every (?&name) of a known vocabulary as (?:its pattern), in place of *src. A reference
 * to a name that is no vocabulary stays as it is (a PCRE2 call of a named group). Vocabularies
 * are expanded when they are defined, so one pass suffices.
 */
static ts_status expand_vocab(const loader *L, char **src)
{
    const char *s = *src;
    if (s == NULL || strstr(s, "(?&") == NULL)
        return TS_OK;
    size_t cap = strlen(s) + 1, len = 0;
    char *out = ts_malloc(cap);
    if (out == NULL)
        return TS_ENOMEM;
    while (*s) {
        const char *piece = s;
        size_t plen = 1;
        const char *vp = NULL;
        if (strncmp(s, "(?&", 3) == 0) {
            const char *n = s + 3, *e = n;
            while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
                   (*e >= '0' && *e <= '9') || *e == '_' || *e == '-' || *e == '.')
                e++;
            if (*e == ')' && e > n && (vp = find_vocab(L, n, (size_t)(e - n))) != NULL) {
                piece = vp;
                plen = strlen(vp);
                s = e + 1;
            }
        }
        if (vp == NULL)
            s++;
        size_t need = len + plen + 5;
        if (need > cap) {
            cap = need * 2;
            char *g = ts_realloc(out, cap);
            if (g == NULL) {
                ts_free(out);
                return TS_ENOMEM;
            }
            out = g;
        }
        if (vp) {
            memcpy(out + len, "(?:", 3);
            len += 3;
        }
        memcpy(out + len, piece, plen);
        len += plen;
        if (vp)
            out[len++] = ')';
    }
    out[len] = '\0';
    ts_free(*src);
    *src = out;
    return TS_OK;
}

/* A [vocab.NAME] ends: check it and keep it for the rules after it. */
static void finish_vocab(loader *L)
{
    ts_rule *r = L->cur;
    L->cur = NULL;
    L->vocab = false;
    if (r->pattern == NULL) {
        lerr(L, L->cur_line, "vocabulary [%s] has no pattern", r->id);
    } else if (expand_vocab(L, &r->pattern) != TS_OK ||
               ts_grow((void **)&L->vocabs, &L->cap_vocabs, L->nvocabs + 1, sizeof(*L->vocabs)) !=
                   0) {
        lerr(L, L->cur_line, "out of memory");
    } else {
        /* it must compile on its own, so that an error names the vocabulary */
        pcre2_code *re = compile(L, L->pattern_line, "pattern", r->pattern, PCRE2_CASELESS);
        char *name = ts_strdup(r->id + strlen("vocab."));
        if (re && name) {
            L->vocabs[L->nvocabs].name = name;
            L->vocabs[L->nvocabs].pattern = r->pattern;
            L->nvocabs++;
            r->pattern = NULL;
        } else {
            ts_free(name);
        }
        pcre2_code_free(re);
    }
    ts_rule_free(r);
}

static void finish_rule(loader *L)
{
    ts_rule *r = L->cur;
    if (r == NULL)
        return;
    if (L->vocab) {
        finish_vocab(L);
        return;
    }
    unsigned line = L->cur_line;
    if (r->pattern && strstr(r->pattern, "(?&") &&
        (r->pattern_src = ts_strdup(r->pattern)) == NULL) {
        lerr(L, line, "out of memory");
        return;
    }
    char **src[SIDES];
    side_srcs(r, src);
    ts_status est = expand_vocab(L, &r->pattern);
    for (size_t i = 0; i < SIDES && est == TS_OK; i++)
        est = expand_vocab(L, src[i]);
    if (est != TS_OK) {
        lerr(L, line, "out of memory");
        return;
    }
    if (!L->has_category)
        lerr(L, line, "rule [%s] has no category", r->id);
    if (!L->has_severity)
        lerr(L, line, "rule [%s] has no severity", r->id);
    if (r->pattern == NULL) {
        lerr(L, line, "rule [%s] has no pattern", r->id);
    } else {
        uint32_t opts = (r->caseless ? PCRE2_CASELESS : 0) | (r->ucp ? PCRE2_UCP : 0) |
                        (r->window_word ? PCRE2_ANCHORED : 0);
        r->re = compile(L, L->pattern_line, "pattern", r->pattern, opts);
        if (r->re) {
            int g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "value");
            r->value_group = g > 0 ? (uint32_t)g : 0;
        }
    }
    if (r->title[0] == NULL && r->title[1] == NULL)
        lerr(L, line, "rule [%s] has no title.en or title.nb", r->id);
    if ((r->context_required || r->context_required_for_src) && r->ncontext == 0)
        lerr(L, line, "rule [%s] requires context but lists no context words", r->id);
    if (r->context_required_for_src) /* the whole value must match */
        r->context_required_for =
            compile_to_end(L, L->context_for_line, "context.required.for",
                           r->context_required_for_src,
                           PCRE2_ANCHORED | (r->caseless ? PCRE2_CASELESS : 0));
    if (r->header_required && r->nheader == 0)
        lerr(L, line, "rule [%s] requires a header but lists no header words", r->id);
    if (r->shapes != 0 && r->nkeywords > 0)
        lerr(L, line, "rule [%s]: shape and keywords exclude each other", r->id);
    if (r->window_word && (r->nkeywords == 0 || r->nheader > 0))
        lerr(L, line, "rule [%s]: window = word needs keywords and no header words", r->id);
    if (r->header_row && !r->header_required)
        lerr(L, line, "rule [%s]: header.row needs header.required = yes", r->id);
    if (r->row_require_src && !r->header_required)
        lerr(L, line, "rule [%s]: row.require needs header.required = yes", r->id);
    if (r->not_before_src) /* the text before the value must not END with this */
        r->not_before = compile_to_end(L, L->not_before_line, "not_before", r->not_before_src,
                                       r->caseless ? PCRE2_CASELESS : 0);
    if (r->not_after_src)
        r->not_after = compile(L, L->not_after_line, "not_after", r->not_after_src,
                               PCRE2_ANCHORED | (r->caseless ? PCRE2_CASELESS : 0));
    if (r->sentence_follow > 0 && (!r->span_sentence || r->sentence_require_src == NULL))
        lerr(L, line, "rule [%s]: sentence.follow needs value.span = sentence and sentence.require",
             r->id);
    if ((r->sentence_require_src || r->sentence_not_src) && !r->span_sentence)
        lerr(L, line, "rule [%s]: sentence.require and sentence.not need value.span = sentence",
             r->id);
    uint32_t sopts = (r->caseless ? PCRE2_CASELESS : 0) | (r->ucp ? PCRE2_UCP : 0);
    if (r->sentence_require_src)
        r->sentence_require = compile(L, L->sentence_require_line, "sentence.require",
                                      r->sentence_require_src, sopts);
    if (r->sentence_not_src)
        r->sentence_not =
            compile(L, L->sentence_not_line, "sentence.not", r->sentence_not_src, sopts);
    if (r->follow_require_src && r->sentence_follow == 0)
        lerr(L, line, "rule [%s]: sentence.follow.require needs sentence.follow", r->id);
    if (r->follow_require_src)
        r->follow_require = compile(L, L->follow_require_line, "sentence.follow.require",
                                    r->follow_require_src, sopts);
    if (r->row_require_src)
        r->row_require =
            compile(L, L->row_require_line, "row.require", r->row_require_src, sopts);
    if (r->context_window == 0)
        r->context_window = 80;
    for (size_t i = 0; i < r->ncontext; i++) {
        unsigned char c = (unsigned char)r->context[i][0];
        r->context_first[c >> 3] |= (unsigned char)(1u << (c & 7));
    }
    L->cur = NULL;
}

static ts_status start_rule(loader *L, const char *id, size_t n)
{
    if (!valid_id(id, n)) {
        lerr(L, L->line, "bad rule id '%.*s' (use lowercase letters, digits, '.', '-', '_')",
             (int)(n > 100 ? 100 : n), id);
    }
    ts_rule *r = ts_rule_alloc();
    if (r == NULL)
        return TS_ENOMEM;
    r->id = ts_strndup(id, n);
    if (n > 6 && strncmp(id, "vocab.", 6) == 0) {
        /* a vocabulary: a pattern fragment for the rules after it */
        if (r->id == NULL) {
            ts_rule_free(r);
            return TS_ENOMEM;
        }
        L->cur = r;
        L->vocab = true;
        L->cur_line = L->line;
        return TS_OK;
    }
    char origin[512];
    snprintf(origin, sizeof origin, "%s:%u", L->name, L->line);
    r->origin = ts_strdup(origin);
    if (r->id == NULL || r->origin == NULL ||
        ts_grow((void **)&L->rules, &L->cap, L->nrules + 1, sizeof(*L->rules)) != 0) {
        ts_rule_free(r);
        return TS_ENOMEM;
    }
    for (size_t i = 0; i < L->nrules; i++)
        if (strcmp(L->rules[i]->id, r->id) == 0)
            lerr(L, L->line, "rule [%s] defined twice in this file (first at %s)", r->id,
                 L->rules[i]->origin);
    L->rules[L->nrules++] = r;
    L->cur = r;
    L->cur_line = L->line;
    L->cap_examples = L->cap_counters = L->cap_context = L->cap_keywords = 0;
    L->has_category = L->has_severity = false;
    return TS_OK;
}

static ts_status merge(ts_ctx *ctx, loader *L)
{
    for (size_t i = 0; i < L->nvocabs; i++) {
        if (ts_grow((void **)&ctx->vocab, &ctx->cap_vocab, ctx->nvocab + 1, sizeof(*ctx->vocab)) !=
            0)
            return TS_ENOMEM;
        ctx->vocab[ctx->nvocab++] = L->vocabs[i];
        L->vocabs[i].name = NULL;
        L->vocabs[i].pattern = NULL;
    }
    for (size_t i = 0; i < L->nrules; i++) {
        ts_rule *r = L->rules[i];
        size_t j = 0;
        while (j < ctx->nrules && strcmp(ctx->rules[j]->id, r->id) != 0)
            j++;
        if (j < ctx->nrules) {
            ts_rule_free(ctx->rules[j]); /* a later pack overrides an earlier rule */
            ctx->rules[j] = r;
        } else {
            if (ts_grow((void **)&ctx->rules, &ctx->cap_rules, ctx->nrules + 1,
                        sizeof(*ctx->rules)) != 0)
                return TS_ENOMEM;
            ctx->rules[ctx->nrules++] = r;
        }
        L->rules[i] = NULL;
    }
    return ts_ctx_rebuild(ctx);
}

TS_API ts_status ts_ctx_load_rules_buffer(ts_ctx *ctx, const char *name, const char *text,
                                          size_t len, ts_rule_error_cb cb, void *payload)
{
    if (ctx == NULL || text == NULL)
        return TS_EINVAL;
    loader L = {.name = name ? name : "(rules)", .cb = cb, .payload = payload, .ctx = ctx};
    ts_status st = TS_OK;
    char *line = NULL;
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (e == NULL)
            e = end;
        L.line++;
        const char *s = p, *t = e;
        p = e + 1;
        while (t > s && (t[-1] == '\r' || t[-1] == ' ' || t[-1] == '\t'))
            t--;
        while (s < t && (*s == ' ' || *s == '\t'))
            s++;
        if (s == t || *s == '#')
            continue;
        if (memchr(s, '\0', (size_t)(t - s))) {
            lerr(&L, L.line, "NUL byte in a rule file");
            continue;
        }
        if (*s == '[') {
            if (t[-1] != ']') {
                lerr(&L, L.line, "a rule header must look like [category.name]");
                continue;
            }
            finish_rule(&L);
            st = start_rule(&L, s + 1, (size_t)(t - s - 2));
            if (st != TS_OK)
                goto out;
            continue;
        }
        const char *eq = memchr(s, '=', (size_t)(t - s));
        if (eq == NULL) {
            lerr(&L, L.line, "expected 'key = value' or '[rule.id]'");
            continue;
        }
        if (L.cur == NULL) {
            lerr(&L, L.line, "'key = value' before the first [rule.id] header");
            continue;
        }
        const char *ke = eq;
        while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        const char *v = eq + 1;
        while (v < t && (*v == ' ' || *v == '\t'))
            v++;
        size_t klen = (size_t)(ke - s), vlen = (size_t)(t - v);
        ts_free(line);
        line = ts_malloc(klen + vlen + 2);
        if (line == NULL) {
            st = TS_ENOMEM;
            goto out;
        }
        memcpy(line, s, klen);
        line[klen] = '\0';
        memcpy(line + klen + 1, v, vlen);
        line[klen + 1 + vlen] = '\0';
        if (vlen == 0) {
            lerr(&L, L.line, "key '%s' has no value", line);
            continue;
        }
        st = set_key(&L, L.line, line, line + klen + 1);
        if (st != TS_OK)
            goto out;
    }
    finish_rule(&L);
    if (L.errors > 0) {
        st = TS_ERULES;
        goto out;
    }
    st = merge(ctx, &L);
out:
    ts_free(line);
    if (L.cur && L.vocab)
        ts_rule_free(L.cur);
    for (size_t i = 0; i < L.nrules; i++)
        ts_rule_free(L.rules[i]);
    ts_free(L.rules);
    for (size_t i = 0; i < L.nvocabs; i++)
        if (L.vocabs[i].name) {
            ts_free(L.vocabs[i].name);
            ts_free(L.vocabs[i].pattern);
        }
    ts_free(L.vocabs);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ts_status load_file(ts_ctx *ctx, const char *path, ts_rule_error_cb cb, void *payload)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (text == NULL) {
        if (cb)
            cb(path, 0, strerror(errno), payload);
        return TS_EIO;
    }
    ts_status st = ts_ctx_load_rules_buffer(ctx, path, text, len, cb, payload);
    ts_free(text);
    return st;
}

TS_API ts_status ts_ctx_load_rules_path(ts_ctx *ctx, const char *path, ts_rule_error_cb cb,
                                        void *payload)
{
    if (ctx == NULL || path == NULL)
        return TS_EINVAL;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (cb)
            cb(path, 0, strerror(errno), payload);
        return TS_EIO;
    }
    if (!S_ISDIR(sb.st_mode))
        return load_file(ctx, path, cb, payload);
    DIR *d = opendir(path);
    if (d == NULL) {
        if (cb)
            cb(path, 0, strerror(errno), payload);
        return TS_EIO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    ts_status st = TS_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 7 || strcmp(e->d_name + l - 6, ".rules") != 0 || e->d_name[0] == '.')
            continue;
        if (ts_grow((void **)&names, &cap, n + 1, sizeof(*names)) != 0) {
            st = TS_ENOMEM;
            break;
        }
        size_t plen = strlen(path) + l + 2;
        names[n] = ts_malloc(plen);
        if (names[n] == NULL) {
            st = TS_ENOMEM;
            break;
        }
        snprintf(names[n], plen, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (st == TS_OK && n == 0) {
        if (cb)
            cb(path, 0, "no *.rules files in this folder", payload);
        st = TS_ERULES;
    }
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n && st == TS_OK; i++)
        st = load_file(ctx, names[i], cb, payload);
    for (size_t i = 0; i < n; i++)
        ts_free(names[i]);
    ts_free(names);
    return st;
}

TS_API ts_status ts_ctx_load_default_rules(ts_ctx *ctx, ts_rule_error_cb cb, void *payload)
{
    if (ctx == NULL)
        return TS_EINVAL;
    for (const struct ts_pack *p = ts_packs; p->name != NULL; p++) {
        char name[128];
        snprintf(name, sizeof name, "patterns/%s", p->name);
        ts_status st = ts_ctx_load_rules_buffer(ctx, name, p->text, p->len, cb, payload);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* ---- rule getters ------------------------------------------------------------------------- */

TS_API const char *ts_rule_id(const ts_rule *r)
{
    return r->id;
}

TS_API ts_category ts_rule_category(const ts_rule *r)
{
    return r->category;
}

TS_API ts_severity ts_rule_severity(const ts_rule *r)
{
    return r->severity;
}

TS_API const char *ts_rule_title(const ts_rule *r, ts_lang lang)
{
    const char *t = r->title[lang == TS_LANG_NB ? 1 : 0];
    return t ? t : r->title[lang == TS_LANG_NB ? 0 : 1];
}

TS_API const char *ts_rule_advice(const ts_rule *r, ts_lang lang)
{
    const char *t = r->advice[lang == TS_LANG_NB ? 1 : 0];
    t = t ? t : r->advice[lang == TS_LANG_NB ? 0 : 1];
    return t ? t : "";
}

TS_API const char *ts_rule_pattern(const ts_rule *r)
{
    return r->pattern_src ? r->pattern_src : r->pattern;
}

TS_API const char *ts_rule_labels(const ts_rule *r)
{
    return r->header_src;
}

TS_API const char *ts_rule_origin(const ts_rule *r)
{
    return r->origin;
}

TS_API size_t ts_rule_sample_count(const ts_rule *r, int want_match)
{
    return want_match ? r->nexamples : r->ncounters;
}

TS_API const char *ts_rule_sample_at(const ts_rule *r, int want_match, size_t i)
{
    if (want_match)
        return i < r->nexamples ? r->examples[i] : NULL;
    return i < r->ncounters ? r->counters[i] : NULL;
}

TS_API size_t ts_rule_test(const ts_ctx *ctx, const ts_rule *r, ts_rule_test_cb cb, void *payload)
{
    if (r->re == NULL)
        return 0;
    /* A context holding this rule alone, so that no other rule can hide or cause a match. */
    ts_rule *one;
    memcpy(&one, &r, sizeof one);
    ts_ctx solo = {.limits = ctx->limits, .rules = &one, .nrules = 1, .cap_rules = 1,
                   .fp_key = ctx->fp_key, .fp_key_len = ctx->fp_key_len}; /* key borrowed */
    size_t failures = 0;
    if (ts_ctx_rebuild(&solo) != TS_OK)
        return r->nexamples + r->ncounters;
    for (int want_match = 1; want_match >= 0; want_match--) {
        size_t n = want_match ? r->nexamples : r->ncounters;
        char *const *s = want_match ? r->examples : r->counters;
        for (size_t i = 0; i < n; i++) {
            ts_doc *doc = NULL;
            bool hit = false;
            if (ts_scan_buffer(&doc, &solo, "example", s[i], strlen(s[i])) == TS_OK)
                hit = ts_doc_finding_count(doc) > 0;
            ts_doc_free(doc);
            if (hit != (want_match == 1)) {
                failures++;
                if (cb)
                    cb(r, want_match, s[i], payload);
            }
        }
    }
    free_built(&solo);
    return failures;
}

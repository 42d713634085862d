/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rules and the context that holds them (internal layout). */
#ifndef TS_DETECT_RULES_H
#define TS_DETECT_RULES_H

#include "tenderscan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "detect/shape.h"

struct ts_validator;
struct ts_kwset;
struct ts_hword;

struct ts_rule {
    char *id;
    ts_category category;
    ts_severity severity;
    int severity_nocontext; /* severity without a context word nearby, or -1 */
    char *title[2];         /* indexed by ts_lang */
    char *advice[2];
    char *pattern;     /* NULL for a built-in structural rule; vocabularies written in */
    char *pattern_src; /* the pattern as written, when it used a vocabulary */
    char *header_src;  /* the `header` words as written */
    char *origin;      /* "file:line" or "built-in" */
    bool builtin;

    pcre2_code *re;
    uint32_t value_group; /* number of the group named `value`, 0 = whole match */
    bool caseless, ucp;
    /* JIT compiling every pattern at load took most of a process's start-up, and most rules do
     * not run on a given file (keyword rules wait for their keyword): ts_rule_jit compiles the
     * pattern the first time the engine runs the rule. `jit` is written under `jit_lock` before
     * `jit_done` is released, and read only after `jit_done` was seen set. */
    bool jit; /* JIT-compiled: matched with pcre2_jit_match */
    atomic_bool jit_done;
    pthread_mutex_t jit_lock;

    const struct ts_validator *validator;
    char *validate_arg;

    char **context; /* lowercase words; a word matches at a word start (prefix) */
    size_t ncontext;
    unsigned char context_first[32]; /* bit set of the context words' first bytes */
    bool context_required;
    pcre2_code *context_required_for; /* ... or only for values this matches whole */
    char *context_required_for_src;
    unsigned context_window; /* bytes each side of the value */

    char **keywords; /* the rule runs only on lines holding one of these (any case) */
    size_t nkeywords;
    unsigned shapes; /* or on lines holding one of these number shapes (bit 1 << ts_shape) */

    struct ts_hword *header; /* words of a column header, row label or key (DESIGN §8) */
    size_t nheader;
    bool header_required; /* the rule looks only at values so labelled */
    bool header_row;      /* ... and at whole table rows under a header row holding a word */
    struct ts_hword *header_not; /* header.not: no finding in a cell under such a column header */
    size_t nheader_not;
    pcre2_code *row_require; /* row.require: must match somewhere on the value's row (line) */
    char *row_require_src;

    pcre2_code *not_before; /* must not match the text before the value on its line */
    pcre2_code *not_after;  /* must not match the text after the value on its line */
    char *not_before_src, *not_after_src;

    bool window_word; /* window = word: tried anchored at a keyword's word and the words before */
    bool span_sentence;           /* value.span = sentence: the value grows to its sentence */
    bool overlap_yield;           /* overlap = yield: gives way to another rule's overlapping value */
    pcre2_code *sentence_require; /* sentence.require: must match somewhere in that sentence */
    pcre2_code *sentence_not;     /* sentence.not: must not match anywhere in it */
    char *sentence_require_src, *sentence_not_src;
    unsigned sentence_follow; /* sentence.follow: this many sentences after a finding are
                                 judged too (they go on about its element) */
    pcre2_code *follow_require; /* sentence.follow.require: such a sentence must match it too */
    char *follow_require_src;

    char **examples;
    size_t nexamples;
    char **counters;
    size_t ncounters;
};

/* A vocabulary: a named pattern fragment, written in as (?&name) when rules are loaded. */
struct ts_vocab {
    char *name;
    char *pattern;
};

struct ts_ctx {
    ts_limits limits;
    ts_rule **rules; /* sorted by id */
    size_t nrules, cap_rules;
    struct ts_kwset *kwset; /* keywords of all rules; rebuilt after each load */
    ts_rule **plain;        /* pattern rules without keywords (run over whole text) */
    size_t nplain;
    uint32_t *shape_rules[TS_SHAPES]; /* per number shape: the indexes of the rules it runs */
    size_t nshape_rules[TS_SHAPES];
    ts_rule **hrules; /* rules with header words: run over labelled values */
    size_t nhrules;
    uint32_t *hrule_of;     /* per rule: its index in hrules, or UINT32_MAX */
    struct ts_vocab *vocab; /* [vocab.NAME] fragments the patterns use as (?&NAME) */
    size_t nvocab, cap_vocab;
    struct ts_accept *ignore; /* accepted findings (--ignore, --baseline), sorted (ts_accept_cmp) */
    size_t nignore, cap_ignore;
    struct ts_modules *modules; /* extractor modules loaded so far (extract/module.c) */
    ts_ocr_mode ocr;            /* which pictures OCR reads (ts_ctx_set_ocr) */
    unsigned char *fp_key;      /* fingerprint key (ts_ctx_set_fingerprint_key; random at first) */
    size_t fp_key_len;
    char fp_key_id[17]; /* ts_ctx_fingerprint_key_id */
};

/* A new empty rule (NULL when out of memory); ts_rule_free releases it. */
ts_rule *ts_rule_alloc(void);
void ts_rule_free(ts_rule *r);
/* JIT-compile r's pattern if that was not tried yet; r->jit says if it took. Rules are shared
 * read-only by the scanning threads except for this once-only cache, which is thread-safe. */
void ts_rule_jit(ts_rule *r);
/* Rebuild the keyword set and the plain-rule list after rules changed. */
ts_status ts_ctx_rebuild(ts_ctx *ctx);
/*
 * An accepted finding: its fingerprint, and optionally the rule that must have found it and a
 * glob (fnmatch) that the document's path, or the path of a document holding it, must match.
 */
typedef struct ts_accept {
    unsigned char fp[32];
    char *rule; /* rule id, or NULL: found by any rule */
    char *glob; /* or NULL: in any document */
} ts_accept;
/* Order of the accepted list: fingerprint, then rule, then glob (NULL first). */
int ts_accept_cmp(const void *a, const void *b);
/*
 * Append an accepted finding (`rule` and `glob` may be NULL; lengths in bytes). The list is left
 * unsorted: call ts_ctx_accept_done after a batch. TS_EINVAL when `hex` is not 64 hex digits.
 */
ts_status ts_ctx_accept(ts_ctx *ctx, const char *hex, size_t hex_len, const char *rule,
                        size_t rule_len, const char *glob, size_t glob_len);
/* Sort the accepted list and drop repeated entries (before any scan). */
void ts_ctx_accept_done(ts_ctx *ctx);
/* Is the finding of rule `rule_id` with this fingerprint (hex) in document `path` accepted? */
bool ts_ctx_is_ignored(const ts_ctx *ctx, const char *hex, const char *rule_id, const char *path);
/* Give ctx a random fingerprint key of its own (ts_ctx_new). TS_EIO when the system has no
 * randomness to give, TS_ENOMEM. */
ts_status ts_ctx_random_fingerprint_key(ts_ctx *ctx);
/* Free the key (wiped first). */
void ts_ctx_free_fingerprint_key(ts_ctx *ctx);
/* The fingerprint of a finding of category `cat` with this exact value (DESIGN §7): HMAC-SHA256
 * hex under ctx's key of the category name, NUL and the value. TS_ENOMEM (or TS_EINTERNAL when
 * libcrypto has no HMAC-SHA256). */
ts_status ts_ctx_fingerprint(const ts_ctx *ctx, ts_category cat, const char *value, size_t len,
                             char out[65]);
/* Built-in structural rules (detect/builtin.c), added by ts_ctx_new. */
ts_status ts_builtin_rules_add(ts_ctx *ctx);

#endif /* TS_DETECT_RULES_H */

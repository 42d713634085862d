/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `merge`: do the inputs make one whole run? The run lines of `scan --shard K/N -f jsonl`. */
#ifndef TS_CLI_SHARDS_H
#define TS_CLI_SHARDS_H

#include "tenderscan.h"

#include <stdbool.h>
#include <stddef.h>

/* A run line read from input `input` (its index among the inputs), and what followed it. */
typedef struct cli_shard {
    ts_run_info info;
    size_t input;
    unsigned long line;
    size_t seen; /* top-level documents read after it, up to the next run line or input */
} cli_shard;

typedef struct cli_shards {
    cli_shard *v;
    size_t n, cap;
    bool open;    /* documents read now count for v[n - 1] */
    size_t loose; /* top-level documents read outside any run line */
    size_t input; /* the input being read */
} cli_shards;

/* A run line at line `line` of the current input. 0, or -1 on out-of-memory (printed). */
int cli_shards_add(cli_shards *s, const ts_run_info *info, unsigned long line);
/* A top-level document was read. */
void cli_shards_count(cli_shards *s);
/* The current input ended; `next` is the index of the next one. */
void cli_shards_next_input(cli_shards *s, size_t next);
/*
 * Check the run lines against each other, print what is wrong (nb/en) and say what it means for
 * the exit code (docs/user-guide.md, "merge"): EXIT_USAGE when the inputs are shards of
 * different splits (different N): nothing may be merged; EXIT_UNREAD when shards are missing or
 * cut off, or were made with different rules or saw different files: the merged report cannot
 * vouch for the whole run; else 0 (a shard or a file given twice is a warning, not shown with
 * `quiet`). Inputs without a run line are merged and not checked.
 */
int cli_shards_check(const cli_shards *s, char *const *names, size_t n, bool quiet, ts_lang lang);
void cli_shards_dispose(cli_shards *s);

#endif /* TS_CLI_SHARDS_H */

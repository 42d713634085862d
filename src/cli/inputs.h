/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operands of `scan`: paths that must exist, and `-`, one document from standard input. */
#ifndef TS_CLI_INPUTS_H
#define TS_CLI_INPUTS_H

#include "tenderscan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isolate.h"

/*
 * Check the operands before anything is scanned or written: every path that does not exist is
 * named ("does not exist" / "finnes ikke") and the run is refused, so a typo is never a report
 * with a FEIL line; `-` may come once, and --stdin-name only with it. A path that exists but
 * cannot be read (permission) is not refused here: it becomes a document graded error.
 * Returns 0, or EXIT_USAGE after printing every problem.
 */
int cli_inputs_check(char *const *paths, size_t n, bool stdin_name_given, ts_lang lang);

/* Standard input as one document: a private copy (0600, unlinked) mapped read-only. */
typedef struct cli_stdin {
    cli_memdoc doc; /* name, and the bytes when it could be read */
    void *map;      /* the mapping, or NULL (nothing read, or 0 bytes) */
    size_t maplen;
    ts_status fail; /* TS_OK, or why it could not be taken (then doc.data is NULL) */
    char why[192];  /* English detail of `fail` */
} cli_stdin;

/*
 * Read standard input to its end into a private temporary file (in $TMPDIR, else /tmp; never
 * seen by name) and map it, so the bytes are at hand in every worker process forked after this
 * and the main process never parses them. More than `max_bytes` (the max_file_bytes limit) stops
 * the reading: the document is then an error, as a file over the limit is. Failures are kept in
 * s->fail / s->why for the document, not printed. `quiet` drops the hint shown when standard
 * input is a terminal.
 */
void cli_stdin_read(cli_stdin *s, const char *name, uint64_t max_bytes, bool quiet, ts_lang lang);
/* Unmap what cli_stdin_read mapped. */
void cli_stdin_dispose(cli_stdin *s);

#endif /* TS_CLI_INPUTS_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `scan --state FILE`: a batch that was stopped goes on where it stopped (DESIGN §6). */
#ifndef TS_CLI_STATE_H
#define TS_CLI_STATE_H

#include "tenderscan.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * The state file is a header line and one record per scanned file, appended as each file is
 * done:
 *
 *   {"tenderscan-state":1,"version":V,"rules":ts_ctx_digest,"timeout":seconds,"max_memory":bytes}
 *   {"p":hex of the path,"s":size,"t":mtime_ns,"i":inode,"c":CRC-32 of DOC}<TAB>DOC
 *
 * (the path as given, in hex because paths are bytes), where DOC is the ts_doc_dump line of the
 * document (values unmasked: the file is created 0600). A run with the same header reports a listed
 * file whose path, size, mtime and inode still match from its record instead of scanning it;
 * everything else is scanned and appended. A record cut short by a kill is dropped (the file is cut
 * back to the last whole record); a damaged one is skipped, so its file is scanned again. A
 * different header starts the file afresh. One run at a time holds the file (flock).
 */
typedef struct cli_state cli_state;

/* What says a file is still the one that was scanned. */
typedef struct cli_state_id {
    uint64_t size;
    int64_t mtime_ns;
    uint64_t ino;
} cli_state_id;

/* A record of the state file (borrowed from it). */
typedef struct cli_state_rec cli_state_rec;

/* The identity of a file from its stat. */
cli_state_id cli_state_id_of(const struct stat *sb);

/*
 * Open or create `path` for a run with this context, --timeout and --max-memory (a file stopped
 * by one limit may be read under another), and read the records it
 * holds. Notes (state not usable, damaged records) go to stderr unless `quiet`. Returns 0, or -1
 * after printing why the file cannot be used (exit 2).
 */
int cli_state_open(cli_state **out, const char *path, const ts_ctx *ctx, double timeout,
                   uint64_t max_memory, bool quiet, ts_lang lang);
/* Device and inode of the state file, so the scan never reads it as a document. */
void cli_state_file_id(const cli_state *s, dev_t *dev, ino_t *ino);
/* The record of `path` if the file is unchanged since (NULL: scan it). `s` may be NULL. */
const cli_state_rec *cli_state_find(const cli_state *s, const char *path, const cli_state_id *id);
/*
 * The document of a record, as it was scanned. TS_ECORRUPT when the record is damaged (counted
 * for the closing note: scan the file instead), TS_ENOMEM. Thread-safe.
 */
ts_status cli_state_load(cli_state *s, const cli_state_rec *rec, ts_doc **out);
/*
 * Append the record of a scanned document. A document that could not be opened or read (I/O
 * error: maybe passing) is not recorded. A failed write is said once on stderr and the run goes
 * on. Thread-safe; `s` may be NULL.
 */
void cli_state_save(cli_state *s, const char *path, const cli_state_id *id, const ts_doc *doc);
/* Print the note on damaged records (unless quiet) and free everything; NULL is a no-op. */
void cli_state_close(cli_state *s);

#endif /* TS_CLI_STATE_H */

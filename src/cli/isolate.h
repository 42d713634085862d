/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Worker processes: a document that crashes or hangs a reader costs that document, not the run. */
#ifndef TS_CLI_ISOLATE_H
#define TS_CLI_ISOLATE_H

#include "tenderscan.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * DESIGN §9: "bounds time per document in batch mode, and keeps going when one document is
 * corrupt or crashes a library (that document gets grade error, the rest are scanned)". Each
 * scanning thread of `scan` owns one worker process, forked from the program after its rules
 * were loaded; the thread hands it a path and gets the document back as one line of
 * ts_doc_dump (everything, secrets unmasked: the channel is private), which ts_doc_load turns
 * into a document again. A worker that dies, or takes longer than the time limit (killed), is
 * replaced, and its document becomes an error document saying what happened.
 *
 * DESIGN §9 "bounds time and memory per document (a worker process per job with setrlimit)":
 * before each document a worker sets its own soft limits: RLIMIT_AS to what it has mapped so
 * far plus the file plus --max-memory (not in an AddressSanitizer build: see isolate.c), and
 * RLIMIT_CPU to the processor time it used so far plus the timeout and a margin, so that a
 * spinning reader dies even if the wall-clock watchdog does not. A worker that runs out of
 * memory (an allocation the library reports as TS_ENOMEM, or a reader that aborts or crashes
 * on a failed allocation), uses up its processor time, is killed from outside or crashes gives
 * its file grade error naming which, with the file's size, SHA-256 and (unless it crashed) its
 * format, read by the parent.
 */
/* A document held in memory (standard input): scanned under its name, not read from a path. */
typedef struct cli_memdoc {
    const char *name; /* the reported path (--stdin-name) */
    const void *data; /* made before the workers start, so every worker has it */
    size_t len;
} cli_memdoc;

typedef struct cli_proc {
    pid_t pid; /* 0: none running */
    int fd;    /* the parent's end of a socket pair */
} cli_proc;

typedef struct cli_procs {
    const ts_ctx *ctx;
    double timeout;      /* seconds per document; 0 = no limit */
    uint64_t max_memory; /* bytes one document may add to a worker's address space; 0 = none */
    pthread_mutex_t mu;  /* held while forking: the child closes every other worker's socket */
    cli_proc *v;
    size_t n;
    /* the document cli_procs_scan_mem scans, or NULL */
    const cli_memdoc *mem;
    bool cancelled; /* cli_procs_cancel: no worker is started again */
} cli_procs;

/* --max-memory when it is not given: per worker, for one document */
#define CLI_MAX_MEMORY_DEFAULT (1ull << 30)

/*
 * Start `n` workers (call before any thread starts), each bounded by `timeout` seconds and
 * `max_memory` bytes per document (0: no bound). `mem` (or NULL) and its bytes must stay as they
 * are until cli_procs_stop: every worker, also one started again later, is a copy of this process
 * and reads them there. 0, or -1 with a message printed.
 */
int cli_procs_start(cli_procs *ps, const ts_ctx *ctx, size_t n, double timeout,
                    uint64_t max_memory, const cli_memdoc *mem);
/* Whether this build can bound a worker's memory (not under AddressSanitizer). */
bool cli_procs_bound_memory(void);
/*
 * The value of --max-memory: a whole number with an optional K, M, G or T (powers of 1024; KB
 * and KiB are read the same), at least 1M, or 0 for no bound. 0, or -1 after printing the usage
 * error; prints a note when this build cannot apply it.
 */
int cli_procs_parse_memory(const char *arg, uint64_t *out);
/*
 * Scan `path` in worker `i` (one thread per worker). *out is the document, or an error document
 * when the worker crashed, was stopped or could not be started. Returns TS_ENOMEM (or what the
 * scan itself returned: out of memory in the worker), else TS_OK.
 */
ts_status cli_procs_scan(cli_procs *ps, size_t i, const char *path, ts_doc **out);
/* The same for the in-memory document given to cli_procs_start (TS_EINVAL if there is none). */
ts_status cli_procs_scan_mem(cli_procs *ps, size_t i, ts_doc **out);
/*
 * Kill every worker now (SIGKILL) and start none again: a scan in progress ends at once with an
 * error document (for a stop: SIGINT, SIGTERM). Thread-safe; for any thread, also while others
 * scan.
 */
void cli_procs_cancel(cli_procs *ps);
/* Was cli_procs_cancel called? A document that came back since was not really scanned. */
bool cli_procs_cancelled(cli_procs *ps);
/* Stop every worker and wait for them. */
void cli_procs_stop(cli_procs *ps);

#endif /* TS_CLI_ISOLATE_H */

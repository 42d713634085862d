/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared pieces of the command line: option tables, languages, exit codes, commands. */
#ifndef TS_CLI_CLI_H
#define TS_CLI_CLI_H

#include "tenderscan.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (DESIGN §6), mapped here and nowhere in the library. */
enum {
    EXIT_CLEAN = 0,   /* nothing at or above --fail-on */
    EXIT_FOUND = 1,   /* at least one document at or above --fail-on */
    EXIT_USAGE = 2,   /* usage or rule-file error */
    EXIT_UNREAD = 3   /* at least one document could not be read completely */
};

/* One option of one command: drives getopt_long, --help and the man-page check. */
struct cli_opt {
    const char *name;   /* long name without dashes */
    int short_name;     /* 0 if none */
    int has_arg;        /* 0 none, 1 required */
    const char *arg;    /* argument name in help ("FORMAT"), or NULL */
    const char *help[2]; /* en, nb */
};

/* A command: `tenderscan NAME …`. */
struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv, ts_lang lang);
    const char *help[2];
};

/*
 * Parse argv with an option table; for each option found calls `on` with the option's index in
 * the table and its argument. Returns the index of the first operand, or -1 after printing a
 * usage error (exit 2).
 */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t nopts,
              int (*on)(size_t idx, const char *arg, void *payload), void *payload,
              const char *cmd);
/* Print a command's usage and its option table in `lang`. */
void cli_help(FILE *fp, const char *usage, const char *intro, const struct cli_opt *opts,
              size_t nopts, ts_lang lang);
/* Language from LC_ALL / LC_MESSAGES / LANG: nb for nb, nn, no; en otherwise. */
ts_lang cli_env_lang(void);
/* "nb" / "en" → lang; -1 if neither. */
int cli_parse_lang(const char *s);
/* Append a borrowed string (an argv element) to a growing array; -1 on out-of-memory. */
int cli_push(char ***arr, size_t *n, const char *s);
/* The value of --lang into *out; prints the usage error and returns -1 when it is not nb/en. */
int cli_opt_lang(const char *arg, ts_lang *out);
/* Print "tenderscan: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Rule-file error callback that prints file:line: message. */
void cli_rule_error(const char *file, unsigned line, const char *message, void *payload);
/* A context with the default packs (unless no_default) and the given --rules paths. Exit code
 * EXIT_USAGE on error (printed), else 0 with *out set. */
int cli_load_ctx(ts_ctx **out, bool no_default, char **rule_paths, size_t nrule_paths);

/*
 * Options of every command that writes a report (scan, merge): rows for their option tables,
 * and their values, set by cli_report_opt from the long name.
 */
#define CLI_OPT_FORMAT                                                                            \
    {"format", 'f', 1, "FORMAT",                                                                  \
     {"report format: text, json, jsonl, sarif, html, csv (default text)",                        \
      "rapportformat: text, json, jsonl, sarif, html, csv (standard text)"}}
#define CLI_OPT_OUTPUT                                                                            \
    {"output", 'o', 1, "FILE",                                                                    \
     {"write the report to FILE instead of the screen",                                           \
      "skriv rapporten til FIL i stedet for skjermen"}}
#define CLI_OPT_LANG                                                                              \
    {"lang", 0, 1, "nb|en",                                                                       \
     {"language of the report (default from LANG, else en)",                                      \
      "språk i rapporten (standard fra LANG, ellers en)"}}
#define CLI_OPT_FAIL_ON                                                                           \
    {"fail-on", 0, 1, "GRADE",                                                                    \
     {"exit 1 when a file is graded review or block (default review)",                            \
      "avslutt med 1 når en fil får review eller block (standard review)"}}
#define CLI_OPT_RULES                                                                             \
    {"rules", 0, 1, "PATH",                                                                       \
     {"add a rule file or folder of *.rules (same id replaces a built-in rule)",                  \
      "legg til regelfil eller mappe med *.rules (samme id erstatter innebygd regel)"}}
#define CLI_OPT_NO_DEFAULT_RULES                                                                  \
    {"no-default-rules", 0, 0, NULL,                                                              \
     {"use only the rules given with --rules", "bruk bare reglene gitt med --rules"}}
#define CLI_OPT_CSV_SEP                                                                           \
    {"csv-sep", 0, 1, "C",                                                                        \
     {"CSV separator: one character or 'tab' (default ; for nb, else ,)",                         \
      "skilletegn i CSV: ett tegn eller 'tab' (standard ; for nb, ellers ,)"}}
#define CLI_OPT_SUMMARY                                                                           \
    {"summary", 0, 0, NULL,                                                                       \
     {"CSV: one row per document instead of one per finding",                                     \
      "CSV: én rad per dokument i stedet for én per funn"}}
#define CLI_OPT_QUIET                                                                             \
    {"quiet", 'q', 0, NULL,                                                                       \
     {"print only the report (no progress, no notes)",                                            \
      "skriv bare rapporten (ingen fremdrift eller merknader)"}}
#define CLI_OPT_HELP {"help", 'h', 0, NULL, {"print this help", "skriv denne hjelpen"}}
#define CLI_OPT_FINGERPRINT_KEY                                                                   \
    {"fingerprint-key", 0, 1, "FILE",                                                             \
     {"key of the fingerprints (share it with your team; default: made once in "                  \
      "~/.config/tenderscan/fingerprint.key)",                                                    \
      "nøkkel til fingeravtrykkene (del den med teamet; standard: lages én gang i "               \
      "~/.config/tenderscan/fingerprint.key)"}}

typedef struct cli_report_args {
    const char *format; /* "text" unless -f */
    const char *output; /* -o, or NULL for standard output */
    const char *fingerprint_key; /* --fingerprint-key, or NULL for the default key file */
    ts_lang lang;
    ts_grade fail_on; /* TS_GRADE_REVIEW unless --fail-on */
    char **rules;     /* --rules, borrowed from argv */
    size_t nrules;
    bool no_default, show_secrets, summary, quiet, help;
    char csv_sep; /* 0: from the language */
    const ts_run_info *run; /* the run line of a jsonl report (scan --shard), or NULL */
} cli_report_args;

/* The defaults: text to standard output in `lang`, fail on review. */
void cli_report_args_init(cli_report_args *a, ts_lang lang);
/*
 * Take an option by its long name (the `name` of its table row): 0 when taken, -1 after printing
 * a usage error, 1 when it is not one of the shared report options.
 */
int cli_report_opt(cli_report_args *a, const char *name, const char *arg);
/* A known --format, and --csv-sep/--summary only with csv: 0, or EXIT_USAGE (printed). */
int cli_report_check(const cli_report_args *a);

/*
 * SIGINT and SIGTERM, taken by a thread of their own while a report is written (stop.c). Not a
 * signal handler: cli_stop_start blocks both in the calling thread, so call it before any other
 * thread or worker process exists (they inherit the mask; Ctrl-C then reaches no worker, the
 * command stops them).
 */
typedef struct cli_stop cli_stop;
/* 0, or -1 (out of resources). */
int cli_stop_start(cli_stop **out);
/* The signal that came (SIGINT or SIGTERM; the first of them), or 0. Thread-safe; s may be NULL. */
int cli_stop_signal(cli_stop *s);
/* Have fn(payload) called from the watching thread when a signal comes, or at once when one came
 * already. fn NULL: no more calls, and none is running when this returns. s may be NULL. */
void cli_stop_on(cli_stop *s, void (*fn)(void *payload), void *payload);
/* Stop watching and unblock the signals (one that came meanwhile is recorded first). */
void cli_stop_end(cli_stop *s);
/* After a stop: how to go on (scan: with --state FILE, or what `state` now holds). */
void cli_stop_resume_note(const char *state, ts_lang lang);

/* One report being written, and the verdict so far. */
typedef struct cli_report {
    FILE *fp; /* the temporary file of -o, or NULL for standard output */
    ts_out *sink;
    ts_report *rep;
    bool any_error, any_fail, io_error;
    int dirfd;        /* -o: the folder of the report, or -1 */
    char *tmp;        /* -o: the temporary file's name in it, until renamed into place or removed */
    const char *base; /* -o: the report's name in its folder (borrowed from the argument) */
    cli_stop *stop;   /* SIGINT, SIGTERM while the report is open */
} cli_report;

/*
 * Open the report (DESIGN §6, §9). With -o FILE the report goes to a new temporary file, created
 * mode 0600 with O_EXCL and O_NOFOLLOW in FILE's folder, which cli_report_finish renames onto FILE
 * when the report is complete: until then, and for good when the run fails or is stopped, an
 * earlier FILE stays as it was. Refused (EXIT_USAGE, said in a's language): a FILE that is a
 * symbolic link or not a regular file, one of the `n` inputs (or a --rules file or the
 * fingerprint key), or inside a folder among the inputs (compared by device and inode of the
 * folder and its parents, and by resolved path; FILE need not exist). Also takes SIGINT and
 * SIGTERM over until cli_report_dispose (see cli_stop): call it before threads or worker
 * processes are started. 0, or EXIT_USAGE (printed).
 */
int cli_report_open(cli_report *r, const cli_report_args *a, char *const *inputs, size_t n);
/* Have fn(payload) called when SIGINT or SIGTERM comes (cli_stop_on). */
void cli_report_on_stop(cli_report *r, void (*fn)(void *payload), void *payload);
/* Start the report (after cli_report_open): 0, or EXIT_USAGE (printed). */
int cli_report_start(cli_report *r, const cli_report_args *a, const ts_ctx *ctx);
/* Write one top-level document and count its grade against --fail-on. */
void cli_report_doc(cli_report *r, const cli_report_args *a, const ts_doc *doc);
/*
 * End the report and say where it went: the exit code of the grades written (EXIT_CLEAN,
 * EXIT_FOUND, EXIT_UNREAD), or EXIT_USAGE when the report could not be written completely, or
 * 128 + the signal (130 SIGINT, 143 SIGTERM) when the run was stopped: then the report is not
 * ended and an -o FILE is left as it was (both said on standard error).
 */
int cli_report_finish(cli_report *r, const cli_report_args *a);
/* Free what cli_report_open/start made; a temporary file not renamed into place is removed. */
void cli_report_dispose(cli_report *r);

/*
 * Set the fingerprint key on ctx (before workers are forked: they inherit it): the file given
 * with --fingerprint-key, else $XDG_CONFIG_HOME/tenderscan/fingerprint.key (~/.config when unset),
 * made with 32 random bytes and mode 0600 on first use. Never a silent fallback: 0, or EXIT_USAGE
 * after printing why there is no key (no home, read-only, too short, writable by anyone).
 */
int cli_fpkey_apply(ts_ctx *ctx, const char *file, bool quiet, ts_lang lang);

/* merge: which fingerprint keys its inputs were made with (ts_doc_fingerprint_key_id). */
#define CLI_KEYS_SHOWN 2
typedef struct cli_keys {
    char ids[CLI_KEYS_SHOWN][17]; /* the first distinct key ids */
    size_t nids;                  /* distinct key ids seen */
    size_t plain;                 /* documents with findings and no key id (report/1) */
} cli_keys;
/* Count one document read back (its own findings; children are documents of their own). */
void cli_keys_note(cli_keys *k, const ts_doc *doc);
/* Warn (stderr, unless quiet) when the inputs do not share one key, or some came from report/1. */
void cli_keys_warn(const cli_keys *k, bool quiet, ts_lang lang);

/* The command list for `tenderscan --help`. */
void cli_print_commands(FILE *fp, ts_lang lang);

int cmd_scan(int argc, char **argv, ts_lang lang);
int cmd_rules(int argc, char **argv, ts_lang lang);
int cmd_explain(int argc, char **argv, ts_lang lang);
int cmd_merge(int argc, char **argv, ts_lang lang);

#endif /* TS_CLI_CLI_H */

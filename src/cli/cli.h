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

/* The command list for `tenderscan --help`. */
void cli_print_commands(FILE *fp, ts_lang lang);

int cmd_scan(int argc, char **argv, ts_lang lang);
int cmd_rules(int argc, char **argv, ts_lang lang);
int cmd_explain(int argc, char **argv, ts_lang lang);

#endif /* TS_CLI_CLI_H */

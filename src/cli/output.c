/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every report-writing command (scan, merge) shares: its options, the report and the verdict. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_report_args_init(cli_report_args *a, ts_lang lang)
{
    *a = (cli_report_args){.format = "text", .lang = lang, .fail_on = TS_GRADE_REVIEW};
}

static int take_csv_sep(cli_report_args *a, const char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) {
        a->csv_sep = '\t';
    } else if (strlen(arg) == 1 && arg[0] > 0x20 && arg[0] < 0x7F && arg[0] != '"') {
        a->csv_sep = arg[0];
    } else {
        cli_error("--csv-sep takes one printable character other than '\"', or 'tab', not '%s'",
                  arg);
        return -1;
    }
    return 0;
}

static int take_fail_on(cli_report_args *a, const char *arg)
{
    if (strcmp(arg, "review") == 0) {
        a->fail_on = TS_GRADE_REVIEW;
    } else if (strcmp(arg, "block") == 0) {
        a->fail_on = TS_GRADE_BLOCK;
    } else {
        cli_error("--fail-on takes review or block, not '%s'", arg);
        return -1;
    }
    return 0;
}

int cli_report_opt(cli_report_args *a, const char *name, const char *arg)
{
    if (strcmp(name, "format") == 0)
        a->format = arg;
    else if (strcmp(name, "output") == 0)
        a->output = arg;
    else if (strcmp(name, "lang") == 0)
        return cli_opt_lang(arg, &a->lang);
    else if (strcmp(name, "fail-on") == 0)
        return take_fail_on(a, arg);
    else if (strcmp(name, "rules") == 0)
        return cli_push(&a->rules, &a->nrules, arg);
    else if (strcmp(name, "no-default-rules") == 0)
        a->no_default = true;
    else if (strcmp(name, "show-secrets") == 0)
        a->show_secrets = true;
    else if (strcmp(name, "csv-sep") == 0)
        return take_csv_sep(a, arg);
    else if (strcmp(name, "summary") == 0)
        a->summary = true;
    else if (strcmp(name, "quiet") == 0)
        a->quiet = true;
    else if (strcmp(name, "help") == 0)
        a->help = true;
    else
        return 1;
    return 0;
}

int cli_report_check(const cli_report_args *a)
{
    bool known = false;
    for (size_t i = 0; ts_report_format_at(i); i++)
        known = known || strcmp(ts_report_format_at(i), a->format) == 0;
    if (!known) {
        cli_error("unknown --format '%s' (see --help)", a->format);
        return EXIT_USAGE;
    }
    if ((a->csv_sep != 0 || a->summary) && strcmp(a->format, "csv") != 0) {
        cli_error("--csv-sep and --summary go with -f csv");
        return EXIT_USAGE;
    }
    return 0;
}

int cli_report_open(cli_report *r, const cli_report_args *a)
{
    *r = (cli_report){0};
    if (a->output == NULL)
        return 0;
    r->fp = fopen(a->output, "w");
    if (r->fp == NULL) {
        cli_error("cannot write %s: %s", a->output, strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

int cli_report_start(cli_report *r, const cli_report_args *a, const ts_ctx *ctx)
{
    const char *nc = getenv("NO_COLOR");
    ts_report_opts ro = {
        .lang = a->lang,
        .show_secrets = a->show_secrets,
        .color = r->fp == NULL && isatty(STDOUT_FILENO) && !(nc && *nc),
        .rules = ts_ctx_rule_count(ctx),
        .csv_sep = a->csv_sep,
        .summary = a->summary,
        .run = a->run,
    };
    if (ts_out_new_file(&r->sink, r->fp ? r->fp : stdout) != TS_OK ||
        ts_report_new(&r->rep, a->format, r->sink, &ro) != TS_OK) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    return 0;
}

void cli_report_doc(cli_report *r, const cli_report_args *a, const ts_doc *doc)
{
    ts_grade g = ts_doc_grade(doc);
    r->any_error = r->any_error || g == TS_GRADE_ERROR;
    r->any_fail = r->any_fail || (g != TS_GRADE_ERROR && g >= a->fail_on);
    if (ts_report_document(r->rep, doc) != TS_OK)
        r->io_error = true;
}

int cli_report_finish(cli_report *r, const cli_report_args *a)
{
    if (ts_report_end(r->rep) != TS_OK || fflush(r->fp ? r->fp : stdout) != 0)
        r->io_error = true;
    if (r->io_error) {
        cli_error("the report could not be written completely");
        return EXIT_USAGE;
    }
    if (a->output && !a->quiet)
        fprintf(stderr, a->lang == TS_LANG_NB ? "Rapporten er skrevet til %s\n"
                                              : "The report was written to %s\n",
                a->output);
    return r->any_error ? EXIT_UNREAD : r->any_fail ? EXIT_FOUND : EXIT_CLEAN;
}

void cli_report_dispose(cli_report *r)
{
    ts_report_free(r->rep);
    ts_out_free(r->sink);
    if (r->fp)
        fclose(r->fp);
    *r = (cli_report){0};
}

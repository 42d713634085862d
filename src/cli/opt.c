/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Option tables to getopt_long, help text, languages and error messages. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t nopts,
              int (*on)(size_t idx, const char *arg, void *payload), void *payload,
              const char *cmd)
{
    struct option *lo = calloc(nopts + 1, sizeof(*lo));
    char *so = calloc(nopts * 2 + 3, 1);
    int rc = -1;
    if (lo == NULL || so == NULL) {
        cli_error("out of memory");
        goto out;
    }
    size_t k = 0;
    so[k++] = ':'; /* report a missing value as ':' */
    for (size_t i = 0; i < nopts; i++) {
        lo[i].name = opts[i].name;
        lo[i].has_arg = opts[i].has_arg ? required_argument : no_argument;
        lo[i].flag = NULL;
        lo[i].val = 1000 + (int)i;
        if (opts[i].short_name) {
            so[k++] = (char)opts[i].short_name;
            if (opts[i].has_arg)
                so[k++] = ':';
        }
    }
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        size_t idx = nopts;
        if (c >= 1000) {
            idx = (size_t)(c - 1000);
        } else if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (c == ':')
                cli_error("%s: option %s needs a value (see 'tenderscan %s --help')", cmd, bad,
                          cmd);
            else
                cli_error("%s: unknown option %s (see 'tenderscan %s --help')", cmd, bad, cmd);
            goto out;
        } else {
            for (size_t i = 0; i < nopts; i++)
                if (opts[i].short_name == c)
                    idx = i;
        }
        if (idx >= nopts)
            goto out;
        if (on(idx, optarg, payload) != 0)
            goto out;
    }
    rc = optind;
out:
    free(lo);
    free(so);
    return rc;
}

void cli_help(FILE *fp, const char *usage, const char *intro, const struct cli_opt *opts,
              size_t nopts, ts_lang lang)
{
    int nb = lang == TS_LANG_NB;
    fprintf(fp, "%s\n\n%s\n\n%s\n", usage, intro, nb ? "Valg:" : "Options:");
    for (size_t i = 0; i < nopts; i++) {
        char left[64];
        if (opts[i].short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", opts[i].short_name, opts[i].name,
                     opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", opts[i].name, opts[i].arg ? " " : "",
                     opts[i].arg ? opts[i].arg : "");
        fprintf(fp, "  %-26s %s\n", left, opts[i].help[nb]);
    }
}

int cli_parse_lang(const char *s)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "nb") == 0 || strcmp(s, "no") == 0 || strcmp(s, "nn") == 0)
        return TS_LANG_NB;
    if (strcmp(s, "en") == 0)
        return TS_LANG_EN;
    return -1;
}

int cli_opt_lang(const char *arg, ts_lang *out)
{
    int l = cli_parse_lang(arg);
    if (l < 0) {
        cli_error("--lang takes nb or en, not '%s'", arg);
        return -1;
    }
    *out = (ts_lang)l;
    return 0;
}

int cli_push(char ***arr, size_t *n, const char *s)
{
    char **p = realloc(*arr, (*n + 1) * sizeof(**arr));
    if (p == NULL)
        return -1;
    *arr = p;
    (*arr)[(*n)++] = (char *)(uintptr_t)s; /* argv strings live as long as the program */
    return 0;
}

ts_lang cli_env_lang(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v == NULL || *v == '\0')
            continue;
        if (strncmp(v, "nb", 2) == 0 || strncmp(v, "nn", 2) == 0 || strncmp(v, "no", 2) == 0)
            return TS_LANG_NB;
        return TS_LANG_EN;
    }
    return TS_LANG_EN;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tenderscan: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_rule_error(const char *file, unsigned line, const char *message, void *payload)
{
    (void)payload;
    if (line > 0)
        fprintf(stderr, "%s:%u: %s\n", file, line, message);
    else
        fprintf(stderr, "%s: %s\n", file, message);
}

int cli_load_ctx(ts_ctx **out, bool no_default, char **rule_paths, size_t nrule_paths)
{
    ts_ctx *ctx = NULL;
    *out = NULL;
    if (ts_ctx_new(&ctx) != TS_OK) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    if (!no_default && ts_ctx_load_default_rules(ctx, cli_rule_error, NULL) != TS_OK) {
        cli_error("the built-in rules could not be loaded");
        ts_ctx_free(ctx);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < nrule_paths; i++) {
        if (ts_ctx_load_rules_path(ctx, rule_paths[i], cli_rule_error, NULL) != TS_OK) {
            cli_error("rules in %s could not be loaded", rule_paths[i]);
            ts_ctx_free(ctx);
            return EXIT_USAGE;
        }
    }
    *out = ctx;
    return 0;
}

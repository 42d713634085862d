/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `tenderscan rules`: list the rules, or run every rule's examples and counters (--test). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { R_LANG, R_TEST, R_RULES, R_NO_DEFAULT_RULES, R_HELP, R_COUNT };

static const struct cli_opt rules_opts[R_COUNT] = {
    [R_LANG] = {"lang", 0, 1, "nb|en", {"language of the titles", "språk for titlene"}},
    [R_TEST] = {"test", 0, 0, NULL,
                {"check every rule's example and counter lines",
                 "kontroller eksempel- og moteksempellinjene til hver regel"}},
    [R_RULES] = {"rules", 0, 1, "PATH",
                 {"add a rule file or folder of *.rules", "legg til regelfil eller mappe"}},
    [R_NO_DEFAULT_RULES] = {"no-default-rules", 0, 0, NULL,
                            {"use only the rules given with --rules",
                             "bruk bare reglene gitt med --rules"}},
    [R_HELP] = {"help", 'h', 0, NULL, {"print this help", "skriv denne hjelpen"}},
};

typedef struct rules_args {
    ts_lang lang;
    bool test, help, no_default;
    char **rules;
    size_t nrules;
} rules_args;

static int on_opt(size_t idx, const char *arg, void *payload)
{
    rules_args *a = payload;
    switch (idx) {
    case R_LANG:
        return cli_opt_lang(arg, &a->lang);
    case R_TEST:
        a->test = true;
        return 0;
    case R_RULES:
        return cli_push(&a->rules, &a->nrules, arg);
    case R_NO_DEFAULT_RULES:
        a->no_default = true;
        return 0;
    case R_HELP:
        a->help = true;
        return 0;
    default:
        return -1;
    }
}

static void on_failure(const ts_rule *r, int want_match, const char *sample, void *payload)
{
    (void)payload;
    printf("FAIL %s (%s): %s\n  %s\n", ts_rule_id(r), ts_rule_origin(r),
           want_match ? "example did not match" : "counter matched", sample);
}

int cmd_rules(int argc, char **argv, ts_lang lang)
{
    rules_args a = {.lang = lang};
    ts_ctx *ctx = NULL;
    int rc = EXIT_USAGE;
    int first = cli_parse(argc, argv, rules_opts, R_COUNT, on_opt, &a, "rules");
    if (first < 0)
        goto out;
    if (a.help) {
        cli_help(stdout, "tenderscan rules [--lang nb|en] [--test] [--rules PATH]",
                 a.lang == TS_LANG_NB ? "Lister reglene tenderscan bruker."
                                      : "Lists the rules tenderscan uses.",
                 rules_opts, R_COUNT, a.lang);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (first < argc) {
        cli_error("rules: unexpected argument '%s'", argv[first]);
        goto out;
    }
    if ((rc = cli_load_ctx(&ctx, a.no_default, a.rules, a.nrules)) != 0)
        goto out;
    size_t n = ts_ctx_rule_count(ctx);
    if (a.test) {
        size_t failures = 0, samples = 0, tested = 0;
        for (size_t i = 0; i < n; i++) {
            const ts_rule *r = ts_ctx_rule_at(ctx, i);
            if (ts_rule_pattern(r) == NULL)
                continue;
            tested++;
            samples += ts_rule_sample_count(r, 1) + ts_rule_sample_count(r, 0);
            failures += ts_rule_test(ctx, r, on_failure, NULL);
        }
        printf("%zu rules, %zu example and counter lines: %zu passed, %zu failed\n", tested,
               samples, samples - failures, failures);
        rc = failures ? EXIT_FOUND : EXIT_CLEAN;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const ts_rule *r = ts_ctx_rule_at(ctx, i);
        printf("%-34s %-10s %-8s %s\n", ts_rule_id(r), ts_category_name(ts_rule_category(r)),
               ts_severity_name(ts_rule_severity(r)), ts_rule_title(r, a.lang));
    }
    rc = EXIT_CLEAN;
out:
    ts_ctx_free(ctx);
    free(a.rules);
    return rc;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `tenderscan explain RULE`: what a rule looks for and what to do about it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { E_LANG, E_RULES, E_HELP, E_COUNT };

static const struct cli_opt explain_opts[E_COUNT] = {
    [E_LANG] = {"lang", 0, 1, "nb|en", {"language of the text", "språk for teksten"}},
    [E_RULES] = {"rules",
                 0,
                 1,
                 "PATH",
                 {"add a rule file or folder of *.rules", "legg til regelfil eller mappe"}},
    [E_HELP] = {"help", 'h', 0, NULL, {"print this help", "skriv denne hjelpen"}},
};

typedef struct explain_args {
    ts_lang lang;
    bool help;
    char **rules;
    size_t nrules;
} explain_args;

static int on_opt(size_t idx, const char *arg, void *payload)
{
    explain_args *a = payload;
    switch (idx) {
    case E_LANG:
        return cli_opt_lang(arg, &a->lang);
    case E_RULES:
        return cli_push(&a->rules, &a->nrules, arg);
    case E_HELP:
        a->help = true;
        return 0;
    default:
        return -1;
    }
}

int cmd_explain(int argc, char **argv, ts_lang lang)
{
    explain_args a = {.lang = lang};
    ts_ctx *ctx = NULL;
    int rc = EXIT_USAGE;
    int first = cli_parse(argc, argv, explain_opts, E_COUNT, on_opt, &a, "explain");
    if (first < 0)
        goto out;
    int nb = a.lang == TS_LANG_NB;
    if (a.help) {
        cli_help(stdout, "tenderscan explain [--lang nb|en] RULE",
                 nb ? "Forklarer hva en regel ser etter og hva du gjør med funnene."
                    : "Explains what a rule looks for and what to do about its findings.",
                 explain_opts, E_COUNT, a.lang);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (first != argc - 1) {
        cli_error(nb ? "explain: oppgi én regel-id (se 'tenderscan rules')"
                     : "explain: give one rule id (see 'tenderscan rules')");
        goto out;
    }
    if ((rc = cli_load_ctx(&ctx, false, a.rules, a.nrules)) != 0)
        goto out;
    rc = EXIT_USAGE;
    const ts_rule *r = ts_ctx_rule_find(ctx, argv[first]);
    if (r == NULL) {
        cli_error(nb ? "ingen regel heter '%s' (se 'tenderscan rules')"
                     : "there is no rule '%s' (see 'tenderscan rules')",
                  argv[first]);
        goto out;
    }
    printf("%s — %s\n\n", ts_rule_id(r), ts_rule_title(r, a.lang));
    printf("%-12s %s\n", nb ? "kategori:" : "category:", ts_category_name(ts_rule_category(r)));
    printf("%-12s %s\n", nb ? "alvorlighet:" : "severity:", ts_severity_name(ts_rule_severity(r)));
    printf("%-12s %s\n", nb ? "definert:" : "defined at:", ts_rule_origin(r));
    if (ts_rule_labels(r))
        printf("%-12s %s\n", nb ? "merkelapper:" : "labels:", ts_rule_labels(r));
    if (ts_rule_pattern(r))
        printf("%-12s %s\n", nb ? "mønster:" : "pattern:", ts_rule_pattern(r));
    printf("\n%s\n  %s\n", nb ? "Hva du gjør:" : "What to do:", ts_rule_advice(r, a.lang));
    for (int want = 1; want >= 0; want--) {
        size_t n = ts_rule_sample_count(r, want);
        if (n == 0)
            continue;
        printf("\n%s\n", want ? (nb ? "Eksempler som gir funn:" : "Examples it finds:")
                              : (nb ? "Eksempler den lar være:" : "Examples it leaves alone:"));
        for (size_t i = 0; i < n; i++) {
            /* a line break inside an example is shown as it is written: ⏎ */
            fputs("  ", stdout);
            for (const char *c = ts_rule_sample_at(r, want, i); *c; c++)
                if (*c == '\n')
                    fputs("\xe2\x8f\x8e", stdout);
                else
                    putchar(*c);
            putchar('\n');
        }
    }
    rc = EXIT_CLEAN;
out:
    ts_ctx_free(ctx);
    free(a.rules);
    return rc;
}

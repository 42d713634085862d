/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tenderscan: the command table; each command lives in its own cmd_*.c file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd commands[] = {
    {"scan", cmd_scan,
     {"scan files and folders (the default command)",
      "skann filer og mapper (standardkommandoen)"}},
    {"rules", cmd_rules,
     {"list the rules; --test runs every rule's examples",
      "list reglene; --test kjører eksemplene til hver regel"}},
    {"explain", cmd_explain,
     {"what a rule looks for and what to do about it", "hva en regel ser etter og hva du gjør"}},
    {"merge", cmd_merge,
     {"join shard results (scan -f jsonl) into one report",
      "slå sammen delresultater (scan -f jsonl) til én rapport"}},
};

int main(int argc, char **argv)
{
    ts_lang lang = cli_env_lang();
    /* --lang also decides the language of usage errors, so look for it first */
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && cli_parse_lang(argv[i + 1]) >= 0)
            lang = (ts_lang)cli_parse_lang(argv[i + 1]);
    }
    if (argc >= 2) {
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
            if (strcmp(argv[1], commands[i].name) == 0)
                return commands[i].run(argc - 1, argv + 1, lang);
        }
    }
    return cmd_scan(argc, argv, lang);
}

void cli_print_commands(FILE *fp, ts_lang lang)
{
    fputs(lang == TS_LANG_NB ? "Kommandoer:\n" : "Commands:\n", fp);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(fp, "  %-26s %s\n", commands[i].name, commands[i].help[lang == TS_LANG_NB]);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `merge`: do the inputs make one whole run? The run lines of `scan --shard K/N -f jsonl`. */
#include "shards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_shards_add(cli_shards *s, const ts_run_info *info, unsigned long line)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        cli_shard *p = realloc(s->v, cap * sizeof(*p));
        if (p == NULL) {
            cli_error("out of memory");
            return -1;
        }
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = (cli_shard){.info = *info, .input = s->input, .line = line};
    s->open = true;
    return 0;
}

void cli_shards_count(cli_shards *s)
{
    if (s->open)
        s->v[s->n - 1].seen++;
    else
        s->loose++;
}

void cli_shards_next_input(cli_shards *s, size_t next)
{
    s->open = false;
    s->input = next;
}

/* Do inputs i and j name one file (the same name, or the same file by another name)? */
static bool same_file(char *const *names, size_t i, size_t j)
{
    struct stat a, b;
    if (i == j)
        return true;
    if (strcmp(names[i], "-") == 0 || strcmp(names[j], "-") == 0)
        return false;
    if (strcmp(names[i], names[j]) == 0)
        return true;
    return stat(names[i], &a) == 0 && stat(names[j], &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Inputs given twice: a warning (their documents are reported once anyway). */
static void warn_same_files(char *const *names, size_t n, ts_lang lang)
{
    for (size_t j = 1; j < n; j++) {
        for (size_t i = 0; i < j; i++) {
            if (same_file(names, i, j)) {
                cli_error(lang == TS_LANG_NB ? "merge: %s er gitt mer enn én gang"
                                             : "merge: %s is given more than once",
                          names[j]);
                break;
            }
        }
    }
}

/* "1/3, 3/3" for the shards of 1..N that no run line names, at most about 200 bytes of them. */
static size_t list_missing(const cli_shards *s, unsigned long n, char *buf, size_t size)
{
    size_t missing = 0, used = 0;
    bool cut = false;
    buf[0] = '\0';
    for (unsigned long k = 1; k <= n; k++) {
        bool found = false;
        for (size_t i = 0; i < s->n && !found; i++)
            found = s->v[i].info.shard_k == k;
        if (found)
            continue;
        missing++;
        if (used + 48 < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%lu/%lu", missing > 1 ? ", " : "",
                                     k, n);
        else if (!cut && used + 6 < size) {
            used += (size_t)snprintf(buf + used, size - used, ", …");
            cut = true;
        }
    }
    return missing;
}

int cli_shards_check(const cli_shards *s, char *const *names, size_t n, bool quiet, ts_lang lang)
{
    bool nb = lang == TS_LANG_NB;
    int rc = 0;
    if (!quiet)
        warn_same_files(names, n, lang);
    if (s->n == 0)
        return 0; /* no run lines: jsonl of whole runs, nothing to check */
    const cli_shard *first = &s->v[0];
    for (size_t i = 1; i < s->n; i++) {
        const cli_shard *x = &s->v[i];
        if (x->info.shard_n != first->info.shard_n) {
            cli_error(nb ? "merge: inndataene er deler av ulike kjøringer: %s:%lu er del %lu/%lu, "
                           "%s:%lu del %lu/%lu; slå sammen delene av én kjøring"
                         : "merge: the inputs are shards of different runs: %s:%lu is shard "
                           "%lu/%lu, %s:%lu shard %lu/%lu; merge the shards of one run",
                      names[first->input], first->line, first->info.shard_k, first->info.shard_n,
                      names[x->input], x->line, x->info.shard_k, x->info.shard_n);
            return EXIT_USAGE;
        }
    }
    if (s->loose > 0 && !quiet)
        cli_error(nb ? "merge: dokumenter fra inndata uten kjøringslinje (laget uten --shard): "
                       "%zu; de er med, men regnes ikke til noen del"
                     : "merge: documents from inputs without a run line (made without --shard): "
                       "%zu; they are merged but not counted to any shard",
                  s->loose);
    for (size_t j = 1; j < s->n; j++) {
        for (size_t i = 0; i < j; i++) {
            const cli_shard *x = &s->v[i], *y = &s->v[j];
            if (x->info.shard_k != y->info.shard_k || same_file(names, x->input, y->input))
                continue;
            if (!quiet)
                cli_error(nb ? "merge: del %lu/%lu er gitt to ganger (%s og %s): hvert dokument "
                               "rapporteres én gang, fra det siste"
                             : "merge: shard %lu/%lu is given twice (%s and %s): each document "
                               "is reported once, from the later one",
                          y->info.shard_k, y->info.shard_n, names[x->input], names[y->input]);
            break;
        }
    }
    char missing[256];
    size_t nmissing = list_missing(s, first->info.shard_n, missing, sizeof missing);
    if (nmissing > 0) {
        unsigned long have = first->info.shard_n - (unsigned long)nmissing;
        if (nb)
            cli_error("merge: %s %s mangler: den sammenslåtte rapporten er ufullstendig (%lu av "
                      "%lu deler); skann de manglende delene og slå sammen igjen",
                      nmissing == 1 ? "del" : "delene", missing, have, first->info.shard_n);
        else
            cli_error("merge: %s %s %s missing: the merged report is incomplete (%lu of %lu "
                      "shards); scan the missing shards and merge again",
                      nmissing == 1 ? "shard" : "shards", missing, nmissing == 1 ? "is" : "are",
                      have, first->info.shard_n);
        rc = EXIT_UNREAD;
    }
    for (size_t i = 0; i < s->n; i++) {
        const cli_shard *x = &s->v[i];
        if (x->seen == x->info.documents)
            continue;
        cli_error(nb ? "merge: del %lu/%lu (%s:%lu) skal ha %llu dokumenter, men har %zu: den er "
                       "avkuttet eller endret; skann den igjen"
                     : "merge: shard %lu/%lu (%s:%lu) should hold %llu documents but holds %zu: "
                       "it was cut off or changed; scan it again",
                  x->info.shard_k, x->info.shard_n, names[x->input], x->line,
                  (unsigned long long)x->info.documents, x->seen);
        rc = EXIT_UNREAD;
    }
    for (size_t i = 1; i < s->n; i++) {
        const cli_shard *x = &s->v[i];
        if (strcmp(x->info.digest, first->info.digest) != 0) {
            cli_error(nb ? "merge: delene er skannet med ulike regler, grenser eller godtatte funn "
                           "(%s:%lu og %s:%lu): skann dem igjen med samme versjon og valg"
                         : "merge: the shards were scanned with different rules, limits or "
                           "accepted findings (%s:%lu and %s:%lu): scan them again with the same "
                           "version and options",
                      names[first->input], first->line, names[x->input], x->line);
            rc = EXIT_UNREAD;
            break;
        }
    }
    for (size_t i = 1; i < s->n; i++) {
        const cli_shard *x = &s->v[i];
        if (x->info.files != first->info.files) {
            cli_error(nb ? "merge: delene fant ulikt antall filer (%llu i %s, %llu i %s): de så "
                           "ikke de samme mappene"
                         : "merge: the shards listed different numbers of files (%llu in %s, "
                           "%llu in %s): they did not see the same folders",
                      (unsigned long long)first->info.files, names[first->input],
                      (unsigned long long)x->info.files, names[x->input]);
            rc = EXIT_UNREAD;
            break;
        }
    }
    return rc;
}

void cli_shards_dispose(cli_shards *s)
{
    free(s->v);
    *s = (cli_shards){0};
}

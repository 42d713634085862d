/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `tenderscan merge FILE.jsonl...`: join shard results (`scan -f jsonl`) into one report. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "shards.h"

#define MAX_LINE (64u << 20) /* bytes of one document object; a scan's largest is a few MB */

enum {
    M_FORMAT, M_OUTPUT, M_LANG, M_FAIL_ON, M_RULES, M_NO_DEFAULT_RULES, M_SHOW_SECRETS,
    M_CSV_SEP, M_SUMMARY, M_QUIET, M_HELP, M_COUNT
};

static const struct cli_opt merge_opts[M_COUNT] = {
    [M_FORMAT] = CLI_OPT_FORMAT,
    [M_OUTPUT] = CLI_OPT_OUTPUT,
    [M_LANG] = CLI_OPT_LANG,
    [M_FAIL_ON] = CLI_OPT_FAIL_ON,
    [M_RULES] = CLI_OPT_RULES,
    [M_NO_DEFAULT_RULES] = CLI_OPT_NO_DEFAULT_RULES,
    [M_SHOW_SECRETS] = {"show-secrets", 0, 0, NULL,
                        {"show passwords and keys as the inputs do (masked there stays masked)",
                         "vis passord og nøkler slik inndataene gjør (maskert der forblir "
                         "maskert)"}},
    [M_CSV_SEP] = CLI_OPT_CSV_SEP,
    [M_SUMMARY] = CLI_OPT_SUMMARY,
    [M_QUIET] = CLI_OPT_QUIET,
    [M_HELP] = CLI_OPT_HELP,
};

static int on_opt(size_t idx, const char *arg, void *payload)
{
    return cli_report_opt(payload, merge_opts[idx].name, arg) == 0 ? 0 : -1;
}

/* ---- lines of one input ------------------------------------------------------------------ */

typedef struct lines {
    const char *name; /* as given ("-" is standard input) */
    FILE *fp;
    FILE *copy; /* standard input in the first pass: what is read is kept here for the second */
    char buf[65536];
    size_t pos, end;
    bool eof;
    char *line; /* the current line, NUL-terminated, without its line end */
    size_t len, cap;
    unsigned long no; /* its 1-based number */
} lines;

/* Append n bytes to the current line. -1 on out-of-memory. */
static int line_put(lines *L, const char *s, size_t n)
{
    if (L->len + n + 1 > L->cap) {
        size_t cap = L->cap ? L->cap : 4096;
        while (cap < L->len + n + 1)
            cap *= 2;
        char *p = realloc(L->line, cap);
        if (p == NULL)
            return -1;
        L->line = p;
        L->cap = cap;
    }
    memcpy(L->line + L->len, s, n);
    L->len += n;
    return 0;
}

/* The next line: 1, 0 at the end of the input, -1 after printing why it cannot be read. */
static int next_line(lines *L)
{
    bool any = false, too_long = false;
    L->len = 0;
    for (;;) {
        if (L->pos == L->end) {
            if (L->eof)
                break;
            size_t n = fread(L->buf, 1, sizeof L->buf, L->fp);
            if (n < sizeof L->buf && ferror(L->fp)) {
                cli_error("%s: cannot read: %s", L->name, strerror(errno));
                return -1;
            }
            L->eof = n < sizeof L->buf;
            if (L->copy != NULL && n > 0 && fwrite(L->buf, 1, n, L->copy) != n) {
                cli_error("%s: cannot keep a copy of standard input: %s", L->name,
                          strerror(errno));
                return -1;
            }
            L->pos = 0;
            L->end = n;
            if (n == 0)
                break;
        }
        any = true;
        const char *nl = memchr(L->buf + L->pos, '\n', L->end - L->pos);
        size_t take = (nl ? (size_t)(nl - L->buf) : L->end) - L->pos;
        too_long = too_long || L->len + take > MAX_LINE;
        if (!too_long && line_put(L, L->buf + L->pos, take) != 0) {
            cli_error("out of memory");
            return -1;
        }
        L->pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return 0;
    L->no++;
    if (too_long) {
        cli_error("%s:%lu: longer than %u MiB: not one document of a report", L->name, L->no,
                  MAX_LINE >> 20);
        return -1;
    }
    if (L->len > 0 && L->line[L->len - 1] == '\r')
        L->len--;
    if (line_put(L, "", 1) != 0) {
        cli_error("out of memory");
        return -1;
    }
    L->len--;
    return 1;
}

/* ---- documents back into trees ----------------------------------------------------------- */

/* What both passes share: the context, the open chain of documents and the units seen. */
typedef struct merger {
    const ts_ctx *ctx;
    size_t max_chain; /* documents in one chain: top-level + limits.max_depth + 1 */
    ts_doc **chain;   /* chain[0] a top-level document, chain[i+1] a child of chain[i] */
    size_t n, cap;
    int pass; /* 1: check and count, 2: report */
    char **units; /* pass 1: path of each top-level document, in input order */
    size_t nunits, capunits;
    bool *keep;   /* pass 2: is unit i the last one with its path? */
    size_t unit;  /* pass 2: units reported or skipped so far */
    size_t skipped;
    cli_keys keys; /* pass 1: the fingerprint keys of the inputs */
    cli_report *rep;
    const cli_report_args *args;
    cli_shards shards; /* pass 1: the run lines of `scan --shard` and what followed them */
} merger;

/* Adopt the open documents above depth `keep` into their parents, deepest first. */
static ts_status close_to(merger *m, size_t keep)
{
    while (m->n > keep && m->n > 1) {
        ts_doc *c = m->chain[--m->n];
        ts_status st = ts_doc_adopt(m->chain[m->n - 1], c);
        if (st != TS_OK) {
            ts_doc_free(c);
            return st;
        }
    }
    return TS_OK;
}

/* The top-level document is complete: count it (pass 1) or report it (pass 2). 0 or -1. */
static int finish_unit(merger *m, const lines *L)
{
    if (m->n == 0)
        return 0;
    if (close_to(m, 1) != TS_OK) {
        cli_error("out of memory");
        return -1;
    }
    ts_doc *root = m->chain[0];
    m->n = 0;
    int rc = 0;
    if (m->pass == 1) {
        cli_shards_count(&m->shards);
        char *path = strdup(ts_doc_path(root));
        if (path == NULL || cli_push(&m->units, &m->nunits, path) != 0) {
            free(path);
            cli_error("out of memory");
            rc = -1;
        }
    } else if (m->unit >= m->nunits || strcmp(m->units[m->unit], ts_doc_path(root)) != 0) {
        cli_error("%s changed while it was merged", L->name);
        rc = -1;
    } else if (m->keep[m->unit++]) {
        cli_report_doc(m->rep, m->args, root);
    } else {
        m->skipped++;
    }
    ts_doc_free(root);
    return rc;
}

/* Is `doc` a descendant of `anc` (its path `anc`'s + "!" + more)? */
static bool is_inside(const ts_doc *doc, const ts_doc *anc)
{
    const char *p = ts_doc_path(doc), *a = ts_doc_path(anc);
    size_t la = strlen(a);
    return strncmp(p, a, la) == 0 && p[la] == '!' && p[la + 1] != '\0';
}

/* Place a document read from line L->no: the child of the deepest open document holding it. */
static int place(merger *m, const lines *L, ts_doc *doc)
{
    size_t k = m->n;
    while (k > 0 && !is_inside(doc, m->chain[k - 1]))
        k--;
    if (k == 0 && finish_unit(m, L) != 0)
        goto fail;
    if (k > 0 && close_to(m, k) != TS_OK) {
        cli_error("out of memory");
        goto fail;
    }
    if (m->n >= m->max_chain) {
        cli_error("%s:%lu: documents nested more than %zu deep", L->name, L->no,
                  m->max_chain - 1);
        goto fail;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        ts_doc **p = realloc(m->chain, cap * sizeof(*p));
        if (p == NULL) {
            cli_error("out of memory");
            goto fail;
        }
        m->chain = p;
        m->cap = cap;
    }
    m->chain[m->n++] = doc;
    return 0;
fail:
    ts_doc_free(doc);
    return -1;
}

/* A shard's run line: the documents after it are that shard's (pass 1 counts them). 0 or -1. */
static int take_run_line(merger *m, const lines *L)
{
    ts_run_info info;
    if (finish_unit(m, L) != 0)
        return -1;
    if (m->pass != 1)
        return 0;
    if (ts_run_info_read(&info, L->line, L->len) != TS_OK) {
        cli_error("%s:%lu: a run line that cannot be read (\"shard\", \"files\", "
                  "\"documents\", \"digest\", \"started\")",
                  L->name, L->no);
        return -1;
    }
    return cli_shards_add(&m->shards, &info, L->no);
}

/* Read every document of one input. 0, or -1 after printing "FILE:LINE: why". */
static int merge_input(merger *m, lines *L)
{
    char why[256];
    int r;
    while ((r = next_line(L)) > 0) {
        size_t i = 0;
        while (i < L->len && (L->line[i] == ' ' || L->line[i] == '\t'))
            i++;
        if (i == L->len)
            continue; /* empty lines are skipped */
        ts_doc *doc = NULL;
        ts_status st = ts_doc_read_report(&doc, m->ctx, L->line, L->len, why, sizeof why);
        if (st == TS_ENOTFOUND) {
            if (take_run_line(m, L) != 0)
                return -1;
            continue;
        }
        if (st != TS_OK) {
            cli_error("%s:%lu: %s", L->name, L->no, why[0] ? why : ts_strerror(st));
            return -1;
        }
        if (m->pass == 1)
            cli_keys_note(&m->keys, doc);
        if (place(m, L, doc) != 0)
            return -1;
    }
    if (r < 0)
        return -1;
    /* a document never continues into the next input */
    return finish_unit(m, L);
}

typedef struct unit_ref {
    const char *path;
    size_t index;
} unit_ref;

static int cmp_unit(const void *a, const void *b)
{
    const unit_ref *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* Unit i is kept unless a later unit has the same path. 0 or -1 (printed). */
static int mark_duplicates(merger *m)
{
    unit_ref *order = calloc(m->nunits + 1, sizeof(*order));
    m->keep = calloc(m->nunits + 1, sizeof(*m->keep));
    if (order == NULL || m->keep == NULL) {
        free(order);
        cli_error("out of memory");
        return -1;
    }
    for (size_t i = 0; i < m->nunits; i++)
        order[i] = (unit_ref){.path = m->units[i], .index = i};
    qsort(order, m->nunits, sizeof(*order), cmp_unit);
    for (size_t i = 0; i < m->nunits; i++)
        m->keep[order[i].index] =
            i + 1 == m->nunits || strcmp(order[i].path, order[i + 1].path) != 0;
    free(order);
    return 0;
}

/* ---- the command ------------------------------------------------------------------------- */

static void print_help(ts_lang lang)
{
    const char *usage = "tenderscan merge [options] FILE.jsonl...";
    const char *intro =
        lang == TS_LANG_NB
            ? "Slår sammen resultater fra `tenderscan scan -f jsonl` (for eksempel --shard K/N\n"
              "på flere maskiner) til én rapport i hvilket som helst format. - leser standard\n"
              "inn. Dokumentene kommer i rekkefølgen i filene; et dokument (samme sti) som står\n"
              "flere steder, rapporteres én gang: det siste. Tomme linjer hoppes over. Karakter\n"
              "og begrunnelser regnes ut på nytt med reglene, så gi de samme --rules som\n"
              "skanningen brukte. Verdier som er maskert i filene, forblir maskert. Filer fra\n"
              "--shard K/N har en kjøringslinje: merge sjekker at alle delene av én kjøring er\n"
              "med, hele, og skannet med de samme reglene.\n\n"
              "Avslutningskoder: 0 ingenting funnet, 1 funn på eller over --fail-on,\n"
              "2 feil bruk, en fil som ikke kan leses eller ikke er jsonl fra tenderscan\n"
              "(FIL:LINJE: hvorfor), eller deler av ulike kjøringer (en annen N), 3 minst ett\n"
              "dokument kunne ikke leses helt, eller en del mangler, er avkuttet eller er\n"
              "skannet med andre regler."
            : "Joins the results of `tenderscan scan -f jsonl` (e.g. --shard K/N on several\n"
              "machines) into one report in any format. - reads standard input. Documents come\n"
              "in the order of the files; a document (same path) found more than once is\n"
              "reported once: the later one. Empty lines are skipped. Grades and reasons are\n"
              "worked out again with the rules, so give the --rules the scans used. Values\n"
              "masked in the files stay masked. Files of --shard K/N start with a run line:\n"
              "merge checks that every shard of one run is there, whole, scanned with the same\n"
              "rules.\n\n"
              "Exit codes: 0 nothing found, 1 findings at or above --fail-on, 2 usage error,\n"
              "a file that cannot be read or is not tenderscan jsonl (FILE:LINE: why), or\n"
              "shards of different runs (another N), 3 at least one document could not be read\n"
              "completely, or a shard is missing, cut off or scanned with other rules.";
    cli_help(stdout, usage, intro, merge_opts, M_COUNT, lang);
}

/* Open input `name` for pass `pass`: standard input is read once and replayed from `spool`. */
static int open_input(lines *L, const char *name, int pass, FILE **spool)
{
    *L = (lines){.name = name};
    if (strcmp(name, "-") != 0) {
        L->fp = fopen(name, "rb");
        if (L->fp == NULL) {
            cli_error("%s: cannot read: %s", name, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (pass == 1) {
        *spool = tmpfile();
        if (*spool == NULL) {
            cli_error("cannot keep a copy of standard input: %s", strerror(errno));
            return -1;
        }
        L->fp = stdin;
        L->copy = *spool;
        return 0;
    }
    if (fflush(*spool) != 0 || fseek(*spool, 0, SEEK_SET) != 0) {
        cli_error("cannot read back the copy of standard input: %s", strerror(errno));
        return -1;
    }
    L->fp = *spool;
    return 0;
}

static void close_input(lines *L)
{
    if (L->fp != NULL && strcmp(L->name, "-") != 0)
        fclose(L->fp); /* standard input and its copy stay open */
    free(L->line);
    *L = (lines){0};
}

/* One pass over every input. 0 or -1 (printed). */
static int run_pass(merger *m, char **names, int n, FILE **spool)
{
    for (int i = 0; i < n; i++) {
        lines L;
        cli_shards_next_input(&m->shards, (size_t)i);
        if (open_input(&L, names[i], m->pass, spool) != 0)
            return -1;
        int rc = merge_input(m, &L);
        while (m->n > 0)
            ts_doc_free(m->chain[--m->n]); /* after a failure, what was still open */
        close_input(&L);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int cmd_merge(int argc, char **argv, ts_lang lang)
{
    cli_report_args a;
    cli_report r = {0};
    merger m = {0};
    ts_ctx *ctx = NULL;
    FILE *spool = NULL;
    int rc = EXIT_USAGE;

    cli_report_args_init(&a, lang);
    int first = cli_parse(argc, argv, merge_opts, M_COUNT, on_opt, &a, "merge");
    if (first < 0)
        goto out;
    if (a.help) {
        print_help(a.lang);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (first >= argc) {
        cli_error(a.lang == TS_LANG_NB ? "merge: ingen jsonl-filer oppgitt (se --help)"
                                       : "merge: no jsonl files given (see --help)");
        goto out;
    }
    for (int i = first; i < argc; i++) {
        for (int j = first; j < i; j++) {
            if (strcmp(argv[i], "-") == 0 && strcmp(argv[j], "-") == 0) {
                cli_error("merge: standard input (-) can be read only once");
                goto out;
            }
        }
    }
    if ((rc = cli_report_check(&a)) != 0 ||
        (rc = cli_load_ctx(&ctx, a.no_default, a.rules, a.nrules)) != 0)
        goto out;
    rc = EXIT_USAGE;
    ts_limits lim;
    ts_ctx_get_limits(ctx, &lim);
    m.ctx = ctx;
    m.max_chain = (size_t)lim.max_depth + 2;
    m.rep = &r;
    m.args = &a;
    /* pass 1 reads everything before a byte of the report is written: a bad line is an error,
     * not half a report; and it learns which documents come again later */
    m.pass = 1;
    if (run_pass(&m, argv + first, argc - first, &spool) != 0 || mark_duplicates(&m) != 0)
        goto out;
    int whole = cli_shards_check(&m.shards, argv + first, (size_t)(argc - first), a.quiet, a.lang);
    if (whole == EXIT_USAGE)
        goto out;
    cli_keys_warn(&m.keys, a.quiet, a.lang);
    if (cli_report_open(&r, &a, argv + first, (size_t)(argc - first)) != 0 ||
        cli_report_start(&r, &a, ctx) != 0)
        goto out;
    m.pass = 2;
    if (run_pass(&m, argv + first, argc - first, &spool) != 0)
        goto out;
    if (m.unit != m.nunits) {
        cli_error("merge: the inputs changed while they were merged");
        goto out;
    }
    if (m.skipped > 0 && !a.quiet)
        cli_error(a.lang == TS_LANG_NB
                      ? "%zu dokumenter sto mer enn ett sted; bare det siste av hvert er med"
                      : "%zu documents were found more than once; only the later one of each "
                        "is reported",
                  m.skipped);
    rc = cli_report_finish(&r, &a);
    if ((rc == EXIT_CLEAN || rc == EXIT_FOUND) && whole == EXIT_UNREAD)
        rc = EXIT_UNREAD; /* the report is written, but it cannot vouch for the whole run */
out:
    cli_report_dispose(&r);
    cli_shards_dispose(&m.shards);
    for (size_t i = 0; i < m.nunits; i++)
        free(m.units[i]);
    free(m.units);
    free(m.keep);
    free(m.chain);
    if (spool != NULL)
        fclose(spool);
    ts_ctx_free(ctx);
    free(a.rules);
    return rc;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `tenderscan [scan] [options] PATH...`: walk, scan in parallel, report in input order. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "isolate.h"

#define DEFAULT_TIMEOUT 300.0 /* seconds per document (--timeout) */

enum {
    O_FORMAT, O_OUTPUT, O_LANG, O_FAIL_ON, O_JOBS, O_RULES, O_NO_DEFAULT_RULES, O_IGNORE,
    O_SHOW_SECRETS, O_SHARD, O_TIMEOUT, O_OCR, O_CSV_SEP, O_SUMMARY, O_PROGRESS, O_NO_PROGRESS, O_QUIET,
    O_VERSION, O_HELP, O_COUNT
};

static const struct cli_opt scan_opts[O_COUNT] = {
    [O_FORMAT] = {"format", 'f', 1, "FORMAT",
                  {"report format: text, json, jsonl, sarif, html, csv (default text)",
                   "rapportformat: text, json, jsonl, sarif, html, csv (standard text)"}},
    [O_OUTPUT] = {"output", 'o', 1, "FILE",
                  {"write the report to FILE instead of the screen",
                   "skriv rapporten til FIL i stedet for skjermen"}},
    [O_LANG] = {"lang", 0, 1, "nb|en",
                {"language of the report (default from LANG, else en)",
                 "språk i rapporten (standard fra LANG, ellers en)"}},
    [O_FAIL_ON] = {"fail-on", 0, 1, "GRADE",
                   {"exit 1 when a file is graded review or block (default review)",
                    "avslutt med 1 når en fil får review eller block (standard review)"}},
    [O_JOBS] = {"jobs", 'j', 1, "N",
                {"scan N files at a time (default: number of cores)",
                 "skann N filer samtidig (standard: antall kjerner)"}},
    [O_RULES] = {"rules", 0, 1, "PATH",
                 {"add a rule file or folder of *.rules (same id replaces a built-in rule)",
                  "legg til regelfil eller mappe med *.rules (samme id erstatter innebygd regel)"}},
    [O_NO_DEFAULT_RULES] = {"no-default-rules", 0, 0, NULL,
                            {"use only the rules given with --rules",
                             "bruk bare reglene gitt med --rules"}},
    [O_IGNORE] = {"ignore", 0, 1, "FILE",
                  {"accept findings whose fingerprint is listed in FILE",
                   "godta funn med fingeravtrykk som står i FIL"}},
    [O_SHOW_SECRETS] = {"show-secrets", 0, 0, NULL,
                        {"show passwords and keys unmasked in the report",
                         "vis passord og nøkler umaskert i rapporten"}},
    [O_SHARD] = {"shard", 0, 1, "K/N",
                 {"scan only the K-th of N equal shares of the files (batch jobs)",
                  "skann bare den K-te av N like deler av filene (batchjobber)"}},
    [O_TIMEOUT] = {"timeout", 0, 1, "SECONDS",
                   {"stop a file that takes longer than SECONDS to scan: error (default 300; 0: "
                    "no limit)",
                    "stopp en fil som tar lenger enn SEKUNDER å skanne: feil (standard 300; 0: "
                    "ingen grense)"}},
    [O_OCR] = {"ocr", 0, 0, NULL,
               {"read text in scanned pages and pictures (OCR, Norwegian and English; slow: "
                "seconds a page)",
                "les tekst i skannede sider og bilder (OCR, norsk og engelsk; tar tid: sekunder "
                "per side)"}},
    [O_CSV_SEP] = {"csv-sep", 0, 1, "C",
                   {"CSV separator: one character or 'tab' (default ; for nb, else ,)",
                    "skilletegn i CSV: ett tegn eller 'tab' (standard ; for nb, ellers ,)"}},
    [O_SUMMARY] = {"summary", 0, 0, NULL,
                   {"CSV: one row per document instead of one per finding",
                    "CSV: én rad per dokument i stedet for én per funn"}},
    [O_PROGRESS] = {"progress", 0, 0, NULL,
                    {"show progress on standard error", "vis fremdrift på standard feil"}},
    [O_NO_PROGRESS] = {"no-progress", 0, 0, NULL,
                       {"do not show progress", "ikke vis fremdrift"}},
    [O_QUIET] = {"quiet", 'q', 0, NULL,
                 {"print only the report (no progress, no notes)",
                  "skriv bare rapporten (ingen fremdrift eller merknader)"}},
    [O_VERSION] = {"version", 0, 0, NULL, {"print the version", "skriv versjonen"}},
    [O_HELP] = {"help", 'h', 0, NULL, {"print this help", "skriv denne hjelpen"}},
};

typedef struct scan_args {
    const char *format;
    const char *output;
    ts_lang lang;
    ts_grade fail_on;
    long jobs;
    char **rules;
    size_t nrules;
    bool no_default;
    char **ignores;
    size_t nignores;
    bool show_secrets;
    unsigned long shard_k, shard_n;
    double timeout;
    bool ocr;
    char csv_sep; /* 0: from the language */
    bool summary;
    int progress; /* -1 auto, 0 off, 1 on */
    bool quiet, version, help;
} scan_args;

static int on_opt(size_t idx, const char *arg, void *payload)
{
    scan_args *a = payload;
    char *end = NULL;
    switch (idx) {
    case O_FORMAT:
        a->format = arg;
        break;
    case O_OUTPUT:
        a->output = arg;
        break;
    case O_LANG:
        return cli_opt_lang(arg, &a->lang);
    case O_FAIL_ON:
        if (strcmp(arg, "review") == 0) {
            a->fail_on = TS_GRADE_REVIEW;
        } else if (strcmp(arg, "block") == 0) {
            a->fail_on = TS_GRADE_BLOCK;
        } else {
            cli_error("--fail-on takes review or block, not '%s'", arg);
            return -1;
        }
        break;
    case O_JOBS:
        errno = 0;
        a->jobs = strtol(arg, &end, 10);
        if (errno || end == arg || *end || a->jobs < 1 || a->jobs > 256) {
            cli_error("--jobs takes a number from 1 to 256, not '%s'", arg);
            return -1;
        }
        break;
    case O_RULES:
        return cli_push(&a->rules, &a->nrules, arg);
    case O_NO_DEFAULT_RULES:
        a->no_default = true;
        break;
    case O_IGNORE:
        return cli_push(&a->ignores, &a->nignores, arg);
    case O_SHOW_SECRETS:
        a->show_secrets = true;
        break;
    case O_SHARD: {
        unsigned long k = strtoul(arg, &end, 10);
        unsigned long n = 0;
        if (end && *end == '/')
            n = strtoul(end + 1, &end, 10);
        if (end == NULL || *end || n < 1 || k < 1 || k > n || n > 1000000) {
            cli_error("--shard takes K/N with 1 <= K <= N, e.g. 2/8, not '%s'", arg);
            return -1;
        }
        a->shard_k = k;
        a->shard_n = n;
        break;
    }
    case O_TIMEOUT:
        errno = 0;
        a->timeout = strtod(arg, &end);
        if (errno || end == arg || *end || !(a->timeout >= 0 && a->timeout <= 1e6)) {
            cli_error("--timeout takes a number of seconds from 0 to 1000000, not '%s'", arg);
            return -1;
        }
        break;
    case O_OCR:
        a->ocr = true;
        break;
    case O_CSV_SEP:
        if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) {
            a->csv_sep = '\t';
        } else if (strlen(arg) == 1 && arg[0] > 0x20 && arg[0] < 0x7F && arg[0] != '"') {
            a->csv_sep = arg[0];
        } else {
            cli_error("--csv-sep takes one printable character other than '\"', or 'tab', not '%s'",
                      arg);
            return -1;
        }
        break;
    case O_SUMMARY:
        a->summary = true;
        break;
    case O_PROGRESS:
        a->progress = 1;
        break;
    case O_NO_PROGRESS:
        a->progress = 0;
        break;
    case O_QUIET:
        a->quiet = true;
        break;
    case O_VERSION:
        a->version = true;
        break;
    case O_HELP:
        a->help = true;
        break;
    default:
        return -1;
    }
    return 0;
}

/* ---- the list of files ------------------------------------------------------------------- */

typedef struct item {
    char *path;
    int err;        /* errno when the path could not be listed or opened */
    ts_doc *doc;    /* result, until reported */
    bool done;
} item;

typedef struct list {
    item *items;
    size_t n, cap;
    size_t skipped_links;
    bool has_report;            /* the report file (-o) is never scanned, even inside a folder */
    dev_t report_dev;
    ino_t report_ino;
} list;

static int add_item(list *l, const char *path, int err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        item *p = realloc(l->items, cap * sizeof(*p));
        if (p == NULL)
            return -1;
        l->items = p;
        l->cap = cap;
    }
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    l->items[l->n++] = (item){.path = copy, .err = err};
    return 0;
}

static bool is_report(const list *l, const struct stat *sb)
{
    return l->has_report && sb->st_dev == l->report_dev && sb->st_ino == l->report_ino;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk a folder: sorted names (deterministic shards), hidden files included, links skipped. */
static int walk(list *l, const char *dir, unsigned depth)
{
    if (depth > 64)
        return add_item(l, dir, ELOOP);
    DIR *d = opendir(dir);
    if (d == NULL)
        return add_item(l, dir, errno);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *s = strdup(e->d_name);
        if (s == NULL || cli_push(&names, &n, s) != 0) {
            free(s);
            rc = -1;
            break;
        }
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_name);
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *p = malloc(len);
        if (p == NULL) {
            rc = -1;
            break;
        }
        bool slash = dir[0] != '\0' && dir[strlen(dir) - 1] == '/';
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat sb;
        if (lstat(p, &sb) != 0)
            rc = add_item(l, p, errno);
        else if (S_ISLNK(sb.st_mode))
            l->skipped_links++; /* symbolic links are not followed inside folders */
        else if (S_ISDIR(sb.st_mode))
            rc = walk(l, p, depth + 1);
        else if (!is_report(l, &sb))
            rc = add_item(l, p, 0);
        free(p);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int collect(list *l, char **paths, int npaths)
{
    for (int i = 0; i < npaths; i++) {
        struct stat sb;
        int rc;
        if (stat(paths[i], &sb) != 0)
            rc = add_item(l, paths[i], errno);
        else if (S_ISDIR(sb.st_mode))
            rc = walk(l, paths[i], 0);
        else if (!is_report(l, &sb))
            rc = add_item(l, paths[i], 0);
        else
            rc = 0;
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- workers ----------------------------------------------------------------------------- */

typedef struct pool {
    const ts_ctx *ctx;
    cli_procs *procs; /* one worker process per thread (isolate.h) */
    item **todo;
    size_t n;
    size_t next;     /* next item to hand out */
    size_t reported; /* items reported so far */
    size_t window;   /* how far ahead of the report workers may run */
    bool failed;     /* out of memory: stop */
    pthread_mutex_t mu;
    pthread_cond_t ready; /* an item finished */
    pthread_cond_t room;  /* the report moved on */
} pool;

static void scan_item(pool *p, size_t w, item *it, bool *failed)
{
    ts_status st;
    if (it->err != 0)
        st = ts_doc_new_failed(&it->doc, it->path, TS_EIO, strerror(it->err));
    else
        st = cli_procs_scan(p->procs, w, it->path, &it->doc);
    if (st != TS_OK)
        *failed = true;
}

/* What one scanning thread gets: the pool and the number of its worker process. */
typedef struct thread_arg {
    pool *p;
    size_t w;
} thread_arg;

static void *worker(void *arg)
{
    pool *p = ((thread_arg *)arg)->p;
    size_t w = ((thread_arg *)arg)->w;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next < p->n && p->next >= p->reported + p->window && !p->failed)
            pthread_cond_wait(&p->room, &p->mu);
        if (p->next >= p->n || p->failed)
            break;
        item *it = p->todo[p->next++];
        pthread_mutex_unlock(&p->mu);
        bool failed = false;
        scan_item(p, w, it, &failed);
        pthread_mutex_lock(&p->mu);
        it->done = true;
        if (failed)
            p->failed = true;
        pthread_cond_broadcast(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static long default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : n;
}

static void progress(bool on, size_t done, size_t total, const char *path)
{
    if (!on)
        return;
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    fprintf(stderr, "\r\033[K[%zu/%zu] %.60s", done, total, name);
    if (done == total)
        fputs("\r\033[K", stderr);
}

static void print_help(ts_lang lang)
{
    const char *usage = "tenderscan [scan] [options] PATH...\n"
                        "tenderscan rules [--lang nb|en] [--test]\n"
                        "tenderscan explain RULE";
    const char *intro =
        lang == TS_LANG_NB
            ? "Leser anbudsdokumenter før publisering og sier for hver fil om den kan publiseres:\n"
              "OK (publiser), MÅ VURDERES (en person må se på funnene) eller STOPP (ikke\n"
              "publiser slik den er), med hvor, hvorfor og hva du gjør. Mapper skannes med\n"
              "undermapper.\n\n"
              "Avslutningskoder: 0 ingenting funnet, 1 funn på eller over --fail-on,\n"
              "2 feil bruk eller feil i regelfil, 3 minst én fil kunne ikke leses helt."
            : "Reads tender documents before they are published and says, per file, whether it\n"
              "may be published: OK (publish), REVIEW (a person must look at the findings) or\n"
              "BLOCK (do not publish as it is), with where, why and what to do. Folders are\n"
              "scanned with their subfolders.\n\n"
              "Exit codes: 0 nothing found, 1 findings at or above --fail-on, 2 usage or\n"
              "rule-file error, 3 at least one file could not be read completely.";
    cli_help(stdout, usage, intro, scan_opts, O_COUNT, lang);
    fputc('\n', stdout);
    cli_print_commands(stdout, lang);
}

int cmd_scan(int argc, char **argv, ts_lang lang)
{
    scan_args a = {.format = "text",
                   .lang = lang,
                   .fail_on = TS_GRADE_REVIEW,
                   .progress = -1,
                   .timeout = DEFAULT_TIMEOUT};
    list l = {0};
    ts_ctx *ctx = NULL;
    ts_out *sink = NULL;
    ts_report *rep = NULL;
    FILE *fp = NULL;
    pthread_t *threads = NULL;
    thread_arg *targs = NULL;
    cli_procs procs = {0};
    bool procs_up = false;
    item **todo = NULL;
    size_t nthreads = 0, ntodo = 0;
    int rc = EXIT_USAGE;
    bool pool_init = false;
    pool p = {0};

    int first = cli_parse(argc, argv, scan_opts, O_COUNT, on_opt, &a, "scan");
    if (first < 0)
        goto out;
    if (a.help) {
        print_help(a.lang);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (a.version) {
        printf("tenderscan %s\n", TS_VERSION);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (first >= argc) {
        cli_error(a.lang == TS_LANG_NB ? "ingen filer eller mapper oppgitt (se --help)"
                                       : "no files or folders given (see --help)");
        goto out;
    }
    bool known = false;
    for (size_t i = 0; ts_report_format_at(i); i++)
        known = known || strcmp(ts_report_format_at(i), a.format) == 0;
    if (!known) {
        cli_error("unknown --format '%s' (see --help)", a.format);
        goto out;
    }
    if ((a.csv_sep != 0 || a.summary) && strcmp(a.format, "csv") != 0) {
        cli_error("--csv-sep and --summary go with -f csv");
        goto out;
    }
    if ((rc = cli_load_ctx(&ctx, a.no_default, a.rules, a.nrules)) != 0)
        goto out;
    ts_ctx_set_ocr(ctx, a.ocr);
    /*
     * Tesseract spreads each page over OpenMP threads; with files already scanned in parallel
     * they only fight over the cores (an A4 page: 2.8 s single-threaded, 16 s with OpenMP on
     * two cores). libgomp reads the limit when tenderscan-ocr.so is loaded, in a worker forked
     * after this; a limit the user set is kept.
     */
    if (a.ocr && setenv("OMP_THREAD_LIMIT", "1", 0) != 0) {
        cli_error("out of memory");
        goto out;
    }
    rc = EXIT_USAGE;
    for (size_t i = 0; i < a.nignores; i++) {
        if (ts_ctx_load_ignore_file(ctx, a.ignores[i], cli_rule_error, NULL) != TS_OK) {
            cli_error("the ignore file %s could not be used", a.ignores[i]);
            goto out;
        }
    }
    if (a.output) {
        fp = fopen(a.output, "w");
        if (fp == NULL) {
            cli_error("cannot write %s: %s", a.output, strerror(errno));
            goto out;
        }
    }
    if (fp != NULL) {
        struct stat sb;
        if (fstat(fileno(fp), &sb) == 0) {
            l.has_report = true;
            l.report_dev = sb.st_dev;
            l.report_ino = sb.st_ino;
        }
    }
    if (collect(&l, argv + first, argc - first) != 0) {
        cli_error("out of memory while listing files");
        goto out;
    }
    /* shards split the sorted list by position, so N machines that walk the same tree agree */
    todo = calloc(l.n + 1, sizeof(*todo));
    if (todo == NULL)
        goto out;
    for (size_t i = 0; i < l.n; i++)
        if (a.shard_n == 0 || i % a.shard_n == a.shard_k - 1)
            todo[ntodo++] = &l.items[i];

    FILE *dest = fp ? fp : stdout;
    const char *nc = getenv("NO_COLOR");
    ts_report_opts ro = {
        .lang = a.lang,
        .show_secrets = a.show_secrets,
        .color = fp == NULL && isatty(STDOUT_FILENO) && !(nc && *nc),
        .rules = ts_ctx_rule_count(ctx),
        .csv_sep = a.csv_sep,
        .summary = a.summary,
    };
    if (ts_out_new_file(&sink, dest) != TS_OK || ts_report_new(&rep, a.format, sink, &ro) != TS_OK)
        goto out;
    bool show = a.progress == 1 || (a.progress == -1 && !a.quiet && isatty(STDERR_FILENO) &&
                                    (fp != NULL || !isatty(STDOUT_FILENO)));
    if (a.quiet)
        show = false;

    /* workers scan ahead of the report by a bounded window, so memory stays flat */
    long jobs = a.jobs ? a.jobs : default_jobs();
    size_t nworkers = (size_t)jobs < ntodo ? (size_t)jobs : ntodo;
    /* the worker processes are forked before any thread starts */
    if (nworkers > 0) {
        if (cli_procs_start(&procs, ctx, nworkers, a.timeout) != 0)
            goto out;
        procs_up = true;
    }
    p.ctx = ctx;
    p.procs = &procs;
    p.todo = todo;
    p.n = ntodo;
    p.window = (size_t)jobs * 4;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.room, NULL);
    pool_init = true;
    threads = calloc((size_t)jobs, sizeof(*threads));
    targs = calloc((size_t)jobs, sizeof(*targs));
    if (threads == NULL || targs == NULL)
        goto out;
    for (size_t i = 0; i < nworkers; i++) {
        targs[nthreads] = (thread_arg){.p = &p, .w = nthreads};
        if (pthread_create(&threads[nthreads], NULL, worker, &targs[nthreads]) != 0)
            break;
        nthreads++;
    }
    if (nthreads == 0 && ntodo > 0) {
        cli_error("could not start a worker thread");
        goto out;
    }
    bool any_error = false, any_fail = false, io_error = false;
    for (size_t i = 0; i < ntodo; i++) {
        pthread_mutex_lock(&p.mu);
        while (!todo[i]->done && !p.failed)
            pthread_cond_wait(&p.ready, &p.mu);
        bool failed = p.failed && !todo[i]->done;
        pthread_mutex_unlock(&p.mu);
        if (failed || todo[i]->doc == NULL) {
            cli_error("out of memory while scanning %s", todo[i]->path);
            p.failed = true;
            break;
        }
        ts_grade g = ts_doc_grade(todo[i]->doc);
        any_error = any_error || g == TS_GRADE_ERROR;
        any_fail = any_fail || (g != TS_GRADE_ERROR && g >= a.fail_on);
        if (ts_report_document(rep, todo[i]->doc) != TS_OK)
            io_error = true;
        ts_doc_free(todo[i]->doc);
        todo[i]->doc = NULL;
        progress(show, i + 1, ntodo, todo[i]->path);
        pthread_mutex_lock(&p.mu);
        p.reported = i + 1;
        pthread_cond_broadcast(&p.room);
        pthread_mutex_unlock(&p.mu);
    }
    if (ts_report_end(rep) != TS_OK)
        io_error = true;
    if (fflush(dest) != 0)
        io_error = true;
    if (io_error) {
        cli_error("the report could not be written completely");
        rc = EXIT_USAGE;
    } else if (p.failed) {
        rc = EXIT_UNREAD;
    } else {
        rc = any_error ? EXIT_UNREAD : any_fail ? EXIT_FOUND : EXIT_CLEAN;
    }
    if (l.skipped_links > 0 && !a.quiet)
        cli_error(a.lang == TS_LANG_NB ? "%zu symbolske lenker i mapper ble ikke fulgt"
                                       : "%zu symbolic links inside folders were not followed",
                  l.skipped_links);
    if (a.output && !a.quiet && !io_error)
        fprintf(stderr, a.lang == TS_LANG_NB ? "Rapporten er skrevet til %s\n"
                                             : "The report was written to %s\n",
                a.output);
out:
    if (pool_init) {
        pthread_mutex_lock(&p.mu);
        p.next = p.n; /* no more work for anyone */
        pthread_cond_broadcast(&p.room);
        pthread_mutex_unlock(&p.mu);
    }
    for (size_t i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    if (procs_up)
        cli_procs_stop(&procs);
    if (pool_init) {
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.ready);
        pthread_cond_destroy(&p.room);
    }
    for (size_t i = 0; i < l.n; i++) {
        ts_doc_free(l.items[i].doc);
        free(l.items[i].path);
    }
    free(l.items);
    free(todo);
    free(threads);
    free(targs);
    ts_report_free(rep);
    ts_out_free(sink);
    if (fp)
        fclose(fp);
    ts_ctx_free(ctx);
    free(a.rules);
    free(a.ignores);
    return rc;
}

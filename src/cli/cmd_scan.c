/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `tenderscan [scan] [options] PATH...`: walk, scan in parallel, report in input order. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "inputs.h"
#include "isolate.h"
#include "state.h"

#define DEFAULT_TIMEOUT 300.0 /* seconds per document (--timeout) */

enum {
    O_FORMAT, O_OUTPUT, O_LANG, O_FAIL_ON, O_JOBS, O_RULES, O_NO_DEFAULT_RULES, O_IGNORE,
    O_BASELINE, O_FINGERPRINT_KEY, O_STDIN_NAME, O_SHOW_SECRETS, O_SHARD, O_STATE, O_TIMEOUT,
    O_MAX_MEMORY, O_OCR, O_NO_OCR, O_CSV_SEP, O_SUMMARY, O_PROGRESS, O_NO_PROGRESS,
    O_FOLLOW_SYMLINKS, O_QUIET, O_VERSION, O_HELP, O_COUNT
};

static const struct cli_opt scan_opts[O_COUNT] = {
    [O_FORMAT] = CLI_OPT_FORMAT,
    [O_OUTPUT] = CLI_OPT_OUTPUT,
    [O_LANG] = CLI_OPT_LANG,
    [O_FAIL_ON] = CLI_OPT_FAIL_ON,
    [O_JOBS] = {"jobs", 'j', 1, "N",
                {"scan N files at a time (default: number of cores)",
                 "skann N filer samtidig (standard: antall kjerner)"}},
    [O_RULES] = CLI_OPT_RULES,
    [O_NO_DEFAULT_RULES] = CLI_OPT_NO_DEFAULT_RULES,
    [O_IGNORE] = {"ignore", 0, 1, "FILE",
                  {"accept the findings listed in FILE: FINGERPRINT [RULE] [PATH-GLOB] [# why]",
                   "godta funnene som står i FIL: FINGERAVTRYKK [REGEL] [STI-MØNSTER] [# hvorfor]"}},
    [O_BASELINE] = {"baseline", 0, 1, "REPORT",
                    {"accept every finding of an earlier report (json, jsonl or sarif)",
                     "godta alle funn i en tidligere rapport (json, jsonl eller sarif)"}},
    [O_FINGERPRINT_KEY] = CLI_OPT_FINGERPRINT_KEY,
    [O_STDIN_NAME] = {"stdin-name", 0, 1, "NAME",
                      {"name the document read from - (standard input) in the report (default "
                       "stdin)",
                       "navnet på dokumentet fra - (standard inn) i rapporten (standard stdin)"}},
    [O_SHOW_SECRETS] = {"show-secrets", 0, 0, NULL,
                        {"show passwords and keys unmasked in the report",
                         "vis passord og nøkler umaskert i rapporten"}},
    [O_SHARD] = {"shard", 0, 1, "K/N",
                 {"scan only the K-th of N equal shares of the files (batch jobs)",
                  "skann bare den K-te av N like deler av filene (batchjobber)"}},
    [O_STATE] = {"state", 0, 1, "FILE",
                 {"record scanned files in FILE; run again to go on after a stop (FILE holds the "
                  "secrets found)",
                  "husk skannede filer i FIL; kjør igjen for å fortsette etter et stopp (FIL har "
                  "hemmelighetene som ble funnet)"}},
    [O_TIMEOUT] = {"timeout", 0, 1, "SECONDS",
                   {"stop a file that takes longer than SECONDS to scan: error (default 300; 0: "
                    "no limit)",
                    "stopp en fil som tar lenger enn SEKUNDER å skanne: feil (standard 300; 0: "
                    "ingen grense)"}},
    [O_MAX_MEMORY] = {"max-memory", 0, 1, "SIZE",
                      {"stop a file whose reading needs more than SIZE of memory (per worker, "
                       "e.g. 512M, 2G): error (default 1G; 0: no limit)",
                       "stopp en fil som trenger mer enn STØRRELSE minne for å leses (per "
                       "prosess, f.eks. 512M, 2G): feil (standard 1G; 0: ingen grense)"}},
    [O_OCR] = {"ocr", 0, 0, NULL,
               {"OCR also pictures inside documents and every scanned page; an error when OCR is "
                "missing (by default: picture files, 20 scanned pages)",
                "OCR også for bilder i dokumenter og alle skannede sider; feil når OCR mangler "
                "(standard: bildefiler, 20 skannede sider)"}},
    [O_NO_OCR] = {"no-ocr", 0, 0, NULL,
                  {"no text recognition in pictures (faster); a picture with lines of text is "
                   "then graded review",
                   "ingen tekstgjenkjenning i bilder (raskere); et bilde med tekstlinjer får da "
                   "må vurderes"}},
    [O_CSV_SEP] = CLI_OPT_CSV_SEP,
    [O_SUMMARY] = CLI_OPT_SUMMARY,
    [O_PROGRESS] = {"progress", 0, 0, NULL,
                    {"show progress on standard error", "vis fremdrift på standard feil"}},
    [O_NO_PROGRESS] = {"no-progress", 0, 0, NULL,
                       {"do not show progress", "ikke vis fremdrift"}},
    [O_FOLLOW_SYMLINKS] = {"follow-symlinks", 0, 0, NULL,
                           {"inside folders, scan what symbolic links point to (each file once); "
                            "without it a link is listed as not read",
                            "i mapper, skann det symbolske lenker peker på (hver fil én gang); "
                            "uten dette står en lenke som ikke lest"}},
    [O_QUIET] = CLI_OPT_QUIET,
    [O_VERSION] = {"version", 0, 0, NULL, {"print the version", "skriv versjonen"}},
    [O_HELP] = CLI_OPT_HELP,
};

typedef struct scan_args {
    cli_report_args out; /* the options every report command has */
    long jobs;
    char **ignores;
    size_t nignores;
    char **baselines; /* --baseline, borrowed from argv */
    size_t nbaselines;
    const char *stdin_name; /* --stdin-name, or NULL */
    unsigned long shard_k, shard_n;
    const char *state;
    double timeout;
    uint64_t max_memory; /* --max-memory, bytes per worker and document */
    int ocr; /* ts_ocr_mode */
    int progress; /* -1 auto, 0 off, 1 on */
    bool follow_symlinks;
    bool version;
} scan_args;

static int on_opt(size_t idx, const char *arg, void *payload)
{
    scan_args *a = payload;
    char *end = NULL;
    int shared = cli_report_opt(&a->out, scan_opts[idx].name, arg);
    if (shared <= 0)
        return shared;
    switch (idx) {
    case O_JOBS:
        errno = 0;
        a->jobs = strtol(arg, &end, 10);
        if (errno || end == arg || *end || a->jobs < 1 || a->jobs > 256) {
            cli_error("--jobs takes a number from 1 to 256, not '%s'", arg);
            return -1;
        }
        break;
    case O_IGNORE:
        return cli_push(&a->ignores, &a->nignores, arg);
    case O_BASELINE:
        return cli_push(&a->baselines, &a->nbaselines, arg);
    case O_STDIN_NAME:
        if (*arg == '\0') {
            cli_error("--stdin-name takes a name that is not empty");
            return -1;
        }
        a->stdin_name = arg;
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
    case O_STATE:
        a->state = arg;
        break;
    case O_TIMEOUT:
        errno = 0;
        a->timeout = strtod(arg, &end);
        if (errno || end == arg || *end || !(a->timeout >= 0 && a->timeout <= 1e6)) {
            cli_error("--timeout takes a number of seconds from 0 to 1000000, not '%s'", arg);
            return -1;
        }
        break;
    case O_MAX_MEMORY:
        return cli_procs_parse_memory(arg, &a->max_memory);
    case O_OCR:
        a->ocr = TS_OCR_ALL;
        break;
    case O_NO_OCR:
        a->ocr = TS_OCR_OFF;
        break;
    case O_PROGRESS:
        a->progress = 1;
        break;
    case O_NO_PROGRESS:
        a->progress = 0;
        break;
    case O_FOLLOW_SYMLINKS:
        a->follow_symlinks = true;
        break;
    case O_VERSION:
        a->version = true;
        break;
    default:
        return -1;
    }
    return 0;
}

/* ---- the list of files ------------------------------------------------------------------- */

typedef struct item {
    char *path;
    int err;                  /* errno when the path could not be listed or opened */
    const char *why;          /* or why it is not read (a link), in the report's language */
    cli_state_id id;          /* size, mtime, inode when listed (err == 0) */
    dev_t dev;                /* with id.ino: the file, to list it once when links are followed */
    const cli_state_rec *rec; /* its record in the state file, if it is unchanged since */
    ts_doc *doc;              /* result, until reported */
    bool done;
    bool is_stdin; /* `-`: the document read from standard input (path is its name) */
} item;

/* A file of the run's own (the report, the state file): never scanned, even inside a folder. */
typedef struct own_file {
    dev_t dev;
    ino_t ino;
} own_file;

typedef struct list {
    item *items;
    size_t n, cap;
    own_file own[2];
    size_t nown;
    const char *stdin_name; /* the name `-` is listed under */
    bool follow;    /* --follow-symlinks */
    bool quiet;     /* no notes on standard error */
    ts_lang lang;   /* of the report: the reasons of links not read */
    own_file *dirs; /* folders walked so far, when links are followed (each once) */
    size_t ndirs, capdirs;
    size_t twice; /* files reached again through a link, listed once */
} list;

/* Room for one more of `n` elements of `elem` bytes in *arr (doubling from `first`); 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : first;
    void *p = c > SIZE_MAX / elem ? NULL : realloc(*arr, c * elem);
    if (p == NULL)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

static int add_item(list *l, const char *path, const struct stat *sb, int err)
{
    if (grow((void **)&l->items, &l->cap, l->n, sizeof(*l->items), 256) != 0)
        return -1;
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    l->items[l->n++] = (item){.path = copy,
                              .err = err,
                              .id = sb ? cli_state_id_of(sb) : (cli_state_id){0},
                              .dev = sb ? sb->st_dev : 0};
    return 0;
}

/* A path listed as a document that is not read, with the reason (a symbolic link). */
static int add_unread(list *l, const char *path, const char *en, const char *nb)
{
    if (add_item(l, path, NULL, 0) != 0)
        return -1;
    l->items[l->n - 1].why = l->lang == TS_LANG_NB ? nb : en;
    return 0;
}

static bool is_own(const list *l, const struct stat *sb)
{
    for (size_t i = 0; i < l->nown; i++)
        if (sb->st_dev == l->own[i].dev && sb->st_ino == l->own[i].ino)
            return true;
    return false;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Has folder `sb` been walked already (a link loop, or a second way in)? If not, remember it. */
static int seen_dir(list *l, const struct stat *sb, bool *seen)
{
    *seen = false;
    for (size_t i = 0; i < l->ndirs; i++)
        if (l->dirs[i].dev == sb->st_dev && l->dirs[i].ino == sb->st_ino)
            *seen = true;
    if (*seen)
        return 0;
    if (grow((void **)&l->dirs, &l->capdirs, l->ndirs, sizeof(*l->dirs), 64) != 0)
        return -1;
    l->dirs[l->ndirs++] = (own_file){.dev = sb->st_dev, .ino = sb->st_ino};
    return 0;
}

static int walk(list *l, const char *dir, unsigned depth);

/* Walk a folder; when links are followed, each folder once (a link may lead back into it). */
static int enter_dir(list *l, const char *dir, const struct stat *sb, unsigned depth)
{
    bool seen = false;
    if (l->follow && seen_dir(l, sb, &seen) != 0)
        return -1;
    return seen ? 0 : walk(l, dir, depth);
}

/*
 * A symbolic link inside a folder. Not followed (the default): listed as a document that was not
 * read, so it is in the report with the reason and the run cannot pass as fully read. Followed:
 * what it points to is listed as if it were there, except a folder walked already (a loop, or
 * a second way into the same folder), which is said on standard error and not walked again.
 */
static int take_link(list *l, const char *p, unsigned depth)
{
    if (!l->follow)
        return add_unread(l, p,
                          "symbolic link not followed: scan with --follow-symlinks to read what it "
                          "points to",
                          "symbolsk lenke ble ikke fulgt: skann med --follow-symlinks for å lese "
                          "det den peker på");
    struct stat sb;
    if (stat(p, &sb) != 0) {
        if (errno == ENOENT)
            return add_unread(l, p, "symbolic link to something that does not exist",
                              "symbolsk lenke til noe som ikke finnes");
        if (errno == ELOOP)
            return add_unread(l, p, "symbolic link that leads back to itself (a loop)",
                              "symbolsk lenke som fører tilbake til seg selv (en løkke)");
        return add_item(l, p, NULL, errno);
    }
    if (S_ISDIR(sb.st_mode)) {
        bool seen = false;
        if (seen_dir(l, &sb, &seen) != 0)
            return -1;
        if (!seen)
            return walk(l, p, depth + 1);
        if (!l->quiet) {
            char shown[1024];
            ts_path_escape(p, shown, sizeof shown);
            cli_error(l->lang == TS_LANG_NB
                          ? "%s: symbolsk lenke til en mappe som allerede skannes (en løkke eller "
                            "en annen vei inn): ikke fulgt på nytt"
                          : "%s: symbolic link to a folder that is scanned already (a loop or a "
                            "second way in): not followed again",
                      shown);
        }
        return 0;
    }
    return is_own(l, &sb) ? 0 : add_item(l, p, &sb, 0);
}

/* Walk a folder: sorted names (deterministic shards), hidden files included. */
static int walk(list *l, const char *dir, unsigned depth)
{
    if (depth > 64)
        return add_item(l, dir, NULL, ELOOP);
    DIR *d = opendir(dir);
    if (d == NULL)
        return add_item(l, dir, NULL, errno);
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
            rc = add_item(l, p, NULL, errno);
        else if (S_ISLNK(sb.st_mode))
            rc = take_link(l, p, depth);
        else if (S_ISDIR(sb.st_mode))
            rc = enter_dir(l, p, &sb, depth + 1);
        else if (!is_own(l, &sb))
            rc = add_item(l, p, &sb, 0);
        free(p);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Position of an item in the list by its file, to keep the first of each (sorting helper). */
typedef struct file_pos {
    dev_t dev;
    uint64_t ino;
    size_t pos;
} file_pos;

static int cmp_file_pos(const void *a, const void *b)
{
    const file_pos *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * With --follow-symlinks a file may be reached by more than one path (a link beside its target,
 * two links to one file): it is scanned once, under the path the sorted walk meets first, so
 * shards agree; the others are dropped and counted for a note.
 */
static int keep_first_of_each_file(list *l)
{
    file_pos *fp = malloc((l->n + 1) * sizeof(*fp));
    bool *drop = calloc(l->n + 1, sizeof(*drop));
    size_t m = 0;
    if (fp == NULL || drop == NULL) {
        free(fp);
        free(drop);
        return -1;
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].err == 0 && l->items[i].why == NULL && !l->items[i].is_stdin)
            fp[m++] = (file_pos){.dev = l->items[i].dev, .ino = l->items[i].id.ino, .pos = i};
    if (m > 1)
        qsort(fp, m, sizeof(*fp), cmp_file_pos);
    for (size_t i = 1; i < m; i++)
        drop[fp[i].pos] = fp[i].dev == fp[i - 1].dev && fp[i].ino == fp[i - 1].ino;
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (drop[i]) {
            free(l->items[i].path);
            l->twice++;
            continue;
        }
        l->items[w++] = l->items[i];
    }
    l->n = w;
    free(fp);
    free(drop);
    return 0;
}

static int collect(list *l, char **paths, int npaths)
{
    for (int i = 0; i < npaths; i++) {
        struct stat sb;
        int rc;
        if (strcmp(paths[i], "-") == 0) {
            rc = add_item(l, l->stdin_name, NULL, 0);
            if (rc == 0)
                l->items[l->n - 1].is_stdin = true;
        } else if (stat(paths[i], &sb) != 0)
            rc = add_item(l, paths[i], NULL, errno);
        else if (S_ISDIR(sb.st_mode))
            rc = enter_dir(l, paths[i], &sb, 0);
        else if (!is_own(l, &sb))
            rc = add_item(l, paths[i], &sb, 0);
        else
            rc = 0;
        if (rc != 0)
            return -1;
    }
    return l->follow ? keep_first_of_each_file(l) : 0;
}

/* ---- workers ----------------------------------------------------------------------------- */

typedef struct pool {
    const ts_ctx *ctx;
    cli_procs *procs; /* one worker process per thread (isolate.h) */
    const cli_stdin *in; /* standard input, when `-` is among the items */
    cli_state *state; /* --state, or NULL */
    item **todo;
    size_t n;
    size_t next;     /* next item to hand out */
    size_t reported; /* items reported so far */
    size_t window;   /* how far ahead of the report workers may run */
    bool failed;     /* out of memory: stop */
    bool stopped;    /* SIGINT or SIGTERM: stop */
    pthread_mutex_t mu;
    pthread_cond_t ready; /* an item finished */
    pthread_cond_t room;  /* the report moved on */
} pool;

/* Scan an item, or take it from the state file when it was scanned before and is unchanged. */
static void scan_item(pool *p, size_t w, item *it, bool *failed)
{
    ts_status st = TS_ECORRUPT;
    if (it->is_stdin) {
        /* never from or into --state: there is no file to see unchanged */
        st = p->in->fail != TS_OK
                 ? ts_scan_unread(&it->doc, p->ctx, it->path, p->in->fail, p->in->why)
                 : cli_procs_scan_mem(p->procs, w, &it->doc);
    } else if (it->err != 0 || it->why != NULL) {
        /* not read, but listed: its name is still scanned (and masked in the report) */
        st = ts_scan_unread(&it->doc, p->ctx, it->path, TS_EIO,
                            it->why ? it->why : strerror(it->err));
    } else {
        if (it->rec != NULL)
            st = cli_state_load(p->state, it->rec, &it->doc); /* damaged: scanned instead */
        if (st == TS_ECORRUPT) {
            st = cli_procs_scan(p->procs, w, it->path, &it->doc);
            /* a worker killed by a stop did not scan the file: not recorded, scanned next time */
            if (st == TS_OK && !cli_procs_cancelled(p->procs))
                cli_state_save(p->state, it->path, &it->id, it->doc);
        }
    }
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
        while (p->next < p->n && p->next >= p->reported + p->window && !p->failed &&
               !p->stopped)
            pthread_cond_wait(&p->room, &p->mu);
        if (p->next >= p->n || p->failed || p->stopped)
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

/* SIGINT or SIGTERM (from the thread that takes them, cli_stop): no more work is handed out, and
 * the worker processes are killed, so that no thread waits for a slow file to finish. */
static void stop_pool(void *payload)
{
    pool *p = payload;
    pthread_mutex_lock(&p->mu);
    p->stopped = true;
    pthread_cond_broadcast(&p->ready);
    pthread_cond_broadcast(&p->room);
    pthread_mutex_unlock(&p->mu);
    cli_procs_cancel(p->procs);
}

static long default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : n;
}

/* The name of the document just reported, as the report shows it (escaped, secrets masked). */
static void progress(bool on, size_t done, size_t total, const ts_doc *doc, bool show_secrets)
{
    if (!on)
        return;
    char shown[4096];
    ts_doc_path_shown(doc, show_secrets, shown, sizeof shown);
    const char *name = strrchr(shown, '/');
    name = name && name[1] != '\0' ? name + 1 : shown;
    fprintf(stderr, "\r\033[K[%zu/%zu] %.60s", done, total, name);
    if (done == total)
        fputs("\r\033[K", stderr);
}

/* ---- scripting: baselines, an empty run, standard input, the shard's run line ------------- */

/* --baseline: the findings of earlier reports are accepted. 0, or -1 (printed). */
static int load_baselines(ts_ctx *ctx, const scan_args *a)
{
    for (size_t i = 0; i < a->nbaselines; i++) {
        if (ts_ctx_load_baseline(ctx, a->baselines[i], cli_rule_error, NULL) != TS_OK) {
            cli_error(a->out.lang == TS_LANG_NB ? "grunnlinjen %s kunne ikke brukes"
                                                : "the baseline %s could not be used",
                      a->baselines[i]);
            return -1;
        }
    }
    return 0;
}

/* Nothing to scan is not an error (exit 0), but it must not pass in silence. */
static void warn_nothing_found(const scan_args *a, size_t listed, size_t todo)
{
    bool nb = a->out.lang == TS_LANG_NB;
    if (listed == 0)
        cli_error(nb ? "fant ingen filer i mappene som ble oppgitt: ingenting er skannet, og "
                       "rapporten er tom"
                     : "no files were found in the folders given: nothing was scanned and the "
                       "report is empty");
    else if (todo == 0)
        cli_error(nb ? "del %lu/%lu fikk ingen av de %zu filene: ingenting er skannet, og "
                       "rapporten er tom"
                     : "shard %lu/%lu got none of the %zu files: nothing was scanned and the "
                       "report is empty",
                  a->shard_k, a->shard_n, listed);
}

/* Take standard input when `-` is among the items to scan (before the workers start). */
static void read_stdin(cli_stdin *in, item **todo, size_t ntodo, const ts_ctx *ctx,
                       const scan_args *a)
{
    for (size_t i = 0; i < ntodo; i++) {
        if (todo[i]->is_stdin) {
            ts_limits lim;
            ts_ctx_get_limits(ctx, &lim);
            cli_stdin_read(in, todo[i]->path, lim.max_file_bytes, a->out.quiet, a->out.lang);
        }
    }
}

/*
 * The run (DESIGN §7): a JSON report's "run" member, and the first line of a shard's jsonl, which
 * merge checks (docs/report-format.md). Plain jsonl stays one document per line.
 */
static int report_run(ts_run_info *run, scan_args *a, const ts_ctx *ctx, size_t listed,
                      size_t todo)
{
    bool shard_line = a->shard_n != 0 && strcmp(a->out.format, "jsonl") == 0;
    if (!shard_line && strcmp(a->out.format, "json") != 0)
        return 0;
    *run = (ts_run_info){
        .shard_k = a->shard_k, .shard_n = a->shard_n, .files = listed, .documents = todo};
    time_t now = time(NULL);
    struct tm tm;
    if (ts_ctx_digest(ctx, run->digest) != TS_OK || gmtime_r(&now, &tm) == NULL ||
        strftime(run->started, sizeof run->started, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        cli_error("out of memory");
        return -1;
    }
    a->out.run = run;
    return 0;
}

static void print_help(ts_lang lang)
{
    const char *usage = "tenderscan [scan] [options] PATH...\n"
                        "tenderscan rules [--lang nb|en] [--test]\n"
                        "tenderscan explain RULE\n"
                        "tenderscan merge [options] FILE.jsonl...";
    const char *intro =
        lang == TS_LANG_NB
            ? "Leser anbudsdokumenter før publisering og sier for hver fil om den kan publiseres:\n"
              "OK (publiser), MÅ VURDERES (en person må se på funnene) eller STOPP (ikke\n"
              "publiser slik den er), med hvor, hvorfor og hva du gjør. Mapper skannes med\n"
              "undermapper; - leser ett dokument fra standard inn.\n\n"
              "Avslutningskoder: 0 ingenting funnet, 1 funn på eller over --fail-on,\n"
              "2 feil bruk (også en sti som ikke finnes) eller feil i regelfil, 3 minst én fil\n"
              "kunne ikke leses helt."
            : "Reads tender documents before they are published and says, per file, whether it\n"
              "may be published: OK (publish), REVIEW (a person must look at the findings) or\n"
              "BLOCK (do not publish as it is), with where, why and what to do. Folders are\n"
              "scanned with their subfolders; - reads one document from standard input.\n\n"
              "Exit codes: 0 nothing found, 1 findings at or above --fail-on, 2 usage error\n"
              "(also a path that does not exist) or rule-file error, 3 at least one file could\n"
              "not be read completely.";
    cli_help(stdout, usage, intro, scan_opts, O_COUNT, lang);
    fputc('\n', stdout);
    cli_print_commands(stdout, lang);
}

int cmd_scan(int argc, char **argv, ts_lang lang)
{
    scan_args a = {
        .progress = -1, .timeout = DEFAULT_TIMEOUT, .max_memory = CLI_MAX_MEMORY_DEFAULT,
        .ocr = TS_OCR_AUTO};
    list l = {0};
    ts_ctx *ctx = NULL;
    cli_report r = {0};
    pthread_t *threads = NULL;
    thread_arg *targs = NULL;
    cli_procs procs = {0};
    cli_state *state = NULL;
    bool procs_up = false;
    item **todo = NULL;
    size_t nthreads = 0, ntodo = 0;
    int rc = EXIT_USAGE;
    bool pool_init = false;
    pool p = {0};
    cli_stdin in = {.fail = TS_OK};
    ts_run_info run = {0};

    cli_report_args_init(&a.out, lang);
    int first = cli_parse(argc, argv, scan_opts, O_COUNT, on_opt, &a, "scan");
    if (first < 0)
        goto out;
    if (a.out.help) {
        print_help(a.out.lang);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (a.version) {
        printf("tenderscan %s\n", TS_VERSION);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (first >= argc) {
        cli_error(a.out.lang == TS_LANG_NB ? "ingen filer eller mapper oppgitt (se --help)"
                                           : "no files or folders given (see --help)");
        goto out;
    }
    if ((rc = cli_inputs_check(argv + first, (size_t)(argc - first), a.stdin_name != NULL,
                               a.out.lang)) != 0)
        goto out;
    if ((rc = cli_report_check(&a.out)) != 0 ||
        (rc = cli_load_ctx(&ctx, a.out.no_default, a.out.rules, a.out.nrules)) != 0 ||
        (rc = cli_fpkey_apply(ctx, a.out.fingerprint_key, a.out.quiet, a.out.lang)) != 0)
        goto out;
    ts_ctx_set_ocr(ctx, a.ocr);
    /*
     * Tesseract spreads each page over OpenMP threads; with files already scanned in parallel
     * they only fight over the cores (an A4 page: 2.8 s single-threaded, 16 s with OpenMP on
     * two cores). libgomp reads the limit when tenderscan-ocr.so is loaded, in a worker forked
     * after this; a limit the user set is kept.
     */
    if (a.ocr != TS_OCR_OFF && setenv("OMP_THREAD_LIMIT", "1", 0) != 0) {
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
    if (load_baselines(ctx, &a) != 0)
        goto out;
    /* before -o is opened: a state file that cannot be used leaves the last report as it was */
    if (a.state && cli_state_open(&state, a.state, ctx, a.timeout, a.max_memory, a.out.quiet,
                                  a.out.lang) != 0)
        goto out;
    if (state != NULL) {
        cli_state_file_id(state, &l.own[l.nown].dev, &l.own[l.nown].ino);
        l.nown++;
    }
    struct stat ob;
    if (a.out.output && l.nown > 0 && stat(a.out.output, &ob) == 0 && is_own(&l, &ob)) {
        cli_error("--state and -o name the same file");
        goto out;
    }
    if (cli_report_open(&r, &a.out, argv + first, (size_t)(argc - first)) != 0)
        goto out;
    if (r.fp != NULL) {
        struct stat sb;
        if (fstat(fileno(r.fp), &sb) == 0)
            l.own[l.nown++] = (own_file){.dev = sb.st_dev, .ino = sb.st_ino};
    }
    l.follow = a.follow_symlinks;
    l.quiet = a.out.quiet;
    l.lang = a.out.lang;
    l.stdin_name = a.stdin_name ? a.stdin_name : "stdin";
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
    size_t resumed = 0;
    for (size_t i = 0; state != NULL && i < ntodo; i++) {
        if (todo[i]->err == 0 && todo[i]->why == NULL && !todo[i]->is_stdin)
            todo[i]->rec = cli_state_find(state, todo[i]->path, &todo[i]->id);
        resumed += todo[i]->rec != NULL;
    }
    if (resumed > 0 && !a.out.quiet)
        cli_error(a.out.lang == TS_LANG_NB
                      ? "%zu av %zu filer er skannet før og uendret (%s): de rapporteres derfra"
                      : "%zu of %zu files were scanned before and are unchanged (%s): they are "
                        "reported from there",
                  resumed, ntodo, a.state);

    if (!a.out.quiet)
        warn_nothing_found(&a, l.n, ntodo);
    read_stdin(&in, todo, ntodo, ctx, &a);
    if (report_run(&run, &a, ctx, l.n, ntodo) != 0)
        goto out;
    if (cli_report_start(&r, &a.out, ctx) != 0)
        goto out;
    bool show = a.progress == 1 || (a.progress == -1 && !a.out.quiet && isatty(STDERR_FILENO) &&
                                    (r.fp != NULL || !isatty(STDOUT_FILENO)));
    if (a.out.quiet)
        show = false;

    /* workers scan ahead of the report by a bounded window, so memory stays flat */
    long jobs = a.jobs ? a.jobs : default_jobs();
    size_t nworkers = (size_t)jobs < ntodo ? (size_t)jobs : ntodo;
    /* the worker processes are forked before any thread starts */
    if (nworkers > 0) {
        if (cli_procs_start(&procs, ctx, nworkers, a.timeout, a.max_memory,
                            in.doc.name ? &in.doc : NULL) != 0)
            goto out;
        procs_up = true;
    }
    p.ctx = ctx;
    p.procs = &procs;
    p.in = &in;
    p.state = state;
    p.todo = todo;
    p.n = ntodo;
    p.window = (size_t)jobs * 4;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.room, NULL);
    pool_init = true;
    cli_report_on_stop(&r, stop_pool, &p);
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
    for (size_t i = 0; i < ntodo; i++) {
        pthread_mutex_lock(&p.mu);
        while (!todo[i]->done && !p.failed && !p.stopped)
            pthread_cond_wait(&p.ready, &p.mu);
        bool failed = p.failed && !todo[i]->done, stopped = p.stopped;
        pthread_mutex_unlock(&p.mu);
        if (stopped) {
            if (show)
                fputs("\r\033[K", stderr); /* the progress line gives way to what is said next */
            break;
        }
        if (failed || todo[i]->doc == NULL) {
            char shown[4096];
            ts_path_escape(todo[i]->path, shown, sizeof shown);
            cli_error("out of memory while scanning %s", shown);
            p.failed = true;
            break;
        }
        cli_report_doc(&r, &a.out, todo[i]->doc);
        progress(show, i + 1, ntodo, todo[i]->doc, a.out.show_secrets);
        ts_doc_free(todo[i]->doc);
        todo[i]->doc = NULL;
        pthread_mutex_lock(&p.mu);
        p.reported = i + 1;
        pthread_cond_broadcast(&p.room);
        pthread_mutex_unlock(&p.mu);
    }
    if (l.twice > 0 && !a.out.quiet)
        cli_error(a.out.lang == TS_LANG_NB
                      ? "%zu filer som symbolske lenker førte til en gang til, ble skannet bare "
                        "én gang"
                      : "%zu files that symbolic links led to a second time were scanned once",
                  l.twice);
    rc = cli_report_finish(&r, &a.out);
    if (rc >= 128) /* stopped by a signal */
        cli_stop_resume_note(a.state, a.out.lang);
    else if (rc != EXIT_USAGE && p.failed)
        rc = EXIT_UNREAD;
out:
    if (pool_init) {
        pthread_mutex_lock(&p.mu);
        p.next = p.n; /* no more work for anyone */
        pthread_cond_broadcast(&p.room);
        pthread_mutex_unlock(&p.mu);
    }
    for (size_t i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    cli_report_on_stop(&r, NULL, NULL); /* the pool and the workers go away next */
    if (procs_up)
        cli_procs_stop(&procs);
    cli_state_close(state);
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
    free(l.dirs);
    free(todo);
    free(threads);
    free(targs);
    cli_report_dispose(&r);
    cli_stdin_dispose(&in);
    ts_ctx_free(ctx);
    free(a.out.rules);
    free(a.ignores);
    free(a.baselines);
    return rc;
}

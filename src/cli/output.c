/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every report-writing command (scan, merge) shares: its options, the report and the verdict. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
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
    else if (strcmp(name, "fingerprint-key") == 0)
        a->fingerprint_key = arg;
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

/* ---- -o FILE: written beside, renamed into place ------------------------------------------ */

/* Say something in the report's language (the formats stay literals, so they are checked). */
#define SAY(a, en, nb, ...) cli_error((a)->lang == TS_LANG_NB ? nb : en, __VA_ARGS__)

static bool same_file(const struct stat *x, const struct stat *y)
{
    return x->st_dev == y->st_dev && x->st_ino == y->st_ino;
}

/* Is the existing file `tb` one of the inputs, a --rules file or the fingerprint key? */
static const char *input_named(const struct stat *tb, const cli_report_args *a, char *const *inputs,
                               size_t n)
{
    struct stat sb;
    for (size_t i = 0; i < n; i++)
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &sb) == 0 && same_file(&sb, tb))
            return inputs[i];
    for (size_t i = 0; i < a->nrules; i++)
        if (stat(a->rules[i], &sb) == 0 && same_file(&sb, tb))
            return a->rules[i];
    if (a->fingerprint_key && stat(a->fingerprint_key, &sb) == 0 && same_file(&sb, tb))
        return a->fingerprint_key;
    return NULL;
}

#define MAX_UP 1024 /* folders above the report's that are looked at */

/*
 * The folder `dirfd` and the folders above it, by device and inode ("..", up to the root), into
 * up[]; their number. A folder that cannot be opened ends the climb early: the resolved-path
 * comparison still covers it.
 */
static size_t folders_up(int dirfd, struct stat *up, size_t max)
{
    size_t n = 0;
    int cur = dup(dirfd);
    while (cur >= 0 && n < max && fstat(cur, &up[n]) == 0) {
        n++;
        int parent = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(cur);
        cur = parent;
        struct stat pb;
        if (cur >= 0 && (fstat(cur, &pb) != 0 || same_file(&pb, &up[n - 1])))
            break; /* the root is its own parent */
    }
    if (cur >= 0)
        close(cur);
    return n;
}

/* Is the resolved folder `dir` the resolved `top` or inside it? */
static bool path_inside(const char *dir, const char *top)
{
    size_t n = strlen(top);
    if (n > 0 && top[n - 1] == '/')
        n--; /* "/" itself */
    return strncmp(dir, top, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

/* The input folder that holds the report's folder (dirfd, named `dir`), or NULL. */
static const char *folder_holding(int dirfd, const char *dir, char *const *inputs, size_t n)
{
    struct stat *up = malloc(MAX_UP * sizeof(*up));
    size_t nup = up ? folders_up(dirfd, up, MAX_UP) : 0;
    char *real = realpath(dir, NULL);
    const char *hit = NULL;
    for (size_t i = 0; i < n && hit == NULL; i++) {
        struct stat sb;
        if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &sb) != 0 || !S_ISDIR(sb.st_mode))
            continue;
        for (size_t k = 0; k < nup && hit == NULL; k++)
            if (same_file(&sb, &up[k]))
                hit = inputs[i];
        char *top = hit == NULL && real != NULL ? realpath(inputs[i], NULL) : NULL;
        if (top != NULL && path_inside(real, top))
            hit = inputs[i];
        free(top);
    }
    free(real);
    free(up);
    return hit;
}

/* A temporary file beside the report: only the owner may read it (it may hold secrets). */
static int make_temp(cli_report *r)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char rnd[6];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
            return -1;
        char name[64];
        snprintf(name, sizeof name, ".tenderscan-%02x%02x%02x%02x%02x%02x.tmp", rnd[0], rnd[1],
                 rnd[2], rnd[3], rnd[4], rnd[5]);
        int fd = openat(r->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return -1;
        r->tmp = strdup(name);
        r->fp = r->tmp ? fdopen(fd, "w") : NULL;
        if (r->fp == NULL) {
            int err = errno;
            close(fd);
            unlinkat(r->dirfd, name, 0);
            free(r->tmp);
            r->tmp = NULL;
            errno = err;
            return -1;
        }
        return 0;
    }
    errno = EEXIST;
    return -1;
}

static int open_output(cli_report *r, const cli_report_args *a, char *const *inputs, size_t n)
{
    const char *slash = strrchr(a->output, '/');
    r->base = slash ? slash + 1 : a->output;
    if (*r->base == '\0' || strcmp(r->base, ".") == 0 || strcmp(r->base, "..") == 0) {
        SAY(a, "-o %s names a folder, not a file", "-o %s er en mappe, ikke en fil", a->output);
        return EXIT_USAGE;
    }
    char *dir = slash == NULL        ? strdup(".")
                : slash == a->output ? strdup("/")
                                     : strndup(a->output, (size_t)(slash - a->output));
    int rc = EXIT_USAGE;
    if (dir == NULL) {
        cli_error("out of memory");
        goto out;
    }
    r->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r->dirfd < 0) {
        SAY(a, "cannot write %s: %s", "kan ikke skrive %s: %s", a->output, strerror(errno));
        goto out;
    }
    struct stat tb;
    if (fstatat(r->dirfd, r->base, &tb, AT_SYMLINK_NOFOLLOW) == 0) {
        const char *in;
        if (S_ISLNK(tb.st_mode)) {
            SAY(a,
                "-o %s is a symbolic link: the report is never written through a link (give the "
                "file it points to)",
                "-o %s er en symbolsk lenke: rapporten skrives aldri gjennom en lenke (gi filen "
                "den peker på)",
                a->output);
            goto out;
        }
        if (!S_ISREG(tb.st_mode)) {
            SAY(a,
                "-o %s is not a regular file: the report is written to a new file and renamed "
                "into place (leave out -o to write to standard output)",
                "-o %s er ikke en vanlig fil: rapporten skrives til en ny fil som så får navnet "
                "(dropp -o for å skrive til standard ut)",
                a->output);
            goto out;
        }
        if ((in = input_named(&tb, a, inputs, n)) != NULL) {
            SAY(a, "-o %s is %s, which this run reads: the report would replace it",
                "-o %s er %s, som denne kjøringen leser: rapporten ville erstattet den", a->output,
                in);
            goto out;
        }
    }
    const char *folder = folder_holding(r->dirfd, dir, inputs, n);
    if (folder != NULL) {
        SAY(a, "-o %s lies inside the folder %s, which is scanned: write the report outside it",
            "-o %s ligger i mappen %s, som skannes: skriv rapporten utenfor den", a->output,
            folder);
        goto out;
    }
    if (make_temp(r) != 0) {
        SAY(a, "cannot write %s: %s", "kan ikke skrive %s: %s", a->output, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(dir);
    return rc;
}

int cli_report_open(cli_report *r, const cli_report_args *a, char *const *inputs, size_t n)
{
    *r = (cli_report){.dirfd = -1};
    if (cli_stop_start(&r->stop) != 0) {
        cli_error("could not start: %s", strerror(errno));
        return EXIT_USAGE;
    }
    return a->output == NULL ? 0 : open_output(r, a, inputs, n);
}

void cli_report_on_stop(cli_report *r, void (*fn)(void *payload), void *payload)
{
    cli_stop_on(r->stop, fn, payload);
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

/* Complete the -o file and rename it into place. false (errno) when it could not be. */
static bool put_in_place(cli_report *r)
{
    int fd = fileno(r->fp);
    bool ok = fsync(fd) == 0; /* the bytes are on disk before the name points at them */
    int err = errno;
    if (fclose(r->fp) != 0 && ok) {
        ok = false;
        err = errno;
    }
    r->fp = NULL;
    if (ok && renameat(r->dirfd, r->tmp, r->dirfd, r->base) != 0) {
        ok = false;
        err = errno;
    }
    if (ok) {
        free(r->tmp);
        r->tmp = NULL;
        fsync(r->dirfd); /* and the name survives a crash */
    }
    errno = err;
    return ok;
}

int cli_report_finish(cli_report *r, const cli_report_args *a)
{
    bool nb = a->lang == TS_LANG_NB;
    int sig = cli_stop_signal(r->stop);
    if (sig != 0) {
        fflush(stdout);
        if (a->output)
            cli_error(nb ? "stoppet (%s): rapporten ble ikke skrevet, og %s er som den var"
                         : "stopped (%s): the report was not written, and %s was left as it was",
                      sig == SIGINT ? "SIGINT" : "SIGTERM", a->output);
        else
            cli_error(nb ? "stoppet (%s): rapporten er ufullstendig"
                         : "stopped (%s): the report is incomplete",
                      sig == SIGINT ? "SIGINT" : "SIGTERM");
        return 128 + sig;
    }
    if (ts_report_end(r->rep) != TS_OK || fflush(r->fp ? r->fp : stdout) != 0)
        r->io_error = true;
    if (!r->io_error && r->fp != NULL && !put_in_place(r)) {
        cli_error(nb ? "kan ikke skrive %s: %s" : "cannot write %s: %s", a->output,
                  strerror(errno));
        r->io_error = true;
    }
    if (r->io_error) {
        if (a->output)
            cli_error(nb ? "rapporten kunne ikke skrives helt, og %s er som den var"
                         : "the report could not be written completely, and %s was left as it was",
                      a->output);
        else
            cli_error(nb ? "rapporten kunne ikke skrives helt"
                         : "the report could not be written completely");
        return EXIT_USAGE;
    }
    if (a->output && !a->quiet)
        fprintf(stderr, nb ? "Rapporten er skrevet til %s\n" : "The report was written to %s\n",
                a->output);
    return r->any_error ? EXIT_UNREAD : r->any_fail ? EXIT_FOUND : EXIT_CLEAN;
}

void cli_report_dispose(cli_report *r)
{
    ts_report_free(r->rep);
    ts_out_free(r->sink);
    if (r->fp)
        fclose(r->fp);
    if (r->tmp != NULL)
        unlinkat(r->dirfd, r->tmp, 0); /* failed or stopped: the earlier report stays */
    free(r->tmp);
    if (r->base != NULL && r->dirfd >= 0) /* base: opened, so dirfd is a folder or -1 */
        close(r->dirfd);
    cli_stop_end(r->stop);
    *r = (cli_report){.dirfd = -1};
}

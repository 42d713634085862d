/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operands of `scan`: paths that must exist, and `-`, one document from standard input. */
#include "inputs.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_inputs_check(char *const *paths, size_t n, bool stdin_name_given, ts_lang lang)
{
    bool nb = lang == TS_LANG_NB;
    size_t nstdin = 0, missing = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") == 0) {
            nstdin++;
            continue;
        }
        /* EACCES, ELOOP …: it is there but cannot be read, which the report says per file */
        if (stat(paths[i], &sb) == 0 || (errno != ENOENT && errno != ENOTDIR))
            continue;
        missing++;
        bool link = lstat(paths[i], &sb) == 0 && S_ISLNK(sb.st_mode);
        if (nb)
            cli_error("%s: finnes ikke%s", paths[i],
                      link ? " (en symbolsk lenke til noe som ikke finnes)" : "");
        else
            cli_error("%s: does not exist%s", paths[i],
                      link ? " (a symbolic link to nothing)" : "");
    }
    if (missing > 0)
        cli_error(nb ? "%zu av %zu stier finnes ikke: ingenting er skannet (rett dem eller ta dem "
                       "bort)"
                  : missing == 1 ? "%zu of %zu paths does not exist: nothing was scanned "
                                   "(correct it or leave it out)"
                                 : "%zu of %zu paths do not exist: nothing was scanned "
                                   "(correct them or leave them out)",
                  missing, n);
    if (nstdin > 1)
        cli_error(nb ? "- (standard inn) kan bare gis én gang"
                     : "- (standard input) can be given only once");
    if (stdin_name_given && nstdin == 0)
        cli_error(nb ? "--stdin-name hører sammen med - (standard inn)"
                     : "--stdin-name goes with - (standard input)");
    return missing > 0 || nstdin > 1 || (stdin_name_given && nstdin == 0) ? EXIT_USAGE : 0;
}

static void fail(cli_stdin *s, ts_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(cli_stdin *s, ts_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
    s->fail = st;
}

/* A file of our own, 0600, whose name is gone before a byte is written to it. -1 (errno). */
static int spool_open(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/tenderscan-stdin-XXXXXX", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(path); /* O_EXCL, mode 0600 */
    if (fd >= 0 && unlink(path) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

void cli_stdin_read(cli_stdin *s, const char *name, uint64_t max_bytes, bool quiet, ts_lang lang)
{
    *s = (cli_stdin){.doc = {.name = name}};
    if (!quiet && isatty(STDIN_FILENO))
        fputs(lang == TS_LANG_NB ? "Leser dokumentet fra standard inn (avslutt med Ctrl-D) …\n"
                                 : "Reading the document from standard input (end it with "
                                   "Ctrl-D) …\n",
              stderr);
    int fd = spool_open();
    if (fd < 0) {
        fail(s, TS_EIO, "no private temporary file could be made for standard input: %s",
             strerror(errno));
        return;
    }
    char buf[65536];
    uint64_t total = 0;
    for (;;) {
        ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
        if (r < 0 && errno == EAGAIN) { /* a non-blocking standard input: wait for it */
            struct pollfd pf = {.fd = STDIN_FILENO, .events = POLLIN};
            poll(&pf, 1, -1);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fail(s, TS_EIO, "standard input could not be read: %s", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        total += (uint64_t)r;
        if (total > max_bytes) {
            fail(s, TS_ELIMIT, "larger than the limit of %llu bytes",
                 (unsigned long long)max_bytes);
            goto out;
        }
        if (!write_all(fd, buf, (size_t)r)) {
            fail(s, TS_EIO, "standard input could not be kept in a temporary file: %s",
                 strerror(errno));
            goto out;
        }
    }
    if (total > 0) {
        void *map = mmap(NULL, (size_t)total, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            fail(s, TS_EIO, "the copy of standard input could not be mapped: %s", strerror(errno));
            goto out;
        }
        s->map = map;
        s->maplen = (size_t)total;
    }
    s->doc.data = s->map;
    s->doc.len = (size_t)total;
out:
    close(fd); /* the mapping keeps the bytes; the file goes with it */
}

void cli_stdin_dispose(cli_stdin *s)
{
    if (s->map != NULL)
        munmap(s->map, s->maplen);
    *s = (cli_stdin){0};
}

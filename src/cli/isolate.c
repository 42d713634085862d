/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Worker processes: a document that crashes or hangs a reader costs that document, not the run. */
#include "isolate.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cli.h"

#define MAX_PATH_BYTES (1u << 20)
#define MEM_REQUEST UINT32_MAX /* instead of a path's length: scan the in-memory document */

static bool send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read n bytes before `deadline` (0 = none): 1 done, 0 end of stream or error, -1 time is up. */
static int recv_all(int fd, void *buf, size_t n, double deadline)
{
    char *p = buf;
    while (n > 0) {
        int wait = -1;
        if (deadline > 0) {
            double left = deadline - now();
            if (left <= 0)
                return -1;
            wait = left > 3600 ? 3600000 : (int)(left * 1000) + 1;
        }
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int r = poll(&pf, 1, wait);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return 0;
        if (r == 0)
            continue; /* the deadline is checked above */
        ssize_t got = recv(fd, p, n, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (got <= 0)
            return 0;
        p += got;
        n -= (size_t)got;
    }
    return 1;
}

/* The worker: read a path, scan it, answer {status, length} and the document (ts_doc_dump). */
static void child_loop(const cli_procs *ps, int fd)
{
    for (;;) {
        uint32_t n = 0;
        if (recv_all(fd, &n, sizeof n, 0) != 1 || n == 0 ||
            (n > MAX_PATH_BYTES && !(n == MEM_REQUEST && ps->mem != NULL)))
            _exit(0);
        char *path = n == MEM_REQUEST ? NULL : malloc((size_t)n + 1);
        if (n != MEM_REQUEST && (path == NULL || recv_all(fd, path, n, 0) != 1))
            _exit(1);
        if (path != NULL)
            path[n] = '\0';
        ts_doc *doc = NULL;
        ts_out *mem = NULL;
        const char *json = NULL;
        size_t len = 0;
        /* standard input is read here, in the worker, like any file: hostile bytes cost a worker */
        ts_status st = path != NULL ? ts_scan_file(&doc, ps->ctx, path)
                                    : ts_scan_buffer(&doc, ps->ctx, ps->mem->name, ps->mem->data,
                                                     ps->mem->len);
        if (st == TS_OK)
            st = ts_out_new_memory(&mem);
        if (st == TS_OK)
            st = ts_doc_dump(doc, mem); /* unmasked: the parent masks when it reports */
        if (st == TS_OK)
            json = ts_out_memory(mem, &len);
        uint64_t hdr[2] = {(uint64_t)(int64_t)st, json ? (uint64_t)len : 0};
        bool ok = send_all(fd, hdr, sizeof hdr) && (hdr[1] == 0 || send_all(fd, json, len));
        ts_out_free(mem);
        ts_doc_free(doc);
        free(path);
        if (!ok)
            _exit(1);
    }
}

static int spawn(cli_procs *ps, size_t i)
{
    int sv[2];
    pthread_mutex_lock(&ps->mu);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        pthread_mutex_unlock(&ps->mu);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        /* no other worker's socket stays open here: a worker's end must close when it dies */
        for (size_t k = 0; k < ps->n; k++)
            if (ps->v[k].fd >= 0)
                close(ps->v[k].fd);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
#else
        (void)parent;
#endif
        child_loop(ps, sv[1]);
        _exit(0);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        pthread_mutex_unlock(&ps->mu);
        return -1;
    }
    ps->v[i] = (cli_proc){.pid = pid, .fd = sv[0]};
    pthread_mutex_unlock(&ps->mu);
    return 0;
}

/* Close worker i's socket and wait for it; its wait status. */
static int reap(cli_procs *ps, size_t i)
{
    int status = 0;
    pthread_mutex_lock(&ps->mu);
    cli_proc w = ps->v[i];
    ps->v[i] = (cli_proc){.pid = 0, .fd = -1};
    pthread_mutex_unlock(&ps->mu);
    if (w.fd >= 0)
        close(w.fd);
    if (w.pid > 0)
        while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR)
            ;
    return status;
}

int cli_procs_start(cli_procs *ps, const ts_ctx *ctx, size_t n, double timeout,
                    const cli_memdoc *mem)
{
    *ps = (cli_procs){.ctx = ctx, .timeout = timeout, .mem = mem};
    ps->v = calloc(n ? n : 1, sizeof(*ps->v));
    if (ps->v == NULL || pthread_mutex_init(&ps->mu, NULL) != 0) {
        free(ps->v);
        ps->v = NULL;
        cli_error("out of memory");
        return -1;
    }
    ps->n = n;
    for (size_t i = 0; i < n; i++)
        ps->v[i] = (cli_proc){.pid = 0, .fd = -1};
    for (size_t i = 0; i < n; i++) {
        if (spawn(ps, i) != 0) {
            cli_error("could not start a worker process: %s", strerror(errno));
            cli_procs_stop(ps);
            return -1;
        }
    }
    return 0;
}

/* The file's name is still scanned, so a password in it is masked in the report. */
static ts_status failed(const cli_procs *ps, ts_doc **out, const char *path, ts_status why,
                        const char *detail)
{
    return ts_scan_unread(out, ps->ctx, path, why, detail);
}

/* Hand worker i a path (or, when `path` is NULL, the in-memory document); `name` names it. */
static ts_status scan_in(cli_procs *ps, size_t i, const char *path, const char *name, ts_doc **out)
{
    char msg[256];
    size_t plen = path ? strlen(path) : 0;
    *out = NULL;
    if (path != NULL && (plen == 0 || plen > MAX_PATH_BYTES))
        return failed(ps, out, path, TS_EIO, "the path is too long");
    /* a worker that died between documents is replaced once */
    bool sent = false;
    for (int attempt = 0; attempt < 2 && !sent; attempt++) {
        if (ps->v[i].pid == 0 && spawn(ps, i) != 0) {
            snprintf(msg, sizeof msg, "no worker process could be started: %s", strerror(errno));
            return failed(ps, out, name, TS_EIO, msg);
        }
        uint32_t n = path ? (uint32_t)plen : MEM_REQUEST;
        sent = send_all(ps->v[i].fd, &n, sizeof n) &&
               (path == NULL || send_all(ps->v[i].fd, path, plen));
        if (!sent)
            reap(ps, i);
    }
    if (!sent)
        return failed(ps, out, name, TS_EIO, "the worker process stopped before it got the file");
    double deadline = ps->timeout > 0 ? now() + ps->timeout : 0;
    uint64_t hdr[2];
    int r = recv_all(ps->v[i].fd, hdr, sizeof hdr, deadline);
    char *json = NULL;
    if (r == 1 && hdr[1] > 0) {
        json = hdr[1] < ((uint64_t)1 << 40) ? malloc((size_t)hdr[1] + 1) : NULL;
        if (json == NULL) {
            reap(ps, i);
            return TS_ENOMEM;
        }
        r = recv_all(ps->v[i].fd, json, (size_t)hdr[1], deadline);
        json[hdr[1]] = '\0';
    }
    if (r == -1) {
        kill(ps->v[i].pid, SIGKILL);
        reap(ps, i);
        free(json);
        snprintf(msg, sizeof msg,
                 "scanning took longer than %g seconds and was stopped (--timeout); the rest of "
                 "the run went on",
                 ps->timeout);
        return failed(ps, out, name, TS_ELIMIT, msg);
    }
    if (r == 0) {
        int status = reap(ps, i);
        free(json);
        if (WIFSIGNALED(status))
            snprintf(msg, sizeof msg,
                     "a reader crashed on this file (signal %d, %s): it was not scanned; the rest "
                     "of the run went on",
                     WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            snprintf(msg, sizeof msg,
                     "a reader crashed on this file (the worker stopped with exit code %d): it was "
                     "not scanned; the rest of the run went on",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return failed(ps, out, name, TS_ECORRUPT, msg);
    }
    ts_status st = (ts_status)(int64_t)hdr[0];
    if (st != TS_OK || json == NULL) {
        free(json);
        return st != TS_OK ? st : TS_ENOMEM;
    }
    st = ts_doc_load(out, ps->ctx, json, (size_t)hdr[1]);
    free(json);
    if (st == TS_ENOMEM)
        return st;
    if (st != TS_OK) {
        ts_doc_free(*out);
        *out = NULL;
        return failed(ps, out, name, TS_ECORRUPT, "the worker's result could not be read back");
    }
    return TS_OK;
}

ts_status cli_procs_scan(cli_procs *ps, size_t i, const char *path, ts_doc **out)
{
    return scan_in(ps, i, path, path, out);
}

ts_status cli_procs_scan_mem(cli_procs *ps, size_t i, ts_doc **out)
{
    *out = NULL;
    if (ps->mem == NULL)
        return TS_EINVAL;
    return scan_in(ps, i, NULL, ps->mem->name, out);
}

void cli_procs_stop(cli_procs *ps)
{
    if (ps->v == NULL)
        return;
    for (size_t i = 0; i < ps->n; i++)
        reap(ps, i);
    pthread_mutex_destroy(&ps->mu);
    free(ps->v);
    ps->v = NULL;
}

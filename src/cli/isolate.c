/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Worker processes: a document that crashes or hangs a reader costs that document, not the run. */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cli.h"

#define MAX_PATH_BYTES (1u << 20)
#define MEM_REQUEST UINT32_MAX /* instead of a path's length: scan the in-memory document */

/*
 * AddressSanitizer reserves terabytes of address space for its shadow and allocator at start,
 * and maps into that reservation afterwards: RLIMIT_AS cannot bound such a process, so a build
 * with it runs its workers without the memory bound (and says so when --max-memory is given).
 */
#if defined(__SANITIZE_ADDRESS__)
#define TS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_ASAN 1
#endif
#endif
#ifndef TS_ASAN
#define TS_ASAN 0
#endif

/* A worker's exit status when a reader died of an allocation that failed (see on_fatal). */
#define EXIT_WORKER_NOMEM 99
/* Headroom under the address-space limit in which a crash counts as running out of memory. */
#define NEAR_LIMIT (16u << 20)

/* ---- limits of a worker process ----------------------------------------------------------- */

/*
 * The signal handler of a worker can reach nothing but statics: the address-space limit for the
 * document being read, and the page size. They are written only in the worker process, before
 * the document is read, and are not shared with anything (the parent never touches them).
 */
static uint64_t g_as_limit;
static uint64_t g_page_size;

/* Bytes of address space this process has mapped (Linux: /proc/self/statm), 0 when unknown.
 * Only async-signal-safe calls: on_fatal uses it. */
static uint64_t mapped_now(void)
{
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    uint64_t pages = 0;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9' && pages < (UINT64_MAX >> 8); i++)
        pages = pages * 10 + (uint64_t)(buf[i] - '0');
    return pages * g_page_size;
}

/*
 * A reader that gets NULL from an allocation often aborts (poppler's gmalloc, GLib's g_malloc,
 * C++'s std::bad_alloc) or crashes on the NULL: a fatal signal with errno still ENOMEM, or with
 * the process at its address-space limit, is reported as running out of memory, not as a crash.
 */
static void on_fatal(int sig)
{
    int e = errno;
    if (e == ENOMEM || (g_as_limit > 0 && mapped_now() + NEAR_LIMIT >= g_as_limit))
        _exit(EXIT_WORKER_NOMEM);
    raise(sig); /* SA_RESETHAND | SA_NODEFER: the default action, a death by this signal */
}

/* Processor time a document may use: the wall-clock limit and a margin, so that a worker that
 * spins dies even when the parent's watchdog does not (a parent stopped in a debugger, say). */
static rlim_t cpu_budget(double timeout)
{
    return (rlim_t)(timeout * 1.25) + 5;
}

/* Once per worker: no core files (a crash on a hostile file is expected, and a core of a
 * gigabyte in the user's folder is not), and the handler that tells memory deaths apart. */
static void worker_init(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    long page = sysconf(_SC_PAGESIZE);
    g_page_size = page > 0 ? (uint64_t)page : 4096;
    if (TS_ASAN)
        return; /* its own handlers report crashes */
    static const int fatal[] = {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
}

/* A soft limit `want`, capped by the hard limit (which is left alone, so the next document
 * may be given more). */
static void soft_limit(int what, uint64_t want)
{
    struct rlimit rl;
    if (getrlimit(what, &rl) != 0)
        return;
    if (rl.rlim_max != RLIM_INFINITY && want > (uint64_t)rl.rlim_max)
        want = (uint64_t)rl.rlim_max;
    rl.rlim_cur = (rlim_t)want;
    setrlimit(what, &rl);
}

/*
 * Before each document: processor time used so far plus its budget, and address space mapped
 * so far (program, libraries, heap kept from earlier documents) plus the file, which is mapped
 * whole, plus --max-memory. So the bound is what one document may add, whatever the program's
 * own size, and a file near max_file_bytes still fits.
 */
static void limit_document(const cli_procs *ps, const char *path)
{
    if (ps->timeout > 0) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            soft_limit(RLIMIT_CPU, (uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec + 1 +
                                       cpu_budget(ps->timeout));
    }
    g_as_limit = 0;
    if (ps->max_memory > 0 && !TS_ASAN) {
        struct stat sb;
        /* the in-memory document (path NULL) is mapped already: mapped_now() counts it */
        uint64_t file = path != NULL && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
                            ? (uint64_t)sb.st_size
                            : 0;
        uint64_t want = mapped_now();
        want = want > UINT64_MAX - file ? UINT64_MAX : want + file;
        want = want > UINT64_MAX - ps->max_memory ? UINT64_MAX : want + ps->max_memory;
        g_as_limit = want;
        soft_limit(RLIMIT_AS, want);
    }
    errno = 0; /* on_fatal reads it */
}

bool cli_procs_bound_memory(void)
{
    return !TS_ASAN;
}

/* "1 GiB", "512 MiB", "1536 KiB", "1000000 bytes": the size as the user will recognise it. */
static void human_size(char *buf, size_t size, uint64_t n)
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < 3; i++) {
        uint64_t u = 1ull << (10 * (3 - i));
        if (n >= u && n % u == 0) {
            snprintf(buf, size, "%llu %s", (unsigned long long)(n / u), units[i]);
            return;
        }
    }
    snprintf(buf, size, "%llu bytes", (unsigned long long)n);
}

int cli_procs_parse_memory(const char *arg, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(arg, &end, 10);
    uint64_t unit = 1;
    if (end != arg && *end) {
        const char *u = "KMGT", *at = strchr(u, end[0] & ~0x20);
        if (at != NULL) {
            unit = 1ull << (10 * (at - u + 1));
            end++;
            if ((end[0] == 'i' || end[0] == 'I') && (end[1] == 'B' || end[1] == 'b'))
                end += 2;
            else if (end[0] == 'B' || end[0] == 'b')
                end++;
        }
    }
    if (errno || end == arg || *end || arg[0] == '-' || n > (1ull << 50) / unit ||
        (n > 0 && n * unit < (1u << 20))) {
        cli_error("--max-memory takes a size such as 512M or 2G (at least 1M; 0: no limit), not "
                  "'%s'",
                  arg);
        return -1;
    }
    *out = (uint64_t)n * unit;
    if (*out > 0 && !cli_procs_bound_memory())
        cli_error("note: this build has AddressSanitizer, which reserves terabytes of address "
                  "space: --max-memory is not applied (workers still stop at --timeout)");
    return 0;
}

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
        limit_document(ps, path);
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
        if (st == TS_ENOMEM)
            _exit(0); /* a heap that ran dry may be in pieces: the next document gets a new one */
    }
}

/*
 * Fork worker i. At start no other thread runs yet; a worker started again later is forked from
 * a process whose pool threads run. glibc's malloc and stdio have fork handlers, so a Release
 * build is safe; GCC 12's AddressSanitizer has none for its allocator's locks, and a worker
 * forked while another thread held one can hang on its next document (seen in about 1 run in
 * 50 of the stress sweep, as a timeout). The cure, not built yet: fork every worker from a
 * single-threaded zygote made at start.
 */
static int spawn(cli_procs *ps, size_t i)
{
    int sv[2];
    pthread_mutex_lock(&ps->mu);
    if (ps->cancelled) {
        pthread_mutex_unlock(&ps->mu);
        errno = ECANCELED;
        return -1;
    }
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
        /*
         * Standard output is where the parent writes the report: what a library prints there
         * from a worker (libgsf hex-dumped unknown property sets with g_print) would land in the
         * middle of it. A worker talks to the parent through its socket only; standard error
         * stays, for the sanitizers' reports and the libraries' warnings.
         */
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
            _exit(1);
        if (null != STDOUT_FILENO)
            close(null);
        worker_init();
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
                    uint64_t max_memory, const cli_memdoc *mem)
{
    *ps = (cli_procs){.ctx = ctx, .timeout = timeout, .max_memory = max_memory, .mem = mem};
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

/* Why a worker did not hand back its document. */
enum stop {
    STOP_TIMEOUT,
    STOP_MEMORY,
    STOP_NOMEM,
    STOP_CPU,
    STOP_KILLED,
    STOP_SIGNAL,
    STOP_EXIT,
    STOP_COUNT
};

/*
 * Per reason: the status, whether the file's format may be sniffed in this process (not after a
 * crash: the sniffing itself might be what crashed), and the reason in en and nb, printf
 * templates taking the argument named in the comment.
 */
static const struct {
    ts_status st;
    bool sniff;
    const char *text[2];
} stops[STOP_COUNT] = {
    [STOP_TIMEOUT] = {TS_ELIMIT,
                      true, /* %g seconds */
                      {"scanning took longer than %g seconds and was stopped (--timeout): the "
                       "file may be crafted to hang a reader; the rest of the run went on",
                       "skanningen tok lenger enn %g sekunder og ble stoppet (--timeout): filen "
                       "kan være laget for å henge en leser; resten av kjøringen fortsatte"}},
    [STOP_MEMORY] = {TS_ELIMIT,
                     true, /* %s size */
                     {"reading it used more than %s of memory and was stopped (--max-memory): "
                      "the file may be crafted to exhaust memory; the rest of the run went on",
                      "lesingen brukte mer enn %s minne og ble stoppet (--max-memory): filen kan "
                      "være laget for å bruke opp minnet; resten av kjøringen fortsatte"}},
    [STOP_NOMEM] = {TS_ELIMIT,
                    true,
                    {"reading it ran out of memory and was stopped: the file may be crafted to "
                     "exhaust memory; the rest of the run went on",
                     "lesingen gikk tom for minne og ble stoppet: filen kan være laget for å "
                     "bruke opp minnet; resten av kjøringen fortsatte"}},
    [STOP_CPU] = {TS_ELIMIT,
                  true, /* %lu seconds */
                  {"reading it used more than %lu seconds of processor time and was stopped: the "
                   "file may be crafted to hang a reader; the rest of the run went on",
                   "lesingen brukte mer enn %lu sekunder prosessortid og ble stoppet: filen kan "
                   "være laget for å henge en leser; resten av kjøringen fortsatte"}},
    [STOP_KILLED] = {TS_ELIMIT,
                     false,
                     {"the worker reading it was killed from outside (signal 9), most likely by "
                      "the system because memory ran out: it was not scanned; the rest of the "
                      "run went on",
                      "prosessen som leste den ble drept utenfra (signal 9), trolig av systemet "
                      "fordi minnet tok slutt: den ble ikke skannet; resten av kjøringen "
                      "fortsatte"}},
    [STOP_SIGNAL] = {TS_ECORRUPT,
                     false, /* %d signal, %s its name */
                     {"a reader crashed on this file (signal %d, %s): it was not scanned; the rest "
                      "of the run went on",
                      "en leser krasjet på denne filen (signal %d, %s): den ble ikke skannet; "
                      "resten av kjøringen fortsatte"}},
    [STOP_EXIT] = {TS_ECORRUPT,
                   false, /* %d exit code */
                   {"a reader crashed on this file (the worker stopped with exit code %d): it was "
                    "not scanned; the rest of the run went on",
                    "en leser krasjet på denne filen (prosessen stoppet med kode %d): den ble ikke "
                    "skannet; resten av kjøringen fortsatte"}},
};

/* The document of a file a worker gave up on, with what the file itself still tells. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* the templates of `stops` */
static ts_status stopped(const cli_procs *ps, const char *name, const char *path, enum stop why,
                         ts_doc **out, ...)
{
    char text[2][512];
    for (int k = 0; k < 2; k++) {
        va_list ap;
        va_start(ap, out);
        vsnprintf(text[k], sizeof text[k], stops[why].text[k], ap);
        va_end(ap);
    }
    return ts_doc_new_unfinished(out, ps->ctx, name, path, stops[why].st, text[0], text[1],
                                 stops[why].sniff);
}
#pragma GCC diagnostic pop

/* A worker that ran out of memory: over --max-memory, or (no bound in force) of the machine's. */
static ts_status out_of_memory(const cli_procs *ps, const char *name, const char *path,
                               ts_doc **out)
{
    if (ps->max_memory == 0 || !cli_procs_bound_memory())
        return stopped(ps, name, path, STOP_NOMEM, out);
    char size[64];
    human_size(size, sizeof size, ps->max_memory);
    return stopped(ps, name, path, STOP_MEMORY, out, size);
}

/* The document of a worker that died with `status` (its wait status) while reading `path`. */
static ts_status died(const cli_procs *ps, const char *name, const char *path, int status,
                      ts_doc **out)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_WORKER_NOMEM)
        return out_of_memory(ps, name, path, out);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        return stopped(ps, name, path, STOP_CPU, out, (unsigned long)cpu_budget(ps->timeout));
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        return stopped(ps, name, path, STOP_KILLED, out);
    if (WIFSIGNALED(status))
        return stopped(ps, name, path, STOP_SIGNAL, out, WTERMSIG(status), strsignal(WTERMSIG(status)));
    return stopped(ps, name, path, STOP_EXIT, out, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
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
        free(json);
        /* a worker that died while time ran out (stopped at its processor time, say) died of
         * that: it is reaped here, and reap() must then not wait for its pid again */
        int status = 0;
        pid_t pid = ps->v[i].pid;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            pthread_mutex_lock(&ps->mu);
            ps->v[i].pid = 0;
            pthread_mutex_unlock(&ps->mu);
            reap(ps, i);
            return died(ps, name, path, status, out);
        }
        kill(pid, SIGKILL);
        reap(ps, i);
        return stopped(ps, name, path, STOP_TIMEOUT, out, ps->timeout);
    }
    if (r == 0) {
        int status = reap(ps, i);
        free(json);
        return died(ps, name, path, status, out);
    }
    ts_status st = (ts_status)(int64_t)hdr[0];
    if (st == TS_ENOMEM) { /* the worker's own memory, not ours: it stops after saying so */
        free(json);
        return out_of_memory(ps, name, path, out);
    }
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

void cli_procs_cancel(cli_procs *ps)
{
    if (ps->v == NULL)
        return;
    pthread_mutex_lock(&ps->mu);
    ps->cancelled = true;
    /* under the lock: reap() clears a pid before waiting for it, so no pid here is reused */
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].pid > 0)
            kill(ps->v[i].pid, SIGKILL);
    pthread_mutex_unlock(&ps->mu);
}

bool cli_procs_cancelled(cli_procs *ps)
{
    if (ps->v == NULL)
        return false;
    pthread_mutex_lock(&ps->mu);
    bool c = ps->cancelled;
    pthread_mutex_unlock(&ps->mu);
    return c;
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `scan --state FILE`: a batch that was stopped goes on where it stopped (DESIGN §6). */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "cli.h"

#define STATE_MAGIC "tenderscan-state"
#define MAX_HEADER 4096             /* bytes of the header line */
#define MAX_KEY (128u << 10)        /* bytes of a record's key (mostly its path) */
#define MAX_DOC ((uint64_t)1 << 30) /* bytes of one document's line */

struct cli_state_rec {
    char *path;
    cli_state_id id;
    uint64_t off;  /* where DOC starts in the file */
    size_t len;    /* bytes of DOC, without its newline */
    char check[9]; /* doc_check of DOC */
};

struct cli_state {
    char *path; /* as given, for messages */
    int fd;     /* read and append */
    dev_t dev;
    ino_t ino;
    const ts_ctx *ctx;
    bool quiet;
    ts_lang lang;
    cli_state_rec *recs; /* sorted by path, one per path (the last one written) */
    size_t nrecs;
    pthread_mutex_t mu; /* guards what follows */
    uint64_t end;       /* size of the file: where the next record goes */
    size_t damaged;     /* records skipped because they could not be read */
    bool write_failed;  /* said once; nothing more is written */
};

cli_state_id cli_state_id_of(const struct stat *sb)
{
    return (cli_state_id){
        .size = (uint64_t)sb->st_size,
        .mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + (int64_t)sb->st_mtim.tv_nsec,
        .ino = (uint64_t)sb->st_ino,
    };
}

/* The check of a record's DOC: CRC-32 as 8 hex digits (damage on disk, not an attacker: the file
 * is the user's own). */
static void doc_check(const char *doc, size_t len, char out[9])
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (len > 0) {
        uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
        crc = crc32(crc, (const Bytef *)doc, n);
        doc += n;
        len -= n;
    }
    snprintf(out, 9, "%08lx", (unsigned long)crc & 0xffffffffUL);
}

/* Say why the file is not used (`en`, `nb`: what is wrong with it); it is started afresh. */
static void note(const cli_state *s, const char *en, const char *nb)
{
    if (s->quiet)
        return;
    if (s->lang == TS_LANG_NB)
        cli_error("tilstandsfilen %s %s: den startes på nytt og alle filene skannes", s->path, nb);
    else
        cli_error("the state file %s %s: it is started afresh and every file is scanned", s->path,
                  en);
}

/* ---- reading the file once, front to back ------------------------------------------------ */

typedef struct reader {
    int fd;
    char buf[1 << 16];
    size_t pos, end;
    uint64_t off; /* file offset of buf[pos] */
    bool eof, err;
} reader;

static bool fill(reader *r)
{
    if (r->pos < r->end)
        return true;
    if (r->eof || r->err)
        return false;
    ssize_t n;
    do
        n = read(r->fd, r->buf, sizeof r->buf);
    while (n < 0 && errno == EINTR);
    r->pos = 0;
    r->end = n > 0 ? (size_t)n : 0;
    r->err = n < 0;
    r->eof = n == 0;
    return n > 0;
}

/*
 * Read up to and without the next `stop` byte or newline into buf (at most cap bytes kept, all
 * counted in *len); stop < 0 reads to the newline. Returns the byte that ended it, or -1 at the
 * end of the file.
 */
static int read_until(reader *r, int stop, char *buf, size_t cap, uint64_t *len)
{
    *len = 0;
    while (fill(r)) {
        const unsigned char *p = (const unsigned char *)r->buf + r->pos;
        size_t n = r->end - r->pos, k = 0;
        if (stop < 0) {
            const unsigned char *nl = memchr(p, '\n', n);
            k = nl ? (size_t)(nl - p) : n;
        } else {
            while (k < n && p[k] != '\n' && p[k] != stop)
                k++;
        }
        if (buf != NULL && *len < cap)
            memcpy(buf + *len, p, k < cap - *len ? k : (size_t)(cap - *len));
        *len += k;
        r->pos += k;
        r->off += k;
        if (k < n) {
            r->pos++;
            r->off++;
            return p[k];
        }
    }
    return -1;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The header this run writes; NULL when out of memory. Caller frees. */
static char *header_line(const ts_ctx *ctx, double timeout, uint64_t max_memory)
{
    char digest[65];
    if (ts_ctx_digest(ctx, digest) != TS_OK)
        return NULL;
    json_t *h = json_pack("{s:i,s:s,s:s,s:f,s:I}", STATE_MAGIC, 1, "version", TS_VERSION, "rules",
                          digest, "timeout", timeout, "max_memory", (json_int_t)max_memory);
    char *line = h ? json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(h);
    return line;
}

static void note_not_ours(const cli_state *s)
{
    note(s, "was not written by this program or is damaged",
         "er ikke skrevet av dette programmet eller er skadet");
}

/* 0 when the file's header is this run's, else -1 after a note saying why it is not used. */
static int check_header(cli_state *s, const char *have, size_t len, const char *want)
{
    if (strlen(want) == len && memcmp(have, want, len) == 0)
        return 0;
    json_t *h = json_loadb(have, len, 0, NULL);
    json_t *w = json_loads(want, 0, NULL);
    const char *hv = json_string_value(json_object_get(h, "version"));
    const char *hr = json_string_value(json_object_get(h, "rules"));
    const char *wr = json_string_value(json_object_get(w, "rules"));
    if (hv == NULL || hr == NULL || wr == NULL ||
        json_integer_value(json_object_get(h, STATE_MAGIC)) != 1)
        note_not_ours(s);
    else if (strcmp(hv, TS_VERSION) != 0)
        note(s, "was written by another version of tenderscan",
             "er skrevet av en annen versjon av tenderscan");
    else if (strcmp(hr, wr) != 0)
        note(s, "was written with other rules, --ignore files or limits",
             "er skrevet med andre regler, --ignore-filer eller grenser");
    else
        note(s, "was written with another --timeout or --max-memory",
             "er skrevet med en annen --timeout eller --max-memory");
    json_decref(h);
    json_decref(w);
    return -1;
}

static int hex_digit(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A path as hex digits (paths are bytes, JSON strings are UTF-8); NULL when out of memory. */
static char *hex_path(const char *path)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(path);
    char *h = malloc(2 * n + 1);
    for (size_t i = 0; h != NULL && i < n; i++) {
        h[2 * i] = hex[(unsigned char)path[i] >> 4];
        h[2 * i + 1] = hex[(unsigned char)path[i] & 15];
    }
    if (h != NULL)
        h[2 * n] = '\0';
    return h;
}

/* The path back from hex digits; NULL when they are not a path (or out of memory). */
static char *unhex_path(const char *h, size_t n)
{
    if (n == 0 || n % 2 != 0)
        return NULL;
    char *p = malloc(n / 2 + 1);
    for (size_t i = 0; p != NULL && i < n / 2; i++) {
        int hi = hex_digit((unsigned char)h[2 * i]), lo = hex_digit((unsigned char)h[2 * i + 1]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(p);
            return NULL;
        }
        p[i] = (char)(hi << 4 | lo);
    }
    if (p != NULL)
        p[n / 2] = '\0';
    return p;
}

/* A record's key: {"p":hex of the path,"s":size,"t":mtime_ns,"i":inode,"c":CRC-32 of DOC}. */
static bool parse_key(const char *buf, size_t len, cli_state_rec *rec)
{
    json_t *k = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
    const json_t *p = json_object_get(k, "p"), *sz = json_object_get(k, "s");
    const json_t *t = json_object_get(k, "t"), *i = json_object_get(k, "i");
    const json_t *h = json_object_get(k, "c");
    bool ok = json_is_object(k) && json_is_string(p) && json_is_integer(sz) &&
              json_integer_value(sz) >= 0 && json_is_integer(t) && json_is_integer(i) &&
              json_is_string(h) && json_string_length(h) == 8;
    if (ok) {
        rec->path = unhex_path(json_string_value(p), json_string_length(p));
        rec->id = (cli_state_id){.size = (uint64_t)json_integer_value(sz),
                                 .mtime_ns = (int64_t)json_integer_value(t),
                                 .ino = (uint64_t)(int64_t)json_integer_value(i)};
        memcpy(rec->check, json_string_value(h), 9);
        ok = rec->path != NULL;
    }
    json_decref(k);
    return ok;
}

static int cmp_rec(const void *a, const void *b)
{
    const cli_state_rec *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c != 0 ? c : (x->off > y->off) - (x->off < y->off);
}

/* Sort by path; of a path written more than once keep the last record. */
static void index_recs(cli_state *s)
{
    if (s->nrecs > 1)
        qsort(s->recs, s->nrecs, sizeof(*s->recs), cmp_rec);
    size_t n = 0;
    for (size_t i = 0; i < s->nrecs; i++) {
        if (i + 1 < s->nrecs && strcmp(s->recs[i].path, s->recs[i + 1].path) == 0) {
            free(s->recs[i].path);
            continue;
        }
        s->recs[n++] = s->recs[i];
    }
    s->nrecs = n;
}

static int push_rec(cli_state *s, size_t *cap, const cli_state_rec *rec)
{
    if (s->nrecs == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        cli_state_rec *p = realloc(s->recs, ncap * sizeof(*p));
        if (p == NULL)
            return -1;
        s->recs = p;
        *cap = ncap;
    }
    s->recs[s->nrecs++] = *rec;
    return 0;
}

/*
 * Read the records after a matching header. A last line without its newline (the run was
 * killed while writing it) is cut off the file. 0; -1 when out of memory or unreadable (r->err).
 */
static int read_records(cli_state *s, reader *r, char *key)
{
    size_t cap = 0;
    for (;;) {
        uint64_t start = r->off, klen = 0, dlen = 0;
        int c = read_until(r, '\t', key, MAX_KEY, &klen);
        bool tab = c == '\t';
        if (tab)
            c = read_until(r, -1, NULL, 0, &dlen);
        if (r->err)
            return -1;
        if (c == -1) {
            if (r->off > start && ftruncate(s->fd, (off_t)start) != 0) {
                r->err = true;
                return -1;
            }
            s->end = start;
            return 0;
        }
        if (!tab) {
            s->damaged += klen > 0; /* not a record; an empty line is ignored */
            continue;
        }
        cli_state_rec rec = {.off = start + klen + 1, .len = (size_t)dlen};
        if (klen > MAX_KEY || dlen == 0 || dlen > MAX_DOC || !parse_key(key, klen, &rec)) {
            free(rec.path);
            s->damaged++;
            continue;
        }
        if (push_rec(s, &cap, &rec) != 0) {
            free(rec.path);
            return -1;
        }
    }
}

/* Empty the file and write this run's header: 0 or an errno value. */
static int start_afresh(cli_state *s, const char *header)
{
    if (ftruncate(s->fd, 0) != 0)
        return errno;
    s->end = 0;
    size_t len = strlen(header);
    char *line = malloc(len + 1);
    if (line == NULL)
        return ENOMEM;
    memcpy(line, header, len);
    line[len] = '\n';
    int err = write_all(s->fd, line, len + 1);
    free(line);
    s->end = len + 1;
    (void)fchmod(s->fd, 0600); /* it holds the secrets found */
    return err;
}

int cli_state_open(cli_state **out, const char *path, const ts_ctx *ctx, double timeout,
                   uint64_t max_memory, bool quiet, ts_lang lang)
{
    cli_state *s = calloc(1, sizeof(*s));
    reader *r = malloc(sizeof(*r));
    char *key = malloc(MAX_KEY);
    char *header = header_line(ctx, timeout, max_memory);
    struct stat sb;
    int rc = -1, err;
    *out = NULL;
    if (s != NULL)
        s->fd = -1;
    if (s == NULL || r == NULL || key == NULL || header == NULL ||
        (s->path = strdup(path)) == NULL) {
        cli_error("out of memory");
        goto out;
    }
    s->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
    if (s->fd < 0) {
        cli_error("cannot open the state file %s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(s->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        cli_error("the state file %s is not a regular file", path);
        goto out;
    }
    /* two runs appending to one file would cut each other's records */
    if (flock(s->fd, LOCK_EX | LOCK_NB) != 0) {
        cli_error(errno == EWOULDBLOCK ? "the state file %s is in use by another tenderscan run"
                                       : "cannot lock the state file %s",
                  path);
        goto out;
    }
    s->dev = sb.st_dev;
    s->ino = sb.st_ino;
    s->ctx = ctx;
    s->quiet = quiet;
    s->lang = lang;
    *r = (reader){.fd = s->fd};
    bool fresh = true;
    if (sb.st_size > 0) {
        uint64_t hlen = 0;
        int c = read_until(r, -1, key, MAX_HEADER, &hlen);
        if (r->err)
            goto unreadable;
        if (c == '\n' && hlen <= MAX_HEADER)
            fresh = check_header(s, key, (size_t)hlen, header) != 0;
        else
            note_not_ours(s);
    }
    if (!fresh && read_records(s, r, key) != 0) {
        if (r->err)
            goto unreadable;
        cli_error("out of memory while reading the state file %s", path);
        goto out;
    }
    if (fresh && (err = start_afresh(s, header)) != 0) {
        cli_error("cannot write the state file %s: %s", path, strerror(err));
        goto out;
    }
    index_recs(s);
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        cli_error("out of memory");
        goto out;
    }
    *out = s;
    s = NULL;
    rc = 0;
    goto out;
unreadable:
    cli_error("cannot read the state file %s: %s", path, strerror(errno));
out:
    if (s != NULL) {
        for (size_t i = 0; i < s->nrecs; i++)
            free(s->recs[i].path);
        free(s->recs);
        if (s->fd >= 0)
            close(s->fd);
        free(s->path);
        free(s);
    }
    free(r);
    free(key);
    free(header);
    return rc;
}

void cli_state_file_id(const cli_state *s, dev_t *dev, ino_t *ino)
{
    *dev = s->dev;
    *ino = s->ino;
}

static int cmp_path(const void *key, const void *elem)
{
    return strcmp(key, ((const cli_state_rec *)elem)->path);
}

const cli_state_rec *cli_state_find(const cli_state *s, const char *path, const cli_state_id *id)
{
    if (s == NULL || s->nrecs == 0)
        return NULL;
    const cli_state_rec *r = bsearch(path, s->recs, s->nrecs, sizeof(*s->recs), cmp_path);
    if (r == NULL || r->id.size != id->size || r->id.mtime_ns != id->mtime_ns ||
        r->id.ino != id->ino)
        return NULL;
    return r;
}

static ts_status damaged(cli_state *s)
{
    pthread_mutex_lock(&s->mu);
    s->damaged++;
    pthread_mutex_unlock(&s->mu);
    return TS_ECORRUPT;
}

ts_status cli_state_load(cli_state *s, const cli_state_rec *rec, ts_doc **out)
{
    *out = NULL;
    if (s == NULL || rec == NULL)
        return TS_ECORRUPT;
    char *buf = malloc(rec->len + 1);
    if (buf == NULL)
        return TS_ENOMEM;
    size_t got = 0;
    while (got < rec->len) {
        ssize_t n = pread(s->fd, buf + got, rec->len - got, (off_t)(rec->off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    char check[9];
    ts_status st = TS_ECORRUPT;
    if (got == rec->len) {
        buf[got] = '\0';
        doc_check(buf, got, check);
        if (memcmp(check, rec->check, 9) == 0)
            st = ts_doc_load(out, s->ctx, buf, got);
    }
    free(buf);
    if (st != TS_OK) {
        ts_doc_free(*out);
        *out = NULL;
    }
    return st == TS_OK || st == TS_ENOMEM ? st : damaged(s);
}

/* The whole record line: key, tab, the document's line (which ends in a newline). */
static char *record_line(const char *path, const cli_state_id *id, const ts_doc *doc, size_t *len)
{
    ts_out *mem = NULL;
    char *line = NULL, *key = NULL;
    size_t dlen = 0;
    const char *dump = NULL;
    char check[9];
    if (ts_out_new_memory(&mem) != TS_OK || ts_doc_dump(doc, mem) != TS_OK ||
        (dump = ts_out_memory(mem, &dlen)) == NULL || dlen < 2 || dump[dlen - 1] != '\n')
        goto out;
    doc_check(dump, dlen - 1, check);
    char *hp = hex_path(path);
    json_t *k = hp ? json_pack("{s:s,s:I,s:I,s:I,s:s}", "p", hp, "s", (json_int_t)id->size, "t",
                               (json_int_t)id->mtime_ns, "i", (json_int_t)id->ino, "c", check)
                   : NULL;
    key = k ? json_dumps(k, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(k);
    free(hp);
    if (key == NULL)
        goto out;
    size_t klen = strlen(key);
    line = malloc(klen + 1 + dlen);
    if (line == NULL)
        goto out;
    memcpy(line, key, klen);
    line[klen] = '\t';
    memcpy(line + klen + 1, dump, dlen);
    *len = klen + 1 + dlen;
out:
    free(key);
    ts_out_free(mem);
    return line;
}

void cli_state_save(cli_state *s, const char *path, const cli_state_id *id, const ts_doc *doc)
{
    if (s == NULL || doc == NULL || ts_doc_error_status(doc) == TS_EIO)
        return;
    size_t len = 0;
    char *line = record_line(path, id, doc, &len);
    pthread_mutex_lock(&s->mu);
    if (s->write_failed)
        goto out;
    int err = line != NULL ? write_all(s->fd, line, len) : ENOMEM;
    if (err == 0) {
        s->end += len;
        goto out;
    }
    /* a half-written record would swallow the next one: cut it off, and record no more */
    bool cut = ftruncate(s->fd, (off_t)s->end) == 0; /* if not, the next run drops the torn line */
    (void)cut;
    s->write_failed = true;
    cli_error(s->lang == TS_LANG_NB
                  ? "tilstandsfilen %s kan ikke skrives (%s): skanningen fortsetter uten den"
                  : "cannot write the state file %s (%s): the scan goes on without it",
              s->path, strerror(err));
out:
    pthread_mutex_unlock(&s->mu);
    free(line);
}

void cli_state_close(cli_state *s)
{
    if (s == NULL)
        return;
    if (s->damaged > 0 && !s->quiet)
        cli_error(s->lang == TS_LANG_NB
                      ? "%zu skadde poster i tilstandsfilen %s ble hoppet over: filene deres ble "
                        "skannet på nytt"
                      : "%zu damaged records in the state file %s were skipped: their files were "
                        "scanned again",
                  s->damaged, s->path);
    for (size_t i = 0; i < s->nrecs; i++)
        free(s->recs[i].path);
    free(s->recs);
    pthread_mutex_destroy(&s->mu);
    close(s->fd);
    free(s->path);
    free(s);
}

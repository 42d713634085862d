/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scanning one document: open, hash, detect the type, run its extractor, grade. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "detect/checks.h"
#include "detect/rules.h"
#include "extract/extract.h"
#include "risk/risk.h"

#define HASH_CHUNK (1u << 20)

void ts_input_release(const ts_input *in, size_t off, size_t len)
{
    if (!in->mapped || len == 0 || off >= in->len)
        return;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        return;
    /* only whole pages inside the range */
    uintptr_t start = (uintptr_t)(in->data + off);
    uintptr_t end = (uintptr_t)(in->data + (len > in->len - off ? in->len : off + len));
    uintptr_t ps = (uintptr_t)page;
    start = (start + ps - 1) & ~(ps - 1);
    end &= ~(ps - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_DONTNEED);
}

/* SHA-256 over the content in chunks, releasing mapped pages behind us. */
static void hash_input(ts_doc *doc, const ts_input *in)
{
    static const char hex[] = "0123456789abcdef";
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int outlen = 0;
    if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
        goto out;
    for (size_t off = 0; off < in->len; off += HASH_CHUNK) {
        size_t n = in->len - off < HASH_CHUNK ? in->len - off : HASH_CHUNK;
        if (EVP_DigestUpdate(md, in->data + off, n) != 1)
            goto out;
        ts_input_release(in, off, n);
    }
    if (EVP_DigestFinal_ex(md, out, &outlen) != 1 || outlen != 32)
        goto out;
    for (unsigned i = 0; i < 32; i++) {
        doc->sha256[2 * i] = hex[out[i] >> 4];
        doc->sha256[2 * i + 1] = hex[out[i] & 15];
    }
    doc->sha256[64] = '\0';
    doc->has_sha256 = true;
out:
    EVP_MD_CTX_free(md);
}

static int cmp_finding(const void *a, const void *b)
{
    const ts_finding *x = *(const ts_finding *const *)a;
    const ts_finding *y = *(const ts_finding *const *)b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

/* The file's own name is text too: "passord-svitsjer.xlsx" says something before it is opened. */
static ts_status scan_name(ts_doc *doc)
{
    const char *name = strrchr(doc->path, '!');
    if (name == NULL)
        name = strrchr(doc->path, '/');
    name = name ? name + 1 : doc->path;
    ts_loc loc = {.where = TS_WHERE_FILENAME};
    return ts_doc_text(doc, &loc, name, strlen(name));
}

/* Extract, sort findings into document order, grade. */
static ts_status scan_input(ts_doc *doc, const ts_input *in)
{
    ts_status st = scan_name(doc);
    if (st != TS_OK)
        return st;
    doc->bytes = in->len;
    if (in->len == 0) {
        doc->format = "empty";
        ts_doc_fail(doc, TS_EEMPTY, "%s", ""); /* "empty file" says it all, in both languages */
        goto grade;
    }
    hash_input(doc, in);
    ts_input typed = *in;
    typed.type = ts_type_detect(in->data, in->len);
    doc->format = ts_type_name(typed.type);
    const struct ts_extractor *ex = ts_extractor_for(typed.type);
    if (ex == NULL) {
        /* a type of no known kind has a reader (its strings, extract/strings.c): this is one
         * that is known and has none */
        ts_doc_fail(doc, TS_EUNSUPPORTED, "%s files are not supported yet", doc->format);
        goto grade;
    }
    st = ts_extractor_run(ex, doc, &typed);
    if (st != TS_OK && st != TS_ENOMEM) {
        /* an extractor that returns a document problem as a status: record it, keep going */
        ts_doc_fail(doc, st, "%s extractor stopped", ex->name);
        st = TS_OK;
    }
    if (st != TS_OK)
        return st;
    if ((st = ts_checks_run(doc)) != TS_OK) /* the drawing verdict (issue 6) */
        return st;
grade:
    if (doc->nfindings > 1)
        qsort(doc->findings, doc->nfindings, sizeof(*doc->findings), cmp_finding);
    return ts_risk_grade(doc);
}

TS_API ts_status ts_doc_new_failed(ts_doc **out, const char *path, ts_status why,
                                   const char *message)
{
    if (out == NULL || path == NULL)
        return TS_EINVAL;
    ts_status st = ts_doc_create(out, NULL, path, 0, NULL);
    if (st != TS_OK)
        return st;
    (*out)->format = "unknown";
    ts_doc_fail(*out, why, "%s", message ? message : "");
    ts_status st2 = ts_risk_grade(*out);
    if (st2 != TS_OK) {
        ts_doc_free(*out);
        *out = NULL;
    }
    return st2;
}

/*
 * Did the file change while it was read? Its size or modification time now, through the open
 * descriptor (the bytes that were read) and through the path (the file a report names), against
 * what they were when it was opened. An append after the mapping was made is never read, and a
 * change in place makes the bytes read a mix of two versions: either way the scan vouches for
 * nothing.
 */
static bool changed_since(int fd, const char *path, const struct stat *before)
{
    struct stat now;
    if (fstat(fd, &now) != 0 || now.st_size != before->st_size ||
        now.st_mtim.tv_sec != before->st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != before->st_mtim.tv_nsec)
        return true;
    if (stat(path, &now) != 0 || now.st_dev != before->st_dev || now.st_ino != before->st_ino ||
        now.st_size != before->st_size || now.st_mtim.tv_sec != before->st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != before->st_mtim.tv_nsec)
        return true;
    return false;
}

static ts_status scan_path(ts_doc *doc, const char *path)
{
    ts_input in = {0};
    void *map = NULL;
    size_t maplen = 0;
    ts_status st = TS_OK;
    /* O_NONBLOCK: a FIFO must not hang the scan; O_NOCTTY: a terminal must not become ours */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    if (fd < 0) {
        ts_doc_fail(doc, TS_EIO, "%s", strerror(errno));
        return ts_risk_grade(doc);
    }
    if (fstat(fd, &sb) != 0) {
        ts_doc_fail(doc, TS_EIO, "%s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        ts_doc_fail(doc, TS_EUNSUPPORTED, S_ISDIR(sb.st_mode) ? "a folder" : "not a regular file");
        goto fail;
    }
    if ((uint64_t)sb.st_size > ts_doc_limits(doc)->max_file_bytes) {
        doc->bytes = (uint64_t)sb.st_size;
        ts_doc_fail(doc, TS_ELIMIT, "larger than the limit of %llu bytes",
                    (unsigned long long)ts_doc_limits(doc)->max_file_bytes);
        goto fail;
    }
    maplen = (size_t)sb.st_size;
    if (maplen > 0) {
        map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            map = NULL;
            ts_doc_fail(doc, TS_EIO, "%s", strerror(errno));
            goto fail;
        }
    }
    in.data = map;
    in.len = maplen;
    in.mapped = true;
    st = scan_input(doc, &in);
    if (map)
        munmap(map, maplen);
    /* the descriptor stays open until here so that the check sees the file that was read */
    if (st == TS_OK && changed_since(fd, path, &sb)) {
        /* the change explains whatever else went wrong with the bytes read: it replaces an
         * earlier failure, and the grade given on those bytes is given again */
        doc->err = TS_OK;
        ts_doc_fail_msg(doc, TS_EIO, TS_MSG_FAIL_CHANGED);
        st = ts_risk_grade(doc);
    }
    close(fd);
    return st;
fail:
    if (fd >= 0)
        close(fd);
    return ts_risk_grade(doc);
}

TS_API ts_status ts_scan_file(ts_doc **out, const ts_ctx *ctx, const char *path)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (ctx == NULL || path == NULL)
        return TS_EINVAL;
    ts_doc *doc = NULL;
    ts_status st = ts_doc_create(&doc, ctx, path, 0, NULL);
    if (st != TS_OK)
        return st;
    st = scan_path(doc, path);
    if (st != TS_OK) {
        ts_doc_free(doc);
        return st;
    }
    *out = doc;
    return TS_OK;
}

TS_API ts_status ts_scan_buffer(ts_doc **out, const ts_ctx *ctx, const char *name, const void *data,
                                size_t len)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (ctx == NULL || name == NULL || (data == NULL && len > 0))
        return TS_EINVAL;
    ts_doc *doc = NULL;
    ts_status st = ts_doc_create(&doc, ctx, name, 0, NULL);
    if (st != TS_OK)
        return st;
    ts_input in = {.data = data, .len = len};
    st = scan_input(doc, &in);
    if (st != TS_OK) {
        ts_doc_free(doc);
        return st;
    }
    *out = doc;
    return TS_OK;
}

ts_status ts_doc_child(ts_doc *doc, const char *name, const void *data, size_t len)
{
    if (ts_grow((void **)&doc->children, &doc->cap_children, doc->nchildren + 1,
                sizeof(*doc->children)) != 0)
        return TS_ENOMEM;
    char *path = ts_doc_printf(doc, "%s!%s", doc->path, name);
    if (path == NULL)
        return TS_ENOMEM;
    ts_doc *child = NULL;
    ts_status st = ts_doc_create(&child, doc->ctx, path, doc->depth + 1, doc->unpacked);
    if (st != TS_OK)
        return st;
    doc->children[doc->nchildren++] = child;
    if (child->depth > ts_doc_limits(doc)->max_depth) {
        child->bytes = len;
        ts_doc_fail(child, TS_ELIMIT, "nested deeper than %u levels",
                    ts_doc_limits(doc)->max_depth);
        return ts_risk_grade(child);
    }
    ts_input in = {.data = data, .len = len};
    return scan_input(child, &in);
}

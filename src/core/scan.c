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

/*
 * The length of a name without its extension (".pdf", ".docx": 1 to 5 letters and digits, one
 * a letter), so that a value at the end of a name does not run on into it: "passord=X.txt" is
 * the password X, not "X.txt". A name that is all extension (".bashrc") keeps it.
 */
static size_t stem_len(const char *t, size_t len)
{
    size_t dot = len;
    while (dot > 0 && len - dot <= 5 && t[dot - 1] != '.')
        dot--;
    if (dot < 2 || t[dot - 1] != '.' || dot == len || t[dot - 2] == '/')
        return len;
    bool letter = false;
    for (size_t i = dot; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alpha && !(c >= '0' && c <= '9'))
            return len;
        letter = letter || alpha;
    }
    return letter ? dot - 1 : len;
}

static bool is_name_sep(char c)
{
    return c == ' ' || c == '_' || c == '-' || c == '/' || c == '.' || c == '=';
}

/* Does t[a, b) look like a password: a letter and a digit or a symbol ("Vinter#22"), unlike
 * words ("endring") and the numbers names are full of ("2024", "v2" is too short anyway)? */
static bool is_marked(const char *t, size_t a, size_t b)
{
    bool letter = false, mark = false;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)t[i];
        letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        mark = mark || (c >= '0' && c <= '9') || strchr("!#$%&*+?@^~=|\\", c) != NULL;
    }
    return letter && mark;
}

/* Is v a year or a date ("2024", "2024-03-01", "01.03.2024")? Names are full of them, and a
 * label before one ("Oversikt passord 2024.xlsx") does not make it a password. */
static bool is_year_or_date(const char *v)
{
    bool year = false;
    size_t digits = 0;
    for (const char *p = v;; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            continue;
        }
        if (digits > 4 || (digits == 0 && *p != '\0'))
            return false;
        year =
            year || (digits == 4 && (strncmp(p - 4, "19", 2) == 0 || strncmp(p - 4, "20", 2) == 0));
        if (*p == '\0')
            return year;
        if (*p != '-' && *p != '.' && *p != ' ')
            return false;
        digits = 0;
    }
}

#define NAME_FIELDS 32u

/*
 * Names write "label value" with '_' or '-' where prose has ": " ("pw_Vinter#22.txt",
 * "Passord-Vinter2024!.docx"): each marked word after such a separator is handed to detection
 * as a value labelled by the word before it, so the label rules (DESIGN §8 `header`) judge it.
 */
static size_t name_fields(const char *t, size_t len, ts_field *fields)
{
    size_t n = 0;
    for (size_t i = 1; i + 1 < len && n < NAME_FIELDS; i++) {
        if (t[i] != '_' && t[i] != '-')
            continue;
        size_t ws = i;
        while (ws > 0 && !is_name_sep(t[ws - 1]))
            ws--;
        /* the value is one word: "Password_Protected-56-hello" holds no password */
        size_t ve = i + 1;
        while (ve < len && t[ve] != ' ' && t[ve] != '_' && t[ve] != '-' && t[ve] != '/')
            ve++;
        if (i - ws < 2 || ve == i + 1 || !is_marked(t, i + 1, ve))
            continue;
        fields[n++] = (ts_field){.start = i + 1, .end = ve, .label = t + ws, .label_len = i - ws};
    }
    return n;
}

/*
 * The document's own name is text too: "passord-svitsjer.xlsx" says something before it is
 * opened, and a password in a name is published with the file. A credential found there is
 * also marked in the path, so that every report shows the path masked (core/path.c).
 */
static ts_status scan_name(ts_doc *doc)
{
    const char *raw = doc->path + doc->name_off;
    size_t rlen = strlen(raw);
    char *clean = NULL;
    size_t clen = 0;
    bool owned = false;
    if (rlen == 0 || doc->ctx == NULL)
        return TS_OK;
    ts_status st = ts_utf8_clean(raw, rlen, &clean, &clen, &owned);
    if (st != TS_OK)
        return st;
    size_t len = stem_len(clean, clen);
    ts_field fields[NAME_FIELDS];
    size_t nfields = name_fields(clean, len, fields);
    size_t first = doc->nfindings;
    ts_loc loc = {.where = TS_WHERE_FILENAME};
    st = ts_doc_text_fields(doc, &loc, clean, len, fields, nfields, NULL, NULL);
    size_t i = first;
    while (st == TS_OK && i < doc->nfindings) {
        const ts_finding *f = doc->findings[i];
        if (f->where != TS_WHERE_FILENAME || f->category != TS_CAT_CREDENTIAL) {
            i++;
            continue;
        }
        if (is_year_or_date(f->value)) {
            memmove(doc->findings + i, doc->findings + i + 1,
                    (doc->nfindings - i - 1) * sizeof(*doc->findings));
            doc->nfindings--;
            continue;
        }
        /* the finding's order holds the value's offset in the text it was found in */
        size_t vs = (size_t)(f->order & 0xFFFFFFFFu), vl = strlen(f->value);
        if (vs > len || vl > len - vs || memcmp(clean + vs, f->value, vl) != 0) {
            const char *at = strstr(clean, f->value);
            vs = at ? (size_t)(at - clean) : SIZE_MAX;
        }
        if (vs != SIZE_MAX) {
            size_t rs = owned ? ts_utf8_clean_origin(raw, rlen, vs) : vs;
            size_t re = owned ? ts_utf8_clean_origin(raw, rlen, vs + vl) : vs + vl;
            st = ts_doc_hide(doc, doc->name_off + rs, doc->name_off + re, f->fingerprint);
        }
        i++;
    }
    if (owned)
        ts_free(clean);
    return st;
}

/* What to do with a format that is recognised but not read (TS_MSG_FAIL_*), or TS_MSG_COUNT_. */
static ts_msg_id unread_format(ts_type t)
{
    static const struct {
        ts_type type;
        ts_msg_id msg;
    } unread[] = {
        {TS_TYPE_DOC_OLD, TS_MSG_FAIL_DOC_OLD},
        {TS_TYPE_XLS_OLD, TS_MSG_FAIL_XLS_OLD},
    };
    for (size_t i = 0; i < sizeof unread / sizeof unread[0]; i++)
        if (unread[i].type == t)
            return unread[i].msg;
    return TS_MSG_COUNT_;
}

/* Extract, sort findings into document order, grade (the name was scanned before). */
static ts_status scan_input(ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK;
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
        ts_msg_id why = unread_format(typed.type);
        /* a type of no known kind has a reader (its strings, extract/strings.c): this is one
         * that is known and has none */
        if (why != TS_MSG_COUNT_)
            ts_doc_fail_msg(doc, TS_EUNSUPPORTED, why);
        else
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

TS_API ts_status ts_scan_unread(ts_doc **out, const ts_ctx *ctx, const char *path, ts_status why,
                                const char *message)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (path == NULL)
        return TS_EINVAL;
    ts_status st = ts_doc_create(out, ctx, path, 0, NULL);
    if (st != TS_OK)
        return st;
    (*out)->format = "unknown";
    ts_doc_fail(*out, why, "%s", message ? message : "");
    st = scan_name(*out); /* its name is all there is to read, and it is shown */
    if (st == TS_OK)
        st = ts_risk_grade(*out);
    if (st != TS_OK) {
        ts_doc_free(*out);
        *out = NULL;
    }
    return st;
}

TS_API ts_status ts_doc_new_failed(ts_doc **out, const char *path, ts_status why,
                                   const char *message)
{
    return ts_scan_unread(out, NULL, path, why, message);
}

/*
 * What a scan records of a file before its extractor runs: size, SHA-256 and, when `sniff`,
 * the format (magic bytes and the container's directory, as ts_type_detect reads them; nothing
 * is extracted). Fills what it can; a file that cannot be opened keeps them unknown.
 */
static void identify_path(ts_doc *doc, const char *path, bool sniff)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    if (fd < 0)
        return;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return;
    }
    doc->bytes = (uint64_t)sb.st_size;
    size_t len = (size_t)sb.st_size;
    void *map = NULL;
    if (len > 0 && (uint64_t)sb.st_size <= ts_doc_limits(doc)->max_file_bytes)
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (len == 0) {
        doc->format = "empty";
        return;
    }
    if (map == NULL || map == MAP_FAILED)
        return;
    ts_input in = {.data = map, .len = len, .mapped = true};
    hash_input(doc, &in);
    if (sniff)
        doc->format = ts_type_name(ts_type_detect(in.data, in.len));
    munmap(map, len);
}

TS_API ts_status ts_doc_new_unfinished(ts_doc **out, const ts_ctx *ctx, const char *name,
                                       const char *path, ts_status why, const char *message_en,
                                       const char *message_nb, int sniff)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (ctx == NULL || name == NULL || why == TS_OK)
        return TS_EINVAL;
    ts_doc *doc = NULL;
    ts_status st = ts_doc_create(&doc, ctx, name, 0, NULL);
    if (st != TS_OK)
        return st;
    doc->format = "unknown";
    if (path != NULL)
        identify_path(doc, path, sniff != 0);
    ts_doc_fail_text(doc, why, message_en, message_nb);
    st = scan_name(doc);
    if (st == TS_OK)
        st = ts_risk_grade(doc);
    if (st != TS_OK) {
        ts_doc_free(doc);
        return st;
    }
    *out = doc;
    return TS_OK;
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
    st = scan_name(doc);
    if (st == TS_OK)
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
    st = scan_name(doc);
    if (st == TS_OK)
        st = scan_input(doc, &in);
    if (st != TS_OK) {
        ts_doc_free(doc);
        return st;
    }
    *out = doc;
    return TS_OK;
}

ts_status ts_doc_child_open(ts_doc *doc, const char *name, ts_doc **out)
{
    *out = NULL;
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
    child->container = doc->format;
    /* the name starts after "outer!", whatever '!' or '/' the name holds itself */
    child->name_off = strlen(doc->path) + 1;
    if ((st = ts_doc_hides_copy(child, doc)) != TS_OK || (st = scan_name(child)) != TS_OK)
        return st;
    *out = child;
    return TS_OK;
}

ts_status ts_doc_child_read(ts_doc *child, const void *data, size_t len)
{
    if (child->err != TS_OK) {
        /* it could not be read (the container said why): graded as it is */
        if (child->bytes == 0)
            child->bytes = len;
        return ts_risk_grade(child);
    }
    if (child->depth > ts_doc_limits(child)->max_depth) {
        child->bytes = len;
        ts_doc_fail(child, TS_ELIMIT, "nested deeper than %u levels",
                    ts_doc_limits(child)->max_depth);
        return ts_risk_grade(child);
    }
    ts_input in = {.data = data, .len = len};
    return scan_input(child, &in);
}

ts_status ts_doc_child_unread(ts_doc *doc, const char *name, ts_status why, ts_msg_id id)
{
    ts_doc *child = NULL;
    ts_status st = ts_doc_child_open(doc, name, &child);
    if (st != TS_OK)
        return st;
    child->format = "unknown";
    ts_doc_fail_msg(child, why, id);
    return ts_risk_grade(child);
}

ts_status ts_doc_child(ts_doc *doc, const char *name, const void *data, size_t len)
{
    ts_doc *child = NULL;
    ts_status st = ts_doc_child_open(doc, name, &child);
    if (st != TS_OK)
        return st;
    return ts_doc_child_read(child, data, len);
}

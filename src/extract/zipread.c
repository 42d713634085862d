/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Safe read access to ZIP containers on libzip: entry limits, bomb checks before inflating. */
#include "extract/zipread.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

/*
 * A member must be at least this large before its compression ratio counts: small XML parts of
 * repetitive markup reach ratios of several hundred and are harmless, a bomb needs bulk.
 */
#define RATIO_MIN_BYTES (1u << 20)

typedef struct entry {
    const char *name; /* borrowed from libzip */
    uint64_t size, csize;
    uint16_t em;      /* encryption method */
    bool valid;
} entry;

struct ts_zip {
    ts_doc *doc;
    zip_t *za;
    entry *e;
    size_t n;
    size_t *sorted; /* indexes of valid entries sorted by name without case */
    size_t nsorted;
};

struct ts_zip_stream {
    ts_zip *z;
    zip_file_t *zf;
    size_t idx;
    uint64_t declared, got;
    bool failed;
};

ts_doc *ts_zip_doc(const ts_zip *z)
{
    return z->doc;
}

void ts_zip_set_doc(ts_zip *z, ts_doc *doc)
{
    z->doc = doc;
}

/* qsort_r is not C11: a merge sort of entry indexes by name, without ASCII case. */
static void sort_idx(size_t *v, size_t *tmp, size_t n, const entry *e)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_idx(v, tmp, h, e);
    sort_idx(v + h, tmp, n - h, e);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = strcasecmp(e[v[j]].name, e[v[i]].name) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

ts_status ts_zip_open(ts_zip **out, ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK;
    zip_error_t ze;
    zip_source_t *src = NULL;
    size_t *tmp = NULL;
    ts_zip *z = NULL;

    *out = NULL;
    zip_error_init(&ze);
    z = ts_calloc(1, sizeof(*z));
    if (z == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    z->doc = doc;
    src = zip_source_buffer_create(in->data, in->len, 0, &ze);
    if (src == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    z->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (z->za == NULL) {
        zip_source_free(src);
        ts_doc_fail(doc, TS_ECORRUPT, "not a readable ZIP container (%s)", zip_error_strerror(&ze));
        st = TS_ECORRUPT;
        goto out;
    }
    zip_int64_t count = zip_get_num_entries(z->za, 0);
    uint64_t n = count > 0 ? (uint64_t)count : 0;
    uint64_t max = ts_doc_limits(doc)->max_items;
    if (n > max) {
        ts_doc_fail(doc, TS_ELIMIT, "more than %llu entries in the ZIP container",
                    (unsigned long long)max);
        n = max;
    }
    z->e = ts_calloc(n ? (size_t)n : 1, sizeof(*z->e));
    z->sorted = ts_calloc(n ? (size_t)n : 1, sizeof(*z->sorted));
    tmp = ts_calloc(n ? (size_t)n : 1, sizeof(*tmp));
    if (z->e == NULL || z->sorted == NULL || tmp == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    z->n = (size_t)n;
    for (size_t i = 0; i < z->n; i++) {
        zip_stat_t sb;
        zip_stat_init(&sb);
        if (zip_stat_index(z->za, i, ZIP_FL_ENC_GUESS, &sb) != 0 || !(sb.valid & ZIP_STAT_NAME) ||
            sb.name == NULL)
            continue;
        entry *e = &z->e[i];
        e->name = sb.name;
        e->size = (sb.valid & ZIP_STAT_SIZE) ? sb.size : 0;
        e->csize = (sb.valid & ZIP_STAT_COMP_SIZE) ? sb.comp_size : 0;
        e->em = (sb.valid & ZIP_STAT_ENCRYPTION_METHOD) ? sb.encryption_method : ZIP_EM_NONE;
        e->valid = true;
        z->sorted[z->nsorted++] = i;
    }
    sort_idx(z->sorted, tmp, z->nsorted, z->e);
out:
    ts_free(tmp);
    zip_error_fini(&ze);
    if (st != TS_OK) {
        ts_zip_close(z);
        return st;
    }
    *out = z;
    return TS_OK;
}

void ts_zip_close(ts_zip *z)
{
    if (z == NULL)
        return;
    if (z->za)
        zip_discard(z->za); /* read-only: never writes; frees the source */
    ts_free(z->e);
    ts_free(z->sorted);
    ts_free(z);
}

size_t ts_zip_count(const ts_zip *z)
{
    return z->n;
}

const char *ts_zip_name(const ts_zip *z, size_t i)
{
    return i < z->n && z->e[i].valid ? z->e[i].name : NULL;
}

uint64_t ts_zip_size(const ts_zip *z, size_t i)
{
    return i < z->n ? z->e[i].size : 0;
}

bool ts_zip_is_dir(const ts_zip *z, size_t i)
{
    const char *n = ts_zip_name(z, i);
    size_t l = n ? strlen(n) : 0;
    return l > 0 && n[l - 1] == '/';
}

size_t ts_zip_find(const ts_zip *z, const char *name)
{
    if (name[0] == '/')
        name++;
    size_t lo = 0, hi = z->nsorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(z->e[z->sorted[mid]].name, name);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* hostile input: the same name twice; the first in the central directory wins */
    size_t best = TS_ZIP_NONE;
    for (size_t k = lo; k < z->nsorted && strcasecmp(z->e[z->sorted[k]].name, name) == 0; k++)
        if (z->sorted[k] < best)
            best = z->sorted[k];
    return best;
}

/* Everything that must hold before a member is inflated (DESIGN §9). */
static ts_status check_member(ts_zip *z, size_t i)
{
    const ts_limits *l = ts_doc_limits(z->doc);
    if (i >= z->n || !z->e[i].valid) {
        ts_doc_fail(z->doc, TS_ECORRUPT, "ZIP entry %zu cannot be read", i);
        return TS_ECORRUPT;
    }
    const entry *e = &z->e[i];
    if (e->em != ZIP_EM_NONE) {
        ts_doc_fail(z->doc, TS_EENCRYPTED, "%s is encrypted", e->name);
        return TS_EENCRYPTED;
    }
    if (e->size >= RATIO_MIN_BYTES &&
        (e->csize == 0 || e->size / e->csize >= (uint64_t)l->max_ratio)) {
        ts_doc_fail(z->doc, TS_ELIMIT, "%s: compression ratio over %u (a ZIP bomb?)", e->name,
                    l->max_ratio);
        return TS_ELIMIT;
    }
    if (e->size > SIZE_MAX - 1) {
        ts_doc_fail(z->doc, TS_ELIMIT, "%s is too large", e->name);
        return TS_ELIMIT;
    }
    return ts_doc_count_unpacked(z->doc, e->size);
}

ts_status ts_zip_stream_open(ts_zip *z, size_t i, ts_zip_stream **out)
{
    *out = NULL;
    ts_status st = check_member(z, i);
    if (st != TS_OK)
        return st;
    ts_zip_stream *s = ts_calloc(1, sizeof(*s));
    if (s == NULL)
        return TS_ENOMEM;
    s->z = z;
    s->idx = i;
    s->declared = z->e[i].size;
    s->zf = zip_fopen_index(z->za, i, 0);
    if (s->zf == NULL) {
        zip_error_t *ze = zip_get_error(z->za);
        int code = zip_error_code_zip(ze);
        st = code == ZIP_ER_MEMORY ? TS_ENOMEM : TS_ECORRUPT;
        if (code == ZIP_ER_COMPNOTSUPP || code == ZIP_ER_ENCRNOTSUPP)
            st = TS_EUNSUPPORTED;
        if (st != TS_ENOMEM)
            ts_doc_fail(z->doc, st, "%s: %s", z->e[i].name, zip_error_strerror(ze));
        ts_free(s);
        return st;
    }
    *out = s;
    return TS_OK;
}

long ts_zip_stream_read(ts_zip_stream *s, void *buf, size_t cap)
{
    if (s->failed)
        return -1;
    if (cap > (size_t)1 << 30)
        cap = (size_t)1 << 30;
    /* hostile input: ask for one byte more than declared at the end, to see a lie */
    uint64_t left = s->declared - s->got;
    size_t want = left + 1 < cap ? (size_t)left + 1 : cap;
    zip_int64_t n = zip_fread(s->zf, buf, want);
    if (n < 0) {
        ts_doc_fail(s->z->doc, TS_ECORRUPT, "%s: %s", s->z->e[s->idx].name,
                    zip_file_strerror(s->zf));
        s->failed = true;
        return -1;
    }
    s->got += (uint64_t)n;
    if (s->got > s->declared) {
        ts_doc_fail(s->z->doc, TS_ECORRUPT, "%s inflates to more than its declared %llu bytes",
                    s->z->e[s->idx].name, (unsigned long long)s->declared);
        s->failed = true;
        return -1;
    }
    if (n == 0 && s->got < s->declared) {
        ts_doc_fail(s->z->doc, TS_ECORRUPT, "%s is truncated", s->z->e[s->idx].name);
        s->failed = true;
        return -1;
    }
    return (long)n;
}

void ts_zip_stream_close(ts_zip_stream *s)
{
    if (s == NULL)
        return;
    if (s->zf)
        zip_fclose(s->zf);
    ts_free(s);
}

ts_status ts_zip_read(ts_zip *z, size_t i, unsigned char **out, size_t *len)
{
    ts_zip_stream *s = NULL;
    unsigned char *buf = NULL;
    *out = NULL;
    *len = 0;
    ts_status st = ts_zip_stream_open(z, i, &s);
    if (st != TS_OK)
        return st;
    size_t size = (size_t)s->declared;
    buf = ts_malloc(size + 2);
    if (buf == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    size_t got = 0;
    for (;;) {
        /* room for the declared bytes plus one to catch a member that inflates past them */
        long n = ts_zip_stream_read(s, buf + got, size + 1 - got);
        if (n < 0) {
            st = TS_ECORRUPT;
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    buf = NULL;
out:
    ts_free(buf);
    ts_zip_stream_close(s);
    return st;
}

bool ts_zip_name_safe(const char *name)
{
    size_t l = strlen(name);
    if (l == 0 || name[0] == '/' || name[0] == '\\' || name[l - 1] == '/' ||
        (l >= 2 && name[1] == ':'))
        return false;
    /* a ".." segment anywhere, with either separator */
    for (const char *p = name; *p; p++) {
        bool at_start = p == name || p[-1] == '/' || p[-1] == '\\';
        if (at_start && p[0] == '.' && p[1] == '.' &&
            (p[2] == '\0' || p[2] == '/' || p[2] == '\\'))
            return false;
    }
    return true;
}

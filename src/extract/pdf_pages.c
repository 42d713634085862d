/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pages a PDF's own objects show, counted from its raw bytes, and a copy that reaches them. */
#include "extract/pdf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define MAX_OBJECTS (1u << 21)      /* hostile input: object definitions indexed */
#define MAX_STREAM_OBJECTS 100000u  /* … of them in one object stream (ISO 32000-2 §7.5.7) */
#define INFLATE_BUDGET (128u << 20) /* hostile input: bytes of object streams inflated */
#define MAX_DEPTH 64u               /* page tree levels followed */
#define VALUE_DEPTH 32u             /* nesting of arrays and dictionaries skipped over */
#define NO_POS SIZE_MAX
#define CHECK_BUDGET (256ull << 20) /* hostile input: bytes decoded to check content streams */
#define MAX_FILTERS 8u              /* filters of one chain checked; a longer one is not */

/*
 * One definition of an object: "12 0 obj" in the file, or the 3rd object of an object stream.
 * The newest definition of a number is the one that counts: the one furthest into the file, as
 * an incremental update appends its new versions after the old ones (§7.5.6). The xref tables
 * are not read: they are what a damaged file gets wrong.
 */
typedef struct def {
    unsigned num, gen;
    unsigned src; /* 0: the file; k: object stream k - 1 */
    size_t off;   /* where its value starts in its source */
    size_t pos;   /* where it is defined in the file (an object stream's own place) */
    bool seen;    /* a page tree node already walked */
    unsigned char content; /* a content stream checked: 0 not yet, else a content_state */
} def;

typedef struct objstm {
    unsigned char *p;
    size_t len;
} objstm;

typedef struct objindex {
    const unsigned char *data;
    size_t len;
    def *v;
    size_t n, cap;
    objstm *streams;
    size_t nstreams, cap_streams;
    bool full; /* an object was left out: the count is not to be trusted */
} objindex;

/* ---- tokens (ISO 32000-2 §7.2, §7.3) -------------------------------------------------------- */

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static bool is_delim(unsigned char c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

static bool is_regular(unsigned char c)
{
    return !is_ws(c) && !is_delim(c);
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Past white space and comments from d[i]. */
static size_t skip_ws(const unsigned char *d, size_t len, size_t i)
{
    while (i < len) {
        if (is_ws(d[i])) {
            i++;
        } else if (d[i] == '%') {
            while (i < len && d[i] != '\n' && d[i] != '\r')
                i++;
        } else {
            break;
        }
    }
    return i;
}

/* A whole number of at most 10 digits at d[i] (false when there is none); *end after it. */
static bool read_uint(const unsigned char *d, size_t len, size_t i, unsigned long *out, size_t *end)
{
    unsigned long v = 0;
    size_t s = i;
    while (i < len && is_digit(d[i]) && i - s < 10)
        v = v * 10 + (unsigned long)(d[i++] - '0');
    if (i == s || (i < len && is_regular(d[i])))
        return false;
    *out = v;
    *end = i;
    return true;
}

/* "N G R" at d[i]: an indirect reference; *end after the R. */
static bool read_ref(const unsigned char *d, size_t len, size_t i, unsigned *num, unsigned *gen,
                     size_t *end)
{
    unsigned long n, g;
    size_t e;
    if (!read_uint(d, len, i, &n, &e) || e >= len || !is_ws(d[e]))
        return false;
    i = skip_ws(d, len, e);
    if (!read_uint(d, len, i, &g, &e) || e >= len || !is_ws(d[e]))
        return false;
    i = skip_ws(d, len, e);
    if (i >= len || d[i] != 'R' || (i + 1 < len && is_regular(d[i + 1])))
        return false;
    if (n == 0 || n > 0x7FFFFFFFul || g > 65535)
        return false;
    *num = (unsigned)n;
    *gen = (unsigned)g;
    *end = i + 1;
    return true;
}

/* Past the one value at d[i] (a reference counts as one); NO_POS when it is not a value. */
static size_t skip_value(const unsigned char *d, size_t len, size_t i, unsigned depth)
{
    unsigned num, gen;
    size_t end;
    if (i >= len || depth > VALUE_DEPTH)
        return NO_POS;
    unsigned char c = d[i];
    if (c == '/') {
        for (i++; i < len && is_regular(d[i]); i++)
            ;
        return i;
    }
    if (c == '(') {
        unsigned open = 1;
        for (i++; i < len && open > 0; i++) {
            if (d[i] == '\\')
                i++;
            else if (d[i] == '(')
                open++;
            else if (d[i] == ')')
                open--;
        }
        return open == 0 ? i : NO_POS;
    }
    if (c == '<' && i + 1 < len && d[i + 1] == '<') {
        for (i = skip_ws(d, len, i + 2); i < len; i = skip_ws(d, len, i)) {
            if (d[i] == '>')
                return i + 1 < len && d[i + 1] == '>' ? i + 2 : NO_POS;
            if ((i = skip_value(d, len, i, depth + 1)) == NO_POS) /* the key */
                return NO_POS;
            i = skip_ws(d, len, i);
            if ((i = skip_value(d, len, i, depth + 1)) == NO_POS) /* its value */
                return NO_POS;
        }
        return NO_POS;
    }
    if (c == '<') {
        const unsigned char *q = memchr(d + i, '>', len - i);
        return q ? (size_t)(q - d) + 1 : NO_POS;
    }
    if (c == '[') {
        for (i = skip_ws(d, len, i + 1); i < len; i = skip_ws(d, len, i)) {
            if (d[i] == ']')
                return i + 1;
            if ((i = skip_value(d, len, i, depth + 1)) == NO_POS)
                return NO_POS;
        }
        return NO_POS;
    }
    if (read_ref(d, len, i, &num, &gen, &end))
        return end;
    if (!is_regular(c))
        return NO_POS;
    while (i < len && is_regular(d[i])) /* a number, true, false, null */
        i++;
    return i;
}

/* Where the value of `key` ("/Kids") of the dictionary at d[i] starts, or NO_POS. */
static size_t dict_get(const unsigned char *d, size_t len, size_t i, const char *key)
{
    size_t k = strlen(key);
    i = skip_ws(d, len, i);
    if (i + 1 >= len || d[i] != '<' || d[i + 1] != '<')
        return NO_POS;
    for (i = skip_ws(d, len, i + 2); i < len; i = skip_ws(d, len, i)) {
        if (d[i] == '>' || d[i] != '/')
            return NO_POS;
        size_t ke = skip_value(d, len, i, 1);
        if (ke == NO_POS)
            return NO_POS;
        bool match = ke - i == k && memcmp(d + i, key, k) == 0;
        i = skip_ws(d, len, ke);
        if (match)
            return i;
        if ((i = skip_value(d, len, i, 1)) == NO_POS)
            return NO_POS;
    }
    return NO_POS;
}

/* Is the value at d[i] the name `name` ("/Page": not "/Pages")? */
static bool name_is(const unsigned char *d, size_t len, size_t i, const char *name)
{
    size_t k = strlen(name);
    return i != NO_POS && i + k <= len && memcmp(d + i, name, k) == 0 &&
           (i + k == len || !is_regular(d[i + k]));
}

/* ---- the index of objects ------------------------------------------------------------------- */

static bool add_def(objindex *x, unsigned num, unsigned gen, unsigned src, size_t off, size_t pos)
{
    if (x->n >= MAX_OBJECTS) {
        x->full = true;
        return true;
    }
    if (ts_grow((void **)&x->v, &x->cap, x->n + 1, sizeof(*x->v)) != 0)
        return false;
    x->v[x->n++] = (def){.num = num, .gen = gen, .src = src, .off = off, .pos = pos};
    return true;
}

static void source(const objindex *x, unsigned src, const unsigned char **d, size_t *len)
{
    *d = src ? x->streams[src - 1].p : x->data;
    *len = src ? x->streams[src - 1].len : x->len;
}

/* The value of an integer entry of a dictionary (not a reference), or -1. */
static long dict_uint(const unsigned char *d, size_t len, size_t i, const char *key)
{
    unsigned long v;
    size_t e, at = dict_get(d, len, i, key);
    unsigned num, gen;
    if (at == NO_POS || read_ref(d, len, at, &num, &gen, &e) || !read_uint(d, len, at, &v, &e))
        return -1;
    return v > 0x7FFFFFFFul ? -1 : (long)v;
}

/*
 * Where the data of the stream whose "stream" keyword is at d[s] end ("endstream" found by
 * /Length when that is right, else by searching for it), or `len`.
 */
static size_t stream_end(const unsigned char *d, size_t len, size_t dict, size_t s)
{
    size_t e = s + 6;
    if (e < len && d[e] == '\r')
        e++;
    if (e < len && d[e] == '\n')
        e++;
    long n = dict_uint(d, len, dict, "/Length");
    if (n >= 0 && (size_t)n <= len - e) {
        size_t k = skip_ws(d, len, e + (size_t)n);
        if (len - k >= 9 && memcmp(d + k, "endstream", 9) == 0)
            return k;
    }
    for (size_t at = e; at < len;) {
        const unsigned char *m = memchr(d + at, 'e', len - at);
        if (m == NULL)
            break;
        at = (size_t)(m - d);
        if (len - at >= 9 && memcmp(m, "endstream", 9) == 0)
            return at;
        at++;
    }
    return len;
}

/*
 * The object stream whose dictionary is at data[i] (inside object `pos`'s definition): inflate
 * it and index the objects it holds (§7.5.7: N pairs "number offset", objects from /First on).
 */
static ts_status add_objstm(objindex *x, size_t i, size_t pos, uint64_t *budget)
{
    const unsigned char *d = x->data;
    size_t len = x->len;
    size_t e = skip_value(d, len, i, 0);
    if (e != NO_POS)
        e = skip_ws(d, len, e);
    if (e == NO_POS || len - e < 6 || memcmp(d + e, "stream", 6) != 0) {
        x->full = true;
        return TS_OK;
    }
    size_t stop = stream_end(d, len, i, e);
    e += 6;
    if (e < len && d[e] == '\r')
        e++;
    if (e < len && d[e] == '\n')
        e++;
    long count = dict_uint(d, len, i, "/N"), first = dict_uint(d, len, i, "/First");
    size_t filter = dict_get(d, len, i, "/Filter");
    bool flate = name_is(d, len, filter, "/FlateDecode") || name_is(d, len, filter, "/Fl");
    if (count <= 0 || first < 0 || (filter != NO_POS && !flate) ||
        dict_get(d, len, i, "/DecodeParms") != NO_POS) {
        x->full = true; /* not one this reader can open: its objects are not known */
        return TS_OK;
    }
    unsigned char *buf = NULL;
    size_t cap = 0, got = stop - e;
    if (flate && ts_pdf_inflate(d + e, stop - e, &buf, &cap, &got, budget) != 0) {
        ts_free(buf);
        x->full = true;
        return TS_OK;
    }
    if (!flate) {
        if ((buf = ts_malloc(got ? got : 1)) == NULL)
            return TS_ENOMEM;
        memcpy(buf, d + e, got);
    }
    if (ts_grow((void **)&x->streams, &x->cap_streams, x->nstreams + 1, sizeof(*x->streams)) != 0) {
        ts_free(buf);
        return TS_ENOMEM;
    }
    x->streams[x->nstreams++] = (objstm){.p = buf, .len = got};
    unsigned src = (unsigned)x->nstreams;
    size_t at = 0;
    for (long k = 0; k < count && k < (long)MAX_STREAM_OBJECTS; k++) {
        unsigned long num, off;
        at = skip_ws(buf, got, at);
        if (!read_uint(buf, got, at, &num, &at))
            break;
        at = skip_ws(buf, got, at);
        if (!read_uint(buf, got, at, &off, &at))
            break;
        if (num == 0 || num > 0x7FFFFFFFul || (size_t)first + off >= got)
            continue;
        if (!add_def(x, (unsigned)num, 0, src, (size_t)first + off, pos))
            return TS_ENOMEM;
    }
    return TS_OK;
}

static int cmp_num(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

static int cmp_def(const void *a, const void *b)
{
    const def *x = a, *y = b;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->src < y->src ? -1 : x->src > y->src; /* an object stream that holds itself */
}

/* Every "N G obj" of the file and of its object streams, the newest definition of each kept. */
static ts_status build_index(objindex *x, bool encrypted)
{
    const unsigned char *d = x->data;
    size_t len = x->len;
    uint64_t budget = INFLATE_BUDGET;
    for (size_t at = 0; at + 3 <= len;) {
        const unsigned char *m = memchr(d + at, 'o', len - at - 2);
        if (m == NULL)
            break;
        size_t k = (size_t)(m - d);
        at = k + 1;
        if (m[1] != 'b' || m[2] != 'j' || (k + 3 < len && is_regular(d[k + 3])))
            continue;
        /* back over "N G " before it */
        size_t i = k;
        if (i == 0 || !is_ws(d[i - 1]))
            continue;
        while (i > 0 && is_ws(d[i - 1]))
            i--;
        size_t ge = i;
        while (i > 0 && is_digit(d[i - 1]) && ge - i < 6)
            i--;
        if (i == ge || i == 0 || !is_ws(d[i - 1]))
            continue;
        size_t gs = i;
        while (i > 0 && is_ws(d[i - 1]))
            i--;
        size_t ne = i;
        while (i > 0 && is_digit(d[i - 1]) && ne - i < 10)
            i--;
        if (i == ne || (i > 0 && is_regular(d[i - 1])))
            continue;
        unsigned long num, gen;
        size_t e;
        if (!read_uint(d, len, i, &num, &e) || !read_uint(d, len, gs, &gen, &e) || num == 0 ||
            num > 0x7FFFFFFFul || gen > 65535)
            continue;
        size_t body = skip_ws(d, len, k + 3);
        if (!add_def(x, (unsigned)num, (unsigned)gen, 0, body, i))
            return TS_ENOMEM;
        if (name_is(d, len, dict_get(d, len, body, "/Type"), "/ObjStm")) {
            /* the objects of an encrypted file's object streams are encrypted with it */
            ts_status st = encrypted ? TS_OK : add_objstm(x, body, i, &budget);
            x->full |= encrypted;
            if (st != TS_OK)
                return st;
        }
        /* a stream's data are not looked into: an attached PDF kept uncompressed has objects
         * of its own, with the same numbers */
        size_t after = skip_value(d, len, body, 0);
        if (after != NO_POS && (after = skip_ws(d, len, after)) + 6 <= len &&
            memcmp(d + after, "stream", 6) == 0)
            at = stream_end(d, len, body, after);
    }
    if (x->n > 1)
        qsort(x->v, x->n, sizeof(*x->v), cmp_def);
    size_t w = 0;
    for (size_t i = 0; i < x->n; i++) {
        if (w > 0 && x->v[w - 1].num == x->v[i].num)
            w--; /* sorted by place: the later definition replaces the earlier */
        x->v[w++] = x->v[i];
    }
    x->n = w;
    return TS_OK;
}

static def *lookup(objindex *x, unsigned num)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->v[mid].num == num)
            return &x->v[mid];
        if (x->v[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- the page tree (§7.7.3) ----------------------------------------------------------------- */

typedef struct walk {
    objindex *x;
    size_t pages, max;
    ts_pdf_pages *out; /* where bad content is noted; NULL: not checked */
    uint64_t budget;
    ts_status st;
} walk;

/* ---- content streams (§7.8.2): can poppler have read them? ----------------------------- */

enum content_state { CONTENT_GOOD = 1, CONTENT_DAMAGED, CONTENT_FILTER };

/* The value at d[at], or the value of the object it refers to: *vd, *vl and the start *va. */
static bool resolve(objindex *x, const unsigned char *d, size_t len, size_t at,
                    const unsigned char **vd, size_t *vl, size_t *va)
{
    unsigned num, gen;
    size_t end;
    if (at == NO_POS || at >= len)
        return false;
    if (!read_ref(d, len, at, &num, &gen, &end)) {
        *vd = d;
        *vl = len;
        *va = at;
        return true;
    }
    def *o = lookup(x, num);
    if (o == NULL)
        return false;
    source(x, o->src, vd, vl);
    *va = skip_ws(*vd, *vl, o->off);
    return *va < *vl;
}

/* The stream data of the object whose dictionary is at d[i] (in the file): /Length when it
 * is right (also as a reference), else up to "endstream" less its end of line. */
static bool stream_data(objindex *x, size_t i, size_t *start, size_t *n)
{
    const unsigned char *d = x->data;
    size_t len = x->len, e = skip_value(d, len, i, 0);
    if (e == NO_POS || (e = skip_ws(d, len, e)) + 6 > len || memcmp(d + e, "stream", 6) != 0)
        return false;
    size_t stop = stream_end(d, len, i, e);
    e += 6;
    if (e < len && d[e] == '\r')
        e++;
    if (e < len && d[e] == '\n')
        e++;
    const unsigned char *vd;
    size_t vl, va, ve;
    unsigned long v;
    if (resolve(x, d, len, dict_get(d, len, i, "/Length"), &vd, &vl, &va) &&
        read_uint(vd, vl, va, &v, &ve) && v <= len - e) {
        size_t k = skip_ws(d, len, e + v);
        if (len - k >= 9 && memcmp(d + k, "endstream", 9) == 0) {
            *start = e;
            *n = v;
            return true;
        }
    }
    if (stop < e)
        stop = e;
    /* without a right /Length, data that run over an "endobj" are a guess (a damaged copy of
     * the object, the newest by place, cut off before the next objects): not judged */
    for (size_t at = e; at + 6 <= stop;) {
        const unsigned char *m = memchr(d + at, 'e', stop - at - 5);
        if (m == NULL)
            break;
        if (memcmp(m, "endobj", 6) == 0)
            return false;
        at = (size_t)(m - d) + 1;
    }
    if (stop > e && d[stop - 1] == '\n')
        stop--;
    if (stop > e && d[stop - 1] == '\r')
        stop--;
    *start = e;
    *n = stop - e;
    return true;
}

/* An integer entry of a /DecodeParms dictionary, or `dflt`. */
static long parm(const unsigned char *d, size_t len, size_t at, const char *key, long dflt)
{
    if (at == NO_POS)
        return dflt;
    long v = dict_uint(d, len, at, key);
    return v < 0 ? dflt : v;
}

/* The filter named at d[at] as a stage; false for a name not known (kept in W->out). */
static bool stage_of(const unsigned char *d, size_t len, size_t at, ts_pdf_stage *s, bool *skip)
{
    static const struct {
        const char *name;
        ts_pdf_filter f;
    } known[] = {{"/FlateDecode", TS_PDF_FILTER_FLATE}, {"/Fl", TS_PDF_FILTER_FLATE},
                 {"/LZWDecode", TS_PDF_FILTER_LZW},     {"/LZW", TS_PDF_FILTER_LZW},
                 {"/ASCIIHexDecode", TS_PDF_FILTER_AHX}, {"/AHx", TS_PDF_FILTER_AHX},
                 {"/ASCII85Decode", TS_PDF_FILTER_A85}, {"/A85", TS_PDF_FILTER_A85},
                 {"/RunLengthDecode", TS_PDF_FILTER_RL}, {"/RL", TS_PDF_FILTER_RL}};
    *skip = false;
    /* an encrypted file is not checked at all: poppler decrypts; here /Crypt is the identity */
    if (name_is(d, len, at, "/Crypt")) {
        *skip = true;
        return true;
    }
    for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
        if (name_is(d, len, at, known[k].name)) {
            *s = (ts_pdf_stage){.filter = known[k].f, .predictor = 1, .colors = 1, .bpc = 8,
                                .columns = 1, .early = 1};
            return true;
        }
    return false;
}

static void note_filter(walk *W, const unsigned char *d, size_t len, size_t at)
{
    char *n = W->out->filter_name;
    size_t k = 0, e = d[at] == '/' ? skip_value(d, len, at, 1) : NO_POS;
    if (e == NO_POS || e - at < 2) {
        snprintf(n, sizeof(W->out->filter_name), "?");
        return;
    }
    for (size_t i = at; i < e && k + 4 < sizeof(W->out->filter_name); i++)
        n[k++] = d[i] >= 0x21 && d[i] < 0x7F ? (char)d[i] : '?';
    if (e - at > k) {
        memcpy(n + k, "...", 3);
        k += 3;
    }
    n[k] = '\0';
}

/* Check the content stream object `num` (once: shared content is checked for its first page). */
static enum content_state check_stream(walk *W, unsigned num, bool first_bad)
{
    objindex *x = W->x;
    def *o = lookup(x, num);
    if (o == NULL || o->src != 0)
        return CONTENT_GOOD; /* not there (poppler reads nothing either) or no stream */
    if (o->content != 0)
        return (enum content_state)o->content;
    o->content = CONTENT_GOOD;
    const unsigned char *d = x->data, *fd, *pd;
    size_t len = x->len, i = skip_ws(d, len, o->off), start, n, fl, fa, pl, pa;
    if (i + 1 >= len || d[i] != '<' || d[i + 1] != '<' || !stream_data(x, i, &start, &n))
        return CONTENT_GOOD;
    if (!resolve(x, d, len, dict_get(d, len, i, "/Filter"), &fd, &fl, &fa))
        return CONTENT_GOOD; /* no filter: the bytes are the content */
    size_t parms = dict_get(d, len, i, "/DecodeParms");
    if (parms == NO_POS)
        parms = dict_get(d, len, i, "/DP");
    bool have_parms = resolve(x, d, len, parms, &pd, &pl, &pa);
    ts_pdf_stage v[MAX_FILTERS];
    size_t nv = 0;
    bool array = fd[fa] == '[';
    size_t at = array ? skip_ws(fd, fl, fa + 1) : fa;
    size_t pat = have_parms && pd[pa] == '[' ? skip_ws(pd, pl, pa + 1) : NO_POS;
    for (size_t k = 0; at < fl && at != NO_POS; k++) {
        if (array && fd[at] == ']')
            break;
        if (fd[at] != '/')
            return CONTENT_GOOD; /* null, or no name: not a chain to judge */
        bool skip;
        if (nv == MAX_FILTERS)
            return CONTENT_GOOD; /* not checked */
        if (!stage_of(fd, fl, at, &v[nv], &skip)) {
            if (first_bad)
                note_filter(W, fd, fl, at);
            return (enum content_state)(o->content = CONTENT_FILTER);
        }
        /* its parameters: the k-th of an array, or the one dictionary of a single filter (as
         * poppler's Stream::addFilters pairs them) */
        const unsigned char *qd = pd;
        size_t ql = pl, qa = NO_POS;
        if (pat != NO_POS && pat < pl && pd[pat] != ']') {
            if (!resolve(x, pd, pl, pat, &qd, &ql, &qa))
                qa = NO_POS;
            pat = skip_value(pd, pl, pat, 1);
            pat = pat == NO_POS ? NO_POS : skip_ws(pd, pl, pat);
        } else if (have_parms && !array && pd[pa] == '<') {
            qa = pa;
        }
        if (!skip) {
            if (qa != NO_POS && qa + 1 < ql && qd[qa] == '<' && qd[qa + 1] == '<') {
                v[nv].predictor = parm(qd, ql, qa, "/Predictor", 1);
                v[nv].colors = parm(qd, ql, qa, "/Colors", 1);
                v[nv].bpc = parm(qd, ql, qa, "/BitsPerComponent", 8);
                v[nv].columns = parm(qd, ql, qa, "/Columns", 1);
                v[nv].early = parm(qd, ql, qa, "/EarlyChange", 1);
            }
            nv++;
        }
        if (!array)
            break;
        at = skip_value(fd, fl, at, 1);
        at = at == NO_POS ? NO_POS : skip_ws(fd, fl, at);
    }
    ts_pdf_verdict verdict = TS_PDF_STREAM_GOOD;
    if (nv > 0 && W->budget >= 65536) {
        ts_status st = ts_pdf_stream_check(v, nv, d + start, n, &W->budget, &verdict);
        if (st != TS_OK)
            W->st = st;
    }
    if (verdict == TS_PDF_STREAM_DAMAGED)
        o->content = CONTENT_DAMAGED;
    return (enum content_state)o->content;
}

/* The page whose dictionary is at d[i] is page W->pages: are its content streams readable? */
static void check_page(walk *W, const unsigned char *d, size_t len, size_t i)
{
    const unsigned char *cd;
    size_t cl, ca;
    unsigned num, gen;
    size_t end;
    ts_pdf_pages *p = W->out;
    if (!resolve(W->x, d, len, dict_get(d, len, i, "/Contents"), &cd, &cl, &ca))
        return;
    enum content_state worst = CONTENT_GOOD;
    bool first = p->bad_pages == 0;
    if (cd[ca] == '<') {
        /* /Contents N 0 R, resolved to its stream's dictionary */
        size_t c = dict_get(d, len, i, "/Contents");
        if (read_ref(d, len, c, &num, &gen, &end))
            worst = check_stream(W, num, first);
    } else if (cd[ca] == '[') {
        for (size_t at = skip_ws(cd, cl, ca + 1); at < cl && cd[at] != ']' && W->st == TS_OK;
             at = skip_ws(cd, cl, at)) {
            if (read_ref(cd, cl, at, &num, &gen, &end)) {
                enum content_state s = check_stream(W, num, first && worst == CONTENT_GOOD);
                worst = worst == CONTENT_GOOD ? s : worst;
                at = end;
            } else if ((at = skip_value(cd, cl, at, 1)) == NO_POS) {
                break;
            }
        }
    }
    if (worst == CONTENT_GOOD)
        return;
    if (p->bad_pages++ == 0) {
        p->first_bad = W->pages;
        p->bad_filter = worst == CONTENT_FILTER;
    }
}

/*
 * Count the pages under the node (or page) whose dictionary is at d[i]. As poppler decides
 * (Catalog::cachePageTree): a kid with /Type /Page, or without /Kids, is a page; any other
 * dictionary is a node. A kid that is no dictionary, or not there at all, is no page.
 */
static void count_tree(walk *W, const unsigned char *d, size_t len, size_t i, unsigned depth)
{
    size_t kids = dict_get(d, len, i, "/Kids");
    if (name_is(d, len, dict_get(d, len, i, "/Type"), "/Page") || kids == NO_POS) {
        if (W->pages < W->max) {
            W->pages++;
            if (W->out != NULL && W->st == TS_OK)
                check_page(W, d, len, i);
        }
        return;
    }
    if (depth >= MAX_DEPTH || d[kids] != '[')
        return;
    for (size_t at = skip_ws(d, len, kids + 1); at < len && d[at] != ']' && W->pages < W->max;
         at = skip_ws(d, len, at)) {
        unsigned num, gen;
        size_t end;
        if (read_ref(d, len, at, &num, &gen, &end)) {
            def *k = lookup(W->x, num);
            at = end;
            if (k == NULL || k->seen)
                continue; /* missing, or a node walked already (a loop) */
            const unsigned char *kd;
            size_t kl;
            source(W->x, k->src, &kd, &kl);
            if (dict_get(kd, kl, k->off, "/Kids") != NO_POS)
                k->seen = true;
            size_t ks = skip_ws(kd, kl, k->off);
            if (ks + 1 < kl && kd[ks] == '<' && kd[ks + 1] == '<')
                count_tree(W, kd, kl, ks, depth + 1);
            continue;
        }
        if (d[at] == '<' && at + 1 < len && d[at + 1] == '<')
            count_tree(W, d, len, at, depth + 1); /* a kid written in place, not referred to */
        if ((at = skip_value(d, len, at, 1)) == NO_POS)
            return;
    }
}

/* The dictionary of object `num` (its source and where it starts), or false. */
static bool dict_of(objindex *x, unsigned num, const unsigned char **d, size_t *len, size_t *at,
                    def **out)
{
    def *o = lookup(x, num);
    if (o == NULL)
        return false;
    source(x, o->src, d, len);
    *at = skip_ws(*d, *len, o->off);
    *out = o;
    return *at + 1 < *len && (*d)[*at] == '<' && (*d)[*at + 1] == '<';
}

static ts_status add_top(ts_pdf_pages *p, const def *o)
{
    if (ts_grow((void **)&p->tops, &p->cap_tops, p->ntops + 1, sizeof(*p->tops)) != 0)
        return TS_ENOMEM;
    p->tops[p->ntops++] = (ts_pdf_ref){.num = o->num, .gen = o->gen};
    return TS_OK;
}

/* The last offset before `at` where `word` starts, or NO_POS. */
static size_t find_back(const unsigned char *d, size_t at, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = at >= k ? at - k + 1 : 0; i > 0; i--)
        if (d[i - 1] == (unsigned char)word[0] && memcmp(d + i - 1, word, k) == 0)
            return i - 1;
    return NO_POS;
}

/* The catalog the last trailer (or cross-reference stream) names with /Root, or NULL. */
static def *find_root(objindex *x)
{
    const unsigned char *d = x->data;
    for (size_t at = x->len, i; (i = find_back(d, at, "/Root")) != NO_POS;) {
        at = i;
        unsigned num, gen;
        size_t end, s = skip_ws(d, x->len, i + 5), dl, ds;
        const unsigned char *dd;
        def *o;
        if (read_ref(d, x->len, s, &num, &gen, &end) && dict_of(x, num, &dd, &dl, &ds, &o))
            return o;
    }
    return NULL;
}

/* Pages of the tree under the catalog's /Pages; false when there is no such tree. */
static ts_status from_root(objindex *x, ts_pdf_pages *p, walk *W, bool *found)
{
    *found = false;
    def *root = find_root(x);
    const unsigned char *d, *pd;
    size_t len, i, pl, pi;
    def *pages;
    unsigned num, gen;
    size_t end;
    if (root == NULL)
        return TS_OK;
    source(x, root->src, &d, &len);
    i = skip_ws(d, len, root->off);
    size_t at = dict_get(d, len, i, "/Pages");
    if (at == NO_POS || !read_ref(d, len, at, &num, &gen, &end) ||
        !dict_of(x, num, &pd, &pl, &pi, &pages))
        return TS_OK; /* /Pages null, missing, or naming nothing */
    *found = true;
    pages->seen = true;
    count_tree(W, pd, pl, pi, 0);
    return add_top(p, pages);
}

/*
 * Without a tree from the catalog: the tops of the trees the objects still hold (nodes with
 * /Kids that no other node lists), or when there are none, the page objects themselves.
 */
static ts_status from_pieces(objindex *x, ts_pdf_pages *p, walk *W)
{
    ts_status st = TS_OK;
    unsigned *listed = NULL;
    size_t nlisted = 0, cap = 0;
    for (size_t k = 0; k < x->n && st == TS_OK; k++) {
        const unsigned char *d;
        size_t len, i, end;
        def *o;
        if (!dict_of(x, x->v[k].num, &d, &len, &i, &o))
            continue;
        size_t kids = dict_get(d, len, i, "/Kids");
        if (kids == NO_POS || d[kids] != '[' ||
            name_is(d, len, dict_get(d, len, i, "/Type"), "/Page"))
            continue;
        for (size_t at = skip_ws(d, len, kids + 1); at < len && d[at] != ']' && st == TS_OK;
             at = skip_ws(d, len, at)) {
            unsigned num, gen;
            if (!read_ref(d, len, at, &num, &gen, &end)) {
                if ((at = skip_value(d, len, at, 1)) == NO_POS)
                    break;
                continue;
            }
            at = end;
            if (ts_grow((void **)&listed, &cap, nlisted + 1, sizeof(*listed)) != 0)
                st = TS_ENOMEM;
            else
                listed[nlisted++] = num;
        }
    }
    if (st != TS_OK)
        goto out;
    if (nlisted > 1)
        qsort(listed, nlisted, sizeof(*listed), cmp_num);
    for (int pass = 0; pass < 2 && p->ntops == 0 && st == TS_OK; pass++) {
        for (size_t k = 0; k < x->n && st == TS_OK && W->pages < W->max; k++) {
            const unsigned char *d;
            size_t len, i;
            def *o;
            if (!dict_of(x, x->v[k].num, &d, &len, &i, &o) || o->seen)
                continue;
            size_t type = dict_get(d, len, i, "/Type");
            bool node = dict_get(d, len, i, "/Kids") != NO_POS && !name_is(d, len, type, "/Page");
            bool page = name_is(d, len, type, "/Page");
            bool tree_kid =
                nlisted > 0 && bsearch(&o->num, listed, nlisted, sizeof(*listed), cmp_num) != NULL;
            if (pass == 0 ? !node || tree_kid : !page)
                continue;
            o->seen = true;
            count_tree(W, d, len, i, 0);
            st = add_top(p, o);
        }
    }
out:
    ts_free(listed);
    return st;
}

ts_status ts_pdf_pages_find(ts_pdf_pages *out, const unsigned char *data, size_t len,
                            size_t max_pages, bool pieces)
{
    memset(out, 0, sizeof(*out));
    objindex *x = ts_calloc(1, sizeof(*x));
    if (x == NULL)
        return TS_ENOMEM;
    x->data = data;
    x->len = len;
    out->index = x;
    out->encrypted = ts_pdf_has_name(data, len, "/Encrypt");
    ts_status st = build_index(x, out->encrypted);
    if (st != TS_OK)
        return st;
    /* an encrypted file's streams are encrypted: poppler decrypts them, this check cannot */
    walk W = {.x = x, .max = max_pages, .out = out->encrypted ? NULL : out,
              .budget = CHECK_BUDGET};
    bool found = false;
    st = from_root(x, out, &W, &found);
    if (st == TS_OK && !found && pieces)
        st = from_pieces(x, out, &W);
    if (st == TS_OK)
        st = W.st;
    out->count = W.pages;
    out->from_root = found;
    out->trusted = !x->full;
    return st;
}

void ts_pdf_pages_dispose(ts_pdf_pages *p)
{
    objindex *x = p->index;
    if (x != NULL) {
        for (size_t i = 0; i < x->nstreams; i++)
            ts_free(x->streams[i].p);
        ts_free(x->streams);
        ts_free(x->v);
        ts_free(x);
    }
    ts_free(p->tops);
    memset(p, 0, sizeof(*p));
}

/* A growing buffer for the repaired copy. */
typedef struct out {
    unsigned char *p;
    size_t len, cap;
    bool oom;
} out;

static void put_bytes(out *o, const void *p, size_t n)
{
    if (o->oom || ts_grow((void **)&o->p, &o->cap, o->len + n, 1) != 0) {
        o->oom = true;
        return;
    }
    memcpy(o->p + o->len, p, n);
    o->len += n;
}

static void putf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(out *o, const char *fmt, ...)
{
    char tmp[96];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        o->oom = true; /* never: every format here is short */
    else
        put_bytes(o, tmp, (size_t)n);
}

/*
 * The file with an incremental update (§7.5.6) of its own making: every object found in an
 * object stream written out again as a plain object, a new page tree node listing p->tops under
 * a new catalog, and a cross-reference table for every object the index knows (nothing of the
 * old tables is needed: they are what a damaged file gets wrong). Nothing of the original
 * changes, so every offset in it stays right.
 */
ts_status ts_pdf_pages_repair(unsigned char **result, size_t *result_len, const unsigned char *data,
                              size_t len, const ts_pdf_pages *p)
{
    objindex *x = p->index;
    out o = {0};
    size_t *where = NULL;
    *result = NULL;
    *result_len = 0;
    if (x == NULL)
        return TS_EINVAL;
    where = ts_calloc(x->n ? x->n : 1, sizeof(*where));
    if (where == NULL)
        return TS_ENOMEM;
    unsigned max = 0;
    put_bytes(&o, data, len);
    put_bytes(&o, "\n", 1);
    for (size_t i = 0; i < x->n; i++) {
        def *e = &x->v[i];
        max = e->num > max ? e->num : max;
        if (e->src == 0) {
            where[i] = e->pos; /* "N G obj" in the original */
            continue;
        }
        const unsigned char *d;
        size_t dl;
        source(x, e->src, &d, &dl);
        size_t end = skip_value(d, dl, skip_ws(d, dl, e->off), 0);
        if (end == NO_POS)
            continue; /* a damaged object is left out: a reader takes it for null */
        where[i] = o.len;
        putf(&o, "%u 0 obj\n", e->num);
        put_bytes(&o, d + e->off, end - e->off);
        put_bytes(&o, "\nendobj\n", 8);
    }
    unsigned long node = (unsigned long)max + 1, cat = node + 1;
    size_t at_node = o.len;
    putf(&o, "%lu 0 obj\n<< /Type /Pages /Kids [", node);
    for (size_t i = 0; i < p->ntops; i++)
        putf(&o, " %u %u R", p->tops[i].num, p->tops[i].gen);
    putf(&o, " ] /Count %zu >>\nendobj\n", p->count);
    size_t at_cat = o.len;
    putf(&o, "%lu 0 obj\n<< /Type /Catalog /Pages %lu 0 R >>\nendobj\n", cat, node);
    size_t at_xref = o.len;
    put_bytes(&o, "xref\n0 1\n0000000000 65535 f \n", 29);
    /* one subsection per run of consecutive numbers (§7.5.4) */
    for (size_t i = 0; i < x->n;) {
        size_t k = i;
        while (k + 1 < x->n && x->v[k + 1].num == x->v[k].num + 1)
            k++;
        putf(&o, "%u %zu\n", x->v[i].num, k - i + 1);
        for (; i <= k; i++) {
            if (where[i] == 0 && x->v[i].src != 0)
                putf(&o, "0000000000 00001 f \n");
            else
                putf(&o, "%010zu %05u n \n", where[i], x->v[i].src ? 0 : x->v[i].gen);
        }
    }
    putf(&o, "%lu 2\n%010zu 00000 n \n%010zu 00000 n \n", node, at_node, at_cat);
    putf(&o, "trailer\n<< /Size %lu /Root %lu 0 R >>\nstartxref\n%zu\n%%%%EOF\n", cat + 1, cat,
         at_xref);
    ts_free(where);
    if (o.oom) {
        ts_free(o.p);
        return TS_ENOMEM;
    }
    *result = o.p;
    *result_len = o.len;
    return TS_OK;
}

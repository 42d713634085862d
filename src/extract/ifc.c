/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IFC building models (ISO 10303-21 text, and .ifczip), streamed statement by statement. */
#include "extract/drawing.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "detect/checks.h"
#include "extract/office.h"
#include "extract/zipread.h"

/*
 * An IFC file is a STEP physical file (ISO 10303-21): a HEADER section (FILE_NAME with the file's
 * path, its authors and organisations, the program that wrote it) and a DATA section of
 * instances "#12=IFCSPACE('guid',#5,'0.12','',$,…);". The reader is a small state machine fed
 * with pieces of any size, so a mapped file and a zip member streamed by libzip go through the
 * same code and nothing is held but the strings of the statement at hand. What it keeps:
 *   - people, organisations and the authoring program (metadata findings, where = metadata);
 *   - every string argument of every instance as drawing text, except GlobalIds; a property
 *     (IfcPropertySingleValue) as "name: value"; spaces and other named objects also as shape
 *     labels for the drawing verdict (a model with a server room, card readers and cameras).
 * Strings are decoded per ISO 10303-21 §6.4.3: '' and \\, \S\c (c + 128), \X\hh (ISO 8859-1),
 * \X2\…\X0\ (UCS-2) and \X4\…\X0\ (UCS-4); \P?\ code page switches are dropped.
 */

#define FEED_CHUNK (1u << 20)         /* bytes of a mapped file fed at a time */
#define MAX_STRINGS 64u               /* hostile input: strings kept per statement */
#define MAX_STATEMENT_TEXT (1u << 20) /* hostile input: string bytes kept per statement */
#define KW_MAX 64u

enum lex { L_OUT, L_STR, L_STR_QUOTE, L_SLASH, L_COMMENT, L_COMMENT_STAR };

typedef struct ifc_str {
    size_t off, len; /* decoded, in strs */
    unsigned arg;    /* top-level argument index */
    unsigned depth;  /* 1 = a direct argument, 2 = inside a list or typed value */
} ifc_str;

typedef struct ifc {
    ts_doc *doc;
    const char *name; /* the file or member, for failures */
    ts_status st;
    enum lex lex;
    unsigned long line, stmt_line;
    unsigned depth, arg;
    char kw[KW_MAX];
    size_t kwlen;
    bool kw_done, stmt_started;
    ts_sbuf raw;  /* the string being read, undecoded */
    ts_sbuf strs; /* decoded strings of the statement */
    ifc_str v[MAX_STRINGS];
    size_t nv;
    bool header_seen, in_data;
    size_t statements;
    bool over_limit;
    ts_tsink body, meta;
} ifc;

static void oom(ifc *p, ts_status st)
{
    if (st != TS_OK && p->st == TS_OK)
        p->st = st;
}

/* ---- strings (ISO 10303-21 §6.4.3) ---------------------------------------------------------- */

static bool hex_run(const char *s, size_t n, size_t digits, uint32_t *v)
{
    if (n < digits)
        return false;
    uint32_t r = 0;
    for (size_t i = 0; i < digits; i++) {
        int h = ts_hex_digit((unsigned char)s[i]);
        if (h < 0)
            return false;
        r = r << 4 | (uint32_t)h;
    }
    *v = r;
    return true;
}

static void put_cp(ts_sbuf *b, uint32_t cp)
{
    unsigned char u[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    ts_sbuf_put(b, (const char *)u, ts_utf8_put(u, cp));
}

static void decode(ts_sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            ts_sbuf_put(b, s + i, 1);
            continue;
        }
        const char *t = s + i;
        size_t left = n - i;
        uint32_t v;
        if (left >= 2 && t[1] == '\\') {
            ts_sbuf_put(b, "\\", 1);
            i += 1;
        } else if (left >= 4 && t[1] == 'S' && t[2] == '\\') {
            put_cp(b, (unsigned char)t[3] + 128u); /* ISO 8859-1 upper half */
            i += 3;
        } else if (left >= 4 && t[1] == 'P' && t[3] == '\\') {
            i += 3; /* code page switch: \S\ and \X\ stay ISO 8859-1 here */
        } else if (left >= 5 && t[1] == 'X' && t[2] == '\\' && hex_run(t + 3, left - 3, 2, &v)) {
            put_cp(b, v);
            i += 4;
        } else if (left >= 4 && t[1] == 'X' && (t[2] == '2' || t[2] == '4') && t[3] == '\\') {
            size_t w = t[2] == '2' ? 4 : 8, j = 4;
            while (hex_run(t + j, left - j, w, &v)) {
                if (w == 4 && v >= 0xD800 && v <= 0xDBFF) { /* a surrogate pair in UCS-2 */
                    uint32_t lo;
                    if (hex_run(t + j + 4, left - j - 4, 4, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                        j += 4;
                    }
                }
                put_cp(b, v);
                j += w;
            }
            if (left - j >= 4 && memcmp(t + j, "\\X0\\", 4) == 0)
                j += 4;
            i += j - 1;
        } else if (left >= 3 && t[1] == 'N' && t[2] == '\\') {
            ts_sbuf_put(b, "\n", 1);
            i += 2;
        } else {
            ts_sbuf_put(b, "\\", 1);
        }
    }
}

/* ---- statements ----------------------------------------------------------------------------- */

static const char *str_at(ifc *p, size_t i)
{
    return ts_sbuf_str(&p->strs) + p->v[i].off;
}

/* The first string that is argument `arg` itself (depth 1), or NULL. */
static const ifc_str *arg_str(const ifc *p, unsigned arg)
{
    for (size_t i = 0; i < p->nv; i++)
        if (p->v[i].arg == arg && p->v[i].depth == 1)
            return &p->v[i];
    return NULL;
}

static char *arg_dup(ifc *p, unsigned arg)
{
    const ifc_str *s = arg_str(p, arg);
    if (s == NULL || s->len == 0)
        return NULL;
    char *d = ts_doc_strndup(p->doc, ts_sbuf_str(&p->strs) + s->off, s->len);
    if (d == NULL)
        oom(p, TS_ENOMEM);
    return d;
}

/* An IfcGloballyUniqueId: 22 characters of the IFC base-64 alphabet. */
static bool is_guid(const char *s, size_t n)
{
    if (n != 22)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '_' || c == '$'))
            return false;
    }
    return true;
}

static bool kw_is(const ifc *p, const char *k)
{
    return strcmp(p->kw, k) == 0;
}

static bool flag_once(ifc *p, const char *rule, const ts_loc *loc, const char *v,
                      const char *detail)
{
    for (size_t i = 0; i < p->doc->nfindings; i++)
        if (strcmp(ts_finding_rule_id(p->doc->findings[i]), rule) == 0 &&
            strcmp(ts_finding_value(p->doc->findings[i]), v) == 0)
            return false;
    oom(p, ts_doc_flag(p->doc, rule, loc, v, detail));
    return true;
}

/* People, organisations and programs: metadata findings. */
static void people(ifc *p, const ts_loc *loc)
{
    if (kw_is(p, "FILE_NAME")) {
        /* (name, time_stamp, (author…), (organization…), preprocessor, system, authorization) */
        for (size_t i = 0; i < p->nv && p->st == TS_OK; i++) {
            const ifc_str *s = &p->v[i];
            char *v = ts_doc_strndup(p->doc, str_at(p, i), s->len);
            if (v == NULL) {
                oom(p, TS_ENOMEM);
                return;
            }
            if (s->arg == 0)
                oom(p, ts_office_paths(p->doc, loc, v, s->len, "IFC file name"));
            else if (s->arg == 2 || s->arg == 6)
                oom(p, ts_office_person(p->doc, loc, v, s->arg == 2 ? "author" : "authorization",
                                        "metadata.user-name"));
            else if (s->arg == 3 && *v)
                flag_once(p, "metadata.company", loc, v, "organisation");
            else if (s->arg == 5 && *v)
                flag_once(p, "metadata.software", loc, v, "originating system");
        }
    } else if (kw_is(p, "IFCPERSON")) {
        /* (Identification, FamilyName, GivenName, (MiddleNames), (Prefix), (Suffix), …) */
        char *id = arg_dup(p, 0), *family = arg_dup(p, 1), *given = arg_dup(p, 2);
        if (id)
            oom(p, ts_office_person(p->doc, loc, id, "IFC person id", "metadata.user-name"));
        if (family || given) {
            char *name = ts_doc_printf(p->doc, "%s%s%s", given ? given : "",
                                       given && family ? " " : "", family ? family : "");
            if (name == NULL)
                oom(p, TS_ENOMEM);
            else if (p->st == TS_OK)
                oom(p, ts_office_person(p->doc, loc, name, "IFC person", "metadata.user-name"));
        }
    } else if (kw_is(p, "IFCORGANIZATION")) {
        char *name = arg_dup(p, 1);
        if (name)
            flag_once(p, "metadata.company", loc, name, "organisation");
    } else if (kw_is(p, "IFCAPPLICATION")) {
        char *full = arg_dup(p, 2), *version = arg_dup(p, 1);
        if (full) {
            char *v =
                ts_doc_printf(p->doc, "%s%s%s", full, version ? " " : "", version ? version : "");
            if (v == NULL)
                oom(p, TS_ENOMEM);
            else
                flag_once(p, "metadata.software", loc, v, "application");
        }
    }
}

static bool is_metadata(const ifc *p)
{
    return !p->in_data || kw_is(p, "IFCPERSON") || kw_is(p, "IFCORGANIZATION") ||
           kw_is(p, "IFCAPPLICATION") || kw_is(p, "IFCPOSTALADDRESS") ||
           kw_is(p, "IFCTELECOMADDRESS") || kw_is(p, "IFCOWNERHISTORY") || kw_is(p, "IFCACTORROLE");
}

static void statement_end(ifc *p)
{
    if (p->kwlen == 0)
        goto reset;
    if (kw_is(p, "DATA"))
        p->in_data = true;
    else if (kw_is(p, "HEADER"))
        p->header_seen = true;
    if (p->nv == 0)
        goto reset;
    if (++p->statements > ts_doc_limits(p->doc)->max_items) {
        if (!p->over_limit)
            ts_doc_fail(p->doc, TS_ELIMIT, "%s: more than %u instances with text", p->name,
                        (unsigned)ts_doc_limits(p->doc)->max_items);
        p->over_limit = true;
        goto reset;
    }
    bool meta = is_metadata(p);
    ts_loc loc = {.where = meta ? TS_WHERE_METADATA : TS_WHERE_DRAWING, .line = p->stmt_line};
    people(p, &loc);
    ts_tsink *s = meta ? &p->meta : &p->body;
    ts_tsink_line(s, p->stmt_line);
    bool property = kw_is(p, "IFCPROPERTYSINGLEVALUE") || kw_is(p, "IFCPROPERTYENUMERATEDVALUE");
    bool root = false; /* an IfcRoot: GlobalId first, Name third */
    for (size_t i = 0; i < p->nv; i++) {
        const ifc_str *v = &p->v[i];
        const char *t = str_at(p, i);
        if (v->len == 0)
            continue;
        if (v->arg == 0 && v->depth == 1 && is_guid(t, v->len)) {
            root = true;
            continue;
        }
        if (ts_tsink_line_len(s) > 0)
            ts_tsink_put(s, property && i == 1 ? ": " : " ", property && i == 1 ? 2 : 1, s->where);
        ts_tsink_put(s, t, v->len, s->where);
    }
    if (root && p->in_data && p->st == TS_OK) {
        /* a named object: "SPACE 0.12 SERVERROM", "DOOR Kortleser D1" */
        char label[512];
        size_t n = 0;
        const char *k = p->kw + (strncmp(p->kw, "IFC", 3) == 0 ? 3 : 0);
        size_t kl = strlen(k) < 64 ? strlen(k) : 64;
        memcpy(label, k, kl);
        n = kl;
        for (size_t i = 0; i < p->nv && n < sizeof label - 2; i++) {
            const ifc_str *v = &p->v[i];
            if (v->depth != 1 || (v->arg != 2 && v->arg != 3 && v->arg != 4 && v->arg != 7))
                continue;
            size_t take = v->len < sizeof label - 2 - n ? v->len : sizeof label - 2 - n;
            label[n++] = ' ';
            memcpy(label + n, str_at(p, i), take);
            n += take;
        }
        ts_loc sl = {.where = TS_WHERE_DRAWING};
        oom(p, ts_doc_shape(p->doc, &sl, label, n));
    }
reset:
    p->kwlen = 0;
    p->kw[0] = '\0';
    p->kw_done = false;
    p->stmt_started = false;
    p->depth = p->arg = 0;
    p->nv = 0;
    ts_sbuf_clear(&p->strs);
}

static void string_end(ifc *p)
{
    if (p->nv < MAX_STRINGS && p->strs.len < MAX_STATEMENT_TEXT) {
        size_t off = p->strs.len;
        decode(&p->strs, ts_sbuf_str(&p->raw), p->raw.len);
        p->v[p->nv++] =
            (ifc_str){.off = off, .len = p->strs.len - off, .arg = p->arg, .depth = p->depth};
    }
    if (p->raw.oom || p->strs.oom)
        oom(p, TS_ENOMEM);
    ts_sbuf_clear(&p->raw);
}

/* ---- the lexer ------------------------------------------------------------------------------ */

static bool kw_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static void out_char(ifc *p, char c)
{
    if (!p->stmt_started && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '/') {
        p->stmt_started = true;
        p->stmt_line = p->line;
    }
    switch (c) {
    case '\'':
        p->lex = L_STR;
        p->kw_done = true;
        return;
    case '/':
        p->lex = L_SLASH;
        return;
    case '(':
        p->depth++;
        p->kw_done = true;
        return;
    case ')':
        if (p->depth > 0)
            p->depth--;
        return;
    case ',':
        if (p->depth == 1)
            p->arg++;
        return;
    case ';':
        if (p->depth == 0)
            statement_end(p);
        return;
    case '=':
        p->kwlen = 0; /* "#12=" : the keyword comes after */
        p->kw[0] = '\0';
        return;
    default:
        if (!p->kw_done && p->depth == 0 && kw_char(c) && p->kwlen + 1 < KW_MAX &&
            !(p->kwlen == 0 && (c == '-' || (c >= '0' && c <= '9')))) {
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            p->kw[p->kwlen++] = c;
            p->kw[p->kwlen] = '\0';
        }
        return;
    }
}

static void feed(ifc *p, const char *d, size_t n)
{
    for (size_t i = 0; i < n && p->st == TS_OK; i++) {
        char c = d[i];
        if (p->lex == L_STR) {
            /* copy the run up to the next quote at once: strings are most of the text */
            const char *q = memchr(d + i, '\'', n - i);
            size_t run = q ? (size_t)(q - (d + i)) : n - i;
            for (const char *nl = d + i; (nl = memchr(nl, '\n', (size_t)(d + i + run - nl))); nl++)
                p->line++;
            if (p->raw.len < MAX_STATEMENT_TEXT)
                ts_sbuf_put(&p->raw, d + i, run);
            i += run;
            if (q)
                p->lex = L_STR_QUOTE;
            continue;
        }
        if (c == '\n')
            p->line++;
        switch (p->lex) {
        case L_OUT:
            if (c == '#' && !p->stmt_started) {
                p->stmt_started = true;
                p->stmt_line = p->line;
            }
            out_char(p, c);
            break;
        case L_STR_QUOTE:
            if (c == '\'') { /* '' is a quote inside the string */
                ts_sbuf_put(&p->raw, "'", 1);
                p->lex = L_STR;
            } else {
                string_end(p);
                p->lex = L_OUT;
                out_char(p, c);
            }
            break;
        case L_SLASH:
            if (c == '*') {
                p->lex = L_COMMENT;
            } else {
                p->lex = L_OUT;
                out_char(p, c);
            }
            break;
        case L_COMMENT:
            if (c == '*')
                p->lex = L_COMMENT_STAR;
            break;
        case L_COMMENT_STAR:
            p->lex = c == '/' ? L_OUT : c == '*' ? L_COMMENT_STAR : L_COMMENT;
            break;
        case L_STR:
            break;
        }
    }
}

static void finish(ifc *p)
{
    if (p->lex == L_STR_QUOTE) {
        string_end(p);
        p->lex = L_OUT;
    }
    if (p->st == TS_OK && (p->lex != L_OUT || p->stmt_started))
        ts_doc_fail(p->doc, TS_ECORRUPT, "%s: the model ends inside a statement (truncated)",
                    p->name);
}

static void ifc_init(ifc *p, ts_doc *doc, const char *name)
{
    memset(p, 0, sizeof(*p));
    p->doc = doc;
    p->name = name;
    p->line = 1;
    p->raw.max = MAX_STATEMENT_TEXT + 1;
    p->strs.max = MAX_STATEMENT_TEXT + 4096;
    ts_tsink_init(&p->body, doc, TS_WHERE_DRAWING, name);
    ts_tsink_init(&p->meta, doc, TS_WHERE_METADATA, name);
}

static ts_status ifc_done(ifc *p)
{
    ts_status st = p->st;
    ts_status s1 = ts_tsink_dispose(&p->body), s2 = ts_tsink_dispose(&p->meta);
    ts_sbuf_free(&p->raw);
    ts_sbuf_free(&p->strs);
    if (st == TS_OK)
        st = s1 != TS_OK ? s1 : s2;
    return st;
}

/* ---- the extractor -------------------------------------------------------------------------- */

static ts_status read_plain(ts_doc *doc, const ts_input *in)
{
    ifc *p = ts_malloc(sizeof(*p));
    if (p == NULL)
        return TS_ENOMEM;
    ifc_init(p, doc, NULL);
    for (size_t off = 0; off < in->len && p->st == TS_OK; off += FEED_CHUNK) {
        size_t n = in->len - off < FEED_CHUNK ? in->len - off : FEED_CHUNK;
        feed(p, (const char *)in->data + off, n);
        ts_input_release(in, off, n);
    }
    finish(p);
    ts_status st = ifc_done(p);
    ts_free(p);
    return st;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/* .ifczip: every .ifc member streamed through the same reader; other members as children. */
static ts_status read_zip(ts_doc *doc, const ts_input *in)
{
    ts_zip *z = NULL;
    ts_status st = ts_zip_open(&z, doc, in);
    if (st != TS_OK)
        return st == TS_ENOMEM ? st : TS_OK;
    char *buf = ts_malloc(FEED_CHUNK);
    ifc *p = ts_malloc(sizeof(*p));
    if (buf == NULL || p == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ts_zip_count(z) && st == TS_OK; i++) {
        const char *name = ts_zip_name(z, i);
        if (name == NULL || ts_zip_is_dir(z, i))
            continue;
        if (!ends_with_ci(name, ".ifc")) {
            unsigned char *data = NULL;
            size_t len = 0;
            ts_status rs = ts_zip_read(z, i, &data, &len);
            if (rs == TS_OK)
                st = ts_doc_child(doc, ts_zip_name_safe(name) ? name : "member", data, len);
            else if (rs == TS_ENOMEM)
                st = rs;
            ts_free(data);
            continue;
        }
        ts_zip_stream *zs = NULL;
        ts_status os = ts_zip_stream_open(z, i, &zs);
        if (os != TS_OK) {
            st = os == TS_ENOMEM ? os : TS_OK;
            continue;
        }
        ifc_init(p, doc, name);
        long n;
        while (p->st == TS_OK && (n = ts_zip_stream_read(zs, buf, FEED_CHUNK)) > 0)
            feed(p, buf, (size_t)n);
        ts_zip_stream_close(zs);
        if (doc->err == TS_OK)
            finish(p);
        st = ifc_done(p);
    }
out:
    ts_free(buf);
    ts_free(p);
    ts_zip_close(z);
    return st;
}

static ts_status ifc_extract(ts_doc *doc, const ts_input *in)
{
    return in->type == TS_TYPE_IFCZIP ? read_zip(doc, in) : read_plain(doc, in);
}

const struct ts_extractor ts_extractor_ifc = {
    .name = "ifc",
    .types = (const ts_type[]){TS_TYPE_IFC, TS_TYPE_IFCZIP, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .extract = ifc_extract,
    .rules = ts_drawing_rules,
};

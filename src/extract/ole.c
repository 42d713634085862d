/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OLE2 compound files: legacy Word, Excel, PowerPoint, Visio, and the objects embedded in them. */
#include "extract/ole.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <gsf/gsf.h>
#include <gsf/gsf-infile-impl.h>

#include "extract/zipread.h"

/*
 * libgsf reads the compound file (MS-CFB) from memory; this file walks its storages and hands the
 * bytes of the streams that matter to the format readers (ole_word.c, ole_excel.c, ole_ppt.c):
 *   - \005SummaryInformation and \005DocumentSummaryInformation (author, last saved by, company,
 *     template, custom properties) as metadata;
 *   - the document itself: WordDocument + 0Table/1Table, Workbook/Book, PowerPoint Document;
 *     a Visio drawing (VisioDocument) is not decoded and says so;
 *   - embedded objects: an OLE Package (\001Ole10Native) gives the file it holds, a "Package"
 *     stream an OOXML file, a "CONTENTS" stream starting with %PDF a PDF; a storage holding a
 *     Word, Excel, PowerPoint or Visio document (ObjectPool/_1234 in a .doc, MBD0001 in an .xls)
 *     is written out as a compound file of its own and scanned as a child document;
 *   - VBA storages (Macros, _VBA_PROJECT_CUR) raise hidden.macros.
 */

#define MAX_STREAM (256u << 20) /* hostile input: bytes read from one stream */
#define MAX_META (4u << 20)     /* hostile input: bytes of a property set stream */
#define MAX_ENTRIES 20000u      /* hostile input: storages and streams visited */
#define MAX_DEPTH 8u            /* hostile input: storages nested inside storages */
#define MAX_CHILDREN 1000u      /* hostile input: embedded files scanned */
#define READ_CHUNK (64u * 1024u)
#define NAME_MAX_BYTES 200u

typedef struct ole_state {
    ts_doc *doc;
    size_t in_len;
    ts_status st; /* out of memory, sticky */
    size_t visited;
    size_t children;
    bool macros;
    bool depth_failed;
    ts_tsink meta;
} ole_state;

static void oom(ole_state *o, ts_status st)
{
    if (st == TS_ENOMEM && o->st == TS_OK)
        o->st = st;
}

/* ---- text helpers shared by the readers ----------------------------------------------------- */

/* Windows-1252 0x80-0x9F; the rest of the high half is Latin-1 */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

uint32_t ts_ole_cp1252(unsigned char c)
{
    return c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

/* Convert to UTF-8 into `out` (room for 4 * n bytes for 8-bit, 3 * units for UTF-16). */
static size_t conv_cp1252(unsigned char *out, const unsigned char *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        o += ts_utf8_put(out + o, ts_ole_cp1252(p[i]));
    }
    return o;
}

static size_t conv_utf16(unsigned char *out, const unsigned char *p, size_t units)
{
    size_t o = 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t c = ts_ole_u16(p + 2 * i);
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
            uint32_t d = ts_ole_u16(p + 2 * i + 2);
            if (d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        o += ts_utf8_put(out + o, c);
    }
    return o;
}

#define CONV_STEP 1024u /* characters converted at a time */

void ts_ole_put_utf16(ts_tsink *s, const unsigned char *p, size_t units, ts_where where)
{
    unsigned char buf[CONV_STEP * 4];
    for (size_t i = 0; i < units; i += CONV_STEP) {
        size_t k = units - i < CONV_STEP ? units - i : CONV_STEP;
        /* a surrogate pair cut at the step boundary becomes two U+FFFD: rare, harmless */
        ts_tsink_put(s, (const char *)buf, conv_utf16(buf, p + 2 * i, k), where);
    }
}

void ts_ole_put_cp1252(ts_tsink *s, const unsigned char *p, size_t n, ts_where where)
{
    unsigned char buf[CONV_STEP * 3];
    for (size_t i = 0; i < n; i += CONV_STEP) {
        size_t k = n - i < CONV_STEP ? n - i : CONV_STEP;
        ts_tsink_put(s, (const char *)buf, conv_cp1252(buf, p + i, k), where);
    }
}

void ts_ole_sbuf_utf16(ts_sbuf *b, const unsigned char *p, size_t units)
{
    unsigned char buf[CONV_STEP * 4];
    for (size_t i = 0; i < units; i += CONV_STEP) {
        size_t k = units - i < CONV_STEP ? units - i : CONV_STEP;
        ts_sbuf_put(b, (const char *)buf, conv_utf16(buf, p + 2 * i, k));
    }
}

void ts_ole_sbuf_cp1252(ts_sbuf *b, const unsigned char *p, size_t n)
{
    unsigned char buf[CONV_STEP * 3];
    for (size_t i = 0; i < n; i += CONV_STEP) {
        size_t k = n - i < CONV_STEP ? n - i : CONV_STEP;
        ts_sbuf_put(b, (const char *)buf, conv_cp1252(buf, p + i, k));
    }
}

/* ---- streams -------------------------------------------------------------------------------- */

/*
 * The bytes of a stream, at most `max` (and never more than the file holds: a stream cannot be
 * longer than the compound file). *out is NULL when the stream could not be read at all.
 */
static ts_status read_stream(ole_state *o, GsfInput *s, const char *what, size_t max,
                             unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    gsf_off_t size = gsf_input_size(s);
    if (size < 0)
        size = 0;
    size_t n = (uint64_t)size > max ? max : (size_t)size;
    if ((uint64_t)size > o->in_len) {
        ts_doc_fail(o->doc, TS_ECORRUPT, "stream %s claims %lld bytes, more than the file", what,
                    (long long)size);
        n = o->in_len < n ? o->in_len : n;
    } else if ((uint64_t)size > max) {
        ts_doc_fail(o->doc, TS_ELIMIT, "stream %s is over %zu MiB; only its start was read", what,
                    max >> 20);
    }
    if (ts_doc_count_unpacked(o->doc, n) != TS_OK)
        return TS_OK; /* the document failed over the limit */
    unsigned char *buf = ts_malloc(n ? n : 1);
    if (buf == NULL)
        return TS_ENOMEM;
    size_t got = 0;
    while (got < n) {
        size_t k = n - got < READ_CHUNK ? n - got : READ_CHUNK;
        if (gsf_input_read(s, k, buf + got) == NULL) {
            ts_doc_fail(o->doc, TS_ECORRUPT, "stream %s breaks off after %zu bytes", what, got);
            break;
        }
        got += k;
    }
    *out = buf;
    *len = got;
    return TS_OK;
}

/*
 * A child stream or storage by name or index; NULL when absent or unreadable. The class methods
 * are called directly: gsf_infile_child_by_*() print a warning for every damaged entry.
 */
static GsfInput *child(GsfInfile *dir, const char *name)
{
    GError *err = NULL;
    GsfInput *in = GSF_INFILE_CLASS(G_OBJECT_GET_CLASS(dir))->child_by_name(dir, name, &err);
    if (err)
        g_error_free(err);
    return in;
}

static GsfInput *child_at(GsfInfile *dir, int i)
{
    GError *err = NULL;
    GsfInput *in = GSF_INFILE_CLASS(G_OBJECT_GET_CLASS(dir))->child_by_index(dir, i, &err);
    if (err)
        g_error_free(err);
    return in;
}

static bool is_storage(GsfInput *in)
{
    return GSF_IS_INFILE(in) && gsf_infile_num_children(GSF_INFILE(in)) >= 0;
}

/* A whole named stream of `dir` (absent: p NULL). */
static ts_status named_stream(ole_state *o, GsfInfile *dir, const char *name, unsigned char **p,
                              size_t *n)
{
    *p = NULL;
    *n = 0;
    GsfInput *s = child(dir, name);
    if (s == NULL)
        return TS_OK;
    ts_status st = is_storage(s) ? TS_OK : read_stream(o, s, name, MAX_STREAM, p, n);
    g_object_unref(s);
    return st;
}

/* ---- summary information -------------------------------------------------------------------- */

/*
 * The docProps policy (ts_office_property) under the OOXML property names, and the application
 * that wrote the file, which OOXML reports with its version instead.
 */
static ts_status office_property(ts_doc *doc, const ts_loc *loc, const char *name, const char *v)
{
    if (strcmp(name, "Application") == 0) {
        ts_status st = ts_doc_flag(doc, "metadata.software", loc, v, "application");
        if (st != TS_OK)
            return st;
    }
    return ts_office_property(doc, loc, name, v);
}

/* libgsf's names of the properties (gsf-meta-names.h) and their OOXML twins */
static const struct {
    const char *gsf, *ooxml;
} prop_names[] = {
    {"dc:creator", "creator"},
    {"gsf:last-saved-by", "lastModifiedBy"},
    {"meta:initial-creator", "creator"},
    {"dc:publisher", "Company"},
    {"gsf:manager", "Manager"},
    {"meta:template", "Template"},
    {"meta:generator", "Application"},
    {"dc:title", "title"},
    {"dc:subject", "subject"},
    {"dc:keywords", "keywords"},
    {"dc:description", "description"},
    {"gsf:category", "category"},
    {"gsf:document-parts", "TitlesOfParts"},
    {"meta:printed-by", "printedBy"},
};

typedef struct meta_state {
    ole_state *o;
    const char *part;
} meta_state;

/*
 * A vector property (titles of parts, heading pairs, keywords) as its values joined by ", ", each
 * as written. Not gsf_docprop_vector_as_string: it leaks every string but the last (libgsf
 * 1.14.50, g_strconcat over its own result) and quotes and octal-escapes every non-ASCII byte,
 * so "på" could not be matched.
 */
static void vector_text(GString *s, const GValue *val, int depth)
{
    /* gsf_value_get_docprop_array is declared by Debian 12's libgsf 1.14.50 but not exported */
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    const GValueArray *a = gsf_value_get_docprop_varray(val);
    G_GNUC_END_IGNORE_DEPRECATIONS
    for (guint i = 0; a != NULL && i < a->n_values; i++) {
        const GValue *e = &a->values[i];
        if (s->len > 0)
            g_string_append(s, ", ");
        if (G_VALUE_HOLDS_STRING(e)) {
            const char *t = g_value_get_string(e);
            g_string_append(s, t ? t : "");
        } else if (G_VALUE_HOLDS(e, GSF_DOCPROP_VECTOR_TYPE)) {
            if (depth < 4) /* hostile input: vectors of variants holding vectors */
                vector_text(s, e, depth + 1);
        } else {
            char *t = g_strdup_value_contents(e);
            g_string_append(s, t);
            g_free(t);
        }
    }
}

static void meta_each(gpointer key, gpointer value, gpointer user)
{
    meta_state *m = user;
    ole_state *o = m->o;
    const char *name = key;
    const GValue *val = gsf_doc_prop_get_val(value);
    char *owned = NULL;
    const char *v = NULL;
    if (o->st != TS_OK || val == NULL)
        return;
    if (G_VALUE_HOLDS_STRING(val))
        v = g_value_get_string(val);
    else if (G_VALUE_HOLDS(val, GSF_DOCPROP_VECTOR_TYPE)) {
        GString *s = g_string_new(NULL);
        vector_text(s, val, 0);
        v = owned = g_string_free(s, FALSE);
    }
    if (v == NULL || *v == '\0') {
        g_free(owned);
        return;
    }
    /* a built-in property under its OOXML name; a custom one under its own */
    const char *label = name;
    for (size_t i = 0; i < sizeof prop_names / sizeof prop_names[0]; i++)
        if (strcmp(name, prop_names[i].gsf) == 0)
            label = prop_names[i].ooxml;
    ts_tsink_line(&o->meta, 0);
    ts_tsink_put(&o->meta, label, strlen(label), TS_WHERE_METADATA);
    ts_tsink_put(&o->meta, ": ", 2, TS_WHERE_METADATA);
    ts_tsink_put(&o->meta, v, strlen(v), TS_WHERE_METADATA);
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = m->part};
    oom(o, office_property(o->doc, &loc, label, v));
    g_free(owned);
}

static ts_status read_summary(ole_state *o, GsfInfile *root, const char *name, const char *part)
{
    GsfInput *s = child(root, name);
    if (s == NULL || is_storage(s)) {
        if (s)
            g_object_unref(s);
        return TS_OK;
    }
    unsigned char *p = NULL;
    size_t n = 0;
    ts_status st = read_stream(o, s, part, MAX_META, &p, &n);
    g_object_unref(s);
    if (st != TS_OK || p == NULL)
        return st;
    GsfInput *mem = gsf_input_memory_new(p, (gsf_off_t)n, FALSE);
    GsfDocMetaData *md = gsf_doc_meta_data_new();
    if (mem == NULL || md == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    GError *err = gsf_doc_meta_data_read_from_msole(md, mem);
    if (err != NULL) {
        ts_doc_fail(o->doc, TS_ECORRUPT, "%s: %s", part, err->message);
        g_error_free(err);
    }
    meta_state m = {.o = o, .part = part};
    ts_tsink_place(&o->meta, TS_WHERE_METADATA, part, 0);
    gsf_doc_meta_data_foreach(md, meta_each, &m);
    st = ts_tsink_flush(&o->meta);
    if (o->st != TS_OK)
        st = o->st;
out:
    if (md)
        g_object_unref(md);
    if (mem)
        g_object_unref(mem);
    ts_free(p);
    return st;
}

/* ---- embedded objects ----------------------------------------------------------------------- */

/* "dir/name" with control characters (\001Ole10Native) made visible and the length bounded */
static char *join_name(ole_state *o, const char *dir, const char *name)
{
    char buf[NAME_MAX_BYTES + 1];
    size_t n = 0;
    for (const char *p = name; *p && n < NAME_MAX_BYTES; p++)
        buf[n++] = (unsigned char)*p < 0x20 || *p == '!' ? '_' : *p;
    buf[n] = '\0';
    return dir && *dir ? ts_doc_printf(o->doc, "%s/%s", dir, buf) : ts_doc_strdup(o->doc, buf);
}

static ts_status emit_child(ole_state *o, const char *name, const void *data, size_t len)
{
    if (o->children >= MAX_CHILDREN) {
        ts_doc_fail(o->doc, TS_ELIMIT, "more than %u embedded objects", MAX_CHILDREN);
        return TS_OK;
    }
    o->children++;
    return ts_doc_child(o->doc, name, data, len);
}

/* \001Ole10Native: an OLE Package holds a file (with the path it came from); other OLE1
 * objects hold their native data, scanned when it is a document tenderscan reads */
static ts_status ole10native(ole_state *o, GsfInput *s, const char *dir)
{
    unsigned char *p = NULL;
    size_t n = 0;
    char *where = join_name(o, dir, "Ole10Native");
    if (where == NULL)
        return TS_ENOMEM;
    ts_status st = read_stream(o, s, where, MAX_STREAM, &p, &n);
    if (st != TS_OK || p == NULL)
        return st;
    if (n < 4) {
        ts_doc_fail(o->doc, TS_ECORRUPT, "%s is truncated", where);
        goto out;
    }
    size_t size = ts_ole_u32(p);
    if (size > n - 4)
        size = n - 4; /* keep what is there */
    ts_ole_package pkg;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = where};
    if (ts_ole_package_parse(&pkg, p + 4, size)) {
        char *label = ts_doc_strndup(o->doc, pkg.label, pkg.label_len);
        char *path = ts_doc_strndup(o->doc, pkg.path, pkg.path_len);
        char *temp = ts_doc_strndup(o->doc, pkg.temp, pkg.temp_len);
        if (label == NULL || path == NULL || temp == NULL) {
            st = TS_ENOMEM;
            goto out;
        }
        /* the paths name the folders (and often the login) of whoever packaged the file */
        char *text = ts_doc_printf(o->doc, "packaged file %s from %s (temporary copy %s)", label,
                                   path, temp);
        st = text ? ts_doc_text(o->doc, &loc, text, strlen(text)) : TS_ENOMEM;
        if (st == TS_OK)
            st = ts_office_paths(o->doc, &loc, path, strlen(path),
                                 "original path of a packaged file");
        if (st == TS_OK)
            st = ts_office_paths(o->doc, &loc, temp, strlen(temp),
                                 "temporary path of a packaged file");
        loc.where = TS_WHERE_ATTACHMENT;
        if (st == TS_OK)
            st = ts_doc_flag(o->doc, "hidden.embedded-file", &loc, label[0] ? label : where,
                             "packaged file (OLE Package)");
        const char *base = label;
        if (!label[0] || !ts_zip_name_safe(label) || strchr(label, '!') != NULL)
            base = "package";
        char *cname = join_name(o, dir, base);
        if (st == TS_OK)
            st = cname ? emit_child(o, cname, pkg.data, pkg.len) : TS_ENOMEM;
    } else if (ts_extractor_reads(ts_type_detect(p + 4, size))) {
        st = emit_child(o, where, p + 4, size);
    }
out:
    ts_free(p);
    return st;
}

/* Is this storage a document of its own (an embedded .doc/.xls/.ppt/.vsd)? */
static bool holds_document(GsfInfile *dir)
{
    static const char *const names[] = {"WordDocument", "Workbook", "Book", "PowerPoint Document",
                                        "VisioDocument"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        GsfInput *s = child(dir, names[i]);
        if (s) {
            g_object_unref(s);
            return true;
        }
    }
    return false;
}

/* Copy a storage into a compound file of its own (bounded like every other read). */
static ts_status copy_tree(ole_state *o, GsfInfile *src, GsfOutfile *dst, unsigned depth)
{
    ts_status st = TS_OK;
    int n = gsf_infile_num_children(src);
    for (int i = 0; i < n && st == TS_OK && o->doc->err == TS_OK; i++) {
        if (++o->visited > MAX_ENTRIES)
            break;
        const char *name = gsf_infile_name_by_index(src, i);
        GsfInput *c = child_at(src, i);
        if (name == NULL || c == NULL) {
            if (c)
                g_object_unref(c);
            continue;
        }
        bool dir = is_storage(c);
        GsfOutput *d = gsf_outfile_new_child(dst, name, dir);
        if (d == NULL) {
            g_object_unref(c);
            return TS_ENOMEM;
        }
        if (dir && depth < MAX_DEPTH) {
            st = copy_tree(o, GSF_INFILE(c), GSF_OUTFILE(d), depth + 1);
        } else if (!dir) {
            unsigned char *p = NULL;
            size_t len = 0;
            st = read_stream(o, c, name, MAX_STREAM, &p, &len);
            if (p != NULL && len > 0)
                gsf_output_write(d, len, p);
            ts_free(p);
        }
        gsf_output_close(d);
        g_object_unref(d);
        g_object_unref(c);
    }
    return st;
}

static ts_status embedded_document(ole_state *o, GsfInfile *dir, const char *name)
{
    GsfOutput *mem = gsf_output_memory_new();
    GsfOutfile *out = mem ? gsf_outfile_msole_new(mem) : NULL;
    ts_status st = TS_OK;
    if (out == NULL) {
        st = TS_ENOMEM;
        goto done;
    }
    st = copy_tree(o, dir, out, 0);
    gsf_output_close(GSF_OUTPUT(out));
    if (st == TS_OK) {
        const guint8 *bytes = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem));
        gsf_off_t size = gsf_output_size(mem);
        if (bytes != NULL && size > 0)
            st = emit_child(o, name, bytes, (size_t)size);
    }
done:
    if (out)
        g_object_unref(out);
    if (mem)
        g_object_unref(mem);
    return st;
}

static bool is_vba(const char *name)
{
    return strcmp(name, "Macros") == 0 || strcmp(name, "_VBA_PROJECT_CUR") == 0 ||
           strcmp(name, "VBA") == 0 || strcmp(name, "_VBA_PROJECT") == 0;
}

static ts_status walk(ole_state *o, GsfInfile *dir, const char *path, unsigned depth)
{
    ts_status st = TS_OK;
    int n = gsf_infile_num_children(dir);
    for (int i = 0; i < n && st == TS_OK; i++) {
        if (++o->visited > MAX_ENTRIES) {
            ts_doc_fail(o->doc, TS_ELIMIT, "more than %u storages and streams", MAX_ENTRIES);
            return TS_OK;
        }
        const char *name = gsf_infile_name_by_index(dir, i);
        GsfInput *c = name ? child_at(dir, i) : NULL;
        if (c == NULL) {
            ts_doc_fail(o->doc, TS_ECORRUPT, "an entry of %s cannot be opened",
                        path[0] ? path : "the root storage");
            continue;
        }
        if (is_storage(c)) {
            char *sub = join_name(o, path, name);
            if (sub == NULL) {
                st = TS_ENOMEM;
            } else if (is_vba(name)) {
                if (!o->macros) {
                    o->macros = true;
                    ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT, .part = sub};
                    st = ts_doc_flag(o->doc, "hidden.macros", &loc, sub, "VBA project");
                }
            } else if (holds_document(GSF_INFILE(c))) {
                st = embedded_document(o, GSF_INFILE(c), sub);
            } else if (depth + 1 >= MAX_DEPTH) {
                if (!o->depth_failed)
                    ts_doc_fail(o->doc, TS_ELIMIT, "storages nested deeper than %u levels",
                                MAX_DEPTH);
                o->depth_failed = true;
            } else {
                st = walk(o, GSF_INFILE(c), sub, depth + 1);
            }
        } else if (strcmp(name, "\001Ole10Native") == 0) {
            st = ole10native(o, c, path);
        } else if (strcmp(name, "Package") == 0 || strcmp(name, "CONTENTS") == 0) {
            char *cname = join_name(o, path, name);
            unsigned char *p = NULL;
            size_t len = 0;
            st = cname ? read_stream(o, c, cname, MAX_STREAM, &p, &len) : TS_ENOMEM;
            /* Package: an embedded OOXML file; CONTENTS: an embedded PDF (or a drawing's own
             * data, not read) */
            bool pdf = len >= 5 && memcmp(p, "%PDF-", 5) == 0;
            if (st == TS_OK && p != NULL && (name[0] == 'P' || pdf))
                st = emit_child(o, cname, p, len);
            ts_free(p);
        }
        g_object_unref(c);
    }
    return st;
}

/* ---- the document itself -------------------------------------------------------------------- */

static ts_status word(ole_state *o, GsfInfile *root)
{
    unsigned char *wd = NULL, *t0 = NULL, *t1 = NULL;
    size_t nwd = 0, n0 = 0, n1 = 0;
    ts_status st = named_stream(o, root, "WordDocument", &wd, &nwd);
    if (st == TS_OK)
        st = named_stream(o, root, "0Table", &t0, &n0);
    if (st == TS_OK)
        st = named_stream(o, root, "1Table", &t1, &n1);
    if (st == TS_OK && wd == NULL)
        ts_doc_fail(o->doc, TS_ECORRUPT, "no WordDocument stream");
    else if (st == TS_OK)
        st = ts_ole_word(o->doc, (ts_ole_bytes){wd, nwd}, (ts_ole_bytes){t0, n0},
                         (ts_ole_bytes){t1, n1});
    ts_free(wd);
    ts_free(t0);
    ts_free(t1);
    return st;
}

static ts_status excel(ole_state *o, GsfInfile *root)
{
    unsigned char *p = NULL;
    size_t n = 0;
    ts_status st = named_stream(o, root, "Workbook", &p, &n);
    if (st == TS_OK && p == NULL)
        st = named_stream(o, root, "Book", &p, &n);
    if (st == TS_OK && p == NULL)
        ts_doc_fail(o->doc, TS_ECORRUPT, "no Workbook stream");
    else if (st == TS_OK)
        st = ts_ole_excel(o->doc, (ts_ole_bytes){p, n});
    ts_free(p);
    return st;
}

static ts_status powerpoint(ole_state *o, GsfInfile *root)
{
    unsigned char *p = NULL;
    size_t n = 0;
    GsfInput *enc = child(root, "EncryptedSummary");
    if (enc != NULL) {
        g_object_unref(enc);
        ts_doc_fail(o->doc, TS_EENCRYPTED, "a password is needed");
        return TS_OK;
    }
    ts_status st = named_stream(o, root, "PowerPoint Document", &p, &n);
    if (st == TS_OK && p == NULL)
        ts_doc_fail(o->doc, TS_ECORRUPT, "no PowerPoint Document stream");
    else if (st == TS_OK)
        st = ts_ole_powerpoint(o->doc, (ts_ole_bytes){p, n});
    ts_free(p);
    return st;
}

/* An OLE file of no known kind: which streams it has, for the finding */
static ts_status not_read(ole_state *o, GsfInfile *root, const char *rule, const char *what)
{
    ts_sbuf names = {.max = 300};
    int n = gsf_infile_num_children(root);
    for (int i = 0; i < n && i < 12; i++) {
        const char *name = gsf_infile_name_by_index(root, i);
        if (name == NULL || name[0] == '\001' || name[0] == '\003' || name[0] == '\005')
            continue; /* OLE's own bookkeeping and the summary information */
        if (names.len)
            ts_sbuf_put(&names, ", ", 2);
        ts_sbuf_put(&names, name, strnlen(name, 64));
    }
    ts_loc loc = {.where = TS_WHERE_METADATA};
    char *d = ts_doc_printf(o->doc, "%s (%s%s)", what, names.len ? "streams: " : "no streams",
                            ts_sbuf_str(&names));
    ts_status st = names.oom ? TS_ENOMEM : TS_OK;
    ts_sbuf_free(&names);
    if (st != TS_OK || d == NULL)
        return TS_ENOMEM;
    return ts_doc_flag(o->doc, rule, &loc, ts_type_name(TS_TYPE_OLE), d);
}

static ts_status ole_extract(ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK;
    GError *err = NULL;
    ole_state o = {.doc = doc, .in_len = in->len};
    ts_tsink_init(&o.meta, doc, TS_WHERE_METADATA, NULL);
    GsfInput *mem = gsf_input_memory_new(in->data, (gsf_off_t)in->len, FALSE);
    GsfInfile *root = mem ? gsf_infile_msole_new(mem, &err) : NULL;
    if (mem == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    if (root == NULL) {
        ts_doc_fail(doc, TS_ECORRUPT, "not a readable OLE2 compound file: %s",
                    err && err->message ? err->message : "unknown error");
        goto out;
    }
    st = read_summary(&o, root, "\005SummaryInformation", "SummaryInformation");
    if (st == TS_OK)
        st = read_summary(&o, root, "\005DocumentSummaryInformation", "DocumentSummaryInformation");
    if (st != TS_OK)
        goto out;
    switch (in->type) {
    case TS_TYPE_DOC:
        st = word(&o, root);
        break;
    case TS_TYPE_XLS:
        st = excel(&o, root);
        break;
    case TS_TYPE_PPT:
        st = powerpoint(&o, root);
        break;
    case TS_TYPE_VSD:
        st = not_read(&o, root, "document.vsd-not-read",
                      "Visio binary drawing: only its summary information and embedded files "
                      "were read; save it as .vsdx and scan that");
        break;
    default:
        break;
    }
    if (st == TS_OK && doc->err != TS_EENCRYPTED)
        st = walk(&o, root, "", 0);
    if (st == TS_OK && in->type == TS_TYPE_OLE && o.children == 0 && !o.macros)
        st = not_read(&o, root, "document.ole-not-read",
                      "OLE object of a kind tenderscan does not read: its content was not "
                      "scanned");
out:;
    ts_status st2 = ts_tsink_dispose(&o.meta);
    if (st == TS_OK)
        st = st2 != TS_OK ? st2 : o.st;
    if (err)
        g_error_free(err);
    if (root)
        g_object_unref(root);
    if (mem)
        g_object_unref(mem);
    return st;
}

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

static void drop_print(const gchar *text)
{
    (void)text;
}

/*
 * libgsf reports damaged compound files with g_warning and, for some, failed g_return_if_fail
 * checks (to stderr); a document's problems are ours to report. Only libgsf's domains are
 * quietened. A property set of an unknown kind also gets a hex dump (gsf_mem_dump) printed with
 * g_print to standard output, where the report may be going (`-f jsonl > out.jsonl`): nothing
 * in tenderscan prints with g_print, so it is dropped.
 */
static ts_status ole_init(void)
{
    gsf_init();
    g_set_print_handler(drop_print);
    GLogLevelFlags levels = G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
                            G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG;
    g_log_set_handler("libgsf:msole", levels, quiet, NULL);
    g_log_set_handler("libgsf", levels, quiet, NULL);
    return TS_OK;
}

/* The module's entry (src/extract/module.c); its table row and rules are in olerow.c. */
TS_HOST const struct ts_module ts_module_ole = {
    .abi = TS_MODULE_ABI,
    .version = TS_VERSION,
    .init = ole_init,
    .extract = ole_extract,
};

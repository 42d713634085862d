/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Office Open XML (DOCX, XLSX, PPTX and their macro and template twins): the package layer. */
#include "extract/ooxml.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Parts are found the way Office finds them (ECMA-376-2, Open Packaging Conventions): the
 * package relationships (_rels/.rels) name the main part and the properties, each part's own
 * relationships name its headers, sheets, slides, comments …, and [Content_Types].xml says what
 * every part is. Whatever is left after that walk is still looked at by its content type, so a
 * part that no relationship names is not skipped.
 */

#define MAX_PART_NAME 1024u

/* ---- content types ([Content_Types].xml, ECMA-376-2 §10.1.2) ------------------------------- */

typedef struct ct_state {
    ts_opc *o;
    ts_status st;
} ct_state;

static const char *ext_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(name, '.');
    return dot && (slash == NULL || dot > slash) ? dot + 1 : NULL;
}

static void ct_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                     const char **attrs)
{
    (void)x;
    (void)uri;
    ct_state *s = u;
    ts_opc *o = s->o;
    char key[MAX_PART_NAME];
    size_t tlen;
    const char *type = ts_xml_attr(nattr, attrs, "ContentType", &tlen);
    if (type == NULL || s->st != TS_OK)
        return;
    if (strcmp(local, "Override") == 0) {
        if (!ts_xml_attr_copy(nattr, attrs, "PartName", key, sizeof key))
            return;
        size_t idx = ts_zip_find(o->z, key);
        if (idx == TS_ZIP_NONE)
            return;
        o->ctype[idx] = ts_doc_strndup(o->doc, type, tlen);
        if (o->ctype[idx] == NULL)
            s->st = TS_ENOMEM;
    } else if (strcmp(local, "Default") == 0) {
        if (!ts_xml_attr_copy(nattr, attrs, "Extension", key, sizeof key))
            return;
        const char *t = NULL;
        for (size_t i = 0; i < ts_zip_count(o->z); i++) {
            const char *name = ts_zip_name(o->z, i);
            const char *ext = name ? ext_of(name) : NULL;
            if (ext == NULL || o->ctype[i] != NULL || strcasecmp(ext, key) != 0)
                continue;
            if (t == NULL && (t = ts_doc_strndup(o->doc, type, tlen)) == NULL) {
                s->st = TS_ENOMEM;
                return;
            }
            o->ctype[i] = t;
        }
    }
}

/* Overrides first, then defaults fill the rest: two passes, since either may come first. */
static void ct_start_override(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                              const char **attrs)
{
    if (strcmp(local, "Override") == 0)
        ct_start(x, u, local, uri, nattr, attrs);
}

static void ct_start_default(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                             const char **attrs)
{
    if (strcmp(local, "Default") == 0)
        ct_start(x, u, local, uri, nattr, attrs);
}

static ts_status read_content_types(ts_opc *o)
{
    size_t idx = ts_zip_find(o->z, "[Content_Types].xml");
    if (idx == TS_ZIP_NONE) {
        ts_doc_fail(o->doc, TS_ECORRUPT, "no [Content_Types].xml: not a valid Office package");
        return TS_OK;
    }
    ct_state s = {.o = o};
    ts_xml_handler h1 = {.start = ct_start_override}, h2 = {.start = ct_start_default};
    ts_status st = ts_opc_parse(o, idx, &h1, &s);
    if (st == TS_OK && s.st == TS_OK)
        st = ts_opc_parse(o, idx, &h2, &s);
    return s.st != TS_OK ? s.st : ts_opc_soft(st);
}

/* ---- relationships (ECMA-376-2 §9.3) -------------------------------------------------------- */

size_t ts_opc_part(const ts_opc *o, const char *name)
{
    return name ? ts_zip_find(o->z, name) : TS_ZIP_NONE;
}

/* Resolve `target` against the folder of `source`; "" when it climbs out of the package. */
static char *resolve(ts_doc *doc, const char *source, const char *target, size_t tlen)
{
    char path[MAX_PART_NAME];
    size_t n = 0;
    if (tlen >= MAX_PART_NAME / 2)
        return ts_doc_strdup(doc, "");
    if (target[0] != '/') {
        const char *slash = strrchr(source, '/');
        size_t base = slash ? (size_t)(slash - source) + 1 : 0;
        if (base >= MAX_PART_NAME / 2)
            return ts_doc_strdup(doc, "");
        memcpy(path, source, base);
        n = base;
    }
    /* walk the target's segments, folding "." and ".." */
    size_t i = 0;
    while (i < tlen) {
        while (i < tlen && (target[i] == '/' || target[i] == '\\'))
            i++;
        size_t s = i;
        while (i < tlen && target[i] != '/' && target[i] != '\\')
            i++;
        size_t seg = i - s;
        if (seg == 0 || (seg == 1 && target[s] == '.'))
            continue;
        if (seg == 2 && target[s] == '.' && target[s + 1] == '.') {
            if (n == 0)
                return ts_doc_strdup(doc, ""); /* hostile input: above the package root */
            n--; /* drop the trailing '/' and the segment before it */
            while (n > 0 && path[n - 1] != '/')
                n--;
            continue;
        }
        memcpy(path + n, target + s, seg);
        n += seg;
        if (i < tlen)
            path[n++] = '/';
    }
    return ts_doc_strndup(doc, path, n);
}

/* "word/document.xml" → "word/_rels/document.xml.rels"; "" → "_rels/.rels" */
static bool rels_name(const char *source, char *out, size_t cap)
{
    const char *slash = strrchr(source, '/');
    size_t dir = slash ? (size_t)(slash - source) + 1 : 0;
    const char *file = source + dir;
    int n = snprintf(out, cap, "%.*s_rels/%s.rels", (int)dir, source, file);
    return n > 0 && (size_t)n < cap;
}

typedef struct rels_state {
    ts_opc *o;
    const char *source;
    ts_opc_rel *v;
    size_t n, cap;
    ts_status st;
} rels_state;

static void rels_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                       const char **attrs)
{
    (void)x;
    (void)uri;
    rels_state *s = u;
    if (strcmp(local, "Relationship") != 0 || s->st != TS_OK)
        return;
    size_t idlen, tlen, ylen;
    const char *id = ts_xml_attr(nattr, attrs, "Id", &idlen);
    const char *type = ts_xml_attr(nattr, attrs, "Type", &ylen);
    const char *target = ts_xml_attr(nattr, attrs, "Target", &tlen);
    if (id == NULL || type == NULL || target == NULL)
        return;
    if (s->n >= ts_doc_limits(s->o->doc)->max_items)
        return;
    if (ts_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v)) != 0) {
        s->st = TS_ENOMEM;
        return;
    }
    const char *last = type + ylen;
    while (last > type && last[-1] != '/')
        last--;
    ts_opc_rel *r = &s->v[s->n];
    r->external = ts_xml_attr_is(nattr, attrs, "TargetMode", "External");
    r->id = ts_doc_strndup(s->o->doc, id, idlen);
    r->type = ts_doc_strndup(s->o->doc, last, (size_t)(type + ylen - last));
    r->target = r->external ? ts_doc_strndup(s->o->doc, target, tlen)
                            : resolve(s->o->doc, s->source, target, tlen);
    if (r->id == NULL || r->type == NULL || r->target == NULL) {
        s->st = TS_ENOMEM;
        return;
    }
    s->n++;
}

ts_status ts_opc_rels_of(ts_opc *o, const char *source, ts_opc_rels *out)
{
    char name[MAX_PART_NAME];
    out->v = NULL;
    out->n = 0;
    if (!rels_name(source, name, sizeof name))
        return TS_OK;
    size_t idx = ts_zip_find(o->z, name);
    if (idx == TS_ZIP_NONE)
        return TS_OK;
    rels_state s = {.o = o, .source = source};
    ts_xml_handler h = {.start = rels_start};
    ts_status st = ts_opc_parse(o, idx, &h, &s);
    if (s.st != TS_OK)
        st = s.st;
    /* the array moves into the arena so that callers need not free it */
    if (s.n > 0 && st != TS_ENOMEM) {
        out->v = ts_doc_alloc(o->doc, s.n * sizeof(*s.v));
        if (out->v == NULL)
            st = TS_ENOMEM;
        else {
            memcpy(out->v, s.v, s.n * sizeof(*s.v));
            out->n = s.n;
        }
    }
    ts_free(s.v);
    return ts_opc_soft(st);
}

const ts_opc_rel *ts_opc_rel_id(const ts_opc_rels *r, const char *id, size_t idlen)
{
    for (size_t i = 0; i < r->n; i++)
        if (strlen(r->v[i].id) == idlen && memcmp(r->v[i].id, id, idlen) == 0)
            return &r->v[i];
    return NULL;
}

const ts_opc_rel *ts_opc_rel_type(const ts_opc_rels *r, const char *type, size_t *from)
{
    for (size_t i = *from; i < r->n; i++) {
        if (strcmp(r->v[i].type, type) == 0) {
            *from = i + 1;
            return &r->v[i];
        }
    }
    *from = r->n;
    return NULL;
}

ts_status ts_opc_parse(ts_opc *o, size_t idx, const ts_xml_handler *h, void *u)
{
    if (idx == TS_ZIP_NONE || idx >= ts_zip_count(o->z))
        return TS_OK;
    o->done[idx] = true;
    return ts_opc_soft(ts_xml_parse_zip(o->z, idx, h, u));
}

ts_status ts_opc_macros(ts_opc *o, const char *part)
{
    if (o->macros)
        return TS_OK;
    o->macros = true;
    ts_loc loc = {.where = TS_WHERE_BODY, .part = part};
    return ts_doc_flag(o->doc, "hidden.macros", &loc, part, "VBA project");
}

/* ---- any XML part: its text, one text node per line ----------------------------------------- */

typedef struct gen_state {
    ts_tsink sink;
    bool pending; /* text since the last line break */
} gen_state;

static void gen_text(ts_xml *x, void *u, const char *s, size_t len)
{
    (void)x;
    gen_state *g = u;
    ts_tsink_put(&g->sink, s, len, g->sink.where);
    g->pending = true;
}

static void gen_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)x;
    (void)local;
    (void)uri;
    gen_state *g = u;
    if (g->pending)
        ts_tsink_put(&g->sink, "\n", 1, g->sink.where);
    g->pending = false;
}

ts_status ts_opc_generic(ts_opc *o, size_t idx, ts_where where)
{
    gen_state g = {0};
    ts_tsink_init(&g.sink, o->doc, where, ts_zip_name(o->z, idx));
    ts_xml_handler h = {.text = gen_text, .end = gen_end};
    ts_status st = ts_opc_parse(o, idx, &h, &g);
    ts_status st2 = ts_tsink_dispose(&g.sink);
    return st != TS_OK ? st : st2;
}

/* ---- document properties (docProps/core.xml, app.xml, custom.xml) -------------------------- */

typedef struct props_state {
    ts_opc *o;
    const char *part;
    ts_sbuf val;
    char name[128]; /* custom property name */
    char app[128], version[32];
    ts_status st;
} props_state;

static void props_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                        const char **attrs)
{
    (void)uri;
    props_state *s = u;
    if (ts_xml_depth(x) == 2) {
        ts_sbuf_clear(&s->val);
        if (strcmp(local, "property") == 0)
            ts_xml_attr_copy(nattr, attrs, "name", s->name, sizeof s->name);
    } else if (ts_xml_depth(x) > 2 && s->val.len > 0) {
        ts_sbuf_put(&s->val, "; ", 2); /* vector items of app.xml (TitlesOfParts) */
    }
}

static void props_text(ts_xml *x, void *u, const char *t, size_t len)
{
    props_state *s = u;
    if (ts_xml_depth(x) >= 2)
        ts_sbuf_put(&s->val, t, len);
}

/* Which property is what: metadata text always, and a structural finding for some. */
static ts_status props_value(props_state *s, const char *local, const char *v)
{
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = s->part};
    if (strcmp(local, "Application") == 0)
        snprintf(s->app, sizeof s->app, "%s", v);
    else if (strcmp(local, "AppVersion") == 0)
        snprintf(s->version, sizeof s->version, "%s", v);
    return ts_office_property(s->o->doc, &loc, local, v);
}

static void props_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    props_state *s = u;
    if (ts_xml_depth(x) != 2 || s->st != TS_OK)
        return;
    const char *v = ts_sbuf_trim(&s->val);
    if (*v == '\0')
        return;
    /* dates and counters say nothing about people or networks */
    static const char *const skip[] = {"created", "modified", "lastPrinted", "revision",
                                       "TotalTime", "Pages", "Words", "Characters", "Lines",
                                       "Paragraphs", "CharactersWithSpaces", "DocSecurity",
                                       "ScaleCrop", "LinksUpToDate", "SharedDoc",
                                       "HyperlinksChanged", "Slides", "Notes",
                                       "HiddenSlides", "MMClips", "PresentationFormat", NULL};
    for (size_t i = 0; skip[i]; i++)
        if (strcmp(local, skip[i]) == 0)
            return;
    const char *label = strcmp(local, "property") == 0 ? s->name : local;
    ts_tsink_line(&s->o->meta, 0);
    ts_tsink_put(&s->o->meta, label, strlen(label), TS_WHERE_METADATA);
    ts_tsink_put(&s->o->meta, ": ", 2, TS_WHERE_METADATA);
    ts_tsink_put(&s->o->meta, v, strlen(v), TS_WHERE_METADATA);
    s->st = props_value(s, local, v);
}

ts_status ts_opc_props(ts_opc *o, const char *part)
{
    size_t idx = ts_opc_part(o, part);
    if (idx == TS_ZIP_NONE || o->done[idx])
        return TS_OK;
    props_state s = {.o = o, .part = ts_zip_name(o->z, idx)};
    ts_tsink_place(&o->meta, TS_WHERE_METADATA, s.part, 0);
    ts_xml_handler h = {.start = props_start, .text = props_text, .end = props_end};
    ts_status st = ts_opc_parse(o, idx, &h, &s);
    if (s.val.oom)
        st = TS_ENOMEM;
    ts_sbuf_free(&s.val);
    if (st == TS_OK)
        st = s.st;
    if (st == TS_OK && s.app[0]) {
        ts_loc loc = {.where = TS_WHERE_METADATA, .part = s.part};
        char *v = ts_doc_printf(o->doc, "%s%s%s", s.app, s.version[0] ? " " : "", s.version);
        st = v ? ts_doc_flag(o->doc, "metadata.software", &loc, v, "application") : TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_tsink_flush(&o->meta);
    return st;
}

/* ---- external targets of every relationship part ------------------------------------------- */

static ts_status external_targets(ts_opc *o, size_t idx)
{
    const char *name = ts_zip_name(o->z, idx);
    char source[MAX_PART_NAME];
    /* "word/_rels/document.xml.rels" → "word/document.xml" */
    const char *r = strstr(name, "_rels/");
    size_t nl = strlen(name);
    if (r == NULL || nl < 5 || nl >= sizeof source || strcasecmp(name + nl - 5, ".rels") != 0)
        return TS_OK;
    size_t dir = (size_t)(r - name);
    memcpy(source, name, dir);
    memcpy(source + dir, r + 6, nl - dir - 6 - 5);
    source[nl - 6 - 5] = '\0';
    ts_opc_rels rels;
    ts_status st = ts_opc_rels_of(o, source, &rels);
    ts_tsink links;
    ts_tsink_init(&links, o->doc, TS_WHERE_BODY, name);
    for (size_t i = 0; i < rels.n && st == TS_OK; i++) {
        const ts_opc_rel *rel = &rels.v[i];
        if (!rel->external)
            continue;
        ts_loc loc = {.where = TS_WHERE_METADATA, .part = name};
        const char *t = rel->target;
        if (strcmp(rel->type, "hyperlink") == 0) {
            ts_tsink_line(&links, 0);
            ts_tsink_put(&links, t, strlen(t), TS_WHERE_BODY);
            st = ts_office_paths(o->doc, &loc, t, strlen(t), "link");
            continue;
        }
        if (strcmp(rel->type, "attachedTemplate") == 0) {
            st = ts_doc_flag(o->doc, "metadata.template-path", &loc, t, "attached template");
            if (st == TS_OK)
                st = ts_office_paths(o->doc, &loc, t, strlen(t), "attached template");
        } else {
            char *d = ts_doc_printf(o->doc, "linked %s", rel->type);
            st = d ? ts_doc_flag(o->doc, "hidden.external-link", &loc, t, d) : TS_ENOMEM;
            if (st == TS_OK)
                st = ts_office_paths(o->doc, &loc, t, strlen(t), "linked file");
        }
        ts_tsink_place(&links, TS_WHERE_METADATA, name, 0);
        ts_tsink_line(&links, 0);
        ts_tsink_put(&links, t, strlen(t), TS_WHERE_METADATA);
        ts_tsink_flush(&links);
        ts_tsink_place(&links, TS_WHERE_BODY, name, 0);
    }
    ts_status st2 = ts_tsink_dispose(&links);
    return st != TS_OK ? st : st2;
}

/* ---- what the walk left: embedded files, macros, images, other XML ------------------------- */

static bool has_prefix_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

static ts_status embedded(ts_opc *o, size_t idx, const char *name, bool flag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    ts_status st = ts_zip_read(o->z, idx, &data, &len);
    if (st != TS_OK)
        return ts_opc_soft(st);
    ts_loc loc = {.where = TS_WHERE_ATTACHMENT, .part = name};
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (flag)
        st = ts_doc_flag(o->doc, "hidden.embedded-file", &loc, base, name);
    if (st == TS_OK)
        st = ts_doc_child(o->doc, ts_zip_name_safe(name) ? name : "embedded-file", data, len);
    ts_free(data);
    return st;
}

/* Printer settings (a Windows DEVMODEW): the printer's name, often a \\server\queue path. */
static ts_status printer(ts_opc *o, size_t idx, const char *name)
{
    unsigned char *data = NULL;
    size_t len = 0;
    ts_status st = ts_zip_read(o->z, idx, &data, &len);
    if (st != TS_OK)
        return ts_opc_soft(st);
    char text[80];
    size_t n = 0;
    memcpy(text, "printer: ", 9);
    n = 9;
    /* dmDeviceName: 32 UTF-16LE code units; names are ASCII in practice, others become '?' */
    for (size_t i = 0; i + 1 < len && i < 64 && data[i] | data[i + 1]; i += 2)
        text[n++] = data[i + 1] == 0 && data[i] >= 0x20 && data[i] < 0x7F ? (char)data[i] : '?';
    ts_free(data);
    if (n == 9)
        return TS_OK;
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = name};
    return ts_doc_text(o->doc, &loc, text, n);
}

/*
 * ---- pivot caches ---------------------------------------------------------------------------
 * A pivot table's cache (pivotCacheDefinition: the source range and every distinct value of each
 * field; pivotCacheRecords: every source row) is a copy of the data it was made from, kept even
 * when the source sheet was deleted. Its values are attributes (<s v="…"/>), which the generic
 * text reader does not see: each record becomes a line, its string values separated by tabs.
 */

typedef struct pivot_state {
    ts_tsink sink;
    unsigned long line;
    size_t values;
} pivot_state;

static void pivot_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                        const char **attrs)
{
    (void)x;
    (void)uri;
    pivot_state *p = u;
    size_t n = 0;
    const char *v = NULL;
    if (strcmp(local, "r") == 0 || strcmp(local, "cacheField") == 0) {
        ts_tsink_line(&p->sink, ++p->line);
        if (local[0] == 'c' && (v = ts_xml_attr(nattr, attrs, "name", &n)) != NULL) {
            ts_tsink_put(&p->sink, v, n, TS_WHERE_HIDDEN_SHEET);
            ts_tsink_put(&p->sink, ":", 1, TS_WHERE_HIDDEN_SHEET);
        }
        return;
    }
    if (strcmp(local, "worksheetSource") == 0) {
        static const char *const keys[] = {"sheet", "ref", "name", NULL};
        ts_tsink_line(&p->sink, ++p->line);
        for (size_t k = 0; keys[k]; k++) {
            if ((v = ts_xml_attr(nattr, attrs, keys[k], &n)) == NULL)
                continue;
            ts_tsink_put(&p->sink, "\t", 1, TS_WHERE_HIDDEN_SHEET);
            ts_tsink_put(&p->sink, v, n, TS_WHERE_HIDDEN_SHEET);
        }
        return;
    }
    /* string items; numbers, dates and booleans say less and are many */
    if (strcmp(local, "s") == 0 && (v = ts_xml_attr(nattr, attrs, "v", &n)) != NULL) {
        if (ts_tsink_line_len(&p->sink) > 0)
            ts_tsink_put(&p->sink, "\t", 1, TS_WHERE_HIDDEN_SHEET);
        ts_tsink_put(&p->sink, v, n, TS_WHERE_HIDDEN_SHEET);
        p->values++;
    }
}

static ts_status pivot(ts_opc *o, size_t idx, const char *name)
{
    pivot_state p = {0};
    ts_tsink_init(&p.sink, o->doc, TS_WHERE_HIDDEN_SHEET, name);
    ts_xml_handler h = {.start = pivot_start};
    ts_status st = ts_opc_parse(o, idx, &h, &p);
    ts_status st2 = ts_tsink_dispose(&p.sink);
    if (st == TS_OK)
        st = st2;
    if (st == TS_OK && p.values > 0) {
        ts_loc loc = {.where = TS_WHERE_HIDDEN_SHEET, .part = name};
        char *d = ts_doc_printf(o->doc, "%zu text values kept in the pivot cache", p.values);
        st = d ? ts_doc_flag(o->doc, "hidden.pivot-cache", &loc, name, d) : TS_ENOMEM;
    }
    return ts_opc_soft(st);
}

static bool is_image_type(const char *ct, ts_type *t)
{
    if (strcasecmp(ct, "image/jpeg") == 0)
        *t = TS_TYPE_JPEG;
    else if (strcasecmp(ct, "image/png") == 0)
        *t = TS_TYPE_PNG;
    else if (strcasecmp(ct, "image/tiff") == 0)
        *t = TS_TYPE_TIFF;
    else
        return false;
    return true;
}

/* Content types whose text is formatting only (styles, themes, fonts, numbering …). */
static bool formatting_only(const char *ct)
{
    static const char *const ends[] = {
        "styles+xml", "theme+xml", "fontTable+xml", "numbering+xml", "webSettings+xml",
        "stylesWithEffects+xml", "calcChain+xml", "chartStyle+xml", "chartColorStyle+xml",
        "diagramColors+xml", "diagramStyle+xml", "diagramLayout+xml", "tableStyles+xml",
        "presProps+xml", "viewProps+xml", "themeOverride+xml", "vmlDrawing", "customXmlProperties+xml",
        "relationships+xml", "commentsIds+xml", "commentsExtensible+xml", "fontData",
        "obfuscatedFont", "sheetMetadata+xml", "volatileDependencies+xml", NULL};
    for (size_t i = 0; ends[i]; i++)
        if (ends_with_ci(ct, ends[i]))
            return true;
    return false;
}

static ts_status leftover(ts_opc *o, size_t idx)
{
    const char *name = ts_zip_name(o->z, idx);
    const char *ct = o->ctype[idx] ? o->ctype[idx] : "";
    if (name == NULL || ts_zip_is_dir(o->z, idx))
        return TS_OK;
    o->done[idx] = true;
    if (ends_with_ci(ct, "vbaProject") || ends_with_ci(name, "vbaProject.bin"))
        return ts_opc_macros(o, name);
    if (strstr(name, "/embeddings/") || ends_with_ci(ct, ".oleObject") ||
        ends_with_ci(ct, ".package") || strstr(ct, "afchunk") != NULL)
        return embedded(o, idx, name, true);
    if (ends_with_ci(ct, "printerSettings") || strstr(name, "/printerSettings/"))
        return printer(o, idx, name);
    if (ends_with_ci(ct, "pivotCacheRecords+xml") || ends_with_ci(ct, "pivotCacheDefinition+xml"))
        return pivot(o, idx, name);
    ts_type it;
    if (is_image_type(ct, &it))
        return ts_extractor_for(it) ? embedded(o, idx, name, false) : TS_OK;
    if (has_prefix_ci(name, "customXml/") && !formatting_only(ct))
        return ts_opc_generic(o, idx, TS_WHERE_METADATA);
    if ((ends_with_ci(ct, "+xml") || ends_with_ci(ct, "/xml")) && !formatting_only(ct))
        return ts_opc_generic(o, idx, TS_WHERE_BODY);
    return TS_OK;
}

/* ---- the extractor -------------------------------------------------------------------------- */

static bool ct_has(const char *ct, const char *a, const char *b)
{
    return ct && (strstr(ct, a) != NULL || strstr(ct, b) != NULL);
}

static ts_status ooxml_extract(ts_doc *doc, const ts_input *in)
{
    ts_status st = TS_OK;
    ts_opc o = {.doc = doc};
    ts_opc_rels pkg = {0};
    size_t main = TS_ZIP_NONE;

    if (in->type == TS_TYPE_OOXML_ENCRYPTED) {
        ts_doc_fail(doc, TS_EENCRYPTED, "password-protected Office file");
        return TS_OK;
    }
    st = ts_zip_open(&o.z, doc, in);
    if (st != TS_OK)
        return ts_opc_soft(st);
    size_t n = ts_zip_count(o.z);
    o.ctype = ts_calloc(n ? n : 1, sizeof(*o.ctype));
    o.done = ts_calloc(n ? n : 1, sizeof(*o.done));
    ts_tsink_init(&o.meta, doc, TS_WHERE_METADATA, NULL);
    if (o.ctype == NULL || o.done == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    if ((st = read_content_types(&o)) != TS_OK)
        goto out;
    if ((st = ts_opc_rels_of(&o, "", &pkg)) != TS_OK)
        goto out;
    for (size_t i = 0; i < pkg.n && main == TS_ZIP_NONE; i++)
        if (strcmp(pkg.v[i].type, "officeDocument") == 0 && !pkg.v[i].external)
            main = ts_opc_part(&o, pkg.v[i].target);
    for (size_t i = 0; i < pkg.n && st == TS_OK; i++)
        if (!pkg.v[i].external && (strcmp(pkg.v[i].type, "core-properties") == 0 ||
                                   strcmp(pkg.v[i].type, "extended-properties") == 0 ||
                                   strcmp(pkg.v[i].type, "custom-properties") == 0))
            st = ts_opc_props(&o, pkg.v[i].target);
    /* properties a producer forgot to relate are still read */
    if (st == TS_OK)
        st = ts_opc_props(&o, "docProps/core.xml");
    if (st == TS_OK)
        st = ts_opc_props(&o, "docProps/app.xml");
    if (st == TS_OK)
        st = ts_opc_props(&o, "docProps/custom.xml");
    if (st != TS_OK)
        goto out;
    if (in->type == TS_TYPE_XLSB) {
        /* the package is read (properties, macros, embedded files), the binary parts are not */
        ts_doc_fail_msg(doc, TS_EUNSUPPORTED, TS_MSG_FAIL_XLSB);
    } else if (main == TS_ZIP_NONE) {
        ts_doc_fail(doc, TS_ECORRUPT, "the package names no main document part");
    } else {
        const char *ct = o.ctype[main];
        if (ct_has(ct, "wordprocessingml", "ms-word") ||
            (ct == NULL && (in->type == TS_TYPE_DOCX || in->type == TS_TYPE_DOCM)))
            st = ts_docx_read(&o, main);
        else if (ct_has(ct, "spreadsheetml", "ms-excel") ||
                 (ct == NULL && (in->type == TS_TYPE_XLSX || in->type == TS_TYPE_XLSM)))
            st = ts_xlsx_read(&o, main);
        else if (ct_has(ct, "presentationml", "ms-powerpoint") ||
                 (ct == NULL && (in->type == TS_TYPE_PPTX || in->type == TS_TYPE_PPTM)))
            st = ts_pptx_read(&o, main);
        else
            ts_doc_fail(doc, TS_EUNSUPPORTED, "main part of an unknown kind (%s)",
                        ct ? ct : "no content type");
    }
    /* every relationship part, read before or not, for its external targets */
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        const char *name = ts_zip_name(o.z, i);
        if (name && ends_with_ci(name, ".rels"))
            st = external_targets(&o, i);
        else if (!o.done[i])
            st = leftover(&o, i);
    }
out:;
    ts_status st2 = ts_tsink_dispose(&o.meta);
    if (st == TS_OK)
        st = st2;
    ts_free(o.ctype);
    ts_free(o.done);
    ts_zip_close(o.z);
    return st;
}

static ts_status ooxml_init(void)
{
    return ts_xml_init();
}

const struct ts_extractor ts_extractor_ooxml = {
    .name = "ooxml",
    .types = (const ts_type[]){TS_TYPE_DOCX, TS_TYPE_DOCM, TS_TYPE_XLSX, TS_TYPE_XLSM,
                               TS_TYPE_XLSB, TS_TYPE_PPTX, TS_TYPE_PPTM, TS_TYPE_OOXML_ENCRYPTED,
                               TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .init = ooxml_init,
    .extract = ooxml_extract,
    .rules = ts_office_rules,
};

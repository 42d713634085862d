/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ASCII DXF, streamed pair by pair: texts, attributes, layers (off/frozen = hidden), header. */
#include "extract/drawing.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <iconv.h>

#include "detect/checks.h"
#include "extract/office.h"

/*
 * A DXF file is a flat list of (group code, value) line pairs (AutoCAD DXF Reference, "DXF
 * Format"): sections HEADER ($VARIABLE then its values), TABLES (the LAYER table with each
 * layer's flags and colour), BLOCKS and ENTITIES (each entity starts with code 0 and its type),
 * OBJECTS. The file is read once from start to end and nothing is copied but the texts of the
 * entity at hand, so a 100 MB drawing costs no more memory than a small one; the pages behind
 * the reader are given back to the kernel as it goes.
 *
 * A layer is hidden when it is frozen (code 70 bit 1) or off (a negative colour, code 62);
 * the texts of its entities are handed over with where = layer and part = its name. Texts go
 * to detection in batches per layer (a small pool of text sinks), so that a finding names its
 * layer and the line of the file it is on.
 */

#define NSINKS 16u                 /* layers batched at the same time */
#define RELEASE_STEP (4u << 20)    /* give mapped pages back every 4 MiB */
#define MAX_VALUE 4096u            /* hostile input: a value longer than this is cut */
#define MAX_ENTITY_TEXT (1u << 20) /* hostile input: text kept per entity */
#define NAME_BYTES 256u
#define MAX_LAYERS 65536u /* hostile input: layers tracked (drawings have hundreds) */

enum section { S_NONE, S_HEADER, S_TABLES, S_BLOCKS, S_ENTITIES, S_OBJECTS, S_OTHER };

typedef struct dxf_layer {
    const char *name; /* arena */
    bool frozen, off;
    int sink; /* index into the pool, -1 when none */
    size_t entities, texts;
} dxf_layer;

typedef struct dxf {
    ts_doc *doc;
    const ts_input *in;
    ts_status st;
    /* reading */
    size_t pos, released;
    unsigned long line; /* line number of the value just read */
    int code;
    const char *val;
    size_t vlen;
    bool truncated_value;
    /* where we are */
    enum section sec;
    bool want_section_name;
    char table[32];  /* TABLES: the table being read ("LAYER") */
    char entity[32]; /* the entity or table entry being read */
    char var[64];    /* HEADER: the variable being read */
    bool utf8;       /* AC1021 (2007) and later write UTF-8 */
    /* the entity being read */
    size_t ent_layer;
    bool ent_invisible, ent_is_xref;
    int ent_flags;
    unsigned long ent_line;
    ts_sbuf text, mtext;
    char block[NAME_BYTES]; /* INSERT's block, BLOCK's name */
    /* a LAYER table entry */
    char lname[NAME_BYTES];
    int lflags, lcolor;
    /* layers */
    dxf_layer *layers;
    size_t nlayers, cap_layers;
    size_t *index; /* open addressing over layer numbers + 1 (0 = empty) */
    size_t cap_index;
    /* text sinks */
    ts_tsink sinks[NSINKS];
    size_t owner[NSINKS];
    uint64_t used[NSINKS], clock;
    ts_tsink meta;
    size_t texts, invisible_texts;
    const char *first_invisible;
    bool over_limit, over_layers;
    iconv_t cd; /* from $DWGCODEPAGE to UTF-8 (before AutoCAD 2007), or (iconv_t)-1 */
    ts_sbuf scratch;
} dxf;

static void oom(dxf *x, ts_status st)
{
    if (st != TS_OK && x->st == TS_OK)
        x->st = st;
}

/* ---- layers --------------------------------------------------------------------------------- */

static uint64_t hash_ci(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 32);
        h = (h ^ c) * 1099511628211u;
    }
    return h;
}

/* Layer names compare without ASCII case, as AutoCAD does. */
static size_t layer_find(const dxf *x, const char *name, size_t n)
{
    if (x->cap_index == 0)
        return SIZE_MAX;
    size_t mask = x->cap_index - 1;
    for (size_t i = (size_t)hash_ci(name, n) & mask;; i = (i + 1) & mask) {
        size_t k = x->index[i];
        if (k == 0)
            return SIZE_MAX;
        const char *ln = x->layers[k - 1].name;
        if (strlen(ln) == n && strncasecmp(ln, name, n) == 0)
            return k - 1;
    }
}

static void index_put(dxf *x, size_t k)
{
    size_t mask = x->cap_index - 1;
    const char *name = x->layers[k].name;
    size_t i = (size_t)hash_ci(name, strlen(name)) & mask;
    while (x->index[i] != 0)
        i = (i + 1) & mask;
    x->index[i] = k + 1;
}

/* The layer called `name`, created when new; SIZE_MAX over the limit or out of memory. */
static size_t layer_get(dxf *x, const char *name, size_t n)
{
    size_t k = layer_find(x, name, n);
    if (k != SIZE_MAX)
        return k;
    if (x->nlayers >= MAX_LAYERS || x->nlayers >= ts_doc_limits(x->doc)->max_items) {
        /* hostile input: a layer per entity; the rest share one last layer */
        if (!x->over_layers) {
            x->over_layers = true;
            ts_doc_fail(x->doc, TS_ELIMIT, "more than %zu layers", x->nlayers);
        }
        return x->nlayers - 1;
    }
    if (ts_grow((void **)&x->layers, &x->cap_layers, x->nlayers + 1, sizeof(*x->layers)) != 0) {
        oom(x, TS_ENOMEM);
        return SIZE_MAX;
    }
    if ((x->nlayers + 1) * 2 > x->cap_index) {
        size_t cap = x->cap_index ? x->cap_index * 2 : 64;
        size_t *idx = ts_calloc(cap, sizeof(*idx));
        if (idx == NULL) {
            oom(x, TS_ENOMEM);
            return SIZE_MAX;
        }
        ts_free(x->index);
        x->index = idx;
        x->cap_index = cap;
        for (size_t i = 0; i < x->nlayers; i++)
            index_put(x, i);
    }
    dxf_layer *l = &x->layers[x->nlayers];
    memset(l, 0, sizeof(*l));
    l->sink = -1;
    l->name = ts_doc_strndup(x->doc, name, n);
    if (l->name == NULL) {
        oom(x, TS_ENOMEM);
        return SIZE_MAX;
    }
    index_put(x, x->nlayers);
    return x->nlayers++;
}

static bool layer_hidden(const dxf_layer *l)
{
    return l->frozen || l->off;
}

/* The sink that batches the texts of layer k: its own, or the least recently used one. */
static ts_tsink *sink_for(dxf *x, size_t k)
{
    dxf_layer *l = &x->layers[k];
    int s = l->sink;
    if (s < 0) {
        unsigned best = 0;
        for (unsigned i = 1; i < NSINKS; i++)
            if (x->used[i] < x->used[best])
                best = i;
        if (x->owner[best] != SIZE_MAX)
            x->layers[x->owner[best]].sink = -1;
        oom(x, ts_tsink_flush(&x->sinks[best]));
        x->owner[best] = k;
        l->sink = s = (int)best;
        ts_tsink_place(&x->sinks[s], layer_hidden(l) ? TS_WHERE_LAYER : TS_WHERE_DRAWING, l->name,
                       0);
    }
    x->used[s] = ++x->clock;
    return &x->sinks[s];
}

/* ---- text decoding (DXF Reference: "Control Character Handling", MTEXT format codes) -------- */

/* "\U+00F8" at s: its code point and length, or 0. */
static size_t unicode_escape(const char *s, size_t n, uint32_t *cp)
{
    if (n < 7 || s[0] != '\\' || (s[1] != 'U' && s[1] != 'u') || s[2] != '+')
        return 0;
    uint32_t v = 0;
    for (size_t i = 3; i < 7; i++) {
        int h = ts_hex_digit((unsigned char)s[i]);
        if (h < 0)
            return 0;
        v = v << 4 | (uint32_t)h;
    }
    if (v >= 0xD800 && v <= 0xDFFF)
        v = 0xFFFD;
    *cp = v;
    return 7;
}

static void put_cp(ts_sbuf *b, uint32_t cp)
{
    unsigned char u[4];
    size_t n = ts_utf8_put(u, cp);
    ts_sbuf_put(b, (const char *)u, n);
}

/*
 * Append text value s to b, decoding \U+XXXX and the %%-codes (%%d degree, %%p plus-minus,
 * %%c diameter, %%u/%%o underline/overline toggles, %%nnn a character); with `mtext`, also the
 * MTEXT format codes: \P new paragraph, \~ space, \\ \{ \} literal, { } groups, \S stacked
 * fractions, \L \l \O \o \K \k \N toggles, and \A \C \c \F \f \H \Q \T \W \p codes up to ';'.
 */
static void decode(ts_sbuf *b, const char *s, size_t n, bool mtext)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        uint32_t cp;
        size_t k = unicode_escape(s + i, n - i, &cp);
        if (k > 0) {
            put_cp(b, cp);
            i += k - 1;
            continue;
        }
        if (c == '%' && i + 2 < n && s[i + 1] == '%') {
            char d = s[i + 2];
            i += 2;
            if (d == 'd' || d == 'D')
                put_cp(b, 0xB0);
            else if (d == 'p' || d == 'P')
                put_cp(b, 0xB1);
            else if (d == 'c' || d == 'C')
                put_cp(b, 0x2300);
            else if (d == '%')
                ts_sbuf_put(b, "%", 1);
            else if (d >= '0' && d <= '9') {
                unsigned v = 0;
                size_t j = i;
                while (j < n && j < i + 3 && s[j] >= '0' && s[j] <= '9')
                    v = v * 10 + (unsigned)(s[j++] - '0');
                if (v >= 32 && v < 256)
                    put_cp(b, v);
                i = j - 1;
            }
            continue;
        }
        if (!mtext) {
            ts_sbuf_put(b, &c, 1);
            continue;
        }
        if (c == '{' || c == '}')
            continue;
        if (c != '\\' || i + 1 >= n) {
            ts_sbuf_put(b, &c, 1);
            continue;
        }
        char e = s[++i];
        switch (e) {
        case 'P':
        case 'X':
            ts_sbuf_put(b, "\n", 1);
            break;
        case '~':
            ts_sbuf_put(b, " ", 1);
            break;
        case '\\':
        case '{':
        case '}':
            ts_sbuf_put(b, &e, 1);
            break;
        case 'L':
        case 'l':
        case 'O':
        case 'o':
        case 'K':
        case 'k':
        case 'N':
            break;
        case 'S': { /* stacked text "\S1^2;" → "1/2" */
            size_t j = i + 1;
            while (j < n && s[j] != ';') {
                char f = s[j] == '^' || s[j] == '#' ? '/' : s[j];
                ts_sbuf_put(b, &f, 1);
                j++;
            }
            i = j;
            break;
        }
        case 'A':
        case 'C':
        case 'c':
        case 'F':
        case 'f':
        case 'H':
        case 'Q':
        case 'T':
        case 'W':
        case 'p': {
            const char *semi = memchr(s + i, ';', n - i);
            i = semi ? (size_t)(semi - s) : n;
            break;
        }
        default:
            ts_sbuf_put(b, "\\", 1);
            ts_sbuf_put(b, &e, 1);
            break;
        }
    }
}

/* ---- entities ------------------------------------------------------------------------------- */

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Hand the entity's text to its layer's sink and report it as a shape label. */
static void entity_end(dxf *x)
{
    if (x->entity[0] == '\0' || x->st != TS_OK)
        goto reset;
    if (x->mtext.len > 0) {
        if (x->text.len > 0)
            ts_sbuf_put(&x->text, "\n", 1);
        decode(&x->text, ts_sbuf_str(&x->mtext), x->mtext.len, true);
    }
    if (x->text.oom || x->mtext.oom)
        oom(x, TS_ENOMEM);
    if (x->sec == S_OBJECTS) { /* data attached to the drawing, never drawn */
        const char *o = ts_sbuf_trim(&x->text);
        if (*o != '\0') {
            ts_tsink_line(&x->meta, x->ent_line);
            ts_tsink_put(&x->meta, o, x->text.len, TS_WHERE_METADATA);
        }
        goto reset;
    }
    size_t k = x->ent_layer;
    if (k == SIZE_MAX) {
        k = layer_get(x, "0", 1);
        if (k == SIZE_MAX)
            goto reset;
    }
    dxf_layer *l = &x->layers[k];
    l->entities++;
    const char *t = ts_sbuf_trim(&x->text);
    bool insert = is(x->entity, "INSERT") && x->block[0] && x->block[0] != '*';
    /* a placed shape: not a block definition, not an INSERT's attribute, not an object */
    bool shape = x->sec == S_ENTITIES && !is(x->entity, "ATTRIB");
    if (shape && (*t != '\0' || insert)) {
        ts_loc loc = {.where = TS_WHERE_DRAWING};
        if (insert) { /* the block's name says what is placed: "SWITCH", "Kamera" */
            char label[NAME_BYTES * 2];
            int n = snprintf(label, sizeof label, "%s %s", x->block, t);
            size_t ln = n < 0 ? 0 : (size_t)n < sizeof label ? (size_t)n : sizeof label - 1;
            oom(x, ts_doc_shape(x->doc, &loc, label, ln));
        } else {
            oom(x, ts_doc_shape(x->doc, &loc, t, x->text.len));
        }
    }
    if (*t != '\0') {
        if (++x->texts > ts_doc_limits(x->doc)->max_items) {
            if (!x->over_limit)
                ts_doc_fail(x->doc, TS_ELIMIT, "more than %u texts",
                            (unsigned)ts_doc_limits(x->doc)->max_items);
            x->over_limit = true;
            goto reset;
        }
        l->texts++;
        bool invisible = x->ent_invisible && !layer_hidden(l);
        if (invisible && x->invisible_texts++ == 0) {
            size_t m = x->text.len < 80 ? x->text.len : 80;
            while (m > 0 && m < x->text.len && ((unsigned char)t[m] & 0xC0) == 0x80)
                m--;
            x->first_invisible = ts_doc_strndup(x->doc, t, m);
            if (x->first_invisible == NULL)
                oom(x, TS_ENOMEM);
        }
        ts_tsink *s = sink_for(x, k);
        ts_tsink_line(s, x->ent_line);
        ts_tsink_put(s, t, x->text.len, invisible ? TS_WHERE_INVISIBLE_TEXT : s->where);
    }
reset:
    x->entity[0] = '\0';
    x->ent_layer = SIZE_MAX;
    x->ent_invisible = x->ent_is_xref = false;
    x->ent_flags = 0;
    x->ent_line = 0;
    x->block[0] = '\0';
    ts_sbuf_clear(&x->text);
    ts_sbuf_clear(&x->mtext);
}

/*
 * A value in the drawing's code page ($DWGCODEPAGE) as UTF-8, in x->scratch. Windows-1252 needs
 * nothing: bytes that are not UTF-8 are read as Windows-1252 by detection anyway.
 */
static const char *to_utf8(dxf *x, const char *s, size_t *n)
{
    if (x->cd == (iconv_t)-1 || x->utf8)
        return s;
    ts_sbuf_clear(&x->scratch);
    char out[1024];
    char *ip = (char *)(uintptr_t)s; /* iconv's API is not const; it does not write */
    size_t il = *n;
    iconv(x->cd, NULL, NULL, NULL, NULL);
    while (il > 0) {
        char *op = out;
        size_t ol = sizeof out;
        size_t r = iconv(x->cd, &ip, &il, &op, &ol);
        ts_sbuf_put(&x->scratch, out, (size_t)(op - out));
        if (r == (size_t)-1 && op == out) { /* a byte the code page lacks: keep it */
            ts_sbuf_put(&x->scratch, ip, 1);
            ip++;
            il--;
        }
    }
    *n = x->scratch.len;
    return ts_sbuf_str(&x->scratch);
}

static void add_text(dxf *x, const char *s, size_t n)
{
    if (n == 0)
        return;
    s = to_utf8(x, s, &n);
    if (x->ent_line == 0)
        x->ent_line = x->line;
    if (x->text.len > 0)
        ts_sbuf_put(&x->text, "\n", 1);
    decode(&x->text, s, n, false);
}

/* A group of an entity (in BLOCKS, ENTITIES or OBJECTS). */
static void entity_group(dxf *x)
{
    const char *v = x->val;
    size_t n = x->vlen;
    const char *e = x->entity;
    switch (x->code) {
    case 8: {
        size_t m = n < NAME_BYTES ? n : NAME_BYTES - 1;
        while (m > 0 && (v[m - 1] == ' ' || v[m - 1] == '\t'))
            m--;
        x->ent_layer = layer_get(x, v, m);
        return;
    }
    case 60:
        x->ent_invisible = n > 0 && v[n - 1] == '1';
        return;
    case 1:
        if (is(e, "IMAGEDEF") || (is(e, "BLOCK") && x->ent_is_xref)) {
            /* a linked file: its path says where the project lives */
            char *p = ts_doc_strndup(x->doc, v, n);
            ts_loc loc = {.where = TS_WHERE_METADATA, .line = x->line};
            if (p == NULL)
                oom(x, TS_ENOMEM);
            else
                oom(x, ts_doc_flag(x->doc, "hidden.external-link", &loc, p,
                                   is(e, "BLOCK") ? "external reference (xref)" : "linked image"));
            if (x->st == TS_OK)
                oom(x, ts_office_paths(x->doc, &loc, v, n, "linked file"));
            return;
        }
        if (is(e, "DIMENSION") && n == 2 && memcmp(v, "<>", 2) == 0)
            return; /* the measured value */
        if (is(e, "MTEXT")) {
            if (x->ent_line == 0)
                x->ent_line = x->line;
            v = to_utf8(x, v, &n);
            ts_sbuf_put(&x->mtext, v, n);
            return;
        }
        add_text(x, v, n);
        return;
    case 3:
        if (is(e, "MTEXT")) {
            if (x->ent_line == 0)
                x->ent_line = x->line;
            v = to_utf8(x, v, &n);
            ts_sbuf_put(&x->mtext, v, n); /* 250-character pieces before the last one (1) */
        } else if (is(e, "ATTDEF") || is(e, "ACAD_TABLE") || is(e, "BLOCK")) {
            if (!is(e, "BLOCK"))
                add_text(x, v, n);
        }
        return;
    case 2:
        if (is(e, "INSERT") || is(e, "BLOCK")) {
            size_t m = n < sizeof x->block ? n : sizeof x->block - 1;
            memcpy(x->block, v, m);
            x->block[m] = '\0';
            if (is(e, "BLOCK") && v[0] != '*')
                add_text(x, v, n); /* a block's name is text of the drawing too */
        }
        return;
    case 4:
        if (is(e, "BLOCK"))
            add_text(x, v, n); /* the block's description */
        return;
    case 70:
        if (is(e, "BLOCK")) {
            unsigned long f = 0;
            for (size_t i = 0; i < n && i < 10; i++)
                if (v[i] >= '0' && v[i] <= '9')
                    f = f * 10 + (unsigned long)(v[i] - '0');
            x->ent_is_xref = (f & 4u) != 0; /* DXF Reference, BLOCK: 4 = external reference */
        }
        return;
    case 302:
        if (is(e, "ACAD_TABLE"))
            add_text(x, v, n);
        return;
    case 304:
        if (is(e, "MULTILEADER")) {
            if (x->ent_line == 0)
                x->ent_line = x->line;
            if (x->mtext.len > 0)
                ts_sbuf_put(&x->mtext, "\\P", 2);
            v = to_utf8(x, v, &n);
            ts_sbuf_put(&x->mtext, v, n);
        }
        return;
    case 1000: /* XDATA: strings an application attached to the entity */
        add_text(x, v, n);
        return;
    default:
        if (x->code >= 300 && x->code <= 309 && (is(e, "XRECORD") || is(e, "GROUP")))
            add_text(x, v, n);
        return;
    }
}

/* ---- tables --------------------------------------------------------------------------------- */

static long number(const char *v, size_t n)
{
    size_t i = 0;
    bool neg = false;
    while (i < n && v[i] == ' ')
        i++;
    if (i < n && (v[i] == '-' || v[i] == '+'))
        neg = v[i++] == '-';
    long r = 0;
    for (; i < n && v[i] >= '0' && v[i] <= '9' && r < 100000000; i++)
        r = r * 10 + (v[i] - '0');
    return neg ? -r : r;
}

static void layer_entry_end(dxf *x)
{
    if (x->lname[0] == '\0')
        return;
    size_t k = layer_get(x, x->lname, strlen(x->lname));
    if (k == SIZE_MAX)
        return;
    dxf_layer *l = &x->layers[k];
    l->frozen = (x->lflags & 1) != 0;
    l->off = x->lcolor < 0;
    /* a layer's own name is text (DESIGN §7: where = layer) */
    ts_loc loc = {.where = TS_WHERE_LAYER, .part = l->name, .line = x->line};
    oom(x, ts_doc_text(x->doc, &loc, l->name, strlen(l->name)));
}

static void table_group(dxf *x)
{
    if (!is(x->table, "LAYER") || !is(x->entity, "LAYER"))
        return;
    if (x->code == 2) {
        size_t m = x->vlen < sizeof x->lname ? x->vlen : sizeof x->lname - 1;
        memcpy(x->lname, x->val, m);
        x->lname[m] = '\0';
    } else if (x->code == 70) {
        x->lflags = (int)number(x->val, x->vlen);
    } else if (x->code == 62) {
        x->lcolor = (int)number(x->val, x->vlen);
    }
}

/* ---- header --------------------------------------------------------------------------------- */

/* $TDCREATE and $TDUPDATE are Julian dates: "2019-05-12". */
static void julian_text(dxf *x, const char *what)
{
    char buf[32];
    size_t n = x->vlen < sizeof buf - 1 ? x->vlen : sizeof buf - 1;
    memcpy(buf, x->val, n);
    buf[n] = '\0';
    long jd = number(buf, n);
    if (jd < 2299161 || jd > 5373484) /* 1582 .. 9999 */
        return;
    /* Fliegel & Van Flandern, Julian day number to Gregorian date */
    long l = jd + 68569, nn = 4 * l / 146097;
    l -= (146097 * nn + 3) / 4;
    long i = 4000 * (l + 1) / 1461001;
    l = l - 1461 * i / 4 + 31;
    long j = 80 * l / 2447, d = l - 2447 * j / 80;
    l = j / 11;
    long m = j + 2 - 12 * l, y = 100 * (nn - 49) + i + l;
    ts_tsink_line(&x->meta, x->line);
    char *t = ts_doc_printf(x->doc, "%s: %04ld-%02ld-%02ld", what, y, m, d);
    if (t == NULL)
        oom(x, TS_ENOMEM);
    else
        ts_tsink_put(&x->meta, t, strlen(t), TS_WHERE_METADATA);
}

static void header_group(dxf *x)
{
    if (x->code == 9) {
        size_t m = x->vlen < sizeof x->var ? x->vlen : sizeof x->var - 1;
        memcpy(x->var, x->val, m);
        x->var[m] = '\0';
        return;
    }
    if (is(x->var, "$TDCREATE") && x->code == 40) {
        julian_text(x, "created");
        return;
    }
    if (is(x->var, "$TDUPDATE") && x->code == 40) {
        julian_text(x, "last saved");
        return;
    }
    if (x->code < 1 || x->code > 4 || x->vlen == 0)
        return;
    if (is(x->var, "$DWGCODEPAGE") && x->cd == (iconv_t)-1 && x->vlen > 5 && x->vlen < 16 &&
        memcmp(x->val, "ANSI_", 5) == 0 && !(x->vlen == 9 && memcmp(x->val, "ANSI_1252", 9) == 0)) {
        char cp[24];
        snprintf(cp, sizeof cp, "CP%.*s", (int)(x->vlen - 5), x->val + 5);
        x->cd = iconv_open("UTF-8", cp); /* unknown code pages stay (iconv_t)-1 */
    }
    if (is(x->var, "$ACADVER")) {
        x->utf8 = x->vlen >= 6 && memcmp(x->val, "AC10", 4) == 0 &&
                  number(x->val + 4, 2) >= 21; /* AC1021 = AutoCAD 2007 */
    }
    ts_loc loc = {.where = TS_WHERE_METADATA, .line = x->line};
    char *v = ts_doc_strndup(x->doc, x->val, x->vlen);
    if (v == NULL) {
        oom(x, TS_ENOMEM);
        return;
    }
    if (is(x->var, "$LASTSAVEDBY"))
        oom(x, ts_office_person(x->doc, &loc, v, "last saved by", "metadata.last-saved-by"));
    if (x->st == TS_OK)
        oom(x, ts_office_paths(x->doc, &loc, v, x->vlen, "drawing setting"));
    ts_tsink_line(&x->meta, x->line);
    ts_tsink_put(&x->meta, x->var + (x->var[0] == '$'), strlen(x->var) - (x->var[0] == '$'),
                 TS_WHERE_METADATA);
    ts_tsink_put(&x->meta, ": ", 2, TS_WHERE_METADATA);
    ts_tsink_put(&x->meta, v, x->vlen, TS_WHERE_METADATA);
}

/* ---- the pair reader ------------------------------------------------------------------------ */

/* The next line as [*s, *s + *n) without its line end; false at the end of the input. */
static bool next_line(dxf *x, const char **s, size_t *n)
{
    const ts_input *in = x->in;
    if (x->pos >= in->len)
        return false;
    const char *p = (const char *)in->data + x->pos;
    size_t left = in->len - x->pos;
    const char *nl = memchr(p, '\n', left);
    size_t len = nl ? (size_t)(nl - p) : left;
    x->pos += nl ? len + 1 : len;
    if (len > 0 && p[len - 1] == '\r')
        len--;
    *s = p;
    *n = len;
    x->line++;
    if (x->pos - x->released >= RELEASE_STEP) {
        ts_input_release(in, x->released, x->pos - x->released);
        x->released = x->pos;
    }
    return true;
}

/* The next (code, value) pair; false at the end of the input or on a line that is no code. */
static bool next_pair(dxf *x, bool *bad)
{
    const char *s;
    size_t n;
    *bad = false;
    if (!next_line(x, &s, &n))
        return false;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    bool neg = i < n && s[i] == '-';
    i += neg;
    long code = 0;
    size_t digits = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && digits < 7; i++, digits++)
        code = code * 10 + (s[i] - '0');
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (digits == 0 || i != n) {
        *bad = true;
        return false;
    }
    x->code = (int)(neg ? -code : code);
    if (!next_line(x, &s, &n)) {
        *bad = true;
        return false;
    }
    x->truncated_value = n > MAX_VALUE;
    x->val = s;
    x->vlen = n > MAX_VALUE ? MAX_VALUE : n;
    /* codes 0-9 hold names and strings; a name's trailing blanks are no part of it */
    if (x->code == 0 || x->code == 2 || x->code == 9) {
        while (x->vlen > 0 && (s[x->vlen - 1] == ' ' || s[x->vlen - 1] == '\t'))
            x->vlen--;
        while (x->vlen > 0 && (x->val[0] == ' ' || x->val[0] == '\t')) {
            x->val++;
            x->vlen--;
        }
    }
    return true;
}

static void copy_word(char *dst, size_t cap, const char *v, size_t n)
{
    size_t m = n < cap ? n : cap - 1;
    memcpy(dst, v, m);
    dst[m] = '\0';
}

static void on_zero(dxf *x)
{
    const char *v = x->val;
    size_t n = x->vlen;
    if (x->sec == S_TABLES && is(x->entity, "LAYER") && is(x->table, "LAYER"))
        layer_entry_end(x);
    if (x->sec == S_BLOCKS || x->sec == S_ENTITIES || x->sec == S_OBJECTS)
        entity_end(x);
    x->entity[0] = '\0';
    if (n == 7 && memcmp(v, "SECTION", 7) == 0) {
        x->want_section_name = true;
        return;
    }
    if (n == 6 && memcmp(v, "ENDSEC", 6) == 0) {
        x->sec = S_NONE;
        return;
    }
    if (x->sec == S_TABLES && n == 5 && memcmp(v, "TABLE", 5) == 0) {
        x->table[0] = '\0';
        copy_word(x->entity, sizeof x->entity, v, n);
        return;
    }
    copy_word(x->entity, sizeof x->entity, v, n);
    x->lname[0] = '\0';
    x->lflags = 0;
    x->lcolor = 7;
}

static void on_pair(dxf *x)
{
    if (x->code == 0) {
        on_zero(x);
        return;
    }
    if (x->code == 999) { /* a comment: often the writing program */
        ts_tsink_line(&x->meta, x->line);
        ts_tsink_put(&x->meta, x->val, x->vlen, TS_WHERE_METADATA);
        return;
    }
    if (x->want_section_name && x->code == 2) {
        x->want_section_name = false;
        const char *v = x->val;
        size_t n = x->vlen;
        x->sec = n == 6 && memcmp(v, "HEADER", 6) == 0     ? S_HEADER
                 : n == 6 && memcmp(v, "TABLES", 6) == 0   ? S_TABLES
                 : n == 6 && memcmp(v, "BLOCKS", 6) == 0   ? S_BLOCKS
                 : n == 8 && memcmp(v, "ENTITIES", 8) == 0 ? S_ENTITIES
                 : n == 7 && memcmp(v, "OBJECTS", 7) == 0  ? S_OBJECTS
                                                           : S_OTHER;
        return;
    }
    switch (x->sec) {
    case S_HEADER:
        header_group(x);
        break;
    case S_TABLES:
        if (is(x->entity, "TABLE") && x->code == 2)
            copy_word(x->table, sizeof x->table, x->val, x->vlen);
        else
            table_group(x);
        break;
    case S_BLOCKS:
    case S_ENTITIES:
    case S_OBJECTS:
        if (x->entity[0])
            entity_group(x);
        break;
    default:
        break;
    }
}

/* One hidden.hidden-layer per off or frozen layer that holds something. */
static ts_status flag_layers(dxf *x)
{
    ts_status st = TS_OK;
    for (size_t i = 0; i < x->nlayers && st == TS_OK; i++) {
        const dxf_layer *l = &x->layers[i];
        if (!layer_hidden(l) || l->entities == 0)
            continue;
        ts_loc loc = {.where = TS_WHERE_LAYER, .part = l->name};
        char *d = ts_doc_printf(x->doc, "%s layer with %zu text%s and %zu other entit%s",
                                l->frozen && l->off ? "frozen and switched-off"
                                : l->frozen         ? "frozen"
                                                    : "switched-off",
                                l->texts, l->texts == 1 ? "" : "s", l->entities - l->texts,
                                l->entities - l->texts == 1 ? "y" : "ies");
        st = d ? ts_doc_flag(x->doc, "hidden.hidden-layer", &loc, l->name, d) : TS_ENOMEM;
    }
    return st;
}

static ts_status dxf_extract(ts_doc *doc, const ts_input *in)
{
    if (in->type == TS_TYPE_DXF_BINARY) {
        ts_doc_fail_msg(doc, TS_EUNSUPPORTED, TS_MSG_FAIL_DXF_BINARY);
        return TS_OK;
    }
    dxf *x = ts_calloc(1, sizeof(*x));
    if (x == NULL)
        return TS_ENOMEM;
    x->doc = doc;
    x->in = in;
    x->ent_layer = SIZE_MAX;
    x->cd = (iconv_t)-1;
    x->text.max = x->mtext.max = MAX_ENTITY_TEXT;
    for (unsigned i = 0; i < NSINKS; i++) {
        ts_tsink_init(&x->sinks[i], doc, TS_WHERE_DRAWING, NULL);
        x->owner[i] = SIZE_MAX;
    }
    ts_tsink_init(&x->meta, doc, TS_WHERE_METADATA, NULL);
    /* hostile input: skip a UTF-8 byte order mark */
    if (in->len >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0)
        x->pos = 3;
    bool bad = false, eof = false;
    while (x->st == TS_OK && next_pair(x, &bad)) {
        if (x->code == 0 && x->vlen == 3 && memcmp(x->val, "EOF", 3) == 0) {
            on_zero(x);
            eof = true;
            break;
        }
        on_pair(x);
    }
    if (x->st == TS_OK && !eof) {
        on_zero(x); /* what was read of the last entity still counts */
        if (bad)
            ts_doc_fail(doc, TS_ECORRUPT, "line %lu: not a DXF group code", x->line);
        else
            ts_doc_fail(doc, TS_ECORRUPT, "the drawing ends before its EOF marker (truncated)");
    }
    ts_input_release(in, x->released, in->len - x->released);
    ts_status st = x->st;
    for (unsigned i = 0; i < NSINKS; i++) {
        ts_status s2 = ts_tsink_dispose(&x->sinks[i]);
        if (st == TS_OK)
            st = s2;
    }
    ts_status s3 = ts_tsink_dispose(&x->meta);
    if (st == TS_OK)
        st = s3;
    if (st == TS_OK)
        st = flag_layers(x);
    if (st == TS_OK && x->invisible_texts > 0) {
        ts_loc loc = {.where = TS_WHERE_INVISIBLE_TEXT};
        char *d = ts_doc_printf(doc, "%zu invisible entit%s with text", x->invisible_texts,
                                x->invisible_texts == 1 ? "y" : "ies");
        st = d ? ts_doc_flag(doc, "hidden.hidden-shape", &loc, x->first_invisible, d) : TS_ENOMEM;
    }
    if (x->cd != (iconv_t)-1)
        iconv_close(x->cd);
    ts_sbuf_free(&x->text);
    ts_sbuf_free(&x->mtext);
    ts_sbuf_free(&x->scratch);
    ts_free(x->layers);
    ts_free(x->index);
    ts_free(x);
    return st;
}

const struct ts_extractor ts_extractor_dxf = {
    .name = "dxf",
    .types = (const ts_type[]){TS_TYPE_DXF, TS_TYPE_DXF_BINARY, TS_TYPE_NONE},
    .extract = dxf_extract,
    .rules = ts_drawing_rules,
};

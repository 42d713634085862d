/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PowerPoint 97-2003 (.ppt): the record tree's text, notes, comments and embedded objects. */
#include "extract/ole.h"

#include <stdio.h>
#include <string.h>

#include <zlib.h>

/*
 * MS-PPT in brief: the "PowerPoint Document" stream is a tree of records (u16 version and
 * instance, u16 type, u32 size); version 0xF marks a container whose children follow its header.
 * Text sits in TextCharsAtom (UTF-16), TextBytesAtom (8-bit) and CString (UTF-16) records: slide
 * placeholders in the document's SlideListWithText (instance 0 slides, 2 notes; each slide starts
 * with a SlidePersistAtom), other shapes in the drawings of Slide and Notes containers, comments
 * in Comment10Container (CString instance 0 = author, 1 = text). Embedded objects are
 * ExOleObjStg records: a compound file, zlib-compressed when the instance is 1. The stream is read
 * from start to end, so text left behind by fast saves (earlier versions of edited records) is
 * read too.
 */

enum {
    RT_SLIDE = 0x03EE,
    RT_SLIDEPERSIST = 0x03F3,
    RT_NOTES = 0x03F0,
    RT_MAINMASTER = 0x03F8,
    RT_SSSLIDEINFO = 0x03F9,
    RT_SLIDELIST = 0x0FF0,
    RT_TEXTCHARS = 0x0FA0,
    RT_TEXTBYTES = 0x0FA8,
    RT_CSTRING = 0x0FBA,
    RT_EXOLEOBJSTG = 0x1011,
    RT_COMMENT10 = 0x2EE0,
    RT_CRYPTSESSION = 0x2F14,
};

#define MAX_NEST 64u
#define MAX_OBJECT (256u << 20) /* hostile input: bytes of one embedded object inflated */

typedef struct frame {
    unsigned type, instance;
    size_t end;
} frame;

typedef struct ppt {
    ts_doc *doc;
    ts_status st;
    frame stack[MAX_NEST];
    size_t depth;
    unsigned slides, notes, list_slide; /* Slide containers, Notes containers, slides in a list */
    size_t notes_text;
    size_t objects;
    bool hidden_slide;
    ts_sbuf author;
    ts_tally comments;
    ts_tsink sink;
} ppt;

static void nomem(ppt *p, ts_status st)
{
    if (st != TS_OK && p->st == TS_OK)
        p->st = st;
}

/* The innermost container of a type, or NULL. */
static const frame *inside(const ppt *p, unsigned type)
{
    for (size_t i = p->depth; i > 0; i--)
        if (p->stack[i - 1].type == type)
            return &p->stack[i - 1];
    return NULL;
}

/* Where text at this point of the tree is, and on which slide. */
static ts_where place(const ppt *p, unsigned *page)
{
    const frame *list = inside(p, RT_SLIDELIST);
    *page = 0;
    if (inside(p, RT_COMMENT10))
        return TS_WHERE_COMMENT;
    if (list) {
        *page = list->instance == 1 ? 0 : p->list_slide;
        return list->instance == 2 ? TS_WHERE_NOTES : TS_WHERE_BODY;
    }
    if (inside(p, RT_NOTES)) {
        *page = p->notes;
        return TS_WHERE_NOTES;
    }
    if (inside(p, RT_SLIDE)) {
        *page = p->slides;
        return p->hidden_slide ? TS_WHERE_HIDDEN_SLIDE : TS_WHERE_BODY;
    }
    return TS_WHERE_BODY;
}

static bool has_text(const unsigned char *d, size_t n, bool wide)
{
    for (size_t i = 0; i + (wide ? 1 : 0) < n; i += wide ? 2 : 1)
        if (d[i] > 0x20 || (wide && d[i + 1] != 0))
            return true;
    return false;
}

static void text_atom(ppt *p, unsigned type, unsigned instance, const unsigned char *d, size_t n)
{
    bool wide = type != RT_TEXTBYTES;
    if (!has_text(d, n, wide))
        return;
    unsigned page;
    ts_where where = place(p, &page);
    if (type == RT_CSTRING && inside(p, RT_COMMENT10)) {
        if (instance == 0) { /* the author */
            ts_sbuf_clear(&p->author);
            ts_ole_sbuf_utf16(&p->author, d, n / 2);
            const char *a = ts_sbuf_trim(&p->author);
            nomem(p, p->author.oom ? TS_ENOMEM : ts_tally_add(&p->comments, a, strlen(a), 0));
            return;
        }
        if (instance != 1)
            return; /* initials */
    }
    if (where == TS_WHERE_NOTES)
        p->notes_text++;
    ts_tsink_place(&p->sink, where, NULL, page);
    ts_tsink_line(&p->sink, 0);
    /* \r ends a paragraph, \v a line: both are line breaks here */
    size_t unit = wide ? 2 : 1, start = 0;
    for (size_t i = 0; i + unit <= n; i += unit) {
        unsigned c = wide ? ts_ole_u16(d + i) : d[i];
        if (c != 0x0D && c != 0x0B)
            continue;
        if (wide)
            ts_ole_put_utf16(&p->sink, d + start, (i - start) / 2, where);
        else
            ts_ole_put_cp1252(&p->sink, d + start, i - start, where);
        ts_tsink_line(&p->sink, 0);
        start = i + unit;
    }
    if (wide)
        ts_ole_put_utf16(&p->sink, d + start, (n - start) / 2, where);
    else
        ts_ole_put_cp1252(&p->sink, d + start, n - start, where);
}

/* ExOleObjStg: a compound file, compressed (u32 size + zlib) when the instance is 1. */
static void ole_object(ppt *p, unsigned instance, const unsigned char *d, size_t n)
{
    char name[32];
    p->objects++;
    snprintf(name, sizeof name, "object-%zu", p->objects);
    ts_loc loc = {.where = TS_WHERE_ATTACHMENT};
    nomem(p, ts_doc_flag(p->doc, "hidden.embedded-file", &loc, name, "embedded OLE object"));
    if (instance != 1) {
        nomem(p, ts_doc_child(p->doc, name, d, n));
        return;
    }
    if (n < 4)
        return;
    uLongf size = ts_ole_u32(d);
    if (size > MAX_OBJECT) {
        ts_doc_fail(p->doc, TS_ELIMIT, "embedded object %zu inflates to over %u MiB", p->objects,
                    MAX_OBJECT >> 20);
        return;
    }
    if (size == 0 || ts_doc_count_unpacked(p->doc, size) != TS_OK)
        return;
    unsigned char *buf = ts_malloc(size);
    if (buf == NULL) {
        p->st = TS_ENOMEM;
        return;
    }
    int z = uncompress(buf, &size, d + 4, (uLong)(n - 4));
    if (z != Z_OK && z != Z_BUF_ERROR)
        ts_doc_fail(p->doc, TS_ECORRUPT, "embedded object %zu cannot be inflated", p->objects);
    else
        nomem(p, ts_doc_child(p->doc, name, buf, size));
    ts_free(buf);
}

static void walk(ppt *p, const unsigned char *s, size_t n)
{
    size_t at = 0;
    while (at + 8 <= n && p->st == TS_OK && p->doc->err != TS_EENCRYPTED) {
        while (p->depth > 0 && at >= p->stack[p->depth - 1].end) {
            if (p->stack[p->depth - 1].type == RT_SLIDE)
                p->hidden_slide = false;
            p->depth--;
        }
        unsigned vi = ts_ole_u16(s + at), type = ts_ole_u16(s + at + 2);
        size_t len = ts_ole_u32(s + at + 4);
        unsigned ver = vi & 0xF, instance = vi >> 4;
        at += 8;
        if (len > n - at) {
            ts_doc_fail(p->doc, TS_ECORRUPT, "record 0x%04X at %zu runs past the end of the stream",
                        type, at - 8);
            len = n - at;
        }
        if (type == RT_CRYPTSESSION) {
            ts_doc_fail(p->doc, TS_EENCRYPTED, "a password is needed");
            return;
        }
        if (ver == 0xF) {
            if (type == RT_SLIDE)
                p->slides++;
            else if (type == RT_NOTES)
                p->notes++;
            else if (type == RT_SLIDELIST)
                p->list_slide = 0;
            if (p->depth < MAX_NEST) {
                p->stack[p->depth++] = (frame){type, instance, at + len};
                continue; /* its children follow */
            }
            at += len; /* nested too deep: skipped whole */
            continue;
        }
        const unsigned char *d = s + at;
        switch (type) {
        case RT_SLIDEPERSIST:
            p->list_slide++;
            break;
        case RT_TEXTCHARS:
        case RT_TEXTBYTES:
        case RT_CSTRING:
            text_atom(p, type, instance, d, len);
            break;
        case RT_SSSLIDEINFO:
            if (len >= 12 && inside(p, RT_SLIDE) && (ts_ole_u16(d + 10) & 4)) {
                p->hidden_slide = true;
                ts_loc loc = {.where = TS_WHERE_HIDDEN_SLIDE, .page = p->slides};
                char *v = ts_doc_printf(p->doc, "slide %u", p->slides);
                nomem(p, v ? ts_doc_flag(p->doc, "hidden.hidden-slide", &loc, v, "hidden slide")
                           : TS_ENOMEM);
            }
            break;
        case RT_EXOLEOBJSTG:
            ole_object(p, instance, d, len);
            break;
        default:
            break;
        }
        at += len;
    }
}

ts_status ts_ole_powerpoint(ts_doc *doc, ts_ole_bytes stream)
{
    ppt *p = ts_calloc(1, sizeof(*p));
    if (p == NULL)
        return TS_ENOMEM;
    p->doc = doc;
    p->author.max = 512;
    ts_tsink_init(&p->sink, doc, TS_WHERE_BODY, NULL);
    walk(p, stream.p, stream.n);
    nomem(p, ts_tsink_dispose(&p->sink));
    if (p->st == TS_OK && p->notes_text > 0) {
        ts_loc loc = {.where = TS_WHERE_NOTES};
        char *d = ts_doc_printf(doc, "%zu notes texts", p->notes_text);
        nomem(p, d ? ts_doc_flag(doc, "hidden.speaker-notes", &loc, "speaker notes", d)
                   : TS_ENOMEM);
    }
    if (p->st == TS_OK) {
        ts_tally none = {0};
        p->st = ts_office_flag_people(doc, NULL, &none, &p->comments);
    }
    ts_status st = p->st;
    ts_tally_free(&p->comments);
    ts_sbuf_free(&p->author);
    ts_free(p);
    return st;
}

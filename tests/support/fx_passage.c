/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Passage fixtures: the markup of tests/detection/README.md rendered as a real document. */
#include "support/fx_passage.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "support/fx_pdf.h"
#include "support/fx_zip.h"
#include "support/ts_test.h"

#define AUTHOR "Saksbehandler"
#define DATE "2024-03-01T10:00:00Z"

/* ---- the markup ----------------------------------------------------------------------------- */

enum kind {
    K_PARA,
    K_ROW,
    K_COMMENT,
    K_FOOTNOTE,
    K_TEXTBOX,
    K_HEADER,
    K_FOOTER,
    K_DELETED,
    K_INSERTED,
    K_HIDDEN,
    K_REDACTED,
    K_SHEET
};

static const struct marker {
    const char *name;
    enum kind kind;
} markers[] = {
    {"@comment", K_COMMENT},   {"@footnote", K_FOOTNOTE}, {"@textbox", K_TEXTBOX},
    {"@header", K_HEADER},     {"@footer", K_FOOTER},     {"@deleted", K_DELETED},
    {"@inserted", K_INSERTED}, {"@hidden", K_HIDDEN},     {"@redacted", K_REDACTED},
    {"@sheet", K_SHEET},
};

/* One line of the passage: its kind and its text without the marker (borrowed). */
typedef struct item {
    enum kind kind;
    const char *s;
    size_t len;
} item;

typedef struct passage {
    item *v;
    size_t n;
} passage;

typedef struct span {
    const char *s;
    size_t len;
} span;

/* The length of a line's marker with the space after it (0: no marker), and its kind. */
static size_t marker_of(const char *s, size_t len, enum kind *kind)
{
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t m = strlen(markers[i].name);
        if (len < m || memcmp(s, markers[i].name, m) != 0)
            continue;
        if (len == m && markers[i].kind == K_SHEET) {
            *kind = K_SHEET; /* "@sheet" alone: a page break or a sheet with no name */
            return m;
        }
        if (len > m && s[m] == ' ') {
            *kind = markers[i].kind;
            return m + 1;
        }
    }
    return 0;
}

static passage parse(const char *text, size_t len)
{
    passage ps = {0};
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    ps.v = calloc(cap, sizeof(*ps.v));
    assert_non_null(ps.v);
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - at;
        const char *s = text + at;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        enum kind k = K_PARA;
        size_t m = marker_of(s, n, &k);
        if (m == 0 && memchr(s, '\t', n) != NULL)
            k = K_ROW;
        ps.v[ps.n++] = (item){.kind = k, .s = s + m, .len = n - m};
        at = end + 1;
    }
    return ps;
}

/* The cells of a line, split at its tabs (one cell when it has none); free the array. */
static span *cells_of(const char *s, size_t len, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += s[i] == '\t';
    span *c = calloc(cap, sizeof(*c));
    assert_non_null(c);
    *n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '\t') {
            c[(*n)++] = (span){s + start, i - start};
            start = i + 1;
        }
    }
    return c;
}

static size_t ncells(const item *it)
{
    size_t n = 1;
    for (size_t i = 0; i < it->len; i++)
        n += it->s[i] == '\t';
    return n;
}

/* The end of the table starting at item i: the first item after it that is not a row. */
static size_t table_end(const passage *ps, size_t i)
{
    while (i < ps->n && ps->v[i].kind == K_ROW)
        i++;
    return i;
}

static size_t count_kind(const passage *ps, enum kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        n += ps->v[i].kind == k;
    return n;
}

/* ---- growing text --------------------------------------------------------------------------- */

typedef struct sb {
    char *p;
    size_t len, cap;
} sb;

static void sb_grow(sb *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->p = realloc(b->p, cap);
    assert_non_null(b->p);
    b->cap = cap;
}

static void sb_put(sb *b, const char *s, size_t n)
{
    sb_grow(b, n);
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    sb_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Insert `s` at offset `at`. */
static void sb_insert(sb *b, size_t at, const char *s)
{
    size_t n = strlen(s);
    assert_true(at <= b->len);
    sb_put(b, s, n); /* makes room */
    memmove(b->p + at + n, b->p + at, b->len - n - at);
    memcpy(b->p + at, s, n);
}

/* Text escaped for XML content and attribute values. */
static void sb_xml(sb *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            sb_puts(b, "&amp;");
            break;
        case '<':
            sb_puts(b, "&lt;");
            break;
        case '>':
            sb_puts(b, "&gt;");
            break;
        case '"':
            sb_puts(b, "&quot;");
            break;
        default:
            sb_put(b, s + i, 1);
            break;
        }
    }
}

static char *sb_take(sb *b)
{
    sb_put(b, "", 0);
    char *p = b->p;
    *b = (sb){0};
    return p;
}

/* A package written by the fx_zip builders into its own folder, read back and removed. */
static unsigned char *read_package(char *dir, char *path, size_t *len)
{
    unsigned char *r = (unsigned char *)tst_slurp(path, len);
    assert_non_null(r);
    free(path);
    tst_rmtree(dir);
    free(dir);
    return r;
}

/* ---- txt and csv ---------------------------------------------------------------------------- */

static unsigned char *render_txt(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)ps;
    sb b = {0};
    sb_put(&b, "", 0);
    for (size_t at = 0; at < text_len;) {
        const char *nl = memchr(text + at, '\n', text_len - at);
        size_t end = nl ? (size_t)(nl - text) + 1 : text_len;
        enum kind k;
        size_t n = end - at, m = 0;
        size_t body = n - (nl ? 1 : 0);
        if (body > 0 && text[at + body - 1] == '\r')
            body--;
        m = marker_of(text + at, body, &k);
        sb_put(&b, text + at + m, n - m);
        at = end;
    }
    *len = b.len;
    return (unsigned char *)sb_take(&b);
}

static void csv_field(sb *b, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ';' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        sb_put(b, s, n);
        return;
    }
    sb_puts(b, "\"");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            sb_puts(b, "\"");
        sb_put(b, s + i, 1);
    }
    sb_puts(b, "\"");
}

static unsigned char *render_csv(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)text;
    (void)text_len;
    sb b = {0};
    sb_puts(&b, "\xEF\xBB\xBF");
    for (size_t i = 0; i < ps->n; i++) {
        size_t n;
        span *c = cells_of(ps->v[i].s, ps->v[i].len, &n);
        for (size_t k = 0; k < n; k++) {
            if (k > 0)
                sb_puts(&b, ";");
            csv_field(&b, c[k].s, c[k].len);
        }
        sb_puts(&b, "\r\n");
        free(c);
    }
    *len = b.len;
    return (unsigned char *)sb_take(&b);
}

/* ---- docx ----------------------------------------------------------------------------------- */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define WML_CT "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define A_NS "http://schemas.openxmlformats.org/drawingml/2006/main"

typedef struct docx {
    sb body, comments, notes, header, footer;
    bool have_p;            /* a body paragraph has been written */
    size_t p_open, p_close; /* the last one: after its w:pPr, and at its </w:p> */
    bool last_table;
    unsigned ncomments, nnotes, nrev, nshapes;
} docx;

/* Runs holding `s`, tabs as w:tab, in a w:t or w:delText (`tag`), with `rpr` when not NULL. */
static void docx_runs(sb *b, const char *rpr, const char *tag, const char *s, size_t n)
{
    if (n == 0)
        return;
    sb_puts(b, "<w:r>");
    if (rpr)
        sb_printf(b, "<w:rPr>%s</w:rPr>", rpr);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '\t')
            continue;
        if (i > start) {
            sb_printf(b, "<%s xml:space=\"preserve\">", tag);
            sb_xml(b, s + start, i - start);
            sb_printf(b, "</%s>", tag);
        }
        if (i < n)
            sb_puts(b, "<w:tab/>");
        start = i + 1;
    }
    sb_puts(b, "</w:r>");
}

/* Start a body paragraph with the properties `ppr` (NULL: none). */
static void docx_p_begin(docx *d, const char *ppr)
{
    sb_puts(&d->body, "<w:p>");
    if (ppr)
        sb_printf(&d->body, "<w:pPr>%s</w:pPr>", ppr);
    d->p_open = d->body.len;
}

static void docx_p_end(docx *d)
{
    d->p_close = d->body.len;
    d->have_p = true;
    d->last_table = false;
    sb_puts(&d->body, "</w:p>");
}

/* Wrap the last body paragraph's content in `before` … `after` (a comment's range, a note). */
static void docx_anchor(docx *d, const char *before, const char *after)
{
    if (!d->have_p) {
        docx_p_begin(d, NULL);
        docx_p_end(d);
    }
    sb_insert(&d->body, d->p_close, after);
    sb_insert(&d->body, d->p_open, before);
    d->p_close += strlen(before) + strlen(after);
}

/* A paragraph of its own part (comment, note, header, footer). */
static void docx_part_p(sb *b, const char *lead, const item *it)
{
    sb_puts(b, "<w:p>");
    sb_puts(b, lead);
    docx_runs(b, NULL, "w:t", it->s, it->len);
    sb_puts(b, "</w:p>");
}

static void docx_table(docx *d, const passage *ps, size_t from, size_t to)
{
    size_t ncols = 1;
    for (size_t i = from; i < to; i++)
        if (ncells(&ps->v[i]) > ncols)
            ncols = ncells(&ps->v[i]);
    unsigned w = (unsigned)(9062 / ncols); /* the text width of A4 with 2.5 cm margins, in dxa */
    sb *b = &d->body;
    sb_puts(b, "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>");
    static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t k = 0; k < 6; k++)
        sb_printf(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>",
                  sides[k]);
    sb_puts(b, "</w:tblBorders><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" "
               "w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/>"
               "</w:tblPr><w:tblGrid>");
    for (size_t k = 0; k < ncols; k++)
        sb_printf(b, "<w:gridCol w:w=\"%u\"/>", w);
    sb_puts(b, "</w:tblGrid>");
    for (size_t i = from; i < to; i++) {
        size_t n;
        span *c = cells_of(ps->v[i].s, ps->v[i].len, &n);
        sb_puts(b, "<w:tr>");
        for (size_t k = 0; k < ncols; k++) {
            sb_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%u\" w:type=\"dxa\"/></w:tcPr>", w);
            docx_p_begin(d, NULL);
            if (k < n)
                docx_runs(b, NULL, "w:t", c[k].s, c[k].len);
            docx_p_end(d);
            sb_puts(b, "</w:tc>");
        }
        sb_puts(b, "</w:tr>");
        free(c);
    }
    sb_puts(b, "</w:tbl>");
    d->last_table = true;
}

/* A text box as Word 2010 and later write it: DrawingML (wps) with a VML copy for older readers. */
static void docx_textbox(docx *d, const item *it)
{
    sb *b = &d->body;
    unsigned id = ++d->nshapes;
    docx_p_begin(d, NULL);
    sb_printf(b,
              "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
              "<wp:anchor distT=\"45720\" distB=\"45720\" distL=\"114300\" distR=\"114300\" "
              "simplePos=\"0\" relativeHeight=\"%u\" behindDoc=\"0\" locked=\"0\" "
              "layoutInCell=\"1\" allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/>"
              "<wp:positionH relativeFrom=\"column\"><wp:posOffset>0</wp:posOffset>"
              "</wp:positionH><wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>0"
              "</wp:posOffset></wp:positionV><wp:extent cx=\"2743200\" cy=\"457200\"/>"
              "<wp:effectExtent l=\"0\" t=\"0\" r=\"19050\" b=\"19050\"/>"
              "<wp:wrapSquare wrapText=\"bothSides\"/><wp:docPr id=\"%u\" name=\"Tekstboks %u\"/>"
              "<wp:cNvGraphicFramePr/><a:graphic xmlns:a=\"" A_NS "\">"
              "<a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/"
              "wordprocessingShape\"><wps:wsp><wps:cNvSpPr txBox=\"1\"/><wps:spPr><a:xfrm>"
              "<a:off x=\"0\" y=\"0\"/><a:ext cx=\"2743200\" cy=\"457200\"/></a:xfrm>"
              "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr "
              "val=\"FFFFFF\"/></a:solidFill><a:ln w=\"9525\"><a:solidFill><a:srgbClr "
              "val=\"000000\"/></a:solidFill></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p>",
              251659264u + id, id, id);
    docx_runs(b, NULL, "w:t", it->s, it->len);
    sb_printf(b,
              "</w:p></w:txbxContent></wps:txbx><wps:bodyPr rot=\"0\" vert=\"horz\" "
              "wrap=\"square\" lIns=\"91440\" tIns=\"45720\" rIns=\"91440\" bIns=\"45720\" "
              "anchor=\"t\" anchorCtr=\"0\"><a:spAutoFit/></wps:bodyPr></wps:wsp>"
              "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
              "<w:pict><v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" "
              "path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path "
              "gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype><v:shape "
              "id=\"Tekstboks %u\" o:spid=\"_x0000_s%u\" type=\"#_x0000_t202\" "
              "style=\"position:absolute;margin-left:0;margin-top:0;width:216pt;height:36pt;"
              "z-index:%u;mso-wrap-style:square\"><v:textbox><w:txbxContent><w:p>",
              id, 1025 + id, id);
    docx_runs(b, NULL, "w:t", it->s, it->len);
    sb_puts(b, "</w:p></w:txbxContent></v:textbox><w10:wrap type=\"square\"/></v:shape></w:pict>"
               "</mc:Fallback></mc:AlternateContent></w:r>");
    docx_p_end(d);
}

/* A whole paragraph as a tracked change: its mark and its text (ECMA-376 §17.13.5). */
static void docx_revision(docx *d, const item *it, bool deletion)
{
    const char *tag = deletion ? "w:del" : "w:ins";
    char ppr[160];
    snprintf(ppr, sizeof ppr,
             "<w:rPr><%s w:id=\"%u\" w:author=\"" AUTHOR "\" w:date=\"" DATE "\"/></w:rPr>", tag,
             ++d->nrev);
    docx_p_begin(d, ppr);
    sb_printf(&d->body, "<%s w:id=\"%u\" w:author=\"" AUTHOR "\" w:date=\"" DATE "\">", tag,
              ++d->nrev);
    docx_runs(&d->body, NULL, deletion ? "w:delText" : "w:t", it->s, it->len);
    sb_printf(&d->body, "</%s>", tag);
    docx_p_end(d);
}

static void docx_item(docx *d, const item *it)
{
    char a[256], z[512];
    switch (it->kind) {
    case K_PARA:
    case K_ROW: /* not reached: rows are tables */
    case K_REDACTED:
        docx_p_begin(d, NULL);
        docx_runs(&d->body, NULL, "w:t", it->s, it->len);
        docx_p_end(d);
        break;
    case K_COMMENT: {
        unsigned id = d->ncomments++;
        sb_printf(&d->comments,
                  "<w:comment w:id=\"%u\" w:author=\"" AUTHOR "\" w:date=\"" DATE
                  "\" w:initials=\"SB\">",
                  id);
        docx_part_p(&d->comments,
                    "<w:r><w:rPr><w:rStyle w:val=\"Merknadsreferanse\"/></w:rPr>"
                    "<w:annotationRef/></w:r>",
                    it);
        sb_puts(&d->comments, "</w:comment>");
        snprintf(a, sizeof a, "<w:commentRangeStart w:id=\"%u\"/>", id);
        snprintf(z, sizeof z,
                 "<w:commentRangeEnd w:id=\"%u\"/><w:r><w:rPr><w:rStyle "
                 "w:val=\"Merknadsreferanse\"/></w:rPr><w:commentReference w:id=\"%u\"/></w:r>",
                 id, id);
        docx_anchor(d, a, z);
        break;
    }
    case K_FOOTNOTE: {
        unsigned id = ++d->nnotes;
        sb_printf(&d->notes, "<w:footnote w:id=\"%u\">", id);
        docx_part_p(&d->notes,
                    "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteRef/>"
                    "</w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>",
                    it);
        sb_puts(&d->notes, "</w:footnote>");
        snprintf(z, sizeof z,
                 "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr>"
                 "<w:footnoteReference w:id=\"%u\"/></w:r>",
                 id);
        docx_anchor(d, "", z);
        break;
    }
    case K_TEXTBOX:
        docx_textbox(d, it);
        break;
    case K_HEADER:
        docx_part_p(&d->header, "", it);
        break;
    case K_FOOTER:
        docx_part_p(&d->footer, "", it);
        break;
    case K_DELETED:
        docx_revision(d, it, true);
        break;
    case K_INSERTED:
        docx_revision(d, it, false);
        break;
    case K_HIDDEN:
        docx_p_begin(d, "<w:rPr><w:vanish/></w:rPr>");
        docx_runs(&d->body, "<w:vanish/>", "w:t", it->s, it->len);
        docx_p_end(d);
        break;
    case K_SHEET:
        docx_p_begin(d, NULL);
        sb_puts(&d->body, "<w:r><w:br w:type=\"page\"/></w:r>");
        docx_runs(&d->body, NULL, "w:t", it->s, it->len);
        docx_p_end(d);
        break;
    }
}

/* Add part n (its text ours, fx_part only borrows it); returns n + 1. */
static size_t add_part(fx_part *extra, char **owned, size_t n, const char *name, char *data,
                       const char *content_type, const char *rel_type)
{
    owned[n] = data;
    extra[n] =
        (fx_part){.name = name, .data = data, .content_type = content_type, .rel_type = rel_type};
    return n + 1;
}

static char *docx_part(const char *root, sb *content)
{
    sb b = {0};
    sb_printf(&b,
              "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
              "<w:%s xmlns:w=\"" W_NS "\" xmlns:r=\"" R_NS "\">%s</w:%s>",
              root, content->p ? content->p : "", root);
    free(content->p);
    *content = (sb){0};
    return sb_take(&b);
}

static unsigned char *render_docx(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)text;
    (void)text_len;
    docx d = {0};
    sb_puts(&d.notes, "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/>"
                      "</w:r></w:p></w:footnote><w:footnote w:type=\"continuationSeparator\" "
                      "w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>");
    for (size_t i = 0; i < ps->n;) {
        if (ps->v[i].kind == K_ROW) {
            size_t end = table_end(ps, i);
            docx_table(&d, ps, i, end);
            i = end;
        } else {
            docx_item(&d, &ps->v[i++]);
        }
    }
    if (d.last_table || !d.have_p)
        sb_puts(&d.body, "<w:p/>"); /* the body ends with a paragraph, as Word's always does */
    fx_part extra[4];
    char *owned[4];
    size_t n = 0, header = 0, footer = 0;
    if (d.ncomments > 0)
        n = add_part(extra, owned, n, "word/comments.xml", docx_part("comments", &d.comments),
                     WML_CT "comments+xml", "comments");
    if (d.nnotes > 0)
        n = add_part(extra, owned, n, "word/footnotes.xml", docx_part("footnotes", &d.notes),
                     WML_CT "footnotes+xml", "footnotes");
    if (count_kind(ps, K_HEADER) > 0)
        header = n = add_part(extra, owned, n, "word/header1.xml", docx_part("hdr", &d.header),
                              WML_CT "header+xml", "header"); /* related as rId<n> */
    if (count_kind(ps, K_FOOTER) > 0)
        footer = n = add_part(extra, owned, n, "word/footer1.xml", docx_part("ftr", &d.footer),
                              WML_CT "footer+xml", "footer");
    sb_puts(&d.body, "<w:sectPr>");
    if (header)
        sb_printf(&d.body, "<w:headerReference w:type=\"default\" r:id=\"rId%zu\"/>", header);
    if (footer)
        sb_printf(&d.body, "<w:footerReference w:type=\"default\" r:id=\"rId%zu\"/>", footer);
    sb_puts(&d.body, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1417\" "
                     "w:right=\"1417\" w:bottom=\"1417\" w:left=\"1417\" w:header=\"708\" "
                     "w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>");
    sb main = {0};
    sb_printf(&main,
              "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
              "<w:document xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/"
              "2006\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:r=\"" R_NS "\" "
              "xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:wp=\"http://schemas."
              "openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
              "xmlns:w10=\"urn:schemas-microsoft-com:office:word\" xmlns:w=\"" W_NS "\" "
              "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
              "<w:body>%s</w:body></w:document>",
              d.body.p);
    char *dir = tst_tmpdir();
    char *path = fx_ooxml_write(dir, "passage.docx", FX_DOCX, main.p, NULL, extra, n);
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
    free(main.p);
    free(d.body.p);
    free(d.comments.p);
    free(d.notes.p);
    free(d.header.p);
    free(d.footer.p);
    return read_package(dir, path, len);
}

/* ---- OpenDocument --------------------------------------------------------------------------- */

#define ODF_NS                                                                                     \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                           \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "                             \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                               \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                             \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "                            \
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "                    \
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "                      \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\""
#define ODF_DATE "2024-03-01T10:00:00"

/*
 * Text in an ODF paragraph: white space is collapsed there (ODF 1.3 part 3 §6.1.2), so a space
 * after a space, at the start or at the end is text:s, a tab text:tab.
 */
static void odf_text(sb *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\t')
            sb_puts(b, "<text:tab/>");
        else if (s[i] == ' ' && (i == 0 || i + 1 == n || s[i - 1] == ' ' || s[i - 1] == '\t'))
            sb_puts(b, "<text:s/>");
        else
            sb_xml(b, s + i, 1);
    }
}

static void odf_p(sb *b, const char *style, const char *s, size_t n)
{
    if (style)
        sb_printf(b, "<text:p text:style-name=\"%s\">", style);
    else
        sb_puts(b, "<text:p>");
    odf_text(b, s, n);
    sb_puts(b, "</text:p>");
}

static void odf_annotation(sb *b, const item *it)
{
    sb_puts(b, "<office:annotation><dc:creator>" AUTHOR "</dc:creator><dc:date>" ODF_DATE
               "</dc:date>");
    odf_p(b, NULL, it->s, it->len);
    sb_puts(b, "</office:annotation>");
}

typedef struct odt {
    sb body, changes, header, footer;
    bool have_p;
    size_t p_close; /* the last body paragraph's </text:p> */
    unsigned nnotes, nchanges, nframes, ntables;
} odt;

static void odt_p_end(odt *o)
{
    o->p_close = o->body.len;
    o->have_p = true;
    sb_puts(&o->body, "</text:p>");
}

static void odt_para(odt *o, const char *style, const item *it)
{
    if (style)
        sb_printf(&o->body, "<text:p text:style-name=\"%s\">", style);
    else
        sb_puts(&o->body, "<text:p>");
    odf_text(&o->body, it->s, it->len);
    odt_p_end(o);
}

/* Put `s` at the end of the last body paragraph (an annotation or a note there). */
static void odt_anchor(odt *o, const char *s)
{
    if (!o->have_p) {
        sb_puts(&o->body, "<text:p>");
        odt_p_end(o);
    }
    sb_insert(&o->body, o->p_close, s);
    o->p_close += strlen(s);
}

static void odt_table(odt *o, const passage *ps, size_t from, size_t to)
{
    size_t ncols = 1;
    for (size_t i = from; i < to; i++)
        if (ncells(&ps->v[i]) > ncols)
            ncols = ncells(&ps->v[i]);
    sb *b = &o->body;
    sb_printf(b,
              "<table:table table:name=\"Tabell%u\" table:style-name=\"Tabell\">"
              "<table:table-column table:number-columns-repeated=\"%zu\"/>",
              ++o->ntables, ncols);
    for (size_t i = from; i < to; i++) {
        size_t n;
        span *c = cells_of(ps->v[i].s, ps->v[i].len, &n);
        sb_puts(b, "<table:table-row>");
        for (size_t k = 0; k < ncols; k++) {
            sb_puts(b, "<table:table-cell office:value-type=\"string\"><text:p>");
            if (k < n)
                odf_text(b, c[k].s, c[k].len);
            odt_p_end(o);
            sb_puts(b, "</table:table-cell>");
        }
        sb_puts(b, "</table:table-row>");
        free(c);
    }
    sb_puts(b, "</table:table>");
}

static void odt_item(odt *o, const item *it)
{
    sb *b = &o->body;
    sb tmp = {0};
    switch (it->kind) {
    case K_PARA:
    case K_ROW: /* not reached: rows are tables */
    case K_REDACTED:
        odt_para(o, NULL, it);
        break;
    case K_COMMENT:
        odf_annotation(&tmp, it);
        odt_anchor(o, tmp.p);
        break;
    case K_FOOTNOTE:
        o->nnotes++;
        sb_printf(&tmp,
                  "<text:note text:id=\"ftn%u\" text:note-class=\"footnote\">"
                  "<text:note-citation>%u</text:note-citation><text:note-body>",
                  o->nnotes, o->nnotes);
        odf_p(&tmp, "Footnote", it->s, it->len);
        sb_puts(&tmp, "</text:note-body></text:note>");
        odt_anchor(o, tmp.p);
        break;
    case K_TEXTBOX:
        o->nframes++;
        sb_printf(b,
                  "<text:p><draw:frame draw:style-name=\"fr1\" draw:name=\"Tekstramme%u\" "
                  "text:anchor-type=\"paragraph\" svg:width=\"8cm\" draw:z-index=\"%u\">"
                  "<draw:text-box fo:min-height=\"0.5cm\">",
                  o->nframes, o->nframes - 1);
        odf_p(b, NULL, it->s, it->len);
        sb_puts(b, "</draw:text-box></draw:frame>");
        odt_p_end(o);
        break;
    case K_HEADER:
        odf_p(&o->header, "Header", it->s, it->len);
        break;
    case K_FOOTER:
        odf_p(&o->footer, "Footer", it->s, it->len);
        break;
    case K_DELETED:
        o->nchanges++;
        sb_printf(&o->changes,
                  "<text:changed-region xml:id=\"ct%u\" text:id=\"ct%u\">"
                  "<text:deletion><office:change-info><dc:creator>" AUTHOR
                  "</dc:creator><dc:date>" ODF_DATE "</dc:date></office:change-info>",
                  o->nchanges, o->nchanges);
        odf_p(&o->changes, NULL, it->s, it->len);
        sb_puts(&o->changes, "</text:deletion></text:changed-region>");
        sb_printf(b, "<text:p><text:change text:change-id=\"ct%u\"/>", o->nchanges);
        odt_p_end(o);
        break;
    case K_INSERTED:
        o->nchanges++;
        sb_printf(&o->changes,
                  "<text:changed-region xml:id=\"ct%u\" text:id=\"ct%u\">"
                  "<text:insertion><office:change-info><dc:creator>" AUTHOR
                  "</dc:creator><dc:date>" ODF_DATE "</dc:date></office:change-info>"
                  "</text:insertion></text:changed-region>",
                  o->nchanges, o->nchanges);
        sb_printf(b, "<text:p><text:change-start text:change-id=\"ct%u\"/>", o->nchanges);
        odf_text(b, it->s, it->len);
        sb_printf(b, "<text:change-end text:change-id=\"ct%u\"/>", o->nchanges);
        odt_p_end(o);
        break;
    case K_HIDDEN:
        sb_puts(b, "<text:p><text:span text:style-name=\"T1\">");
        odf_text(b, it->s, it->len);
        sb_puts(b, "</text:span>");
        odt_p_end(o);
        break;
    case K_SHEET:
        odt_para(o, "P1", it);
        break;
    }
    free(tmp.p);
}

static char *odf_styles(const char *header, const char *footer)
{
    sb b = {0};
    sb_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles " ODF_NS
                "><office:styles><style:style style:name=\"Standard\" style:family=\"paragraph\" "
                "style:class=\"text\"/></office:styles><office:automatic-styles>"
                "<style:page-layout style:name=\"pm1\"><style:page-layout-properties "
                "fo:page-width=\"21.001cm\" fo:page-height=\"29.7cm\" fo:margin-top=\"2cm\" "
                "fo:margin-bottom=\"2cm\" fo:margin-left=\"2cm\" fo:margin-right=\"2cm\"/>"
                "</style:page-layout></office:automatic-styles><office:master-styles>"
                "<style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\">");
    if (header && *header)
        sb_printf(&b, "<style:header>%s</style:header>", header);
    if (footer && *footer)
        sb_printf(&b, "<style:footer>%s</style:footer>", footer);
    sb_puts(&b, "</style:master-page></office:master-styles></office:document-styles>");
    return sb_take(&b);
}

static unsigned char *odf_package(const char *mimetype, const char *ext, const char *content,
                                  const char *styles, size_t *len)
{
    char name[32];
    snprintf(name, sizeof name, "passage.%s", ext);
    char *dir = tst_tmpdir();
    char *path = fx_odf_write(dir, name, mimetype, content, NULL, styles);
    return read_package(dir, path, len);
}

static unsigned char *render_odt(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)text;
    (void)text_len;
    odt o = {0};
    sb_put(&o.body, "", 0);
    for (size_t i = 0; i < ps->n;) {
        if (ps->v[i].kind == K_ROW) {
            size_t end = table_end(ps, i);
            odt_table(&o, ps, i, end);
            i = end;
        } else {
            odt_item(&o, &ps->v[i++]);
        }
    }
    sb c = {0};
    sb_puts(&c,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content " ODF_NS
            "><office:automatic-styles>"
            "<style:style style:name=\"P1\" style:family=\"paragraph\" "
            "style:parent-style-name=\"Standard\"><style:paragraph-properties "
            "fo:break-before=\"page\"/></style:style>"
            "<style:style style:name=\"T1\" style:family=\"text\"><style:text-properties "
            "text:display=\"none\"/></style:style>"
            "<style:style style:name=\"fr1\" style:family=\"graphic\"><style:graphic-properties "
            "fo:border=\"0.06pt solid #000000\" style:wrap=\"none\"/></style:style>"
            "<style:style style:name=\"Tabell\" style:family=\"table\"><style:table-properties "
            "style:width=\"17cm\" table:align=\"margins\"/></style:style>"
            "</office:automatic-styles><office:body><office:text>");
    if (o.changes.len > 0)
        sb_printf(&c,
                  "<text:tracked-changes text:track-changes=\"false\">%s"
                  "</text:tracked-changes>",
                  o.changes.p);
    sb_printf(&c, "%s</office:text></office:body></office:document-content>", o.body.p);
    char *styles = odf_styles(o.header.p, o.footer.p);
    unsigned char *r =
        odf_package("application/vnd.oasis.opendocument.text", "odt", c.p, styles, len);
    free(styles);
    free(c.p);
    free(o.body.p);
    free(o.changes.p);
    free(o.header.p);
    free(o.footer.p);
    return r;
}

/* ---- spreadsheets --------------------------------------------------------------------------- */

/* A sheet's name: the @sheet line's text, or "Ark<n>" (what Norwegian Excel and Calc call them). */
static void sheet_name(sb *b, const item *it, size_t nth)
{
    if (it && it->len > 0)
        sb_xml(b, it->s, it->len);
    else
        sb_printf(b, "Ark%zu", nth);
}

static unsigned char *render_ods(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)text;
    (void)text_len;
    size_t ncols = 1;
    for (size_t i = 0; i < ps->n; i++)
        if (ncells(&ps->v[i]) > ncols)
            ncols = ncells(&ps->v[i]);
    sb b = {0};
    sb_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content " ODF_NS
                "><office:automatic-styles/><office:body><office:spreadsheet>");
    size_t nsheets = 0, rows = 0;
    size_t first_cell = 0; /* where the content of the last row's first cell goes */
    for (size_t i = 0; i < ps->n || nsheets == 0; i++) {
        const item *it = i < ps->n ? &ps->v[i] : NULL;
        bool sheet = it && it->kind == K_SHEET;
        if (nsheets == 0 || sheet) {
            if (nsheets > 0)
                sb_puts(&b, "</table:table>");
            sb_puts(&b, "<table:table table:name=\"");
            sheet_name(&b, sheet ? it : NULL, ++nsheets);
            sb_printf(&b, "\"><table:table-column table:number-columns-repeated=\"%zu\"/>", ncols);
            rows = 0;
        }
        if (it == NULL || sheet)
            continue;
        if (it->kind == K_COMMENT) {
            if (rows++ == 0) { /* no row to comment on yet: an empty one */
                sb_puts(&b, "<table:table-row><table:table-cell>");
                first_cell = b.len;
                sb_puts(&b, "</table:table-cell></table:table-row>");
            }
            sb tmp = {0};
            odf_annotation(&tmp, it);
            sb_insert(&b, first_cell, tmp.p);
            first_cell += tmp.len;
            free(tmp.p);
            continue;
        }
        size_t n;
        span *c = cells_of(it->s, it->len, &n);
        sb_printf(&b, "<table:table-row%s>",
                  it->kind == K_HIDDEN ? " table:visibility=\"collapse\"" : "");
        for (size_t k = 0; k < n; k++) {
            sb_puts(&b, c[k].len ? "<table:table-cell office:value-type=\"string\">"
                                 : "<table:table-cell>");
            if (k == 0)
                first_cell = b.len;
            if (c[k].len)
                odf_p(&b, NULL, c[k].s, c[k].len);
            sb_puts(&b, "</table:table-cell>");
        }
        sb_puts(&b, "</table:table-row>");
        rows++;
        free(c);
    }
    sb_puts(&b, "</table:table>");
    sb_puts(&b, "</office:spreadsheet></office:body></office:document-content>");
    unsigned char *r =
        odf_package("application/vnd.oasis.opendocument.spreadsheet", "ods", b.p, NULL, len);
    free(b.p);
    return r;
}

#define SML_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define SML_CT "application/vnd.openxmlformats-officedocument.spreadsheetml."

typedef struct xsheet {
    sb name;     /* escaped */
    sb data;     /* sheetData's rows */
    sb comments; /* commentList's comments */
    sb vml;      /* their shapes */
    unsigned long row;
    size_t ncomments;
    char *part, *cpart, *vpart, *rpart; /* part names */
} xsheet;

static void col_name(char *out, size_t size, size_t col)
{
    char tmp[8];
    size_t n = 0;
    for (col++; col > 0 && n < sizeof tmp; col = (col - 1) / 26)
        tmp[n++] = (char)('A' + (col - 1) % 26);
    size_t k = 0;
    while (n > 0 && k + 1 < size)
        out[k++] = tmp[--n];
    out[k] = '\0';
}

/* A part name with a number in it ("xl/worksheets/sheet%zu.xml"), malloc'd. */
static char *part_name(const char *prefix, size_t n, const char *suffix)
{
    sb b = {0};
    sb_printf(&b, "%s%zu%s", prefix, n, suffix);
    return sb_take(&b);
}

static void xlsx_comment(xsheet *s, const item *it)
{
    if (s->row == 0)
        s->row = 1; /* no row to comment on yet: an empty one */
    sb_printf(&s->comments, "<comment ref=\"A%lu\" authorId=\"0\"><text><t xml:space=\"preserve\">",
              s->row);
    sb_xml(&s->comments, it->s, it->len);
    sb_puts(&s->comments, "</t></text></comment>");
    /* the note's box as Excel draws it: hidden until the cell is pointed at (x:Row is 0-based) */
    sb_printf(&s->vml,
              "<v:shape id=\"_x0000_s%zu\" type=\"#_x0000_t202\" style=\"position:absolute;"
              "margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:%zu;"
              "visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill "
              "color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path "
              "o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div "
              "style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\">"
              "<x:MoveWithCells/><x:SizeWithCells/><x:Anchor>1, 15, 0, 2, 3, 15, 4, 16"
              "</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>%lu</x:Row><x:Column>0"
              "</x:Column></x:ClientData></v:shape>",
              1025 + s->ncomments, s->ncomments + 1, s->row - 1);
    s->ncomments++;
}

static unsigned char *render_xlsx(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)text;
    (void)text_len;
    xsheet *sh = calloc(ps->n + 1, sizeof(*sh));
    assert_non_null(sh);
    size_t nsh = 0, nstrings = 0;
    sb sst = {0};
    for (size_t i = 0; i <= ps->n; i++) {
        const item *it = i < ps->n ? &ps->v[i] : NULL;
        bool sheet = it && it->kind == K_SHEET;
        if (nsh == 0 || sheet) {
            sheet_name(&sh[nsh].name, sheet ? it : NULL, nsh + 1);
            nsh++;
        }
        if (it == NULL || sheet)
            continue;
        xsheet *s = &sh[nsh - 1];
        if (it->kind == K_COMMENT) {
            xlsx_comment(s, it);
            continue;
        }
        s->row++;
        size_t n;
        span *c = cells_of(it->s, it->len, &n);
        bool any = false;
        for (size_t k = 0; k < n; k++)
            any |= c[k].len > 0;
        if (any) {
            sb_printf(&s->data, "<row r=\"%lu\"%s>", s->row,
                      it->kind == K_HIDDEN ? " hidden=\"1\"" : "");
            for (size_t k = 0; k < n; k++) {
                if (c[k].len == 0)
                    continue;
                char col[8];
                col_name(col, sizeof col, k);
                sb_printf(&s->data, "<c r=\"%s%lu\" t=\"s\"><v>%zu</v></c>", col, s->row,
                          nstrings++);
                sb_puts(&sst, "<si><t xml:space=\"preserve\">");
                sb_xml(&sst, c[k].s, c[k].len);
                sb_puts(&sst, "</t></si>");
            }
            sb_puts(&s->data, "</row>");
        }
        free(c);
    }
    /* parts: the sheets, shared strings and styles related from the workbook (rId1 …), then
     * each sheet's comments, VML drawing and relationships */
    fx_part *extra = calloc(4 * nsh + 2, sizeof(*extra));
    assert_non_null(extra);
    char **owned = calloc(8 * nsh + 4, sizeof(*owned));
    assert_non_null(owned);
    size_t n = 0, no = 0;
    sb book = {0};
    sb_puts(&book, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook "
                   "xmlns=\"" SML_NS "\" xmlns:r=\"" R_NS "\"><bookViews><workbookView/>"
                   "</bookViews><sheets>");
    for (size_t k = 0; k < nsh; k++) {
        xsheet *s = &sh[k];
        sb_printf(&book, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", s->name.p, k + 1,
                  k + 1);
        sb w = {0};
        sb_printf(&w,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet "
                  "xmlns=\"" SML_NS "\" xmlns:r=\"" R_NS "\"><sheetData>%s</sheetData>%s"
                  "</worksheet>",
                  s->data.p ? s->data.p : "", s->ncomments ? "<legacyDrawing r:id=\"rId2\"/>" : "");
        owned[no++] = s->part = part_name("xl/worksheets/sheet", k + 1, ".xml");
        owned[no++] = sb_take(&w);
        extra[n++] = (fx_part){.name = s->part,
                               .data = owned[no - 1],
                               .content_type = SML_CT "worksheet+xml",
                               .rel_type = "worksheet"};
    }
    sb_puts(&book, "</sheets></workbook>");
    sb strings = {0};
    sb_printf(&strings,
              "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"" SML_NS
              "\" count=\"%zu\" uniqueCount=\"%zu\">%s</sst>",
              nstrings, nstrings, sst.p ? sst.p : "");
    owned[no++] = sb_take(&strings);
    extra[n++] = (fx_part){.name = "xl/sharedStrings.xml",
                           .data = owned[no - 1],
                           .content_type = SML_CT "sharedStrings+xml",
                           .rel_type = "sharedStrings"};
    extra[n++] = (fx_part){
        .name = "xl/styles.xml",
        .data = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet "
                "xmlns=\"" SML_NS "\"><fonts count=\"1\"><font><sz val=\"11\"/><name "
                "val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill "
                "patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
                "</fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/>"
                "</border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" "
                "fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"1\"><xf "
                "numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>"
                "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
                "</cellStyles></styleSheet>",
        .content_type = SML_CT "styles+xml",
        .rel_type = "styles"};
    for (size_t k = 0; k < nsh; k++) {
        xsheet *s = &sh[k];
        if (s->ncomments == 0)
            continue;
        sb c = {0}, v = {0}, r = {0};
        sb_printf(&c,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments "
                  "xmlns=\"" SML_NS "\"><authors><author>" AUTHOR "</author></authors>"
                  "<commentList>%s</commentList></comments>",
                  s->comments.p);
        sb_printf(&v,
                  "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-"
                  "microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:"
                  "excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"%zu\"/>"
                  "</o:shapelayout><v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" "
                  "o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke "
                  "joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/>"
                  "</v:shapetype>%s</xml>",
                  k + 1, s->vml.p);
        sb_printf(&r,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                  "relationships\"><Relationship Id=\"rId1\" Type=\"" R_NS "/comments\" "
                  "Target=\"../comments%zu.xml\"/><Relationship Id=\"rId2\" Type=\"" R_NS
                  "/vmlDrawing\" Target=\"../drawings/vmlDrawing%zu.vml\"/></Relationships>",
                  k + 1, k + 1);
        owned[no++] = s->cpart = part_name("xl/comments", k + 1, ".xml");
        owned[no++] = sb_take(&c);
        extra[n++] = (fx_part){
            .name = s->cpart, .data = owned[no - 1], .content_type = SML_CT "comments+xml"};
        owned[no++] = s->vpart = part_name("xl/drawings/vmlDrawing", k + 1, ".vml");
        owned[no++] = sb_take(&v);
        extra[n++] =
            (fx_part){.name = s->vpart,
                      .data = owned[no - 1],
                      .content_type = "application/vnd.openxmlformats-officedocument.vmlDrawing"};
        owned[no++] = s->rpart = part_name("xl/worksheets/_rels/sheet", k + 1, ".xml.rels");
        owned[no++] = sb_take(&r);
        extra[n++] = (fx_part){.name = s->rpart, .data = owned[no - 1]};
    }
    char *dir = tst_tmpdir();
    char *path = fx_ooxml_write(dir, "passage.xlsx", FX_XLSX, book.p, NULL, extra, n);
    for (size_t k = 0; k < no; k++)
        free(owned[k]);
    for (size_t k = 0; k < nsh; k++) {
        free(sh[k].name.p);
        free(sh[k].data.p);
        free(sh[k].comments.p);
        free(sh[k].vml.p);
    }
    free(owned);
    free(extra);
    free(sh);
    free(sst.p);
    free(book.p);
    return read_package(dir, path, len);
}

/* ---- pdf ------------------------------------------------------------------------------------ */

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 56.7 /* 2 cm */
#define FONT 10.0
#define MIN_FONT 7.0
#define LINE 14.0
#define TOP (MARGIN + FONT)
#define BOTTOM (PAGE_H - MARGIN)
#define USABLE (PAGE_W - 2 * MARGIN)
/*
 * The gap between a column and the widest cell of the one before it, in em. poppler (22.12,
 * TextOutputDev.cc) joins a column to the text block on its left only when it starts less than
 * 1 em right of it (minColSpacing2) and breaks a line at a gap over 1.5 em (maxWordSpacing): with
 * 2 em every cell came out on a line of its own; with 0.8 em a row comes out on one line unless
 * one of its cells is much narrower than its column (a short header cell), as with real tables.
 */
#define GAP_EM 0.8

enum style { S_PLAIN, S_WHITE, S_REDACTED };

typedef struct pdf_note {
    unsigned page; /* 0-based */
    double y;      /* baseline of the line it is on, from the top */
    const item *it;
} pdf_note;

typedef struct pdfw {
    fx_pdf *p;
    cairo_surface_t *ms; /* for measuring text as the PDF surface does */
    cairo_t *m;
    const passage *ps;
    unsigned page;
    double y;    /* baseline of the next line */
    bool body;   /* the page holds a line of the passage */
    double last; /* baseline of the last line drawn */
    pdf_note *notes;
    size_t nnotes;
} pdfw;

static char *cstr(const char *s, size_t n)
{
    char *t = malloc(n + 1);
    assert_non_null(t);
    memcpy(t, s, n);
    t[n] = '\0';
    return t;
}

static double width(pdfw *w, double size, const char *s, size_t n)
{
    char *t = cstr(s, n);
    cairo_text_extents_t te;
    cairo_set_font_size(w->m, size);
    cairo_text_extents(w->m, t, &te);
    free(t);
    return te.x_advance;
}

/*
 * Break `s` into pieces no wider than `maxw`, at spaces (dropped at the break), or inside a word
 * wider than `maxw` (at a character boundary). Returns the number of pieces; free *out.
 */
static size_t wrap(pdfw *w, double size, const char *s, size_t n, double maxw, span **out)
{
    span *v = calloc(n + 1, sizeof(*v));
    assert_non_null(v);
    size_t nv = 0, at = 0;
    while (at < n || nv == 0) {
        if (width(w, size, s + at, n - at) <= maxw) {
            v[nv++] = (span){s + at, n - at};
            break;
        }
        /* the longest prefix ending before a space that fits, else the longest that fits */
        size_t best = 0, fit = 0;
        for (size_t k = at + 1; k <= n; k++) {
            bool boundary = k == n || ((unsigned char)s[k] & 0xC0) != 0x80;
            if (!boundary)
                continue;
            if (width(w, size, s + at, k - at) > maxw)
                break;
            fit = k - at;
            if (k < n && s[k] == ' ')
                best = k - at;
        }
        size_t take = best ? best : fit ? fit : 1;
        while (take < n - at && ((unsigned char)s[at + take] & 0xC0) == 0x80)
            take++; /* never split a character */
        v[nv++] = (span){s + at, take};
        at += take;
        if (best)
            while (at < n && s[at] == ' ')
                at++;
    }
    *out = v;
    return nv;
}

static void draw(pdfw *w, double x, double y, double size, const span *sp, enum style st)
{
    if (sp->len == 0)
        return;
    char *t = cstr(sp->s, sp->len);
    fx_pdf_text(w->p, x, y, size, st == S_WHITE ? 0xFFFFFF : 0x000000, t);
    if (st == S_REDACTED)
        fx_pdf_box_over(w->p, x, y, size, t, 1.0, 0x000000);
    free(t);
}

/* The @header lines at the top and the @footer lines at the bottom of the page. */
static void furniture(pdfw *w)
{
    size_t nh = 0, nf = count_kind(w->ps, K_FOOTER), f = 0;
    for (size_t i = 0; i < w->ps->n; i++) {
        const item *it = &w->ps->v[i];
        span sp = {it->s, it->len};
        if (it->kind == K_HEADER)
            draw(w, MARGIN, 34.0 + LINE * (double)nh++, FONT, &sp, S_PLAIN);
        else if (it->kind == K_FOOTER)
            draw(w, MARGIN, PAGE_H - 30.0 - LINE * (double)(nf - 1 - f++), FONT, &sp, S_PLAIN);
    }
}

static void new_page(pdfw *w)
{
    fx_pdf_next_page(w->p);
    w->page++;
    w->y = TOP;
    w->body = false;
    furniture(w);
}

/* Room for `lines` lines from here: a new page when they do not fit (and would on a new one). */
static void room(pdfw *w, size_t lines)
{
    double need = LINE * (double)(lines - 1);
    if (w->y + need > BOTTOM && w->body)
        new_page(w);
}

/* A line of text, wrapped. */
static void pdf_line(pdfw *w, const item *it, enum style st)
{
    span *v;
    size_t n = wrap(w, FONT, it->s, it->len, USABLE, &v);
    for (size_t k = 0; k < n; k++) {
        room(w, 1);
        draw(w, MARGIN, w->y, FONT, &v[k], st);
        w->last = w->y;
        w->y += LINE;
        w->body = true;
    }
    free(v);
}

/* Rows drawn in columns: each column after the widest cell of the one before and a gap. */
static void pdf_table(pdfw *w, const item *rows, size_t nrows, enum style st)
{
    size_t ncols = 1;
    for (size_t i = 0; i < nrows; i++)
        if (ncells(&rows[i]) > ncols)
            ncols = ncells(&rows[i]);
    double *colw = calloc(ncols, sizeof(*colw)), *x = calloc(ncols, sizeof(*x)), sum = 0;
    assert_true(colw != NULL && x != NULL);
    for (size_t i = 0; i < nrows; i++) {
        size_t n;
        span *c = cells_of(rows[i].s, rows[i].len, &n);
        for (size_t k = 0; k < n; k++) {
            double cw = width(w, FONT, c[k].s, c[k].len);
            if (cw > colw[k])
                colw[k] = cw;
        }
        free(c);
    }
    for (size_t k = 0; k < ncols; k++)
        sum += colw[k];
    /* too wide: smaller type first, as "fit to page" does; widths scale with the size */
    double size = FONT;
    while (size > MIN_FONT && sum * size / FONT + GAP_EM * size * (double)(ncols - 1) > USABLE)
        size -= 0.5;
    double gap = GAP_EM * size, line = LINE * size / FONT,
           avail = USABLE - gap * (double)(ncols - 1);
    for (size_t k = 0; k < ncols; k++)
        colw[k] = colw[k] * size / FONT;
    if (sum * size / FONT > avail) {
        /* still too wide: the widest columns get a common cap and their cells wrap */
        double lo = 0, hi = avail;
        for (int iter = 0; iter < 40; iter++) {
            double cap = (lo + hi) / 2, tot = 0;
            for (size_t k = 0; k < ncols; k++)
                tot += colw[k] < cap ? colw[k] : cap;
            if (tot > avail)
                hi = cap;
            else
                lo = cap;
        }
        for (size_t k = 0; k < ncols; k++)
            if (colw[k] > lo)
                colw[k] = lo;
    }
    x[0] = MARGIN;
    for (size_t k = 1; k < ncols; k++)
        x[k] = x[k - 1] + colw[k - 1] + gap;
    for (size_t i = 0; i < nrows; i++) {
        size_t n, height = 1;
        span *c = cells_of(rows[i].s, rows[i].len, &n);
        span **pieces = calloc(n, sizeof(*pieces));
        size_t *np = calloc(n, sizeof(*np));
        assert_true(pieces != NULL && np != NULL);
        for (size_t k = 0; k < n; k++) {
            np[k] = wrap(w, size, c[k].s, c[k].len, colw[k] + 0.01, &pieces[k]);
            if (np[k] > height)
                height = np[k];
        }
        room(w, height);
        for (size_t k = 0; k < n; k++) {
            for (size_t j = 0; j < np[k]; j++)
                draw(w, x[k], w->y + line * (double)j, size, &pieces[k][j], st);
            free(pieces[k]);
        }
        w->last = w->y;
        w->y += line * (double)height;
        w->body = true;
        free(pieces);
        free(np);
        free(c);
    }
    free(colw);
    free(x);
}

/* A PDF string in UTF-16BE with its byte order mark, as hex (ISO 32000-2 §7.9.2.2). */
static void pdf_text_string(sb *b, const char *s, size_t n)
{
    sb_puts(b, "<FEFF");
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        unsigned long cp = c;
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (k > 1 && i + k <= n) {
            cp = c & (0x3Fu >> (k - 1));
            for (size_t j = 1; j < k; j++)
                cp = cp << 6 | ((unsigned char)s[i + j] & 0x3Fu);
        } else {
            k = 1; /* not UTF-8: the byte as Latin-1 */
        }
        i += k;
        if (cp >= 0x10000)
            sb_printf(b, "%04lX%04lX", 0xD800 + ((cp - 0x10000) >> 10),
                      0xDC00 + ((cp - 0x10000) & 0x3FF));
        else
            sb_printf(b, "%04lX", cp);
    }
    sb_puts(b, ">");
}

/* The comments as text annotations, added to their pages by an incremental update. */
static unsigned char *pdf_notes(pdfw *w, size_t *len)
{
    fx_objs *o = fx_objs_update(w->p);
    for (unsigned page = 0; page <= w->page; page++) {
        sb annots = {0};
        for (size_t i = 0; i < w->nnotes; i++) {
            const pdf_note *nt = &w->notes[i];
            if (nt->page != page)
                continue;
            double y = PAGE_H - nt->y;
            sb contents = {0};
            pdf_text_string(&contents, nt->it->s, nt->it->len);
            unsigned num = fx_objs_next(o);
            fx_objs_put(o, num,
                        "<< /Type /Annot /Subtype /Text /Rect [%.1f %.1f %.1f %.1f] /Contents %s "
                        "/T (" AUTHOR ") /M (D:20240301100000Z) /Name /Comment /C [1 1 0] /F 4 >>",
                        PAGE_W - MARGIN + 6, y - 4, PAGE_W - MARGIN + 20, y + 10, contents.p);
            free(contents.p);
            sb_printf(&annots, "%u 0 R ", num);
        }
        if (annots.len > 0) {
            unsigned pobj = fx_objs_find(o, "/Type /Page ", page);
            assert_true(pobj > 0);
            fx_objs_extend(o, pobj, "/Annots [ %s]", annots.p);
        }
        free(annots.p);
    }
    return fx_objs_finish(o, fx_objs_root(o), NULL, len);
}

static unsigned char *render_pdf(const passage *ps, const char *text, size_t text_len, size_t *len)
{
    (void)text;
    (void)text_len;
    pdfw w = {.ps = ps, .y = TOP, .last = TOP};
    w.p = fx_pdf_new();
    w.ms = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    w.m = cairo_create(w.ms);
    cairo_select_font_face(w.m, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF); /* as the PDF surface */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(w.m, fo);
    cairo_font_options_destroy(fo);
    w.notes = calloc(ps->n + 1, sizeof(*w.notes));
    assert_non_null(w.notes);
    furniture(&w);
    for (size_t i = 0; i < ps->n;) {
        const item *it = &ps->v[i];
        enum style st = it->kind == K_HIDDEN     ? S_WHITE
                        : it->kind == K_REDACTED ? S_REDACTED
                                                 : S_PLAIN;
        if (it->kind == K_ROW) {
            size_t end = table_end(ps, i);
            pdf_table(&w, it, end - i, S_PLAIN);
            i = end;
            continue;
        }
        i++;
        switch (it->kind) {
        case K_HEADER:
        case K_FOOTER:
            break; /* on every page */
        case K_COMMENT:
            w.notes[w.nnotes++] = (pdf_note){.page = w.page, .y = w.last, .it = it};
            break;
        case K_SHEET:
            if (w.body)
                new_page(&w);
            if (it->len > 0)
                pdf_line(&w, it, S_PLAIN);
            break;
        default:
            if (memchr(it->s, '\t', it->len) != NULL)
                pdf_table(&w, it, 1, st);
            else
                pdf_line(&w, it, st);
            break;
        }
    }
    cairo_destroy(w.m);
    cairo_surface_destroy(w.ms);
    unsigned char *r = w.nnotes > 0 ? pdf_notes(&w, len) : fx_pdf_finish(w.p, len);
    free(w.notes);
    return r;
}

/* ---- the table of formats ------------------------------------------------------------------- */

typedef unsigned char *(*render_fn)(const passage *ps, const char *text, size_t text_len,
                                    size_t *len);

static const struct renderer {
    const char *name;
    render_fn render;
} renderers[FX_FMT_COUNT_] = {
    [FX_FMT_TXT] = {"txt", render_txt},    [FX_FMT_CSV] = {"csv", render_csv},
    [FX_FMT_DOCX] = {"docx", render_docx}, [FX_FMT_ODT] = {"odt", render_odt},
    [FX_FMT_XLSX] = {"xlsx", render_xlsx}, [FX_FMT_ODS] = {"ods", render_ods},
    [FX_FMT_PDF] = {"pdf", render_pdf},
};

const char *fx_format_name(fx_format f)
{
    return (unsigned)f < FX_FMT_COUNT_ ? renderers[f].name : NULL;
}

int fx_format_parse(const char *name)
{
    for (int f = 0; f < FX_FMT_COUNT_; f++)
        if (name && strcmp(name, renderers[f].name) == 0)
            return f;
    return -1;
}

unsigned char *fx_passage_render(const char *text, size_t text_len, fx_format f, size_t *len)
{
    assert_true((unsigned)f < FX_FMT_COUNT_);
    assert_true(text != NULL || text_len == 0);
    passage ps = parse(text ? text : "", text_len);
    unsigned char *r = renderers[f].render(&ps, text ? text : "", text_len, len);
    free(ps.v);
    assert_non_null(r);
    return r;
}

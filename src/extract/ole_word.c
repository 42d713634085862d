/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Word 97-2003 (.doc): text through the piece table, stories, tracked changes, comment authors. */
#include "extract/ole.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * MS-DOC in brief: the WordDocument stream starts with the FIB, which says where everything is
 * in the table stream (0Table or 1Table, by fWhichTblStm). The text is a sequence of character
 * positions (CPs) split into stories by the FIB's ccp* counts (main text, footnotes, headers,
 * comments, endnotes, text boxes, header text boxes). The piece table (Clx → PlcPcd) maps CP
 * ranges to bytes of the WordDocument stream, each piece either 8-bit (Windows-1252) or
 * UTF-16LE. Paragraphs end with \r (and table cells with \a). Character properties (PlcBteChpx →
 * ChpxFkp pages) mark tracked deletions and insertions (sprmCFRMarkDel/Ins, with the author's
 * index into SttbfRMark) and hidden text (sprmCFVanish). Comments are the ccpAtn story; their
 * authors are GrpXstAtnOwners, indexed by each comment's ATRDPre10 in PlcfandRef.
 * Tables: paragraph properties (PlcBtePapx → PapxFkp pages) say which paragraphs are in a table
 * (sprmPFInTable, sprmPItap) and which one ends a row (sprmPFTtp); a cell's last paragraph ends
 * with \a, its others with \r. Rows go to the sink as table rows, a cell per \a (its column is
 * its place in the row: merged cells, which only the row's TAP tells, are not followed).
 */

#define FIB_IDENT 0xA5ECu
#define FIB_MIN_NFIB 0xC0u /* Word 97; Word 6/95 files have another FIB */
#define F_ENCRYPTED 0x0100u
#define F_WHICH_TABLE 0x0200u
#define F_OBFUSCATED 0x8000u

/* pairs of FibRgFcLcb97 */
enum {
    FC_PLCFANDREF = 4,
    FC_PLCFBTECHPX = 12,
    FC_PLCFBTEPAPX = 13,
    FC_CLX = 33,
    FC_GRPXSTATNOWNERS = 36,
    FC_STTBFRMARK = 51,
};

/* members of FibRgLw97 */
enum {
    LW_CCPTEXT = 3,
    LW_CCPFTN,
    LW_CCPHDD,
    LW_CCPMCR,
    LW_CCPATN,
    LW_CCPEDN,
    LW_CCPTXBX,
    LW_CCPHDRTXBX,
};

#define MAX_PIECES (1u << 20) /* hostile input: pieces of the piece table */
#define MAX_NAMES 10000u      /* hostile input: authors in a string table */
#define FKP 512u

enum { R_DEL = 1, R_INS = 2, R_HIDDEN = 4 };

typedef struct run {
    uint32_t start, end; /* byte offsets in the WordDocument stream */
    unsigned flags;
    uint16_t ibst_del, ibst_ins;
} run;

/* A paragraph in a table: its bytes in the WordDocument stream, its nesting and whether it ends
 * a row (MS-DOC 2.6.2 sprmPFInTable, sprmPItap, sprmPFTtp, sprmPFInnerTtp). */
typedef struct tpara {
    uint32_t start, end;
    uint32_t itap; /* 1 = the outer table; 2 and more: nested, flattened into the outer cell */
    bool ttp;      /* the row's end mark */
} tpara;

/* span_find reads both kinds of element by their leading start and end */
_Static_assert(offsetof(run, start) == 0 && offsetof(run, end) == sizeof(uint32_t),
               "run begins with uint32_t start, end");
_Static_assert(offsetof(tpara, start) == 0 && offsetof(tpara, end) == sizeof(uint32_t),
               "tpara begins with uint32_t start, end");

typedef struct word {
    ts_doc *doc;
    const unsigned char *wd, *tb;
    size_t nwd, ntb;
    /* FIB */
    const unsigned char *lw, *fclcb;
    size_t nlw, nfclcb;
    /* piece table */
    const unsigned char *plc;
    size_t npieces;
    run *runs;
    size_t nruns, cap_runs, cur;
    tpara *paras;
    size_t nparas, cap_paras, pcur;
    bool tab_open, cell_open, new_row;
    unsigned long tcol;
    char **rm_names, **atn_names; /* revision and comment authors (arena) */
    size_t n_rm, n_atn;
    ts_tally revisions, comments;
    ts_tsink sink;
    unsigned long line;
    size_t budget; /* characters left: a piece table cannot map more text than the stream holds */
    size_t hidden;
    unsigned last_flags;
    ts_status st;
    /* text gathered at one place before it goes to the sink */
    unsigned char buf[4096];
    size_t blen;
    ts_where bwhere;
} word;

static uint32_t lw_at(const word *w, size_t i)
{
    return i < w->nlw ? ts_ole_u32(w->lw + 4 * i) : 0;
}

/* The table-stream range of FibRgFcLcb pair i, or an empty one when it is not in the stream. */
static ts_ole_bytes fclcb(const word *w, size_t i)
{
    ts_ole_bytes r = {NULL, 0};
    if (i >= w->nfclcb)
        return r;
    uint32_t fc = ts_ole_u32(w->fclcb + 8 * i), lcb = ts_ole_u32(w->fclcb + 8 * i + 4);
    if (lcb == 0 || fc > w->ntb || lcb > w->ntb - fc) {
        if (lcb != 0)
            ts_doc_fail(w->doc, TS_ECORRUPT, "FIB entry %zu points outside the table stream", i);
        return r;
    }
    r.p = w->tb + fc;
    r.n = lcb;
    return r;
}

/* ---- string tables: SttbfRMark and GrpXstAtnOwners ------------------------------------------ */

static ts_status add_name(word *w, char ***v, size_t *n, const unsigned char *p, size_t units)
{
    ts_sbuf b = {.max = 512};
    ts_ole_sbuf_utf16(&b, p, units);
    char *s = b.oom ? NULL : ts_doc_strdup(w->doc, ts_sbuf_str(&b));
    ts_sbuf_free(&b);
    char **nv = ts_doc_alloc(w->doc, (*n + 1) * sizeof(*nv));
    if (s == NULL || nv == NULL)
        return TS_ENOMEM;
    if (*n)
        memcpy(nv, *v, *n * sizeof(*nv));
    nv[(*n)++] = s;
    *v = nv;
    return TS_OK;
}

/* An STTB of UTF-16 strings (MS-DOC 2.2.4): fExtend 0xFFFF, cData, cbExtra, then cch + chars. */
static ts_status read_sttb(word *w, ts_ole_bytes t, char ***v, size_t *n)
{
    if (t.n < 6 || ts_ole_u16(t.p) != 0xFFFF)
        return TS_OK;
    size_t count = ts_ole_u16(t.p + 2), extra = ts_ole_u16(t.p + 4), at = 6;
    /* arena copies grow the array each time: keep the count small */
    for (size_t i = 0; i < count && i < 256 && at + 2 <= t.n; i++) {
        size_t cch = ts_ole_u16(t.p + at);
        at += 2;
        if (cch > (t.n - at) / 2)
            break;
        ts_status st = add_name(w, v, n, t.p + at, cch);
        if (st != TS_OK)
            return st;
        at += 2 * cch;
        at = extra <= t.n - at ? at + extra : t.n;
    }
    return TS_OK;
}

/* GrpXstAtnOwners: Xst after Xst (cch + chars) to the end. */
static ts_status read_owners(word *w, ts_ole_bytes t)
{
    size_t at = 0;
    while (at + 2 <= t.n && w->n_atn < 256) {
        size_t cch = ts_ole_u16(t.p + at);
        at += 2;
        if (cch > (t.n - at) / 2)
            break;
        ts_status st = add_name(w, &w->atn_names, &w->n_atn, t.p + at, cch);
        if (st != TS_OK)
            return st;
        at += 2 * cch;
    }
    return TS_OK;
}

/* PlcfandRef: one ATRDPre10 (30 bytes, ibst at 20) per comment: count them per author. */
static ts_status count_comments(word *w, ts_ole_bytes t)
{
    if (t.n < 4)
        return TS_OK;
    size_t n = (t.n - 4) / 34;
    const unsigned char *atrd = t.p + 4 * (n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t ibst = ts_ole_u16(atrd + 30 * i + 20);
        const char *name = ibst < w->n_atn ? w->atn_names[ibst] : "";
        ts_status st = ts_tally_add(&w->comments, name, strlen(name), 0);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* ---- character properties: ChpxFkp pages ---------------------------------------------------- */

/* Operand size of a sprm (MS-DOC 2.2.5.1, spra), or 0 when the grpprl ends here. */
static size_t sprm_len(uint16_t sprm, const unsigned char *p, size_t avail)
{
    switch (sprm >> 13) {
    case 0:
    case 1:
        return 1;
    case 2:
    case 4:
    case 5:
        return 2;
    case 3:
        return 4;
    case 7:
        return 3;
    default: /* 6: variable, size in the first byte (two for sprmTDefTable) */
        if (sprm == 0xD608)
            return avail >= 2 ? (size_t)ts_ole_u16(p) + 1 : avail + 1;
        return avail >= 1 ? (size_t)p[0] + 1 : avail + 1;
    }
}

static void chpx_flags(run *r, const unsigned char *g, size_t n)
{
    size_t at = 0;
    while (at + 2 <= n) {
        uint16_t sprm = ts_ole_u16(g + at);
        at += 2;
        size_t len = sprm_len(sprm, g + at, n - at);
        if (len > n - at)
            break;
        const unsigned char *op = g + at;
        /* toggles: 1 on, 0x81 the opposite of the style (the style rarely has them) */
        bool on = (op[0] & 0x7F) == 1;
        if (sprm == 0x0800)
            r->flags = on ? r->flags | R_DEL : r->flags & ~(unsigned)R_DEL;
        else if (sprm == 0x0801)
            r->flags = on ? r->flags | R_INS : r->flags & ~(unsigned)R_INS;
        else if (sprm == 0x083C)
            r->flags = on ? r->flags | R_HIDDEN : r->flags & ~(unsigned)R_HIDDEN;
        else if (sprm == 0x4863)
            r->ibst_del = ts_ole_u16(op);
        else if (sprm == 0x4804)
            r->ibst_ins = ts_ole_u16(op);
        at += len;
    }
}

static int run_cmp(const void *a, const void *b)
{
    const run *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The FKP pages of a bin table (PlcBteChpx, PlcBtePapx): *n pages; fkp_page gives page i. */
static const unsigned char *bin_table(const word *w, size_t which, size_t *n)
{
    ts_ole_bytes t = fclcb(w, which);
    *n = t.n < 4 ? 0 : (t.n - 4) / 8;
    return *n ? t.p + 4 * (*n + 1) : NULL;
}

/* Page i of a bin table in the WordDocument stream, or NULL (its number in *pn) when it lies
 * outside the stream. */
static const unsigned char *fkp_page(const word *w, const unsigned char *pns, size_t i, size_t *pn)
{
    *pn = ts_ole_u32(pns + 4 * i) & 0x3FFFFFu;
    if (*pn > w->nwd / FKP || *pn * FKP + FKP > w->nwd)
        return NULL;
    return w->wd + *pn * FKP;
}

static ts_status read_runs(word *w)
{
    size_t n, pn;
    const unsigned char *pns = bin_table(w, FC_PLCFBTECHPX, &n);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *pg = fkp_page(w, pns, i, &pn);
        if (pg == NULL) {
            ts_doc_fail(w->doc, TS_ECORRUPT,
                        "character properties page %zu is outside the "
                        "stream: tracked changes and hidden text may be "
                        "reported as body text",
                        pn);
            continue;
        }
        size_t crun = pg[FKP - 1];
        if (crun == 0 || 4 * (crun + 1) + crun > FKP - 1)
            continue;
        for (size_t k = 0; k < crun; k++) {
            run r = {.start = ts_ole_u32(pg + 4 * k), .end = ts_ole_u32(pg + 4 * k + 4)};
            size_t b = pg[4 * (crun + 1) + k];
            if (b != 0 && 2 * b < FKP - 1) {
                size_t cb = pg[2 * b];
                if (2 * b + 1 + cb > FKP - 1)
                    cb = FKP - 1 - 2 * b - 1;
                chpx_flags(&r, pg + 2 * b + 1, cb);
            }
            if (r.flags == 0 || r.end <= r.start)
                continue; /* only runs that matter are kept */
            if (ts_grow((void **)&w->runs, &w->cap_runs, w->nruns + 1, sizeof(*w->runs)) != 0)
                return TS_ENOMEM;
            w->runs[w->nruns++] = r;
        }
    }
    if (w->nruns > 1)
        qsort(w->runs, w->nruns, sizeof(*w->runs), run_cmp);
    return TS_OK;
}

/* ---- paragraph properties: PapxFkp pages (only table membership is kept) ------------------- */

static void papx_table(tpara *t, const unsigned char *g, size_t n)
{
    size_t at = 0;
    while (at + 2 <= n) {
        uint16_t sprm = ts_ole_u16(g + at);
        at += 2;
        size_t len = sprm_len(sprm, g + at, n - at);
        if (len > n - at)
            break;
        const unsigned char *op = g + at;
        if (sprm == 0x2416 && t->itap == 0) /* sprmPFInTable */
            t->itap = op[0] ? 1 : 0;
        else if (sprm == 0x6649) /* sprmPItap */
            t->itap = ts_ole_u32(op) > 64 ? 64 : ts_ole_u32(op);
        else if (sprm == 0x2417) /* sprmPFTtp */
            t->ttp = op[0] != 0;
        else if (sprm == 0x244C && op[0]) /* sprmPFInnerTtp: a nested row's end */
            t->ttp = false;
        at += len;
    }
}

static int tpara_cmp(const void *a, const void *b)
{
    const tpara *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static ts_status read_paras(word *w)
{
    size_t n, pn;
    const unsigned char *pns = bin_table(w, FC_PLCFBTEPAPX, &n);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *pg = fkp_page(w, pns, i, &pn);
        if (pg == NULL)
            continue; /* tables then read as paragraphs */
        size_t cpara = pg[FKP - 1];
        if (cpara == 0 || 4 * (cpara + 1) + 13 * cpara > FKP - 1)
            continue;
        for (size_t k = 0; k < cpara; k++) {
            tpara p = {.start = ts_ole_u32(pg + 4 * k), .end = ts_ole_u32(pg + 4 * k + 4)};
            size_t b = pg[4 * (cpara + 1) + 13 * k];
            if (b == 0 || 2 * b >= FKP - 1)
                continue;
            size_t at = 2 * b, cb = pg[at++];
            size_t size = cb != 0 ? 2 * cb - 1 : (at < FKP - 1 ? 2 * (size_t)pg[at++] : 0);
            if (at + size > FKP - 1)
                size = FKP - 1 - at;
            if (size > 2) /* istd, then the sprms */
                papx_table(&p, pg + at + 2, size - 2);
            if (p.itap == 0 || p.end <= p.start)
                continue; /* only table paragraphs are kept */
            if (ts_grow((void **)&w->paras, &w->cap_paras, w->nparas + 1, sizeof(*w->paras)) != 0)
                return TS_ENOMEM;
            w->paras[w->nparas++] = p;
        }
    }
    if (w->nparas > 1)
        qsort(w->paras, w->nparas, sizeof(*w->paras), tpara_cmp);
    return TS_OK;
}

/* The byte span [start, end) of element i of an array of `size`-byte elements (runs, table
 * paragraphs) that begin with `uint32_t start, end`. */
static void span_at(const void *v, size_t size, size_t i, uint32_t se[2])
{
    memcpy(se, (const char *)v + i * size, 2 * sizeof(uint32_t));
}

/*
 * The index of the element of a sorted, non-overlapping array of spans (span_at) that holds
 * byte `fc`, or `n` when none does. Text is read in order: the last one found (`*cur`) is
 * tried first, then a binary search.
 */
static size_t span_find(const void *v, size_t n, size_t size, size_t *cur, size_t fc)
{
    uint32_t se[2];
    if (n == 0)
        return n;
    if (*cur < n) {
        span_at(v, size, *cur, se);
        if (se[0] <= fc && fc < se[1])
            return *cur;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        span_at(v, size, mid, se);
        if (se[0] <= fc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return n;
    span_at(v, size, lo - 1, se);
    if (fc >= se[1])
        return n;
    *cur = lo - 1;
    return lo - 1;
}

/* The table paragraph holding byte `fc`, or NULL. */
static const tpara *tpara_at(word *w, size_t fc)
{
    size_t i = span_find(w->paras, w->nparas, sizeof(*w->paras), &w->pcur, fc);
    return i < w->nparas ? &w->paras[i] : NULL;
}

/* The run holding byte `fc`, or NULL (plain text). */
static const run *run_at(word *w, size_t fc)
{
    size_t i = span_find(w->runs, w->nruns, sizeof(*w->runs), &w->cur, fc);
    return i < w->nruns ? &w->runs[i] : NULL;
}

/* ---- text ----------------------------------------------------------------------------------- */

static void flush_buf(word *w)
{
    if (w->blen > 0)
        ts_tsink_put(&w->sink, (const char *)w->buf, w->blen, w->bwhere);
    w->blen = 0;
}

static ts_status count_revision(word *w, const run *r)
{
    unsigned which = r->flags & R_DEL ? 0 : 1;
    size_t ibst = which == 0 ? r->ibst_del : r->ibst_ins;
    const char *name = ibst < w->n_rm ? w->rm_names[ibst] : "";
    return ts_tally_add(&w->revisions, name, strlen(name), (int)which);
}

static void table_leave(word *w)
{
    flush_buf(w);
    ts_tsink_table_end(&w->sink);
    w->tab_open = w->cell_open = false;
    ts_tsink_line(&w->sink, w->line);
}

/* Text of a table paragraph: the table and the cell start if they have not yet. */
static void cell_open(word *w)
{
    if (w->cell_open)
        return;
    flush_buf(w);
    if (!w->tab_open) {
        ts_tsink_table(&w->sink);
        w->tab_open = true;
        w->new_row = true;
        w->tcol = 0;
    }
    ts_tsink_cell(&w->sink, w->line, w->tcol, NULL, w->new_row);
    w->new_row = false;
    w->cell_open = true;
}

/* A mark of a table paragraph: a paragraph in a cell, a cell's end, or the row's end. */
static void table_mark(word *w, uint32_t c, const tpara *tp, ts_where where)
{
    if (tp->ttp && c == 0x07) {
        flush_buf(w);
        w->cell_open = false;
        w->new_row = true;
        w->tcol = 0;
        w->line++;
        return;
    }
    cell_open(w);
    if (c == 0x07 && tp->itap <= 1) {
        flush_buf(w);
        w->cell_open = false;
        if (w->tcol < 16384)
            w->tcol++;
        return;
    }
    flush_buf(w);
    ts_tsink_put(&w->sink, " ", 1, where); /* a cell's text stays on its line */
}

/* One character of a story at `where` (its own place or a more hidden one), in table
 * paragraph `tp` or none. */
static void put_char(word *w, uint32_t c, ts_where where, const tpara *tp)
{
    bool mark = c == 0x0D || c == 0x07 || c == 0x0C;
    if (tp != NULL && c != 0x0C) {
        if (mark) {
            table_mark(w, c, tp, where);
            return;
        }
        if (!tp->ttp)
            cell_open(w);
    } else if (w->tab_open) {
        table_leave(w);
    }
    if (mark) { /* paragraph, cell or row end, page break */
        flush_buf(w);
        ts_tsink_line(&w->sink, ++w->line);
        return;
    }
    if (c == 0x13 || c == 0x14 || c == 0x15) /* field begin, separator, end */
        c = ' ';
    else if (c == 0x1E) /* non-breaking hyphen */
        c = '-';
    else if (c == 0x0B)
        c = '\n';
    else if (c < 0x20 && c != 0x09)
        return; /* pictures, footnote and comment references, optional hyphens */
    if (where != w->bwhere || w->blen + 4 > sizeof w->buf) {
        bool swap =
            (where == TS_WHERE_TRACKED_DELETION && w->bwhere == TS_WHERE_TRACKED_INSERTION) ||
            (w->bwhere == TS_WHERE_TRACKED_DELETION && where == TS_WHERE_TRACKED_INSERTION);
        /* a deletion replaced by an insertion: keep the old and the new word apart */
        if (swap && w->blen + 1 < sizeof w->buf)
            w->buf[w->blen++] = ' ';
        flush_buf(w);
        w->bwhere = where;
    }
    w->blen += ts_utf8_put(w->buf + w->blen, c);
}

/* The characters [from, to) of a story that lie in piece i. */
static ts_status piece_text(word *w, size_t i, uint32_t from, uint32_t to, ts_where base)
{
    uint32_t cp0 = ts_ole_u32(w->plc + 4 * i);
    const unsigned char *pcd = w->plc + 4 * (w->npieces + 1) + 8 * i;
    uint32_t fc = ts_ole_u32(pcd + 2);
    bool compressed = (fc & 0x40000000u) != 0;
    size_t at = compressed ? (fc & 0x3FFFFFFFu) / 2 : fc;
    size_t unit = compressed ? 1 : 2;
    size_t first = from - cp0, count = to - from;
    if (count > w->budget) {
        ts_doc_fail(w->doc, TS_ECORRUPT, "the piece table maps more text than the stream holds");
        count = w->budget;
    }
    w->budget -= count;
    if (at > w->nwd || first > (w->nwd - at) / unit) {
        ts_doc_fail(w->doc, TS_ECORRUPT, "a text piece lies outside the WordDocument stream");
        return TS_OK;
    }
    at += first * unit;
    if (count > (w->nwd - at) / unit) {
        ts_doc_fail(w->doc, TS_ECORRUPT, "a text piece runs past the end of the stream");
        count = (w->nwd - at) / unit;
    }
    for (size_t k = 0; k < count && w->sink.st == TS_OK && w->st == TS_OK; k++) {
        size_t pos = at + k * unit;
        uint32_t c = compressed ? w->wd[pos] : ts_ole_u16(w->wd + pos);
        if (compressed) {
            c = ts_ole_cp1252(w->wd[pos]);
        } else if (c >= 0xD800 && c < 0xE000) {
            uint32_t d = k + 1 < count ? ts_ole_u16(w->wd + pos + 2) : 0;
            if (c < 0xDC00 && d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                k++;
            } else {
                c = 0xFFFD;
            }
        }
        const run *r = run_at(w, pos);
        unsigned flags = r ? r->flags : 0;
        ts_where where = base;
        if (flags & R_DEL)
            where = TS_WHERE_TRACKED_DELETION;
        else if (flags & R_HIDDEN)
            where = TS_WHERE_HIDDEN_TEXT;
        else if (flags & R_INS)
            where = TS_WHERE_TRACKED_INSERTION;
        if ((flags & (R_DEL | R_INS)) && r != NULL &&
            ((w->last_flags & (R_DEL | R_INS)) != (flags & (R_DEL | R_INS))))
            w->st = count_revision(w, r);
        if ((flags & R_HIDDEN) && c > 0x20)
            w->hidden++;
        w->last_flags = flags;
        put_char(w, c, where, tpara_at(w, pos));
    }
    return w->st;
}

static ts_status story(word *w, uint32_t start, uint32_t len, ts_where where, const char *part)
{
    if (len == 0)
        return TS_OK;
    uint32_t end = start + len < start ? UINT32_MAX : start + len;
    flush_buf(w);
    ts_tsink_place(&w->sink, where, part, 0);
    w->line = 1;
    w->last_flags = 0;
    ts_tsink_line(&w->sink, w->line);
    for (size_t i = 0; i < w->npieces && w->st == TS_OK; i++) {
        uint32_t a = ts_ole_u32(w->plc + 4 * i), b = ts_ole_u32(w->plc + 4 * i + 4);
        uint32_t from = a > start ? a : start, to = b < end ? b : end;
        if (from < to)
            w->st = piece_text(w, i, from, to, where);
    }
    flush_buf(w);
    if (w->tab_open) {
        ts_tsink_table_end(&w->sink);
        w->tab_open = w->cell_open = false;
    }
    return w->st != TS_OK ? w->st : w->sink.st;
}

/* Clx: Prc records (skipped), then the Pcdt holding the PlcPcd. */
static bool find_pieces(word *w)
{
    ts_ole_bytes clx = fclcb(w, FC_CLX);
    size_t at = 0;
    while (at < clx.n && clx.p[at] == 0x01) {
        if (clx.n - at < 3)
            return false;
        size_t cb = ts_ole_u16(clx.p + at + 1);
        at += 3 + cb;
    }
    if (at >= clx.n || clx.p[at] != 0x02 || clx.n - at < 5)
        return false;
    size_t lcb = ts_ole_u32(clx.p + at + 1);
    at += 5;
    if (lcb > clx.n - at || lcb < 4 || (lcb - 4) % 12 != 0)
        return false;
    w->plc = clx.p + at;
    w->npieces = (lcb - 4) / 12;
    if (w->npieces > MAX_PIECES)
        return false;
    for (size_t i = 0; i < w->npieces; i++)
        if (ts_ole_u32(w->plc + 4 * i) > ts_ole_u32(w->plc + 4 * i + 4))
            return false;
    return true;
}

/* The FIB's variable parts: FibRgLw97 and FibRgFcLcb. */
static bool read_fib(word *w)
{
    size_t at = 32;
    if (w->nwd < at + 2)
        return false;
    size_t csw = ts_ole_u16(w->wd + at);
    at += 2 + 2 * csw;
    if (w->nwd < at + 2)
        return false;
    size_t cslw = ts_ole_u16(w->wd + at);
    at += 2;
    if (w->nwd - at < 4 * cslw + 2)
        return false;
    w->lw = w->wd + at;
    w->nlw = cslw;
    at += 4 * cslw;
    size_t cb = ts_ole_u16(w->wd + at);
    at += 2;
    if ((w->nwd - at) / 8 < cb)
        cb = (w->nwd - at) / 8;
    w->fclcb = w->wd + at;
    w->nfclcb = cb;
    return w->nlw > LW_CCPHDRTXBX && w->nfclcb > FC_CLX;
}

static ts_status read_text(word *w)
{
    static const struct {
        size_t lw;
        ts_where where;
        const char *part;
    } stories[] = {
        {LW_CCPTEXT, TS_WHERE_BODY, NULL},
        {LW_CCPFTN, TS_WHERE_FOOTNOTE, "footnotes"},
        {LW_CCPHDD, TS_WHERE_HEADER, "headers and footers"},
        {LW_CCPMCR, TS_WHERE_HIDDEN_TEXT, "macro text"},
        {LW_CCPATN, TS_WHERE_COMMENT, "comments"},
        {LW_CCPEDN, TS_WHERE_FOOTNOTE, "endnotes"},
        {LW_CCPTXBX, TS_WHERE_BODY, "text boxes"},
        {LW_CCPHDRTXBX, TS_WHERE_HEADER, "header text boxes"},
    };
    uint32_t cp = 0;
    ts_status st = TS_OK;
    for (size_t i = 0; i < sizeof stories / sizeof stories[0] && st == TS_OK; i++) {
        uint32_t len = lw_at(w, stories[i].lw);
        st = story(w, cp, len, stories[i].where, stories[i].part);
        cp = cp + len < cp ? UINT32_MAX : cp + len;
    }
    return st;
}

ts_status ts_ole_word(ts_doc *doc, ts_ole_bytes wd, ts_ole_bytes table0, ts_ole_bytes table1)
{
    ts_status st = TS_OK;
    if (wd.n < 0x20 || ts_ole_u16(wd.p) != FIB_IDENT) {
        ts_doc_fail(doc, TS_ECORRUPT, "the WordDocument stream has no valid FIB");
        return TS_OK;
    }
    unsigned nfib = ts_ole_u16(wd.p + 2), flags = ts_ole_u16(wd.p + 0x0A);
    if (flags & (F_ENCRYPTED | F_OBFUSCATED)) {
        ts_doc_fail(doc, TS_EENCRYPTED, "a password is needed");
        return TS_OK;
    }
    if (nfib < FIB_MIN_NFIB) {
        ts_doc_fail_msg(doc, TS_EUNSUPPORTED, TS_MSG_FAIL_DOC_WORD6, nfib);
        return TS_OK;
    }
    ts_ole_bytes tb = flags & F_WHICH_TABLE ? table1 : table0;
    if (tb.p == NULL) {
        ts_doc_fail(doc, TS_ECORRUPT, "the table stream %s is missing",
                    flags & F_WHICH_TABLE ? "1Table" : "0Table");
        return TS_OK;
    }
    word *w = ts_calloc(1, sizeof(*w));
    if (w == NULL)
        return TS_ENOMEM;
    w->doc = doc;
    w->wd = wd.p;
    w->nwd = wd.n;
    w->tb = tb.p;
    w->ntb = tb.n;
    w->budget = wd.n;
    ts_tsink_init(&w->sink, doc, TS_WHERE_BODY, NULL);
    if (!read_fib(w)) {
        ts_doc_fail(doc, TS_ECORRUPT, "the FIB is truncated");
        goto out;
    }
    if ((st = read_sttb(w, fclcb(w, FC_STTBFRMARK), &w->rm_names, &w->n_rm)) != TS_OK ||
        (st = read_owners(w, fclcb(w, FC_GRPXSTATNOWNERS))) != TS_OK ||
        (st = count_comments(w, fclcb(w, FC_PLCFANDREF))) != TS_OK ||
        (st = read_runs(w)) != TS_OK || (st = read_paras(w)) != TS_OK)
        goto out;
    if (!find_pieces(w)) {
        ts_doc_fail(doc, TS_ECORRUPT, "the piece table (Clx) is missing or damaged");
        goto out;
    }
    st = read_text(w);
    if (st == TS_OK)
        st = ts_tsink_flush(&w->sink);
    if (st == TS_OK && w->hidden > 0) {
        ts_loc loc = {.where = TS_WHERE_HIDDEN_TEXT};
        char *d = ts_doc_printf(doc, "%zu hidden characters", w->hidden);
        st = d ? ts_doc_flag(doc, "hidden.hidden-text", &loc, "hidden text", d) : TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_office_flag_people(doc, NULL, &w->revisions, &w->comments);
out:;
    ts_status st2 = ts_tsink_dispose(&w->sink);
    if (st == TS_OK)
        st = st2;
    ts_tally_free(&w->revisions);
    ts_tally_free(&w->comments);
    ts_free(w->runs);
    ts_free(w->paras);
    ts_free(w);
    return st;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Excel 97-2003 (.xls, BIFF8): sheets and their state, cells, shared strings, notes, names, links. */
#include "extract/ole.h"

#include <stdio.h>
#include <string.h>

/*
 * MS-XLS in brief: the Workbook stream is a sequence of records (u16 type, u16 size, data). The
 * globals substream (BOF … EOF) holds the sheets (BOUNDSHEET: name, state, offset of the sheet's
 * own BOF), the shared strings (SST, continued in CONTINUE records, where a string cut at a
 * record boundary goes on with a fresh flags byte), defined names (NAME), linked workbooks
 * (SUPBOOK) and who saved the file (WRITEACCESS). Each sheet substream holds its cells (LABELSST,
 * LABEL, RSTRING, NUMBER, RK, MULRK, FORMULA + STRING), row and column state (ROW, COLINFO),
 * headers and footers, and its notes (NOTE: author; OBJ + TXO + CONTINUE: the text). FILEPASS
 * means the rest is encrypted.
 */

enum {
    R_FORMULA = 0x0006,
    R_EOF = 0x000A,
    R_HEADER = 0x0014,
    R_FOOTER = 0x0015,
    R_NAME = 0x0018,
    R_NOTE = 0x001C,
    R_FILEPASS = 0x002F,
    R_CONTINUE = 0x003C,
    R_WRITEACCESS = 0x005C,
    R_OBJ = 0x005D,
    R_COLINFO = 0x007D,
    R_BOUNDSHEET = 0x0085,
    R_MULRK = 0x00BD,
    R_RSTRING = 0x00D6,
    R_SST = 0x00FC,
    R_LABELSST = 0x00FD,
    R_SUPBOOK = 0x01AE,
    R_TXO = 0x01B6,
    R_NUMBER = 0x0203,
    R_LABEL = 0x0204,
    R_STRING = 0x0207,
    R_ROW = 0x0208,
    R_RK = 0x027E,
    R_BOF = 0x0809,
};

#define MAX_SHEETS 10000u
#define MAX_ROWS 65536u
#define MAX_COLS 256u
#define MAX_SST (4u << 20) /* hostile input: shared strings kept */

typedef struct xsheet {
    char *name;
    uint32_t pos;
    unsigned state; /* 0 visible, 1 hidden, 2 very hidden */
    unsigned dt;    /* 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module */
} xsheet;

typedef struct book {
    ts_doc *doc;
    const unsigned char *p;
    size_t n;
    ts_status st;
    xsheet *sheets;
    size_t nsheets, cap_sheets;
    /* shared strings: text and offsets (n + 1), used bits */
    ts_sbuf sst;
    size_t *off;
    size_t nsst, cap_off;
    unsigned char *used;
    bool macros;
    ts_tally comments;
    /* the sheet being read */
    const xsheet *cur;
    unsigned page;
    ts_where base;
    ts_tsink sink;
    unsigned long row;
    unsigned char hidden_rows[MAX_ROWS / 8];
    unsigned char hidden_cols[MAX_COLS / 8];
    size_t hidden_cells;
    unsigned long formula_row, formula_col; /* a FORMULA whose string result comes next */
    unsigned obj_type;                      /* of the last OBJ: 0x19 = note */
} book;

static void nomem(book *b, ts_status st)
{
    if (st != TS_OK && b->st == TS_OK)
        b->st = st;
}

/* cch characters, 8-bit (Latin-1 low bytes, read as Windows-1252) or UTF-16; bytes used. */
static size_t chars(ts_sbuf *s, const unsigned char *p, size_t n, size_t cch, bool high)
{
    size_t unit = high ? 2 : 1;
    if (cch > n / unit)
        cch = n / unit;
    if (high)
        ts_ole_sbuf_utf16(s, p, cch);
    else
        ts_ole_sbuf_cp1252(s, p, cch);
    return cch * unit;
}

/* XLUnicodeString: cch u16, flags u8, characters. */
static const char *xlstring(ts_sbuf *s, const unsigned char *p, size_t n)
{
    ts_sbuf_clear(s);
    if (n >= 3)
        chars(s, p + 3, n - 3, ts_ole_u16(p), p[2] & 1);
    return ts_sbuf_str(s);
}

/* ---- the record cursor ---------------------------------------------------------------------- */

typedef struct rec {
    size_t at; /* offset of the record header */
    unsigned type;
    const unsigned char *d;
    size_t n;
} rec;

static bool next_rec(book *b, size_t *at, rec *r)
{
    if (*at + 4 > b->n)
        return false;
    r->at = *at;
    r->type = ts_ole_u16(b->p + *at);
    r->n = ts_ole_u16(b->p + *at + 2);
    r->d = b->p + *at + 4;
    if (r->n > b->n - *at - 4) {
        ts_doc_fail(b->doc, TS_ECORRUPT, "record 0x%04X at %zu runs past the end of the stream",
                    r->type, *at);
        r->n = b->n - *at - 4;
    }
    *at += 4 + r->n;
    return true;
}

/* ---- shared strings ------------------------------------------------------------------------- */

/* Bytes of the SST record and of the CONTINUE records after it, read as one stream with its
 * boundaries known (a string cut there goes on with a new flags byte). */
typedef struct cont {
    book *b;
    size_t rec_at; /* next record header */
    const unsigned char *d;
    size_t n, pos;
} cont;

static bool cont_next(cont *c)
{
    rec r;
    size_t at = c->rec_at;
    if (!next_rec(c->b, &at, &r) || r.type != R_CONTINUE)
        return false;
    c->rec_at = at;
    c->d = r.d;
    c->n = r.n;
    c->pos = 0;
    return true;
}

static bool cont_bytes(cont *c, unsigned char *out, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        while (c->pos >= c->n)
            if (!cont_next(c))
                return false;
        unsigned char v = c->d[c->pos++];
        if (out)
            out[i] = v;
    }
    return true;
}

static bool cont_skip(cont *c, size_t k)
{
    while (k > 0) {
        while (c->pos >= c->n)
            if (!cont_next(c))
                return false;
        size_t m = c->n - c->pos < k ? c->n - c->pos : k;
        c->pos += m;
        k -= m;
    }
    return true;
}

/* XLUnicodeRichExtendedString (MS-XLS 2.5.293) into b->sst. */
static bool sst_string(book *b, cont *c)
{
    unsigned char h[4];
    if (!cont_bytes(c, h, 3))
        return false;
    size_t cch = ts_ole_u16(h);
    unsigned flags = h[2];
    size_t runs = 0, ext = 0;
    if (flags & 0x08) {
        if (!cont_bytes(c, h, 2))
            return false;
        runs = ts_ole_u16(h);
    }
    if (flags & 0x04) {
        if (!cont_bytes(c, h, 4))
            return false;
        ext = ts_ole_u32(h);
    }
    bool high = flags & 1;
    while (cch > 0) {
        if (c->pos >= c->n) {
            if (!cont_next(c) || c->n == 0)
                return false;
            high = c->d[c->pos++] & 1; /* a string cut here goes on with new flags */
        }
        size_t unit = high ? 2 : 1;
        size_t k = (c->n - c->pos) / unit;
        if (k == 0)
            return false;
        if (k > cch)
            k = cch;
        chars(&b->sst, c->d + c->pos, k * unit, k, high);
        c->pos += k * unit;
        cch -= k;
    }
    return cont_skip(c, 4 * runs) && cont_skip(c, ext);
}

static void read_sst(book *b, const rec *r, size_t after)
{
    if (r->n < 8)
        return;
    size_t count = ts_ole_u32(r->d + 4);
    cont c = {.b = b, .rec_at = after, .d = r->d, .n = r->n, .pos = 8};
    for (size_t i = 0; i < count && b->st == TS_OK; i++) {
        if (b->sst.len >= MAX_SST) {
            ts_doc_fail(b->doc, TS_ELIMIT, "over %u MiB of shared strings", MAX_SST >> 20);
            break;
        }
        if (ts_grow((void **)&b->off, &b->cap_off, b->nsst + 2, sizeof(*b->off)) != 0) {
            b->st = TS_ENOMEM;
            return;
        }
        b->off[b->nsst] = b->sst.len;
        if (!sst_string(b, &c)) {
            ts_doc_fail(b->doc, TS_ECORRUPT, "shared string %zu of %zu is truncated", i, count);
            b->nsst++;
            break;
        }
        b->nsst++;
    }
    if (b->sst.oom)
        b->st = TS_ENOMEM;
    if (b->off)
        b->off[b->nsst] = b->sst.len;
    b->used = ts_calloc(b->nsst / 8 + 1, 1);
    if (b->used == NULL)
        b->st = TS_ENOMEM;
}

/* ---- the globals ---------------------------------------------------------------------------- */

static void boundsheet(book *b, const rec *r)
{
    if (r->n < 8 || b->nsheets >= MAX_SHEETS)
        return;
    ts_sbuf s = {.max = 1024};
    chars(&s, r->d + 8, r->n - 8, r->d[6], r->d[7] & 1);
    char *name = s.oom ? NULL : ts_doc_strdup(b->doc, ts_sbuf_str(&s));
    ts_sbuf_free(&s);
    if (name == NULL ||
        ts_grow((void **)&b->sheets, &b->cap_sheets, b->nsheets + 1, sizeof(*b->sheets)) != 0) {
        b->st = TS_ENOMEM;
        return;
    }
    b->sheets[b->nsheets++] = (xsheet){
        .name = name, .pos = ts_ole_u32(r->d), .state = r->d[4] & 3, .dt = r->d[5]};
}

/* A linked workbook's path, coded (MS-XLS 2.5.277 VirtualPath): \1 C = "C:\", \1 @ = "\\",
 * \3 = "\", \4 = "..\" */
static void supbook(book *b, const rec *r, ts_tsink *names)
{
    if (r->n < 5)
        return;
    size_t cch = ts_ole_u16(r->d + 2);
    if (cch == 0x0401 || cch == 0x3A01)
        return; /* this workbook, or add-in functions */
    ts_sbuf raw = {.max = 4096}, path = {.max = 4096};
    chars(&raw, r->d + 5, r->n - 5, cch, r->d[4] & 1);
    const char *s = ts_sbuf_str(&raw);
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == 1 && s[i + 1] == '@') {
            ts_sbuf_put(&path, "\\\\", 2);
            i++;
        } else if (s[i] == 1 && s[i + 1]) {
            ts_sbuf_put(&path, s + i + 1, 1);
            ts_sbuf_put(&path, ":\\", 2);
            i++;
        } else if (s[i] == 2 || s[i] == 3) {
            ts_sbuf_put(&path, "\\", 1);
        } else if (s[i] == 4) {
            ts_sbuf_put(&path, "..\\", 3);
        } else if (s[i] == 5 && s[i + 1]) {
            i++; /* a long volume: its length follows */
        } else if ((unsigned char)s[i] >= 0x20) {
            ts_sbuf_put(&path, s + i, 1);
        }
    }
    const char *v = ts_sbuf_str(&path);
    if (path.oom || raw.oom) {
        b->st = TS_ENOMEM;
    } else if (*v) {
        ts_loc loc = {.where = TS_WHERE_METADATA, .part = "Workbook"};
        nomem(b, ts_doc_flag(b->doc, "hidden.external-link", &loc, v, "linked workbook"));
        nomem(b, ts_office_paths(b->doc, &loc, v, strlen(v), "linked file"));
        ts_tsink_line(names, 0);
        ts_tsink_put(names, v, strlen(v), TS_WHERE_METADATA);
    }
    ts_sbuf_free(&raw);
    ts_sbuf_free(&path);
}

static void defined_name(book *b, const rec *r, ts_tsink *names)
{
    if (r->n < 15)
        return;
    unsigned grbit = ts_ole_u16(r->d);
    if (grbit & 0x20)
        return; /* a built-in name (Print_Area …): a one-character code */
    ts_sbuf s = {.max = 1024};
    chars(&s, r->d + 15, r->n - 15, r->d[3], r->d[14] & 1);
    if (s.oom)
        b->st = TS_ENOMEM;
    ts_tsink_line(names, 0);
    ts_tsink_put(names, ts_sbuf_str(&s), s.len,
                 grbit & 1 ? TS_WHERE_HIDDEN_TEXT : TS_WHERE_METADATA);
    ts_sbuf_free(&s);
}

static void write_access(book *b, const rec *r)
{
    ts_sbuf s = {.max = 512};
    xlstring(&s, r->d, r->n);
    const char *v = ts_sbuf_trim(&s);
    ts_loc loc = {.where = TS_WHERE_METADATA, .part = "Workbook"};
    if (s.oom)
        b->st = TS_ENOMEM;
    else if (*v)
        nomem(b, ts_office_person(b->doc, &loc, v, "last saved by", "metadata.last-modified-by"));
    ts_sbuf_free(&s);
}

/* The globals substream; returns false when the rest cannot be read (encrypted, not BIFF8). */
static bool read_globals(book *b, size_t *at)
{
    rec r;
    ts_tsink names;
    bool ok = true;
    ts_tsink_init(&names, b->doc, TS_WHERE_METADATA, "Workbook");
    if (!next_rec(b, at, &r) || r.type != R_BOF || r.n < 4) {
        ts_doc_fail(b->doc, TS_ECORRUPT, "the Workbook stream does not start with BOF");
        ok = false;
        goto out;
    }
    if (ts_ole_u16(r.d) != 0x0600) {
        ts_doc_fail_msg(b->doc, TS_EUNSUPPORTED, TS_MSG_FAIL_XLS_BIFF5, ts_ole_u16(r.d));
        ok = false;
        goto out;
    }
    while (b->st == TS_OK && next_rec(b, at, &r) && r.type != R_EOF) {
        switch (r.type) {
        case R_FILEPASS:
            ts_doc_fail(b->doc, TS_EENCRYPTED, "a password is needed");
            ok = false;
            goto out;
        case R_BOUNDSHEET:
            boundsheet(b, &r);
            break;
        case R_SST:
            if (b->off == NULL)
                read_sst(b, &r, *at);
            break;
        case R_NAME:
            defined_name(b, &r, &names);
            break;
        case R_SUPBOOK:
            supbook(b, &r, &names);
            break;
        case R_WRITEACCESS:
            write_access(b, &r);
            break;
        default:
            break;
        }
    }
out:
    nomem(b, ts_tsink_dispose(&names));
    return ok && b->st == TS_OK;
}

/* ---- a sheet -------------------------------------------------------------------------------- */

static bool bit(const unsigned char *bits, size_t i)
{
    return (bits[i / 8] >> (i % 8)) & 1;
}

/* Start a cell: its place in the sink, and where it is (a hidden row or column is hidden text). */
static ts_where cell(book *b, unsigned long row, unsigned long col)
{
    char ref[16];
    ts_office_cell_ref(ref, sizeof ref, col + 1, row + 1);
    ts_tsink_cell(&b->sink, row + 1, col, ref, row + 1 != b->row);
    b->row = row + 1;
    bool hidden = (row < MAX_ROWS && bit(b->hidden_rows, row)) ||
                  (col < MAX_COLS && bit(b->hidden_cols, col));
    if (hidden && b->base != TS_WHERE_HIDDEN_SHEET) {
        b->hidden_cells++;
        return TS_WHERE_HIDDEN_TEXT;
    }
    return b->base;
}

static void cell_text(book *b, unsigned long row, unsigned long col, const char *t, size_t n)
{
    ts_where w = cell(b, row, col);
    ts_tsink_put(&b->sink, t, n, w);
}

static void cell_number(book *b, unsigned long row, unsigned long col, double v)
{
    char num[64];
    int k = snprintf(num, sizeof num, "%.15g", v);
    if (k > 0 && (size_t)k < sizeof num)
        cell_text(b, row, col, num, (size_t)k);
}

static double rk_value(uint32_t rk)
{
    double v;
    if (rk & 2) {
        v = (double)((int32_t)rk >> 2);
    } else {
        uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &bits, sizeof v);
    }
    return rk & 1 ? v / 100 : v;
}

static double ieee(const unsigned char *p)
{
    uint64_t bits = (uint64_t)ts_ole_u32(p) | (uint64_t)ts_ole_u32(p + 4) << 32;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* TXO: the text of a note or a text box, in the CONTINUE records after it. */
static void txo(book *b, const rec *r, size_t *at)
{
    if (r->n < 14)
        return;
    size_t left = ts_ole_u16(r->d + 10);
    ts_where w = b->obj_type == 0x19 ? TS_WHERE_COMMENT : b->base;
    if (b->base == TS_WHERE_HIDDEN_SHEET)
        w = b->base;
    ts_tsink_line(&b->sink, 0); /* no cell: the finding's part is the sheet */
    b->row = 0;
    rec c;
    size_t pos = *at;
    while (left > 0 && next_rec(b, &pos, &c) && c.type == R_CONTINUE && c.n > 0) {
        bool high = c.d[0] & 1;
        size_t unit = high ? 2 : 1, k = (c.n - 1) / unit;
        if (k > left)
            k = left;
        if (high)
            ts_ole_put_utf16(&b->sink, c.d + 1, k, w);
        else
            ts_ole_put_cp1252(&b->sink, c.d + 1, k, w);
        left -= k;
        *at = pos;
    }
}

static void note(book *b, const rec *r)
{
    ts_sbuf s = {.max = 512};
    if (r->n > 8)
        xlstring(&s, r->d + 8, r->n - 8);
    const char *v = ts_sbuf_trim(&s);
    nomem(b, s.oom ? TS_ENOMEM : ts_tally_add(&b->comments, v, strlen(v), 0));
    ts_sbuf_free(&s);
}

static void sheet_record(book *b, const rec *r, size_t *at)
{
    const unsigned char *d = r->d;
    unsigned long row = r->n >= 4 ? ts_ole_u16(d) : 0, col = r->n >= 4 ? ts_ole_u16(d + 2) : 0;
    ts_sbuf s = {.max = 1u << 20};
    switch (r->type) {
    case R_LABELSST:
        if (r->n >= 10) {
            size_t i = ts_ole_u32(d + 6);
            if (i < b->nsst && b->off[i + 1] > b->off[i]) {
                /* hostile input: a string used again is text made again (ten-byte records can
                 * repeat a long string a million times): counted where it is made */
                if (bit(b->used, i) &&
                    ts_doc_count_expanded(b->doc, b->off[i + 1] - b->off[i]) != TS_OK) {
                    b->st = TS_ELIMIT;
                    break;
                }
                b->used[i / 8] |= (unsigned char)(1u << (i % 8));
                cell_text(b, row, col, b->sst.p + b->off[i], b->off[i + 1] - b->off[i]);
            }
        }
        break;
    case R_LABEL:
    case R_RSTRING:
        if (r->n >= 9) {
            xlstring(&s, d + 6, r->n - 6);
            cell_text(b, row, col, ts_sbuf_str(&s), s.len);
        }
        break;
    case R_NUMBER:
        if (r->n >= 14)
            cell_number(b, row, col, ieee(d + 6));
        break;
    case R_RK:
        if (r->n >= 10)
            cell_number(b, row, col, rk_value(ts_ole_u32(d + 6)));
        break;
    case R_MULRK:
        /* rw, colFirst, (ixfe, RK) per cell, colLast */
        for (size_t i = 0; r->n >= 6 && i < (r->n - 6) / 6; i++)
            cell_number(b, row, col + i, rk_value(ts_ole_u32(d + 4 + 6 * i + 2)));
        break;
    case R_FORMULA:
        if (r->n >= 14 && ts_ole_u16(d + 12) == 0xFFFF && d[6] == 0) {
            b->formula_row = row + 1; /* the string result is in the STRING record next */
            b->formula_col = col;
        } else if (r->n >= 14 && ts_ole_u16(d + 12) != 0xFFFF) {
            cell_number(b, row, col, ieee(d + 6));
        }
        break;
    case R_STRING:
        if (b->formula_row > 0) {
            xlstring(&s, d, r->n);
            cell_text(b, b->formula_row - 1, b->formula_col, ts_sbuf_str(&s), s.len);
            b->formula_row = 0;
        }
        break;
    case R_ROW:
        if (r->n >= 16 && (ts_ole_u16(d + 12) & 0x20) && row < MAX_ROWS)
            b->hidden_rows[row / 8] |= (unsigned char)(1u << (row % 8));
        break;
    case R_COLINFO:
        if (r->n >= 10 && (ts_ole_u16(d + 8) & 1))
            for (size_t c = ts_ole_u16(d); c <= ts_ole_u16(d + 2) && c < MAX_COLS; c++)
                b->hidden_cols[c / 8] |= (unsigned char)(1u << (c % 8));
        break;
    case R_HEADER:
    case R_FOOTER:
        if (r->n >= 3) {
            ts_tsink_line(&b->sink, 0);
            b->row = 0;
            xlstring(&s, d, r->n);
            ts_tsink_put(&b->sink, ts_sbuf_str(&s), s.len,
                         b->base == TS_WHERE_HIDDEN_SHEET
                             ? b->base
                             : (r->type == R_HEADER ? TS_WHERE_HEADER : TS_WHERE_FOOTER));
        }
        break;
    case R_NOTE:
        note(b, r);
        break;
    case R_OBJ:
        /* ftCmo first: ft 0x15, cb, ot */
        b->obj_type = r->n >= 6 && ts_ole_u16(d) == 0x15 ? ts_ole_u16(d + 4) : 0;
        break;
    case R_TXO:
        txo(b, r, at);
        break;
    default:
        break;
    }
    if (s.oom)
        b->st = TS_ENOMEM;
    ts_sbuf_free(&s);
}

static void read_sheet(book *b, size_t *at, const xsheet *sh, unsigned page)
{
    static const char *const kinds[] = {"very hidden sheet (not listed by Excel's Unhide)",
                                        "hidden sheet"};
    memset(b->hidden_rows, 0, sizeof b->hidden_rows);
    memset(b->hidden_cols, 0, sizeof b->hidden_cols);
    b->hidden_cells = 0;
    b->row = 0;
    b->formula_row = 0;
    b->obj_type = 0;
    b->cur = sh;
    const char *name = sh ? sh->name : "sheet";
    b->base = sh && sh->state > 0 ? TS_WHERE_HIDDEN_SHEET : TS_WHERE_CELL;
    ts_loc loc = {.where = TS_WHERE_HIDDEN_SHEET, .page = page, .part = name};
    if (sh && sh->state > 0)
        nomem(b, ts_doc_flag(b->doc, "hidden.hidden-sheet", &loc, name,
                             kinds[sh->state == 2 ? 0 : 1]));
    if (sh && sh->dt == 1 && !b->macros) {
        b->macros = true;
        loc.where = TS_WHERE_HIDDEN_TEXT;
        nomem(b, ts_doc_flag(b->doc, "hidden.macros", &loc, name, "Excel 4.0 macro sheet"));
    }
    ts_tsink_init(&b->sink, b->doc, b->base, name);
    b->sink.sheet_rows = true;
    b->sink.page = page;
    rec r;
    unsigned depth = 1; /* a chart inside the sheet has a BOF … EOF of its own */
    while (b->st == TS_OK && next_rec(b, at, &r)) {
        if (r.type == R_BOF) {
            depth++;
        } else if (r.type == R_EOF) {
            if (--depth == 0)
                break;
        } else if (depth == 1) {
            sheet_record(b, &r, at);
        }
    }
    nomem(b, ts_tsink_dispose(&b->sink));
    if (b->st == TS_OK && b->hidden_cells > 0) {
        loc.where = TS_WHERE_HIDDEN_TEXT;
        char *d = ts_doc_printf(b->doc, "%zu cells in hidden rows or columns", b->hidden_cells);
        nomem(b, d ? ts_doc_flag(b->doc, "hidden.hidden-row-column", &loc, name, d) : TS_ENOMEM);
    }
}

static void unused_strings(book *b)
{
    ts_tsink sink;
    ts_tsink_init(&sink, b->doc, TS_WHERE_HIDDEN_TEXT, "SST");
    for (size_t i = 0; i < b->nsst && b->used; i++) {
        if (bit(b->used, i) || b->off[i + 1] == b->off[i])
            continue;
        ts_tsink_line(&sink, 0);
        ts_tsink_put(&sink, b->sst.p + b->off[i], b->off[i + 1] - b->off[i], TS_WHERE_HIDDEN_TEXT);
    }
    nomem(b, ts_tsink_dispose(&sink));
}

ts_status ts_ole_excel(ts_doc *doc, ts_ole_bytes stream)
{
    book *b = ts_calloc(1, sizeof(*b));
    if (b == NULL)
        return TS_ENOMEM;
    b->doc = doc;
    b->p = stream.p;
    b->n = stream.n;
    b->sst.max = MAX_SST + 65536;
    size_t at = 0;
    if (read_globals(b, &at)) {
        rec r;
        size_t nth = 0;
        while (b->st == TS_OK && next_rec(b, &at, &r)) {
            if (r.type != R_BOF)
                continue;
            /* the sheet whose BOUNDSHEET points here, else the next in order */
            const xsheet *sh = NULL;
            unsigned page = 0;
            for (size_t i = 0; i < b->nsheets && sh == NULL; i++)
                if (b->sheets[i].pos == r.at) {
                    sh = &b->sheets[i];
                    page = (unsigned)i + 1;
                }
            if (sh == NULL && nth < b->nsheets) {
                sh = &b->sheets[nth];
                page = (unsigned)nth + 1;
            }
            nth++;
            read_sheet(b, &at, sh, page);
        }
        if (b->st == TS_OK)
            unused_strings(b);
        if (b->st == TS_OK) {
            ts_tally none = {0};
            b->st = ts_office_flag_people(doc, NULL, &none, &b->comments);
        }
    }
    ts_status st = b->st == TS_ELIMIT ? TS_OK : b->st; /* recorded on the document already */
    ts_tally_free(&b->comments);
    ts_sbuf_free(&b->sst);
    ts_free(b->off);
    ts_free(b->used);
    ts_free(b->sheets);
    ts_free(b);
    return st;
}

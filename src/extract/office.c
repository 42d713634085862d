/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the office extractors: batched text with exact locations, people and paths, rules. */
#include "extract/office.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BATCH_BYTES (64u * 1024u) /* text handed to detection at a time */
#define PATH_MAX_CHARS 260u       /* MAX_PATH: a longer "path" is cut */

/* ---- text sink ------------------------------------------------------------------------------ */

void ts_tsink_init(ts_tsink *s, ts_doc *doc, ts_where where, const char *part)
{
    memset(s, 0, sizeof(*s));
    s->doc = doc;
    s->where = where;
    s->part = part;
    s->fresh = true;
}

ts_status ts_tsink_dispose(ts_tsink *s)
{
    ts_tsink_table_end(s);
    ts_status st = ts_tsink_flush(s);
    ts_free(s->buf);
    ts_free(s->marks);
    ts_free(s->ranges);
    ts_free(s->table.cells);
    ts_free(s->table.rows_at);
    s->table.cells = NULL;
    s->table.rows_at = NULL;
    s->table.nrows_at = s->table.cap_rows_at = 0;
    s->table.ncells = s->table.cap_cells = 0;
    s->buf = NULL;
    s->marks = NULL;
    s->ranges = NULL;
    s->len = s->cap = s->nmarks = s->cap_marks = s->nranges = s->cap_ranges = 0;
    return st != TS_OK ? st : s->st;
}

void ts_tsink_place(ts_tsink *s, ts_where where, const char *part, unsigned page)
{
    if (s->where == where && s->part == part && s->page == page)
        return;
    ts_tsink_flush(s);
    s->where = where;
    s->part = part;
    s->page = page;
}

static void put_raw(ts_tsink *s, const char *t, size_t n)
{
    if (s->st != TS_OK || n == 0)
        return;
    if (s->len + n + 1 < s->len || ts_grow((void **)&s->buf, &s->cap, s->len + n + 1, 1) != 0) {
        s->st = TS_ENOMEM;
        return;
    }
    memcpy(s->buf + s->len, t, n);
    s->len += n;
}

static void add_mark(ts_tsink *s, unsigned long line, const char *ref)
{
    if (s->st != TS_OK)
        return;
    if (ts_grow((void **)&s->marks, &s->cap_marks, s->nmarks + 1, sizeof(*s->marks)) != 0) {
        s->st = TS_ENOMEM;
        return;
    }
    ts_tsink_mark *m = &s->marks[s->nmarks++];
    m->off = s->len;
    m->line = line;
    m->ref[0] = '\0';
    if (ref) {
        size_t n = strlen(ref);
        if (n >= sizeof m->ref)
            n = sizeof m->ref - 1;
        memcpy(m->ref, ref, n);
        m->ref[n] = '\0';
    }
}

static void close_cell(ts_tsink *s);

void ts_tsink_line(ts_tsink *s, unsigned long line)
{
    close_cell(s); /* a line ends the open cell; the table's rows go on with the next cell */
    if (s->len >= BATCH_BYTES)
        ts_tsink_flush(s);
    if (s->len > 0)
        put_raw(s, "\n", 1);
    add_mark(s, line, NULL);
    s->fresh = true;
}

/* ---- tables --------------------------------------------------------------------------------- */

#define HEADER_COLS 256u  /* columns whose header is kept; later columns have none */
#define HEADER_SEARCH 12u /* title or prose rows (one cell) before a header row is given up */

static void close_cell(ts_tsink *s)
{
    ts_tsink_table_state *T = &s->table;
    if (T->cell_open) {
        T->cells[T->ncells - 1].end = s->len;
        T->cell_open = false;
    }
}

static void free_header(ts_tsink_header *h)
{
    for (size_t i = 0; i < h->nhdr; i++)
        ts_free(h->hdr[i]);
    ts_free(h->hdr);
    ts_free(h->hdr_line);
    *h = (ts_tsink_header){0};
}

/* The current header row gives way (to a later table's, or to the first one when rows stood
 * above it): the cells of this batch already read keep it, as generation ngen, until they are
 * flushed (with no generation left, they lose it). */
static void retire_header(ts_tsink_table_state *T)
{
    if (T->ngen + 1u < TS_TSINK_GENS) {
        T->gens[T->ngen++] = T->hdr;
        T->hdr = (ts_tsink_header){0};
    } else {
        free_header(&T->hdr);
    }
}

/* The batch is flushed: the replaced headers go, the current one becomes generation 0. */
static void free_gens(ts_tsink_table_state *T)
{
    for (unsigned g = 0; g < T->ngen; g++)
        free_header(&T->gens[g]);
    T->ngen = 0;
}

/* The header row that cells of generation g stand under. */
static const ts_tsink_header *header_of(const ts_tsink_table_state *T, size_t g)
{
    return g < T->ngen ? &T->gens[g] : &T->hdr;
}

/* The header cells joined by " | ": the label of the table's rows. */
static char *join_header(char *const *hdr, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += hdr[i] ? strlen(hdr[i]) + 3 : 0;
    char *s = ts_malloc(len);
    if (s == NULL)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (hdr[i] == NULL)
            continue;
        if (w > 0) {
            memcpy(s + w, " | ", 3);
            w += 3;
        }
        size_t l = strlen(hdr[i]);
        memcpy(s + w, hdr[i], l);
        w += l;
    }
    s[w] = '\0';
    return s;
}

/* The current row is complete: choose the header row, and give the row its label. */
static void finish_row(ts_tsink *s)
{
    ts_tsink_table_state *T = &s->table;
    close_cell(s);
    if (T->row_first >= T->ncells)
        return;
    ts_tsink_tcell *row = T->cells + T->row_first;
    size_t n = T->ncells - T->row_first;
    size_t filled = 0, labels = 0;
    const ts_tsink_tcell *first = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t a = row[i].start, b = row[i].end;
        ts_span_trim(s->buf, &a, &b);
        if (a == b)
            continue;
        filled++;
        labels += ts_label_like(s->buf + a, b - a);
        if (row[i].col == 0)
            first = &row[i];
    }
    /* after an empty row of a sheet, a row of labels heads a new table ("Bruker | Område | PIN"
     * under a zone list) */
    if ((T->after_gap || T->after_title) && filled > 0) {
        /* under a title, only a row of three labels or more: "kari | hemmeleg" is data */
        size_t need = T->after_gap ? 2 : 3;
        T->after_gap = T->after_title = false;
        if (filled >= need && labels == filled) {
            retire_header(T);
            T->header_done = false;
            T->rows = 0;
        }
    }
    if (!T->header_done && filled >= 2) {
        T->header_done = true;
        if (labels == filled) {
            /* the title and notes rows above the header row of this batch stand under none */
            if (T->row_first > 0 && T->cells[T->row_first - 1].gen == T->ngen)
                retire_header(T);
            unsigned long maxcol = 0;
            for (size_t i = 0; i < n; i++)
                if (row[i].col < HEADER_COLS && row[i].col + 1 > maxcol)
                    maxcol = row[i].col + 1;
            T->hdr.hdr = ts_calloc(maxcol ? maxcol : 1, sizeof(*T->hdr.hdr));
            if (T->hdr.hdr == NULL) {
                s->st = TS_ENOMEM;
            } else {
                T->hdr.nhdr = maxcol;
                for (size_t i = 0; i < n; i++) {
                    size_t a = row[i].start, b = row[i].end;
                    ts_span_trim(s->buf, &a, &b);
                    row[i].header_row = true;
                    if (row[i].col < maxcol && a < b && T->hdr.hdr[row[i].col] == NULL)
                        T->hdr.hdr[row[i].col] = ts_strndup(s->buf + a, b - a);
                }
                T->hdr.hdr_line = join_header(T->hdr.hdr, T->hdr.nhdr);
            }
        }
    } else if (T->hdr.hdr_line != NULL && filled >= 2) {
        /* a data row under the header: the whole row is a value too (a camera and its place,
         * a firewall rule) */
        size_t a = row[0].start, b = row[n - 1].end;
        ts_span_trim(s->buf, &a, &b);
        if (ts_grow((void **)&T->rows_at, &T->cap_rows_at, T->nrows_at + 3, sizeof(*T->rows_at)) !=
            0) {
            s->st = TS_ENOMEM;
        } else if (a < b) {
            T->rows_at[T->nrows_at++] = a;
            T->rows_at[T->nrows_at++] = b;
            T->rows_at[T->nrows_at++] = T->ngen;
        }
    }
    /* a title in column A alone under a table ("Testpersonar", "Table 2: door list") is a gap
     * too: a row of labels after it heads the next table of the sheet */
    if (T->header_done && filled == 1 && first != NULL)
        T->after_title = true;
    /* a sheet often opens with a title and a few lines of prose in column A, and an empty row
     * is no row at all: only rows with text count towards giving up the search */
    if (!T->header_done && filled > 0 && ++T->rows >= HEADER_SEARCH)
        T->header_done = true; /* title rows only so far: this table has no header row */
    if (first && !row[0].header_row) {
        size_t a = first->start, b = first->end;
        ts_span_trim(s->buf, &a, &b);
        b = a + ts_row_label_len(s->buf + a, b - a);
        if (b > a)
            for (size_t i = 0; i < n; i++)
                if (&row[i] != first) {
                    row[i].label_start = a;
                    row[i].label_end = b;
                }
    }
    for (size_t i = 0; i < n; i++)
        row[i].gen = T->ngen;
    T->row_first = T->ncells;
}

void ts_tsink_table_end(ts_tsink *s)
{
    ts_tsink_table_state *T = &s->table;
    if (!T->open)
        return;
    finish_row(s);
    ts_tsink_flush(s);
    free_header(&T->hdr);
    T->open = false;
    T->header_done = false;
    T->rows = 0;
    T->after_gap = false;
    T->after_title = false;
    T->last_row = 0;
}

void ts_tsink_table(ts_tsink *s)
{
    ts_tsink_table_end(s);
    s->table.open = true;
}

void ts_tsink_cell(ts_tsink *s, unsigned long row, unsigned long col, const char *ref, bool new_row)
{
    ts_tsink_table_state *T = &s->table;
    if (!T->open)
        ts_tsink_table(s);
    close_cell(s);
    if (new_row) {
        finish_row(s);
        if (s->sheet_rows && T->header_done && T->last_row > 0 && row > T->last_row + 1) {
            /* an empty row: what came before keeps its header, what follows may get its own */
            ts_tsink_flush(s);
            T->after_gap = true;
        } else if (s->len >= BATCH_BYTES) {
            ts_tsink_flush(s);
        }
    }
    T->last_row = row;
    if (s->len > 0)
        put_raw(s, new_row ? "\n" : "\t", 1);
    add_mark(s, row, ref);
    s->fresh = true;
    if (s->st != TS_OK)
        return;
    if (ts_grow((void **)&T->cells, &T->cap_cells, T->ncells + 1, sizeof(*T->cells)) != 0) {
        s->st = TS_ENOMEM;
        return;
    }
    T->cells[T->ncells++] = (ts_tsink_tcell){.start = s->len, .end = s->len, .col = col};
    T->cell_open = true;
}

/* The fields of this batch's cells: each with its column's header and its row's label. */
static ts_status table_fields(ts_tsink *s, ts_field **out, size_t *nout)
{
    ts_tsink_table_state *T = &s->table;
    *out = NULL;
    *nout = 0;
    if (T->ncells == 0)
        return TS_OK;
    size_t cap = 0;
    ts_field *f = NULL;
    if (ts_size_mul(&cap, T->ncells + T->nrows_at / 3, 2) != 0 ||
        (f = ts_calloc(cap, sizeof(*f))) == NULL)
        return TS_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < T->ncells; i++) {
        const ts_tsink_tcell *c = &T->cells[i];
        size_t a = c->start, b = c->end;
        ts_span_trim(s->buf, &a, &b);
        if (a == b)
            continue;
        const ts_tsink_header *h = header_of(T, c->gen);
        if (!c->header_row && c->col < h->nhdr && h->hdr[c->col] != NULL)
            f[n++] = (ts_field){.start = a,
                                .end = b,
                                .label = h->hdr[c->col],
                                .label_len = strlen(h->hdr[c->col]),
                                .flags = TS_FIELD_CELL | TS_FIELD_HEADER};
        if (c->label_end > c->label_start)
            f[n++] = (ts_field){.start = a,
                                .end = b,
                                .label = s->buf + c->label_start,
                                .label_len = c->label_end - c->label_start,
                                .flags = TS_FIELD_CELL};
    }
    for (size_t i = 0; i + 2 < T->nrows_at; i += 3) {
        const char *line = header_of(T, T->rows_at[i + 2])->hdr_line;
        if (line != NULL)
            f[n++] = (ts_field){.start = T->rows_at[i],
                                .end = T->rows_at[i + 1],
                                .label = line,
                                .label_len = strlen(line),
                                .flags = TS_FIELD_ROW | TS_FIELD_HEADER};
    }
    *out = f;
    *nout = n;
    return TS_OK;
}

size_t ts_tsink_line_len(const ts_tsink *s)
{
    size_t start = s->nmarks > 0 ? s->marks[s->nmarks - 1].off : 0;
    return s->len - start;
}

void ts_tsink_put(ts_tsink *s, const char *text, size_t len, ts_where where)
{
    if (len == 0 || s->st != TS_OK)
        return;
    if (where != s->where) {
        ts_tsink_range *last = s->nranges ? &s->ranges[s->nranges - 1] : NULL;
        if (last && last->where == where && last->end == s->len) {
            last->end += len;
        } else if (ts_grow((void **)&s->ranges, &s->cap_ranges, s->nranges + 1,
                           sizeof(*s->ranges)) != 0) {
            s->st = TS_ENOMEM;
            return;
        } else {
            s->ranges[s->nranges++] = (ts_tsink_range){s->len, s->len + len, where};
        }
    }
    put_raw(s, text, len);
    s->fresh = false;
}

/* How hidden a place is: a finding overlapping several ranges takes the most hidden one. */
static int rank(ts_where w)
{
    switch (w) {
    case TS_WHERE_TRACKED_DELETION:
        return 5;
    case TS_WHERE_HIDDEN_SHEET:
        return 4;
    case TS_WHERE_HIDDEN_TEXT:
    case TS_WHERE_HIDDEN_SLIDE:
        return 3;
    case TS_WHERE_TRACKED_INSERTION:
        return 2;
    default:
        return 1;
    }
}

/* The last mark at or before `off`, or NULL. */
static const ts_tsink_mark *mark_at(const ts_tsink *s, size_t off)
{
    size_t lo = 0, hi = s->nmarks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->marks[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 ? &s->marks[lo - 1] : NULL;
}

/* The most hidden range overlapping [start, end), or NULL. */
static const ts_tsink_range *range_at(const ts_tsink *s, size_t start, size_t end)
{
    size_t lo = 0, hi = s->nranges;
    while (lo < hi) { /* first range ending after start */
        size_t mid = lo + (hi - lo) / 2;
        if (s->ranges[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    const ts_tsink_range *best = NULL;
    for (size_t i = lo; i < s->nranges && s->ranges[i].start < end; i++)
        if (best == NULL || rank(s->ranges[i].where) > rank(best->where))
            best = &s->ranges[i];
    return best;
}

/*
 * Put back what batching lost, finding by finding (ts_doc_text_placed): line, cell, the most
 * hidden place the value overlaps.
 */
static bool place_finding(void *payload, size_t start, size_t end, ts_loc *loc)
{
    ts_tsink *s = payload;
    const ts_tsink_range *r = range_at(s, start, end > start ? end : start + 1);
    if (s->only_ranges && r == NULL)
        return false; /* another sink reports it */
    if (r && rank(r->where) >= rank(loc->where))
        loc->where = r->where;
    const ts_tsink_mark *m = mark_at(s, start);
    if (m) {
        loc->line = m->line;
        if (m->ref[0] && s->part) {
            snprintf(s->where_buf, sizeof s->where_buf, "%s!%s", s->part, m->ref);
            loc->part = s->where_buf;
        }
    }
    return true;
}

ts_status ts_tsink_flush(ts_tsink *s)
{
    ts_tsink_table_state *T = &s->table;
    ts_status st = s->st;
    if (T->open)
        finish_row(s); /* a row cut by the flush goes on without its label */
    if (st == TS_OK && s->len > 0) {
        ts_loc loc = {.where = s->where, .page = s->page, .part = s->part, .line = 0};
        ts_field *fields = NULL;
        size_t nfields = 0;
        st = table_fields(s, &fields, &nfields);
        if (st == TS_OK)
            st =
                ts_doc_text_fields(s->doc, &loc, s->buf, s->len, fields, nfields, place_finding, s);
        ts_free(fields);
        if (st != TS_OK)
            s->st = st;
    }
    s->len = 0;
    s->nmarks = 0;
    s->nranges = 0;
    free_gens(T);
    T->ncells = 0;
    T->nrows_at = 0;
    T->row_first = 0;
    T->cell_open = false;
    s->fresh = true;
    return st;
}

/* ---- cells ---------------------------------------------------------------------------------- */

void ts_office_cell_ref(char *out, size_t cap, unsigned long col, unsigned long row)
{
    char rev[4], l[4];
    size_t n = 0;
    for (unsigned long c = col; c > 0 && n < 3; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        l[i] = rev[n - 1 - i];
    snprintf(out, cap, "%.*s%lu", (int)n, l, row);
}

/* ---- people and paths ----------------------------------------------------------------------- */

static const char *const placeholders[] = {
    "author",
    "user",
    "windows user",
    "microsoft office user",
    "unknown",
    "forfatter",
    "bruker",
    "python-docx",
    "openpyxl",
    "apache poi",
    "ukjent",
    "windows-bruker",
    "windows-brukar",
    "windows bruker",
    "brukar",
    "anonymous",
    "anonym",
    "microsoft office-bruker",
    "office-bruker",
    "ukjend",
    NULL,
};

/* 0 = nothing to report, 1 = a plain name, 2 = a login */
static int person_kind(const char *name)
{
    while (*name == ' ' || *name == '\t')
        name++;
    size_t n = strlen(name);
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 0;
    for (size_t i = 0; placeholders[i]; i++)
        if (strlen(placeholders[i]) == n && strncasecmp(name, placeholders[i], n) == 0)
            return 0;
    bool space = false, digit = false, punct = false, lower = false, upper = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '\\' || c == '@')
            return 2;
        if (c == ' ')
            space = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else if (c == '.' || c == '_' || c == '-')
            punct = true;
        else if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
    }
    if (space)
        return 1;
    /* a unit with hyphens ("Plan-og-bygg", "IT-avdelingen", "Helse-og-omsorg") names a
     * department, not a person's login */
    if (punct && !digit && name[0] >= 'A' && name[0] <= 'Z' && memchr(name, '.', n) == NULL &&
        memchr(name, '_', n) == NULL)
        return 1;
    /* one word: "olanor", "on1234", "ola.nordmann", "ONO" are logins; "Jeff" is a name */
    if (digit || punct || (lower && !upper) || (upper && !lower && n <= 8))
        return 2;
    return 1;
}

bool ts_office_is_login(const char *name)
{
    return person_kind(name) == 2;
}

ts_status ts_office_person(ts_doc *doc, const ts_loc *loc, const char *name, const char *role,
                           const char *login_rule)
{
    int kind = person_kind(name);
    if (kind == 0)
        return TS_OK;
    const char *rule = kind == 2 ? login_rule : "metadata.author";
    /* one finding per person and rule: the first role found names them */
    for (size_t i = 0; i < doc->nfindings; i++)
        if (strcmp(ts_finding_rule_id(doc->findings[i]), rule) == 0 &&
            strcmp(ts_finding_value(doc->findings[i]), name) == 0)
            return TS_OK;
    return ts_doc_flag(doc, rule, loc, name, role);
}

static bool path_char(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '<' && c != '>' && c != '|' && c != '*' && c != '?';
}

ts_status ts_office_property(ts_doc *doc, const ts_loc *loc, const char *name, const char *v)
{
    ts_status st = TS_OK;
    if (strcmp(name, "creator") == 0)
        st = ts_office_person(doc, loc, v, "author", "metadata.user-name");
    else if (strcmp(name, "lastModifiedBy") == 0)
        st = ts_office_person(doc, loc, v, "last modified by", "metadata.last-modified-by");
    else if (strcmp(name, "Company") == 0 || strcmp(name, "Manager") == 0)
        st = ts_doc_flag(doc, "metadata.company", loc, v, name[0] == 'C' ? "company" : "manager");
    else if (strcmp(name, "Template") == 0 && strncasecmp(v, "Normal.dot", 10) != 0 &&
             strcasecmp(v, "Normal") != 0)
        st = ts_doc_flag(doc, "metadata.template-path", loc, v, "template");
    if (st == TS_OK)
        st = ts_office_paths(doc, loc, v, strlen(v), "document property");
    return st;
}

ts_status ts_office_paths(ts_doc *doc, const ts_loc *loc, const char *text, size_t len,
                          const char *what)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char prev = i > 0 ? (unsigned char)text[i - 1] : ' ';
        if (isalnum(prev))
            continue;
        size_t start = i;
        const char *p = text + i;
        size_t left = len - i;
        bool drive = left >= 3 && isalpha((unsigned char)p[0]) && p[1] == ':' &&
                     (p[2] == '\\' || p[2] == '/') && (left == 3 || path_char((unsigned char)p[3]));
        bool home = (left > 6 && strncmp(p, "/home/", 6) == 0) ||
                    (left > 7 && strncmp(p, "/Users/", 7) == 0);
        if (!drive && !home)
            continue;
        size_t end = start;
        while (end < len && end - start < PATH_MAX_CHARS && path_char((unsigned char)text[end]))
            end++;
        while (end > start + 3 && text[end - 1] == ' ')
            end--;
        char *v = ts_doc_strndup(doc, text + start, end - start);
        if (v == NULL)
            return TS_ENOMEM;
        ts_status st = ts_doc_flag(doc, "metadata.user-path", loc, v, what);
        if (st != TS_OK)
            return st;
        i = end;
    }
    return TS_OK;
}

/* ---- people flagged ---------------------------------------------------------------------------
 */

ts_status ts_office_flag_people(ts_doc *doc, const char *part, const ts_tally *revisions,
                                const ts_tally *comments)
{
    ts_status st = TS_OK;
    ts_loc loc = {.where = TS_WHERE_TRACKED_DELETION, .part = part};
    for (size_t i = 0; i < revisions->n && st == TS_OK; i++) {
        const ts_tally_row *r = &revisions->v[i];
        /* deletions and insertions are hiding places of their own (issue 12): one finding each */
        for (int kind = 0; kind < 2 && st == TS_OK; kind++) {
            if (r->count[kind] == 0)
                continue;
            loc.where = kind == 0 ? TS_WHERE_TRACKED_DELETION : TS_WHERE_TRACKED_INSERTION;
            char *d = ts_doc_printf(
                doc, "%zu %s%s by %s", r->count[kind], kind == 0 ? "deletion" : "insertion",
                r->count[kind] == 1 ? "" : "s", r->name[0] ? r->name : "(no name)");
            st = d ? ts_doc_flag(doc, "hidden.tracked-change", &loc, r->name, d) : TS_ENOMEM;
        }
        if (st == TS_OK)
            st = ts_office_person(doc, &loc, r->name, "revision author", "metadata.user-name");
    }
    loc.where = TS_WHERE_COMMENT;
    loc.part = NULL;
    for (size_t i = 0; i < comments->n && st == TS_OK; i++) {
        const ts_tally_row *r = &comments->v[i];
        char *d = ts_doc_printf(doc, "%zu comment%s by %s", r->count[0],
                                r->count[0] == 1 ? "" : "s", r->name[0] ? r->name : "(no name)");
        st = d ? ts_doc_flag(doc, "hidden.comment", &loc, r->name, d) : TS_ENOMEM;
        if (st == TS_OK)
            st = ts_office_person(doc, &loc, r->name, "comment author", "metadata.user-name");
    }
    return st;
}

/* ---- strings -------------------------------------------------------------------------------- */

void ts_sbuf_put(ts_sbuf *b, const char *s, size_t n)
{
    size_t max = b->max ? b->max : (4u << 20);
    if (b->oom || b->len >= max)
        return;
    if (n > max - b->len)
        n = max - b->len; /* hostile input: a value cannot grow without bound */
    if (ts_grow((void **)&b->p, &b->cap, b->len + n + 1, 1) != 0) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

const char *ts_sbuf_str(ts_sbuf *b)
{
    return b->p && !b->oom ? b->p : "";
}

const char *ts_sbuf_trim(ts_sbuf *b)
{
    if (b->p == NULL || b->oom)
        return "";
    size_t s = 0, e = b->len;
    while (s < e && isspace((unsigned char)b->p[s]))
        s++;
    while (e > s && isspace((unsigned char)b->p[e - 1]))
        e--;
    memmove(b->p, b->p + s, e - s);
    b->len = e - s;
    b->p[b->len] = '\0';
    return b->p;
}

void ts_sbuf_clear(ts_sbuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void ts_sbuf_free(ts_sbuf *b)
{
    ts_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- people counted -------------------------------------------------------------------------- */

#define TALLY_MAX 10000u /* hostile input: distinct names kept */

ts_status ts_tally_add(ts_tally *t, const char *name, size_t len, int which)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strlen(t->v[i].name) == len && memcmp(t->v[i].name, name, len) == 0) {
            t->v[i].count[which & 1]++;
            return TS_OK;
        }
    }
    if (t->n >= TALLY_MAX)
        return TS_OK;
    if (ts_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)) != 0)
        return TS_ENOMEM;
    ts_tally_row *r = &t->v[t->n];
    r->name = ts_strndup(name, len);
    if (r->name == NULL)
        return TS_ENOMEM;
    r->count[0] = r->count[1] = 0;
    r->count[which & 1] = 1;
    t->n++;
    return TS_OK;
}

void ts_tally_free(ts_tally *t)
{
    for (size_t i = 0; i < t->n; i++)
        ts_free(t->v[i].name);
    ts_free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

/* ---- rules ---------------------------------------------------------------------------------- */

const struct ts_builtin_rule ts_office_rules[] = {
    {"hidden.comment", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Comment in the document",
     "Kommentar i dokumentet",
     "Read the comments and delete them before publishing (Word: Review > Delete all comments; "
     "or File > Info > Inspect document).",
     "Les kommentarene og slett dem før publisering (Word: Se gjennom > Slett alle kommentarer; "
     "eller Fil > Informasjon > Inspiser dokument)."},
    {"hidden.tracked-change", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Tracked changes: earlier text is still in the file",
     "Sporede endringer: tidligere tekst ligger fortsatt i filen",
     "Accept or reject every change and turn tracking off before publishing: deleted text can be "
     "read by anyone who opens the file.",
     "Godta eller avvis alle endringer og slå av sporing før publisering: slettet tekst kan leses "
     "av alle som åpner filen."},
    {"hidden.hidden-text", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Hidden text", "Skjult tekst",
     "Show hidden text, check it and delete what must not be published (or run File > Info > "
     "Inspect document).",
     "Vis skjult tekst, kontroller den og slett det som ikke skal publiseres (eller kjør Fil > "
     "Informasjon > Inspiser dokument)."},
    {"hidden.hidden-sheet", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Hidden sheet", "Skjult ark",
     "Unhide the sheet and check it (a very hidden sheet does not show in Excel's Unhide list), "
     "then delete it, or publish a copy without it.",
     "Vis arket og kontroller det (et «svært skjult» ark vises ikke i Excels liste over skjulte "
     "ark), og slett det eller publiser en kopi uten det."},
    {"hidden.hidden-row-column", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Hidden rows or columns with content", "Skjulte rader eller kolonner med innhold",
     "Unhide the rows and columns, check them, and delete what must not be published.",
     "Vis radene og kolonnene, kontroller dem og slett det som ikke skal publiseres."},
    {"hidden.speaker-notes", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Speaker notes", "Talenotater",
     "Speaker notes are published with the file: check them and delete them (File > Info > "
     "Inspect presentation).",
     "Talenotater følger med filen: kontroller og slett dem (Fil > Informasjon > Inspiser "
     "presentasjon)."},
    {"hidden.hidden-slide", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Hidden slide", "Skjult lysbilde",
     "A hidden slide is still in the file: check it and delete it if it must not be published.",
     "Et skjult lysbilde ligger fortsatt i filen: kontroller det og slett det om det ikke skal "
     "publiseres."},
    {"hidden.embedded-file", TS_CAT_HIDDEN, TS_SEV_LOW, "Embedded file", "Innebygd fil",
     "The embedded file is published with the document and was scanned on its own; remove it if "
     "readers do not need it.",
     "Den innebygde filen følger med dokumentet og ble skannet for seg; fjern den om leserne "
     "ikke trenger den."},
    {"hidden.macros", TS_CAT_HIDDEN, TS_SEV_HIGH, "Macros (VBA code) in the document",
     "Makroer (VBA-kode) i dokumentet",
     "Do not publish macro-enabled files: save as .docx, .xlsx or .pptx (or PDF) first.",
     "Ikke publiser filer med makroer: lagre som .docx, .xlsx eller .pptx (eller PDF) først."},
    {"hidden.pivot-cache", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Copy of the source data kept for a pivot table",
     "Kopi av kildedataene lagret for en pivottabell",
     "A pivot table keeps a full copy of the data it was made from, even when that sheet was "
     "deleted or hidden: check it, and before publishing paste the pivot table as values or turn "
     "off saving the source data (Excel: PivotTable Options > Data > Save source data with "
     "file).",
     "En pivottabell har en full kopi av dataene den ble laget fra, også når det arket er slettet "
     "eller skjult: kontroller den, og lim inn pivottabellen som verdier før publisering eller "
     "slå av lagring av kildedata (Excel: Pivottabellalternativer > Data > Lagre kildedata med "
     "filen)."},
    {"hidden.external-link", TS_CAT_HIDDEN, TS_SEV_LOW, "Link to an external file or server",
     "Lenke til ekstern fil eller server",
     "Links to other files show where they are kept; break the links (Excel: Data > Edit links) "
     "or replace them with values.",
     "Lenker til andre filer viser hvor de ligger; bryt koblingene (Excel: Data > Rediger "
     "koblinger) eller erstatt dem med verdier."},
    {"hidden.data-connection", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Data connection to a database or server", "Datatilkobling til database eller server",
     "A data connection names servers and databases, sometimes with a user name: remove it "
     "(Excel: Data > Queries & Connections) and keep the values only.",
     "En datatilkobling navngir servere og databaser, av og til med brukernavn: fjern den "
     "(Excel: Data > Spørringer og tilkoblinger) og behold bare verdiene."},
    {"metadata.last-modified-by", TS_CAT_METADATA, TS_SEV_MEDIUM,
     "Last saved by a user name (login)", "Sist lagret av et brukernavn (pålogging)",
     "A login helps an attacker guess accounts: remove personal information (File > Info > "
     "Inspect document > Document properties and personal information).",
     "Et brukernavn hjelper en angriper å gjette kontoer: fjern personlig informasjon (Fil > "
     "Informasjon > Inspiser dokument > Dokumentegenskaper og personlig informasjon)."},
    {"metadata.template-path", TS_CAT_METADATA, TS_SEV_LOW, "Template name or path",
     "Malnavn eller malsti",
     "Usually harmless; detach the template if its name or path says more than it should.",
     "Vanligvis ufarlig; koble fra malen om navnet eller stien sier mer enn den bør."},
    {"metadata.company", TS_CAT_METADATA, TS_SEV_LOW, "Company or manager in document properties",
     "Firma eller leder i dokumentegenskapene",
     "Usually harmless; remove it if it should not be published.",
     "Vanligvis ufarlig; fjern det om det ikke skal publiseres."},
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

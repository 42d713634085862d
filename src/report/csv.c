/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The csv reporter: a row per finding (or per document with --summary) for spreadsheets. */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/msg.h"
#include "report/util.h"

/* UTF-8 byte order mark: without it Excel reads the file as the local 8-bit code page. */
static const char BOM[] = "\xEF\xBB\xBF";
/* RFC 4180 §2: records end with CRLF. */
static const char EOL[] = "\r\n";

static const ts_msg_id FINDING_COLUMNS[] = {
    TS_MSG_LABEL_DOCUMENT,    TS_MSG_LABEL_GRADE,  TS_MSG_LABEL_CATEGORY, TS_MSG_LABEL_SEVERITY,
    TS_MSG_LABEL_RULE,        TS_MSG_LABEL_WHERE,  TS_MSG_LABEL_PAGE,     TS_MSG_LABEL_VALUE,
    TS_MSG_LABEL_MESSAGE,     TS_MSG_LABEL_ADVICE, TS_MSG_LABEL_PART,     TS_MSG_LABEL_LINE,
    TS_MSG_LABEL_FINGERPRINT,
};

static const ts_msg_id SUMMARY_COLUMNS[] = {
    TS_MSG_LABEL_DOCUMENT, TS_MSG_LABEL_FORMAT, TS_MSG_LABEL_GRADE,   TS_MSG_LABEL_SCORE,
    TS_MSG_LABEL_FINDINGS, TS_MSG_LABEL_ERROR,  TS_MSG_LABEL_REASONS,
};

struct csv_state {
    char sep;
};

static const ts_report_opts *opts_of(const ts_run *run)
{
    static const ts_report_opts defaults = {.lang = TS_LANG_EN};
    return run && run->opts ? run->opts : &defaults;
}

/* One field and the separator before it (none before the first field of a row). */
static void field(ts_wr *w, const char *s, char sep, int first)
{
    if (!first)
        ts_wr_write(w, &sep, 1);
    ts_wr_csv(w, s ? s : "", sep);
}

/* A number field; 0 means "none" and stays empty. */
static void number(ts_wr *w, unsigned long v, char sep)
{
    char buf[24] = "";
    if (v > 0)
        snprintf(buf, sizeof buf, "%lu", v);
    field(w, buf, sep, 0);
}

static ts_status csv_begin(void *state, ts_out *o, const ts_run *run)
{
    struct csv_state *s = state;
    const ts_report_opts *opts = opts_of(run);
    s->sep = opts->csv_sep ? opts->csv_sep : opts->lang == TS_LANG_NB ? ';' : ',';
    /* a separator must be one printable ASCII character (or tab) that quoting does not use */
    if (s->sep == '"' || ((unsigned char)s->sep < 0x20 && s->sep != '\t') ||
        (unsigned char)s->sep >= 0x7F)
        return TS_EINVAL;
    const ts_msg_id *cols = opts->summary ? SUMMARY_COLUMNS : FINDING_COLUMNS;
    size_t n = opts->summary ? sizeof SUMMARY_COLUMNS / sizeof SUMMARY_COLUMNS[0]
                             : sizeof FINDING_COLUMNS / sizeof FINDING_COLUMNS[0];
    ts_wr w = {.o = o, .st = TS_OK};
    ts_wr_puts(&w, BOM);
    for (size_t i = 0; i < n; i++)
        field(&w, ts_msg(cols[i], opts->lang), s->sep, i == 0);
    ts_wr_puts(&w, EOL);
    return w.st;
}

/* The reasons joined with "; ", without the one that only repeats the error. */
static char *reasons_text(const ts_doc *doc, ts_lang lang, const char *err)
{
    size_t len = 1;
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, lang);
        if (r != NULL && (err == NULL || strstr(r, err) == NULL))
            len += strlen(r) + 2;
    }
    char *out = ts_malloc(len);
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, lang);
        if (r == NULL || (err != NULL && strstr(r, err) != NULL))
            continue;
        size_t rl = strlen(r);
        if (k > 0) {
            memcpy(out + k, "; ", 2);
            k += 2;
        }
        memcpy(out + k, r, rl);
        k += rl;
    }
    out[k] = '\0';
    return out;
}

static void summary_row(ts_wr *w, const ts_doc *doc, const char *path, char sep,
                        const ts_report_opts *opts)
{
    char num[24];
    ts_lang lang = opts->lang;
    char *err = NULL, *err_masked = NULL, *reasons = NULL;
    if (ts_report_error(doc, lang, opts->show_secrets, &err) != TS_OK ||
        ts_report_error(doc, lang, 0, &err_masked) != TS_OK ||
        (reasons = reasons_text(doc, lang, err_masked)) == NULL) { /* reasons quote it masked */
        ts_wr_nomem(w);
        goto out;
    }
    field(w, path, sep, 1);
    field(w, ts_doc_format(doc), sep, 0);
    field(w, ts_grade_name(ts_doc_grade(doc)), sep, 0);
    snprintf(num, sizeof num, "%d", ts_doc_score(doc));
    field(w, num, sep, 0);
    snprintf(num, sizeof num, "%zu", ts_doc_finding_count(doc));
    field(w, num, sep, 0);
    field(w, err, sep, 0);
    field(w, reasons, sep, 0);
    ts_wr_puts(w, EOL);
out:
    ts_free(reasons);
    ts_free(err);
    ts_free(err_masked);
}

static void finding_row(ts_wr *w, const ts_doc *doc, const char *path, const ts_finding *f,
                        char sep, const ts_report_opts *opts)
{
    const ts_rule *rule = ts_finding_rule(f);
    const char *title = rule ? ts_rule_title(rule, opts->lang) : NULL;
    const char *advice = rule ? ts_rule_advice(rule, opts->lang) : NULL;
    char *match = ts_report_match(doc, f, opts->show_secrets);
    if (match == NULL) {
        ts_wr_nomem(w);
        return;
    }
    field(w, path, sep, 1);
    field(w, ts_grade_name(ts_doc_grade(doc)), sep, 0);
    field(w, ts_category_name(ts_finding_category(f)), sep, 0);
    field(w, ts_severity_name(ts_finding_severity(f)), sep, 0);
    field(w, ts_finding_rule_id(f), sep, 0);
    field(w, ts_where_name(ts_finding_where(f)), sep, 0);
    number(w, ts_finding_page(f), sep);
    field(w, match, sep, 0);
    field(w, title ? title : ts_finding_rule_id(f), sep, 0);
    field(w, advice, sep, 0);
    field(w, ts_finding_part(f), sep, 0);
    number(w, ts_finding_line(f), sep);
    field(w, ts_finding_fingerprint(f), sep, 0);
    ts_wr_puts(w, EOL);
    ts_free(match);
}

/*
 * A document without findings of its own still gets a row, so none disappears from the sheet; its
 * message says why it is not ok (unreadable, or a child's findings) or that nothing was found.
 */
static void empty_row(ts_wr *w, const ts_doc *doc, const char *path, char sep,
                      const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    char *err = NULL;
    if (ts_report_error(doc, lang, opts->show_secrets, &err) != TS_OK) {
        ts_wr_nomem(w);
        return;
    }
    const char *why = err;
    if (why == NULL && ts_doc_reason_count(doc) > 0)
        why = ts_doc_reason_at(doc, 0, lang);
    field(w, path, sep, 1);
    field(w, ts_grade_name(ts_doc_grade(doc)), sep, 0);
    for (size_t i = 0; i < 6; i++)
        field(w, "", sep, 0);
    field(w, why ? why : ts_msg(TS_MSG_LABEL_NO_FINDINGS, lang), sep, 0);
    for (size_t i = 0; i < 4; i++)
        field(w, "", sep, 0);
    ts_wr_puts(w, EOL);
    ts_free(err);
}

static ts_status csv_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    struct csv_state *s = state;
    const ts_report_opts *opts = opts_of(run);
    ts_wr w = {.o = o, .st = TS_OK};
    size_t n = ts_doc_finding_count(doc);
    char *path = ts_report_path(doc, opts->show_secrets);
    if (path == NULL)
        return TS_ENOMEM;
    if (opts->summary)
        summary_row(&w, doc, path, s->sep, opts);
    else if (n == 0)
        empty_row(&w, doc, path, s->sep, opts);
    for (size_t i = 0; !opts->summary && i < n && w.st == TS_OK; i++)
        finding_row(&w, doc, path, ts_doc_finding_at(doc, i), s->sep, opts);
    ts_free(path);
    return w.st;
}

const struct ts_reporter ts_reporter_csv = {
    .name = "csv",
    .media_type = "text/csv; charset=utf-8; header=present",
    .state_size = sizeof(struct csv_state),
    .begin = csv_begin,
    .document = csv_document,
};

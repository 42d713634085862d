/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The html reporter: one self-contained page for people, with a traffic light per document. */
#include "report/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/core.h"
#include "core/msg.h"
#include "report/util.h"

#define PER_RULE 20u      /* findings listed per rule and document; the rest sit in <details> */
#define CONTEXT_CHARS 100 /* characters of context shown on each side of a value */
#define VALUE_CHARS 200u  /* longest value shown (a private key is not a line) */
#define PART_CHARS 80u
#define ROW_REASONS 3u /* reasons shown in the overview row */

/*
 * The page's own style and script. The Content-Security-Policy allows exactly these two (by their
 * SHA-256), so a <script> or an event handler smuggled in through document text would not run
 * even if escaping ever failed. Neither may contain anything from a document.
 */
static const char STYLE[] =
    ":root{color-scheme:light}*{box-sizing:border-box}"
    "body{margin:0 auto;max-width:64rem;padding:1rem 1.25rem 3rem;color:#1f1f1f;background:#fff;"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif}"
    "[hidden]{display:none!important}"
    "h1{font-size:1.8rem;margin:.5rem 0 1rem}h2{font-size:1.35rem;margin:2rem 0 .5rem}"
    "h3{font-size:1.1rem;margin:1.25rem 0 .4rem}h4{font-size:1rem;margin:1rem 0 .3rem}"
    "a{color:#0b57a4}"
    "a:focus-visible,input:focus-visible,button:focus-visible,summary:focus-visible"
    "{outline:3px solid #0b57a4;outline-offset:2px}"
    ".cap::first-letter,th::first-letter,legend::first-letter{text-transform:uppercase}"
    ".lbl{font-weight:700;display:inline-block}"
    ".badge{display:inline-block;padding:.1rem .55rem;border-radius:.3rem;font-weight:700;"
    "white-space:nowrap}"
    ".g-ok{background:#1d6b2c;color:#fff}.g-review{background:#f5c000;color:#1f1f1f}"
    ".g-block{background:#a4001d;color:#fff}.g-error{background:#5b2a86;color:#fff}"
    ".tl{display:inline-flex;gap:3px;padding:3px 4px;margin-right:.5rem;background:#1f1f1f;"
    "border-radius:.7rem;vertical-align:middle}"
    ".tl span{width:.8rem;height:.8rem;border-radius:50%;background:#5f5f5f}"
    ".tl-block span:nth-child(1){background:#ff4d4d}"
    ".tl-review span:nth-child(2){background:#ffd21f}"
    ".tl-ok span:nth-child(3){background:#3ddc6a}.tl-error span{background:#b48ee0}"
    ".counts{list-style:none;padding:0;margin:0 0 1rem;font-size:1.1rem}"
    ".counts li{padding:.5rem .9rem;margin:.4rem 0;background:#f4f4f4;border-radius:.4rem}"
    ".counts .n{font-size:1.3rem;margin:0 .3rem}"
    ".warn{background:#a4001d;color:#fff;padding:.6rem .9rem;font-weight:700;border-radius:.3rem}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid #c8c8c8}"
    "td:first-child{white-space:nowrap}"
    ".path,.where,.meta{color:#4a4a4a;font-size:.92rem;overflow-wrap:anywhere}"
    ".doc{border-top:3px solid #1f1f1f;margin-top:2.5rem}"
    ".doc h2{overflow-wrap:anywhere}.hint{font-weight:600}"
    ".findings{padding:0;margin:0;list-style:none}"
    ".f{border:1px solid #c8c8c8;border-radius:.4rem;padding:.5rem .8rem;margin:.5rem 0}"
    ".f p{margin:.15rem 0}"
    ".sev{font-size:.8rem;font-weight:700;text-transform:uppercase;border:1px solid currentColor;"
    "border-radius:.2rem;padding:0 .3rem;margin-right:.4rem}"
    "code{font:.95rem/1.4 ui-monospace,\"DejaVu Sans Mono\",Consolas,monospace;background:#f4f4f4;"
    "padding:.05rem .3rem;border-radius:.2rem;overflow-wrap:anywhere}"
    ".ctx{padding:.3rem .7rem;border-left:.25rem solid #c8c8c8;background:#fafafa;"
    "overflow-wrap:anywhere}"
    "mark{background:#ffe066;color:#1f1f1f;padding:0 .15rem;font-weight:700}"
    ".advice{background:#eef4fb;border-left:.4rem solid #0b57a4;padding:.5rem .8rem;"
    "margin:.5rem 0 1rem}"
    ".filters{border:1px solid #c8c8c8;border-radius:.4rem;padding:0 1rem .5rem;margin:1.5rem 0}"
    ".filters h2{font-size:1.1rem;margin:.6rem 0 .2rem}"
    ".filters fieldset{border:0;padding:0;margin:.3rem 0}"
    ".filters legend{font-weight:700;padding:0;float:left;margin-right:1rem}"
    ".filters p{margin:.3rem 0 0}"
    ".filters label{display:inline-block;margin:.15rem 1.2rem .15rem 0;white-space:nowrap}"
    "button{font:inherit;padding:.3rem .8rem;border:1px solid #1f1f1f;border-radius:.3rem;"
    "background:#fff;color:#1f1f1f;cursor:pointer}"
    "footer{margin-top:3rem;color:#4a4a4a;font-size:.92rem;border-top:1px solid #c8c8c8}"
    "@page{size:A4;margin:15mm 12mm}"
    "@media print{body{max-width:none;padding:0;font-size:10.5pt}"
    ".filters,.back{display:none!important}a{color:inherit;text-decoration:none}"
    ".f,.advice,tr{break-inside:avoid}h2,h3,h4{break-after:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static const char SCRIPT[] =
    "(function () {\n"
    "  \"use strict\";\n"
    "  var d = document, f = d.getElementById(\"filters\");\n"
    "  if (!f) {\n"
    "    return;\n"
    "  }\n"
    "  var boxes = f.querySelectorAll(\"input[type=checkbox]\");\n"
    "  var items = d.querySelectorAll(\"[data-grade]\");\n"
    "  var groups = d.querySelectorAll(\"[data-cat]\");\n"
    "  var shown = d.getElementById(\"shown\");\n"
    "  function picked(name) {\n"
    "    var s = {\"*\": true};\n"
    "    for (var i = 0; i < boxes.length; i++) {\n"
    "      if (boxes[i].name !== name) {\n"
    "        continue;\n"
    "      }\n"
    "      if (boxes[i].checked) {\n"
    "        s[boxes[i].value] = true;\n"
    "      } else {\n"
    "        s[\"*\"] = false;\n"
    "      }\n"
    "    }\n"
    "    return s;\n"
    "  }\n"
    "  function apply() {\n"
    "    var g = picked(\"grade\"), c = picked(\"cat\"), n = 0, total = 0;\n"
    "    for (var i = 0; i < groups.length; i++) {\n"
    "      groups[i].hidden = !c[groups[i].getAttribute(\"data-cat\")];\n"
    "    }\n"
    "    for (var k = 0; k < items.length; k++) {\n"
    "      var el = items[k], hit = c[\"*\"];\n"
    "      var cats = (el.getAttribute(\"data-cats\") || \"\").split(\" \");\n"
    "      for (var j = 0; !hit && j < cats.length; j++) {\n"
    "        hit = c[cats[j]] === true;\n"
    "      }\n"
    "      var on = g[el.getAttribute(\"data-grade\")] === true && hit;\n"
    "      el.hidden = !on;\n"
    "      el.setAttribute(\"data-shown\", on ? \"1\" : \"0\");\n"
    "      if (el.tagName === \"SECTION\") {\n"
    "        total++;\n"
    "        n += on ? 1 : 0;\n"
    "      }\n"
    "    }\n"
    "    shown.textContent = shown.getAttribute(\"data-text\")\n"
    "      .replace(\"%1\", String(n)).replace(\"%2\", String(total));\n"
    "  }\n"
    "  function fromHash() {\n"
    "    var want = {}, any = false;\n"
    "    location.hash.replace(/^#/, \"\").split(\"&\").forEach(function (kv) {\n"
    "      var p = kv.split(\"=\");\n"
    "      if (p.length === 2 && (p[0] === \"grade\" || p[0] === \"cat\")) {\n"
    "        var v = p[1];\n"
    "        try {\n"
    "          v = decodeURIComponent(v);\n"
    "        } catch (e) {\n"
    "          /* a malformed %-escape: use the text as it is */\n"
    "        }\n"
    "        want[p[0]] = v.split(\",\");\n"
    "        any = true;\n"
    "      }\n"
    "    });\n"
    "    for (var i = 0; any && i < boxes.length; i++) {\n"
    "      var list = want[boxes[i].name];\n"
    "      boxes[i].checked = !list || list.indexOf(boxes[i].value) >= 0;\n"
    "    }\n"
    "    return any;\n"
    "  }\n"
    "  function toHash() {\n"
    "    var parts = [];\n"
    "    [\"grade\", \"cat\"].forEach(function (name) {\n"
    "      var on = [];\n"
    "      for (var i = 0; i < boxes.length; i++) {\n"
    "        if (boxes[i].name === name && boxes[i].checked) {\n"
    "          on.push(boxes[i].value);\n"
    "        }\n"
    "      }\n"
    "      if (!picked(name)[\"*\"]) {\n"
    "        parts.push(name + \"=\" + on.join(\",\"));\n"
    "      }\n"
    "    });\n"
    "    try {\n"
    "      history.replaceState(null, \"\", parts.length ? \"#\" + parts.join(\"&\") :\n"
    "        location.pathname + location.search);\n"
    "    } catch (e) {\n"
    "      /* some browsers refuse history changes on file: pages; filtering still works */\n"
    "    }\n"
    "  }\n"
    "  f.hidden = false;\n"
    "  f.addEventListener(\"change\", function () {\n"
    "    apply();\n"
    "    toHash();\n"
    "  });\n"
    "  d.getElementById(\"show-all\").addEventListener(\"click\", function () {\n"
    "    for (var i = 0; i < boxes.length; i++) {\n"
    "      boxes[i].checked = true;\n"
    "    }\n"
    "    apply();\n"
    "    toHash();\n"
    "  });\n"
    "  window.addEventListener(\"hashchange\", function () {\n"
    "    if (fromHash()) {\n"
    "      apply();\n"
    "    }\n"
    "  });\n"
    "  fromHash();\n"
    "  apply();\n"
    "}());\n";

/* Overview rows are kept per grade (worst first on the page); sections in input order. */
static const ts_grade ROW_ORDER[] = {TS_GRADE_BLOCK, TS_GRADE_ERROR, TS_GRADE_REVIEW, TS_GRADE_OK};

struct html_state {
    ts_out *rows[TS_GRADE_ERROR + 1];
    ts_out *body;
    size_t ndocs;
    unsigned cats; /* bit per category seen in any document */
};

static const ts_report_opts *opts_of(const ts_run *run)
{
    static const ts_report_opts defaults = {.lang = TS_LANG_EN};
    return run && run->opts ? run->opts : &defaults;
}

/* "sha256-" + base64 of the SHA-256 of `s`, as a CSP source expression (RFC 4648 §4 alphabet). */
static void put_csp_hash(ts_wr *w, const char *s)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char hex[65];
    unsigned char md[33] = {0};
    char out[45];
    ts_sha256_hex(s, strlen(s), hex);
    for (size_t i = 0; i < 32; i++) {
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo =
            (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
        md[i] = (unsigned char)(hi << 4 | lo);
    }
    size_t k = 0;
    for (size_t i = 0; i < 33; i += 3) {
        unsigned v = (unsigned)md[i] << 16 | (unsigned)md[i + 1] << 8 | md[i + 2];
        out[k++] = b64[v >> 18 & 63];
        out[k++] = b64[v >> 12 & 63];
        out[k++] = b64[v >> 6 & 63];
        out[k++] = b64[v & 63];
    }
    /* 32 bytes are 43 characters and one '=' of padding; the 33rd zero byte only filled a group */
    out[43] = '=';
    out[44] = '\0';
    ts_wr_puts(w, "'sha256-");
    ts_wr_puts(w, out);
    ts_wr_puts(w, "'");
}

static void put_badge(ts_wr *w, ts_grade g, ts_lang lang)
{
    ts_wr_printf(w, "<span class=\"badge g-%s\">%s</span>", ts_grade_name(g),
                 ts_msg_grade(g, lang));
}

/* Three lamps, the grade's one lit; decorative: the badge beside it says the same in words. */
static void put_light(ts_wr *w, ts_grade g)
{
    ts_wr_printf(w,
                 "<span class=\"tl tl-%s\" aria-hidden=\"true\"><span></span><span></span>"
                 "<span></span></span>",
                 ts_grade_name(g));
}

static unsigned cats_of(const ts_doc *doc)
{
    unsigned cats = 0;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        ts_category c = ts_finding_category(ts_doc_finding_at(doc, i));
        if ((unsigned)c < TS_CAT_COUNT_)
            cats |= 1u << c;
    }
    return cats;
}

/* ` data-grade="block" data-cats="network credential"`: what the filter script looks at. */
static void put_filter_attrs(ts_wr *w, ts_grade g, unsigned cats)
{
    ts_wr_printf(w, " data-grade=\"%s\" data-cats=\"", ts_grade_name(g));
    const char *sep = "";
    for (int c = 0; c < TS_CAT_COUNT_; c++) {
        if (cats & (1u << c)) {
            ts_wr_printf(w, "%s%s", sep, ts_category_name((ts_category)c));
            sep = " ";
        }
    }
    ts_wr_puts(w, "\"");
}

/* Does reason `r` only repeat the error line shown above it? */
static bool repeats_error(const char *r, const char *err)
{
    return r == NULL || (err != NULL && strstr(r, err) != NULL);
}

/* One row of the overview table: light, grade, name (a link to the section), why. */
static void put_row(ts_wr *w, const ts_doc *doc, size_t id, unsigned cats,
                    const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    ts_grade g = ts_doc_grade(doc);
    char *path = ts_report_path(doc, opts->show_secrets);
    char *base = ts_report_name(doc, opts->show_secrets);
    char *err = NULL, *err_masked = NULL;
    if (path == NULL || base == NULL ||
        ts_report_error(doc, lang, opts->show_secrets, &err) != TS_OK ||
        ts_report_error(doc, lang, 0, &err_masked) != TS_OK) {
        ts_wr_nomem(w);
        goto out;
    }
    ts_wr_puts(w, "<tr");
    put_filter_attrs(w, g, cats);
    ts_wr_puts(w, "><td>");
    put_light(w, g);
    put_badge(w, g, lang);
    ts_wr_printf(w, "</td><td><a href=\"#d%zu\">", id);
    ts_wr_html(w, base, SIZE_MAX);
    ts_wr_puts(w, "</a>");
    if (strcmp(base, path) != 0) {
        ts_wr_puts(w, "<div class=\"path\">");
        ts_wr_html(w, path, SIZE_MAX);
        ts_wr_puts(w, "</div>");
    }
    ts_wr_puts(w, "</td><td>");
    size_t shown = 0;
    if (err != NULL) {
        ts_wr_html(w, err, SIZE_MAX);
        shown++;
    }
    for (size_t i = 0; i < ts_doc_reason_count(doc) && shown < ROW_REASONS; i++) {
        const char *r = ts_doc_reason_at(doc, i, lang);
        if (repeats_error(r, err_masked)) /* reasons quote the error masked */
            continue;
        ts_wr_puts(w, shown > 0 ? "; " : "");
        ts_wr_html(w, r, SIZE_MAX);
        shown++;
    }
    if (shown == 0)
        ts_wr_html(w, ts_msg(TS_MSG_LABEL_NO_FINDINGS, lang), SIZE_MAX);
    ts_wr_puts(w, "</td></tr>\n");
out:
    ts_free(path);
    ts_free(base);
    ts_free(err);
    ts_free(err_masked);
}

/* "comment · page 3 · line 2 · word/comments.xml" */
static void put_where(ts_wr *w, const ts_finding *f, ts_lang lang)
{
    ts_wr_puts(w, "<span class=\"where\">");
    ts_wr_html(w, ts_msg_where(ts_finding_where(f), lang), SIZE_MAX);
    if (ts_finding_page(f) > 0)
        ts_wr_printf(w, " · %s %u", ts_msg(TS_MSG_LABEL_PAGE, lang), ts_finding_page(f));
    if (ts_finding_line(f) > 0)
        ts_wr_printf(w, " · %s %lu", ts_msg(TS_MSG_LABEL_LINE, lang), ts_finding_line(f));
    if (ts_finding_part(f) != NULL) {
        ts_wr_puts(w, " · ");
        ts_wr_html(w, ts_finding_part(f), PART_CHARS);
    }
    ts_wr_puts(w, "</span>");
}

/* "… before <mark>VALUE</mark> after …" from the value as shown: a masked secret stays masked. */
static void put_context(ts_wr *w, const ts_doc *doc, const ts_finding *f, const char *match,
                        const ts_report_opts *opts)
{
    const char *rb = ts_finding_context_before(f), *ra = ts_finding_context_after(f);
    if ((rb == NULL || *rb == '\0') && (ra == NULL || *ra == '\0'))
        return;
    char *mb = ts_report_mask_secrets(doc, rb, opts->show_secrets);
    char *ma = ts_report_mask_secrets(doc, ra, opts->show_secrets);
    char *b = mb ? ts_report_clean(mb, SIZE_MAX, NULL) : NULL;
    if (ma == NULL || b == NULL) {
        ts_wr_nomem(w);
        goto out;
    }
    ts_wr_puts(w, "<p class=\"ctx\">");
    const char *bs = ts_report_tail(b, CONTEXT_CHARS);
    if (*b != '\0')
        ts_wr_puts(w, "… ");
    ts_wr_html(w, bs, SIZE_MAX);
    ts_wr_puts(w, "<mark>");
    ts_wr_html(w, match, VALUE_CHARS);
    ts_wr_puts(w, "</mark>");
    ts_wr_html(w, ma, CONTEXT_CHARS);
    if (*ma != '\0')
        ts_wr_puts(w, " …");
    ts_wr_puts(w, "</p>");
out:
    ts_free(mb);
    ts_free(ma);
    ts_free(b);
}

static void put_finding(ts_wr *w, const ts_doc *doc, const ts_finding *f,
                        const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    char *match = ts_report_match(doc, f, opts->show_secrets);
    if (match == NULL) {
        ts_wr_nomem(w);
        return;
    }
    ts_wr_puts(w, "<li class=\"f\"><p><span class=\"sev\">");
    ts_wr_html(w, ts_msg_severity(ts_finding_severity(f), lang), SIZE_MAX);
    ts_wr_puts(w, "</span> ");
    put_where(w, f, lang);
    ts_wr_puts(w, "</p>");
    if (*match != '\0') {
        ts_wr_printf(w, "<p><span class=\"lbl cap\">%s</span>: <code>",
                     ts_msg(TS_MSG_LABEL_VALUE, lang));
        ts_wr_html(w, match, VALUE_CHARS);
        ts_wr_puts(w, "</code></p>");
    }
    if (ts_finding_detail(f) != NULL) {
        char *d = ts_report_mask_secrets(doc, ts_finding_detail(f), opts->show_secrets);
        if (d == NULL)
            ts_wr_nomem(w);
        ts_wr_puts(w, "<p>");
        ts_wr_html(w, d, SIZE_MAX);
        ts_wr_puts(w, "</p>");
        ts_free(d);
    }
    put_context(w, doc, f, match, opts);
    ts_wr_puts(w, "</li>\n");
    ts_free(match);
}

/* Findings of one category, grouped by rule in order of first appearance; advice once per rule. */
static void put_category(ts_wr *w, const ts_doc *doc, ts_category cat, bool *done,
                         const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    size_t n = ts_doc_finding_count(doc), count = 0;
    for (size_t i = 0; i < n; i++)
        count += ts_finding_category(ts_doc_finding_at(doc, i)) == cat;
    if (count == 0)
        return;
    ts_wr_printf(w, "<div class=\"cat\" data-cat=\"%s\">\n<h3 class=\"cap\">%s (%zu)</h3>\n",
                 ts_category_name(cat), ts_msg_category(cat, lang), count);
    for (size_t i = 0; i < n && w->st == TS_OK; i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (done[i] || ts_finding_category(f) != cat)
            continue;
        const ts_rule *rule = ts_finding_rule(f);
        const char *title = rule ? ts_rule_title(rule, lang) : NULL;
        size_t shown = 0, total = 0;
        for (size_t j = i; j < n; j++)
            total += !done[j] && ts_finding_rule(ts_doc_finding_at(doc, j)) == rule;
        ts_wr_puts(w, "<h4>");
        ts_wr_html(w, title ? title : ts_finding_rule_id(f), SIZE_MAX);
        ts_wr_puts(w, "</h4>\n<ul class=\"findings\">\n");
        for (size_t j = i; j < n && w->st == TS_OK; j++) {
            const ts_finding *g = ts_doc_finding_at(doc, j);
            if (done[j] || ts_finding_rule(g) != rule)
                continue;
            done[j] = true;
            if (shown == PER_RULE) {
                ts_wr_puts(w, "</ul>\n<details><summary>");
                ts_wr_printf(w, "%zu %s", total - PER_RULE, ts_msg(TS_MSG_HTML_MORE, lang));
                ts_wr_puts(w, "</summary>\n<ul class=\"findings\">\n");
            }
            put_finding(w, doc, g, opts);
            shown++;
        }
        ts_wr_puts(w, shown > PER_RULE ? "</ul></details>\n" : "</ul>\n");
        const char *advice = rule ? ts_rule_advice(rule, lang) : NULL;
        if (advice != NULL && *advice != '\0') {
            ts_wr_printf(w, "<p class=\"advice\"><span class=\"lbl cap\">%s</span>: ",
                         ts_msg(TS_MSG_LABEL_ADVICE, lang));
            ts_wr_html(w, advice, SIZE_MAX);
            ts_wr_puts(w, "</p>\n");
        }
    }
    ts_wr_puts(w, "</div>\n");
}

static const ts_msg_id HINTS[] = {
    [TS_GRADE_OK] = TS_MSG_GRADE_OK_HINT,
    [TS_GRADE_REVIEW] = TS_MSG_GRADE_REVIEW_HINT,
    [TS_GRADE_BLOCK] = TS_MSG_GRADE_BLOCK_HINT,
    [TS_GRADE_ERROR] = TS_MSG_GRADE_ERROR_HINT,
};

/* One document: grade and what it means, why, then the findings by category. */
static void put_section(ts_wr *w, const ts_doc *doc, size_t id, unsigned cats,
                        const ts_report_opts *opts)
{
    ts_lang lang = opts->lang;
    ts_grade g = ts_doc_grade(doc);
    char *path = ts_report_path(doc, opts->show_secrets);
    char *base = ts_report_name(doc, opts->show_secrets);
    char *err = NULL, *err_masked = NULL;
    size_t n = ts_doc_finding_count(doc);
    if (path == NULL || base == NULL ||
        ts_report_error(doc, lang, opts->show_secrets, &err) != TS_OK ||
        ts_report_error(doc, lang, 0, &err_masked) != TS_OK) {
        ts_wr_nomem(w);
        goto out;
    }
    ts_wr_printf(w, "<section class=\"doc\" id=\"d%zu\" aria-labelledby=\"d%zu-h\"", id, id);
    put_filter_attrs(w, g, cats);
    ts_wr_printf(w, ">\n<h2 id=\"d%zu-h\">", id);
    put_light(w, g);
    put_badge(w, g, lang);
    ts_wr_puts(w, " ");
    ts_wr_html(w, base, SIZE_MAX);
    ts_wr_puts(w, "</h2>\n<p class=\"meta\">");
    ts_wr_html(w, path, SIZE_MAX);
    ts_wr_puts(w, " · ");
    ts_wr_html(w, ts_doc_format(doc), SIZE_MAX);
    ts_wr_printf(w, " · %llu %s", (unsigned long long)ts_doc_bytes(doc),
                 ts_msg(TS_MSG_LABEL_BYTES, lang));
    if (g != TS_GRADE_ERROR)
        ts_wr_printf(w, " · %s %d", ts_msg(TS_MSG_LABEL_SCORE, lang), ts_doc_score(doc));
    ts_wr_printf(w, "</p>\n<p class=\"hint\">%s</p>\n", ts_msg(HINTS[g], lang));
    if (err != NULL) {
        ts_wr_printf(w, "<p><span class=\"lbl cap\">%s</span>: ", ts_msg(TS_MSG_LABEL_ERROR, lang));
        ts_wr_html(w, err, SIZE_MAX);
        ts_wr_puts(w, "</p>\n");
    }
    bool any = false;
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++) {
        const char *r = ts_doc_reason_at(doc, i, lang);
        if (repeats_error(r, err_masked)) /* reasons quote the error masked */
            continue;
        if (!any)
            ts_wr_printf(w, "<h3 class=\"cap\">%s</h3>\n<ul>\n",
                         ts_msg(TS_MSG_LABEL_REASONS, lang));
        any = true;
        ts_wr_puts(w, "<li>");
        ts_wr_html(w, r, SIZE_MAX);
        ts_wr_puts(w, "</li>\n");
    }
    if (any)
        ts_wr_puts(w, "</ul>\n");
    if (n > 0) {
        bool *done = ts_calloc(n, sizeof(*done));
        if (done == NULL) {
            ts_wr_nomem(w);
            goto out;
        }
        for (int c = 0; c < TS_CAT_COUNT_; c++)
            put_category(w, doc, (ts_category)c, done, opts);
        ts_free(done);
    }
    ts_wr_printf(w, "<p class=\"back\"><a href=\"#overview\">%s</a></p>\n</section>\n",
                 ts_msg(TS_MSG_HTML_BACK, lang));
out:
    ts_free(path);
    ts_free(base);
    ts_free(err);
    ts_free(err_masked);
}

static void html_dispose(void *state)
{
    struct html_state *s = state;
    for (size_t g = 0; g <= TS_GRADE_ERROR; g++) {
        ts_out_free(s->rows[g]);
        s->rows[g] = NULL;
    }
    ts_out_free(s->body);
    s->body = NULL;
}

/* The page can only be written once the counts are known, so rows and sections are kept. */
static ts_status html_begin(void *state, ts_out *o, const ts_run *run)
{
    struct html_state *s = state;
    (void)o;
    (void)run;
    ts_status st = ts_out_new_memory(&s->body);
    for (size_t g = 0; st == TS_OK && g <= TS_GRADE_ERROR; g++)
        st = ts_out_new_memory(&s->rows[g]);
    return st;
}

static ts_status html_document(void *state, ts_out *o, const ts_run *run, const ts_doc *doc)
{
    struct html_state *s = state;
    const ts_report_opts *opts = opts_of(run);
    ts_grade g = ts_doc_grade(doc);
    (void)o;
    if ((unsigned)g > TS_GRADE_ERROR)
        return TS_EINTERNAL;
    unsigned cats = cats_of(doc);
    s->ndocs++;
    s->cats |= cats;
    ts_wr row = {.o = s->rows[g], .st = TS_OK};
    ts_wr sec = {.o = s->body, .st = TS_OK};
    put_row(&row, doc, s->ndocs, cats, opts);
    put_section(&sec, doc, s->ndocs, cats, opts);
    return row.st != TS_OK ? row.st : sec.st;
}

static void put_head(ts_wr *w, const ts_report_opts *opts, const ts_summary *sum)
{
    ts_lang lang = opts->lang;
    ts_wr_printf(w,
                 "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "script-src ",
                 lang == TS_LANG_NB ? "nb" : "en");
    put_csp_hash(w, SCRIPT);
    ts_wr_puts(w, "; style-src ");
    put_csp_hash(w, STYLE);
    ts_wr_puts(w, "; base-uri 'none'; form-action 'none'\">\n"
                  "<meta name=\"referrer\" content=\"no-referrer\">\n"
                  "<meta name=\"generator\" content=\"tenderscan " TS_VERSION "\">\n");
    /* counts for the drag-and-drop wrapper's notification (tools/tenderscan-drop) */
    ts_wr_printf(w,
                 "<meta name=\"tenderscan-summary\" content=\"documents=%zu ok=%zu review=%zu "
                 "block=%zu error=%zu findings=%zu\">\n",
                 sum->documents, sum->ok, sum->review, sum->block, sum->error, sum->findings);
    ts_wr_printf(w, "<title>%s</title>\n<style>", ts_msg(TS_MSG_HTML_TITLE, lang));
    ts_wr_puts(w, STYLE);
    ts_wr_puts(w, "</style>\n</head>\n<body>\n");
}

static size_t count_of(const ts_summary *sum, ts_grade g)
{
    switch (g) {
    case TS_GRADE_OK:
        return sum->ok;
    case TS_GRADE_REVIEW:
        return sum->review;
    case TS_GRADE_BLOCK:
        return sum->block;
    case TS_GRADE_ERROR:
        return sum->error;
    }
    return 0;
}

/* Heading, then per grade present: how many documents got it and what it means. */
static void put_top(ts_wr *w, const ts_report_opts *opts, const ts_summary *sum)
{
    ts_lang lang = opts->lang;
    ts_wr_printf(w, "<header>\n<h1>%s</h1>\n", ts_msg(TS_MSG_HTML_HEADING, lang));
    if (opts->show_secrets)
        ts_wr_printf(w, "<p class=\"warn\">%s</p>\n", ts_msg(TS_MSG_HTML_UNMASKED, lang));
    ts_wr_puts(w, "<ul class=\"counts\">\n");
    for (size_t i = 0; i < sizeof ROW_ORDER / sizeof ROW_ORDER[0]; i++) {
        ts_grade g = ROW_ORDER[i];
        size_t n = count_of(sum, g);
        if (n == 0)
            continue;
        ts_wr_puts(w, "<li>");
        put_light(w, g);
        put_badge(w, g, lang);
        ts_wr_printf(w, " <strong class=\"n\">%zu</strong> %s</li>\n", n, ts_msg(HINTS[g], lang));
    }
    ts_wr_puts(w, "</ul>\n</header>\n");
}

/* The filter controls: hidden until the script shows them, so without script nothing is hidden. */
static void put_filters(ts_wr *w, const struct html_state *s, ts_lang lang)
{
    ts_wr_printf(w,
                 "<div id=\"filters\" class=\"filters\" role=\"group\" aria-labelledby=\"fh\" "
                 "hidden>\n<h2 id=\"fh\">%s</h2>\n<fieldset><legend>%s</legend>\n",
                 ts_msg(TS_MSG_HTML_FILTER, lang), ts_msg(TS_MSG_LABEL_GRADE, lang));
    for (size_t i = 0; i < sizeof ROW_ORDER / sizeof ROW_ORDER[0]; i++)
        ts_wr_printf(w,
                     "<label><input type=\"checkbox\" name=\"grade\" value=\"%s\" checked> "
                     "%s</label>\n",
                     ts_grade_name(ROW_ORDER[i]), ts_msg_grade(ROW_ORDER[i], lang));
    ts_wr_puts(w, "</fieldset>\n");
    if (s->cats != 0) {
        ts_wr_printf(w, "<fieldset><legend>%s</legend>\n", ts_msg(TS_MSG_LABEL_CATEGORY, lang));
        for (int c = 0; c < TS_CAT_COUNT_; c++)
            if (s->cats & (1u << c))
                ts_wr_printf(w,
                             "<label><input type=\"checkbox\" name=\"cat\" value=\"%s\" checked> "
                             "%s</label>\n",
                             ts_category_name((ts_category)c),
                             ts_msg_category((ts_category)c, lang));
        ts_wr_puts(w, "</fieldset>\n");
    }
    ts_wr_printf(w,
                 "<button type=\"button\" id=\"show-all\">%s</button>\n"
                 "<p id=\"shown\" aria-live=\"polite\" data-text=\"%s\"></p>\n</div>\n",
                 ts_msg(TS_MSG_HTML_SHOW_ALL, lang), ts_msg(TS_MSG_HTML_SHOWN, lang));
}

static void put_buffer(ts_wr *w, const ts_out *buf)
{
    size_t len = 0;
    const char *p = ts_out_memory(buf, &len);
    if (p != NULL)
        ts_wr_write(w, p, len);
}

static ts_status html_end(void *state, ts_out *o, const ts_run *run, const ts_summary *sum)
{
    struct html_state *s = state;
    const ts_report_opts *opts = opts_of(run);
    ts_lang lang = opts->lang;
    ts_wr w = {.o = o, .st = TS_OK};
    put_head(&w, opts, sum);
    put_top(&w, opts, sum);
    ts_wr_puts(&w, "<main>\n");
    ts_wr_printf(&w, "<section id=\"overview\" aria-labelledby=\"oh\">\n<h2 id=\"oh\">%s</h2>\n",
                 ts_msg(TS_MSG_HTML_OVERVIEW, lang));
    if (s->ndocs == 0) {
        ts_wr_printf(&w, "<p>%s</p>\n", ts_msg(TS_MSG_HTML_NONE, lang));
    } else {
        ts_wr_printf(&w,
                     "<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                     "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                     ts_msg(TS_MSG_LABEL_GRADE, lang), ts_msg(TS_MSG_LABEL_DOCUMENT, lang),
                     ts_msg(TS_MSG_LABEL_REASONS, lang));
        for (size_t i = 0; i < sizeof ROW_ORDER / sizeof ROW_ORDER[0]; i++)
            put_buffer(&w, s->rows[ROW_ORDER[i]]);
        ts_wr_puts(&w, "</tbody>\n</table>\n");
    }
    ts_wr_puts(&w, "</section>\n");
    if (s->ndocs > 0)
        put_filters(&w, s, lang);
    put_buffer(&w, s->body);
    ts_wr_printf(&w, "</main>\n<footer>\n<p>%s</p>\n<p>%s</p>\n<p>",
                 ts_msg(opts->show_secrets ? TS_MSG_HTML_UNMASKED : TS_MSG_HTML_MASKED, lang),
                 ts_msg(TS_MSG_HTML_ASK, lang));
    ts_wr_printf(&w, "%s %s (%zu %s).", ts_msg(TS_MSG_HTML_FOOTER, lang), TS_VERSION, opts->rules,
                 ts_msg(TS_MSG_LABEL_RULES, lang));
    ts_wr_puts(&w, "</p>\n</footer>\n<script>");
    ts_wr_puts(&w, SCRIPT);
    ts_wr_puts(&w, "</script>\n</body>\n</html>\n");
    html_dispose(s);
    return w.st;
}

const struct ts_reporter ts_reporter_html = {
    .name = "html",
    .media_type = "text/html; charset=utf-8",
    .state_size = sizeof(struct html_state),
    .begin = html_begin,
    .document = html_document,
    .end = html_end,
    .dispose = html_dispose,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the html reporter: golden pages, escaping of hostile text, CSP, filters, masking. */
#include "support/ts_golden.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/core.h"
#include "risk/risk.h"

static int setup(void **state)
{
    *state = tst_report_fx_new();
    return 0;
}

static int teardown(void **state)
{
    tst_report_fx_free(*state);
    return 0;
}

static size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* What a walk over every tag of a page found. */
struct tags {
    size_t scripts, styles, hidden;
    char hidden_id[32];
    char bad[160]; /* empty when every tag and attribute is one the reporter writes */
};

static bool is_known_tag(const char *name)
{
    static const char *const known[] = {
        "html", "head",    "meta",     "title",  "style",  "body",  "header", "h1",
        "h2",   "h3",      "h4",       "ul",     "li",     "p",     "span",   "strong",
        "main", "section", "table",    "thead",  "tbody",  "tr",    "th",     "td",
        "a",    "div",     "fieldset", "legend", "label",  "input", "button", "code",
        "mark", "details", "summary",  "footer", "script", NULL};
    for (size_t i = 0; known[i] != NULL; i++)
        if (strcmp(known[i], name) == 0)
            return true;
    return false;
}

/*
 * Walk every tag. Text from a document can only turn into markup through a '<' that was not
 * escaped, so any unknown tag, any attribute named on…, any javascript: value, or any second
 * script element means escaping failed.
 */
static struct tags walk_tags(const char *html)
{
    struct tags t = {0};
    const char *p = html;
    while ((p = strchr(p, '<')) != NULL) {
        if (strncmp(p, "<!DOCTYPE html>", 15) == 0) {
            p += 15;
            continue;
        }
        const char *q = p + 1 + (p[1] == '/');
        char name[16] = "";
        size_t n = 0;
        while (islower((unsigned char)*q) || isdigit((unsigned char)*q)) {
            if (n + 1 < sizeof name)
                name[n++] = *q;
            q++;
        }
        name[n] = '\0';
        if (!is_known_tag(name)) {
            snprintf(t.bad, sizeof t.bad, "unknown markup: %.60s", p);
            return t;
        }
        bool closing = p[1] == '/';
        bool hidden = false;
        char id[32] = "";
        while (*q != '>' && *q != '\0') {
            while (*q == ' ')
                q++;
            const char *an = q;
            while (islower((unsigned char)*q) || *q == '-')
                q++;
            size_t alen = (size_t)(q - an);
            if (alen == 0 && *q != '>') {
                snprintf(t.bad, sizeof t.bad, "bad attribute: %.60s", an);
                return t;
            }
            if (alen >= 2 && an[0] == 'o' && an[1] == 'n') {
                snprintf(t.bad, sizeof t.bad, "event handler: %.60s", an);
                return t;
            }
            hidden = hidden || (alen == 6 && strncmp(an, "hidden", 6) == 0);
            if (*q == '=') {
                q++;
                if (*q != '"') {
                    snprintf(t.bad, sizeof t.bad, "unquoted value: %.60s", an);
                    return t;
                }
                const char *end = strchr(q + 1, '"');
                if (end == NULL) {
                    snprintf(t.bad, sizeof t.bad, "unterminated value: %.60s", an);
                    return t;
                }
                if (alen == 2 && strncmp(an, "id", 2) == 0 && (size_t)(end - q - 1) < sizeof id)
                    snprintf(id, sizeof id, "%.*s", (int)(end - q - 1), q + 1);
                for (const char *v = q + 1; v < end; v++)
                    if (strncmp(v, "javascript:", 11) == 0 || *v == '<') {
                        snprintf(t.bad, sizeof t.bad, "bad value: %.60s", an);
                        return t;
                    }
                q = end + 1;
            }
        }
        if (hidden) {
            t.hidden++;
            snprintf(t.hidden_id, sizeof t.hidden_id, "%s", id);
        }
        p = q;
        if (closing)
            continue;
        /* the content of the page's own script and style is code, not markup */
        if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0) {
            const char *end = strstr(p, name[1] == 'c' ? "</script>" : "</style>");
            if (end == NULL) {
                snprintf(t.bad, sizeof t.bad, "unclosed %s", name);
                return t;
            }
            if (name[1] == 'c')
                t.scripts++;
            else
                t.styles++;
            p = end + 2;
        }
    }
    return t;
}

/* The text between `open` and the next `close`, malloc'd. */
static char *between(const char *s, const char *open, const char *close)
{
    const char *a = strstr(s, open);
    assert_non_null(a);
    a += strlen(open);
    const char *b = strstr(a, close);
    assert_non_null(b);
    char *r = malloc((size_t)(b - a) + 1);
    assert_non_null(r);
    memcpy(r, a, (size_t)(b - a));
    r[b - a] = '\0';
    return r;
}

/* "'sha256-…'" for `s`, computed here with OpenSSL (not with the code under test). */
static void csp_hash(const char *s, char out[80])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    assert_int_equal(EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL), 1);
    unsigned char b64[64];
    int n = EVP_EncodeBlock(b64, md, (int)mdlen);
    assert_int_equal(n, 44);
    snprintf(out, 80, "'sha256-%s'", b64);
}

static void test_html_report_matches_golden_in_english(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN, .rules = 6};
    size_t len = 0;
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("fixed.html", out, len);
    free(out);
}

static void test_html_report_matches_golden_in_norwegian(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB, .rules = 6};
    size_t len = 0;
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("fixed_nb.html", out, len);
    free(out);
}

static void test_html_hostile_document_text_shows_as_text_and_runs_nothing(void **state)
{
    tst_report_fx *fx = *state;
    ts_doc *doc = tst_report_hostile(fx);
    assert_true(ts_doc_finding_count(doc) >= 2);
    for (int show = 0; show < 2; show++) {
        ts_report_opts opts = {.lang = TS_LANG_EN, .show_secrets = show};
        char *out = tst_render("html", &opts, &doc, 1, NULL);
        struct tags t = walk_tags(out);
        if (t.bad[0] != '\0')
            fail_msg("%s", t.bad);
        assert_int_equal(t.scripts, 1);
        assert_int_equal(t.styles, 1);
        /* the text is there, as text */
        assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img "
                                    "src=x onerror=alert(1)&gt;;,.txt"));
        assert_non_null(strstr(out, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; server "));
        assert_non_null(strstr(out, "&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert_null(strstr(out, "<img"));
        assert_null(strstr(out, "alert(2)</script>"));
        /* the bidi override that would reverse "exe.txt" is replaced */
        assert_null(strstr(out, "\xE2\x80\xAE"));
        if (show)
            assert_non_null(strstr(out, "&lt;b&gt;Hemmelig1!&lt;/b&gt;"));
        free(out);
    }
    ts_doc_free(doc);
}

/* The walk over the tags must be able to fail, or the escaping test proves nothing. */
static void test_html_tag_walk_catches_unescaped_markup(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "<p>\"><img src=x onerror=alert(1)></p>",
        "<p><span onclick=\"x()\">a</span></p>",
        "<p><a href=\"javascript:alert(1)\">a</a></p>",
        "<p><b>bold</b></p>",
        "<p title=\"a<b\">x</p>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_string_not_equal(walk_tags(bad[i]).bad, "");
    struct tags t = walk_tags("<p>&lt;script&gt;</p><script>if (a < b) {}</script>");
    assert_string_equal(t.bad, "");
    assert_int_equal(t.scripts, 1);
}

static void test_html_csp_allows_only_its_own_script_and_style_by_hash(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, NULL);
    char *csp = between(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\">");
    char *script = between(out, "<script>", "</script>");
    char *style = between(out, "<style>", "</style>");
    char want[80];
    assert_non_null(strstr(csp, "default-src 'none'"));
    csp_hash(script, want);
    assert_non_null(strstr(csp, want));
    assert_non_null(strstr(strstr(csp, "script-src"), want));
    csp_hash(style, want);
    assert_non_null(strstr(strstr(csp, "style-src"), want));
    assert_null(strstr(csp, "unsafe-inline"));
    assert_null(strstr(csp, "unsafe-eval"));
    assert_null(strstr(csp, "http"));
    /* no fetch of any kind: nothing on the page names another resource */
    assert_null(strstr(out, "src=\""));
    assert_null(strstr(out, "<link"));
    assert_null(strstr(out, "url("));
    free(csp);
    free(script);
    free(style);
    free(out);
}

static void test_html_without_script_only_the_filter_controls_are_hidden(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, NULL);
    struct tags t = walk_tags(out);
    assert_string_equal(t.bad, "");
    assert_int_equal(t.hidden, 1);
    assert_string_equal(t.hidden_id, "filters");
    free(out);
}

static void test_html_credential_is_masked_everywhere_unless_show_secrets(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("html", &opts, fx->docs, 1, NULL);
    assert_null(strstr(out, TST_SECRET));
    assert_non_null(strstr(out, "<code>" TST_MASKED "</code>"));
    assert_non_null(strstr(out, "<mark>" TST_MASKED "</mark>"));
    /* the address's context holds the password too: masked there as well */
    assert_non_null(strstr(out, "<mark>10.20.1.1</mark> og admin passord: " TST_MASKED));
    assert_null(strstr(out, "class=\"warn\""));
    free(out);
    opts.show_secrets = 1;
    out = tst_render("html", &opts, fx->docs, 1, NULL);
    assert_non_null(strstr(out, "<code>" TST_SECRET "</code>"));
    assert_null(strstr(out, TST_MASKED));
    assert_non_null(strstr(out, "class=\"warn\""));
    free(out);
}

static void test_html_every_document_has_a_row_and_a_section_with_its_grade(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, NULL);
    size_t entries = 0;
    for (size_t i = 0; i < fx->ndocs; i++)
        entries += 1 + ts_doc_child_count(fx->docs[i]);
    assert_int_equal(count_of(out, "<section class=\"doc\""), entries);
    assert_int_equal(count_of(out, "<tr data-grade="), entries);
    char want[96];
    for (size_t i = 0; i < entries; i++) {
        snprintf(want, sizeof want, "<a href=\"#d%zu\">", i + 1);
        assert_int_equal(count_of(out, want), 1);
        snprintf(want, sizeof want, "id=\"d%zu\"", i + 1);
        assert_int_equal(count_of(out, want), 1);
    }
    for (size_t i = 0; i < fx->ndocs; i++) {
        /* the child of the last document is its own entry, after it */
        snprintf(want, sizeof want, "id=\"d%zu\" aria-labelledby=\"d%zu-h\" data-grade=\"%s\"",
                 i + 1, i + 1, ts_grade_name(ts_doc_grade(fx->docs[i])));
        assert_non_null(strstr(out, want));
    }
    /* the child's name holds a password: shown masked, never as it is */
    assert_non_null(strstr(out, "anbud/vedlegg.zip!nett/passord:" TST_NAME_MASKED));
    assert_null(strstr(out, TST_NAME_SECRET));
    assert_non_null(strstr(out, "Kravspesifikasjon æøå.docx"));
    /* places in plain words */
    assert_non_null(strstr(out, "deleted text (tracked change) · page 4"));
    assert_non_null(strstr(out, "hidden sheet · page 2 · Svitsjer"));
    assert_non_null(strstr(out, "2 comments by olanor"));
    free(out);
}

static void test_html_overview_lists_the_worst_grades_first(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, NULL);
    const char *block = strstr(out, "<tr data-grade=\"block\"");
    const char *error = strstr(out, "<tr data-grade=\"error\"");
    const char *review = strstr(out, "<tr data-grade=\"review\"");
    const char *ok = strstr(out, "<tr data-grade=\"ok\"");
    assert_non_null(block);
    assert_non_null(error);
    assert_non_null(review);
    assert_non_null(ok);
    assert_true(block < error && error < review && review < ok);
    /* counts at the top, before the overview */
    const char *counts = strstr(out, "<ul class=\"counts\">");
    assert_non_null(counts);
    assert_true(counts < block);
    size_t n[4] = {0};
    for (size_t i = 0; i < fx->ndocs; i++) {
        n[ts_doc_grade(fx->docs[i])]++;
        for (size_t c = 0; c < ts_doc_child_count(fx->docs[i]); c++)
            n[ts_doc_grade(ts_doc_child_at(fx->docs[i], c))]++;
    }
    char want[128];
    snprintf(want, sizeof want,
             "<meta name=\"tenderscan-summary\" content=\"documents=%zu ok=%zu review=%zu "
             "block=%zu error=%zu",
             n[0] + n[1] + n[2] + n[3], n[TS_GRADE_OK], n[TS_GRADE_REVIEW], n[TS_GRADE_BLOCK],
             n[TS_GRADE_ERROR]);
    assert_non_null(strstr(out, want));
    assert_true(n[TS_GRADE_OK] > 0 && n[TS_GRADE_REVIEW] > 0 && n[TS_GRADE_BLOCK] > 0 &&
                n[TS_GRADE_ERROR] > 0);
    free(out);
}

static void test_html_findings_over_the_limit_fold_into_details(void **state)
{
    tst_report_fx *fx = *state;
    char text[25 * 16 + 1];
    size_t k = 0;
    for (int i = 0; i < 25; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "10.9.9.%d\n", i + 1);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, fx->ctx, "mange.txt", text, k), TS_OK);
    assert_int_equal(ts_doc_finding_count(doc), 25);
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("html", &opts, &doc, 1, NULL);
    assert_int_equal(count_of(out, "<li class=\"f\">"), 25);
    assert_int_equal(count_of(out, "<details><summary>5 more of the same kind</summary>"), 1);
    assert_int_equal(count_of(out, "<p class=\"advice\">"), 1);
    free(out);
    ts_doc_free(doc);
}

static void test_html_language_follows_lang(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    char *out = tst_render("html", &opts, fx->docs, fx->ndocs, NULL);
    assert_non_null(strstr(out, "<html lang=\"nb\">"));
    assert_non_null(strstr(out, "Kan disse dokumentene publiseres?"));
    assert_non_null(strstr(out, ">STOPP</span>"));
    assert_non_null(strstr(out, "slettet tekst (sporet endring) · side 4"));
    free(out);
    opts.lang = TS_LANG_EN;
    out = tst_render("html", &opts, fx->docs, fx->ndocs, NULL);
    assert_non_null(strstr(out, "<html lang=\"en\">"));
    assert_null(strstr(out, "STOPP"));
    free(out);
}

static void test_html_zero_documents_says_so(void **state)
{
    (void)state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("html", &opts, NULL, 0, NULL);
    assert_non_null(strstr(out, "No documents were scanned."));
    assert_null(strstr(out, "<table>"));
    assert_null(strstr(out, "id=\"filters\""));
    assert_non_null(strstr(out, "</html>\n"));
    free(out);
}

static void test_html_write_error_is_returned(void **state)
{
    tst_report_fx *fx = *state;
    tst_sink sink;
    tst_failing_sink(&sink);
    ts_report *rep = NULL;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    assert_int_equal(ts_report_new(&rep, "html", sink.o, &opts), TS_OK);
    assert_int_equal(ts_report_document(rep, fx->docs[0]), TS_OK);
    assert_int_equal(ts_report_end(rep), TS_EIO);
    ts_report_free(rep);
    /* a report freed before its end releases what it kept (ASan checks) */
    assert_int_equal(ts_report_new(&rep, "html", sink.o, &opts), TS_OK);
    assert_int_equal(ts_report_document(rep, fx->docs[0]), TS_OK);
    ts_report_free(rep);
    tst_failing_sink_free(&sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_html_report_matches_golden_in_english, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_html_report_matches_golden_in_norwegian, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_html_hostile_document_text_shows_as_text_and_runs_nothing, setup, teardown),
        cmocka_unit_test(test_html_tag_walk_catches_unescaped_markup),
        cmocka_unit_test_setup_teardown(test_html_csp_allows_only_its_own_script_and_style_by_hash,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_html_without_script_only_the_filter_controls_are_hidden, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_html_credential_is_masked_everywhere_unless_show_secrets, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_html_every_document_has_a_row_and_a_section_with_its_grade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_overview_lists_the_worst_grades_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_html_findings_over_the_limit_fold_into_details, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_html_language_follows_lang, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_zero_documents_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_write_error_is_returned, setup, teardown),
    };
    return cmocka_run_group_tests_name("report_html", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The passage renderer (tests/support/fx_passage.c): each format reads back, its text is found
 * where it was put. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_passage.h"

/* The format's ordinary place for text: "plain" in the tables below. */
#define PLAIN (-1)
/* Not checked: the format does not have the place (a value found anywhere will do). */
#define ANY (-2)

static int setup(void **state)
{
    *state = tst_ctx_default();
    return 0;
}

static int teardown(void **state)
{
    ts_ctx_free(*state);
    return 0;
}

static int plain_where(fx_format f)
{
    return f == FX_FMT_XLSX || f == FX_FMT_ODS ? TS_WHERE_CELL : TS_WHERE_BODY;
}

/* Render the markup, scan it and check that it was read whole (grade not error, no error). */
static ts_doc *render_scan(const ts_ctx *ctx, const char *markup, fx_format f)
{
    size_t len;
    unsigned char *data = fx_passage_render(markup, strlen(markup), f, &len);
    char name[32];
    snprintf(name, sizeof name, "passage.%s", fx_format_name(f));
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, name, data, len), TS_OK);
    free(data);
    assert_non_null(doc);
    if (ts_doc_grade(doc) == TS_GRADE_ERROR || ts_doc_error(doc) != NULL)
        fail_msg("%s: not read whole: %s", name, ts_doc_error(doc) ? ts_doc_error(doc) : "?");
    return doc;
}

/* The first finding of a category with exactly this value, in doc or its children, or NULL. */
static const ts_finding *find_value(const ts_doc *doc, ts_category cat, const char *value)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (ts_finding_category(f) == cat && strcmp(ts_finding_value(f), value) == 0)
            return f;
    }
    for (size_t i = 0; i < ts_doc_child_count(doc); i++) {
        const ts_finding *f = find_value(ts_doc_child_at(doc, i), cat, value);
        if (f)
            return f;
    }
    return NULL;
}

/* The value must be found as a `network` finding, at `where` (PLAIN, ANY or a ts_where). */
static const ts_finding *expect_network(const ts_doc *doc, fx_format f, const char *value,
                                        int where)
{
    const ts_finding *fd = find_value(doc, TS_CAT_NETWORK, value);
    if (fd == NULL)
        fail_msg("%s: %s not found", fx_format_name(f), value);
    if (where == PLAIN)
        where = plain_where(f);
    if (where != ANY && (int)ts_finding_where(fd) != where)
        fail_msg("%s: %s found in %s, not in %s", fx_format_name(f), value,
                 ts_where_name(ts_finding_where(fd)), ts_where_name((ts_where)where));
    return fd;
}

static void test_format_names_round_trip(void **state)
{
    (void)state;
    for (int f = 0; f < FX_FMT_COUNT_; f++)
        assert_int_equal(fx_format_parse(fx_format_name((fx_format)f)), f);
    assert_string_equal(fx_format_name(FX_FMT_DOCX), "docx");
    assert_int_equal(fx_format_parse("rtf"), -1);
    assert_int_equal(fx_format_parse(""), -1);
}

static void test_txt_is_the_text_without_markers(void **state)
{
    (void)state;
    static const char markup[] = "Første linje\n@comment En merknad\nA\tB\n@sheet Ark 2\n"
                                 "@sheet\n@ukjent markør\n@hiddenx ikke en markør\nsiste";
    static const char want[] = "Første linje\nEn merknad\nA\tB\nArk 2\n\n@ukjent markør\n"
                               "@hiddenx ikke en markør\nsiste";
    size_t len;
    unsigned char *r = fx_passage_render(markup, strlen(markup), FX_FMT_TXT, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(r, want, len);
    free(r);
}

static void test_csv_is_excel_csv_utf8(void **state)
{
    (void)state;
    static const char markup[] = "Navn\tMerknad\nsrv-01\tsier \"hei\"; da\n@hidden skjult\n\n"
                                 "æøå";
    static const char want[] = "\xEF\xBB\xBFNavn;Merknad\r\nsrv-01;\"sier \"\"hei\"\"; da\"\r\n"
                               "skjult\r\n\r\næøå\r\n";
    size_t len;
    unsigned char *r = fx_passage_render(markup, strlen(markup), FX_FMT_CSV, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(r, want, len);
    free(r);
}

static void test_paragraph_reaches_detection_in_every_format(void **state)
{
    static const char markup[] = "Serveren har adressen 10.77.1.2 i driftsnettet.\n";
    for (int f = 0; f < FX_FMT_COUNT_; f++) {
        ts_doc *doc = render_scan(*state, markup, (fx_format)f);
        expect_network(doc, (fx_format)f, "10.77.1.2", PLAIN);
        ts_doc_free(doc);
    }
}

/* A table with a header row: a cell's value is found, and in the formats whose reader keeps a
 * row on one line (not Word or OpenDocument text, whose cells are paragraphs) the cell before it
 * stands on its line. */
static void test_table_cells_reach_detection(void **state)
{
    static const char markup[] = "Tabellen viser serverne.\n"
                                 "Navn\tAdresse\tVLAN\tRolle\n"
                                 "srv-fil01\t10.77.2.3\tVLAN 20\tFilserver\n"
                                 "srv-db02\t10.77.2.4\tVLAN 30\tDatabase\n"
                                 "Etter tabellen.\n";
    for (int f = 0; f < FX_FMT_COUNT_; f++) {
        ts_doc *doc = render_scan(*state, markup, (fx_format)f);
        const ts_finding *fd = expect_network(doc, (fx_format)f, "10.77.2.4", PLAIN);
        expect_network(doc, (fx_format)f, "10.77.2.3", PLAIN);
        if (f != FX_FMT_DOCX && f != FX_FMT_ODT) {
            const char *before = ts_finding_context_before(fd);
            const char *nl = before ? strrchr(before, '\n') : NULL;
            const char *line = nl ? nl + 1 : before;
            if (line == NULL || strstr(line, "srv-db02") == NULL)
                fail_msg("%s: the row is not one line: \"%s\"", fx_format_name((fx_format)f),
                         before ? before : "(no context)");
        }
        ts_doc_free(doc);
    }
}

/* Where each marker's value is found, per format (PLAIN: the format's ordinary place). */
typedef struct marker_case {
    const char *markup;
    const char *value;
    int where[FX_FMT_COUNT_]; /* txt csv docx odt xlsx ods pdf */
} marker_case;

static const marker_case cases[] = {
    {"Avsnittet før merknaden.\n@comment Spør om 10.77.3.1 før publisering.\n",
     "10.77.3.1",
     {PLAIN, PLAIN, TS_WHERE_COMMENT, TS_WHERE_COMMENT, TS_WHERE_COMMENT, TS_WHERE_COMMENT,
      TS_WHERE_ANNOTATION}},
    {"Se fotnoten.\n@footnote Adressen er 10.77.3.2.\n",
     "10.77.3.2",
     {PLAIN, PLAIN, TS_WHERE_FOOTNOTE, TS_WHERE_FOOTNOTE, PLAIN, PLAIN, PLAIN}},
    {"Figuren viser nettet.\n@textbox Brannmur 10.77.3.3\n",
     "10.77.3.3",
     /* a text box is read as body text in Word and OpenDocument */
     {PLAIN, PLAIN, TS_WHERE_BODY, TS_WHERE_BODY, PLAIN, PLAIN, PLAIN}},
    {"@header Driftsnett 10.77.3.4\nBrødteksten.\n",
     "10.77.3.4",
     {PLAIN, PLAIN, TS_WHERE_HEADER, TS_WHERE_HEADER, PLAIN, PLAIN, TS_WHERE_BODY}},
    {"Brødteksten.\n@footer Driftsnett 10.77.3.5\n",
     "10.77.3.5",
     {PLAIN, PLAIN, TS_WHERE_FOOTER, TS_WHERE_FOOTER, PLAIN, PLAIN, TS_WHERE_BODY}},
    {"Brødteksten.\n@deleted Gammel adresse 10.77.3.6\n",
     "10.77.3.6",
     {PLAIN, PLAIN, TS_WHERE_TRACKED_DELETION, TS_WHERE_TRACKED_DELETION, PLAIN, PLAIN, PLAIN}},
    {"Brødteksten.\n@inserted Ny adresse 10.77.3.7\n",
     "10.77.3.7",
     {PLAIN, PLAIN, TS_WHERE_TRACKED_INSERTION, TS_WHERE_TRACKED_INSERTION, PLAIN, PLAIN, PLAIN}},
    {"Brødteksten.\n@hidden Skjult adresse 10.77.3.8\n",
     "10.77.3.8",
     {PLAIN, PLAIN, TS_WHERE_HIDDEN_TEXT, TS_WHERE_HIDDEN_TEXT, TS_WHERE_HIDDEN_TEXT,
      TS_WHERE_HIDDEN_TEXT, TS_WHERE_INVISIBLE_TEXT}},
    {"Brødteksten.\n@redacted Sladdet adresse 10.77.3.9\n",
     "10.77.3.9",
     {PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, TS_WHERE_INVISIBLE_TEXT}},
};

static void test_each_marker_is_found_where_the_format_puts_it(void **state)
{
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int f = 0; f < FX_FMT_COUNT_; f++) {
            ts_doc *doc = render_scan(*state, cases[c].markup, (fx_format)f);
            expect_network(doc, (fx_format)f, cases[c].value, cases[c].where[f]);
            ts_doc_free(doc);
        }
}

/* A comment in a table cell's paragraph, a footnote after a table: anchored in the last cell. */
static void test_comment_after_a_table_is_on_its_last_cell(void **state)
{
    static const char markup[] = "Navn\tAdresse\nsrv-fil01\tkjelleren\n"
                                 "@comment Egentlig 10.77.4.1\n@footnote Adressen er 10.77.4.2\n";
    static const fx_format fmts[] = {FX_FMT_DOCX, FX_FMT_ODT};
    for (size_t i = 0; i < 2; i++) {
        ts_doc *doc = render_scan(*state, markup, fmts[i]);
        expect_network(doc, fmts[i], "10.77.4.1", TS_WHERE_COMMENT);
        expect_network(doc, fmts[i], "10.77.4.2", TS_WHERE_FOOTNOTE);
        ts_doc_free(doc);
    }
    ts_doc *doc = render_scan(*state, markup, FX_FMT_XLSX);
    const ts_finding *fd = expect_network(doc, FX_FMT_XLSX, "10.77.4.1", TS_WHERE_COMMENT);
    assert_string_equal(ts_finding_part(fd), "Ark1!A2");
    ts_doc_free(doc);
}

/* @sheet: a new sheet in a spreadsheet, a new page in a PDF, a page break in a text document. */
static void test_sheet_starts_a_sheet_or_a_page(void **state)
{
    static const char markup[] = "Første ark.\n@sheet Nettverk\nAdresse 10.77.5.1\n";
    for (int f = 0; f < FX_FMT_COUNT_; f++) {
        ts_doc *doc = render_scan(*state, markup, (fx_format)f);
        const ts_finding *fd = expect_network(doc, (fx_format)f, "10.77.5.1", PLAIN);
        if (f == FX_FMT_XLSX || f == FX_FMT_ODS) {
            assert_string_equal(ts_finding_part(fd), "Nettverk!A1");
            assert_int_equal(ts_finding_page(fd), 2);
        } else if (f == FX_FMT_PDF) {
            assert_int_equal(ts_finding_page(fd), 2);
        }
        ts_doc_free(doc);
    }
}

/* A full page goes on to the next, with the header and footer on each page. */
static void test_pdf_pages_fill_and_repeat_header_and_footer(void **state)
{
    size_t cap = 8192, len = 0;
    char *markup = malloc(cap);
    assert_non_null(markup);
    len += (size_t)snprintf(markup + len, cap - len, "@header Topptekst 10.77.6.1\n");
    for (int i = 0; i < 80; i++)
        len += (size_t)snprintf(markup + len, cap - len, "Linje %d i et langt vedlegg.\n", i);
    len += (size_t)snprintf(markup + len, cap - len, "Til slutt 10.77.6.2\n");
    ts_doc *doc = render_scan(*state, markup, FX_FMT_PDF);
    const ts_finding *fd = expect_network(doc, FX_FMT_PDF, "10.77.6.2", TS_WHERE_BODY);
    assert_int_equal(ts_finding_page(fd), 2);
    size_t pages = 0;
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++)
        if (strcmp(ts_finding_value(ts_doc_finding_at(doc, i)), "10.77.6.1") == 0)
            pages |= 1u << ts_finding_page(ts_doc_finding_at(doc, i));
    assert_int_equal(pages, (1u << 1) | (1u << 2));
    ts_doc_free(doc);
    free(markup);
}

/* A line wider than the page is wrapped at spaces, and its words are all there. */
static void test_pdf_wraps_long_lines(void **state)
{
    static const char markup[] =
        "Denne linjen er altfor lang til å få plass på én linje på en A4-side med to centimeter "
        "marg, så den brytes ved et mellomrom, og adressen til slutt er 10.77.7.1 i "
        "driftsnettet.\n";
    ts_doc *doc = render_scan(*state, markup, FX_FMT_PDF);
    expect_network(doc, FX_FMT_PDF, "10.77.7.1", TS_WHERE_BODY);
    ts_doc_free(doc);
}

/* XML's special characters, quotes, backslashes and æøå come through every format unchanged (in
 * CSV, which the scanner reads as text, with its quotes doubled). */
static void test_special_characters_survive(void **state)
{
    static const char markup[] = "Adresse <10.77.8.1> & \"æøå\" \\ 'x'\n"
                                 "<b>\t&amp;\t10.77.8.2\n"
                                 "@comment <i>&</i> 10.77.8.3\n";
    for (int f = 0; f < FX_FMT_COUNT_; f++) {
        ts_doc *doc = render_scan(*state, markup, (fx_format)f);
        const ts_finding *fd = expect_network(doc, (fx_format)f, "10.77.8.1", PLAIN);
        const char *after = ts_finding_context_after(fd);
        const char *want = f == FX_FMT_CSV ? "> & \"\"æøå\"\" \\ 'x'" : "> & \"æøå\" \\ 'x'";
        if (after == NULL || strstr(after, want) == NULL)
            fail_msg("%s: the text after the value is \"%s\"", fx_format_name((fx_format)f),
                     after ? after : "(none)");
        expect_network(doc, (fx_format)f, "10.77.8.2", PLAIN);
        expect_network(doc, (fx_format)f, "10.77.8.3", ANY);
        ts_doc_free(doc);
    }
}

/* A number with a leading zero stays text: a fødselsnummer is found as written in every format. */
static void test_number_like_cells_stay_as_written(void **state)
{
    static const char markup[] = "Navn\tStilling\tNummer\nOla Nordmann\tRenholder\t01818510078\n";
    for (int f = 0; f < FX_FMT_COUNT_; f++) {
        ts_doc *doc = render_scan(*state, markup, (fx_format)f);
        if (find_value(doc, TS_CAT_PERSONAL, "01818510078") == NULL)
            fail_msg("%s: 01818510078 not found", fx_format_name((fx_format)f));
        ts_doc_free(doc);
    }
}

/* An empty passage is still a document of each format (but an empty text file is none). */
static void test_empty_passage_is_a_document(void **state)
{
    for (int f = FX_FMT_TXT + 1; f < FX_FMT_COUNT_; f++) {
        ts_doc *doc = render_scan(*state, "", (fx_format)f);
        ts_doc_free(doc);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_format_names_round_trip),
        T(test_txt_is_the_text_without_markers),
        T(test_csv_is_excel_csv_utf8),
        T(test_paragraph_reaches_detection_in_every_format),
        T(test_table_cells_reach_detection),
        T(test_each_marker_is_found_where_the_format_puts_it),
        T(test_comment_after_a_table_is_on_its_last_cell),
        T(test_sheet_starts_a_sheet_or_a_page),
        T(test_pdf_pages_fill_and_repeat_header_and_footer),
        T(test_pdf_wraps_long_lines),
        T(test_special_characters_survive),
        T(test_number_like_cells_stay_as_written),
        T(test_empty_passage_is_a_document),
    };
    return cmocka_run_group_tests_name("detect_passage", tests, NULL, NULL);
}

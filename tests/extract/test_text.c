/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the text extractor: charsets, line numbers across chunks, hostile bytes. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "extract/extract.h"

#define IP_RULE "network.ipv4-private"
#define PW_RULE "credential.password"

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

/* A growing byte buffer for building test files. */
typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
}

static void buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Append UTF-8 text as UTF-16 (surrogate pairs above U+FFFF). */
static void buf_utf16(buf *b, const char *s, int big_endian)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        if (*p < 0x80) {
            cp = *p++;
        } else if (*p < 0xE0) {
            cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if (*p < 0xF0) {
            cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        } else {
            cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
                 (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
            p += 4;
        }
        uint32_t units[2];
        int n = 1;
        units[0] = cp;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            n = 2;
        }
        for (int i = 0; i < n; i++) {
            unsigned char u[2] = {(unsigned char)(units[i] & 0xFF), (unsigned char)(units[i] >> 8)};
            if (big_endian) {
                unsigned char t = u[0];
                u[0] = u[1];
                u[1] = t;
            }
            buf_add(b, u, 2);
        }
    }
}

static ts_doc *scan(const ts_ctx *ctx, const char *name, const buf *b)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, name, b->p, b->len), TS_OK);
    assert_non_null(doc);
    return doc;
}

/* The finding of `rule` whose value is `value`, or NULL. */
static const ts_finding *find_value(const ts_doc *doc, const char *rule, const char *value)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (strcmp(ts_finding_rule_id(f), rule) == 0 && strcmp(ts_finding_value(f), value) == 0)
            return f;
    }
    return NULL;
}

static const char LINES[] = "Kravspesifikasjon drift\r\n"
                            "\r\n"
                            "Kjernesvitsj har adresse 10.20.1.1\r\n"
                            "Administrator passord: Sommer2024!\r\n"
                            "Slutt 😀 på dokumentet\r\n";

static void check_lines_doc(const ts_doc *doc)
{
    assert_string_equal(ts_doc_format(doc), "text");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_line(ip), 3);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_BODY);
    const ts_finding *pw = tst_find(doc, PW_RULE);
    assert_non_null(pw);
    assert_string_equal(ts_finding_value(pw), "Sommer2024!");
    assert_int_equal(ts_finding_line(pw), 4);
}

static void test_utf16le_with_bom_finds_ip_and_password_on_their_lines(void **state)
{
    buf b = {0};
    buf_add(&b, "\xff\xfe", 2);
    buf_utf16(&b, LINES, 0);
    ts_doc *doc = scan(*state, "notat.txt", &b);
    check_lines_doc(doc);
    ts_doc_free(doc);
    free(b.p);
}

static void test_utf16be_with_bom_finds_ip_and_password(void **state)
{
    buf b = {0};
    buf_add(&b, "\xfe\xff", 2);
    buf_utf16(&b, LINES, 1);
    ts_doc *doc = scan(*state, "notat.txt", &b);
    check_lines_doc(doc);
    ts_doc_free(doc);
    free(b.p);
}

static void test_utf16le_without_bom_is_read_as_utf16(void **state)
{
    buf b = {0};
    buf_utf16(&b, LINES, 0);
    ts_doc *doc = scan(*state, "notat.txt", &b);
    check_lines_doc(doc);
    ts_doc_free(doc);
    free(b.p);
}

static void test_utf8_with_bom_keeps_line_numbers(void **state)
{
    buf b = {0};
    buf_str(&b, "\xef\xbb\xbf");
    buf_str(&b, LINES);
    ts_doc *doc = scan(*state, "notat.txt", &b);
    check_lines_doc(doc);
    ts_doc_free(doc);
    free(b.p);
}

static void test_cp1252_text_context_shows_norwegian_letters(void **state)
{
    buf b = {0};
    buf_str(&b, "Oversikt\n");
    buf_str(&b, "Brannmur: 10.20.1.1 p\xe5 kontoret i \xc5lesund\n");
    ts_doc *doc = scan(*state, "brannmur.txt", &b);
    assert_string_equal(ts_doc_format(doc), "text");
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_line(ip), 2);
    assert_non_null(strstr(ts_finding_context_after(ip), "på kontoret i Ålesund"));
    assert_non_null(strstr(ts_finding_context_before(ip), "Brannmur"));
    ts_doc_free(doc);
    free(b.p);
}

/*
 * PowerShell writes Out-File as UTF-16LE and Out-File -Append -Encoding ascii (or a later
 * `>>` from cmd) goes on in ASCII: both parts are read, each in its charset, and the lines count
 * on across them.
 */
static const char WIDE_PART[] = "Kravspesifikasjon\r\nKjernesvitsj har adresse 10.20.1.1\r\n";
static const char ASCII_PART[] = "Administrator passord: Sommer2024!\r\n";

static void expect_both_parts(const ts_doc *doc, unsigned long ip_line, unsigned long pw_line)
{
    assert_string_equal(ts_doc_format(doc), "text");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = find_value(doc, IP_RULE, "10.20.1.1");
    const ts_finding *pw = find_value(doc, PW_RULE, "Sommer2024!");
    assert_non_null(ip);
    assert_non_null(pw);
    assert_int_equal(ts_finding_line(ip), ip_line);
    assert_int_equal(ts_finding_line(pw), pw_line);
}

/* `lead` as 8-bit text, WIDE_PART in UTF-16LE (after a byte order mark with `bom`), then
 * ASCII_PART: both findings, on their lines. */
static void check_mixed(const ts_ctx *ctx, const char *lead, int bom, unsigned long ip_line,
                        unsigned long pw_line)
{
    buf b = {0};
    if (*lead)
        buf_str(&b, lead);
    if (bom)
        buf_add(&b, "\xff\xfe", 2);
    buf_utf16(&b, WIDE_PART, 0);
    buf_str(&b, ASCII_PART);
    ts_doc *doc = scan(ctx, "logg.txt", &b);
    expect_both_parts(doc, ip_line, pw_line);
    ts_doc_free(doc);
    free(b.p);
}

static void test_utf16le_without_bom_then_ascii_reads_both(void **state)
{
    check_mixed(*state, "", 0, 2, 3);
}

static void test_utf16le_with_bom_then_ascii_reads_both(void **state)
{
    check_mixed(*state, "", 1, 2, 3);
}

static void test_ascii_then_utf16le_then_ascii_reads_every_part(void **state)
{
    check_mixed(*state, "Notat fra driftsmøte\r\n", 0, 3, 4);
}

/* A short UTF-16 start, then so much ASCII that the first 64 KiB are not UTF-16 by count. */
static void test_short_utf16_start_then_long_ascii_reads_both(void **state)
{
    buf b = {0};
    buf_utf16(&b, WIDE_PART, 0);
    for (int i = 0; i < 3000; i++)
        buf_str(&b, "Linje med vanlig ASCII-tekst i loggen\r\n");
    buf_str(&b, ASCII_PART);
    ts_doc *doc = scan(*state, "logg.txt", &b);
    expect_both_parts(doc, 2, 3003);
    ts_doc_free(doc);
    free(b.p);
}

/* ASCII too short to turn the reading to 8-bit still has its printable string scanned. */
static void test_short_ascii_inside_utf16_is_scanned_as_a_string(void **state)
{
    buf b = {0};
    buf_utf16(&b, "Notat\r\n", 0);
    size_t at = b.len;
    buf_str(&b, "ip 10.20.1.1");
    buf_utf16(&b, "\r\nSlutt på notatet\r\n", 0);
    ts_doc *doc = scan(*state, "notat.txt", &b);
    assert_string_equal(ts_doc_format(doc), "text");
    const ts_finding *ip = find_value(doc, IP_RULE, "10.20.1.1");
    assert_non_null(ip);
    char part[32];
    snprintf(part, sizeof part, "byte %zu", at);
    assert_string_equal(ts_finding_part(ip), part);
    ts_doc_free(doc);
    free(b.p);
}

/* About 1.9 MB of text with the address on line 40000 and again on line 50000. */
static void build_long(buf *b, int utf16)
{
    char line[80];
    for (int i = 1; i <= 50000; i++) {
        if (i == 40000)
            snprintf(line, sizeof line, "Linje %d: svitsj i rack 3 har 10.20.1.1\n", i);
        else if (i == 50000)
            snprintf(line, sizeof line, "Linje %d: ruter har 10.20.1.254\n", i);
        else
            snprintf(line, sizeof line, "Linje %d: vanlig tekst uten noe spesielt å si\n", i);
        if (utf16)
            buf_utf16(b, line, 0);
        else
            buf_str(b, line);
    }
}

static void check_long(const ts_doc *doc)
{
    assert_null(ts_doc_error(doc));
    const ts_finding *a = find_value(doc, IP_RULE, "10.20.1.1");
    const ts_finding *c = find_value(doc, IP_RULE, "10.20.1.254");
    assert_non_null(a);
    assert_non_null(c);
    assert_int_equal(ts_finding_line(a), 40000);
    assert_int_equal(ts_finding_line(c), 50000);
    assert_int_equal(tst_count(doc, IP_RULE), 2);
}

static void test_big_file_reports_line_40000(void **state)
{
    buf b = {0};
    build_long(&b, 0);
    assert_true(b.len > (2u << 20) - (300u << 10)); /* well over one chunk */
    ts_doc *doc = scan(*state, "stor.txt", &b);
    check_long(doc);
    ts_doc_free(doc);
    free(b.p);
}

static void test_big_mapped_file_reports_line_40000(void **state)
{
    buf b = {0};
    build_long(&b, 0);
    char *dir = tst_tmpdir();
    char *path = tst_write(dir, "stor.txt", b.p, b.len);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, *state, path), TS_OK);
    check_long(doc);
    ts_doc_free(doc);
    tst_rmtree(dir);
    free(path);
    free(dir);
    free(b.p);
}

static void test_big_utf16_file_reports_line_40000(void **state)
{
    buf b = {0};
    buf_add(&b, "\xff\xfe", 2);
    build_long(&b, 1);
    ts_doc *doc = scan(*state, "stor16.txt", &b);
    check_long(doc);
    ts_doc_free(doc);
    free(b.p);
}

static void test_line_over_4_mib_is_cut_and_later_lines_still_count(void **state)
{
    buf b = {0};
    buf_str(&b, "Start\n");
    char block[4096];
    memset(block, 'a', sizeof block);
    for (int i = 0; i < 5 * 256; i++) /* one 5 MiB line */
        buf_add(&b, block, sizeof block);
    buf_str(&b, "\nSvitsj 10.20.1.1\n");
    ts_doc *doc = scan(*state, "lang.txt", &b);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_line(ip), 3);
    ts_doc_free(doc);
    free(b.p);
}

/* Run the extractor itself on bytes that type detection would not call text. */
static ts_doc *extract_raw(const ts_ctx *ctx, const void *data, size_t len)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_create(&doc, ctx, "raw.txt", 0, NULL), TS_OK);
    ts_input in = {.data = data, .len = len, .type = TS_TYPE_TEXT};
    assert_int_equal(ts_extractor_text.extract(doc, &in), TS_OK);
    return doc;
}

static void test_nul_bytes_become_spaces_and_text_is_still_scanned(void **state)
{
    static const char text[] = "\0\0\x01junk\0Svitsj\0"
                               "10.20.1.1\0\0\nmer\0tekst";
    ts_doc *doc = extract_raw(*state, text, sizeof text - 1);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_line(ip), 1);
    ts_doc_free(doc);
}

static void test_broken_utf16_does_not_crash(void **state)
{
    /* lone high surrogate, lone low surrogate, surrogate at the end, odd trailing byte */
    static const unsigned char le[] = {
        0xff, 0xfe, 'a', 0, 0x00, 0xd8, 'b',  0,    0x00, 0xdc, '\n', 0,    '1', 0,
        '0',  0,    '.', 0, '2',  0,    '0',  0,    '.',  0,    '1',  0,    '.', 0,
        '1',  0,    ' ', 0, 0x3d, 0xd8, 0x00, 0xde, '\n', 0,    0x00, 0xd8, 0x7a};
    ts_doc *doc = extract_raw(*state, le, sizeof le);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_int_equal(ts_finding_line(ip), 2);
    ts_doc_free(doc);
    /* just a BOM, and a BOM plus half a unit */
    doc = extract_raw(*state, "\xff\xfe", 2);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
    doc = extract_raw(*state, "\xfe\xff\x41", 3);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
}

static void test_random_junk_does_not_crash(void **state)
{
    unsigned char junk[1 << 16];
    uint32_t x = 0x9e3779b9u;
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            junk[i] = (unsigned char)x;
        }
        if (round & 1) {
            junk[0] = 0xff;
            junk[1] = 0xfe;
        }
        ts_doc *doc = extract_raw(*state, junk, sizeof junk - (size_t)round);
        ts_doc_free(doc);
        /* and through the whole scan */
        assert_int_equal(ts_scan_buffer(&doc, *state, "junk.bin", junk, sizeof junk), TS_OK);
        assert_non_null(doc);
        ts_doc_free(doc);
    }
}

static void test_empty_input_emits_nothing(void **state)
{
    ts_doc *doc = extract_raw(*state, "", 0);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
    doc = extract_raw(*state, "\xef\xbb\xbf", 3);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
}

/* ---- delimited text (CSV, TSV): records reach detection as a table --------------------------- */

/* `text` scanned as "t.csv" with only the table test rules; the caller frees *ctx. */
static ts_doc *scan_rules(ts_ctx **ctx, const char *text, size_t len)
{
    *ctx = tst_ctx_rules(TST_HEADER_RULES);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, *ctx, "t.csv", text, len), TS_OK);
    assert_non_null(doc);
    return doc;
}

#define HDR_PW "credential.test-header-pw"

/* Scan text as a CSV file with the header rules; rule's values are exactly `values`. */
static void expect_scan(const char *text, size_t len, const char *rule, const char *values)
{
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, len);
    tst_expect_values(doc, rule, values);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_csv_semicolon_value_under_password_header_is_judged_by_it(void **state)
{
    (void)state;
    static const char text[] = "Bruker;Passord;Merknad\nKari Nordmann;Fjord2024;ny\n"
                               "Ola;Vinter25;\n";
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, sizeof text - 1);
    tst_expect_values(doc, HDR_PW, "Fjord2024|Vinter25");
    const ts_finding *pw = tst_find(doc, HDR_PW);
    assert_int_equal(ts_finding_line(pw), 2);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_BODY);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_csv_after_a_title_and_a_note_is_still_a_table(void **state)
{
    (void)state;
    /* an exported sheet with its title and a note above the table; the password cell holds a
     * line break in quotes, which only the CSV reader makes one cell of */
    static const char text[] = "Vedlegg 3 \xe2\x80\x93 Brukere i fagsystemet\r\n\r\n"
                               "Listen er hentet ut 02.09.2024.\r\n"
                               "Bruker;Passord;Merknad\r\n"
                               "Kari Nordmann;\"Fjord2024\r\nVinter25\";ny\r\n";
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, sizeof text - 1);
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    assert_int_equal(ts_finding_line(tst_find(doc, "credential.test-header-phrase")), 5);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_csv_comma_quoted_fields_follow_rfc_4180(void **state)
{
    (void)state;
    /* a quoted delimiter, doubled quotes, a line break inside quotes */
    static const char text[] =
        "login,pw\r\n\"Nordmann, Kari\",Fjord2024\r\n"
        "\"ola \"\"admin\"\"\",\"Vinter25\"\r\n\"per\r\nhansen\",Sommer26\r\n";
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, sizeof text - 1);
    tst_expect_values(doc, HDR_PW, "Fjord2024|Vinter25|Sommer26");
    assert_int_equal(ts_finding_line(find_value(doc, HDR_PW, "Sommer26")), 5);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_csv_quoted_line_break_keeps_the_cell_on_its_line(void **state)
{
    (void)state;
    static const char text[] = "Bruker;Passord\nKari Nordmann;\"Fjord2024\nVinter25\"\nOla;x y z\n";
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, sizeof text - 1);
    tst_expect_values(doc, "credential.test-header-phrase", "Fjord2024 Vinter25");
    assert_int_equal(ts_finding_line(tst_find(doc, "credential.test-header-phrase")), 2);
    tst_expect_values(doc, HDR_PW, "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_csv_two_columns_label_a_value_by_its_row(void **state)
{
    (void)state;
    static const char text[] = "Egenskap,Verdi\nServer,srv-fil01\nPassord,Fjord2024\n"
                               "Brukernavn,kari\n";
    expect_scan(text, sizeof text - 1, HDR_PW, "Fjord2024");
}

static void test_tsv_with_bom_and_cp1252_header_is_a_table(void **state)
{
    (void)state;
    /* "Passord før" in Windows-1252: its cells keep their places once read as UTF-8 */
    static const char tsv[] = "\xef\xbb\xbf"
                              "Bruker\tPassord f\xf8r\nKari Nordmann\tFjord2024\n";
    expect_scan(tsv, sizeof tsv - 1, HDR_PW, "Fjord2024");
    static const char pipes[] = "| Bruker | Passord |\n|---|---|\n| Kari Nordmann | Fjord2024 |\n";
    expect_scan(pipes, sizeof pipes - 1, HDR_PW, "Fjord2024");
}

static void test_tsv_whose_cells_hold_commas_is_split_at_tabs(void **state)
{
    (void)state;
    /* a title with a comma, then a TAB table whose cells hold a comma each: one comma a line
     * agrees on more lines than the TABs do, but the TABs split each line five times */
    static const char text[] = "Tilgang til anlegget, Ramsdal kommune\n"
                               "Nr.\tSystem\tMerknad\tBruker\tPassord\tEier\n"
                               "1\tSD-anlegg\tI kjellaren, bak tavla\tdrift\tFjord2024\tTeknisk\n"
                               "2\tADK\tSentral i 2. etg, rom 214\tadm\tVinter25\tTeknisk\n"
                               "3\tKamera\tNVR i serverrommet, rack 2\tnvr\tSommer26\tIKT\n"
                               "Sist endra 3. mars, av driftsleiar.\n";
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, sizeof text - 1);
    tst_expect_values(doc, HDR_PW, "Fjord2024|Vinter25|Sommer26");
    assert_int_equal(ts_finding_line(find_value(doc, HDR_PW, "Fjord2024")), 3);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_csv_with_a_note_below_is_still_a_table(void **state)
{
    (void)state;
    /* an export with a title, the table, and two notes under it (one with a comma) */
    static const char text[] = "\xef\xbb\xbfTilgangar \xe2\x80\x93 Storgata 12, rådhuset\r\n\r\n"
                               "Nr.;System;Bruker;Passord\r\n"
                               "1;SD-anlegg;drift;Fjord2024\r\n"
                               "2;ADK;adm;Vinter25\r\n"
                               "3;Kamera;nvr;Sommer26\r\n"
                               "4;Adgang;vakt;Host27x\r\n\r\n"
                               "Kamera 4 er ute av drift.\r\n"
                               "Passorda skal bytast, jf. rutine 5.\r\n";
    expect_scan(text, sizeof text - 1, HDR_PW, "Fjord2024|Vinter25|Sommer26|Host27x");
}

static void test_text_with_a_few_commas_is_not_a_table(void **state)
{
    (void)state;
    static const char text[] = "Navn, Passord\nKari Nordmann, Fjord2024\n"
                               "Dette er en setning uten komma\nOg en til\nOg enda en\n";
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, text, sizeof text - 1);
    tst_expect_values(doc, HDR_PW, "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    /* minutes: a comma in each sentence, a title with one, a last line without */
    static const char minutes[] =
        "Referat, Passord\n"
        "1. Vi gjekk gjennom tilgangane til anlegget i kjellaren og kontoret, Fjord2024\n"
        "2. Leverandøren får tilgang til nettet i to veker frå oppstart, Vinter25\n"
        "3. Neste møte blir 1. mars.\n";
    doc = scan_rules(&ctx, minutes, sizeof minutes - 1);
    tst_expect_values(doc, HDR_PW, "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    /* JSON is not a table, even when its lines have as many commas as a CSV's */
    static const char json[] = "[\n[\"bruker\", \"pw\"],\n[\"kari\", \"Fjord2024\"],\n"
                               "[\"ola\", \"Vinter25\"]\n]\n";
    doc = scan_rules(&ctx, json, sizeof json - 1);
    tst_expect_values(doc, HDR_PW, "");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_big_csv_keeps_its_header_and_line_40001(void **state)
{
    (void)state;
    buf b = {0};
    buf_str(&b, "login,pw,merknad\n");
    char line[64];
    for (int i = 1; i < 40000; i++) {
        snprintf(line, sizeof line, "bruker%d,,ok\n", i);
        buf_str(&b, line);
    }
    buf_str(&b, "kari,Fjord2024,ny\n");
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, (const char *)b.p, b.len);
    tst_expect_values(doc, HDR_PW, "Fjord2024");
    assert_int_equal(ts_finding_line(tst_find(doc, HDR_PW)), 40001);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(b.p);
}

static void test_unclosed_quote_is_a_letter_and_later_rows_still_count(void **state)
{
    (void)state;
    buf b = {0};
    buf_str(&b, "login;pw\n");
    for (int i = 0; i < 30; i++)
        buf_str(&b, "ola;\n");
    buf_str(&b, "\"kari;x\n"); /* a quote that never ends: a letter of the field */
    for (int i = 0; i < 20000; i++)
        buf_str(&b, "ola;\n");
    buf_str(&b, "per;Fjord2024\n");
    ts_ctx *ctx;
    ts_doc *doc = scan_rules(&ctx, (const char *)b.p, b.len);
    tst_expect_values(doc, HDR_PW, "x|Fjord2024");
    assert_int_equal(ts_finding_line(find_value(doc, HDR_PW, "Fjord2024")), 20033);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    free(b.p);
}

static void test_csv_private_address_in_a_cell_is_still_found(void **state)
{
    static const char text[] = "Enhet;IP-adresse;Rom\nKjernesvitsj;10.20.1.1;K-114\n";
    buf b = {0};
    buf_str(&b, text);
    ts_doc *doc = scan(*state, "adresser.csv", &b);
    const ts_finding *ip = tst_find(doc, IP_RULE);
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_line(ip), 2);
    ts_doc_free(doc);
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_utf16le_with_bom_finds_ip_and_password_on_their_lines,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16be_with_bom_finds_ip_and_password, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_utf16le_without_bom_is_read_as_utf16, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_with_bom_keeps_line_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16le_without_bom_then_ascii_reads_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_utf16le_with_bom_then_ascii_reads_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ascii_then_utf16le_then_ascii_reads_every_part, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_short_utf16_start_then_long_ascii_reads_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_short_ascii_inside_utf16_is_scanned_as_a_string, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cp1252_text_context_shows_norwegian_letters, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_big_file_reports_line_40000, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_mapped_file_reports_line_40000, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_utf16_file_reports_line_40000, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_over_4_mib_is_cut_and_later_lines_still_count,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_bytes_become_spaces_and_text_is_still_scanned,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_utf16_does_not_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_junk_does_not_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_input_emits_nothing, setup, teardown),
        cmocka_unit_test(test_csv_semicolon_value_under_password_header_is_judged_by_it),
        cmocka_unit_test(test_csv_after_a_title_and_a_note_is_still_a_table),
        cmocka_unit_test(test_csv_comma_quoted_fields_follow_rfc_4180),
        cmocka_unit_test(test_csv_quoted_line_break_keeps_the_cell_on_its_line),
        cmocka_unit_test(test_csv_two_columns_label_a_value_by_its_row),
        cmocka_unit_test(test_tsv_with_bom_and_cp1252_header_is_a_table),
        cmocka_unit_test(test_tsv_whose_cells_hold_commas_is_split_at_tabs),
        cmocka_unit_test(test_csv_with_a_note_below_is_still_a_table),
        cmocka_unit_test(test_text_with_a_few_commas_is_not_a_table),
        cmocka_unit_test(test_big_csv_keeps_its_header_and_line_40001),
        cmocka_unit_test(test_unclosed_quote_is_a_letter_and_later_rows_still_count),
        cmocka_unit_test_setup_teardown(test_csv_private_address_in_a_cell_is_still_found, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("extract_text", tests, NULL, NULL);
}

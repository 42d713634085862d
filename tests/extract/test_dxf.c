/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the CAD readers: ASCII DXF (layers, texts, header, verdict), binary DXF and DWG. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef tst_fixture fixture;

static ts_doc *scan_bytes(const fixture *f, const char *name, const void *data, size_t len)
{
    char *path = tst_write(f->dir, name, data, len);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    return doc;
}

/* A DXF made of (code, value) pairs given as "code", "value", …, NULL. */
static char *dxf(const char *first, ...)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    va_list ap;
    va_start(ap, first);
    for (const char *code = first; code != NULL; code = va_arg(ap, const char *)) {
        const char *value = va_arg(ap, const char *);
        int w = snprintf(buf + n, cap - n, "%3s\r\n%s\r\n", code, value);
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    va_end(ap);
    return buf;
}

#define HEADER(user)                                                                               \
    "0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", "AC1027", "9", "$DWGCODEPAGE", "3",       \
        "ANSI_1252", "9", "$LASTSAVEDBY", "1", user, "0", "ENDSEC"
#define LAYER(name, flags, colour) "0", "LAYER", "2", name, "70", flags, "62", colour
#define TEXT(layer, text) "0", "TEXT", "8", layer, "10", "1.0", "20", "2.0", "1", text

static ts_doc *scan_dxf(const fixture *f, char *text)
{
    ts_doc *doc = scan_bytes(f, "plan.dxf", text, strlen(text));
    free(text);
    return doc;
}

static void test_frozen_layer_texts_are_hidden_facility_findings(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_dxf(
        f, dxf(HEADER("Kari Nordmann"), "0", "SECTION", "2", "TABLES", "0", "TABLE", "2", "LAYER",
               LAYER("A-ROM", "0", "7"), LAYER("SIKRING", "1", "1"), "0", "ENDTAB", "0", "ENDSEC",
               "0", "SECTION", "2", "ENTITIES", TEXT("A-ROM", "Kontor 101"),
               TEXT("SIKRING", "SERVERROM"), "0", "MTEXT", "8", "SIKRING", "3", "{\\fArial|b0;ADK-",
               "1", "leser\\Pdør 1.014}", "0", "ENDSEC", "0", "EOF", NULL));
    assert_null(ts_doc_error(doc));
    assert_string_equal(ts_doc_format(doc), "dxf");
    const ts_finding *room = tst_find(doc, "facility.server-room");
    assert_non_null(room);
    assert_string_equal(ts_finding_value(room), "SERVERROM");
    assert_int_equal(ts_finding_where(room), TS_WHERE_LAYER);
    assert_string_equal(ts_finding_part(room), "SIKRING");
    assert_int_equal(ts_finding_line(room), 70); /* the line of the value in the file */
    /* the reader and its door: the access-control rule or the sentence around it */
    const ts_finding *adk = tst_find_cat_holding(doc, TS_CAT_FACILITY, "ADK-leser");
    assert_non_null(adk);
    assert_int_equal(ts_finding_where(adk), TS_WHERE_LAYER);
    assert_string_equal(ts_finding_part(adk), "SIKRING");
    const ts_finding *h = tst_find(doc, "hidden.hidden-layer");
    assert_non_null(h);
    assert_string_equal(ts_finding_value(h), "SIKRING");
    assert_string_equal(ts_finding_detail(h), "frozen layer with 2 texts and 0 other entities");
    assert_int_equal(tst_count(doc, "hidden.hidden-layer"), 1);
    const ts_finding *v = tst_find(doc, "facility.security-floor-plan");
    assert_non_null(v);
    assert_string_equal(ts_finding_value(v), "plan.dxf");
    /* a plain name is only metadata.author (low) */
    assert_non_null(tst_find(doc, "metadata.author"));
    assert_null(tst_find(doc, "metadata.last-saved-by"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);
}

static void test_switched_off_layer_is_hidden_and_visible_layer_is_drawing(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_dxf(
        f, dxf(HEADER("olanor"), "0", "SECTION", "2", "TABLES", "0", "TABLE", "2", "LAYER",
               LAYER("IKT", "0", "-3"), LAYER("NETT", "0", "5"), "0", "ENDTAB", "0", "ENDSEC", "0",
               "SECTION", "2", "ENTITIES", TEXT("IKT", "Passord: Sommer2024!"),
               TEXT("NETT", "Gateway 10.20.1.1"), "0", "ENDSEC", "0", "EOF", NULL));
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_LAYER);
    assert_string_equal(ts_finding_part(pw), "IKT");
    const ts_finding *h = tst_find(doc, "hidden.hidden-layer");
    assert_non_null(h);
    assert_string_equal(ts_finding_detail(h),
                        "switched-off layer with 1 text and 0 other entities");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_DRAWING);
    assert_string_equal(ts_finding_part(ip), "NETT");
    const ts_finding *who = tst_find(doc, "metadata.last-saved-by");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "olanor");
    assert_int_equal(ts_finding_where(who), TS_WHERE_METADATA);
    ts_doc_free(doc);
}

static void test_mtext_codes_and_unicode_escapes_are_decoded(void **state)
{
    fixture *f = *state;
    /* the address only appears once \U+002E is decoded and the formatting is gone */
    ts_doc *doc =
        scan_dxf(f, dxf(HEADER("x"), "0", "SECTION", "2", "ENTITIES", "0", "MTEXT", "8", "0", "1",
                        "{\\H2.5;\\C1;Kjerne\\~svitsj\\P10\\U+002E20\\U+002E1"
                        "\\U+002E1}",
                        "0", "ENDSEC", "0", "EOF", NULL));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    ts_doc_free(doc);
}

static void test_text_in_the_drawing_code_page_is_converted(void **state)
{
    fixture *f = *state;
    /* "Шлюз" (gateway) in Windows-1251, as AutoCAD 2000 writes it under ANSI_1251 */
    ts_doc *doc = scan_dxf(
        f, dxf("0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", "AC1015", "9", "$DWGCODEPAGE",
               "3", "ANSI_1251", "0", "ENDSEC", "0", "SECTION", "2", "ENTITIES",
               TEXT("0", "\xD8\xEB\xFE\xE7 10.20.1.1"), "0", "ENDSEC", "0", "EOF", NULL));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_context_before(ip), "\xD0\xA8\xD0\xBB\xD1\x8E\xD0\xB7 ");
    ts_doc_free(doc);
}

static void test_inserted_network_blocks_with_an_address_are_a_diagram(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_dxf(
        f, dxf(HEADER("x"), "0", "SECTION", "2", "ENTITIES", "0", "INSERT", "8", "0", "2",
               "FIREWALL", "0", "INSERT", "8", "0", "2", "SWITCH_48P", "66", "1", "0", "ATTRIB",
               "8", "0", "2", "NAVN", "1", "SW-KJERNE", "0", "SEQEND", "0", "INSERT", "8", "0", "2",
               "SWITCH_48P", TEXT("0", "Servernett 10.1.0.0/24"), "0", "ENDSEC", "0", "EOF", NULL));
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_non_null(v);
    assert_non_null(strstr(ts_finding_detail(v), "3 network devices (firewall, 2 switches)"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

static void test_clean_architectural_floor_plan_is_ok(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_dxf(f, dxf(HEADER("Kari Nordmann"), "0", "SECTION", "2", "TABLES", "0", "TABLE", "2",
                        "LAYER", LAYER("A-VEGG", "0", "7"), LAYER("A-ROM", "0", "7"), "0", "ENDTAB",
                        "0", "ENDSEC", "0", "SECTION", "2", "ENTITIES", "0", "LINE", "8", "A-VEGG",
                        "10", "0", "20", "0", "11", "3600", "21", "0", TEXT("A-ROM", "Kontor 101"),
                        TEXT("A-ROM", "Møterom"), TEXT("A-ROM", "Gang"), TEXT("A-ROM", "WC"),
                        TEXT("A-ROM", "Dør D1"), "0", "DIMENSION", "8", "A-ROM", "1", "<>", "0",
                        "DIMENSION", "8", "A-ROM", "1", "3600", "0", "ENDSEC", "0", "EOF", NULL));
    assert_null(ts_doc_error(doc));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_null(tst_find_cat(doc, TS_CAT_DIAGRAM));
    assert_null(tst_find_cat(doc, TS_CAT_FACILITY));
    ts_doc_free(doc);
}

static void test_xref_path_is_an_external_link_with_a_user_path(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_dxf(f, dxf(HEADER("x"), "0", "SECTION", "2", "BLOCKS", "0", "BLOCK", "8", "0", "2",
                        "PLAN2", "70", "4", "1", "C:\\Users\\olanor\\Prosjekt\\plan2.dwg", "0",
                        "ENDBLK", "0", "ENDSEC", "0", "EOF", NULL));
    const ts_finding *x = tst_find(doc, "hidden.external-link");
    assert_non_null(x);
    assert_string_equal(ts_finding_value(x), "C:\\Users\\olanor\\Prosjekt\\plan2.dwg");
    assert_non_null(tst_find(doc, "metadata.user-path"));
    ts_doc_free(doc);
}

static void test_truncated_dxf_grades_error_but_keeps_its_findings(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_dxf(
        f, dxf(HEADER("x"), "0", "SECTION", "2", "ENTITIES", TEXT("0", "Gateway 10.20.1.1"), NULL));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    assert_non_null(tst_find(doc, "network.ipv4-private"));
    ts_doc_free(doc);
}

static void test_binary_dxf_is_refused_with_advice(void **state)
{
    fixture *f = *state;
    static const char bin[] = "AutoCAD Binary DXF\r\n\x1A\0\0\0SECTION";
    ts_doc *doc = scan_bytes(f, "bin.dxf", bin, sizeof bin - 1);
    assert_string_equal(ts_doc_format(doc), "dxf-binary");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EUNSUPPORTED);
    assert_non_null(strstr(ts_doc_error(doc), "binary DXF is not supported: save as ASCII DXF"));
    assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_NB), "lagre som ASCII-DXF"));
    ts_doc_free(doc);
}

static void test_dwg_is_never_ok(void **state)
{
    fixture *f = *state;
    unsigned char dwg[2048];
    memset(dwg, 0, sizeof dwg);
    memcpy(dwg, "AC1032", 6);
    ts_doc *doc = scan_bytes(f, "tom.dwg", dwg, sizeof dwg);
    assert_string_equal(ts_doc_format(doc), "dwg");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    const ts_finding *n = tst_find(doc, "document.dwg-not-read");
    assert_non_null(n);
    assert_string_equal(ts_finding_value(n), "AutoCAD 2018 DWG (AC1032)");
    assert_string_equal(ts_rule_title(ts_finding_rule(n), TS_LANG_EN),
                        "DWG drawing content was not read: export it to DXF or PDF and scan that");
    ts_doc_free(doc);
}

static void test_dwg_open_strings_are_scanned(void **state)
{
    fixture *f = *state;
    unsigned char dwg[4096];
    memset(dwg, 0x11, sizeof dwg);
    memcpy(dwg, "AC1015", 6);
    static const char s[] = "Gateway 10.20.1.1";
    memcpy(dwg + 300, s, sizeof s - 1);
    /* summary information as UTF-16LE, the way AutoCAD 2007 and later store it */
    static const char prop[] = "<prop id=\"8\"><string>olanor</string></prop>";
    for (size_t i = 0; i < sizeof prop - 1; i++) {
        dwg[1000 + 2 * i] = (unsigned char)prop[i];
        dwg[1001 + 2 * i] = 0;
    }
    ts_doc *doc = scan_bytes(f, "plan.dwg", dwg, sizeof dwg);
    assert_non_null(tst_find(doc, "network.ipv4-private"));
    const ts_finding *who = tst_find(doc, "metadata.last-saved-by");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "olanor");
    ts_doc_free(doc);
}

static void test_corpus_cad_files(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s/cad", TS_CORPUS_DIR);
    DIR *d = opendir(dirpath);
    if (d == NULL)
        skip();
    struct dirent *e;
    size_t dwgs = 0, dxfs = 0;
    while ((e = readdir(d)) != NULL) {
        bool is_dwg = strstr(e->d_name, ".dwg") != NULL, is_dxf = strstr(e->d_name, ".dxf") != NULL;
        if (!is_dwg && !is_dxf)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dirpath, e->d_name);
        ts_doc *doc = NULL;
        assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
        if (ts_doc_error(doc))
            fail_msg("%s: %s", e->d_name, ts_doc_error(doc));
        if (is_dwg) {
            assert_int_not_equal(ts_doc_grade(doc), TS_GRADE_OK);
            assert_non_null(tst_find(doc, "document.dwg-not-read"));
            dwgs++;
        } else {
            dxfs++;
        }
        /* every drawing LibreDWG's author saved names him */
        if (strstr(e->d_name, "example_2018") || strstr(e->d_name, "sample_2018")) {
            const ts_finding *who = tst_find(doc, "metadata.last-saved-by");
            if (who == NULL)
                fail_msg("%s: no last-saved-by", e->d_name);
            assert_string_equal(ts_finding_value(who), "rurban");
        }
        ts_doc_free(doc);
    }
    closedir(d);
    assert_true(dwgs >= 7 && dxfs >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_frozen_layer_texts_are_hidden_facility_findings),
        T(test_switched_off_layer_is_hidden_and_visible_layer_is_drawing),
        T(test_mtext_codes_and_unicode_escapes_are_decoded),
        T(test_text_in_the_drawing_code_page_is_converted),
        T(test_inserted_network_blocks_with_an_address_are_a_diagram),
        T(test_clean_architectural_floor_plan_is_ok),
        T(test_xref_path_is_an_external_link_with_a_user_path),
        T(test_truncated_dxf_grades_error_but_keeps_its_findings),
        T(test_binary_dxf_is_refused_with_advice),
        T(test_dwg_is_never_ok),
        T(test_dwg_open_strings_are_scanned),
        T(test_corpus_cad_files),
#undef T
    };
    return cmocka_run_group_tests_name("extract_dxf", tests, NULL, NULL);
}

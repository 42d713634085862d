/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the draw.io reader: plain and compressed pages, labels, layers, the diagram verdict. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

typedef tst_fixture fixture;

static ts_doc *scan_text(const fixture *f, const char *name, const char *content)
{
    char *path = tst_write(f->dir, name, content, strlen(content));
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    return doc;
}

/* The network drawing of the issue: a firewall, two switches, VLAN labels and a 10.x subnet. */
#define NETWORK_MODEL                                                                              \
    "<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>"                        \
    "<mxCell id=\"fw\" value=\"Brannmur\" style=\"shape=mxgraph.cisco.security.firewall;"          \
    "html=1;\" vertex=\"1\" parent=\"1\"/>"                                                        \
    "<mxCell id=\"s1\" value=\"Kjerne&lt;br&gt;svitsj\" style=\"shape=mxgraph.cisco.switches."     \
    "layer_3_switch;html=1;\" vertex=\"1\" parent=\"1\"/>"                                         \
    "<mxCell id=\"s2\" value=\"&lt;b&gt;Aksess&lt;/b&gt;svitsj\" style=\"shape=mxgraph.cisco."     \
    "switches.workgroup_switch;html=1;\" vertex=\"1\" parent=\"1\"/>"                              \
    "<mxCell id=\"t1\" value=\"VLAN 20 klientnett&lt;br&gt;10.20.0.0/24\" style=\"text;html=1;\" " \
    "vertex=\"1\" parent=\"1\"/>"                                                                  \
    "<mxCell id=\"t2\" value=\"VLAN 30 servernett\" style=\"text;\" vertex=\"1\" parent=\"1\"/>"   \
    "<mxCell id=\"e1\" edge=\"1\" parent=\"1\" source=\"fw\" target=\"s1\"/>"                      \
    "<mxCell id=\"e2\" edge=\"1\" parent=\"1\" source=\"s1\" target=\"s2\"/>"                      \
    "</root></mxGraphModel>"

static void assert_network_verdict(const ts_doc *doc)
{
    assert_null(ts_doc_error(doc));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_non_null(v);
    assert_string_equal(ts_finding_value(v), "Nett");
    assert_int_equal(ts_finding_page(v), 1);
    const char *d = ts_finding_detail(v);
    assert_non_null(d);
    assert_non_null(strstr(d, "3 network devices (firewall, 2 switches)"));
    assert_non_null(strstr(d, "2 connectors"));
    assert_non_null(strstr(d, "10.20.0.0/24"));
    assert_non_null(strstr(d, "VLAN 20"));
    /* what the edges join, by the shapes' labels (HTML line breaks made spaces) */
    tst_expect_detail(doc, "diagram.network",
                      "; connected: Brannmur - Kjerne svitsj, Kjerne svitsj - Aksesssvitsj");
    const ts_finding *s = tst_find(doc, "network.ipv4-subnet");
    assert_non_null(s);
    assert_string_equal(ts_finding_value(s), "10.20.0.0/24");
    assert_int_equal(ts_finding_where(s), TS_WHERE_DRAWING);
    assert_string_equal(ts_finding_part(s), "Nett");
}

static void test_plain_network_drawing_is_blocked_with_its_reasons(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_text(f, "nett.drawio",
                  "<mxfile host=\"Electron\"><diagram id=\"a\" name=\"Nett\">" NETWORK_MODEL
                  "</diagram></mxfile>");
    assert_string_equal(ts_doc_format(doc), "drawio");
    assert_network_verdict(doc);
    ts_doc_free(doc);
}

/* draw.io's compressed page: base64(raw deflate(encodeURIComponent(xml))). */
static char *compress_page(const char *xml)
{
    size_t n = strlen(xml);
    char *enc = malloc(3 * n + 1);
    assert_non_null(enc);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)xml[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("-_.!~*'()", c))
            enc[w++] = (char)c;
        else
            w += (size_t)snprintf(enc + w, 4, "%%%02X", c);
    }
    unsigned char *def = malloc(w + 64);
    assert_non_null(def);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)enc;
    z.avail_in = (uInt)w;
    z.next_out = def;
    z.avail_out = (uInt)(w + 64);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t dl = z.total_out;
    deflateEnd(&z);
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(dl / 3 * 4 + 8);
    assert_non_null(out);
    size_t o = 0;
    for (size_t i = 0; i < dl; i += 3) {
        unsigned v = (unsigned)def[i] << 16 | (i + 1 < dl ? (unsigned)def[i + 1] << 8 : 0) |
                     (i + 2 < dl ? def[i + 2] : 0);
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < dl ? b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < dl ? b64[v & 63] : '=';
    }
    out[o] = '\0';
    free(enc);
    free(def);
    return out;
}

static void test_compressed_network_drawing_is_blocked_with_its_reasons(void **state)
{
    fixture *f = *state;
    char *page = compress_page(NETWORK_MODEL);
    char buf[8192];
    snprintf(buf, sizeof buf,
             "<?xml version=\"1.0\"?>\n<mxfile compressed=\"true\"><diagram id=\"a\" "
             "name=\"Nett\">%s</diagram></mxfile>",
             page);
    free(page);
    ts_doc *doc = scan_text(f, "nett.xml", buf);
    assert_network_verdict(doc);
    ts_doc_free(doc);
}

static void test_damaged_compressed_page_grades_error(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_text(f, "broken.drawio",
                            "<mxfile><diagram name=\"P\">7VbbbuIwEP0aP4JyAZZ9TIC2u9JKlZDa3Ue"
                            "</diagram></mxfile>");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    ts_doc_free(doc);
}

static void test_text_on_a_hidden_layer_is_at_where_layer(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_text(f, "lag.drawio",
                  "<mxfile><diagram name=\"Plan\"><mxGraphModel><root><mxCell id=\"0\"/>"
                  "<mxCell id=\"1\" parent=\"0\"/>"
                  "<mxCell id=\"L2\" value=\"Drift\" visible=\"0\" parent=\"0\"/>"
                  "<mxCell id=\"g\" value=\"\" style=\"group\" vertex=\"1\" parent=\"L2\"/>"
                  "<mxCell id=\"x\" value=\"Passord: Sommer2024!\" vertex=\"1\" parent=\"g\"/>"
                  "<mxCell id=\"y\" value=\"Kontor\" vertex=\"1\" parent=\"1\"/>"
                  "</root></mxGraphModel></diagram></mxfile>");
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_LAYER);
    assert_string_equal(ts_finding_part(pw), "Drift");
    const ts_finding *h = tst_find(doc, "hidden.hidden-layer");
    assert_non_null(h);
    assert_string_equal(ts_finding_value(h), "Drift");
    assert_int_equal(ts_finding_where(h), TS_WHERE_LAYER);
    ts_doc_free(doc);
}

static void test_hidden_cell_is_hidden_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_text(f, "skjult.drawio",
                  "<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>"
                  "<mxCell id=\"x\" value=\"Gateway 192.168.40.1\" visible=\"0\" vertex=\"1\" "
                  "parent=\"1\"/></root></mxGraphModel>");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_HIDDEN_TEXT);
    assert_non_null(tst_find(doc, "hidden.hidden-shape"));
    ts_doc_free(doc);
}

static void test_custom_properties_and_tooltips_are_read(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_text(
        f, "obj.drawio",
        "<mxfile><diagram name=\"P\"><mxGraphModel><root><mxCell id=\"0\"/>"
        "<mxCell id=\"1\" parent=\"0\"/>"
        "<UserObject label=\"Server\" tooltip=\"Drift: dc01.fjordvik.local\" ip=\"10.1.2.3\" "
        "id=\"7\"><mxCell style=\"shape=mxgraph.cisco.servers.fileserver\" vertex=\"1\" "
        "parent=\"1\"/></UserObject>"
        "</root></mxGraphModel></diagram></mxfile>");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.1.2.3");
    assert_non_null(tst_find(doc, "network.internal-domain"));
    ts_doc_free(doc);
}

static void test_clean_floor_plan_drawing_is_ok(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_text(
        f, "plan.drawio",
        "<mxfile><diagram name=\"1. etasje\"><mxGraphModel><root><mxCell id=\"0\"/>"
        "<mxCell id=\"1\" parent=\"0\"/>"
        "<mxCell id=\"a\" value=\"Kontor 101\" style=\"rounded=0;\" vertex=\"1\" parent=\"1\"/>"
        "<mxCell id=\"b\" value=\"Møterom\" vertex=\"1\" parent=\"1\"/>"
        "<mxCell id=\"c\" value=\"Dør\" style=\"shape=mxgraph.floorplan.doorLeft\" vertex=\"1\" "
        "parent=\"1\"/>"
        "<mxCell id=\"d\" value=\"3600\" style=\"shape=dimension\" vertex=\"1\" parent=\"1\"/>"
        "<mxCell id=\"e\" edge=\"1\" parent=\"1\" source=\"a\" target=\"b\"/>"
        "<mxCell id=\"g\" edge=\"1\" parent=\"1\" source=\"b\" target=\"c\"/>"
        "</root></mxGraphModel></diagram></mxfile>");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    assert_null(tst_find_cat(doc, TS_CAT_DIAGRAM));
    assert_null(tst_find_cat(doc, TS_CAT_FACILITY));
    ts_doc_free(doc);
}

static void test_each_page_gets_its_own_verdict(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_text(f, "to.drawio",
                  "<mxfile><diagram name=\"Forside\"><mxGraphModel><root><mxCell id=\"0\"/>"
                  "<mxCell id=\"1\" parent=\"0\"/><mxCell id=\"a\" value=\"Prosjekt\" vertex=\"1\" "
                  "parent=\"1\"/></root></mxGraphModel></diagram>"
                  "<diagram name=\"Nett\">" NETWORK_MODEL "</diagram></mxfile>");
    assert_int_equal(tst_count(doc, "diagram.network"), 1);
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_int_equal(ts_finding_page(v), 2);
    assert_string_equal(ts_finding_value(v), "Nett");
    ts_doc_free(doc);
}

static void test_corpus_network_templates_are_network_diagrams(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s/drawio", TS_CORPUS_DIR);
    DIR *d = opendir(dirpath);
    if (d == NULL)
        skip();
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".drawio") == NULL)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dirpath, e->d_name);
        ts_doc *doc = NULL;
        assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
        if (ts_doc_error(doc) != NULL || tst_find(doc, "diagram.network") == NULL)
            fail_msg("%s: %s", e->d_name, ts_doc_error(doc) ? ts_doc_error(doc) : "no verdict");
        assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
        if (strstr(e->d_name, "subnets"))
            assert_true(tst_count(doc, "network.ipv4-subnet") >= 6);
        ts_doc_free(doc);
        n++;
    }
    closedir(d);
    assert_true(n >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_plain_network_drawing_is_blocked_with_its_reasons),
        T(test_compressed_network_drawing_is_blocked_with_its_reasons),
        T(test_damaged_compressed_page_grades_error),
        T(test_text_on_a_hidden_layer_is_at_where_layer),
        T(test_hidden_cell_is_hidden_text),
        T(test_custom_properties_and_tooltips_are_read),
        T(test_clean_floor_plan_drawing_is_ok),
        T(test_each_page_gets_its_own_verdict),
        T(test_corpus_network_templates_are_network_diagrams),
#undef T
    };
    return cmocka_run_group_tests_name("extract_drawio", tests, NULL, NULL);
}

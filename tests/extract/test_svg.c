/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the SVG reader: text, hidden layers and elements, metadata, attributes, draw.io. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef tst_fixture fixture;

#define SVG_OPEN                                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "      \
    "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "                              \
    "xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" "                       \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                               \
    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "                                   \
    "xmlns:cc=\"http://creativecommons.org/ns#\""

static ts_doc *scan_svg(const fixture *f, const char *svg)
{
    char *path = tst_write(f->dir, "tegning.svg", svg, strlen(svg));
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    assert_string_equal(ts_doc_format(doc), "svg");
    free(path);
    return doc;
}

static void test_text_and_tspans_are_drawing_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(f, SVG_OPEN ">"
                                       "<text x=\"1\" y=\"2\">Kjernesvitsj<tspan x=\"1\" dy=\"12\">"
                                       "10.20.1.1</tspan></text></svg>");
    assert_null(ts_doc_error(doc));
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_int_equal(ts_finding_where(ip), TS_WHERE_DRAWING);
    ts_doc_free(doc);
}

static void test_hidden_inkscape_layer_is_at_where_layer(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(f, SVG_OPEN ">"
                                       "<g inkscape:groupmode=\"layer\" inkscape:label=\"Plan\">"
                                       "<text>Kontor</text></g>"
                                       "<g inkscape:groupmode=\"layer\" inkscape:label=\"Sikring\" "
                                       "style=\"display:none\"><text>SERVERROM</text>"
                                       "<text>Kortleser</text></g></svg>");
    const ts_finding *room = tst_find(doc, "facility.server-room");
    assert_non_null(room);
    assert_int_equal(ts_finding_where(room), TS_WHERE_LAYER);
    assert_string_equal(ts_finding_part(room), "Sikring");
    const ts_finding *h = tst_find(doc, "hidden.hidden-layer");
    assert_non_null(h);
    assert_string_equal(ts_finding_value(h), "Sikring");
    assert_int_equal(tst_count(doc, "hidden.hidden-layer"), 1);
    assert_non_null(tst_find(doc, "facility.security-floor-plan"));
    ts_doc_free(doc);
}

static void test_invisible_element_is_hidden_text(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(f, SVG_OPEN "><g visibility=\"hidden\"><text>Passord: Sommer2024!"
                                       "</text></g><text>Plan 1</text></svg>");
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_HIDDEN_TEXT);
    const ts_finding *h = tst_find(doc, "hidden.hidden-shape");
    assert_non_null(h);
    assert_string_equal(ts_finding_detail(h), "1 hidden element with text");
    ts_doc_free(doc);
}

static void test_metadata_creator_and_export_path_are_metadata(void **state)
{
    fixture *f = *state;
    ts_doc *doc =
        scan_svg(f, SVG_OPEN " sodipodi:docname=\"nett.svg\" "
                             "inkscape:export-filename=\"C:\\Users\\olanor\\Documents\\nett.png\">"
                             "<metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>olanor"
                             "</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF></metadata>"
                             "<text>Plan</text></svg>");
    const ts_finding *who = tst_find(doc, "metadata.user-name");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "olanor");
    assert_int_equal(ts_finding_where(who), TS_WHERE_METADATA);
    const ts_finding *p = tst_find(doc, "metadata.user-path");
    assert_non_null(p);
    assert_string_equal(ts_finding_value(p), "C:\\Users\\olanor\\Documents\\nett.png");
    ts_doc_free(doc);
}

static void test_data_attributes_titles_and_links_are_read(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(f, SVG_OPEN "><g data-ip=\"10.30.0.5\"><title>Skriver</title>"
                                       "<a xlink:href=\"\\\\srv-fil01\\Felles\\IT\">"
                                       "<text>Lenke</text></a></g></svg>");
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.30.0.5");
    assert_non_null(tst_find(doc, "network.unc-path"));
    ts_doc_free(doc);
}

static void test_drawio_svg_export_gets_the_diagram_verdict(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(
        f, SVG_OPEN " content=\"&lt;mxfile&gt;&lt;diagram name=&quot;Nett&quot;&gt;"
                    "&lt;mxGraphModel&gt;&lt;root&gt;&lt;mxCell id=&quot;0&quot;/&gt;"
                    "&lt;mxCell id=&quot;1&quot; parent=&quot;0&quot;/&gt;"
                    "&lt;mxCell id=&quot;a&quot; value=&quot;Firewall&quot; vertex=&quot;1&quot; "
                    "parent=&quot;1&quot;/&gt;"
                    "&lt;mxCell id=&quot;b&quot; value=&quot;Switch&quot; vertex=&quot;1&quot; "
                    "parent=&quot;1&quot;/&gt;"
                    "&lt;mxCell id=&quot;c&quot; value=&quot;Router&quot; vertex=&quot;1&quot; "
                    "parent=&quot;1&quot;/&gt;"
                    "&lt;mxCell id=&quot;d&quot; edge=&quot;1&quot; parent=&quot;1&quot;/&gt;"
                    "&lt;mxCell id=&quot;e&quot; edge=&quot;1&quot; parent=&quot;1&quot;/&gt;"
                    "&lt;/root&gt;&lt;/mxGraphModel&gt;&lt;/diagram&gt;&lt;/mxfile&gt;\">"
                    "<text>Firewall</text></svg>");
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_non_null(v);
    assert_string_equal(ts_finding_value(v), "Nett");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    ts_doc_free(doc);
}

static void test_graphviz_network_graph_is_a_diagram(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(f, SVG_OPEN "><g class=\"node\"><title>fw</title><text>FW01</text></g>"
                                       "<g class=\"node\"><title>sw1</title><text>SW01</text></g>"
                                       "<g class=\"node\"><title>sw2</title><text>SW02</text></g>"
                                       "<g class=\"edge\"><title>fw-&gt;sw1</title></g>"
                                       "<g class=\"edge\"><title>sw1-&gt;sw2</title></g></svg>");
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_non_null(v);
    assert_string_equal(ts_finding_detail(v),
                        "3 network devices (firewall, 2 switches), 2 connectors");
    ts_doc_free(doc);
}

static void test_broken_svg_grades_error(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_svg(f, SVG_OPEN "><text>Kontor</svg>");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    ts_doc_free(doc);
}

static void test_corpus_svg_names_its_creators(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/image/exiftool_XMP.svg", TS_CORPUS_DIR);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        skip();
    fclose(fp);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_null(ts_doc_error(doc));
    assert_int_equal(tst_count(doc, "metadata.author"), 2);
    assert_string_equal(ts_finding_value(tst_find(doc, "metadata.author")), "Irving Bird");
    ts_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_text_and_tspans_are_drawing_text),
        T(test_hidden_inkscape_layer_is_at_where_layer),
        T(test_invisible_element_is_hidden_text),
        T(test_metadata_creator_and_export_path_are_metadata),
        T(test_data_attributes_titles_and_links_are_read),
        T(test_drawio_svg_export_gets_the_diagram_verdict),
        T(test_graphviz_network_graph_is_a_diagram),
        T(test_broken_svg_grades_error),
        T(test_corpus_svg_names_its_creators),
#undef T
    };
    return cmocka_run_group_tests_name("extract_svg", tests, NULL, NULL);
}

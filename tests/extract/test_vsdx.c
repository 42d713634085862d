/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the Visio reader: pages, masters, shape data, layers, connectors, comments. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_zip.h"

typedef tst_fixture fixture;

#define V_NS                                                                                       \
    "xmlns=\"http://schemas.microsoft.com/office/visio/2012/main\" "                               \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL_PAGE "http://schemas.microsoft.com/visio/2010/relationships/page"

static const char pages_xml[] =
    "<Pages " V_NS ">"
    "<Page ID=\"0\" NameU=\"Page-1\" Name=\"Nettverk\"><PageSheet><Section N=\"Layer\">"
    "<Row IX=\"0\"><Cell N=\"Name\" V=\"Nett\"/><Cell N=\"Visible\" V=\"1\"/></Row>"
    "<Row IX=\"1\"><Cell N=\"Name\" V=\"Skjult\"/><Cell N=\"Visible\" V=\"0\"/></Row>"
    "</Section></PageSheet><Rel r:id=\"rId1\"/></Page>"
    "<Page ID=\"4\" NameU=\"Page-2\" Name=\"Plan\"><PageSheet/><Rel r:id=\"rId2\"/></Page>"
    "</Pages>";

static const char pages_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_PAGE "\" Target=\"page1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL_PAGE "\" Target=\"page2.xml\"/>"
    "</Relationships>";

static const char masters_xml[] =
    "<Masters " V_NS "><Master ID=\"2\" NameU=\"Firewall\" Name=\"Brannmur\"/>"
    "<Master ID=\"3\" NameU=\"Switch\"/><Master ID=\"4\" NameU=\"Dynamic connector\"/></Masters>";

static const char page1_xml[] =
    "<PageContents " V_NS "><Shapes>"
    "<Shape ID=\"1\" NameU=\"Firewall\" Master=\"2\"><Cell N=\"LayerMember\" V=\"0\"/>"
    "<Text>FW01</Text></Shape>"
    "<Shape ID=\"2\" NameU=\"Switch\" Master=\"3\"><Cell N=\"LayerMember\" V=\"0\"/>"
    "<Section N=\"Property\"><Row N=\"IP\"><Cell N=\"Label\" V=\"IP-adresse\"/>"
    "<Cell N=\"Value\" V=\"10.20.1.1\" U=\"STR\"/></Row></Section>"
    "<Text>Kjerne<cp IX=\"0\"/>svitsj</Text></Shape>"
    "<Shape ID=\"3\" NameU=\"Switch.3\" Master=\"3\"><Text>Aksessvitsj</Text></Shape>"
    "<Shape ID=\"5\" Type=\"Group\"><Shapes><Shape ID=\"6\"><Text>VLAN 20</Text></Shape>"
    "</Shapes></Shape>"
    "<Shape ID=\"7\"><Cell N=\"LayerMember\" V=\"1\"/><Text>Passord: Sommer2024!</Text></Shape>"
    "<Shape ID=\"10\" Master=\"4\"><Cell N=\"ObjType\" V=\"2\"/><Text>uplink</Text></Shape>"
    "<Shape ID=\"11\" Master=\"4\"><Cell N=\"ObjType\" V=\"2\"/></Shape>"
    "</Shapes><Connects>"
    "<Connect FromSheet=\"10\" FromCell=\"BeginX\" ToSheet=\"1\"/>"
    "<Connect FromSheet=\"10\" FromCell=\"EndX\" ToSheet=\"2\"/>"
    "<Connect FromSheet=\"11\" FromCell=\"BeginX\" ToSheet=\"2\"/>"
    "<Connect FromSheet=\"11\" FromCell=\"EndX\" ToSheet=\"3\"/>"
    "</Connects></PageContents>";

static const char page2_xml[] = "<PageContents " V_NS "><Shapes><Shape ID=\"1\"><Text>Kontor 101"
                                "</Text></Shape><Shape ID=\"2\"><Text>Møterom</Text></Shape>"
                                "</Shapes></PageContents>";

static const char comments_xml[] =
    "<Comments " V_NS "><AuthorList><AuthorEntry ID=\"0\" Name=\"olanor\" Initials=\"ON\"/>"
    "</AuthorList><CommentList><CommentEntry AuthorID=\"0\" PageID=\"0\" ShapeID=\"1\">"
    "Husk brannmuren</CommentEntry></CommentList></Comments>";

static const char core_xml[] =
    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
    "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>Kari Nordmann"
    "</dc:creator><cp:lastModifiedBy>olanor</cp:lastModifiedBy></cp:coreProperties>";

static ts_doc *scan_vsdx(const fixture *f)
{
    fx_part parts[] = {
        {.name = "[Content_Types].xml",
         .data = "<Types xmlns=\"http://schemas.openxmlformats"
                 ".org/package/2006/content-types\"/>"},
        {.name = "visio/document.xml", .data = "<VisioDocument " V_NS "/>"},
        {.name = "visio/pages/pages.xml", .data = pages_xml},
        {.name = "visio/pages/_rels/pages.xml.rels", .data = pages_rels},
        {.name = "visio/pages/page1.xml", .data = page1_xml},
        {.name = "visio/pages/page2.xml", .data = page2_xml},
        {.name = "visio/masters/masters.xml", .data = masters_xml},
        {.name = "visio/comments.xml", .data = comments_xml},
        {.name = "docProps/core.xml", .data = core_xml},
    };
    char *path = fx_zip_write(f->dir, "nett.vsdx", parts, sizeof parts / sizeof parts[0]);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    free(path);
    assert_string_equal(ts_doc_format(doc), "vsdx");
    assert_null(ts_doc_error(doc));
    return doc;
}

static void test_network_page_gets_the_diagram_verdict(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_vsdx(f);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
    assert_int_equal(tst_count(doc, "diagram.network"), 1);
    const ts_finding *v = tst_find(doc, "diagram.network");
    assert_string_equal(ts_finding_value(v), "Nettverk");
    assert_int_equal(ts_finding_page(v), 1);
    assert_non_null(strstr(ts_finding_detail(v), "3 network devices (firewall, 2 switches)"));
    assert_non_null(strstr(ts_finding_detail(v), "2 connectors"));
    /* what each connector joins, by the shapes' visible text (not their shape data) */
    assert_non_null(
        strstr(ts_finding_detail(v), "connected: FW01 - Kjernesvitsj, Kjernesvitsj - Aksessvitsj"));
    assert_non_null(strstr(ts_finding_detail(v), "10.20.1.1"));
    ts_doc_free(doc);
}

static void test_shape_data_is_text_of_its_page(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_vsdx(f);
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    assert_int_equal(ts_finding_where(ip), TS_WHERE_DRAWING);
    assert_int_equal(ts_finding_page(ip), 1);
    assert_string_equal(ts_finding_part(ip), "Nettverk");
    assert_string_equal(ts_finding_context_before(ip), "IP-adresse: ");
    ts_doc_free(doc);
}

static void test_shape_on_a_hidden_layer_is_at_where_layer(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_vsdx(f);
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_int_equal(ts_finding_where(pw), TS_WHERE_LAYER);
    assert_string_equal(ts_finding_part(pw), "Skjult");
    const ts_finding *h = tst_find(doc, "hidden.hidden-layer");
    assert_non_null(h);
    assert_string_equal(ts_finding_value(h), "Skjult");
    assert_int_equal(tst_count(doc, "hidden.hidden-layer"), 1);
    ts_doc_free(doc);
}

static void test_comments_and_properties_name_people(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_vsdx(f);
    const ts_finding *c = tst_find(doc, "hidden.comment");
    assert_non_null(c);
    assert_string_equal(ts_finding_value(c), "olanor");
    assert_string_equal(ts_finding_detail(c), "1 comment by olanor");
    const ts_finding *m = tst_find(doc, "metadata.last-modified-by");
    assert_non_null(m);
    assert_string_equal(ts_finding_value(m), "olanor");
    const ts_finding *a = tst_find(doc, "metadata.author");
    assert_non_null(a);
    assert_string_equal(ts_finding_value(a), "Kari Nordmann");
    ts_doc_free(doc);
}

static void test_corpus_drawings_are_read(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s/visio", TS_CORPUS_DIR);
    DIR *d = opendir(dirpath);
    if (d == NULL)
        skip();
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".vsdx") == NULL)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dirpath, e->d_name);
        ts_doc *doc = NULL;
        assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
        if (ts_doc_error(doc))
            fail_msg("%s: %s", e->d_name, ts_doc_error(doc));
        const ts_finding *a = tst_find(doc, "metadata.author");
        if (a == NULL)
            fail_msg("%s: no author", e->d_name);
        assert_string_equal(ts_finding_value(a), "Dave Howard");
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
        T(test_network_page_gets_the_diagram_verdict),
        T(test_shape_data_is_text_of_its_page),
        T(test_shape_on_a_hidden_layer_is_at_where_layer),
        T(test_comments_and_properties_name_people),
        T(test_corpus_drawings_are_read),
#undef T
    };
    return cmocka_run_group_tests_name("extract_vsdx", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the IFC reader: header, people, spaces, properties, string escapes, .ifczip. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_zip.h"

typedef tst_fixture fixture;

static ts_doc *scan_path(const fixture *f, const char *path)
{
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, f->ctx, path), TS_OK);
    assert_non_null(doc);
    return doc;
}

static ts_doc *scan_ifc(const fixture *f, const char *text)
{
    char *path = tst_write(f->dir, "modell.ifc", text, strlen(text));
    ts_doc *doc = scan_path(f, path);
    free(path);
    return doc;
}

#define MODEL                                                                                      \
    "ISO-10303-21;\n"                                                                              \
    "HEADER;\n"                                                                                    \
    "FILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\n"                             \
    "FILE_NAME('C:\\\\Users\\\\olanor\\\\Prosjekt\\\\skole.ifc','2024-03-01T10:00:00',"            \
    "('olanor'),('Arkitektkontoret AS'),'IFC engine','ARCHICAD 25','');\n"                         \
    "FILE_SCHEMA(('IFC2X3'));\n"                                                                   \
    "ENDSEC;\n"                                                                                    \
    "DATA;\n"                                                                                      \
    "#1=IFCPERSON($,'Nordmann','Kari',$,$,$,$,$);\n"                                               \
    "#2=IFCORGANIZATION($,'Arkitektkontoret AS',$,$,$);\n"                                         \
    "/* a comment with 'quotes'; and a semicolon */\n"                                             \
    "#10=IFCSPACE('3vB2YO$MX4xv5uCqZZG05x',#5,'0.012','',$,#7,#8,'SERVERROM',.ELEMENT.,"           \
    ".INTERNAL.,$);\n"                                                                             \
    "#11=IFCSPACE('0vB2YO$MX4xv5uCqZZG05y',#5,'0.013','',$,#7,#8,'M\\X2\\00F8\\X0\\terom',"        \
    ".ELEMENT.,.INTERNAL.,$);\n"                                                                   \
    "#12=IFCDOOR('1vB2YO$MX4xv5uCqZZG05z',#5,'D1',$,'ADK-leser',#7,#8,$,1.,2.);\n"                 \
    "#20=IFCPROPERTYSINGLEVALUE('IP-adresse',$,IFCLABEL('10\\X\\2E20\\X\\2E1\\X\\2E1'),$);\n"      \
    "#21=IFCPROPERTYSINGLEVALUE('Merknad',$,IFCTEXT('Kari''s notat:\n"                             \
    "passord: Sommer2024!'),$);\n"                                                                 \
    "ENDSEC;\n"                                                                                    \
    "END-ISO-10303-21;\n"

static void assert_model_findings(const ts_doc *doc)
{
    assert_null(ts_doc_error(doc));
    const ts_finding *p = tst_find(doc, "metadata.user-path");
    assert_non_null(p);
    assert_string_equal(ts_finding_value(p), "C:\\Users\\olanor\\Prosjekt\\skole.ifc");
    assert_int_equal(ts_finding_where(p), TS_WHERE_METADATA);
    const ts_finding *who = tst_find(doc, "metadata.user-name");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "olanor");
    const ts_finding *person = tst_find(doc, "metadata.author");
    assert_non_null(person);
    assert_string_equal(ts_finding_value(person), "Kari Nordmann");
    const ts_finding *org = tst_find(doc, "metadata.company");
    assert_non_null(org);
    assert_string_equal(ts_finding_value(org), "Arkitektkontoret AS");
    const ts_finding *room = tst_find(doc, "facility.server-room");
    assert_non_null(room);
    assert_int_equal(ts_finding_where(room), TS_WHERE_DRAWING);
    /* \X\2E is '.': the address exists only once the escapes are decoded */
    const ts_finding *ip = tst_find(doc, "network.ipv4-private");
    assert_non_null(ip);
    assert_string_equal(ts_finding_value(ip), "10.20.1.1");
    /* '' is a quote; the string runs over a line break */
    assert_non_null(tst_find(doc, "credential.password"));
    /* a server room and a card reader in the model: a security plan */
    assert_non_null(tst_find(doc, "facility.security-floor-plan"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK);
}

static void test_model_people_spaces_properties_and_escapes(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_ifc(f, MODEL);
    assert_string_equal(ts_doc_format(doc), "ifc");
    assert_model_findings(doc);
    const ts_finding *room = tst_find(doc, "facility.server-room");
    assert_int_equal(ts_finding_line(room), 11);
    ts_doc_free(doc);
}

static void test_ifczip_member_is_read_the_same_way(void **state)
{
    fixture *f = *state;
    fx_part parts[] = {{.name = "skole.ifc", .data = MODEL}};
    char *path = fx_zip_write(f->dir, "skole.ifczip", parts, 1);
    ts_doc *doc = scan_path(f, path);
    assert_string_equal(ts_doc_format(doc), "ifczip");
    assert_model_findings(doc);
    assert_string_equal(ts_finding_part(tst_find(doc, "facility.server-room")), "skole.ifc");
    ts_doc_free(doc);
    free(path);
}

static void test_truncated_model_grades_error(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_ifc(f, "ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\n"
                              "#1=IFCSPACE('3vB2YO$MX4xv5uCqZZG05x',#5,'SERVER");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_ECORRUPT);
    ts_doc_free(doc);
}

static void test_guids_and_geometry_give_no_findings(void **state)
{
    fixture *f = *state;
    ts_doc *doc = scan_ifc(f, "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n"
                              "#1=IFCCARTESIANPOINT((10.2,20.1,1.1));\n"
                              "#2=IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH',#5,'Vegg 1',$,$,#7,#8,$);\n"
                              "ENDSEC;\nEND-ISO-10303-21;\n");
    assert_null(ts_doc_error(doc));
    assert_int_equal(ts_doc_finding_count(doc), 0);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

static void test_corpus_models_name_their_people(void **state)
{
    fixture *f = *state;
    if (!tst_have_corpus())
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/ifc/ifcopenshell_opencde_archicad_nor_test.ifc", TS_CORPUS_DIR);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        skip();
    fclose(fp);
    ts_doc *doc = scan_path(f, path);
    assert_null(ts_doc_error(doc));
    const ts_finding *p = tst_find(doc, "metadata.user-path");
    assert_non_null(p);
    assert_string_equal(ts_finding_value(p), "C:\\Users\\Yoga\\Desktop\\test.ifc");
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_REVIEW);
    ts_doc_free(doc);

    snprintf(path, sizeof path, "%s/ifc/ifcopenshell_revit2011_wall1.ifc", TS_CORPUS_DIR);
    doc = scan_path(f, path);
    assert_null(ts_doc_error(doc));
    const ts_finding *who = tst_find(doc, "metadata.user-name");
    assert_non_null(who);
    assert_string_equal(ts_finding_value(who), "markviks");
    ts_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tst_setup, tst_teardown)
        T(test_model_people_spaces_properties_and_escapes),
        T(test_ifczip_member_is_read_the_same_way),
        T(test_truncated_model_grades_error),
        T(test_guids_and_geometry_give_no_findings),
        T(test_corpus_models_name_their_people),
#undef T
    };
    return cmocka_run_group_tests_name("extract_ifc", tests, NULL, NULL);
}

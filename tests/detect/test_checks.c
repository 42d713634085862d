/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the drawing verdict: shapes, connectors and addresses per page become findings. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "detect/checks.h"

typedef struct fixture {
    ts_ctx *ctx;
    ts_doc *doc;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->ctx = tst_ctx_default();
    assert_int_equal(ts_doc_create(&f->doc, f->ctx, "plan.drawio", 0, NULL), TS_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ts_doc_free(f->doc);
    ts_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void shape(ts_doc *doc, unsigned page, const char *label)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = page};
    assert_int_equal(ts_doc_shape(doc, &loc, label, strlen(label)), TS_OK);
}

static void connectors(ts_doc *doc, unsigned page, size_t n)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = page};
    assert_int_equal(ts_doc_connectors(doc, &loc, n), TS_OK);
}

static void text(ts_doc *doc, unsigned page, const char *t)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = page};
    assert_int_equal(ts_doc_text(doc, &loc, t, strlen(t)), TS_OK);
}

static const ts_finding *verdict(fixture *f, const char *rule)
{
    assert_int_equal(ts_checks_run(f->doc), TS_OK);
    return tst_find(f->doc, rule);
}

static void test_devices_joined_by_connectors_are_a_network_diagram(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "mxgraph.cisco.security.firewall FW01");
    shape(f->doc, 1, "mxgraph.cisco.switches.workgroup_switch Kjernesvitsj");
    shape(f->doc, 1, "Aksessvitsj 2. etg");
    connectors(f->doc, 1, 2);
    const ts_finding *v = verdict(f, "diagram.network");
    assert_non_null(v);
    assert_int_equal(ts_finding_category(v), TS_CAT_DIAGRAM);
    assert_int_equal(ts_finding_severity(v), TS_SEV_HIGH);
    assert_int_equal(ts_finding_page(v), 1);
    assert_string_equal(ts_finding_detail(v),
                        "3 network devices (firewall, 2 switches), 2 connectors");
}

static void test_detail_names_devices_connectors_and_addresses(void **state)
{
    fixture *f = *state;
    assert_int_equal(ts_doc_page_name(f->doc, 2, "Nettverk"), TS_OK);
    shape(f->doc, 2, "Brannmur");
    shape(f->doc, 2, "Switch A");
    shape(f->doc, 2, "Switch B");
    connectors(f->doc, 2, 4);
    text(f->doc, 2, "Klientnett 10.0.0.0/24");
    const ts_finding *v = verdict(f, "diagram.network");
    assert_non_null(v);
    assert_string_equal(ts_finding_value(v), "Nettverk");
    assert_string_equal(ts_finding_part(v), "Nettverk");
    assert_string_equal(ts_finding_detail(v), "3 network devices (firewall, 2 switches), "
                                              "4 connectors, network details 10.0.0.0/24");
}

static void test_two_devices_with_an_address_are_a_network_diagram(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "Router");
    shape(f->doc, 1, "Server");
    text(f->doc, 1, "Servernett 10.20.30.0/24");
    assert_non_null(verdict(f, "diagram.network"));
}

static void test_an_address_on_another_page_does_not_count(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "Router");
    shape(f->doc, 1, "Server");
    text(f->doc, 2, "Servernett 10.20.30.0/24");
    assert_null(verdict(f, "diagram.network"));
}

static void test_one_device_with_connectors_is_no_diagram(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "Firewall");
    shape(f->doc, 1, "Kontor");
    shape(f->doc, 1, "Møterom");
    connectors(f->doc, 1, 5);
    assert_null(verdict(f, "diagram.network"));
}

static void test_light_switches_and_service_are_no_network_devices(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "Light switch");
    shape(f->doc, 1, "Lysbryter");
    shape(f->doc, 1, "Service desk");
    shape(f->doc, 1, "Skriverom");
    connectors(f->doc, 1, 3);
    assert_null(verdict(f, "diagram.network"));
}

static void test_short_words_need_word_boundaries(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "Swimming pool"); /* "sw" inside a word */
    shape(f->doc, 1, "Ruteplan");      /* "ruter" followed by another word */
    shape(f->doc, 1, "Adkomst");       /* "adk" inside a word */
    shape(f->doc, 1, "Bygningsmessige arbeider");
    connectors(f->doc, 1, 3);
    assert_null(verdict(f, "diagram.network"));
    assert_null(tst_find(f->doc, "facility.security-floor-plan"));
}

static void test_norwegian_inflections_are_devices(void **state)
{
    fixture *f = *state;
    shape(f->doc, 1, "Ruteren");
    shape(f->doc, 1, "SW-01");
    shape(f->doc, 1, "Kjernesvitsjen");
    connectors(f->doc, 1, 2);
    const ts_finding *v = verdict(f, "diagram.network");
    assert_non_null(v);
    assert_string_equal(ts_finding_detail(v),
                        "3 network devices (router, 2 switches), 2 connectors");
}

static void test_clean_floor_plan_gets_no_verdict(void **state)
{
    fixture *f = *state;
    const char *labels[] = {"Kontor 101", "Kontor 102", "Møterom", "Gang",        "WC",   "Trapp",
                            "Dør D1",     "Vindu V2",   "3600",    "Teknisk rom", "Lager"};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        shape(f->doc, 0, labels[i]);
    connectors(f->doc, 0, 12);
    assert_int_equal(ts_checks_run(f->doc), TS_OK);
    assert_null(tst_find_cat(f->doc, TS_CAT_DIAGRAM));
    assert_null(tst_find_cat(f->doc, TS_CAT_FACILITY));
}

static void test_server_room_and_card_reader_make_a_security_floor_plan(void **state)
{
    fixture *f = *state;
    shape(f->doc, 0, "SERVERROM");
    shape(f->doc, 0, "ADK-leser");
    shape(f->doc, 0, "Kontor 101");
    const ts_finding *v = verdict(f, "facility.security-floor-plan");
    assert_non_null(v);
    assert_int_equal(ts_finding_category(v), TS_CAT_FACILITY);
    assert_string_equal(ts_finding_value(v), "plan.drawio");
    assert_string_equal(ts_finding_detail(v),
                        "2 security elements (server room, access-control reader)");
    /* a server room is a room, not a server */
    assert_null(tst_find(f->doc, "diagram.network"));
}

static void test_three_cameras_make_a_security_floor_plan(void **state)
{
    fixture *f = *state;
    shape(f->doc, 0, "Kamera 1");
    shape(f->doc, 0, "Kamera 2");
    shape(f->doc, 0, "CCTV inngang");
    const ts_finding *v = verdict(f, "facility.security-floor-plan");
    assert_non_null(v);
    assert_string_equal(ts_finding_detail(v), "3 security elements (3 cameras)");
}

static void test_one_server_room_alone_is_no_security_floor_plan(void **state)
{
    fixture *f = *state;
    shape(f->doc, 0, "Serverrom");
    shape(f->doc, 0, "Brannalarmsentral");
    shape(f->doc, 0, "Kontor");
    assert_null(verdict(f, "facility.security-floor-plan"));
}

static void shape_id(ts_doc *doc, unsigned page, const char *id, const char *label)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = page};
    assert_int_equal(ts_doc_shape_id(doc, &loc, id, label, strlen(label), NULL, 0), TS_OK);
}

static void edge(ts_doc *doc, unsigned page, const char *from, const char *to)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = page};
    assert_int_equal(ts_doc_edge(doc, &loc, from, to), TS_OK);
}

/*
 * Connectors by ids are resolved at the end (an edge may come before its shapes): joins between
 * network elements are named, the first four of them, each once (either way round); joins of
 * other shapes, loose ends and unknown ids are counted only. Long labels are cut on a character.
 */
static void test_connectors_name_what_they_join(void **state)
{
    fixture *f = *state;
    edge(f->doc, 1, "fw", "core");
    edge(f->doc, 1, "core", "fw"); /* the same join the other way */
    shape_id(f->doc, 1, "fw", "Brannmur\nfw01.oslo.local");
    shape_id(f->doc, 1, "core", "Kjernesvitsj");
    shape_id(f->doc, 1, "a1", "Aksessvitsj 1");
    shape_id(f->doc, 1, "a2", "Aksessvitsj 2");
    shape_id(f->doc, 1, "a3", "Aksessvitsj 3");
    shape_id(f->doc, 1, "srv",
             "Server «Økonomi og lønn» – alle avdelinger, bygg A, B og C, 3. etasje");
    shape_id(f->doc, 1, "k1", "Kontor 101");
    shape_id(f->doc, 1, "k2", "Kontor 102");
    edge(f->doc, 1, "core", "a1");
    edge(f->doc, 1, "core", "a2");
    edge(f->doc, 1, "core", "a3");
    edge(f->doc, 1, "core", "srv");
    edge(f->doc, 1, "k1", "k2");        /* no network element: counted */
    edge(f->doc, 1, "core", "nowhere"); /* an unknown id: counted */
    edge(f->doc, 1, NULL, "core");      /* a loose end: counted */
    const ts_finding *v = verdict(f, "diagram.network");
    assert_non_null(v);
    const char *d = ts_finding_detail(v);
    if (strstr(d, ", 9 connectors; connected: Brannmur fw01.oslo.local - Kjernesvitsj, "
                  "Kjernesvitsj - Aksessvitsj 1, Kjernesvitsj - Aksessvitsj 2, Kjernesvitsj - "
                  "Aksessvitsj 3 (+1 more)") == NULL)
        fail_msg("detail: %s", d);
    assert_null(strstr(d, "Kontor"));
}

/* A join's label is cut at 48 bytes without splitting a character. */
static void test_long_labels_in_joins_are_cut_on_a_character(void **state)
{
    fixture *f = *state;
    /* 46 ASCII bytes, "ø" at bytes 46-47, "æ" at 48-49: the cut falls between them */
    shape_id(f->doc, 1, "b", "Kjernesvitsj aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaøæ");
    /* 47 ASCII bytes, "ø" at bytes 47-48: the cut would split it, so it goes */
    shape_id(f->doc, 1, "c", "Server aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaø");
    shape_id(f->doc, 1, "a", "Brannmur");
    edge(f->doc, 1, "a", "b");
    edge(f->doc, 1, "b", "c");
    const ts_finding *v = verdict(f, "diagram.network");
    assert_non_null(v);
    const char *d = ts_finding_detail(v);
    if (strstr(d, "connected: Brannmur - Kjernesvitsj aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaø, "
                  "Kjernesvitsj aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaø - Server "
                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == NULL ||
        strstr(d, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3") != NULL)
        fail_msg("detail: %s", d);
}

static void test_document_without_signals_gets_nothing(void **state)
{
    fixture *f = *state;
    text(f->doc, 0, "Klientnett 10.0.0.0/24, VLAN 20");
    size_t before = ts_doc_finding_count(f->doc);
    assert_int_equal(ts_checks_run(f->doc), TS_OK);
    assert_int_equal(ts_doc_finding_count(f->doc), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_devices_joined_by_connectors_are_a_network_diagram),
        T(test_detail_names_devices_connectors_and_addresses),
        T(test_two_devices_with_an_address_are_a_network_diagram),
        T(test_an_address_on_another_page_does_not_count),
        T(test_one_device_with_connectors_is_no_diagram),
        T(test_light_switches_and_service_are_no_network_devices),
        T(test_short_words_need_word_boundaries),
        T(test_norwegian_inflections_are_devices),
        T(test_clean_floor_plan_gets_no_verdict),
        T(test_server_room_and_card_reader_make_a_security_floor_plan),
        T(test_three_cameras_make_a_security_floor_plan),
        T(test_one_server_room_alone_is_no_security_floor_plan),
        T(test_connectors_name_what_they_join),
        T(test_long_labels_in_joins_are_cut_on_a_character),
        T(test_document_without_signals_gets_nothing),
#undef T
    };
    return cmocka_run_group_tests_name("detect_checks", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the sarif reporter: golden output, the SARIF 2.1.0 schema, levels, locations. */
#include "support/ts_golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "core/core.h"

#define SCHEMA TS_SOURCE_DIR "/../shared/schemas/sarif-schema-2.1.0.json"

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

/* runs[0] of a SARIF log (borrowed from log). */
static json_t *run_of(json_t *log)
{
    json_t *runs = json_object_get(log, "runs");
    assert_int_equal(json_array_size(runs), 1);
    return json_array_get(runs, 0);
}

static const char *str_at(json_t *obj, const char *path)
{
    json_t *v = obj;
    char key[64];
    for (const char *p = path; v != NULL && *p != '\0';) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, p);
        v = json_object_get(v, key);
        p += n + (p[n] == '.');
    }
    if (!json_is_string(v))
        fail_msg("no string at %s", path);
    return json_string_value(v);
}

/* The first result of rule `id`, or NULL. */
static json_t *result_of(json_t *run, const char *id)
{
    json_t *results = json_object_get(run, "results");
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *r = json_array_get(results, i);
        if (strcmp(str_at(r, "ruleId"), id) == 0)
            return r;
    }
    return NULL;
}

/* A Python that has the jsonschema module ("python3-jsonschema"), or NULL. */
static const char *python_with_jsonschema(void)
{
    static const char *const candidates[] = {"/usr/bin/python3", "python3"};
    char cmd[256];
    for (size_t i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "%s -c 'import jsonschema' >/dev/null 2>&1", candidates[i]);
        if (system(cmd) == 0)
            return candidates[i];
    }
    return NULL;
}

/*
 * Validate a SARIF text against the OASIS schema: 0 when valid, 1 when not (the validator's
 * first errors in `msg`), -1 when the schema or a validator is absent (the caller skips).
 */
static int schema_check(const char *sarif, size_t len, char *msg, size_t size)
{
    msg[0] = '\0';
    if (access(SCHEMA, R_OK) != 0) {
        snprintf(msg, size, "no SARIF schema at %s", SCHEMA);
        return -1;
    }
    const char *py = python_with_jsonschema();
    if (py == NULL) {
        snprintf(msg, size, "no python3 with jsonschema (Debian python3-jsonschema)");
        return -1;
    }
    char *dir = tst_tmpdir();
    char *path = tst_write(dir, "report.sarif", sarif, len);
    char cmd[8192];
    /* the library API rather than the deprecated `python3 -m jsonschema` command line */
    snprintf(cmd, sizeof cmd,
             "%s -c 'import json, sys, jsonschema\n"
             "schema = json.load(open(sys.argv[1]))\n"
             "cls = jsonschema.validators.validator_for(schema)\n"
             "cls.check_schema(schema)\n"
             "errors = sorted(cls(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)\n"
             "[print(e.message, list(e.absolute_path)) for e in errors[:5]]\n"
             "sys.exit(1 if errors else 0)' '%s' '%s' 2>&1",
             py, SCHEMA, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(msg, 1, size - 1, p);
    msg[n] = '\0';
    int status = pclose(p);
    tst_rmtree(dir);
    free(path);
    free(dir);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* Skip before anything is allocated: skip() leaves the test at once, and LSan sees leaks. */
static void require_validator(void)
{
    if (access(SCHEMA, R_OK) != 0) {
        print_message("skipped: no SARIF schema at %s\n", SCHEMA);
        skip();
    }
    if (python_with_jsonschema() == NULL) {
        print_message("skipped: no python3 with jsonschema (Debian python3-jsonschema)\n");
        skip();
    }
}

static void assert_schema_valid(const char *sarif, size_t len)
{
    char msg[4096];
    int rc = schema_check(sarif, len, msg, sizeof msg);
    if (rc < 0) {
        print_message("skipped: %s\n", msg);
        skip();
    }
    if (rc != 0)
        fail_msg("not valid SARIF 2.1.0:\n%s", msg);
}

static void test_sarif_report_matches_golden(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    size_t len = 0;
    char *out = tst_render("sarif", &opts, fx->docs, fx->ndocs, &len);
    tst_check_golden("fixed.sarif", out, len);
    free(out);
}

static void test_sarif_validates_against_the_sarif_2_1_0_schema(void **state)
{
    require_validator();
    tst_report_fx *fx = *state;
    ts_doc *hostile = tst_report_hostile(fx);
    ts_doc *all[TST_FX_DOCS + 1];
    memcpy(all, fx->docs, sizeof(fx->docs));
    all[TST_FX_DOCS] = hostile;
    for (int nb = 0; nb < 2; nb++) {
        ts_report_opts opts = {.lang = nb ? TS_LANG_NB : TS_LANG_EN, .show_secrets = nb};
        size_t len = 0;
        char *out = tst_render("sarif", &opts, all, TST_FX_DOCS + 1, &len);
        assert_schema_valid(out, len);
        free(out);
        out = tst_render("sarif", &opts, NULL, 0, &len);
        assert_schema_valid(out, len);
        free(out);
    }
    ts_doc_free(hostile);
}

/* The schema check itself must be able to fail, or it proves nothing. */
static void test_sarif_schema_check_rejects_a_broken_log(void **state)
{
    require_validator();
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    size_t len = 0;
    char *out = tst_render("sarif", &opts, fx->docs, 1, &len);
    char *bad = strstr(out, "\"level\":\"error\"");
    assert_non_null(bad);
    memcpy(bad, "\"level\":\"fatal\"", 15);
    char msg[4096];
    int rc = schema_check(out, len, msg, sizeof msg);
    free(out);
    if (rc < 0) {
        print_message("skipped: %s\n", msg);
        skip();
    }
    assert_int_equal(rc, 1);
    assert_non_null(strstr(msg, "fatal"));
}

static void test_sarif_levels_follow_severities(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, fx->docs, fx->ndocs, NULL);
    json_t *log = tst_parse_json(out);
    json_t *run = run_of(log);
    static const char *const want[][2] = {
        {"credential.password", "error"},    {"firewall.acl", "error"},
        {"network.ipv4-private", "warning"}, {"hidden.comment", "warning"},
        {"facility.server-room", "warning"}, {"metadata.author", "note"},
        {"tenderscan.unreadable", "error"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *r = result_of(run, want[i][0]);
        if (r == NULL)
            fail_msg("no result of %s", want[i][0]);
        assert_string_equal(str_at(r, "level"), want[i][1]);
        assert_string_equal(str_at(r, "kind"), "fail");
    }
    json_decref(log);
    free(out);
}

static void test_sarif_results_point_at_their_rule_and_artifact(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_NB};
    char *out = tst_render("sarif", &opts, fx->docs, fx->ndocs, NULL);
    json_t *log = tst_parse_json(out);
    json_t *run = run_of(log);
    json_t *rules =
        json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    json_t *arts = json_object_get(run, "artifacts");
    json_t *results = json_object_get(run, "results");
    size_t findings = 0, entries = 0;
    for (size_t i = 0; i < fx->ndocs; i++) {
        findings += ts_doc_finding_count(fx->docs[i]) + (ts_doc_error(fx->docs[i]) != NULL);
        entries++;
        for (size_t c = 0; c < ts_doc_child_count(fx->docs[i]); c++, entries++)
            findings += ts_doc_finding_count(ts_doc_child_at(fx->docs[i], c));
    }
    assert_int_equal(json_array_size(results), findings);
    assert_int_equal(json_array_size(arts), entries);
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *r = json_array_get(results, i);
        json_int_t ri = json_integer_value(json_object_get(r, "ruleIndex"));
        assert_in_range(ri, 0, json_array_size(rules) - 1);
        json_t *rule = json_array_get(rules, (size_t)ri);
        assert_string_equal(str_at(rule, "id"), str_at(r, "ruleId"));
        /* every rule tells what to do */
        assert_true(strlen(str_at(rule, "help.text")) > 10);
        assert_true(strlen(str_at(rule, "shortDescription.text")) > 3);
        json_t *loc = json_array_get(json_object_get(r, "locations"), 0);
        json_t *al = json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation");
        json_int_t ai = json_integer_value(json_object_get(al, "index"));
        assert_in_range(ai, 0, json_array_size(arts) - 1);
        assert_string_equal(str_at(al, "uri"),
                            str_at(json_array_get(arts, (size_t)ai), "location.uri"));
    }
    /* a rule is described once, however many results it has */
    for (size_t i = 0; i < json_array_size(rules); i++)
        for (size_t k = i + 1; k < json_array_size(rules); k++)
            assert_string_not_equal(str_at(json_array_get(rules, i), "id"),
                                    str_at(json_array_get(rules, k), "id"));
    /* the grade of each document travels with its artifact */
    assert_string_equal(str_at(json_array_get(arts, 0), "properties.grade"), "block");
    assert_string_equal(str_at(json_array_get(arts, 3), "properties.grade"), "error");
    /* the child's name holds a password: the URI masks it as every report does */
    const char *uri = str_at(json_array_get(arts, 5), "location.uri");
    assert_non_null(strstr(uri, "anbud/vedlegg.zip!nett/passord:" TST_NAME_MASKED));
    assert_non_null(strstr(uri, "%20plan.txt"));
    assert_null(strstr(out, TST_NAME_SECRET));
    json_decref(log);
    free(out);
}

static void test_sarif_locations_carry_line_page_and_part(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, fx->docs, fx->ndocs, NULL);
    json_t *log = tst_parse_json(out);
    json_t *run = run_of(log);
    /* a comment on page 3 in word/comments.xml: page as a property, part as a logical location */
    json_t *r = result_of(run, "credential.password");
    json_t *loc = json_array_get(json_object_get(r, "locations"), 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(loc, "properties"), "page")), 3);
    assert_string_equal(str_at(loc, "properties.where"), "comment");
    json_t *logical = json_array_get(json_object_get(loc, "logicalLocations"), 0);
    assert_string_equal(str_at(logical, "fullyQualifiedName"), "word/comments.xml");
    assert_string_equal(str_at(loc, "message.text"), "comment, page 3, word/comments.xml");
    assert_null(json_object_get(json_object_get(loc, "physicalLocation"), "region"));
    /* a text file: the line as a region, with the text around the value as its snippet */
    r = result_of(run, "network.ipv4-private");
    json_t *results = json_object_get(run, "results");
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *c = json_array_get(results, i);
        json_t *l = json_array_get(json_object_get(c, "locations"), 0);
        if (strstr(str_at(l, "physicalLocation.artifactLocation.uri"), "plan.txt") != NULL &&
            strcmp(str_at(c, "ruleId"), "network.ipv4-private") == 0) {
            json_t *region = json_object_get(json_object_get(l, "physicalLocation"), "region");
            assert_int_equal(json_integer_value(json_object_get(region, "startLine")), 1);
            assert_non_null(strstr(str_at(region, "snippet.text"), "10.1.2.3"));
            r = NULL;
        }
    }
    assert_null(r);
    json_decref(log);
    free(out);
}

static void test_sarif_fingerprint_is_in_partial_fingerprints(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, fx->docs, 1, NULL);
    json_t *log = tst_parse_json(out);
    json_t *results = json_object_get(run_of(log), "results");
    assert_int_equal(json_array_size(results), ts_doc_finding_count(fx->docs[0]));
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *pf = json_object_get(json_array_get(results, i), "partialFingerprints");
        assert_string_equal(str_at(pf, "valueHmacSha256/v1"),
                            ts_finding_fingerprint(ts_doc_finding_at(fx->docs[0], i)));
    }
    json_decref(log);
    free(out);
}

static void test_sarif_unreadable_document_is_an_error_result_and_a_notification(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, &fx->docs[3], 1, NULL);
    json_t *log = tst_parse_json(out);
    json_t *run = run_of(log);
    json_t *r = result_of(run, "tenderscan.unreadable");
    assert_non_null(r);
    assert_string_equal(str_at(r, "message.text"), ts_doc_error_text(fx->docs[3], TS_LANG_EN));
    json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
    json_t *notes = json_object_get(inv, "toolExecutionNotifications");
    assert_int_equal(json_array_size(notes), 1);
    assert_string_equal(str_at(json_array_get(notes, 0), "level"), "error");
    json_decref(log);
    free(out);
}

static void test_sarif_credential_is_masked_unless_show_secrets(void **state)
{
    tst_report_fx *fx = *state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, fx->docs, 1, NULL);
    assert_null(strstr(out, TST_SECRET));
    json_t *log = tst_parse_json(out);
    json_t *r = result_of(run_of(log), "credential.password");
    assert_string_equal(str_at(r, "message.text"), "Password in the document: " TST_MASKED);
    json_decref(log);
    free(out);
    opts.show_secrets = 1;
    out = tst_render("sarif", &opts, fx->docs, 1, NULL);
    assert_non_null(strstr(out, TST_SECRET));
    free(out);
}

static void test_sarif_uri_is_percent_encoded(void **state)
{
    tst_report_fx *fx = *state;
    ts_doc *hostile = tst_report_hostile(fx);
    ts_doc *docs[2] = {fx->docs[0], hostile};
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, docs, 2, NULL);
    json_t *log = tst_parse_json(out);
    json_t *arts = json_object_get(run_of(log), "artifacts");
    assert_string_equal(str_at(json_array_get(arts, 0), "location.uri"),
                        "anbud/Kravspesifikasjon%20%C3%A6%C3%B8%C3%A5.docx");
    assert_string_equal(str_at(json_array_get(arts, 1), "location.uri"),
                        "%3Cscript%3Ealert(1)%3C/script%3E%22%3E%3Cimg%20src=x%20onerror=alert(1)"
                        "%3E;,.txt");
    json_decref(log);
    free(out);
    ts_doc_free(hostile);
}

static void test_sarif_zero_documents_is_a_log_with_no_results(void **state)
{
    (void)state;
    ts_report_opts opts = {.lang = TS_LANG_EN};
    char *out = tst_render("sarif", &opts, NULL, 0, NULL);
    json_t *log = tst_parse_json(out);
    assert_string_equal(str_at(log, "version"), "2.1.0");
    json_t *run = run_of(log);
    assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
    assert_int_equal(json_array_size(json_object_get(run, "artifacts")), 0);
    assert_string_equal(str_at(run, "tool.driver.name"), "tenderscan");
    json_decref(log);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sarif_report_matches_golden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sarif_validates_against_the_sarif_2_1_0_schema, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sarif_schema_check_rejects_a_broken_log, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sarif_levels_follow_severities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sarif_results_point_at_their_rule_and_artifact, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sarif_locations_carry_line_page_and_part, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sarif_fingerprint_is_in_partial_fingerprints, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_sarif_unreadable_document_is_an_error_result_and_a_notification, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sarif_credential_is_masked_unless_show_secrets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sarif_uri_is_percent_encoded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sarif_zero_documents_is_a_log_with_no_results, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("report_sarif", tests, NULL, NULL);
}

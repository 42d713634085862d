/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The jsonl reporter's run line: written only when asked, read back by ts_run_info_read. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

static char *jsonl(const ts_doc *doc, const ts_run_info *run)
{
    ts_out *o = NULL;
    ts_report *r = NULL;
    ts_report_opts ro = {.lang = TS_LANG_EN, .run = run};
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_report_new(&r, "jsonl", o, &ro), TS_OK);
    assert_int_equal(ts_report_document(r, doc), TS_OK);
    assert_int_equal(ts_report_end(r), TS_OK);
    char *text = strdup(ts_out_memory(o, NULL));
    assert_non_null(text);
    ts_report_free(r);
    ts_out_free(o);
    return text;
}

static void test_a_shard_report_starts_with_its_run_line(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    ts_doc *doc = tst_scan_text(ctx, "server 10.1.2.3\n");
    ts_run_info run = {
        .shard_k = 2, .shard_n = 8, .files = 40, .documents = 5, .started = "2025-01-31T09:30:00Z"};
    assert_int_equal(ts_ctx_digest(ctx, run.digest), TS_OK);
    char *plain = jsonl(doc, NULL), *shard = jsonl(doc, &run);
    /* without a run: one document per line, as before */
    assert_int_equal(strncmp(plain, "{\"path\":", 8), 0);
    char *nl = strchr(shard, '\n');
    assert_non_null(nl);
    assert_string_equal(nl + 1, plain);
    static const char head[] = "{\"run\":{\"shard\":\"2/8\",\"files\":40,\"documents\":5,";
    assert_int_equal(strncmp(shard, head, strlen(head)), 0);
    ts_run_info back;
    assert_int_equal(ts_run_info_read(&back, shard, (size_t)(nl - shard)), TS_OK);
    assert_int_equal(back.shard_k, 2);
    assert_int_equal(back.shard_n, 8);
    assert_int_equal(back.files, 40);
    assert_int_equal(back.documents, 5);
    assert_string_equal(back.digest, run.digest);
    assert_string_equal(back.started, run.started);
    /* a document line is not a run line; the document reader says which it is */
    assert_int_equal(ts_run_info_read(&back, plain, strlen(plain)), TS_ENOTFOUND);
    ts_doc *again = NULL;
    char why[128];
    assert_int_equal(ts_doc_read_report(&again, ctx, shard, (size_t)(nl - shard), why, sizeof why),
                     TS_ENOTFOUND);
    assert_null(again);
    free(plain);
    free(shard);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_a_malformed_run_line_is_refused(void **state)
{
    (void)state;
    static const char digest[] = "00000000000000000000000000000000000000000000000000000000000000ff";
    const char *shards[] = {"\"0/3\"",  "\"4/3\"",  "\"a/b\"", "\"1/ 3\"",
                            "\"-1/3\"", "\"1/3x\"", "3"};
    char line[512];
    ts_run_info ri;
    snprintf(line, sizeof line,
             "{\"run\":{\"shard\":\"1/3\",\"files\":3,\"documents\":1,\"digest\":\"%s\","
             "\"started\":\"2025-01-31T09:30:00Z\"}}",
             digest);
    assert_int_equal(ts_run_info_read(&ri, line, strlen(line)), TS_OK);
    for (size_t i = 0; i < sizeof shards / sizeof shards[0]; i++) {
        snprintf(line, sizeof line,
                 "{\"run\":{\"shard\":%s,\"files\":3,\"documents\":1,\"digest\":\"%s\","
                 "\"started\":\"2025-01-31T09:30:00Z\"}}",
                 shards[i], digest);
        if (ts_run_info_read(&ri, line, strlen(line)) != TS_ECORRUPT)
            fail_msg("shard %s was taken", shards[i]);
    }
    const char *others[] = {"{\"run\":{\"shard\":\"1/3\",\"files\":3,\"documents\":1}}",
                            ("{\"run\":{\"shard\":\"1/3\",\"files\":-3,\"documents\":1,"
                             "\"digest\":\"x\",\"started\":\"\"}}"),
                            "{\"run\":[]}", "{\"run\":", "[]"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_int_equal(ts_run_info_read(&ri, others[i], strlen(others[i])), TS_ECORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_shard_report_starts_with_its_run_line),
        cmocka_unit_test(test_a_malformed_run_line_is_refused),
    };
    return cmocka_run_group_tests_name("report_jsonl", tests, NULL, NULL);
}

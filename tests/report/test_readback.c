/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of ts_doc_read_report/ts_doc_adopt: a jsonl report read back reports as it was written. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_zip.h"

static const char NETWORK[] = "Kjernesvitsj har adresse 10.20.1.1/24\npassord: Sommer2024!\n"
                              "permit udp 10.9.9.0/24 range 1 2 10.9.9.0/24 eq 3784\n";
static const char LETTER[] = "Tilbudet leveres innen fristen.\n";

typedef struct fx {
    ts_ctx *ctx;
    char *dir;
    ts_doc *docs[4]; /* pakke.zip (children, a grandchild, an unreadable member), a text file,
                        an empty file, a path that could not be opened */
} fx;

#define NDOCS (sizeof(((fx *)0)->docs) / sizeof(((fx *)0)->docs[0]))

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->ctx = tst_ctx_default();
    f->dir = tst_tmpdir();
    const fx_part inner_parts[] = {{.name = "ip.txt", .data = "server 10.0.0.5\n"}};
    char *inner = fx_zip_write(f->dir, "indre.zip", inner_parts, 1);
    size_t inner_len = 0;
    char *inner_data = tst_slurp(inner, &inner_len);
    assert_non_null(inner_data);
    const fx_part parts[] = {
        {.name = "nettverk.txt", .data = NETWORK},
        {.name = "brev.txt", .data = LETTER},
        {.name = "indre.zip", .data = inner_data, .len = inner_len},
        {.name = "tegning.pdf", .data = "%PDF-1.7\nnot really\n"},
    };
    char *path = fx_zip_write(f->dir, "pakke.zip", parts, 4);
    assert_int_equal(ts_scan_file(&f->docs[0], f->ctx, path), TS_OK);
    /* a name that is not UTF-8 and holds a password: the report shows it escaped and masked */
    char *text = tst_write(f->dir, "ruter\xE6 pw_Vinter#22.cfg", NETWORK, strlen(NETWORK));
    assert_int_equal(ts_scan_file(&f->docs[1], f->ctx, text), TS_OK);
    char *empty = tst_write(f->dir, "tom.txt", "", 0);
    assert_int_equal(ts_scan_file(&f->docs[2], f->ctx, empty), TS_OK);
    assert_int_equal(ts_doc_new_failed(&f->docs[3], "borte/plan.docx", TS_EIO,
                                       "No such file or directory"),
                     TS_OK);
    free(inner);
    free(inner_data);
    free(path);
    free(text);
    free(empty);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < NDOCS; i++)
        ts_doc_free(f->docs[i]);
    ts_ctx_free(f->ctx);
    tst_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* A report of `n` top-level documents in one format. */
static char *report(ts_doc *const *docs, size_t n, const char *format, ts_lang lang, int show)
{
    ts_out *o = NULL;
    ts_report *r = NULL;
    ts_report_opts ro = {.lang = lang, .show_secrets = show};
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_report_new(&r, format, o, &ro), TS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ts_report_document(r, docs[i]), TS_OK);
    assert_int_equal(ts_report_end(r), TS_OK);
    char *s = strdup(ts_out_memory(o, NULL));
    assert_non_null(s);
    ts_report_free(r);
    ts_out_free(o);
    return s;
}

/* Is `doc` inside `anc` (path `anc!…`)? */
static int is_inside(const ts_doc *doc, const ts_doc *anc)
{
    size_t la = strlen(ts_doc_path(anc));
    return strncmp(ts_doc_path(doc), ts_doc_path(anc), la) == 0 && ts_doc_path(doc)[la] == '!';
}

/* Read a jsonl report back into top-level documents, children adopted bottom up as merge does. */
static size_t read_back(const ts_ctx *ctx, const char *jsonl, ts_doc **out, size_t max)
{
    ts_doc *chain[16];
    size_t depth = 0, n = 0;
    for (const char *p = jsonl; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        ts_doc *doc = NULL;
        char why[200];
        ts_status st = ts_doc_read_report(&doc, ctx, p, len, why, sizeof why);
        if (st != TS_OK)
            fail_msg("line not read back (%d): %s", st, why);
        while (depth > 0 && !is_inside(doc, chain[depth - 1])) {
            depth--;
            if (depth > 0)
                assert_int_equal(ts_doc_adopt(chain[depth - 1], chain[depth]), TS_OK);
            else
                out[n++] = chain[0];
        }
        assert_true(depth < 16 && n < max);
        chain[depth++] = doc;
        p += len + (nl ? 1 : 0);
    }
    while (depth > 0) {
        depth--;
        if (depth > 0)
            assert_int_equal(ts_doc_adopt(chain[depth - 1], chain[depth]), TS_OK);
        else
            out[n++] = chain[0];
    }
    return n;
}

static void free_docs(ts_doc **docs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ts_doc_free(docs[i]);
}

/*
 * scan → jsonl → read back → every report of the documents read back equals the scanned ones',
 * byte for byte, each format and language: the grandchild nests, the error documents keep their
 * status, reasons and scores are worked out as the scan did. Masked and unmasked reports alike.
 */
static void test_jsonl_read_back_reports_as_scanned(void **state)
{
    fx *f = *state;
    assert_int_equal(ts_doc_child_count(f->docs[0]), 4);
    assert_int_equal(ts_doc_child_count(ts_doc_child_at(f->docs[0], 2)), 1);
    static const char *const formats[] = {"jsonl", "json", "text", "csv", "sarif", "html"};
    for (int show = 0; show < 2; show++) {
        char *jsonl = report(f->docs, NDOCS, "jsonl", TS_LANG_EN, show);
        assert_true((strstr(jsonl, "Sommer2024!") != NULL) == (show == 1));
        assert_true((strstr(jsonl, "Vinter#22") != NULL) == (show == 1));
        assert_non_null(strstr(jsonl, show ? "ruter\\\\xE6 pw_Vinter#22.cfg"
                                           : "ruter\\\\xE6 pw_Vi*****22~"));
        ts_doc *back[8];
        assert_int_equal(read_back(f->ctx, jsonl, back, 8), NDOCS);
        for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
            for (int lang = 0; lang < 2; lang++) {
                char *a = report(f->docs, NDOCS, formats[i], (ts_lang)lang, show);
                char *b = report(back, NDOCS, formats[i], (ts_lang)lang, show);
                if (strcmp(a, b) != 0)
                    fail_msg("%s (lang %d, show %d) differs after read-back:\n%s\n---\n%s",
                             formats[i], lang, show, a, b);
                free(a);
                free(b);
            }
        }
        assert_int_equal(ts_doc_child_count(ts_doc_child_at(back[0], 2)), 1);
        assert_int_equal(ts_doc_error_status(ts_doc_child_at(back[0], 3)), TS_ECORRUPT);
        assert_int_equal(ts_doc_error_status(back[2]), TS_EEMPTY);
        assert_int_equal(ts_doc_error_status(back[3]), TS_EIO);
        assert_string_equal(ts_doc_error(back[3]),
                            "could not be opened or read: No such file or directory");
        free_docs(back, NDOCS);
        free(jsonl);
    }
}

/* A report written in English reads in Norwegian after read-back: reasons, error and titles. */
static void test_english_report_reads_back_in_norwegian(void **state)
{
    fx *f = *state;
    char *en = report(f->docs, NDOCS, "jsonl", TS_LANG_EN, 0);
    ts_doc *back[8];
    assert_int_equal(read_back(f->ctx, en, back, 8), NDOCS);
    char *want = report(f->docs, NDOCS, "jsonl", TS_LANG_NB, 0);
    char *got = report(back, NDOCS, "jsonl", TS_LANG_NB, 0);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "kunne ikke åpnes eller leses: No such file or directory"));
    assert_null(strstr(got, "could not"));
    free(want);
    free(got);
    free_docs(back, NDOCS);
    free(en);
}

/* What a report masked cannot be unmasked: the value read back is the mask. */
static void test_masked_value_stays_masked_with_show_secrets(void **state)
{
    fx *f = *state;
    char *masked = report(&f->docs[1], 1, "jsonl", TS_LANG_EN, 0);
    ts_doc *back[2];
    assert_int_equal(read_back(f->ctx, masked, back, 2), 1);
    const ts_finding *pw = tst_find(back[0], "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_value(pw), "So*******4!");
    /* the fingerprint is the scan's, of the real value, not of the mask */
    assert_string_equal(ts_finding_fingerprint(pw),
                        ts_finding_fingerprint(tst_find(f->docs[1], "credential.password")));
    char *shown = report(back, 1, "jsonl", TS_LANG_EN, 1);
    assert_string_equal(shown, masked);
    free(shown);
    free_docs(back, 1);
    free(masked);
}

/* Findings over max_findings are dropped as a scan drops them, and the reason says so again. */
static void test_truncated_document_reads_back_with_its_count(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_default();
    ts_limits lim = {.max_findings = 2};
    ts_ctx_set_limits(ctx, &lim);
    ts_doc *doc = tst_scan_text(ctx, "10.20.1.1 10.20.1.2 10.20.1.3 10.20.1.4 10.20.1.5\n");
    assert_int_equal(ts_doc_finding_count(doc), 2);
    char *a = report(&doc, 1, "jsonl", TS_LANG_EN, 0);
    assert_non_null(strstr(a, "more findings not listed"));
    ts_doc *back[2];
    assert_int_equal(read_back(ctx, a, back, 2), 1);
    char *b = report(back, 1, "jsonl", TS_LANG_NB, 0);
    char *want = report(&doc, 1, "jsonl", TS_LANG_NB, 0);
    assert_string_equal(b, want);
    free(want);
    free(b);
    free(a);
    free_docs(back, 1);
    /* a report holding more findings than this context keeps: the rest are counted, not kept */
    ts_ctx *big = tst_ctx_default();
    ts_doc *many = tst_scan_text(big, "10.20.1.1 10.20.1.2 10.20.1.3 10.20.1.4 10.20.1.5\n");
    char *c = report(&many, 1, "jsonl", TS_LANG_EN, 0);
    assert_int_equal(read_back(ctx, c, back, 2), 1);
    assert_true(ts_doc_finding_count(many) > 2);
    char reason[100];
    snprintf(reason, sizeof reason, "%zu more findings not listed (limit reached)",
             ts_doc_finding_count(many) - 2);
    assert_int_equal(ts_doc_finding_count(back[0]), 2);
    assert_string_equal(ts_doc_reason_at(back[0], ts_doc_reason_count(back[0]) - 1, TS_LANG_EN),
                        reason);
    free_docs(back, 1);
    free(c);
    ts_doc_free(many);
    ts_ctx_free(big);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* Reading `text` fails with `want`, no document, and a reason holding `why`. */
static void expect_refused(const ts_ctx *ctx, const char *text, size_t len, ts_status want,
                           const char *why)
{
    ts_doc *doc = (ts_doc *)1;
    char msg[200] = "x";
    assert_int_equal(ts_doc_read_report(&doc, ctx, text, len, msg, sizeof msg), want);
    assert_null(doc);
    if (strstr(msg, why) == NULL)
        fail_msg("reason \"%s\" does not say \"%s\" (input %.80s)", msg, why, text);
}

/* Anything but a document object of a report is refused, with a reason, and nothing leaks. */
static void test_malformed_objects_are_refused_with_a_reason(void **state)
{
    fx *f = *state;
    char *line = report(&f->docs[1], 1, "jsonl", TS_LANG_EN, 0);
    line[strlen(line) - 1] = '\0'; /* one line, without its newline */
    expect_refused(f->ctx, "", 0, TS_ECORRUPT, "not JSON");
    expect_refused(f->ctx, "not json", 8, TS_ECORRUPT, "not JSON");
    expect_refused(f->ctx, "[1,2]", 5, TS_ECORRUPT, "not a JSON object");
    expect_refused(f->ctx, "{}", 2, TS_ECORRUPT, "\"path\"");
    expect_refused(f->ctx, line, strlen(line) / 2, TS_ECORRUPT, "not JSON"); /* half a line */
    const char *const edits[][3] = {
        {"\"credential.password\"", "\"credential.no-such\"", "unknown rule 'credential.no-such'"},
        {"\"bytes\":", "\"bytes\":\"12\",\"x\":", "\"bytes\""},
        {"\"findings\":[", "\"findings\":{},\"y\":[", "\"findings\""},
        {"\"findings\":[", "\"findings\":[7,", "finding 1 is not an object"},
        {"\"severity\":\"", "\"severity\":\"dire\",\"s\":\"", "\"severity\""},
        {"\"category\":\"", "\"category\":\"gossip\",\"c\":\"", "\"category\""},
        {"\"where\":\"", "\"where\":\"attic\",\"w\":\"", "\"where\""},
        {"\"line\":", "\"line\":-3,\"l\":", "\"line\""},
        {"\"page\":null", "\"page\":0", "\"page\""},
        {"\"fingerprint\":\"", "\"fingerprint\":\"xyz\",\"f\":\"", "\"fingerprint\""},
        {"\"sha256\":\"", "\"sha256\":\"zz\",\"h\":\"", "\"sha256\""},
        {"\"fingerprint_key_id\":\"", "\"fingerprint_key_id\":\"<key>\",\"k\":\"",
         "\"fingerprint_key_id\""},
        {"\"error\":null", "\"error\":\"the dog ate it\"", "\"error\""},
        {"\"error\":null", "\"error\":17", "\"error\""},
        {"\"reasons\":[", "\"reasons\":[3,", "reason 1"},
        {"\"context\":\"", "\"context\":\"… nothing here …\",\"k\":\"", "does not hold its match"},
        {"\"match\":\"", "\"match\":null,\"m\":\"", "\"match\""},
        {"\"path\":", "\"path\":\"a\",\"path\":", "duplicate"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        char *bad = tst_replace(line, edits[i][0], edits[i][1]);
        expect_refused(f->ctx, bad, strlen(bad), TS_ECORRUPT, edits[i][2]);
        free(bad);
    }
    /* 10,000 nested arrays: refused by depth, not by the stack */
    size_t n = 10000;
    char *deep = malloc(2 * n + 1);
    assert_non_null(deep);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    expect_refused(f->ctx, deep, 2 * n, TS_ECORRUPT, "depth");
    free(deep);
    /* an object the line holds after the document */
    char *two = malloc(strlen(line) * 2 + 2);
    assert_non_null(two);
    snprintf(two, strlen(line) * 2 + 2, "%s %s", line, line);
    expect_refused(f->ctx, two, strlen(two), TS_ECORRUPT, "not JSON");
    free(two);

    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_read_report(&doc, NULL, "{}", 2, NULL, 0), TS_EINVAL);
    assert_int_equal(ts_doc_read_report(NULL, f->ctx, "{}", 2, NULL, 0), TS_EINVAL);
    assert_int_equal(ts_doc_read_report(&doc, f->ctx, line, strlen(line), NULL, 0), TS_OK);
    ts_doc_free(doc);
    free(line);
}

/*
 * A report/2 object says which key its fingerprints were made with; a report/1 object (no
 * "fingerprint_key_id": plain SHA-256 fingerprints) reads back with no key, its fingerprints kept.
 */
static void test_fingerprint_key_id_reads_back_and_report_1_has_none(void **state)
{
    fx *f = *state;
    char *line = report(&f->docs[1], 1, "jsonl", TS_LANG_EN, 0);
    char want[40];
    snprintf(want, sizeof want, "\"fingerprint_key_id\":\"%s\"", ts_ctx_fingerprint_key_id(f->ctx));
    assert_non_null(strstr(line, want));
    ts_doc *doc = NULL;
    assert_int_equal(ts_doc_read_report(&doc, f->ctx, line, strlen(line), NULL, 0), TS_OK);
    assert_string_equal(ts_doc_fingerprint_key_id(doc), ts_ctx_fingerprint_key_id(f->ctx));
    ts_doc_free(doc);
    /* the same document as report/1 wrote it */
    char *old = tst_replace(line, want, "\"x\":0");
    assert_int_equal(ts_doc_read_report(&doc, f->ctx, old, strlen(old), NULL, 0), TS_OK);
    assert_null(ts_doc_fingerprint_key_id(doc));
    const ts_finding *pw = tst_find(doc, "credential.password");
    assert_non_null(pw);
    assert_string_equal(ts_finding_fingerprint(pw),
                        ts_finding_fingerprint(tst_find(f->docs[1], "credential.password")));
    /* and a report written from it says so again: null, not the reading context's key */
    ts_out *o = NULL;
    ts_report *r = NULL;
    ts_report_opts ro = {.lang = TS_LANG_EN};
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_report_new(&r, "jsonl", o, &ro), TS_OK);
    assert_int_equal(ts_report_document(r, doc), TS_OK);
    assert_int_equal(ts_report_end(r), TS_OK);
    assert_non_null(strstr(ts_out_memory(o, NULL), "\"fingerprint_key_id\":null"));
    ts_report_free(r);
    ts_out_free(o);
    ts_doc_free(doc);
    free(old);
    free(line);
}

/* A child is adopted only by the document its path names; the parent takes the child's grade. */
static void test_adopt_checks_the_path_and_takes_the_grade(void **state)
{
    fx *f = *state;
    static const char parent[] = "{\"path\":\"a.zip\",\"format\":\"zip\",\"bytes\":1,"
                                 "\"sha256\":null,\"error\":null,\"findings\":[]}";
    char *child_line = report(&f->docs[1], 1, "jsonl", TS_LANG_EN, 0);
    char *as_child = tst_replace(child_line, "\"path\":\"", "\"path\":\"a.zip!");
    char *as_other = tst_replace(child_line, "\"path\":\"", "\"path\":\"a.zipper!");
    ts_doc *p = NULL, *c = NULL, *o = NULL;
    assert_int_equal(ts_doc_read_report(&p, f->ctx, parent, strlen(parent), NULL, 0), TS_OK);
    assert_int_equal(ts_doc_read_report(&c, f->ctx, as_child, strlen(as_child), NULL, 0), TS_OK);
    assert_int_equal(ts_doc_read_report(&o, f->ctx, as_other, strlen(as_other), NULL, 0), TS_OK);
    assert_int_equal(ts_doc_grade(p), TS_GRADE_OK);
    assert_int_equal(ts_doc_adopt(p, o), TS_EINVAL);
    assert_int_equal(ts_doc_adopt(p, p), TS_EINVAL);
    assert_int_equal(ts_doc_adopt(NULL, c), TS_EINVAL);
    assert_int_equal(ts_doc_adopt(p, c), TS_OK);
    assert_int_equal(ts_doc_child_count(p), 1);
    assert_int_equal(ts_doc_grade(p), TS_GRADE_BLOCK);
    assert_int_equal(ts_doc_score(p), ts_doc_score(c));
    assert_int_equal(ts_doc_reason_count(p), 1);
    assert_non_null(strstr(ts_doc_reason_at(p, 0, TS_LANG_NB), "inneholder"));
    ts_doc_free(p);
    ts_doc_free(o);
    free(as_child);
    free(as_other);
    free(child_line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_read_back_reports_as_scanned),
        cmocka_unit_test(test_english_report_reads_back_in_norwegian),
        cmocka_unit_test(test_masked_value_stays_masked_with_show_secrets),
        cmocka_unit_test(test_truncated_document_reads_back_with_its_count),
        cmocka_unit_test(test_malformed_objects_are_refused_with_a_reason),
        cmocka_unit_test(test_adopt_checks_the_path_and_takes_the_grade),
        cmocka_unit_test(test_fingerprint_key_id_reads_back_and_report_1_has_none),
    };
    return cmocka_run_group_tests_name("report_readback", tests, setup, teardown);
}

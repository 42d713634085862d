/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as a user runs it: exit codes 0/1/2/3, reports, options. */
#include "support/fx_pdf.h"
#include "support/ts_test.h"

#include <fcntl.h>
#include <signal.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run {
    int code;
    char *out;
    char *err;
} run;

static char *g_dir;
static const char *g_bin = TS_BINARY; /* the program tsrun runs */

/* Run the binary with argv (NULL-terminated, without argv[0]); capture both streams. */
static run tsrun(const char *const *args)
{
    char outp[4096], errp[4096];
    snprintf(outp, sizeof outp, "%s/stdout", g_dir);
    snprintf(errp, sizeof errp, "%s/stderr", g_dir);
    const char *argv[64] = {g_bin};
    size_t n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        setenv("LANG", "C", 1);
        unsetenv("LC_ALL");
        unsetenv("LC_MESSAGES");
        execv(g_bin, (char *const *)(void *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    run r = {.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)};
    r.out = tst_slurp(outp, NULL);
    r.err = tst_slurp(errp, NULL);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

static int setup(void **state)
{
    (void)state;
    g_dir = tst_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tst_rmtree(g_dir);
    free(g_dir);
    return 0;
}

static char *fixture(const char *name, const char *text)
{
    return tst_write(g_dir, name, text, strlen(text));
}

static const char config[] = "hostname rtr-oslo-01\n"
                             "interface Gi0/1\n ip address 10.20.1.1 255.255.255.0\n"
                             "access-list 101 permit tcp any host 10.20.1.10 eq 3389\n"
                             "passord: Sommer2024!\n";

static void test_clean_file_exits_0(void **state)
{
    (void)state;
    char *p = fixture("ren.txt", "Tilbudsfrist er 1. mars 2025. Se punkt 4.2.1.3.\n");
    run r = tsrun((const char *[]){p, NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "OK"));
    run_free(&r);
    free(p);
}

static void test_config_with_secret_is_block_exit_1_in_json(void **state)
{
    (void)state;
    char *p = fixture("ruter.cfg", config);
    run r = tsrun((const char *[]){"-f", "json", p, NULL});
    assert_int_equal(r.code, 1);
    json_error_t jerr;
    json_t *root = json_loads(r.out, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "schema")),
                        "tenderscan-report/1");
    json_t *doc = json_array_get(json_object_get(root, "documents"), 0);
    assert_string_equal(json_string_value(json_object_get(doc, "grade")), "block");
    assert_non_null(strstr(r.out, "So*******4!"));
    assert_null(strstr(r.out, "Sommer2024!"));
    json_decref(root);
    run_free(&r);
    r = tsrun((const char *[]){"-f", "json", "--show-secrets", p, NULL});
    assert_non_null(strstr(r.out, "Sommer2024!"));
    run_free(&r);
    free(p);
}

static void test_fail_on_block_lets_review_pass(void **state)
{
    (void)state;
    char *p = fixture("en-adresse.txt", "Skriveren står på 10.1.1.1\n");
    run r = tsrun((const char *[]){"-q", p, NULL});
    assert_int_equal(r.code, 1);
    run_free(&r);
    r = tsrun((const char *[]){"--fail-on", "block", p, NULL});
    assert_int_equal(r.code, 0);
    run_free(&r);
    free(p);
}

static void test_broken_rule_file_exits_2_with_file_and_line(void **state)
{
    (void)state;
    char *rules = fixture("bad.rules", "[x.y]\ncategory = network\nseverity = low\n"
                                       "pattern = (oops\ntitle.en = t\n");
    char *p = fixture("a.txt", "hei\n");
    run r = tsrun((const char *[]){"--rules", rules, p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "bad.rules:4:"));
    run_free(&r);
    free(rules);
    free(p);
}

static void test_unreadable_inputs_exit_3_and_the_rest_is_still_scanned(void **state)
{
    (void)state;
    char *good = fixture("b.cfg", config);
    char *empty = fixture("c-empty.txt", "");
    char *pdf = fixture("d.pdf", "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n");
    char missing[4096];
    snprintf(missing, sizeof missing, "%s/does-not-exist.docx", g_dir);
    run r = tsrun((const char *[]){"-f", "json", missing, empty, pdf, good, NULL});
    assert_int_equal(r.code, 3);
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    json_t *docs = json_object_get(root, "documents");
    assert_int_equal(json_array_size(docs), 4);
    const char *want[] = {"error", "error", "error", "block"};
    for (size_t i = 0; i < 4; i++) {
        json_t *d = json_array_get(docs, i);
        assert_string_equal(json_string_value(json_object_get(d, "grade")), want[i]);
        if (i < 3)
            assert_true(json_is_string(json_object_get(d, "error")));
    }
    json_t *sum = json_object_get(root, "summary");
    assert_int_equal(json_integer_value(json_object_get(sum, "error")), 3);
    assert_int_equal(json_integer_value(json_object_get(sum, "block")), 1);
    json_decref(root);
    run_free(&r);
    free(good);
    free(empty);
    free(pdf);
}

/*
 * A two-file JSON report in which the first file is an error whose message holds `why` (and
 * `why2` when not NULL) and the second, a firewall configuration, was still scanned: block.
 */
static void assert_error_then_block(const char *report, const char *why, const char *why2)
{
    json_t *root = json_loads(report, 0, NULL);
    assert_non_null(root);
    json_t *docs = json_object_get(root, "documents");
    json_t *d0 = json_array_get(docs, 0), *d1 = json_array_get(docs, 1);
    assert_string_equal(json_string_value(json_object_get(d0, "grade")), "error");
    const char *err = json_string_value(json_object_get(d0, "error"));
    assert_non_null(err);
    if (strstr(err, why) == NULL || (why2 != NULL && strstr(err, why2) == NULL))
        fail_msg("error \"%s\" does not say \"%s\"", err, why);
    assert_string_equal(json_string_value(json_object_get(d1, "grade")), "block");
    json_decref(root);
}

/* A copy of the program in the test folder, without the modules that sit beside the original. */
static char *program_alone(void)
{
    size_t len = 0;
    char *prog = tst_slurp(TS_BINARY, &len);
    assert_non_null(prog);
    char *alone = tst_write(g_dir, "tenderscan-alone", prog, len);
    assert_int_equal(chmod(alone, 0700), 0);
    free(prog);
    return alone;
}

/*
 * The program reads PDFs through the module tenderscan-pdf.so beside it (loaded by the first
 * PDF); a copy of the program without its module says so per PDF (error, exit 3) and still
 * scans everything else.
 */
static void test_pdf_module_is_loaded_beside_the_program_and_its_absence_is_an_error(void **s)
{
    (void)s;
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Kjernesvitsj ospelia-core01: passord: Sommer2024!");
    size_t len = 0;
    unsigned char *bytes = fx_pdf_finish(p, &len);
    char *pdf = tst_write(g_dir, "anbud.pdf", bytes, len);
    free(bytes);
    char *good = fixture("e.cfg", config);
    run r = tsrun((const char *[]){"-f", "json", pdf, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "\"grade\": \"block\""));
    run_free(&r);

    char *alone = program_alone();
    g_bin = alone;
    r = tsrun((const char *[]){"-f", "json", pdf, good, NULL});
    g_bin = TS_BINARY;
    if (strstr(r.out, "tenderscan-pdf.so") == NULL && r.code != 3) {
        /* an installed module (TS_MODULE_DIR) serves the copy: nothing to see here */
        run_free(&r);
        skip();
    }
    assert_int_equal(r.code, 3);
    assert_error_then_block(r.out, "tenderscan-pdf.so", NULL);
    run_free(&r);
    free(alone);
    free(good);
    free(pdf);
}

/* A PNG picture of a whiteboard with a password on it. */
static char *whiteboard_png(const char *name)
{
    char *path = tst_write(g_dir, name, "", 0);
    fx_picture_png(path, 900, 300, 48, (const char *const[]){"passord: Sommer2024!", NULL});
    return path;
}

/*
 * --ocr reads the picture through tenderscan-ocr.so beside the program; a copy of the program
 * without the module grades the picture error naming what to install, and only with --ocr:
 * without it pictures are not read, so nothing changes.
 */
static void test_missing_ocr_module_is_an_error_only_with_ocr(void **s)
{
    (void)s;
    char *png = whiteboard_png("tavle.png");
    char *good = fixture("f.cfg", config);
    run r = tsrun((const char *[]){"-f", "json", png, NULL});
    assert_int_equal(r.code, 0);
    run_free(&r);
    r = tsrun((const char *[]){"-f", "json", "--ocr", png, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "\"grade\": \"block\""));
    assert_non_null(strstr(r.out, "\"where\": \"ocr\""));
    run_free(&r);

    char *alone = program_alone();
    g_bin = alone;
    run plain = tsrun((const char *[]){"-f", "json", png, NULL});
    r = tsrun((const char *[]){"-f", "json", "--ocr", png, good, NULL});
    g_bin = TS_BINARY;
    assert_int_equal(plain.code, 0);
    run_free(&plain);
    if (strstr(r.out, "tenderscan-ocr.so") == NULL && r.code != 3) {
        /* an installed module (TS_MODULE_DIR) serves the copy: nothing to see here */
        run_free(&r);
        skip();
    }
    assert_int_equal(r.code, 3);
    assert_error_then_block(r.out, "tenderscan-ocr.so", "tesseract-ocr-nor");
    run_free(&r);
    free(alone);
    free(good);
    free(png);
}

/* A PDF of `pages` pages that takes a while to scan. */
static char *slow_pdf(const char *name, size_t pages)
{
    const char *content[] = {"BT /F1 12 Tf 72 750 Td (Kjernesvitsj side) Tj ET\n"};
    size_t len = 0;
    unsigned char *pdf = fx_pdf_simple(content, 1, pages, NULL, &len);
    char *path = tst_write(g_dir, name, pdf, len);
    free(pdf);
    return path;
}

/* The first child process of `pid` (its worker), or 0 when it has none yet. */
static pid_t first_child(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    char *text = tst_slurp(path, NULL);
    pid_t child = text ? (pid_t)strtol(text, NULL, 10) : 0;
    free(text);
    return child;
}

/*
 * DESIGN §9: a file that hangs or crashes a reader costs that file, not the run. A file that
 * takes longer than --timeout is stopped and graded error; a worker killed by a signal while
 * scanning (as a crash in poppler would) gives its file grade error naming the signal; the next
 * file is still scanned, by a new worker, and the exit code is 3.
 */
static void test_a_file_that_hangs_or_crashes_a_reader_costs_only_that_file(void **state)
{
    (void)state;
    /* 50,000 pages: over a second to read even in a release build; the good file needs ~0.05 s
     * with ASan on a loaded machine, so 0.5 s splits them */
    char *slow = slow_pdf("a-slow.pdf", 50000);
    char *good = fixture("b-good.cfg", config);
    run r = tsrun((const char *[]){"-f", "json", "-j", "1", "--timeout", "0.5", slow, good, NULL});
    assert_int_equal(r.code, 3);
    assert_error_then_block(r.out, "longer than 0.5 seconds", NULL);
    run_free(&r);

    /* a crash: the worker dies of SIGSEGV in the middle of the slow file */
    char outp[4096];
    snprintf(outp, sizeof outp, "%s/crash.json", g_dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        /* under ASan the signal must stay a signal, not become ASan's report and exit */
        const char *asan = getenv("ASAN_OPTIONS");
        char opts[1024];
        snprintf(opts, sizeof opts, "%s%shandle_segv=0", asan ? asan : "", asan ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        execl(TS_BINARY, TS_BINARY, "-q", "-f", "json", "-j", "1", "--timeout", "60", slow, good,
              (char *)NULL);
        _exit(127);
    }
    pid_t child = 0;
    for (int i = 0; i < 2000 && child == 0; i++) {
        usleep(5000);
        child = first_child(pid);
    }
    assert_true(child > 0);
    usleep(100000); /* let it start on the slow file */
    assert_int_equal(kill(child, SIGSEGV), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    char *out = tst_slurp(outp, NULL);
    assert_non_null(out);
    assert_error_then_block(out, "crashed", "signal 11");
    free(out);
    free(slow);
    free(good);
}

static void test_folder_is_walked_and_shards_partition_it(void **state)
{
    (void)state;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/pakke", g_dir);
    mkdir(sub, 0700);
    char inner[4200];
    snprintf(inner, sizeof inner, "%s/.skjult", sub);
    mkdir(inner, 0700);
    free(tst_write(sub, "a.txt", "a\n", 2));
    free(tst_write(sub, "b.txt", "b\n", 2));
    free(tst_write(inner, "c.txt", "c\n", 2));
    run all = tsrun((const char *[]){"-f", "jsonl", sub, NULL});
    assert_int_equal(all.code, 0);
    size_t lines = 0;
    for (const char *c = all.out; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 3);
    run s1 = tsrun((const char *[]){"-f", "jsonl", "--shard", "1/2", sub, NULL});
    run s2 = tsrun((const char *[]){"-f", "jsonl", "--shard", "2/2", sub, NULL});
    assert_int_equal(strlen(s1.out) + strlen(s2.out), strlen(all.out));
    /* sorted walk: .skjult/c.txt, a.txt, b.txt; shard 1 takes positions 0 and 2 */
    assert_non_null(strstr(s1.out, "c.txt"));
    assert_non_null(strstr(s1.out, "b.txt"));
    assert_null(strstr(s1.out, "a.txt"));
    assert_non_null(strstr(s2.out, "a.txt"));
    run bad = tsrun((const char *[]){"--shard", "3/2", sub, NULL});
    assert_int_equal(bad.code, 2);
    run_free(&all);
    run_free(&s1);
    run_free(&s2);
    run_free(&bad);
}

static void test_parallel_and_serial_reports_are_identical(void **state)
{
    (void)state;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/mange", g_dir);
    mkdir(sub, 0700);
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%02d.txt", i);
        free(tst_write(sub, name, i % 3 ? "hei\n" : config, i % 3 ? 4 : strlen(config)));
    }
    run a = tsrun((const char *[]){"-f", "json", "-j", "1", sub, NULL});
    run b = tsrun((const char *[]){"-f", "json", "-j", "4", sub, NULL});
    assert_int_equal(a.code, 1);
    assert_int_equal(b.code, 1);
    assert_string_equal(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

static void test_ignore_file_accepts_a_finding(void **state)
{
    (void)state;
    char *p = fixture("pw.txt", "passord: Sommer2024!\n");
    /* the user's way: take the fingerprint from a report, put it in the ignore file */
    run r = tsrun((const char *[]){"-f", "json", p, NULL});
    assert_int_equal(r.code, 1);
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    json_t *f = json_array_get(
        json_object_get(json_array_get(json_object_get(root, "documents"), 0), "findings"), 0);
    char line[128];
    snprintf(line, sizeof line, "# accepted by the security officer\n%s\n",
             json_string_value(json_object_get(f, "fingerprint")));
    json_decref(root);
    run_free(&r);
    char *ign = fixture("ignore.txt", line);
    r = tsrun((const char *[]){"-f", "json", "--ignore", ign, p, NULL});
    assert_int_equal(r.code, 0);
    root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    json_t *sum = json_object_get(root, "summary");
    assert_int_equal(json_integer_value(json_object_get(sum, "ignored")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "findings")), 0);
    json_decref(root);
    run_free(&r);
    free(p);
    free(ign);
}

static void test_help_version_and_usage_errors(void **state)
{
    (void)state;
    run r = tsrun((const char *[]){"--help", NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "--fail-on"));
    assert_non_null(strstr(r.out, "Exit codes"));
    run_free(&r);
    r = tsrun((const char *[]){"--help", "--lang", "nb", NULL});
    assert_non_null(strstr(r.out, "Avslutningskoder"));
    run_free(&r);
    r = tsrun((const char *[]){"--version", NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, TS_VERSION));
    run_free(&r);
    r = tsrun((const char *[]){"--no-such-option", "x", NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
    r = tsrun((const char *[]){"-f", "yaml", "x", NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
    r = tsrun((const char *[]){NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
}

static void test_rules_and_explain_commands(void **state)
{
    (void)state;
    run r = tsrun((const char *[]){"rules", NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "network."));
    run_free(&r);
    r = tsrun((const char *[]){"rules", "--test", NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, " 0 failed"));
    run_free(&r);
    r = tsrun((const char *[]){"explain", "no.such.rule", NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_file_exits_0),
        cmocka_unit_test(test_config_with_secret_is_block_exit_1_in_json),
        cmocka_unit_test(test_pdf_module_is_loaded_beside_the_program_and_its_absence_is_an_error),
        cmocka_unit_test(test_missing_ocr_module_is_an_error_only_with_ocr),
        cmocka_unit_test(test_a_file_that_hangs_or_crashes_a_reader_costs_only_that_file),
        cmocka_unit_test(test_fail_on_block_lets_review_pass),
        cmocka_unit_test(test_broken_rule_file_exits_2_with_file_and_line),
        cmocka_unit_test(test_unreadable_inputs_exit_3_and_the_rest_is_still_scanned),
        cmocka_unit_test(test_folder_is_walked_and_shards_partition_it),
        cmocka_unit_test(test_parallel_and_serial_reports_are_identical),
        cmocka_unit_test(test_ignore_file_accepts_a_finding),
        cmocka_unit_test(test_help_version_and_usage_errors),
        cmocka_unit_test(test_rules_and_explain_commands),
    };
    return cmocka_run_group_tests_name("cli_cli", tests, setup, teardown);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as a user runs it: exit codes 0/1/2/3, reports, options. */
#include "support/fx_pdf.h"
#include "support/fx_zip.h"
#include "support/ts_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "core/core.h" /* ts_sha256_hex */

typedef struct run {
    int code;
    char *out;
    char *err;
} run;

static char *g_dir;
static const char *g_bin = TS_BINARY; /* the program tsrun runs */

/*
 * The environment of a run of the binary (in the forked child): English, and hermetic: HOME is
 * the test's folder and the fingerprint key is made in its config/, never in the real home, and
 * is the same for every run of one test. `env` (NULL-terminated, may be NULL) then sets
 * "NAME=value" or unsets "NAME".
 */
static void child_env(const char *const *env)
{
    setenv("LANG", "C", 1);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    char config[4096];
    snprintf(config, sizeof config, "%s/config", g_dir);
    setenv("HOME", g_dir, 1);
    setenv("XDG_CONFIG_HOME", config, 1);
    for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
        char name[256];
        const char *eq = strchr(env[i], '=');
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - env[i]) : 255, env[i]);
        if (eq)
            setenv(name, eq + 1, 1);
        else
            unsetenv(name);
    }
}

/*
 * Run the binary with argv (NULL-terminated, without argv[0]) in child_env(env); capture both
 * streams. Standard input is the file `in`, or stays the test's own when NULL.
 */
static run tsrun_env_in(const char *const *args, const char *const *env, const char *in)
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
        if (in != NULL) {
            int i = open(in, O_RDONLY);
            if (i < 0 || dup2(i, 0) < 0)
                _exit(126);
        }
        child_env(env);
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

static run tsrun_in(const char *const *args, const char *in)
{
    return tsrun_env_in(args, NULL, in);
}

static run tsrun_env(const char *const *args, const char *const *env)
{
    return tsrun_env_in(args, env, NULL);
}

static run tsrun(const char *const *args)
{
    return tsrun_env_in(args, NULL, NULL);
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

/* The samples that README's first command scans: the clean requirement specification stays
 * clean ("antall servere: 120; antall VLAN: 30; …" counts things, it is no VLAN plan). */
static void test_clean_samples_exit_0(void **state)
{
    (void)state;
    static const char *const names[] = {"kravspesifikasjon-ren.txt", "kravspesifikasjon-ren.doc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/samples/%s", TS_SOURCE_DIR, names[i]);
        run r = tsrun((const char *[]){path, NULL});
        assert_int_equal(r.code, 0);
        run_free(&r);
    }
}

/* TS_PROFILE_RULES: each worker prints the rules that took its time, with their runs, on
 * stderr; the report on stdout is the same as without it. */
static void test_rule_profile_goes_to_stderr_and_leaves_the_report_alone(void **state)
{
    (void)state;
    char *p = fixture("profil.txt", config);
    run plain = tsrun((const char *[]){"-j", "1", "-f", "jsonl", p, NULL});
    run prof = tsrun_env((const char *[]){"-j", "1", "-f", "jsonl", p, NULL},
                         (const char *[]){"TS_PROFILE_RULES=1", NULL});
    assert_int_equal(prof.code, plain.code);
    assert_string_equal(prof.out, plain.out);
    assert_non_null(strstr(prof.err, " runs  credential."));
    assert_null(strstr(plain.err, " runs "));
    run_free(&plain);
    run_free(&prof);
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
    assert_string_equal(json_string_value(json_object_get(root, "schema")), "tenderscan-report/2");
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
    /* a path that is there but cannot be read (a link to itself): a document graded error */
    char missing[4096];
    snprintf(missing, sizeof missing, "%s/a-loop.docx", g_dir);
    assert_int_equal(symlink(missing, missing), 0);
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

/* A PNG picture of a whiteboard with a password and a subnet on it. */
static char *whiteboard_png(const char *name)
{
    char *path = tst_write(g_dir, name, "", 0);
    fx_picture_png(path, 900, 300, 40,
                   (const char *const[]){"passord: Sommer2024!", "nett: 10.20.30.0/24", NULL});
    return path;
}

/* The first document of a JSON report has a finding of `rule` whose detail holds `part`. */
static void assert_detail(const char *report, const char *rule, const char *part)
{
    json_t *root = json_loads(report, 0, NULL);
    assert_non_null(root);
    json_t *fs = json_object_get(json_array_get(json_object_get(root, "documents"), 0), "findings");
    for (size_t i = 0; i < json_array_size(fs); i++) {
        json_t *one = json_array_get(fs, i);
        const char *detail = json_string_value(json_object_get(one, "detail"));
        if (strcmp(json_string_value(json_object_get(one, "rule")), rule) == 0 && detail &&
            strstr(detail, part)) {
            json_decref(root);
            return;
        }
    }
    fail_msg("no %s finding saying \"%s\" in %s", rule, part, report);
}

/*
 * A picture file is read by OCR by default, through tenderscan-ocr.so beside the program;
 * --no-ocr leaves it unread, and its lines of text make it review (never ok). A copy of the
 * program without the module does the same by default, saying OCR is not installed; only --ocr
 * makes the missing module an error naming what to install.
 */
static void test_pictures_are_read_by_default_and_never_ok_unread(void **s)
{
    (void)s;
    char *png = whiteboard_png("tavle.png");
    char *good = fixture("f.cfg", config);
    run r = tsrun((const char *[]){"-f", "json", png, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "\"grade\": \"block\""));
    assert_non_null(strstr(r.out, "\"where\": \"ocr\""));
    run_free(&r);
    r = tsrun((const char *[]){"-f", "json", "--no-ocr", png, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "\"grade\": \"review\""));
    assert_detail(r.out, "hidden.picture-text", "OCR is off (--no-ocr)");
    assert_null(strstr(r.out, "Sommer2024"));
    run_free(&r);
    r = tsrun((const char *[]){"--lang", "nb", "--no-ocr", png, NULL});
    assert_non_null(strstr(r.out, "Bilde med tekst som ikke ble lest"));
    run_free(&r);

    char *alone = program_alone();
    g_bin = alone;
    run plain = tsrun((const char *[]){"-f", "json", png, NULL});
    r = tsrun((const char *[]){"-f", "json", "--ocr", png, good, NULL});
    g_bin = TS_BINARY;
    if (strstr(r.out, "tenderscan-ocr.so") == NULL && r.code != 3) {
        /* an installed module (TS_MODULE_DIR) serves the copy: nothing to see here */
        run_free(&plain);
        run_free(&r);
        skip();
    }
    assert_int_equal(plain.code, 1);
    assert_non_null(strstr(plain.out, "\"grade\": \"review\""));
    assert_detail(plain.out, "hidden.picture-text", "OCR is not installed");
    run_free(&plain);
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

/* The identity of a file a worker gave up on is kept: format, size and SHA-256 (DESIGN §7). */
static void assert_first_keeps_identity(const char *report, const char *path, const char *format)
{
    size_t len = 0;
    char *bytes = tst_slurp(path, &len);
    assert_non_null(bytes);
    char sha[65];
    ts_sha256_hex(bytes, len, sha);
    free(bytes);
    json_t *root = json_loads(report, 0, NULL);
    assert_non_null(root);
    json_t *d0 = json_array_get(json_object_get(root, "documents"), 0);
    if (format != NULL)
        assert_string_equal(json_string_value(json_object_get(d0, "format")), format);
    assert_int_equal(json_integer_value(json_object_get(d0, "bytes")), (json_int_t)len);
    assert_string_equal(json_string_value(json_object_get(d0, "sha256")), sha);
    json_decref(root);
}

/*
 * Run `-q -f json -j 1 --timeout 60 slow good` into `outp` and send `sig` to the worker while it
 * reads the slow file; the program's exit code.
 */
static int run_and_signal_worker(const char *outp, int sig, const char *slow, const char *good)
{
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
        child_env(NULL);
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
    assert_int_equal(kill(child, sig), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/*
 * DESIGN §9: a file that hangs or crashes a reader costs that file, not the run. A file that
 * takes longer than --timeout is stopped and graded error, keeping its format, size and SHA-256;
 * a worker killed by a signal while scanning (as a crash in poppler would) gives its file grade
 * error naming the signal; the next file is still scanned, by a new worker, and the exit code is 3.
 */
static void test_a_file_that_hangs_or_crashes_a_reader_costs_only_that_file(void **state)
{
    (void)state;
    /* 100,000 pages: nearly 3 s to read in a release build; the good file needs ~0.05 s with
     * ASan, ten times that on a loaded machine, so 1.5 s splits them */
    char *slow = slow_pdf("a-slow.pdf", 100000);
    char *good = fixture("b-good.cfg", config);
    run r = tsrun((const char *[]){"-f", "json", "-j", "1", "--timeout", "1.5", slow, good, NULL});
    assert_int_equal(r.code, 3);
    assert_error_then_block(r.out, "longer than 1.5 seconds", NULL);
    assert_first_keeps_identity(r.out, slow, "pdf");
    run_free(&r);

    /* a crash: the worker dies of SIGSEGV in the middle of the slow file */
    char outp[4096];
    snprintf(outp, sizeof outp, "%s/crash.json", g_dir);
    assert_int_equal(run_and_signal_worker(outp, SIGSEGV, slow, good), 3);
    char *out = tst_slurp(outp, NULL);
    assert_non_null(out);
    assert_error_then_block(out, "crashed", "signal 11");
    assert_first_keeps_identity(out, slow, NULL); /* the format is not sniffed after a crash */
    free(out);
    free(slow);
    free(good);
}

/*
 * A worker stopped by its processor-time limit (RLIMIT_CPU sends SIGXCPU) or killed from outside
 * (SIGKILL: the system's out-of-memory killer) is not called a crash: the error says which.
 */
static void test_a_worker_over_its_processor_time_or_killed_says_so(void **state)
{
    (void)state;
    char *slow = slow_pdf("a-slow.pdf", 100000);
    char *good = fixture("b-good.cfg", config);
    char outp[4096];
    snprintf(outp, sizeof outp, "%s/cpu.json", g_dir);
    assert_int_equal(run_and_signal_worker(outp, SIGXCPU, slow, good), 3);
    char *out = tst_slurp(outp, NULL);
    assert_non_null(out);
    assert_error_then_block(out, "more than 80 seconds of processor time", "crafted to hang");
    assert_first_keeps_identity(out, slow, "pdf");
    free(out);
    assert_int_equal(run_and_signal_worker(outp, SIGKILL, slow, good), 3);
    out = tst_slurp(outp, NULL);
    assert_non_null(out);
    assert_error_then_block(out, "killed from outside (signal 9)", "memory ran out");
    free(out);
    free(slow);
    free(good);
}

/* The soft limit in a row of /proc/PID/limits ("Max cpu time"): ULLONG_MAX when unlimited, 0
 * when the row or the process is missing. */
static unsigned long long proc_limit(pid_t pid, const char *row)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
    char *text = tst_slurp(path, NULL);
    unsigned long long v = 0;
    const char *at = text ? strstr(text, row) : NULL;
    if (at != NULL) {
        at += strlen(row);
        while (*at == ' ')
            at++;
        v = strncmp(at, "unlimited", 9) == 0 ? ULLONG_MAX : strtoull(at, NULL, 10);
    }
    free(text);
    return v;
}

/*
 * DESIGN §9: each worker reads a document under setrlimit: processor time (the timeout and a
 * margin: 40 s gives 55 s, on top of what the worker used before), address space (what it has
 * mapped, plus the file, plus --max-memory; not in an AddressSanitizer build, which says so)
 * and no core files; and its standard output is not the report's.
 */
static void test_workers_read_under_processor_time_and_memory_limits(void **state)
{
    (void)state;
    char *slow = slow_pdf("a-slow.pdf", 100000);
    struct stat sb;
    assert_int_equal(stat(slow, &sb), 0);
    char errp[4096], outp[4096];
    snprintf(errp, sizeof errp, "%s/limits.err", g_dir);
    snprintf(outp, sizeof outp, "%s/limits.out", g_dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        execl(TS_BINARY, TS_BINARY, "-q", "-j", "1", "--timeout", "40", "--max-memory", "256M",
              slow, (char *)NULL);
        _exit(127);
    }
    pid_t child = 0;
    unsigned long long cpu = ULLONG_MAX;
    /* the limits are set when the worker starts on the file */
    for (int i = 0; i < 4000 && (child == 0 || cpu == ULLONG_MAX || cpu == 0); i++) {
        usleep(5000);
        if (child == 0)
            child = first_child(pid);
        if (child != 0)
            cpu = proc_limit(child, "Max cpu time");
    }
    assert_true(child > 0);
    assert_true(cpu >= 55 && cpu <= 55 + 60);
    unsigned long long as = proc_limit(child, "Max address space");
    assert_int_equal(proc_limit(child, "Max core file size"), 0);
    /* the report goes to standard output: a worker's is /dev/null, so nothing a library prints
     * there can tear the report */
    char fd1[64], target[4096];
    snprintf(fd1, sizeof fd1, "/proc/%d/fd/1", (int)child);
    ssize_t tn = readlink(fd1, target, sizeof target - 1);
    assert_true(tn > 0);
    target[tn] = '\0';
    assert_string_equal(target, "/dev/null");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    char *err = tst_slurp(errp, NULL);
    assert_non_null(err);
#if defined(__SANITIZE_ADDRESS__)
    assert_true(as == ULLONG_MAX);
    assert_non_null(strstr(err, "--max-memory is not applied"));
#else
    unsigned long long want = (256ull << 20) + (unsigned long long)sb.st_size;
    assert_true(as > want && as < want + (4ull << 30));
    assert_null(strstr(err, "not applied"));
#endif
    free(err);
    free(slow);
}

/* A ZIP whose one member, stored, is `size` bytes: reading it needs that much memory at once. */
static char *stored_zip(const char *name, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    char *data = malloc(size);
    assert_non_null(data);
    for (size_t i = 0; i < size; i++)
        data[i] = i % 64 == 63 ? '\n' : 'x';
    int err = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    zip_source_t *src = zip_source_buffer(za, data, size, 0);
    assert_non_null(src);
    zip_int64_t idx = zip_file_add(za, "stor.txt", src, ZIP_FL_OVERWRITE);
    assert_true(idx >= 0);
    assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
    assert_int_equal(zip_close(za), 0);
    free(data);
    return strdup(path);
}

/*
 * A worker that runs out of memory (over --max-memory; an allocation the library reports as out
 * of memory) gives its file grade error saying so, and the run goes on with the next file. Under
 * AddressSanitizer, which has no address-space bound, its allocator is made to refuse the same
 * allocation (allocator_may_return_null, max_allocation_size_mb).
 */
static void test_a_worker_out_of_memory_costs_only_that_file(void **state)
{
    (void)state;
    char *big = stored_zip("a-big.zip", 48u << 20);
    char *good = fixture("b-good.cfg", config);
    const char *asan = getenv("ASAN_OPTIONS");
    char *saved = asan ? strdup(asan) : NULL;
    char opts[1024];
    snprintf(opts, sizeof opts, "%s%sallocator_may_return_null=1:max_allocation_size_mb=16",
             asan ? asan : "", asan ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
    run r =
        tsrun((const char *[]){"-f", "json", "-j", "1", "--max-memory", "16M", big, good, NULL});
    if (saved)
        setenv("ASAN_OPTIONS", saved, 1);
    else
        unsetenv("ASAN_OPTIONS");
    free(saved);
    assert_int_equal(r.code, 3);
#if defined(__SANITIZE_ADDRESS__)
    assert_error_then_block(r.out, "ran out of memory", "crafted to exhaust memory");
#else
    assert_error_then_block(r.out, "used more than 16 MiB of memory", "crafted to exhaust memory");
#endif
    assert_first_keeps_identity(r.out, big, "zip");
    run_free(&r);
    free(big);
    free(good);
}

/* --max-memory takes sizes with K, M, G (0: no bound); anything else is a usage error. */
static void test_max_memory_takes_sizes_and_refuses_others(void **state)
{
    (void)state;
    char *good = fixture("b-good.txt", "Tilbudsfrist er 1. mars 2025.\n");
    static const char *const ok[] = {"512M", "2G", "1048576", "0", "64MiB", "1536k"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        run r = tsrun((const char *[]){"--max-memory", ok[i], good, NULL});
        if (r.code != 0)
            fail_msg("--max-memory %s: exit %d (%s)", ok[i], r.code, r.err);
        run_free(&r);
    }
    static const char *const bad[] = {"12X", "-1", "", "100", "1.5G", "9999999T"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run r = tsrun((const char *[]){"--max-memory", bad[i], good, NULL});
        if (r.code != 2 || strstr(r.err, "--max-memory takes a size") == NULL)
            fail_msg("--max-memory '%s': exit %d (%s)", bad[i], r.code, r.err);
        run_free(&r);
    }
    free(good);
}

/* ---- --state: a stopped batch goes on where it stopped (DESIGN §6) ------------------------ */

/* Six files of every grade in a fresh folder `name`: block, ok, review, block (PDF), error, ok. */
static char *state_batch(const char *name)
{
    char *dir = malloc(4096);
    assert_non_null(dir);
    snprintf(dir, 4096, "%s/%s", g_dir, name);
    assert_int_equal(mkdir(dir, 0700), 0);
    free(tst_write(dir, "a-ruter.cfg", config, strlen(config)));
    const char *clean = "Tilbudsfrist er 1. mars 2025.\n";
    free(tst_write(dir, "b-ren.txt", clean, strlen(clean)));
    const char *ip = "Skriveren står på 10.1.1.1\n";
    free(tst_write(dir, "c-skriver.txt", ip, strlen(ip)));
    fx_pdf *p = fx_pdf_new();
    fx_pdf_text(p, 72, 100, 12, 0x000000, "Kjernesvitsj ospelia-core01: passord: Sommer2024!");
    size_t len = 0;
    unsigned char *bytes = fx_pdf_finish(p, &len);
    free(tst_write(dir, "d-anbud.pdf", bytes, len));
    free(bytes);
    free(tst_write(dir, "e-tom.txt", "", 0));
    const char *note = "Møte i kantina kl. 12.\n";
    free(tst_write(dir, "f-notat.txt", note, strlen(note)));
    return dir;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = malloc(4096);
    assert_non_null(p);
    snprintf(p, 4096, "%s/%s", dir, name);
    return p;
}

/* Overwrite a file with as many harmless bytes, keeping its size, mtime and inode: only a run
 * that does not read it again still reports what it held. */
static void blank_keeping_identity(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    for (off_t i = 0; i < sb.st_size; i++)
        assert_int_equal(write(fd, i % 40 == 39 ? "\n" : "x", 1), 1);
    close(fd);
    const struct timespec t[2] = {sb.st_atim, sb.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static size_t count_lines(const char *path)
{
    char *text = tst_slurp(path, NULL);
    size_t n = 0;
    for (const char *c = text; c && *c; c++)
        n += *c == '\n';
    free(text);
    return n;
}

/* The same report, byte for byte, and the same exit code. */
/* A copy of a report without the time its run started (a JSON report's run.started). */
static char *without_start_time(const char *out)
{
    char *c = strdup(out);
    assert_non_null(c);
    static const char key[] = "\"started\": \"";
    for (char *p = strstr(c, key); p != NULL; p = strstr(p, key)) {
        p += sizeof key - 1;
        for (; *p != '\0' && *p != '"'; p++)
            *p = 'X';
    }
    return c;
}

/* The same report, apart from when the run started. */
static void assert_same_out(const char *out, const char *ref)
{
    char *a = without_start_time(out), *b = without_start_time(ref);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* The same exit code and report, apart from when the run started. */
static void assert_same_report(const run *r, const run *ref)
{
    assert_int_equal(r->code, ref->code);
    assert_same_out(r->out, ref->out);
}

/* A run with --state reports what a run without it does; a rerun reads no file again. */
static void test_state_rerun_reports_the_same_without_scanning_again(void **state)
{
    (void)state;
    char *dir = state_batch("batch-a");
    char *st = path_in(g_dir, "a.state");
    run ref = tsrun((const char *[]){"-f", "json", dir, NULL});
    assert_int_equal(ref.code, 3); /* the empty file */
    run r1 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    assert_same_report(&r1, &ref);
    struct stat sb;
    assert_int_equal(stat(st, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600); /* it holds the secrets */
    assert_int_equal(count_lines(st), 7);      /* header + one record per file */

    /* the firewall configuration and the PDF are blanked: a scan would now find nothing */
    char *cfg = path_in(dir, "a-ruter.cfg"), *pdf = path_in(dir, "d-anbud.pdf");
    blank_keeping_identity(cfg);
    blank_keeping_identity(pdf);
    run r2 = tsrun((const char *[]){"-f", "json", "-j", "3", "--state", st, dir, NULL});
    assert_same_report(&r2, &ref);
    assert_non_null(strstr(r2.err, "6 of 6 files were scanned before"));
    assert_int_equal(count_lines(st), 7); /* nothing new was recorded */

    /* every format and -o: the report comes from the same documents */
    const char *formats[] = {"text", "jsonl", "sarif", "html", "csv"};
    char *st_f = path_in(g_dir, "formats.state");
    char *outp = path_in(g_dir, "report.out");
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        run fresh = tsrun((const char *[]){"-f", formats[i], dir, NULL});
        run first = tsrun((const char *[]){"-f", formats[i], "--state", st_f, dir, NULL});
        run again = tsrun((const char *[]){"-f", formats[i], "-o", outp, "--state", st_f, dir,
                                           NULL});
        char *again_out = tst_slurp(outp, NULL);
        assert_same_out(first.out, fresh.out);
        assert_same_out(again_out, fresh.out);
        assert_int_equal(again.code, fresh.code);
        run_free(&fresh);
        run_free(&first);
        run_free(&again);
        free(again_out);
    }

    /* a state file inside the scanned folder is not scanned; shards each keep their own */
    char *inside = path_in(dir, "batch.state");
    run in = tsrun((const char *[]){"-f", "jsonl", "--state", inside, dir, NULL});
    assert_null(strstr(in.out, "batch.state"));
    run sh = tsrun((const char *[]){"-f", "jsonl", "--shard", "2/2", "--state", inside, dir, NULL});
    assert_non_null(strstr(sh.err, "3 of 3 files were scanned before"));
    run same = tsrun((const char *[]){"-o", inside, "--state", inside, dir, NULL});
    assert_int_equal(same.code, 2);
    int held = open(inside, O_RDONLY);
    assert_int_equal(flock(held, LOCK_EX), 0); /* another run has it */
    run busy = tsrun((const char *[]){"--state", inside, dir, NULL});
    close(held);
    assert_int_equal(busy.code, 2);
    assert_non_null(strstr(busy.err, "in use by another tenderscan run"));
    run_free(&busy);
    assert_int_equal(count_lines(inside), 7); /* left alone */
    run_free(&in);
    run_free(&sh);
    run_free(&same);
    free(inside);
    free(st_f);
    free(outp);
    run_free(&ref);
    run_free(&r1);
    run_free(&r2);
    free(cfg);
    free(pdf);
    free(st);
    free(dir);
}

/* A record cut short (the run was killed while writing it) is dropped; its file is scanned. */
static void test_state_with_a_torn_last_record_completes_the_report(void **state)
{
    (void)state;
    char *dir = state_batch("batch-b");
    char *st = path_in(g_dir, "b.state");
    run ref = tsrun((const char *[]){"-f", "json", dir, NULL});
    run r1 = tsrun((const char *[]){"-f", "json", "-j", "1", "--state", st, dir, NULL});
    struct stat sb;
    assert_int_equal(stat(st, &sb), 0);
    assert_int_equal(truncate(st, sb.st_size - 30), 0); /* in the middle of the last record */
    run r2 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    assert_same_report(&r2, &ref);
    assert_non_null(strstr(r2.err, "5 of 6 files were scanned before"));
    assert_null(strstr(r2.err, "damaged"));
    /* the torn line was cut off and the file recorded again: whole again */
    assert_int_equal(count_lines(st), 7);
    run r3 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    assert_same_out(r3.out, ref.out);
    assert_non_null(strstr(r3.err, "6 of 6 files were scanned before"));
    run_free(&ref);
    run_free(&r1);
    run_free(&r2);
    run_free(&r3);
    free(st);
    free(dir);
}

/* A file changed since it was recorded is scanned again, and only that one. */
static void test_state_rescans_only_a_file_changed_since(void **state)
{
    (void)state;
    char *dir = state_batch("batch-c");
    char *st = path_in(g_dir, "c.state");
    run r1 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    char *cfg = path_in(dir, "a-ruter.cfg");
    blank_keeping_identity(cfg); /* unchanged to the state: still reported as block */
    /* new content of the same size and inode: only the mtime tells; scanned again, its new
     * finding shows */
    char *note = path_in(dir, "f-notat.txt");
    struct stat sb;
    assert_int_equal(stat(note, &sb), 0);
    char now[64];
    assert_true(sb.st_size > 17 && sb.st_size < 60);
    snprintf(now, sizeof now, "%-*s\n", (int)sb.st_size - 1, "Svitsj: 10.9.8.7");
    int fd = open(note, O_WRONLY);
    assert_int_equal(write(fd, now, strlen(now)), sb.st_size);
    close(fd);
    const struct timespec t[2] = {sb.st_atim, {.tv_sec = sb.st_mtim.tv_sec + 5}};
    assert_int_equal(utimensat(AT_FDCWD, note, t, 0), 0);
    run r2 = tsrun((const char *[]){"-f", "json", "--show-secrets", "--state", st, dir, NULL});
    assert_non_null(strstr(r2.err, "5 of 6 files were scanned before"));
    assert_non_null(strstr(r2.out, "10.9.8.7"));    /* the changed file, scanned again */
    assert_non_null(strstr(r2.out, "Sommer2024!")); /* the blanked one, from the state */
    assert_int_equal(count_lines(st), 8);           /* the new record of the changed file */
    run_free(&r1);
    run_free(&r2);
    free(cfg);
    free(note);
    free(st);
    free(dir);
}

/* Other rules (or --ignore, limits, --timeout, --max-memory): the state is not used and starts
 * afresh. */
static void test_state_from_other_rules_is_not_used(void **state)
{
    (void)state;
    char *dir = state_batch("batch-d");
    char *st = path_in(g_dir, "d.state");
    char *rules = fixture("kantine.rules", "[x.kantine]\ncategory = network\nseverity = high\n"
                                           "pattern = kantina\ntitle.en = Canteen\n");
    run r1 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    char *cfg = path_in(dir, "a-ruter.cfg");
    blank_keeping_identity(cfg);
    run ref = tsrun((const char *[]){"-f", "json", "--rules", rules, dir, NULL});
    assert_null(strstr(ref.out, "Sommer2024")); /* the blanked file, read again */
    run r2 = tsrun((const char *[]){"-f", "json", "--rules", rules, "--state", st, dir, NULL});
    assert_non_null(strstr(r2.err, "written with other rules"));
    assert_null(strstr(r2.err, "files were scanned before"));
    assert_same_report(&r2, &ref);
    assert_non_null(strstr(r2.out, "x.kantine"));
    /* started afresh for these rules: the next run with them takes everything from it */
    run r3 = tsrun((const char *[]){"-f", "json", "--rules", rules, "--state", st, dir, NULL});
    assert_same_out(r3.out, ref.out);
    assert_non_null(strstr(r3.err, "6 of 6 files were scanned before"));
    assert_null(strstr(r3.err, "afresh"));
    run r4 = tsrun((const char *[]){"--timeout", "60", "--rules", rules, "--state", st, dir, NULL});
    assert_non_null(strstr(r4.err, "another --timeout"));
    /* a file stopped at one memory bound may be read under another */
    run r5 = tsrun((const char *[]){"--timeout", "60", "--max-memory", "2G", "--rules", rules,
                                    "--state", st, dir, NULL});
    assert_non_null(strstr(r5.err, "another --timeout or --max-memory"));
    assert_null(strstr(r5.err, "files were scanned before"));
    run_free(&r5);
    run_free(&r1);
    run_free(&ref);
    run_free(&r2);
    run_free(&r3);
    run_free(&r4);
    free(cfg);
    free(rules);
    free(st);
    free(dir);
}

/* A damaged state file costs time, never the report: what cannot be read is scanned again. */
static void test_damaged_state_file_rescans_with_a_note(void **state)
{
    (void)state;
    char *dir = state_batch("batch-e");
    char *st = path_in(g_dir, "e.state");
    run ref = tsrun((const char *[]){"-f", "json", dir, NULL});
    /* garbage from the first byte */
    unsigned char junk[3000];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 131 + 7);
    free(tst_write(g_dir, "e.state", junk, sizeof junk));
    run r1 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    assert_same_report(&r1, &ref);
    assert_non_null(strstr(r1.err, "not written by this program or is damaged"));
    assert_int_equal(count_lines(st), 7);

    /* a good header, then damage: a flipped byte in one record, junk lines, a bad key */
    char *text = tst_slurp(st, NULL);
    assert_non_null(text);
    char *second = strchr(strchr(text, '\n') + 1, '\n') + 1; /* the second record */
    char *tab = strchr(second, '\t');
    tab[10] = tab[10] == 'A' ? 'B' : 'A';
    size_t len = strlen(text);
    char *bad = malloc(len + 4000);
    assert_non_null(bad);
    memcpy(bad, text, len);
    memcpy(bad + len, "{\"p\":\"zz\",\"s\":1}\t{}\nno tab here\n\t\n", 34);
    memcpy(bad + len + 34, junk, 200);
    bad[len + 34 + 200] = '\n';
    free(tst_write(g_dir, "e.state", bad, len + 34 + 201));
    run r2 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    assert_same_report(&r2, &ref);
    assert_non_null(strstr(r2.err, "damaged records in the state file"));
    run r3 = tsrun((const char *[]){"-f", "json", "--state", st, dir, NULL});
    assert_same_out(r3.out, ref.out);
    assert_non_null(strstr(r3.err, "6 of 6 files were scanned before"));
    run_free(&ref);
    run_free(&r1);
    run_free(&r2);
    run_free(&r3);
    free(text);
    free(bad);
    free(st);
    free(dir);
}

/* A run killed in the middle (SIGKILL, as a scheduler or a reboot would) goes on when rerun. */
static void test_state_after_a_kill_completes_the_same_report(void **state)
{
    (void)state;
    char *dir = state_batch("batch-f");
    free(slow_pdf("batch-f/c-treg.pdf", 20000)); /* sorted after the first three files */
    char *st = path_in(g_dir, "f.state");
    run ref = tsrun((const char *[]){"-f", "json", "-j", "1", dir, NULL});
    char outp[4096];
    snprintf(outp, sizeof outp, "%s/killed.json", g_dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        child_env(NULL);
        execl(TS_BINARY, TS_BINARY, "-q", "-f", "json", "-j", "1", "--state", st, dir,
              (char *)NULL);
        _exit(127);
    }
    /* the first three files are recorded, then it works on the slow one */
    for (int i = 0; i < 6000 && count_lines(st) < 4; i++)
        usleep(5000);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    size_t recorded = count_lines(st);
    assert_true(recorded >= 4 && recorded < 8);
    run r = tsrun((const char *[]){"-f", "json", "-j", "1", "--state", st, dir, NULL});
    assert_same_report(&r, &ref);
    char said[64];
    snprintf(said, sizeof said, "%zu of 7 files were scanned before", recorded - 1);
    assert_non_null(strstr(r.err, said));
    assert_int_equal(count_lines(st), 8);
    run_free(&ref);
    run_free(&r);
    free(st);
    free(dir);
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
    /* each shard starts with its run line (merge checks it), then its documents */
    const char *d1 = strchr(s1.out, '\n'), *d2 = strchr(s2.out, '\n');
    assert_non_null(d1);
    assert_non_null(d2);
    static const char run1[] = "{\"run\":{\"shard\":\"1/2\"";
    assert_int_equal(strncmp(s1.out, run1, strlen(run1)), 0);
    assert_int_equal(strlen(d1 + 1) + strlen(d2 + 1), strlen(all.out));
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

/* Lines of a jsonl report whose path is exactly `path` (JSON-escaped as written). */
static size_t count_path(const char *jsonl, const char *path)
{
    char want[512];
    snprintf(want, sizeof want, "{\"path\":\"%s\",", path);
    size_t n = 0;
    for (const char *p = jsonl; (p = strstr(p, want)) != NULL; p++)
        n++;
    return n;
}

/* The jsonl line of `path`, or NULL (points into `jsonl`; up to its newline). */
static const char *line_of(const char *jsonl, const char *path)
{
    char want[512];
    snprintf(want, sizeof want, "{\"path\":\"%s\",", path);
    return strstr(jsonl, want);
}

static bool line_has(const char *jsonl, const char *path, const char *text)
{
    const char *l = line_of(jsonl, path), *nl = l ? strchr(l, '\n') : NULL;
    const char *at = l ? strstr(l, text) : NULL;
    return at != NULL && (nl == NULL || at < nl);
}

/*
 * Issue 13: a symbolic link inside a folder is in the report, as a document that was not read
 * and why (exit 3), unless --follow-symlinks: then what it points to is scanned, each file once,
 * a link back up (a loop) is not walked again, and a link to nothing is an error of its own.
 */
static void test_symbolic_links_in_folders_are_listed_or_followed(void **state)
{
    (void)state;
    char dir[4096], sub[4200], outside[4096];
    snprintf(dir, sizeof dir, "%s/lenker", g_dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(outside, sizeof outside, "%s/utenfor", g_dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(mkdir(outside, 0700), 0);
    free(tst_write(dir, "a.txt", "hei\n", 4));
    free(tst_write(sub, "b.txt", "hei\n", 4));
    free(tst_write(outside, "ekstern.txt", "Kjernesvitsj har adresse 10.20.1.1\n", 35));
    static const struct {
        const char *name, *target;
    } links[] = {
        {"link-a", "a.txt"},
        {"dangling", "finnes-ikke.txt"},
        {"self", "self"},
        {"sub/up", ".."},
        {"ekstern", "../utenfor/ekstern.txt"},
        {"passord=Vinter2024!.txt", "a.txt"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        char lp[4400];
        snprintf(lp, sizeof lp, "%s/%s", dir, links[i].name);
        assert_int_equal(symlink(links[i].target, lp), 0);
    }
    char p[4400];
    /* not followed: each link is a document with grade error and the reason */
    run r = tsrun((const char *[]){"-f", "jsonl", dir, NULL});
    assert_int_equal(r.code, 3);
    static const char *const not_read[] = {"link-a", "dangling", "self", "sub/up", "ekstern"};
    for (size_t i = 0; i < sizeof not_read / sizeof not_read[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, not_read[i]);
        assert_int_equal(count_path(r.out, p), 1);
        assert_true(line_has(r.out, p, "\"grade\":\"error\""));
        assert_true(line_has(r.out, p, "symbolic link not followed"));
        assert_true(line_has(r.out, p, "--follow-symlinks"));
    }
    snprintf(p, sizeof p, "%s/a.txt", dir);
    assert_true(line_has(r.out, p, "\"grade\":\"ok\""));
    /* a link's name is scanned like any name: the password in it is masked */
    assert_null(strstr(r.out, "Vinter2024!"));
    assert_non_null(strstr(r.out, "/passord=Vi*******4!~"));
    assert_null(strstr(r.out, "10.20.1.1")); /* the file outside was not read */
    run nb = tsrun((const char *[]){"-f", "jsonl", "--lang", "nb", dir, NULL});
    assert_non_null(strstr(nb.out, "symbolsk lenke ble ikke fulgt"));

    /* followed */
    run f = tsrun((const char *[]){"-f", "jsonl", "--follow-symlinks", dir, NULL});
    assert_int_equal(f.code, 3); /* the dangling link and the loop to itself */
    snprintf(p, sizeof p, "%s/dangling", dir);
    assert_true(line_has(f.out, p, "symbolic link to something that does not exist"));
    snprintf(p, sizeof p, "%s/self", dir);
    assert_true(line_has(f.out, p, "(a loop)"));
    /* a.txt once, under its own name: the two links to it are not scanned again */
    snprintf(p, sizeof p, "%s/a.txt", dir);
    assert_int_equal(count_path(f.out, p), 1);
    snprintf(p, sizeof p, "%s/link-a", dir);
    assert_int_equal(count_path(f.out, p), 0);
    assert_non_null(strstr(f.err, "2 files that symbolic links led to a second time"));
    /* the link back up is not walked again: b.txt once, no sub/up/… paths */
    snprintf(p, sizeof p, "%s/sub/b.txt", dir);
    assert_int_equal(count_path(f.out, p), 1);
    assert_null(strstr(f.out, "sub/up/"));
    assert_non_null(strstr(f.err, "sub/up: symbolic link to a folder that is scanned already"));
    /* a file only a link reaches is scanned under the link's path */
    snprintf(p, sizeof p, "%s/ekstern", dir);
    assert_true(line_has(f.out, p, "network.ipv4-private"));
    run q = tsrun((const char *[]){"-q", "--follow-symlinks", dir, NULL});
    assert_string_equal(q.err, "");
    run_free(&r);
    run_free(&nb);
    run_free(&f);
    run_free(&q);
}

/* Issue 13: two files whose names differ only in bytes that are not UTF-8 are two paths. */
static void test_names_differing_in_invalid_bytes_are_two_paths(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/latin1", g_dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    free(tst_write(dir, "pris\xE6.txt", "hei\n", 4));
    free(tst_write(dir, "pris\xF8.txt", "hei\n", 4));
    run r = tsrun((const char *[]){"-f", "jsonl", dir, NULL});
    assert_int_equal(r.code, 0);
    char p[4400];
    snprintf(p, sizeof p, "%s/pris\\\\xE6.txt", dir);
    assert_int_equal(count_path(r.out, p), 1);
    snprintf(p, sizeof p, "%s/pris\\\\xF8.txt", dir);
    assert_int_equal(count_path(r.out, p), 1);
    assert_null(strstr(r.out, "\xEF\xBF\xBD")); /* no U+FFFD */
    run t = tsrun((const char *[]){dir, NULL});
    assert_non_null(strstr(t.out, "/pris\\xE6.txt"));
    assert_non_null(strstr(t.out, "/pris\\xF8.txt"));
    run_free(&r);
    run_free(&t);
}

/*
 * Issue 13: a password in a file name or a ZIP member's name is a finding, and no report
 * format, no progress line and no merged report shows it unless --show-secrets.
 */
static void test_password_in_a_name_is_found_and_masked_in_every_format(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/navn", g_dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    free(tst_write(dir, "passord=Sommer2024!.txt", "Tilbudet leveres.\n", 18));
    fx_part parts[] = {{.name = "config/pw_Vinter#22.txt", .data = "Tilbudet leveres.\n"}};
    free(fx_zip_write(dir, "pakke.zip", parts, 1));
    static const char *const formats[] = {"text", "json", "jsonl", "sarif", "html", "csv"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        run r = tsrun((const char *[]){"-f", formats[i], "--progress", dir, NULL});
        assert_int_equal(r.code, 1); /* block */
        if (strstr(r.out, "Sommer2024!") || strstr(r.out, "Vinter#22") ||
            strstr(r.err, "Sommer2024!") || strstr(r.err, "Vinter#22"))
            fail_msg("%s shows a password of a name:\n%s%s", formats[i], r.out, r.err);
        assert_non_null(strstr(r.out, "passord=So*******4!~"));
        assert_non_null(strstr(r.out, "pw_Vi*****22~"));
        assert_non_null(strstr(r.err, "passord=So*******4!~")); /* the progress line */
        run s = tsrun((const char *[]){"-f", formats[i], "--show-secrets", dir, NULL});
        assert_non_null(strstr(s.out, "Sommer2024!"));
        assert_non_null(strstr(s.out, "Vinter#22"));
        run_free(&r);
        run_free(&s);
    }
    /* a merged report reads the masked paths back and keeps them masked */
    char shard[4200];
    snprintf(shard, sizeof shard, "%s/navn.jsonl", g_dir);
    run j = tsrun((const char *[]){"-f", "jsonl", "-o", shard, dir, NULL});
    assert_int_equal(j.code, 1);
    run m = tsrun((const char *[]){"merge", "--show-secrets", shard, NULL});
    assert_int_equal(m.code, 1);
    assert_null(strstr(m.out, "Sommer2024!"));
    assert_non_null(strstr(m.out, "pakke.zip!config/pw_Vi*****22~"));
    run_free(&j);
    run_free(&m);
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
    assert_same_out(a.out, b.out);
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

/* Run and keep standard output in g_dir/name; returns the exit code and the path. */
static int tsrun_to(const char *name, const char *const *args, char **path)
{
    run r = tsrun(args);
    *path = tst_write(g_dir, name, r.out, strlen(r.out));
    int code = r.code;
    run_free(&r);
    return code;
}

/* The document of a report with this path, or NULL. */
static json_t *doc_by_path(json_t *report, const char *path)
{
    json_t *docs = json_object_get(report, "documents");
    for (size_t i = 0; i < json_array_size(docs); i++) {
        json_t *d = json_array_get(docs, i);
        if (strcmp(json_string_value(json_object_get(d, "path")), path) == 0)
            return d;
    }
    return NULL;
}

/*
 * Two shards of a folder, merged, are the report of one scan of it: the same tool block, summary
 * and documents (children included), field for field. Only the order differs: merge keeps the
 * input order (shard 1's documents, then shard 2's), a scan the order of the folder walk.
 */
static void test_merge_of_two_shards_equals_one_scan(void **state)
{
    (void)state;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/delt", g_dir);
    mkdir(sub, 0700);
    const fx_part parts[] = {{.name = "ruter.cfg", .data = config},
                             {.name = "brev.txt", .data = "Tilbudet leveres innen fristen.\n"}};
    free(fx_zip_write(sub, "pakke.zip", parts, 2));
    free(tst_write(sub, "ruter.cfg", config, strlen(config)));
    free(tst_write(sub, "brev.txt", "Se punkt 4.2.\n", 14));
    free(fixture("delt/skriver.txt", "Skriveren står på 10.1.1.1\n"));
    free(tst_write(sub, "tom.txt", "", 0));
    char *s1 = NULL, *s2 = NULL;
    assert_int_equal(tsrun_to("s1.jsonl", (const char *[]){"-f", "jsonl", "--shard", "1/2", sub,
                                                            NULL},
                              &s1),
                     3);
    assert_int_equal(tsrun_to("s2.jsonl", (const char *[]){"-f", "jsonl", "--shard", "2/2", sub,
                                                            NULL},
                              &s2),
                     1);
    run one = tsrun((const char *[]){"-f", "json", sub, NULL});
    run merged = tsrun((const char *[]){"merge", "-f", "json", s1, s2, NULL});
    assert_int_equal(one.code, 3);
    assert_int_equal(merged.code, 3);
    json_t *a = json_loads(one.out, 0, NULL), *b = json_loads(merged.out, 0, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(json_equal(json_object_get(a, "summary"), json_object_get(b, "summary")));
    assert_true(json_equal(json_object_get(a, "tool"), json_object_get(b, "tool")));
    json_t *docs = json_object_get(b, "documents");
    assert_int_equal(json_array_size(docs), json_array_size(json_object_get(a, "documents")));
    assert_int_equal(json_array_size(docs), 7); /* 5 files and 2 zip members: every grade */
    for (size_t i = 0; i < json_array_size(docs); i++) {
        json_t *d = json_array_get(docs, i);
        json_t *want = doc_by_path(a, json_string_value(json_object_get(d, "path")));
        if (want == NULL || !json_equal(d, want))
            fail_msg("merged %s differs from the scan's",
                     json_string_value(json_object_get(d, "path")));
    }
    /* input order: the merge starts with shard 1's first document */
    char first[4200];
    char *s1text = tst_slurp(s1, NULL);
    const char *s1doc = strchr(s1text, '\n') + 1; /* after the run line */
    json_t *s1first = json_loadb(s1doc, strcspn(s1doc, "\n"), 0, NULL);
    assert_non_null(s1first);
    snprintf(first, sizeof first, "%s", json_string_value(json_object_get(s1first, "path")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "path")),
                        first);
    json_decref(s1first);
    free(s1text);
    json_decref(a);
    json_decref(b);
    run_free(&one);
    run_free(&merged);

    /* the same shard twice: each document once */
    run twice = tsrun((const char *[]){"merge", "-f", "jsonl", s2, s2, NULL});
    run once = tsrun((const char *[]){"merge", "-f", "jsonl", s2, NULL});
    assert_string_equal(twice.out, once.out);
    assert_non_null(strstr(twice.err, "more than once"));
    run_free(&twice);
    run_free(&once);
    free(s1);
    free(s2);
}

/* merge exits as scan does: 0 clean, 1 at or above --fail-on, 3 with an unreadable document. */
static void test_merge_exit_codes_follow_the_grades(void **state)
{
    (void)state;
    char *cfg = fixture("m-ruter.cfg", config);
    char *addr = fixture("m-skriver.txt", "Skriveren står på 10.1.1.1\n");
    char *clean = fixture("m-ren.txt", "Tilbudsfrist er 1. mars 2025.\n");
    char *empty = fixture("m-tom.txt", "");
    char *block = NULL, *review = NULL, *ok = NULL, *error = NULL;
    assert_int_equal(tsrun_to("block.jsonl", (const char *[]){"-f", "jsonl", cfg, NULL}, &block),
                     1);
    assert_int_equal(
        tsrun_to("review.jsonl", (const char *[]){"-f", "jsonl", addr, NULL}, &review), 1);
    assert_int_equal(tsrun_to("ok.jsonl", (const char *[]){"-f", "jsonl", clean, NULL}, &ok), 0);
    assert_int_equal(tsrun_to("error.jsonl", (const char *[]){"-f", "jsonl", empty, NULL}, &error),
                     3);
    const struct {
        const char *const *args;
        int code;
    } cases[] = {
        {(const char *[]){"merge", ok, NULL}, 0},
        {(const char *[]){"merge", ok, review, NULL}, 1},
        {(const char *[]){"merge", "--fail-on", "block", ok, review, NULL}, 0},
        {(const char *[]){"merge", "--fail-on", "block", review, block, ok, NULL}, 1},
        {(const char *[]){"merge", block, error, NULL}, 3},
        {(const char *[]){"merge", NULL}, 2},
        {(const char *[]){"merge", "-f", "yaml", ok, NULL}, 2},
        {(const char *[]){"merge", "--summary", ok, NULL}, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run r = tsrun(cases[i].args);
        if (r.code != cases[i].code)
            fail_msg("case %zu: exit %d, not %d (%s)", i, r.code, cases[i].code, r.err);
        run_free(&r);
    }
    /* the report in Norwegian, and as HTML to a file */
    run r = tsrun((const char *[]){"merge", "--lang", "nb", block, NULL});
    assert_non_null(strstr(r.out, "STOPP"));
    run_free(&r);
    char html[4200];
    snprintf(html, sizeof html, "%s/samlet.html", g_dir);
    r = tsrun((const char *[]){"merge", "-f", "html", "-o", html, block, review, error, NULL});
    assert_int_equal(r.code, 3);
    char *page = tst_slurp(html, NULL);
    assert_non_null(page);
    assert_non_null(strstr(page, "<html"));
    assert_non_null(strstr(page, "m-ruter.cfg"));
    assert_non_null(strstr(page, "m-tom.txt"));
    assert_non_null(strstr(page, "So*******4!"));
    assert_null(strstr(page, "Sommer2024!"));
    free(page);
    run_free(&r);
    free(cfg);
    free(addr);
    free(clean);
    free(empty);
    free(block);
    free(review);
    free(ok);
    free(error);
}

/* A file that is not tenderscan jsonl: exit 2, FILE:LINE: why, and no half report. */
static void test_merge_of_a_malformed_file_exits_2_with_file_and_line(void **state)
{
    (void)state;
    char *cfg = fixture("x-ruter.cfg", config);
    char *good = NULL;
    assert_int_equal(tsrun_to("good.jsonl", (const char *[]){"-f", "jsonl", cfg, NULL}, &good), 1);
    char *text = tst_slurp(good, NULL);
    size_t n = strlen(text) + 64;
    char *bad_text = malloc(n);
    assert_non_null(bad_text);
    snprintf(bad_text, n, "\n%s{\"path\": \"y\", \"findings\": 3}\n", text);
    char *bad = fixture("bad.jsonl", bad_text);
    run r = tsrun((const char *[]){"merge", "-f", "json", good, bad, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "bad.jsonl:3: \"findings\""));
    assert_string_equal(r.out, "");
    run_free(&r);
    char *half_text = strndup(text, strlen(text) / 2);
    char *half = fixture("half.jsonl", half_text);
    r = tsrun((const char *[]){"merge", half, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "half.jsonl:1: not JSON"));
    run_free(&r);
    char *unknown_text = strdup(text);
    char *at = strstr(unknown_text, "credential.password");
    assert_non_null(at);
    memcpy(at, "credential.passwerd", 19);
    char *unknown = fixture("unknown.jsonl", unknown_text);
    r = tsrun((const char *[]){"merge", unknown, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "unknown.jsonl:1: unknown rule 'credential.passwerd'"));
    run_free(&r);
    r = tsrun((const char *[]){"merge", "-o", good, good, NULL});
    assert_int_equal(r.code, 2);
    char *still = tst_slurp(good, NULL);
    assert_string_equal(still, text); /* the input was not overwritten */
    free(still);
    run_free(&r);
    free(unknown_text);
    free(unknown);
    free(half_text);
    free(half);
    free(bad_text);
    free(bad);
    free(text);
    free(good);
    free(cfg);
}

/* ---- scripting (issue 13, point 5) ------------------------------------------------------- */

/* A path that does not exist is a typo, not a document: exit 2 before anything is scanned. */
static void test_a_path_that_does_not_exist_is_a_usage_error_naming_it(void **state)
{
    (void)state;
    char *good = fixture("n-ruter.cfg", config);
    char *report = fixture("n-rapport.json", "the earlier report\n");
    char gone[4096], gone2[4096];
    snprintf(gone, sizeof gone, "%s/finnes-ikke.docx", g_dir);
    snprintf(gone2, sizeof gone2, "%s/n-ruter.cfg/under", g_dir);
    run r = tsrun((const char *[]){"-f", "json", "-o", report, good, gone, gone2, NULL});
    assert_int_equal(r.code, 2);
    assert_string_equal(r.out, "");
    char want[4200];
    snprintf(want, sizeof want, "%s: does not exist", gone);
    assert_non_null(strstr(r.err, want));
    snprintf(want, sizeof want, "%s: does not exist", gone2);
    assert_non_null(strstr(r.err, want));
    assert_non_null(strstr(r.err, "2 of 3 paths do not exist: nothing was scanned"));
    char *still = tst_slurp(report, NULL);
    assert_string_equal(still, "the earlier report\n"); /* -o was not touched */
    free(still);
    run_free(&r);
    r = tsrun((const char *[]){"--lang", "nb", gone, NULL});
    assert_int_equal(r.code, 2);
    snprintf(want, sizeof want, "%s: finnes ikke", gone);
    assert_non_null(strstr(r.err, want));
    run_free(&r);
    free(good);
    free(report);
}

/* Lines in a text. */
static size_t count_nl(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* No files found: exit 0 and a valid empty report, but said on standard error (not with -q). */
static void test_an_empty_folder_warns_and_reports_nothing(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tom-mappe", g_dir);
    mkdir(dir, 0700);
    run r = tsrun((const char *[]){"-f", "json", dir, NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "no files were found in the folders given"));
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    assert_int_equal(json_array_size(json_object_get(root, "documents")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"),
                                                        "documents")),
                     0);
    json_decref(root);
    run_free(&r);
    r = tsrun((const char *[]){"-f", "sarif", "-q", dir, NULL});
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, "");
    root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    json_decref(root);
    run_free(&r);
    r = tsrun((const char *[]){"--lang", "nb", dir, NULL});
    assert_non_null(strstr(r.err, "fant ingen filer"));
    run_free(&r);
    /* a shard that gets nothing of a folder that has files */
    free(tst_write(dir, "a.txt", "a\n", 2));
    r = tsrun((const char *[]){"-f", "jsonl", "--shard", "2/3", dir, NULL});
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "shard 2/3 got none of the 1 files"));
    assert_int_equal(count_nl(r.out), 1); /* only its run line */
    run_free(&r);
}

static json_t *first_document(const char *json_report)
{
    json_t *root = json_loads(json_report, 0, NULL);
    assert_non_null(root);
    json_t *d = json_incref(json_array_get(json_object_get(root, "documents"), 0));
    assert_non_null(d);
    json_decref(root);
    return d;
}

/* `-` reads one document from standard input, in a worker process like any file. */
static void test_standard_input_is_one_document(void **state)
{
    (void)state;
    char *cfg = fixture("i-ruter.cfg", config);
    char *clean = fixture("i-ren.txt", "Tilbudsfrist er 1. mars 2025.\n");
    run r = tsrun_in((const char *[]){"-f", "json", "-", NULL}, cfg);
    assert_int_equal(r.code, 1);
    json_t *d = first_document(r.out);
    assert_string_equal(json_string_value(json_object_get(d, "path")), "stdin");
    assert_string_equal(json_string_value(json_object_get(d, "grade")), "block");
    assert_int_equal(json_integer_value(json_object_get(d, "bytes")), (json_int_t)strlen(config));
    json_decref(d);
    run_free(&r);

    /* named, among other files, with several workers: in argument order */
    r = tsrun_in((const char *[]){"-f", "jsonl", "-j", "2", "--stdin-name", "pakke/ruter.cfg",
                                  clean, "-", clean, NULL},
                 cfg);
    assert_int_equal(r.code, 1);
    assert_int_equal(count_nl(r.out), 3);
    const char *second = strchr(r.out, '\n') + 1;
    static const char named[] = "{\"path\":\"pakke/ruter.cfg\"";
    assert_int_equal(strncmp(second, named, strlen(named)), 0);
    run_free(&r);

    /* the type comes from the content: a zip from standard input has its members */
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/i-zip", g_dir);
    mkdir(sub, 0700);
    const fx_part parts[] = {{.name = "ruter.cfg", .data = config}};
    char *zip = fx_zip_write(sub, "pakke.zip", parts, 1);
    r = tsrun_in((const char *[]){"-f", "jsonl", "--stdin-name", "pakke.zip", "-", NULL}, zip);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "\"path\":\"pakke.zip!ruter.cfg\""));
    assert_non_null(strstr(r.out, "\"format\":\"zip\""));
    run_free(&r);

    /* nothing on standard input: an empty document, as an empty file is */
    char *empty = fixture("i-tom", "");
    r = tsrun_in((const char *[]){"-f", "json", "-", NULL}, empty);
    assert_int_equal(r.code, 3);
    d = first_document(r.out);
    assert_string_equal(json_string_value(json_object_get(d, "format")), "empty");
    json_decref(d);
    run_free(&r);

    /* a document that hangs a reader costs a worker, not the run */
    char *slow = slow_pdf("i-slow.pdf", 100000);
    r = tsrun_in((const char *[]){"-f", "json", "--timeout", "1.5", "-", cfg, NULL}, slow);
    assert_int_equal(r.code, 3);
    assert_error_then_block(r.out, "longer than 1.5 seconds", NULL);
    run_free(&r);

    /* usage errors */
    r = tsrun_in((const char *[]){"-", "-", NULL}, cfg);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "can be given only once"));
    run_free(&r);
    r = tsrun((const char *[]){"--stdin-name", "x.txt", clean, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "--stdin-name goes with -"));
    run_free(&r);
    free(slow);
    free(empty);
    free(zip);
    free(cfg);
    free(clean);
}

/* --baseline: every finding of an earlier json, jsonl or sarif report is accepted. */
static void test_baseline_accepts_what_an_earlier_report_found(void **state)
{
    (void)state;
    char *cfg = fixture("b-ruter.cfg", config);
    char *json = NULL, *jsonl = NULL, *sarif = NULL;
    assert_int_equal(tsrun_to("b-base.json", (const char *[]){"-f", "json", cfg, NULL}, &json), 1);
    assert_int_equal(
        tsrun_to("b-base.jsonl", (const char *[]){"-f", "jsonl", "--shard", "1/1", cfg, NULL},
                 &jsonl),
        1);
    assert_int_equal(tsrun_to("b-base.sarif", (const char *[]){"-f", "sarif", cfg, NULL}, &sarif),
                     1);
    char *text = tst_slurp(json, NULL);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    json_int_t found =
        json_integer_value(json_object_get(json_object_get(root, "summary"), "findings"));
    assert_true(found >= 3);
    json_decref(root);
    free(text);
    const char *bases[] = {json, jsonl, sarif};
    for (size_t i = 0; i < 3; i++) {
        run r = tsrun((const char *[]){"-f", "json", "--baseline", bases[i], cfg, NULL});
        if (r.code != 0)
            fail_msg("--baseline %s: exit %d: %s", bases[i], r.code, r.err);
        root = json_loads(r.out, 0, NULL);
        assert_non_null(root);
        json_t *sum = json_object_get(root, "summary");
        assert_int_equal(json_integer_value(json_object_get(sum, "findings")), 0);
        assert_int_equal(json_integer_value(json_object_get(sum, "ignored")), found);
        json_decref(root);
        run_free(&r);
    }
    /* a new secret in the same file is still found; the text report counts the accepted */
    char grown[1024];
    snprintf(grown, sizeof grown, "%spassord: Vinter2025#\n", config);
    free(fixture("b-ruter.cfg", grown));
    run r = tsrun((const char *[]){"--baseline", json, cfg, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.out, "Vi*******5#"));
    assert_non_null(strstr(r.out, "accepted"));
    assert_null(strstr(r.out, "So*******4!"));
    run_free(&r);

    /* a report given as an ignore file: one message that names --baseline */
    r = tsrun((const char *[]){"--ignore", json, cfg, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "use --baseline"));
    assert_true(count_nl(r.err) <= 2);
    run_free(&r);
    char *notes = fixture("b-notes.txt", "ikke en rapport\n");
    r = tsrun((const char *[]){"--baseline", notes, cfg, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "not a report of tenderscan"));
    run_free(&r);
    free(notes);
    free(json);
    free(jsonl);
    free(sarif);
    free(cfg);
}

/* An ignore file with many bad lines: five of them and a count, not one line each. */
static void test_ignore_file_errors_stop_after_five(void **state)
{
    (void)state;
    char *cfg = fixture("e-ruter.cfg", config);
    char text[2048];
    size_t used = 0;
    for (int i = 0; i < 30; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "dette er ikke en linje %d\n", i);
    char *ign = fixture("e-ignore.txt", text);
    run r = tsrun((const char *[]){"--ignore", ign, cfg, NULL});
    assert_int_equal(r.code, 2);
    assert_int_equal(count_nl(r.err), 7); /* five lines, "… and 25 more", "could not be used" */
    assert_non_null(strstr(r.err, "… and 25 more"));
    run_free(&r);
    free(ign);
    free(cfg);
}

/* merge checks that its inputs are the shards of one run, each whole (docs/user-guide.md). */
static void test_merge_checks_the_shards_make_one_whole_run(void **state)
{
    (void)state;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/k-delt", g_dir);
    mkdir(sub, 0700);
    for (int i = 0; i < 7; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%d.txt", i);
        free(tst_write(sub, name, i % 2 ? config : "hei\n", i % 2 ? strlen(config) : 4));
    }
    char *s[4] = {NULL};
    for (int k = 1; k <= 3; k++) {
        char name[32], shard[16];
        snprintf(name, sizeof name, "k-s%d.jsonl", k);
        snprintf(shard, sizeof shard, "%d/3", k);
        tsrun_to(name, (const char *[]){"-f", "jsonl", "--shard", shard, sub, NULL}, &s[k]);
    }
    char *line1 = tst_slurp(s[1], NULL);
    ts_run_info ri;
    assert_int_equal(ts_run_info_read(&ri, line1, strcspn(line1, "\n")), TS_OK);
    assert_int_equal(ri.shard_k, 1);
    assert_int_equal(ri.shard_n, 3);
    assert_int_equal(ri.files, 7);
    assert_int_equal(ri.documents, 3);

    run r = tsrun((const char *[]){"merge", "-f", "json", s[1], s[2], s[3], NULL});
    assert_int_equal(r.code, 1);
    assert_string_equal(r.err, "");
    run_free(&r);
    /* 2 of 3: written, but exit 3 and said so, also with -q */
    r = tsrun((const char *[]){"merge", "-q", "-f", "json", s[3], s[1], NULL});
    assert_int_equal(r.code, 3);
    assert_non_null(strstr(r.err, "shard 2/3 is missing: the merged report is incomplete"));
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    assert_int_equal(json_array_size(json_object_get(root, "documents")), 5);
    json_decref(root);
    run_free(&r);
    /* the same shard twice, from two files, and the same file twice */
    char *s2text = tst_slurp(s[2], NULL);
    char *copy = fixture("k-s2-kopi.jsonl", s2text);
    free(s2text);
    r = tsrun((const char *[]){"merge", s[1], s[2], copy, s[3], s[3], NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "shard 2/3 is given twice"));
    assert_non_null(strstr(r.err, "k-s3.jsonl is given more than once"));
    run_free(&r);
    /* a shard cut off after its first document */
    char *text = tst_slurp(s[1], NULL);
    char *end = strchr(strchr(text, '\n') + 1, '\n');
    end[1] = '\0';
    char *cut = fixture("k-s1-kuttet.jsonl", text);
    r = tsrun((const char *[]){"merge", cut, s[2], s[3], NULL});
    assert_int_equal(r.code, 3);
    assert_non_null(strstr(r.err, "should hold 3 documents but holds 1"));
    run_free(&r);
    /* shards of another split: nothing is merged */
    char *other = NULL;
    tsrun_to("k-t2.jsonl", (const char *[]){"-f", "jsonl", "--shard", "2/4", sub, NULL}, &other);
    r = tsrun((const char *[]){"merge", s[1], other, s[3], NULL});
    assert_int_equal(r.code, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "shards of different runs"));
    run_free(&r);
    /* a shard scanned with other accepted findings: another digest */
    char ign_line[128];
    snprintf(ign_line, sizeof ign_line, "%064d\n", 7);
    char *ign = fixture("k-ignore.txt", ign_line);
    char *s2b = NULL;
    tsrun_to("k-s2-annen.jsonl",
             (const char *[]){"-f", "jsonl", "--shard", "2/3", "--ignore", ign, sub, NULL}, &s2b);
    r = tsrun((const char *[]){"merge", s[1], s2b, s[3], NULL});
    assert_int_equal(r.code, 3);
    assert_non_null(strstr(r.err, "scanned with different rules"));
    run_free(&r);
    free(ign);
    free(s2b);
    free(other);
    free(cut);
    free(text);
    free(copy);
    free(line1);
    for (int k = 1; k <= 3; k++)
        free(s[k]);
}

/* ---- reports that cannot tear or leak (DESIGN §6, §9) ------------------------------------ */

/* Start the binary in the background in child_env(env), its standard output and error going to
 * g_dir/NAME.out and NAME.err; its pid. */
static pid_t tsstart(const char *name, const char *const *args, const char *const *env)
{
    char outp[4096], errp[4096];
    snprintf(outp, sizeof outp, "%s/%s.out", g_dir, name);
    snprintf(errp, sizeof errp, "%s/%s.err", g_dir, name);
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
        child_env(env);
        execv(g_bin, (char *const *)(void *)argv);
        _exit(127);
    }
    return pid;
}

/* Wait for `pid` at most `seconds`: its exit code, or 128 + the signal that ended it. */
static int tswait(pid_t pid, int seconds)
{
    int status = 0;
    for (int i = 0; i < seconds * 100; i++) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        assert_true(w >= 0);
        if (w == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    fail_msg("the run did not end within %d seconds", seconds);
    return -1;
}

/* g_dir/name, read whole (malloc'd). */
static char *slurp_in(const char *name)
{
    char *p = path_in(g_dir, name);
    char *text = tst_slurp(p, NULL);
    free(p);
    assert_non_null(text);
    return text;
}

/* Is there a temporary report file (.tenderscan-*.tmp) left in `dir`? */
static bool has_temp_file(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    bool found = false;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        found = found || strncmp(e->d_name, ".tenderscan-", 12) == 0;
    closedir(d);
    return found;
}

static const char EARLIER[] = "the earlier report, which must survive\n";

/* An earlier report at g_dir/name, mode 0644; its path. */
static char *earlier_report(const char *name)
{
    char *p = fixture(name, EARLIER);
    assert_int_equal(chmod(p, 0644), 0);
    return p;
}

static void assert_earlier_report(const char *path)
{
    char *text = tst_slurp(path, NULL);
    assert_non_null(text);
    assert_string_equal(text, EARLIER);
    free(text);
    struct stat sb;
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0644);
}

/* -o v.txt v.txt used to empty the input and exit 0: now refused (2), the input as it was; the
 * same for merge, and for a --rules file given as -o. */
static void test_output_that_is_an_input_is_refused(void **state)
{
    (void)state;
    char *p = fixture("in-out.txt", config);
    run r = tsrun((const char *[]){"-o", p, p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "which this run reads"));
    run_free(&r);
    char *text = tst_slurp(p, NULL);
    assert_string_equal(text, config);
    free(text);
    /* the same file by another name */
    char *other = path_in(g_dir, "in-out-hardlink.txt");
    assert_int_equal(link(p, other), 0);
    r = tsrun((const char *[]){"--lang", "nb", "-o", other, p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "som denne kjøringen leser"));
    run_free(&r);
    char *rules = fixture("own.rules", "# no rules\n");
    r = tsrun((const char *[]){"--rules", rules, "-o", rules, p, NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
    text = tst_slurp(rules, NULL);
    assert_string_equal(text, "# no rules\n");
    free(text);
    char *shard = NULL;
    assert_int_equal(tsrun_to("in-out.jsonl", (const char *[]){"-f", "jsonl", p, NULL}, &shard), 1);
    char *before = tst_slurp(shard, NULL);
    r = tsrun((const char *[]){"merge", "-o", shard, shard, NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
    text = tst_slurp(shard, NULL);
    assert_string_equal(text, before);
    free(text);
    free(before);
    free(shard);
    free(rules);
    free(other);
    free(p);
}

/* A report inside a folder that is scanned is refused, however the two are named: by device and
 * inode of the folder and its parents, and by resolved path; the report need not exist yet. */
static void test_output_inside_a_scanned_folder_is_refused(void **state)
{
    (void)state;
    char *dir = path_in(g_dir, "scanned");
    assert_int_equal(mkdir(dir, 0700), 0);
    char *sub = path_in(dir, "sub");
    assert_int_equal(mkdir(sub, 0700), 0);
    free(tst_write(dir, "ruter.cfg", config, strlen(config)));
    char *link = path_in(g_dir, "scanned-link");
    assert_int_equal(symlink(dir, link), 0);
    char *inside[] = {path_in(dir, "report.txt"), path_in(sub, "../sub/report.txt"),
                      path_in(link, "sub/report.txt")};
    for (size_t i = 0; i < 3; i++) {
        run r = tsrun((const char *[]){"-o", inside[i], dir, NULL});
        assert_int_equal(r.code, 2);
        assert_non_null(strstr(r.err, "which is scanned"));
        run_free(&r);
        r = tsrun((const char *[]){"-o", inside[i], link, NULL}); /* the folder by its link */
        assert_int_equal(r.code, 2);
        run_free(&r);
        assert_int_equal(access(inside[i], F_OK), -1);
        free(inside[i]);
    }
    assert_false(has_temp_file(dir));
    assert_false(has_temp_file(sub));
    /* beside the folder is fine */
    char *beside = path_in(g_dir, "scanned-report.txt");
    run r = tsrun((const char *[]){"-o", beside, dir, NULL});
    assert_int_equal(r.code, 1);
    run_free(&r);
    free(beside);
    free(link);
    free(sub);
    free(dir);
}

/* -o never writes through a symbolic link: refused, and the file the link points to untouched. */
static void test_output_through_a_symlink_is_refused(void **state)
{
    (void)state;
    char *p = fixture("link-src.cfg", config);
    char *victim = earlier_report("link-victim.txt");
    char *link = path_in(g_dir, "link-report.txt");
    assert_int_equal(symlink(victim, link), 0);
    run r = tsrun((const char *[]){"-o", link, p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "symbolic link"));
    run_free(&r);
    assert_earlier_report(victim);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    /* nor anything that is not a regular file */
    r = tsrun((const char *[]){"-o", "/dev/null", p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "not a regular file"));
    run_free(&r);
    assert_false(has_temp_file(g_dir));
    free(link);
    free(victim);
    free(p);
}

/* The report replaces the earlier one whole, readable by its owner only (also with umask 022 and
 * --show-secrets), and no temporary file is left beside it. */
static void test_report_is_written_0600_and_renamed_into_place(void **state)
{
    (void)state;
    char *p = fixture("mode-src.cfg", config);
    char *out = earlier_report("mode-report.json");
    mode_t old = umask(022);
    run r = tsrun((const char *[]){"-f", "json", "--show-secrets", "-o", out, p, NULL});
    umask(old);
    assert_int_equal(r.code, 1);
    run_free(&r);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *text = tst_slurp(out, NULL);
    assert_non_null(strstr(text, "Sommer2024!"));
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root); /* whole */
    json_decref(root);
    free(text);
    assert_false(has_temp_file(g_dir));
    /* merge writes its report the same way */
    char *shard = NULL;
    assert_int_equal(tsrun_to("mode-shard.jsonl", (const char *[]){"-f", "jsonl", p, NULL}, &shard),
                     1);
    char *merged = earlier_report("mode-merged.txt");
    r = tsrun((const char *[]){"merge", "-o", merged, shard, NULL});
    assert_int_equal(r.code, 1);
    run_free(&r);
    assert_int_equal(stat(merged, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_false(has_temp_file(g_dir));
    free(merged);
    free(shard);
    free(out);
    free(p);
}

/* A report that cannot be written completely (here: the file-size limit) is an error (2); the
 * earlier report stays as it was and the temporary file is removed. */
static void test_failed_report_leaves_the_earlier_one(void **state)
{
    (void)state;
    char text[64 * 1024] = "";
    for (int i = 0; i < 400; i++) {
        char line[96];
        snprintf(line, sizeof line, "server 10.20.%d.%d passord: Vinter%d!x\n", i / 200,
                 i % 200 + 1, i);
        strncat(text, line, sizeof text - strlen(text) - 1);
    }
    char *p = fixture("big-src.txt", text);
    char *out = earlier_report("big-report.json");
    char errp[4096];
    snprintf(errp, sizeof errp, "%s/big.err", g_dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(e, 2);
        child_env(NULL);
        /* writes past 8 KiB fail with EFBIG (SIGXFSZ ignored): the report is larger */
        struct rlimit rl = {8192, 8192};
        setrlimit(RLIMIT_FSIZE, &rl);
        signal(SIGXFSZ, SIG_IGN);
        execl(TS_BINARY, TS_BINARY, "-f", "json", "-o", out, p, (char *)NULL);
        _exit(127);
    }
    assert_int_equal(tswait(pid, 120), 2);
    char *err = slurp_in("big.err");
    assert_non_null(strstr(err, "was left as it was"));
    free(err);
    assert_earlier_report(out);
    assert_false(has_temp_file(g_dir));
    free(out);
    free(p);
}

/*
 * SIGINT or SIGTERM in the middle of a scan: the workers are stopped, the earlier report is left
 * byte for byte as it was (no temporary file stays), the way to go on is said, and the exit code
 * is 130 or 143. The worker is busy on a PDF that takes seconds when the signal comes, so a run
 * that ignored it would end with 3, not 130/143.
 */
static void stop_scan(int sig, bool with_state)
{
    char name[64];
    snprintf(name, sizeof name, "stop-%d", sig);
    char *dir = path_in(g_dir, name);
    assert_int_equal(mkdir(dir, 0700), 0);
    free(tst_write(dir, "a.cfg", config, strlen(config)));
    free(tst_write(dir, "b.txt", "Tilbudsfrist 1. mars.\n", 22));
    free(tst_write(dir, "c.txt", "Skriveren står på 10.1.1.1\n", 28));
    char slow[96];
    snprintf(slow, sizeof slow, "%s/d-slow.pdf", name);
    free(slow_pdf(slow, 100000));
    char rep[80], st[80];
    snprintf(rep, sizeof rep, "%s.txt", name);
    snprintf(st, sizeof st, "%s/../%s.state", dir, name);
    char *out = earlier_report(rep);
    const char *args_state[] = {"-j", "1", "-o", out, "--state", st, dir, NULL};
    const char *args_plain[] = {"-j", "1", "--progress", "-o", out, dir, NULL};
    pid_t pid = tsstart(name, with_state ? args_state : args_plain, NULL);
    char errname[80];
    snprintf(errname, sizeof errname, "%s.err", name);
    /* wait until the three small files are done and the worker is on the slow one */
    bool busy = false;
    for (int i = 0; i < 12000 && !busy; i++) {
        usleep(10000);
        if (with_state) {
            busy = count_lines(st) >= 4; /* header + three records */
        } else {
            char *err = slurp_in(errname);
            busy = strstr(err, "[3/4]") != NULL;
            free(err);
        }
    }
    assert_true(busy);
    pid_t worker = first_child(pid);
    assert_int_equal(kill(pid, sig), 0);
    assert_int_equal(tswait(pid, 120), 128 + sig);
    assert_earlier_report(out);
    assert_false(has_temp_file(g_dir));
    if (worker > 0)
        assert_true(kill(worker, 0) != 0); /* stopped and waited for */
    char *err = slurp_in(errname);
    assert_non_null(strstr(err, sig == SIGINT ? "stopped (SIGINT)" : "stopped (SIGTERM)"));
    assert_non_null(strstr(err, "was left as it was"));
    if (with_state) {
        assert_non_null(strstr(err, "run the same command again"));
        assert_int_equal(count_lines(st), 4); /* the slow file was not recorded as scanned */
    } else {
        assert_non_null(strstr(err, "--state FILE"));
    }
    free(err);
    free(out);
    free(dir);
}

static void test_sigint_during_scan_keeps_the_earlier_report_exit_130(void **state)
{
    (void)state;
    stop_scan(SIGINT, true);
}

static void test_sigterm_during_scan_keeps_the_earlier_report_exit_143(void **state)
{
    (void)state;
    stop_scan(SIGTERM, false);
}

/* ---- keyed fingerprints (DESIGN §7) ------------------------------------------------------ */

/* The fingerprint of the first credential finding of a JSON report, or "" (malloc'd). */
static char *credential_fingerprint(const char *report)
{
    json_t *root = json_loads(report, 0, NULL);
    assert_non_null(root);
    json_t *docs = json_object_get(root, "documents");
    char *fp = NULL;
    for (size_t i = 0; i < json_array_size(docs) && fp == NULL; i++) {
        json_t *fs = json_object_get(json_array_get(docs, i), "findings");
        for (size_t k = 0; k < json_array_size(fs) && fp == NULL; k++) {
            json_t *f = json_array_get(fs, k);
            if (strcmp(json_string_value(json_object_get(f, "category")), "credential") == 0)
                fp = strdup(json_string_value(json_object_get(f, "fingerprint")));
        }
    }
    json_decref(root);
    return fp ? fp : strdup("");
}

/* The key a first run makes: 32 bytes, mode 0600, in $XDG_CONFIG_HOME/tenderscan (else
 * ~/.config/tenderscan), used from then on; the fingerprint is the HMAC under it, not SHA-256. */
static void test_default_fingerprint_key_is_made_once_and_used(void **state)
{
    (void)state;
    char *p = fixture("key-pw.txt", "passord: Sommer2024!\n");
    char *xdg = path_in(g_dir, "key-xdg");
    char env_xdg[4200];
    snprintf(env_xdg, sizeof env_xdg, "XDG_CONFIG_HOME=%s", xdg);
    const char *env[] = {env_xdg, NULL};
    run r1 = tsrun_env((const char *[]){"-f", "json", p, NULL}, env);
    assert_int_equal(r1.code, 1);
    assert_non_null(strstr(r1.err, "a new fingerprint key was made"));
    char *keyp = path_in(xdg, "tenderscan/fingerprint.key");
    struct stat sb;
    assert_int_equal(stat(keyp, &sb), 0);
    assert_int_equal(sb.st_size, 32);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *kdir = path_in(xdg, "tenderscan");
    assert_int_equal(stat(kdir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    unsigned char key[33] = {0};
    size_t klen = 0;
    char *kb = tst_slurp(keyp, &klen);
    assert_int_equal(klen, 32);
    memcpy(key, kb, 32);
    free(kb);
    /* what the report says is HMAC-SHA256 under that key, not the plain SHA-256 */
    char *fp1 = credential_fingerprint(r1.out);
    char want[65], plain[65];
    size_t mdlen = 0;
    unsigned char md[32];
    static const char msg[] = "credential\0Sommer2024!";
    assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, 32,
                              (const unsigned char *)msg, sizeof msg - 1, md, 32, &mdlen));
    for (size_t i = 0; i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", md[i]);
    tst_sha256_hex("Sommer2024!", plain);
    assert_string_equal(fp1, want);
    assert_string_not_equal(fp1, plain);
    assert_null(strstr(r1.out, plain));
    /* the second run uses the same key, and says nothing about it */
    run r2 = tsrun_env((const char *[]){"-f", "json", p, NULL}, env);
    assert_null(strstr(r2.err, "fingerprint key"));
    char *fp2 = credential_fingerprint(r2.out);
    assert_string_equal(fp1, fp2);
    /* without XDG_CONFIG_HOME: ~/.config/tenderscan, another key, another fingerprint */
    const char *env_home[] = {"XDG_CONFIG_HOME", NULL};
    run r3 = tsrun_env((const char *[]){"-f", "json", p, NULL}, env_home);
    assert_int_equal(r3.code, 1);
    char *home_key = path_in(g_dir, ".config/tenderscan/fingerprint.key");
    assert_int_equal(stat(home_key, &sb), 0);
    char *fp3 = credential_fingerprint(r3.out);
    assert_string_not_equal(fp1, fp3);
    run_free(&r1);
    run_free(&r2);
    run_free(&r3);
    free(fp1);
    free(fp2);
    free(fp3);
    free(home_key);
    free(kdir);
    free(keyp);
    free(xdg);
    free(p);
}

/* Four first runs at once end with one key, which all of them used. */
static void test_concurrent_first_runs_make_one_key(void **state)
{
    (void)state;
    char *p = fixture("race-pw.txt", "passord: Sommer2024!\n");
    char *xdg = path_in(g_dir, "race-xdg");
    char env_xdg[4200];
    snprintf(env_xdg, sizeof env_xdg, "XDG_CONFIG_HOME=%s", xdg);
    const char *env[] = {env_xdg, NULL};
    pid_t pids[4];
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "race-%d", i);
        pids[i] = tsstart(name, (const char *[]){"-q", "-f", "json", "-j", "1", p, NULL}, env);
    }
    char *first = NULL;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(tswait(pids[i], 120), 1);
        char name[32];
        snprintf(name, sizeof name, "race-%d.out", i);
        char *out = slurp_in(name);
        char *fp = credential_fingerprint(out);
        assert_int_equal(strlen(fp), 64);
        if (first == NULL)
            first = fp;
        else {
            assert_string_equal(fp, first);
            free(fp);
        }
        free(out);
    }
    char *kdir = path_in(xdg, "tenderscan");
    DIR *d = opendir(kdir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.' || strncmp(e->d_name, ".fingerprint", 12) == 0;
    closedir(d);
    assert_int_equal(n, 1); /* fingerprint.key, and no temporary key left */
    free(first);
    free(kdir);
    free(xdg);
    free(p);
}

/* No key and no place to make one: exit 2 with what to do, never plain SHA-256; no report. */
static void test_no_fingerprint_key_exits_2(void **state)
{
    (void)state;
    char *p = fixture("nokey-pw.txt", "passord: Sommer2024!\n");
    char *out = earlier_report("nokey-report.txt");
    run r = tsrun_env((const char *[]){"-o", out, p, NULL},
                      (const char *[]){"HOME", "XDG_CONFIG_HOME", NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "--fingerprint-key FILE"));
    run_free(&r);
    assert_earlier_report(out);
    /* a config folder that cannot be made (a file is in its way) */
    char *blocker = fixture("nokey-file", "not a folder\n");
    char env_xdg[4200];
    snprintf(env_xdg, sizeof env_xdg, "XDG_CONFIG_HOME=%s", blocker);
    r = tsrun_env((const char *[]){"--lang", "nb", "-o", out, p, NULL},
                  (const char *[]){env_xdg, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "fingeravtrykksnøkkelen"));
    assert_non_null(strstr(r.err, "--fingerprint-key FIL"));
    run_free(&r);
    assert_earlier_report(out);
    free(blocker);
    free(out);
    free(p);
}

/* --fingerprint-key FILE: a team that shares the file shares fingerprints (and ignore files),
 * whatever each one's own default key; another key gives other fingerprints; a short key or one
 * anyone may change is refused, one anyone may read is warned about. */
static void test_fingerprint_key_option_is_shared_by_a_team(void **state)
{
    (void)state;
    char *p = fixture("team-pw.txt", "passord: Sommer2024!\n");
    char *team = fixture("team.key", "our organisation's shared key, 2025\n");
    char *other = fixture("other.key", "somebody else's key, not ours at all\n");
    assert_int_equal(chmod(team, 0640), 0);
    assert_int_equal(chmod(other, 0600), 0);
    char *xa = path_in(g_dir, "team-a"), *xb = path_in(g_dir, "team-b");
    char ea[4200], eb[4200];
    snprintf(ea, sizeof ea, "XDG_CONFIG_HOME=%s", xa);
    snprintf(eb, sizeof eb, "XDG_CONFIG_HOME=%s", xb);
    run a = tsrun_env((const char *[]){"-f", "json", "--fingerprint-key", team, p, NULL},
                      (const char *[]){ea, NULL});
    run b = tsrun_env((const char *[]){"-f", "json", "--fingerprint-key", team, p, NULL},
                      (const char *[]){eb, NULL});
    run c = tsrun((const char *[]){"-f", "json", "--fingerprint-key", other, p, NULL});
    assert_int_equal(a.code, 1);
    assert_string_equal(a.err, ""); /* a group-readable team key is fine */
    char *fa = credential_fingerprint(a.out), *fb = credential_fingerprint(b.out);
    char *fc = credential_fingerprint(c.out);
    assert_string_equal(fa, fb);
    assert_string_not_equal(fa, fc);
    /* b's ignore file works for a */
    char line[100];
    snprintf(line, sizeof line, "%s  # accepted\n", fb);
    char *ign = fixture("team-ignore.txt", line);
    run d = tsrun_env(
        (const char *[]){"-f", "json", "--fingerprint-key", team, "--ignore", ign, p, NULL},
        (const char *[]){ea, NULL});
    assert_int_equal(d.code, 0);
    run_free(&a);
    run_free(&b);
    run_free(&c);
    run_free(&d);
    /* refused: too short, writable by anyone, not a file; warned: readable by anyone */
    char *shortk = fixture("short.key", "fifteen bytes!\n");
    run r = tsrun((const char *[]){"--fingerprint-key", shortk, p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "holds 15 bytes"));
    run_free(&r);
    assert_int_equal(chmod(other, 0602), 0);
    r = tsrun((const char *[]){"--fingerprint-key", other, p, NULL});
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "can be changed by anyone"));
    run_free(&r);
    assert_int_equal(chmod(other, 0604), 0);
    r = tsrun((const char *[]){"--fingerprint-key", other, p, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "anyone on this machine can read"));
    run_free(&r);
    r = tsrun((const char *[]){"--fingerprint-key", g_dir, p, NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
    r = tsrun((const char *[]){"--fingerprint-key", "/no/such/key", p, NULL});
    assert_int_equal(r.code, 2);
    run_free(&r);
    free(shortk);
    free(ign);
    free(fa);
    free(fb);
    free(fc);
    free(xa);
    free(xb);
    free(other);
    free(team);
    free(p);
}

/* merge keeps the fingerprints it reads (it has no key to make them with), and says when its
 * inputs were made with different keys or come from report/1 (plain SHA-256). */
static void test_merge_warns_about_mixed_fingerprint_keys(void **state)
{
    (void)state;
    char *p = fixture("mix-pw.txt", "passord: Sommer2024!\n");
    char *q = fixture("mix-ip.txt", "passord: Vinter2025!\n");
    char *k1 = fixture("mix-1.key", "first key of the mixed test....\n");
    char *k2 = fixture("mix-2.key", "second key of the mixed test...\n");
    char *s1 = NULL, *s2 = NULL;
    assert_int_equal(tsrun_to("mix-1.jsonl",
                              (const char *[]){"-f", "jsonl", "--fingerprint-key", k1, p, NULL},
                              &s1),
                     1);
    assert_int_equal(tsrun_to("mix-2.jsonl",
                              (const char *[]){"-f", "jsonl", "--fingerprint-key", k2, q, NULL},
                              &s2),
                     1);
    run r = tsrun((const char *[]){"merge", "-f", "json", s1, NULL});
    assert_int_equal(r.code, 1);
    assert_null(strstr(r.err, "fingerprint")); /* one key: nothing to say */
    char *alone = credential_fingerprint(r.out);
    run_free(&r);
    r = tsrun((const char *[]){"merge", "-f", "json", s1, s2, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "2 different fingerprint keys"));
    char *merged = credential_fingerprint(r.out);
    assert_string_equal(merged, alone); /* kept as read */
    run_free(&r);
    /* the second shard as report/1 wrote it: no key id */
    char *text = tst_slurp(s2, NULL);
    char *cut = strstr(text, ",\"fingerprint_key_id\":");
    assert_non_null(cut);
    memcpy(cut, "}\n", 3);
    char *old = fixture("mix-old.jsonl", text);
    r = tsrun((const char *[]){"merge", "--lang", "nb", s1, old, NULL});
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "tenderscan-report/1"));
    run_free(&r);
    free(old);
    free(text);
    free(merged);
    free(alone);
    free(s1);
    free(s2);
    free(k1);
    free(k2);
    free(q);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_file_exits_0),
        cmocka_unit_test(test_clean_samples_exit_0),
        cmocka_unit_test(test_rule_profile_goes_to_stderr_and_leaves_the_report_alone),
        cmocka_unit_test(test_config_with_secret_is_block_exit_1_in_json),
        cmocka_unit_test(test_pdf_module_is_loaded_beside_the_program_and_its_absence_is_an_error),
        cmocka_unit_test(test_pictures_are_read_by_default_and_never_ok_unread),
        cmocka_unit_test(test_a_file_that_hangs_or_crashes_a_reader_costs_only_that_file),
        cmocka_unit_test(test_a_worker_over_its_processor_time_or_killed_says_so),
        cmocka_unit_test(test_workers_read_under_processor_time_and_memory_limits),
        cmocka_unit_test(test_a_worker_out_of_memory_costs_only_that_file),
        cmocka_unit_test(test_max_memory_takes_sizes_and_refuses_others),
        cmocka_unit_test(test_fail_on_block_lets_review_pass),
        cmocka_unit_test(test_broken_rule_file_exits_2_with_file_and_line),
        cmocka_unit_test(test_unreadable_inputs_exit_3_and_the_rest_is_still_scanned),
        cmocka_unit_test(test_folder_is_walked_and_shards_partition_it),
        cmocka_unit_test(test_symbolic_links_in_folders_are_listed_or_followed),
        cmocka_unit_test(test_names_differing_in_invalid_bytes_are_two_paths),
        cmocka_unit_test(test_password_in_a_name_is_found_and_masked_in_every_format),
        cmocka_unit_test(test_state_rerun_reports_the_same_without_scanning_again),
        cmocka_unit_test(test_state_with_a_torn_last_record_completes_the_report),
        cmocka_unit_test(test_state_rescans_only_a_file_changed_since),
        cmocka_unit_test(test_state_from_other_rules_is_not_used),
        cmocka_unit_test(test_damaged_state_file_rescans_with_a_note),
        cmocka_unit_test(test_state_after_a_kill_completes_the_same_report),
        cmocka_unit_test(test_parallel_and_serial_reports_are_identical),
        cmocka_unit_test(test_ignore_file_accepts_a_finding),
        cmocka_unit_test(test_help_version_and_usage_errors),
        cmocka_unit_test(test_rules_and_explain_commands),
        cmocka_unit_test(test_merge_of_two_shards_equals_one_scan),
        cmocka_unit_test(test_merge_exit_codes_follow_the_grades),
        cmocka_unit_test(test_merge_of_a_malformed_file_exits_2_with_file_and_line),
        cmocka_unit_test(test_a_path_that_does_not_exist_is_a_usage_error_naming_it),
        cmocka_unit_test(test_an_empty_folder_warns_and_reports_nothing),
        cmocka_unit_test(test_standard_input_is_one_document),
        cmocka_unit_test(test_baseline_accepts_what_an_earlier_report_found),
        cmocka_unit_test(test_ignore_file_errors_stop_after_five),
        cmocka_unit_test(test_merge_checks_the_shards_make_one_whole_run),
        cmocka_unit_test(test_output_that_is_an_input_is_refused),
        cmocka_unit_test(test_output_inside_a_scanned_folder_is_refused),
        cmocka_unit_test(test_output_through_a_symlink_is_refused),
        cmocka_unit_test(test_report_is_written_0600_and_renamed_into_place),
        cmocka_unit_test(test_failed_report_leaves_the_earlier_one),
        cmocka_unit_test(test_sigint_during_scan_keeps_the_earlier_report_exit_130),
        cmocka_unit_test(test_sigterm_during_scan_keeps_the_earlier_report_exit_143),
        cmocka_unit_test(test_default_fingerprint_key_is_made_once_and_used),
        cmocka_unit_test(test_concurrent_first_runs_make_one_key),
        cmocka_unit_test(test_no_fingerprint_key_exits_2),
        cmocka_unit_test(test_fingerprint_key_option_is_shared_by_a_team),
        cmocka_unit_test(test_merge_warns_about_mixed_fingerprint_keys),
    };
    return cmocka_run_group_tests_name("cli_cli", tests, setup, teardown);
}

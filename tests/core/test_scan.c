/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the scan itself: a document's name is scanned (a password in a file or member name is
 * a finding), and a file that changes while it is read is never vouched for. */
#include "support/ts_test.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

/*
 * The scan maps the file it opened and reads the mapping. This test program is linked with
 * -Wl,--wrap=mmap (tests/CMakeLists.txt): when a change is armed, the file is changed right
 * after the scan has mapped it, before a byte of it is read. That is the race a file being
 * written during a scan runs, made deterministic.
 */
typedef enum change { NONE, APPEND, REWRITE } change;

static change armed = NONE;
static const char *armed_path;
static const char APPENDED[] = "\nAdministrator passord: Sommer2024!\n";

void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    void *p = __real_mmap(addr, len, prot, flags, fd, off);
    struct stat mapped, target;
    if (armed == NONE || fd < 0 || fstat(fd, &mapped) != 0 || stat(armed_path, &target) != 0 ||
        mapped.st_ino != target.st_ino || mapped.st_dev != target.st_dev)
        return p;
    change what = armed;
    armed = NONE;
    int w = open(armed_path, what == APPEND ? O_WRONLY | O_APPEND : O_WRONLY);
    assert_true(w >= 0);
    if (what == APPEND) {
        assert_int_equal(write(w, APPENDED, sizeof APPENDED - 1), (ssize_t)(sizeof APPENDED - 1));
    } else {
        /* the same size, other bytes, and a modification time set apart from the first one so
         * that the check does not depend on the file system's clock granularity */
        assert_int_equal(pwrite(w, "X", 1, 0), 1);
        struct timespec t[2] = {{.tv_sec = 0, .tv_nsec = UTIME_OMIT},
                                {.tv_sec = mapped.st_mtim.tv_sec - 3600, .tv_nsec = 0}};
        assert_int_equal(futimens(w, t), 0);
    }
    close(w);
    return p;
}

static const char NOTE[] =
    "Kravspesifikasjon for drift av kontorstøtte.\nIngen tekniske detaljer.\n";

static ts_doc *scan_with(tst_fixture *fx, change what)
{
    char *path = tst_write(fx->dir, "notat.txt", NOTE, sizeof NOTE - 1);
    ts_doc *doc = NULL;
    armed_path = path;
    armed = what;
    assert_int_equal(ts_scan_file(&doc, fx->ctx, path), TS_OK);
    armed = NONE;
    assert_non_null(doc);
    free(path);
    return doc;
}

static void test_unchanged_file_is_ok(void **state)
{
    ts_doc *doc = scan_with(*state, NONE);
    assert_null(ts_doc_error(doc));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
}

static void test_file_grown_while_read_is_error_changed(void **state)
{
    ts_doc *doc = scan_with(*state, APPEND);
    /* the appended password came after the mapping was made: it was never read */
    assert_null(tst_find(doc, "credential.password"));
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EIO);
    assert_non_null(
        strstr(ts_doc_error_text(doc, TS_LANG_EN), "changed while it was read: scan it again"));
    assert_non_null(strstr(ts_doc_error_text(doc, TS_LANG_NB),
                           "ble endret mens den ble lest: skann den på nytt"));
    /* and the reason a report shows says so too */
    assert_true(ts_doc_reason_count(doc) > 0);
    assert_non_null(strstr(ts_doc_reason_at(doc, 0, TS_LANG_NB), "ble endret mens den ble lest"));
    ts_doc_free(doc);
}

static void test_file_rewritten_in_place_is_error_changed(void **state)
{
    ts_doc *doc = scan_with(*state, REWRITE);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    assert_int_equal(ts_doc_error_status(doc), TS_EIO);
    assert_non_null(strstr(ts_doc_error(doc), "changed while it was read"));
    ts_doc_free(doc);
}

static int setup(void **state)
{
    *state = tst_ctx_default();
    return 0;
}

static int teardown(void **state)
{
    ts_ctx_free(*state);
    return 0;
}

static ts_doc *scan_named(const ts_ctx *ctx, const char *name)
{
    ts_doc *d = NULL;
    static const char text[] = "Tilbudet leveres innen fristen.\n";
    assert_int_equal(ts_scan_buffer(&d, ctx, name, text, strlen(text)), TS_OK);
    return d;
}

/* The credential found in the name, with where = filename; fails when there is none. */
static const ts_finding *name_secret(const ts_doc *d)
{
    const ts_finding *f = tst_find_cat(d, TS_CAT_CREDENTIAL);
    if (f == NULL)
        fail_msg("no credential found in the name %s", ts_doc_path(d));
    assert_int_equal(ts_finding_where(f), TS_WHERE_FILENAME);
    return f;
}

/* Issue 13: the names the attack used, and their like in bokmål and English. */
static void test_password_in_a_name_is_a_finding_without_the_extension(void **state)
{
    const ts_ctx *ctx = *state;
    static const struct {
        const char *name, *value, *shown;
    } cases[] = {
        {"passord=Sommer2024!.txt", "Sommer2024!", "passord=So*******4!~"},
        {"pakke/config/pw_Vinter#22.txt", "Vinter#22", "pakke/config/pw_Vi*****22~"},
        {"Passord-Vinter2024!.docx", "Vinter2024!", "Passord-Vi*******4!~"},
        {"admin_passord_Sommer2024!.xlsx", "Sommer2024!", "admin_passord_So*******4!~"},
        {"passord Fjord#2024 ny.txt", "Fjord#2024", "passord Fj******24~"},
        {"wpa_passphrase=Gjest2024Fjord.conf", "Gjest2024Fjord", "wpa_passphrase=Gj**********rd~"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ts_doc *d = scan_named(ctx, cases[i].name);
        const ts_finding *f = name_secret(d);
        assert_string_equal(ts_finding_value(f), cases[i].value);
        assert_int_equal(ts_doc_grade(d), TS_GRADE_BLOCK);
        char shown[256];
        ts_doc_path_shown(d, 0, shown, sizeof shown);
        if (strstr(shown, cases[i].shown) != shown || strstr(shown, cases[i].value) != NULL)
            fail_msg("%s shown as %s", cases[i].name, shown);
        ts_doc_path_shown(d, 1, shown, sizeof shown);
        assert_string_equal(shown, cases[i].name);
        ts_doc_free(d);
    }
}

/* Names that speak of passwords without holding one are no finding. */
static void test_names_about_passwords_are_not_passwords(void **state)
{
    const ts_ctx *ctx = *state;
    static const char *const names[] = {
        "Passord-endring-rutine.docx",
        "Passord_rutiner_2024.pdf",
        "Passord_2024.docx",
        "Oversikt passord 2024.xlsx",
        "passord 01.03.2024.txt",
        "passord.txt",
        "Brukernavn og passord.xlsx",
        "Passord_v2.docx",
        "Tilbud 2024-03-01 Kommune.pdf",
        "Password_Protected-56-hello.ppt",
        "split-tokens-split-1-2.pdf",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ts_doc *d = scan_named(ctx, names[i]);
        if (tst_find_cat(d, TS_CAT_CREDENTIAL) != NULL)
            fail_msg("%s: %s", names[i], ts_finding_value(tst_find_cat(d, TS_CAT_CREDENTIAL)));
        char shown[256];
        ts_doc_path_shown(d, 0, shown, sizeof shown);
        assert_string_equal(shown, names[i]);
        ts_doc_free(d);
    }
}

/* A '!' in a name is part of the name, not the "outer!inner" of a child: the whole name is read. */
static void test_a_name_with_an_exclamation_mark_is_read_whole(void **state)
{
    const ts_ctx *ctx = *state;
    ts_doc *d = scan_named(ctx, "pakke.zip");
    assert_int_equal(ts_doc_child(d, "ny!/passord=Vinter2024!.txt", "hei\n", 4), TS_OK);
    const ts_finding *f = name_secret(ts_doc_child_at(d, 0));
    assert_string_equal(ts_finding_value(f), "Vinter2024!");
    ts_doc_free(d);
}

/* A name that is not UTF-8 is read as Windows-1252 and masked at the right bytes. */
static void test_a_password_in_a_name_that_is_not_utf8_is_masked(void **state)
{
    const ts_ctx *ctx = *state;
    ts_doc *d = scan_named(ctx, "r\xE5"
                                "d/passord=Bl\xE5"
                                "b\xE6"
                                "r2024!.txt");
    const ts_finding *f = name_secret(d);
    assert_string_equal(ts_finding_value(f), "Blåbær2024!");
    char shown[256];
    ts_doc_path_shown(d, 0, shown, sizeof shown);
    char want[256];
    snprintf(want, sizeof want,
             "r\\xE5"
             "d/passord=Bl*******4!~%.6s.txt",
             ts_finding_fingerprint(f));
    assert_string_equal(shown, want);
    ts_doc_free(d);
}

/* A file that could not be read still has its name scanned, so the name is masked. */
static void test_an_unread_document_has_its_name_scanned(void **state)
{
    const ts_ctx *ctx = *state;
    ts_doc *d = NULL;
    assert_int_equal(ts_scan_unread(&d, ctx, "mappe/pw_Vinter#22.pdf", TS_EIO, "Permission denied"),
                     TS_OK);
    assert_int_equal(ts_doc_grade(d), TS_GRADE_ERROR);
    assert_string_equal(ts_finding_value(name_secret(d)), "Vinter#22");
    char shown[256];
    ts_doc_path_shown(d, 0, shown, sizeof shown);
    assert_null(strstr(shown, "Vinter#22"));
    ts_doc_free(d);
    /* a file that does not exist: opened by ts_scan_file, the name is read before */
    assert_int_equal(ts_scan_file(&d, ctx, "/nonexistent/passord=Sommer2024!.txt"), TS_OK);
    assert_int_equal(ts_doc_grade(d), TS_GRADE_ERROR);
    assert_string_equal(ts_finding_value(name_secret(d)), "Sommer2024!");
    ts_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unchanged_file_is_ok, tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_file_grown_while_read_is_error_changed, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_file_rewritten_in_place_is_error_changed, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_password_in_a_name_is_a_finding_without_the_extension,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_about_passwords_are_not_passwords, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_name_with_an_exclamation_mark_is_read_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_password_in_a_name_that_is_not_utf8_is_masked, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_unread_document_has_its_name_scanned, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("core_scan", tests, NULL, NULL);
}

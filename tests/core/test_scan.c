/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for scanning a path: a file that changes while it is read is never vouched for. */
#include "support/ts_test.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unchanged_file_is_ok, tst_setup, tst_teardown),
        cmocka_unit_test_setup_teardown(test_file_grown_while_read_is_error_changed, tst_setup,
                                        tst_teardown),
        cmocka_unit_test_setup_teardown(test_file_rewritten_in_place_is_error_changed, tst_setup,
                                        tst_teardown),
    };
    return cmocka_run_group_tests_name("core_scan", tests, NULL, NULL);
}

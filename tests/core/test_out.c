/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the output sinks (src/core/out.c): memory growth, NUL termination, write errors. */
#include "support/ts_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void test_memory_sink_starts_empty_and_nul_terminated(void **state)
{
    (void)state;
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    size_t len = 99;
    const char *m = ts_out_memory(o, &len);
    assert_non_null(m);
    assert_int_equal(len, 0);
    assert_string_equal(m, "");
    ts_out_free(o);
}

static void test_memory_sink_collects_writes_in_order(void **state)
{
    (void)state;
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_out_write(o, "ab", 2), TS_OK);
    assert_int_equal(ts_out_puts(o, "cd"), TS_OK);
    assert_int_equal(ts_out_printf(o, "-%d-%s-%zu", 42, "æø", (size_t)7), TS_OK);
    assert_int_equal(ts_out_write(o, NULL, 0), TS_OK);
    size_t len = 0;
    const char *m = ts_out_memory(o, &len);
    assert_string_equal(m, "abcd-42-æø-7");
    assert_int_equal(len, strlen("abcd-42-æø-7"));
    ts_out_free(o);
}

static void test_memory_sink_printf_longer_than_stack_buffer_is_complete(void **state)
{
    (void)state;
    char big[5001];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_out_printf(o, "<%s>", big), TS_OK);
    size_t len = 0;
    const char *m = ts_out_memory(o, &len);
    assert_int_equal(len, sizeof big + 1);
    assert_int_equal(m[0], '<');
    assert_memory_equal(m + 1, big, sizeof big - 1);
    assert_int_equal(m[len - 1], '>');
    assert_int_equal(m[len], '\0');
    ts_out_free(o);
}

static void test_memory_sink_keeps_embedded_nul_bytes(void **state)
{
    (void)state;
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_out_write(o, "a\0b", 3), TS_OK);
    size_t len = 0;
    const char *m = ts_out_memory(o, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(m, "a\0b\0", 4);
    ts_out_free(o);
}

static void test_memory_sink_grows_through_many_small_writes(void **state)
{
    (void)state;
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(ts_out_write(o, &"0123456789"[i % 10], 1), TS_OK);
    size_t len = 0;
    const char *m = ts_out_memory(o, &len);
    assert_int_equal(len, 100000);
    assert_int_equal(strlen(m), 100000);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(m[i], '0' + (int)(i % 10));
    ts_out_free(o);
}

static void test_file_sink_writes_through_to_the_file(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_file(&o, fp), TS_OK);
    assert_int_equal(ts_out_puts(o, "hei "), TS_OK);
    assert_int_equal(ts_out_printf(o, "%s %u\n", "verden", 3u), TS_OK);
    size_t len = 7;
    assert_null(ts_out_memory(o, &len));
    assert_int_equal(len, 0);
    ts_out_free(o); /* must not close fp */
    assert_int_equal(fflush(fp), 0);
    rewind(fp);
    char buf[64] = {0};
    assert_int_equal(fread(buf, 1, sizeof buf - 1, fp), strlen("hei verden 3\n"));
    assert_string_equal(buf, "hei verden 3\n");
    fclose(fp);
}

static void test_file_sink_failed_write_is_eio(void **state)
{
    (void)state;
    char *dir = tst_tmpdir();
    char *path = tst_write(dir, "ro.txt", "x", 1);
    FILE *fp = fopen(path, "r"); /* writing to a read-only stream fails at once */
    assert_non_null(fp);
    setvbuf(fp, NULL, _IONBF, 0);
    ts_out *o = NULL;
    assert_int_equal(ts_out_new_file(&o, fp), TS_OK);
    assert_int_equal(ts_out_puts(o, "no room"), TS_EIO);
    assert_int_equal(ts_out_printf(o, "%d", 12345), TS_EIO);
    ts_out_free(o);
    fclose(fp);
    tst_rmtree(dir);
    free(path);
    free(dir);
}

static void test_sink_constructors_reject_null_arguments(void **state)
{
    (void)state;
    ts_out *m = NULL;
    assert_int_equal(ts_out_new_memory(&m), TS_OK);
    ts_out *o = m;
    assert_int_equal(ts_out_new_file(&o, NULL), TS_EINVAL);
    assert_null(o);
    ts_out_free(m);
    assert_int_equal(ts_out_new_file(NULL, stdout), TS_EINVAL);
    assert_int_equal(ts_out_new_memory(NULL), TS_EINVAL);
    assert_null(ts_out_memory(NULL, NULL));
    assert_int_equal(ts_out_puts(NULL, "x"), TS_EINVAL);
    ts_out_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_sink_starts_empty_and_nul_terminated),
        cmocka_unit_test(test_memory_sink_collects_writes_in_order),
        cmocka_unit_test(test_memory_sink_printf_longer_than_stack_buffer_is_complete),
        cmocka_unit_test(test_memory_sink_keeps_embedded_nul_bytes),
        cmocka_unit_test(test_memory_sink_grows_through_many_small_writes),
        cmocka_unit_test(test_file_sink_writes_through_to_the_file),
        cmocka_unit_test(test_file_sink_failed_write_is_eio),
        cmocka_unit_test(test_sink_constructors_reject_null_arguments),
    };
    return cmocka_run_group_tests_name("core_out", tests, NULL, NULL);
}

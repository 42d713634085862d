/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests across the reporter table: what every format must do alike. */
#include "support/ts_golden.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * Issue 13: a password in a member's name is masked in every format (the path, the parent's
 * reason that names the member, the finding); show_secrets shows it.
 */
static void test_every_format_masks_a_password_in_a_name(void **state)
{
    tst_report_fx *fx = *state;
    for (size_t i = 0; ts_report_format_at(i) != NULL; i++) {
        const char *format = ts_report_format_at(i);
        for (int show = 0; show < 2; show++) {
            ts_report_opts opts = {.lang = (ts_lang)(i % 2), .show_secrets = show};
            char *out = tst_render(format, &opts, fx->docs, fx->ndocs, NULL);
            bool leaked = strstr(out, TST_NAME_SECRET) != NULL;
            bool masked = strstr(out, "passord:" TST_NAME_MASKED) != NULL ||
                          strstr(out, "passord%3A" TST_NAME_MASKED) != NULL;
            /* (a reason naming the member is masked even with show_secrets: reasons are made once)
             */
            if (show ? !leaked : leaked || !masked)
                fail_msg("%s (show %d): the name is %s", format, show,
                         leaked ? "shown" : "not shown masked");
            free(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_format_masks_a_password_in_a_name, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("report_report", tests, NULL, NULL);
}

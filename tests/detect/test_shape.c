/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Number shapes: every dotted quad and every long number is found, and nothing else is. */
#include "support/ts_test.h"

#include <stdbool.h>
#include <string.h>

#include "detect/shape.h"

typedef struct hits {
    size_t end[4096];
    ts_shape shape[4096];
    size_t n;
} hits;

static int on_hit(size_t end, ts_shape shape, void *payload)
{
    hits *h = payload;
    if (h->n < 4096) {
        h->end[h->n] = end;
        h->shape[h->n++] = shape;
    }
    return 0;
}

static hits *scan(const char *t, size_t len, unsigned want)
{
    static hits h;
    memset(&h, 0, sizeof h);
    ts_shape_scan(t, len, want, on_hit, &h);
    return &h;
}

static const unsigned BOTH = (1u << TS_SHAPE_DOTTED_QUAD) | (1u << TS_SHAPE_LONG_NUMBER);

/* Is there a hit of `shape` that ends exactly at `end`? */
static bool hit_at(const hits *h, ts_shape shape, size_t end)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->shape[i] == shape && h->end[i] == end)
            return true;
    return false;
}

static size_t count(const hits *h, ts_shape shape)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += h->shape[i] == shape;
    return n;
}

static void test_names_round_trip_and_unknown_names_are_refused(void **state)
{
    (void)state;
    assert_int_equal(ts_shape_find("dotted-quad"), TS_SHAPE_DOTTED_QUAD);
    assert_int_equal(ts_shape_find("long-number"), TS_SHAPE_LONG_NUMBER);
    assert_int_equal(ts_shape_find("ipv4"), TS_SHAPES);
    assert_string_equal(ts_shape_name(TS_SHAPE_LONG_NUMBER), "long-number");
    assert_null(ts_shape_name(TS_SHAPES));
}

static void test_dotted_quads_end_where_their_fourth_group_ends(void **state)
{
    (void)state;
    const char *t = "Brannmuren har 10.1.2.3 og nettet 192.168.10.0/24; versjon 1.2.3 er ikke en.";
    hits *h = scan(t, strlen(t), BOTH);
    assert_int_equal(count(h, TS_SHAPE_DOTTED_QUAD), 2);
    assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, (size_t)(strstr(t, " og") - t)));
    assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, (size_t)(strstr(t, "/24") - t)));
    assert_int_equal(count(h, TS_SHAPE_LONG_NUMBER), 0);
}

static void test_a_long_group_breaks_a_quad_but_not_the_one_after_it(void **state)
{
    (void)state;
    const char *t = "1234.5.6.7.8 og 1.2.3.4.5 og 10.0.0.1234";
    hits *h = scan(t, strlen(t), 1u << TS_SHAPE_DOTTED_QUAD);
    assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, 12)); /* 5.6.7.8 */
    assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, 23)); /* 1.2.3.4 */
    assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, 25)); /* 2.3.4.5 */
    assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, strlen(t))); /* the rules decide on 1234 */
    assert_int_equal(h->n, 4);
}

static void test_long_numbers_in_every_common_writing(void **state)
{
    (void)state;
    const char *yes[] = {"fnr 01019012345.", "fnr 010190 12345", "010190-12345", "01.01.90 123 45",
                         "01-01-90-12345", "01 01 90 123 45", "1234.56.78903"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        hits *h = scan(yes[i], strlen(yes[i]), 1u << TS_SHAPE_LONG_NUMBER);
        assert_true(count(h, TS_SHAPE_LONG_NUMBER) >= 1);
    }
    const char *no[] = {"tlf. 22 33 44 55", "org.nr. 974 760 673", "0101  9012345",
                        "010190/12345",     "2024-12-13",          "01 01 90\n123 45"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        hits *h = scan(no[i], strlen(no[i]), BOTH);
        assert_int_equal(h->n, 0);
    }
}

static void test_only_the_shapes_asked_for_are_reported(void **state)
{
    (void)state;
    const char *t = "10.0.0.1 og 010190 12345";
    assert_int_equal(scan(t, strlen(t), 0)->n, 0);
    hits *h = scan(t, strlen(t), 1u << TS_SHAPE_LONG_NUMBER);
    assert_int_equal(count(h, TS_SHAPE_DOTTED_QUAD), 0);
    assert_int_equal(count(h, TS_SHAPE_LONG_NUMBER), 1);
}

static void test_bytes_that_only_look_like_digits_are_not_digits(void **state)
{
    (void)state;
    /* bytes whose low seven bits are digits (0xB0-0xB9: "°", "±", "²" …), and ':' and '/' */
    char t[256];
    size_t n = 0;
    for (int round = 0; round < 3; round++)
        for (unsigned c = 0xB0; c <= 0xB9; c++)
            t[n++] = (char)c;
    memcpy(t + n, "::://///", 8);
    n += 8;
    assert_int_equal(scan(t, n, BOTH)->n, 0);
}

/* Random text from digits, separators and other bytes; a shape that a reader finds by hand must
 * be reported on its line. */
static uint32_t next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void test_random_text_every_shape_is_reported(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789012345678901234567890123456789...   --a:/\n\xc3\xb8\xb2";
    static char t[8192];
    uint32_t seed = 12345;
    for (int round = 0; round < 40; round++) {
        size_t len = 1 + next(&seed) % (sizeof t - 1);
        for (size_t i = 0; i < len; i++)
            t[i] = alphabet[next(&seed) % (sizeof alphabet - 1)];
        hits *h = scan(t, len, BOTH);
        for (size_t p = 0; p < len; p++) {
            if (!is_digit(t[p]) || (p > 0 && is_digit(t[p - 1])))
                continue;
            /* a quad: three groups of 1-3 digits and dots, then a digit */
            size_t q = p;
            int groups = 0;
            while (groups < 3) {
                size_t g = q;
                while (q < len && is_digit(t[q]))
                    q++;
                if (q - g < 1 || q - g > 3 || q >= len || t[q] != '.')
                    break;
                q++;
                groups++;
            }
            if (groups == 3 && q < len && is_digit(t[q])) {
                while (q < len && is_digit(t[q]))
                    q++;
                assert_true(hit_at(h, TS_SHAPE_DOTTED_QUAD, q));
            }
            /* a long number: 11 digits, one space, dot or hyphen at most between two */
            size_t d = 0, e = p;
            while (e < len && is_digit(t[e]) && d < 11) {
                d++;
                e++;
                if (d < 11 && e + 1 < len && (t[e] == ' ' || t[e] == '.' || t[e] == '-') &&
                    is_digit(t[e + 1]))
                    e++;
            }
            if (d == 11) {
                bool found = false;
                for (size_t i = 0; i < h->n && !found; i++)
                    found = h->shape[i] == TS_SHAPE_LONG_NUMBER && h->end[i] >= e &&
                            memchr(t + e, '\n', h->end[i] - e) == NULL;
                assert_true(found);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip_and_unknown_names_are_refused),
        cmocka_unit_test(test_dotted_quads_end_where_their_fourth_group_ends),
        cmocka_unit_test(test_a_long_group_breaks_a_quad_but_not_the_one_after_it),
        cmocka_unit_test(test_long_numbers_in_every_common_writing),
        cmocka_unit_test(test_only_the_shapes_asked_for_are_reported),
        cmocka_unit_test(test_bytes_that_only_look_like_digits_are_not_digits),
        cmocka_unit_test(test_random_text_every_shape_is_reported),
    };
    return cmocka_run_group_tests_name("detect_shape", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Validators: addresses, Norwegian numbers with check digits, Luhn, entropy and the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "detect/validate.h"

/* The checks on a NUL-terminated value. */
#define V(fn, s) fn((s), strlen(s))

/* Run a table validator on `subject`, with the value being the first occurrence of `value`. */
static bool run_in(const char *name, const char *subject, const char *value)
{
    const char *arg = NULL;
    const struct ts_validator *v = ts_validator_find(name, &arg);
    assert_non_null(v);
    const char *at = strstr(subject, value);
    assert_non_null(at);
    size_t start = (size_t)(at - subject);
    return v->fn(subject, strlen(subject), start, start + strlen(value), arg);
}

/* ---- IPv4 ---- */

static void test_ipv4_accepts_octets_up_to_255(void **state)
{
    (void)state;
    assert_true(V(ts_valid_ipv4, "255.255.255.255"));
    assert_true(V(ts_valid_ipv4, "0.0.0.0"));
    assert_true(V(ts_valid_ipv4, "10.20.1.1"));
}

static void test_ipv4_rejects_octet_over_255(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv4, "256.1.1.1"));
    assert_false(V(ts_valid_ipv4, "1.1.1.256"));
    assert_false(V(ts_valid_ipv4, "1.1.1.1000"));
}

static void test_ipv4_rejects_wrong_octet_count_and_empty_octets(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv4, "1.2.3"));
    assert_false(V(ts_valid_ipv4, "1.2.3.4.5"));
    assert_false(V(ts_valid_ipv4, "1..3.4"));
    assert_false(V(ts_valid_ipv4, ".1.2.3"));
    assert_false(V(ts_valid_ipv4, "1.2.3.4."));
    assert_false(V(ts_valid_ipv4, "1.2.3.a"));
    assert_false(V(ts_valid_ipv4, ""));
}

static void test_ipv4_rejects_leading_zero_octets(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv4, "01.2.3.4"));
    assert_false(V(ts_valid_ipv4, "10.00.3.4"));
    assert_true(V(ts_valid_ipv4, "10.0.3.4"));
}

static void test_ipv4_prefix_32_is_valid_and_33_is_not(void **state)
{
    (void)state;
    assert_true(V(ts_valid_ipv4, "10.0.0.1/32"));
    assert_true(V(ts_valid_ipv4, "10.0.0.0/0"));
    assert_false(V(ts_valid_ipv4, "10.0.0.1/33"));
    assert_false(V(ts_valid_ipv4, "10.0.0.1/"));
    assert_false(V(ts_valid_ipv4, "10.0.0.1/08"));
    assert_false(V(ts_valid_ipv4, "10.0.0.1/8/8"));
}

static void test_ipv4_table_rejects_address_inside_longer_dotted_chain(void **state)
{
    (void)state;
    assert_false(run_in("ipv4", "1.2.3.4.5", "1.2.3.4"));
    assert_false(run_in("ipv4", "v1.2.3.4.5", "1.2.3.4"));
    assert_false(run_in("ipv4", "kap 0.1.2.3.4", "1.2.3.4"));
    assert_false(run_in("ipv4", "11.2.3.4", "1.2.3.4"));
}

static void test_ipv4_table_accepts_address_before_full_stop(void **state)
{
    (void)state;
    assert_true(run_in("ipv4", "Gateway er 10.0.0.1.", "10.0.0.1"));
    assert_true(run_in("ipv4", "10.0.0.1", "10.0.0.1"));
    assert_true(run_in("ipv4", "(10.0.0.1)", "10.0.0.1"));
}

/* ---- IPv6 ---- */

static void test_ipv6_accepts_rfc4291_forms(void **state)
{
    (void)state;
    assert_true(V(ts_valid_ipv6, "2001:db8::1"));
    assert_true(V(ts_valid_ipv6, "2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
    assert_true(V(ts_valid_ipv6, "2001:db8::"));
    assert_true(V(ts_valid_ipv6, "::ffff:192.0.2.1"));
    assert_true(V(ts_valid_ipv6, "1:2:3:4:5:6:192.0.2.1"));
    assert_true(V(ts_valid_ipv6, "FE80::ABCD"));
}

/* Issue 12: OCR noise and words are no address: an address has three hex groups or more, or
 * two around "::" that are not both words (the loopback ::1 says nothing either). */
static void test_ipv6_wants_real_hex_groups(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv6, "Cf::"));
    assert_false(V(ts_valid_ipv6, "ab::cd"));
    assert_false(V(ts_valid_ipv6, "dead::beef"));
    assert_false(V(ts_valid_ipv6, "::1"));
    assert_true(V(ts_valid_ipv6, "fe80::1"));
    assert_true(V(ts_valid_ipv6, "2a02:c0::"));
}

static void test_ipv6_accepts_zone_and_prefix(void **state)
{
    (void)state;
    assert_true(V(ts_valid_ipv6, "fe80::1%eth0"));
    assert_true(V(ts_valid_ipv6, "2001:db8::/32"));
    assert_true(V(ts_valid_ipv6, "fd00:10:20::1/64"));
    assert_true(V(ts_valid_ipv6, "fe80::1%eth0/64"));
    assert_true(V(ts_valid_ipv6, "2001:db8::1/128"));
    assert_false(V(ts_valid_ipv6, "2001:db8::/129"));
    assert_false(V(ts_valid_ipv6, "fe80::1%"));
    assert_false(V(ts_valid_ipv6, "fe80::1%eth 0"));
}

static void test_ipv6_rejects_time_and_short_uncompressed_forms(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv6, "12:30"));
    assert_false(V(ts_valid_ipv6, "10:30:00"));
    assert_false(V(ts_valid_ipv6, "1:2:3:4:5:6:7"));
    assert_false(V(ts_valid_ipv6, "1:2:3:4:5:6:7:8:9"));
}

static void test_ipv6_double_colon_alone_or_twice_is_rejected(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv6, "::"));
    assert_false(V(ts_valid_ipv6, "::/0"));
    assert_false(V(ts_valid_ipv6, "1::2::3"));
    assert_false(V(ts_valid_ipv6, ":::1"));
    assert_false(V(ts_valid_ipv6, "1:::2"));
    assert_false(V(ts_valid_ipv6, ":1::2"));
    assert_false(V(ts_valid_ipv6, "1::2:"));
    /* "::" stands for at least one group, so seven written groups still fit */
    assert_true(V(ts_valid_ipv6, "1:2:3:4:5:6:7::"));
    assert_false(V(ts_valid_ipv6, "1:2:3:4::5:6:7:8"));
}

static void test_ipv6_rejects_bad_groups_and_ipv4_tails(void **state)
{
    (void)state;
    assert_false(V(ts_valid_ipv6, "2001:db8::12345"));
    assert_false(V(ts_valid_ipv6, "2001:db8::g"));
    assert_false(V(ts_valid_ipv6, "::ffff:192.0.2.256"));
    assert_false(V(ts_valid_ipv6, "::192.0.2.1:1"));
    assert_false(V(ts_valid_ipv6, "1:2:3:4:5:6:7:192.0.2.1"));
}

static void test_ipv6_table_rejects_value_glued_to_hex_or_colon(void **state)
{
    (void)state;
    assert_false(run_in("ipv6", "ab2001:db8::1", "2001:db8::1"));
    assert_false(run_in("ipv6", "2001:db8::1:x", "2001:db8::1"));
    assert_true(run_in("ipv6", "Prefiks 2001:db8::/32.", "2001:db8::/32"));
}

/* ---- CIDR ---- */

static void test_cidr_requires_a_prefix(void **state)
{
    (void)state;
    assert_true(V(ts_valid_cidr, "10.20.0.0/16"));
    assert_true(V(ts_valid_cidr, "2001:db8::/32"));
    assert_false(V(ts_valid_cidr, "10.20.0.0"));
    assert_false(V(ts_valid_cidr, "2001:db8::1"));
    assert_false(V(ts_valid_cidr, "10.20.0.0/33"));
}

static void test_cidr_accepts_contiguous_netmask_only(void **state)
{
    (void)state;
    assert_true(V(ts_valid_cidr, "192.168.10.1 255.255.255.0"));
    assert_true(V(ts_valid_cidr, "10.0.0.0  255.0.0.0"));
    assert_true(V(ts_valid_cidr, "10.0.0.1 255.255.255.255"));
    assert_false(V(ts_valid_cidr, "192.168.10.1 255.0.255.0"));
    assert_false(V(ts_valid_cidr, "10.0.0.0 0.0.0.255"));
    assert_false(V(ts_valid_cidr, "10.0.0.0 255.255.0"));
}

static void test_cidr_table_rejects_dotted_chain(void **state)
{
    (void)state;
    assert_false(run_in("cidr", "1.10.2.3.4/8", "10.2.3.4/8"));
    assert_true(run_in("cidr", "nett 10.2.3.0/24.", "10.2.3.0/24"));
}

/* ---- MAC ---- */

static void test_mac_accepts_three_notations(void **state)
{
    (void)state;
    assert_true(V(ts_valid_mac, "00:1A:2B:3C:4D:5E"));
    assert_true(V(ts_valid_mac, "00-1a-2b-3c-4d-5f"));
    assert_true(V(ts_valid_mac, "001a.2b3c.4d5e"));
}

static void test_mac_rejects_mixed_separators(void **state)
{
    (void)state;
    assert_false(V(ts_valid_mac, "00:1a-2b:3c:4d:5e"));
    assert_false(V(ts_valid_mac, "00:1a:2b:3c:4d-5e"));
    assert_false(V(ts_valid_mac, "001a.2b3c:4d5e"));
}

static void test_mac_rejects_all_zero_broadcast_and_bad_digits(void **state)
{
    (void)state;
    assert_false(V(ts_valid_mac, "00:00:00:00:00:00"));
    assert_false(V(ts_valid_mac, "ff:ff:ff:ff:ff:ff"));
    assert_false(V(ts_valid_mac, "FFFF.FFFF.FFFF"));
    assert_false(V(ts_valid_mac, "00:1a:2b:3c:4d:5g"));
    assert_false(V(ts_valid_mac, "00:1a:2b:3c:4d"));
}

static void test_mac_table_rejects_seventh_octet(void **state)
{
    (void)state;
    assert_false(run_in("mac", "00:11:22:33:44:55:66", "00:11:22:33:44:55"));
    assert_true(run_in("mac", "MAC 00:11:22:33:44:55.", "00:11:22:33:44:55"));
}

/* ---- fødselsnummer ----
 *
 * 15058543478 (15.05.85, individual 434):
 *   K1: 1*3 + 5*7 + 0*6 + 5*1 + 8*8 + 5*9 + 4*4 + 3*5 + 4*2 = 191; 191 mod 11 = 4; K1 = 11-4 = 7
 *   K2: 1*5 + 5*4 + 0*3 + 5*2 + 8*7 + 5*6 + 4*5 + 3*4 + 4*3 + 7*2 = 179; 179 mod 11 = 3; K2 = 8
 */
static void test_fnr_accepts_valid_number(void **state)
{
    (void)state;
    assert_true(V(ts_valid_fnr, "15058543478"));
    assert_true(V(ts_valid_fnr, "150585 43478"));
    /* the groups people write (issue 12, class 5) */
    assert_true(V(ts_valid_fnr, "150585-43478"));
    assert_true(V(ts_valid_fnr, "15-05-85-43478"));
    assert_true(V(ts_valid_fnr, "15.05.85 43478"));
    assert_true(V(ts_valid_fnr, "15 05 85 434 78"));
    assert_true(V(ts_valid_fnr, "150585 434 78"));
}

static void test_fnr_rejects_bad_spacing_and_lengths(void **state)
{
    (void)state;
    assert_false(V(ts_valid_fnr, "1505854347"));
    assert_false(V(ts_valid_fnr, "150585434788"));
    assert_false(V(ts_valid_fnr, "15058 543478"));
    assert_false(V(ts_valid_fnr, "150585  43478"));
    assert_false(V(ts_valid_fnr, "1505-8543478"));
    assert_false(V(ts_valid_fnr, "15 05 8543 478"));
    assert_false(V(ts_valid_fnr, "-15058543478"));
    assert_false(V(ts_valid_fnr, "15058543478-"));
}

/*
 * D-nummer 55058543461 (day 15 + 40): K1 sum 5*3+5*7+0+5+64+45+16+15+8 = 203, 203 mod 11 = 5,
 * K1 = 6; K2 sum 25+20+0+10+56+30+20+12+12+12 = 197, 197 mod 11 = 10, K2 = 1.
 * H-nummer 15458543450 (month 5 + 40): K1 sum 215 (mod 11 = 6) so K1 = 5; K2 sum 187 = 17*11
 * so K2 = 0.
 * Synthetic 15858543433 (month 5 + 80): K1 sum 239 (mod 11 = 8) so K1 = 3; K2 sum 195
 * (mod 11 = 8) so K2 = 3.
 */
static void test_fnr_accepts_d_h_and_synthetic_numbers(void **state)
{
    (void)state;
    assert_true(V(ts_valid_fnr, "55058543461"));
    assert_true(V(ts_valid_fnr, "15458543450"));
    assert_true(V(ts_valid_fnr, "15858543433"));
}

static void test_fnr_rejects_wrong_check_digits(void **state)
{
    (void)state;
    /* K2 off by one */
    assert_false(V(ts_valid_fnr, "15058543479"));
    /*
     * K1 = 0 leaves remainder (191 + 0) mod 11 = 4, outside both rules; K2 is right for it:
     * 179 - 7*2 = 165 = 15*11, so K2 = 0.
     */
    assert_false(V(ts_valid_fnr, "15058543400"));
}

/*
 * 01019012316: K1 sum 0*3+1*7+0*6+1*1+9*8+0*9+1*4+2*5+3*2 = 100, 100 mod 11 = 1, so the classic
 * K1 would be 10 (no number). The 2032 rule takes K1 = 1: (100 + 1) mod 11 = 2.
 * K2: 0*5+1*4+0*3+1*2+9*7+0*6+1*5+2*4+3*3+1*2 = 93, 93 mod 11 = 5, K2 = 6.
 */
static void test_fnr_accepts_2032_rule_remainder_2(void **state)
{
    (void)state;
    assert_true(V(ts_valid_fnr, "01019012316"));
}

/*
 * 31049012392 passes both checks (K1 sum 112 -> K1 9; K2 sum 130 -> K2 2) but 31 April does not
 * exist; 30049012353 (K1 sum 105 -> 5; K2 sum 118 -> 3) is the same person a day earlier.
 */
static void test_fnr_rejects_31_april(void **state)
{
    (void)state;
    assert_false(V(ts_valid_fnr, "31049012392"));
    assert_true(V(ts_valid_fnr, "30049012353"));
}

/* 29020412354: K1 sum 127 (mod 11 = 6) -> 5; K2 sum 106 (mod 11 = 7) -> 4. */
static void test_fnr_accepts_29_february(void **state)
{
    (void)state;
    assert_true(V(ts_valid_fnr, "29020412354"));
}

static void test_fnr_rejects_impossible_day_or_month(void **state)
{
    (void)state;
    assert_false(V(ts_valid_fnr, "00058543478"));
    assert_false(V(ts_valid_fnr, "15138543478"));
    assert_false(V(ts_valid_fnr, "72058543478"));
    /* D-nummer day and H-nummer month together do not exist */
    assert_false(V(ts_valid_fnr, "55458543478"));
}

static void test_fnr_rejects_all_same_digits(void **state)
{
    (void)state;
    assert_false(V(ts_valid_fnr, "00000000000"));
    assert_false(V(ts_valid_fnr, "11111111111"));
}

static void test_fnr_table_rejects_digit_neighbours(void **state)
{
    (void)state;
    assert_false(run_in("fnr", "915058543478", "15058543478"));
    assert_false(run_in("fnr", "150585434789", "15058543478"));
    assert_true(run_in("fnr", "fnr: 15058543478.", "15058543478"));
}

/* ---- organisasjonsnummer ----
 * 974760673 (Brønnøysundregistrene): 9*3+7*2+4*7+7*6+6*5+0*4+6*3+7*2 = 173, 173 mod 11 = 8,
 * check digit 11 - 8 = 3.
 */
static void test_orgnr_accepts_bronnoysund(void **state)
{
    (void)state;
    assert_true(V(ts_valid_orgnr, "974760673"));
    assert_true(V(ts_valid_orgnr, "974 760 673"));
}

static void test_orgnr_rejects_mutations_and_bad_grouping(void **state)
{
    (void)state;
    assert_false(V(ts_valid_orgnr, "974760674"));
    assert_false(V(ts_valid_orgnr, "974706673"));
    assert_false(V(ts_valid_orgnr, "9747 60673"));
    assert_false(V(ts_valid_orgnr, "97476067"));
}

/* 123456785 has a correct mod 11 digit (sum 138, 138 mod 11 = 6, 11 - 6 = 5) but starts with 1;
 * 812345672 (sum 130, mod 11 = 9, digit 2) starts with 8. 91234567x: sum 133, mod 11 = 1, so no
 * check digit exists. */
static void test_orgnr_first_digit_must_be_8_or_9(void **state)
{
    (void)state;
    assert_false(V(ts_valid_orgnr, "123456785"));
    assert_true(V(ts_valid_orgnr, "812345672"));
    for (char c = '0'; c <= '9'; c++) {
        char s[] = "91234567x";
        s[8] = c;
        assert_false(V(ts_valid_orgnr, s));
    }
}

/* ---- kontonummer ----
 * 12345678903: 1*5+2*4+3*3+4*2+5*7+6*6+7*5+8*4+9*3+0*2 = 195, 195 mod 11 = 8, check 3.
 */
static void test_kontonr_accepts_valid_in_three_notations(void **state)
{
    (void)state;
    assert_true(V(ts_valid_kontonr, "12345678903"));
    assert_true(V(ts_valid_kontonr, "1234.56.78903"));
    assert_true(V(ts_valid_kontonr, "1234 56 78903"));
}

static void test_kontonr_rejects_bad_check_digit_and_mixed_separators(void **state)
{
    (void)state;
    assert_false(V(ts_valid_kontonr, "12345678904"));
    assert_false(V(ts_valid_kontonr, "1234.56.78904"));
    assert_false(V(ts_valid_kontonr, "1234.56 78903"));
    assert_false(V(ts_valid_kontonr, "123.456.78903"));
    assert_false(V(ts_valid_kontonr, "00000000000"));
}

static void test_kontonr_table_rejects_digit_neighbours(void **state)
{
    (void)state;
    assert_false(run_in("kontonr", "1234.56.789031", "1234.56.78903"));
    assert_true(run_in("kontonr", "Konto 1234.56.78903.", "1234.56.78903"));
}

/* ---- Luhn ---- */

static void test_luhn_accepts_test_card(void **state)
{
    (void)state;
    assert_true(V(ts_valid_luhn, "4111111111111111"));
    assert_true(V(ts_valid_luhn, "4111 1111 1111 1111"));
    assert_true(V(ts_valid_luhn, "4111-1111-1111-1111"));
}

static void test_luhn_rejects_wrong_digit_length_and_separators(void **state)
{
    (void)state;
    assert_false(V(ts_valid_luhn, "4111111111111112"));
    assert_false(V(ts_valid_luhn, "41111111113"));          /* 11 digits */
    assert_false(V(ts_valid_luhn, "41111111111111111111")); /* 20 digits */
    assert_false(V(ts_valid_luhn, "4111 1111-1111 1111"));  /* mixed */
    assert_false(V(ts_valid_luhn, "4111  1111 1111 1111")); /* doubled */
    assert_false(V(ts_valid_luhn, " 4111 1111 1111 1111")); /* leading */
    assert_false(V(ts_valid_luhn, "0000 0000 0000 0000"));  /* placeholder */
}

static void test_luhn_table_rejects_digit_neighbours(void **state)
{
    (void)state;
    assert_false(run_in("luhn", "94111111111111111", "4111111111111111"));
    assert_true(run_in("luhn", "kort 4111111111111111,", "4111111111111111"));
}

/* ---- placeholders ---- */

static bool P(const char *s) { return ts_is_placeholder(s, strlen(s)); }

static void test_masks_are_placeholders_but_factory_codes_are_not(void **state)
{
    (void)state;
    assert_true(P("xxxx"));
    assert_true(P("****"));
    assert_true(P("...."));
    assert_true(P("${PASSWORD}"));
    assert_true(P("CHANGEME"));
    assert_false(P("0000")); /* an alarm panel's factory code, still in use */
    assert_false(P("1111"));
    assert_false(P("4826"));
}

/* ---- entropy ---- */

static void test_entropy_of_repeated_byte_is_zero(void **state)
{
    (void)state;
    assert_true(V(ts_entropy, "aaaa") == 0.0);
    assert_true(V(ts_entropy, "") == 0.0);
}

static void test_entropy_matches_known_values(void **state)
{
    (void)state;
    double h2 = V(ts_entropy, "abab"), h4 = V(ts_entropy, "abcd");
    double h3 = V(ts_entropy, "aab"); /* log2 3 - 2/3 = 0.918295834... */
    assert_true(h2 > 1.0 - 1e-12 && h2 < 1.0 + 1e-12);
    assert_true(h4 > 2.0 - 1e-12 && h4 < 2.0 + 1e-12);
    assert_true(h3 > 0.9182958340 && h3 < 0.9182958341);
}

static void test_entropy_of_random_token_exceeds_3_5(void **state)
{
    (void)state;
    assert_true(V(ts_entropy, "q7Vx2LmP9sK4wZ8rT3nB") > 3.5);
}

static void test_entropy_table_compares_with_threshold(void **state)
{
    (void)state;
    assert_true(run_in("entropy>=3.5", "token q7Vx2LmP9sK4wZ8rT3nB", "q7Vx2LmP9sK4wZ8rT3nB"));
    assert_false(run_in("entropy>=3.5", "passord aaaaaaaaaaaa", "aaaaaaaaaaaa"));
    /* "abcd" has exactly 2 bits: >= holds, > does not */
    assert_true(run_in("entropy>=2", "abcd", "abcd"));
    assert_false(run_in("entropy>2", "abcd", "abcd"));
}

/* ---- the table ---- */

static void test_find_returns_entropy_with_argument(void **state)
{
    (void)state;
    const char *arg = NULL;
    const struct ts_validator *v = ts_validator_find("entropy>=3.5", &arg);
    assert_non_null(v);
    assert_string_equal(v->name, "entropy");
    assert_string_equal(arg, ">=3.5");
    v = ts_validator_find("entropy>4", &arg);
    assert_non_null(v);
    assert_string_equal(arg, ">4");
}

static void test_find_rejects_entropy_without_or_with_bad_argument(void **state)
{
    (void)state;
    const char *arg = "x";
    assert_null(ts_validator_find("entropy", &arg));
    assert_null(arg);
    assert_null(ts_validator_find("entropy>=", &arg));
    assert_null(ts_validator_find("entropy>=abc", &arg));
    assert_null(ts_validator_find("entropy>=3.5x", &arg));
    assert_null(ts_validator_find("entropy<=3", &arg));
    assert_null(ts_validator_find("entropy>=nan", &arg));
    assert_null(ts_validator_find("entropy>=0x3", &arg));
    assert_null(ts_validator_find("entropy>=9", &arg));
}

static void test_find_rejects_unknown_names_and_stray_arguments(void **state)
{
    (void)state;
    const char *arg = NULL;
    assert_null(ts_validator_find("nosuch", &arg));
    assert_null(ts_validator_find("", &arg));
    assert_null(ts_validator_find(NULL, &arg));
    assert_null(ts_validator_find("ipv4x", &arg));
    assert_null(ts_validator_find("ipv4>=3", &arg));
    assert_non_null(ts_validator_find("ipv4", &arg));
    assert_string_equal(arg, "");
}

static void test_table_is_complete_and_documented(void **state)
{
    (void)state;
    static const char *const want[] = {"ipv4",  "ipv6",    "cidr", "mac",     "fnr",
                                       "orgnr", "kontonr", "luhn", "entropy", "secret"};
    const struct ts_validator *const *t = ts_validators();
    size_t n = 0;
    while (t[n] != NULL) {
        assert_non_null(t[n]->fn);
        assert_non_null(t[n]->help);
        assert_true(strlen(t[n]->help) > 10);
        assert_null(strchr(t[n]->help, '\n'));
        n++;
    }
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        const char *arg = NULL;
        const char *spec = strcmp(want[i], "entropy") == 0 ? "entropy>=1" : want[i];
        const struct ts_validator *v = ts_validator_find(spec, &arg);
        assert_non_null(v);
        assert_string_equal(v->name, want[i]);
    }
}

static void test_table_rejects_spans_outside_subject(void **state)
{
    (void)state;
    const char *arg = NULL;
    const struct ts_validator *v = ts_validator_find("ipv4", &arg);
    assert_non_null(v);
    const char *t = "10.0.0.1";
    assert_false(v->fn(t, 8, 0, 9, arg));
    assert_false(v->fn(t, 8, 5, 5, arg));
    assert_false(v->fn(t, 8, 6, 2, arg));
    assert_false(v->fn(NULL, 0, 0, 0, arg));
    assert_true(v->fn(t, 8, 0, 8, arg));
}

/* A combination code in pairs of digits is a secret; a telephone number in pairs, a date and a
 * short number are not. */
static void test_secret_takes_pair_codes_not_phone_numbers(void **state)
{
    (void)state;
    const char *arg = NULL;
    const struct ts_validator *v = ts_validator_find("secret", &arg);
    assert_non_null(v);
    static const char *const yes[] = {"12-34-56", "08 15 42", "12-34-56-78", "8 3 6 1", "4711"};
    static const char *const no[] = {"22 33 44 55", "12.03.24", "12 34", "12-34", "08 15 42 11"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(v->fn(yes[i], strlen(yes[i]), 0, strlen(yes[i]), arg));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(v->fn(no[i], strlen(no[i]), 0, strlen(no[i]), arg));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_accepts_octets_up_to_255),
        cmocka_unit_test(test_ipv4_rejects_octet_over_255),
        cmocka_unit_test(test_ipv4_rejects_wrong_octet_count_and_empty_octets),
        cmocka_unit_test(test_ipv4_rejects_leading_zero_octets),
        cmocka_unit_test(test_ipv4_prefix_32_is_valid_and_33_is_not),
        cmocka_unit_test(test_ipv4_table_rejects_address_inside_longer_dotted_chain),
        cmocka_unit_test(test_ipv4_table_accepts_address_before_full_stop),
        cmocka_unit_test(test_ipv6_accepts_rfc4291_forms),
        cmocka_unit_test(test_ipv6_wants_real_hex_groups),
        cmocka_unit_test(test_ipv6_accepts_zone_and_prefix),
        cmocka_unit_test(test_ipv6_rejects_time_and_short_uncompressed_forms),
        cmocka_unit_test(test_ipv6_double_colon_alone_or_twice_is_rejected),
        cmocka_unit_test(test_ipv6_rejects_bad_groups_and_ipv4_tails),
        cmocka_unit_test(test_ipv6_table_rejects_value_glued_to_hex_or_colon),
        cmocka_unit_test(test_cidr_requires_a_prefix),
        cmocka_unit_test(test_cidr_accepts_contiguous_netmask_only),
        cmocka_unit_test(test_cidr_table_rejects_dotted_chain),
        cmocka_unit_test(test_mac_accepts_three_notations),
        cmocka_unit_test(test_mac_rejects_mixed_separators),
        cmocka_unit_test(test_mac_rejects_all_zero_broadcast_and_bad_digits),
        cmocka_unit_test(test_mac_table_rejects_seventh_octet),
        cmocka_unit_test(test_fnr_accepts_valid_number),
        cmocka_unit_test(test_fnr_rejects_bad_spacing_and_lengths),
        cmocka_unit_test(test_fnr_accepts_d_h_and_synthetic_numbers),
        cmocka_unit_test(test_fnr_rejects_wrong_check_digits),
        cmocka_unit_test(test_fnr_accepts_2032_rule_remainder_2),
        cmocka_unit_test(test_fnr_rejects_31_april),
        cmocka_unit_test(test_fnr_accepts_29_february),
        cmocka_unit_test(test_fnr_rejects_impossible_day_or_month),
        cmocka_unit_test(test_fnr_rejects_all_same_digits),
        cmocka_unit_test(test_fnr_table_rejects_digit_neighbours),
        cmocka_unit_test(test_orgnr_accepts_bronnoysund),
        cmocka_unit_test(test_orgnr_rejects_mutations_and_bad_grouping),
        cmocka_unit_test(test_orgnr_first_digit_must_be_8_or_9),
        cmocka_unit_test(test_kontonr_accepts_valid_in_three_notations),
        cmocka_unit_test(test_kontonr_rejects_bad_check_digit_and_mixed_separators),
        cmocka_unit_test(test_kontonr_table_rejects_digit_neighbours),
        cmocka_unit_test(test_luhn_accepts_test_card),
        cmocka_unit_test(test_luhn_rejects_wrong_digit_length_and_separators),
        cmocka_unit_test(test_luhn_table_rejects_digit_neighbours),
        cmocka_unit_test(test_masks_are_placeholders_but_factory_codes_are_not),
        cmocka_unit_test(test_entropy_of_repeated_byte_is_zero),
        cmocka_unit_test(test_entropy_matches_known_values),
        cmocka_unit_test(test_entropy_of_random_token_exceeds_3_5),
        cmocka_unit_test(test_entropy_table_compares_with_threshold),
        cmocka_unit_test(test_find_returns_entropy_with_argument),
        cmocka_unit_test(test_find_rejects_entropy_without_or_with_bad_argument),
        cmocka_unit_test(test_find_rejects_unknown_names_and_stray_arguments),
        cmocka_unit_test(test_table_is_complete_and_documented),
        cmocka_unit_test(test_table_rejects_spans_outside_subject),
        cmocka_unit_test(test_secret_takes_pair_codes_not_phone_numbers),
    };
    return cmocka_run_group_tests_name("detect_validate", tests, NULL, NULL);
}

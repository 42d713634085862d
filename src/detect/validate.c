/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Validators: syntax and checksum tests that a rule's candidate value must pass. */
#include "detect/validate.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every check works on (pointer, length) and never reads outside it: values come straight from
 * scanned documents. Only ASCII is recognised; any other byte makes a value invalid.
 */

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alnum(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static unsigned hex_value(unsigned char c)
{
    if (is_digit(c))
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    return (unsigned)(c - 'A' + 10);
}

/*
 * A decimal number in [0, max] written with 1..maxdigits digits and no leading zero (only "0"
 * itself may start with 0). Leading zeros are rejected in IPv4 octets and prefix lengths because
 * inet_aton reads them as octal and because "01.02.03.04" is far more often a date or a section
 * number than an address.
 */
static bool dec_in_range(const char *s, size_t len, size_t maxdigits, unsigned max)
{
    unsigned v = 0;
    if (len == 0 || len > maxdigits)
        return false;
    if (len > 1 && s[0] == '0')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit((unsigned char)s[i]))
            return false;
        v = v * 10u + (unsigned)(s[i] - '0');
    }
    return v <= max;
}

/* Exactly a.b.c.d over the whole span; *out gets the address (host order) when non-NULL. */
static bool ipv4_quad(const char *s, size_t len, uint32_t *out)
{
    uint32_t addr = 0;
    size_t i = 0;
    for (int octet = 0; octet < 4; octet++) {
        size_t j = i;
        while (j < len && is_digit((unsigned char)s[j]))
            j++;
        if (!dec_in_range(s + i, j - i, 3, 255))
            return false;
        unsigned v = 0;
        for (size_t k = i; k < j; k++)
            v = v * 10u + (unsigned)(s[k] - '0');
        addr = (addr << 8) | v;
        if (octet < 3) {
            if (j >= len || s[j] != '.')
                return false;
            j++;
        }
        i = j;
    }
    if (i != len)
        return false;
    if (out != NULL)
        *out = addr;
    return true;
}

bool ts_valid_ipv4(const char *s, size_t len)
{
    if (s == NULL)
        return false;
    const char *slash = memchr(s, '/', len);
    if (slash == NULL)
        return ipv4_quad(s, len, NULL);
    size_t a = (size_t)(slash - s);
    return ipv4_quad(s, a, NULL) && dec_in_range(slash + 1, len - a - 1, 2, 32);
}

/*
 * The address part of RFC 4291 §2.2: eight groups of 1-4 hex digits, or fewer with exactly one
 * "::" standing for one or more zero groups, optionally ending in a dotted IPv4 address (form 3),
 * which counts as two groups. At least one group must be written: "::" alone (the unspecified
 * address) carries no information and is mostly C++ or Haskell syntax in prose.
 */
static bool ipv6_addr(const char *s, size_t len)
{
    size_t groups = 0, i = 0, digit_groups = 0;
    bool compressed = false;

    if (len < 3)
        return false;
    if (s[0] == ':') {
        if (s[1] != ':')
            return false;
        compressed = true;
        i = 2;
    }
    for (;;) {
        size_t j = i;
        while (j < len && j - i <= 4 && is_hex((unsigned char)s[j]))
            j++;
        if (j < len && s[j] == '.') {
            /* embedded IPv4 tail: must be the rest of the address */
            if (!ipv4_quad(s + i, len - i, NULL))
                return false;
            groups += 2;
            break;
        }
        if (j == i || j - i > 4)
            return false;
        groups++;
        for (size_t k = i; k < j; k++)
            if (is_digit((unsigned char)s[k])) {
                digit_groups++;
                break;
            }
        i = j;
        if (i == len)
            break;
        if (s[i] != ':' || groups >= 8)
            return false;
        i++;
        if (i < len && s[i] == ':') {
            if (compressed)
                return false; /* a second "::" would make the address ambiguous */
            compressed = true;
            i++;
            if (i == len)
                break; /* "2001:db8::" */
        } else if (i == len) {
            return false; /* a trailing single colon */
        }
    }
    /* Real addresses have hex groups: three or more, or two around "::" that are not both
     * words. OCR noise and prose ("Cf::", "ab::cd", "dead::beef") have fewer. */
    if (groups < 2 || (groups == 2 && digit_groups == 0))
        return false;
    return compressed ? groups <= 7 : groups == 8;
}

/* RFC 6874 §2: a zone id is one or more unreserved characters ("eth0", "12", "en0.1"). */
static bool ipv6_zone(const char *s, size_t len)
{
    if (len == 0 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c) && c != '-' && c != '.' && c != '_' && c != '~')
            return false;
    }
    return true;
}

/* address [ "%" zone ] [ "/" prefix ], the order of RFC 4007 §11.7. */
bool ts_valid_ipv6(const char *s, size_t len)
{
    if (s == NULL)
        return false;
    size_t alen = len;
    const char *slash = memchr(s, '/', len);
    if (slash != NULL) {
        alen = (size_t)(slash - s);
        if (!dec_in_range(slash + 1, len - alen - 1, 3, 128))
            return false;
    }
    const char *pct = memchr(s, '%', alen);
    if (pct != NULL) {
        size_t zs = (size_t)(pct - s) + 1;
        if (!ipv6_zone(s + zs, alen - zs))
            return false;
        alen = zs - 1;
    }
    return ipv6_addr(s, alen);
}

/* A netmask is contiguous when its inverted bits form 0...01...1 (255.255.255.0, 0.0.0.0). */
static bool is_netmask(uint32_t m)
{
    uint32_t inv = ~m;
    return (inv & (inv + 1u)) == 0;
}

bool ts_valid_cidr(const char *s, size_t len)
{
    if (s == NULL)
        return false;
    if (memchr(s, '/', len) != NULL) {
        if (memchr(s, ':', len) != NULL)
            return ts_valid_ipv6(s, len);
        return ts_valid_ipv4(s, len);
    }
    /* "10.0.0.0 255.255.0.0" (Cisco style): address, blanks, contiguous netmask */
    size_t i = 0;
    while (i < len && !is_space((unsigned char)s[i]))
        i++;
    size_t a = i;
    while (i < len && is_space((unsigned char)s[i]))
        i++;
    uint32_t mask = 0;
    if (a == i || !ipv4_quad(s, a, NULL) || !ipv4_quad(s + i, len - i, &mask))
        return false;
    return is_netmask(mask);
}

bool ts_valid_mac(const char *s, size_t len)
{
    char nib[12];
    size_t n = 0;

    if (s == NULL)
        return false;
    if (len == 17) {
        /* 00:1a:2b:3c:4d:5e or 00-1a-2b-3c-4d-5e, one separator throughout */
        char sep = s[2];
        if (sep != ':' && sep != '-')
            return false;
        for (size_t i = 0; i < 17; i++) {
            if (i % 3 == 2) {
                if (s[i] != sep)
                    return false;
            } else {
                nib[n++] = s[i];
            }
        }
    } else if (len == 14) {
        /* Cisco 001a.2b3c.4d5e */
        for (size_t i = 0; i < 14; i++) {
            if (i % 5 == 4) {
                if (s[i] != '.')
                    return false;
            } else {
                nib[n++] = s[i];
            }
        }
    } else {
        return false;
    }

    bool all_zero = true, all_ones = true;
    for (size_t i = 0; i < 12; i++) {
        unsigned char c = (unsigned char)nib[i];
        if (!is_hex(c))
            return false;
        unsigned v = hex_value(c);
        all_zero = all_zero && v == 0;
        all_ones = all_ones && v == 15;
    }
    return !all_zero && !all_ones;
}

/*
 * The check digit of the classic mod 11 scheme: 11 - (weighted sum mod 11), where 11 becomes 0
 * and 10 means no valid number exists (returned as -1).
 */
static int mod11_digit(const unsigned char *d, const unsigned *w, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += d[i] * w[i];
    unsigned k = 11u - sum % 11u;
    if (k == 11u)
        return 0;
    if (k == 10u)
        return -1;
    return (int)k;
}

/* Copy exactly n digits from s into d, skipping separators at the positions listed in sep. */
static bool take_digits(const char *s, size_t len, unsigned char *d, size_t n, const size_t *sep,
                        size_t nsep, char sepchar)
{
    size_t k = 0, next = 0;
    if (len != n + nsep)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (next < nsep && i == sep[next]) {
            if (s[i] != sepchar)
                return false;
            next++;
            continue;
        }
        if (!is_digit((unsigned char)s[i]))
            return false;
        d[k++] = (unsigned char)(s[i] - '0');
    }
    return k == n;
}

static bool all_same(const unsigned char *d, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (d[i] != d[0])
            return false;
    return true;
}

static unsigned days_in_month(unsigned month)
{
    static const unsigned days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[month - 1];
}

/*
 * Fødselsnummer DDMMYY III K1 K2 (Skatteetaten). D-nummer: day + 40. H-nummer: month + 40.
 * Synthetic test numbers (Tenor): month + 80, also combined with a D-nummer day. The year is
 * not known from the digits alone without the individual number ranges, so 29 February is
 * always allowed. Written as 11 digits or in the groups people write: "DDMMYY NNNNN",
 * "DDMMYY-NNNNN", "DD-MM-YY-NNNNN", "DD.MM.YY NNNNN", "DD MM YY NNN NN", "DDMMYY NNN NN".
 */
static bool fnr_digits(const char *s, size_t len, unsigned char d[11])
{
    /* the lengths of the digit groups, separated by one space, hyphen or dot each */
    static const unsigned char shapes[][6] = {
        {11}, {6, 5}, {6, 3, 2}, {2, 2, 2, 5}, {2, 2, 2, 3, 2}, {2, 2, 7},
    };
    unsigned char groups[6];
    size_t ng = 0, k = 0, run = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && is_digit((unsigned char)s[i])) {
            if (k == 11)
                return false;
            d[k++] = (unsigned char)(s[i] - '0');
            run++;
            continue;
        }
        if (run == 0 || ng == 6)
            return false; /* two separators in a row, or a separator first */
        groups[ng++] = (unsigned char)run;
        run = 0;
        if (i < len && s[i] != ' ' && s[i] != '-' && s[i] != '.')
            return false;
    }
    if (k != 11)
        return false;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        size_t n = 0;
        while (n < 6 && shapes[i][n])
            n++;
        if (n == ng && memcmp(shapes[i], groups, n) == 0)
            return true;
    }
    return false;
}

bool ts_valid_fnr(const char *s, size_t len)
{
    static const unsigned w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
    static const unsigned w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    unsigned char d[11];

    if (s == NULL || !fnr_digits(s, len, d))
        return false;
    if (all_same(d, 11))
        return false;

    unsigned day = d[0] * 10u + d[1], month = d[2] * 10u + d[3];
    bool dnum = day >= 41 && day <= 71;
    if (dnum)
        day -= 40;
    if (month >= 81 && month <= 92) {
        month -= 80;
    } else if (month >= 41 && month <= 52 && !dnum) {
        month -= 40;
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(month))
        return false;

    /*
     * K1: the classic rule wants (sum of d1..d9 weighted 3 7 6 1 8 9 4 5 2) + K1 = 0 (mod 11).
     * Numbers issued from 2032 may leave remainder 0, 1, 2 or 3 (Skatteetaten), which includes
     * the classic case, so one test covers both rules.
     */
    unsigned s1 = d[9];
    for (size_t i = 0; i < 9; i++)
        s1 += d[i] * w1[i];
    if (s1 % 11u > 3u)
        return false;

    int k2 = mod11_digit(d, w2, 10);
    return k2 >= 0 && (unsigned)k2 == d[10];
}

/* Organisasjonsnummer (Brønnøysundregistrene): 9 digits, first 8 or 9, mod 11 on the last. */
bool ts_valid_orgnr(const char *s, size_t len)
{
    static const unsigned w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
    static const size_t groups[2] = {3, 7};
    unsigned char d[9];

    if (s == NULL)
        return false;
    if (!take_digits(s, len, d, 9, NULL, 0, 0) && !take_digits(s, len, d, 9, groups, 2, ' '))
        return false;
    if (d[0] != 8 && d[0] != 9)
        return false;
    int k = mod11_digit(d, w, 8);
    return k >= 0 && (unsigned)k == d[8];
}

/* Norwegian bank account: 11 digits, written plain, "1234.56.78903" or "1234 56 78903". */
bool ts_valid_kontonr(const char *s, size_t len)
{
    static const unsigned w[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    static const size_t groups[2] = {4, 7};
    unsigned char d[11];

    if (s == NULL)
        return false;
    if (!take_digits(s, len, d, 11, NULL, 0, 0) && !take_digits(s, len, d, 11, groups, 2, '.') &&
        !take_digits(s, len, d, 11, groups, 2, ' '))
        return false;
    if (all_same(d, 11))
        return false;
    int k = mod11_digit(d, w, 10);
    return k >= 0 && (unsigned)k == d[10];
}

/*
 * Payment card numbers: 12-19 digits, optionally grouped by single spaces or single dashes (one
 * kind throughout). All-same digits ("0000 0000 0000 0000") are placeholders and rejected.
 */
bool ts_valid_luhn(const char *s, size_t len)
{
    unsigned char d[19];
    size_t n = 0;
    char sep = 0;

    if (s == NULL || len < 12 || len > 40)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit(c)) {
            if (n == 19)
                return false;
            d[n++] = (unsigned char)(c - '0');
            continue;
        }
        if (c != ' ' && c != '-')
            return false;
        if (sep == 0)
            sep = (char)c;
        /* a separator sits between two digits and is of the same kind as the first one */
        if ((char)c != sep || i == 0 || i + 1 == len || !is_digit((unsigned char)s[i - 1]) ||
            !is_digit((unsigned char)s[i + 1]))
            return false;
    }
    if (n < 12 || all_same(d, n))
        return false;

    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = d[n - 1 - i];
        if (i % 2 == 1) {
            v *= 2u;
            if (v > 9u)
                v -= 9u;
        }
        sum += v;
    }
    return sum % 10u == 0;
}

double ts_entropy(const char *s, size_t len)
{
    size_t count[256] = {0};
    if (s == NULL || len == 0)
        return 0.0;
    for (size_t i = 0; i < len; i++)
        count[(unsigned char)s[i]]++;
    /* H = -sum p log2 p = log2 n - (sum c log2 c) / n */
    double n = (double)len, acc = 0.0;
    for (size_t c = 0; c < 256; c++)
        if (count[c] > 1)
            acc += (double)count[c] * log2((double)count[c]);
    double h = log2(n) - acc / n;
    return h > 0.0 ? h : 0.0;
}

/* ---- the table: each row checks the value and the bytes that touch it ---- */

static bool span_ok(const char *subject, size_t subject_len, size_t start, size_t end)
{
    return subject != NULL && start < end && end <= subject_len;
}

static int byte_before(const char *t, size_t start, size_t back)
{
    return start >= back ? (unsigned char)t[start - back] : -1;
}

static int byte_after(const char *t, size_t len, size_t end, size_t ahead)
{
    return end + ahead - 1 < len ? (unsigned char)t[end + ahead - 1] : -1;
}

static bool int_is_digit(int c)
{
    return c >= 0 && is_digit((unsigned char)c);
}

static bool int_is_word(int c)
{
    return c >= 0 && (is_alnum((unsigned char)c) || c == '_');
}

static bool digit_touches(const char *t, size_t len, size_t start, size_t end)
{
    return int_is_digit(byte_before(t, start, 1)) || int_is_digit(byte_after(t, len, end, 1));
}

/* 1.2.3.4 inside 1.2.3.4.5 or 0.1.2.3.4 is part of a longer dotted number (a section, a OID). */
static bool in_dotted_chain(const char *t, size_t len, size_t start, size_t end)
{
    if (digit_touches(t, len, start, end))
        return true;
    if (byte_before(t, start, 1) == '.' && int_is_digit(byte_before(t, start, 2)))
        return true;
    return byte_after(t, len, end, 1) == '.' && int_is_digit(byte_after(t, len, end, 2));
}

/* An IPv6 value glued to more address characters is a fragment of something else. */
static bool in_hex_run(const char *t, size_t len, size_t start, size_t end)
{
    int b = byte_before(t, start, 1), a = byte_after(t, len, end, 1);
    if (int_is_word(b) || b == ':' || int_is_word(a) || a == ':')
        return true;
    if (b == '.' && int_is_word(byte_before(t, start, 2)))
        return true;
    return a == '.' && int_is_word(byte_after(t, len, end, 2));
}

/* A MAC glued to another hex pair or group ("00:11:22:33:44:55:66"). */
static bool in_mac_run(const char *t, size_t len, size_t start, size_t end)
{
    int b = byte_before(t, start, 1), a = byte_after(t, len, end, 1);
    if (int_is_word(b) || int_is_word(a))
        return true;
    if ((b == ':' || b == '-' || b == '.') && int_is_word(byte_before(t, start, 2)))
        return true;
    return (a == ':' || a == '-' || a == '.') && int_is_word(byte_after(t, len, end, 2));
}

static bool v_ipv4(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !in_dotted_chain(t, len, start, end) &&
           ts_valid_ipv4(t + start, end - start);
}

static bool v_ipv6(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !in_hex_run(t, len, start, end) &&
           ts_valid_ipv6(t + start, end - start);
}

static bool v_cidr(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    if (!span_ok(t, len, start, end))
        return false;
    bool v6 = memchr(t + start, ':', end - start) != NULL;
    if (v6 ? in_hex_run(t, len, start, end) : in_dotted_chain(t, len, start, end))
        return false;
    return ts_valid_cidr(t + start, end - start);
}

static bool v_mac(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !in_mac_run(t, len, start, end) &&
           ts_valid_mac(t + start, end - start);
}

static bool v_fnr(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !digit_touches(t, len, start, end) &&
           ts_valid_fnr(t + start, end - start);
}

static bool v_orgnr(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !digit_touches(t, len, start, end) &&
           ts_valid_orgnr(t + start, end - start);
}

static bool v_kontonr(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !digit_touches(t, len, start, end) &&
           ts_valid_kontonr(t + start, end - start);
}

static bool v_luhn(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && !digit_touches(t, len, start, end) &&
           ts_valid_luhn(t + start, end - start);
}

static const char *skip_blanks(const char *p)
{
    while (is_space((unsigned char)*p))
        p++;
    return p;
}

/*
 * ">=N" or ">N" (blanks allowed around the operator), N a plain decimal in [0, 8], the range of
 * bits per byte. strtod alone would also take "inf", "nan", hex and exponents; a rule has no use
 * for those, so only digits and one point may be consumed. strtod follows LC_NUMERIC: the
 * library assumes the "C" locale for numbers.
 */
static bool parse_threshold(const char *arg, double *limit, bool *strict)
{
    const char *p = skip_blanks(arg);
    if (p[0] != '>')
        return false;
    *strict = p[1] != '=';
    p = skip_blanks(p + (*strict ? 1 : 2));
    if (!is_digit((unsigned char)*p))
        return false;
    char *endp = NULL;
    double v = strtod(p, &endp);
    if (endp == NULL || endp == p)
        return false;
    for (const char *q = p; q < endp; q++)
        if (!is_digit((unsigned char)*q) && *q != '.')
            return false;
    if (*skip_blanks(endp) != '\0' || !(v >= 0.0 && v <= 8.0))
        return false;
    *limit = v;
    return true;
}

static bool v_entropy(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    double limit = 0.0;
    bool strict = false;
    if (!span_ok(t, len, start, end) || arg == NULL || !parse_threshold(arg, &limit, &strict))
        return false;
    double h = ts_entropy(t + start, end - start);
    return strict ? h > limit : h >= limit;
}

static bool v_secret(const char *t, size_t len, size_t start, size_t end, const char *arg)
{
    (void)arg;
    return span_ok(t, len, start, end) && ts_secret_plausible(t + start, end - start);
}

static const struct ts_validator validator_secret = {
    .name = "secret",
    .fn = v_secret,
    .help = "a value taken by its label alone could be a secret: not a placeholder, not an "
            "ordinary word of such places (Ja, Personlig, Endres, SMS), date, version or amount",
};

static const struct ts_validator validator_ipv4 = {
    .name = "ipv4",
    .fn = v_ipv4,
    .help = "dotted-quad IPv4 address (octets 0-255, no leading zeros, optional /0-32), "
            "not part of a longer dotted number",
};
static const struct ts_validator validator_ipv6 = {
    .name = "ipv6",
    .fn = v_ipv6,
    .help = "IPv6 address in RFC 4291 text form (one '::' at most, optional %zone and /0-128)",
};
static const struct ts_validator validator_cidr = {
    .name = "cidr",
    .fn = v_cidr,
    .help = "IPv4 or IPv6 network with a prefix length, or IPv4 address plus contiguous netmask",
};
static const struct ts_validator validator_mac = {
    .name = "mac",
    .fn = v_mac,
    .help = "MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff), not all zeros or all ff",
};
static const struct ts_validator validator_fnr = {
    .name = "fnr",
    .fn = v_fnr,
    .help = "Norwegian national identity number (incl. D-, H- and synthetic test numbers): "
            "date and both check digits",
};
static const struct ts_validator validator_orgnr = {
    .name = "orgnr",
    .fn = v_orgnr,
    .help = "Norwegian organisation number: 9 digits starting with 8 or 9, mod 11 check digit",
};
static const struct ts_validator validator_kontonr = {
    .name = "kontonr",
    .fn = v_kontonr,
    .help = "Norwegian bank account number: 11 digits, mod 11 check digit",
};
static const struct ts_validator validator_luhn = {
    .name = "luhn",
    .fn = v_luhn,
    .help = "payment card number: 12-19 digits passing the Luhn check",
};
static const struct ts_validator validator_entropy = {
    .name = "entropy",
    .needs_arg = true,
    .fn = v_entropy,
    .help = "Shannon entropy of the value in bits per byte, e.g. entropy>=3.5 (or >N)",
};

static const struct ts_validator *const validators[] = {
    &validator_ipv4,
    &validator_ipv6,
    &validator_cidr,
    &validator_mac,
    &validator_fnr,
    &validator_orgnr,
    &validator_kontonr,
    &validator_luhn,
    &validator_entropy,
    &validator_secret,
    NULL,
};

const struct ts_validator *const *ts_validators(void)
{
    return validators;
}

const struct ts_validator *ts_validator_find(const char *spec, const char **arg)
{
    if (arg != NULL)
        *arg = NULL;
    if (spec == NULL)
        return NULL;
    size_t n = 0;
    while (is_alnum((unsigned char)spec[n]) || spec[n] == '_')
        n++;
    if (n == 0)
        return NULL;
    for (size_t i = 0; validators[i] != NULL; i++) {
        const struct ts_validator *v = validators[i];
        if (strlen(v->name) != n || memcmp(v->name, spec, n) != 0)
            continue;
        const char *rest = spec + n;
        if (v->needs_arg) {
            double limit = 0.0;
            bool strict = false;
            if (!parse_threshold(rest, &limit, &strict))
                return NULL;
        } else {
            rest = skip_blanks(rest);
            if (*rest != '\0')
                return NULL;
        }
        if (arg != NULL)
            *arg = rest;
        return v;
    }
    return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Validators: C checks that a candidate match must pass (`validate = NAME[ARG]` in a rule). */
#ifndef TS_DETECT_VALIDATE_H
#define TS_DETECT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A validator sees the whole subject (so it can look at the bytes around the value, e.g. to
 * reject 1.2.3.4 inside 1.2.3.4.5) and the value's byte span [start, end). `arg` is what followed
 * the name in the rule (">=3.5" for entropy), or "" when nothing did.
 */
typedef bool (*ts_validate_fn)(const char *subject, size_t subject_len, size_t start, size_t end,
                               const char *arg);

struct ts_validator {
    const char *name; /* "ipv4" */
    bool needs_arg;   /* entropy>=N needs ">=N" */
    ts_validate_fn fn;
    const char *help; /* one line for docs/rules.md and `explain` */
};

/*
 * Find the validator for a rule's `validate` value: `spec` = name followed by an optional
 * argument ("entropy>=3.5"). On success *arg points into spec at the argument ("" if none).
 * NULL when the name is unknown or the argument is missing/unparsable.
 */
const struct ts_validator *ts_validator_find(const char *spec, const char **arg);
/* The table, NULL-terminated (for docs and `rules`). */
const struct ts_validator *const *ts_validators(void);

/* The checks themselves, on a value alone (used by the table and tested one by one). */
bool ts_valid_ipv4(const char *s, size_t len);    /* dotted quad, octets 0-255, optional /0-32 */
bool ts_valid_ipv6(const char *s, size_t len);    /* RFC 4291 text, >= 2 groups, optional /0-128 */
bool ts_valid_cidr(const char *s, size_t len);    /* ipv4 or ipv6 with a prefix length */
bool ts_valid_mac(const char *s, size_t len);     /* 6 octets, one separator kind, not all 0/F */
bool ts_valid_fnr(const char *s, size_t len);     /* fødselsnummer, D-, H- and test numbers */
bool ts_valid_orgnr(const char *s, size_t len);   /* 9 digits, mod 11 */
bool ts_valid_kontonr(const char *s, size_t len); /* 11 digits, mod 11 */
bool ts_valid_luhn(const char *s, size_t len);    /* 12-19 digits, Luhn */
double ts_entropy(const char *s, size_t len);     /* Shannon bits per byte */

/* detect/secret.c: is a credential's value a stand-in (a template variable, a fill-in, a mask,
 * the word "password")? Every credential finding passes this filter. */
bool ts_is_placeholder(const char *s, size_t len);
/* Could a value taken by its label alone be a secret: not a placeholder, not a word that stands
 * in such places ("Ja", "Personlig", "Endres", "SMS"), not a date, version or amount? */
bool ts_secret_plausible(const char *s, size_t len);

#endif /* TS_DETECT_VALIDATE_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Is a credential's value a secret? The one placeholder filter, and the words no secret is. */
#include "detect/validate.h"

#include <string.h>

#include "core/core.h"

/*
 * Every credential a rule finds passes ts_is_placeholder (engine.c): templates, fill-ins and
 * masks are never secrets, whatever rule found them. Values that rules take by their label alone
 * (a cell under "Passord", the value after "PIN:") pass `validate = secret` as well, which also
 * turns away the ordinary words that stand in such places ("Ja", "Personlig", "Endres", "Se
 * vedlegg", "Minimum …") and dates, versions and amounts.
 */

/* s (n bytes) folded to lowercase into o (cap bytes, NUL-terminated); false when it does not
 * fit. */
static bool fold(char *o, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        return false;
    ts_fold_latin1(o, s, n);
    o[n] = '\0';
    return true;
}

static bool in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0)
            return true;
    return false;
}

static bool has_prefix(const char *w, const char *p)
{
    return strncmp(w, p, strlen(p)) == 0;
}

/* Words that stand for a secret without being one. */
static const char *const stand_ins[] = {
    "password",
    "passwords",
    "passord",
    "passordet",
    "passwd",
    "pass",
    "pwd",
    "pw",
    "secret",
    "hemmelig",
    "hemmeleg",
    "hemmelighet",
    "hemmelegheit",
    "changeme",
    "changeit",
    "change_me",
    "change-me",
    "mypassword",
    "yourpassword",
    "your_password",
    "your-password",
    "mittpassord",
    "passphrase",
    "passfrase",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "sladdet",
    "sladda",
    "fjernet",
    "fjerna",
    "removed",
    "hidden",
    "skjult",
    "masked",
    "maskert",
    "tbd",
    "tba",
    "todo",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "blank",
    "ingen",
    "inga",
    "ukjent",
    "unknown",
    "value",
    "verdi",
    "string",
    "token",
    "key",
    "nøkkel",
    "code",
    "kode",
    "pin",
    "psk",
    "community",
    "secretkey",
    "apikey",
    "api_key",
    "xxx",
    /* hash and cipher names that stand before a secret in configurations */
    "sha512",
    "sha256",
    "sha384",
    "sha1",
    "md5",
    "scrypt",
    "pbkdf2",
    "bcrypt",
    NULL,
};

/* Beginnings of fill-in instructions: "YOUR_API_KEY", "REPLACE_WITH_…", "oppgis_ved_…". */
static const char *const fill_ins[] = {
    "your_", "your-",   "yourapi",     "replace",  "insert",  "enter_",   "enter-",
    "put_",  "put-",    "fill",        "sett_inn", "settinn", "oppgis",   "opplyses",
    "angis", "leveres", "tildeles",    "settes",   "example", "eksempel", "dummy",
    "fake",  "sample",  "placeholder", NULL,
};

static bool only_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (strchr(set, s[i]) == NULL)
            return false;
    return true;
}

static bool is_upper_snake(const char *s, size_t n)
{
    bool us = false, letter = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '_')
            us = true;
        else if (c >= 'A' && c <= 'Z')
            letter = true;
        else
            return false;
    }
    return us && letter;
}

/* Is s one fill-in between open and close, with neither inside ("<passord>", not
 * "<b>Hemmelig1!</b>")? */
static bool wrapped(const char *s, size_t n, const char *open, const char *close)
{
    size_t o = strlen(open), c = strlen(close);
    if (n < o + c || memcmp(s, open, o) != 0 || memcmp(s + n - c, close, c) != 0)
        return false;
    for (size_t i = o; i < n - c; i++)
        if (s[i] == open[o - 1] || s[i] == close[0])
            return false;
    return true;
}

/* Is w (folded) words joined by '-' or '_' of which two or more are function words? */
static bool joined_phrase(const char *w)
{
    static const char *const small[] = {
        "by",    "the",  "on",     "to",    "of",  "be",  "in",  "at", "for",
        "and",   "or",   "from",   "with",  "i",   "på",  "ved", "av", "som",
        "etter", "til",  "og",     "eller", "fra", "med", "for", "er", "blir",
        "vert",  "skal", "oppgis", "se",    "sjå", "see", NULL,
    };
    size_t hits = 0, parts = 0;
    for (const char *p = w; *p;) {
        const char *e = p;
        while (*e && *e != '-' && *e != '_')
            e++;
        parts++;
        for (size_t i = 0; small[i]; i++)
            if (strlen(small[i]) == (size_t)(e - p) && strncmp(p, small[i], (size_t)(e - p)) == 0) {
                hits++;
                break;
            }
        p = *e ? e + 1 : e;
    }
    return parts >= 3 && hits >= 2;
}

bool ts_is_placeholder(const char *s, size_t n)
{
    /* quotes and guillemets around the value do not count */
    for (;;) {
        if (n > 0 && (s[0] == '"' || s[0] == '\'')) {
            s++;
            n--;
        } else if (n >= 2 && (unsigned char)s[0] == 0xC2 &&
                   ((unsigned char)s[1] == 0xAB || (unsigned char)s[1] == 0xBB)) {
            s += 2;
            n -= 2;
        } else {
            break;
        }
    }
    for (;;) {
        if (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\'')) {
            n--;
        } else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 &&
                   ((unsigned char)s[n - 1] == 0xAB || (unsigned char)s[n - 1] == 0xBB)) {
            n -= 2;
        } else {
            break;
        }
    }
    if (n == 0)
        return true;
    /* ${VAR}, {{var}}, {VAR}, <passord>, [passord], %PASSWORD%, $(VAR), $VAR, ENV[…] */
    if (wrapped(s, n, "${", "}") || wrapped(s, n, "{{", "}}") || wrapped(s, n, "{", "}") ||
        wrapped(s, n, "<", ">") || wrapped(s, n, "[", "]") || wrapped(s, n, "%", "%") ||
        wrapped(s, n, "$(", ")") || wrapped(s, n, "(", ")"))
        return true;
    if (s[0] == '$' && n > 1 &&
        only_of(s + 1, n - 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"))
        return true;
    if (n >= 2 && (memcmp(s, "${", 2) == 0 || memcmp(s, "{{", 2) == 0 || memcmp(s, "$(", 2) == 0))
        return true;
    /* one character over and over ("xxxx", "****", "...."), masks of x, * and #; not a digit:
     * "0000" and "1111" are the factory codes of alarm panels and door keypads, kept far too often */
    bool same = n >= 3 && !(s[0] >= '0' && s[0] <= '9');
    for (size_t i = 1; i < n && same; i++)
        same = s[i] == s[0];
    if (same)
        return true;
    if (n >= 3 && only_of(s, n, "xX*#?._- "))
        return true;
    if (is_upper_snake(s, n)) /* DB_PASSWORD, API_KEY_HERE: a variable's name */
        return true;
    char w[128];
    if (!fold(w, sizeof w, s, n))
        return false;
    if (in_list(w, stand_ins))
        return true;
    for (size_t i = 0; fill_ins[i]; i++)
        if (has_prefix(w, fill_ins[i]))
            return true;
    if (strstr(w, "example") || strstr(w, "changeme") || strstr(w, "placeholder"))
        return true;
    /* "provided-by-the-municipality-on-request", "se-vedlegg-3": an instruction written as one
     * word, its function words joined by hyphens or underscores */
    if (joined_phrase(w))
        return true;
    /* "mypassword", "db_password", "adminpassord", "your-secret": a word about a password */
    if (only_of(w, n, "abcdefghijklmnopqrstuvwxyz_-") &&
        (strstr(w, "password") || strstr(w, "passord") || strstr(w, "secret")))
        return true;
    return false;
}

/* Words found where a secret would stand, that are not one: answers, states, ways of signing in,
 * words of policies, in bokmål, nynorsk and English. */
static const char *const not_secrets[] = {
    /* answers and states */
    "ja",
    "nei",
    "yes",
    "no",
    "ok",
    "x",
    "se",
    "sjå",
    "see",
    "samme",
    "same",
    "som",
    "ikke",
    "ikkje",
    "not",
    "nothing",
    "inget",
    "intet",
    "ingenting",
    "alle",
    "all",
    "any",
    "personlig",
    "personleg",
    "personal",
    "individuell",
    "individuelt",
    "individual",
    "unik",
    "unikt",
    "unique",
    "eget",
    "eige",
    "eigen",
    "egen",
    "own",
    "felles",
    "shared",
    "delt",
    "endres",
    "endrast",
    "endret",
    "endra",
    "changed",
    "change",
    "byttes",
    "bytast",
    "byttet",
    "bytta",
    "oppgitt",
    "oppgjeve",
    "given",
    "provided",
    "senere",
    "seinare",
    "later",
    "snart",
    "kommer",
    "kjem",
    "pending",
    "sendes",
    "sendast",
    "sent",
    "utlevert",
    "utlevering",
    "aktiv",
    "aktivt",
    "active",
    "inaktiv",
    "inactive",
    "deaktivert",
    "deaktivert",
    "disabled",
    "enabled",
    "låst",
    "locked",
    "utløpt",
    "expired",
    "gyldig",
    "ugyldig",
    "valid",
    "invalid",
    "kryptert",
    "encrypted",
    "hashet",
    "hashed",
    "satt",
    "set",
    "unset",
    "mangler",
    "manglar",
    "missing",
    "standard",
    "default",
    "fabrikk",
    "factory",
    "generert",
    "generated",
    "random",
    "tilfeldig",
    "auto",
    "automatisk",
    "automatic",
    "manuell",
    "manual",
    "midlertidig",
    "mellombels",
    "temporary",
    "temp",
    "initial",
    "initielt",
    "nytt",
    "ny",
    "new",
    "gammelt",
    "old",
    "sterkt",
    "sterk",
    "strong",
    "svakt",
    "svak",
    "weak",
    "kompleks",
    "complex",
    "minimum",
    "min",
    "minst",
    "maks",
    "maksimum",
    "max",
    "maximum",
    "krav",
    "kravet",
    "requirement",
    "required",
    "påkrevd",
    "påkravd",
    "valgfritt",
    "valfritt",
    "optional",
    "obligatorisk",
    "mandatory",
    "daglig",
    "dagleg",
    "daily",
    "ukentlig",
    "vekentleg",
    "weekly",
    "månedlig",
    "månadleg",
    "monthly",
    "årlig",
    "årleg",
    "yearly",
    "annually",
    "aldri",
    "never",
    "alltid",
    "always",
    "ved",
    "etter",
    "after",
    "before",
    "før",
    "per",
    "pr",
    "leverandør",
    "leverandøren",
    "supplier",
    "vendor",
    "kunde",
    "kunden",
    "customer",
    "kommunen",
    "bruker",
    "brukar",
    "user",
    "admin-bruker",
    "konto",
    "account",
    /* ways of signing in */
    "sms",
    "e-post",
    "epost",
    "email",
    "e-mail",
    "bankid",
    "minid",
    "idporten",
    "id-porten",
    "feide",
    "sso",
    "ad",
    "ldap",
    "kerberos",
    "saml",
    "oauth",
    "oidc",
    "mfa",
    "2fa",
    "totp",
    "sertifikat",
    "certificate",
    "smartkort",
    "smartcard",
    "nøkkelkort",
    "kort",
    "card",
    "biometri",
    "biometric",
    "fingeravtrykk",
    "fingerprint",
    "authenticator",
    "yubikey",
    "vault",
    "hvelv",
    "keepass",
    "bitwarden",
    "lastpass",
    "1password",
    "passordhvelv",
    "passordsafe",
    "safe",
    "konvolutt",
    "envelope",
    "telefon",
    "phone",
    "muntlig",
    "munnleg",
    "verbally",
    /* Wi-Fi and VPN settings that stand where a key would */
    "wpa",
    "wpa2",
    "wpa3",
    "wpa-psk",
    "wpa2-psk",
    "wpa3-sae",
    "wpa-eap",
    "wpa2-enterprise",
    "wpa2-personal",
    "wpa3-personal",
    "sae",
    "eap",
    "peap",
    "eap-tls",
    "tkip",
    "ccmp",
    "aes",
    "aes-256",
    "sha256",
    "open",
    "wep",
    "radius",
    "ikev1",
    "ikev2",
    "rsa",
    "rsa-sig",
    NULL,
};

/* Digits with dots, commas, colons, slashes or percent signs only: a date, a time, an amount, a
 * version, a section number. Four or more digits in groups of four or more joined by hyphens
 * ("1234-5678") are codes, not numbers. */
/* A code spelt out digit by digit, as it is read aloud or typed: "8 3 6 1", "4-7-1-9" (one kind
 * of separator throughout). */
static bool is_spaced_code(const char *s, size_t n)
{
    if (n < 7 || n % 2 == 0 || (s[1] != ' ' && s[1] != '-'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (i % 2 == 0 ? !(s[i] >= '0' && s[i] <= '9') : s[i] != s[1])
            return false;
    return true;
}

/* A combination code in pairs of digits, as padlocks, key safes and safes have them: "12-34-56",
 * "08 15 42", "12-34-56-78" (three pairs, one kind of separator; four only with hyphens, since
 * "22 33 44 55" is a telephone number). */
static bool is_pair_code(const char *s, size_t n)
{
    if ((n != 8 && n != 11) || (s[2] != '-' && s[2] != ' ') || (n == 11 && s[2] != '-'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (i % 3 == 2 ? s[i] != s[2] : !(s[i] >= '0' && s[i] <= '9'))
            return false;
    return true;
}

static bool is_number_like(const char *s, size_t n)
{
    if (is_spaced_code(s, n) || is_pair_code(s, n))
        return false;
    size_t digits = 0, seps = 0;
    bool code = true;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            digits++;
            run++;
        } else if (strchr(".,:/%- ", c)) {
            seps++;
            if (c != '-' || run < 4)
                code = false;
            run = 0;
        } else {
            return false;
        }
    }
    if (digits == 0)
        return true;
    if (seps == 0)
        return digits < 4; /* "12" is a number, "4711" may be a PIN */
    return !(code && run >= 4);
}

bool ts_secret_plausible(const char *s, size_t n)
{
    while (n > 0 && strchr(".,;:)", s[n - 1]))
        n--; /* the sentence's own punctuation */
    if (n < 3 || ts_is_placeholder(s, n) || is_number_like(s, n))
        return false;
    char w[128];
    if (!fold(w, sizeof w, s, n))
        return true;
    if (in_list(w, not_secrets))
        return false;
    return true;
}

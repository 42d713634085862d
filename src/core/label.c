/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shape of a label: is a table cell or the text before a colon a name for what follows? */
#include "core/core.h"

#define LABEL_MAX_BYTES 60u
#define LABEL_MAX_WORDS 6u

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/*
 * A label names a column or a value ("Passord", "IP-adresse", "Brukarnamn (AD)", "Community
 * string", "WPA2-nøkkel"): short, a few words, mostly letters. A value is not one: a password
 * ("Fjord2024!"), an address ("10.20.1.1"), a sentence, a number.
 */
bool ts_label_like(const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                       s[len - 1] == '\n' || s[len - 1] == ':'))
        len--;
    if (len == 0 || len > LABEL_MAX_BYTES)
        return false;
    size_t letters = 0, digits = 0, other = 0, words = 0;
    bool in_word = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t') {
            in_word = false;
            continue;
        }
        if (!in_word) {
            words++;
            in_word = true;
        }
        if (is_letter(c))
            letters++;
        else if (c >= '0' && c <= '9')
            digits++;
        else if (c == '=' || c == '@' || c == '\\' || c == '$' || c == '{' || c == '}')
            return false; /* "key=value", an address, a path, a variable: values, not labels */
        else if (c != '-' && c != '/' && c != '(' && c != ')' && c != '.' && c != '_' && c != '&')
            other++;
    }
    if (words > LABEL_MAX_WORDS || letters < 2)
        return false;
    /* "WPA2-nøkkel", "IPv4", "VLAN-ID" keep a digit or two; "Fjord2024", "Kari123" do not */
    if (digits * 4 > letters || other > 1)
        return false;
    return true;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text shapes for labels: trimming, case folding, and is a table cell or the text before a
 * colon a name for what follows? */
#include "core/core.h"

#include <string.h>

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
static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void ts_span_trim(const char *t, size_t *start, size_t *end)
{
    while (*start < *end && is_blank(t[*start]))
        (*start)++;
    while (*end > *start && is_blank(t[*end - 1]))
        (*end)--;
}

void ts_fold_latin1(char *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < n) {
            unsigned char d = (unsigned char)s[i + 1];
            o[i] = (char)c;
            o[i + 1] = (char)(d >= 0x80 && d <= 0x9E && d != 0x97 ? d + 0x20 : d);
            i++;
        } else {
            o[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    }
}

bool ts_label_like(const char *s, size_t len)
{
    size_t a = 0;
    ts_span_trim(s, &a, &len);
    s += a;
    len -= a;
    while (len > 0 && (s[len - 1] == ':' || is_blank(s[len - 1])))
        len--;
    if (len == 0 || len > LABEL_MAX_BYTES)
        return false;
    /* a numbering column's header: "#", "№" */
    if ((len == 1 && s[0] == '#') || (len == 3 && memcmp(s, "\xe2\x84\x96", 3) == 0))
        return true;
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

/* Words that make a cell a sentence (a requirement, a statement), not a name for a value. */
static const char *const sentence_words[] = {
    "skal", "må",     "bør", "kan", "er",  "har", "blir", "vert", "vil", "være", "vere", "shall",
    "must", "should", "can", "is",  "are", "has", "have", "will", "be",  "may",  NULL};

static bool has_sentence_word(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < len && s[j] != ' ')
            j++;
        char w[8];
        if (j > i && j - i < sizeof w) {
            ts_fold_latin1(w, s + i, j - i);
            for (const char *const *v = sentence_words; *v; v++)
                if (strlen(*v) == j - i && memcmp(w, *v, j - i) == 0)
                    return true;
        }
        i = j;
    }
    return false;
}

size_t ts_row_label_len(const char *s, size_t len)
{
    if (ts_label_like(s, len))
        return len;
    size_t head = 0;
    for (size_t i = 0; i < len && head == 0; i++)
        if (s[i] == '(' || s[i] == ',')
            head = i;
    return head > 0 && ts_label_like(s, head) && !has_sentence_word(s, len) ? head : 0;
}

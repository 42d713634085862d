/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the drawing extractors: their structural rules and decoding helpers. */
#include "extract/drawing.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "extract/office.h"

#define INFLATE_CHUNK (64u * 1024u)

/* ---- inflate with limits (DESIGN §9) -------------------------------------------------------- */

ts_status ts_drawing_inflate(ts_doc *doc, const char *what, const unsigned char *in, size_t len,
                             bool raw, size_t cap, unsigned char **out, size_t *out_len)
{
    ts_status st = TS_OK;
    z_stream z;
    unsigned char *buf = NULL;
    size_t n = 0, size = 0;
    const ts_limits *l = ts_doc_limits(doc);
    /* hostile input: a bomb stops at the ratio limit, measured against what was read */
    uint64_t ratio_cap = (uint64_t)(len ? len : 1) * l->max_ratio;
    *out = NULL;
    *out_len = 0;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, raw ? -MAX_WBITS : MAX_WBITS) != Z_OK)
        return TS_ENOMEM;
    z.next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const; it does not write */
    size_t left = len;
    for (;;) {
        if (z.avail_in == 0 && left > 0) {
            z.avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
            left -= z.avail_in;
        }
        if (size - n < INFLATE_CHUNK) {
            if (ts_grow((void **)&buf, &size, n + INFLATE_CHUNK + 1, 1) != 0) {
                st = TS_ENOMEM;
                goto out;
            }
        }
        size_t room = size - n - 1;
        z.next_out = buf + n;
        z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
        int rc = inflate(&z, Z_NO_FLUSH);
        size_t got = (size_t)(z.next_out - (buf + n));
        if (got > 0) {
            if ((uint64_t)n + got > ratio_cap || (cap && n + got > cap)) {
                ts_doc_fail(doc, TS_ELIMIT, "%s: inflates to more than %s", what,
                            cap && n + got > cap ? "the size allowed for it"
                                                 : "the compression ratio allowed");
                st = TS_ELIMIT;
                goto out;
            }
            if ((st = ts_doc_count_unpacked(doc, got)) != TS_OK)
                goto out;
            n += got;
        }
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0) {
            ts_doc_fail(doc, TS_ECORRUPT, "%s: compressed data is truncated", what);
            st = TS_ECORRUPT;
            goto out;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            ts_doc_fail(doc, TS_ECORRUPT, "%s: compressed data is damaged", what);
            st = rc == Z_MEM_ERROR ? TS_ENOMEM : TS_ECORRUPT;
            goto out;
        }
    }
    if (buf == NULL && ts_grow((void **)&buf, &size, 1, 1) != 0) {
        st = TS_ENOMEM;
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    buf = NULL;
out:
    inflateEnd(&z);
    ts_free(buf);
    return st;
}

/* ---- base64, URL escapes, HTML labels -------------------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

size_t ts_drawing_base64(const char *in, size_t len, unsigned char *out)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        int v = b64_value(c);
        if (v < 0)
            break; /* '=' padding or a stray character ends the data */
        acc = (acc << 6 | (uint32_t)v) & 0xFFFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    return n;
}

size_t ts_drawing_urldecode(char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < len && (hi = ts_hex_digit((unsigned char)s[i + 1])) >= 0 &&
            (lo = ts_hex_digit((unsigned char)s[i + 2])) >= 0) {
            s[w++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            s[w++] = s[i];
        }
    }
    return w;
}

/* A named entity or character reference at s[0] == '&': its code point and length, or 0. */
static size_t entity(const char *s, size_t len, uint32_t *cp)
{
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {{"amp;", '&'},     {"lt;", '<'},      {"gt;", '>'},       {"quot;", '"'},
                 {"apos;", '\''},   {"nbsp;", 0xA0},   {"aelig;", 0xE6},   {"AElig;", 0xC6},
                 {"oslash;", 0xF8}, {"Oslash;", 0xD8}, {"aring;", 0xE5},   {"Aring;", 0xC5},
                 {"eacute;", 0xE9}, {"shy;", 0xAD},    {"ndash;", 0x2013}, {"mdash;", 0x2014}};
    if (len >= 4 && s[1] == '#') {
        bool hex = s[2] == 'x' || s[2] == 'X';
        size_t i = hex ? 3 : 2;
        uint32_t v = 0;
        size_t digits = 0;
        for (; i < len && i < 12; i++) {
            int d = hex ? ts_hex_digit((unsigned char)s[i])
                        : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
            if (d < 0)
                break;
            v = v * (hex ? 16u : 10u) + (uint32_t)d;
            digits++;
        }
        if (digits == 0 || i >= len || s[i] != ';' || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v ? v : ' ';
        return i + 1;
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t n = strlen(named[k].name);
        if (len > n && memcmp(s + 1, named[k].name, n) == 0) {
            *cp = named[k].cp;
            return n + 1;
        }
    }
    return 0;
}

static bool tag_breaks_line(const char *t, size_t n)
{
    static const char *const tags[] = {"br", "div", "p", "li", "tr", "h1", "h2", "h3", "table"};
    size_t i = t[0] == '/' ? 1 : 0, e = i;
    while (e < n && ((t[e] >= 'a' && t[e] <= 'z') || (t[e] >= 'A' && t[e] <= 'Z') ||
                     (t[e] >= '0' && t[e] <= '9')))
        e++;
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++)
        if (strlen(tags[k]) == e - i && strncasecmp(t + i, tags[k], e - i) == 0)
            return true;
    return false;
}

size_t ts_drawing_html_text(const char *in, size_t len, char *out)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '<') {
            const char *gt = memchr(in + i, '>', len - i);
            if (gt == NULL)
                break; /* an unclosed tag: the rest is markup */
            size_t tl = (size_t)(gt - (in + i)) - 1;
            if (tag_breaks_line(in + i + 1, tl) && w > 0 && out[w - 1] != '\n')
                out[w++] = '\n';
            i = (size_t)(gt - in);
        } else if (c == '&') {
            uint32_t cp;
            size_t n = entity(in + i, len - i, &cp);
            if (n == 0) {
                out[w++] = c;
                continue;
            }
            unsigned char u[4];
            size_t ul = ts_utf8_put(u, cp == 0xA0 ? ' ' : cp);
            memcpy(out + w, u, ul); /* ul <= n: a reference is never shorter than its UTF-8 */
            w += ul;
            i += n - 1;
        } else {
            out[w++] = c;
        }
    }
    return w;
}

/* ---- people --------------------------------------------------------------------------------- */

#define PERSON_MAX 256u

ts_status ts_drawing_people(ts_doc *doc, const ts_loc *loc, const char *text, const char *role)
{
    ts_status st = TS_OK;
    const char *c = text;
    while (*c && st == TS_OK) {
        while (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r')
            c++;
        const char *e = c;
        while (*e && *e != '\n')
            e++;
        size_t n = (size_t)(e - c);
        while (n > 0 && (c[n - 1] == ' ' || c[n - 1] == '\r' || c[n - 1] == '\t'))
            n--;
        if (n > 0 && n < PERSON_MAX) {
            char *name = ts_doc_strndup(doc, c, n);
            st = name ? ts_office_person(doc, loc, name, role, "metadata.user-name") : TS_ENOMEM;
        }
        c = e;
    }
    return st;
}

/* ---- rules ---------------------------------------------------------------------------------- */

const struct ts_builtin_rule ts_drawing_rules[] = {
    {"diagram.network", TS_CAT_DIAGRAM, TS_SEV_HIGH, "Network or infrastructure diagram",
     "Nettverks- eller infrastrukturtegning",
     "Do not publish network drawings: remove the drawing or replace it with a general "
     "description, and hand it out only to qualified suppliers under a confidentiality "
     "declaration.",
     "Ikke publiser nettverkstegninger: fjern tegningen eller erstatt den med en generell "
     "beskrivelse, og del den kun med kvalifiserte leverandører under taushetserklæring."},
    {"facility.security-floor-plan", TS_CAT_FACILITY, TS_SEV_MEDIUM,
     "Drawing that marks physical security (server room, access control, cameras, alarms, keys)",
     "Tegning som viser fysisk sikring (serverrom, adgangskontroll, kameraer, alarm, nøkler)",
     "Publish the floor plan without the security layer (server room, readers, cameras, alarm "
     "panels, key boxes), or hand it out only under a confidentiality declaration.",
     "Publiser plantegningen uten sikringslaget (serverrom, kortlesere, kameraer, alarmpaneler, "
     "nøkkelbokser), eller del den kun under taushetserklæring."},
    {"hidden.hidden-layer", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Hidden layer with content",
     "Skjult lag med innhold",
     "A layer that is off, frozen or hidden is still in the file: turn it on, check it, and "
     "delete it (or purge it) before publishing, or publish a PDF of what should be seen.",
     "Et lag som er slått av, frosset eller skjult ligger fortsatt i filen: slå det på, "
     "kontroller det og slett det før publisering, eller publiser en PDF av det som skal vises."},
    {"hidden.hidden-shape", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Hidden shapes or text in a drawing",
     "Skjulte figurer eller tekst i en tegning",
     "Show the hidden shapes, check them and delete what must not be published.",
     "Vis de skjulte figurene, kontroller dem og slett det som ikke skal publiseres."},
    {"metadata.last-saved-by", TS_CAT_METADATA, TS_SEV_MEDIUM,
     "Drawing last saved by a user name (login)", "Tegningen ble sist lagret av et brukernavn",
     "The drawing names the login that saved it: save a copy from a neutral account, or publish "
     "a PDF export instead.",
     "Tegningen viser påloggingsnavnet som lagret den: lagre en kopi fra en nøytral konto, eller "
     "publiser en PDF-eksport i stedet."},
    {"document.dwg-not-read", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "DWG drawing content was not read: export it to DXF or PDF and scan that",
     "Innholdet i DWG-tegningen ble ikke lest: eksporter den til DXF eller PDF og skann den",
     "tenderscan cannot read DWG drawings: save the drawing as DXF (or plot it to PDF) and scan "
     "that file, then publish the PDF.",
     "tenderscan kan ikke lese DWG-tegninger: lagre tegningen som DXF (eller plott den til PDF) "
     "og skann den filen, og publiser deretter PDF-en."},
    {"metadata.gps-position", TS_CAT_METADATA, TS_SEV_MEDIUM, "GPS position in the file",
     "GPS-posisjon i filen",
     "The picture tells where it was taken: remove the location (Windows: Properties > Details > "
     "Remove properties; or export the image without metadata).",
     "Bildet forteller hvor det ble tatt: fjern posisjonen (Windows: Egenskaper > Detaljer > "
     "Fjern egenskaper; eller eksporter bildet uten metadata)."},
    {"metadata.camera-owner", TS_CAT_METADATA, TS_SEV_MEDIUM,
     "Camera owner or serial number in the image", "Kameraeier eller serienummer i bildet",
     "The image names who owns the camera or its serial number: export the image without "
     "metadata before publishing.",
     "Bildet viser hvem som eier kameraet eller serienummeret: eksporter bildet uten metadata "
     "før publisering."},
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Images (JPEG, PNG, TIFF): EXIF with libexif, XMP with libxml2, IPTC, comments and text chunks. */
#include "extract/drawing.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>

#include "extract/ocr.h"
#include "extract/office.h"
#include "extract/picture.h"
#include "extract/xmlread.h"

/*
 * Where an image keeps words about itself:
 *   - EXIF (CIPA DC-008): artist, copyright, description, user comment, camera make, model,
 *     owner and serial number, software, Windows XP tags, and the GPS position. In a JPEG it is
 *     the APP1 segment "Exif\0\0", in a PNG the eXIf chunk, in a TIFF the file itself;
 *   - XMP (ISO 16684-1): an RDF packet in JPEG APP1 "http://ns.adobe.com/xap/1.0/", in PNG iTXt
 *     "XML:com.adobe.xmp", in TIFF tag 700;
 *   - IPTC-IIM (in JPEG APP13 "Photoshop 3.0" resource 0x0404, TIFF tag 33723): by-line,
 *     caption, keywords, places;
 *   - JPEG COM segments and PNG tEXt/zTXt/iTXt chunks; a PNG exported by draw.io keeps its
 *     whole diagram in an "mxfile" chunk, which is read as a draw.io file.
 * Every such text is handed over at where = exif. The pixels are read by OCR when the context
 * wants it for this picture (extract/ocr.h: picture files and ZIP members by default, pictures
 * inside documents with --ocr): the OCR module decodes the picture and its text comes at
 * where = ocr. A picture OCR does not read gets the layout check (extract/picture.h): lines of
 * text in it are reported as not read.
 */

#define MAX_SEGMENTS 4096u         /* hostile input: JPEG segments or PNG chunks looked at */
#define MAX_TIFF_COPY (64u << 20)  /* bytes of a TIFF handed to libexif */
#define MAX_CHUNK_TEXT (16u << 20) /* bytes a compressed PNG text chunk may inflate to */
#define VALUE_BYTES 1024u

typedef struct img {
    ts_doc *doc;
    ts_status st;
    ts_tsink sink;
    ts_sbuf xmp_buf, xmp_creator;
    unsigned xmp_creator_depth;
    bool gps_done;
} img;

static void oom(img *m, ts_status st)
{
    if (st != TS_OK && m->st == TS_OK)
        m->st = st;
}

static void text_line(img *m, const char *label, const char *v, size_t n)
{
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\0' || v[n - 1] == '\n'))
        n--;
    if (n == 0)
        return;
    ts_tsink_line(&m->sink, 0);
    if (label) {
        ts_tsink_put(&m->sink, label, strlen(label), TS_WHERE_EXIF);
        ts_tsink_put(&m->sink, ": ", 2, TS_WHERE_EXIF);
    }
    ts_tsink_put(&m->sink, v, n, TS_WHERE_EXIF);
}

static void person(img *m, const char *name, const char *role)
{
    ts_loc loc = {.where = TS_WHERE_EXIF};
    if (m->st == TS_OK && name[0])
        oom(m, ts_office_person(m->doc, &loc, name, role, "metadata.user-name"));
}

static void flag_value(img *m, const char *rule, const char *v, const char *detail)
{
    ts_loc loc = {.where = TS_WHERE_EXIF};
    for (size_t i = 0; i < m->doc->nfindings; i++)
        if (strcmp(ts_finding_rule_id(m->doc->findings[i]), rule) == 0 &&
            strcmp(ts_finding_value(m->doc->findings[i]), v) == 0)
            return;
    if (m->st == TS_OK && v[0])
        oom(m, ts_doc_flag(m->doc, rule, &loc, v, detail));
}

/* ---- XMP ------------------------------------------------------------------------------------ */

static void xmp_start(ts_xml *x, void *u, const char *local, const char *uri, int nattr,
                      const char **attrs)
{
    (void)uri;
    img *m = u;
    if (m->xmp_creator_depth)
        ts_sbuf_put(&m->xmp_creator, "\n", 1); /* one rdf:li per line */
    if (strcmp(local, "creator") == 0 && m->xmp_creator_depth == 0) {
        m->xmp_creator_depth = ts_xml_depth(x);
        ts_sbuf_clear(&m->xmp_creator);
    }
    for (int i = 0; i < nattr; i++) { /* RDF properties as attributes: xmp:CreatorTool="…" */
        const char **a = attrs + 5 * i;
        size_t n = (size_t)(a[4] - a[3]);
        if (n == 0 || strcmp(a[0], "about") == 0)
            continue;
        text_line(m, a[0], a[3], n);
        if (strcmp(a[0], "CreatorTool") == 0 || strcmp(a[0], "Artist") == 0 ||
            strcmp(a[0], "GPSLatitude") == 0 || strcmp(a[0], "GPSLongitude") == 0) {
            char v[VALUE_BYTES];
            ts_xml_attr_copy(nattr, attrs, a[0], v, sizeof v);
            if (a[0][0] == 'C')
                flag_value(m, "metadata.software", v, "XMP creator tool");
            else if (a[0][0] == 'A')
                person(m, v, "artist (XMP)");
            else
                flag_value(m, "metadata.gps-position", v, "XMP GPS coordinate");
        }
    }
    ts_sbuf_clear(&m->xmp_buf);
}

static void xmp_text(ts_xml *x, void *u, const char *t, size_t len)
{
    (void)x;
    img *m = u;
    ts_sbuf_put(&m->xmp_buf, t, len);
    if (m->xmp_creator_depth)
        ts_sbuf_put(&m->xmp_creator, t, len);
}

static void xmp_end(ts_xml *x, void *u, const char *local, const char *uri)
{
    (void)uri;
    img *m = u;
    const char *v = ts_sbuf_trim(&m->xmp_buf);
    if (*v) {
        text_line(m, local, v, m->xmp_buf.len);
        if (strcmp(local, "CreatorTool") == 0)
            flag_value(m, "metadata.software", v, "XMP creator tool");
        else if (strcmp(local, "GPSLatitude") == 0 || strcmp(local, "GPSLongitude") == 0)
            flag_value(m, "metadata.gps-position", v, "XMP GPS coordinate");
    }
    ts_sbuf_clear(&m->xmp_buf);
    if (m->xmp_creator_depth == ts_xml_depth(x)) {
        m->xmp_creator_depth = 0;
        /* rdf:li items arrive one per text node, one per line */
        ts_loc loc = {.where = TS_WHERE_EXIF};
        if (m->st == TS_OK)
            oom(m, ts_drawing_people(m->doc, &loc, ts_sbuf_str(&m->xmp_creator), "creator (XMP)"));
    }
}

static void read_xmp(img *m, const char *data, size_t len)
{
    ts_xml_handler h = {.start = xmp_start, .end = xmp_end, .text = xmp_text};
    ts_status st = ts_xml_parse_memory(m->doc, "XMP", data, len, &h, m);
    if (st == TS_ENOMEM || m->xmp_buf.oom || m->xmp_creator.oom)
        oom(m, TS_ENOMEM);
}

/* ---- IPTC-IIM (IPTC 4.2: record 2, application datasets) ------------------------------------ */

/* The datasets of record 2 that hold words (IPTC-IIM 4.2 chapter 6). */
static const struct {
    unsigned ds;
    const char *name;
} iptc_sets[] = {
    {5, "Object name"},        {25, "Keywords"},       {40, "Special instructions"},
    {80, "By-line"},           {85, "By-line title"},  {90, "City"},
    {92, "Sub-location"},      {95, "Province/State"}, {101, "Country"},
    {105, "Headline"},         {110, "Credit"},        {115, "Source"},
    {116, "Copyright notice"}, {118, "Contact"},       {120, "Caption"},
    {122, "Writer/Editor"},
};

static const char *iptc_name(unsigned ds)
{
    for (size_t i = 0; i < sizeof iptc_sets / sizeof iptc_sets[0]; i++)
        if (iptc_sets[i].ds == ds)
            return iptc_sets[i].name;
    return NULL;
}

static void read_iptc(img *m, const unsigned char *d, size_t n)
{
    for (size_t i = 0; i + 5 <= n && m->st == TS_OK;) {
        if (d[i] != 0x1C) {
            i++;
            continue;
        }
        unsigned rec = d[i + 1], ds = d[i + 2];
        size_t len = (size_t)d[i + 3] << 8 | d[i + 4];
        i += 5;
        if (len & 0x8000) /* an extended dataset: its length does not follow here */
            break;
        if (len > n - i)
            len = n - i;
        const char *name = rec == 2 ? iptc_name(ds) : NULL;
        if (name) {
            text_line(m, name, (const char *)d + i, len);
            if ((ds == 80 || ds == 122) && len < VALUE_BYTES) {
                char v[VALUE_BYTES];
                memcpy(v, d + i, len);
                v[len] = '\0';
                person(m, v, ds == 80 ? "by-line (IPTC)" : "writer (IPTC)");
            }
        }
        i += len;
    }
}

/* Photoshop image resources ("8BIM", id, Pascal name, size, data): IPTC is resource 0x0404. */
static void read_photoshop(img *m, const unsigned char *d, size_t n)
{
    for (size_t i = 0; i + 12 <= n;) {
        if (memcmp(d + i, "8BIM", 4) != 0)
            break;
        unsigned id = (unsigned)(d[i + 4] << 8 | d[i + 5]);
        size_t nl = d[i + 6];
        size_t p = i + 6 + ((nl + 2) & ~(size_t)1); /* name padded to even, with its length */
        if (p + 4 > n)
            break;
        size_t size =
            (size_t)d[p] << 24 | (size_t)d[p + 1] << 16 | (size_t)d[p + 2] << 8 | d[p + 3];
        p += 4;
        if (size > n - p)
            size = n - p;
        if (id == 0x0404)
            read_iptc(m, d + p, size);
        i = p + size + (size & 1);
    }
}

/* ---- EXIF ----------------------------------------------------------------------------------- */

/* A GPS coordinate (three rationals: degrees, minutes, seconds) in decimal degrees. */
static bool gps_degrees(ExifEntry *e, ExifByteOrder order, double *out)
{
    if (e == NULL || e->format != EXIF_FORMAT_RATIONAL || e->components < 3 || e->data == NULL ||
        e->size < 24)
        return false;
    double v[3];
    for (int i = 0; i < 3; i++) {
        ExifRational r = exif_get_rational(e->data + 8 * i, order);
        if (r.denominator == 0)
            return false;
        v[i] = (double)r.numerator / (double)r.denominator;
    }
    *out = v[0] + v[1] / 60.0 + v[2] / 3600.0;
    return true;
}

static void read_gps(img *m, ExifData *ed)
{
    ExifContent *g = ed->ifd[EXIF_IFD_GPS];
    ExifByteOrder order = exif_data_get_byte_order(ed);
    double lat, lon;
    if (g == NULL || m->gps_done)
        return;
    ExifEntry *la = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_LATITUDE);
    ExifEntry *lo = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_LONGITUDE);
    ExifEntry *lar = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF);
    ExifEntry *lor = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF);
    if (!gps_degrees(la, order, &lat) || !gps_degrees(lo, order, &lon))
        return;
    char ns = lar && lar->data && lar->size > 0 && lar->data[0] == 'S' ? 'S' : 'N';
    char ew = lor && lor->data && lor->size > 0 && lor->data[0] == 'W' ? 'W' : 'E';
    if (lat == 0.0 && lon == 0.0)
        return; /* a camera without a fix writes zeros */
    char v[64];
    snprintf(v, sizeof v, "%.6f %c, %.6f %c", lat, ns, lon, ew);
    m->gps_done = true;
    text_line(m, "GPS position", v, strlen(v));
    flag_value(m, "metadata.gps-position", v, "where the picture was taken (EXIF GPS)");
}

typedef struct tagname {
    unsigned tag;
    const char *name;
} tagname;

/* The EXIF tags that hold words; the rest are numbers and settings. */
static const tagname exif_tags[] = {
    {0x010E, "Image description"},
    {0x010F, "Camera make"},
    {0x0110, "Camera model"},
    {0x0131, "Software"},
    {0x013B, "Artist"},
    {0x013C, "Host computer"},
    {0x8298, "Copyright"},
    {0x9286, "User comment"},
    {0x9C9B, "Title"},
    {0x9C9C, "Comment"},
    {0x9C9D, "Author"},
    {0x9C9E, "Keywords"},
    {0x9C9F, "Subject"},
    {0xA420, "Image unique id"},
    {0xA430, "Camera owner"},
    {0xA431, "Camera serial number"},
    {0xA433, "Lens make"},
    {0xA434, "Lens model"},
    {0xA435, "Lens serial number"},
    {0x000D, "Interoperability"},
};

static const char *tag_label(unsigned tag)
{
    for (size_t i = 0; i < sizeof exif_tags / sizeof exif_tags[0]; i++)
        if (exif_tags[i].tag == tag)
            return exif_tags[i].name;
    return NULL;
}

/* Windows XP tags are UTF-16LE in BYTE arrays. */
static size_t utf16le(const unsigned char *d, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    for (size_t i = 0; i + 1 < n && w + 4 < cap; i += 2) {
        uint32_t cp = (uint32_t)(d[i] | d[i + 1] << 8);
        if (cp == 0)
            break;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD;
        w += ts_utf8_put((unsigned char *)out + w, cp);
    }
    out[w] = '\0';
    return w;
}

static void exif_entry(ExifEntry *e, void *u)
{
    img *m = u;
    unsigned tag = (unsigned)e->tag;
    char v[VALUE_BYTES];
    if (tag == EXIF_TAG_XML_PACKET && e->data && e->size > 0) {
        read_xmp(m, (const char *)e->data, e->size);
        return;
    }
    if (tag == EXIF_TAG_IPTC_NAA && e->data) {
        read_iptc(m, e->data, e->size);
        return;
    }
    const char *label = tag_label(tag);
    if (label == NULL || e->data == NULL || e->size == 0)
        return;
    size_t n;
    if (tag >= 0x9C9B && tag <= 0x9C9F) {
        n = utf16le(e->data, e->size, v, sizeof v);
    } else if (tag == 0x9286) { /* UserComment: 8 bytes of character code, then the text */
        if (e->size <= 8)
            return;
        if (memcmp(e->data, "UNICODE\0", 8) == 0) {
            n = utf16le(e->data + 8, e->size - 8, v, sizeof v);
        } else {
            n = e->size - 8 < sizeof v - 1 ? e->size - 8 : sizeof v - 1;
            memcpy(v, e->data + 8, n);
            v[n] = '\0';
        }
    } else if (e->format == EXIF_FORMAT_ASCII || e->format == EXIF_FORMAT_UNDEFINED) {
        n = e->size < sizeof v - 1 ? e->size : sizeof v - 1;
        memcpy(v, e->data, n);
        v[n] = '\0';
        n = strlen(v); /* up to the first NUL */
    } else {
        return;
    }
    while (n > 0 && v[n - 1] == ' ')
        v[--n] = '\0';
    if (n == 0)
        return;
    text_line(m, label, v, n);
    if (tag == 0x013B || tag == 0x9C9D)
        person(m, v, "artist (EXIF)");
    else if (tag == 0x0131)
        flag_value(m, "metadata.software", v, "EXIF software");
    else if (tag == 0xA430)
        flag_value(m, "metadata.camera-owner", v, "camera owner (EXIF)");
    else if (tag == 0xA431 || tag == 0xA435)
        flag_value(m, "metadata.camera-owner", v,
                   tag == 0xA431 ? "camera serial number (EXIF)" : "lens serial number (EXIF)");
}

static void exif_content(ExifContent *c, void *u)
{
    exif_content_foreach_entry(c, exif_entry, u);
}

/* EXIF data that starts with "Exif\0\0" followed by a TIFF header. */
static void read_exif(img *m, const unsigned char *d, size_t n)
{
    ExifData *ed = exif_data_new();
    if (ed == NULL) {
        oom(m, TS_ENOMEM);
        return;
    }
    /* keep tags libexif does not know (host computer, XP tags), never "fix" anything */
    exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
    exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_load_data(ed, d, (unsigned int)(n > UINT32_MAX ? UINT32_MAX : n));
    exif_data_foreach_content(ed, exif_content, m);
    read_gps(m, ed);
    exif_data_unref(ed);
}

/* TIFF-structured EXIF (a PNG eXIf chunk, a TIFF file): libexif wants the APP1 header first. */
static void read_tiff_exif(img *m, const unsigned char *d, size_t n)
{
    unsigned char *b = ts_malloc(n + 6);
    if (b == NULL) {
        oom(m, TS_ENOMEM);
        return;
    }
    memcpy(b, "Exif\0\0", 6);
    memcpy(b + 6, d, n);
    read_exif(m, b, n + 6);
    ts_free(b);
}

/* ---- containers ----------------------------------------------------------------------------- */

static void read_jpeg(img *m, const unsigned char *d, size_t n)
{
    size_t i = 2;
    for (unsigned seg = 0; seg < MAX_SEGMENTS && i + 4 <= n && m->st == TS_OK; seg++) {
        if (d[i] != 0xFF) {
            ts_doc_fail(m->doc, TS_ECORRUPT, "JPEG: no marker at byte %zu", i);
            return;
        }
        unsigned marker = d[i + 1];
        if (marker == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            i += 2;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9)
            return; /* image data follows: no more metadata before it */
        size_t len = (size_t)d[i + 2] << 8 | d[i + 3];
        if (len < 2 || len > n - i - 2) {
            ts_doc_fail(m->doc, TS_ECORRUPT, "JPEG: segment at byte %zu runs past the end", i);
            return;
        }
        const unsigned char *p = d + i + 4;
        size_t pl = len - 2;
        static const char xmp_id[] = "http://ns.adobe.com/xap/1.0/";
        if (marker == 0xE1 && pl >= 6 && memcmp(p, "Exif\0\0", 6) == 0)
            read_exif(m, p, pl);
        else if (marker == 0xE1 && pl > sizeof xmp_id && memcmp(p, xmp_id, sizeof xmp_id) == 0)
            read_xmp(m, (const char *)p + sizeof xmp_id, pl - sizeof xmp_id);
        else if (marker == 0xED && pl > 14 && memcmp(p, "Photoshop 3.0\0", 14) == 0)
            read_photoshop(m, p + 14, pl - 14);
        else if (marker == 0xFE)
            text_line(m, "Comment", (const char *)p, pl);
        i += 2 + len;
    }
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A PNG text chunk's text, inflated when compressed (caller frees *owned). */
static const char *chunk_text(img *m, const unsigned char *t, size_t n, bool z, size_t *len,
                              unsigned char **owned)
{
    *owned = NULL;
    if (!z) {
        *len = n;
        return (const char *)t;
    }
    ts_status st =
        ts_drawing_inflate(m->doc, "PNG text chunk", t, n, false, MAX_CHUNK_TEXT, owned, len);
    if (st != TS_OK) {
        oom(m, st == TS_ENOMEM ? st : TS_OK);
        return NULL;
    }
    return (const char *)*owned;
}

static void png_text(img *m, const char *key, const char *t, size_t n)
{
    if (strcmp(key, "XML:com.adobe.xmp") == 0) {
        read_xmp(m, t, n);
    } else if (strcmp(key, "mxfile") == 0 || strcmp(key, "mxGraphModel") == 0) {
        /* a draw.io PNG export: the diagram, URL-encoded */
        char *copy = ts_malloc(n + 1);
        if (copy == NULL) {
            oom(m, TS_ENOMEM);
            return;
        }
        memcpy(copy, t, n);
        size_t cl = ts_drawing_urldecode(copy, n);
        oom(m, ts_drawio_read(m->doc, "PNG mxfile chunk", copy, cl));
        ts_free(copy);
    } else if (strncmp(key, "Raw profile type", 16) != 0) {
        text_line(m, key, t, n);
        if (strcmp(key, "Author") == 0 && n < VALUE_BYTES) {
            char v[VALUE_BYTES];
            memcpy(v, t, n);
            v[n] = '\0';
            person(m, v, "author (PNG)");
        } else if (strcmp(key, "Software") == 0 && n < VALUE_BYTES) {
            char v[VALUE_BYTES];
            memcpy(v, t, n);
            v[n] = '\0';
            flag_value(m, "metadata.software", v, "PNG software");
        }
    }
}

static void read_png(img *m, const unsigned char *d, size_t n)
{
    size_t i = 8;
    for (unsigned c = 0; c < MAX_SEGMENTS && m->st == TS_OK; c++) {
        if (i + 12 > n) {
            ts_doc_fail(m->doc, TS_ECORRUPT, "PNG: ends before its IEND chunk (truncated)");
            return;
        }
        size_t len = be32(d + i);
        const unsigned char *type = d + i + 4, *p = d + i + 8;
        if (len > n - i - 12) {
            ts_doc_fail(m->doc, TS_ECORRUPT, "PNG: chunk at byte %zu runs past the end", i);
            return;
        }
        if (memcmp(type, "IEND", 4) == 0)
            return;
        bool text = memcmp(type, "tEXt", 4) == 0, ztxt = memcmp(type, "zTXt", 4) == 0,
             itxt = memcmp(type, "iTXt", 4) == 0;
        if (memcmp(type, "eXIf", 4) == 0 && len > 8) {
            read_tiff_exif(m, p, len);
        } else if (text || ztxt || itxt) {
            const unsigned char *nul = memchr(p, 0, len < 80 ? len : 80);
            if (nul) {
                char key[80];
                size_t kl = (size_t)(nul - p);
                memcpy(key, p, kl);
                key[kl] = '\0';
                size_t at = kl + 1;
                bool z = ztxt;
                if (ztxt)
                    at++; /* compression method */
                if (itxt) {
                    /* compression flag, method, language tag\0, translated keyword\0 */
                    z = at < len && p[at] == 1;
                    at += 2;
                    for (int k = 0; k < 2 && at < len; k++) {
                        const unsigned char *e = memchr(p + at, 0, len - at);
                        at = e ? (size_t)(e - p) + 1 : len;
                    }
                }
                if (at <= len) {
                    unsigned char *owned = NULL;
                    size_t tl = 0;
                    const char *t = chunk_text(m, p + at, len - at, z, &tl, &owned);
                    if (t)
                        png_text(m, key, t, tl);
                    ts_free(owned);
                }
            }
        }
        i += 12 + len;
    }
}

static void read_tiff(img *m, const unsigned char *d, size_t n)
{
    size_t take = n < MAX_TIFF_COPY ? n : MAX_TIFF_COPY;
    read_tiff_exif(m, d, take);
    if (take < n)
        ts_doc_fail(m->doc, TS_ELIMIT, "TIFF: only the first %u MiB were read for metadata",
                    (unsigned)(MAX_TIFF_COPY >> 20));
}

/*
 * An Office package's preview of its own first page (docProps/thumbnail.jpeg), whose text is
 * read from the document itself: not checked for text (--ocr still reads it).
 */
static bool is_thumbnail(const ts_doc *doc)
{
    return doc->depth > 0 && strncmp(doc->path + doc->name_off, "docProps/thumbnail.", 19) == 0;
}

/*
 * The pixels: read by OCR, or else checked for lines of text. A picture of its own is a file
 * given or a member of a ZIP (a tender package); one inside a document (DOCX media, a PDF
 * attachment) is read by OCR only with --ocr.
 */
static ts_status read_pixels(ts_doc *doc, const ts_input *in)
{
    bool standalone = doc->container == NULL || strcmp(doc->container, "zip") == 0;
    char why[400] = "";
    ts_ocr *o = NULL;
    ts_status st = TS_OK;
    if (ts_ocr_wanted(doc, standalone, why, sizeof why))
        st = ts_ocr_open(&o, doc, why, sizeof why);
    if (st == TS_OK && o != NULL)
        st = ts_ocr_image(o, in);
    else if (st == TS_OK && (standalone || !is_thumbnail(doc)))
        st = ts_picture_check(doc, in, standalone, why);
    ts_ocr_close(o);
    return st;
}

static ts_status image_extract(ts_doc *doc, const ts_input *in)
{
    img m = {.doc = doc};
    ts_tsink_init(&m.sink, doc, TS_WHERE_EXIF, NULL);
    if (in->type == TS_TYPE_JPEG)
        read_jpeg(&m, in->data, in->len);
    else if (in->type == TS_TYPE_PNG)
        read_png(&m, in->data, in->len);
    else
        read_tiff(&m, in->data, in->len);
    ts_status st = ts_tsink_dispose(&m.sink);
    ts_sbuf_free(&m.xmp_buf);
    ts_sbuf_free(&m.xmp_creator);
    if (m.st != TS_OK)
        return m.st;
    return st == TS_OK ? read_pixels(doc, in) : st;
}

static ts_status image_init(void)
{
    return ts_xml_init();
}

const struct ts_extractor ts_extractor_image = {
    .name = "image",
    .types = (const ts_type[]){TS_TYPE_JPEG, TS_TYPE_PNG, TS_TYPE_TIFF, TS_TYPE_NONE},
    .init = image_init,
    .extract = image_extract,
    .rules = ts_drawing_rules,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* File type detection from content: magic bytes, container members, the first XML element. */
#include "core/type.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#include "core/core.h"

#define PDF_WINDOW 1024u           /* Acrobat accepts "%PDF-" anywhere in the first 1 KiB */
#define SNIFF_BYTES (64u * 1024u)  /* text heuristics look at this much */
#define ZIP_MAX_ENTRIES 10000u     /* hostile input: member names looked at */
#define OLE_MAX_SCAN (8u << 20)    /* hostile input: bytes of a compound file looked at */
#define OLE_MAX_DIR_ENTRIES 16384u /* hostile input: directory entries parsed */
#define OLE_MAX_DIFAT 4096u        /* hostile input: DIFAT sectors followed */
#define XML_SNIFF_UNITS 4096u      /* UTF-16 code units transcoded for the XML sniff */

static const char *const type_names[TS_TYPE_COUNT_] = {
    [TS_TYPE_NONE] = "unknown",
    [TS_TYPE_EMPTY] = "empty",
    [TS_TYPE_UNKNOWN] = "unknown",
    [TS_TYPE_TEXT] = "text",
    [TS_TYPE_PDF] = "pdf",
    [TS_TYPE_DOCX] = "docx",
    [TS_TYPE_DOCM] = "docm",
    [TS_TYPE_XLSX] = "xlsx",
    [TS_TYPE_XLSM] = "xlsm",
    [TS_TYPE_PPTX] = "pptx",
    [TS_TYPE_PPTM] = "pptm",
    [TS_TYPE_VSDX] = "vsdx",
    [TS_TYPE_ODT] = "odt",
    [TS_TYPE_ODS] = "ods",
    [TS_TYPE_ODP] = "odp",
    [TS_TYPE_ODG] = "odg",
    [TS_TYPE_OLE] = "ole",
    [TS_TYPE_DOC] = "doc",
    [TS_TYPE_XLS] = "xls",
    [TS_TYPE_PPT] = "ppt",
    [TS_TYPE_VSD] = "vsd",
    [TS_TYPE_OOXML_ENCRYPTED] = "ooxml-encrypted",
    [TS_TYPE_RTF] = "rtf",
    [TS_TYPE_DXF] = "dxf",
    [TS_TYPE_DXF_BINARY] = "dxf-binary",
    [TS_TYPE_DWG] = "dwg",
    [TS_TYPE_SVG] = "svg",
    [TS_TYPE_DRAWIO] = "drawio",
    [TS_TYPE_IFC] = "ifc",
    [TS_TYPE_IFCZIP] = "ifczip",
    [TS_TYPE_JPEG] = "jpeg",
    [TS_TYPE_PNG] = "png",
    [TS_TYPE_TIFF] = "tiff",
    [TS_TYPE_ZIP] = "zip",
    [TS_TYPE_XLSB] = "xlsb",
    [TS_TYPE_DOC_OLD] = "doc",
    [TS_TYPE_XLS_OLD] = "xls",
};

const char *ts_type_name(ts_type t)
{
    if ((unsigned)t >= (unsigned)TS_TYPE_COUNT_ || type_names[t] == NULL)
        return "unknown";
    return type_names[t];
}

static bool has_prefix(const unsigned char *d, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* First offset of `needle` in d[0, len), or len when absent. */
static size_t find_bytes(const unsigned char *d, size_t len, const void *needle, size_t n)
{
    const unsigned char *nd = needle;
    if (n == 0 || len < n)
        return len;
    for (size_t i = 0; i + n <= len;) {
        const unsigned char *p = memchr(d + i, nd[0], len - n + 1 - i);
        if (p == NULL)
            return len;
        size_t at = (size_t)(p - d);
        if (memcmp(p, nd, n) == 0)
            return at;
        i = at + 1;
    }
    return len;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/* ---- ZIP: Office Open XML, OpenDocument, IFC-ZIP ------------------------------------------ */

enum zip_seen {
    SEEN_WORD = 1u << 0,
    SEEN_WORD_VBA = 1u << 1,
    SEEN_XL = 1u << 2,
    SEEN_XL_VBA = 1u << 3,
    SEEN_PPT = 1u << 4,
    SEEN_PPT_VBA = 1u << 5,
    SEEN_VISIO = 1u << 6,
    SEEN_IFC = 1u << 7,
    SEEN_MIMETYPE = 1u << 8,
    SEEN_XLSB = 1u << 9,
};

/* The OpenDocument type named by the "mimetype" member (ODF 1.2 part 3, §3.3), or NONE. */
static ts_type odf_type(zip_t *za, zip_uint64_t idx)
{
    static const struct {
        const char *mime;
        ts_type type;
    } odf[] = {
        {"application/vnd.oasis.opendocument.text", TS_TYPE_ODT},
        {"application/vnd.oasis.opendocument.spreadsheet", TS_TYPE_ODS},
        {"application/vnd.oasis.opendocument.presentation", TS_TYPE_ODP},
        {"application/vnd.oasis.opendocument.graphics", TS_TYPE_ODG},
    };
    char buf[128];
    zip_int64_t n = 0;
    zip_file_t *zf = zip_fopen_index(za, idx, 0);
    if (zf == NULL)
        return TS_TYPE_NONE;
    /* hostile input: read at most sizeof buf - 1 bytes whatever the member claims */
    n = zip_fread(zf, buf, sizeof buf - 1);
    zip_fclose(zf);
    if (n <= 0)
        return TS_TYPE_NONE;
    buf[n] = '\0';
    for (size_t i = 0; i < sizeof odf / sizeof odf[0]; i++) {
        size_t ml = strlen(odf[i].mime);
        /* "...text" also covers "...text-template" and "...text-master" */
        if (strncmp(buf, odf[i].mime, ml) == 0 &&
            (buf[ml] == '\0' || buf[ml] == '-' || buf[ml] == '\r' || buf[ml] == '\n'))
            return odf[i].type;
    }
    return TS_TYPE_NONE;
}

static ts_type detect_zip(const unsigned char *data, size_t len)
{
    ts_type t = TS_TYPE_ZIP;
    unsigned seen = 0;
    ts_type odf = TS_TYPE_NONE;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = NULL;
    if (src == NULL)
        goto out;
    za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (za == NULL) {
        zip_source_free(src);
        goto out; /* damaged: still a zip, the zip extractor reports why */
    }
    zip_int64_t count = zip_get_num_entries(za, 0);
    zip_uint64_t limit = count > 0 ? (zip_uint64_t)count : 0;
    if (limit > ZIP_MAX_ENTRIES)
        limit = ZIP_MAX_ENTRIES;
    for (zip_uint64_t i = 0; i < limit; i++) {
        const char *name = zip_get_name(za, i, ZIP_FL_ENC_RAW);
        if (name == NULL)
            continue;
        if (strcmp(name, "mimetype") == 0 && !(seen & SEEN_MIMETYPE)) {
            seen |= SEEN_MIMETYPE;
            odf = odf_type(za, i);
        } else if (strcasecmp(name, "word/document.xml") == 0) {
            seen |= SEEN_WORD;
        } else if (strcasecmp(name, "xl/workbook.xml") == 0) {
            seen |= SEEN_XL;
        } else if (strcasecmp(name, "xl/workbook.bin") == 0) {
            seen |= SEEN_XLSB;
        } else if (strcasecmp(name, "ppt/presentation.xml") == 0) {
            seen |= SEEN_PPT;
        } else if (strcasecmp(name, "visio/document.xml") == 0) {
            seen |= SEEN_VISIO;
        } else if (strncasecmp(name, "word/", 5) == 0 && ends_with_ci(name, "/vbaProject.bin")) {
            seen |= SEEN_WORD_VBA;
        } else if (strncasecmp(name, "xl/", 3) == 0 && ends_with_ci(name, "/vbaProject.bin")) {
            seen |= SEEN_XL_VBA;
        } else if (strncasecmp(name, "ppt/", 4) == 0 && ends_with_ci(name, "/vbaProject.bin")) {
            seen |= SEEN_PPT_VBA;
        } else if (ends_with_ci(name, ".ifc")) {
            seen |= SEEN_IFC;
        }
    }
    if (odf != TS_TYPE_NONE)
        t = odf;
    else if (seen & SEEN_WORD)
        t = (seen & SEEN_WORD_VBA) ? TS_TYPE_DOCM : TS_TYPE_DOCX;
    else if (seen & SEEN_XL)
        t = (seen & SEEN_XL_VBA) ? TS_TYPE_XLSM : TS_TYPE_XLSX;
    else if (seen & SEEN_XLSB)
        t = TS_TYPE_XLSB;
    else if (seen & SEEN_PPT)
        t = (seen & SEEN_PPT_VBA) ? TS_TYPE_PPTM : TS_TYPE_PPTX;
    else if (seen & SEEN_VISIO)
        t = TS_TYPE_VSDX;
    else if (seen & SEEN_IFC)
        t = TS_TYPE_IFCZIP;
out:
    if (za != NULL)
        zip_discard(za); /* read-only: never writes, frees the source too */
    zip_error_fini(&ze);
    return t;
}

/* ---- OLE2 compound files (MS-CFB) --------------------------------------------------------- */

#define CFB_ENDOFCHAIN 0xFFFFFFFEu
#define CFB_NOSTREAM 0xFFFFFFFFu
#define CFB_MAXREG 0xFFFFFFFAu

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

typedef struct cfb {
    const unsigned char *data;
    size_t len; /* bytes we allow ourselves to look at (at most OLE_MAX_SCAN) */
    unsigned shift;
    size_t ssize;
    uint32_t nfat;
} cfb;

/* The sector's bytes, or NULL when it lies outside what we look at. */
static const unsigned char *cfb_sector(const cfb *c, uint32_t sec)
{
    if (sec > CFB_MAXREG)
        return NULL;
    uint64_t off = ((uint64_t)sec + 1) << c->shift;
    if (off > c->len || c->len - off < c->ssize)
        return NULL;
    return c->data + off;
}

/* Sector number of the k-th FAT sector (MS-CFB §2.5, DIFAT), or CFB_NOSTREAM. */
static uint32_t cfb_fat_sector(const cfb *c, uint32_t k)
{
    if (k >= c->nfat)
        return CFB_NOSTREAM;
    if (k < 109)
        return rd32(c->data + 0x4C + 4 * k);
    uint32_t per = (uint32_t)(c->ssize / 4) - 1;
    uint32_t idx = k - 109;
    uint32_t sec = rd32(c->data + 0x44);
    for (uint32_t hops = 0; hops < OLE_MAX_DIFAT; hops++) {
        const unsigned char *p = cfb_sector(c, sec);
        if (p == NULL)
            return CFB_NOSTREAM;
        if (idx < per)
            return rd32(p + 4 * idx);
        idx -= per;
        sec = rd32(p + 4 * per);
    }
    return CFB_NOSTREAM;
}

static uint32_t cfb_next(const cfb *c, uint32_t sec)
{
    uint32_t per = (uint32_t)(c->ssize / 4);
    const unsigned char *p = cfb_sector(c, cfb_fat_sector(c, sec / per));
    return p ? rd32(p + 4 * (sec % per)) : CFB_NOSTREAM;
}

/* Does the directory entry `e` carry this ASCII name (stored as UTF-16LE)? */
static bool cfb_name_is(const unsigned char *e, const char *name)
{
    size_t n = strlen(name);
    uint16_t nlen = rd16(e + 0x40);
    if (nlen != 2 * (n + 1) || n > 31)
        return false;
    for (size_t i = 0; i < n; i++)
        if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0)
            return false;
    return true;
}

enum ole_seen {
    OLE_ENCRYPTION = 1u << 0,
    OLE_WORD = 1u << 1,
    OLE_EXCEL = 1u << 2,
    OLE_PPT = 1u << 3,
    OLE_VISIO = 1u << 4,
};

static unsigned ole_classify_entry(const unsigned char *e)
{
    if (cfb_name_is(e, "EncryptionInfo"))
        return OLE_ENCRYPTION;
    if (cfb_name_is(e, "WordDocument"))
        return OLE_WORD;
    if (cfb_name_is(e, "Workbook") || cfb_name_is(e, "Book"))
        return OLE_EXCEL;
    if (cfb_name_is(e, "PowerPoint Document"))
        return OLE_PPT;
    if (cfb_name_is(e, "VisioDocument"))
        return OLE_VISIO;
    return 0;
}

/*
 * Names of the root storage's children, parsed by hand: only the top level counts, so an .xls
 * with an embedded Word document stays an .xls. Returns false when the directory is unreadable.
 */
static bool ole_parse(const unsigned char *data, size_t len, unsigned *seen)
{
    cfb c = {.data = data, .len = len < OLE_MAX_SCAN ? len : OLE_MAX_SCAN};
    if (c.len < 512)
        return false;
    unsigned shift = rd16(data + 0x1E);
    if (shift != 9 && shift != 12)
        return false;
    c.shift = shift;
    c.ssize = (size_t)1 << shift;
    c.nfat = rd32(data + 0x2C);
    /* collect the directory chain's sectors: entries are 128 bytes */
    size_t per = c.ssize / 128;
    uint32_t dir_secs[OLE_MAX_DIR_ENTRIES / 4];
    size_t ndir = 0;
    size_t max_secs = OLE_MAX_DIR_ENTRIES / per;
    if (max_secs > sizeof dir_secs / sizeof dir_secs[0])
        max_secs = sizeof dir_secs / sizeof dir_secs[0];
    uint32_t sec = rd32(data + 0x30);
    while (sec != CFB_ENDOFCHAIN && ndir < max_secs) {
        if (cfb_sector(&c, sec) == NULL)
            break; /* truncated: use what we have */
        dir_secs[ndir++] = sec;
        sec = cfb_next(&c, sec);
    }
    size_t nent = ndir * per;
    if (nent == 0)
        return false;
#define ENTRY(i) (cfb_sector(&c, dir_secs[(i) / per]) + ((i) % per) * 128)
    const unsigned char *root = ENTRY(0);
    if (root[0x42] != 5)
        return false;
    /* walk the root's red-black tree of children (MS-CFB §2.6.4) with a bounded stack */
    uint32_t stack[64];
    size_t sp = 0, visits = 0;
    uint32_t first = rd32(root + 0x4C);
    if (first != CFB_NOSTREAM)
        stack[sp++] = first;
    while (sp > 0 && visits < nent) {
        uint32_t id = stack[--sp];
        visits++;
        if (id >= nent)
            continue;
        const unsigned char *e = ENTRY(id);
        *seen |= ole_classify_entry(e);
        uint32_t l = rd32(e + 0x44), r = rd32(e + 0x48);
        if (l != CFB_NOSTREAM && sp < sizeof stack / sizeof stack[0])
            stack[sp++] = l;
        if (r != CFB_NOSTREAM && sp < sizeof stack / sizeof stack[0])
            stack[sp++] = r;
    }
#undef ENTRY
    return true;
}

/* Fallback for a damaged directory: look for the UTF-16LE names anywhere in the first 8 MiB. */
static unsigned ole_search(const unsigned char *data, size_t len)
{
    static const char *const names[] = {"EncryptionInfo", "WordDocument",        "Workbook",
                                        "Book",           "PowerPoint Document", "VisioDocument"};
    static const unsigned bits[] = {OLE_ENCRYPTION, OLE_WORD, OLE_EXCEL,
                                    OLE_EXCEL,      OLE_PPT,  OLE_VISIO};
    unsigned seen = 0;
    size_t n = len < OLE_MAX_SCAN ? len : OLE_MAX_SCAN;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        unsigned char wide[64];
        size_t l = strlen(names[k]);
        /* the name, its terminator: "Book" must not match inside "Workbook" */
        for (size_t i = 0; i < l; i++) {
            wide[2 * i] = (unsigned char)names[k][i];
            wide[2 * i + 1] = 0;
        }
        wide[2 * l] = wide[2 * l + 1] = 0;
        size_t at = 0;
        while (at < n) {
            size_t f = find_bytes(data + at, n - at, wide, 2 * l + 2);
            if (f == n - at)
                break;
            /* a directory name starts an entry: 128-byte aligned from a sector start */
            if (((at + f) & 127) == 0) {
                seen |= bits[k];
                break;
            }
            at += f + 1;
        }
    }
    return seen;
}

static ts_type detect_ole(const unsigned char *data, size_t len)
{
    unsigned seen = 0;
    /* a readable directory decides alone: a Word stream nested in an attachment's storage (an
     * Outlook .msg) does not make the file a .doc */
    if (!ole_parse(data, len, &seen))
        seen = ole_search(data, len);
    if (seen & OLE_ENCRYPTION)
        return TS_TYPE_OOXML_ENCRYPTED;
    if (seen & OLE_WORD)
        return TS_TYPE_DOC;
    if (seen & OLE_EXCEL)
        return TS_TYPE_XLS;
    if (seen & OLE_PPT)
        return TS_TYPE_PPT;
    if (seen & OLE_VISIO)
        return TS_TYPE_VSD;
    return TS_TYPE_OLE;
}

/* ---- text-based formats -------------------------------------------------------------------- */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static size_t skip_space(const unsigned char *d, size_t len, size_t i)
{
    while (i < len && is_space(d[i]))
        i++;
    return i;
}

/* One line without its surrounding blanks: [*s, *e); returns the offset after its '\n'. */
static size_t next_line(const unsigned char *d, size_t len, size_t i, size_t *s, size_t *e)
{
    while (i < len && (d[i] == ' ' || d[i] == '\t'))
        i++;
    *s = i;
    while (i < len && d[i] != '\n' && d[i] != '\r')
        i++;
    size_t end = i;
    while (end > *s && (d[end - 1] == ' ' || d[end - 1] == '\t'))
        end--;
    *e = end;
    if (i < len && d[i] == '\r')
        i++;
    if (i < len && d[i] == '\n')
        i++;
    return i;
}

static bool span_is(const unsigned char *d, size_t s, size_t e, const char *word)
{
    size_t n = strlen(word);
    return e - s == n && memcmp(d + s, word, n) == 0;
}

/* ASCII DXF: optional 999 comment pairs, then group code 0 with value SECTION. */
static bool is_dxf(const unsigned char *d, size_t len)
{
    size_t i = skip_space(d, len, 0), s, e;
    for (unsigned pairs = 0; pairs < 1000 && i < len; pairs++) {
        i = next_line(d, len, i, &s, &e);
        if (span_is(d, s, e, "999")) {
            i = next_line(d, len, i, &s, &e); /* the comment */
            continue;
        }
        if (!span_is(d, s, e, "0"))
            return false;
        i = next_line(d, len, i, &s, &e);
        return span_is(d, s, e, "SECTION");
    }
    return false;
}

/* Skip "<?...?>", "<!--...-->" and "<!DOCTYPE ...[...]>"; the offset of the first element's '<'. */
static size_t skip_xml_prolog(const unsigned char *d, size_t len, size_t i, bool *ok)
{
    *ok = false;
    for (;;) {
        i = skip_space(d, len, i);
        if (i >= len || d[i] != '<')
            return i;
        if (has_prefix(d + i, len - i, "<?", 2)) {
            size_t f = find_bytes(d + i, len - i, "?>", 2);
            if (f == len - i)
                return len;
            i += f + 2;
        } else if (has_prefix(d + i, len - i, "<!--", 4)) {
            size_t f = find_bytes(d + i + 4, len - i - 4, "-->", 3);
            if (f == len - i - 4)
                return len;
            i += 4 + f + 3;
        } else if (has_prefix(d + i, len - i, "<!", 2)) {
            /* DOCTYPE: '>' closes it unless inside the internal subset [ ... ] */
            int depth = 0;
            size_t j = i + 2;
            for (; j < len; j++) {
                if (d[j] == '[')
                    depth++;
                else if (d[j] == ']' && depth > 0)
                    depth--;
                else if (d[j] == '>' && depth == 0)
                    break;
            }
            if (j >= len)
                return len;
            i = j + 1;
        } else {
            *ok = true;
            return i;
        }
    }
}

/* XML documents that have a reader of their own: SVG and draw.io. NONE for any other text. */
static ts_type detect_xml(const unsigned char *d, size_t len)
{
    bool ok;
    size_t i = skip_xml_prolog(d, len, 0, &ok);
    if (!ok)
        return TS_TYPE_NONE;
    size_t s = i + 1, e = s;
    while (e < len && !is_space(d[e]) && d[e] != '>' && d[e] != '/')
        e++;
    if (e == s || e >= len)
        return TS_TYPE_NONE;
    size_t local = s;
    for (size_t k = s; k < e; k++)
        if (d[k] == ':')
            local = k + 1;
    if (span_is(d, local, e, "svg"))
        return TS_TYPE_SVG;
    if (span_is(d, s, e, "mxfile") || span_is(d, s, e, "mxGraphModel"))
        return TS_TYPE_DRAWIO;
    return TS_TYPE_TEXT;
}

/* Text formats recognised by their start: DXF, IFC, SVG, draw.io, other XML (NONE if none). */
static ts_type detect_text_format(const unsigned char *d, size_t len)
{
    if (is_dxf(d, len))
        return TS_TYPE_DXF;
    size_t i = skip_space(d, len, 0);
    if (has_prefix(d + i, len - i, "ISO-10303-21;", 13))
        return TS_TYPE_IFC;
    if (i < len && d[i] == '<')
        return detect_xml(d + i, len - i);
    return TS_TYPE_NONE;
}

/*
 * UTF-16 without a byte order mark, told by its NULs: ASCII-range text has one NUL in every code
 * unit. 1 = little endian, 2 = big endian, 0 = not UTF-16. The text extractor applies the same
 * test.
 */
int ts_type_utf16_guess(const unsigned char *d, size_t len)
{
    size_t n = (len < SNIFF_BYTES ? len : SNIFF_BYTES) / 2;
    size_t zero_even = 0, zero_odd = 0, ctrl_le = 0, ctrl_be = 0;
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = d[2 * i], b = d[2 * i + 1];
        zero_even += a == 0;
        zero_odd += b == 0;
        /* code units that would be control characters in each byte order */
        if (b == 0 && a < 0x20 && a != '\t' && a != '\n' && a != '\r' && a != '\f')
            ctrl_le++;
        if (a == 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f')
            ctrl_be++;
    }
    if (zero_odd * 10 >= n * 4 && zero_even * 20 <= n && ctrl_le * 10 < n)
        return 1;
    if (zero_even * 10 >= n * 4 && zero_odd * 20 <= n && ctrl_be * 10 < n)
        return 2;
    return 0;
}

/* Text for the first 64 KiB: no NUL and under 10% control bytes other than \t \r \n \f. */
static bool looks_like_text(const unsigned char *d, size_t len)
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    size_t ctrl = 0;
    if (memchr(d, 0, n) != NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = d[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
            ctrl++;
    }
    return ctrl * 10 < n;
}

/*
 * Text in more than one charset, as PowerShell's Out-File -Append leaves it (UTF-16 and then
 * ASCII): the first 64 KiB fall into runs (ts_charset_run) that are each text of their kind.
 */
static bool looks_like_mixed_text(const unsigned char *d, size_t len)
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, off = 0, runs = 0;
    ts_charset cs = TS_CHARSET_8BIT, next;
    while (off < n) {
        size_t end = ts_charset_run(d, n, off, cs, &next);
        if (end == off && next == cs)
            return false;
        if (end > off) {
            bool ok = cs == TS_CHARSET_8BIT
                          ? looks_like_text(d + off, end - off)
                          : ts_charset_texty16(d + off, end - off, cs == TS_CHARSET_UTF16BE);
            /* hostile input: text does not change charset at every turn */
            if (!ok || ++runs > 16)
                return false;
        }
        off = end;
        cs = next;
    }
    return runs >= 2;
}

/*
 * Binary formats without a reader whose bytes could pass for UTF-16 text: a Windows metafile
 * full of small coordinates has a NUL in every other byte. They are of no known type (their
 * strings are scanned), never text.
 */
static bool is_known_binary(const unsigned char *d, size_t len)
{
    /* WMF: the placeable header's key, or a standard header (type 1 or 2, 9 words, 0x0100/0x0300)
     */
    if (has_prefix(d, len, "\xD7\xCD\xC6\x9A", 4))
        return true;
    if (len >= 6 && (d[0] == 1 || d[0] == 2) && d[1] == 0 && d[2] == 9 && d[3] == 0 && d[4] == 0 &&
        (d[5] == 1 || d[5] == 3))
        return true;
    /* EMF: EMR_HEADER (type 1) with " EMF" at offset 40 */
    return len >= 44 && has_prefix(d, len, "\x01\0\0\0", 4) && memcmp(d + 40, " EMF", 4) == 0;
}

/* UTF-16 text: SVG or draw.io when its start says so, else plain text. */
static ts_type detect_utf16(const unsigned char *d, size_t len, bool big_endian)
{
    unsigned char ascii[XML_SNIFF_UNITS];
    size_t n = 0;
    for (size_t k = 0; k + 1 < len && n < sizeof ascii; k += 2) {
        unsigned char hi = big_endian ? d[k] : d[k + 1], lo = big_endian ? d[k + 1] : d[k];
        ascii[n++] = hi == 0 && lo < 0x80 ? lo : '?';
    }
    if (n == 0)
        return TS_TYPE_TEXT;
    size_t i = skip_space(ascii, n, 0);
    if (i < n && ascii[i] == '<') {
        ts_type t = detect_xml(ascii + i, n - i);
        if (t == TS_TYPE_SVG || t == TS_TYPE_DRAWIO)
            return t;
    }
    return TS_TYPE_TEXT;
}

/* ---- binary office files from before the compound file ---------------------------------- */

/* Word for Windows 1.x and 2.x: wIdent 0xA59B or 0xA5DB, then an nFib below Word 6's 0x65. */
static bool is_word_old(const unsigned char *d, size_t len)
{
    return len >= 32 && (d[0] == 0x9B || d[0] == 0xDB) && d[1] == 0xA5 && d[3] == 0 &&
           d[2] >= 0x10 && d[2] < 0x65;
}

/* Excel 2, 3 and 4 worksheets are a bare BIFF stream: a BOF record (0x0009, 0x0209, 0x0409) of
 * 4 to 8 bytes whose type is a worksheet, chart, macro sheet or workbook (MS-XLS 2.4.21 for
 * their successor; the older BOFs have the same first fields). */
static bool is_biff_old(const unsigned char *d, size_t len)
{
    if (len < 8 || d[0] != 0x09 || (d[1] != 0x00 && d[1] != 0x02 && d[1] != 0x04) || d[3] != 0 ||
        d[2] < 4 || d[2] > 8 || d[7] > 1)
        return false;
    unsigned dt = (unsigned)d[6] | (unsigned)d[7] << 8;
    return dt == 0x10 || dt == 0x20 || dt == 0x40 || dt == 0x100;
}

ts_type ts_type_detect(const unsigned char *data, size_t len)
{
    if (data == NULL || len == 0)
        return TS_TYPE_EMPTY;
    if (has_prefix(data, len, "PK\3\4", 4) || has_prefix(data, len, "PK\5\6", 4))
        return detect_zip(data, len);
    if (has_prefix(data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return detect_ole(data, len);
    if (has_prefix(data, len, "\x89PNG\r\n\x1A\n", 8))
        return TS_TYPE_PNG;
    if (has_prefix(data, len, "\xFF\xD8\xFF", 3))
        return TS_TYPE_JPEG;
    if (has_prefix(data, len, "II*\0", 4) || has_prefix(data, len, "MM\0*", 4) ||
        has_prefix(data, len, "II+\0", 4) || has_prefix(data, len, "MM\0+", 4))
        return TS_TYPE_TIFF;
    if (len >= 6 && memcmp(data, "AC10", 4) == 0 && data[4] >= '0' && data[4] <= '9' &&
        data[5] >= '0' && data[5] <= '9')
        return TS_TYPE_DWG;
    if (has_prefix(data, len, "AutoCAD Binary DXF\r\n\x1A\0", 22))
        return TS_TYPE_DXF_BINARY;
    if (is_word_old(data, len))
        return TS_TYPE_DOC_OLD;
    if (is_biff_old(data, len))
        return TS_TYPE_XLS_OLD;
    if (has_prefix(data, len, "{\\rtf", 5))
        return TS_TYPE_RTF;
    if (find_bytes(data, len < PDF_WINDOW ? len : PDF_WINDOW, "%PDF-", 5) !=
        (len < PDF_WINDOW ? len : PDF_WINDOW))
        return TS_TYPE_PDF;

    if (is_known_binary(data, len))
        return TS_TYPE_UNKNOWN;

    if (has_prefix(data, len, "\xFF\xFE", 2))
        return detect_utf16(data + 2, len - 2, false);
    if (has_prefix(data, len, "\xFE\xFF", 2))
        return detect_utf16(data + 2, len - 2, true);
    const unsigned char *d = data;
    size_t n = len;
    if (has_prefix(d, n, "\xEF\xBB\xBF", 3)) {
        d += 3;
        n -= 3;
    }
    int u16 = ts_type_utf16_guess(data, len);
    if (u16 != 0)
        return detect_utf16(data, len, u16 == 2);
    ts_type t = detect_text_format(d, n < SNIFF_BYTES ? n : SNIFF_BYTES);
    if (t != TS_TYPE_NONE)
        return t;
    if (n == 0 || looks_like_text(d, n) || looks_like_mixed_text(d, n))
        return TS_TYPE_TEXT;
    return TS_TYPE_UNKNOWN;
}

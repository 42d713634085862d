/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OLE Packager's native data (a file wrapped as an OLE1 object), for the OLE and RTF readers.
 */
#include "extract/ole.h"

#include <string.h>

/* A NUL-terminated string at p[*at]; false when there is no NUL before n. */
static bool cstr(const unsigned char *p, size_t n, size_t *at, const char **s, size_t *len)
{
    const unsigned char *z = *at < n ? memchr(p + *at, 0, n - *at) : NULL;
    if (z == NULL)
        return false;
    *s = (const char *)p + *at;
    *len = (size_t)(z - (p + *at));
    *at += *len + 1;
    return true;
}

bool ts_ole_package_parse(ts_ole_package *out, const unsigned char *p, size_t n)
{
    size_t at = 2;
    memset(out, 0, sizeof(*out));
    if (n < 2 || ts_ole_u16(p) != 2)
        return false;
    if (!cstr(p, n, &at, &out->label, &out->label_len) ||
        !cstr(p, n, &at, &out->path, &out->path_len))
        return false;
    /* 00 00 03 00: an embedded file (01 00 is a link, which holds no file) */
    if (n - at < 8 || ts_ole_u16(p + at + 2) != 3)
        return false;
    at += 4;
    uint32_t tl = ts_ole_u32(p + at);
    at += 4;
    if (tl > n - at)
        return false;
    out->temp = (const char *)p + at;
    out->temp_len = tl > 0 && p[at + tl - 1] == 0 ? tl - 1 : tl;
    at += tl;
    if (n - at < 4)
        return false;
    uint32_t dl = ts_ole_u32(p + at);
    at += 4;
    if (dl > n - at)
        return false;
    out->data = p + at;
    out->len = dl;
    return true;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output sinks for reporters: a FILE, or a growing NUL-terminated buffer in memory. */
#include "tenderscan.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "report/report.h"

struct ts_out {
    FILE *fp;   /* file sink: borrowed, never closed here */
    char *buf;  /* memory sink: always NUL-terminated */
    size_t len; /* bytes in buf, without the NUL */
    size_t cap; /* bytes allocated at buf */
    bool is_memory;
};

#define MEMORY_START 256u

TS_API ts_status ts_out_new_file(ts_out **out, FILE *fp)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    if (fp == NULL)
        return TS_EINVAL;
    ts_out *o = ts_calloc(1, sizeof(*o));
    if (o == NULL)
        return TS_ENOMEM;
    o->fp = fp;
    *out = o;
    return TS_OK;
}

TS_API ts_status ts_out_new_memory(ts_out **out)
{
    if (out == NULL)
        return TS_EINVAL;
    *out = NULL;
    ts_out *o = ts_calloc(1, sizeof(*o));
    if (o == NULL)
        return TS_ENOMEM;
    o->buf = ts_malloc(MEMORY_START);
    if (o->buf == NULL) {
        ts_free(o);
        return TS_ENOMEM;
    }
    o->buf[0] = '\0';
    o->cap = MEMORY_START;
    o->is_memory = true;
    *out = o;
    return TS_OK;
}

TS_API const char *ts_out_memory(const ts_out *o, size_t *len)
{
    if (len)
        *len = 0;
    if (o == NULL || !o->is_memory)
        return NULL;
    if (len)
        *len = o->len;
    return o->buf;
}

TS_API void ts_out_free(ts_out *o)
{
    if (o == NULL)
        return;
    ts_free(o->buf);
    ts_free(o);
}

/* Make room for `more` bytes plus the NUL; doubling keeps appends amortised O(1). */
static ts_status reserve(ts_out *o, size_t more)
{
    if (more > SIZE_MAX - 1 - o->len)
        return TS_ENOMEM;
    size_t need = o->len + more + 1;
    if (need <= o->cap)
        return TS_OK;
    size_t ncap = o->cap ? o->cap : MEMORY_START;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            ncap = need;
            break;
        }
        ncap *= 2;
    }
    char *p = ts_realloc(o->buf, ncap);
    if (p == NULL)
        return TS_ENOMEM;
    o->buf = p;
    o->cap = ncap;
    return TS_OK;
}

ts_status ts_out_write(ts_out *o, const void *data, size_t len)
{
    if (o == NULL || (data == NULL && len > 0))
        return TS_EINVAL;
    if (len == 0)
        return TS_OK;
    if (!o->is_memory)
        return fwrite(data, 1, len, o->fp) == len ? TS_OK : TS_EIO;
    ts_status st = reserve(o, len);
    if (st != TS_OK)
        return st;
    memcpy(o->buf + o->len, data, len);
    o->len += len;
    o->buf[o->len] = '\0';
    return TS_OK;
}

ts_status ts_out_puts(ts_out *o, const char *s)
{
    if (s == NULL)
        return TS_EINVAL;
    return ts_out_write(o, s, strlen(s));
}

ts_status ts_out_vprintf(ts_out *o, const char *fmt, va_list ap)
{
    if (o == NULL || fmt == NULL)
        return TS_EINVAL;
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    ts_status st = TS_OK;
    char *big = NULL;
    if (n < 0) {
        st = TS_EIO;
        goto out;
    }
    if ((size_t)n < sizeof small) {
        st = ts_out_write(o, small, (size_t)n);
        goto out;
    }
    big = ts_malloc((size_t)n + 1);
    if (big == NULL) {
        st = TS_ENOMEM;
        goto out;
    }
    if (vsnprintf(big, (size_t)n + 1, fmt, again) != n) {
        st = TS_EIO;
        goto out;
    }
    st = ts_out_write(o, big, (size_t)n);
out:
    va_end(again);
    ts_free(big);
    return st;
}

ts_status ts_out_printf(ts_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_status st = ts_out_vprintf(o, fmt, ap);
    va_end(ap);
    return st;
}

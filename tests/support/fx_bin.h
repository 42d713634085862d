/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test fixtures of binary formats tenderscan has no reader for (Windows metafiles). */
#ifndef FX_BIN_H
#define FX_BIN_H

#include <stddef.h>

/*
 * A Windows metafile (placeable header, then one polyline of `points` points whose coordinates
 * lie in 0x41..0xFE, so that every other byte is NUL, as in a drawing of small coordinates)
 * followed by `tail` (NUL-terminated, may be NULL), as a file with text appended looks.
 * Malloc'd; *len gets its size.
 */
unsigned char *fx_wmf_polyline(size_t points, const char *tail, size_t *len);

#endif /* FX_BIN_H */

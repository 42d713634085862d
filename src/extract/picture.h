/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pictures without OCR: decode to gray (PNG, JPEG) and look for lines of text in the pixels. */
#ifndef TS_EXTRACT_PICTURE_H
#define TS_EXTRACT_PICTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "extract/extract.h"

/*
 * When OCR does not read a picture (OCR off with --no-ocr, the OCR module not installed, or a
 * picture embedded in a document without --ocr), its pixels still get a cheap layout check:
 * a picture in which it finds lines of text gets the finding "hidden.picture-text" (review:
 * "picture with text that was not read"), so a screenshot of a firewall configuration is never
 * graded ok unread. A photo, a gradient or a few large shapes have no such lines and stay ok.
 *
 * The check is bounded like OCR (extract/ocr.h): an image file that would decode to more than
 * TS_OCR_MAX_DECODE bytes is not decoded (a JPEG is decoded at 1/2 to 1/8 of its size first),
 * and the decoded picture is scaled down to at most TS_PICTURE_MAX_PIXELS before it is looked at.
 * PNG is decoded with libpng, JPEG with libjpeg (the libraries Leptonica decodes them with in the
 * OCR module, which may be missing); a TIFF is not decoded: without OCR it is reported as a
 * picture that was not read (TIFF files are mostly scanned pages).
 */
#define TS_PICTURE_MAX_PIXELS (32u << 20) /* an 8K screenshot (33 Mpx) is looked at halved */

/* What the layout check found. */
typedef struct ts_textlines {
    unsigned lines;  /* lines of text: 4 or more character-sized shapes side by side */
    unsigned chars;  /* character-sized shapes in those lines */
    unsigned height; /* median height of those shapes, in pixels of the picture looked at */
} ts_textlines;

/*
 * Look for lines of text in an 8-bit gray picture (0 = black; `stride` bytes a row), dark text on
 * light and light text on dark. Milliseconds for a screenshot; a picture over
 * TS_PICTURE_MAX_PIXELS, or one too busy to look at whole, is looked at in halves of its size.
 * TS_ENOMEM or TS_OK.
 */
ts_status ts_textlines_find(ts_textlines *out, const unsigned char *px, unsigned w, unsigned h,
                            size_t stride);

/*
 * Is that text? A picture file of its own (`standalone`: a file given or a member of a ZIP) has
 * text with two lines and 12 characters of it; a picture inside a document needs three lines
 * and 30 characters, so that a logo with the organisation's name in a letterhead is not text to
 * report. One line alone (a caption, a label in a photo) is not enough either way.
 */
bool ts_textlines_are_text(const ts_textlines *t, bool standalone);

/*
 * The layout check of an image file that OCR did not read (`why`: why not, e.g. "OCR is off
 * (--no-ocr)"): decode, look for text and raise "hidden.picture-text" when there is some. A
 * picture that cannot be decoded fails the document (never ok unread); a TIFF is reported as not
 * read. TS_ENOMEM or TS_OK.
 */
ts_status ts_picture_check(ts_doc *doc, const ts_input *in, bool standalone, const char *why);

#endif /* TS_EXTRACT_PICTURE_H */

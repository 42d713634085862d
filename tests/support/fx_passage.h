/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Passage fixtures: the markup of tests/detection/README.md rendered as a real document. */
#ifndef TS_FX_PASSAGE_H
#define TS_FX_PASSAGE_H

#include <stddef.h>

/*
 * The markup (tests/detection/README.md, "A passage: NAME.txt"), one item a line:
 *   - a plain line is a paragraph;
 *   - a line holding a TAB is a table row, consecutive rows one table, cells split at the tabs;
 *   - `@comment`, `@footnote`, `@textbox`, `@header`, `@footer`, `@deleted`, `@inserted`,
 *     `@hidden`, `@redacted` followed by a space and a text, and `@sheet [NAME]`, put the text in
 *     a particular place where the format has one and are a plain paragraph where it has not.
 *     A line starting with any other `@word` is a plain paragraph. A marker's text may hold tabs:
 *     they separate cells there too (or are the format's tab character in a paragraph).
 *
 * What each marker becomes in each format:
 *
 *   txt   the line without its marker (a `@sheet NAME` line is "NAME"); \n line ends as written.
 *   csv   UTF-8 with a BOM, CRLF after every record, fields separated by `;` and quoted (RFC
 *         4180) when they hold `;`, `"`, CR or LF: Excel's "CSV UTF-8". A table row is a record
 *         of its cells, any other line a record of one field (its text without the marker).
 *   docx  paragraphs (w:p), tables (w:tbl/w:tr/w:tc, borders, each cell's text in a w:p);
 *         @comment a comment in word/comments.xml (author "Saksbehandler") whose range and
 *         reference sit in the last paragraph before it (in a table: its last cell); @footnote a
 *         footnote in word/footnotes.xml referenced at the end of that paragraph; @textbox a
 *         paragraph holding a drawing with a wps:txbx text box, with the v:textbox copy in
 *         mc:Fallback as Word writes it; @header/@footer paragraphs of word/header1.xml /
 *         word/footer1.xml (all such lines of the passage), referenced from the w:sectPr;
 *         @deleted a paragraph whose run and mark are a tracked deletion (w:del, w:delText);
 *         @inserted a tracked insertion (w:ins); @hidden a paragraph of w:vanish runs; @sheet a
 *         page break (w:br w:type="page"), then NAME as a paragraph when there is one;
 *         @redacted a plain paragraph. docProps/core.xml has no creator.
 *   odt   the same in OpenDocument: text:p, table:table; @comment an office:annotation at the
 *         end of the last paragraph; @footnote a text:note there; @textbox a paragraph holding a
 *         draw:frame/draw:text-box; @header/@footer style:header/style:footer of the master page
 *         in styles.xml; @deleted a text:changed-region/text:deletion in text:tracked-changes
 *         marked by text:change in its paragraph; @inserted text between text:change-start and
 *         text:change-end of a text:insertion region; @hidden a span of a style with
 *         text:display="none" (LibreOffice's hidden character attribute); @sheet a paragraph of
 *         a style breaking before it (fo:break-before="page") holding NAME. No meta.xml.
 *   xlsx  a row per line: table cells in columns A, B, C …, other lines in column A, all as
 *         shared strings (never numbers: "01017012345" stays as written), no cell for an empty
 *         text; @comment a legacy cell comment (xl/commentsN.xml, author "Saksbehandler", with
 *         the VML drawing and legacyDrawing Excel needs to show it) on the previous row's first
 *         cell (A1 when there is none), taking no row; @hidden a row with hidden="1";
 *         @sheet NAME a new sheet named NAME (the first sheet "Ark1" unless the passage opens
 *         with @sheet). Other markers are rows of their text.
 *   ods   the same with table:table-row / table:table-cell office:value-type="string";
 *         @comment an office:annotation in the previous row's first cell; @hidden a row with
 *         table:visibility="collapse".
 *   pdf   drawn with cairo on A4 in DejaVu Sans 10 pt with a 14 pt line height, 2 cm margins;
 *         a line wider than the page is wrapped at spaces. A table's cells are drawn in
 *         columns, no ruling lines: each column starts 0.8 em after the widest cell of the one
 *         before it (poppler keeps a row on one line only with a gap under 1 em: see GAP_EM). A
 *         table too wide for the page is drawn smaller, down to 7 pt, then wrapped in its
 *         columns. A full page or @sheet starts a new page (NAME is its first line);
 *         @header/@footer lines are drawn at the top/bottom of every page; @redacted is drawn,
 *         then covered by a filled black box; @hidden is white text on the white page;
 *         @comment is a text annotation (/Subtype /Text, /T "Saksbehandler") beside the
 *         previous line. cairo cannot write one (its tags make links only), so it is added to
 *         the page with an incremental update of the cairo file (fx_objs_update), as a PDF
 *         commented in a viewer is saved. Other markers are plain lines.
 */

/* Formats a passage can be rendered in. */
typedef enum fx_format {
    FX_FMT_TXT,
    FX_FMT_CSV,
    FX_FMT_DOCX,
    FX_FMT_ODT,
    FX_FMT_XLSX,
    FX_FMT_ODS,
    FX_FMT_PDF,
    FX_FMT_COUNT_ /* number of formats; not a format */
} fx_format;

/* "txt", "csv", "docx", "odt", "xlsx", "ods", "pdf" (also the file name extension). */
const char *fx_format_name(fx_format f);
/* The format of a name as fx_format_name gives it, or -1 for an unknown name. */
int fx_format_parse(const char *name);

/*
 * Render the markup `text` (UTF-8, lines separated by \n, a CR before the \n ignored) as a
 * document of format f. Returns the document's malloc'd bytes and their length in *len; fails
 * the test (cmocka) on error. Every character of the text is kept (XML-escaped where needed).
 */
unsigned char *fx_passage_render(const char *text, size_t text_len, fx_format f, size_t *len);

#endif /* TS_FX_PASSAGE_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PDF row of the extractor table: its rules; its reader is the module built from pdf*.c. */
#include "extract/extract.h"

/*
 * Defined by pdf.c. The program links the reader as the module tenderscan-pdf.so, loaded by the
 * first PDF (poppler and cairo cost every other run nothing); the tests and libtenderscan link it
 * in, and then this weak reference finds it.
 */
extern const struct ts_module ts_module_pdf __attribute__((weak));

static const struct ts_builtin_rule pdf_rules[] = {
    /* high: somebody decided the text must not be seen, and it can still be read (DESIGN §5) */
    {"hidden.invisible-text", TS_CAT_HIDDEN, TS_SEV_HIGH,
     "Text that cannot be seen (under a box, white on white, invisible or tiny)",
     "Tekst som ikke kan ses (under en boks, hvit på hvit, usynlig eller bitteliten)",
     "The text is still in the file and can be copied out: delete it in the source document and "
     "export again. To black out text, use a real redaction tool (Acrobat: Redact) that removes "
     "it.",
     "Teksten ligger fortsatt i filen og kan kopieres ut: slett den i kildedokumentet og "
     "eksporter på nytt. Bruk et ekte sladdeverktøy (Acrobat: Sladd) som fjerner teksten."},
    {"hidden.pdf-revision", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Earlier version kept in the PDF (incremental save)",
     "Tidligere versjon ligger igjen i PDF-en (inkrementell lagring)",
     "The file still holds an earlier version with text that was changed or removed: save a new "
     "copy (Acrobat: File > Save As, or print to PDF) so that only the final version remains.",
     "Filen har fortsatt en tidligere versjon med tekst som er endret eller fjernet: lagre en ny "
     "kopi (Acrobat: Fil > Lagre som, eller skriv ut til PDF) slik at bare siste versjon blir "
     "igjen."},
    {"hidden.pdf-revisions-kept", TS_CAT_HIDDEN, TS_SEV_INFO,
     "The PDF keeps earlier versions of itself (incremental saves)",
     "PDF-en har tidligere versjoner av seg selv (inkrementell lagring)",
     "Nothing was found in the earlier versions that the final one does not show, but they are in "
     "the file: save a new copy (Acrobat: File > Save As, or print to PDF) to drop them.",
     "Det ble ikke funnet noe i de tidligere versjonene som ikke også står i den siste, men de "
     "ligger i filen: lagre en ny kopi (Acrobat: Fil > Lagre som, eller skriv ut til PDF) for å "
     "fjerne dem."},
    {"hidden.pdf-annotation", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Comment or annotation in the PDF",
     "Kommentar eller merknad i PDF-en",
     "Read the comments and delete them before publishing (Acrobat: Redact > Remove hidden "
     "information).",
     "Les kommentarene og slett dem før publisering (Acrobat: Sladd > Fjern skjult "
     "informasjon)."},
    {"hidden.pdf-attachment", TS_CAT_HIDDEN, TS_SEV_LOW, "File attached to the PDF",
     "Fil lagt ved PDF-en",
     "The attached file goes out with the PDF and was scanned on its own; remove it if readers "
     "do not need it.",
     "Den vedlagte filen følger med PDF-en og ble skannet for seg; fjern den om leserne ikke "
     "trenger den."},
    {"hidden.pdf-hidden-layer", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Layer hidden when the PDF opens",
     "Lag som er skjult når PDF-en åpnes",
     "Show the layer and check it (drawings exported from CAD often hide layers with addresses "
     "or equipment); delete it or export without it.",
     "Vis laget og kontroller det (tegninger eksportert fra CAD skjuler ofte lag med adresser "
     "eller utstyr); slett det eller eksporter uten det."},
    {"hidden.pdf-javascript", TS_CAT_HIDDEN, TS_SEV_HIGH, "JavaScript in the PDF",
     "JavaScript i PDF-en",
     "Tender documents need no scripts: export the PDF again without JavaScript (Acrobat: Redact "
     "> Remove hidden information).",
     "Konkurransedokumenter trenger ingen skript: eksporter PDF-en på nytt uten JavaScript "
     "(Acrobat: Sladd > Fjern skjult informasjon)."},
    {"hidden.image-only-page", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Page is an image: its content was not read", "Siden er et bilde: innholdet ble ikke lest",
     "The text in a scanned page was not read: check the page by eye, or scan again with text "
     "recognition (OCR: install tesseract-ocr-nor and tesseract-ocr-eng, do not give "
     "--no-ocr).",
     "Teksten på en skannet side ble ikke lest: kontroller siden selv, eller skann på nytt med "
     "tekstgjenkjenning (OCR: installer tesseract-ocr-nor og tesseract-ocr-eng, ikke bruk "
     "--no-ocr)."},
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

const struct ts_extractor ts_extractor_pdf = {
    .name = "pdf",
    .types = (const ts_type[]){TS_TYPE_PDF, TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .rules = pdf_rules,
    .module = "pdf",
    .linked = &ts_module_pdf,
};

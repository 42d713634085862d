/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Built-in structural rules: findings raised about a place (a comment, a layer), not a pattern. */
#include "detect/rules.h"

#include <string.h>

#include "core/alloc.h"
#include "extract/extract.h"

/*
 * Each extractor declares the structural rules it raises (struct ts_extractor.rules), so adding a
 * format stays one file and one table row. Rules raised by the core itself are listed here.
 */
static const struct ts_builtin_rule core_rules[] = {
    /* people, paths and software in document properties: raised by several extractors, so the
     * wording is the same for every format */
    {"metadata.author", TS_CAT_METADATA, TS_SEV_LOW, "Person's name in document properties",
     "Personnavn i dokumentegenskapene",
     "Usually harmless; remove it from the document properties if the person should not be "
     "named.",
     "Vanligvis ufarlig; fjern det fra dokumentegenskapene om personen ikke skal navngis."},
    {"metadata.user-name", TS_CAT_METADATA, TS_SEV_MEDIUM, "User name (login) in the document",
     "Brukernavn (pålogging) i dokumentet",
     "A login helps an attacker guess accounts: remove it from the document properties and "
     "comments before publishing.",
     "Et brukernavn hjelper en angriper å gjette kontoer: fjern det fra dokumentegenskaper og "
     "kommentarer før publisering."},
    {"metadata.user-path", TS_CAT_METADATA, TS_SEV_MEDIUM,
     "Local file path (shows folders or a user name)",
     "Lokal filsti (viser mapper eller brukernavn)",
     "Remove the path: break links, detach the template, clear the document properties (a PDF "
     "title often repeats the path of the file it was made from), then save or export a clean "
     "copy.",
     "Fjern stien: bryt koblinger, koble fra malen, tøm dokumentegenskapene (tittelen i en PDF "
     "gjentar ofte stien til filen den ble laget fra), og lagre eller eksporter en ren kopi."},
    {"metadata.software", TS_CAT_METADATA, TS_SEV_INFO, "Producing software and version",
     "Programvare og versjon som laget filen",
     "No action needed in most cases; an outdated PDF tool or plug-in named here tells an "
     "attacker what your office runs.",
     "Som regel ingen tiltak; et utdatert PDF-verktøy eller programtillegg som nevnes her, "
     "forteller en angriper hva kontoret bruker."},
    /* raised by the PDF reader (pages) and for image files read by OCR */
    {"document.ocr-read", TS_CAT_HIDDEN, TS_SEV_INFO,
     "Picture read by text recognition (OCR): it may have misread",
     "Bilde lest med tekstgjenkjenning (OCR): den kan ha lest feil",
     "The text in the picture was recognised and scanned. OCR misreads characters (0 and O, 1 "
     "and l), skips handwriting and faint or small text: look at the picture yourself before "
     "publishing.",
     "Teksten i bildet ble gjenkjent og skannet. OCR leser av og til feil tegn (0 og O, 1 og l) "
     "og hopper over håndskrift og svak eller liten tekst: se selv på bildet før publisering."},
    /* raised for image files OCR did not read, when the layout check sees lines of text */
    {"hidden.picture-text", TS_CAT_HIDDEN, TS_SEV_MEDIUM, "Picture with text that was not read",
     "Bilde med tekst som ikke ble lest",
     "The picture shows lines of text (a screenshot, a table, a scanned page) that tenderscan did "
     "not read: look at the picture yourself before publishing, or scan it again with text "
     "recognition (OCR: install tesseract-ocr-nor and tesseract-ocr-eng, do not give --no-ocr; "
     "for pictures inside documents give --ocr).",
     "Bildet viser linjer med tekst (et skjermbilde, en tabell, en skannet side) som tenderscan "
     "ikke leste: se selv på bildet før publisering, eller skann det på nytt med "
     "tekstgjenkjenning (OCR: installer tesseract-ocr-nor og tesseract-ocr-eng, ikke bruk "
     "--no-ocr; for bilder inne i dokumenter bruk --ocr)."},
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

static char *dup_or_null(const char *s)
{
    return s ? ts_strdup(s) : NULL;
}

static ts_status add_rows(ts_ctx *ctx, const struct ts_builtin_rule *rows)
{
    for (const struct ts_builtin_rule *b = rows; b && b->id != NULL; b++) {
        if (ts_ctx_rule_find(ctx, b->id) != NULL)
            continue; /* two extractors may share a rule (e.g. metadata.author) */
        ts_rule *r = ts_rule_alloc();
        if (r == NULL)
            return TS_ENOMEM;
        if (ts_grow((void **)&ctx->rules, &ctx->cap_rules, ctx->nrules + 1, sizeof(*ctx->rules)) !=
            0) {
            ts_rule_free(r);
            return TS_ENOMEM;
        }
        ctx->rules[ctx->nrules++] = r;
        r->id = ts_strdup(b->id);
        r->category = b->category;
        r->severity = b->severity;
        r->severity_nocontext = -1;
        r->title[TS_LANG_EN] = dup_or_null(b->title_en);
        r->title[TS_LANG_NB] = dup_or_null(b->title_nb);
        r->advice[TS_LANG_EN] = dup_or_null(b->advice_en);
        r->advice[TS_LANG_NB] = dup_or_null(b->advice_nb);
        r->origin = ts_strdup("built-in");
        r->builtin = true;
        if (!r->id || !r->origin || !r->title[0] || !r->title[1])
            return TS_ENOMEM;
        /* keep the array sorted so that ts_ctx_rule_find (bsearch) sees earlier rows */
        if (ts_ctx_rebuild(ctx) != TS_OK)
            return TS_ENOMEM;
    }
    return TS_OK;
}

ts_status ts_builtin_rules_add(ts_ctx *ctx)
{
    ts_status st = add_rows(ctx, core_rules);
    for (size_t i = 0; st == TS_OK && ts_extractor_at(i) != NULL; i++)
        st = add_rows(ctx, ts_extractor_at(i)->rules);
    return st;
}

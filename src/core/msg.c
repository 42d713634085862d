/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The nb and en strings behind msg.h. */
#include "core/msg.h"

#include <stddef.h>

static const char *const msgs[TS_MSG_COUNT_][2] = {
    [TS_MSG_GRADE_OK] = {"OK", "OK"},
    [TS_MSG_GRADE_REVIEW] = {"REVIEW", "MÅ VURDERES"},
    [TS_MSG_GRADE_BLOCK] = {"BLOCK", "STOPP"},
    [TS_MSG_GRADE_ERROR] = {"ERROR", "FEIL"},
    [TS_MSG_GRADE_OK_HINT] = {"Nothing sensitive found: can be published.",
                              "Ingenting sensitivt funnet: kan publiseres."},
    [TS_MSG_GRADE_REVIEW_HINT] = {"A person must look at the findings before publishing.",
                                  "En person må se på funnene før publisering."},
    [TS_MSG_GRADE_BLOCK_HINT] = {"Do not publish as it is: remove or generalise the findings, or "
                                 "hand it out only under a confidentiality declaration.",
                                 "Må ikke publiseres slik den er: fjern eller generaliser funnene, "
                                 "eller del den kun med taushetserklæring."},
    [TS_MSG_GRADE_ERROR_HINT] = {"Could not be read completely: it cannot be vouched for. Check it "
                                 "by hand or save it in another format and scan again.",
                                 "Kunne ikke leses helt: den kan ikke godkjennes. Kontroller den "
                                 "manuelt, eller lagre den i et annet format og skann på nytt."},
    [TS_MSG_REASON_FINDING] = {"%s (%zu×)", "%s (%zu×)"},
    [TS_MSG_REASON_ADDRESS_PLAN] = {"internal address plan: %zu internal addresses or networks",
                                    "intern adresseplan: %zu interne adresser eller nett"},
    [TS_MSG_REASON_ATTACK_MAP] = {"internal addressing together with firewall or remote-access "
                                  "details (an attack map)",
                                  "intern adressering sammen med brannmur- eller "
                                  "fjerntilgangsdetaljer (et angrepskart)"},
    [TS_MSG_REASON_CHILD] = {"contains %s (%s)", "inneholder %s (%s)"},
    [TS_MSG_REASON_CHILD_WHY] = {"contains %s (%s: %.*s)", "inneholder %s (%s: %.*s)"},
    [TS_MSG_REASON_ERROR] = {"could not be read completely: %s", "kunne ikke leses helt: %s"},
    [TS_MSG_REASON_TRUNCATED] = {"%zu more findings not listed (limit reached)",
                                 "%zu funn til er ikke listet (grensen er nådd)"},
    [TS_MSG_LABEL_WHERE] = {"where", "hvor"},
    [TS_MSG_LABEL_PAGE] = {"page", "side"},
    [TS_MSG_LABEL_LINE] = {"line", "linje"},
    [TS_MSG_LABEL_PART] = {"part", "del"},
    [TS_MSG_LABEL_ADVICE] = {"what to do", "hva du gjør"},
    [TS_MSG_LABEL_FINDINGS] = {"findings", "funn"},
    [TS_MSG_LABEL_REASONS] = {"why", "hvorfor"},
    [TS_MSG_LABEL_SUMMARY] = {"Summary", "Oppsummering"},
    [TS_MSG_LABEL_DOCUMENTS] = {"documents", "dokumenter"},
    [TS_MSG_LABEL_IGNORED] = {"accepted (ignored)", "godtatt (ignorert)"},
    [TS_MSG_LABEL_SCORE] = {"score", "poeng"},
    [TS_MSG_LABEL_NO_FINDINGS] = {"no findings", "ingen funn"},
    [TS_MSG_LABEL_ERROR] = {"error", "feil"},
    [TS_MSG_SUM_OK] = {"ok", "ok"},
    [TS_MSG_SUM_REVIEW] = {"review", "må vurderes"},
    [TS_MSG_SUM_BLOCK] = {"block", "stopp"},
    [TS_MSG_SUM_ERROR] = {"error", "feil"},
    [TS_MSG_LABEL_ACCEPTED] = {"accepted", "godtatt"},
    [TS_MSG_LABEL_MORE] = {"more", "til"},
    [TS_MSG_LABEL_DOCUMENT] = {"document", "dokument"},
    [TS_MSG_LABEL_FINDING] = {"finding", "funn"},
    [TS_MSG_LABEL_GRADE] = {"grade", "vurdering"},
    [TS_MSG_LABEL_CATEGORY] = {"category", "kategori"},
    [TS_MSG_LABEL_SEVERITY] = {"severity", "alvorlighet"},
    [TS_MSG_LABEL_RULE] = {"rule", "regel"},
    [TS_MSG_LABEL_VALUE] = {"value", "verdi"},
    [TS_MSG_LABEL_MESSAGE] = {"message", "melding"},
    [TS_MSG_LABEL_FINGERPRINT] = {"fingerprint", "fingeravtrykk"},
    [TS_MSG_LABEL_FORMAT] = {"format", "format"},
    [TS_MSG_LABEL_BYTES] = {"bytes", "byte"},
    [TS_MSG_HTML_TITLE] = {"tenderscan report", "tenderscan-rapport"},
    [TS_MSG_HTML_HEADING] = {"Can these documents be published?",
                             "Kan disse dokumentene publiseres?"},
    [TS_MSG_HTML_OVERVIEW] = {"Overview", "Oversikt"},
    [TS_MSG_HTML_FILTER] = {"Show", "Vis"},
    [TS_MSG_HTML_SHOW_ALL] = {"Show everything", "Vis alt"},
    [TS_MSG_HTML_SHOWN] = {"%1 of %2 documents shown", "%1 av %2 dokumenter vises"},
    [TS_MSG_HTML_MORE] = {"more of the same kind", "til av samme slag"},
    [TS_MSG_HTML_BACK] = {"Back to the overview", "Tilbake til oversikten"},
    [TS_MSG_HTML_MASKED] = {"Passwords and keys are masked in this report.",
                            "Passord og nøkler er maskert i denne rapporten."},
    [TS_MSG_HTML_UNMASKED] = {"This report shows passwords and keys in clear text: keep it "
                              "secret and delete it after use.",
                              "Denne rapporten viser passord og nøkler i klartekst: hold den "
                              "hemmelig og slett den etter bruk."},
    [TS_MSG_HTML_FOOTER] = {"Made by tenderscan", "Laget av tenderscan"},
    [TS_MSG_LABEL_RULES] = {"rules", "regler"},
    [TS_MSG_HTML_NONE] = {"No documents were scanned.", "Ingen dokumenter ble skannet."},
    [TS_MSG_HTML_ASK] = {"Unsure? Ask your IT security contact before you publish.",
                         "Usikker? Spør den som har ansvar for IT-sikkerhet før du publiserer."},
    [TS_MSG_HTML_CONTEXT] = {"text around it", "teksten rundt"},
    [TS_MSG_UNREAD_TITLE] = {"Document could not be read completely",
                             "Dokumentet kunne ikke leses helt"},
    [TS_MSG_FAIL_EXPANDS] = {"expands to more than %llu bytes of text (repeated cells or shared "
                             "strings): the file may be crafted to exhaust memory; what was read "
                             "before was scanned",
                             "utvides til mer enn %llu byte tekst (gjentatte celler eller delte "
                             "strenger): filen kan være laget for å bruke opp minnet; det som ble "
                             "lest før, ble skannet"},
    [TS_MSG_FAIL_XLSB] = {"XLSB (Excel binary workbook) cannot be read: open it in Excel and save "
                          "it as .xlsx (Excel workbook), then scan that",
                          "XLSB (binær Excel-arbeidsbok) kan ikke leses: åpne den i Excel og lagre "
                          "den som .xlsx (Excel-arbeidsbok), og skann den"},
    [TS_MSG_FAIL_DOC_OLD] = {"Word for Windows 1 or 2 document (older than Word 6) cannot be "
                             "read: open it in Word or LibreOffice and save it as .docx, then "
                             "scan that",
                             "Word for Windows 1- eller 2-dokument (eldre enn Word 6) kan ikke "
                             "leses: åpne det i Word eller LibreOffice, lagre det som .docx og "
                             "skann det"},
    [TS_MSG_FAIL_XLS_OLD] = {"Excel 2, 3 or 4 worksheet (older than Excel 5) cannot be read: open "
                             "it in Excel or LibreOffice and save it as .xlsx, then scan that",
                             "Excel 2-, 3- eller 4-regneark (eldre enn Excel 5) kan ikke leses: "
                             "åpne det i Excel eller LibreOffice, lagre det som .xlsx og skann "
                             "det"},
    [TS_MSG_FAIL_XLS_BIFF5] = {"Excel 5/95 workbook (BIFF 0x%04X) cannot be read: open it in Excel "
                               "or LibreOffice and save it as .xlsx, then scan that",
                               "Excel 5/95-arbeidsbok (BIFF 0x%04X) kan ikke leses: åpne den i "
                               "Excel eller LibreOffice, lagre den som .xlsx og skann den"},
    [TS_MSG_FAIL_DOC_WORD6] = {"Word 6/95 document (nFib %u) cannot be read: open it in Word or "
                               "LibreOffice and save it as .docx, then scan that",
                               "Word 6/95-dokument (nFib %u) kan ikke leses: åpne det i Word "
                               "eller LibreOffice, lagre det som .docx og skann det"},
    [TS_MSG_FAIL_DXF_BINARY] = {"binary DXF is not supported: save as ASCII DXF",
                                "binær DXF støttes ikke: lagre som ASCII-DXF"},
    [TS_MSG_FAIL_ATTACHMENT_ENCRYPTED] = {"the attachment cannot be read without the PDF's "
                                          "password (it has encryption of its own)",
                                          "vedlegget kan ikke leses uten PDF-ens passord (det "
                                          "er kryptert for seg)"},
    [TS_MSG_FAIL_PAGES_UNREAD] = {"%zu of %zu pages could not be read",
                                  "%zu av %zu sider kunne ikke leses"},
    [TS_MSG_FAIL_PAGES_RECOVERED] = {"%zu of %zu pages could not be read; the text of %zu of "
                                     "them was recovered from the file's objects and scanned",
                                     "%zu av %zu sider kunne ikke leses; teksten på %zu av dem "
                                     "ble hentet ut av filens objekter og skannet"},
    [TS_MSG_FAIL_NO_PAGES] = {"the PDF has no pages", "PDF-en har ingen sider"},
    [TS_MSG_FAIL_NO_PAGE_FOUND] = {"no page could be found or read",
                                   "ingen side kunne finnes eller leses"},
    [TS_MSG_FAIL_OPEN_RECOVERED] = {"%s; the text of %zu of its pages was recovered from the file's "
                                    "objects and scanned",
                                    "%s; teksten på %zu av sidene ble hentet ut av filens objekter "
                                    "og skannet"},
    [TS_MSG_FAIL_CHANGED] = {"changed while it was read: scan it again",
                             "ble endret mens den ble lest: skann den på nytt"},
    [TS_MSG_FAIL_ONLY_STRINGS] = {"not a document type tenderscan knows; only the readable "
                                  "strings in it were scanned",
                                  "ikke en dokumenttype tenderscan kjenner; bare de lesbare "
                                  "tegnstrengene i den ble skannet"},
    [TS_MSG_FAIL_CONTENT_DAMAGED] = {"page %zu: its content could not be decoded (damaged "
                                     "compressed data): its text was not read",
                                     "side %zu: innholdet kunne ikke dekodes (skadde "
                                     "komprimerte data): teksten ble ikke lest"},
    [TS_MSG_FAIL_CONTENT_DAMAGED_PAGES] = {"%zu pages, the first page %zu: their content could "
                                           "not be decoded (damaged compressed data): their "
                                           "text was not read",
                                           "%zu sider, den første side %zu: innholdet kunne "
                                           "ikke dekodes (skadde komprimerte data): teksten "
                                           "ble ikke lest"},
    [TS_MSG_FAIL_CONTENT_FILTER] = {"page %zu: its content uses a filter tenderscan cannot "
                                    "decode (%s): its text was not read",
                                    "side %zu: innholdet bruker et filter tenderscan ikke kan "
                                    "dekode (%s): teksten ble ikke lest"},
    [TS_MSG_FAIL_CONTENT_FILTER_PAGES] = {"%zu pages, the first page %zu: their content uses a "
                                          "filter tenderscan cannot decode (%s): their text "
                                          "was not read",
                                          "%zu sider, den første side %zu: innholdet bruker et "
                                          "filter tenderscan ikke kan dekode (%s): teksten ble "
                                          "ikke lest"},
};

static const char *const categories[TS_CAT_COUNT_][2] = {
    [TS_CAT_NETWORK] = {"network", "nettverk"},
    [TS_CAT_FIREWALL] = {"firewall and remote access", "brannmur og fjerntilgang"},
    [TS_CAT_CREDENTIAL] = {"passwords and keys", "passord og nøkler"},
    [TS_CAT_DIAGRAM] = {"network diagram", "nettverkstegning"},
    [TS_CAT_FACILITY] = {"physical security", "fysisk sikring"},
    [TS_CAT_PERSONAL] = {"personal data", "personopplysninger"},
    [TS_CAT_METADATA] = {"metadata", "metadata"},
    [TS_CAT_HIDDEN] = {"hidden content", "skjult innhold"},
    [TS_CAT_CLASSIFICATION] = {"security classification", "sikkerhetsgradering"},
};

static const char *const wheres[TS_WHERE_COUNT_][2] = {
    [TS_WHERE_BODY] = {"text", "tekst"},
    [TS_WHERE_HEADER] = {"header", "topptekst"},
    [TS_WHERE_FOOTER] = {"footer", "bunntekst"},
    [TS_WHERE_FOOTNOTE] = {"footnote", "fotnote"},
    [TS_WHERE_COMMENT] = {"comment", "kommentar"},
    [TS_WHERE_TRACKED_INSERTION] = {"inserted text (tracked change)",
                                    "innsatt tekst (sporet endring)"},
    [TS_WHERE_TRACKED_DELETION] = {"deleted text (tracked change)",
                                   "slettet tekst (sporet endring)"},
    [TS_WHERE_HIDDEN_TEXT] = {"hidden text", "skjult tekst"},
    [TS_WHERE_METADATA] = {"document properties", "dokumentegenskaper"},
    [TS_WHERE_ANNOTATION] = {"annotation", "merknad"},
    [TS_WHERE_FORM_FIELD] = {"form field", "skjemafelt"},
    [TS_WHERE_ATTACHMENT] = {"attachment", "vedlegg"},
    [TS_WHERE_NOTES] = {"speaker notes", "talenotater"},
    [TS_WHERE_HIDDEN_SHEET] = {"hidden sheet", "skjult ark"},
    [TS_WHERE_HIDDEN_SLIDE] = {"hidden slide", "skjult lysbilde"},
    [TS_WHERE_CELL] = {"cell", "celle"},
    [TS_WHERE_DRAWING] = {"drawing", "tegning"},
    [TS_WHERE_LAYER] = {"layer", "lag"},
    [TS_WHERE_INVISIBLE_TEXT] = {"invisible text", "usynlig tekst"},
    [TS_WHERE_REVISION] = {"earlier revision", "tidligere versjon"},
    [TS_WHERE_FILENAME] = {"file name", "filnavn"},
    [TS_WHERE_EXIF] = {"image metadata (EXIF)", "bildemetadata (EXIF)"},
    [TS_WHERE_OCR] = {"text in a picture (OCR)", "tekst i bilde (OCR)"},
};

static const char *const severities[][2] = {
    {"info", "info"}, {"low", "lav"}, {"medium", "middels"}, {"high", "høy"},
    {"critical", "kritisk"},
};

const char *ts_msg(ts_msg_id id, ts_lang lang)
{
    if ((unsigned)id >= TS_MSG_COUNT_ || msgs[id][0] == NULL)
        return "?";
    return msgs[id][lang == TS_LANG_NB ? 1 : 0];
}

const char *ts_msg_category(ts_category c, ts_lang lang)
{
    if ((unsigned)c >= TS_CAT_COUNT_)
        return "?";
    return categories[c][lang == TS_LANG_NB ? 1 : 0];
}

const char *ts_msg_where(ts_where w, ts_lang lang)
{
    if ((unsigned)w >= TS_WHERE_COUNT_)
        return "?";
    return wheres[w][lang == TS_LANG_NB ? 1 : 0];
}

const char *ts_msg_severity(ts_severity s, ts_lang lang)
{
    if ((unsigned)s > TS_SEV_CRITICAL)
        return "?";
    return severities[s][lang == TS_LANG_NB ? 1 : 0];
}

const char *ts_msg_grade(ts_grade g, ts_lang lang)
{
    switch (g) {
    case TS_GRADE_OK:
        return ts_msg(TS_MSG_GRADE_OK, lang);
    case TS_GRADE_REVIEW:
        return ts_msg(TS_MSG_GRADE_REVIEW, lang);
    case TS_GRADE_BLOCK:
        return ts_msg(TS_MSG_GRADE_BLOCK, lang);
    case TS_GRADE_ERROR:
        return ts_msg(TS_MSG_GRADE_ERROR, lang);
    }
    return "?";
}

const char *ts_msg_status(ts_status st, ts_lang lang)
{
    int nb = lang == TS_LANG_NB;
    switch (st) {
    case TS_OK:
        return "ok";
    case TS_ENOMEM:
        return nb ? "ikke nok minne" : "out of memory";
    case TS_EINVAL:
        return nb ? "ugyldig argument" : "invalid argument";
    case TS_EIO:
        return nb ? "kunne ikke åpnes eller leses" : "could not be opened or read";
    case TS_ERULES:
        return nb ? "feil i regelfil" : "error in rule file";
    case TS_ECORRUPT:
        return nb ? "skadet fil" : "damaged file";
    case TS_EENCRYPTED:
        return nb ? "kryptert" : "encrypted";
    case TS_ELIMIT:
        return nb ? "over en sikkerhetsgrense" : "over a safety limit";
    case TS_EUNSUPPORTED:
        return nb ? "formatet støttes ikke" : "format not supported";
    case TS_EEMPTY:
        return nb ? "tom fil" : "empty file";
    case TS_ENOTFOUND:
        return nb ? "finnes ikke" : "not found";
    case TS_EINTERNAL:
        return nb ? "intern feil i tenderscan" : "internal error in tenderscan";
    }
    return "?";
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OLE2 row of the extractor table: its rules; its reader is the module built from ole*.c. */
#include "extract/extract.h"

/*
 * Defined by ole.c. The program links the reader as the module tenderscan-ole.so, loaded by the
 * first OLE2 file (libgsf brings GLib, GObject and GIO); the tests and libtenderscan link it in,
 * and then this weak reference finds it.
 */
extern const struct ts_module ts_module_ole __attribute__((weak));

static const struct ts_builtin_rule ole_rules[] = {
    {"document.vsd-not-read", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Visio binary drawing content was not read: save it as .vsdx and scan that",
     "Innholdet i Visio-tegningen (binær .vsd) ble ikke lest: lagre den som .vsdx og skann den",
     "tenderscan cannot read the old Visio format: open the drawing in Visio, save it as .vsdx "
     "and scan that file (or export it to PDF).",
     "tenderscan kan ikke lese det gamle Visio-formatet: åpne tegningen i Visio, lagre den som "
     ".vsdx og skann den filen (eller eksporter den til PDF)."},
    {"document.ole-not-read", TS_CAT_HIDDEN, TS_SEV_MEDIUM,
     "Embedded object or OLE file whose content was not read",
     "Innebygd objekt eller OLE-fil der innholdet ikke ble lest",
     "Open the object in the program that made it and check it by hand, or replace it with a "
     "picture or a PDF before publishing.",
     "Åpne objektet i programmet som laget det og kontroller det manuelt, eller erstatt det med "
     "et bilde eller en PDF før publisering."},
    {NULL, TS_CAT_HIDDEN, TS_SEV_INFO, NULL, NULL, NULL, NULL},
};

const struct ts_extractor ts_extractor_ole = {
    .name = "ole",
    .types = (const ts_type[]){TS_TYPE_OLE, TS_TYPE_DOC, TS_TYPE_XLS, TS_TYPE_PPT, TS_TYPE_VSD,
                               TS_TYPE_NONE},
    .flags = TS_EXTRACT_CONTAINER,
    .rules = ole_rules,
    .module = "ole",
    .linked = &ts_module_ole,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for reporter tests: render to memory, compare with golden files, fixed documents. */
#include "ts_golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "risk/risk.h"

char *tst_render(const char *format, const ts_report_opts *opts, ts_doc *const *docs, size_t n,
                 size_t *len)
{
    ts_out *o = NULL;
    ts_report *rep = NULL;
    assert_int_equal(ts_out_new_memory(&o), TS_OK);
    assert_int_equal(ts_report_new(&rep, format, o, opts), TS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ts_report_document(rep, docs[i]), TS_OK);
    assert_int_equal(ts_report_end(rep), TS_OK);
    size_t l = 0;
    const char *m = ts_out_memory(o, &l);
    assert_non_null(m);
    char *copy = malloc(l + 1);
    assert_non_null(copy);
    memcpy(copy, m, l + 1);
    if (len)
        *len = l;
    ts_report_free(rep);
    ts_out_free(o);
    return copy;
}

void tst_check_golden(const char *name, const char *got, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden/%s", TS_SOURCE_DIR, name);
    const char *update = getenv("TS_UPDATE_GOLDEN");
    if (update != NULL && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(got, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        return;
    }
    size_t wlen = 0;
    char *want = tst_slurp(path, &wlen);
    if (want == NULL)
        fail_msg("no golden file %s (run with TS_UPDATE_GOLDEN=1)", path);
    size_t i = 0;
    while (i < len && i < wlen && got[i] == want[i])
        i++;
    if (i < len || i < wlen) {
        size_t line = 1;
        for (size_t k = 0; k < i; k++)
            line += want[k] == '\n';
        print_error("%s differs at byte %zu (line %zu)\n--- got:\n%s\n", path, i, line, got);
        free(want);
        fail();
    }
    free(want);
}

json_t *tst_parse_json(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (j == NULL)
        fail_msg("not JSON: %s (line %d column %d)\n%s", err.text, err.line, err.column, text);
    return j;
}

void tst_failing_sink(tst_sink *s)
{
    s->dir = tst_tmpdir();
    s->path = tst_write(s->dir, "read-only", "x", 1);
    s->fp = fopen(s->path, "r");
    assert_non_null(s->fp);
    setvbuf(s->fp, NULL, _IONBF, 0);
    s->o = NULL;
    assert_int_equal(ts_out_new_file(&s->o, s->fp), TS_OK);
}

void tst_failing_sink_free(tst_sink *s)
{
    ts_out_free(s->o);
    fclose(s->fp);
    tst_rmtree(s->dir);
    free(s->path);
    free(s->dir);
}

/* A rule pack of the fixture's own, so golden files change only when a reporter does. */
static const char FX_RULES[] =
    "[network.ipv4-private]\n"
    "category = network\n"
    "severity = medium\n"
    "pattern = (?<value>\\b10(?:\\.\\d{1,3}){3}\\b)\n"
    "title.en = Internal IP address\n"
    "title.nb = Intern IP-adresse\n"
    "advice.en = Remove internal addressing, or hand the document out only under a "
    "confidentiality declaration.\n"
    "advice.nb = Fjern intern adressering, eller del dokumentet kun med taushetserklæring.\n"
    "\n"
    "[credential.password]\n"
    "category = credential\n"
    "severity = high\n"
    "pattern = (?i)passord:[ \\t]*(?<value>\\S+)\n"
    "title.en = Password in the document\n"
    "title.nb = Passord i dokumentet\n"
    "advice.en = Remove the password and change it right away.\n"
    "advice.nb = Fjern passordet og bytt det straks.\n"
    "\n"
    "[firewall.acl]\n"
    "category = firewall\n"
    "severity = high\n"
    "pattern = (?<value>permit tcp any host \\S+ eq \\d+)\n"
    "title.en = Firewall rule\n"
    "title.nb = Brannmurregel\n"
    "advice.en = Remove firewall rules: describe the need, not the configuration.\n"
    "advice.nb = Fjern brannmurregler: beskriv behovet, ikke konfigurasjonen.\n"
    "\n"
    "[facility.server-room]\n"
    "category = facility\n"
    "severity = medium\n"
    "pattern = (?i)(?<value>serverrom\\w*)\n"
    "title.en = Server room location\n"
    "title.nb = Plassering av serverrom\n"
    "advice.en = Describe the room in general terms.\n"
    "advice.nb = Beskriv rommet i generelle ordelag.\n"
    "\n"
    "[hidden.comment]\n"
    "category = hidden\n"
    "severity = medium\n"
    "pattern = (?<value>\\bKOMMENTAR\\b)\n"
    "title.en = Comments in the document\n"
    "title.nb = Kommentarer i dokumentet\n"
    "advice.en = Delete all comments before publishing.\n"
    "advice.nb = Slett alle kommentarer før publisering.\n"
    "\n"
    "[metadata.author]\n"
    "category = metadata\n"
    "severity = low\n"
    "pattern = (?<value>\\bFORFATTER\\b)\n"
    "title.en = Author in the document properties\n"
    "title.nb = Forfatter i dokumentegenskapene\n"
    "advice.en = Remove personal names from the document properties.\n"
    "advice.nb = Fjern personnavn fra dokumentegenskapene.\n";

const char TST_HOSTILE_PATH[] = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>;,.txt";

static void print_rule_error(const char *file, unsigned line, const char *msg, void *payload)
{
    (void)payload;
    fprintf(stderr, "%s:%u: %s\n", file, line, msg);
}

/* Add one finding of rule `id` with its text around it; fails the test on error. */
static void add(ts_doc *doc, const char *id, ts_where where, unsigned page, const char *part,
                unsigned long line, const char *before, const char *value, const char *after,
                const char *detail)
{
    const ts_rule *rule = ts_ctx_rule_find(doc->ctx, id);
    assert_non_null(rule);
    ts_loc loc = {.where = where, .page = page, .part = part, .line = line};
    assert_int_equal(ts_doc_add_finding(doc, rule, ts_rule_severity(rule), &loc, value,
                                        strlen(value), before, before ? strlen(before) : 0, after,
                                        after ? strlen(after) : 0, detail,
                                        ts_doc_finding_count(doc)),
                     TS_OK);
}

tst_report_fx *tst_report_fx_new(void)
{
    tst_report_fx *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    assert_int_equal(ts_ctx_new(&fx->ctx), TS_OK);
    tst_set_test_key(fx->ctx);
    assert_int_equal(ts_ctx_load_rules_buffer(fx->ctx, "fixture.rules", FX_RULES, strlen(FX_RULES),
                                              print_rule_error, NULL),
                     TS_OK);
    ts_doc *d = NULL;

    /* a Word document with findings in the body, a comment, a tracked deletion and metadata */
    assert_int_equal(ts_doc_create(&d, fx->ctx, "anbud/Kravspesifikasjon æøå.docx", 0, NULL),
                     TS_OK);
    d->format = "docx";
    d->bytes = 48211;
    add(d, "network.ipv4-private", TS_WHERE_BODY, 3, NULL, 0, "Kjernesvitsj har adresse ",
        "10.20.1.1", " og admin passord: " TST_SECRET, NULL);
    add(d, "credential.password", TS_WHERE_COMMENT, 3, "word/comments.xml", 0,
        "admin passord: ", TST_SECRET, " (bytt etter oppstart)", NULL);
    add(d, "firewall.acl", TS_WHERE_TRACKED_DELETION, 4, NULL, 0,
        "Slettet regel: ", "permit tcp any host 10.20.1.5 eq 3389", NULL, NULL);
    add(d, "hidden.comment", TS_WHERE_COMMENT, 0, "word/comments.xml", 0, NULL, "olanor", NULL,
        "2 comments by olanor");
    add(d, "metadata.author", TS_WHERE_METADATA, 0, "docProps/core.xml", 0, NULL, "Ola Nordmann",
        NULL, NULL);
    assert_int_equal(ts_risk_grade(d), TS_OK);
    fx->docs[fx->ndocs++] = d;

    /* a spreadsheet with an address on a hidden sheet and a server room in a cell */
    assert_int_equal(ts_doc_create(&d, fx->ctx, "anbud/prisskjema.xlsx", 0, NULL), TS_OK);
    d->format = "xlsx";
    d->bytes = 9120;
    add(d, "network.ipv4-private", TS_WHERE_HIDDEN_SHEET, 2, "Svitsjer", 0, "Kjernesvitsj ",
        "10.20.30.40", NULL, NULL);
    add(d, "facility.server-room", TS_WHERE_CELL, 1, "Ark1", 0, "Levering til ", "Serverrommet",
        " i 2. etasje", NULL);
    assert_int_equal(ts_risk_grade(d), TS_OK);
    fx->docs[fx->ndocs++] = d;

    static const char clean[] = "Tilbudet leveres innen fristen.\n";
    assert_int_equal(ts_scan_buffer(&d, fx->ctx, "anbud/brev.txt", clean, strlen(clean)), TS_OK);
    fx->docs[fx->ndocs++] = d;

    assert_int_equal(
        ts_doc_new_failed(&d, "anbud/tegning.pdf", TS_EENCRYPTED, "needs a password to open"),
        TS_OK);
    fx->docs[fx->ndocs++] = d;

    /* a container whose child holds the findings, one of them a password in its name (issue 13:
     * every report shows that name masked, with the fingerprint's tag) */
    static const char plan[] = "Nett: 10.1.2.3 og 10.1.2.4\n";
    assert_int_equal(ts_doc_create(&d, fx->ctx, "anbud/vedlegg.zip", 0, NULL), TS_OK);
    d->format = "zip";
    d->bytes = 310;
    assert_int_equal(ts_doc_child(d, "nett/passord:" TST_NAME_SECRET " plan.txt", plan,
                                  strlen(plan)),
                     TS_OK);
    assert_int_equal(ts_risk_grade(d), TS_OK);
    fx->docs[fx->ndocs++] = d;
    return fx;
}

void tst_report_fx_free(tst_report_fx *fx)
{
    if (fx == NULL)
        return;
    for (size_t i = 0; i < fx->ndocs; i++)
        ts_doc_free(fx->docs[i]);
    ts_ctx_free(fx->ctx);
    free(fx);
}

ts_doc *tst_report_hostile(const tst_report_fx *fx)
{
    static const char text[] =
        "\"><img src=x onerror=alert(1)> server 10.0.0.1 <script>alert(2)</script>\n"
        "passord: <b>Hemmelig1!</b>\n"
        "=cmd|'/c calc'!A1 KOMMENTAR; \"sitat\", \xE2\x80\xAEtxt.exe\n";
    ts_doc *d = NULL;
    assert_int_equal(ts_scan_buffer(&d, fx->ctx, TST_HOSTILE_PATH, text, strlen(text)), TS_OK);
    return d;
}

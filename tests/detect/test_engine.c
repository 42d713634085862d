/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rule engine: values, keywords, context, not_before/not_after, overlaps, lines, limits. */
#include "support/ts_test.h"

#include <stdlib.h>
#include <string.h>

static ts_ctx *ctx_with(const char *rules)
{
    ts_ctx *ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_equal(ts_ctx_load_rules_buffer(ctx, "t.rules", rules, strlen(rules), NULL, NULL),
                     TS_OK);
    return ctx;
}

/* Scan `text` with ctx and check the values rule `id` finds ("a|b", "" for none). */
static void expect_in(ts_ctx *ctx, const char *text, const char *id, const char *values)
{
    ts_doc *doc = tst_scan_text(ctx, text);
    tst_expect_values(doc, id, values);
    ts_doc_free(doc);
}

/* Load `rules` alone, scan `text` and check the rule's values (expect_in), for one text. */
static void expect_with(const char *rules, const char *text, const char *id, const char *values)
{
    ts_ctx *ctx = ctx_with(rules);
    expect_in(ctx, text, id, values);
    ts_ctx_free(ctx);
}

/* Loading these rules must fail (a key used without the keys it needs). */
static void assert_load_fails(const char *rules)
{
    ts_ctx *ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_not_equal(ts_ctx_load_rules_buffer(ctx, "t.rules", rules, strlen(rules), NULL, NULL),
                         TS_OK);
    ts_ctx_free(ctx);
}

static const char pw_rule[] = "[cred.pw]\ncategory = credential\nseverity = high\n"
                              "keywords = passord, password\n"
                              "pattern = (?i)(?:passord|password)\\s*[:=]\\s*(?<value>\\S+)\n"
                              "title.en = Password\ntitle.nb = Passord\n";

static void test_value_group_is_the_reported_value(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(pw_rule);
    ts_doc *doc = tst_scan_text(ctx, "Ruter\npassord: Sommer2024!\n");
    const ts_finding *f = tst_find(doc, "cred.pw");
    assert_non_null(f);
    assert_string_equal(ts_finding_value(f), "Sommer2024!");
    assert_int_equal(ts_finding_line(f), 2);
    assert_string_equal(ts_finding_context_before(f), "passord: ");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_keyword_matches_in_any_case_including_norwegian_letters(void **state)
{
    (void)state;
    const char *rules = "[f.room]\ncategory = facility\nseverity = medium\nkeywords = nøkkelboks\n"
                        "pattern = (?i)nøkkelboks\\s+(?<value>\\w+)\ntitle.en = Key box\n";
    ts_ctx *ctx = ctx_with(rules);
    ts_doc *doc = tst_scan_text(ctx, "Her står NØKKELBOKS B12 ved døra\n");
    assert_non_null(tst_find(doc, "f.room"));
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_keyword_rule_is_skipped_on_lines_without_keyword(void **state)
{
    (void)state;
    /* the pattern alone would match "kode: 1234", but the keyword is not on that line */
    const char *rules = "[c.x]\ncategory = credential\nseverity = high\nkeywords = alarmkode\n"
                        "pattern = (?:alarmkode|kode):\\s*(?<value>\\d+)\ntitle.en = Code\n";
    ts_ctx *ctx = ctx_with(rules);
    ts_doc *doc = tst_scan_text(ctx, "a\nb\nc\nkode: 1234\n");
    assert_null(tst_find(doc, "c.x"));
    ts_doc_free(doc);
    doc = tst_scan_text(ctx, "alarmkode: 4321\n");
    assert_non_null(tst_find(doc, "c.x"));
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_label_and_value_on_consecutive_lines_are_found(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(pw_rule);
    ts_doc *doc = tst_scan_text(ctx, "Passord:\nVinter2024!\n");
    const ts_finding *f = tst_find(doc, "cred.pw");
    assert_non_null(f);
    assert_string_equal(ts_finding_value(f), "Vinter2024!");
    assert_int_equal(ts_finding_line(f), 2);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_keyword_on_consecutive_lines_still_finds_the_value(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(pw_rule);
    ts_doc *doc = tst_scan_text(ctx, "Passordpolicy gjelder alle\nPassord:\nVinter2024!\n");
    const ts_finding *f = tst_find(doc, "cred.pw");
    assert_non_null(f);
    assert_string_equal(ts_finding_value(f), "Vinter2024!");
    assert_int_equal(tst_count(doc, "cred.pw"), 1);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static const char ip_rule[] =
    "[n.ip]\ncategory = network\nseverity = medium\n"
    "pattern = (?<value>\\b10(?:\\.\\d{1,3}){3}\\b)\nvalidate = ipv4\n"
    "not_before = (?i)(?:punkt|kap\\.?|versjon)\\s*\n"
    "context = ip, adresse, server\nseverity.nocontext = low\ntitle.en = IP\n";

static void test_not_before_rejects_section_numbers(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(ip_rule);
    ts_doc *doc = tst_scan_text(ctx, "se punkt 10.2.3.4 i kravspesifikasjonen\n");
    assert_null(tst_find(doc, "n.ip"));
    ts_doc_free(doc);
    doc = tst_scan_text(ctx, "server har adresse 10.2.3.4\n");
    const ts_finding *f = tst_find(doc, "n.ip");
    assert_non_null(f);
    assert_int_equal(ts_finding_severity(f), TS_SEV_MEDIUM);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_missing_context_lowers_severity(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(ip_rule);
    ts_doc *doc = tst_scan_text(ctx, "tallene 10.2.3.4 står her\n");
    const ts_finding *f = tst_find(doc, "n.ip");
    assert_non_null(f);
    assert_int_equal(ts_finding_severity(f), TS_SEV_LOW);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* context.required.for: only values of that shape need a context word; the others are kept. */
static void test_context_is_required_only_for_the_ambiguous_shape(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with("[n.ip]\ncategory = network\nseverity = medium\n"
                           "pattern = (?<value>10(?:\\.\\d{1,3}){3})\ncontext = ip, skriver\n"
                           "context.window = 20\ncontext.required.for = 10(?:\\.[1-9]){3}\n"
                           "title.en = I\ntitle.nb = I\n");
    expect_in(ctx,
              "Endret 10.3.2.1 og 10.20.30.1 i revisjon D.\n"
              "Skriveren har 10.1.1.5.\n",
              "n.ip", "10.20.30.1|10.1.1.5");
    ts_ctx_free(ctx);
    /* it needs context words to require */
    const char bad[] = "[n.x]\ncategory = network\nseverity = medium\npattern = (?<value>x)\n"
                       "context.required.for = x\ntitle.en = X\ntitle.nb = X\n";
    ctx = NULL;
    assert_int_equal(ts_ctx_new(&ctx), TS_OK);
    assert_int_not_equal(ts_ctx_load_rules_buffer(ctx, "t.rules", bad, strlen(bad), NULL, NULL),
                         TS_OK);
    ts_ctx_free(ctx);
}

static void test_validator_rejects_value_inside_longer_dotted_chain(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(ip_rule);
    ts_doc *doc = tst_scan_text(ctx, "ip 10.2.3.4.5 og ip 10.2.3.256\n");
    assert_null(tst_find(doc, "n.ip"));
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_overlapping_findings_of_one_category_keep_the_most_severe(void **state)
{
    (void)state;
    char rules[2048];
    snprintf(rules, sizeof rules,
             "%s[n.net]\ncategory = network\nseverity = high\n"
             "pattern = (?<value>\\b10(?:\\.\\d{1,3}){3}/\\d{1,2})\ntitle.en = Net\n",
             ip_rule);
    ts_ctx *ctx = ctx_with(rules);
    ts_doc *doc = tst_scan_text(ctx, "ip-nett 10.20.0.0/16\n");
    assert_int_equal(ts_doc_finding_count(doc), 1);
    assert_string_equal(ts_finding_rule_id(ts_doc_finding_at(doc, 0)), "n.net");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* overlap = yield: a catch-all rule's value gives way to any other rule's overlapping value of
 * the category, however severe or long it is; alone it is kept. */
static void test_a_yielding_rule_gives_way_on_overlap(void **state)
{
    (void)state;
    char rules[2048];
    snprintf(rules, sizeof rules,
             "%s[n.line]\ncategory = network\nseverity = critical\noverlap = yield\n"
             "pattern = (?<value>ip-nett[^\\n]*)\ntitle.en = Line\n",
             ip_rule);
    ts_ctx *ctx = ctx_with(rules);
    ts_doc *doc = tst_scan_text(ctx, "ip-nett 10.20.0.1 her\nip-nett uten adresse\n");
    tst_expect_values(doc, "n.ip", "10.20.0.1");
    tst_expect_values(doc, "n.line", "ip-nett uten adresse");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
    assert_load_fails("[n.x]\ncategory = network\nseverity = low\noverlap = maybe\n"
                      "pattern = x\ntitle.en = X\n");
}

static void test_findings_come_in_document_order_with_lines(void **state)
{
    (void)state;
    char rules[2048];
    snprintf(rules, sizeof rules, "%s%s", ip_rule, pw_rule);
    ts_ctx *ctx = ctx_with(rules);
    ts_doc *doc = tst_scan_text(ctx, "passord: a1b2c3d4\nx\nserver 10.0.0.1\npassword=zz9\n");
    assert_int_equal(ts_doc_finding_count(doc), 3);
    assert_string_equal(ts_finding_value(ts_doc_finding_at(doc, 0)), "a1b2c3d4");
    assert_string_equal(ts_finding_value(ts_doc_finding_at(doc, 1)), "10.0.0.1");
    assert_string_equal(ts_finding_value(ts_doc_finding_at(doc, 2)), "zz9");
    assert_int_equal(ts_finding_line(ts_doc_finding_at(doc, 1)), 3);
    assert_int_equal(ts_finding_line(ts_doc_finding_at(doc, 2)), 4);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_fingerprint_is_keyed_hmac_of_category_and_value_and_ignore_drops_it(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(pw_rule);
    tst_set_test_key(ctx);
    ts_doc *doc = tst_scan_text(ctx, "passord: abc\n");
    const ts_finding *f = tst_find(doc, "cred.pw");
    char want[65], plain[65];
    tst_hmac_hex(TST_FP_KEY, "credential", "abc", want);
    tst_sha256_hex("abc", plain);
    assert_string_equal(ts_finding_fingerprint(f), want);
    /* not the plain SHA-256 of report/1, which anyone can test a guess against */
    assert_string_not_equal(ts_finding_fingerprint(f), plain);
    assert_string_equal(ts_doc_fingerprint_key_id(doc), ts_ctx_fingerprint_key_id(ctx));
    ts_doc_free(doc);
    for (char *p = want; *p; p++) /* an ignore file may hold upper case */
        *p = (char)(*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
    assert_int_equal(ts_ctx_add_ignore(ctx, want), TS_OK);
    doc = tst_scan_text(ctx, "passord: abc\n");
    assert_int_equal(ts_doc_finding_count(doc), 0);
    assert_int_equal(ts_doc_ignored_count(doc), 1);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_OK);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* The first fingerprint of cred.pw for "passord: abc" in a new context with `key` (NULL: none set).
 */
static void fingerprint_with(const char *key, char out[65], char key_id[17])
{
    ts_ctx *ctx = ctx_with(pw_rule);
    if (key != NULL)
        assert_int_equal(ts_ctx_set_fingerprint_key(ctx, key, strlen(key)), TS_OK);
    ts_doc *doc = tst_scan_text(ctx, "passord: abc\n");
    const ts_finding *f = tst_find(doc, "cred.pw");
    assert_non_null(f);
    snprintf(out, 65, "%s", ts_finding_fingerprint(f));
    snprintf(key_id, 17, "%s", ts_ctx_fingerprint_key_id(ctx));
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_fingerprint_is_stable_for_a_key_and_differs_for_another(void **state)
{
    (void)state;
    char a1[65], a2[65], b[65], r1[65], r2[65];
    char ida1[17], ida2[17], idb[17], idr1[17], idr2[17];
    fingerprint_with("organisation key number one", a1, ida1);
    fingerprint_with("organisation key number one", a2, ida2);
    fingerprint_with("organisation key number two", b, idb);
    assert_string_equal(a1, a2);
    assert_string_equal(ida1, ida2);
    assert_string_not_equal(a1, b);
    assert_string_not_equal(ida1, idb);
    /* with no key set, each context has a random one of its own: nothing to compare against */
    fingerprint_with(NULL, r1, idr1);
    fingerprint_with(NULL, r2, idr2);
    assert_string_not_equal(r1, r2);
    assert_string_not_equal(idr1, idr2);
    assert_int_equal(strlen(idr1), 16);
}

static void test_fingerprint_key_shorter_than_16_bytes_is_refused(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(pw_rule);
    char id[17];
    snprintf(id, sizeof id, "%s", ts_ctx_fingerprint_key_id(ctx));
    assert_int_equal(ts_ctx_set_fingerprint_key(ctx, "fifteen bytes..", 15), TS_EINVAL);
    assert_int_equal(ts_ctx_set_fingerprint_key(ctx, NULL, 32), TS_EINVAL);
    assert_string_equal(ts_ctx_fingerprint_key_id(ctx), id); /* the key in force is kept */
    assert_int_equal(ts_ctx_set_fingerprint_key(ctx, "sixteen bytes...", 16), TS_OK);
    assert_string_not_equal(ts_ctx_fingerprint_key_id(ctx), id);
    ts_ctx_free(ctx);
}

static void test_credentials_are_masked_by_default(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(pw_rule);
    ts_doc *doc = tst_scan_text(ctx, "passord: Vinter2024!\n");
    const ts_finding *f = tst_find(doc, "cred.pw");
    char buf[64];
    assert_int_equal(ts_finding_match(f, 0, buf, sizeof buf), strlen("Vinter2024!"));
    assert_string_equal(buf, "Vi*******4!");
    ts_finding_match(f, 1, buf, sizeof buf);
    assert_string_equal(buf, "Vinter2024!");
    ts_mask("1234", buf, sizeof buf);
    assert_string_equal(buf, "****");
    ts_mask("æøåæøå", buf, sizeof buf);
    assert_string_equal(buf, "æ****å");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

static void test_max_findings_bounds_a_flood(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(ip_rule);
    ts_limits l = {.max_findings = 10};
    ts_ctx_set_limits(ctx, &l);
    size_t n = 1000, len = n * 16 + 1;
    char *text = calloc(1, len);
    for (size_t i = 0; i < n; i++)
        snprintf(text + strlen(text), len - strlen(text), "ip 10.0.%zu.%zu\n", i / 250, i % 250);
    ts_doc *doc = tst_scan_text(ctx, text);
    assert_int_equal(ts_doc_finding_count(doc), 10);
    assert_int_equal(ts_doc_grade(doc), TS_GRADE_BLOCK); /* an address plan */
    int truncated = 0;
    for (size_t i = 0; i < ts_doc_reason_count(doc); i++)
        truncated |= strstr(ts_doc_reason_at(doc, i, TS_LANG_EN), "not listed") != NULL;
    assert_true(truncated);
    ts_doc_free(doc);
    free(text);
    ts_ctx_free(ctx);
}

static void test_catastrophic_pattern_gives_up_instead_of_hanging(void **state)
{
    (void)state;
    const char *rules = "[x.slow]\ncategory = network\nseverity = low\n"
                        "pattern = (a+)+b\ntitle.en = slow\n";
    ts_ctx *ctx = ctx_with(rules);
    char text[20001];
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    ts_doc *doc = tst_scan_text(ctx, text);
    assert_int_equal(ts_doc_finding_count(doc), 0);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* value.span = sentence: a key named in a sentence that says where it is; the value is the whole
 * sentence, over a wrapped line (one that starts with a small letter, or follows a line ending
 * in "i", "med", "the"), past "kl. 22.00", "rom 1.045", "1. etasje" and "f.eks.", and stops at the
 * full stop; a sentence without a place, or with a requirement, is no finding. */
static const char key_rule[] = "[f.key]\ncategory = facility\nseverity = medium\nflags = caseless\n"
                               "keywords = <nøkkel\n"
                               "pattern = (?<value>nøkkel\\w*)\n"
                               "value.span = sentence\n"
                               "sentence.require = \\b(?:safen|skapet)\\b\n"
                               "sentence.not = \\bskal\\b\n"
                               "title.en = Key\ntitle.nb = Nøkkel\n";

/* A "key: value" pair in a table's cell ends with the cell: the header rule's value is the cell's
 * rest, not the next cells of the row (a tab, or a semicolon of a semicolon table). */
static void test_pair_in_a_cell_ends_with_the_cell(void **state)
{
    (void)state;
    ts_ctx *ctx = tst_ctx_rules(TST_HEADER_RULES);
    expect_in(ctx, "Passord: Fjord2024\tBruker: kari\n", "credential.test-header-pw", "Fjord2024");
    expect_in(ctx, "Passord: Fjord2024;Bruker: kari;Rolle: drift\n", "credential.test-header-pw",
              "Fjord2024");
    /* one semicolon is no table: it may stand in the value; nor are clauses joined by "; " */
    expect_in(ctx, "Passord: Fjord;2024\n", "credential.test-header-pw", "Fjord;2024");
    expect_in(ctx, "Passord: Fjord2024; Bruker: kari; Rolle: drift\n", "credential.test-header-pw",
              "");
    ts_ctx_free(ctx);
}

static void test_sentence_span_widens_the_value_and_checks_the_sentence(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(key_rule);
    ts_doc *doc = tst_scan_text(ctx, "Møtet startet kl. 09.00. Etter kl. 22.00 ligger nøkkelen\n"
                                     "i safen i rom 1.045 i 1. etasje. Neste punkt.\n");
    const ts_finding *f = tst_find(doc, "f.key");
    assert_non_null(f);
    assert_string_equal(ts_finding_value(f),
                        "Etter kl. 22.00 ligger nøkkelen\ni safen i rom 1.045 i 1. etasje");
    assert_int_equal(tst_count(doc, "f.key"), 1);
    ts_doc_free(doc);
    /* "systemnr." before its number does not end the sentence */
    expect_in(ctx, "Nøkkelen ligger i safen, systemnr. 44-7719. Neste punkt.\n", "f.key",
              "Nøkkelen ligger i safen, systemnr. 44-7719");
    doc = tst_scan_text(ctx, "Nøkkelen skal ligge i safen.\nNøkkelen er ny.\n");
    assert_null(tst_find(doc, "f.key"));
    ts_doc_free(doc);
    /* "f.eks.", "bl.a.", "e.g." before a capital do not end it: the requirement stays one sentence
     */
    doc = tst_scan_text(ctx, "Leverandøren skal levere skap, f.eks. Nøkkelskap K2 med safen.\n"
                             "Det skal vere skap, bl.a. Nøkkelskap K2 med safen.\n");
    assert_null(tst_find(doc, "f.key"));
    ts_doc_free(doc);
    expect_in(ctx, "Rådhuset har skap, e.g. Nøkkelskap K2 med safen. Neste punkt.\n", "f.key",
              "Rådhuset har skap, e.g. Nøkkelskap K2 med safen");
    /* a line that starts with a digit or a capital, or a table row, starts anew */
    doc = tst_scan_text(ctx, "Oversikt\n1 Nøkkelen ligger i skapet\n");
    f = tst_find(doc, "f.key");
    assert_non_null(f);
    assert_string_equal(ts_finding_value(f), "1 Nøkkelen ligger i skapet");
    ts_doc_free(doc);
    /* … unless the line before ends in a word no sentence ends with (PDF text wraps anywhere) */
    doc = tst_scan_text(ctx, "Nøkkelen til døra ligger i\nSafen til rektor.\n"
                             "Nøkkelen henger på\n2. etasje i skapet.\n");
    tst_expect_values(doc, "f.key",
                      "Nøkkelen til døra ligger i\nSafen til rektor|"
                      "Nøkkelen henger på\n2. etasje i skapet");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* sentence.not sees the question mark that ends a sentence: a question asks for the detail
 * ("Kan oppdragsgiver opplyse hvor nøkkelen ligger?"), the answer after it gives it. */
static void test_sentence_not_sees_a_question_mark(void **state)
{
    (void)state;
    expect_with("[f.q]\ncategory = facility\nseverity = medium\nflags = caseless\n"
                "keywords = <nøkkel\npattern = (?<value>nøkkel\\w*)\n"
                "value.span = sentence\nsentence.require = \\b(?:safen|skapet)\\b\n"
                "sentence.not = \\?$\ntitle.en = Key\ntitle.nb = Nøkkel\n",
                "Ligg nøkkelen i safen? Ja, nøkkelen ligg i skapet.\n", "f.q",
                "Ja, nøkkelen ligg i skapet");
}

/* A sentence is followed at most 400 bytes each way; where that reach runs out inside lower-case
 * lines that go on (configuration text), the value starts at a line's start, not inside a word. */
static void test_sentence_span_cut_by_its_reach_starts_at_a_line(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(key_rule);
    char text[2048] = "";
    for (int i = 0; i < 20; i++)
        strcat(text, "set rulebase security rules allow-any from x\n"); /* 45 bytes a line */
    strcat(text, "og nøkkelen ligger i safen.\n");
    ts_doc *doc = tst_scan_text(ctx, text);
    const ts_finding *f = tst_find(doc, "f.key");
    assert_non_null(f);
    assert_true(strncmp(ts_finding_value(f), "set rulebase", 12) == 0);
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* A semicolon before a small letter joins two clauses of one sentence: the value is the whole
 * sentence when it passes and its first clause passes on its own; a clause that does not pass
 * alone is joined only to a clause that goes on about it (a pronoun, a negation, a
 * conjunction), so a place in an unrelated clause does not make it a finding. When the joined
 * sentence is vetoed, the clause that passes is the value. */
static void test_sentence_span_joins_clauses_after_a_semicolon(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(key_rule);
    ts_doc *doc = tst_scan_text(ctx, "Nøkkelen ligger i safen; koden har driftssjefen.\n");
    tst_expect_values(doc, "f.key", "Nøkkelen ligger i safen; koden har driftssjefen");
    ts_doc_free(doc);
    doc = tst_scan_text(ctx, "Nøkkelen er merket; den ligger i skapet.\n");
    tst_expect_values(doc, "f.key", "Nøkkelen er merket; den ligger i skapet");
    ts_doc_free(doc);
    doc = tst_scan_text(ctx, "Nøkkelen er merket; vaktmesteren har skapet.\n");
    assert_null(tst_find(doc, "f.key"));
    ts_doc_free(doc);
    doc = tst_scan_text(ctx, "Nøkkelen ligger i safen; ny safe skal kjøpes.\n");
    tst_expect_values(doc, "f.key", "Nøkkelen ligger i safen");
    ts_doc_free(doc);
    doc = tst_scan_text(ctx, "Nøkkelen ligger i safen; Neste punkt.\n");
    tst_expect_values(doc, "f.key", "Nøkkelen ligger i safen");
    ts_doc_free(doc);
    ts_ctx_free(ctx);
}

/* A table row's last cell is often what is to be done about the rest: a requirement word there
 * does not veto the cells before it, whose row without that cell is the value. A price in the
 * last cell, or a requirement in the match's own cell, still vetoes the row. */
static void test_sentence_veto_in_a_rows_last_cell_spares_the_cells_before(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with("[f.room]\ncategory = facility\nseverity = medium\nflags = caseless\n"
                           "keywords = serverrom\npattern = (?<value>serverrom\\w*)\n"
                           "value.span = sentence\nsentence.require = \\b(?:i|ingen)\\b\n"
                           "sentence.not = \\b(?:skal|kr)\\b\ntitle.en = R\ntitle.nb = R\n");
    expect_in(ctx,
              "4.4\tBrann\tIngen sløkkjeanlegg i serverrommet\t"
              "Inergen-anlegg skal vurderast\n"
              "1.3\tSkap i serverrommet\tstk\tkr 6500\n"
              "K-1\tSkap i serverrommet skal ha lås\tAnlegget skal vurderast\n"
              "Ingen skap i serverrommet, dette skal vurderast.\n",
              "f.room", "4.4\tBrann\tIngen sløkkjeanlegg i serverrommet");
    ts_ctx_free(ctx);
}

/* window = word: the pattern is tried anchored at the keyword's word (and after its last hyphen)
 * and the three words before it; a match that begins further back, or only on the next line, is
 * not seen. */
static const char word_rule[] =
    "[f.word]\ncategory = facility\nseverity = medium\n"
    "flags = caseless\nkeywords = control\nwindow = word\n"
    "pattern = (?<value>(?:z[ \\t]+)?b[ \\t]+c[ \\t]+access[ \\t]+control"
    "|control[ \\t]+room|old[ \\t]+control)\n"
    "title.en = W\ntitle.nb = W\n";

static void test_window_word_tries_the_keyword_and_three_words_before(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(word_rule);
    /* "b c access control": the match begins three words before the keyword's word */
    expect_in(ctx, "We use b c access control here.\n", "f.word", "b c access control");
    /* four words back is too far: the "z" is not part of it */
    expect_in(ctx, "We use z b c access control here.\n", "f.word", "b c access control");
    /* every keyword's word is tried ("control room" on the next line from its own keyword), and
     * a match must begin at a word start there */
    expect_in(ctx, "old control\nthe control room\nxold control\n", "f.word",
              "old control|control room");
    /* in a hyphenated word the part after the last hyphen is a word start too */
    expect_in(ctx, "see the 110-control room\n", "f.word", "control room");
    ts_ctx_free(ctx);
    /* window = word needs keywords and no header words */
    assert_load_fails("[f.x]\ncategory = facility\nseverity = medium\npattern = (?<value>x)\n"
                      "window = word\ntitle.en = X\ntitle.nb = X\n");
}

/* window = word: a match may run on over the next line when that line goes on with the sentence
 * (text wrapped by a PDF or a Word file), not into a line that starts anew. */
static void test_window_word_runs_on_over_a_wrapped_line(void **state)
{
    (void)state;
    expect_with("[f.code]\ncategory = facility\nseverity = medium\nflags = caseless\n"
                "keywords = koden\nwindow = word\n"
                "pattern = (?<value>koden\\s+til\\s+\\w+\\s+er\\s+\\d+)\n"
                "title.en = C\ntitle.nb = C\n",
                "Koden til porten\ner 2580.\nKoden til boksen\nEr 1357.\n", "f.code",
                "Koden til porten\ner 2580");
}

/* shape = dotted-quad: the rule runs on the line of each dotted quad and the next line, like a
 * keyword rule; a line without one is not searched at all. */
static void test_shape_rule_runs_only_near_its_number_shape(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with("[n.gw]\ncategory = network\nseverity = medium\nshape = dotted-quad\n"
                           "pattern = (?<value>gw[0-9]+)\ntitle.en = G\ntitle.nb = G\n");
    expect_in(ctx, "gw1 alone\nnet 10.0.0.1 gw2\nthen gw3\nfar away gw4\n", "n.gw", "gw2|gw3");
    ts_ctx_free(ctx);
    /* an unknown shape, and a shape beside keywords, are errors on load */
    const char *bad[] = {
        "[n.x]\ncategory = network\nseverity = medium\nshape = dotted-triple\n"
        "pattern = (?<value>x)\ntitle.en = X\ntitle.nb = X\n",
        "[n.x]\ncategory = network\nseverity = medium\nshape = long-number\nkeywords = fnr\n"
        "pattern = (?<value>x)\ntitle.en = X\ntitle.nb = X\n"};
    for (size_t i = 0; i < 2; i++)
        assert_load_fails(bad[i]);
}

/* sentence.follow: the sentences after a finding that go on about its element ("Den …") and pass
 * sentence.require and sentence.not are findings too; one that does not start so, a requirement,
 * or one after a blank line is not. */
static const char follow_rule[] =
    "[f.key]\ncategory = facility\nseverity = medium\nflags = caseless\n"
    "keywords = <nøkkel\n"
    "pattern = (?<value>nøkkel\\w*)\n"
    "value.span = sentence\n"
    "sentence.require = \\b(?:safen|skapet)\\b\n"
    "sentence.not = \\bskal\\b\n"
    "sentence.follow = 2\n"
    "sentence.follow.require = ^(?:den|det)\\b\n"
    "title.en = Key\ntitle.nb = Nøkkel\n";

static void test_sentence_follow_takes_the_sentences_that_go_on(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(follow_rule);
    expect_in(ctx,
              "Nøkkelen ligger i safen. Den står i skapet. Det skal ligge i "
              "skapet. Vi møtes i skapet.\n\nDen er i safen.\n",
              "f.key", "Nøkkelen ligger i safen|Den står i skapet");
    ts_ctx_free(ctx);
    /* sentence.follow without sentence.require is an error on load */
    assert_load_fails("[f.x]\ncategory = facility\nseverity = medium\npattern = (?<value>x)\n"
                      "value.span = sentence\nsentence.follow = 1\ntitle.en = X\ntitle.nb = X\n");
}

static void test_sentence_keys_need_value_span_sentence(void **state)
{
    (void)state;
    assert_load_fails("[f.x]\ncategory = facility\nseverity = medium\npattern = (?<value>x)\n"
                      "sentence.not = y\ntitle.en = X\ntitle.nb = X\n");
}

/* A header word written "^switch" labels a column of switch names, not the cells of a row whose
 * first cell says "Kjernesvitsj" (a community there is no host name). */
static const char host_rule[] = "[n.host]\ncategory = network\nseverity = medium\n"
                                "header = ^*svitsj, ^switch\nheader.required = yes\n"
                                "pattern = ^(?<value>[a-z][\\w-]*\\d[\\w-]*)$\n"
                                "title.en = Host\ntitle.nb = Vert\n";

static void test_column_only_header_word_ignores_row_labels(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(host_rule);
    expect_in(ctx, "Svitsj\tCommunity\nsw-kjerne01\tro-2019\n", "n.host", "sw-kjerne01");
    expect_in(ctx, "Enhet\tCommunity\tTilgang\nKjernesvitsj\tro-2019\tles\n", "n.host", "");
    ts_ctx_free(ctx);
}

/* row.require: a location column is a finding only on rows about a device ("sw-01", an
 * address); the same column in a list of classrooms is not. A row.require without
 * header.required is an error on load. */
static const char place_rule[] = "[f.place]\ncategory = facility\nseverity = medium\n"
                                 "header = ^plassering\nheader.required = yes\n"
                                 "row.require = \\bsw-\\d+\\b\n"
                                 "pattern = ^(?<value>.+)$\n"
                                 "title.en = Place\ntitle.nb = Plass\n";

static void test_row_require_looks_at_the_values_row(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(place_rule);
    expect_in(ctx,
              "Navn\tPlassering\nsw-01\tKjeller, rom 004\n"
              "Klasse 5A\tRom 2.104\n",
              "f.place", "Kjeller, rom 004");
    ts_ctx_free(ctx);
    assert_load_fails("[f.x]\ncategory = facility\nseverity = medium\npattern = (?<value>x)\n"
                      "row.require = y\ntitle.en = X\ntitle.nb = X\n");
}

/* header.not: no finding in a table cell whose column header holds one of the words; the same
 * value in another column is one. */
static void test_header_not_leaves_a_column_alone(void **state)
{
    (void)state;
    expect_with("[n.ip]\ncategory = network\nseverity = medium\n"
                "header.not = *versjon\n"
                "pattern = (?<value>\\b\\d+\\.\\d+\\.\\d+\\.\\d+\\b)\n"
                "title.en = IP\ntitle.nb = IP\n",
                "Navn\tProgramversjon\tAdresse\nsrv\t10.2.3.4\t10.2.3.5\n", "n.ip", "10.2.3.5");
}

static const char code_rule[] = "[c.code]\ncategory = credential\nseverity = high\n"
                                "header = *kode, code, *passord\nheader.required = yes\n"
                                "pattern = ^(?<value>\\S+(?: \\d)*)\nvalidate = secret\n"
                                "title.en = Code\ntitle.nb = Kode\n";

static void test_label_verb_takes_set_to_a_spaced_code_and_a_quoted_word(void **state)
{
    (void)state;
    ts_ctx *ctx = ctx_with(code_rule);
    /* "er sett til X": the value is X; a code read out digit by digit is one value */
    expect_in(ctx,
              "Passordet er sett til Fj0rd#22 p\xc3\xa5 alle.\n"
              "Tilgangskoden er 8 3 6 1.\nKoden er 4-7-1-9\n"
              "Kode (gjeld til 31.12): 8841\n"
              "Vaktpassordet vart tilbakestilt til Vinter#26 i dag.\n"
              "The engineer code was changed from 1234 to 9731 today.\n"
              "Passordet vart endra fr\xc3\xa5 Sommar23 til Haust#24 i g\xc3\xa5r.\n"
              "Den delte koden mellom brannmuren og RADIUS-tenaren er for tida R4d#7 i bruk.\n",
              "c.code", "Fj0rd#22|8 3 6 1|4-7-1-9|8841|Vinter#26|9731|Haust#24|R4d#7");
    /* a description is no value, and neither is a plain number or a spaced-out amount */
    expect_in(ctx,
              "Passordet er sett til \xc3\xa5 utl\xc3\xb8pe.\nKoden er 4 siffer.\n"
              "Koden er 1 000 000.\nKoden er 12-05-2024.\nKoden er 4-7 1-9.\n",
              "c.code", "");
    /* a word in quotes right after the label word is set apart as its value */
    expect_in(ctx,
              "Oppgi passordet \xc2\xab"
              "Bl\xc3\xa5"
              "b\xc3\xa6"
              "rlyng\xc2\xbb til vakta.\n"
              "Oppgi passordet til vakta.\n",
              "c.code",
              "\xc2\xab"
              "Bl\xc3\xa5"
              "b\xc3\xa6"
              "rlyng\xc2\xbb");
    /* a short note in brackets between the label and its value; a vendor's default word */
    expect_in(ctx,
              "UPS-en har passord (standard) Fj0rd#9 enno.\n"
              "Nettkortet har brukarnamn apc og passord apc enno.\n"
              "Bruk passord (sj\xc3\xa5 vedlegg) ved innlogging.\n",
              "c.code", "Fj0rd#9|apc");
    /* a label word followed by a marked word is a pair, but a sentence's punctuation after a
     * plain word does not mark it ("… med passord Tilgangsstyring; merkast …") */
    expect_in(ctx,
              "Dette gjeld kode Tilgangsstyring; merkast med heimel.\n"
              "Bruk passord Fjord2024! ved fyrste innlogging.\n",
              "c.code", "Fjord2024!");
    ts_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_group_is_the_reported_value),
        cmocka_unit_test(test_keyword_matches_in_any_case_including_norwegian_letters),
        cmocka_unit_test(test_keyword_rule_is_skipped_on_lines_without_keyword),
        cmocka_unit_test(test_label_and_value_on_consecutive_lines_are_found),
        cmocka_unit_test(test_keyword_on_consecutive_lines_still_finds_the_value),
        cmocka_unit_test(test_not_before_rejects_section_numbers),
        cmocka_unit_test(test_missing_context_lowers_severity),
        cmocka_unit_test(test_context_is_required_only_for_the_ambiguous_shape),
        cmocka_unit_test(test_validator_rejects_value_inside_longer_dotted_chain),
        cmocka_unit_test(test_overlapping_findings_of_one_category_keep_the_most_severe),
        cmocka_unit_test(test_a_yielding_rule_gives_way_on_overlap),
        cmocka_unit_test(test_findings_come_in_document_order_with_lines),
        cmocka_unit_test(test_fingerprint_is_keyed_hmac_of_category_and_value_and_ignore_drops_it),
        cmocka_unit_test(test_fingerprint_is_stable_for_a_key_and_differs_for_another),
        cmocka_unit_test(test_fingerprint_key_shorter_than_16_bytes_is_refused),
        cmocka_unit_test(test_credentials_are_masked_by_default),
        cmocka_unit_test(test_max_findings_bounds_a_flood),
        cmocka_unit_test(test_catastrophic_pattern_gives_up_instead_of_hanging),
        cmocka_unit_test(test_sentence_span_widens_the_value_and_checks_the_sentence),
        cmocka_unit_test(test_pair_in_a_cell_ends_with_the_cell),
        cmocka_unit_test(test_sentence_span_joins_clauses_after_a_semicolon),
        cmocka_unit_test(test_sentence_not_sees_a_question_mark),
        cmocka_unit_test(test_sentence_span_cut_by_its_reach_starts_at_a_line),
        cmocka_unit_test(test_sentence_keys_need_value_span_sentence),
        cmocka_unit_test(test_sentence_veto_in_a_rows_last_cell_spares_the_cells_before),
        cmocka_unit_test(test_window_word_runs_on_over_a_wrapped_line),
        cmocka_unit_test(test_window_word_tries_the_keyword_and_three_words_before),
        cmocka_unit_test(test_shape_rule_runs_only_near_its_number_shape),
        cmocka_unit_test(test_column_only_header_word_ignores_row_labels),
        cmocka_unit_test(test_row_require_looks_at_the_values_row),
        cmocka_unit_test(test_header_not_leaves_a_column_alone),
        cmocka_unit_test(test_sentence_follow_takes_the_sentences_that_go_on),
        cmocka_unit_test(test_label_verb_takes_set_to_a_spaced_code_and_a_quoted_word),
    };
    return cmocka_run_group_tests_name("detect_engine", tests, NULL, NULL);
}

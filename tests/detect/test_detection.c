/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The labelled detection corpus (tests/detection): recall and precision per category and half. */
#include "support/ts_test.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fx_passage.h"

/*
 * Every tests/detection/HALF/NAME.txt is rendered in each format its NAME.expect lists (markup
 * and label format: tests/detection/README.md), scanned with the built-in rule packs, and its
 * findings (severity low or more) are compared with the labels:
 *   - a finding is the pair (category, value); a value found several times counts once;
 *     `hidden` and `metadata` findings count only in passages that list one;
 *   - white space runs count as one space, and so do the cell separators ';' and '|' (a table
 *     row's cells are tab-separated in one format, space-separated in another, and a CSV the
 *     reader does not take for a table keeps its semicolons);
 *   - a label matches a finding of its category when either value lies inside the other on
 *     word boundaries (labels are written without knowing where a rule's value ends, and a
 *     table row is one value in one format and several in another); the exact value each
 *     rule reports is checked by its example lines;
 *   - recall = labels matched / labels, precision = findings matched / findings, per category
 *     and half, over every rendering;
 *   - a decoy is hit when a finding's value lies inside the decoy text, or the decoy inside the
 *     value, on word boundaries;
 *   - `grade` (or `grade.FORMAT`) is compared with each rendering's grade.
 * eval/ is read only by its writer: what this prints about it names passages, formats, classes
 * and rule ids, never the passages' text or values.
 * With TS_DETECTION_LINT=1 the files are only checked (keys, formats, labels and decoys present
 * in the text) and nothing is scanned: an eval/ writer's check. TS_DETECTION_DUMP=DIR writes
 * each dev/ rendering to DIR to look at.
 */

#define CORPUS_DIR_DEFAULT TS_SOURCE_DIR "/tests/detection"

/* TS_DETECTION_CORPUS=DIR reads the passages from DIR/dev and DIR/eval instead: a writer checks
 * new passages with TS_DETECTION_LINT=1 in a folder of their own before they are added */
static const char *corpus_dir(void)
{
    const char *dir = getenv("TS_DETECTION_CORPUS");
    return dir != NULL && *dir != '\0' ? dir : CORPUS_DIR_DEFAULT;
}
#define MIN_PASSAGES_HALF 100u
#define MIN_PASSAGES 250u
#define MIN_RECALL 0.95
#define MIN_PRECISION 0.97
#define MAX_LINE 4096u
#define NCAT ((size_t)TS_CAT_COUNT_)
#define NCLASS 15u /* issue 12's classes 1-14 */

/* The eval half's floors (recall, precision): what it reached when they were last raised. On
 * 2026-12-07 more independent batches joined the half, each by a new writer who did not see the
 * rules, each measured before any rule was changed for it: n-* (32 passages on physical
 * security), q-* (30: all categories, clean ones), s-* (30: Q&A rounds, SSA-D appendices, room
 * schedules, key registers, firewall change tables; it cost firewall recall 0.959 -> 0.870 and
 * facility precision 0.948 -> 0.910) and t-* (30: vendor rule bases and change forms, SOC and
 * remote-support forms, service reports, key receipts; its writer counts public addresses as
 * firewall only, which costs network precision) and u-* (30: audits, CMDB exports, handover
 * letters, change orders, caretaker training, maintenance contracts, clean public texts) and
 * v-* (30: Q&A rounds, FDV handbooks, audits, onboarding guides, asset lists; scored blind on
 * arrival, then used only by its scores to accept or undo later changes) and w-* (30: a new
 * school's and sports hall's appendices, commissioning and test reports, SCADA operating
 * agreements, role lists; scored blind after the other changes) and x-* (30: SSA-D appendices,
 * welfare technology, self-service libraries, SCADA upgrades, an ISPS plan, incident e-mails,
 * inventories) and y-* (30: a writer asked for forms a scanner finds hard: guarding and alarm
 * response, a fire station's building technology, a stage network, an IT exit plan, audit notes,
 * change tickets) and, on 2026-12-08, z-* (30: a water utility's SCADA, school device management,
 * library RFID, parking barriers, a swimming hall's building automation, nurse call, an IT audit
 * letter, telephony) and o-* (30: archive migration, payroll integration, door intercoms, energy
 * monitoring, a bus depot, a dental clinic, public Wi-Fi, a pen-test summary, an incident report),
 * both scored blind on arrival and then used by their scores alone to accept or undo changes,
 * later diagnosed by kind; and l-* (30: ferry quay and cemetery systems, a weighbridge depot,
 * home-care key boxes, council streaming, a GIS migration, exam-network lockdown, AMR meters;
 * scored blind late in the session that had commissioned it, then diagnosed by kind) and ab-* (30:
 * an ice rink's and a pool's operations, a school canteen's payment and doors, a youth club, a
 * dam's remote monitoring, kindergarten key routines, a service-desk transition, a welfare
 * platform, a vehicle depot, an election day, a data-centre move; tables in every passage;
 * scored blind at the end of that session's first part, then diagnosed by kind) and ac-* (30: a
 * road tunnel's control systems, a fire station's doors, a housing company's door entry and
 * keys, a museum's alarms, college labs, a reception centre's routines, an archive move, a
 * sewage plant's SCADA, a DR plan, a cinema; scored blind once, at the end of that session: see
 * the note on issue 12) and ad-* (30: a harbour's ISPS security, district heating, SSA-D
 * operations, a nursing home's medicine robot and door alarms, exam PCs, a crisis centre, an
 * arena, a reservoir, FDV handover lists, a payroll migration; minutes, e-mail threads, risk
 * registers, checklists, Q&A rounds) and ae-* (30: an airport's airside access, a bus depot, an
 * emergency clinic, a colocation contract, a waste plant, school-bus telematics, street lighting,
 * a church's bells and alarms, an election set-up, a LoRaWAN network; chat logs, punch lists,
 * inventories), both scored blind once at the end of the session that commissioned them, before
 * and after its changes (see the note on issue 12); joining, they lowered the half's figures,
 * and the floors were set again to what the whole half then reached; and af-* (30: a ski centre,
 * a crematorium, dental clinics, a 110 fallback site, a stadium, open-access fibre, kiosks, bike
 * sharing, parking sensors; site surveys, handover protocols, SLA appendices, incident timelines)
 * and ag-* (30: a museum store, vaccine fridges, a kindergarten entry app, a marina, a district
 * energy central, a hotel, a print and mail room, a lido, a child-welfare office move, voting
 * material; ticket exports, chat excerpts, CAB minutes, FAT/SAT protocols), the first batches
 * written with the README's table of where kinds meet, scored blind at the start of a session and
 * again halfway (see the note on issue 12), then diagnosed by kind; and ah-* (30: a crisis shelter,
 * a recycling station, a fleet depot, medication dispensers, a council chamber's voting, an
 * aquarium, rental cabins' key boxes; deviation reports, FDV indexes, SMS threads, bills of
 * quantities) and ai-* (30: a bascule bridge, a parking garage, a greenhouse, a concert hall's
 * stage doors, a chemistry store, a pharmacy depot, a sea-rescue boathouse, a radio mast;
 * operating instructions, handover checklists, asset registers, photo logs), scored blind at the
 * start and the end of that session. The floors and allowances are what the whole half then
 * reached. They go up as the rules generalise, never down to let a change pass. */
#define EVAL_FLOOR_NETWORK 0.95, 0.98
#define EVAL_FLOOR_FIREWALL 0.92, 0.94
#define EVAL_FLOOR_CREDENTIAL 0.94, 0.98
#define EVAL_FLOOR_FACILITY 0.89, 0.88
#define EVAL_FLOOR_PERSONAL 1.00, 1.00
#define EVAL_FLOOR_CLASSIFICATION 1.00, 0.98
/* The target is no decoy hit. The first batch had none; n-*, q-*, s-*, t-*, u-*, v-*,
 * w-*, x-*, y-*, z-*, o-*, l-*, ab-*, ac-*, ad-*, ae-*, af-*, ag-*, ah-* and ai-* brought their
 * own. Any increase is a regression. */
#define EVAL_MAX_DECOY_HITS 247u
#define EVAL_MAX_GRADE_MISSES 88u

/* fresh/: passages written blind like eval/ but readable by everyone; rules are fitted to them,
 * and their figures are printed with the target but not held to it until they move to dev/ */
enum { HALF_DEV, HALF_EVAL, HALF_FRESH, NHALF };
static const char *const half_names[NHALF] = {"dev", "eval", "fresh"};

typedef struct pair {
    int cat;
    char *value;
    const char *rule; /* findings: the rule that made it */
    int matched;
} pair;

typedef struct pairs {
    pair *v;
    size_t n, cap;
} pairs;

typedef struct tally {
    size_t tp, fn, fp; /* labels found, labels missed, findings matching no label */
} tally;

typedef struct half {
    size_t passages, renderings, tables, clean, lang_nn, lang_en;
    size_t decoy_hits, grade_misses;
    tally cat[NCAT];
    size_t class_labels[NCLASS], class_found[NCLASS];
    size_t fmt_labels[FX_FMT_COUNT_], fmt_found[FX_FMT_COUNT_];
} half;

typedef struct results {
    size_t corpus_errors; /* unreadable files, bad lines, labels or decoys not in their text */
    bool lint;
    half h[NHALF];
} results;

typedef struct passage {
    pairs expected, decoys;
    int grade;
    int grade_fmt[FX_FMT_COUNT_];
    bool formats[FX_FMT_COUNT_];
    bool classes[NCLASS];
    char lang[4];
    bool scored[NCAT]; /* hidden and metadata only when a label names them */
} passage;

static void pairs_free(pairs *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].value);
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

static pair *pairs_get(const pairs *p, int cat, const char *value)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].cat == cat && strcmp(p->v[i].value, value) == 0)
            return &p->v[i];
    return NULL;
}

/* White space runs (tabs between cells, line breaks of a wrapped value) as one space, none at
 * the ends, in place: a table row is the same value in every format. */
static void squeeze(char *s)
{
    char *w = s;
    bool space = true;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == ';' || *r == '|') {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

/* Add (cat, value) unless it is there already; the value is copied, its white space squeezed. */
static void pairs_add(pairs *p, int cat, const char *value, const char *rule)
{
    char key[MAX_LINE];
    snprintf(key, sizeof key, "%s", value);
    squeeze(key);
    if (pairs_get(p, cat, key))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        pair *v = realloc(p->v, cap * sizeof(*v));
        assert_non_null(v);
        p->v = v;
        p->cap = cap;
    }
    char *copy = strdup(value);
    assert_non_null(copy);
    squeeze(copy);
    p->v[p->n++] = (pair){.cat = cat, .value = copy, .rule = rule};
}

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* Is the UTF-8 character at s (n bytes) a dash, quote, guillemet, no-break space or the line-break
 * sign: punctuation, not a letter, for all its bytes at 0x80 and above? */
static int is_utf8_punct(const unsigned char *s, size_t n)
{
    static const char *const marks[] = {"\u2013", "\u2014", "\u00ab", "\u00bb", "\u201c", "\u201d",
                                        "\u2018", "\u2019", "\u00a0", "\u23ce", "\u2026", "\u2022"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strlen(marks[i]) <= n && memcmp(s, marks[i], strlen(marks[i])) == 0)
            return 1;
    return 0;
}

/* Is the character that ends just before p (not before start) a letter or a digit? */
static int word_before(const char *start, const char *p)
{
    const unsigned char *q = (const unsigned char *)p - 1;
    if (*q < 0x80)
        return is_word_byte(*q);
    while (q > (const unsigned char *)start && (*q & 0xC0) == 0x80)
        q--;
    return !is_utf8_punct(q, (size_t)((const unsigned char *)p - q));
}

/* Is the character at p a letter or a digit? */
static int word_at(const char *p)
{
    return is_word_byte((unsigned char)*p) && !is_utf8_punct((const unsigned char *)p, strlen(p));
}

/* Does `needle` occur in `hay` with no letter or digit glued to either end? */
static int contains_word(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        int left = p == hay || !word_before(hay, p) || !word_at(needle);
        int right = p[nl] == '\0' || !word_at(p + nl) || !word_before(needle, needle + nl);
        if (left && right)
            return 1;
    }
    return 0;
}

static int values_match(const char *label, const char *found)
{
    return contains_word(label, found) || contains_word(found, label);
}

/* Replace every "⏎" (U+23CE, a line break inside a value) with '\n', in place. */
static void unescape(char *s)
{
    static const char mark[] = "\xe2\x8f\x8e";
    char *w = s;
    for (const char *r = s; *r;) {
        if (strncmp(r, mark, 3) == 0) {
            *w++ = '\n';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* Every finding of severity low or more in doc and its children, as distinct pairs. */
static void collect(const ts_doc *doc, pairs *found)
{
    for (size_t i = 0; i < ts_doc_finding_count(doc); i++) {
        const ts_finding *f = ts_doc_finding_at(doc, i);
        if (ts_finding_severity(f) >= TS_SEV_LOW)
            pairs_add(found, (int)ts_finding_category(f), ts_finding_value(f),
                      ts_rule_id(ts_finding_rule(f)));
    }
    for (size_t i = 0; i < ts_doc_child_count(doc); i++)
        collect(ts_doc_child_at(doc, i), found);
}

static const char *cat_name(int cat)
{
    const char *n = ts_category_name((ts_category)cat);
    return n ? n : "?";
}

/* Parse space-separated words of `v` with `each`. */
static void words(char *v, void (*each)(passage *, const char *, const char *, results *),
                  passage *p, const char *name, results *res)
{
    for (char *w = strtok(v, " "); w; w = strtok(NULL, " "))
        each(p, w, name, res);
}

static void add_format(passage *p, const char *w, const char *name, results *res)
{
    int f = fx_format_parse(w);
    if (f < 0) {
        printf("  %s.expect: unknown format '%s'\n", name, w);
        res->corpus_errors++;
        return;
    }
    p->formats[f] = true;
}

static void add_class(passage *p, const char *w, const char *name, results *res)
{
    char *end = NULL;
    long c = strtol(w, &end, 10);
    if (end == w || *end != '\0' || c < 1 || c >= (long)NCLASS) {
        printf("  %s.expect: unknown class '%s' (1-14)\n", name, w);
        res->corpus_errors++;
        return;
    }
    p->classes[c] = true;
}

/* Read NAME.expect into p. */
static void read_expect(const char *path, const char *name, passage *p, results *res)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        printf("  %s: cannot read %s\n", name, path);
        res->corpus_errors++;
        return;
    }
    char line[MAX_LINE];
    unsigned no = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        no++;
        size_t n = strcspn(line, "\r\n");
        if (line[n] == '\0' && !feof(fp)) {
            printf("  %s.expect:%u: line too long\n", name, no);
            res->corpus_errors++;
            break;
        }
        line[n] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (tab == NULL || tab[1] == '\0') {
            printf("  %s.expect:%u: want KEY<TAB>VALUE\n", name, no);
            res->corpus_errors++;
            continue;
        }
        *tab = '\0';
        char *value = tab + 1;
        unescape(value);
        ts_category cat;
        ts_grade g;
        int f;
        if (strcmp(line, "decoy") == 0) {
            pairs_add(&p->decoys, -1, value, NULL);
        } else if (strcmp(line, "grade") == 0 && ts_grade_parse(&g, value) == TS_OK) {
            p->grade = (int)g;
        } else if (strncmp(line, "grade.", 6) == 0 && (f = fx_format_parse(line + 6)) >= 0 &&
                   ts_grade_parse(&g, value) == TS_OK) {
            p->grade_fmt[f] = (int)g;
        } else if (strcmp(line, "format") == 0) {
            words(value, add_format, p, name, res);
        } else if (strcmp(line, "class") == 0) {
            words(value, add_class, p, name, res);
        } else if (strcmp(line, "lang") == 0 &&
                   (strcmp(value, "nb") == 0 || strcmp(value, "nn") == 0 ||
                    strcmp(value, "en") == 0)) {
            snprintf(p->lang, sizeof p->lang, "%s", value);
        } else if (ts_category_parse(&cat, line) == TS_OK) {
            pairs_add(&p->expected, (int)cat, value, NULL);
            p->scored[cat] = true;
        } else {
            printf("  %s.expect:%u: unknown key or value '%s'\n", name, no, line);
            res->corpus_errors++;
        }
    }
    fclose(fp);
}

static void print_classes(const passage *p)
{
    printf("(classes");
    bool any = false;
    for (size_t c = 1; c < NCLASS; c++)
        if (p->classes[c]) {
            printf(" %zu", c);
            any = true;
        }
    printf("%s; %s)", any ? "" : " -", p->lang[0] ? p->lang : "?");
}

/* Scan one rendering and score it. */
static void score(const ts_ctx *ctx, int which, const char *name, const passage *p, fx_format fmt,
                  const char *text, size_t len, results *res)
{
    half *h = &res->h[which];
    bool blind = which == HALF_EVAL;
    size_t blen = 0;
    unsigned char *bytes = fx_passage_render(text, len, fmt, &blen);
    char docname[512];
    snprintf(docname, sizeof docname, "%s.%s", name, fx_format_name(fmt));
    /* TS_DETECTION_DUMP=DIR keeps the dev renderings to look at (never eval's) */
    const char *dump = getenv("TS_DETECTION_DUMP");
    if (dump != NULL && *dump != '\0' && !blind)
        free(tst_write(dump, docname, bytes, blen));
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_buffer(&doc, ctx, docname, bytes, blen), TS_OK);
    free(bytes);
    h->renderings++;

    pairs found = {0};
    collect(doc, &found);
    for (size_t i = 0; i < found.n; i++)
        if (!p->scored[found.v[i].cat] &&
            (found.v[i].cat == TS_CAT_HIDDEN || found.v[i].cat == TS_CAT_METADATA))
            found.v[i].matched = -1; /* not scored in this passage */

    for (size_t i = 0; i < p->expected.n; i++) {
        const pair *e = &p->expected.v[i];
        bool hit = false;
        for (size_t j = 0; j < found.n; j++) {
            pair *f = &found.v[j];
            if (f->cat == e->cat && values_match(e->value, f->value)) {
                hit = true;
                f->matched = 1;
            }
        }
        for (size_t c = 1; c < NCLASS; c++)
            if (p->classes[c]) {
                h->class_labels[c]++;
                h->class_found[c] += hit ? 1u : 0u;
            }
        h->fmt_labels[fmt]++;
        h->fmt_found[fmt] += hit ? 1u : 0u;
        if (hit) {
            h->cat[e->cat].tp++;
            continue;
        }
        h->cat[e->cat].fn++;
        if (blind) {
            printf("  eval/%s [%s] ", name, fx_format_name(fmt));
            print_classes(p);
            printf(": missed %s\n", cat_name(e->cat));
        } else {
            printf("  %s [%s]: missed %s \"%s\"\n", name, fx_format_name(fmt), cat_name(e->cat),
                   e->value);
        }
    }
    for (size_t j = 0; j < found.n; j++) {
        const pair *f = &found.v[j];
        if (f->matched != 0)
            continue;
        h->cat[f->cat].fp++;
        if (blind)
            printf("  eval/%s [%s]: unexpected %s by %s\n", name, fx_format_name(fmt),
                   cat_name(f->cat), f->rule);
        else
            printf("  %s [%s]: unexpected %s \"%s\" (%s)\n", name, fx_format_name(fmt),
                   cat_name(f->cat), f->value, f->rule);
    }
    for (size_t d = 0; d < p->decoys.n; d++) {
        const char *decoy = p->decoys.v[d].value;
        for (size_t j = 0; j < found.n; j++) {
            if (found.v[j].matched < 0)
                continue;
            if (contains_word(decoy, found.v[j].value) || contains_word(found.v[j].value, decoy)) {
                h->decoy_hits++;
                if (blind)
                    printf("  eval/%s [%s]: decoy %zu hit by %s\n", name, fx_format_name(fmt),
                           d + 1, found.v[j].rule);
                else
                    printf("  %s [%s]: decoy \"%s\" flagged as %s \"%s\" (%s)\n", name,
                           fx_format_name(fmt), decoy, cat_name(found.v[j].cat), found.v[j].value,
                           found.v[j].rule);
            }
        }
    }
    int want = p->grade_fmt[fmt] >= 0 ? p->grade_fmt[fmt] : p->grade;
    if (want >= 0 && (int)ts_doc_grade(doc) != want) {
        h->grade_misses++;
        printf("  %s%s [%s]: grade %s, expected %s\n", blind ? "eval/" : "", name,
               fx_format_name(fmt), ts_grade_name(ts_doc_grade(doc)),
               ts_grade_name((ts_grade)want));
    }
    ts_doc_free(doc);
    pairs_free(&found);
}

/* Labels and decoys must be in the passage (markers removed: the txt rendering). */
static void lint(int which, const char *name, const passage *p, const char *plain, results *res)
{
    bool blind = which == HALF_EVAL;
    for (size_t i = 0; i < p->expected.n; i++)
        if (strstr(plain, p->expected.v[i].value) == NULL) {
            printf("  %s/%s: label %zu (%s) is not in the text%s%s%s\n", half_names[which], name,
                   i + 1, cat_name(p->expected.v[i].cat), blind ? "" : ": \"",
                   blind ? "" : p->expected.v[i].value, blind ? "" : "\"");
            res->corpus_errors++;
        }
    for (size_t d = 0; d < p->decoys.n; d++) {
        const char *decoy = p->decoys.v[d].value;
        if (strstr(plain, decoy) == NULL) {
            printf("  %s/%s: decoy %zu is not in the text%s%s%s\n", half_names[which], name, d + 1,
                   blind ? "" : ": \"", blind ? "" : decoy, blind ? "" : "\"");
            res->corpus_errors++;
        }
        for (size_t i = 0; i < p->expected.n; i++)
            if (contains_word(decoy, p->expected.v[i].value) ||
                contains_word(p->expected.v[i].value, decoy)) {
                printf("  %s/%s: decoy %zu overlaps label %zu\n", half_names[which], name, d + 1,
                       i + 1);
                res->corpus_errors++;
            }
    }
    if (p->lang[0] == '\0') {
        printf("  %s/%s: no lang\n", half_names[which], name);
        res->corpus_errors++;
    }
}

static bool has_table(const char *text)
{
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (n > 0 && l[0] != '@' && memchr(l, '\t', n))
            return true;
        l = e ? e + 1 : l + n;
    }
    return false;
}

static void check_passage(const ts_ctx *ctx, int which, const char *name, results *res)
{
    half *h = &res->h[which];
    char path[4096];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s/%s.txt", corpus_dir(), half_names[which], name);
    char *text = tst_slurp(path, &len);
    if (text == NULL) {
        printf("  %s: cannot read %s\n", name, path);
        res->corpus_errors++;
        return;
    }
    passage p = {.grade = -1};
    for (size_t f = 0; f < FX_FMT_COUNT_; f++)
        p.grade_fmt[f] = -1;
    snprintf(path, sizeof path, "%s/%s/%s.expect", corpus_dir(), half_names[which], name);
    read_expect(path, name, &p, res);
    bool any = false;
    for (size_t f = 0; f < FX_FMT_COUNT_; f++)
        any = any || p.formats[f];
    if (!any)
        p.formats[FX_FMT_TXT] = true;

    size_t plen = 0;
    char *plain = (char *)fx_passage_render(text, len, FX_FMT_TXT, &plen);
    char *z = realloc(plain, plen + 1);
    assert_non_null(z);
    plain = z;
    plain[plen] = '\0';
    squeeze(plain);
    lint(which, name, &p, plain, res);
    free(plain);

    h->passages++;
    size_t l = strlen(name);
    h->clean += l > 4 && strcmp(name + l - 4, "-ren") == 0;
    h->lang_nn += strcmp(p.lang, "nn") == 0;
    h->lang_en += strcmp(p.lang, "en") == 0;
    if (has_table(text))
        for (size_t f = 0; f < FX_FMT_COUNT_; f++)
            h->tables += p.formats[f] && f != FX_FMT_TXT;
    if (!res->lint)
        for (size_t f = 0; f < FX_FMT_COUNT_; f++)
            if (p.formats[f])
                score(ctx, which, name, &p, (fx_format)f, text, len, res);
    pairs_free(&p.expected);
    pairs_free(&p.decoys);
    free(text);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names (without .txt) of a half's passages, sorted. */
static char **list_passages(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        if (*n + 1 >= cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof(*v));
            assert_non_null(v);
            names = v;
        }
        names[*n] = strndup(e->d_name, l - 4);
        assert_non_null(names[*n]);
        (*n)++;
    }
    closedir(d);
    if (*n > 0)
        qsort(names, *n, sizeof(*names), cmp_str);
    return names;
}

static double rate(size_t good, size_t all)
{
    return all == 0 ? 1.0 : (double)good / (double)all;
}

static void print_half(int which, const half *h)
{
    printf("== %s: %zu passages (%zu clean, %zu nynorsk, %zu English, %zu table renderings), "
           "%zu renderings, %zu decoy hits, %zu grade misses\n",
           half_names[which], h->passages, h->clean, h->lang_nn, h->lang_en, h->tables,
           h->renderings, h->decoy_hits, h->grade_misses);
    printf("%-15s %9s %6s %6s %7s %9s\n", "category", "expected", "found", "false", "recall",
           "precision");
    for (size_t c = 0; c < NCAT; c++) {
        const tally *t = &h->cat[c];
        if (t->tp + t->fn == 0 && t->fp == 0)
            continue;
        printf("%-15s %9zu %6zu %6zu %7.3f %9.3f\n", cat_name((int)c), t->tp + t->fn, t->tp, t->fp,
               rate(t->tp, t->tp + t->fn), rate(t->tp, t->tp + t->fp));
    }
    if (which != HALF_DEV) {
        printf("target (issue 12): recall %.2f, precision %.2f in every category:", MIN_RECALL,
               MIN_PRECISION);
        size_t below = 0;
        for (size_t c = 0; c < NCAT; c++) {
            const tally *t = &h->cat[c];
            if (t->tp + t->fn == 0)
                continue;
            if (rate(t->tp, t->tp + t->fn) < MIN_RECALL ||
                rate(t->tp, t->tp + t->fp) < MIN_PRECISION) {
                printf(" %s", cat_name((int)c));
                below++;
            }
        }
        printf(below ? " below it\n" : " reached\n");
    }
    printf("recall by format:");
    for (size_t f = 0; f < FX_FMT_COUNT_; f++)
        if (h->fmt_labels[f])
            printf(" %s %.3f (%zu)", fx_format_name((fx_format)f),
                   rate(h->fmt_found[f], h->fmt_labels[f]), h->fmt_labels[f]);
    printf("\nrecall by class:");
    for (size_t c = 1; c < NCLASS; c++)
        if (h->class_labels[c])
            printf(" %zu:%.2f(%zu)", c, rate(h->class_found[c], h->class_labels[c]),
                   h->class_labels[c]);
    printf("\n");
}

static int setup(void **state)
{
    results *res = calloc(1, sizeof(*res));
    assert_non_null(res);
    const char *lint_env = getenv("TS_DETECTION_LINT");
    res->lint = lint_env != NULL && *lint_env != '\0' && strcmp(lint_env, "0") != 0;
    ts_ctx *ctx = res->lint ? NULL : tst_ctx_default();
    printf("detection corpus: %s%s\n", corpus_dir(), res->lint ? " (lint only)" : "");
    for (int which = 0; which < NHALF; which++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", corpus_dir(), half_names[which]);
        size_t n = 0;
        char **names = list_passages(dir, &n);
        for (size_t i = 0; i < n; i++) {
            check_passage(ctx, which, names[i], res);
            free(names[i]);
        }
        free(names);
    }
    ts_ctx_free(ctx);
    printf("%zu corpus errors\n", res->corpus_errors);
    for (int which = 0; which < NHALF; which++)
        print_half(which, &res->h[which]);
    *state = res;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static void test_corpus_is_readable_and_large_enough(void **state)
{
    const results *res = *state;
    assert_int_equal(res->corpus_errors, 0);
    if (res->lint)
        return;
    assert_true(res->h[HALF_DEV].passages >= MIN_PASSAGES_HALF);
    assert_true(res->h[HALF_EVAL].passages >= MIN_PASSAGES_HALF);
    assert_true(res->h[HALF_DEV].passages + res->h[HALF_EVAL].passages >= MIN_PASSAGES);
}

static void check_rates(int which, const results *res)
{
    if (res->lint)
        skip();
    const half *h = &res->h[which];
    size_t checked = 0;
    for (size_t c = 0; c < NCAT; c++) {
        const tally *t = &h->cat[c];
        if (t->tp + t->fn == 0)
            continue;
        checked++;
        double r = rate(t->tp, t->tp + t->fn), p = rate(t->tp, t->tp + t->fp);
        if (r < MIN_RECALL || p < MIN_PRECISION)
            fail_msg("%s %s: recall %.3f, precision %.3f (want %.2f and %.2f)", half_names[which],
                     cat_name((int)c), r, p, MIN_RECALL, MIN_PRECISION);
    }
    /* network, firewall, credential, facility, personal and classification are all labelled */
    assert_true(checked >= 6);
}

static void test_dev_half_reaches_095_recall_and_097_precision(void **state)
{
    check_rates(HALF_DEV, *state);
}

/*
 * The eval half has not reached the issue-12 target (recall 0.95, precision 0.97 in every
 * category) yet: its figures are printed with the target above, and this test holds the floor
 * it last reached, so that no change makes detection on text nobody here wrote worse. Raise a
 * floor when a change lifts the figure; never lower one to let a change through.
 */
static const struct {
    ts_category cat;
    double recall, precision;
} eval_floor[] = {
    {TS_CAT_NETWORK, EVAL_FLOOR_NETWORK},       {TS_CAT_FIREWALL, EVAL_FLOOR_FIREWALL},
    {TS_CAT_CREDENTIAL, EVAL_FLOOR_CREDENTIAL}, {TS_CAT_FACILITY, EVAL_FLOOR_FACILITY},
    {TS_CAT_PERSONAL, EVAL_FLOOR_PERSONAL},     {TS_CAT_CLASSIFICATION, EVAL_FLOOR_CLASSIFICATION},
};

static void test_eval_half_holds_its_floor_on_the_way_to_095_and_097(void **state)
{
    const results *res = *state;
    if (res->lint)
        skip();
    const half *h = &res->h[HALF_EVAL];
    for (size_t i = 0; i < sizeof eval_floor / sizeof eval_floor[0]; i++) {
        const tally *t = &h->cat[eval_floor[i].cat];
        double r = rate(t->tp, t->tp + t->fn), p = rate(t->tp, t->tp + t->fp);
        if (r < eval_floor[i].recall || p < eval_floor[i].precision)
            fail_msg("eval %s: recall %.3f, precision %.3f, below the floor %.2f and %.2f",
                     cat_name((int)eval_floor[i].cat), r, p, eval_floor[i].recall,
                     eval_floor[i].precision);
    }
    if (h->decoy_hits > EVAL_MAX_DECOY_HITS || h->grade_misses > EVAL_MAX_GRADE_MISSES)
        fail_msg("eval: %zu decoy hits and %zu grade misses, more than %u and %u", h->decoy_hits,
                 h->grade_misses, EVAL_MAX_DECOY_HITS, EVAL_MAX_GRADE_MISSES);
}

static void test_no_dev_decoy_is_flagged(void **state)
{
    const results *res = *state;
    if (res->lint)
        skip();
    assert_int_equal(res->h[HALF_DEV].decoy_hits, 0);
}

static void test_every_dev_rendering_gets_its_expected_grade(void **state)
{
    const results *res = *state;
    if (res->lint)
        skip();
    assert_int_equal(res->h[HALF_DEV].grade_misses, 0);
}

/* The peer corpus (../shared/corpus/public, skipped when absent): secretlint's negative cases hold
 * placeholders, templates and low-entropy stand-ins, none a credential; batfish's
 * configurations hold pre-shared keys, SNMP communities and passwords, every one a finding. */
static void credentials_of(const ts_ctx *ctx, const char *rel, pairs *found)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TS_CORPUS_DIR, rel);
    ts_doc *doc = NULL;
    assert_int_equal(ts_scan_file(&doc, ctx, path), TS_OK);
    assert_int_not_equal(ts_doc_grade(doc), TS_GRADE_ERROR);
    pairs all = {0};
    collect(doc, &all);
    for (size_t i = 0; i < all.n; i++)
        if (all.v[i].cat == TS_CAT_CREDENTIAL)
            pairs_add(found, TS_CAT_CREDENTIAL, all.v[i].value, all.v[i].rule);
    pairs_free(&all);
    ts_doc_free(doc);
}

static void test_secretlint_negative_cases_hold_no_credential(void **state)
{
    (void)state;
    if (!tst_have_corpus())
        skip();
    static const char *const files[] = {
        "secrets/secretlint_basicauth_false_positives_NEG.txt",
        "secrets/secretlint_db_connstring_placeholders_NEG.txt",
    };
    ts_ctx *ctx = tst_ctx_default();
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        pairs found = {0};
        credentials_of(ctx, files[f], &found);
        for (size_t i = 0; i < found.n; i++)
            printf("  %s: credential \"%s\" (%s)\n", files[f], found.v[i].value, found.v[i].rule);
        assert_int_equal(found.n, 0);
        pairs_free(&found);
    }
    ts_ctx_free(ctx);
}

static void test_every_key_community_and_password_in_the_peer_configs_is_found(void **state)
{
    (void)state;
    if (!tst_have_corpus())
        skip();
    static const struct {
        const char *file, *value;
    } want[] = {
        {"configs/batfish_fortios_ipsec_basic.conf", "secret123"},
        {"configs/pybatfish_arista_eos_DC1-LEAF2A.cfg", "q+VNViP5i4rVjW1cxFv2wA=="},
        {"configs/pybatfish_arista_eos_DC1-LEAF2A.cfg", "AQQvKeimxJu+uGQ/yYvv9w=="},
        {"configs/pybatfish_arista_eos_DC1-LEAF2A.cfg", "vnEaG8gMeQf3d3cN6PktXQ=="},
        {"configs/pybatfish_aws_VpnConnections_psk.json", "FnPi1E827cWJr.qGRhjwY85j2zeVdq6T"},
        {"configs/pybatfish_aws_VpnConnections_psk.json", "LzmeHN_8ar9oVosUh1Xe8O7IaeYLUGno"},
        {"configs/pybatfish_cisco_ios_exitgw_ipsec_psk.cfg", "cisco"},
        {"configs/pybatfish_cisco_ios_exitgw_ipsec_psk.cfg", "Rcw.wfJi8tgiOS8WiRS8eVmWvUrrC_Kx"},
        {"configs/pybatfish_cisco_ios_exitgw_ipsec_psk.cfg", "UmubvF4qIEpmr5Cl.rbkXUPj3LBLtIIv"},
        {"configs/pybatfish_cisco_ios_exitgw_ipsec_psk.cfg", "LzmeHN_8ar9oVosUh1Xe8O7IaeYLUGno"},
        {"configs/pybatfish_cisco_ios_exitgw_ipsec_psk.cfg", "FnPi1E827cWJr.qGRhjwY85j2zeVdq6T"},
        {"configs/pybatfish_snmp_community_ios.cfg", "COMM"},
        {"configs/pybatfish_snmp_community_juniper.cfg", "COMM"},
    };
    ts_ctx *ctx = tst_ctx_default();
    size_t missed = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        pairs found = {0};
        credentials_of(ctx, want[i].file, &found);
        if (pairs_get(&found, TS_CAT_CREDENTIAL, want[i].value) == NULL) {
            printf("  %s: missed \"%s\"\n", want[i].file, want[i].value);
            missed++;
        }
        pairs_free(&found);
    }
    /* the BGP community lists of as1border1 are names, not SNMP communities */
    pairs bgp = {0};
    credentials_of(ctx, "configs/pybatfish_cisco_ios_as1border1.cfg", &bgp);
    assert_int_equal(bgp.n, 0);
    pairs_free(&bgp);
    ts_ctx_free(ctx);
    assert_int_equal(missed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_is_readable_and_large_enough),
        cmocka_unit_test(test_dev_half_reaches_095_recall_and_097_precision),
        cmocka_unit_test(test_eval_half_holds_its_floor_on_the_way_to_095_and_097),
        cmocka_unit_test(test_no_dev_decoy_is_flagged),
        cmocka_unit_test(test_every_dev_rendering_gets_its_expected_grade),
        cmocka_unit_test(test_secretlint_negative_cases_hold_no_credential),
        cmocka_unit_test(test_every_key_community_and_password_in_the_peer_configs_is_found),
    };
    return cmocka_run_group_tests_name("detect_detection", tests, setup, teardown);
}

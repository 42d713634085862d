/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tenderscan: find what a tender document must not publish. The one public header. */
#ifndef TENDERSCAN_H
#define TENDERSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TS_BUILDING) && defined(__GNUC__)
#define TS_API __attribute__((visibility("default")))
#else
#define TS_API
#endif

/** Version of the library and the CLI. */
#define TS_VERSION "0.1.0"
/**
 * Value of "schema" in the JSON report (DESIGN §7). Report/2 fingerprints are keyed
 * (ts_ctx_set_fingerprint_key); report/1 ones were the plain SHA-256 of the value.
 */
#define TS_REPORT_SCHEMA "tenderscan-report/2"

/**
 * Status of an API call. TS_OK is 0, errors are negative. Numbers are never reused: a retired
 * value becomes TS_EOBSOLETE_n. Document failures (corrupt, encrypted, …) are not API failures:
 * they are recorded on the document (ts_doc_error) and the scan returns TS_OK.
 */
typedef enum ts_status {
    TS_OK = 0,
    TS_ENOMEM = -1,       /**< out of memory */
    TS_EINVAL = -2,       /**< bad argument */
    TS_EIO = -3,          /**< a file could not be opened, read or written */
    TS_ERULES = -4,       /**< a rule file is wrong (details went to the rule callback) */
    TS_ECORRUPT = -5,     /**< a document is damaged or not what its content claims */
    TS_EENCRYPTED = -6,   /**< a document needs a password */
    TS_ELIMIT = -7,       /**< a document is over a limit (size, depth, ratio, count) */
    TS_EUNSUPPORTED = -8, /**< a format tenderscan cannot read (yet) */
    TS_EEMPTY = -9,       /**< a document has no content (0 bytes) */
    TS_ENOTFOUND = -10,   /**< a rule, reporter or path that does not exist */
    TS_EINTERNAL = -11    /**< a bug in tenderscan */
} ts_status;

/** A short English text for a status; never NULL. Thread-safe. */
TS_API const char *ts_strerror(ts_status st);

/** Verdict for one document (DESIGN §5), ordered so that a larger value is worse. */
typedef enum ts_grade {
    TS_GRADE_OK = 0,
    TS_GRADE_REVIEW = 1,
    TS_GRADE_BLOCK = 2,
    TS_GRADE_ERROR = 3 /**< could not be read completely */
} ts_grade;

/** Severity of a finding (DESIGN §4), ordered. */
typedef enum ts_severity {
    TS_SEV_INFO = 0,
    TS_SEV_LOW,
    TS_SEV_MEDIUM,
    TS_SEV_HIGH,
    TS_SEV_CRITICAL
} ts_severity;

/** Category of a finding (DESIGN §4). */
typedef enum ts_category {
    TS_CAT_NETWORK = 0,
    TS_CAT_FIREWALL,
    TS_CAT_CREDENTIAL,
    TS_CAT_DIAGRAM,
    TS_CAT_FACILITY,
    TS_CAT_PERSONAL,
    TS_CAT_METADATA,
    TS_CAT_HIDDEN,
    TS_CAT_CLASSIFICATION, /**< security markings (BEGRENSET, "Unntatt offentlighet"): added in 0.1.0 */
    TS_CAT_COUNT_ /**< number of categories; not a category */
} ts_category;

/**
 * Where in a document a text sits (DESIGN §7 location.where): the most hidden place, so the
 * reader learns why they never saw it.
 */
typedef enum ts_where {
    TS_WHERE_BODY = 0,
    TS_WHERE_HEADER,
    TS_WHERE_FOOTER,
    TS_WHERE_FOOTNOTE,
    TS_WHERE_COMMENT,
    TS_WHERE_TRACKED_INSERTION,
    TS_WHERE_TRACKED_DELETION,
    TS_WHERE_HIDDEN_TEXT,
    TS_WHERE_METADATA,
    TS_WHERE_ANNOTATION,
    TS_WHERE_FORM_FIELD,
    TS_WHERE_ATTACHMENT,
    TS_WHERE_NOTES,
    TS_WHERE_HIDDEN_SHEET,
    TS_WHERE_HIDDEN_SLIDE,
    TS_WHERE_CELL,
    TS_WHERE_DRAWING,
    TS_WHERE_LAYER,
    TS_WHERE_INVISIBLE_TEXT,
    TS_WHERE_REVISION,
    TS_WHERE_FILENAME,
    TS_WHERE_EXIF,
    TS_WHERE_OCR,
    TS_WHERE_COUNT_ /**< number of places; not a place */
} ts_where;

/** Language of user-visible text. */
typedef enum ts_lang { TS_LANG_EN = 0, TS_LANG_NB = 1 } ts_lang;

/** Contract names: "ok", "network", "high", "body", "tracked-deletion", "en" …; NULL if out of range. */
TS_API const char *ts_grade_name(ts_grade g);
TS_API const char *ts_severity_name(ts_severity s);
TS_API const char *ts_category_name(ts_category c);
TS_API const char *ts_where_name(ts_where w);
/** Parse a contract name; TS_ENOTFOUND if unknown. */
TS_API ts_status ts_grade_parse(ts_grade *out, const char *name);
TS_API ts_status ts_severity_parse(ts_severity *out, const char *name);
TS_API ts_status ts_category_parse(ts_category *out, const char *name);

/* ---------------------------------------------------------------------------------------------- */
/* Context: rules, limits and accepted fingerprints. Read-only once set up: threads may share it.  */

typedef struct ts_ctx ts_ctx;
typedef struct ts_rule ts_rule;
typedef struct ts_doc ts_doc;
typedef struct ts_finding ts_finding;

/** Bounds applied to hostile input. Zero in a field means "use the default". */
typedef struct ts_limits {
    uint64_t max_file_bytes;     /**< larger files get grade error (default 2 GiB) */
    uint64_t max_unpacked_bytes; /**< total bytes inflated from one top-level file (default 1 GiB) */
    uint32_t max_ratio;          /**< largest compression ratio of a member (default 200) */
    uint32_t max_depth;          /**< nesting of child documents (default 8) */
    uint32_t max_findings;       /**< findings kept per document (default 5000) */
    uint32_t max_items;          /**< pages, parts, entities … per document (default 1,000,000) */
} ts_limits;

/**
 * Create an empty context (no rules). Free it with ts_ctx_free. Returns TS_ENOMEM or TS_OK;
 * on failure *out is NULL.
 */
TS_API ts_status ts_ctx_new(ts_ctx **out);
/** Free a context and everything it owns; NULL is a no-op. No document may still be scanning. */
TS_API void ts_ctx_free(ts_ctx *ctx);

/** Replace the limits; zero fields keep their default. Not thread-safe: call before scanning. */
TS_API void ts_ctx_set_limits(ts_ctx *ctx, const ts_limits *limits);
/** The limits in force (defaults filled in). */
TS_API void ts_ctx_get_limits(const ts_ctx *ctx, ts_limits *out);

/** Which pictures OCR reads (ts_ctx_set_ocr). */
typedef enum ts_ocr_mode {
    TS_OCR_OFF = 0,  /**< none: pictures get the layout check only (the default of a context) */
    TS_OCR_ALL = 1,  /**< every picture, also those inside documents; OCR must be installed */
    TS_OCR_AUTO = 2, /**< picture files (also ZIP members) and scanned PDF pages, when installed */
} ts_ocr_mode;

/**
 * Read text in pictures with OCR (Tesseract, Norwegian and English): PDF pages that are only an
 * image, and JPEG, PNG and TIFF files (`mode`, a ts_ocr_mode). A page takes seconds. The text is
 * scanned with location where = ocr. With TS_OCR_ALL, when OCR cannot run (the module
 * tenderscan-ocr.so or the language data is missing) such documents get grade error with what to
 * install; with TS_OCR_AUTO they are checked as without OCR. A picture OCR does not read gets a
 * cheap layout check of its pixels: lines of text in it are the finding "hidden.picture-text"
 * (review), never an ok. Tesseract uses OpenMP threads, which slow it down several times over
 * when documents are scanned in parallel: set OMP_THREAD_LIMIT=1 in the environment before the
 * first OCR (the CLI does). Not thread-safe: call before scanning.
 */
TS_API void ts_ctx_set_ocr(ts_ctx *ctx, int mode);

/**
 * Called once per rule-file problem with the file name, the 1-based line (0 when the problem is
 * not tied to a line) and an English message.
 */
typedef void (*ts_rule_error_cb)(const char *file, unsigned line, const char *message,
                                 void *payload);

/**
 * Load rules from a rule-file text (DESIGN §8). `name` names it in error messages. A rule whose id
 * is already loaded replaces the earlier one (that is how a user's pack overrides a built-in rule);
 * the same id twice in one text is an error. Returns TS_OK, TS_ERULES (every problem went to `cb`,
 * nothing of this text was loaded) or TS_ENOMEM. `cb` may be NULL.
 */
TS_API ts_status ts_ctx_load_rules_buffer(ts_ctx *ctx, const char *name, const char *text,
                                          size_t len, ts_rule_error_cb cb, void *payload);
/** Load one rule file, or every `*.rules` file of a folder in name order. TS_EIO if unreadable. */
TS_API ts_status ts_ctx_load_rules_path(ts_ctx *ctx, const char *path, ts_rule_error_cb cb,
                                        void *payload);
/** Load the rule packs built into the library (patterns/ at build time). */
TS_API ts_status ts_ctx_load_default_rules(ts_ctx *ctx, ts_rule_error_cb cb, void *payload);

/** Fewest and most bytes of a fingerprint key (ts_ctx_set_fingerprint_key). */
#define TS_FINGERPRINT_KEY_MIN 16
#define TS_FINGERPRINT_KEY_MAX 4096

/**
 * Set the organisation's fingerprint key (`len` bytes, copied; TS_FINGERPRINT_KEY_MIN to
 * TS_FINGERPRINT_KEY_MAX, else TS_EINVAL). A finding's fingerprint is the HMAC-SHA256 (hex) of its
 * category name, a NUL byte and the exact unmasked value under this key (DESIGN §7): stable for
 * everyone who shares the key, so ignore files and baselines work across a team, and useless for
 * testing guesses of a masked value without the key. A new context has a random key of its own,
 * so its fingerprints match no other context's until a key is set. The key enters
 * ts_ctx_digest. Not thread-safe: call before scanning. TS_ENOMEM.
 */
TS_API ts_status ts_ctx_set_fingerprint_key(ts_ctx *ctx, const void *key, size_t len);
/**
 * A short name of the context's fingerprint key: 16 hex digits of an HMAC under the key, which
 * says nothing about the key but tells two keys apart (reports carry it as
 * "fingerprint_key_id"). Borrowed from ctx.
 */
TS_API const char *ts_ctx_fingerprint_key_id(const ts_ctx *ctx);

/**
 * Accept a finding by its fingerprint (64 hex digits, any case): matching findings are dropped
 * from reports and counted as ignored. TS_EINVAL if `hex` is not a fingerprint.
 */
TS_API ts_status ts_ctx_add_ignore(ts_ctx *ctx, const char *hex);
/**
 * Read an ignore file: one accepted finding per line, `FINGERPRINT [RULE] [PATH-GLOB] [# reason]`.
 * RULE (a rule id, `category.name`, that ctx must have: load rules first) limits the entry to
 * findings of that rule; PATH-GLOB (fnmatch, the rest of the line: it may hold blanks; `*` also
 * matches `/` and `!`) to documents whose path, or the path of a document holding them, it
 * matches. A `#` at the start of a line or after a blank starts a comment (the reason, for the
 * reader of the file). Blank lines are skipped. Each bad line goes to `cb` with its number, the
 * first five of them, then one "… and N more" line; a JSON file (a report given by mistake) gets
 * one message naming ts_ctx_load_baseline's option. Returns TS_OK, TS_EIO (unreadable: `cb` gets
 * why), TS_ERULES (the good lines are still accepted) or TS_ENOMEM.
 */
TS_API ts_status ts_ctx_load_ignore_file(ts_ctx *ctx, const char *path, ts_rule_error_cb cb,
                                         void *payload);
/**
 * Accept every finding an earlier report of tenderscan holds (`--baseline`): a JSON report, JSONL
 * (a `--shard` run's run line is skipped) or SARIF, told apart by content. Each finding is
 * accepted by its fingerprint and its rule, in any document, exactly like an ignore-file line
 * `FINGERPRINT RULE`; such findings are counted as ignored. JSON and JSONL documents are read
 * with ts_doc_read_report, so the rules of the scan that made the report must be loaded first;
 * in SARIF the result's ruleId and its fingerprint in partialFingerprints are read. Problems go to
 * `cb` with the line (JSONL) or 0 and a position ("document 3: …"); reading stops at the first.
 * Findings made with another fingerprint key than ctx's (or report/1's plain SHA-256), which can
 * never match, are accepted all the same and counted in one more `cb` message (line 0), without
 * making the call fail: set the key (ts_ctx_set_fingerprint_key) before.
 * Returns TS_OK, TS_EIO (unreadable), TS_ERULES (not a report of tenderscan, or a bad entry:
 * what was read before it stays accepted), TS_ELIMIT (a JSON or SARIF file over 512 MiB: write
 * the report as JSONL) or TS_ENOMEM.
 */
TS_API ts_status ts_ctx_load_baseline(ts_ctx *ctx, const char *path, ts_rule_error_cb cb,
                                      void *payload);

/** Number of rules (pattern rules and the built-in structural ones). */
TS_API size_t ts_ctx_rule_count(const ts_ctx *ctx);
/** The i-th rule in id order, borrowed from ctx; NULL when i is out of range. */
TS_API const ts_rule *ts_ctx_rule_at(const ts_ctx *ctx, size_t i);
/** The rule with this id, borrowed from ctx; NULL if there is none. */
TS_API const ts_rule *ts_ctx_rule_find(const ts_ctx *ctx, const char *id);
/**
 * A digest (64 lowercase hex digits) of everything in the context that decides what a scan finds:
 * the program version, the limits, every rule's matching part (id, category, severity, pattern,
 * flags, validator, context and keywords) and the accepted fingerprints; titles and advice are
 * left out. Two contexts with the same digest find the same things in the same file. TS_ENOMEM.
 */
TS_API ts_status ts_ctx_digest(const ts_ctx *ctx, char out[65]);

/** Rule getters; strings are borrowed from the context. */
TS_API const char *ts_rule_id(const ts_rule *r);
TS_API ts_category ts_rule_category(const ts_rule *r);
TS_API ts_severity ts_rule_severity(const ts_rule *r);
TS_API const char *ts_rule_title(const ts_rule *r, ts_lang lang);
TS_API const char *ts_rule_advice(const ts_rule *r, ts_lang lang);
/** The pattern as written, or NULL for a built-in structural rule. */
TS_API const char *ts_rule_pattern(const ts_rule *r);
/** The `header` words a value's label must hold (DESIGN §8) as written, or NULL. */
TS_API const char *ts_rule_labels(const ts_rule *r);
/** "file:line" where the rule was defined, or "built-in". */
TS_API const char *ts_rule_origin(const ts_rule *r);
/** Number of `example` (want_match = 1) or `counter` (want_match = 0) lines. */
TS_API size_t ts_rule_sample_count(const ts_rule *r, int want_match);
TS_API const char *ts_rule_sample_at(const ts_rule *r, int want_match, size_t i);

/**
 * Check one rule's examples (each must produce a finding of this rule) and counters (none may).
 * Calls `cb` for every failing line with its text. Returns the number of failures.
 */
typedef void (*ts_rule_test_cb)(const ts_rule *r, int want_match, const char *sample,
                                void *payload);
TS_API size_t ts_rule_test(const ts_ctx *ctx, const ts_rule *r, ts_rule_test_cb cb, void *payload);

/* ---------------------------------------------------------------------------------------------- */
/* Scanning. A ts_doc is one document and its children; it owns everything reachable from it.     */

/**
 * Scan a file. The document always comes back (unless TS_ENOMEM/TS_EINVAL): a file that could not
 * be opened or read completely is a document with grade TS_GRADE_ERROR and a reason. Free it with
 * ts_doc_free. Thread-safe for a shared ctx.
 */
TS_API ts_status ts_scan_file(ts_doc **out, const ts_ctx *ctx, const char *path);
/**
 * Scan a buffer (not copied; must stay valid during the call). `name` is the reported path.
 */
TS_API ts_status ts_scan_buffer(ts_doc **out, const ts_ctx *ctx, const char *name,
                                const void *data, size_t len);
/**
 * Record that a path could not be read as a document (a folder walk error, a symbolic link not
 * followed, a worker that died): grade error with `why` and `message` (English detail). Its name
 * is scanned with the rules of `ctx` (may be NULL: then it is not), so a password in the name is
 * a finding and masked like any other. TS_EINVAL, TS_ENOMEM or TS_OK. Thread-safe.
 */
TS_API ts_status ts_scan_unread(ts_doc **out, const ts_ctx *ctx, const char *path, ts_status why,
                                const char *message);
/** ts_scan_unread without rules: the name is not scanned. */
TS_API ts_status ts_doc_new_failed(ts_doc **out, const char *path, ts_status why,
                                   const char *message);
/**
 * Record a document whose scan was given up before it ended (a worker process that ran out of
 * time or memory, or crashed): grade error with the status `why` (not TS_OK) and the reason in
 * English and in Norwegian (`message_nb` NULL: the English one serves both), named `name`, plus
 * what a scan records before it reads the document, taken from the file at `path` when it is not
 * NULL (a document read from standard input has no file to look at): its size, SHA-256 and, when
 * `sniff` is nonzero, its format (magic bytes and a container's directory are parsed in this
 * process, nothing is extracted: pass 0 when the file crashed a reader). The findings in its name
 * are always recorded. What cannot be read stays unknown. Returns TS_OK, TS_EINVAL or TS_ENOMEM.
 */
TS_API ts_status ts_doc_new_unfinished(ts_doc **out, const ts_ctx *ctx, const char *name,
                                       const char *path, ts_status why, const char *message_en,
                                       const char *message_nb, int sniff);
/** Free a document, its children and findings; NULL is a no-op. */
TS_API void ts_doc_free(ts_doc *doc);

typedef struct ts_out ts_out;
/**
 * Write a scanned document with its children as one line of JSON holding all the library knows
 * of it (values unmasked, context on both sides, the error status): for handing results between
 * processes running the same build, e.g. a worker process and the one writing the report. Not a
 * report format, and private to one version: keep it off networks, and on disk only beside the
 * version and ts_ctx_digest it was made with (as `scan --state` does).
 */
TS_API ts_status ts_doc_dump(const ts_doc *doc, ts_out *o);
/**
 * Rebuild and grade a document from one ts_doc_dump line; `ctx` must hold the rules it was
 * scanned with. TS_ECORRUPT when the line is not such a document (or names an unknown rule).
 */
TS_API ts_status ts_doc_load(ts_doc **out, const ts_ctx *ctx, const char *buf, size_t len);

/**
 * Rebuild a document from one DESIGN §7 document object, as `-f jsonl` writes one per line (no
 * NUL-terminator needed): path, format, bytes, sha256, error (its status is read back from the
 * status text in either language, so the error reads in both), findings (rule looked up in `ctx`;
 * category, severity, match, fingerprint, location, context and detail as written) and the ignored
 * count; then grade it, so grade, score and reasons come from `ctx` in both languages whatever
 * the report's language was. A report holds less than a scan: the match is the value as shown,
 * so a masked credential stays masked (show_secrets cannot unmask it), and the context is only
 * what the report shows. Children are objects of their own (path `outer!inner`): join them with
 * ts_doc_adopt. Findings over ctx's max_findings are dropped and counted as a scan counts them.
 * Returns TS_OK, TS_EINVAL, TS_ENOMEM, TS_ENOTFOUND (a run line, {"run": …}, not a document:
 * read it with ts_run_info_read) or TS_ECORRUPT (not such an object, or a finding of a rule
 * `ctx` does not have). `why`, when not NULL, gets a short English reason for a failure, at most
 * `why_size` bytes with its NUL ("unknown rule 'x.y' …"). On failure *out is NULL.
 */
TS_API ts_status ts_doc_read_report(ts_doc **out, const ts_ctx *ctx, const char *json, size_t len,
                                    char *why, size_t why_size);
/**
 * Make `child` the next child of `parent`, whose path must be `parent`'s + "!" + a name
 * (TS_EINVAL otherwise), and take its grade, score and reason into `parent`'s as a scan would.
 * Attach a document's own children before the document itself (depth first, bottom up): the
 * parent's grade takes in the child's as it is at this call. On TS_OK `parent` owns `child`;
 * on failure (TS_EINVAL, TS_ENOMEM) the caller still does.
 */
TS_API ts_status ts_doc_adopt(ts_doc *parent, ts_doc *child);

/** Path as given; a child is `outer!inner`. Raw bytes: show it with ts_doc_path_shown. */
TS_API const char *ts_doc_path(const ts_doc *doc);
/**
 * The path as every report shows it, written into `buf` the way snprintf does (returns the
 * length the whole text needs, SIZE_MAX on out-of-memory). Bytes that are not UTF-8 and
 * characters that would change a terminal (controls, bidi overrides) are written `\xE6`, and a
 * backslash that could be read as such an escape is doubled, so two paths never show the same.
 * Unless `show_secrets`, a credential found in a file or member name (a finding with where
 * `filename`, in this document's name or a parent's) is masked as findings are and followed by
 * `~` and six hex digits of its fingerprint: `Passord-Vi*******4!~3fa1c2.txt`, so two names that
 * differ only inside the mask stay two paths. Thread-safe.
 */
TS_API size_t ts_doc_path_shown(const ts_doc *doc, int show_secrets, char *buf, size_t size);
/**
 * Escape a path that has no document (yet) the way ts_doc_path_shown does, without masking
 * (nothing has been scanned): for messages about paths. Same contract as ts_doc_path_shown.
 */
TS_API size_t ts_path_escape(const char *path, char *buf, size_t size);
/** Format detected from content ("text", "pdf", "docx", … "unknown", "empty"). */
TS_API const char *ts_doc_format(const ts_doc *doc);
TS_API uint64_t ts_doc_bytes(const ts_doc *doc);
/** SHA-256 of the bytes as 64 lowercase hex digits, or NULL if the bytes could not be read. */
TS_API const char *ts_doc_sha256(const ts_doc *doc);
/**
 * ts_ctx_fingerprint_key_id of the key this document's fingerprints were made with, or NULL when
 * that is not known: a document with no context (ts_doc_new_failed), or one read back from a
 * report without "fingerprint_key_id" (report/1, whose fingerprints were plain SHA-256).
 */
TS_API const char *ts_doc_fingerprint_key_id(const ts_doc *doc);
/** Grade of this document including its children (the worst of them). */
TS_API ts_grade ts_doc_grade(const ts_doc *doc);
/** Score 0-100 including children. */
TS_API int ts_doc_score(const ts_doc *doc);
/** Why the document could not be read completely (English), or NULL when it was. */
TS_API const char *ts_doc_error(const ts_doc *doc);
/** Same, in the chosen language. */
TS_API const char *ts_doc_error_text(const ts_doc *doc, ts_lang lang);
/** The status behind ts_doc_error, or TS_OK. */
TS_API ts_status ts_doc_error_status(const ts_doc *doc);
/** Reasons that drove the grade, in the chosen language. */
TS_API size_t ts_doc_reason_count(const ts_doc *doc);
TS_API const char *ts_doc_reason_at(const ts_doc *doc, size_t i, ts_lang lang);
/** Findings of this document itself (not its children), in document order. */
TS_API size_t ts_doc_finding_count(const ts_doc *doc);
TS_API const ts_finding *ts_doc_finding_at(const ts_doc *doc, size_t i);
/** Findings dropped because they were accepted (--ignore, --baseline), this document only. */
TS_API size_t ts_doc_ignored_count(const ts_doc *doc);
/** Child documents (zip members, attachments, embedded files), each a full ts_doc. */
TS_API size_t ts_doc_child_count(const ts_doc *doc);
TS_API const ts_doc *ts_doc_child_at(const ts_doc *doc, size_t i);

/** Finding getters; everything is borrowed from the document. */
TS_API const char *ts_finding_rule_id(const ts_finding *f);
/** The rule behind the finding (titles, advice), borrowed from the context that scanned it. */
TS_API const ts_rule *ts_finding_rule(const ts_finding *f);
TS_API ts_category ts_finding_category(const ts_finding *f);
TS_API ts_severity ts_finding_severity(const ts_finding *f);
/** The exact, unmasked value. Show it only through ts_finding_match unless secrets are wanted. */
TS_API const char *ts_finding_value(const ts_finding *f);
/**
 * The fingerprint: HMAC-SHA256 hex of the category, NUL and the exact unmasked value under the
 * context's fingerprint key (ts_ctx_set_fingerprint_key); for a document read back from a
 * report, the fingerprint as the report gave it.
 */
TS_API const char *ts_finding_fingerprint(const ts_finding *f);
/** Text before and after the value on its line(s), whitespace folded; never NULL. */
TS_API const char *ts_finding_context_before(const ts_finding *f);
TS_API const char *ts_finding_context_after(const ts_finding *f);
/** Extra detail from an extractor ("3 comments by olanor"), or NULL. */
TS_API const char *ts_finding_detail(const ts_finding *f);
TS_API ts_where ts_finding_where(const ts_finding *f);
/** 1-based page, slide or sheet number, 0 if none. */
TS_API unsigned ts_finding_page(const ts_finding *f);
/** Part inside the file ("word/comments.xml", sheet name, layer name), or NULL. */
TS_API const char *ts_finding_part(const ts_finding *f);
/** 1-based line, 0 if none. */
TS_API unsigned long ts_finding_line(const ts_finding *f);

/**
 * The value as a report shows it: credentials masked (`Vi*******4!`) unless `show_secrets`.
 * Writes a NUL-terminated string of at most `size` bytes into `buf`; returns the length the full
 * text needs (like snprintf).
 */
TS_API size_t ts_finding_match(const ts_finding *f, int show_secrets, char *buf, size_t size);
/** Mask any value the way credentials are masked. Same contract as ts_finding_match. */
TS_API size_t ts_mask(const char *value, char *buf, size_t size);

/* ---------------------------------------------------------------------------------------------- */
/* Reports. A reporter streams documents to an output sink, so 10,000 documents never sit in       */
/* memory at once.                                                                                */

typedef struct ts_report ts_report;

/** An output sink writing to a FILE (not closed by ts_out_free). */
TS_API ts_status ts_out_new_file(ts_out **out, FILE *fp);
/** An output sink that collects everything in memory (for tests and embedding). */
TS_API ts_status ts_out_new_memory(ts_out **out);
/** Bytes collected by a memory sink so far (NUL-terminated), and their length; NULL otherwise. */
TS_API const char *ts_out_memory(const ts_out *o, size_t *len);
/** Free a sink; NULL is a no-op. */
TS_API void ts_out_free(ts_out *o);

/** Name of the i-th report format ("text", "json", …) in table order; NULL past the last. */
TS_API const char *ts_report_format_at(size_t i);

/**
 * What a report says about the run that made it (DESIGN §7 `run`): a `-f json` report given one
 * has it as its "run" member; a `-f jsonl` report given one starts with the line {"run": {...}}
 * (docs/report-format.md), so that `merge` can check that its inputs are the shards of one run,
 * each complete.
 */
typedef struct ts_run_info {
    unsigned long shard_k, shard_n; /**< shard K of N (1 <= K <= N); 0 and 0: not a shard */
    uint64_t files;                 /**< files the whole run listed, before it was split */
    uint64_t documents;             /**< top-level documents this report holds */
    char digest[65];                /**< ts_ctx_digest of the scanning context (rules, …) */
    char started[21];               /**< when the run started, UTC: "2025-01-31T09:30:00Z" */
} ts_run_info;

/**
 * Read a run line (a JSON object whose member `run` is an object as ts_run_info describes; no
 * NUL-terminator needed). TS_OK; TS_ENOTFOUND when `json` is an object without `run` (a
 * document); TS_ECORRUPT when it is not JSON or its run object is malformed; TS_EINVAL.
 */
TS_API ts_status ts_run_info_read(ts_run_info *out, const char *json, size_t len);

/** Options of one report run. */
typedef struct ts_report_opts {
    ts_lang lang;
    int show_secrets; /**< 1: do not mask credentials */
    int color;        /**< 1: ANSI colour (text reporter on a terminal) */
    size_t rules;     /**< number of rules loaded, shown in the tool block */
    char csv_sep;     /**< CSV field separator; 0 = ';' for nb, ',' for en */
    int summary;      /**< 1: one row per document instead of one per finding (CSV) */
    const ts_run_info *run; /**< the run (borrowed), or NULL: json writes it as its "run"
                                 member, jsonl as its first line */
} ts_report_opts;

/** Totals of a report run (DESIGN §7 summary). */
typedef struct ts_summary {
    size_t documents, ok, review, block, error, findings, ignored;
} ts_summary;

/**
 * Start a report in format `format` to sink `o` (borrowed; must outlive the report).
 * TS_ENOTFOUND if there is no such format. Free with ts_report_free.
 */
TS_API ts_status ts_report_new(ts_report **out, const char *format, ts_out *o,
                               const ts_report_opts *opts);
/** Write one top-level document (its children follow it, as `outer!inner`). */
TS_API ts_status ts_report_document(ts_report *rep, const ts_doc *doc);
/** Finish the report (summary, closing brackets). Call once. */
TS_API ts_status ts_report_end(ts_report *rep);
/** Totals so far. */
TS_API const ts_summary *ts_report_summary(const ts_report *rep);
/** Free a report; NULL is a no-op. */
TS_API void ts_report_free(ts_report *rep);

#ifdef __cplusplus
}
#endif

#endif /* TENDERSCAN_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* User-visible words in Norwegian (bokmål) and English; logic refers to them by id. */
#ifndef TS_CORE_MSG_H
#define TS_CORE_MSG_H

#include "tenderscan.h"

typedef enum ts_msg_id {
    /* grades, as a reader sees them */
    TS_MSG_GRADE_OK,
    TS_MSG_GRADE_REVIEW,
    TS_MSG_GRADE_BLOCK,
    TS_MSG_GRADE_ERROR,
    /* what a grade means for the person publishing */
    TS_MSG_GRADE_OK_HINT,
    TS_MSG_GRADE_REVIEW_HINT,
    TS_MSG_GRADE_BLOCK_HINT,
    TS_MSG_GRADE_ERROR_HINT,
    /* reasons (printf templates) */
    TS_MSG_REASON_FINDING,      /* %s title, %zu count */
    TS_MSG_REASON_ADDRESS_PLAN, /* %zu distinct internal addresses */
    TS_MSG_REASON_ATTACK_MAP,   /* internal addressing with firewall/remote-access details */
    TS_MSG_REASON_CHILD,        /* %s child path, %s grade */
    TS_MSG_REASON_CHILD_WHY,    /* %s child path, %s grade, %.*s its error or first reason */
    TS_MSG_REASON_ERROR,        /* %s error text */
    TS_MSG_REASON_TRUNCATED,    /* %zu findings over the limit */
    /* report labels */
    TS_MSG_LABEL_WHERE,
    TS_MSG_LABEL_PAGE,
    TS_MSG_LABEL_LINE,
    TS_MSG_LABEL_PART,
    TS_MSG_LABEL_ADVICE,
    TS_MSG_LABEL_FINDINGS,
    TS_MSG_LABEL_REASONS,
    TS_MSG_LABEL_SUMMARY,
    TS_MSG_LABEL_DOCUMENTS,
    TS_MSG_LABEL_IGNORED,
    TS_MSG_LABEL_SCORE,
    TS_MSG_LABEL_NO_FINDINGS,
    TS_MSG_LABEL_ERROR,
    /* text reporter: grade words inside the summary line, "2 accepted", "… 5 more" */
    TS_MSG_SUM_OK,
    TS_MSG_SUM_REVIEW,
    TS_MSG_SUM_BLOCK,
    TS_MSG_SUM_ERROR,
    TS_MSG_LABEL_ACCEPTED,
    TS_MSG_LABEL_MORE,
    TS_MSG_LABEL_DOCUMENT, /* singular of TS_MSG_LABEL_DOCUMENTS */
    TS_MSG_LABEL_FINDING,  /* singular of TS_MSG_LABEL_FINDINGS */
    /* column and field names (csv headers, html labels) */
    TS_MSG_LABEL_GRADE,
    TS_MSG_LABEL_CATEGORY,
    TS_MSG_LABEL_SEVERITY,
    TS_MSG_LABEL_RULE,
    TS_MSG_LABEL_VALUE,
    TS_MSG_LABEL_MESSAGE,
    TS_MSG_LABEL_FINGERPRINT,
    TS_MSG_LABEL_FORMAT,
    TS_MSG_LABEL_BYTES,
    /* html reporter */
    TS_MSG_HTML_TITLE,
    TS_MSG_HTML_HEADING,
    TS_MSG_HTML_OVERVIEW,
    TS_MSG_HTML_FILTER,
    TS_MSG_HTML_SHOW_ALL,
    TS_MSG_HTML_SHOWN, /* "%1 of %2 documents shown": filled in by the page's script */
    TS_MSG_HTML_MORE,  /* after a count: findings not listed above */
    TS_MSG_HTML_BACK,
    TS_MSG_HTML_MASKED,
    TS_MSG_HTML_UNMASKED,
    TS_MSG_HTML_FOOTER, /* before the version */
    TS_MSG_LABEL_RULES,
    TS_MSG_HTML_NONE,
    TS_MSG_HTML_ASK,
    TS_MSG_HTML_CONTEXT,
    /* sarif reporter: the result for a document that could not be read */
    TS_MSG_UNREAD_TITLE,
    /* details of document failures (ts_doc_fail_msg), shown after the status text */
    TS_MSG_FAIL_EXPANDS,              /* %llu: max_unpacked_bytes */
    TS_MSG_FAIL_XLSB,                 /* an Excel binary workbook */
    TS_MSG_FAIL_DOC_OLD,              /* Word for Windows 1 or 2 */
    TS_MSG_FAIL_XLS_OLD,              /* Excel 2, 3 or 4 */
    TS_MSG_FAIL_XLS_BIFF5,            /* %u: the BIFF version (0x0500) */
    TS_MSG_FAIL_DOC_WORD6,            /* %u: the nFib */
    TS_MSG_FAIL_DXF_BINARY,           /* binary DXF */
    TS_MSG_FAIL_ATTACHMENT_ENCRYPTED, /* a PDF attachment under a crypt filter */
    TS_MSG_FAIL_PAGES_UNREAD,    /* %zu pages not read, %zu pages in all */
    TS_MSG_FAIL_PAGES_RECOVERED, /* the same, then %zu pages whose text was recovered */
    TS_MSG_FAIL_NO_PAGES,        /* a PDF whose page tree is there and empty */
    TS_MSG_FAIL_NO_PAGE_FOUND,   /* a PDF of which no page could be found or read */
    TS_MSG_FAIL_OPEN_RECOVERED,  /* %s why it did not open, %zu pages recovered all the same */
    TS_MSG_FAIL_CHANGED,         /* the file changed between opening and the end of the scan */
    TS_MSG_FAIL_ONLY_STRINGS,    /* an unknown binary: only its printable strings were scanned */
    TS_MSG_FAIL_CONTENT_DAMAGED,       /* %zu: the page whose content stream is damaged */
    TS_MSG_FAIL_CONTENT_DAMAGED_PAGES, /* %zu pages with such content, %zu the first of them */
    TS_MSG_FAIL_CONTENT_FILTER,        /* %zu: the page, %s: the filter not known */
    TS_MSG_FAIL_CONTENT_FILTER_PAGES,  /* %zu pages, %zu the first, %s its filter */
    TS_MSG_COUNT_
} ts_msg_id;

/* The text for `id` in `lang`; never NULL. */
const char *ts_msg(ts_msg_id id, ts_lang lang);
/* Localised names of the contract enums (the contract names themselves come from ts_*_name). */
const char *ts_msg_category(ts_category c, ts_lang lang);
const char *ts_msg_where(ts_where w, ts_lang lang);
const char *ts_msg_severity(ts_severity s, ts_lang lang);
const char *ts_msg_grade(ts_grade g, ts_lang lang);
/* A status as a reader sees it ("kryptert: et passord trengs" / "encrypted"). */
const char *ts_msg_status(ts_status st, ts_lang lang);

#endif /* TS_CORE_MSG_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Structural checks: shapes and connectors reported by extractors become a drawing verdict. */
#include "detect/checks.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * What a shape is, from its stencil name and label. Keywords are matched in a normalised copy
 * of the label (ASCII and Latin-1 letters lowercased, '_' '-' '.' '/' ':' ';' '=' made spaces),
 * anywhere (Norwegian compounds: "kjernesvitsj", "serverrommet") unless flagged: W_START wants a
 * word start before it, W_END a word end after it (a Norwegian ending of up to three letters
 * allowed: "ruteren"). The longest keyword found decides, so "server room" is a room and not a
 * server, and "light switch" (K_NONE) is nothing.
 */
enum kind {
    K_NONE = 0,
    /* network devices */
    K_FIREWALL,
    K_ROUTER,
    K_SWITCH,
    K_SERVER,
    K_WIRELESS,
    K_LOADBAL,
    K_VPN,
    K_STORAGE,
    K_IDS,
    K_MODEM,
    /* other network elements: they make a diagram richer but are not its devices */
    K_CLIENT,
    K_PRINTER,
    K_PHONE,
    K_WAN,
    /* physical security */
    K_SERVER_ROOM,
    K_ACCESS,
    K_CAMERA,
    K_ALARM,
    K_KEYS,
    K_COUNT_
};

#define FIRST_DEVICE K_FIREWALL
#define LAST_DEVICE K_MODEM
#define FIRST_OTHER K_CLIENT
#define LAST_OTHER K_WAN
#define FIRST_FACILITY K_SERVER_ROOM
#define LAST_FACILITY K_KEYS

#define W_START 1u
#define W_END 2u

typedef struct keyword {
    const char *word; /* normalised: lowercase, single spaces */
    unsigned char kind;
    unsigned char flags;
} keyword;

static const keyword keywords[] = {
    {"firewall", K_FIREWALL, 0},
    {"brannmur", K_FIREWALL, 0},
    {"fw", K_FIREWALL, W_START | W_END},
    {"fortigate", K_FIREWALL, 0},
    {"pfsense", K_FIREWALL, 0},
    {"palo alto", K_FIREWALL, W_START},
    {"router", K_ROUTER, 0},
    {"ruter", K_ROUTER, W_END},
    {"rtr", K_ROUTER, W_START | W_END},
    {"gateway", K_ROUTER, 0},
    {"gw", K_ROUTER, W_START | W_END},
    {"switch", K_SWITCH, 0},
    {"svitsj", K_SWITCH, 0},
    {"sw", K_SWITCH, W_START | W_END},
    {"hub", K_SWITCH, W_START | W_END},
    {"server", K_SERVER, 0},
    {"tjener", K_SERVER, W_END},
    {"srv", K_SERVER, W_START | W_END},
    {"hypervisor", K_SERVER, 0},
    {"esxi", K_SERVER, W_START},
    {"mainframe", K_SERVER, 0},
    {"domain controller", K_SERVER, 0},
    {"domenekontroller", K_SERVER, 0},
    {"access point", K_WIRELESS, 0},
    {"accesspoint", K_WIRELESS, 0},
    {"aksesspunkt", K_WIRELESS, 0},
    {"wlan", K_WIRELESS, W_START},
    {"wifi", K_WIRELESS, W_START},
    {"wi fi", K_WIRELESS, W_START},
    {"wireless", K_WIRELESS, 0},
    {"trådløs", K_WIRELESS, 0},
    {"load balancer", K_LOADBAL, 0},
    {"loadbalancer", K_LOADBAL, 0},
    {"lastbalanser", K_LOADBAL, 0},
    {"netscaler", K_LOADBAL, 0},
    {"vpn", K_VPN, W_START},
    {"concentrator", K_VPN, 0},
    {"storage", K_STORAGE, 0},
    {"nas", K_STORAGE, W_START | W_END},
    {"san", K_STORAGE, W_START | W_END},
    {"lagringsenhet", K_STORAGE, 0},
    {"disk array", K_STORAGE, 0},
    {"tape library", K_STORAGE, 0},
    {"ids", K_IDS, W_START | W_END},
    {"ips", K_IDS, W_START | W_END},
    {"intrusion", K_IDS, 0},
    {"modem", K_MODEM, 0},
    {"pc", K_CLIENT, W_START | W_END},
    {"workstation", K_CLIENT, 0},
    {"arbeidsstasjon", K_CLIENT, 0},
    {"laptop", K_CLIENT, 0},
    {"bærbar", K_CLIENT, W_START},
    {"klient", K_CLIENT, W_START | W_END},
    {"client", K_CLIENT, W_START | W_END},
    {"computer", K_CLIENT, 0},
    {"datamaskin", K_CLIENT, 0},
    {"printer", K_PRINTER, 0},
    {"skriver", K_PRINTER, W_START | W_END},
    {"ip phone", K_PHONE, 0},
    {"telephone", K_PHONE, 0},
    {"telefon", K_PHONE, 0},
    {"mobile", K_PHONE, W_START},
    {"internet", K_WAN, 0},
    {"internett", K_WAN, 0},
    {"wan", K_WAN, W_START | W_END},
    {"mpls", K_WAN, W_START | W_END},
    {"cloud", K_WAN, W_START},
    {"serverrom", K_SERVER_ROOM, 0},
    {"server room", K_SERVER_ROOM, 0},
    {"datarom", K_SERVER_ROOM, 0},
    {"data room", K_SERVER_ROOM, 0},
    {"datasenter", K_SERVER_ROOM, 0},
    {"data center", K_SERVER_ROOM, 0},
    {"datacenter", K_SERVER_ROOM, 0},
    {"kommunikasjonsrom", K_SERVER_ROOM, 0},
    {"hkr", K_SERVER_ROOM, W_START | W_END},
    {"noderom", K_SERVER_ROOM, 0},
    {"nodesrom", K_SERVER_ROOM, 0},
    {"nettverksrom", K_SERVER_ROOM, 0},
    {"svitsjerom", K_SERVER_ROOM, 0},
    {"switch room", K_SERVER_ROOM, 0},
    {"switchrom", K_SERVER_ROOM, 0},
    {"ikt rom", K_SERVER_ROOM, W_START},
    {"ikt rommet", K_SERVER_ROOM, W_START},
    {"krysskoblingsrom", K_SERVER_ROOM, 0},
    {"adk", K_ACCESS, W_START | W_END},
    {"adgangskontroll", K_ACCESS, 0},
    {"kortleser", K_ACCESS, 0},
    {"card reader", K_ACCESS, 0},
    {"cardreader", K_ACCESS, 0},
    {"badge reader", K_ACCESS, 0},
    {"access control", K_ACCESS, 0},
    {"access reader", K_ACCESS, 0},
    {"kodelås", K_ACCESS, 0},
    {"kodetastatur", K_ACCESS, 0},
    {"kamera", K_CAMERA, 0},
    {"camera", K_CAMERA, 0},
    {"cctv", K_CAMERA, 0},
    {"videoovervåk", K_CAMERA, 0},
    {"video surveillance", K_CAMERA, 0},
    {"innbruddsalarm", K_ALARM, 0},
    {"alarmpanel", K_ALARM, 0},
    {"alarm panel", K_ALARM, 0},
    {"intruder alarm", K_ALARM, 0},
    {"burglar alarm", K_ALARM, 0},
    {"alarmsentral", K_ALARM, 0},
    {"sentralapparat", K_ALARM, 0},
    {"betjeningspanel", K_ALARM, 0},
    {"bevegelsesdetektor", K_ALARM, 0},
    {"bevegelsessensor", K_ALARM, 0},
    {"motion detector", K_ALARM, 0},
    {"pir", K_ALARM, W_START | W_END},
    {"nøkkelboks", K_KEYS, 0},
    {"nøkkelsafe", K_KEYS, 0},
    {"nøkkelskap", K_KEYS, 0},
    {"key box", K_KEYS, 0},
    {"keybox", K_KEYS, 0},
    {"key safe", K_KEYS, 0},
    {"key cabinet", K_KEYS, 0},
    {"nøkkelsystem", K_KEYS, 0},
    {"systemnøkkel", K_KEYS, 0},
    /* longer words that contain a keyword but are something else */
    {"light switch", K_NONE, 0},
    {"lysbryter", K_NONE, 0},
    {"switchboard", K_NONE, 0},
    {"fire alarm", K_NONE, 0},
    {"brannalarm", K_NONE, 0},
    {"brannsentral", K_NONE, 0},
    {"brannalarmsentral", K_NONE, 0},
    {"fire alarm panel", K_NONE, 0},
    {"service", K_NONE, 0},
    {"servernett", K_NONE, 0},
    {"server network", K_NONE, 0},
    {"server subnet", K_NONE, 0},
    {"serverløsning", K_NONE, 0},
    {"servering", K_NONE, 0},
    {"skriverom", K_NONE, 0},
};

#define NKEYWORDS (sizeof keywords / sizeof keywords[0])
#define LABEL_MAX 256u   /* bytes of a label looked at */
#define MAX_PAGES 10000u /* hostile input: pages tracked; later ones are not */
#define ADDR_SHOWN 4u    /* addresses named in a verdict's detail */
#define LINKS_SHOWN 4u   /* joins named in a verdict's detail */
#define LINK_LABEL 48u   /* bytes of each end's label in a join */
#define MAX_IDS 200000u  /* hostile input: shapes by id and connectors by ids kept per document */
#define ID_BYTES 128u    /* longer ids are cut (both where defined and where referred to) */

/* English names of the kinds in a verdict's detail: singular, plural. */
static const char *const kind_name[K_COUNT_][2] = {
    [K_FIREWALL] = {"firewall", "firewalls"},
    [K_ROUTER] = {"router", "routers"},
    [K_SWITCH] = {"switch", "switches"},
    [K_SERVER] = {"server", "servers"},
    [K_WIRELESS] = {"wireless access point", "wireless access points"},
    [K_LOADBAL] = {"load balancer", "load balancers"},
    [K_VPN] = {"VPN gateway", "VPN gateways"},
    [K_STORAGE] = {"storage system", "storage systems"},
    [K_IDS] = {"intrusion detection system", "intrusion detection systems"},
    [K_MODEM] = {"modem", "modems"},
    [K_CLIENT] = {"client", "clients"},
    [K_PRINTER] = {"printer", "printers"},
    [K_PHONE] = {"phone", "phones"},
    [K_WAN] = {"internet/WAN link", "internet/WAN links"},
    [K_SERVER_ROOM] = {"server room", "server rooms"},
    [K_ACCESS] = {"access-control reader", "access-control readers"},
    [K_CAMERA] = {"camera", "cameras"},
    [K_ALARM] = {"alarm panel or detector", "alarm panels or detectors"},
    [K_KEYS] = {"key box", "key boxes"},
};

/* A shape by id, for the connectors that refer to it. */
typedef struct id_node {
    const char *id, *name; /* arena; id NULL = empty slot */
} id_node;

/* A connector by the ids of its ends (NULL: not glued). */
typedef struct id_edge {
    const char *from, *to;
} id_edge;

typedef struct sig_page {
    struct sig_page *next;
    unsigned page;
    const char *name;
    uint32_t kind[K_COUNT_];
    size_t connectors;
    const char *links[LINKS_SHOWN]; /* "a - b": joins between network elements, first seen */
    size_t nlinks;                  /* all distinct such joins */
    id_node *nodes;                 /* arena, open addressing; cap a power of two */
    size_t nnodes, cap_nodes;
    id_edge *edges; /* arena */
    size_t nedges, cap_edges;
} sig_page;

struct ts_signals {
    sig_page *head, *last;
    size_t npages;
    size_t ids; /* nodes and edges kept, all pages (MAX_IDS) */
    bool indexed;
    unsigned short first[256], end[256]; /* keywords by first byte: order[first[c], end[c]) */
    unsigned short order[NKEYWORDS];
};

static struct ts_signals *signals_of(ts_doc *doc)
{
    if (doc->signals == NULL) {
        doc->signals = ts_doc_alloc(doc, sizeof(*doc->signals));
        if (doc->signals != NULL)
            memset(doc->signals, 0, sizeof(*doc->signals));
    }
    return doc->signals;
}

static sig_page *page_of(ts_doc *doc, unsigned page)
{
    struct ts_signals *s = signals_of(doc);
    if (s == NULL)
        return NULL;
    if (s->last && s->last->page == page)
        return s->last;
    for (sig_page *p = s->head; p; p = p->next) {
        if (p->page == page) {
            s->last = p;
            return p;
        }
    }
    if (s->npages >= MAX_PAGES)
        return NULL;
    sig_page *p = ts_doc_alloc(doc, sizeof(*p));
    if (p == NULL)
        return NULL;
    memset(p, 0, sizeof(*p));
    p->page = page;
    /* keep pages in order of first report: append */
    if (s->head == NULL) {
        s->head = p;
    } else {
        sig_page *t = s->head;
        while (t->next)
            t = t->next;
        t->next = p;
    }
    s->npages++;
    s->last = p;
    return p;
}

/* Index the keywords by their first byte, once per document (cheap: a hundred entries). */
static void build_index(struct ts_signals *s)
{
    size_t n = 0;
    for (unsigned c = 0; c < 256; c++) {
        s->first[c] = (unsigned short)n;
        for (size_t k = 0; k < NKEYWORDS; k++)
            if ((unsigned char)keywords[k].word[0] == c)
                s->order[n++] = (unsigned short)k;
        s->end[c] = (unsigned short)n;
    }
    s->indexed = true;
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* Lowercase ASCII and two-byte Latin-1 capitals (U+00C0-U+00DE but ×), separators to spaces. */
static size_t normalise(const char *in, size_t len, unsigned char *out)
{
    size_t n = 0;
    bool space = true;
    for (size_t i = 0; i < len && n < LABEL_MAX; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c + 32);
        } else if (c == 0xC3 && i + 1 < len && n + 1 < LABEL_MAX) {
            unsigned char d = (unsigned char)in[i + 1];
            if (d >= 0x80 && d <= 0x9E && d != 0x97)
                d = (unsigned char)(d + 0x20);
            out[n++] = c;
            out[n++] = d;
            i++;
            space = false;
            continue;
        } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c < 0x80) {
            if (!space)
                out[n++] = ' ';
            space = true;
            continue;
        }
        out[n++] = c;
        space = false;
    }
    return n;
}

/* The kind of a label: the longest keyword found, K_NONE when none. */
static enum kind classify(struct ts_signals *s, const char *label, size_t len)
{
    unsigned char t[LABEL_MAX];
    size_t n = normalise(label, len, t);
    size_t best_len = 0;
    enum kind best = K_NONE;
    if (!s->indexed)
        build_index(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        for (unsigned j = s->first[c]; j < s->end[c]; j++) {
            const keyword *k = &keywords[s->order[j]];
            size_t kl = strlen(k->word);
            if (kl <= best_len || kl > n - i || memcmp(t + i, k->word, kl) != 0)
                continue;
            if ((k->flags & W_START) && i > 0 && is_letter(t[i - 1]))
                continue;
            if (k->flags & W_END) {
                size_t e = i + kl, tail = 0;
                while (e + tail < n && is_letter(t[e + tail]))
                    tail++;
                if (tail > 3)
                    continue; /* not an ending: another word ("ruteplan") */
            }
            best_len = kl;
            best = (enum kind)k->kind;
        }
    }
    return best;
}

ts_status ts_doc_shape(ts_doc *doc, const ts_loc *loc, const char *label, size_t len)
{
    if (label == NULL || len == 0)
        return TS_OK;
    sig_page *p = page_of(doc, loc ? loc->page : 0);
    if (p == NULL)
        return doc->signals == NULL ? TS_ENOMEM : TS_OK;
    enum kind k = classify(doc->signals, label, len);
    if (k != K_NONE && p->kind[k] < UINT32_MAX)
        p->kind[k]++;
    return TS_OK;
}

ts_label_kind ts_doc_label_kind(ts_doc *doc, const char *label, size_t len)
{
    if (label == NULL || len == 0 || signals_of(doc) == NULL)
        return TS_LABEL_NONE;
    enum kind k = classify(doc->signals, label, len);
    if (k >= FIRST_DEVICE && k <= LAST_DEVICE)
        return TS_LABEL_DEVICE;
    if (k >= FIRST_OTHER && k <= LAST_OTHER)
        return TS_LABEL_NETWORK;
    if (k >= FIRST_FACILITY && k <= LAST_FACILITY)
        return TS_LABEL_SECURITY;
    return TS_LABEL_NONE;
}

ts_status ts_doc_connectors(ts_doc *doc, const ts_loc *loc, size_t n)
{
    if (n == 0)
        return TS_OK;
    sig_page *p = page_of(doc, loc ? loc->page : 0);
    if (p == NULL)
        return doc->signals == NULL ? TS_ENOMEM : TS_OK;
    p->connectors = n > SIZE_MAX - p->connectors ? SIZE_MAX : p->connectors + n;
    return TS_OK;
}

/* A label on one line (line breaks and runs of blanks made one space), cut to LINK_LABEL bytes
 * on a character boundary; written to `out`, its length returned. */
static size_t link_label(const char *s, size_t len, char out[LINK_LABEL + 1])
{
    size_t n = 0, i = 0;
    bool blank = true; /* drops leading blanks */
    for (; i < len && n < LINK_LABEL; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!blank)
                out[n++] = ' ';
            blank = true;
            continue;
        }
        out[n++] = (char)c;
        blank = false;
    }
    if (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) {
        /* cut inside a UTF-8 sequence: drop its start too */
        while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0)
            n--;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n;
}

static bool is_network(enum kind k)
{
    return k >= FIRST_DEVICE && k <= LAST_OTHER;
}

ts_status ts_doc_link(ts_doc *doc, const ts_loc *loc, const char *a, size_t alen, const char *b,
                      size_t blen)
{
    ts_status st = ts_doc_connectors(doc, loc, 1);
    if (st != TS_OK || a == NULL || b == NULL)
        return st;
    char la[LINK_LABEL + 1], lb[LINK_LABEL + 1];
    alen = link_label(a, alen, la);
    blen = link_label(b, blen, lb);
    sig_page *p = page_of(doc, loc ? loc->page : 0);
    if (p == NULL || alen == 0 || blen == 0)
        return p == NULL && doc->signals == NULL ? TS_ENOMEM : TS_OK;
    /* a join names something only when one of its ends is a network element */
    if (!is_network(classify(doc->signals, la, alen)) &&
        !is_network(classify(doc->signals, lb, blen)))
        return TS_OK;
    char join[2 * LINK_LABEL + 4], back[2 * LINK_LABEL + 4];
    snprintf(join, sizeof join, "%s - %s", la, lb);
    snprintf(back, sizeof back, "%s - %s", lb, la);
    for (size_t i = 0; i < p->nlinks && i < LINKS_SHOWN; i++)
        if (strcmp(p->links[i], join) == 0 || strcmp(p->links[i], back) == 0)
            return TS_OK; /* the same two shapes joined twice (or both ways) */
    if (p->nlinks < LINKS_SHOWN && (p->links[p->nlinks] = ts_doc_strdup(doc, join)) == NULL)
        return TS_ENOMEM;
    p->nlinks++;
    return TS_OK;
}

static uint64_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static id_node *node_slot(id_node *v, size_t cap, const char *id)
{
    size_t mask = cap - 1;
    for (size_t i = (size_t)id_hash(id) & mask;; i = (i + 1) & mask)
        if (v[i].id == NULL || strcmp(v[i].id, id) == 0)
            return &v[i];
}

/* An id as kept: at most ID_BYTES, in the arena. */
static char *id_copy(ts_doc *doc, const char *id)
{
    return ts_doc_strndup(doc, id, strnlen(id, ID_BYTES));
}

ts_status ts_doc_shape_id(ts_doc *doc, const ts_loc *loc, const char *id, const char *label,
                          size_t len, const char *name, size_t name_len)
{
    ts_status st = ts_doc_shape(doc, loc, label, len);
    if (name == NULL || name_len == 0) {
        name = label;
        name_len = len;
    }
    if (st != TS_OK || id == NULL || *id == '\0' || name == NULL || name_len == 0)
        return st;
    sig_page *p = page_of(doc, loc ? loc->page : 0);
    if (p == NULL || doc->signals->ids >= MAX_IDS)
        return p == NULL && doc->signals == NULL ? TS_ENOMEM : TS_OK;
    if ((p->nnodes + 1) * 2 > p->cap_nodes) { /* grow: the old table stays in the arena */
        size_t cap = p->cap_nodes ? p->cap_nodes * 2 : 64;
        id_node *v = ts_doc_alloc(doc, cap * sizeof(*v));
        if (v == NULL)
            return TS_ENOMEM;
        memset(v, 0, cap * sizeof(*v));
        for (size_t i = 0; i < p->cap_nodes; i++)
            if (p->nodes[i].id)
                *node_slot(v, cap, p->nodes[i].id) = p->nodes[i];
        p->nodes = v;
        p->cap_nodes = cap;
    }
    char *key = id_copy(doc, id);
    if (key == NULL)
        return TS_ENOMEM;
    id_node *slot = node_slot(p->nodes, p->cap_nodes, key);
    if (slot->id != NULL)
        return TS_OK; /* an id given twice: the first shape keeps it */
    char *n = ts_doc_strndup(doc, name, name_len < LINK_LABEL * 2 ? name_len : LINK_LABEL * 2);
    if (n == NULL)
        return TS_ENOMEM;
    *slot = (id_node){.id = key, .name = n};
    p->nnodes++;
    doc->signals->ids++;
    return TS_OK;
}

ts_status ts_doc_edge(ts_doc *doc, const ts_loc *loc, const char *from, const char *to)
{
    sig_page *p = page_of(doc, loc ? loc->page : 0);
    if (p == NULL)
        return doc->signals == NULL ? TS_ENOMEM : TS_OK;
    if (from == NULL || to == NULL || *from == '\0' || *to == '\0' || doc->signals->ids >= MAX_IDS)
        return ts_doc_connectors(doc, loc, 1); /* nothing to name it by */
    if (p->nedges == p->cap_edges) {
        size_t cap = p->cap_edges ? p->cap_edges * 2 : 32;
        id_edge *v = ts_doc_alloc(doc, cap * sizeof(*v));
        if (v == NULL)
            return TS_ENOMEM;
        if (p->nedges)
            memcpy(v, p->edges, p->nedges * sizeof(*v));
        p->edges = v;
        p->cap_edges = cap;
    }
    id_edge e = {.from = id_copy(doc, from), .to = id_copy(doc, to)};
    if (e.from == NULL || e.to == NULL)
        return TS_ENOMEM;
    p->edges[p->nedges++] = e;
    doc->signals->ids++;
    return TS_OK;
}

/* The page's connectors by ids: named when both ends are known shapes, else counted. */
static ts_status resolve_edges(ts_doc *doc, sig_page *p)
{
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = p->page};
    size_t loose = 0;
    for (size_t i = 0; i < p->nedges; i++) {
        const id_node *a = p->nodes ? node_slot(p->nodes, p->cap_nodes, p->edges[i].from) : NULL;
        const id_node *b = p->nodes ? node_slot(p->nodes, p->cap_nodes, p->edges[i].to) : NULL;
        if (a == NULL || b == NULL || a->id == NULL || b->id == NULL || a == b) {
            loose++;
            continue;
        }
        ts_status st = ts_doc_link(doc, &loc, a->name, strlen(a->name), b->name, strlen(b->name));
        if (st != TS_OK)
            return st;
    }
    p->nedges = 0;
    return ts_doc_connectors(doc, &loc, loose);
}

ts_status ts_doc_page_name(ts_doc *doc, unsigned page, const char *name)
{
    if (name == NULL || *name == '\0')
        return TS_OK;
    sig_page *p = page_of(doc, page);
    if (p == NULL)
        return doc->signals == NULL ? TS_ENOMEM : TS_OK;
    if (p->name == NULL && (p->name = ts_doc_strdup(doc, name)) == NULL)
        return TS_ENOMEM;
    return TS_OK;
}

/* ---- the verdict ---------------------------------------------------------------------------- */

/* A bounded text builder for the detail. */
typedef struct text {
    char buf[768];
    size_t len;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    if (t->len >= sizeof t->buf - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n < sizeof t->buf - t->len ? (size_t)n : sizeof t->buf - 1 - t->len;
}

static uint32_t sum(const sig_page *p, int from, int to)
{
    uint32_t n = 0;
    for (int k = from; k <= to; k++)
        n += p->kind[k];
    return n;
}

/* "firewall, 2 switches" */
static void put_kinds(text *t, const sig_page *p, int from, int to)
{
    bool first = true;
    for (int k = from; k <= to; k++) {
        if (p->kind[k] == 0)
            continue;
        if (p->kind[k] == 1)
            put(t, "%s%s", first ? "" : ", ", kind_name[k][0]);
        else
            put(t, "%s%u %s", first ? "" : ", ", (unsigned)p->kind[k], kind_name[k][1]);
        first = false;
    }
}

/* Network findings in the page's text (not the file name, not document properties). */
static bool counts_as_address(const ts_finding *f, unsigned page)
{
    return f->category == TS_CAT_NETWORK && f->page == page && f->where != TS_WHERE_FILENAME &&
           f->where != TS_WHERE_METADATA;
}

/* Distinct addresses/VLANs of the page; the first ADDR_SHOWN go into `t`. */
static size_t addresses(const ts_doc *doc, unsigned page, text *t)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nfindings; i++) {
        const ts_finding *f = doc->findings[i];
        if (!counts_as_address(f, page))
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const ts_finding *g = doc->findings[j];
            seen = counts_as_address(g, page) && g->rule == f->rule &&
                   strcmp(g->fingerprint, f->fingerprint) == 0;
        }
        if (seen)
            continue;
        n++;
        if (t == NULL)
            continue;
        bool vlan = strcmp(ts_rule_id(f->rule), "network.vlan") == 0;
        if (n <= ADDR_SHOWN)
            put(t, "%s%s%s", n == 1 ? "" : ", ", vlan ? "VLAN " : "", f->value);
    }
    if (t && n > ADDR_SHOWN)
        put(t, " (+%zu more)", n - ADDR_SHOWN);
    return n;
}

static const char *page_label(ts_doc *doc, const sig_page *p)
{
    if (p->name)
        return p->name;
    if (p->page > 0)
        return ts_doc_printf(doc, "page %u", p->page);
    /* the whole document: its own name, so that accepting one verdict accepts no other (a
     * member's whole name, '!' and folders in it included) */
    return doc->path + doc->name_off;
}

static ts_status network_verdict(ts_doc *doc, const sig_page *p)
{
    uint32_t devices = sum(p, FIRST_DEVICE, LAST_DEVICE);
    uint32_t others = sum(p, FIRST_OTHER, LAST_OTHER);
    if (devices < 2)
        return TS_OK;
    size_t addr = addresses(doc, p->page, NULL);
    /* several devices joined by connectors, or devices with their addressing */
    bool linked = devices + others >= 3 && p->connectors >= 2;
    if (!linked && addr == 0)
        return TS_OK;
    text t = {.len = 0};
    put(&t, "%u network devices (", (unsigned)devices);
    put_kinds(&t, p, FIRST_DEVICE, LAST_DEVICE);
    put(&t, ")");
    if (others > 0) {
        put(&t, ", %u other network elements (", (unsigned)others);
        put_kinds(&t, p, FIRST_OTHER, LAST_OTHER);
        put(&t, ")");
    }
    if (p->connectors > 0)
        put(&t, ", %zu connector%s", p->connectors, p->connectors == 1 ? "" : "s");
    if (addr > 0) {
        put(&t, ", network details ");
        addresses(doc, p->page, &t);
    }
    /* last: the longest part, and the one a cut-off detail can best do without */
    for (size_t i = 0; i < p->nlinks && i < LINKS_SHOWN; i++)
        put(&t, "%s%s", i == 0 ? "; connected: " : ", ", p->links[i]);
    if (p->nlinks > LINKS_SHOWN)
        put(&t, " (+%zu more)", p->nlinks - LINKS_SHOWN);
    const char *name = page_label(doc, p);
    if (name == NULL)
        return TS_ENOMEM;
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = p->page, .part = p->name};
    return ts_doc_flag(doc, "diagram.network", &loc, name, t.buf);
}

static ts_status facility_verdict(ts_doc *doc, const sig_page *p)
{
    uint32_t elements = sum(p, FIRST_FACILITY, LAST_FACILITY), kinds = 0, most = 0;
    for (int k = FIRST_FACILITY; k <= LAST_FACILITY; k++) {
        kinds += p->kind[k] > 0;
        if (k != K_SERVER_ROOM && p->kind[k] > most)
            most = p->kind[k];
    }
    /* two kinds of security element, or one kind placed three times (a camera plan) */
    if (kinds < 2 && most < 3)
        return TS_OK;
    text t = {.len = 0};
    put(&t, "%u security element%s (", (unsigned)elements, elements == 1 ? "" : "s");
    put_kinds(&t, p, FIRST_FACILITY, LAST_FACILITY);
    put(&t, ")");
    const char *name = page_label(doc, p);
    if (name == NULL)
        return TS_ENOMEM;
    ts_loc loc = {.where = TS_WHERE_DRAWING, .page = p->page, .part = p->name};
    return ts_doc_flag(doc, "facility.security-floor-plan", &loc, name, t.buf);
}

ts_status ts_checks_run(ts_doc *doc)
{
    ts_status st = TS_OK;
    if (doc->signals == NULL)
        return TS_OK;
    for (sig_page *p = doc->signals->head; p && st == TS_OK; p = p->next) {
        st = resolve_edges(doc, p);
        if (st == TS_OK)
            st = network_verdict(doc, p);
        if (st == TS_OK)
            st = facility_verdict(doc, p);
    }
    return st;
}

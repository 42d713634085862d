/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Extractor modules: readers whose libraries are loaded by the first document that needs them. */
#include "extract/extract.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect/rules.h"

#ifndef TS_MODULE_DIR
#define TS_MODULE_DIR "/usr/local/lib/tenderscan"
#endif

#define MAX_MODULES 4

typedef struct slot {
    const char *name; /* the extractor's `module`; NULL = free slot */
    void *handle;
    const struct ts_module *entry; /* NULL when loading failed: `why` says why */
    char why[240];
} slot;

struct ts_modules {
    pthread_mutex_t lock;
    slot slots[MAX_MODULES];
};

struct ts_modules *ts_modules_new(void)
{
    struct ts_modules *m = ts_calloc(1, sizeof(*m));
    if (m != NULL && pthread_mutex_init(&m->lock, NULL) != 0) {
        ts_free(m);
        m = NULL;
    }
    return m;
}

void ts_modules_free(struct ts_modules *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < MAX_MODULES; i++)
        if (m->slots[i].handle != NULL)
            dlclose(m->slots[i].handle); /* opened RTLD_NODELETE: GLib types stay registered */
    pthread_mutex_destroy(&m->lock);
    ts_free(m);
}

/* The directory of the running program ("" when unknown), for a module beside it. */
static void program_dir(char *out, size_t size)
{
    out[0] = '\0';
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    if (n <= 0)
        return;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (slash == NULL)
        out[0] = '\0';
    else
        *slash = '\0';
}

/*
 * Open tenderscan-<name>.so from, in order: $TENDERSCAN_MODULE_DIR, the program's own directory
 * (the build tree, or a program unpacked anywhere with its modules), and the installed module
 * directory. Returns the handle, or NULL with the last loader message in `why`.
 */
static void *open_module(const char *name, char *why, size_t size)
{
    char dirs[3][512];
    const char *env = getenv("TENDERSCAN_MODULE_DIR");
    snprintf(dirs[0], sizeof dirs[0], "%s", env ? env : "");
    program_dir(dirs[1], sizeof dirs[1]);
    snprintf(dirs[2], sizeof dirs[2], "%s", TS_MODULE_DIR);
    snprintf(why, size, "tenderscan-%s.so was not found", name);
    for (size_t i = 0; i < 3; i++) {
        if (dirs[i][0] == '\0')
            continue;
        char path[600];
        int n = snprintf(path, sizeof path, "%s/tenderscan-%.32s.so", dirs[i], name);
        if (n < 0 || (size_t)n >= sizeof path || access(path, R_OK) != 0)
            continue;
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (h != NULL)
            return h;
        const char *e = dlerror();
        snprintf(why, size, "%.200s", e ? e : path);
    }
    return NULL;
}

/* Load tenderscan-<name>.so, or take `linked` when the program has the module built in. */
static void load(slot *s, const char *name, const struct ts_module *linked)
{
    const struct ts_module *e = linked;
    if (e == NULL) {
        s->handle = open_module(name, s->why, sizeof s->why);
        if (s->handle == NULL)
            return;
        char sym[64];
        snprintf(sym, sizeof sym, "ts_module_%s", name);
        e = dlsym(s->handle, sym);
        if (e == NULL) {
            snprintf(s->why, sizeof s->why, "tenderscan-%s.so has no %s", name, sym);
            return;
        }
    }
    if (e->abi != TS_MODULE_ABI || e->version == NULL || strcmp(e->version, TS_VERSION) != 0 ||
        (e->extract == NULL && e->ocr == NULL)) {
        snprintf(s->why, sizeof s->why, "tenderscan-%s.so is from another build (version %s)", name,
                 e->version ? e->version : "?");
        return;
    }
    ts_status st = e->init ? e->init() : TS_OK;
    if (st != TS_OK) {
        snprintf(s->why, sizeof s->why, "tenderscan-%s.so did not start: %s", name,
                 ts_strerror(st));
        return;
    }
    s->entry = e;
}

/* The loaded entry of `name`, or NULL with the reason copied to `why`. */
static const struct ts_module *get(struct ts_modules *m, const char *name,
                                   const struct ts_module *linked, char *why, size_t size)
{
    const struct ts_module *e = NULL;
    snprintf(why, size, "no module table");
    if (m == NULL)
        return NULL;
    pthread_mutex_lock(&m->lock);
    slot *s = NULL;
    for (size_t i = 0; i < MAX_MODULES && s == NULL; i++) {
        if (m->slots[i].name == NULL) {
            s = &m->slots[i];
            s->name = name;
            load(s, name, linked); /* once: a module that failed to load is not retried */
        } else if (strcmp(m->slots[i].name, name) == 0) {
            s = &m->slots[i];
        }
    }
    if (s != NULL) {
        e = s->entry;
        snprintf(why, size, "%s", s->why);
    }
    pthread_mutex_unlock(&m->lock);
    return e;
}

ts_status ts_extractor_run(const struct ts_extractor *ex, ts_doc *doc, const ts_input *in)
{
    if (ex->module == NULL)
        return ex->extract(doc, in);
    if (ex->linked != NULL)
        return ex->linked->extract(doc, in);
    char why[240];
    const struct ts_module *e = get(doc->ctx->modules, ex->module, NULL, why, sizeof why);
    if (e == NULL) {
        ts_doc_fail(doc, TS_EUNSUPPORTED, "%s support is not installed: %s", ex->name, why);
        return TS_OK;
    }
    return e->extract(doc, in);
}

const struct ts_module *ts_module_get(const ts_doc *doc, const char *name,
                                      const struct ts_module *linked, char *why, size_t size)
{
    return get(doc->ctx->modules, name, linked, why, size);
}

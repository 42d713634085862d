/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organisation's fingerprint key: --fingerprint-key FILE, or one made once in the config
 * folder. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES 32 /* what a new key gets: 256 bits from getrandom */

/* The NUL-terminated concatenation of a, b and c (malloc'd), or NULL. */
static char *join3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/*
 * Read a key file into buf (TS_FINGERPRINT_KEY_MAX bytes): its bytes as they are, nothing
 * trimmed, so the file is the key wherever it is copied. 0, -1 with errno from open (nothing
 * printed), or EXIT_USAGE after printing why the file is not a key.
 */
static int read_key(const char *path, unsigned char *buf, size_t *len, bool quiet, ts_lang lang)
{
    bool nb = lang == TS_LANG_NB;
    /* O_NONBLOCK: a FIFO given as the key must not hang the run */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat sb;
    int rc = EXIT_USAGE;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        cli_error(nb ? "fingeravtrykksnøkkelen %s er ikke en vanlig fil"
                     : "the fingerprint key %s is not a regular file",
                  path);
        goto out;
    }
    if (sb.st_size < TS_FINGERPRINT_KEY_MIN || sb.st_size > TS_FINGERPRINT_KEY_MAX) {
        cli_error(nb ? "fingeravtrykksnøkkelen %s har %lld byte; en nøkkel har %d til %d (en ny "
                       "får %d tilfeldige): bruk den riktige filen, eller slett den for å få en "
                       "ny (da endres alle fingeravtrykk)"
                     : "the fingerprint key %s holds %lld bytes; a key has %d to %d (a new one "
                       "gets %d random bytes): use the right file, or delete it to get a new one "
                       "(every fingerprint then changes)",
                  path, (long long)sb.st_size, TS_FINGERPRINT_KEY_MIN, TS_FINGERPRINT_KEY_MAX,
                  KEY_BYTES);
        goto out;
    }
    /* someone else's key: they could have fixed it to test guesses of masked values */
    if (sb.st_mode & S_IWOTH) {
        cli_error(nb ? "fingeravtrykksnøkkelen %s kan endres av alle på maskinen, så den kan ikke "
                       "brukes: chmod o-w %s, og sjekk at det er den riktige nøkkelen"
                     : "the fingerprint key %s can be changed by anyone on this machine, so it "
                       "cannot be used: chmod o-w %s, and check that it is the right key",
                  path, path);
        goto out;
    }
    if ((sb.st_mode & S_IROTH) && !quiet)
        cli_error(nb ? "advarsel: alle på maskinen kan lese fingeravtrykksnøkkelen %s; med den "
                       "og en rapport kan de prøve gjetninger på maskerte verdier (chmod o-r %s; "
                       "del den med teamet ditt gjennom en gruppe)"
                     : "warning: anyone on this machine can read the fingerprint key %s; with it "
                       "and a report they can test guesses of masked values (chmod o-r %s; share "
                       "it with your team through a group)",
                  path, path);
    size_t want = (size_t)sb.st_size, got = 0;
    int err = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            err = errno;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got != want) {
        cli_error(nb ? "fingeravtrykksnøkkelen %s kunne ikke leses: %s"
                     : "the fingerprint key %s could not be read: %s",
                  path,
                  err  ? strerror(err)
                  : nb ? "den endret seg mens den ble lest"
                       : "it changed while it was read");
        goto out;
    }
    *len = got;
    rc = 0;
out:
    close(fd);
    return rc;
}

/* mkdir that is content with a folder already there. */
static int make_dir(const char *path)
{
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/*
 * Write a new random key to `path` unless one is there already. The key goes to a private
 * temporary file first and is linked to its name only when complete: link fails when the name
 * exists, so two first runs at the same moment end with one key, and nobody ever reads half a
 * key. 1 made, 0 someone else's was there, -1 (errno) failed.
 */
static int make_key(const char *dir, const char *path)
{
    unsigned char key[KEY_BYTES];
    size_t got = 0;
    while (got < sizeof key) {
        ssize_t n = getrandom(key + got, sizeof key - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    char *tmp = join3(dir, "/.fingerprint.key.", "XXXXXX");
    if (tmp == NULL)
        return -1;
    int rc = -1, err = 0;
    int fd = mkstemp(tmp); /* O_CREAT | O_EXCL, mode 0600 */
    if (fd < 0) {
        err = errno;
        goto out;
    }
    bool ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
    err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && link(tmp, path) == 0)
        rc = 1;
    else if (ok && errno == EEXIST)
        rc = 0;
    else if (ok)
        err = errno;
    unlink(tmp);
    if (rc == 1) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd); /* the new name survives a crash */
            close(dfd);
        }
    }
out:
    explicit_bzero(key, sizeof key);
    free(tmp);
    errno = err;
    return rc;
}

/* The default key file ($XDG_CONFIG_HOME or ~/.config, then tenderscan/fingerprint.key) and its
 * folders. EXIT_USAGE (printed) when there is no home to put it in. */
static int default_paths(char **base, char **dir, char **path, ts_lang lang)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    /* XDG Base Directory: a relative XDG_CONFIG_HOME is invalid and ignored */
    if (xdg != NULL && xdg[0] == '/')
        *base = join3(xdg, "", "");
    else if (home != NULL && home[0] == '/')
        *base = join3(home, "/", ".config");
    else {
        cli_error(lang == TS_LANG_NB
                      ? "fant ingen mappe til fingeravtrykksnøkkelen (verken HOME eller "
                        "XDG_CONFIG_HOME peker på en): gi en nøkkelfil med --fingerprint-key FIL"
                      : "there is no folder for the fingerprint key (neither HOME nor "
                        "XDG_CONFIG_HOME names one): give a key file with --fingerprint-key FILE");
        return EXIT_USAGE;
    }
    *dir = *base ? join3(*base, "/", "tenderscan") : NULL;
    *path = *dir ? join3(*dir, "/", "fingerprint.key") : NULL;
    if (*path == NULL) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    return 0;
}

int cli_fpkey_apply(ts_ctx *ctx, const char *file, bool quiet, ts_lang lang)
{
    bool nb = lang == TS_LANG_NB;
    unsigned char key[TS_FINGERPRINT_KEY_MAX];
    size_t len = 0;
    char *base = NULL, *dir = NULL, *path = NULL;
    int rc = EXIT_USAGE;
    if (file != NULL) {
        rc = read_key(file, key, &len, quiet, lang);
        if (rc < 0) {
            cli_error(nb ? "fingeravtrykksnøkkelen %s kunne ikke åpnes: %s"
                         : "the fingerprint key %s could not be opened: %s",
                      file, strerror(errno));
            rc = EXIT_USAGE;
        }
        goto set;
    }
    if ((rc = default_paths(&base, &dir, &path, lang)) != 0)
        goto out;
    rc = read_key(path, key, &len, quiet, lang);
    if (rc < 0 && errno == ENOENT) {
        int made = make_dir(base) == 0 && make_dir(dir) == 0 ? make_key(dir, path) : -1;
        if (made < 0) {
            cli_error(nb ? "kunne ikke lage fingeravtrykksnøkkelen %s: %s (gi en nøkkelfil med "
                           "--fingerprint-key FIL)"
                         : "could not make the fingerprint key %s: %s (give a key file with "
                           "--fingerprint-key FILE)",
                      path, strerror(errno));
            rc = EXIT_USAGE;
            goto out;
        }
        if (made == 1 && !quiet)
            cli_error(nb ? "en ny fingeravtrykksnøkkel ble laget i %s: ta vare på den, og gi den "
                           "samme filen til alle som skal dele ignorer-filer og rapporter med "
                           "deg (--fingerprint-key FIL)"
                         : "a new fingerprint key was made in %s: keep it, and give the same file "
                           "to everyone who shares ignore files and reports with you "
                           "(--fingerprint-key FILE)",
                      path);
        rc = read_key(path, key, &len, quiet, lang);
    }
    if (rc < 0) {
        cli_error(nb ? "fingeravtrykksnøkkelen %s kunne ikke leses: %s (gi en nøkkelfil med "
                       "--fingerprint-key FIL)"
                     : "the fingerprint key %s could not be read: %s (give a key file with "
                       "--fingerprint-key FILE)",
                  path, strerror(errno));
        rc = EXIT_USAGE;
    }
set:
    if (rc == 0 && ts_ctx_set_fingerprint_key(ctx, key, len) != TS_OK) {
        cli_error("out of memory");
        rc = EXIT_USAGE;
    }
out:
    explicit_bzero(key, sizeof key);
    free(base);
    free(dir);
    free(path);
    return rc;
}

/* ---- merge: were the inputs made with one key? ------------------------------------------- */

void cli_keys_note(cli_keys *k, const ts_doc *doc)
{
    if (ts_doc_finding_count(doc) == 0)
        return; /* no fingerprint to disagree about */
    const char *id = ts_doc_fingerprint_key_id(doc);
    if (id == NULL) {
        k->plain++;
        return;
    }
    for (size_t i = 0; i < k->nids && i < CLI_KEYS_SHOWN; i++)
        if (strcmp(k->ids[i], id) == 0)
            return;
    if (k->nids < CLI_KEYS_SHOWN)
        snprintf(k->ids[k->nids], sizeof k->ids[k->nids], "%s", id);
    k->nids++;
}

void cli_keys_warn(const cli_keys *k, bool quiet, ts_lang lang)
{
    bool nb = lang == TS_LANG_NB;
    if (quiet)
        return;
    if (k->plain > 0)
        cli_error(nb ? "%zu dokumenter med funn kommer fra en eldre rapport (tenderscan-report/1): "
                       "fingeravtrykkene deres er vanlig SHA-256 og passer verken med de andre "
                       "eller med ignorer-filer laget siden; skann dem på nytt"
                     : "%zu documents with findings come from an older report "
                       "(tenderscan-report/1): their fingerprints are plain SHA-256 and match "
                       "neither the others nor ignore files made since; scan them again",
                  k->plain);
    if (k->nids > 1)
        cli_error(nb ? "inndataene ble skannet med %zu ulike fingeravtrykksnøkler (%s, %s …): "
                       "samme verdi har ulikt fingeravtrykk i hver, så ignorer-filer passer bare "
                       "for en del av rapporten; gi alle skanningene samme --fingerprint-key FIL"
                     : "the inputs were scanned with %zu different fingerprint keys (%s, %s …): "
                       "the same value has a different fingerprint in each, so ignore files fit "
                       "only part of the report; give every scan the same --fingerprint-key FILE",
                  k->nids, k->ids[0], k->ids[1]);
}

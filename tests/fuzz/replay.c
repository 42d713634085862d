/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A libFuzzer target without libFuzzer: linked with fuzz_scan.c or fuzz_readback.c in the normal
 * (GCC, ASan/UBSan) test build, it feeds every file named on the command line, or found in a
 * folder named there (recursively, in name order), to LLVMFuzzerTestOneInput, as the fuzzer would.
 * ctest replays tests/fuzz/regressions/ (the crashers tools/test.sh kept) and samples/ this way, so
 * a fixed crash stays fixed also where clang is absent. A crash or sanitizer report names the file
 * (printed before each input).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_BYTES (64u << 20) /* larger than anything libFuzzer would hand over */

static int replay_file(const char *path, size_t *count)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    uint8_t *buf = malloc(REPLAY_MAX_BYTES);
    size_t n = buf ? fread(buf, 1, REPLAY_MAX_BYTES, f) : 0;
    int bad = buf == NULL || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot be read\n", path);
        free(buf);
        return -1;
    }
    printf("replay %s (%zu bytes)\n", path, n);
    fflush(stdout);
    /* the exact size, so that ASan sees a read past the end as the fuzzer would */
    uint8_t *data = malloc(n ? n : 1);
    if (data == NULL) {
        free(buf);
        return -1;
    }
    memcpy(data, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    (*count)++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, size_t *count, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return S_ISREG(sb.st_mode) ? replay_file(path, count) : 0;
    if (depth > 16)
        return 0;
    DIR *d = opendir(path);
    if (d == NULL) {
        perror(path);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue; /* ., .. and hidden files (.gitignore) */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof(*names));
            if (v == NULL) {
                rc = -1;
                break;
            }
            names = v;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        if ((names[n] = malloc(len)) == NULL) {
            rc = -1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && replay_path(names[i], count, depth + 1) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
        return 2;
    }
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i], &count, 0) != 0)
            rc = 1;
    printf("%zu inputs replayed\n", count);
    return rc;
}

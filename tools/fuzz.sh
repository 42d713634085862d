#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang in their own build folder and run
# each for TS_FUZZ_SECONDS (default 60; 0 skips), both at once when there are two cores or more,
# seeded from samples/ and ../shared/corpus/public (when present). New inputs go to a scratch
# corpus in the build folder, never into samples/ or the shared corpus. A crash, leak, timeout or
# out-of-memory input fails the run: it is copied into tests/fuzz/regressions/ (commit it; ctest
# replays that folder also where clang is absent) and the command that reproduces it is printed.
# tools/test.sh runs it after the tests; alone:
#   TS_FUZZ_SECONDS=600 tools/fuzz.sh      (TS_FUZZ_BUILD=DIR: build folder, default build-fuzz;
#                                           TS_FUZZ_ARGS: more libFuzzer options, e.g. -seed=1)
set -eu
. "$(cd "$(dirname "$0")" && pwd)/setup.sh"

seconds=${TS_FUZZ_SECONDS:-60}
case $seconds in
'' | *[!0-9]*)
    echo "fuzz: TS_FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" >&2
    exit 2
    ;;
esac
if [ "$seconds" -eq 0 ]; then
    echo "== fuzz: skipped (TS_FUZZ_SECONDS=0)"
    exit 0
fi
if ! command -v clang >/dev/null 2>&1; then
    echo "== fuzz: skipped: clang is not installed (tools/test.sh installs it when run as root)"
    exit 0
fi
build=${TS_FUZZ_BUILD:-$TS_TOP/build-fuzz}
targets="fuzz_scan fuzz_readback"
regressions=$TS_TOP/tests/fuzz/regressions
mkdir -p "$build"

# clang without its sanitizer and fuzzer runtimes (libclang-rt-dev) cannot link a fuzz target
probe=$build/probe
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$probe.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
    echo "== fuzz: skipped: clang cannot link a libFuzzer target (install libclang-rt-dev):" >&2
    tail -3 "$probe.log" >&2
    exit 0
fi

echo "== fuzz: building $targets with clang in $build"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$TS_TOP" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DTS_FUZZ=ON -DTS_SANITIZE=address,undefined -DTS_TESTS=OFF -DTS_WERROR=ON >&2
fi
jobs=$(nproc 2>/dev/null || echo 2)
# tenderscan too: its reports and state records are the readback target's seeds
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $targets tenderscan >&2

# The environment ctest gives the tests (tests/CMakeLists.txt, TS_TEST_ENV).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
UBSAN_OPTIONS=print_stacktrace=1
LSAN_OPTIONS=suppressions=$TS_TOP/tests/lsan.supp:print_suppressions=0
OMP_THREAD_LIMIT=1
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS OMP_THREAD_LIMIT

seeds="$TS_TOP/samples"
public=${TS_CORPUS_DIR:-$TS_TOP/../shared/corpus/public}
[ -d "$public" ] && seeds="$seeds $public"
# readback reads report lines and worker/state lines: one seed file per line of each
rb=$build/seeds/readback
rm -rf "$rb" "$build/seeds/scan.state"
mkdir -p "$rb"
"$build/tenderscan" -q -j 1 -f jsonl -o "$rb/report.jsonl" --state "$build/seeds/scan.state" \
    "$TS_TOP/samples" 2>/dev/null || true
split -l 1 "$rb/report.jsonl" "$rb/report-" 2>/dev/null || true
[ -f "$build/seeds/scan.state" ] && cut -f 2- "$build/seeds/scan.state" | split -l 1 - "$rb/state-"

run_one() {
    t=$1
    art=$build/artifacts/$t
    rm -rf "$art"
    mkdir -p "$art" "$build/corpus/$t"
    s=$seeds
    [ "$t" = fuzz_readback ] && s="$rb $seeds"
    rc=0
    # shellcheck disable=SC2086
    "$build/$t" -max_total_time="$seconds" -timeout=30 -max_len=65536 -artifact_prefix="$art/" \
        -print_final_stats=1 ${TS_FUZZ_ARGS:-} "$build/corpus/$t" $s >"$build/$t.log" 2>&1 || rc=$?
    echo "$rc" >"$build/$t.rc"
}

echo "== fuzz: running each target for $seconds s (logs: $build/fuzz_*.log)"
start=$(date +%s)
if [ "$jobs" -ge 2 ]; then
    pids=""
    for t in $targets; do
        run_one "$t" &
        pids="$pids $!"
    done
    for p in $pids; do wait "$p" || true; done
else
    for t in $targets; do run_one "$t"; done
fi
echo "== fuzz: done in $(($(date +%s) - start)) s"

failed=0
for t in $targets; do
    log=$build/$t.log
    rc=$(cat "$build/$t.rc" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    files=$(find "$build/corpus/$t" -type f | wc -l)
    echo "$t: ${runs:-?} runs, ${rate:-?} execs/s, peak RSS ${rss:-?} MB, corpus $files files, exit $rc"
    # slow-unit-*: an input over 10 s (libFuzzer's -report_slow_units), shown but not a failure
    for a in $(find "$build/artifacts/$t" -type f -name 'slow-unit-*' | sort); do
        echo "$t: slow input (over 10 s, not a failure): $a"
    done
    found=$(find "$build/artifacts/$t" -type f ! -name 'slow-unit-*' | sort)
    if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
        failed=1
        echo "---- $t failed; the end of its log (GLib's warnings left out):"
        grep -v '^\*\*\|^$' "$log" | tail -60
        for a in $found; do
            keep=$regressions/$t-$(basename "$a")
            cp "$a" "$keep"
            echo "kept $keep: commit it, ctest replays it (fuzz_regressions_*). Reproduce with:"
            echo "  ASAN_OPTIONS=$ASAN_OPTIONS LSAN_OPTIONS=$LSAN_OPTIONS $build/$t $keep"
        done
    fi
done
exit $failed

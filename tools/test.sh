#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install what is missing (and chromium for the browser test, clang for the fuzzers), build with
# warnings as errors and ASan/UBSan, run every test, then each fuzz target for 60 s
# (tools/fuzz.sh). The CI runs this on a fresh clone (.ci/run).
#   tools/test.sh            (TS_TEST_BUILD=DIR to choose the build folder;
#                             TS_FUZZ_SECONDS=N to fuzz each target N s, 0 to skip)
set -eu
. "$(cd "$(dirname "$0")" && pwd)/setup.sh"
ts_ensure_packages
ts_optional_packages
build=${TS_TEST_BUILD:-$TS_TOP/build-test}
t=$(date +%s)
ts_build "$build" -DCMAKE_BUILD_TYPE=Debug -DTS_WERROR=ON -DTS_SANITIZE=address,undefined
echo "== build: $(($(date +%s) - t)) s"
jobs=$(nproc 2>/dev/null || echo 2)
t=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j "$jobs"
echo "== ctest: $(($(date +%s) - t)) s"
echo "== tenderscan rules --test"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$TS_TOP/tests/lsan.supp \
    "$build/tenderscan" rules --test
t=$(date +%s)
"$TS_TOP/tools/fuzz.sh"
echo "== fuzz (build and run): $(($(date +%s) - t)) s"

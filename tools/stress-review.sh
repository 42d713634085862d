#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# After a change to what tenderscan grades ok: sweep ../shared/corpus/stress and list every file
# graded ok that tests/stress/expected.tsv does not list as ok, each with pdfinfo's page count and
# errors and qpdf --check beside it (ZIP CRCs and XML parts, or olefile, for Office files), as
# lines to check and paste into expected.tsv; also the listed files whose grade changed.
#   tools/stress-review.sh [BUILD]       BUILD: a build folder (default build-test)
#   tools/stress-review.sh --reuse [BUILD]   read the report of the last sweep (ctest stress_sweep)
# The checks need poppler-utils, qpdf and python3-olefile (apt-get install); the test does not.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
reuse=""
if [ "${1:-}" = --reuse ]; then
    reuse=1
    shift
fi
build=${1:-$top/build-test}
set -- --review --tenderscan "$build/tenderscan" --corpus "$top/../shared/corpus/stress" \
    --expected "$top/tests/stress/expected.tsv" --work "$build/stress"
if [ -n "$reuse" ]; then
    if [ ! -f "$build/stress/sweep.jsonl" ]; then
        echo "no earlier sweep in $build/stress: run without --reuse" >&2
        exit 2
    fi
    set -- "$@" --jsonl "$build/stress/sweep.jsonl"
fi
for tool in pdfinfo qpdf; do
    command -v "$tool" >/dev/null 2>&1 || echo "note: $tool is not installed (apt-get install poppler-utils qpdf)" >&2
done
exec python3 "$top/tests/stress/sweep.py" "$@"

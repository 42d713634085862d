#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Office extraction cost: tenderscan (every hidden part, every rule) against the in-process floor
# (../shared/bench/extract-floor.c: libzip + libxml2 text only) and against the shell pipeline
# `unzip -p | sed | pcre2grep -c -f peer-patterns.txt`, on large.docx and on the 120 DOCX/XLSX of
# batch/. The three run alternately (A B C A B C …) after one warm-up round; prints medians,
# ranges, the median of the pair-by-pair ratios, and peak RSS.
#   tools/bench/office.sh [CORPUS_DIR] [RUNS]        (TS_BIN=path/to/tenderscan to choose a build)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${TS_BENCH_DIR:-$top/../shared/bench}
corpus=${1:-/tmp/corpus}
runs=${2:-11}
if [ ! -f "$corpus/large.docx" ]; then
    echo "building the corpus in $corpus (needs python3-docx python3-openpyxl python3-reportlab" \
         "libreoffice-writer-nogui)" >&2
    "$bench/make-corpus.sh" "$corpus" >&2
fi
for t in pcre2grep unzip sed; do
    command -v $t >/dev/null || { echo "needs $t (apt-get install pcre2-utils unzip)" >&2; exit 1; }
done
bin=${TS_BIN:-$top/build/tenderscan}
[ -x "$bin" ] || { echo "build first (Release): tools/run.sh --version, or set TS_BIN" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
floor=${TS_FLOOR:-/tmp/extract-floor}
if [ ! -x "$floor" ]; then
    # shellcheck disable=SC2046
    cc -O2 -o "$floor" "$bench/extract-floor.c" \
        $(pkg-config --cflags --libs poppler-glib libzip libxml-2.0)
fi
pat=$bench/peer-patterns.txt
cd "$corpus"
batch=$(ls batch/*.docx batch/*.xlsx)
nbatch=$(echo "$batch" | wc -l)

now() { date +%s.%N; }
median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
diff() { awk -v x="$1" -v y="$2" 'BEGIN { print y - x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

ts_large() { "$bin" -q -j 1 large.docx >/dev/null || true; }
floor_large() { "$floor" large.docx 2>/dev/null; }
pipe_large() { unzip -p large.docx word/document.xml | sed -e 's/<[^>]*>//g' | pcre2grep -c -f "$pat" >/dev/null || true; }
# shellcheck disable=SC2086
ts_batch() { "$bin" -q -j 1 $batch >/dev/null || true; }
# shellcheck disable=SC2086
ts_batch2() { "$bin" -q -j 2 $batch >/dev/null || true; }
# shellcheck disable=SC2086
floor_batch() { "$floor" $batch 2>/dev/null; }
pipe_batch() {
    for f in $batch; do
        unzip -p "$f" | sed -e 's/<[^>]*>//g' | pcre2grep -c -f "$pat" >/dev/null || true
    done
}

# run_set NAME A B C: alternate the three, print medians and the ratios A/B, A/C
run_set() {
    name=$1; a=$2; b=$3; c=$4
    ta=""; tb=""; tc=""; rab=""; rac=""
    i=0
    while [ "$i" -le "$runs" ]; do
        t0=$(now); $a; t1=$(now); $b; t2=$(now); $c; t3=$(now)
        if [ "$i" -gt 0 ]; then # round 0 warms the page cache
            da=$(diff "$t0" "$t1"); db=$(diff "$t1" "$t2"); dc=$(diff "$t2" "$t3")
            ta="$ta $da"; tb="$tb $db"; tc="$tc $dc"
            rab="$rab $(ratio "$da" "$db")"; rac="$rac $(ratio "$da" "$dc")"
        fi
        i=$((i + 1))
    done
    printf '%s (%s runs, alternating, medians with min-max):\n' "$name" "$runs"
    printf '  %-34s %.3f s (%s)\n' "$a" "$(median $ta)" "$(range $ta)"
    printf '  %-34s %.3f s (%s)\n' "$b" "$(median $tb)" "$(range $tb)"
    printf '  %-34s %.3f s (%s)\n' "$c" "$(median $tc)" "$(range $tc)"
    printf '  %s / %s = %.2f (%s)   target <= 1.5\n' "$a" "$b" "$(median $rab)" "$(range $rab)"
    printf '  %s / %s = %.2f (%s)   target < 1\n' "$a" "$c" "$(median $rac)" "$(range $rac)"
}

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

echo "tenderscan: $bin ($("$bin" --version 2>/dev/null | head -1)); corpus: $corpus"
run_set "large.docx" ts_large floor_large pipe_large
run_set "batch/ ($nbatch DOCX and XLSX)" ts_batch floor_batch pipe_batch
t0=$(now); ts_batch2; t1=$(now)
printf 'batch with -j 2: %.3f s (%.0f files/s)\n' "$(diff "$t0" "$t1")" \
    "$(awk -v n="$nbatch" -v t="$(diff "$t0" "$t1")" 'BEGIN { print n / t }')"
if [ -x /usr/bin/time ]; then
    # shellcheck disable=SC2086
    printf 'peak RSS (KiB): tenderscan large.docx %s, batch -j1 %s, batch -j2 %s; floor large.docx %s, batch %s\n' \
        "$(rss "$bin" -q -j 1 large.docx)" "$(rss "$bin" -q -j 1 $batch)" \
        "$(rss "$bin" -q -j 2 $batch)" "$(rss "$floor" large.docx)" "$(rss "$floor" $batch)"
fi

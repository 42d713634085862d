#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Rule-engine throughput: tenderscan over text-50mb.txt with every rule, side by side with
# pcre2grep -c -f peer-patterns.txt, alternating A B A B … in one run; prints medians, MB/s and
# the median of the pair-by-pair ratios.
#   tools/bench/engine.sh [CORPUS_DIR] [RUNS]
# CORPUS_DIR defaults to /tmp/corpus and is built with ../shared/bench/make-corpus.sh if missing.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${TS_BENCH_DIR:-$top/../shared/bench}
corpus=${1:-/tmp/corpus}
runs=${2:-5}
text=$corpus/text-50mb.txt
if [ ! -f "$text" ]; then
    echo "building the corpus in $corpus (needs python3-docx python3-openpyxl python3-reportlab" \
         "libreoffice-writer-nogui)" >&2
    "$bench/make-corpus.sh" "$corpus" >&2
fi
command -v pcre2grep >/dev/null || { echo "needs pcre2grep (apt-get install pcre2-utils)" >&2; exit 1; }
bin=$top/build/tenderscan
[ -x "$bin" ] || { echo "build first: tools/run.sh --version" >&2; exit 1; }

mb=$(awk -v b="$(wc -c <"$text")" 'BEGIN { printf "%.2f", b / 1e6 }')
now() { date +%s.%N; }
a_times=""; b_times=""; ratios=""
taskset_cmd=""
command -v taskset >/dev/null && taskset_cmd="taskset -c 0"   # one thread, one core
i=0
while [ "$i" -le "$runs" ]; do
    t0=$(now); $taskset_cmd "$bin" -q -j 1 -f jsonl "$text" >/dev/null || true; t1=$(now)
    $taskset_cmd pcre2grep -c -f "$bench/peer-patterns.txt" "$text" >/dev/null || true; t2=$(now)
    if [ "$i" -gt 0 ]; then   # run 0 warms the page cache
        a=$(awk -v x="$t0" -v y="$t1" 'BEGIN { print y - x }')
        b=$(awk -v x="$t1" -v y="$t2" 'BEGIN { print y - x }')
        a_times="$a_times $a"; b_times="$b_times $b"
        ratios="$ratios $(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
    fi
    i=$((i + 1))
done
median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
ma=$(median $a_times); mbb=$(median $b_times); mr=$(median $ratios)
rules=$("$bin" rules | wc -l)
echo "text: $text ($mb MB), $runs runs each after one warm-up, alternating, pinned to one core"
printf 'tenderscan (%s rules, -j 1):  %.3f s (%s)  %.1f MB/s\n' "$rules" "$ma" "$(range $a_times)" \
    "$(awk -v m="$mb" -v t="$ma" 'BEGIN { print m / t }')"
printf 'pcre2grep -c -f peer-patterns: %.3f s (%s)  %.1f MB/s\n' "$mbb" "$(range $b_times)" \
    "$(awk -v m="$mb" -v t="$mbb" 'BEGIN { print m / t }')"
printf 'speed-up over pcre2grep (median of pair ratios): %.2fx (%s)\n' "$mr" "$(range $ratios)"
